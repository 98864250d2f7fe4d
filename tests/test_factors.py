"""Factor library: every row sourced and unit-checked; coverage of countries and categories."""

from __future__ import annotations

import shutil

import numpy as np
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
        edited = edit(frame)  # edits in place, or returns a new frame
        frame = frame if edited is None else edited
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


# --- found by mutation testing (docs/testing.md) ------------------------------------------------
def test_validate_all_counts_every_table_and_refuses_a_missing_criterion(table_copy, library):
    import csv

    def count(name: str) -> int:
        with open(DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as handle:
            return sum(1 for _ in csv.DictReader(handle))

    counts = library.validate_all()
    for name in (*TABLES, "countries", "server-power-model", "embodied-model"):
        assert counts[name] == count(name), name

    def drop_printer_water(frame):
        return frame[~((frame["category"] == "printer") & (frame["criterion"] == "water"))]

    # since the licence gate a criterion may have no factor: it is left empty and announced
    missing = table_copy("embodied", drop_printer_water)
    missing.validate_all()
    assert any("printer" in line and "water" in line for line in missing.missing_factors())


MODEL_HEADER = "id,parameter,value,low,high,unit,source,source_url,licence,year,notes\n"


def test_model_table_errors_name_the_spreadsheet_row_and_missing_columns(tmp_path):
    from factors.tables import load_model_table

    bad = tmp_path / "m.csv"
    bad.write_text(MODEL_HEADER + "a,p,1,0,2,W,S,,MIT,2020,\nb,q,5,0,2,W,S,,MIT,2020,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"^m.csv row 3: 'b' needs low <= value <= high, got 0.0, 5.0, 2.0$"):
        load_model_table(bad)
    bad.write_text("id,parameter,value,low,unit,source,year\na,p,1,0,W,S,2020\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"m.csv: missing column\(s\) high, notes, licence$"):
        load_model_table(bad)
    good = tmp_path / "g.csv"
    good.write_text(MODEL_HEADER + "a,p,1.5,0.5,2,W,S,,MIT,2020,\n", encoding="utf-8")
    frame = load_model_table(good)
    assert frame[["value", "low", "high"]].iloc[0].tolist() == [1.5, 0.5, 2.0]
    assert frame["year"].iloc[0] == 2020 and frame["year"].dtype.kind in "if"


def test_manufacturer_key_of_nothing_is_empty():
    from factors.embodied_model import manufacturer_key

    assert manufacturer_key(None) == "" and manufacturer_key(float("nan")) == ""
    assert manufacturer_key("Hewlett-Packard Enterprise") == "hp"
    assert manufacturer_key("  DELL, Inc. ") == "dell"


@pytest.mark.parametrize(("energy", "hours", "days", "off"), [(200.0, 8, 220, 1.0), (50.0, 24, 365, 0.5),
                                                              (0.0, 8, 220, 1.0), (10.0, 0, 220, 1.0),
                                                              (9.0, 0.5, 1, 1.0)])
def test_mean_power_from_energy_inverts_the_yearly_energy(energy, hours, days, off):
    """P_on = (1000 E - P_off [d (24 - h) + (365 - d) 24]) / (d h), never negative, NaN when never on."""
    from factors.power import mean_power_from_energy_w, yearly_energy_kwh

    power = mean_power_from_energy_w([energy], [off], [hours], [days])[0]
    if hours * days == 0:
        assert power != power  # NaN
        return
    by_hand = (1000 * energy - off * (days * (24 - hours) + (365 - days) * 24)) / (days * hours)
    assert power == pytest.approx(max(by_hand, 0.0))
    if by_hand > 0:
        assert yearly_energy_kwh([power], [off], [hours], [days])[0] == pytest.approx(energy)


def test_metered_energy_gives_the_power_while_on(library):
    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import table_from_records
    from tests.conftest import TODAY

    off = float(library.archetype("desktop", "power_off_w")["value"])
    table = table_from_records([{"category": "desktop", "energy_kwh_per_year": 200, "hours_per_day": 8,
                                 "days_per_year": 220}], country="FR", today=TODAY, library=library)
    row = assess(table, library, AssessOptions(today=TODAY)).iloc[0]
    assert row["power_w"] == pytest.approx((200_000 - off * (220 * 16 + 145 * 24)) / (220 * 8))


def test_model_table_cell_errors_name_row_and_column(tmp_path):
    from factors.tables import load_model_table

    bad = tmp_path / "m.csv"
    bad.write_text(MODEL_HEADER + "a,p,1,0,2,W,S,,MIT,2020,\nb,q,1,zero,2,W,S,,MIT,2020,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"^m.csv row 3, column 'low': 'zero' is not a number$"):
        load_model_table(bad)
    bad.write_text(MODEL_HEADER + "a,p,1,0,2,W,,,MIT,2020,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"^m.csv row 2, column 'source': empty for 'a'; every parameter needs"):
        load_model_table(bad)


def test_model_table_errors_name_the_first_failing_row_among_many(tmp_path):
    """The checks run column by column; the error still names the first failing row."""
    from factors.tables import load_model_table

    good = "".join(f"k{i},p,1,0,2,W,S,,MIT,2020,\n" for i in range(50))
    bad = tmp_path / "m.csv"
    for tail, message in (
        ("k7,p,1,0,2,W,S,,MIT,2020,\nz,p,1,0,2,W,S,,MIT,2020,\n", r"^m.csv row 52, column 'id': empty or duplicate id 'k7'$"),
        ("y,p,1,0,2,W,S,,MIT,2020,\nz,p,1,0,2,blorbs,S,,MIT,2020,\nw,p,1,0,2,blorbs,S,,MIT,2020,\n",
         r"^m.csv row 53, column 'unit': 'z': "),
        ("y,p,inf,0,2,W,S,,MIT,2020,\n", r"^m.csv row 52, column 'value': 'inf' is not a finite number$"),
        ("y,p,1,0,2,W,S,,MIT,2020,\nz,p,3,0,2,W,S,,MIT,2020,\n", r"^m.csv row 53: 'z' needs low <= value"),
    ):
        bad.write_text(MODEL_HEADER + good + tail, encoding="utf-8")
        with pytest.raises(FactorTableError, match=message):
            load_model_table(bad)


def test_a_local_factor_folder_without_model_files_uses_the_packaged_models(table_copy):
    library = table_copy("parameters", lambda frame: None)  # the five tables, no model file
    counts = library.validate_all()
    assert counts["server-power-model"] == len(pd.read_csv(DATA_DIR / "server-power-model.csv"))
    assert counts["embodied-model"] == len(pd.read_csv(DATA_DIR / "embodied-model.csv"))


ELECTRICITY_HEADER = "id,country,criterion,value,low,high,unit,source,licence,year,notes\n"


def test_factor_table_converts_every_bound_and_records_the_canonical_unit(tmp_path):
    path = tmp_path / "electricity.csv"
    path.write_text(ELECTRICITY_HEADER + "e,FR,gwp,44,31,91,gCO2e/kWh,Someone 2024,CC-BY-4.0,2024,\n"
                    "w,FR,water,3.5,2,6,L/kWh,Someone 2024,CC-BY-4.0,2024,\n", encoding="utf-8")
    frame = load_table("electricity", path)
    assert frame[["value", "low", "high"]].iloc[0].tolist() == pytest.approx([0.044, 0.031, 0.091])
    assert frame[["value", "low", "high"]].iloc[1].tolist() == pytest.approx([0.0035, 0.002, 0.006])
    assert frame["canonical_unit"].tolist() == ["kgCO2e/kWh", "m3/kWh"]
    assert frame["unit"].tolist() == ["gCO2e/kWh", "L/kWh"]  # as written
    assert frame["year"].tolist() == [2024, 2024]


@pytest.mark.parametrize(("row", "message"), [
    ("e,FR,co2,1,0,2,kgCO2e/kWh,S,CC-BY-4.0,2024,", r"^electricity.csv row 2, column 'criterion': 'co2' is not one of gwp"),
    (",FR,gwp,1,0,2,kgCO2e/kWh,S,CC-BY-4.0,2024,", r"^electricity.csv row 2, column 'id': empty; every factor needs an id$"),
    ("e,FR,gwp,1,zero,2,kgCO2e/kWh,S,CC-BY-4.0,2024,", r"^electricity.csv row 2, column 'low': 'zero' is not a number$"),
    ("e,FR,gwp,1,0,inf,kgCO2e/kWh,S,CC-BY-4.0,2024,", r"^electricity.csv row 2, column 'high': 'inf' is not a finite number$"),
])
def test_factor_table_errors_name_row_and_column(tmp_path, row, message):
    path = tmp_path / "electricity.csv"
    path.write_text(ELECTRICITY_HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=message):
        load_table("electricity", path)


def test_factor_table_missing_columns_are_named(tmp_path):
    path = tmp_path / "electricity.csv"
    path.write_text("id,country,value,low,high,unit,year,notes\ne,FR,1,0,2,kgCO2e/kWh,2024,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match=r"electricity.csv: missing column\(s\) source, licence, criterion$"):
        load_table("electricity", path)


def test_mean_power_from_energy_clips_hours_and_days_to_a_day_and_a_year():
    from factors.power import mean_power_from_energy_w

    clipped = mean_power_from_energy_w([500.0, 500.0], [2.0, 2.0], [30.0, -3.0], [400.0, 200.0])
    plain = mean_power_from_energy_w([500.0, 500.0], [2.0, 2.0], [24.0, 0.0], [366.0, 200.0])
    assert clipped[0] == pytest.approx(plain[0]) and plain[0] == pytest.approx(500_000 / (366 * 24))
    assert np.isnan(clipped[1]) and np.isnan(plain[1])  # never on
