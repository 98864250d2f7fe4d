"""Yes/no columns (``reused``, ``refurbished``, ``memory_soldered``, ``virtual``) read from text.

The inventory keeps these cells exactly as written (text); consumers turn them into booleans here,
so every part agrees on which words mean yes and which mean no (French and English).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Folded words read as yes / no. Anything else is unknown (neither).
YES_WORDS: frozenset[str] = frozenset(
    {"yes", "y", "true", "1", "x", "oui", "o", "vrai", "reused", "refurbished", "reconditionne",
     "reemploi", "occasion", "virtual", "virtuel", "virtuelle", "soldered", "soude", "soudee"}
)
NO_WORDS: frozenset[str] = frozenset({"no", "n", "false", "0", "non", "faux", "neuf", "new", "-"})


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def flag_values(series: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(is_yes, is_known)`` boolean arrays for a yes/no text column (None: all unknown).

    Booleans pass through; numbers are yes when non-zero; words per :data:`YES_WORDS` and
    :data:`NO_WORDS`; empty cells and other words are unknown (``is_known`` False, ``is_yes`` False).
    Vectorised over distinct values.
    """
    if series is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    yes = np.zeros(len(uniques) + 1, dtype=bool)
    known = np.zeros(len(uniques) + 1, dtype=bool)
    for i, value in enumerate(uniques):
        if isinstance(value, bool | np.bool_):
            yes[i], known[i] = bool(value), True
        elif isinstance(value, int | float | np.integer | np.floating):
            if value == value:
                yes[i], known[i] = value != 0, True
        else:
            word = _fold(str(value))
            if word in YES_WORDS:
                yes[i], known[i] = True, True
            elif word in NO_WORDS:
                known[i] = True
    codes = np.where(codes < 0, len(uniques), codes)
    return yes[codes], known[codes]
