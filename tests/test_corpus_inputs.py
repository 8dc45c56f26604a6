"""The corpus stage's narrow inputs, kept per segment: the same frames as reading the staged tables."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import varied_reports
from helpers import audit, corpus, corpus_inputs, segments, store
from helpers.build import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A varied corpus (seeds, synthetic reports, thinned and cut copies, one bad file) in many shards."""
    root = tmp_path_factory.mktemp("narrow")
    raw = root / "raw"
    raw.mkdir()
    for name, data in varied_reports(root / "synth", 30, seed=3, rng_seed=5).items():
        (raw / name).write_bytes(data)
    (raw / "broken.txt").write_bytes(b"\x00\x01" * 50)
    out, cache = root / "out", root / "cache"
    build(raw, out, jobs=1, quiet=True, cache_dir=cache, shard_size=4)
    return out, sorted(m.parent for m in cache.rglob("meta.pkl"))


def _steps():
    for t, cols in audit.CORPUS_COLUMNS.items():
        yield t, cols, audit.CORPUS_FILTERS.get(t)
    for t, cols in corpus_inputs.SIMILARITY.items():
        yield t, cols, None


def _in_table_order(segs):
    """The segments in the order the build assembled them (the cache names them by key, not by order)."""
    first = {s: min(segments.read_meta(s).rid_years, default="") for s in segs}
    return sorted(segs, key=first.get)


def test_narrow_files_give_the_frames_the_staged_tables_give(built):
    out, segs = built
    ordered = _in_table_order(segs)
    assert len(ordered) > 5
    for table, cols, filters in _steps():
        got = corpus_inputs.read(ordered, table, cols, filters)
        want = store.read_table(out, table, cols=cols, filters=filters)
        assert got is not None, table
        assert len(got) and (filters is None or len(got) < len(store.read_table(out, table, cols=cols)))
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), obj=table)
        assert list(got.dtypes) == list(want.dtypes)


def test_a_segment_without_narrow_files_falls_back_to_the_tables(built, tmp_path):
    out, segs = built
    ordered = _in_table_order(segs)
    copies = []
    for n, s in enumerate(ordered):
        dst = tmp_path / f"{n:03d}"
        shutil.copytree(s, dst)
        copies.append(dst)
    shutil.rmtree(copies[2] / corpus_inputs.FOLDER)
    assert corpus_inputs.read(copies, "problems", corpus_inputs.SIMILARITY["problems"]) is None
    got = corpus._inputs(out, copies, "problems", corpus_inputs.SIMILARITY["problems"])
    pd.testing.assert_frame_equal(got, store.read_table(out, "problems", cols=corpus_inputs.SIMILARITY["problems"]))
    (copies[1] / corpus_inputs.FOLDER / "problems.arrow").write_bytes(b"damaged")
    shutil.copytree(ordered[2] / corpus_inputs.FOLDER, copies[2] / corpus_inputs.FOLDER)
    assert corpus_inputs.read(copies, "problems", corpus_inputs.SIMILARITY["problems"]) is None


def test_a_step_asking_for_more_than_is_kept_is_not_served_from_them(built):
    out, segs = built
    assert corpus_inputs.read(segs, "problems", ["report_id", "raw"]) is None  # a column not kept
    assert corpus_inputs.read(segs, "requests", ["report_id", "value"], None) is None  # rows not kept
    assert corpus_inputs.read(segs, "warnings", ["report_id"]) is None  # a table not kept


def test_needs_is_the_union_of_the_steps(monkeypatch):
    monkeypatch.setattr(corpus_inputs, "_audit_needs", lambda: (
        {"reports": ["report_id", "agency", "status"], "requests": ["report_id", "value"]},
        {"requests": [("row", "=", "total")], "reports": [("status", "=", "ok")]}))
    monkeypatch.setattr(corpus_inputs, "SIMILARITY", {"reports": ["report_id", "year"], "problems": ["text"]})
    got = corpus_inputs.needs()
    assert got["reports"] == (["report_id", "agency", "status", "year"], None)  # filtered for one step only
    assert got["requests"] == (["report_id", "value"], [("row", "=", "total")])
    assert got["problems"] == (["text"], None)


def test_the_build_reads_the_narrow_files(built, tmp_path, monkeypatch):
    """The corpus stage takes its inputs from the segments, not from the staged Parquet."""
    out, _ = built
    raw = tmp_path / "raw"
    shutil.copytree(out.parent / "raw", raw)
    read_from_tables = []
    real = store.read_table
    monkeypatch.setattr(store, "read_table", lambda *a, **k: read_from_tables.append(a[1]) or real(*a, **k))
    build(raw, tmp_path / "out", jobs=1, quiet=True, cache_dir=False, shard_size=4)
    assert read_from_tables == []
    pd.testing.assert_frame_equal(real(tmp_path / "out", "checks"), real(out, "checks"))
    pd.testing.assert_frame_equal(real(tmp_path / "out", "similar_problems"), real(out, "similar_problems"))


@pytest.mark.parametrize("overlap_max", [0, 10 ** 6])
def test_at_scale_the_two_corpus_steps_run_one_after_the_other(built, tmp_path, monkeypatch, overlap_max):
    """Beyond OVERLAP_MAX_REPORTS the carry-over checks wait for the similarity child (memory first); below
    it they run meanwhile. The tables are the same either way."""
    out, _ = built
    events = []
    real_result, real_checks = corpus._similarity_result, audit.corpus_checks
    monkeypatch.setattr(corpus, "_similarity_result", lambda *a: events.append("similarity done") or real_result(*a))
    monkeypatch.setattr(audit, "corpus_checks", lambda t: events.append("checks") or real_checks(t))
    monkeypatch.setattr(corpus, "OVERLAP_MAX_REPORTS", overlap_max)
    build(out.parent / "raw", tmp_path / "out", jobs=2, quiet=True, cache_dir=False, shard_size=4)
    assert events == (["similarity done", "checks"] if overlap_max == 0 else ["checks", "similarity done"])
    for table in ("checks", "similar_problems", "load_errors"):
        pd.testing.assert_frame_equal(store.read_table(tmp_path / "out", table), store.read_table(out, table))
