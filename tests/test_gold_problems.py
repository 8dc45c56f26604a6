"""Section 五 on the five seeds against gold, plus heading variants and the no-heading case on text built here."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers.model import Doc
from helpers.normalize import normalize_lines, split_lines
from helpers.problems import extract_problems, locate_problems
from helpers.sections import split_sections
from helpers.textio import decode
from helpers.themes import tag_themes

ROOT = Path(__file__).resolve().parents[1]
GOLD = list(csv.DictReader(open(ROOT / "tests/fixtures/gold/problems.csv", encoding="utf-8")))


def load(path: Path) -> Doc:
    text, enc = decode(path.read_bytes())
    raw = split_lines(text)
    return Doc(report_id=path.name[:3], raw=raw, norm=normalize_lines(raw), encoding=enc)


def doc_from_lines(lines: list[str], rid: str = "t") -> Doc:
    return Doc(report_id=rid, raw=lines, norm=normalize_lines(lines))


def parts_of(doc: Doc) -> dict[str, dict]:
    rows, _ = extract_problems(doc, split_sections(doc.norm, doc.raw))
    return {r["part"]: r for r in rows}


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_seed_heading_and_part_starts_match_gold(gold):
    doc = load(ROOT / "data/raw" / gold["file"])
    span = locate_problems(doc, split_sections(doc.norm, doc.raw))
    assert span is not None
    assert span.heading == gold["heading"]
    parts = {p.part: p for p in span.parts}
    assert set(parts) == {"problems", "improvements"}
    for name, col in (("problems", "problems_text_start"), ("improvements", "improvements_text_start")):
        p = parts[name]
        assert doc.raw[p.line_start - 1].startswith(gold[col]), (name, doc.raw[p.line_start - 1][:30])
        assert p.text.startswith(gold[col])
        assert p.text == "\n".join(doc.raw[p.line_start - 1:p.line_end])
    assert parts["problems"].line_end < parts["improvements"].line_start


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_seed_parts_stop_before_the_next_part(gold):
    doc = load(ROOT / "data/raw" / gold["file"])
    rows, _ = extract_problems(doc, split_sections(doc.norm, doc.raw))
    imp = next(r for r in rows if r["part"] == "improvements")
    assert "其他需要报告" not in imp["text"] and "附件" not in imp["text"]
    after = [ln for ln in doc.raw[imp["line_end"]:] if ln.strip()]
    assert not after or "其他" in after[0] or after[0].startswith("附件")


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_seed_themes_are_explained_by_evidence_in_the_text(gold):
    doc = load(ROOT / "data/raw" / gold["file"])
    rows, _ = extract_problems(doc, split_sections(doc.norm, doc.raw))
    themes = tag_themes(rows)
    assert 2 <= len({t["theme"] for t in themes}) <= 5
    for t in themes:
        assert t["part"] == "problems"
        assert len(t["evidence"]) >= 2
        assert t["evidence"] in doc.raw[t["line"] - 1]


# ---- heading variants and the no-heading case, on text built here ----

OPENING = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、"
           "{h}、其他需要报告的事项六部分组成。")
PROBLEM = "存在问题：一是业务培训开展较少，工作人员业务水平有待提高；二是栏目设置不够合理。"
IMPROVE = "改进措施：一是加强业务培训，每季度组织一次专题学习；二是对照目录梳理栏目。"


def report(heading: str | None, body: list[str], numeral: str = "五", other: bool = True) -> list[str]:
    """A small report: the opening list of parts, sections 一–四 with a line each, then the problems part."""
    lines = ["某县交通运输局2023年政府信息公开工作年度报告", "",
             OPENING.format(h=heading or "存在的主要问题及改进情况"), "",
             "一、总体情况", "", "2023年，我局认真贯彻落实《条例》，全面推进政务公开。", "",
             "二、主动公开政府信息情况", "", "主动公开政府信息120条。", "",
             "三、收到和处理政府信息公开申请情况", "", "本年度收到政府信息公开申请2件。", "",
             "四、政府信息公开行政复议、行政诉讼情况", "", "本年度未发生行政复议和行政诉讼。", ""]
    if heading:
        lines += [f"{numeral}、{heading}" if numeral else heading, ""]
    lines += body
    if other:
        lines += ["", "六、其他需要报告的事项" if numeral != "六" else "七、其他需要报告的事项", "", "无。"]
    return lines


@pytest.mark.parametrize("heading", [
    "存在的主要问题及改进情况",
    "政府信息公开工作存在的主要问题及改进情况",
    "存在的问题及改进措施",
    "存在问题及改进情况",
    "工作中存在的主要问题及改进情况",
    "存在的主要问题和改进措施",
    "存在问题及整改措施",
])
def test_heading_variants(heading):
    lines = report(heading, [PROBLEM, "", IMPROVE])
    doc = doc_from_lines(lines)
    span = locate_problems(doc, split_sections(doc.norm, doc.raw))
    assert span is not None and span.heading.endswith(heading)
    parts = {p.part: p for p in span.parts}
    assert parts["problems"].text == PROBLEM
    assert parts["improvements"].text == IMPROVE
    assert parts["problems"].line_start == lines.index(PROBLEM) + 1


def test_problems_numbered_six():
    lines = report("存在问题及整改措施", [PROBLEM, "", IMPROVE], numeral="六")
    parts = parts_of(doc_from_lines(lines))
    assert parts["problems"]["text"] == PROBLEM and parts["improvements"]["text"] == IMPROVE


def test_opening_list_of_parts_is_not_a_heading():
    # the heading words occur first in the opening paragraph; the part must be taken from the real heading
    lines = report("存在的主要问题及改进情况", [PROBLEM, "", IMPROVE])
    doc = doc_from_lines(lines)
    span = locate_problems(doc, {})  # force the module's own search
    assert span.heading_line == lines.index("五、存在的主要问题及改进情况") + 1
    assert {p.part: p.text for p in span.parts} == {"problems": PROBLEM, "improvements": IMPROVE}


@pytest.mark.parametrize("p_head,i_head", [("(一)存在问题", "(二)改进措施"), ("（一）主要问题", "（二）改进措施"),
                                           ("(一)存在的主要问题", "(二)进一步整改")])
def test_sub_heads(p_head, i_head):
    body = [p_head, "", "一是业务培训开展较少。二是栏目设置不够合理。", "", i_head, "", "一是加强培训。二是梳理栏目。"]
    lines = report("存在的主要问题及改进情况", body)
    parts = parts_of(doc_from_lines(lines))
    assert parts["problems"]["text"].startswith(p_head)
    assert parts["improvements"]["text"].startswith(i_head)
    assert parts["improvements"]["text"].endswith("二是梳理栏目。")


def test_sub_heads_without_a_part_heading():
    body = ["(一)存在问题", "", "工作人员多为兼职，队伍不稳定。", "", "(二)进一步整改", "", "明确专人负责信息公开工作。"]
    lines = report(None, body)
    doc = doc_from_lines(lines)
    span = locate_problems(doc, split_sections(doc.norm, doc.raw))
    assert span.how == "subheads" and span.heading == ""
    parts = {p.part: p.text for p in span.parts}
    assert parts["problems"].startswith("(一)存在问题") and "兼职" in parts["problems"]
    assert parts["improvements"].startswith("(二)进一步整改")


def test_merged_part_starts_problems_at_its_marker():
    body = ["一是完善制度，二是规范流程，全年共召开专题会议3次。", "", "存在的主要问题：政策解读形式比较单一。", "",
            "下一步，我局将丰富解读形式，推出图解和视频解读。"]
    lines = report("主要措施、存在的主要问题及下一步工作打算", body, numeral="四", other=False)
    # the standard 四 line is also present; drop it so the merged part is the fourth part
    lines = [ln for ln in lines if not ln.startswith("四、政府信息公开行政复议")]
    doc = doc_from_lines(lines)
    for sections in ({}, split_sections(doc.norm, doc.raw)):
        span = locate_problems(doc, sections)
        assert span.heading == "四、主要措施、存在的主要问题及下一步工作打算"
        parts = {p.part: p.text for p in span.parts}
        assert parts["problems"] == "存在的主要问题：政策解读形式比较单一。"
        assert parts["improvements"].startswith("下一步")


def test_no_heading_prose_before_attachment():
    prose = "我局政务公开工作虽然取得了一定成效，但仍存在一些不足，如政务新媒体更新不够及时，信息公开队伍力量薄弱。"
    plans = "2024年，我局将继续加强政务新媒体管理，充实信息公开工作力量，提升公开质量。"
    lines = ["某市交通运输局2023年政府信息公开年报", "",
             "2023年，我局认真贯彻落实《条例》，全面推进政务公开，一是加强组织领导，二是做好政策解读。", "",
             "一是加强组织领导。多次召开专题会议研究部署政务公开工作，明确分管领导和责任科室。", "",
             prose, "", plans, "", "附件:", "", "二、主动公开政府信息情况", "", "第二十条第(一)项"]
    doc = doc_from_lines(lines)
    rows, warnings = extract_problems(doc, split_sections(doc.norm, doc.raw))
    parts = {r["part"]: r for r in rows}
    assert parts["problems"]["text"] == prose and parts["problems"]["line_start"] == 7
    assert parts["improvements"]["text"] == plans and parts["improvements"]["line_end"] == 9
    assert any("no heading" in w["message"] for w in warnings)


def test_not_found_is_a_warning_not_a_guess():
    lines = ["某局2023年政府信息公开工作年度报告", "", "一、总体情况", "", "我局全面推进政务公开工作，取得良好成效。", "",
             "二、主动公开政府信息情况", "", "主动公开信息50条。"]
    doc = doc_from_lines(lines)
    rows, warnings = extract_problems(doc, split_sections(doc.norm, doc.raw))
    assert rows == []
    assert len(warnings) == 1 and "not found" in warnings[0]["message"]


def test_no_heading_plans_stop_at_the_next_part_without_blank_lines():
    prose = "本单位信息公开工作虽然有所进步，但仍存在一些不足，主要是公开内容不够全面，政策解读形式单一。"
    plans = "下一步，我单位将丰富政策解读形式，细化公开内容，提升公开质量和实效。"
    after = "全年主动公开政府信息共计300条，其中政策文件12件，工作动态288条，均在网站公开。"
    lines = ["某单位2023年政府信息公开工作年度报告", "今年，我单位认真落实各项公开要求，工作取得一定成效，群众满意度不断提升。",
             prose, plans, "二、主动公开政府信息情况", after]
    doc = doc_from_lines(lines)
    parts = {r["part"]: r for r in extract_problems(doc, {})[0]}
    assert parts["problems"]["line_start"] == 3
    assert (parts["improvements"]["line_start"], parts["improvements"]["line_end"]) == (4, 4)


def test_label_without_heading_opens_the_part():
    lines = report(None, ["存在的主要问题：一是人员不足。", "", "改进措施：充实人员。"])
    doc = doc_from_lines(lines)
    for sections in ({}, split_sections(doc.norm, doc.raw)):
        span = locate_problems(doc, sections)
        assert span.how == "label" and span.heading == "" and span.heading_line is None
        assert {p.part: p.text for p in span.parts} == {"problems": "存在的主要问题：一是人员不足。",
                                                        "improvements": "改进措施：充实人员。"}
