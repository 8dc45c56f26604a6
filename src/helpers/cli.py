"""Command line: ``python -m helpers build RAW_DIR --out OUT_DIR`` and ``python -m helpers render …``."""
from __future__ import annotations

import argparse
import sys


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="helpers", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse every report under RAW_DIR into tables in OUT_DIR")
    b.add_argument("raw_dir", help="folder of report files (searched recursively)")
    b.add_argument("--out", required=True, help="output folder for CSV, Parquet and README.md")
    b.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument("--force", action="store_true", help="ignore cached per-file results")
    b.add_argument("--cache-dir", default=None, help="per-file result cache (default: OUT/.cache/parse)")
    b.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    b.add_argument("--quiet", action="store_true", help="no progress bar or log line")
    b.add_argument("--timings", action="store_true", help="print the wall time of each build phase")
    b.add_argument("--no-corpus", action="store_true",
                   help="skip the corpus-level stage (carry-over checks, similar problems text)")
    sub.add_parser("render", help="render notebooks and charts (see helpers.render)", add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "render":
        # The render command parses its own options.
        from . import render

        return int(render.main(argv[1:]) or 0)
    args = _build_parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _build(args) -> int:
    from .build import build

    if args.jobs is not None and args.jobs < 1:
        print("--jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        summary = build(args.raw_dir, args.out, jobs=args.jobs, force=args.force,
                        cache_dir=False if args.no_cache else args.cache_dir, quiet=args.quiet,
                        corpus=not args.no_corpus)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the workers are stopped by then
        print("interrupted (the output folder is only written in a build's last step)", file=sys.stderr)
        return 130
    print(summary.line())
    if args.timings:
        print(f"timings: {summary.timings()}; total {summary.seconds:.2f} s; parsed in {summary.schedule}")
        print(f"memory: main process high-water mark after {summary.memory()}")
    return 1 if args.strict and summary.n_failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
