"""Whole reports through the section splitter: prose that mentions a part's words, label lines, a bare
table cell where a heading is missing, merged headings, and the tables still found by their anchors."""
from __future__ import annotations

import pytest

from helpers.model import SECTION_KEYS
from layout_render import (doc_from_text, expected_appeals, expected_requests, parse_report, random_tables,
                           render_report, sections_of)

OPENING = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
           "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。")


def _report(t, layout: str, *, appeals_heading: bool = True) -> str:
    text = render_report(t, layout)
    text = text.replace("本年度，我局认真", OPENING + "\n本年度未发生行政复议和行政诉讼。\n本年度，我局认真", 1)
    text = text.replace("一是公开内容不够全面；", "存在的主要问题：一是公开内容不够全面；", 1)
    text = text.replace("六、其他需要报告的事项\n\n无。", "六、其他需要报告的事项无。", 1)
    if not appeals_heading:
        text = text.replace("四、政府信息公开行政复议、行政诉讼情况\n", "\n", 1)
    return text


def _line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith(start))


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs", "cell-per-line-pipe", "cell-per-line-blank"])
def test_prose_and_label_lines_do_not_become_headings(layout):
    t = random_tables(1001)
    text = _report(t, layout)
    secs = sections_of(doc_from_text(text))
    assert list(secs) == list(SECTION_KEYS)
    assert secs["appeals"].heading_line == _line_of(text, "四、政府信息公开行政复议")
    assert secs["problems"].heading_line == _line_of(text, "五、存在的主要问题")
    assert secs["other"].heading == "六、其他需要报告的事项无。"
    res = parse_report(text)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs", "cell-per-line-pipe", "html"])
def test_missing_appeals_heading_is_not_replaced_by_a_table_cell(layout):
    t = random_tables(1002)
    text = _report(t, layout, appeals_heading=False)
    secs = sections_of(doc_from_text(text))
    assert "appeals" not in secs
    assert secs["problems"].heading_line == _line_of(text, "五、存在的主要问题")
    res = parse_report(text)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)


def test_problems_as_part_six_and_a_preface():
    """D174: `六、存在问题及整改措施`, problems numbered six; D87: a preface `引 言` before 一."""
    t = random_tables(1003)
    text = render_report(t, "tab").replace("一、总体情况", "引 言\n\n本报告依据条例编制。\n\n一、總體情況。", 1)
    text = text.replace("五、存在的主要问题及改进情况", "六、存在问题及整改措施", 1)
    text = text.replace("六、其他需要报告的事项\n", "七、其他需要报告的事项\n", 1)
    secs = sections_of(doc_from_text(text))
    assert secs["overview"].heading == "一、總體情況。"
    assert secs["problems"].heading == "六、存在问题及整改措施"
    assert secs["other"].heading_line == _line_of(text, "七、其他需要报告的事项")


PROSE = {"二、主动公开政府信息情况": "根据条例第二十条规定，本年制发规范性文件3件，废止1件，现行有效12件。",
         "三、收到和处理政府信息公开申请情况": "本年新收政府信息公开申请 5 件，上年结转 1 件，办结 6 件。",
         "四、政府信息公开行政复议、行政诉讼情况": "本年度发生行政复议 1 件，行政诉讼 0 件。"}


@pytest.mark.parametrize("width", [0, 14, 15])
@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs", "pdf-space", "cell-per-line-blank",
                                    "cell-per-line-pipe", "html"])
def test_prose_above_a_table_that_names_its_rows(layout, width):
    """A sentence under the heading repeats the table's row words (本年新收…, 上年结转…), whole or hard-wrapped
    (PDF text, a line may end on a number): the table's own rows win, nothing is read from the prose."""
    t = random_tables(1004)
    text = render_report(t, layout)
    for head, prose in PROSE.items():
        if width:
            prose = "\n".join(prose[i:i + width] for i in range(0, len(prose), width))
        text = text.replace(head + "\n", head + "\n" + prose + "\n", 1)
    res = parse_report(text)
    assert {(r["item"], r["measure"]): r["value"] for r in res.tables["disclosure"]} == t["disclosure"]
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)
