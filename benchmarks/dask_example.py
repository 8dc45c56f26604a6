"""Beyond one machine: map the per-file parse over a Dask cluster, then write the tables as usual.

`helpers.build.parse_file(bytes, report_id)` is a pure function of one file's bytes, so any cluster engine can
map it over object storage; only the (small, columnar) outcomes travel back. Needs the ``dask`` extra:
``pip install -e '.[dask]'``.

    .venv/bin/python benchmarks/dask_example.py data/raw /tmp/processed-dask          # local cluster
    .venv/bin/python benchmarks/dask_example.py s3://bucket/reports out --scheduler tcp://host:8786
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def parse_one(report_id: str, url: str):
    """Runs on a worker: read the bytes (local path or any fsspec URL), parse, return a small outcome."""
    from helpers.build import parse_file

    if "://" in url:
        import fsspec

        with fsspec.open(url, "rb") as f:
            data = f.read()
    else:
        data = Path(url).read_bytes()
    return report_id, hashlib.sha256(data).hexdigest(), parse_file(data, report_id)


def list_urls(raw: str) -> list[tuple[str, str]]:
    """(report_id, url) for a local folder or an fsspec URL (s3://…, gs://…), same skipping rules."""
    from helpers.build import list_files

    if "://" not in raw:
        return [(rid, str(path)) for rid, path in list_files(raw)]
    import fsspec

    fs, root = fsspec.core.url_to_fs(raw)
    out = []
    for path in sorted(fs.find(root)):
        rid = path[len(root):].lstrip("/")
        name = rid.rsplit("/", 1)[-1].lower()
        if any(part.startswith(".") for part in rid.split("/")) or name == "manifest.csv" or name.startswith("readme"):
            continue
        out.append((rid, fs.unstrip_protocol(path)))
    return out


def build_with_dask(raw_dir: str, out_dir: str, client) -> "object":
    """The whole distributed build: list, map parse_one over the cluster, write the tables locally."""
    from helpers.build import write_results

    files = list_urls(raw_dir)
    futures = client.map(parse_one, *zip(*files), pure=True) if files else []
    return write_results(client.gather(futures), out_dir)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None))
    with client:
        summary = build_with_dask(args.raw_dir, args.out_dir, client)
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
