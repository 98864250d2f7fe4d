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

The method's French electricity factor (``electricity.csv``, row ``elec-FR-gwp``) is a consumption
factor with grid losses derived openly, because no openly licensed copy of ADEME's own figure (Base
Carbone, "mix moyen consommation") could be verified: the packaged Ember generation intensity
(life cycle, CC BY-SA 4.0) x (1 + grid losses / consumption), the losses being RTE's transmission
losses plus Enedis's distribution losses (figures cited in the row). Imports are not added
(France is a net exporter); low/high = the packaged Ember/Electricity Maps range x the same factor.

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
#: French grid losses and consumption [TWh/year], cited in the row's notes (see LOSS_SOURCES).
LOSSES_TWH = {"transmission (RTE)": 11.5, "distribution (Enedis)": 20.0}
CONSUMPTION_TWH = 468.0
LOSS_SOURCES = ("RTE, 'Losses on the Public Transmission System' (about 2.5 % of consumption, "
                "11.5 TWh a year); Enedis, 'Offsetting network losses' (nearly 6 % of the energy "
                "transmitted, 20 TWh a year); EDF Universal Registration Document 2021, section "
                "1.4.4.1.3 (French corrected consumption 2021: 468 TWh)")
LOSS_URLS = ("http://clients.rte-france.com/lang/an/clients_distributeurs/vie/vie_perte_RPT.jsp ; "
             "https://www.enedis.fr/offsetting-network-losses ; "
             "https://edf.publispeak.com/2021-universal-registration-document/article/55")
ELEC_COLUMNS = ["id", "country", "criterion", "value", "low", "high", "bound_basis", "unit", "source",
                "source_url", "licence", "year", "notes"]
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


def french_consumption_row(package_dir: Path) -> dict:
    """``elec-FR-gwp`` at the consumer: the packaged generation factor x (1 + losses/consumption)."""
    elec = pd.read_csv(package_dir / "electricity.csv", dtype=str, keep_default_na=False)
    maps = pd.read_csv(package_dir / "electricity-maps.csv", dtype=str, keep_default_na=False)
    gen = elec[elec["id"] == "elec-FR-gwp"].iloc[0]
    spread = maps[maps["id"] == "elecmaps-FR-gwp"].iloc[0]
    value = float(gen["value"])
    low = min(value, float(spread["low"]))
    high = max(value, float(spread["high"]))
    loss_twh = sum(LOSSES_TWH.values())
    factor = 1 + loss_twh / CONSUMPTION_TWH
    parts = " + ".join(f"{v:g} TWh {k}" for k, v in LOSSES_TWH.items())
    return dict(
        id="elec-FR-gwp", country="FR", criterion="gwp", value=f"{value * factor:.5g}",
        low=f"{low * factor:.5g}", high=f"{high * factor:.5g}", bound_basis="sources",
        unit="kgCO2e/kWh",
        source=f"derived: {gen['source']} (row elec-FR-gwp) x grid losses from {LOSS_SOURCES}",
        source_url=f"{gen['source_url']} ; {LOSS_URLS}",
        licence=("CC-BY-SA-4.0 + fact -- Ember value via CO2.js (CC BY-SA 4.0); the two bound figures "
                 "of Electricity Maps (ODbL 1.0) and the loss figures are cited as facts (an "
                 "insubstantial extract, Directive 96/9/EC art. 7); attribute \"Ember, via Green Web "
                 "Foundation CO2.js\" and \"Electricity Maps, via Green Web Foundation CO2.js\""),
        year=gen["year"],
        notes=(f"consumption factor with grid losses, derived openly (ADEME's own 'mix moyen "
               f"consommation' figure could not be verified under an open licence): Ember {gen['year']} "
               f"life-cycle generation intensity {value * 1000:g} gCO2e/kWh x (1 + ({parts}) / "
               f"{CONSUMPTION_TWH:g} TWh consumption) = x {factor:.4f}; low/high = the packaged range "
               f"{low * 1000:g}-{high * 1000:g} g (Ember and Electricity Maps 2021-2025) x the same "
               f"factor; imports are not added (France is a net exporter; Electricity Maps' "
               f"consumption-based figures, within the bounds, include them)"),
    )


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
        'name = "ademe"\nversion = "ADEME-Arcep 2022 via Impact CO2; FR consumption mix with grid losses"\n'
        "# the French reference method: no calibrated embodied model\nembodied_model = false\n",
        encoding="utf-8")
    with open(OUT / "electricity.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ELEC_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(french_consumption_row(REPO_ROOT / "factors" / "data"))
    print(f"wrote {OUT / 'embodied.csv'} ({len(rows)} rows), electricity.csv (elec-FR-gwp) and pack.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
