"""Build factors/data/archetypes.csv and factors/data/parameters.csv.

``archetypes.csv`` holds, for each device category, the defaults the auditor uses when an
inventory row lacks a figure: service life, wall power when active / idle / off, hours on per
day, days on per year, mean load while on, and spec defaults (screen size, RAM, server parts,
weight). ``parameters.csv`` holds the model parameters: on-site PUE, UPS efficiency and the
server wall-power model (CPU load curve, RAM, drives, base load, PSU efficiency).

Every figure below is either typed in from a cited publication (the ``SOURCES`` table and the
per-row ``cite`` keys) or computed here from the shared reference data, with the computation
written in the row's ``notes``:

* ``<data-dir>/pcf/pcf-train.csv`` (Boavizta environmental-footprint-data, ODbL 1.0): weights,
  screen sizes, yearly TEC of manufacturer product carbon footprints (TRAIN split only; the
  holdout split and the full boavizta-data-*.csv files are never read);
* ``<data-dir>/specpower/specpower-idlemax-train.csv`` and ``specpower-curves-train.csv``
  (SPECpower_ssj2008 results, TRAIN splits only): typical 2-socket configuration and the
  light tuning / sanity check of the server power model. Only the CPU-name -> TDP column of the
  curves file is used; its power columns are not read.

Checks before writing: unique ids, ``0 <= low <= value <= high``, every category has the
seven usage parameters, every unit parses with pint. The server-model sanity check
(mean absolute % error at idle and at 100 % load on the SPECpower TRAIN idle/max file) is
printed and written between the ``<!-- sanity:start -->`` / ``<!-- sanity:end -->`` markers of
``factors/data/archetypes.md``.

Usage::

    python -m factors.fit.build_archetypes [--data-dir ../shared/data] [--no-md]

Only numpy, pandas and pint are used.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT
from factors.tables import CATEGORIES as CATEGORY_KEYS

OUT_DIR = REPO_ROOT / "factors" / "data"

ARCH_COLUMNS = [
    "id",
    "category",
    "parameter",
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
PARAM_COLUMNS = [
    "id",
    "parameter",
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

CATEGORIES = tuple(CATEGORY_KEYS)
USAGE_PARAMS = (
    "lifetime_years",
    "power_active_w",
    "power_idle_w",
    "power_off_w",
    "hours_per_day",
    "days_per_year",
    "avg_load_pct",
)
UNITS = {
    "lifetime_years": "year",
    "power_active_w": "W",
    "power_idle_w": "W",
    "power_off_w": "W",
    "hours_per_day": "hour",
    "days_per_year": "day",
    "avg_load_pct": "percent",
    "screen_size_in": "inch",
    "ram_gb": "GB",
    "ssd_count": "dimensionless",
    "ssd_gb": "GB",
    "hdd_count": "dimensionless",
    "hdd_gb": "GB",
    "cpu_count": "dimensionless",
    "cpu_tdp_w": "W",
    "psu_count": "dimensionless",
    "psu_rating_w": "W",
    "weight_kg": "kg",
}

QUOTED = "facts quoted with attribution; no text or code copied"

# --------------------------------------------------------------------------------------------
# Sources: key -> (citation of the original publication, URL, licence/terms, year).
# "read via" tells where the figure was actually read when it was not the original document.
# --------------------------------------------------------------------------------------------
SOURCES: dict[str, tuple[str, str, str, int | None]] = {
    "ademe_arcep": (
        "ADEME & Arcep (2022), Evaluation de l'impact environnemental du numerique en France et "
        "analyse prospective, Rapport 2, Tableau 48 p.71 (device lifetimes); read via ADEME "
        "Nos Gestes Climat / Impact CO2 as transcribed in shared/data/embodied/lifetimes-power.csv",
        "https://librairie.ademe.fr/consommer-autrement/5226-evaluation-de-l-impact-"
        "environnemental-du-numerique-en-france-et-analyse-prospective.html",
        f"ADEME public report; {QUOTED}",
        2022,
    ),
    "ademe_arcep_cfg": (
        "ADEME & Arcep (2022), Evaluation de l'impact environnemental du numerique en France, "
        "device configurations (RAM, screen sizes); read via ADEME Impact CO2 "
        "(incubateur-ademe/impactco2 src/data/categories/numerique.json, commit 00ff7a27)",
        "https://github.com/incubateur-ademe/impactco2/blob/00ff7a278bc166e7f71c5d0f459a6074298d5369/"
        "src/data/categories/numerique.json",
        f"ADEME public report / Impact CO2 repository; {QUOTED}",
        2022,
    ),
    "impactco2_2019": (
        "ADEME (2018-2019), Modelisation et evaluation environnementale de produits de "
        "consommation et biens d'equipement; default lifetimes read via ADEME Impact CO2 "
        "(impactco2 numerique.json, commit e5c602fc), as in shared/data/embodied/lifetimes-power.csv",
        "https://github.com/incubateur-ademe/impactco2",
        f"ADEME public data; {QUOTED}",
        2019,
    ),
    "boavizta_arch": (
        "Boavizta, boaviztapi 2.5.0 archetypes (data/archetypes/user_terminal.csv, server.csv): "
        "USAGE.hours_life_time, USAGE.avg_power (value;min;max), use_time_ratio; read via "
        "shared/notes/reference-impact-api-method.md and shared/data/embodied/lifetimes-power.csv",
        "https://github.com/Boavizta/boaviztapi",
        f"AGPL-3.0 software; {QUOTED}",
        None,
    ),
    "ecodiag": (
        "EcoInfo (CNRS), EcoDiag reference values, src/devices.js (power_consumption, duration, "
        "usage, yearly_consumption, and the 'kW x h x days' comments), sopht-com/ecodiag fork",
        "https://github.com/sopht-com/ecodiag/blob/1fa6a5c5d1ca799cc3aaea3c5bf7a168ab5ecead/src/devices.js",
        f"public repository (licence not stated in the file); {QUOTED}",
        None,
    ),
    "spiceworks": (
        "Spiceworks (2018), survey of 1,372 IT professionals (North America, Europe) on hardware "
        "lifespans, press release 'Spiceworks Study Reveals Desktops and Desk Phones Still "
        "Dominate in the Workplace', 20 Aug 2018",
        "https://prnewswire.com/news-releases/spiceworks-study-reveals-desktops-and-desk-phones-"
        "still-dominate-in-the-workplace-300698808.html",
        f"press release; {QUOTED}",
        2018,
    ),
    "numecoeval": (
        "NumEcoEval / G4IT referential (G4ITTeam/g4it, services/backend/src/main/resources/"
        "referential/numecoeval: itemTypes.csv default lifetimes, hypotheses.csv PUEParDefaut)",
        "https://github.com/G4ITTeam/g4it/tree/4f10cbc53fb0fec7322050385fa72205c4fb9667/services/"
        "backend/src/main/resources/referential/numecoeval",
        f"public repository; {QUOTED}",
        None,
    ),
    "dimension_data": (
        "Dimension Data (2012), Network Barometer Report 2012 (294 companies audited in 2011): "
        "average active life of network equipment fell from 7 to 5 years; read via GreenIT.fr, "
        "'Obsolescence programmee : exemple avec les reseaux informatiques'",
        "http://www.greenit.fr/article/materiel/obsolescence-programmee-exemple-avec-les-reseaux-"
        "informatiques-4498",
        f"report summary; {QUOTED}",
        2012,
    ),
    "gartner_lan": (
        "Gartner, 'Know When It's Time to Replace Enterprise Network Equipment': recommended "
        "useful life of LAN edge switching 7 to 10 years; read via ChannelWeb, 'Tall tech tales?'",
        "https://www.channelweb.co.uk/news/2216856/tall-tech-tales",
        f"analyst note quoted in trade press; {QUOTED}",
        None,
    ),
    "ups_life": (
        "UPS service life: chassis and electronics 7 to 10 years (electrolytic capacitors and fans "
        "about 10 years), VRLA batteries 3 to 5 years; Daopulse, 'Single Phase UPS Basic Life "
        "Expectancy - When to consider a new UPS over a battery' (2025)",
        "http://daopulse.com/index.php?a=show&c=content&id=251",
        f"vendor technical note; {QUOTED}",
        2025,
    ),
    "thin_client_tt": (
        "TechTarget SearchVirtualDesktop, 'Why you won't keep thin clients for a decade' "
        "(claimed nine-year thin-client lifecycle; in practice replaced about as often as PCs)",
        "https://searchvirtualdesktop.techtarget.com/news/1522646/Why-you-wont-keep-thin-clients-for-a-decade",
        f"trade press; {QUOTED}",
        None,
    ),
    "pcf": (
        "Manufacturer product carbon footprints compiled by Boavizta environmental-footprint-data "
        "(commit 61323eb5), TRAIN split shared/data/pcf/pcf-train.csv; computed here",
        "https://github.com/Boavizta/environmental-footprint-data",
        "ODbL 1.0 (contents DbCL 1.0); derived rows stay under ODbL",
        None,
    ),
    "tcs": (
        "Scott Logic, Technology Carbon Standard, 'Employee Hardware Example' (device power ranges "
        "and averages compiled from Dimpact, Scope3, Fershad Irani and own measurements; usage "
        "8 h x 220 days)",
        "https://github.com/ScottLogic/Technology-Carbon-Standard/blob/1a91fd9eb112d5e63159d0a275e210b1526b14a6/"
        "pages/information/hardware/examples/employee.md",
        f"public repository; {QUOTED}",
        2024,
    ),
    "tcs_gwf": (
        "Scott Logic, Technology Carbon Standard, Green Web Foundation case study, operational "
        "emissions (router: datasheet average 10 W; 18 W PSU rating x 60 % = 10.8 W; routers on "
        "24 h x 365 d)",
        "https://github.com/ScottLogic/Technology-Carbon-Standard/blob/095b9427ead7f66902926e4defd3220c413eefbd/"
        "pages/projects/gwf/4-operational-emissions.md",
        f"public repository; {QUOTED}",
        2024,
    ),
    "tcs_networks": (
        "Scott Logic, Technology Carbon Standard, 'Network Emissions' (network equipment draws a "
        "constant baseline power regardless of usage; high load adds little)",
        "https://github.com/ScottLogic/Technology-Carbon-Standard/blob/35710870c9a1202ed9da9a8d091eec7580989904/"
        "pages/information/networks/networks.md",
        f"public repository; {QUOTED}",
        2024,
    ),
    "ereuse": (
        "eReuse, devicehub-django, 'eReuse2025' environmental impact algorithm: idle power desktop "
        "39 W, laptop 16 W; sleep desktop 1.6 W, laptop 0.5 W (docs.md, algorithm constants)",
        "https://github.com/eReuse/devicehub-django/blob/660a95f39361a550dda530aa15fd87f77d85cbc2/"
        "environmental_impact/algorithms/ereuse2025/docs.md",
        f"public repository (AGPL family); {QUOTED}",
        2025,
    ),
    "energystar_v8": (
        "US EPA ENERGY STAR Program Requirements for Computers Version 8.0, TEC mode weightings "
        "(conventional desktop and thin client: off 45 %, sleep 5 %, long idle 15 %, short idle "
        "35 %; notebook: 25/35/10/30 %; workstation 10/35/20/35 %); read via Canonical "
        "energy-tools, energy_tools/energystar80.py",
        "https://github.com/fourdollars/energy-tools/blob/49d5a80db4ef07e537c6b596789372b58360185a/"
        "energy_tools/energystar80.py",
        "US government specification (public domain); read in a GPL-3.0 tool, only numbers used",
        2020,
    ),
    "eu_standby": (
        "Commission Regulation (EC) No 1275/2008 on standby and off mode (off and standby <= 1 W, "
        "standby with status display <= 2 W from 2010, halved from 7 Jan 2013), as amended by "
        "(EU) No 801/2013 (networked standby of non-HiNA equipment <= 2.0 W from 2019; "
        "manufacturer declarations e.g. Hama DIR3020BT user manual); read via Wikipedia "
        "'EC Regulation No. 1275/2008' and the Hama declaration",
        "https://eur-lex.europa.eu/eli/reg/2008/1275/oj",
        "EU legislation, reuse authorised (Commission Decision 2011/833/EU)",
        2013,
    ),
    "thincomputing": (
        "ThinComputing.net (2012), 'Why thin clients and zero clients haven't lived up to the "
        "last PC you'll ever buy hype': typical thin clients 2-10 W, typical PCs 20-60 W",
        "http://www.thincomputing.net/2012/02/07/why-thin-clients-and-zero-clients-havent-lived-up-"
        "to-the-last-pc-youll-ever-buy-hype/",
        f"trade press; {QUOTED}",
        2012,
    ),
    "switchpower": (
        "adlerweb, SwitchPower: measured idle power of network switches (one 1000BASE-T port "
        "linked, factory defaults, 230-235 V)",
        "https://github.com/adlerweb/SwitchPower/blob/044bde89fc07d205db89ab9f7919ea5f69ca0a20/README.md",
        f"public repository; {QUOTED}",
        None,
    ),
    "synology": (
        "Synology DiskStation DS2413+ specification (12 x 4 TB HDD): power consumption 111.1 W "
        "in access, 41.8 W in HDD hibernation; transcribed at pastebin.com/UtBsjs7x from "
        "synology.com/products/spec.php?product_name=DS2413%2B",
        "https://pastebin.com/UtBsjs7x",
        f"manufacturer specification; {QUOTED}",
        2013,
    ),
    "seagate_pcf": (
        "Seagate OneStor SP2584 84-bay enclosure product carbon footprint, yearly TEC 14,800 kWh "
        "(shared/data/pcf, Boavizta environmental-footprint-data)",
        "https://github.com/Boavizta/environmental-footprint-data",
        "ODbL 1.0",
        None,
    ),
    "printer_spec": (
        "Manufacturer specification of a 40 ppm A4 digital LED (electrophotographic) printer: "
        "operating max 900 W / average 600 W, idle 80 W, power save 7.0 W, deep sleep 1.4 W, "
        "auto-off 0.5 W; transcribed at pastebin.com/Lf7ZRdVD (model name not given)",
        "https://pastebin.com/Lf7ZRdVD",
        f"manufacturer specification; {QUOTED}",
        2016,
    ),
    "femp_ups": (
        "US DOE Federal Energy Management Program, 'Covered Product Category: Uninterruptible "
        "Power Supplies': 300 W voltage-and-frequency-dependent UPS at 25 % load, average "
        "efficiency 97.5 % (best available), 96.7 % (ENERGY STAR required), 92.0 % (less efficient)",
        "http://www.energy.gov/eere/femp/covered-product-category-uninterruptible-power-supplies",
        "US government work (public domain)",
        2019,
    ),
    "ieee_poe": (
        "IEEE 802.3af-2003 Power over Ethernet: 15.4 W at the switch port, 12.95 W available at "
        "the powered device (class 0/3)",
        "https://standards.ieee.org/ieee/802.3af/1090/",
        f"standard; {QUOTED}",
        2003,
    ),
    "lbnl_ssr": (
        "Cheung, I. et al., Lawrence Berkeley National Laboratory (2013), 'Energy Efficiency of "
        "Small Data Centers' (30 small server rooms surveyed, 4 assessed with power "
        "measurements: PUE 1.5 to 2.1)",
        "http://eetd.lbl.gov/news/article/57083/energy-efficiency-of-small-data",
        f"US national laboratory publication; {QUOTED}",
        2013,
    ),
    "uptime_2023": (
        "Uptime Institute (2023), Global Data Center Survey / Intelligence Update 221 'Large data "
        "centers are mostly more efficient': industry average PUE 1.58 in 2023 (1.55-1.59 since 2020)",
        "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms",
        f"public summary; {QUOTED}",
        2023,
    ),
    "nrdc_2014": (
        "NRDC & Anthesis (2014), Data Center Efficiency Assessment, Issue Paper IP:14-08-a: "
        "average server utilisation 12 to 18 %; NRDC blog citing US EPA (2007) Report to Congress: "
        "typical servers use 5 to 15 % of their maximum capability; read via GreenBiz (2014) and "
        "nrdc.org",
        "https://www.greenbiz.com/blog/2014/08/26/why-majority-data-centers-failing-energy-efficiency",
        f"NGO report; {QUOTED}",
        2014,
    ),
    "teads_boavizta": (
        "Boavizta API documentation, CPU consumption profile: P(load) = a*ln(b*(load+c))+d; "
        "average power per unit of TDP at 0/10/50/100 % load = 0.12/0.32/0.75/1.02 (from Teads, "
        "B. Davy 2021, 'Evaluating the carbon footprint of a software platform hosted in the cloud')",
        "https://github.com/Boavizta/boaviztapi/blob/0092bf1f3a576fa30f18e8cb7931fd4d04c5cea0/docs/docs/Explanations/components/cpu.md",
        f"AGPL-3.0 documentation; {QUOTED}",
        2021,
    ),
    "boavizta_components": (
        "Boavizta boaviztapi 2.5.0 usage model: SSD 8 W (2-20), HDD 6.4 W (5.4-9.4) per drive; "
        "RAM per DIMM (3.0 + 0.055 x GB) W, i.e. 0.149 W/GB for 32 GB DIMMs; other components "
        "0.33 (0.2-0.6) of CPU+RAM; read via shared/notes/reference-impact-api-method.md and "
        "shared/notes/probe-methods.md",
        "https://github.com/Boavizta/boaviztapi",
        f"AGPL-3.0 software; {QUOTED}",
        None,
    ),
    "boavizta_ram_doc": (
        "Boavizta API documentation, RAM consumption profile: 0.284 W per GB (averaged from "
        "stress-test data)",
        "https://github.com/Boavizta/boaviztapi/blob/1022a38a868f568b3138d338fe9d93f1ed59f724/docs/docs/Explanations/components/ram.md",
        f"AGPL-3.0 documentation; {QUOTED}",
        None,
    ),
    "ccf": (
        "Cloud Carbon Footprint methodology: memory 0.392 W/GB (mean of Crucial 0.375 and "
        "Micron 0.4083 W/GB); HDD 6.5 W per disk, SSD 6 W per disk (2020 projections of the 2016 "
        "US Data Center Energy Usage Report)",
        "https://github.com/cloud-carbon-footprint/cloud-carbon-footprint/blob/1559c186661db0671984f660adefb99080de5db1/microsite/docs/Methodology.md",
        f"Apache-2.0 documentation; {QUOTED}",
        2020,
    ),
    "psu_80plus": (
        "80 PLUS / ENERGY STAR v8 / CEC internal power-supply efficiency levels at 20/50/100 % "
        "load: 87/90/87 % (115 V, 80 PLUS Gold level), 88/92/88 % (230 V), 82/85/82 % (ENERGY "
        "STAR v8, <= 500 W); read via Intel ATX12VO Desktop Power Supply Design Guide 2.0, "
        "tables 4-19 and 4-20",
        "https://edc.intel.com/content/www/tw/zh/design/products-and-solutions/processors-and-chipsets/"
        "alder-lake-s/atx12vo-12v-only-desktop-power-supply-design-guide/2.0/power-supply-efficiency-"
        "for-energy-regulations-energy-star-and-cec-pc-computers/",
        f"vendor design guide; {QUOTED}",
        2020,
    ),
    "specpower": (
        "SPECpower_ssj2008 results (SPEC, www.spec.org/power_ssj2008), TRAIN splits "
        "shared/data/specpower/specpower-idlemax-train.csv (from ccf-coefficients, Apache-2.0) and "
        "specpower-curves-train.csv (from green-coding cloud-energy, MIT); computed here",
        "https://www.spec.org/power_ssj2008/results/",
        "SPEC fair-use rules apply to public comparisons; extracts Apache-2.0 / MIT",
        None,
    ),
    # ---- spec defaults of storage, UPS and network gear (manufacturer figures) ----------------
    "netbox_dtl": (
        "NetBox community Device Type Library (netbox-community/devicetype-library), device-type "
        "YAML files by manufacturer; the weight / power-port fields are contributors' transcriptions "
        "of the manufacturer datasheets or product pages the files link to (files named in the row "
        "notes)",
        "https://github.com/netbox-community/devicetype-library",
        f"community repository (licence file not retrieved); manufacturer specification facts, "
        f"{QUOTED}",
        None,
    ),
    "apc_bx": (
        "APC by Schneider Electric, Back-UPS Pro BX850M/BX1000M/BX1350M/BX1500M User Manual, "
        "Specifications: unit weight 6.8 / 7.2 / 10.2 / 11.0 kg; read on a manual mirror "
        "(38.142.81.21:8001/manual/apc/bx1350m, page 9)",
        "http://38.142.81.21:8001/manual/apc/bx1350m/user-manual-english/page-9.html",
        f"manufacturer user manual; {QUOTED}",
        None,
    ),
    "synology_cfg": (
        "Synology DiskStation DS2413+ specification and owner's configuration: 12-bay NAS with "
        "12 x 4 TB Seagate NAS HDD (ST4000VN000), one 400 W power supply; transcribed at "
        "pastebin.com/UtBsjs7x from synology.com/products/spec.php?product_name=DS2413%2B",
        "https://pastebin.com/UtBsjs7x",
        f"manufacturer specification; {QUOTED}",
        2013,
    ),
    "bigbruin_ds1515": (
        "Bigbruin.com, Synology DiskStation DS1515+ review, page 3 'The Basics': five drive bays, "
        "filled for the review with 4 TB Seagate NAS HDDs",
        "https://bigbruin.com/content/ds1515_3",
        f"trade press; {QUOTED}",
        None,
    ),
    "tpu_ds1815": (
        "TechPowerUp, Synology DS1815+ review, page 4 'Exterior': an eight-bay NAS",
        "https://techpowerup.com/review/synology-ds1815plus/4.html",
        f"trade press; {QUOTED}",
        None,
    ),
    "tpu_rs816": (
        "TechPowerUp, Synology RackStation RS816 4-Bay NAS Review, 'NAS Configuration': internal "
        "disks Seagate ST500DM005 500 GB",
        "https://techpowerup.com/review/synology-rs816/9.html",
        f"trade press; {QUOTED}",
        None,
    ),
    "tftn_rs819": (
        "TechFromTheNet (2019), 'Synology RS819, storage NAS rack a profondita ridotta', page 2: "
        "four 3.5-inch bays, up to 64 TB raw with 16 TB drives, one internal non-hot-swap 100 W "
        "(Delta) power supply",
        "https://techfromthenet.it/2019/07/04/synology-rs819-storage-nas-rack-a-profondita-ridotta/2",
        f"trade press; {QUOTED}",
        2019,
    ),
    "hpe_msa2060": (
        "Hewlett Packard Enterprise, HPE MSA 1060/2060/2062 Installation Guide, 'Disk enclosure "
        "supporting either LFF or SFF disks': enclosures equipped with two expansion modules and two "
        "power and cooling modules (PCMs); read on manualshive.com",
        "https://manualshive.com/en/manual/hewlett-packard-enterprise/hpe-msa-1060/"
        "hpe-msa-1060_installation-manual_2128044-18.html",
        f"manufacturer installation guide; {QUOTED}",
        None,
    ),
    "hp_msa1040": (
        "HP MSA 1040 SAN Storage User Guide, 'Drive enclosures': MSA 2040 6 Gb 3.5-inch 12-drive "
        "(LFF) enclosure; read on manualsdir.com, page 16",
        "http://www.manualsdir.com/manuals/398594/hp-msa-1040-san-storage.html?page=16",
        f"manufacturer user guide; {QUOTED}",
        None,
    ),
    "dell_me4": (
        "Dell EMC PowerVault ME4 Series Storage System guide, expansion-enclosure cabling: 2U12, "
        "2U24 and 5U84 enclosure form factors (12 x 3.5-inch drives in the 2U12); read on "
        "manualshive.com",
        "https://manualshive.com/ru/manual/dell-emc/me4-series/2468360?page=18",
        f"manufacturer guide; {QUOTED}",
        None,
    ),
    "fireblsblog_hd6500": (
        "fireblsblog.de, Synology HighDensity HD6500 review part 2: two system SSDs Synology "
        "SAT5210 480 GB",
        "https://fireblsblog.de/reviews/synology-reviews/hd6500teil2/",
        f"trade press; {QUOTED}",
        None,
    ),
}

# --------------------------------------------------------------------------------------------
# Shared-data helpers
# --------------------------------------------------------------------------------------------


def _year_of(text: str) -> int | None:
    m = re.search(r"(19|20)\d{2}", str(text))
    return int(m.group(0)) if m else None


def load_pcf(data_dir: Path) -> pd.DataFrame:
    path = data_dir / "pcf" / "pcf-train.csv"
    if "holdout" in path.name:  # pragma: no cover - guard against misuse
        raise SystemExit("refusing to read a holdout file")
    frame = pd.read_csv(path)
    frame["sub"] = frame["subcategory"].astype(str).str.strip().str.lower()
    frame["report_year"] = frame["report_date"].map(_year_of)
    return frame


def pcf_stats(pcf: pd.DataFrame, sub: str, column: str) -> dict:
    x = pcf.loc[pcf["sub"] == sub, column].dropna().astype(float)
    years = pcf.loc[(pcf["sub"] == sub) & pcf[column].notna(), "report_year"].dropna()
    return {
        "n": int(len(x)),
        "median": float(x.median()),
        "p10": float(x.quantile(0.10)),
        "p90": float(x.quantile(0.90)),
        "p25": float(x.quantile(0.25)),
        "p75": float(x.quantile(0.75)),
        "min": float(x.min()),
        "max": float(x.max()),
        "year": int(years.median()) if len(years) else None,
    }


def _cpu_key(name: str) -> str:
    s = str(name).lower()
    s = re.sub(r"\(r\)|\(tm\)|processor|cpu|@.*", "", s)
    s = s.replace("intel", "").replace("amd", "")
    return re.sub(r"[^a-z0-9]", "", s)


def load_specpower(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """TRAIN files only: idle/max results with a TDP looked up by CPU name, and the curves file."""
    sp = data_dir / "specpower"
    idlemax = pd.read_csv(sp / "specpower-idlemax-train.csv")
    curves = pd.read_csv(sp / "specpower-curves-train.csv")
    tdp = curves.dropna(subset=["TDP"]).groupby("CPUName")["TDP"].median()
    tdp_by_key = {_cpu_key(k): float(v) for k, v in tdp.items()}
    idlemax["tdp"] = idlemax["CPU Description"].map(_cpu_key).map(tdp_by_key)
    idlemax["year"] = idlemax["Published"].astype(str).str[-4:].astype(int)
    return idlemax, curves


# --------------------------------------------------------------------------------------------
# Server CPU curve: Boavizta/Teads shape, endpoints lightly tuned on SPECpower TRAIN
# --------------------------------------------------------------------------------------------
TEADS_LOAD = np.array([0.0, 10.0, 50.0, 100.0])
TEADS_RATIO = np.array([0.12, 0.32, 0.75, 1.02])


def fit_log_curve(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares fit of y = a*ln(x + c) + e (closed form in a, e for each c; search on c)."""

    def solve(c: float) -> tuple[float, float, float]:
        design = np.c_[np.log(x + c), np.ones_like(x)]
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        sse = float(np.sum((design @ coef - y) ** 2))
        return sse, float(coef[0]), float(coef[1])

    grid = np.exp(np.linspace(np.log(0.01), np.log(1000.0), 4001))
    best = min(grid, key=lambda c: solve(c)[0])
    lo, hi = best / 1.01, best * 1.01
    for _ in range(200):  # golden-section refinement
        m1, m2 = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
        if solve(m1)[0] < solve(m2)[0]:
            hi = m2
        else:
            lo = m1
    c = (lo + hi) / 2
    _, a, e = solve(c)
    return a, c, e


def curve_abcd(
    idle_fraction: float, max_fraction: float, c: float
) -> tuple[float, float, float, float]:
    """(a, b, c, d) of f(u) = a*ln(b*(u+c)) + d with f(0)=idle, f(100)=max and d = 0."""
    a = (max_fraction - idle_fraction) / (math.log(100.0 + c) - math.log(c))
    b = math.exp(idle_fraction / a) / c
    return a, b, c, 0.0


def cpu_fraction(load: np.ndarray | float, a: float, b: float, c: float, d: float):
    return np.maximum(a * np.log(b * (np.asarray(load, float) + c)) + d, 0.0)


def server_power(load, tdp, chips, gb, n_ssd, n_hdd, p: dict) -> np.ndarray:
    cpu = (
        np.asarray(chips, float)
        * np.asarray(tdp, float)
        * cpu_fraction(load, p["a"], p["b"], p["c"], p["d"])
    )
    dc = cpu + np.asarray(gb, float) * p["ram"] + n_ssd * p["ssd"] + n_hdd * p["hdd"] + p["base"]
    return dc / p["eta"]


def errors(frame: pd.DataFrame, p: dict) -> dict:
    """Mean absolute % error and median signed % error at idle and at 100 % load."""
    args = (
        frame["tdp"].to_numpy(),
        frame["Chips"].to_numpy(),
        frame["Total Memory (GB)"].to_numpy(),
        1.0,
        0.0,
        p,
    )
    idle = server_power(0.0, *args)
    full = server_power(100.0, *args)
    mi, mf = frame["avg. watts @ active idle"].to_numpy(), frame["avg. watts @ 100%"].to_numpy()
    return {
        "n": len(frame),
        "mape_idle": float(np.mean(np.abs(idle - mi) / mi) * 100),
        "mape_full": float(np.mean(np.abs(full - mf) / mf) * 100),
        "bias_idle": float(np.median((idle - mi) / mi) * 100),
        "bias_full": float(np.median((full - mf) / mf) * 100),
    }


def tune_endpoints(frame: pd.DataFrame, p: dict) -> tuple[float, float]:
    """Idle and 100 % CPU fractions of TDP minimising mean |ln(pred/measured)| (grid search)."""
    tdp = frame["tdp"].to_numpy() * frame["Chips"].to_numpy()
    rest = frame["Total Memory (GB)"].to_numpy() * p["ram"] + p["ssd"] + p["base"]
    mi, mf = frame["avg. watts @ active idle"].to_numpy(), frame["avg. watts @ 100%"].to_numpy()

    def best(measured: np.ndarray, grid: np.ndarray) -> float:
        losses = [np.mean(np.abs(np.log(((tdp * f + rest) / p["eta"]) / measured))) for f in grid]
        return float(grid[int(np.argmin(losses))])

    return best(mi, np.round(np.arange(0.0, 0.301, 0.005), 3)), best(
        mf, np.round(np.arange(0.5, 1.301, 0.01), 2)
    )


# --------------------------------------------------------------------------------------------
# Row helpers
# --------------------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.0f}"


def cite(*keys: str) -> tuple[str, str, str, int | None]:
    """Join several sources: citations with ' | ', first URL, licences, latest year."""
    for key in keys:
        if key not in SOURCES:
            raise KeyError(key)
    cites = " | ".join(SOURCES[k][0] for k in keys)
    url = " ; ".join(dict.fromkeys(SOURCES[k][1] for k in keys))
    lic = " | ".join(dict.fromkeys(SOURCES[k][2] for k in keys))
    years = [SOURCES[k][3] for k in keys if SOURCES[k][3]]
    # reference year: that of the first (primary) source, else the latest of the others
    year = SOURCES[keys[0]][3] or (max(years) if years else None)
    return cites, url, lic, year


class Rows:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(
        self,
        category: str,
        parameter: str,
        value: float,
        low: float | None,
        high: float | None,
        keys: tuple[str, ...],
        notes: str,
        year: int | None = None,
        spread: str = "sources",
    ) -> None:
        source, url, lic, src_year = cite(*keys)
        self.rows.append(
            {
                "category": category,
                "parameter": parameter,
                "value": float(value),
                "low": None if low is None else float(low),
                "high": None if high is None else float(high),
                "unit": UNITS[parameter],
                "source": source,
                "source_url": url,
                "licence": lic,
                "year": year if year is not None else src_year,
                "notes": notes,
                "spread": spread,
            }
        )


def fill_default_spread(rows: list[dict]) -> float:
    """Single-source rows get a relative band: the median relative half-width of the power rows
    whose bounds come from several sources (documented in each row's notes)."""
    widths = [
        (r["high"] - r["low"]) / (2 * r["value"])
        for r in rows
        if r["spread"] == "sources"
        and r["parameter"].startswith("power_")
        and r["low"] is not None
        and r["value"] > 0
        and r["high"] > r["low"]
    ]
    rel = float(statistics.median(widths))
    for r in rows:
        if r["low"] is None or r["high"] is None:
            r["low"] = r["value"] * max(0.0, 1 - rel) if r["low"] is None else r["low"]
            r["high"] = r["value"] * (1 + rel) if r["high"] is None else r["high"]
            r["notes"] += (
                f" Single source: low/high = value x (1 -/+ {rel:.2f}), the median relative "
                "half-width of the multi-source power rows of this table."
            )
    return rel


# --------------------------------------------------------------------------------------------
# The archetype table
# --------------------------------------------------------------------------------------------


def build(data_dir: Path) -> tuple[list[dict], list[dict], dict]:
    pcf = load_pcf(data_dir)
    idlemax, curves = load_specpower(data_dir)
    R = Rows()
    info: dict = {}

    # ---- derived figures from the PCF TRAIN split ---------------------------------------
    tec = {
        s: pcf_stats(pcf, s, "yearly_tec")
        for s in ("desktop", "laptop", "monitor", "tablet", "smartphone")
    }
    # 'Thin Client' and 'Thin client' spellings are merged by the lower-cased subcategory
    tec["thin client"] = pcf_stats(pcf, "thin client", "yearly_tec")
    es_desk = {"off": 0.45, "sleep": 0.05, "long": 0.15, "short": 0.35}
    es_nb = {"off": 0.25, "sleep": 0.35, "long": 0.10, "short": 0.30}
    ereuse = {"desk_idle": 39.0, "nb_idle": 16.0, "desk_sleep": 1.6, "nb_sleep": 0.5}

    def idle_from_tec(tec_kwh: float, w: dict, p_off: float, p_sleep: float) -> float:
        """ENERGY STAR TEC = 8.76 x sum(T_i P_i); solve for a common idle level P_long = P_short."""
        mean_w = tec_kwh * 1000 / 8760
        return (mean_w - w["off"] * p_off - w["sleep"] * p_sleep) / (w["long"] + w["short"])

    # ---- lifetimes --------------------------------------------------------------------------
    lt = "lifetime_years"
    R.add(
        "server",
        lt,
        5,
        4,
        7,
        ("ecodiag", "spiceworks", "boavizta_arch", "numecoeval"),
        "Value 5: EcoDiag server duration 5 years; Spiceworks 2018: 75 % of organisations keep "
        "servers 5+ years (32 % 7+). Low 4: Boavizta server archetypes (35,040 h). High 7: "
        "NumEcoEval/G4IT default server lifetime.",
    )
    R.add(
        "desktop",
        lt,
        6,
        4,
        7,
        ("ademe_arcep", "boavizta_arch", "ecodiag", "spiceworks"),
        "Value 6: ADEME-Arcep 2022 (desktop tower and screen, also Impact CO2 'without screen') "
        "and Boavizta desktop archetypes (52,560 h). Low 4: EcoDiag PC duration. High 7: "
        "Spiceworks 2018 (24 % of organisations keep desktops 7+ years, 70 % 5+).",
    )
    R.add(
        "laptop",
        lt,
        4,
        3,
        6,
        ("ademe_arcep", "boavizta_arch", "ecodiag", "impactco2_2019"),
        "Value 4: median of sources 3 (ADEME-Arcep 2022 Tableau 48 via Nos Gestes Climat), 5 "
        "(Impact CO2 for the same study), 4 (Boavizta laptop-pro), 4 (EcoDiag), 6 (ADEME 2019 "
        "via Impact CO2). Low/high: min/max of these. Spiceworks 2018: 48 % keep laptops 5+ years.",
    )
    R.add(
        "thin_client",
        lt,
        6,
        4,
        9,
        ("thin_client_tt", "ademe_arcep", "ecodiag"),
        "No measured service life found for thin clients (the 2-year figure in Dell Wyse PCFs is a "
        "modelling assumption). TechTarget reports thin clients are in practice replaced about "
        "as often as PCs despite a claimed nine-year lifecycle: value = desktop value 6 "
        "(ADEME-Arcep 2022), low 4 (EcoDiag PC), high 9 (claimed lifecycle).",
    )
    R.add(
        "tablet",
        lt,
        3,
        2,
        4,
        ("ademe_arcep", "boavizta_arch", "ecodiag", "spiceworks"),
        "Value 3: ADEME-Arcep 2022 and Boavizta tablet archetype (26,280 h). Low 2: EcoDiag. "
        "High 4: Spiceworks 2018 (company tablets and smartphones typically last 2 to 4 years).",
    )
    R.add(
        "smartphone",
        lt,
        2.5,
        1.5,
        4,
        ("ademe_arcep", "boavizta_arch", "ecodiag", "numecoeval", "impactco2_2019", "spiceworks"),
        "Value 2.5: ADEME-Arcep 2022 and Boavizta (21,900 h). Low 1.5: EcoDiag (marked TODO in "
        "EcoDiag). Other sources: NumEcoEval 2, Spiceworks 2-4, ADEME 2019 4 (high).",
    )
    R.add(
        "monitor",
        lt,
        6,
        5,
        6.6,
        ("ademe_arcep", "boavizta_arch", "ecodiag"),
        "Value 6: ADEME-Arcep 2022 via Impact CO2. Low 5: EcoDiag screen duration. High 6.6: "
        "Boavizta monitor archetype (57,816 h).",
    )
    R.add(
        "printer",
        lt,
        5,
        5,
        7,
        ("ecodiag", "pcf", "impactco2_2019", "spiceworks"),
        "Value 5: EcoDiag desk laser (<40 kg) and Lexmark PCF lifetimes (shared/data/pcf); "
        "ADEME 2019 inkjet 6. High 7: Spiceworks 2018 (75 % keep printers 5+ years, 37 % 7+).",
    )
    R.add(
        "mfp",
        lt,
        5,
        5,
        7,
        ("ecodiag", "pcf", "spiceworks"),
        "Value 5: EcoDiag A3 laser/MFP classes (40-99 kg, >100 kg) and the Lexmark CX924dxe PCF. "
        "High 7: Spiceworks 2018 printers (37 % of organisations keep them 7+ years).",
    )
    R.add(
        "network_switch",
        lt,
        7,
        5,
        10,
        ("dimension_data", "gartner_lan"),
        "Value 7: Dimension Data's earlier average active life of network equipment (7 years), "
        "also the low end of Gartner's 7-10 year recommended useful life for LAN edge switching. "
        "Low 5: Dimension Data 2012 (active life fell to 5 years, driven by vendor end of support). "
        "High 10: Gartner upper end.",
    )
    R.add(
        "router",
        lt,
        5,
        5,
        6,
        ("ademe_arcep", "boavizta_arch", "impactco2_2019"),
        "Value 5: ADEME-Arcep 2022 ISP box (Impact CO2) and Boavizta box archetype (43,800 h). "
        "High 6: ADEME 2019 fibre modem. These are access routers/boxes; branch routers of an "
        "organisation are network equipment (5-7 years per Dimension Data).",
    )
    R.add(
        "wifi_ap",
        lt,
        6,
        4,
        7,
        ("ecodiag", "pcf", "dimension_data"),
        "Value 6: EcoDiag Wi-Fi hub duration. Low 4: Google Wifi/Nest Wifi PCF lifetime "
        "(consumer mesh). High 7: Dimension Data earlier average for network equipment.",
    )
    R.add(
        "firewall",
        lt,
        6,
        5,
        7,
        ("dimension_data",),
        "No firewall-specific service life found. Network equipment active life 5 to 7 years "
        "(Dimension Data 2012: fell from 7 to 5); value = midpoint 6.",
    )
    R.add(
        "storage",
        lt,
        5,
        4,
        10,
        ("ecodiag", "spiceworks", "boavizta_arch", "seagate_pcf"),
        "No NAS-specific survey found; storage arrays are refreshed with servers: value 5 and "
        "low 4 from the server sources (EcoDiag 5, Spiceworks 75 % 5+, Boavizta 4). High 10: "
        "Seagate OneStor SP2584 PCF lifetime.",
    )
    R.add(
        "ip_phone",
        lt,
        7,
        5,
        10,
        ("spiceworks", "ecodiag"),
        "Value 7: Spiceworks 2018, 58 % of organisations keep desk phones 7+ years (22 % 10+). "
        "Low 5: Spiceworks 'five years or more' threshold. High 10: Spiceworks 10+ and EcoDiag "
        "IP phone duration 10 (marked as a guess in EcoDiag).",
    )
    R.add(
        "projector",
        lt,
        5,
        5,
        10,
        ("ademe_arcep", "ecodiag"),
        "Value 5: ADEME-Arcep 2022 Tableau 48 (video projector). High 10: EcoDiag room and "
        "lecture-hall projectors (portable 7); EcoDiag marks these as rough guesses.",
    )
    R.add(
        "tv",
        lt,
        8,
        6.7,
        8.8,
        ("ademe_arcep", "boavizta_arch", "impactco2_2019"),
        "Value 8: ADEME-Arcep 2022, ADEME 2019 and Boavizta tv archetypes all give 8 years. "
        "No spread between sources: low/high use the relative spread of the monitor "
        "lifetimes (5 to 6.6 around 6: -17 %/+10 %).",
        spread="derived",
    )
    R.add(
        "ups",
        lt,
        8.5,
        7,
        10,
        ("ups_life",),
        "UPS chassis and electronics 7-10 years (value = midpoint); batteries (VRLA) need "
        "replacement every 3-5 years within that life, which this lifetime does not cover.",
    )

    # ---- power -----------------------------------------------------------------------------
    pa, pi, po = "power_active_w", "power_idle_w", "power_off_w"
    d_idle = idle_from_tec(
        tec["desktop"]["median"], es_desk, ereuse["desk_sleep"], ereuse["desk_sleep"]
    )
    n_idle = idle_from_tec(tec["laptop"]["median"], es_nb, ereuse["nb_sleep"], ereuse["nb_sleep"])
    t_idle = idle_from_tec(tec["thin client"]["median"], es_desk, 0.5, ereuse["desk_sleep"])
    t_idle_lo = idle_from_tec(tec["thin client"]["p10"], es_desk, 0.5, ereuse["desk_sleep"])
    t_idle_hi = idle_from_tec(tec["thin client"]["p90"], es_desk, 0.5, ereuse["desk_sleep"])
    mon_on = (tec["monitor"]["median"] * 1000 / 8760 - 0.65 * 0.5) / 0.35
    info.update(
        desktop_idle_from_tec=d_idle,
        laptop_idle_from_tec=n_idle,
        thin_idle_from_tec=t_idle,
        monitor_on_from_tec=mon_on,
    )

    # server: archetype powers computed with the server model after tuning (below)
    R.add(
        "desktop",
        pa,
        72.3,
        72,
        200,
        ("tcs", "ecodiag", "boavizta_arch"),
        "Mean wall power in use (tower without screen). Value 72.3 W and low 72 W: Technology "
        "Carbon Standard average and range (72-100 W), the most recent compilation. High 200 W: "
        "EcoDiag desktop power; Boavizta's desktop archetype (175 W, 100-450) sits between.",
    )
    R.add(
        "desktop",
        pi,
        round((d_idle + ereuse["desk_idle"]) / 2, 2),
        round(d_idle, 2),
        ereuse["desk_idle"],
        ("pcf", "energystar_v8", "ereuse"),
        f"On but unused (ENERGY STAR long/short idle). Two sources: eReuse2025 desktop idle 39 W, "
        f"and {d_idle:.1f} W derived from the median yearly TEC of {tec['desktop']['n']} desktop PCFs "
        f"({tec['desktop']['median']:.1f} kWh) with ENERGY STAR v8 weights (off 45 %, sleep 5 %, "
        f"idle 50 %) and off = sleep = 1.6 W (eReuse). Value = midpoint; low/high = the two sources.",
    )
    R.add(
        "desktop",
        po,
        1.6,
        0.5,
        2.0,
        ("ereuse", "eu_standby"),
        "Outside working hours (off or asleep, plugged in). Value: eReuse2025 desktop sleep 1.6 W. "
        "Low 0.5 W: EU off-mode limit (1275/2008, 2013 tier). High 2.0 W: EU networked-standby "
        "limit for non-HiNA equipment (801/2013, 2019 tier; wake-on-LAN kept).",
    )
    R.add(
        "laptop",
        pa,
        17.1,
        15,
        75,
        ("tcs", "ecodiag", "boavizta_arch"),
        "Mean wall power in use. Value 17.1 W, low 15 W: Technology Carbon Standard average and "
        "range (15-30 W). EcoDiag 25 W. High 75 W: Boavizta laptop archetype (50-100 W), which "
        "looks high for current laptops.",
    )
    R.add(
        "laptop",
        pi,
        round((n_idle + ereuse["nb_idle"]) / 2, 2),
        round(n_idle, 2),
        ereuse["nb_idle"],
        ("pcf", "energystar_v8", "ereuse"),
        f"On but unused. Two sources: eReuse2025 laptop idle 16 W, and {n_idle:.1f} W derived from "
        f"the median yearly TEC of {tec['laptop']['n']} notebook PCFs ({tec['laptop']['median']:.1f} kWh) "
        "with ENERGY STAR v8 notebook weights (off 25 %, sleep 35 %, idle 40 %) and off = sleep "
        "= 0.5 W (eReuse). Value = midpoint.",
    )
    R.add(
        "laptop",
        po,
        0.5,
        0.0,
        2.0,
        ("ereuse", "eu_standby"),
        "Outside working hours. Value: eReuse2025 laptop sleep 0.5 W (also the EU off-mode "
        "limit). Low 0: charger unplugged. High 2.0 W: EU networked-standby limit (801/2013).",
    )
    R.add(
        "thin_client",
        pa,
        10,
        2,
        round(t_idle_hi, 2),
        ("thincomputing", "pcf", "energystar_v8"),
        f"Typical thin clients draw 2-10 W (ThinComputing 2012): value = top of that range, since "
        f"the idle level derived from PCFs is already ~{t_idle:.0f} W; low 2 W. High: idle level "
        f"derived from the 90th-percentile PCF TEC ({tec['thin client']['p90']:.1f} kWh).",
    )
    R.add(
        "thin_client",
        pi,
        round(t_idle, 2),
        round(t_idle_lo, 2),
        round(t_idle_hi, 2),
        ("pcf", "energystar_v8", "ereuse", "eu_standby"),
        f"Derived from the yearly TEC of {tec['thin client']['n']} Dell Wyse thin-client PCFs "
        f"(median {tec['thin client']['median']:.1f}, p10 {tec['thin client']['p10']:.1f}, p90 "
        f"{tec['thin client']['p90']:.1f} kWh) with ENERGY STAR v8 thin-client weights (same as "
        "desktops), off 0.5 W (EU off-mode limit) and sleep 1.6 W (eReuse desktop). Low/high from "
        "the p10/p90 TEC.",
    )
    R.add(
        "thin_client",
        po,
        0.5,
        0.0,
        1.6,
        ("eu_standby", "ereuse"),
        "Value 0.5 W: EU off/standby limit (1275/2008, 2013 tier). Low 0: unplugged. High: "
        "eReuse desktop sleep 1.6 W.",
    )
    R.add(
        "tablet",
        pa,
        3.0,
        3.0,
        10.0,
        ("tcs", "boavizta_arch"),
        "Mean power in use. Value and low: Technology Carbon Standard average 3 W (range 3-5.5). "
        "High 10 W: Boavizta tablet archetype max (typical 7.5 W).",
    )
    tab_mean = tec["tablet"]["median"] * 1000 / 8760
    tab_idle = (tab_mean - 0.3 * 3.0) / 0.7
    R.add(
        "tablet",
        pi,
        round(tab_idle, 3),
        None,
        None,
        ("pcf", "boavizta_arch", "tcs"),
        f"Charger-side mean power when not in use, derived so that a tablet on 24 h with 30 % "
        f"use (Boavizta use_time_ratio) at 3 W matches the median yearly TEC of "
        f"{tec['tablet']['n']} tablet PCFs ({tec['tablet']['median']:.1f} kWh = {tab_mean:.2f} W mean): "
        "(mean - 0.3 x 3) / 0.7.",
        spread="default",
    )
    R.add(
        "tablet",
        po,
        round(tab_idle, 3),
        None,
        None,
        ("pcf", "boavizta_arch", "tcs"),
        "Tablets are counted as on 24 h a day (hours_per_day 24), so off power never applies; set "
        "equal to the idle figure.",
        spread="default",
    )
    R.add(
        "smartphone",
        pa,
        1.0,
        0.5,
        3.0,
        ("tcs", "boavizta_arch"),
        "Mean power in use. Value 1 W: Technology Carbon Standard average (0.77-2 W) and Boavizta "
        "smartphone archetype (1 W, 0.5-3). Low/high: Boavizta min/max.",
    )
    ph_mean = tec["smartphone"]["median"] * 1000 / 8760
    ph_idle = (ph_mean - 0.3 * 1.0) / 0.7
    R.add(
        "smartphone",
        pi,
        round(ph_idle, 3),
        None,
        None,
        ("pcf", "boavizta_arch", "tcs"),
        f"Charger-side mean power when not in use, derived so that a phone on 24 h with 30 % use "
        f"(Boavizta use_time_ratio) at 1 W matches the median yearly TEC of "
        f"{tec['smartphone']['n']} smartphone PCFs ({tec['smartphone']['median']:.1f} kWh = "
        f"{ph_mean:.2f} W mean): (mean - 0.3 x 1) / 0.7.",
        spread="default",
    )
    R.add(
        "smartphone",
        po,
        round(ph_idle, 3),
        None,
        None,
        ("pcf", "boavizta_arch", "tcs"),
        "Smartphones are counted as on 24 h a day, so off power never applies; set equal to the "
        "idle figure.",
        spread="default",
    )
    R.add(
        "monitor",
        pa,
        30,
        round(mon_on, 2),
        55,
        ("tcs", "ecodiag", "pcf", "boavizta_arch"),
        f"On mode with an image (about 24 in). Value 30 W: Technology Carbon Standard average "
        f"(range 17-30). EcoDiag measured 35 W (32 in). Low {mon_on:.1f} W: on-mode power implied "
        f"by the median TEC of {tec['monitor']['n']} monitor PCFs ({tec['monitor']['median']:.1f} kWh) "
        "with the ENERGY STAR display duty cycle (35 % on, 65 % sleep at 0.5 W). High 55 W: "
        "Boavizta monitor archetype.",
    )
    R.add(
        "monitor",
        pi,
        0.5,
        0.0,
        1.0,
        ("eu_standby",),
        "On but unused = sleep (display off under power management): EU standby limit 0.5 W "
        "(1275/2008, 2013 tier). Low 0. High 1.0 W: standby with status display limit.",
    )
    R.add(
        "monitor",
        po,
        0.5,
        0.0,
        0.5,
        ("eu_standby",),
        "Off mode limit 0.5 W (1275/2008, 2013 tier); low 0 when unplugged or hard-switched off.",
    )

    # printers: modes from one manufacturer sheet; load derived so that the year matches EcoDiag
    pr = {
        "active": 600.0,
        "active_max": 900.0,
        "ready": 80.0,
        "save": 7.0,
        "deep": 1.4,
        "auto_off": 0.5,
    }
    h_pr, d_pr = 9.0, 220.0

    def printer_load(tec_kwh: float) -> float:
        base = (
            d_pr * (h_pr * pr["save"] + (24 - h_pr) * pr["deep"]) + (365 - d_pr) * 24 * pr["deep"]
        )
        return max(0.0, (tec_kwh * 1000 - base) / (d_pr * h_pr * (pr["active"] - pr["save"]))) * 100

    pr_base_kwh = (
        d_pr * (h_pr * pr["save"] + (24 - h_pr) * pr["deep"]) + (365 - d_pr) * 24 * pr["deep"]
    ) / 1000
    info["printer_base_kwh"] = pr_base_kwh
    for cat, label in (
        ("printer", "desk laser printer"),
        ("mfp", "office MFP/copier (proxy: same engine modes)"),
    ):
        R.add(
            cat,
            pa,
            pr["active"],
            pr["ready"],
            pr["active_max"],
            ("printer_spec",),
            f"{label}: printing, average 600 W (max 900 W) from a 40 ppm A4 LED printer "
            "specification; low = the 80 W idle/ready figure of the same sheet."
            + (
                " No A3 MFP mode figures found: the printer sheet is used as a proxy and the MFP's "
                "larger yearly energy comes from a higher share of printing (avg_load_pct)."
                if cat == "mfp"
                else ""
            ),
        )
        R.add(
            cat,
            pi,
            pr["save"],
            pr["deep"],
            pr["ready"],
            ("printer_spec",),
            "On but unused during the day: power-save 7 W (printers drop into power save within "
            "minutes). Low 1.4 W deep sleep; high 80 W ready/idle of the same sheet.",
        )
        R.add(
            cat,
            po,
            pr["deep"],
            pr["auto_off"],
            2.0,
            ("printer_spec", "eu_standby"),
            "Outside working hours: deep sleep 1.4 W. Low 0.5 W auto-off of the same sheet; high "
            "2.0 W EU networked-standby limit (801/2013).",
        )

    # network and always-on equipment
    sw = [23, 43, 24, 16, 38, 45, 15, 27]  # 24/26-port models, idle W (SwitchPower README)
    sw_med = float(statistics.median(sw))
    for p_ in (pa, pi):
        R.add(
            "network_switch",
            p_,
            sw_med,
            min(sw),
            max(sw),
            ("switchpower", "tcs_networks"),
            f"24/26-port managed access switch without PoE load: median of 8 measured models "
            f"({', '.join(map(str, sw))} W; min/max as low/high). Network gear draws about the same "
            "power whatever the traffic (Technology Carbon Standard), so active = idle. PoE power "
            "delivered to phones and access points is counted on those devices.",
        )
    R.add(
        "network_switch",
        po,
        sw_med,
        min(sw),
        max(sw),
        ("switchpower", "tcs_networks"),
        "Always on (24 h x 365 d): off never applies; set equal to idle.",
    )
    for cat, note in (
        ("router", "Office/ISP access router or box."),
        (
            "firewall",
            "No firewall-appliance figure found: a small branch/SMB firewall "
            "appliance is taken as a router-class box (proxy).",
        ),
    ):
        keys = ("boavizta_arch", "tcs_gwf", "tcs_networks")
        for p_ in (pa, pi, po):
            R.add(
                cat,
                p_,
                10,
                5,
                20,
                keys,
                f"{note} Value 10 W: Boavizta box archetype (10 W, 5-20 W) and the router datasheet "
                "average in the Technology Carbon Standard GWF case study (10 W; 18 W PSU x 60 % = "
                "10.8 W for the other router). Low/high: Boavizta min/max. Always on and "
                "load-independent, so active = idle = off.",
            )
    ap = 70 / 8.76
    for p_ in (pa, pi, po):
        R.add(
            "wifi_ap",
            p_,
            round(ap, 2),
            3.5,
            12.95,
            ("ecodiag", "pcf", "ieee_poe"),
            f"EcoDiag Wi-Fi hub 70 kWh/yr = {ap:.2f} W continuous (value). Low 3.5 W: Google "
            "Wifi/Nest Wifi PCFs (31-56 kWh/yr = 3.5-6.4 W). High 12.95 W: IEEE 802.3af maximum at "
            "the powered device. Always on; active = idle = off.",
            year="unknown",
        )
    ipp = 40 / 8.76
    for p_ in (pa, pi, po):
        R.add(
            "ip_phone",
            p_,
            round(ipp, 3),
            None,
            None,
            ("ecodiag",),
            f"EcoDiag IP phone 40 kWh/yr = {ipp:.2f} W continuous (PoE, always on); "
            "active = idle = off.",
            spread="default",
        )
    R.add(
        "storage",
        pa,
        111.1,
        41.8,
        1690,
        ("synology", "seagate_pcf"),
        "12-bay NAS with 12 HDD in access: 111.1 W (Synology DS2413+ specification). Low 41.8 W: "
        "same unit with disks hibernating. High 1690 W: 84-bay enclosure (Seagate OneStor "
        "SP2584 PCF, 14,800 kWh/yr / 8760 h).",
    )
    R.add(
        "storage",
        pi,
        41.8,
        None,
        None,
        ("synology",),
        "Disks hibernating: 41.8 W (Synology DS2413+, 12 x 4 TB HDD).",
        spread="default",
    )
    R.add(
        "storage",
        po,
        41.8,
        None,
        None,
        ("synology",),
        "Always on (24 h x 365 d): off never applies; set equal to idle.",
        spread="default",
    )
    ups_load = 300 * 0.25
    ups_loss = {
        k: ups_load / eff - ups_load for k, eff in (("es", 0.967), ("best", 0.975), ("poor", 0.92))
    }
    for p_ in (pa, pi, po):
        R.add(
            "ups",
            p_,
            round(ups_loss["es"], 3),
            round(ups_loss["best"], 3),
            round(ups_loss["poor"], 3),
            ("femp_ups",),
            "The UPS's own consumption (conversion losses) for a 300 W UPS at 25 % load: 75 W / "
            "0.967 - 75 W (ENERGY STAR level, FEMP); low/high at 97.5 % and 92.0 % efficiency. "
            "Larger server-room UPSs lose load x (1/ups_efficiency - 1), see parameters.csv; the "
            "IT load itself is counted on the protected devices. Always on; active = idle = off.",
        )
    for p_, v, lo, hi, note in (
        (
            pa,
            310,
            260,
            700,
            "In use (lamp on). Value 310 W: EcoDiag meeting/"
            "class-room projector; low 260 W portable; high 700 W lecture hall.",
        ),
        (
            pi,
            310,
            260,
            700,
            "Switched on without content the lamp stays on: "
            "idle taken equal to active (EcoDiag counts P x hours only).",
        ),
    ):
        R.add("projector", p_, v, lo, hi, ("ecodiag",), note)
    R.add(
        "projector",
        po,
        0.5,
        0.0,
        2.0,
        ("eu_standby",),
        "Standby 0.5 W (1275/2008, 2013 tier). Low 0 unplugged; high 2.0 W networked standby (801/2013).",
    )
    R.add(
        "tv",
        pa,
        74,
        40,
        300,
        ("tcs", "boavizta_arch"),
        "TV / large display / signage on. Value 74 W and low 40 W: Technology Carbon Standard "
        "average and range (40-120 W). High 300 W: Boavizta tv archetype typical value (17-1200 W), "
        "which looks high for current panels.",
    )
    R.add(
        "tv",
        pi,
        2.0,
        0.5,
        2.0,
        ("eu_standby",),
        "Display on but showing nothing is rare; idle = networked standby, EU limit 2.0 W for "
        "non-HiNA equipment (801/2013); low 0.5 W plain standby (1275/2008).",
    )
    R.add(
        "tv",
        po,
        0.5,
        0.0,
        2.0,
        ("eu_standby",),
        "Standby/off 0.5 W (1275/2008, 2013 tier). Low 0 unplugged; high 2.0 W networked standby.",
    )

    # ---- hours per day, days per year, load -------------------------------------------------
    hd, dy, ld = "hours_per_day", "days_per_year", "avg_load_pct"
    office_days = (
        220,
        200,
        250,
        ("ecodiag", "tcs"),
        "Working days: EcoDiag ('0.025 kW x 9 h x 220 j', '0.035 kW x 9 h x 220 j') and "
        "Technology Carbon Standard (8 h x 220 days). Low 200 / high 250: EcoDiag "
        "projector day counts.",
    )
    always = (
        365,
        365,
        365,
        ("ecodiag", "boavizta_arch"),
        "Always on: EcoDiag 'usage 365 = always ON' (IP phone, Wi-Fi hub); Boavizta "
        "use_time_ratio 1 for boxes and servers. Calendar days, no spread.",
    )
    for cat in ("desktop", "thin_client"):
        R.add(
            cat,
            hd,
            8,
            8,
            24,
            ("tcs", "ecodiag"),
            "Value 8 h: Technology Carbon Standard business use (8 h a day). High 24 h: EcoDiag's "
            "desktop default 'usage 365' (PC never switched off)."
            + (
                " Thin clients: no specific source, desktop figures used."
                if cat == "thin_client"
                else ""
            ),
        )
    for cat in ("laptop", "monitor"):
        R.add(
            cat,
            hd,
            9,
            8,
            9,
            ("ecodiag", "tcs"),
            "Value 9 h: EcoDiag ('x 9 h x 220 j' for laptops and screens). Low 8 h: Technology "
            "Carbon Standard.",
        )
    for cat in ("printer", "mfp"):
        R.add(
            cat,
            hd,
            h_pr,
            8,
            9,
            ("ecodiag", "tcs"),
            "On (ready or power save) over the working day: EcoDiag 9 h; low 8 h Technology Carbon "
            "Standard.",
        )
    R.add(
        "projector",
        hd,
        3,
        2,
        3,
        ("ecodiag",),
        "EcoDiag: 'usage 3 h per working day'; its yearly figures use 2 h (low).",
    )
    R.add(
        "tv",
        hd,
        7.2,
        3,
        9,
        ("boavizta_arch", "ecodiag"),
        "Value 7.2 h: Boavizta tv use_time_ratio 0.3 x 24 h. Low 3 h: EcoDiag TV draft (usage 3). "
        "High 9 h: EcoDiag working day.",
    )
    for cat in (
        "server",
        "network_switch",
        "router",
        "wifi_ap",
        "firewall",
        "storage",
        "ip_phone",
        "ups",
        "tablet",
        "smartphone",
    ):
        R.add(
            cat,
            hd,
            24,
            24,
            24,
            ("ecodiag", "boavizta_arch"),
            "Always on (24 h): EcoDiag 'usage 365 = always ON'; Boavizta use_time_ratio 1."
            + (
                " Tablets/phones: counted on 24 h with avg_load_pct = share of time in use "
                "(Boavizta use_time_ratio 0.3)."
                if cat in ("tablet", "smartphone")
                else ""
            ),
        )
    for cat in ("desktop", "thin_client", "laptop", "monitor", "printer", "mfp", "tv"):
        R.add(
            cat, dy, office_days[0], office_days[1], office_days[2], office_days[3], office_days[4]
        )
    R.add(
        "projector",
        dy,
        200,
        200,
        250,
        ("ecodiag",),
        "EcoDiag projector yearly figures: 200 days (portable, lecture hall), 250 (room).",
    )
    for cat in (
        "server",
        "network_switch",
        "router",
        "wifi_ap",
        "firewall",
        "storage",
        "ip_phone",
        "ups",
        "tablet",
        "smartphone",
    ):
        R.add(cat, dy, always[0], always[1], always[2], always[3], always[4])

    R.add(
        "server",
        ld,
        15,
        5,
        18,
        ("nrdc_2014",),
        "Mean CPU utilisation of on-premise servers: NRDC 2014, 12-18 % on average (value = "
        "midpoint 15); low 5 %: US EPA 2007 (typical servers use 5-15 % of their capability).",
    )
    R.add(
        "desktop",
        ld,
        70,
        63.6,
        75,
        ("energystar_v8",),
        "Share of on-time in active use (rest at idle power): ENERGY STAR v8 desktop weights, "
        "short idle 35 % / (short 35 % + long idle 15 %) = 70 %. Low: workstation weights "
        "35/(35+20) = 63.6 %; high: notebook weights 30/(30+10) = 75 %.",
    )
    R.add(
        "thin_client",
        ld,
        70,
        63.6,
        75,
        ("energystar_v8",),
        "ENERGY STAR v8 uses the desktop weights for thin clients: 35/(35+15) = 70 %; bounds as "
        "for desktops.",
    )
    R.add(
        "laptop",
        ld,
        75,
        70,
        75,
        ("energystar_v8",),
        "ENERGY STAR v8 notebook weights: short idle 30 % / (30 % + long idle 10 %) = 75 %; low "
        "70 % desktop weights.",
    )
    R.add(
        "monitor",
        ld,
        70,
        63.6,
        75,
        ("energystar_v8",),
        "The display follows its computer's power management (image on during use, asleep "
        "during long idle): desktop ENERGY STAR v8 share 70 %, bounds as for desktops.",
    )
    for cat in ("tablet", "smartphone"):
        R.add(
            cat,
            ld,
            30,
            30,
            30,
            ("boavizta_arch",),
            "Share of the day in use: Boavizta use_time_ratio 0.3 for terminals; no spread given.",
        )
    pl = printer_load(71.0)
    pl_mfp = printer_load(150.0)
    pl_mfp_hi = printer_load(260.0)
    info.update(printer_load=pl, mfp_load=pl_mfp)
    R.add(
        "printer",
        ld,
        round(pl, 2),
        0.0,
        round(pl, 2),
        ("ecodiag", "pcf", "printer_spec"),
        f"Share of on-time printing, derived so that the modes above give EcoDiag's desk-laser "
        f"71 kWh/yr over 220 days x 9 h: the non-printing baseline (power save by day, deep sleep "
        f"otherwise) already uses {pr_base_kwh:.1f} kWh/yr. Low 0: Lexmark desk-laser PCFs (median "
        f"~19 kWh/yr) are at or below that baseline.",
    )
    R.add(
        "mfp",
        ld,
        round(pl_mfp, 2),
        0.0,
        round(pl_mfp_hi, 2),
        ("ecodiag", "pcf", "printer_spec"),
        "Derived like the printer share so that the year matches EcoDiag's A3 laser/MFP "
        "(40-99 kg) 150 kWh/yr; high matches the Lexmark CX924dxe PCF (260 kWh/yr). Low 0.",
    )
    for cat in ("network_switch", "router", "wifi_ap", "firewall", "ip_phone", "ups"):
        R.add(
            cat,
            ld,
            100,
            100,
            100,
            ("tcs_networks",),
            "Power taken as load-independent (active = idle); the share only selects active power.",
        )
    R.add(
        "storage",
        ld,
        100,
        0,
        100,
        ("synology",),
        "Disks spinning (access power) all the time by default; 0 = always hibernating.",
    )
    R.add(
        "projector",
        ld,
        100,
        100,
        100,
        ("ecodiag",),
        "Idle = active for a projector switched on; the share has no effect.",
    )
    R.add(
        "tv",
        ld,
        100,
        100,
        100,
        ("tcs",),
        "A display that is on shows content: active power whenever on.",
    )

    # ---- spec defaults ----------------------------------------------------------------------
    wt = {
        s: pcf_stats(pcf, s, "weight")
        for s in ("server", "desktop", "laptop", "monitor", "tablet", "smartphone", "thin client")
    }
    for cat, sub in (
        ("server", "server"),
        ("desktop", "desktop"),
        ("laptop", "laptop"),
        ("monitor", "monitor"),
        ("tablet", "tablet"),
        ("smartphone", "smartphone"),
        ("thin_client", "thin client"),
    ):
        s = wt[sub]
        R.add(
            cat,
            "weight_kg",
            round(s["median"], 3),
            round(s["p10"], 3),
            round(s["p90"], 3),
            ("pcf",),
            f"Median product weight of {s['n']} manufacturer PCFs in pcf-train.csv "
            f"(subcategory {sub}); low/high = 10th/90th percentiles.",
            year=s["year"],
        )
    ss = {
        s: pcf_stats(pcf, s, "screen_size") for s in ("laptop", "monitor", "tablet", "smartphone")
    }
    arcep_screen = {"laptop": 14.6, "monitor": 24.0, "tablet": 10.53, "smartphone": 6.63}
    for cat in ("laptop", "monitor", "tablet", "smartphone"):
        s = ss[cat]
        R.add(
            cat,
            "screen_size_in",
            round(s["median"], 2),
            round(min(s["p10"], arcep_screen[cat]), 2),
            round(max(s["p90"], arcep_screen[cat]), 2),
            ("pcf", "ademe_arcep_cfg"),
            f"Median screen diagonal of {s['n']} PCFs (pcf-train.csv); ADEME-Arcep 2022 average "
            f"configuration {arcep_screen[cat]} in. Low/high: PCF 10th/90th percentiles, widened "
            "to include the ADEME-Arcep figure.",
            year=s["year"],
        )
    tv_in = 0.82 * 45 + 0.01 * 53 + 0.17 * 68
    R.add(
        "tv",
        "screen_size_in",
        round(tv_in, 1),
        45,
        68,
        ("ademe_arcep_cfg",),
        "ADEME-Arcep 2022 TV mix (82 % LCD 45 in, 1 % OLED 53 in, 17 % OLED 68 in): weighted mean; "
        "low/high = smallest/largest configuration.",
    )
    R.add(
        "desktop",
        "ram_gb",
        8,
        8,
        10,
        ("ademe_arcep_cfg",),
        "ADEME-Arcep 2022 professional desktop configuration: 8 GB RAM; high 10 GB (personal "
        "desktop mix).",
    )
    R.add(
        "laptop",
        "ram_gb",
        11,
        None,
        None,
        ("ademe_arcep_cfg",),
        "ADEME-Arcep 2022 laptop configuration mix: 11 GB RAM.",
        spread="default",
    )

    # server configuration from SPECpower TRAIN (2-socket, hardware available 2015+) and Boavizta
    c2 = curves[(curves["CPUChips"] == 2) & (curves["Hardware_Availability_Year"] >= 2015)]
    q = lambda col, p: float(c2[col].dropna().quantile(p))  # noqa: E731
    sp_year = int(c2["Hardware_Availability_Year"].median())
    info["server_cfg_n"] = len(c2)
    R.add(
        "server",
        "cpu_count",
        2,
        1,
        2,
        ("boavizta_arch", "pcf"),
        "Boavizta default server archetype (platform_compute_medium): 2 CPUs; median number_cpu of "
        "server PCFs is 2; low 1 (single-socket PCF configurations).",
    )
    R.add(
        "server",
        "cpu_tdp_w",
        q("TDP", 0.5),
        q("TDP", 0.1),
        q("TDP", 0.9),
        ("specpower",),
        f"TDP per CPU of {len(c2)} 2-socket SPECpower TRAIN systems available from 2015 "
        "(specpower-curves-train.csv): median, low/high = 10th/90th percentiles.",
        year=sp_year,
    )
    R.add(
        "server",
        "ram_gb",
        q("HW_MemAmountGB", 0.5),
        16,
        256,
        ("specpower", "boavizta_arch", "pcf"),
        f"Median memory of the same {len(c2)} SPECpower systems. Low 16 GB: median memory of the "
        "server PCF configurations; high 256 GB: Boavizta default archetype (8 x 32 GB).",
        year=sp_year,
    )
    R.add(
        "server",
        "ssd_count",
        1,
        0,
        2,
        ("boavizta_arch", "pcf"),
        "Boavizta default archetype platform_compute_medium: 1 SSD (1-2); 469 of the 491 SPECpower TRAIN "
        "systems also have a single drive. Low 0: many server PCF configurations have HDDs only.",
    )
    R.add(
        "server",
        "ssd_gb",
        1000,
        480,
        1000,
        ("boavizta_arch", "pcf"),
        "Boavizta default archetype: 1000 GB SSD; low 480 GB (SSD size in several server PCFs).",
    )
    R.add(
        "server",
        "hdd_count",
        0,
        0,
        2,
        ("boavizta_arch", "pcf"),
        "Default drive configuration of a server whose inventory gives none: the Boavizta default "
        "archetype platform_compute_medium has 1 SSD and no HDD (a typical current rack server "
        "boots and runs from one SSD); high 2: most Dell server PCF configurations list 2 HDD.",
    )
    R.add(
        "server",
        "hdd_gb",
        1000,
        300,
        2000,
        ("pcf",),
        "Dell server PCF configurations: HDD sizes 300 GB to 2 TB, typically 1 TB.",
    )
    R.add(
        "server",
        "psu_count",
        2,
        1,
        2,
        ("boavizta_arch", "specpower"),
        "Boavizta default archetype: 2 PSUs (1-5). Low 1: SPECpower test configurations.",
    )
    R.add(
        "server",
        "psu_rating_w",
        q("PSURating", 0.5),
        q("PSURating", 0.1),
        q("PSURating", 0.9),
        ("specpower",),
        f"PSU rating of the same {len(c2)} SPECpower systems: median, 10th/90th percentiles.",
        year=sp_year,
    )

    # ---- storage (NAS / small array) configuration --------------------------------------------
    # Drive bays of the NAS / array models found: DS2413+ 12 (12 x 4 TB), DS1515+ 5 (5 x 4 TB),
    # DS1815+ 8, RS819 4, HPE MSA 2040/2060 LFF enclosure 12, Dell ME4 2U12 12.
    bays = {
        "Synology DS2413+": 12,
        "Synology DS1515+": 5,
        "Synology DS1815+": 8,
        "Synology RS819": 4,
        "HPE MSA 2040/2060 LFF": 12,
        "Dell ME4 2U12": 12,
    }
    bay_list = "; ".join(f"{k} {v}" for k, v in bays.items())
    R.add(
        "storage",
        "hdd_count",
        float(statistics.median(bays.values())),
        min(bays.values()),
        max(bays.values()),
        ("synology_cfg", "bigbruin_ds1515", "tpu_ds1815", "tftn_rs819", "hp_msa1040", "dell_me4"),
        f"3.5-inch drive bays of the NAS / small arrays found ({bay_list}): median "
        f"{statistics.median(bays.values()):g}, low/high = min/max. Bay counts are capacities: the "
        "DS2413+ and DS1515+ configurations were fully populated; arrays are often partly populated. "
        "The storage power rows (DS2413+ with 12 HDD) sit at the high end.",
        year=2013,
    )
    R.add(
        "storage",
        "hdd_gb",
        4000,
        500,
        16000,
        ("synology_cfg", "bigbruin_ds1515", "tpu_rs816", "tftn_rs819"),
        "Drive size in the NAS configurations found: 4 TB in the DS2413+ (12 x 4 TB) and DS1515+ "
        "(5 x 4 TB) configurations; low 500 GB (RS816 test configuration); high 16 TB (largest drive "
        "quoted for the RS819). Not an embodied driver (the per-drive factor is capacity-free); kept "
        "for display and for inventories that give a total capacity.",
        year=2013,
    )
    R.add(
        "storage",
        "ssd_count",
        0,
        0,
        2,
        ("synology_cfg", "bigbruin_ds1515", "tpu_rs816", "fireblsblog_hd6500"),
        "None of the NAS configurations found (DS2413+, DS1515+, RS816) lists an SSD: value 0. "
        "High 2: two system SSDs in the Synology HD6500 (also a common M.2 cache pair).",
    )
    R.add(
        "storage",
        "ssd_gb",
        480,
        None,
        None,
        ("fireblsblog_hd6500",),
        "Synology SAT5210 480 GB system SSD (HD6500); only used when ssd_count > 0 (its default is "
        "0, so the value adds nothing by default; the high bound uses 2 SSDs of the high size).",
        spread="default",
    )
    psus = {
        "Synology DS2413+": 1,
        "Synology RS819": 1,
        "Synology DS1821+": 1,
        "Synology RS1221+": 1,
        "Synology RS2421RP+": 2,
        "HPE MSA 1060/2060": 2,
    }
    psu_list = "; ".join(f"{k} {v}" for k, v in psus.items())
    R.add(
        "storage",
        "psu_count",
        float(statistics.median(psus.values())),
        min(psus.values()),
        max(psus.values()),
        ("synology_cfg", "tftn_rs819", "netbox_dtl", "hpe_msa2060"),
        f"Power supplies of the NAS / arrays found ({psu_list}; DS1821+, RS1221+ and RS2421RP+ from "
        "the power ports of their NetBox device types, DS1821+.yaml, RS1221plus.yaml, "
        "RS2421RP+.yaml): median, low/high = min/max. NAS supplies are small (100-400 W), lighter than "
        "the server PSU behind the per-PSU embodied factor.",
        year=2013,
    )

    # ---- UPS weight (drives the per-kg embodied factor) ---------------------------------------
    ups_kg = {
        "APC Back-UPS Pro BX1500M": 11.0,
        "Tripp Lite SMART1500LCD": 13.6,
        "Eaton 9PX1000IRT2U": 19.5,
        "APC SRT3000RMXLI": 20.0,
        "Eaton 5PX1500iRT": 27.6,
        "Eaton 9PX3000iRT3U": 28.0,
        "Eaton 5PX2200IRT": 28.5,
        "Eaton 5PX3000IRT2U": 38.08,
    }
    ups_small = 6.8  # APC Back-UPS Pro BX850M, the desk/closet class of the UPS power rows
    ups_list = "; ".join(f"{k} {v:g}" for k, v in ups_kg.items())
    info["ups_weights"] = ups_kg
    R.add(
        "ups",
        "weight_kg",
        round(float(statistics.median(ups_kg.values())), 2),
        ups_small,
        max(ups_kg.values()),
        ("netbox_dtl", "apc_bx"),
        f"Weight (with internal batteries) of 1-3 kVA UPSs of the kind found in municipal closets and "
        f"server rooms ({ups_list} kg): median. Weights from the APC BX manual and from the NetBox "
        "device types Eaton/5PX1500IRT, 5PX2200IRT, 5PX3000IRT2U, 9PX1000IRT2U, 9PX3000iRT3U, "
        "APC/SRT3000RMXLI, Eaton/Tripp-Lite-SMART1500LCD (transcribed from the maker pages they "
        "link). No APC Smart-UPS SMT/SMX weight was found. High = heaviest unit; low = 6.8 kg, an APC "
        "BX850M (850 VA) desk UPS: the UPS power rows of this table model a 300 W desk/closet UPS "
        "(losses at 25 % load), much smaller than the 1-3 kVA units behind this weight, so the band "
        "is kept wide enough to cover both; give the weight per UPS in the inventory when known.",
    )

    # ---- network gear weights (display only: their embodied rows are per device) -------------
    ap_kg = {"Ubiquiti U6+": 0.338, "Ubiquiti U6-LR": 0.8, "Ubiquiti U6-Enterprise": round(2.1 * 0.45359237, 3)}
    R.add(
        "wifi_ap",
        "weight_kg",
        float(statistics.median(ap_kg.values())),
        min(ap_kg.values()),
        max(ap_kg.values()),
        ("netbox_dtl",),
        "Ceiling/wall Wi-Fi 6 access points ("
        + "; ".join(f"{k} {v:g}" for k, v in ap_kg.items())
        + " kg; U6-Enterprise given as 2.1 lb) from the NetBox device types Ubiquiti/U6+.yaml, "
        "U6-LR.yaml, U6-Enterprise.yaml (Ubiquiti store pages): median, min/max. One maker only. "
        "Not an embodied driver (the Wi-Fi embodied row is per device).",
    )
    sw_kg = {"Ubiquiti EdgeSwitch 24 250W": 4.7, "Ubiquiti EdgeSwitch 48 500W": 6.1}
    R.add(
        "network_switch",
        "weight_kg",
        float(statistics.median(sw_kg.values())),
        min(sw_kg.values()),
        max(sw_kg.values()),
        ("netbox_dtl",),
        "1U PoE access switches ("
        + "; ".join(f"{k} {v:g}" for k, v in sw_kg.items())
        + " kg) from the NetBox device types Ubiquiti/ES-24-250W.yaml and ES-48-500W.yaml "
        "(EdgeSwitch datasheet): mean of the two, min/max. Two models of one maker; fanless "
        "8-16-port desk switches are far lighter. Not an embodied driver (per-device row).",
    )
    R.add(
        "firewall",
        "weight_kg",
        4.5,
        None,
        None,
        ("netbox_dtl",),
        "FortiGate 200F, 1U rack firewall: 4.5 kg (NetBox device type Fortinet/FG-200F.yaml, from "
        "the FortiGate 200F series datasheet). Desktop units (FortiGate 40F-100F class) are "
        "lighter. Not an embodied driver (per-device row).",
        spread="default",
    )

    # ---- server power model: shape from Teads/Boavizta, endpoints tuned on TRAIN -----------
    a0, c0, e0 = fit_log_curve(TEADS_LOAD, TEADS_RATIO)
    b0 = math.exp(e0 / a0)
    teads = {"a": a0, "b": b0, "c": c0, "d": 0.0}
    pub = dict(teads, ram=0.149, ssd=8.0, hdd=6.4, base=0.0, eta=0.90)
    sel = idlemax[(idlemax["Chips"] <= 2) & idlemax["tdp"].notna()].copy()
    recent = sel[sel["year"] >= 2015]
    fi, fm = tune_endpoints(recent, pub)
    a1, b1, c1, d1 = curve_abcd(fi, fm, c0)
    tuned = dict(pub, a=a1, b=b1, c=c1, d=d1)
    fi_alt, fm_alt = tune_endpoints(recent, dict(pub, base=10.0))
    info["server"] = {
        "teads_fit": (a0, b0, c0),
        "idle_fraction": fi,
        "max_fraction": fm,
        "alt_base10": (fi_alt, fm_alt),
        "n_all": len(sel),
        "n_recent": len(recent),
        "n_idlemax": len(idlemax),
        "n_tdp": int(idlemax["tdp"].notna().sum()),
        "errors": {
            "published": {
                "all": errors(sel, pub),
                "2015+": errors(recent, pub),
                "pre-2015": errors(sel[sel["year"] < 2015], pub),
            },
            "tuned": {
                "all": errors(sel, tuned),
                "2015+": errors(recent, tuned),
                "pre-2015": errors(sel[sel["year"] < 2015], tuned),
            },
            "tuned_base10": {
                "2015+": errors(
                    recent,
                    dict(
                        tuned,
                        base=10.0,
                        **dict(zip("abcd", curve_abcd(fi_alt, fm_alt, c0), strict=True)),
                    ),
                )
            },
        },
    }
    # archetype server powers from the model with the archetype configuration
    arch = {r["parameter"]: r for r in R.rows if r["category"] == "server"}

    def arch_power(load: float, which: str) -> float:
        g = lambda k: arch[k][which]  # noqa: E731
        return float(
            server_power(
                load,
                g("cpu_tdp_w"),
                g("cpu_count"),
                g("ram_gb"),
                g("ssd_count"),
                g("hdd_count"),
                tuned,
            )
        )

    p_idle = {w: arch_power(0.0, w) for w in ("value", "low", "high")}
    p_full = {w: arch_power(100.0, w) for w in ("value", "low", "high")}
    info["server_arch_power"] = {"idle": p_idle, "full": p_full, "at_15": arch_power(15.0, "value")}
    cfg = (
        "server wall-power model of parameters.csv (lightly tuned, see archetypes.md) applied to "
        "the server archetype configuration (value) and to its low/high configurations"
    )
    R.add(
        "server",
        pa,
        p_full["value"],
        p_full["low"],
        p_full["high"],
        ("specpower", "teads_boavizta"),
        f"Wall power at 100 % CPU load from the {cfg}. The footprint engine computes servers "
        "with the model itself; this row is for display and fallbacks.",
        year=sp_year,
    )
    R.add(
        "server",
        pi,
        p_idle["value"],
        p_idle["low"],
        p_idle["high"],
        ("specpower", "teads_boavizta"),
        f"Wall power at 0 % load (active idle) from the {cfg}.",
        year=sp_year,
    )
    R.add(
        "server",
        po,
        p_idle["value"],
        p_idle["low"],
        p_idle["high"],
        ("specpower", "teads_boavizta"),
        "Servers are on 24 h x 365 d, so off power never applies; set equal to idle.",
        year=sp_year,
    )

    rel = fill_default_spread(R.rows)
    info["default_rel_spread"] = rel

    # ---- parameters.csv ---------------------------------------------------------------------
    P: list[dict] = []

    def padd(
        name: str,
        value: float,
        low: float,
        high: float,
        unit: str,
        keys: tuple[str, ...],
        notes: str,
        year: int | None = None,
    ) -> None:
        source, url, lic, src_year = cite(*keys)
        P.append(
            {
                "id": "param-" + name.replace("_", "-"),
                "parameter": name,
                "value": value,
                "low": low,
                "high": high,
                "unit": unit,
                "source": source,
                "source_url": url,
                "licence": lic,
                "year": year if year is not None else src_year,
                "notes": notes,
            }
        )

    padd(
        "pue_onsite_default",
        1.8,
        1.5,
        2.1,
        "dimensionless",
        ("lbnl_ssr", "numecoeval", "uptime_2023"),
        "Small on-site server room or closet. Value 1.8 = midpoint of the PUE range measured by LBNL "
        "in small server rooms (1.5-2.1), which are also the low/high. Cross-checks: NumEcoEval/G4IT "
        "default PUE 1.75; Uptime Institute 2023 industry average 1.58 for (mostly larger) data "
        "centres, below the small-room range.",
    )
    padd(
        "ups_efficiency",
        0.967,
        0.92,
        0.975,
        "dimensionless",
        ("femp_ups",),
        "UPS average efficiency at 25 % load: ENERGY STAR required level for a 300 W VFD UPS "
        "(96.7 %); low 92.0 % (less efficient product), high 97.5 % (best available). Losses = "
        "load x (1/efficiency - 1).",
    )
    padd(
        "server_cpu_idle_fraction",
        fi,
        min(fi, fi_alt),
        0.12,
        "dimensionless",
        ("teads_boavizta", "specpower"),
        f"CPU power at 0 % load as a share of TDP. Published: 0.12 (Teads via Boavizta, upper bound). "
        f"Value {fi}: lightly tuned on {len(recent)} SPECpower TRAIN systems (<= 2 sockets, published "
        f"2015+, TDP found by CPU name) by minimising mean |ln(model/measured)| at active idle with "
        f"the other parameters fixed; low {min(fi, fi_alt)}: same fit with server_base_w = 10 W.",
        year=int(recent["year"].median()),
    )
    padd(
        "server_cpu_max_fraction",
        fm,
        min(fm, fm_alt),
        1.02,
        "dimensionless",
        ("teads_boavizta", "specpower"),
        f"CPU power at 100 % load as a share of TDP. Published: 1.02 (Teads via Boavizta, upper "
        f"bound). Value {fm}: tuned like the idle fraction at 100 % load; low {min(fm, fm_alt)} "
        "with server_base_w = 10 W.",
        year=int(recent["year"].median()),
    )
    shape = (
        f"Curve P_cpu/TDP = a*ln(b*(load+c)) + d, load in percent (0-100). Shape (c, and the "
        f"log form) from a least-squares fit to the Teads points 0/10/50/100 % -> "
        f"0.12/0.32/0.75/1.02 x TDP (a={a0:.4f}, b={b0:.5f}, c={c0:.3f}, d=0 reproduce them); "
        f"a and b rescaled so the curve runs from server_cpu_idle_fraction ({fi}) at 0 % to "
        f"server_cpu_max_fraction ({fm}) at 100 %, with d absorbed into b (d=0). Shape constants: "
        "their uncertainty is carried by the idle/max fractions, so low = high = value."
    )
    padd(
        "server_cpu_curve_a",
        a1,
        a1,
        a1,
        "dimensionless",
        ("teads_boavizta", "specpower"),
        "Multiplier of the log [share of TDP]. " + shape,
    )
    padd(
        "server_cpu_curve_b",
        b1,
        b1,
        b1,
        "dimensionless",
        ("teads_boavizta", "specpower"),
        "Scale inside the log [per percentage point of load; written dimensionless because the "
        "load enters as a plain number of percent]. " + shape,
    )
    padd(
        "server_cpu_curve_c",
        c1,
        c1,
        c1,
        "dimensionless",
        ("teads_boavizta",),
        "Offset added to the load [percentage points; written dimensionless because the load "
        "enters as a plain number of percent]. " + shape,
    )
    padd(
        "server_cpu_curve_d",
        0.0,
        0.0,
        0.0,
        "dimensionless",
        ("teads_boavizta",),
        "Additive constant [share of TDP], zero because it is absorbed into b. " + shape,
    )
    padd(
        "server_ram_w_per_gb",
        0.149,
        0.149,
        0.392,
        "W/GB",
        ("boavizta_components", "boavizta_ram_doc", "ccf"),
        "Memory power, constant with load. Value 0.149 W/GB: Boavizta per-DIMM formula (3.0 + "
        "0.055 x GB) W for 32 GB DIMMs; other published figures 0.284 (Boavizta documentation) and "
        "0.392 W/GB (CCF; high). Kept at the low published value because larger figures over-predict "
        "the many large-memory SPECpower TRAIN systems (see archetypes.md).",
    )
    padd(
        "server_ssd_w",
        8.0,
        2.0,
        20.0,
        "W",
        ("boavizta_components", "ccf"),
        "Per SSD: Boavizta 8 W (2-20 W); CCF 6 W per disk lies inside the band.",
    )
    padd(
        "server_hdd_w",
        6.4,
        5.4,
        9.4,
        "W",
        ("boavizta_components", "ccf"),
        "Per HDD: Boavizta 6.4 W (5.4-9.4 W); CCF 6.5 W per disk.",
    )
    padd(
        "server_base_w",
        0.0,
        0.0,
        20.0,
        "W",
        ("specpower", "boavizta_components"),
        "Mainboard, fans, BMC, NICs. No published per-component figure found. The light tuning on "
        "SPECpower TRAIN (2015+) prefers 0 W: these fixed loads are absorbed by the CPU and RAM "
        "terms for benchmark-minimal configurations. High 20 W: with the published Teads fractions "
        "a 15-20 W base removes the median bias over all TRAIN years; Boavizta's 'other components' "
        "ratio (0.33, 0.2-0.6 of CPU+RAM) gives a similar order for the archetype at idle.",
        year=int(recent["year"].median()),
    )
    padd(
        "server_psu_efficiency",
        0.90,
        0.82,
        0.92,
        "dimensionless",
        ("psu_80plus",),
        "Power-supply efficiency at typical load: 90 % at 50 % load (80 PLUS Gold level, 115 V). "
        "Low 82 % (ENERGY STAR v8 level at 20 %/100 % load for <= 500 W); high 92 % (230 V level at "
        "50 % load). Redundant server PSUs run lightly loaded, nearer the low end.",
    )
    return R.rows, P, info


# --------------------------------------------------------------------------------------------
# Output and checks
# --------------------------------------------------------------------------------------------


def finalise_arch(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        rid = f"arch-{r['category']}-{r['parameter']}".replace("_", "-")
        out.append({"id": rid, **{k: r[k] for k in ARCH_COLUMNS if k != "id"}})
    order = {c: i for i, c in enumerate(CATEGORIES)}
    pord = {p: i for i, p in enumerate((*USAGE_PARAMS, *UNITS))}
    out.sort(key=lambda r: (order[r["category"]], pord.get(r["parameter"], 99)))
    return out


def check(arch: list[dict], params: list[dict]) -> None:
    import pint

    ureg = pint.UnitRegistry()
    problems = []
    for name, rows in (("archetypes", arch), ("parameters", params)):
        ids = [r["id"] for r in rows]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            problems.append(f"{name}: duplicate ids {sorted(dup)}")
        for r in rows:
            lo, v, hi = float(r["low"]), float(r["value"]), float(r["high"])
            if not (0 <= lo <= v <= hi) or not all(map(math.isfinite, (lo, v, hi))):
                problems.append(f"{name}: {r['id']} bad bounds {lo} {v} {hi}")
            if not r["source"] or not r["notes"]:
                problems.append(f"{name}: {r['id']} without source or notes")
            try:
                ureg(r["unit"])
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{name}: {r['id']} unit {r['unit']!r}: {exc}")
            if r["year"] in (None, "") and "unknown" not in r["notes"]:
                r["notes"] += " Reference year unknown (undated source)."
    have = {(r["category"], r["parameter"]) for r in arch}
    for c in CATEGORIES:
        for p in USAGE_PARAMS:
            if (c, p) not in have:
                problems.append(f"archetypes: {c} lacks {p}")
    if problems:
        raise SystemExit("checks failed:\n  " + "\n  ".join(problems))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(
                {
                    k: (
                        _fmt(r[k])
                        if k in ("value", "low", "high")
                        else ("" if r[k] is None else r[k])
                    )
                    for k in columns
                }
            )


def sanity_markdown(info: dict) -> str:
    s = info["server"]
    e = s["errors"]
    lines = [
        f"SPECpower TRAIN idle/max file: {s['n_idlemax']} results, {s['n_tdp']} with a TDP found by CPU "
        f"name in specpower-curves-train.csv; kept {s['n_all']} systems with at most 2 sockets "
        f"({s['n_recent']} published 2015 or later). One SSD assumed per system (disks are not listed "
        "in this file). Errors = model vs measured wall power.",
        "",
        "| parameter set | systems | MAPE idle | MAPE 100 % | median bias idle | median bias 100 % |",
        "|---|---|---|---|---|---|",
    ]
    labels = {
        "published": "published figures (Teads 0.12/1.02, RAM 0.149 W/GB, base 0)",
        "tuned": f"tuned endpoints ({s['idle_fraction']}/{s['max_fraction']}), used",
    }
    for key in ("published", "tuned"):
        for sub in ("all", "2015+", "pre-2015"):
            x = e[key][sub]
            lines.append(
                f"| {labels[key]} | {sub} (n={x['n']}) | {x['mape_idle']:.1f} % | "
                f"{x['mape_full']:.1f} % | {x['bias_idle']:+.1f} % | {x['bias_full']:+.1f} % |"
            )
    x = e["tuned_base10"]["2015+"]
    lines.append(
        f"| alternative: base 10 W, endpoints {s['alt_base10'][0]}/{s['alt_base10'][1]} | "
        f"2015+ (n={x['n']}) | {x['mape_idle']:.1f} % | {x['mape_full']:.1f} % | "
        f"{x['bias_idle']:+.1f} % | {x['bias_full']:+.1f} % |"
    )
    ap = info["server_arch_power"]
    lines += [
        "",
        f"Server archetype with the used parameters: idle {ap['idle']['value']:.0f} W "
        f"({ap['idle']['low']:.0f}-{ap['idle']['high']:.0f}), 15 % load {ap['at_15']:.0f} W, "
        f"100 % load {ap['full']['value']:.0f} W ({ap['full']['low']:.0f}-{ap['full']['high']:.0f}).",
    ]
    return "\n".join(lines)


def update_md(md_path: Path, block: str) -> None:
    if not md_path.exists():
        return
    text = md_path.read_text(encoding="utf-8")
    start, end = "<!-- sanity:start -->", "<!-- sanity:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        md_path.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument("--no-md", action="store_true", help="do not update archetypes.md")
    args = ap.parse_args(argv)
    rows, params, info = build(args.data_dir)
    arch = finalise_arch(rows)
    check(arch, params)
    write_csv(args.out_dir / "archetypes.csv", arch, ARCH_COLUMNS)
    write_csv(args.out_dir / "parameters.csv", params, PARAM_COLUMNS)
    block = sanity_markdown(info)
    if not args.no_md:
        update_md(args.out_dir / "archetypes.md", block)
    print(f"archetypes.csv: {len(arch)} rows; parameters.csv: {len(params)} rows")
    print(f"default relative spread for single-source rows: {info['default_rel_spread']:.2f}")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
