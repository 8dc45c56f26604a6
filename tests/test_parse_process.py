"""The parse process of a parallel build: it loads the parser while the main process imports pandas, forks the
workers, and hands back every finished task; when it dies or fails, the build still ends as it should."""
from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap

import pytest

import helpers
from conftest import ROOT, SEED_DIR, assert_same_tables
from helpers import build as build_mod
from helpers import segments
from helpers.build import build

sys.path.insert(0, str(ROOT))
from benchmarks.synth import make_corpus  # noqa: E402

N = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic") / "raw"
    make_corpus(SEED_DIR, root, N)
    return root


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    build(corpus, out, jobs=1, cache_dir=False, quiet=True)
    return helpers.read_processed(out)


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, timeout=300)


def test_pyarrow_converts_without_pandas_and_still_hands_it_over_when_asked():
    r = _python("""
        import sys
        import pyarrow as pa
        from helpers.build import _NoPandas, _pyarrow_without_pandas
        _pyarrow_without_pandas()
        assert "pandas" not in sys.modules and _NoPandas not in sys.meta_path  # the finder is gone again
        a = pa.array(["甲", None]), pa.array([1.5, None]), pa.array([1, 2], type=pa.int64())
        t = pa.table({"s": a[0], "f": a[1]})
        assert "pandas" not in sys.modules, "a conversion imported pandas"
        df = t.to_pandas()  # an explicit use still imports it
        assert "pandas" in sys.modules and df["s"].tolist()[0] == "甲" and df["f"].isna().tolist() == [False, True]
        assert pa.array(df["f"]).null_count == 1  # and a pandas object is read as pandas again (NaN → null)
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_parse_workers_never_import_pandas_and_build_the_same_tables(corpus, tmp_path):
    """In a fresh interpreter (pytest itself has pandas loaded): every task of a two-job build runs in a
    worker without pandas, and the tables equal a one-job build's."""
    marker = tmp_path / "pandas-in-workers.txt"
    r = _python(f"""
        import os, sys
        import helpers.build as b
        real = b._chunk_task

        def spy(*args):
            result = real(*args)  # parses, converts the rows to Arrow, writes them
            with open({str(marker)!r}, "a") as f:
                f.write(f"{{os.getpid()}} {{'pandas' in sys.modules}}\\n")
            return result

        b._chunk_task = spy
        s = b.build({str(corpus)!r}, {str(tmp_path / "parallel")!r}, jobs=2, cache_dir=False, quiet=True)
        print(s.schedule, s.n_parsed, "pandas" in sys.modules)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["runs", "of", "files", str(N), "True"]  # the main process has it, for the corpus stage
    seen = [line.split() for line in marker.read_text().splitlines()]
    assert len(seen) == -(-N // build_mod.CHUNK_SIZE) and {flag for _, flag in seen} == {"False"}
    assert str(os.getpid()) not in {pid for pid, _ in seen}
    serial = tmp_path / "serial"
    build(corpus, serial, jobs=1, cache_dir=False, quiet=True)
    assert_same_tables(helpers.read_processed(tmp_path / "parallel"), helpers.read_processed(serial))


def test_a_dead_parse_process_leaves_the_build_to_the_main_process(corpus, serial, tmp_path, monkeypatch, capfd):
    before = set(mp.active_children())  # (a local Dask cluster of another test may still be winding down)
    monkeypatch.setattr(build_mod, "_warm_up", lambda: os._exit(3))  # runs in the parse process only
    s = build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True)
    assert s.schedule == "one process" and s.n_parsed == N
    assert "the parse process died; continuing in this one" in capfd.readouterr().err
    assert_same_tables(helpers.read_processed(tmp_path / "out"), serial)
    assert set(mp.active_children()) <= before


def test_a_failure_in_a_worker_is_raised_by_the_build_with_where_it_happened(corpus, tmp_path, monkeypatch):
    def broken(*_):
        raise ValueError("cannot encode this shard")

    monkeypatch.setattr(segments, "write_segment", broken)
    before = set(mp.active_children())
    with pytest.raises(ValueError, match="cannot encode this shard") as info:
        build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True)
    note = "\n".join(getattr(info.value, "__notes__", []))
    assert "raised in the parse process" in note and "_encode_task" in note
    assert set(mp.active_children()) <= before
    assert not (tmp_path / "out" / "reports.csv").exists()


def test_nothing_to_parse_stops_the_parse_process_at_once(corpus, serial, tmp_path):
    out = tmp_path / "out"
    before = set(mp.active_children())
    assert build(corpus, out, jobs=2, quiet=True).schedule == "runs of files"
    again = build(corpus, out, jobs=2, quiet=True)
    assert again.schedule == "nothing to parse" and again.n_cached == N
    assert list(again.phases)[:2] == ["start", "scan"]
    assert set(mp.active_children()) <= before
    assert_same_tables(helpers.read_processed(out), serial)


def test_closing_the_pipe_is_enough_to_end_a_waiting_parse_process():
    """No signal needed (one can be lost, or handled by whatever the main process installed): the parse
    process must not hold the main process's end of the pipe, or it would wait for shards forever."""
    parser = build_mod._ParseProcess(2)
    parser.conn.close()
    parser.proc.join(timeout=60)
    assert parser.proc.exitcode == 0


_WORKER_LOG = None  # set by the test below, inherited by the forked processes


def _kill_the_parse_process(*_):
    """A worker's task (module-level, so that it pickles) that kills the process that forked it."""
    import signal
    import time

    with open(_WORKER_LOG, "a") as f:
        f.write(f"{os.getpid()}\n")
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(20)  # the kernel's SIGTERM ends this worker long before
    os._exit(1)  # (if it did not, the test fails, and leaves no process behind to hang the run)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()  # a zombie has exited
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_workers_die_with_a_killed_parse_process_and_the_build_still_ends(corpus, serial, tmp_path, monkeypatch,
                                                                          capfd):
    """The parse process killed outright mid-build (as the kernel does when memory runs out): its workers must
    not wait for tasks forever, and the main process builds what is left."""
    import time

    pids = tmp_path / "workers.txt"
    monkeypatch.setattr(sys.modules[__name__], "_WORKER_LOG", pids)
    monkeypatch.setattr(build_mod, "_chunk_task", _kill_the_parse_process)
    s = build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True)
    assert s.schedule == "one process" and s.n_parsed == N
    assert "the parse process died" in capfd.readouterr().err
    assert_same_tables(helpers.read_processed(tmp_path / "out"), serial)
    workers = [int(p) for p in pids.read_text().split()]
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(map(_alive, workers))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc")
def test_ctrl_c_stops_every_process_with_one_line(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) during the parse: exit 130 with one line, no
    traceback per process, and no worker left waiting for tasks (they ignore Ctrl-C; their parent stops them)."""
    import signal
    import time

    raw = tmp_path / "raw"
    make_corpus(SEED_DIR, raw, 300)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = subprocess.Popen([sys.executable, "-m", "helpers", "build", str(raw), "--out", str(tmp_path / "out"),
                          "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    workers: list[str] = []
    while not workers and time.monotonic() < deadline:  # the parse process's children: the pool is working
        parse = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        workers = [w for x in parse for w in
                   subprocess.run(["pgrep", "-P", x], capture_output=True, text=True).stdout.split()]
        time.sleep(0.05)
    assert workers, "the build never started its workers"
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith("interrupted") and "Traceback" not in err
    assert not (tmp_path / "out" / "reports.csv").exists()
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split() == []


# ---------------------------------------------------------------------------------------------- streaming
# The main process hands each shard to the parse process as soon as its files are hashed: with enough shards,
# the workers are parsing while the scan goes on. These tests hold the scan back before its last files until a
# worker has shown (by a marker file) that it got a shard; without streaming they would wait in vain.

def _scan_waiting_for(marker, monkeypatch, then=lambda: None, hold_before: int = 2):
    """Make the build's scan stop before its last ``hold_before`` files until ``marker`` exists (60 s at
    most), call ``then()``, and go on; returns a list that gets whether the marker came in time."""
    import time

    real, came = build_mod._scan, []

    def scan(files, index=None):
        for k, entry in enumerate(real(files, index)):
            if k == len(files) - hold_before:
                deadline = time.monotonic() + 60
                while not marker.exists() and time.monotonic() < deadline:
                    time.sleep(0.02)
                came.append(marker.exists())
                then()
            yield entry

    monkeypatch.setattr(build_mod, "_scan", scan)
    return came


def _marking(marker, fail: bool = False):
    real = segments.write_segment

    def write_segment(chunk, dest):
        marker.touch()
        if fail:
            raise ValueError("cannot encode this shard")
        return real(chunk, dest)

    return write_segment


def test_workers_parse_the_first_shards_while_the_scan_goes_on(corpus, serial, tmp_path, monkeypatch):
    marker = tmp_path / "a-shard-was-made"
    came = _scan_waiting_for(marker, monkeypatch)
    monkeypatch.setattr(segments, "write_segment", _marking(marker))
    out = tmp_path / "out"
    s = build(corpus, out, jobs=2, quiet=True, shard_size=1)  # one shard per file: 12 shards, whole shards
    assert came == [True], "no shard was made before the scan ended"
    assert s.schedule == "whole shards" and (s.n_files, s.n_parsed, s.n_cached) == (N, N, 0)
    assert_same_tables(helpers.read_processed(out), serial)
    # what the parse process reported while the scan went on (kept until it had every shard) reached the
    # cache's index: with other shards, every file is found in the cache, none is parsed again
    again = build(corpus, out, jobs=2, quiet=True, shard_size=3)
    assert again.n_cached == N and again.schedule in ("whole shards", "runs of files")
    assert_same_tables(helpers.read_processed(out), serial)


def test_a_failure_while_the_scan_goes_on_is_raised_by_the_build(corpus, tmp_path, monkeypatch):
    marker = tmp_path / "a-worker-failed"
    came = _scan_waiting_for(marker, monkeypatch)
    monkeypatch.setattr(segments, "write_segment", _marking(marker, fail=True))
    before = set(mp.active_children())
    with pytest.raises(ValueError, match="cannot encode this shard") as info:
        build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True, shard_size=1)
    assert came == [True]
    assert "_shard_task" in "\n".join(getattr(info.value, "__notes__", []))
    assert set(mp.active_children()) <= before
    assert not (tmp_path / "out" / "reports.csv").exists()


def test_a_parse_process_dying_while_the_scan_goes_on_leaves_every_shard_to_the_main_process(
        corpus, serial, tmp_path, monkeypatch, capfd):
    import signal

    marker = tmp_path / "a-shard-was-made"

    def kill_it():
        for child in mp.active_children():
            if child.name == "helpers-parse":
                os.kill(child.pid, signal.SIGKILL)
                child.join(30)

    came = _scan_waiting_for(marker, monkeypatch, then=kill_it)
    monkeypatch.setattr(segments, "write_segment", _marking(marker))
    s = build(corpus, tmp_path / "out", jobs=2, cache_dir=False, quiet=True, shard_size=1)
    assert came == [True]
    assert s.schedule == "one process" and (s.n_files, s.n_parsed) == (N, N)
    assert "the parse process died" in capfd.readouterr().err
    assert_same_tables(helpers.read_processed(tmp_path / "out"), serial)


def test_the_parse_process_says_nothing_before_it_has_every_shard(corpus, tmp_path, monkeypatch):
    """Its reports wait until the main process has sent the last shard: were both sending at once, each a
    message larger than the pipe holds, neither would ever read."""
    import time

    marker = tmp_path / "a-shard-was-made"
    monkeypatch.setattr(segments, "write_segment", _marking(marker))
    entries = list(build_mod._scan(build_mod.list_files(corpus)))
    shards = [(tmp_path / f"seg{k}", [build_mod._task(e)]) for k, e in enumerate(entries)]
    first = build_mod.WHOLE_SHARDS_FROM * 2  # enough for whole shards: it starts before the last one comes
    parser = build_mod._ParseProcess(2)
    try:
        parser.conn.send((None, build_mod.code_fingerprint(), False))
        for shard in shards[:first]:
            parser.conn.send(shard)
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), "it did not start on the shards it had"
        assert not parser.conn.poll(1.0), "it spoke before it had every shard"
        for shard in shards[first:]:
            parser.conn.send(shard)
        parser.conn.send(None)
        said = []
        while not said or said[-1][0] == "done":
            assert parser.conn.poll(60)
            said.append(parser.conn.recv())
    finally:
        parser.close()
    assert said[-1] == ("end", "whole shards")
    assert sorted(n for _, n, *_ in said[:-1]) == [1] * N
    assert all(segments.read_meta(dest) is not None for dest, _ in shards)
