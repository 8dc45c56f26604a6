"""Every chart of the notebook series: the numbers it plots (computed from the processed tables) and how
it is drawn.

Each chart is a :class:`Chart` in :data:`CHARTS`: ``data(tables, **params)`` returns exactly the rows that
are drawn (the CSV saved next to the PNG), ``draw(data, tables)`` draws them with plain matplotlib (no
seaborn grouping, whose pandas-3 ``str`` handling is not trusted) and a title that states the finding.
Notebooks call :func:`show`; tests call :func:`build_chart` and compare the CSV with the tables.
Only printed numbers are summed: a blank or ambiguous cell is never read as 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd

from . import codebook, plotting

# Report statuses that hold an annual report (not_report / failed rows are listed, never analysed).
REPORT_STATUSES = ("ok", "partial")
SMALL_N = 10  # fewer requests than this: a rate is shown, but flagged as a small number

OUTCOME_GROUPS = {  # request outcome row prefix → group code
    "granted": "granted", "partially_granted": "partially_granted", "withheld_": "withheld",
    "unavailable_": "unavailable", "not_processed_": "not_processed", "other": "other",
}
OUTCOME_ZH = {"granted": "予以公开", "partially_granted": "部分公开", "withheld": "不予公开",
              "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}
HOLDS_ZH = {"true": "成立", "false": "不成立", "unknown": "无法判断"}
CELL_KINDS = {"printed_nonzero": "印有非零数", "printed_zero": "印为 0", "blank": "留空",
              "ambiguous": "无法对应列", "missing": "整表缺失"}
TEMPLATE_ZH = {"2019": "2019 版表格", "2021": "2021 版表格", "": "未识别"}
HOTLINE_METRICS = ("hotline_12345", "hotline_12328")
CHANNEL_METRICS = ("proactive_items", "website_posts", "wechat_posts", "policy_interpretations",
                   "wechat_followers")
METRIC_ZH = {"hotline_12345": "12345 热线", "hotline_12328": "12328 热线", "proactive_items": "主动公开信息",
             "website_posts": "网站发布", "wechat_posts": "微信公众号发布", "policy_interpretations": "政策解读",
             "wechat_followers": "微信关注人数", "requests_received": "正文所述申请数"}
QUALIFIER_MARK = {"approx": "余", "lower_bound": "以上"}
ENFORCEMENT_ITEMS = ("licensing", "penalty", "enforcement")
PROFILE_ROWS = ("new_received", "carried_over", "handled_total", "carried_forward")
PROFILE_ROWS_ZH = {"new_received": "本年新收", "carried_over": "上年结转", "handled_total": "办理总计",
                   "carried_forward": "结转下年"}


# ---------------------------------------------------------------------------------------------- tables
def frame(tables, name: str) -> pd.DataFrame:
    """One processed table as a DataFrame with the contract's columns (empty when the build wrote none)."""
    from . import store

    df = tables[name] if not isinstance(tables, dict) else tables.get(name)
    cols = store.columns(name)
    if df is None:
        return store.empty_frame(name)
    df = df.copy()
    for c in cols:
        if c not in df.columns:
            df[c] = store.empty_frame(name)[c]
    for c, kind in store.SCHEMA[name]:
        if kind == store.STR:
            df[c] = df[c].fillna("").astype(str)
        else:
            df[c] = pd.to_numeric(df[c], errors="coerce")
    return df[cols].reset_index(drop=True)


def corpus(tables) -> pd.DataFrame:
    """The reports that are annual reports (status ok or partial), in report_id order."""
    r = frame(tables, "reports")
    return r[r["status"].isin(REPORT_STATUSES)].sort_values("report_id").reset_index(drop=True)


def report_labels(reports: pd.DataFrame) -> dict[str, str]:
    """report_id → '衡水市交通运输局 2022' (agency and year; the id when either is unknown or repeated)."""
    labels = {}
    for r in reports.itertuples():
        agency = r.agency or r.report_id
        year = "" if pd.isna(r.year) else f" {int(r.year)}"
        labels[r.report_id] = f"{agency}{year}"
    counts = pd.Series(labels).value_counts()
    return {rid: (f"{lab}（{rid}）" if counts[lab] > 1 else lab) for rid, lab in labels.items()}


def source_line(tables, report_ids=None) -> str:
    """'来源：N 份政府信息公开工作年度报告（A 2022、B 2021…）' for the reports a chart draws on."""
    reports = corpus(tables)
    if report_ids is not None:
        reports = reports[reports["report_id"].isin(set(report_ids))]
    labels = list(report_labels(reports).values())
    shown = "、".join(labels[:4]) + ("等" if len(labels) > 4 else "")
    return f"来源：{len(labels)} 份政府信息公开工作年度报告（{shown}）；helpers 解析" if labels else \
        "来源：无可用报告"


def _with_report(df: pd.DataFrame, tables) -> pd.DataFrame:
    """Keep rows of corpus reports and add the display label ``report``."""
    reports = corpus(tables)
    labels = report_labels(reports)
    df = df[df["report_id"].isin(labels)].copy()
    df.insert(1, "report", df["report_id"].map(labels))
    return df


def outcome_group(row: str) -> str | None:
    for prefix, group in OUTCOME_GROUPS.items():
        if row == prefix or (prefix.endswith("_") and row.startswith(prefix)) or \
                (prefix == "other" and row.startswith("other_")):
            return group
    return None


def slugify(text: str) -> str:
    """A file-name-safe slug that keeps Chinese characters (agency names stay readable)."""
    s = re.sub(r"[^\w]+", "-", str(text).strip(), flags=re.UNICODE).strip("-_")
    return s or "unknown"


# ---------------------------------------------------------------------------------------------- data
def data_corpus_by_year(tables) -> pd.DataFrame:
    r = corpus(tables)
    if r.empty:
        return pd.DataFrame({"year": pd.Series([], dtype="str"), "template": pd.Series([], dtype="str"),
                             "reports": pd.Series([], dtype="int64")})
    r = r.assign(year=r["year"].map(lambda y: "未知" if pd.isna(y) else str(int(y))),
                 template=r["template"].where(r["template"].isin(["2019", "2021"]), ""))
    out = r.groupby(["year", "template"], sort=True).size().rename("reports").reset_index()
    return out.astype({"year": "str", "template": "str", "reports": "int64"})


def data_warnings_per_report(tables) -> pd.DataFrame:
    r = frame(tables, "reports")
    w = frame(tables, "warnings")
    counts = w.groupby("report_id").size()
    out = r[["report_id", "status"]].copy()
    out.insert(1, "report", out["report_id"].map(report_labels(r)))
    out["warnings"] = out["report_id"].map(counts).fillna(0).astype("int64")
    return out.sort_values(["warnings", "report_id"], ascending=[False, True]).reset_index(drop=True)


def data_check_results(tables) -> pd.DataFrame:
    c = frame(tables, "checks")
    c = c[(c["scope"] == "all") & c["report_id"].isin(set(corpus(tables)["report_id"]))]
    out = c.groupby(["check", "holds"], sort=True).size().rename("reports").reset_index()
    out.insert(1, "check_zh", out["check"].map(_check_label))
    return out.astype({"reports": "int64"})


def _check_label(code: str) -> str:
    """Chinese name of a check: the codebook's table checks, else the audit's (data/checks_extra.csv)."""
    try:
        return codebook.label("check", "check", code)
    except KeyError:
        return _extra_check_labels().get(code, code)


@lru_cache(maxsize=1)
def _extra_check_labels() -> dict[str, str]:
    import csv

    path = codebook.DATA_FILES / "checks_extra.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {r["check"]: r["zh"] for r in csv.DictReader(f)}


def data_request_cell_status(tables) -> pd.DataFrame:
    q = frame(tables, "requests")
    kind = q["status"].copy()
    printed = q["status"] == "printed"
    kind[printed & (q["value"] == 0)] = "printed_zero"
    kind[printed & (q["value"] != 0)] = "printed_nonzero"
    q = q.assign(kind=kind)
    out = q.groupby(["report_id", "kind"], sort=True).size().rename("cells").reset_index()
    out = _with_report(out, tables)
    order = {k: i for i, k in enumerate(CELL_KINDS)}
    out["kind_zh"] = out["kind"].map(CELL_KINDS).fillna(out["kind"])
    out = out.sort_values(["report_id", "kind"], key=lambda s: s.map(order) if s.name == "kind" else s)
    return out[["report_id", "report", "kind", "kind_zh", "cells"]].astype({"cells": "int64"}) \
        .reset_index(drop=True)


def data_enforcement_decisions(tables) -> pd.DataFrame:
    d = frame(tables, "disclosure")
    d = d[d["item"].isin(ENFORCEMENT_ITEMS) & (d["measure"] == "decisions") & d["value"].notna()]
    out = _with_report(d[["report_id", "item", "value"]], tables)
    r = corpus(tables).set_index("report_id")
    out.insert(2, "template", out["report_id"].map(r["template"]))
    out.insert(4, "item_zh", out["item"].map(lambda c: codebook.label("disclosure", "item", c)))
    order = {c: i for i, c in enumerate(ENFORCEMENT_ITEMS)}
    out = out.sort_values(["report_id", "item"], key=lambda s: s.map(order) if s.name == "item" else s)
    return out.rename(columns={"value": "decisions"}).reset_index(drop=True)


def data_fees_collected(tables) -> pd.DataFrame:
    d = frame(tables, "disclosure")
    d = d[(d["item"] == "fees") & (d["measure"] == "amount_10k_yuan") & d["value"].notna()]
    out = _with_report(d[["report_id", "value"]], tables).rename(columns={"value": "amount_10k_yuan"})
    return out.sort_values("report_id").reset_index(drop=True)


def data_request_outcomes(tables) -> pd.DataFrame:
    q = frame(tables, "requests")
    q = q[q["applicant"] == "total"].assign(outcome=lambda x: x["row"].map(outcome_group))
    q = q[q["outcome"].notna()]
    printed = q["status"] == "printed"
    g = q.assign(v=q["value"].where(printed), unreadable=(~printed).astype("int64"))
    out = g.groupby(["report_id", "outcome"], sort=False).agg(requests=("v", "sum"),
                                                                unreadable_rows=("unreadable", "sum"))
    out = out.reset_index()
    out = _with_report(out, tables)
    out["outcome_zh"] = out["outcome"].map(OUTCOME_ZH)
    order = {c: i for i, c in enumerate(OUTCOME_ZH)}
    out = out.sort_values(["report_id", "outcome"], key=lambda s: s.map(order) if s.name == "outcome" else s)
    handled = _row_total(tables, "handled_total")
    out["handled_total"] = out["report_id"].map(handled)
    return out[["report_id", "report", "outcome", "outcome_zh", "requests", "unreadable_rows",
                "handled_total"]].reset_index(drop=True)


def _row_total(tables, row: str) -> pd.Series:
    """report_id → the printed total-column value of one requests row (missing when not printed)."""
    q = frame(tables, "requests")
    q = q[(q["row"] == row) & (q["applicant"] == "total") & (q["status"] == "printed")]
    return q.groupby("report_id")["value"].first()


def data_requests_by_applicant(tables) -> pd.DataFrame:
    q = frame(tables, "requests")
    q = q[(q["row"] == "new_received") & (q["applicant"] != "total") & (q["status"] == "printed")]
    q = q[q["report_id"].isin(set(corpus(tables)["report_id"]))]
    out = q.groupby("applicant", sort=False).agg(requests=("value", "sum"), reports=("report_id", "nunique"))
    order = codebook.codes("requests", "applicant")
    out = out.reindex([a for a in order if a in out.index]).reset_index()
    out.insert(1, "applicant_zh", out["applicant"].map(lambda c: codebook.label("requests", "applicant", c)))
    return out.astype({"reports": "int64"})


def data_appeals_results(tables) -> pd.DataFrame:
    a = frame(tables, "appeals")
    a = a[(a["result"] != "total") & (a["status"] == "printed")]
    a = a[a["report_id"].isin(set(corpus(tables)["report_id"]))]
    out = a.groupby(["proceeding", "result"], sort=False).agg(cases=("value", "sum"),
                                                               reports=("report_id", "nunique")).reset_index()
    porder = {c: i for i, c in enumerate(codebook.codes("appeals", "proceeding"))}
    rorder = {c: i for i, c in enumerate(codebook.codes("appeals", "result"))}
    out = out.sort_values(["proceeding", "result"],
                          key=lambda s: s.map(porder if s.name == "proceeding" else rorder))
    out.insert(1, "proceeding_zh", out["proceeding"].map(lambda c: codebook.label("appeals", "proceeding", c)))
    out.insert(3, "result_zh", out["result"].map(lambda c: codebook.label("appeals", "result", c)))
    return out.astype({"reports": "int64"}).reset_index(drop=True)


def _metric_rows(tables, metrics) -> pd.DataFrame:
    f = frame(tables, "figures")
    f = f[f["metric"].isin(metrics) & f["value"].notna()]
    f = _with_report(f[["report_id", "metric", "value", "qualifier", "quote", "line"]], tables)
    f.insert(3, "metric_zh", f["metric"].map(METRIC_ZH))
    order = {m: i for i, m in enumerate(metrics)}
    f = f.sort_values(["metric", "report_id", "line"], key=lambda s: s.map(order) if s.name == "metric" else s)
    # one number per report and metric: the first stated (later ones are usually breakdowns or repeats)
    return f.drop_duplicates(["report_id", "metric"]).reset_index(drop=True)


def data_hotline_volumes(tables) -> pd.DataFrame:
    return _metric_rows(tables, HOTLINE_METRICS)


def data_channel_output(tables) -> pd.DataFrame:
    return _metric_rows(tables, CHANNEL_METRICS)


def data_top_problem_terms(tables, n: int = 20) -> pd.DataFrame:
    t = frame(tables, "tokens")
    t = t[(t["part"] == "problems") if (t["part"] == "problems").any() else t["part"].notna()]
    t = t[t["report_id"].isin(set(corpus(tables)["report_id"]))]
    out = t.groupby("token").agg(count=("count", "sum"), reports=("report_id", "nunique")).reset_index()
    out = out.sort_values(["count", "reports", "token"], ascending=[False, False, True]).head(n)
    return out.astype({"count": "int64", "reports": "int64"}).reset_index(drop=True)


def data_problem_themes(tables) -> pd.DataFrame:
    th = frame(tables, "themes")
    th = th[th["report_id"].isin(set(corpus(tables)["report_id"]))]
    out = th.groupby("theme").agg(reports=("report_id", "nunique"), mentions=("report_id", "size"))
    names = {t["code"]: t["zh"] for t in codebook.themes()}
    order = [t["code"] for t in codebook.themes()]
    out = out.reindex([c for c in order if c in out.index] + sorted(set(out.index) - set(order)))
    out = out.reset_index().rename(columns={"index": "theme"})
    out.insert(1, "theme_zh", out["theme"].map(names).fillna(out["theme"]))
    out = out.sort_values(["reports", "mentions"], ascending=False, kind="stable")
    return out.astype({"reports": "int64", "mentions": "int64"}).reset_index(drop=True)


def agency_reports(tables, agency: str) -> pd.DataFrame:
    r = corpus(tables)
    return r[(r["agency"] == agency) | (r["alias"] == agency)].sort_values(["year", "report_id"])


def data_profile_requests(tables, agency: str) -> pd.DataFrame:
    r = agency_reports(tables, agency)
    rows = []
    for rep in r.itertuples():
        for row in PROFILE_ROWS:
            v = _row_total(tables, row).get(rep.report_id, np.nan)
            rows.append({"report_id": rep.report_id, "year": "" if pd.isna(rep.year) else str(int(rep.year)),
                         "row": row, "row_zh": PROFILE_ROWS_ZH[row], "requests": v})
    return pd.DataFrame(rows, columns=["report_id", "year", "row", "row_zh", "requests"]) \
        .astype({"requests": "float64"})


def data_profile_decisions(tables, agency: str) -> pd.DataFrame:
    ids = set(agency_reports(tables, agency)["report_id"])
    d = data_enforcement_decisions(tables)
    d = d[d["report_id"].isin(ids)]
    years = corpus(tables).set_index("report_id")["year"]
    d.insert(2, "year", d["report_id"].map(lambda i: "" if pd.isna(years[i]) else str(int(years[i]))))
    return d.drop(columns=["report"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- drawing
def _fig(n_bars: int, width: float = 8.0):
    import matplotlib.pyplot as plt

    height = min(max(2.6, 0.42 * n_bars + 1.6), 11)
    return plt.subplots(figsize=(width, height))


def _fmt(v, mark: str = "") -> str:
    if pd.isna(v):
        return "无法读取"
    return (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4f}".rstrip("0").rstrip(".")) + mark


def _axis_style(ax, values: pd.Series) -> None:
    """Whole-number ticks for counts (no '0.2 reports')."""
    from matplotlib.ticker import MaxNLocator

    v = values.dropna()
    if len(v) == 0 or all(float(x).is_integer() for x in v):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(v) == 0 or v.max() <= 0:  # all zeros: a real finding, drawn on a 0–1 axis, not ±0.06
        ax.set_xlim(0, 1)


def barh(data: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str, texts=None, colors=None):
    """Horizontal bars, one per row of ``data``, top to bottom in row order, each with its number."""
    fig, ax = _fig(len(data))
    y = np.arange(len(data))[::-1]
    vals = data[value].fillna(0).to_numpy(dtype=float)
    bars = ax.barh(y, vals, color=colors if colors is not None else plotting.PALETTE[0], height=0.65)
    ax.set_yticks(y, data[label].tolist())
    ax.bar_label(bars, labels=texts if texts is not None else [_fmt(v) for v in data[value]], padding=3,
                 fontsize=8)
    _axis_style(ax, data[value])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    return fig, ax


def stacked_barh(data: pd.DataFrame, label: str, stack: str, value: str, *, order, names, colors,
                 title: str, xlabel: str):
    """Stacked horizontal bars (``label`` rows, ``stack`` segments in ``order``); 0-width segments skipped."""
    fig, ax = _fig(data[label].nunique())
    labels = list(dict.fromkeys(data[label]))
    y = {lab: i for i, lab in enumerate(labels[::-1])}
    left = dict.fromkeys(labels, 0.0)
    for key, color in zip(order, colors):
        part = data[data[stack] == key]
        if part.empty:
            continue
        ys = [y[lab] for lab in part[label]]
        lefts = [left[lab] for lab in part[label]]
        ax.barh(ys, part[value].to_numpy(dtype=float), left=lefts, color=color, height=0.65,
                label=names.get(key, key))
        for lab, v in zip(part[label], part[value]):
            left[lab] += float(v)
    ax.set_yticks(list(y.values()), list(y.keys()))
    _axis_style(ax, data[value])
    for lab, total in left.items():
        ax.annotate(_fmt(total), (total, y[lab]), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
    top = max(left.values(), default=0)
    ax.set_xlim(0, top * 1.15 if top > 0 else 1)  # room for the total printed after each bar
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig, ax


def grouped_barh(data: pd.DataFrame, label: str, group: str, value: str, *, order, names, title: str,
                 xlabel: str, texts=None, log: bool = False):
    """Grouped horizontal bars: one cluster per ``label``, one bar per ``group`` present in it."""
    fig, ax = _fig(len(data) + data[label].nunique())
    labels = list(dict.fromkeys(data[label]))
    groups = [g for g in order if g in set(data[group])]
    h = 0.8 / max(len(groups), 1)
    texts = list(texts) if texts is not None else [_fmt(v) for v in data[value]]
    for gi, key in enumerate(groups):
        mask = (data[group] == key).to_numpy()
        part = data[mask]
        ys = [len(labels) - 1 - labels.index(lab) + 0.4 - h * (gi + 0.5) for lab in part[label]]
        bars = ax.barh(ys, part[value].fillna(0).to_numpy(dtype=float), height=h * 0.9,
                       color=plotting.PALETTE[gi % len(plotting.PALETTE)], label=names.get(key, key))
        ax.bar_label(bars, labels=[t for t, m in zip(texts, mask) if m], padding=3, fontsize=8)
    ax.set_yticks(range(len(labels)), labels[::-1])
    if log:
        ax.set_xscale("symlog", linthresh=10)
    else:
        _axis_style(ax, data[value])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.margins(x=0.18)
    ax.grid(axis="y", visible=False)
    return fig, ax


def draw_corpus_by_year(data, tables):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(8, 4))
    years = list(dict.fromkeys(sorted(data["year"])))
    bottom = np.zeros(len(years))
    for i, tpl in enumerate(["2019", "2021", ""]):
        part = data[data["template"] == tpl].set_index("year")["reports"].reindex(years).fillna(0)
        if part.sum() == 0:
            continue
        ax.bar(years, part.to_numpy(dtype=float), bottom=bottom, color=plotting.PALETTE[i],
               label=TEMPLATE_ZH[tpl], width=0.6)
        bottom += part.to_numpy(dtype=float)
    for x, total in zip(years, bottom):
        ax.annotate(f"{total:.0f}", (x, total), xytext=(0, 3), textcoords="offset points", ha="center",
                    fontsize=9)
    top = data.groupby("year")["reports"].sum()
    ax.set_title(f"{int(data['reports'].sum())} 份年报，覆盖 {len(years)} 个年度；{top.idxmax()} 年最多"
                 f"（{int(top.max())} 份）")
    ax.set_xlabel("报告所属年度")
    ax.set_ylabel("报告数（份）")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title="表格版本", fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(y=0.15)
    return fig


def draw_warnings_per_report(data, tables):
    worst = data.iloc[0]
    colors = [plotting.PALETTE[0] if s == "ok" else plotting.PALETTE[1] for s in data["status"]]
    texts = [f"{w}（{s}）" for w, s in zip(data["warnings"], data["status"])]
    fig, _ = barh(data, "report", "warnings", texts=texts, colors=colors, xlabel="解析警告（条）",
                  title=f"{worst['report']} 的解析警告最多：{worst['warnings']} 条")
    return fig


def draw_check_results(data, tables):
    n_false = data.loc[data["holds"] == "false", "reports"].sum()
    n_reports = data.groupby("check")["reports"].sum().max()
    fig, _ = stacked_barh(data, "check_zh", "holds", "reports", order=["false", "unknown", "true"],
                          names=HOLDS_ZH, colors=[plotting.PALETTE[1], plotting.FLAG_COLOR, plotting.PALETTE[3]],
                          xlabel="报告数（份）",
                          title=f"{n_reports} 份报告的自洽检查：{n_false} 项次不成立")
    return fig


def draw_request_cell_status(data, tables):
    unreadable = data[data["kind"].isin(["blank", "ambiguous"])]["report_id"].nunique()
    fig, _ = stacked_barh(data, "report", "kind", "cells", order=list(CELL_KINDS), names=CELL_KINDS,
                          colors=[plotting.PALETTE[0], "#9ecae1", plotting.PALETTE[2], plotting.PALETTE[1],
                                  plotting.FLAG_COLOR],
                          xlabel="申请情况表单元格（个）",
                          title=f"{unreadable} 份报告的申请表有留空或无法对应列的单元格")
    return fig


def _wide_spread(values: pd.Series) -> bool:
    """True when the largest value dwarfs the typical one, so a linear axis would hide most bars."""
    positive = values[values > 0]
    return len(positive) > 1 and positive.max() > 50 * positive.median()


def draw_enforcement_decisions(data, tables):
    top = data.loc[data["decisions"].idxmax()]
    log = _wide_spread(data["decisions"])
    fig, _ = grouped_barh(data, "report", "item", "decisions", order=ENFORCEMENT_ITEMS,
                          names={c: codebook.label("disclosure", "item", c) for c in ENFORCEMENT_ITEMS},
                          xlabel="本年处理决定数量（件）" + ("，对数刻度" if log else ""), log=log,
                          title=f"{top['report']} 的{top['item_zh']}决定最多：{top['decisions']:,.0f} 件")
    return fig


def draw_fees_collected(data, tables):
    top = data.loc[data["amount_10k_yuan"].idxmax()]
    fig, _ = barh(data, "report", "amount_10k_yuan", xlabel="行政事业性收费（万元）",
                  title=f"{len(data)} 份报告列出收费金额；{top['report']} 最多（{_fmt(top['amount_10k_yuan'])} 万元）")
    return fig


def _handled_note(handled) -> str:
    if pd.isna(handled):
        return "办理总计未印出"
    if handled == 0:
        return "无申请"
    return f"办理 {_fmt(handled)} 件" + ("，样本小" if handled < SMALL_N else "")


def draw_request_outcomes(data, tables):
    shown = data.assign(outcome_plot=data["outcome"])
    with_any = shown.groupby("report")["requests"].sum()
    labels = [f"{lab}（{_handled_note(h)}）" for lab, h in zip(shown["report"], shown["handled_total"])]
    shown = shown.assign(report_n=labels)
    fig, ax = stacked_barh(shown, "report_n", "outcome", "requests", order=list(OUTCOME_ZH), names=OUTCOME_ZH,
                           colors=plotting.PALETTE, xlabel="申请数（件，仅计印出的数字）",
                           title=f"{int((with_any > 0).sum())}/{len(with_any)} 份报告有办理结果，"
                                 f"合计 {_fmt(with_any.sum())} 件")
    return fig


def draw_requests_by_applicant(data, tables):
    total = data["requests"].sum()
    top = data.loc[data["requests"].idxmax()]
    share = f"{top['requests'] / total:.0%}" if total else "—"
    texts = [f"{_fmt(v)}（{n} 份报告）" for v, n in zip(data["requests"], data["reports"])]
    fig, _ = barh(data, "applicant_zh", "requests", texts=texts, xlabel="本年新收申请（件）",
                  title=f"新收申请 {_fmt(total)} 件，{top['applicant_zh']}占 {share}")
    return fig


def draw_appeals_results(data, tables):
    total = data["cases"].sum()
    results = codebook.codes("appeals", "result")
    fig, _ = stacked_barh(data, "proceeding_zh", "result", "cases", order=results,
                          names={c: codebook.label("appeals", "result", c) for c in results},
                          colors=[plotting.PALETTE[3], plotting.PALETTE[1], plotting.PALETTE[2], plotting.FLAG_COLOR],
                          xlabel="案件数（件）", title=f"行政复议和行政诉讼合计 {_fmt(total)} 件（按结果）")
    return fig


def _metric_texts(data) -> list[str]:
    return [_fmt(v, QUALIFIER_MARK.get(q, "")) for v, q in zip(data["value"], data["qualifier"])]


def draw_hotline_volumes(data, tables):
    top = data.loc[data["value"].idxmax()]
    fig, _ = grouped_barh(data, "report", "metric", "value", order=HOTLINE_METRICS, names=METRIC_ZH,
                          texts=_metric_texts(data), xlabel="受理量（件/个，正文所述）",
                          title=f"{top['report']} 的{top['metric_zh']}受理量最多：{_fmt(top['value'])}")
    return fig


def draw_channel_output(data, tables):
    n = data["report_id"].nunique()
    fig, _ = grouped_barh(data, "report", "metric", "value", order=CHANNEL_METRICS, names=METRIC_ZH,
                          texts=_metric_texts(data), log=True, xlabel="数量（正文所述，对数刻度）",
                          title=f"{n} 份报告在正文中给出了公开渠道的数字，口径各不相同")
    return fig


def draw_top_problem_terms(data, tables):
    top = data.iloc[0]
    texts = [f"{c}（{n} 份）" for c, n in zip(data["count"], data["reports"])]
    fig, _ = barh(data, "token", "count", texts=texts, xlabel="出现次数（“存在问题”部分）",
                  title=f"“存在问题”里最常见的词是“{top['token']}”（{top['count']} 次）")
    return fig


def draw_problem_themes(data, tables):
    n = len(corpus(tables))
    top = data.iloc[0]
    texts = [f"{r} 份 / {n}" for r in data["reports"]]
    fig, _ = barh(data, "theme_zh", "reports", texts=texts, xlabel="提到该主题的报告（份）",
                  title=f"{top['reports']}/{n} 份报告承认“{top['theme_zh']}”方面的问题")
    return fig


def draw_profile_requests(data, tables):
    data = data.assign(label=data["year"].where(data["year"] != "", data["report_id"]))
    texts = [_fmt(v) for v in data["requests"]]
    new = data[data["row"] == "new_received"]
    per_year = "、".join(f"{lab} 年 {_fmt(v)} 件" for lab, v in zip(new["label"], new["requests"]))
    fig, _ = grouped_barh(data, "label", "row", "requests", order=PROFILE_ROWS, names=PROFILE_ROWS_ZH,
                          texts=texts, xlabel="申请数（件，总计列）", title=f"新收依申请公开：{per_year}")
    return fig


def draw_profile_decisions(data, tables):
    data = data.assign(label=data["year"].where(data["year"] != "", data["report_id"]))
    top = data.loc[data["decisions"].idxmax()]
    fig, _ = grouped_barh(data, "label", "item", "decisions", order=ENFORCEMENT_ITEMS,
                          names={c: codebook.label("disclosure", "item", c) for c in ENFORCEMENT_ITEMS},
                          xlabel="本年处理决定数量（件）",
                          title=f"{top['year']} 年{top['item_zh']}决定 {top['decisions']:,.0f} 件，为各年各类最多")
    return fig


# ---------------------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Chart:
    slug: str
    notebook: str
    data: Callable[..., pd.DataFrame]
    draw: Callable
    value: str  # the column holding the drawn bar lengths
    empty: str  # the sentence shown instead of a chart when there is nothing to draw


CHARTS: dict[str, Chart] = {c.slug: c for c in [
    Chart("corpus-by-year", "00-corpus-overview", data_corpus_by_year, draw_corpus_by_year, "reports",
          "语料中还没有可分析的年报。"),
    Chart("warnings-per-report", "00-corpus-overview", data_warnings_per_report, draw_warnings_per_report,
          "warnings", "还没有报告。"),
    Chart("check-results", "10-data-quality", data_check_results, draw_check_results, "reports",
          "还没有检查结果（checks 表为空）。"),
    Chart("request-cell-status", "10-data-quality", data_request_cell_status, draw_request_cell_status, "cells",
          "还没有解析出依申请公开情况表（requests 表为空）。"),
    Chart("enforcement-decisions", "20-enforcement", data_enforcement_decisions, draw_enforcement_decisions,
          "decisions", "没有报告印出行政许可、处罚或强制的决定数量。"),
    Chart("fees-collected", "20-enforcement", data_fees_collected, draw_fees_collected, "amount_10k_yuan",
          "没有报告印出行政事业性收费金额。"),
    Chart("request-outcomes", "30-information-requests", data_request_outcomes, draw_request_outcomes,
          "requests", "没有报告印出依申请公开的办理结果。"),
    Chart("requests-by-applicant", "30-information-requests", data_requests_by_applicant,
          draw_requests_by_applicant, "requests", "没有报告印出按申请人分列的新收申请数。"),
    Chart("appeals-results", "30-information-requests", data_appeals_results, draw_appeals_results, "cases",
          "没有报告印出行政复议、行政诉讼的数字。"),
    Chart("hotline-volumes", "40-hotlines-and-channels", data_hotline_volumes, draw_hotline_volumes, "value",
          "没有报告在正文中给出 12345 或 12328 热线的受理量。"),
    Chart("channel-output", "40-hotlines-and-channels", data_channel_output, draw_channel_output, "value",
          "没有报告在正文中给出网站、微信或主动公开的数量。"),
    Chart("top-problem-terms", "50-problems-keywords", data_top_problem_terms, draw_top_problem_terms, "count",
          "还没有“存在问题”部分的词频（tokens 表为空）。"),
    Chart("problem-themes", "50-problems-keywords", data_problem_themes, draw_problem_themes, "reports",
          "还没有主题标注（themes 表为空）。"),
    Chart("profile-requests", "90-agency-profile", data_profile_requests, draw_profile_requests, "requests",
          "该机关的报告中没有印出依申请公开的总计数。"),
    Chart("profile-decisions", "90-agency-profile", data_profile_decisions, draw_profile_decisions, "decisions",
          "该机关的报告中没有印出行政许可、处罚或强制的决定数量。"),
]}


def saved_slug(slug: str, **params) -> str:
    """The file slug: per-agency charts carry the agency (``profile-衡水市交通运输局-requests``)."""
    if "agency" in params:
        return f"{slug.split('-', 1)[0]}-{slugify(params['agency'])}-{slug.split('-', 1)[1]}"
    return slug


def build_chart(slug: str, tables, *, out_dir=None, notebook: str | None = None, **params):
    """Compute, draw and save one chart. Returns (fig or None, data); None when there is nothing to draw."""
    chart = CHARTS[slug]
    data = chart.data(tables, **params)
    if data.empty or data[chart.value].notna().sum() == 0:
        return None, data
    plotting.setup_plotting()
    fig = chart.draw(data, tables)
    ids = data["report_id"] if "report_id" in data.columns else None
    plotting.save_figure(fig, saved_slug(slug, **params), data, source=source_line(tables, ids),
                         out_dir=out_dir, notebook=notebook)
    return fig, data


def show(slug: str, tables, **params) -> pd.DataFrame:
    """Notebook entry point: build the chart and display it, or say in a sentence why there is none."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    fig, data = build_chart(slug, tables, **params)
    if fig is None:
        display(Markdown(f"*{CHARTS[slug].empty}*"))
    else:
        plt.show()
        plt.close(fig)
    return data


# ---------------------------------------------------------------------------------------------- tables shown
def request_rates(tables) -> pd.DataFrame:
    """Per report: requests received and handled, how many disclosed in full, the share, and a small-n flag.

    A share is given only when its numerator and denominator are both printed; below ``SMALL_N`` handled
    requests it is flagged, never ranked.
    """
    reports = corpus(tables)
    rows = {k: _row_total(tables, k) for k in ("new_received", "carried_over", "handled_total",
                                               "carried_forward", "granted", "partially_granted")}
    out = reports[["report_id"]].copy()
    out.insert(1, "report", out["report_id"].map(report_labels(reports)))
    for k, s in rows.items():
        out[k] = pd.to_numeric(out["report_id"].map(s), errors="coerce").astype("float64")
    share = out["granted"] / out["handled_total"]
    out["granted_share"] = share.where(out["handled_total"] > 0).round(3)
    out["flag"] = np.select([out["handled_total"].isna(), out["handled_total"] == 0,
                             out["handled_total"] < SMALL_N],
                            ["总计未印出或无法读取", "无申请", f"样本小（少于 {SMALL_N} 件）"], "")
    return out.reset_index(drop=True)


def timeliness(tables) -> pd.DataFrame:
    """Per report: the printed publication date and the audit's verdict on the legal deadline.

    The rule (31 January for departments, 31 March for governments; 条例第四十九条) lives in the audit
    check ``timeliness``; this only lays its verdict next to the date.
    """
    reports = corpus(tables)
    out = reports[["report_id", "year", "level", "published"]].copy()
    out.insert(1, "report", out["report_id"].map(report_labels(reports)))
    c = frame(tables, "checks")
    c = c[(c["check"] == "timeliness")].drop_duplicates("report_id").set_index("report_id")
    out["holds"] = out["report_id"].map(c["holds"]).fillna("")
    out["detail"] = out["report_id"].map(c["detail"]).fillna("")
    out["verdict"] = out["holds"].map({"true": "按时", "false": "晚于截止日", "unknown": "无法判断"}) \
        .fillna("未检查")
    out.loc[(out["published"] == "") & (out["holds"] != "false"), "verdict"] = "未印发布日期"
    return out.reset_index(drop=True)


def distinctive_terms(tables, n: int = 5) -> pd.DataFrame:
    """Per report, the terms of its problems part most particular to it (corpus TF-IDF from helpers.keywords)."""
    from .keywords import distinctive_terms as tfidf_terms

    t = frame(tables, "tokens")
    t = t[t["report_id"].isin(set(corpus(tables)["report_id"]))]
    top = tfidf_terms(t, by="report_id", part="problems", top=n)
    if top.empty:
        return pd.DataFrame(columns=["report_id", "report", "terms"])
    top = top.groupby("report_id", sort=True)["token"].agg("、".join).rename("terms").reset_index()
    return _with_report(top, tables).reset_index(drop=True)


def failing_checks(tables) -> pd.DataFrame:
    """Every failing case of every check, with the report and a printed quote where the audit gave one."""
    c = frame(tables, "checks")
    c = c[(c["holds"] == "false") & (c["scope"] != "all")]
    if c.empty:
        c = frame(tables, "checks")
        c = c[c["holds"] == "false"]
    c = _with_report(c, tables)
    c.insert(3, "check_zh", c["check"].map(_check_label))
    return c[["report_id", "report", "check", "check_zh", "scope", "detail"]].reset_index(drop=True)
