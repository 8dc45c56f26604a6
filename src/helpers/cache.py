"""The build's cache: per-file parse results and per-shard encoded segments, keyed by content and code.

Everything lives under one folder per code fingerprint, so a parser change invalidates every entry at once
(and :meth:`BuildCache.prune` drops the old folder). Writes are atomic (temp name + rename): a crash, or two
builds at once, never leave half an entry that a later build would trust.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import uuid
from pathlib import Path

from . import __version__
from .paths import PACKAGE_DIR


def code_fingerprint() -> str:
    """Hash of the package's code and data files: a parser change invalidates every cached result."""
    h = hashlib.sha256(__version__.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".csv", ".json", ".txt") and "__pycache__" not in p.parts and p.is_file():
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load(path: Path):
    """A cached pickle, or None when it is missing, truncated or from an incompatible version."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None


def dump(path: Path, obj) -> None:
    """Write atomically (temp file + rename), so a crash or a parallel writer never leaves half a pickle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def publish_dir(tmp: Path, final: Path) -> None:
    """Move a finished folder into place; if another build got there first, keep theirs (same content)."""
    try:
        os.replace(tmp, final)
    except OSError:  # final exists and is not empty
        shutil.rmtree(tmp, ignore_errors=True)


def temp_dir_for(final: Path) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    return final.with_name(f".{final.name}.{os.getpid()}-{uuid.uuid4().hex[:6]}.tmp")


class BuildCache:
    """Per-file outcomes (``<sha256>.pkl``) and per-shard segments (``segments/<key>/``) for one code version."""

    def __init__(self, root: Path, fingerprint: str):
        self.root, self.dir = root, root / fingerprint

    def _path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.pkl"

    def get(self, sha: str):
        return load(self._path(sha))

    def has(self, sha: str) -> bool:
        return self._path(sha).exists()

    def put(self, sha: str, outcome) -> None:
        dump(self._path(sha), outcome)

    def segment(self, key: str) -> Path:
        return self.dir / "segments" / key

    def load_index(self) -> dict[str, tuple]:
        """report_id → (size, mtime_ns, inode, sha256) of the last build's files."""
        index = load(self.root / "hash-index.pkl")
        return index if isinstance(index, dict) else {}

    def save_index(self, index: dict[str, tuple]) -> None:
        dump(self.root / "hash-index.pkl", index)

    def prune(self, keep_segments: set[str] | None = None) -> None:
        """Drop results cached by other versions of the parser, and segments this build no longer uses."""
        if self.root.is_dir():
            for d in self.root.iterdir():
                if d.is_dir() and d != self.dir:
                    shutil.rmtree(d, ignore_errors=True)
        seg_root = self.dir / "segments"
        if keep_segments is not None and seg_root.is_dir():
            for p in seg_root.iterdir():
                if p.name not in keep_segments:
                    shutil.rmtree(p, ignore_errors=True)
