"""Bundled end-of-support lookups: an OS as inventories write it -> its release and end of support;
a CPU name -> whether Microsoft lists it for Windows 11.

Data: ``factors/data/eol-cycles.csv`` (endoflife.date, MIT) and ``eol-win11-cpus.csv``
(Microsoft's lists as transcribed by WhyNotWin11, LGPL-3.0); see ``factors/data/eol.md``.

Parsing handles real spellings, in the ``os`` column alone or with ``os_version``:
``"Windows 10 Pro 22H2"``, ``"Microsoft Windows 11 Professionnel"`` + ``"24H2"``,
``"Windows Server 2012 R2 Standard"``, ``"Debian GNU/Linux 12 (bookworm)"``,
``"Ubuntu 22.04.4 LTS"``, ``"Proxmox VE 8.4"``, ``"iPadOS 17"``, ``"Android 13"``, Windows build
numbers (``10.0.19045``). Work is done once per distinct (os, version) pair and per distinct CPU
name (:func:`pandas.factorize`), so a million rows cost little.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from auditor.scoring.common import text_codes
from factors.cpus import cpu_key
from factors.tables import DATA_DIR

CYCLES_FILE = "eol-cycles.csv"
CPUS_FILE = "eol-win11-cpus.csv"

#: How each endoflife.date product is named in reasons.
PRODUCT_NAMES: dict[str, str] = {
    "windows": "Windows", "windows-server": "Windows Server", "windows-embedded": "Windows Embedded",
    "ubuntu": "Ubuntu", "debian": "Debian", "rhel": "Red Hat Enterprise Linux", "sles": "SUSE Linux Enterprise Server",
    "almalinux": "AlmaLinux", "rocky-linux": "Rocky Linux", "centos": "CentOS", "centos-stream": "CentOS Stream",
    "fedora": "Fedora", "opensuse": "openSUSE", "linuxmint": "Linux Mint", "alpine-linux": "Alpine Linux",
    "freebsd": "FreeBSD", "proxmox-ve": "Proxmox VE", "vmware-esxi": "VMware ESXi", "macos": "macOS",
    "ios": "iOS", "ipados": "iPadOS", "android": "Android", "cisco-ios-xe": "Cisco IOS XE",
    "fortios": "FortiOS", "pan-os": "PAN-OS", "routeros": "RouterOS",
}
#: Words that identify a product (folded text), most specific first.
_PRODUCT_WORDS: tuple[tuple[str, str], ...] = (
    ("proxmox", "proxmox-ve"), ("esxi", "vmware-esxi"), ("vmware", "vmware-esxi"),
    ("ubuntu", "ubuntu"), ("debian", "debian"), ("red hat", "rhel"), ("redhat", "rhel"), ("rhel", "rhel"),
    ("centos stream", "centos-stream"), ("centos", "centos"), ("rocky", "rocky-linux"),
    ("almalinux", "almalinux"), ("alma linux", "almalinux"), ("suse linux enterprise", "sles"),
    ("sles", "sles"), ("opensuse", "opensuse"), ("fedora", "fedora"), ("linux mint", "linuxmint"),
    ("linuxmint", "linuxmint"), ("alpine", "alpine-linux"), ("freebsd", "freebsd"),
    ("ipados", "ipados"), ("ios xe", "cisco-ios-xe"), ("ios-xe", "cisco-ios-xe"), ("iosxe", "cisco-ios-xe"),
    ("iphone os", "ios"), ("ios", "ios"), ("macos", "macos"), ("mac os", "macos"), ("os x", "macos"),
    ("android", "android"), ("fortios", "fortios"), ("pan-os", "pan-os"), ("panos", "pan-os"),
    ("routeros", "routeros"),
)
#: Products whose next release needs the device maker's support (the model may be left behind).
DEVICE_BOUND = frozenset({"ios", "ipados", "android", "macos"})
#: Windows client editions whose LTSC name gives the release (Microsoft lifecycle pages).
_LTSC_YEARS = {"2015": "1507", "2016": "1607", "2019": "1809", "2021": "21h2", "2024": "24h2"}
_WIN_OLD = {"7": "7-sp1", "8.1": "8.1", "8": "8", "xp": "5-sp3", "vista": "6-sp2"}
_WIN_SERVER_CYCLES = {"2008r2": "2008-r2-sp1", "2008": "2008-sp2", "2003": "2003-sp2", "2003r2": "2003-sp2",
                      "2012r2": "2012-r2"}
_WIN_SERVER = re.compile(r"windows\s*server\s*(\d{4})(\s*r2)?")
_WIN_CLIENT = re.compile(r"windows\s*(11|10|8\.1|8|7|xp|vista)\b")
_FEATURE = re.compile(r"\b(\d{2}h\d)\b")
_YYMM = re.compile(r"\b(1507|1511|1607|1703|1709|1803|1809|1903|1909|2004)\b")
_BUILD = re.compile(r"(?:\b10\.0\.|\bbuild\s*)(\d{5})\b|^(\d{5})(?:\.\d+)?$")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_SERVICE_PACK = re.compile(r"(\d+)\s*sp\s*(\d+)")


@dataclass(frozen=True)
class OsRelease:
    """One OS release as found in the end-of-support snapshot.

    Attributes
    ----------
    product
        endoflife.date product (``windows``, ``debian``...); None when the OS is not in the snapshot.
    cycle
        Release cycle id (``10-22h2``, ``2012-r2``, ``12``); None when the version is unknown.
    name
        Human name for reasons (``Windows 10 22H2``, ``Debian 12``, or the inventory text).
    eol
        End of security support; None when no date is published.
    ended
        Whether security support ended at the reference date (True/False), None when unknown.
    eoes
        End of paid extended support (Windows 10 ESU...), else None.
    version_assumed
        The inventory gave no version: the latest release of that edition was assumed.
    successor
        How a supported release can be reached: ``same-product`` (a free update on the same
        hardware), ``win11`` (Windows 10 or older: depends on Windows 11 eligibility), ``device``
        (phones, tablets, Macs: depends on the device model), ``""`` when unknown.
    """

    product: str | None
    cycle: str | None
    name: str
    eol: date | None
    ended: bool | None
    eoes: date | None
    version_assumed: bool = False
    successor: str = ""

    @property
    def is_windows_client(self) -> bool:
        return self.product == "windows"

    @property
    def windows_major(self) -> str | None:
        if self.product == "windows" and self.cycle:
            return self.cycle.split("-")[0]
        return None


def fold(text: object) -> str:
    """Lower case, no accents, single spaces."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.casefold().replace("_", " ")).strip()


@lru_cache(maxsize=1)
def cycles() -> dict[str, list[dict[str, str]]]:
    """Release cycles per product, as in the snapshot (text values)."""
    frame = pd.read_csv(DATA_DIR / CYCLES_FILE, dtype=str, keep_default_na=False)
    out: dict[str, list[dict[str, str]]] = {}
    for record in frame.to_dict("records"):
        out.setdefault(record["product"], []).append(record)
    return out


@lru_cache(maxsize=1)
def _cycle_index() -> dict[tuple[str, str], dict[str, str]]:
    return {(p, r["cycle"].lower()): r for p, rows in cycles().items() for r in rows}


@lru_cache(maxsize=1)
def _windows_builds() -> dict[str, tuple[str, str]]:
    """Windows build number -> (major, feature-update token), from the ``latest`` column."""
    out: dict[str, tuple[str, str]] = {}
    for r in cycles().get("windows", []):
        parts = r["latest"].split(".")
        major, _, rest = r["cycle"].partition("-")
        if len(parts) >= 3 and major in ("10", "11") and rest:
            out.setdefault(parts[2], (major, rest.split("-")[0]))
    return out


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _release(product: str, record: dict[str, str], today: date, *, assumed: bool = False,
             successor: str = "") -> OsRelease:
    eol_text = record["eol"].strip().lower()
    eol = _date(eol_text)
    if eol is not None:
        ended: bool | None = today > eol
    elif eol_text == "true":
        ended = True
    elif eol_text == "false":
        ended = False
    else:
        ended = None
    label = record["label"] or record["cycle"]
    if "__RELEASE_CYCLE__" in label or "__CODENAME__" in label:
        label = record["cycle"]
    label = label.replace(" (W)", " Home/Pro").replace(" (E)", " Enterprise/Education")
    name = f"{PRODUCT_NAMES.get(product, product)} {label}"
    if product == "windows-server" and label.lower().startswith("windows server"):
        name = label
    return OsRelease(product, record["cycle"], name, eol, ended, _date(record["eoes"]), assumed, successor)


def _released(record: dict[str, str], today: date) -> bool:
    released = _date(record["release_date"])
    return released is None or released <= today


#: Products whose ``eoes`` column is free long-term support (Debian LTS), counted as support.
FREE_LTS_PRODUCTS = frozenset({"debian"})


def free_support_end(product: str, record: dict[str, str]) -> date | None:
    """End of free security support of a release: ``eol``, or the free LTS end (Debian LTS)."""
    if product in FREE_LTS_PRODUCTS and _date(record["eoes"]) is not None:
        return _date(record["eoes"])
    return _date(record["eol"])


def supported_at(product: str, record: dict[str, str], today: date) -> bool:
    """Whether a release is out and has free security support at ``today``."""
    end = free_support_end(product, record)
    return _released(record, today) and (record["eol"].lower() == "false" or (end is not None and end >= today))


def _has_supported(product: str, today: date, prefix: str = "") -> bool:
    return any(supported_at(product, r, today) for r in cycles().get(product, [])
               if not prefix or r["cycle"].startswith(prefix))


def _windows_edition(text: str) -> str:
    if "iot" in text and ("ltsc" in text or "ltsb" in text):
        return "iot-lts"
    if "ltsc" in text or "ltsb" in text:
        return "e-lts"
    if "enterprise" in text or "entreprise" in text or ("education" in text and "pro education" not in text):
        return "e"
    return "w"


def _windows_suffixes(edition: str) -> tuple[str, ...]:
    return {"iot-lts": ("-iot-lts", "-e-lts", "-iot", ""), "e-lts": ("-e-lts", "-e", ""),
            "e": ("-e", ""), "w": ("-w", "")}[edition]


def _parse_windows(text: str, version: str, today: date) -> OsRelease | None:
    both = f"{text} {version}".strip()
    server = _WIN_SERVER.search(text) or _WIN_SERVER.search(both)
    index = _cycle_index()
    if server:
        year, r2 = server.group(1), bool(server.group(2))
        cycle = _WIN_SERVER_CYCLES.get(year + ("r2" if r2 else ""), year)
        record = index.get(("windows-server", cycle))
        if record is None:
            return OsRelease("windows-server", None, f"Windows Server {year}{' R2' if r2 else ''}",
                             None, None, None, successor="same-product")
        return _release("windows-server", record, today, successor="same-product")
    client = _WIN_CLIENT.search(text)
    build = _BUILD.search(version) or _BUILD.search(text)
    build_info = _windows_builds().get(build.group(1) or build.group(2)) if build else None
    if client is None and build_info is None:
        return None
    major = client.group(1) if client else build_info[0]
    if build_info is not None:
        major = build_info[0]  # the build number is more reliable than the product name
    if major in _WIN_OLD:
        record = index.get(("windows", _WIN_OLD[major]))
        return _release("windows", record, today, successor="win11") if record else None
    edition = _windows_edition(both)
    token = None
    feature = _FEATURE.search(version) or _FEATURE.search(text)
    yymm = _YYMM.search(version) or _YYMM.search(text)
    if build_info is not None:
        token = build_info[1]
    elif feature:
        token = feature.group(1)
    elif yymm:
        token = yymm.group(1)
    elif edition in ("e-lts", "iot-lts"):
        ltsc_year = re.search(r"\b(2015|2016|2019|2021|2024)\b", both)
        token = _LTSC_YEARS.get(ltsc_year.group(1)) if ltsc_year else None
    successor = "same-product" if major == "11" else "win11"
    if token is not None:
        for suffix in _windows_suffixes(edition):
            record = index.get(("windows", f"{major}-{token}{suffix}"))
            if record is not None:
                return _release("windows", record, today, successor=successor)
        for (product, cycle), record in index.items():
            if product == "windows" and cycle.startswith(f"{major}-{token}"):
                return _release("windows", record, today, successor=successor)
    # version unknown: the latest release of that edition available at the reference date
    suffixes = _windows_suffixes(edition)
    best = None
    for record in cycles().get("windows", []):
        cycle = record["cycle"].lower()
        if not cycle.startswith(f"{major}-") or not _released(record, today):
            continue
        rest = cycle[len(major) + 1:]
        suffix = rest[rest.index("-"):] if "-" in rest else ""
        if suffix not in suffixes:
            continue
        if best is None or record["release_date"] > best["release_date"]:
            best = record
    if best is None:
        return None
    return _release("windows", best, today, assumed=True, successor=successor)


def _version_candidates(text: str) -> list[str]:
    out: list[str] = []
    for a, b in _SERVICE_PACK.findall(text):
        out.append(f"{a}.{b}")
    for number in _NUMBER.findall(text):
        parts = number.split(".")
        for k in range(len(parts), 0, -1):
            out.append(".".join(parts[:k]))
    return out


def _parse_other(text: str, version: str, today: date) -> OsRelease | None:
    product = next((p for word, p in _PRODUCT_WORDS if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text)), None)
    if product is None:
        return None
    index = _cycle_index()
    successor = "device" if product in DEVICE_BOUND else "same-product"
    for candidate in [*_version_candidates(version), *_version_candidates(text)]:
        record = index.get((product, candidate.lower()))
        if record is None and "." in candidate and candidate.endswith(".0"):
            record = index.get((product, candidate[:-2]))
        if record is not None:
            return _release(product, record, today, successor=successor)
    both = f"{text} {version}"
    for record in cycles().get(product, []):
        codename = fold(record["codename"]).split(" ")[0] if record["codename"] else ""
        if codename and re.search(rf"\b{re.escape(codename)}\b", both):
            return _release(product, record, today, successor=successor)
    return OsRelease(product, None, PRODUCT_NAMES.get(product, product), None, None, None, successor=successor)


@lru_cache(maxsize=4096)
def parse_os(os_text: str, version_text: str, today: date) -> OsRelease | None:
    """The release an inventory's OS name and version stand for; None when there is no OS text.

    Parameters
    ----------
    os_text, version_text
        The ``os`` and ``os_version`` cells (either may be empty).
    today
        Reference date (which releases are out, which have ended).
    """
    text, version = fold(os_text), fold(version_text)
    if not text and not version:
        return None
    found = _parse_windows(text, version, today) if ("windows" in text or _BUILD.search(version)) else None
    if found is None:
        found = _parse_other(text, version, today)
    if found is None:
        shown = str(os_text).strip() or str(version_text).strip()
        return OsRelease(None, None, shown, None, None, None)
    if found.successor == "same-product" and found.ended:
        prefix = f"{found.windows_major}-" if found.product == "windows" else ""
        if not _has_supported(found.product, today, prefix):
            found = OsRelease(found.product, found.cycle, found.name, found.eol, found.ended, found.eoes,
                              found.version_assumed, "")
    return found


@dataclass
class OsTable:
    """Per-row index into ``releases`` (-1 where the row has no OS text)."""

    index: np.ndarray
    releases: list[OsRelease]


def os_table(table: pd.DataFrame, today: date) -> OsTable:
    """Parse the ``os``/``os_version`` columns once per distinct pair."""
    n = len(table)
    os_codes, os_values = text_codes(table.get("os"), n)
    v_codes, v_values = text_codes(table.get("os_version"), n)
    pair = (os_codes + 1) * (len(v_values) + 1) + (v_codes + 1)
    pair_codes, pair_uniques = pd.factorize(pair)
    releases: list[OsRelease] = []
    index_of_pair = np.full(len(pair_uniques), -1, dtype=np.int64)
    for k, key in enumerate(pair_uniques):
        o, v = divmod(int(key), len(v_values) + 1)
        os_text = os_values[o - 1] if o > 0 else ""
        version = v_values[v - 1] if v > 0 else ""
        release = parse_os(str(os_text), str(version), today)
        if release is not None:
            index_of_pair[k] = len(releases)
            releases.append(release)
    return OsTable(index_of_pair[pair_codes], releases)


def _loose(key: str) -> str:
    return key.replace("-", " ")


@lru_cache(maxsize=1)
def win11_cpu_keys() -> tuple[frozenset[str], tuple[str, ...], str]:
    """(matching keys, loose keys sorted longest first, list version) of Microsoft's lists."""
    frame = pd.read_csv(DATA_DIR / CPUS_FILE, dtype=str, keep_default_na=False)
    keys = {cpu_key(name) for name in frame["name"]} - {""}
    loose = sorted({_loose(k) for k in keys}, key=len, reverse=True)
    return frozenset(keys | set(loose)), tuple(loose), str(frame["list_version"].iloc[0])


@lru_cache(maxsize=16384)
def win11_cpu_supported(name: str) -> bool | None:
    """Whether Microsoft lists the CPU for Windows 11; None when the name is empty.

    Both sides go through :func:`factors.cpus.cpu_key`; hyphens count as spaces
    (``Core(TM) Ultra 5-125U`` in the list, ``Core Ultra 5 125U`` in WMI), and trailing words the
    list does not carry (``... R1505G with Radeon Vega Gfx``) are allowed.
    """
    key = cpu_key(name)
    if not key:
        return None
    exact, loose, _ = win11_cpu_keys()
    if key in exact or _loose(key) in exact:
        return True
    lk = _loose(key)
    return any(lk.startswith(candidate + " ") for candidate in loose)


def win11_cpu_column(table: pd.DataFrame) -> np.ndarray:
    """Per row: 1.0 listed, 0.0 not listed, NaN unknown CPU."""
    n = len(table)
    codes, uniques = text_codes(table.get("cpu_model"), n)
    values = np.array([np.nan if (s := win11_cpu_supported(str(u))) is None else float(s) for u in uniques],
                      dtype=float)
    out = np.full(n, np.nan)
    known = codes >= 0
    out[known] = values[codes[known]]
    return out


def linux_reuse_target(today: date) -> OsRelease | None:
    """The newest Ubuntu LTS released by ``today``: the reuse target of stranded PCs."""
    best = None
    for record in cycles().get("ubuntu", []):
        newer = best is None or record["release_date"] > best["release_date"]
        if record["lts"].lower() == "true" and _released(record, today) and newer:
            best = record
    return _release("ubuntu", best, today) if best else None


def years_between(start: date, end: date) -> float:
    """Years from ``start`` to ``end`` (365.25-day years)."""
    return (end - start) / timedelta(days=365.25)
