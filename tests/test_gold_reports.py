"""The five seeds' reports rows reproduce tests/fixtures/gold/reports.csv exactly."""
from __future__ import annotations

import pytest

import helpers
from conftest import SEED_DIR

COLUMNS = ["agency", "alias", "province", "prefecture", "county", "level", "year", "template", "published"]


@pytest.fixture(scope="module")
def tables():
    return helpers.load_reports(SEED_DIR)


def _s(v) -> str:
    return "" if v is None or v != v else str(v)


def test_every_seed_is_a_report(tables, gold):
    reports = tables.reports.set_index("report_id")
    assert sorted(reports.index) == sorted(g["file"] for g in gold("reports"))
    assert set(reports["status"]) <= {"ok", "partial"}
    assert tables.load_errors.empty


@pytest.mark.parametrize("column", COLUMNS)
def test_reports_column_matches_gold(tables, gold, column):
    reports = tables.reports.set_index("report_id")
    got = {g["file"]: _s(reports.loc[g["file"], column]) for g in gold("reports")}
    want = {g["file"]: g[column] for g in gold("reports")}
    assert got == want


def test_reports_carry_provenance(tables, seed_paths):
    import hashlib

    reports = tables.reports.set_index("report_id")
    for p in seed_paths:
        row = reports.loc[p.name]
        assert row["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
        assert row["encoding"] == "utf-8" and row["n_chars"] == len(p.read_text(encoding="utf-8"))
        assert "年" in row["title"] and row["n_warnings"] == (tables.warnings["report_id"] == p.name).sum()
