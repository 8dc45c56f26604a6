"""Sections 二, 三, 四 → disclosure, requests and appeals rows in the codebook's codes. (stub: being written)"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Doc, Section


@dataclass
class TablesResult:
    disclosure: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    appeals: list[dict] = field(default_factory=list)
    template: str | None = None  # "2019" / "2021", decided from the column labels
    found: dict[str, bool] = field(default_factory=dict)  # {"disclosure": bool, "requests": bool, "appeals": bool}
    warnings: list[dict] = field(default_factory=list)  # {stage, line, message}


def parse_tables(doc: Doc, sections: dict[str, Section]) -> TablesResult:
    return TablesResult()
