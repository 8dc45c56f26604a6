"""Import jieba and cpca without ``pkg_resources``.

Both read their bundled data through ``pkg_resources.resource_stream``, the one function they use of it.
setuptools 82 (February 2026) removed ``pkg_resources``, and a Python 3.12+ venv has no setuptools at all:
there ``import cpca`` fails outright (jieba falls back to ``open``). Where it still exists, importing it costs
about 70 ms, a tenth of a build's fixed start-up. So while they are imported, they are lent a stand-in
module whose ``resource_stream`` is built on :mod:`importlib.resources`; nothing else sees it.
"""
from __future__ import annotations

import importlib
import sys
import types
from contextlib import contextmanager
from importlib import resources
from typing import BinaryIO, Iterator


def resource_stream(anchor: str, resource: str) -> BinaryIO:
    """``pkg_resources.resource_stream``: ``resource`` (``/``-separated) beside the module or package
    ``anchor``, opened for binary reading."""
    module = sys.modules.get(anchor) or importlib.import_module(anchor)
    package = anchor if hasattr(module, "__path__") else anchor.rpartition(".")[0]
    return resources.files(package).joinpath(resource).open("rb")


@contextmanager
def lent_pkg_resources() -> Iterator[None]:
    """Within the block, ``import pkg_resources`` gives the stand-in, unless the real one is already
    imported (then it is left alone). Modules imported here keep the stand-in they were given."""
    if "pkg_resources" in sys.modules:
        yield
        return
    stand_in = types.ModuleType("pkg_resources", "helpers.lent_resources' stand-in: resource_stream only")
    stand_in.resource_stream = resource_stream  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("pkg_resources") is stand_in:
            del sys.modules["pkg_resources"]


def import_module(name: str) -> types.ModuleType:
    """``importlib.import_module(name)`` with the stand-in lent (for ``jieba`` and ``cpca``)."""
    with lent_pkg_resources():
        return importlib.import_module(name)
