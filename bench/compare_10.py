"""Benchmark: ``auditor compare`` on ten options over ten years (target: under 1 s).

Usage::

    python bench/compare_10.py [--repeat 5]

Prints the wall time of (1) the whole command in a fresh process (imports and factor tables
included), (2) one comparison in a process whose factor tables are already loaded (median of
``--repeat`` runs). Figures depend on the machine; no assertion.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPTIONS = """\
horizon_years: 10
country: FR
usage: {hours_per_day: 8, days_per_year: 220}
electricity_price: 0.25
options:
  - {id: keep-laptop, category: laptop, existing: true, year: 2019, power_w: 18, lifetime_years: 4,
     repairs: [{part: battery, wh: 50, price: 90}, {part: ram, gb: 8, price: 40}]}
  - {id: refurb-laptop, category: laptop, refurbished: true, year: 2021, power_w: 12, lifetime_years: 4, price: 420}
  - {id: new-laptop, category: laptop, power_w: 9, lifetime_years: 5, price: 950}
  - {id: keep-desktop, category: desktop, existing: true, year: 2017, power_w: 45, lifetime_years: 3,
     repairs: [{part: storage, gb: 512, price: 60}]}
  - {id: new-desktop, category: desktop, power_w: 25, lifetime_years: 6, price: 800}
  - {id: thin-client, category: thin_client, power_w: 8, lifetime_years: 7, price: 350}
  - {id: m24, category: monitor, screen_size_in: 24, power_w: 16, lifetime_years: 7, price: 170, quantity: 2}
  - {id: tablet, category: tablet, lifetime_years: 4, price: 400}
  - {id: keep-server, category: server, existing: true, year: 2015, cpu_count: 2, ram_gb: 128, power_w: 300,
     avg_load_pct: 15, lifetime_years: 5, repairs: [{part: hdd, count: 2}]}
  - {id: new-server, category: server, cpu_count: 1, ram_gb: 128, ssd_count: 2, ssd_gb: 960, power_w: 140,
     avg_load_pct: 30, lifetime_years: 7, price: 6500}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten.yaml"
        path.write_text(OPTIONS, encoding="utf-8")
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "auditor", "compare", str(path), "--date", "2026-01-15"],
                              cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT),
                                                                             "PATH": "/usr/bin:/bin"})
        cold = time.perf_counter() - t
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        print(f"ten options, ten years, fresh process (imports + factor tables + compare): {cold:.2f} s")

        from auditor.compare import compare
        from auditor.options_file import read_options
        from factors.tables import default_library

        library = default_library()
        compare(read_options(path), library=library, today=date(2026, 1, 15))  # warm the tables
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            compare(read_options(path), library=library, today=date(2026, 1, 15))
            times.append(time.perf_counter() - t)
        print(f"ten options, ten years, tables loaded (read file + compare), median of {args.repeat}: "
              f"{statistics.median(times):.3f} s (min {min(times):.3f} s); target < 1 s")


if __name__ == "__main__":
    main()
