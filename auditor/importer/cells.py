"""Numbers with units in cells: ``"16 Go"``, ``"2,5 kg"``, ``27"``, ``"8 Go DDR4"``, ``"16384 Mo"``.

Each distinct cell is parsed once: plain numbers in one vectorised step, the others with pint
(:func:`factors.units.parse_quantity`). A number must be finite and at most
:data:`~auditor.importer.limits.NUMBER_CHARS` characters long, so no cell costs more than a
bounded amount of work. Missing-value words (``n/a``, ``NA``, ``-``, ``?``...) are read as "unknown"
only here, in numeric columns.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from auditor.errors import QuantityError
from auditor.importer.limits import NUMBER_CHARS
from auditor.importer.problems import Context, factorize, show_numbers
from factors.units import parse_quantity, unit_for_name

#: Cells of numeric columns read as "unknown" (case ignored).
MISSING_WORDS = frozenset({"-", "—", "n/a", "na", "nc", "?", "inconnu", "unknown", "#n/a"})

#: Hard limits: outside them a value is impossible (an error), with the words used to say so.
LIMITS: dict[str, tuple[float, float, str]] = {
    "quantity": (0, np.inf, "a quantity >= 0"),
    "lifetime_years": (1e-9, 100, "a lifetime > 0 years"),
    "avg_load_pct": (0, 100, "a load between 0 and 100 %"),
    "hours_per_day": (0, 24, "between 0 and 24 hours per day"),
    "days_per_year": (0, 366, "between 0 and 366 days per year"),
    "repairability_index": (0, 10, "an index between 0 and 10"),
    "battery_health_pct": (0, 100, "a battery health between 0 and 100 %"),
    "pue": (1, 10, "a PUE between 1 and 10"),
    "tpm_version": (0, 9, "a TPM version such as 1.2 or 2.0"),
}

_PLAIN = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,15})?")
_MEGABYTES = re.compile(r"(?<=\d)\s*(mo|mb|mio|mib)\s*$", re.I)
_HAS_UNIT = re.compile(r"\d\s*[^\d\s.,'’\u00a0\u202f-]")
_VOLT_AMPERE = re.compile(r"\d\s*k?va\s*$", re.I)
_UNSAFE_UNIT = re.compile(r"\*\*|\^|[(){}\[\]]")
_TIMES = re.compile(r"(\d+)\s*[x×*]\s*(\d[\d.,]*\s*[^\d\s.,;:()/+-][^\s;:()/+]*)", re.I)
_TOKEN = re.compile(r"(\d[\d.,]*)\s*([^\d\s.,;:()/+-][^\s;:()/+]*)")


def safe_quantity(text: str, unit: str) -> float:
    """:func:`factors.units.parse_quantity`, refusing unit expressions (``GB**99``) and any
    non-finite result with a :class:`QuantityError`."""
    if len(text) > NUMBER_CHARS:
        raise QuantityError(f"too long for a number ({len(text):,} characters); expected a number in {unit}")
    if _UNSAFE_UNIT.search(text):
        raise QuantityError(f"expected a number in {unit}, with at most a unit word")
    try:
        value = parse_quantity(text, unit)
    except QuantityError:
        raise
    except (ArithmeticError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise QuantityError(f"expected a number in {unit}") from None
    if not np.isfinite(value):
        raise QuantityError(f"not a finite number; expected a number in {unit}")
    return float(value)


def has_unit(text: str) -> bool:
    """The cell holds something after a digit (a unit word)."""
    return bool(_HAS_UNIT.search(text.strip()))


def parse_cell(text: str, column: str, unit: str) -> float:
    """One cell of a numeric column as a float in ``unit`` (NaN when unknown); a bare number is
    returned as written (the caller applies a header's unit).

    Memory in MB is binary (16384 Mo = 16 GB), as systems and inventory agents report it.
    """
    text = text.strip()
    if not text or text.casefold() in MISSING_WORDS:
        return np.nan
    if len(text) > NUMBER_CHARS:
        raise QuantityError(f"too long for a number ({len(text):,} characters); expected a number in {unit}")
    if column == "price":
        return parse_price(text)
    if column == "ram_gb" and _MEGABYTES.search(text):
        return safe_quantity(_MEGABYTES.sub("", text).strip(), "GB") / 1024.0
    return safe_quantity(text, unit)


_EURO = re.compile(r"€|(?<![a-z])(?:eur|euros?|h\.t\.?|ht)(?![a-z])", re.I)
_TAX_INCLUDED = re.compile(r"(?<![a-z])(?:ttc|t\.t\.c\.?)(?![a-z])", re.I)


def parse_price(text: str) -> float:
    """A price cell: a number, with at most ``€``, ``EUR`` or ``euros`` and ``HT`` (excluding tax)
    around it (``1 234,56 €``, ``650 € HT``); a price including tax (``TTC``) or in another unit
    is an error."""
    if _TAX_INCLUDED.search(text):
        raise QuantityError("a price including tax (TTC); expected the price excluding tax (HT)")
    try:
        return safe_quantity(_EURO.sub(" ", text).strip(), "dimensionless")
    except QuantityError:
        raise QuantityError("expected a price excluding tax: a number in the inventory's currency "
                            "(with € or EUR at most)") from None


def lines_sum(text: str, column: str, unit: str, scale: float) -> tuple[float, str] | None:
    """A memory or storage total given one line per module or drive (GLPI exports list a
    computer's components in one cell, a line each: ``"4096\n4096"``): the sum of the lines, each
    read as a cell of the column, and a note saying so; None when a line is not a size."""
    if column not in ("ram_gb", "storage_gb") or "\n" not in text or len(text) > NUMBER_CHARS:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        total = sum(parse_cell(line, column, unit) * (1.0 if has_unit(line) else scale) for line in lines)
    except QuantityError:
        return None
    return total, f"read as the sum of its {len(lines)} lines (one per module or drive)"


def quantity_in_text(text: str, column: str, unit: str) -> tuple[float, str] | None:
    """A quantity of the column's dimension inside a longer text, and a note saying how it was read.

    ``"8 Go DDR4"`` -> 8 GB; ``"SSD 256 Go"`` -> 256 GB; ``"2 x 480 Go"`` -> 480 GB per drive for
    ``ssd_gb``/``hdd_gb`` (capacity of one drive) or 960 GB for totals. Only for physical units
    (GB, W, kg, inch...): a bare count is never fished out of a text.
    """
    if unit in ("dimensionless", "percent", "year", "hour", "day") or len(text) > NUMBER_CHARS:
        return None
    times = _TIMES.search(text)
    if times:
        try:
            size = safe_quantity(times.group(2), unit)
        except QuantityError:
            size = None
        if size is not None and has_unit(times.group(2)):
            count = float(times.group(1))
            value = size if column in ("ssd_gb", "hdd_gb") else count * size
            return value, f"read as {show_numbers(np.array([value]))[0]} {unit} from {text!r}"
    for number, word in _TOKEN.findall(text):
        try:
            value = safe_quantity(f"{number} {word}", unit)
        except QuantityError:
            continue
        return value, f"read as {show_numbers(np.array([value]))[0]} {unit} from {text!r}"
    return None


def parse_numbers(series: pd.Series, column: str, header: str, hint: str | None,
                  ctx: Context) -> np.ndarray:
    """Parse a numeric column once per distinct cell; error on the first bad cell, then check
    the column's hard limits (:data:`LIMITS`)."""
    unit = unit_for_name(column) or "dimensionless"
    scale = 1.0
    if hint:
        scale = safe_quantity(f"1 {hint}", unit)
        if column == "ram_gb" and _MEGABYTES.search(f"1 {hint}"):
            scale = 1.0 / 1024.0
    codes, uniques = factorize(series)
    parsed = np.full(len(uniques), np.nan)
    text = pd.Series(uniques, dtype=object).astype(str)
    plain = text.str.fullmatch(_PLAIN.pattern).to_numpy(dtype=bool)
    if plain.any():
        parsed[plain] = pd.to_numeric(text[plain]).to_numpy(dtype=float) * scale
    bad: dict[int, str] = {}
    notes: dict[int, str] = {}
    for k in np.flatnonzero(~plain):
        cell = str(uniques[k])
        try:
            parsed[k] = parse_cell(cell, column, unit) * (1.0 if has_unit(cell) else scale)
        except QuantityError as exc:
            found = lines_sum(cell, column, unit, scale) or quantity_in_text(cell, column, unit)
            if found is None:
                bad[k] = str(exc).replace(" in dimensionless", "").replace(" quantity in dimensionless",
                                                                           " number")
            else:
                parsed[k], notes[k] = found
        else:
            if _VOLT_AMPERE.search(cell) and unit == "W":
                notes[k] = "VA (apparent power) taken as W: an upper bound of the real power"
    if bad:
        positions = np.flatnonzero(np.isin(codes, list(bad)))
        first = int(codes[positions.min()])
        ctx.fail(positions, header, uniques[first], bad[first])
    for k, note in notes.items():
        ctx.warn(np.flatnonzero(codes == k), header, note)
    values = np.append(parsed, np.nan)[codes]  # code -1 (missing) takes the NaN at the end
    check_limits(values, column, header, ctx)
    return values


def check_limits(values: np.ndarray, column: str, header: str, ctx: Context) -> None:
    """Hard limits of one numeric column (:data:`LIMITS`; other columns: >= 0)."""
    low, high, words = LIMITS.get(column, (0.0, np.inf, "a value >= 0"))
    bad = (values < low) | (values > high)
    if bad.any():
        positions = np.flatnonzero(bad)
        value = values[positions.min()]
        reason = f"a negative value; expected {words}" if value < 0 else f"expected {words}"
        ctx.fail(positions, header, show_numbers(np.array([value]))[0], reason)
