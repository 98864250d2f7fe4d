"""Device profiles: rows whose footprint inputs are all equal share one computation.

An inventory of a city repeats itself: hundreds of identical monitors, PCs bought in the same
batch, phones of one model. The footprint engine (:func:`auditor.footprint.assess`) therefore
groups rows by every column it reads (their *profile*: category, quantity, specs, usage, country,
manufacturer, model, PUE, ...), computes each distinct profile once and gathers the results back
to the rows. Columns the engine never reads (:data:`NOT_FOOTPRINT_INPUTS`: identifiers, dates,
free text, scores' inputs) stay out of the profile, so they do not split groups; the per-row
result columns that depend on them (id, name, age, warnings ...) are computed on every row.

Every column NOT listed in :data:`NOT_FOOTPRINT_INPUTS` is part of the profile: a column added to
the inventory later splits groups (slower) rather than being wrongly shared (wrong).
``tests/test_profiles.py`` checks that grouped and row-by-row assessments are identical on
tables where every column varies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Inventory columns the footprint engine does not read (``site`` only matters with per-site PUE).
NOT_FOOTPRINT_INPUTS: frozenset[str] = frozenset({
    "id", "name", "serial_number", "site", "department", "purchase_date", "warranty_end", "os",
    "os_version", "repairability_index", "battery_health_pct", "hostname", "url", "tpm_version",
    "status", "price", "reused", "refurbished", "form_factor", "memory_soldered",
    "repairability_class", "source", "monthly_visits", "dom_elements", "requests", "transfer_kb",
    "hosted_on", "hosting", "_file", "_row", "warnings",
})

#: Below this share of distinct profiles per row, grouping pays for its own cost.
GROUPING_WORTH_IT = 0.6


def profile_codes(table: pd.DataFrame, *, site_matters: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One code per distinct footprint profile, and the first row of each code.

    Parameters
    ----------
    table
        Canonical inventory.
    site_matters
        Whether ``site`` enters the footprint (a per-site PUE was given).

    Returns
    -------
    (codes, first)
        ``codes[i]`` is row ``i``'s profile (0 .. k-1, in order of first appearance) and
        ``first[c]`` the first row of profile ``c``.
    """
    n = len(table)
    parts = []
    for name in table.columns:
        if name in NOT_FOOTPRINT_INPUTS and not (name == "site" and site_matters):
            continue
        column = table[name]
        if _constant(column):
            continue
        try:
            codes, _ = pd.factorize(column, use_na_sentinel=True)
        except TypeError:  # unhashable cells (a list, a dict): every row is its own profile
            return np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64)
        parts.append(np.asarray(codes, dtype=np.int64))
    if not parts or not n:
        return np.zeros(n, dtype=np.int64), np.zeros(1 if n else 0, dtype=np.int64)
    return combine_codes(*parts)


def combine_codes(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One code per distinct combination of integer arrays; also the first row of each code.

    The arrays are packed into one integer key (mixed radix) and factorised once; constant arrays
    cost nothing. Falls back to step-by-step factorising when the key would overflow.
    """
    n = len(arrays[0])
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for a in arrays:
        a = np.asarray(a, dtype=np.int64)
        if not n:
            break
        low, high = int(a.min()), int(a.max())
        if low == high:
            continue
        width = high - low + 1
        if span * width >= 2**62:
            key, _ = pd.factorize(key)
            key = key.astype(np.int64)
            span = int(key.max()) + 1
        key = key * width + (a - low)
        span *= width
    codes, _ = pd.factorize(key)
    codes = codes.astype(np.int64)
    first = np.full(int(codes.max()) + 1 if n else 0, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(n)[::-1]
    return codes, first


def _constant(column: pd.Series) -> bool:
    """Whether every value of a column is missing (a cheap test that skips most absent specs)."""
    values = column.array
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return bool(np.isnan(values).all())
    return not column.notna().any()


def worth_grouping(n_profiles: int, n_rows: int) -> bool:
    """Whether computing per profile and gathering beats computing every row."""
    return n_rows > 1000 and n_profiles <= GROUPING_WORTH_IT * n_rows


def gather(column: object, codes: np.ndarray | None) -> object:
    """Profile-level column -> row-level column (``codes`` None: already per row)."""
    if codes is None:
        return column
    if isinstance(column, pd.Categorical):
        return pd.Categorical.from_codes(np.asarray(column.codes)[codes], column.categories)
    if isinstance(column, pd.Series):
        return column.take(codes).reset_index(drop=True)
    return np.asarray(column)[codes]
