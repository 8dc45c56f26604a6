"""store: CSV numbers read like the report printed them, and narrow reads (columns, rows) for corpus steps."""
from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from helpers import store

VALUES = [0.0, 35385.0, 10.139, 0.5, 123456.75, None, 2.0, 999999999.0]


def _write(tmp_path, csv_too: bool = True):
    rows = [{"report_id": f"r{k}", "metric": "m", "value": v, "unit": "件", "qualifier": "exact",
             "quote": f"第{k}句，含逗号", "line": k + 1} for k, v in enumerate(VALUES)]
    store.write_small_table(tmp_path, "figures", store.to_arrow("figures", rows), csv=csv_too)
    return rows


def test_csv_numbers_are_written_as_printed(tmp_path):
    _write(tmp_path)
    with open(tmp_path / "figures.csv", encoding="utf-8", newline="") as f:
        cells = [r["value"] for r in csv.DictReader(f)]
    assert cells == ["0", "35385", "10.139", "0.5", "123456.75", "", "2", "999999999"]
    assert not any(c.endswith(".0") or "e" in c for c in cells)


def test_csv_and_parquet_read_back_with_the_same_dtypes_and_values(tmp_path):
    _write(tmp_path)
    from_parquet = store.read_table(tmp_path, "figures")
    shutil.rmtree(tmp_path / "parquet")
    from_csv = store.read_table(tmp_path, "figures")
    pd.testing.assert_frame_equal(from_parquet, from_csv)
    assert from_csv["value"].dtype == "float64" and str(from_csv["line"].dtype) == "Int64"
    assert from_csv["value"].isna().tolist() == [v is None for v in VALUES]  # blank stays missing, never 0
    assert from_csv["value"].dropna().tolist() == [v for v in VALUES if v is not None]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_read_table_reads_only_the_columns_and_rows_asked_for(tmp_path, fmt):
    _write(tmp_path)
    if fmt == "csv":
        shutil.rmtree(tmp_path / "parquet")
    df = store.read_table(tmp_path, "figures", cols=["report_id", "value"],
                          filters=[("report_id", "in", ["r1", "r2", "r9"]), ("unit", "=", "件")])
    assert list(df.columns) == ["report_id", "value"]
    assert df["report_id"].tolist() == ["r1", "r2"] and df["value"].tolist() == [35385.0, 10.139]
    assert df.index.tolist() == [0, 1]
    with pytest.raises(KeyError):
        store.read_table(tmp_path, "figures", cols=["nope"])


def test_read_table_of_a_missing_table_has_the_asked_columns(tmp_path):
    df = store.read_table(tmp_path, "requests", cols=["report_id", "value"])
    assert list(df.columns) == ["report_id", "value"] and df.empty and df["value"].dtype == "float64"
