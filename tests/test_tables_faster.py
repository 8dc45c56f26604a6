"""The second round of table-stage speed-ups gives exactly what the code it replaced gave (issue 7, "Scale").

Each ``_old_*`` function below is the replaced code as it stood before this round, kept verbatim as an
oracle: tokenising (tab rows now go through one pass instead of a cached row template), and the form checks.
Generated blocks and matrices go through both and must give the same cells and rows; then whole reports
(the seeds, synthetic copies of them, thinned and cut copies) are parsed with the old code patched in and
must give the same rows, compared by ``repr`` so that a changed type (an int for a float) fails too.
No timings are asserted.
"""
from __future__ import annotations

import random

import pytest
from conftest import varied_reports
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from helpers import checks, layouts, tables
from helpers.checks import (APPLICANTS, OUTCOME_ROWS, ORGS, PARTS, PROCEEDINGS, RESULTS, _APPEALS_NAMES, _COL,
                            _SUM_NAMES, Cell as CheckCell, _as_zero, _cannot_check, _eq, _kinds, _num, _row,
                            _summary, _zero_tail, table_checks)
from helpers.codebook import codes
from helpers.layouts import (ALTERNATING, CELL_BLANK, CELL_LINE, CELL_PIPE, MARKDOWN, PAGE_NUMBER, PIPE, SPACE,
                             TAB, _LONE_PIPES, _SPACE_VALUES, Cell, _cell, _cell_blank, _inner_pipe_cells,
                             _page_break_blanks, _row_cells, _space_cells, _split_pair, classify, detect_layout,
                             parse_value, squeeze_fast, tokenize)
from helpers.normalize import normalize_lines
from helpers.parse import parse_bytes
from helpers.tables import ROW_LAYOUTS, ROWS_2021, ROWS_SINGLE_OTHER, _OTHER_SPLIT, _Row, _assign, _fit

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LAYOUTS = (None, TAB, PIPE, MARKDOWN, CELL_BLANK, CELL_PIPE, ALTERNATING, CELL_LINE, SPACE)


# ---------------------------------------------------------------------------------------------------------
# Detecting the layout: as it was, every line through _SPACE_VALUES.
def _old_detect_layout(norm: list[str]) -> str:
    """Name the layout of a block of normalised lines (see the module docstring)."""
    lines = [ln for ln in norm if ln and not ln.isspace() and not PAGE_NUMBER.match(ln)]
    n = len(lines)
    if not n:
        return CELL_LINE
    tabs = sum(["\t" in ln for ln in lines])  # lines holding a tab
    if tabs >= 2 and tabs * 4 >= n:
        return TAB
    piped = [ln for ln in lines if "|" in ln]
    if len(piped) * 3 >= n and piped:
        multi = sum(1 for ln in piped if _inner_pipe_cells(ln) >= 2)
        lone = sum(1 for ln in piped if _LONE_PIPES.match(ln))
        content_no_pipe = sum(1 for ln in lines if "|" not in ln)
        if multi * 3 >= len(piped):
            starts = sum(1 for ln in piped if ln.lstrip().startswith("|"))
            return MARKDOWN if starts * 2 >= len(piped) else PIPE
        content_pipe = len(piped) - lone  # `0 |`: one cell per line with its own pipe
        if lone and content_no_pipe > content_pipe:
            return ALTERNATING
        return CELL_PIPE
    if any(_SPACE_VALUES.search(ln) for ln in lines):  # one row of space-separated values is enough
        return SPACE  # (section 四's fifteen numbers)
    blank = [not ln or ln.isspace() for ln in norm]
    followed = list(zip(blank, blank[1:])).count((False, True))  # lines followed by a blank line
    if followed * 2 >= n:
        return CELL_BLANK
    return CELL_LINE



# ---------------------------------------------------------------------------------------------------------
# Tokenising: tokenize as it was, every tab row through the cached template (_row_cells).
def _old_tokenize(norm: list[str], raw: list[str], first_line: int, layout: str | None = None) -> tuple[str, list[Cell]]:
    """Cut a block (``norm[i]`` is line ``first_line + i``) into cells; returns (layout, cells)."""
    layout = layout or _old_detect_layout(norm)  # (the one change: the old detection too)
    cells: list[Cell] = []
    n = len(norm)
    if layout in (TAB, PIPE, MARKDOWN):
        tab, markdown = layout == TAB, layout == MARKDOWN
        for i in range(n):
            ln = norm[i]
            if not ln or ln.isspace() or (len(ln) < 24 and PAGE_NUMBER.match(ln)):
                continue
            line = first_line + i
            if not tab and "|" not in ln and "｜" not in ln:
                cells.extend(_space_cells(ln, raw[i], line))
                continue
            sep = "\t" if tab and ("\t" in ln or "|" not in ln) else "|"
            cells.extend(_row_cells(ln, raw[i], line, sep, markdown))
        return layout, cells
    if layout == SPACE:
        for i in range(n):
            ln = norm[i]
            if ln.strip() and not PAGE_NUMBER.match(ln):
                cells.extend(_space_cells(ln, raw[i], first_line + i))
        return layout, cells
    if layout == CELL_BLANK:
        return layout, _cell_blank(norm, raw, first_line)
    # one cell per line: CELL_PIPE, ALTERNATING, CELL_LINE
    prev_pipe = False
    blank_cells = layout in (ALTERNATING, CELL_LINE)  # a blank line is an empty cell
    furniture = _page_break_blanks(norm) if blank_cells else set()
    for i in range(n):
        ln = norm[i]
        line = first_line + i
        if not ln or ln.isspace():
            if blank_cells and i not in furniture:
                cells.append(Cell("empty", "", "", line))
            prev_pipe = False
            continue
        if PAGE_NUMBER.match(ln):
            continue
        s = ln.strip()
        if "|" in s and _LONE_PIPES.match(s):
            npipes = s.count("|") + s.count("｜")
            if layout == CELL_PIPE and npipes == 1:
                cells.append(Cell("empty", "", s, line))
            elif layout == ALTERNATING and prev_pipe and npipes == 1:
                cells.append(Cell("empty", "", s, line))
            prev_pipe = True
            continue
        prev_pipe = False
        parts = [p for p in _split_pair(ln, raw[i]) if p[0].strip()]
        if not parts:
            continue
        if len(parts) == 1 and layout == CELL_LINE and _SPACE_VALUES.search(ln):
            cells.extend(_space_cells(ln, raw[i], line))
            continue
        if len(parts) > 1:  # a whole row on one line (D48's values line): its empty slots are positioned
            cells.extend(_row_cells(ln, raw[i], line, "|", False))
            continue
        for t, r in parts:
            c = _cell(t, r, line)
            if c:
                cells.append(c)
    return layout, cells


# Cell texts (values, placeholders, rules, blanks, labels whose raw differs from the normalised text) and
# ways to join them into a line; tabs dominate, since the one-pass tab row is what changed.
TOKENS = ["0", "7", "12", "3.5", "1,234", "+4", "-2", "245万", "3万元", "10元", "5件", "?3", "?", "/", "-", "--", "—",
          "无", "---", ":---:", "===", "- 5 -", "第 3 页", "2/9", "（一）予以公开", "(二)部分公开", "1.属于国家秘密",
          "3.其他", "总计", "自然人", "法人或其他组织", "科研 机构", "規章", "行政許可", "本年新收政府信息公开申请数量",
          "第二十条第（一）项", "信息内容", "本年制发件数", "(七)总计", "ā", "　", " ", "", "予以公开0", "9 9", "\u3000 "]
SEPS = ["\t", "\t", "\t", "\t\t", " \t", "\t ", "|", " | ", "｜", " ", "  "]


@hs.composite
def tab_blocks(draw) -> list[str]:
    """A block of raw lines, mostly tab rows (leading, trailing and doubled tabs), some blank or piped."""
    lines = []
    for _ in range(draw(hs.integers(1, 14))):
        shape = draw(hs.sampled_from(["row", "row", "row", "row", "cell", "blank"]))
        if shape == "blank":
            lines.append(draw(hs.sampled_from(["", " ", "\t", "\t\t"])))
        elif shape == "cell":
            lines.append(draw(hs.sampled_from(TOKENS)))
        else:
            toks = draw(hs.lists(hs.sampled_from(TOKENS), min_size=1, max_size=10))
            lead = draw(hs.sampled_from(["", "", "\t", "\t\t"]))
            tail = draw(hs.sampled_from(["", "", "\t", "\t\t"]))
            lines.append(lead + draw(hs.sampled_from(SEPS)).join(toks) + tail)
    return lines


def _fields(cells: list[Cell]) -> list[tuple]:
    return [(c.kind, c.key, c.raw, c.line, c.value, type(c.value), c.unit, c.col, c.gap) for c in cells]


@SETTINGS
@given(tab_blocks(), hs.sampled_from(LAYOUTS), hs.integers(1, 500), hs.booleans())
def test_tokenize_matches_the_template_version(raw, layout, first_line, same_raw):
    norm = normalize_lines(raw)
    if same_raw:  # the raw line equal to the normalised one (the common case: no full-width characters)
        raw = list(norm)
    new_layout, new = tokenize(norm, raw, first_line, layout)
    old_layout, old = _old_tokenize(norm, raw, first_line, layout)
    assert new_layout == old_layout
    assert _fields(new) == _fields(old)


# Lines for the space-values prefilter: every kind of whitespace, values with and without units.
SPACE_TOKENS = ["0", "12", "3.5", "-2", "245万", "?", "/", "予以公开", "第 3 页", "a", "1.", ""]
WHITESPACE = [c for c in map(chr, range(0x3001)) if c.isspace()] + ["", "x"]


@SETTINGS
@given(hs.lists(hs.tuples(hs.sampled_from(SPACE_TOKENS), hs.sampled_from(WHITESPACE)), max_size=8))
def test_space_values_prefilter_never_hides_a_match(pairs):
    ln = "".join(t + w for t, w in pairs)
    if not layouts._may_hold_space_values(ln):
        assert _SPACE_VALUES.search(ln) is None


PAGE_TOKENS = ["-", "—", "–", "－", "--", "第", "页", "共", "/", ",", "3", "12", "999", "1000", "٣", "５", "a", "予以",
               "(一)", "0"]


@SETTINGS
@given(hs.lists(hs.tuples(hs.sampled_from(PAGE_TOKENS),
                          hs.sampled_from(WHITESPACE[:6] + ["", "", " ", "\u3000", "\xa0"])), max_size=9))
def test_page_number_prefilter_is_the_regex(pairs):
    ln = "".join(t + w for t, w in pairs)
    assert layouts.is_page_number(ln) == bool(PAGE_NUMBER.match(ln))


def test_page_number_prefilter_on_page_numbers():
    for ln in ("- 3 -", "—12—", " 第 3 页 ", "第3页,共9页", "第3页/共9页", "3/9", " 12 / 130 ", "－5－\t", "3", "第3", "3/"):
        assert layouts.is_page_number(ln) == bool(PAGE_NUMBER.match(ln)), ln
    assert layouts.is_page_number("- 3 -") and layouts.is_page_number("3/9") and not layouts.is_page_number("3")


@SETTINGS
@given(tab_blocks())
def test_detect_layout_matches_the_previous_version(raw):
    norm = normalize_lines(raw)
    assert detect_layout(norm) == _old_detect_layout(norm)
    assert detect_layout(raw) == _old_detect_layout(raw)


@SETTINGS
@given(hs.lists(hs.lists(hs.tuples(hs.sampled_from(SPACE_TOKENS), hs.sampled_from(WHITESPACE)), max_size=4),
                min_size=1, max_size=12))
def test_detect_layout_matches_the_previous_version_on_spaced_cells(lines):
    """One-cell-per-line blocks whose lines may hold values apart by any whitespace: the SPACE test."""
    raw = ["".join(t + w for t, w in pairs) for pairs in lines]
    assert detect_layout(raw) == _old_detect_layout(raw)


def test_tab_rows_of_the_seeds_match_the_template_version(seed_texts):
    n = 0
    for text in seed_texts.values():
        raw = text.split("\n")
        norm = normalize_lines(raw)
        for i in range(0, len(raw), 20):  # overlapping windows, read as tab rows whatever they are
            block_norm, block_raw = norm[i:i + 40], raw[i:i + 40]
            assert _fields(tokenize(block_norm, block_raw, i + 1, TAB)[1]) == \
                _fields(_old_tokenize(block_norm, block_raw, i + 1, TAB)[1])
            n += 1
    assert n > 20


# Classifying a cell: the memo is a plain dict now (read inline by the hot loops), formerly an lru_cache.
def _old_classify(text_norm: str) -> tuple[str, str, float | int | None, str]:
    """(key, kind, value, unit) of a cell's normalised text; cached because cells repeat (`0`, labels)."""
    key = squeeze_fast(text_norm)
    kind, value, unit = parse_value(key)
    return key, kind, value, unit


@SETTINGS
@given(hs.lists(hs.one_of(hs.sampled_from(TOKENS), hs.text(max_size=6)), min_size=1, max_size=30))
def test_classify_memo_gives_the_plain_classification(texts):
    for t in texts:
        want = _old_classify(t)
        for got in (classify(t), layouts._CLASSIFIED.get(t) or classify(t), classify(t)):
            assert got == want and [type(x) for x in got] == [type(x) for x in want]


def test_classify_memo_is_emptied_when_full(monkeypatch):
    monkeypatch.setattr(layouts, "_CLASSIFIED_MAX", 5)
    layouts._CLASSIFIED.clear()
    for k in range(23):
        assert classify(str(k)) == _old_classify(str(k))
        assert len(layouts._CLASSIFIED) <= 5
    layouts._CLASSIFIED.clear()


# ---------------------------------------------------------------------------------------------------------
# Section 三's matrix: request_rows as it was, every row through _fit and _assign.
def _old_request_rows(rows: dict[str, _Row], layout: str, template: str | None, warnings: list[dict]) -> list[dict]:
    """The full matrix in codebook order, with each cell's status."""
    if any(c in rows for c in _OTHER_SPLIT):
        codes_ = ROWS_2021
    elif "other" in rows:
        codes_ = ROWS_SINGLE_OTHER
    else:
        codes_ = ROWS_SINGLE_OTHER if template == "2019" else ROWS_2021
    marked = layout not in ROW_LAYOUTS
    out: list[dict] = []
    ncols = len(APPLICANTS)
    for code in codes_:
        row = rows.get(code)
        if row is None:
            out.extend({"row": code, "applicant": a, "value": None, "status": "missing", "raw": "", "line": None}
                       for a in APPLICANTS)
            continue
        out.extend(_assign(code, "row", row, APPLICANTS, _fit(row.slots, ncols, marked), warnings, "requests"))
    return out


_KINDS = ("num", "num", "num", "num", "ph", "empty")


@hs.composite
def request_matrices(draw):
    """_read_requests output: rows present or not, each with a few slots (values, placeholders, empty cells,
    gaps) over one or more lines, full rows of numbers most often."""
    rng = random.Random(draw(hs.integers(0, 2**32)))
    rows = {}
    for k, code in enumerate(tables._ALL_ROWS):
        if rng.random() < 0.15:
            continue
        label = Cell("label", code, code, 10 + k, col=rng.choice((-1, 1, 2)))
        if rng.random() < 0.6:
            n, kinds = 7, ["num"] * 7
        else:
            n = rng.randint(0, 10)
            kinds = [rng.choice(_KINDS) for _ in range(n)]
        slots = [Cell(kind, str(j), f"r{j}", 10 + k + (j > 4 and rng.random() < 0.2), j if kind == "num" else None,
                      "", j, kind == "empty" and rng.random() < 0.5) for j, kind in enumerate(kinds)]
        rows[code] = tables._Row(code, label, slots, tentative=rng.random() < 0.1)
    return rows


@SETTINGS
@given(request_matrices(), hs.sampled_from((TAB, PIPE, CELL_BLANK, CELL_LINE, SPACE)),
       hs.sampled_from((None, "2019", "2021")))
def test_request_rows_match_the_previous_version(rows, layout, template):
    w_new, w_old = [], []
    assert repr(tables.request_rows(rows, layout, template, w_new)) == \
        repr(_old_request_rows(rows, layout, template, w_old))
    assert w_new == w_old


# ---------------------------------------------------------------------------------------------------------
# The form checks: the versions before this round.
def _old_sum_case(names: tuple[str, ...], values: list, statuses: list[str]) -> tuple[str, str]:
    """One `total = sum of parts` case (applicant sum, appeals sum) → (holds, detail); the last of the
    parallel ``names``/``values``/``statuses`` is the total."""
    if statuses.count("printed") == len(statuses):  # the common case, checked without building text
        parts = values[:-1]
        s = sum(parts)
        tv = values[-1]
        if _eq(s, tv):
            return "true", ""
        texts = [_num(v) for v in parts]
        nonzero = ", ".join([f"{name}={t}" for name, t, v in zip(names, texts, parts) if v])
        lead = nonzero if nonzero else "all parts 0"
        return "false", (f"{lead} but {names[-1]}={_num(tv)} ({'+'.join(names[:-1])} = {'+'.join(texts)} = "
                         f"{_num(s)})")
    head, all_blank = _cannot_check(names, tuple(statuses))
    if not all_blank:
        return "unknown", head
    zeros = [(v if st == "printed" else 0) for v, st in zip(values, statuses)]
    holds0 = _eq(sum(zeros[:-1]), zeros[-1])
    shown = ", ".join(f"{name}={_num(v)}" for name, v, st in zip(names, values, statuses) if st == "printed")
    return "unknown", head + _as_zero(holds0, shown)


def _old_balance(get, applicant: str) -> tuple[str, str]:
    names = ("new_received", "carried_over", "handled_total", "carried_forward")
    cells = [get(r, applicant) for r in names]
    bad = [(n, st) for n, (_, st) in zip(names, cells) if st != "printed"]
    if bad:
        statuses = [st for _, st in bad]
        z = [(v if st == "printed" else 0) for v, st in cells]
        detail = "cannot check: " + ", ".join(f"{n} {st}" for n, st in bad)
        return "unknown", detail + _zero_tail(statuses, _eq(z[0] + z[1], z[2] + z[3]))
    a, b, c, d = (v for v, _ in cells)
    if _eq(a + b, c + d):
        return "true", ""
    return "false", (f"new_received+carried_over = {_num(a)}+{_num(b)} = {_num(a + b)} but "
                     f"handled_total+carried_forward = {_num(c)}+{_num(d)} = {_num(c + d)}")


def _old_outcomes(rows: list[str], values: tuple, statuses: tuple, total: Cell) -> tuple[str, str]:
    """(七) against the sum of the outcome rows, for one applicant column (``values``/``statuses``: the
    outcome rows' cells in that column, parallel to ``rows``)."""
    total_bad = total[1] != "printed"
    if total_bad or statuses.count("printed") != len(statuses):
        bad = [(r, st) for r, st in zip(rows, statuses) if st != "printed"]
        kinds = [st for _, st in bad] + ([total[1]] if total_bad else [])
        if len(bad) == len(rows):
            where = "every outcome row" + (" and handled_total" if total_bad else "")
        else:
            where = ", ".join([r for r, _ in bad] + (["handled_total"] if total_bad else []))
        s0 = sum(v if st == "printed" else 0 for v, st in zip(values, statuses))
        t0 = total[0] if not total_bad else 0
        return "unknown", f"cannot check: {_kinds(kinds)} cells in {where}" + _zero_tail(kinds, _eq(s0, t0))
    s = sum(values)
    if _eq(s, total[0]):
        return "true", ""
    nonzero = ", ".join(f"{r}={_num(v)}" for r, v in zip(rows, values) if v)
    lead = nonzero if nonzero else "all outcome rows 0"
    return "false", f"{lead} but handled_total={_num(total[0])} (sum of outcome rows = {_num(s)})"


def _old_table_checks(report_id: str, requests: list[dict], appeals: list[dict]) -> list[dict]:
    """Check rows for one report (requests/appeals rows as produced by :func:`helpers.tables.parse_tables`)."""
    out: list[dict] = []
    ncols = len(APPLICANTS)
    # the requests matrix as parallel value and status lists per row, in the order rows first appear
    values: dict[str, list] = {}
    statuses: dict[str, list[str]] = {}
    for r in requests:
        row = r["row"]
        vs = values.get(row)
        if vs is None:
            vs = values[row] = [None] * ncols
            sts = statuses[row] = ["missing"] * ncols
        else:
            sts = statuses[row]
        j = _COL.get(r["applicant"])
        if j is not None:
            vs[j] = r["value"]
            sts[j] = r["status"]
    rows = list(values)
    absent_v, absent_s = [None] * ncols, ["missing"] * ncols

    def get(row: str, applicant: str) -> Cell:
        j = _COL[applicant]
        return values.get(row, absent_v)[j], statuses.get(row, absent_s)[j]

    if not requests or all(sts.count("missing") == ncols for sts in statuses.values()):
        for check in ("requests_balance", "requests_outcomes_sum", "requests_applicant_sum"):
            out.append(_row(report_id, check, "all", "unknown", "cannot check: requests table not found"))
    else:
        results = [(a, *_old_balance(get, a)) for a in APPLICANTS]
        out += _summary(report_id, "requests_balance", results, "applicant columns")
        outcome_rows = [r for r in rows if r in OUTCOME_ROWS]
        # columns of the outcome rows: one tuple of values (and of statuses) per applicant
        col_values = list(zip(*[values[r] for r in outcome_rows])) or [()] * ncols
        col_statuses = list(zip(*[statuses[r] for r in outcome_rows])) or [()] * ncols
        handled_v, handled_s = values.get("handled_total", absent_v), statuses.get("handled_total", absent_s)
        results = [(a, *_old_outcomes(outcome_rows, col_values[j], col_statuses[j], (handled_v[j], handled_s[j])))
                   for j, a in enumerate(APPLICANTS)]
        out += _summary(report_id, "requests_outcomes_sum", results, "applicant columns")
        results = [(r, *_old_sum_case(_SUM_NAMES, values[r], statuses[r])) for r in rows]
        out += _summary(report_id, "requests_applicant_sum", results, "rows")

    app = {(r["proceeding"], r["result"]): (r["value"], r["status"]) for r in appeals}
    if not appeals or all(st == "missing" for _, st in app.values()):
        out.append(_row(report_id, "appeals_sum", "all", "unknown", "cannot check: appeals table not found"))
    else:
        results = []
        for p in PROCEEDINGS:
            cells = [app.get((p, r), (None, "missing")) for r in _APPEALS_NAMES]
            results.append((p, *_old_sum_case(_APPEALS_NAMES, [v for v, _ in cells], [st for _, st in cells])))
        out += _summary(report_id, "appeals_sum", results, "proceedings")
    return out


_ROW_CODES = tuple(codes("requests", "row"))
STATUSES = ("blank", "ambiguous", "missing")  # besides printed
VALUES = (0, 0, 1, 2, 3, 7, 12, 2.5, 0.5, 1e9, -1, 3.0)


@hs.composite
def matrices(draw):
    """requests and appeals rows with random values and statuses, rows missing, repeated or out of order."""
    rng = random.Random(draw(hs.integers(0, 2**32)))
    rows = [r for r in _ROW_CODES if rng.random() < 0.9]
    if rng.random() < 0.2:
        rng.shuffle(rows)
    consistent = rng.random() < 0.4  # a matrix that adds up, so the checks hold where every cell is printed
    zeros = rng.choice((0.0, 0.5, 0.95, 1.0))  # share of zeros (`all parts 0` details)
    printed = rng.choice((0.0, 0.5, 0.9, 1.0))  # share of printed cells

    def value() -> float | int:
        return 0 if rng.random() < zeros else rng.choice(VALUES)

    requests = []
    for r in rows:
        vals = [value() for _ in ORGS]
        vals.append(sum(vals) if consistent else value())
        for a, v in zip(APPLICANTS, vals):
            if rng.random() < 0.05:
                continue  # a cell left out
            stt = "printed" if rng.random() < printed else rng.choice(STATUSES)
            requests.append({"row": r, "applicant": a, "value": v if stt == "printed" else None, "status": stt})
    if rng.random() < 0.1:  # a row printed twice, an unknown applicant
        requests += [dict(q) for q in requests[:9]]
    if rng.random() < 0.05:
        requests.append({"row": "granted", "applicant": "someone", "value": 1, "status": "printed"})
    if rng.random() < 0.05:
        requests = [dict(q, status="missing", value=None) for q in requests]
    appeals = []
    for p in PROCEEDINGS:
        vals = [value() for _ in PARTS]
        vals.append(sum(vals) if consistent else value())
        for res, v in zip(RESULTS, vals):
            if rng.random() < 0.05:
                continue
            stt = "printed" if rng.random() < printed else rng.choice(STATUSES)
            appeals.append({"proceeding": p, "result": res, "value": v if stt == "printed" else None, "status": stt})
    if rng.random() < 0.05:
        appeals = []
    return requests, appeals


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices())
def test_table_checks_match_the_previous_version(m):
    requests, appeals = m
    new, old = table_checks("r", requests, appeals), _old_table_checks("r", requests, appeals)
    assert repr(new) == repr(old)


# ---------------------------------------------------------------------------------------------------------
# Whole reports, parsed with this round's code and with the old code patched in.
@pytest.fixture(scope="module")
def report_bytes(tmp_path_factory) -> dict[str, bytes]:
    """The seeds plus 30 synthetic reports and thinned and cut copies (conftest.varied_reports)."""
    return varied_reports(tmp_path_factory.mktemp("synthetic"), 30, seed=11, rng_seed=13)


def test_reports_parse_the_same_with_the_old_code(report_bytes, monkeypatch):
    fast = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    with monkeypatch.context() as m:
        m.setattr(layouts, "tokenize", _old_tokenize)
        m.setattr(checks, "table_checks", _old_table_checks)
        from helpers import parse
        m.setattr(tables, "tokenize", _old_tokenize)
        m.setattr(parse.checks, "table_checks", _old_table_checks)
        m.setattr(tables, "request_rows", _old_request_rows)
        plain = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    assert sum(len(r.tables.get("requests", [])) for r in fast.values()) > 1000  # the tables were really read
    for name in report_bytes:
        assert fast[name].report == plain[name].report, name
        assert repr(fast[name].tables) == repr(plain[name].tables), name


# ---------------------------------------------------------------------------------------------------------
# Small memos: section 二's money unit (asked per row) is cached now.
@SETTINGS
@given(hs.lists(hs.sampled_from(["单位", ":", "：", "万元", "元", "千元", "收费金额", "(", ")", "采购"]), max_size=6))
def test_money_divisor_cache_gives_the_plain_answer(parts):
    from helpers import labels as L
    key = "".join(parts)
    assert L.money_divisor(key) == L.money_divisor.__wrapped__(key) == L.money_divisor(key)
