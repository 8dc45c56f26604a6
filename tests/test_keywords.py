"""keywords: private tokenizer, word lists, token counts, corpus IDF and distinctive terms."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import keywords
from helpers.keywords import (TEXT_DATA, corpus_idf, count_tokens, distinctive_terms, signals, stopwords,
                              tokenize, user_terms)

ROOT = Path(__file__).resolve().parents[1]


def test_global_jieba_is_untouched():
    import jieba

    tk = keywords.tokenizer()
    assert tk is not jieba.dt and tk is keywords.tokenizer()  # one per process
    assert "政务新媒体" in tk.FREQ
    if jieba.dt.initialized:
        assert "政务新媒体" not in jieba.dt.FREQ
    assert "政务新媒体" not in jieba.lcut("政务新媒体工作有待加强")


@pytest.mark.parametrize("term", ["政务公开", "依申请公开", "政策解读", "政务新媒体", "队伍建设"])
def test_user_terms_stay_whole(term):
    assert term in tokenize(f"今年{term}工作仍显薄弱，下一步继续抓好{term}。")


def test_signals_are_kept_and_boilerplate_dropped():
    toks = tokenize("一是进一步加强队伍建设，切实不断提升；二是公开意识有待提高，内容不够具体，解读滞后，力量薄弱，人员不足。")
    for sig in ("有待", "不够", "滞后", "薄弱", "不足"):
        assert sig in toks
    for boiler in ("进一步", "加强", "切实", "不断", "一是", "二是", "提高"):
        assert boiler not in toks
    assert "队伍建设" in toks and "公开意识" in toks


def test_word_lists_have_provenance_and_do_not_overlap_signals():
    for name in ("userdict.txt", "stopwords_general.txt", "stopwords_official.txt", "signals.txt"):
        head = (TEXT_DATA / name).read_text(encoding="utf-8").splitlines()[:6]
        assert any("Provenance" in ln for ln in head), name
        assert any("icence" in ln for ln in head), name
    assert not signals() & stopwords()
    for name in ("stopwords_general.txt", "stopwords_official.txt"):
        listed = {ln.strip() for ln in (TEXT_DATA / name).read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.startswith("#")}
        assert not listed & signals(), name
    assert {"进一步", "加强", "不断", "切实"} <= stopwords()
    assert all(" " not in w for w, _, _ in user_terms())


def test_full_width_and_traditional_text_tokenise_like_simplified():
    assert tokenize("政務公開工作有待加強") == tokenize("政务公开工作有待加强")


def test_count_tokens_rows():
    rows = [{"report_id": "a", "part": "problems", "text": "政策解读不及时，政策解读形式单一。", "line_start": 3,
             "line_end": 3},
            {"report_id": "a", "part": "improvements", "text": "丰富政策解读形式。", "line_start": 5,
             "line_end": 5}]
    out = count_tokens(rows)
    assert all(list(r) == ["report_id", "part", "token", "count"] for r in out)
    probs = [r for r in out if r["part"] == "problems"]
    assert probs[0] == {"report_id": "a", "part": "problems", "token": "政策解读", "count": 2}
    assert {"不及时", "单一"} <= {r["token"] for r in probs}
    assert [r["count"] for r in probs] == sorted((r["count"] for r in probs), reverse=True)
    assert count_tokens([]) == []


def test_cache_goes_to_a_user_dir_and_nothing_is_logged(tmp_path):
    # a fresh process whose project root is tmp_path: the cache must land in tmp_path/.cache/jieba
    (tmp_path / "data").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    env = {**os.environ, "HELPERS_ROOT": str(tmp_path), "TMPDIR": str(tmp_path / "no-such-dir")}
    code = "from helpers.keywords import tokenize; print('/'.join(tokenize('政务新媒体工作有待加强')))"
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "政务新媒体/有待"
    assert res.stderr == ""
    assert (tmp_path / ".cache" / "jieba" / "jieba.cache").is_file()


def _fresh_process(root: Path, code: str) -> subprocess.CompletedProcess:
    (root / "data").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text("")
    env = {**os.environ, "HELPERS_ROOT": str(root)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


_DESCRIBE = ("import hashlib, jieba; from helpers import keywords; tk = keywords.tokenizer(); "
             "h = hashlib.sha256(repr((list(tk.FREQ.items()), tk.total, sorted(tk.user_word_tag_tab.items())))"
             ".encode()).hexdigest(); print(h, len(tk.FREQ), tk.total, '/'.join(keywords.tokenize('政务新媒体工作有待加强')))")


def test_dictionary_image_gives_the_dictionary_jieba_builds(tmp_path):
    """The first process builds the dictionary with jieba and leaves an image; the next one loads the image.
    Both must end with the same words, counts (in the same order), total and tags."""
    first = _fresh_process(tmp_path, _DESCRIBE)
    assert first.returncode == 0, first.stderr
    images = list((tmp_path / ".cache" / "jieba").glob("dictionary-*.pkl"))
    assert len(images) == 1
    second = _fresh_process(tmp_path, _DESCRIBE)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout and first.stdout.split()[-1] == "政务新媒体/有待"
    # and in this process (built whichever way), the same dictionary as jieba's own, plus the user terms
    import jieba

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path)
    tk.initialize()
    for word, freq, tag in user_terms():
        tk.add_word(word, freq, tag)
    assert list(keywords.tokenizer().FREQ.items()) == list(tk.FREQ.items())
    assert keywords.tokenizer().total == tk.total


def test_a_damaged_dictionary_image_is_rebuilt(tmp_path):
    assert _fresh_process(tmp_path, _DESCRIBE).returncode == 0
    (image,) = (tmp_path / ".cache" / "jieba").glob("dictionary-*.pkl")
    want = _fresh_process(tmp_path, _DESCRIBE).stdout
    for damage in (image.read_bytes()[: image.stat().st_size // 2], b"", b"not a pickle"):
        image.write_bytes(damage)
        res = _fresh_process(tmp_path, _DESCRIBE)
        assert res.returncode == 0 and res.stderr == "", res.stderr
        assert res.stdout == want
        assert image.stat().st_size > 1_000_000  # written whole again


def test_dictionary_image_is_named_by_what_it_depends_on(monkeypatch, tmp_path):
    import jieba

    tk = jieba.Tokenizer()
    monkeypatch.setattr(keywords, "cache_dir", lambda: tmp_path)
    before = keywords._image_path(tk)
    monkeypatch.setattr(keywords, "user_terms", lambda: (("新的术语", 10, None),))
    assert keywords._image_path(tk) != before
    monkeypatch.setattr(jieba, "__version__", "0.0")
    assert keywords._image_path(tk) != before


def test_no_image_when_a_user_term_has_freq_zero(monkeypatch, tmp_path):
    """A freq-0 term also changes jieba's global HMM state (force split), which an image would not restore."""
    import jieba

    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = {"甲": 1}, 1
    monkeypatch.setattr(keywords, "user_terms", lambda: (("甲乙", 0, None),))
    keywords._save_image(tmp_path / "dictionary-x.pkl", tk)
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(keywords, "user_terms", lambda: (("甲乙", 3, None),))
    keywords._save_image(tmp_path / "dictionary-x.pkl", tk)
    assert keywords._load_image(tmp_path / "dictionary-x.pkl") == ({"甲": 1}, 1, {})


def _tokens() -> pd.DataFrame:
    rows = []
    texts = {"r1": "栏目 栏目 栏目 队伍 培训", "r2": "栏目 培训 解读", "r3": "栏目 兼职 兼职"}
    for rid, text in texts.items():
        for tok in set(text.split()):
            rows.append({"report_id": rid, "part": "problems", "token": tok, "count": text.split().count(tok)})
    rows.append({"report_id": "r1", "part": "improvements", "token": "平台", "count": 9})
    return pd.DataFrame(rows)


def test_corpus_idf_counts_documents_in_this_corpus():
    idf = corpus_idf(_tokens())
    # 栏目 is in all 3 reports, 兼职 in one: ln(4/4)+1 and ln(4/2)+1
    assert idf["栏目"] == pytest.approx(1.0)
    assert idf["兼职"] == pytest.approx(1 + __import__("math").log(2))
    assert "平台" not in idf.index  # the improvements part is left out by default


def test_distinctive_terms_per_report_and_per_agency():
    tok = _tokens()
    top = distinctive_terms(tok, top=1)
    assert list(top.columns) == ["report_id", "token", "count", "tf", "df", "idf", "score", "rank", "signal"]
    best = dict(zip(top["report_id"], top["token"]))
    assert best["r3"] == "兼职"  # frequent in r3 and rare elsewhere beats 栏目, which every report has
    assert best["r2"] in {"解读", "培训"} and best["r2"] != "栏目"
    reports = pd.DataFrame({"report_id": ["r1", "r2", "r3"], "agency": ["甲局", "甲局", "乙局"]})
    by_agency = distinctive_terms(tok, by="agency", reports=reports, top=2)
    assert set(by_agency["agency"]) == {"甲局", "乙局"}
    assert by_agency[by_agency["agency"] == "乙局"]["token"].iloc[0] == "兼职"
    with pytest.raises(ValueError):
        distinctive_terms(tok, by="agency")


# ---- fast paths of the segmenter (issue 7): jieba's own functions are the reference ----
_HMM_ALPHABET = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张湛河区鿀鿁政务公开有待加强abcXYZ0123456789.%_-+ "


def test_hmm_cut_is_finalseg_cut():
    """The unrolled Viterbi gives finalseg.cut's words, ties and forced splits included."""
    import random

    from jieba import finalseg

    seg = keywords._segmenter()
    rng = random.Random(17)
    texts = ["".join(rng.choice(_HMM_ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    texts += [c * k for c in "鿀赵a" for k in range(1, 6)]
    for text in texts:
        out: list[str] = []
        seg._hmm_cut(text, out)
        assert out == list(finalseg.cut(text)), text


def test_hmm_states_break_ties_as_jieba():
    """Equal scores everywhere (all emissions unknown, flat transitions): max over (score, state) tuples."""
    import types

    from jieba import finalseg

    flat = types.SimpleNamespace(MIN_FLOAT=finalseg.MIN_FLOAT, start_P=dict.fromkeys("BMES", -1.0),
                                 trans_P={y: dict.fromkeys("BMES", -1.0) for y in "BMES"},
                                 emit_P={y: {} for y in "BMES"})
    for n in range(1, 7):
        obs = "鿀" * n
        _, want = finalseg.viterbi(obs, "BMES", flat.start_P, flat.trans_P, flat.emit_P)
        assert keywords._hmm_states(obs, flat) == "".join(want)


def test_gaps_between_blocks_are_cut_as_jieba():
    """Text between re_han blocks: each character alone, \\r\\n whole, as Tokenizer.cut gives it."""
    tk = keywords.tokenizer()
    for text in ("有待加强。\r\n公开  不足", "\r\n\r\n", "a\r\n\tb", "（一）\r\r\n\n", "，、；\u3000", ""):
        assert keywords.segment(text) == list(tk.cut(text, HMM=True))


def test_token_rows_most_frequent_first_then_by_token():
    rows = count_tokens([{"report_id": "r", "part": "problems", "text": "队伍建设 力量薄弱 队伍建设 培训不足 培训不足 信息化"}])
    got = [(r["token"], r["count"]) for r in rows]
    assert got == sorted(got, key=lambda kv: (-kv[1], kv[0]))
