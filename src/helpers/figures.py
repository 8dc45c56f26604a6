"""Numbers stated in the prose (hotlines, proactive items, posts…) with the snippet they came from. (stub)"""
from __future__ import annotations

from .model import Doc, Section


def extract_figures(doc: Doc, sections: dict[str, Section], year: int | None) -> tuple[list[dict], list[dict]]:
    return [], []
