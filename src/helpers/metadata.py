"""Agency, region, level, year covered, publication date and title, plus "is this a report at all?".

The agency is read from the places reports print it (a 发布机构 line, the title, a line above the title, the
sign-off at the end) and then widened to the fullest form the text uses (title 湛河区交通局, body
湛河区交通运输局 → 湛河区交通运输局, alias 湛河区交通局). Region and level come from the ``cpca`` gazetteer;
a county name that exists in several places is settled by the prefecture or province the text mentions.
All matching is on normalised lines (simplified characters, ASCII punctuation).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cached_property, lru_cache

from . import lent_resources
from .model import Doc, Section


def _squeeze(text: str) -> str:
    """``normalize.squeeze`` (whitespace, U+3000 included, removed): str.split drops exactly the characters
    ``\\s`` matches, and is several times faster than the regex on a whole report."""
    return "".join(text.split())


_CJK = "\u4e00-\u9fff"
_AGENCY_END = (r"(?:委员会|办公室|人民政府|管理委员会|服务中心|中心|局|厅|委|办|署|院|所|站|支队|大队|处|"
               r"公司|集团|协会|学会|研究会|联合会|馆|台|部|社)")
_AGENCY = re.compile(rf"^[{_CJK}()]{{2,30}}?{_AGENCY_END}$")
_REPORT_WORDS = re.compile(r"(?:政府|政务)?(?:信息|资讯)?公开(?:工作)?(?:情况)?(?:年度|年)?(?:工作)?(?:报告|年报)$"
                           r"|年度(?:工作)?报告$|年报$")
_TITLE = re.compile(r"(?:年度报告|年报|工作报告)")
_TITLE_TOPIC = re.compile(r"(?:信息公开|政务公开|资讯公开)")
_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零○一二]{1}[〇零○一二三四五六七八九]{3})年度?")
_NOTICE = re.compile(r"(?:^关于.*|.*(?:通知|公告|通报|公示|的函|批复|意见|办法|方案|要点))$")
_STATS = re.compile(r"统计(?:公报|数据|月报|快报|信息|分析|年鉴|报表)|国民经济和社会发展")
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|公开主体|来源单位)[::]\s*([^\s::]{2,40})")
_PUB_DATE_LABEL = re.compile(r"(?:发布日期|发布时间|公开日期|发文日期|生成日期|发布于)[::]?\s*")
_WRITTEN_LABEL = re.compile(r"成文日期[::]?\s*")
_ISO = re.compile(r"((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d{2}|[〇零○一二][〇零○一二三四五六七八九]{3})\s*年\s*"
                      r"(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*日")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计时间|统计期|统计区间|时间范围).{0,6}?((?:19|20)\d{2})\s*年")
_TABLE_LABELS = ("自然人", "法人或其他组织", "商业企业", "科研机构", "法律服务机构", "结果维持", "结果纠正",
                 "尚未审结", "本年新收", "上年结转", "本年制发件数", "本年新制作数量", "处理决定数量",
                 "予以公开", "部分公开", "不予公开", "行政复议", "行政诉讼")
# "Does the text state a count" (only whether it matches is used): a digit right before a unit holds exactly
# where \d+ before it does. Written unit first (a unit with a digit before it), the regex engine skips from
# unit to unit instead of trying a match at every digit of the tables and years (~2× faster).
_PROSE_COUNT = re.compile(r"[件条项宗起次个](?<=\d.)")
_NUM_CELL = re.compile(r"[+-]?\d+(?:\.\d+)?\s*(?:万元|万|元|件|条)?")
_CELL_SPLIT = re.compile(r"[\t|]+|\s{2,}")
_SPACED_NUMS = re.compile(r"\d+(?:\s+\d+)+")
_DIGIT = re.compile(r"\d")
_NUM_RUN = re.compile(r"(?:^|[\s|])\d+(?:\.\d+)?(?:[\s|]+\d+(?:\.\d+)?){2,}(?=[\s|]|$)")  # a flattened table row
_YEAR_CELL = re.compile(r"(?:19|20)\d{2}")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

# Characters of the region part of a name: an agency name starts with places (X省X市X区) then a body.
_REGION_END = re.compile(r"^.*?(?:特别行政区|自治区|自治州|自治县|自治旗|新区|省|市|区|县|旗|盟|州)")


# ---------------------------------------------------------------------------------------------- helpers
def _cn_number(s: str) -> int:
    """'2023' / '二〇二三' / '十六' / '二十一' → int."""
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):
        return int("".join(_CN_DIGITS[c] for c in s))
    tens, _, units = s.partition("十")
    if "十" not in s:
        return int(_CN_DIGITS.get(s, "0"))
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[units]) if units else 0)


def _date(y: str, m: str, d: str) -> str:
    try:
        return dt.date(_cn_number(y), _cn_number(m), _cn_number(d)).isoformat()
    except (ValueError, KeyError):
        return ""


def _nonempty(doc: Doc, head: int = 60, tail: int = 8) -> list[tuple[int, str]]:
    """(0-based index, squeezed normalised line) for the first ``head`` and last ``tail`` non-blank lines
    (titles, publisher lines and sign-offs live there; the body is searched as one string)."""
    norm = doc.norm
    first = _first_nonblank(norm, range(len(norm)), head)
    last = _first_nonblank(norm, range(len(norm) - 1, -1, -1), tail)[::-1]
    seen = set(first)
    keep = first + [i for i in last if i not in seen]
    return [(i, "".join(norm[i].split())) for i in keep]  # _squeeze, inlined: one call fewer a line


def _first_nonblank(norm: list[str], order: range, n: int) -> list[int]:
    """The first ``n`` indexes in ``order`` of non-blank lines (the body between is never looked at)."""
    out: list[int] = []
    if n <= 0:
        return out
    for i in order:
        line = norm[i]
        if line and not line.isspace():
            out.append(i)
            if len(out) == n:
                break
    return out


# Every character ``\s`` matches (all below U+3001), for stripping with str methods.
_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
# A name's edges: ``re.sub(r"^[*#\s]+|[*#\s。.,,:]+$", "", s)`` is this lstrip + rstrip, without the regex
# trying its end-anchored run at every position of the line.
_NAME_LEAD = "*#" + _WHITESPACE
_NAME_TRAIL = "*#" + _WHITESPACE + "。.,:"
_ISO_END = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$")
_SIGNOFF_PUNCT = re.compile(r"[,，。:;]")


def _clean_name(s: str) -> str:
    return s.lstrip(_NAME_LEAD).rstrip(_NAME_TRAIL)


def _without_dates(s: str) -> str:
    """A sign-off line without its dates (a Chinese date anywhere, an ISO date at the end).

    The literal tests first skip the regexes where they cannot match: a Chinese date ends in 日, an ISO date
    in a digit (``\\d`` is exactly ``str.isdecimal``)."""
    if "日" in s:
        s = _CN_DATE.sub("", s)
    if s[-1:].isdecimal():
        s = _ISO_END.sub("", s)
    return s


# ---------------------------------------------------------------------------------------------- title
def find_title(lines: list[tuple[int, str]], first_heading: int | None) -> tuple[str, list[int]]:
    """The report's title (squeezed) and its line indexes; "" when none is printed before the body."""
    limit = first_heading if first_heading is not None else 10 ** 9
    head = [(i, s) for i, s in lines[:40] if i < limit]
    for k, (i, s) in enumerate(head):
        if len(s) > 80 or not _TITLE.search(s) or "全文" in s or "本报告" in s[:4]:
            continue
        if not _TITLE_TOPIC.search(s) and not _YEAR.search(s):
            continue
        idx = [i]
        title = s
        # a title split over two lines: join a short line above that is not a label line or a sentence
        if k > 0:
            pi, ps = head[k - 1]
            if (i - pi <= 3 and len(ps) <= 40 and not re.search(r"[:,，。;；]", ps)
                    and (_AGENCY.match(_YEAR.sub("", ps)) or _YEAR.fullmatch(ps))):
                title, idx = ps + title, [pi, i]
        return title, idx
    # a title split the other way: "XX局2022年政府信息公开" / "工作年度报告"
    for k, (i, s) in enumerate(head[:-1]):
        ni, ns = head[k + 1]
        if ni - i <= 2 and len(s) + len(ns) <= 80 and _TITLE_TOPIC.search(s + ns) and _TITLE.search(ns) \
                and len(ns) <= 12:
            return s + ns, [i, ni]
    return "", []


def _name_in_title(title: str) -> str:
    for inner in re.findall(r"\(([^()]{3,30})\)", title):  # 年度报告(衡水市交通运输局)
        inner = _clean_name(inner)
        if _AGENCY.match(inner):
            return inner
    title = re.sub(r"\([^()]*\)", "", title)
    s = _YEAR.sub("", title)
    s = re.sub(r"^(?:关于|\d+)", "", s)
    s = _REPORT_WORDS.sub("", s)
    s = re.sub(r"(?:的|关于)$", "", s)
    s = _clean_name(s)
    return s if _AGENCY.match(s) else ""


# ---------------------------------------------------------------------------------------------- agency
def _agency_candidates(lines: list[tuple[int, str]], title: str, title_idx: list[int]) -> list[tuple[str, str]]:
    """(source, name) in order of trust: publisher line, title, line above the title, sign-off."""
    out: list[tuple[str, str]] = []
    for _, s in lines[:15]:
        m = _PUBLISHER.search(s) if ":" in s else None  # the label's colon: most lines skip the regex
        if m and _AGENCY.match(_clean_name(m.group(1))):
            out.append(("publisher", _clean_name(m.group(1))))
    if title:
        name = _name_in_title(title)
        if name:
            out.append(("title", name))
    if title_idx:
        for i, s in lines[:40]:
            if i in title_idx:
                continue
            if i > title_idx[-1]:
                break
            if title_idx[0] - i <= 4 and _AGENCY.match(s) and len(s) <= 30:
                out.append(("above_title", s))
    for _, s in reversed(lines[-8:]):
        s2 = _clean_name(_without_dates(s))
        if 3 <= len(s2) <= 30 and _AGENCY.match(s2) and not _SIGNOFF_PUNCT.search(s2):
            out.append(("signoff", s2))
            break
    return out


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


# What follows a place stem in a full agency name. The stem is found with str.find and this tail matched
# after it: the same non-overlapping, left-to-right matches as finditer on stem + tail, without compiling
# a new pattern (≈1 ms, for its CJK class) for every agency a corpus names.
_NAME_TAIL = re.compile(rf"[{_CJK}]{{1,14}}?{_AGENCY_END}")


def _stem_matches(stem: str, text: str) -> list[str]:
    """Every ``stem + _NAME_TAIL`` match in ``text``, as ``re.finditer`` would give them."""
    out: list[str] = []
    if not stem:  # finditer on the bare tail
        return [m.group(0) for m in _NAME_TAIL.finditer(text)]
    pos, k = 0, len(stem)
    while True:
        i = text.find(stem, pos)
        if i < 0:
            return out
        m = _NAME_TAIL.match(text, i + k)
        if m:
            out.append(text[i:m.end()])
            pos = m.end()
        else:
            pos = i + 1


def _fullest(name: str, text: str) -> str:
    """The longest name in the text that spells out ``name`` (same place, extra characters inside)."""
    region = _REGION_END.match(name)
    stem = region.group(0) if region else name[:2]
    best, best_count = name, 0
    counts: dict[str, int] = {}
    for cand in _stem_matches(stem, text):
        counts[cand] = counts.get(cand, 0) + 1
    for cand, n in counts.items():
        if len(cand) > len(name) and _is_subsequence(name, cand) and cand[-1] == name[-1]:
            if (n, len(cand)) > (best_count, len(best)):
                best, best_count = cand, n
    return best


def _qualify(name: str, text: str) -> str:
    """An unqualified name (市交通运输局, 交通运输局) → the placed form the text uses (衡水市交通运输局)."""
    body = re.sub(r"^(?:本|我|市|县|区|省)", "", name)
    if not body or _region(name)[0]:
        return name
    counts: dict[str, int] = {}
    for m in re.finditer(rf"[{_CJK}]{{2,12}}?(?:省|市|区|县|旗|州|盟){re.escape(body)}", text):
        cand = m.group(0)
        if _region(cand)[0]:
            counts[cand] = counts.get(cand, 0) + 1
    if not counts:
        return name
    return max(counts, key=lambda c: (counts[c], -len(c)))


def choose_agency(lines: list[tuple[int, str]], text: str, title: str, title_idx: list[int]
                  ) -> tuple[str, str, str]:
    """(agency, alias, source). ``alias`` is the title's variant when it differs from the agency."""
    cands = _agency_candidates(lines, title, title_idx)
    if not cands:
        return "", "", ""
    # the first candidate the gazetteer places (later ones are not looked up: each is a cpca call)
    source, name = next((c for c in cands if _region(c[1])[0]), cands[0])
    name = _qualify(name, text)
    full = _fullest(name, text)
    # a later source may spell it more fully than the first (title 交通局, sign-off 交通运输局)
    for _, other in cands:
        if len(other) > len(full) and _is_subsequence(full, other) and other[-1] == full[-1]:
            full = other
    title_name = next((n for s, n in cands if s == "title"), "")
    alias = title_name if title_name and title_name != full else ""
    return full, alias, source


# ---------------------------------------------------------------------------------------------- region
@lru_cache(maxsize=1)
def _gazetteer():
    """cpca's address table: name → [adcode] for counties, adcode → name (loaded once per process)."""
    cpca = lent_resources.import_module("cpca")  # without pkg_resources, gone from setuptools 82
    by_name: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for code, info in cpca.ad_2_addr_dict.items():
        names[info.adcode] = info.name
        if info.rank == 2:
            by_name.setdefault(info.name, []).append(info.adcode)
    return cpca, by_name, names


def _cpca_row(name: str, pin: tuple[tuple[str, str], ...] = ()) -> dict:
    """cpca's reading of one name: 省, 市, 区, their positions (省_pos…, -1 when absent), adcode.

    ``cpca.transform`` wraps exactly this dict in a one-row DataFrame, which costs about 1 ms a name (most of
    the metadata stage); the dict is taken directly when this cpca version has the function (tested)."""
    cpca, _, _ = _gazetteer()
    one = getattr(cpca, "_get_one_addr", None)
    if one is not None:
        return dict(one(name, True, dict(pin)))
    return _cpca_row_via_transform(name, pin)


def _cpca_row_via_transform(name: str, pin: tuple[tuple[str, str], ...] = ()) -> dict:
    """The public (slow) route to the same dict."""
    cpca, _, _ = _gazetteer()
    return cpca.transform([name], pos_sensitive=True, umap=dict(pin)).iloc[0].to_dict()


@lru_cache(maxsize=4096)
def _region(name: str, pin: tuple[tuple[str, str], ...] = ()) -> tuple[str, str, str, str]:
    """(province, prefecture, county, level) for an agency name; empty strings when not placed."""
    if not name:
        return "", "", "", ""
    _gazetteer()  # one that cannot be loaded fails the file, loudly: never every report without a region
    try:
        r = _cpca_row(name, pin)
    except Exception:  # cpca choking on one odd name: that name is not placed
        return "", "", "", ""

    def val(k):
        v = r.get(k)
        return v if isinstance(v, str) else ""

    prov, pref, county = val("省"), val("市"), val("区")
    if not prov:
        return "", "", "", ""
    # The place must be named at the start of the agency name, not inside its body (中心, 通州…).
    first = min([p for p in (r.get("省_pos"), r.get("市_pos"), r.get("区_pos")) if isinstance(p, int) and p >= 0]
                or [0])
    if first > 2:
        return "", "", "", ""
    if pref in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        pref = prov if prov in _MUNICIPALITIES else ""
    if prov in _MUNICIPALITIES and not pref and not county:
        return prov, "", "", "province"
    if prov in _MUNICIPALITIES and not pref:
        pref = prov
    if county and r.get("区_pos", -1) >= 0 and _mentions_county(name, county):
        level = "district" if county.endswith("区") else "county"
        return prov, pref, county, level
    if pref and r.get("市_pos", -1) >= 0:
        return prov, pref, "", "prefecture"
    if r.get("省_pos", -1) >= 0:
        return prov, "", "", "province"
    return prov, pref, "", "prefecture" if pref else "province"


def _mentions_county(name: str, county: str) -> bool:
    return county in name or county[:-1] in name


def resolve_region(agency: str, text: str) -> tuple[tuple[str, str, str, str], str]:
    """Region of the agency; a county name shared by several places is pinned by the text. → (region, warning)."""
    region = _region(agency)
    county = region[2]
    if not county:
        return region, ""
    sakes = _namesakes(county)
    if len(sakes.codes) <= 1:
        return region, ""
    mentioned = sakes.mentioned(text[:4000] + text[-1500:])
    for code, stems in zip(sakes.codes, sakes.stems):
        if any(s in agency for s in stems) or any(s in mentioned for s in stems if len(s) >= 2):
            return _region(agency, ((county, code),)), ""
    return region, f"county name {county} exists in {len(sakes.codes)} places; the text does not say which"


class _Namesakes:
    """The places whose county bears one name, with the stems of their prefecture and province names
    (石家庄市, 石家庄, 河北省, 河北) that pin one of them when the agency or the text names it.

    Gazetteer data, the same for every report naming that county: built once per name."""

    def __init__(self, county: str):
        _, by_name, names = _gazetteer()
        self.codes: list[str] = by_name.get(county, [])
        self.stems: list[tuple[str, ...]] = []
        for code in self.codes:
            pref = names.get(code[:4] + "00", "")
            prov = names.get(code[:2] + "0000", "")
            self.stems.append(tuple(s for s in (pref, pref[:-1] if len(pref) > 2 else "", prov,
                                                prov[:-1] if len(prov) > 2 else "")
                                    if s and s not in _MUNICIPALITIES))
        # longest first: a match at a position is the longest stem there; the others there are its prefixes
        self._wanted = sorted({s for st in self.stems for s in st if len(s) >= 2}, key=lambda s: (-len(s), s))

    @cached_property
    def _matcher(self) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, ...]]]:
        """The stems' regex and each stem's prefixes among them. Built on first use: only a county name that
        several places bear is searched for, and most names (all but ~30 of ~2,800) are borne by one."""
        wanted = self._wanted
        pattern = re.compile("|".join(map(re.escape, wanted))) if wanted else None
        return pattern, {s: tuple(t for t in wanted if s.startswith(t)) for s in wanted}

    def mentioned(self, text: str) -> set[str]:
        """The stems (2+ characters) that occur in ``text``: the same set as testing ``stem in text`` for
        each, in one regex pass that restarts one character after every match (so overlaps are seen)."""
        found: set[str] = set()
        pattern, prefixes = self._matcher
        if pattern is None:
            return found
        m = pattern.search(text)
        while m:
            found.update(prefixes[m.group(0)])
            m = pattern.search(text, m.start() + 1)
        return found


@lru_cache(maxsize=2048)
def _namesakes(county: str) -> _Namesakes:
    return _Namesakes(county)


# ---------------------------------------------------------------------------------------------- year, date
def find_year(title: str, lines: list[tuple[int, str]]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return _cn_number(m.group(1))
    for _, s in lines[:60]:
        m = _PERIOD.search(s)
        if m:
            return int(m.group(1))
    for _, s in lines[:20]:
        m = re.search(r"((?:19|20)\d{2})年度", s)
        if m:
            return int(m.group(1))
    return None


def find_published(lines: list[tuple[int, str]], year: int | None) -> tuple[str, int | None]:
    """ISO date printed as the publication date (labelled, or a date line in the sign-off) and its line."""

    def ok(iso: str) -> bool:
        return bool(iso) and (year is None or year <= int(iso[:4]) <= year + 3)

    def first_date(s: str) -> str:
        m = _ISO.search(s)
        if m:
            return _date(*m.groups())
        m = _CN_DATE.search(s)
        return _date(*m.groups()) if m else ""

    # Every date label (of _PUB_DATE_LABEL and _WRITTEN_LABEL) holds 日期, 发布时间 or 发布于: only the head lines
    # with one of them are searched.
    labelled = [(i, s) for i, s in lines[:20] if "日期" in s or "发布时间" in s or "发布于" in s]
    for i, s in labelled:
        m = _PUB_DATE_LABEL.search(s)
        if m:
            iso = first_date(s[m.end():m.end() + 24])
            if ok(iso):
                return iso, i + 1
    for i, s in reversed(lines[-8:]):
        if len(s) > 40:
            continue
        m = (_CN_DATE.search(s) if "日" in s else None) or _ISO.search(s)  # a Chinese date ends in 日
        if m and (m.end() == len(s) or len(s) - m.end() <= 2):
            iso = _date(*m.groups())
            if ok(iso):
                return iso, i + 1
    for i, s in labelled:
        m = _WRITTEN_LABEL.search(s)
        if m:
            iso = first_date(s[m.end():m.end() + 24])
            if ok(iso):
                return iso, i + 1
    return "", None


# ---------------------------------------------------------------------------------------------- not a report
def has_numeric_cell(doc: Doc) -> bool:
    """Is any table-like number printed: a whole cell (tab/pipe/wide-space separated) or a line of
    numbers, other than a year? A blank form has none."""
    for line in doc.norm:
        if not _DIGIT.search(line):
            continue
        s = line.strip()
        if _SPACED_NUMS.fullmatch(s) or _NUM_RUN.search(s):
            return True
        for cell in _CELL_SPLIT.split(s):
            cell = cell.strip()
            if cell and _NUM_CELL.fullmatch(cell) and not _YEAR_CELL.fullmatch(cell):
                return True
    return False


def classify(doc: Doc, sections: dict[str, Section], title: str, lines: list[tuple[int, str]],
             text: str | None = None) -> str:
    """A reason when the text is not an annual report (notice, statistics release, blank form), else "".

    ``text``: the squeezed normalised text when the caller already has it."""
    if text is None:
        text = _squeeze("".join(doc.norm))
    if len(sections) >= 3 and _PROSE_COUNT.search(text):
        return ""  # structured, and counts are stated: a report, whatever the table labels (not counted)
    labels = sum(1 for w in _TABLE_LABELS if w in text)
    structured = len(sections) >= 3 or labels >= 4
    head = "".join(s for _, s in lines[:6])[:120]
    report_title = bool(title) and not _NOTICE.match(title)
    if not structured:
        shown = title or head[:40]
        if _STATS.search(head) and not report_title:
            return f"a statistics release, not an annual report (title: {shown})"
        if title and _NOTICE.match(title) or (not title and _NOTICE.match(head[:60] or "")):
            return f"a notice, not an annual report (title: {shown})"
        if not report_title:
            return (f"no annual-report title (…年度报告) and no section structure ({len(sections)} of 6 part "
                    f"headings, {labels} table labels)")
        return ""
    if labels >= 4 and not _PROSE_COUNT.search(text) and not has_numeric_cell(doc):
        # A prose-only report (tables given as sentences) names the same labels but states counts.
        # (One regex over the text first: cheaper than the line-by-line cell scan, and most reports state counts.)
        return f"blank form: {labels} table labels but no numbers in any cell or sentence"
    return ""


# ---------------------------------------------------------------------------------------------- entry point
def extract_metadata(doc: Doc, sections: dict[str, Section]) -> tuple[dict, list[dict]]:
    """Metadata dict (agency, alias, title, province, prefecture, county, level, year, published, and
    ``not_report`` with a reason when the text is not an annual report) and warnings."""
    warnings: list[dict] = []
    lines = _nonempty(doc)
    first_heading = min((s.heading_line - 1 for s in sections.values() if s.heading_line), default=None)
    title, title_idx = find_title(lines, first_heading)
    text = _squeeze("".join(doc.norm))
    agency, alias, _source = choose_agency(lines, text, title, title_idx)
    (province, prefecture, county, level), w = resolve_region(agency, text)
    if w:
        warnings.append({"line": None, "message": w})
    year = find_year(title, lines)
    published, _ = find_published(lines, year)
    if year is None and published:
        year = int(published[:4]) - 1
        warnings.append({"line": None, "message": f"year covered not printed; taken as the year before "
                                                  f"publication ({year})"})
    meta = {"agency": agency, "alias": alias, "title": title, "province": province, "prefecture": prefecture,
            "county": county, "level": level, "year": year, "published": published}
    reason = classify(doc, sections, title, lines, text)
    if reason:
        meta["not_report"] = reason
        return meta, warnings
    if not agency:
        warnings.append({"line": None, "message": "agency not found (no publisher line, title or sign-off "
                                                  "naming it)"})
    elif not province:
        warnings.append({"line": None, "message": f"agency {agency} not placed by the gazetteer"})
    if year is None:
        warnings.append({"line": None, "message": "year covered not found"})
    return meta, warnings
