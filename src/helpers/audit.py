"""Audit checks: prose vs tables, timeliness, completeness, template, carry-over across years.

These are the checks evaluators of these reports run by hand: is the report on time, is it complete, do
its own numbers agree? Each check gives one ``scope=all`` row plus one row per failing or uncheckable case,
with the numbers (and the prose quote) in ``detail`` so a reporter can cite it. ``holds`` is ``true`` only
when every case could be checked and holds; ``unknown`` when nothing fails but something could not be
checked; ``false`` when any case fails. Check codes are described in ``data/checks_extra.csv``.
"""
from __future__ import annotations

import math
import re
from datetime import date

from .figures import breakdowns
from .model import SECTION_KEYS, SECTION_NUMERALS, Doc, Section

SECTION_TITLES = {"overview": "总体情况", "proactive": "主动公开政府信息情况",
                  "requests": "收到和处理政府信息公开申请情况", "appeals": "行政复议、行政诉讼情况",
                  "problems": "存在的主要问题及改进情况", "other": "其他需要报告的事项"}

# The cells of table 二 in each template (codebook codes).
DISCLOSURE_SHAPE = {
    "2021": [(i, m) for i in ("rules", "normative_documents") for m in ("issued", "repealed", "in_force")]
    + [(i, "decisions") for i in ("licensing", "penalty", "enforcement")] + [("fees", "amount_10k_yuan")],
    "2019": [(i, m) for i in ("rules", "normative_documents")
             for m in ("newly_made", "newly_published", "total_published")]
    + [(i, m) for i in ("licensing", "other_admin_services", "penalty", "enforcement")
       for m in ("prev_year_items", "change", "decisions")]
    + [("fees", "prev_year_items"), ("fees", "change"), ("procurement", "projects"),
       ("procurement", "amount_10k_yuan")],
}
TEMPLATE_LABELS = {"2019": "本年新制作数量/上一年项目数量", "2021": "本年制发件数/本年处理决定数量"}
REQUEST_ROWS = ("new_received", "carried_over", "granted", "partially_granted", "withheld_state_secret",
                "withheld_prohibited_by_law", "withheld_security_stability", "withheld_third_party",
                "withheld_internal_affairs", "withheld_process_info", "withheld_enforcement_file",
                "withheld_query_matter", "unavailable_not_held", "unavailable_needs_creation",
                "unavailable_unclear", "not_processed_complaint", "not_processed_repeat",
                "not_processed_publication", "not_processed_excessive", "not_processed_reconfirm",
                "handled_total", "carried_forward")
OTHER_ROWS = ("other", "other_no_correction", "other_unpaid_fee", "other_other")  # (六): one row or three
APPEAL_CELLS = 15

OUTCOME_METRICS = ("requests_granted", "requests_partially_granted", "requests_withheld", "requests_unavailable",
                   "requests_not_processed", "requests_other_handling")
APPLICANT_METRICS = ("requests_natural_person", "requests_legal_person")
_CITED = "国办公开办函"  # every _CITED_FORM match starts with it
_CITED_FORM = re.compile(_CITED + r"\s*[〔\[(【]\s*(20\d\d)\s*[〕\])】]")
_GOVERNMENT = re.compile(r"人民政府$|(?<!办)政府$")
_TOWNSHIP = re.compile(r"[乡镇](?:人民)?政府$|街道办事处$|街道$")


# ---------------------------------------------------------------------------------------------------------
# small helpers


def num(v) -> float | None:
    """A cell or figure value as a number; None for blank, missing, NaN or text."""
    if type(v) is float:  # the common case, first (a corpus has millions of cells)
        return None if v != v else v
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    try:
        return float(str(v).strip())
    except ValueError:
        return None


def fmt(v: float | int | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def template_of(report: dict) -> str:
    """The table template as "2019"/"2021" (or ""), whether stored as text, int or float."""
    v = num(report.get("template"))
    return str(int(v)) if v is not None else ""


def _row(rid: str, check: str, scope: str, holds: str, detail: str) -> dict:
    return {"report_id": rid, "check": check, "scope": scope, "holds": holds, "detail": detail}


def _overall(cases: list[str]) -> str:
    if "false" in cases:
        return "false"
    if "unknown" in cases or not cases:
        return "unknown"
    return "true"


def _cell(rows: list[dict], row: str, applicant: str = "total") -> tuple[float | None, str]:
    """Value and status of one section 三 cell ("missing" when the parser gave no such row)."""
    for r in rows:
        if r.get("row") == row and r.get("applicant") == applicant:
            status = r.get("status") or "printed"
            return (num(r.get("value")) if status == "printed" else None), status
    return None, "missing"


def _figure(figures: list[dict], metric: str) -> dict | None:
    return next((f for f in figures if f["metric"] == metric), None)


def _first_figures(figures: list[dict]) -> dict[str, dict]:
    """The first figure of each metric (what ``_figure`` finds), in one pass for a check that looks up many."""
    first: dict[str, dict] = {}
    for f in figures:
        first.setdefault(f["metric"], f)
    return first


def _q(f: dict) -> str:
    return f'"{f["quote"]}"'


# ---------------------------------------------------------------------------------------------------------
# per-report checks


def prose_vs_table_requests(rid: str, figures: list[dict], requests: list[dict]) -> list[dict]:
    """Requests received as stated in the prose vs the table's new_received total."""
    check = "prose_vs_table_requests"
    table, status = _cell(requests, "new_received")
    stated = _figure(figures, "requests_received")
    if stated is None:
        incl = _figure(figures, "requests_total_incl_carryover")
        carried, _ = _cell(requests, "carried_over")
        if incl is not None and table is not None and carried is not None:
            v = num(incl["value"])
            holds = "true" if v == table + carried else "false"
            rel = "=" if holds == "true" else "but"
            return [_row(rid, check, "all", holds,
                         f"prose requests_total_incl_carryover={fmt(v)} ({_q(incl)}) {rel} table new_received "
                         f"total {fmt(table)} + carried_over total {fmt(carried)} = {fmt(table + carried)}")]
        shown = f"table new_received total={fmt(table)}" if table is not None else \
            f"table new_received total not printed: {status}"
        return [_row(rid, check, "all", "unknown", f"prose states no request count ({shown})")]
    v = num(stated["value"])
    if table is None:
        return [_row(rid, check, "all", "unknown", f"prose requests_received={fmt(v)} ({_q(stated)}) but table "
                                                   f"new_received total is not printed ({status})")]
    if v == table:
        return [_row(rid, check, "all", "true",
                     f"prose requests_received={fmt(v)} ({_q(stated)}) = table new_received total {fmt(table)}")]
    if stated.get("qualifier", "exact") != "exact":
        return [_row(rid, check, "all", "unknown", f"prose requests_received≈{fmt(v)} ({_q(stated)}, "
                                                   f"{stated['qualifier']}) vs table new_received total={fmt(table)}")]
    return [_row(rid, check, "all", "false",
                 f"prose requests_received={fmt(v)} ({_q(stated)}) but table new_received total={fmt(table)}")]


def _sum_case(total_v: float, total_exact: bool, parts: list[dict]) -> str:
    values = [num(p["value"]) or 0 for p in parts]
    s = sum(values)
    exact = total_exact and all(p.get("qualifier", "exact") == "exact" for p in parts)
    if s == total_v:
        return "true"
    if any(not p["metric"] for p in parts):
        return "unknown"  # a number no rule names may not be a part at all
    if exact or (s > total_v and total_exact):
        return "false"
    return "unknown"


def _parts_text(parts: list[dict]) -> str:
    values = " + ".join(fmt(num(p["value"])) for p in parts)
    total = sum(num(p["value"]) or 0 for p in parts)
    quotes = "; ".join(p["quote"] + ("" if p["metric"] else " [unnamed]") for p in parts)
    return f"{values} = {fmt(total)} ({quotes})"


def prose_breakdown_sum(rid: str, doc: Doc, figures: list[dict]) -> list[dict]:
    """Stated totals vs the parts the prose lists for them (其中 lists; request outcomes and applicants)."""
    check = "prose_breakdown_sum"
    cases: list[tuple[str, str, str]] = []  # scope, holds, detail
    for b in breakdowns(doc, figures):
        t = b.total
        tv = num(t["value"])
        holds = _sum_case(tv, t["qualifier"] == "exact", b.parts)
        verb = {"true": "equal", "false": "do not add up to", "unknown": "cannot be compared exactly with"}[holds]
        cases.append((t["metric"], holds, f"{t['metric']} stated {fmt(tv)} ({_q(t)}); its parts "
                                          f"{_parts_text(b.parts)} {verb} it"))
    first = _first_figures(figures)
    received = first.get("requests_received")
    handled = first.get("requests_handled")
    carried = first.get("requests_carried_over")
    outcomes = [f for m in OUTCOME_METRICS if (f := first.get(m))]
    if outcomes and (handled or received):
        s = sum(num(f["value"]) or 0 for f in outcomes)
        if handled:
            base, label = num(handled["value"]), f"requests handled {fmt(num(handled['value']))} ({_q(handled)})"
            holds = "true" if s == base else "false"
        else:
            base = num(received["value"]) + (num(carried["value"]) if carried else 0)
            label = f"requests received {fmt(num(received['value']))} ({_q(received)})" + (
                f" + carried over {fmt(num(carried['value']))}" if carried else "")
            holds = "true" if s == base else "false" if s > base else "unknown"
        rel = {"true": "equal", "false": "exceed" if s > base else "fall short of",
               "unknown": "fall short of (the rest may be pending)"}[holds]
        cases.append(("requests_outcomes", holds, f"prose outcomes {_parts_text(outcomes)} {rel} the {label}"))
    applicants = [f for m in APPLICANT_METRICS if (f := first.get(m))]
    if applicants and received:
        s = sum(num(f["value"]) or 0 for f in applicants)
        base = num(received["value"])
        holds = "true" if s == base else "false" if (s > base or len(applicants) == 2) else "unknown"
        rel = {"true": "equal", "false": "do not add up to", "unknown": "fall short of"}[holds]
        cases.append(("requests_applicants", holds,
                      f"prose applicants {_parts_text(applicants)} {rel} the requests received {fmt(base)} "
                      f"({_q(received)})"))
    if not cases:
        return [_row(rid, check, "all", "unknown", "prose states no total together with its parts")]
    rows = [_row(rid, check, "all", _overall([c[1] for c in cases]), "; ".join(d for _, _, d in cases))]
    return rows + [_row(rid, check, scope, holds, detail) for scope, holds, detail in cases if holds != "true"]


def prose_vs_table_decisions(rid: str, figures: list[dict], disclosure: list[dict]) -> list[dict]:
    """Licensing and penalty counts in the prose vs table 二's 处理决定数量."""
    check = "prose_vs_table_decisions"
    cases = []
    first = _first_figures(figures)
    for item, explicit, bare in (("licensing", "licensing_decisions", "admin_approval_items"),
                                 ("penalty", "penalty_decisions", "admin_penalty_items")):
        f = first.get(explicit) or first.get(bare)
        if f is None:
            continue
        v = num(f["value"])
        cell = next((r for r in disclosure if r.get("item") == item and r.get("measure") == "decisions"), None)
        t = num(cell.get("value")) if cell else None
        if t is None:
            cases.append((item, "unknown", f"prose {f['metric']}={fmt(v)} ({_q(f)}) but table 二 prints no "
                                           f"{item} decisions"))
        elif v == t:
            cases.append((item, "true", f"prose {f['metric']}={fmt(v)} ({_q(f)}) = table {item} decisions {fmt(t)}"))
        elif f["metric"] == explicit and f["qualifier"] == "exact":
            cases.append((item, "false", f"prose {f['metric']}={fmt(v)} ({_q(f)}) but table {item} "
                                         f"decisions={fmt(t)}"))
        else:
            cases.append((item, "unknown", f"prose {f['metric']}={fmt(v)} ({_q(f)}) vs table {item} decisions="
                                           f"{fmt(t)}: the prose may count published items, not decisions"))
    if not cases:
        return [_row(rid, check, "all", "unknown", "prose states no licensing or penalty counts")]
    rows = [_row(rid, check, "all", _overall([c[1] for c in cases]), "; ".join(c[2] for c in cases))]
    return rows + [_row(rid, check, s, h, d) for s, h, d in cases if h != "true"]


def _parse_date(text) -> date | None:
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(text or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def timeliness(rid: str, report: dict) -> list[dict]:
    """Publication date vs 条例第四十九条: departments by 31 January, county-level governments and up by 31 March."""
    check = "timeliness"
    published = _parse_date(report.get("published"))
    year = report.get("year")
    agency = str(report.get("agency") or "")
    level = str(report.get("level") or "")
    if published is None:
        return [_row(rid, check, "all", "unknown", "no publication date printed")]
    if not year or (isinstance(year, float) and math.isnan(year)):
        return [_row(rid, check, "all", "unknown", f"published {published}, but the year covered is not known")]
    year = int(year)
    if level in ("township", "street", "subdistrict") or _TOWNSHIP.search(agency):
        return [_row(rid, check, "all", "unknown", f"published {published}; 条例第四十九条 sets no deadline for "
                                                   f"township governments or sub-district offices")]
    if not agency:
        return [_row(rid, check, "all", "unknown", f"published {published}, but the agency is not known")]
    if _GOVERNMENT.search(agency):
        deadline, who = date(year + 1, 3, 31), "a people's government (31 March)"
    else:
        deadline, who = date(year + 1, 1, 31), "a government department (31 January)"
    if published < date(year + 1, 1, 1):
        return [_row(rid, check, "all", "unknown", f"published {published}, before the year covered ({year}) "
                                                   f"ended: the date or the year is wrong")]
    late = (published - deadline).days
    if late > 0:
        return [_row(rid, check, "all", "false", f"published {published}, {late} days after the {deadline} "
                                                 f"deadline for {who}")]
    return [_row(rid, check, "all", "true", f"published {published}, by the {deadline} deadline for {who}")]


def completeness(rid: str, sections: dict[str, Section], report: dict, disclosure: list[dict],
                 requests: list[dict], appeals: list[dict]) -> list[dict]:
    """The six parts have headings, and each table has every cell of its template."""
    check = "completeness"
    cases = []
    missing = [k for k in SECTION_KEYS if k not in sections]
    if missing:
        names = ", ".join(f"{SECTION_NUMERALS[k]} {SECTION_TITLES[k]}" for k in missing)
        cases.append(("sections", "false", f"no heading found for {names}"))
    template = template_of(report)
    if not disclosure:
        cases.append(("disclosure", "false", "table 二 not found"))
    elif template in DISCLOSURE_SHAPE:
        have = {(r.get("item"), r.get("measure")) for r in disclosure}
        lost = [f"{i}/{m}" for i, m in DISCLOSURE_SHAPE[template] if (i, m) not in have]
        if lost:
            cases.append(("disclosure", "false", f"table 二 ({template} form) lacks {len(lost)} cell(s): "
                                                 + ", ".join(lost)))
    else:
        cases.append(("disclosure", "unknown", "table 二 printed, but its template is not recognised"))
    printed_rows = {r.get("row") for r in requests if r.get("status") != "missing"}  # no status: printed
    if not printed_rows:
        cases.append(("requests", "false", "table 三 not found"))
    else:
        lost = [r for r in REQUEST_ROWS if r not in printed_rows]
        if not printed_rows & set(OTHER_ROWS):
            lost.append("other")
        if lost:
            cases.append(("requests", "false", f"table 三 lacks {len(lost)} row(s): " + ", ".join(lost)))
    present = [r for r in appeals if (r.get("status") or "printed") != "missing"]
    if not present:
        cases.append(("appeals", "false", "table 四 not found"))
    elif len(present) < APPEAL_CELLS:
        cases.append(("appeals", "false", f"table 四 has {len(present)} of {APPEAL_CELLS} cells"))
    if not cases:
        return [_row(rid, check, "all", "true", "all six part headings and every cell of tables 二, 三 and 四 found")]
    overall = _overall([c[1] for c in cases])
    rows = [_row(rid, check, "all", overall, "; ".join(c[2] for c in cases))]
    return rows + [_row(rid, check, s, h, d) for s, h, d in cases]


def template_mismatch(rid: str, doc: Doc, report: dict) -> list[dict]:
    """The form the tables use vs the one the year calls for, and vs the form the text cites.

    Reports for 2019 and 2020 use the 2019 form; reports for 2021 onwards the 2021 form (国办公开办函〔2021〕30号).
    A cited 国办公开办函〔2019/2021〕 that differs from the tables is a mismatch too.
    """
    check = "template_mismatch"
    used = template_of(report)
    y = num(report.get("year"))
    by_year = None if y is None or y < 2019 else ("2021" if y >= 2021 else "2019")
    cited = None
    lines = doc.norm if _CITED in "\n".join(doc.norm) else ()  # most reports cite no form: one scan, not one per line
    for line in lines:
        m = _CITED_FORM.search(line)
        if m and m.group(1) in TEMPLATE_LABELS:
            cited = m.group(1)
    if used not in TEMPLATE_LABELS:
        return [_row(rid, check, "all", "unknown", "the template of table 二 was not recognised")]
    uses = f"its tables use the {used} form ({TEMPLATE_LABELS[used]})"
    if by_year is None and cited is None:
        return [_row(rid, check, "all", "unknown", f"{uses}; the year covered implies no form and none is cited")]
    if by_year is not None and used != by_year:
        note = f"; it cites the {cited} form" if cited else ""
        return [_row(rid, check, "all", "false", f"a {int(y)} report should use the {by_year} form "
                                                 f"({TEMPLATE_LABELS[by_year]}) but {uses}{note}")]
    if cited is not None and cited != used:
        return [_row(rid, check, "all", "false", f"the report cites the {cited} form (国办公开办函〔{cited}〕) "
                                                 f"but {uses}")]
    why = f"a {int(y)} report" if by_year else f"the report cites the {cited} form"
    return [_row(rid, check, "all", "true", f"{why}; {uses}")]


def audit_checks(doc: Doc, sections: dict[str, Section], report: dict, figures: list[dict],
                 disclosure: list[dict], requests: list[dict], appeals: list[dict]) -> list[dict]:
    """All per-report audit checks, in a stable order."""
    rid = report.get("report_id") or doc.report_id
    return (prose_vs_table_requests(rid, figures, requests)
            + prose_breakdown_sum(rid, doc, figures)
            + prose_vs_table_decisions(rid, figures, disclosure)
            + timeliness(rid, report)
            + completeness(rid, sections, report, disclosure, requests, appeals)
            + template_mismatch(rid, doc, report))


# ---------------------------------------------------------------------------------------------------------
# corpus checks


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


def _agency_key(r: dict) -> tuple:
    return _text(r.get("province")), _text(r.get("prefecture")), _text(r.get("county")), _text(r.get("agency"))


# The only columns corpus_checks reads: a caller at scale loads just these (and only the rows it keeps).
CORPUS_COLUMNS = {
    "reports": ["report_id", "agency", "province", "prefecture", "county", "year", "template", "status"],
    "requests": ["report_id", "row", "applicant", "value", "status"],
    "disclosure": ["report_id", "item", "measure", "value"],
}

# …and the only rows (pyarrow filter terms; corpus_checks filters again, so these only save reading).
CORPUS_FILTERS = {
    "requests": [("applicant", "=", "total"), ("row", "in", ["carried_over", "carried_forward"])],
    "disclosure": [("item", "in", ["rules", "normative_documents"]), ("measure", "in", ["issued", "repealed", "in_force"])],
}


def _present(df, cols: list[str]) -> list[str]:
    return [c for c in cols if c in df.columns]


def _records(df, cols: list[str]) -> list[dict]:
    """``df[cols].to_dict("records")`` for the columns present, built a whole column at a time: the same
    values, without pandas boxing each Arrow-backed string one by one."""
    cols = _present(df, cols)
    return [dict(zip(cols, values)) for values in zip(*(_column(df, c) for c in cols))]


def _column(df, c: str) -> list:
    """Column ``c`` as ``to_dict("records")`` gives its values: ``tolist`` where that is the same (numpy
    numbers, the str dtype whose missing value is NaN), pandas' own boxing otherwise (NA, object columns)."""
    import numpy as np
    import pandas as pd

    s = df[c]
    dt = s.dtype
    if (isinstance(dt, np.dtype) and dt.kind in "iufb") or (isinstance(dt, pd.StringDtype)
                                                             and dt.na_value is not pd.NA):
        return s.tolist()
    return [r[c] for r in df[[c]].to_dict("records")]


def corpus_checks(tables: dict) -> list[dict]:
    """Checks that need several reports; ``tables`` maps table name → DataFrame (reports, requests, disclosure).

    carryover_continuity: for the same agency in consecutive years, this year's 上年结转 total equals last
    year's 结转下年度 total, and (2021 form) 现行有效件数 = last year's + 本年制发 − 本年废止.
    """
    check = "carryover_continuity"
    reports = tables.get("reports")
    if reports is None or len(reports) == 0:
        return []
    # only the cells this check reads: a national corpus has millions of table rows
    reqs = tables.get("requests")
    disc = tables.get("disclosure")
    req_rows = []
    if reqs is not None and len(reqs):
        keep = (reqs["applicant"] == "total") & reqs["row"].isin(["carried_over", "carried_forward"])
        req_rows = _records(reqs.loc[keep], CORPUS_COLUMNS["requests"])
    req_by: dict[str, list[dict]] = {}
    for r in req_rows:
        req_by.setdefault(r["report_id"], []).append(r)
    disc_by: dict[str, dict[tuple, float | None]] = {}
    if disc is not None and len(disc):
        keep = disc["item"].isin(["rules", "normative_documents"]) & disc["measure"].isin(
            ["issued", "repealed", "in_force"])
        d = disc.loc[keep]
        # straight from the columns: six cells a report, no record dict for each
        values = d["value"].tolist() if "value" in d.columns else [None] * len(d)
        for rid, item, measure, v in zip(d["report_id"].tolist() if len(d) else [], d["item"].tolist(),
                                         d["measure"].tolist(), values):
            disc_by.setdefault(rid, {})[(item, measure)] = num(v)
    recs = sorted(_records(reports, CORPUS_COLUMNS["reports"]), key=lambda r: str(r["report_id"]))
    if "status" in reports.columns:
        recs = [r for r in recs if r.get("status") not in ("not_report", "failed")]
    index: dict[tuple, dict[int, dict]] = {}
    keyed = []  # (record, year, agency, agency key or None when the year or the agency is not known)
    for r in recs:
        y, agency = num(r.get("year")), _text(r.get("agency"))
        key = _agency_key(r) if y is not None and agency else None
        if key is not None:
            index.setdefault(key, {}).setdefault(int(y), r)
        keyed.append((r, y, agency, key))
    rows = []
    for r, y, agency, key in keyed:
        rid = r["report_id"]
        if key is None:
            rows.append(_row(rid, check, "all", "unknown", "agency or year covered not known"))
            continue
        y = int(y)
        prev = index[key].get(y - 1)
        if prev is None:
            rows.append(_row(rid, check, "all", "unknown", f"no {y - 1} report of {agency} in the corpus"))
            continue
        pid = prev["report_id"]
        cases = []
        now_c, st_now = _cell(req_by.get(rid, []), "carried_over")
        last_f, st_last = _cell(req_by.get(pid, []), "carried_forward")
        if now_c is None or last_f is None:
            cases.append(("requests carried_over", "unknown",
                          f"carried_over total {fmt(now_c)} ({st_now}) vs {y - 1} report {pid} carried_forward "
                          f"total {fmt(last_f)} ({st_last}): not both printed"))
        else:
            holds = "true" if now_c == last_f else "false"
            rel = "=" if holds == "true" else "≠"
            cases.append(("requests carried_over", holds, f"carried_over total {fmt(now_c)} {rel} {y - 1} report "
                                                          f"{pid} carried_forward total {fmt(last_f)}"))
        if template_of(r) == "2021" and template_of(prev) == "2021":
            for item in ("rules", "normative_documents"):
                cur = disc_by.get(rid, {})
                last_in = disc_by.get(pid, {}).get((item, "in_force"))
                issued, repealed, in_force = (cur.get((item, m)) for m in ("issued", "repealed", "in_force"))
                if None in (last_in, issued, repealed, in_force):
                    cases.append((f"{item} in_force", "unknown", f"{item}: in_force, issued, repealed or last "
                                                                 f"year's in_force not printed"))
                    continue
                want = last_in + issued - repealed
                holds = "true" if want == in_force else "false"
                rel = "=" if holds == "true" else "≠"
                cases.append((f"{item} in_force", holds,
                              f"{item} in_force {fmt(in_force)} {rel} {y - 1} in_force {fmt(last_in)} + issued "
                              f"{fmt(issued)} − repealed {fmt(repealed)} = {fmt(want)}"))
        rows.append(_row(rid, check, "all", _overall([c[1] for c in cases]), "; ".join(c[2] for c in cases)))
        rows += [_row(rid, check, s, h, d) for s, h, d in cases if h != "true"]
    return rows
