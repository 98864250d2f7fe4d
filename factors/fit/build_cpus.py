"""Build ``factors/data/cpus.csv``: CPU model -> TDP, cores, threads, launch year, die area.

Three sources, merged field by field in this order of precedence (the first that gives a figure
wins; ``source`` lists every source that contributed):

1. ``boaviztapi`` — Boavizta, boaviztapi 2.5.0 (PyPI), ``data/crowdsourcing/cpu_specs.csv``
   (1,808 CPUs; TDP, cores, threads, release date, total die size; rows cite TechPowerUp or
   Wikipedia). AGPL-3.0, like this project.
2. ``codecarbon`` — CodeCarbon 3.3.2 (PyPI), ``codecarbon/data/hardware/cpu_power.csv``
   (4,918 CPU names with a TDP). MIT licence, copied to ``LICENSE-MIT-codecarbon.txt``.
3. ``specpower-train`` — green-coding-solutions/cloud-energy (MIT), SPECpower_ssj2008 results
   parsed from spec.org, TRAIN split ``shared/data/specpower/specpower-curves-train.csv`` only:
   its ``TDP`` column (vendor data sheets) and cores / threads per chip of the systems.

Usage::

    pip download boaviztapi==2.5.0 codecarbon==3.3.2 --no-deps -d /tmp/wheels
    (cd /tmp/wheels && for w in *.whl; do unzip -o -q "$w" -d ext; done)
    python -m factors.fit.build_cpus --boavizta /tmp/wheels/ext/boaviztapi/data/crowdsourcing/cpu_specs.csv \\
        --codecarbon /tmp/wheels/ext/codecarbon/data/hardware/cpu_power.csv [--data-dir ../shared/data]

The output is deterministic (rows sorted by key). Only the TRAIN SPECpower file is read.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from factors.cpu_table import CPU_FIELDS, table_key
from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT

OUT = REPO_ROOT / "factors" / "data" / "cpus.csv"
COLUMNS = ("key", "name", "vendor", *CPU_FIELDS, "source")


def _vendor(name: str) -> str:
    low = name.lower()
    for vendor in ("intel", "amd", "apple", "qualcomm"):
        if vendor in low:
            return vendor
    if re.search(r"xeon|core|celeron|pentium|atom", low):
        return "intel"
    if re.search(r"opteron|epyc|ryzen|athlon|phenom|turion", low):
        return "amd"
    return ""


def _die_mm2(text: object) -> float:
    """Total die area [mm2] from boaviztapi's ``total_die_size`` (already summed, in mm2)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return float("nan")
    return value if value > 0 else float("nan")


def from_boavizta(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    year = pd.to_datetime(frame["release_date"], errors="coerce").dt.year
    return pd.DataFrame({
        "name": frame["name"].astype(str).str.strip(),
        "tdp_w": pd.to_numeric(frame["tdp"], errors="coerce"),
        "cores": pd.to_numeric(frame["cores"], errors="coerce"),
        "threads": pd.to_numeric(frame["threads"], errors="coerce"),
        "launch_year": year.astype(float),
        "die_mm2": frame["total_die_size"].map(_die_mm2),
        "source": "boaviztapi",
    })


def from_codecarbon(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    return pd.DataFrame({
        "name": frame["Name"].astype(str).str.strip(),
        "tdp_w": pd.to_numeric(frame["TDP"], errors="coerce"),
        "cores": np.nan, "threads": np.nan, "launch_year": np.nan, "die_mm2": np.nan,
        "source": "codecarbon",
    })


def from_specpower_train(data_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(data_dir / "specpower" / "specpower-curves-train.csv")
    chips = pd.to_numeric(frame["CPUChips"], errors="coerce")
    out = pd.DataFrame({
        "name": frame["HW_CPUName"].astype(str).str.strip(),
        "tdp_w": pd.to_numeric(frame["TDP"], errors="coerce"),
        "cores": pd.to_numeric(frame["CPUCores"], errors="coerce") / chips,
        "threads": pd.to_numeric(frame["CPUThreads"], errors="coerce") / chips,
        "launch_year": np.nan, "die_mm2": np.nan, "source": "specpower-train",
    })
    return out


def merge(frames: list[pd.DataFrame]) -> list[dict[str, str]]:
    """One row per compact key; each field from the first source (in list order) that has it."""
    merged: dict[str, dict[str, object]] = {}
    for frame in frames:
        for row in frame.itertuples(index=False):
            key = table_key(row.name)
            if len(key) < 2 or not re.search(r"\d", key):
                continue  # a family word alone ("Intel Xeon Processor") names no model
            entry = merged.setdefault(key, {"key": key, "name": row.name, "vendor": _vendor(row.name),
                                            "sources": []})
            gave = False
            for field in CPU_FIELDS:
                value = getattr(row, field)
                if field not in entry and value == value and value is not None and float(value) > 0:
                    entry[field] = float(value)
                    gave = True
            if gave and row.source not in entry["sources"]:
                entry["sources"].append(row.source)
    rows = []
    for key in sorted(merged):
        entry = merged[key]
        if not entry["sources"]:
            continue
        row = {"key": key, "name": entry["name"], "vendor": entry["vendor"],
               "source": ";".join(entry["sources"])}
        for field in CPU_FIELDS:
            value = entry.get(field)
            row[field] = "" if value is None else f"{value:g}"
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boavizta", type=Path, required=True)
    parser.add_argument("--codecarbon", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = merge([from_boavizta(args.boavizta), from_codecarbon(args.codecarbon),
                  from_specpower_train(args.data_dir)])
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with_tdp = sum(1 for r in rows if r["tdp_w"])
    print(f"{args.out}: {len(rows)} CPUs, {with_tdp} with a TDP")


if __name__ == "__main__":
    main()
