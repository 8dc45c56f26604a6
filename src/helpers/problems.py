"""Section 五 (存在的主要问题及改进情况) → a ``problems`` part and an ``improvements`` part.

The section comes in many shapes (layout survey, part (d)): the standard heading, longer or shorter
wordings, numbered 六, merged with another part, sub-heads such as (一)存在问题 / (二)改进措施, or no heading
at all — some reports state their shortcomings in one prose paragraph near the end and their plans for next
year in the next. This module finds the span in three steps, from surest to least sure:

1. the ``problems`` section found by :func:`helpers.sections.split_sections`;
2. its own search for a heading or a sub-head block (a short line, or a line that starts with a numeral, so
   the opening paragraph's list of parts never matches);
3. prose: the last paragraph that admits a shortcoming (虽然…但, 存在…差距/不足/问题) and is followed by a
   plans paragraph (下一步, 2022年我局将…) or ends the prose.

Inside the span the improvements part starts at the first line whose opening words announce remedies or
plans (改进情况, 改进措施, 下一步, 今后, 针对上述问题, 20XX年…将). When nothing is found the report gets a
warning and no rows: a guess here would put made-up admissions in a journalist's table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress, count

from .model import Doc, Section
from .sections import heading_key

_PART_NUM = "一二三四五六七八九十"
# Line-opening enumerators: 五、  六.  (一)  一是  1.  1、  ①
_ENUM = rf"(?:[{_PART_NUM}]{{1,2}}[、.,:]|\([{_PART_NUM}\d]{{1,2}}\)|\d{{1,2}}[、.]|[①②③④⑤⑥]|[{_PART_NUM}]是)?"

# Words of a problems heading, matched at the start of a squeezed line (after an optional enumerator).
_HEADING_WORDS = (
    r"(?:(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:中|方面)?)?"
    r"(?:存在的?(?:主要)?(?:问题|不足)|主要问题|问题(?:和|与|及)不足)"
    r"(?:(?:和|及|与|以及|、)(?:改进|整改|下一步)(?:工作)?(?:情况|措施|举措|方向|计划|打算|安排|思路|方案)?)?"
)
_HEADING = re.compile(rf"^{_ENUM}{_HEADING_WORDS}")
# A merged part: 四、…主要措施、存在的主要问题及下一步工作打算 (topics before the problems).
_MERGED_HEADING = re.compile(rf"^[{_PART_NUM}]{{1,2}}[、.,][^。;;]{{0,24}}?存在的?(?:主要)?问题")
# A plans-only part that sometimes stands in for 五: 五、下一步工作打算 / 2023年工作计划.
_PLANS_HEADING = re.compile(
    rf"^{_ENUM}(?:\d{{4}}年(?:度)?|下一步|下一年度?|明年)(?:政务公开|政府信息公开|信息公开)?工作(?:打算|计划|安排|思路|重点)"
)
_MAX_HEADING = 40  # squeezed characters; the opening list of parts is longer

# Opening words of the improvements part (squeezed line start, after an optional enumerator).
_IMPROVE_START = re.compile(
    rf"^{_ENUM}(?:"
    r"(?:改进|整改)(?:情况|措施|举措|方向|计划|思路|工作|意见|落实情况)"
    r"|(?:主要)?(?:改进|整改)[:：]"
    r"|下一步|下步|今后|(?:下一|明)年度?|新的一年"
    r"|进一步(?:整改|改进)"
    r"|针对(?:上述|以上|这些|存在的|前述)"
    r"|(?:改进|整改|解决)(?:的)?(?:办法|对策)"
    r"|\d{4}年(?:度)?[,，]?[^。;;]{0,12}?(?:将|计划|拟)"
    r")"
)
# Opening words that mark the problems statement itself (used in merged parts and in prose).
_PROBLEM_START = re.compile(
    rf"^{_ENUM}(?:存在的?(?:主要)?(?:问题|不足)|主要问题|问题(?:和|与|及)?不足|不足之处|(?:工作)?存在(?:差距|短板))"
)
# An admission in running prose: strong enough to name a paragraph the problems statement.
_ADMISSION = re.compile(
    r"(?:仍|还|也|依然|尚|但)(?:然)?(?:存在|有)(?:着)?(?:一定的|一些|部分|不少|诸多|以下)?(?:差距|不足|问题|短板|薄弱环节|困难)"
    r"|存在(?:一定的|一些|以下|部分|不少)?(?:差距|不足|短板|薄弱环节)"
    r"|存在的?(?:主要)?问题|不足之处|问题和不足|问题与不足"
)
_CONCESSION = re.compile(r"虽然|虽|尽管|但是|但|然而|不过")
_PLANS_START = re.compile(
    rf"^{_ENUM}(?:下一步|下步|今后|(?:下一|明)年度?|新的一年"
    r"|\d{4}年(?:度)?[,，]?[^。;;]{0,12}?(?:将|计划|拟)"
    r"|针对(?:上述|以上|这些|存在的|前述))"
)
_LABEL = re.compile(r"^(?:存在的?(?:主要)?(?:问题|不足)|主要问题|问题(?:和|与|及)不足)[:：]")
_ATTACHMENT = re.compile(r"^附件[:：\d一二三]?|^附表")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$|^\d{4}-\d{1,2}-\d{1,2}$")


@dataclass(slots=True)
class Part:
    """One part of the section: ``text`` is the raw text of lines ``line_start``…``line_end`` joined by \\n
    (the first line may be cut at ``col`` when both parts share one line)."""

    part: str
    line_start: int
    line_end: int
    text: str


@dataclass(slots=True)
class ProblemsSpan:
    """Where section 五 is and how it was found (``how``: section, heading, subheads, label, prose, plans)."""

    how: str
    heading: str  # heading as printed (raw, stripped); "" when there is none
    heading_line: int | None
    start: int
    end: int
    parts: list[Part] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


_NUMBERED = re.compile(rf"^[{_PART_NUM}]{{1,2}}[、.,]")
_SUBHEAD = re.compile(r"^\([一二三四1-4]\)(?:存在的?(?:主要)?问题|主要问题)")
_SENTENCE_PUNCT = re.compile(r"[。;；]")
_PARAGRAPH_PUNCT = re.compile(r"[,，。;；]")


def _sq(line: str) -> str:
    """``normalize.squeeze`` (str.split drops exactly the characters ``\\s`` matches, U+3000 included),
    several times faster: the fallbacks below squeeze every line of the file."""
    return "".join(line.split())


def _sq_all(lines: list[str]) -> list[str]:
    """``[_sq(line) for line in lines]``, run in C (no Python frame per line): the fallbacks squeeze every line."""
    return list(map("".join, map(str.split, lines)))


# Every wording _find_heading looks for (heading, sub-head, label) names 问题 or 不足: a line without either
# is skipped by one search run in C, not by the three tests in turn.
_PROBLEM_WORD = re.compile("问题|不足")
# A line _prose_span keeps names an attachment (附件/附表) or is a paragraph (20+ characters holding
# punctuation, the second branch): every other line is skipped in C.
_PARA_OR_ATTACHMENT = re.compile(r"附[件表]|(?=[\s\S]{20})[\s\S]*?[,，。;；]")


def is_problems_heading(norm_line: str) -> bool:
    """A short line (or one starting with a part numeral) that names the problems part."""
    return _is_heading_sq(_sq(norm_line))


def _is_heading_sq(s: str) -> bool:
    """:func:`is_problems_heading` on an already squeezed line."""
    if not s or s.startswith("("):  # (一)存在问题 is a sub-head, looked for separately
        return False
    if "问题" not in s and "不足" not in s:  # every heading wording names one of them
        return False
    numbered = bool(_NUMBERED.match(s))
    if len(s) > _MAX_HEADING and not numbered:
        return False
    m = _HEADING.match(s) or (len(s) <= _MAX_HEADING and _MERGED_HEADING.match(s))
    if not m:
        return False
    # 存在问题：一是… is a label that opens the problems text, not a heading, unless numbered as a part.
    rest = s[m.end():]
    if rest.startswith((":", "：")) and not numbered:
        return False
    return numbered or len(s) <= _MAX_HEADING and not _SENTENCE_PUNCT.search(s)


def _nonblank(doc: Doc, start: int, end: int) -> list[int]:
    return [n for n in range(start, end + 1) if doc.raw[n - 1].strip()]


def _trim_end(doc: Doc, start: int, end: int) -> int:
    """Cut the span before an attachment line and before a trailing sign-off (agency name + date)."""
    for n in range(start, end + 1):
        s = _sq(doc.norm[n - 1])
        if _ATTACHMENT.match(s) and len(s) <= 20:
            end = n - 1
            break
    lines = _nonblank(doc, start, end)
    # sign-off: one of the last three non-blank lines is a date, preceded by at most two short lines
    for k in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
        if _DATE_LINE.match(_sq(doc.norm[lines[k] - 1])):
            j = k
            while j > 0 and k - j < 2 and _is_signoff(doc.norm[lines[j - 1] - 1]):
                j -= 1
            end = lines[j] - 1
            break
    lines = _nonblank(doc, start, end)
    return lines[-1] if lines else start - 1


def _is_signoff(norm_line: str) -> bool:
    s = _sq(norm_line)
    return len(s) <= 30 and not re.search(r"[。;；,，:：]", s)


def _find_heading(doc: Doc, sq: list[str] | None = None) -> tuple[int, str] | None:
    """(line, how) of a problems heading or sub-head block the section splitter did not report.

    ``sq``: the squeezed normalised lines, when the caller has them."""
    if sq is None:
        sq = _sq_all(doc.norm)
    named = list(compress(count(1), map(_PROBLEM_WORD.search, sq)))  # the only lines that can match below
    for i in named:
        if _is_heading_sq(sq[i - 1]):
            return i, "heading"
    # D151-style: no part heading, only (一)存在问题 … (二)进一步整改 blocks
    for i in named:
        s = sq[i - 1]
        if len(s) <= _MAX_HEADING and _SUBHEAD.match(s):
            return i, "subheads"
    # no heading at all, but a label opens the problems text: 存在的主要问题：一是…
    for i in named:
        if _LABEL.match(sq[i - 1]):
            return i, "label"
    return None


def _section_end(doc: Doc, sections: dict[str, Section], after: int) -> int:
    """The line before the next numbered part heading (or the end of the file)."""
    later = [s.heading_line for k, s in sections.items()
             if k != "problems" and s.heading_line and s.heading_line > after]
    for n in range(after + 1, len(doc.norm) + 1):  # also a later part heading the splitter did not report
        hk = heading_key(doc.norm[n - 1])
        if hk and hk[0] != "problems" and hk[1] is not None:
            later.append(n)
            break
    return (min(later) - 1) if later else len(doc.raw)


def _prose_span(doc: Doc, sq: list[str] | None = None) -> tuple[int, int] | None:
    """No heading: the last admission paragraph, with the plans paragraph(s) after it.

    A candidate paragraph must admit a shortcoming (``_ADMISSION``) and either concede (虽然…但) or open
    with the admission; it must be followed by a plans paragraph, or be the last paragraph of prose before an
    attachment line. Paragraphs are non-blank lines of 20+ characters with sentence punctuation.
    """
    if sq is None:
        sq = _sq_all(doc.norm)
    paras: list[int] = []
    for n in compress(count(1), map(_PARA_OR_ATTACHMENT.match, sq)):  # blank and short lines skipped in C
        s = sq[n - 1]
        if _ATTACHMENT.match(s) and len(s) <= 20:
            paras.append(-n)  # marks the end of the prose
            continue
        if _is_paragraph_sq(s):
            paras.append(n)
    best: tuple[int, int] | None = None
    for k, n in enumerate(paras):
        if n < 0:
            continue
        s = sq[n - 1]
        if not _ADMISSION.search(s):
            continue
        if not (_CONCESSION.search(s) or _PROBLEM_START.match(s)):
            continue
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if nxt is not None and nxt > 0 and _PLANS_START.match(sq[nxt - 1]):
            best = (n, _paragraphs_end(doc, nxt))
        elif nxt is None or nxt < 0:
            best = (n, n)
    return best


def _is_paragraph(norm_line: str) -> bool:
    return _is_paragraph_sq(_sq(norm_line))


def _is_paragraph_sq(s: str) -> bool:
    return len(s) >= 20 and bool(_PARAGRAPH_PUNCT.search(s))


def _paragraphs_end(doc: Doc, first: int) -> int:
    """The last line of the run of prose paragraphs from ``first``: it stops at a heading, an attachment
    line or any short line (a table cell, a label), blank lines aside."""
    end = first
    for n in range(first + 1, len(doc.norm) + 1):
        line = doc.norm[n - 1]
        if not line.strip():
            continue
        if heading_key(line) or not _is_paragraph(line):
            break
        end = n
    return end


def _split(doc: Doc, start: int, end: int, merged: bool,
           head: tuple[int, int] | None = None) -> tuple[list[Part], list[dict]]:
    """Cut a span into problems / improvements parts at the first improvements opening.

    ``head`` = (line, column) when the heading line carries the first text after its heading words.
    """
    warnings: list[dict] = []
    lines = _nonblank(doc, start, end)

    def sq(n: int) -> str:
        return _sq(doc.norm[n - 1][head[1]:] if head and n == head[0] else doc.norm[n - 1])

    def col(n: int) -> int:
        return head[1] if head and n == head[0] else 0

    if not lines:
        return [], [{"line": start, "message": "problems section is empty"}]
    first = lines[0]
    if merged:  # skip the measures that precede the problems in a merged part
        marked = [n for n in lines if _PROBLEM_START.match(sq(n))]
        first = marked[0] if marked else first
    body = [n for n in lines if n >= first]
    if len(body) == 1 and re.fullmatch(r"(?:无|暂无|没有)[^。]{0,10}。?", sq(body[0])):
        return [], [{"line": body[0], "message": "problems section says there is nothing to report"}]

    imp = next((n for n in body if _IMPROVE_START.match(sq(n))), None)
    parts: list[Part] = []
    if imp == body[0]:
        warnings.append({"line": imp, "message": "problems section opens with improvements; no problems part"})
        parts.append(_part(doc, "improvements", body[0], body[-1], start_col=col(body[0])))
        return parts, warnings
    if imp is None:
        cut = _inline_cut(doc, body)
        if cut:
            n, cut_col = cut
            parts.append(_part(doc, "problems", body[0], n, start_col=col(body[0]), end_col=cut_col))
            parts.append(_part(doc, "improvements", n, body[-1], start_col=cut_col))
            return parts, warnings
        warnings.append({"line": body[0], "message": "no improvements part found in the problems section"})
        parts.append(_part(doc, "problems", body[0], body[-1], start_col=col(body[0])))
        return parts, warnings
    last_problem = max(n for n in body if n < imp)
    parts.append(_part(doc, "problems", body[0], last_problem, start_col=col(body[0])))
    parts.append(_part(doc, "improvements", imp, body[-1]))
    return parts, warnings


_INLINE_IMPROVE = re.compile(r"(?<=[。;；])\s*(?:(?:改进|整改)(?:情况|措施|举措|方向)[:：]|下一步[,，])")


def _inline_cut(doc: Doc, body: list[int]) -> tuple[int, int] | None:
    """Both parts on one line (存在问题：…。改进措施：…): the raw line and column where improvements begin."""
    for n in body:
        m = _INLINE_IMPROVE.search(doc.raw[n - 1].replace("：", ":").replace("，", ","))
        if m:
            return n, m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    return None


def _part(doc: Doc, name: str, first: int, last: int, start_col: int = 0, end_col: int | None = None) -> Part:
    lines = [doc.raw[n - 1] for n in range(first, last + 1)]
    if end_col is not None:
        lines[-1] = lines[-1][:end_col].rstrip()
    if start_col:
        lines[0] = lines[0][start_col:]
    while lines and not lines[-1].strip():
        lines.pop()
    return Part(part=name, line_start=first, line_end=first + len(lines) - 1, text="\n".join(lines))


def _heading_tail(doc: Doc, line: int) -> int | None:
    """The raw column where text begins when a heading runs on into its first sentence
    (五、存在的主要问题及改进情况：一是…); None for a heading alone on its line."""
    raw, norm = doc.raw[line - 1], doc.norm[line - 1]
    if len(raw) != len(norm):
        return None
    m = _HEADING.match(_sq(norm))
    if not m:
        return None
    seen = 0
    for col, ch in enumerate(norm):  # squeezed offset m.end() → column in the line
        if seen == m.end():
            break
        if not ch.isspace():
            seen += 1
    else:
        return None
    rest = norm[col:]
    stripped = rest.lstrip(" :：。.")
    if len(_sq(stripped)) < 4:
        return None
    return col + (len(rest) - len(stripped))


def _plans_span(doc: Doc, sections: dict[str, Section], heading_line: int) -> ProblemsSpan:
    """A 下一步工作打算 part standing in for 五: its body is the improvements part; there is no problems part."""
    end = _trim_end(doc, heading_line + 1, _section_end(doc, sections, heading_line))
    lines = _nonblank(doc, heading_line + 1, end)
    span = ProblemsSpan(how="plans", heading=doc.raw[heading_line - 1].strip(), heading_line=heading_line,
                        start=heading_line + 1, end=end)
    if lines:
        span.parts = [_part(doc, "improvements", lines[0], lines[-1])]
    span.warnings = [{"line": heading_line, "message": "no problems part; only a plans part was found"}]
    return span


def locate_problems(doc: Doc, sections: dict[str, Section]) -> ProblemsSpan | None:
    """Find section 五 and split it; None (with nothing guessed) when no sign of it is found."""
    sec = sections.get("problems")
    heading_line: int | None = None
    sq_cache: list[list[str]] = []

    def sq() -> list[str]:  # squeezed lines, computed once and only when a fallback needs them
        if not sq_cache:
            sq_cache.append(_sq_all(doc.norm))
        return sq_cache[0]

    if sec is not None and sec.heading_line:
        heading_line, how, end = sec.heading_line, "section", sec.end
        s = _sq(doc.norm[heading_line - 1])
        if not (is_problems_heading(doc.norm[heading_line - 1]) or _PLANS_HEADING.match(s)):
            # the splitter took a label (存在的主要问题：…) for the heading: a real heading before it
            # (e.g. a merged part) wins; otherwise the part starts on that line
            found = _find_heading(doc, sq())
            if found and found[0] < heading_line:
                heading_line, how = found
                end = _section_end(doc, sections, heading_line)
            else:
                how = "label"
    else:
        found = _find_heading(doc, sq())
        if found:
            heading_line, how = found
            end = _section_end(doc, sections, heading_line)
    if heading_line is not None:
        heading_raw = doc.raw[heading_line - 1].strip()
        s = _sq(doc.norm[heading_line - 1])
        if _PLANS_HEADING.match(s) and not _HEADING.match(s):
            return _plans_span(doc, sections, heading_line)
        merged = bool(_MERGED_HEADING.match(s)) and not _HEADING.match(s)
        unheaded = how in ("subheads", "label")  # the line found opens the text; there is no heading
        tail = None if unheaded else _heading_tail(doc, heading_line)
        start = heading_line if unheaded or tail is not None else heading_line + 1
        if tail is not None:
            heading_raw = doc.raw[heading_line - 1][:tail].strip().rstrip(":：。. ")
        end = _trim_end(doc, start, end)
        span = ProblemsSpan(how=how, heading="" if unheaded else heading_raw,
                            heading_line=None if unheaded else heading_line, start=start, end=end)
        span.parts, span.warnings = _split(doc, start, end, merged,
                                           head=(heading_line, tail) if tail is not None else None)
        return span
    prose = _prose_span(doc, sq())
    if prose:
        start, end = prose
        span = ProblemsSpan(how="prose", heading="", heading_line=None, start=start, end=end)
        span.parts, span.warnings = _split(doc, start, end, merged=False)
        span.warnings.append({"line": start, "message": "problems section has no heading; taken from prose"})
        return span
    for i, s in enumerate(sq(), start=1):  # a plans-only part (D75): improvements, no problems
        if len(s) <= _MAX_HEADING and _PLANS_HEADING.match(s):
            return _plans_span(doc, sections, i)
    return None


def extract_problems(doc: Doc, sections: dict[str, Section]) -> tuple[list[dict], list[dict]]:
    """Rows of the ``problems`` table (report_id, part, text, line_start, line_end) and warnings."""
    span = locate_problems(doc, sections)
    if span is None:
        return [], [{"line": None, "message": "problems section (存在的主要问题及改进情况) not found"}]
    rows = [{"report_id": doc.report_id, "part": p.part, "text": p.text, "line_start": p.line_start,
             "line_end": p.line_end} for p in span.parts]
    return rows, list(span.warnings)
