"""Benchmark: a scenario on the 1,000,000-row benchmark inventory against one assessment.

Target (issue 11): a scenario in at most twice the time of one assessment. The inventory is the
synthetic one of ``bench/assess_1m.py``, read once (not timed); then, with the factor tables
loaded, it times one assessment (the footprint engine) and the scenario ``--extend-lifetime 2``
(every row changes, so every row is re-assessed), and the baseline + scenario pipeline of
``auditor scenario``.

Usage::

    python bench/scenario_1m.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assess_1m import peak_rss_mb, synthetic_inventory  # noqa: E402

from auditor.footprint import AssessOptions, assess  # noqa: E402
from auditor.inventory import read_inventory  # noqa: E402
from auditor.whatif import Scenario, run_scenarios  # noqa: E402
from factors.tables import default_library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    library = default_library()
    library.validate_all()
    options = AssessOptions(today=date(2026, 1, 15))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inventory.csv"
        synthetic_inventory(args.rows).to_csv(path, sep=";", index=False)
        table, _ = read_inventory([path], country="FR", today=options.today, library=library)
    print(f"{len(table):,} rows read; peak RSS {peak_rss_mb():,.0f} MB")
    t = time.perf_counter()
    results = assess(table, library, options)
    one = time.perf_counter() - t
    print(f"one assessment (footprint engine):       {one:6.2f} s")
    t = time.perf_counter()
    report = run_scenarios(table, results, [Scenario("extend 2", extend_lifetime_years=2)], library=library,
                           options=options)
    scenario = time.perf_counter() - t
    print(f"scenario --extend-lifetime 2 (given the baseline): {scenario:6.2f} s = {scenario / one:.2f} x one "
          f"assessment (target <= 2 x); {report['scenarios'][0]['changed_rows']:,} rows re-assessed")
    print(f"baseline + scenario (auditor scenario after reading): {one + scenario:6.2f} s = "
          f"{(one + scenario) / one:.2f} x; peak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
