"""build over a folder: every file accounted for, bad files never stop the batch, atomic outputs, dtypes."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import helpers
from helpers import build as build_mod
from helpers import store
from helpers.build import build, list_files

SEED0 = "000_30474365e08353b8.txt"  # 衡水市交通运输局
SEED1 = "001_0e30c20d10e4dbed.txt"  # 衢州市交通运输局
SEED3 = "003_ee300cc618a93e5a.txt"  # 忻州市交通运输局


def _blank_form(text: str) -> str:
    """The seed with every number cell emptied and the year in the title and dates replaced: a blank form."""
    text = re.sub(r"(?m)(?<=[\t|])[ \d.+\-万元]+(?=[\t|]|$)", "", text)
    text = re.sub(r"(?m)^ ?\d+ ?$", "", text)
    return re.sub(r"\d", "X", text)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory, seed_texts):
    import opencc

    t0, t1, t3 = seed_texts[SEED0], seed_texts[SEED1], seed_texts[SEED3]
    files = {
        "good/" + SEED0: t0.encode("utf-8"),
        "good/" + SEED1: t1.encode("utf-8"),
        "enc/gbk.txt": t3.encode("gbk"),
        "enc/utf16.txt": t0.encode("utf-16"),
        "enc/crlf-bom.txt": ("\ufeff" + t1.replace("\n", "\r\n")).encode("utf-8"),
        "enc/big5-traditional.txt": opencc.OpenCC("s2tw").convert(t3).encode("big5", errors="ignore"),
        "bad/empty.txt": b"",
        "bad/binary.txt": bytes(range(256)) * 16,
        "bad/image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300),
        "not/blank-form.txt": _blank_form(t0).encode("utf-8"),
        "not/notice.txt": "关于做好2022年度政府信息公开工作年度报告编制和发布工作的通知\n\n各县（市、区）交通运输局：\n"
                          "请于2023年1月31日前在本单位门户网站发布年度报告。\n\n特此通知。\n".encode("utf-8"),
        "not/statistics.txt": "2022年衡水市交通运输行业发展统计公报\n\n全年完成公路客运量1234万人次，同比下降5.2%。\n"
                              "完成货运量5678万吨。\n".encode("utf-8"),
        "zz-duplicate.txt": t0.encode("utf-8"),
        ".hidden.txt": t0.encode("utf-8"),
        "MANIFEST.csv": b"file,sha256\n",
        "README.md": b"# raw\n",
    }
    root = tmp_path_factory.mktemp("bad") / "raw"
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    out = root.parent / "out"
    summary = build(root, out, jobs=1, quiet=True)
    return root, out, summary, helpers.read_processed(out)


def test_listing_skips_hidden_manifest_and_readme(bad_folder):
    root, *_ = bad_folder
    ids = [rid for rid, _ in list_files(root)]
    assert ".hidden.txt" not in ids and "MANIFEST.csv" not in ids and "README.md" not in ids
    assert ids == sorted(ids) and "good/" + SEED0 in ids  # posix path relative to the raw folder


def test_every_file_is_a_report_or_a_load_error(bad_folder):
    root, _, summary, t = bad_folder
    ids = {rid for rid, _ in list_files(root)}
    accounted = set(t.reports["report_id"]) | set(t.load_errors["file"])
    assert accounted == ids
    assert summary.n_files == len(ids) == 13
    assert summary.line() == f"{len(t.reports)} reports parsed, 3 failed — see load_errors.csv"


@pytest.mark.parametrize("name, error", [("bad/empty.txt", "empty"), ("bad/binary.txt", "not text"),
                                         ("bad/image.txt", "not text")])
def test_undecodable_files_are_load_errors_naming_the_file(bad_folder, name, error):
    *_, t = bad_folder
    row = t.load_errors.set_index("file").loc[name]
    assert (row["stage"], row["error"]) == ("decode", error)
    assert name in row["detail"]
    assert name not in set(t.reports["report_id"])


def test_duplicate_is_parsed_once_and_names_the_original(bad_folder):
    *_, t = bad_folder
    row = t.load_errors.set_index("file").loc["zz-duplicate.txt"]
    assert row["stage"] == "dedupe" and "good/" + SEED0 in row["detail"]
    assert "zz-duplicate.txt" not in set(t.reports["report_id"])


@pytest.mark.parametrize("name, encoding, agency", [
    ("enc/gbk.txt", "gbk", "忻州市交通运输局"),
    ("enc/utf16.txt", "utf-16 (BOM)", "衡水市交通运输局"),
    ("enc/crlf-bom.txt", "utf-8 (BOM)", "衢州市交通运输局"),
    ("enc/big5-traditional.txt", "big5", "忻州市交通运输局"),
])
def test_other_encodings_parse_like_the_seed(bad_folder, name, encoding, agency):
    *_, t = bad_folder
    row = t.reports.set_index("report_id").loc[name]
    assert row["encoding"] == encoding and row["agency"] == agency
    assert row["status"] in ("ok", "partial")


@pytest.mark.parametrize("name, reason", [("not/blank-form.txt", "blank form"), ("not/notice.txt", "notice"),
                                          ("not/statistics.txt", "statistics release")])
def test_not_reports_have_a_reason_and_no_table_rows(bad_folder, name, reason):
    *_, t = bad_folder
    assert t.reports.set_index("report_id").loc[name, "status"] == "not_report"
    why = t.warnings[(t.warnings["report_id"] == name) & (t.warnings["stage"] == "classify")]["message"]
    assert len(why) == 1 and reason in why.iloc[0]
    for table in ("disclosure", "requests", "appeals", "checks", "figures"):
        assert name not in set(t[table]["report_id"]), table


def test_a_parser_crash_fails_only_that_file(make_raw, seed_texts, tmp_path, monkeypatch):
    from helpers import tables

    real = tables.parse_tables

    def flaky(doc, sections):
        if any("CRASH-HERE" in line for line in doc.raw):
            raise RuntimeError("boom")
        return real(doc, sections)

    monkeypatch.setattr(tables, "parse_tables", flaky)
    raw = make_raw({"a.txt": seed_texts[SEED0], "b.txt": seed_texts[SEED1] + "\nCRASH-HERE\n"})
    summary = build(raw, tmp_path / "out", jobs=1, cache_dir=False, quiet=True)
    t = helpers.read_processed(tmp_path / "out")
    assert (summary.n_parsed, summary.n_failed) == (1, 1)
    status = t.reports.set_index("report_id")["status"].to_dict()
    assert status["b.txt"] == "failed" and status["a.txt"] in ("ok", "partial")
    assert list(t.load_errors["file"]) == ["b.txt"]
    err = t.load_errors.set_index("file").loc["b.txt"]
    assert err["stage"] == "parse"  # the deepest helpers module on the stack (the stand-in lives in this test)
    assert err["error"] == "RuntimeError" and "boom" in err["detail"] and "b.txt" in err["detail"]


def test_outputs_are_written_atomically(make_raw, seed_texts, tmp_path, monkeypatch):
    raw = make_raw({SEED0: seed_texts[SEED0]})
    out = tmp_path / "out"
    build(raw, out, jobs=1, cache_dir=False, quiet=True)

    def files():
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    before = files()
    assert any(name.startswith("parquet/requests/year=") for name in before)
    (raw / SEED1).write_text(seed_texts[SEED1], encoding="utf-8")
    calls = {"n": 0}
    real_write = store.write_part

    def dying_write(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("power cut")
        return real_write(*a, **k)

    monkeypatch.setattr(store, "write_part", dying_write)
    with pytest.raises(KeyboardInterrupt):
        build(raw, out, jobs=1, cache_dir=False, quiet=True)
    assert files() == before  # the old tables, whole; nothing half-written
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_every_table_is_written_in_both_formats_with_its_columns(bad_folder):
    _, out, _, t = bad_folder
    for table in store.TABLES:
        csv = pd.read_csv(out / f"{table}.csv", nrows=0)
        assert list(csv.columns) == store.columns(table)
        assert (out / "parquet" / table).is_dir()
        assert list(t[table].columns) == store.columns(table)
    assert "## `requests`" in (out / "README.md").read_text(encoding="utf-8")


def test_csv_and_parquet_read_back_identically(bad_folder, tmp_path):
    import shutil

    _, out, _, t = bad_folder
    csv_only = tmp_path / "csv"
    csv_only.mkdir()
    for p in out.glob("*.csv"):
        shutil.copy(p, csv_only / p.name)
    again = helpers.read_processed(csv_only)
    for table in store.TABLES:
        pd.testing.assert_frame_equal(again[table], t[table], check_dtype=True, obj=table)


def test_blank_numbers_stay_missing_never_zero(seed_paths):
    t = helpers.load_reports(seed_paths[0].parent)
    req = t.requests
    assert str(req["value"].dtype) == "float64" and str(req["line"].dtype) == "Int64"
    assert req.loc[req["status"] != "printed", "value"].isna().all()
    assert (req["status"] == "blank").any()  # 001 prints blank cells (gold README)
    assert str(t.reports["year"].dtype) == "Int64"


def test_load_reports_equals_read_processed_of_a_cli_build(seed_paths, tmp_path):
    build(seed_paths[0].parent, tmp_path / "out", jobs=1, cache_dir=False, quiet=True)
    a, b = helpers.load_reports(seed_paths[0].parent), helpers.read_processed(tmp_path / "out")
    for table in store.TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def test_missing_raw_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        build(tmp_path / "nope", tmp_path / "out")


def test_failing_stage_names_the_module():
    from helpers import metadata

    with pytest.raises(KeyError) as e:
        metadata._cn_number("x十y")
    assert build_mod._failing_stage(e.value) == "metadata"


def test_data_dictionary_documents_every_column_and_code():
    from helpers.dictionary import code_rows, column_descriptions, render_dictionary

    desc = column_descriptions()
    missing = [(t, c) for t in store.TABLES for c in store.columns(t) if not desc.get((t, c))]
    assert not missing
    text = render_dictionary()
    for r in code_rows():
        assert f"`{r['code']}`" in text


def test_data_dictionary_reads_extra_description_files(tmp_path):
    import shutil

    from helpers.dictionary import render_dictionary
    from helpers.paths import DATA_FILES

    for name in ("columns.csv", "codebook.csv", "themes.csv"):
        shutil.copy(DATA_FILES / name, tmp_path / name)
    (tmp_path / "descriptions").mkdir()
    (tmp_path / "descriptions" / "new.csv").write_text(
        "table,dimension,code,zh,en,template,note\nfigures,metric,ferry_trips,渡口 N 次,Ferry trips,both,test\n",
        encoding="utf-8")
    text = render_dictionary(tmp_path)
    assert "`ferry_trips`" in text and "Ferry trips" in text


def test_output_folder_inside_the_raw_folder_is_not_read(make_raw, seed_texts):
    name = "000_30474365e08353b8.txt"
    raw = make_raw({name: seed_texts[name]})
    build(raw, raw / "out", jobs=1, cache_dir=False, quiet=True)
    s = build(raw, raw / "out", jobs=1, cache_dir=False, quiet=True)
    assert s.n_files == 1 and [rid for rid, _ in list_files(raw, exclude=raw / "out")] == [name]


def test_huge_file_is_refused_without_reading_it(make_raw, monkeypatch, tmp_path):
    raw = make_raw({"big.txt": b"x" * 2000})
    monkeypatch.setattr(build_mod, "MAX_BYTES", 1000)
    build(raw, tmp_path / "out", jobs=1, cache_dir=False, quiet=True)
    err = helpers.read_processed(tmp_path / "out").load_errors.set_index("file").loc["big.txt"]
    assert err["stage"] == "read" and "too large" in err["detail"]


def test_read_processed_can_load_only_some_tables(bad_folder):
    _, out, _, whole = bad_folder
    t = helpers.read_processed(out, tables=["reports"])
    pd.testing.assert_frame_equal(t.reports, whole.reports)
    assert t.requests is None
    with pytest.raises(KeyError):
        helpers.read_processed(out, tables=["nope"])


def test_warm_up_text_runs_every_stage_that_loads_a_dictionary():
    """The warm-up parses a made-up report before the workers fork; it must reach the stages with heavy
    dictionaries (jieba for tokens and themes, the gazetteer for the agency, the table labels)."""
    outcome = build_mod.parse_file(build_mod._WARM_UP_TEXT.encode("utf-8"), "warm-up.txt")
    assert outcome.report is not None and outcome.report["agency"].endswith("交通运输局")
    for table in ("requests", "figures", "problems", "tokens", "themes"):
        assert outcome.tables.get(table), table


def test_tables_are_the_same_when_the_kernel_cannot_copy(make_raw, seed_texts, tmp_path, monkeypatch):
    """CSV fragments are appended with os.copy_file_range; where that fails, a plain copy gives the same."""
    import os

    raw = make_raw({SEED0: seed_texts[SEED0], SEED1: seed_texts[SEED1]})
    build(raw, tmp_path / "a", jobs=1, cache_dir=False, quiet=True, shard_size=1)

    def refuse(*a, **k):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    build(raw, tmp_path / "b", jobs=1, cache_dir=False, quiet=True, shard_size=1)
    for table in store.TABLES:
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (tmp_path / "b" / f"{table}.csv").read_bytes()


@pytest.mark.parametrize("values", [
    [1, None, 2.5], [1, 2 ** 60], [float("nan"), 1], [True, 1], ["3", "", None], [1, None], [-(2 ** 53), 2 ** 53 + 1],
])
@pytest.mark.parametrize("table", ["figures", "requests", "checks", "tokens"])
def test_columnar_types_cells_as_store_clean_does(table, values):
    """The fast path (columns kept as they are) gives the same Arrow column as cleaning every cell."""
    import pyarrow as pa

    from helpers import store
    from helpers.build import _columnar

    for c, k in store.SCHEMA[table]:
        if c == "report_id":
            continue
        got = _columnar(table, [{c: v} for v in values])[c]
        want = [store._clean(v, k) for v in values]
        typ = store.arrow_schema(table).field(c).type
        assert pa.array(got, type=typ).equals(pa.array(want, type=typ)), (c, values)
