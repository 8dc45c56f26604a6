"""textio.decode on bytes generated here: every supported encoding gives back the text; non-text says why."""
from __future__ import annotations

import codecs

import pytest

from helpers.model import LoadError
from helpers.normalize import split_lines
from helpers.textio import decode


@pytest.fixture(scope="module")
def text(seed_texts) -> str:
    return seed_texts["002_7826c6d2cd2971a3.txt"]


@pytest.mark.parametrize("codec, label", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8 (BOM)"),
    ("gb18030", "gbk"),
    ("gbk", "gbk"),
    ("utf-16", "utf-16 (BOM)"),
])
def test_simplified_text_round_trips(text, codec, label):
    decoded, encoding = decode(text.encode(codec))
    assert decoded.lstrip("\ufeff") == text
    assert encoding == label


def test_utf16_big_endian_with_bom(text):
    decoded, encoding = decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    assert decoded.lstrip("\ufeff") == text and encoding == "utf-16 (BOM)"


def test_big5_traditional_text_is_recognised(text):
    import opencc

    trad = opencc.OpenCC("s2tw").convert(text)
    data = trad.encode("big5", errors="ignore")
    decoded, encoding = decode(data)
    assert encoding == "big5"
    assert "政府資訊公開" in decoded or "政府信息公開" in decoded


def test_gb18030_only_characters_fall_back_from_gbk():
    # U+20000 (𠀀) exists in GB18030 but not in GBK: the decoder must not lose it.
    text = "政府信息公开工作年度报告 𠀀 申请"
    decoded, encoding = decode(text.encode("gb18030"))
    assert decoded == text and encoding == "gb18030"


def test_crlf_lines_split_like_lf(text):
    crlf = text.replace("\n", "\r\n").encode("utf-8")
    decoded, _ = decode(crlf)
    assert split_lines(decoded) == split_lines(text)


@pytest.mark.parametrize("data, error", [
    (b"", "empty"),
    (b"  \r\n\t\n", "empty"),
    (codecs.BOM_UTF8, "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not text"),
    (b"\xff\xd8\xff\xe0" + bytes(200), "not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not text"),
    (b"PK\x03\x04" + bytes(100), "not text"),
    (bytes(range(256)) * 8, "not text"),
])
def test_non_text_raises_load_error_with_reason(data, error):
    with pytest.raises(LoadError) as e:
        decode(data)
    assert e.value.stage == "decode" and e.value.error == error and e.value.detail


def test_random_latin1_bytes_are_undecodable():
    data = "Ãâ€™ Ã©tÃ© Ã  la plage ÿþ".encode("latin-1", errors="ignore") * 3
    with pytest.raises(LoadError):
        decode(data)


def test_utf8_cut_inside_a_character_keeps_its_text():
    """An excerpt cut in the middle of a character (or a stray byte) is still the UTF-8 report it was."""
    text = "某县交通运输局2022年政府信息公开工作年度报告\n一、总体情况\n" * 20
    data = text.encode("utf-8")
    cut = len(text[:30].encode("utf-8"))  # a character boundary
    for broken in (data + "公".encode()[:2], data[:cut] + b"\xff" + data[cut:]):
        got, enc = decode(broken)
        assert enc.startswith("utf-8") and "1 invalid byte" in enc
        assert got.startswith("某县交通运输局2022年")


def test_gbk_is_never_taken_for_broken_utf8():
    text = "某县交通运输局2022年政府信息公开工作年度报告\n一、总体情况\n" * 20
    assert decode(text.encode("gbk")) == (text, "gbk")
