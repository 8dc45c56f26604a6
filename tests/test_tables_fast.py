"""The table stage's fast paths agree with the plain versions they replaced (issue 7, "Scale").

Each ``_old_*`` function below is the straightforward version as it stood before the speed-up (tokenising,
label classification, cell assignment, the form checks), kept here verbatim as an oracle. Generated blocks
of table text, label strings and request/appeals matrices go through both and must give the same cells and
rows. No timings are asserted.
"""
from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from helpers import labels as L
from helpers import tables
from helpers.checks import (APPLICANTS, OUTCOME_ROWS, ORGS, PARTS, PROCEEDINGS, RESULTS,
                            _eq, _kinds, _num, _row, _zero_tail, table_checks)
from helpers.codebook import codes
from helpers.layouts import (ALTERNATING, CELL_BLANK, CELL_LINE, CELL_PIPE, MARKDOWN, PAGE_NUMBER, PIPE, SPACE,
                             TAB, _LONE_PIPES, _SPACE_VALUES, Cell, _cell, _inner_pipe_cells, _page_break_blanks,
                             _space_cells, classify, detect_layout, tokenize)
from helpers.layouts import _row_cells
from helpers.normalize import normalize_lines
from helpers.tables import _NUMBERING, _PROSE, _Row, _assign, _disclosure_label, _one_line, _request_label, _warn

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LAYOUTS = (None, TAB, PIPE, MARKDOWN, CELL_BLANK, CELL_PIPE, ALTERNATING, CELL_LINE, SPACE)

# ---------------------------------------------------------------------------------------------------------
# Tokenising: the pre-speed-up layouts functions.
_TAB_SPLIT = re.compile(r"\t")
_PIPE_SPLIT = re.compile(r"[|｜]")


def _old_detect_layout(norm: list[str]) -> str:
    """Name the layout of a block of normalised lines (see the module docstring)."""
    lines = [ln for ln in norm if ln.strip() and not PAGE_NUMBER.match(ln)]
    n = len(lines)
    if not n:
        return CELL_LINE
    tabs = sum(1 for ln in lines if "\t" in ln.strip(" "))
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
    spaced = sum(1 for ln in lines if _SPACE_VALUES.search(ln))
    if spaced:  # one row of space-separated values is enough (section 四's fifteen numbers)
        return SPACE
    followed = 0
    for i, ln in enumerate(norm[:-1]):
        if ln.strip() and not norm[i + 1].strip():
            followed += 1
    if followed * 2 >= n:
        return CELL_BLANK
    return CELL_LINE


def _old_split_pair(norm: str, raw: str, pat: re.Pattern[str]) -> list[tuple[str, str]]:
    """Split a normalised line and its raw twin the same way; raw falls back to norm if they disagree."""
    parts = pat.split(norm)
    if raw == norm:
        return list(zip(parts, parts))
    raws = pat.split(raw)
    if len(raws) != len(parts):
        raws = parts
    return list(zip(parts, raws))


def _old_row_template(ln: str, sep: str, markdown: bool = False
                  ) -> tuple[tuple[tuple[int, str, str, float | int | None, str], ...], tuple[str, ...]]:
    """A tab/pipe row's cells (col, key, kind, value, unit) and its parts; cached, since form rows repeat.

    Empty slots between two values of the line are kept as gaps (kind ``gap``): a tab row's `3\t\t1`, a
    pipe row's `3 | | 1`, a markdown row's `| 3 |  | 1 |`. Trailing empty cells count in markdown rows,
    and in pipe rows when they are spaced slots running to the closing pipe (`… | 0 | |`); a tab row's
    trailing tabs are padding (000, 002). A pipe row's run of bare pipes (`3 | |||| 1`, `| |||`) is merge
    padding that loses positions, so such a line keeps no gaps.
    """
    parts = tuple((_TAB_SPLIT if sep == "\t" else _PIPE_SPLIT).split(ln))
    cells = []
    for col, t in enumerate(parts):
        if t and not t.isspace():
            key, kind, value, unit = classify(t)
            if kind != "rule":
                cells.append((col, key, kind, value, unit))
    vals = [c[0] for c in cells if c[2] in ("num", "ph")]
    if vals:
        lo, hi = vals[0], vals[-1]
        last = len(parts) - 2 if ln.rstrip().endswith("|") else len(parts) - 1  # the row's last cell
        if markdown:
            hi = max(hi, last)
        elif sep == "|":  # `… | 0 | |`: spaced slots up to the closing pipe are cells; `| |||` is padding
            k = hi
            while k < last and parts[k + 1] and parts[k + 1].isspace():
                k += 1
            hi = k if k == last else hi
        empties = [col for col in range(lo + 1, hi + 1) if not parts[col] or parts[col].isspace()]
        bare = sep == "|" and not markdown and any(not parts[col] for col in empties)
        if empties and not bare and all(c[2] in ("num", "ph") for c in cells if lo < c[0] <= hi):
            cells.extend((col, "", "gap", None, "") for col in empties)
            cells.sort()
    return tuple(cells), parts


def _old_row_cells(ln: str, raw: str, line: int, sep: str, markdown: bool) -> list[Cell]:
    """One tab/pipe row (normalised ``ln``, raw twin ``raw``) → its cells, gaps included."""
    cells_, parts = _old_row_template(ln, sep, markdown)
    raws = parts
    if raw != ln:
        raws = (_TAB_SPLIT if sep == "\t" else _PIPE_SPLIT).split(raw)
        if len(raws) != len(parts):
            raws = parts
    return [Cell("empty", "", raws[col].strip(), line, None, "", col, True) if kind == "gap"
            else Cell(kind, key, raws[col].strip(), line, value, unit, col)
            for col, key, kind, value, unit in cells_]


def _old_tokenize(norm: list[str], raw: list[str], first_line: int, layout: str | None = None) -> tuple[str, list[Cell]]:
    """Cut a block (``norm[i]`` is line ``first_line + i``) into cells; returns (layout, cells)."""
    layout = layout or _old_detect_layout(norm)
    cells: list[Cell] = []
    n = len(norm)
    if layout in (TAB, PIPE, MARKDOWN):
        for i in range(n):
            ln = norm[i]
            if not ln or ln.isspace() or (len(ln) < 24 and PAGE_NUMBER.match(ln)):
                continue
            line = first_line + i
            if layout != TAB and "|" not in ln and "｜" not in ln:
                cells.extend(_space_cells(ln, raw[i], line))
                continue
            sep = "\t" if layout == TAB and ("\t" in ln or "|" not in ln) else "|"
            cells.extend(_old_row_cells(ln, raw[i], line, sep, layout == MARKDOWN))
        return layout, cells
    if layout == SPACE:
        for i in range(n):
            ln = norm[i]
            if ln.strip() and not PAGE_NUMBER.match(ln):
                cells.extend(_space_cells(ln, raw[i], first_line + i))
        return layout, cells
    if layout == CELL_BLANK:
        return layout, _old_cell_blank(norm, raw, first_line)
    # one cell per line: CELL_PIPE, ALTERNATING, CELL_LINE
    prev_pipe = False
    furniture = _page_break_blanks(norm) if layout in (ALTERNATING, CELL_LINE) else set()
    for i in range(n):
        ln = norm[i]
        line = first_line + i
        s = ln.strip()
        if PAGE_NUMBER.match(ln) and s:
            continue
        if not s:
            if layout in (ALTERNATING, CELL_LINE) and i not in furniture:
                cells.append(Cell("empty", "", "", line))
            prev_pipe = False
            continue
        if _LONE_PIPES.match(s):
            npipes = s.count("|") + s.count("｜")
            if layout == CELL_PIPE and npipes == 1:
                cells.append(Cell("empty", "", s, line))
            elif layout == ALTERNATING and prev_pipe and npipes == 1:
                cells.append(Cell("empty", "", s, line))
            prev_pipe = True
            continue
        prev_pipe = False
        parts = [p for p in _old_split_pair(ln, raw[i], _PIPE_SPLIT) if p[0].strip()]
        if not parts:
            continue
        if len(parts) == 1 and layout == CELL_LINE and _SPACE_VALUES.search(ln):
            cells.extend(_space_cells(ln, raw[i], line))
            continue
        if len(parts) > 1:  # a whole row on one line (D48's values line): its empty slots are positioned
            cells.extend(_old_row_cells(ln, raw[i], line, "|", False))
            continue
        for t, r in parts:
            c = _cell(t, r, line)
            if c:
                cells.append(c)
    return layout, cells


def _old_cell_blank(norm: list[str], raw: list[str], first_line: int) -> list[Cell]:
    """Cells separated by one blank line; each further blank line is one empty cell.

    A run of non-blank lines is one cell (header cells wrap: `科研` / `机构`), except that a run of values
    is one value per line. A page-number line takes its following blank line with it.
    """
    cells: list[Cell] = []
    n = len(norm)
    i = 0
    pending_sep = False  # the blank line after a cell is a separator, not an empty cell
    while i < n:
        ln = norm[i]
        if not ln.strip():
            if pending_sep:
                pending_sep = False
            elif cells:  # blank lines before the first cell are not cells
                cells.append(Cell("empty", "", "", first_line + i))
            i += 1
            continue
        if PAGE_NUMBER.match(ln):
            i += 1
            if i < n and not norm[i].strip():
                i += 1
            continue
        j = i
        while j < n and norm[j].strip() and not PAGE_NUMBER.match(norm[j]):
            j += 1
        run = [(first_line + k, norm[k], raw[k]) for k in range(i, j)]
        kinds = [classify(t)[1] for _, t, _ in run]
        if any(k in ("num", "ph") for k in kinds):
            label: list[tuple[int, str, str]] = []
            for (line, t, r), k in zip(run, kinds):
                if k in ("num", "ph"):
                    if label:
                        c = _cell(" ".join(x[1] for x in label), " ".join(x[2].strip() for x in label), label[0][0])
                        if c:
                            cells.append(c)
                        label = []
                    c = _cell(t, r, line)
                    if c:
                        cells.append(c)
                else:
                    label.append((line, t, r))
            if label:
                c = _cell(" ".join(x[1] for x in label), " ".join(x[2].strip() for x in label), label[0][0])
                if c:
                    cells.append(c)
        else:
            c = _cell("".join(t for _, t, _ in run), "".join(r.strip() for _, _, r in run), run[0][0])
            if c:
                cells.append(c)
        pending_sep = True
        i = j
    return cells


# ---------------------------------------------------------------------------------------------------------
# Tables: the pre-speed-up _assign.
def _old_assign(code: str, dim: str, row: _Row, cols: tuple[str, ...], slots: list[Cell], warnings: list[dict],
            table: str) -> list[dict]:
    """Cells of one row → one output dict per column, by position only when the widths agree."""
    col_dim = "applicant" if table == "requests" else "result"
    n = len(cols)
    line = row.label.line
    if len(slots) == n:
        out = []
        for col, cell in zip(cols, slots):
            if cell.kind == "num":
                out.append({dim: code, col_dim: col, "value": cell.value, "status": "printed", "raw": cell.raw,
                            "line": cell.line})
            else:
                if cell.kind == "ph":
                    _warn(warnings, cell.line, f"{table}: {code}/{col} placeholder {cell.raw!r} read as blank")
                out.append({dim: code, col_dim: col, "value": None, "status": "blank", "raw": cell.raw,
                            "line": cell.line})
        return out
    if all(s.kind == "empty" for s in slots):  # nothing printed at all (a blank form's row)
        _warn(warnings, line, f"{table}: row {code} prints no values; read as blank")
        return [{dim: code, col_dim: col, "value": None, "status": "blank", "raw": "", "line": line} for col in cols]
    if len(slots) > n:
        own = _one_line(slots, n)
        if own is not None:  # stray numbers on other lines (page-navigation digits): the full line wins
            _warn(warnings, line, f"{table}: row {code} prints {len(slots)} values for {n} columns; the {n} on "
                                  f"line {own[0].line} used")
            return _old_assign(code, dim, row, cols, own, warnings, table)
        # which of them is the total cannot be known: nothing is assigned
        _warn(warnings, line, f"{table}: row {code} prints {len(slots)} values for {n} columns; all ambiguous")
        return [{dim: code, col_dim: col, "value": None, "status": "ambiguous", "raw": "", "line": line}
                for col in cols]
    _warn(warnings, line, f"{table}: row {code} prints {len(slots)} values for {n} columns; last read as "
                          f"{cols[-1]}, the others ambiguous")
    last = slots[-1]
    out = [{dim: code, col_dim: col, "value": None, "status": "ambiguous", "raw": "", "line": line}
           for col in cols[:-1]]
    if last.kind == "num":
        out.append({dim: code, col_dim: cols[-1], "value": last.value, "status": "printed", "raw": last.raw,
                    "line": last.line})
    else:
        out.append({dim: code, col_dim: cols[-1], "value": None, "status": "blank", "raw": last.raw,
                    "line": last.line})
    return out


# ---------------------------------------------------------------------------------------------------------
# Checks: the pre-speed-up versions.
def _old_summary(report_id: str, check: str, results: list[tuple[str, str, str]], unit: str) -> list[dict]:
    """Case rows (failing/unknown only) followed by the scope=all row."""
    n = len(results)
    fail = sum(1 for _, h, _ in results if h == "false")
    unknown = sum(1 for _, h, _ in results if h == "unknown")
    hold = n - fail - unknown
    out = [_row(report_id, check, scope, h, d) for scope, h, d in results if h != "true"]
    if fail:
        out.append(_row(report_id, check, "all", "false",
                        f"{fail} of {n} {unit} fail; {hold} hold; {unknown} unknown (see rows above)"))
    elif unknown:
        out.append(_row(report_id, check, "all", "unknown",
                        f"no checkable case fails ({hold} of {n} {unit} hold); {unknown} cannot be checked "
                        "because of blank/ambiguous cells (see rows above)"))
    else:
        out.append(_row(report_id, check, "all", "true", f"all {n} {unit} hold"))
    return out


def _old_sum_case(parts: list[tuple[str, Cell]], total: tuple[str, Cell]) -> tuple[str, str]:
    """One `total = sum of parts` case (applicant sum, appeals sum) → (holds, detail)."""
    tv = total[1][0]
    if total[1][1] == "printed":
        s = 0
        for _, (v, st) in parts:
            if st != "printed":
                break
            s += v
        else:
            if _eq(s, tv):
                return "true", ""
    cells = parts + [total]
    bad = [(name, st) for name, (_, st) in cells if st != "printed"]
    if bad:
        statuses = [st for _, st in bad]
        zeros = [(v if st == "printed" else 0) for _, (v, st) in cells]
        holds0 = _eq(sum(zeros[:-1]), zeros[-1])
        shown = ", ".join(f"{name}={_num(v)}" for name, (v, st) in cells if st == "printed")
        detail = (f"cannot check: {_kinds(statuses)} cells ({', '.join(n for n, _ in bad)})"
                  + _zero_tail(statuses, holds0, shown))
        return "unknown", detail
    values = [v for _, (v, _) in parts]
    s = sum(values)
    nonzero = ", ".join(f"{name}={_num(v)}" for name, (v, _) in parts if v)
    lead = nonzero if nonzero else "all parts 0"
    names = "+".join(name for name, _ in parts)
    nums = "+".join(_num(v) for v in values)
    return "false", f"{lead} but {total[0]}={_num(tv)} ({names} = {nums} = {_num(s)})"


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


def _old_outcomes(cells: list[tuple[str, Cell]], total: Cell) -> tuple[str, str]:
    """(七) against the sum of the outcome rows, for one applicant column (``cells``: (row, cell) pairs)."""
    outcome = cells
    bad = [(r, st) for r, (_, st) in cells if st != "printed"]
    total_bad = total[1] != "printed"
    if bad or total_bad:
        statuses = [st for _, st in bad] + ([total[1]] if total_bad else [])
        if len(bad) == len(outcome):
            where = "every outcome row" + (" and handled_total" if total_bad else "")
        else:
            where = ", ".join([r for r, _ in bad] + (["handled_total"] if total_bad else []))
        s0 = sum(v if st == "printed" else 0 for _, (v, st) in cells)
        t0 = total[0] if not total_bad else 0
        return "unknown", f"cannot check: {_kinds(statuses)} cells in {where}" + _zero_tail(statuses, _eq(s0, t0))
    s = sum(v for _, (v, _) in cells)
    if _eq(s, total[0]):
        return "true", ""
    nonzero = ", ".join(f"{r}={_num(v)}" for r, (v, _) in cells if v)
    lead = nonzero if nonzero else "all outcome rows 0"
    return "false", f"{lead} but handled_total={_num(total[0])} (sum of outcome rows = {_num(s)})"


def _old_table_checks(report_id: str, requests: list[dict], appeals: list[dict]) -> list[dict]:
    """Check rows for one report (requests/appeals rows as produced by :func:`helpers.tables.parse_tables`)."""
    out: list[dict] = []
    missing: Cell = (None, "missing")
    col = {a: j for j, a in enumerate(APPLICANTS)}
    matrix: dict[str, list[Cell]] = {}
    for r in requests:
        cells = matrix.get(r["row"])
        if cells is None:
            cells = matrix[r["row"]] = [missing] * len(APPLICANTS)
        j = col.get(r["applicant"])
        if j is not None:
            cells[j] = (r["value"], r["status"])
    rows = list(matrix)
    absent = [missing] * len(APPLICANTS)

    def get(row: str, applicant: str) -> Cell:
        return matrix.get(row, absent)[col[applicant]]

    if not requests or all(st == "missing" for cells in matrix.values() for _, st in cells):
        for check in ("requests_balance", "requests_outcomes_sum", "requests_applicant_sum"):
            out.append(_row(report_id, check, "all", "unknown", "cannot check: requests table not found"))
    else:
        results = [(a, *_old_balance(get, a)) for a in APPLICANTS]
        out += _old_summary(report_id, "requests_balance", results, "applicant columns")
        outcome_rows = [r for r in rows if r in OUTCOME_ROWS]
        handled = matrix.get("handled_total", absent)
        results = [(a, *_old_outcomes([(r, matrix[r][j]) for r in outcome_rows], handled[j]))
                   for j, a in enumerate(APPLICANTS)]
        out += _old_summary(report_id, "requests_outcomes_sum", results, "applicant columns")
        results = [(r, *_old_sum_case(list(zip(ORGS, matrix[r][:-1])), ("total", matrix[r][-1]))) for r in rows]
        out += _old_summary(report_id, "requests_applicant_sum", results, "rows")

    app = {(r["proceeding"], r["result"]): (r["value"], r["status"]) for r in appeals}
    if not appeals or all(st == "missing" for _, st in app.values()):
        out.append(_row(report_id, "appeals_sum", "all", "unknown", "cannot check: appeals table not found"))
    else:
        results = []
        for p in PROCEEDINGS:
            cells = [(r, app.get((p, r), (None, "missing"))) for r in PARTS]
            results.append((p, *_old_sum_case(cells, ("total", app.get((p, "total"), (None, "missing"))))))
        out += _old_summary(report_id, "appeals_sum", results, "proceedings")
    return out


# Cell texts: values (with units, commas, signs), placeholders, rules, page numbers, labels with full-width
# and traditional characters (so the raw line differs from the normalised one), spaces inside cells.
TOKENS = ["0", "7", "12", "3.5", "1,234", "+4", "-2", "245万", "3万元", "10元", "5件", "?3", "?", "/", "-", "--", "—",
          "无", "---", ":---:", "===", "- 5 -", "第 3 页", "2/9", "（一）予以公开", "(二)部分公开", "1.属于国家秘密",
          "3.其他", "总计", "自然人", "法人或其他组织", "科研 机构", "規章", "行政許可", "本年新收政府信息公开申请数量",
          "第二十条第（一）项", "信息内容", "本年制发件数", "(七)总计", "ā", "　", " ", "", "予以公开0", "9 9"]
SEPS = ["\t", "\t\t", "|", " | ", "｜", "||||", " ", "  ", "\u3000"]


@hs.composite
def raw_blocks(draw) -> list[str]:
    """A block of raw table lines: cells joined by separators, blank lines, lone pipes, page numbers."""
    lines = []
    for _ in range(draw(hs.integers(1, 14))):
        shape = draw(hs.sampled_from(["row", "row", "row", "cell", "blank", "pipes"]))
        if shape == "blank":
            lines.append(draw(hs.sampled_from(["", " ", "\t"])))
        elif shape == "pipes":
            lines.append(draw(hs.sampled_from(["|", " | ", "||", "| |", "｜"])))
        elif shape == "cell":
            lines.append(draw(hs.sampled_from(TOKENS)) + draw(hs.sampled_from(["", " |", "|"])))
        else:
            toks = draw(hs.lists(hs.sampled_from(TOKENS), min_size=1, max_size=9))
            sep = draw(hs.sampled_from(SEPS))
            edge = draw(hs.sampled_from(["", "|", "| "])) if "|" in sep or "｜" in sep else ""
            lines.append(edge + sep.join(toks) + edge[::-1])
    return lines


def _fields(cells: list[Cell]) -> list[tuple]:
    return [(c.kind, c.key, c.raw, c.line, c.value, type(c.value), c.unit, c.col, c.gap) for c in cells]


@SETTINGS
@given(raw_blocks(), hs.sampled_from(LAYOUTS), hs.integers(1, 500))
def test_tokenize_matches_plain_version(raw, layout, first_line):
    norm = normalize_lines(raw)
    new_layout, new = tokenize(norm, raw, first_line, layout)
    old_layout, old = _old_tokenize(norm, raw, first_line, layout)
    assert new_layout == old_layout
    assert _fields(new) == _fields(old)


@SETTINGS
@given(raw_blocks())
def test_detect_layout_matches_plain_version(raw):
    norm = normalize_lines(raw)
    assert detect_layout(norm) == _old_detect_layout(norm)


@SETTINGS
@given(hs.lists(hs.sampled_from(TOKENS + ["|", "｜", "\t"]), max_size=10), hs.sampled_from(["\t", "|"]),
       hs.booleans())
def test_row_cells_match_plain_version(toks, sep, markdown):
    raw = sep.join(toks)
    norm = normalize_lines([raw])[0]
    for r in (raw, norm, raw + "|"):
        assert _fields(_row_cells(norm, r, 3, sep, markdown)) == _fields(_old_row_cells(norm, r, 3, sep, markdown))


# ---------------------------------------------------------------------------------------------------------
# Labels: one cached classification instead of a chain of regexes per cell.
def _old_disclosure_label(key: str):
    if L.DISCLOSURE_ANCHOR.search(key):
        return ("anchor", None)
    item = L.match_item(key)
    if item:
        return ("item", item)
    ms = L.find_measures(key)
    if ms:
        return ("measures", ms)
    if L.HEADER_WORDS.search(key) or _NUMBERING.match(key):
        return ("skip", None)
    if L.is_extra_item(key):
        return ("extra", None)
    return ("unknown", None)


def _old_request_label(key: str):
    if _NUMBERING.match(key):
        return ("numbering", None, False)
    if _PROSE.search(key):
        return ("prose", None, False)
    kind, code = L.match_request_label(key)
    return (kind, code, bool(L.APPLICANT_WORDS.search(key)))


LABEL_PARTS = TOKENS + ["其他", "情形", "(六)其他处理", "不予处理", "无法提供", "结转下年度继续办理", "收费金额",
                        "（单位：万元）", "上一年项目数量", "本年增/减", "处理决定数量", "行政复议", "申请人情况",
                        "。", "；", "3件", "其他主动公开情况", "项目", "序号", "[", "]", "【注】"]


@SETTINGS
@given(hs.lists(hs.sampled_from(LABEL_PARTS), min_size=1, max_size=4))
def test_label_classification_matches_plain_chain(parts):
    key = "".join("".join(parts).split())
    assert _disclosure_label(key) == _old_disclosure_label(key)
    assert _request_label(key) == _old_request_label(key)


# ---------------------------------------------------------------------------------------------------------
# Assigning a row's cells to columns.
@SETTINGS
@given(hs.lists(hs.sampled_from(["num", "num", "num", "ph", "empty"]), max_size=9), hs.booleans())
def test_assign_matches_plain_version(kinds, appeals):
    cols = L.RESULTS if appeals else tables.APPLICANTS
    table, dim = ("appeals", "proceeding") if appeals else ("requests", "row")
    slots = [Cell(k, "", f"r{i}", 10 + i % 3, i if k == "num" else None) for i, k in enumerate(kinds)]
    row = _Row("x", Cell("label", "x", "x", 9))
    w_new, w_old = [], []
    assert _assign("x", dim, row, cols, slots, w_new, table) == _old_assign("x", dim, row, cols, slots, w_old, table)
    assert w_new == w_old


# ---------------------------------------------------------------------------------------------------------
# The form checks: pre-speed-up versions.
_ROW_CODES = tuple(codes("requests", "row"))
STATUSES = ("blank", "ambiguous", "missing")  # besides printed
VALUES = (0, 0, 1, 2, 3, 7, 12, 2.5, 0.5, 1e9, -1)


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


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices())
def test_table_checks_match_plain_version(m):
    requests, appeals = m
    assert table_checks("r", requests, appeals) == _old_table_checks("r", requests, appeals)


def test_table_checks_match_plain_version_on_empty_tables():
    for req, app in (([], []), ([{"row": "granted", "applicant": "total", "value": None, "status": "missing"}], [])):
        assert table_checks("r", req, app) == _old_table_checks("r", req, app)


