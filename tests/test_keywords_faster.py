"""The segmenter's fast paths (issue 7) give exactly what the code they replaced gave.

* the route: the words starting at each character are found by walking a trie of the prefix dictionary,
  grown as the text asks, instead of looking up a new slice per step in a dict of fragments (``memo``);
  ends are exclusive now;
* the HMM of unknown runs: finalseg's model is read once per segmenter instead of once per run, and the
  blocks of ``re_han.split`` are told by their place (empty gaps skipped) instead of by ``re_han.match``.

The replaced code is kept below word for word (``_old_*``) as the oracle. Generated text (dictionary words,
prefixes that are no word, characters jieba does not know, Latin, digits, \\r\\n) goes through both, and so
do the seeds and synthetic reports, word for word and as whole parses. jieba itself is the reference in
tests/test_parse_equivalence.py and tests/test_keywords.py. No timings are asserted.
"""
from __future__ import annotations

import math

import pytest
from conftest import varied_reports
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from helpers import keywords
from helpers.keywords import _hmm_model, _hmm_states, _hmm_words
from helpers.normalize import normalize_lines
from helpers.parse import parse_bytes

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------------------
# The route as it was: a dict of fragments, a new slice per step, inclusive ends.
_ZERO_FREQ = object()  # a prefix of dictionary words that is not a word itself
_MEMO_MAX = 2_000_000


def _old_route(self, sentence: str) -> list[int]:
    """For each start index, the end index (inclusive) of the best word: jieba's get_DAG + calc."""
    freq, memo, logtotal, log, zero = self.freq, self.memo, self.logtotal, math.log, _ZERO_FREQ
    n = len(sentence)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        best_s, best_x = -math.inf, -1
        i = k
        frag = sentence[k]
        while True:
            lp = memo.get(frag)
            if lp is None:  # first time this fragment is met: what the prefix dict says about it
                f = freq.get(frag)
                if f is None:
                    break  # no dictionary word starts with it
                lp = memo[frag] = (log(f) - logtotal) if f else zero
            if lp is not zero:
                sc = lp + score[i + 1]
                if sc >= best_s:  # max over (score, x): ties go to the longer word
                    best_s, best_x = sc, i
            i += 1
            if i >= n:
                break
            frag = sentence[k:i + 1]
        if best_x < 0:  # no dictionary word starts here: the single character
            best_s, best_x = (log(freq.get(sentence[k]) or 1) - logtotal) + score[k + 1], k
        score[k], end[k] = best_s, best_x
    if len(memo) > _MEMO_MAX:
        memo.clear()
    return end


def _old_cut_block(self, sentence: str, out: list[str]) -> None:
    end = self._route(sentence)
    x, n, run = 0, len(sentence), -1  # run: where the current run of single characters began
    while x < n:
        y = end[x] + 1
        if y - x == 1:
            if run < 0:
                run = x
        else:
            if run >= 0:
                self._flush(sentence[run:x], out)
                run = -1
            out.append(sentence[x:y])
        x = y
    if run >= 0:
        self._flush(sentence[run:], out)


# The HMM as it was: finalseg's model read on every run, blocks told by re_han.match.
def _old_hmm_cut(self, sentence: str, out: list[str]) -> None:
    """``finalseg.cut``: its blocks, Viterbi words and forced splits, with :func:`_hmm_states`."""
    fs = self.finalseg
    for blk in fs.re_han.split(sentence):
        if fs.re_han.match(blk):
            force = fs.Force_Split_Words
            for word in _hmm_words(blk, _old_hmm_states(blk, fs)):
                if word in force:
                    out.extend(word)
                else:
                    out.append(word)
        else:
            out.extend(x for x in fs.re_skip.split(blk) if x)


def _old_hmm_states(obs: str, fs) -> str:
    """``finalseg.viterbi(obs, 'BMES', …)``'s state sequence, unrolled for jieba's four states.

    Each score is summed in jieba's order (previous + transition + emission) and each ``max`` over
    (score, state) pairs breaks ties as tuples do, towards the greater state letter; so the states are
    jieba's (tested against ``finalseg.cut``)."""
    low, start, trans, emit = fs.MIN_FLOAT, fs.start_P, fs.trans_P, fs.emit_P
    e_b, e_m, e_s, e_e = emit["B"].get, emit["M"].get, emit["S"].get, emit["E"].get
    t_eb, t_sb = trans["E"].get("B", low), trans["S"].get("B", low)  # into B from E, S
    t_mm, t_bm = trans["M"].get("M", low), trans["B"].get("M", low)  # into M from M, B
    t_ss, t_es = trans["S"].get("S", low), trans["E"].get("S", low)  # into S from S, E
    t_be, t_me = trans["B"].get("E", low), trans["M"].get("E", low)  # into E from B, M
    c = obs[0]
    v_b, v_m = start["B"] + e_b(c, low), start["M"] + e_m(c, low)
    v_s, v_e = start["S"] + e_s(c, low), start["E"] + e_e(c, low)
    back: list[tuple[str, str, str, str]] = []  # per step: the previous state of B, M, S, E
    for c in obs[1:]:
        em = e_b(c, low)
        a, b = v_e + t_eb + em, v_s + t_sb + em
        n_b, p_b = (a, "E") if a > b else (b, "S")
        em = e_m(c, low)
        a, b = v_m + t_mm + em, v_b + t_bm + em
        n_m, p_m = (a, "M") if a >= b else (b, "B")
        em = e_s(c, low)
        a, b = v_s + t_ss + em, v_e + t_es + em
        n_s, p_s = (a, "S") if a >= b else (b, "E")
        em = e_e(c, low)
        a, b = v_b + t_be + em, v_m + t_me + em
        n_e, p_e = (a, "B") if a > b else (b, "M")
        v_b, v_m, v_s, v_e = n_b, n_m, n_s, n_e
        back.append((p_b, p_m, p_s, p_e))
    state = "E" if v_e > v_s else "S"
    states = [state]
    for step in reversed(back):
        state = step["BMSE".index(state)]
        states.append(state)
    return "".join(reversed(states))


class _OldSegmenter(keywords._Segmenter):
    """The segmenter with the replaced route and HMM; everything else is today's."""

    def __init__(self, tk):
        super().__init__(tk)
        self.memo: dict[str, object] = {}

    _route = _old_route
    _cut_block = _old_cut_block
    _hmm_cut = _old_hmm_cut


@pytest.fixture(scope="module")
def old_seg() -> _OldSegmenter:
    return _OldSegmenter(keywords.tokenizer())


def _pieces() -> list[str]:
    """Words, prefixes that are no word (the letters, 一丘), characters unknown to jieba, gaps, signals."""
    freq = keywords.tokenizer().FREQ
    zero = [w for w in freq if 1 <= len(w) <= 3 and freq[w] == 0][:60]  # dict order: stable across runs
    words = ["政府信息", "公开", "有待加强", "力量薄弱", "不足", "一是", "我局", "信息化", "中华人民共和国", "依申请",
             "K歌", "AT", "1号", "一丘之貉", "X射线", "QQ", "C语言", "4S店", "公开公开", "的", "了", "和", "在"]
    chars = list("鿀鿁鿂赵钱孙李我局将等的还大微信抖音")  # the first three are unknown to jieba
    gaps = ["a", "Z", "7", ".", "%", "-", "+", "#", "&", "_", " ", "\r\n", "\n", "，", "。", "（", "）"]
    return zero + words + chars + gaps


PIECES = _pieces()
TEXTS = hs.lists(hs.sampled_from(PIECES), max_size=40).map("".join)


def _exclusive(old_end: list[int]) -> list[int]:
    return [e + 1 for e in old_end[:-1]]


@SETTINGS
@given(hs.lists(TEXTS, min_size=1, max_size=8))
def test_route_matches_the_previous_version(old_seg, sentences):
    seg = keywords._segmenter()
    fresh = keywords._Segmenter(keywords.tokenizer())  # an empty trie grows as the old memo did
    for s in sentences:
        for blk in seg.re_han.split(s)[1::2]:
            want = _exclusive(old_seg._route(blk))
            assert seg._route(blk) == want == fresh._route(blk), blk


@SETTINGS
@given(TEXTS)
def test_cut_matches_the_previous_version(old_seg, text):
    assert keywords._segmenter().cut(text) == old_seg.cut(text)


def test_trie_is_emptied_when_full(monkeypatch, seed_texts, old_seg):
    monkeypatch.setattr(keywords, "_TRIE_MAX", 50)
    seg = keywords._Segmenter(keywords.tokenizer())
    cleared = 0
    for text in seed_texts.values():
        for line in text.split("\n")[:200]:
            size = seg.trie_size
            assert seg.cut(line) == old_seg.cut(line)
            cleared += seg.trie_size < size
            assert seg.trie_size <= 50 + len(line) * 17  # at most one route's growth past the bound
    assert cleared


def test_seed_texts_are_cut_as_before(seed_texts, old_seg):
    seg = keywords._Segmenter(keywords.tokenizer())
    for text in seed_texts.values():
        norm = "\n".join(normalize_lines(text.split("\n")))
        assert seg.cut(norm) == old_seg.cut(norm)


# Runs of characters that are no dictionary word, as the HMM gets them: Han (known to its model or not),
# Latin, digits, decimals and percentages.
HMM_RUNS = hs.text(alphabet="赵钱孙李周吴郑王冯陈河区鿀鿁一是我局将等的还大微信抖音政务公开有待加强abcXYZ0123456789.%_-+&# ",
                   min_size=1, max_size=30)


@SETTINGS
@given(HMM_RUNS)
def test_hmm_cut_matches_the_previous_version(old_seg, run):
    seg = keywords._segmenter()
    new: list[str] = []
    old: list[str] = []
    seg._hmm_cut(run, new)
    old_seg._hmm_cut(run, old)
    assert new == old


@SETTINGS
@given(HMM_RUNS)
def test_hmm_states_match_the_previous_version(run):
    from jieba import finalseg

    for blk in finalseg.re_han.findall(run):
        want = _old_hmm_states(blk, finalseg)
        assert _hmm_states(blk, finalseg) == want == _hmm_states(blk, finalseg, _hmm_model(finalseg))


def test_forced_splits_as_before(old_seg, monkeypatch):
    """Words jieba must split (``Force_Split_Words``, filled by ``add_word(w, 0)``) come out as characters."""
    from jieba import finalseg

    runs = ["一是我局将", "的还大等", "好微信抖音等", "赵钱孙李", "ab我局12.5%的还", "鿀鿁鿀"]
    words = {w for run in runs for w in finalseg.cut(run) if len(w) > 1 and finalseg.re_han.fullmatch(w)}
    assert len(words) >= 3
    monkeypatch.setattr(finalseg, "Force_Split_Words", words)
    for run in runs:
        new: list[str] = []
        old: list[str] = []
        keywords._segmenter()._hmm_cut(run, new)
        old_seg._hmm_cut(run, old)
        assert new == old
        assert not words & set(new)


# ---------------------------------------------------------------------------------------------------------
# Whole reports, parsed with today's segmenter and with the old one patched in.
@pytest.fixture(scope="module")
def report_bytes(tmp_path_factory) -> dict[str, bytes]:
    """The seeds plus 30 synthetic reports and thinned and cut copies (conftest.varied_reports)."""
    return varied_reports(tmp_path_factory.mktemp("synthetic"), 30, seed=17, rng_seed=19)


def test_reports_parse_the_same_with_the_old_code(report_bytes, old_seg, monkeypatch):
    fast = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    with monkeypatch.context() as m:
        m.setattr(keywords, "_segmenter", lambda: old_seg)
        plain = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    assert sum(len(r.tables.get("tokens", [])) for r in fast.values()) > 1000  # the problems were really cut
    for name in report_bytes:
        assert repr(fast[name].tables) == repr(plain[name].tables), name
