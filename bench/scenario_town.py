"""Benchmark: the three-scenario file on the example town (target: under 3 s).

Usage::

    python bench/scenario_town.py

Prints the wall time of the whole ``auditor scenario`` command in a fresh process, and of its
phases in a process whose factor tables are already loaded: read the inventory, assess the
baseline, run the three scenarios (recommend's plan for switch-off/consolidation included).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOWN = ROOT / "examples" / "ville-exemple" / "inventaire-glpi.csv"
SCENARIOS = ROOT / "examples" / "ville-exemple" / "scenarios.yaml"


def main() -> None:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "auditor", "scenario", str(TOWN), "--country", "FR", "--scenario",
                           str(SCENARIOS), "--date", "2026-01-15", "-q"], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    cold = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    print(f"auditor scenario, 3 scenarios, {TOWN.name}, fresh process: {cold:.2f} s (target < 3 s)")

    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import read_inventory
    from auditor.whatif import read_scenarios, run_scenarios
    from factors.tables import default_library

    library = default_library()
    library.validate_all()
    options = AssessOptions(today=date(2026, 1, 15))
    t = time.perf_counter()
    scenarios = read_scenarios(SCENARIOS)
    table, _ = read_inventory([TOWN], country="FR", today=options.today, library=library)
    read = time.perf_counter() - t
    t = time.perf_counter()
    results = assess(table, library, options)
    base = time.perf_counter() - t
    t = time.perf_counter()
    report = run_scenarios(table, results, scenarios, library=library, options=options)
    run = time.perf_counter() - t
    print(f"tables loaded: read {read:.2f} s, baseline {base:.2f} s, 3 scenarios {run:.2f} s, "
          f"total {read + base + run:.2f} s ({len(table):,} rows; changed rows "
          f"{', '.join(str(s['changed_rows']) for s in report['scenarios'])})")


if __name__ == "__main__":
    main()
