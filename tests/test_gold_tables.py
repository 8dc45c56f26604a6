"""The five seeds reproduce the hand-checked gold tables (disclosure, requests, appeals) and form checks exactly."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers.checks import table_checks
from helpers.tables import parse_tables
from layout_render import doc_from_file, sections_of

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold"
SEEDS = sorted((ROOT / "data" / "raw").glob("0*.txt"))
TABLE_CHECKS = ("requests_balance", "requests_outcomes_sum", "requests_applicant_sum", "appeals_sum")


def _gold(name: str, file: str) -> list[dict]:
    with open(GOLD / name, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["file"] == file]


def _s(v) -> str:
    return "" if v is None else str(v)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.name[:3])
def parsed(request):
    doc = doc_from_file(request.param)
    return request.param.name, doc, parse_tables(doc, sections_of(doc))


def test_five_seeds_present():
    assert len(SEEDS) == 5


def test_disclosure_matches_gold(parsed):
    name, _, res = parsed
    got = [(r["item"], r["measure"], _s(r["value"])) for r in res.disclosure]
    assert got == [(g["item"], g["measure"], g["value"]) for g in _gold("disclosure.csv", name)]


def test_requests_match_gold(parsed):
    name, _, res = parsed
    got = [(r["row"], r["applicant"], _s(r["value"]), r["status"]) for r in res.requests]
    assert got == [(g["row"], g["applicant"], g["value"], g["status"]) for g in _gold("requests.csv", name)]


def test_appeals_match_gold(parsed):
    name, _, res = parsed
    got = [(r["proceeding"], r["result"], _s(r["value"])) for r in res.appeals]
    assert got == [(g["proceeding"], g["result"], g["value"]) for g in _gold("appeals.csv", name)]
    assert all(r["status"] == "printed" for r in res.appeals)


def test_template_and_found_match_gold(parsed):
    name, _, res = parsed
    with open(GOLD / "reports.csv", encoding="utf-8", newline="") as f:
        gold = {r["file"]: r for r in csv.DictReader(f)}
    assert res.template == gold[name]["template"]
    assert res.found == {"disclosure": True, "requests": True, "appeals": True}


def test_checks_match_gold(parsed):
    name, _, res = parsed
    got = [(r["check"], r["scope"], r["holds"], r["detail"]) for r in table_checks(name, res.requests, res.appeals)]
    want = [(g["check"], g["scope"], g["holds"], g["detail"]) for g in _gold("checks.csv", name)
            if g["check"] in TABLE_CHECKS]
    assert got == want


def test_every_value_points_at_its_raw_line(parsed):
    """Provenance: each printed cell's raw text is on the line it names, in the raw (not normalised) file."""
    _, doc, res = parsed
    for r in res.disclosure + res.requests + res.appeals:
        if r.get("status", "printed") == "printed":
            assert r["raw"] and r["raw"] in doc.raw[r["line"] - 1], r


def test_known_provenance():
    by_name = {p.name[:3]: p for p in SEEDS}
    doc = doc_from_file(by_name["001"])
    res = parse_tables(doc, sections_of(doc))
    proc = {r["measure"]: r for r in res.disclosure if r["item"] == "procurement"}
    assert (proc["amount_10k_yuan"]["raw"], proc["amount_10k_yuan"]["line"], proc["amount_10k_yuan"]["unit"]) == \
        ("245万", 139, "万元")
    assert proc["projects"]["unit"] == "件"
    granted = {r["applicant"]: r for r in res.requests if r["row"] == "granted"}
    assert (granted["natural_person"]["line"], granted["total"]["line"]) == (210, 217)
    # the five empty org cells are the blank lines between them
    assert [granted[a]["line"] for a in ("commercial_enterprise", "research_institution", "social_welfare_org",
                                         "legal_service_org", "other_org")] == [212, 213, 214, 215, 216]
    other = [r for r in res.appeals if r["proceeding"] == "reconsideration" and r["result"] == "other"][0]
    assert (other["value"], other["line"]) == (1, 489)


def test_seed_warnings_name_the_oddities():
    by_name = {p.name[:3]: p for p in SEEDS}
    doc = doc_from_file(by_name["003"])
    msgs = [(w["line"], w["message"]) for w in parse_tables(doc, sections_of(doc)).warnings]
    assert any(line == 51 and "止公开" in m for line, m in msgs)
    assert sum("ambiguous" in m for _, m in msgs) == 4
    doc = doc_from_file(by_name["002"])
    msgs = [(w["line"], w["message"]) for w in parse_tables(doc, sections_of(doc)).warnings]
    assert any(line == 77 and "shifted" in m for line, m in msgs)
