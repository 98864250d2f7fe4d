"""Plausibility of a parsed table: warnings for possible but unlikely values, RAM in MB, and the
one error that spans files (duplicate ids). All vectorised over the whole table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from auditor.errors import InventoryError
from auditor.importer.limits import shorten
from auditor.importer.problems import Context, arrow_text, distinct
from factors.tables import CATEGORIES, FactorLibrary


def check_plausible(table: pd.DataFrame, by_column: dict, ctx: Context, today: date,
                    library: FactorLibrary) -> None:
    """Warnings (not errors) for values that are possible but unlikely."""
    power = table["power_w"].to_numpy()
    if np.isfinite(power).any():
        # categories without an archetype (not in CATEGORIES) have no plausible maximum
        limit = np.array([max_plausible_power_w(library, c) for c in CATEGORIES] + [np.inf])
        cat_index = category_index(table["category"], CATEGORIES)
        bad = power > limit[np.where(cat_index >= 0, cat_index, len(CATEGORIES))]
        if bad.any():
            positions = np.flatnonzero(bad)
            ctx.warn(positions, by_column["power_w"][0], "W is implausible for this category",
                     *distinct(power[positions]))
    dates = table["purchase_date"].to_numpy(dtype="datetime64[ns]")
    future = dates > np.datetime64(today, "ns")
    if future.any():
        ctx.warn(np.flatnonzero(future), by_column.get("purchase_date", ("purchase_date",))[0],
                 "purchase date is in the future")
    year = table["year"].to_numpy()
    old = year < today.year - 30
    if old.any():
        positions = np.flatnonzero(old)
        ctx.warn(positions, "year", "item is more than 30 years old", *distinct(year[positions]))
    screen = table["screen_size_in"].to_numpy()
    odd = (screen < 3) | (screen > 120)
    if odd.any():
        positions = np.flatnonzero(odd)
        ctx.warn(positions, by_column["screen_size_in"][0], "inch is an implausible screen size",
                 *distinct(screen[positions]))
    quantity = table["quantity"].to_numpy()
    zero = quantity == 0
    if zero.any():
        ctx.warn(np.flatnonzero(zero), by_column["quantity"][0], "quantity is 0: the item counts for nothing")
    fraction = np.isfinite(quantity) & (quantity != np.round(quantity))
    if fraction.any():
        ctx.warn(np.flatnonzero(fraction), by_column["quantity"][0], "is not a whole number of devices: "
                 "the footprint counts the fraction as written", *distinct(quantity[fraction]))


#: Bare sizes above these [GB] are read as MB, with a warning: GLPI and the inventory agents write
#: MB without a unit (RAM ``4096`` = 4 GB; a drive ``256060`` = a 256 GB SSD), and such values are
#: far beyond any device of the category in GB. Per column: (limit, {category: limit}); memory MB
#: are binary (1024 per GB, as systems report RAM), drive MB decimal (1000 per GB, as drives are sold).
MB_ABOVE: dict[str, tuple[float, dict[str, float]]] = {
    "ram_gb": (256.0, {"desktop": 512.0, "server": 16384.0, "storage": 4096.0}),
    "storage_gb": (30_000.0, {"server": 1e6, "storage": np.inf}),
    "ssd_gb": (30_000.0, {"server": 2e5, "storage": 2e5}),
    "hdd_gb": (30_000.0, {"server": 2e5, "storage": 2e5}),
}


def fix_ram_in_mb(table: pd.DataFrame, by_column: dict, ctx: Context) -> None:
    """Bare RAM and drive sizes too large for GB on their device are MB (see :data:`MB_ABOVE`),
    with a warning; a column whose header gives its unit is never changed."""
    for column, (default, by_category) in MB_ABOVE.items():
        if column not in by_column or by_column[column][1]:
            continue
        values = table[column].to_numpy()
        if not (values > min(default, *by_category.values())).any():
            continue
        names = list(by_category)
        limit = np.append([by_category[c] for c in names], default)
        index = category_index(table["category"], names)
        suspicious = values > limit[np.where(index >= 0, index, len(names))]
        if suspicious.any():
            positions = np.flatnonzero(suspicious)
            ctx.warn(positions, by_column[column][0], "read as MB (too large for GB)",
                     *distinct(values[positions]))
            values = values.copy()
            values[positions] = values[positions] / (1024.0 if column == "ram_gb" else 1000.0)
            table[column] = values


def category_index(category: pd.Series, names: Sequence[str]) -> np.ndarray:
    """Position of each row's category among ``names`` (-1 when missing or not among them),
    from a categorical column's codes when it is one (no per-row text comparison)."""
    if isinstance(category.dtype, pd.CategoricalDtype):
        lookup = pd.Index(list(names)).get_indexer(category.cat.categories)
        codes = category.cat.codes.to_numpy()
        return np.where(codes >= 0, np.append(lookup, -1)[codes], -1)
    return pd.Index(list(names)).get_indexer(category.to_numpy(dtype=object))


@lru_cache(maxsize=64)
def max_plausible_power_w(library: FactorLibrary, category: str) -> float:
    """Four times the high bound of the category's active power (archetype table)."""
    row = library.archetype(category, "power_active_w")
    return 4.0 * float(row["high"]) if row is not None else np.inf


def check_duplicate_ids(table: pd.DataFrame, id_headers: dict[str, str] | None = None) -> None:
    """Ids are compared exactly as written (``001`` and ``1`` differ); a repeated id is an error
    naming the id column as each file writes it (``id_headers``: file -> header)."""
    ids = table["id"]
    array = arrow_text(ids)
    if array is not None and len(pc.unique(array.drop_null())) == len(array) - array.null_count:
        return  # every id once (counted by Arrow, no per-row work in pandas)
    duplicated = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()
    if duplicated.any():
        dupes = table.loc[duplicated]
        first_id = dupes["id"].iloc[0]
        same = dupes.loc[dupes["id"] == first_id]
        raise duplicate_id_error(first_id, list(zip(same["_file"].iloc[:6], same["_row"].iloc[:6],
                                                    strict=True)), int(duplicated.sum()), id_headers)


def duplicate_id_error(id_text: str, places: list[tuple[str, int]], count: int,
                       id_headers: dict[str, str] | None = None) -> InventoryError:
    """The error of an id found at ``places`` (file, row; the first two in file order at least),
    shown at its second place, naming the others (the same file's rows by their number only);
    ``count`` rows share a repeated id in all; the column as the file writes it (``id_headers``)."""
    file, row = str(places[1][0]), int(places[1][1])
    others = [(str(f), int(r)) for f, r in places if (str(f), int(r)) != (file, row)][:5]
    where = ", ".join(f"row {r}" if f == file else f"{shorten(f, 120)} row {r}" for f, r in others)
    return InventoryError(f"duplicate id (also at {where}); every id must be unique",
                          file=file, row=row, column=(id_headers or {}).get(file, "id"),
                          value=shorten(id_text), more=count - 2)


#: A totals row's first filled cell starts with one of these words (case ignored): ``Total``,
#: ``TOTAL GÉNÉRAL :``, ``Sous-total écrans``, ``Totaux``, ``Grand total``, ``Somme``.
_TOTALS = r"^\s*(sous[- ]?total|sub[- ]?total|grand[- ]total|total|totaux|totals|somme|sum)\b"
TOTALS_WORD = re.compile(_TOTALS, re.IGNORECASE)


def totals_rows(frame: pd.DataFrame, category_headers: Sequence[str]) -> np.ndarray:
    """Positions of the totals rows of a raw text table: rows whose category cells are all empty
    or totals words and whose first filled cell is a totals word (a spreadsheet's ``Total`` or
    ``Sous-total`` line, not an item)."""
    import pyarrow as pa

    def texts(series: pd.Series) -> pa.ChunkedArray:
        array = arrow_text(series)
        return array if array is not None else pa.chunked_array([pa.array(
            series.astype(object).where(series.notna(), None).tolist(), pa.large_string())])

    def totals(array: pa.ChunkedArray) -> np.ndarray:
        found = pc.match_substring_regex(array, _TOTALS, ignore_case=True)
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)

    if not len(frame) or not len(frame.columns):
        return np.zeros(0, dtype=np.int64)
    mask = np.ones(len(frame), dtype=bool)
    for header in category_headers:
        array = texts(frame[header])
        mask &= pc.is_null(array).to_numpy(zero_copy_only=False) | totals(array)
    if not mask.any():
        return np.zeros(0, dtype=np.int64)
    positions = np.flatnonzero(mask)
    first = pc.coalesce(*(texts(frame[c].iloc[positions]) for c in frame.columns))
    return positions[totals(first)]
