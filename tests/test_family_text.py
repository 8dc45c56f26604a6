"""Characters and encodings: the same report through the big5 gateway, GB18030, UTF-16, BOM + CRLF,
full-width digits, NBSPs, inline pinyin and spaced-out labels must give the same numbers, with ``raw`` the
text as printed (traditional, full-width…) on the right line."""
from __future__ import annotations

import codecs
import re

import opencc
import pytest

from layout_render import (cells, expected_appeals, expected_requests, parse_report, provenance_errors,
                           random_tables, render, render_report, request_rows, warnings_of)

GATEWAY = opencc.OpenCC("s2twp")  # the big5 gateway's Taiwan vocabulary: 信息→資訊, 文件→檔案, 项目→專案
PLAIN_TRAD = opencc.OpenCC("s2t")


def _same_numbers(res, t):
    assert res.report["status"] == "ok" and res.report["template"] == t["template"]
    assert {(r["item"], r["measure"]): r["value"] for r in res.tables["disclosure"]} == t["disclosure"]
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)


@pytest.mark.parametrize("template,split", [("2021", True), ("2019", False)])
@pytest.mark.parametrize("encoding", ["big5", "utf-8"])
@pytest.mark.parametrize("layout", ["tab", "pipe-row", "cell-per-line-blank"])
def test_big5_gateway_report(template, split, encoding, layout):
    t = random_tables(201, template, split)
    text = GATEWAY.convert(render_report(t, layout)).replace("屬於", "屬于")  # 屬于: mixed forms are seen
    assert "資訊" in text and "檔案" in text and "屬于" in text
    if template == "2019":
        assert "專案數量" in text  # 项目 → 專案 in 上一年项目数量, 采购项目数量
    data = text.encode(encoding)
    res = parse_report(data)
    _same_numbers(res, t)
    assert res.report["encoding"] == encoding
    assert provenance_errors(res, data) == []
    granted = cells(res, "requests")[("granted", "natural_person")]
    if layout != "cell-per-line-blank":  # the row's line is the traditional text as printed
        assert "予以公開" in data.decode(encoding).split("\n")[granted["line"] - 1]


def test_plain_traditional_report_keeps_query_row():
    """s2t-style text (no Taiwan vocabulary): 8.屬於行政查詢事項 is the query-matter row, not 查找."""
    t = random_tables(202)
    t["requests"][("withheld_query_matter", "natural_person")] += 1
    t["requests"][("withheld_query_matter", "total")] += 1
    text = PLAIN_TRAD.convert(render_report(t, "pipe-row"))
    assert "行政查詢事項" in text
    res = parse_report(text)
    _same_numbers(res, t)
    assert not [m for m in warnings_of(res, "tables") if "查" in m]


def test_inline_pinyin_after_characters():
    t = random_tables(203)
    text = GATEWAY.convert(render_report(t, "tab"))
    text = text.replace("運輸", "運(yùn)輸").replace("項", "項(xiàng)").replace("規章", "規(guī)章")
    res = parse_report(text)
    _same_numbers(res, t)
    assert res.report["agency"] == "某市交通运输局"


@pytest.mark.parametrize("encoding,bom,crlf,name", [
    ("gb18030", b"", False, "gb"), ("utf-16-le", codecs.BOM_UTF16_LE, False, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, True, "utf-16"), ("utf-8", codecs.BOM_UTF8, True, "utf-8 (BOM)"),
])
def test_encodings_and_line_ends(encoding, bom, crlf, name):
    t = random_tables(204)
    text = render_report(t, "pipe-row")
    if crlf:
        text = text.replace("\n", "\r\n")
    data = bom + text.encode(encoding)
    res = parse_report(data)
    _same_numbers(res, t)
    assert res.report["encoding"].startswith(name[:3]) or name in res.report["encoding"]
    assert provenance_errors(res, data) == []
    assert all("\r" not in r["raw"] for r in res.tables["requests"])


def test_gb18030_only_characters_decode():
    """A rare character outside GBK (four-byte GB18030) in the agency name must not break decoding."""
    t = random_tables(205)
    text = render_report(t, "tab").replace("某市", "䶮市", 1)
    res = parse_report(text.encode("gb18030"))
    _same_numbers(res, t)


def test_full_width_digits_and_nbsp():
    t = random_tables(206)
    text = render_report(t, "pipe-row")
    wide = str.maketrans("0123456789+-.", "０１２３４５６７８９＋－．")
    text = re.sub(r"(?<=\| )([\d.+-]+)(?= \|)", lambda m: "\u00a0" + m.group(1).translate(wide), text)
    assert "\u00a0０" in text or "\u00a0１" in text
    res = parse_report(text)
    _same_numbers(res, t)
    assert provenance_errors(res, text) == []
    raws = {r["raw"] for r in res.tables["requests"]}
    assert any(ch in "".join(raws) for ch in "０１２３４５６７８９")  # raw keeps the printed form


@pytest.mark.parametrize("layout", ["tab", "pipe-row", "pdf-runs", "cell-per-line-pipe", "label-line-values-line"])
def test_a_space_between_every_character_of_the_labels(layout):
    """D154: `自 然 人`, `总 计`, `(一) 予以公开`, `1 . 属 于 国 家 秘 密`."""
    t = random_tables(207)
    rows = request_rows(t)
    spaced = [([" ".join(lab) for lab in labels], vals) for labels, vals in rows]
    text = render_report(t, layout).replace("\n".join(render(rows, layout)), "\n".join(render(spaced, layout)))
    assert "自 然 人" in text and "予 以 公 开" in text
    _same_numbers(parse_report(text), t)
