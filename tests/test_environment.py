"""environment.yml (conda users) must list the same packages, with the same ranges, as pyproject.toml (pip)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*?)\s*(?:#.*)?$")


def _parse(requirement: str) -> tuple[str, str]:
    m = _REQ.match(requirement)
    assert m, requirement
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"]) + list(meta["optional-dependencies"]["test"])
    return dict(_parse(r) for r in reqs)


def environment_requirements() -> dict[str, str]:
    """The conda and pip entries of environment.yml (a flat list; no YAML library needed)."""
    entries: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and line and not line.startswith(" "):
            in_deps = False
        item = line.strip()
        if in_deps and item.startswith("- ") and not item.endswith(":"):
            name, spec = _parse(item[2:])
            entries[name] = spec
    entries.pop("python", None)
    entries.pop("pip", None)
    return entries


def test_environment_yml_lists_the_same_packages_as_pyproject():
    pip, conda = pyproject_requirements(), environment_requirements()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"


def test_environment_yml_uses_the_same_version_ranges():
    pip, conda = pyproject_requirements(), environment_requirements()
    differ = {name: (pip[name], conda[name]) for name in pip if name in conda and pip[name] != conda[name]}
    assert differ == {}


def test_known_stack_pitfalls_are_pinned():
    pip = pyproject_requirements()
    assert pip["seaborn"] == "==0.13.2"
    assert "<3.13" in pip["matplotlib"], "seaborn 0.13.2 passes `vert`, which matplotlib 3.13 removes"
