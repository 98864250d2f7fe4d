"""Factor tables of the procurement tools: repairs, refurbished devices and public-purchase rules.

Three CSV files in ``factors/data`` (documented in ``factors/data/procurement.md``), loaded with the
conventions of :mod:`factors.tables`: every row has ``id, value, low, high, unit, source, year,
notes`` and a ``licence``; ids are unique, the source is not empty, ``0 <= low <= value <= high``,
and the unit has the dimension the row needs (converted once to the canonical unit).

- ``repairs.csv``: embodied footprint of a spare part, per criterion, as a sum of terms
  ``value x driver`` where the driver is ``unit`` (1 per part), ``gb`` (capacity of the new
  module or drive) or ``wh`` (capacity of the new battery).
- ``refurbished.csv``: share of a new device's embodied footprint that a refurbished one carries.
- ``purchase-rules.csv``: minimum shares of reused (or reused or recycled-content) purchases per
  product family, from the French decrees applying article 58 of the AGEC law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from factors.errors import FactorTableError, QuantityError
from factors.tables import CATEGORIES, CRITERIA, DATA_DIR, _number
from factors.units import CRITERION_UNITS, check_dimension

#: Repair drivers and the unit of the quantity they multiply.
REPAIR_DRIVERS: dict[str, str] = {"unit": "", "gb": "GB", "wh": "Wh"}
#: What a user writes in a repair entry to give each driver's quantity.
DRIVER_FIELDS: dict[str, str] = {"gb": "gb", "wh": "wh"}

_COMMON = ("id", "value", "low", "high", "unit", "source", "licence", "year", "notes")
_KEYS: dict[str, tuple[str, ...]] = {
    "repairs": ("part", "criterion", "driver"),
    "refurbished": ("category", "parameter"),
    "purchase-rules": ("decree", "period_from", "period_to", "family", "categories", "share_kind"),
}


def _target_unit(kind: str, row: pd.Series, where: str) -> str:
    if kind == "repairs":
        if row["criterion"] not in CRITERIA:
            raise FactorTableError(f"{where}, column 'criterion': {row['criterion']!r} is not one of "
                                   f"{', '.join(CRITERIA)}")
        if row["driver"] not in REPAIR_DRIVERS:
            raise FactorTableError(f"{where}, column 'driver': {row['driver']!r} is not one of "
                                   f"{', '.join(REPAIR_DRIVERS)}")
        base = CRITERION_UNITS[row["criterion"]]
        per = REPAIR_DRIVERS[row["driver"]]
        return f"{base}/{per}" if per else base
    if kind == "refurbished" and row["category"] not in (*CATEGORIES, "default"):
        raise FactorTableError(f"{where}, column 'category': {row['category']!r} is not a category or 'default'")
    return "dimensionless"


def load_procurement_table(kind: str, path: Path | str | None = None) -> pd.DataFrame:
    """Load and validate one procurement table (``repairs``, ``refurbished``, ``purchase-rules``).

    Returns the rows with ``value``, ``low`` and ``high`` as floats in the canonical unit.

    Raises
    ------
    FactorTableError
        A missing column, an empty or duplicate id, a row without source or licence, bad numbers,
        ``low <= value <= high`` broken, or a unit of the wrong dimension.
    """
    path = Path(path) if path is not None else DATA_DIR / f"{kind}.csv"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FactorTableError(f"{path}: cannot read factor table ({exc})") from None
    missing = [c for c in (*_COMMON, *_KEYS[kind]) if c not in frame.columns]
    if missing:
        raise FactorTableError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame.apply(lambda col: col.str.strip())
    seen: set[str] = set()
    numbers = []
    for i, row in frame.iterrows():
        where = f"{path.name} row {int(i) + 2}"
        if not row["id"] or row["id"] in seen:
            raise FactorTableError(f"{where}, column 'id': empty or duplicate id {row['id']!r}")
        seen.add(row["id"])
        for column in ("source", "licence"):
            if not row[column]:
                raise FactorTableError(f"{where}, column '{column}': empty for {row['id']!r}; every "
                                       f"figure needs a {column}")
        value, low, high = (_number(row[c], where, c) for c in ("value", "low", "high"))
        if not 0 <= low <= value <= high:
            raise FactorTableError(f"{where}: {row['id']!r} needs 0 <= low <= value <= high, got "
                                   f"{low}, {value}, {high}")
        target = _target_unit(kind, row, where)
        try:
            scale = check_dimension(row["unit"] or "dimensionless", target)
        except QuantityError as exc:
            raise FactorTableError(f"{where}, column 'unit': {row['id']!r}: {exc}") from None
        numbers.append((value * scale, low * scale, high * scale))
    out = frame.copy()
    out[["value", "low", "high"]] = pd.DataFrame(numbers, columns=["value", "low", "high"], dtype=float).to_numpy() \
        if numbers else pd.DataFrame(columns=["value", "low", "high"], dtype=float)
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    return out


@lru_cache(maxsize=4)
def repair_table(path: str | None = None) -> pd.DataFrame:
    """The packaged (or given) repairs table, loaded once."""
    return load_procurement_table("repairs", path)


@lru_cache(maxsize=4)
def refurbished_table(path: str | None = None) -> pd.DataFrame:
    """The packaged (or given) refurbished-allocation table, loaded once."""
    return load_procurement_table("refurbished", path)


@lru_cache(maxsize=4)
def purchase_rules(path: str | None = None) -> pd.DataFrame:
    """The packaged (or given) public-purchase rules, loaded once."""
    return load_procurement_table("purchase-rules", path)


def repair_parts() -> tuple[str, ...]:
    """Parts with a cited repair footprint, in table order."""
    return tuple(dict.fromkeys(repair_table()["part"]))


def repair_drivers(part: str) -> tuple[str, ...]:
    """Drivers a part's footprint needs (``gb``, ``wh``: the user must give that capacity)."""
    rows = repair_table()
    return tuple(d for d in dict.fromkeys(rows.loc[rows["part"] == part, "driver"]) if d != "unit")


@dataclass(frozen=True)
class Bounded:
    """A value with its low and high bounds, and the factor ids it came from."""

    value: float
    low: float
    high: float
    ids: tuple[str, ...] = ()


def repair_footprint(part: str, criterion: str, amounts: dict[str, float]) -> Bounded | None:
    """Embodied footprint of ONE new part, in the criterion's canonical unit.

    Parameters
    ----------
    part
        A part of :func:`repair_parts` (``battery``, ``ram``, ``storage``, ``hdd``).
    criterion
        ``gwp``, ``water``, ``adpe`` or ``pe``.
    amounts
        Driver quantities: ``gb`` [GB] of a memory module or SSD, ``wh`` [Wh] of a battery.

    Returns
    -------
    Bounded or None
        None when the table has no figure for this part and criterion (not counted, and said so).
    """
    rows = _repair_index().get((part, criterion))
    if not rows:
        return None
    value = low = high = 0.0
    for driver, v, lo, hi, _ in rows:
        amount = 1.0 if driver == "unit" else float(amounts[driver])
        value += v * amount
        low += lo * amount
        high += hi * amount
    return Bounded(value, low, high, tuple(r[4] for r in rows))


@lru_cache(maxsize=1)
def _repair_index() -> dict[tuple[str, str], list[tuple[str, float, float, float, str]]]:
    """Rows of the packaged repairs table by (part, criterion), read once."""
    index: dict[tuple[str, str], list[tuple[str, float, float, float, str]]] = {}
    for row in repair_table().itertuples(index=False):
        index.setdefault((row.part, row.criterion), []).append(
            (row.driver, float(row.value), float(row.low), float(row.high), row.id))
    return index


def refurbished_share(category: str) -> Bounded:
    """Share of a new device's embodied footprint a refurbished one carries (value, low, high)."""
    rows = refurbished_table()
    match = rows[rows["category"] == category]
    if match.empty:
        match = rows[rows["category"] == "default"]
    row = match.iloc[0]
    return Bounded(float(row["value"]), float(row["low"]), float(row["high"]), (str(row["id"]),))


def rules_for_year(year: int) -> pd.DataFrame:
    """The purchase rules in force during any part of ``year``."""
    rows = purchase_rules()
    start, end = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    return rows[(rows["period_from"] <= end) & (rows["period_to"] >= start)].reset_index(drop=True)
