#!/usr/bin/env python3
"""Write the previous year's inventory of the fictional town, for trying ``auditor review``.

Reads ``ville-exemple/inventaire-glpi.csv`` (this year, assessed on 15 January 2026) and writes
``ville-exemple/inventaire-glpi-2025.csv``, the same estate one year earlier, as a GLPI export
(same layout: semicolons, UTF-8 with BOM, CRLF):

* devices bought since 15 January 2025 are not in it yet (they show as added);
* 60 old desktops and laptops of 2016-2017, retired during the year, are in it only (removed);
* 40 always-on desktops ran 24 hours a day before being switched off at night (changed usage);
* rows of several identical devices had one device fewer (quantity).

Everything is fictional (see README.md). Deterministic: standard library only, one seeded
``random.Random``; running it again rewrites the file byte for byte.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "ville-exemple" / "inventaire-glpi.csv"
TARGET = HERE / "ville-exemple" / "inventaire-glpi-2025.csv"
SEED = 2025
CUTOFF = (2025, 1, 15)


def _date(text: str) -> tuple[int, int, int] | None:
    parts = text.split("/")
    if len(parts) != 3:
        return None
    try:
        day, month, year = (int(p) for p in parts)
    except ValueError:
        return None
    return year, month, day


def main() -> None:
    rng = random.Random(SEED)
    with SOURCE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        rows = list(reader)
    col = {name: i for i, name in enumerate(header)}
    kept = []
    for row in rows:
        bought = _date(row[col["Date d'achat"]])
        if bought is not None and bought >= CUTOFF:
            continue  # bought during the year: not in last year's inventory
        kept.append(list(row))
    pcs = [r for r in kept if r[col["Type"]] in ("Poste fixe", "Unité centrale", "Ordinateur")]
    for row in rng.sample(pcs, 40):
        if row[col["Heures par jour"]] in ("", "10", "8", "9"):
            row[col["Heures par jour"]] = "24"  # left on at night last year
    for row in kept:
        quantity = row[col["Quantité"]]
        if quantity.isdigit() and int(quantity) > 2 and rng.random() < 0.5:
            row[col["Quantité"]] = str(int(quantity) - 1)
    templates = [r for r in kept if r[col["Type"]] in ("Poste fixe", "Ordinateur portable")]
    retired = []
    for i, template in enumerate(rng.sample(templates, 60), start=1):
        row = list(template)
        row[col["Nom"]] = f"{template[col['Nom']]}-R{i:02d}"
        row[col["Numéro de série"]] = "RET" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
                                                      for _ in range(9))
        row[col["Date d'achat"]] = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.choice((2016, 2017))}"
        row[col["Système d'exploitation"]] = "Windows 10 Pro" if row[col["Système d'exploitation"]] else ""
        row[col["Commentaire"]] = "Retiré en 2025"
        retired.append(row)
    with TARGET.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(kept + retired)
    print(f"wrote {TARGET} ({len(kept) + len(retired)} rows)")


if __name__ == "__main__":
    main()
