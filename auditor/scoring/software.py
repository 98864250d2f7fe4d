"""Software upkeep of every item: ``software_status``, ``software_action``, ``security_support_until``.

This is the second obsolescence question, kept apart from the hardware risk: is the item's OS still
getting security updates, and what must be done about it? A free update or release upgrade that runs
on the hardware is an action, not a hardware risk.

``software_status``:

- ``supported``: free security support runs beyond the planning window (one year), including free
  long-term support (Debian LTS);
- ``update_due``: support ends within the window or has ended, and a free update of the same
  release line runs on this hardware (a Windows 11 feature update);
- ``upgrade_due``: likewise, with a free release upgrade (Debian 12 -> 13, Ubuntu 22.04 -> 24.04,
  Windows 10 -> 11 on an eligible PC, Proxmox VE 8 -> 9, CentOS -> AlmaLinux or Rocky Linux);
- ``extended_support``: free support has ended, no free path is known, and only a paid or
  subscription extension still brings security updates (Windows ESU, Ubuntu Pro/ESM, RHEL ELS,
  SLES LTSS), named with its end date;
- ``unsupported``: no security updates at all, free or paid.

Empty when the OS or its version is unknown. ``security_support_until`` is the end of free support,
or of the paid extension for ``extended_support``. Dates come from the bundled endoflife.date
snapshot (``factors/data/eol-cycles.csv``); docs/scoring.md gives the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from auditor.scoring.eol import FREE_LTS_PRODUCTS, PRODUCT_NAMES, OsRelease, cycles, supported_at

STATUSES: tuple[str, ...] = ("supported", "update_due", "upgrade_due", "extended_support", "unsupported")
SUPPORTED, UPDATE_DUE, UPGRADE_DUE, EXTENDED, UNSUPPORTED = range(5)
#: Products whose ``eoes`` (end of extended support) is free long-term support.
FREE_EXTENDED: dict[str, str] = {p: f"sw_lts_{p}" for p in FREE_LTS_PRODUCTS}
#: Products whose ``eoes`` is a paid or subscription extension (text key of its name).
PAID_EXTENDED: dict[str, str] = {"windows": "sw_paid_windows", "windows-server": "sw_paid_windows",
                                 "ubuntu": "sw_paid_ubuntu", "rhel": "sw_paid_rhel", "sles": "sw_paid_sles"}
#: Products whose next release needs a new licence or a support contract: no free upgrade path
#: (value: text key of what it needs).
PAID_UPGRADE: dict[str, str] = {"windows-server": "sw_new_licence", "vmware-esxi": "sw_new_licence",
                                "cisco-ios-xe": "sw_contract", "fortios": "sw_contract", "pan-os": "sw_contract"}
#: Products with no supported release left whose users migrate for free to a clone.
CLONE_MIGRATION = frozenset({"centos"})

# per-release path kinds
_NONE, _UPDATE, _UPGRADE, _WIN11, _DEVICE, _PAID = range(6)


@dataclass(frozen=True)
class Upkeep:
    """What the snapshot says about one release at the reference date."""

    free_end: date | None      # end of free security support (Debian LTS included)
    lts_key: str               # text key of the free LTS when it is running, else ""
    paid_key: str              # text key of the paid extension, else ""
    paid_end: date | None
    path: int                  # _NONE, _UPDATE, _UPGRADE, _WIN11, _DEVICE, _PAID
    target: str                # name of the free update/upgrade target, or of the paid migration target
    known: bool                # False: product or version unknown
    needs: str = ""            # text key of what a paid path needs (licence, support contract)


def newest_supported(product: str, today: date, *, prefix: str = "", suffix: str | None = None,
                     lts_only: bool = False) -> dict[str, str] | None:
    """The newest release of ``product`` with security support at ``today`` (optionally filtered)."""
    best = None
    for record in cycles().get(product, []):
        cycle = record["cycle"].lower()
        if prefix and not cycle.startswith(prefix):
            continue
        if suffix is not None and not cycle.endswith(suffix):
            continue
        if lts_only and record["lts"].lower() != "true":
            continue
        if supported_at(product, record, today) and (best is None or record["release_date"] > best["release_date"]):
            best = record
    return best


def _label(product: str, record: dict[str, str]) -> str:
    label = record["label"] or record["cycle"]
    if "__" in label:
        label = record["cycle"]
    label = label.replace(" (W)", "").replace(" (E)", "")
    if product == "windows-server" and label.lower().startswith("windows server"):
        return label
    return f"{PRODUCT_NAMES.get(product, product)} {label}"


def upkeep(release: OsRelease, today: date) -> Upkeep:
    """Free end, extensions and free path of one parsed release."""
    if release.product is None or release.cycle is None:
        return Upkeep(None, "", "", None, _NONE, "", False)
    product = release.product
    free_end, lts_key = release.eol, ""
    if product in FREE_EXTENDED and release.eoes is not None:
        free_end = release.eoes
        if release.eol is not None and today > release.eol:
            lts_key = FREE_EXTENDED[product]
    paid_key = PAID_EXTENDED.get(product, "") if release.eoes is not None else ""
    paid_end = release.eoes if paid_key else None
    target = ""
    if release.successor == "device":
        path = _DEVICE
    elif release.successor == "win11":
        path = _WIN11
        record = newest_supported("windows", today, prefix="11-", suffix="-w")
        target = _label("windows", record) if record else "Windows 11"
    elif product in PAID_UPGRADE:
        record = newest_supported(product, today)
        target = _label(product, record) if record else ""
        return Upkeep(free_end, lts_key, paid_key, paid_end, _PAID, target, True, PAID_UPGRADE[product])
    elif product in CLONE_MIGRATION:
        path, target = _UPGRADE, "sw_clone"
    elif release.successor == "same-product":
        if product == "windows":
            suffix = "-" + release.cycle.split("-", 2)[2] if release.cycle.count("-") >= 2 else None
            record = newest_supported("windows", today, prefix=release.cycle.split("-")[0] + "-", suffix=suffix)
            path = _UPDATE
        else:
            record = newest_supported(product, today, lts_only=(product == "ubuntu"))
            path = _UPGRADE
        if record is None or record["cycle"].lower() == release.cycle.lower():
            path, record = _NONE, None
        target = _label(product, record) if record else ""
    else:
        path = _NONE
    return Upkeep(free_end, lts_key, paid_key, paid_end, path, target, True)


def software_status(releases: list[OsRelease], safe: np.ndarray, has_os: np.ndarray, eligibility: np.ndarray,
                    today: date, window_years: float, *, eligible_code: int, stranded_code: int,
                    lang: str = "en") -> pd.DataFrame:
    """Columns ``software_status``, ``software_action``, ``security_support_until`` for every row.

    Parameters
    ----------
    releases, safe, has_os
        Parsed releases and the per-row index into them (``len(releases)`` where the row has no OS).
    eligibility
        Per-row Windows 11 eligibility code (only read for Windows 10 or older).
    window_years
        Planning window [year]: support ending within it makes the update or upgrade due now.
    eligible_code, stranded_code
        The eligibility codes meaning "eligible" and "cannot run Windows 11".
    """
    from auditor.scoring.common import combine_codes, texts_by_code
    from auditor.scoring.texts import say

    n = len(safe)
    ups = [upkeep(r, today) for r in releases] + [Upkeep(None, "", "", None, _NONE, "", False)]
    m = len(ups)
    ref = np.datetime64(today, "D")
    window = ref + np.timedelta64(int(round(window_years * 365.25)), "D")
    free_end = np.array([np.datetime64(u.free_end, "D") if u.free_end else np.datetime64("NaT") for u in ups],
                        dtype="datetime64[D]")
    paid_end = np.array([np.datetime64(u.paid_end, "D") if u.paid_end else np.datetime64("NaT") for u in ups],
                        dtype="datetime64[D]")
    ended_flag = np.array([bool(r.ended) for r in releases] + [False])
    no_date_supported = np.array([r.ended is False and r.eol is None for r in releases] + [False])
    known = np.array([u.known for u in ups])
    path = np.array([u.path for u in ups], dtype=np.int64)

    k = np.where(has_os, safe, m - 1)
    known_row = known[k] & (~np.isnat(free_end[k]) | no_date_supported[k] | ended_flag[k])
    free_ended = np.where(np.isnat(free_end[k]), ended_flag[k], free_end[k] < ref)
    soon = ~free_ended & ~np.isnat(free_end[k]) & (free_end[k] <= window)
    row_path = path[k]
    eligible = eligibility == eligible_code
    free_path = (row_path == _UPDATE) | (row_path == _UPGRADE) | ((row_path == _WIN11) & eligible)
    paid_running = ~np.isnat(paid_end[k]) & (paid_end[k] >= ref)
    status = np.select(
        [~known_row, ~free_ended & ~soon, free_path & (row_path == _UPDATE), free_path, ~free_ended,
         paid_running],
        [-1, SUPPORTED, UPDATE_DUE, UPGRADE_DUE, SUPPORTED, EXTENDED], UNSUPPORTED).astype(np.int64)
    until = np.where(status == EXTENDED, paid_end[k], free_end[k])
    until = np.where(status < 0, np.datetime64("NaT"), until)

    elig_code = np.where(row_path == _WIN11, eligibility, -1)
    combo, first = combine_codes(k, status, elig_code.astype(np.int64))

    def make(row: int) -> str:
        r = releases[k[row]] if has_os[row] else None
        if r is None:
            return ""
        if r.product is None:
            return say("sw_no_data", lang, os=r.name)
        if r.cycle is None or status[row] < 0:
            return say("sw_no_version", lang, os=r.name)
        u = ups[k[row]]
        os_name = r.name
        assumed = say("sw_assumed", lang) if r.version_assumed else ""
        end = u.free_end.isoformat() if u.free_end else ""
        target = say(u.target, lang) if u.target.startswith("sw_") else (u.target or say("sw_newer_release", lang))
        st = status[row]
        paid_alt = (say("sw_paid_alt", lang, paid=say(u.paid_key, lang), date=u.paid_end.isoformat())
                    if u.paid_key and u.paid_end and u.paid_end >= today else "")
        if st == SUPPORTED:
            if u.free_end is None:
                return say("sw_supported_no_date", lang, os=os_name)
            if u.lts_key:
                return say("sw_supported_lts", lang, os=os_name, lts=say(u.lts_key, lang), date=end, target=target)
            if soon[row]:
                then = (say("sw_then_paid", lang, target=u.target, needs=say(u.needs, lang))
                        if u.path == _PAID and u.target else "")
                return say("sw_ending_no_path", lang, os=os_name, date=end, assumed=assumed) + then + paid_alt
            return say("sw_supported", lang, os=os_name, date=end, assumed=assumed)
        ends = say("sw_ended" if free_ended[row] else "sw_ends", lang)
        if st == UPDATE_DUE:
            return say("sw_update", lang, os=os_name, ends=ends, date=end, assumed=assumed, target=target) + paid_alt
        if st == UPGRADE_DUE:
            key = "sw_upgrade_w11" if u.path == _WIN11 else "sw_upgrade"
            return say(key, lang, os=os_name, ends=ends, date=end, assumed=assumed, target=target) + paid_alt
        then = ""
        if u.path == _WIN11:
            then = say("sw_then_stranded" if eligibility[row] == stranded_code else "sw_then_w10", lang)
        elif u.path == _PAID and u.target:
            then = say("sw_then_migrate" if st == EXTENDED else "sw_then_paid", lang, target=u.target,
                       needs=say(u.needs, lang))
        if st == EXTENDED:
            return say("sw_extended", lang, os=os_name, date=end, assumed=assumed, paid=say(u.paid_key, lang),
                       until=u.paid_end.isoformat(), then=then)
        if u.path == _DEVICE:
            return say("sw_unsupported_device", lang, os=os_name, date=end, assumed=assumed)
        if u.path == _WIN11 and eligibility[row] == stranded_code:
            then = say("sw_then_reuse", lang)
        return say("sw_unsupported", lang, os=os_name, date=end, assumed=assumed, then=then)

    actions = texts_by_code(combo, first, make) if n else pd.Categorical([])
    codes = np.where(status >= 0, status, -1)
    return pd.DataFrame({
        "software_status": pd.Categorical.from_codes(codes, list(STATUSES)),
        "software_action": actions,
        "security_support_until": until.astype("datetime64[s]"),
    })

