"""Property tests: random or mutated table text never crashes parse_tables, and the output keeps its shape."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.checks import table_checks
from helpers.tables import parse_tables
from layout_render import LAYOUTS, doc_from_text, random_tables, render_report, sections_of

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXTS = [p.read_text(encoding="utf-8-sig") for p in sorted((ROOT / "data" / "raw").glob("0*.txt"))]
FRAGMENTS = ["\t", "|", " | ", "||||", " ", "  ", "\n", "\n\n", "0", "7", "12", "3.5", "-", "/", "—", "+4", "245万",
             "第二十条第(一)项", "信息内容", "本年制发件数", "规章", "行政许可", "本年新收政府信息公开申请数量",
             "(六)其他处理", "3.其他", "总计", "(七)总计", "四、结转下年度继续办理", "行政复议", "结果维持",
             "三、收到和处理政府信息公开申请情况", "自然人", "- 5 -", "(三)不予公开", "止公开", "上一年项目数量",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "無", "資訊", "ā", "(", ")"]
STATUSES = ("printed", "blank", "ambiguous", "missing")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_shape(text: str) -> None:
    doc = doc_from_text(text)
    res = parse_tables(doc, sections_of(doc))
    assert len(res.requests) in (23 * 7, 25 * 7)
    assert len(res.appeals) == 15
    assert res.template in (None, "2019", "2021")
    for r in res.requests + res.appeals:
        assert r["status"] in STATUSES
        assert (r["value"] is not None) == (r["status"] == "printed")
        if r["line"] is not None:
            assert 1 <= r["line"] <= len(doc.raw)
    for r in res.disclosure:
        assert r["unit"] in ("件", "万元")
        assert 1 <= r["line"] <= len(doc.raw)
    for w in res.warnings:
        assert set(w) == {"stage", "line", "message"}
    checks = table_checks("x", res.requests, res.appeals)
    assert [c["check"] for c in checks if c["scope"] == "all"] == [
        "requests_balance", "requests_outcomes_sum", "requests_applicant_sum", "appeals_sum"]
    assert all(c["holds"] in ("true", "false", "unknown") for c in checks)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=300))
def test_random_table_text_never_crashes(parts):
    _check_shape("".join(parts))


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_unicode_never_crashes(text):
    _check_shape(text)


@SETTINGS
@given(st.sampled_from(range(len(SEED_TEXTS))), st.data())
def test_mutated_seeds_never_crash(i, data):
    lines = SEED_TEXTS[i].split("\n")
    for _ in range(data.draw(st.integers(0, 12))):
        k = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["delete", "duplicate", "blank", "insert", "cut"]))
        if op == "delete" and len(lines) > 1:
            del lines[k]
        elif op == "duplicate":
            lines.insert(k, lines[k])
        elif op == "blank":
            lines.insert(k, "")
        elif op == "insert":
            lines.insert(k, data.draw(st.sampled_from(FRAGMENTS)))
        elif op == "cut" and lines[k]:
            j = data.draw(st.integers(0, len(lines[k])))
            lines[k:k + 1] = [lines[k][:j], lines[k][j:]]
    _check_shape("\n".join(lines))


@SETTINGS
@given(st.sampled_from(LAYOUTS), st.integers(0, 10_000), st.data())
def test_rendered_layouts_with_dropped_lines_never_crash(layout, seed, data):
    lines = render_report(random_tables(seed), layout).split("\n")
    for _ in range(data.draw(st.integers(0, 8))):
        if len(lines) > 1:
            del lines[data.draw(st.integers(0, len(lines) - 1))]
    _check_shape("\n".join(lines))


@SETTINGS
@given(st.lists(st.sampled_from(STATUSES), min_size=25 * 7 + 15, max_size=25 * 7 + 15),
       st.lists(st.integers(0, 5), min_size=25 * 7 + 15, max_size=25 * 7 + 15))
def test_checks_never_true_with_unreadable_inputs(statuses, values):
    t = random_tables(0)
    req = [{"row": r, "applicant": a, "value": v if s == "printed" else None, "status": s}
           for ((r, a), s, v) in zip(((r, a) for r in t["rows"] for a in
                                      ("natural_person", "commercial_enterprise", "research_institution",
                                       "social_welfare_org", "legal_service_org", "other_org", "total")),
                                     statuses, values)]
    app = [{"proceeding": p, "result": r, "value": v if s == "printed" else None, "status": s}
           for ((p, r), s, v) in zip(t["appeals"], statuses[175:], values[175:])]
    checks = table_checks("x", req, app)
    alls = {c["check"]: c["holds"] for c in checks if c["scope"] == "all"}
    if any(s != "printed" for s in statuses[175:]):
        assert alls["appeals_sum"] != "true"
    if any(s != "printed" for s in statuses[:175]):
        assert alls["requests_applicant_sum"] != "true"
