"""Where cells come from, and the warnings and errors that name them (vectorised, no row loop)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditor.errors import InventoryError
from auditor.importer.limits import shorten

#: Warning lines kept for the terminal (the per-row ``warnings`` column keeps them all).
MAX_MESSAGES = 10_000


def factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values as an object array): code -1 for missing cells.

    Distinct values come in order of first appearance (as :func:`pandas.factorize`); Arrow-backed
    text is dictionary-encoded by Arrow directly, without pandas' conversions; a categorical
    column gives its own codes and categories when they are in that order already (as the CSV
    reader makes them), else they are put in that order.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _factorize_categorical(series)
    array = arrow_text(series)
    encoded = pc.dictionary_encode(array) if array is not None and len(array) else None
    if encoded is not None and encoded.num_chunks:
        dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
        if all(len(chunk.dictionary) == len(dictionary) for chunk in encoded.chunks):
            indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
            codes = pc.fill_null(indices, -1).to_numpy().astype(np.int64, copy=False)
            return codes, np.asarray(dictionary.to_numpy(zero_copy_only=False), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _factorize_categorical(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize` of a categorical column, from its codes (no cell is hashed)."""
    codes = np.asarray(series.cat.codes)
    categories = np.asarray(series.cat.categories.to_numpy(dtype=object), dtype=object)
    if not len(codes):
        return codes.astype(np.int64), categories[:0]
    # categories in order of first appearance, all used: each code is at most one more than the
    # largest before it (the first at most 0), and the largest is the last category. Differences
    # fit the codes' own integer type: codes lie in [-1, len(categories) - 1].
    running = np.maximum.accumulate(codes)
    if (running[-1] == len(categories) - 1 and codes[0] <= 0
            and bool(np.all(codes[1:] - running[:-1] <= 1))):
        return codes.astype(np.int64), categories
    rank, seen = pd.factorize(codes)  # codes in order of first appearance, -1 among them
    used = seen >= 0
    renumber = np.where(used, np.cumsum(used) - 1, -1)
    return renumber[rank].astype(np.int64), categories[seen[used]]


def arrow_text(series: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow text array behind an Arrow-backed text series (None for other series)."""
    if not isinstance(series.dtype, pd.StringDtype) or series.dtype.storage != "pyarrow":
        return None
    array = getattr(series.array, "_pa_array", None)
    if not isinstance(array, pa.ChunkedArray) or not (pa.types.is_large_string(array.type)
                                                      or pa.types.is_string(array.type)):
        return None
    return array


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
        #: (positions, distinct messages, index of each position's message)
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    @property
    def cells(self) -> np.ndarray:
        """Each row's warnings, ``; ``-separated (empty text when none)."""
        keyed = self._keyed()
        if keyed is not None:
            key, texts = keyed
            return texts[key]
        return self._joined()

    def column(self) -> pa.Array:
        """:attr:`cells` as an Arrow text array, built from each distinct combination of warnings
        (rows sharing the same warnings share one string) when there are few of them."""
        keyed = self._keyed()
        if keyed is None:
            return pa.array(self._joined(), pa.large_string())
        key, texts = keyed
        return pc.take(pa.array(texts, pa.large_string()), pa.array(key))

    def _keyed(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(per-row index, distinct joined texts), or None when there are too many combinations."""
        n = len(self.rows)
        key = np.zeros(n, dtype=np.int64)
        radix = 1
        choices: list[np.ndarray] = []
        for positions, options, inverse in self._parts:
            if radix * (len(options) + 1) > 2**53:
                return None
            key[positions] += (inverse + 1) * radix
            choices.append((radix, options))
            radix *= len(options) + 1
        if radix <= 4 * n + 1024:  # few possible keys: mark those present (no sort)
            present = np.zeros(radix, dtype=bool)
            present[key] = True
            unique = np.flatnonzero(present)
            index = (np.cumsum(present) - 1)[key]
        else:
            unique, index = np.unique(key, return_inverse=True)
        texts = np.empty(len(unique), dtype=object)
        for i, value in enumerate(unique):
            parts = []
            for step, options in choices:
                code = (int(value) // step) % (len(options) + 1)
                if code:
                    parts.append(options[code - 1])
            texts[i] = "; ".join(parts)
        return index.reshape(-1), texts

    def _joined(self) -> np.ndarray:
        out = np.full(len(self.rows), "", dtype=object)
        for positions, options, inverse in self._parts:
            current = out[positions]
            empty = current == ""
            per_row = options[inverse]
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
            options = np.array([f"{column}: {text}"], dtype=object)
            inverse = np.zeros(len(positions), dtype=np.int64)
        else:
            values = np.asarray(values, dtype=object)
            if codes is not None:
                options = np.array([f"{column} {shorten(v)}: {text}" for v in values], dtype=object)
                inverse = np.asarray(codes, dtype=np.int64)
                values = values[inverse]
            else:
                options = f"{column} " + values + f": {text}"
                inverse = np.arange(len(positions))
        self._parts.append((positions, options, inverse))
        room = MAX_MESSAGES - len(self.messages)
        for k in range(min(room, len(positions))):
            value = f"{shorten(values[k])} " if values is not None else ""
            self.messages.append(f"{self.file}, row {self.rows[positions[k]]}, column '{column}': "
                                 f"{value}{text}")
