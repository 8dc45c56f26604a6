"""Whole synthetic reports in every table layout, parsed from bytes by ``parse_bytes``: values, statuses,
template and provenance (``raw`` printed on ``line``) must all come back, whatever the rendering."""
from __future__ import annotations

import pytest

from layout_render import (LAYOUTS, cells, expected_appeals, expected_disclosure, expected_requests,
                           parse_report, provenance_errors, random_tables, render_report, values, warnings_of)


def _assert_round_trip(res, t, text):
    assert res.report["status"] == "ok"
    assert res.report["template"] == t["template"]
    assert sorted((i, m, v) for (i, m), v in values(res, "disclosure").items()) == sorted(expected_disclosure(t))
    got = [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]]
    assert got == expected_requests(t)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)
    assert provenance_errors(res, text) == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template,split", [("2021", True), ("2019", False), ("2021", False)])
def test_whole_report_in_each_layout(layout, template, split):
    t = random_tables(hash((layout, template, split, "family")) % 997, template, split)
    text = render_report(t, layout)
    _assert_round_trip(parse_report(text), t, text)


@pytest.mark.parametrize("mix", [("cell-per-line", "pipe-row", "pdf-runs"), ("pdf-space", "markdown", "tab"),
                                 ("label-line-values-line", "cell-per-line-blank", "cell-pipe-alternating")])
def test_one_report_mixes_layouts(mix):
    t = random_tables(101)
    text = render_report(t, dict(zip(("disclosure", "requests", "appeals"), mix)))
    _assert_round_trip(parse_report(text), t, text)


def test_pipe_rows_with_a_leading_empty_slot_after_a_rowspan_label():
    """D100: sub-rows below `(三)不予公开 | 1.属于国家秘密 | …` start with an empty `| |` slot."""
    t = random_tables(102)
    text = render_report(t, "pipe-row")
    lines = [(" | " + ln) if ln.startswith(("2.", "3.", "4.", "5.", "6.", "7.", "8.")) else ln
             for ln in text.split("\n")]
    text = "\n".join(lines)
    assert "\n | 2.重复申请 |" in text
    _assert_round_trip(parse_report(text), t, text)


def test_cell_per_line_pipe_with_a_lone_pipe_before_every_row():
    """D128: a lone `|` line opens every row; it is the end of the row above, not an empty first cell."""
    t = random_tables(103)
    text = render_report(t, "cell-per-line-pipe")
    text = "\n".join(("|\n" + ln) if ln.startswith(("(", "一、", "二、", "三、", "四、")) else ln
                     for ln in text.split("\n"))
    _assert_round_trip(parse_report(text), t, text)


def test_requests_header_note_joined_to_applicant_cell_and_wrapped():
    """The 勾稽关系 note is the first header cell, broken over two lines (D113), in a pipe table."""
    t = random_tables(104)
    text = render_report(t, "pipe-row").replace("第一项加第二项之和,", "第一项加第二项之和,\n", 1)
    assert "之和,\n等于" in text
    _assert_round_trip(parse_report(text), t, text)


def test_line_and_raw_point_at_the_printed_cell():
    t = random_tables(105)
    text = render_report(t, "cell-per-line-blank")
    res = parse_report(text)
    lines = text.split("\n")
    for r in res.tables["requests"]:
        assert lines[r["line"] - 1].strip() == str(r["value"])  # one cell per line: the line is the number
    granted = cells(res, "requests")[("granted", "natural_person")]
    assert lines[granted["line"] - 3].startswith("(一)予以公开")


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs"])
def test_no_headings_at_all(layout):
    """D151-style reports without part headings: the tables are found by their own anchors."""
    t = random_tables(106)
    text = render_report(t, layout, headings=False)
    res = parse_report(text)
    assert values(res, "appeals") == {(p, r): v for (p, r), v in t["appeals"].items()}
    assert not [w for w in warnings_of(res, "tables") if "not found" in w]


ORGS = ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")


@pytest.mark.parametrize("layout", ["pipe-row", "markdown", "tab", "label-line-values-line"])
def test_empty_slots_between_values_are_blank_cells(layout):
    """D98/D100: `| 3 |   |   |   |   |   | 3 |` — only 自然人 and 总计 filled; the empty slots sit between
    two values of the row, so they are positioned blank cells, not an ambiguous short row."""
    t = random_tables(107)
    blanks = frozenset((r, a) for r in t["rows"][2:] for a in ORGS)
    text = render_report(t, layout, blanks=blanks)
    res = parse_report(text)
    got = cells(res, "requests")
    for r in t["rows"][2:]:
        assert got[(r, "natural_person")]["value"] == t["requests"][(r, "natural_person")]
        assert got[(r, "total")]["value"] == t["requests"][(r, "total")]
        assert all(got[(r, a)]["status"] == "blank" and got[(r, a)]["value"] is None for a in ORGS)
    assert got[("new_received", "research_institution")]["status"] == "printed"
    assert provenance_errors(res, text) == []


def test_a_run_of_bare_pipes_loses_positions():
    """D97: one run of pipes stands for several empty cells; the row is ambiguous, never shifted."""
    t = random_tables(108)
    text = render_report(t, "pipe-row", blanks=frozenset(("granted", a) for a in ORGS))
    text = text.replace(" |   |   |   |   |   | ", " | |||| ", 1)
    res = parse_report(text)
    got = cells(res, "requests")
    assert got[("granted", "natural_person")]["status"] == "ambiguous"
    assert got[("granted", "total")]["value"] == t["requests"][("granted", "total")]


@pytest.mark.parametrize("layout", ["pipe-row", "markdown", "label-line-values-line", "html"])
def test_blank_total_in_the_last_slot_is_blank_not_a_neighbour(layout):
    """D29/D48: the detail rows print the six applicant cells and leave 总计 as an empty slot before the
    closing pipe: 总计 is blank, and the other-org value is not taken for the total."""
    t = random_tables(109)
    rows = t["rows"][2:-2]
    text = render_report(t, layout, blanks=frozenset((r, "total") for r in rows))
    res = parse_report(text)
    got = cells(res, "requests")
    for r in rows:
        assert got[(r, "total")]["status"] == "blank" and got[(r, "total")]["value"] is None
        assert got[(r, "other_org")]["value"] == t["requests"][(r, "other_org")]
    assert provenance_errors(res, text) == []


def test_pipe_row_padding_after_values_is_not_a_cell():
    """`| |||` after the values is merge padding: a short row stays ambiguous, never shifted."""
    t = random_tables(110)
    text = render_report(t, "pipe-row", drop={"granted": 6})
    line = next(ln for ln in text.split("\n") if ln.startswith("三、本年度办理结果"))
    text = text.replace(line, line + " |||", 1)
    got = cells(parse_report(text), "requests")
    assert got[("granted", "natural_person")]["status"] == "ambiguous"
    assert got[("granted", "total")]["value"] == t["requests"][("granted", "total")]


def test_cell_per_line_pipe_with_one_run_of_pipes_for_several_empty_cells():
    """D97: `|||||` on one line replaces five lone `|` lines; positions are lost, so the row is ambiguous."""
    t = random_tables(111)
    lines = render_report(t, "cell-per-line-pipe", blanks=frozenset(("granted", a) for a in ORGS)).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("(一)予以公开")) + 2
    assert lines[k:k + 5] == ["|"] * 5
    lines[k:k + 5] = ["|||||"]
    got = cells(parse_report("\n".join(lines)), "requests")
    assert got[("granted", "natural_person")]["status"] == "ambiguous"
    assert got[("granted", "total")]["value"] == t["requests"][("granted", "total")]
    assert got[("partially_granted", "natural_person")]["value"] == t["requests"][("partially_granted",
                                                                                    "natural_person")]


def test_cell_per_line_with_dropped_empty_cells():
    """D55: empty cells are not printed at all; the row keeps its last number as 总计, the rest ambiguous."""
    t = random_tables(112)
    lines = render_report(t, "cell-per-line", blanks=frozenset(("granted", a) for a in ORGS)).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("(一)予以公开")) + 2
    assert lines[k:k + 5] == [""] * 5
    del lines[k:k + 5]
    got = cells(parse_report("\n".join(lines)), "requests")
    assert got[("granted", "natural_person")]["status"] == "ambiguous"
    assert got[("granted", "total")]["value"] == t["requests"][("granted", "total")]
    assert got[("partially_granted", "total")]["value"] == t["requests"][("partially_granted", "total")]


@pytest.mark.parametrize("layout", ["pipe-row", "cell-per-line-pipe", "tab"])
def test_header_cut_to_its_first_line(layout):
    """D51/D54: the two-line header lost its second line (`本年新 | 本年新 | 对外公开总数量`): the 2019 form's
    own columns are used, with a warning."""
    t = random_tables(113, "2019", split_other=False)
    text = render_report(t, layout).replace("本年新制作数量", "本年新").replace("本年新公开数量", "本年新")
    res = parse_report(text)
    assert res.report["template"] == "2019"
    assert values(res, "disclosure") == t["disclosure"]
    assert any("read as the 2019 form's columns" in m for m in warnings_of(res, "tables"))


RESULTS = ("upheld", "corrected", "other", "pending", "total")


@pytest.mark.parametrize("layout", ["pipe-row", "markdown", "label-line-values-line", "cell-per-line-pipe",
                                    "cell-per-line-blank", "html", "tab"])
def test_section_four_with_empty_cells(layout):
    """D29: all five after-reconsideration cells and one reconsideration cell printed empty. Where the layout
    positions empty cells they are blank; tab text's trailing tabs are padding, so there nothing is assigned
    rather than shifted."""
    t = random_tables(114)
    for r in RESULTS:
        t["appeals"][("litigation_after_reconsideration", r)] = None
    t["appeals"][("reconsideration", "other")] = None
    got = cells(parse_report(render_report(t, layout)), "appeals")
    if layout == "tab":
        assert {r["status"] for r in got.values()} == {"ambiguous"}
        assert all(r["value"] is None for r in got.values())
        return
    for key, v in t["appeals"].items():
        assert (got[key]["value"], got[key]["status"]) == ((None, "blank") if v is None else (v, "printed"))
