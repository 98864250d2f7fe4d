"""Console-script entry point of ``auditor``: hands ``auditor probe run`` to the probe before
anything heavy is imported (not even click), so the probe costs what ``python -m probes`` costs.
"""

from __future__ import annotations

import os
import sys

#: Environment switches that keep large arrays on ordinary 4 KB pages (a value the user set wins):
#: numpy's own (``NUMPY_MADVISE_HUGEPAGE``) and that of mimalloc, the allocator behind pyarrow's
#: default memory pool (``MIMALLOC_ARENA_EAGER_COMMIT``).
SMALL_PAGES = {"NUMPY_MADVISE_HUGEPAGE": "0", "MIMALLOC_ARENA_EAGER_COMMIT": "0"}


def prefer_small_pages() -> None:
    """Ask numpy and pyarrow's allocator (neither imported yet) not to request transparent huge
    pages for large arrays.

    NumPy advises the Linux kernel to back arrays of 4 MB and more with huge pages
    (``NUMPY_MADVISE_HUGEPAGE``, numpy's documented switch), and mimalloc, pyarrow's default
    allocator, does the same for the 1 GiB arenas it commits eagerly (every Arrow column: CSV
    cells, text columns, Parquet buffers). Where the kernel then compacts memory synchronously
    (``/sys/kernel/mm/transparent_hugepage/defrag`` = ``madvise``, a common default), each new
    high-water allocation stalls: an assessment of 1,000,000 rows spent about 15 % more CPU time
    in its assess phase with numpy's huge pages, and its read phase about a third more with
    mimalloc's (bench/assess_1m.py, docs/scale.md). ``MIMALLOC_ARENA_EAGER_COMMIT=0`` (mimalloc's
    documented option) commits arenas on demand, without the huge-page advice. mimalloc reads it
    when pyarrow's library loads, so this runs before anything imports pyarrow. A value the user
    set is kept.
    """
    for name, value in SMALL_PAGES.items():
        os.environ.setdefault(name, value)


def main() -> None:
    """Run ``auditor``; ``auditor probe run ...`` goes straight to :mod:`probes`."""
    prefer_small_pages()
    args = sys.argv[1:]
    if args[:2] == ["probe", "run"] and not {"-h", "--help"} & set(args[2:]):
        from probes.__main__ import main as probe_main

        sys.exit(probe_main(["run", *args[2:]], prog="auditor probe"))
    from auditor.cli import run

    run()
