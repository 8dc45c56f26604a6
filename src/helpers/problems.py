"""Section 五 (存在的主要问题及改进情况) → problems and improvements parts. (stub)"""
from __future__ import annotations

from .model import Doc, Section


def extract_problems(doc: Doc, sections: dict[str, Section]) -> tuple[list[dict], list[dict]]:
    return [], []
