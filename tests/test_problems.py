"""problems.extract_problems: edges of the span and of the split, on text built here."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.model import Doc
from helpers.normalize import normalize_lines
from helpers.problems import extract_problems, is_problems_heading, locate_problems
from helpers.sections import split_sections


def doc_from_lines(lines: list[str]) -> Doc:
    return Doc(report_id="r1", raw=lines, norm=normalize_lines(lines))


def run(lines: list[str]) -> tuple[dict[str, dict], list[dict]]:
    doc = doc_from_lines(lines)
    rows, warnings = extract_problems(doc, split_sections(doc.norm, doc.raw))
    for r in rows:
        assert list(r) == ["report_id", "part", "text", "line_start", "line_end"]
        assert r["report_id"] == "r1"
    return {r["part"]: r for r in rows}, warnings


HEAD = ["一、总体情况", "", "我局全面推进政务公开工作。", "", "四、政府信息公开行政复议、行政诉讼情况", "", "无。", ""]


@pytest.mark.parametrize("line,expected", [
    ("五、存在的主要问题及改进情况", True),
    ("五、 存在的主要问题及改进情况", True),
    ("五、存 在 的 主 要 问 题 及 改 进 情 况", True),
    ("六、存在问题及整改措施", True),
    ("政府信息公开存在的主要问题及改进情况", True),
    ("存在的主要问题及改进措施", True),
    ("四、主要措施、存在的主要问题及下一步工作打算", True),
    ("存在问题：一是主动公开意识有待提升。", False),  # a label opening the text
    ("(一)存在问题", False),  # a sub-head
    ("全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议行政诉讼情况、"
     "存在的主要问题及改进情况、其他需要报告的事项六个部分组成。", False),
    ("五、其他需要报告的事项", False),
])
def test_is_problems_heading(line, expected):
    assert is_problems_heading(normalize_lines([line])[0]) is expected


def test_full_width_and_traditional_heading():
    parts, _ = run(HEAD + ["五、存在的主要問題及改進情況", "", "存在問題：人員不足。", "", "改進措施：充實人員。"])
    assert parts["problems"]["text"] == "存在問題：人員不足。"
    assert parts["improvements"]["text"] == "改進措施：充實人員。"


def test_both_parts_on_one_line_are_cut_at_the_improvements_label():
    line = "存在问题：栏目更新不及时。改进措施：明确专人每周更新栏目。"
    parts, warnings = run(HEAD + ["五、存在的主要问题及改进情况", "", line, "", "六、其他需要报告的事项", "", "无。"])
    assert parts["problems"]["text"] == "存在问题：栏目更新不及时。"
    assert parts["improvements"]["text"] == "改进措施：明确专人每周更新栏目。"
    assert parts["problems"]["line_start"] == parts["improvements"]["line_start"] == len(HEAD) + 3
    assert warnings == []


def test_last_part_drops_the_sign_off_and_attachments():
    body = ["五、存在的主要问题及改进情况", "", "存在问题：人员不足。", "", "下一步，我局将充实人员。", "", "",
            "某县交通运输局", "2024年1月20日", "", "附件：统计表"]
    parts, _ = run(HEAD + body)
    assert parts["improvements"]["text"] == "下一步，我局将充实人员。"
    assert parts["improvements"]["line_end"] == len(HEAD) + 5


def test_problems_without_improvements_warns():
    parts, warnings = run(HEAD + ["五、存在的主要问题及改进情况", "", "一是人员不足。", "", "二是培训较少。", "",
                                  "六、其他需要报告的事项"])
    assert set(parts) == {"problems"}
    assert parts["problems"]["text"] == "一是人员不足。\n\n二是培训较少。"
    assert any("no improvements" in w["message"] for w in warnings)


def test_year_opening_a_problem_is_not_taken_for_plans():
    body = ["五、存在的主要问题及改进情况", "", "2023年，我局政务公开工作主要存在以下问题：一是解读形式单一。", "",
            "2024年，我局将丰富解读形式。"]
    parts, _ = run(HEAD + body)
    assert parts["problems"]["text"].startswith("2023年")
    assert parts["improvements"]["text"].startswith("2024年")


def test_section_that_reports_nothing():
    parts, warnings = run(HEAD + ["五、存在的主要问题及改进情况", "", "无。", "", "六、其他需要报告的事项"])
    assert parts == {}
    assert any("nothing to report" in w["message"] for w in warnings)


def test_plans_only_part_gives_improvements_and_a_warning():
    lines = HEAD + ["五、下一步工作打算", "", "一是加强政策解读。二是规范依申请公开。"]
    doc = doc_from_lines(lines)
    span = locate_problems(doc, split_sections(doc.norm, doc.raw))
    assert span.how == "plans"
    assert [p.part for p in span.parts] == ["improvements"]
    assert any("no problems part" in w["message"] for w in span.warnings)


def test_prose_without_a_following_plan_or_end_is_not_guessed():
    # an admission in the middle of section 一's prose, followed by more achievements: not a problems part
    lines = ["某局2023年政府信息公开年报", "",
             "我局虽然人手有限，但仍存在一定差距的情况下克服困难，圆满完成了全年公开任务。", "",
             "一是加强组织领导，多次召开专题会议研究部署政务公开工作。", "",
             "二是做好政策解读，围绕重点工作发布解读材料，回应社会关切。", "",
             "附件:"]
    rows, warnings = extract_problems(doc_from_lines(lines), {})
    assert rows == [] and "not found" in warnings[0]["message"]


def test_heading_that_runs_on_into_its_text():
    line = "五、存在的主要问题及改进情况：一是公开内容不够全面。"
    parts, _ = run(HEAD + [line, "", "改进措施：细化公开目录。", "", "六、其他需要报告的事项"])
    doc = doc_from_lines(HEAD + [line])
    span = locate_problems(doc, split_sections(doc.norm, doc.raw))
    assert span.heading == "五、存在的主要问题及改进情况"
    assert parts["problems"]["text"] == "一是公开内容不够全面。"
    assert parts["problems"]["line_start"] == len(HEAD) + 1
    assert parts["improvements"]["text"] == "改进措施：细化公开目录。"


_PIECES = ["五、存在的主要问题及改进情况", "存在问题：", "改进措施：", "下一步，", "(一)存在问题", "(二)改进措施",
           "人员不足。", "2024年，我局将", "附件:", "六、其他需要报告的事项", "虽然取得成效，但仍存在一些不足，", "",
           "  ", "无。", "2024年1月2日", "一是", "\u3000"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=4).map("".join), max_size=25))
def test_never_raises_and_rows_are_true_to_the_raw_lines(lines):
    doc = doc_from_lines(lines)
    rows, warnings = extract_problems(doc, split_sections(doc.norm, doc.raw))
    assert rows or warnings
    for r in rows:
        assert 1 <= r["line_start"] <= r["line_end"] <= len(lines)
        joined = "\n".join(lines[r["line_start"] - 1:r["line_end"]])
        assert r["text"].strip() and r["text"] in joined
