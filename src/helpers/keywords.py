"""Keywords of section 五 with jieba: a project-local tokenizer, two stopword layers, admission signals.

Why a private ``jieba.Tokenizer``: ``jieba.load_userdict`` mutates the module-global ``jieba.dt`` and so
every later ``jieba.lcut`` in the notebook kernel. Ours is built once per process on first use (about
0.7 s the first time, 0.2 s from its dictionary image after that), loads the domain terms of
``data/text/userdict.txt`` with ``add_word`` (never ``del_word`` or ``freq=0``, which leak into jieba's
global HMM state), keeps its cache in a user-owned folder and logs nothing.

Tokens are filtered by two stopword layers (``stopwords_general.txt``: function words;
``stopwords_official.txt``: the boilerplate of official prose such as 进一步/加强/切实), while the words
with which a report admits a shortcoming (``signals.txt``: 有待, 不足, 不够, 薄弱, 滞后 …) are always kept.

Corpus statistics (IDF over this corpus, not jieba's bundled general-web IDF) work on the ``tokens`` table
as a DataFrame, so notebooks can call :func:`distinctive_terms` directly.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import re
import tempfile
from array import array
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from . import lent_resources
from .normalize import normalize_lines
from .paths import CACHE, DATA_FILES

if TYPE_CHECKING:  # pandas is imported lazily: parse workers only need count_tokens
    import jieba
    import pandas as pd

TEXT_DATA = DATA_FILES / "text"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"^[A-Za-z]{2,}$")
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十\d]+)$")


def _read_list(name: str) -> list[str]:
    """One entry per line; ``#`` starts a comment line; the first field is the word."""
    out: list[str] = []
    for line in (TEXT_DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=1)
def signals() -> frozenset[str]:
    """Admission signal words (有待, 不足 …): never dropped as stopwords."""
    return frozenset(_read_list("signals.txt"))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Both stopword layers, minus the admission signals (signals win if a list ever names one)."""
    words = set(_read_list("stopwords_general.txt")) | set(_read_list("stopwords_official.txt"))
    return frozenset(words - signals())


@lru_cache(maxsize=1)
def user_terms() -> tuple[tuple[str, int | None, str | None], ...]:
    """The user dictionary as (word, freq, tag) triples."""
    terms = []
    for line in _read_list("userdict.txt"):
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        terms.append((word, freq, tag))
    return tuple(terms)


def cache_dir() -> Path:
    """A folder the user owns for jieba's 9 MB prefix-dict cache: the project's .cache, else ~/.cache."""
    for cand in (CACHE / "jieba", Path.home() / ".cache" / "helpers" / "jieba"):
        try:
            cand.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(cand, os.W_OK):
            return cand
    return Path(tempfile.mkdtemp(prefix="helpers-jieba-"))


def _jieba():
    """jieba, imported without ``pkg_resources`` (see :mod:`helpers.lent_resources`)."""
    return lent_resources.import_module("jieba")


_IMAGE_FORMAT = 1  # bump when the image's layout changes


def _image_path(tk: "jieba.Tokenizer") -> Path:
    """The dictionary image's file, named by everything the built dictionary depends on: jieba's version,
    its dictionary file (path, size, mtime) and our user terms. A change to any of them names a new image."""
    jieba = _jieba()

    source = tk.dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    st = os.stat(source)
    key = repr((_IMAGE_FORMAT, jieba.__version__, source, st.st_size, st.st_mtime_ns, user_terms()))
    return cache_dir() / f"dictionary-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pkl"


def _save_image(path: Path, tk: "jieba.Tokenizer") -> None:
    """The built prefix dictionary as one string of words and one block of int64 counts.

    Why: jieba's own cache is a marshalled dict of 500k entries, which takes 0.6–0.9 s to load; splitting
    one string and zipping it with an array builds the same dict, in the same order, in under 0.2 s. That
    is most of a build's fixed start-up cost, and most of the wait when one new report is added."""
    words = list(tk.FREQ)
    if any("\n" in w for w in words) or any(freq == 0 for _, freq, _ in user_terms()):
        return  # a word that cannot be split back; a freq-0 term, which also changes jieba's global HMM state
    blob = ("\n".join(words), array("q", tk.FREQ.values()).tobytes(), tk.total, dict(tk.user_word_tag_tab))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dictionary-")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(blob, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only cache folder only costs speed
        Path(tmp).unlink(missing_ok=True)
        return
    for old in path.parent.glob("dictionary-*.pkl"):  # images of an older jieba or user dictionary
        if old != path:
            old.unlink(missing_ok=True)


def _load_image(path: Path) -> tuple[dict[str, int], int, dict[str, str]] | None:
    """(FREQ, total, tags) from an image, or None when there is none or it cannot be read whole."""
    try:
        with open(path, "rb") as f:
            text, counts_bytes, total, tags = pickle.load(f)
        counts = array("q")
        counts.frombytes(counts_bytes)
        words = text.split("\n")
        if len(words) != len(counts) or not isinstance(total, int) or not isinstance(tags, dict):
            return None
        return dict(zip(words, counts.tolist())), total, tags
    except Exception:  # missing, truncated, written by something else: build from jieba instead
        return None


@lru_cache(maxsize=1)
def tokenizer() -> "jieba.Tokenizer":
    """The process's tokenizer, built on first use (not at import: a parse worker may never need it).

    The built dictionary (jieba's plus the user terms) is kept as an image in :func:`cache_dir`, so that
    later processes load it in a fraction of jieba's time (see :func:`_save_image`)."""
    jieba = _jieba()

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir())
    image = _image_path(tk)
    loaded = _load_image(image)
    if loaded is not None:
        tk.FREQ, tk.total, tk.user_word_tag_tab = loaded
        tk.initialized = True
        return tk
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # 'Building prefix dict…' and cache-dump tracebacks; restored below
    try:
        tk.initialize()
        for word, freq, tag in user_terms():
            tk.add_word(word, freq, tag)
    finally:
        logger.setLevel(level)
    _save_image(image, tk)
    return tk


def keep(token: str) -> bool:
    """Whether a token is worth counting: a signal, or a non-stopword of 2+ CJK characters / a Latin word."""
    if token in signals():
        return True
    if token in stopwords() or _ENUMERATOR.match(token):
        return False
    if _CJK.search(token):
        return len(token) >= 2
    return bool(_LATIN_WORD.match(token))


@lru_cache(maxsize=1)
def _signal_inside() -> re.Pattern[str]:
    """Signals hidden in jieba's compound words (力量薄弱, 人员不足), longest first."""
    return re.compile("|".join(sorted(map(re.escape, signals()), key=len, reverse=True)))


def _split_signal(tok: str) -> list[str]:
    """力量薄弱 → 力量, 薄弱: a signal inside a dictionary compound is counted as the signal."""
    m = _signal_inside().search(tok)
    if not m or tok in _user_words():
        return [tok]
    return [t for t in (tok[:m.start()], m.group(0), *_split_signal(tok[m.end():])) if t]


@lru_cache(maxsize=1)
def _user_words() -> frozenset[str]:
    return frozenset(w for w, _, _ in user_terms())


_KEPT: dict[str, tuple[str, ...]] = {}  # raw jieba token → what it counts as; tokens repeat, so filter once
_KEPT_MAX = 500_000


def _kept(tok: str) -> tuple[str, ...]:
    if tok in signals():
        return (tok,)
    if len(tok) < 2 or tok in stopwords():
        return ()
    if len(tok) >= 3 and _signal_inside().search(tok):
        return tuple(t for t in _split_signal(tok) if keep(t))
    return (tok,) if keep(tok) else ()


_MISS = object()  # in the trie: no dictionary word starts with this fragment
_TRIE_MAX = 200_000  # entries of ~200 bytes: at most ~40 MB per process


class _Segmenter:
    """jieba's accurate mode with HMM (``Tokenizer.cut(s, HMM=True)``), word for word, in fewer Python steps.

    Why: jieba spends most of its time building a DAG dict of lists and then taking ``max`` over a
    generator per character; here both passes are one walk per character down a trie of the prefix
    dictionary, and the log probability of each word is computed once per process (the same float
    expression, so ties and routes are identical). Unknown runs still go through jieba's own ``finalseg``
    HMM. The equivalence with ``Tokenizer.cut`` is tested (tests/test_parse_equivalence.py).
    """

    def __init__(self, tk: "jieba.Tokenizer"):
        jieba = _jieba()
        from jieba import finalseg

        self.freq = tk.FREQ
        self.logtotal = math.log(tk.total)
        self.total = tk.total
        # The prefix dictionary as a trie, grown as the text asks: character → (log probability, children),
        # -inf for a prefix that is no word itself, or _MISS where no dictionary word continues.
        self.trie: dict[str, object] = {}
        self.trie_size = 0
        self.re_han = jieba.re_han_default
        self.re_skip = jieba.re_skip_default
        self.finalseg = finalseg
        self.hmm = _hmm_model(finalseg)
        # cut() and _hmm_cut() read re.split's parts by parity (odd = a captured block), so one group exactly
        assert self.re_han.groups == 1 and finalseg.re_han.groups == 1

    def _route(self, sentence: str) -> list[int]:
        """For each start index, the end index (exclusive) of the best word: jieba's get_DAG + calc.

        Why a trie: a step is one lookup of a character (listed once, so hashed once) in a small dict, where
        a dict of fragments needed a new slice, hashed, per step; and a fragment that starts no word is
        remembered too (it cost two lookups each time). Only a fragment met for the first time costs more
        than it did (an entry to make): the route of text that shares the corpus's words takes a third less time."""
        trie, freq, log, logtotal, miss, ninf = self.trie, self.freq, math.log, self.logtotal, _MISS, -math.inf
        grown = 0
        chars = list(sentence)
        n = len(chars)
        score = [0.0] * (n + 1)
        end = [0] * n
        for k in range(n - 1, -1, -1):
            best_s, best_x = ninf, 0
            node, j = trie, k
            while j < n:
                c = chars[j]
                entry = node.get(c)
                if entry is None:  # first time this fragment is met
                    f = freq.get(sentence[k:j + 1])
                    node[c] = entry = miss if f is None else ((log(f) - logtotal) if f else ninf, {})
                    grown += 1
                if entry is miss:
                    break
                j += 1
                lp, node = entry
                sc = lp + score[j]  # -inf for a prefix that is no word: it never beats a word
                if sc >= best_s:  # max over (score, x): ties go to the longer word
                    best_s, best_x = sc, j
            if best_s == ninf:  # no dictionary word starts here: the single character
                best_s, best_x = (log(freq.get(chars[k]) or 1) - logtotal) + score[k + 1], k + 1
            score[k], end[k] = best_s, best_x
        self.trie_size += grown
        if self.trie_size > _TRIE_MAX:
            trie.clear()
            self.trie_size = 0
        return end

    def _cut_block(self, sentence: str, out: list[str]) -> None:
        end = self._route(sentence)
        x, n, run = 0, len(sentence), -1  # run: where the current run of single characters began
        while x < n:
            y = end[x]
            if y - x == 1:
                if run < 0:
                    run = x
            else:
                if run >= 0:
                    self._flush(sentence[run:x], out)
                    run = -1
                out.append(sentence[x:y])
            x = y
        if run >= 0:
            self._flush(sentence[run:], out)

    def _flush(self, buf: str, out: list[str]) -> None:
        """A run of single characters: one token, HMM-cut when it is no dictionary word (as jieba does)."""
        if len(buf) == 1:
            out.append(buf)
        elif not self.freq.get(buf):
            self._hmm_cut(buf, out)
        else:
            out.extend(buf)

    def _hmm_cut(self, sentence: str, out: list[str]) -> None:
        """``finalseg.cut``: its blocks, Viterbi words and forced splits, with :func:`_hmm_states`.

        The blocks are told from the gaps by their place in ``re_han.split`` (as in :meth:`cut`), and the
        empty gaps around a run of Han characters, which give no word, are skipped."""
        fs = self.finalseg
        force = fs.Force_Split_Words
        for k, blk in enumerate(fs.re_han.split(sentence)):
            if k % 2:
                for word in _hmm_words(blk, _hmm_states(blk, fs, self.hmm)):
                    if word in force:
                        out.extend(word)
                    else:
                        out.append(word)
            elif blk:
                out.extend(x for x in fs.re_skip.split(blk) if x)

    def cut(self, sentence: str) -> list[str]:
        out: list[str] = []
        re_skip = self.re_skip
        for k, blk in enumerate(self.re_han.split(sentence)):
            if k % 2:  # re.split puts the captured blocks at odd places, the gaps (no re_han character) between
                self._cut_block(blk, out)
            elif "\r\n" not in blk:  # a gap: jieba gives each character alone, \r\n aside
                out.extend(blk)
            else:
                for x in re_skip.split(blk):
                    if re_skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out


def _hmm_model(fs) -> tuple:
    """What :func:`_hmm_states` reads from finalseg's model (fixed once jieba is loaded), looked up once
    per segmenter: most runs it is given are two or three characters, for which these lookups cost more
    than the Viterbi steps."""
    low, start, trans, emit = fs.MIN_FLOAT, fs.start_P, fs.trans_P, fs.emit_P
    return (low, start["B"], start["M"], start["S"], start["E"],
            emit["B"].get, emit["M"].get, emit["S"].get, emit["E"].get,
            trans["E"].get("B", low), trans["S"].get("B", low),  # into B from E, S
            trans["M"].get("M", low), trans["B"].get("M", low),  # into M from M, B
            trans["S"].get("S", low), trans["E"].get("S", low),  # into S from S, E
            trans["B"].get("E", low), trans["M"].get("E", low))  # into E from B, M


def _hmm_states(obs: str, fs, model: tuple | None = None) -> str:
    """``finalseg.viterbi(obs, 'BMES', …)``'s state sequence, unrolled for jieba's four states.

    ``model`` is :func:`_hmm_model` of ``fs``, when the caller keeps it. Each score is summed in jieba's
    order (previous + transition + emission) and each ``max`` over (score, state) pairs breaks ties as
    tuples do, towards the greater state letter; so the states are jieba's (tested against ``finalseg.cut``)."""
    (low, s_b, s_m, s_s, s_e, e_b, e_m, e_s, e_e,
     t_eb, t_sb, t_mm, t_bm, t_ss, t_es, t_be, t_me) = model or _hmm_model(fs)
    c = obs[0]
    v_b, v_m = s_b + e_b(c, low), s_m + e_m(c, low)
    v_s, v_e = s_s + e_s(c, low), s_e + e_e(c, low)
    back: list[tuple[str, str, str, str]] = []  # per step: the previous state of B, M, S, E
    for c in obs[1:]:
        em = e_b(c, low)
        a, b = v_e + t_eb + em, v_s + t_sb + em
        n_b, p_b = (a, "E") if a > b else (b, "S")
        em = e_m(c, low)
        a, b = v_m + t_mm + em, v_b + t_bm + em
        n_m, p_m = (a, "M") if a >= b else (b, "B")
        em = e_s(c, low)
        a, b = v_s + t_ss + em, v_e + t_es + em
        n_s, p_s = (a, "S") if a >= b else (b, "E")
        em = e_e(c, low)
        a, b = v_b + t_be + em, v_m + t_me + em
        n_e, p_e = (a, "B") if a > b else (b, "M")
        v_b, v_m, v_s, v_e = n_b, n_m, n_s, n_e
        back.append((p_b, p_m, p_s, p_e))
    state = "E" if v_e > v_s else "S"
    states = [state]
    for step in reversed(back):
        state = step["BMSE".index(state)]
        states.append(state)
    return "".join(reversed(states))


def _hmm_words(sentence: str, states: str) -> list[str]:
    """finalseg's ``__cut``: words from the B/M/E/S state of each character."""
    words: list[str] = []
    begin, nexti = 0, 0
    for i, pos in enumerate(states):
        if pos == "B":
            begin = i
        elif pos == "E":
            words.append(sentence[begin:i + 1])
            nexti = i + 1
        elif pos == "S":
            words.append(sentence[i])
            nexti = i + 1
    if nexti < len(sentence):
        words.append(sentence[nexti:])
    return words


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    return _Segmenter(tokenizer())


def segment(text: str, hmm: bool = True) -> list[str]:
    """jieba's words for ``text`` with the project tokenizer (the fast path for the default HMM mode)."""
    if not hmm:
        return list(tokenizer().cut(text, HMM=False))
    seg = _segmenter()
    if seg.total != tokenizer().total:  # someone added words to the tokenizer: start again
        _segmenter.cache_clear()
        seg = _segmenter()
    return seg.cut(text)


def tokenize(text: str, hmm: bool = True) -> list[str]:
    """Normalised (full-width → ASCII, traditional → simplified) text → kept tokens, in order."""
    norm = "\n".join(normalize_lines(text.split("\n")))
    if len(_KEPT) > _KEPT_MAX:
        _KEPT.clear()
    out: list[str] = []
    for tok in segment(norm, hmm):
        kept = _KEPT.get(tok)
        if kept is None:
            kept = _KEPT[tok] = _kept(tok)
        if kept:
            out.extend(kept)
    return out


def is_signal(token: str) -> bool:
    return token in signals()


def count_tokens(problem_rows: list[dict]) -> list[dict]:
    """Rows of the ``tokens`` table: report_id, part, token, count (most frequent first, then by token)."""
    rows: list[dict] = []
    for r in problem_rows:
        items = sorted(Counter(tokenize(r["text"])).items())  # by token, then (stable) by count, largest first
        items.sort(key=itemgetter(1), reverse=True)
        rid, part = r["report_id"], r["part"]
        rows += [{"report_id": rid, "part": part, "token": tok, "count": n} for tok, n in items]
    return rows


# ---- corpus level (DataFrames; for notebooks and build) ----

def _units(tokens: "pd.DataFrame", by: str, reports: "pd.DataFrame | None", part: str | None) -> "pd.DataFrame":
    df = tokens if part is None else tokens[tokens["part"] == part]
    if by != "report_id":
        if reports is None or by not in reports.columns:
            raise ValueError(f"grouping by {by!r} needs a reports table with report_id and {by}")
        df = df.merge(reports[["report_id", by]], on="report_id", how="inner")
        df = df[df[by].notna() & (df[by].astype(str) != "")]
    return df.groupby([by, "token"], as_index=False, sort=True)["count"].sum()


def corpus_idf(tokens: "pd.DataFrame", by: str = "report_id", reports: "pd.DataFrame | None" = None,
               part: str | None = "problems") -> "pd.Series":
    """Smoothed IDF of each token over this corpus: ln((1 + N) / (1 + df)) + 1, N = number of ``by`` units.

    The unit is a report (``by="report_id"``) or, with ``reports``, an agency (all its years pooled).
    """
    df = _units(tokens, by, reports, part)
    n = df[by].nunique()
    doc_freq = df.groupby("token")[by].nunique()
    return (((1 + n) / (1 + doc_freq)).map(math.log) + 1).rename("idf")


def distinctive_terms(tokens: "pd.DataFrame", by: str = "report_id", reports: "pd.DataFrame | None" = None,
                      part: str | None = "problems", top: int = 10, min_count: int = 1) -> "pd.DataFrame":
    """The terms that set each report (or agency) apart from the rest of the corpus, by TF-IDF.

    tf = count / all kept tokens of the unit; idf from :func:`corpus_idf` over the same units. Columns:
    ``by``, token, count, tf, df, idf, score, rank, signal. Ties break by token so the order is stable.
    """
    import pandas as pd

    df = _units(tokens, by, reports, part)
    if df.empty:
        return pd.DataFrame(columns=[by, "token", "count", "tf", "df", "idf", "score", "rank", "signal"])
    n = df[by].nunique()
    doc_freq = df.groupby("token")[by].nunique().rename("df")
    df = df.merge(doc_freq, left_on="token", right_index=True)
    df["tf"] = df["count"] / df.groupby(by)["count"].transform("sum")
    df["idf"] = ((1 + n) / (1 + df["df"])).map(math.log) + 1
    df["score"] = df["tf"] * df["idf"]
    df = df[df["count"] >= min_count]
    df = df.sort_values([by, "score", "token"], ascending=[True, False, True], kind="stable")
    df["rank"] = df.groupby(by).cumcount() + 1
    df = df[df["rank"] <= top]
    df["signal"] = df["token"].isin(signals())
    return df[[by, "token", "count", "tf", "df", "idf", "score", "rank", "signal"]].reset_index(drop=True)
