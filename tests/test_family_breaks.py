"""Page breaks and PDF text: page numbers in several styles, labels split by a break, rows that lose their
indentation, a table continued on the next page under a repeated header, wrapped labels, section 四's
numbers wrapped or printed as three labelled rows."""
from __future__ import annotations

import pytest

from layout_render import (APPEAL_HEADER, appeals_rows, disclosure_rows, expected_appeals, expected_requests,
                           parse_report, provenance_errors, random_tables, render, render_report, request_rows,
                           values, warnings_of)

PAGE_MARKS = ["- 5 -", "— 5 —", "－5－", "第 5 页 共 12 页", "5/12"]


def _requests(res):
    return [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]]


def _appeals(res):
    return [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]]


@pytest.mark.parametrize("mark", PAGE_MARKS)
@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs", "cell-per-line-pipe", "cell-per-line-blank",
                                    "html"])
def test_table_continued_on_the_next_page(layout, mark):
    """Between (二) and (三): a page number, the report title as page header and the applicant header
    repeated on the new page."""
    t = random_tables(901)
    lines = render_report(t, layout).split("\n")
    k = next(i for i, ln in enumerate(lines) if "(三)不予公开" in ln and not ln.startswith("  "))
    if layout == "html":
        k -= 1  # before the <tr>
    header = render(request_rows(t)[1:3], layout)
    lines[k:k] = ["", mark, "", "某市交通运输局2022年政府信息公开工作年度报告", "", *header]
    text = "\n".join(lines)
    res = parse_report(text)
    assert _requests(res) == expected_requests(t)
    assert res.report["status"] == "ok"
    assert provenance_errors(res, text) == []


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-space", "cell-per-line-blank", "cell-per-line-pipe"])
def test_label_split_by_a_page_break_keeps_its_row(layout):
    t = random_tables(902)
    res = parse_report(render_report(t, layout, split_label=True, page_break=30))
    assert _requests(res) == expected_requests(t)
    assert any("止公开" in m for m in warnings_of(res, "tables"))


def test_rows_lose_their_indentation_after_a_break():
    """Tab text: after the break, sub-rows lose the leading empty cells of their rowspan labels."""
    t = random_tables(903)
    lines = render_report(t, "tab").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("(四)无法提供"))
    lines = lines[:k] + ["", "- 6 -", ""] + [ln.lstrip("\t") for ln in lines[k:]]
    res = parse_report("\n".join(lines))
    assert _requests(res) == expected_requests(t)


def test_page_starting_with_the_carried_forward_row_is_not_a_heading():
    """D66: a page starts with `四、结转下年度继续办理 0 0 0 0 0 0 0`, which looks like part 四's heading."""
    t = random_tables(904)
    lines = render_report(t, "pdf-space").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("四、结转下年度继续办理"))
    lines[k:k] = ["", "8", "", "   5   6   7   8", "", "— 9 —"]
    text = "\n".join(lines)
    res = parse_report(text)
    assert _requests(res)[-7:] == expected_requests(t)[-7:]
    assert _appeals(res) == expected_appeals(t)


def test_pdf_labels_wrapped_over_lines_with_values_on_the_middle_line():
    t = random_tables(905)
    lines = render_report(t, "pdf-runs").split("\n")
    out = []
    for ln in lines:
        if ln.startswith("(二)部分公开"):
            head = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"
            out += ["(二)部分公开(区分处理的,只计", "这一情形,不计其他情" + ln[len(head):], "形)"]
        elif ln.startswith("2.申请人逾期未按收费通知"):
            head = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
            out += ["2.申请人逾期未按收费通知要求缴纳费用、行政机关" + ln[len(head):], "不再处理其政府信息公开申请"]
        else:
            out.append(ln)
    text = "\n".join(out)
    res = parse_report(text)
    assert _requests(res) == expected_requests(t)
    assert provenance_errors(res, text) == []


def test_section_four_numbers_wrapped_over_two_lines():
    t = random_tables(906)
    text = render_report(t, "pdf-space")
    nums = [str(v) for v in t["appeals"].values()]
    assert "结 结 其 尚 总" in text  # headers printed vertically, one character per token
    text = text.replace(" ".join(nums), " ".join(nums[:10]) + "\n" + " ".join(nums[10:]))
    assert _appeals(parse_report(text)) == expected_appeals(t)


def test_section_four_as_three_labelled_rows():
    t = random_tables(907)
    text = render_report(t, "pdf-runs")
    nums = [str(v) for v in t["appeals"].values()]
    rows = [f"{lab}    " + "    ".join(nums[i * 5:i * 5 + 5])
            for i, lab in enumerate(["行政复议", "未经复议直接起诉", "复议后起诉"])]
    old = "\n".join(render(appeals_rows(t), "pdf-runs", vertical_header=True))
    text = text.replace(old, "项目    " + "    ".join(APPEAL_HEADER) + "\n" + "\n".join(rows))
    res = parse_report(text)
    assert _appeals(res) == expected_appeals(t)
    assert provenance_errors(res, text) == []


def test_markdown_with_a_newline_inside_every_cell():
    """D38: `| \\n 0  |` — every cell starts on a new line."""
    t = random_tables(908)

    def d38(rows):
        return "\n".join("| " + " | ".join("\n " + c + "  " for c in labels + vals) + " |" for labels, vals in rows)

    text = render_report(t, "markdown")
    for rows in (disclosure_rows(t), request_rows(t), appeals_rows(t)):
        text = text.replace("\n".join(render(rows, "markdown")), d38(rows))
    assert "| \n 规章   |" in text
    res = parse_report(text)
    assert values(res, "disclosure") == t["disclosure"]
    assert _requests(res) == expected_requests(t)
    assert _appeals(res) == expected_appeals(t)


@pytest.mark.parametrize("layout", ["cell-per-line", "cell-pipe-alternating"])
@pytest.mark.parametrize("at", [9, 20, 33])
def test_blank_lines_around_a_page_number_are_not_empty_cells(layout, at):
    """Where a blank line is an empty cell, the blank lines a page break brings are still page furniture."""
    t = random_tables(909)
    lines = render_report(t, layout).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("(一)予以公开")) + at
    lines[k:k] = ["", "", "— 5 —", ""]
    res = parse_report("\n".join(lines))
    assert _requests(res) == expected_requests(t)


@pytest.mark.parametrize("layout", ["pdf-space", "pdf-runs"])
def test_pdf_label_glued_to_its_first_value_and_mojibake_before_values(layout):
    """pdftotext glues a label to its first number (`(一)予以公开0 0 …`); D99 prints `? 0` for a lost space."""
    import re

    t = random_tables(910, "2019", split_other=False)
    text = render_report(t, layout)
    glued = re.sub(r"(?m)^(\S.*?[\u4e00-\u9fff)])\s+(\d)", r"\1\2", text)
    assert "(一)予以公开" + str(t["requests"][("granted", "natural_person")]) in glued
    res = parse_report(glued)
    assert _requests(res) == expected_requests(t)
    assert values(res, "disclosure") == t["disclosure"]
    assert provenance_errors(res, glued) == []
    moj = re.sub(r"(?m) (\d+)$", r" ? \1", text)
    res = parse_report(moj)
    assert _requests(res) == expected_requests(t) and _appeals(res) == expected_appeals(t)


@pytest.mark.parametrize("layout", ["pdf-space", "pdf-runs", "tab", "pipe-row"])
def test_page_navigation_digits_inside_a_table_are_not_values(layout):
    """D69/D137: a flipbook page ends with `   5   6   7   8` and a page number inside table 三; the row
    above keeps its own line's seven numbers, never a navigation digit as its total."""
    t = random_tables(911)
    lines = render_report(t, layout).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("(四)无法提供"))
    lines[k:k] = ["   5   6   7   8", "", "9"]
    res = parse_report("\n".join(lines))
    assert _requests(res) == expected_requests(t)
    assert any("withheld_query_matter prints" in m and "used" in m for m in warnings_of(res, "tables"))


def test_a_row_with_too_many_values_and_no_full_line_is_all_ambiguous():
    t = random_tables(912)
    text = render_report(t, "pdf-space", drop={"granted": 5})
    line = next(ln for ln in text.split("\n") if ln.startswith("(二)部分公开"))
    text = text.replace(line, "5 6 7 8\n" + line, 1)  # four stray numbers after a five-number row
    got = {(r["row"], r["applicant"]): r for r in parse_report(text).tables["requests"]}
    assert all(got[("granted", a)]["status"] == "ambiguous" and got[("granted", a)]["value"] is None
               for a in ("natural_person", "other_org", "total"))
