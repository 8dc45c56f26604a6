"""A folder of report files → every output table, in parallel, incrementally, with bounded memory.

The per-file work (:func:`helpers.parse.parse_bytes`) is a pure function of the bytes, so its result is
cached under the file's sha256 plus a fingerprint of the parser's code and data: an unchanged file is never
parsed twice, and any edit to the parser invalidates every cached result. Results are streamed to disk in
report_id order, one shard of files at a time, so memory does not grow with the corpus.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, store
from .model import LoadError
from .paths import PACKAGE_DIR
from .store import SCHEMA, TABLES, Tables, read_processed

PER_FILE_TABLES = tuple(t for t in TABLES if t not in ("reports", "load_errors", "similar_problems"))
_SKIP_NAMES = ("manifest.csv",)
SHARD_SIZE = 1000
MAX_BYTES = 32 * 2 ** 20  # a report is tens of kB; anything this large is not one (and would eat memory)


# ---------------------------------------------------------------------------------------------- files
def list_files(raw_dir: Path | str, exclude: Path | str | None = None) -> list[tuple[str, Path]]:
    """(report_id, path) for every report file under ``raw_dir``, sorted by report_id.

    Skips hidden files and folders, the folder's own MANIFEST.csv / README*, and ``exclude`` (the output
    folder, when someone builds into a folder inside the raw one).
    """
    raw_dir = Path(raw_dir)
    skip = os.path.realpath(exclude) if exclude is not None else None
    out: list[tuple[str, Path]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    if skip is None or os.path.realpath(entry.path) != skip:
                        walk(entry.path, f"{prefix}{name}/")
                elif entry.is_file():
                    low = name.lower()
                    if low in _SKIP_NAMES or low.startswith("readme"):
                        continue
                    out.append((prefix + name, Path(entry.path)))

    walk(str(raw_dir), "")
    out.sort(key=lambda t: t[0])
    return out


def code_fingerprint() -> str:
    """Hash of the package's code and data files: a parser change invalidates every cached result."""
    h = hashlib.sha256(__version__.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".csv", ".json", ".txt") and "__pycache__" not in p.parts and p.is_file():
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- one file
@dataclass
class Outcome:
    """One file's contribution, in a compact column form that pickles fast (no report_id inside,
    so a cached result can be reused for a renamed or copied file)."""

    report: dict | None  # the reports row, without report_id; None when the file is only a load error
    tables: dict[str, dict[str, list]] = field(default_factory=dict)  # table → column → values
    errors: list[dict] = field(default_factory=list)  # load_errors rows without `file`


_FAST = {store.STR: str, store.INT: int, store.FLOAT: float}


def _columnar(table: str, rows: list[dict]) -> dict[str, list]:
    """Rows → column lists with clean types (the common, already-clean values take a fast path)."""
    out = {}
    clean = store._clean
    for c, k in SCHEMA[table]:
        if c == "report_id":
            continue
        fast = _FAST[k]
        col = [r.get(c) for r in rows]
        out[c] = [v if type(v) is fast and v == v else clean(v, k) for v in col]  # NaN → null
    return out


def _failing_stage(exc: BaseException) -> str:
    """The helpers module in which an exception was raised (the deepest frame inside the package)."""
    stage = "parse"
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.parent == PACKAGE_DIR:
            stage = path.stem
    return stage


def parse_file(data: bytes, report_id: str) -> Outcome:
    """Parse one file's bytes, turning every failure into load_errors rows instead of an exception."""
    from .parse import make_doc, parse_doc

    try:
        doc = make_doc(data, report_id)
    except LoadError as e:
        return Outcome(report=None, errors=[{"stage": e.stage, "error": e.error, "detail": e.detail}])
    except Exception as e:  # a bug in decoding: still only this file fails
        return Outcome(report=None, errors=[{"stage": _failing_stage(e), "error": type(e).__name__,
                                             "detail": _describe(e)}])
    try:
        result = parse_doc(doc)
    except Exception as e:
        report = {"sha256": doc.sha256, "n_chars": doc.n_chars, "encoding": doc.encoding, "status": "failed",
                  "n_warnings": 0}
        return Outcome(report=_clean_report(report), errors=[{
            "stage": _failing_stage(e), "error": type(e).__name__, "detail": _describe(e)}])
    tables = {t: _columnar(t, rows) for t, rows in result.tables.items() if rows and t in SCHEMA}
    return Outcome(report=_clean_report(result.report), tables=tables)


def _describe(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(e).__name__}: {e}{where}"


def _clean_report(report: dict) -> dict:
    return {c: store._clean(report.get(c), k) for c, k in SCHEMA["reports"] if c != "report_id"}


def _load(path: Path):
    """A cached pickle, or None when it is missing, truncated or from an incompatible version."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None


def _dump(path: Path, obj) -> None:
    """Write atomically (temp file + rename), so a crash or a parallel writer never leaves half a pickle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class ParseCache:
    """Per-file outcomes on disk, keyed by content hash, in a folder named after the code fingerprint."""

    def __init__(self, root: Path, fingerprint: str):
        self.root, self.dir = root, root / fingerprint

    def _path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.pkl"

    def get(self, sha: str) -> Outcome | None:
        return _load(self._path(sha))

    def has(self, sha: str) -> bool:
        return self._path(sha).exists()

    def put(self, sha: str, outcome: Outcome) -> None:
        _dump(self._path(sha), outcome)

    def _shard_path(self, key: str) -> Path:
        return self.dir / "shards" / f"{key}.pkl"

    def get_shard(self, key: str):
        return _load(self._shard_path(key))

    def has_shard(self, key: str) -> bool:
        return self._shard_path(key).exists()

    def put_shard(self, key: str, payload) -> None:
        _dump(self._shard_path(key), payload)

    def load_index(self) -> dict[str, tuple]:
        """report_id → (size, mtime_ns, inode, sha256) of the last build's files."""
        index = _load(self.root / "hash-index.pkl")
        return index if isinstance(index, dict) else {}

    def save_index(self, index: dict[str, tuple]) -> None:
        _dump(self.root / "hash-index.pkl", index)

    def prune(self, keep_shards: set[str] | None = None) -> None:
        """Drop results cached by other versions of the parser, and shards this build no longer has."""
        if self.root.is_dir():
            for d in self.root.iterdir():
                if d.is_dir() and d != self.dir:
                    shutil.rmtree(d, ignore_errors=True)
        if keep_shards is not None and (self.dir / "shards").is_dir():
            for p in (self.dir / "shards").glob("*.pkl"):
                if p.stem not in keep_shards:
                    p.unlink(missing_ok=True)


def _work(task: tuple[str, str, str, str | None, str]) -> Outcome:
    """Worker entry point: read, parse, cache. Module-level so it pickles into worker processes."""
    path, report_id, sha, cache_root, fingerprint = task
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return Outcome(report=None, errors=[{"stage": "read", "error": type(e).__name__, "detail": str(e)}])
    outcome = parse_file(data, report_id)
    if cache_root:
        try:
            ParseCache(Path(cache_root), fingerprint).put(sha, outcome)
        except OSError:
            pass  # a read-only cache only costs speed
    return outcome


def _warm_up() -> None:
    """Load the heavy dictionaries (gazetteer, OpenCC) once per worker before the first file."""
    from . import parse  # noqa: F401
    from .normalize import to_simplified

    to_simplified("資訊")


# ---------------------------------------------------------------------------------------------- the build
@dataclass
class BuildSummary:
    out_dir: Path
    n_files: int = 0
    n_parsed: int = 0
    n_failed: int = 0
    n_duplicates: int = 0
    n_cached: int = 0
    n_not_report: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return f"{self.n_parsed} reports parsed, {self.n_failed} failed — see load_errors.csv"


@dataclass
class _Entry:
    report_id: str
    path: Path
    sha: str
    kind: str  # "new" | "cached" | "duplicate" | "unreadable"
    original: str = ""
    error: str = ""


class _Shard:
    """Column buffers for up to SHARD_SIZE files, flushed to the table writers."""

    def __init__(self):
        self.cols: dict[str, dict[str, list]] = {t: {c: [] for c in store.columns(t)} for t in TABLES}
        self.years: dict[str, list[str]] = {t: [] for t in TABLES}
        self.n_files = 0

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

    def payload(self, counts: dict[str, int], rid_years: dict[str, str]) -> "ShardPayload":
        """The buffered rows as Arrow tables (what is written, and what the shard cache keeps)."""
        import pyarrow as pa

        tables = {}
        for t in TABLES:
            cols = self.cols[t]
            if not cols[store.columns(t)[0]]:
                continue
            schema = store.arrow_schema(t)
            tables[t] = (pa.table({c: pa.array(cols[c], type=schema.field(c).type) for c in schema.names},
                                  schema=schema), pa.array(self.years[t], type=pa.string()))
        return ShardPayload(tables=tables, counts=counts, rid_years=rid_years)


@dataclass
class ShardPayload:
    """One shard's rows for every table (with each row's year key), its counters and report years."""

    tables: dict  # table → (pa.Table, pa.Array of year keys)
    counts: dict[str, int]
    rid_years: dict[str, str]

    def write(self, writers: dict[str, store.TableWriter]) -> None:
        for t, w in writers.items():
            if t in self.tables:
                tbl, years = self.tables[t]
                w.write(tbl, years)


class _Batch:
    """Collects shard tables and writes them in large slices: fewer, bigger writes are much faster."""

    ROWS = 400_000

    def __init__(self, writers: dict[str, store.TableWriter]):
        self.writers, self.parts = writers, {t: [] for t in writers}
        self.rows = dict.fromkeys(writers, 0)

    def add(self, payload: "ShardPayload") -> None:
        for t, (tbl, years) in payload.tables.items():
            if t in self.writers:
                self.parts[t].append((tbl, years))
                self.rows[t] += tbl.num_rows
                if self.rows[t] >= self.ROWS:
                    self._flush(t)

    def _flush(self, t: str) -> None:
        import pyarrow as pa

        if self.parts[t]:
            tbl = pa.concat_tables([p[0] for p in self.parts[t]])
            years = pa.concat_arrays([p[1] for p in self.parts[t]])
            self.writers[t].write(tbl, years)
        self.parts[t], self.rows[t] = [], 0

    def flush(self) -> None:
        for t in self.writers:
            self._flush(t)


_COUNTERS = ("n_parsed", "n_failed", "n_duplicates", "n_not_report")


def shard_bounds(entries: list[_Entry], size: int) -> list[tuple[int, int]]:
    """Split the sorted entries into shards whose ends depend on the report_ids themselves (a shard ends
    after a report_id whose hash is 0 mod ``size``), so adding or changing one file changes one shard and
    every other shard's cached tables stay valid. Shards are capped at 4 × size to bound memory."""
    bounds, start = [], 0
    for i, e in enumerate(entries):
        h = int.from_bytes(hashlib.blake2b(e.report_id.encode(), digest_size=8).digest(), "big")
        if h % size == 0 or i + 1 - start >= 4 * size:
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(entries):
        bounds.append((start, len(entries)))
    return bounds


def shard_key(fingerprint: str, entries: list[_Entry]) -> str:
    """Identity of a shard's output: the code, and each file's id, bytes and duplicate status."""
    h = hashlib.sha256(fingerprint.encode())
    for e in entries:
        kind = "file" if e.kind in ("new", "cached") else e.kind
        h.update(f"{e.report_id}\t{e.sha}\t{kind}\t{e.original}\t{e.error}\n".encode())
    return h.hexdigest()[:32]


def _progress(total: int, quiet: bool):
    """tqdm on a terminal; otherwise nothing per file (a single log line is printed by the caller)."""
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, unit="file", desc="parsing", smoothing=0.1)
    return None


def _scan(files: list[tuple[str, Path]], index: dict[str, tuple] | None = None) -> Iterator[_Entry]:
    """Hash every file once (streaming), spotting duplicates. ``index`` maps report_id → (size, mtime_ns,
    inode, sha256) from the last build: a file whose stat is unchanged is not read again (as git does)."""
    seen: dict[str, str] = {}
    index = index if index is not None else {}
    for rid, path in files:
        try:
            st = os.stat(path)
            if st.st_size > MAX_BYTES:
                yield _Entry(rid, path, "", "unreadable", error=f"too large for a report ({st.st_size / 2**20:.0f}"
                                                                f" MB > {MAX_BYTES / 2**20:.0f} MB)")
                continue
            known = index.get(rid)
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
            if known is not None and known[:3] == stamp:
                sha = known[3]
            else:
                with open(path, "rb") as f:
                    sha = hashlib.sha256(f.read()).hexdigest()
                index[rid] = (*stamp, sha)
        except OSError as e:
            yield _Entry(rid, path, "", "unreadable", error=f"{type(e).__name__}: {e}")
            continue
        if sha in seen:
            yield _Entry(rid, path, sha, "duplicate", original=seen[sha])
            continue
        seen[sha] = rid
        yield _Entry(rid, path, sha, "new")


def _work_chunk(tasks: list[tuple]) -> list[Outcome]:
    return [_work(t) for t in tasks]


def _bounded_map(pool, tasks: list[tuple], chunk: int, window: int) -> Iterator[Outcome]:
    """Ordered results with at most ``window`` chunks in flight, so finished results never pile up
    in memory while the writer is busy (Executor.map would submit every task at once)."""
    from collections import deque

    chunks = (tasks[i:i + chunk] for i in range(0, len(tasks), chunk))
    pending: deque = deque()
    for c in chunks:
        pending.append(pool.submit(_work_chunk, c))
        if len(pending) >= window:
            break
    while pending:
        done = pending.popleft().result()
        nxt = next(chunks, None)
        if nxt is not None:
            pending.append(pool.submit(_work_chunk, nxt))
        yield from done


def _outcomes(entries: list[_Entry], cache: ParseCache | None, fingerprint: str, jobs: int
              ) -> Iterator[tuple[_Entry, Outcome | None]]:
    """Yield each entry with its outcome, in order; new files are parsed in a process pool."""
    cache_root = str(cache.root) if cache is not None else None
    tasks = [(str(e.path), e.report_id, e.sha, cache_root, fingerprint) for e in entries if e.kind == "new"]
    pool = None
    if jobs > 1 and len(tasks) >= 2 * jobs:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        _warm_up()  # forked workers inherit the loaded dictionaries
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
        chunk = max(1, min(32, len(tasks) // (jobs * 8)))
        results = _bounded_map(pool, tasks, chunk, window=4 * jobs)
    else:
        results = map(_work, tasks)
    try:
        for e in entries:
            if e.kind == "new":
                try:
                    outcome = next(results)
                except StopIteration:  # pragma: no cover - map yields one result per task
                    raise
                except Exception as exc:  # the pool broke (a worker was killed): finish in-process
                    done = [x for x in entries if x.kind == "new"]
                    rest = done[done.index(e):]
                    results = map(_work, [(str(x.path), x.report_id, x.sha, cache_root, fingerprint)
                                          for x in rest])
                    print(f"warning: worker pool failed ({type(exc).__name__}); continuing in one process",
                          file=sys.stderr)
                    outcome = next(results)
                yield e, outcome
            elif e.kind == "cached":
                outcome = cache.get(e.sha) if cache is not None else None
                if outcome is None:  # unreadable cache entry: parse it here
                    outcome = _work((str(e.path), e.report_id, e.sha, cache_root, fingerprint))
                yield e, outcome
            else:
                yield e, None
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def build(raw_dir: Path | str, out_dir: Path | str, *, jobs: int | None = None, force: bool = False,
          cache_dir: Path | str | None | bool = None, csv: bool = True, quiet: bool = False,
          shard_size: int = SHARD_SIZE, corpus: bool = True) -> BuildSummary:
    """Parse every report file under ``raw_dir`` and write every table to ``out_dir``.

    ``jobs``: worker processes (default: all cores). ``cache_dir``: where per-file results are kept
    (default ``out_dir/.cache/parse``; ``False`` disables the cache). ``force``: ignore cached results.
    ``corpus``: run the corpus-level stage (carry-over checks, recycled problems text); without it the
    similar_problems table is written empty.
    """
    t0 = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no such folder: {raw_dir}")
    jobs = jobs or os.cpu_count() or 1
    fingerprint = code_fingerprint()
    cache = None
    if cache_dir is not False:
        cache = ParseCache(Path(cache_dir) if cache_dir else out_dir / ".cache" / "parse", fingerprint)

    files = list_files(raw_dir, exclude=out_dir)
    index = cache.load_index() if cache is not None and not force else {}
    entries = list(_scan(files, index))
    summary = BuildSummary(out_dir=out_dir, n_files=len(entries))
    bounds = shard_bounds(entries, shard_size)
    keys = [shard_key(fingerprint, entries[a:b]) for a, b in bounds]
    reuse = [cache is not None and not force and cache.has_shard(k) for k in keys]
    todo = [e for (a, b), r in zip(bounds, reuse) if not r for e in entries[a:b]]
    if cache is not None and not force:
        for e in todo:
            if e.kind == "new" and cache.has(e.sha):
                e.kind = "cached"
    for (a, b), r in zip(bounds, reuse):
        if r:
            for e in entries[a:b]:
                if e.kind == "new":
                    e.kind = "cached"
    n_new = sum(e.kind == "new" for e in todo)
    summary.n_cached = sum(e.kind == "cached" for e in todo) + sum(
        e.kind in ("new", "cached") for (a, b), r in zip(bounds, reuse) if r for e in entries[a:b])
    if quiet is False and not sys.stderr.isatty():
        print(f"build: {len(entries)} files in {raw_dir}, {n_new} to parse, {summary.n_cached} cached, "
              f"{jobs} job(s)", file=sys.stderr)

    bar = _progress(len(entries), quiet)
    outcomes = _outcomes(todo, cache, fingerprint, jobs)

    def shards():
        for (a, b), key, r in zip(bounds, keys, reuse):
            payload = cache.get_shard(key) if r else None
            if payload is None:  # not cached (or unreadable): assemble it from the per-file outcomes
                source = outcomes if not r else _outcomes(entries[a:b], cache, fingerprint, 1)
                items = []
                for _ in range(b - a):
                    items.append(next(source))
                    if bar is not None:
                        bar.update(1)
                payload = _assemble(items)
                if cache is not None:
                    try:
                        cache.put_shard(key, payload)
                    except OSError:
                        pass
            elif bar is not None:
                bar.update(b - a)
            yield payload
        for _ in outcomes:  # run the generator to its end, which shuts the worker pool down before the
            pass            # corpus stage (idle workers would hold their memory through it)

    try:
        _write_payloads(shards(), out_dir, summary, csv=csv, corpus=corpus, cache=cache)
    finally:
        outcomes.close()
        if bar is not None:
            bar.close()
    if cache is not None:
        cache.prune(keep_shards=set(keys))
        live = {rid for rid, _ in files}
        cache.save_index({rid: v for rid, v in index.items() if rid in live})
    summary.seconds = time.perf_counter() - t0
    return summary


def _assemble(items: Iterable[tuple[_Entry, Outcome | None]]) -> ShardPayload:
    shard = _Shard()
    counter = BuildSummary(out_dir=Path("."))
    rid_years: dict[str, str] = {}
    for e, outcome in items:
        _add(shard, e, outcome, rid_years, counter)
    return shard.payload({c: getattr(counter, c) for c in _COUNTERS}, rid_years)


def _write_payloads(payloads: Iterable[ShardPayload], out_dir: Path, summary: BuildSummary, *, csv: bool = True,
                    corpus: bool = True, cache: ParseCache | None = None) -> BuildSummary:
    """Write shard payloads (in report_id order) into every table, then the corpus stage, atomically."""
    stage = store.stage_dir(out_dir)
    try:
        writers = {t: store.TableWriter(t, stage, csv=csv, partition=t not in ("load_errors",))
                   for t in TABLES if t != "similar_problems"}
        years: dict[str, str] = {}
        batch = _Batch(writers)
        for payload in payloads:
            batch.add(payload)
            years.update(payload.rid_years)
            for c in _COUNTERS:
                setattr(summary, c, getattr(summary, c) + payload.counts.get(c, 0))
        batch.flush()
        for w in writers.values():
            w.close()
        _corpus_stage(stage, years, csv, corpus, cache)
        from .dictionary import write_dictionary

        write_dictionary(stage / "README.md")
        store.commit(stage, out_dir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return summary


def write_outcomes(items: Iterable[tuple[_Entry, Outcome | None]], out_dir: Path | str,
                   summary: BuildSummary | None = None, *, csv: bool = True, corpus: bool = True,
                   shard_size: int = SHARD_SIZE) -> BuildSummary:
    """Stream per-file outcomes (in report_id order) into every table, ``shard_size`` files at a time."""
    out_dir = Path(out_dir)
    summary = summary if summary is not None else BuildSummary(out_dir=out_dir)

    def payloads():
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= shard_size:
                yield _assemble(batch)
                batch = []
        if batch:
            yield _assemble(batch)

    return _write_payloads(payloads(), out_dir, summary, csv=csv, corpus=corpus)


def write_results(results: Iterable[tuple[str, str, Outcome]], out_dir: Path | str, **kw) -> BuildSummary:
    """Write (report_id, sha256, Outcome) triples computed elsewhere (e.g. on a Dask cluster) as tables.

    Identical bytes (same sha256) are kept once, the first in report_id order; later ones become
    dedupe load errors, exactly as in :func:`build`.
    """
    ordered = sorted(results, key=lambda r: r[0])
    seen: dict[str, str] = {}

    def items():
        for rid, sha, outcome in ordered:
            if sha and sha in seen:
                yield _Entry(rid, Path(rid), sha, "duplicate", original=seen[sha]), None
                continue
            if sha:
                seen[sha] = rid
            yield _Entry(rid, Path(rid), sha, "new"), outcome

    summary = BuildSummary(out_dir=Path(out_dir), n_files=len(ordered))
    return write_outcomes(items(), out_dir, summary, **kw)


def _add(shard: _Shard, e: _Entry, outcome: Outcome | None, years: dict[str, str], summary: BuildSummary) -> None:
    rid = e.report_id
    if e.kind == "duplicate":
        summary.n_duplicates += 1
        shard.add_row("load_errors", {"file": rid, "stage": "dedupe", "error": "duplicate",
                                      "detail": f"{rid}: same bytes as {e.original} (sha256 {e.sha[:12]}…); "
                                                f"parsed once, as {e.original}"})
        return
    if e.kind == "unreadable" or outcome is None:
        summary.n_failed += 1
        shard.add_row("load_errors", {"file": rid, "stage": "read", "error": "unreadable",
                                      "detail": f"{rid}: {e.error}"})
        return
    for err in outcome.errors:
        shard.add_row("load_errors", {"file": rid, **err, "detail": f"{rid}: {err.get('detail', '')}"})
    if outcome.report is None:
        summary.n_failed += 1
        return
    report = outcome.report
    year = str(report["year"]) if report.get("year") is not None else "unknown"
    years[rid] = year
    if report.get("status") == "failed":
        summary.n_failed += 1
    else:
        summary.n_parsed += 1
        summary.n_not_report += report.get("status") == "not_report"
    shard.add_row("reports", {"report_id": rid, **report}, year)
    for t, data in outcome.tables.items():
        if t in PER_FILE_TABLES:
            shard.add_rows(t, rid, year, data)


def _corpus_inputs(stage: Path, module: str, table: str, fallback: list[str]) -> "object":
    """One table narrowed to what a corpus-level function reads: the columns (and rows) its module declares
    in ``CORPUS_COLUMNS`` / ``CORPUS_FILTERS``, so the corpus stage never loads a whole table's text."""
    import importlib

    try:
        mod = importlib.import_module(f"helpers.{module}")
    except ImportError:
        mod = None
    cols = getattr(mod, "CORPUS_COLUMNS", {}).get(table, fallback)
    filters = getattr(mod, "CORPUS_FILTERS", {}).get(table)
    return store.read_table(stage, table, filters=filters, cols=cols)


_SIMILARITY_INPUTS = {"problems": ["report_id", "part", "text", "line_start"],
                      "reports": ["report_id", "agency", "year"]}


def _frames_key(name: str, frames: dict) -> str:
    """Content hash of a corpus step's narrowed inputs: equal inputs → the cached result is reused."""
    import pyarrow as pa

    h = hashlib.sha256(name.encode())
    for t in sorted(frames):
        tbl = pa.Table.from_pandas(frames[t], preserve_index=False)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, tbl.schema) as w:
            w.write_table(tbl)
        h.update(t.encode())
        h.update(sink.getvalue())
    return h.hexdigest()[:32]


def _cached_step(cache: "ParseCache | None", name: str, frames: dict, errors: list[dict], module: str, func: str,
                 *args, records: bool = True):
    """Run one corpus-level function, or reuse its rows from the last build when its inputs are unchanged
    (the cache folder is per code fingerprint, so a code change recomputes). Only the latest is kept."""
    key = _frames_key(name, frames) if cache is not None else ""
    path = cache.dir / "corpus" / f"{name}-{key}.pkl" if cache is not None else None
    if path is not None and path.exists():
        cached = _load(path)
        if cached is not None:
            return cached
    n_errors = len(errors)
    rows = _call_optional(module, func, errors, *args, records=records)
    if path is not None and len(errors) == n_errors:  # never cache a crash
        try:
            if path.parent.is_dir():
                for old in path.parent.glob(f"{name}-*.pkl"):
                    old.unlink(missing_ok=True)
            _dump(path, rows)
        except OSError:
            pass
    return rows


_AGENCY_COLUMNS = ("province", "prefecture", "county", "agency")  # audit's key for "the same agency"


def _checks_by_agency(cache: "ParseCache | None", frames: dict, errors: list[dict]):
    """corpus_checks, recomputed only for the agencies whose inputs changed since the last build.

    A report's carry-over check reads only reports of its own agency (same province, prefecture, county and
    name), so the rows are cached per agency under a hash of that agency's narrow rows; adding a report
    re-runs the check for its agency alone. The rows come out in the order a full run gives them."""
    import numpy as np

    reports = frames["reports"]
    if cache is None or not len(reports) or not set(_AGENCY_COLUMNS) <= set(reports.columns):
        return _call_optional("audit", "corpus_checks", errors, frames)
    group = reports["province"].str.strip()
    for c in _AGENCY_COLUMNS[1:]:
        group = group + "\x1f" + reports[c].str.strip()
    rid_group = dict(zip(reports["report_id"], group))
    names = np.unique(group.to_numpy(dtype=object))
    digest = np.zeros(len(names), dtype=np.uint64)
    for k, (t, df) in enumerate(sorted(frames.items())):
        if not len(df):
            continue
        h = _row_hashes(df) * np.uint64(2 * k + 3)
        g = df["report_id"].map(rid_group)
        known = g.notna().to_numpy()
        np.add.at(digest, np.searchsorted(names, g[known].to_numpy(dtype=object)), h[known])
    path = cache.dir / "corpus" / "corpus_checks-by-agency.pkl"
    previous = _load(path) or {}
    current = {str(nm): int(d) for nm, d in zip(names, digest)}
    changed = {g for g, d in current.items() if g not in previous or previous[g][0] != d}
    by_group: dict[str, list[dict]] = {g: previous[g][1] for g in current if g not in changed}
    if changed:
        wanted = group.isin(changed).to_numpy()
        rids = set(reports["report_id"][wanted])
        subset = {t: (df[wanted] if t == "reports" else df[df["report_id"].isin(rids)]) for t, df in frames.items()}
        n_errors = len(errors)
        rows = _call_optional("audit", "corpus_checks", errors, subset)
        if len(errors) > n_errors:
            return None
        for g in changed:
            by_group[g] = []
        for r in rows or []:
            by_group[rid_group[r["report_id"]]].append(r)
        try:
            _dump(path, {g: (current[g], by_group[g]) for g in current})
        except OSError:
            pass
    out = [r for g in names for r in by_group[str(g)]]
    out.sort(key=lambda r: str(r["report_id"]))  # stable: each report's rows keep their order
    return out


def _row_hashes(df) -> "object":
    import pandas as pd

    return pd.util.hash_pandas_object(df, index=False).to_numpy()


def _merge_checks(stage: Path, extra: list[dict], years: dict[str, str], csv: bool, batch_rows: int = 200_000) -> None:
    """Insert the corpus-level check rows into the staged checks table, streaming: the staged rows are in
    report_id order, so each batch is merged with the extra rows that sort before its last report_id (a
    report's corpus rows after its own rows). Memory stays at one batch, whatever the corpus size."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    extra = sorted(extra, key=lambda r: str(r["report_id"]))  # stable
    keys = [str(r["report_id"]) for r in extra]
    merged = stage / ".checks-merge"
    merged.mkdir()
    w = store.TableWriter("checks", merged, csv=csv)
    i = 0

    def put(tbl: pa.Table) -> None:
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("report_id", "ascending")]))  # stable
        w.write(tbl, [years.get(r, "unknown") for r in tbl.column("report_id").to_pylist()])

    for batch in pq.ParquetFile(stage / "checks.parquet").iter_batches(batch_size=batch_rows):
        tbl = pa.Table.from_batches([batch])
        last = tbl.column("report_id")[-1].as_py() if tbl.num_rows else ""
        j = bisect.bisect_left(keys, last, lo=i)  # rows of ``last`` may continue in the next batch
        put(pa.concat_tables([tbl, store.to_arrow("checks", extra[i:j])]) if j > i else tbl)
        i = j
    if i < len(extra):
        put(store.to_arrow("checks", extra[i:]))
    w.close()
    shutil.rmtree(stage / "parquet" / "checks", ignore_errors=True)
    for p in merged.iterdir():
        if p.name == "parquet":
            os.replace(p / "checks", stage / "parquet" / "checks")
        else:
            os.replace(p, stage / p.name)
    shutil.rmtree(merged, ignore_errors=True)


def _corpus_stage(stage: Path, years: dict[str, str], csv: bool, run: bool = True,
                  cache: "ParseCache | None" = None) -> None:
    """Results that need several reports: carry-over continuity checks and recycled problems text.

    Each step reads only the columns and rows it needs from the staged Parquet, and is skipped (its last
    result reused) when those inputs have not changed since the last build."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    errors: list[dict] = []
    if not run:
        w = store.TableWriter("similar_problems", stage, csv=csv, partition=False)
        w.close()
        return
    audit_in = {t: _corpus_inputs(stage, "audit", t, store.columns(t)) for t in ("reports", "requests", "disclosure")}
    extra_checks = _checks_by_agency(cache, audit_in, errors)
    del audit_in
    if extra_checks:
        _merge_checks(stage, extra_checks, years, csv)
    del extra_checks
    sim_in = {t: store.read_table(stage, t, cols=c) for t, c in _SIMILARITY_INPUTS.items()}
    similar = _cached_step(cache, "similar_problems", sim_in, errors, "similarity", "similar_problems",
                           sim_in["problems"], sim_in["reports"], records=False)
    del sim_in
    w = store.TableWriter("similar_problems", stage, csv=csv, partition=False)
    if similar is not None and len(similar):
        cols = store.columns("similar_problems")
        w.write(pa.Table.from_pandas(similar[cols], schema=store.arrow_schema("similar_problems"),
                                     preserve_index=False) if hasattr(similar, "columns")
                else store.to_arrow("similar_problems", similar))
    w.close()
    if errors:  # append to load_errors: a corpus-stage bug must not lose the per-file tables
        old = pq.read_table(stage / "load_errors.parquet")
        new = pa.concat_tables([old, store.to_arrow("load_errors", errors)])
        w = store.TableWriter("load_errors", stage, csv=csv, partition=False)
        w.write(new)
        w.close()


def _call_optional(module: str, func: str, errors: list[dict], *args, records: bool = True):
    """Call a corpus-level function another module provides; absent → None, a crash → a load error."""
    import importlib

    try:
        fn = getattr(importlib.import_module(f"helpers.{module}"), func)
    except (ImportError, AttributeError):
        return None
    try:
        rows = fn(*args)
    except Exception as e:
        errors.append({"file": "", "stage": module, "error": type(e).__name__,
                       "detail": f"corpus stage {module}.{func}: {_describe(e)}"})
        return None
    if rows is None:
        return None
    if not records:
        return rows
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    return list(rows)


# ---------------------------------------------------------------------------------------------- Python API
def load_reports(raw_dir: Path | str | None = None, *, jobs: int | None = 1,
                 cache_dir: Path | str | None | bool = False) -> Tables:
    """Parse a folder (``data/raw`` by default) and return every table as DataFrames.

    Runs the same build as the CLI into a temporary folder, so the dtypes are exactly those of
    :func:`read_processed`. Pass ``cache_dir`` to reuse per-file results between calls.
    """
    if raw_dir is None:
        from .paths import RAW

        raw_dir = RAW
    with tempfile.TemporaryDirectory(prefix="helpers-load-") as tmp:
        build(raw_dir, tmp, jobs=jobs, cache_dir=cache_dir, csv=False, quiet=True)
        return read_processed(tmp)


__all__ = ["build", "load_reports", "read_processed", "Tables", "BuildSummary", "list_files", "parse_file",
           "write_results", "write_outcomes"]
