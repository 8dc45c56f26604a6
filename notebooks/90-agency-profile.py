# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 机关档案
#
# **问题**：一个机关历年年报说了什么：收到多少申请、怎么办理、执法决定有多少、数字是否自洽、承认了哪些问题？
#
# **数据**：全部处理后的表，只取这个机关的报告。`agency` 参数由 `make report`（每个机关一页）或
# `make profile AGENCY=…` 传入；在 JupyterLab 中打开时默认取语料中的第一个机关。

# %% tags=["parameters"]
processed = None  # folder of processed tables; None means data/processed
agency = None  # the agency's name as in reports.agency; None = the first agency in the corpus

# %%
import helpers
from helpers import charts, plotting
from helpers.render import say, show_table

plotting.setup_plotting()
t = helpers.read_processed(processed or helpers.paths.PROCESSED)
reports = charts.corpus(t)
labels = charts.report_labels(reports)
if agency is None:
    known = sorted(a for a in reports["agency"] if a)
    agency = known[0] if known else ""
mine = charts.agency_reports(t, agency)
ids = set(mine["report_id"])

# %%
if mine.empty:
    say("语料中没有机关“{agency}”的年报。", agency=agency)
else:
    years = "、".join(str(int(y)) for y in mine["year"].dropna())
    say("## {agency}\n\n语料中有 {n} 份年报（{years}），表格版本 {tpl}。", agency=agency, n=len(mine),
        years=years or "年度不明", tpl="、".join(sorted(set(mine["template"]) - {""})) or "未识别")
show_table(mine[["report_id", "year", "template", "published", "status", "n_warnings", "title"]],
           caption="该机关的年报")

# %% [markdown]
# ## 依申请公开

# %%
req = charts.show("profile-requests", t, agency=agency)

# %%
rates = charts.request_rates(t)
show_table(rates[rates["report_id"].isin(ids)].drop(columns="report_id"), caption="申请数与予以公开占比（样本小的比例仅供参考）")

# %% [markdown]
# ## 执法决定

# %%
dec = charts.show("profile-decisions", t, agency=agency)

# %% [markdown]
# ## 数字自洽吗

# %%
failing = charts.failing_checks(t)
failing = failing[failing["report_id"].isin(ids)]
if failing.empty:
    say("该机关的年报没有不成立的检查。")
for row in failing.itertuples():
    say("- {report}：{check}（{scope}）不成立。{detail}", report=row.report, check=row.check_zh, scope=row.scope,
        detail=row.detail)

# %% [markdown]
# ## 正文数字

# %%
figs = charts.frame(t, "figures")
show_table(figs[figs["report_id"].isin(ids)][["report_id", "metric", "value", "qualifier", "quote", "line"]],
           caption="正文中的数字与引文")

# %% [markdown]
# ## 承认的问题

# %%
probs = charts.frame(t, "problems")
probs = probs[probs["report_id"].isin(ids) & (probs["part"] == "problems")]
if probs.empty:
    say("没有切出“存在问题”部分。")
for row in probs.itertuples():
    say("> {text}\n\n（{report}，第 {a}–{b} 行）", text=row.text[:600], report=labels.get(row.report_id, row.report_id),
        a=row.line_start, b=row.line_end)

# %% [markdown]
# ## 注意
#
# - 一个机关一年通常只有几件申请，比例没有意义；看件数。
# - 机关名称以报告里最完整的正式名称为准；同一机关改名或用简称时，可能被当成两个机关。
