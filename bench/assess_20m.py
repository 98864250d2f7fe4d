"""Benchmark: a national roll-up of 20,000,000 inventory rows assessed in chunks (issue 13 item 3).

Targets: peak RSS of the ``auditor assess`` process <= 2 GB; time linear in rows.

The inventory is a roll-up of generated town inventories (``bench/assess_1m.py``'s generator:
French headers, categories as words and phrases, RAM in GB and MB, day-first purchase dates,
month-first warranty ends), written to one semicolon CSV on disk block by block, each town's
items renamed so ids stay unique. Each size runs ``auditor assess --chunk-rows N -o DIR/`` in a
child process; its peak RSS comes from ``os.wait4``'s ``ru_maxrss``.

Usage::

    python bench/assess_20m.py [--rows 2000000,5000000,20000000] [--chunk-rows 250000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assess_1m import synthetic_inventory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BLOCK = 1_000_000


def write_rollup(path: Path, rows: int) -> None:
    """A semicolon CSV of ``rows`` items: generated towns of 1,000,000 rows, renamed per town."""
    base = synthetic_inventory(min(rows, BLOCK))
    names = base["Nom"].str.slice(6)  # "ASSET-0000001" -> "0000001"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for town, start in enumerate(range(0, rows, BLOCK)):
            block = base.iloc[: min(BLOCK, rows - start)].copy()
            block["Nom"] = f"COMMUNE{town:05d}-" + names.iloc[: len(block)]
            block.to_csv(handle, sep=";", index=False, header=town == 0, lineterminator="\n")


def head(source: Path, target: Path, rows: int) -> None:
    """The header and first ``rows`` rows of ``source``."""
    with source.open("rb") as src, target.open("wb") as dst:
        for count, line in enumerate(src):
            if count > rows:
                break
            dst.write(line)


def run(csv_path: Path, out: Path, chunk_rows: int) -> tuple[float, float, str]:
    """(seconds, peak RSS [MB], stdout) of one ``auditor assess`` child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "auditor", "assess", str(csv_path), "--country", "FR",
               "--date", "2026-01-15", "-q", "--chunk-rows", str(chunk_rows), "-o", f"{out}/"]
    log_out, log_err = out.with_suffix(".out"), out.with_suffix(".err")
    start = time.perf_counter()
    with log_out.open("wb") as stdout, log_err.open("wb") as stderr:
        child = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)  # reaped here, so ru_maxrss is the child's own
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"auditor assess failed: {log_err.read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024.0, log_out.read_text()



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="2000000,5000000,20000000",
                        help="comma-separated sizes, largest last")
    parser.add_argument("--chunk-rows", type=int, default=250_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.rows.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="auditor-bench20m-"))
    try:
        t0 = time.perf_counter()
        big = workdir / f"rollup-{sizes[-1]}.csv"
        write_rollup(big, sizes[-1])
        print(f"generated {sizes[-1]:,} rows, {big.stat().st_size / 1e9:.2f} GB semicolon CSV in "
              f"{time.perf_counter() - t0:.0f} s (not timed); {os.cpu_count()} CPUs, load "
              f"{os.getloadavg()[0]:.1f} (machine shared with other work)", flush=True)
        for rows in sizes:
            path = big if rows == sizes[-1] else workdir / f"rollup-{rows}.csv"
            if path != big:
                head(big, path, rows)
            out = workdir / f"results-{rows}"
            seconds, rss_mb, stdout = run(path, out, args.chunk_rows)
            parts = sorted(out.glob("*.parquet"))
            size_mb = sum(p.stat().st_size for p in parts) / 1e6
            print(f"{rows:>12,} rows: {seconds:7.1f} s  {rows / seconds:>9,.0f} rows/s  peak RSS "
                  f"{rss_mb:,.0f} MB (target <= 2,048)  {len(parts)} parts, {size_mb:,.0f} MB Parquet  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
            print("    " + stdout.splitlines()[0] + " | " + stdout.splitlines()[4].strip(), flush=True)
            if path != big:
                path.unlink()
            shutil.rmtree(out)
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
