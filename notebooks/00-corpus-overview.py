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
# # 语料概览：哪些机关、哪些年度，哪些报告读得出来
#
# **问题**：我们手里有哪些政府信息公开工作年度报告？它们来自哪些机关、哪一级政府、哪些地区和年度，
# 用的是 2019 版还是 2021 版的统计表格？哪些报告解析完整，哪些缺了什么？
#
# **数据**：`data/processed/` 中的 `reports`（每个文件一行）、`warnings`（解析时记下的问题，带行号）和
# `load_errors`（根本无法读取的文件）。这些表由 `make data` 从 `data/raw/` 重新生成。

# %% tags=["parameters"]
processed = None  # folder of processed tables; None means data/processed

# %%
import helpers
from helpers import charts, plotting
from helpers.render import say, show_table

plotting.setup_plotting()
t = helpers.read_processed(processed or helpers.paths.PROCESSED)
all_files = charts.frame(t, "reports")
reports = charts.corpus(t)
load_errors = charts.frame(t, "load_errors")

# %% [markdown]
# ## 有多少份报告
#
# 只有解析状态为 `ok`（三张表都找到）或 `partial`（缺了某张表）的文件才算作年报进入后面的分析；
# `not_report`（能读出文字，但不是年报，例如通知或空白表格）和 `failed`（解析出错）只在这里列出。

# %%
status = all_files["status"].value_counts()
say("语料共有 {n} 个可读文件：{ok} 份完整解析，{partial} 份部分解析，{nr} 份不是年报，{failed} 份解析失败；"
    "另有 {le} 个文件无法读取（空文件、二进制文件或图片）。",
    n=len(all_files), ok=status.get("ok", 0), partial=status.get("partial", 0),
    nr=status.get("not_report", 0), failed=status.get("failed", 0), le=len(load_errors))

# %%
fig_data = charts.show("corpus-by-year", t)

# %% [markdown]
# ## 机关、层级与地区
#
# 机关名称、省、地级市、区县和层级由正文和标题推断；推断不出来的格子留空，不猜。

# %%
cols = ["report_id", "agency", "level", "province", "prefecture", "county", "year", "template", "published",
        "status", "n_warnings"]
show_table(all_files[cols], caption="每个文件一行（report_id 即 data/raw/ 中的文件名）")

# %%
by_place = (reports.assign(level=reports["level"].replace("", "未识别"),
                           province=reports["province"].replace("", "未识别"))
            .groupby(["province", "level"]).size().rename("报告数").reset_index())
show_table(by_place, caption="按省份与层级统计的年报数")

# %% [markdown]
# ## 解析警告：每份报告哪里读得不顺
#
# 警告不是错误：表格错位一行、某一部分缺标题，都会记一条带行号的警告，数据照样输出。
# 警告多的报告，引用其中数字前值得回到原文核对。

# %%
warn_data = charts.show("warnings-per-report", t)

# %%
warnings_table = charts.frame(t, "warnings")
show_table(warnings_table.merge(all_files[["report_id", "agency"]], on="report_id", how="left")
           [["report_id", "agency", "stage", "line", "message"]],
           caption="全部解析警告（line 为原文件中的行号）")

# %% [markdown]
# ## 缺了什么

# %%
missing = {
    "机关名称": (reports["agency"] == "").sum(),
    "年度": reports["year"].isna().sum(),
    "表格版本": (~reports["template"].isin(["2019", "2021"])).sum(),
    "发布日期": (reports["published"] == "").sum(),
}
say("在 {n} 份年报中：{parts}。", n=len(reports),
    parts="，".join(f"{k}缺失 {v} 份" for k, v in missing.items()))
show_table(load_errors, caption="无法读取的文件")

# %% [markdown]
# ## 注意
#
# - “部分解析”意味着至少一张统计表没找到：可能是报告确实没有印，也可能是版式太特殊。后面的笔记本只用印出来的数字，
#   缺的表不会被当成 0。
# - 机关名称、层级和地区来自报告本身的文字；同一机关在标题里可能用简称（例如“交通局”），`alias` 列记下了简称。
# - 年度指报告所属年度（报告通常在次年 1 月发布）。
