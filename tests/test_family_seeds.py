"""The seeds' own prose, headings and page furniture around tables re-rendered in every layout: each
seed's three table blocks are replaced by generated tables of the seed's template, and the whole file is
parsed from bytes again (also as GB18030 and UTF-16), so the real surroundings meet every layout."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers.parse import make_doc
from helpers.tables import find_blocks
from layout_render import (LAYOUTS, appeals_rows, disclosure_rows, expected_appeals, expected_requests,
                           parse_report, provenance_errors, random_tables, render, request_rows, sections_of)

SEEDS = sorted((Path(__file__).resolve().parents[1] / "data" / "raw").glob("0*.txt"))
ALL_LAYOUTS = (*LAYOUTS, "html", "html-pretty")


@pytest.fixture(scope="module")
def seed_shapes():
    """seed name → (raw lines, table blocks, template, whether (六) has three rows), from the seed's parse."""
    out = {}
    for p in SEEDS:
        data = p.read_bytes()
        doc = make_doc(data, p.name)
        base = parse_report(data)
        split = any(r["row"] == "other_other" for r in base.tables["requests"])
        out[p.name] = (doc.raw, find_blocks(doc, sections_of(doc)), base.report["template"], split)
    return out


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("seed", [p.name for p in SEEDS], ids=lambda s: s[:3])
def test_seed_surroundings_with_tables_in_each_layout(seed_shapes, seed, layout):
    raw, blocks, template, split = seed_shapes[seed]
    assert set(blocks) == {"disclosure", "requests", "appeals"}
    t = random_tables(len(seed) * 31 + ALL_LAYOUTS.index(layout), template, split)
    rendered = {"disclosure": render(disclosure_rows(t), layout), "requests": render(request_rows(t), layout),
                "appeals": render(appeals_rows(t), layout, vertical_header=True)}
    lines = list(raw)
    for name in sorted(blocks, key=lambda k: -blocks[k][0]):
        a, b = blocks[name]
        lines[a:b] = [""] + rendered[name] + [""]
    text = "\n".join(lines)
    encoding = ("utf-8", "gb18030", "utf-16")[ALL_LAYOUTS.index(layout) % 3]
    data = text.encode(encoding)
    res = parse_report(data, seed)
    assert res.report["template"] == template
    assert {(r["item"], r["measure"]): r["value"] for r in res.tables["disclosure"]} == t["disclosure"]
    assert [(r["row"], r["applicant"], r["value"], r["status"]) for r in res.tables["requests"]] == \
        expected_requests(t)
    assert [(r["proceeding"], r["result"], r["value"]) for r in res.tables["appeals"]] == expected_appeals(t)
    assert provenance_errors(res, data) == []
