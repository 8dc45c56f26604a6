"""The corpus stage: results that need several reports at once, run after every file is parsed.

Carry-over continuity compares an agency's consecutive years; recycled problems text compares every report's
problems section with every other's. Both read narrow columns only (what their modules declare), and each
is cached by a hash of those inputs, the carry-over check even per agency, so a rebuild that adds one report
redoes only what that report can change.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow as pa

from . import audit, corpus_inputs, segments, store
from .cache import BuildCache, dump, load
from .model import describe_error


def _inputs(stage: Path, segment_dirs: list[Path] | None, table: str, cols: list[str],
            filters: list | None = None, assembled=lambda: None) -> "object":
    """One table narrowed to what a corpus-level step reads (the columns and rows it declares): from the
    segments' narrow files (:mod:`helpers.corpus_inputs`, one file a shard), else from the staged Parquet
    (once ``assembled()`` has returned)."""
    if segment_dirs is not None:
        df = corpus_inputs.read(segment_dirs, table, cols, filters)
        if df is not None:
            return df
    assembled()
    return store.read_table(stage, table, filters=filters, cols=cols)


def _frames_key(name: str, frames: dict) -> str:
    """Content hash of a corpus step's narrowed inputs: equal inputs → the cached result is reused.

    Hashes pandas' per-row hashes (8 bytes a row) rather than a serialised copy of the inputs, which at
    100,000 reports would double the problems texts in memory."""
    h = hashlib.sha256(name.encode())
    for t in sorted(frames):
        df = frames[t]
        h.update("\x1f".join([t, *map(str, df.columns), str(len(df))]).encode())
        h.update(_row_hashes(df).tobytes())
    return h.hexdigest()[:32]


class Forked:
    """A step run in a forked child while the main process does another (a corpus step, assembling the
    tables): the child inherits its inputs without a copy, writes its own output files, and hands back only a
    small result."""

    def __init__(self, out: Path, fn, *args):
        import multiprocessing as mp

        self.out = out
        self.proc = mp.get_context("fork").Process(target=_child, args=(out, fn, *args), daemon=True)
        self.proc.start()

    def result(self):
        """The function's return value, or None when the child died before returning."""
        self.proc.join()
        got = load(self.out)
        self.out.unlink(missing_ok=True)
        return got


def _child(out: Path, fn, *args) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's: it ends this child on its way out
    dump(out, fn(*args))


def _similarity_step(stage: Path, sim_in: dict, keep: Path | None, csv: bool) -> list[dict]:
    """Recycled text: compute it, write the similar_problems table, keep it (Arrow) for the next build.

    Writes its own table so that a forked child never sends the rows back (at 100,000 reports they are
    ~0.5 GB of passages); returns only the load errors."""
    from . import similarity  # (44 ms of imports that only this step needs)

    errors: list[dict] = []
    similar = _guarded(similarity, "similar_problems", errors, sim_in["problems"], sim_in["reports"])
    tbl = _similar_table(similar)
    store.write_small_table(stage, "similar_problems", tbl, csv=csv)
    if keep is not None and not errors:  # never cache a crash
        _keep_table(keep, tbl)
    return errors


def _similar_table(similar) -> pa.Table:
    schema = store.arrow_schema("similar_problems")
    if similar is None or not len(similar):
        return schema.empty_table()
    if hasattr(similar, "columns"):
        return pa.Table.from_pandas(similar[store.columns("similar_problems")], schema=schema, preserve_index=False)
    return store.to_arrow("similar_problems", similar)


def _keep_table(path: Path, tbl: pa.Table) -> None:
    """Cache a table as the only one of its step (an Arrow file, read back memory-mapped)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{path.name.split('-')[0]}-*.arrow"):
            old.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, tbl.schema) as w:
            w.write_table(tbl)
        tmp.replace(path)
    except OSError:
        pass


def _kept_table(path: Path | None) -> pa.Table | None:
    if path is None or not path.exists():
        return None
    try:
        return pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    except (OSError, pa.ArrowInvalid):
        return None


# Up to this many reports, recycled text (in a forked child) and the carry-over checks (here) run at the same
# time. Beyond it each holds hundreds of MB, so they run one after the other: at 100,000 reports the corpus
# stage's peak is then the larger of the two instead of their sum, for a few more seconds.
OVERLAP_MAX_REPORTS = 25_000

_AGENCY_COLUMNS = ("province", "prefecture", "county", "agency")  # audit's key for "the same agency"


def _checks_by_agency(cache: "BuildCache | None", frames: dict, errors: list[dict]):
    """corpus_checks, recomputed only for the agencies whose inputs changed since the last build.

    A report's carry-over check reads only reports of its own agency (same province, prefecture, county and
    name), so the rows are cached per agency under a hash of that agency's narrow rows; adding a report
    re-runs the check for its agency alone. The rows come out in the order a full run gives them."""
    import numpy as np

    reports = frames["reports"]
    if cache is None or not len(reports) or not set(_AGENCY_COLUMNS) <= set(reports.columns):
        return _guarded(audit, "corpus_checks", errors, frames)
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
    previous = load(path) or {}
    current = {str(nm): int(d) for nm, d in zip(names, digest)}
    changed = {g for g, d in current.items() if g not in previous or previous[g][0] != d}
    by_group: dict[str, list[dict]] = {g: previous[g][1] for g in current if g not in changed}
    if changed:
        subset = frames  # every agency changed, as in a first build: no copy (seconds at 100,000 reports)
        if len(changed) < len(current):
            wanted = group.isin(changed).to_numpy()
            rids = set(reports["report_id"][wanted])
            subset = {t: (df[wanted] if t == "reports" else df[df["report_id"].isin(rids)])
                      for t, df in frames.items()}
        n_errors = len(errors)
        rows = _guarded(audit, "corpus_checks", errors, subset)
        if len(errors) > n_errors:
            return None
        for g in changed:
            by_group[g] = []
        for r in rows or []:
            by_group[rid_group[r["report_id"]]].append(r)
        try:
            dump(path, {g: (current[g], by_group[g]) for g in current})
        except OSError:
            pass
    return [r for g in names for r in by_group[str(g)]]  # (run() sorts them by report, as a full run's)


def _row_hashes(df) -> "object":
    import pandas as pd

    return pd.util.hash_pandas_object(df, index=False).to_numpy()


def run(stage: Path, years: dict[str, str], *, csv: bool = True, enabled: bool = True,
        cache: "BuildCache | None" = None, parallel: bool = False, segment_dirs: list[Path] | None = None,
        assembled=lambda: None) -> None:
    """Results that need several reports: carry-over continuity checks and recycled problems text.

    Each step reads only the columns and rows it needs (from the segments' narrow files when given, else
    from the staged Parquet), and is skipped (its last result reused) when those inputs have not changed
    since the last build. With ``parallel``, recycled text is computed in a forked child, at the same time
    as the carry-over checks here up to ``OVERLAP_MAX_REPORTS``. The check rows follow every per-report
    check (``part-corpus``), so adding them never rewrites the per-report rows. ``assembled()`` waits until
    the per-report tables are in ``stage`` (the build may still be assembling them): it is called before a
    row is appended to them or they are read."""
    errors: list[dict] = []
    if not enabled:
        store.write_small_table(stage, "similar_problems", _similar_table(None), csv=csv)
        return
    sim_in = {t: _inputs(stage, segment_dirs, t, c, assembled=assembled)
              for t, c in corpus_inputs.SIMILARITY.items()}
    keep = cache.dir / "corpus" / f"similar_problems-{_frames_key('similar_problems', sim_in)}.arrow" \
        if cache is not None else None
    forked = None
    kept = _kept_table(keep)
    if kept is not None:
        store.write_small_table(stage, "similar_problems", kept, csv=csv)
    elif parallel:
        forked = Forked(stage / ".similar_problems.pkl", _similarity_step, stage, sim_in, keep, csv)
    else:
        errors += _similarity_step(stage, sim_in, keep, csv)
    del sim_in, kept
    if forked is not None and len(years) > OVERLAP_MAX_REPORTS:  # at scale, memory first: one step at a time
        errors += _similarity_result(forked, stage, csv)
        forked = None
    audit_in = {t: _inputs(stage, segment_dirs, t, cols, audit.CORPUS_FILTERS.get(t), assembled)
                for t, cols in audit.CORPUS_COLUMNS.items()}
    extra = _checks_by_agency(cache, audit_in, errors)
    del audit_in
    if extra:
        extra = sorted(extra, key=lambda r: str(r["report_id"]))  # stable: a report's rows keep their order
        assembled()
        segments.append(stage, "checks", store.to_arrow("checks", extra),
                        [years.get(str(r["report_id"]), "unknown") for r in extra], csv=csv)
    del extra
    if forked is not None:
        errors += _similarity_result(forked, stage, csv)
    if errors:  # appended to load_errors: a corpus-stage bug must not lose the per-file tables
        assembled()
        segments.append(stage, "load_errors", store.to_arrow("load_errors", errors), csv=csv)


def _similarity_result(forked: Forked, stage: Path, csv: bool) -> list[dict]:
    """Wait for the similarity child: its load errors, or one saying it died (and an empty table)."""
    errs = forked.result()
    if errs is None:  # the child died: no similar_problems rows, and a load error that says so
        errs = [{"file": "", "stage": "similarity", "error": "WorkerDied",
                 "detail": f"corpus stage similarity.similar_problems: the worker exited with code "
                           f"{forked.proc.exitcode}"}]
        shutil.rmtree(stage / "parquet" / "similar_problems", ignore_errors=True)  # half-written, maybe
        store.write_small_table(stage, "similar_problems", _similar_table(None), csv=csv)
    return errs


def _guarded(module, func: str, errors: list[dict], *args):
    """Call a corpus-level function (looked up at call time); a crash becomes a load error and None, so the
    build goes on without that function's rows."""
    try:
        return getattr(module, func)(*args)
    except Exception as e:
        stage = module.__name__.rsplit(".", 1)[-1]
        errors.append({"file": "", "stage": stage, "error": type(e).__name__,
                       "detail": f"corpus stage {stage}.{func}: {describe_error(e)}"})
        return None
