"""Synthetic corpora generated from the seed reports, for benchmarks and scale tests only.

Every file is labelled synthetic (file name ``synthetic_NNNNNN.txt``, a README in the folder and a closing
line ``（合成样本，仅供测试 synthetic NNNNNN）``) and is written under a folder the caller chooses (a temp
dir; never ``data/``). Each copy of a seed gets another real place (from the cpca gazetteer), another year,
other table numbers and, for a share of files, another encoding, so no two files have the same bytes and
the parser meets the variety of a real corpus.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

SEED_AGENCIES = {"衡水市": "prefecture", "衢州市": "prefecture", "湛河区": "district", "忻州市": "prefecture",
                 "宝清县": "county"}
_ZERO_CELL = re.compile(r"(?<=[\t|])0(?=[\t|\r\n]|$)|^ 0 ?$", re.M)


@lru_cache(maxsize=1)
def _places() -> dict[str, list[str]]:
    """Real prefecture and county names from the gazetteer, by level."""
    from helpers.lent_resources import import_module

    cpca = import_module("cpca")
    out: dict[str, list[str]] = {"prefecture": [], "county": [], "district": []}
    for info in cpca.ad_2_addr_dict.values():
        if info.rank == 1 and info.name.endswith("市"):
            out["prefecture"].append(info.name)
        elif info.rank == 2 and info.name.endswith("县"):
            out["county"].append(info.name)
        elif info.rank == 2 and info.name.endswith("区") and len(info.name) >= 3 and info.name != "市辖区":
            # 市辖区 is the gazetteer's placeholder for "the city's districts", never an agency's place
            out["district"].append(info.name)
    for v in out.values():
        v.sort()
    return out


def _variant(text: str, seed_place: str, rng: random.Random, serial: int) -> str:
    places = _places()[SEED_AGENCIES[seed_place]]
    text = text.replace(seed_place, rng.choice(places))
    shift = rng.randint(-3, 2)
    text = re.sub(r"(20[12]\d)(\s*年)", lambda m: f"{int(m.group(1)) + shift}{m.group(2)}", text)
    text = _ZERO_CELL.sub(lambda m: m.group(0).replace("0", str(rng.choice((0, 0, 0, 1, 2, 3, 5, 12)))), text)
    return text.rstrip("\n") + f"\n\n（合成样本，仅供测试 synthetic {serial:06d}）\n"


def _encode(text: str, rng: random.Random) -> bytes:
    r = rng.random()
    if r < 0.08:
        return text.encode("gb18030")
    if r < 0.12:
        return text.encode("utf-16")
    if r < 0.15:
        return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    return text.encode("utf-8")


def seed_texts(seed_dir: Path) -> list[tuple[str, str]]:
    """(place named in the seed, text) for each seed report found in ``seed_dir``."""
    out = []
    for p in sorted(Path(seed_dir).glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        place = next((k for k in SEED_AGENCIES if k in text), None)
        if place:
            out.append((place, text))
    return out


def make_corpus(seed_dir: Path, out_dir: Path, n: int, *, start: int = 0, seed: int = 0,
                subfolders: int = 100) -> list[Path]:
    """Write ``n`` synthetic reports (numbered from ``start``) into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "README.md").write_text("Synthetic reports generated from the seed reports by "
                                       "benchmarks/synth.py, for benchmarks and tests only. Not real data.\n",
                                       encoding="utf-8")
    seeds = seed_texts(seed_dir)
    if not seeds:
        raise FileNotFoundError(f"no seed reports in {seed_dir}")
    paths = []
    for serial in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + serial)
        place, text = seeds[serial % len(seeds)]
        folder = out_dir / f"{serial % subfolders:03d}" if subfolders > 1 else out_dir
        folder.mkdir(exist_ok=True)
        path = folder / f"synthetic_{serial:06d}.txt"
        path.write_bytes(_encode(_variant(text, place, rng, serial), rng))
        paths.append(path)
    return paths
