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
# # 存在的问题：机关承认了什么
#
# **问题**：年报第五部分“存在的主要问题及改进情况”里，机关承认了哪些问题？哪些词最常见，哪些词只属于某个机关？
# 哪些问题是各家共有的（按主题）？有没有逐字照搬别家或往年的段落？
#
# **数据**：`problems`（第五部分切出的“问题”和“改进”文字，带行号）、`tokens`（jieba 分词计数）、`themes`
# （按 `themes.csv` 定义的主题标注，带证据句）、`similar_problems`（高度相似的问题段落对）。

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

problems = charts.frame(t, "problems")
problems = problems[problems["report_id"].isin(labels)]

# %%
has_problems = problems.loc[problems["part"] == "problems", "report_id"].nunique()
say("{n} 份年报中有 {k} 份能切出“存在问题”部分。", n=len(reports), k=has_problems)

# %% [markdown]
# ## 最常见的词

# %%
terms = charts.show("top-problem-terms", t)

# %% [markdown]
# ## 各机关特有的词
#
# 一个词在某份报告里出现得多、在其他报告里出现得少，就更能代表这份报告（计数 × log(报告数 ÷ 用到该词的报告数)）。

# %%
show_table(charts.distinctive_terms(t), caption="每份报告最有特点的词")

# %% [markdown]
# ## 主题

# %%
themes = charts.show("problem-themes", t)

# %%
th = charts.frame(t, "themes")
th = th[th["report_id"].isin(labels)]
show_table(th.assign(report=th["report_id"].map(labels))[["report", "theme", "evidence", "line"]],
           caption="主题标注与证据句（line 为原文行号）")

# %% [markdown]
# ## 照搬的段落

# %%
similar = charts.frame(t, "similar_problems")
if similar.empty:
    say("没有发现高度相似的问题段落。")
else:
    similar = similar.assign(a=similar["report_id_a"].map(labels).fillna(similar["report_id_a"]),
                             b=similar["report_id_b"].map(labels).fillna(similar["report_id_b"]))
    say("发现 {n} 对高度相似的问题段落。", n=len(similar))
    show_table(similar[["a", "b", "similarity", "shared_passage"]], caption="相似段落（similarity 为相似度）")

# %% [markdown]
# ## 原文
#
# 每份报告“存在问题”部分的原文（已转义，原样显示）。

# %%
show_table(problems.assign(report=problems["report_id"].map(labels))
           [["report", "part", "line_start", "line_end", "text"]], caption="第五部分原文")

# %% [markdown]
# ## 注意
#
# - 年报的“问题”部分高度程式化（“公开意识有待加强”“队伍力量薄弱”），词频高不代表问题严重，只说明说法通用。
# - 主题由关键词规则标注，每条都附证据句，可逐条核对；规则见 `src/helpers/data/themes.csv`。
# - 有的报告没有第五部分的标题，问题段落由正文推断，位置可能不准。
