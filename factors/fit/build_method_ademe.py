"""Build the French reference method's factor pack, ``factors/data/methods/ademe/``.

The method replaces the embodied GHG figures of the device categories that ADEME publishes openly
by ADEME-Arcep (2022), "Evaluation de l'impact environnemental du numerique en France et analyse
prospective", as encoded in ADEME's own Impact CO2 repository (incubateur-ademe/impactco2, MIT
licence, file ``src/data/categories/numerique.json``; value = stages "Construction" + "Assemblage
et distribution" + "end of life"), read from the project's reference table
``shared/data/embodied/embodied-factors.csv``. ADEME gives one figure per device type, no spread:
the rows have low = value = high (``bound_basis`` none). Where a packaged category has a per-inch
row (monitor, tv) the method names it with value 0, so that the ADEME per-device figure stands
alone. The calibrated embodied model (manufacturers' footprints) is switched off (``method.toml``).

Not in the method (no openly licensed figure found, see ``methods.md``): a French consumption-mix
electricity factor with grid losses; the packaged Ember generation factor stays until a pack
supplies ``elec-FR-gwp``.

Usage::

    python -m factors.fit.build_method_ademe [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT

OUT = REPO_ROOT / "factors" / "data" / "methods" / "ademe"
#: category -> subcategory text (prefix) of the ADEME-Arcep 2022 row used
ROWS = {
    "laptop": "laptop (14.6in mix",
    "desktop": "desktop without screen, professional",
    "monitor": "computer monitor, 24in average",
    "tablet": "tablet (10.53in mix",
    "smartphone": "smartphone (6.63in mix",
    "tv": "television, mix",
    "router": "ISP home gateway (box, xDSL/FTTx)",
}
PER_INCH = ("monitor", "tv")
COLUMNS = ["id", "category", "criterion", "driver", "value", "low", "high", "bound_basis", "unit",
           "source", "source_url", "licence", "year", "notes"]
LICENCE = ("MIT -- ADEME Impact CO2 repository (incubateur-ademe/impactco2, licence file: MIT, "
           "Copyright (c) 2022 Datagir); figures of ADEME-Arcep 2022")


def build(data_dir: Path) -> list[dict]:
    shared = pd.read_csv(data_dir / "embodied" / "embodied-factors.csv", dtype=str, keep_default_na=False)
    arcep = shared[shared["source"].str.contains("Arcep") & (shared["criterion"] == "gwp")
                   & (shared["year"] == "2022")]
    rows = []
    for category, prefix in ROWS.items():
        found = arcep[(arcep["category"] == category) & arcep["subcategory"].str.startswith(prefix)]
        if len(found) != 1:
            raise SystemExit(f"{category}: expected one ADEME-Arcep 2022 row starting {prefix!r}")
        r = found.iloc[0]
        rows.append(dict(
            id=f"emb-{category.replace('_', '-')}-gwp-device", category=category, criterion="gwp",
            driver="device", value=r["value"], low=r["value"], high=r["value"], bound_basis="none",
            unit=r["unit"], source=r["source"], source_url=r["source_url"], licence=LICENCE,
            year=r["year"], notes=f"ADEME-Arcep 2022 '{r['subcategory']}': {r['scope']}; {r['notes']}".strip("; "),
        ))
        if category in PER_INCH:
            rows.append(dict(
                id=f"emb-{category}-gwp-screen-size-in", category=category, criterion="gwp",
                driver="screen_size_in", value="0", low="0", high="0", bound_basis="none",
                unit="kgCO2e/inch", source=r["source"], source_url=r["source_url"], licence=LICENCE,
                year=r["year"], notes="set to 0 by the ademe method: ADEME gives one figure per device "
                                      "(see the device row), not a per-inch one",
            ))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = build(args.data_dir)
    with open(OUT / "embodied.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (OUT / "pack.toml").write_text(
        'name = "ademe"\nversion = "ADEME-Arcep 2022 via Impact CO2"\n'
        "# the French reference method: no calibrated embodied model\nembodied_model = false\n",
        encoding="utf-8")
    print(f"wrote {OUT / 'embodied.csv'} ({len(rows)} rows) and pack.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
