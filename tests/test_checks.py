"""The form's accounting checks: true only when every case is checkable and holds; details show the numbers."""
from __future__ import annotations

from helpers.checks import table_checks
from helpers.codebook import codes
from layout_render import random_tables

APPLICANTS = codes("requests", "applicant")


def _rows(t: dict) -> tuple[list[dict], list[dict]]:
    req = [{"row": r, "applicant": a, "value": t["requests"][(r, a)], "status": "printed", "raw": "", "line": 1}
           for r in t["rows"] for a in APPLICANTS]
    app = [{"proceeding": p, "result": r, "value": v, "status": "printed", "raw": "", "line": 1}
           for (p, r), v in t["appeals"].items()]
    return req, app


def _set(rows: list[dict], key: tuple[str, str], value, status: str = "printed") -> None:
    for r in rows:
        if (r.get("row", r.get("proceeding")), r.get("applicant", r.get("result"))) == key:
            r["value"], r["status"] = value, status
            return
    raise KeyError(key)


def _by(checks: list[dict]) -> dict[tuple[str, str], dict]:
    return {(c["check"], c["scope"]): c for c in checks}


def test_consistent_tables_hold_everywhere():
    req, app = _rows(random_tables(1))
    checks = table_checks("r", req, app)
    assert [(c["check"], c["scope"], c["holds"]) for c in checks] == [
        ("requests_balance", "all", "true"), ("requests_outcomes_sum", "all", "true"),
        ("requests_applicant_sum", "all", "true"), ("appeals_sum", "all", "true")]
    assert checks[2]["detail"] == "all 25 rows hold"
    assert all(c["report_id"] == "r" for c in checks)


def test_failing_cases_show_their_numbers():
    t = random_tables(2)
    req, app = _rows(t)
    _set(req, ("new_received", "natural_person"), t["requests"][("new_received", "natural_person")] + 1)
    _set(app, ("litigation_direct", "total"), 99)
    c = _by(table_checks("r", req, app))
    assert c[("requests_balance", "natural_person")]["holds"] == "false"
    assert "new_received+carried_over" in c[("requests_balance", "natural_person")]["detail"]
    # the same cell breaks the row's applicant sum
    assert c[("requests_applicant_sum", "new_received")]["holds"] == "false"
    assert c[("requests_applicant_sum", "new_received")]["detail"].endswith(
        f"= {t['requests'][('new_received', 'total')] + 1})")
    parts = [t["appeals"][("litigation_direct", r)] for r in ("upheld", "corrected", "other", "pending")]
    assert c[("appeals_sum", "litigation_direct")]["detail"].endswith(
        f"but total=99 (upheld+corrected+other+pending = {'+'.join(map(str, parts))} = {sum(parts)})")
    assert c[("appeals_sum", "all")]["detail"] == "1 of 3 proceedings fail; 2 hold; 0 unknown (see rows above)"
    assert c[("requests_balance", "all")]["holds"] == "false"


def test_outcome_sum_failure():
    t = random_tables(3)
    req, app = _rows(t)
    ht = t["requests"][("handled_total", "other_org")]
    _set(req, ("handled_total", "other_org"), ht + 5)
    c = _by(table_checks("r", req, app))
    d = c[("requests_outcomes_sum", "other_org")]
    assert d["holds"] == "false" and d["detail"].endswith(f"but handled_total={ht + 5} (sum of outcome rows = {ht})")


def test_blank_cells_are_unknown_and_say_what_zero_would_do():
    req, app = _rows(random_tables(4))
    _set(req, ("carried_forward", "legal_service_org"), None, "blank")
    _set(req, ("carried_over", "legal_service_org"), None, "blank")
    c = _by(table_checks("r", req, app))
    bal = c[("requests_balance", "legal_service_org")]
    assert bal["holds"] == "unknown"
    assert bal["detail"].startswith("cannot check: carried_over blank, carried_forward blank; would ")
    assert c[("requests_balance", "all")]["holds"] == "unknown"
    assert c[("requests_balance", "all")]["detail"].startswith("no checkable case fails (6 of 7 applicant columns hold)")


def test_blank_that_would_not_hold_as_zero():
    req, app = _rows(random_tables(5))
    _set(app, ("reconsideration", "upheld"), 3)
    _set(app, ("reconsideration", "total"), None, "blank")
    d = _by(table_checks("r", req, app))[("appeals_sum", "reconsideration")]
    assert d["holds"] == "unknown"
    assert d["detail"].startswith("cannot check: blank cells (total); would not hold if blanks read as 0 (upheld=3")


def test_ambiguous_cells_never_true():
    req, app = _rows(random_tables(6))
    for a in APPLICANTS[:-1]:
        _set(req, ("granted", a), None, "ambiguous")
    c = _by(table_checks("r", req, app))
    assert c[("requests_applicant_sum", "granted")]["detail"] == (
        "cannot check: ambiguous cells (natural_person, commercial_enterprise, research_institution, "
        "social_welfare_org, legal_service_org, other_org)")
    assert c[("requests_outcomes_sum", "natural_person")]["detail"] == "cannot check: ambiguous cells in granted"
    assert ("requests_outcomes_sum", "total") not in c  # the total column is printed, so it is checked and holds
    assert c[("requests_outcomes_sum", "all")]["holds"] == "unknown"


def test_missing_tables_are_unknown_not_true():
    checks = table_checks("r", [], [])
    assert {c["check"]: c["holds"] for c in checks} == {
        "requests_balance": "unknown", "requests_outcomes_sum": "unknown", "requests_applicant_sum": "unknown",
        "appeals_sum": "unknown"}
    assert all(c["scope"] == "all" for c in checks)


def test_2019_single_other_row_counts_as_outcome():
    t = random_tables(7, "2019", split_other=False)
    req, app = _rows(t)
    _set(req, ("other", "natural_person"), t["requests"][("other", "natural_person")] + 2)
    c = _by(table_checks("r", req, app))
    assert c[("requests_outcomes_sum", "natural_person")]["holds"] == "false"
    assert "all 23 rows" not in c[("requests_applicant_sum", "all")]["detail"]
    assert c[("requests_applicant_sum", "all")]["detail"] == \
        "1 of 23 rows fail; 22 hold; 0 unknown (see rows above)"
