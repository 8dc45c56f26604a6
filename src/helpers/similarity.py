"""Recycled self-criticism: how alike the section-五 texts of two reports are, and what they share.

An agency that pastes last year's problems and plans into this year's report is a story; so is a county
that copies its neighbour's. The measure is TF-IDF cosine over character n-grams (n = 4 by default) of
the normalised text without punctuation or whitespace, with IDF over this corpus, so the phrases every
report uses (政府信息公开工作, 有待进一步) weigh little and a copied passage weighs a lot. For each pair above
the threshold the longest shared passage is given as printed in the first report, so a reader can check it.

Corpus-level: call :func:`similar_problems` on the whole ``problems`` table after all files are parsed.
Pure Python (no scipy): candidates come from an inverted index of the rarer n-grams, then each
candidate pair's cosine is computed exactly.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from .normalize import normalize_lines

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["report_id_a", "report_id_b", "similarity", "shared_passage"]
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


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


def _vectors(texts: dict[str, str], n: int) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    grams = {rid: _ngrams(t, n) for rid, t in texts.items()}
    df: Counter[str] = Counter()
    for g in grams.values():
        df.update(g.keys())
    N = len(grams)
    vecs: dict[str, dict[str, float]] = {}
    for rid, g in grams.items():
        v = {k: (1 + math.log(c)) * (math.log((1 + N) / (1 + df[k])) + 1) for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs[rid] = {k: x / norm for k, x in v.items()}
    return vecs, df


def cosine_pairs(texts: dict[str, str], n: int = 4, min_similarity: float = 0.3,
                 max_df: float = 0.5) -> list[tuple[str, str, float]]:
    """(a, b, cosine) for every pair at or above ``min_similarity``, a < b.

    Dot products are accumulated over the postings of n-grams held by at most ``max_df`` of the reports
    (all n-grams when the corpus has fewer than 20 reports), which keeps the work near-linear; pairs whose
    partial dot product reaches half the threshold get their exact cosine over all n-grams. Two texts that
    share only ubiquitous n-grams (weight near the IDF floor) cannot reach a useful cosine.
    """
    vecs, df = _vectors(texts, n)
    N = len(vecs)
    limit = N if N < 20 else max(2, int(max_df * N))
    index: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for rid in sorted(vecs):
        for g, w in vecs[rid].items():
            if 1 < df[g] <= limit:
                index[g].append((rid, w))
    partial: dict[tuple[str, str], float] = defaultdict(float)
    for post in index.values():
        for i, (a, wa) in enumerate(post):
            for b, wb in post[i + 1:]:
                partial[(a, b)] += wa * wb
    out = []
    for (a, b), dot in partial.items():
        if dot < min_similarity / 2:
            continue
        va, vb = vecs[a], vecs[b]
        if len(vb) < len(va):
            va, vb = vb, va
        sim = sum(x * vb.get(k, 0.0) for k, x in va.items())
        if sim >= min_similarity:
            out.append((a, b, min(sim, 1.0)))
    return out


def longest_shared(a: str, b: str) -> str:
    """The longest passage the two texts share verbatim (after normalisation)."""
    start, size = _longest(a, b)
    return a[start:start + size]


def _longest(a: str, b: str) -> tuple[int, int]:
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.a, m.size


def similar_problems(problems: "pd.DataFrame", n: int = 4, min_similarity: float = 0.3,
                     parts: tuple[str, ...] = ("problems", "improvements"),
                     max_passage: int = 300) -> "pd.DataFrame":
    """The ``similar_problems`` table: report_id_a, report_id_b, similarity (cosine, 0–1, 4 decimals),
    shared_passage (the longest passage both share, as printed in report a, cut to ``max_passage`` characters
    with …). Most similar first."""
    import pandas as pd

    docs = _section_docs(problems, parts) if len(problems) else {}
    texts = {rid: d[0] for rid, d in docs.items()}
    rows = []
    for a, b, sim in cosine_pairs(texts, n=n, min_similarity=min_similarity):
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
