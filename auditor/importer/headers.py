"""Map a file's headers to canonical inventory columns (aliases, then words), with unit hints.

``"Mémoire (Mo)"`` -> ``ram_gb`` read in MB; ``"Système d'exploitation - Nom"`` -> ``os``;
``"Usage hours per day"`` -> ``hours_per_day`` (recognised by its words, announced in a warning).
Headers longer than :data:`MAX_HEADER_CHARS` are never matched (and cost nothing to skip).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

import pandas as pd

from auditor.errors import QuantityError
from factors.tables import _fold
from factors.units import parse_quantity, unit_for_name

#: Canonical text columns.
TEXT_COLUMNS: tuple[str, ...] = (
    "id", "name", "manufacturer", "model", "serial_number", "site", "department", "cpu_model",
    "os", "os_version", "hostname", "url", "status", "hosted_on", "hosting", "form_factor",
    "repairability_class", "reused", "refurbished", "memory_soldered", "virtual", "source",
)
#: Canonical numeric columns; the unit is in the name (see factors.units.unit_for_name).
NUMBER_COLUMNS: tuple[str, ...] = (
    "quantity", "year", "lifetime_years", "screen_size_in", "weight_kg", "cpu_count", "cpu_cores",
    "cpu_threads", "cpu_tdp_w", "ram_gb", "ssd_count", "ssd_gb", "hdd_count", "hdd_gb",
    "storage_gb", "psu_count", "psu_rating_w", "avg_load_pct", "hours_per_day", "days_per_year",
    "power_w", "energy_kwh_per_year", "repairability_index", "battery_health_pct", "pue",
    "tpm_version", "price", "monthly_visits", "dom_elements", "requests", "transfer_kb",
)
DATE_COLUMNS: tuple[str, ...] = ("purchase_date", "warranty_end")
#: Every canonical inventory column, in documentation order.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "id", "name", "category", "manufacturer", "model", "serial_number", "quantity", "site",
    "department", "country", "purchase_date", "year", "lifetime_years", "warranty_end",
    "screen_size_in", "weight_kg", "cpu_model", "cpu_count", "cpu_cores", "cpu_threads",
    "cpu_tdp_w", "ram_gb", "ssd_count", "ssd_gb", "hdd_count", "hdd_gb", "storage_gb",
    "psu_count", "psu_rating_w", "avg_load_pct", "hours_per_day", "days_per_year", "power_w",
    "energy_kwh_per_year", "os", "os_version", "repairability_index", "battery_health_pct",
    "hostname", "url", "pue", "tpm_version", "status", "price", "reused", "refurbished",
    "form_factor", "memory_soldered", "repairability_class", "virtual", "source", "monthly_visits",
    "dom_elements", "requests", "transfer_kb", "hosted_on", "hosting",
)

#: Headers longer than this are not matched to a column (no alias is that long).
MAX_HEADER_CHARS = 200
_HEADER_UNIT = re.compile(r"^(.*?)[\s_-]*[(\[]\s*([^)\]]*?)\s*[)\]]\s*$")


@lru_cache(maxsize=1)
def column_aliases() -> dict[str, str]:
    """Folded header alias -> canonical column (packaged ``auditor/data/columns.csv``)."""
    table = pd.read_csv(files("auditor.data").joinpath("columns.csv"), dtype=str)
    return {_fold(a): c for c, a in zip(table["column"], table["alias"], strict=True)}


@lru_cache(maxsize=1)
def category_aliases() -> dict[str, str]:
    """Folded category word -> canonical category (packaged ``auditor/data/categories.csv``)."""
    table = pd.read_csv(files("auditor.data").joinpath("categories.csv"), dtype=str)
    return {_fold(a): c for c, a in zip(table["category"], table["alias"], strict=True)}


def map_headers(headers: Sequence[str], file: str) -> dict[str, tuple[str, str | None]]:
    """Map a file's headers to canonical columns.

    Returns ``{header: (canonical column, unit hint or None)}`` for every recognised header.
    A header may carry its unit in brackets (``"Mémoire (Mo)"``, ``"Poids [kg]"``): bare numbers in
    that column are then read in that unit. GLPI-style ``"Section - Field"`` headers are tried whole,
    then by their last part. The first header mapping to a column wins; ``category`` and
    ``item_type`` (GLPI "Type d'élément") are both kept, ``category`` first.
    """
    aliases = column_aliases()
    mapping: dict[str, tuple[str, str | None]] = {}
    taken: set[str] = set()
    for header in headers:
        found = match_header(header, aliases)
        if found is None:
            continue
        column, hint = found
        if column in taken:
            continue
        taken.add(column)
        mapping[header] = (column, hint)
    for header in headers:  # then headers known by their words only ("Usage hours per day")
        if header in mapping:
            continue
        found = guess_header(header)
        if found is None or found[0] in taken:
            continue
        taken.add(found[0])
        mapping[header] = found
    return mapping


def repeated_columns(headers: Sequence[str], mapping: dict[str, tuple[str, str | None]]
                     ) -> dict[str, list[str]]:
    """Headers that :func:`map_headers` left out because an earlier header gives their column:
    ``{column: [headers, in file order]}`` (by alias only; a JSON file whose items name their
    category ``category`` or ``type`` has both)."""
    aliases = column_aliases()
    given = {column for column, _ in mapping.values()}
    out: dict[str, list[str]] = {}
    for header in headers:
        if header in mapping:
            continue
        found = match_header(header, aliases)
        if found is not None and found[0] in given:
            out.setdefault(found[0], []).append(header)
    return out


#: Word rules for headers no alias names: (any of these words, and any of those if given) -> column.
#: Tried in order, on the header's unaccented lower-case words; a guessed column whose cells do not
#: parse is dropped with a warning instead of stopping the import.
_HEADER_RULES: tuple[tuple[frozenset[str], frozenset[str], str], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split()), column) for a, b, column in (
        ("warranty garantie", "", "warranty_end"),
        ("serial serie", "", "serial_number"),
        ("kwh", "", "energy_kwh_per_year"),
        ("hour hours heure heures h", "day days jour jours j", "hours_per_day"),
        ("day days jour jours", "year years an ans annee", "days_per_year"),
        ("load charge utilisation utilization", "cpu moyenne average mean", "avg_load_pct"),
        ("battery batterie", "", "battery_health_pct"),
        ("ram memory memoire", "", "ram_gb"),
        ("screen ecran monitor moniteur display", "size taille inch inches pouce pouces diagonal diagonale", "screen_size_in"),
        ("weight poids masse", "", "weight_kg"),
        ("date", "achat acquisition purchase service livraison delivery installation", "purchase_date"),
        ("annee year", "", "year"),
        ("lifetime vie amortissement", "", "lifetime_years"),
        ("categorie category type nature famille family kind classe", "", "category"),
        ("model modele", "", "model"),
        ("manufacturer fabricant constructeur marque brand vendor", "", "manufacturer"),
        ("country pays", "", "country"),
        ("site lieu location localisation batiment building emplacement", "", "site"),
        ("service department departement direction entite", "", "department"),
        ("quantity quantite qty qte", "", "quantity"),
        ("power puissance watts", "", "power_w"),
        ("hostname fqdn", "", "hostname"),
        ("os systeme system", "version release build", "os_version"),
        ("os systeme operating", "", "os"),
        ("cpu processeur processor", "core cores coeurs coeur", "cpu_cores"),
        ("cpu processeur processor", "", "cpu_model"),
        ("name nom", "", "name"),
    )
)


def guess_header(header: str) -> tuple[str, str | None] | None:
    """Canonical column of a header from its words, when no alias matches (see ``_HEADER_RULES``)."""
    if len(header) > MAX_HEADER_CHARS:
        return None
    found = set(words(header).split())
    match = _HEADER_UNIT.match(header)
    hint = match.group(2) if match and match.group(1) else None
    for first, second, column in _HEADER_RULES:
        if found & first and (not second or found & second):
            return column, _usable_hint(column, hint)
    return None


def match_header(header: str, aliases: dict[str, str] | None = None) -> tuple[str, str | None] | None:
    """(canonical column, unit hint) of a header named by an alias, else None."""
    aliases = aliases if aliases is not None else column_aliases()
    if len(header) > MAX_HEADER_CHARS:
        return None
    candidates: list[tuple[str, str | None]] = [(header, None)]
    match = _HEADER_UNIT.match(header)
    if match and match.group(1):
        candidates.append((match.group(1), match.group(2)))
    for text, hint in list(candidates):
        if " - " in text:
            candidates.append((text.rsplit(" - ", 1)[-1], hint))
    for text, hint in candidates:
        column = aliases.get(_fold(text))
        if column is not None:
            return column, _usable_hint(column, hint)
    return None


def alias_columns(cells: Sequence[object]) -> set[str]:
    """Canonical columns that the cells of one row name by an alias (no word guesses)."""
    aliases = column_aliases()
    found = (match_header(str(cell), aliases) for cell in cells if cell is not None and str(cell).strip())
    return {f[0] for f in found if f is not None}


def header_row(rows: Sequence[Sequence[object]], base: int) -> int:
    """Which of a file's first filled ``rows`` is its header, ``base`` being the first guess (the
    first filled row of a sheet; the CSV field-count rule).

    A later row is taken instead when ``base`` names no category column and that row names more
    columns than ``base`` does, among them a category, or at least two when ``base`` names none:
    ``base`` was then a title (``Inventaire du parc``) or a group row over merged cells
    (``Matériel | Caractéristiques``). A data row rarely names columns, so a real header stays.
    """
    named = alias_columns(rows[base]) if base < len(rows) else set()
    if named & {"category", "item_type"}:
        return base
    for index in range(base + 1, len(rows)):
        found = alias_columns(rows[index])
        if len(found) > len(named) and (found & {"category", "item_type"} or (not named and len(found) >= 2)):
            return index
    return base


def _usable_hint(column: str, hint: str | None) -> str | None:
    """A unit hint from a header, kept only if it is a unit of the column's dimension."""
    unit = unit_for_name(column)
    if not hint or not unit:
        return None
    try:
        parse_quantity(f"1 {hint}", unit)
    except QuantityError:
        return None
    return hint




def words(text: str) -> str:
    """Lower-case, unaccented words separated by single spaces (``"Écran 24''"`` -> ``"ecran 24"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
