"""The form's variants and the values reports print in it: templates decided by labels only, (六) in one or
three rows, extra rows, signed changes, money units, placeholders, missing totals, blank forms and reports
with no standard tables at all."""
from __future__ import annotations

import pytest

from helpers.tables import parse_tables
from layout_render import (cells, doc_from_text, sections_of, expected_requests, parse_report, provenance_errors, random_tables,
                           render_report, values, warnings_of)

CITE_2021 = "根据《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)要求编制本报告。"
CITE_2019 = "根据国办公开办函〔2019〕60号要求编制本报告。"


def _retitle(text: str, year: int, cite: str) -> str:
    text = text.replace("2022年政府信息公开工作年度报告", f"{year}年政府信息公开工作年度报告", 1)
    return text.replace("本年度，我局", cite + "本年度，我局", 1)


@pytest.mark.parametrize("layout", ["pipe-row", "cell-per-line-blank", "pdf-runs"])
def test_2023_report_citing_30_but_printing_2019_columns(layout):
    t = random_tables(301, "2019", split_other=False)
    text = _retitle(render_report(t, layout), 2023, CITE_2021)
    res = parse_report(text)
    assert res.report["template"] == "2019" and res.report["year"] == 2023
    assert values(res, "disclosure") == t["disclosure"]
    assert [r["row"] for r in res.tables["requests"]][-21:-14:7] == ["other"]  # single-row (六)


@pytest.mark.parametrize("layout", ["tab", "markdown"])
def test_2022_report_citing_60_but_printing_2021_columns(layout):
    t = random_tables(302, "2021", split_other=True)
    text = _retitle(render_report(t, layout), 2022, CITE_2019)
    res = parse_report(text)
    assert res.report["template"] == "2021"
    assert values(res, "disclosure") == t["disclosure"]


@pytest.mark.parametrize("split", [True, False])
def test_other_processing_one_row_or_three(split):
    t = random_tables(303, "2021", split_other=split)
    res = parse_report(render_report(t, "pipe-row"))
    rows = list(dict.fromkeys(r["row"] for r in res.tables["requests"]))
    if split:
        assert "other" not in rows and rows[-5:-2] == ["other_no_correction", "other_unpaid_fee", "other_other"]
    else:
        assert "other" in rows and "other_other" not in rows
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)


@pytest.mark.parametrize("layout", ["pipe-row", "tab", "cell-per-line-pipe", "pdf-runs"])
def test_extra_rows_are_warned_not_read_into_codes(layout):
    """Hubei's 其他主动公开文件 under (一) and D132's title row 主动公开政府信息情况 above the first item."""
    t = random_tables(304)
    text = render_report(t, layout)
    sep = {"pipe-row": " | ", "tab": "\t", "cell-per-line-pipe": " |\n", "pdf-runs": "    "}[layout]
    end = {"pipe-row": " |", "tab": "", "cell-per-line-pipe": " |", "pdf-runs": ""}[layout]
    nxt = next(ln for ln in text.split("\n") if ln.startswith("第二十条第(五)项"))  # after 行政规范性文件's values
    text = text.replace(nxt, sep.join(["其他主动公开文件", "7", "0", "7"]) + end + "\n" + nxt, 1)
    first = next(ln for ln in text.split("\n") if ln.startswith("第二十条第(一)项"))
    text = text.replace(first, "主动公开政府信息情况" + end + "\n" + first, 1)
    res = parse_report(text)
    assert values(res, "disclosure") == t["disclosure"]
    assert any("其他主动公开文件" in m for m in warnings_of(res, "tables"))
    assert provenance_errors(res, text) == []


@pytest.mark.parametrize("layout", ["pipe-row", "cell-per-line-blank", "pdf-space"])
def test_signed_changes_yuan_amounts_and_placeholders(layout):
    t = random_tables(305, "2019", split_other=False)
    d = t["disclosure"]
    d[("licensing", "change")] = "+123"
    d[("penalty", "change")] = "-417"
    d[("procurement", "amount_10k_yuan")] = "251000元"
    d[("enforcement", "decisions")] = "-"
    d[("rules", "newly_made")] = "/"
    text = render_report(t, layout)
    res = parse_report(text)
    got = cells(res, "disclosure")
    assert got[("licensing", "change")]["value"] == 123 and got[("licensing", "change")]["raw"] == "+123"
    assert got[("penalty", "change")]["value"] == -417
    assert got[("procurement", "amount_10k_yuan")]["value"] == 25.1
    assert got[("procurement", "amount_10k_yuan")]["unit"] == "万元"
    assert got[("procurement", "amount_10k_yuan")]["raw"] == "251000元"
    for key in (("enforcement", "decisions"), ("rules", "newly_made")):
        assert got[key]["value"] is None  # never 0
    assert got[("rules", "newly_published")]["value"] == d[("rules", "newly_published")]
    assert sum("placeholder" in m for m in warnings_of(res, "tables")) == 2
    assert provenance_errors(res, text) == []


@pytest.mark.parametrize("layout", ["pipe-row", "tab", "cell-per-line-blank"])
def test_placeholders_in_requests_are_blank(layout):
    t = random_tables(306)
    t["requests"][("carried_over", "legal_service_org")] = "/"
    t["requests"][("granted", "research_institution")] = "-"
    res = parse_report(render_report(t, layout))
    got = cells(res, "requests")
    for key in (("carried_over", "legal_service_org"), ("granted", "research_institution")):
        assert got[key]["status"] == "blank" and got[key]["value"] is None
    assert got[("granted", "total")]["value"] == t["requests"][("granted", "total")]


def test_fee_amount_with_six_decimals_and_10k_unit_in_cell():
    t = random_tables(307)
    t["disclosure"][("fees", "amount_10k_yuan")] = "38.441094"
    t["disclosure"][("licensing", "decisions")] = "245万"  # not money: a count printed with 万 is 2,450,000
    res = parse_report(render_report(t, "pipe-row"))
    got = values(res, "disclosure")
    assert got[("fees", "amount_10k_yuan")] == 38.441094
    assert got[("licensing", "decisions")] == 2450000


@pytest.mark.parametrize("row", ["granted", "carried_forward"])  # carried_forward: the table's last row
@pytest.mark.parametrize("layout", ["cell-per-line", "cell-per-line-pipe", "cell-per-line-blank",
                                    "cell-pipe-alternating"])
def test_row_missing_its_total_in_a_layout_that_marks_empty_cells(layout, row):
    t = random_tables(308)
    t["requests"][(row, "total")] = None
    res = parse_report(render_report(t, layout))
    got = cells(res, "requests")
    assert got[(row, "total")]["status"] == "blank" and got[(row, "total")]["value"] is None
    assert got[(row, "natural_person")]["value"] == t["requests"][(row, "natural_person")]
    assert got[(row, "natural_person")]["status"] == "printed"


@pytest.mark.parametrize("layout", ["pipe-row", "tab", "pdf-space"])
def test_truncated_last_row_is_never_shifted(layout):
    """A table cut at a page or excerpt boundary loses 总计: positions are lost, so nothing is assigned
    by position; only the 总计 rule of the issue applies (last number as total, the others ambiguous)."""
    t = random_tables(309)
    res = parse_report(render_report(t, layout, drop={"carried_forward": 5}))
    got = cells(res, "requests")
    for a in ("natural_person", "commercial_enterprise", "research_institution"):
        assert got[("carried_forward", a)]["status"] == "ambiguous" and got[("carried_forward", a)]["value"] is None
    assert got[("carried_forward", "total")]["value"] == t["requests"][("carried_forward", "total")]


@pytest.mark.parametrize("layout", ["pipe-row", "tab", "cell-per-line-blank", "cell-per-line-pipe", "pdf-runs"])
@pytest.mark.parametrize("template,split", [("2021", True), ("2019", False)])
def test_blank_form_is_not_a_report_and_never_zeros(layout, template, split):
    """D201: a reposted blank form, every label and no numbers."""
    t = random_tables(310, template, split)
    for table in ("disclosure", "requests", "appeals"):
        t[table] = {k: None for k in t[table]}
    text = render_report(t, layout)
    res = parse_report(text)
    assert res.report["status"] == "not_report"
    for table in ("disclosure", "requests", "appeals"):
        assert not [r for r in res.tables.get(table, []) if r.get("value") not in (None, "")]
    doc = doc_from_text(text)  # the tables stage itself: blank or missing cells, never a number
    tr = parse_tables(doc, sections_of(doc))
    assert all(r["value"] is None for r in tr.disclosure + tr.requests + tr.appeals)
    assert {r["status"] for r in tr.requests + tr.appeals} <= {"blank", "missing"}


PRE_2019 = """某县交通运输局2018年政府信息公开工作年度报告

一、概述
2018年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息126条。
二、主动公开政府信息情况
全年通过门户网站公开信息98条，政务微博公开28条。
三、依申请公开政府信息情况
全年共受理政府信息公开申请3件，均已按时答复。
四、政府信息公开的收费及减免情况
本年度未收取任何费用。
五、因政府信息公开申请行政复议、提起行政诉讼的情况
本年度未发生行政复议和行政诉讼。
六、政府信息公开工作存在的主要问题及改进情况
一是公开内容不够全面；二是更新不够及时。
七、其他需要报告的事项
无。
"""


def test_pre_2019_structure_has_no_tables_and_no_numbers_from_prose():
    res = parse_report(PRE_2019)
    assert res.report["status"] in ("partial", "not_report")
    assert not res.tables.get("disclosure")
    assert all(r["value"] is None and r["status"] == "missing" for r in res.tables.get("requests", []))
    assert all(r["value"] is None and r["status"] == "missing" for r in res.tables.get("appeals", []))


HUBEI_2019 = {"上一年项目数量": "上一年项目数量(指2019年事项数)",
              "本年增/减": "本年增/减(增加用正值表示,减少用负值表示,如-8)",
              "处理决定数量": "处理决定数量(指2020年办件量)",
              "规章": "规章(设区的市、自治州人民政府应提供相关数据)"}
YEARS_2021 = {"本年制发件数": "本年(2023)制发件数", "本年处理决定数量": "本年(2023)处理决定",
              "本年收费金额(单位:万元)": "本年收费金额（单位：万元，保留4位小数）"}


@pytest.mark.parametrize("layout", ["pipe-row", "cell-per-line-blank", "pdf-runs", "html"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_bracketed_instructions_and_years_inside_labels(layout, template):
    t = random_tables(311, template, split_other=template == "2021")
    text = render_report(t, layout).replace("<br />", "")
    for old, new in (HUBEI_2019 if template == "2019" else YEARS_2021).items():
        assert old in text
        text = text.replace(old, new)
    res = parse_report(text)
    assert res.report["template"] == template
    assert values(res, "disclosure") == t["disclosure"]


TYPOS = {"三、本年度办理结果": "三、本年度办结结果", "2.其他法律行政法规禁止公开": "2.其他法律法规禁止公开",
         "1.本机关不掌握相关政府信息": "1.本机关不掌控相关政府信息", "3.要求提供公开出版物": "3.要求提供公开出物",
         "已获取信息": "以获取信息", "社会公益组织": "社会组织", "四、结转下年度继续办理": "四、结转下年继续办理",
         "(二)部分公开(区分处理的": "(二)部分公开(区别处理的"}


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "cell-per-line-blank", "pdf-space"])
def test_label_typos_seen_in_reports(layout):
    t = random_tables(312)
    text = render_report(t, layout)
    for old, new in TYPOS.items():
        assert old in text
        text = text.replace(old, new)
    text = text.replace("总计", "总 结").replace("(七)总 结", "(七)总计")  # 003: section 四's 总计 printed 总 结
    res = parse_report(text)
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert values(res, "appeals") == t["appeals"]


PROSE_ONLY = """某区交通运输局2021年政府信息公开工作年度报告

一、总体情况
2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息 126 条。
二、主动公开政府信息情况
本年制发规范性文件 2 件，废止 1 件，现行有效 8 件。行政许可处理决定 35 件，行政处罚处理决定 12 件。
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请 3 件，上年结转 0 件；予以公开 2 件，部分公开 1 件，结转下年度继续办理 0 件。
四、政府信息公开行政复议、行政诉讼情况
本年度因政府信息公开工作被申请行政复议 1 件，结果维持 1 件；提起行政诉讼 0 件。
五、存在的主要问题及改进情况
一是公开内容不够全面；二是解读形式较为单一。
六、其他需要报告的事项
无。
"""


@pytest.mark.parametrize("width", [0, 12, 17, 23])
def test_prose_only_report_gives_no_table_cells(width):
    """Beijing style: parts 二–四 are sentences. Whole or hard-wrapped (PDF), no cell is read from them."""
    text = PROSE_ONLY
    if width:
        text = "\n".join(ln[i:i + width] for ln in text.split("\n") for i in range(0, max(len(ln), 1), width))
    res = parse_report(text)
    assert res.report["status"] != "ok"
    assert not res.tables.get("disclosure")
    for table in ("requests", "appeals"):
        assert {r["status"] for r in res.tables.get(table, [])} <= {"missing"}
    assert sum("table not found" in m for m in warnings_of(res, "tables")) == 3
    doc = doc_from_text(text)  # the tables stage itself, whatever the report is classified as
    tr = parse_tables(doc, sections_of(doc))
    assert not tr.disclosure and not any(tr.found.values())
    assert {r["status"] for r in tr.requests + tr.appeals} == {"missing"}


@pytest.mark.parametrize("layout", ["pipe-row", "pdf-space", "tab"])
def test_whole_report_on_one_line_gives_no_numbers(layout):
    """D150: the whole report flattened onto one line; nothing can be cut into rows, so nothing is read."""
    t = random_tables(313)
    res = parse_report(render_report(t, layout).replace("\n", " "))
    assert res.report["status"] in ("partial", "not_report")
    for table in ("disclosure", "requests", "appeals"):
        assert all(r["value"] is None for r in res.tables.get(table, []))
    assert sum("table not found" in m for m in warnings_of(res, "tables")) == 3


def test_prose_only_report_is_a_report_not_a_blank_form():
    """It names the table labels in sentences, with counts; only a form with no number anywhere is blank."""
    res = parse_report(PROSE_ONLY)
    assert res.report["status"] == "partial"
