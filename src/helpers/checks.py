"""The form's own accounting identities, checked per applicant column, row and proceeding.

Four checks (codes from the codebook): ``requests_balance`` (一 + 二 = (七) + 四, per applicant column),
``requests_outcomes_sum`` ((七) = (一)…(六), per applicant column), ``requests_applicant_sum`` (总计 = the six
applicant columns, per row) and ``appeals_sum`` (总计 = 维持 + 纠正 + 其他 + 尚未审结, per proceeding).

A case whose inputs are blank, ambiguous or missing is ``unknown``, never ``true``; blanks are not read as 0,
but where reading them as 0 would make the case hold (or not), the detail says so. Each check gets one row
per failing or unknown case and one ``scope=all`` summary row. The 2019 form's section 二 columns
(上一年项目数量, 本年增/减) are item counts, not additive, and are deliberately not checked.
"""
from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

from .codebook import codes

APPLICANTS = tuple(codes("requests", "applicant"))
ORGS = APPLICANTS[:-1]  # the six applicant columns that add up to total
_ROW_ORDER = tuple(codes("requests", "row"))
OUTCOME_ROWS = frozenset(_ROW_ORDER[_ROW_ORDER.index("granted"):_ROW_ORDER.index("handled_total")])
PROCEEDINGS = tuple(codes("appeals", "proceeding"))
RESULTS = tuple(codes("appeals", "result"))
PARTS = RESULTS[:-1]
_KIND_ORDER = ("blank", "ambiguous", "missing")

Cell = tuple[float | int | None, str]  # (value, status)


def _eq(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _num(v: float | int) -> str:
    if type(v) is int:  # the common case; the same text as below
        return str(v)
    return str(int(v)) if float(v).is_integer() else str(v)


def _kinds(statuses: list[str]) -> str:
    return "/".join(k for k in _KIND_ORDER if k in statuses)


def _zero_tail(statuses: list[str], holds_as_zero: bool, shown: str = "") -> str:
    """`; would hold if blanks read as 0` when every unreadable input is a blank (not ambiguous/missing)."""
    if not statuses or any(s != "blank" for s in statuses):
        return ""
    return _as_zero(holds_as_zero, shown)


def _as_zero(holds_as_zero: bool, shown: str = "") -> str:
    """The tail of :func:`_zero_tail` itself, for a case whose unreadable inputs are all blank."""
    verb = "would hold" if holds_as_zero else "would not hold"
    return f"; {verb} if blanks read as 0" + (f" ({shown})" if shown else "")


def _row(report_id: str, check: str, scope: str, holds: str, detail: str) -> dict:
    return {"report_id": report_id, "check": check, "scope": scope, "holds": holds, "detail": detail}


def _summary(report_id: str, check: str, results: list[tuple[str, str, str]], unit: str) -> list[dict]:
    """Case rows (failing/unknown only) followed by the scope=all row."""
    n = len(results)
    holds = [h for _, h, _ in results]
    fail = holds.count("false")
    unknown = holds.count("unknown")
    hold = n - fail - unknown
    # _row written out: a literal-key dict per failing case (~40 per report) instead of a call
    out = [{"report_id": report_id, "check": check, "scope": scope, "holds": h, "detail": d}
           for scope, h, d in results if h != "true"]
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


def _sum_case(names: tuple[str, ...], values: list, statuses: list[str]) -> tuple[str, str]:
    """One `total = sum of parts` case (applicant sum, appeals sum) → (holds, detail); the last of the
    parallel ``names``/``values``/``statuses`` is the total."""
    if statuses.count("printed") == len(statuses):  # the common case, checked without building text
        parts = values[:-1]
        s = sum(parts)
        tv = values[-1]
        if _eq(s, tv):
            return "true", ""
        texts = [str(v) if type(v) is int else _num(v) for v in parts]  # _num, inlined for ints
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


@lru_cache(maxsize=1024)
def _cannot_check(names: tuple[str, ...], statuses: tuple[str, ...]) -> tuple[str, bool]:
    """`cannot check: blank cells (a, b)` for a case with unprinted cells, and whether all of those are
    blank (see :func:`_zero_tail`). Cached: a few patterns of statuses recur (the cells a form leaves blank)."""
    bad = [(name, st) for name, st in zip(names, statuses) if st != "printed"]
    kinds = [st for _, st in bad]
    return (f"cannot check: {_kinds(kinds)} cells ({', '.join(n for n, _ in bad)})",
            bool(kinds) and all(k == "blank" for k in kinds))


_BALANCE_ROWS = ("new_received", "carried_over", "handled_total", "carried_forward")


def _balance(values: tuple, statuses: tuple) -> tuple[str, str]:
    """一 + 二 = (七) + 四 for one applicant column (``values``/``statuses``: the cells of the four rows)."""
    if statuses.count("printed") != 4:
        bad = [(n, st) for n, st in zip(_BALANCE_ROWS, statuses) if st != "printed"]
        kinds = [st for _, st in bad]
        z = [(v if st == "printed" else 0) for v, st in zip(values, statuses)]
        detail = "cannot check: " + ", ".join(f"{n} {st}" for n, st in bad)
        return "unknown", detail + _zero_tail(kinds, _eq(z[0] + z[1], z[2] + z[3]))
    a, b, c, d = values
    if _eq(a + b, c + d):
        return "true", ""
    return "false", (f"new_received+carried_over = {_num(a)}+{_num(b)} = {_num(a + b)} but "
                     f"handled_total+carried_forward = {_num(c)}+{_num(d)} = {_num(c + d)}")


def _outcomes(rows: tuple[str, ...], values: tuple, statuses: tuple, total: Cell) -> tuple[str, str]:
    """(七) against the sum of the outcome rows, for one applicant column (``values``/``statuses``: the
    outcome rows' cells in that column, parallel to ``rows``)."""
    total_bad = total[1] != "printed"
    if total_bad or statuses.count("printed") != len(statuses):
        head, all_blank = _outcomes_cannot_check(rows, statuses, total[1])
        if not all_blank:
            return "unknown", head
        s0 = sum(v if st == "printed" else 0 for v, st in zip(values, statuses))
        t0 = total[0] if not total_bad else 0
        return "unknown", head + _as_zero(_eq(s0, t0))
    s = sum(values)
    if _eq(s, total[0]):
        return "true", ""
    # _num inlined for ints (f"{v}" of an int is str(v))
    nonzero = ", ".join([f"{r}={v}" if type(v) is int else f"{r}={_num(v)}" for r, v in zip(rows, values) if v])
    lead = nonzero if nonzero else "all outcome rows 0"
    return "false", f"{lead} but handled_total={_num(total[0])} (sum of outcome rows = {_num(s)})"


@lru_cache(maxsize=1024)
def _outcomes_cannot_check(rows: tuple[str, ...], statuses: tuple[str, ...], total_status: str) -> tuple[str, bool]:
    """`cannot check: blank cells in granted, …` for an outcomes case with unprinted cells, and whether all of
    those are blank (see :func:`_zero_tail`). Cached, as :func:`_cannot_check`: the patterns recur."""
    total_bad = total_status != "printed"
    bad = [(r, st) for r, st in zip(rows, statuses) if st != "printed"]
    kinds = [st for _, st in bad] + ([total_status] if total_bad else [])
    if len(bad) == len(rows):
        where = "every outcome row" + (" and handled_total" if total_bad else "")
    else:
        where = ", ".join([r for r, _ in bad] + (["handled_total"] if total_bad else []))
    return f"cannot check: {_kinds(kinds)} cells in {where}", bool(kinds) and all(k == "blank" for k in kinds)


_COL = {a: j for j, a in enumerate(APPLICANTS)}
_REQUEST_FIELDS = itemgetter("row", "applicant", "value", "status")
_ROW, _APPLICANT, _VALUE, _STATUS = map(itemgetter, ("row", "applicant", "value", "status"))
_APPLICANT_LIST = list(APPLICANTS)


def _request_matrix(requests: list[dict]) -> tuple[dict[str, list], dict[str, list[str]]]:
    """The requests matrix as parallel value and status lists per row, in the order rows first appear
    (a missing cell: None, "missing").

    :func:`helpers.tables.request_rows` prints each row as one run of its cells in ``APPLICANTS`` order:
    such a list is checked and cut into runs by column (``map``, comparisons and slices, in C); any other
    goes cell by cell."""
    n = len(APPLICANTS)
    k, rest = divmod(len(requests), n)
    if not rest and list(map(_APPLICANT, requests)) == _APPLICANT_LIST * k:
        rows = list(map(_ROW, requests))
        order = rows[::n]
        if all(rows[j::n] == order for j in range(1, n)):  # a row printed twice: its later run wins, as below
            vals, sts = list(map(_VALUE, requests)), list(map(_STATUS, requests))
            starts = range(0, len(requests), n)
            return ({r: vals[i:i + n] for r, i in zip(order, starts)},
                    {r: sts[i:i + n] for r, i in zip(order, starts)})
    values: dict[str, list] = {}
    statuses: dict[str, list[str]] = {}
    col = _COL.get
    for row, applicant, value, status in map(_REQUEST_FIELDS, requests):
        vs = values.get(row)
        if vs is None:
            vs = values[row] = [None] * n
            sts = statuses[row] = ["missing"] * n
        else:
            sts = statuses[row]
        j = col(applicant)
        if j is not None:
            vs[j] = value
            sts[j] = status
    return values, statuses


_SUM_NAMES = (*ORGS, "total")  # requests_applicant_sum: the six columns, then the total
_APPEALS_NAMES = (*PARTS, "total")


def table_checks(report_id: str, requests: list[dict], appeals: list[dict]) -> list[dict]:
    """Check rows for one report (requests/appeals rows as produced by :func:`helpers.tables.parse_tables`)."""
    out: list[dict] = []
    ncols = len(APPLICANTS)
    values, statuses = _request_matrix(requests)
    rows = list(values)
    absent_v, absent_s = [None] * ncols, ["missing"] * ncols

    if not requests or all(sts.count("missing") == ncols for sts in statuses.values()):
        for check in ("requests_balance", "requests_outcomes_sum", "requests_applicant_sum"):
            out.append(_row(report_id, check, "all", "unknown", "cannot check: requests table not found"))
    else:
        # the four balance rows' cells, one tuple per applicant column
        bal_values = zip(*[values.get(r, absent_v) for r in _BALANCE_ROWS])
        bal_statuses = zip(*[statuses.get(r, absent_s) for r in _BALANCE_ROWS])
        results = [(a, *_balance(v, st)) for a, v, st in zip(APPLICANTS, bal_values, bal_statuses)]
        out += _summary(report_id, "requests_balance", results, "applicant columns")
        outcome_rows = tuple([r for r in rows if r in OUTCOME_ROWS])
        # columns of the outcome rows: one tuple of values (and of statuses) per applicant
        col_values = list(zip(*[values[r] for r in outcome_rows])) or [()] * ncols
        col_statuses = list(zip(*[statuses[r] for r in outcome_rows])) or [()] * ncols
        handled_v, handled_s = values.get("handled_total", absent_v), statuses.get("handled_total", absent_s)
        results = [(a, *_outcomes(outcome_rows, col_values[j], col_statuses[j], (handled_v[j], handled_s[j])))
                   for j, a in enumerate(APPLICANTS)]
        out += _summary(report_id, "requests_outcomes_sum", results, "applicant columns")
        results = [(r, *_sum_case(_SUM_NAMES, values[r], statuses[r])) for r in rows]
        out += _summary(report_id, "requests_applicant_sum", results, "rows")

    app = {(r["proceeding"], r["result"]): (r["value"], r["status"]) for r in appeals}
    if not appeals or all(st == "missing" for _, st in app.values()):
        out.append(_row(report_id, "appeals_sum", "all", "unknown", "cannot check: appeals table not found"))
    else:
        results = []
        for p in PROCEEDINGS:
            cells = [app.get((p, r), (None, "missing")) for r in _APPEALS_NAMES]
            results.append((p, *_sum_case(_APPEALS_NAMES, [v for v, _ in cells], [st for _, st in cells])))
        out += _summary(report_id, "appeals_sum", results, "proceedings")
    return out
