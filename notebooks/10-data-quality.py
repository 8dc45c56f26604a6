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
# # 数据质量：报告自己的数字对得上吗
#
# **问题**：每份年报的统计表都有表格自己承诺的等式（例如“第一项加第二项之和，等于第三项加第四项之和”）。
# 哪些报告的数字自相矛盾？正文里说的申请数和表格一致吗？哪些格子是空白、哪些是真的 0？报告按时发布了吗？
#
# **数据**：`checks`（每项检查一行 `scope=all` 的总结论，外加每个不成立或无法判断的具体情形）、`requests`（申请情况表
# 每个格子的印刷状态）、`reports`（发布日期）。检查结论只有三种：成立、不成立、无法判断（有格子留空或无法对应列时，
# 绝不把空白当 0 来判“成立”）。

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

checks = charts.frame(t, "checks")
summary = checks[(checks["scope"] == "all") & checks["report_id"].isin(labels)]

# %% [markdown]
# ## 检查结论一览

# %%
holds = summary["holds"].value_counts()
say("{n} 份年报共做了 {k} 项检查：{true} 项成立，{false} 项不成立，{unknown} 项因留空或无法对应列而无法判断。",
    n=len(reports), k=len(summary), true=holds.get("true", 0), false=holds.get("false", 0),
    unknown=holds.get("unknown", 0))

# %%
check_data = charts.show("check-results", t)

# %% [markdown]
# ## 不成立的检查：可以直接引用的句子
#
# 每一条都给出报告、检查项和具体数字；`detail` 是检查时记下的原始数字，回到原文对应行即可核实。

# %%
failing = charts.failing_checks(t)
if failing.empty:
    say("没有任何一项检查不成立。")
else:
    for row in failing.itertuples():
        say("- **{report}**：{check}（{scope}）不成立。{detail}", report=row.report, check=row.check_zh,
            scope=row.scope, detail=row.detail)
show_table(failing, caption="所有不成立的检查（每个不成立的情形一行）")

# %% [markdown]
# ## 留空还是 0
#
# 申请情况表里，一个格子可能印着数字（包括 0）、印成空白、因为一行少印了数字而无法确定对应哪一列，或者整张表没有印。
# 空白和 0 的意思不同：0 是“没有”，空白是“没说”。下图按报告数出每种格子。

# %%
cell_data = charts.show("request-cell-status", t)

# %%
if not cell_data.empty:
    wide = cell_data.pivot_table(index="report", columns="kind_zh", values="cells", aggfunc="sum", fill_value=0)
    show_table(wide.reset_index(), caption="申请情况表的格子状态（个）")

# %% [markdown]
# ## 无法判断的检查
#
# 这些情形不能算作“成立”：相关格子留空或者无法对应到列。把空白读成 0 能否让等式成立，`detail` 里会说明。

# %%
unknown = checks[(checks["holds"] == "unknown") & (checks["scope"] != "all")]
unknown = unknown.assign(report=unknown["report_id"].map(labels))
show_table(unknown[["report", "check", "scope", "detail"]], caption="无法判断的具体情形")

# %% [markdown]
# ## 按时发布了吗
#
# 《政府信息公开条例》第四十九条要求政府部门每年 1 月 31 日前、县级以上人民政府每年 3 月 31 日前公布上一年度的年度报告。
# 这里比较报告上印出的日期（审计检查 `timeliness`）；
# 没有印日期的报告无法判断。

# %%
timely = charts.timeliness(t)
verdicts = timely["verdict"].value_counts()
say("{n} 份年报中：按时 {ok} 份，晚于截止日 {late} 份，未印发布日期 {none} 份，其余无法判断。",
    n=len(timely), ok=verdicts.get("按时", 0), late=verdicts.get("晚于截止日", 0), none=verdicts.get("未印发布日期", 0))
show_table(timely, caption="发布日期与法定截止日")

# %% [markdown]
# ## 注意
#
# - 检查只覆盖表格自己承诺的等式和正文与表格的申请数；不成立说明报告有错，但不说明哪个数字错。
# - “无法判断”多，往往是版式问题（一行少印一个数字），不是机关隐瞒；引用时请写“报告未能核对”，而不是“报告有误”。
# - 发布日期取报告上印的日期，网站实际上线时间可能不同。
