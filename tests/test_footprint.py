"""Footprint engine: invariants (hypothesis), energy-source precedence, PUE, bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from auditor.results import RESULT_COLUMNS, total_column, use_column
from factors.tables import CATEGORIES, CRITERIA
from tests.conftest import TODAY

IMPACT_COLUMNS = [c for c in RESULT_COLUMNS if c.startswith(("energy_kwh", *CRITERIA)) and "source" not in c]
OPTIONS = AssessOptions(today=TODAY)

records = st.fixed_dictionaries(
    {"category": st.sampled_from(CATEGORIES), "quantity": st.integers(1, 50)},
    optional={
        "ram_gb": st.floats(1, 512), "screen_size_in": st.floats(5, 85),
        "avg_load_pct": st.floats(0, 100), "hours_per_day": st.floats(0, 24),
        "year": st.integers(2005, 2025), "cpu_count": st.integers(1, 4),
        "power_w": st.floats(0.5, 800), "lifetime_years": st.floats(1, 15),
        "country": st.sampled_from(["FR", "DE", "PL", "MA", "US", "NO"]),
    },
)


def run(rows, library, options=OPTIONS):
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    return assess(table, library, options)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records, min_size=1, max_size=8))
def test_impacts_non_negative_and_bounded(library, rows):
    results = run(rows, library)
    assert list(results.columns) == list(RESULT_COLUMNS)
    values = results[IMPACT_COLUMNS].to_numpy(dtype=float)
    # adpe and pe may be NaN (no shipped factor, see test_licences.py), never another column
    unshipped = np.array([c.startswith(("adpe_", "pe_")) for c in IMPACT_COLUMNS])
    assert np.isfinite(values[:, ~unshipped]).all()
    assert not np.isinf(values).any()
    known = np.nan_to_num(values, nan=0.0)
    assert (known >= 0).all()
    for column in IMPACT_COLUMNS:
        if column.endswith(("_low", "_high")):
            continue
        low, value, high = (np.nan_to_num(results[f"{column}{s}"].to_numpy(dtype=float))
                            for s in ("_low", "", "_high"))
        assert (low <= value * (1 + 1e-9) + 1e-12).all(), column
        assert (value <= high * (1 + 1e-9) + 1e-12).all(), column


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records)
def test_doubling_quantity_doubles_impacts(library, row):
    single = run([row], library)
    double = run([{**row, "quantity": row["quantity"] * 2}], library)
    np.testing.assert_allclose(double[IMPACT_COLUMNS].to_numpy(float),
                               2 * single[IMPACT_COLUMNS].to_numpy(float), rtol=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, st.sampled_from(["FR", "SE", "NO", "CH"]), st.sampled_from(["PL", "DE", "IN", "CN", "ZA"]))
def test_dirtier_grid_never_lowers_use_phase_ghg(library, row, clean, dirty):
    low_carbon = run([{**row, "country": clean}], library)
    high_carbon = run([{**row, "country": dirty}], library)
    assert library.electricity_factor(dirty, "gwp").value > library.electricity_factor(clean, "gwp").value
    assert (high_carbon[use_column("gwp")] >= low_carbon[use_column("gwp")]).all()
    assert (high_carbon[total_column("gwp")] >= low_carbon[total_column("gwp")]).all()


def test_energy_source_precedence(library):
    rows = [
        {"category": "laptop"},
        {"category": "laptop", "hours_per_day": 10},
        {"category": "laptop", "power_w": 40},
        {"category": "laptop", "power_w": 40, "energy_kwh_per_year": 55},
        {"category": "server"},
        {"category": "server", "avg_load_pct": 30, "cpu_count": 2, "ram_gb": 128},
    ]
    results = run(rows, library)
    assert results["energy_source"].tolist() == ["default", "modelled", "declared", "declared", "default", "modelled"]
    assert results["energy_kwh_per_year"].iloc[3] == pytest.approx(55)
    assert results["power_w"].iloc[2] == pytest.approx(40)


def test_declared_power_24h_gives_power_times_hours(library):
    rows = [{"category": "network_switch", "power_w": 100, "hours_per_day": 24, "days_per_year": 365}]
    results = run(rows, library)
    assert results["energy_kwh_per_year"].iloc[0] == pytest.approx(100 * 8760 / 1000)


def test_pue_applies_to_servers_only_and_can_be_overridden(library):
    rows = [{"category": "server", "power_w": 200, "hours_per_day": 24, "days_per_year": 365, "site": "HDV"},
            {"category": "network_switch", "power_w": 200, "hours_per_day": 24, "days_per_year": 365, "site": "HDV"}]
    default_pue = float(library.parameter("pue_onsite_default")["value"])
    results = run(rows, library)
    assert results["pue"].tolist() == [pytest.approx(default_pue), 1.0]
    assert results["energy_kwh_per_year"].iloc[0] == pytest.approx(200 * 8.76 * default_pue)
    assert results["energy_kwh_per_year"].iloc[1] == pytest.approx(200 * 8.76)
    assert "pue" in results["factor_ids"].iloc[0]
    overridden = run(rows, library, AssessOptions(today=TODAY, site_pue={"HDV": 1.3}))
    assert overridden["energy_kwh_per_year"].iloc[0] == pytest.approx(200 * 8.76 * 1.3)
    per_row = run([{**rows[0], "pue": 1.2}], library)
    assert per_row["energy_kwh_per_year"].iloc[0] == pytest.approx(200 * 8.76 * 1.2)


def test_bigger_monitor_has_bigger_embodied_footprint(library):
    results = run([{"category": "monitor", "screen_size_in": 22}, {"category": "monitor", "screen_size_in": 32}], library)
    assert results["gwp_embodied_kgco2e"].iloc[1] > results["gwp_embodied_kgco2e"].iloc[0]


def test_server_embodied_grows_with_components(library):
    small = {"category": "server", "cpu_count": 1, "ram_gb": 32, "ssd_count": 1, "ssd_gb": 480, "hdd_count": 0}
    big = {"category": "server", "cpu_count": 2, "ram_gb": 512, "ssd_count": 8, "ssd_gb": 3840, "hdd_count": 4}
    results = run([small, big], library)
    assert results["gwp_embodied_kgco2e"].iloc[1] > results["gwp_embodied_kgco2e"].iloc[0]


def test_use_phase_is_energy_times_country_factor(library):
    results = run([{"category": "desktop", "power_w": 50, "hours_per_day": 8, "days_per_year": 220, "country": "DE"}], library)
    for criterion, column in (("gwp", "gwp_use_kgco2e_per_year"), ("water", "water_use_m3_per_year")):
        factor = library.electricity_factor("DE", criterion)
        assert results[column].iloc[0] == pytest.approx(results["energy_kwh_per_year"].iloc[0] * factor.value)


def test_unknown_water_factor_falls_back_to_region_visibly(library):
    results = run([{"category": "laptop", "country": "MA"}], library)
    ids = results["factor_ids"].iloc[0].split(";")
    assert "elec-MA-gwp" in ids
    water = library.electricity_factor("MA", "water")
    assert water.id in ids and "MA" not in water.id


def test_filled_specs_are_flagged(library):
    results = run([{"category": "server"}, {"category": "server", "ram_gb": 64, "cpu_count": 2,
                                            "cpu_tdp_w": 120, "ssd_count": 2, "ssd_gb": 480, "hdd_count": 0}], library)
    assert "ram_gb" in results["filled_specs"].iloc[0]
    assert "ram_gb" not in results["filled_specs"].iloc[1]


def test_age_from_date_or_year(library):
    results = run([{"category": "laptop", "purchase_date": "15/01/2021"}, {"category": "laptop", "year": 2020}], library)
    assert results["age_years"].iloc[0] == pytest.approx(5.0, abs=0.01)
    assert results["age_years"].iloc[1] == pytest.approx(5.54, abs=0.01)


def test_total_is_embodied_over_lifetime_plus_use(library):
    results = run([{"category": "laptop", "lifetime_years": 4}], library)
    row = results.iloc[0]
    assert row["gwp_total_kgco2e_per_year"] == pytest.approx(row["gwp_embodied_kgco2e"] / 4 + row["gwp_use_kgco2e_per_year"])


def test_measured_energy_wins_over_declared(library):
    table = table_from_records([{"category": "desktop", "power_w": 40}, {"category": "desktop"}],
                               country="FR", today=TODAY, library=library)
    table["measured_energy_kwh_per_year"] = [120.0, np.nan]
    results = assess(table, library, OPTIONS)
    assert results["energy_source"].tolist() == ["measured", "default"]
    assert results["energy_kwh_per_year"].iloc[0] == pytest.approx(120.0)


def test_factor_ids_name_the_models_used(library):
    from reports.opendata import factors_used

    results = run([{"category": "server", "avg_load_pct": 20}, {"category": "laptop"}], library)
    assert "server-power-model" in results["factor_ids"].iloc[0].split(";")
    assert "embodied-model:laptop" in results["factor_ids"].iloc[1].split(";")
    used, missing = factors_used(results, library)
    assert missing == []
    assert set(used["table"]) >= {"server-power-model", "embodied-model", "electricity", "embodied"}
    assert (used["source"].str.len() > 0).all()
