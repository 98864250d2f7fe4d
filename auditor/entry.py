"""Console-script entry point of ``auditor``: hands ``auditor probe run`` to the probe before
anything heavy is imported (not even click), so the probe costs what ``python -m probes`` costs.
"""

from __future__ import annotations

import os
import sys


def prefer_small_pages() -> None:
    """Ask numpy (not yet imported) not to request transparent huge pages for large arrays.

    NumPy advises the Linux kernel to back arrays of 4 MB and more with huge pages
    (``NUMPY_MADVISE_HUGEPAGE``, numpy's documented switch). Where the kernel then compacts memory
    synchronously (``/sys/kernel/mm/transparent_hugepage/defrag`` = ``madvise``, a common
    default), each new high-water allocation stalls: an assessment of 1,000,000 rows spent about
    15 % more CPU time in its assess phase with them (bench/assess_1m.py, docs/scale.md). A value
    the user set is kept.
    """
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def main() -> None:
    """Run ``auditor``; ``auditor probe run ...`` goes straight to :mod:`probes`."""
    prefer_small_pages()
    args = sys.argv[1:]
    if args[:2] == ["probe", "run"] and not {"-h", "--help"} & set(args[2:]):
        from probes.__main__ import main as probe_main

        sys.exit(probe_main(["run", *args[2:]], prog="auditor probe"))
    from auditor.cli import run

    run()
