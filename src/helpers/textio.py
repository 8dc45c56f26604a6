"""Bytes → text: detect the encoding of a report file, or say clearly why it is not text."""
from __future__ import annotations

import codecs
import re

from .model import LoadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BM", None),  # too short a signature to trust alone; checked with NULs below
    (b"%PDF", "a PDF file (convert it to text first, e.g. with pdftotext -layout)"),
    (b"PK\x03\x04", "a ZIP container (DOCX/XLSX/ZIP)"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (DOC/XLS)"),
    (b"RIFF", "a RIFF media file (WEBP/WAV/AVI)"),
    (b"\x1f\x8b", "a gzip archive"),
)

# Characters that occur in nearly every report, in simplified and traditional forms: used to choose
# between legacy encodings that both decode the same bytes without error (GBK vs Big5).
_COMMON = re.compile("[的公开開信息資訊政府年工作报報告申请請行]")


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`LoadError` for empty, binary or undecodable files."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise LoadError("decode", "empty", "the file is empty or holds only whitespace")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", " (BOM)") if enc == "utf-8-sig" else f"{enc} (BOM)"
            except UnicodeDecodeError as e:
                raise LoadError("decode", "undecodable", f"has a {enc} byte-order mark but is not valid {enc}: {e}")
    for magic, what in _MAGIC:
        if what and data.startswith(magic):
            raise LoadError("decode", "not text", f"the file is {what}, not a text report")
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess:
            return guess
        raise LoadError("decode", "not text", "binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = _utf8_with_few_errors(data)
    if lenient:
        return lenient
    candidates = []
    for enc in ("gbk", "gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gbk":
            # gb18030 decodes whatever gbk does, identically; skip it. So gbk is the only candidate, and its
            # score counts only as zero or not: one search instead of finding every common character.
            candidates.append((1 if _COMMON.search(text) else 0, enc, text))
            break
        candidates.append((len(_COMMON.findall(text)), enc, text))
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score:
            return text, enc
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive: the detector itself failed
        best = None
    if best is not None and _COMMON.search(str(best)):
        return str(best), best.encoding
    raise LoadError("decode", "undecodable", "not UTF-8, GBK/GB18030, Big5 or UTF-16, and no Chinese text recognised")


_HEAD = 512  # bytes decoded first when testing for UTF-8 with a few errors


def _utf8_with_few_errors(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a handful of broken bytes (an excerpt cut inside a character, a stray byte): keep the
    text, with U+FFFD for the broken bytes. GBK or Big5 read as UTF-8 breaks on nearly every character,
    so a small error budget cannot mistake them for UTF-8."""
    budget = max(3, len(data) // 2000)
    # The first bytes alone usually exceed the budget for GBK or Big5: each U+FFFD of the head is one of the
    # whole text, except perhaps the last (a character cut by the slice), so more than budget + 1 of them
    # settles it without decoding the whole file.
    if data[:_HEAD].decode("utf-8", errors="replace").count("\ufffd") > budget + 1:
        return None
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= budget and _COMMON.search(text):
        return text, f"utf-8 ({bad} invalid byte{'s' if bad > 1 else ''} replaced)"
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return (text, enc) if _COMMON.search(text) else None
