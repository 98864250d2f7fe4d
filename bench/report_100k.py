"""Benchmark: size and build time of the HTML dashboard, for the example town and 100,000 items.

Targets (issue 4): page <= 2 MB for the example town, <= 6 MB for a 100,000-item estate, built
in <= 10 s for 100,000 items.

Usage::

    python bench/report_100k.py [--rows 100000] [--keep]

For each estate it prints: the time to build the page from a results table (what ``auditor
report`` does after the assessment), the whole ``auditor report INVENTORY`` command (read, assess,
score, build, write; a fresh process, imports included) and the page size.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assess_1m import synthetic_inventory  # noqa: E402

from auditor.api import assess_files  # noqa: E402
from reports.dashboard import build_dashboard, write_dashboard  # noqa: E402

TODAY = date(2026, 1, 15)
TOWN = ROOT / "examples" / "ville-exemple" / "inventaire-glpi.csv"


def measure(name: str, inventory: Path, workdir: Path, lang: str) -> None:
    results, _ = assess_files([inventory], country="FR", today=TODAY)
    t = time.perf_counter()
    page = build_dashboard(results, lang=lang, inhabitants=30_000, assessment_date=TODAY)
    out = write_dashboard(page, workdir / f"{name}.html")
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "auditor", "report", str(inventory), "--country", "FR", "--lang", lang,
                    "--date", TODAY.isoformat(), "-q", "-o", str(workdir / f"{name}-cli.html")],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    cli_s = time.perf_counter() - t
    size = out.stat().st_size
    print(f"{name:<22} {len(results):>9,} rows  page {size / 1e6:5.2f} MB  build {build_s:5.2f} s  "
          f"'auditor report' end to end {cli_s:5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="auditor-report-bench-"))
    try:
        measure("example town", TOWN, workdir, "fr")
        inventory = workdir / "inventory.csv"
        synthetic_inventory(args.rows).to_csv(inventory, sep=";", index=False, encoding="utf-8")
        measure(f"synthetic {args.rows:,}", inventory, workdir, "fr")
        print("targets: town <= 2 MB; 100,000 items <= 6 MB, built in <= 10 s")
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
