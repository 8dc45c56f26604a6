"""A folder of report files → every output table, in parallel, incrementally, with bounded memory.

The per-file work (:func:`parse_file`) is a pure function of the bytes, so its result is cached under the
file's sha256 plus a fingerprint of the parser's code and data: an unchanged file is never parsed twice, and
any edit to the parser invalidates every cached result. Files are grouped into content-defined shards;
worker processes parse runs of files and encode each shard into a segment (:mod:`helpers.segments`), which is
cached too. The tables are then assembled from the segments without re-encoding, the corpus stage
(:mod:`helpers.corpus`) adds what needs several reports, and everything is moved into place atomically.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

from . import corpus, segments, store
from . import cache as cache_mod
from .cache import BuildCache, code_fingerprint, dump, load
from .model import LoadError, describe_error
from .paths import PACKAGE_DIR
from .segments import COUNTERS, Chunk, Rows
from .store import SCHEMA, Tables, read_processed

_SKIP_NAMES = ("manifest.csv",)
SHARD_SIZE = 1000
CHUNK_SIZE = 32  # files per worker task: big enough to amortise the hand-off, small enough to balance 2 cores
WHOLE_SHARDS_FROM = 4  # shards per worker from which a whole shard is one task (else runs of CHUNK_SIZE files)
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


# ---------------------------------------------------------------------------------------------- one file
@dataclass
class Outcome:
    """One file's contribution, in a compact column form that pickles fast (no report_id inside,
    so a cached result can be reused for a renamed or copied file)."""

    report: dict | None  # the reports row, without report_id; None when the file is only a load error
    tables: dict[str, dict[str, list]] = field(default_factory=dict)  # table → column → values
    errors: list[dict] = field(default_factory=list)  # load_errors rows without `file`


_FAST = {store.STR: str, store.INT: int, store.FLOAT: float}
# Value types a column may hold as they are: pyarrow takes ints into a float64 column exactly as float() would.
_EXACT = 2 ** 53  # the ints a float64 holds exactly (pyarrow refuses larger ones)
_AS_IS = {store.STR: {str}, store.INT: {int, type(None)}, store.FLOAT: {float, int, type(None)}}


def _columnar(table: str, rows: list[dict]) -> dict[str, list]:
    """Rows → column lists with clean types; a column whose values are already clean (the usual case,
    checked in C by their set of types) is kept as it is."""
    out = {}
    clean = store._clean
    for c, k in SCHEMA[table]:
        if c == "report_id":
            continue
        col = [r.get(c) for r in rows]
        types = set(map(type, col))
        if types <= _AS_IS[k] and (k != store.FLOAT or all(v is None or -_EXACT <= v <= _EXACT for v in col)):
            out[c] = col  # (the range test is also False for NaN, which becomes null below)
        else:
            fast = _FAST[k]
            out[c] = [v if type(v) is fast and v == v else clean(v, k) for v in col]
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
                                             "detail": describe_error(e)}])
    try:
        result = parse_doc(doc)
    except Exception as e:
        report = {"sha256": doc.sha256, "n_chars": doc.n_chars, "encoding": doc.encoding, "status": "failed",
                  "n_warnings": 0}
        return Outcome(report=_clean_report(report), errors=[{
            "stage": _failing_stage(e), "error": type(e).__name__, "detail": describe_error(e)}])
    tables = {t: _columnar(t, rows) for t, rows in result.tables.items() if rows and t in SCHEMA}
    return Outcome(report=_clean_report(result.report), tables=tables)


def _clean_report(report: dict) -> dict:
    return {c: store._clean(report.get(c), k) for c, k in SCHEMA["reports"] if c != "report_id"}


def _read_and_parse(path: str, report_id: str) -> tuple[Outcome, bool]:
    """(outcome, whether it may be cached): a file that could not be read is not a fact about its bytes."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return Outcome(report=None, errors=[{"stage": "read", "error": type(e).__name__, "detail": str(e)}]), False
    return parse_file(data, report_id), True


# A made-up report touching every stage, parsed once so that every lazily loaded dictionary (jieba's, the
# gazetteer, OpenCC, the theme rules) is loaded before the workers fork and is shared by all of them.
_WARM_UP_TEXT = "\n".join([
    "某市交通運輸局2022年政府信息公开工作年度报告", "一、总体情况", "本年度共受理政府信息公开申请15件。",
    "二、主动公开政府信息情况", "规章\t1\t0\t3", "三、收到和处理政府信息公开申请情况",
    "一、本年新收政府信息公开申请数量\t15\t0\t0\t0\t0\t0\t15", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "一是公开内容不够全面，解读形式较为单一。", "六、其他需要报告的事项", "无。",
])


def _preload() -> None:
    """Import what the main process will need after the parse (pandas for the corpus stage, the writers),
    while the parse process loads the parser on the other core."""
    import pandas  # noqa: F401
    import pyarrow as pa
    import pyarrow.compute  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    pa.array([""])


def _warm_up() -> None:
    """Load every heavy dictionary once (see ``_WARM_UP_TEXT``), in the process that forks the workers."""
    parse_file(_WARM_UP_TEXT.encode("utf-8"), "warm-up.txt")


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
    schedule: str = ""  # how the files were parsed: in one process, or whole shards / runs of files per task
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per phase, in order
    high_water: dict[str, float] = field(default_factory=dict)  # main process's peak RSS (MB) by each phase's end

    def line(self) -> str:
        return f"{self.n_parsed} reports parsed, {self.n_failed} failed — see load_errors.csv"

    def timings(self) -> str:
        return ", ".join(f"{k} {v:.2f} s" for k, v in self.phases.items())

    def memory(self) -> str:
        import resource

        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return (", ".join(f"{k} {v:.0f} MB" for k, v in self.high_water.items())
                + f"; largest child process {child:.0f} MB (peak RSS)")

    def mark(self, phase: str, since: float) -> float:
        """Record the wall time since ``since`` under ``phase`` and the main process's memory high-water
        mark so far (where a peak happens, next to where the time goes); returns now."""
        import resource

        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - since
        self.high_water[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return now


@dataclass
class _Entry:
    report_id: str
    path: Path
    sha: str
    kind: str  # "new" | "cached" | "duplicate" | "unreadable"
    original: str = ""
    error: str = ""
    pack: str = ""  # for "cached": the cache pack holding its outcome


def shard_bounds(report_ids: list[str], size: int) -> list[tuple[int, int]]:
    """Split the sorted report_ids into shards whose ends depend on the ids themselves (a shard ends after
    a report_id whose hash is 0 mod ``size``), so adding or changing one file changes one shard and every
    other shard's cached tables stay valid. Shards are capped at 4 × size to bound memory. (The ids alone
    decide: the shards are known before a single file is read.)"""
    bounds, start = [], 0
    for i, rid in enumerate(report_ids):
        h = int.from_bytes(hashlib.blake2b(rid.encode(), digest_size=8).digest(), "big")
        if h % size == 0 or i + 1 - start >= 4 * size:
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(report_ids):
        bounds.append((start, len(report_ids)))
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


Packs = list[tuple[str, list[str]]]  # the cache packs a task wrote: (name, the sha256s it holds)


def _run_chunk(items: list[tuple], cache_root: str | None, fingerprint: str) -> tuple[Chunk, Packs]:
    """Parse (or load from the cache) a run of consecutive files: their rows as Arrow columns, and the cache
    packs that now hold the files parsed here (with their sha256s) for the main process to index.

    A pack holds at most ``CHUNK_SIZE`` files, however many a task parses: a later build that remakes a shard
    in runs of files reads, for each run, only the packs of its own files. (One pack per whole-shard task,
    ~20 MB at 1,800 files, was read again by each of the shard's ~60 runs: adding one report to 10,000 took
    5–7 s instead of ~1 s to re-encode its shard when it landed in a large one.)"""
    rows = Rows()
    cache = BuildCache(Path(cache_root), fingerprint) if cache_root else None
    packs: dict[str, dict] = {}
    fresh: dict[str, Outcome] = {}
    for rid, path, sha, kind, original, error, pack in items:
        outcome = None
        if kind == "cached" and cache is not None:
            if pack not in packs:
                packs[pack] = cache.read_pack(pack)
            outcome = packs[pack].get(sha)
        if kind == "new" or (kind == "cached" and outcome is None):  # unreadable cache entry: parse it here
            outcome, keep = _read_and_parse(path, rid)
            if keep:
                fresh[sha] = outcome
            else:
                rows.retry = True
            kind = "new"
        rows.add(rid, kind, outcome, sha=sha, original=original, error=error)
    written: Packs = []
    if cache is not None and fresh:
        shas = list(fresh)
        try:
            for k in range(0, len(shas), CHUNK_SIZE):  # small packs: see the docstring
                part = shas[k:k + CHUNK_SIZE]
                written.append((cache.write_pack({sha: fresh[sha] for sha in part}), part))
        except OSError:
            pass  # a read-only cache only costs speed (the packs written are still good)
    return rows.chunk(), written


def _chunk_task(items: list[tuple], cache_root: str | None, fingerprint: str, out: Path) -> Packs:
    """Worker task: one run of files → ``out`` (a pickle of Arrow columns), for the shard's encode task to
    read; returns only the cache packs' names and sha256s to the main process."""
    chunk, packs = _run_chunk(items, cache_root, fingerprint)
    dump(out, chunk)
    return packs


def _shard_task(items: list[tuple], cache_root: str | None, fingerprint: str, dest: Path) -> Packs:
    """Worker task: a whole shard parsed and encoded in one go, as a one-job build does (no hand-off)."""
    chunk, packs = _run_chunk(items, cache_root, fingerprint)
    segments.write_segment(chunk, dest)
    return packs


def _encode_task(parts: list[Path], dest: Path) -> None:
    """Worker task: a shard's chunk files → its segment on disk."""
    chunks = [load(p) for p in parts]
    if any(c is None for c in chunks):
        raise RuntimeError(f"a chunk of shard {dest.name} could not be read back")
    segments.write_segment(segments.concat(chunks), dest)
    shutil.rmtree(parts[0].parent, ignore_errors=True)


def _reusable(meta: segments.SegmentMeta | None) -> bool:
    return meta is not None and not meta.retry


def _task(e: _Entry) -> tuple:
    return (e.report_id, str(e.path), e.sha, e.kind, e.original, e.error, e.pack)


Shard = tuple[Path, list[tuple]]  # a shard to make: its segment folder, and its files as task tuples


@dataclass
class _Plan:
    """What the scan has found so far, shard by shard (filled in while the shards to make are handed out)."""

    entries: list[_Entry] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    dests: list[Path] = field(default_factory=list)
    n_reused: int = 0  # files in shards whose segment is reused as it is
    n_new: int = 0  # files to parse (in no cache)


def _plan(files: list[tuple[str, Path]], bounds: list[tuple[int, int]], index: dict, plan: _Plan, *,
          fingerprint: str, cache: BuildCache | None, force: bool, stage: Path, scanned) -> Iterator[Shard]:
    """Hash the files shard by shard, yielding each shard that has to be (re)made as soon as its last file
    is hashed: a parallel build parses the first shards while the scan goes on (at 100,000 reports the scan
    alone takes seconds). ``scanned()`` is called once every file is hashed."""
    scan = _scan(files, index)
    for n, (a, b) in enumerate(bounds):
        part = list(islice(scan, b - a))
        key = shard_key(fingerprint, part)
        dest = cache.segment(key) if cache is not None else stage / ".segments" / f"{n:05d}"
        plan.entries += part
        plan.keys.append(key)
        plan.dests.append(dest)
        if cache is not None and not force and _reusable(segments.read_meta(dest)):
            plan.n_reused += len(part)
            continue
        if cache is not None:
            shutil.rmtree(dest, ignore_errors=True)  # forced, or made with a file that could not be read
            for e in part:
                if e.kind == "new" and not force:
                    e.pack = cache.pack_of(e.sha) or ""
                    e.kind = "cached" if e.pack else "new"
        plan.n_new += sum(e.kind == "new" for e in part)
        yield dest, [_task(e) for e in part]
    scanned()


class _Shards:
    """The shards a pool is to make, as they arrive: all at once, or one by one from the main process's scan
    through ``conn`` (the last message is None). ``every`` keeps them all; ``waiting`` those not yet handed
    to a worker."""

    def __init__(self, shards: Iterable[Shard] = (), conn=None, many: bool = False):
        self.every: list[Shard] = list(shards)
        self.waiting: list[Shard] = list(self.every)
        self.conn = conn
        self.complete = conn is None
        self.many = many  # the main process knows that enough shards for whole-shard tasks will come

    def receive(self, timeout: float | None = 0.0) -> None:
        """Take every shard sent so far, waiting up to ``timeout`` seconds (None: for ever) for the first."""
        while not self.complete and self.conn.poll(timeout):
            try:
                shard = self.conn.recv()
            except EOFError:  # the main process is gone (stopped by Ctrl-C, say): nothing is wanted any more
                raise SystemExit(1) from None
            if shard is None:
                self.complete = True
            else:
                self.every.append(shard)
                self.waiting.append(shard)
            timeout = 0.0

    def receive_all(self) -> None:
        while not self.complete:
            self.receive(None)

    def take_largest(self) -> Shard:
        """The largest waiting shard (the first of equals), so that the last tasks are small and the workers
        finish together."""
        i = max(range(len(self.waiting)), key=lambda k: len(self.waiting[k][1]))
        return self.waiting.pop(i)


def _make_segments(shards: Iterator[Shard], cache: BuildCache | None, fingerprint: str, jobs: int, bar,
                   parser: "_ParseProcess | None" = None, many: bool = False) -> str:
    """Parse and encode every shard ``shards`` yields: in worker processes forked by ``parser`` when there
    is one (it has the parser loaded already, so even one file is quicker there, and it starts on the first
    shards while the scan goes on), else in a pool of their own when there is enough work, else here.
    ``many``: enough shards for whole-shard tasks are known to come (see :func:`_in_pool`). Returns how the
    work was scheduled."""
    cache_root = str(cache.root) if cache is not None else None

    def done(n: int, packs: Packs) -> None:  # a task's files are parsed
        if cache is not None:
            for name, shas in packs:
                cache.record(name, shas)
        if bar is not None:
            bar.update(n)

    if parser is not None:
        handed: list[Shard] = []
        schedule = parser.run(shards, handed, (cache_root, fingerprint, many), done)
        if schedule is not None:
            return schedule
        print("warning: the parse process died; continuing in this one", file=sys.stderr)
        _in_this_process(handed, cache_root, fingerprint, done)  # (run() took every shard the scan yields)
        return "one process"
    todo = list(shards)
    if not todo:
        return "nothing to parse"
    if jobs > 1 and sum(len(items) for _, items in todo) >= 2 * jobs:
        # no fork on this platform: the workers load the parser themselves
        schedule = _in_pool(_Shards(todo), cache_root, fingerprint, jobs, done, None)
        if schedule is not None:
            return schedule
    _in_this_process(todo, cache_root, fingerprint, done)
    return "one process"


def _in_this_process(shards: list[Shard], cache_root: str | None, fingerprint: str, done) -> None:
    for dest, items in shards:
        if _reusable(segments.read_meta(dest)):  # made already (before a pool broke), or by another build
            continue
        done(len(items), _shard_task(items, cache_root, fingerprint, dest))


def _in_pool(shards: _Shards, cache_root: str | None, fingerprint: str, jobs: int, done, ctx) -> str | None:
    """Build the shards in ``jobs`` worker processes: a whole shard per task when there are at least
    ``WHOLE_SHARDS_FROM`` shards per worker (from the first shard when that many are known to come, else as
    soon as that many have arrived), else runs of files. Returns which, or None when the pool broke (a
    worker was killed): the caller finishes what is left in one process."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        while not (shards.complete or shards.many) and len(shards.every) < WHOLE_SHARDS_FROM * jobs:
            shards.receive(None)
        if shards.many or len(shards.every) >= WHOLE_SHARDS_FROM * jobs:
            _whole_shards(pool, shards, cache_root, fingerprint, jobs, done)
            return "whole shards"
        _runs_of_files(pool, shards.every, cache_root, fingerprint, jobs, done)
        return "runs of files"
    except BrokenProcessPool as exc:
        print(f"warning: worker pool failed ({type(exc).__name__}); continuing in one process", file=sys.stderr)
        return None
    finally:
        pool.shutdown(cancel_futures=True)


def _whole_shards(pool, shards: _Shards, cache_root: str | None, fingerprint: str, jobs: int, done) -> None:
    """Each shard is one task, the largest waiting first (so the last tasks are small and the workers finish
    together), with one task queued beyond the running ones. Handing runs of rows to a separate encode task
    cost ~8 % more CPU than parsing and encoding a shard in one go."""
    from concurrent.futures import FIRST_COMPLETED, wait

    running: dict = {}
    while True:
        shards.receive()
        while shards.waiting and len(running) <= jobs:
            dest, items = shards.take_largest()
            running[pool.submit(_shard_task, items, cache_root, fingerprint, dest)] = len(items)
        if not running:
            if shards.complete:
                return
            shards.receive(None)
            continue
        # while shards still arrive, look for them every 50 ms
        finished, _ = wait(running, timeout=None if shards.complete else 0.05, return_when=FIRST_COMPLETED)
        for fut in finished:
            done(running.pop(fut), fut.result())


def _runs_of_files(pool, shards: list[Shard], cache_root: str | None, fingerprint: str, jobs: int,
                   done) -> None:
    """Too few shards to balance the workers (a small corpus, a rebuild): runs of files go to the workers in
    order, at most ``4 × jobs`` in flight; each worker writes its run's rows next to the shard's segment, and
    when a shard's last run is done, encoding the shard is one more task for the pool."""
    tasks = []  # (shard's segment folder, its chunk files so far, this chunk's file, is the shard's last, items)
    for dest, items in shards:
        folder = cache_mod.temp_dir_for(dest)
        parts = []
        for s in range(0, len(items), CHUNK_SIZE):
            parts.append(folder / f"{len(parts):05d}.pkl")
            tasks.append((dest, parts, parts[-1], s + CHUNK_SIZE >= len(items), items[s:s + CHUNK_SIZE]))
    pending: deque = deque()
    encodes = []
    todo = iter(tasks)

    def submit() -> None:
        t = next(todo, None)
        if t is not None:
            pending.append((t, pool.submit(_chunk_task, t[4], cache_root, fingerprint, t[2])))

    for _ in range(4 * jobs):
        submit()
    while pending:
        (dest, parts, _, last, items), fut = pending.popleft()
        done(len(items), fut.result())
        submit()
        if last:
            encodes.append(pool.submit(_encode_task, parts, dest))
    for f in encodes:
        f.result()


# ---------------------------------------------------------------------------------------------- the parse process
class _ParseProcess:
    """A process forked at the start of a parallel build, which loads the parser (its modules and every
    dictionary, ~0.6 s) and then forks the workers, which inherit it all and share it.

    Why a process of its own: the main process meanwhile hashes the files and imports pandas (~0.4 s), which
    only its corpus stage needs, so neither waits for the other; and the workers, forked from a process
    without pandas, are told never to look for it (:func:`_pyarrow_without_pandas`). Forking the workers
    from the main process after both loads kept one core idle for about a second of every build.

    It is handed each shard as soon as the main process's scan has hashed its files, reports each finished
    task back (the main process keeps the progress bar and the cache index), and exits."""

    def __init__(self, jobs: int):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_parse_process, args=(child, self.conn, jobs), name="helpers-parse")
        self.proc.start()
        child.close()

    @classmethod
    def start(cls, jobs: int) -> "_ParseProcess | None":
        import multiprocessing as mp

        return cls(jobs) if "fork" in mp.get_all_start_methods() else None

    def run(self, shards: Iterator[Shard], handed: list[Shard], job: tuple[str | None, str, bool],
            done) -> str | None:
        """Hand it ``job`` (cache root, fingerprint, many: see :func:`_make_segments`) and each shard as the
        scan yields it (and to ``handed``), then call ``done`` per finished task. Returns how it scheduled
        them ("nothing to parse" when there was nothing to hand), or None when it died first (or its pool
        broke): the caller builds what is left of ``handed``.

        It says nothing before it has every shard (see :func:`_parse_process`), so neither side can be stuck
        sending to the other."""
        alive = True
        for shard in shards:  # the scan goes on even if it has died: the caller needs every shard then
            if alive and not handed:
                alive = self._send(job)
            handed.append(shard)
            alive = alive and self._send(shard)
        if not handed:
            return "nothing to parse"
        if alive:
            self._send(None)
        try:
            while True:
                # Its workers hold its end of the pipe too, so its death alone may not end a read: ask.
                if not self.conn.poll(0.5):
                    if self.proc.is_alive():
                        continue
                    if not self.conn.poll(0):
                        return None  # it died (killed for memory, say) with nothing more to say
                msg = self.conn.recv()
                if msg[0] == "done":
                    done(*msg[1:])
                elif msg[0] == "error":
                    raise msg[1]
                else:
                    return msg[1]
        except (EOFError, OSError):  # it died
            return None

    def _send(self, obj) -> bool:
        try:
            self.conn.send(obj)
            return True
        except OSError:  # it died
            return False

    def close(self) -> None:
        """Stop it if it is still running (nothing to parse, or the build failed), and reap it. Closing the
        pipe is enough when it waits for shards; while it loads, it is told to stop (it then stops its pool)."""
        self.conn.close()
        self.proc.join(timeout=0.1)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=10)
        if self.proc.is_alive():  # pragma: no cover - it ignored the request
            self.proc.kill()
            self.proc.join()


def _parse_process(conn, parent_end, jobs: int) -> None:
    """The body of :class:`_ParseProcess`."""
    import multiprocessing as mp
    import signal

    # Ctrl-C is for the main process, which then stops this one; this one then stops its workers first, which
    # inherit the ignored Ctrl-C: one traceback, not one per process, and no task left running.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    parent_end.close()  # (inherited by the fork) so that the main process closing it reads here as the end
    try:
        _pyarrow_without_pandas()
        _warm_up()
        gc.collect()
        gc.freeze()  # the collector never walks (and so never writes to) what the workers inherit: it stays shared
        try:
            cache_root, fingerprint, many = conn.recv()
        except EOFError:  # the main process needs no parsing after all
            return
        shards = _Shards(conn=conn, many=many)
        said: list[tuple] = []

        def say(msg: tuple) -> None:  # the main process reads only once it has sent every shard: till then, keep
            said.append(msg)
            if shards.complete:
                for m in said:
                    conn.send(m)
                said.clear()

        def done(n: int, packs: Packs) -> None:
            say(("done", n, packs))

        try:
            schedule = _in_pool(shards, cache_root, fingerprint, jobs, done, mp.get_context("fork"))
            if schedule is None:
                shards.receive_all()
                _in_this_process(shards.every, cache_root, fingerprint, done)
                schedule = "one process (the pool broke)"
        except Exception as exc:  # noqa: BLE001 (handed to the main process, which raises it)
            where = "".join(traceback.format_exception(exc))
            exc.add_note(f"(raised in the parse process)\n{where}")
            try:
                pickle.dumps(exc)
            except Exception:  # it does not pickle
                exc = RuntimeError(f"the parse process failed:\n{where}")
            shards.receive_all()
            say(("error", exc))
            return
        shards.receive_all()
        say(("end", schedule))
    finally:
        _stop_workers()


def _stop_workers() -> None:
    """Terminate this process's children (the pool's workers), mid-task or not."""
    import multiprocessing as mp

    for child in mp.active_children():
        child.terminate()


def _stop(*_) -> None:
    """The parse process's SIGTERM: stop the workers, then unwind."""
    _stop_workers()
    sys.exit(1)


def _worker_start(parent: int) -> None:
    """A worker dies with the process that forked it, and at once when told to stop: on Linux the kernel
    sends it SIGTERM when that process dies however it dies (killed for memory, say), and SIGTERM is not the
    parse process's handler (inherited by the fork) but the default. Otherwise a worker whose parent is gone
    waits for its next task forever. (Ctrl-C stays ignored: the main process handles it.)"""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: best effort only
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _pyarrow_without_pandas() -> None:
    """Let this process (and those it forks) convert Python lists to Arrow without importing pandas.

    pyarrow imports pandas the first time it converts anything, to check whether it was handed a pandas
    object: 0.3–0.45 s in every parse worker, which hands it only lists. With pandas unimportable during that
    first check, pyarrow notes that there is none and conversions never look again; an explicit use (say
    ``Table.to_pandas``) still imports it, as pyarrow tries again then (tested). Nothing is done when pandas
    is already imported."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    sys.meta_path.insert(0, _NoPandas)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(_NoPandas)


class _NoPandas:
    """An import finder under which ``import pandas`` fails (None in sys.modules does not: Cython's import
    takes it as the module)."""

    @staticmethod
    def find_spec(name: str, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not looked for here", name=name)
        return None


def build(raw_dir: Path | str, out_dir: Path | str, *, jobs: int | None = None, force: bool = False,
          cache_dir: Path | str | None | bool = None, csv: bool = True, quiet: bool = False,
          shard_size: int = SHARD_SIZE, corpus: bool = True) -> BuildSummary:
    """Parse every report file under ``raw_dir`` and write every table to ``out_dir``.

    ``jobs``: worker processes (default: all cores). ``cache_dir``: where per-file results and shard
    segments are kept (default ``out_dir/.cache/parse``; ``False`` disables the cache). ``force``: ignore
    cached results. ``corpus``: run the corpus-level stage (carry-over checks, recycled problems text);
    without it the similar_problems table is written empty.
    """
    t0 = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no such folder: {raw_dir}")
    jobs = jobs or os.cpu_count() or 1
    fingerprint = code_fingerprint()
    cache = None
    if cache_dir is not False:
        cache = BuildCache(Path(cache_dir) if cache_dir else out_dir / ".cache" / "parse", fingerprint)

    files = list_files(raw_dir, exclude=out_dir)
    parser = _ParseProcess.start(jobs) if jobs > 1 and len(files) >= 2 * jobs else None
    try:
        if parser is not None:
            _preload()
        return _build(raw_dir, out_dir, files, parser, t0=t0, jobs=jobs, force=force, cache=cache, csv=csv,
                      quiet=quiet, shard_size=shard_size, corpus=corpus, fingerprint=fingerprint)
    finally:
        if parser is not None:
            parser.close()


def _build(raw_dir: Path, out_dir: Path, files: list[tuple[str, Path]], parser: _ParseProcess | None, *,
           t0: float, jobs: int, force: bool, cache: BuildCache | None, csv: bool, quiet: bool, shard_size: int,
           corpus: bool, fingerprint: str) -> BuildSummary:
    summary = BuildSummary(out_dir=out_dir)
    if parser is not None:
        t0 = summary.mark("start", t0)  # listing the files and importing pandas (while the parser loads)
    index = cache.load_index() if cache is not None and not force else {}
    bounds = shard_bounds([rid for rid, _ in files], shard_size)
    stage = store.stage_dir(out_dir)
    plan = _Plan()
    bar = _progress(len(files), quiet)

    def scanned() -> None:  # (a parallel build is parsing the first shards by now)
        summary.n_files = len(plan.entries)
        summary.n_cached = sum(e.kind in ("new", "cached") for e in plan.entries) - plan.n_new
        summary.mark("scan", t0)
        if bar is not None:
            bar.update(plan.n_reused)
        elif quiet is False and not sys.stderr.isatty():
            print(f"build: {len(plan.entries)} files in {raw_dir}, {plan.n_new} to parse, {summary.n_cached} "
                  f"cached, {jobs} job(s)", file=sys.stderr)

    try:
        try:
            shards = _plan(files, bounds, index, plan, fingerprint=fingerprint, cache=cache, force=force,
                           stage=stage, scanned=scanned)
            # every shard is to be made (nothing was built before, or it is forced): with enough of them, the
            # workers take whole shards from the first one on
            many = len(bounds) >= WHOLE_SHARDS_FROM * jobs and (force or not index)
            summary.schedule = _make_segments(shards, cache, fingerprint, jobs, bar, parser, many)
        finally:
            if bar is not None:
                bar.close()
        summary.mark("parse and encode", t0 + summary.phases["scan"])  # (the rest of it, in a parallel build)
        metas = [segments.read_meta(d) for d in plan.dests]
        _finish(stage, out_dir, plan.dests, metas, summary, csv=csv, corpus_stage=corpus, cache=cache,
                move=cache is None, parallel=jobs > 1)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    t = time.perf_counter()
    if cache is not None:
        cache.prune(keep_segments=set(plan.keys))
        cache.save_packs({e.sha for e in plan.entries if e.kind in ("new", "cached")})
        live = {rid for rid, _ in files}
        cache.save_index({rid: v for rid, v in index.items() if rid in live})
    summary.mark("cache upkeep", t)
    summary.seconds = time.perf_counter() - t0
    return summary


def _finish(stage: Path, out_dir: Path, dests: list[Path], metas: list, summary: BuildSummary, *, csv: bool,
            corpus_stage: bool, cache: BuildCache | None, move: bool, parallel: bool = False) -> None:
    """Segments → staged tables → corpus stage → data dictionary → every file moved into ``out_dir``.

    In a parallel build the tables are assembled in a forked child while the corpus stage computes here: it
    reads the segments, not the assembled tables, and waits for them only to append its rows (the assembly
    is mostly the kernel copying CSV: 0.4 s at 10,000 reports, 17 s at 100,000)."""
    t = time.perf_counter()
    years: dict[str, str] = {}
    for meta in metas:
        if meta is None:
            raise RuntimeError("a shard's segment is missing after the parse; rebuild with --force")
        years.update(meta.rid_years)
        for c in COUNTERS:
            setattr(summary, c, getattr(summary, c) + meta.counts.get(c, 0))
    if parallel:
        assembled = _assembling(dests, stage, csv=csv, move=move)
    else:
        segments.assemble(dests, stage, csv=csv, move=move)
        t = summary.mark("assemble", t)
        assembled = lambda: None  # noqa: E731
    corpus.run(stage, years, csv=csv, enabled=corpus_stage, cache=cache, parallel=parallel, segment_dirs=dests,
               assembled=assembled)
    assembled()
    t = summary.mark("assemble and corpus stage" if parallel else "corpus stage", t)
    from .dictionary import write_dictionary

    write_dictionary(stage / "README.md")
    store.commit(stage, out_dir)
    summary.mark("commit", t)


def _assembling(dests: list[Path], stage: Path, *, csv: bool, move: bool):
    """Start assembling the tables in a forked child; returns a function that waits for it (at once after
    the first call) and raises if it failed."""
    child = corpus.Forked(stage / ".assemble.pkl", partial(segments.assemble, csv=csv, move=move), dests, stage)

    def assembled() -> None:
        child.result()
        if child.proc.exitcode:
            raise RuntimeError(f"assembling the tables in {stage} failed (exit code {child.proc.exitcode}; "
                               f"its traceback is above)")

    return assembled


def write_outcomes(items: Iterable[tuple[_Entry, "Outcome | None"]], out_dir: Path | str,
                   summary: BuildSummary | None = None, *, csv: bool = True, corpus: bool = True,
                   shard_size: int = SHARD_SIZE) -> BuildSummary:
    """Stream per-file outcomes (in report_id order) into every table, ``shard_size`` files at a time."""
    out_dir = Path(out_dir)
    summary = summary if summary is not None else BuildSummary(out_dir=out_dir)
    stage = store.stage_dir(out_dir)
    try:
        dests, metas, rows, n = [], [], Rows(), 0
        for e, outcome in items:
            rows.add(e.report_id, e.kind, outcome, sha=e.sha, original=e.original, error=e.error)
            n += 1
            if n == shard_size:
                dests.append(stage / ".segments" / f"{len(dests):05d}")
                metas.append(segments.write_segment(rows.chunk(), dests[-1]))
                rows, n = Rows(), 0
        if n or not dests:
            dests.append(stage / ".segments" / f"{len(dests):05d}")
            metas.append(segments.write_segment(rows.chunk(), dests[-1]))
        _finish(stage, out_dir, dests, metas, summary, csv=csv, corpus_stage=corpus, cache=None, move=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return summary


def write_results(results: Iterable[tuple[str, str, "Outcome"]], out_dir: Path | str, **kw) -> BuildSummary:
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
           "write_results", "write_outcomes", "code_fingerprint"]
