"""Prose figures: one test per hazard, on sentences written for these tests in the style of the reports."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.figures import all_metrics, breakdowns, cn_number, extract_figures, numbers_in
from helpers.model import Doc
from helpers.normalize import normalize_lines

DATA = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data"


def run(text: str, year: int | None = 2025) -> tuple[list[dict], list[dict], Doc]:
    raw = text.split("\n")
    doc = Doc("t", raw, normalize_lines(raw))
    rows, warnings = extract_figures(doc, {}, year)
    return rows, warnings, doc


def figs(text: str, year: int | None = 2025) -> dict[str, dict]:
    rows, _, _ = run(text, year)
    return {r["metric"]: r for r in rows}


def test_qian_yu_is_a_lower_bound_of_1000():
    f = figs("全年通过门户网站和政务微博主动公开政府信息千余条。")["proactive_items"]
    assert (f["value"], f["qualifier"], f["unit"]) == (1000, "lower_bound", "条")
    assert f["quote"] == "主动公开政府信息千余条"


def test_chinese_numerals():
    assert cn_number("千") == 1000
    assert cn_number("两千") == 2000
    assert cn_number("十二") == 12
    assert cn_number("三百零五") == 305
    assert cn_number("一二") is None
    assert cn_number("零") is None


@pytest.mark.parametrize("text,metric,value", [
    ("政务微博发布信息约300条。", "weibo_posts", 300),
    ("微信公众号推送信息200多条。", "wechat_posts", 200),
    ("12345热线受理群众诉求1200余件。", "hotline_12345", 1200),
    ("对外宣传稿件 56 余条。", None, None),  # no parent total: a part without its list is not a figure
])
def test_yu_duo_yue_are_approx(text, metric, value):
    found = figs(text)
    if metric is None:
        assert found == {}
        return
    assert (found[metric]["value"], found[metric]["qualifier"]) == (value, "approx")


def test_wan_scaled_decimals():
    found = figs("门户网站发布信息5.65万余条，微信公众号关注用户达5.1万人。")
    assert (found["website_posts"]["value"], found["website_posts"]["qualifier"]) == (56500, "approx")
    assert (found["wechat_followers"]["value"], found["wechat_followers"]["qualifier"]) == (51000, "exact")
    assert found["website_posts"]["quote"] == "门户网站发布信息5.65万余条"


@pytest.mark.parametrize("text,metric,value,unit", [
    ("本年度共受理政府信息公开申请12宗。", "requests_received", 12, "宗"),
    ("全年收到依申请公开申请3起。", "requests_received", 3, "起"),
    ("本年度收到政府信息公开申请5项，均按时答复。", "requests_received", 5, "项"),
    ("全年开展政策解读8次。", "policy_interpretations", 8, "次"),
    ("发布政策解读文章15篇。", "policy_interpretations", 15, "篇"),
    ("12328热线服务群众3200人次。", "hotline_12328", 3200, "人次"),
    ("主动公开政务信息共计 412 件。", "proactive_items", 412, "件"),
])
def test_units_vary(text, metric, value, unit):
    f = figs(text)[metric]
    assert (f["value"], f["unit"], f["qualifier"]) == (value, unit, "exact")


@pytest.mark.parametrize("text", [
    "全年办理网民留言、12345、12328、县长信箱等渠道诉求共860件，办结率100%。",
    "全年12345和12328热线共受理来电 900 件。",
])
def test_pooled_channels_are_not_a_hotline_figure(text):
    found = figs(text)
    assert "hotline_12345" not in found and "hotline_12328" not in found
    assert "complaints_petitions_handled" in found


def test_total_including_carry_over_is_not_new_requests():
    found = figs("本年度共受理政府信息公开申请15宗（含上年结转3宗），均已按期答复。")
    assert "requests_received" not in found
    assert found["requests_total_incl_carryover"]["value"] == 15
    assert found["requests_carried_over"]["value"] == 3


def test_a_count_equal_to_the_year_is_a_count():
    found = figs("12345政务服务热线受理群众投诉2025件，满意率99.5%。", year=2025)
    assert found["hotline_12345"]["value"] == 2025
    assert found["hotline_12345_satisfaction_rate_pct"]["value"] == 99.5


def test_a_unitless_number_equal_to_the_year_is_left_out_with_a_warning():
    rows, warnings, _ = run("12328热线全年话务量 2025，其中咨询 1800 件。", year=2025)
    assert "hotline_12328" not in {r["metric"] for r in rows}
    assert any("2025" in w["message"] for w in warnings)
    rows, _, _ = run("12328热线全年话务量 3125，其中咨询 1800 件。", year=2025)
    assert {r["metric"]: r["value"] for r in rows}["hotline_12328"] == 3125


def test_years_dates_and_list_numbers_are_not_figures():
    text = ("2022年，我局一是加强组织领导，二是完善制度，落实“三审三校”和“十四五”规划，"
            "报告统计期限自2022年1月1日至2022年12月31日，7*24小时在线，预算资金 245万元，联系电话：3048688。")
    assert figs(text, year=2022) == {}


def test_numbers_that_look_like_decisions_are_not_decisions():
    text = ("梳理公布行政许可事项12项、行政处罚事项122项。"
            "在“信用中国”网站归集行政许可信息356条、行政处罚信息23条。"
            "在门户网站公示行政处罚决定书45份。")
    rows, _, _ = run(text)
    metrics = [r["metric"] for r in rows]
    assert metrics == ["power_list_items", "power_list_items", "credit_platform_records",
                       "credit_platform_records", "penalty_notices_published"]
    assert [r["value"] for r in rows] == [12, 122, 356, 23, 45]


def test_decisions_stated_in_prose():
    found = figs("全年作出行政处罚决定37件，办理行政许可 180 件。")
    assert found["penalty_decisions"]["value"] == 37
    assert found["licensing_decisions"]["value"] == 180


def test_digits_spaced_by_pdf_conversion():
    rows, _, doc = run("12345 热线 全年受理 140 件，其中咨询 120 件，建议 4 件，投诉 16 件。")
    found = {r["metric"]: r for r in rows}
    assert found["hotline_12345"]["value"] == 140
    assert found["hotline_12345_suggestions"]["quote"] == "建议 4 件"
    assert [found[f"hotline_12345_{k}"]["value"] for k in ("inquiries", "suggestions", "complaints")] == [120, 4, 16]
    (b,) = breakdowns(doc, rows)
    assert b.total["value"] == 140 and [p["value"] for p in b.parts] == [120, 4, 16]


def test_label_spaced_one_character_apart():
    f = figs("收 到 政 府 信 息 公 开 申 请 2 件 。")["requests_received"]
    assert (f["value"], f["quote"]) == (2, "收 到 政 府 信 息 公 开 申 请 2 件")


def test_requests_stated_in_words():
    f = figs("本年度未收到公民、法人或其他组织提出的政府信息公开申请。")["requests_received"]
    assert (f["value"], f["qualifier"]) == (0, "exact")
    assert f["quote"] == "未收到公民、法人或其他组织提出的政府信息公开申请"
    assert figs("因政府信息公开未收到行政复议申请，未被提起行政诉讼。") == {}


def test_outcomes_stated_in_prose():
    found = figs("2021年共收到申请10件，其中予以公开6件，部分公开2件，不予公开1件，无法提供1件。", year=2021)
    assert {m: f["value"] for m, f in found.items()} == {
        "requests_received": 10, "requests_granted": 6, "requests_partially_granted": 2,
        "requests_withheld": 1, "requests_unavailable": 1}


def test_quotes_map_back_to_raw_traditional_and_full_width():
    found = figs("主動公開政府資訊 300 條，政策解讀 12 篇。")
    assert found["proactive_items"]["quote"] == "主動公開政府資訊 300 條"
    assert found["policy_interpretations"]["value"] == 12
    f = figs("主动公开信息３００条。")["proactive_items"]
    assert (f["value"], f["quote"]) == (300, "主动公开信息３００条")


def test_repeated_snippets_get_a_longer_unique_quote():
    rows, _, doc = run("受理依申请公开5件，按时办结率100%。\n受理12345热线工单 1684 件，按时办结率100%。")
    quotes = {r["metric"]: r["quote"] for r in rows}
    assert quotes["requests_on_time_rate_pct"] == "5件，按时办结率100%"
    assert quotes["hotline_12345_on_time_rate_pct"] == "1684 件，按时办结率100%"
    text = "\n".join(doc.raw)
    assert all(text.count(q) == 1 for q in quotes.values())


def test_a_metric_stated_twice_keeps_the_first_and_warns():
    rows, warnings, _ = run("主动公开信息 30 条。\n全年主动公开政府信息 45 条。")
    assert [(r["metric"], r["value"], r["line"]) for r in rows] == [("proactive_items", 30, 1)]
    assert "45" in warnings[0]["message"] and warnings[0]["line"] == 2


def test_channel_posts_and_pooled_platforms():
    found = figs("“某某交通”微信公众号发布信息 210 篇，抖音号发布作品 35 个，粉丝量 1.2万。")
    assert found["wechat_posts"]["value"] == 210
    assert found["douyin_posts"]["value"] == 35
    assert (found["douyin_followers"]["value"], found["douyin_followers"]["unit"]) == (12000, "")
    assert figs("我局在各平台发布信息约1万余条。") == {}  # which channel, and which total? left out


def test_numbers_in_reads_quotes():
    assert numbers_in("5.65万余条") == [56500]
    assert numbers_in("千余篇") == [1000]
    assert numbers_in("信息咨询 6334 条") == [6334]


def test_every_metric_is_documented():
    with open(DATA / "figures_metrics.csv", encoding="utf-8", newline="") as f:
        documented = {r["metric"]: r for r in csv.DictReader(f)}
    assert set(all_metrics()) == set(documented)
    assert all(r["en"] and r["zh"] for r in documented.values())
    from helpers.dictionary import code_rows

    described = {r["code"] for r in code_rows() if r["table"] == "figures"}
    assert set(documented) <= described  # the data dictionary lists every metric


def test_tab_indented_prose_is_read_but_table_rows_are_not():
    found = figs("\t2023年，我局主动公开政府信息 312 条。\n行政许可\t39\t\t\n政策解读\t12\t")
    assert set(found) == {"proactive_items"} and found["proactive_items"]["value"] == 312


@pytest.mark.parametrize("text,quote", [
    ("2023年度，我局没有收到依申请公开申请。", "没有收到依申请公开申请"),
    ("本年度无依申请公开事项。", "无依申请公开事项"),
    ("全年依申请公开数为0，未发生行政复议。", "依申请公开数为0"),
])
def test_nil_requests_in_other_words(text, quote):
    f = figs(text)["requests_received"]
    assert (f["value"], f["quote"]) == (0, quote)


def test_yi_scale():
    assert numbers_in("一亿余次") == [100000000]
    assert numbers_in("1.2亿次") == [120000000]


_ALPHABET = "主动公开信息政府网站微信公众号12345283热线受理申请件条篇项余约多千万亿百十一二两三，。、；（）%( )\t第年0123456789.,"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_any_text_gives_verbatim_quotes_and_never_raises(text):
    rows, warnings, doc = run(text, year=2023)
    for r in rows:
        assert r["quote"] in doc.raw[r["line"] - 1]
        assert r["qualifier"] in ("exact", "approx", "lower_bound")
        if r["metric"] != "requests_received" or r["value"] != 0:
            assert r["value"] in numbers_in(r["quote"])
