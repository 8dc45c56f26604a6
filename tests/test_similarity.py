"""similarity: recycled problems text between reports, on synthetic texts generated here."""
from __future__ import annotations

import random
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers import similarity as sim
from helpers.similarity import COLUMNS, cosine_pairs, label_pairs, longest_shared, similar_problems

SUBJECTS = ["政府网站", "信息公开专栏", "政务新媒体", "依申请公开办理", "政策解读", "工作队伍", "公开目录", "业务培训",
            "内部审核", "意见征集", "公开指南", "政务公开标准化"]
FLAWS = ["有待加强", "不够规范", "更新不及时", "形式单一", "力量薄弱", "覆盖面不广", "针对性不强", "机制不健全"]
PLACES = ["县", "区", "市", "镇", "乡", "局", "委", "办"]


def synthetic_section(rng: random.Random, n: int = 6) -> str:
    """A made-up problems paragraph: n admissions built from random subjects and flaws."""
    parts = []
    for k in range(n):
        place = "".join(rng.choice(PLACES) for _ in range(3))
        parts.append(f"{'一二三四五六七八九十'[k]}是{place}{rng.choice(SUBJECTS)}{rng.choice(FLAWS)}，"
                     f"第{rng.randint(1, 999)}号事项{rng.choice(SUBJECTS)}{rng.choice(FLAWS)}。")
    return "".join(parts)


def rows(rid: str, problems: str, improvements: str = "下一步，我局将认真整改。") -> list[dict]:
    return [{"report_id": rid, "part": "problems", "text": problems, "line_start": 10, "line_end": 10},
            {"report_id": rid, "part": "improvements", "text": improvements, "line_start": 12, "line_end": 12}]


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, str]:
    rng = random.Random(5)
    original = synthetic_section(rng, 8)
    copied = original[: len(original) * 3 // 4] + synthetic_section(rng, 2)  # last year's text, lightly edited
    data = rows("a2022", original) + rows("a2023", copied)
    for k in range(6):
        data += rows(f"other{k}", synthetic_section(rng, 8))
    return pd.DataFrame(data), original[: len(original) * 3 // 4]


def test_copied_section_is_found_with_its_passage(corpus):
    df, shared = corpus
    out = similar_problems(df, min_similarity=0.5)
    assert list(out.columns) == COLUMNS
    assert len(out) == 1
    top = out.iloc[0]
    assert (top["report_id_a"], top["report_id_b"]) == ("a2022", "a2023")
    assert 0.5 <= top["similarity"] < 1.0
    assert shared.rstrip("，。") in top["shared_passage"] or top["shared_passage"] in shared
    assert len(top["shared_passage"]) >= len(shared) - 2


def test_identical_sections_score_one_and_unrelated_ones_low(corpus):
    df, _ = corpus
    dup = df[df["report_id"] == "other0"].assign(report_id="other0_copy")
    out = similar_problems(pd.concat([df, dup]), min_similarity=0.0)
    pair = out[(out["report_id_a"] == "other0") & (out["report_id_b"] == "other0_copy")]
    assert pair["similarity"].iloc[0] == pytest.approx(1.0)
    unrelated = out[(out["report_id_a"] == "other1") & (out["report_id_b"] == "other2")]
    assert unrelated.empty or unrelated["similarity"].iloc[0] < 0.3
    assert out["similarity"].is_monotonic_decreasing


def test_shared_boilerplate_alone_is_not_recycling():
    rng = random.Random(11)
    boiler = "我局政务公开工作虽然取得了一定成效，但仍存在一些不足。"
    data = []
    for k in range(10):
        data += rows(f"r{k}", boiler + synthetic_section(rng, 5))
    out = similar_problems(pd.DataFrame(data), min_similarity=0.5)
    assert out.empty


def test_minhash_path_finds_copies_in_a_larger_corpus():
    rng = random.Random(3)
    texts = {f"r{k:02d}": "政府信息公开工作" + synthetic_section(rng, 6) for k in range(40)}
    texts["copy"] = texts["r07"].replace("第", "第1")  # digits are ignored: still a copy
    texts["edit"] = texts["r11"][:60] + synthetic_section(rng, 1) + texts["r11"][60:]
    exact = {(a, b) for a, b, _ in cosine_pairs(texts, min_similarity=0.5, exact_below=1000)}
    approx = {(a, b) for a, b, _ in cosine_pairs(texts, min_similarity=0.5, exact_below=10)}
    assert exact == approx == {("copy", "r07"), ("edit", "r11")}


def test_a_template_shared_by_many_reports_stays_bounded():
    rng = random.Random(8)
    template = synthetic_section(rng, 8)
    texts = {f"t{k:03d}": template for k in range(300)}
    texts.update({f"u{k:02d}": synthetic_section(rng, 8) for k in range(20)})
    pairs = cosine_pairs(texts, min_similarity=0.5, per_report=3, exact_below=50)
    assert pairs and all(s == pytest.approx(1.0) for _, _, s in pairs)
    in_pairs = [x for a, b, _ in pairs for x in (a, b)]
    assert set(in_pairs) == {f"t{k:03d}" for k in range(300)}  # every copy is shown…
    assert len(pairs) <= 300 * 3  # …but not all 44,850 pairs
    assert not any(x.startswith("u") for x in in_pairs)


def test_per_report_keeps_each_reports_own_best_partners():
    rng = random.Random(4)
    base = synthetic_section(rng, 6)
    texts = {"a": base, "b": base, "c": base[:40] + synthetic_section(rng, 3), "d": base[:70] + "整改落实到位",
             "e": synthetic_section(rng, 6)}
    full = cosine_pairs(texts, min_similarity=0.05, per_report=None)
    capped = cosine_pairs(texts, min_similarity=0.05, per_report=1)
    for x in texts:
        mine = [p for p in full if x in p[:2]]
        if mine:
            assert mine[0] in capped  # the best partner of every report survives the cap
    assert len(capped) <= len(texts) and len(capped) < len(full)
    assert [s for _, _, s in capped] == sorted((s for _, _, s in capped), reverse=True)


def test_longest_shared_and_empty_input():
    assert longest_shared("甲乙丙丁戊己", "乙丙丁庚") == "乙丙丁"
    empty = similar_problems(pd.DataFrame(columns=["report_id", "part", "text", "line_start", "line_end"]))
    assert list(empty.columns) == COLUMNS and empty.empty


def test_label_pairs_marks_same_agency(corpus):
    df, _ = corpus
    out = similar_problems(df, min_similarity=0.5)
    reports = pd.DataFrame({"report_id": ["a2022", "a2023"], "agency": ["某县交通运输局"] * 2, "year": [2022, 2023]})
    lab = label_pairs(out, reports)
    assert lab["same_agency"].tolist() == [True]
    assert (lab["year_a"].iloc[0], lab["year_b"].iloc[0]) == (2022, 2023)


# ---------------------------------------------------------------------------------------------- at scale
def _sections(n: int):
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_similarity import make_sections

    rows_, reports, planted = make_sections(n)
    return pd.DataFrame(rows_), pd.DataFrame(reports), planted


def test_many_near_copies_take_a_bounded_number_of_comparisons():
    from helpers.similarity import SimilarityStats

    work = {}
    for n in (1500, 3000):
        problems, reports, planted = _sections(n)
        stats = SimilarityStats()
        out = similar_problems(problems, reports, per_report=5, stats=stats)
        found = set(zip(out["report_id_a"], out["report_id_b"]))
        assert planted <= found  # every agency that pasted last year's text is caught
        # at most 2 × per_report candidates per report are scored, plus same-agency / same-text neighbours
        assert stats.n_compared <= (2 * 5 + 10) * n
        assert stats.n_compared < n * (n - 1) / 2 / 50
        work[n] = stats.n_compared
    assert work[3000] <= 2.5 * work[1500]  # linear, not quadratic


def test_a_same_agency_copy_is_kept_beyond_the_top_k():
    rng = random.Random(21)
    base = synthetic_section(rng, 8)
    edited = base[:70] + synthetic_section(rng, 3)
    texts = {"x2022": base, "y2022": base, "x2023": edited, "z2023": edited}
    groups = {"x2022": ("甲局", 2022), "x2023": ("甲局", 2023), "y2022": ("乙局", 2022), "z2023": ("丙局", 2023)}
    plain = {(a, b) for a, b, _ in cosine_pairs(texts, per_report=1, min_similarity=0.2)}
    grouped = {(a, b) for a, b, _ in cosine_pairs(texts, per_report=1, min_similarity=0.2, groups=groups)}
    assert ("x2022", "x2023") not in plain  # both have an identical twin elsewhere, which fills top-1
    assert ("x2022", "x2023") in grouped and plain <= grouped


def test_same_rows_in_the_same_order_whatever_the_input_order():
    problems, reports, _ = _sections(1200)
    first = similar_problems(problems, reports)
    shuffled = similar_problems(problems.sample(frac=1, random_state=3), reports.sample(frac=1, random_state=4))
    pd.testing.assert_frame_equal(first, shuffled)
    assert not first.empty


def test_boilerplate_shared_by_every_report_makes_no_candidates():
    from helpers.similarity import SimilarityStats

    rng = random.Random(12)
    boiler = "我单位政务公开工作虽然取得了一定成效，但对照上级要求和人民群众期待仍存在一些差距和不足，主要表现在以下几个方面。"
    texts = {f"r{k:04d}": boiler + synthetic_section(rng, 4) for k in range(600)}
    stats = SimilarityStats()
    assert cosine_pairs(texts, min_similarity=0.5, stats=stats) == []
    assert stats.n_candidates < 600  # not 600 × window pairs from one giant bucket


# ---------------------------------------------------------------------------------------------- fast = slow
# The corpus stage runs vectorised over flat arrays and batches of pairs. Each fast step is checked here
# against the plain per-text / per-pair version it replaced (kept below as the reference), bit for bit.
_TEXT = st.text(alphabet="甲乙丙丁戊己ab \n\u3000，。", max_size=40)
_FEW = st.text(alphabet="甲乙丙丁戊", max_size=60)  # few letters: long shared passages, 8-gram runs


def _ref_gram_hashes(text: str, n: int) -> np.ndarray:
    c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(c) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h = h * sim._MUL + c[k:k + m]
    h ^= h >> np.uint64(31)
    h *= sim._MIX1
    h ^= h >> np.uint64(29)
    return h


def _ref_vectors(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(keys = text × V + id, weights, ptr, V): one np.unique per text, then one over everything."""
    uniq, counts = [], []
    for t in texts:
        u, c = np.unique(_ref_gram_hashes(t, n), return_counts=True)
        uniq.append(u)
        counts.append(c)
    lens = np.array([len(u) for u in uniq], dtype=np.int64)
    ptr = np.r_[0, np.cumsum(lens)]
    vocab, ids, df = np.unique(np.concatenate(uniq), return_inverse=True, return_counts=True)
    N = len(texts)
    w = np.concatenate(counts).astype(np.float64)
    w = (1 + np.log(w)) * (np.log((1 + N) / (1 + df[ids])) + 1)
    V = max(len(vocab), 1)
    keys = np.repeat(np.arange(N, dtype=np.int64), lens)
    norms = np.sqrt(np.bincount(keys, weights=w * w, minlength=N))
    w /= np.where(norms > 0, norms, 1.0)[keys]
    return keys * V + ids, w, ptr, V


def _ref_cosines(keys: np.ndarray, wts: np.ndarray, ptr: np.ndarray, V: int, A: np.ndarray,
                 B: np.ndarray) -> np.ndarray:
    out = np.zeros(len(A))
    for i, (a, b) in enumerate(zip(A.tolist(), B.tolist())):
        q = keys[ptr[a]:ptr[a + 1]] + (b - a) * V
        j = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        hit = keys[j] == q
        out[i] = np.bincount(np.zeros(int(hit.sum()), dtype=np.int64),
                             weights=wts[ptr[a]:ptr[a + 1]][hit] * wts[j[hit]], minlength=1)[0]
    return np.minimum(out, 1.0)


def _ref_longest(a: str, b: str) -> tuple[int, int]:
    if a == b:
        return 0, len(a)
    n = sim._PASSAGE_N
    if len(a) >= n and len(b) >= n:
        ha, hb = _ref_gram_hashes(a, n), np.sort(_ref_gram_hashes(b, n))
        inb = hb[np.minimum(np.searchsorted(hb, ha), len(hb) - 1)] == ha
        if inb.any():
            edges = np.diff(np.r_[0, inb.astype(np.int8), 0])
            starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            k = int(np.argmax(ends - starts))
            start, size = int(starts[k]), int(ends[k] - starts[k]) + n - 1
            if a[start:start + size] in b:
                return start, size
    if len(a) * len(b) > 4_000_000:
        return 0, 0
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.a, m.size


def _ref_passage(squeezed: str, source: str, start: int, size: int, max_passage: int) -> str:
    if not size:
        return ""
    spaces = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint64)
    codes = np.frombuffer(source.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    idx = np.flatnonzero(~np.isin(codes, spaces))
    if len(idx) != len(squeezed):
        passage = squeezed[start:start + size]
    else:
        passage = source[idx[start]:idx[start + size - 1] + 1].replace("\n", " ")
    return passage[:max_passage] + "…" if len(passage) > max_passage else passage


def _bench_texts(n: int) -> list[str]:
    problems, _, _ = _sections(n)
    return list(dict.fromkeys(sim._NOT_WORD.sub("", t) for t in problems["text"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=8), st.integers(1, 8))
def test_flat_hashes_equal_per_text_hashes(texts, n):
    h, ptr = sim._flat_hashes(texts, n)
    for t, text in enumerate(texts):
        assert np.array_equal(h[ptr[t]:ptr[t + 1]], _ref_gram_hashes(text, n))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁戊", max_size=30), min_size=1, max_size=12), st.integers(1, 5))
def test_chunked_vectors_equal_per_text_vectors(texts, n):
    vec = sim._vectors(texts, n)
    keys, wts, ptr, V = _ref_vectors(texts, n)
    owner = np.repeat(np.arange(len(texts)), np.diff(vec.ptr))
    assert np.array_equal(vec.ptr, ptr) and vec.V == V
    assert np.array_equal(owner * vec.V + vec.ids, keys)
    assert np.array_equal(vec.weights(np.arange(len(owner)), owner), wts)  # bit for bit: cosines are printed


def test_vectors_cosines_and_signatures_equal_the_reference_on_generated_reports(monkeypatch):
    monkeypatch.setattr(sim, "_CHUNK", 9973)  # many chunks, a ragged last one
    texts = _bench_texts(700)
    texts.insert(5, "我单位政务公开工作虽然取得了一定成效")  # boilerplate only: no MinHash signature
    vec = sim._vectors(texts, 4)
    keys, wts, ptr, V = _ref_vectors(texts, 4)
    owner = np.repeat(np.arange(len(texts)), np.diff(vec.ptr))
    assert np.array_equal(owner * vec.V + vec.ids, keys)
    assert np.array_equal(vec.weights(np.arange(len(owner)), owner), wts)
    rng = np.random.default_rng(1)
    A = rng.integers(0, len(texts), 3000)
    B = np.where(rng.random(3000) < 0.5, (A + 1) % len(texts), rng.integers(0, len(texts), 3000))
    monkeypatch.setattr(sim, "_BATCH", 128)
    assert np.array_equal(sim._cosines(vec, A, B), _ref_cosines(keys, wts, ptr, V, A, B))
    sig, valid = sim._signatures(vec, 40)  # uint32 values and a mask = the old uint64 with a sentinel
    assert valid.any() and not valid.all()
    rare = vec.df <= 40
    for t in rng.integers(0, len(texts), 50).tolist():
        h = vec.vocab[vec.ids[vec.ptr[t]:vec.ptr[t + 1]][rare[vec.ids[vec.ptr[t]:vec.ptr[t + 1]]]]]
        assert valid[t] == bool(len(h))
        if len(h):
            rng_h = np.random.default_rng(20240101)
            a = rng_h.integers(1, 1 << 63, size=sim._HASHES, dtype=np.uint64) | np.uint64(1)
            b = rng_h.integers(0, 1 << 63, size=sim._HASHES, dtype=np.uint64)
            want = [int(((a[i] * h + b[i]) >> np.uint64(32)).min()) for i in range(sim._HASHES)]
            assert sig[t].tolist() == want
    old = np.where(valid[:, None], sig.astype(np.uint64), np.iinfo(np.uint64).max)  # the sentinel version
    A, B = np.r_[A, 5, 5, 6], np.r_[B, 5, 6, 5]  # and pairs with the text that has no signature
    assert np.array_equal(sim._agreement(sig, valid, A, B), (old[A] == old[B]).sum(axis=1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙丙丁", max_size=40), st.text(alphabet="甲乙丙丁", max_size=40))
def test_longest_scan_equals_difflib(a, b):
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    assert sim._longest_scan(a, b) == (m.a, m.size)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_FEW, _FEW), max_size=10))
def test_batched_longest_equals_per_pair_longest(pairs):
    assert sim._longest_many(pairs) == [_ref_longest(a, b) for a, b in pairs]


def test_batched_longest_equals_per_pair_longest_on_generated_reports(monkeypatch):
    monkeypatch.setattr(sim, "_PASSAGE_CHARS", 5000)  # many batches
    texts = _bench_texts(400)
    rng = random.Random(2)
    pairs = [(rng.choice(texts), rng.choice(texts)) for _ in range(600)]
    pairs += [(t, t[: len(t) // 2] + "另起一段" + t[len(t) // 2:]) for t in texts[:100]]
    assert sim._longest_many(pairs) == [_ref_longest(a, b) for a, b in pairs]


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(0, 50), st.integers(0, 50), st.integers(1, 30))
def test_passage_mapping_equals_the_array_version(source, start, size, max_passage):
    squeezed = "".join(source.split())
    for sq in (squeezed, squeezed + "多"):  # mappable, and not
        if start + size <= len(sq):
            args = (sq, source, start, size, max_passage)
            assert sim._passage(*args) == _ref_passage(*args)


def test_rows_come_in_the_order_pandas_sorts_them():
    problems, reports, _ = _sections(1500)
    rename = {r: (f"报告{r[-4:]}" if int(r[-3:]) % 3 else f"Z{r}") for r in reports["report_id"]}  # mixed scripts
    problems["report_id"] = problems["report_id"].map(rename)
    reports["report_id"] = reports["report_id"].map(rename)
    out = similar_problems(problems, reports, min_similarity=0.1)
    again = out.sort_values(["similarity", "report_id_a", "report_id_b"], ascending=[False, True, True],
                            kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(out, again)
    assert out["similarity"].duplicated().any()  # ties on the printed value, ordered by the ids


@pytest.mark.parametrize("scale", [1, 1 << 19])  # packed sort key, and several keys past ~2 million items
def test_cap_per_item_keeps_each_items_best_pairs(scale):
    rng = np.random.default_rng(7)
    A = rng.integers(0, 60, 2000) * scale
    B = A + rng.integers(1, 40, 2000) * scale
    agree, prefer = rng.integers(0, sim._HASHES + 1, 2000), rng.random(2000) < 0.2
    want = np.zeros(2000, dtype=bool)
    for item in np.unique(np.r_[A, B]).tolist():
        mine = [k for k in range(2000) if item in (A[k], B[k])]
        other = {k: int(B[k] if A[k] == item else A[k]) for k in mine}
        mine.sort(key=lambda k: (-agree[k], not prefer[k], abs(other[k] - item), other[k], k))
        want[mine[:3]] = True
    assert np.array_equal(sim._cap_per_item(A, B, agree, prefer, 3), want)


def test_spans_cut_by_size_and_keep_big_items_whole():
    assert sim._spans(np.array([5, 20, 1, 1, 3]), 10) == [(0, 1), (1, 2), (2, 5)]
    assert sim._spans(np.array([], dtype=np.int64), 10) == []


# ---------------------------------------------------------------------------------------------- columns = rows
# similar_problems is assembled from arrays (distinct documents, pair indices, a pyarrow gather); these
# check it against the per-report / per-row assembly it replaced.
def _ref_top_partners(scored: list[tuple[int, int, bool]], per_report: int) -> list[bool]:
    """The row loop: a pair is kept while one of its two reports has had fewer than ``per_report`` pairs."""
    own: dict[int, int] = {}
    keep = []
    for a, b, same in scored:
        wanted = same
        for x in (a, b):
            k = own.get(x, 0)
            if k < per_report:
                own[x] = k + 1
                wanted = True
        keep.append(wanted)
    return keep


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=80), st.integers(1, 4))
def test_top_partners_mask_equals_the_row_loop(pairs, per_report):
    pairs = list(dict.fromkeys((min(a, b), max(a, b)) for a, b in pairs if a != b))
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    want = _ref_top_partners([(x, y, False) for x, y in pairs], per_report)
    assert sim._top_partners(a, b, per_report).tolist() == want


def _ref_section_docs(problems: pd.DataFrame, parts: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Per report, no sharing of identical sections."""
    from helpers.normalize import normalize_lines

    out = {}
    df = problems[problems["part"].isin(parts)].copy()
    df["_order"] = df["part"].map({p: k for k, p in enumerate(parts)})
    for rid, g in df.sort_values(["report_id", "_order", "line_start"], kind="stable").groupby("report_id", sort=True):
        raw = "\n".join(t for t in g["text"] if isinstance(t, str) and t)
        norm = "\n".join(normalize_lines(raw.split("\n")))
        squeezed = "".join(norm.split())
        if squeezed:
            out[str(rid)] = (squeezed, raw if len(norm) == len(raw) else norm)
    return out


def _copied_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports that paste one of a few sections verbatim (some in traditional characters, some empty)."""
    rng = random.Random(17)
    sections = [synthetic_section(rng, 5) for _ in range(4)] + ["一是政務公開工作有待加強。", "  ", ""]
    data, meta = [], []
    for k in range(240):
        rid = f"r{k:03d}"
        data += rows(rid, rng.choice(sections), rng.choice(["下一步，我局将认真整改。", ""]))
        meta.append({"report_id": rid, "agency": f"局{k % 37}", "year": 2020 + k % 4})
    return pd.DataFrame(data).sample(frac=1, random_state=2), pd.DataFrame(meta)


def test_distinct_documents_equal_per_report_sections():
    problems, _ = _copied_corpus()
    odd = pd.DataFrame([  # missing and empty lines; other lines that join to an existing section
        {"report_id": "x1", "part": "problems", "text": None, "line_start": 1, "line_end": 1},
        {"report_id": "x1", "part": "improvements", "text": "下一步，我局将认真整改。", "line_start": 2, "line_end": 2},
        {"report_id": "x2", "part": "problems", "text": "", "line_start": 1, "line_end": 1},
        {"report_id": "x2", "part": "problems", "text": "下一步，我局将认真整改。", "line_start": 3, "line_end": 3},
        {"report_id": "x3", "part": "other", "text": "不算", "line_start": 1, "line_end": 1}])
    problems = pd.concat([problems, odd], ignore_index=True)
    parts = ("problems", "improvements")
    assert sim._section_docs(problems, parts) == _ref_section_docs(problems, parts)
    rids, doc, squeezed, _ = sim._distinct_docs(problems, parts)
    assert len(squeezed) < 20 < len(rids)  # the copies share their document


def test_table_from_columns_equals_the_table_from_rows():
    problems, reports = _copied_corpus()
    docs = _ref_section_docs(problems, ("problems", "improvements"))
    texts = {rid: d[0] for rid, d in docs.items()}
    pairs = cosine_pairs(texts, groups=sim._groups(reports, texts), exact_below=100)
    table = []
    for a, b, s in pairs:
        start, size = sim._longest(texts[a], texts[b])
        table.append((a, b, round(s, 4), sim._passage(texts[a], docs[a][1], start, size, 300)))
    table.sort(key=lambda r: (-r[2], r[0], r[1]))
    want = pd.DataFrame({c: pd.Series([r[i] for r in table], dtype="float64" if c == "similarity" else "str")
                         for i, c in enumerate(COLUMNS)})
    got = similar_problems(problems, reports, exact_below=100)
    assert len(want) > 100
    pd.testing.assert_frame_equal(got, want)
    assert got.equals(want) and list(got.dtypes) == list(want.dtypes)
