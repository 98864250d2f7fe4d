"""Factor library: every row sourced and unit-checked; coverage of countries and categories."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from factors.errors import FactorTableError, UnknownCountryError
from factors.tables import CATEGORIES, CRITERIA, DATA_DIR, FactorLibrary, load_table

TABLES = ("electricity", "embodied", "archetypes", "parameters")
EU27 = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
REQUIRED_GWP = EU27 + ["GB", "CH", "NO", "US", "CA", "CN", "IN", "JP", "BR", "MA", "DZ", "TN", "SN", "CI", "CM"]
MULTI = ["FR", "DE", "BE", "ES", "IT", "GB", "PL", "US", "EU27", "WORLD"]


@pytest.mark.parametrize("table", TABLES)
def test_every_packaged_row_has_a_source_and_valid_bounds(table):
    raw = pd.read_csv(DATA_DIR / f"{table}.csv", dtype=str, keep_default_na=False)
    assert (raw["source"].str.strip() != "").all(), raw.loc[raw["source"].str.strip() == "", "id"].tolist()
    loaded = load_table(table)
    assert loaded["id"].is_unique
    assert ((loaded["low"] <= loaded["value"]) & (loaded["value"] <= loaded["high"])).all()
    assert (loaded["low"] >= 0).all()


def test_electricity_coverage(library):
    gwp = set(library.electricity.loc[library.electricity["criterion"] == "gwp", "country"])
    assert len(gwp - {"EU27", "WORLD"}) >= 60
    assert set(REQUIRED_GWP) <= gwp
    have = set(library.electricity.loc[library.electricity["criterion"] == "water", "country"])
    assert set(MULTI) <= have, set(MULTI) - have
    # adpe and pe per kWh are not shipped (ADEME Base IMPACTS terms; see test_licences.py)


def test_electricity_published_reference_values(library):
    # Ember via CO2.js: France about 44 gCO2e/kWh, Poland about 660 (tolerance: source revisions)
    assert library.electricity_factor("FR", "gwp").value == pytest.approx(0.044, abs=0.015)
    assert library.electricity_factor("PL", "gwp").value == pytest.approx(0.66, abs=0.12)
    # WRI 2020 consumption factor for France 3.674 L/kWh, stored in m3/kWh
    assert library.electricity_factor("FR", "water").value == pytest.approx(3.674e-3, rel=1e-3)


@pytest.mark.parametrize("text", ["FR", "fr", "FRA", "France", "france", " FR "])
def test_country_codes_and_names(library, text):
    assert library.resolve_country(text.strip()) == "FR"


@pytest.mark.parametrize("text", ["XX", "Atlantis", "EUR", ""])
def test_unknown_country_is_an_error_not_a_default(library, text):
    with pytest.raises(UnknownCountryError):
        library.resolve_country(text)


def test_every_category_has_embodied_factors_for_every_criterion_and_archetypes(library):
    counts = library.validate_all()
    assert counts["embodied"] >= len(CATEGORIES) * len(CRITERIA)
    for category in CATEGORIES:
        for parameter in ("lifetime_years", "power_active_w", "power_idle_w", "power_off_w",
                          "hours_per_day", "days_per_year", "avg_load_pct"):
            assert library.archetype(category, parameter) is not None, (category, parameter)


def test_monitor_footprint_depends_on_size(library):
    rows = library.embodied[(library.embodied["category"] == "monitor") & (library.embodied["criterion"] == "gwp")]
    assert "screen_size_in" in set(rows["driver"])


def test_default_pue_is_cited(library):
    row = library.parameter("pue_onsite_default")
    assert 1.0 < row["value"] < 3.0 and row["source"]


@pytest.fixture
def table_copy(tmp_path):
    def _copy(table: str, edit) -> FactorLibrary:
        for name in (*TABLES, "countries"):
            shutil.copy(DATA_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
        frame = pd.read_csv(tmp_path / f"{table}.csv", dtype=str, keep_default_na=False)
        edit(frame)
        frame.to_csv(tmp_path / f"{table}.csv", index=False)
        return FactorLibrary(tmp_path)

    return _copy


def test_row_without_source_is_refused(table_copy):
    def drop_source(frame):
        frame.loc[3, "source"] = ""

    library = table_copy("embodied", drop_source)
    with pytest.raises(FactorTableError, match=r"embodied.csv row 5, column 'source'.*cited source"):
        library.validate_all()


def test_wrong_unit_dimension_is_refused(table_copy):
    def wrong_unit(frame):
        frame.loc[frame["id"] == "elec-FR-gwp", "unit"] = "kgSbeq/kWh"

    library = table_copy("electricity", wrong_unit)
    with pytest.raises(FactorTableError, match=r"column 'unit'.*elec-FR-gwp"):
        library.validate_all()


def test_units_are_converted_to_canonical(table_copy, library):
    def grams(frame):
        row = frame["id"] == "elec-FR-gwp"
        for column in ("value", "low", "high"):
            frame.loc[row, column] = str(float(frame.loc[row, column].iloc[0]) * 1000)
        frame.loc[row, "unit"] = "gCO2e/kWh"

    converted = table_copy("electricity", grams)
    assert converted.electricity_factor("FR", "gwp").value == pytest.approx(library.electricity_factor("FR", "gwp").value)


def test_low_above_value_is_refused(table_copy):
    def bad_bounds(frame):
        frame.loc[0, "low"] = str(float(frame.loc[0, "value"]) * 2 + 1)

    library = table_copy("archetypes", bad_bounds)
    with pytest.raises(FactorTableError, match="low <= value <= high"):
        library.validate_all()


def test_duplicate_id_is_refused(table_copy):
    def duplicate(frame):
        frame.loc[1, "id"] = frame.loc[0, "id"]

    with pytest.raises(FactorTableError, match="duplicate id"):
        table_copy("parameters", duplicate).validate_all()
