"""Number formats in table cells: decimals, signs, placeholders, units inside cells, full-width digits."""
from __future__ import annotations

import pytest

from helpers.layouts import parse_value
from helpers.tables import parse_tables
from layout_render import doc_from_text, random_tables, render_report, sections_of


def _parse(text: str):
    doc = doc_from_text(text)
    return parse_tables(doc, sections_of(doc))


def _disc(res) -> dict:
    return {(r["item"], r["measure"]): r for r in res.disclosure}


@pytest.mark.parametrize("text,expected", [
    ("0", ("num", 0, "")), ("35385", ("num", 35385, "")), ("38.441094", ("num", 38.441094, "")),
    ("+123", ("num", 123, "")), ("-417", ("num", -417, "")), ("245万", ("num", 245, "万元")),
    ("251000元", ("num", 251000, "元")), ("1,234", ("num", 1234, "")), ("?0", ("num", 0, "")),
    ("/", ("ph", None, "")), ("-", ("ph", None, "")), ("—", ("ph", None, "")), ("——", ("ph", None, "")),
    ("", ("empty", None, "")), ("------", ("rule", None, "")), ("1.", ("label", None, "")),
    ("2022年", ("label", None, "")),
])
def test_parse_value(text, expected):
    assert parse_value(text) == expected


def _fee_report(cell: str, header: str = "本年收费金额(单位:万元)") -> str:
    t = random_tables(31)
    text = render_report(t, "tab")
    fee = t["disclosure"][("fees", "amount_10k_yuan")]
    return text.replace(f"行政事业性收费\t{fee}", f"行政事业性收费\t{cell}").replace("本年收费金额(单位:万元)", header)


@pytest.mark.parametrize("cell,header,value", [
    ("38.441094", "本年收费金额(单位:万元)", 38.441094),
    ("245万", "本年收费金额(单位:万元)", 245),
    ("251000元", "本年收费金额(单位:万元)", 25.1),
    ("251000", "本年收费金额(单位:元)", 25.1),
    ("１０.５", "本年收费金额（单位：万元）", 10.5),
])
def test_money_is_in_10k_yuan(cell, header, value):
    row = _disc(_parse(_fee_report(cell, header)))[("fees", "amount_10k_yuan")]
    assert row["value"] == value and row["unit"] == "万元"
    assert row["raw"] == cell


@pytest.mark.parametrize("ph", ["/", "-", "—", "——"])
def test_placeholder_in_disclosure_is_empty_value_with_warning(ph):
    res = _parse(_fee_report(ph))
    row = _disc(res)[("fees", "amount_10k_yuan")]
    assert row["value"] is None and row["raw"] == ph
    assert any("placeholder" in w["message"] for w in res.warnings)


def test_signed_change_column_2019():
    t = random_tables(32, "2019", split_other=False)
    text = render_report(t, "tab")
    lic = [t["disclosure"][("licensing", m)] for m in ("prev_year_items", "change", "decisions")]
    text = text.replace(f"行政许可\t{lic[0]}\t{lic[1]}\t{lic[2]}", f"行政许可\t{lic[0]}\t+123\t{lic[2]}")
    text = text.replace("行政强制\t", "行政强制\t", 1)
    pen = [t["disclosure"][("penalty", m)] for m in ("prev_year_items", "change", "decisions")]
    text = text.replace(f"行政处罚\t{pen[0]}\t{pen[1]}\t", f"行政处罚\t{pen[0]}\t-417\t")
    d = _disc(_parse(text))
    assert d[("licensing", "change")]["value"] == 123
    assert d[("penalty", "change")]["value"] == -417
    assert d[("penalty", "change")]["unit"] == "件"


def test_procurement_amount_with_yuan_unit():
    t = random_tables(33, "2019", split_other=False)
    text = render_report(t, "tab")
    amt = t["disclosure"][("procurement", "amount_10k_yuan")]
    text = text.replace(f"\t{amt}\n", "\t251000元\n")
    assert _disc(_parse(text))[("procurement", "amount_10k_yuan")]["value"] == 25.1


def test_placeholders_in_requests_are_blank_never_zero():
    t = random_tables(34)
    text = render_report(t, "tab")
    vals = [str(t["requests"][("granted", a)]) for a in ("natural_person", "commercial_enterprise",
                                                        "research_institution", "social_welfare_org",
                                                        "legal_service_org", "other_org", "total")]
    old = "(一)予以公开\t" + "\t".join(vals)
    assert old in text
    text = text.replace(old, "(一)予以公开\t" + "\t".join([vals[0], "/", "-", "—", vals[4], vals[5], vals[6]]))
    cells = {r["applicant"]: r for r in _parse(text).requests if r["row"] == "granted"}
    for a, ph in (("commercial_enterprise", "/"), ("research_institution", "-"), ("social_welfare_org", "—")):
        assert cells[a]["status"] == "blank" and cells[a]["value"] is None and cells[a]["raw"] == ph
    assert cells["natural_person"]["value"] == int(vals[0]) and cells["total"]["value"] == int(vals[6])


def test_row_with_no_numbers_is_blank():
    t = random_tables(35)
    text = render_report(t, "tab")
    vals = "\t".join(str(t["requests"][("carried_forward", a)]) for a in
                     ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                      "legal_service_org", "other_org", "total"))
    text = text.replace("四、结转下年度继续办理\t" + vals, "四、结转下年度继续办理\t\t\t\t\t\t\t")
    cells = [r for r in _parse(text).requests if r["row"] == "carried_forward"]
    assert all(r["status"] == "blank" and r["value"] is None for r in cells)


def test_blank_form_is_never_a_table_of_zeros():
    """A reposted blank form: every label, no numbers."""
    t = random_tables(36)
    t["disclosure"] = {k: None for k in t["disclosure"]}
    t["requests"] = {k: None for k in t["requests"]}
    t["appeals"] = {k: None for k in t["appeals"]}
    res = _parse(render_report(t, "tab"))
    assert res.disclosure == []
    assert res.found == {"disclosure": False, "requests": False, "appeals": False}
    assert {r["status"] for r in res.requests} == {"blank"}
    assert {r["status"] for r in res.appeals} == {"blank"}
    assert all(r["value"] is None for r in res.requests + res.appeals)
