"""Recommendation builders checked against hand calculations (mutation testing, docs/testing.md).

The thresholds are read from ``factors/data/scoring.csv`` and the archetypes from
``factors/data/archetypes.csv`` with the standard ``csv`` module; the rows each action changes and
the changed values are worked out here from the rules written in ``auditor/recommend.py``'s
docstring, never taken from the builders themselves. Each test names the mutants it kills.
"""

from __future__ import annotations

import numpy as np
import pytest

from auditor.api import assess_table
from auditor.footprint import AssessOptions
from auditor.inventory import table_from_records
from auditor.recommend import plan
from tests.conftest import TODAY
from tests.test_bounds import archetype, rows_of

OPTIONS = AssessOptions(today=TODAY)


def scoring(parameter: str) -> float:
    (row,) = rows_of("scoring", parameter=parameter)
    return float(row["value"])


def actions_of(rows, library) -> dict:
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    return {a.action: a for a in plan(table, results, library, OPTIONS)}, table


def ids(action, table) -> list[str]:
    return [str(i) for i in table["id"].to_numpy()[action.rows]]


def test_right_size_keeps_a_server_whose_load_stays_at_or_under_the_target(library):
    """One socket fewer multiplies the load by s / (s - 1): 25 % on 2 sockets -> 50 %, exactly the
    target (kept: 'at or below'); 26 % -> 52 % is over; 30 % on 3 sockets -> 45 %; one socket cannot
    lose one. Loads above the on-premise average keep them out of consolidation."""
    target = scoring("server_load_target_pct")
    reference = scoring("server_load_reference_pct")
    assert target == 50 and reference < 25
    rows = [{"id": "two-25", "category": "server", "site": "A", "avg_load_pct": 25, "cpu_count": 2},
            {"id": "two-26", "category": "server", "site": "B", "avg_load_pct": 26, "cpu_count": 2},
            {"id": "three-30", "category": "server", "site": "C", "avg_load_pct": 30, "cpu_count": 3},
            {"id": "one-10", "category": "server", "site": "D", "avg_load_pct": 20, "cpu_count": 1},
            {"id": "none", "category": "server", "site": "E", "avg_load_pct": 20, "cpu_count": 2, "quantity": 0}]
    actions, table = actions_of(rows, library)
    act = actions["right-size-servers"]
    assert ids(act, table) == ["two-25", "three-30"]
    assert act.after["cpu_count"].tolist() == [1, 2]
    assert act.after["avg_load_pct"].tolist() == pytest.approx([50.0, 45.0])
    assert act.before["cpu_count"].tolist() == [2, 3] and act.before["avg_load_pct"].tolist() == [25, 30]
    assert "mean load 28 % -> 48 %" in act.explanation  # (25 + 30) / 2 = 27.5, (50 + 45) / 2 = 47.5


def test_worn_batteries_strictly_below_the_threshold_keep_the_device_to_its_longest_life(library):
    """Worn means below the threshold (80 % is not worn); the device is then kept to its category's
    longest cited lifetime (archetype high), unless its lifetime is already that long."""
    threshold = scoring("battery_worn_threshold_pct")
    life = archetype("laptop", "lifetime_years", "year")
    rows = [{"id": "at", "category": "laptop", "battery_health_pct": threshold, "year": 2024},
            {"id": "below", "category": "laptop", "battery_health_pct": threshold - 0.5, "year": 2024},
            {"id": "long", "category": "laptop", "battery_health_pct": 50, "year": 2024,
             "lifetime_years": life[2]},
            {"id": "desk", "category": "desktop", "battery_health_pct": 50, "year": 2024}]
    actions, table = actions_of(rows, library)
    act = actions["replace-batteries"]
    assert ids(act, table) == ["below"]
    assert act.explanation.startswith(f"1 laptops, phones or tablets have a battery below {threshold:.0f} %")
    assert act.after["lifetime_years"].tolist() == [life[2]]
    # the replaced-battery laptop is not also counted in the lifetime extension
    assert "below" not in ids(actions["extend-lifetimes"], table)


def test_switch_off_brings_hours_and_days_back_to_the_working_time(library):
    """Desktop working time (archetype): 8 h, 220 d. Hours or days above it are brought back to it,
    a value not given stays not given; a metered energy cannot be re-timed (left out and counted)."""
    hours = archetype("desktop", "hours_per_day", "hour")[0]
    days = archetype("desktop", "days_per_year", "day")[0]
    rows = [{"id": "late", "category": "desktop", "hours_per_day": hours + 4, "days_per_year": days, "year": 2024},
            {"id": "weekends", "category": "desktop", "days_per_year": 365, "year": 2024},
            {"id": "short", "category": "desktop", "hours_per_day": hours - 2, "days_per_year": days - 20,
             "year": 2024},
            {"id": "metered", "category": "desktop", "hours_per_day": 24, "energy_kwh_per_year": 300,
             "year": 2024},
            {"id": "server", "category": "server", "hours_per_day": 24, "days_per_year": 365, "year": 2024}]
    actions, table = actions_of(rows, library)
    act = actions["switch-off-outside-working-hours"]
    assert ids(act, table) == ["late", "weekends"]
    assert act.after["hours_per_day"].tolist()[0] == hours and np.isnan(act.after["hours_per_day"].iloc[1])
    assert act.after["days_per_year"].tolist() == [days, days]
    assert "1 devices with metered or measured energy are left out" in act.explanation
    assert f"mean {hours + 4:.0f} h a day" in act.explanation


def test_idle_servers_of_a_site_are_packed_onto_as_few_as_reach_the_target(library):
    """Four 16-core servers at 3 % on one site: work = 4 x 0.03 x 16 = 1.92 cores; one server at the
    50 % target holds 8 cores, so one is kept at 100 x 1.92 / 16 = 12 % and three are removed; the
    memory of the four (4 x 64 GB) moves to the kept one. A lone idle server on another site has
    nobody to be packed with."""
    rows = [{"id": f"s{k}", "category": "server", "site": "Mairie", "avg_load_pct": 3, "cpu_count": 2,
             "cpu_cores": 16, "ram_gb": 64, "year": 2020 + k} for k in range(4)]
    rows.append({"id": "alone", "category": "server", "site": "Ecole", "avg_load_pct": 3, "year": 2022})
    actions, table = actions_of(rows, library)
    act = actions["consolidate-servers"]
    assert ids(act, table) == ["s0", "s1", "s2", "s3"]
    after = act.after.set_index("id")
    kept = after.index[after["quantity"] > 0].tolist()
    assert kept == ["s3"]  # equal capacities: the youngest is kept
    assert after.loc["s3", "avg_load_pct"] == pytest.approx(100 * 4 * 0.03 * 16 / 16)
    assert after.loc["s3", "ram_gb"] == pytest.approx(4 * 64)
    assert (after.loc[["s0", "s1", "s2"], "quantity"] == 0).all()
    assert "3 servers can be switched off" in act.explanation


def test_extend_lifetimes_only_below_the_longest_cited_life(library):
    """Low- or medium-risk devices reach their category's archetype high lifetime; a device already
    given that lifetime is left alone."""
    life = archetype("monitor", "lifetime_years", "year")
    switch = archetype("network_switch", "lifetime_years", "year")
    rows = [{"id": "short", "category": "monitor", "year": 2024},
            {"id": "long", "category": "monitor", "year": 2024, "lifetime_years": life[2]},
            {"id": "none", "category": "monitor", "year": 2024, "quantity": 0},
            {"id": "switch", "category": "network_switch", "year": 2024}]
    actions, table = actions_of(rows, library)
    act = actions["extend-lifetimes"]
    assert ids(act, table) == ["short", "switch"]
    assert act.after["lifetime_years"].tolist() == [life[2], switch[2]]
    assert f"monitor {life[2]:g}, network switch {switch[2]:g}" in act.explanation
    assert act.before["lifetime_years"].isna().all() or act.before["lifetime_years"].tolist() == [life[0]]


def test_savings_are_priced_with_the_assessments_own_pue(library):
    """Every row here is a server: its energy is plug energy x PUE, so with a site PUE of 2.0 the
    energy saved by right-sizing is exactly twice the saving at PUE 1.0 (kills ``savings`` re-assessing
    the rows before or after the action without the assessment's options)."""
    from auditor.recommend import savings

    rows = [{"id": "two-25", "category": "server", "avg_load_pct": 25, "cpu_count": 2, "year": 2022}]
    saved = {}
    for pue in (1.0, 2.0):
        options = AssessOptions(today=TODAY, pue=pue)
        table = table_from_records(rows, country="FR", today=TODAY, library=library)
        results = assess_table(table, library=library, options=options)
        (act,) = [a for a in plan(table, results, library, options) if a.action == "right-size-servers"]
        saved[pue] = savings(act, library, options)
    assert saved[1.0]["energy"] > 0
    assert saved[2.0]["energy"] == pytest.approx(2 * saved[1.0]["energy"], rel=1e-9)


def test_stranded_pcs_below_chromeos_flex_minimums_are_left_out_and_counted(library):
    """Windows 10 PCs whose CPU is not on Microsoft's list are stranded; ChromeOS Flex needs 4 GB RAM
    and 16 GB storage (scoring.csv). The one with 2 GB is left out and counted (1), an eligible
    Windows 11 PC with 2 GB is neither (kills the count taken over every stranded PC or every PC)."""
    assert (scoring("chromeos_flex_min_ram_gb"), scoring("chromeos_flex_min_storage_gb")) == (4, 16)
    old_cpu = "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz"  # 7th generation: not on the Windows 11 lists
    base = {"category": "desktop", "os": "Windows 10 Pro", "os_version": "22H2", "year": 2018,
            "cpu_model": old_cpu, "storage_gb": 256}
    rows = [{**base, "id": "ok", "ram_gb": 8},
            {**base, "id": "small", "ram_gb": 2},
            {"id": "w11", "category": "desktop", "os": "Windows 11 Pro", "os_version": "23H2", "year": 2023,
             "ram_gb": 2}]
    actions, table = actions_of(rows, library)
    act = actions["reuse-stranded-pcs"]
    assert ids(act, table) == ["ok"]
    assert act.explanation.endswith(" 1 stranded PCs below ChromeOS Flex's minimum are left out.")
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    (fr,) = [a for a in plan(table, results, library, OPTIONS, lang="fr") if a.action == "reuse-stranded-pcs"]
    assert fr.explanation.startswith("1 PC ") and fr.explanation.endswith(
        " 1 PC bloqués sous le minimum de ChromeOS Flex sont laissés de côté.")


def test_without_core_counts_servers_are_packed_by_sockets(library):
    """No core count given: capacity is the number of sockets. Three servers at 10 % (under the
    on-premise average) with 4, 1 and 1 sockets: work = 0.1 x (4 + 1 + 1) = 0.6 socket; the 4-socket
    server alone holds 50 % x 4 = 2, so it is kept at 100 x 0.6 / 4 = 15 % and the two others go."""
    rows = [{"id": "big", "category": "server", "site": "Mairie", "avg_load_pct": 10, "cpu_count": 4, "year": 2020},
            {"id": "a", "category": "server", "site": "Mairie", "avg_load_pct": 10, "cpu_count": 1, "year": 2022},
            {"id": "b", "category": "server", "site": "Mairie", "avg_load_pct": 10, "cpu_count": 1, "year": 2023}]
    actions, table = actions_of(rows, library)
    act = actions["consolidate-servers"]
    after = act.after.set_index("id")
    assert after["quantity"].tolist() == [1, 0, 0]
    assert after.loc["big", "avg_load_pct"] == pytest.approx(100 * 0.1 * 6 / 4)
    assert "load x sockets" in act.explanation and "2 servers can be switched off" in act.explanation


def test_consolidation_stops_exactly_at_the_target_load(library):
    """Four one-socket servers at 12.5 %: work = 4 x 0.125 = 0.5 socket = exactly 50 % of one
    server, so one is enough ('at up to' the target) and three go."""
    rows = [{"id": f"s{k}", "category": "server", "site": "Mairie", "avg_load_pct": 12.5, "cpu_count": 1,
             "year": 2020 + k} for k in range(4)]
    actions, _ = actions_of(rows, library)
    act = actions["consolidate-servers"]
    after = act.after.set_index("id")
    assert after["quantity"].tolist() == [0, 0, 0, 1]
    assert after.loc["s3", "avg_load_pct"] == pytest.approx(50.0)
    assert act.title == "Consolidate under-used servers"


def test_consolidated_memory_moves_in_proportion_to_the_kept_quantity(library):
    """A row of 2 identical servers and a single one, 16 cores and 64 GB each, at 3 %: work = 0.03 x
    16 x 3 = 1.44 cores; the pair (youngest) holds 50 % x 32 = 16, so it is kept at 100 x 1.44 / 32
    = 4.5 %; the memory of the group (64 x 2 + 64 = 192 GB) is spread over the pair's 128 GB: each
    kept server gets 64 x 192 / 128 = 96 GB."""
    rows = [{"id": "pair", "category": "server", "site": "Mairie", "avg_load_pct": 3, "cpu_cores": 16,
             "ram_gb": 64, "quantity": 2, "year": 2023},
            {"id": "single", "category": "server", "site": "Mairie", "avg_load_pct": 3, "cpu_cores": 16,
             "ram_gb": 64, "year": 2019}]
    actions, _ = actions_of(rows, library)
    after = actions["consolidate-servers"].after.set_index("id")
    assert after.loc["pair", "quantity"] == 2 and after.loc["single", "quantity"] == 0
    assert after.loc["pair", "avg_load_pct"] == pytest.approx(4.5)
    assert after.loc["pair", "ram_gb"] == pytest.approx(96.0)
    assert "1 servers can be switched off" in actions["consolidate-servers"].explanation


def test_switch_off_with_only_the_days_given(library):
    """Days over the working time, hours not given: the row is re-timed on its days alone (the mean
    of hours given is then unknown, never a crash)."""
    days = archetype("desktop", "days_per_year", "day")[0]
    actions, table = actions_of([{"id": "weekends", "category": "desktop", "days_per_year": 365, "year": 2024}],
                                library)
    act = actions["switch-off-outside-working-hours"]
    assert ids(act, table) == ["weekends"] and act.after["days_per_year"].tolist() == [days]
    assert act.title == "Switch off at night and at weekends"


def test_lifetimes_are_extended_only_at_low_or_medium_risk(library):
    """Microsoft: Windows Server 2012 R2 lost free support on 2023-10-10 (paid ESU until 2026-10-13),
    so a server on it is at least high risk and is not kept longer; a Windows Server 2022 one is."""
    rows = [{"id": "old-os", "category": "server", "os": "Windows Server 2012 R2 Standard", "year": 2024},
            {"id": "new-os", "category": "server", "os": "Windows Server 2022 Standard", "year": 2024}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    assert results["obsolescence_level"].astype(str).tolist() == ["high", "low"]
    (act,) = [a for a in plan(table, results, library, OPTIONS) if a.action == "extend-lifetimes"]
    assert ids(act, table) == ["new-os"]


def test_every_action_has_its_title_and_text_in_french(library):
    """Titles and explanations follow ``lang`` for every action, including the one about metered
    devices left out of the switch-off (texts of auditor/scoring/texts.py, French column)."""
    rows = [{"id": "late", "category": "desktop", "hours_per_day": 12, "year": 2024},
            {"id": "metered", "category": "desktop", "hours_per_day": 24, "energy_kwh_per_year": 300, "year": 2024},
            {"id": "hungry", "category": "ip_phone", "energy_kwh_per_year": 200, "country": "PL", "year": 2015},
            {"id": "screen", "category": "monitor", "year": 2024}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    fr = {a.action: a for a in plan(table, results, library, OPTIONS, lang="fr")}
    assert fr["switch-off-outside-working-hours"].title == "Éteindre la nuit et le week-end"
    assert fr["switch-off-outside-working-hours"].explanation.endswith(
        " 1 équipements à énergie relevée ou mesurée sont laissés de côté (le moteur ne peut pas changer leurs horaires).")
    assert fr["replace-where-break-even"].title == "Remplacer seulement si le point d’équilibre est atteint"
    assert fr["extend-lifetimes"].title == "Prolonger la durée de vie des équipements"
    en = {a.action: a for a in plan(table, results, library, OPTIONS)}
    assert en["replace-where-break-even"].title == "Replace only where the break-even is reached"


@pytest.mark.parametrize("pue", [1.0, 3.0])
def test_replacement_candidates_are_servers_with_modelled_energy_not_default(library, pue):
    """Servers are replacement candidates when their energy is modelled (load given), never on the
    archetype default; a one-year-old server never pays back a new one's manufacture (its use
    barely differs), whatever the PUE, while a 2010 one in Poland (0.61 kgCO2e/kWh) does."""
    options = AssessOptions(today=TODAY, pue=pue)
    rows = [{"id": "s2025", "category": "server", "avg_load_pct": 20, "year": 2025, "country": "PL"},
            {"id": "s2010", "category": "server", "avg_load_pct": 20, "year": 2010, "country": "PL"},
            {"id": "s2008", "category": "server", "year": 2008, "country": "PL"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=options)
    assert results["energy_source"].astype(str).tolist() == ["modelled", "modelled", "default"]
    (act,) = [a for a in plan(table, results, library, options) if a.action == "replace-where-break-even"]
    assert ids(act, table) == ["s2010"]
    assert act.explanation.startswith("1 of 2 devices with declared, measured or modelled energy")


def test_web_services_get_no_hardware_action(library):
    """A web_service row is left out of the hardware actions (its checks are page measurements);
    the other rows are still recommended on."""
    from auditor.recommend import recommend

    rows = [{"id": "site", "category": "web_service", "monthly_visits": 1000},
            {"id": "worn", "category": "laptop", "battery_health_pct": 50, "year": 2024}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    recs = recommend(table, results, library, OPTIONS)
    assert [r["items"] for r in recs if r["action"] == "replace-batteries"] == [["worn"]]
    assert all("site" not in r["items"] for r in recs)


def test_replacement_break_even_years_by_hand(library):
    """An IP phone metered at 60 kWh/yr in Poland. A new default one (archetypes.csv) draws 4.566 W
    around the clock: 8,760 x 4.566 / 1000 = 40.0 kWh/yr; the use saved is (60 - 40.0) x the Polish
    factor (electricity.csv), and the new phone's manufacture (embodied.csv, 17 kgCO2e) is paid back
    after 17 / that saving = 1.38 years, shown as 1.4."""
    (pl,) = rows_of("electricity", id="elec-PL-gwp")
    watts = archetype("ip_phone", "power_idle_w", "W")[0]
    assert archetype("ip_phone", "power_active_w", "W")[0] == archetype("ip_phone", "power_off_w", "W")[0] == watts
    (emb,) = rows_of("embodied", id="emb-ip-phone-gwp-device")
    new_kwh = 8760 * watts / 1000
    payback = float(emb["value"]) / ((60 - new_kwh) * float(pl["value"]))
    rows = [{"id": "phone", "category": "ip_phone", "energy_kwh_per_year": 60, "country": "PL", "year": 2015}]
    actions, table = actions_of(rows, library)
    act = actions["replace-where-break-even"]
    assert ids(act, table) == ["phone"]
    assert f"(break-even after {payback:.1f} years, median)" in act.explanation
    assert f"{payback:.1f}" == "1.4"
