"""jieba and cpca without pkg_resources (setuptools 82 removed it; a Python 3.12 venv has no setuptools)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import lent_resources


def _site_file(package: str, name: str) -> Path:
    import importlib.util

    return Path(importlib.util.find_spec(package).origin).parent / name


@pytest.mark.parametrize("anchor, resource, package", [
    ("cpca.resources", "adcodes.csv", "cpca"),  # cpca names its data package
    ("jieba._compat", "dict.txt", "jieba"),  # jieba names a module: the resource sits beside it
])
def test_resource_stream_reads_the_bundled_file(anchor, resource, package):
    lent_resources.import_module(package)
    with lent_resources.resource_stream(anchor, resource) as f:
        data = f.read()
    folder = "resources" if anchor == "cpca.resources" else ""
    assert data == _site_file(package, str(Path(folder) / resource)).read_bytes()
    assert len(data) > 100_000


# A fresh interpreter where `import pkg_resources` fails, as it does with setuptools >= 82.
_WITHOUT = textwrap.dedent("""
    import importlib.abc, sys

    class NoPkgResources(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "pkg_resources" or name.startswith("pkg_resources."):
                raise ModuleNotFoundError("No module named 'pkg_resources'", name=name)
            return None

    sys.meta_path.insert(0, NoPkgResources())
""")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _WITHOUT + textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)


def test_cpca_alone_needs_pkg_resources():
    """The failure this module exists for: without the stand-in, cpca cannot be imported."""
    r = _run("import cpca")
    assert r.returncode != 0 and "pkg_resources" in r.stderr


def test_the_gazetteer_and_the_tokenizer_load_without_pkg_resources():
    r = _run("""
        import sys
        from helpers import keywords, metadata
        _, by_name, names = metadata._gazetteer()
        assert names["110105"] == "朝阳区" and "110105" in by_name["朝阳区"], names.get("110105")
        jieba = keywords._jieba()
        assert jieba.Tokenizer().get_dict_file().read(4)  # jieba's dictionary, read through the stand-in
        assert keywords.segment("公开内容不够全面") == ["公开内容", "不够", "全面"]  # 公开内容: a user term
        assert "pkg_resources" not in sys.modules  # lent while they were imported, then taken back
        print("ok")
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_the_real_pkg_resources_is_left_alone(monkeypatch):
    real = object()
    monkeypatch.setitem(sys.modules, "pkg_resources", real)
    with lent_resources.lent_pkg_resources():
        assert sys.modules["pkg_resources"] is real
    assert sys.modules["pkg_resources"] is real


def test_the_stand_in_is_lent_only_inside_the_block(monkeypatch):
    monkeypatch.delitem(sys.modules, "pkg_resources", raising=False)
    with lent_resources.lent_pkg_resources():
        import pkg_resources

        assert pkg_resources.resource_stream is lent_resources.resource_stream
    assert "pkg_resources" not in sys.modules


def test_a_gazetteer_that_cannot_load_fails_the_file_not_its_region(monkeypatch):
    """Before the stand-in, a Python 3.12 build placed no report at all (province, prefecture, county and
    level all blank) and said nothing: the import error was taken for a name cpca could not place."""
    from helpers import metadata
    from helpers.build import parse_file

    def broken():
        raise ModuleNotFoundError("No module named 'pkg_resources'")

    metadata._region.cache_clear()
    monkeypatch.setattr(metadata, "_gazetteer", broken)
    try:
        out = parse_file("某市交通运输局2022年政府信息公开工作年度报告\n一、总体情况\n".encode(), "x.txt")
    finally:
        metadata._region.cache_clear()
    assert out.report["status"] == "failed"
    assert out.errors == [{"stage": "metadata", "error": "ModuleNotFoundError",
                           "detail": out.errors[0]["detail"]}]
    assert "pkg_resources" in out.errors[0]["detail"]
