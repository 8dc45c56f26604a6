"""One file's bytes → every row it contributes. A pure function of the bytes, so it can be cached and mapped."""
from __future__ import annotations

import hashlib

from . import audit, checks, figures, keywords, metadata, problems, tables, themes
from .model import Doc, FileResult, LoadError
from .normalize import normalize_lines, split_lines
from .sections import split_sections
from .textio import decode

REPORT_COLUMNS = ["report_id", "agency", "province", "prefecture", "county", "level", "year", "template",
                  "published", "sha256", "n_chars", "encoding", "status", "n_warnings", "alias", "title"]


def _tag(report_id: str, stage: str, rows: list[dict]) -> list[dict]:
    return [{"report_id": report_id, "stage": r.get("stage", stage), "line": r.get("line"),
             "message": r["message"]} for r in rows]


def parse_bytes(data: bytes, report_id: str) -> FileResult:
    """Parse one report. Raises LoadError only when the bytes are not a text report at all."""
    return parse_doc(make_doc(data, report_id))


def make_doc(data: bytes, report_id: str) -> Doc:
    """Decode and normalise; raises LoadError for bytes that are not a text report."""
    sha = hashlib.sha256(data).hexdigest()
    text, encoding = decode(data)
    raw = split_lines(text)
    return Doc(report_id=report_id, raw=raw, norm=normalize_lines(raw), encoding=encoding, sha256=sha,
               n_chars=len(text))


def parse_doc(doc: Doc) -> FileResult:
    rid = doc.report_id
    warnings: list[dict] = []
    sections = split_sections(doc.norm, doc.raw)

    meta, w = metadata.extract_metadata(doc, sections)
    warnings += _tag(rid, "metadata", w)

    tr = tables.parse_tables(doc, sections)
    warnings += _tag(rid, "tables", tr.warnings)

    figs, w = figures.extract_figures(doc, sections, meta.get("year"))
    warnings += _tag(rid, "figures", w)

    probs, w = problems.extract_problems(doc, sections)
    warnings += _tag(rid, "problems", w)

    report = {
        "report_id": rid, **{k: meta.get(k) for k in ("agency", "province", "prefecture", "county", "level",
                                                       "year")},
        "template": tr.template, "published": meta.get("published") or "", "sha256": doc.sha256,
        "n_chars": doc.n_chars, "encoding": doc.encoding, "status": "", "n_warnings": 0,
        "alias": meta.get("alias") or "", "title": meta.get("title") or "",
    }
    check_rows = checks.table_checks(rid, tr.requests, tr.appeals)
    check_rows += audit.audit_checks(doc, sections, report, figs, tr.disclosure, tr.requests, tr.appeals)

    found = tr.found or {}
    not_report = meta.get("not_report") or _blank_form(tr)
    if not_report:
        report["status"] = "not_report"
        warnings += _tag(rid, "classify", [{"line": None, "message": not_report}])
    elif found and all(found.values()):
        report["status"] = "ok"
    else:
        report["status"] = "partial"
    report["n_warnings"] = len(warnings)

    result = FileResult(report=report)
    if not_report:
        # Never a table of zeros (or of blanks) for something that is not a report: keep only the
        # reports row and the warnings that say why.
        result.add("warnings", warnings)
        return result
    result.add("disclosure", [{"report_id": rid, **r} for r in tr.disclosure])
    result.add("requests", [{"report_id": rid, **r} for r in tr.requests])
    result.add("appeals", [{"report_id": rid, **r} for r in tr.appeals])
    result.add("checks", check_rows)
    result.add("figures", figs)
    result.add("problems", probs)
    result.add("tokens", keywords.count_tokens(probs))
    result.add("themes", themes.tag_themes(probs))
    result.add("warnings", warnings)
    return result


def _blank_form(tr) -> str:
    """A form whose tables were found but print no number at all is a blank template, not a report."""
    if not any((tr.found or {}).values()):
        return ""
    if any(r.get("value") not in (None, "") for r in tr.disclosure):
        return ""
    cells = [r for r in (*tr.requests, *tr.appeals)]
    if any(r.get("status") == "printed" for r in cells) or not any(r.get("status") == "blank" for r in cells):
        return ""
    return "blank form: the tables are printed but every cell is empty"


__all__ = ["parse_bytes", "parse_doc", "make_doc", "LoadError", "REPORT_COLUMNS"]
