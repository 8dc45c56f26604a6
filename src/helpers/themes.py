"""Theme tags for the problems part (codes from data/themes.csv). (stub)"""
from __future__ import annotations


def tag_themes(problem_rows: list[dict]) -> list[dict]:
    return []
