"""The command line, run as a user would: python -m helpers build …; render dispatches to helpers.render."""
from __future__ import annotations

import os
import subprocess
import sys
import types

import pandas as pd

from helpers import cli


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


def test_build_prints_the_summary_and_exits_0_even_with_a_bad_file(make_raw, seed_texts, tmp_path):
    name = "000_30474365e08353b8.txt"
    raw = make_raw({name: seed_texts[name], "broken.txt": b"\x00\x01\x02" * 100})
    out = tmp_path / "out"
    r = run("build", str(raw), "--out", str(out), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "1 reports parsed, 1 failed — see load_errors.csv"
    reports = pd.read_csv(out / "reports.csv")
    assert list(reports["report_id"]) == [name]
    assert list(pd.read_csv(out / "load_errors.csv")["file"]) == ["broken.txt"]
    assert (out / "README.md").exists() and (out / "parquet" / "reports").is_dir()


def test_build_leaves_fast_but_flushes_everything(make_raw, seed_texts, tmp_path):
    """`python -m helpers build` skips the interpreter's teardown (os._exit): its output must still arrive
    whole through a pipe, and its exit code must still be the build's."""
    name = "003_ee300cc618a93e5a.txt"
    raw = make_raw({name: seed_texts[name], "broken.txt": b""})
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    r = run("build", str(raw), "--out", str(tmp_path / "out"), "--timings", "--strict", "--jobs", "1", env=buffered)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "1 reports parsed, 1 failed — see load_errors.csv"
    assert lines[1].startswith("timings: scan") and lines[2].startswith("memory: ") and len(lines) == 3
    assert len(r.stderr.strip().splitlines()) == 1  # the quiet log line
    assert (tmp_path / "out" / "reports.csv").read_text(encoding="utf-8").count("\n") == 2


def test_strict_exits_1_when_a_file_failed(make_raw, tmp_path):
    raw = make_raw({"broken.txt": b""})
    r = run("build", str(raw), "--out", str(tmp_path / "out"), "--strict", "--jobs", "1")
    assert r.returncode == 1
    assert r.stdout.strip() == "0 reports parsed, 1 failed — see load_errors.csv"


def test_strict_exits_0_when_all_parsed(make_raw, seed_texts, tmp_path):
    name = "003_ee300cc618a93e5a.txt"
    raw = make_raw({name: seed_texts[name]})
    r = run("build", str(raw), "--out", str(tmp_path / "out"), "--strict")
    assert r.returncode == 0, r.stderr


def test_not_a_tty_logs_one_quiet_line(make_raw, seed_texts, tmp_path):
    name = "003_ee300cc618a93e5a.txt"
    raw = make_raw({name: seed_texts[name]})
    r = run("build", str(raw), "--out", str(tmp_path / "out"))
    assert len(r.stderr.strip().splitlines()) == 1 and "1 files" in r.stderr and "\r" not in r.stderr


def test_usage_errors(tmp_path):
    assert run("build", str(tmp_path / "missing"), "--out", str(tmp_path / "o")).returncode == 2
    assert run("build", str(tmp_path)).returncode == 2  # --out is required
    assert run("frobnicate").returncode == 2


def test_render_is_dispatched_with_its_own_arguments(monkeypatch):
    seen = {}
    fake = types.ModuleType("helpers.render")
    fake.main = lambda argv: seen.setdefault("argv", argv) and 0
    monkeypatch.setitem(sys.modules, "helpers.render", fake)
    import helpers

    monkeypatch.setattr(helpers, "render", fake, raising=False)
    assert cli.main(["render", "--processed", "p", "--out", "reports"]) == 0
    assert seen["argv"] == ["--processed", "p", "--out", "reports"]


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from helpers import build as build_mod

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = build_mod._progress(10, quiet=False)
    assert bar is not None and bar.total == 10
    bar.close()
    assert build_mod._progress(10, quiet=True) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert build_mod._progress(10, quiet=False) is None


def test_timings_name_every_phase_and_add_up(make_raw, seed_texts, tmp_path, capsys):
    name = "003_ee300cc618a93e5a.txt"
    raw = make_raw({name: seed_texts[name]})
    assert cli.main(["build", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet", "--timings"]) == 0
    out = capsys.readouterr().out.splitlines()
    line = out[1]
    assert out[2].startswith("memory: main process high-water mark after scan ") and "corpus stage" in out[2]
    phases = dict(p.rsplit(" ", 2)[:2] for p in line.removeprefix("timings: ").split("; ")[0].split(", "))
    assert list(phases) == ["scan", "parse and encode", "assemble", "corpus stage", "commit", "cache upkeep"]
    total = float(line.rsplit("total ", 1)[1].split()[0])
    assert sum(map(float, phases.values())) <= total + 0.05
