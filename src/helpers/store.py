"""Output tables on disk: one schema, the CSV + partitioned Parquet layout, atomic commits, reading back.

Why a fixed schema: the CSV and the Parquet of a table must read back to the same dtypes, and a blank
number must stay missing (NaN/NA), never 0. String columns are never null (missing text is ``""``), numeric
columns are nullable. Rows are written shard by shard (see :mod:`helpers.segments`), so memory stays bounded
however large the corpus.
"""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

import pyarrow as pa

STR, INT, FLOAT = "str", "int", "float"

# Column order and types of every output table (docs/architecture.md is the contract).
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "reports": [("report_id", STR), ("agency", STR), ("province", STR), ("prefecture", STR), ("county", STR),
                ("level", STR), ("year", INT), ("template", STR), ("published", STR), ("sha256", STR),
                ("n_chars", INT), ("encoding", STR), ("status", STR), ("n_warnings", INT), ("alias", STR),
                ("title", STR)],
    "disclosure": [("report_id", STR), ("item", STR), ("measure", STR), ("value", FLOAT), ("unit", STR),
                   ("raw", STR), ("line", INT)],
    "requests": [("report_id", STR), ("row", STR), ("applicant", STR), ("value", FLOAT), ("status", STR),
                 ("raw", STR), ("line", INT)],
    "appeals": [("report_id", STR), ("proceeding", STR), ("result", STR), ("value", FLOAT), ("status", STR),
                ("raw", STR), ("line", INT)],
    "checks": [("report_id", STR), ("check", STR), ("scope", STR), ("holds", STR), ("detail", STR)],
    "warnings": [("report_id", STR), ("stage", STR), ("line", INT), ("message", STR)],
    "load_errors": [("file", STR), ("stage", STR), ("error", STR), ("detail", STR)],
    "figures": [("report_id", STR), ("metric", STR), ("value", FLOAT), ("unit", STR), ("qualifier", STR),
                ("quote", STR), ("line", INT)],
    "problems": [("report_id", STR), ("part", STR), ("text", STR), ("line_start", INT), ("line_end", INT)],
    "tokens": [("report_id", STR), ("part", STR), ("token", STR), ("count", INT)],
    "themes": [("report_id", STR), ("part", STR), ("theme", STR), ("evidence", STR), ("line", INT)],
    "similar_problems": [("report_id_a", STR), ("report_id_b", STR), ("similarity", FLOAT),
                         ("shared_passage", STR)],
}
TABLES = tuple(SCHEMA)
_ARROW = {STR: pa.string(), INT: pa.int64(), FLOAT: pa.float64()}
PANDAS_DTYPES = {STR: "str", INT: "Int64", FLOAT: "float64"}


def columns(table: str) -> list[str]:
    return [c for c, _ in SCHEMA[table]]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(c, _ARROW[t]) for c, t in SCHEMA[table]])


def _clean(value, kind: str):
    """One cell → the column's type. Strings never null; numbers null when blank (never 0)."""
    if kind == STR:
        if value is None:
            return ""
        if isinstance(value, float) and value != value:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    if value is None or value == "":
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        if kind == INT:
            return int(value)
        return float(value)
    except (TypeError, ValueError):
        return None


def to_arrow(table: str, rows: Iterable[dict]) -> pa.Table:
    """Row dicts (extra keys ignored, missing keys empty) → an Arrow table with the table's schema."""
    spec = SCHEMA[table]
    cols: dict[str, list] = {c: [] for c, _ in spec}
    for r in rows:
        for c, kind in spec:
            cols[c].append(_clean(r.get(c), kind))
    return pa.table({c: pa.array(cols[c], type=_ARROW[k]) for c, k in spec}, schema=arrow_schema(table))


def replace_atomic(tmp: Path, final: Path) -> None:
    """Move a finished file (or folder) into place; readers see the old or the new one, never half."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if tmp.is_dir():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


# ---------------------------------------------------------------------------------------------- on-disk layout
# Every table is written as ``<table>.csv`` and as a Parquet dataset ``parquet/<table>/``: one file per part
# (a shard of reports, written once and reused while its reports do not change) and, for tables with
# per-report rows, per year: ``parquet/requests/year=2022/part-00003.parquet``. Parts named ``part-corpus``
# hold the rows the corpus stage adds after every per-report row. Reading a table back concatenates the parts
# in order, so it gives the CSV's rows in the CSV's order.
PARTITIONED = tuple(t for t in TABLES if t not in ("load_errors", "similar_problems"))
CORPUS_PART = "part-corpus"


def write_csv(dest, tbl: pa.Table, header: bool = False) -> None:
    """Rows as CSV (UTF-8, quoted only where needed), streamed to ``dest`` (a path, or a file open for
    binary writing) and never built as one bytes object: at 100,000 reports a table is gigabytes of CSV.
    Without a header the rows append to a table's file."""
    import pyarrow.csv as pacsv

    opts = pacsv.WriteOptions(include_header=header, quoting_style="needed")
    pacsv.write_csv(tbl, str(dest) if isinstance(dest, Path) else dest, write_options=opts)


def csv_header(table: str) -> bytes:
    sink = pa.BufferOutputStream()
    write_csv(sink, arrow_schema(table).empty_table(), header=True)
    return sink.getvalue().to_pybytes()


def write_part(folder: Path, table: str, tbl: pa.Table, years, name: str) -> None:
    """One part of a table's Parquet dataset under ``folder/<table>/``; per year for partitioned tables.

    ``years`` gives each row's partition key (a report's year, or ``unknown``). The ``year`` column of
    ``reports`` lives in the folder name, as hive partitioning expects."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    base = folder / table
    if table not in PARTITIONED:
        base.mkdir(parents=True, exist_ok=True)
        pq.write_table(tbl, base / f"{name}.parquet", compression="zstd")
        return
    keys = pa.array(years, type=pa.string())
    data = tbl.drop_columns(["year"]) if "year" in tbl.column_names else tbl
    uniq = sorted(pc.unique(keys).to_pylist())
    for key in uniq:
        part = data if len(uniq) == 1 else data.filter(pc.equal(keys, key))
        (base / f"year={key}").mkdir(parents=True, exist_ok=True)
        pq.write_table(part, base / f"year={key}" / f"{name}.parquet", compression="zstd")


def write_small_table(out_dir: Path, table: str, tbl: pa.Table, years=None, *, csv: bool = True) -> None:
    """A whole table written in one go (a few rows: tests, a table produced by one step)."""
    if csv:
        write_csv(out_dir / f"{table}.csv", tbl, header=True)
    (out_dir / "parquet" / table).mkdir(parents=True, exist_ok=True)
    if tbl.num_rows:
        write_part(out_dir / "parquet", table, tbl, years if years is not None else ["unknown"] * tbl.num_rows,
                   "part-00000")


def _part_groups(folder: Path) -> list[list[tuple[Path, str | None]]]:
    """A table's Parquet files grouped by part, numbered parts in order and the corpus part last."""
    groups: dict[str, list[tuple[Path, str | None]]] = {}
    for p in sorted(folder.rglob("*.parquet")):
        year = p.parent.name[len("year="):] if p.parent.name.startswith("year=") else None
        groups.setdefault(p.stem, []).append((p, year))
    return [groups[k] for k in sorted(groups, key=lambda k: (k == CORPUS_PART, k))]


def _read_parts(folder: Path, table: str, cols: list[str] | None, filters) -> pa.Table:
    """Concatenate the parts of ``parquet/<table>/`` back into the CSV's row order: a part's rows are spread
    over its year files, and a stable sort by report_id within the part restores their order.

    One ``pq.read_table`` per file, group by group. (One pyarrow dataset scan over all the files read 2×
    faster, but the build's peak memory at 100,000 reports rose from ~1.2 to ~1.7 GB with it, in every
    variant tried: threads or not, mimalloc or the system allocator, groups streamed or not.)"""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    wanted = columns(table) if cols is None else list(cols)
    in_file = [c for c in wanted if not (table == "reports" and c == "year")]
    sort = table in PARTITIONED
    read_cols = in_file + (["report_id"] if sort and "report_id" not in in_file else [])
    pieces = []
    for group in _part_groups(folder):
        tables = []
        for path, year in group:
            tbl = pq.read_table(path, columns=read_cols, filters=filters or None)
            if table == "reports" and "year" in wanted:
                value = int(year) if year not in (None, "unknown") else None
                tbl = tbl.append_column("year", pa.array([value] * tbl.num_rows, type=pa.int64()))
            tables.append(tbl)
        if not tables:
            continue
        tbl = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        if sort and len(tables) > 1:
            tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("report_id", "ascending")]))
        pieces.append(tbl.select(wanted))
    out_schema = pa.schema([schema.field(c) for c in wanted])
    return pa.concat_tables(pieces) if pieces else out_schema.empty_table()


def stage_dir(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    d = out_dir / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    d.mkdir()
    return d


def commit(stage: Path, out_dir: Path) -> None:
    """Move every staged file into ``out_dir`` (each one atomically), then drop the staging dir.

    Single-file ``<table>.parquet`` files left by older versions are removed (they would be stale)."""
    for t in TABLES:
        (out_dir / f"{t}.parquet").unlink(missing_ok=True)
    for p in sorted(stage.iterdir()):
        if p.name.startswith("."):
            continue
        if p.name == "parquet":
            for t in sorted(p.iterdir()):
                replace_atomic(t, out_dir / "parquet" / t.name)
        else:
            replace_atomic(p, out_dir / p.name)
    shutil.rmtree(stage, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Tables:
    """Every output table as a pandas DataFrame (see docs/architecture.md for the columns)."""

    reports: "object" = None
    disclosure: "object" = None
    requests: "object" = None
    appeals: "object" = None
    checks: "object" = None
    warnings: "object" = None
    load_errors: "object" = None
    figures: "object" = None
    problems: "object" = None
    tokens: "object" = None
    themes: "object" = None
    similar_problems: "object" = None
    extra: dict = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str):
        return getattr(self, name)

    def names(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "extra"]


def empty_frame(table: str):
    import pandas as pd

    return pd.DataFrame({c: pd.Series([], dtype=PANDAS_DTYPES[k]) for c, k in SCHEMA[table]})


def arrow_to_pandas(table: str, tbl: pa.Table, cols: list[str] | None = None):
    """Arrow → pandas with the project's dtypes (str, Int64, float64 with NaN); ``cols``: only these."""
    import pandas as pd

    df = tbl.to_pandas()
    wanted = columns(table) if cols is None else list(cols)
    for c, k in SCHEMA[table]:
        if c not in wanted:
            continue
        if c not in df.columns:
            df[c] = pd.Series([None] * len(df), dtype=PANDAS_DTYPES[k])
        df[c] = df[c].astype(PANDAS_DTYPES[k])
    return df[wanted]


def read_table(out_dir: Path | str, table: str, filters=None, cols: list[str] | None = None):
    """One table back as a DataFrame: from Parquet when present, else from CSV with the same dtypes.

    ``cols`` and ``filters`` (pyarrow's ``[(column, op, value), …]``) read only what a caller needs, which
    is what keeps a corpus-level step over 100,000 reports small."""
    import pandas as pd

    out_dir = Path(out_dir)
    if cols is not None:
        unknown = [c for c in cols if c not in columns(table)]
        if unknown:
            raise KeyError(f"{table} has no column {', '.join(unknown)}")
    folder = out_dir / "parquet" / table
    if folder.is_dir():
        return arrow_to_pandas(table, _read_parts(folder, table, cols, filters), cols)
    csv_path = out_dir / f"{table}.csv"
    if csv_path.exists():
        dtypes = {c: PANDAS_DTYPES[k] for c, k in SCHEMA[table]}
        df = pd.read_csv(csv_path, dtype=dtypes, keep_default_na=False, na_values={
            c: [""] for c, k in SCHEMA[table] if k != STR})
        for col, op, value in filters or ():
            df = df[_mask(df[col], op, value)]
        return df[columns(table) if cols is None else list(cols)].reset_index(drop=True)
    frame = empty_frame(table)
    return frame if cols is None else frame[list(cols)]


def _mask(series, op: str, value):
    """A pyarrow-style filter term on a pandas column (for the CSV fallback of :func:`read_table`)."""
    if op in ("=", "=="):
        return series == value
    if op == "!=":
        return series != value
    if op == "in":
        return series.isin(list(value))
    if op == "not in":
        return ~series.isin(list(value))
    raise ValueError(f"unsupported filter operator: {op}")


def read_processed(out_dir: Path | str | None = None, tables: Iterable[str] | None = None) -> Tables:
    """Read the tables a build wrote (``data/processed`` by default): all of them, or only ``tables``
    (the others stay None), which keeps a notebook over a large corpus quick."""
    if out_dir is None:
        from .paths import PROCESSED

        out_dir = PROCESSED
    wanted = list(TABLES) if tables is None else list(tables)
    unknown = [t for t in wanted if t not in SCHEMA]
    if unknown:
        raise KeyError(f"no such table: {', '.join(unknown)} (tables: {', '.join(TABLES)})")
    return Tables(**{t: read_table(out_dir, t) for t in wanted})
