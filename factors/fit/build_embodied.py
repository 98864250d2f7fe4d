"""Build factors/data/embodied.csv: embodied footprint factors per device category.

The embodied footprint (manufacture + transport + end of life) of one device of a category,
for one criterion, is the sum over that (category, criterion)'s rows of ``value x driver``,
where the driver is the device itself or one of its characteristics (screen diagonal in inches,
weight in kg, CPU sockets, GB of RAM, GB of SSD, number of hard disks, number of power supplies).
Criteria: gwp (kgCO2e), water (m3, consumption), adpe (kgSbeq), pe (MJ).

Inputs (read-only, in ``<data-dir>``):

* ``pcf/pcf-train.csv``: manufacturer product carbon footprints (Boavizta
  environmental-footprint-data, ODbL). Embodied = gwp_total x (1 - gwp_use_ratio). Only the
  *train* split is read; the holdout split and the full upstream files are never opened.
* ``embodied/embodied-factors.csv``: ADEME Base Empreinte (via boaviztapi 2.5.0), ADEME-Arcep
  2022 and ADEME 2019 (via ADEME Impact CO2), EcoDiag and Technology Carbon Standard figures.
* ``electricity/multicriteria.csv``: WRI water-consumption and ADEME ADPf/PE factors of the
  Chinese grid (used to document the water ratio and the primary-energy upper bound).

Figures found by search (not in the shared data) are in the ``SEARCHED`` table below, each with
its citation: Boavizta server component factors and parameter ranges (boaviztapi 2.5.0
``data/factors.yml`` and ``data/crowdsourcing``), GreenIT.fr water/GHG figures, EcoIndex
per-page figures, the ARCHER2 interconnect-switch figure.

Method, per category and criterion: see ``factors/data/embodied.md`` and each row's ``notes``.

Usage::

    python -m factors.fit.build_embodied [--data-dir ../shared/data] [--out factors/data/embodied.csv]

Uses numpy and pandas only (the least-absolute-deviation line is solved exactly by trying every
line through two data points).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT
from factors.tables import CATEGORIES as CATEGORY_KEYS

DEFAULT_OUT = REPO_ROOT / "factors" / "data" / "embodied.csv"

COLUMNS = [
    "id",
    "category",
    "criterion",
    "driver",
    "value",
    "low",
    "high",
    "unit",
    "source",
    "source_url",
    "licence",
    "year",
    "notes",
]
CRITERIA = ["gwp", "water", "adpe", "pe"]
CATEGORIES = tuple(CATEGORY_KEYS)
BASE_UNIT = {"gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq", "pe": "MJ"}
DRIVER_SUFFIX = {
    "device": "",
    "screen_size_in": "/inch",
    "weight_kg": "/kg",
    "cpu_count": "",
    "ram_gb": "/GB",
    "ssd_gb": "/GB",
    "hdd_count": "",
    "psu_count": "",
}

# --------------------------------------------------------------------------------------------
# Citations and licences used in several rows
# --------------------------------------------------------------------------------------------
PCF_SRC = (
    "Manufacturer product carbon footprints (Dell, HP, Lenovo, Apple, Google, Microsoft, "
    "Seagate, Lexmark...) compiled in Boavizta environmental-footprint-data, commit 61323eb "
    "(2023-02-23); train split shared/data/pcf/pcf-train.csv"
)
PCF_URL = "https://github.com/Boavizta/environmental-footprint-data"
PCF_LIC = (
    "ODbL 1.0 (Boavizta environmental-footprint-data; contents DbCL 1.0): keep attribution "
    "'Boavizta environmental-footprint-data'; derived database is share-alike"
)
BE_SRC = (
    "ADEME Base Empreinte device datasets (NegaOctet / ADEME-Arcep lineage), as transcribed "
    "in Boavizta boaviztapi 2.5.0 data/crowdsourcing/ademe_base_impacts_negaoctet.csv"
)
BE_URL = "https://base-empreinte.ademe.fr/ ; https://pypi.org/project/boaviztapi/2.5.0/"
BE_LIC = (
    "ADEME Base Empreinte terms of use (numbers quoted with attribution; NegaOctet-contributed "
    "datasets may restrict redistribution - check before publishing)"
)
ARCEP_SRC = (
    "ADEME-Arcep (2022) 'Evaluation de l'impact environnemental du numerique en France et "
    "analyse prospective', per-device values as encoded in ADEME Impact CO2 "
    "(incubateur-ademe/impactco2, commit 00ff7a27)"
)
ARCEP_URL = (
    "https://librairie.ademe.fr/consommer-autrement/5226-evaluation-de-l-impact-"
    "environnemental-du-numerique-en-france-et-analyse-prospective.html"
)
ADEME19_SRC = (
    "ADEME (2018, completed 2019) 'Modelisation et evaluation environnementale de "
    "produits de consommation et biens d'equipement' (Base Carbone), via ADEME Impact CO2"
)
ADEME19_URL = (
    "https://librairie.ademe.fr/dechets-economie-circulaire/127-modelisation-et-"
    "evaluation-environnementale-de-produits-de-consommation-et-biens-d-equipement.html"
)
ADEME_LIC = "Public ADEME reports / Base Carbone; figures quoted with attribution"
ECODIAG_SRC = (
    "EcoDiag reference values (EcoInfo / CNRS), src/devices.js in sopht-com/ecodiag "
    "(comments cite Referenciel_Ecodiag.ods)"
)
ECODIAG_URL = "https://github.com/sopht-com/ecodiag ; https://ecoinfo.cnrs.fr/ecodiag-calcul/"
ECODIAG_LIC = "EcoDiag figures quoted with attribution (no licence file in the repository)"
BZ_SRC = (
    "Boavizta (2021) 'Digital & environment: How to evaluate server manufacturing footprint, "
    "beyond greenhouse gas emissions?'; factor values as shipped in boaviztapi 2.5.0 "
    "data/factors.yml (assembly factor cites Umweltbundesamt TEXTE 94/2021 'Green Cloud "
    "Computing')"
)
BZ_URL = (
    "https://boavizta.org/en/blog/empreinte-de-la-fabrication-d-un-serveur ; "
    "https://pypi.org/project/boaviztapi/2.5.0/"
)
BZ_LIC = (
    "Boavizta methodology; boaviztapi is AGPL-3.0 code - only numeric factors quoted, with "
    "attribution, no code copied"
)
WATER_SRC = (
    "GreenIT.fr (2020) 'Le numerique represente 21 % de notre empreinte GES soutenable' "
    "(356 kgCO2e and 1 780 L of water per user and year); EcoIndex method, cnumr/EcoIndex "
    "content/en/how-it-works/_60_footprint.md (2 gCO2e and 3 cl blue water per page, "
    "GreenIT.fr LCA); WRI 2020 water-consumption factor of the Chinese grid (6.006 L/kWh, "
    "shared/data/electricity/multicriteria.csv) over its GHG factor (0.55 kgCO2e/kWh, Ember "
    "2020 via boaviztapi 2.5.0 factors.yml)"
)
WATER_URL = (
    "https://greenit.fr/2020/08/11/le-numerique-represente-21-de-notre-empreinte-ges-"
    "soutenable ; https://github.com/cnumr/EcoIndex ; "
    "https://www.wri.org/research/guidance-calculating-water-use-embedded-purchased-electricity"
)
WATER_LIC = (
    "figures quoted with attribution (GreenIT.fr article; EcoIndex docs; WRI 2020 via "
    "boaviztapi 2.5.0)"
)

# --------------------------------------------------------------------------------------------
# Figures found by search (in-script table, each with its citation)
# --------------------------------------------------------------------------------------------
SEARCHED: dict[str, dict] = {
    # Boavizta server component factors (boaviztapi 2.5.0 data/factors.yml), criterion -> value.
    # cpu: per CPU = base + die_mm2 x per_mm2; ram/ssd: per module/drive = base + (GB/density) x
    # per_cm2; psu: per kg; hdd, motherboard, rack case, assembly: per unit; blade: 1/16 of a
    # 16-slot enclosure + the blade itself.
    "bz_cpu_base": {"gwp": 9.14, "adpe": 0.0204, "pe": 156.0},
    "bz_cpu_per_mm2": {"gwp": 0.0197, "adpe": 5.87e-9, "pe": 0.265},
    "bz_ram_base": {"gwp": 5.22, "adpe": 0.00169, "pe": 74.0},
    "bz_ram_per_cm2": {"gwp": 2.2, "adpe": 6.3e-5, "pe": 27.3},
    "bz_ssd_base": {"gwp": 6.34, "adpe": 0.000563, "pe": 73.98},
    "bz_ssd_per_cm2": {"gwp": 2.2, "adpe": 6.3e-5, "pe": 27.3},
    "bz_hdd": {"gwp": 31.11, "adpe": 0.00025, "pe": 276.0},
    "bz_psu_per_kg": {"gwp": 24.3, "adpe": 0.0083, "pe": 352.0},
    "bz_motherboard": {"gwp": 66.1, "adpe": 0.00369, "pe": 836.0},
    "bz_case_rack": {"gwp": 150.0, "adpe": 0.0202, "pe": 2200.0},
    "bz_case_blade_enclosure16": {"gwp": 880.0, "adpe": 0.432, "pe": 12700.0},
    "bz_case_blade_server": {"gwp": 30.9, "adpe": 0.000672, "pe": 435.0},
    "bz_assembly": {"gwp": 6.68, "adpe": 1.41e-6, "pe": 68.6},
    # boaviztapi 2.5.0 data/crowdsourcing/ram_manufacture.csv densities (GB/cm2), 11 rows
    "bz_ram_density": [0.625, 1.25, 1.75, 2.375, 0.75, 1.0, 1.313, 1.875, 0.75, 0.875, 1.125],
    # boaviztapi 2.5.0 data/crowdsourcing/ssd_manufacture.csv densities (GB/cm2), 19 rows
    "bz_ssd_density": [
        16.4,
        49.6,
        48.5,
        53.6,
        90.9,
        57.5,
        76.3,
        96.9,
        128.0,
        19.0,
        23.0,
        33.0,
        41.0,
        57.0,
        71.0,
        31.0,
        45.5,
        76.1,
        28.5,
    ],
    # boaviztapi 2.5.0 archetypes/server.csv: RAM module capacity of platform_compute_low/medium/
    # high (16/32/64 GB); archetypes/components/ssd.csv capacity 1000;100;5000 GB;
    # archetypes/components/power_supply.csv unit_weight 2.99;1;5 kg.
    "bz_ram_module_gb": {"value": 32.0, "low": 16.0, "high": 64.0},
    "bz_ssd_capacity_gb": {"value": 1000.0, "low": 100.0, "high": 5000.0},
    "bz_psu_weight_kg": {"value": 2.99, "low": 1.0, "high": 5.0},
    # boaviztapi 2.5.0 data/crowdsourcing/cpu_specs.csv, total_die_size (mm2) of the 291 rows of
    # model ranges Xeon Bronze/Silver/Gold/Platinum/E5 and EPYC: 10th percentile, median, 90th.
    "bz_cpu_die_mm2": {"value": 694.0, "low": 456.12, "high": 1908.0},
    # Water / GHG ratios (L per kgCO2e)
    "greenit_2020_water_l_per_user": 1780.0,
    "greenit_2020_ghg_kg_per_user": 356.0,
    "ecoindex_page_water_cl": 3.0,
    "ecoindex_page_ghg_g": 2.0,
    "chn_grid_gwp_kg_per_kwh": 0.55,  # Ember 2020, via boaviztapi 2.5.0 factors.yml (CHN)
    # ARCHER2 (EPCC, University of Edinburgh) emissions-tools README: HPE Cray interconnect
    # switch, 280 kgCO2e per unit (the README's reference (2) was not read).
    "archer2_switch_kg": 280.0,
    # Relative uncertainty EcoDiag attaches to ADEME small-device values ("75% d'incertitude",
    # video projector entry of src/devices.js).
    "ecodiag_rel_uncertainty": 0.75,
}


# --------------------------------------------------------------------------------------------
# Row container
# --------------------------------------------------------------------------------------------
@dataclass
class Triplet:
    value: float
    low: float
    high: float

    def scaled(self, k: float) -> Triplet:
        return Triplet(self.value * k, self.low * k, self.high * k)

    def __add__(self, other: Triplet) -> Triplet:
        return Triplet(self.value + other.value, self.low + other.low, self.high + other.high)


@dataclass
class Row:
    category: str
    criterion: str
    driver: str
    t: Triplet
    source: str
    source_url: str
    licence: str
    year: int | None
    notes: str
    extra_id: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        parts = ["emb", self.category, self.criterion, self.driver]
        if self.extra_id:
            parts.append(self.extra_id)
        return "-".join(p.replace("_", "-") for p in parts)

    @property
    def unit(self) -> str:
        return BASE_UNIT[self.criterion] + DRIVER_SUFFIX[self.driver]


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _sig(x: float) -> str:
    """Number as written to the CSV: 6 significant figures, plain notation when readable."""
    if x == 0:
        return "0"
    text = f"{x:.6g}"
    return text


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------
def load_pcf_train(data_dir: Path) -> pd.DataFrame:
    path = data_dir / "pcf" / "pcf-train.csv"
    if "holdout" in path.name:  # pragma: no cover - guard against a wrong path
        raise SystemExit("refusing to read a holdout file")
    d = pd.read_csv(path)
    d["emb"] = d["gwp_total"] * (1.0 - d["gwp_use_ratio"])
    years = d["report_date"].astype(str).str.extract(r"((?:19|20)\d\d)")[0]
    d["year"] = pd.to_numeric(years, errors="coerce")
    return d


def load_shared_embodied(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "embodied" / "embodied-factors.csv")


def load_multicriteria(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "electricity" / "multicriteria.csv")


def median_year(frame: pd.DataFrame) -> int | None:
    years = frame["year"].dropna()
    return int(np.median(years)) if len(years) else None


# --------------------------------------------------------------------------------------------
# Base Empreinte ratios (ADPe/GWP and ADPf/GWP) per device type
# --------------------------------------------------------------------------------------------
BE_KEYS = {  # (category, subcategory prefix in embodied-factors.csv) -> key
    ("laptop", "laptop, personal"): "laptop_perso",
    ("laptop", "laptop, professional"): "laptop_pro",
    ("tablet", "tablet (Base Empreinte"): "tablet",
    ("smartphone", "smartphone (Base Empreinte"): "smartphone",
    ("desktop", "desktop without screen (same"): "desktop",
    ("monitor", "computer monitor (Base Empreinte"): "monitor",
    ("tv", "television, personal"): "tv_perso",
    ("tv", "television / display, professional"): "tv_pro",
    ("storage", "external HDD"): "ext_hdd",
    ("storage", "external SSD"): "ext_ssd",
    ("storage", "USB stick"): "usb_stick",
    ("router", "ISP home gateway (box)"): "box",
    ("server", "server (generic, Base Empreinte)"): "server",
}


#: Leave out every figure of ADEME Base Empreinte / NegaOctet lineage: their terms forbid
#: redistribution (factors/licences.py). Without them no open per-device ADPe or primary-energy
#: source is known, so those rows are not built for the categories that relied on them; a
#: licensed factor pack restores them (docs/factors.md).
OPEN_ONLY = True


def base_empreinte(shared: pd.DataFrame) -> dict[str, dict[str, float]]:
    """{key: {'gwp':..., 'adpe':..., 'adpf':...}} for the 13 Base Empreinte device datasets."""
    be = shared[shared["source"].str.contains("Base Empreinte", na=False)]
    out: dict[str, dict[str, float]] = {}
    for (cat, prefix), key in BE_KEYS.items():
        rows = be[(be["category"] == cat) & be["subcategory"].str.startswith(prefix)]
        vals = {r.criterion: float(r.value) for r in rows.itertuples()}
        if not {"gwp", "adpe", "adpf"} <= set(vals):
            raise SystemExit(f"Base Empreinte row missing for {key}: {vals}")
        out[key] = vals
    return out


RATIO_GROUPS = {
    "computing": ["laptop_perso", "laptop_pro", "tablet", "smartphone", "desktop"],
    "display": ["monitor", "tv_perso", "tv_pro"],
    "network": ["box", "server", "desktop"],
    "all": list(BE_KEYS.values()),
}

# category -> (closest Base Empreinte type, or "median" of all; ratio group for the bounds)
CLOSEST = {
    "laptop": ("laptop_pro", "computing"),
    "desktop": ("desktop", "computing"),
    "tablet": ("tablet", "computing"),
    "smartphone": ("smartphone", "computing"),
    "thin_client": ("desktop", "computing"),
    "monitor": ("monitor", "display"),
    "tv": ("tv_perso", "display"),
    "ip_phone": ("smartphone", "computing"),
    # the Base Empreinte box has an ADPe/GWP ratio 20-40x below every other device type
    # (1.2e-6): used only as the low bound of the 'network' group, not as the value
    "router": ("median:network", "network"),
    "wifi_ap": ("median:network", "network"),
    "network_switch": ("server", "network"),
    "firewall": ("server", "network"),
    "printer": ("median", "all"),
    "mfp": ("median", "all"),
    "projector": ("median", "all"),
    "ups": ("median", "all"),
}

# categories whose adpe value is the Base Empreinte absolute figure (per device)
BE_ABSOLUTE_ADPE = {
    "laptop": "laptop_pro",
    "desktop": "desktop",
    "tablet": "tablet",
    "smartphone": "smartphone",
}


@dataclass
class Ratios:
    adpe: dict[str, float]
    pe: dict[str, float]

    def pick(self, which: str, key: str) -> float:
        table = self.adpe if which == "adpe" else self.pe
        if key == "median":
            return float(np.median(list(table.values())))
        if key.startswith("median:"):
            return float(np.median([table[k] for k in RATIO_GROUPS[key.split(":", 1)[1]]]))
        return table[key]

    def span(self, which: str, group: str) -> tuple[float, float]:
        table = self.adpe if which == "adpe" else self.pe
        vals = [table[k] for k in RATIO_GROUPS[group]]
        return min(vals), max(vals)


def make_ratios(be: dict[str, dict[str, float]]) -> Ratios:
    return Ratios(
        adpe={k: v["adpe"] / v["gwp"] for k, v in be.items()},
        pe={k: v["adpf"] / v["gwp"] for k, v in be.items()},
    )


# --------------------------------------------------------------------------------------------
# Water ratio (m3 per kgCO2e)
# --------------------------------------------------------------------------------------------
@dataclass
class WaterRatio:
    value: float
    low: float
    high: float
    text: str


def water_ratio(multicriteria: pd.DataFrame) -> WaterRatio:
    s = SEARCHED
    greenit = s["greenit_2020_water_l_per_user"] / s["greenit_2020_ghg_kg_per_user"]  # L/kg
    ecoindex = (s["ecoindex_page_water_cl"] / 100.0) / (s["ecoindex_page_ghg_g"] / 1000.0)
    chn = multicriteria[
        (multicriteria["country"] == "CHN") & (multicriteria["criterion"] == "water")
    ]
    chn_l_per_kwh = float(chn["value"].iloc[0])
    grid = chn_l_per_kwh / s["chn_grid_gwp_kg_per_kwh"]
    ratios = sorted([greenit, ecoindex, grid])
    value, low, high = ratios[1], ratios[0], ratios[2]
    text = (
        f"water = GWP x a water/GHG ratio; ratio value {value:.3g} L/kgCO2e = median of three "
        f"published ratios: GreenIT.fr 2020 world digital footprint per user 1780 L / 356 "
        f"kgCO2e = {greenit:.3g} L/kg (whole life cycle, blue water); Chinese grid WRI 2020 "
        f"consumption {chn_l_per_kwh:g} L/kWh / 0.55 kgCO2e/kWh = {grid:.3g} L/kg "
        f"(manufacturing electricity only, no fab process water); EcoIndex average page 3 cl / "
        f"2 gCO2e = {ecoindex:.3g} L/kg (GreenIT.fr LCA, blue water). low = GWP low x "
        f"{low:.3g} L/kg, high = GWP high x {high:.3g} L/kg. No per-device embodied water "
        f"figure was found (Base Empreinte WU is negative); order of magnitude only."
    )
    return WaterRatio(value / 1000.0, low / 1000.0, high / 1000.0, text)


def pe_uplift(multicriteria: pd.DataFrame) -> float:
    """Total/non-renewable primary-energy factor of the Chinese grid (boaviztapi PE / ADPf)."""
    chn = multicriteria[(multicriteria["country"] == "CHN") & (multicriteria["criterion"] == "pe")]
    return float(chn["high"].iloc[0]) / float(chn["value"].iloc[0])


# --------------------------------------------------------------------------------------------
# Least-absolute-deviation (median) regression, exact
# --------------------------------------------------------------------------------------------
def lad_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope minimising sum |y - a - b x| (a LAD optimum passes through two points)."""
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    ok = dx != 0
    i, j, dx = i[ok], j[ok], dx[ok]
    b = (y[j] - y[i]) / dx
    a = y[i] - b * x[i]
    best, best_cost = 0, np.inf
    chunk = 4096
    for start in range(0, len(a), chunk):
        aa, bb = a[start : start + chunk], b[start : start + chunk]
        cost = np.abs(y[None, :] - aa[:, None] - bb[:, None] * x[None, :]).sum(axis=1)
        k = int(np.argmin(cost))
        if cost[k] < best_cost - 1e-9:
            best_cost, best = float(cost[k]), start + k
    return float(a[best]), float(b[best])


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------
class Builder:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.pcf = load_pcf_train(data_dir)
        self.shared = load_shared_embodied(data_dir)
        self.multi = load_multicriteria(data_dir)
        self.be = base_empreinte(self.shared)
        self.ratios = make_ratios(self.be)
        self.water = water_ratio(self.multi)
        self.pe_up = pe_uplift(self.multi)
        self.rows: list[Row] = []
        self.report: dict[str, object] = {}

    # ----------------------------------------------------------------- helpers
    def ademe_gwp(self, category: str, contains: str | None = None) -> pd.DataFrame:
        s = self.shared
        mask = (
            (s["category"] == category)
            & (s["criterion"] == "gwp")
            & s["source"].str.contains("ADEME", na=False)
        )
        if contains:
            mask &= s["subcategory"].str.contains(contains, na=False, regex=False)
        if OPEN_ONLY:
            mask &= ~s["source"].str.contains("Base Empreinte", na=False)
        return s[mask]

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def add_derived(
        self,
        cat: str,
        driver: str,
        gwp: Triplet,
        gwp_src: str,
        gwp_url: str,
        gwp_lic: str,
        year: int | None,
        extra_id: str = "",
        adpe_override: Triplet | None = None,
        adpe_override_note: str = "",
        note_prefix: str = "",
    ) -> None:
        """water, adpe and pe rows derived from a GWP triplet by published ratios."""
        closest, group = CLOSEST[cat]
        w = self.water
        self.add(
            Row(
                cat,
                "water",
                driver,
                Triplet(gwp.value * w.value, gwp.low * w.low, gwp.high * w.high),
                f"{WATER_SRC}; GWP of this row: {gwp_src}",
                f"{WATER_URL} ; {gwp_url}",
                f"{WATER_LIC}; GWP basis: {gwp_lic}",
                2020,
                f"{note_prefix}{w.text} GWP basis (same category/driver): value "
                f"{_fmt(gwp.value)}, low {_fmt(gwp.low)}, high {_fmt(gwp.high)}.",
                extra_id,
            )
        )
        if OPEN_ONLY:
            # adpe/pe would rest on Base Empreinte ratios (restricted terms): only an adpe given
            # by an open source (Boavizta components) is kept
            if adpe_override is not None:
                t = adpe_override
                t = Triplet(t.value, min(t.low, t.value), max(t.high, t.value))
                self.add(Row(cat, "adpe", driver, t, gwp_src, gwp_url, gwp_lic, year,
                             f"{note_prefix}{adpe_override_note}", extra_id))
            return
        # adpe
        r_val = self.ratios.pick("adpe", closest)
        r_lo, r_hi = self.ratios.span("adpe", group)
        if closest == "median":
            ctxt = "median of all 13 Base Empreinte types"
        elif closest.startswith("median:"):
            grp = closest.split(":", 1)[1]
            ctxt = (
                f"median of the Base Empreinte types of group '{grp}' "
                f"({', '.join(RATIO_GROUPS[grp])}); the ISP box ratio alone, 20-40x below "
                f"all other types, is kept as the low bound only"
            )
        else:
            ctxt = f"Base Empreinte '{closest}'"
        if adpe_override is not None:
            t = adpe_override
            note = adpe_override_note
        else:
            t = Triplet(gwp.value * r_val, gwp.low * r_lo, gwp.high * r_hi)
            note = (
                f"adpe = GWP x ADPe/GWP ratio of the closest documented device type "
                f"({ctxt}: {r_val:.3g} kgSbeq/kgCO2e); low = GWP low x min ratio of group "
                f"'{group}' ({r_lo:.3g}), high = GWP high x max ratio of that group "
                f"({r_hi:.3g}). Ratios computed from the Base Empreinte GWP and ADPe figures "
                f"(they differ by >x100 between device types, so this is rough)."
            )
        t = Triplet(t.value, min(t.low, t.value), max(t.high, t.value))
        self.add(
            Row(
                cat,
                "adpe",
                driver,
                t,
                f"{BE_SRC}; GWP of this row: {gwp_src}",
                f"{BE_URL} ; {gwp_url}",
                f"{BE_LIC}; GWP basis: {gwp_lic}",
                year,
                f"{note_prefix}{note} GWP basis: {_fmt(gwp.value)} [{_fmt(gwp.low)}, "
                f"{_fmt(gwp.high)}]."
                + (
                    ""
                    if year
                    else " Year blank: the Base Empreinte "
                    "release year is not stated in the transcription."
                ),
                extra_id,
            )
        )
        # pe
        p_val = self.ratios.pick("pe", closest)
        p_lo, p_hi = self.ratios.span("pe", group)
        t = Triplet(gwp.value * p_val, gwp.low * p_lo, gwp.high * p_hi * self.pe_up)
        self.add(
            Row(
                cat,
                "pe",
                driver,
                t,
                f"{BE_SRC} (ADPf used as non-renewable primary-energy proxy); GWP of this row: "
                f"{gwp_src}",
                f"{BE_URL} ; {gwp_url}",
                f"{BE_LIC}; GWP basis: {gwp_lic}",
                year,
                f"{note_prefix}pe = GWP x ADPf/GWP ratio ({ctxt}: {p_val:.3g} MJ/kgCO2e). "
                f"ADPf (EF 'resource use, fossils', MJ) stands in for non-renewable primary "
                f"energy; low = GWP low x min ratio of group '{group}' ({p_lo:.3g}); high = "
                f"GWP high x max ratio ({p_hi:.3g}) x {self.pe_up:.3f}, the total/non-renewable "
                f"PE factor of the Chinese grid (boaviztapi ADPf/(1-renewable share), "
                f"shared/data/electricity/multicriteria.csv) to allow for renewable primary "
                f"energy. Boavizta server component factors give PE/GWP of 8.9-17 MJ/kgCO2e, "
                f"consistent with these ratios. GWP basis: {_fmt(gwp.value)} "
                f"[{_fmt(gwp.low)}, {_fmt(gwp.high)}]."
                + ("" if year else " Year blank: Base Empreinte release year not stated."),
                extra_id,
            )
        )

    # ----------------------------------------------------------------- PCF per-device categories
    def per_device_from_pcf(
        self,
        cat: str,
        pcf_rows: pd.DataFrame,
        ademe: pd.DataFrame,
        what: str,
        use_percentiles: bool = True,
    ) -> None:
        emb = pcf_rows["emb"].dropna()
        med = float(np.median(emb))
        if use_percentiles:
            p_lo, p_hi = (float(v) for v in np.percentile(emb, [10, 90]))
            spread = "10th/90th percentiles"
        else:
            p_lo, p_hi = float(emb.min()), float(emb.max())
            spread = "min/max"
        ad_vals = [float(v) for v in ademe["value"]]
        low = min([p_lo] + ad_vals)
        high = max([p_hi] + ad_vals)
        ad_txt = "; ".join(f"{r.subcategory}: {r.value:g}" for r in ademe.itertuples())
        year = median_year(pcf_rows)
        gwp = Triplet(med, low, high)
        src = PCF_SRC + ("; bounds also from " + ARCEP_SRC + "; " + ADEME19_SRC if ad_vals else "")
        url = PCF_URL + (f" ; {ARCEP_URL} ; {ADEME19_URL}" if ad_vals else "")
        lic = PCF_LIC + (f"; {ADEME_LIC}" if ad_vals else "")
        note = (
            f"value = median embodied GWP of {len(emb)} train PCFs ({what}); embodied = "
            f"gwp_total x (1 - gwp_use_ratio), i.e. manufacture + transport + end of life as "
            f"declared by the manufacturer (mostly MIT PAIA method). Train {spread}: "
            f"{p_lo:.4g} / {p_hi:.4g}. low/high = min/max of those and of the ADEME-family "
            f"figures ({ad_txt if ad_txt else 'none'}). "
            + (
                "Chosen over the ADEME figures because the PCFs are model-level data for the "
                "business ranges a public body buys; the ADEME consumer-mix figures sit inside "
                "the bounds. "
                if ad_txt
                else "No ADEME figure exists for this category. "
            )
            + "Year = median PCF report year."
        )
        self.add(Row(cat, "gwp", "device", gwp, src, url, lic, year, note))
        adpe_override = None
        adpe_note = ""
        if cat in BE_ABSOLUTE_ADPE and not OPEN_ONLY:
            key = BE_ABSOLUTE_ADPE[cat]
            _, group = CLOSEST[cat]
            r_lo, r_hi = self.ratios.span("adpe", group)
            v = self.be[key]["adpe"]
            adpe_override = Triplet(v, low * r_lo, high * r_hi)
            adpe_note = (
                f"adpe value = Base Empreinte '{key}' figure {v:g} kgSbeq (Base Empreinte "
                f"GWP of that dataset {self.be[key]['gwp']:g} kgCO2e); low = GWP low x min "
                f"ADPe/GWP ratio of group '{group}' ({r_lo:.3g}), high = GWP high x max "
                f"ratio ({r_hi:.3g}) (ratios from the Base Empreinte figures)."
            )
        self.add_derived(
            cat,
            "device",
            gwp,
            "see the gwp row of this category",
            url,
            lic,
            year if adpe_override is None else None,
            adpe_override=adpe_override,
            adpe_override_note=adpe_note,
        )
        self.report[cat] = gwp

    # ----------------------------------------------------------------- categories
    def laptop(self) -> None:
        rows = self.pcf[self.pcf["subcategory"] == "Laptop"]
        self.per_device_from_pcf("laptop", rows, self.ademe_gwp("laptop"), "Laptop subcategory")

    def desktop(self) -> None:
        d = self.pcf[self.pcf["subcategory"] == "Desktop"]
        aio = d["name"].str.contains("All-in-One|AIO|iMac|All in One", case=False, regex=True)
        self.per_device_from_pcf(
            "desktop",
            d[~aio],
            self.ademe_gwp("desktop"),
            f"Desktop subcategory without the {int(aio.sum())} all-in-ones, i.e. without screen",
        )

    def tablet(self) -> None:
        rows = self.pcf[self.pcf["subcategory"] == "Tablet"]
        self.per_device_from_pcf("tablet", rows, self.ademe_gwp("tablet"), "Tablet subcategory")

    def smartphone(self) -> None:
        rows = self.pcf[self.pcf["subcategory"] == "Smartphone"]
        self.per_device_from_pcf(
            "smartphone", rows, self.ademe_gwp("smartphone"), "Smartphone subcategory"
        )

    def thin_client(self) -> None:
        d = self.pcf[self.pcf["subcategory"].str.lower() == "thin client"]
        aio = d["name"].str.contains("All-in-One", case=False)
        self.per_device_from_pcf(
            "thin_client",
            d[~aio],
            self.ademe_gwp("thin_client"),
            "Dell Wyse thin/zero clients, all-in-one models excluded",
            use_percentiles=False,
        )

    def monitor_and_tv(self) -> None:
        m = self.pcf[self.pcf["subcategory"] == "Monitor"].dropna(subset=["emb", "screen_size"])
        desk = m[m["screen_size"] < 40]
        large = m[m["screen_size"] >= 40]
        x, y = desk["screen_size"].to_numpy(float), desk["emb"].to_numpy(float)
        a, b = lad_line(x, y)
        ratio = y / (a + b * x)
        q10, q50, q90 = (float(v) for v in np.percentile(ratio, [10, 50, 90]))
        year = median_year(desk)
        self.report["monitor_fit"] = dict(
            n=len(desk), a=a, b=b, q10=q10, q50=q50, q90=q90, n_large=len(large)
        )
        fit_note = (
            f"Least-absolute-deviation (median) line embodied = a + b x diagonal fitted on "
            f"the {len(desk)} Monitor rows of pcf-train.csv with a diagonal < 40 in "
            f"(embodied = gwp_total x (1 - gwp_use_ratio)); the {len(large)} large-format "
            f"displays >= 40 in are used for tv instead. a = {a:.4g} kgCO2e, b = {b:.4g} "
            f"kgCO2e/inch. Bounds: both coefficients x the 10th/90th percentile of the "
            f"train residual ratios observed/fitted ({q10:.3f} / {q90:.3f}). At 24 in: "
            f"{a + 24 * b:.0f} [{(a + 24 * b) * q10:.0f}, {(a + 24 * b) * q90:.0f}] kgCO2e; "
            f"ADEME 2019 gives 222 (21.5 in) and 248 (24 in) without end of life, inside "
            f"the bounds; Base Empreinte (64.7) and ADEME-Arcep 2022 (69.8) fall below them."
        )
        for driver, coef in (("device", a), ("screen_size_in", b)):
            gwp = Triplet(coef, coef * q10, coef * q90)
            self.add(Row("monitor", "gwp", driver, gwp, PCF_SRC, PCF_URL, PCF_LIC, year, fit_note))
            self.add_derived(
                "monitor", driver, gwp, "LAD fit on train Monitor PCFs", PCF_URL, PCF_LIC, None
            )
        self.report["monitor"] = (Triplet(a, a * q10, a * q90), Triplet(b, b * q10, b * q90))

        # ---- tv: proportional to the diagonal
        arcep = self.ademe_gwp("tv", "television, mix")
        arcep_val = float(arcep["value"].iloc[0])
        # size mix stated by the source row: 82% LCD 45 in, 1% OLED 53 in, 17% OLED 68 in
        mix_in = 0.82 * 45 + 0.01 * 53 + 0.17 * 68
        per_in = arcep_val / mix_in
        ad19 = self.ademe_gwp("tv", "40-49in")
        ad19_per_in = float(ad19["value"].iloc[0]) / 44.5
        lf = large.assign(per_in=large["emb"] / large["screen_size"])
        lf_p90 = float(np.percentile(lf["per_in"], 90))
        lf_med = float(np.median(lf["per_in"]))
        low = per_in * q10
        high = max(lf_p90, per_in)
        tv_note = (
            f"Proportional model (device row = 0): GWP = {per_in:.3g} kgCO2e per inch of "
            f"diagonal = ADEME-Arcep 2022 TV {arcep_val:g} kgCO2e (manufacture + "
            f"distribution + EoL) / its stated size-mix mean {mix_in:.2f} in (82% LCD 45 in, "
            f"1% OLED 53 in, 17% OLED 68 in). ADEME 2019 gives {ad19_per_in:.3g} kg/inch "
            f"(371 kgCO2e for 40-49 in, midpoint 44.5 in, without EoL). low = value x "
            f"{q10:.3f} (10th-percentile residual ratio of the monitor fit, a documented "
            f"relative spread for displays); high = 90th percentile of embodied/diagonal of "
            f"the {len(lf)} large-format displays (>= 40 in) in pcf-train.csv "
            f"({lf_p90:.3g} kg/inch; median {lf_med:.3g}), mostly Dell interactive/"
            f"conference displays that are heavier than consumer TVs. Base Empreinte TV "
            f"figures (360 personal, 152 professional display) give no size."
        )
        tv_src = f"{ARCEP_SRC}; {ADEME19_SRC}; high bound: {PCF_SRC}"
        tv_url = f"{ARCEP_URL} ; {ADEME19_URL} ; {PCF_URL}"
        tv_lic = f"{ADEME_LIC}; high bound: {PCF_LIC}"
        zero = Triplet(0.0, 0.0, 0.0)
        zero_note = (
            "No size-independent term: the tv model is proportional to the diagonal (see "
            "the screen_size_in row); this zero row keeps a device row for every criterion."
        )
        for crit in (("gwp", "water") if OPEN_ONLY else CRITERIA):
            self.add(Row("tv", crit, "device", zero, tv_src, tv_url, tv_lic, 2022, zero_note))
        gwp = Triplet(per_in, low, high)
        self.add(Row("tv", "gwp", "screen_size_in", gwp, tv_src, tv_url, tv_lic, 2022, tv_note))
        self.add_derived(
            "tv", "screen_size_in", gwp, "ADEME-Arcep 2022 TV per inch", tv_url, tv_lic, None
        )
        self.report["tv"] = gwp

    def printers(self) -> None:
        p = self.pcf[self.pcf["subcategory"] == "Printer"]
        big = p["name"].str.contains("CX924", regex=False)
        desk = p[~big]
        emb = desk["emb"]
        med = float(np.median(emb))
        inkjet = float(self.ademe_gwp("printer", "inkjet")["value"].iloc[0])
        ecodiag_generic = self.shared[
            (self.shared["category"] == "printer")
            & self.shared["subcategory"].eq("printer, generic")
        ].iloc[0]
        low = min(float(emb.min()), inkjet)
        high = float(ecodiag_generic["high"])
        year = median_year(desk)
        names = ", ".join(desk["name"])
        gwp = Triplet(med, low, max(high, med))
        note = (
            f"value = median embodied GWP of the {len(desk)} Lexmark desk lasers / small A4 "
            f"MFPs in pcf-train.csv ({names}); embodied = gwp_total x (1 - gwp_use_ratio); "
            f"Lexmark's use phase appears to include paper and toner, so the non-use share is "
            f"the device only. low = min of those and the ADEME 2019 inkjet printer "
            f"({inkjet:g}, without EoL); high = 200, top of the 90-200 kgCO2e range EcoDiag "
            f"attributes to ADEME Base Carbone for printers. EcoDiag counts toners (about 300 "
            f"kgCO2e) separately: consumables are not included here."
        )
        src = f"{PCF_SRC}; {ADEME19_SRC}; {ECODIAG_SRC}"
        url = f"{PCF_URL} ; {ADEME19_URL} ; {ECODIAG_URL}"
        lic = f"{PCF_LIC}; {ADEME_LIC}; {ECODIAG_LIC}"
        self.add(Row("printer", "gwp", "device", gwp, src, url, lic, year, note))
        self.add_derived("printer", "device", gwp, "see the gwp row of printer", url, lic, None)
        self.report["printer"] = gwp

        # mfp
        sh = self.shared
        a3_mid = float(
            sh[
                (sh["category"] == "printer")
                & sh["subcategory"].str.contains("40-99 kg", regex=False)
            ]["value"].iloc[0]
        )
        a3_big = float(
            sh[
                (sh["category"] == "printer")
                & sh["subcategory"].str.contains(">100 kg", regex=False)
            ]["value"].iloc[0]
        )
        cx = float(p[big]["emb"].iloc[0])
        a4_mfp = desk[desk["name"].str.match(r"M[BCX]")]["emb"]
        low = float(a4_mfp.min())
        gwp = Triplet(a3_mid, low, max(a3_big, cx))
        note = (
            f"value = EcoDiag office laser MFP/copier A3 of 40-99 kg ({a3_mid:g} kgCO2e, "
            f"manufacture + transport), the usual municipal copier class; high = EcoDiag A3 "
            f">100 kg ({a3_big:g}); the Lexmark CX924dxe A3 colour MFP in pcf-train.csv gives "
            f"{cx:.0f} (inside). low = smallest Lexmark A4 MFP in pcf-train.csv "
            f"({low:.1f}; MB/MC/MX models), since the category also covers desk A4 MFPs. No "
            f"weight driver: the train printer rows carry no weight and EcoDiag only gives "
            f"weight classes, so the data do not support a per-kg factor. Toner excluded."
        )
        src = f"{ECODIAG_SRC}; {PCF_SRC}"
        url = f"{ECODIAG_URL} ; {PCF_URL}"
        lic = f"{ECODIAG_LIC}; {PCF_LIC}"
        self.add(
            Row(
                "mfp",
                "gwp",
                "device",
                gwp,
                src,
                url,
                lic,
                2017,
                note + " Year = Lexmark CX924dxe PCF (2017); EcoDiag snapshot undated.",
            )
        )
        self.add_derived("mfp", "device", gwp, "see the gwp row of mfp", url, lic, None)
        self.report["mfp"] = gwp

    def network(self) -> None:
        sh = self.shared
        box_be = float(
            sh[
                (sh["category"] == "router")
                & sh["subcategory"].eq("ISP home gateway (box)")
                & (sh["criterion"] == "gwp")
            ]["value"].iloc[0]
        )
        box_arcep = float(self.ademe_gwp("router", "ISP home gateway (box, xDSL")["value"].iloc[0])
        box_19 = float(self.ademe_gwp("router", "fibre modem")["value"].iloc[0])
        office = float(
            sh[(sh["category"] == "router") & sh["subcategory"].str.startswith("office router")][
                "value"
            ].iloc[0]
        )
        ecodiag_ap = float(
            sh[
                (sh["category"] == "wifi_ap")
                & sh["subcategory"].str.startswith("Wi-Fi access point")
            ]["value"].iloc[0]
        )
        nest = self.pcf[
            self.pcf["name"].str.contains("Wifi", case=False)
            & self.pcf["manufacturer"].eq("Google")
        ]
        nest_vals = [float(v) for v in nest["emb"]]
        tcs_src = (
            "Scott Logic Technology Carbon Standard, Green Web Foundation case study "
            "(pages/projects/gwf/3-upstream-emissions.md), quoting a 2021 Resources, "
            "Conservation & Recycling paper (S0921344921005607; primary paper not read, "
            "device type unverified)"
        )
        tcs_url = (
            "https://github.com/ScottLogic/Technology-Carbon-Standard ; "
            "https://www.sciencedirect.com/science/article/pii/S0921344921005607"
        )

        # router
        vals = [box_arcep, box_19, office] if OPEN_ONLY else [box_be, box_arcep, box_19, office]
        gwp = Triplet(float(np.median(vals)), min(vals), max(vals))
        note = (
            f"No enterprise-router PCF found. value = median of the open router/gateway "
            f"figures available (the Base Empreinte ISP box is left out, restricted terms): "
            f"ADEME-Arcep 2022 ISP box "
            f"{box_arcep:g}, ADEME 2019 fibre modem/gateway {box_19:g} (without EoL) and a "
            f"small-office router {office:g} quoted by the Technology Carbon Standard; low/high "
            f"= min/max. Branch routers (rack 1U, several interfaces) are likely toward the "
            f"high end."
        )
        src = f"{ARCEP_SRC}; {ADEME19_SRC}; {tcs_src}"
        url = f"{ARCEP_URL} ; {ADEME19_URL} ; {tcs_url}"
        lic = f"{ADEME_LIC}; TCS figure quoted second-hand with attribution"
        self.add(Row("router", "gwp", "device", gwp, src, url, lic, 2022, note))
        self.add_derived("router", "device", gwp, "see the gwp row of router", url, lic, None)
        self.report["router"] = gwp

        # wifi_ap
        vals = [ecodiag_ap] + nest_vals + ([] if OPEN_ONLY else [box_be]) + [box_arcep, box_19]
        gwp = Triplet(float(np.median(vals)), min(vals), max(vals))
        note = (
            f"No enterprise PoE access-point PCF found (Cisco, HPE Aruba, Juniper/Mist, "
            f"Ubiquiti searched). Derived from the closest documented devices: EcoDiag Wi-Fi "
            f"access point/hub {ecodiag_ap:g} (citing Sikdar's IEEE 802.11 AP LCA), Google "
            f"Nest Wifi router PCF in pcf-train.csv ({', '.join(f'{v:.1f}' for v in nest_vals)}), "
            f"and the ISP gateways that contain a Wi-Fi AP (ADEME-Arcep 2022 {box_arcep:g}, "
            f"ADEME 2019 {box_19:g}; the Base Empreinte box is left out, restricted terms). "
            f"value = median, low/high "
            f"= min/max. An enterprise AP (2-4 radios, MIMO chains, PoE) sits between a "
            f"consumer mesh point and an ISP gateway; wide bounds."
        )
        src = f"{ECODIAG_SRC}; {PCF_SRC}; {ARCEP_SRC}; {ADEME19_SRC}"
        url = f"{ECODIAG_URL} ; {PCF_URL} ; {ARCEP_URL} ; {ADEME19_URL}"
        lic = f"{ECODIAG_LIC}; {PCF_LIC}; {ADEME_LIC}"
        self.add(Row("wifi_ap", "gwp", "device", gwp, src, url, lic, 2022, note))
        self.add_derived("wifi_ap", "device", gwp, "see the gwp row of wifi_ap", url, lic, None)
        self.report["wifi_ap"] = gwp

        # network_switch and firewall: Boavizta components
        s = SEARCHED
        w = s["bz_psu_weight_kg"]
        comp = {}
        for crit in ("gwp", "adpe", "pe"):
            mb, asm = s["bz_motherboard"][crit], s["bz_assembly"][crit]
            psu = s["bz_psu_per_kg"][crit]
            case = s["bz_case_rack"][crit]
            comp[crit] = Triplet(
                mb + psu * w["value"] + asm,
                mb + psu * w["low"] + asm,
                mb + psu * w["value"] + asm + case,
            )
        archer = s["archer2_switch_kg"]
        sw_note = (
            f"No access-switch PCF/LCA figure found (Cisco, HPE Aruba, Juniper, Dell, "
            f"Netgear, NegaOctet searched). Derived from the closest documented category, a "
            f"rack server, with Boavizta's component factors: one main board "
            f"({s['bz_motherboard']['gwp']:g} kgCO2e) + one power supply "
            f"({s['bz_psu_per_kg']['gwp']:g} kgCO2e/kg x {w['value']:g} kg, boaviztapi "
            f"default PSU weight) + assembly ({s['bz_assembly']['gwp']:g}). low: PSU at the "
            f"archetype minimum weight {w['low']:g} kg; high: adds Boavizta's rack-server "
            f"case ({s['bz_case_rack']['gwp']:g}), which brackets the only published switch "
            f"figure found, ARCHER2's HPE Cray interconnect switch ({archer:g} kgCO2e per "
            f"unit, EPCC emissions-tools README). Transport and end of life not included "
            f"(0.4-1.5% of the total in the HPE server PCFs). Wide, structural estimate: replace with a vendor "
            f"PCF when one is available."
        )
        sw_src = (
            f"{BZ_SRC}; ARCHER2 emissions tools README (EPCC, University of Edinburgh), "
            f"interconnect switches 280 kgCO2e per unit"
        )
        sw_url = f"{BZ_URL} ; https://github.com/ARCHER2-HPC/emissions-tools"
        sw_lic = f"{BZ_LIC}; ARCHER2 figure quoted with attribution"
        for cat in ("network_switch", "firewall"):
            gwp = comp["gwp"]
            note = sw_note
            if cat == "firewall":
                gwp = Triplet(gwp.value, gwp.low if OPEN_ONLY else min(gwp.low, box_be), gwp.high)
                note = sw_note.replace("access-switch", "firewall appliance") if OPEN_ONLY else (
                    sw_note.replace("access-switch", "firewall appliance")
                    + f" Firewall low = Base Empreinte ISP box ({box_be:g}), the closest "
                    f"documented desktop-size network appliance (small branch firewalls)."
                )
            self.add(Row(cat, "gwp", "device", gwp, sw_src, sw_url, sw_lic, 2021, note))
            ad, pe = comp["adpe"], comp["pe"]
            if cat == "firewall" and not OPEN_ONLY:
                ad = Triplet(ad.value, min(ad.low, box_be * self.ratios.adpe["box"]), ad.high)
                pe = Triplet(pe.value, min(pe.low, box_be * self.ratios.pe["box"]), pe.high)
            self.add_derived(
                cat,
                "device",
                gwp,
                "Boavizta component estimate",
                sw_url,
                sw_lic,
                2021,
                adpe_override=ad,
                adpe_override_note="adpe from the same Boavizta components (adp "
                "factors, kgSbeq: main board + PSU per kg + assembly, high adds the "
                "rack case).",
            )
            # replace the ratio-based pe row just added by the component-based one
            last = self.rows[-1]
            if OPEN_ONLY:
                self.rows.append(last)  # placeholder overwritten just below (no ratio row)
                last = self.rows[-1]
            assert last.criterion in ("pe", "adpe") and last.category == cat
            self.rows[-1] = Row(
                cat,
                "pe",
                "device",
                pe,
                BZ_SRC,
                BZ_URL,
                BZ_LIC,
                2021,
                "pe from the same Boavizta components (pe factors, MJ of primary "
                "energy): main board + PSU per kg + assembly; low PSU 1 kg; high "
                "adds the rack case."
                + (" Firewall low = Base Empreinte ISP box ADPf." if cat == "firewall" else ""),
            )
            self.report[cat] = gwp

    def small_ecodiag(self) -> None:
        sh = self.shared
        u = SEARCHED["ecodiag_rel_uncertainty"]
        ip = float(sh[sh["category"].eq("ip_phone")]["value"].iloc[0])
        gwp = Triplet(ip, ip * (1 - u), ip * (1 + u))
        note = (
            f"value = EcoDiag IP desk phone {ip:g} kgCO2e (manufacture + transport; EcoDiag "
            f"gives no spread). low/high = +/-{u:.0%}, the uncertainty EcoDiag states for "
            f"ADEME small-device values (video projector entry). No manufacturer PCF found. "
            f"Year blank: EcoDiag snapshot undated."
        )
        self.add(
            Row("ip_phone", "gwp", "device", gwp, ECODIAG_SRC, ECODIAG_URL, ECODIAG_LIC, None, note)
        )
        self.add_derived(
            "ip_phone", "device", gwp, "EcoDiag IP phone", ECODIAG_URL, ECODIAG_LIC, None
        )
        self.report["ip_phone"] = gwp

        pj = sh[(sh["category"] == "projector") & sh["source"].str.contains("EcoDiag")].iloc[0]
        gwp = Triplet(float(pj["value"]), float(pj["low"]), float(pj["high"]))
        note = (
            "value = ADEME Base Carbone video projector 94 kgCO2e (manufacture + distribution, "
            "ADEME 2019 consumer-goods study), as used by EcoDiag and Nos Gestes Climat; "
            "low/high = 94 x (1 -/+ 0.75), the 75% uncertainty EcoDiag states for it. Room and "
            "auditorium projectors are likely heavier (EcoDiag's 150/200 are marked as guesses "
            "and not used)."
        )
        src = f"{ADEME19_SRC} (Base Carbone video projector); {ECODIAG_SRC}"
        url = f"{ADEME19_URL} ; {ECODIAG_URL}"
        lic = f"{ADEME_LIC}; {ECODIAG_LIC}"
        self.add(Row("projector", "gwp", "device", gwp, src, url, lic, 2019, note))
        self.add_derived("projector", "device", gwp, "ADEME video projector", url, lic, None)
        self.report["projector"] = gwp

    def ups(self) -> None:
        s = SEARCHED
        w = self.pcf.dropna(subset=["emb", "weight"])
        w = w[w["weight"] > 0]
        perkg = (w["emb"] / w["weight"]).to_numpy(float)
        p10, p50, p90 = (float(v) for v in np.percentile(perkg, [10, 50, 90]))
        lo_k, hi_k = p10 / p50, p90 / p50
        self.report["ups_perkg"] = dict(p10=p10, p50=p50, p90=p90, n=len(perkg))
        note_core = (
            f"No UPS PEP/EPD figure found (APC/Schneider PEP ecopassport, Eaton, PEFCR UPS "
            f"2016 searched; none retrieved). Derived from the closest documented "
            f"equipment, a power supply: Boavizta's per-kg PSU factors, applied per kg of "
            f"UPS (driver weight_kg; the inventory or archetype must give the weight). "
            f"Bounds: value x the 10th/90th percentile over the median of embodied GWP per "
            f"kg of the {len(perkg)} pcf-train.csv products with a weight ({p10:.3g}, "
            f"{p50:.3g}, {p90:.3g} kgCO2e/kg -> x{lo_k:.2f} / x{hi_k:.2f}), a documented "
            f"spread of per-kg intensities of IT equipment. Lead-acid batteries (most of a "
            f"small UPS's mass) are probably less carbon-intensive per kg than power "
            f"electronics, so the value is likely high for battery-heavy units. Very rough."
        )
        for crit in ("gwp", "adpe", "pe"):
            v = s["bz_psu_per_kg"][crit]
            t = Triplet(v, v * lo_k, v * hi_k)
            if crit == "gwp":
                gwp = t
            self.add(
                Row(
                    "ups",
                    crit,
                    "weight_kg",
                    t,
                    f"{BZ_SRC} (power supply per kg); spread: {PCF_SRC}",
                    f"{BZ_URL} ; {PCF_URL}",
                    f"{BZ_LIC}; spread: {PCF_LIC}",
                    2021,
                    f"{crit} = Boavizta power-supply factor {v:g} per kg. " + note_core,
                )
            )
        w_ = self.water
        self.add(
            Row(
                "ups",
                "water",
                "weight_kg",
                Triplet(gwp.value * w_.value, gwp.low * w_.low, gwp.high * w_.high),
                f"{WATER_SRC}; GWP basis: Boavizta PSU per kg",
                f"{WATER_URL} ; {BZ_URL}",
                WATER_LIC,
                2020,
                w_.text + " GWP basis: the ups gwp weight_kg row.",
            )
        )
        self.report["ups"] = gwp

    # ----------------------------------------------------------------- server and storage
    def _hp_transport_eol(self) -> tuple[Triplet, Triplet, list[str]]:
        hp = self.pcf[
            (self.pcf["subcategory"] == "Server") & self.pcf["gwp_transport_ratio"].notna()
        ]
        tr = (hp["gwp_transport_ratio"] * hp["gwp_total"]).to_numpy(float)
        eol = (hp["gwp_eol_ratio"] * hp["gwp_total"]).to_numpy(float)
        return (
            Triplet(float(np.median(tr)), float(tr.min()), float(tr.max())),
            Triplet(float(np.median(eol)), float(eol.min()), float(eol.max())),
            list(hp["name"]),
        )

    def components(self) -> dict[str, dict[str, Triplet]]:
        """Per-driver component factors (value, low, high) for gwp, adpe, pe."""
        s = SEARCHED
        ram_d = np.array(s["bz_ram_density"])
        ssd_d = np.array(s["bz_ssd_density"])
        ram_dens = Triplet(float(ram_d.mean()), float(ram_d.max()), float(ram_d.min()))
        ssd_dens = Triplet(float(ssd_d.mean()), float(ssd_d.max()), float(ssd_d.min()))
        mod, cap = s["bz_ram_module_gb"], s["bz_ssd_capacity_gb"]
        die, pw = s["bz_cpu_die_mm2"], s["bz_psu_weight_kg"]
        out: dict[str, dict[str, Triplet]] = {}
        for crit in ("gwp", "adpe", "pe"):
            c = {}
            c["cpu_count"] = Triplet(
                *(
                    s["bz_cpu_base"][crit] + s["bz_cpu_per_mm2"][crit] * d
                    for d in (die["value"], die["low"], die["high"])
                )
            )
            # RAM per GB: die part (per cm2 / density) + module base spread over the module size
            c["ram_gb"] = Triplet(
                s["bz_ram_per_cm2"][crit] / ram_dens.value + s["bz_ram_base"][crit] / mod["value"],
                s["bz_ram_per_cm2"][crit] / ram_dens.low + s["bz_ram_base"][crit] / mod["high"],
                s["bz_ram_per_cm2"][crit] / ram_dens.high + s["bz_ram_base"][crit] / mod["low"],
            )
            c["ssd_gb"] = Triplet(
                s["bz_ssd_per_cm2"][crit] / ssd_dens.value + s["bz_ssd_base"][crit] / cap["value"],
                s["bz_ssd_per_cm2"][crit] / ssd_dens.low + s["bz_ssd_base"][crit] / cap["high"],
                s["bz_ssd_per_cm2"][crit] / ssd_dens.high + s["bz_ssd_base"][crit] / cap["low"],
            )
            c["hdd_count"] = Triplet(s["bz_hdd"][crit], s["bz_hdd"][crit], s["bz_hdd"][crit])
            c["psu_count"] = Triplet(
                *(s["bz_psu_per_kg"][crit] * x for x in (pw["value"], pw["low"], pw["high"]))
            )
            blade = s["bz_case_blade_enclosure16"][crit] / 16.0 + s["bz_case_blade_server"][crit]
            base = s["bz_motherboard"][crit] + s["bz_assembly"][crit]
            rack = s["bz_case_rack"][crit]
            c["device"] = Triplet(base + rack, base + min(rack, blade), base + max(rack, blade))
            out[crit] = c
        # HDD and SSD bounds widened with the train Seagate drive PCFs (gwp), same relative
        # widening applied to adpe and pe.
        drives = self.pcf[self.pcf["subcategory"] == "Hard drive"].copy()
        is_ssd = drives["name"].str.contains("SSD|Nytro|Nitro|Koho|Pulsar", case=False) | drives[
            "hard_drive"
        ].fillna("").str.contains("SSD")
        hdd = drives[~is_ssd]["emb"].to_numpy(float)
        ssd = drives[is_ssd]
        cap_tb = ssd["name"].str.extract(r"(\d+(?:\.\d+)?)\s*TB", flags=re.I)[0].astype(float)
        cap_gb = ssd["name"].str.extract(r"(\d+(?:\.\d+)?)\s*GB", flags=re.I)[0].astype(float)
        gb = cap_tb.mul(1000).fillna(cap_gb)
        ssd_per_gb = (ssd["emb"] / gb).dropna().to_numpy(float)
        self.report["drives"] = dict(
            hdd=sorted(hdd.round(1)), ssd_per_gb=sorted(ssd_per_gb.round(4))
        )
        g = out["gwp"]
        for key, sample in (("hdd_count", hdd), ("ssd_gb", ssd_per_gb)):
            t = g[key]
            new = Triplet(
                t.value, min(t.low, float(sample.min())), max(t.high, float(sample.max()))
            )
            lo_k, hi_k = new.low / t.value, new.high / t.value
            g[key] = new
            for crit in ("adpe", "pe"):
                o = out[crit][key]
                out[crit][key] = Triplet(
                    o.value, min(o.low, o.value * lo_k), max(o.high, o.value * hi_k)
                )
        return out

    def server_and_storage(self) -> None:
        comp = self.components()
        tr, eol, hp_names = self._hp_transport_eol()
        s = SEARCHED
        # typical rack server: 2 sockets, 64 GB RAM, 2 x 480 GB SSD, 2 PSU, no HDD
        typical = {
            "device": 1,
            "cpu_count": 2,
            "ram_gb": 64,
            "ssd_gb": 960,
            "psu_count": 2,
            "hdd_count": 0,
        }
        dev = comp["gwp"]["device"] + tr + eol
        parts = {k: comp["gwp"][k] for k in typical if k != "device"}
        tot = Triplet(0, 0, 0)
        for k, n in typical.items():
            tot = tot + (dev if k == "device" else parts[k]).scaled(n)
        srv = self.pcf[self.pcf["subcategory"] == "Server"]
        srv_med = float(srv["emb"].median())
        gap = max(0.0, srv_med - tot.high)
        dev_gwp = Triplet(dev.value, dev.low, dev.high + gap)
        tot_final = Triplet(tot.value, tot.low, tot.high + gap)
        self.report["server_typical"] = dict(
            value=tot.value,
            low=tot.low,
            high=tot_final.high,
            high_before=tot.high,
            gap=gap,
            train_median=srv_med,
            srv=srv,
        )
        widen = dev_gwp.high / dev.high
        base_note = "Component model of a server (Boavizta 2021, as in boaviztapi 2.5.0). "
        dev_note = (
            base_note + f"device = rack case {s['bz_case_rack']['gwp']:g} + main board "
            f"{s['bz_motherboard']['gwp']:g} + assembly {s['bz_assembly']['gwp']:g} kgCO2e "
            f"(Boavizta) + transport {tr.value:.3g} [{tr.low:.3g}, {tr.high:.3g}] + end of "
            f"life {eol.value:.3g} [{eol.low:.3g}, {eol.high:.3g}] (median [min, max] of "
            f"gwp_transport_ratio and gwp_eol_ratio x gwp_total of the {len(hp_names)} HPE "
            f"ProLiant PCFs in pcf-train.csv; Boavizta excludes both). low uses the blade "
            f"case instead of the rack case (1/16 of a 16-slot enclosure + blade = "
            f"{s['bz_case_blade_enclosure16']['gwp'] / 16 + s['bz_case_blade_server']['gwp']:.1f}). "
            f"high is widened by {gap:.0f} kgCO2e so that a typical 2-socket, 64 GB, "
            f"2 x 480 GB SSD, 2-PSU server reaches the median embodied GWP of the "
            f"{len(srv)} train server PCFs ({srv_med:.0f} kgCO2e): the component model sits "
            f"at the low end of manufacturer PCFs (see embodied.md)."
        )
        notes = {
            "cpu_count": (
                base_note + f"per CPU socket = {s['bz_cpu_base']['gwp']:g} + "
                f"{s['bz_cpu_per_mm2']['gwp']:g} kgCO2e/mm2 x die area; die = "
                f"{s['bz_cpu_die_mm2']['value']:g} mm2 (median of the 291 Xeon "
                f"Bronze/Silver/Gold/Platinum/E5 and EPYC rows with a total die size in "
                f"boaviztapi cpu_specs.csv), low/high at their 10th/90th percentiles "
                f"({s['bz_cpu_die_mm2']['low']:g} / {s['bz_cpu_die_mm2']['high']:g} mm2)."
            ),
            "ram_gb": (
                base_note + f"per GB of RAM = {s['bz_ram_per_cm2']['gwp']:g} kgCO2e/cm2 of "
                f"die / density + module base {s['bz_ram_base']['gwp']:g} kgCO2e / module "
                f"size. Density = mean of the 11 rows of boaviztapi ram_manufacture.csv "
                f"(1.244 GB/cm2; low uses the max 2.375, high the min 0.625); module size "
                f"32 GB (platform_compute_medium), low 64 GB, high 16 GB (boaviztapi server "
                f"archetypes). RAM dominates server embodied GWP in this model."
            ),
            "ssd_gb": (
                base_note + f"per GB of SSD = {s['bz_ssd_per_cm2']['gwp']:g} kgCO2e/cm2 / "
                f"NAND density + drive base {s['bz_ssd_base']['gwp']:g} kgCO2e / drive "
                f"capacity. Density = mean of the 19 rows of boaviztapi ssd_manufacture.csv "
                f"(54.9 GB/cm2; low 128, high 16.4); capacity 1000 GB (100-5000, boaviztapi "
                f"SSD archetype). Bounds widened to the per-GB embodied GWP of the train "
                f"Seagate SSD PCFs ("
                + ", ".join(f"{v:g}" for v in self.report["drives"]["ssd_per_gb"])
                + " kgCO2e/GB)."
            ),
            "hdd_count": (
                base_note + f"per hard disk = {s['bz_hdd']['gwp']:g} kgCO2e whatever the "
                f"capacity (Boavizta, from UBA 2021); bounds = min/max embodied GWP of the "
                f"train Seagate HDD PCFs ("
                + ", ".join(f"{v:g}" for v in self.report["drives"]["hdd"])
                + " kgCO2e)."
            ),
            "psu_count": (
                base_note + f"per power supply = {s['bz_psu_per_kg']['gwp']:g} kgCO2e/kg "
                f"x {s['bz_psu_weight_kg']['value']:g} kg (boaviztapi default PSU "
                f"weight), low 1 kg, high 5 kg (archetype range)."
            ),
        }
        for cat in ("server", "storage"):
            for driver in ("device", "cpu_count", "ram_gb", "ssd_gb", "hdd_count", "psu_count"):
                if cat == "storage" and driver in ("cpu_count", "ram_gb"):
                    continue
                if driver == "device":
                    g = dev_gwp if cat == "server" else dev
                    ad = comp["adpe"]["device"]
                    pe = comp["pe"]["device"]
                    if cat == "storage":
                        mb = SEARCHED["bz_motherboard"]
                        g = Triplet(g.value, g.low, g.high + mb["gwp"])
                        ad = Triplet(ad.value, ad.low, ad.high + mb["adpe"])
                        pe = Triplet(pe.value, pe.low, pe.high + mb["pe"])
                    if cat == "server":
                        ad = Triplet(ad.value, ad.low, ad.high * widen)
                        pe = Triplet(pe.value, pe.low, pe.high * widen)
                    note = dev_note
                    if cat == "storage":
                        note = (
                            dev_note.split(" high is widened")[0]
                            + " Storage (NAS / array) uses the server component model without "
                            "CPU sockets and RAM: controller board + enclosure + assembly + "
                            "transport/EoL, plus disks, SSD and PSUs through their own rows. "
                            "No NAS/array PCF found except the Seagate OneStor SP2584 84-bay "
                            "enclosure in pcf-train.csv (see embodied.md). high adds a second "
                            "controller board (+66.1 kgCO2e; dual-controller arrays)."
                        )
                    ad_note = (
                        "device adpe/pe = the same Boavizta parts (adp in kgSbeq, pe in MJ): "
                        "rack case + main board + assembly (transport and EoL have no "
                        "Boavizta multi-criteria factor and are left out); low/high = "
                        "the lower/higher of the rack-case and blade-case variants (the "
                        "blade enclosure share has more ADPe than a rack case)"
                        + (
                            "; high further widened in the same proportion as the GWP high."
                            if cat == "server"
                            else "."
                        )
                    )
                else:
                    g = comp["gwp"][driver]
                    ad, pe = comp["adpe"][driver], comp["pe"][driver]
                    note = notes[driver]
                    ad_note = (
                        "adpe/pe from the same formula with Boavizta's adp (kgSbeq) and pe "
                        "(MJ) factors and the same parameter ranges. Boavizta's 'adp' is "
                        "in kgSbeq, i.e. the minerals-and-metals depletion indicator."
                    )
                year = 2021
                src = BZ_SRC + (
                    f"; transport/EoL and bounds: {PCF_SRC}"
                    if driver in ("device", "hdd_count", "ssd_gb")
                    else ""
                )
                url = BZ_URL + (
                    f" ; {PCF_URL}" if driver in ("device", "hdd_count", "ssd_gb") else ""
                )
                lic = BZ_LIC + (
                    f"; {PCF_LIC}" if driver in ("device", "hdd_count", "ssd_gb") else ""
                )
                self.add(Row(cat, "gwp", driver, g, src, url, lic, year, note))
                self.add(Row(cat, "adpe", driver, ad, src, url, lic, year, ad_note + " " + note))
                self.add(Row(cat, "pe", driver, pe, src, url, lic, year, ad_note + " " + note))
                w = self.water
                self.add(
                    Row(
                        cat,
                        "water",
                        driver,
                        Triplet(g.value * w.value, g.low * w.low, g.high * w.high),
                        f"{WATER_SRC}; GWP basis: {BZ_SRC}",
                        f"{WATER_URL} ; {BZ_URL}",
                        f"{WATER_LIC}; GWP basis: {BZ_LIC}",
                        2020,
                        w.text + f" GWP basis: the {cat} gwp {driver} row.",
                    )
                )
        self.report["server_components"] = {k: comp["gwp"][k] for k in comp["gwp"]}
        self.report["server_device"] = dev_gwp
        self.report["storage_device"] = Triplet(
            dev.value, dev.low, dev.high + SEARCHED["bz_motherboard"]["gwp"]
        )

    def server_check(self) -> pd.DataFrame:
        """Component model applied to the train server PCFs whose configuration is stated.

        For this comparison only: 2 power supplies are assumed (PCFs do not state them) and SSDs
        of unstated capacity count at the boaviztapi default capacity (1000 GB).
        """
        c = self.report["server_components"]
        dev = self.report["server_device"]
        srv = self.pcf[
            (self.pcf["subcategory"] == "Server")
            & self.pcf["memory"].notna()
            & self.pcf["number_cpu"].notna()
        ].copy()
        out = []
        for r in srv.itertuples():
            hd = str(r.hard_drive)
            hdd = ssd_gb = 0.0
            for n, size, unit, kind in re.findall(
                r"x(\d+)\s+([\d.]+)(GB|TB)\s+[\d.]+in\s+(HDD|SSD)", hd
            ):
                gb = float(size) * (1000 if unit == "TB" else 1)
                if kind == "HDD":
                    hdd += int(n)
                else:
                    ssd_gb += int(n) * gb
            m = re.match(r"(\d+)\s+SSD", hd)
            if m:
                ssd_gb += int(m.group(1)) * SEARCHED["bz_ssd_capacity_gb"]["value"]
            model = (
                dev.value
                + r.number_cpu * c["cpu_count"].value
                + r.memory * c["ram_gb"].value
                + ssd_gb * c["ssd_gb"].value
                + hdd * c["hdd_count"].value
                + 2 * c["psu_count"].value
            )
            out.append(
                dict(
                    manufacturer=r.manufacturer,
                    name=r.name,
                    cpu=int(r.number_cpu),
                    ram_gb=r.memory,
                    hdd=hdd,
                    ssd_gb=ssd_gb,
                    pcf=r.emb,
                    model=model,
                    ratio=r.emb / model,
                )
            )
        table = pd.DataFrame(out)
        self.report["server_check"] = table
        return table

    # ----------------------------------------------------------------- run
    def build(self) -> list[Row]:
        self.server_and_storage()
        self.desktop()
        self.laptop()
        self.thin_client()
        self.tablet()
        self.smartphone()
        self.monitor_and_tv()
        self.printers()
        self.network()
        self.small_ecodiag()
        self.ups()
        self.server_check()
        order = {c: i for i, c in enumerate(CATEGORIES)}
        crit_order = {c: i for i, c in enumerate(CRITERIA)}
        drv_order = {d: i for i, d in enumerate(DRIVER_SUFFIX)}
        self.rows.sort(
            key=lambda r: (order[r.category], crit_order[r.criterion], drv_order[r.driver])
        )
        return self.rows


# --------------------------------------------------------------------------------------------
# Checks and output
# --------------------------------------------------------------------------------------------
def check(rows: list[Row]) -> None:
    ids = [r.id for r in rows]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate ids: {sorted(dup)}")
    for r in rows:
        t = r.t
        if not (0 <= t.low <= t.value <= t.high) or not all(np.isfinite([t.low, t.value, t.high])):
            raise SystemExit(f"{r.id}: need 0 <= low <= value <= high, got {t}")
        if not r.source or not r.unit:
            raise SystemExit(f"{r.id}: missing source or unit")
        if r.year is None and "blank" not in r.notes.lower():
            raise SystemExit(f"{r.id}: blank year without a note saying why")
    have = {(r.category, r.criterion) for r in rows}
    missing = [(c, k) for c in CATEGORIES for k in CRITERIA if (c, k) not in have
               and not (OPEN_ONLY and k in ("adpe", "pe"))]
    if missing:
        raise SystemExit(f"categories x criteria not covered: {missing}")


def write(rows: list[Row], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow(
                [
                    r.id,
                    r.category,
                    r.criterion,
                    r.driver,
                    _sig(r.t.value),
                    _sig(r.t.low),
                    _sig(r.t.high),
                    r.unit,
                    r.source,
                    r.source_url,
                    r.licence,
                    "" if r.year is None else str(r.year),
                    r.notes,
                ]
            )


def summary(b: Builder) -> str:
    lines = ["Typical embodied GWP per category (kgCO2e, value [low, high]):"]
    rep = b.report
    st = rep["server_typical"]
    lines.append(
        f"  server (2 CPU, 64 GB, 2x480 GB SSD, 2 PSU): {st['value']:.0f} "
        f"[{st['low']:.0f}, {st['high']:.0f}]  (train server PCF median "
        f"{st['train_median']:.0f})"
    )
    for cat in (
        "desktop",
        "laptop",
        "thin_client",
        "tablet",
        "smartphone",
        "printer",
        "mfp",
        "network_switch",
        "router",
        "wifi_ap",
        "firewall",
        "ip_phone",
        "projector",
    ):
        t = rep[cat]
        lines.append(f"  {cat}: {t.value:.1f} [{t.low:.1f}, {t.high:.1f}]")
    a, bb = rep["monitor"]
    for size in (24, 27):
        lines.append(
            f"  monitor {size} in: {a.value + bb.value * size:.0f} "
            f"[{a.low + bb.low * size:.0f}, {a.high + bb.high * size:.0f}]"
        )
    tv = rep["tv"]
    for size in (43, 55, 65):
        lines.append(
            f"  tv {size} in: {tv.value * size:.0f} [{tv.low * size:.0f}, {tv.high * size:.0f}]"
        )
    sd = rep["storage_device"]
    c = rep["server_components"]
    nas = sd + c["hdd_count"].scaled(12) + c["psu_count"].scaled(2)
    lines.append(f"  storage (12 HDD, 2 PSU): {nas.value:.0f} [{nas.low:.0f}, {nas.high:.0f}]")
    chk = rep["server_check"]
    for man, g in chk.groupby("manufacturer"):
        lines.append(
            f"  check {man}: {len(g)} train server PCFs with a stated configuration, "
            f"PCF / component model median {g['ratio'].median():.2f} "
            f"(min {g['ratio'].min():.2f}, max {g['ratio'].max():.2f})"
        )
    u = rep["ups"]
    lines.append(f"  ups: {u.value:.3g} [{u.low:.3g}, {u.high:.3g}] kgCO2e per kg of UPS")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    builder = Builder(args.data_dir)
    rows = builder.build()
    check(rows)
    write(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}")
    print(summary(builder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
