"""Property tests: random or mutated input never crashes parsing; it is parsed or refused with a LoadError."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_DIR
from helpers.build import build, parse_file
from helpers.model import LoadError
from helpers.parse import parse_bytes

SEEDS = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("0*.txt"))]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Characters reports are made of, plus the awkward ones.
ALPHABET = st.sampled_from(list("一二三四五六七八九十、()（）：:|\t \n\r0123456789.-+/—万元件年月日总计自然人"
                                "予以公开行政复议诉讼结果维持纠正其他尚未审结本年新收结转规章許可資訊\u00a0\u3000\ufeff"
                                "(yùn)ǎ*#-——|||"))


def _check(data: bytes) -> None:
    try:
        result = parse_bytes(data, "x.txt")
    except LoadError:
        return
    assert result.report["report_id"] == "x.txt"
    assert result.report["status"] in ("ok", "partial", "not_report")
    for rows in result.tables.values():
        for r in rows:
            assert isinstance(r, dict)


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash(data):
    _check(data)


@SETTINGS
@given(st.text(alphabet=ALPHABET, max_size=3000))
def test_random_report_like_text_never_crashes(text):
    _check(text.encode("utf-8"))


@st.composite
def mutated_seed(draw):
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate", "digits", "split"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "delete":
            del lines[i:i + draw(st.integers(1, 30))]
        elif op == "duplicate":
            lines[i:i] = lines[i:i + draw(st.integers(1, 20))]
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=ALPHABET, max_size=80)))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines = lines[:i]
        elif op == "digits":
            lines[i] = "".join(draw(st.sampled_from("0123456789-/ ")) if c.isdigit() else c for c in lines[i])
        elif op == "split":
            k = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:k], "", lines[i][k:]]
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
    return "\n".join(lines).encode(encoding, errors="ignore")


@SETTINGS
@given(mutated_seed())
def test_mutated_seeds_never_crash(data):
    _check(data)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=3000))
def test_parse_file_never_raises(data):
    outcome = parse_file(data, "x.txt")
    assert outcome.report is not None or outcome.errors


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.binary(max_size=500), mutated_seed()), min_size=1, max_size=4))
def test_a_folder_of_anything_builds_to_the_end(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("raw")
    for k, data in enumerate(files):
        (root / f"f{k}.txt").write_bytes(data)
    out = Path(tmp_path_factory.mktemp("out"))
    import helpers

    summary = build(root, out, jobs=1, cache_dir=False, quiet=True)
    t = helpers.read_processed(out)
    assert set(t.reports["report_id"]) | set(t.load_errors["file"]) == {f"f{k}.txt" for k in range(len(files))}
    assert summary.n_files == len(files)
