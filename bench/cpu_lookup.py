"""Benchmark: CPU-name lookup in the bundled CPU table, vectorised over many rows.

Prints the time to look up ``--rows`` CPU names (four distinct spellings, known and unknown,
repeated), the figure the unit tests no longer assert. Target: under 2 s for 200,000 names.

Usage::

    python bench/cpu_lookup.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factors.cpu_table import lookup_cpus  # noqa: E402

NAMES = ["Intel Xeon Gold 6134", None, "no such cpu", "AMD EPYC 7302"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    names = np.array(NAMES * (args.rows // len(NAMES)), dtype=object)
    lookup_cpus(names[:4])  # load the table once, outside the timing
    start = time.perf_counter()
    out = lookup_cpus(names)
    elapsed = time.perf_counter() - start
    print(f"lookup of {len(names):,} CPU names: {elapsed:.3f} s "
          f"({int(out['matched'].sum()):,} matched; target < 2 s for 200,000)")


if __name__ == "__main__":
    main()
