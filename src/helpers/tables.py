"""Sections 二, 三, 四 → disclosure, requests and appeals rows in the codebook's codes.

Each table is first located by its own anchors (第二十条…, 勾稽关系/申请人情况/本年新收, 行政复议), with the
section headings only as soft limits, because some reports have no headings and others carry row labels
(`三、本年度办理结果`, `四、结转下年度继续办理`) that look like headings. Each block is cut into cells by
:mod:`helpers.layouts` (layout detected per table) and read by a small grammar per table.

Alignment rule (the heart of it): a row's values are assigned to columns by position only when the row
prints exactly as many cells as the form has columns. A row that prints fewer, with nothing marking which
cells are empty, keeps its last number as the total and marks the rest ``ambiguous``; nothing is ever
shifted into a neighbouring column. Layouts that do mark empty cells (one cell per line) count them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from . import labels as L
from .codebook import codes
from .layouts import ROW_LAYOUTS, Cell, tokenize
from .model import Doc, Section
from .sections import heading_key

APPLICANTS = tuple(codes("requests", "applicant"))
_ALL_ROWS = tuple(codes("requests", "row"))
_OTHER_SPLIT = ("other_no_correction", "other_unpaid_fee", "other_other")
ROWS_2021 = tuple(r for r in _ALL_ROWS if r != "other")
ROWS_SINGLE_OTHER = tuple(r for r in _ALL_ROWS if r not in _OTHER_SPLIT)
_ITEM_ORDER = {c: i for i, c in enumerate(codes("disclosure", "item"))}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.,]?|\([一二三四五六七八九十\d]+\)|\d+[.、]?)$")
_FIFTEEN = re.compile(r"^\s*(?:[+-]?\d+(?:\.\d+)?\s+){14}[+-]?\d+\s*$")
_MAX_BLOCK = 400  # lines: a table block never runs longer than this (001-style one cell per line: ~300)


@dataclass
class TablesResult:
    disclosure: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    appeals: list[dict] = field(default_factory=list)
    template: str | None = None  # "2019" / "2021", decided from the column labels
    found: dict[str, bool] = field(default_factory=dict)  # {"disclosure": bool, "requests": bool, "appeals": bool}
    warnings: list[dict] = field(default_factory=list)  # {stage, line, message}


def _warn(out: list[dict], line: int | None, message: str) -> None:
    out.append({"stage": "tables", "line": line, "message": message})


# ---------------------------------------------------------------------------------------------------------
# Locating the blocks.
def _first(keys: list[str], pat: re.Pattern[str], start: int, stop: int, max_len: int) -> int | None:
    """First 0-based index in [start, stop) whose squeezed line matches and is short enough to be a table line."""
    for i in range(start, min(stop, len(keys))):
        k = keys[i]
        if k and len(k) <= max_len and pat.search(k):
            return i
    return None


def _heading_after(doc: Doc, keys: list[str], start: int, stop: int, wanted: tuple[str, ...]) -> int | None:
    """First 0-based index in [start, stop) that is a section heading of one of ``wanted``."""
    for i in range(start, min(stop, len(keys))):
        k = keys[i]
        if not k or len(k) > 60:
            continue
        hk = heading_key(doc.norm[i])
        if hk and hk[0] in wanted:
            return i
    return None


_ROW_LIKE = re.compile(r"结转|办[理结]结果|本年新收|上年结转|第二十条")
_APPEALS_WORDS = re.compile(r"复议|诉讼")
_DISCLOSURE_HEADER = re.compile(r"^信息内容|制发件数|新制作数量")


def _heading_index(sec: Section | None, keys: list[str], reject: re.Pattern[str],
                   need: re.Pattern[str] | None = None) -> int | None:
    """0-based line of a section heading, trusted as a block limit only if it is not a table row label."""
    if sec is None or not sec.heading_line:
        return None
    k = keys[sec.heading_line - 1]
    if reject.search(k) or (need is not None and not need.search(k)):
        return None
    return sec.heading_line - 1


def find_blocks(doc: Doc, sections: dict[str, Section]) -> dict[str, tuple[int, int]]:
    """0-based half-open line ranges of the three tables: {"disclosure": (a, b), …}; absent tables left out."""
    n = len(doc.norm)
    keys = ["".join(x.split()) if x else "" for x in doc.norm]  # layouts.squeeze_fast, inlined (every line)
    blocks: dict[str, tuple[int, int]] = {}
    pro = sections.get("proactive")
    req = sections.get("requests")
    app = sections.get("appeals")
    lower = pro.start - 1 if pro else 0
    req_head = _heading_index(req, keys, _ROW_LIKE)
    app_head = _heading_index(app, keys, _ROW_LIKE, need=_APPEALS_WORDS)
    d0 = _first(keys, L.DISCLOSURE_ANCHOR, 0, n, 30)
    if d0 is not None and pro and pro.heading_line and d0 < pro.heading_line - 1:
        later = _first(keys, L.DISCLOSURE_ANCHOR, pro.heading_line, n, 30)
        if later is not None:
            d0 = later
    if d0 is None and pro:  # no 第二十条 line: the column header row starts the table
        d0 = _first(keys, _DISCLOSURE_HEADER, pro.start - 1, pro.end, 60)
    r_lower = d0 + 1 if d0 is not None else (req.start - 1 if req else lower)
    r0 = _first(keys, L.REQUESTS_ANCHOR, r_lower, n, 120)
    if r0 is None and req:
        r0 = req.start - 1
    a_lower = (r0 + 1) if r0 is not None else (d0 + 1 if d0 is not None else (app.heading_line - 1 if app and
                                                                                 app.heading_line else n))
    a0 = _first(keys, L.APPEALS_ANCHOR, a_lower, n, 200)
    if a0 is None and r0 is not None:  # headers printed vertically (PDF text), no heading: the 15-number line
        a0 = next((i for i in range(r0 + 1, n) if _FIFTEEN.match(doc.norm[i])), None)
    if d0 is not None:
        ends = [x for x in (r0, a0, req_head) if x is not None and x > d0]
        end = min(ends) if ends else min(n, d0 + _MAX_BLOCK)
        blocks["disclosure"] = (d0, end)
    if r0 is not None:
        ends = [x for x in (a0, app_head) if x is not None and x > r0]
        if ends:
            end = min(ends)
        else:
            nxt = _heading_after(doc, keys, r0 + 1, n, ("problems", "other"))
            end = nxt if nxt is not None else min(n, r0 + _MAX_BLOCK)
        blocks["requests"] = (r0, end)
    if a0 is not None:
        nxt = _heading_after(doc, keys, a0 + 1, n, ("problems", "other"))
        blocks["appeals"] = (a0, nxt if nxt is not None else min(n, a0 + _MAX_BLOCK))
    return blocks


def _cells(doc: Doc, span: tuple[int, int]) -> tuple[str, list[Cell]]:
    a, b = span
    return tokenize(doc.norm[a:b], doc.raw[a:b], a + 1)


# ---------------------------------------------------------------------------------------------------------
# Template.
def decide_template(cells: list[Cell]) -> str | None:
    """2019 or 2021 form, from the section 二 column labels (never from the year)."""
    votes = Counter()
    for c in cells:
        if c.kind != "label":
            continue
        for m in L.find_measures(c.key):
            if m in L.MEASURES_2021:
                votes["2021"] += 1
            elif m in L.MEASURES_2019:
                votes["2019"] += 1
        item = L.match_item(c.key)
        if item in ("other_admin_services", "procurement"):
            votes["2019"] += 1
    if not votes or votes["2021"] == votes["2019"]:
        return None
    return "2021" if votes["2021"] > votes["2019"] else "2019"


# ---------------------------------------------------------------------------------------------------------
# Section 二.
@dataclass
class _Row:
    code: str | None
    label: Cell
    slots: list[Cell] = field(default_factory=list)
    tentative: bool = False

    def has_values(self) -> bool:
        return any(s.kind != "empty" for s in self.slots)

    def n_values(self) -> int:
        return sum(1 for s in self.slots if s.kind != "empty")


def _fit(slots: list[Cell], ncols: int, marked: bool) -> list[Cell]:
    """Drop empty cells a marked layout prints beyond the row's width (a row of padding after it).

    A row layout marks nothing, except the empty slots between two values of one line (``gap``): they are
    blank cells when, and only when, they make the row exactly as wide as the form."""
    if not marked:
        vals = [s for s in slots if s.kind != "empty"]
        if len(vals) < ncols and any(s.gap for s in slots):
            with_gaps = [s for s in slots if s.kind != "empty" or s.gap]
            if len(with_gaps) == ncols:
                return with_gaps
        return vals
    slots = list(slots)
    while len(slots) > ncols and slots[-1].kind == "empty":
        slots.pop()
    while len(slots) > ncols and slots[0].kind == "empty":
        slots.pop(0)
    return slots


def _money(cell: Cell, divisor: float) -> float | int:
    """A money cell in 万元: `251000元` → 25.1; a header `(单位:元)` divides unitless cells too."""
    v = cell.value
    assert v is not None
    if cell.unit == "元":
        v = v / 10000
    elif cell.unit != "万元" and divisor != 1.0:
        v = v / divisor
    else:
        return v
    v = round(v, 6)
    return int(v) if float(v).is_integer() else v


@lru_cache(maxsize=4096)
def _disclosure_label(key: str) -> tuple[str, str | tuple[str, ...] | None]:
    """What a section 二 label cell is, asked in this order: ``("anchor", None)`` (第二十条), ``("item",
    code)`` (a row), ``("measures", codes)`` (a column header), ``("skip", None)`` (header words, row
    numbering), ``("extra", None)`` (a province's extra row) or ``("unknown", None)``.

    Cached: the form's labels repeat in every report."""
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


def parse_disclosure(cells: list[Cell], layout: str, template: str | None, warnings: list[dict]) -> list[dict]:
    marked = layout not in ROW_LAYOUTS
    out: dict[tuple[str, str], dict] = {}
    order: dict[tuple[str, str], tuple[int, int]] = {}
    measures: list[str] = []
    header_key = ""
    rows_since_header = False
    cur: _Row | None = None

    def close(row: _Row | None) -> None:
        if row is None or row.code is None:
            return
        item = row.code
        default = L.DEFAULT_MEASURES[template or "2021"].get(item, ())
        cols = tuple(measures) if measures else default
        slots = _fit(row.slots, len(cols), marked)
        if slots and len(slots) != len(cols) and len(_fit(row.slots, len(default), marked)) == len(default):
            # a header cut or wrapped over lines (`本年新` / `制作数量`): the form's own columns fit the row
            _warn(warnings, row.label.line, f"disclosure: {item} header names {len(cols)} columns but the row "
                                            f"prints {len(default)}; read as the {template or '2021'} form's columns")
            cols = default
            slots = _fit(row.slots, len(cols), marked)
        if all(s.kind == "empty" for s in slots):
            _warn(warnings, row.label.line, f"disclosure: {item} prints no values")
            return
        own = _one_line(slots, len(cols)) if len(slots) > len(cols) else None
        if own is not None:  # stray numbers on other lines: the row's full line wins
            slots = own
            _warn(warnings, row.label.line, f"disclosure: {item} prints stray values on other lines; the "
                                            f"{len(cols)} on line {own[0].line} used")
        if len(slots) != len(cols):
            _warn(warnings, row.label.line, f"disclosure: {item} prints {len(slots)} values for {len(cols)} "
                                            f"columns ({', '.join(cols) or 'none'}); not assigned")
            return
        divisor = L.money_divisor(header_key)
        for pos, (col, cell) in enumerate(zip(cols, slots)):
            if cell.kind == "empty":
                continue
            key = (item, col)
            if key in out:
                _warn(warnings, cell.line, f"disclosure: {item}/{col} printed twice; first kept")
                continue
            if cell.kind == "ph":
                _warn(warnings, cell.line, f"disclosure: {item}/{col} placeholder {cell.raw!r} read as not printed")
                value = None
            elif col == "amount_10k_yuan":
                value = _money(cell, divisor)
            else:
                value = cell.value
                if cell.unit == "万元" and value is not None:
                    value = int(round(value * 10000))
            out[key] = {"item": item, "measure": col, "value": value,
                        "unit": "万元" if col == "amount_10k_yuan" else "件", "raw": cell.raw, "line": cell.line}
            order[key] = (_ITEM_ORDER.get(item, 99), pos)

    for c in cells:
        if c.kind == "label":
            what, found = _disclosure_label(c.key)
            if what == "anchor":
                close(cur)
                cur, measures, header_key, rows_since_header = None, [], "", False
                continue
            if what == "item":
                close(cur)
                cur = _Row(found, c)
                rows_since_header = True
                continue
            if what == "measures":
                if rows_since_header:  # a new header without an anchor line
                    close(cur)
                    cur, measures, header_key, rows_since_header = None, [], "", False
                measures.extend(found)
                header_key += c.key
                continue
            if what == "skip":
                continue
            if what == "extra":
                close(cur)
                cur = _Row(None, c)
                if len(c.key) > 4 and "情况" not in c.key:
                    _warn(warnings, c.line, f"disclosure: extra row {c.raw!r} not in the codebook; skipped")
                continue
            if cur is not None and cur.has_values():
                close(cur)
                cur = None
            if cur is None or cur.code is None:
                _warn(warnings, c.line, f"disclosure: unknown label {c.raw[:30]!r}")
        else:
            if cur is None:
                if c.kind != "empty":
                    _warn(warnings, c.line, f"disclosure: value {c.raw!r} outside any row; skipped")
                continue
            cur.slots.append(c)
    close(cur)
    return [out[k] for k in sorted(out, key=lambda k: order[k])]


# ---------------------------------------------------------------------------------------------------------
# Section 三.
# Form labels never hold a count with its unit or a full stop; a sentence quoting row words does.
_PROSE = re.compile(r"。|\d+(?:件|条|次|项|宗|起)|[;；]")


@lru_cache(maxsize=4096)
def _request_label(key: str) -> tuple[str, str | None, bool]:
    """(kind, code, applicant) of a section 三 label cell: kind ``numbering`` (`(一)`, `1.`), ``prose`` (a
    sentence), else :func:`helpers.labels.match_request_label`'s; ``applicant``: it names an applicant column.

    Cached: the form's labels repeat in every report."""
    if _NUMBERING.match(key):
        return ("numbering", None, False)
    if _PROSE.search(key):
        return ("prose", None, False)
    kind, code = L.match_request_label(key)
    return (kind, code, L.APPLICANT_WORDS.search(key) is not None)


def _read_requests(cells: list[Cell], warnings: list[dict]) -> dict[str, _Row]:
    rows: dict[str, _Row] = {}
    header = True
    group: str | None = None
    last_was_applicant = False
    cur: _Row | None = None

    def close(row: _Row | None) -> None:
        if row is None:
            return
        if row.code is None:
            if row.has_values():
                _warn(warnings, row.label.line, f"requests: unknown row label {row.label.raw[:30]!r}; its values "
                                                "skipped")
            else:
                _warn(warnings, row.label.line, f"requests: label {row.label.raw[:30]!r} not recognised (the rest "
                                                "of a label split by a page break?); ignored")
            return
        if row.tentative and not row.has_values():
            return
        if row.code in rows:
            # a row printed twice: prose above the table (`本年新收政府信息公开申请5件…`) or a repeat; the
            # one that prints more cells is the table's, the first one on a tie
            old = rows[row.code]
            if row.n_values() > old.n_values():
                rows[row.code] = row
                if old.has_values():
                    _warn(warnings, old.label.line, f"requests: row {row.code} printed twice; the fuller "
                                                    f"one on line {row.label.line} kept")
            elif row.has_values():
                _warn(warnings, row.label.line, f"requests: row {row.code} printed twice; first kept")
            return
        rows[row.code] = row

    for c in cells:
        if c.kind != "label":
            if cur is None:
                if c.kind != "empty" and not header:
                    _warn(warnings, c.line, f"requests: value {c.raw!r} outside any row; skipped")
                continue
            cur.slots.append(c)
            continue
        kind, code, applicant = _request_label(c.key)
        if kind == "numbering":
            continue
        if kind == "prose":  # a sentence that names rows (`本年新收…申请3件。`): not a row of the table
            if cur is not None and cur.has_values():
                close(cur)
            cur = None  # a label without values just before a sentence is that sentence's first line
            continue
        if kind == "maybe":
            if code == "other_other" and group == "other" and not header:
                kind = "row"
            elif code == "handled_total" and not header and not (last_was_applicant and c.key == "总计"):
                kind = "row"
            else:
                kind = "none"
        last_was_applicant = applicant and kind == "none"
        if kind == "row":
            assert code is not None
            if code in _OTHER_SPLIT and cur is not None and cur.tentative and not cur.has_values():
                cur = None  # `(六)其他处理` was a group label, not a row
            close(cur)
            cur = _Row(code, c)
            header = False
            if code in _OTHER_SPLIT:
                group = "other"
            elif group == "other" and code in ("handled_total", "carried_forward"):
                group = None
            continue
        if kind == "group":
            close(cur)
            group = code
            cur = _Row("other", c, tentative=True) if code == "other" else None
            if code != "results" or not header:
                header = False
            continue
        # an unknown label
        if header or last_was_applicant:
            continue
        if cur is not None and cur.has_values():
            close(cur)
            cur = _Row(None, c)
        elif cur is None:
            _warn(warnings, c.line, f"requests: unknown label {c.raw[:30]!r}")
        # else: the rest of a label split by a page break (`其他法律法规禁` / `止公开`)
    close(cur)
    return rows


_SUBROW = re.compile(r"^\d[.、]")


def _shift_warnings(rows: dict[str, _Row], layout: str, warnings: list[dict]) -> None:
    """Tab/pipe rows: a numbered sub-row whose label sits in another column than the sub-row before it has
    lost (or gained) leading cells, as 002's `3.其他` and 004's `3. 危及…` have."""
    if layout not in (ROW_LAYOUTS - {"pdf-space"}):
        return
    prev: _Row | None = None
    for code in _ALL_ROWS:
        row = rows.get(code)
        if row is None or not _SUBROW.match(row.label.key) or row.label.col < 0:
            prev = None if row is None or not _SUBROW.match(row.label.key) else prev
            continue
        if row.label.key.startswith("1"):  # the first sub-row also carries its group's label cell
            prev = None
            continue
        if prev is not None and row.label.line != prev.label.line and row.label.col != prev.label.col:
            _warn(warnings, row.label.line, f"requests: row {code} shifted {row.label.col - prev.label.col:+d} "
                                            f"columns against the row above")
        prev = row


def request_rows(rows: dict[str, _Row], layout: str, template: str | None, warnings: list[dict]) -> list[dict]:
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
            out += [{"row": code, "applicant": a, "value": None, "status": "missing", "raw": "", "line": None}
                    for a in APPLICANTS]
            continue
        slots = row.slots
        if len(slots) == ncols and [cell.kind for cell in slots].count("num") == ncols:
            # the common case, a full row of numbers: _fit would keep it as it is, and _assign would give
            # this (written out here because dicts with literal keys are built faster; 161 per report)
            out += [{"row": code, "applicant": a, "value": cell.value, "status": "printed", "raw": cell.raw,
                     "line": cell.line} for a, cell in zip(APPLICANTS, slots)]
            continue
        out.extend(_assign(code, "row", row, APPLICANTS, _fit(slots, ncols, marked), warnings, "requests"))
    return out


def _one_line(slots: list[Cell], n: int) -> list[Cell] | None:
    """The cells of the one line that prints exactly ``n`` values, if exactly one line does."""
    counts = Counter(c.line for c in slots if c.kind != "empty")
    full = [ln for ln, k in counts.items() if k == n]
    if len(full) != 1:
        return None
    return [c for c in slots if c.line == full[0] and c.kind != "empty"]


def _assign(code: str, dim: str, row: _Row, cols: tuple[str, ...], slots: list[Cell], warnings: list[dict],
            table: str) -> list[dict]:
    """Cells of one row → one output dict per column, by position only when the widths agree."""
    col_dim = "applicant" if table == "requests" else "result"
    n = len(cols)
    line = row.label.line
    if len(slots) == n:
        if [cell.kind for cell in slots].count("num") == n:  # the common case: every column printed
            return [{dim: code, col_dim: col, "value": cell.value, "status": "printed", "raw": cell.raw,
                     "line": cell.line} for col, cell in zip(cols, slots)]
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
            return _assign(code, dim, row, cols, own, warnings, table)
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
# Section 四.
def parse_appeals(cells: list[Cell], layout: str, warnings: list[dict]) -> tuple[list[dict], bool]:
    marked = layout not in ROW_LAYOUTS
    groups: list[tuple[str | None, list[Cell]]] = [(None, [])]
    values_seen = False
    for c in cells:
        if c.kind == "label":
            if values_seen and len(c.key) > 40:
                break  # prose after the table
            p = L.match_proceeding(c.key)
            if p:
                if groups[-1][1] and any(s.kind != "empty" for s in groups[-1][1]):
                    groups.append((p, []))
                else:
                    groups[-1] = (p, groups[-1][1])
            continue
        if c.kind != "empty":
            values_seen = True
        groups[-1][1].append(c)
    flat = [s for _, g in groups for s in g]
    ncols = len(L.PROCEEDINGS) * len(L.RESULTS)
    flat = _fit(flat, ncols, marked)
    if not values_seen:
        header = [c for c in cells if c.kind == "label" and L.match_proceeding(c.key)]
        if not header:
            return [], False
        # the table is printed but holds no numbers (a blank form): blank cells, never zeros
        line = header[-1].line
        _warn(warnings, line, "appeals: table printed without numbers; read as blank")
        return [{"proceeding": p, "result": r, "value": None, "status": "blank", "raw": "", "line": line}
                for p in L.PROCEEDINGS for r in L.RESULTS], False
    out: list[dict] = []
    if len(flat) == ncols:
        for i, p in enumerate(L.PROCEEDINGS):
            row = _Row(p, flat[i * 5])
            out.extend(_assign(p, "proceeding", row, L.RESULTS, flat[i * 5:i * 5 + 5], warnings, "appeals"))
        return out, True
    by_line = Counter(s.line for s in flat if s.kind != "empty")
    full = [ln for ln, k in by_line.items() if k == ncols]
    if len(full) == 1:  # stray numbers elsewhere (page navigation digits): the one 15-value line wins
        _warn(warnings, full[0], f"appeals: {len(flat)} values in the block; the {ncols} on line {full[0]} used")
        row = [s for s in flat if s.line == full[0] and s.kind != "empty"]
        for i, p in enumerate(L.PROCEEDINGS):
            out.extend(_assign(p, "proceeding", _Row(p, row[i * 5]), L.RESULTS, row[i * 5:i * 5 + 5], warnings,
                               "appeals"))
        return out, True
    real = [(p, g) for p, g in groups if any(s.kind != "empty" for s in g)]
    if len(real) == len(L.PROCEEDINGS) and all(len(_fit(g, 5, marked)) <= 5 for _, g in real):
        for (_, g), p in zip(real, L.PROCEEDINGS):
            slots = _fit(g, 5, marked)
            out.extend(_assign(p, "proceeding", _Row(p, slots[0]), L.RESULTS, slots, warnings, "appeals"))
        return out, True
    line = flat[0].line if flat else None
    _warn(warnings, line, f"appeals: {len([s for s in flat if s.kind != 'empty'])} values for 15 cells; "
                          "all ambiguous")
    for p in L.PROCEEDINGS:
        out.extend({"proceeding": p, "result": r, "value": None, "status": "ambiguous", "raw": "", "line": line}
                   for r in L.RESULTS)
    return out, True


def _missing_appeals() -> list[dict]:
    return [{"proceeding": p, "result": r, "value": None, "status": "missing", "raw": "", "line": None}
            for p in L.PROCEEDINGS for r in L.RESULTS]


# ---------------------------------------------------------------------------------------------------------
def parse_tables(doc: Doc, sections: dict[str, Section]) -> TablesResult:
    """Read the three tables of one report; messiness becomes warnings, never exceptions."""
    res = TablesResult()
    warnings = res.warnings
    blocks = find_blocks(doc, sections)

    template = None
    if "disclosure" in blocks:
        layout, cells = _cells(doc, blocks["disclosure"])
        template = decide_template(cells)
        res.disclosure = parse_disclosure(cells, layout, template, warnings)
    res.found["disclosure"] = bool(res.disclosure)

    rows: dict[str, _Row] = {}
    req_layout = "tab"
    if "requests" in blocks:
        req_layout, cells = _cells(doc, blocks["requests"])
        rows = _read_requests(cells, warnings)
        _shift_warnings(rows, req_layout, warnings)
    if template is None and any(c in rows for c in _OTHER_SPLIT):
        template = "2021"
        _warn(warnings, None, "template decided from the three (六) rows: section 二 has no column labels")
    if template is None and res.disclosure:
        _warn(warnings, blocks["disclosure"][0] + 1, "template: section 二 column labels name neither form")
    res.template = template
    res.found["requests"] = any(r.has_values() for r in rows.values())
    res.requests = request_rows(rows, req_layout, template, warnings)
    if "requests" in blocks and not res.found["requests"]:
        _warn(warnings, blocks["requests"][0] + 1, "requests: table anchor found but no values")

    found_appeals = False
    if "appeals" in blocks:
        layout, cells = _cells(doc, blocks["appeals"])
        res.appeals, found_appeals = parse_appeals(cells, layout, warnings)
    if not res.appeals:
        res.appeals = _missing_appeals()
    res.found["appeals"] = found_appeals
    for name in ("disclosure", "requests", "appeals"):
        if not res.found[name]:
            _warn(warnings, None, f"{name}: table not found")
    return res
