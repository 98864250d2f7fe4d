"""The results contract: column names, units and meanings of the assessment table.

``reports`` depends on this module only, never on how footprints are computed.
``docs/results.md`` is generated from :data:`COLUMN_DOCS` (``python -m auditor.results``), so
documentation and code cannot drift apart.
"""

from __future__ import annotations

from factors.tables import CRITERIA

#: Unit token used in column names, per criterion.
UNIT_OF: dict[str, str] = {"gwp": "kgco2e", "water": "m3", "adpe": "kgsbeq", "pe": "mj"}
#: Human unit, per criterion.
UNIT_LABEL: dict[str, str] = {"gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq", "pe": "MJ"}
CRITERION_LABEL: dict[str, str] = {
    "energy": "final electricity",
    "gwp": "climate change (greenhouse gases)",
    "water": "water consumption",
    "adpe": "abiotic depletion, minerals and metals",
    "pe": "primary energy",
}

_BASE: list[tuple[str, str, str]] = [
    ("id", "", "Item id from the inventory, or `<file stem>-<row>` when the inventory has none."),
    ("name", "", "Item name from the inventory."),
    ("category", "", "Canonical category (server, desktop, laptop, ...)."),
    ("quantity", "", "Number of identical devices the row stands for; all impacts are for the whole quantity."),
    ("site", "", "Site from the inventory."),
    ("department", "", "Department from the inventory."),
    ("country", "", "ISO 3166 alpha-2 code of the country whose electricity the item uses."),
    ("year", "", "Purchase year (from the purchase date when given)."),
    ("lifetime_years", "year", "Lifetime over which the embodied impact is spread (inventory, else category archetype)."),
    ("age_years", "year", "Age at the assessment date (purchase date, else 1 July of the year); empty when unknown."),
    ("power_w", "W", "Mean wall power of ONE device while on, without PUE."),
    ("pue", "", "Power usage effectiveness applied to the item's energy (1 outside server rooms)."),
    ("energy_kwh_per_year", "kWh/year", "Final electricity per year for the whole quantity, PUE included where it applies."),
    ("energy_kwh_per_year_low", "kWh/year", "Low bound of energy_kwh_per_year."),
    ("energy_kwh_per_year_high", "kWh/year", "High bound of energy_kwh_per_year."),
    ("energy_source", "", "Where the energy comes from: measured, declared, modelled or default."),
]

_CRITERION_DOCS = [
    ("{c}_embodied_{u}", "{U}", "Embodied {label} (manufacture, transport, end of life) of the whole quantity, not annualised."),
    ("{c}_use_{u}_per_year", "{U}/year", "Use-phase {label} per year: energy x the country's electricity factor."),
    ("{c}_total_{u}_per_year", "{U}/year", "Embodied spread over the lifetime plus use, per year."),
]

_TAIL: list[tuple[str, str, str]] = [
    ("filled_specs", "", "Specs taken from the category archetype because the inventory lacked them (';'-separated)."),
    ("factor_ids", "", "Ids of every factor used for the row (';'-separated); see `auditor factors`."),
    ("warnings", "", "Implausible values found in the inventory row (';'-separated); empty when none."),
]


def _build() -> list[tuple[str, str, str]]:
    docs = list(_BASE)
    for c in CRITERIA:
        u, unit = UNIT_OF[c], UNIT_LABEL[c]
        for pattern, unit_pattern, text in _CRITERION_DOCS:
            name = pattern.format(c=c, u=u)
            docs.append((name, unit_pattern.format(U=unit), text.format(label=CRITERION_LABEL[c])))
            docs.append((f"{name}_low", unit_pattern.format(U=unit), f"Low bound of {name}."))
            docs.append((f"{name}_high", unit_pattern.format(U=unit), f"High bound of {name}."))
    docs.extend(_TAIL)
    return docs


#: Scores added to the footprint columns by :func:`auditor.scoring.score` (docs/scoring.md).
_SCORES: list[tuple[str, str, str]] = [
    ("sobriety_score", "0-100", "Sobriety score (higher is more sober): mean of the sub-scores that apply: the yearly footprint for the service given (GHG, water, ADPe, primary energy: manufacture over the lifetime plus use) against the category reference (50 at the reference, 100 at half, 0 at twice), server utilisation, hours on outside working time, over-provisioning. A default item scores 50; for web services, their EcoIndex score (empty until measured)."),
    ("sobriety_grade", "", "Sobriety grade A-G (EcoIndex thresholds, strict: A above 80, B above 70, C 55, D 40, E 25, F 10, else G)."),
    ("sobriety_reasons", "", "What drives the sobriety score, in words (';'-separated)."),
    ("repairability_score", "0-10", "Repairability /10 for every item: the French index when given, else the EU label class, else an estimate from the item's facts (brand, form factor, memory, service manual, spare-part period), else the category prior."),
    ("repairability_score_low", "0-10", "Low bound of repairability_score (equal to it for a given index)."),
    ("repairability_score_high", "0-10", "High bound of repairability_score."),
    ("repairability_grade", "", "Repairability grade A-E (index colour bands: A 8-10, B 6-7.9, C 4-5.9, D 2-3.9, E below 2)."),
    ("repairability_source", "", "official (inventory index or EU class), estimated (from the item's own facts) or category (category prior, wide bounds)."),
    ("repairability_reasons", "", "What the repairability score is made of, in words (';'-separated), with the points of each fact."),
    ("obsolescence_risk", "0-100", "Risk that the hardware must be replaced: no supported OS can run on it (Windows 10 PC that cannot run Windows 11; phone, tablet or Mac without updates), worn battery, memory below the OS minimum, spare-part period over, warranty ended, age against the average life. Software upkeep (a free update or upgrade) is not counted here."),
    ("obsolescence_level", "", "low (< 25), medium (< 50), high (< 75) or critical; a server or network device on an unsupported OS with no free upgrade path is critical, on a paid extension only at least high."),
    ("obsolescence_reasons", "", "Why, in words (';'-separated): Windows 11 blockers, OS support for device-bound systems, battery, parts, warranty, age..."),
    ("replacement_due", "date", "Date from which something forces the hardware's replacement (the end of support of the last OS it can run); empty when nothing does. A device past its average life is not due: it is a lifetime-extension opportunity."),
    ("software_status", "", "OS upkeep: supported (free support beyond a year, free LTS included), update_due (free update of the same line), upgrade_due (free release upgrade on this hardware), extended_support (only a paid extension: ESU, Ubuntu Pro/ESM, ELS, LTSS) or unsupported; empty when the OS or version is unknown."),
    ("software_action", "", "What to do about the OS, in words, with the dates and the paid extensions named."),
    ("security_support_until", "date", "End of the OS's free security support (of the paid extension for extended_support)."),
    ("win11_eligibility", "", "Windows 10 (or older) PCs only: eligible, ineligible (CPU, memory, storage or TPM below Windows 11's minimum) or unknown (CPU not given)."),
]

#: Web-service columns (:mod:`auditor.web.footprint`), present only when the inventory has
#: ``web_service`` rows; empty on the other rows. The ``hosting_*`` shares are NOT in the totals.
_WEB: list[tuple[str, str, str]] = [
    ("web_views_per_year", "view/year", "Web service: page views per year (monthly_visits x 12)."),
    ("web_ecoindex_score", "0-100", "Web service: EcoIndex score of its typical page (dom_elements, requests, transfer_kb; docs/web.md)."),
    ("web_ecoindex_grade", "", "Web service: EcoIndex grade A-G (strictly above 80, 70, 55, 40, 25, 10)."),
    ("web_ghg_g_per_view", "gCO2e/view", "Web service: greenhouse gases per page view (EcoIndex); x views per year = gwp_use and gwp_total."),
    ("web_water_cl_per_view", "cl/view", "Web service: blue water per page view (EcoIndex); x views per year = water_use and water_total."),
    ("hosting_energy_kwh_per_year", "kWh/year", "Web service: its share of the energy of the inventory servers it runs on (hosted_on). Already counted on the servers' own rows: never add it to the totals."),
    ("hosting_gwp_kgco2e_per_year", "kgCO2e/year", "Web service: its share of the hosting servers' gwp_total (not in the totals, as above)."),
    ("hosting_water_m3_per_year", "m3/year", "Web service: its share of the hosting servers' water_total (not in the totals)."),
    ("hosting_adpe_kgsbeq_per_year", "kgSbeq/year", "Web service: its share of the hosting servers' adpe_total (not in the totals)."),
    ("hosting_pe_mj_per_year", "MJ/year", "Web service: its share of the hosting servers' pe_total (not in the totals)."),
    ("hosting_servers", "", "Web service: the servers it runs on with the share it carries (declared share, else an even split of what the other services leave)."),
]

#: Identity and provenance columns added last by :func:`auditor.api.assess_table`: the keys a
#: year-over-year review matches items on, and which method made the table (auditor.provenance).
_PROVENANCE: list[tuple[str, str, str]] = [
    ("serial_number", "", "Serial number from the inventory (kept as written); matches an item across years when ids differ."),
    ("model", "", "Model from the inventory (kept as written); with the name, the last key to match an item across years."),
    ("tool_version", "", "Release of sobriety-auditor that wrote the table (categorical: one value for the whole table)."),
    ("method_version", "", "Version of the factor tables and models used: the factor library's fingerprint (factor packs included), else `tables-` and a SHA-256 of its tables. Two tables with the same value were made with the same method; `auditor review` uses it to separate method change from estate change."),
]

#: (column, unit, description) for every results column, in order.
COLUMN_DOCS: list[tuple[str, str, str]] = [*_build(), *_SCORES, *_PROVENANCE]
#: (column, unit, description) of the web-service columns, appended only when there are web services.
WEB_COLUMN_DOCS: list[tuple[str, str, str]] = list(_WEB)
#: Columns made by the footprint engine (:func:`auditor.footprint.assess`), in order.
RESULT_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _build())
#: Score columns (:func:`auditor.scoring.score`), written after the footprint columns.
SCORE_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _SCORES)
#: Identity and provenance columns (:mod:`auditor.provenance`), written last.
PROVENANCE_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _PROVENANCE)
#: Every column of the results table written by ``auditor assess``, in order.
ALL_RESULT_COLUMNS: tuple[str, ...] = RESULT_COLUMNS + SCORE_COLUMNS + PROVENANCE_COLUMNS
#: Columns added after them when the inventory has web services.
WEB_RESULT_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _WEB)


def total_column(criterion: str, bound: str = "") -> str:
    """Name of the per-year total column of a criterion (``bound`` is ``""``, ``"low"`` or ``"high"``)."""
    if criterion == "energy":
        name = "energy_kwh_per_year"
    else:
        name = f"{criterion}_total_{UNIT_OF[criterion]}_per_year"
    return f"{name}_{bound}" if bound else name


def embodied_column(criterion: str, bound: str = "") -> str:
    name = f"{criterion}_embodied_{UNIT_OF[criterion]}"
    return f"{name}_{bound}" if bound else name


def use_column(criterion: str, bound: str = "") -> str:
    name = f"{criterion}_use_{UNIT_OF[criterion]}_per_year"
    return f"{name}_{bound}" if bound else name


def markdown_table() -> str:
    """The column table of docs/results.md."""
    lines = ["| column | unit | meaning |", "|---|---|---|"]
    lines += [f"| `{n}` | {u} | {d} |" for n, u, d in [*COLUMN_DOCS, *WEB_COLUMN_DOCS]]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - documentation generator
    print(markdown_table())
