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
    """Per-file outcomes and per-shard segments (``segments/<key>/``) for one code version.

    Per-file outcomes are kept in *packs*: one pickle per run of files parsed together, ``packs/<name>.pkl``
    (sha256 → outcome), found through one index (sha256 → pack name). Creating a file per report cost more
    kernel time than pickling the report (ext4 inode allocation), and a pack is read whole when a shard is
    rebuilt, which needs most of its files anyway.
    """

    def __init__(self, root: Path, fingerprint: str):
        self.root, self.dir = root, root / fingerprint
        self._packs: dict[str, str] | None = None  # sha256 → pack name, loaded on first use
        self._added: dict[str, str] = {}

    def _index(self) -> dict[str, str]:
        if self._packs is None:
            packs = load(self.dir / "packs.pkl")
            self._packs = packs if isinstance(packs, dict) else {}
        return self._packs

    def pack_of(self, sha: str) -> str | None:
        """The pack holding this file's outcome, or None when it was never parsed by this code version."""
        return self._index().get(sha)

    def read_pack(self, name: str) -> dict:
        """sha256 → outcome; empty when the pack is missing or unreadable (its files are parsed again)."""
        pack = load(self.dir / "packs" / f"{name}.pkl")
        return pack if isinstance(pack, dict) else {}

    def write_pack(self, outcomes: dict) -> str:
        """Store a run's outcomes; the name is a hash of their sha256s, so rewriting a pack is harmless.
        Call :meth:`record` with the name (in the process that saves the index) to make them findable."""
        name = hashlib.sha256("\n".join(outcomes).encode()).hexdigest()[:24]
        dump(self.dir / "packs" / f"{name}.pkl", outcomes)
        return name

    def record(self, name: str, shas) -> None:
        for sha in shas:
            self._added[sha] = name

    def save_packs(self, live: set[str]) -> None:
        """Write the index of the packs this build used or made, for the files still in the corpus, and
        delete packs none of whose files is."""
        index = {sha: name for sha, name in {**self._index(), **self._added}.items() if sha in live}
        dump(self.dir / "packs.pkl", index)
        self._packs, self._added = index, {}
        used = set(index.values())
        folder = self.dir / "packs"
        if folder.is_dir():
            for p in folder.glob("*.pkl"):
                if p.stem not in used:
                    p.unlink(missing_ok=True)

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
