"""Label variants, typos and extra rows reports print, on top of a generated tab-separated report."""
from __future__ import annotations

import opencc
import pytest

from helpers import labels as L
from helpers.normalize import squeeze
from helpers.tables import parse_tables
from layout_render import (doc_from_text, expected_appeals, expected_disclosure, expected_requests, random_tables,
                           render_report, sections_of)


def _parse(text: str):
    doc = doc_from_text(text)
    return parse_tables(doc, sections_of(doc))


def _cells(res):
    return ([(r["item"], r["measure"], r["value"]) for r in res.disclosure],
            [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.requests],
            [(r["proceeding"], r["result"], r["value"]) for r in res.appeals])


def _spaced(s: str) -> str:
    return " ".join(s)


VARIANTS = {
    "spaces inside labels": [("结果维持", "结果 维持"), ("尚未审结", "尚 未 审 结"), ("三、本年度办理结果", "三、本 年度办 理结果")],
    "one space per character": [("自然人", _spaced("自然人")), ("行政处罚", _spaced("行政处罚")),
                                ("4.保护第三方合法权益", _spaced("4.保护第三方合法权益"))],
    "typos": [("三、本年度办理结果", "三、本年度办结结果"), ("本机关不掌握", "本机关不掌控"), ("公开出版物", "公开出物"),
              ("区分处理", "区别处理"), ("结转下年度继续办理", "结转下年继续办理"), ("其他法律行政法规禁止公开", "其他法律法规禁止公开"),
              ("已获取信息", "以获取信息"), ("起诉\t复议后", "诉讼\t复议后")],
    "total typo in section 四": [("尚未审结\t总计", "尚未审结\t总 结")],
    "year inserted": [("本年制发件数", "本年(2023)制发件数"), ("本年处理决定数量", "本年(2023)处理决定数量")],
    "social org": [("社会公益组织", "社会组织")],
    "normative without 行政": [("行政规范性文件", "规范性文件")],
    "full-width brackets and colon": [("(一)", "（一）"), ("(单位:万元)", "（单位：万元）"), ("(三)", "（三）")],
    "bracketed instructions": [("规章", "规章(设区的市、自治州人民政府应提供相关数据)"),
                               ("本年废止件数", "本年废止件数(指2023年废止数)")],
    "label cells split": [("一、本年新收", "一、\t本年新收"), ("二、上年结转", "二、\t上年结转")],
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_label_variants_parse_the_same(name):
    t = random_tables(21)
    text = render_report(t, "tab")
    for old, new in VARIANTS[name]:
        assert old in text, old
        text = text.replace(old, new)
    res = _parse(text)
    assert _cells(res) == (expected_disclosure(t), expected_requests(t), expected_appeals(t))
    assert res.template == "2021"


def test_2019_labels_with_filling_instructions():
    t = random_tables(22, "2019", split_other=False)
    text = render_report(t, "tab")
    text = text.replace("上一年项目数量", "上一年项目数量(指2019年事项数)").replace("本年增/减", "本年增/减(减用负值表示,如-8)")
    text = text.replace("处理决定数量", "处理决定数量(指2020年办件量)")
    res = _parse(text)
    assert res.template == "2019"
    assert _cells(res)[0] == expected_disclosure(t)


def test_traditional_and_taiwan_vocabulary():
    t = random_tables(23)
    text = opencc.OpenCC("s2twp").convert(render_report(t, "tab"))
    assert "資訊" in text or "檔案" in text
    res = _parse(text)
    assert _cells(res) == (expected_disclosure(t), expected_requests(t), expected_appeals(t))


def test_template_comes_from_column_labels_not_the_year():
    t = random_tables(24, "2019", split_other=False)
    text = render_report(t, "tab").replace("2022年", "2023年")
    assert _parse(text).template == "2019"
    t = random_tables(24, "2021")
    assert _parse(render_report(t, "tab").replace("2022年", "2019年")).template == "2021"


def test_single_row_other_in_2021_table_is_coded_other():
    t = random_tables(25, "2021", split_other=False)
    res = _parse(render_report(t, "tab"))
    rows = list(dict.fromkeys(r["row"] for r in res.requests))
    assert "other" in rows and "other_other" not in rows and len(rows) == 23
    assert res.template == "2021"


def test_unknown_extra_row_warns_and_is_skipped():
    t = random_tables(26)
    text = render_report(t, "tab").replace("行政规范性文件\t", "其他主动公开文件\t7\t8\t9\n行政规范性文件\t", 1)
    res = _parse(text)
    assert _cells(res)[0] == expected_disclosure(t)
    assert any("其他主动公开文件" in w["message"] for w in res.warnings)


def test_missing_rows_are_missing_not_zero():
    t = random_tables(27)
    text = "\n".join(ln for ln in render_report(t, "tab").split("\n") if "重复申请" not in ln)
    res = _parse(text)
    row = [r for r in res.requests if r["row"] == "not_processed_repeat"]
    assert len(row) == 7 and all(r["status"] == "missing" and r["value"] is None and r["line"] is None for r in row)


@pytest.mark.parametrize("label,code", [
    ("3.危及“三安全一稳定”", "withheld_security_stability"), ("(三)不予公开1.属于国家秘密", "withheld_state_secret"),
    ("三、本年度办理结果(一)予以公开", "granted"), ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_granted"),
    ("2.其他法律法规禁", "withheld_prohibited_by_law"), ("四、结转下年继续办理", "carried_forward"),
    ("1.本机关不掌控相关政府信息", "unavailable_not_held"), ("3.要求提供公开出物", "not_processed_publication"),
])
def test_request_row_labels(label, code):
    assert L.match_request_label(squeeze(label)) == ("row", code)


@pytest.mark.parametrize("label,expected", [
    ("本年(2023)制发件数", ("issued",)), ("信息内容本年制发件数本年废止件数现行有效件数", ("issued", "repealed", "in_force")),
    ("本年新制作数量本年新公开数量对外公开总数量", ("newly_made", "newly_published", "total_published")),
    ("本年收费金额(单位:万元,保留4位小数)", ("amount_10k_yuan",)), ("采购项目数量采购总金额", ("projects", "amount_10k_yuan")),
])
def test_measure_labels(label, expected):
    assert L.find_measures(label) == expected


def test_other_alone_is_a_row_only_under_group_six():
    assert L.match_request_label("3.其他") == ("maybe", "other_other")
    assert L.match_request_label("其他") == ("maybe", "other_other")


def test_header_wrapped_over_two_lines_falls_back_to_the_form_columns():
    t = random_tables(28, "2019", split_other=False)
    text = render_report(t, "tab").replace("信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
                                           "信息内容\t本年新\t本年新\t对外公开\n\t制作数量\t公开数量\t总数量")
    res = _parse(text)
    assert res.template == "2019"
    assert _cells(res)[0] == expected_disclosure(t)
    assert any("header names" in w["message"] for w in res.warnings)
