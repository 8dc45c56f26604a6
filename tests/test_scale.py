"""Issue 7: parallel builds equal serial ones, incremental rebuilds reuse the cache, partitions agree."""
from __future__ import annotations

import re
import statistics
import sys

import pandas as pd
import pytest

import helpers
from conftest import ROOT, SEED_DIR, assert_same_tables
from helpers import build as build_mod
from helpers import segments, store
from helpers.build import build

sys.path.insert(0, str(ROOT))
from benchmarks.synth import make_corpus  # noqa: E402

N = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic") / "raw"
    make_corpus(SEED_DIR, root, N, subfolders=4)
    return root


@pytest.fixture(autouse=True)
def fixed_code(monkeypatch):
    """Pin the code fingerprint: the working tree may change under a running test, which would
    (correctly) invalidate the cache and make the cache tests flaky."""
    monkeypatch.setattr(build_mod, "code_fingerprint", lambda: "pinned")


def test_synthetic_corpus_is_labelled_and_distinct(corpus):
    import hashlib

    files = sorted(corpus.rglob("synthetic_*.txt"))
    assert len(files) == N
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in files}) == N
    assert "Synthetic" in (corpus / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("shard_size", [1000, 4])  # one shard: runs of files as tasks; ~10: whole shards
def test_parallel_build_equals_serial_build(corpus, tmp_path, shard_size):
    s1 = build(corpus, tmp_path / "serial", jobs=1, cache_dir=False, quiet=True, shard_size=shard_size)
    s2 = build(corpus, tmp_path / "parallel", jobs=2, cache_dir=False, quiet=True, shard_size=shard_size)
    n_shards = len(build_mod.shard_bounds([rid for rid, _ in build_mod.list_files(corpus)], shard_size))
    assert (n_shards >= build_mod.WHOLE_SHARDS_FROM * 2) == (shard_size == 4)
    assert s1.schedule == "one process"  # whole shards as tasks only with enough of them:
    assert s2.schedule == ("whole shards" if shard_size == 4 else "runs of files")
    assert s1.n_parsed == s2.n_parsed == N
    assert_same_tables(helpers.read_processed(tmp_path / "serial"), helpers.read_processed(tmp_path / "parallel"))
    for t in store.TABLES:  # byte-identical CSV, same row order
        assert (tmp_path / "serial" / f"{t}.csv").read_bytes() == (tmp_path / "parallel" / f"{t}.csv").read_bytes()


def test_incremental_rebuild_parses_only_the_new_file(corpus, tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    out = tmp_path / "out"
    first = build(raw, out, jobs=1, quiet=True)
    assert first.n_cached == 0
    make_corpus(SEED_DIR, raw, 1, start=N, subfolders=4)
    again = build(raw, out, jobs=1, quiet=True)
    assert (again.n_files, again.n_cached) == (N + 1, N)
    fresh = build(raw, tmp_path / "fresh", jobs=1, cache_dir=False, quiet=True)
    assert fresh.n_parsed == again.n_parsed == N + 1
    assert_same_tables(helpers.read_processed(out), helpers.read_processed(tmp_path / "fresh"))


def test_force_and_a_parser_change_ignore_the_cache(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out, jobs=1, quiet=True)
    assert build(corpus, out, jobs=1, quiet=True).n_cached == N
    assert build(corpus, out, jobs=1, force=True, quiet=True).n_cached == 0
    monkeypatch.setattr(build_mod, "code_fingerprint", lambda: "another-parser")
    assert build(corpus, out, jobs=1, quiet=True).n_cached == 0
    assert [p.name for p in (out / ".cache" / "parse").iterdir() if p.is_dir()] == ["another-parser"]  # pruned


def test_parallel_rebuild_reads_runs_of_results_from_packs(corpus, tmp_path):
    """Workers cache a run of files as one pack, not a file per report; the index finds each file's."""
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    out = tmp_path / "out"
    build(raw, out, jobs=2, quiet=True)
    packs = list((out / ".cache" / "parse" / "pinned" / "packs").glob("*.pkl"))
    assert 1 < len(packs) <= -(-N // build_mod.CHUNK_SIZE) + 1
    make_corpus(SEED_DIR, raw, 1, start=N, subfolders=4)
    again = build(raw, out, jobs=2, quiet=True, shard_size=8)  # new shards: every file comes from a pack
    assert (again.n_files, again.n_cached) == (N + 1, N)
    fresh = build(raw, tmp_path / "fresh", jobs=1, cache_dir=False, quiet=True)
    assert_same_tables(helpers.read_processed(out), helpers.read_processed(tmp_path / "fresh"))


def test_packs_stay_small_whatever_the_task_so_a_run_reads_only_its_own(corpus, tmp_path, monkeypatch):
    """A whole-shard task writes packs of at most CHUNK_SIZE files too: remaking that shard later in runs of
    files then reads, per run, the packs of its files, not the whole shard's results each time."""
    import pickle

    from helpers.cache import BuildCache

    monkeypatch.setattr(build_mod, "CHUNK_SIZE", 3)  # (the workers are forked: they see it)
    out = tmp_path / "out"
    assert build(corpus, out, jobs=2, quiet=True, shard_size=6).schedule == "whole shards"
    packs = list((out / ".cache" / "parse" / "pinned" / "packs").glob("*.pkl"))
    sizes = [len(pickle.loads(p.read_bytes())) for p in packs]
    assert max(sizes) <= 3 and sum(sizes) == N
    log = tmp_path / "reads.txt"
    real = BuildCache.read_pack

    def read_pack(self, name):
        with open(log, "a") as f:
            f.write(name + "\n")
        return real(self, name)

    monkeypatch.setattr(BuildCache, "read_pack", read_pack)
    again = build(corpus, out, jobs=2, quiet=True, shard_size=1000)  # one new shard: runs of 3 files
    assert again.schedule == "runs of files" and again.n_cached == N
    reads = log.read_text().split()
    assert len(reads) <= 2 * -(-N // 3)  # a run of 3 files meets at most 2 packs of 3
    assert len(set(reads)) == len(packs)


def test_a_damaged_pack_costs_a_reparse_not_a_result(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out, jobs=1, quiet=True, shard_size=8)
    packs = sorted((out / ".cache" / "parse" / "pinned" / "packs").glob("*.pkl"))
    packs[0].write_bytes(b"not a pickle")
    packs[1].unlink()
    build(corpus, out, jobs=1, quiet=True, shard_size=9)  # other shards: their files are read from the packs
    fresh = build(corpus, tmp_path / "fresh", jobs=1, cache_dir=False, quiet=True)
    assert_same_tables(helpers.read_processed(out), helpers.read_processed(tmp_path / "fresh"))
    assert build(corpus, out, jobs=1, quiet=True, shard_size=10).n_cached == N  # the reparsed ones were re-packed


def test_packs_of_removed_files_are_dropped(make_raw, seed_texts, tmp_path):
    a, b = "000_30474365e08353b8.txt", "003_ee300cc618a93e5a.txt"
    raw = make_raw({a: seed_texts[a], b: seed_texts[b]})
    out = tmp_path / "out"
    build(raw, out, jobs=1, quiet=True, shard_size=1)
    folder = out / ".cache" / "parse" / "pinned" / "packs"
    assert len(list(folder.glob("*.pkl"))) == 2
    (raw / a).unlink()
    build(raw, out, jobs=1, quiet=True, shard_size=1)
    assert len(list(folder.glob("*.pkl"))) == 1


def test_a_file_that_could_not_be_read_is_not_cached(make_raw, seed_texts, tmp_path, monkeypatch):
    import pathlib

    name = "000_30474365e08353b8.txt"
    raw = make_raw({name: seed_texts[name]})
    out = tmp_path / "out"
    real = pathlib.Path.read_bytes

    def flaky(self):
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", flaky)
    assert build(raw, out, jobs=1, quiet=True).n_failed == 1
    monkeypatch.setattr(pathlib.Path, "read_bytes", real)
    s = build(raw, out, jobs=1, quiet=True, force=False, shard_size=2)
    assert (s.n_cached, s.n_parsed, s.n_failed) == (0, 1, 0)


def test_cached_result_is_reused_for_a_renamed_file(make_raw, seed_texts, tmp_path):
    name = "000_30474365e08353b8.txt"
    cache = tmp_path / "cache"
    build(make_raw({name: seed_texts[name]}, "a"), tmp_path / "a", jobs=1, cache_dir=cache, quiet=True)
    s = build(make_raw({"renamed.txt": seed_texts[name]}, "b"), tmp_path / "b", jobs=1, cache_dir=cache, quiet=True)
    assert s.n_cached == 1
    t = helpers.read_processed(tmp_path / "b")
    for table in ("reports", "requests", "warnings"):
        assert set(t[table]["report_id"]) <= {"renamed.txt"}


def test_year_partitions_hold_the_same_rows(corpus, tmp_path):
    import pyarrow.dataset as ds

    build(corpus, tmp_path / "out", jobs=1, cache_dir=False, quiet=True, shard_size=7)
    whole = helpers.read_processed(tmp_path / "out")
    for table in ("reports", "requests", "checks"):
        part = ds.dataset(tmp_path / "out" / "parquet" / table, format="parquet", partitioning="hive").to_table()
        cols = [c for c in store.columns(table) if c != "year"]
        got = part.to_pandas()[cols].sort_values(cols[:3], kind="stable").reset_index(drop=True)
        want = whole[table][cols].sort_values(cols[:3], kind="stable").reset_index(drop=True)
        assert len(got) == len(want)
        assert list(got["report_id"]) == list(want["report_id"])
    years = {p.name for p in (tmp_path / "out" / "parquet" / "requests").iterdir()}
    assert years == {f"year={y}" for y in whole.reports["year"].dropna().astype(int)}


def test_shard_size_does_not_change_the_output(corpus, tmp_path):
    build(corpus, tmp_path / "a", jobs=1, cache_dir=False, quiet=True, shard_size=3)
    build(corpus, tmp_path / "b", jobs=1, cache_dir=False, quiet=True, shard_size=1000)
    assert_same_tables(helpers.read_processed(tmp_path / "a"), helpers.read_processed(tmp_path / "b"))


def test_adding_one_file_reassembles_only_its_shard(corpus, tmp_path, monkeypatch):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    out = tmp_path / "out"
    build(raw, out, jobs=1, quiet=True, shard_size=4)
    bounds = build_mod.shard_bounds(sorted(rid for rid, _ in build_mod.list_files(raw)), 4)
    assert len(bounds) > 3
    assembled = []
    real = segments.write_segment
    monkeypatch.setattr(segments, "write_segment", lambda chunk, dest: assembled.append(1) or real(chunk, dest))
    make_corpus(SEED_DIR, raw, 1, start=N, subfolders=4)
    build(raw, out, jobs=1, quiet=True, shard_size=4)
    assert 1 <= len(assembled) <= 2  # the new file's shard (split in two if its id ends a shard)
    parts = list((out / "parquet" / "requests").rglob("*.parquet"))
    linked = [p for p in parts if p.stat().st_nlink > 1]  # the other shards' parts: links into the cache
    assert len(linked) >= len(parts) - 2 * len(assembled) * 10 and len(linked) > len(parts) / 2
    fresh = build(raw, tmp_path / "fresh", jobs=1, cache_dir=False, quiet=True, shard_size=4)
    assert fresh.n_parsed == N + 1
    assert_same_tables(helpers.read_processed(out), helpers.read_processed(tmp_path / "fresh"))


def test_dask_local_cluster_gives_the_same_tables(corpus, tmp_path):
    pytest.importorskip("distributed")
    from dask.distributed import Client, LocalCluster

    from benchmarks.dask_example import build_with_dask

    with Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)) as client:
        summary = build_with_dask(str(corpus), str(tmp_path / "dask"), client)
    assert summary.n_parsed == N
    build(corpus, tmp_path / "local", jobs=1, cache_dir=False, quiet=True)
    assert_same_tables(helpers.read_processed(tmp_path / "dask"), helpers.read_processed(tmp_path / "local"))


def test_an_edited_file_is_reparsed(make_raw, seed_texts, tmp_path):
    name = "000_30474365e08353b8.txt"
    raw = make_raw({name: seed_texts[name], "b.txt": seed_texts["003_ee300cc618a93e5a.txt"]})
    out = tmp_path / "out"
    build(raw, out, jobs=1, quiet=True)
    (raw / name).write_text(seed_texts[name].replace("衡水市", "邢台市"), encoding="utf-8")
    s = build(raw, out, jobs=1, quiet=True)
    assert s.n_cached == 1  # b.txt only
    agencies = helpers.read_processed(out).reports.set_index("report_id")["agency"]
    assert agencies[name] == "邢台市交通运输局"


def test_corpus_stage_is_reused_when_its_inputs_are_unchanged(corpus, tmp_path, monkeypatch):
    import shutil

    from helpers import audit, similarity

    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    out = tmp_path / "out"
    calls = []
    real_sim, real_checks = similarity.similar_problems, audit.corpus_checks
    monkeypatch.setattr(similarity, "similar_problems", lambda *a, **k: calls.append("sim") or real_sim(*a, **k))
    passed = []
    monkeypatch.setattr(audit, "corpus_checks", lambda t: calls.append("checks") or passed.append(len(t["reports"]))
                        or real_checks(t))
    build(raw, out, jobs=1, quiet=True)
    first = helpers.read_processed(out)
    assert sorted(calls) == ["checks", "sim"] and len(first.similar_problems)
    calls.clear()
    build(raw, out, jobs=1, quiet=True)  # nothing changed: neither step runs again
    assert calls == []
    assert_same_tables(first, helpers.read_processed(out))
    make_corpus(SEED_DIR, raw, 1, start=N, subfolders=4)  # a new report: both run, as in a fresh build…
    build(raw, out, jobs=1, quiet=True)
    assert sorted(calls) == ["checks", "sim"]
    assert passed[0] == N and 1 <= passed[-1] < N  # …but the carry-over check only for the new report's agency
    fresh = build(raw, tmp_path / "fresh", jobs=1, cache_dir=False, quiet=True)
    assert fresh.n_parsed == N + 1
    assert_same_tables(helpers.read_processed(out), helpers.read_processed(tmp_path / "fresh"))


def test_corpus_stage_reads_only_narrow_columns(corpus, tmp_path, monkeypatch):
    from helpers import audit

    seen = {}
    real = audit.corpus_checks
    monkeypatch.setattr(audit, "corpus_checks", lambda t: seen.update({k: list(v.columns) for k, v in t.items()})
                        or real(t))
    build(corpus, tmp_path / "out", jobs=1, cache_dir=False, quiet=True)
    assert seen["requests"] == audit.CORPUS_COLUMNS["requests"]  # no raw text, no line numbers
    assert "raw" not in seen["disclosure"] and "title" not in seen["reports"]


def test_corpus_checks_follow_the_per_report_checks_in_order(corpus, tmp_path):
    build(corpus, tmp_path / "out", jobs=1, cache_dir=False, quiet=True, shard_size=5)
    checks = helpers.read_processed(tmp_path / "out").checks
    corpus_rows = (checks["check"] == "carryover_continuity").to_numpy()
    assert corpus_rows.sum() >= N  # the corpus rows are there…
    first = corpus_rows.argmax()
    assert corpus_rows[first:].all()  # …after every per-report row…
    assert checks["report_id"][:first].is_monotonic_increasing  # …each block in report_id order
    assert checks["report_id"][first:].is_monotonic_increasing
    csv = pd.read_csv(tmp_path / "out" / "checks.csv", dtype=str, keep_default_na=False)
    assert csv["report_id"].tolist() == checks["report_id"].tolist()  # the CSV in the same order


def test_tables_read_back_in_csv_order_from_many_parts(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out, jobs=2, cache_dir=False, quiet=True, shard_size=3)
    assert len(list((out / "parquet" / "requests").rglob("part-*.parquet"))) > 5
    t = helpers.read_processed(out)
    for table in store.TABLES:
        kinds = dict(store.SCHEMA[table])
        csv = pd.read_csv(out / f"{table}.csv", dtype={c: store.PANDAS_DTYPES[k] for c, k in kinds.items()},
                          keep_default_na=False, na_values={c: [""] for c, k in kinds.items() if k != store.STR})
        pd.testing.assert_frame_equal(t[table], csv, obj=table)
    # narrowed reads (the corpus stage's) from many parts give the CSV's rows too, in its order
    import shutil

    from helpers import audit

    csv_only = tmp_path / "csv_only"
    csv_only.mkdir()
    for table in ("requests", "disclosure", "reports"):
        shutil.copy(out / f"{table}.csv", csv_only)
        cols, filters = audit.CORPUS_COLUMNS[table], audit.CORPUS_FILTERS.get(table)
        got = store.read_table(out, table, cols=cols, filters=filters)
        assert 0 < len(got) < len(t[table]) or filters is None
        pd.testing.assert_frame_equal(got, store.read_table(csv_only, table, cols=cols, filters=filters), obj=table)


def test_corpus_step_key_changes_with_any_cell():
    from helpers import corpus

    df = pd.DataFrame({"report_id": ["a", "b"], "text": ["一是公开不够", "二是解读单一"], "line_start": [3, 9]})
    key = corpus._frames_key("similar_problems", {"problems": df})
    assert key == corpus._frames_key("similar_problems", {"problems": df.copy()})
    edited = df.copy()
    edited.loc[1, "text"] = "二是解读单二"
    assert corpus._frames_key("similar_problems", {"problems": edited}) != key
    assert corpus._frames_key("similar_problems", {"problems": df[["text", "report_id", "line_start"]]}) != key
    assert corpus._frames_key("other_step", {"problems": df}) != key


def test_a_dying_similarity_worker_is_a_load_error_not_a_lost_build(corpus, tmp_path, monkeypatch):
    """With --jobs 2 recycled text runs in a forked child; if it dies, the build says so and keeps the rest."""
    import os

    from helpers import similarity

    monkeypatch.setattr(similarity, "similar_problems", lambda *a, **k: os._exit(3))
    summary = build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True)
    assert summary.n_parsed == N
    t = helpers.read_processed(tmp_path / "out")
    err = t.load_errors.set_index("error").loc["WorkerDied"]
    assert err["stage"] == "similarity" and "exited with code 3" in err["detail"]
    assert t.similar_problems.empty and len(t.requests) and (t.checks["check"] == "carryover_continuity").any()


@pytest.mark.parametrize("cached", [False, True], ids=["no cache", "per-agency cache"])
def test_a_crashing_carryover_check_is_a_load_error_not_a_lost_build(corpus, tmp_path, monkeypatch, cached):
    """A corpus-level function that raises costs only its own rows: the build names it in load_errors."""
    from helpers import audit

    def crash(tables):
        raise ValueError("no agency column")

    monkeypatch.setattr(audit, "corpus_checks", crash)
    cache_dir = tmp_path / "cache" if cached else False
    summary = build(corpus, tmp_path / "out", jobs=1, cache_dir=cache_dir, quiet=True)
    assert summary.n_parsed == N
    t = helpers.read_processed(tmp_path / "out")
    err = t.load_errors.set_index("error").loc["ValueError"]
    assert err["stage"] == "audit" and err["file"] == ""
    assert err["detail"].startswith("corpus stage audit.corpus_checks: ValueError: no agency column (at ")
    assert not (t.checks["check"] == "carryover_continuity").any() and len(t.requests) and len(t.similar_problems)


def test_a_parallel_build_assembles_the_tables_while_the_corpus_stage_computes(corpus, tmp_path, monkeypatch):
    """The assembly (a forked child) waits for the carry-over checks (here) to have started: run one after
    the other, it would wait in vain (60 s) and say so."""
    import time

    from helpers import audit

    started, seen = tmp_path / "checks-started", tmp_path / "assembly-saw-it"
    real_assemble, real_checks = segments.assemble, audit.corpus_checks

    def assemble(*a, **k):
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.write_text(str(started.exists()))
        return real_assemble(*a, **k)

    monkeypatch.setattr(segments, "assemble", assemble)
    monkeypatch.setattr(audit, "corpus_checks", lambda t: started.touch() or real_checks(t))
    s = build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True, shard_size=4)
    assert seen.read_text() == "True"
    assert list(s.phases) == ["start", "scan", "parse and encode", "assemble and corpus stage", "commit",
                              "cache upkeep"]
    serial = tmp_path / "serial"
    monkeypatch.undo()
    monkeypatch.setattr(build_mod, "code_fingerprint", lambda: "pinned")
    assert list(build(corpus, serial, jobs=1, cache_dir=False, quiet=True).phases)[2:4] == ["assemble",
                                                                                           "corpus stage"]
    assert_same_tables(helpers.read_processed(tmp_path / "out"), helpers.read_processed(serial))
    for table in store.TABLES:  # byte for byte: the corpus rows still follow the assembled ones
        assert (tmp_path / "out" / f"{table}.csv").read_bytes() == (serial / f"{table}.csv").read_bytes()


def test_a_failed_assembly_fails_the_build_and_writes_nothing(corpus, tmp_path, monkeypatch, capfd):
    def broken(*a, **k):
        raise OSError("no space left on device (pretend)")

    monkeypatch.setattr(segments, "assemble", broken)  # runs in the forked child
    with pytest.raises(RuntimeError, match="assembling the tables in .* failed"):
        build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True)
    assert "no space left on device (pretend)" in capfd.readouterr().err  # the child's traceback
    assert not (tmp_path / "out" / "reports.csv").exists()


def test_make_bench_runs_end_to_end_on_a_tiny_corpus(tmp_path):
    """`make bench` is a user-facing command: it must run and print its table (figures are not asserted)."""
    import subprocess

    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "12", "--jobs", "2",
                          "--no-tokens", "--similarity-sizes", ""], capture_output=True, text=True, timeout=600,
                         cwd=ROOT, env={**__import__("os").environ, "TMPDIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "[12] one job:" in out.stdout and "the parallel phase, parse and encode" in out.stdout
    assert "[12] speed-up on 2 cores, median of 3 pairs:" in out.stdout
    assert "[12] loading: requests into pandas" in out.stdout
    # a short build is repeated, each time after a floor of its own, and the median ratio reported
    runs = re.search(r"\[12\] 3 builds from scratch, each after its floor: (.*); median", out.stdout)
    assert runs, out.stdout
    ratios = [float(r) for r in re.findall(r"= ([0-9.]+)×", runs.group(1))]
    row = [ln for ln in out.stdout.splitlines() if ln.split()[:1] == ["12"]]
    assert len(ratios) == 3 and len(row) == 1 and len(row[0].split()) == 9
    assert abs(float(row[0].split()[5]) - statistics.median(ratios)) <= 0.1
    speed = re.search(r"\[12\] machine pace: plain jieba.lcut (\d+) k chars/s", out.stdout)
    assert speed and int(speed.group(1)) > 0 and row[0].split()[8] == speed.group(1)
    assert "; parsed in runs of files" in out.stdout  # the build says how it scheduled the files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("helpers-bench")]  # temp folders removed
