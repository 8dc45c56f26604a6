"""What the corpus stage reads, kept beside each shard's segment as narrow Arrow files.

The corpus-level steps need a few columns of four tables: the carry-over check an agency's years and its
carried-over counts, recycled text the problems sections. Read back from the partitioned Parquet, that is
one file per shard, table and year, about 1 ms each: 160 files at 1,000 reports, 4,500 at 100,000, and most
of the corpus stage of a one-report rebuild. So when a shard is encoded, the rows and columns those steps
declare are also written as one Arrow file per table (uncompressed, read back memory-mapped), and the corpus
stage reads one file per shard instead.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from . import store

FOLDER = "corpus"  # inside a segment
SIMILARITY = {"problems": ["report_id", "part", "text", "line_start"], "reports": ["report_id", "agency", "year"]}


def _audit_needs() -> tuple[dict[str, list[str]], dict[str, list]]:
    from . import audit

    return audit.CORPUS_COLUMNS, audit.CORPUS_FILTERS


def needs() -> dict[str, tuple[list[str], list | None]]:
    """table → (columns, pyarrow filter terms or None): the union over the corpus steps of what they read.

    A table two steps read with different filters is kept unfiltered (each step narrows its own)."""
    columns, filters = _audit_needs()
    out: dict[str, tuple[list[str], list | None]] = {}
    for step_cols, step_filters in ((columns, filters), (SIMILARITY, {})):
        for t, cols in step_cols.items():
            f = step_filters.get(t)
            if t not in out:
                out[t] = (list(cols), f)
            else:
                have, g = out[t]
                out[t] = (have + [c for c in cols if c not in have], g if g == f else None)
    return out


def _expression(filters: list):
    import pyarrow.parquet as pq

    return pq.filters_to_expression(filters)


def write(folder: Path, tables: dict[str, pa.Table]) -> None:
    """A shard's narrow rows, one Arrow file per table it has rows of."""
    folder.mkdir(parents=True, exist_ok=True)
    for t, (cols, filters) in needs().items():
        tbl = tables.get(t)
        if tbl is None or not tbl.num_rows:
            continue
        tbl = tbl.select(cols)
        if filters:
            tbl = tbl.filter(_expression(filters))
        with pa.OSFile(str(folder / f"{t}.arrow"), "wb") as sink, pa.ipc.new_file(sink, tbl.schema) as w:
            w.write_table(tbl)


def read(segments: list[Path], table: str, cols: list[str], filters: list | None = None):
    """One table's narrow rows over every shard, in the tables' row order, as a DataFrame with the project's
    dtypes; None when a segment lacks its file (built by an older version, damaged): read the tables then."""
    kept_cols, kept_filters = needs().get(table, (None, None))
    if kept_cols is None or not set(cols) <= set(kept_cols) or (kept_filters and kept_filters != filters):
        return None
    pieces = []
    for seg in segments:
        folder = seg / FOLDER
        if not folder.is_dir():
            return None
        path = folder / f"{table}.arrow"
        if not path.exists():
            continue  # the shard has no rows of this table
        try:
            pieces.append(pa.ipc.open_file(pa.memory_map(str(path))).read_all())
        except (OSError, pa.ArrowInvalid):
            return None
    tbl = pa.concat_tables(pieces) if pieces else store.arrow_schema(table).empty_table().select(kept_cols)
    if filters and not kept_filters:
        tbl = tbl.filter(_expression(filters))
    return store.arrow_to_pandas(table, tbl.select(cols), cols)
