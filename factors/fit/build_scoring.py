"""Build factors/data/scoring.csv: the cited parameters of the sobriety, repairability and
obsolescence scores and of the recommendations (method in docs/scoring.md).

The table has the columns of ``parameters.csv`` (loaded with ``load_table("parameters", path)``,
so every row is unit-checked from its name: ``_pct`` percent, ``_years`` year, ``_gb`` GB, other
names dimensionless). Two kinds of rows:

* figures typed in from a publication (grade boundaries, thresholds, published averages), with
  the publication in ``source``;
* weights of the obsolescence risk (points per reason) and the risk levels, the sobriety
  footprint anchors and the repairability priors and adjustments, which no publication gives: they are choices of this tool's method, said so in ``source`` and explained in
  ``notes`` and docs/scoring.md. They have no spread (low = value = high).

Usage::

    python -m factors.fit.build_scoring
"""

from __future__ import annotations

import csv
import sys

from factors.fit import REPO_ROOT

OUT = REPO_ROOT / "factors" / "data" / "scoring.csv"
COLUMNS = ["id", "parameter", "value", "low", "high", "unit", "source", "source_url", "licence",
           "year", "notes"]

METHOD = ("Method choice of this tool (docs/scoring.md): a weighting, not a measured figure; "
          "no publication gives weights for an obsolescence risk score, anchors for a device "
          "sobriety score or a repairability estimate for devices without an index")
METHOD_URL = "docs/scoring.md"
METHOD_LICENCE = "project documentation (AGPL-3.0-or-later)"

S = {
    "ecoindex": (
        "cnumr, EcoIndex reference data (ecoindex_reference.json; same values in ecoindex-compute "
        "5.10.0 ecoindex/data/grades.py): grade thresholds A 80, B 70, C 55, D 40, E 25, F 10, G 0, "
        "compared strictly (score > threshold); read via shared/notes/scoring-methods.md section 1.3",
        "https://github.com/cnumr/ecoindex_reference",
        "CC-BY-NC-ND-3.0 data; only the threshold figures are used (facts), no file copied", 2024),
    "epa2007": (
        "NRDC & Anthesis (2014), Data Center Efficiency Assessment, Issue Paper IP:14-08-a, citing "
        "US EPA (2007) Report to Congress on Server and Data Center Energy Efficiency: typical "
        "servers use 5 to 15 % of their maximum capability; read via GreenBiz (2014) and buildings.com",
        "https://www.greenbiz.com/blog/2014/08/26/why-majority-data-centers-failing-energy-efficiency",
        "NGO report; facts quoted with attribution", 2007),
    "nrdc2014": (
        "NRDC & Anthesis (2014), Data Center Efficiency Assessment, Issue Paper IP:14-08-a: the "
        "average server operates at 12 to 18 % of its capacity; up to 30 % of servers are comatose; "
        "read via GreenBiz (2014) and buildings.com (2014)",
        "https://www.greenbiz.com/blog/2014/08/26/why-majority-data-centers-failing-energy-efficiency",
        "NGO report; facts quoted with attribution", 2014),
    "ccf": (
        "Cloud Carbon Footprint (Thoughtworks), cloud constants AVG_CPU_UTILIZATION_2020 = 50 % for "
        "AWS, GCP and Azure hyperscale servers (packages/core and packages/*/src/domain/*Footprint"
        "EstimationConstants.ts) | mmcloud.io (2023): hyperscale providers keep servers at 2 to 5 "
        "times the utilisation of private data centres",
        "https://github.com/cloud-carbon-footprint/cloud-carbon-footprint",
        "Apache-2.0 software; only the figure is used", 2020),
    "eu1670": (
        "Commission Regulation (EU) 2023/1670 (ecodesign of smartphones and slate tablets, OJ L 214, "
        "31.8.2023), applicable from 20 June 2025: batteries keep at least 80 % of rated capacity "
        "after 800 full cycles; spare parts available until 7 years after the end of placement on "
        "the market; read via shared/notes/scoring-methods.md section 3.3 (eur-lex summary)",
        "https://eur-lex.europa.eu/eli/reg/2023/1670/oj",
        "EU legislation, reuse authorised (Commission Decision 2011/833/EU)", 2023),
    "win11": (
        "Microsoft, 'Windows 11 specifications and system requirements': 4 GB RAM, 64 GB storage, "
        "TPM version 2.0, UEFI Secure Boot, a processor on the compatible list; read via "
        "shared/notes/scoring-methods.md section 4.1 (table reproduced in github.com/Koomafloo/"
        "BypassWin11 and the limehawk/rmm-scripts wiki)",
        "https://www.microsoft.com/windows/windows-11-specifications",
        "vendor specification; facts quoted with attribution", 2021),
    "win10": (
        "Microsoft, Windows 10 minimum hardware requirements: RAM 1 GB for 32-bit, 2 GB for 64-bit; "
        "storage 16 GB (32-bit) / 20 GB (64-bit); read via drivereasy.com and dolphincomputer.co.in",
        "https://www.microsoft.com/windows/windows-10-specifications",
        "vendor specification; facts quoted with attribution", 2015),
    "flex": (
        "Google, ChromeOS Flex minimum device requirements: Intel or AMD x86-64 device, 4 GB RAM, "
        "16 GB internal storage, bootable from USB; components made before 2010 may give a poor "
        "experience; read via pocketnow.com (2022-02-16) and asiaone.com (Hardware Zone)",
        "https://support.google.com/chromeosflex/answer/11552529",
        "vendor documentation; facts quoted with attribution", 2022),
    "arrete2020": (
        "Arrêté du 29 décembre 2020 relatif aux modalités d'affichage, à la signalétique et aux "
        "paramètres généraux de calcul de l'indice de réparabilité (JORF 31.12.2020): colour bands "
        "red 0-1.9, orange 2-3.9, yellow 4-5.9, light green 6-7.9, dark green 8-10; five criteria "
        "each scored out of 20 (documentation, disassembly, spare-part availability, spare-part "
        "price, category-specific), total /100 divided by 10; read via lachasseaugaspi.fr, "
        "blog.aujourdhui.com, le-smartphone.fr and laptopspirit.fr",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000042751679",
        "French official text (Licence Ouverte / public information)", 2020),
    "ufc2021": (
        "UFC-Que Choisir (December 2021), 'Indice de réparabilité : une indispensable réforme pour "
        "le crédibiliser' (service des études): average index 7.2/10 for smartphones and 6.6/10 for "
        "televisions; average spare-part availability sub-score 4.8/10 (smartphones) and 3.1/10 "
        "(televisions); read via Numerama (C. Bechade, 14.12.2021) relayed by CFE-CGC Orange, and "
        "TF1info (5.11.2022)",
        "https://www.quechoisir.org/action-ufc-que-choisir-indice-de-reparabilite-une-indispensable-reforme-pour-le-credibiliser-n97772/",
        "consumer-association study; facts quoted with attribution", 2021),
    "pirg2025": (
        "U.S. PIRG Education Fund (2025), 'Failing the Fix', averages of the French repairability "
        "index of each brand's recent laptops: Asus 7.2, Acer 7.1, Lenovo 7.3 (one model only), "
        "Microsoft 6.5, HP 5.9, Apple 4.3; read via ITdaily (fr.itdaily.be, 2025) and rigth.news "
        "(secondary relays; the report itself was not read)",
        "https://pirg.org/edfund/resources/failing-the-fix/",
        "NGO report (CC BY-NC-ND 4.0); only the figures are used (facts)", 2025),
    "decret2021": (
        "Décret n° 2021-1943 du 31 décembre 2021 relatif à la durée de disponibilité des pièces "
        "détachées pour les ordinateurs portables et les téléphones mobiles multifonctions: listed "
        "parts available at least five years after the last unit of the model is placed on the "
        "market, from 1 January 2022; read via ma-veille-juridique.com, channelnews.fr and "
        "actu-environnement.com",
        "https://www.legifrance.gouv.fr/eli/decret/2021/12/31/2021-1943/jo/texte",
        "French official text (Licence Ouverte / public information)", 2021),
    "eu1669": (
        "Commission Delegated Regulation (EU) 2023/1669 (energy labelling of smartphones and slate "
        "tablets, OJ L 214, 31.8.2023), Annex IV point 5: repairability index R from 1 to 5 and "
        "classes A (R >= 4.00), B (3.35-4.00), C (2.55-3.35), D (1.75-2.55), E (1.00-1.75); label "
        "from 20 June 2025; read via shared/notes/scoring-methods.md section 3.3 "
        "(product-compliance-services.eu, migliore.eu)",
        "https://eur-lex.europa.eu/eli/reg_del/2023/1669/oj",
        "EU legislation, reuse authorised (Commission Decision 2011/833/EU)", 2023),
    "eu2021": (
        "Commission Regulation (EU) 2019/2021 (ecodesign of electronic displays: televisions, "
        "monitors, signage; OJ L 315, 5.12.2019), Annex II point D, design for repair and reuse, "
        "applicable from 1 March 2021: listed spare parts (power supply, stand, connectors, "
        "controls, panels...) available to professional repairers for at least seven years after "
        "the last unit of the model is placed on the market; read via getenviropass.com "
        "(Regulation 2019/2021 displays ecodesign requirements) and the regulation text on eur-lex",
        "https://eur-lex.europa.eu/eli/reg/2019/2021/oj",
        "EU legislation, reuse authorised (Commission Decision 2011/833/EU)", 2019),
    "manuals": (
        "Vendors' public service documentation for their business lines: Dell service manuals "
        "(Latitude, OptiPlex, Precision, PowerEdge; dell.com/support/manuals), HP maintenance and "
        "service guides (EliteBook, ProBook, ZBook, EliteDesk, ProDesk, ProLiant), Lenovo hardware "
        "maintenance manuals (ThinkPad, ThinkCentre, ThinkStation, ThinkSystem), Fairphone and "
        "Framework repair guides; the existence of these public manuals is the fact used, the "
        "points given for it are this tool's method choice",
        "https://www.dell.com/support/manuals",
        "vendor documentation; facts quoted with attribution", 2026),
}


def row(pid: str, parameter: str, value: float, cite: str | None, notes: str,
        low: float | None = None, high: float | None = None, unit: str = "") -> dict[str, object]:
    if cite is None:
        source, url, licence, year = METHOD, METHOD_URL, METHOD_LICENCE, 2026
    else:
        source, url, licence, year = S[cite]
    if not unit:
        unit = ("percent" if parameter.endswith("_pct") else "year" if parameter.endswith("_years")
                else "GB" if parameter.endswith("_gb") else "dimensionless")
    return {"id": pid, "parameter": parameter, "value": value,
            "low": value if low is None else low, "high": value if high is None else high,
            "unit": unit, "source": source, "source_url": url, "licence": licence, "year": year,
            "notes": notes}


def rows() -> list[dict[str, object]]:
    out = []
    grades = (("a", 80), ("b", 70), ("c", 55), ("d", 40), ("e", 25), ("f", 10))
    for letter, threshold in grades:
        out.append(row(f"score-sobriety-grade-{letter}", f"sobriety_grade_{letter}_above", threshold,
                       "ecoindex", f"Sobriety grade {letter.upper()} when the score is strictly above "
                       f"{threshold} (EcoIndex rule, so web and device grades read alike)."))
    out += [
        row("score-server-load-idle", "server_load_idle_pct", 5, "epa2007",
            "Utilisation sub-score 0 at or below this mean CPU load: the low end of typical server "
            "use (US EPA 2007, 5-15 %). A server at 2 % is idle capacity."),
        row("score-server-load-reference", "server_load_reference_pct", 15, "nrdc2014",
            "Utilisation sub-score 50 at the average on-premise server load (NRDC 2014, 12-18 %; "
            "midpoint). Servers below it are consolidation candidates.", low=12, high=18),
        row("score-server-load-target", "server_load_target_pct", 50, "ccf",
            "Utilisation sub-score 100 at the mean CPU load assumed for hyperscale cloud servers "
            "(CCF 2020 constant); also the target load of consolidated hosts."),
    ]
    for letter, floor in (("a", 8), ("b", 6), ("c", 4), ("d", 2)):
        out.append(row(f"score-repairability-grade-{letter}", f"repairability_grade_{letter}_from", floor,
                       "arrete2020", f"Repairability grade {letter.upper()} from {floor}/10 (colour band of "
                       "the French index); E below 2."))
    out += [
        row("score-repairability-criterion-share", "repairability_criterion_share_fraction", 0.2,
            "arrete2020", "Each of the five criteria is 20 points of 100, i.e. 2 of the 10 index points."),
        row("score-repairability-baseline-smartphone", "repairability_baseline_smartphone", 7.2,
            "ufc2021", "Estimate for a smartphone without an official index: the average index of "
            "smartphones (UFC-Que Choisir 2021)."),
        row("score-repairability-baseline-tv", "repairability_baseline_tv", 6.6, "ufc2021",
            "Estimate for a television without an official index: the average index of TVs."),
        row("score-repairability-parts-smartphone", "repairability_parts_subscore_smartphone", 4.8,
            "ufc2021", "Average spare-part availability sub-score of smartphones (/10): the share of "
            "the estimate lost when the legal parts period is over."),
        row("score-repairability-parts-tv", "repairability_parts_subscore_tv", 3.1, "ufc2021",
            "Average spare-part availability sub-score of TVs (/10); not used for the age "
            "adjustment (no parts period cited for TVs here)."),
    ]
    brands = {"asus": 7.2, "acer": 7.1, "lenovo": 7.3, "microsoft": 6.5, "hp": 5.9, "apple": 4.3}
    for brand, value in brands.items():
        out.append(row(f"score-repairability-laptop-{brand}", f"repairability_laptop_brand_{brand}", value,
                       "pirg2025", f"Estimate for a {brand} laptop without an official index: the brand's "
                       "average French index in PIRG's 2025 sample."))
    values = list(brands.values())
    mean = round(sum(values) / len(values), 3)
    out.append(row("score-repairability-baseline-laptop", "repairability_baseline_laptop", mean, "pirg2025",
                   "Estimate for a laptop of another or unknown brand: mean of the six brand averages "
                   f"({', '.join(f'{v}' for v in values)}) = {mean}; low/high = lowest/highest brand.",
                   low=min(values), high=max(values)))
    out += [
        row("score-parts-years-laptop", "parts_availability_laptop_years", 5, "decret2021",
            "Spare parts of laptops guaranteed for at least 5 years after the model's last unit is "
            "placed on the market; counted here from the purchase date (the earliest possible end)."),
        row("score-parts-years-smartphone", "parts_availability_smartphone_years", 5, "decret2021",
            "Same rule for smartphones bought before 20 June 2025."),
        row("score-parts-years-eu-phone-tablet", "parts_availability_eu_phone_tablet_years", 7, "eu1670",
            "Smartphones and slate tablets placed on the EU market from 20 June 2025: parts until 7 "
            "years after the end of placement on the market (counted from the purchase date)."),
        row("score-battery-worn", "battery_worn_threshold_pct", 80, "eu1670",
            "Battery worn below 80 % of its design capacity: the end-of-life threshold of the EU "
            "ecodesign battery-endurance requirement (800 cycles at >= 80 %)."),
        row("score-win11-ram", "win11_min_ram_gb", 4, "win11", "Windows 11 minimum memory."),
        row("score-win11-storage", "win11_min_storage_gb", 64, "win11", "Windows 11 minimum storage."),
        row("score-win11-tpm", "win11_min_tpm_version", 2, "win11",
            "Windows 11 minimum TPM version (checked only when a tpm_version column is present)."),
        row("score-win10-ram", "win10_min_ram_gb", 2, "win10", "Windows 10 (64-bit) minimum memory."),
        row("score-flex-ram", "chromeos_flex_min_ram_gb", 4, "flex", "ChromeOS Flex minimum memory."),
        row("score-flex-storage", "chromeos_flex_min_storage_gb", 16, "flex", "ChromeOS Flex minimum storage."),
        row("score-obso-eol-soon-window", "obsolescence_eol_soon_years", 1, None,
            "An OS release whose free security support ends within this window gets its update or "
            "upgrade planned now (software_status update_due / upgrade_due; one budget year)."),
    ]
    out += [
        row("score-sobriety-ratio-best", "sobriety_footprint_ratio_best", 0.5, None,
            "Footprint sub-score 100 when the item's yearly footprint for its service is half its "
            "category reference or less (log scale: 0.71x scores 75)."),
        row("score-sobriety-ratio-worst", "sobriety_footprint_ratio_worst", 2.0, None,
            "Footprint sub-score 0 when the item's yearly footprint for its service is twice its "
            "category reference or more (log scale: 1.41x scores 25)."),
        row("score-repair-prior-other", "repairability_prior_other", 5.0, None,
            "Category prior of a category no index covers (desktops, servers, monitors, printers, "
            "network...): the middle of the 0-10 scale, with wide bounds (1-9): nothing is known.",
            low=1.0, high=9.0),
        row("score-repair-prior-spread", "repairability_prior_spread", 2.5, None,
            "Half-width of the bounds of a category prior taken from a published average (laptops, "
            "smartphones, televisions): individual models spread widely around their family's mean."),
        row("score-repair-estimate-spread", "repairability_estimate_spread", 1.5, None,
            "Half-width of the bounds of an estimate made from the item's own facts (brand, form "
            "factor, memory, documentation, parts period)."),
        row("score-repair-tower", "repairability_form_tower_points", 1.0, None,
            "Tower desktop: standard-size parts (ATX power supply, drives, cards, memory) reached "
            "with common tools; raises the disassembly and part-price criteria."),
        row("score-repair-mini", "repairability_form_mini_points", 1.0, None,
            "Mini / tiny / micro desktop: external power brick, laptop-style parts; lowers the "
            "disassembly criterion (points subtracted)."),
        row("score-repair-aio", "repairability_form_aio_points", 2.0, None,
            "All-in-one: screen and computer in one case, proprietary boards and panels; lowers "
            "disassembly and part price (points subtracted)."),
        row("score-repair-soldered", "repairability_memory_soldered_points", 1.0, None,
            "Memory soldered to the board: cannot be replaced or upgraded (points subtracted)."),
        row("score-repair-socketed", "repairability_memory_socketed_points", 0.5, None,
            "Memory in sockets: replaceable and upgradable (points added)."),
        row("score-repair-manual", "repairability_service_manual_points", 0.5, "manuals",
            "Model family with a public service manual (business lines): documentation criterion "
            "(points added; the points are a method choice, the manuals are the fact)."),
        row("score-parts-years-display", "parts_availability_display_years", 7, "eu2021",
            "Monitors and televisions placed on the EU market from 1 March 2021: parts until 7 "
            "years after the model's last unit (counted here from the purchase date)."),
    ]
    for letter, floor in (("a", 4.0), ("b", 3.35), ("c", 2.55), ("d", 1.75), ("e", 1.0)):
        out.append(row(f"score-eu-repair-class-{letter}", f"eu_repairability_class_{letter}_from", floor, "eu1669",
                       f"EU label repairability class {letter.upper()} from R = {floor} (R from 1 to 5); "
                       "mapped linearly to the 0-10 scale ((R - 1) / 4 x 10, a method choice)."))
    out.append(row("score-eu-repair-max", "eu_repairability_index_max", 5.0, "eu1669",
                   "Highest repairability index R of the EU label (parameter scores 1 to 5)."))
    points = (
        ("age", "obsolescence_age_points", 25,
         "Points at age = expected lifetime; proportional to age / lifetime, capped (next row): "
         "age raises the risk of failure, but is never by itself a due date: a device at its "
         "expected lifetime is 'medium' on age alone, at twice it 'high', never 'critical'."),
        ("age-cap", "obsolescence_age_ratio_cap", 2,
         "Age / lifetime ratio beyond which age adds no more points (50 points at most)."),
        ("eol-past", "obsolescence_eol_past_points", 50,
         "No supported OS runs on this hardware: phones, tablets and Macs whose OS version is out "
         "of support (a newer one depends on the model), Windows 10 on a PC that cannot run "
         "Windows 11, once support has ended: high on its own. A free update or upgrade that runs "
         "on the hardware gives no points (it is upkeep, see software_status). Servers, storage, "
         "firewalls and routers on an unsupported OS without a free upgrade path are floored to "
         "critical (CISA, 'Bad Practices', 2021: unsupported software is dangerous, especially on "
         "internet-accessible technology)."),
        ("stranded", "obsolescence_win11_stranded_points", 40,
         "Windows 10 PC that cannot run Windows 11 (CPU not on Microsoft's list, or RAM, storage or "
         "TPM below the minimum), its support ended or ending within the window: with the 50 points "
         "above it is critical once support has ended."),
        ("battery", "obsolescence_battery_points", 20, "Battery below the worn threshold."),
        ("ram", "obsolescence_ram_points", 20, "Memory below the OS minimum."),
        ("warranty", "obsolescence_warranty_points", 10, "Warranty ended (warranty_end in the past)."),
        ("parts", "obsolescence_parts_points", 10,
         "Legal spare-part period over (laptops, smartphones, tablets, monitors, TVs; counted from "
         "the purchase date): a failure may no longer be repairable with new parts."),
        ("level-medium", "obsolescence_level_medium_from", 25, "Risk level 'medium' from this score."),
        ("level-high", "obsolescence_level_high_from", 50, "Risk level 'high' from this score."),
        ("level-critical", "obsolescence_level_critical_from", 75, "Risk level 'critical' from this score."),
    )
    for pid, parameter, value, notes in points:
        out.append(row(f"score-obso-{pid}", parameter, value, None, notes))
    return out


def main() -> int:
    data = rows()
    ids = [r["id"] for r in data]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in data:
        assert 0 <= r["low"] <= r["value"] <= r["high"], r["id"]
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    print(f"{OUT.relative_to(REPO_ROOT)}: {len(data)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
