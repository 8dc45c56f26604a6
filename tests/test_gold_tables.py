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


@pytest.mark.parametrize("seed", ["000", "004"])
def test_row_labels_that_look_like_headings_do_not_cut_tables(seed):
    """A section splitter fooled by `三、本年度办理结果` / `四、结转下年度继续办理` must not truncate the tables."""
    from helpers.model import Section

    path = {p.name[:3]: p for p in SEEDS}[seed]
    doc = doc_from_file(path)
    good = parse_tables(doc, sections_of(doc))
    fooled = dict(sections_of(doc))
    for key, needle in (("requests", "本年度办理结果"), ("appeals", "结转下年度继续办理")):
        line = next(i for i, ln in enumerate(doc.norm, 1) if needle in ln.replace(" ", ""))
        fooled[key] = Section(key=key, heading=doc.raw[line - 1], heading_line=line, start=line + 1, end=line + 3)
    res = parse_tables(doc, fooled)
    assert res.requests == good.requests and res.appeals == good.appeals and res.disclosure == good.disclosure


def test_tables_found_without_any_section_heading():
    """Seed text with every numbered section heading (一、… 六、) removed (001 has none for 一/五/六 already)."""
    from helpers.sections import heading_key

    for path in SEEDS:
        doc = doc_from_file(path)
        want = parse_tables(doc, sections_of(doc))
        text = "\n".join("" if heading_key(n) and heading_key(n)[1] and not n.strip().startswith(("三、本", "四、结"))
                         else r for r, n in zip(doc.raw, doc.norm))
        from layout_render import doc_from_text

        bare = doc_from_text(text, path.name)
        assert not sections_of(bare).get("requests")
        res = parse_tables(bare, sections_of(bare))
        assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.requests] == \
            [(r["row"], r["applicant"], r["value"], r["status"]) for r in want.requests], path.name
        assert [r["value"] for r in res.appeals] == [r["value"] for r in want.appeals], path.name
        assert [(r["item"], r["measure"], r["value"]) for r in res.disclosure] == \
            [(r["item"], r["measure"], r["value"]) for r in want.disclosure], path.name
