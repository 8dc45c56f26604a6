"""Recycled self-criticism: how alike the section-五 texts of two reports are, and what they share.

An agency that pastes last year's problems and plans into this year's report is a story; so is a county
that copies its neighbour's. The measure is TF-IDF cosine over character n-grams (n = 4 by default) of
the normalised text without punctuation, whitespace or digits (so a copy with the year changed is still a
copy), with IDF over this corpus: the phrases every report uses (政府信息公开工作, 有待进一步) weigh little
and a copied passage weighs a lot. For each pair the longest shared passage is given as printed in the
first report, so a reader can check it.

Corpus-level: call :func:`similar_problems` on the whole ``problems`` table after all files are parsed.
Why it scales to a national corpus (hundreds of thousands of reports, most of them near-copies of a few
templates) in bounded time and memory, all in numpy:

- n-grams are 64-bit rolling hashes, identical texts are vectorised once, and the vectors live in a few
  flat arrays (no per-report Python objects): int32 vocabulary ids and uint16 counts, ~6 bytes an n-gram,
  built chunk by chunk of texts; the float64 weights are recomputed when a cosine needs them. At 100,000
  reports the stage adds ~250 MB to the process (benchmarks/bench_similarity.py);
- below ``exact_below`` reports every pair is scored. Above it, candidates come from MinHash banding over
  each text's n-grams that are not boilerplate (in at most ``max_df`` = 5 % of the texts); in
  each band's bucket a report is paired only with its next ``window`` members in (agency, year, report_id)
  order, so a template shared by thousands of reports costs linear time and an agency's consecutive years
  sit next to each other;
- the same agency's reports are always candidates of each other (the story), and so are reports with the
  very same text, up to ``window`` per report;
- each report keeps at most ``2 × per_report`` candidates, its best by MinHash agreement (same-agency pairs
  first on ties), and only those are scored exactly: at most ``2 × per_report × reports`` cosines;
- each report keeps its ``per_report`` most similar partners, plus every pair of the same agency in
  different years above the threshold. A cluster of identical texts shows as a chain of pairs, not as every pair;
- cosines and shared passages are computed for batches of pairs at once (numpy), not pair by pair;
- the table is built as columns, never as a Python object per row: sections are normalised once per
  distinct text (agencies paste the same section), a passage is cut once per pair of distinct documents
  and the columns are gathered by index (pyarrow). At 100,000 reports (526,153 rows) the peak is then
  about the output itself: its shared_passage column alone is ~450 MB of UTF-8.

Every step sorts with explicit tie-breaks and the hash functions come from a fixed seed, so the same corpus
gives the same rows in the same order on every run. :class:`SimilarityStats` counts the work done.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Container

import numpy as np

from .normalize import normalize_lines

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["report_id_a", "report_id_b", "similarity", "shared_passage"]
_NOT_WORD = re.compile(r"[\W_\d]", re.UNICODE)
_PASSAGE_N = 8  # n-gram length used to find the shared passage quickly
_HASHES, _ROWS = 60, 3  # MinHash: 20 bands of 3 rows (Jaccard 0.5 → candidate with p ≈ 0.93)
_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_BATCH = 1024  # pairs per vectorised cosine batch (bounds the temporary arrays; cache-sized)
_WINDOW, _MAX_DF = 10, 0.05  # defaults of cosine_pairs' window and max_df (similar_problems uses them)


@dataclass
class SimilarityStats:
    """How much work one run did: the bound to check is ``n_compared <= 2 * per_report * n_reports``
    (plus the same-agency pairs)."""

    n_reports: int = 0
    n_texts: int = 0  # distinct texts after normalisation
    n_candidates: int = 0  # distinct candidate pairs from MinHash buckets and agencies
    n_compared: int = 0  # exact cosines computed
    n_pairs: int = 0  # rows in the result


# ---------------------------------------------------------------------------------------------- texts
def _section_docs(problems: "pd.DataFrame", parts: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """report_id → (normalised text without whitespace, the text it is cut from: raw when normalising kept
    the length, else normalised)."""
    rids, doc, squeezed, source = _distinct_docs(problems, parts)
    return {rid: (squeezed[d], source[d]) for rid, d in zip(rids, doc.tolist())}


def _distinct_docs(problems: "pd.DataFrame", parts: tuple[str, ...]) -> tuple[list[str], np.ndarray, list[str],
                                                                            list[str]]:
    """(the report_ids with a section text, in report_id order; each one's document number; per document,
    the normalised text without whitespace and the text it is cut from, as in :func:`_section_docs`).
    One sort and one pass, no per-report pandas work. Agencies paste the same section verbatim (a national
    corpus has a few thousand distinct sections for 100,000 reports), so the lines are numbered by text
    (a hash table over the column, no Python string per row) and each distinct section is joined,
    normalised and held once: 100,000 copies of the strings would be the stage's largest allocation."""
    import pandas as pd

    line_of, lines = pd.factorize(problems["text"])  # missing text: -1
    lines = [t if isinstance(t, str) else "" for t in lines]
    order = {p: k for k, p in enumerate(parts)}
    mask = problems["part"].isin(parts).to_numpy()
    df = problems.loc[mask, ["report_id", "part", "line_start"]]
    df = df.assign(_line=line_of[mask], _order=df["part"].map(order))
    df = df.sort_values(["report_id", "_order", "line_start"], kind="stable")
    rids = df["report_id"].astype(str).to_numpy()
    line_of = df["_line"].to_numpy()
    del df
    chosen: dict[str, int] = {}  # report_id → document (a dict, as the public mapping: the last one wins)
    by_lines: dict[tuple[int, ...], int] = {}  # the section's lines → document
    seen: dict[str, int] = {}  # raw section → document (other lines can join to the same text)
    squeezed_of: list[str] = []
    source_of: list[str] = []
    if len(rids):
        starts = np.flatnonzero(np.r_[True, rids[1:] != rids[:-1]])
        bounds = np.r_[starts, len(rids)].tolist()
        codes = line_of.tolist()
        for s, e in zip(bounds[:-1], bounds[1:]):
            key = tuple(codes[s:e])
            d = by_lines.get(key)
            if d is None:
                raw = "\n".join(lines[k] for k in key if k >= 0 and lines[k])
                d = seen.get(raw)
                if d is None:
                    d = seen[raw] = len(squeezed_of)
                    norm = "\n".join(normalize_lines(raw.split("\n")))
                    source_of.append(raw if len(norm) == len(raw) else norm)  # traditional phrases: other length
                    squeezed_of.append("".join(norm.split()))
                by_lines[key] = d
            if squeezed_of[d]:
                chosen[str(rids[s])] = d
    return list(chosen), np.fromiter(chosen.values(), dtype=np.int64, count=len(chosen)), squeezed_of, source_of


def section_texts(problems: "pd.DataFrame", parts: tuple[str, ...] = ("problems", "improvements")) -> dict[str, str]:
    """report_id → the section's text (the chosen parts in order), normalised, whitespace removed."""
    return {rid: t for rid, (t, _) in _section_docs(problems, parts).items()}


def _gram_hashes(text: str, n: int) -> np.ndarray:
    """64-bit hash of every character n-gram of ``text`` (polynomial, then mixed), one per position."""
    return _flat_hashes([text], n)[0]


def _flat_hashes(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every text's n-gram hashes, one per position, in one flat array: text t's are ``h[ptr[t]:ptr[t + 1]]``.
    One rolling hash over the texts laid end to end (no numpy call per text); n-grams across two texts go."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    grams = np.maximum(lens - n + 1, 0)
    ptr = np.r_[0, np.cumsum(grams)]
    c = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    m = len(c) - n + 1
    if m <= 0 or not ptr[-1]:
        return np.empty(0, dtype=np.uint64), ptr
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h *= _MUL
        h += c[k:k + m]
    del c
    if int(ptr[-1]) != m:  # several texts: keep the positions whose n-gram lies inside one text
        first_char = np.r_[0, np.cumsum(lens)[:-1]]
        h = h[np.repeat(first_char - ptr[:-1], grams) + np.arange(int(ptr[-1]))]
    h ^= h >> np.uint64(31)
    h *= _MIX1
    h ^= h >> np.uint64(29)
    return h, ptr


# ---------------------------------------------------------------------------------------------- vectors
_CHUNK = 1 << 20  # characters (or vector entries) handled at a time: bounds the temporary arrays


def _spans(sizes: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) ranges of items whose sizes add up to at most ``limit`` (or one item)."""
    cum = np.cumsum(sizes)
    out, s = [], 0
    while s < len(sizes):
        e = max(int(np.searchsorted(cum, (cum[s - 1] if s else 0) + limit, side="right")), s + 1)
        out.append((s, e))
        s = e
    return out


@dataclass
class _Vectors:
    """L2-normalised TF-IDF vectors of the distinct texts as flat arrays: text t's entries are
    ``ids[ptr[t]:ptr[t+1]]`` (vocabulary ids, ascending) with counts ``tf``. The float64 weights are
    computed when needed (:meth:`weights`) rather than held: 10 bytes an entry at most, not 20."""

    ids: np.ndarray  # int32
    tf: np.ndarray  # uint16 unless a text repeats an n-gram 65,536 times
    ptr: np.ndarray
    V: int
    vocab: np.ndarray  # id → n-gram hash (ascending)
    df: np.ndarray  # id → number of texts with the n-gram
    idf: np.ndarray  # id → ln((1 + N) / (1 + df)) + 1
    norm: np.ndarray  # text → L2 norm of its unnormalised vector (1 for an empty one)

    def weights(self, pos: np.ndarray, texts: np.ndarray) -> np.ndarray:
        """Weights of the entries at ``pos`` (of texts ``texts``): the same float64 operations in the same
        order as when the vectors were normalised, so the very same values (the cosines are printed)."""
        return _tf_idf(self.tf[pos], self.idf[self.ids[pos]]) / self.norm[texts]


def _tf_idf(tf: np.ndarray, idf: np.ndarray) -> np.ndarray:
    return (1 + np.log(tf.astype(np.float64))) * idf


def _grams_per_text(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(the distinct n-gram hashes of ``texts``, ascending; each text's distinct n-grams as indices into
    them, ascending, flat; their counts in the text; how many per text). The hashes are numbered with a
    hash table (pandas' factorize), not a sort of every position: the one sort left is of (text, number)
    keys that already come text by text, which a stable sort merges in near-linear time."""
    import pandas as pd

    h, ptr = _flat_hashes(texts, n)
    codes, uniq = pd.factorize(h)
    del h
    order = np.argsort(uniq)
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    U = max(len(uniq), 1)
    key = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(ptr)) * U + rank[codes]
    del codes
    key.sort(kind="stable")
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, dtype=np.int64)
    counts = np.diff(np.r_[first, len(key)]).astype(np.int32)
    key = key[first]
    per_text = np.bincount(key // U, minlength=len(texts))
    return uniq[order], (key % U).astype(np.int32), counts, per_text


def _vectors(texts: list[str], n: int) -> _Vectors:
    """(1 + ln tf) × (ln((1 + N) / (1 + df)) + 1), N = number of texts, df over the distinct texts.

    Chunk by chunk of texts, straight into flat arrays sized for every n-gram position (pages never
    written are never resident); each chunk's ids are its own numbering until the whole vocabulary is
    known, then renumbered in place. At 100,000 texts the peak is these two arrays (~6 bytes an entry),
    not per-text arrays, a sort of every n-gram at once or float64 weights."""
    N = len(texts)
    chars = np.fromiter(map(len, texts), dtype=np.int64, count=N)
    bound = int(np.maximum(chars - n + 1, 0).sum())
    ids = np.empty(bound, dtype=np.int32 if bound < 2**31 else np.int64)
    tf = np.empty(bound, dtype=np.uint16 if chars.max(initial=0) < 2**16 else np.int32)  # count ≤ length
    lens, ptr, chunk_vocab = np.zeros(N, dtype=np.int64), np.zeros(N + 1, dtype=np.int64), []
    spans = _spans(chars, _CHUNK)
    for s, e in spans:
        u, local, counts, per_text = _grams_per_text(texts[s:e], n)
        lens[s:e] = per_text
        lo = ptr[s]
        ptr[s + 1:s + 1 + len(per_text)] = lo + np.cumsum(per_text)
        ids[lo:lo + len(local)] = local
        tf[lo:lo + len(counts)] = counts
        chunk_vocab.append(u)
    E = int(ptr[-1])
    ids, tf = ids[:E], tf[:E]
    vocab = _distinct(np.concatenate(chunk_vocab)) if chunk_vocab else np.empty(0, dtype=np.uint64)
    df = np.zeros(len(vocab), dtype=np.int64)
    for u, (s, e) in zip(chunk_vocab, spans):
        lo, hi = ptr[s], ptr[e]
        ids[lo:hi] = np.searchsorted(vocab, u)[ids[lo:hi]]
        df += np.bincount(ids[lo:hi], minlength=len(vocab))  # by chunk: bincount copies int32 to int64
    del chunk_vocab
    idf = np.log((1 + N) / (1 + df)) + 1
    norm = np.ones(N)
    for s, e in spans:
        w = _tf_idf(tf[ptr[s]:ptr[e]], idf[ids[ptr[s]:ptr[e]]])
        norms = np.sqrt(np.bincount(np.repeat(np.arange(e - s), lens[s:e]), weights=w * w, minlength=e - s))
        norm[s:e] = np.where(norms > 0, norms, 1.0)
    return _Vectors(ids=ids, tf=tf, ptr=ptr, V=max(len(vocab), 1), vocab=vocab, df=df, idf=idf, norm=norm)


def _segments(ptr: np.ndarray, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the entries of ``items``' segments, laid end to end; which item each belongs to)."""
    lens = ptr[items + 1] - ptr[items]
    total = int(lens.sum())
    first = np.cumsum(lens) - lens
    owner = np.repeat(np.arange(len(items)), lens)
    return np.repeat(ptr[items] - first, lens) + np.arange(total), owner


def _cosines(vec: _Vectors, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Exact cosine of text pairs (A[i], B[i]), vectorised by batch. Both sides' entries keyed (pair,
    vocabulary id) come out sorted as laid out, so one stable sort of the two merges them (linear, cache
    friendly, ~2× a binary search per entry) and equal neighbours are the shared n-grams, in A's order."""
    out = np.zeros(len(A), dtype=np.float64)
    for s in range(0, len(A), _BATCH):
        a, b = A[s:s + _BATCH], B[s:s + _BATCH]
        pos_a, pair = _segments(vec.ptr, a)
        pos_b, pair_b = _segments(vec.ptr, b)
        keys = np.concatenate((pair * vec.V + vec.ids[pos_a], pair_b * vec.V + vec.ids[pos_b]))
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        shared = np.flatnonzero(keys[1:] == keys[:-1])  # each text's ids are distinct: an A entry, then B's
        ia, ib = order[shared], order[shared + 1] - len(pos_a)
        wa, wb = vec.weights(pos_a[ia], a[pair[ia]]), vec.weights(pos_b[ib], b[pair[ia]])
        out[s:s + len(a)] = np.bincount(pair[ia], weights=wa * wb, minlength=len(a))
    return np.minimum(out, 1.0)


def _signatures(vec: _Vectors, max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """(MinHash signature of each text (rows), whether it has one) over its n-grams found in at most
    ``max_df`` texts (more common ones are boilerplate: they would only put unrelated reports in one bucket),
    from fixed-seed multiply-shift hash functions of the n-gram hashes. A text with no such n-gram gets no
    signature. The values are the high 32 bits of a 64-bit product: uint32 holds them exactly."""
    rng = np.random.default_rng(20240101)  # fixed: the same corpus always gives the same table
    a = rng.integers(1, 1 << 63, size=_HASHES, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=_HASHES, dtype=np.uint64)
    T = len(vec.ptr) - 1
    sig = np.zeros((T, _HASHES), dtype=np.uint32)
    valid = np.zeros(T, dtype=bool)
    rare = vec.df <= max_df
    for s, e in _spans(np.diff(vec.ptr), _CHUNK):
        owner = np.repeat(np.arange(s, e, dtype=np.int64), vec.ptr[s + 1:e + 1] - vec.ptr[s:e])
        ids = vec.ids[vec.ptr[s]:vec.ptr[e]]
        keep = rare[ids]
        owner, h = owner[keep], vec.vocab[ids[keep]]
        if not len(h):
            continue
        first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        rows = owner[first]
        valid[rows] = True
        for i in range(_HASHES):
            sig[rows, i] = np.minimum.reduceat((a[i] * h + b[i]) >> np.uint64(32), first)
    return sig, valid


# ---------------------------------------------------------------------------------------------- candidates
def _distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based: numpy's hash-based unique is slow on millions of int64)."""
    s = np.sort(a, kind="stable")  # timsort: merging already-sorted runs is linear
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def _window_pairs(keys: np.ndarray, rank: np.ndarray, window: int, valid: np.ndarray) -> np.ndarray:
    """Pairs (as lo × D + hi codes) of items with equal ``keys``: each with its next ``window`` in ``rank``
    order. Small groups give all their pairs; a huge group gives ``window`` pairs per member."""
    D = len(keys)
    idx = np.flatnonzero(valid)
    perm = idx[np.lexsort((rank[idx], keys[idx]))]
    ks = keys[perm]
    out = []
    for t in range(1, window + 1):
        if t >= len(perm):
            break
        same = ks[:-t] == ks[t:]
        x, y = perm[:-t][same], perm[t:][same]
        out.append(np.minimum(x, y).astype(np.int64) * D + np.maximum(x, y))
    return _distinct(np.concatenate(out)) if out else np.empty(0, dtype=np.int64)


def _minhash_candidates(sig: np.ndarray, valid: np.ndarray, text_of: np.ndarray, rank: np.ndarray,
                        window: int) -> np.ndarray:
    """Report pairs sharing a band's bucket, band by band: the bucket key is hashed per distinct text
    (signature rows), then looked up per report."""
    found = np.empty(0, dtype=np.int64)
    has_sig = valid[text_of]
    for band in range(_HASHES // _ROWS):
        key = sig[:, band * _ROWS].astype(np.uint64)
        for k in range(1, _ROWS):
            key = key * _MUL + sig[:, band * _ROWS + k]
        found = _distinct(np.r_[found, _window_pairs(key[text_of], rank, window, has_sig)])
    return found


def _agreement(sig: np.ndarray, valid: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Matching signature rows of text pairs (0…_HASHES); two texts without a signature agree on all rows
    (as two empty signatures would), one with and one without on none."""
    agree = np.empty(len(A), dtype=np.int64)
    step = 1 << 16
    for s in range(0, len(A), step):
        agree[s:s + step] = (sig[A[s:s + step]] == sig[B[s:s + step]]).sum(axis=1)
    va, vb = valid[A], valid[B]
    return np.where(va & vb, agree, np.where(va == vb, _HASHES, 0))


def _cap_per_item(A: np.ndarray, B: np.ndarray, agree: np.ndarray, prefer: np.ndarray, cap: int) -> np.ndarray:
    """Mask of pairs that are among the ``cap`` best of at least one of their two items: most MinHash
    agreement (``agree``: matching signature rows, 0…_HASHES), then preferred, then nearest in order, then
    first in order. One packed int64 sort key (items are their rank: 0 … D − 1), built in place."""
    D = int(max(A.max(), B.max())) + 1 if len(A) else 1
    bits = max(D - 1, 1).bit_length()
    me, other = np.concatenate((A, B)), np.concatenate((B, A))  # each pair twice, once for each item
    if 3 * bits + 8 > 62:  # beyond ~2 million reports: several sort keys instead of one packed key
        agree2, prefer2 = np.r_[agree, agree], np.r_[prefer, prefer]
        order = np.lexsort((other, np.abs(other - me), ~prefer2, -agree2, me))
        return _first_per_item(me[order], order, cap, len(A))
    key = me << np.int64(7)
    key |= _HASHES - np.concatenate((agree, agree)).astype(np.int64)
    key <<= np.int64(1)
    key |= ~np.concatenate((prefer, prefer))
    key <<= np.int64(bits)
    key |= np.abs(other - me)
    key <<= np.int64(bits)
    key |= other
    del other
    order = np.argsort(key, kind="stable")
    del key
    return _first_per_item(me[order], order, cap, len(A))


def _first_per_item(me_sorted: np.ndarray, order: np.ndarray, cap: int, n: int) -> np.ndarray:
    """Mask of the ``n`` pairs with a place below ``cap`` in their item's run of ``me_sorted`` (entry k of
    the doubled arrays is pair k mod n)."""
    starts = np.flatnonzero(np.r_[True, me_sorted[1:] != me_sorted[:-1]])
    place = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(n, dtype=bool)
    keep[order[place < cap] % n] = True
    return keep


def cosine_pairs(texts: dict[str, str], n: int = 4, min_similarity: float = 0.3, per_report: int | None = 5,
                 exact_below: int = 150, *, groups: dict[str, tuple[str, int]] | None = None, window: int = _WINDOW,
                 max_df: float = _MAX_DF, stats: SimilarityStats | None = None) -> list[tuple[str, str, float]]:
    """(a, b, cosine) for pairs at or above ``min_similarity``, a < b, most similar first.

    ``groups`` maps report_id → (agency, year): same-agency pairs are always compared, those of different
    years always kept (last year's text pasted), and reports are ordered by agency and year. ``max_df``: n-grams in more than this share of the texts are left
    out of the MinHash sets (boilerplate), not out of the cosine. ``per_report``: partners kept per report (None: all; then every
    pair is compared whatever the size, so only for small corpora). Exact over all pairs below
    ``exact_below`` reports, MinHash candidates above (see the module docstring).
    """
    rids = sorted(texts)
    distinct: dict[str, int] = {}
    doc = np.fromiter((distinct.setdefault(texts[r], len(distinct)) for r in rids), dtype=np.int64, count=len(rids))
    A, B, sims = _ranked_pairs(rids, doc, list(distinct), n=n, min_similarity=min_similarity, per_report=per_report,
                               exact_below=exact_below, groups=groups, window=window, max_df=max_df, stats=stats)
    return [(rids[a], rids[b], s) for a, b, s in zip(A.tolist(), B.tolist(), sims.tolist())]


def _ranked_pairs(rids: list[str], doc: np.ndarray, docs: list[str], n: int, min_similarity: float,
                  per_report: int | None, exact_below: int, groups: dict[str, tuple[str, int]] | None,
                  window: int, max_df: float, stats: SimilarityStats | None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`cosine_pairs` on arrays: ``rids`` distinct and sorted, report ``rids[i]``'s text is
    ``docs[doc[i]]``. Returns (a, b, cosine) as arrays, a < b indices into ``rids``, in the same order.
    No per-pair Python objects: 500,000 kept pairs as tuples would cost more than all the vectors."""
    stats = stats if stats is not None else SimilarityStats()
    groups = groups or {}
    D = len(rids)
    stats.n_reports = D
    none = np.empty(0, dtype=np.int64)
    if D < 2:
        return none, none, np.empty(0)
    gkey = [_group_key(groups.get(r)) for r in rids]
    ids = np.array(sorted(range(D), key=lambda i: (*gkey[i], rids[i])), dtype=np.int64)  # rank → report
    del gkey
    rank = np.arange(D, dtype=np.int64)
    text_of, distinct = _texts_by_first_use(doc[ids], docs)
    T = stats.n_texts = len(distinct)
    vec = _vectors(distinct, n)
    del distinct  # from here on only the vectors: the texts are not held twice
    has_grams = (vec.ptr[1:] - vec.ptr[:-1])[text_of] > 0

    agency = np.asarray([groups.get(rids[i], ("", None))[0] for i in ids.tolist()], dtype=object)
    _, akey = np.unique(agency, return_inverse=True)
    akey = np.where(agency == "", -1, akey.astype(np.int64))
    del agency
    if D < exact_below or per_report is None:
        ii, jj = np.triu_indices(D, 1)
        codes = ii.astype(np.int64) * D + jj
    else:
        sig, valid = _signatures(vec, max(int(max_df * T), 2))
        codes = _minhash_candidates(sig, valid, text_of, rank, window)
        codes = _distinct(np.r_[codes, _window_pairs(akey, rank, window, akey >= 0),
                                _window_pairs(text_of, rank, window, has_grams)])
    A, B = codes // D, codes % D
    del codes
    ok = has_grams[A] & has_grams[B]
    A, B = A[ok], B[ok]
    year = np.fromiter((_group_key(groups.get(rids[i]))[2] for i in ids.tolist()), dtype=np.int64, count=D)
    same = (akey[A] == akey[B]) & (akey[A] >= 0) & (year[A] != year[B])  # the agency's other years
    stats.n_candidates = len(A)
    if per_report is not None and D >= exact_below and len(A):
        agree = _agreement(sig, valid, text_of[A], text_of[B])
        del sig
        keep = _cap_per_item(A, B, agree, same, 2 * per_report) | same
        A, B, same = A[keep], B[keep], same[keep]
    ta, tb = text_of[A], text_of[B]
    sims = np.ones(len(A))
    differ = ta != tb
    sims[differ] = _cosines(vec, ta[differ], tb[differ])
    stats.n_compared = int(differ.sum())
    hit = sims >= min_similarity
    a, b, sims, same = ids[A[hit]], ids[B[hit]], sims[hit], same[hit]
    a, b = np.minimum(a, b), np.maximum(a, b)  # rids are sorted: the smaller index is the smaller id
    order = np.lexsort((b, a, -sims))  # most similar first, then by ids (every pair is distinct)
    a, b, sims, same = a[order], b[order], sims[order], same[order]
    if per_report is not None:
        keep = _top_partners(a, b, per_report) | same
        a, b, sims = a[keep], b[keep], sims[keep]
    stats.n_pairs = len(a)
    return a, b, sims


def _texts_by_first_use(doc: np.ndarray, docs: list[str]) -> tuple[np.ndarray, list[str]]:
    """(each report's distinct text without punctuation or digits, numbered by first use in the order
    given; those texts). Documents are stripped once each, whatever the number of reports that share them."""
    used = np.unique(doc)
    number: dict[str, int] = {}
    stripped = np.full(len(docs), -1, dtype=np.int64)
    for d in used.tolist():
        stripped[d] = number.setdefault(_NOT_WORD.sub("", docs[d]), len(number))
    raw = stripped[doc]
    first_use = np.unique(raw, return_index=True)[1]
    firsts = raw[np.sort(first_use)]  # the distinct texts in order of first use
    renumber = np.empty(len(number), dtype=np.int64)
    renumber[firsts] = np.arange(len(firsts))
    texts = list(number)
    return renumber[raw], [texts[t] for t in firsts.tolist()]


def _group_key(g: tuple[str, int] | None) -> tuple[int, str, int]:
    """Reports without a known agency sort last; within an agency, by year."""
    if not g or not g[0]:
        return (1, "", 0)
    year = g[1] if isinstance(g[1], (int, np.integer)) else -1
    return (0, g[0], int(year))


def _top_partners(a: np.ndarray, b: np.ndarray, per_report: int) -> np.ndarray:
    """Mask of the pairs (in rank order) in their report's own top ``per_report`` list, for a or for b:
    among the first ``per_report`` pairs that report appears in."""
    me = np.stack((a, b), axis=1).ravel()  # pair k is entries 2k and 2k + 1: rank order kept
    order = np.argsort(me, kind="stable")
    me = me[order]
    starts = np.flatnonzero(np.r_[True, me[1:] != me[:-1]]) if len(me) else np.empty(0, dtype=np.int64)
    place = np.arange(len(me)) - np.repeat(starts, np.diff(np.r_[starts, len(me)]))
    keep = np.zeros(len(a), dtype=bool)
    keep[order[place < per_report] // 2] = True
    return keep


# ---------------------------------------------------------------------------------------------- passages
def longest_shared(a: str, b: str) -> str:
    """The longest passage the two texts share verbatim (after normalisation)."""
    start, size = _longest(a, b)
    return a[start:start + size]


def _longest(a: str, b: str) -> tuple[int, int]:
    """(start in a, length) of the longest common passage (see :func:`_longest_many`)."""
    return _longest_many([(a, b)])[0]


def _longest_many(pairs: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """(start in a, length) of the longest common passage of each pair (a, b). Fast path: the first longest
    run of ``a``'s 8-grams that occur in ``b``, accepted when the run really is a substring of ``b``; found
    with numpy for a batch of pairs at once. Otherwise difflib."""
    n = _PASSAGE_N
    out: list[tuple[int, int] | None] = [None] * len(pairs)
    todo = []
    for k, (a, b) in enumerate(pairs):
        if a == b:
            out[k] = (0, len(a))
        elif len(a) >= n and len(b) >= n:
            todo.append(k)
    for batch in _char_batches(todo, pairs):
        runs = _longest_runs([pairs[k][0] for k in batch], [pairs[k][1] for k in batch])
        for k, run in zip(batch, runs):
            a, b = pairs[k]
            if run is not None and a[run[0]:run[0] + run[1]] in b:
                out[k] = run
    return [o if o is not None else _longest_scan(*p) for o, p in zip(out, pairs)]


_PASSAGE_CHARS = 1 << 20  # characters hashed per batch of pairs (bounds the temporary arrays)


def _char_batches(todo: list[int], pairs: list[tuple[str, str]]) -> list[list[int]]:
    """``todo`` cut into consecutive batches of about ``_PASSAGE_CHARS`` characters."""
    batches, batch, chars = [], [], 0
    for k in todo:
        batch.append(k)
        chars += len(pairs[k][0]) + len(pairs[k][1])
        if chars >= _PASSAGE_CHARS:
            batches.append(batch)
            batch, chars = [], 0
    return batches + [batch] if batch else batches


def _longest_runs(As: list[str], Bs: list[str]) -> list[tuple[int, int] | None]:
    """For each pair (A[i], B[i]) (both at least 8 characters): (start, length in characters) of the first
    longest run of A[i]'s consecutive 8-grams that all occur in B[i], or None when none does. The hashes
    are numbered densely (hash table) so that (pair, number) is one int64 key."""
    import pandas as pd

    n, K = _PASSAGE_N, len(As)
    ha, pa = _flat_hashes(As, n)
    hb, pb = _flat_hashes(Bs, n)
    codes, uniq = pd.factorize(np.r_[ha, hb])
    U = max(len(uniq), 1)
    owner = np.repeat(np.arange(K, dtype=np.int64), np.diff(pa))
    q = owner * U + codes[:len(ha)]
    kb = np.repeat(np.arange(K, dtype=np.int64), np.diff(pb)) * U + codes[len(ha):]
    kb.sort(kind="stable")  # already pair by pair: a stable sort merges in near-linear time
    inb = kb[np.minimum(np.searchsorted(kb, q), len(kb) - 1)] == q
    before = np.r_[False, inb[:-1]]
    before[pa[:-1]] = False  # a run does not continue into the next pair's text
    after = np.r_[inb[1:], False]
    after[pa[1:] - 1] = False
    starts, ends = np.flatnonzero(inb & ~before), np.flatnonzero(inb & ~after)
    who, length = owner[starts], ends - starts + 1
    order = np.lexsort((starts, -length, who))  # per pair: longest, then first
    best = order[np.r_[True, who[order][1:] != who[order][:-1]]] if len(order) else order
    out: list[tuple[int, int] | None] = [None] * K
    for i, start, size in zip(who[best].tolist(), (starts[best] - pa[who[best]]).tolist(), length[best].tolist()):
        out[i] = (start, size + n - 1)
    return out


def _longest_scan(a: str, b: str) -> tuple[int, int]:
    """What difflib's ``find_longest_match`` (no junk) gives as (start in a, length): the longest common
    passage, the first in ``a`` among the longest. One left-to-right scan of ``a`` that only tries to beat
    the best length so far (a passage shared from i implies its prefixes are), each try a substring search
    in C: ~20× faster than difflib."""
    if len(a) * len(b) > 4_000_000:  # quadratic at worst; such long texts always share an 8-gram run
        return 0, 0
    best, size = 0, 0
    for i in range(len(a)):
        while i + size < len(a) and a[i:i + size + 1] in b:
            size += 1
            best = i
        if i + size >= len(a):
            break
    return best, size


_SPACE_RUN = re.compile(r"\s+")  # \s is exactly str.isspace, the whitespace that str.split() removes


def _passage(squeezed: str, source: str, start: int, size: int, max_passage: int) -> str:
    """Cut the passage from the text as printed (``source``), mapping squeezed offsets back past whitespace."""
    if not size:
        return ""
    gaps = [m.span() for m in _SPACE_RUN.finditer(source)]
    if len(source) - sum(e - s for s, e in gaps) != len(squeezed):  # cannot map back: the normalised passage
        passage = squeezed[start:start + size]
    else:
        passage = source[_source_offset(start, gaps):_source_offset(start + size - 1, gaps) + 1].replace("\n", " ")
    return passage[:max_passage] + "…" if len(passage) > max_passage else passage


def _source_offset(k: int, gaps: list[tuple[int, int]]) -> int:
    """Offset in the source of its k-th character that is not whitespace (``gaps``: whitespace runs)."""
    for s, e in gaps:
        if s > k:
            break
        k += e - s
    return k


def similar_problems(problems: "pd.DataFrame", reports: "pd.DataFrame | None" = None, n: int = 4,
                     min_similarity: float = 0.3, parts: tuple[str, ...] = ("problems", "improvements"),
                     max_passage: int = 300, per_report: int | None = 5, exact_below: int = 150,
                     stats: SimilarityStats | None = None) -> "pd.DataFrame":
    """The ``similar_problems`` table: report_id_a, report_id_b, similarity (cosine, 0–1, 4 decimals),
    shared_passage (the longest passage both share, as printed in report a, cut to ``max_passage`` characters
    with …). Most similar first; each report's ``per_report`` best partners, and with ``reports`` (report_id,
    agency, year) every same-agency pair of different years above the threshold (see :func:`cosine_pairs`).

    Built as columns, not rows: each passage is cut once per pair of distinct documents and the output
    column is gathered from those (pyarrow take), so the peak is about the output table itself."""
    import pandas as pd

    rids, doc, squeezed, source = _distinct_docs(problems, parts) if len(problems) else ([], np.empty(0, int), [], [])
    by_id = np.argsort(np.asarray(rids, dtype=object), kind="stable") if rids else np.empty(0, dtype=np.int64)
    rids, doc = [rids[i] for i in by_id.tolist()], doc[by_id]  # the code point order of the ids
    has_meta = reports is not None and {"report_id", "agency", "year"} <= set(reports.columns)
    groups = _groups(reports, set(rids)) if has_meta else None
    A, B, sims = _ranked_pairs(rids, doc, squeezed, n=n, min_similarity=min_similarity, per_report=per_report,
                               exact_below=exact_below, groups=groups, window=_WINDOW, max_df=_MAX_DF, stats=stats)
    del groups
    passages, which = _passages(doc[A], doc[B], squeezed, source, max_passage)
    del squeezed, source
    # most similar first as printed (4 decimals), then by ids; pairs are distinct, so the order is total
    values, at = np.unique(sims, return_inverse=True)
    printed = np.array([round(v, 4) for v in values.tolist()], dtype=np.float64)[at.reshape(-1)]
    order = np.lexsort((B, A, -printed))
    return pd.DataFrame({"report_id_a": _str_column(rids, A[order]), "report_id_b": _str_column(rids, B[order]),
                         "similarity": pd.Series(printed[order], dtype="float64"),
                         "shared_passage": _str_column(passages, which[order])})


def _passages(da: np.ndarray, db: np.ndarray, squeezed: list[str], source: list[str],
              max_passage: int) -> tuple[list[str], np.ndarray]:
    """(the shared passage of each distinct pair of documents, which of them each pair (da, db) has):
    near-copies repeat, so a passage is found once per pair of distinct documents, not per report pair."""
    N = max(len(squeezed), 1)
    pairs, which = np.unique(da * N + db, return_inverse=True)
    firsts, seconds = (pairs // N).tolist(), (pairs % N).tolist()
    spans = _longest_many([(squeezed[x], squeezed[y]) for x, y in zip(firsts, seconds)])
    passages = [_passage(squeezed[x], source[x], start, size, max_passage) for x, (start, size) in zip(firsts, spans)]
    return passages, which.reshape(-1)


def _str_column(values: list[str], take: np.ndarray) -> "pd.Series":
    """``values[take]`` as a pandas ``str`` column, gathered in pyarrow: no Python object per row."""
    import pandas as pd
    import pyarrow as pa

    gathered = pa.array(values, type=pa.large_string()).take(pa.array(take.astype(np.int64)))
    return pd.Series(pd.array(gathered, dtype="str"))


def _groups(reports: "pd.DataFrame", wanted: "Container[str]") -> dict[str, tuple[str, int]]:
    """report_id → (agency, year) for the reports that have a section text."""
    import pandas as pd

    out = {}
    cols = [reports[c].tolist() for c in ("report_id", "agency", "year")]
    for rid, agency, year in zip(*cols):
        rid = str(rid)
        if rid in wanted:
            y = None if pd.isna(year) else int(year)
            out[rid] = ("".join(agency.split()) if isinstance(agency, str) else "", y)
    return out


def label_pairs(similar: "pd.DataFrame", reports: "pd.DataFrame") -> "pd.DataFrame":
    """Add agency_a/b, year_a/b and same_agency, to tell copying from last year from copying a neighbour."""
    meta = reports[["report_id", "agency", "year"]]
    out = similar.merge(meta.add_suffix("_a"), on="report_id_a", how="left")
    out = out.merge(meta.add_suffix("_b"), on="report_id_b", how="left")
    out["same_agency"] = out["agency_a"].notna() & (out["agency_a"] == out["agency_b"])
    return out


from .keywords import corpus_idf, distinctive_terms  # noqa: E402  (re-exported: corpus-level text tools)

__all__ = ["similar_problems", "label_pairs", "cosine_pairs", "longest_shared", "section_texts",
           "SimilarityStats", "corpus_idf", "distinctive_terms"]
