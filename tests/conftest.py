"""Shared fixtures: where the seeds and the gold are, and a way to lay out a raw folder in a temp dir."""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw"
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"


def assert_same_tables(a, b) -> None:
    """Every output table of two builds (``helpers.Tables``) equal, values and dtypes."""
    import pandas as pd

    from helpers import store

    for t in store.TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


def varied_reports(folder: Path, n: int, seed: int, rng_seed: int) -> dict[str, bytes]:
    """File name → bytes: the seeds, ``n`` synthetic reports (benchmarks/synth.py, fixed ``seed``: other places,
    years, numbers, encodings) and a thinned and a cut copy of each seed, so that fallbacks (no heading, no
    tables) run too. For the tests that parse whole reports both with a fast path and with the code it replaced."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.synth import make_corpus
    finally:
        sys.path.remove(str(ROOT))
    seeds = sorted(SEED_DIR.glob("0*.txt"))
    out = {p.name: p.read_bytes() for p in seeds}
    for p in make_corpus(SEED_DIR, folder, n, seed=seed, subfolders=1):
        out[p.name] = p.read_bytes()
    rng = random.Random(rng_seed)
    for p in seeds:
        lines = p.read_text(encoding="utf-8").split("\n")
        out[f"thinned_{p.name}"] = "\n".join(x for x in lines if rng.random() > 0.1).encode()
        out[f"cut_{p.name}"] = "\n".join(lines[:rng.randint(10, len(lines))]).encode()
    return out


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
