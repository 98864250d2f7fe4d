"""Obsolescence risk: end-of-support dates, Windows 11 CPU lists, levels and reasons, invariants."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.api import assess_table
from auditor.footprint import AssessOptions
from auditor.inventory import table_from_records
from auditor.scoring.eol import linux_reuse_target, parse_os, win11_cpu_supported
from factors.cpus import cpu_key
from tests.conftest import ROOT, TODAY, shared_or_skip

OPTIONS = AssessOptions(today=TODAY)


def scored(rows, library, today=TODAY):
    table = table_from_records(rows, country="FR", today=today, library=library)
    return assess_table(table, library=library, options=AssessOptions(today=today))


# End-of-support dates as published by the vendors (endoflife.date snapshot; tolerance: none).
@pytest.mark.parametrize(("os_text", "version", "product", "cycle", "eol"), [
    ("Windows 10 Pro 22H2", "", "windows", "10-22h2", date(2025, 10, 14)),    # Microsoft lifecycle
    ("Microsoft Windows 10 Professionnel", "22H2", "windows", "10-22h2", date(2025, 10, 14)),
    ("Windows", "10.0.19045", "windows", "10-22h2", date(2025, 10, 14)),        # build number of 22H2
    ("Microsoft Windows 11 Professionnel", "23H2", "windows", "11-23h2-w", date(2025, 11, 11)),
    ("Windows 11 Enterprise 23H2", "", "windows", "11-23h2-e", date(2026, 11, 10)),
    ("Windows 10 IoT Enterprise LTSC", "21H2", "windows", "10-21h2-iot-lts", date(2032, 1, 13)),
    ("Windows 10 Entreprise LTSC 2019", "", "windows", "10-1809-e-lts", date(2029, 1, 9)),
    ("Windows 7 Professionnel", "", "windows", "7-sp1", date(2020, 1, 14)),
    ("Windows Server 2012 R2 Standard", "6.3", "windows-server", "2012-r2", date(2023, 10, 10)),
    ("Windows Server 2016 Datacenter", "1607", "windows-server", "2016", date(2027, 1, 12)),
    ("Windows Server 2019 Standard", "", "windows-server", "2019", date(2029, 1, 9)),
    ("Debian GNU/Linux 12 (bookworm)", "", "debian", "12", date(2026, 7, 11)),
    ("Debian GNU/Linux", "12", "debian", "12", date(2026, 7, 11)),
    ("Ubuntu 22.04.4 LTS", "", "ubuntu", "22.04", date(2027, 4, 1)),
    ("Ubuntu", "22.04.5 LTS", "ubuntu", "22.04", date(2027, 4, 1)),
    ("Proxmox VE 8.4", "", "proxmox-ve", "8", date(2026, 8, 31)),
    ("Red Hat Enterprise Linux 9.3 (Plow)", "", "rhel", "9", date(2032, 5, 31)),
    ("Android 13", "", "android", "13", date(2026, 3, 2)),
    ("Android", "10", "android", "10", date(2023, 3, 6)),
    ("IOS XE", "17.9.5", "cisco-ios-xe", "17.9", date(2026, 7, 29)),
    ("FortiOS", "7.2.8", "fortios", "7.2", date(2026, 9, 30)),
])
def test_end_of_support_dates(os_text, version, product, cycle, eol):
    release = parse_os(os_text, version, TODAY)
    assert (release.product, release.cycle, release.eol) == (product, cycle, eol)


def test_os_without_a_date_or_without_data():
    ipados = parse_os("iPadOS 17", "", TODAY)
    assert (ipados.product, ipados.cycle, ipados.eol, ipados.ended) == ("ipados", "17", None, False)
    flex = parse_os("ChromeOS Flex", "126", TODAY)
    assert flex.product is None and flex.name == "ChromeOS Flex"
    assert parse_os("", "", TODAY) is None


def test_windows_10_esu_and_unknown_version():
    release = parse_os("Windows 10 Pro", "", TODAY)
    assert release.cycle == "10-22h2" and release.version_assumed  # last Windows 10 release
    assert release.eoes == date(2028, 10, 10)  # Microsoft: ESU for organisations, third year
    assert release.ended and release.successor == "win11"


@pytest.mark.parametrize(("name", "listed"), [
    ("Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", True),       # WMI spelling
    ("Core(TM) i5-10500", True),                              # Microsoft's list spelling
    ("Intel Core i5-10500 3.10 GHz", True),                    # inventory spelling
    ("12th Gen Intel(R) Core(TM) i5-12500", True),
    ("Intel(R) Core(TM) Ultra 5 125U", True),                 # list: "Core(TM) Ultra 5-125U"
    ("AMD Ryzen 5 PRO 4650G with Radeon Graphics", True),
    ("Intel(R) Pentium(R) Silver N6000 @ 1.10GHz", True),
    ("Intel(R) Celeron(R) J4105 CPU @ 1.50GHz", True),
    ("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", True),       # 8th generation: the first listed
    ("Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", True),
    ("Snapdragon (TM) 8cx Gen 2", True),
    ("Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz", False),       # 7th generation: not listed
    ("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz", False),
    ("Intel(R) Core(TM) i3-5010U CPU @ 2.10GHz", False),
    ("AMD Ryzen Embedded R1505G with Radeon Vega Gfx", False),
    ("AMD Embedded G-Series GX-420GI Radeon R7E", False),
    ("Intel(R) Core(TM) i5-10500T CPU", True),                # suffix variants stay distinct
    # Microsoft's lists (v2025.10.6) carry i3-8100, -8100B, -8100H, -8100T but not -8100F; Ryzen 7 2700,
    # 2700E, 2700X but not 2700U: a prefix match without a word boundary would accept them
    ("Intel(R) Core(TM) i3-8100F CPU @ 3.60GHz", False),
    ("AMD Ryzen 7 2700U with Radeon Vega Mobile Gfx", False),
    ("Intel(R) Core(TM) i3-8100 CPU @ 3.60GHz", True),
    ("AMD Ryzen 7 2700X Eight-Core Processor", True),
])
def test_windows_11_cpu_lists(name, listed):
    assert win11_cpu_supported(name) is listed


def test_cpu_suffix_is_not_a_prefix_match():
    # "i5-1050" must not match "i5-10500" and a T part must not pass for the plain part
    assert cpu_key("Core(TM) i5-10500T") != cpu_key("Core(TM) i5-10500")
    assert win11_cpu_supported("Intel Core i5-1050") is False


def test_stranded_windows_10_pc_is_critical_and_says_why(library):
    rows = [
        {"id": "stranded", "category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2",
         "cpu_model": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz", "purchase_date": "2020-06-01"},
        {"id": "eligible", "category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2",
         "cpu_model": "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", "purchase_date": "2021-03-01"},
        {"id": "low-ram", "category": "laptop", "os": "Windows 10 Pro 22H2", "ram_gb": 2,
         "cpu_model": "Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz", "purchase_date": "2021-03-01"},
    ]
    r = scored(rows, library)
    assert r.loc[0, "obsolescence_level"] == "critical"
    assert "cannot run Windows 11" in r.loc[0, "obsolescence_reasons"]
    assert "core i5-7500" in r.loc[0, "obsolescence_reasons"]
    assert "2025-10-14" in r.loc[0, "obsolescence_reasons"]
    # expected lifetime ends in 2026 (6 years); Windows 10 support ended before
    assert r.loc[0, "replacement_due"] == pd.Timestamp("2025-10-14")
    assert r.loc[1, "obsolescence_level"] in ("low", "medium")
    assert r.loc[1, "software_status"] == "upgrade_due"
    assert "upgrade for free to Windows 11" in r.loc[1, "software_action"]
    assert pd.isna(r.loc[1, "replacement_due"])  # nothing forces the replacement of an eligible PC
    assert r.loc[2, "obsolescence_level"] == "critical"
    assert "2 GB RAM < 4 GB" in r.loc[2, "obsolescence_reasons"]


def test_windows_11_floor_by_hand(library):
    """Microsoft's Windows 11 minimums: 4 GB RAM, 64 GB storage, TPM 2.0, a CPU on its lists."""
    cpu = "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz"  # on the list
    base = {"category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2", "year": 2021}
    rows = [
        {**base, "cpu_model": cpu, "ram_gb": 4, "storage_gb": 64, "tpm_version": 2.0},   # exactly the minimums
        {**base, "cpu_model": cpu, "ram_gb": 3.5, "storage_gb": 256, "tpm_version": 2.0},  # memory below
        {**base, "cpu_model": cpu, "ram_gb": 8, "storage_gb": 32, "tpm_version": 2.0},    # storage below
        {**base, "cpu_model": cpu, "ram_gb": 8, "storage_gb": 256, "tpm_version": 1.2},   # TPM too old
        {**base, "ram_gb": 8, "storage_gb": 256, "tpm_version": 2.0},                     # CPU not given
        {**base, "cpu_model": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz", "ram_gb": 8},   # CPU not listed
    ]
    r = scored(rows, library)
    assert list(r["win11_eligibility"].astype(str)) == [
        "eligible", "ineligible", "ineligible", "ineligible", "unknown", "ineligible"]
    assert list(r["software_status"].astype(str)) == [
        "upgrade_due", "extended_support", "extended_support", "extended_support", "extended_support",
        "extended_support"]
    reasons = r["obsolescence_reasons"].astype(str)
    assert "3.5 GB RAM < 4 GB" in reasons[1] and "storage < 64 GB" in reasons[2] and "TPM older than 2.0" in reasons[3]
    assert "CPU model not given" in reasons[4] and "check Windows 11 eligibility" in r.loc[4, "software_action"]
    assert r.loc[0, "obsolescence_level"] == r.loc[4, "obsolescence_level"] == "low"
    assert (r.loc[1:3, "obsolescence_level"] == "critical").all() and r.loc[5, "obsolescence_level"] == "critical"


def test_stranded_before_end_of_support_is_high(library):
    rows = [{"category": "desktop", "os": "Windows 10 Pro 22H2", "purchase_date": "2020-01-01",
             "cpu_model": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz"}]
    r = scored(rows, library, today=date(2025, 3, 1))
    assert r.loc[0, "obsolescence_level"] == "high"


def test_server_past_end_of_support_is_critical(library):
    rows = [{"category": "server", "os": "Windows Server 2012 R2 Standard", "purchase_date": "2024-01-01"},
            {"category": "server", "os": "Windows Server 2022 Standard", "purchase_date": "2024-01-01"}]
    # Microsoft: support ended 2023-10-10, paid ESU until 2026-10-13; an upgrade needs a new licence
    r = scored(rows, library)
    assert r.loc[0, "software_status"] == "extended_support"
    assert r.loc[0, "security_support_until"] == pd.Timestamp("2026-10-13")
    assert "free security support ended 2023-10-10" in r.loc[0, "software_action"]
    assert "Extended Security Updates (ESU) until 2026-10-13" in r.loc[0, "software_action"]
    assert r.loc[0, "obsolescence_level"] == "high"  # kept secure only by a paid extension
    assert r.loc[1, "obsolescence_level"] == "low" and r.loc[1, "software_status"] == "supported"
    later = scored(rows, library, today=date(2026, 11, 2))
    assert later.loc[0, "software_status"] == "unsupported"
    assert later.loc[0, "obsolescence_level"] == "critical"
    assert "unsupported OS with no free upgrade path" in later.loc[0, "obsolescence_reasons"]


def test_battery_warranty_and_lifetime_reasons(library):
    rows = [{"category": "laptop", "battery_health_pct": 62, "warranty_end": "2024-06-30",
             "purchase_date": "2020-01-15", "lifetime_years": 5}]
    r = scored(rows, library)
    reasons = r.loc[0, "obsolescence_reasons"]
    assert "battery at 62 %" in reasons and "warranty ended 2024-06-30" in reasons
    assert "6 years old, past its 5-year average life: a candidate for lifetime extension, not a due date" in reasons
    assert "legal spare-part period (5 years) over" in reasons  # décret 2021-1943: 5 years for laptops
    assert pd.isna(r.loc[0, "replacement_due"])  # age and wear do not force a replacement
    # points by hand: age 25 x min(6.0 / 5, 2) = 30.0 (age on 2026-01-15: 6.0 years), battery 20,
    # warranty 10, spare parts 10
    age = (TODAY - date(2020, 1, 15)).days / 365.25
    assert r.loc[0, "obsolescence_risk"] == pytest.approx(round(25 * age / 5 + 20 + 10 + 10, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["desktop", "laptop", "server", "smartphone", "tablet", "monitor"]),
    os_pair=st.sampled_from([("", ""), ("Windows 10 Pro", "22H2"), ("Windows 11 Pro", "23H2"),
                             ("Windows Server 2016 Standard", ""), ("Android", "13"), ("Debian", "12")]),
    cpu=st.sampled_from(["", "Intel(R) Core(TM) i5-7500", "Intel(R) Core(TM) i5-10500"]),
    battery=st.one_of(st.none(), st.floats(30, 100)),
    years=st.integers(0, 14), extra=st.integers(1, 6),
)
def test_older_never_lowers_risk(library, category, os_pair, cpu, battery, years, extra):
    base = {"category": category, "os": os_pair[0], "os_version": os_pair[1], "cpu_model": cpu}
    if battery is not None:
        base["battery_health_pct"] = battery
    young = {**base, "id": "young", "year": TODAY.year - years}
    old = {**base, "id": "old", "year": TODAY.year - years - extra}
    r = scored([young, old], library)
    assert r.loc[1, "obsolescence_risk"] >= r.loc[0, "obsolescence_risk"]
    levels = ["low", "medium", "high", "critical"]
    assert levels.index(r.loc[1, "obsolescence_level"]) >= levels.index(r.loc[0, "obsolescence_level"])
    young_due, old_due = r.loc[0, "replacement_due"], r.loc[1, "replacement_due"]
    assert (pd.isna(young_due) and pd.isna(old_due)) or old_due <= young_due


def test_linux_reuse_target_is_the_newest_lts():
    target = linux_reuse_target(TODAY)
    assert (target.cycle, target.eol) == ("24.04", date(2029, 5, 31))  # Canonical: standard support


def test_snapshot_ships_with_its_licences_and_credits():
    data = ROOT / "factors" / "data"
    for name in ("LICENSE-MIT-endoflife-date.txt", "LICENSE-LGPL-3.0-win11-cpus.txt", "LICENSE-GPL-3.0.txt"):
        assert (data / name).stat().st_size > 500, name
    assert "Copyright 2020 endoflife.date contributors" in (data / "LICENSE-MIT-endoflife-date.txt").read_text()
    credits = (data / "eol.md").read_text()
    assert "endoflife.date" in credits and "WhyNotWin11" in credits and "LGPL-3.0" in credits
    cycles = pd.read_csv(data / "eol-cycles.csv", dtype=str, keep_default_na=False)
    cpus = pd.read_csv(data / "eol-win11-cpus.csv", dtype=str, keep_default_na=False)
    assert (cycles["source"] != "").all() and set(cycles["licence"]) == {"MIT"}
    assert (cpus["source"] != "").all() and set(cpus["licence"]) == {"LGPL-3.0"}


def test_snapshot_is_what_the_build_script_makes_from_shared():
    eol_dir = shared_or_skip("data", "eol")
    from factors.fit.build_eol import CPU_COLUMNS, CYCLE_COLUMNS, build_cpus, build_cycles

    data = ROOT / "factors" / "data"
    cycles = pd.read_csv(data / "eol-cycles.csv", dtype=str, keep_default_na=False)
    cpus = pd.read_csv(data / "eol-win11-cpus.csv", dtype=str, keep_default_na=False)
    assert cycles.to_dict("records") == [{c: r[c] for c in CYCLE_COLUMNS} for r in build_cycles(eol_dir)]
    assert cpus.to_dict("records") == [{c: r[c] for c in CPU_COLUMNS} for r in build_cpus(eol_dir)]
    assert len(cpus) == 1060 + 398 + 25  # README of shared/data/eol: Intel, AMD, Qualcomm models


def test_example_town_stranded_pcs(library):
    from auditor.inventory import read_inventory

    table, _ = read_inventory([ROOT / "examples" / "ville-exemple" / "inventaire-glpi.csv"], country="FR",
                              today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    ineligible = (r["win11_eligibility"] == "ineligible").to_numpy()
    # ineligible PCs on a Windows 10 LTSC release supported to 2032 are not stranded (yet)
    ltsc = r["software_action"].astype(str).str.contains("LTSC|IoT").to_numpy()
    assert (r.loc[ineligible & ltsc, "software_status"] == "supported").all()
    assert r.loc[ineligible & ltsc, "replacement_due"].isna().all()
    stranded = ineligible & r["replacement_due"].notna().to_numpy()
    assert (stranded == (ineligible & ~ltsc)).all()
    assert stranded.sum() >= 150  # the town has about 196 Windows 10 22H2 PCs, most with pre-2018 CPUs
    assert (r.loc[stranded, "obsolescence_level"] == "critical").all()
    assert (r.loc[stranded, "replacement_due"] == pd.Timestamp("2025-10-14")).all()
    assert r.loc[stranded, "obsolescence_reasons"].astype(str).str.contains("cannot run Windows 11").all()
    server_2012 = r["software_action"].astype(str).str.startswith("Windows Server 2012 R2")
    assert server_2012.sum() == 2 and (r.loc[server_2012, "software_status"] == "extended_support").all()
    assert np.isin(r["obsolescence_level"].astype(str), ["low", "medium", "high", "critical"]).all()
    # a device past its average life is never "due": only forced replacements have a date
    due = r["replacement_due"].notna().to_numpy()
    assert (stranded | (r["category"].astype(str).isin(["smartphone", "tablet"]).to_numpy()) | ~due).all()


# -- software upkeep: one case by hand per status, dates from the vendors' lifecycle pages -----------

@pytest.mark.parametrize(("row", "today", "status", "until", "action"), [
    # Microsoft lifecycle: Windows Server 2022 mainstream+extended support to 14 October 2031
    ({"category": "server", "os": "Windows Server 2022 Standard"}, TODAY, "supported", "2031-10-14",
     "Windows Server 2022 supported until 2031-10-14"),
    # Debian: regular security support of 12 ended 2026-07-11, free Debian LTS to 2028-06-30 counts as support
    ({"category": "server", "os": "Debian GNU/Linux 12 (bookworm)", "year": 2021}, date(2026, 12, 1), "supported",
     "2028-06-30", "Debian 12 on free long-term support (Debian LTS) until 2028-06-30; plan the free upgrade to "
     "Debian 13"),
    # Microsoft: Windows 11 23H2 Home/Pro ended 2025-11-11; 25H2 is the current free feature update
    ({"category": "laptop", "os": "Windows 11 Pro", "os_version": "23H2", "year": 2024}, TODAY, "update_due",
     "2025-11-11", "install the free Windows 11 25H2 update"),
    # Canonical: 20.04 standard support ended 2025-05-31, ESM (Ubuntu Pro) to 2030-04-02; 24.04 LTS is free
    ({"category": "server", "os": "Ubuntu 20.04.6 LTS"}, TODAY, "upgrade_due", "2025-05-31",
     "upgrade for free to Ubuntu 24.04; or paid Ubuntu Pro (ESM) until 2030-04-02"),
    # Windows 10 22H2 on an eligible PC: ended 2025-10-14, Windows 11 is a free upgrade
    ({"category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2",
      "cpu_model": "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz"}, TODAY, "upgrade_due", "2025-10-14",
     "upgrade for free to Windows 11 (this PC is eligible)"),
    # ... on a PC that cannot run Windows 11: only the paid ESU (organisations: 3 years, to 2028-10-10)
    ({"category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2",
      "cpu_model": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz"}, TODAY, "extended_support", "2028-10-10",
     "secure only with paid Extended Security Updates (ESU) until 2028-10-10; or reinstall with Linux"),
    # Red Hat: RHEL 7 maintenance ended 2024-06-30; ELS add-on (paid); RHEL 8/9 upgrades come with the subscription
    ({"category": "server", "os": "Red Hat Enterprise Linux Server 7.9"}, TODAY, "upgrade_due", "2024-06-30",
     "or paid Extended Life Cycle Support (ELS) until 2029-05-31"),
    # Broadcom: ESXi 7.0 general support ended 2025-10-02; ESXi 8 needs a new licence
    ({"category": "server", "os": "VMware ESXi", "os_version": "7.0 Update 3"}, TODAY, "unsupported", "2025-10-02",
     "no free upgrade known for this hardware; migrate to VMware ESXi 9.0 (new licence)"),
    # Google: Android 10 security updates ended 2023-03-06; a newer version depends on the phone model
    ({"category": "smartphone", "os": "Android", "os_version": "10"}, TODAY, "unsupported", "2023-03-06",
     "check whether the model takes a newer version"),
    # CentOS Linux 7 ended 2024-06-30: free in-place migration to a RHEL clone
    ({"category": "server", "os": "CentOS Linux 7 (Core)"}, TODAY, "upgrade_due", "2024-06-30",
     "AlmaLinux or Rocky Linux"),
])
def test_software_status_by_hand(library, row, today, status, until, action):
    r = scored([row], library, today=today)
    assert r.loc[0, "software_status"] == status
    assert r.loc[0, "security_support_until"] == pd.Timestamp(until)
    assert action in r.loc[0, "software_action"]


def test_the_issue_cases_are_upkeep_not_hardware_risk(library):
    rows = [{"id": "srv", "category": "server", "os": "Debian GNU/Linux 12 (bookworm)", "purchase_date": "2021-03-01"},
            {"id": "lt", "category": "laptop", "os": "Windows 11 Pro", "os_version": "23H2",
             "purchase_date": "2024-02-01", "cpu_model": "Intel(R) Core(TM) Ultra 5 125U"}]
    r = scored(rows, library, today=date(2026, 12, 1))
    assert r.loc[0, "obsolescence_level"] != "critical" and r.loc[0, "software_status"] == "supported"
    assert "paid" not in r.loc[0, "software_action"]
    assert r.loc[1, "obsolescence_level"] == "low" and r.loc[1, "software_status"] == "update_due"
    assert r["replacement_due"].isna().all()


def test_esxi_server_without_free_path_stays_critical(library):
    r = scored([{"category": "server", "os": "VMware ESXi 7.0", "purchase_date": "2023-01-01"}], library)
    assert r.loc[0, "obsolescence_level"] == "critical"
    assert "unsupported OS with no free upgrade path" in r.loc[0, "obsolescence_reasons"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pair=st.sampled_from([
        (("Ubuntu 20.04 LTS", ""), ("Ubuntu 24.04 LTS", ""), TODAY),
        (("Windows 11 Pro", "23H2"), ("Windows 11 Pro", "25H2"), TODAY),
        (("Windows 10 Pro", "22H2"), ("Windows 11 Pro", "24H2"), TODAY),
        (("Debian GNU/Linux", "12"), ("Debian GNU/Linux", "13"), date(2028, 9, 1)),
        (("CentOS Linux", "7"), ("AlmaLinux OS", "9"), TODAY),
    ]),
    category=st.sampled_from(["server", "desktop", "laptop", "storage", "firewall"]),
    years=st.integers(0, 15), battery=st.one_of(st.none(), st.floats(30, 100)),
    ram=st.sampled_from([4, 8, 16, 64]), warranty=st.sampled_from([None, "2020-01-01", "2030-01-01"]),
)
def test_a_free_upgrade_path_never_makes_a_device_critical(library, pair, category, years, battery, ram, warranty):
    (old_os, old_version), (new_os, new_version), today = pair
    if old_os.startswith("Windows"):
        category = "laptop" if category == "laptop" else "desktop"  # Windows 11 eligibility is checked on PCs
    base = {"category": category, "year": today.year - years, "ram_gb": ram,
            "cpu_model": "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz"}
    if warranty is not None:
        base["warranty_end"] = warranty
    if battery is not None:
        base["battery_health_pct"] = battery
    rows = [{**base, "os": old_os, "os_version": old_version}, {**base, "os": new_os, "os_version": new_version}]
    r = scored(rows, library, today=today)
    assert r.loc[0, "software_status"] in ("update_due", "upgrade_due")
    # the free path is upkeep: the hardware risk is that of the same device on a supported release
    assert r.loc[0, "obsolescence_risk"] == r.loc[1, "obsolescence_risk"]
    assert r.loc[0, "obsolescence_level"] == r.loc[1, "obsolescence_level"]
