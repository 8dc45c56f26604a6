"""Reader HTML is self-contained, escapes report text, folds code, fails loudly, and the index lists
every notebook and chart. Uses tiny notebooks written by the tests into a temporary folder."""
from __future__ import annotations

import re
import textwrap

import pytest

from helpers import render, store

HOSTILE = "<script>alert('pwned')</script>衡水市交通运输局"

CHART_NB = '''
# %% [markdown]
# # 测试图表：示例机关
#
# 问题、证据、注意。

# %% tags=["parameters"]
processed = None

# %%
import matplotlib.pyplot as plt
import pandas as pd
from helpers import plotting
from helpers.render import say, show_table

plotting.setup_plotting()
data = pd.DataFrame({"机关": ["衡水市交通运输局", "衢州市交通运输局"], "决定": [3, 39]})
fig, ax = plt.subplots()
ax.barh(data["机关"], data["决定"])
ax.set_title("衢州市的行政许可决定最多")
plotting.save_figure(fig, "test-decisions", data, source="来源：两份年报")
plt.show()

# %%
hostile = HOSTILE_VALUE
show_table(pd.DataFrame({"quote": [hostile], "n": [1.0]}), caption=hostile)
say("原文：{q}", q=hostile)
'''.replace("HOSTILE_VALUE", repr(HOSTILE))

PLAIN_NB = '''
# %% [markdown]
# # 第二个笔记本

# %% tags=["parameters"]
processed = None

# %%
print("没有图表")
'''

ERROR_NB = '''
# %% tags=["parameters"]
processed = None

# %%
raise RuntimeError("boom")
'''

GLYPH_NB = '''
# %% tags=["parameters"]
processed = None

# %%
import warnings
warnings.warn("Glyph 24066 (\\\\N{CJK UNIFIED IDEOGRAPH-5E02}) missing from font(s) DejaVu Sans.")
'''


def _write(folder, name, source):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def _processed(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    for name in store.TABLES:
        store.empty_frame(name).to_csv(out / f"{name}.csv", index=False)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("render")
    nb_dir = tmp / "notebooks"
    _write(nb_dir, "00-chart", CHART_NB)
    _write(nb_dir, "10-plain", PLAIN_NB)
    code = render.main(["--processed", str(_processed(tmp)), "--out", str(tmp / "reports"),
                        "--notebooks", str(nb_dir)])
    return tmp, code


def test_main_succeeds_and_writes_pages(rendered):
    tmp, code = rendered
    assert code == 0
    html_dir = tmp / "reports" / "html"
    assert (html_dir / "00-chart.html").exists() and (html_dir / "10-plain.html").exists()
    for ext in ("png", "svg", "csv", "json"):
        assert (tmp / "reports" / "figures" / f"test-decisions.{ext}").exists()


def test_index_lists_notebooks_and_charts(rendered):
    tmp, _ = rendered
    index = (tmp / "reports" / "html" / "index.html").read_text(encoding="utf-8")
    for name in ("00-chart", "10-plain"):
        assert f'href="{name}.html"' in index
    assert "测试图表：示例机关" in index  # notebook title
    assert "test-decisions" in index and "衢州市的行政许可决定最多" in index
    card = index[index.index("<code>test-decisions</code>"):]
    assert 'href="00-chart.html"' in card[:600]  # the notebook that made it
    assert "data:image/png;base64," in index  # embedded thumbnail
    assert 'href="../figures/test-decisions.csv"' in index


def test_pages_are_self_contained(rendered):
    tmp, _ = rendered
    for page in (tmp / "reports" / "html").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc\s*=", text, flags=re.I), page.name
        assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", text, flags=re.I), page.name
        assert "@font-face{font-family:'EmbeddedCJK';src:url(data:font/woff;base64," in text, page.name
    chart = (tmp / "reports" / "html" / "00-chart.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in chart


def test_embedded_font_comes_first_in_the_stack(rendered):
    tmp, _ = rendered
    text = (tmp / "reports" / "html" / "00-chart.html").read_text(encoding="utf-8")
    assert "--jp-content-font-family:'EmbeddedCJK'," in text
    assert "--jp-ui-font-family:'EmbeddedCJK'," in text


def test_report_text_is_escaped(rendered):
    tmp, _ = rendered
    text = (tmp / "reports" / "html" / "00-chart.html").read_text(encoding="utf-8")
    outputs = text[text.index("<main>"):]
    assert "<script>alert(" not in outputs
    assert "&lt;script&gt;alert(" in outputs
    assert outputs.count("&lt;script&gt;alert(") >= 3  # table cell, caption, sentence


def test_code_is_folded_by_default(rendered):
    tmp, _ = rendered
    text = (tmp / "reports" / "html" / "00-chart.html").read_text(encoding="utf-8")
    assert '<details class="helpers-code"><summary>显示代码</summary>' in text
    assert "<details open" not in text
    # every code input sits inside a fold
    n_code = len(re.findall(r'<div [^>]*class="jp-Cell jp-CodeCell', text))
    assert n_code >= 4 and text.count('<details class="helpers-code">') == n_code


def test_rendering_is_reproducible(rendered, tmp_path):
    tmp, _ = rendered
    py = tmp / "notebooks" / "10-plain.py"
    a = render.render_notebook(py, tmp_path / "a.html", processed=tmp / "processed", figures=tmp_path / "f")
    b = render.render_notebook(py, tmp_path / "b.html", processed=tmp / "processed", figures=tmp_path / "f")
    assert a.html.read_bytes() == b.html.read_bytes()


@pytest.mark.parametrize("source,needle", [(ERROR_NB, "boom"), (GLYPH_NB, "missing from font")])
def test_broken_notebook_fails_loudly(tmp_path, source, needle, capsys):
    nb_dir = tmp_path / "notebooks"
    _write(nb_dir, "00-broken", source)
    code = render.main(["--processed", str(_processed(tmp_path)), "--out", str(tmp_path / "reports"),
                        "--notebooks", str(nb_dir)])
    assert code == 1
    assert needle in capsys.readouterr().err
    assert (tmp_path / "reports" / "html" / "00-broken.html").exists()  # still written, to read the failure


def test_missing_processed_tables_is_an_error(tmp_path, capsys):
    assert render.main(["--processed", str(tmp_path / "nothing"), "--out", str(tmp_path / "r")]) == 2
    assert "no processed tables" in capsys.readouterr().err


def test_unknown_profile_is_an_error(tmp_path, capsys):
    assert render.main(["--processed", str(_processed(tmp_path)), "--out", str(tmp_path / "r"),
                        "--profile", "不存在的局"]) == 2


def test_page_chars_ignores_markup_and_resolves_entities():
    chars = render.page_chars("<style>.x{content:'样'}</style><p title='属'>公开&amp;&#x4E2D;</p>")
    assert chars == {"公", "开", "中"}


def test_font_subset_covers_page_characters():
    css = render.font_css({"衡", "水"})
    assert "unicode-range:" in css and len(css) < 60_000
    assert render.font_css(set()) == ""


def test_show_table_prints_whole_numbers_without_decimals():
    import pandas as pd

    out = render._whole_numbers(pd.DataFrame({"a": [1.0, None], "b": [1.5, 2.0], "c": ["x", "y"]}))
    assert str(out["a"].dtype) == "Int64" and out["b"].dtype.kind == "f"


PROFILE_NB = '''
# %% [markdown]
# # 机关档案

# %% tags=["parameters"]
processed = None
agency = None

# %%
from helpers.render import say
say("机关：{a}", a=agency)
'''


def test_profile_on_demand_renders_only_that_agency(tmp_path):
    processed = _processed(tmp_path)
    reports = store.empty_frame("reports")
    reports.loc[0, ["report_id", "agency", "status"]] = ["r1", "衡水市交通运输局", "ok"]
    reports.loc[1, ["report_id", "agency", "status"]] = ["r2", "衢州市交通运输局", "ok"]
    reports.to_csv(processed / "reports.csv", index=False)
    nb_dir = tmp_path / "notebooks"
    _write(nb_dir, render.PROFILE_NOTEBOOK, PROFILE_NB)
    _write(nb_dir, "10-plain", PLAIN_NB)
    assert render.agencies(processed) == ["衡水市交通运输局", "衢州市交通运输局"]
    out = tmp_path / "reports"
    assert render.main(["--processed", str(processed), "--out", str(out), "--notebooks", str(nb_dir),
                        "--profile", "衢州市交通运输局"]) == 0
    pages = sorted(p.relative_to(out / "html").as_posix() for p in (out / "html").rglob("*.html"))
    assert pages == ["index.html", "profiles/衢州市交通运输局.html"]
    text = (out / "html" / "profiles" / "衢州市交通运输局.html").read_text(encoding="utf-8")
    assert "机关：衢州市交通运输局" in text and "<title>机关档案：衢州市交通运输局</title>" in text
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="profiles/衢州市交通运输局.html"' in index


def test_index_links_profile_charts_to_their_page(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from helpers import plotting

    out = tmp_path / "reports"
    (out / "html" / "profiles").mkdir(parents=True)
    (out / "html" / "profiles" / "某局.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setenv(plotting.NOTEBOOK_ENV, render.PROFILE_NOTEBOOK)
    monkeypatch.setenv(plotting.PAGE_ENV, "profiles/某局.html")
    plotting.setup_plotting()
    fig, ax = plt.subplots()
    ax.bar(["甲"], [1])
    ax.set_title("某局：一件")
    plotting.save_figure(fig, "profile-某局-requests", pd.DataFrame({"n": [1]}), source="来源：某局",
                         out_dir=out / "figures")
    plt.close(fig)
    index = render.write_index(out, tmp_path / "no-notebooks").read_text(encoding="utf-8")
    assert "机关档案中的图表（1）" in index
    assert '<a href="profiles/某局.html">90-agency-profile</a>' in index
