"""Test helper: build report text whose three tables are rendered in any of the layouts reports use.

The tables' *content* comes from :func:`random_tables` (consistent numbers, every cell distinct enough that a
one-column shift changes the result) or from a seed's parsed tables; :func:`render_report` wraps them in a
minimal report (headings, a little prose) with each table in its own layout, so a test can parse the text
back and compare. Besides :data:`LAYOUTS`, :func:`render` draws HTML tables as text (``html``: a ``<tr>``
per line; ``html-pretty``: a tag per line), with colspans, ``<br />`` in headers and ``&nbsp;`` empty cells.
:func:`parse_report`, :func:`cells` and :func:`provenance_errors` run whole reports through ``parse_bytes``
for the family tests. Nothing here is a fixture copied from a real report: it is all generated.
"""
from __future__ import annotations

import random
from pathlib import Path

from helpers.codebook import codes
from helpers.model import Doc, Section
from helpers.normalize import normalize_lines, split_lines
from helpers.sections import split_sections
from helpers.textio import decode

LAYOUTS = ("tab", "pipe-row", "markdown", "cell-per-line", "cell-per-line-blank", "cell-per-line-pipe",
           "cell-pipe-alternating", "label-line-values-line", "pdf-space", "pdf-runs")
MARKED = ("cell-per-line", "cell-per-line-blank", "cell-per-line-pipe", "cell-pipe-alternating")

APPLICANTS = tuple(codes("requests", "applicant"))
ROW_LABELS = {
    "new_received": ["一、本年新收政府信息公开申请数量"],
    "carried_over": ["二、上年结转政府信息公开申请数量"],
    "granted": ["三、本年度办理结果", "(一)予以公开"],
    "partially_granted": ["(二)部分公开(区分处理的,只计这一情形,不计其他情形)"],
    "withheld_state_secret": ["(三)不予公开", "1.属于国家秘密"],
    "withheld_prohibited_by_law": ["2.其他法律行政法规禁止公开"],
    "withheld_security_stability": ["3.危及“三安全一稳定”"],
    "withheld_third_party": ["4.保护第三方合法权益"],
    "withheld_internal_affairs": ["5.属于三类内部事务信息"],
    "withheld_process_info": ["6.属于四类过程性信息"],
    "withheld_enforcement_file": ["7.属于行政执法案卷"],
    "withheld_query_matter": ["8.属于行政查询事项"],
    "unavailable_not_held": ["(四)无法提供", "1.本机关不掌握相关政府信息"],
    "unavailable_needs_creation": ["2.没有现成信息需要另行制作"],
    "unavailable_unclear": ["3.补正后申请内容仍不明确"],
    "not_processed_complaint": ["(五)不予处理", "1.信访举报投诉类申请"],
    "not_processed_repeat": ["2.重复申请"],
    "not_processed_publication": ["3.要求提供公开出版物"],
    "not_processed_excessive": ["4.无正当理由大量反复申请"],
    "not_processed_reconfirm": ["5.要求行政机关确认或重新出具已获取信息"],
    "other_no_correction": ["(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    "other_unpaid_fee": ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    "other_other": ["3.其他"],
    "other": ["(六)其他处理"],
    "handled_total": ["(七)总计"],
    "carried_forward": ["四、结转下年度继续办理"],
}
ITEM_LABELS = {"rules": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
               "other_admin_services": "其他对外管理服务事项", "penalty": "行政处罚", "enforcement": "行政强制",
               "fees": "行政事业性收费", "procurement": "政府集中采购"}
MEASURE_LABELS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                  "newly_made": "本年新制作数量", "newly_published": "本年新公开数量",
                  "total_published": "对外公开总数量", "prev_year_items": "上一年项目数量", "change": "本年增/减",
                  "decisions": "处理决定数量", "projects": "采购项目数量", "amount_10k_yuan": "采购总金额"}
GROUPS = {
    "2021": [("第二十条第(一)项", ["rules", "normative_documents"], ["issued", "repealed", "in_force"]),
             ("第二十条第(五)项", ["licensing"], ["decisions"]),
             ("第二十条第(六)项", ["penalty", "enforcement"], ["decisions"]),
             ("第二十条第(八)项", ["fees"], ["amount_10k_yuan"])],
    "2019": [("第二十条第(一)项", ["rules", "normative_documents"], ["newly_made", "newly_published", "total_published"]),
             ("第二十条第(五)项", ["licensing", "other_admin_services"], ["prev_year_items", "change", "decisions"]),
             ("第二十条第(六)项", ["penalty", "enforcement"], ["prev_year_items", "change", "decisions"]),
             ("第二十条第(八)项", ["fees"], ["prev_year_items", "change"]),
             ("第二十条第(九)项", ["procurement"], ["projects", "amount_10k_yuan"])],
}
APPEAL_HEADER = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


# ---------------------------------------------------------------------------------------------------------
def doc_from_text(text: str, report_id: str = "synthetic.txt") -> Doc:
    raw = split_lines(text)
    return Doc(report_id=report_id, raw=raw, norm=normalize_lines(raw))


def doc_from_file(path: Path) -> Doc:
    text, enc = decode(Path(path).read_bytes())
    raw = split_lines(text)
    return Doc(report_id=Path(path).name, raw=raw, norm=normalize_lines(raw), encoding=enc)


def sections_of(doc: Doc) -> dict[str, Section]:
    return split_sections(doc.norm, doc.raw)


# ---------------------------------------------------------------------------------------------------------
def random_tables(seed: int, template: str = "2021", split_other: bool = True) -> dict:
    """Consistent tables: every identity of the form holds, values vary so a shift is visible."""
    rng = random.Random(seed)
    disclosure = {}
    for _, items, measures in GROUPS[template]:
        for item in items:
            for m in measures:
                if m == "amount_10k_yuan":
                    v = round(rng.uniform(0, 500), 6)
                elif m == "change":
                    v = rng.randint(-40, 40)
                else:
                    v = rng.randint(0, 400)
                disclosure[(item, m)] = v
    rows = [r for r in codes("requests", "row")
            if (r != "other" if split_other else r not in ("other_no_correction", "other_unpaid_fee", "other_other"))]
    outcomes = rows[rows.index("granted"):rows.index("handled_total")]
    req: dict[tuple[str, str], int] = {}
    for r in outcomes:
        for a in APPLICANTS[:-1]:
            req[(r, a)] = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13, 21])
    for a in APPLICANTS[:-1]:
        ht = sum(req[(r, a)] for r in outcomes)
        req[("handled_total", a)] = ht
        cf = rng.randint(0, 6)
        co = rng.randint(0, ht + cf)
        req[("carried_forward", a)] = cf
        req[("carried_over", a)] = co
        req[("new_received", a)] = ht + cf - co
    for r in rows:
        req[(r, "total")] = sum(req[(r, a)] for a in APPLICANTS[:-1])
    appeals = {}
    for p in codes("appeals", "proceeding"):
        parts = [rng.randint(0, 9) for _ in range(4)]
        for res, v in zip(codes("appeals", "result"), parts + [sum(parts)]):
            appeals[(p, res)] = v
    return {"template": template, "disclosure": disclosure, "rows": rows, "requests": req, "appeals": appeals}


def _fmt(v) -> str:
    return "" if v is None else str(v)


# ---------------------------------------------------------------------------------------------------------
# A table as logical rows: each row is (label cells, value cells); a value cell "" is an empty cell.
def disclosure_rows(t: dict, blanks: frozenset = frozenset()) -> list[tuple[list[str], list[str]]]:
    out: list[tuple[list[str], list[str]]] = []
    for anchor, items, measures in GROUPS[t["template"]]:
        out.append(([anchor], []))
        heads = [MEASURE_LABELS[m] for m in measures]
        if t["template"] == "2021" and measures == ["amount_10k_yuan"]:
            heads = ["本年收费金额(单位:万元)"]
        elif t["template"] == "2021" and measures == ["decisions"]:
            heads = ["本年处理决定数量"]
        out.append((["信息内容", *heads], []))
        for item in items:
            out.append(([ITEM_LABELS[item]], ["" if (item, m) in blanks else _fmt(t["disclosure"][(item, m)])
                                              for m in measures]))
    return out


def request_rows(t: dict, blanks: frozenset = frozenset(), drop: dict | None = None) -> list[tuple[list[str], list[str]]]:
    """``blanks``: (row, applicant) cells printed empty; ``drop``: {row: n} rows printing only their last n values."""
    out: list[tuple[list[str], list[str]]] = [
        (["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"], []),
        (["自然人", "法人或其他组织", "总计"], []),
        (["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], []),
    ]
    for r in t["rows"]:
        labels = list(ROW_LABELS[r])
        vals = ["" if (r, a) in blanks else _fmt(t["requests"][(r, a)]) for a in APPLICANTS]
        if drop and r in drop:
            vals = vals[-drop[r]:]
        out.append((labels, vals))
    return out


def appeals_rows(t: dict) -> list[tuple[list[str], list[str]]]:
    vals = [_fmt(t["appeals"][(p, r)]) for p in codes("appeals", "proceeding") for r in codes("appeals", "result")]
    return [(["行政复议", "行政诉讼"], []), (APPEAL_HEADER + ["未经复议直接起诉", "复议后起诉"], []),
            (APPEAL_HEADER * 2, []), ([], vals)]


# ---------------------------------------------------------------------------------------------------------
def render(rows: list[tuple[list[str], list[str]]], layout: str, vertical_header: bool = False) -> list[str]:
    """Logical rows → text lines in one layout."""
    lines: list[str] = []
    for i, (labels, vals) in enumerate(rows):
        cells = labels + vals
        if layout == "tab":
            lines.append("\t".join(cells + ([""] if not vals else [])))
        elif layout == "pipe-row":
            pad = " |||" if not vals else ""
            lines.append(" | ".join(c if c else " " for c in cells) + " |" + pad)
        elif layout == "markdown":
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * max(1, len(cells)))
        elif layout == "cell-per-line":
            lines.extend(cells)  # an empty cell is a blank line
        elif layout == "cell-per-line-blank":
            for c in cells:
                lines.append(c)
                if c:
                    lines.append("")
        elif layout == "cell-per-line-pipe":
            for c in cells:
                lines.append(f"{c} |" if c else "|")
        elif layout == "cell-pipe-alternating":
            for c in cells:
                lines.append(c)
                lines.append("|")
        elif layout == "label-line-values-line":
            if labels:
                lines.append(" ".join(labels) + " |")
            if vals:
                lines.append(" | ".join(vals) + " |")
        elif layout in ("html", "html-pretty"):
            tds = []
            for k, c in enumerate(cells):
                attrs = f' colspan="{7 if k else 3}"' if not vals and len(cells) <= 2 else ""
                text = c.replace("数量", "<br />数量").replace("企业", "<br />企业") if not vals else c
                tds.append(f"<td{attrs}>{text if text else '&nbsp;'}</td>")
            if layout == "html":
                lines.append("<tr>" + "".join(tds) + "</tr>")
            else:
                lines.extend(["<tr>", *("  " + td for td in tds), "</tr>"])
        elif layout in ("pdf-space", "pdf-runs"):
            sep = " " if layout == "pdf-space" else "    "
            if vertical_header and not vals and labels and all(len(x) <= 8 for x in labels):
                width = max(len(x) for x in labels)
                for k in range(width):
                    lines.append(" ".join(x[k] if k < len(x) else " " for x in labels))
                continue
            lines.append(sep.join([" ".join(labels)] + vals) if labels else sep.join(vals))
        else:
            raise ValueError(layout)
    return lines


def _wrap(lines: list[str], layout: str) -> list[str]:
    """HTML tables sit inside `<table>` tags."""
    if layout.startswith("html"):
        return ['<table border="1" cellspacing="0">', "<tbody>", *lines, "</tbody>", "</table>"]
    return lines


def render_report(t: dict, layouts: dict[str, str] | str, *, blanks: frozenset = frozenset(),
                  drop: dict | None = None, headings: bool = True, page_break: int | None = None,
                  split_label: bool = False) -> str:
    """A whole report: prose, then tables 二/三/四 each in its layout, then sections 五/六."""
    if isinstance(layouts, str):
        layouts = {"disclosure": layouts, "requests": layouts, "appeals": layouts}
    req_rows = request_rows(t, blanks, drop)
    if split_label:  # a page break cuts a label in two: `其他法律行政法规禁` / `止公开`
        k = next(i for i, (lab, _) in enumerate(req_rows) if lab and lab[-1].startswith("2.其他法律"))
        lab, vals = req_rows[k]
        req_rows[k:k + 1] = [(lab[:-1] + [lab[-1][:-3]], vals), ([lab[-1][-3:]], [])]
    req_lines = render(req_rows, layouts["requests"])
    if page_break is not None:
        req_lines[page_break:page_break] = ["", "- 5 -", ""] if layouts["requests"] != "cell-per-line-blank" \
            else ["- 5 -", ""]
    parts = [
        "某市交通运输局2022年政府信息公开工作年度报告", "",
        "一、总体情况" if headings else "", "",
        "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。", "",
        "二、主动公开政府信息情况" if headings else "", "",
        *_wrap(render(disclosure_rows(t), layouts["disclosure"]), layouts["disclosure"]), "",
        "三、收到和处理政府信息公开申请情况" if headings else "", "",
        *_wrap(req_lines, layouts["requests"]), "",
        "四、政府信息公开行政复议、行政诉讼情况" if headings else "", "",
        *_wrap(render(appeals_rows(t), layouts["appeals"], vertical_header=True), layouts["appeals"]), "",
        "五、存在的主要问题及改进情况" if headings else "", "",
        "一是公开内容不够全面；二是解读形式较为单一。下一步将加强培训。", "",
        "六、其他需要报告的事项" if headings else "", "", "无。", "",
    ]
    return "\n".join(parts)


def expected_disclosure(t: dict) -> list[tuple[str, str, object]]:
    return [(i, m, v) for (i, m), v in t["disclosure"].items()]


def expected_requests(t: dict) -> list[tuple[str, str, object, str]]:
    return [(r, a, t["requests"][(r, a)], "printed") for r in t["rows"] for a in APPLICANTS]


def expected_appeals(t: dict) -> list[tuple[str, str, object]]:
    return [(p, r, v) for (p, r), v in t["appeals"].items()]


# ---------------------------------------------------------------------------------------------------------
# Whole reports through the real entry point (bytes → FileResult), for the family tests.
def parse_report(data: bytes | str, report_id: str = "family.txt"):
    """Run :func:`helpers.parse.parse_bytes` on text (UTF-8) or bytes."""
    from helpers.parse import parse_bytes

    return parse_bytes(data.encode("utf-8") if isinstance(data, str) else data, report_id)


def cells(res, table: str) -> dict:
    """Rows of one output table keyed by their codes: disclosure (item, measure), requests (row, applicant),
    appeals (proceeding, result)."""
    keys = {"disclosure": ("item", "measure"), "requests": ("row", "applicant"),
            "appeals": ("proceeding", "result")}[table]
    return {(r[keys[0]], r[keys[1]]): r for r in res.tables.get(table, [])}


def values(res, table: str) -> dict:
    return {k: r["value"] for k, r in cells(res, table).items()}


def provenance_errors(res, data: bytes | str) -> list[str]:
    """Every value's ``raw`` must be printed on its ``line`` of the decoded file (the raw, not normalised, text)."""
    text = data if isinstance(data, str) else decode(data)[0]
    raw_lines = split_lines(text)
    errors = []
    for table in ("disclosure", "requests", "appeals"):
        for r in res.tables.get(table, []):
            if r.get("value") is None:
                continue
            line = r.get("line")
            if not line or not r["raw"] or r["raw"] not in raw_lines[line - 1]:
                errors.append(f"{table} {r}: raw not on line {line}")
    return errors


def warnings_of(res, stage: str | None = None) -> list[str]:
    return [w["message"] for w in res.tables.get("warnings", []) if stage is None or w["stage"] == stage]
