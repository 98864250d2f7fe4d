"""Units: the one registry, French spellings, decimal commas, dimension errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factors.errors import QuantityError
from factors.units import Q_, normalise_number, parse_quantity, unit_for_name


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("16 Go", "GB", 16.0),
        ("16Go", "GB", 16.0),
        ("1 To", "GB", 1000.0),
        ("512 Mo", "GB", 0.512),
        ("16384 Mo", "GB", 16.384),
        ("2,5 kg", "kg", 2.5),
        ("2500 g", "kg", 2.5),
        ('27"', "inch", 27.0),
        ("27 pouces", "inch", 27.0),
        ("68,58 cm", "inch", 27.0),
        ("250 W", "W", 250.0),
        ("0,75 kW", "W", 750.0),
        ("250", "W", 250.0),
        ("1 024", "GB", 1024.0),
        ("35 %", "percent", 35.0),
        ("5 ans", "year", 5.0),
        ("120 kWh/an", "kWh/year", 120.0),
        ("1,2 MWh/an", "kWh/year", 1200.0),
    ],
)
def test_parse_cells_with_units(text, unit, expected):
    assert parse_quantity(text, unit) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("text", "unit", "words"),
    [
        ("16 W", "GB", "not a data size"),
        ("2,5 kg", "W", "not a power"),
        ("27 kg", "inch", "not a length"),
        ("5 percent", "GB", "not a data size"),
        ("abc", "W", "expected a number"),
        ("3 zorglubs", "W", "unknown unit"),
    ],
)
def test_wrong_dimension_or_garbage_is_refused(text, unit, words):
    with pytest.raises(QuantityError, match=words):
        parse_quantity(text, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2,5", "2.5"), ("1 234,5", "1234.5"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("-3", "-3")],
)
def test_normalise_number(text, expected):
    assert normalise_number(text) == expected


def test_unit_names():
    assert unit_for_name("ram_gb") == "GB"
    assert unit_for_name("power_w") == "W"
    assert unit_for_name("energy_kwh_per_year") == "kWh/year"
    assert unit_for_name("server_ram_w_per_gb") == "W/GB"
    assert unit_for_name("name") is None


def test_custom_impact_units_are_distinct_dimensions():
    assert Q_(1, "tCO2e").to("kgCO2e").magnitude == pytest.approx(1000)
    assert Q_(1, "kgSbeq").to("mgSbeq").magnitude == pytest.approx(1e6)
    with pytest.raises(Exception):  # noqa: B017 - pint's DimensionalityError
        Q_(1, "kgCO2e").to("kg")
    with pytest.raises(Exception):  # noqa: B017
        Q_(1, "kgSbeq").to("kgCO2e")


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.sampled_from(["GB", "MB", "TB"]))
def test_round_trip_information_units(value, unit):
    text = f"{value!r} {unit}"
    in_gb = parse_quantity(text, "GB")
    back = Q_(in_gb, "GB").to(unit).magnitude
    assert math.isclose(back, value, rel_tol=1e-9, abs_tol=1e-12)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_decimal_comma_equals_decimal_point(value):
    text = f"{value:.3f}"
    assert parse_quantity(text.replace(".", ",") + " kg", "kg") == parse_quantity(text + " kg", "kg")
