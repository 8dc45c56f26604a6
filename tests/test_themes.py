"""themes: rules as data, one test sentence family per theme (written here), negatives, and evidence."""
from __future__ import annotations

import pytest

from helpers.themes import rules, tag_text, tag_themes, theme_codes

# Admissions written for these tests, several phrasings per theme (none copied from a seed report).
POSITIVE = {
    "staffing": ["信息公开工作人员均为兼职，人员变动频繁。", "缺少专职人员负责政务公开工作。",
                 "基层信息公开队伍力量较为薄弱。", "人手紧张，难以兼顾。"],
    "skills_training": ["部分工作人员对《条例》理解不透彻。", "工作人员专业能力参差不齐。",
                        "业务培训开展得不够深入。", "缺乏信息化专业人才，网站维护依赖第三方。"],
    "awareness": ["个别科室对政务公开工作不够重视。", "部分干部主动公开意识还不强。",
                  "存在重业务轻公开的现象。", "以公开为常态的意识有待进一步增强。", "部分信息公开不够主动。"],
    "institutions": ["内部审核机制还不够健全。", "科室之间的协调联动不到位。", "尚未建立信息发布的考核细则。",
                     "公开工作的考核监督有待加强。", "信息发布审核把关不严。"],
    "content_quality": ["主动公开的信息不够全面。", "公开内容的深度和广度有待拓展。", "部分信息公开质量不高。",
                        "公开内容较为笼统，针对性不强。"],
    "timeliness": ["个别栏目信息更新不及时。", "部分动态信息发布滞后。", "公开信息的时效性有待提高。",
                   "部分栏目长期未更新。", "信息公开的及时性、准确性有待进一步提高。"],
    "policy_interpretation": ["政策解读形式较为单一。", "解读数量偏少，解读深度不够。", "缺乏图文解读和视频解读。",
                              "政策文件的解读不够及时。"],
    "platform": ["网站栏目设置不够科学。", "公开渠道比较单一。", "政府信息公开专栏存在空白栏目。",
                 "公开平台建设相对滞后。", "群众获取信息不够便捷。"],
    "new_media": ["政务新媒体运营水平不高。", "微信公众号关注度较低。", "短视频等新媒体形式运用不够。",
                  "政务微博更新较少。"],
    "request_handling": ["依申请公开答复还不够规范。", "个别申请答复存在超期现象。", "依申请公开办理流程有待进一步完善。",
                         "答复书格式不统一。"],
    "innovation": ["公开方式方法有待创新。", "工作思路比较传统。", "信息呈现方式较为单一，创新不足。",
                   "公开形式缺乏新意。"],
    "public_engagement": ["回应社会关切不够及时。", "政民互动交流不够充分。", "公众参与度不高。",
                          "缺乏与群众的有效互动。", "群众对政务公开的知晓度不高。",
                          "重大决策预公开工作开展不够。"],
}
# Sentences with no admission (achievements, remedies, neutral facts): no theme may fire on them.
NEGATIVE = [
    "全年主动公开政府信息1200条。",
    "我局高度重视政务公开工作，成立了领导小组。",
    "进一步加强队伍建设，定期开展业务培训。",
    "及时发布政策解读材料20篇。",
    "持续优化网站栏目，新增专题专栏3个。",
    "部分工作取得了明显成效。",
    "按照谁起草谁解读的原则开展政策解读。",
]


def test_rules_use_exactly_the_theme_codes():
    codes = theme_codes()
    assert codes == ["staffing", "skills_training", "awareness", "institutions", "content_quality", "timeliness",
                     "policy_interpretation", "platform", "new_media", "request_handling", "innovation",
                     "public_engagement"]
    used = {r.theme for r in rules()}
    assert used == set(codes)  # every theme has a rule, no rule has another code
    assert all(r.notes for r in rules())


@pytest.mark.parametrize("theme,sentence", [(t, s) for t, ss in POSITIVE.items() for s in ss])
def test_each_theme_fires_on_its_phrasings(theme, sentence):
    hits = tag_text(sentence)
    assert theme in {h["theme"] for h in hits}, hits
    for h in hits:
        assert h["evidence"] and h["evidence"] in sentence and h["line"] == 1


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_no_theme_on_sentences_without_an_admission(sentence):
    assert tag_text(sentence) == []


def test_a_sentence_can_carry_several_themes_and_lines_are_counted():
    text = "存在问题：\n\n一是政府网站栏目信息更新不及时，工作人员多为兼职。"
    hits = tag_text(text, line_start=40)
    assert {h["theme"] for h in hits} >= {"platform", "timeliness", "staffing"}
    assert {h["line"] for h in hits} == {42}


def test_late_interpretation_is_not_also_generic_timeliness():
    themes = {h["theme"] for h in tag_text("政策解读发布不及时。")}
    assert "policy_interpretation" in themes and "timeliness" not in themes


def test_topic_and_deficiency_in_different_clauses_do_not_pair():
    assert tag_text("队伍建设方面，全年开展培训3次，各项任务完成率100%。") == []


def test_evidence_is_cut_from_raw_text_with_spaces_and_full_width_forms():
    text = "一是 公开内容 不够 具体；二是　栏目更新不及时。"
    hits = tag_text(text)
    assert {h["theme"] for h in hits} >= {"content_quality", "timeliness"}
    assert all(h["evidence"] in text for h in hits)


def test_tag_themes_rows_only_for_the_problems_part():
    rows = [{"report_id": "x", "part": "problems", "text": "信息公开队伍力量不足。", "line_start": 7, "line_end": 7},
            {"report_id": "x", "part": "improvements", "text": "解决人手不足的问题。", "line_start": 9, "line_end": 9}]
    out = tag_themes(rows)
    assert out == [{"report_id": "x", "part": "problems", "theme": "staffing", "evidence": "队伍力量不足", "line": 7}]


@pytest.mark.parametrize("sentence,absent", [
    ("公开目录编制不够规范。", "staffing"),  # 编制 of a catalogue, not staff posts
    ("部分工作还是存在一定的差距。", "institutions"),  # 部分工作 is not 分工
    ("工作人员业务了解不够全面。", "staffing"),  # a skills admission, not a head count
])
def test_near_misses(sentence, absent):
    assert absent not in {h["theme"] for h in tag_text(sentence)}
