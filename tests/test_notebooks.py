"""Every notebook executes on the seeds' processed data, and on an empty corpus, without error output or
missing-glyph warnings; the charts each notebook saves hold the numbers :mod:`helpers.charts` computes."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import charts, paths, render, store

pytestmark = pytest.mark.notebooks

NOTEBOOKS = render.notebook_sources(paths.NOTEBOOKS)


def _build_seeds(out):
    try:
        from helpers.build import build
    except ImportError:  # pragma: no cover - only before the loader landed
        pytest.skip("helpers.build is not there yet: cannot make processed tables from the seeds")
    build(paths.RAW, out, jobs=1, cache_dir=False, quiet=True)
    return out


@pytest.fixture(scope="module")
def seeds_processed(tmp_path_factory):
    return _build_seeds(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def empty_processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("empty")
    for name in store.TABLES:
        store.empty_frame(name).to_csv(out / f"{name}.csv", index=False)
    return out


def _params(py, processed):
    if py.stem != render.PROFILE_NOTEBOOK:
        return None
    agencies = render.agencies(processed)
    return {"agency": agencies[0] if agencies else "某机关"}


def test_series_is_complete():
    names = {p.stem for p in NOTEBOOKS}
    assert {"00-corpus-overview", "10-data-quality", "20-enforcement", "30-information-requests",
            "40-hotlines-and-channels", "50-problems-keywords", "90-agency-profile"} <= names
    assert len([c for c in charts.CHARTS.values() if not c.slug.startswith("profile")]) >= 8


@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_seeds(py, seeds_processed, tmp_path):
    params = _params(py, seeds_processed)
    page = render.render_notebook(py, tmp_path / "html" / f"{py.stem}.html", processed=seeds_processed,
                                  figures=tmp_path / "figures", parameters=params, timeout=300)
    assert page.problems == [], page.problems
    text = page.html.read_text(encoding="utf-8")
    assert "missing from font" not in text and "Traceback" not in text
    assert "data:image/png;base64" in text  # at least one chart drawn
    tables = store.Tables(**{n: store.read_table(seeds_processed, n) for n in store.TABLES})
    made = sorted(p.stem for p in (tmp_path / "figures").glob("*.csv"))
    mine = [c for c in charts.CHARTS.values() if c.notebook == py.stem]
    assert made, f"{py.stem} saved no chart"
    for chart in mine:
        kwargs = params or {}
        slug = charts.saved_slug(chart.slug, **kwargs)
        expected = chart.data(tables, **kwargs)
        if expected.empty:
            assert slug not in made
            continue
        assert slug in made, f"{py.stem} did not save {slug}"
        saved = pd.read_csv(tmp_path / "figures" / f"{slug}.csv", keep_default_na=False, na_values=[""],
                            dtype={c: str for c in expected.columns if expected[c].dtype == "str"})
        pd.testing.assert_frame_equal(saved, expected.reset_index(drop=True), check_dtype=False)
        meta = json.loads((tmp_path / "figures" / f"{slug}.json").read_text(encoding="utf-8"))
        assert meta["notebook"] == py.stem and meta["source"].startswith("来源：") and meta["title"]


@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_empty_corpus(py, empty_processed, tmp_path):
    """No reports at all: every notebook still runs and says so in sentences, saving no chart."""
    page = render.render_notebook(py, tmp_path / f"{py.stem}.html", processed=empty_processed,
                                  figures=tmp_path / "figures", parameters=_params(py, empty_processed),
                                  timeout=300)
    assert page.problems == [], page.problems
    assert not list((tmp_path / "figures").glob("*.png"))
