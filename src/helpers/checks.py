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
    verb = "would hold" if holds_as_zero else "would not hold"
    return f"; {verb} if blanks read as 0" + (f" ({shown})" if shown else "")


def _row(report_id: str, check: str, scope: str, holds: str, detail: str) -> dict:
    return {"report_id": report_id, "check": check, "scope": scope, "holds": holds, "detail": detail}


def _summary(report_id: str, check: str, results: list[tuple[str, str, str]], unit: str) -> list[dict]:
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


def _sum_case(parts: list[tuple[str, Cell]], total: tuple[str, Cell]) -> tuple[str, str]:
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


def _balance(get, applicant: str) -> tuple[str, str]:
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


def _outcomes(cells: list[tuple[str, Cell]], total: Cell) -> tuple[str, str]:
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


def table_checks(report_id: str, requests: list[dict], appeals: list[dict]) -> list[dict]:
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
        results = [(a, *_balance(get, a)) for a in APPLICANTS]
        out += _summary(report_id, "requests_balance", results, "applicant columns")
        outcome_rows = [r for r in rows if r in OUTCOME_ROWS]
        handled = matrix.get("handled_total", absent)
        results = [(a, *_outcomes([(r, matrix[r][j]) for r in outcome_rows], handled[j]))
                   for j, a in enumerate(APPLICANTS)]
        out += _summary(report_id, "requests_outcomes_sum", results, "applicant columns")
        results = [(r, *_sum_case(list(zip(ORGS, matrix[r][:-1])), ("total", matrix[r][-1]))) for r in rows]
        out += _summary(report_id, "requests_applicant_sum", results, "rows")

    app = {(r["proceeding"], r["result"]): (r["value"], r["status"]) for r in appeals}
    if not appeals or all(st == "missing" for _, st in app.values()):
        out.append(_row(report_id, "appeals_sum", "all", "unknown", "cannot check: appeals table not found"))
    else:
        results = []
        for p in PROCEEDINGS:
            cells = [(r, app.get((p, r), (None, "missing"))) for r in PARTS]
            results.append((p, *_sum_case(cells, ("total", app.get((p, "total"), (None, "missing"))))))
        out += _summary(report_id, "appeals_sum", results, "proceedings")
    return out
