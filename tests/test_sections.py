"""split_sections: the six parts found in order, for the heading variants of layout survey section (d)."""
from __future__ import annotations

import pytest

from helpers.normalize import normalize_lines, split_lines
from helpers.sections import heading_key, split_sections

BODY = "本机关认真贯彻落实条例要求，全年工作有序开展，具体情况如下，详见下文所列各项内容与数据。"


def _doc(headings: list[str], body: str = BODY) -> list[str]:
    lines = ["某某县交通运输局2022年政府信息公开工作年度报告", ""]
    for h in headings:
        lines += [h, "", body, ""]
    return normalize_lines(lines)


@pytest.mark.parametrize("line, key", [
    ("一、总体情况", "overview"), ("一、 总体情况", "overview"), ("一、總體情況。", "overview"),
    ("一、工作开展总体情况", "overview"), ("一、基本情况", "overview"), ("一、概述", "overview"),
    ("一、概", "overview"), ("一、主要工作概述", "overview"), ("## 一、总体情况", "overview"),
    ("**一、总体情况**", "overview"), ("第一部分 总体情况", "overview"), ("一.总体情况", "overview"),
    ("二、主动公开政府信息情况", "proactive"), ("行政机关主动公开政府信息情况", "proactive"),
    ("二、主动公开情况", "proactive"),
    ("三、收到和处理政府信息公开申请情况", "requests"), ("三、行政机关收到和处理政府信息公开申请情况", "requests"),
    ("三、收到和处理政府信息公开申请的情况", "requests"), ("三、收到和处理政府信息公开审核情况", "requests"),
    ("三、收到和处理政府信息公开总体情况", "requests"), ("3.收到和处理政府信息公开申请情况", "requests"),
    ("四、政府信息公开行政复议、行政诉讼情况", "appeals"), ("四、政府信息公开行政复议及行政诉讼情况", "appeals"),
    ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "appeals"),
    ("四、因政府信息公开工作被申请行政复议及提起行政诉讼的情况", "appeals"),
    ("四、因单位信息公开工作被申请行政复议、提起行政诉讼情况", "appeals"),
    ("五、存在的主要问题及改进情况", "problems"), ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("政府信息公开存在的主要问题及改进情况", "problems"), ("工作中存在的主要问题及改进情况", "problems"),
    ("存在的主要问题及改进措施", "problems"), ("存在的问题及改进情况", "problems"),
    ("存在问题及改进情况", "problems"), ("五、存在的主要问题和改进措施", "problems"),
    ("六、存在问题及整改措施", "problems"), ("五、下一步工作打算", "problems"), ("五、存在的不足及改进措施", "problems"),
    ("四、政府信息公开行政复议、行政诉讼情况（单位：件）", "appeals"), ("六、其他需要报告的事项：无。", "other"),
    ("六、其他需要报告的事项", "other"), ("六、其他报告的事项", "other"), ("其他事项", "other"),
    ("六、其他需要报告的事项无。", "other"),
    ("六、其他需要报告的事项：本机关全年未收取信息处理费，也未发生其他需要报告的情况，特此说明。", "other"),
])
def test_heading_variants(line, key):
    hk = heading_key(normalize_lines([line])[0])
    assert hk is not None and hk[0] == key


@pytest.mark.parametrize("line", [
    "三、本年度办理结果", "三、本 年度办 理结果", "四、结转下年度继续办理", "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量", "（一）存在问题", "(二)主动公开政府信息情况", "一是加强组织领导。",
    "全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项等六部分组成。",
    "1.属于国家秘密", "下一步工作打算", "",
])
def test_not_headings(line):
    assert heading_key(normalize_lines([line])[0]) is None


def test_standard_report_gets_six_spans_in_order():
    norm = _doc(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    secs = split_sections(norm)
    assert list(secs) == ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert [s.heading_line for s in secs.values()] == [3, 7, 11, 15, 19, 23]
    for a, b in zip(list(secs.values()), list(secs.values())[1:]):
        assert a.start == a.heading_line + 1 and a.end == b.heading_line - 1
    assert secs["other"].end == len(norm)


def test_missing_part_is_absent_not_guessed():
    norm = _doc(["一、总体情况", "二、主动公开政府信息情况", "四、政府信息公开行政复议、行政诉讼情况",
                 "六、其他需要报告的事项"])
    assert list(split_sections(norm)) == ["overview", "proactive", "appeals", "other"]


def test_table_of_contents_is_skipped():
    toc = ["目录", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    norm = normalize_lines(toc) + _doc(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"])
    secs = split_sections(norm)
    assert secs["overview"].heading_line == len(toc) + 3
    assert secs["requests"].heading_line == len(toc) + 11


def test_repeated_or_backward_headings_do_not_restart():
    norm = _doc(["一、总体情况", "二、主动公开政府信息情况", "一、总体情况", "三、收到和处理政府信息公开申请情况"])
    secs = split_sections(norm)
    assert secs["overview"].heading_line == 3 and secs["proactive"].end == 14


def test_traditional_report_headings():
    raw = ["一、總體情況", BODY, "二、主動公開政府資訊情況", BODY, "三、收到和處理政府資訊公開申請情況", BODY]
    assert list(split_sections(normalize_lines(raw), raw)) == ["overview", "proactive", "requests"]


def test_heading_text_is_the_raw_line():
    raw = ["一、 總體情況 ", BODY]
    assert split_sections(normalize_lines(raw), raw)["overview"].heading == "一、 總體情況"


def test_seeds_find_their_printed_headings(seed_texts):
    found = {}
    for name, text in seed_texts.items():
        raw = split_lines(text)
        found[name[:3]] = list(split_sections(normalize_lines(raw), raw))
    six = ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert found["000"] == found["002"] == found["003"] == found["004"] == six
    # 001 prints no heading for 一, 五 and 六 (gold README)
    assert found["001"] == ["proactive", "requests", "appeals"]


@pytest.mark.parametrize("line", [
    "本年度未发生行政复议和行政诉讼。", "本年度未发生行政复议和行政诉讼", "存在的主要问题：一是公开不及时",
    "行政复议", "行政复议 行政诉讼", "存在问题：信息更新不够及时。",
])
def test_prose_labels_and_table_cells_are_not_headings(line):
    assert heading_key(normalize_lines([line])[0]) is None


def test_bare_table_cell_does_not_stand_in_for_a_missing_appeals_heading():
    norm = _doc(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"])
    norm += normalize_lines(["行政复议", "结果维持", "0", "", "存在的主要问题：一是公开不及时。", "",
                             "本年度未发生行政复议和行政诉讼。"])
    assert list(split_sections(norm)) == ["overview", "proactive", "requests"]


@pytest.mark.parametrize("width", [10, 13, 16, 20, 28])
def test_hard_wrapped_text_finds_the_same_headings(seed_texts, width):
    """Flipbook/PDF text hard-wrapped at a fixed width: headings are cut (`三、收到和处理政府信` / …) and prose
    is cut into heading-sized fragments (`中存在的问题，及时指出`): the parts found are the unwrapped ones."""
    for name, text in seed_texts.items():
        raw = split_lines(text)
        want = split_sections(normalize_lines(raw), raw)
        wrapped = ["  " + ln[k:k + width] for ln in raw for k in range(0, max(len(ln), 1), width)]
        got = split_sections(normalize_lines(wrapped), wrapped)
        assert list(got) == list(want), name
        for key, sec in got.items():
            assert want[key].heading.startswith(sec.heading.strip()), (name, key)


# ---- the first-character prefilter of heading_key (a fast path: same answers as the full function) ----
_HEADING_BITS = ["一、", "五.", "第三部分", "第 三 部 分", "第二章", "第二十条", "3.", "3 .", "3 、", "8、", "12.", "2021",
                 "9.", "7", " ", "(一)", "总体情况", "主动公开政府信息情况", "收到和处理",
                 "政府信息公开申请情况", "因政府信息公开工作被申请", "行政复议", "行政诉讼", "存在的主要问题", "及改进情况",
                 "其他需要报告的事项", "下一步工作打算", "工作", "概", "。", ":", ",", "本年度", "结转下年", "情况"]
_LEADS = ["", " ", "\u3000", "\u00a0", "\t", "#", "## ", "**", "【", "[", "* "]


def _generated_lines(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    odd = [chr(rng.randint(0x20, 0x9fff)) for _ in range(200)]
    lines = []
    for _ in range(n):
        bits = rng.sample(_HEADING_BITS, rng.randint(1, 4))
        if rng.random() < 0.3:  # the first character anything at all
            bits.insert(0, rng.choice(odd))
        lines.append(rng.choice(_LEADS) + rng.choice(_LEADS) + "".join(bits) + rng.choice(["", "**", "】", "。"]))
    return lines


def test_heading_prefilter_answers_as_the_full_function(seed_texts):
    from helpers.sections import _heading_key

    lines = [ln for text in seed_texts.values() for ln in normalize_lines(split_lines(text))]
    lines += normalize_lines(_generated_lines(20000, seed=3))
    for line in lines:
        assert heading_key(line) == _heading_key(line), line


def test_a_heading_with_another_first_character_is_no_heading(seed_texts):
    """Every heading the full function finds stops being one when its first character is not in the prefilter's set."""
    from helpers.sections import _FIRST_CHARS, _SPACE_AND_DECOR, _heading_key

    lines = [ln for text in seed_texts.values() for ln in normalize_lines(split_lines(text))]
    lines += normalize_lines(_generated_lines(5000, seed=5))
    headings = [ln for ln in lines if _heading_key(ln)]
    assert len(headings) > 100
    others = [c for c in map(chr, range(0x21, 0xa000)) if c not in _FIRST_CHARS and not c.isspace()
              and c not in _SPACE_AND_DECOR][::37] + ["(", "9", "0", "附", "年", "各"]
    for line in headings:
        body = line.lstrip(_SPACE_AND_DECOR)
        lead = line[:len(line) - len(body)]
        for c in others:
            assert _heading_key(lead + c + body[1:]) is None, (line, c)
