"""`make bench`: build synthetic corpora (generated from the seeds, in a temp dir) and print the figures.

For each size: wall time of a full `python -m helpers build` (a fresh process, as a user runs it), reports/s,
peak memory (proportional set size of the build process and its workers together, sampled every 0.5 s), the
ratio to a floor measured in the same run, just before the build (reading, decoding and regex-scanning the
same files once, in one process; the faster of two such passes), the time of an incremental rebuild after
adding one report, and the machine's pace just before the floor (plain ``jieba.lcut``, k characters/s: this
machine has slow and fast stretches, and wall times are comparable only at a like pace). A size that builds
in under 10 s is built from scratch three times (``--repeat``), each after a floor of its own, and the
medians reported. The build includes the corpus-level stage (carry-over checks, recycled problems text)
unless ``--no-corpus-stage``. The 10,000 corpus is also built with one job and with ``--jobs``, alternated
three times (``--scaling-pairs``), to show how throughput scales with cores; then what a notebook waits for
on it (a table into pandas, a DuckDB aggregate). Then tokenisation throughput (``bench_tokens``: the keyword
pipeline vs plain ``jieba.lcut``) and recycled-text detection on generated near-copies (``bench_similarity``).
No timing is asserted anywhere; these are measurements.

    .venv/bin/python benchmarks/bench.py                      # issue 7's sizes: 1,000, 10,000, 100,000 (~13 min,
                                                              # ~15 GB in the temp dir while 100,000 is built)
    .venv/bin/python benchmarks/bench.py --sizes 2000,10000   # a quicker run (~4 minutes)
"""
from __future__ import annotations

import argparse
import compileall
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.synth import make_corpus  # noqa: E402

SCAN = re.compile(r"[一二三四五六]、|\d+(?:\.\d+)?|[\t|]")


def floor_seconds(raw: Path, passes: int = 2) -> float:
    """Read, decode and regex-scan every file once: the least any build must do.

    The fastest of ``passes`` passes: the first pass in a process also pays one-time costs (importing codecs
    and the decoder's fallbacks), up to 0.2 s, which flattered the first size's ratio (1,000 reports: a
    floor of 0.28 s instead of 0.15 s)."""
    from helpers.build import list_files
    from helpers.model import LoadError
    from helpers.textio import decode

    best = math.inf
    for _ in range(passes):
        t0 = time.perf_counter()
        n = 0
        for _, path in list_files(raw):
            try:
                text, _ = decode(path.read_bytes())
            except LoadError:
                continue
            n += len(SCAN.findall(text))
        best = min(best, time.perf_counter() - t0)
    return best


def corpus_stage_seconds(out: Path) -> tuple[float, float, int]:
    """(corpus_checks s, similar_problems s, pairs) on a built corpus, in this process, with the same narrow
    inputs the build gives them: what the corpus stage costs inside the build's wall time."""
    from helpers import audit, similarity, store

    t0 = time.perf_counter()
    tables = {t: store.read_table(out, t, filters=audit.CORPUS_FILTERS.get(t), cols=audit.CORPUS_COLUMNS[t])
              for t in ("reports", "requests", "disclosure")}
    audit.corpus_checks(tables)
    t1 = time.perf_counter()
    problems = store.read_table(out, "problems", cols=["report_id", "part", "text", "line_start"])
    reports = store.read_table(out, "reports", cols=["report_id", "agency", "year"])
    pairs = similarity.similar_problems(problems, reports)
    return t1 - t0, time.perf_counter() - t1, len(pairs)


def load_seconds(out: Path) -> str:
    """What a notebook waits for on the built corpus: the largest per-report table into pandas, and a
    DuckDB aggregate over one year of its partitioned Parquet."""
    import duckdb

    from helpers import store

    t0 = time.perf_counter()
    n = len(store.read_table(out, "requests"))
    t1 = time.perf_counter()
    year = int(store.read_table(out, "reports", cols=["year"])["year"].mode().iloc[0])
    pattern = out / "parquet" / "requests" / "**" / "*.parquet"
    t2 = time.perf_counter()
    rows, _ = duckdb.sql(f"select count(*), sum(value) from read_parquet('{pattern}', hive_partitioning=true) "
                         f"where year = {year} and applicant = 'total'").fetchall()[0]
    t3 = time.perf_counter()
    return f"requests into pandas {t1 - t0:.1f} s ({n:,} rows); DuckDB, one year's totals {t3 - t2:.2f} s ({rows:,} rows)"


def load_in_fresh_process(out: Path) -> str:
    """:func:`load_seconds` in a new process, as a notebook kernel would (and so that the 100,000-report
    table does not stay in this process's memory)."""
    code = ("from pathlib import Path; import helpers.store; from benchmarks.bench import load_seconds; "  # the snapshot's helpers
            f"print(load_seconds(Path({str(out)!r})))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(CODE[0]), str(ROOT)]))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    return done.stdout.strip() if done.returncode == 0 else f"failed: {done.stderr.strip().splitlines()[-1:]}"


def _tree_rss(proc) -> int:
    import psutil

    try:
        p = psutil.Process(proc.pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for q in procs:
        try:
            # PSS: pages shared by the forked workers (dictionaries loaded before the fork) count once
            total += getattr(q.memory_full_info(), "pss", None) or q.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


SAMPLE_SECONDS = 0.5
REPEAT_BELOW_SECONDS = 10.0  # builds shorter than this are repeated (--repeat) and their median reported
CODE = [ROOT / "src"]  # replaced by a snapshot in main(), so edits made during a run do not count


def snapshot_code(tmp: Path) -> Path:
    """Copy the package as it is now: the per-file cache key hashes the code, and a working tree that
    changes during the run would turn the incremental rebuild into a full one."""
    dest = tmp / "code"
    shutil.copytree(ROOT / "src" / "helpers", dest / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled once, as an installed package is (and as Python does on first import unless
    # PYTHONDONTWRITEBYTECODE is set, as it is on some CI machines): otherwise every build would compile the
    # package's sources again, about 0.1 s that no user pays twice.
    compileall.compile_dir(str(dest / "helpers"), quiet=1)
    return dest


def timed_build(raw: Path, out: Path, jobs: int, extra: tuple[str, ...] = ()) -> tuple[float, int, str]:
    """(wall seconds, peak bytes of the process tree, summary line) of one CLI build."""
    cmd = [sys.executable, "-m", "helpers", "build", str(raw), "--out", str(out), "--jobs", str(jobs),
           "--quiet", "--timings", *extra]
    env = dict(os.environ, PYTHONPATH=str(CODE[0]))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sample():
        # Reading PSS makes the kernel walk each process's page tables: ~10 ms for a 500 MB worker. At
        # 20 samples a second that took over half a core from a 2-core build, so sample twice a second
        # (the build's memory peaks are phases of seconds, not spikes).
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc))
            time.sleep(SAMPLE_SECONDS)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{stderr}")
    return wall, peak[0], stdout.strip()


def repeated_builds(n: int, raw: Path, out: Path, jobs: int, extra: tuple[str, ...], repeat: int,
                    first: tuple[float, int, float]) -> tuple[float, int, float, float]:
    """(median wall, highest peak, median floor, median ratio) of ``repeat`` builds from scratch, each right
    after a floor of its own; ``first`` is the (wall, peak, floor) of the one already timed.

    A short build is at the mercy of the machine's moods: the same 1,000-report build took 3.2 s and 4.8 s
    within ten minutes on this machine, which moves its ratio to the floor from 20× to 27×, and the floor
    itself drifts (0.16 to 0.42 s on one day). A floor taken just before each build drifts with it, so each
    ratio compares two things measured at the same pace; the median of a few says what the code costs.
    Every run is printed."""
    runs = [first]
    for _ in range(repeat - 1):
        floor = floor_seconds(raw)
        w, p, _ = timed_build(raw, out, jobs, extra)
        shutil.rmtree(out)
        runs.append((w, p, floor))
    ratio = statistics.median(w / f for w, _, f in runs)
    wall, floor = statistics.median(w for w, _, _ in runs), statistics.median(f for _, _, f in runs)
    each = ", ".join(f"{w:.2f} s / {f:.2f} s = {w / f:.1f}×" for w, _, f in runs)
    print(f"[{n}] {repeat} builds from scratch, each after its floor: {each}; median {wall:.2f} s, "
          f"{ratio:.1f}× the floor", flush=True)
    return wall, max(p for _, p, _ in runs), floor, ratio


def speed_up(n: int, raw: Path, out: Path, jobs: int, extra: tuple[str, ...], pairs: int) -> None:
    """How throughput scales with cores: one-job and ``jobs``-job builds from scratch, alternated ``pairs``
    times, and the median of each pair's ratio.

    Why pairs: this machine's speed drifts by up to a third within minutes (the same one-job build of 10,000
    reports took 33 s and 43 s within a quarter of an hour), so a ratio is only meaningful between two
    builds run back to back, and one pair can still land on a change of pace."""
    ratios, phases = [], []
    for k in range(pairs):
        w1, p1, line1 = timed_build(raw, out, 1, extra)
        shutil.rmtree(out)
        w_n, _, line_n = timed_build(raw, out, jobs, extra)
        shutil.rmtree(out)
        parse1, parse_n = _phase(line1, "parse and encode"), _phase(line_n, "parse and encode")
        ratios.append(w1 / w_n)
        phases.append(parse1 / parse_n)
        print(f"[{n}] one job: {w1:.1f} s ({n / w1:.0f} reports/s, peak {p1 / 2**20:.0f} MB); {jobs} jobs: "
              f"{w_n:.1f} s → {w1 / w_n:.2f}× (the parallel phase, parse and encode: {parse1:.1f} → "
              f"{parse_n:.1f} s, {parse1 / parse_n:.2f}×)", flush=True)
    print(f"[{n}] speed-up on {jobs} cores, median of {pairs} pairs: {statistics.median(ratios):.2f}× "
          f"(the parallel phase: {statistics.median(phases):.2f}×)", flush=True)


def _summary(stdout: str) -> str:
    return stdout.splitlines()[0] if stdout else ""


def _timings(stdout: str) -> str:
    """The build's own per-phase wall times (``--timings``)."""
    lines = stdout.splitlines()
    return "\n    ".join(x for x in lines if x.startswith(("timings:", "memory:"))) or "timings: n/a"


def _phase(stdout: str, name: str) -> float:
    """One phase's seconds from the build's ``--timings`` line (nan when absent)."""
    m = re.search(rf"{re.escape(name)} ([0-9.]+) s", stdout)
    return float(m.group(1)) if m else float("nan")


def pace(chars: int = 60_000, repeat: int = 3) -> float:
    """The machine's pace now: plain ``jieba.lcut`` in k characters/s (best of ``repeat``).

    Why: this machine has slow and fast stretches (the same text cut at ~190 k and ~510 k characters/s on
    different days); a pure-CPU figure printed beside each size says which stretch its wall times come from."""
    import logging

    import jieba

    from benchmarks.bench_tokens import interleaved_best, make_rows

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    texts = [r["text"] for r in make_rows(chars, seed=1)]
    best = interleaved_best({"lcut": lambda: [jieba.lcut(t) for t in texts]}, repeat)["lcut"]
    return sum(map(len, texts)) / best / 1000


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 ** 2:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    exe = os.path.realpath(sys.executable)  # (the builds run on it too: how CPython was built matters, see README)
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){mem}, "
            f"Python {platform.python_version()} ({exe})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000",
                    help="comma-separated corpus sizes (default 1000,10000,100000: issue 7's)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-scaling", action="store_true", help="skip the one-job build")
    ap.add_argument("--scaling-at", type=int, default=None,
                    help="the size also built with one job (default 10000 if among --sizes, else the first)")
    ap.add_argument("--no-corpus-stage", action="store_true",
                    help="skip the corpus-level stage (carry-over checks, similar problems text)")
    ap.add_argument("--no-tokens", action="store_true", help="skip the tokenisation throughput figures")
    ap.add_argument("--similarity-sizes", default="10000",
                    help="sizes for the recycled-text benchmark on generated near-copies ('' to skip)")
    ap.add_argument("--scaling-pairs", type=int, default=3,
                    help="one-job and --jobs builds alternated this many times for the speed-up (default 3)")
    ap.add_argument("--keep", action="store_true", help="keep the temp folders")
    ap.add_argument("--repeat", type=int, default=3,
                    help=f"builds from scratch of a size whose first build takes under {REPEAT_BELOW_SECONDS:.0f} s;"
                         " the median is reported (default 3)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    scaling_at = args.scaling_at or (10000 if 10000 in sizes else sizes[0])
    code_tmp = Path(tempfile.mkdtemp(prefix="helpers-bench-code-"))
    CODE[0] = snapshot_code(code_tmp)
    extra = ("--no-corpus",) if args.no_corpus_stage else ()
    print(f"machine: {machine()}")
    print(f"synthetic corpora generated from the seeds in {tempfile.gettempdir()}; jobs={args.jobs}; "
          f"corpus stage {'off' if args.no_corpus_stage else 'on'}")
    header = (f"{'reports':>8} {'wall s':>8} {'reports/s':>10} {'peak MB':>8} {'floor s':>8} {'x floor':>8} "
              f"{'+1 rebuild s':>12} {'+1 peak MB':>10} {'pace k/s':>9}")
    rows = []
    for k, n in enumerate(sizes):
        tmp = Path(tempfile.mkdtemp(prefix=f"helpers-bench-{n}-"))
        try:
            raw = tmp / "raw"
            t0 = time.perf_counter()
            make_corpus(ROOT / "data" / "raw", raw, n)
            gen = time.perf_counter() - t0
            scaling = n == scaling_at and not args.no_scaling and args.jobs > 1
            if scaling:
                speed_up(n, raw, tmp / "scaling", args.jobs, extra, args.scaling_pairs)
            speed = pace()
            print(f"[{n}] machine pace: plain jieba.lcut {speed:.0f} k chars/s", flush=True)
            floor = floor_seconds(raw)  # just before the build it is compared with: the machine's pace drifts
            wall, peak, line = timed_build(raw, tmp / "out", args.jobs, extra)
            ratio = wall / floor
            if wall < REPEAT_BELOW_SECONDS and args.repeat > 1:
                wall, peak, floor, ratio = repeated_builds(n, raw, tmp / "again", args.jobs, extra, args.repeat,
                                                           (wall, peak, floor))
            if not args.no_corpus_stage:
                checks_s, sim_s, n_pairs = corpus_stage_seconds(tmp / "out")
                print(f"[{n}] corpus stage (in the build's wall time): corpus_checks {checks_s:.1f} s, "
                      f"similar_problems {sim_s:.1f} s ({n_pairs} pairs)", flush=True)
            print(f"[{n}] loading: {load_in_fresh_process(tmp / 'out')}", flush=True)
            make_corpus(ROOT / "data" / "raw", raw, 1, start=n)
            inc, inc_peak, line2 = timed_build(raw, tmp / "out", args.jobs, extra)
            print(f"[{n}] generated in {gen:.1f} s; build: {_summary(line)}; rebuild: {_summary(line2)}")
            print(f"[{n}] build {_timings(line)}\n[{n}] +1 rebuild {_timings(line2)}", flush=True)
            rows.append(f"{n:>8} {wall:>8.1f} {n / wall:>10.0f} {peak / 2**20:>8.0f} {floor:>8.2f} "
                        f"{ratio:>8.1f} {inc:>12.2f} {inc_peak / 2**20:>10.0f} {speed:>9.0f}")
        finally:
            if args.keep:
                print(f"[{n}] kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(code_tmp, ignore_errors=True)
    print()
    print(header)
    print("\n".join(rows), flush=True)
    if not args.no_tokens:
        from benchmarks import bench_tokens

        print()
        bench_tokens.main([])
    if args.similarity_sizes:
        from benchmarks import bench_similarity

        print("\nrecycled text (similar_problems) on generated near-copies, in one process:")
        bench_similarity.main(["--sizes", args.similarity_sizes])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
