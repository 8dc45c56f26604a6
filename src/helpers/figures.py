"""Numbers stated in the prose (hotlines, proactive items, posts, requests…) with the snippet they came from.

Why rules and not a model: each figure must be traceable to a verbatim quote, and a wrong figure is worse
than a missing one. A number becomes a figure only when a key phrase sits right before it (or, for a few
forms, right after it) in the same clause; anything else is left out.

How a line is read (on ``doc.norm``, whitespace squeezed out with a map back to positions, so
``建议 4 件`` reads as ``建议4件`` and the quote keeps the spaces as printed):

* number tokens: digits or Chinese numerals, an optional 万/亿 scale, 余/多 and a unit (件/条/篇/项/宗/起/
  次/人次…) or ``%``; digits without a unit are kept only where a rule allows them (``话务量 6887``);
* the *clause* before a token (back to the previous comma, colon, bracket or counted number) holds its key
  phrase; the *sentence* (back to 。/；) holds the topic (which hotline, which account) and the parent of a
  ``其中`` breakdown;
* qualifiers: ``N余``/``N多``/``约``/``近``/``左右`` → approx; ``千余``/``百余`` (no digits), ``超过``/``逾``/
  ``以上`` → lower_bound.

Metric names and their meaning are published in ``data/figures_metrics.csv``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import compress
from typing import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Doc, Section

# ---------------------------------------------------------------------------------------------------------
# Number tokens

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN = "零〇一二两三四五六七八九十百千万"
# Longest units first; 条(次) is how some reports count posts.
_UNITS = ("人次", "件次", "条次", "条(次)", "批次", "件", "条", "篇", "项", "宗", "起", "次", "人", "个", "份",
          "期", "场", "户", "家", "部", "通")
_TOKEN = re.compile(
    r"(?P<pre>大约|接近|约|近|超过|逾|突破|多于)?"
    r"(?:(?P<d>(?<![\d.,])\d{1,3}(?:,\d{3})+(?=(?:万|亿)?(?:余|多)?[件条篇项宗起次人个])|(?<![\d.])\d+(?:\.\d+)?)"
    rf"|(?P<c>(?<![{_CN}数几成上第])[{_CN}]+))"
    r"(?P<wan>万|亿)?(?P<more>余|多)?"
    r"(?:(?P<pct>%)|(?P<unit>" + "|".join(re.escape(u) for u in _UNITS) + r"))?"
)
# After a unitless number these mean it is a date, a time, money or a name, never a count.
_NOT_COUNT_NEXT = re.compile(r"[年月日号时点天周岁级元.\-/:A-Za-z\d]|万元|亿元")
_SENTENCE_END = "。；;！？!?"
_CLAUSE_END = _SENTENCE_END + "，,：:()（）"
_SENTENCE_RE = re.compile(f"[{re.escape(_SENTENCE_END)}]")
_CLAUSE_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")


@dataclass(slots=True)
class Token:
    start: int  # in the squeezed line
    end: int
    value: float | int
    unit: str  # "" for none, "%" for percentages
    qualifier: str  # exact / approx / lower_bound
    printed: str  # the number as printed (squeezed), e.g. "5.65万", "千"


def cn_number(text: str) -> int | None:
    """Chinese numerals → int (``两千`` → 2000, ``十二`` → 12); None for anything that is not a plain numeral."""
    if not text or text in ("零", "〇"):
        return None
    total = section = 0
    num: int | None = None
    for ch in text:
        if ch in "零〇":
            continue  # a place holder inside a numeral (三百零五)
        if ch in _CN_DIGITS:
            if num is not None:
                return None  # 一二: a list, not a number
            num = _CN_DIGITS[ch]
        elif ch == "万":
            section = (section + (num or 0)) or 1
            total += section * 10000
            section, num = 0, None
        else:
            unit = _CN_UNITS[ch]
            section += (1 if num is None else num) * unit
            num = None
    return total + section + (num or 0)


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _token(m: re.Match[str], s: str) -> Token | None:
    pre, digits, chinese, wan, more, pct, unit = m.groups()  # the groups of _TOKEN, in order
    unit = "%" if pct else (unit or "")
    end = m.end()
    if chinese is not None:
        if not unit or unit == "%":
            return None  # Chinese numerals count only with a unit (一是, 十四五 are not numbers)
        n = cn_number(chinese)
        if n is None:
            return None
        value: int | float = n * 100000000 if wan == "亿" else n  # 万 is inside the numeral already
    else:
        # unitless digits are tested before their value is worked out: about half are dates (2022年)
        if not unit and (more or _NOT_COUNT_NEXT.match(s, end, end + 2) or s[max(0, m.start() - 1):m.start()] == "第"):
            return None
        value = _digits_value(digits, wan)
    qualifier = "exact"
    after = s[end:end + 2]
    if more:
        qualifier = "lower_bound" if chinese is not None else "approx"
    elif pre in ("超过", "逾", "突破", "多于") or after.startswith("以上"):
        qualifier = "lower_bound"
    elif pre in ("约", "近", "大约", "接近") or after.startswith("左右"):
        qualifier = "approx"
    num_start, num_end = m.span(2) if digits is not None else m.span(3)
    printed = s[num_start:m.end(4) if wan else num_end]
    return Token(start=m.start(), end=end, value=value, unit=unit, qualifier=qualifier, printed=printed)


def _digits_value(digits: str, wan: str | None) -> int | float:
    """``1,234`` / ``5.65`` with an optional 万/亿 scale; decimals go through Decimal so 5.65万 is 56500.

    Up to 18 digits the int product is exact, as Decimal's (28 significant digits) is: the same value.
    """
    scale = 1 if not wan else 10000 if wan == "万" else 100000000
    if len(digits) <= 18 and "." not in digits:
        return int(digits.replace(",", "")) * scale
    value = Decimal(digits.replace(",", ""))
    if wan:
        value *= scale
    return _as_number(value)


# A line can hold a token only where a digit is printed or a Chinese numeral runs into a unit (a Chinese
# numeral without a unit is never a token): most prose lines have neither, and skip the token scan.
# (Written to open with one character class, so the search jumps between candidates in C: after a digit
# nothing more is needed, after a Chinese numeral the unit is.)
_MAYBE_TOKEN = re.compile(rf"[\d{_CN}](?:(?<=\d)|(?:万|亿)?(?:余|多)?(?:" + "|".join(re.escape(u) for u in _UNITS) + "))")


# Every _TOKEN match starts with one of these (a qualifier word, a digit, a Chinese numeral) and none is
# empty, so jumping between them in C finds the very matches _TOKEN.finditer finds, without trying the
# whole pattern at each of the other characters.
_TOKEN_START = re.compile(rf"[大接约近超逾突多\d{_CN}]")


def _jump_matches(start: re.Pattern[str], pattern: re.Pattern[str], s: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(s)`` for a pattern whose matches are never empty and always begin with a character
    ``start`` matches: the search jumps between those characters in C instead of trying the whole pattern
    at every position."""
    search, match = start.search, pattern.match
    pos = 0
    while (hit := search(s, pos)) is not None:
        p = hit.start()
        m = match(s, p)
        if m is None:
            pos = p + 1
        else:
            yield m
            pos = m.end()


def _token_matches(s: str) -> list[re.Match[str]]:
    """``list(_TOKEN.finditer(s))``, faster on prose (see _TOKEN_START)."""
    return list(_jump_matches(_TOKEN_START, _TOKEN, s))


def tokens(s: str) -> list[Token]:
    """Every number token in a squeezed line, in order (unitless ones included; rules decide)."""
    if not _MAYBE_TOKEN.search(s):
        return []
    out = []
    for m in _token_matches(s):
        if m.group("d") is None and (m.group("c") is None or not m.group("unit")):
            continue  # a Chinese numeral counts only with a unit (see _token): most matches are 一是, 进一步
        t = _token(m, s)
        if t is not None:
            out.append(t)
    return out


def numbers_in(text: str) -> list[int | float]:
    """The values of the numbers printed in a snippet (used to prove a quote holds its figure)."""
    from .normalize import normalize_line, to_simplified

    s = "".join(normalize_line(to_simplified(text)).split())
    return [t.value for t in tokens(s)]


# ---------------------------------------------------------------------------------------------------------
# Rules

COUNT = frozenset({"件", "条", "篇", "项", "宗", "起", "次", "人次", "件次", "条次", "条(次)", "个", "份", "期",
                   "场", "批次", "部"})
CASES = frozenset({"件", "条", "宗", "起", "个", "次", "件次", "人次", "通"})
POSTS = frozenset({"条", "篇", "期", "次", "个", "件", "部", "条次", "条(次)"})
PEOPLE = frozenset({"人", "个", "户", "人次", ""})
REQUESTS = frozenset({"件", "条", "项", "宗", "起", "个", "份", "人次", "件次"})
_CASES_OR_NONE, _CASES_OR_POSTS, _COUNT_OR_CASES = CASES | {""}, CASES | POSTS, COUNT | CASES


@dataclass(frozen=True, slots=True)
class Rule:
    """A key phrase that must end at most ``gap`` characters before the number, in the same clause."""

    metric: str
    key: re.Pattern[str]
    units: frozenset[str] = COUNT
    gap: int = 4
    sentence: re.Pattern[str] | None = None  # must match the sentence up to the number
    line: re.Pattern[str] | None = None  # must match somewhere in the line (the paragraph)
    forbid: re.Pattern[str] | None = None  # must not match the clause
    near: re.Pattern[str] = field(init=False, repr=False, compare=False)  # see _near

    def __post_init__(self) -> None:
        object.__setattr__(self, "near", _near([(self.key, self.gap)]))


def _near(keys: list[tuple[re.Pattern[str], int]]) -> re.Pattern[str]:
    """One pattern that matches a clause when some key may end at most ``gap`` characters before its end.

    A key read by ``_keyed`` passes (its last match is one such match), so a clause this pattern does not
    match holds none of the keys: one search in C instead of a scan for each key. It opens with a lookahead
    for the characters a key can start with (see _first_chars): re then tries the dozens of branches only
    there, not at every character.
    """
    union = "|".join(rf"(?:{k.pattern})(?=[\s\S]{{0,{gap}}}\Z)" for k, gap in keys)
    chars = _first_chars(union)
    return re.compile(f"(?=[{''.join(map(re.escape, chars))}])(?:{union})" if chars else union)


def _first_chars(pattern: str) -> str | None:
    """The characters a match of ``pattern`` can start with, read from re's own parse tree; None when that
    cannot be told (an empty match, a class such as ``.`` or ``[^》]`` first, a flag, a construct not known)
    and when re jumps between them by itself (see _jumps): a lookahead would only stop it doing so."""
    try:
        from re import _constants as sre, _parser as parser  # Python 3.11+: re's parser, as re.compile uses it
        tree = parser.parse(pattern)
        if tree.state.flags & re.IGNORECASE or _jumps(tree, sre):
            return None
        chars, nullable = _first_of(tree, sre)
    except Exception:  # an older or newer re: no lookahead, the plain union (same answer, slower)
        return None
    return None if chars is None or nullable else "".join(sorted(chars))


def _jumps(tree, sre) -> bool:
    """Whether re's compiler finds a prefix to search for in C: the pattern opens with a literal, a class
    or a branch whose alternatives each open with a literal (re._compiler._compile_info)."""
    items = tree
    while items and items[0][0] is sre.SUBPATTERN:
        items = items[0][1][3]
    if not items:
        return False
    op, av = items[0]
    if op is sre.LITERAL or op is sre.IN:
        return True
    return op is sre.BRANCH and all(alt and alt[0][0] is sre.LITERAL for alt in av[1])


def _first_of(items, sre) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match empty) of a parsed sequence; None: any character."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars, nullable = {chr(av)}, False
        elif op is sre.IN:  # a class of literals and small ranges; NEGATE or a category (\d…) could be anything
            chars, nullable = set(), False
            for o, a in av:
                if o is sre.LITERAL:
                    chars.add(chr(a))
                elif o is sre.RANGE and a[1] - a[0] < 256:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    return None, False
        elif op is sre.SUBPATTERN:  # (group, add_flags, del_flags, sequence)
            if av[1] & re.IGNORECASE:
                return None, False
            chars, nullable = _first_of(av[3], sre)
        elif op is sre.BRANCH:
            chars, nullable = set(), False
            for alt in av[1]:
                c, n = _first_of(alt, sre)
                if c is None:
                    return None, False
                chars |= c
                nullable = nullable or n
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # (min, max, sequence)
            chars, nullable = _first_of(av[2], sre)
            nullable = nullable or av[0] == 0
        elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):  # zero width: what follows starts the match
            chars, nullable = set(), True
        else:
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _r(metric: str, key: str, units=COUNT, gap: int = 4, sentence: str | None = None, line: str | None = None,
       forbid: str | None = None) -> Rule:
    c = re.compile
    return Rule(metric, c(key), units, gap, c(sentence) if sentence else None, c(line) if line else None,
                c(forbid) if forbid else None)


_NOT_REVIEW = r"复议|诉讼"
_REQ_LINE = r"申请"

# Counts that look like decisions but are not: checked before anything that could map to 第二十条.
_NOT_DECISIONS = (
    _r("power_list_items", r"(?:权责|权力|职权|责任)清单|(?:行政(?:许可|审批|处罚|强制)|政务服务|审批)事项",
       frozenset({"项", "个", "类"}), gap=8),
    _r("power_list_items", r"行政(?:许可|审批|处罚|强制|征收|给付|检查|确认|奖励|裁决)|其他(?:行政)?(?:权力|职权)",
       frozenset({"项", "类"}), gap=2, sentence=r"清单|事项|职权|权力"),
    _r("credit_platform_records", r"行政(?:许可|处罚|审批)|双公示|信用信息|记录|数据", COUNT, gap=6,
       sentence=r"信用(?:中国|平台|网站|信息|门户|黑龙江|[^，,]{0,3}网)|“信用"),
    _r("penalty_notices_published",
       r"(?:公示|公开|上传|推送|报送|发布|归集)(?:了)?(?:各类)?行政处罚(?:决定书|信息|案件信息|结果|决定)?", COUNT),
    _r("licensing_notices_published",
       r"(?:公示|公开|上传|推送|报送|发布|归集)(?:了)?(?:各类)?行政(?:许可|审批)(?:决定书|信息|结果|决定)?", COUNT),
)

# Children of a parent figure stated earlier in the same sentence (a 其中 list).
_PROACTIVE_PARTS = (
    _r("major_project_items", r"重大(?:建设)?项目", gap=30),
    _r("civil_service_recruitment_items", r"公务员|招考|招聘|录用", gap=30),
    _r("key_area_items", r"重点领域", gap=12),
    _r("publicity_items", r"对外宣传|宣传(?:信息|报道|稿件)", gap=6),
    _r("admin_approval_items", r"行政(?:审批|许可)", gap=3),
    _r("admin_penalty_items", r"行政处罚", gap=3),
    _r("budget_items", r"财政|预算|决算", gap=12),
    _r("personnel_items", r"人事|任免", gap=12),
    _r("normative_document_items", r"规范性文件", gap=8),
    _r("news_items", r"(?:工作|政务|行业)动态", gap=8),
)
_HOTLINE_PARTS = (
    ("inquiries", re.compile(r"(?:信息|政策|业务)?咨询(?:类|件)?")),
    ("suggestions", re.compile(r"意见建议|建议(?:类|件)?")),
    ("complaints", re.compile(r"投诉举报(?:工单|类|件)?|投诉(?:类|件)?|举报(?:类|件)?")),
)

_PART_NAMES = {
    "proactive_items": frozenset(r.metric for r in _PROACTIVE_PARTS),
    **{h: frozenset(f"{h}_{kind}" for kind, _ in _HOTLINE_PARTS) for h in ("hotline_12345", "hotline_12328")},
}

_REQUESTS_KEY = re.compile(
    r"(?:共|累计|全年|本年度?|新)?(?:收到|受理|接收|接到)(?:了)?[^，,。；;]{0,20}?"
    r"(?:政府信息公开|信息公开|依申请公开)(?:政府信息)?(?:的)?(?:申请|事项)?(?:共计?|总计|合计|数量|为)?")

_RULES = (
    # requests for information (section 三 stated in prose)
    _r("requests_carried_over", r"上年(?:度)?结转", REQUESTS, gap=4, line=_REQ_LINE, forbid=_NOT_REVIEW),
    _r("requests_carried_forward", r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?", REQUESTS, line=_REQ_LINE),
    Rule("requests_received", _REQUESTS_KEY, REQUESTS, 2, forbid=re.compile(_NOT_REVIEW)),
    _r("requests_received", r"(?:共|累计|全年|本年度?)?(?:收到|受理|接收|接到)(?:各类)?申请(?:共计?|总计|合计)?", REQUESTS,
       gap=2, line=r"依申请公开|信息公开申请|予以公开|部分公开|不予公开", forbid=_NOT_REVIEW),
    _r("requests_handled", r"(?:共|全部|已)?(?:办结|答复)(?:了)?(?:申请)?(?:共计?)?", REQUESTS, gap=2,
       sentence=r"依申请|公开申请", forbid=r"率|复议|诉讼"),
    _r("requests_natural_person", r"自然人(?:申请|提出)?(?:的)?", REQUESTS, gap=2, line=_REQ_LINE),
    _r("requests_legal_person", r"法人(?:或|和|及)?(?:其他组织)?(?:申请|提出)?(?:的)?", REQUESTS, gap=2,
       line=_REQ_LINE),
    _r("requests_granted", r"予以公开|同意公开|全部公开", REQUESTS, gap=2, line=_REQ_LINE, forbid=r"主动"),
    _r("requests_partially_granted", r"部分公开|区分处理", REQUESTS, gap=2, line=_REQ_LINE),
    _r("requests_withheld", r"不予公开", REQUESTS, gap=2, line=_REQ_LINE),
    _r("requests_unavailable", r"无法提供", REQUESTS, gap=2, line=_REQ_LINE),
    _r("requests_not_processed", r"不予处理", REQUESTS, gap=2, line=_REQ_LINE),
    _r("requests_other_handling", r"其他处理", REQUESTS, gap=2, line=_REQ_LINE),
    # decisions stated in prose (compared with table 二)
    _r("licensing_decisions",
       r"行政(?:许可|审批)(?:处理)?决定(?:数量|数)?|(?:作出|办结|办理)(?:各类)?行政(?:许可|审批)(?:事项|业务|案件|决定)?(?:共计?)?",
       CASES, gap=2),
    _r("penalty_decisions",
       r"行政处罚(?:处理)?决定(?:数量|数)?|(?:作出|办结|办理|实施)(?:各类)?行政处罚(?:案件|决定)?(?:共计?)?",
       CASES, gap=2),
    _r("admin_approval_items", r"行政(?:审批|许可)", frozenset({"件", "条", "宗", "起", "个"}), gap=1),
    _r("admin_penalty_items", r"行政处罚", frozenset({"件", "条", "宗", "起", "个"}), gap=1),
    # normative documents clean-up
    _r("normative_docs_reviewed", r"清理(?:了)?(?:各类)?(?:行政)?规范性文件", COUNT, gap=4),
    _r("normative_docs_still_valid", r"(?:继续|现行|仍然|保留)有效(?:的)?", COUNT, gap=2, sentence=r"文件"),
    _r("normative_docs_to_repeal", r"(?:拟|建议)(?:予以)?废止(?:的)?", COUNT, gap=2, sentence=r"文件"),
    _r("normative_docs_to_revise", r"(?:拟|建议)(?:予以)?修(?:订|改)(?:的)?", COUNT, gap=2, sentence=r"文件"),
    _r("normative_docs_repealed", r"(?<![拟议])废止(?:的)?", COUNT, gap=2, sentence=r"规范性文件"),
    # interaction with the public
    _r("policy_interpretations",
       r"(?:各类)?政策(?:性文件)?解读(?:信息|文件|稿件|材料|类信息|文章)?(?:共计?)?|解读(?:政策|文件)(?:共计?)?", COUNT,
       gap=2, forbid=r"转载"),
    _r("npc_cppcc_handled", r"人大.{0,8}政协|政协.{0,8}人大", COUNT, gap=10),
    _r("npc_suggestions_handled", r"人大(?:代表)?(?:建议|议案)", COUNT, gap=8),
    _r("cppcc_proposals_handled", r"政协(?:委员)?提案", COUNT, gap=8),
    _r("director_mailbox_questions", r"(?:局长|厅长|市长|县长|区长|书记|领导)(?:留言)?信箱", COUNT, gap=8),
    _r("online_platform_questions", r"问政平台|网络问政|留言平台|互动平台|网民留言|网民提问", COUNT, gap=8),
    _r("leader_hotline_sessions", r"“?(?:一把手|主要负责人|主要领导|局长|领导).{0,6}?(?:在线接听|接听|做客|走进)",
       COUNT, gap=2),
    _r("tv_news_items", r"《[^》]{0,12}(?:电视|广播)[^》]{0,6}》(?:播发|播出|播放|报道)(?:交通)?(?:新闻|信息|节目)?"
       r"|(?:电视台?|广播电台)(?:播发|播出|播放|报道)(?:交通)?(?:新闻|信息|节目)?", COUNT, gap=2),
    _r("media_articles", r"《[^》]{1,20}》(?:发稿|刊发|刊登|发表|登载|采用|转载)|媒体(?:上)?(?:发稿|刊发|刊登|发表|采用|转载)",
       COUNT, gap=4),
)
# One row per outlet or per kind of record; the quote says which.
_MULTI = frozenset({"media_articles", "tv_news_items", "power_list_items", "credit_platform_records",
                    "penalty_notices_published", "licensing_notices_published"})

_PROACTIVE_STRONG = re.compile(
    r"主动公开(?:各类|各项)?(?:政府|政务)?(?:信息|文件)(?:总数|总量)?(?:共计?|累计|合计)?(?:达|为)?")
_PROACTIVE = re.compile(
    r"主动公开(?:各类|各项)?(?:政府|政务)?(?:信息|文件)(?:总数|总量)?(?:共计?|累计|合计)?(?:达|为)?"
    r"|(?:共|累计|全年|合计)(?:主动)?(?:公开|发布|推送发布)(?:各类)?(?:政府|政务)?信息(?:共计?)?"
    r"|发布各类(?:政府|政务)?信息(?:共计?)?")

# Channels. A hotline is named by its number; 交通运输服务监督电话 is the official name of 12328.
_H12345 = re.compile(r"(?<!\d)12345(?!\d)|市长热线|政务服务(?:便民)?热线|便民服务热线")
_H12328 = re.compile(r"(?<!\d)12328(?!\d)|交通运输服务监督电话")
_POOL_WITH = re.compile(r"[、和及与]|等")
_OTHER_CHANNEL = re.compile(r"信箱|留言|信访|来信|来访|平台|网民|举报|市民热线|微信|网站")
_HOTLINE_VOLUME = re.compile(
    r"(?:全年|共|累计)?(?:受理|接听|接到|办理|答复|处理|转办|交办)?(?:群众|市民)?(?:话务量|来电|热线电话|热线|工单|转办件|交办件)"
    r"(?:总量|总数|数量)?(?:共计?|达|为)?")
# Every _HOTLINE_VOLUME match holds one of these words (热线电话 holds 热线). Its optional openings make re try
# the whole pattern at every character; this search jumps between the words' first characters in C.
_VOLUME_WORD = re.compile("话务量|来电|热线|工单|转办件|交办件")


def _volume(clause: str, gap: int) -> re.Match[str] | None:
    """``_keyed(_HOTLINE_VOLUME, clause, gap)``, skipped for the clauses that name no volume word."""
    return _keyed(_HOTLINE_VOLUME, clause, gap) if _VOLUME_WORD.search(clause) else None


_CHANNELS = (
    ("wechat", re.compile(r"微信|公众号")),
    ("weibo", re.compile(r"微博")),
    ("douyin", re.compile(r"抖音")),
    ("website", re.compile(r"网站|门户网|政府网|官网|“[^”]{1,12}网”")),
)
_CHANNEL_PATTERN = dict(_CHANNELS)
_POST_VERB = re.compile(r"发布|推送|刊发|编发|更新|发表|公开|推出|上传|发稿|刊登")
_FOLLOWERS = re.compile(r"(?:用户|粉丝|关注|订阅)(?:总数|总量|量|数|人数|用户)?(?:已)?(?:达到?|超过|突破|共|累计|为)?")
_AUDIENCE = re.compile(r"粉丝|关注|用户|订阅|阅读|浏览|访问|点击|播放")
_RATES = (
    ("on_time_rate_pct", re.compile(r"(?:按时|按期|及时)(?:办结|答复|回复)?率")),
    ("satisfaction_rate_pct", re.compile(r"满意(?:率|度)")),
    ("completion_rate_pct", re.compile(r"办结率")),
    ("reply_rate_pct", re.compile(r"(?:回复|答复)率")),
)
_RATE_FAMILY = {"requests_received": "requests", "requests_total_incl_carryover": "requests",
                "complaints_petitions_handled": "complaints", "hotline_12345": "hotline_12345",
                "hotline_12328": "hotline_12328"}
_MEDIA_AFTER = re.compile(r"^(?P<q>(?:原创)?(?:文章|稿件|新闻|作品|信息))(?:被|在).{0,80}?(?:采用|转载|刊发|刊登|转发)")
_INCL_CARRYOVER = re.compile(r"^[(]?(?:其中)?含(?:上年度?|去年)结转")
_REQUESTS_NONE = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生)(?:任何)?[^，,。；;]{0,20}?(?:政府信息公开|依申请公开|信息公开)(?:的)?申请"
    r"|(?:无|没有)(?:政府信息公开|依申请公开)(?:申请)?(?:事项|情况)?(?=[，,。；;]|$)"
    r"|依申请公开(?:政府信息)?(?:申请)?(?:数量|件数|数)?为(?:零|0件?)(?![\d.])")


# ---------------------------------------------------------------------------------------------------------
# Reading a line


@dataclass(slots=True)
class Found:
    metric: str
    token: Token
    key_start: int  # squeezed index where the quote starts
    quote_end: int  # squeezed index where the quote ends
    parent: Found | None = None  # the stated total this figure is a part of (a 其中 list)
    loose: list[Token] = field(default_factory=list)  # counts after this total that no rule names


@dataclass(slots=True)
class LineState:
    """What the sentence so far has established: the parent figure of a 其中 list."""

    parent: Found | None = None
    figures: list[Found] = field(default_factory=list)


_SPACES = re.compile(r"\s+")


def _positions(line: str) -> list[int]:
    """Where each character of the squeezed line sits in ``line`` (re's ``\\s`` is exactly str.isspace)."""
    pos: list[int] = []
    at = 0
    for m in _SPACES.finditer(line):
        pos += range(at, m.start())
        at = m.end()
    pos += range(at, len(line))
    return pos


def _squeeze(line: str) -> tuple[str, list[int]]:
    pos = _positions(line)
    return "".join([line[i] for i in pos]), pos


def _squeezed(line: str) -> str:
    """``_squeeze(line)[0]`` without the position map (str.split drops exactly the str.isspace chars)."""
    return "".join(line.split())


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    m = None
    for m in pattern.finditer(text):
        pass
    return m


def _keyed(pattern: re.Pattern[str], text: str, gap: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text`` that ends at most ``gap`` characters before its end."""
    m = _last(pattern, text)
    if m is None or len(text) - m.end() > gap:
        return None
    return m


def _hotline(text: str) -> str | None:
    # Every _H12345 match holds 12345 or 热线 and every _H12328 match 12328 or 监督电话: two substring tests
    # skip the searches, which try each branch at every character (the first opens with a lookbehind).
    a = ("12345" in text or "热线" in text) and _H12345.search(text)
    b = ("12328" in text or "监督电话" in text) and _H12328.search(text)
    if a and b:
        return "both"
    return "hotline_12345" if a else "hotline_12328" if b else None


def _channel(text: str) -> str | None:
    found = [name for name, pat in _CHANNELS if pat.search(text)]
    if len(found) == 1:
        return found[0]
    return "pooled" if found else None


def _last_channel(text: str) -> str | None:
    best, where = None, -1
    for name, pat in _CHANNELS:
        m = _last(pat, text)
        if m and m.start() > where:
            best, where = name, m.start()
    return best


@dataclass(slots=True)
class Context:
    """Where a number sits: the clause before it (from ``at``), its sentence so far, the line, what follows."""

    tok: Token
    clause: str
    at: int
    sentence: str
    line: str
    after: str

    def found(self, metric: str, key: re.Match[str] | None, end: int | None = None) -> Found:
        """A figure quoted from its key phrase (or from the number) to the end of the number."""
        start = self.at + key.start() if key else self.tok.start
        return Found(metric, self.tok, start, end if end is not None else self.tok.end)


def _rate(c: Context, st: LineState) -> Found | None:
    """按时办结率 100%: a rate of the last total in the sentence that has rates (requests, a hotline…)."""
    for suffix, pat in _RATES:
        m = _keyed(pat, c.clause, 2)
        if m:
            family = next((_RATE_FAMILY[f.metric] for f in reversed(st.figures) if f.metric in _RATE_FAMILY), None)
            return c.found(f"{family}_{suffix}", m) if family else None
    return None


_NO_RULES: tuple[tuple[Rule, ...], re.Pattern[str] | None] = ((), None)


def _by_unit(rules: tuple[Rule, ...]) -> dict[str, tuple[tuple[Rule, ...], re.Pattern[str] | None]]:
    """For each unit a number can carry: the rules that take it (in order) and their _near, to skip them all."""
    out = {}
    for unit in dict.fromkeys((*_UNITS, "%", "")):
        taking = tuple(r for r in rules if unit in r.units)
        out[unit] = (taking, _near([(r.key, r.gap) for r in taking])) if taking else _NO_RULES
    return out


def _first_rule(by_unit: dict[str, tuple[tuple[Rule, ...], re.Pattern[str] | None]], c: Context) -> Found | None:
    """The first rule (of those ``_by_unit`` keeps for the number's unit) whose key ends right before it."""
    rules, near = by_unit.get(c.tok.unit, _NO_RULES)
    if near is None or near.search(c.clause) is None:
        return None
    for rule in rules:
        if rule.near.search(c.clause) is None:
            continue
        m = _keyed(rule.key, c.clause, rule.gap)
        if m is None:
            continue
        if rule.forbid is not None and rule.forbid.search(c.clause):
            continue
        if rule.sentence is not None and not rule.sentence.search(c.sentence):
            continue
        if rule.line is not None and not rule.line.search(c.line):
            continue
        return c.found(rule.metric, m)
    return None


def _part(c: Context, parent: Found | None) -> Found | None:
    """A part of a 其中 list, named after the total stated earlier in the sentence."""
    if parent is None or not c.tok.unit:
        return None
    if parent.metric in ("hotline_12345", "hotline_12328") and c.tok.unit in _CASES_OR_POSTS \
            and not _hotline(c.clause):
        for kind, pat in _HOTLINE_PARTS:
            m = _keyed(pat, c.clause, 4)
            if m:
                return c.found(f"{parent.metric}_{kind}", m)
    if parent.metric == "proactive_items":
        return _first_rule(_PROACTIVE_PARTS_BY_UNIT, c)
    return None


def _hotline_figure(c: Context, warn: list[str]) -> Found | None:
    """A count in a clause naming 12345/12328, or a call volume (话务量, 来电…) in a sentence about one."""
    clause, unit = c.clause, c.tok.unit
    if unit not in _CASES_OR_NONE:
        return None
    hot = _hotline(clause)
    if hot:
        if hot == "both" or (_POOL_WITH.search(clause) and _OTHER_CHANNEL.search(clause)):
            # 12345、12328、信箱…共 N 件: pooled over channels, never a figure for one hotline
            if not unit:
                return None
            first = min(x.start() for x in (_H12345.search(clause), _H12328.search(clause)) if x)
            return Found("complaints_petitions_handled", c.tok, c.at + first, c.tok.end)
        if unit or _volume(clause, 1):
            return c.found(hot, (_H12345 if hot == "hotline_12345" else _H12328).search(clause))
    m = _volume(clause, 2)
    if m:
        topic = _hotline(c.sentence)
        if topic == "both":
            warn.append("a hotline count in a sentence naming both 12345 and 12328: left out")
        elif topic:
            return c.found(topic, m)
    return None


def _account(c: Context) -> Found | None:
    """Followers and posts of one channel (WeChat, Weibo, Douyin, the website); pooled channels → None."""
    unit, clause = c.tok.unit, c.clause
    fm = _keyed(_FOLLOWERS, clause, 2)
    if fm and unit in PEOPLE:
        ch = _channel(clause)
        ch = ch if ch not in (None, "pooled") else _last_channel(c.sentence)
        return c.found(f"{ch}_followers", fm) if ch in ("wechat", "weibo", "douyin") else None
    if unit not in POSTS:
        return None
    ch = _channel(clause)
    if ch and ch != "pooled" and not _AUDIENCE.search(clause):
        if ch != "website" or _POST_VERB.search(clause):
            return c.found(f"{ch}_posts", _CHANNEL_PATTERN[ch].search(clause))
    return None


_NOT_DECISIONS_BY_UNIT, _PROACTIVE_PARTS_BY_UNIT, _RULES_BY_UNIT = map(_by_unit, (_NOT_DECISIONS, _PROACTIVE_PARTS,
                                                                           _RULES))


def _classify(c: Context, st: LineState, warn: list[str]) -> Found | None:
    """Name the figure a number states, or None. The order matters: specific readings before general ones."""
    unit = c.tok.unit
    if unit == "%":
        return _rate(c, st)
    if not unit:
        # A number without a unit is only ever a hotline's call volume or an account's followers: no other
        # reading below takes one (no rule's units hold "", and the rest ask for COUNT or REQUESTS).
        return _hotline_figure(c, warn) or _account(c)
    found = _first_rule(_NOT_DECISIONS_BY_UNIT, c) or _part(c, st.parent)
    if found:
        return found
    # 主动公开…信息 N 条 is the proactive total even when it names the channel it went through
    m = _keyed(_PROACTIVE_STRONG, c.clause, 3) if unit in COUNT else None
    if m:
        return c.found("proactive_items", m)
    found = _hotline_figure(c, warn)
    if found:
        return found
    # requests stated with their carry-over included: not a count of new requests
    m = _keyed(_REQUESTS_KEY, c.clause, 2) if unit in REQUESTS and _INCL_CARRYOVER.match(c.after) else None
    if m and not re.search(_NOT_REVIEW, c.clause):
        return c.found("requests_total_incl_carryover", m)
    found = _first_rule(_RULES_BY_UNIT, c) or _account(c)
    if found:
        return found
    m = _keyed(_PROACTIVE, c.clause, 3) if unit in COUNT else None
    if m and _channel(c.clause) != "pooled":
        return c.found("proactive_items", m)
    return _key_after(c)


def _key_after(c: Context) -> Found | None:
    """100 余篇原创文章被…采用: the key follows the number (the one reading that needs no key before it)."""
    am = _MEDIA_AFTER.match(c.after) if c.tok.unit in COUNT else None
    return Found("media_articles", c.tok, c.tok.start, c.tok.end + am.end("q")) if am else None


def read_line(s: str) -> tuple[list[Found], list[str]]:
    """All figures in one squeezed line, in order, with warnings for numbers deliberately left out."""
    return _read_tokens(s, tokens(s))


def _read_tokens(s: str, toks: list[Token]) -> tuple[list[Found], list[str]]:
    """read_line given ``tokens(s)`` (extract_figures has them already)."""
    out: list[Found] = []
    warn: list[str] = []
    if not toks:
        return out, warn
    st = LineState()
    sent_start = clause_floor = 0
    # where each sentence and clause starts (one pass, so a report printed as one long line stays linear)
    sent_starts = [0] + [m.end() for m in _SENTENCE_RE.finditer(s)]
    clause_starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(s)]
    for tok in toks:
        start = sent_starts[bisect_right(sent_starts, tok.start) - 1]
        if start > sent_start:
            sent_start, st = start, LineState()
        clause_start = max(clause_floor, clause_starts[bisect_right(clause_starts, tok.start) - 1])
        ctx = s[clause_start:tok.start]
        sent = s[sent_start:tok.start]
        after = s[tok.end:tok.end + 120]
        f = _classify(Context(tok, ctx, clause_start, sent, s, after), st, warn)
        if tok.unit:
            clause_floor = tok.end
        if f is None:
            if st.parent is not None and tok.unit in _COUNT_OR_CASES:
                st.parent.loose.append(tok)  # maybe a part no rule names: the sum check must know
            continue
        if st.parent is not None and f.metric in _PART_NAMES.get(st.parent.metric, ()):
            f.parent = st.parent
        out.append(f)
        st.figures.append(f)
        if f.metric in _PART_NAMES:
            st.parent = f
    return out, warn


# Every _REQUESTS_NONE match starts with one of these (its branches open with 未/没有/无 and 依申请公开).
_NONE_START = re.compile("[未没无依]")


def _nil_matches(s: str) -> Iterator[re.Match[str]]:
    """``_REQUESTS_NONE.finditer(s)`` (never empty: every branch names 公开); the pattern opens with no fixed
    character, so finditer would try all three branches at every position."""
    return _jump_matches(_NONE_START, _REQUESTS_NONE, s)


def requests_none(s: str) -> re.Match[str] | None:
    """A nil return stated in words (未收到…申请), the only figure read without a numeral."""
    if "公开" not in s:  # every branch of _REQUESTS_NONE names 公开
        return None
    for m in _nil_matches(s):
        if not re.search(_NOT_REVIEW, m.group(0)):
            return m
    return None


# ---------------------------------------------------------------------------------------------------------
# Which lines are prose, and quotes


_PUNCT = re.compile(r"[，。；,;]")
# A whole cell (a run between tabs or pipes) of 30 characters or more that holds punctuation.
_SENTENCE_CELL = re.compile(r"(?<![^\t|])(?=[^\t|]{30})[^\t|]*?[，。；,;]")


def _is_table_row(line: str) -> bool:
    """Tab- or pipe-separated cells, unless one cell is a sentence (a paragraph indented with a tab)."""
    cells = line.strip()
    if "\t" not in cells and cells.count("|") < 2:
        return False
    return _SENTENCE_CELL.search(cells) is None


def _prose_lines(doc: Doc, sections: dict[str, Section]) -> list[int]:
    """1-based lines worth reading: everything except table rows and the problems part (plans, not facts)."""
    norm = doc.norm
    size = len(norm) + 1
    in_table = bytearray(size)  # in_table[n]: line n is inside section 二, 三 or 四
    for k, sec in sections.items():
        if k in ("proactive", "requests", "appeals"):
            a, b = max(sec.start, 1), min(sec.end, size - 1)
            if a <= b:
                in_table[a:b + 1] = b"\x01" * (b + 1 - a)
    problems = sections.get("problems")
    skip_a, skip_b = (problems.start, problems.end) if problems is not None else (1, 0)
    out = []
    # compress finds the non-empty lines (about half of a report is blank) in C; the two tests below are
    # pure, so the cheap one (a short or unpunctuated line inside tables 二-四: most table rows) goes first.
    for n, line in compress(enumerate(norm, 1), norm):
        if skip_a <= n <= skip_b:
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if in_table[n] and (len(stripped) < 15 or not _PUNCT.search(line)):
            continue
        if ("\t" in stripped or stripped.count("|") >= 2) and _is_table_row(stripped):
            continue
        out.append(n)
    return out


def _quote(raw_line: str, norm_line: str, s: str, pos: list[int], a: int, b: int, text: str,
           counts: dict[str, int]) -> str | None:
    """Verbatim raw snippet for the squeezed span [a, b), widened leftwards until it is unique in the file.

    Positions map straight to the raw line when normalising kept its length; otherwise the normalised
    snippet is used only if the raw line holds it verbatim.
    """
    same = len(raw_line) == len(norm_line)
    start = a
    while True:
        q = (raw_line if same else norm_line)[pos[start]:pos[b - 1] + 1]
        if not same and q not in raw_line:
            return None
        n = counts.get(q)
        if n is None:
            n = counts[q] = text.count(q)
        if n <= 1:
            return q
        if start == 0 or b - start >= 40:
            return None
        start -= 1
        while start > 0 and s[start].isdigit() and s[start - 1] in "0123456789.,":
            start -= 1  # never start inside a number: "4件" cut from "1684件" would misquote


# What read_line found on the lines of the last report that state a total with parts. audit's breakdowns
# re-reads exactly those lines of the same report right after (parse.parse_doc), and finds them here instead.
# Keyed by the squeezed line, of which read_line is a pure function, so a hit is always the reading it would
# compute; it holds one report at a time, so it never saves work on prose that merely repeats across reports.
_totals_read: dict[str, list[Found]] = {}


def extract_figures(doc: Doc, sections: dict[str, Section], year: int | None) -> tuple[list[dict], list[dict]]:
    """Figures stated in the prose, each with a unique verbatim quote and its line; warnings for doubts."""
    rows: list[dict] = []
    warnings: list[dict] = []
    seen: dict[str, dict] = {}
    text = "\n".join(doc.raw)
    counts: dict[str, int] = {}
    _totals_read.clear()

    def add(metric: str, value, unit: str, qualifier: str, quote: str | None, n: int) -> None:
        if quote is None:
            warnings.append({"line": n, "message": f"{metric}={value}: no unique verbatim quote; left out"})
            return
        row = {"report_id": doc.report_id, "metric": metric, "value": value, "unit": unit,
               "qualifier": qualifier, "quote": quote, "line": n}
        if metric in seen and metric not in _MULTI:
            first = seen[metric]
            if first["value"] != value:
                warnings.append({"line": n, "message": f"{metric} stated again as {value} (first {first['value']} "
                                                       f"on line {first['line']}); the later one left out"})
            return
        seen[metric] = row
        rows.append(row)

    for n in _prose_lines(doc, sections):
        norm_line = doc.norm[n - 1]
        s = _squeezed(norm_line)
        if not s:
            continue
        toks = tokens(s)
        if toks:
            found, warn = _read_tokens(s, toks)
            if any(f.metric in _PART_NAMES for f in found):
                _totals_read[s] = found
            for w in warn:
                warnings.append({"line": n, "message": w})
        else:
            found = []  # read_line finds nothing in a line without numbers: most prose lines
        nil = requests_none(s)
        if not found and nil is None:
            continue
        raw_line = doc.raw[n - 1]
        # squeezed index → column, only for lines that quote
        pos = _positions(norm_line)
        nil_added = False
        for f in found:
            if nil is not None and not nil_added and f.token.start > nil.start():
                add("requests_received", 0, "件", "exact",
                    _quote(raw_line, norm_line, s, pos, nil.start(), nil.end(), text, counts), n)
                nil_added = True
            t = f.token
            if not t.unit and year is not None and abs(t.value - year) <= 1:
                warnings.append({"line": n, "message": f"{f.metric}: unitless {t.printed} could be a year; left out"})
                continue
            add(f.metric, t.value, t.unit, t.qualifier,
                _quote(raw_line, norm_line, s, pos, f.key_start, f.quote_end, text, counts), n)
        if nil is not None and not nil_added:
            add("requests_received", 0, "件", "exact",
                _quote(raw_line, norm_line, s, pos, nil.start(), nil.end(), text, counts), n)
    return rows, warnings


@dataclass(slots=True)
class Breakdown:
    """A stated total and the parts the same sentence lists for it (``…N 条，其中 A n1 条，B n2 条``).

    A part no rule names has ``metric`` "" (its quote is the squeezed text before it): it may not be a part.
    """

    line: int
    total: dict  # {metric, value, qualifier, quote}
    parts: list[dict]


def breakdowns(doc: Doc, figure_rows: list[dict]) -> list[Breakdown]:
    """Re-read the lines holding a total with parts; the quotes come from ``figure_rows`` where present."""
    by_key = {(r["line"], r["metric"], r["value"]): r for r in figure_rows}
    out = []
    for n in sorted({r["line"] for r in figure_rows if r["metric"] in _PART_NAMES}):
        norm_line, raw_line = doc.norm[n - 1], doc.raw[n - 1]
        s, pos = _squeezed(norm_line), _positions(norm_line)  # _squeeze(norm_line), without its join loop
        src_line = raw_line if len(raw_line) == len(norm_line) else norm_line
        found = _totals_read.get(s) or read_line(s)[0]

        def snippet(t: Token, floor: int) -> str:
            a = t.start
            while a > floor and s[a - 1] not in _CLAUSE_END:
                a -= 1
            return src_line[pos[a]:pos[t.end - 1] + 1]

        for total in found:
            if total.metric not in _PART_NAMES:
                continue
            parts = [f for f in found if f.parent is total]
            if not parts:
                continue
            unnamed = [{"metric": "", "value": t.value, "qualifier": t.qualifier,
                        "quote": snippet(t, total.quote_end)} for t in total.loose]

            def row(f: Found) -> dict:
                r = by_key.get((n, f.metric, f.token.value))
                quote = r["quote"] if r else s[f.key_start:f.quote_end]
                return {"metric": f.metric, "value": f.token.value, "qualifier": f.token.qualifier, "quote": quote}

            listed = sorted([(f.token.start, row(f)) for f in parts] + [(t.start, u) for t, u in
                                                                         zip(total.loose, unnamed)],
                            key=lambda x: x[0])
            out.append(Breakdown(n, row(total), [r for _, r in listed]))
    return out


def all_metrics() -> list[str]:
    """Every metric name this module can emit (the data dictionary must describe each one)."""
    names = [r.metric for r in _NOT_DECISIONS + _PROACTIVE_PARTS + _RULES]
    names += ["proactive_items", "hotline_12345", "hotline_12328", "complaints_petitions_handled",
              "requests_total_incl_carryover", "media_articles"]
    names += [f"{h}_{kind}" for h in ("hotline_12345", "hotline_12328") for kind, _ in _HOTLINE_PARTS]
    names += [f"{ch}_posts" for ch, _ in _CHANNELS]
    names += [f"{ch}_followers" for ch in ("wechat", "weibo", "douyin")]
    names += [f"{fam}_{suffix}" for fam in dict.fromkeys(_RATE_FAMILY.values()) for suffix, _ in _RATES]
    return list(dict.fromkeys(names))
