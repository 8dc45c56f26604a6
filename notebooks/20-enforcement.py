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
# # 执法：行政许可、处罚、强制的决定有多少
#
# **问题**：各机关每年作出多少行政许可、行政处罚和行政强制决定？收了多少行政事业性收费？
#
# **数据**：`disclosure`（第二部分“主动公开政府信息情况”的表格，每个印出的格子一行）。
#
# **两种表格能否比较**：2019 版和 2021 版表格都有“本年处理决定数量”（代码 `decisions`），所以许可、处罚、强制的
# 决定数可以跨版本比较。收费金额只在 2021 版表格里有（`amount_10k_yuan`，单位万元）；2019 版只有收费项目数量，
# 政府集中采购只在 2019 版里有。下面的图只用两版共有的量。

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

disclosure = charts.frame(t, "disclosure")
disclosure = disclosure[disclosure["report_id"].isin(labels)]

# %% [markdown]
# ## 哪些量在哪版表格里

# %%
import pandas as pd

from helpers import codebook

measures = [{"measure": c.code, "名称": c.labels[0], "表格版本": c.template, "适用": c.note}
            for c in codebook.codebook() if c.table == "disclosure" and c.dimension == "measure"]
show_table(pd.DataFrame(measures), caption="第二部分表格的量（来自 codebook）")

# %% [markdown]
# ## 决定数量

# %%
decisions = charts.show("enforcement-decisions", t)

# %%
if not decisions.empty:
    wide = decisions.pivot_table(index=["report", "template"], columns="item_zh", values="decisions",
                                 aggfunc="sum")
    show_table(wide.reset_index(), caption="本年处理决定数量（件；空白 = 报告未印）")
    top = decisions.loc[decisions["decisions"].idxmax()]
    say("决定数最多的是 {report} 的{item}：{n:,.0f} 件。数字差别大，多半反映机关职能（许可多的是审批部门），"
        "不宜当作执法力度的排名。", report=top["report"], item=top["item_zh"], n=top["decisions"])

# %% [markdown]
# ### 每个数字的出处
#
# `raw` 是原文中这一格的文字，`line` 是原文件的行号（`data/raw/<report_id>`）。

# %%
src = disclosure[disclosure["item"].isin(charts.ENFORCEMENT_ITEMS + ("fees",))]
show_table(src.assign(report=src["report_id"].map(labels))[["report", "item", "measure", "value", "unit", "raw",
                                                            "line"]],
           caption="许可、处罚、强制和收费的原始格子")

# %% [markdown]
# ## 收费金额（仅 2021 版表格）

# %%
fees = charts.show("fees-collected", t)

# %% [markdown]
# ## 占位符与缺格
#
# 表格里印成 `/` 或 `-` 的格子没有数值，只记一条警告；它们不会被算作 0。

# %%
placeholders = disclosure[disclosure["value"].isna()]
say("第二部分表格中共有 {n} 个格子印了占位符而没有数字。", n=len(placeholders))
show_table(placeholders.assign(report=placeholders["report_id"].map(labels))
           [["report", "item", "measure", "raw", "line"]], caption="没有数值的格子（raw 为原文）")

# %% [markdown]
# ## 注意
#
# - 只计报告里印出来的数字；没印的项目是空白，不是 0。
# - 2019 版表格用“上一年项目数量 / 本年增减”描述许可等事项的清单，2021 版没有这两栏，二者不可比。
# - 收费金额按报告所印单位换算为万元；少数报告把金额印成“245万”，已按 245 万元记。
