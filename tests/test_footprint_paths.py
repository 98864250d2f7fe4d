"""Footprint engine paths that mutation testing found unchecked (docs/testing.md, "Mutation testing").

Each expected value is a hand calculation from the cited rows of ``factors/data/*.csv`` (read with
the standard ``csv`` module by the helpers of ``tests/test_bounds.py``), the formulas of
docs/methodology.md, or a property; none comes from the engine's own code path. Each test names
the mutants (the bug) it kills.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from tests.conftest import TODAY
from tests.test_bounds import archetype, assess_rows, rows_of

OPTIONS = AssessOptions(today=TODAY)


def _usage(category: str, bound: int) -> tuple[float, float, float, float, float, float]:
    """(idle, active, off [W], load [%], hours [h], days [d]) of a category's archetype, one bound."""
    return tuple(archetype(category, p, u)[bound] for p, u in (
        ("power_idle_w", "W"), ("power_active_w", "W"), ("power_off_w", "W"), ("avg_load_pct", "percent"),
        ("hours_per_day", "hour"), ("days_per_year", "day")))


def _yearly_kwh(on_w: float, off_w: float, hours: float, days: float) -> float:
    """E = [d (h P_on + (24 - h) P_off) + (365 - d) 24 P_off] / 1000 (docs/methodology.md)."""
    return (days * (hours * on_w + (24 - hours) * off_w) + (365 - days) * 24 * off_w) / 1000


def _on_power_from_kwh(kwh: float, off_w: float, hours: float, days: float) -> float:
    """The inverse: P_on = (1000 E - off-time energy) / (d h)."""
    off_wh = days * (24 - hours) * off_w + (365 - days) * 24 * off_w
    return (1000 * kwh - off_wh) / (days * hours)


# --- default energy: idle/active interpolated by load, each bound from its own archetype bounds ----
def test_default_laptop_energy_and_bounds_by_hand(library):
    """Kills mixing the value/low/high arrays of idle, active, load, hours or days in ``use_power``."""
    expected = []
    for bound in (0, 1, 2):
        idle, active, off, load, hours, days = _usage("laptop", bound)
        on = idle + load / 100 * (active - idle)
        expected.append(_yearly_kwh(on, off, hours, days))
    row = assess_rows([{"category": "laptop", "quantity": 2}], library).iloc[0]
    assert row["energy_source"] == "default"
    assert (row["energy_kwh_per_year"], row["energy_kwh_per_year_low"], row["energy_kwh_per_year_high"]) == (
        pytest.approx(2 * expected[0]), pytest.approx(2 * expected[1]), pytest.approx(2 * expected[2]))
    idle, active, _, load, _, _ = _usage("laptop", 0)
    assert row["power_w"] == pytest.approx(idle + load / 100 * (active - idle))


# --- which energy source, and which power is reported --------------------------------------------
def test_metered_energy_gives_back_the_power_while_on_by_hand(library):
    """150 kWh/yr metered on a desktop with archetype hours, days and power while off: the power
    while on is the inverse of the energy equation (kills the back-computation dropped or fed the
    wrong hours/days/off power)."""
    _, _, off, _, hours, days = _usage("desktop", 0)
    row = assess_rows([{"category": "desktop", "energy_kwh_per_year": 150}], library).iloc[0]
    assert row["energy_source"] == "declared"
    assert row["power_w"] == pytest.approx(_on_power_from_kwh(150, off, hours, days))
    assert (row["energy_kwh_per_year_low"], row["energy_kwh_per_year"], row["energy_kwh_per_year_high"]) == (
        pytest.approx(150.0), pytest.approx(150.0), pytest.approx(150.0))


def test_declared_power_is_kept_when_the_energy_is_also_metered(library):
    """Power 40 W and 55 kWh/yr both given: the energy is the metered one, the power the declared one
    (kills ``has_energy & ~has_power`` -> ``|`` and the declared power dropped)."""
    row = assess_rows([{"category": "laptop", "power_w": 40, "energy_kwh_per_year": 55}], library).iloc[0]
    assert (row["power_w"], row["energy_kwh_per_year"], row["energy_source"]) == (
        pytest.approx(40.0), pytest.approx(55.0), "declared")


def test_measured_energy_overrides_a_declared_power_and_gives_its_own_power(library):
    """A desktop declared at 40 W but measured at 150 kWh/yr: energy, bounds and power follow the
    measurement (no _low/_high columns: the bounds are the measured value itself)."""
    _, _, off, _, hours, days = _usage("desktop", 0)
    results = assess_rows([{"category": "desktop", "power_w": 40, "quantity": 2},
                           {"category": "desktop", "power_w": 40}], library,
                          extra={"measured_energy_kwh_per_year": [150.0, np.nan]})
    row = results.iloc[0]
    assert results["power_w"].iloc[1] == 40.0  # the row without a measurement keeps its own power
    assert row["energy_source"] == "measured"
    assert (row["energy_kwh_per_year_low"], row["energy_kwh_per_year"], row["energy_kwh_per_year_high"]) == (
        pytest.approx(300.0), pytest.approx(300.0), pytest.approx(300.0))
    assert row["power_w"] == pytest.approx(_on_power_from_kwh(150, off, hours, days))


@pytest.mark.parametrize("given", [{"ram_gb": 64}, {"cpu_count": 1}, {"cpu_tdp_w": 120}, {"avg_load_pct": 20}])
def test_a_server_with_one_spec_or_its_load_given_is_modelled(library, given):
    """The server power model runs on what the inventory gives: one given spec or the load is enough
    for the energy to be ``modelled``, nothing given is ``default`` (kills ``spec_given | ~load.filled``
    -> ``&`` and a spec name dropped from the list)."""
    results = assess_rows([{"category": "server", **given}, {"category": "server"}], library)
    assert results["energy_source"].tolist() == ["modelled", "default"]


# --- the server model reads the CPU table for what the inventory does not give -------------------
def test_cpu_table_figures_stand_in_for_the_inventorys_own(library):
    """A server naming a CPU of the CPU table gets the same modelled power as one that also types
    that CPU's cores, threads and launch year (kills the CPU look-up of ``_server_power`` skipped)."""
    (cpu,) = rows_of("cpus", name="Intel Xeon Bronze 3106")
    base = {"category": "server", "cpu_model": cpu["name"], "cpu_count": 1, "avg_load_pct": 30, "ram_gb": 64}
    typed = {**base, "cpu_cores": int(cpu["cores"]), "cpu_threads": int(cpu["threads"]),
             "year": int(cpu["launch_year"])}
    unknown = {**base, "cpu_model": "a CPU nobody lists"}
    results = assess_rows([base, typed, unknown], library)
    power = results["power_w"].to_numpy()
    # (the bounds differ: a year taken from the CPU's launch is only a lower bound of the year)
    for column in ("power_w", "energy_kwh_per_year"):
        assert results[column].iloc[0] == pytest.approx(results[column].iloc[1], rel=1e-12), column
    assert power[0] != pytest.approx(power[2], rel=1e-3)  # the table's figures do change the model's power


def test_the_inventorys_thread_count_is_used_over_the_cpu_tables(library):
    """Threads typed in the inventory replace the CPU table's (the model has a threads-per-core
    term): the table's own count changes nothing, twice as many changes the power (kills
    ``cpu_threads`` not passed to the model)."""
    (cpu,) = rows_of("cpus", name="Intel Xeon Bronze 3106")
    assert cpu["threads"] == cpu["cores"] == "8"
    assert rows_of("server-power-model", parameter="coef:log_threads_per_core:30")
    base = {"category": "server", "cpu_model": cpu["name"], "cpu_count": 1, "avg_load_pct": 30, "cpu_cores": 8}
    power = assess_rows([base, {**base, "cpu_threads": 8}, {**base, "cpu_threads": 16}], library)["power_w"]
    assert power.iloc[1] == pytest.approx(power.iloc[0], rel=1e-12)
    assert power.iloc[2] != pytest.approx(power.iloc[0], rel=1e-3)


# --- embodied water of a model-covered category: the model's GWP x the table's water/GWP ratio -----
def test_laptop_water_bounds_scale_the_model_gwp_bounds_by_the_table_ratios(library):
    """docs/methodology.md: ``low = GWP_low x min(X/G, X_low/G_low)``, ``high = GWP_high x max(X/G,
    X_high/G_high)``, from the laptop's embodied.csv rows (one ``device`` row per criterion); kills a
    ratio bound computed with ``*`` instead of ``/`` and the high bound divided."""
    gwp = _device_row("laptop", "gwp")
    water = _device_row("laptop", "water")
    ratio = water[0] / gwp[0]
    r_low, r_high = min(ratio, water[1] / gwp[1]), max(ratio, water[2] / gwp[2])
    row = assess_rows([{"category": "laptop", "quantity": 3}], library).iloc[0]
    assert "embodied-model:laptop" in row["factor_ids"].split(";")
    assert row["water_embodied_m3"] == pytest.approx(row["gwp_embodied_kgco2e"] * ratio, rel=1e-9)
    assert row["water_embodied_m3_low"] == pytest.approx(row["gwp_embodied_kgco2e_low"] * r_low, rel=1e-9)
    assert row["water_embodied_m3_high"] == pytest.approx(row["gwp_embodied_kgco2e_high"] * r_high, rel=1e-9)


def _device_row(category: str, criterion: str) -> tuple[float, float, float]:
    (row,) = rows_of("embodied", category=category, criterion=criterion)
    assert row["driver"] == "device", "hand calculation assumes one per-device row"
    return float(row["value"]), float(row["low"]), float(row["high"])


# --- age -------------------------------------------------------------------------------------------
def test_age_from_year_counts_from_the_first_of_july_exactly(library):
    """A year alone is taken as 1 July of that year (day 181 of a common year); a purchase date wins
    over the year; a future date is age 0; neither gives no age."""
    rows = [{"category": "laptop", "year": 2021},
            {"category": "laptop", "year": 2020, "purchase_date": "2022-03-01"},
            {"category": "laptop", "purchase_date": "2026-06-01"},
            {"category": "laptop"}]
    age = assess_rows(rows, library)["age_years"].to_numpy()
    assert age[0] == pytest.approx((TODAY - date(2021, 7, 1)).days / 365.25, abs=1e-12)
    assert age[1] == pytest.approx((TODAY - date(2022, 3, 1)).days / 365.25, abs=1e-12)
    assert age[2] == 0.0
    assert np.isnan(age[3])


def test_age_is_measured_at_the_assessment_date(library):
    table = table_from_records([{"category": "laptop", "purchase_date": "2020-01-15"}], country="FR",
                               today=TODAY, library=library)
    later = assess(table, library, AssessOptions(today=date(2030, 1, 15)))
    assert later["age_years"].iloc[0] == pytest.approx((date(2030, 1, 15) - date(2020, 1, 15)).days / 365.25)


def test_a_server_with_only_its_hours_given_is_modelled(library):
    """Its energy uses the given hours (8 h/day, not the archetype's 24), so its source is
    'modelled', not 'default'; and its energy is below the round-the-clock default's."""
    from auditor.api import assess_table
    from auditor.footprint import AssessOptions
    from auditor.inventory import table_from_records
    from tests.conftest import TODAY

    rows = [{"id": "a", "category": "server", "hours_per_day": 8}, {"id": "b", "category": "server"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=AssessOptions(today=TODAY, pue=1.0))
    assert results["energy_source"].astype(str).tolist() == ["modelled", "default"]
    assert results["energy_kwh_per_year"].iloc[0] < results["energy_kwh_per_year"].iloc[1]
