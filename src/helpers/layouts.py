"""A block of report lines → a stream of table cells, whatever the layout the table was rendered in.

Reports render the same form as tab-separated text, pipe rows, markdown tables, one cell per line (with
blank lines, trailing ` |` or alternating `|` lines between cells), a label line followed by its values, or
PDF text with cells separated by spaces. The layout is detected per block (one report can mix them), and
each line is cut into :class:`Cell` s. The table grammars in :mod:`helpers.tables` then only see cells.

What differs between layouts, beyond how a line is cut, is whether an *empty* cell means something:
row layouts (tab, pipe, markdown, space) pad merged cells with empties, so an empty there is noise;
one-cell-per-line layouts print an empty cell as an extra blank line or a lone ``|``, so an empty there is a
real, positioned, blank cell (``kind="empty"``). In row layouts only an empty slot *between two values of a
line* (or a markdown row's trailing cells) is positioned (``gap=True``); it counts only when it makes the
row exactly as wide as the form. HTML tables arrive here already turned into pipes by
:mod:`helpers.normalize` (a ``<tr>`` per line reads as markdown, a ``<td>`` per line as one cell per line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

# Layout names (also used in warnings and tests).
TAB, PIPE, MARKDOWN, CELL_BLANK, CELL_PIPE, ALTERNATING, CELL_LINE, SPACE = (
    "tab", "pipe-row", "markdown", "cell-per-line-blank", "cell-per-line-pipe", "cell-pipe-alternating",
    "cell-per-line", "pdf-space")
ROW_LAYOUTS = frozenset({TAB, PIPE, MARKDOWN, SPACE})


@dataclass(slots=True)
class Cell:
    """One table cell. ``kind``: label, num (value holds the number), ph (placeholder such as ``/``),
    empty (a positioned empty cell, only in layouts that mark them)."""

    kind: str
    key: str  # squeezed normalised text
    raw: str  # raw text of the cell as printed (stripped)
    line: int  # 1-based line
    value: float | int | None = None
    unit: str = ""  # unit printed inside the cell: 万元 / 元 / 件 / ""
    col: int = -1  # position in its line's split (tab/pipe rows), to spot shifted rows
    gap: bool = False  # an empty slot between two values of a row (`3 | | 1`): a blank cell if the row needs it


# ---------------------------------------------------------------------------------------------------------
# Values.
_NUM = re.compile(r"^\?*([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|万|元|件|个|项|条|次|宗|起)?$")
_PLACEHOLDER = re.compile(r"^(?:/|\\|-{1,2}|—{1,2}|–|―|－|~|×|\*|无|空|\?)$")
_RULE = re.compile(r"^:?-{3,}:?$|^=+$")
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?"
                         r"|\d{1,3}\s*/\s*\d{1,3})\s*$")
_LONE_PIPES = re.compile(r"^\s*\|[\s|]*$")
_PAGE_ENDS = frozenset("页-—–－")  # the last visible character of a PAGE_NUMBER line, if not a digit


def is_page_number(ln: str) -> bool:
    """``PAGE_NUMBER.match(ln)``, without the regex for the lines that cannot be one (it is asked of every line
    of a block): a page number ends on a dash or 页 (`- 3 -`, `第3页`), or on a digit, and then it is `3/9`
    and holds a `/` (``\\d`` and ``isdecimal`` both mean Unicode Nd). Table rows end on a digit, mostly
    without a `/`."""
    s = ln.rstrip()
    last = s[-1:]
    if last in _PAGE_ENDS or (last.isdecimal() and "/" in s):
        return PAGE_NUMBER.match(ln) is not None
    return False


# A page-number line holds one of these: the dash or 页 it ends on, or the `/` of `3/9` (see is_page_number).
_PAGE_CHAR = re.compile(r"[页/\-—–－]")


def page_number_lines(norm: list[str]) -> frozenset[int]:
    """Indices of the page-number lines of a block (:func:`is_page_number`), found once for the layout
    detection and the tokenising, which both skip them.

    Only the lines holding a character a page number needs are asked, found by searching the joined block:
    most blocks hold none or a few, and a per-line test costs more than the search over the whole block."""
    text = "\n".join(norm)
    if text.count("\n") != len(norm) - 1:  # a line holding a newline itself: line by line
        return frozenset(i for i, ln in enumerate(norm) if is_page_number(ln))
    found = []
    i = start = 0  # the line ``i`` starts at ``start`` in ``text``
    m = _PAGE_CHAR.search(text)
    while m:
        i += text.count("\n", start, m.start())
        end = text.find("\n", m.end())
        if is_page_number(norm[i]):
            found.append(i)
        if end < 0:
            break
        i, start = i + 1, end + 1
        m = _PAGE_CHAR.search(text, start)
    return frozenset(found)


def parse_value(key: str) -> tuple[str, float | int | None, str]:
    """Squeezed cell text → (kind, value, unit): ``num``, ``ph`` (placeholder), ``rule`` or ``label``."""
    if not key:
        return ("empty", None, "")
    m = _NUM.match(key)
    if m:
        sign, digits, frac, unit = m.groups()
        digits = digits.replace(",", "")
        if frac:
            value: float | int = float(digits + frac)
        else:
            value = int(digits)
        if sign == "-":
            value = -value
        unit = {"万": "万元", "万元": "万元", "元": "元"}.get(unit or "", "件" if unit else "")
        return ("num", value, unit)
    if _PLACEHOLDER.match(key):
        return ("ph", None, "")
    if _RULE.match(key):
        return ("rule", None, "")
    return ("label", None, "")


def squeeze_fast(text: str) -> str:
    """All whitespace removed, as :func:`helpers.normalize.squeeze`, without a regex (hot path)."""
    return "".join(text.split())


# Cell texts already classified, (key, kind, value, unit) by normalised text: cells repeat (`0`, the form's
# labels). A plain dict rather than an lru_cache, so that the hot loops can read it inline,
# ``_CLASSIFIED.get(t) or classify(t)`` (a classification is a 4-tuple, never false), at a third of the cost
# of a cached call; it is emptied whenever it reaches _CLASSIFIED_MAX entries.
_CLASSIFIED: dict[str, tuple[str, str, float | int | None, str]] = {}
_CLASSIFIED_MAX = 16384


def classify(text_norm: str) -> tuple[str, str, float | int | None, str]:
    """(key, kind, value, unit) of a cell's normalised text, memoised in ``_CLASSIFIED``."""
    got = _CLASSIFIED.get(text_norm)
    if got is None:
        if len(_CLASSIFIED) >= _CLASSIFIED_MAX:
            _CLASSIFIED.clear()
        key = squeeze_fast(text_norm)
        kind, value, unit = parse_value(key)
        got = _CLASSIFIED[text_norm] = (key, kind, value, unit)
    return got


def _cell(text_norm: str, text_raw: str, line: int) -> Cell | None:
    key, kind, value, unit = _CLASSIFIED.get(text_norm) or classify(text_norm)
    if kind == "rule":
        return None
    return Cell(kind, key, text_raw.strip(), line, value, unit)


# ---------------------------------------------------------------------------------------------------------
# Detection.
_SPACE_VALUES = re.compile(r"(?:^|\s)[+-]?\d+(?:\.\d+)?(?:万元|万|元)?(?:\s+(?:\?\s+)?[+-]?\d+(?:\.\d+)?(?:万元|万|元)?)+\s*$")


def _may_hold_space_values(ln: str) -> bool:
    """False when :data:`_SPACE_VALUES` cannot match ``ln``, told without the regex (one-cell-per-line blocks
    ask it of every line): the pattern needs whitespace between two values, so inside the stripped line, and
    every whitespace character but " " is unprintable."""
    s = ln.strip()
    return " " in s or not s.isprintable()


def _inner_pipe_cells(line: str) -> int:
    """How many non-empty cells a pipe-separated line holds."""
    return sum(1 for part in line.split("|") if part.strip())


def detect_layout(norm: list[str], pages: frozenset[int] | None = None) -> str:
    """Name the layout of a block of normalised lines (see the module docstring); ``pages``: its
    :func:`page_number_lines`, if known."""
    if pages is None:
        pages = page_number_lines(norm)
    # the lines that hold anything (strip() drops exactly what isspace() calls whitespace) but page numbers
    if pages:
        lines = [ln for i, ln in enumerate(norm) if i not in pages and ln.strip()]
    else:
        lines = list(filter(str.strip, norm))
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


# ---------------------------------------------------------------------------------------------------------
# Tokenising.
_SPACE_SPLIT = re.compile(r"[\s\u3000\xa0]+")


def _split(text: str, sep: str) -> list[str]:
    """``re.split`` on a tab, or on ``[|｜]``, with str methods (hot path: every table row)."""
    if sep == "\t":
        return text.split("\t")
    if "｜" in text:
        text = text.replace("｜", "|")
    return text.split("|")


def _split_pair(norm: str, raw: str) -> list[tuple[str, str]]:
    """Split a normalised line and its raw twin on pipes; raw falls back to norm if they disagree."""
    if "|" not in norm and "｜" not in norm:  # one cell per line: the common case
        return [(norm, raw if "|" not in raw and "｜" not in raw else norm)]
    parts = _split(norm, "|")
    if raw == norm:
        return list(zip(parts, parts))
    raws = _split(raw, "|")
    if len(raws) != len(parts):
        raws = parts
    return list(zip(parts, raws))


# A row's cell as _row_template caches it: Cell's fields but ``line`` (kind, key, raw, value, unit, col, gap),
# ``raw`` being the stripped normalised text, which is the raw text whenever the raw line is the same.
_CellSpec = tuple[str, str, str, float | int | None, str, int, bool]


@lru_cache(maxsize=16384)
def _row_template(ln: str, sep: str, markdown: bool = False) -> tuple[tuple[_CellSpec, ...], int]:
    """A tab/pipe row's cells and its number of parts; cached, since form rows repeat (header rows, rows
    of zeros, the same row labels in every report).

    Empty slots between two values of the line are kept as gaps (kind ``empty``, ``gap=True``): a tab row's
    `3\t\t1`, a pipe row's `3 | | 1`, a markdown row's `| 3 |  | 1 |`. Trailing empty cells count in
    markdown rows, and in pipe rows when they are spaced slots running to the closing pipe (`… | 0 | |`); a
    tab row's trailing tabs are padding (000, 002). A pipe row's run of bare pipes (`3 | |||| 1`, `| |||`)
    is merge padding that loses positions, so such a line keeps no gaps.
    """
    parts = _split(ln, sep)
    cells = [(kind, key, t.strip(), value, unit, col, False)
             for col, t in enumerate(parts) if t and not t.isspace()
             for key, kind, value, unit in (_CLASSIFIED.get(t) or classify(t),) if kind != "rule"]
    if len(cells) == len(parts):  # no empty slot (nor rule): no gaps
        return tuple(cells), len(parts)
    vals = [c[5] for c in cells if c[0] == "num" or c[0] == "ph"]  # columns of values and placeholders
    blanks = [col for col, t in enumerate(parts) if not t or t.isspace()]  # columns of empty slots
    if vals and blanks:
        lo, hi = vals[0], vals[-1]
        if markdown or sep == "|":
            last = len(parts) - 2 if ln.rstrip().endswith("|") else len(parts) - 1  # the row's last cell
            if markdown:
                hi = max(hi, last)
            else:  # `… | 0 | |`: spaced slots up to the closing pipe are cells; `| |||` is padding
                k = hi
                while k < last and parts[k + 1] and parts[k + 1].isspace():
                    k += 1
                hi = k if k == last else hi
        empties = [col for col in blanks if lo < col <= hi]
        bare = sep == "|" and not markdown and any(not parts[col] for col in empties)
        if (empties and not bare
                and all(c[0] == "num" or c[0] == "ph" for c in cells if lo < c[5] <= hi)):
            cells.extend(("empty", "", parts[col].strip(), None, "", col, True) for col in empties)
            cells.sort(key=_SPEC_COL)
    return tuple(cells), len(parts)


_SPEC_COL = itemgetter(5)


_GLUED = re.compile(r"^(.*[\u4e00-\u9fff)])(\d+(?:\.\d+)?)$")


def _row_cells(ln: str, raw: str, line: int, sep: str, markdown: bool) -> list[Cell]:
    """One tab/pipe row (normalised ``ln``, raw twin ``raw``) → its cells, gaps included."""
    specs, nparts = _row_template(ln, sep, markdown)
    if raw != ln:
        raws = _split(raw, sep)
        if len(raws) == nparts:
            return [Cell(kind, key, raws[col].strip(), line, value, unit, col, gap)
                    for kind, key, _, value, unit, col, gap in specs]
    return [Cell(kind, key, r, line, value, unit, col, gap) for kind, key, r, value, unit, col, gap in specs]


def _tab_row_cells(ln: str, raw: str, line: int, out: list[Cell]) -> None:
    """A tab row's cells, appended to ``out``: :func:`_row_cells` with ``sep="\\t"``, in one pass.

    Section 三 prints ~30 such rows per report and their numbers differ from report to report, so a
    cached template rarely helps them; here each part is classified (cached per cell text) and turned into
    a :class:`Cell` directly. Only a row with an empty slot *between two values* may have gaps, which the
    template decides: such a row goes to :func:`_row_cells` (trailing and leading tabs are padding)."""
    parts = ln.split("\t")
    raws = parts
    if raw != ln:
        raws = raw.split("\t")
        if len(raws) != len(parts):
            raws = parts  # as _row_cells: the raw line does not split alike, so the normalised text stands
    start = len(out)
    seen_value = blank_after_value = False
    classified = _CLASSIFIED.get
    for col, t in enumerate(parts):
        # kind "empty" exactly when t is blank (the key keeps no whitespace)
        key, kind, value, unit = classified(t) or classify(t)
        if kind == "num" or kind == "ph":
            if blank_after_value:  # `3\t\t1`: a gap the template has to weigh
                del out[start:]
                out.extend(_row_cells(ln, raw, line, "\t", False))
                return
            seen_value = True
        elif kind == "empty":
            blank_after_value = seen_value
            continue
        elif kind == "rule":
            continue
        out.append(Cell(kind, key, raws[col].strip(), line, value, unit, col))


def _space_cells(norm: str, raw: str, line: int) -> list[Cell]:
    """PDF text: the trailing run of value tokens are cells; everything before them is one label."""
    toks = [t for t in _SPACE_SPLIT.split(norm.strip()) if t]
    rtoks = [t for t in _SPACE_SPLIT.split(raw.strip()) if t]
    if len(rtoks) != len(toks):
        rtoks = toks
    if "?" in toks:  # `? 0`: a mis-decoded space before a value (D99), not a placeholder cell of its own
        keep = [k for k in range(len(toks)) if not (toks[k] == "?" and k + 1 < len(toks)
                                                      and classify(toks[k + 1])[1] == "num")]
        toks, rtoks = [toks[k] for k in keep], [rtoks[k] for k in keep]
    j = len(toks)
    while j > 0:
        kind = classify(toks[j - 1])[1]
        if kind not in ("num", "ph"):
            break
        j -= 1
    # `(一)予以公开0 0 0 …`: the label glued to its first value; only beside other values, since a wrapped
    # sentence may end on a number too
    if 0 < j < len(toks):
        m = _GLUED.match(toks[j - 1])
        if m:
            cut = m.start(2)
            r = rtoks[j - 1] if len(rtoks[j - 1]) == len(toks[j - 1]) else toks[j - 1]
            toks = toks[:j - 1] + [toks[j - 1][:cut], toks[j - 1][cut:]] + toks[j:]
            rtoks = rtoks[:j - 1] + [r[:cut], r[cut:]] + rtoks[j:]
    # `1. 属于国家秘密`: a lone numbering token never ends the label part (it has a dot, so it is not a value)
    out: list[Cell] = []
    if j:
        label_norm = " ".join(toks[:j])
        c = _cell(label_norm, " ".join(rtoks[:j]), line)
        if c:
            out.append(c)
    for t, r in zip(toks[j:], rtoks[j:]):
        c = _cell(t, r, line)
        if c:
            out.append(c)
    return out


def tokenize(norm: list[str], raw: list[str], first_line: int, layout: str | None = None) -> tuple[str, list[Cell]]:
    """Cut a block (``norm[i]`` is line ``first_line + i``) into cells; returns (layout, cells)."""
    pages = page_number_lines(norm)
    layout = layout or detect_layout(norm, pages)
    cells: list[Cell] = []
    n = len(norm)
    if layout in (TAB, PIPE, MARKDOWN):
        tab, markdown = layout == TAB, layout == MARKDOWN
        for i in range(n):
            ln = norm[i]
            if not ln or ln.isspace() or (i in pages and len(ln) < 24):
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
            if ln.strip() and i not in pages:
                cells.extend(_space_cells(ln, raw[i], first_line + i))
        return layout, cells
    if layout == CELL_BLANK:
        return layout, _cell_blank(norm, raw, first_line, pages)
    # one cell per line: CELL_PIPE, ALTERNATING, CELL_LINE
    prev_pipe = False
    blank_cells = layout in (ALTERNATING, CELL_LINE)  # a blank line is an empty cell
    furniture = _page_break_blanks(norm, pages) if blank_cells else set()
    for i in range(n):
        ln = norm[i]
        line = first_line + i
        if not ln or ln.isspace():
            if blank_cells and i not in furniture:
                cells.append(Cell("empty", "", "", line))
            prev_pipe = False
            continue
        if i in pages:
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


def _page_break_blanks(norm: list[str], pages: frozenset[int] | None = None) -> set[int]:
    """Blank lines next to a page-number line (of ``pages``, the :func:`page_number_lines`) are page
    furniture, not empty cells (losing a real empty cell there leaves a row short, hence ambiguous; counting
    furniture as cells would shift it)."""
    out: set[int] = set()
    n = len(norm)
    for i in page_number_lines(norm) if pages is None else pages:
        if len(norm[i]) < 24:
            j = i - 1
            while j >= 0 and not norm[j].strip():
                out.add(j)
                j -= 1
            j = i + 1
            while j < n and not norm[j].strip():
                out.add(j)
                j += 1
    return out


def _cell_blank(norm: list[str], raw: list[str], first_line: int,
                pages: frozenset[int] | None = None) -> list[Cell]:
    """Cells separated by one blank line; each further blank line is one empty cell.

    A run of non-blank lines is one cell (header cells wrap: `科研` / `机构`), except that a run of values
    is one value per line. A page-number line (of ``pages``, the :func:`page_number_lines`) takes its
    following blank line with it.
    """
    if pages is None:
        pages = page_number_lines(norm)
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
        if i in pages:
            i += 1
            if i < n and (not norm[i] or norm[i].isspace()):
                i += 1
            continue
        j = i + 1
        while j < n and norm[j] and not norm[j].isspace() and j not in pages:
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


def _run_cells(norm: list[str], raw: list[str], i: int, j: int, first_line: int) -> list[Cell]:
    """Lines ``i``..``j - 1``, a run of non-blank lines: one value per value line, the label lines between
    them joined into one cell each; a run without values is one (wrapped) cell."""
    cells: list[Cell] = []
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
    return cells
