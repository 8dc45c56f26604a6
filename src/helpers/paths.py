"""The project's folders in one place, so notebooks never spell out ``../../data``."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FILES = PACKAGE_DIR / "data"


def _find_root() -> Path:
    """The project root: $HELPERS_ROOT, else the nearest parent holding pyproject.toml and data/."""
    env = os.environ.get("HELPERS_ROOT")
    if env:
        return Path(env).resolve()
    for parent in [Path.cwd(), *Path.cwd().parents, PACKAGE_DIR, *PACKAGE_DIR.parents]:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    return Path.cwd()


ROOT = _find_root()
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
REPORTS = ROOT / "reports"
FIGURES = REPORTS / "figures"
HTML = REPORTS / "html"
NOTEBOOKS = ROOT / "notebooks"
CACHE = ROOT / ".cache"
