"""Benchmark: page weight of the dashboard and the review page for the example town, and the time
of the review decomposition (matching + every part, every criterion, every group view) at scale.

Target (issue 14): each page <= 2 MB for the example town.

Usage::

    python bench/review.py [--rows 100000]

Prints the size of each page (French and English) and the time of :func:`auditor.review.review`
on the example town and on a synthetic estate of ``--rows`` items (the town's results repeated,
with 5 % removed, 3 % added and the use phase of 10 % changed).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.cli_review import prepare_review  # noqa: E402
from auditor.review import review  # noqa: E402
from reports.dashboard import build_dashboard  # noqa: E402
from reports.review_page import build_review_page  # noqa: E402
from tests.conftest import TODAY  # noqa: E402

TOWN = ROOT / "examples" / "ville-exemple" / "inventaire-glpi.csv"
TOWN_2025 = ROOT / "examples" / "ville-exemple" / "inventaire-glpi-2025.csv"


def scaled(results: pd.DataFrame, rows: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    reps = -(-rows // len(results))
    big = pd.concat([results] * reps, ignore_index=True).head(rows).copy()
    big["id"] = [f"asset-{i:07d}" for i in range(len(big))]
    big["serial_number"] = [f"SN{i:09d}" for i in range(len(big))]
    before = big.sample(frac=0.95, random_state=seed).sort_index().copy()
    new = big.sample(frac=0.03, random_state=seed + 1).copy()
    new["id"] = [f"new-{i:07d}" for i in range(len(new))]
    new["serial_number"] = None
    now = pd.concat([big, new], ignore_index=True)
    changed = rng.random(len(now)) < 0.10
    for column in [c for c in now.columns if "_use_" in c or c.startswith("energy_kwh_per_year")]:
        now.loc[changed, column] = now.loc[changed, column] * 0.8
    for c in ("gwp", "water", "adpe", "pe"):
        for bound in ("", "_low", "_high"):
            unit = {"gwp": "kgco2e", "water": "m3", "adpe": "kgsbeq", "pe": "mj"}[c]
            total, embodied = f"{c}_total_{unit}_per_year{bound}", f"{c}_embodied_{unit}{bound}"
            use = f"{c}_use_{unit}_per_year{bound}"
            now[total] = now[embodied] / now["lifetime_years"] + now[use]
    return now, before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    inputs = prepare_review([TOWN], [TOWN_2025], country="FR", today=TODAY, inhabitants=30_000, agents=450)
    print(f"town: read + assess both years + review + indicators: {time.perf_counter() - start:.1f} s")
    for lang in ("fr", "en"):
        dashboard = build_dashboard(inputs.current.results, lang=lang, inhabitants=30_000, agents=450,
                                    assessment_date=TODAY)
        page = build_review_page(inputs.review, inputs.indicators, lang=lang, review_date=TODAY)
        print(f"town ({lang}): dashboard {len(dashboard.encode()) / 1e6:.2f} MB, "
              f"review page {len(page.encode()) / 1e6:.2f} MB (limit 2 MB)")
    start = time.perf_counter()
    review(inputs.current.results, inputs.baseline.results, current_generated=inputs.current.generated,
           baseline_generated=inputs.baseline.generated)
    print(f"town: review() alone {time.perf_counter() - start:.2f} s "
          f"({len(inputs.current.results):,} vs {len(inputs.baseline.results):,} rows)")
    now, before = scaled(inputs.current.results, args.rows)
    start = time.perf_counter()
    result = review(now, before, before)
    elapsed = time.perf_counter() - start
    totals = result.totals
    parts = totals[["method", "added", "removed", "quantity", "lifetime", "usage", "moved"]].sum(axis=1)
    error = float(((parts - totals["change"]).abs() / totals["current"].abs()).max())
    print(f"{len(now):,} vs {len(before):,} rows: review() {elapsed:.1f} s; "
          f"largest relative gap between the parts and the change: {error:.1e}")
    start = time.perf_counter()
    page = build_review_page(result, inputs.indicators, lang="fr", review_date=TODAY)
    print(f"{len(now):,} rows: review page built in {time.perf_counter() - start:.1f} s, "
          f"{len(page.encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
