"""Text → lines fit for matching, one normalised line per raw line (so line numbers stay true).

What changes: full-width ASCII forms become ASCII (（ → (, ： → :, ０ → 0); odd spaces (NBSP, ideographic
space, zero-width) become plain spaces; traditional characters become simplified with phrase mapping
(資訊 → 信息, 檔案 → 文件, via OpenCC); inline pinyin after a character is dropped (運(yùn)輸 → 运输).
What does not: spaces inside labels (label matching removes them itself), punctuation inside CJK text
such as 、“”《》, and anything that would merge or split lines.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200A: 0x20,
               0x202F: 0x20, 0x205F: 0x20, 0x000C: 0x20, 0x000B: 0x20, 0xFEFF: None, 0x200B: None,
               0x200C: None, 0x200D: None, 0x2060: None,
               0xFF5F: ord("("), 0xFF60: ord(")"), 0x2014: 0x2014})

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{_TONED}ü]*[{_TONED}])[a-z{_TONED}ü]{{1,8}}\)")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2sp")  # Taiwan phrases too: 資訊→信息, 檔案→文件


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """A character class of every CJK character that OpenCC's t2s would change (built once, ~10 ms)."""
    import opencc

    chars = "".join(chr(c) for c in range(0x4E00, 0xA000))
    conv = opencc.OpenCC("t2s").convert(chars)
    changed = [a for a, b in zip(chars, conv) if a != b] if len(conv) == len(chars) else []
    return re.compile("[" + "".join(changed) + "]") if changed else re.compile(r"(?!)")


def has_traditional(text: str) -> bool:
    return _traditional().search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified (with Taiwan phrase mapping); a no-op for text that is already simplified."""
    if not has_traditional(text):
        return text
    return _converter().convert(text)


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n and \\r only (str.splitlines also splits on form feeds and U+2028)."""
    if text.endswith(("\r\n", "\n", "\r")):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalize_line(line: str) -> str:
    line = line.translate(_WIDTH)
    if "(" in line:
        line = _PINYIN.sub("", line)
    return line


def normalize_lines(raw: list[str]) -> list[str]:
    """Normalise each raw line; traditional → simplified is decided once for the whole text."""
    text = "\n".join(raw)
    if has_traditional(text):
        converted = _converter().convert(text).split("\n")
        if len(converted) == len(raw):
            raw = converted
    return [normalize_line(line) for line in raw]


_SPACES = re.compile(r"[\s\u3000]+")


def squeeze(text: str) -> str:
    """Remove all whitespace: labels are matched with spaces gone (`自 然 人` → `自然人`)."""
    return _SPACES.sub("", text)
