"""Notebooks → executed → self-contained reader HTML, plus an index of every notebook and chart.

``python -m helpers render --processed DIR --out reports [--profile AGENCY]``:

* every ``notebooks/NN-name.py`` (jupytext percent) is executed with ``processed=DIR`` injected into its
  ``parameters`` cell (cwd = notebooks/, no timing metadata, stable cell ids) and written to
  ``<out>/html/NN-name.html``; ``90-agency-profile`` runs once per agency (``<out>/html/profiles/<agency>.html``),
  or only for ``--profile``;
* the HTML has no external scripts, embeds every image and a subset of Noto Sans SC (first in the CSS font
  stack, so Chinese renders on a machine with no CJK font), and folds code under a toggle;
* any error output or missing-glyph warning in a notebook makes the command exit 1 (after rendering what it
  can, so the failing page can be read).

The display helpers :func:`show_table` and :func:`say` are for notebooks: they escape report text, so a
report containing ``<script>`` prints as text and never runs in the page.
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, plotting
from .charts import slugify

TEMPLATE = Path(__file__).resolve().parent / "templates" / "offline.html.j2"
PROFILE_NOTEBOOK = "90-agency-profile"
NOTEBOOK_RE = re.compile(r"^\d\d-[\w-]+\.py$")
FONT_MARKER = "<!-- helpers:font -->"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
BAD_OUTPUT = ("missing from font", "findfont: Font family")
CJK_RANGE = "U+2E80-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF,U+20000-2FA1F,U+3000-303F"


# ---------------------------------------------------------------------------------------------- notebooks
def show_table(df, caption: str | None = None, max_rows: int = 500) -> None:
    """Show a table: a scrollable, escaped HTML table in rendered pages; itables when exploring in Lab."""
    from IPython.display import HTML, display

    if caption:
        display(HTML(f'<div class="helpers-caption">{html.escape(caption)}</div>'))
    if df is None or len(df) == 0:
        display(HTML('<p class="helpers-caption"><em>（无数据）</em></p>'))
        return
    if not os.environ.get(plotting.NOTEBOOK_ENV):  # interactive session: browsable, sortable
        try:
            import itables

            itables.show(df, maxBytes=0, allow_html=False)
            return
        except Exception:  # noqa: BLE001 - fall back to the static table
            pass
    df = _whole_numbers(df)
    more = f'<p class="helpers-caption">仅显示前 {max_rows} 行，共 {len(df)} 行。</p>' if len(df) > max_rows else ""
    table = df.head(max_rows).to_html(index=False, escape=True, na_rep="—", border=0,
                                      float_format=lambda v: f"{v:.10g}")  # 98.25 and 1000, not 1000.00
    display(HTML(f'<div class="helpers-table">{table}</div>{more}'))


def _whole_numbers(df):
    """Float columns holding only whole numbers print as integers (4, not 4.0); blanks stay blank."""
    out = df.copy()
    out.columns.name = None  # a pivot's column-axis name would print as a stray header cell
    for c in out.columns:
        col = out[c]
        if col.dtype.kind == "f" and col.notna().any() and (col.dropna() % 1 == 0).all():
            out[c] = col.astype("Int64")
    return out


def say(template: str, **values) -> None:
    """Display a Markdown sentence; ``values`` (report text, names, numbers) are HTML-escaped first."""
    from IPython.display import Markdown, display

    display(Markdown(template.format(**{k: _md_escape(v) for k, v in values.items()})))


def _md_escape(value):
    """Text → safe Markdown (HTML escaped, Markdown syntax backslashed, one line); numbers untouched."""
    if not isinstance(value, str):
        return value
    text = html.escape(value, quote=False).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]|#>])", r"\\\1", text)


# ---------------------------------------------------------------------------------------------- running
@dataclass
class Page:
    """One rendered notebook: where its HTML went and what was wrong with it."""

    name: str
    html: Path
    title: str = ""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def notebook_sources(nb_dir: Path) -> list[Path]:
    return sorted(p for p in Path(nb_dir).glob("*.py") if NOTEBOOK_RE.match(p.name))


def load_notebook(py: Path):
    import jupytext

    nb = jupytext.read(py)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.pop("jupytext", None)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])  # papermill reads cell.metadata.tags on every cell
    return nb


def inject_parameters(nb, parameters: dict):
    """papermill's parameter injection (after the cell tagged ``parameters``), without its timing metadata."""
    from papermill.parameterize import parameterize_notebook

    nb.metadata["papermill"] = {}
    nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    nb.metadata.pop("papermill", None)
    return nb


def stable_ids(nb) -> None:
    """Renumber cell ids (papermill's injected cell gets a random one) so the HTML is reproducible."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:03d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def execute(nb, cwd: Path, *, name: str, figures: Path, timeout: int = 600, page: str = "") -> list[str]:
    """Run ``nb`` in place (cwd ``cwd``); returns the problems found (errors, missing glyphs).

    ``page`` (the HTML path relative to html/) is recorded with each chart so the index can link to it.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    env = {plotting.FIGURES_ENV: str(figures), plotting.NOTEBOOK_ENV: name, plotting.PAGE_ENV: page,
           "MPLBACKEND": INLINE_BACKEND, "PYTHONHASHSEED": "0"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits this process's environment
    problems: list[str] = []
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                allow_errors=False, resources={"metadata": {"path": str(cwd)}})
        client.execute()
    except CellExecutionError as e:
        problems.append(f"cell raised: {_plain(str(e)).strip().splitlines()[-1][:300]}")
    except Exception as e:  # noqa: BLE001 - a dead kernel or timeout is a failed page too
        problems.append(f"execution failed: {type(e).__name__}: {e}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return problems + output_problems(nb)


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def output_problems(nb) -> list[str]:
    """Error outputs and stderr lines that mean a broken page (missing glyphs render as boxes)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {_plain(out.get('evalue', ''))[:200]}")
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            text += json.dumps(out.get("data", {}), ensure_ascii=False) if "data" in out else ""
            for marker in BAD_OUTPUT:
                if marker in text:
                    line = next(ln for ln in text.splitlines() if marker in ln)
                    found.append(f"cell {i}: {line.strip()[:200]}")
    return list(dict.fromkeys(found))


def notebook_title(nb, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return default


# ---------------------------------------------------------------------------------------------- HTML
def to_html(nb, title: str, home: str = "index.html") -> str:
    """Reader HTML of an executed notebook; ``home`` is the index's address relative to the page."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_file=str(TEMPLATE), embed_images=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, sanitize_html=False)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    nav = f'<main>\n<p class="helpers-caption"><a href="{html.escape(home)}">← 全部笔记本与图表</a></p>'
    return embed_font(body.replace("<main>", nav, 1))


def page_chars(page: str) -> set[str]:
    """Every non-ASCII character a reader can see (tags stripped, entities resolved)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return {ch for ch in text if ord(ch) > 0x7F}


def font_css(chars: set[str]) -> str:
    """An @font-face with a WOFF subset of Noto Sans SC for ``chars``, first in JupyterLab's font stacks."""
    if not chars:
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(plotting.FONT_FILE), recalcTimestamp=False)  # no save time: reproducible bytes
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    stack = "'EmbeddedCJK',system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
    return ("<style type=\"text/css\">\n"
            f"@font-face{{font-family:'EmbeddedCJK';src:url(data:font/woff;base64,{data}) format('woff');"
            f"unicode-range:{CJK_RANGE};}}\n"
            f":root{{--jp-content-font-family:{stack};--jp-ui-font-family:{stack};"
            "--jp-code-font-family-default:'EmbeddedCJK',Menlo,Consolas,'DejaVu Sans Mono',monospace;}\n"
            f"body,table,th,td,h1,h2,h3,p,li,summary{{font-family:{stack};}}\n"
            "pre,code{font-family:'EmbeddedCJK',Menlo,Consolas,'DejaVu Sans Mono',monospace;}\n"
            "</style>")


def embed_font(page: str) -> str:
    css = font_css(page_chars(page))
    if FONT_MARKER in page:
        return page.replace(FONT_MARKER, css, 1)
    return page.replace("</head>", css + "\n</head>", 1)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------- index
def thumbnail(png: Path, width: int = 360) -> str:
    from PIL import Image

    with Image.open(png) as im:
        im = im.convert("RGB")
        im.thumbnail((width, width * 2))
        buf = io.BytesIO()
        im.save(buf, format="PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def chart_records(figures: Path) -> list[dict]:
    records = []
    for meta_path in sorted(Path(figures).glob("*.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if (figures / f"{meta.get('slug', '')}.png").exists():
            records.append(meta)
    return records


def _card(m: dict, html_dir: Path, figures: Path) -> str:
    """One chart in the index: thumbnail, slug, title, the page that shows it, and its three files."""
    esc = html.escape
    slug = m["slug"]
    rel = f"../figures/{slug}"
    nb_name = m.get("notebook") or "—"
    page = m.get("page") or f"{nb_name}.html"
    nb_link = f'<a href="{esc(page)}">{esc(nb_name)}</a>' if (html_dir / page).exists() else esc(nb_name)
    return (f'<figure class="card"><a href="{esc(rel)}.png"><img alt="{esc(m.get("title", slug))}" '
            f'src="data:image/png;base64,{thumbnail(figures / f"{slug}.png")}"></a>'
            f'<figcaption><code>{esc(slug)}</code><br>{esc(m.get("title", ""))}<br>'
            f'<span class="small">出自 {nb_link} · <a href="{esc(rel)}.png">PNG</a> · '
            f'<a href="{esc(rel)}.svg">SVG</a> · <a href="{esc(rel)}.csv">CSV（所画数字）</a></span>'
            f"</figcaption></figure>")


def write_index(out: Path, nb_dir: Path) -> Path:
    """``<out>/html/index.html``: every notebook (with its title), every profile, every chart."""
    html_dir, figures = out / "html", out / "figures"
    esc = html.escape
    titles = {}
    for py in notebook_sources(nb_dir):
        titles[py.stem] = notebook_title(load_notebook(py), py.stem)
    rows = []
    for name, title in titles.items():
        page = html_dir / f"{name}.html"
        if name == PROFILE_NOTEBOOK:
            link = "每个机关一页，见下方“机关档案”"
        elif page.exists():
            link = f'<a href="{esc(name)}.html">{esc(name)}.html</a>'
        else:
            link = '<span class="helpers-flag">未生成</span>'
        rows.append(f"<tr><td>{esc(name)}</td><td>{esc(title)}</td><td>{link}</td></tr>")
    profiles = sorted((html_dir / "profiles").glob("*.html"))
    prof = "".join(f'<li><a href="profiles/{esc(p.name)}">{esc(p.stem)}</a></li>' for p in profiles) or \
        "<li>（尚无：语料中没有识别出机关名称）</li>"
    order = {name: i for i, name in enumerate(titles)}
    charts = sorted(chart_records(figures), key=lambda m: (order.get(m.get("notebook", ""), 99), m["slug"]))
    series = [m for m in charts if m.get("notebook") != PROFILE_NOTEBOOK]
    per_agency = [m for m in charts if m.get("notebook") == PROFILE_NOTEBOOK]
    cards = [_card(m, html_dir, figures) for m in series]
    agency_cards = [_card(m, html_dir, figures) for m in per_agency]
    folded = (f"<details><summary>机关档案中的图表（{len(agency_cards)}）</summary><div class=\"grid\">"
              f"{''.join(agency_cards)}</div></details>") if agency_cards else ""
    body = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告：笔记本与图表</title>
<style>
body{{max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}}
table{{border-collapse:collapse}} td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}}
.grid{{display:flex;flex-wrap:wrap;gap:14px}} .card{{width:360px;margin:0;border:1px solid #ddd;padding:6px}}
.card img{{width:100%}} .small{{font-size:12px;color:#555}} .helpers-flag{{color:#b5432f}}
</style>
{FONT_MARKER}
</head><body>
<h1>政府信息公开工作年度报告：笔记本与图表</h1>
<p>每个笔记本回答一个问题；每张图都有同名的 PNG、SVG 和 CSV（CSV 即图中所画的数字），
可用 <code>make report</code> 从 <code>data/raw/</code> 重新生成。</p>
<h2>笔记本（{len(titles)}）</h2>
<table><tr><th>名称</th><th>标题</th><th>页面</th></tr>{''.join(rows)}</table>
<h2>机关档案（{len(profiles)}）</h2><ul>{prof}</ul>
<h2>图表（{len(series)}）</h2>
<div class="grid">{''.join(cards) or '<p>尚无图表。</p>'}</div>
{folded}
</body></html>
"""
    path = html_dir / "index.html"
    write_text(path, embed_font(body))
    return path


# ---------------------------------------------------------------------------------------------- main
def render_notebook(py: Path, out_html: Path, *, processed: Path, figures: Path, parameters: dict | None = None,
                    name: str | None = None, timeout: int = 600) -> Page:
    """Execute one notebook with ``processed`` (and ``parameters``) injected and write its reader HTML."""
    start = time.monotonic()
    name = name or py.stem
    nb = inject_parameters(load_notebook(py), {"processed": str(processed), **(parameters or {})})
    stable_ids(nb)
    page = out_html.name if out_html.parent.name != "profiles" else f"profiles/{out_html.name}"
    problems = execute(nb, py.parent, name=name, figures=figures, timeout=timeout, page=page)
    stable_ids(nb)
    title = notebook_title(nb, name)
    if parameters and "agency" in parameters:
        title = f"{title}：{parameters['agency']}"
    home = "../index.html" if page.startswith("profiles/") else "index.html"
    write_text(out_html, to_html(nb, title, home=home))
    return Page(name=name, html=out_html, title=title, problems=problems, seconds=time.monotonic() - start)


def agencies(processed: Path) -> list[str]:
    from . import charts
    from .store import read_table

    reports = charts.frame({"reports": read_table(processed, "reports")}, "reports")
    reports = reports[reports["status"].isin(charts.REPORT_STATUSES)]
    return sorted({a for a in reports["agency"] if a})


def render_all(processed: Path, out: Path, *, nb_dir: Path | None = None, profile: str | None = None,
               only: list[str] | None = None, timeout: int = 600, log=print) -> list[Page]:
    """Render every notebook (or only ``profile``'s page) and rewrite the index."""
    nb_dir = Path(nb_dir or paths.NOTEBOOKS)
    processed, out = Path(processed).resolve(), Path(out).resolve()
    figures = out / "figures"
    pages: list[Page] = []
    sources = notebook_sources(nb_dir)
    if only:
        sources = [p for p in sources if p.stem in only or p.name in only]
    for py in sources:
        if py.stem == PROFILE_NOTEBOOK:
            for agency in [profile] if profile else agencies(processed):
                page = render_notebook(py, out / "html" / "profiles" / f"{slugify(agency)}.html",
                                       processed=processed, figures=figures, parameters={"agency": agency},
                                       name=py.stem, timeout=timeout)
                pages.append(page)
                log(_status(page))
        elif not profile:
            page = render_notebook(py, out / "html" / f"{py.stem}.html", processed=processed, figures=figures,
                                   timeout=timeout)
            pages.append(page)
            log(_status(page))
    write_index(out, nb_dir)
    return pages


def _status(page: Page) -> str:
    mark = "ok" if not page.problems else f"FAILED ({len(page.problems)} problems)"
    where = page.html.name if page.html.parent.name != "profiles" else f"profiles/{page.html.name}"
    return f"render: {where}  {page.seconds:.1f}s  {mark}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="helpers render", description=__doc__.split("\n\n")[0])
    p.add_argument("--processed", default=str(paths.PROCESSED), help="folder of processed tables")
    p.add_argument("--out", default=str(paths.REPORTS), help="output folder (html/, figures/)")
    p.add_argument("--profile", default=None, help="render only the profile of this agency")
    p.add_argument("--notebooks", default=str(paths.NOTEBOOKS), help="folder of jupytext .py notebooks")
    p.add_argument("--only", nargs="*", default=None, help="render only these notebooks (names)")
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = p.parse_args(argv)
    processed = Path(args.processed)
    if not (processed / "reports.csv").exists() and not (processed / "parquet" / "reports").is_dir():
        print(f"render: no processed tables in {processed} (run `python -m helpers build` first)",
              file=sys.stderr)
        return 2
    if args.profile is not None and args.profile not in agencies(processed):
        known = "、".join(agencies(processed)) or "（无）"
        print(f"render: agency {args.profile!r} is not in the corpus; known: {known}", file=sys.stderr)
        return 2
    pages = render_all(processed, Path(args.out), nb_dir=Path(args.notebooks), profile=args.profile,
                       only=args.only, timeout=args.timeout)
    failed = [pg for pg in pages if pg.problems]
    for pg in failed:
        for problem in pg.problems:
            print(f"render: {pg.html}: {problem}", file=sys.stderr)
    print(f"render: {len(pages)} pages, {len(failed)} failed; index at {Path(args.out) / 'html' / 'index.html'}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
