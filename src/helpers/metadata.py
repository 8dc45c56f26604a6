"""Agency, region, level, year covered and publication date. (stub)"""
from __future__ import annotations

from .model import Doc, Section


def extract_metadata(doc: Doc, sections: dict[str, Section]) -> tuple[dict, list[dict]]:
    return {"agency": "", "alias": "", "title": "", "province": "", "prefecture": "", "county": "",
            "level": "", "year": None, "published": ""}, []
