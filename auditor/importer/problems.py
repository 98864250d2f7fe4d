"""Where cells come from, and the warnings and errors that name them (vectorised, no row loop)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.errors import InventoryError
from auditor.importer.limits import shorten

#: Warning lines kept for the terminal (the per-row ``warnings`` column keeps them all).
MAX_MESSAGES = 10_000


def factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values as an object array): code -1 for missing cells."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct numbers shown as text, index of each value among them)."""
    unique, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    return show_numbers(unique), inverse


def show_numbers(values: np.ndarray) -> np.ndarray:
    """Numbers as short text, vectorised: ``16.0`` -> ``"16"``, ``2.5`` -> ``"2.5"``."""
    values = np.asarray(values, dtype=float)
    whole = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 1e15)
    out = values.astype(str).astype(object)
    out[whole] = values[whole].astype(np.int64).astype(str)
    return out


class Context:
    """One table being parsed: its file, each frame row's spreadsheet row, and its warnings.

    Warnings are kept per row (the results' ``warnings`` column) and as lines for the terminal.
    """

    def __init__(self, file: str, rows: np.ndarray) -> None:
        self.file, self.rows = file, rows
        self.messages: list[str] = []
        self._parts: list[tuple[np.ndarray, object]] = []

    @property
    def cells(self) -> np.ndarray:
        """Each row's warnings, ``; ``-separated (empty text when none)."""
        out = np.full(len(self.rows), "", dtype=object)
        for positions, per_row in self._parts:
            current = out[positions]
            empty = current == ""
            if isinstance(per_row, str):
                out[positions[empty]] = per_row
                out[positions[~empty]] = current[~empty] + ("; " + per_row)
            else:
                out[positions[empty]] = per_row[empty]
                out[positions[~empty]] = current[~empty] + "; " + per_row[~empty]
        return out

    def fail(self, positions: np.ndarray, header: str, value: object, reason: str) -> None:
        """Raise the error of the first of ``positions`` (counting the others)."""
        first = int(np.min(positions))
        raise InventoryError(
            reason, file=self.file, row=int(self.rows[first]), column=shorten(header),
            value=shorten(value), more=len(positions) - 1,
        )

    def warn(self, positions: np.ndarray, header: str, text: str,
             values: np.ndarray | None = None, codes: np.ndarray | None = None) -> None:
        """Warn on the rows at ``positions``, quoting ``values``: one per position, or distinct
        values that ``codes`` (one per position) index, so each message is built once."""
        positions = np.asarray(positions)
        if not len(positions):
            return
        column = shorten(header)
        if values is None:
            per_row: object = f"{column}: {text}"
        else:
            values = np.asarray(values, dtype=object)
            messages = np.array([f"{column} {shorten(v)}: {text}" for v in values], dtype=object) \
                if codes is not None else f"{column} " + values + f": {text}"
            per_row = messages[codes] if codes is not None else messages
            values = values[codes] if codes is not None else values
        self._parts.append((positions, per_row))
        room = MAX_MESSAGES - len(self.messages)
        for k in range(min(room, len(positions))):
            value = f"{shorten(values[k])} " if values is not None else ""
            self.messages.append(f"{self.file}, row {self.rows[positions[k]]}, column '{column}': "
                                 f"{value}{text}")
