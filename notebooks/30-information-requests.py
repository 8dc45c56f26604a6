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
# # 依申请公开：谁来申请，得到了什么
#
# **问题**：各机关收到多少政府信息公开申请？申请人是谁？结果如何——予以公开、部分公开、不予公开（按理由）、
# 无法提供、不予处理？有多少申请结转到下一年？行政复议和行政诉讼的结果如何？
#
# **数据**：`requests`（第三部分表格，每个格子一行，带印刷状态）和 `appeals`（第四部分）。
#
# **规则**：比例只和它的分子分母一起出现；办理总数少于 10 件的比例标为“样本小”，不排名。留空或无法对应列的格子
# 不计入任何合计。

# %% tags=["parameters"]
processed = None  # folder of processed tables; None means data/processed

# %%
import helpers
from helpers import charts, plotting
from helpers.render import say, show_table

plotting.setup_plotting()
t = helpers.read_processed(processed or helpers.paths.PROCESSED)
reports = charts.corpus(t)
labels = charts.report_labels(reports)


# %% [markdown]
# ## 收到多少申请，公开了多少

# %%
rates = charts.request_rates(t)
received = rates["new_received"].sum()
printed = rates["new_received"].notna().sum()
say("{printed} 份年报印出了本年新收申请的总计，合计 {received:,.0f} 件；其余 {rest} 份没有印出或无法读取。",
    printed=printed, received=received, rest=len(rates) - printed)
zh = {"new_received": "本年新收", "carried_over": "上年结转", "handled_total": "办理总计", "carried_forward": "结转下年",
      "granted": "予以公开", "partially_granted": "部分公开", "granted_share": "予以公开占比", "flag": "提示"}
show_table(rates.drop(columns="report_id").rename(columns=zh),
           caption="每份年报的申请数与予以公开占比（占比 = 予以公开 ÷ 办理总计，只在两者都印出时给出）")

# %% [markdown]
# ## 办理结果
#
# 不予公开、无法提供、不予处理等各有细分理由，图中按大类合并；细分见下表。

# %%
outcomes = charts.show("request-outcomes", t)

# %%
import pandas as pd

from helpers import codebook

req = charts.frame(t, "requests")
req = req[req["report_id"].isin(labels) & (req["applicant"] == "total")]
detail = req[req["row"].map(charts.outcome_group).notna()].assign(
    report=lambda d: d["report_id"].map(labels),
    结果=lambda d: d["row"].map(lambda r: codebook.label("requests", "row", r)),
    数值=lambda d: d["value"].where(d["status"] == "printed"))
wide = detail.pivot_table(index="结果", columns="report", values="数值", aggfunc="sum", sort=False)
show_table(wide.reset_index(), caption="办理结果细分（总计列；空白 = 未印或无法读取）")
say("每个格子的原文与行号都在 `requests` 表的 `raw`、`line` 两列（`data/processed/requests.csv`）。")

# %% [markdown]
# ## 申请人

# %%
applicants = charts.show("requests-by-applicant", t)

# %% [markdown]
# ## 积压：上年结转与结转下年

# %%
backlog = rates[["report", "carried_over", "carried_forward"]].dropna(how="all", subset=["carried_over",
                                                                                           "carried_forward"])
say("{n} 份年报印出了结转数字；结转下年合计 {fwd:,.0f} 件。", n=len(backlog),
    fwd=backlog["carried_forward"].sum())
show_table(backlog.rename(columns={"carried_over": "上年结转", "carried_forward": "结转下年"}))

# %% [markdown]
# ## 行政复议与行政诉讼

# %%
appeals = charts.show("appeals-results", t)

# %%
ap = charts.frame(t, "appeals")
ap = ap[ap["report_id"].isin(labels) & (ap["result"] == "total") & (ap["status"] == "printed")]
say("{n} 份年报印出了复议、诉讼总计；合计 {total:,.0f} 件。", n=ap["report_id"].nunique(), total=ap["value"].sum())

# %% [markdown]
# ## 注意
#
# - 申请很少的机关（多数地方交通部门一年只有几件）不适合比较“公开率”；一件申请的结果就能让比例从 0 变到 100%。
# - 一行少印了数字时，我们只保留能确定列的“总计”，其他格子记为无法对应列；这类报告的申请人分布不完整。
# - 正文里的申请数与表格不一致的情况，见“数据质量”笔记本。
