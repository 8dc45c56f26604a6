"""Shared data shapes passed between the parsing stages.

Every stage is a plain function from these to plain rows (dicts keyed by the output table's columns).
Line numbers are 1-based, as an editor shows them: ``doc.raw[n - 1]`` is line ``n``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Section keys, in the order of the State Council form (一 … 六).
SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")
SECTION_NUMERALS = dict(zip(SECTION_KEYS, "一二三四五六"))


@dataclass(slots=True)
class Doc:
    """One decoded report.

    ``raw`` holds the decoded lines exactly as in the file (no line terminators); ``norm`` the same lines
    normalised for matching (see :mod:`helpers.normalize`). Both have the same length, so an index found
    in ``norm`` is a line in ``raw``.
    """

    report_id: str
    raw: list[str]
    norm: list[str]
    encoding: str = "utf-8"
    sha256: str = ""
    n_chars: int = 0

    def line(self, n: int) -> str:
        return self.raw[n - 1]


@dataclass(slots=True)
class Section:
    """A part of the report: heading line (None when the part has no heading) and its body span."""

    key: str
    heading: str  # the heading text as printed (raw), "" when none
    heading_line: int | None
    start: int  # first body line (1-based)
    end: int  # last body line (1-based, inclusive)


@dataclass(slots=True)
class Warning_:
    stage: str
    line: int | None
    message: str


@dataclass
class FileResult:
    """Everything parsed from one file: rows per output table (see :mod:`helpers.tables_schema`)."""

    report: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)


class LoadError(Exception):
    """A file that cannot be read as a report at all (binary, empty, undecodable…)."""

    def __init__(self, stage: str, error: str, detail: str = ""):
        super().__init__(f"{stage}: {error}: {detail}")
        self.stage, self.error, self.detail = stage, error, detail


def describe_error(e: BaseException) -> str:
    """An exception as one line for load_errors: type, message and where in the code it was raised."""
    import traceback
    from pathlib import Path

    tb = traceback.extract_tb(e.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(e).__name__}: {e}{where}"
