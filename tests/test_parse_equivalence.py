"""The fast paths of the parse give exactly what the plain code they replace gives.

Each speed-up (issue 7) swapped a slow, obviously-correct step for a faster one: jieba's own ``cut`` for a
one-pass segmenter, ``cpca.transform`` for the dict it wraps, a per-name regex for ``str.find`` + one
compiled tail, regex squeezing for ``str.split``, a full token scan for a prefilter. These tests check
each pair on generated input, and then parse whole reports (the seeds and a deterministic synthetic corpus)
both ways and require identical rows.
"""
from __future__ import annotations

import random
import re

import pytest
from conftest import varied_reports
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import figures, keywords, metadata, problems
from helpers.normalize import squeeze
from helpers.parse import parse_bytes


# Characters the generated texts are drawn from: report words, numerals, units, punctuation, Latin, spaces.
_ALPHABET = ("的一是在不了有和人这中大为上个国我以要时来用们到作地于出就分对成会可主发年动同工也能下过子说产"
             "公开政府信息申请办理答复依据条例工作局县市区省委员会办公室人民交通运输队伍建设有待加强不足薄弱"
             "零〇二两三四五六七八九十百千万亿余多约近超过逾件条篇项宗起次份期场户家部通人个"
             "0123456789.,%，。、；：“”（）()|\t -+#_&ABCabc")


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(n)]


# ---------------------------------------------------------------------------------------------- keywords
def test_segment_is_jiebas_cut_word_for_word(seed_texts):
    tk = keywords.tokenizer()
    texts = list(seed_texts.values()) + _texts(600, seed=7)
    for text in texts:
        assert keywords.segment(text) == list(tk.cut(text, HMM=True))


@pytest.fixture
def scratch_tokenizer():
    """The project tokenizer, restored after a test adds words to it."""
    tk = keywords.tokenizer()
    freq_before, total_before = tk.FREQ.copy(), tk.total
    yield tk
    tk.FREQ.clear()
    tk.FREQ.update(freq_before)
    tk.total = total_before
    keywords._segmenter.cache_clear()


def test_segment_breaks_ties_as_jieba(scratch_tokenizer):
    """Two routes with the same log probability: jieba's max over (score, end) takes the longer first word."""
    tk = scratch_tokenizer
    a, b, c = "鿀鿁鿂"  # characters jieba's dictionary does not have
    for word, freq in ((a, 50), (a + b, 100), (b + c, 100), (c, 50)):
        tk.add_word(word, freq)
    assert list(tk.cut(a + b + c)) == [a + b, c]
    assert keywords.segment(a + b + c) == [a + b, c]


def test_segment_follows_words_added_later(scratch_tokenizer):
    """A word added to the tokenizer after the segmenter was built is cut whole, as jieba would."""
    tk = scratch_tokenizer
    word = "甲乙丙丁戊测试词"
    assert word not in keywords.segment(f"今年{word}有待加强")
    tk.add_word(word, 50)
    words = keywords.segment(f"今年{word}有待加强")
    assert word in words
    assert words == list(tk.cut(f"今年{word}有待加强"))


# ---------------------------------------------------------------------------------------------- metadata
def _stem_matches_reference(stem: str, text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(re.escape(stem) + metadata._NAME_TAIL.pattern, text)]


@settings(max_examples=300, deadline=None)
@given(stem=st.text(alphabet="衡水市湛河区交通", max_size=3),
       text=st.text(alphabet="衡水市湛河区交通运输局委员会办公室中心，。 1", max_size=60))
def test_stem_matches_are_finditers(stem, text):
    assert metadata._stem_matches(stem, text) == _stem_matches_reference(stem, text)


def _gazetteer_names(k: int) -> list[str]:
    cpca, _, names = metadata._gazetteer()
    rng = random.Random(3)
    picked = rng.sample(sorted(names.values()), k)
    suffixes = ("交通运输局", "人民政府", "教育局", "", "政府信息公开办公室")
    return [p + rng.choice(suffixes) for p in picked] + ["朝阳区教育局", "交通运输局", "", "本局", "中心城区管理局"]


def test_cpca_row_is_what_transform_returns():
    for name in _gazetteer_names(150):
        assert metadata._cpca_row(name) == metadata._cpca_row_via_transform(name)
    _, by_name, _ = metadata._gazetteer()
    shared = [(c, codes) for c, codes in sorted(by_name.items()) if len(codes) > 1][:20]
    for county, codes in shared:
        pin = ((county, codes[-1]),)
        assert metadata._cpca_row(county + "民政局", pin) == metadata._cpca_row_via_transform(county + "民政局", pin)


# ---------------------------------------------------------------------------------------------- squeezing
def test_split_squeeze_is_the_regex_squeeze():
    spaces = "".join(chr(c) for c in range(0x3100) if chr(c).isspace() or re.match(r"\s", chr(c)))
    assert "\u3000" in spaces and "\xa0" in spaces
    for text in _texts(200, seed=11) + [f"a{spaces}b", spaces, "", "自 然\u3000人\t"]:
        expected = squeeze(text)
        assert problems._sq(text) == expected
        assert metadata._squeeze(text) == expected
        assert figures._squeezed(text) == expected == figures._squeeze(text)[0]


# ---------------------------------------------------------------------------------------------- figures
def _tokens_reference(s: str) -> list[figures.Token]:
    out = []
    for m in figures._TOKEN.finditer(s):
        t = figures._token(m, s) if (m.group("d") is not None or m.group("c") is not None) else None
        if t is not None:
            out.append(t)
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_token_prefilter_drops_no_token(s):
    assert figures.tokens(s) == _tokens_reference(s)


def _requests_none_reference(s: str):
    for m in figures._REQUESTS_NONE.finditer(s):
        if not re.search(figures._NOT_REVIEW, m.group(0)):
            return m
    return None


@pytest.mark.parametrize("s", ["本年度未收到政府信息公开申请", "无政府信息公开事项。", "依申请公开数量为0件",
                               "没有依申请公开情况", "未收到行政复议申请", "全年主动公开信息12条"])
def test_requests_none_prefilter(s):
    got, ref = figures.requests_none(s), _requests_none_reference(s)
    assert (got and got.span()) == (ref and ref.span())


# ---------------------------------------------------------------------------------------------- whole reports
@pytest.fixture(scope="module")
def report_bytes(tmp_path_factory) -> dict[str, bytes]:
    """The seeds plus 20 synthetic reports and cut or thinned copies (conftest.varied_reports)."""
    return varied_reports(tmp_path_factory.mktemp("synthetic"), 20, seed=5, rng_seed=9)


def test_reports_parse_the_same_with_the_plain_code(report_bytes, monkeypatch):
    fast = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    tk = keywords.tokenizer()
    with monkeypatch.context() as m:
        m.setattr(keywords, "segment", lambda text, hmm=True: list(tk.cut(text, HMM=hmm)))
        m.setattr(metadata, "_cpca_row", metadata._cpca_row_via_transform)
        m.setattr(metadata, "_stem_matches", _stem_matches_reference)
        m.setattr(metadata, "_squeeze", squeeze)
        m.setattr(problems, "_sq", squeeze)
        m.setattr(figures, "_squeezed", lambda line: figures._squeeze(line)[0])
        m.setattr(figures, "_MAYBE_TOKEN", re.compile(""))
        m.setattr(figures, "requests_none", _requests_none_reference)
        metadata._region.cache_clear()
        plain = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    metadata._region.cache_clear()
    assert sum(len(r.tables.get("tokens", [])) for r in fast.values()) > 100  # the texts were really parsed
    assert sum(len(r.tables.get("figures", [])) for r in fast.values()) > 50
    for name in report_bytes:
        assert fast[name].report == plain[name].report, name
        assert repr(fast[name].tables) == repr(plain[name].tables), name
