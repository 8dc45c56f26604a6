"""Text → lines fit for matching, one normalised line per raw line (so line numbers stay true).

What changes: full-width ASCII forms become ASCII (（ → (, ： → :, ０ → 0); odd spaces (NBSP, ideographic
space, zero-width) become plain spaces; traditional characters become simplified (OpenCC t2s; in
big5-gateway text also 資訊 → 信息, 檔案 → 文件…); inline pinyin after a character is dropped (運(yùn)輸 → 运输).
What does not: spaces inside labels (label matching removes them itself), punctuation inside CJK text
such as 、“”《》, and anything that would merge or split lines. HTML markup is turned into pipes (see
``_html_markup``) so an HTML table reads as a markdown table.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200A: 0x20,
               0x202F: 0x20, 0x205F: 0x20, 0x000C: 0x20, 0x000B: 0x20, 0xFEFF: None, 0x200B: None,
               0x200C: None, 0x200D: None, 0x2060: None,
               0xFF5F: ord("("), 0xFF60: ord(")"), 0x2014: 0x2014})

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Pinyin in brackets right after a CJK character. The pattern opens with the literal `(` and looks back over
# two characters (CJK + `(`) from after it: the same matches as a lookbehind before the `(`, but the regex
# engine can jump from `(` to `(` instead of testing the lookbehind at every position of the text (~25×).
_PINYIN = re.compile(rf"\((?<=[\u4e00-\u9fff]\()(?=[a-z{_TONED}ü]*[{_TONED}])[a-z{_TONED}ü]{{1,8}}\)")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    # Plain t2s, not tw2sp: tw2sp also rewrites mainland words that merely look Taiwanese once converted
    # to traditional characters (查詢→查找, 文件→文档, 程序→进程, 互動→交互), which corrupts labels and prose.
    return opencc.OpenCC("t2s")


# The big5 gateway (and OpenCC s2twp) swaps mainland vocabulary for Taiwan vocabulary. These phrases are
# mapped back only in text that shows the gateway's mark (資訊 for 信息), because in ordinary traditional
# text 檔案 is 档案 (archives) and 專案 a special case.
_GATEWAY_PHRASES = {
    "網際網路": "互联网", "入口網站": "门户网站", "資料庫": "数据库", "記憶體": "内存", "部落格": "博客",
    "使用者": "用户", "最佳化": "优化", "短影片": "短视频", "資訊": "信息", "檔案": "文件", "軟體": "软件",
    "硬體": "硬件", "軟件": "软件", "網路": "网络", "專案": "项目", "釋出": "发布", "列印": "打印", "預設": "默认",
    "程式": "程序", "登入": "登录", "視窗": "窗口", "螢幕": "屏幕", "滑鼠": "鼠标", "連結": "链接", "影片": "视频",
}
_GATEWAY = re.compile("|".join(sorted(_GATEWAY_PHRASES, key=len, reverse=True)))


def is_gateway_text(text: str) -> bool:
    """Text converted with Taiwan vocabulary: 資訊 stands where a report says 信息."""
    n = text.count("資訊")
    return n > 0 and n >= text.count("信息")


def _t2s(text: str) -> str:
    if is_gateway_text(text):
        text = _GATEWAY.sub(lambda m: _GATEWAY_PHRASES[m.group(0)], text)
    return _converter().convert(text)


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
    """Traditional → simplified (Taiwan phrases too in big5-gateway text); a no-op for simplified text."""
    if not has_traditional(text):
        return text
    return _t2s(text)


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n and \\r only (str.splitlines also splits on form feeds and U+2028)."""
    if text.endswith(("\r\n", "\n", "\r")):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# HTML table markup (D29: a table kept as HTML text): each cell opens with `|`, a row that ends on the same
# line closes with `|`, every other tag goes and entities are decoded, so a `<tr>` per line reads as a
# markdown row (`|a|3| |`) and a `<td>` per line as one cell per line (`|3`, an empty cell a lone `|`).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_CELL_TAGS = frozenset({"td", "th"})


def _html_markup(line: str) -> str:
    row_end = "|" if ("<td" in line or "<th" in line or "<TD" in line) else ""

    def sub(m: re.Match[str]) -> str:
        tag = m.group(2).lower()
        if tag in _CELL_TAGS:
            return "" if m.group(1) else "|"
        if tag == "tr" and m.group(1):
            return row_end
        return ""

    return html.unescape(_TAG.sub(sub, line))


def normalize_line(line: str) -> str:
    if "<" in line and _TAG.search(line):
        line = _html_markup(line)
    line = _ascii_forms(line)  # = line.translate(_WIDTH), ~10× faster on a paragraph-long line
    if "(" in line:
        line = _PINYIN.sub("", line)
    return line


def normalize_lines(raw: list[str]) -> list[str]:
    """Normalise each raw line; traditional → simplified is decided once for the whole text.

    Why the whole text at once: ``str.translate`` looks every character up in a dict, while a report holds
    only a handful of distinct characters to change, each replaced in one fast ``str.replace``. The answer
    is :func:`normalize_line` of each line (tested); lines with HTML markup take that path itself."""
    text = "\n".join(raw)
    if has_traditional(text):
        converted = _t2s(text)
        lines = converted.split("\n")
        if len(lines) == len(raw):
            raw, text = lines, converted
    norm = _ascii_forms(text)
    if "(" in norm:
        norm = _PINYIN.sub("", norm)  # never spans lines: no pinyin class holds \n
    out = norm.split("\n")
    if len(out) != len(raw):  # a line holding \n itself (not from split_lines): line by line
        return [normalize_line(line) for line in raw]
    if "<" in text:
        for i, line in enumerate(raw):
            if "<" in line and _TAG.search(line):
                out[i] = normalize_line(line)
    return out


_WIDTH_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDTH) + "]")
_WIDTH_STR = {chr(k): "" if v is None else chr(v) for k, v in _WIDTH.items()}


# The full-width forms nearly every report prints many times: replaced first, so that the regex pass finds
# only the rare others (building a match for each of ~100 commas and brackets costs more than the scan).
_FREQUENT_WIDTH = "，（）：；"


def _ascii_forms(text: str) -> str:
    """``text.translate(_WIDTH)``: no replacement makes a character another one replaces, so the order of
    the replacements does not matter."""
    for ch in _FREQUENT_WIDTH:
        if ch in text:
            text = text.replace(ch, _WIDTH_STR[ch])
    for ch in set(_WIDTH_CHARS.findall(text)):
        text = text.replace(ch, _WIDTH_STR[ch])
    return text


def squeeze(text: str) -> str:
    """Remove all whitespace: labels are matched with spaces gone (`自 然 人` → `自然人`).

    ``str.split()`` splits on exactly the Unicode whitespace that ``[\\s\\u3000]+`` matches, ~5× faster."""
    return "".join(text.split())
