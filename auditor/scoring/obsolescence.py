"""Obsolescence risk 0-100, level, reasons in words and the date a forced replacement is expected.

Points add up (capped at 100), each for a reason a device may have to be replaced:

- age against its expected lifetime (results ``lifetime_years``), proportional, capped;
- its OS release: support ending within a year, or ended (fewer points when a supported release
  runs on the same hardware: Windows 11 feature update, Linux release upgrade...);
- Windows 10 (or older) on a PC that cannot run Windows 11: CPU not on Microsoft's supported
  lists, or memory, storage or TPM below Windows 11's minimum;
- battery worn below the end-of-life threshold; memory below what its OS needs; warranty ended.

Exposed infrastructure (servers, storage, firewalls, routers) on an OS past end of support is
critical whatever its score. Points, thresholds and sources: ``factors/data/scoring.csv``;
method: docs/scoring.md.

``replacement_due`` is the earlier of the end of the expected lifetime (purchase + lifetime) and,
where the hardware cannot take a supported OS, the end of security support of its OS (Windows 10
PCs that cannot run Windows 11; phones and tablets whose OS version is out of support).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from auditor.enrich import category_codes
from auditor.scoring.common import combine_codes, given, in_categories, text_codes, texts_by_code
from auditor.scoring.eol import OsRelease, os_table, win11_cpu_column, win11_cpu_keys
from auditor.scoring.parameters import ScoringParameters
from factors.cpus import cpu_key
from factors.tables import CATEGORIES

LEVELS = ("low", "medium", "high", "critical")
#: Categories that are exposed network infrastructure: an unsupported OS there is critical
#: (CISA, "Bad Practices", 2021: use of unsupported or end-of-life software is dangerous,
#: "especially egregious in internet-accessible technologies").
EXPOSED_CATEGORIES = ("server", "storage", "firewall", "router")
#: Categories that run a desktop Windows and could move to Windows 11.
PC_CATEGORIES = ("desktop", "laptop", "thin_client", "tablet")
_DAY = np.timedelta64(1, "D")

# OS status codes
_UNKNOWN, _SUPPORTED, _SOON, _ENDED = 0, 1, 2, 3
# Windows 11 eligibility codes
_NOT_CHECKED, _ELIGIBLE, _STRANDED, _ELIGIBILITY_UNKNOWN = 0, 1, 2, 3


def _release_arrays(releases: list[OsRelease], today: date, soon_days: float):
    """Per release (+ one trailing 'no OS' entry): status, eol day, eoes day, successor, major."""
    m = len(releases) + 1
    status = np.full(m, _UNKNOWN, dtype=np.int64)
    eol = np.full(m, np.datetime64("NaT"), dtype="datetime64[D]")
    successor = np.full(m, "", dtype=object)
    windows_old = np.zeros(m, dtype=bool)
    windows_major = np.zeros(m, dtype=np.int64)
    ref = np.datetime64(today, "D")
    for k, r in enumerate(releases):
        if r.eol is not None:
            eol[k] = np.datetime64(r.eol, "D")
        if r.ended:
            status[k] = _ENDED
        elif r.ended is False:
            soon = r.eol is not None and (eol[k] - ref) / _DAY <= soon_days
            status[k] = _SOON if soon else _SUPPORTED
        successor[k] = r.successor
        major = r.windows_major
        if major is not None:
            windows_old[k] = major != "11"
            windows_major[k] = 11 if major == "11" else 10 if major == "10" else 7
    return status, eol, successor, windows_old, windows_major


def _storage_gb(table: pd.DataFrame) -> np.ndarray:
    """Known total storage of one device [GB] (NaN when nothing is given)."""
    total = given(table, "storage_gb")
    for kind in ("ssd", "hdd"):
        size, count = given(table, f"{kind}_gb"), given(table, f"{kind}_count")
        part = size * np.where(np.isnan(count), 1.0, count)
        total = np.where(np.isnan(total), part, np.where(np.isnan(part), total, total + part))
    return total


@dataclass
class OsFacts:
    """Per-row OS facts shared by the risk score and the recommendations."""

    releases: list[OsRelease]
    safe: np.ndarray          # index into releases; len(releases) where the row has no OS
    has_os: np.ndarray
    status: np.ndarray        # _UNKNOWN, _SUPPORTED, _SOON, _ENDED
    eol: np.ndarray           # datetime64[D], NaT when unknown
    successor: np.ndarray     # OsRelease.successor per row
    major: np.ndarray         # Windows client major (11, 10, 7 for older), 0 otherwise
    eligibility: np.ndarray   # Windows 11 eligibility code
    cpu_ok: np.ndarray        # 1 listed, 0 not listed, NaN unknown
    low_ram: np.ndarray
    low_storage: np.ndarray
    low_tpm: np.ndarray
    ram: np.ndarray
    storage: np.ndarray

    @property
    def stranded(self) -> np.ndarray:
        """Windows 10 (or older) PCs that cannot run Windows 11 and whose OS support is ending or over."""
        return (self.eligibility == _STRANDED) & ((self.status == _ENDED) | (self.status == _SOON))


def os_facts(table: pd.DataFrame, params: ScoringParameters, today: date) -> OsFacts:
    """OS release, end-of-support status and Windows 11 eligibility of every row."""
    n = len(table)
    codes = category_codes(table["category"]) if n else np.zeros(0, dtype=np.int64)
    osx = os_table(table, today)
    has_os = osx.index >= 0
    safe = np.where(has_os, osx.index, len(osx.releases))
    soon_days = params["obsolescence_eol_soon_years"] * 365.25
    r_status, r_eol, r_successor, r_win_old, r_major = _release_arrays(osx.releases, today, soon_days)
    windows_old = r_win_old[safe]
    pc = in_categories(codes, PC_CATEGORIES)
    check = pc & windows_old
    cpu_ok = win11_cpu_column(table)
    ram = given(table, "ram_gb")
    storage = _storage_gb(table)
    tpm = given(table, "tpm_version")
    low_ram = ram < params["win11_min_ram_gb"]
    low_storage = storage < params["win11_min_storage_gb"]
    low_tpm = tpm < params["win11_min_tpm_version"]
    blocked = (cpu_ok == 0) | low_ram | low_storage | low_tpm
    eligibility = np.where(~check, _NOT_CHECKED,
                           np.where(blocked, _STRANDED, np.where(cpu_ok == 1, _ELIGIBLE, _ELIGIBILITY_UNKNOWN)))
    return OsFacts(osx.releases, safe, has_os, r_status[safe], r_eol[safe], r_successor[safe], r_major[safe],
                   eligibility, cpu_ok, low_ram, low_storage, low_tpm, ram, storage)


def obsolescence(results: pd.DataFrame, table: pd.DataFrame, params: ScoringParameters,
                 today: date) -> pd.DataFrame:
    """Columns ``obsolescence_risk``, ``obsolescence_level``, ``obsolescence_reasons``,
    ``replacement_due`` for every row."""
    n = len(table)
    codes = category_codes(table["category"]) if n else np.zeros(0, dtype=np.int64)
    ref = np.datetime64(today, "D")
    age = results["age_years"].to_numpy(dtype=float)
    lifetime = results["lifetime_years"].to_numpy(dtype=float)
    facts = os_facts(table, params, today)
    has_os, safe, status, eol, successor = facts.has_os, facts.safe, facts.status, facts.eol, facts.successor
    major, eligibility, cpu_ok, ram = facts.major, facts.eligibility, facts.cpu_ok, facts.ram
    low_ram, low_storage, low_tpm = facts.low_ram, facts.low_storage, facts.low_tpm
    stranded = facts.stranded
    osx_releases = facts.releases

    # points
    with np.errstate(divide="ignore", invalid="ignore"):
        age_ratio = np.clip(age / lifetime, 0.0, params["obsolescence_age_ratio_cap"])
    age_points = np.nan_to_num(age_ratio) * params["obsolescence_age_points"]
    update_path = (successor == "same-product") | ((successor == "win11") & (eligibility != _STRANDED))
    os_points = np.select(
        [status == _SOON, (status == _ENDED) & update_path, status == _ENDED],
        [params["obsolescence_eol_soon_points"], params["obsolescence_eol_past_update_points"],
         params["obsolescence_eol_past_points"]], 0.0)
    stranded_points = np.where(stranded, params["obsolescence_win11_stranded_points"], 0.0)
    battery = given(table, "battery_health_pct")
    worn = battery < params["battery_worn_threshold_pct"]
    os_min_ram = np.select([has_os & (major == 11), has_os & (major == 10)],
                           [params["win11_min_ram_gb"], params["win10_min_ram_gb"]], np.nan)
    short_ram = ram < os_min_ram
    warranty = table["warranty_end"].to_numpy(dtype="datetime64[D]") if "warranty_end" in table else \
        np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    warranty_over = ~np.isnat(warranty) & (warranty < ref)
    risk = (age_points + os_points + stranded_points
            + np.where(worn, params["obsolescence_battery_points"], 0.0)
            + np.where(short_ram, params["obsolescence_ram_points"], 0.0)
            + np.where(warranty_over, params["obsolescence_warranty_points"], 0.0))
    exposed = in_categories(codes, EXPOSED_CATEGORIES) & (status == _ENDED)
    critical_from = params["obsolescence_level_critical_from"]
    risk = np.where(exposed, np.maximum(risk, critical_from), risk)
    risk = np.round(np.clip(risk, 0.0, 100.0), 1)
    thresholds = (params["obsolescence_level_medium_from"], params["obsolescence_level_high_from"], critical_from)
    level = pd.Categorical.from_codes(np.searchsorted(np.asarray(thresholds), risk, side="right"), list(LEVELS))

    # replacement due: end of expected lifetime, or earlier when the OS support ends for good
    known_age = ~np.isnan(age) & ~np.isnan(lifetime)
    life_days = np.where(known_age, np.round((lifetime - age) * 365.25), 0).astype(np.int64)
    life_end = np.where(known_age, ref + life_days.astype("timedelta64[D]"), np.datetime64("NaT"))
    forced = ((eligibility == _STRANDED) | (successor == "device") | ((successor == "") & has_os)) & (
        status == _ENDED) | stranded
    forced_day = np.where(forced, eol, np.datetime64("NaT"))
    due = np.where(np.isnat(life_end), forced_day,
                   np.where(np.isnat(forced_day), life_end, np.minimum(life_end, forced_day)))

    reasons = _reasons(table, osx_releases, safe, has_os, status, eligibility, cpu_ok, low_ram, low_storage,
                       low_tpm, ram, worn, battery, short_ram, os_min_ram, warranty_over, warranty, age,
                       lifetime, exposed, forced, codes, params, today)
    return pd.DataFrame({
        "obsolescence_risk": risk,
        "obsolescence_level": level,
        "obsolescence_reasons": reasons,
        "replacement_due": due.astype("datetime64[s]"),
    })


def _reasons(table, releases, safe, has_os, status, eligibility, cpu_ok, low_ram, low_storage, low_tpm,
             ram, worn, battery, short_ram, os_min_ram, warranty_over, warranty, age, lifetime, exposed,
             forced, codes, params, today) -> pd.Categorical:
    n = len(table)
    cpu_codes, cpu_names = text_codes(table.get("cpu_model"), n)
    stranded_cpu = (eligibility == _STRANDED) & (cpu_ok == 0)
    cpu_code = np.where(stranded_cpu, cpu_codes, -1)
    blockers = ((cpu_ok == 0).astype(np.int64) + 2 * low_ram + 4 * low_storage + 8 * low_tpm)
    blockers = np.where(eligibility == _STRANDED, blockers, 0)
    ram_code = np.where((eligibility == _STRANDED) & low_ram | short_ram, np.round(np.nan_to_num(ram) * 10), -1)
    age_code = np.where(np.isnan(age), -1, np.floor(age)).astype(np.int64)
    life_code = np.where(np.isnan(lifetime), -1, np.round(lifetime * 10)).astype(np.int64)
    battery_code = np.where(worn, np.round(battery), -1).astype(np.int64)
    warranty_code = np.where(warranty_over, (warranty - np.datetime64("1970-01-01", "D")) / _DAY, -1)
    combo, first = combine_codes(
        np.where(has_os, safe, -1), status, eligibility, cpu_code, blockers, ram_code.astype(np.int64),
        age_code, life_code, battery_code, warranty_code.astype(np.int64), exposed.astype(np.int64),
        forced.astype(np.int64), codes)
    _, _, list_version = win11_cpu_keys()
    win_ram, win_storage = params["win11_min_ram_gb"], params["win11_min_storage_gb"]
    battery_floor = params["battery_worn_threshold_pct"]

    def make(row: int) -> str:
        parts: list[str] = []
        if has_os[row]:
            parts.append(_os_text(releases[safe[row]], status[row], eligibility[row], today))
        if eligibility[row] == _STRANDED:
            why = []
            if cpu_code[row] >= 0:
                why.append(f"CPU '{cpu_key(str(cpu_names[cpu_code[row]]))}' not on Microsoft's supported list "
                           f"(v{list_version})")
            if low_ram[row]:
                why.append(f"{ram[row]:g} GB RAM < {win_ram:g} GB")
            if low_storage[row]:
                why.append(f"storage < {win_storage:g} GB")
            if low_tpm[row]:
                why.append("TPM older than 2.0")
            advice = ("; reuse it with Linux or ChromeOS Flex" if status[row] in (_ENDED, _SOON)
                      else " (not needed while its Windows 10 release is supported)")
            parts.append("cannot run Windows 11: " + ", ".join(why) + advice)
        elif eligibility[row] == _ELIGIBLE:
            parts.append("Windows 11 eligible (CPU on Microsoft's list): upgrade rather than replace")
        elif eligibility[row] == _ELIGIBILITY_UNKNOWN:
            parts.append("Windows 11 eligibility not checked: CPU model not given")
        if short_ram[row]:
            parts.append(f"{ram[row]:g} GB RAM below the {os_min_ram[row]:g} GB its OS needs")
        if battery_code[row] >= 0:
            parts.append(f"battery at {battery_code[row]} % of design capacity (worn below {battery_floor:g} %): "
                         "replace the battery")
        if warranty_code[row] >= 0:
            parts.append(f"warranty ended {np.datetime_as_string(warranty[row], unit='D')}")
        if age_code[row] >= 0 and life_code[row] >= 0:
            life = life_code[row] / 10
            if age[row] >= lifetime[row]:
                parts.append(f"{age_code[row]} years old, past its {life:g}-year expected lifetime")
            else:
                parts.append(f"{age_code[row]} of {life:g} expected years")
        if exposed[row]:
            parts.append(f"{CATEGORIES[codes[row]].replace('_', ' ')} on an OS past end of support: critical "
                         "(unsupported software on exposed infrastructure)")
        if forced[row] and has_os[row] and releases[safe[row]].eol is not None:
            parts.append(f"forced replacement expected from {releases[safe[row]].eol.isoformat()}")
        return "; ".join(p for p in parts if p) or "no age, OS, battery or warranty data: nothing raises the risk"

    return texts_by_code(combo, first, make) if n else pd.Categorical([])


def _os_text(r: OsRelease, status: int, eligibility: int, today: date) -> str:
    assumed = " (version not given: latest release assumed)" if r.version_assumed else ""
    if r.product is None:
        return f"no end-of-support data for '{r.name}'"
    if r.cycle is None:
        return f"{r.name}: version not given, end of support unknown"
    when = r.eol.isoformat() if r.eol else "on a date not published"
    if status == _SUPPORTED:
        return f"{r.name} supported until {r.eol.isoformat()}{assumed}" if r.eol else ""
    if status == _SOON:
        return f"{r.name}: security support ends {when}{assumed}"
    if status != _ENDED:
        return ""
    text = f"{r.name}: security support ended {when}{assumed}"
    if r.eoes is not None and r.eoes > today:
        text += f" (paid extended updates until {r.eoes.isoformat()})"
    if r.successor == "same-product":
        if r.product == "windows":
            text += "; install the current Windows 11 feature update"
        elif r.product == "windows-server":
            text += "; migrate to a supported Windows Server release"
        else:
            text += "; upgrade to a supported release"
    elif r.successor == "win11" and eligibility == _ELIGIBLE:
        text += "; upgrade to Windows 11"
    elif r.successor == "device":
        text += "; a newer version depends on the device model"
    return text
