"""The prose stages' fast paths (issue 7) give exactly what the plain code they replace gives.

Each speed-up swapped a plain step for a cheaper one with the same answer:

* figures: lines with no number skip the line reader; unitless digits are tested before their value; the
  nil-request pattern is tried only where one of its first characters is; empty lines are dropped in C and
  the cheap in-table test runs before the table-row test;
* themes: a line keeps only the rules whose (context-free) pattern matches somewhere in it;
* problems: the heading search looks only at lines naming 问题/不足, the prose search only at paragraphs
  and attachment lines (both prefilters run in C);
* audit: the first figure of each metric is looked up in a dict built once.

The replaced code is kept below word for word (``_old_*``) and compared on generated input built from the
phrases each stage looks for, and on whole reports (the seeds and a fixed synthetic corpus). The prefilters
are also checked on their own: a line they drop could never have matched.
"""
from __future__ import annotations

import re
from itertools import chain
from pathlib import Path
from typing import Iterable

import pytest
from conftest import varied_reports
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import audit, figures, problems, themes
from helpers.audit import (APPLICANT_METRICS, OUTCOME_METRICS, _overall, _parts_text, _q, _row, _sum_case, breakdowns,
                           fmt, num)
from helpers.model import Doc, Section
from helpers.normalize import normalize_line, normalize_lines, to_simplified
from helpers.parse import make_doc
from helpers.sections import split_sections

ROOT = Path(__file__).resolve().parents[1]

_SPACES = (" ", "\u3000", "\t", "  ")


def _joined(pieces: tuple[str, ...], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


# ---------------------------------------------------------------------------------------------- real input
@pytest.fixture(scope="module")
def real_docs(tmp_path_factory) -> list[tuple[Doc, dict[str, Section]]]:
    """The seeds, 20 synthetic reports (benchmarks/synth.py, fixed seed) and cut or thinned copies of the
    seeds (so the fallbacks run: no problems heading, no tables), each with its sections."""
    data = varied_reports(tmp_path_factory.mktemp("synthetic"), 20, seed=5, rng_seed=11)
    for p in sorted((ROOT / "data" / "raw").glob("0*.txt")):
        lines = p.read_text(encoding="utf-8").split("\n")
        data[f"noheading_{p.name}"] = "\n".join(x for x in lines if "存在" not in x or len(x) > 40).encode()
    out = []
    for name, b in data.items():
        doc = make_doc(b, name)
        out.append((doc, split_sections(doc.norm, doc.raw)))
    assert len(out) >= 40
    return out


# ============================================================================================== figures
def _old_token(m: re.Match[str], s: str) -> figures.Token | None:
    pre, digits, chinese, wan, more, pct, unit = m.groups()  # the groups of _TOKEN, in order
    unit = "%" if pct else (unit or "")
    if chinese is not None:
        if not unit or unit == "%":
            return None  # Chinese numerals count only with a unit (一是, 十四五 are not numbers)
        n = figures.cn_number(chinese)
        if n is None:
            return None
        value: int | float = n * 100000000 if wan == "亿" else n  # 万 is inside the numeral already
    else:
        value = figures._digits_value(digits, wan)
    end = m.end()
    if not unit:
        if more or figures._NOT_COUNT_NEXT.match(s, end, end + 2) or s[max(0, m.start() - 1):m.start()] == "第":
            return None
    qualifier = "exact"
    after = s[end:end + 2]
    if more:
        qualifier = "lower_bound" if chinese is not None else "approx"
    elif pre in ("超过", "逾", "突破", "多于") or after.startswith("以上"):
        qualifier = "lower_bound"
    elif pre in ("约", "近", "大约", "接近") or after.startswith("左右"):
        qualifier = "approx"
    num_start, num_end = m.span(2) if digits is not None else m.span(3)
    printed = s[num_start:m.end(4) if wan else num_end]
    return figures.Token(start=m.start(), end=end, value=value, unit=unit, qualifier=qualifier, printed=printed)


def _old_requests_none(s: str) -> re.Match[str] | None:
    if "公开" not in s:  # every branch of _REQUESTS_NONE names 公开
        return None
    for m in figures._REQUESTS_NONE.finditer(s):
        if not re.search(figures._NOT_REVIEW, m.group(0)):
            return m
    return None


def _old_prose_lines(doc: Doc, sections: dict[str, Section]) -> list[int]:
    norm = doc.norm
    size = len(norm) + 1
    in_table = bytearray(size)  # in_table[n]: line n is inside section 二, 三 or 四
    for k, sec in sections.items():
        if k in ("proactive", "requests", "appeals"):
            a, b = max(sec.start, 1), min(sec.end, size - 1)
            if a <= b:
                in_table[a:b + 1] = b"\x01" * (b + 1 - a)
    problems = sections.get("problems")
    skip_a, skip_b = (problems.start, problems.end) if problems is not None else (1, 0)
    numbers: Iterable[int] = range(1, size)
    if skip_a <= skip_b:
        numbers = chain(range(1, min(skip_a, size)), range(max(skip_b + 1, 1), size))
    out = []
    for n in numbers:
        line = norm[n - 1]
        stripped = line.strip()
        if not stripped:
            continue
        if ("\t" in stripped or stripped.count("|") >= 2) and figures._is_table_row(stripped):
            continue
        if in_table[n] and (len(stripped) < 15 or not figures._PUNCT.search(line)):
            continue
        out.append(n)
    return out


def _old_extract_figures(doc: Doc, sections: dict[str, Section], year: int | None) -> tuple[list[dict], list[dict]]:
    F = figures
    rows: list[dict] = []
    warnings: list[dict] = []
    seen: dict[str, dict] = {}
    text = "\n".join(doc.raw)
    counts: dict[str, int] = {}
    F._totals_read.clear()

    def add(metric: str, value, unit: str, qualifier: str, quote: str | None, n: int) -> None:
        if quote is None:
            warnings.append({"line": n, "message": f"{metric}={value}: no unique verbatim quote; left out"})
            return
        row = {"report_id": doc.report_id, "metric": metric, "value": value, "unit": unit,
               "qualifier": qualifier, "quote": quote, "line": n}
        if metric in seen and metric not in F._MULTI:
            first = seen[metric]
            if first["value"] != value:
                warnings.append({"line": n, "message": f"{metric} stated again as {value} (first {first['value']} "
                                                       f"on line {first['line']}); the later one left out"})
            return
        seen[metric] = row
        rows.append(row)

    for n in _old_prose_lines(doc, sections):
        norm_line = doc.norm[n - 1]
        s = F._squeezed(norm_line)
        if not s:
            continue
        found, warn = F.read_line(s)
        if any(f.metric in F._PART_NAMES for f in found):
            F._totals_read[s] = found
        for w in warn:
            warnings.append({"line": n, "message": w})
        nil = _old_requests_none(s)
        if not found and nil is None:
            continue
        raw_line = doc.raw[n - 1]
        # squeezed index → column, only for lines that quote
        pos = F._positions(norm_line)
        nil_added = False
        for f in found:
            if nil is not None and not nil_added and f.token.start > nil.start():
                add("requests_received", 0, "件", "exact",
                    F._quote(raw_line, norm_line, s, pos, nil.start(), nil.end(), text, counts), n)
                nil_added = True
            t = f.token
            if not t.unit and year is not None and abs(t.value - year) <= 1:
                warnings.append({"line": n, "message": f"{f.metric}: unitless {t.printed} could be a year; left out"})
                continue
            add(f.metric, t.value, t.unit, t.qualifier,
                F._quote(raw_line, norm_line, s, pos, f.key_start, f.quote_end, text, counts), n)
        if nil is not None and not nil_added:
            add("requests_received", 0, "件", "exact",
                F._quote(raw_line, norm_line, s, pos, nil.start(), nil.end(), text, counts), n)
    return rows, warnings


# Report phrases the figure rules, the nil statement and the token reader look for; numbers in every
# printed form, units, what may follow a number, punctuation and spaces.
_FIG_PIECES = (
    "主动公开政府信息", "共", "累计", "发布各类信息", "12345", "12328", "热线", "话务量", "其中", "咨询", "投诉", "建议",
    "微信公众号", "粉丝", "关注用户", "网站", "收到", "受理", "政府信息公开申请", "依申请公开", "申请", "予以公开",
    "办结", "上年结转", "结转下年度", "复议", "诉讼", "行政许可", "行政处罚", "决定", "规范性文件", "废止", "政策解读",
    "《人民日报》刊发", "重大项目", "财政预算", "按时办结率", "满意度", "未", "没有", "无", "任何", "信息公开", "的",
    "事项", "情况", "为", "零", "数量", "第", "年", "月", "日", "号", "约", "近", "超过", "逾", "大约", "多于", "突破",
    "千", "百", "两千", "十二", "三", "一", "一是", "十四五", "12", "0", "7", "1,234", "5.65", "2024", "2023", "6887",
    "5.1万", "3亿", "件", "条", "篇", "项", "次", "人次", "条(次)", "个", "人", "户", "通", "%", "万元", "余", "多",
    "以上", "左右", "原创文章被人民日报采用", "（含上年结转2件）", "-", ".", "/", "，", "。", "；", "：", "（", "）",
)
fig_lines = _joined(_FIG_PIECES, 30)
fig_raw_lines = _joined(_FIG_PIECES + _SPACES + ("\t1\t2", "|a|3|", "表头\t数量"), 25)


@settings(max_examples=500, deadline=None)
@given(fig_lines)
def test_token_reads_as_before(s):
    for m in figures._TOKEN.finditer(s):
        assert figures._token(m, s) == _old_token(m, s), (s, m.span())


@settings(max_examples=500, deadline=None)
@given(fig_lines)
def test_nil_matches_are_finditer(s):
    assert [m.span() for m in figures._nil_matches(s)] == [m.span() for m in figures._REQUESTS_NONE.finditer(s)]
    got, ref = figures.requests_none(s), _old_requests_none(s)
    assert (got and got.span()) == (ref and ref.span())


def _old_hotline(text: str) -> str | None:
    a, b = figures._H12345.search(text), figures._H12328.search(text)
    if a and b:
        return "both"
    return "hotline_12345" if a else "hotline_12328" if b else None


_HOTLINE_PIECES = ("12345", "123456", "112345", "12328", "123280", "热线", "市长热线", "政务服务便民热线", "政务服务热线",
                   "便民服务热线", "市民热线", "交通运输服务监督电话", "监督电话", "话务量", "来电", "热线电话", "工单",
                   "转办件", "交办件", "转办", "受理", "全年", "共计", "达", "总量", "群众", "1", "、", "，", "。", "件")
hotline_clauses = _joined(_HOTLINE_PIECES + _FIG_PIECES[:40], 12)


@settings(max_examples=500, deadline=None)
@given(hotline_clauses, st.integers(0, 4))
def test_hotline_gates_drop_nothing(clause, gap):
    assert figures._hotline(clause) == _old_hotline(clause)
    for m in figures._HOTLINE_VOLUME.finditer(clause):
        assert figures._VOLUME_WORD.search(m.group(0)), m.group(0)
    got, ref = figures._volume(clause, gap), figures._keyed(figures._HOTLINE_VOLUME, clause, gap)
    assert (got and got.span()) == (ref and ref.span())


def test_hotline_gates_pass_the_named_hotlines():
    for text, want in (("12345热线", "hotline_12345"), ("市长热线", "hotline_12345"), ("交通运输服务监督电话", "hotline_12328"),
                       ("12345、12328", "both"), ("123456", None)):
        assert figures._hotline(text) == _old_hotline(text) == want
    assert figures._volume("全年受理话务量", 2).group(0) == "全年受理话务量"


def _old_near(keys: list[tuple[re.Pattern[str], int]]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{k.pattern})(?=[\s\S]{{0,{gap}}}\Z)" for k, gap in keys))


_NEAR_TABLES = [figures._NOT_DECISIONS_BY_UNIT, figures._PROACTIVE_PARTS_BY_UNIT, figures._RULES_BY_UNIT]
_PLAIN_NEARS = [(near, _old_near([(r.key, r.gap) for r in rules]))
                for table in _NEAR_TABLES for rules, near in table.values() if near is not None]
_PLAIN_NEARS += [(r.near, _old_near([(r.key, r.gap)]))
                 for r in figures._NOT_DECISIONS + figures._PROACTIVE_PARTS + figures._RULES]


@settings(max_examples=500, deadline=None)
@given(fig_lines)
def test_near_with_its_first_characters_is_the_plain_union(s):
    """The lookahead for a key's first characters changes no answer, for every clause ending in s."""
    for i in range(0, len(s) + 1, 2):
        clause = s[:i]
        for near, plain in _PLAIN_NEARS:
            assert (near.search(clause) is None) == (plain.search(clause) is None), (plain.pattern, clause)


def test_the_unions_open_with_their_first_characters():
    """The by-unit unions (the gates re cannot jump through by itself) carry the lookahead."""
    for table in _NEAR_TABLES:
        for _, near in table.values():
            assert near is None or near.pattern.startswith("(?=[")


@pytest.mark.parametrize("pattern,chars,nullable", [
    ("ab|cd", "ac", False), ("(?:共|累计)?收到", "共收累", False), ("[a-c]x", "abc", False),
    ("(?<![拟议])废止", "废", False), ("“?(?:一|主)", "“一主", False), ("a*b", "ab", False), ("(?:a|b?)c", "abc", False),
    ("x{2,3}", "x", False), ("^ab", "a", False), ("(a)(?=b)c", "a", False), ("a?", "a", True), ("", "", True),
    (".a", None, False), ("[^a]b", None, False), (r"\db", None, False), ("(?i:a)b", None, False),
    (r"(a)\1", "a", False), ("[\u4e00-\u9fff]", None, False), ("(?:a|.)", None, False), ("a?.", None, False),
])
def test_first_of(pattern, chars, nullable):
    from re import _constants as sre, _parser as parser

    got, null = figures._first_of(parser.parse(pattern), sre)
    assert (None if got is None else "".join(sorted(got)), null) == (chars, nullable)


@pytest.mark.parametrize("pattern,chars", [
    ("(?:共|累计)?收到", "共收累"), ("(?<![拟议])废止", "废"), ("“?(?:一|主)", "“一主"), ("(?:ab|c?d)e", "acd"),
    ("ab|cd", None), ("[a-c]x", None), ("(a)bc", None), ("abc", None),  # re jumps between these itself
    ("a?", None), ("(?i)(?:ab|c?d)", None), (".?a", None),
])
def test_first_chars(pattern, chars):
    assert figures._first_chars(pattern) == chars


def test_nil_statements_are_found():
    """A guard against comparing two Nones: the generated pieces do form nil statements."""
    for s in ("本年度未收到政府信息公开申请", "无政府信息公开事项。", "依申请公开数量为0件", "没有依申请公开情况"):
        assert figures.requests_none(s) is not None and figures.requests_none(s).span() == _old_requests_none(s).span()
    assert figures.requests_none("未收到行政复议申请") is None


# Blank lines, and punctuated lines around the 15 characters a line inside tables 二-四 needs to be prose.
_FIG_EDGE_LINES = ("", "", " ", "\u3000", *("字" * k + "，" for k in range(12, 17)),
                   *(" " + "字" * k + "。 " for k in (13, 14)))
_SECTION_SPANS = st.lists(st.tuples(st.sampled_from(["problems", "proactive", "requests", "appeals", "overview"]),
                                    st.integers(-2, 14), st.integers(-2, 14)), max_size=4)


def _doc(lines: list[str]) -> Doc:
    return Doc("t", lines, normalize_lines(lines))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(fig_raw_lines, st.sampled_from(_FIG_EDGE_LINES)), min_size=1, max_size=12),
       _SECTION_SPANS, st.sampled_from([None, 2023, 2024]))
def test_extract_figures_is_the_plain_loop(lines, spans, year):
    sections = {k: Section(k, "", None, a, b) for k, a, b in spans}
    doc = _doc(lines)
    assert figures._prose_lines(doc, sections) == _old_prose_lines(doc, sections)
    got = figures.extract_figures(doc, sections, year)
    got_totals = dict(figures._totals_read)
    assert got == _old_extract_figures(doc, sections, year)
    assert got_totals == figures._totals_read


@settings(max_examples=300, deadline=None)
@given(fig_raw_lines)
def test_breakdowns_squeeze_is_squeeze(line):
    """breakdowns squeezes with str.split and maps with _positions: _squeeze's two halves."""
    assert (figures._squeezed(line), figures._positions(line)) == figures._squeeze(line)


def test_real_reports_read_the_same_figures(real_docs):
    n_rows = 0
    for doc, sections in real_docs:
        assert figures._prose_lines(doc, sections) == _old_prose_lines(doc, sections), doc.report_id
        got = figures.extract_figures(doc, sections, 2022)
        got_totals = dict(figures._totals_read)
        assert got == _old_extract_figures(doc, sections, 2022), doc.report_id
        assert got_totals == figures._totals_read
        n_rows += len(got[0])
    assert n_rows > 50  # the reports were really read


# ============================================================================================== themes
_THEME_SPACES = re.compile(r"\s+")


def _old_squeezed(raw_line: str) -> tuple[str, list[int], str]:
    norm = normalize_line(to_simplified(raw_line))
    source = raw_line if len(norm) == len(raw_line) else norm
    idx = [i for i, c in enumerate(norm) if not c.isspace()]
    return "".join(norm[i] for i in idx), idx, source


def _old_tag_text(text: str, line_start: int = 1) -> list[dict]:
    order = themes._order()
    found: list[tuple[int, int, int, str, str]] = []  # (line, sentence, theme order, theme, evidence)
    for k, raw_line in enumerate(text.split("\n")):
        sq, idx, source = _old_squeezed(raw_line)
        if not sq:
            continue
        seen: set[tuple[int, str]] = set()
        sentence, pos = 0, 0
        for m in themes._CLAUSE_END.finditer(sq + "。"):
            clause_start, clause = pos, sq[pos:m.start()]
            pos = m.end()
            for rule in themes.rules():
                if (sentence, rule.theme) in seen or not clause:
                    continue
                if rule.exclude is not None and rule.exclude.search(clause):
                    continue
                hit = rule.pattern.search(clause)
                if hit and hit.end() > hit.start():
                    a, b = idx[clause_start + hit.start()], idx[clause_start + hit.end() - 1] + 1
                    seen.add((sentence, rule.theme))
                    found.append((line_start + k, sentence, order[rule.theme], rule.theme, source[a:b]))
            if themes._SENTENCE_END.match(m.group(0)):
                sentence += 1
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [{"theme": t, "evidence": ev, "line": ln} for ln, _, _, t, ev in found]


# Topic words, deficiency words and whole admissions of data/text/theme_rules.csv, with the words its
# excludes name, punctuation (clause and sentence ends), spaces, traditional forms and line breaks.
_THEME_PIECES = (
    "队伍建设", "工作人员", "人员", "人手", "力量", "兼职", "专职人员", "业务能力", "专业", "培训", "素质", "意识",
    "重视", "认识", "机制", "制度", "协调", "考核", "审核", "公开内容", "内容", "范围", "深度", "质量", "数量",
    "更新", "发布", "信息", "时效性", "及时性", "解读", "政策解读", "图解", "网站", "栏目", "平台", "渠道", "专栏",
    "新媒体", "微信", "微博", "公众号", "答复", "办理", "依申请公开", "受理", "创新", "方式", "形式", "互动", "回应",
    "参与", "获取", "查询", "有待", "有待加强", "有待进一步提高", "亟待", "需要进一步", "不够", "不足", "不强",
    "不及时", "滞后", "单一", "较低", "不高", "紧张", "变动频繁", "缺乏", "缺少", "没有", "未", "尚未建立", "不熟悉",
    "超期", "不规范", "陈旧", "不便", "不够全面", "不够重视", "被动公开", "空白栏目", "关注度", "主动", "的", "还",
    "是", "，", "。", "；", "：", "！", "、", " ", "\u3000", "\n", "資訊", "隊伍", "工作人員均為兼職，人員變動頻繁。",
    "信息公开工作人员均为兼职，人员变动频繁。", "政策解读形式较为单一。", "网站栏目设置不够科学。",
    "回应社会关切不够及时。", "公开方式方法有待创新。", "依申请公开答复还不够规范。",
)
theme_texts = _joined(_THEME_PIECES, 40)


@settings(max_examples=500, deadline=None)
@given(theme_texts, st.integers(1, 500))
def test_tag_text_is_the_plain_clause_loop(text, line_start):
    assert themes.tag_text(text, line_start) == _old_tag_text(text, line_start)


@settings(max_examples=300, deadline=None)
@given(theme_texts)
def test_a_rule_missing_the_line_misses_each_clause(text):
    """The line gate drops nothing: a gated rule that fires in a clause fires in the line around it."""
    for line in text.split("\n"):
        sq, _, _ = themes._squeezed(line)
        clauses = re.split(r"[，,：:。；;！!？?]", sq)
        for rule, free in themes._gated():
            if free and any(rule.pattern.search(c) for c in clauses):
                assert rule.pattern.search(sq), (rule.pattern.pattern, sq)


def test_squeezed_positions_are_the_plain_ones():
    for line in ("", " ", "a b\u3000c\t d", "工作 人員\u3000均為兼職。", "\u2028x\u00a0y ", "abc"):
        assert themes._squeezed(line) == _old_squeezed(line)


@pytest.mark.parametrize("pattern,free", [
    ("队伍.{0,8}?不足", True), ("(?:新媒体|微信)[^。]{0,8}?不高", True), ("[a^$]b", True), (r"\.b", True),
    ("^队伍", False), ("队伍$", False), ("(?<!拟)废止", False), ("(?<=拟)废止", False), ("废止(?=的)", False),
    ("废止(?!的)", False), (r"\bab", False), (r"\Aab", False), (r"ab\Z", False), (r"(a)\1", False),
    ("(?P<x>a)(?P=x)", False), ("(a)?(?(1)b|c)", False), (r"\Bab", False),
])
def test_context_free_is_conservative(pattern, free):
    assert themes._context_free(pattern) is free


def test_every_rule_is_gated():
    """The rules of data/text/theme_rules.csv are all context-free today (else the gate does nothing)."""
    assert all(free for _, free in themes._gated())
    assert [r for r, _ in themes._gated()] == list(themes.rules())


def test_real_problems_texts_get_the_same_themes(real_docs):
    n = 0
    for doc, sections in real_docs:
        rows, _ = problems.extract_problems(doc, sections)
        for r in rows:
            got = themes.tag_text(r["text"], r["line_start"])
            assert got == _old_tag_text(r["text"], r["line_start"]), doc.report_id
            n += len(got)
    assert n > 20


# ============================================================================================== problems
def _old_find_heading(doc: Doc, sq: list[str] | None = None) -> tuple[int, str] | None:
    P = problems
    if sq is None:
        sq = [P._sq(line) for line in doc.norm]
    for i, s in enumerate(sq, start=1):
        if P._is_heading_sq(s):
            return i, "heading"
    # D151-style: no part heading, only (一)存在问题 … (二)进一步整改 blocks
    for i, s in enumerate(sq, start=1):
        if len(s) <= P._MAX_HEADING and P._SUBHEAD.match(s):
            return i, "subheads"
    # no heading at all, but a label opens the problems text: 存在的主要问题：一是…
    for i, s in enumerate(sq, start=1):
        if P._LABEL.match(s):
            return i, "label"
    return None


def _old_prose_span(doc: Doc, sq: list[str] | None = None) -> tuple[int, int] | None:
    P = problems
    if sq is None:
        sq = [P._sq(line) for line in doc.norm]
    paras: list[int] = []
    for n, s in enumerate(sq, start=1):
        if P._ATTACHMENT.match(s) and len(s) <= 20:
            paras.append(-n)  # marks the end of the prose
            continue
        if P._is_paragraph_sq(s):
            paras.append(n)
    best: tuple[int, int] | None = None
    for k, n in enumerate(paras):
        if n < 0:
            continue
        s = sq[n - 1]
        if not P._ADMISSION.search(s):
            continue
        if not (P._CONCESSION.search(s) or P._PROBLEM_START.match(s)):
            continue
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if nxt is not None and nxt > 0 and P._PLANS_START.match(sq[nxt - 1]):
            best = (n, P._paragraphs_end(doc, nxt))
        elif nxt is None or nxt < 0:
            best = (n, n)
    return best


# Whole lines a problems part is found by (headings, sub-heads, labels, admissions, plans, attachments) and
# pieces to build others from, so lines of every length around the 20- and 40-character limits occur.
_PROBLEM_LINES = (
    "五、存在的主要问题及改进情况", "六、存在问题及整改措施", "存在的主要问题及改进措施", "(一)存在问题", "(二)改进措施",
    "四、主要措施、存在的主要问题及下一步工作打算", "存在的主要问题：一是公开内容不够全面。", "存在问题：", "问题和不足",
    "虽然我局政务公开工作取得了一定成效，但仍存在一些不足，主要是公开内容不够全面。",
    "存在的问题是信息更新不够及时，队伍建设有待加强。", "下一步，我局将进一步加强政务公开工作，提升公开质量。",
    "2023年，我局将继续做好信息公开工作，加强队伍建设。", "附件：1.政府信息公开情况统计表", "附表", "附件",
    "一、总体情况", "全年主动公开政府信息1200条。", "五、下一步工作打算", "", " ", "\u3000",
)
_PROBLEM_PIECES = ("存在", "问题", "不足", "主要", "的", "及", "改进", "情况", "差距", "仍", "但", "虽然", "下一步",
                   "附件", "附表", "：", "，", "。", "；", "、", "(一)", "五、", "1.", "工作", "信息公开", "公开内容",
                   "我局", "将", "2023年", " ", "\u3000", "一是", "不够全面", "有待加强")
problem_lines = st.one_of(st.sampled_from(_PROBLEM_LINES), _joined(_PROBLEM_PIECES, 30))


@settings(max_examples=500, deadline=None)
@given(st.lists(problem_lines, max_size=14))
def test_problem_finders_are_the_plain_loops(lines):
    doc = _doc(lines)
    sq = [problems._sq(line) for line in doc.norm]
    assert problems._sq_all(doc.norm) == sq
    assert problems._find_heading(doc) == _old_find_heading(doc)
    assert problems._find_heading(doc, sq) == _old_find_heading(doc, sq)
    assert problems._prose_span(doc) == _old_prose_span(doc)
    assert problems._prose_span(doc, sq) == _old_prose_span(doc, sq)


@settings(max_examples=500, deadline=None)
@given(problem_lines)
def test_problem_prefilters_drop_nothing(line):
    s = problems._sq(normalize_line(line))
    if problems._is_heading_sq(s) or problems._SUBHEAD.match(s) or problems._LABEL.match(s):
        assert problems._PROBLEM_WORD.search(s)
    if (problems._ATTACHMENT.match(s) and len(s) <= 20) or problems._is_paragraph_sq(s):
        assert problems._PARA_OR_ATTACHMENT.match(s)


def test_the_generated_lines_reach_every_finding():
    """A guard against comparing Nones: the generator's lines do find headings, sub-heads, labels, prose."""
    for lines, want in ((["一、总体情况", "五、存在的主要问题及改进情况"], (2, "heading")),
                        (["一、总体情况", "(一)存在问题"], (2, "subheads")),
                        (["存在问题：一是公开不够全面。"], (1, "label"))):
        assert problems._find_heading(_doc(lines)) == _old_find_heading(_doc(lines)) == want
    prose = ["一、总体情况", "虽然我局政务公开工作取得了一定成效，但仍存在一些不足，主要是公开内容不够全面。",
             "下一步，我局将进一步加强政务公开工作，提升公开质量。"]
    assert problems._prose_span(_doc(prose)) == _old_prose_span(_doc(prose)) == (2, 3)


def test_real_reports_find_the_same_problems(real_docs):
    for doc, _ in real_docs:
        assert problems._find_heading(doc) == _old_find_heading(doc), doc.report_id
        assert problems._prose_span(doc) == _old_prose_span(doc), doc.report_id


# ============================================================================================== audit
def _old_figure(figures_: list[dict], metric: str) -> dict | None:
    return next((f for f in figures_ if f["metric"] == metric), None)


_METRICS = audit.OUTCOME_METRICS + audit.APPLICANT_METRICS + (
    "requests_received", "requests_handled", "requests_carried_over", "licensing_decisions", "penalty_decisions",
    "admin_approval_items", "admin_penalty_items", "proactive_items")
figure_lists = st.lists(st.fixed_dictionaries({
    "metric": st.sampled_from(_METRICS), "value": st.sampled_from([0, 1, 2, 3, 5, 12, 2.5]),
    "qualifier": st.sampled_from(["exact", "approx"]), "quote": st.sampled_from(["甲", "乙"]), "line": st.just(1)}),
    max_size=12)


@settings(max_examples=500, deadline=None)
@given(figure_lists)
def test_first_figures_is_figure(figs):
    first = audit._first_figures(figs)
    for m in _METRICS:
        assert first.get(m) is _old_figure(figs, m)


def _old_prose_breakdown_sum(rid: str, doc: Doc, figures: list[dict]) -> list[dict]:
    """Stated totals vs the parts the prose lists for them (其中 lists; request outcomes and applicants)."""
    check = "prose_breakdown_sum"
    cases: list[tuple[str, str, str]] = []  # scope, holds, detail
    for b in breakdowns(doc, figures):
        t = b.total
        tv = num(t["value"])
        holds = _sum_case(tv, t["qualifier"] == "exact", b.parts)
        verb = {"true": "equal", "false": "do not add up to", "unknown": "cannot be compared exactly with"}[holds]
        cases.append((t["metric"], holds, f"{t['metric']} stated {fmt(tv)} ({_q(t)}); its parts "
                                          f"{_parts_text(b.parts)} {verb} it"))
    received = _old_figure(figures, "requests_received")
    handled = _old_figure(figures, "requests_handled")
    carried = _old_figure(figures, "requests_carried_over")
    outcomes = [f for m in OUTCOME_METRICS if (f := _old_figure(figures, m))]
    if outcomes and (handled or received):
        s = sum(num(f["value"]) or 0 for f in outcomes)
        if handled:
            base, label = num(handled["value"]), f"requests handled {fmt(num(handled['value']))} ({_q(handled)})"
            holds = "true" if s == base else "false"
        else:
            base = num(received["value"]) + (num(carried["value"]) if carried else 0)
            label = f"requests received {fmt(num(received['value']))} ({_q(received)})" + (
                f" + carried over {fmt(num(carried['value']))}" if carried else "")
            holds = "true" if s == base else "false" if s > base else "unknown"
        rel = {"true": "equal", "false": "exceed" if s > base else "fall short of",
               "unknown": "fall short of (the rest may be pending)"}[holds]
        cases.append(("requests_outcomes", holds, f"prose outcomes {_parts_text(outcomes)} {rel} the {label}"))
    applicants = [f for m in APPLICANT_METRICS if (f := _old_figure(figures, m))]
    if applicants and received:
        s = sum(num(f["value"]) or 0 for f in applicants)
        base = num(received["value"])
        holds = "true" if s == base else "false" if (s > base or len(applicants) == 2) else "unknown"
        rel = {"true": "equal", "false": "do not add up to", "unknown": "fall short of"}[holds]
        cases.append(("requests_applicants", holds,
                      f"prose applicants {_parts_text(applicants)} {rel} the requests received {fmt(base)} "
                      f"({_q(received)})"))
    if not cases:
        return [_row(rid, check, "all", "unknown", "prose states no total together with its parts")]
    rows = [_row(rid, check, "all", _overall([c[1] for c in cases]), "; ".join(d for _, _, d in cases))]
    return rows + [_row(rid, check, scope, holds, detail) for scope, holds, detail in cases if holds != "true"]


def _old_prose_vs_table_decisions(rid: str, figures: list[dict], disclosure: list[dict]) -> list[dict]:
    """Licensing and penalty counts in the prose vs table 二's 处理决定数量."""
    check = "prose_vs_table_decisions"
    cases = []
    for item, explicit, bare in (("licensing", "licensing_decisions", "admin_approval_items"),
                                 ("penalty", "penalty_decisions", "admin_penalty_items")):
        f = _old_figure(figures, explicit) or _old_figure(figures, bare)
        if f is None:
            continue
        v = num(f["value"])
        cell = next((r for r in disclosure if r.get("item") == item and r.get("measure") == "decisions"), None)
        t = num(cell.get("value")) if cell else None
        if t is None:
            cases.append((item, "unknown", f"prose {f['metric']}={fmt(v)} ({_q(f)}) but table 二 prints no "
                                           f"{item} decisions"))
        elif v == t:
            cases.append((item, "true", f"prose {f['metric']}={fmt(v)} ({_q(f)}) = table {item} decisions {fmt(t)}"))
        elif f["metric"] == explicit and f["qualifier"] == "exact":
            cases.append((item, "false", f"prose {f['metric']}={fmt(v)} ({_q(f)}) but table {item} "
                                         f"decisions={fmt(t)}"))
        else:
            cases.append((item, "unknown", f"prose {f['metric']}={fmt(v)} ({_q(f)}) vs table {item} decisions="
                                           f"{fmt(t)}: the prose may count published items, not decisions"))
    if not cases:
        return [_row(rid, check, "all", "unknown", "prose states no licensing or penalty counts")]
    rows = [_row(rid, check, "all", _overall([c[1] for c in cases]), "; ".join(c[2] for c in cases))]
    return rows + [_row(rid, check, s, h, d) for s, h, d in cases if h != "true"]


@settings(max_examples=300, deadline=None)
@given(figure_lists, st.lists(st.fixed_dictionaries({
    "item": st.sampled_from(["licensing", "penalty"]), "measure": st.just("decisions"),
    "value": st.sampled_from([None, 0, 3, 12])}), max_size=2))
def test_prose_checks_read_as_before(figs, disclosure):
    doc = _doc(["全年主动公开政府信息1200条。"])
    assert audit.prose_breakdown_sum("r", doc, figs) == _old_prose_breakdown_sum("r", doc, figs)
    assert audit.prose_vs_table_decisions("r", figs, disclosure) == _old_prose_vs_table_decisions("r", figs, disclosure)


def test_real_reports_audit_the_same(real_docs):
    for doc, sections in real_docs:
        figs, _ = figures.extract_figures(doc, sections, 2022)
        assert audit.prose_breakdown_sum("r", doc, figs) == _old_prose_breakdown_sum("r", doc, figs), doc.report_id
