"""One house style for charts with Chinese labels, and one way to save them reproducibly.

The font is vendored (``fonts/NotoSansSC-Regular.otf``, OFL) and registered by path, so charts render
Chinese on a machine with no CJK font installed. Every chart is saved through :func:`save_figure`, which
writes ``<slug>.png``, ``<slug>.svg``, ``<slug>.csv`` (exactly the plotted numbers) and ``<slug>.json``
(title, source, notebook: what the HTML index lists), byte-identical on every rebuild.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from . import paths

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular.otf"
FONT_FAMILY = "Noto Sans SC"
# Where save_figure writes when no out_dir is given; `helpers render` sets it for each notebook kernel.
FIGURES_ENV = "HELPERS_FIGURES_DIR"
# The notebook that is running (set by `helpers render`), recorded so the index can say who made a chart.
NOTEBOOK_ENV = "HELPERS_NOTEBOOK"
# The HTML page (relative to reports/html) that shows the chart, when it is not <notebook>.html.
PAGE_ENV = "HELPERS_PAGE"

PALETTE = ["#1f5f8b", "#d1495b", "#edae49", "#66a182", "#8d6a9f", "#7f7f7f", "#00798c", "#b9975b"]
FLAG_COLOR = "#b0b0b0"  # bars for small or uncertain numbers
SLUG_RE = re.compile(r"^[\w][\w-]*$")

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": True,  # Noto Sans SC has U+2212
    "svg.hashsalt": "helpers",  # stable clip-path ids
    "svg.fonttype": "path",  # SVG viewable without the font
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (8.0, 4.5),
    "axes.titlesize": 13,
    "axes.titleweight": "normal",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "image.cmap": "Blues",
}


def setup_plotting() -> None:
    """Register the vendored CJK font and apply the house style (idempotent, cheap).

    ``seaborn.set_theme`` resets ``font.sans-serif``; the font is therefore passed inside the theme's rc
    *and* set again afterwards, so nothing in between can undo it.
    """
    if not any(f.fname == str(FONT_FILE) for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(FONT_FILE))
    try:
        import seaborn as sns

        sns.set_theme(style="whitegrid", font=FONT_FAMILY, rc=_RC)
    except ImportError:  # seaborn is a dependency, but the style must not hinge on it
        pass
    plt.rcParams.update(_RC)


def figures_dir(out_dir: str | Path | None = None) -> Path:
    """The folder charts go to: the argument, else $HELPERS_FIGURES_DIR, else reports/figures."""
    return Path(out_dir or os.environ.get(FIGURES_ENV) or paths.FIGURES)


def _title(fig) -> str:
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            text = ax.get_title(loc=loc)
            if text:
                return text
    return ""


def wrap_cjk(text: str, width: int) -> list[str]:
    """Wrap by display width (a CJK character counts two), since matplotlib wraps only at spaces."""
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E7F else 1
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    return lines + [line] if line else lines


def save_figure(fig, slug: str, data: pd.DataFrame, *, source: str, out_dir: str | Path | None = None,
                notebook: str | None = None) -> dict[str, Path]:
    """Write ``<slug>.png/.svg/.csv/.json`` and return their paths.

    ``data`` must hold exactly the numbers drawn (tests compare it with the processed tables); ``source``
    names the reports, and is printed under the chart. Output bytes depend only on the figure and data.
    """
    if not SLUG_RE.match(slug):
        raise ValueError(f"chart slug {slug!r}: use letters, digits, '-' or '_'")
    if not source:
        raise ValueError("save_figure needs a source line naming the reports")
    if not isinstance(data, pd.DataFrame):
        raise TypeError("save_figure needs the plotted numbers as a DataFrame")
    out = figures_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    title = _title(fig)
    if not any(getattr(t, "_helpers_source", False) for t in fig.texts):
        lines = wrap_cjk(source, int(fig.get_figwidth() * 15))
        text = fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=7.5, color="#555555")
        text._helpers_source = True
        fig.tight_layout(rect=(0, (0.12 * len(lines) + 0.05) / fig.get_figheight(), 1, 1))
    with plt.rc_context({"svg.hashsalt": f"helpers-{slug}"}):
        fig.savefig(out / f"{slug}.png", format="png", metadata={"Software": None})
        fig.savefig(out / f"{slug}.svg", format="svg", metadata={"Date": None, "Creator": None})
    data.to_csv(out / f"{slug}.csv", index=False, lineterminator="\n", encoding="utf-8")
    meta = {"slug": slug, "title": title, "source": source,
            "notebook": notebook if notebook is not None else os.environ.get(NOTEBOOK_ENV, ""),
            "page": os.environ.get(PAGE_ENV, "") if notebook is None else "",
            "columns": list(map(str, data.columns)), "rows": len(data)}
    (out / f"{slug}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {ext: out / f"{slug}.{ext}" for ext in ("png", "svg", "csv", "json")}

