"""Every layout reports use, per table, parses back to the same cells (values generated, so shifts show)."""
from __future__ import annotations

import pytest

from helpers.checks import table_checks
from helpers.layouts import detect_layout, parse_value, tokenize
from helpers.tables import parse_tables
from layout_render import (LAYOUTS, MARKED, disclosure_rows, doc_from_text, expected_appeals, expected_disclosure,
                           expected_requests, random_tables, render, render_report, sections_of)

FORMS = [("2021", True), ("2019", False), ("2021", False)]  # 2021-era report with a single-row (六)


def _parse(text: str):
    doc = doc_from_text(text)
    return parse_tables(doc, sections_of(doc))


def _got(res):
    return ([(r["item"], r["measure"], r["value"]) for r in res.disclosure],
            [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.requests],
            [(r["proceeding"], r["result"], r["value"]) for r in res.appeals])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template,split", FORMS)
@pytest.mark.parametrize("headings", [True, False], ids=["headings", "no-headings"])
def test_layout_round_trip(layout, template, split, headings):
    t = random_tables(hash((layout, template, split)) % 1000, template, split)
    res = _parse(render_report(t, layout, headings=headings))
    d, q, a = _got(res)
    assert res.template == template
    assert d == expected_disclosure(t)
    assert q == expected_requests(t)
    assert a == expected_appeals(t)
    assert res.found == {"disclosure": True, "requests": True, "appeals": True}
    checks = table_checks("x", res.requests, res.appeals)
    assert [c["holds"] for c in checks if c["scope"] == "all"] == ["true"] * 4


@pytest.mark.parametrize("mix", [("cell-per-line-blank", "tab", "pdf-space"), ("tab", "pipe-row", "cell-per-line-pipe"),
                                 ("markdown", "cell-pipe-alternating", "label-line-values-line")])
def test_layout_detected_per_table(mix):
    t = random_tables(3)
    res = _parse(render_report(t, dict(zip(("disclosure", "requests", "appeals"), mix))))
    assert _got(res) == (expected_disclosure(t), expected_requests(t), expected_appeals(t))


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "markdown", "cell-per-line", "cell-per-line-blank", "cell-per-line-pipe",
                                    "cell-pipe-alternating", "pdf-space", "pdf-runs"])
def test_detect_layout_names(layout):
    lines = render(disclosure_rows(random_tables(1)), layout)
    want = {"pdf-runs": "pdf-space", "label-line-values-line": "pipe-row"}.get(layout, layout)
    assert detect_layout(lines) == want


@pytest.mark.parametrize("layout", MARKED)
def test_marked_layouts_read_empty_cells_as_blank(layout):
    """001's rule: where the layout marks empty cells, the org columns are blank, not ambiguous."""
    t = random_tables(5)
    orgs = ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")
    blanks = frozenset((r, a) for r in t["rows"][2:] for a in orgs)
    res = _parse(render_report(t, layout, blanks=blanks))
    cells = {(r["row"], r["applicant"]): r for r in res.requests}
    for key in blanks:
        assert cells[key]["status"] == "blank" and cells[key]["value"] is None
    for r in t["rows"]:
        for a in ("natural_person", "total"):
            assert cells[(r, a)]["value"] == t["requests"][(r, a)]
    checks = table_checks("x", res.requests, res.appeals)
    balance = [c for c in checks if c["check"] == "requests_balance" and c["scope"] == "commercial_enterprise"][0]
    assert balance["holds"] == "unknown"
    assert balance["detail"].startswith("cannot check: handled_total blank, carried_forward blank")


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "markdown", "pdf-space", "label-line-values-line"])
def test_unmarked_short_rows_are_ambiguous_never_shifted(layout):
    t = random_tables(9)
    res = _parse(render_report(t, layout, drop={"granted": 6, "handled_total": 2}))
    cells = {(r["row"], r["applicant"]): r for r in res.requests}
    assert cells[("granted", "total")]["value"] == t["requests"][("granted", "total")]
    assert cells[("granted", "total")]["status"] == "printed"
    for a in ("natural_person", "commercial_enterprise", "other_org"):
        assert cells[("granted", a)]["status"] == "ambiguous" and cells[("granted", a)]["value"] is None
        assert cells[("handled_total", a)]["status"] == "ambiguous"
    # neighbours untouched
    assert cells[("partially_granted", "natural_person")]["value"] == t["requests"][("partially_granted",
                                                                                      "natural_person")]
    assert any("granted prints 6 values for 7 columns" in w["message"] for w in res.warnings)


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "cell-per-line-pipe", "pdf-space"])
def test_page_break_inside_requests_table(layout):
    t = random_tables(11)
    text = render_report(t, layout, page_break=20)
    assert "- 5 -" in text
    res = _parse(text)
    assert _got(res)[1] == expected_requests(t)


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-space", "cell-per-line-blank"])
def test_label_split_by_page_break(layout):
    t = random_tables(12)
    res = _parse(render_report(t, layout, split_label=True))
    assert _got(res)[1] == expected_requests(t)
    assert any("止公开" in w["message"] for w in res.warnings)


def test_em_dash_page_numbers_are_dropped():
    t = random_tables(13)
    text = render_report(t, "tab").replace("(三)不予公开", "— 7 —\n\n(三)不予公开", 1)
    assert _got(_parse(text))[1] == expected_requests(t)


def test_section_four_fifteen_numbers_under_vertical_headers():
    t = random_tables(14)
    text = render_report(t, {"disclosure": "tab", "requests": "tab", "appeals": "pdf-space"})
    assert "结 结 其 尚 总" in text
    assert _got(_parse(text))[2] == expected_appeals(t)


def test_tokenize_keeps_raw_text_and_lines():
    norm = ["规章\t0\t0\t3", "行政许可\t245万\t\t"]
    raw = ["規章\t０\t0\t3", "行政許可\t245万\t\t"]
    layout, cells = tokenize(norm, raw, 10)
    assert layout == "tab"
    assert [(c.kind, c.raw, c.line) for c in cells] == [
        ("label", "規章", 10), ("num", "０", 10), ("num", "0", 10), ("num", "3", 10),
        ("label", "行政許可", 11), ("num", "245万", 11)]
    assert parse_value("245万") == ("num", 245, "万元")


def test_tab_rows_with_padding_are_not_blank():
    """Tab padding (000, 004) is not a blank cell: a 7-number row stays printed whatever the padding."""
    t = random_tables(15)
    text = render_report(t, "tab").replace("\t", "\t\t", 3)
    assert _got(_parse(text))[1] == expected_requests(t)


def test_page_navigation_digits_after_section_four():
    t = random_tables(16)
    text = render_report(t, "pdf-space").replace("五、存在的主要问题及改进情况", "   5   6   7   8\n五、存在的主要问题及改进情况")
    res = _parse(text)
    assert _got(res)[2] == expected_appeals(t)
