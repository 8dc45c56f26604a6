"""Theme tags for the problems part, with the phrase that triggered each tag.

The codes are exactly those of ``data/themes.csv``. The rules are data (``data/text/theme_rules.csv``:
theme, pattern, exclude, notes), written for the family of phrasings an admission takes rather than for
particular reports: most rules are "a topic word, then within a few characters a deficiency word"
(``队伍建设有待加强``, ``公开的内容不够具体``), with the deficiency vocabulary shared through the macros of
``data/text/theme_macros.csv`` ({LACK}, {GAP}, …). Matching runs clause by clause on normalised text with
whitespace removed, so a topic and a deficiency in different clauses never pair up; the evidence is cut
from the raw text, so it can be found verbatim in the report. One sentence can carry several themes.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import normalize_line, to_simplified
from .paths import DATA_FILES

TEXT_DATA = DATA_FILES / "text"
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_CLAUSE_END = re.compile(r"[，,：:。；;！!？?]")
_MACRO = re.compile(r"\{([A-Z]+)\}")


@dataclass(frozen=True, slots=True)
class Rule:
    theme: str
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    notes: str


def theme_codes() -> list[str]:
    """The theme codes of ``data/themes.csv``, in its order."""
    return list(_codes())


@lru_cache(maxsize=1)
def _codes() -> tuple[str, ...]:
    """Read once per process: tag_text needs the order for every report."""
    with open(DATA_FILES / "themes.csv", encoding="utf-8", newline="") as f:
        return tuple(r["code"] for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    return {c: k for k, c in enumerate(_codes())}


def _expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"macro recursion in {pattern!r}")
    out = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    return _expand(out, macros, depth + 1) if _MACRO.search(out) else out


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The compiled rules; a rule naming an unknown theme is a bug in the data file and raises."""
    with open(TEXT_DATA / "theme_macros.csv", encoding="utf-8", newline="") as f:
        macros = {r["name"]: r["pattern"] for r in csv.DictReader(f)}
    codes = set(_codes())
    out = []
    with open(TEXT_DATA / "theme_rules.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["theme"] not in codes:
                raise ValueError(f"theme_rules.csv: unknown theme {r['theme']!r}")
            exclude = re.compile(_expand(r["exclude"], macros)) if r["exclude"] else None
            out.append(Rule(r["theme"], re.compile(_expand(r["pattern"], macros)), exclude, r["notes"]))
    return tuple(out)


# Anchors, lookarounds, word boundaries, back-references and conditionals: what can make a pattern match
# in a clause but not in the line around it (a bare pattern matching a substring matches the whole too).
_CONTEXT = re.compile(r"[\^$]|\(\?(?:=|!|<=|<!|P=|\()")
_ESCAPED_CONTEXT = re.compile(r"\\[bBAZ\d]")
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[\^?\]?[^\]]*\]")


def _context_free(pattern: str) -> bool:
    """True when ``pattern`` holds none of the _CONTEXT constructs, read conservatively (a doubtful case is
    False): escapes are checked, then dropped; then character classes (``[^。]`` is a set, not an anchor)."""
    if _ESCAPED_CONTEXT.search(pattern):
        return False
    bare = _CHAR_CLASS.sub("", _ESCAPE.sub("", pattern))
    return not _CONTEXT.search(bare)


@lru_cache(maxsize=1)
def _gated() -> tuple[tuple[Rule, bool], ...]:
    """Each rule with whether a search of the whole line may stand for its search in every clause."""
    return tuple((r, _context_free(r.pattern.pattern)) for r in rules())


_SPACES = re.compile(r"\s+")


def _squeezed(raw_line: str) -> tuple[str, list[int], str]:
    """(normalised text without whitespace, raw index of each of its characters, the text evidence is cut
    from). Normalisation is character for character unless traditional phrase mapping changed the length;
    then evidence is cut from the normalised line instead.

    The index is built from the runs of whitespace (re's ``\\s`` is exactly str.isspace), not character by
    character; str.split drops exactly the same characters."""
    norm = normalize_line(to_simplified(raw_line))
    source = raw_line if len(norm) == len(raw_line) else norm
    idx: list[int] = []
    at = 0
    for m in _SPACES.finditer(norm):
        idx += range(at, m.start())
        at = m.end()
    idx += range(at, len(norm))
    return "".join(norm.split()), idx, source


def tag_text(text: str, line_start: int = 1) -> list[dict]:
    """Themes found in ``text`` (lines numbered from ``line_start``): dicts with theme, evidence, line.

    One row per theme per sentence (the first rule that fires), in text order.

    Each line first keeps the rules whose pattern matches somewhere in it (a handful of the rules): a
    context-free pattern (see _context_free) that misses the whole line misses each of its clauses, so
    the clause loop never needs the others.
    """
    order = _order()
    gated = _gated()
    found: list[tuple[int, int, int, str, str]] = []  # (line, sentence, theme order, theme, evidence)
    for k, raw_line in enumerate(text.split("\n")):
        sq, idx, source = _squeezed(raw_line)
        if not sq:
            continue
        live = [rule for rule, free in gated if not free or rule.pattern.search(sq)]
        if not live:
            continue
        seen: set[tuple[int, str]] = set()
        sentence, pos = 0, 0
        for m in _CLAUSE_END.finditer(sq + "。"):
            clause_start, clause = pos, sq[pos:m.start()]
            pos = m.end()
            if clause:
                for rule in live:
                    if (sentence, rule.theme) in seen:
                        continue
                    if rule.exclude is not None and rule.exclude.search(clause):
                        continue
                    hit = rule.pattern.search(clause)
                    if hit and hit.end() > hit.start():
                        a, b = idx[clause_start + hit.start()], idx[clause_start + hit.end() - 1] + 1
                        seen.add((sentence, rule.theme))
                        found.append((line_start + k, sentence, order[rule.theme], rule.theme, source[a:b]))
            if _SENTENCE_END.match(m.group(0)):
                sentence += 1
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [{"theme": t, "evidence": ev, "line": ln} for ln, _, _, t, ev in found]


def tag_themes(problem_rows: list[dict], parts: tuple[str, ...] = ("problems",)) -> list[dict]:
    """Rows of the ``themes`` table (report_id, part, theme, evidence, line) for the problems part."""
    rows: list[dict] = []
    for r in problem_rows:
        if r["part"] not in parts:
            continue
        for hit in tag_text(r["text"], r["line_start"]):
            rows.append({"report_id": r["report_id"], "part": r["part"], **hit})
    return rows
