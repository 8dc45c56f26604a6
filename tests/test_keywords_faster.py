"""The segmenter's fast paths (issue 7) give exactly what the code they replaced gave.

* the route: the words starting at each character are found by walking a trie of the prefix dictionary,
  grown as the text asks, instead of looking up a new slice per step in a dict of fragments (``memo``);
  ends are exclusive now.

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


class _OldSegmenter(keywords._Segmenter):
    """The segmenter with the replaced route; everything else is today's."""

    def __init__(self, tk):
        super().__init__(tk)
        self.memo: dict[str, object] = {}

    _route = _old_route
    _cut_block = _old_cut_block


@pytest.fixture(scope="module")
def old_seg() -> _OldSegmenter:
    return _OldSegmenter(keywords.tokenizer())


def _pieces() -> list[str]:
    """Words, prefixes that are no word (the letters, 一丘), characters unknown to jieba, gaps, signals."""
    freq = keywords.tokenizer().FREQ
    zero = [w for w in freq if 1 <= len(w) <= 3 and freq[w] == 0][:60]  # dict order: stable across runs
    words = ["政府信息", "公开", "有待加强", "力量薄弱", "不足", "一是", "我局", "信息化", "中华人民共和国", "依申请",
             "K歌", "AT", "1号", "一丘之貉", "X射线", "QQ", "C语言", "4S店", "公开公开", "的", "了", "和", "在"]
    return zero + words + list("鿀鿁鿂赵钱孙李我局将等的还大微信抖音") + ["a", "Z", "7", ".", "%", "-", "+", "#", "&",
                                                                   "_", " ", "\r\n", "\n", "，", "。", "（", "）"]


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
