"""Shards of output rows: per-file outcomes → Arrow columns → encoded segments → the final tables.

A *segment* is one shard's rows of every table, already encoded: a CSV fragment per table (no header), its
Parquet part files (per year) and the narrow rows the corpus stage reads (:mod:`helpers.corpus_inputs`).
Workers write segments; the build keeps them in its cache by shard key. The final tables are then assembled
without encoding a single row: CSV fragments are concatenated and Parquet parts hard-linked. Adding one
report to a built corpus re-encodes one shard.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from . import cache as cache_mod
from . import corpus_inputs, store
from .store import SCHEMA, TABLES

PER_FILE_TABLES = tuple(t for t in TABLES if t not in ("reports", "load_errors", "similar_problems"))
SHARD_TABLES = tuple(t for t in TABLES if t != "similar_problems")
COUNTERS = ("n_parsed", "n_failed", "n_duplicates", "n_not_report")
_META = "meta.pkl"


@dataclass
class Chunk:
    """A run of consecutive files' rows as Arrow tables, with each row's year key, counters and years."""

    tables: dict[str, tuple[pa.Table, pa.Array]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    rid_years: dict[str, str] = field(default_factory=dict)
    retry: bool = False  # a file failed for a passing reason (it could not be read): do not reuse this


class Rows:
    """Column buffers for a run of files, filled file by file in report_id order."""

    def __init__(self):
        self.cols: dict[str, dict[str, list]] = {t: {c: [] for c in store.columns(t)} for t in SHARD_TABLES}
        self.years: dict[str, list[str]] = {t: [] for t in SHARD_TABLES}
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.rid_years: dict[str, str] = {}
        self.retry = False

    def add_rows(self, table: str, rid: str, year: str, data: dict[str, list]) -> None:
        n = len(next(iter(data.values()))) if data else 0
        if not n:
            return
        buf = self.cols[table]
        buf["report_id"].extend([rid] * n)
        for c, values in data.items():
            if c in buf:
                buf[c].extend(values)
        self.years[table].extend([year] * n)

    def add_row(self, table: str, row: dict, year: str = "unknown") -> None:
        for c, k in SCHEMA[table]:
            self.cols[table][c].append(store._clean(row.get(c), k))
        self.years[table].append(year)

    def add(self, rid: str, kind: str, outcome, *, sha: str = "", original: str = "", error: str = "") -> None:
        """One file's contribution: its rows, or the load error that says why it has none."""
        if kind == "duplicate":
            self.counts["n_duplicates"] += 1
            self.add_row("load_errors", {"file": rid, "stage": "dedupe", "error": "duplicate",
                                         "detail": f"{rid}: same bytes as {original} (sha256 {sha[:12]}…); "
                                                   f"parsed once, as {original}"})
            return
        if kind == "unreadable" or outcome is None:
            self.counts["n_failed"] += 1
            self.add_row("load_errors", {"file": rid, "stage": "read", "error": "unreadable",
                                         "detail": f"{rid}: {error}"})
            return
        for err in outcome.errors:
            self.add_row("load_errors", {"file": rid, **err, "detail": f"{rid}: {err.get('detail', '')}"})
        if outcome.report is None:
            self.counts["n_failed"] += 1
            return
        report = outcome.report
        year = str(report["year"]) if report.get("year") is not None else "unknown"
        self.rid_years[rid] = year
        if report.get("status") == "failed":
            self.counts["n_failed"] += 1
        else:
            self.counts["n_parsed"] += 1
            self.counts["n_not_report"] += report.get("status") == "not_report"
        self.add_row("reports", {"report_id": rid, **report}, year)
        for t, data in outcome.tables.items():
            if t in PER_FILE_TABLES:
                self.add_rows(t, rid, year, data)

    def chunk(self) -> Chunk:
        tables = {}
        for t in SHARD_TABLES:
            cols = self.cols[t]
            if not cols[store.columns(t)[0]]:
                continue
            schema = store.arrow_schema(t)
            tables[t] = (pa.table({c: pa.array(cols[c], type=schema.field(c).type) for c in schema.names},
                                  schema=schema), pa.array(self.years[t], type=pa.string()))
        return Chunk(tables=tables, counts=dict(self.counts), rid_years=dict(self.rid_years), retry=self.retry)


def concat(chunks: Iterable[Chunk]) -> Chunk:
    """Consecutive chunks → one (zero-copy for the Arrow columns)."""
    out = Chunk()
    parts: dict[str, list] = {}
    for c in chunks:
        for t, pair in c.tables.items():
            parts.setdefault(t, []).append(pair)
        for k, v in c.counts.items():
            out.counts[k] = out.counts.get(k, 0) + v
        out.rid_years.update(c.rid_years)
        out.retry |= c.retry
    for t, pairs in parts.items():
        out.tables[t] = (pa.concat_tables([p[0] for p in pairs]) if len(pairs) > 1 else pairs[0][0],
                         pa.concat_arrays([p[1] for p in pairs]) if len(pairs) > 1 else pairs[0][1])
    return out


@dataclass
class SegmentMeta:
    counts: dict[str, int]
    rid_years: dict[str, str]
    retry: bool = False  # built with a file that could not be read: the next build makes it again


def write_segment(chunk: Chunk, dest: Path) -> SegmentMeta:
    """Encode a shard's rows into ``dest/`` (CSV fragments and Parquet parts), atomically."""
    tmp = cache_mod.temp_dir_for(dest)
    (tmp / "parquet").mkdir(parents=True)
    for t, (tbl, years) in chunk.tables.items():
        if not tbl.num_rows:
            continue
        store.write_csv(tmp / f"{t}.csv", tbl)
        store.write_part(tmp / "parquet", t, tbl, years, "part")
    corpus_inputs.write(tmp / corpus_inputs.FOLDER, {t: tbl for t, (tbl, _) in chunk.tables.items()})
    meta = SegmentMeta(counts=chunk.counts, rid_years=chunk.rid_years, retry=chunk.retry)
    cache_mod.dump(tmp / _META, meta)
    if dest.exists() and read_meta(dest) is None:  # a broken leftover (no meta): replace it
        shutil.rmtree(dest, ignore_errors=True)
    cache_mod.publish_dir(tmp, dest)
    return meta


def read_meta(dest: Path) -> SegmentMeta | None:
    meta = cache_mod.load(dest / _META)
    return meta if isinstance(meta, SegmentMeta) else None


def _place(src: Path, dst: Path, move: bool) -> None:
    """A Parquet part into the staged dataset: moved, or hard-linked from the cache (copied across disks)."""
    if move:
        os.replace(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _append_file(src: Path, out) -> None:
    """Append a file's bytes to a file open unbuffered, in the kernel where it can (no copy through Python)."""
    with open(src, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        copied = 0
        if hasattr(os, "copy_file_range"):
            try:
                while copied < size:
                    n = os.copy_file_range(f.fileno(), out.fileno(), size - copied)
                    if n == 0:
                        break
                    copied += n
            except OSError:
                pass  # e.g. across file systems on an old kernel: copy the rest in Python
        if copied < size:
            f.seek(copied)
            shutil.copyfileobj(f, out, 1 << 20)


def assemble(segments: list[Path], stage: Path, *, csv: bool = True, move: bool = False) -> None:
    """Write every shard table into ``stage`` from its segments: CSV fragments concatenated under one
    header, Parquet parts linked as ``parquet/<table>/[year=…/]part-<n>.parquet`` in shard order."""
    for t in SHARD_TABLES:
        (stage / "parquet" / t).mkdir(parents=True, exist_ok=True)
    if csv:
        for t in SHARD_TABLES:
            with open(stage / f"{t}.csv", "wb", buffering=0) as out:
                out.write(store.csv_header(t))
                for seg in segments:
                    frag = seg / f"{t}.csv"
                    if frag.exists():
                        _append_file(frag, out)
    for n, seg in enumerate(segments):
        root = seg / "parquet"
        if not root.is_dir():
            continue
        for src in root.rglob("*.parquet"):
            rel = src.relative_to(root)
            dst = stage / "parquet" / rel.parent / f"part-{n:05d}.parquet"
            dst.parent.mkdir(parents=True, exist_ok=True)
            _place(src, dst, move)


def append(stage: Path, table: str, tbl: pa.Table, years=None, *, csv: bool = True,
           name: str = store.CORPUS_PART) -> None:
    """Rows a later step adds to an assembled table: appended to its CSV, a part of their own in Parquet."""
    if not tbl.num_rows:
        return
    if csv:
        with open(stage / f"{table}.csv", "ab") as out:
            if out.tell() == 0:
                out.write(store.csv_header(table))
            store.write_csv(out, tbl)
    store.write_part(stage / "parquet", table, tbl, years if years is not None else ["unknown"] * tbl.num_rows,
                     name)
