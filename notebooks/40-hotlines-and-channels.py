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
# # 热线与渠道：12345、12328、网站和微信
#
# **问题**：机关在年报正文里报告了哪些热线受理量、主动公开条数、网站和微信发布量？
#
# **数据**：`figures`（从正文中读出的数字，每个都带原文引文 `quote` 和行号 `line`）。这些数字不在统计表里，
# 口径由各机关自定：有的是“话务量”，有的是“件”，有的是“千余篇”这样的约数。

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

figures = charts.frame(t, "figures")
figures = figures[figures["report_id"].isin(labels)]

# %% [markdown]
# ## 热线受理量

# %%
hotlines = charts.show("hotline-volumes", t)

# %%
if not hotlines.empty:
    for row in hotlines.itertuples():
        say("- **{report}**：{metric} {value:,.0f}{mark}，原文“{quote}”（第 {line} 行）", report=row.report,
            metric=row.metric_zh, value=row.value, mark=charts.QUALIFIER_MARK.get(row.qualifier, ""),
            quote=row.quote, line=row.line)

# %% [markdown]
# ## 主动公开与新媒体

# %%
channels = charts.show("channel-output", t)

# %% [markdown]
# ## 所有正文数字与引文
#
# 每个数字都能回到原文：`quote` 是原文片段，`line` 是行号。`qualifier` 为 `approx`（“56 余条”）或
# `lower_bound`（“千余篇”）时，数字是约数。

# %%
show_table(figures.assign(report=figures["report_id"].map(labels))
           [["report", "metric", "value", "unit", "qualifier", "quote", "line"]],
           caption="正文中的数字（figures 表）")

# %% [markdown]
# ## 注意
#
# - 热线数字口径不一：有的报告把咨询、投诉、建议分开列，分项之和未必等于总数（例如分项合计 6787 而总数印 6887）。
#   图中取每份报告最先出现的总数。
# - 合并口径的数字（如“12345 投诉、信访事项共 1684 件”）不算作 12345 热线受理量。
# - 没有在正文里提到的渠道是“未报告”，不是 0。
