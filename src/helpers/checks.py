"""The form's own accounting identities, checked per applicant column, row and proceeding. (stub)"""
from __future__ import annotations


def table_checks(report_id: str, requests: list[dict], appeals: list[dict]) -> list[dict]:
    return []
