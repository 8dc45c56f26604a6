"""Printed table labels → codebook codes, tolerant of the typos and variants reports carry.

Labels are matched on squeezed normalised text (no whitespace, ASCII brackets, simplified characters) by
keyword patterns rather than exact strings, because reports drop, swap and add characters
(`办结结果`, `掌控`, `出物`, `其他法律法规禁止公开`, `本年(2023)制发件数`). Results are cached: a corpus repeats
the same few hundred label strings, so each distinct string is matched once.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .codebook import codes

# Bracketed filling instructions and inserted years: `本年(2023)制发件数`, `规章(设区的市…提供)`. Brackets of a
# single character are row numbering, `(一)`, and stay.
_BRACKETS = re.compile(r"[(\[【〔][^()\[\]【】〔〕]{2,}[)\]】〕]")
_UNCLOSED = re.compile(r"[(\[【〔][^()\[\]【】〔〕]{2,}$")


def strip_brackets(key: str) -> str:
    """Drop bracketed notes from a squeezed label (also a note cut off by a page break)."""
    if "(" not in key and "[" not in key and "【" not in key and "〔" not in key:
        return key
    key = _BRACKETS.sub("", key)
    return _UNCLOSED.sub("", key)


# ---------------------------------------------------------------------------------------------------------
# Anchors that locate the three tables even without section headings.
DISCLOSURE_ANCHOR = re.compile(r"第二十条第?\(?[一二三四五六七八九十]{0,2}\)?项|第二十条")
REQUESTS_ANCHOR = re.compile(r"勾稽关系|申请人情况|本年新收|新收政府信息公开申请")
APPEALS_ANCHOR = re.compile(r"行政复议")

# ---------------------------------------------------------------------------------------------------------
# Section 二: items (rows) and measures (columns).
_ITEMS = (
    ("other_admin_services", re.compile(r"对外管理服务")),
    ("normative_documents", re.compile(r"规范性|規範性")),
    ("rules", re.compile(r"^(?:\d+[.、])?规章$|^规章")),
    ("licensing", re.compile(r"政许可|^许可$")),
    ("penalty", re.compile(r"政处罚|^处罚$")),
    ("enforcement", re.compile(r"政强制|^强制$")),
    ("fees", re.compile(r"事业性收费|^收费$")),
    ("procurement", re.compile(r"集中采购")),
)
# Extra rows some provinces add; they are reported as warnings, never as data.
_EXTRA_ITEMS = re.compile(r"其他主动公开|主动公开政府信息情况|主动公开情况")

_MEASURES = (
    ("issued", re.compile(r"制发")),
    ("repealed", re.compile(r"废止")),
    ("in_force", re.compile(r"现行有效")),
    ("newly_made", re.compile(r"新制作|制作数")),
    ("newly_published", re.compile(r"新公开")),
    ("total_published", re.compile(r"对外公开总|公开总数")),
    ("prev_year_items", re.compile(r"上一?年(?:度)?项目")),
    ("change", re.compile(r"增/?减|增加/?减少")),
    ("decisions", re.compile(r"处理决定|办件量")),
    ("projects", re.compile(r"采购项目")),
    ("amount_10k_yuan", re.compile(r"收费金额|采购总金额|总金额")),
)
MEASURES_2021 = frozenset({"issued", "repealed", "in_force"})
MEASURES_2019 = frozenset({"newly_made", "newly_published", "total_published", "prev_year_items", "change",
                           "projects"})
HEADER_WORDS = re.compile(r"^信息内容|^项目$|^内容$|^序号$")

# Default columns per item and template, used when a block prints no header of its own.
DEFAULT_MEASURES = {
    "2021": {"rules": ("issued", "repealed", "in_force"),
             "normative_documents": ("issued", "repealed", "in_force"),
             "licensing": ("decisions",), "penalty": ("decisions",), "enforcement": ("decisions",),
             "fees": ("amount_10k_yuan",),
             "other_admin_services": ("prev_year_items", "change", "decisions"),
             "procurement": ("projects", "amount_10k_yuan")},
    "2019": {"rules": ("newly_made", "newly_published", "total_published"),
             "normative_documents": ("newly_made", "newly_published", "total_published"),
             "licensing": ("prev_year_items", "change", "decisions"),
             "other_admin_services": ("prev_year_items", "change", "decisions"),
             "penalty": ("prev_year_items", "change", "decisions"),
             "enforcement": ("prev_year_items", "change", "decisions"),
             "fees": ("prev_year_items", "change"),
             "procurement": ("projects", "amount_10k_yuan")},
}


@lru_cache(maxsize=4096)
def match_item(key: str) -> str | None:
    """Item code of a section 二 row label, or None."""
    k = strip_brackets(key)
    if not k or DISCLOSURE_ANCHOR.search(k):
        return None
    for code, pat in _ITEMS:
        if pat.search(k):
            return code
    return None


def is_extra_item(key: str) -> bool:
    return _EXTRA_ITEMS.search(key) is not None


@lru_cache(maxsize=4096)
def find_measures(key: str) -> tuple[str, ...]:
    """Measure codes named in a header text, in the order printed (one cell may hold several)."""
    k = strip_brackets(key)
    hits: list[tuple[int, str]] = []
    for code, pat in _MEASURES:
        for m in pat.finditer(k):
            hits.append((m.start(), code))
    hits.sort()
    out: list[str] = []
    last_end = -1
    for pos, code in hits:
        if pos <= last_end:  # `本年新公开数量` must not also count as part of another label
            continue
        out.append(code)
        last_end = pos
    return tuple(out)


_MONEY_UNIT = re.compile(r"单位[:：]?(万元|元|千元)")


@lru_cache(maxsize=1024)
def money_divisor(header_key: str) -> float:
    """How a header states the money unit: `(单位:元)` means divide by 10,000 to get 万元. Cached: asked once
    per section 二 row, of the same few header texts."""
    m = _MONEY_UNIT.search(header_key)
    if m and m.group(1) == "元":
        return 10000.0
    if m and m.group(1) == "千元":
        return 10.0
    return 1.0


# ---------------------------------------------------------------------------------------------------------
# Section 三: rows. Sub-row patterns come before group patterns because one label (PDF text) may hold both
# the group and the sub-row, `(三)不予公开1.属于国家秘密`.
_ROWS = (
    ("new_received", re.compile(r"本年新收|新收.{0,4}申请|本年收到")),
    ("carried_over", re.compile(r"上年结转|上年度结转")),
    ("carried_forward", re.compile(r"结转下年|转下年度|继续办理")),
    ("partially_granted", re.compile(r"部分公开")),
    ("granted", re.compile(r"予以公开")),
    ("withheld_state_secret", re.compile(r"国家秘密")),
    ("withheld_prohibited_by_law", re.compile(r"法律.{0,4}法规|禁止公开|其他法律")),
    ("withheld_security_stability", re.compile(r"三安全|一稳定|危及")),
    ("withheld_third_party", re.compile(r"第三方")),
    ("withheld_internal_affairs", re.compile(r"内部事务")),
    ("withheld_process_info", re.compile(r"过程性")),
    ("withheld_enforcement_file", re.compile(r"执法案卷")),
    ("withheld_query_matter", re.compile(r"查询事项|行政查.{0,2}事项")),  # tw2sp turns 查詢 into 查找
    ("unavailable_not_held", re.compile(r"不掌[握控管]|本机关不")),
    ("unavailable_needs_creation", re.compile(r"现成信息|另行制作")),
    ("unavailable_unclear", re.compile(r"仍不明确|补正后")),
    ("not_processed_complaint", re.compile(r"信访|举报投诉")),
    ("not_processed_repeat", re.compile(r"重复申请")),
    ("not_processed_publication", re.compile(r"出版物|公开出物|提供公开出")),
    ("not_processed_excessive", re.compile(r"大量反复|反复申请")),
    ("not_processed_reconfirm", re.compile(r"确认或重新|重新出具")),
    ("other_no_correction", re.compile(r"不补正|逾期不补")),
    ("other_unpaid_fee", re.compile(r"收费通知|缴纳费用")),
)
_OTHER_OTHER = re.compile(r"^(?:\d[.、]?)?其他(?:情形)?$")
_HANDLED_TOTAL = re.compile(r"^(?:\(七\)|七[、.])?总计$|\(七\)总计|^\(七\)$")
GROUPS = (
    ("results", re.compile(r"办[理结]结果|本年度办|年度办理")),
    ("withheld", re.compile(r"不予公开")),
    ("unavailable", re.compile(r"无法提供")),
    ("not_processed", re.compile(r"不予处理")),
    ("other", re.compile(r"其他处理")),
)
APPLICANT_WORDS = re.compile(r"自然人|法人|商业企业|科研机构|社会(?:公益)?组织|法律服务|申请人|^其他$|^总计$")


@lru_cache(maxsize=4096)
def match_request_label(key: str) -> tuple[str, str | None]:
    """Classify a squeezed section 三 label: ``("row", code)``, ``("group", name)`` or ``("none", None)``.

    ``3.其他`` and a bare ``总计`` are returned as ``("maybe", code)``: they are rows only in context
    (after (六), after the header).
    """
    k = strip_brackets(key)
    if not k:
        return ("none", None)
    for code, pat in _ROWS:
        if pat.search(k):
            return ("row", code)
    if _HANDLED_TOTAL.search(k):
        return ("maybe", "handled_total")
    if _OTHER_OTHER.match(k):
        return ("maybe", "other_other")
    for name, pat in GROUPS:
        if pat.search(k):
            return ("group", name)
    return ("none", None)


# ---------------------------------------------------------------------------------------------------------
# Section 四.
PROCEEDINGS = tuple(codes("appeals", "proceeding"))  # reconsideration, litigation_direct, …_after_reconsideration
RESULTS = tuple(codes("appeals", "result"))  # upheld, corrected, other, pending, total
_PROCEEDING_LABELS = (
    ("litigation_direct", re.compile(r"未经复议|直接起诉|直接诉讼")),
    ("litigation_after_reconsideration", re.compile(r"复议后")),
    ("reconsideration", re.compile(r"^行政复议$|^复议$")),
)


@lru_cache(maxsize=1024)
def match_proceeding(key: str) -> str | None:
    k = strip_brackets(key)
    for code, pat in _PROCEEDING_LABELS:
        if pat.search(k):
            return code
    return None
