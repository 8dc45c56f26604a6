"""Normalised lines → the report's six parts (一 … 六), each with its line span.

Headings vary (see ``/work/shared/guides/report-layouts.md`` (d)); a heading is a short line that starts
with its numeral (``一、``, ``一.``, ``第一部分``, ``1.``…) or consists of the heading words alone, possibly
wrapped in markdown (``## 一、总体情况``, ``**一、总体情况**``). A numbered heading may carry its content
on the same line (``六、其他需要报告的事项无。``). The opening paragraph's list of parts ("全文由总体情况、
主动公开…组成") is long and never matches; a table of contents (headings with nothing between them, repeated
later) is skipped. Row labels inside the tables that look like headings (``三、本年度办理结果``,
``四、结转下年度继续办理``) are told apart by their words.
"""
from __future__ import annotations

import re

from .model import SECTION_KEYS, SECTION_NUMERALS, Section
from .normalize import squeeze

_NUM = "一二三四五六七八"
# Heading words per part, matched against the squeezed line after its numeral.
_WORDS = {
    "overview": r"(?:工作开展|主要工作)?(?:总体情况|基本情况|概述|概况|总体)",
    "proactive": r"(?:行政机关)?主动公开(?:政府|政务)?(?:信息)?(?:工作)?(?:的)?(?:情况|工作)"
                 r"|(?:行政机关)?主动公开(?:政府|政务)信息",
    "requests": r"(?:行政机关)?收到和处理(?:政府)?信息公开申请|(?:依申请公开|收到和处理).{0,12}情况",
    "appeals": r"(?:因.{0,6}信息公开工作?被申请)?.{0,12}(?:行政复议|行政诉讼)",
    "problems": r".{0,16}存在的?(?:主要)?(?:问题|不足)(?:和|及|与)?(?:改进|整改)?|(?:主要)?问题(?:和|及|与)(?:改进|整改)",
    "other": r"其他(?:需要)?(?:报告)?(?:的)?事项|其他需要报告",
}
# Only with a numeral: a heading cut short (一、概) or a part that replaces 五 (五、下一步工作打算).
_NUMBERED_ONLY = {"overview": r"概$", "problems": r"下一步(?:工作)?(?:打算|计划|安排|思路)"}
# A heading cut by a hard line wrap (`三、收到和处理政府信` / `息公开申请情况`): its first words are enough
# when the numeral is the part's own.
_CUT_HEADING = {"proactive": re.compile(r"主动公开"), "requests": re.compile(r"收到和处理|依申请公开"),
                "appeals": re.compile(r"政府信息公开(?:工作)?行政|(?:政府信息公开)?行政复|因.{0,8}信息公开"),
                "other": re.compile(r"其他(?:需要|报告)")}
_PREFIX = re.compile(rf"^(?:第([{_NUM}])(?:部分|章|节)|([{_NUM}])[、.,:]?|([1-8])[、.](?!\d))")
# Decoration around a squeezed heading (``## 一、…``, ``**…**``, ``【…】``, a final 。/:): stripped with str.lstrip /
# str.rstrip, the same as ``re.sub(r"^[#*【\[]+|[*】\]。.:]+$", "", s)`` and without a regex scan of every position.
_DECOR_LEAD = "#*【["
_DECOR_TRAIL = "*】]。.:"
_PATTERNS = {k: re.compile(rf"(?:{w})") for k, w in _WORDS.items()}
_PATTERN_LIST = list(_PATTERNS.items())
_NUMBERED_PATTERNS = {k: re.compile(w) for k, w in _NUMBERED_ONLY.items()}
# Unnumbered headings must say more than a table cell does: a bare `行政复议` cell is not part 四's heading.
_UNNUMBERED_NEED = {"appeals": re.compile(r"情况|信息公开|被申请|提起")}
# … and, since hard-wrapped PDF text cuts sentences into heading-sized lines (`中存在的问题，及时指出`,
# `息公开被申请行政复议`), they must start and end as the headings seen do, and hold no comma.
_UNNUMBERED_START = {"problems": re.compile(r"(?:政府信息公开|政务公开)?(?:工作)?中?(?:存在|主要问题|问题)"),
                     "appeals": re.compile(r"因|政府|政务|行政复议|行政诉讼")}
# The words an unnumbered heading ends with (``str.endswith`` of the tuple: the regex ``(?:情况|…)$`` it replaced
# searched every position of the line).
_HEADING_END = ("情况", "措施", "举措", "事项", "概述", "概况", "总体", "问题", "不足", "打算", "计划", "安排", "思路", "工作",
                "复议", "诉讼", "信息", "申请")
# An unnumbered line that goes on after a colon (`存在的主要问题：一是…`) is a label with its content.
_LABEL_COLON = re.compile(r"[:：]..")
_NOT_HEADING = re.compile(r"本年度办[理结]结果|结转下年|本年新收|上年结转|第二十条")
_MAX_HEADING = 60  # longer lines are prose (or the opening list of parts), unless numbered
_MAX_MERGED = 40
_LEAD = " \t#*【["
_NUMERAL_CHARS = set(_NUM + "第12345678")  # a numbered heading merged with its content must end its heading words by here
# Every character ``str.split()`` (so ``squeeze``) drops, plus the leading decoration ``_DECOR_LEAD``.
_SPACE_AND_DECOR = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _DECOR_LEAD
_SPACE_AND_DECOR_SET = frozenset(_SPACE_AND_DECOR)
# The characters a heading can open with (after decoration and spaces): a numeral of ``_PREFIX``, or the
# first character an unnumbered heading may have: of ``_PATTERNS`` for the parts without a
# ``_UNNUMBERED_START`` rule (概/总/基/工/主, 行/主, 行/收/依, 其), else of that rule (因/政/行, 政/工/中/存/主/问).
_FIRST_CHARS = frozenset(_NUM + "第12345678" + "工主总基概" + "行收依" + "其" + "因政" + "中存问")
# 第 and an arabic digit open a heading only as ``_PREFIX``'s numeral (第三部分, 3.), spaces allowed between:
# table cells (`12`, `2021`) and article numbers (第二十条) are not headings.
_NUMERAL_ONLY = frozenset("第12345678")
_NUMERAL_START = re.compile(rf"[1-8]\s*[、.]|第\s*[{_NUM}]\s*(?:部\s*分|章|节)")
# A line opening with none of these characters is no heading (not even after spaces or decoration).
_MAY_OPEN = _FIRST_CHARS | _SPACE_AND_DECOR_SET
# An arabic numeral heads only its own part (see ``_heading_key``), so the words after it must open as that part's
# pattern in ``_WORDS`` does: 1 overview (工/主/总/基/概), 2 proactive (行/主), 3 requests (行/收/依), 6 other (其);
# 7 and 8 head nothing. Table rows (`2. 其他法律行政法规禁止公开 …`, `7. 属于行政执法案卷 …`) are so told apart
# without the full test.
_DIGIT_WORD_STARTS: dict[str, frozenset[str]] = {
    "1": frozenset("工主总基概"), "2": frozenset("行主"), "3": frozenset("行收依"), "6": frozenset("其"),
    "7": frozenset(), "8": frozenset()}
# 4 and 5 may open with anything (their patterns start with a run of any characters), but their words hold
# 行政复议/行政诉讼 (appeals) or 存在/问题 (problems): a line with none of 议/讼, or of 存/问, is not their heading.
_DIGIT_WORD_CHARS: dict[str, str] = {"4": "议讼", "5": "存问"}
# A line not opening with a numeral is a heading only if it ends with a heading word (``_HEADING_END``): its
# last character after spaces and trailing decoration is the last of such a word.
_END_CHARS = frozenset(w[-1] for w in _HEADING_END)
_SPACE_AND_TRAIL = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _DECOR_TRAIL
# After a Chinese numeral (and its 、.,: if any), a heading's words open as a pattern of ``_WORDS``,
# ``_NUMBERED_ONLY`` or ``_CUT_HEADING`` can (工主总基概, 行主, 行收依, 其; 概, 下; 主, 收依, 政行因, 其) or hold the
# words that the patterns of appeals and problems, which may open with anything, need (议/讼, 存/问).
# List items (`一是加强组织领导`) and table rows (`三、本年度办理结果`) are so told apart without the full test.
_CJK_WORD_STARTS = frozenset("工主总基概行收依其下政因")
_CJK_WORD_CHARS = "议讼存问"
_CJK_NUMERAL = re.compile(rf"[{_NUM}]\s*[、.,:]?\s*(\S?)")
# ``_NUMERAL_START``'s arabic branch, and the first character after it (what ``_PREFIX`` leaves of the squeezed line).
_DIGIT_NUMERAL = re.compile(r"([1-8])\s*[、.]\s*(\S?)")


def heading_key(norm_line: str) -> tuple[str, str | None] | None:
    """Which part a line heads, and the numeral printed before it (or None); None for non-headings.

    Most lines of a report cannot be headings by their first character: they are skipped before any
    squeezing or regex (the same answer as :func:`_heading_key`, tested)."""
    first = norm_line[:1]
    if first not in _MAY_OPEN:
        return None  # most lines: said with one lookup, no lstrip
    body = norm_line
    if first not in _FIRST_CHARS:  # spaces or decoration first
        body = norm_line.lstrip(_SPACE_AND_DECOR)
        first = body[:1]
        if first not in _FIRST_CHARS:
            return None
    if first == "第":
        if not _NUMERAL_START.match(body):
            return None
    elif first in _NUMERAL_ONLY:
        m = _DIGIT_NUMERAL.match(body)
        if not m:
            return None
        digit = m.group(1)
        if digit in _DIGIT_WORD_CHARS:
            if not any(c in body for c in _DIGIT_WORD_CHARS[digit]):
                return None
        elif m.group(2) not in _DIGIT_WORD_STARTS[digit]:
            return None
    elif first in _NUM:
        if (_CJK_NUMERAL.match(body).group(1) not in _CJK_WORD_STARTS
                and not any(c in body for c in _CJK_WORD_CHARS)):
            return None
    elif norm_line.rstrip(_SPACE_AND_TRAIL)[-1:] not in _END_CHARS:
        return None  # unnumbered: table cells (`行政许可 19 3 180`) and sentences end otherwise
    return _heading_key(norm_line)


def _heading_key(norm_line: str) -> tuple[str, str | None] | None:
    """:func:`heading_key` without the first-character prefilter."""
    if not norm_line or len(norm_line) > 400:
        return None
    if len(norm_line) > _MAX_HEADING + 20 and norm_line.lstrip(_LEAD)[:1] not in _NUMERAL_CHARS:
        return None  # fast path: long prose lines cannot be headings unless numbered
    s = squeeze(norm_line)
    prose = s.endswith(("。", "!", "?", ";", "；", "！", "？"))
    s = s.lstrip(_DECOR_LEAD).rstrip(_DECOR_TRAIL)
    if not s or s.startswith("("):
        return None
    m = _PREFIX.match(s)
    numeral = None
    if m:
        numeral = m.group(1) or m.group(2) or m.group(3)
        rest = s[m.end():]
    else:
        rest = s
    if not rest or (len(s) > _MAX_HEADING and numeral is None):
        return None
    if numeral is None and (prose or _LABEL_COLON.search(s) or "," in s or not s.endswith(_HEADING_END)):
        return None  # a sentence (`本年度未发生行政复议和行政诉讼。`), a label with its content, a fragment
    if _NOT_HEADING.search(rest[:_MAX_HEADING]):
        return None
    patterns = _PATTERN_LIST
    if numeral is not None and numeral.isdigit():
        # An arabic numeral is trusted only as its part's own number (below), so the parts after it can only
        # answer None and 7 or 8 heads nothing: their patterns need not be tried.
        if int(numeral) > len(_PATTERN_LIST):
            return None
        patterns = _PATTERN_LIST[:int(numeral)]
    for key, pat in patterns:
        hm = pat.match(rest)
        if not hm:
            continue
        if numeral is None and (len(s) > 30 or (key in _UNNUMBERED_NEED and not _UNNUMBERED_NEED[key].search(s))
                                or (key in _UNNUMBERED_START and not _UNNUMBERED_START[key].match(s))):
            return None
        if len(s) > _MAX_HEADING and hm.end() > _MAX_MERGED:
            return None
        if numeral is not None and numeral.isdigit() and int(numeral) != SECTION_KEYS.index(key) + 1:
            return None  # arabic numbering is trusted only when it is the part's own number
        return key, numeral
    if numeral is not None and not numeral.isdigit():
        for key, pat in _NUMBERED_PATTERNS.items():
            if pat.match(rest) and len(s) <= _MAX_HEADING:
                return key, numeral
        for key, pat in _CUT_HEADING.items():
            if numeral == SECTION_NUMERALS[key] and len(s) <= 24 and pat.match(rest):
                return key, numeral
    return None


def _next_nonblank(norm: list[str], i: int) -> int | None:
    """The 1-based number of the first non-blank line after line ``i``; None at the end of the text."""
    for j in range(i, len(norm)):
        if norm[j].strip():
            return j + 1
    return None


def _candidates(norm: list[str]) -> list[tuple[int, str, bool]]:
    """(1-based line, key, has_body) for every heading-like line; has_body is False when the next
    non-blank line heads a later part (a table of contents)."""
    found: list[tuple[int, str]] = []
    for i, line in enumerate(norm, start=1):
        if line[:1] in _MAY_OPEN:  # heading_key's first test, without a call for every line
            hk = heading_key(line)
            if hk:
                found.append((i, hk[0]))
    rank_at = {i: SECTION_KEYS.index(key) for i, key in found}
    # A run of headings with nothing between them (each followed directly by a later part's heading)
    # is a table of contents: every entry of the run, the last one included, has no body of its own.
    toc: set[int] = set()
    for i, key in found:
        nxt = _next_nonblank(norm, i)
        if nxt in rank_at and rank_at[nxt] > rank_at[i]:
            toc.update((i, nxt))
    return [(i, key, i not in toc) for i, key in found]


def split_sections(norm: list[str], raw: list[str] | None = None) -> dict[str, Section]:
    """Find each part's heading in order; a part whose heading is missing is simply absent."""
    raw = raw if raw is not None else norm
    cands = _candidates(norm)
    chosen: list[tuple[int, str]] = []
    last_rank = -1
    for j, (line_no, key, has_body) in enumerate(cands):
        rank = SECTION_KEYS.index(key)
        if rank <= last_rank:
            continue  # parts come in order; a repeat is a sub-heading or a quote
        if not has_body and any(k == key and body for _, k, body in cands[j + 1:]):
            continue  # a table-of-contents entry: the part itself comes later
        chosen.append((line_no, key))
        last_rank = rank
    sections: dict[str, Section] = {}
    for j, (line_no, key) in enumerate(chosen):
        end = chosen[j + 1][0] - 1 if j + 1 < len(chosen) else len(norm)
        sections[key] = Section(key=key, heading=raw[line_no - 1].strip(), heading_line=line_no,
                                start=line_no + 1, end=end)
    return sections
