"""Shared fixtures: where the seeds and the gold are, and a way to lay out a raw folder in a temp dir."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw"
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five seed reports (data/raw/0*.txt), sorted."""
    paths = sorted(SEED_DIR.glob("0*.txt"))
    assert len(paths) == 5, "the five seed reports must be in data/raw"
    return paths


@pytest.fixture(scope="session")
def seed_texts(seed_paths) -> dict[str, str]:
    """File name → decoded text of each seed."""
    return {p.name: p.read_text(encoding="utf-8") for p in seed_paths}


@pytest.fixture(scope="session")
def gold():
    """gold("reports") → list of row dicts from tests/fixtures/gold/reports.csv."""
    def read(name: str) -> list[dict]:
        with open(GOLD_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    return read


@pytest.fixture
def make_raw(tmp_path):
    """make_raw({"a/b.txt": b"..." or "text"}) → a raw folder holding exactly those files."""
    def make(files: dict[str, bytes | str], name: str = "raw") -> Path:
        root = tmp_path / name
        root.mkdir(exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return root
    return make
