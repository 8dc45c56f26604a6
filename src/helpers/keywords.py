"""jieba keyword analysis with a project-local tokenizer. (stub)"""
from __future__ import annotations


def count_tokens(problem_rows: list[dict]) -> list[dict]:
    return []
