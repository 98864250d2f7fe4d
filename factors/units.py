"""The one unit registry of the project, and the parsing of quantities written in cells.

pint is used at the boundaries only: reading inventory cells ("16 Go", "2,5 kg", ``27"``) and
loading factor tables. Inside the vectorised core, values are plain floats in columns whose
names carry the unit (``ram_gb``, ``power_w``); :func:`unit_for_name` gives that unit.

References
----------
pint documentation, "Defining units" and "String parsing":
https://pint.readthedocs.io/en/stable/
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import pint

from factors.errors import QuantityError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.load_definitions(str(files("factors").joinpath("definitions.txt")))
Q_ = ureg.Quantity

#: Canonical unit of each criterion's impact (what result columns hold).
CRITERION_UNITS: dict[str, str] = {
    "energy": "kWh",
    "gwp": "kgCO2e",
    "water": "m3",
    "adpe": "kgSbeq",
    "pe": "MJ",
}

#: Suffix of a column or parameter name -> the unit its plain floats are in. Longest first.
_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_kwh_per_year", "kWh/year"),
    ("_w_per_gb", "W/GB"),
    ("hours_per_day", "hour"),
    ("days_per_year", "day"),
    ("_years", "year"),
    ("_pct", "percent"),
    ("_gb", "GB"),
    ("_kb", "kB"),
    ("_kg", "kg"),
    ("_in", "inch"),
    ("_w", "W"),
    ("_count", "dimensionless"),
    ("_fraction", "dimensionless"),
    ("_efficiency", "dimensionless"),
)

# Lower-cased unit words found in real (often French) spreadsheets -> pint spelling.
_UNIT_WORDS: dict[str, str] = {
    "o": "byte", "octet": "byte", "octets": "byte", "b": "byte", "byte": "byte", "bytes": "byte",
    "ko": "kB", "kb": "kB", "kio": "KiB", "kib": "KiB",
    "mo": "MB", "mb": "MB", "mio": "MiB", "mib": "MiB",
    "go": "GB", "gb": "GB", "gio": "GiB", "gib": "GiB",
    "to": "TB", "tb": "TB", "tio": "TiB", "tib": "TiB",
    "po": "PB", "pb": "PB",
    "w": "W", "watt": "W", "watts": "W", "kw": "kW", "mw": "mW", "va": "W",
    "kg": "kg", "kgs": "kg", "g.": "g", "gr": "g", "grammes": "g", "lb": "lb", "lbs": "lb",
    "\"": "inch", "''": "inch", "”": "inch", "″": "inch", "in": "inch", "inch": "inch",
    "inches": "inch", "pouce": "inch", "pouces": "inch", "cm": "cm", "mm": "mm",
    "an": "year", "ans": "year", "année": "year", "années": "year", "annee": "year",
    "annees": "year", "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
    "mois": "month", "month": "month", "months": "month",
    "h": "hour", "hr": "hour", "hrs": "hour", "heure": "hour", "heures": "hour",
    "hour": "hour", "hours": "hour", "h/j": "hour", "h/jour": "hour", "h/day": "hour",
    "j": "day", "jour": "day", "jours": "day", "d": "day", "day": "day", "days": "day",
    "j/an": "day", "jours/an": "day", "days/year": "day", "d/y": "day",
    "u": "dimensionless", "u.": "dimensionless", "pcs": "dimensionless", "pces": "dimensionless",
    "pièces": "dimensionless", "unités": "dimensionless", "unites": "dimensionless",
    "units": "dimensionless", "unit": "dimensionless", "ex": "dimensionless",
    "%": "percent", "pct": "percent", "percent": "percent", "pourcent": "percent",
    "kwh": "kWh", "wh": "Wh", "mwh": "MWh",
    "kwh/an": "kWh/year", "kwh/year": "kWh/year", "kwh/yr": "kWh/year", "kwh/a": "kWh/year",
    "mwh/an": "MWh/year", "mwh/year": "MWh/year", "wh/an": "Wh/year", "wh/year": "Wh/year",
}

# Words whose meaning depends on what the column holds: "16 G" of RAM, "2500 g" of weight.
_AMBIGUOUS_WORDS: dict[str, tuple[str, str]] = {"g": ("GB", "g"), "t": ("TB", "t")}

_INFORMATION_UNITS = frozenset(
    {"bit", "byte", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte", "kibibyte",
     "mebibyte", "gibibyte", "tebibyte", "Ko", "Mo", "Go", "To"}
)

_NUMBER_UNIT = re.compile(
    r"^\s*([-+−]?\d[\d\s.,'’\u00a0\u202f]*(?:[eE][-+]?\d+)?)\s*(.*?)\s*$"
)
_INCH_MARK = re.compile(r"^(\"|''|”|″)$")


def unit_for_name(name: str) -> str | None:
    """Unit of the plain floats held in a column or parameter called ``name``.

    ``ram_gb`` -> ``GB``, ``power_w`` -> ``W``, ``energy_kwh_per_year`` -> ``kWh/year``.
    Returns None when the name carries no unit (a text column, a count).
    """
    for suffix, unit in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return None


def normalise_number(text: str) -> str:
    """Turn a number written with French or English separators into a Python float literal.

    ``"2,5"`` -> ``"2.5"``; ``"1 024"`` -> ``"1024"``; ``"1.234,5"`` -> ``"1234.5"``;
    ``"1,234.5"`` -> ``"1234.5"``. A lone comma is always a decimal comma: ``"1,234"`` is 1.234.
    """
    t = text.strip().replace("−", "-")
    for sep in ("\u00a0", "\u202f", " ", "'", "’"):
        t = t.replace(sep, "")
    if "," in t and "." in t:
        if t.rfind(",") > t.rfind("."):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    return t


@lru_cache(maxsize=65536)
def parse_quantity(text: str, unit: str) -> float:
    """Read a cell such as ``"16 Go"``, ``"2,5 kg"``, ``27"`` or ``"250"`` as a float in ``unit``.

    A bare number is taken to be in ``unit`` already. A number followed by a unit is converted,
    and a unit of the wrong dimension is refused.

    Parameters
    ----------
    text
        The cell text.
    unit
        The unit the result is wanted in (a pint unit string: ``"GB"``, ``"W"``, ``"inch"``).

    Returns
    -------
    float
        The magnitude in ``unit``.

    Raises
    ------
    QuantityError
        The text is not a number, its unit is unknown, or its dimension is not ``unit``'s.
    """
    match = _NUMBER_UNIT.match(str(text))
    if not match:
        raise QuantityError(f"expected a number in {unit}")
    number_text, unit_text = match.groups()
    try:
        magnitude = float(normalise_number(number_text))
    except ValueError:
        raise QuantityError(f"expected a number in {unit}") from None
    if not unit_text:
        return magnitude
    word = unit_text.strip().rstrip(".").strip()
    pint_unit = _UNIT_WORDS.get(word.lower(), _UNIT_WORDS.get(word, word))
    if word.lower() in _AMBIGUOUS_WORDS:
        info, other = _AMBIGUOUS_WORDS[word.lower()]
        pint_unit = info if _is_information(ureg.Unit(unit)) else other
    if _INCH_MARK.match(word):
        pint_unit = "inch"
    try:
        quantity = Q_(magnitude, pint_unit)
    except Exception:  # pint raises several error types for unknown units
        raise QuantityError(f"unknown unit {unit_text!r}; expected a quantity in {unit}") from None
    return convert(quantity, unit, original=unit_text)


def convert(quantity: pint.Quantity, unit: str, *, original: str | None = None) -> float:
    """Convert a pint quantity to a float in ``unit``, refusing a wrong dimension.

    Information units (bytes) are dimensionless in pint, so they are checked by name.
    """
    wanted = ureg.Unit(unit)
    wanted_is_info = _is_information(wanted)
    given_is_info = _is_information(quantity.units)
    shown = original if original is not None else f"{quantity.units:~}"
    bare = not quantity.units._units  # noqa: SLF001 - a plain number
    if wanted_is_info != given_is_info and not bare:
        raise QuantityError(f"unit {shown!r} is not a {_describe(unit)}; expected {unit}")
    try:
        return float(quantity.to(wanted).magnitude)
    except pint.DimensionalityError:
        raise QuantityError(f"unit {shown!r} is not a {_describe(unit)}; expected {unit}") from None


def check_dimension(unit_text: str, expected: str) -> float:
    """Return the factor that converts 1 ``unit_text`` into ``expected``, or raise QuantityError."""
    try:
        quantity = Q_(1.0, unit_text)
    except Exception:
        raise QuantityError(f"unknown unit {unit_text!r}; expected {expected}") from None
    return convert(quantity, expected, original=unit_text)


def _is_information(unit: pint.Unit) -> bool:
    names = {name for name in unit._units}  # noqa: SLF001 - pint exposes no public accessor
    return bool(names & _INFORMATION_UNITS)


def _describe(unit: str) -> str:
    """A short human word for the dimension of ``unit`` (for error messages)."""
    words = {
        "GB": "data size", "W": "power", "kg": "mass", "inch": "length", "year": "duration",
        "hour": "duration", "day": "duration", "percent": "percentage", "kWh/year": "yearly energy",
        "kgCO2e": "CO2-equivalent mass", "m3": "volume", "kgSbeq": "antimony-equivalent mass",
        "MJ": "energy", "kWh": "energy",
    }
    return words.get(unit, f"quantity of the dimension of {unit}")
