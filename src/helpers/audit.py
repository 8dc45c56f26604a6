"""Audit checks: prose vs tables, timeliness, completeness, template, carry-over across years. (stub)"""
from __future__ import annotations

from .model import Doc, Section


def audit_checks(doc: Doc, sections: dict[str, Section], report: dict, figures: list[dict],
                 disclosure: list[dict], requests: list[dict], appeals: list[dict]) -> list[dict]:
    return []


def corpus_checks(tables: dict) -> list[dict]:
    """Checks that need several reports (carry-over continuity); `tables` maps table name → DataFrame."""
    return []
