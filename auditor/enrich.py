"""Fill missing specifications from category archetypes, flagging every filled value.

Each spec becomes three arrays (value, low, high): a value given in the inventory is exact
(low = high = value); a filled one takes the archetype's value and bounds, so the uncertainty
of not knowing a spec flows into the footprint bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from factors.cpu_table import lookup_cpus
from factors.tables import CATEGORIES, FactorLibrary

#: Specs filled from archetypes when a category needs them, and the archetype parameter used.
SPEC_PARAMETERS: tuple[str, ...] = (
    "lifetime_years", "hours_per_day", "days_per_year", "avg_load_pct", "screen_size_in",
    "weight_kg", "ram_gb", "cpu_count", "cpu_tdp_w", "ssd_count", "ssd_gb", "hdd_count", "hdd_gb",
    "psu_count", "psu_rating_w",
)
#: Usage parameters every category needs.
_USAGE = ("lifetime_years", "hours_per_day", "days_per_year", "avg_load_pct")
#: Server power-model inputs.
_SERVER_SPECS = ("cpu_count", "cpu_tdp_w", "ram_gb", "ssd_count", "hdd_count", "psu_count", "psu_rating_w")


@dataclass
class Spec:
    """One specification for every row: value and bounds, and where it was filled."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    filled: np.ndarray  # bool: True where the archetype supplied it


@dataclass
class Enriched:
    """The inventory's specs after filling, by canonical column name."""

    specs: dict[str, Spec] = field(default_factory=dict)
    filled_names: pd.Categorical | None = None  # per-row "ram_gb;ssd_gb" text
    cache: dict = field(default_factory=dict)  # derived arrays reused across criteria

    def __getitem__(self, name: str) -> Spec:
        return self.specs[name]


def category_codes(categories: pd.Series | np.ndarray) -> np.ndarray:
    """Integer index of each row's category in :data:`factors.tables.CATEGORIES`."""
    if isinstance(getattr(categories, "dtype", None), pd.CategoricalDtype):
        # recode the (few) categories, not the rows
        known = {c: i for i, c in enumerate(CATEGORIES)}
        recode = np.array([known.get(str(c), -1) for c in categories.cat.categories] + [-1], dtype=np.int64)
        codes = recode[np.asarray(categories.cat.codes, dtype=np.int64)]  # code -1 (missing) -> -1
        if (codes < 0).any():
            raise ValueError("unknown category reached the footprint engine")
        return codes
    cat = pd.Categorical(np.asarray(categories, dtype=object), categories=list(CATEGORIES))
    codes = np.asarray(cat.codes)
    if (codes < 0).any():
        raise ValueError("unknown category reached the footprint engine")
    return codes


def archetype_arrays(library: FactorLibrary, parameter: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Archetype value/low/high of ``parameter`` for each category (NaN where none)."""
    value = np.full(len(CATEGORIES), np.nan)
    low, high = value.copy(), value.copy()
    for i, category in enumerate(CATEGORIES):
        row = library.archetype(category, parameter)
        if row is not None:
            value[i], low[i], high[i] = row["value"], row["low"], row["high"]
    return value, low, high


def needed_specs(library: FactorLibrary) -> dict[str, np.ndarray]:
    """For each spec, which categories need it (bool per category)."""
    needed = {name: np.zeros(len(CATEGORIES), dtype=bool) for name in SPEC_PARAMETERS}
    for name in _USAGE:
        needed[name][:] = True
    embodied = library.embodied
    for i, category in enumerate(CATEGORIES):
        drivers = set(embodied.loc[embodied["category"] == category, "driver"])
        for driver in drivers:
            if driver in needed:
                needed[driver][i] = True
            if driver == "ssd_gb":
                needed["ssd_count"][i] = True
            if driver == "hdd_gb":
                needed["hdd_count"][i] = True
    server = CATEGORIES.index("server")
    for name in _SERVER_SPECS:
        needed[name][server] = True
    return needed


def enrich(table: pd.DataFrame, library: FactorLibrary, codes: np.ndarray | None = None,
           progress: Callable[..., None] | None = None, n_rows: int | None = None) -> Enriched:
    """Fill the specs each row's category needs, from archetypes, with bounds.

    Parameters
    ----------
    table
        Canonical inventory (see :mod:`auditor.inventory`).
    library
        Factor library holding the archetypes.
    codes
        Category codes of the rows (computed from ``table`` when None).
    progress
        ``progress(text, done, total)``, called once per spec with the specs filled so far.
    n_rows
        Rows the messages name (the inventory's, when ``table`` holds one row per profile).

    Returns
    -------
    Enriched
        Value/low/high/filled arrays per spec, and the per-row list of filled spec names.
    """
    codes = category_codes(table["category"]) if codes is None else codes
    needed = needed_specs(library)
    given = {name: table[name].to_numpy(dtype=float) for name in SPEC_PARAMETERS}
    _derive_disks(table, given, codes)
    _tdp_from_cpu_table(table, given, codes)
    out = Enriched()
    n = len(table)
    shown = n if n_rows is None else n_rows
    filled_bits = np.zeros(n, dtype=np.int64)  # bit i: SPEC_PARAMETERS[i] was filled
    for done, name in enumerate(SPEC_PARAMETERS):
        if progress:
            progress(f"filling specs from archetypes: {name} ({shown:,} rows)", done, len(SPEC_PARAMETERS))
        value = given[name].copy()
        arch_value, arch_low, arch_high = archetype_arrays(library, name)
        missing = np.isnan(value) & needed[name][codes]
        fill_value = arch_value[codes]
        can_fill = missing & ~np.isnan(fill_value)
        low, high = value.copy(), value.copy()
        value[can_fill] = fill_value[can_fill]
        low[can_fill] = arch_low[codes][can_fill]
        high[can_fill] = arch_high[codes][can_fill]
        still = missing & ~can_fill
        value[still] = low[still] = high[still] = 0.0 if name.endswith(("_count", "_gb")) else np.nan
        out.specs[name] = Spec(value, low, high, can_fill)
        if name not in _USAGE:
            filled_bits |= can_fill.astype(np.int64) << done
    out.filled_names = filled_names_text(filled_bits)
    if progress:
        progress(f"filling specs from archetypes ({shown:,} rows)", len(SPEC_PARAMETERS), len(SPEC_PARAMETERS))
    return out


def filled_names_text(filled_bits: np.ndarray) -> pd.Categorical:
    """The ``;``-separated names of the filled specs, from per-row bit masks over
    :data:`SPEC_PARAMETERS` (bit ``i`` set: spec ``i`` filled); texts built once per distinct mask."""
    codes, masks = pd.factorize(filled_bits)
    texts = [";".join(name for i, name in enumerate(SPEC_PARAMETERS) if int(mask) >> i & 1) for mask in masks]
    text_codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    return pd.Categorical.from_codes(text_codes[codes] if len(codes) else codes, [str(u) for u in uniques])


def _derive_disks(table: pd.DataFrame, given: dict[str, np.ndarray], codes: np.ndarray) -> None:
    """Use a generic ``storage_gb`` as SSD capacity, and count one drive where a capacity is given."""
    storage = table["storage_gb"].to_numpy(dtype=float) if "storage_gb" in table else None
    if storage is not None:
        no_type = np.isnan(given["ssd_gb"]) & np.isnan(given["hdd_gb"]) & ~np.isnan(storage)
        given["ssd_gb"] = np.where(no_type, storage, given["ssd_gb"])
    for kind in ("ssd", "hdd"):
        count, size = given[f"{kind}_count"], given[f"{kind}_gb"]
        given[f"{kind}_count"] = np.where(np.isnan(count) & ~np.isnan(size) & (size > 0), 1.0, count)
    # a server whose disks are described for one kind has none of the other kind
    server = codes == CATEGORIES.index("server")
    for kind, other in (("ssd", "hdd"), ("hdd", "ssd")):
        described = ~np.isnan(given[f"{other}_count"]) & np.isnan(given[f"{kind}_count"]) & server
        given[f"{kind}_count"] = np.where(described, 0.0, given[f"{kind}_count"])
        given[f"{kind}_gb"] = np.where(described & np.isnan(given[f"{kind}_gb"]), 0.0, given[f"{kind}_gb"])


def _tdp_from_cpu_table(table: pd.DataFrame, given: dict[str, np.ndarray], codes: np.ndarray) -> None:
    """A server's CPU TDP, when not given, from its CPU model in the bundled CPU table.

    Looked up once per distinct model name (``factors.cpu_table``); a value found this way is
    data about the item, not an archetype default, so it is not flagged as filled.
    """
    if "cpu_model" not in table:
        return
    rows = np.flatnonzero((codes == CATEGORIES.index("server")) & np.isnan(given["cpu_tdp_w"]))
    if rows.size == 0:
        return
    tdp = lookup_cpus(table["cpu_model"].iloc[rows].to_numpy(dtype=object))["tdp_w"]
    given["cpu_tdp_w"] = given["cpu_tdp_w"].copy()
    given["cpu_tdp_w"][rows] = tdp
