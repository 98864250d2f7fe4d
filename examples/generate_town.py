#!/usr/bin/env python3
# ruff: noqa: E501  (catalogue and fixed-row tables are kept one item per line)
"""Generate the bundled example inventories.

Writes two files next to this script:

* ``ville-exemple/inventaire-glpi.csv``: the IT inventory of a fictional French town of about
  30,000 inhabitants, "Ville-sur-Sobre", laid out like a French GLPI export (semicolon-delimited,
  UTF-8 with BOM, CRLF line endings, decimal commas, dd/mm/yyyy dates, units inside some cells,
  many empty cells, French Type values typed in several ways).
* ``small-inventory.csv``: a small English inventory with the tool's canonical column names
  (comma-delimited, UTF-8 without BOM, dot decimals, ISO dates), written from a fixed list.

Everything is fictional: the town, its sites, host names and serial numbers (drawn at random from
a fixed seed). Manufacturer and model names are real products so that the tool's model matching
can be exercised; per-row figures such as weights, repairability indices, battery health and
metered power are invented, plausible values for demonstration only, not reference data.

The output is deterministic: standard library only, one seeded ``random.Random``, no clock, no
set iteration, no hash-dependent ordering. Running ``python examples/generate_town.py`` again
rewrites both files byte for byte.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 30_000
HERE = Path(__file__).resolve().parent
FRENCH_CSV = HERE / "ville-exemple" / "inventaire-glpi.csv"
ENGLISH_CSV = HERE / "small-inventory.csv"

FR_HEADERS = [
    "Nom", "Type", "Fabricant", "Modèle", "Numéro de série", "Lieu", "Service", "Date d'achat",
    "Quantité", "Système d'exploitation", "Version du système", "Processeur",
    "Nombre de processeurs", "Cœurs", "Mémoire", "Disques SSD", "Capacité SSD", "Disques durs",
    "Capacité HDD", "Alimentations", "Puissance alimentation", "Taille d'écran", "Poids",
    "Durée de vie", "Heures par jour", "Charge moyenne (%)", "Puissance (W)",
    "Indice de réparabilité", "Santé batterie (%)", "Nom d'hôte", "Pays", "Statut", "Commentaire",
]

DOMAIN = "vss.local"  # internal Active Directory domain of the fictional town
LAST_YEAR = 2025  # purchases run from 2012 to 2025
LAST_MONTH = 10

# --------------------------------------------------------------------------------------------
# How people type the "Type" column: the first variant is the most common one. Each site has a
# preferred variant (different agents filled in different sites), with some noise.
# --------------------------------------------------------------------------------------------
TYPE_VARIANTS = {
    "desktop": ["Ordinateur", "Poste fixe", "Unité centrale"],
    "laptop": ["Portable", "Ordinateur portable"],
    "monitor": ["Écran", "Moniteur"],
    "server": ["Serveur"],
    "printer": ["Imprimante"],
    "mfp": ["Multifonction"],
    "copier": ["Copieur", "Copieur", "Multifonction"],
    "switch": ["Commutateur", "Switch"],
    "router": ["Routeur"],
    "wifi_ap": ["Borne Wi-Fi", "Point d'accès"],
    "firewall": ["Pare-feu"],
    "nas": ["NAS"],
    "san": ["Baie de stockage"],
    "ip_phone": ["Téléphone IP"],
    "smartphone": ["Smartphone", "Téléphone mobile"],
    "tablet": ["Tablette"],
    "projector": ["Vidéoprojecteur"],
    "thin_client": ["Client léger"],
    "tv": ["Écran d'affichage", "Téléviseur"],
    "ups": ["Onduleur"],
}

# Short codes used in asset names, e.g. HDV-PC-0123.
NAME_CODES = {
    "desktop": "PC", "laptop": "PT", "monitor": "EC", "thin_client": "CL", "printer": "IMP",
    "mfp": "MFP", "copier": "COP", "switch": "SW", "router": "RT", "wifi_ap": "AP",
    "ip_phone": "TEL", "smartphone": "MOB", "tablet": "TAB", "projector": "VP", "tv": "AFF",
    "ups": "OND", "nas": "NAS", "san": "SAN", "firewall": "FW",
}

# --------------------------------------------------------------------------------------------
# Product catalogues. Years are the window in which the town bought that model.
# --------------------------------------------------------------------------------------------
# (maker, model, first year, last year, CPU brand string, cores, RAM choices (GB),
#  storage choices [(kind, GB)], PSU rating (W), Windows 11 capable)
DESKTOPS = [
    ("HP", "Compaq Elite 8300 SFF", 2012, 2013, "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz", 4, [4, 8], [("hdd", 500)], 240, False),
    ("Dell", "OptiPlex 7010", 2012, 2014, "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz", 4, [4, 8], [("hdd", 500)], 250, False),
    ("Dell", "OptiPlex 3020", 2014, 2015, "Intel(R) Core(TM) i3-4160 CPU @ 3.60GHz", 2, [4, 8], [("hdd", 500)], 255, False),
    ("Lenovo", "ThinkCentre M73", 2014, 2015, "Intel(R) Core(TM) i5-4570 CPU @ 3.20GHz", 4, [4, 8], [("hdd", 500)], 180, False),
    ("HP", "ProDesk 400 G3 SFF", 2016, 2017, "Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", 4, [8], [("hdd", 500), ("ssd", 256)], 180, False),
    ("Dell", "OptiPlex 3050", 2017, 2018, "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz", 4, [8], [("ssd", 256), ("hdd", 1000)], 240, False),
    ("Lenovo", "ThinkCentre M710s", 2017, 2017, "Intel(R) Core(TM) i5-7400 CPU @ 3.00GHz", 4, [8], [("ssd", 256)], 180, False),
    ("HP", "EliteDesk 800 G4 SFF", 2018, 2019, "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", 6, [8, 16], [("ssd", 256)], 180, True),
    ("Dell", "OptiPlex 5070", 2019, 2020, "Intel(R) Core(TM) i5-9500 CPU @ 3.00GHz", 6, [8, 16], [("ssd", 256)], 200, True),
    ("Lenovo", "ThinkCentre M720q", 2019, 2020, "Intel(R) Core(TM) i5-8400T CPU @ 1.70GHz", 6, [8], [("ssd", 256)], 65, True),
    ("HP", "EliteDesk 800 G6 SFF", 2020, 2021, "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, [16], [("ssd", 256), ("ssd", 512)], 180, True),
    ("Dell", "OptiPlex 5080", 2020, 2021, "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, [8, 16], [("ssd", 256)], 200, True),
    ("Lenovo", "ThinkCentre M70q Gen 2", 2021, 2022, "11th Gen Intel(R) Core(TM) i5-11400T @ 1.30GHz", 6, [16], [("ssd", 512)], 65, True),
    ("Dell", "OptiPlex 7000", 2022, 2023, "12th Gen Intel(R) Core(TM) i5-12500", 6, [16], [("ssd", 512)], 260, True),
    ("HP", "EliteDesk 800 G9 SFF", 2022, 2023, "12th Gen Intel(R) Core(TM) i5-12500", 6, [16], [("ssd", 512)], 260, True),
    ("Lenovo", "ThinkCentre M70q Gen 4", 2023, 2025, "13th Gen Intel(R) Core(TM) i5-13400T", 10, [16], [("ssd", 512)], 90, True),
    ("Dell", "OptiPlex Micro 7010", 2023, 2025, "13th Gen Intel(R) Core(TM) i5-13500T", 14, [16], [("ssd", 512)], 90, True),
    ("HP", "Elite Mini 800 G9", 2024, 2025, "12th Gen Intel(R) Core(TM) i5-12500T", 6, [16, 32], [("ssd", 512)], 90, True),
]

# (maker, model, first, last, CPU, cores, RAM choices, storage choices, screen (in), weight (kg),
#  Windows 11 capable, repairability index or None)
LAPTOPS = [
    ("HP", "ProBook 4540s", 2012, 2013, "Intel(R) Core(TM) i5-3210M CPU @ 2.50GHz", 2, [4], [("hdd", 500)], 15.6, 2.5, False, None),
    ("HP", "ProBook 450 G2", 2014, 2015, "Intel(R) Core(TM) i3-5010U CPU @ 2.10GHz", 2, [4, 8], [("hdd", 500)], 15.6, 2.2, False, None),
    ("Dell", "Latitude E5470", 2016, 2017, "Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz", 2, [8], [("ssd", 256)], 14, 1.8, False, None),
    ("HP", "ProBook 450 G5", 2018, 2018, "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 4, [8], [("ssd", 256)], 15.6, 2.1, True, None),
    ("Lenovo", "ThinkPad T480", 2018, 2019, "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 4, [8, 16], [("ssd", 256)], 14, 1.6, True, None),
    ("Dell", "Latitude 5400", 2019, 2020, "Intel(R) Core(TM) i5-8365U CPU @ 1.60GHz", 4, [8, 16], [("ssd", 256)], 14, 1.5, True, None),
    ("Lenovo", "ThinkPad L14 Gen 1", 2020, 2021, "Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz", 4, [8, 16], [("ssd", 256)], 14, 1.6, True, None),
    ("HP", "ProBook 440 G8", 2021, 2022, "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz", 4, [16], [("ssd", 256), ("ssd", 512)], 14, 1.4, True, 6.8),
    ("Dell", "Latitude 5420", 2021, 2022, "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, [16], [("ssd", 256)], 14, 1.4, True, 7.5),
    ("Lenovo", "ThinkPad E14 Gen 4", 2022, 2023, "12th Gen Intel(R) Core(TM) i5-1235U", 10, [16], [("ssd", 512)], 14, 1.6, True, 7.2),
    ("Dell", "Latitude 5440", 2023, 2024, "13th Gen Intel(R) Core(TM) i5-1345U", 10, [16], [("ssd", 512)], 14, 1.4, True, 8.1),
    ("HP", "EliteBook 840 G10", 2023, 2024, "13th Gen Intel(R) Core(TM) i5-1345U", 10, [16], [("ssd", 512)], 14, 1.4, True, 8.4),
    ("Lenovo", "ThinkPad T14 Gen 5", 2024, 2025, "Intel(R) Core(TM) Ultra 5 125U", 12, [16, 32], [("ssd", 512)], 14, 1.4, True, 9.0),
    ("Dell", "Latitude 5450", 2024, 2025, "Intel(R) Core(TM) Ultra 5 135U", 12, [16], [("ssd", 512)], 14, 1.5, True, 8.3),
]

# Pupils' laptops ("classes mobiles") and older teachers' laptops in schools.
SCHOOL_LAPTOPS = [
    ("HP", "ProBook 450 G2", 2014, 2016, "Intel(R) Core(TM) i3-5010U CPU @ 2.10GHz", 2, [4], [("hdd", 500)], 15.6, 2.2, False, None),
    ("Acer", "TravelMate B311-31", 2019, 2020, "Intel(R) Celeron(R) N4000 CPU @ 1.10GHz", 2, [4], [("ssd", 64)], 11.6, 1.4, True, None),
    ("Lenovo", "ThinkPad 11e Yoga Gen 6", 2020, 2021, "Intel(R) Core(TM) m3-8100Y CPU @ 1.10GHz", 2, [8], [("ssd", 128)], 11.6, 1.5, True, None),
    ("Dell", "Latitude 3120", 2021, 2022, "Intel(R) Pentium(R) Silver N6000 @ 1.10GHz", 4, [8], [("ssd", 128)], 11.6, 1.4, True, 7.7),
]

# (maker, model, first, last, CPU, cores, RAM GB, OS, OS version)
THIN_CLIENTS = [
    ("HP", "t630 Thin Client", 2017, 2018, "AMD Embedded G-Series GX-420GI Radeon R7E", 4, 8, "HP ThinPro", "7.2"),
    ("Dell", "Wyse 5070", 2019, 2021, "Intel(R) Celeron(R) J4105 CPU @ 1.50GHz", 4, 4, "Dell ThinOS", "9.1"),
    ("HP", "t640 Thin Client", 2020, 2022, "AMD Ryzen Embedded R1505G with Radeon Vega Gfx", 2, 8, "Windows 10 IoT Enterprise LTSC", "21H2"),
    ("IGEL", "UD3 M350C", 2022, 2024, "AMD Ryzen Embedded R1505G with Radeon Vega Gfx", 2, 4, "IGEL OS", "11.08"),
]

# (maker, model, first, last, diagonal (in), weight (kg))
MONITORS = [
    ("HP", "LA2206x", 2012, 2013, 21.5, 4.4),
    ("Dell", "P2212H", 2012, 2013, 21.5, 4.9),
    ("iiyama", "ProLite E2282HS", 2013, 2015, 21.5, 3.0),
    ("Dell", "E2216H", 2016, 2018, 21.5, 3.1),
    ("HP", "EliteDisplay E232", 2016, 2018, 23.0, 4.5),
    ("iiyama", "ProLite X2283HS", 2016, 2018, 21.5, 3.0),
    ("Dell", "P2219H", 2018, 2020, 21.5, 4.4),
    ("iiyama", "ProLite XU2492HSU-B1", 2018, 2021, 23.8, 3.9),
    ("HP", "E24 G4", 2020, 2022, 23.8, 5.2),
    ("Dell", "P2422H", 2021, 2023, 23.8, 5.4),
    ("iiyama", "ProLite XUB2493HS-B5", 2022, 2025, 23.8, 5.6),
    ("Dell", "P2423D", 2023, 2025, 23.8, 5.8),
    ("HP", "E24 G5", 2022, 2025, 23.8, 5.3),
]
MONITORS_27 = [
    ("iiyama", "ProLite XUB2792QSU-B5", 2021, 2024, 27.0, 6.7),
    ("Dell", "P2723DE", 2023, 2025, 27.0, 7.8),
    ("HP", "E27 G4", 2020, 2022, 27.0, 6.4),
]

PRINTERS = [
    ("HP", "LaserJet P2055dn", 2012, 2013),
    ("HP", "LaserJet Pro 400 M401dn", 2013, 2015),
    ("Brother", "HL-5450DN", 2013, 2016),
    ("HP", "LaserJet Pro M402dn", 2016, 2018),
    ("Kyocera", "ECOSYS P2235dn", 2018, 2021),
    ("Brother", "HL-L5100DN", 2018, 2021),
    ("HP", "LaserJet Pro M404dn", 2019, 2022),
    ("HP", "Color LaserJet Pro M454dn", 2020, 2023),
    ("Brother", "HL-L2350DW", 2020, 2023),
    ("Canon", "i-SENSYS LBP233dw", 2022, 2025),
    ("HP", "LaserJet Pro 4002dn", 2023, 2025),
    ("Kyocera", "ECOSYS PA4500x", 2022, 2025),
]
MFPS = [  # desk multifunction printers
    ("HP", "LaserJet Pro MFP M426fdn", 2016, 2019),
    ("Brother", "MFC-L8900CDW", 2019, 2022),
    ("Epson", "WorkForce Pro WF-C5790DWF", 2019, 2022),
    ("HP", "Color LaserJet Pro MFP M479fdw", 2020, 2023),
    ("Brother", "MFC-L5710DW", 2023, 2025),
]
COPIERS = [  # A3 office copiers, mostly leased
    ("Ricoh", "MP C3004", 2014, 2018),
    ("Canon", "imageRUNNER ADVANCE C3525i", 2017, 2020),
    ("Kyocera", "TASKalfa 3253ci", 2019, 2021),
    ("Ricoh", "IM C3000", 2020, 2023),
    ("Kyocera", "TASKalfa 2554ci", 2021, 2024),
    ("Canon", "imageRUNNER ADVANCE DX C3826i", 2022, 2025),
    ("Ricoh", "IM C3010", 2024, 2025),
]

SWITCHES_BIG = [
    ("Netgear", "ProSAFE GS724T", 2012, 2014),
    ("Cisco", "Catalyst 2960-X 48 PoE (WS-C2960X-48FPD-L)", 2014, 2017),
    ("Cisco", "Catalyst 2960-X 24 (WS-C2960X-24TS-L)", 2014, 2017),
    ("HPE Aruba", "2530-24G-PoE+ (J9773A)", 2015, 2018),
    ("HPE Aruba", "2930F-48G-PoE+-4SFP+ (JL256A)", 2018, 2021),
    ("Cisco", "Catalyst 9200L-48P-4G", 2019, 2022),
    ("HPE Aruba", "CX 6100 24G Class4 PoE 4SFP+ (JL677A)", 2021, 2025),
    ("HPE Aruba", "CX 6200F 48G Class4 PoE 4SFP+", 2022, 2025),
]
SWITCHES_SMALL = [
    ("Netgear", "ProSAFE GS724T", 2012, 2015),
    ("Netgear", "GS110TP", 2016, 2020),
    ("HPE Aruba", "Instant On 1930 24G (JL682A)", 2020, 2025),
    ("Netgear", "GS324T", 2020, 2025),
]

ACCESS_POINTS_BIG = [
    ("Cisco", "Aironet 1832I-E", 2016, 2019),
    ("HPE Aruba", "AP-303", 2018, 2021),
    ("HPE Aruba", "AP-505", 2021, 2025),
]
ACCESS_POINTS_SMALL = [
    ("Ubiquiti", "UniFi AP AC Pro", 2016, 2020),
    ("HPE Aruba", "Instant On AP22", 2021, 2025),
    ("Ubiquiti", "UniFi U6 Lite", 2022, 2025),
]

IP_PHONES = [
    ("Cisco", "IP Phone 7821", 2016, 2019),
    ("Cisco", "IP Phone 8841", 2017, 2019),
    ("Yealink", "SIP-T46U", 2020, 2023),
    ("Yealink", "SIP-T31P", 2020, 2025),
    ("Yealink", "SIP-T54W", 2022, 2025),
]

# (maker, model, first, last, screen (in), OS, [versions], repairability index or None)
SMARTPHONES = [
    ("Samsung", "Galaxy A40", 2019, 2020, 5.9, "Android", ["11"], None),
    ("Apple", "iPhone SE (2nd generation)", 2020, 2022, 4.7, "iOS", ["18.6", "26.1"], None),
    ("Samsung", "Galaxy XCover5", 2021, 2022, 5.3, "Android", ["13"], 8.5),
    ("Samsung", "Galaxy A52s 5G", 2021, 2022, 6.5, "Android", ["14"], 8.0),
    ("Fairphone", "Fairphone 4", 2022, 2023, 6.3, "Android", ["13", "15"], 9.3),
    ("Apple", "iPhone 13", 2022, 2023, 6.1, "iOS", ["26.1"], 6.2),
    ("Samsung", "Galaxy XCover6 Pro", 2023, 2024, 6.6, "Android", ["15", "16"], 8.2),
    ("Samsung", "Galaxy A54 5G", 2023, 2024, 6.4, "Android", ["15", "16"], 8.3),
    ("Samsung", "Galaxy A55 5G", 2024, 2025, 6.6, "Android", ["16"], 8.5),
    ("Fairphone", "Fairphone 5", 2024, 2025, 6.46, "Android", ["15"], 9.3),
]
FIELD_PHONES = ["Galaxy XCover5", "Galaxy XCover6 Pro"]

# (maker, model, first, last, screen (in), OS, [versions])
TABLETS = [
    ("Apple", "iPad (6th generation)", 2018, 2019, 9.7, "iPadOS", ["17.7"]),
    ("Apple", "iPad (7th generation)", 2019, 2020, 10.2, "iPadOS", ["18.6"]),
    ("Lenovo", "Tab M10 (TB-X505F)", 2020, 2021, 10.1, "Android", ["10"]),
    ("Samsung", "Galaxy Tab S6 Lite", 2020, 2023, 10.4, "Android", ["13"]),
    ("Apple", "iPad (9th generation)", 2021, 2023, 10.2, "iPadOS", ["18.6", "26.1"]),
    ("Samsung", "Galaxy Tab A8", 2022, 2024, 10.5, "Android", ["14"]),
    ("Apple", "iPad (10th generation)", 2023, 2025, 10.9, "iPadOS", ["26.1"]),
]

PROJECTORS = [  # (maker, model, first, last, weight kg)
    ("Epson", "EB-536Wi", 2014, 2016, 3.8),
    ("Epson", "EB-695Wi", 2017, 2019, 5.7),
    ("Epson", "EB-1485Fi", 2019, 2022, 5.9),
    ("Epson", "EB-725Wi", 2021, 2024, 5.6),
    ("Epson", "EB-770Fi", 2022, 2025, 5.7),
]

# --------------------------------------------------------------------------------------------
# Sites. kind: "admin" (offices), "school", "other" (culture, sport, early childhood).
# counts: units per category at the site (quantities, not rows).
# --------------------------------------------------------------------------------------------
HDV_FLOORS = {
    "État civil": "Rez-de-chaussée", "Éducation": "Rez-de-chaussée", "Petite enfance": "Rez-de-chaussée",
    "Finances": "1er étage", "RH": "1er étage", "Culture": "1er étage", "Sports": "1er étage",
    "Direction générale": "2e étage", "Urbanisme": "2e étage", "Services techniques": "2e étage",
    "DSI": "2e étage",
}

SITES = [
    {
        "code": "HDV", "lieu": "Hôtel de ville", "kind": "admin",
        "services": [("Direction générale", 20), ("État civil", 25), ("Urbanisme", 30), ("Finances", 35),
                     ("RH", 25), ("Éducation", 25), ("Culture", 8), ("Sports", 8), ("DSI", 14),
                     ("Services techniques", 12), ("Petite enfance", 6)],
        "counts": {"desktop": 250, "laptop": 110, "thin_client": 8, "smartphone": 50, "tablet": 25,
                   "ip_phone": 70, "printer": 24, "mfp": 4, "copier": 10, "switch": 16, "wifi_ap": 15,
                   "projector": 3, "tv": 2},
    },
    {
        "code": "MAP", "lieu": "Mairie annexe des Prés", "kind": "admin",
        "services": [("État civil", 1)],
        "counts": {"desktop": 8, "laptop": 2, "smartphone": 1, "ip_phone": 6, "printer": 2, "copier": 1,
                   "switch": 1, "wifi_ap": 1, "tv": 1},
    },
    {
        "code": "CTM", "lieu": "Centre technique municipal", "kind": "admin",
        "services": [("Services techniques", 1)],
        "counts": {"desktop": 45, "laptop": 25, "thin_client": 10, "smartphone": 45, "tablet": 10,
                   "ip_phone": 20, "printer": 8, "mfp": 2, "copier": 2, "switch": 6, "wifi_ap": 6,
                   "projector": 1},
    },
    {
        "code": "MED", "lieu": "Médiathèque de la Sobre", "kind": "other",
        "services": [("Culture", 1)],
        "counts": {"desktop": 20, "laptop": 6, "thin_client": 30, "smartphone": 3, "tablet": 12,
                   "ip_phone": 8, "printer": 3, "mfp": 1, "copier": 1, "switch": 4, "wifi_ap": 5,
                   "projector": 1, "tv": 2},
    },
    {
        "code": "CONS", "lieu": "Conservatoire municipal", "kind": "other",
        "services": [("Culture", 1)],
        "counts": {"desktop": 6, "laptop": 3, "smartphone": 1, "ip_phone": 3, "printer": 2, "copier": 1,
                   "switch": 2, "wifi_ap": 2, "projector": 1, "tv": 1},
    },
    {
        "code": "PM", "lieu": "Poste de police municipale", "kind": "admin",
        "services": [("Police municipale", 1)],
        "counts": {"desktop": 18, "laptop": 6, "smartphone": 25, "tablet": 4, "ip_phone": 8,
                   "printer": 3, "copier": 1, "switch": 3, "wifi_ap": 2, "tv": 2},
    },
    {
        "code": "CCAS", "lieu": "Maison des solidarités (CCAS)", "kind": "admin",
        "services": [("CCAS", 1)],
        "counts": {"desktop": 22, "laptop": 6, "thin_client": 12, "smartphone": 8, "tablet": 3,
                   "ip_phone": 14, "printer": 4, "mfp": 1, "copier": 1, "switch": 2, "wifi_ap": 2,
                   "tv": 1},
    },
    {
        "code": "CRE-PPA", "lieu": "Crèche Les Petits Pas", "kind": "other",
        "services": [("Petite enfance", 1)],
        "counts": {"desktop": 3, "laptop": 1, "smartphone": 2, "tablet": 2, "ip_phone": 2, "printer": 1,
                   "mfp": 1, "switch": 1, "wifi_ap": 1},
    },
    {
        "code": "CRE-LUC", "lieu": "Crèche Les Lucioles", "kind": "other",
        "services": [("Petite enfance", 1)],
        "counts": {"desktop": 3, "laptop": 1, "smartphone": 2, "tablet": 2, "ip_phone": 2, "printer": 1,
                   "mfp": 1, "switch": 1, "wifi_ap": 1},
    },
    {
        "code": "RPE", "lieu": "Relais petite enfance", "kind": "other",
        "services": [("Petite enfance", 1)],
        "counts": {"desktop": 2, "laptop": 2, "smartphone": 1, "ip_phone": 1, "printer": 1, "switch": 1,
                   "wifi_ap": 1},
    },
    {
        "code": "GYM-SAB", "lieu": "Gymnase des Sablons", "kind": "other",
        "services": [("Sports", 1)],
        "counts": {"desktop": 1, "smartphone": 2, "ip_phone": 1, "switch": 1, "wifi_ap": 1},
    },
    {
        "code": "GYM-MOU", "lieu": "Gymnase du Moulin", "kind": "other",
        "services": [("Sports", 1)],
        "counts": {"desktop": 1, "smartphone": 1, "ip_phone": 1, "switch": 1, "wifi_ap": 1},
    },
    {
        "code": "CSP", "lieu": "Complexe sportif de la Sobre", "kind": "other",
        "services": [("Sports", 1)],
        "counts": {"desktop": 4, "laptop": 2, "smartphone": 3, "ip_phone": 2, "printer": 1, "mfp": 1,
                   "switch": 2, "wifi_ap": 2},
    },
    {
        "code": "PIS", "lieu": "Piscine municipale", "kind": "other",
        "services": [("Sports", 1)],
        "counts": {"desktop": 5, "laptop": 1, "smartphone": 3, "ip_phone": 3, "printer": 2, "mfp": 1,
                   "switch": 2, "wifi_ap": 2, "tv": 1},
    },
]

ELEMENTARY = [("EE-TIL", "École élémentaire des Tilleuls"), ("EE-MOU", "École élémentaire du Moulin"),
              ("EE-SOB", "École élémentaire de la Sobre"), ("EE-GLY", "École élémentaire Les Glycines"),
              ("EE-PAR", "École élémentaire du Parc")]
NURSERY = [("EM-COQ", "École maternelle Les Coquelicots"), ("EM-HIR", "École maternelle Les Hirondelles"),
           ("EM-PAR", "École maternelle du Parc"), ("EM-NOI", "École maternelle Les Noisetiers")]

for _code, _lieu in ELEMENTARY:
    SITES.append({
        "code": _code, "lieu": _lieu, "kind": "school", "level": "elementary",
        "services": [("Éducation", 1)],
        "counts": {"desktop": 20, "laptop": 20, "tablet": 20, "ip_phone": 2, "printer": 3, "mfp": 1,
                   "copier": 1, "switch": 2, "wifi_ap": 4, "projector": 4},
    })
for _code, _lieu in NURSERY:
    SITES.append({
        "code": _code, "lieu": _lieu, "kind": "school", "level": "nursery",
        "services": [("Éducation", 1)],
        "counts": {"desktop": 3, "laptop": 4, "tablet": 10, "ip_phone": 1, "printer": 1, "copier": 1,
                   "switch": 1, "wifi_ap": 2, "projector": 1},
    })

# Relative weights of purchase years, 2012..2025.
YEARS = list(range(2012, LAST_YEAR + 1))
YEAR_WEIGHTS = {
    "admin":  [1, 1, 2, 3, 4, 6, 8, 10, 10, 11, 12, 12, 11, 7],
    "other":  [3, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8, 7, 6, 4],
    "school": [6, 7, 8, 8, 7, 6, 5, 4, 4, 8, 7, 3, 3, 2],
    "phone":  [0, 0, 0, 0, 0, 0, 0, 3, 6, 10, 12, 14, 14, 10],
    "tablet": [0, 0, 0, 0, 0, 0, 4, 5, 6, 10, 10, 8, 6, 4],
    "voip":   [0, 0, 0, 0, 5, 4, 3, 1, 2, 4, 14, 4, 3, 2],
    "wifi":   [0, 0, 0, 0, 4, 4, 5, 5, 5, 8, 8, 6, 5, 3],
    "thin":   [0, 0, 0, 0, 0, 6, 6, 6, 6, 5, 5, 4, 3, 0],
}

# Lifetimes (years) written by the town's IT department on part of the rows (its renewal policy).
LIFETIME_POLICY = {"desktop": 6, "laptop": 5, "thin_client": 7, "monitor": 8, "smartphone": 4,
                   "tablet": 5, "server": 7, "switch": 10, "printer": 7, "copier": 5}


class Town:
    """Builds the rows of the French inventory."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.rows: list[dict[str, str]] = []
        self.counters: dict[str, int] = {}
        self.serials_used: set[str] = set()
        self.styles: dict[str, dict] = {}
        for site in SITES:
            self.styles[site["code"]] = {
                "type_pick": self.rng.randrange(6),
                "os_long": self.rng.random() < 0.4,
                "ram_mo": self.rng.random() < 0.25,
                "screen_fmt": self.rng.randrange(3),
                "fqdn": self.rng.random() < 0.5,
            }

    # ------------------------------------------------------------------ small helpers
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick_weighted(self, pairs):
        items = [p[0] for p in pairs]
        weights = [p[1] for p in pairs]
        return self.rng.choices(items, weights=weights, k=1)[0]

    def year(self, profile: str) -> int:
        return self.rng.choices(YEARS, weights=YEAR_WEIGHTS[profile], k=1)[0]

    def date(self, year: int) -> str:
        last_month = LAST_MONTH if year == LAST_YEAR else 12
        month = self.rng.randint(1, last_month)
        day = self.rng.randint(1, 28)
        return f"{day:02d}/{month:02d}/{year}"

    def later_date(self, date: str) -> str:
        """A date the same day or some months after `date` (replacement purchases)."""
        year = int(date.split("/")[2])
        year = min(LAST_YEAR, year + self.rng.randint(0, 3))
        return self.date(year)

    @staticmethod
    def clamp_year(catalogue, year: int) -> int:
        """Move `year` into the span in which the catalogue's models were on sale."""
        return max(min(m[2] for m in catalogue), min(year, max(m[3] for m in catalogue)))

    def model_for(self, catalogue, year: int):
        """A model on sale in `year` (call clamp_year first so that one exists)."""
        fitting = [m for m in catalogue if m[2] <= year <= m[3]]
        if not fitting:
            best = min(abs(year - m[2]) if year < m[2] else abs(year - m[3]) for m in catalogue)
            fitting = [m for m in catalogue if min(abs(year - m[2]), abs(year - m[3])) == best]
        return self.rng.choice(fitting)

    def type_label(self, site_code: str, cat: str) -> str:
        variants = TYPE_VARIANTS[cat]
        preferred = variants[self.styles[site_code]["type_pick"] % len(variants)]
        if len(variants) > 1 and self.chance(0.2):
            return self.rng.choice(variants)
        return preferred

    def next_name(self, site_code: str, cat: str) -> str:
        key = f"{site_code}-{NAME_CODES[cat]}"
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{key}-{self.counters[key]:04d}"

    def hostname(self, site_code: str, name: str) -> str:
        host = name.lower()
        return f"{host}.{DOMAIN}" if self.styles[site_code]["fqdn"] else host

    def maker(self, maker: str, cat: str) -> str:
        """Manufacturer as an inventory agent reports it (agents copy the BIOS vendor string)."""
        if cat in ("desktop", "laptop", "thin_client", "server"):
            if maker == "Dell":
                return self.rng.choice(["Dell Inc.", "Dell Inc.", "Dell"])
            if maker == "HP":
                return self.rng.choice(["HP", "HP", "Hewlett-Packard"])
            if maker == "Lenovo":
                return self.rng.choice(["LENOVO", "Lenovo"])
        return maker

    # ------------------------------------------------------------------ serial numbers
    ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    DELL_TAG = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
    HEX = "0123456789ABCDEF"
    DIGITS = "0123456789"

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def serial(self, maker: str, cat: str) -> str:
        for _ in range(1000):
            s = self._serial_once(maker, cat)
            if s not in self.serials_used:
                self.serials_used.add(s)
                return s
        raise RuntimeError("could not draw a unique serial number")

    def _serial_once(self, maker: str, cat: str) -> str:
        a, d = self.ALNUM, self.DIGITS
        if maker == "Dell":
            return self._chars(self.DELL_TAG, 7)
        if maker == "HP":
            prefix = {"desktop": "CZC", "laptop": "5CG", "monitor": "CN4", "thin_client": "CZC"}.get(cat, "VNB")
            return prefix + self._chars(a, 7)
        if maker == "HPE":
            return "CZJ" + self._chars(a, 7)
        if maker == "HPE Aruba":
            return ("CN" if cat == "wifi_ap" else "SG") + self._chars(a, 8)
        if maker == "Lenovo":
            return {"desktop": "MJ", "laptop": "PF", "tablet": "HA"}.get(cat, "S4") + self._chars(a, 6)
        if maker == "iiyama":
            return "11" + self._chars(d, 11)
        if maker == "Apple":
            return self._chars("BCDFGHJKLMNPQRSTVWXYZ0123456789", 10)
        if maker == "Samsung":
            return "R58" + self._chars(a, 8)
        if maker == "Fairphone":
            return "FP" + self._chars(d, 12)
        if maker == "Brother":
            return "E" + self._chars(a, 14)
        if maker == "Kyocera":
            return "R" + self._chars(a, 9)
        if maker == "Ricoh":
            return "3" + self._chars(d, 3) + "R" + self._chars(d, 6)
        if maker == "Canon":
            return self._chars("ABCDEFGHJKLMNPRSTUVWXYZ", 3) + self._chars(d, 5)
        if maker == "Cisco":
            return ("FCH" if cat == "ip_phone" else "FOC") + self._chars(d, 4) + self._chars(a, 4)
        if maker == "Yealink":
            return "80" + self._chars(d, 14)
        if maker == "Epson":
            return "X" + self._chars(a, 9)
        if maker == "Netgear":
            return self._chars(d, 1) + self._chars(a, 12)
        if maker == "Ubiquiti":
            return self._chars(self.HEX, 12)
        if maker == "Acer":
            return "NX" + self._chars(a, 20)
        if maker == "Synology":
            return self._chars(d, 4) + "PDN" + self._chars(d, 6)
        if maker == "Fortinet":
            return "FG100FTK" + self._chars(d, 8)
        if maker == "APC":
            return "AS" + self._chars(d, 10)
        if maker == "Eaton":
            return "G" + self._chars(a, 9)
        return self._chars(a, 10)

    # ------------------------------------------------------------------ formatting
    @staticmethod
    def fr_num(x: float) -> str:
        if float(x).is_integer():
            return str(int(x))
        return f"{x:g}".replace(".", ",")

    def fr_size(self, gb: float, site_code: str | None = None, mo_ok: bool = False) -> str:
        if mo_ok and site_code and self.styles[site_code]["ram_mo"] and gb <= 32:
            return f"{int(gb * 1024)} Mo"
        if gb >= 1000:
            return f"{self.fr_num(gb / 1000)} To"
        return f"{self.fr_num(gb)} Go"

    def fr_screen(self, site_code: str, inches: float) -> str:
        fmt = self.styles[site_code]["screen_fmt"]
        if self.chance(0.15):
            fmt = self.rng.randrange(3)
        if inches == 23.8 and self.chance(0.3):
            inches = 24  # people round the 23.8-inch class to 24
        value = self.fr_num(inches)
        if fmt == 0:
            return f'{value}"'
        if fmt == 1:
            return f"{value} pouces"
        return value

    def windows(self, site_code: str, win11: bool, year: int) -> tuple[str, str]:
        long_names = self.styles[site_code]["os_long"]
        if win11:
            name = "Microsoft Windows 11 Professionnel" if long_names else "Windows 11 Pro"
            if year >= LAST_YEAR:  # shipped with a recent release
                version = self.pick_weighted([("24H2", 70), ("25H2", 30)])
            else:
                version = self.pick_weighted([("24H2", 60), ("23H2", 35), ("25H2", 5)])
        else:
            name = "Microsoft Windows 10 Professionnel" if long_names else "Windows 10 Pro"
            version = "22H2"
        return name, version

    # ------------------------------------------------------------------ rows
    def add(self, **cells: str) -> dict[str, str]:
        row = {h: "" for h in FR_HEADERS}
        for key, value in cells.items():
            header = COLUMN_KEYS[key]
            row[header] = "" if value is None else str(value)
        if row["Quantité"] == "":
            row["Quantité"] = "1"
        if row["Statut"] == "":
            row["Statut"] = "En service"
        if self.chance(0.03):
            row["Pays"] = "France"
        self.rows.append(row)
        return row

    def base(self, site: dict, cat: str, service: str, lieu: str | None = None, type_cat: str | None = None):
        name = self.next_name(site["code"], cat)
        return name, dict(
            nom=name, type=self.type_label(site["code"], type_cat or cat),
            lieu=lieu or site["lieu"], service=service,
        )

    def service_for(self, site: dict) -> str:
        return self.pick_weighted(site["services"])

    def lieu_for(self, site: dict, service: str) -> str:
        if site["code"] == "HDV":
            return f"Hôtel de ville > {HDV_FLOORS.get(service, 'Rez-de-chaussée')}"
        return site["lieu"]

    def computer_specs(self, site: dict, cells: dict, cpu: str, cores: int, ram: int, storage, agent: bool):
        """Fill CPU/RAM/disk cells as an inventory agent would (or leave them empty)."""
        if not agent:
            return
        code = site["code"]
        cells["cpu"] = cpu
        if self.chance(0.6):
            cells["ncpu"] = "1"
        cells["cores"] = str(cores)
        cells["ram"] = self.fr_size(ram, code, mo_ok=True)
        kind, size = storage
        if kind == "ssd":
            cells["ssd_n"], cells["ssd_cap"] = "1", self.fr_size(size)
        else:
            cells["hdd_n"], cells["hdd_cap"] = "1", self.fr_size(size)

    def lifetime(self, cells: dict, cat: str, year: int):
        if cat in LIFETIME_POLICY and year >= 2020 and self.chance(0.55):
            cells["lifetime"] = str(LIFETIME_POLICY[cat])

    # -------------------------------------------------------------- categories
    def add_monitors_for(self, site: dict, host: dict, dual_p: float, single_p: float = 1.0):
        """Screens bought with a workstation (usually on the same order)."""
        if not self.chance(single_p):
            return
        n = 2 if self.chance(dual_p) else 1
        wide = host["service"] in ("Urbanisme", "DSI") and self.chance(0.5)
        date = host["date"] if self.chance(0.8) else self.later_date(host["date"])
        catalogue = MONITORS_27 if wide else MONITORS
        year = int(date[-4:])
        if self.clamp_year(catalogue, year) != year:
            year = self.clamp_year(catalogue, year)
            date = self.date(year)
        model = self.model_for(catalogue, year)
        as_batch = n == 2 and self.chance(0.15)
        for _ in range(1 if as_batch else n):
            name, cells = self.base(site, "monitor", host["service"], host["lieu"])
            cells.update(fab=model[0], model=model[1], date=date, status=host["status"])
            cells["serial"] = "" if as_batch else self.serial(model[0], "monitor")
            if self.chance(0.85):
                cells["screen"] = self.fr_screen(site["code"], model[4])
            if self.chance(0.2):
                cells["weight"] = f"{self.fr_num(model[5])} kg"
            if as_batch:
                cells["qty"] = "2"
                cells["comment"] = f"Double écran de {host['nom']}"
            elif self.chance(0.25):
                cells["comment"] = f"Associé à {host['nom']}"
            self.lifetime(cells, "monitor", year)
            self.add(**cells)

    def add_desktop(self, site: dict, service: str, lieu: str, year: int, comment: str = "",
                    dual_p: float = 0.3, os_override: tuple[str, str] | None = None):
        year = self.clamp_year(DESKTOPS, year)
        m = self.model_for(DESKTOPS, year)
        code = site["code"]
        name, cells = self.base(site, "desktop", service, lieu)
        date = self.date(year)
        status = "En stock" if (self.chance(0.015) or (year == LAST_YEAR and self.chance(0.1))) else "En service"
        cells.update(fab=self.maker(m[0], "desktop"), model=m[1], serial=self.serial(m[0], "desktop"),
                     date=date, status=status, comment=comment)
        agent = self.chance(0.88)
        self.computer_specs(site, cells, m[4], m[5], self.rng.choice(m[6]), self.rng.choice(m[7]), agent)
        if os_override:
            cells["os"], cells["osv"] = os_override
        else:
            cells["os"], cells["osv"] = self.windows(code, m[9], year)
            if not m[9] and not comment and self.chance(0.25):
                cells["comment"] = "Processeur non compatible Windows 11 : renouvellement à planifier"
        if agent:
            cells["host"] = self.hostname(code, name)
        if self.chance(0.25):
            cells["psu_n"], cells["psu_w"] = "1", f"{m[8]} W"
        if service == "Police municipale" and self.chance(0.3):
            cells["hours"] = "24"
            cells["comment"] = cells.get("comment") or "Poste du centre de supervision urbaine"
        elif self.chance(0.12):
            cells["hours"] = self.rng.choice(["8", "9", "10"])
        self.lifetime(cells, "desktop", year)
        self.add(**cells)
        self.add_monitors_for(site, dict(nom=name, service=service, lieu=lieu, date=date, status=status), dual_p)

    def add_laptop(self, site: dict, service: str, lieu: str, year: int, catalogue=LAPTOPS,
                   qty: int = 1, comment: str = "", monitor_p: float = 0.0, os_override=None):
        year = self.clamp_year(catalogue, year)
        m = self.model_for(catalogue, year)
        code = site["code"]
        name, cells = self.base(site, "laptop", service, lieu)
        date = self.date(year)
        status = "En stock" if (self.chance(0.02) or (year == LAST_YEAR and self.chance(0.1))) else "En service"
        cells.update(fab=self.maker(m[0], "laptop"), model=m[1], date=date, status=status,
                     comment=comment, qty=str(qty))
        cells["serial"] = self.serial(m[0], "laptop") if qty == 1 else ""
        agent = qty == 1 and self.chance(0.85)
        self.computer_specs(site, cells, m[4], m[5], self.rng.choice(m[6]), self.rng.choice(m[7]), agent)
        if qty > 1:  # batch rows: the spec sheet is known, written by hand
            cells["cpu"], cells["ram"] = m[4], self.fr_size(self.rng.choice(m[6]))
            kind, size = m[7][0]
            if kind == "ssd":
                cells["ssd_n"], cells["ssd_cap"] = "1", self.fr_size(size)
            else:
                cells["hdd_n"], cells["hdd_cap"] = "1", self.fr_size(size)
        if os_override:
            cells["os"], cells["osv"] = os_override
        else:
            cells["os"], cells["osv"] = self.windows(code, m[10], year)
        if agent:
            cells["host"] = self.hostname(code, name)
        if self.chance(0.7):
            cells["screen"] = self.fr_screen(code, m[8])
        if self.chance(0.45):
            cells["weight"] = f"{self.fr_num(m[9])} kg"
        if m[11] is not None and year >= 2021 and self.chance(0.7):
            cells["repair"] = self.fr_num(m[11])
        if qty == 1 and self.chance(0.35):
            age = 2026 - year
            cells["battery"] = str(max(48, min(100, round(100 - 6.5 * age + self.rng.gauss(0, 4)))))
        self.lifetime(cells, "laptop", year)
        self.add(**cells)
        if monitor_p:
            self.add_monitors_for(site, dict(nom=name, service=service, lieu=lieu, date=date, status=status),
                                  dual_p=0.15, single_p=monitor_p)

    def add_thin_client(self, site: dict, service: str, lieu: str, comment: str = ""):
        year = self.clamp_year(THIN_CLIENTS, self.year("thin"))
        m = self.model_for(THIN_CLIENTS, year)
        code = site["code"]
        name, cells = self.base(site, "thin_client", service, lieu)
        date = self.date(year)
        cells.update(fab=self.maker(m[0], "thin_client"), model=m[1], serial=self.serial(m[0], "thin_client"),
                     date=date, os=m[7], osv=m[8], comment=comment)
        if self.chance(0.7):
            cells.update(cpu=m[4], cores=str(m[5]), ram=self.fr_size(m[6], code, mo_ok=True))
            cells["host"] = self.hostname(code, name)
        self.lifetime(cells, "thin_client", year)
        self.add(**cells)
        self.add_monitors_for(site, dict(nom=name, service=service, lieu=lieu, date=date, status="En service"),
                              dual_p=0.05)

    def add_simple(self, site: dict, cat: str, catalogue, year: int, service: str, lieu: str,
                   qty: int = 1, comment: str = "", status: str = "En service", type_cat: str | None = None,
                   **extra):
        year = self.clamp_year(catalogue, year)
        m = self.model_for(catalogue, year)
        name, cells = self.base(site, cat, service, lieu, type_cat=type_cat)
        cells.update(fab=m[0], model=m[1], date=self.date(year), qty=str(qty), comment=comment, status=status)
        cells["serial"] = self.serial(m[0], cat) if qty == 1 else ""
        cells.update(extra)
        self.add(**cells)
        return m, name, cells

    def add_phone(self, site, service, lieu, year, qty=1, comment="", field=False):
        if field:
            catalogue = [p for p in SMARTPHONES if p[1] in FIELD_PHONES]
        else:
            catalogue = [p for p in SMARTPHONES if p[1] not in FIELD_PHONES]
        year = self.clamp_year(catalogue, year)
        m = self.model_for(catalogue, year)
        code = site["code"]
        name, cells = self.base(site, "smartphone", service, lieu)
        cells.update(fab=m[0], model=m[1], date=self.date(year), qty=str(qty), comment=comment,
                     os=m[5], osv=self.rng.choice(m[6]))
        cells["serial"] = self.serial(m[0], "smartphone") if qty == 1 else ""
        if self.chance(0.4):
            cells["screen"] = self.fr_screen(code, m[4])
        if m[7] is not None and year >= 2021 and self.chance(0.65):
            cells["repair"] = self.fr_num(m[7])
        if qty == 1 and self.chance(0.4):
            age = 2026 - year
            cells["battery"] = str(max(55, min(100, round(100 - 7 * age + self.rng.gauss(0, 4)))))
        if qty == 1 and (self.chance(0.02) or (year == LAST_YEAR and self.chance(0.15))):
            cells["status"] = "En stock"
        self.lifetime(cells, "smartphone", year)
        self.add(**cells)

    def add_tablet(self, site, service, lieu, year, qty=1, comment="", catalogue=TABLETS):
        year = self.clamp_year(catalogue, year)
        m = self.model_for(catalogue, year)
        code = site["code"]
        name, cells = self.base(site, "tablet", service, lieu)
        cells.update(fab=m[0], model=m[1], date=self.date(year), qty=str(qty), comment=comment,
                     os=m[5], osv=self.rng.choice(m[6]))
        cells["serial"] = self.serial(m[0], "tablet") if qty == 1 else ""
        if self.chance(0.5):
            cells["screen"] = self.fr_screen(code, m[4])
        self.lifetime(cells, "tablet", year)
        self.add(**cells)

    # -------------------------------------------------------------- sites
    def build(self):
        for site in SITES:
            if site["kind"] == "school":
                self.build_school(site)
            else:
                self.build_office(site)
        self.build_datacentre()
        self.build_network_core()
        self.build_displays_and_ups()
        self.build_stock()
        self.rows.sort(key=lambda r: (r["Nom"]))

    def dual_p(self, service: str) -> float:
        return {"Finances": 0.6, "Urbanisme": 0.7, "DSI": 0.9, "RH": 0.5, "Direction générale": 0.4,
                "Police municipale": 0.4}.get(service, 0.3)

    def build_office(self, site: dict):
        code, kind, counts = site["code"], site["kind"], site["counts"]
        big = code in ("HDV", "CTM", "MED", "PM", "CCAS")
        for _ in range(counts.get("desktop", 0)):
            service = self.service_for(site)
            comment = ""
            if code == "MED" and self.chance(0.3):
                comment = "Poste public"
            self.add_desktop(site, service, self.lieu_for(site, service), self.year(kind), comment,
                             dual_p=self.dual_p(service) if kind == "admin" else 0.1)
        for _ in range(counts.get("laptop", 0)):
            service = self.service_for(site)
            comment = "Prêt (pool DSI)" if service == "DSI" and self.chance(0.2) else ""
            self.add_laptop(site, service, self.lieu_for(site, service), self.year(kind), comment=comment,
                            monitor_p=0.5 if kind == "admin" else 0.3)
        for _ in range(counts.get("thin_client", 0)):
            service = self.service_for(site)
            comment = {"MED": "Poste public (accès Internet)", "CCAS": "Poste d'accueil",
                       "CTM": "Atelier"}.get(code, "")
            self.add_thin_client(site, service, self.lieu_for(site, service), comment)
        # Smartphones: field teams get rugged phones, CTM bought one batch as a single row.
        n = counts.get("smartphone", 0)
        if code == "CTM":
            self.add_phone(site, "Services techniques", site["lieu"], 2021, qty=12, field=True,
                           comment="Lot de 12 - flotte des équipes terrain (espaces verts, voirie)")
            n -= 12
        for _ in range(n):
            service = self.service_for(site)
            field = code in ("CTM", "PM") and self.chance(0.6)
            self.add_phone(site, service, self.lieu_for(site, service), self.year("phone"), field=field)
        # Tablets
        n = counts.get("tablet", 0)
        if code == "HDV":
            self.add_tablet(site, "Direction générale", "Hôtel de ville > Salle du conseil", 2021, qty=20,
                            comment="Lot de 20 - tablettes des élus (conseil municipal dématérialisé)",
                            catalogue=[t for t in TABLETS if t[1] == "iPad (9th generation)"])
            n -= 20
        for _ in range(n):
            service = self.service_for(site)
            self.add_tablet(site, service, self.lieu_for(site, service), self.year("tablet"))
        # IP phones: the 2022 migration added one batch row at the town hall.
        n = counts.get("ip_phone", 0)
        if code == "HDV":
            self.add_simple(site, "ip_phone", IP_PHONES, 2022, "DSI", "Hôtel de ville > 2e étage", qty=8,
                            comment="Lot de 8 - bureaux partagés et salles de réunion")
            self.add_simple(site, "ip_phone", IP_PHONES, 2022, "DSI", "Hôtel de ville > 2e étage", qty=5,
                            comment="Stock téléphonie", status="En stock")
            n -= 13
        for _ in range(n):
            service = self.service_for(site)
            self.add_simple(site, "ip_phone", IP_PHONES, self.year("voip"), service, self.lieu_for(site, service))
        self.build_printing(site)
        self.build_site_network(site, big)
        for _ in range(counts.get("projector", 0)):
            lieu = "Hôtel de ville > Salle du conseil" if code == "HDV" else site["lieu"]
            service = "Direction générale" if code == "HDV" else self.service_for(site)
            self.add_projector(site, service, lieu, self.year("other"))

    def build_printing(self, site: dict):
        counts, kind = site["counts"], site["kind"]
        for _ in range(counts.get("printer", 0)):
            service = self.service_for(site)
            lieu = self.lieu_for(site, service)
            self.add_simple(site, "printer", PRINTERS, self.year(kind), service, lieu)
        for _ in range(counts.get("mfp", 0)):
            service = self.service_for(site)
            self.add_simple(site, "mfp", MFPS, self.year(kind), service, self.lieu_for(site, service))
        for _ in range(counts.get("copier", 0)):
            service = self.service_for(site)
            comment = "Location 5 ans (maintenance incluse)" if self.chance(0.5) else ""
            self.add_simple(site, "copier", COPIERS, self.year(kind), service, self.lieu_for(site, service),
                            comment=comment)

    def build_site_network(self, site: dict, big: bool):
        counts, kind = site["counts"], site["kind"]
        lieu = f"{site['lieu']} > Local technique" if big else site["lieu"]
        for _ in range(counts.get("switch", 0)):
            catalogue = SWITCHES_BIG if big else SWITCHES_SMALL
            year = self.year("admin" if big else kind)
            self.add_simple(site, "switch", catalogue, year, "DSI", lieu)
            row = self.rows[-1]
            if self.chance(0.5):
                row["Heures par jour"] = "24"
            if big and self.chance(0.2):  # metered on a PDU outlet
                watts = self.rng.choice([38, 45, 52, 68, 85, 110, 145, 190])
                row["Puissance (W)"] = f"{watts} W" if self.chance(0.5) else str(watts)
                row["Commentaire"] = "Consommation relevée sur la PDU"
        for _ in range(counts.get("wifi_ap", 0)):
            catalogue = ACCESS_POINTS_BIG if big else ACCESS_POINTS_SMALL
            service = "DSI"
            self.add_simple(site, "wifi_ap", catalogue, self.year("wifi"), service, site["lieu"])

    def add_projector(self, site, service, lieu, year, comment=""):
        m, name, cells = self.add_simple(site, "projector", PROJECTORS, year, service, lieu, comment=comment)
        row = self.rows[-1]
        if self.chance(0.3):
            row["Poids"] = f"{self.fr_num(m[4])} kg"
        if self.chance(0.3):
            row["Heures par jour"] = self.rng.choice(["4", "5", "6"])

    def build_school(self, site: dict):
        counts = site["counts"]
        lieu = site["lieu"]
        service = "Éducation"
        elementary = site["level"] == "elementary"
        if elementary:
            # Computer room: a set of old PCs, several given a second life with Linux or ChromeOS Flex.
            room = f"{lieu} > Salle informatique"
            reuse = self.rng.choice([("ChromeOS Flex", "126"), ("Ubuntu", "22.04.5 LTS"), None])
            room_year = self.rng.choice([2012, 2013, 2014, 2015])
            for _ in range(15):
                os_override = reuse if reuse and self.chance(0.9) else None
                self.add_desktop(site, service, room, room_year, "Salle informatique", dual_p=0.0,
                                 os_override=os_override)
            for _ in range(counts["desktop"] - 15):
                self.add_desktop(site, service, lieu, self.year("school"), dual_p=0.0)
            # Mobile classroom: 16 pupils' laptops bought with the 2021 digital plan, as two rows of 8.
            batch_year = self.rng.choice([2021, 2022])
            for _batch in range(2):
                self.add_laptop(site, service, lieu, batch_year, catalogue=SCHOOL_LAPTOPS, qty=8,
                                comment="Classe mobile - lot de 8",
                                os_override=("Windows 11 Pro Education", "23H2"))
            for _ in range(counts["laptop"] - 16):
                self.add_laptop(site, service, lieu, self.year("school"), catalogue=SCHOOL_LAPTOPS + LAPTOPS[:6],
                                comment="Poste enseignant" if self.chance(0.5) else "")
        else:
            for _ in range(counts["desktop"]):
                self.add_desktop(site, service, lieu, self.year("school"), dual_p=0.0)
            for _ in range(counts["laptop"]):
                self.add_laptop(site, service, lieu, self.year("school"), catalogue=SCHOOL_LAPTOPS + LAPTOPS[:6],
                                comment="Poste enseignant" if self.chance(0.5) else "")
        # Tablets: batches of identical tablets, one row per batch.
        remaining = counts["tablet"]
        while remaining > 0:
            qty = min(remaining, self.rng.choice([4, 5, 6, 8, 10, 12]))
            year = self.year("tablet")
            self.add_tablet(site, service, lieu, year, qty=qty, comment=f"Lot de {qty} tablettes (classe)")
            remaining -= qty
        for _ in range(counts["ip_phone"]):
            self.add_simple(site, "ip_phone", IP_PHONES, self.year("voip"), service, lieu,
                            comment="Bureau de la direction" if self.chance(0.5) else "")
        self.build_printing(site)
        for _ in range(counts["switch"]):
            self.add_simple(site, "switch", SWITCHES_SMALL, self.year("school"), "DSI", lieu)
        for _ in range(counts["wifi_ap"]):
            self.add_simple(site, "wifi_ap", ACCESS_POINTS_SMALL, self.year("wifi"), "DSI", lieu)
        for _ in range(counts["projector"]):
            year = self.rng.choices(YEARS, weights=[0, 0, 3, 4, 4, 5, 5, 6, 5, 8, 6, 4, 3, 2], k=1)[0]
            self.add_projector(site, service, lieu, year, comment="Vidéoprojecteur interactif (VPI)")

    # -------------------------------------------------------------- server room
    def build_datacentre(self):
        room = "Hôtel de ville > Salle serveur"
        # name, maker, model, date, CPU, sockets, cores/socket, RAM GB, SSD n, SSD GB, HDD n, HDD GB,
        # PSU n, PSU W, OS, version, average load %, place, service, comment
        servers = [
            ("SRV-PVE01", "Dell", "PowerEdge R750xs", "14/03/2023", "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", 2, 12, 256, 2, 480, 0, 0, 2, 800, "Proxmox VE", "8.4", 34, room, "DSI", "Cluster Proxmox - nœud 1"),
            ("SRV-PVE02", "Dell", "PowerEdge R750xs", "14/03/2023", "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", 2, 12, 256, 2, 480, 0, 0, 2, 800, "Proxmox VE", "8.4", 29, room, "DSI", "Cluster Proxmox - nœud 2"),
            ("SRV-PVE03", "Dell", "PowerEdge R750xs", "14/03/2023", "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", 2, 12, 256, 2, 480, 0, 0, 2, 800, "Proxmox VE", "8.4", 31, room, "DSI", "Cluster Proxmox - nœud 3"),
            ("SRV-PVE04", "Dell", "PowerEdge R6515", "05/06/2024", "AMD EPYC 7313P 16-Core Processor", 1, 16, 128, 2, 960, 0, 0, 2, 750, "Proxmox VE", "8.4", 22, room, "DSI", "Cluster Proxmox - nœud 4"),
            ("SRV-HV01", "HPE", "ProLiant DL380 Gen9", "22/09/2016", "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 2, 8, 128, 0, 0, 6, 1200, 2, 500, "Windows Server 2016 Datacenter", "1607", 18, room, "DSI", "Ancien hôte Hyper-V, VM en cours de migration vers Proxmox"),
            ("SRV-HV02", "HPE", "ProLiant DL380 Gen9", "10/05/2017", "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 2, 8, 128, 0, 0, 6, 1200, 2, 500, "Windows Server 2016 Datacenter", "1607", 12, room, "DSI", "Ancien hôte Hyper-V, VM en cours de migration vers Proxmox"),
            ("SRV-FIC01", "HPE", "ProLiant DL380p Gen8", "18/11/2013", "Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz", 2, 8, 64, 0, 0, 8, 900, 2, 750, "Windows Server 2012 R2 Standard", "6.3", 6, room, "DSI", "Serveur de fichiers historique, hors support - à décommissionner"),
            ("SRV-ERP01", "HPE", "ProLiant DL360 Gen9", "02/04/2015", "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz", 2, 8, 64, 2, 400, 0, 0, 2, 500, "Windows Server 2012 R2 Standard", "6.3", 5, room, "Finances", "Ancien progiciel finances, consultation des archives"),
            ("SRV-AD01", "Dell", "PowerEdge R440", "07/07/2020", "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", 1, 10, 32, 2, 480, 0, 0, 2, 550, "Windows Server 2019 Standard", "1809", 7, room, "DSI", "Contrôleur de domaine"),
            ("SRV-APP01", "HPE", "ProLiant DL360 Gen10", "26/03/2018", "Intel Xeon Gold 6134 3.20 GHz", 2, 8, 192, 4, 960, 0, 0, 2, 800, "Windows Server 2019 Standard", "1809", 26, room, "DSI", "Applications métier (finances, RH, état civil)"),
            ("SRV-SQL01", "Dell", "PowerEdge R640", "15/10/2019", "Intel Xeon Gold 6134 3.20 GHz", 2, 8, 256, 6, 1920, 0, 0, 2, 750, "Windows Server 2016 Standard", "1607", 33, room, "DSI", "Bases de données SQL Server"),
            ("SRV-BKP01", "Dell", "PowerEdge R540", "03/02/2021", "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", 1, 10, 64, 2, 240, 8, 8000, 2, 750, "Windows Server 2022 Standard", "21H2", 15, room, "DSI", "Serveur de sauvegarde"),
            ("SRV-LNX01", "HPE", "ProLiant DL360 Gen10", "11/06/2019", "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz", 1, 8, 64, 2, 480, 0, 0, 2, 500, "Debian GNU/Linux", "12", 9, room, "DSI", "Supervision, proxy, DNS secondaire"),
            ("SRV-WEB01", "Dell", "PowerEdge R450", "20/09/2022", "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", 1, 12, 64, 2, 960, 0, 0, 2, 800, "Ubuntu", "22.04.5 LTS", 11, room, "DSI", "Portail citoyen et GED"),
            ("SRV-TEL01", "Dell", "PowerEdge R350", "08/02/2022", "Intel(R) Xeon(R) E-2334 CPU @ 3.40GHz", 1, 4, 32, 2, 480, 0, 0, 2, 600, "Debian GNU/Linux", "12", 5, room, "DSI", "IPBX (téléphonie IP)"),
            ("SRV-CTM01", "Dell", "PowerEdge T340", "16/12/2019", "Intel(R) Xeon(R) E-2224 CPU @ 3.40GHz", 1, 4, 32, 0, 0, 4, 2000, 2, 495, "Windows Server 2019 Standard", "1809", 8, "Centre technique municipal > Local technique", "Services techniques", "Contrôleur de domaine secondaire, GMAO"),
            ("SRV-VID01", "Dell", "PowerEdge R740xd", "29/06/2020", "Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz", 2, 12, 96, 2, 480, 12, 10000, 2, 1100, "Windows Server 2019 Standard", "1809", 40, "Poste de police municipale", "Police municipale", "Enregistrement de la vidéoprotection"),
        ]
        for (name, maker, model, date, cpu, sockets, cores, ram, ssd_n, ssd_gb, hdd_n, hdd_gb, psu_n, psu_w,
             os_name, os_ver, load, lieu, service, comment) in servers:
            cells = dict(nom=name, type=self.type_label("HDV", "server"), fab=self.maker(maker, "server"),
                         model=model, serial=self.serial(maker, "server"), lieu=lieu, service=service, date=date,
                         os=os_name, osv=os_ver, cpu=cpu, ncpu=str(sockets), cores=str(cores),
                         ram=self.fr_size(ram), psu_n=str(psu_n), psu_w=f"{psu_w} W", hours="24",
                         load=str(load), host=f"{name.lower()}.{DOMAIN}", comment=comment)
            if ssd_n:
                cells["ssd_n"], cells["ssd_cap"] = str(ssd_n), self.fr_size(ssd_gb)
            if hdd_n:
                cells["hdd_n"], cells["hdd_cap"] = str(hdd_n), self.fr_size(hdd_gb)
            if self.chance(0.5):
                cells["lifetime"] = str(LIFETIME_POLICY["server"])
            self.add(**cells)

        # Storage
        storage = [
            ("HDV-NAS-0001", "nas", "Synology", "RackStation RS1221+", "12/04/2021", 0, 0, 8, 8000, 1, 250, room, "Cible de sauvegarde (copie 1)"),
            ("CTM-NAS-0001", "nas", "Synology", "DiskStation DS1621+", "30/11/2022", 0, 0, 6, 4000, 1, 250, "Centre technique municipal > Local technique", "Copie de sauvegarde hors site"),
            ("HDV-SAN-0001", "san", "Dell", "PowerVault ME5012", "14/03/2023", 6, 1920, 6, 4000, 2, 580, room, "Stockage partagé du cluster Proxmox"),
        ]
        for name, cat, maker, model, date, ssd_n, ssd_gb, hdd_n, hdd_gb, psu_n, psu_w, lieu, comment in storage:
            cells = dict(nom=name, type=self.type_label("HDV", cat), fab=maker, model=model,
                         serial=self.serial(maker, cat), lieu=lieu, service="DSI", date=date, hours="24",
                         hdd_n=str(hdd_n), hdd_cap=self.fr_size(hdd_gb), psu_n=str(psu_n), psu_w=f"{psu_w} W",
                         comment=comment)
            if ssd_n:
                cells["ssd_n"], cells["ssd_cap"] = str(ssd_n), self.fr_size(ssd_gb)
            if maker == "Synology":
                cells["os"], cells["osv"] = "DSM", "7.2"
                cells["power"] = "96 W" if model.startswith("Rack") else "71"
            self.add(**cells)

        # Firewalls (HA pair)
        for i in (1, 2):
            self.add(nom=f"HDV-FW-000{i}", type=self.type_label("HDV", "firewall"), fab="Fortinet",
                     model="FortiGate 100F", serial=self.serial("Fortinet", "firewall"), lieu=room, service="DSI",
                     date="09/02/2021", os="FortiOS", osv="7.2.8", hours="24", psu_n="2",
                     host=f"fw0{i}.{DOMAIN}", comment="Cluster HA actif/passif")

    def build_network_core(self):
        room = "Hôtel de ville > Salle serveur"
        for _ in (1, 2):
            name = self.next_name("HDV", "switch")
            self.add(nom=name, type=self.type_label("HDV", "switch"), fab="HPE Aruba",
                     model="CX 6300M 24SFP+ 4SFP56 (JL658A)", serial=self.serial("HPE Aruba", "switch"), lieu=room,
                     service="DSI", date="14/03/2023", os="ArubaOS-CX", osv="10.13", hours="24", psu_n="2",
                     power=str(self.rng.choice([118, 124, 131])), comment="Cœur de réseau (VSX)")
        routers = [
            ("HDV", "Cisco", "ISR 4331", "12/06/2018", room, "Lien fibre principal"),
            ("CTM", "Cisco", "ISR 1111-4P", "03/03/2020", "Centre technique municipal > Local technique", ""),
            ("MED", "Cisco", "ISR 1111-4P", "03/03/2020", "Médiathèque de la Sobre > Local technique", ""),
            ("PM", "Cisco", "ISR 1111-8P", "17/09/2020", "Poste de police municipale > Local technique", ""),
            ("CCAS", "Cisco", "ISR 1111-4P", "25/01/2021", "Maison des solidarités (CCAS) > Local technique", ""),
        ]
        for code, maker, model, date, lieu, comment in routers:
            name = self.next_name(code, "router")
            self.add(nom=name, type=self.type_label(code, "router"), fab=maker, model=model,
                     serial=self.serial(maker, "router"), lieu=lieu, service="DSI", date=date, os="IOS XE",
                     osv="17.9.5", hours="24", comment=comment)

    def build_displays_and_ups(self):
        displays = [
            ("HDV", "Hôtel de ville > Rez-de-chaussée", "Direction générale", "Samsung", "QM55R", "18/11/2020", 55, "Affichage accueil"),
            ("HDV", "Hôtel de ville > Salle du conseil", "Direction générale", "Samsung", "QB65B", "07/10/2023", 65, "Salle du conseil"),
            ("MAP", "Mairie annexe des Prés", "État civil", "Samsung", "QB43B", "21/03/2023", 43, "Affichage accueil"),
            ("MED", "Médiathèque de la Sobre", "Culture", "LG", "55UH5F-H", "14/05/2019", 55, "Programme des animations"),
            ("MED", "Médiathèque de la Sobre", "Culture", "Samsung", "QB43B", "02/09/2024", 43, ""),
            ("CONS", "Conservatoire municipal", "Culture", "LG", "49UH5F-H", "11/10/2019", 49, ""),
            ("PM", "Poste de police municipale", "Police municipale", "Samsung", "QM55R", "29/06/2020", 55, "Mur d'images du CSU"),
            ("PM", "Poste de police municipale", "Police municipale", "Samsung", "QM55R", "29/06/2020", 55, "Mur d'images du CSU"),
            ("CCAS", "Maison des solidarités (CCAS)", "CCAS", "Samsung", "QB43B", "16/01/2024", 43, "Affichage salle d'attente"),
            ("PIS", "Piscine municipale", "Sports", "LG", "49UH5F-H", "23/04/2018", 49, "Horaires et tarifs"),
        ]
        for code, lieu, service, maker, model, date, size, comment in displays:
            name = self.next_name(code, "tv")
            hours = "24" if "CSU" in comment else self.rng.choice(["10", "12", ""])
            self.add(nom=name, type=self.type_label(code, "tv"), fab=maker, model=model,
                     serial=self.serial(maker, "tv"), lieu=lieu, service=service, date=date,
                     screen=self.fr_screen(code, size), hours=hours, comment=comment)
        ups = [
            ("HDV", "Hôtel de ville > Salle serveur", "APC", "Smart-UPS SRT 3000VA RM (SRT3000RMXLI)", "06/07/2020", "3000 VA / 2700 W, baie A"),
            ("HDV", "Hôtel de ville > Salle serveur", "APC", "Smart-UPS SRT 3000VA RM (SRT3000RMXLI)", "06/07/2020", "3000 VA / 2700 W, baie B"),
            ("HDV", "Hôtel de ville > Salle serveur", "Eaton", "9PX 3000i RT2U", "14/03/2023", "Baie stockage"),
            ("HDV", "Hôtel de ville > Local technique", "Eaton", "5P 1550i Rack 1U", "18/06/2019", ""),
            ("CTM", "Centre technique municipal > Local technique", "APC", "Smart-UPS 1500VA (SMT1500RMI2U)", "12/12/2018", ""),
            ("PM", "Poste de police municipale", "APC", "Smart-UPS 1500VA (SMT1500RMI2U)", "29/06/2020", "Protège le serveur vidéo"),
            ("MED", "Médiathèque de la Sobre > Local technique", "Eaton", "5SC 1000i", "08/04/2021", ""),
            ("CCAS", "Maison des solidarités (CCAS)", "APC", "Back-UPS Pro 1500 (BR1500GI)", "19/09/2017", "Batterie à remplacer"),
        ]
        for code, lieu, maker, model, date, comment in ups:
            name = self.next_name(code, "ups")
            self.add(nom=name, type=self.type_label(code, "ups"), fab=maker, model=model,
                     serial=self.serial(maker, "ups"), lieu=lieu, service="DSI", date=date, hours="24",
                     comment=comment)

    def build_stock(self):
        """Spare screens waiting at the IT department."""
        for model, year, qty in ((MONITORS[10], 2025, 6), (MONITORS[11], 2024, 4)):
            name = self.next_name("HDV", "monitor")
            self.add(nom=name, type=self.type_label("HDV", "monitor"), fab=model[0], model=model[1],
                     lieu="Hôtel de ville > 2e étage", service="DSI", date=self.date(year), qty=str(qty),
                     screen=self.fr_screen("HDV", model[4]), status="En stock",
                     comment=f"Stock DSI - lot de {qty} écrans neufs")


COLUMN_KEYS = {
    "nom": "Nom", "type": "Type", "fab": "Fabricant", "model": "Modèle", "serial": "Numéro de série",
    "lieu": "Lieu", "service": "Service", "date": "Date d'achat", "qty": "Quantité",
    "os": "Système d'exploitation", "osv": "Version du système", "cpu": "Processeur",
    "ncpu": "Nombre de processeurs", "cores": "Cœurs", "ram": "Mémoire", "ssd_n": "Disques SSD",
    "ssd_cap": "Capacité SSD", "hdd_n": "Disques durs", "hdd_cap": "Capacité HDD", "psu_n": "Alimentations",
    "psu_w": "Puissance alimentation", "screen": "Taille d'écran", "weight": "Poids", "lifetime": "Durée de vie",
    "hours": "Heures par jour", "load": "Charge moyenne (%)", "power": "Puissance (W)",
    "repair": "Indice de réparabilité", "battery": "Santé batterie (%)", "host": "Nom d'hôte",
    "country": "Pays", "status": "Statut", "comment": "Commentaire",
}
assert sorted(COLUMN_KEYS.values()) == sorted(FR_HEADERS)


# --------------------------------------------------------------------------------------------
# Small English inventory with canonical headers (fixed rows).
# --------------------------------------------------------------------------------------------
EN_HEADERS = [
    "id", "name", "category", "manufacturer", "model", "quantity", "site", "department", "country",
    "purchase_date", "lifetime_years", "screen_size_in", "cpu_model", "cpu_count", "ram_gb", "ssd_count",
    "ssd_gb", "hdd_count", "hdd_gb", "psu_count", "psu_rating_w", "avg_load_pct", "hours_per_day",
    "power_w", "os", "os_version", "repairability_index", "battery_health_pct", "hostname",
]

# Columns: id, name, category, manufacturer, model, quantity, site, department, country, purchase_date,
# lifetime_years, screen_size_in, cpu_model, cpu_count, ram_gb, ssd_count, ssd_gb, hdd_count, hdd_gb,
# psu_count, psu_rating_w, avg_load_pct, hours_per_day, power_w, os, os_version, repairability_index,
# battery_health_pct, hostname
EN_ROWS = [
    ("srv-01", "Hypervisor 1", "server", "Dell", "PowerEdge R740", 1, "Lyon head office", "IT", "FR", "2019-06-12", 7, "", "Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz", 2, 192, 4, 960, 0, "", 2, 750, 30, 24, "", "Proxmox VE", "8.4", "", "", "srv-01"),
    ("srv-02", "Database server", "server", "HPE", "ProLiant DL360 Gen10", 1, "Lyon head office", "IT", "FR", "2020-03-02", 7, "", "Intel Xeon Gold 6134 3.20 GHz", 2, 128, 2, 480, "", "", 2, 800, 15, 24, "", "Windows Server", "2019", "", "", "srv-02"),
    ("srv-03", "Branch server", "server", "Dell", "PowerEdge T340", 1, "Brussels office", "IT", "BE", "2019-11-20", 6, "", "Intel(R) Xeon(R) E-2224 CPU @ 3.40GHz", 1, 32, 0, "", 4, 2000, 2, 495, 8, 24, "", "Windows Server", "2019", "", "", "srv-be-01"),
    ("nas-01", "Backup NAS", "storage", "Synology", "RackStation RS1221+", 1, "Lyon head office", "IT", "FR", "2021-04-12", 7, "", "", "", "", 0, "", 8, 8000, 1, 250, "", 24, 96, "DSM", "7.2", "", "", "nas-01"),
    ("dt-001", "Office desktops 2022", "desktop", "Dell", "OptiPlex 7000", 12, "Lyon head office", "Finance", "FR", "2022-09-15", 6, "", "12th Gen Intel(R) Core(TM) i5-12500", 1, 16, 1, 512, "", "", 1, 260, "", 9, "", "Windows 11 Pro", "24H2", "", "", ""),
    ("dt-002", "Office desktops 2018", "desktop", "HP", "EliteDesk 800 G4 SFF", 8, "Lyon head office", "Sales", "FR", "2018-10-03", 6, "", "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", 1, 8, 1, 256, "", "", 1, 180, "", 9, "", "Windows 10 Pro", "22H2", "", "", ""),
    ("dt-003", "Cologne desktops", "desktop", "Lenovo", "ThinkCentre M70q Gen 4", 4, "Cologne office", "Sales", "DE", "2024-02-05", 6, "", "13th Gen Intel(R) Core(TM) i5-13400T", 1, 16, 1, 512, "", "", "", "", "", 8, "", "Windows 11 Pro", "24H2", "", "", ""),
    ("lt-001", "Staff laptops 2023", "laptop", "Dell", "Latitude 5440", 15, "Lyon head office", "Operations", "FR", "2023-04-11", 5, 14, "13th Gen Intel(R) Core(TM) i5-1345U", 1, 16, 1, 512, "", "", "", "", "", 8, "", "Windows 11 Pro", "24H2", 8.1, 93, ""),
    ("lt-002", "Brussels laptops", "laptop", "Lenovo", "ThinkPad T14 Gen 5", 6, "Brussels office", "Sales", "BE", "2024-06-20", 5, 14, "Intel(R) Core(TM) Ultra 5 125U", 1, 16, 1, 512, "", "", "", "", "", 8, "", "Windows 11 Pro", "24H2", "", 97, ""),
    ("lt-003", "Old laptops", "laptop", "HP", "ProBook 450 G5", 3, "Lyon head office", "Operations", "FR", "2018-03-14", 5, 15.6, "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 1, 8, 1, 256, "", "", "", "", "", 8, "", "Windows 10 Pro", "22H2", "", 71, ""),
    ("tc-001", "Call-centre thin clients", "thin_client", "Dell", "Wyse 5070", 10, "Lyon head office", "Customer service", "FR", "2020-01-28", 7, "", "Intel(R) Celeron(R) J4105 CPU @ 1.50GHz", 1, 4, "", "", "", "", "", "", "", 9, "", "Dell ThinOS", "9.1", "", "", ""),
    ("tab-001", "Warehouse tablets", "tablet", "Apple", "iPad (9th generation)", 5, "Lyon warehouse", "Logistics", "FR", "2022-05-09", 5, 10.2, "", "", "", "", "", "", "", "", "", "", 10, "", "iPadOS", "18.6", "", "", ""),
    ("sp-001", "Staff smartphones", "smartphone", "Fairphone", "Fairphone 5", 6, "Lyon head office", "Operations", "FR", "2024-01-22", 4, 6.46, "", "", "", "", "", "", "", "", "", "", "", "", "Android", "15", 9.3, 98, ""),
    ("mon-001", "Standard monitors", "monitor", "Dell", "P2423D", 20, "Lyon head office", "Finance", "FR", "2023-05-17", 8, 23.8, "", "", "", "", "", "", "", "", "", "", 9, "", "", "", "", "", ""),
    ("mon-002", "Wide monitors", "monitor", "iiyama", "ProLite XUB2792QSU-B5", 6, "Lyon head office", "Design", "FR", "2022-02-08", 8, 27, "", "", "", "", "", "", "", "", "", "", 9, "", "", "", "", "", ""),
    ("prn-001", "Floor printers", "printer", "HP", "LaserJet Pro M404dn", 3, "Lyon head office", "IT", "FR", "2020-06-30", 7, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""),
    ("mfp-001", "Copiers", "mfp", "Ricoh", "IM C3000", 2, "Lyon head office", "IT", "FR", "2021-09-01", 5, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""),
    ("sw-001", "Access switches", "network_switch", "Cisco", "Catalyst 9200L-48P-4G", 3, "Lyon head office", "IT", "FR", "2021-03-15", 10, "", "", "", "", "", "", "", "", "", "", "", 24, 120, "", "", "", "", ""),
    ("rt-001", "WAN router", "router", "Cisco", "ISR 4331", 1, "Lyon head office", "IT", "FR", "2018-06-12", 8, "", "", "", "", "", "", "", "", "", "", "", 24, "", "IOS XE", "17.9.5", "", "", "rt-01"),
    ("ap-001", "Wi-Fi access points", "wifi_ap", "HPE Aruba", "AP-505", 8, "Lyon head office", "IT", "FR", "2022-11-03", 8, "", "", "", "", "", "", "", "", "", "", "", 24, "", "", "", "", "", ""),
    ("fw-001", "Branch firewall", "firewall", "Fortinet", "FortiGate 60F", 1, "Cologne office", "IT", "DE", "2021-07-19", 7, "", "", "", "", "", "", "", "", "", "", "", 24, "", "FortiOS", "7.2.8", "", "", "fw-de-01"),
    ("ph-001", "Desk phones", "ip_phone", "Yealink", "SIP-T46U", 25, "Lyon head office", "Operations", "FR", "2021-02-01", 8, "", "", "", "", "", "", "", "", "", "", "", 24, "", "", "", "", "", ""),
    ("vp-001", "Meeting-room projectors", "projector", "Epson", "EB-695Wi", 2, "Lyon head office", "Operations", "FR", "2018-09-10", 8, "", "", "", "", "", "", "", "", "", "", "", 4, "", "", "", "", "", ""),
    ("tv-001", "Lobby display", "tv", "Samsung", "QM55R", 1, "Lyon head office", "Communication", "FR", "2020-11-18", 8, 55, "", "", "", "", "", "", "", "", "", "", 12, "", "", "", "", "", ""),
    ("ups-001", "Server-room UPS", "ups", "APC", "Smart-UPS SRT 3000VA RM", 1, "Lyon head office", "IT", "FR", "2020-07-06", 8, "", "", "", "", "", "", "", "", "", "", "", 24, "", "", "", "", "", ""),
]
assert all(len(r) == len(EN_HEADERS) for r in EN_ROWS)


def write_french(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(FR_HEADERS)
        for row in rows:
            writer.writerow([row[h] for h in FR_HEADERS])


def write_english(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(EN_HEADERS)
        for row in EN_ROWS:
            writer.writerow(["" if v is None else v for v in row])


def main() -> None:
    town = Town(SEED)
    town.build()
    write_french(town.rows, FRENCH_CSV)
    write_english(ENGLISH_CSV)
    total = sum(int(r["Quantité"]) for r in town.rows)
    print(f"{FRENCH_CSV.relative_to(HERE.parent)}: {len(town.rows)} rows, {total} units")
    print(f"{ENGLISH_CSV.relative_to(HERE.parent)}: {len(EN_ROWS)} rows")


if __name__ == "__main__":
    main()
