"""The faster front of the parse (decoding, normalising, section splitting, metadata, parse_doc's glue) gives
exactly what the plain code it replaced gave.

Each ``_old_*`` below is a word-for-word copy of the function (or pattern) as it was before issue 7's second
round; each test compares the two on generated input and on real and synthetic reports.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import metadata, normalize, sections, textio
from helpers.metadata import (_AGENCY, _CN_DATE, _ISO, _ISO_END, _PUB_DATE_LABEL, _PUBLISHER, _SIGNOFF_PUNCT,
                              _WRITTEN_LABEL, _date, _name_in_title)
from helpers.model import SECTION_KEYS, SECTION_NUMERALS, Doc, LoadError, Section
from helpers.normalize import normalize_lines, split_lines, squeeze
from helpers.parse import make_doc
from helpers.sections import (_CUT_HEADING, _FIRST_CHARS, _LABEL_COLON, _LEAD, _MAX_HEADING, _MAX_MERGED,
                              _NOT_HEADING, _NUMBERED_PATTERNS, _NUMERAL_CHARS, _NUMERAL_ONLY, _NUMERAL_START,
                              _PATTERNS, _PREFIX, _SPACE_AND_DECOR, _UNNUMBERED_NEED, _UNNUMBERED_START)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_texts(seed_texts, tmp_path_factory) -> dict[str, str]:
    """The seeds plus 30 synthetic reports (benchmarks/synth.py, fixed seed), decoded."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.synth import make_corpus
    finally:
        sys.path.remove(str(ROOT))
    from helpers.textio import decode

    out = dict(seed_texts)
    for p in make_corpus(ROOT / "data" / "raw", tmp_path_factory.mktemp("synthetic"), 30, seed=11, subfolders=1):
        out[p.name] = decode(p.read_bytes())[0]
    return out


@pytest.fixture(scope="module")
def corpus_lines(corpus_texts) -> list[str]:
    return [ln for text in corpus_texts.values() for ln in normalize_lines(split_lines(text))]


# ---------------------------------------------------------------------------------------------- sections
_DECOR = re.compile(r"^[#*【\[]+|[*】\]。.:]+$")
_HEADING_END = re.compile(r"(?:情况|措施|举措|事项|概述|概况|总体|问题|不足|打算|计划|安排|思路|工作|复议|诉讼|信息"
                          r"|申请)$")


def _old_heading_key_prefiltered(norm_line: str) -> tuple[str, str | None] | None:
    body = norm_line.lstrip(_SPACE_AND_DECOR)
    first = body[:1]
    if first not in _FIRST_CHARS or (first in _NUMERAL_ONLY and not _NUMERAL_START.match(body)):
        return None
    return _old_heading_key(norm_line)


def _old_heading_key(norm_line: str) -> tuple[str, str | None] | None:
    """:func:`heading_key` without the first-character prefilter."""
    if not norm_line or len(norm_line) > 400:
        return None
    if len(norm_line) > _MAX_HEADING + 20 and norm_line.lstrip(_LEAD)[:1] not in _NUMERAL_CHARS:
        return None  # fast path: long prose lines cannot be headings unless numbered
    s = squeeze(norm_line)
    prose = s.endswith(("。", "!", "?", ";", "；", "！", "？"))
    s = _DECOR.sub("", s)
    if not s or s.startswith("("):
        return None
    m = _PREFIX.match(s)
    numeral = None
    if m:
        numeral = m.group(1) or m.group(2) or m.group(3)
        rest = s[m.end():]
    else:
        rest = s
    if not rest or (len(s) > _MAX_HEADING and numeral is None):
        return None
    if numeral is None and (prose or _LABEL_COLON.search(s) or "," in s or not _HEADING_END.search(s)):
        return None  # a sentence (`本年度未发生行政复议和行政诉讼。`), a label with its content, a fragment
    if _NOT_HEADING.search(rest[:_MAX_HEADING]):
        return None
    for key, pat in _PATTERNS.items():
        hm = pat.match(rest)
        if not hm:
            continue
        if numeral is None and (len(s) > 30 or (key in _UNNUMBERED_NEED and not _UNNUMBERED_NEED[key].search(s))
                                or (key in _UNNUMBERED_START and not _UNNUMBERED_START[key].match(s))):
            return None
        if len(s) > _MAX_HEADING and hm.end() > _MAX_MERGED:
            return None
        if numeral is not None and numeral.isdigit() and int(numeral) != SECTION_KEYS.index(key) + 1:
            return None  # arabic numbering is trusted only when it is the part's own number
        return key, numeral
    if numeral is not None and not numeral.isdigit():
        for key, pat in _NUMBERED_PATTERNS.items():
            if pat.match(rest) and len(s) <= _MAX_HEADING:
                return key, numeral
        for key, pat in _CUT_HEADING.items():
            if numeral == SECTION_NUMERALS[key] and len(s) <= 24 and pat.match(rest):
                return key, numeral
    return None


def _old_candidates(norm: list[str]) -> list[tuple[int, str, bool]]:
    found: list[tuple[int, str]] = []
    for i, line in enumerate(norm, start=1):
        hk = _old_heading_key_prefiltered(line)
        if hk:
            found.append((i, hk[0]))
    rank_at = {i: SECTION_KEYS.index(key) for i, key in found}
    toc: set[int] = set()
    for i, key in found:
        nxt = sections._next_nonblank(norm, i)
        if nxt in rank_at and rank_at[nxt] > rank_at[i]:
            toc.update((i, nxt))
    return [(i, key, i not in toc) for i, key in found]


_HEADING_BITS = ["一、", "五.", "第三部分", "第 三 部 分", "第二章", "第二十条", "3.", "3 .", "3 、", "8、", "7.", "6.",
                 "1.", "2.", "4 .", "5、", "12.", "2021", "9.", "7", " ", "(一)", "总体情况", "主动公开政府信息情况",
                 "收到和处理", "政府信息公开申请情况", "因政府信息公开工作被申请", "行政复议", "行政诉讼", "存在的主要问题",
                 "及改进情况", "其他需要报告的事项", "下一步工作打算", "工作", "概", "。", ":", ",", "本年度", "结转下年",
                 "情况", "*", "**", "】", "【", "#", "[", "]", ".", "。", ":", "\u3000", "\t", "措施", "申请", "信息", "12",
                 "行政许可", "其他处理", "总计", "一是", "存在", "问题", "不足", "工作开展总体情况", "基本情况", "概述", "概况",
                 "主要工作概述", "行政机关主动公开政府信息情况", "主动公开情况", "依申请公开情况", "行政机关收到和处理政府信息公开申请",
                 "因政府信息公开工作被申请行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼情况", "其他事项",
                 "存在的主要问题及改进情况", "主要问题和改进措施", "1", "2", "3", "4", "5", "6", "、", "属于国家秘密",
                 "一", "三", "六", "八", "是", "政府信息公开行政", "行政复", "因单位信息公开", "其他报告", "下一步计划", "依申请公开",
                 "主动公开", "本年度办理结果", "结转下年度继续办理", "议", "讼", "存", "问", "二、", "三、", "四、", "六、", "四",
                 "五", "问题和改进", "主要问题及整改", "因单位信息公开工作", "政府信息公开行政复"]
_LEADS = ["", " ", "\u3000", "\u00a0", "\t", "#", "## ", "**", "【", "[", "* "]


def _generated_lines(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    odd = [chr(rng.randint(0x20, 0x9fff)) for _ in range(200)]
    lines = []
    for _ in range(n):
        bits = rng.sample(_HEADING_BITS, rng.randint(1, 5))
        if rng.random() < 0.3:  # the first character anything at all
            bits.insert(0, rng.choice(odd))
        lines.append(rng.choice(_LEADS) + rng.choice(_LEADS) + "".join(bits)
                     + rng.choice(["", "**", "】", "。", " ", ":", "*】。", "]."]))
    return lines


def test_heading_key_answers_as_before(corpus_lines):
    lines = corpus_lines + normalize_lines(_generated_lines(30000, seed=17)) + _generated_lines(5000, seed=18)
    found = 0
    for line in lines:
        old = _old_heading_key(line)
        assert sections._heading_key(line) == old, line
        assert sections.heading_key(line) == _old_heading_key_prefiltered(line), line
        found += old is not None
    assert found > 1000  # the lines hold headings, of every kind
    assert {sections._heading_key(ln)[0] for ln in lines if sections._heading_key(ln)} == set(SECTION_KEYS)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_HEADING_BITS + _LEADS), max_size=6).map("".join))
def test_heading_key_answers_as_before_on_any_mix(line):
    assert sections._heading_key(line) == _old_heading_key(line)
    assert sections.heading_key(line) == _old_heading_key_prefiltered(line)


def test_candidates_as_before(corpus_texts):
    for name, text in corpus_texts.items():
        norm = normalize_lines(split_lines(text))
        assert sections._candidates(norm) == _old_candidates(norm), name
        mixed = norm + normalize_lines(_generated_lines(300, seed=len(name)))
        assert sections._candidates(mixed) == _old_candidates(mixed), name


# ---------------------------------------------------------------------------------------------- normalize
_OLD_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{normalize._TONED}ü]*[{normalize._TONED}])"
                         rf"[a-z{normalize._TONED}ü]{{1,8}}\)")
# Pieces of text around pinyin, with the edges of the CJK range (U+4E00, U+9FFF) and the characters just outside.
_PINYIN_PIECES = ["运", "输", "\u4e00", "\u9fff", "\u4dff", "\ua000", "ぁ", "a", "(", ")", "((", "yùn", "shū", "yun",
                  "ǚ", "ü", "zhǎngchéng", "shuāngbā", "x", " ", "\n", "（", "）"] + list(normalize._TONED)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.lists(st.one_of(st.sampled_from(_PINYIN_PIECES),  # loose pieces, and char + (pinyin)
                                    st.builds("{}({}){}".format, st.sampled_from(_PINYIN_PIECES),
                                              st.sampled_from(_PINYIN_PIECES), st.sampled_from(_PINYIN_PIECES))),
                          max_size=8).map("".join),
                 st.text(alphabet="".join(_PINYIN_PIECES), max_size=30)))
def test_pinyin_pattern_matches_as_before(text):
    assert [m.span() for m in normalize._PINYIN.finditer(text)] == [m.span() for m in _OLD_PINYIN.finditer(text)]
    assert normalize._PINYIN.sub("", text) == _OLD_PINYIN.sub("", text)


def test_pinyin_pattern_on_reports(corpus_texts):
    texts = list(corpus_texts.values()) + ["運(yùn)輸(shū)", "运(yùn)输 (shū)", "运((yùn)", "(yùn)", "a(yùn)", "中(yun)"]
    assert sum(len(_OLD_PINYIN.findall(normalize._ascii_forms(t))) for t in texts) >= 2
    for text in texts:
        text = normalize._ascii_forms(text)
        assert normalize._PINYIN.sub("", text) == _OLD_PINYIN.sub("", text)


# ---------------------------------------------------------------------------------------------- metadata
_NAME_EDGES = re.compile(r"^[*#\s]+|[*#\s。.,,:]+$")


def _old_clean_name(s: str) -> str:
    return _NAME_EDGES.sub("", s)


def _old_signoff_name(s: str) -> str:
    """The old sign-off line cleaning of ``_agency_candidates``."""
    s2 = metadata._CN_DATE.sub("", s)
    s2 = metadata._ISO_END.sub("", s2)
    s2 = _old_clean_name(s2)
    return s2


def _old_classify(doc: Doc, sections: dict[str, Section], title: str, lines: list[tuple[int, str]],
                  text: str | None = None) -> str:
    _squeeze, _TABLE_LABELS, _NOTICE, _STATS = metadata._squeeze, metadata._TABLE_LABELS, metadata._NOTICE, metadata._STATS
    _PROSE_COUNT, has_numeric_cell = metadata._PROSE_COUNT, metadata.has_numeric_cell
    if text is None:
        text = _squeeze("".join(doc.norm))
    labels = sum(1 for w in _TABLE_LABELS if w in text)
    structured = len(sections) >= 3 or labels >= 4
    head = "".join(s for _, s in lines[:6])[:120]
    report_title = bool(title) and not _NOTICE.match(title)
    if not structured:
        shown = title or head[:40]
        if _STATS.search(head) and not report_title:
            return f"a statistics release, not an annual report (title: {shown})"
        if title and _NOTICE.match(title) or (not title and _NOTICE.match(head[:60] or "")):
            return f"a notice, not an annual report (title: {shown})"
        if not report_title:
            return (f"no annual-report title (…年度报告) and no section structure ({len(sections)} of 6 part "
                    f"headings, {labels} table labels)")
        return ""
    if labels >= 4 and not _PROSE_COUNT.search(text) and not has_numeric_cell(doc):
        # A prose-only report (tables given as sentences) names the same labels but states counts.
        # (One regex over the text first: cheaper than the line-by-line cell scan, and most reports state counts.)
        return f"blank form: {labels} table labels but no numbers in any cell or sentence"
    return ""


# Whitespace of every kind \s knows, the edge characters, dates (with digits \d takes and ones it does not: ²).
_NAME_ALPHABET = ("*#。.,:， \t\n\u3000\xa0\x1c\x85\u2028\u2009" + "白山市交通运输局办公室委员会" + "2023年1月16日十二〇"
                  + "0123456789-/" + "١٣２²")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_NAME_ALPHABET, max_size=30))
def test_name_cleaning_as_before(s):
    assert metadata._clean_name(s) == _old_clean_name(s)
    assert metadata._clean_name(metadata._without_dates(s)) == _old_signoff_name(s)


def test_name_cleaning_as_before_on_reports(corpus_lines):
    lines = corpus_lines + [metadata._squeeze(ln) for ln in corpus_lines]
    lines += ["白山市交通运输局 2023年1月16日", "白山市交通运输局2023-01-16", "**白山市交通运输局**。", "2023.1.16",
              "二〇二三年一月十六日", "白山市交通运输局2023年1月16", "白山市交通运输局2023-01-١٦", "局2023-01-1²"]
    for s in lines:
        assert metadata._clean_name(s) == _old_clean_name(s), s
        assert metadata._clean_name(metadata._without_dates(s)) == _old_signoff_name(s), s


def _docs(texts: dict[str, str]) -> list[Doc]:
    return [make_doc(text.encode("utf-8"), name) for name, text in texts.items()]


def _old_agency_candidates(lines: list[tuple[int, str]], title: str, title_idx: list[int]) -> list[tuple[str, str]]:
    """(source, name) in order of trust: publisher line, title, line above the title, sign-off."""
    out: list[tuple[str, str]] = []
    for _, s in lines[:15]:
        m = _PUBLISHER.search(s)
        if m and _AGENCY.match(_old_clean_name(m.group(1))):
            out.append(("publisher", _old_clean_name(m.group(1))))
    if title:
        name = _name_in_title(title)
        if name:
            out.append(("title", name))
    if title_idx:
        for i, s in lines[:40]:
            if i in title_idx:
                continue
            if i > title_idx[-1]:
                break
            if title_idx[0] - i <= 4 and _AGENCY.match(s) and len(s) <= 30:
                out.append(("above_title", s))
    for _, s in reversed(lines[-8:]):
        s2 = _CN_DATE.sub("", s)
        s2 = _ISO_END.sub("", s2)
        s2 = _old_clean_name(s2)
        if 3 <= len(s2) <= 30 and _AGENCY.match(s2) and not _SIGNOFF_PUNCT.search(s2):
            out.append(("signoff", s2))
            break
    return out


def _old_find_published(lines: list[tuple[int, str]], year: int | None) -> tuple[str, int | None]:
    """ISO date printed as the publication date (labelled, or a date line in the sign-off) and its line."""

    def ok(iso: str) -> bool:
        return bool(iso) and (year is None or year <= int(iso[:4]) <= year + 3)

    def first_date(s: str) -> str:
        m = _ISO.search(s)
        if m:
            return _date(*m.groups())
        m = _CN_DATE.search(s)
        return _date(*m.groups()) if m else ""

    for i, s in lines[:20]:
        m = _PUB_DATE_LABEL.search(s)
        if m:
            iso = first_date(s[m.end():m.end() + 24])
            if ok(iso):
                return iso, i + 1
    for i, s in reversed(lines[-8:]):
        if len(s) > 40:
            continue
        m = _CN_DATE.search(s) or _ISO.search(s)
        if m and (m.end() == len(s) or len(s) - m.end() <= 2):
            iso = _date(*m.groups())
            if ok(iso):
                return iso, i + 1
    for i, s in lines[:20]:
        m = _WRITTEN_LABEL.search(s)
        if m:
            iso = first_date(s[m.end():m.end() + 24])
            if ok(iso):
                return iso, i + 1
    return "", None


# Head and sign-off lines as _nonempty gives them (squeezed), with labels, dates and names.
_META_PIECES = ["发布机构:", "发布机构", "发文机关:", "来源单位:", "公开主体", ":", "白山市交通运输局", "交通运输局", "**", "。",
                "发布日期:", "发布时间", "发布于", "成文日期:", "生成日期", "日期", "发布", "2023-01-16", "2023年1月16日",
                "二〇二三年一月十六日", "2021年12月31日", "2023.1.5", "年", "月", "日", "16", "1", "2022年政府信息公开工作年度报告",
                "联系人", ",", "行政"]


def _meta_lines(rng: random.Random, n: int) -> list[tuple[int, str]]:
    return [(i, "".join(rng.choice(_META_PIECES) for _ in range(rng.randint(0, 5)))) for i in range(n)]


def test_agency_candidates_and_published_as_before(corpus_texts):
    rng = random.Random(8)
    cases = []
    for doc in _docs(corpus_texts):
        lines = metadata._nonempty(doc)
        cases.append((lines, *metadata.find_title(lines, None)))
    for _ in range(3000):
        lines = _meta_lines(rng, rng.randint(0, 30))
        idx = sorted(rng.sample(range(len(lines)), min(len(lines), rng.randint(0, 2))))
        cases.append((lines, "".join(s for i, s in lines if i in idx), idx))
    found = {"publisher": 0, "signoff": 0, "published": 0}
    for lines, title, idx in cases:
        got = metadata._agency_candidates(lines, title, idx)
        assert got == _old_agency_candidates(lines, title, idx), (lines, title, idx)
        for source, _ in got:
            found[source] = found.get(source, 0) + 1
        for year in (None, 2022, 2020):
            got = metadata.find_published(lines, year)
            assert got == _old_find_published(lines, year), (lines, year)
            found["published"] += bool(got[0])
    assert min(found.values()) > 50, found


def test_classify_as_before(corpus_texts):
    """Whole reports, and cut, thinned and blanked (digits gone) copies that take the other branches."""
    rng = random.Random(4)
    texts = dict(corpus_texts)
    for name, text in corpus_texts.items():
        lines = text.split("\n")
        texts[f"cut_{name}"] = "\n".join(lines[:rng.randint(3, len(lines))])
        texts[f"thin_{name}"] = "\n".join(x for x in lines if rng.random() > 0.5)
        texts[f"blank_{name}"] = re.sub(r"\d", "", text)
        texts[f"head_{name}"] = "\n".join(lines[:12])
        texts[f"middle_{name}"] = "\n".join(lines[len(lines) // 3:len(lines) // 3 + 8])
    texts["notice"] = "关于印发2022年政务公开工作要点的通知\n各单位：\n现将要点印发给你们。"
    texts["stats"] = "某市2022年国民经济和社会发展统计公报\n全年地区生产总值1000亿元。"
    reasons = set()
    for doc in _docs(texts):
        secs = sections.split_sections(doc.norm, doc.raw)
        lines = metadata._nonempty(doc)
        title = metadata.find_title(lines, None)[0]
        # classify looks only at how many parts were found: every number of them, with and without a title
        for sec in [secs] + [dict.fromkeys(SECTION_KEYS[:n]) for n in range(7)]:
            for t in (title, ""):
                got = metadata.classify(doc, sec, t, lines)
                assert got == _old_classify(doc, sec, t, lines), doc.report_id
                reasons.add(got.split(":")[0].split(" (")[0])
    assert len(reasons) >= 3, reasons  # the branches were taken


def test_metadata_as_before(corpus_texts, monkeypatch):
    docs = _docs(corpus_texts)
    fast = [metadata.extract_metadata(d, sections.split_sections(d.norm, d.raw)) for d in docs]
    monkeypatch.setattr(metadata, "_clean_name", _old_clean_name)
    monkeypatch.setattr(metadata, "_without_dates", lambda s: metadata._ISO_END.sub("", metadata._CN_DATE.sub("", s)))
    monkeypatch.setattr(metadata, "classify", _old_classify)
    monkeypatch.setattr(metadata, "_agency_candidates", _old_agency_candidates)
    monkeypatch.setattr(metadata, "find_published", _old_find_published)
    plain = [metadata.extract_metadata(d, sections.split_sections(d.norm, d.raw)) for d in docs]
    assert sum(1 for m, _ in fast if m["agency"]) > 20
    assert fast == plain


_OLD_PROSE_COUNT = re.compile(r"\d[件条项宗起次个]")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789件条项宗起次个年月日，。 a١²\n", max_size=14))
def test_prose_count_found_where_it_was(text):
    assert bool(metadata._PROSE_COUNT.search(text)) == bool(_OLD_PROSE_COUNT.search(text))


def test_prose_count_found_where_it_was_in_reports(corpus_texts):
    texts = [metadata._squeeze(t) for t in corpus_texts.values()]
    texts += [re.sub(r"\d[件条项宗起次个]", "", t) for t in texts]
    assert {bool(metadata._PROSE_COUNT.search(t)) for t in texts} == {True, False}
    for text in texts:
        assert bool(metadata._PROSE_COUNT.search(text)) == bool(_OLD_PROSE_COUNT.search(text))


# ---------------------------------------------------------------------------------------------- textio
_COMMON, _BOMS, _MAGIC, _utf16_without_bom = textio._COMMON, textio._BOMS, textio._MAGIC, textio._utf16_without_bom


def _old_decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`LoadError` for empty, binary or undecodable files."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise LoadError("decode", "empty", "the file is empty or holds only whitespace")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", " (BOM)") if enc == "utf-8-sig" else f"{enc} (BOM)"
            except UnicodeDecodeError as e:
                raise LoadError("decode", "undecodable", f"has a {enc} byte-order mark but is not valid {enc}: {e}")
    for magic, what in _MAGIC:
        if what and data.startswith(magic):
            raise LoadError("decode", "not text", f"the file is {what}, not a text report")
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess:
            return guess
        raise LoadError("decode", "not text", "binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = _old_utf8_with_few_errors(data)
    if lenient:
        return lenient
    candidates = []
    for enc in ("gbk", "gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((len(_COMMON.findall(text)), enc, text))
        if enc == "gbk":
            # gb18030 decodes whatever gbk does, identically; skip it.
            break
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score:
            return text, enc
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive: the detector itself failed
        best = None
    if best is not None and _COMMON.search(str(best)):
        return str(best), best.encoding
    raise LoadError("decode", "undecodable", "not UTF-8, GBK/GB18030, Big5 or UTF-16, and no Chinese text recognised")


def _old_utf8_with_few_errors(data: bytes) -> tuple[str, str] | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(3, len(data) // 2000) and _COMMON.search(text):
        return text, f"utf-8 ({bad} invalid byte{'s' if bad > 1 else ''} replaced)"
    return None


def _outcome(fn, data: bytes):
    try:
        return fn(data)
    except LoadError as e:
        return ("LoadError", e.stage, e.error, e.detail)


# Bytes that are UTF-8, GBK, Big5 and broken UTF-8 (a lead byte cut off, a stray byte, a literal U+FFFD).
_BYTE_PIECES = [b"\xef\xbf\xbd", b"\x80", b"\xe4", b"\xe4\xb8", b"\xf0\x90\x80", b"\xff", b"\xc3", b" ", b"\n", b"a",
                "政府信息公开".encode(), "政府信息公开".encode("gbk"), "政府資訊公開".encode("big5"), "中".encode("gb18030"),
                "\u20ac".encode("gb18030"), "年度报告".encode() * 50, "年度报告".encode("gbk") * 50]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BYTE_PIECES), max_size=40).map(b"".join))
def test_utf8_with_few_errors_as_before(data):
    assert textio._utf8_with_few_errors(data) == _old_utf8_with_few_errors(data)


def test_utf8_with_few_errors_at_the_edge_of_the_head():
    """The head test is exact: a text whose head holds budget + 1 replacements (one a cut character) is read."""
    body = "政府信息公开年度报告".encode() * 200  # 6,000 bytes: a budget of 3
    for cut in range(textio._HEAD - 6, textio._HEAD + 6):
        for bad in range(0, 7):
            data = b"\x80" * bad + body[:cut - bad] + b"\xe4" + body[cut - bad:]
            assert textio._utf8_with_few_errors(data) == _old_utf8_with_few_errors(data), (cut, bad)


def test_decode_as_before(corpus_texts):
    datas = [b"", b"  \n", b"%PDF-1.4", b"\x89PNG\r\n", "政府信息公开".encode("utf-16-le")]
    for text in list(corpus_texts.values())[:12]:
        for enc in ("utf-8", "gbk", "gb18030", "big5", "utf-16", "utf-8-sig"):
            data = text.encode(enc, errors="replace")
            datas += [data, data[:1001], data[:1000] + b"\xff" + data[1000:], data + b"\xe4"]
    outcomes = [_outcome(textio.decode, d) for d in datas]
    assert outcomes == [_outcome(_old_decode, d) for d in datas]
    assert {o[1] for o in outcomes} >= {"gbk", "big5", "utf-8", "utf-8 (1 invalid byte replaced)", "decode"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_BYTE_PIECES), max_size=30).map(b"".join))
def test_decode_as_before_on_any_mix(data):
    assert _outcome(textio.decode, data) == _outcome(_old_decode, data)


def test_namesakes_built_lazily_find_the_same_stems():
    """A county borne by one place too: its matcher, built on first use, finds each stem as ``in`` does."""
    _, by_name, _ = metadata._gazetteer()
    rng = random.Random(6)
    counties = sorted(by_name)[::40] + sorted(c for c, codes in by_name.items() if len(codes) > 1)
    for county in counties:
        sakes = metadata._Namesakes(county)
        stems = sorted({s for st in sakes.stems for s in st})
        assert stems
        for _ in range(5):
            text = "".join(rng.sample(stems, min(len(stems), rng.randint(0, 3)))) + "交通运输局" + county
            assert sakes.mentioned(text) == {s for s in stems if len(s) >= 2 and s in text}


def _old_choose_agency(lines: list[tuple[int, str]], text: str, title: str, title_idx: list[int]
                       ) -> tuple[str, str, str]:
    """(agency, alias, source). ``alias`` is the title's variant when it differs from the agency."""
    cands = metadata._agency_candidates(lines, title, title_idx)
    if not cands:
        return "", "", ""
    placed = [c for c in cands if metadata._region(c[1])[0]]
    source, name = (placed or cands)[0]
    name = metadata._qualify(name, text)
    full = metadata._fullest(name, text)
    # a later source may spell it more fully than the first (title 交通局, sign-off 交通运输局)
    for _, other in cands:
        if len(other) > len(full) and metadata._is_subsequence(full, other) and other[-1] == full[-1]:
            full = other
    title_name = next((n for s, n in cands if s == "title"), "")
    alias = title_name if title_name and title_name != full else ""
    return full, alias, source


_CANDIDATE_NAMES = ["白山市交通运输局", "交通运输局", "本局", "衡水市交通运输局", "朝阳区教育局", "中心城区管理局", "市交通运输局",
                    "湛河区交通局", "湛河区交通运输局", "办公室"]


def test_choose_agency_as_before(monkeypatch):
    rng = random.Random(12)
    text = "白山市交通运输局衡水市交通运输局湛河区交通运输局朝阳区教育局"
    sources = ("publisher", "title", "above_title", "signoff")
    seen = set()
    for _ in range(400):
        cands = [(rng.choice(sources), rng.choice(_CANDIDATE_NAMES)) for _ in range(rng.randint(0, 4))]
        monkeypatch.setattr(metadata, "_agency_candidates", lambda *a, _c=cands: list(_c))
        got = metadata.choose_agency([], text, "", [])
        assert got == _old_choose_agency([], text, "", []), cands
        seen.add(got[2])
    assert seen >= set(sources)


# ---------------------------------------------------------------------------------------------- ascii forms
_WIDTH_ALPHABET = "".join(chr(c) for c in normalize._WIDTH) + "政府信息公开，（）：；、 \n\t1a"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_WIDTH_ALPHABET, max_size=60))
def test_ascii_forms_is_translate(text):
    assert normalize._ascii_forms(text) == text.translate(normalize._WIDTH)


def test_ascii_forms_is_translate_on_reports(corpus_texts):
    for text in corpus_texts.values():
        assert normalize._ascii_forms(text) == text.translate(normalize._WIDTH)


def _old_normalize_line(line: str) -> str:
    if "<" in line and normalize._TAG.search(line):
        line = normalize._html_markup(line)
    line = line.translate(normalize._WIDTH)
    if "(" in line:
        line = _OLD_PINYIN.sub("", line)
    return line


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_WIDTH_ALPHABET + "<td>/tr&amp;运(yùn)", max_size=60))
def test_normalize_line_as_before(line):
    assert normalize.normalize_line(line) == _old_normalize_line(line)


def test_normalize_line_as_before_on_reports(corpus_lines, corpus_texts):
    lines = corpus_lines + [ln for text in corpus_texts.values() for ln in split_lines(text)]
    lines += ["<tr><td>政府信息公开</td><td>１２</td></tr>", "绥江县人民政府网 (<http://www.gov.cn/>) 查阅（联系）"]
    for line in lines:
        assert normalize.normalize_line(line) == _old_normalize_line(line)
