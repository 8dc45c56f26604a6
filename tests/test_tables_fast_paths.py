"""The third round of table-stage speed-ups gives exactly what the code it replaced gave (issue 7, "Scale").

Each ``_old_*`` function below is the replaced code as it stood before this round, kept verbatim as an
oracle: page-number lines (now found once per block, by one search of the joined block, instead of one
``is_page_number`` per line in the detection and again in the tokenising) and the requests matrix of the
checks (now cut from the rows in C when they come as :func:`helpers.tables.request_rows` prints them).
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
from helpers.checks import _COL, _REQUEST_FIELDS, APPLICANTS, _request_matrix
from helpers.codebook import codes
from helpers.layouts import (ALTERNATING, CELL_BLANK, CELL_LINE, CELL_PIPE, MARKDOWN, PIPE, SPACE, TAB, _LONE_PIPES,
                             _SPACE_VALUES, Cell, _cell, _inner_pipe_cells, _may_hold_space_values, _row_cells,
                             _run_cells, _space_cells, _split_pair, _tab_row_cells, detect_layout, is_page_number,
                             page_number_lines, tokenize)
from helpers.normalize import normalize_lines
from helpers.parse import parse_bytes

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LAYOUTS = (None, TAB, PIPE, MARKDOWN, CELL_BLANK, CELL_PIPE, ALTERNATING, CELL_LINE, SPACE)


# ---------------------------------------------------------------------------------------------------------
# The replaced code: every line asked is_page_number, in the detection and again in the tokenising.
def _old_detect_layout(norm: list[str]) -> str:
    """Name the layout of a block of normalised lines (see the module docstring)."""
    lines = [ln for ln in norm if ln and not ln.isspace() and not is_page_number(ln)]
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
    # one row of space-separated values is enough (section 四's fifteen numbers); _may_hold_space_values
    # inlined, since most lines of a one-cell-per-line block (` 4`, `申请人情况`) hold no inner whitespace
    if any(_SPACE_VALUES.search(ln) for ln in lines if " " in (s := ln.strip()) or not s.isprintable()):
        return SPACE
    # lines followed by a blank line: a byte per line, 1 if it holds anything (strip() drops exactly what
    # isspace() calls whitespace), and the count of `1 0` pairs (they cannot overlap); all in C
    followed = bytes(map(bool, map(str.strip, norm))).count(b"\x01\x00")
    if followed * 2 >= n:
        return CELL_BLANK
    return CELL_LINE


def _old_tokenize(norm: list[str], raw: list[str], first_line: int, layout: str | None = None) -> tuple[str, list[Cell]]:
    """Cut a block (``norm[i]`` is line ``first_line + i``) into cells; returns (layout, cells)."""
    layout = layout or _old_detect_layout(norm)
    cells: list[Cell] = []
    n = len(norm)
    if layout in (TAB, PIPE, MARKDOWN):
        tab, markdown = layout == TAB, layout == MARKDOWN
        for i in range(n):
            ln = norm[i]
            if not ln or ln.isspace() or (len(ln) < 24 and is_page_number(ln)):
                continue
            line = first_line + i
            if not tab and "|" not in ln and "｜" not in ln:
                cells.extend(_space_cells(ln, raw[i], line))
                continue
            if tab and ("\t" in ln or "|" not in ln):
                _tab_row_cells(ln, raw[i], line, cells)
            else:
                cells.extend(_row_cells(ln, raw[i], line, "|", markdown))
        return layout, cells
    if layout == SPACE:
        for i in range(n):
            ln = norm[i]
            if ln.strip() and not is_page_number(ln):
                cells.extend(_space_cells(ln, raw[i], first_line + i))
        return layout, cells
    if layout == CELL_BLANK:
        return layout, _old_cell_blank(norm, raw, first_line)
    # one cell per line: CELL_PIPE, ALTERNATING, CELL_LINE
    prev_pipe = False
    blank_cells = layout in (ALTERNATING, CELL_LINE)  # a blank line is an empty cell
    furniture = _old_page_break_blanks(norm) if blank_cells else set()
    for i in range(n):
        ln = norm[i]
        line = first_line + i
        if not ln or ln.isspace():
            if blank_cells and i not in furniture:
                cells.append(Cell("empty", "", "", line))
            prev_pipe = False
            continue
        if is_page_number(ln):
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
        if len(parts) == 1 and layout == CELL_LINE and _may_hold_space_values(ln) and _SPACE_VALUES.search(ln):
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


def _old_page_break_blanks(norm: list[str]) -> set[int]:
    """Blank lines next to a page-number line are page furniture, not empty cells (losing a real empty cell
    there leaves a row short, hence ambiguous; counting furniture as cells would shift it)."""
    out: set[int] = set()
    n = len(norm)
    for i, ln in enumerate(norm):
        if ln and not ln.isspace() and len(ln) < 24 and is_page_number(ln):
            j = i - 1
            while j >= 0 and not norm[j].strip():
                out.add(j)
                j -= 1
            j = i + 1
            while j < n and not norm[j].strip():
                out.add(j)
                j += 1
    return out


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
        if not ln or ln.isspace():
            if pending_sep:
                pending_sep = False
            elif cells:  # blank lines before the first cell are not cells
                cells.append(Cell("empty", "", "", first_line + i))
            i += 1
            continue
        if is_page_number(ln):
            i += 1
            if i < n and (not norm[i] or norm[i].isspace()):
                i += 1
            continue
        j = i + 1
        while j < n and norm[j] and not norm[j].isspace() and not is_page_number(norm[j]):
            j += 1
        if j == i + 1:  # a cell on one line: the common case
            c = _cell(ln, raw[i], first_line + i)
            if c:
                cells.append(c)
        else:
            cells.extend(_run_cells(norm, raw, i, j, first_line))
        pending_sep = True
        i = j
    return cells


# ---------------------------------------------------------------------------------------------------------
# Generated blocks: every layout, page numbers (also long, spaced, glued to a newline) and the characters
# the page-number search looks for, in cells that are not page numbers (`/`, `—`, `增/减`, `3/9 件`).
CELLS = ["0", "12", "3.5", "-2", "245万元", "/", "—", "--", "-", "无", "|", " | ", "||", "（一）予以公开", "1.属于国家秘密",
         "增/减", "第二十条第（一）项", "自然人", "科研 机构", "总计", "本年新收", "1/2件", "页", "第 页", "第3页共9页",
         "a-b", "0 0 0 0 0", "予以公开 0 0 0", ":---:", "\u3000", "ā"]
PAGES = ["- 3 -", "— 12 —", "第 3 页", "第3页,共9页", "3/9", "  4 / 12  ", "－5－", "\t- 3 -\t",
         "- 3 -" + " " * 30, "第 3 页" + "\u3000" * 20, "- 3 -\n", "3/9\n- 4 -", "2023/12", "- 1234 -", "12/31 3"]
SEPS = ["\t", "|", " | ", "｜", " ", "  ", "\t\t"]


@hs.composite
def blocks(draw) -> list[str]:
    """A block of raw lines in one of the layouts (rows, one cell per line, blank-separated), with page numbers."""
    shape = draw(hs.sampled_from(["rows", "cells", "blank"]))
    lines: list[str] = []
    for _ in range(draw(hs.integers(0, 16))):
        pick = draw(hs.integers(0, 9))
        if pick == 0:
            lines.append(draw(hs.sampled_from(PAGES)))
        elif pick == 1:
            lines.append(draw(hs.sampled_from(["", " ", "\t", "|", " | "])))
        elif shape == "rows":
            toks = draw(hs.lists(hs.sampled_from(CELLS), min_size=1, max_size=8))
            lines.append(draw(hs.sampled_from(SEPS)).join(toks))
        else:
            lines.append(draw(hs.sampled_from(CELLS)))
        if shape == "blank" and draw(hs.booleans()):
            lines.append("")
    return lines


def _fields(cells: list[Cell]) -> list[tuple]:
    return [(c.kind, c.key, c.raw, c.line, c.value, type(c.value), c.unit, c.col, c.gap) for c in cells]


@SETTINGS
@given(blocks())
def test_page_number_lines_are_the_lines_is_page_number_names(raw):
    for norm in (raw, normalize_lines(raw)):
        assert page_number_lines(norm) == {i for i, ln in enumerate(norm) if is_page_number(ln)}


@SETTINGS
@given(hs.lists(hs.one_of(hs.sampled_from(PAGES + CELLS), hs.text(alphabet="0123456789 /-—–－页第共\n\t|", max_size=12)),
                max_size=12))
def test_page_number_lines_on_any_text(norm):
    assert page_number_lines(norm) == {i for i, ln in enumerate(norm) if is_page_number(ln)}


@SETTINGS
@given(blocks(), hs.sampled_from(LAYOUTS), hs.integers(1, 500), hs.booleans())
def test_tokenize_matches_the_previous_version(raw, layout, first_line, same_raw):
    norm = normalize_lines(raw)
    if same_raw:
        raw = list(norm)
    assert detect_layout(norm) == _old_detect_layout(norm)
    assert detect_layout(raw) == _old_detect_layout(raw)
    new_layout, new = tokenize(norm, raw, first_line, layout)
    old_layout, old = _old_tokenize(norm, raw, first_line, layout)
    assert new_layout == old_layout
    assert _fields(new) == _fields(old)


def test_blocks_of_the_seeds_match_the_previous_version(seed_texts):
    n = 0
    for text in seed_texts.values():
        raw = text.split("\n")
        norm = normalize_lines(raw)
        for i in range(0, len(raw), 15):  # overlapping windows, in the detected layout and in every other
            block_norm, block_raw = norm[i:i + 40], raw[i:i + 40]
            assert detect_layout(block_norm) == _old_detect_layout(block_norm)
            for layout in LAYOUTS:
                assert _fields(tokenize(block_norm, block_raw, i + 1, layout)[1]) == \
                    _fields(_old_tokenize(block_norm, block_raw, i + 1, layout)[1])
            n += 1
    assert n > 30


# ---------------------------------------------------------------------------------------------------------
# The requests matrix of the checks: the loop it replaced, cell by cell.
def _old_request_matrix(requests: list[dict]) -> tuple[dict[str, list], dict[str, list[str]]]:
    ncols = len(APPLICANTS)
    # the requests matrix as parallel value and status lists per row, in the order rows first appear
    values: dict[str, list] = {}
    statuses: dict[str, list[str]] = {}
    col = _COL.get
    for row, applicant, value, status in map(_REQUEST_FIELDS, requests):
        vs = values.get(row)
        if vs is None:
            vs = values[row] = [None] * ncols
            sts = statuses[row] = ["missing"] * ncols
        else:
            sts = statuses[row]
        j = col(applicant)
        if j is not None:
            vs[j] = value
            sts[j] = status
    return values, statuses


_ROW_CODES = tuple(codes("requests", "row"))


@hs.composite
def request_lists(draw) -> list[dict]:
    """Requests rows as request_rows prints them (runs of seven), then spoilt: a cell left out or moved, a
    run repeated, an unknown applicant, rows interleaved."""
    rng = random.Random(draw(hs.integers(0, 2**32)))
    rows = [r for r in _ROW_CODES if rng.random() < 0.9]
    out = [{"row": r, "applicant": a, "value": rng.choice((0, 1, 2.5, None)),
            "status": rng.choice(("printed", "blank", "missing"))} for r in rows for a in APPLICANTS]
    spoil = rng.randrange(8)
    if spoil == 1 and out:
        del out[rng.randrange(len(out))]
    elif spoil == 2 and len(out) > 7:
        out += out[:7]  # a whole run printed twice: the later one wins
    elif spoil == 3 and out:
        out[rng.randrange(len(out))] = dict(out[0], applicant="someone")
    elif spoil == 4 and len(out) > 14:
        out[3], out[10] = out[10], out[3]  # two rows interleaved
    elif spoil == 5:
        rng.shuffle(out)
    elif spoil == 6 and out:
        out[rng.randrange(len(out))] = dict(out[0], row="granted")
    return out


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request_lists())
def test_request_matrix_matches_the_loop(requests):
    new, old = _request_matrix(requests), _old_request_matrix(requests)
    assert repr(new) == repr(old)
    assert [list(m) for m in new] == [list(m) for m in old]  # the rows in the same order


# ---------------------------------------------------------------------------------------------------------
# Whole reports, parsed with this round's code and with the old code patched in.
@pytest.fixture(scope="module")
def report_bytes(tmp_path_factory) -> dict[str, bytes]:
    """The seeds plus 30 synthetic reports and thinned and cut copies (conftest.varied_reports)."""
    return varied_reports(tmp_path_factory.mktemp("synthetic"), 30, seed=17, rng_seed=19)


def test_reports_parse_the_same_with_the_old_code(report_bytes, monkeypatch):
    fast = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    with monkeypatch.context() as m:
        m.setattr(layouts, "tokenize", _old_tokenize)
        m.setattr(tables, "tokenize", _old_tokenize)
        m.setattr(checks, "_request_matrix", _old_request_matrix)
        plain = {name: parse_bytes(data, name) for name, data in report_bytes.items()}
    assert sum(len(r.tables.get("requests", [])) for r in fast.values()) > 1000  # the tables were really read
    for name in report_bytes:
        assert fast[name].report == plain[name].report, name
        assert repr(fast[name].tables) == repr(plain[name].tables), name
