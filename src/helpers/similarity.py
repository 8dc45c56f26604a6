"""Recycled self-criticism: how alike the section-五 texts of two reports are, and what they share.

An agency that pastes last year's problems and plans into this year's report is a story; so is a county
that copies its neighbour's. The measure is TF-IDF cosine over character n-grams (n = 4 by default) of
the normalised text without punctuation, whitespace or digits (so a copy with the year changed is still a
copy), with IDF over this corpus: the phrases every report uses (政府信息公开工作, 有待进一步) weigh little
and a copied passage weighs a lot. For each pair the longest shared passage is given as printed in the
first report, so a reader can check it.

Corpus-level: call :func:`similar_problems` on the whole ``problems`` table after all files are parsed.
Pure Python and numpy. Up to ``exact_below`` reports every pair is scored exactly. Above that, candidates
come from MinHash banding (a bucket larger than ``per_report`` pairs each member only with its next
neighbours, so a template shared by thousands of reports costs linear time), and each candidate is then
scored exactly. Each report keeps at most ``per_report`` partners (its most similar), which bounds the
table: a cluster of identical texts shows as a chain of pairs, not as every pair.
"""
from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from .normalize import normalize_lines

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

COLUMNS = ["report_id_a", "report_id_b", "similarity", "shared_passage"]
_NOT_WORD = re.compile(r"[\W_\d]", re.UNICODE)
_PASSAGE_N = 8  # n-gram length used to find the shared passage quickly
_HASHES, _ROWS = 60, 3  # MinHash: 20 bands of 3 rows (Jaccard 0.5 → candidate with p ≈ 0.93)
_PRIME = (1 << 61) - 1


def _section_docs(problems: "pd.DataFrame", parts: tuple[str, ...]) -> dict[str, tuple[str, str, list[int]]]:
    """report_id → (normalised text without whitespace, the raw text, raw index of each normalised char)."""
    order = {p: k for k, p in enumerate(parts)}
    df = problems[problems["part"].isin(parts)].copy()
    df["_order"] = df["part"].map(order)
    df = df.sort_values(["report_id", "_order", "line_start"], kind="stable")
    out: dict[str, tuple[str, str, list[int]]] = {}
    for rid, g in df.groupby("report_id", sort=True):
        raw = "\n".join(str(t) for t in g["text"].dropna())
        norm = "\n".join(normalize_lines(raw.split("\n")))
        source = raw if len(norm) == len(raw) else norm  # traditional phrase mapping can change the length
        idx = [i for i, c in enumerate(norm) if not c.isspace()]
        if idx:
            out[str(rid)] = ("".join(norm[i] for i in idx), source, idx)
    return out


def section_texts(problems: "pd.DataFrame", parts: tuple[str, ...] = ("problems", "improvements")) -> dict[str, str]:
    """report_id → the section's text (the chosen parts in order), normalised, whitespace removed."""
    return {rid: t for rid, (t, _, _) in _section_docs(problems, parts).items()}


def _ngrams(text: str, n: int) -> Counter[str]:
    bare = _NOT_WORD.sub("", text)
    return Counter(bare[i:i + n] for i in range(max(len(bare) - n + 1, 0)))


def _vectors(grams: dict[str, Counter[str]]) -> dict[str, tuple["np.ndarray", "np.ndarray"]]:
    """L2-normalised TF-IDF vectors, (1 + ln tf) × (ln((1 + N) / (1 + df)) + 1), as (sorted n-gram ids,
    weights) arrays so a cosine is one numpy intersection."""
    import numpy as np

    df: Counter[str] = Counter()
    for g in grams.values():
        df.update(g.keys())
    N = len(grams)
    vocab = {k: i for i, k in enumerate(sorted(df))}
    vecs = {}
    for rid, g in grams.items():
        keys = np.fromiter((vocab[k] for k in g), dtype=np.int64, count=len(g))
        w = np.fromiter(((1 + math.log(c)) * (math.log((1 + N) / (1 + df[k])) + 1) for k, c in g.items()),
                        dtype=np.float64, count=len(g))
        order = np.argsort(keys)
        norm = float(np.sqrt(w @ w)) or 1.0
        vecs[rid] = (keys[order], w[order] / norm)
    return vecs


def _cosine(va: tuple["np.ndarray", "np.ndarray"], vb: tuple["np.ndarray", "np.ndarray"]) -> float:
    import numpy as np

    _, ia, ib = np.intersect1d(va[0], vb[0], assume_unique=True, return_indices=True)
    return min(float(va[1][ia] @ vb[1][ib]), 1.0)


def _all_pairs(ids: list[str]) -> set[tuple[str, str]]:
    return {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}


def _minhash_candidates(grams: dict[str, Counter[str]], window: int) -> set[tuple[str, str]]:
    """Pairs that share a MinHash band; in a big bucket each member is paired with its next ``window``."""
    import numpy as np

    rng = np.random.default_rng(20240101)  # fixed: the same corpus always gives the same table
    a = rng.integers(1, 1 << 31, size=_HASHES, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=_HASHES, dtype=np.uint64)
    sigs: dict[str, bytes] = {}
    for rid, g in grams.items():
        if not g:
            continue
        h = np.fromiter((zlib.crc32(k.encode("utf-8")) for k in g), dtype=np.uint64, count=len(g))
        # (a·h + b) mod p with a, h < 2^32: the product stays below 2^64
        sig = ((a[:, None] * h[None, :] + b[:, None]) % np.uint64(_PRIME)).min(axis=1)
        sigs[rid] = sig.astype(np.uint64).tobytes()
    width = 8 * _ROWS
    out: set[tuple[str, str]] = set()
    for band in range(_HASHES // _ROWS):
        buckets: dict[bytes, list[str]] = defaultdict(list)
        for rid in sorted(sigs):
            buckets[sigs[rid][band * width:(band + 1) * width]].append(rid)
        for members in buckets.values():
            for i, x in enumerate(members):
                for y in members[i + 1:i + 1 + window]:
                    out.add((x, y))
    return out


def cosine_pairs(texts: dict[str, str], n: int = 4, min_similarity: float = 0.3, per_report: int | None = 10,
                 exact_below: int = 150) -> list[tuple[str, str, float]]:
    """(a, b, cosine) for pairs at or above ``min_similarity``, a < b, most similar first.

    Each report keeps at most ``per_report`` partners (None: all); exact over all pairs below
    ``exact_below`` reports, MinHash candidates above (see the module docstring).
    """
    grams = {rid: _ngrams(t, n) for rid, t in texts.items()}
    vecs = _vectors(grams)
    ids = sorted(rid for rid in vecs if len(vecs[rid][0]))
    if len(ids) < exact_below:
        candidates = _all_pairs(ids)
    else:
        candidates = _minhash_candidates({rid: grams[rid] for rid in ids}, window=per_report or 10)
    scored = []
    for a, b in candidates:
        sim = _cosine(vecs[a], vecs[b])
        if sim >= min_similarity:
            scored.append((min(a, b), max(a, b), sim))
    scored.sort(key=lambda t: (-t[2], t[0], t[1]))
    if per_report is None:
        return scored
    # the union of every report's own top ``per_report`` list (scored is in each report's rank order)
    own: Counter[str] = Counter()
    keep: list[tuple[str, str, float]] = []
    for a, b, sim in scored:
        wanted = False
        for x in (a, b):
            if own[x] < per_report:
                own[x] += 1
                wanted = True
        if wanted:
            keep.append((a, b, sim))
    return keep


def longest_shared(a: str, b: str) -> str:
    """The longest passage the two texts share verbatim (after normalisation)."""
    start, size = _longest(a, b)
    return a[start:start + size]


def _longest(a: str, b: str) -> tuple[int, int]:
    """(start in a, length) of the longest common passage. Fast path: the longest run of ``a``'s 8-grams
    that occur in ``b``, accepted when the run really is a substring of ``b``; otherwise difflib."""
    if a == b:
        return 0, len(a)
    n = _PASSAGE_N
    if len(a) >= n and len(b) >= n:
        in_b = {b[i:i + n] for i in range(len(b) - n + 1)}
        best, run_start = (0, 0), None
        for i in range(len(a) - n + 1):
            if a[i:i + n] in in_b:
                run_start = i if run_start is None else run_start
                size = i + n - run_start
                if size > best[1]:
                    best = (run_start, size)
            else:
                run_start = None
        if best[1] and a[best[0]:best[0] + best[1]] in b:
            return best
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.a, m.size


def similar_problems(problems: "pd.DataFrame", n: int = 4, min_similarity: float = 0.3,
                     parts: tuple[str, ...] = ("problems", "improvements"), max_passage: int = 300,
                     per_report: int | None = 10, exact_below: int = 150) -> "pd.DataFrame":
    """The ``similar_problems`` table: report_id_a, report_id_b, similarity (cosine, 0–1, 4 decimals),
    shared_passage (the longest passage both share, as printed in report a, cut to ``max_passage`` characters
    with …). Most similar first; at most ``per_report`` partners per report (see :func:`cosine_pairs`)."""
    import pandas as pd

    docs = _section_docs(problems, parts) if len(problems) else {}
    texts = {rid: d[0] for rid, d in docs.items()}
    rows = []
    for a, b, sim in cosine_pairs(texts, n=n, min_similarity=min_similarity, per_report=per_report,
                                  exact_below=exact_below):
        start, size = _longest(texts[a], texts[b])
        _, source, idx = docs[a]
        # cut from report a's raw text, so the passage reads as printed; line breaks become spaces
        passage = source[idx[start]:idx[start + size - 1] + 1].replace("\n", " ") if size else ""
        if len(passage) > max_passage:
            passage = passage[:max_passage] + "…"
        rows.append({"report_id_a": a, "report_id_b": b, "similarity": round(sim, 4), "shared_passage": passage})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["similarity", "report_id_a", "report_id_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def label_pairs(similar: "pd.DataFrame", reports: "pd.DataFrame") -> "pd.DataFrame":
    """Add agency_a/b, year_a/b and same_agency, to tell copying from last year from copying a neighbour."""
    meta = reports[["report_id", "agency", "year"]]
    out = similar.merge(meta.add_suffix("_a"), on="report_id_a", how="left")
    out = out.merge(meta.add_suffix("_b"), on="report_id_b", how="left")
    out["same_agency"] = out["agency_a"].notna() & (out["agency_a"] == out["agency_b"])
    return out


from .keywords import corpus_idf, distinctive_terms  # noqa: E402  (re-exported: corpus-level text tools)

__all__ = ["similar_problems", "label_pairs", "cosine_pairs", "longest_shared", "section_texts",
           "corpus_idf", "distinctive_terms"]
