"""Small vectorised helpers shared by the scores: anchored interpolation, grades, reason texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from auditor.profiles import combine_codes  # noqa: F401 - re-exported for the scores


def anchored_score(x: np.ndarray, anchors: Sequence[float], scores: Sequence[float]) -> np.ndarray:
    """Piecewise-linear score through ``(anchor, score)`` points, flat beyond the ends; NaN stays NaN.

    Anchors must be non-decreasing. Equal neighbouring anchors make a step (the lower score
    applies from that anchor on when scores decrease, the higher when they increase).
    """
    x = np.asarray(x, dtype=float)
    a = np.asarray(anchors, dtype=float)
    s = np.asarray(scores, dtype=float)
    out = np.interp(x, a, s)
    out[np.isnan(x)] = np.nan
    return out


def grade(score: np.ndarray, floors: Sequence[tuple[str, float]], last: str, *, strict: bool) -> pd.Categorical:
    """Letter of each score: the first ``(letter, floor)`` whose floor the score reaches.

    ``strict``: the score must be above the floor (EcoIndex rule) rather than at or above it.
    NaN scores get no grade.
    """
    score = np.asarray(score, dtype=float)
    letters = [letter for letter, _ in floors] + [last]
    codes = np.full(len(score), len(floors), dtype=np.int64)
    for k in range(len(floors) - 1, -1, -1):
        floor = floors[k][1]
        hit = score > floor if strict else score >= floor
        codes[hit] = k
    codes[np.isnan(score)] = -1
    return pd.Categorical.from_codes(codes, letters)


def text_codes(series: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and distinct values of a text column, factorised natively."""
    if series is None or not series.notna().any():
        return np.full(n, -1, dtype=np.int64), np.array([], dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def texts_by_code(codes: np.ndarray, first: np.ndarray, make: Callable[[int], str]) -> pd.Categorical:
    """A categorical text column: ``make(row)`` is called once per code, on its first row."""
    texts = [make(int(row)) for row in first]
    text_codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    return pd.Categorical.from_codes(text_codes[codes] if len(codes) else codes, [str(u) for u in uniques])


def given(table: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric inventory column as floats (NaN where absent or empty)."""
    if column not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)


def in_categories(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Whether each row's category code is one of ``names`` (a lookup, faster than ``np.isin``)."""
    from factors.tables import CATEGORIES

    lookup = np.zeros(len(CATEGORIES), dtype=bool)
    lookup[[CATEGORIES.index(c) for c in names]] = True
    return lookup[codes]
