"""Categories and countries of inventory rows, resolved once per distinct cell.

A category cell is an alias (``Poste fixe``, ``Écran``), or a phrase containing one as whole
words (``PC portable Dell Latitude`` -> laptop, the longest alias wins, with a warning). A country
cell is an ISO code or a name, kept exactly: ``NA`` is Namibia, not "not available".
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd

from auditor.errors import InventoryError, UnknownCountryError
from auditor.importer.checks import TOTALS_WORD
from auditor.importer.headers import category_aliases, words
from auditor.importer.limits import shorten
from auditor.importer.problems import Context, factorize
from auditor.web import WEB_SERVICE_CATEGORY
from factors.tables import CATEGORIES, FactorLibrary, _fold

#: Categories a table's ``category`` column may hold: the device categories of the factor tables
#: and web services (assessed by :mod:`auditor.web.footprint`).
TABLE_CATEGORIES: list[str] = [*CATEGORIES, WEB_SERVICE_CATEGORY]


@lru_cache(maxsize=1)
def _alias_phrases() -> tuple[dict[tuple[str, ...], str], int]:
    """(alias as a tuple of words -> category, most words in an alias), aliases of 3+ letters."""
    table = pd.read_csv(files("auditor.data").joinpath("categories.csv"), dtype=str)
    phrases: dict[tuple[str, ...], str] = {}
    for category, alias in zip(table["category"], table["alias"], strict=True):
        key = tuple(words(alias).split())
        if len(" ".join(key)) >= 3:
            phrases.setdefault(key, category)
    return phrases, max(len(k) for k in phrases)


def category_in_phrase(value: str) -> str | None:
    """The category of the longest alias found as whole words in ``value`` (None if none).

    Linear in the text: every run of up to as many words as the longest alias is looked up once.
    """
    phrases, longest = _alias_phrases()
    tokens = words(value[:10_000]).split()
    best: tuple[int, int, str] | None = None  # (-length in characters, position, category)
    for start in range(len(tokens)):
        for size in range(1, min(longest, len(tokens) - start) + 1):
            key = tuple(tokens[start:start + size])
            category = phrases.get(key)
            if category is not None:
                rank = (-len(" ".join(key)), start, category)
                best = rank if best is None or rank < best else best
    return best[2] if best else None


def sheet_category(sheet: str | None) -> str | None:
    """The category a workbook sheet's name stands for ("Écrans" -> monitor), if any."""
    if not sheet:
        return None
    aliases = category_aliases()
    name = _fold(sheet)
    return aliases.get(name) or (aliases.get(name[:-1]) if name.endswith(("s", "x")) else None)


def categories(frame: pd.DataFrame, headers: list[str], ctx: Context) -> np.ndarray:
    """Canonical category per row (an object array; see :func:`category_codes`)."""
    codes, labels = category_codes(frame, headers, ctx)
    return np.array([*labels, None], dtype=object)[codes]


def category_codes(frame: pd.DataFrame, headers: list[str], ctx: Context) -> tuple[np.ndarray, list[str]]:
    """Canonical category per row, as (codes, labels): the first of ``headers`` whose cell is a
    known category. ``labels`` starts with :data:`TABLE_CATEGORIES`; every row has a code.

    A cell that is no alias itself but contains one as whole words takes the longest such alias,
    with a warning saying so. Each distinct cell is looked up once; rows carry integer codes.
    """
    aliases = category_aliases()
    labels = list(TABLE_CATEGORIES)
    where = {label: k for k, label in enumerate(labels)}

    def code(category: str | None) -> int:
        if category is None:
            return -1
        if category not in where:
            where[category] = len(labels)
            labels.append(category)
        return where[category]

    result = np.full(len(frame), -1, dtype=np.int64)
    coded = [(header, *factorize(frame[header])) for header in headers]
    first_unknown: tuple[np.ndarray, str, np.ndarray, np.ndarray] | None = None
    for phrase_pass in (False, True):
        for header, codes, uniques in coded:
            texts = [str(u) for u in uniques]
            if phrase_pass:  # 'Total portables' is a totals row, not laptops
                mapped = [None if TOTALS_WORD.match(t) else category_in_phrase(t) for t in texts]
            else:
                mapped = [aliases.get(_fold(t[:1000])) for t in texts]
            mapped_codes = np.array([code(c) for c in mapped] + [-1], dtype=np.int64)
            values = mapped_codes[np.where(codes >= 0, codes, len(uniques))]
            take = (result < 0) & (values >= 0)
            result[take] = values[take]
            if phrase_pass and take.any():
                positions = np.flatnonzero(take)
                notes = np.array([f"{shorten(t)} -> {c}" for t, c in zip(texts, mapped, strict=True)],
                                 dtype=object)
                ctx.warn(positions, header, "category read from the words it contains", notes,
                         codes=codes[positions])
            unknown = (codes >= 0) & (values < 0)
            if not phrase_pass and first_unknown is None and unknown.any():
                first_unknown = (unknown, header, codes, uniques)
    missing = result < 0
    if missing.any():
        if first_unknown is not None and (first_unknown[0] & missing).any():
            unknown, header, codes, uniques = first_unknown
            positions = np.flatnonzero(unknown & missing)
            ctx.fail(positions, header, uniques[codes[positions.min()]],
                     f"unknown category; expected one of {', '.join(TABLE_CATEGORIES)} "
                     "(or a French name such as poste fixe, portable, écran, serveur, copieur)")
        ctx.fail(np.flatnonzero(missing), headers[0], "", "empty category; every item needs a category")
    return result, labels


def countries(frame: pd.DataFrame, header: str | None, default: str | None,
              library: FactorLibrary, ctx: Context) -> np.ndarray:
    """ISO code per row (an object array; see :func:`country_codes`)."""
    codes, labels = country_codes(frame, header, default, library, ctx)
    return np.asarray(labels, dtype=object)[codes]


def country_codes(frame: pd.DataFrame, header: str | None, default: str | None,
                  library: FactorLibrary, ctx: Context) -> tuple[np.ndarray, list[str]]:
    """ISO code per row from the country column (or ``default``, the ``--country`` option), as
    (codes, ISO codes): each distinct cell is resolved once; every row has a code."""
    fallback = None
    if default is not None:
        try:
            fallback = library.resolve_country(default)
        except UnknownCountryError as exc:
            raise UnknownCountryError(f"--country {shorten(default)!r}: {exc}") from None
    n = len(frame)
    if header is None:
        if fallback is None:
            raise InventoryError(
                "no country column and no --country option; pass --country FR (or add a 'country' column)",
                file=ctx.file,
            )
        return np.zeros(n, dtype=np.int64), [fallback]
    codes, uniques = factorize(frame[header])
    resolved: list[str | None] = [None] * (len(uniques) + 1)
    for k, cell in enumerate(uniques):
        try:
            resolved[k] = library.resolve_country(str(cell)[:200])
        except UnknownCountryError as exc:
            message = str(exc)
            if message.startswith("unknown country"):
                message = "unknown country; " + message.split("; ", 1)[-1]
            elif "(" in message:
                message = "no electricity factor for this country; " + message.split("; ", 1)[-1]
            ctx.fail(np.flatnonzero(codes == k), header, cell, message)
    resolved[len(uniques)] = fallback
    codes = np.where(codes >= 0, codes, len(uniques))
    if fallback is None and (codes == len(uniques)).any():
        ctx.fail(np.flatnonzero(codes == len(uniques)), header, "",
                 "empty country and no --country option; pass --country FR")
    labels = list(dict.fromkeys(resolved))  # distinct ISO codes (several cells may name one)
    where = {label: k for k, label in enumerate(labels)}
    return np.array([where[r] for r in resolved], dtype=np.int64)[codes], labels
