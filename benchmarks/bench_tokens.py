"""Tokenisation throughput: the project's keyword pipeline vs plain ``jieba.lcut`` on the same text.

The text is generated here (problems-section-like sentences from a seeded random generator), cut into
section-sized rows as ``count_tokens`` sees them. Both sides are warmed up first (tokenizer start-up is
excluded) and timed on the same rows, taking turns; the best of ``--repeat`` rounds is reported. The project's budget:
the pipeline (normalise, cut with the private tokenizer, filter stopwords, count) stays within 25% of raw
jieba. Run: ``python benchmarks/bench_tokens.py [--chars 200000] [--repeat 5]``.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import time

SUBJECTS = ["政务公开", "依申请公开", "政策解读", "政务新媒体", "队伍建设", "政府网站", "信息公开专栏", "公开目录",
            "业务培训", "工作人员", "内部审核机制", "意见征集", "公开内容", "栏目更新", "回应社会关切"]
FLAWS = ["有待加强", "不够规范", "更新不及时", "形式单一", "力量薄弱", "覆盖面不广", "针对性不强", "机制不健全",
         "质量有待提高", "意识有待提升", "存在一定差距", "还不够深入"]
PLANS = ["下一步，我局将进一步加强", "切实做好", "不断提升", "认真落实", "持续推进", "扎实开展"]


def make_rows(n_chars: int, seed: int = 0) -> list[dict]:
    """Section-sized texts (~600 characters each) totalling about ``n_chars`` characters."""
    rng = random.Random(seed)
    rows, total, k = [], 0, 0
    while total < n_chars:
        sentences = []
        while sum(map(len, sentences)) < 600:
            i = len(sentences) % 10
            sentences.append(f"{'一二三四五六七八九十'[i]}是{rng.choice(SUBJECTS)}{rng.choice(FLAWS)}，"
                             f"{rng.choice(PLANS)}{rng.choice(SUBJECTS)}工作，全年共计{rng.randint(1, 999)}项。")
        text = "".join(sentences)
        rows.append({"report_id": f"r{k}", "part": "problems", "text": text, "line_start": 1, "line_end": 1})
        total += len(text)
        k += 1
    return rows


def interleaved_best(fns: dict[str, "callable"], repeat: int) -> dict[str, float]:
    """Best time of each function over ``repeat`` rounds, the functions taking turns within a round, so
    a burst of load from other processes hits all of them alike."""
    best = {k: float("inf") for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    import jieba

    from helpers import keywords

    jieba.setLogLevel(logging.WARNING)
    rows = make_rows(args.chars)
    n = sum(len(r["text"]) for r in rows)
    jieba.initialize()
    keywords.tokenizer()
    keywords.count_tokens(rows[:5])  # warm caches (word lists, regexes)

    tk = keywords.tokenizer()
    best = interleaved_best({
        "raw": lambda: [jieba.lcut(r["text"]) for r in rows],
        "cut": lambda: [tk.lcut(r["text"]) for r in rows],
        "ours": lambda: keywords.count_tokens(rows),
    }, args.repeat)
    t_raw, t_cut, t_ours = best["raw"], best["cut"], best["ours"]
    overhead = t_ours / t_raw - 1
    print(f"tokens: {n:,} characters in {len(rows)} sections, best of {args.repeat}")
    print(f"  plain jieba.lcut            {n / t_raw / 1000:8.0f} k chars/s  ({t_raw:.3f} s)")
    print(f"  private tokenizer, cut only {n / t_cut / 1000:8.0f} k chars/s  ({t_cut:.3f} s)")
    print(f"  helpers.count_tokens        {n / t_ours / 1000:8.0f} k chars/s  ({t_ours:.3f} s)")
    print(f"  overhead over jieba.lcut    {overhead:+8.1%}  (budget +25%: {'ok' if overhead <= 0.25 else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
