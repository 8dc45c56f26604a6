"""extract_metadata on reports built here: agency and alias, region and level, year, date, not-a-report."""
from __future__ import annotations

import re

import pytest

from helpers.model import Doc
from helpers.normalize import normalize_lines, split_lines
from helpers.metadata import extract_metadata
from helpers.sections import split_sections

SECTIONS = ["一、总体情况", "2022年，本局认真贯彻落实条例。", "二、主动公开政府信息情况",
            "第二十条第(一)项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0",
            "三、收到和处理政府信息公开申请情况", "自然人\t法人或其他组织\t总计", "商业企业\t科研机构\t社会公益组织",
            "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
            "四、政府信息公开行政复议、行政诉讼情况", "行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "五、存在的主要问题及改进情况", "人员力量不足。", "六、其他需要报告的事项", "无。"]


def meta_of(lines: list[str]) -> tuple[dict, list[dict]]:
    raw = split_lines("\n".join(lines))
    doc = Doc(report_id="t.txt", raw=raw, norm=normalize_lines(raw))
    return extract_metadata(doc, split_sections(doc.norm, doc.raw))


def test_title_agency_widened_to_the_fullest_name_with_alias():
    m, _ = meta_of(["湛河区交通局2022年政府信息公开工作年度报告", "特向区政府报告2022年度湛河区交通运输局信息公开情况。",
                    *SECTIONS])
    assert (m["agency"], m["alias"]) == ("湛河区交通运输局", "湛河区交通局")
    assert (m["province"], m["prefecture"], m["county"], m["level"]) == ("河南省", "平顶山市", "湛河区", "district")
    assert m["year"] == 2022 and m["published"] == "" and "not_report" not in m


def test_agency_on_the_line_above_the_title_and_sign_off_date():
    m, _ = meta_of(["宝清县交通运输局", "", "2020 年政府信息公开工作年度报告", *SECTIONS, "宝清县交通运输局",
                    "2021 年 1 月 16 日"])
    assert m["agency"] == "宝清县交通运输局" and m["alias"] == ""
    assert (m["province"], m["prefecture"], m["county"], m["level"]) == ("黑龙江省", "双鸭山市", "宝清县", "county")
    assert m["year"] == 2020 and m["published"] == "2021-01-16"
    assert m["title"] == "宝清县交通运输局2020年政府信息公开工作年度报告"


def test_publisher_line_and_labelled_date_of_a_web_export():
    m, _ = meta_of(["索引号: 113/2022-1 成文日期: 2022-01-20", "发布机构: 衢州市交通运输局", "",
                    "2021年衢州市交通局政府信息公开年报", "发布日期:2022-01-25 18:33 浏览次数:", *SECTIONS])
    assert m["agency"] == "衢州市交通运输局" and m["alias"] == "衢州市交通局"
    assert (m["province"], m["prefecture"], m["county"], m["level"]) == ("浙江省", "衢州市", "", "prefecture")
    assert m["year"] == 2021 and m["published"] == "2022-01-25"


def test_traditional_report_is_read_after_normalising():
    m, _ = meta_of(["衡水市交通運輸局", "2022 年政府資訊公開工作年度報告", *SECTIONS, "衡水市交通運輸局",
                    "二〇二三年一月十六日"])
    assert m["agency"] == "衡水市交通运输局" and m["province"] == "河北省" and m["level"] == "prefecture"
    assert m["year"] == 2022 and m["published"] == "2023-01-16"


def test_year_covered_not_year_published():
    m, _ = meta_of(["忻州市交通运输局2023年度政府信息公开工作年度报告", *SECTIONS, "忻州市交通运输局",
                    "2024年1月23日"])
    assert m["year"] == 2023 and m["published"] == "2024-01-23"


def test_a_body_date_is_not_a_publication_date():
    m, _ = meta_of(["忻州市交通运输局2023年政府信息公开工作年度报告", "统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。",
                    *SECTIONS])
    assert m["published"] == ""


def test_province_level_and_municipality_district():
    m, _ = meta_of(["浙江省交通运输厅2022年政府信息公开工作年度报告", *SECTIONS])
    assert (m["province"], m["prefecture"], m["county"], m["level"]) == ("浙江省", "", "", "province")
    m, _ = meta_of(["北京市朝阳区交通委员会2022年政府信息公开工作年度报告", *SECTIONS])
    assert (m["province"], m["prefecture"], m["county"], m["level"]) == ("北京市", "北京市", "朝阳区", "district")


def test_county_name_shared_by_several_places_is_pinned_by_the_text():
    m, _ = meta_of(["鼓楼区交通运输局2022年政府信息公开工作年度报告", "根据福州市人民政府办公厅要求编制本报告。", *SECTIONS])
    assert (m["province"], m["prefecture"], m["county"]) == ("福建省", "福州市", "鼓楼区")
    m, _ = meta_of(["鼓楼区交通运输局2022年政府信息公开工作年度报告", "根据开封市人民政府办公室要求编制本报告。", *SECTIONS])
    assert (m["province"], m["prefecture"]) == ("河南省", "开封市")


def test_unplaced_name_is_qualified_from_the_body():
    m, w = meta_of(["市交通运输局2022年政府信息公开工作年度报告", "2022年，石家庄市交通运输局认真贯彻条例。", *SECTIONS])
    assert m["agency"] == "石家庄市交通运输局" and m["level"] == "prefecture"


def test_missing_agency_is_a_warning_not_a_guess():
    m, w = meta_of(["2022年政府信息公开工作年度报告", *SECTIONS])
    assert m["agency"] == "" and m["level"] == ""
    assert any("agency not found" in x["message"] for x in w)


@pytest.mark.parametrize("lines, word", [
    (["关于做好2022年政府信息公开工作年度报告编制发布工作的通知", "各县（市、区）交通运输局：",
      "请于1月31日前在门户网站发布本单位年度报告。", "特此通知。"], "notice"),
    (["2022年衡水市交通运输统计公报", "全年完成公路客运量1234万人次，同比下降5.2%。", "货运量5678万吨。"], "statistics"),
    (["会议纪要", "今天开会研究了道路养护问题。"], "no annual-report title"),
])
def test_not_reports_say_what_they_are(lines, word):
    m, _ = meta_of(lines)
    assert word in m["not_report"]


def test_blank_form_is_not_a_report():
    form = [line.replace("\t3", "\t").replace("\t0", "\t").replace("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "")
            for line in SECTIONS]
    m, _ = meta_of(["XX市交通运输局XXXX年政府信息公开工作年度报告", *form])
    assert m["not_report"].startswith("blank form")


def test_the_same_report_with_numbers_is_a_report():
    m, _ = meta_of(["XX市交通运输局2022年政府信息公开工作年度报告", *SECTIONS])
    assert "not_report" not in m


def test_agency_in_brackets_after_the_title():
    m, _ = meta_of(["2022年度政府信息公开工作年度报告（衡水市交通运输局）", *SECTIONS])
    assert m["agency"] == "衡水市交通运输局" and m["year"] == 2022


def test_a_report_flattened_onto_one_line_is_not_a_blank_form(seed_texts):
    text = seed_texts["000_30474365e08353b8.txt"]
    flat = " ".join(line.strip() for line in text.split("\n") if line.strip())
    m, _ = meta_of([flat])
    assert "not_report" not in m
    # the same text with its table numbers removed is recognised by its labels, as a blank form
    emptied = re.sub(r"(?<=[\s|])\d+(?=[\s|]|$)", "", flat)
    assert meta_of([emptied])[0].get("not_report", "").startswith("blank form")


# ---- fast paths (issue 7): the same answers as the plain code they replace ----
def _nonempty_reference(doc: Doc, head: int = 60, tail: int = 8) -> list[tuple[int, str]]:
    idx = [i for i, n in enumerate(doc.norm) if n and not n.isspace()]
    first = set(idx[:head])
    keep = idx[:head] + [i for i in idx[-tail:] if i not in first]
    return [(i, "".join(doc.norm[i].split())) for i in keep]


def test_first_and_last_nonblank_lines_as_a_full_scan():
    import random

    from helpers.metadata import _nonempty

    rng = random.Random(11)
    for _ in range(400):
        norm = [rng.choice(["", " ", "\u3000", "a b", "局", "\t"]) for _ in range(rng.randint(0, 120))]
        doc = Doc(report_id="x", raw=norm, norm=norm, encoding="utf-8", sha256="", n_chars=0)
        for head, tail in ((60, 8), (3, 2), (0, 1), (1, 1)):
            assert _nonempty(doc, head, tail) == _nonempty_reference(doc, head, tail)


def _resolve_region_reference(agency: str, text: str):
    """resolve_region as first written: every namesake's stems searched in the text one by one."""
    from helpers.metadata import _MUNICIPALITIES, _gazetteer, _region

    region = _region(agency)
    county = region[2]
    if not county:
        return region, ""
    _, by_name, names = _gazetteer()
    codes = by_name.get(county, [])
    if len(codes) <= 1:
        return region, ""
    head = text[:4000] + text[-1500:]
    for code in codes:
        pref = names.get(code[:4] + "00", "")
        prov = names.get(code[:2] + "0000", "")
        stems = [s for s in (pref, pref[:-1] if len(pref) > 2 else "", prov, prov[:-1] if len(prov) > 2 else "")
                 if s and s not in _MUNICIPALITIES]
        if any(s in agency for s in stems) or any(s in head for s in stems if len(s) >= 2):
            return _region(agency, ((county, code),)), ""
    return region, f"county name {county} exists in {len(codes)} places; the text does not say which"


def test_namesakes_pinned_as_by_searching_each_stem():
    import random

    from helpers.metadata import _gazetteer, _namesakes, resolve_region

    _, by_name, _ = _gazetteer()
    rng = random.Random(5)
    counties = sorted(c for c, codes in by_name.items() if len(codes) > 1)  # 30 names, 市辖区 among them
    assert "市辖区" in counties
    for county in counties:
        sakes = _namesakes(county)
        stems = sorted({s for st in sakes.stems for s in st})
        for _ in range(15):
            pieces = rng.sample(stems, min(len(stems), rng.randint(0, 4))) + ["信息公开", "交通运输局", "省", "市"]
            rng.shuffle(pieces)
            text = "".join(p[:rng.randint(1, len(p))] if rng.random() < 0.3 else p for p in pieces)
            assert sakes.mentioned(text) == {s for s in stems if len(s) >= 2 and s in text}
            for agency in (county + "交通运输局", rng.choice(stems) + county + "教育局"):
                assert resolve_region(agency, text) == _resolve_region_reference(agency, text), (agency, text)


def test_prose_count_holds_where_a_digit_run_before_a_unit_does():
    import random

    from helpers.metadata import _PROSE_COUNT

    plain = re.compile(r"\d+(?:件|条|项|宗|起|次|个)")
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("0123456789件条项宗起次个年月日，。 a") for _ in range(rng.randint(0, 12)))
        assert bool(_PROSE_COUNT.search(text)) == bool(plain.search(text)), text
