"""normalize: one normalised line per raw line; widths, spaces, traditional characters, inline pinyin."""
from __future__ import annotations

from helpers.normalize import normalize_line, normalize_lines, split_lines, squeeze, to_simplified


def test_full_width_forms_become_ascii():
    assert normalize_line("（一）予以公开：１２３，") == "(一)予以公开:123,"


def test_odd_spaces_become_plain_spaces_and_zero_width_goes():
    assert normalize_line("自\u00a0然\u3000人\u200b") == "自 然 人"


def test_traditional_becomes_simplified_with_taiwan_phrases():
    out = normalize_lines(["政府資訊公開工作年度報告", "規範性檔案", "屬于國家秘密"])
    assert out == ["政府信息公开工作年度报告", "规范性文件", "属于国家秘密"]


def test_simplified_text_is_untouched():
    line = "本机关不掌握相关政府信息"
    assert to_simplified(line) is line


def test_inline_pinyin_is_dropped_but_real_brackets_stay():
    assert normalize_line("交通運(yùn)輸局(xiàng)") == "交通運輸局"
    assert normalize_line("规章(件)") == "规章(件)"
    assert normalize_lines(["運(yùn)輸"]) == ["运输"]


def test_line_count_is_preserved(seed_texts):
    for text in seed_texts.values():
        raw = split_lines(text)
        assert len(normalize_lines(raw)) == len(raw)


def test_split_lines_handles_crlf_cr_and_keeps_form_feeds():
    assert split_lines("a\r\nb\rc\nd\x0ce\n") == ["a", "b", "c", "d\x0ce"]


def test_squeeze_removes_every_space():
    assert squeeze(" 自 然\t人\u3000 ") == "自然人"


def test_plain_traditional_text_keeps_mainland_words():
    """s2t-style traditional text: 文件, 程序, 查詢 and 互動 must come back as they were (tw2sp would
    make them 文档, 进程, 查找, 交互)."""
    out = normalize_lines(["8.屬於行政查詢事項", "行政規範性文件", "辦理程序", "政民互動"])
    assert out == ["8.属于行政查询事项", "行政规范性文件", "办理程序", "政民互动"]


def test_taiwan_vocabulary_only_in_gateway_text():
    gateway = normalize_lines(["政府資訊公開", "上一年專案數量", "軟體與資料庫", "規範性檔案"])
    assert gateway == ["政府信息公开", "上一年项目数量", "软件与数据库", "规范性文件"]
    ordinary = normalize_lines(["政府信息公開", "檔案管理"])  # 信息 printed: no gateway, 檔案 is 档案
    assert ordinary == ["政府信息公开", "档案管理"]


# ---- normalize_lines works on the whole text at once: the same lines as normalize_line, line by line ----
def _lines_one_by_one(raw: list[str]) -> list[str]:
    """The plain definition: traditional → simplified on the whole text, then each line alone."""
    from helpers.normalize import _t2s, has_traditional

    text = "\n".join(raw)
    if has_traditional(text):
        converted = _t2s(text).split("\n")
        if len(converted) == len(raw):
            raw = converted
    return [normalize_line(line) for line in raw]


_PIECES = ["政府信息", "運(yùn)輸", "(yùn)", "资讯", "資訊公開", "（一）", "１２３", "：", "，", "\u3000", "\u00a0",
           "\u200b", "\ufeff", "\x0c", "<td>3</td>", "<tr><td>a", "</tr>", "＜td＞", "&amp;", "&#65288;", "(件)",
           "(a)", "规章", "abc", "\t", " ", "｟", "—", "\r", "\n", "<b>", "檔案"]


def test_whole_text_normalisation_is_line_by_line():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    line = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=8).map("".join)

    @settings(max_examples=600, deadline=None)
    @given(st.lists(line, max_size=6))
    def check(raw):
        assert normalize_lines(raw) == _lines_one_by_one(raw)

    check()


def test_whole_text_normalisation_of_the_seeds(seed_texts):
    for text in seed_texts.values():
        raw = split_lines(text)
        assert normalize_lines(raw) == _lines_one_by_one(raw)
