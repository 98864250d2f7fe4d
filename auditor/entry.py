"""Console-script entry point of ``auditor``: hands ``auditor probe run`` to the probe before
anything heavy is imported (not even click), so the probe costs what ``python -m probes`` costs.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``auditor``; ``auditor probe run ...`` goes straight to :mod:`probes`."""
    args = sys.argv[1:]
    if args[:2] == ["probe", "run"] and not {"-h", "--help"} & set(args[2:]):
        from probes.__main__ import main as probe_main

        sys.exit(probe_main(["run", *args[2:]], prog="auditor probe"))
    from auditor.cli import run

    run()
