"""The house style renders Chinese with the vendored font, and saved charts are reproducible."""
from __future__ import annotations

import hashlib
import json
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from helpers import plotting  # noqa: E402

LABELS = ["衡水市交通运输局", "衢州市交通运输局", "湛河区交通运输局"]


def _chart(values=(3, 0, 39)):
    data = pd.DataFrame({"agency": LABELS, "decisions": list(values)})
    fig, ax = plt.subplots()
    ax.barh(data["agency"], data["decisions"])
    ax.set_title("行政许可决定：湛河区最多（−7 为示例）")
    ax.set_xlabel("决定数（件）")
    return fig, data


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_vendored_font_and_licence_present():
    assert plotting.FONT_FILE.stat().st_size > 5_000_000
    licence = (plotting.FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Adobe" in licence


def test_setup_selects_noto_even_after_seaborn_theme():
    plotting.setup_plotting()
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert found == str(plotting.FONT_FILE)
    # a later seaborn call without font args resets font.sans-serif; calling setup again restores it
    sns.set_theme()
    plotting.setup_plotting()
    assert plt.rcParams["font.sans-serif"][0] == plotting.FONT_FAMILY


def test_chinese_labels_emit_no_missing_glyph_warning(tmp_path):
    plotting.setup_plotting()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, data = _chart()
        plotting.save_figure(fig, "test-chart", data, source="来源：三份年度报告", out_dir=tmp_path)
        plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


def test_missing_glyph_warning_is_detectable_without_the_font(tmp_path):
    """Guard for the guard: with DejaVu only, the same chart does warn (so the test above can fail)."""
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, _ = _chart()
            fig.canvas.draw()
            plt.close(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_two_saves_give_identical_bytes(tmp_path):
    plotting.setup_plotting()
    digests = []
    for run in ("a", "b"):
        fig, data = _chart()
        files = plotting.save_figure(fig, "same", data, source="来源：示例", out_dir=tmp_path / run)
        plt.close(fig)
        digests.append({ext: _digest(p) for ext, p in files.items()})
    assert digests[0] == digests[1]
    svg = (tmp_path / "a" / "same.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "<text" not in svg  # no date; glyphs drawn as paths


def test_saved_files_hold_plotted_numbers_and_metadata(tmp_path):
    plotting.setup_plotting()
    fig, data = _chart((5, 1, 2))
    files = plotting.save_figure(fig, "meta", data, source="来源：示例报告", out_dir=tmp_path,
                                 notebook="20-enforcement")
    plt.close(fig)
    back = pd.read_csv(files["csv"])
    assert back["decisions"].tolist() == [5, 1, 2]
    assert back["agency"].tolist() == LABELS
    meta = json.loads(files["json"].read_text(encoding="utf-8"))
    assert meta["title"].startswith("行政许可决定")
    assert meta["notebook"] == "20-enforcement" and meta["source"] == "来源：示例报告"
    assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Matplotlib version" not in files["png"].read_bytes()


def test_different_data_changes_the_png(tmp_path):
    plotting.setup_plotting()
    out = []
    for i, values in enumerate([(1, 2, 3), (1, 2, 30)]):
        fig, data = _chart(values)
        out.append(plotting.save_figure(fig, f"c{i}", data, source="来源", out_dir=tmp_path)["png"])
        plt.close(fig)
    assert _digest(out[0]) != _digest(out[1])


def test_figures_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(plotting.FIGURES_ENV, str(tmp_path / "env"))
    assert plotting.figures_dir() == tmp_path / "env"
    assert plotting.figures_dir(tmp_path) == tmp_path


@pytest.mark.parametrize("slug", ["", "../x", "a b", "x/y"])
def test_bad_slugs_rejected(tmp_path, slug):
    fig, data = _chart()
    with pytest.raises(ValueError):
        plotting.save_figure(fig, slug, data, source="来源", out_dir=tmp_path)
    plt.close(fig)


def test_source_is_required(tmp_path):
    fig, data = _chart()
    with pytest.raises(ValueError):
        plotting.save_figure(fig, "x", data, source="", out_dir=tmp_path)
    plt.close(fig)
