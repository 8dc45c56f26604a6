"""HTML tables kept as text (D29): `<tr>` per line or `<td>` per line, colspan/rowspan, `<br />` inside
header cells and `&nbsp;` for empty cells (which are positioned blanks, 总计 included)."""
from __future__ import annotations

import pytest

from layout_render import (cells, expected_appeals, expected_requests, parse_report, provenance_errors,
                           random_tables, render_report, values, warnings_of)


@pytest.mark.parametrize("layout", ["html", "html-pretty"])
@pytest.mark.parametrize("template,split", [("2021", True), ("2019", False)])
def test_html_tables_round_trip(layout, template, split):
    t = random_tables(701, template, split)
    text = render_report(t, layout)
    assert "<br />" in text and "colspan" in text
    res = parse_report(text)
    assert res.report["status"] == "ok" and res.report["template"] == template
    assert values(res, "disclosure") == t["disclosure"]
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)
    assert provenance_errors(res, text) == []


@pytest.mark.parametrize("layout", ["html", "html-pretty"])
def test_nbsp_cells_are_blank_including_detail_totals(layout):
    """D29: detail rows leave 总计 as `&nbsp;`; all five after-reconsideration cells are `&nbsp;`."""
    t = random_tables(702)
    blanks = frozenset((r, "total") for r in t["rows"][2:-2])
    for res_ in ("upheld", "corrected", "other", "pending", "total"):
        t["appeals"][("litigation_after_reconsideration", res_)] = None
    text = render_report(t, layout, blanks=blanks)
    assert "&nbsp;" in text
    res = parse_report(text)
    got = cells(res, "requests")
    for r in t["rows"][2:-2]:
        assert got[(r, "total")]["status"] == "blank" and got[(r, "total")]["value"] is None
        assert got[(r, "natural_person")]["value"] == t["requests"][(r, "natural_person")]
    assert got[("handled_total", "total")]["value"] == t["requests"][("handled_total", "total")]
    app = cells(res, "appeals")
    assert all(app[("litigation_after_reconsideration", x)]["status"] == "blank" for x in
               ("upheld", "corrected", "other", "pending", "total"))
    assert app[("reconsideration", "total")]["value"] == t["appeals"][("reconsideration", "total")]


def test_whole_table_on_one_line():
    """A table stored as one line (a JS string): the cells still come in order, so it reads the same, and
    column positions on one long line are not taken for shifted rows."""
    t = random_tables(703)
    text = render_report(t, "html")
    lines = text.split("\n")
    a = lines.index("三、收到和处理政府信息公开申请情况") + 2
    b = lines.index("</table>", a)
    text = "\n".join(lines[:a] + ["".join(lines[a:b + 1])] + lines[b + 1:])
    res = parse_report(text)
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert {r["line"] for r in res.tables["requests"]} == {a + 1}
    assert not [m for m in warnings_of(res, "tables") if "shifted" in m]
