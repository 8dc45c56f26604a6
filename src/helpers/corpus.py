"""The corpus stage: results that need several reports at once, run after every file is parsed.

Carry-over continuity compares an agency's consecutive years; recycled problems text compares every report's
problems section with every other's. Both read narrow columns only (what their modules declare), and each
is cached by a hash of those inputs, the carry-over check even per agency, so a rebuild that adds one report
redoes only what that report can change.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from . import segments, store
from .cache import BuildCache, dump, load
from .model import describe_error


def _inputs(stage: Path, module: str, table: str, fallback: list[str]) -> "object":
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
    """Content hash of a corpus step's narrowed inputs: equal inputs → the cached result is reused.

    Hashes pandas' per-row hashes (8 bytes a row) rather than a serialised copy of the inputs, which at
    100,000 reports would double the problems texts in memory."""
    h = hashlib.sha256(name.encode())
    for t in sorted(frames):
        df = frames[t]
        h.update("\x1f".join([t, *map(str, df.columns), str(len(df))]).encode())
        h.update(_row_hashes(df).tobytes())
    return h.hexdigest()[:32]


def _step_cache(cache: "BuildCache | None", name: str, frames: dict) -> tuple[Path | None, object]:
    """Where a corpus step's result for these inputs is kept, and the result when a build already made it
    (the cache folder is per code fingerprint, so a code change recomputes)."""
    if cache is None:
        return None, None
    path = cache.dir / "corpus" / f"{name}-{_frames_key(name, frames)}.pkl"
    return path, load(path) if path.exists() else None


def _keep(path: Path | None, name: str, rows) -> None:
    """Cache a step's result as the only one of its name (the inputs of the next build are mostly these)."""
    if path is None:
        return
    try:
        if path.parent.is_dir():
            for old in path.parent.glob(f"{name}-*.pkl"):
                old.unlink(missing_ok=True)
        dump(path, rows)
    except OSError:
        pass


class _Forked:
    """A corpus step run in a forked child while the main process does the other step: the child inherits
    its inputs without a copy and hands its result back through a file."""

    def __init__(self, out: Path, module: str, func: str, *args):
        import multiprocessing as mp

        self.out = out
        self.proc = mp.get_context("fork").Process(target=_child, args=(out, module, func, *args), daemon=True)
        self.proc.start()

    def result(self, errors: list[dict], what: str):
        self.proc.join()
        got = load(self.out)
        self.out.unlink(missing_ok=True)
        if got is None:
            errors.append({"file": "", "stage": what.split(".")[0], "error": "WorkerDied",
                           "detail": f"corpus stage {what}: the worker exited with code {self.proc.exitcode}"})
            return None
        rows, errs = got
        errors += errs
        return rows


def _child(out: Path, module: str, func: str, *args) -> None:
    errs: list[dict] = []
    rows = _call_optional(module, func, errs, *args, records=False)
    dump(out, (rows, errs))


_AGENCY_COLUMNS = ("province", "prefecture", "county", "agency")  # audit's key for "the same agency"


def _checks_by_agency(cache: "BuildCache | None", frames: dict, errors: list[dict]):
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
    previous = load(path) or {}
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
            dump(path, {g: (current[g], by_group[g]) for g in current})
        except OSError:
            pass
    out = [r for g in names for r in by_group[str(g)]]
    out.sort(key=lambda r: str(r["report_id"]))  # stable: each report's rows keep their order
    return out


def _row_hashes(df) -> "object":
    import pandas as pd

    return pd.util.hash_pandas_object(df, index=False).to_numpy()


def run(stage: Path, years: dict[str, str], *, csv: bool = True, enabled: bool = True,
        cache: "BuildCache | None" = None, parallel: bool = False) -> None:
    """Results that need several reports: carry-over continuity checks and recycled problems text.

    Each step reads only the columns and rows it needs from the staged Parquet, and is skipped (its last
    result reused) when those inputs have not changed since the last build. With ``parallel``, recycled
    text is computed in a forked child while the carry-over checks run here. The check rows follow every
    per-report check (``part-corpus``), so adding them never rewrites the per-report rows."""
    errors: list[dict] = []
    similar = forked = None
    if enabled:
        sim_in = {t: store.read_table(stage, t, cols=c) for t, c in _SIMILARITY_INPUTS.items()}
        sim_path, similar = _step_cache(cache, "similar_problems", sim_in)
        if similar is None and parallel:
            forked = _Forked(stage / ".similar_problems.pkl", "similarity", "similar_problems", sim_in["problems"],
                             sim_in["reports"])
        elif similar is None:
            n_errors = len(errors)
            similar = _call_optional("similarity", "similar_problems", errors, sim_in["problems"], sim_in["reports"],
                                     records=False)
            if len(errors) == n_errors:
                _keep(sim_path, "similar_problems", similar)
        del sim_in
        audit_in = {t: _inputs(stage, "audit", t, store.columns(t)) for t in ("reports", "requests", "disclosure")}
        extra = _checks_by_agency(cache, audit_in, errors)
        del audit_in
        if extra:
            extra = sorted(extra, key=lambda r: str(r["report_id"]))  # stable: a report's rows keep their order
            segments.append(stage, "checks", store.to_arrow("checks", extra),
                            [years.get(str(r["report_id"]), "unknown") for r in extra], csv=csv)
        del extra
        if forked is not None:
            n_errors = len(errors)
            similar = forked.result(errors, "similarity.similar_problems")
            if len(errors) == n_errors:
                _keep(sim_path, "similar_problems", similar)
    tbl = store.arrow_schema("similar_problems").empty_table()
    if similar is not None and len(similar):
        cols = store.columns("similar_problems")
        tbl = (pa.Table.from_pandas(similar[cols], schema=store.arrow_schema("similar_problems"), preserve_index=False)
               if hasattr(similar, "columns") else store.to_arrow("similar_problems", similar))
    store.write_small_table(stage, "similar_problems", tbl, csv=csv)
    if errors:  # appended to load_errors: a corpus-stage bug must not lose the per-file tables
        segments.append(stage, "load_errors", store.to_arrow("load_errors", errors), csv=csv)


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
                       "detail": f"corpus stage {module}.{func}: {describe_error(e)}"})
        return None
    if rows is None:
        return None
    if not records:
        return rows
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    return list(rows)
