"""Bounds of the footprint, checked against hand calculations from the cited factor rows.

Every expected value here is computed in the test from the rows of ``factors/data/*.csv`` (read
with the standard ``csv`` module, not with the loader under test) and the formulas written in
``docs/methodology.md``; none comes from the engine's own code path. Each test names the bug it
would catch.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from factors.errors import FactorTableError
from factors.tables import DATA_DIR, load_table
from tests.conftest import TODAY

OPTIONS = AssessOptions(today=TODAY)


def rows_of(table: str, **keys: str) -> list[dict[str, str]]:
    """Rows of a packaged factor CSV whose columns equal ``keys``."""
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if all(r[k] == v for k, v in keys.items())]


def triple(row: dict[str, str]) -> tuple[float, float, float]:
    return float(row["value"]), float(row["low"]), float(row["high"])


def fr_grid() -> tuple[float, float, float]:
    """France's GHG factor: Ember's value (electricity.csv), bounds = min/max with Electricity Maps'
    range (electricity-maps.csv); the two files are kept apart by licence (factors/data/electricity.md)."""
    ember = triple(rows_of("electricity", id="elec-FR-gwp")[0])
    maps = triple(rows_of("electricity-maps", country="FR", criterion="gwp")[0])
    return ember[0], min(ember[1], ember[0], maps[1]), max(ember[2], ember[0], maps[2])


def archetype(category: str, parameter: str, unit: str) -> tuple[float, float, float]:
    (row,) = rows_of("archetypes", category=category, parameter=parameter)
    assert row["unit"] == unit, f"hand calculation assumes {parameter} in {unit}"
    return triple(row)


def assess_rows(rows, library, options=OPTIONS, extra=None):
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    for column, values in (extra or {}).items():
        table[column] = values
    return assess(table, library, options)


def yearly_kwh(on_w: float, off_w: float, hours: float, days: float) -> float:
    """E = [d (h P_on + (24 - h) P_off) + (365 - d) 24 P_off] / 1000 (docs/methodology.md)."""
    return (days * (hours * on_w + (24 - hours) * off_w) + (365 - days) * 24 * off_w) / 1000


# --- factor loader: 0 <= low <= value <= high ------------------------------------------------
@pytest.mark.parametrize(("value", "low", "high"), [(0.9, 0.1, 0.5), (0.05, 0.1, 0.5)])
def test_loader_refuses_a_value_outside_its_own_bounds(tmp_path, value, low, high):
    """Catches the check reduced to ``low <= high`` (both rows keep low <= high)."""
    path = tmp_path / "electricity.csv"
    path.write_text("id,country,criterion,value,low,high,unit,source,licence,year,notes\n"
                    f"e,FR,gwp,{value},{low},{high},kgCO2e/kWh,Someone 2024,CC-BY-4.0,2024,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"electricity.csv row 2: 'e' needs 0 <= low <= value <= high"):
        load_table("electricity", path)


def test_loader_accepts_a_value_on_its_bounds(tmp_path):
    path = tmp_path / "electricity.csv"
    path.write_text("id,country,criterion,value,low,high,unit,source,licence,year,notes\n"
                    "e,FR,gwp,0.5,0.5,0.5,kgCO2e/kWh,Someone 2024,CC-BY-4.0,2024,\n", encoding="utf-8")
    assert load_table("electricity", path)[["value", "low", "high"]].iloc[0].tolist() == [0.5, 0.5, 0.5]


# --- measured energy keeps its own bounds ----------------------------------------------------
def test_measured_energy_bounds_are_the_measured_low_and_high(library):
    """Catches ``_low`` and ``_high`` swapped: a desktop (PUE 1) x3 measured at 100 [80, 130] kWh/yr."""
    results = assess_rows([{"category": "desktop", "quantity": 3}], library, extra={
        "measured_energy_kwh_per_year": [100.0], "measured_energy_kwh_per_year_low": [80.0],
        "measured_energy_kwh_per_year_high": [130.0]})
    row = results.iloc[0]
    assert row["energy_source"] == "measured"
    assert (row["energy_kwh_per_year_low"], row["energy_kwh_per_year"], row["energy_kwh_per_year_high"]) == (
        pytest.approx(240.0), pytest.approx(300.0), pytest.approx(390.0))
    _, low, high = fr_grid()
    assert row["gwp_use_kgco2e_per_year_low"] == pytest.approx(240.0 * low)
    assert row["gwp_use_kgco2e_per_year_high"] == pytest.approx(390.0 * high)


# --- PUE: every server-room category ---------------------------------------------------------
@pytest.mark.parametrize("category", ["server", "storage"])
def test_server_room_categories_get_the_default_pue(library, category):
    """Catches a category dropped from the PUE categories: 100 W, 24 h, 365 d = 876 kWh x PUE."""
    (pue_row,) = rows_of("parameters", parameter="pue_onsite_default")
    pue, pue_low, pue_high = triple(pue_row)
    results = assess_rows([{"category": category, "power_w": 100, "hours_per_day": 24,
                            "days_per_year": 365}], library)
    row = results.iloc[0]
    assert row["pue"] == pytest.approx(pue)
    assert row["energy_kwh_per_year"] == pytest.approx(876.0 * pue)
    off = archetype(category, "power_off_w", "W")  # 24 h on: the power while off plays no part
    assert off[0] >= 0
    assert row["energy_kwh_per_year_low"] == pytest.approx(876.0 * pue_low)
    assert row["energy_kwh_per_year_high"] == pytest.approx(876.0 * pue_high)


def test_office_categories_get_no_pue(library):
    results = assess_rows([{"category": c, "power_w": 100, "hours_per_day": 24, "days_per_year": 365}
                           for c in ("desktop", "network_switch", "laptop")], library)
    assert results["pue"].tolist() == [1.0, 1.0, 1.0]
    assert results["energy_kwh_per_year"].tolist() == pytest.approx([876.0] * 3)


# --- embodied bounds use the filled specs' bounds ----------------------------------------------
def _storage_embodied_by_hand(bound: int) -> float:
    """Embodied GWP of one storage bay with every spec filled from its archetype (0 value, 1 low,
    2 high): sum over the factor rows of factor x driver, where ``ssd_gb`` is per drive (x count)."""
    factors = {r["driver"]: triple(r) for r in rows_of("embodied", category="storage", criterion="gwp")}
    assert {r["unit"] for r in rows_of("embodied", category="storage", criterion="gwp")} <= {"kgCO2e", "kgCO2e/GB"}

    def spec(name: str, unit: str) -> float:
        return archetype("storage", name, unit)[bound]

    quantity = {"device": 1.0, "ssd_count": spec("ssd_count", "dimensionless"),
                "hdd_count": spec("hdd_count", "dimensionless"), "psu_count": spec("psu_count", "dimensionless"),
                "ssd_gb": spec("ssd_gb", "GB") * spec("ssd_count", "dimensionless"),
                "hdd_gb": spec("hdd_gb", "GB") * spec("hdd_count", "dimensionless")}
    assert set(factors) <= set(quantity), f"new storage driver(s): {set(factors) - set(quantity)}"
    return sum(f[bound] * quantity[driver] for driver, f in factors.items())


def test_storage_embodied_bounds_use_the_filled_specs_bounds(library):
    """Catches the embodied high (or low) bound computed with the filled specs' central value."""
    results = assess_rows([{"category": "storage", "quantity": 2}], library)
    row = results.iloc[0]
    for bound, column in enumerate(("gwp_embodied_kgco2e", "gwp_embodied_kgco2e_low", "gwp_embodied_kgco2e_high")):
        assert row[column] == pytest.approx(2 * _storage_embodied_by_hand(bound), rel=1e-9), column
    assert set(row["filled_specs"].split(";")) >= {"hdd_count", "psu_count", "ssd_gb"}


# --- total per year: embodied / lifetime + use, each bound with its own bounds ---------------------
def test_storage_total_bounds_by_hand(library):
    """Catches the total's low bound using the central use value, and bounds ignoring the lifetime's.

    A storage bay with nothing but its category: energy from the archetype (24 h, 365 d, load
    100 [0, 100] %), PUE default, FR electricity, lifetime from the archetype.
    """
    idle = archetype("storage", "power_idle_w", "W")
    active = archetype("storage", "power_active_w", "W")
    load = archetype("storage", "avg_load_pct", "percent")
    off = archetype("storage", "power_off_w", "W")
    hours = archetype("storage", "hours_per_day", "hour")
    days = archetype("storage", "days_per_year", "day")
    life = archetype("storage", "lifetime_years", "year")
    pue = triple(rows_of("parameters", parameter="pue_onsite_default")[0])
    grid = fr_grid()
    energy = [yearly_kwh(idle[b] + load[b] / 100 * (active[b] - idle[b]), off[b], hours[b], days[b]) * pue[b]
              for b in range(3)]
    use = [energy[b] * grid[b] for b in range(3)]
    embodied = [_storage_embodied_by_hand(b) for b in range(3)]
    expected = (embodied[0] / life[0] + use[0], embodied[1] / life[2] + use[1], embodied[2] / life[1] + use[2])

    row = assess_rows([{"category": "storage"}], library).iloc[0]
    assert row["energy_kwh_per_year_low"] == pytest.approx(energy[1])
    assert row["energy_kwh_per_year_high"] == pytest.approx(energy[2])
    assert row["gwp_use_kgco2e_per_year_low"] == pytest.approx(use[1])
    got = (row["gwp_total_kgco2e_per_year"], row["gwp_total_kgco2e_per_year_low"], row["gwp_total_kgco2e_per_year_high"])
    assert got == pytest.approx(expected, rel=1e-9)


def test_given_lifetime_has_no_width_and_shorter_life_costs_more_per_year(library):
    """Lifetime 3 vs 6 years (given): the yearly embodied share doubles; bounds use the given life."""
    results = assess_rows([{"category": "printer", "lifetime_years": 3}, {"category": "printer", "lifetime_years": 6}],
                          library)
    embodied = [triple(r) for r in rows_of("embodied", category="printer", criterion="gwp")]
    assert len(embodied) == 1  # one 'device' row: the embodied impact is the factor itself
    for i, years in enumerate((3, 6)):
        row = results.iloc[i]
        share = row["gwp_total_kgco2e_per_year"] - row["gwp_use_kgco2e_per_year"]
        share_low = row["gwp_total_kgco2e_per_year_low"] - row["gwp_use_kgco2e_per_year_low"]
        share_high = row["gwp_total_kgco2e_per_year_high"] - row["gwp_use_kgco2e_per_year_high"]
        assert (share_low, share, share_high) == pytest.approx(
            (embodied[0][1] / years, embodied[0][0] / years, embodied[0][2] / years), rel=1e-9)


def test_archetype_lifetime_bounds_widen_the_total(library):
    """Without a lifetime, the printer's archetype lifetime [low, high] spreads the embodied share."""
    life = archetype("printer", "lifetime_years", "year")
    assert life[1] < life[2]
    (factor,) = [triple(r) for r in rows_of("embodied", category="printer", criterion="gwp")]
    row = assess_rows([{"category": "printer"}], library).iloc[0]
    share_low = row["gwp_total_kgco2e_per_year_low"] - row["gwp_use_kgco2e_per_year_low"]
    share_high = row["gwp_total_kgco2e_per_year_high"] - row["gwp_use_kgco2e_per_year_high"]
    assert share_low == pytest.approx(factor[1] / life[2], rel=1e-9)
    assert share_high == pytest.approx(factor[2] / life[1], rel=1e-9)


# --- declared power: the archetype hours still widen the energy bounds -------------------------------
def test_declared_power_with_default_hours_has_the_hours_bounds(library):
    """A desktop declared at 50 W with no hours: the hours, days and power-off of its archetype
    bound the energy; E is monotone in h x d, so the extremes are the (low, low) and (high, high)."""
    off = archetype("desktop", "power_off_w", "W")
    hours = archetype("desktop", "hours_per_day", "hour")
    days = archetype("desktop", "days_per_year", "day")
    corners_low = [yearly_kwh(50, off[1], hours[b], days[b]) for b in (1, 2)]
    corners_high = [yearly_kwh(50, off[2], hours[b], days[b]) for b in (1, 2)]
    row = assess_rows([{"category": "desktop", "power_w": 50}], library).iloc[0]
    assert row["energy_source"] == "declared"
    assert row["energy_kwh_per_year"] == pytest.approx(yearly_kwh(50, off[0], hours[0], days[0]))
    assert row["energy_kwh_per_year_low"] == pytest.approx(min(corners_low))
    assert row["energy_kwh_per_year_high"] == pytest.approx(max(corners_high))
    assert row["energy_kwh_per_year_high"] - row["energy_kwh_per_year_low"] > 100  # hours 8 to 24


def test_declared_power_and_given_hours_are_bounded_by_the_power_off_only(library):
    off = archetype("desktop", "power_off_w", "W")
    row = assess_rows([{"category": "desktop", "power_w": 50, "hours_per_day": 10, "days_per_year": 200}],
                      library).iloc[0]
    expected = [yearly_kwh(50, off[b], 10, 200) for b in range(3)]
    got = [row[f"energy_kwh_per_year{s}"] for s in ("", "_low", "_high")]
    assert got == pytest.approx(expected)


def test_metered_energy_is_exact(library):
    row = assess_rows([{"category": "desktop", "energy_kwh_per_year": 123.0}], library).iloc[0]
    assert [row[f"energy_kwh_per_year{s}"] for s in ("", "_low", "_high")] == [123.0, 123.0, 123.0]
    assert np.isfinite(row["power_w"])


def test_several_factor_rows_of_one_driver_add_up(tmp_path):
    """embodied = sum over the category's factor rows: a second 'device' row for printers (a local
    factor folder may split manufacture and transport) adds its value and bounds."""
    import shutil

    from factors.tables import FactorLibrary

    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    (row,) = rows_of("embodied", category="printer", criterion="gwp", driver="device")
    extra = {**row, "id": "emb-printer-gwp-transport", "value": "10", "low": "5", "high": "20"}
    with open(tmp_path / "embodied.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(row)).writerow(extra)
    library = FactorLibrary(tmp_path)
    result = assess_rows([{"category": "printer", "lifetime_years": 5}], library).iloc[0]
    value, low, high = triple(row)
    assert (result["gwp_embodied_kgco2e"], result["gwp_embodied_kgco2e_low"], result["gwp_embodied_kgco2e_high"]) \
        == pytest.approx((value + 10, low + 5, high + 20))


def test_pue_overrides_name_the_default_only_where_it_is_used(library):
    """The default PUE's factor id is listed only for server-room rows that used it; a site PUE
    applies to its own site only; a row's own PUE wins (found by mutation testing)."""
    (pue_row,) = rows_of("parameters", parameter="pue_onsite_default")
    default_id, default = pue_row["id"], float(pue_row["value"])
    base = {"category": "server", "power_w": 100, "hours_per_day": 24, "days_per_year": 365}
    rows = [{**base, "site": "A"}, {**base, "site": "B"}, {**base, "site": "B", "pue": 1.1},
            {"category": "desktop", "site": "A"}]
    by_site = assess_rows(rows, library, AssessOptions(today=TODAY, site_pue={"A": 1.3}))
    assert by_site["pue"].tolist() == pytest.approx([1.3, default, 1.1, 1.0])
    uses_default = [default_id in ids.split(";") for ids in by_site["factor_ids"]]
    assert uses_default == [False, True, False, False]
    everywhere = assess_rows(rows, library, AssessOptions(today=TODAY, pue=1.25))
    assert everywhere["pue"].tolist() == pytest.approx([1.25, 1.25, 1.1, 1.0])
    assert not any(default_id in ids.split(";") for ids in everywhere["factor_ids"])
