"""Normalised lines → the report's six parts (一 … 六), each with its line span.

Headings vary (see ``docs/architecture.md`` and the layout survey); a heading is a short line that
starts with its numeral (``一、`` …) or consists of the heading words alone. The opening paragraph's list
of parts ("全文由总体情况、主动公开…组成") is long and never matches. Row labels inside the tables that look
like headings (``三、本年度办理结果``, ``四、结转下年度继续办理``) are told apart by their words.
"""
from __future__ import annotations

import re

from .model import SECTION_KEYS, Section
from .normalize import squeeze

_NUM = "一二三四五六七八"
# Heading words per part, matched against the squeezed line after its numeral.
_WORDS = {
    "overview": r"(?:工作开展)?(?:总体情况|基本情况|概述|概况|总体)",
    "proactive": r"(?:行政机关)?主动公开(?:政府|政务)?信息(?:情况|工作)?",
    "requests": r"(?:行政机关)?收到和处理政府信息公开申请|(?:依申请公开|收到和处理).{0,12}情况$",
    "appeals": r"(?:因.{0,6}信息公开工作?被申请)?.{0,12}(?:行政复议|行政诉讼)",
    "problems": r".{0,16}存在的?(?:主要)?问题(?:和|及|与)?(?:改进|整改)?",
    "other": r"其他(?:需要)?(?:报告)?(?:的)?事项|其他需要报告",
}
_PATTERNS = {k: re.compile(rf"^(?:([{_NUM}])[、.,,]?)?(?:{w})") for k, w in _WORDS.items()}
_NOT_HEADING = re.compile(r"本年度办[理结]结果|结转下年|本年新收|上年结转|第二十条")
_MAX_HEADING = 60  # longer lines are prose (or the opening list of parts)


def heading_key(norm_line: str) -> tuple[str, str | None] | None:
    """Which part a line heads, and the numeral printed before it (or None); None for non-headings."""
    s = squeeze(norm_line)
    if not s or len(s) > _MAX_HEADING or s.startswith("("):
        return None
    if _NOT_HEADING.search(s):
        return None
    for key, pat in _PATTERNS.items():
        m = pat.match(s)
        if m:
            numeral = m.group(1)
            if numeral is None and len(s) > 30:
                return None
            return key, numeral
    return None


def split_sections(norm: list[str], raw: list[str] | None = None) -> dict[str, Section]:
    """Find each part's heading in order; a part whose heading is missing is simply absent."""
    raw = raw if raw is not None else norm
    found: list[tuple[int, str]] = []  # (1-based line, key)
    last_rank = -1
    for i, line in enumerate(norm, start=1):
        hk = heading_key(line)
        if not hk:
            continue
        key, numeral = hk
        rank = SECTION_KEYS.index(key)
        if rank <= last_rank:
            continue  # parts come in order; a repeat is a sub-heading or a quote
        if numeral is not None and numeral != "一二三四五六"[rank] and numeral not in "七八":
            # a numbered line whose numeral disagrees (e.g. problems numbered 六) is still accepted,
            # but never a row label such as 四、结转… (filtered above)
            pass
        found.append((i, key))
        last_rank = rank
    sections: dict[str, Section] = {}
    for j, (line_no, key) in enumerate(found):
        end = found[j + 1][0] - 1 if j + 1 < len(found) else len(norm)
        sections[key] = Section(key=key, heading=raw[line_no - 1].strip(), heading_line=line_no,
                                start=line_no + 1, end=end)
    return sections
