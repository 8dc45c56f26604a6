"""Audit checks on hand-built rows: each rule, its edge cases and the wording a reporter would quote."""
from __future__ import annotations

import pandas as pd

from helpers.audit import (completeness, corpus_checks, prose_breakdown_sum, prose_vs_table_decisions,
                           prose_vs_table_requests, template_mismatch, timeliness)
from helpers.figures import extract_figures
from helpers.model import Doc
from helpers.normalize import normalize_lines
from helpers.sections import split_sections
from test_audit_gold import appeals, disclosure, requests, sections

SEED = "000_30474365e08353b8.txt"  # complete, all-zero request table; used as a base to break


def make_doc(text: str) -> Doc:
    raw = text.split("\n")
    return Doc("t", raw, normalize_lines(raw))


def fig(metric, value, quote, qualifier="exact", line=1):
    return {"report_id": "t", "metric": metric, "value": value, "unit": "件", "qualifier": qualifier,
            "quote": quote, "line": line}


def req_rows(**totals):
    return [{"row": row, "applicant": "total", "value": v, "status": "printed"} for row, v in totals.items()]


# prose_vs_table_requests -------------------------------------------------------------------------------

def test_requests_including_carry_over_are_compared_with_new_plus_carried():
    figs = [fig("requests_total_incl_carryover", 15, "共受理政府信息公开申请15宗")]
    (row,) = prose_vs_table_requests("t", figs, req_rows(new_received=12, carried_over=3))
    assert row["holds"] == "true" and "12" in row["detail"] and "15" in row["detail"]
    (row,) = prose_vs_table_requests("t", figs, req_rows(new_received=12, carried_over=1))
    assert row["holds"] == "false"


def test_requests_table_cell_not_printed_is_unknown():
    rows = [{"row": "new_received", "applicant": "total", "value": None, "status": "ambiguous"}]
    (row,) = prose_vs_table_requests("t", [fig("requests_received", 3, "共受理申请3件")], rows)
    assert row["holds"] == "unknown" and "ambiguous" in row["detail"]


# prose_breakdown_sum -----------------------------------------------------------------------------------

def _breakdown(text: str):
    doc = make_doc(text)
    figs, _ = extract_figures(doc, {}, 2023)
    return prose_breakdown_sum("t", doc, figs)


def test_breakdown_that_adds_up_holds():
    rows = _breakdown("2023年主动公开政府信息共 120 条，其中行政处罚 20 条，财政预决算信息 100 条。")
    assert [(r["scope"], r["holds"]) for r in rows] == [("all", "true")]
    assert "20 + 100 = 120" in rows[0]["detail"]


def test_breakdown_that_does_not_add_up_fails_with_the_numbers():
    rows = _breakdown("12345热线全年受理来电 500 件，其中咨询 300 件，建议 20 件，投诉 170 件。")
    assert rows[0]["holds"] == "false"
    assert rows[1]["scope"] == "hotline_12345" and "300 + 20 + 170 = 490" in rows[1]["detail"]


def test_breakdown_with_an_approximate_part_is_not_called_false():
    rows = _breakdown("主动公开政府信息共 300 条，其中行政处罚 20 条，对外宣传 270 余条。")
    assert rows[0]["holds"] == "unknown"


def test_request_outcomes_short_of_received_are_unknown_not_false():
    figs = [fig("requests_received", 5, "共收到申请5件"), fig("requests_granted", 3, "予以公开3件")]
    rows = prose_breakdown_sum("t", make_doc(""), figs)
    assert rows[0]["holds"] == "unknown"
    figs.append(fig("requests_handled", 5, "办结5件"))
    assert prose_breakdown_sum("t", make_doc(""), figs)[0]["holds"] == "false"  # outcomes must equal handled


def test_no_breakdown_is_unknown():
    (row,) = prose_breakdown_sum("t", make_doc("我局加强政务公开。"), [])
    assert row["holds"] == "unknown"


# prose_vs_table_decisions ------------------------------------------------------------------------------

def test_explicit_decision_count_that_differs_fails():
    disc = [{"item": "penalty", "measure": "decisions", "value": 40}]
    rows = prose_vs_table_decisions("t", [fig("penalty_decisions", 37, "作出行政处罚决定37件")], disc)
    assert rows[0]["holds"] == "false" and "37" in rows[1]["detail"] and "40" in rows[1]["detail"]


def test_bare_item_count_that_differs_is_unknown():
    disc = [{"item": "licensing", "measure": "decisions", "value": 200}]
    rows = prose_vs_table_decisions("t", [fig("admin_approval_items", 180, "行政审批 180 条")], disc)
    assert rows[0]["holds"] == "unknown" and "published items" in rows[1]["detail"]


def test_non_decisions_are_never_compared():
    disc = [{"item": "licensing", "measure": "decisions", "value": 3}]
    figs = [fig("power_list_items", 12, "行政许可事项12项"), fig("credit_platform_records", 356, "行政许可信息356条")]
    (row,) = prose_vs_table_decisions("t", figs, disc)
    assert row["holds"] == "unknown" and row["detail"] == "prose states no licensing or penalty counts"


# timeliness --------------------------------------------------------------------------------------------

def test_department_late_after_31_january():
    (row,) = timeliness("t", {"agency": "某市交通运输局", "level": "prefecture", "year": 2023,
                              "published": "2024-02-15"})
    assert row["holds"] == "false" and "15 days" in row["detail"] and "2024-01-31" in row["detail"]


def test_government_has_until_31_march():
    (row,) = timeliness("t", {"agency": "某县人民政府", "level": "county", "year": 2023, "published": "2024-03-20"})
    assert row["holds"] == "true" and "2024-03-31" in row["detail"]
    (row,) = timeliness("t", {"agency": "某县人民政府办公室", "level": "county", "year": 2023,
                              "published": "2024-03-20"})
    assert row["holds"] == "false"  # the office is a department


def test_a_date_before_the_year_ended_is_suspect():
    (row,) = timeliness("t", {"agency": "某局", "year": 2023, "published": "2023-06-01"})
    assert row["holds"] == "unknown" and "wrong" in row["detail"]


def test_timeliness_unknown_without_date_or_for_townships():
    assert timeliness("t", {"agency": "某局", "year": 2023, "published": ""})[0]["holds"] == "unknown"
    (row,) = timeliness("t", {"agency": "某某镇人民政府", "level": "township", "year": 2023,
                              "published": "2024-03-20"})
    assert row["holds"] == "unknown"


# completeness ------------------------------------------------------------------------------------------

def test_completeness_names_what_is_missing():
    secs = sections(SEED)
    secs = {k: v for k, v in secs.items() if k != "problems"}
    disc = [r for r in disclosure(SEED) if r["item"] != "fees"]
    req = [r for r in requests(SEED) if r["row"] != "carried_forward"]
    rows = completeness("t", secs, {"template": "2021"}, disc, req, appeals(SEED)[:10])
    assert rows[0]["holds"] == "false"
    details = {r["scope"]: r["detail"] for r in rows[1:]}
    assert "五" in details["sections"]
    assert "fees/amount_10k_yuan" in details["disclosure"]
    assert "carried_forward" in details["requests"]
    assert "10 of 15" in details["appeals"]


def test_completeness_missing_tables():
    rows = completeness("t", sections(SEED), {"template": ""}, [], [], [])
    assert {r["scope"]: r["detail"] for r in rows[1:]} == {
        "disclosure": "table 二 not found", "requests": "table 三 not found", "appeals": "table 四 not found"}


# template_mismatch -------------------------------------------------------------------------------------

def test_a_cited_form_that_differs_from_the_tables_fails():
    doc = make_doc("本报告按照《国务院办公厅政府信息公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
                   "（国办公开办函〔2021〕30号）编制。")
    (row,) = template_mismatch("t", doc, {"year": 2020, "template": "2019"})
    assert row["holds"] == "false" and "cites the 2021 form" in row["detail"]
    (row,) = template_mismatch("t", doc, {"year": 2022, "template": 2021.0})  # stored as a float by pandas
    assert row["holds"] == "true"
    (row,) = template_mismatch("t", doc, {"year": 2022, "template": "2019"})
    assert row["holds"] == "false" and "should use the 2021 form" in row["detail"]


def test_template_unknown_when_not_recognised_or_pre_2019():
    assert template_mismatch("t", make_doc(""), {"year": 2022, "template": ""})[0]["holds"] == "unknown"
    assert template_mismatch("t", make_doc(""), {"year": 2017, "template": "2019"})[0]["holds"] == "unknown"


# carryover_continuity ----------------------------------------------------------------------------------

def _corpus(carry_2023: int, in_force_2023: int):
    reports = pd.DataFrame([
        {"report_id": "a22", "agency": "某市交通运输局", "province": "河北省", "prefecture": "某市", "county": "",
         "year": 2022, "template": "2021", "status": "ok"},
        {"report_id": "a23", "agency": "某市交通运输局", "province": "河北省", "prefecture": "某市", "county": "",
         "year": 2023, "template": "2021", "status": "ok"},
        {"report_id": "b23", "agency": "另一县交通运输局", "province": "河北省", "prefecture": "某市", "county": "另一县",
         "year": 2023, "template": "2021", "status": "ok"},
    ])
    requests = pd.DataFrame([
        {"report_id": "a22", "row": "carried_forward", "applicant": "total", "value": 4, "status": "printed"},
        {"report_id": "a23", "row": "carried_over", "applicant": "total", "value": carry_2023, "status": "printed"},
    ])
    disc = []
    for rid, vals in (("a22", {"issued": 2, "repealed": 0, "in_force": 10}),
                      ("a23", {"issued": 3, "repealed": 1, "in_force": in_force_2023})):
        for item in ("rules", "normative_documents"):
            disc += [{"report_id": rid, "item": item, "measure": m, "value": v} for m, v in vals.items()]
    return {"reports": reports, "requests": requests, "disclosure": pd.DataFrame(disc)}


def test_carryover_continuity_holds_across_consecutive_years():
    rows = corpus_checks(_corpus(carry_2023=4, in_force_2023=12))
    a23 = [r for r in rows if r["report_id"] == "a23"]
    assert [(r["scope"], r["holds"]) for r in a23] == [("all", "true")]
    assert "4 = 2022 report a22 carried_forward total 4" in a23[0]["detail"]


def test_carryover_continuity_fails_with_the_numbers():
    rows = corpus_checks(_corpus(carry_2023=6, in_force_2023=11))
    a23 = {r["scope"]: r for r in rows if r["report_id"] == "a23"}
    assert a23["all"]["holds"] == "false"
    assert "6 ≠" in a23["requests carried_over"]["detail"]
    assert "10 + issued 3 − repealed 1 = 12" in a23["rules in_force"]["detail"]


def test_carryover_continuity_unknown_until_both_years_exist():
    rows = corpus_checks(_corpus(carry_2023=4, in_force_2023=12))
    first = {r["report_id"]: r for r in rows if r["scope"] == "all"}
    assert first["a22"]["holds"] == "unknown" and "2021" in first["a22"]["detail"]
    assert first["b23"]["holds"] == "unknown"
    assert corpus_checks({}) == []


def test_breakdown_with_an_unnamed_part():
    text = "本年度主动公开政府信息 1523 条，其中政策文件 35 条，工作动态 1200 条，人事信息 20 条。"
    rows = _breakdown(text)
    assert rows[0]["holds"] == "unknown" and "其中政策文件 35 条 [unnamed]" in rows[1]["detail"]
    rows = _breakdown(text.replace("1523", "1255"))
    assert rows[0]["holds"] == "true" and "35 + 1200 + 20 = 1255" in rows[0]["detail"]


def test_carryover_continuity_on_narrow_inputs_equals_full_tables():
    from helpers.audit import CORPUS_COLUMNS, CORPUS_FILTERS

    full = _corpus(carry_2023=6, in_force_2023=11)
    full["requests"] = pd.concat([full["requests"], pd.DataFrame([
        {"report_id": "a23", "row": "new_received", "applicant": "total", "value": 9, "status": "printed",
         "raw": "9", "line": 40}])])
    narrow = {}
    for t, df in full.items():
        df = df[[c for c in CORPUS_COLUMNS[t] if c in df.columns]]
        for col, op, value in CORPUS_FILTERS.get(t, []):
            df = df[df[col] == value] if op == "=" else df[df[col].isin(value)]
        narrow[t] = df
    assert len(narrow["requests"]) < len(full["requests"])
    assert corpus_checks(narrow) == corpus_checks(full)


def test_records_are_to_dict_records():
    """corpus_checks builds its records a column at a time: the same dicts pandas' to_dict("records") gives."""
    import numpy as np

    from helpers.audit import _records

    df = pd.DataFrame({"report_id": ["a", "b", None], "year": [2022, 2023, 2024], "f": [1.5, np.nan, 2.0],
                       "o": pd.Series([np.int64(1), "x", None], dtype=object), "b": [True, False, True]})
    for name, dtype in (("n", "Int64"), ("F", "Float64"), ("B", "boolean"), ("s", "str"), ("S", "string"),
                        ("P", "string[pyarrow]"), ("c", "category"), ("I", "int64[pyarrow]")):
        values = [1, None, 3] if dtype in ("Int64", "Float64", "int64[pyarrow]") else \
            [True, None, False] if dtype == "boolean" else ["x", None, "z"]
        df[name] = pd.Series(values, dtype=dtype)
    for frame in (df, df.astype({"report_id": "str"}), df.iloc[:0], df[df["year"] > 2022]):
        cols = list(df.columns) + ["absent"]
        got = _records(frame, cols)
        want = frame[[c for c in cols if c in frame.columns]].to_dict("records")
        assert repr(got) == repr(want)
        assert [[type(v) for v in r.values()] for r in got] == [[type(v) for v in r.values()] for r in want]
