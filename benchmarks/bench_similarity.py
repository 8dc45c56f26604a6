"""Recycled-text detection at national scale, in one process: ``similar_problems`` on generated sections.

The corpus is made here, not from the seeds: ``n`` reports by ``n / years`` agencies over ``years`` years.
Each agency writes its own admissions (random subjects and flaws) and, in a later year, either copies last
year's text with a small edit (the story) or writes anew; one report in ten pastes one of a few national
templates (thousands of near-copies: the hard case for pairwise methods); every text opens with the same
boilerplate sentence. Prints wall and CPU time (this process's: steadier on a shared machine), memory, the
work counters and whether the planted same-agency copies were found. Memory: ``base MB`` is the process
before the call, holding the two input tables (the generator's lists of dicts are freed first: a build
holds tables, not those); ``peak MB`` is the process's peak resident memory during the call (Linux: the
high-water mark is reset just before it; elsewhere the whole run's peak). Run: ``python benchmarks/bench_similarity.py [--sizes 10000,100000]``.
"""
from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SUBJECTS = ["政府网站", "信息公开专栏", "政务新媒体", "依申请公开办理", "政策解读", "工作队伍", "公开目录", "业务培训",
            "内部审核", "意见征集", "公开指南", "政务公开标准化", "基层政务公开", "公开平台", "主动公开目录", "答复文书"]
FLAWS = ["有待加强", "不够规范", "更新不及时", "形式单一", "力量薄弱", "覆盖面不广", "针对性不强", "机制不健全",
         "质量有待提高", "意识有待提升", "存在一定差距", "还不够深入"]
PLACES = "县区市镇乡局委办街道村社"
BOILER = "我单位政务公开工作虽然取得了一定成效，但仍存在一些不足。"


def admissions(rng: random.Random, n: int) -> str:
    """A made-up problems paragraph: n admissions built from random subjects, flaws and place names."""
    parts = []
    for k in range(n):
        place = "".join(rng.choice(PLACES) for _ in range(3))
        parts.append(f"{'一二三四五六七八九十'[k % 10]}是{place}{rng.choice(SUBJECTS)}{rng.choice(FLAWS)}，"
                     f"{rng.choice(SUBJECTS)}{rng.choice(FLAWS)}。")
    return "".join(parts)


def make_sections(n: int, years: int = 5, seed: int = 7) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    """(problems rows, reports rows, planted same-agency copies as (report_a, report_b)) for ``n`` reports."""
    rng = random.Random(seed)
    templates = [admissions(rng, 6) for _ in range(3)]
    problems, reports, planted = [], [], set()
    for k in range(n):
        agency, year = f"合成{k // years:06d}局", 2018 + k % years
        rid = f"synthetic_{k:06d}"
        prev = problems[-1]["text"] if k % years and problems else None
        r = rng.random()
        if prev is not None and r < 0.5:  # last year's self-criticism, lightly edited
            cut = rng.randrange(len(prev) // 2, len(prev))
            text = prev[:cut] + admissions(rng, 1) + prev[cut:]
            planted.add((f"synthetic_{k - 1:06d}", rid))
        elif r > 0.9:  # a national template, with a word changed
            text = BOILER + rng.choice(templates).replace("是", rng.choice(["是", "为"]), 1)
        else:
            text = BOILER + admissions(rng, rng.randint(3, 8))
        problems.append({"report_id": rid, "part": "problems", "text": text, "line_start": 40, "line_end": 40})
        reports.append({"report_id": rid, "agency": agency, "year": year})
    return problems, reports, planted


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    """Start the high-water mark afresh (Linux ≥ 4.0), so the peak is the call's, not the generator's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def run(n: int) -> dict:
    import pandas as pd

    from helpers.similarity import SimilarityStats, similar_problems

    rows, reps, planted = make_sections(n)
    problems, reports = pd.DataFrame(rows), pd.DataFrame(reps)
    del rows, reps
    gc.collect()
    base = _status_mb("VmRSS")
    _reset_peak()
    stats = SimilarityStats()
    t0, c0 = time.perf_counter(), time.process_time()
    out = similar_problems(problems, reports, stats=stats)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = set(zip(out["report_id_a"], out["report_id_b"]))
    return {"n": n, "wall": wall, "cpu": cpu, "stats": stats, "rows": len(out), "recall": len(planted & found) / max(len(planted), 1),
            "base_mb": base, "peak_mb": peak}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000")
    args = ap.parse_args(argv)
    print(f"{'reports':>8} {'wall s':>7} {'cpu s':>6} {'texts':>7} {'candidates':>10} {'cosines':>9} {'rows':>8} "
          f"{'copies found':>12} {'base MB':>8} {'peak MB':>8}")
    for n in (int(s) for s in args.sizes.split(",") if s):
        r = run(n)
        s = r["stats"]
        print(f"{n:>8} {r['wall']:>7.1f} {r['cpu']:>6.1f} {s.n_texts:>7} {s.n_candidates:>10} {s.n_compared:>9} {r['rows']:>8} "
              f"{r['recall']:>12.1%} {r['base_mb'] or 0:>8.0f} {r['peak_mb']:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
