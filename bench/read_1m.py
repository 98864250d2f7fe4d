"""Benchmark: the READ phase alone (CSV -> canonical table) on the 1M-row benchmark inventory.

Target (issue 13): the read phase of ``bench/assess_1m.py`` <= 1.5 s on 2 idle cores. On a shared
machine wall time depends on the load, so CPU time (user + system of this process, Arrow's
threads included) is printed too, with the load average: compare CPU times between runs.

Usage::

    python bench/read_1m.py [--rows 1000000] [--repeat 3] [--csv FILE]

Each repeat runs in a fresh process (its peak memory is its own).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _run(csv_path: Path) -> None:
    from auditor.inventory import read_inventory
    from bench.assess_1m import peak_rss_mb
    from factors.tables import default_library

    library = default_library()
    library.validate_all()
    before = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    table, warnings = read_inventory([csv_path], country="FR", today=date(2026, 1, 15),
                                     library=library)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  read {len(table):,} rows: wall {wall:5.2f} s   CPU {cpu:5.2f} s   peak RSS "
          f"{peak_rss_mb():,.0f} MB (after imports {before:,.0f} MB)   {len(warnings):,} warnings   "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", type=Path, help="read this CSV instead of a generated one")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        _run(args.run)
        return
    workdir = None
    csv_path = args.csv
    if csv_path is None:
        from bench.assess_1m import synthetic_inventory

        workdir = Path(tempfile.mkdtemp(prefix="auditor-read-"))
        csv_path = workdir / "inventory.csv"
        synthetic_inventory(args.rows).to_csv(csv_path, sep=";", index=False, encoding="utf-8")
        print(f"generated {args.rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB (not timed); "
              f"{os.cpu_count()} CPUs")
    from auditor.entry import SMALL_PAGES

    env = {**SMALL_PAGES, **os.environ}  # as `auditor` runs (auditor.entry.prefer_small_pages)
    try:
        for _ in range(args.repeat):
            subprocess.run([sys.executable, __file__, "--run", str(csv_path)], check=True, env=env)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
