"""Audit checks on the five seeds, with table rows built from the gold CSVs (the parser's row shapes).

The helpers here are also imported by test_gold_figures.py and test_audit.py.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest

from helpers.audit import audit_checks
from helpers.figures import extract_figures
from helpers.model import Doc
from helpers.normalize import normalize_lines, split_lines
from helpers.sections import split_sections
from helpers.textio import decode

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold"
RAW = ROOT / "data" / "raw"


@lru_cache(maxsize=None)
def gold(name: str) -> tuple[dict, ...]:
    with open(GOLD / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def files() -> list[str]:
    return [r["file"] for r in gold("reports.csv")]


def _value(v: str):
    if v == "":
        return None
    return float(v) if "." in v else int(v)


def report(file: str) -> dict:
    r = dict(next(g for g in gold("reports.csv") if g["file"] == file))
    r["year"] = int(r["year"])
    r["report_id"] = file
    return r


def disclosure(file: str) -> list[dict]:
    return [{"item": r["item"], "measure": r["measure"], "value": _value(r["value"]),
             "unit": "万元" if r["measure"] == "amount_10k_yuan" else "件"}
            for r in gold("disclosure.csv") if r["file"] == file]


def requests(file: str) -> list[dict]:
    return [{"row": r["row"], "applicant": r["applicant"], "value": _value(r["value"]), "status": r["status"]}
            for r in gold("requests.csv") if r["file"] == file]


def appeals(file: str) -> list[dict]:
    return [{"proceeding": r["proceeding"], "result": r["result"], "value": _value(r["value"]), "status": "printed"}
            for r in gold("appeals.csv") if r["file"] == file]


@lru_cache(maxsize=None)
def doc(file: str) -> Doc:
    text, enc = decode((RAW / file).read_bytes())
    raw = split_lines(text)
    return Doc(report_id=file, raw=raw, norm=normalize_lines(raw), encoding=enc)


def sections(file: str):
    d = doc(file)
    return split_sections(d.norm, d.raw)


def figures(file: str) -> tuple[list[dict], list[dict]]:
    return extract_figures(doc(file), sections(file), report(file)["year"])


def checks(file: str) -> list[dict]:
    figs, _ = figures(file)
    return audit_checks(doc(file), sections(file), report(file), figs, disclosure(file), requests(file),
                        appeals(file))


def by(rows: list[dict], check: str, scope: str = "all") -> dict:
    return next(r for r in rows if r["check"] == check and r["scope"] == scope)


@pytest.mark.parametrize("file", files())
def test_prose_vs_table_requests_matches_gold_wording(file):
    want = next(g for g in gold("checks.csv") if g["file"] == file and g["check"] == "prose_vs_table_requests")
    got = [r for r in checks(file) if r["check"] == "prose_vs_table_requests"]
    assert [(r["scope"], r["holds"], r["detail"]) for r in got] == [(want["scope"], want["holds"], want["detail"])]


def test_000_12328_breakdown_does_not_add_up():
    rows = checks("000_30474365e08353b8.txt")
    assert by(rows, "prose_breakdown_sum")["holds"] == "false"
    case = by(rows, "prose_breakdown_sum", "hotline_12328")
    assert case["holds"] == "false"
    assert "6334 + 5 + 448 = 6787" in case["detail"] and "6887" in case["detail"]


def test_001_prose_outcomes_exceed_its_requests():
    rows = checks("001_0e30c20d10e4dbed.txt")
    case = by(rows, "prose_breakdown_sum", "requests_outcomes")
    assert case["holds"] == "false"
    assert "2 + 2 + 1 = 5" in case["detail"] and "3" in case["detail"]
    assert not [r for r in rows if r["scope"] == "requests_applicants"]  # 自然人3件 = 3 received: holds


def test_004_breakdown_and_decisions_agree():
    rows = checks("004_7c466899f2e09fb3.txt")
    assert by(rows, "prose_breakdown_sum")["holds"] == "true"
    dec = by(rows, "prose_vs_table_decisions")
    assert dec["holds"] == "true"
    assert "180" in dec["detail"] and "7" in dec["detail"]


def test_001_uses_the_2019_table_for_a_2021_report():
    rows = checks("001_0e30c20d10e4dbed.txt")
    t = by(rows, "template_mismatch")
    assert t["holds"] == "false" and "2019" in t["detail"] and "2021" in t["detail"]
    for file in files():
        if not file.startswith("001"):
            assert by(checks(file), "template_mismatch")["holds"] == "true", file


def test_timeliness_of_the_seeds():
    got = {f[:3]: by(checks(f), "timeliness") for f in files()}
    assert {k: v["holds"] for k, v in got.items()} == {
        "000": "true", "001": "true", "002": "unknown", "003": "true", "004": "unknown"}
    assert "2023-01-16" in got["000"]["detail"] and "2023-01-31" in got["000"]["detail"]


def test_completeness_of_the_seeds():
    got = {f[:3]: checks(f) for f in files()}
    assert {k: by(v, "completeness")["holds"] for k, v in got.items()} == {
        "000": "true", "001": "false", "002": "true", "003": "true", "004": "true"}
    detail = by(got["001"], "completeness", "sections")["detail"]
    assert "一" in detail and "五" in detail and "六" in detail and "二" not in detail


def test_every_check_has_one_all_row_per_report():
    for file in files():
        rows = checks(file)
        alls = [r["check"] for r in rows if r["scope"] == "all"]
        assert sorted(alls) == sorted(set(alls)) and len(alls) == 6
        assert all(r["holds"] in ("true", "false", "unknown") for r in rows)
        assert all(r["report_id"] == file for r in rows)
