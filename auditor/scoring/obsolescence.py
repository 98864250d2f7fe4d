"""Obsolescence, two questions kept apart: the hardware risk and the software upkeep.

**Hardware risk** (``obsolescence_risk`` 0-100, ``obsolescence_level``, ``obsolescence_reasons``,
``replacement_due``): the risk that the device itself must be replaced. Points add up (capped at
100) for what can force it:

- no supported OS runs on the hardware: Windows 10 (or older) on a PC that cannot run Windows 11
  (CPU not on Microsoft's lists, or memory, storage or TPM below its minimum), phones, tablets and
  Macs whose OS version is out of support;
- battery worn below the end-of-life threshold; memory below what its OS needs; legal spare-part
  period over; warranty ended;
- age against the category's average life raises the risk of failure (proportional, capped), but
  is never by itself a due date: a working device past its average life is a lifetime-extension
  opportunity.

A free update or upgrade that runs on the hardware is upkeep (:mod:`auditor.scoring.software`),
never a hardware risk. Servers, storage, firewalls and routers on an OS with no security support at
all and no free upgrade path are critical (CISA, *Bad Practices*, 2021); kept secure only by a paid
extension, they are at least high.

``replacement_due`` is the date from which something forces the replacement (the end of support of
the last OS the hardware can run), empty when nothing does.

**Software upkeep** (``software_status``, ``software_action``, ``security_support_until``): see
:mod:`auditor.scoring.software`. ``win11_eligibility`` says, for Windows 10 (or older) PCs, whether
Windows 11 can run (``eligible``), cannot (``ineligible``) or was not checked (``unknown``).
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


WIN11_ELIGIBILITY: tuple[str, ...] = ("eligible", "ineligible", "unknown")


def obsolescence(results: pd.DataFrame, table: pd.DataFrame, params: ScoringParameters,
                 today: date, lang: str = "en") -> pd.DataFrame:
    """Hardware risk, software upkeep and Windows 11 eligibility columns for every row.

    Columns ``obsolescence_risk``, ``obsolescence_level``, ``obsolescence_reasons``,
    ``replacement_due``, ``software_status``, ``software_action``, ``security_support_until``,
    ``win11_eligibility``.
    """
    from auditor.scoring.repairability import _parts
    from auditor.scoring.software import EXTENDED, UNSUPPORTED, software_status

    n = len(table)
    codes = category_codes(table["category"]) if n else np.zeros(0, dtype=np.int64)
    ref = np.datetime64(today, "D")
    age = results["age_years"].to_numpy(dtype=float)
    lifetime = results["lifetime_years"].to_numpy(dtype=float)
    facts = os_facts(table, params, today)
    has_os, safe, status, eol, successor = facts.has_os, facts.safe, facts.status, facts.eol, facts.successor
    eligibility, ram = facts.eligibility, facts.ram
    stranded = facts.stranded

    software = software_status(facts.releases, safe, has_os, eligibility, today, params["obsolescence_eol_soon_years"],
                               eligible_code=_ELIGIBLE, stranded_code=_STRANDED, lang=lang)
    sw = software["software_status"].cat.codes.to_numpy()

    # no supported OS can run on this hardware
    device_bound = (successor == "device") & (status == _ENDED)
    no_os = device_bound | ((eligibility == _STRANDED) & (status == _ENDED))
    with np.errstate(divide="ignore", invalid="ignore"):
        age_ratio = np.clip(age / lifetime, 0.0, params["obsolescence_age_ratio_cap"])
    age_points = np.nan_to_num(age_ratio) * params["obsolescence_age_points"]
    battery = given(table, "battery_health_pct")
    worn = battery < params["battery_worn_threshold_pct"]
    os_min_ram = np.select([has_os & (facts.major == 11), has_os & (facts.major == 10)],
                           [params["win11_min_ram_gb"], params["win10_min_ram_gb"]], np.nan)
    short_ram = ram < os_min_ram
    warranty = table["warranty_end"].to_numpy(dtype="datetime64[D]") if "warranty_end" in table else \
        np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    warranty_over = ~np.isnat(warranty) & (warranty < ref)
    parts_years, _ = _parts(codes, age, np.zeros(n), today, params)
    parts_over = ~np.isnan(parts_years) & ~np.isnan(age) & (age > parts_years)
    risk = (age_points
            + np.where(no_os, params["obsolescence_eol_past_points"], 0.0)
            + np.where(stranded, params["obsolescence_win11_stranded_points"], 0.0)
            + np.where(worn, params["obsolescence_battery_points"], 0.0)
            + np.where(short_ram, params["obsolescence_ram_points"], 0.0)
            + np.where(warranty_over, params["obsolescence_warranty_points"], 0.0)
            + np.where(parts_over, params["obsolescence_parts_points"], 0.0))
    exposed_category = in_categories(codes, EXPOSED_CATEGORIES)
    exposed = exposed_category & (sw == UNSUPPORTED)
    exposed_paid = exposed_category & (sw == EXTENDED)
    critical_from = params["obsolescence_level_critical_from"]
    high_from = params["obsolescence_level_high_from"]
    risk = np.where(exposed, np.maximum(risk, critical_from), risk)
    risk = np.where(exposed_paid, np.maximum(risk, high_from), risk)
    risk = np.round(np.clip(risk, 0.0, 100.0), 1)
    thresholds = (params["obsolescence_level_medium_from"], high_from, critical_from)
    level = pd.Categorical.from_codes(np.searchsorted(np.asarray(thresholds), risk, side="right"), list(LEVELS))

    # replacement due only when something forces it: the last OS the hardware can run loses support
    forced = no_os | stranded
    due = np.where(forced, eol, np.datetime64("NaT"))

    reasons = _reasons(table, facts, worn, battery, short_ram, os_min_ram, warranty_over, warranty, age, lifetime,
                       exposed, exposed_paid, forced, device_bound, parts_over, parts_years, codes, params, lang)
    elig = np.select([eligibility == _ELIGIBLE, eligibility == _STRANDED, eligibility == _ELIGIBILITY_UNKNOWN],
                     [0, 1, 2], -1)
    out = pd.DataFrame({
        "obsolescence_risk": risk,
        "obsolescence_level": level,
        "obsolescence_reasons": reasons,
        "replacement_due": due.astype("datetime64[s]"),
    })
    for column in software.columns:
        out[column] = software[column].to_numpy() if column != "software_status" else software[column].array
    out["win11_eligibility"] = pd.Categorical.from_codes(elig, list(WIN11_ELIGIBILITY))
    return out


def _reasons(table, facts, worn, battery, short_ram, os_min_ram, warranty_over, warranty, age, lifetime, exposed,
             exposed_paid, forced, device_bound, parts_over, parts_years, codes, params, lang) -> pd.Categorical:
    from auditor.scoring.texts import number, say

    n = len(table)
    releases, safe, has_os, eligibility = facts.releases, facts.safe, facts.has_os, facts.eligibility
    cpu_ok, low_ram, low_storage, low_tpm, ram = facts.cpu_ok, facts.low_ram, facts.low_storage, facts.low_tpm, facts.ram
    status = facts.status
    cpu_codes, cpu_names = text_codes(table.get("cpu_model"), n)
    stranded_cpu = (eligibility == _STRANDED) & (cpu_ok == 0)
    cpu_code = np.where(stranded_cpu, cpu_codes, -1)
    blockers = ((cpu_ok == 0).astype(np.int64) + 2 * low_ram + 4 * low_storage + 8 * low_tpm)
    blockers = np.where(eligibility == _STRANDED, blockers, 0)
    ram_code = np.where((eligibility == _STRANDED) & low_ram | short_ram, np.round(np.nan_to_num(ram) * 10), -1)
    # whole years of age (the text shows them) and whether the average life is passed (the text
    # says so): rows sharing a code share a text, whatever their order
    age_code = np.where(np.isnan(age), -1, np.floor(age)).astype(np.int64)
    past_life = (age >= lifetime).astype(np.int64)
    life_code = np.where(np.isnan(lifetime), -1, np.round(lifetime * 10)).astype(np.int64)
    battery_code = np.where(worn, np.round(battery), -1).astype(np.int64)
    warranty_code = np.where(warranty_over, (warranty - np.datetime64("1970-01-01", "D")) / _DAY, -1)
    parts_code = np.where(parts_over, parts_years, -1).astype(np.int64)
    os_code = np.where(has_os & (forced | device_bound | (eligibility != _NOT_CHECKED)), safe, -1)
    # the reasons are three independent parts, each written once per distinct case of its own
    # inputs, then joined once per distinct combination of the three
    head_codes, head_first = combine_codes(
        os_code, status, eligibility, cpu_code, blockers, ram_code.astype(np.int64), battery_code, parts_code,
        device_bound.astype(np.int64), codes)
    warranty_codes, warranty_first = combine_codes(warranty_code.astype(np.int64))
    tail_codes, tail_first = combine_codes(
        age_code, past_life, life_code, exposed.astype(np.int64), exposed_paid.astype(np.int64),
        forced.astype(np.int64), os_code, codes)
    _, _, list_version = win11_cpu_keys()
    win_ram, win_storage = params["win11_min_ram_gb"], params["win11_min_storage_gb"]
    battery_floor = params["battery_worn_threshold_pct"]

    def release_of(row: int):
        return releases[safe[row]] if has_os[row] else None

    def head(row: int) -> list[str]:
        parts: list[str] = []
        release = release_of(row)
        what = CATEGORIES[codes[row]].replace("_", " ")
        if device_bound[row] and release is not None:
            parts.append(say("obs_device_bound", lang, os=release.name,
                             date=release.eol.isoformat() if release.eol else "?"))
        if eligibility[row] == _STRANDED:
            why = []
            if cpu_code[row] >= 0:
                why.append(say("obs_cpu", lang, cpu=cpu_key(str(cpu_names[cpu_code[row]])), version=list_version))
            if low_ram[row]:
                why.append(say("obs_low_ram_w11", lang, ram=number(ram[row], lang, 2), min=number(win_ram, lang)))
            if low_storage[row]:
                why.append(say("obs_low_storage", lang, min=number(win_storage, lang)))
            if low_tpm[row]:
                why.append(say("obs_low_tpm", lang))
            text = say("obs_stranded", lang, why=", ".join(why))
            ending = status[row] in (_ENDED, _SOON)
            parts.append(say("obs_stranded_reuse" if ending else "obs_stranded_later", lang, text=text))
            if status[row] == _ENDED and release is not None and release.eol is not None:
                parts.append(say("obs_no_os", lang, os="Windows", what=what, date=release.eol.isoformat()))
        elif eligibility[row] == _ELIGIBLE:
            parts.append(say("obs_eligible", lang))
        elif eligibility[row] == _ELIGIBILITY_UNKNOWN:
            parts.append(say("obs_not_checked", lang))
        if short_ram[row]:
            parts.append(say("obs_short_ram", lang, ram=number(ram[row], lang, 2), min=number(os_min_ram[row], lang)))
        if battery_code[row] >= 0:
            parts.append(say("obs_battery", lang, pct=battery_code[row], floor=number(battery_floor, lang)))
        if parts_code[row] == 0:
            parts.append(say("obs_parts_none", lang))
        elif parts_code[row] > 0:
            parts.append(say("obs_parts", lang, years=parts_code[row]))
        return parts

    def warranty_text(row: int) -> list[str]:
        if warranty_code[row] >= 0:
            return [say("obs_warranty", lang, date=np.datetime_as_string(warranty[row], unit="D"))]
        return []

    def tail(row: int) -> list[str]:
        parts: list[str] = []
        release = release_of(row)
        what = CATEGORIES[codes[row]].replace("_", " ")
        if age_code[row] >= 0 and life_code[row] >= 0:
            life = number(life_code[row] / 10, lang)
            key = "obs_past_life" if age[row] >= lifetime[row] else "obs_age"
            parts.append(say(key, lang, age=age_code[row], life=life))
        if exposed[row]:
            parts.append(say("obs_exposed", lang, what=what))
        elif exposed_paid[row]:
            parts.append(say("obs_exposed_paid", lang, what=what))
        if forced[row] and release is not None and release.eol is not None:
            parts.append(say("obs_forced", lang, date=release.eol.isoformat()))
        return parts

    pieces = [[make(int(row)) for row in first] for make, first in
              ((head, head_first), (warranty_text, warranty_first), (tail, tail_first))]
    combo, first = combine_codes(head_codes, warranty_codes, tail_codes)

    def make(row: int) -> str:
        parts = [*pieces[0][head_codes[row]], *pieces[1][warranty_codes[row]], *pieces[2][tail_codes[row]]]
        return "; ".join(p for p in parts if p) or say("obs_nothing", lang)

    return texts_by_code(combo, first, make) if n else pd.Categorical([])
