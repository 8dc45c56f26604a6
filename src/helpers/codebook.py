"""The data contract: codes for every table, row, column, metric and check (``data/codebook.csv``)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .paths import DATA_FILES


@dataclass(frozen=True)
class Code:
    table: str
    dimension: str
    code: str
    zh: str
    en: str
    template: str
    note: str

    @property
    def labels(self) -> list[str]:
        """Chinese label variants (the codebook separates them with ``|``)."""
        return self.zh.split("|")


@lru_cache(maxsize=None)
def codebook() -> tuple[Code, ...]:
    with open(DATA_FILES / "codebook.csv", encoding="utf-8", newline="") as f:
        return tuple(Code(**row) for row in csv.DictReader(f))


def codes(table: str, dimension: str) -> list[str]:
    """Codes of one dimension in codebook order (duplicates, like amount_10k_yuan, kept once)."""
    seen: dict[str, None] = {}
    for c in codebook():
        if c.table == table and c.dimension == dimension:
            seen.setdefault(c.code, None)
    return list(seen)


def label(table: str, dimension: str, code: str) -> str:
    """The first Chinese label of a code, for display."""
    for c in codebook():
        if (c.table, c.dimension, c.code) == (table, dimension, code):
            return c.labels[0]
    raise KeyError((table, dimension, code))


@lru_cache(maxsize=None)
def themes() -> tuple[dict[str, str], ...]:
    with open(DATA_FILES / "themes.csv", encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))
