"""The fast paths of ``helpers.figures`` read exactly what the plain code they replace reads.

Each speed-up (issue 7) swapped a plain step for a faster one: a jump between the characters a token can
start with for ``_TOKEN.finditer``, one search for "some key ends near the number" before trying each rule,
a shortcut for unitless numbers in ``_classify``. Each pair is checked here on generated lines built from the
report phrases the rules look for, so the rare cases (a key far from the number, a unit no rule takes) occur.
"""
from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import figures as F
from helpers.figures import COUNT, REQUESTS, Context, Found, LineState, _keyed

# Phrases the rules look for, numbers in every printed form, units, qualifiers and punctuation: a line is
# a run of clauses "phrases, maybe a qualifier, a number, maybe a unit, maybe what follows", or any mix.
_PHRASES = (
    "主动公开政府信息", "共", "累计", "发布各类信息", "12345", "12328", "热线", "话务量", "来电", "工单", "微信",
    "公众号", "微博", "抖音", "网站", "门户网", "“信用中国”", "粉丝", "用户", "关注", "阅读", "其中", "咨询", "投诉",
    "举报", "建议", "信箱", "、", "和", "等", "收到", "受理", "政府信息公开申请", "依申请公开", "申请", "予以公开",
    "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "办结", "答复", "自然人", "法人或其他组织", "上年结转",
    "结转下年度", "复议", "诉讼", "行政许可", "行政审批", "行政处罚", "决定", "事项", "清单", "权责",
    "双公示", "信用信息", "规范性文件", "清理", "废止", "拟废止", "继续有效", "修订", "政策解读", "人大代表建议",
    "政协提案", "局长信箱", "问政平台", "一把手在线接听", "电视台播出", "《人民日报》刊发", "媒体发稿",
    "重大项目", "公务员招录", "重点领域", "财政预算", "人事任免", "工作动态", "按时办结率", "满意度", "回复率",
    "第", "数", "年", "月", "微信公众号关注用户", "政务微博粉丝", "抖音号粉丝", "12345热线受理", "12345热线话务量",
    "12328交通运输服务监督电话", "门户网站发布信息", "其中咨询", "其中投诉", "其中建议", "收到政府信息公开申请",
)
_QUALIFIERS = ("约", "近", "超过", "逾", "大约", "接近", "突破", "多于")
_NUMBERS = ("千", "百", "两千", "十二", "三", "一", "12", "0", "7", "1,234", "5.65", "2024", "2023", "6887", "5.1万",
            "3亿", "1200")
_UNITS = ("件", "条", "篇", "项", "宗", "起", "次", "人次", "件次", "条(次)", "个", "份", "期", "人", "户", "部", "通",
          "类", "%", "万元")
_AFTER = ("余", "多", "以上", "左右", "原创文章被人民日报采用", "（含上年结转2件）", "含上年结转", "号", "-", ".", "/")
_PUNCT = ("，", "。", "；", "：", "（", "）", "!", "")
_PIECES = _PHRASES + _QUALIFIERS + _NUMBERS + _UNITS + _AFTER + _PUNCT


def _maybe(options: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.sampled_from(options))


clauses = st.tuples(st.lists(st.sampled_from(_PHRASES), max_size=3).map("".join), _maybe(_QUALIFIERS),
                    st.sampled_from(_NUMBERS), _maybe(_UNITS), _maybe(_AFTER), st.sampled_from(_PUNCT)).map("".join)
lines = st.one_of(st.lists(clauses, min_size=1, max_size=8).map("".join),
                  st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
_KEYS = ([(r.key, r.gap) for r in F._NOT_DECISIONS + F._PROACTIVE_PARTS + F._RULES]
         + [(p, g) for _, p in F._HOTLINE_PARTS for g in (4,)] + [(p, 2) for _, p in F._RATES]
         + [(F._PROACTIVE_STRONG, 3), (F._PROACTIVE, 3), (F._HOTLINE_VOLUME, 2), (F._REQUESTS_KEY, 2),
            (F._FOLLOWERS, 2)])

# Each table of rules by unit, with the rules it was made from.
_RULE_TABLES = [(F._NOT_DECISIONS_BY_UNIT, F._NOT_DECISIONS), (F._PROACTIVE_PARTS_BY_UNIT, F._PROACTIVE_PARTS),
                (F._RULES_BY_UNIT, F._RULES)]


# ---------------------------------------------------------------------------------------------- tokens
@settings(max_examples=500, deadline=None)
@given(lines)
def test_token_matches_are_finditer(s):
    assert [m.span() for m in F._token_matches(s)] == [m.span() for m in F._TOKEN.finditer(s)]


@settings(max_examples=500, deadline=None)
@given(lines)
def test_maybe_token_is_the_plain_prefilter(s):
    plain = re.compile(rf"\d|[{F._CN}](?:万|亿)?(?:余|多)?(?:" + "|".join(re.escape(u) for u in F._UNITS) + ")")
    assert (F._MAYBE_TOKEN.search(s) is None) == (plain.search(s) is None)


def test_token_groups_are_in_the_order_token_unpacks():
    assert list(F._TOKEN.groupindex) == ["pre", "d", "c", "wan", "more", "pct", "unit"]
    assert list(F._TOKEN.groupindex.values()) == [1, 2, 3, 4, 5, 6, 7]


def _digits_reference(digits: str, wan: str | None) -> int | float:
    value = Decimal(digits.replace(",", ""))
    if wan:
        value *= 10000 if wan == "万" else 100000000
    return F._as_number(value)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"\d{1,3}(,\d{3}){0,8}|\d{1,40}(\.\d{1,30})?", fullmatch=True), st.sampled_from([None, "万", "亿"]))
def test_digits_value_is_the_decimal_reading(digits, wan):
    got, ref = F._digits_value(digits, wan), _digits_reference(digits, wan)
    assert got == ref and type(got) is type(ref)


def test_digits_value_at_the_edges():
    for digits in ("9" * 18, "9" * 19, "9" * 28, "9" * 29, "1" + "0" * 40, "9" * 5000, "999,999,999,999,999", "0"):
        for wan in (None, "万", "亿"):
            assert F._digits_value(digits, wan) == _digits_reference(digits, wan), (digits, wan)


# ---------------------------------------------------------------------------------------------- key gates
@settings(max_examples=300, deadline=None)
@given(lines)
def test_near_passes_every_clause_a_key_reads(s):
    for i in range(0, len(s) + 1, 3):
        clause = s[:i]
        for pattern, gap in _KEYS:
            if _keyed(pattern, clause, gap) is not None:
                assert F._near([(pattern, gap)]).search(clause), (pattern.pattern, gap, clause)
        for by_unit, _ in _RULE_TABLES:
            for rules, near in by_unit.values():
                if any(_keyed(r.key, clause, r.gap) for r in rules):
                    assert near.search(clause)


def test_rules_by_unit_keep_the_order_for_every_unit_a_token_carries():
    for by_unit, rules in _RULE_TABLES:
        for unit in (*F._UNITS, "%", ""):  # a token's unit is one of _TOKEN's units, a percent sign or none
            kept, _ = by_unit.get(unit, F._NO_RULES)
            assert kept == tuple(r for r in rules if unit in r.units)


def test_no_rule_takes_a_unitless_number():
    """What lets _classify send a unitless number straight to the hotline and followers readings."""
    assert all("" not in r.units for r in F._NOT_DECISIONS + F._PROACTIVE_PARTS + F._RULES)
    assert "" not in COUNT and "" not in REQUESTS


# ---------------------------------------------------------------------------------------------- classify
def _first_rule_reference(by_unit, c: Context) -> Found | None:
    """_first_rule over every rule of the table, each unit checked in turn, no gate."""
    for rule in next(rules for table, rules in _RULE_TABLES if table is by_unit):
        if c.tok.unit not in rule.units:
            continue
        m = _keyed(rule.key, c.clause, rule.gap)
        if m is None:
            continue
        if rule.forbid is not None and rule.forbid.search(c.clause):
            continue
        if rule.sentence is not None and not rule.sentence.search(c.sentence):
            continue
        if rule.line is not None and not rule.line.search(c.line):
            continue
        return c.found(rule.metric, m)
    return None


def _part_reference(c: Context, parent: Found | None) -> Found | None:
    if parent is None or not c.tok.unit:
        return None
    if parent.metric in ("hotline_12345", "hotline_12328") and not F._hotline(c.clause):
        for kind, pat in F._HOTLINE_PARTS:
            m = _keyed(pat, c.clause, 4)
            if m and c.tok.unit in F.CASES | F.POSTS:
                return c.found(f"{parent.metric}_{kind}", m)
    if parent.metric == "proactive_items":
        return F._first_rule(F._PROACTIVE_PARTS_BY_UNIT, c)
    return None


def _classify_reference(c: Context, st: LineState, warn: list[str]) -> Found | None:
    """_classify as it was: every reading tried in order, keys looked for before units are checked."""
    if c.tok.unit == "%":
        return F._rate(c, st)
    found = F._first_rule(F._NOT_DECISIONS_BY_UNIT, c) or _part_reference(c, st.parent)
    if found:
        return found
    m = _keyed(F._PROACTIVE_STRONG, c.clause, 3)
    if m and c.tok.unit in COUNT:
        return c.found("proactive_items", m)
    found = F._hotline_figure(c, warn)
    if found:
        return found
    m = _keyed(F._REQUESTS_KEY, c.clause, 2)
    if m and F._INCL_CARRYOVER.match(c.after) and c.tok.unit in REQUESTS and not re.search(F._NOT_REVIEW, c.clause):
        return c.found("requests_total_incl_carryover", m)
    found = F._first_rule(F._RULES_BY_UNIT, c) or F._account(c)
    if found:
        return found
    m = _keyed(F._PROACTIVE, c.clause, 3)
    if m and c.tok.unit in COUNT and F._channel(c.clause) != "pooled":
        return c.found("proactive_items", m)
    am = F._MEDIA_AFTER.match(c.after) if c.tok.unit in COUNT else None
    if am:
        return Found("media_articles", c.tok, c.tok.start, c.tok.end + am.end("q"))
    return None


def _read_plain(s: str):
    """read_line with the plain classification: every rule tried, no shortcut."""
    saved = F._classify, F._first_rule
    F._classify, F._first_rule = _classify_reference, _first_rule_reference
    try:
        return F.read_line(s)
    finally:
        F._classify, F._first_rule = saved


@settings(max_examples=800, deadline=None)
@given(lines)
def test_read_line_is_the_plain_reading(s):
    assert F.read_line(s) == _read_plain(s)


def test_read_line_reads_the_generated_phrases():
    """The generator above does reach the rules (a guard against a test that compares empty lists)."""
    for s, metric in [("主动公开政府信息1,234条", "proactive_items"), ("12345热线话务量6887", "hotline_12345"),
                      ("微信公众号粉丝5.65万人", "wechat_followers"), ("收到政府信息公开申请12件", "requests_received"),
                      ("微信公众号粉丝5000", "wechat_followers"), ("按时办结率100%", None)]:
        found, _ = F.read_line(s)
        assert [f.metric for f in found] == ([metric] if metric else []), s
        assert found == _read_plain(s)[0]


# ---------------------------------------------------------------------------------------------- squeezing
_ALL_SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def test_re_whitespace_is_str_isspace():
    """_positions finds spaces with re's \\s; str.split (for _squeezed) drops str.isspace: the same set."""
    everything = "".join(chr(c) for c in range(0x110000))
    assert "".join(re.findall(r"\s", everything)) == _ALL_SPACES


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + tuple(_ALL_SPACES) + ("  ", "\t\t")), max_size=30).map("".join))
def test_positions_map_the_squeezed_line(line):
    s, pos = F._squeeze(line)
    assert pos == [i for i, ch in enumerate(line) if not ch.isspace()]
    assert s == "".join(line[i] for i in pos)


# ---------------------------------------------------------------------------------------------- breakdowns
def test_breakdowns_reuse_the_reading_of_the_same_report():
    from helpers.model import Doc
    from helpers.normalize import normalize_lines

    raw = ["全年主动公开政府信息 1200 条，其中重大项目 300 条，财政预算 200 条，人事任免 100 条。",
           "微信公众号发布信息 80 条。"]
    doc = Doc("t", raw, normalize_lines(raw))
    rows, _ = F.extract_figures(doc, {}, 2024)
    assert F._totals_read  # the total's line was kept for breakdowns
    reused = F.breakdowns(doc, rows)
    F._totals_read.clear()
    assert reused == F.breakdowns(doc, rows) and len(reused) == 1 and len(reused[0].parts) == 3
    other = Doc("u", raw[:1] * 2, normalize_lines(raw[:1] * 2))
    F.extract_figures(other, {}, 2024)  # another report read in between: a miss is read again
    assert F.breakdowns(doc, rows) == reused


# ---------------------------------------------------------------------------------------------- prose lines
def _is_table_row_reference(line: str) -> bool:
    cells = line.strip()
    if "\t" not in cells and cells.count("|") < 2:
        return False
    return not any(re.search(r"[，。；,;]", m.group(0)) for m in re.finditer(r"[^\t|]{30,}", cells))


def _prose_lines_reference(doc, sections) -> list[int]:
    size = len(doc.norm) + 1
    in_table = bytearray(size)
    for k, sec in sections.items():
        if k in ("proactive", "requests", "appeals"):
            a, b = max(sec.start, 1), min(sec.end, size - 1)
            if a <= b:
                in_table[a:b + 1] = b"\x01" * (b + 1 - a)
    problems = sections.get("problems")
    skip_a, skip_b = (problems.start, problems.end) if problems is not None else (1, 0)
    out = []
    for n, line in enumerate(doc.norm, start=1):
        if skip_a <= n <= skip_b:
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if _is_table_row_reference(line):
            continue
        if in_table[n] and (len(stripped) < 15 or not re.search(r"[，。；,;]", line)):
            continue
        out.append(n)
    return out


# Rows of cells of every length around 30, with and without punctuation, joined by tabs or pipes.
_CELL = st.text(alphabet="字数据，;a 1", max_size=40)
_CELLS = st.one_of(
    st.tuples(st.sampled_from(["", " ", "\t"]), st.sampled_from(["\t", "|", " | "]),
              st.lists(_CELL, min_size=1, max_size=5)).map(lambda x: x[0] + x[1].join(x[2])),
    st.lists(st.sampled_from(_PIECES + ("\t", "|", " ")), max_size=25).map("".join))


@settings(max_examples=500, deadline=None)
@given(_CELLS)
def test_table_row_is_the_plain_test(line):
    assert F._is_table_row(line) == _is_table_row_reference(line)


def test_table_row_at_the_30_character_edge():
    for n in range(27, 33):
        for cell in ("字" * n, "字" * (n - 1) + "，", "，" + "字" * (n - 1), "字" * (n // 2) + ";" + "字" * (n - n // 2 - 1)):
            for line in (f"{cell}\t1", f"1\t{cell}", f"a|{cell}|b", f"|{cell}|", f" \t{cell} ", f"{cell}|{cell}"):
                assert F._is_table_row(line) == _is_table_row_reference(line), line


_LINES = st.one_of(_CELLS, st.sampled_from(["", "  ", "本年度主动公开信息，共计十二条。", "短句", "表头\t数量"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=8, max_size=12),
       st.lists(st.tuples(st.sampled_from(["problems", "proactive", "requests", "appeals", "overview"]),
                          st.integers(-2, 14), st.integers(-2, 14)), max_size=4))
def test_prose_lines_are_the_plain_selection(lines, spans):
    from helpers.model import Doc, Section

    sections = {k: Section(k, "", None, a, b) for k, a, b in spans}
    doc = Doc("t", lines, lines)
    assert F._prose_lines(doc, sections) == _prose_lines_reference(doc, sections)
