"""Inventory import: map headers to canonical columns and parse every cell, vectorised.

Several files, CSV/XLSX/JSON, French or English headers, units in cells ("16 Go", "2,5 kg",
``27"``), day-first or ISO dates. Output: one :class:`pandas.DataFrame` with the canonical columns
of ``docs/inventory.md`` as plain floats (units in names), text and dates, plus ``_file`` and
``_row`` (where each item came from) and ``warnings``.

Bad input raises :class:`~auditor.errors.InventoryError` naming file, row, column and value.
Cells are parsed once per distinct value (``pandas.factorize``), so a million rows cost little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InventoryError, QuantityError, UnknownCountryError
from auditor.readers import RawTable, read_raw
from auditor.web import WEB_SERVICE_CATEGORY
from factors.tables import CATEGORIES, FactorLibrary, _fold
from factors.units import Q_, convert, parse_quantity, unit_for_name

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

#: Hard limits: outside them a value is impossible (an error), with the words used to say so.
_LIMITS: dict[str, tuple[float, float, str]] = {
    "quantity": (0, np.inf, "a quantity >= 0"),
    "lifetime_years": (1e-9, 100, "a lifetime > 0 years"),
    "avg_load_pct": (0, 100, "a load between 0 and 100 %"),
    "hours_per_day": (0, 24, "between 0 and 24 hours per day"),
    "days_per_year": (0, 366, "between 0 and 366 days per year"),
    "repairability_index": (0, 10, "an index between 0 and 10"),
    "battery_health_pct": (0, 200, "a battery health between 0 and 100 %"),
    "pue": (1, 10, "a PUE between 1 and 10"),
    "year": (1950, 2200, "a four-digit year"),
    "tpm_version": (0, 9, "a TPM version such as 1.2 or 2.0"),
}

_DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%y",
    "%m/%Y", "%m-%Y", "%Y-%m", "%Y",
)
_US_DATE_FORMATS = tuple(f.replace("%d/%m", "%m/%d").replace("%d-%m", "%m-%d") for f in _DATE_FORMATS)
_MEGABYTES = re.compile(r"(?<=\d)\s*(mo|mb|mio|mib)\s*$", re.I)
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
        found = _match_header(header, aliases)
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
    words = set(_words(header).split())
    match = _HEADER_UNIT.match(header)
    hint = match.group(2) if match and match.group(1) else None
    for first, second, column in _HEADER_RULES:
        if words & first and (not second or words & second):
            return column, _usable_hint(column, hint)
    return None


def _match_header(header: str, aliases: dict[str, str]) -> tuple[str, str | None] | None:
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


class _Problems:
    """Collects warnings (file, row, column, message) and fills the per-row warnings column."""

    def __init__(self, n_rows: int) -> None:
        self.rows = np.full(n_rows, "", dtype=object)
        self.messages: list[str] = []

    def warn(self, positions: np.ndarray, rows: np.ndarray, file: str, column: str, text: str,
             values: Sequence[object] | None = None) -> None:
        for k, (pos, row) in enumerate(zip(positions, rows, strict=True)):
            value = f" {values[k]!s}" if values is not None else ""
            message = f"{column}{value}: {text}"
            self.rows[pos] = f"{self.rows[pos]}; {message}" if self.rows[pos] else message
            if len(self.messages) < 10_000:
                self.messages.append(f"{file}, row {row}, column '{column}': {value.strip()} {text}".replace(":  ", ": "))


def read_inventory(
    paths: Iterable[Path | str],
    *,
    country: str | None = None,
    today: date | None = None,
    library: FactorLibrary | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate inventory files into one canonical table.

    Parameters
    ----------
    paths
        Inventory files (CSV, XLSX, JSON); several are concatenated.
    country
        Country (code or name) of items whose row gives none.
    today
        Reference date for "in the future" checks; today when None.
    library
        Factor library used to resolve countries; the packaged one when None.
    progress
        Called with a short text after each file.

    Returns
    -------
    (table, warnings)
        The canonical table and the warning lines to show the user.
    """
    from factors.tables import default_library

    library = library or default_library()
    today = today or date.today()
    frames: list[pd.DataFrame] = []
    messages: list[str] = []
    from auditor import agents  # agent inventories (FusionInventory/OCS XML, GLPI-agent JSON)

    for path in agents.expand_inputs(paths):
        raws = agents.agent_raw_tables(path) if isinstance(path, agents.AgentFiles) else read_raw(path)
        usable = [r for r in raws if len(raws) == 1 or _sheet_category(r) or _has_category_column(r)]
        if not usable:
            raise InventoryError("no sheet has a category column or a category name", file=str(path))
        for raw in raws:
            if raw not in usable:
                messages.append(f"{raw.file}: sheet skipped (no category column, and its name is not a category)")
                continue
            frame, warns = parse_table(raw, country=country, today=today, library=library,
                                       default_category=_sheet_category(raw))
            frame, warns = agents.agent_origin(frame, raw, warns)
            frames.append(frame)
            messages.extend(warns)
            if progress:
                progress(f"read {raw.file}: {len(frame)} items")
    if not frames:
        raise InventoryError("no inventory file given")
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    _check_duplicate_ids(table)
    return table, messages


def table_from_records(
    records: Sequence[dict],
    *,
    country: str | None = None,
    today: date | None = None,
    library: FactorLibrary | None = None,
    name: str = "records",
) -> pd.DataFrame:
    """Canonical inventory from a list of dicts (same parsing and checks as a file)."""
    from factors.tables import default_library

    frame = pd.DataFrame.from_records(list(records))
    frame = frame.astype(object).where(frame.notna(), None)
    raw = RawTable(frame, name, 1)
    table, _ = parse_table(raw, country=country, today=today or date.today(),
                           library=library or default_library())
    return table


def _has_category_column(raw: RawTable) -> bool:
    columns = {c for c, _ in map_headers(list(raw.frame.columns), raw.file).values()}
    return bool(columns & {"category", "item_type"})


def _sheet_category(raw: RawTable) -> str | None:
    """The category a workbook sheet's name stands for ("Écrans" -> monitor), if any."""
    if not raw.sheet:
        return None
    aliases = category_aliases()
    name = _fold(raw.sheet)
    return aliases.get(name) or (aliases.get(name[:-1]) if name.endswith(("s", "x")) else None)


def parse_table(
    raw: RawTable, *, country: str | None, today: date, library: FactorLibrary,
    default_category: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Turn one raw table into canonical columns (see :func:`read_inventory`).

    ``default_category`` (from a workbook sheet's name) fills rows whose category is empty.
    """
    frame = raw.frame
    mapping = map_headers(list(frame.columns), raw.file)
    aliases = column_aliases()
    guessed = {h for h in mapping if _match_header(h, aliases) is None}
    try:
        return _parse_mapped(raw, mapping, guessed, country=country, today=today, library=library,
                             default_category=default_category)
    except InventoryError as exc:
        if exc.column not in guessed:
            raise
        # a header recognised only by its words holds something else: drop it and say so
        kept = raw.frame.drop(columns=[exc.column])
        table, messages = parse_table(RawTable(kept, raw.file, raw.first_row, raw.sheet), country=country,
                                      today=today, library=library, default_category=default_category)
        note = (f"{raw.file}: column '{exc.column}' ignored: it looked like "
                f"{mapping[exc.column][0]} but {exc.reason}")
        return table, [note, *messages]


def _parse_mapped(
    raw: RawTable, mapping: dict[str, tuple[str, str | None]], guessed: set[str], *,
    country: str | None, today: date, library: FactorLibrary, default_category: str | None,
) -> tuple[pd.DataFrame, list[str]]:
    frame = raw.frame
    by_column = {column: (header, hint) for header, (column, hint) in mapping.items()}
    if default_category is not None and "category" not in by_column and "item_type" not in by_column:
        frame = frame.assign(**{"\x00category": default_category})
        by_column["category"] = ("\x00category", None)
    if "category" not in by_column and "item_type" not in by_column:
        raise InventoryError(
            "no category column; expected a header such as 'category', 'Type' or 'Catégorie' "
            f"(headers found: {', '.join(map(str, frame.columns[:12]))})",
            file=raw.file,
        )
    n = len(frame)
    rows = frame.index.to_numpy() + raw.first_row
    out: dict[str, object] = {}
    problems = _Problems(n)
    ctx = _Context(raw.file, rows, problems)

    for column in TEXT_COLUMNS:
        if column in by_column:
            out[column] = _text(frame[by_column[column][0]])
    for column in NUMBER_COLUMNS:
        if column in by_column:
            header, hint = by_column[column]
            out[column] = _numbers(frame[header], column, header, hint, ctx)
        else:
            out[column] = np.full(n, np.nan)
    for column in DATE_COLUMNS:
        if column in by_column:
            out[column] = _dates(frame[by_column[column][0]], by_column[column][0], ctx)
        else:
            out[column] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    out["category"] = pd.Categorical(_categories(frame, by_column, ctx), categories=[*CATEGORIES, WEB_SERVICE_CATEGORY])
    out["country"] = _countries(frame, by_column, country, library, ctx)

    table = pd.DataFrame(out)
    _fill_year(table)
    _check_limits(table, by_column, ctx)
    _check_plausible(table, by_column, ctx, today, library)
    _fix_ram_in_mb(table, by_column, ctx)
    if "quantity" in by_column:
        table["quantity"] = table["quantity"].fillna(1.0)
    else:
        table["quantity"] = 1.0
    if raw.sheet and raw.file.endswith(f" [{raw.sheet}]"):
        stem = f"{Path(raw.file[: -len(raw.sheet) - 3]).stem}-{raw.sheet}"
    else:
        stem = Path(raw.file).stem
    generated = f"{stem}-" + pd.Series(rows).astype("str")
    if "id" in table:
        table["id"] = table["id"].where(table["id"].notna(), generated)
    else:
        table["id"] = generated
    for column in TEXT_COLUMNS:
        if column not in table:
            table[column] = pd.Series(index=range(n), dtype="str")
    table["_file"] = raw.file
    table["_row"] = rows
    table["warnings"] = problems.rows
    columns = [c for c in CANONICAL_COLUMNS if c in table] + ["_file", "_row", "warnings"]
    notes = [f"{raw.file}: column '{h}' read as {mapping[h][0]} (recognised by its words)" for h in sorted(guessed)]
    return table[columns], [*notes, *problems.messages]


class _Context:
    """Where cells come from, to name them in errors and warnings."""

    def __init__(self, file: str, rows: np.ndarray, problems: _Problems) -> None:
        self.file, self.rows, self.problems = file, rows, problems

    def fail(self, positions: np.ndarray, header: str, value: object, reason: str) -> None:
        first = int(positions.min())
        raise InventoryError(
            reason, file=self.file, row=int(self.rows[first]), column=header, value=value,
            more=len(positions) - 1,
        )


def _text(series: pd.Series) -> pd.Series:
    """A text column: strings kept (already stripped by the reader), numbers written as text."""
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.reset_index(drop=True)
    out = series.astype(object).map(_cell_text, na_action="ignore")
    return out.where(out.notna(), None).astype(object).reset_index(drop=True)


def _cell_text(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _numbers(series: pd.Series, column: str, header: str, hint: str | None, ctx: _Context) -> np.ndarray:
    """Parse a numeric column once per distinct cell; error on the first bad cell."""
    unit = unit_for_name(column) or "dimensionless"
    scale = parse_quantity(f"1 {hint}", unit) if hint else 1.0
    if column == "ram_gb" and hint and _MEGABYTES.search(f"1 {hint}"):
        scale = 1.0 / 1024.0
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan) * scale
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = np.empty(len(uniques))
    bad: list[int] = []
    reasons: dict[int, str] = {}
    lenient: dict[int, str] = {}
    for k, cell in enumerate(uniques):
        try:
            parsed[k] = _parse_cell(cell, column, unit, hint) * (1.0 if _has_unit(cell) else scale)
        except QuantityError as exc:
            found = _quantity_in_text(str(cell), column, unit)
            if found is None:
                bad.append(k)
                reasons[k] = str(exc)
            else:
                parsed[k], lenient[k] = found
    if lenient:
        for k, note in lenient.items():
            positions = np.flatnonzero(codes == k)
            ctx.problems.warn(positions, ctx.rows[positions], ctx.file, header, note)
    if bad:
        bad_mask = np.isin(codes, bad)
        positions = np.flatnonzero(bad_mask)
        first_code = codes[positions.min()]
        ctx.fail(positions, header, uniques[first_code], reasons[first_code])
    values = np.where(codes >= 0, parsed[np.maximum(codes, 0)] if len(parsed) else np.nan, np.nan)
    return values.astype(float)


_TIMES = re.compile(r"(\d+)\s*[x×*]\s*(\d[\d.,]*\s*[^\d\s.,;:()/+-][^\s;:()/+]*)", re.I)
_TOKEN = re.compile(r"(\d[\d.,]*)\s*([^\d\s.,;:()/+-][^\s;:()/+]*)")


def _quantity_in_text(text: str, column: str, unit: str) -> tuple[float, str] | None:
    """A quantity of the column's dimension inside a longer text, and a note saying how it was read.

    ``"8 Go DDR4"`` -> 8 GB; ``"SSD 256 Go"`` -> 256 GB; ``"2 x 480 Go"`` -> 480 GB per drive for
    ``ssd_gb``/``hdd_gb`` (capacity of one drive) or 960 GB for totals. Only for physical units
    (GB, W, kg, inch...): a bare count is never fished out of a text.
    """
    if unit in ("dimensionless", "percent", "year", "hour", "day"):
        return None
    times = _TIMES.search(text)
    if times:
        try:
            size = parse_quantity(times.group(2), unit)
        except QuantityError:
            size = None
        if size is not None and _has_unit(times.group(2)):
            count = float(times.group(1))
            value = size if column in ("ssd_gb", "hdd_gb") else count * size
            return value, f"read as {_show(value)} {unit} from {text!r}"
    for number, word in _TOKEN.findall(text):
        try:
            value = parse_quantity(f"{number} {word}", unit)
        except QuantityError:
            continue
        return value, f"read as {_show(value)} {unit} from {text!r}"
    return None


def _has_unit(cell: object) -> bool:
    return isinstance(cell, str) and bool(re.search(r"\d\s*[^\d\s.,'’\u00a0\u202f-]", cell.strip()))


def _parse_cell(cell: object, column: str, unit: str, hint: str | None) -> float:
    if isinstance(cell, bool):
        raise QuantityError(f"expected a number in {unit}")
    if isinstance(cell, int | float | np.integer | np.floating):
        return float(cell)
    if isinstance(cell, datetime | date):
        raise QuantityError(f"a date is not a number; expected {unit}")
    text = str(cell).strip()
    if not text or text in ("-", "—", "n/a", "N/A", "NA", "nc", "NC", "?", "inconnu", "unknown"):
        return np.nan
    if column == "ram_gb" and _MEGABYTES.search(text):
        # memory sizes in MB are binary (16384 Mo = 16 GB), as systems and agents report them
        return parse_quantity(_MEGABYTES.sub("", text).strip(), "GB") / 1024.0
    if _has_unit(text):
        return parse_quantity(text, unit) if not hint else parse_quantity(text, hint) * parse_quantity(f"1 {hint}", unit)
    return parse_quantity(text, unit)


def _dates(series: pd.Series, header: str, ctx: _Context) -> np.ndarray:
    """Parse day-first or ISO dates (also Excel serial numbers and bare years).

    A column whose dates fail day-first but all read month-first (``03/15/2021``) is read
    month-first, with a warning on each row: never guessed silently, never mixed in one column.
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return series.to_numpy(dtype="datetime64[ns]")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = np.array([_parse_date(cell) for cell in uniques] or [None], dtype=object)[: len(uniques)]
    bad = [k for k, value in enumerate(parsed) if value is None]
    if bad:
        us = [_parse_date(cell, month_first=True) for cell in uniques]
        if all(value is not None for value in us):
            parsed = np.array(us, dtype=object)
            positions = np.flatnonzero(codes >= 0)
            ctx.problems.warn(positions, ctx.rows[positions], ctx.file, header,
                              "dates read month-first (mm/dd/yyyy): some are impossible day-first")
        else:
            k = next(k for k in bad if us[k] is None) if any(us[k] is None for k in bad) else bad[0]
            ctx.fail(np.flatnonzero(codes == k), header, uniques[k],
                     "impossible or unreadable date; expected dd/mm/yyyy or yyyy-mm-dd")
    values = np.array(list(parsed) + [np.datetime64("NaT")], dtype="datetime64[ns]")
    return values[np.where(codes >= 0, codes, len(uniques))]


def _parse_date(cell: object, month_first: bool = False) -> np.datetime64 | None:
    if isinstance(cell, datetime | pd.Timestamp):
        return np.datetime64(pd.Timestamp(cell).tz_localize(None) if pd.Timestamp(cell).tzinfo else pd.Timestamp(cell), "ns")
    if isinstance(cell, date):
        return np.datetime64(cell, "ns")
    if isinstance(cell, int | float | np.integer | np.floating):
        number = float(cell)
        if 1950 <= number <= 2200 and number.is_integer():
            return np.datetime64(f"{int(number)}-07-01", "ns")
        if 10_000 < number < 80_000:  # Excel serial day number
            return np.datetime64("1899-12-30", "ns") + np.timedelta64(int(number), "D")
        return None
    text = str(cell).strip()
    if text.isdigit() and 10_000 < int(text) < 80_000:
        return np.datetime64("1899-12-30", "ns") + np.timedelta64(int(text), "D")
    for fmt in _US_DATE_FORMATS if month_first else _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y":
            return np.datetime64(f"{parsed.year}-07-01", "ns")
        if fmt in ("%m/%Y", "%m-%Y", "%Y-%m"):
            return np.datetime64(f"{parsed.year}-{parsed.month:02d}-15", "ns")
        if 1950 <= parsed.year <= 2200:
            return np.datetime64(parsed, "ns")
        return None
    return None


def _categories(frame: pd.DataFrame, by_column: dict, ctx: _Context) -> np.ndarray:
    """Canonical category per row: the first candidate column whose value is a known category.

    A value that is no alias itself but contains one as whole words (``PC portable Dell``,
    ``Écran 24 pouces``) takes the longest such alias, with a warning saying so.
    """
    aliases = category_aliases()
    headers = [by_column[c][0] for c in ("category", "item_type") if c in by_column]
    result = np.full(len(frame), None, dtype=object)
    first_unknown: tuple[np.ndarray, str, pd.Series] | None = None
    for phrase_pass in (False, True):
        for header in headers:
            series = frame[header].astype(object)
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            lookup = _category_in_phrase if phrase_pass else (lambda u: aliases.get(_fold(u)))
            mapped = np.array([lookup(str(u)) for u in uniques] + [None], dtype=object)
            values = mapped[np.where(codes >= 0, codes, len(uniques))]
            take = (result == None) & (values != None)  # noqa: E711 - elementwise on object arrays
            result[take] = values[take]
            if phrase_pass and take.any():
                positions = np.flatnonzero(take)
                ctx.problems.warn(positions, ctx.rows[positions], ctx.file, header,
                                  "category read from the words it contains",
                                  [f"{series.iloc[p]!s} -> {values[p]}" for p in positions])
            unknown = (codes >= 0) & (values == None)  # noqa: E711
            if not phrase_pass and first_unknown is None and unknown.any():
                first_unknown = (unknown, header, series)
    missing = result == None  # noqa: E711
    if missing.any():
        if first_unknown is not None and (first_unknown[0] & missing).any():
            unknown, header, series = first_unknown
            positions = np.flatnonzero(unknown & missing)
            ctx.fail(positions, header, series.iloc[positions.min()],
                     f"unknown category; expected one of {', '.join([*CATEGORIES, WEB_SERVICE_CATEGORY])} "
                     "(or a French name such as poste fixe, portable, écran, serveur, copieur)")
        positions = np.flatnonzero(missing)
        ctx.fail(positions, headers[0], "", "empty category; every item needs a category")
    return result


def _words(text: str) -> str:
    """Lower-case, unaccented words separated by single spaces (``"Écran 24''"`` -> ``"ecran 24"``)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@lru_cache(maxsize=1)
def _alias_phrases() -> list[tuple[str, str]]:
    """(alias as words, category), longest first, aliases of 3+ letters only."""
    table = pd.read_csv(files("auditor.data").joinpath("categories.csv"), dtype=str)
    phrases = {(_words(a), c) for c, a in zip(table["category"], table["alias"], strict=True)}
    return sorted((p for p in phrases if len(p[0]) >= 3), key=lambda p: -len(p[0]))


@lru_cache(maxsize=4096)
def _category_in_phrase(value: str) -> str | None:
    words = f" {_words(value)} "
    for phrase, category in _alias_phrases():
        if f" {phrase} " in words:
            return category
    return None


def _countries(frame: pd.DataFrame, by_column: dict, default: str | None,
               library: FactorLibrary, ctx: _Context) -> np.ndarray:
    fallback = None
    if default is not None:
        try:
            fallback = library.resolve_country(default)
        except UnknownCountryError as exc:
            raise UnknownCountryError(f"--country {default!r}: {exc}") from None
    n = len(frame)
    if "country" not in by_column:
        if fallback is None:
            raise InventoryError(
                "no country column and no --country option; pass --country FR (or add a 'country' column)",
                file=ctx.file,
            )
        return np.full(n, fallback, dtype=object)
    header = by_column["country"][0]
    codes, uniques = pd.factorize(frame[header].astype(object), use_na_sentinel=True)
    resolved = np.empty(len(uniques) + 1, dtype=object)
    for k, cell in enumerate(uniques):
        try:
            resolved[k] = library.resolve_country(str(cell))
        except UnknownCountryError as exc:
            message = str(exc)
            if message.startswith("unknown country"):
                message = "unknown country; " + message.split("; ", 1)[-1]
            ctx.fail(np.flatnonzero(codes == k), header, cell, message)
    resolved[len(uniques)] = fallback
    values = resolved[np.where(codes >= 0, codes, len(uniques))]
    if fallback is None and (values == None).any():  # noqa: E711
        ctx.fail(np.flatnonzero(values == None), header, "",  # noqa: E711
                 "empty country and no --country option; pass --country FR")
    return values


def _fill_year(table: pd.DataFrame) -> None:
    """``year`` from ``purchase_date`` where only the date is given."""
    from_date = pd.DatetimeIndex(table["purchase_date"]).year.to_numpy(dtype=float, na_value=np.nan)
    table["year"] = np.where(np.isnan(table["year"].to_numpy()), from_date, table["year"].to_numpy())


def _check_limits(table: pd.DataFrame, by_column: dict, ctx: _Context) -> None:
    for column in NUMBER_COLUMNS:
        values = table[column].to_numpy()
        low, high, words = _LIMITS.get(column, (0.0, np.inf, "a value >= 0"))
        bad = (values < low) | (values > high)
        if bad.any():
            header = by_column.get(column, (column,))[0]
            positions = np.flatnonzero(bad)
            value = values[positions.min()]
            reason = f"negative {column.split('_')[0]}; expected {words}" if value < 0 else f"expected {words}"
            ctx.fail(positions, header, _show(value), reason)
    quantity = table["quantity"].to_numpy()
    zero = quantity == 0
    if zero.any():
        positions = np.flatnonzero(zero)
        ctx.problems.warn(positions, ctx.rows[positions], ctx.file, by_column["quantity"][0],
                          "quantity is 0: the item counts for nothing")


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _check_plausible(table: pd.DataFrame, by_column: dict, ctx: _Context, today: date,
                     library: FactorLibrary) -> None:
    """Warnings (not errors) for values that are possible but unlikely."""
    categories = table["category"].to_numpy()
    power = table["power_w"].to_numpy()
    if np.isfinite(power).any():
        limit = np.array([_max_plausible_power_w(library, c) for c in CATEGORIES] + [np.inf])
        index = {c: i for i, c in enumerate([*CATEGORIES, WEB_SERVICE_CATEGORY])}
        cat_index = np.array([index[c] for c in categories])
        bad = power > limit[cat_index]
        if bad.any():
            positions = np.flatnonzero(bad)
            ctx.problems.warn(positions, ctx.rows[positions], ctx.file, by_column["power_w"][0],
                              "W is implausible for this category", [_show(power[p]) for p in positions])
    dates = table["purchase_date"].to_numpy(dtype="datetime64[ns]")
    future = dates > np.datetime64(today, "ns")
    if future.any():
        positions = np.flatnonzero(future)
        ctx.problems.warn(positions, ctx.rows[positions], ctx.file,
                          by_column.get("purchase_date", ("purchase_date",))[0],
                          "purchase date is in the future")
    year = table["year"].to_numpy()
    old = year < today.year - 30
    if old.any():
        positions = np.flatnonzero(old)
        ctx.problems.warn(positions, ctx.rows[positions], ctx.file, "year",
                          "item is more than 30 years old", [_show(year[p]) for p in positions])
    screen = table["screen_size_in"].to_numpy()
    odd = (screen < 3) | (screen > 120)
    if odd.any():
        positions = np.flatnonzero(odd)
        ctx.problems.warn(positions, ctx.rows[positions], ctx.file, by_column["screen_size_in"][0],
                          "inch is an implausible screen size", [_show(screen[p]) for p in positions])


def _fix_ram_in_mb(table: pd.DataFrame, by_column: dict, ctx: _Context) -> None:
    """GLPI exports RAM in MB without a unit: read bare values above 4096 'GB' as MB, and say so."""
    if "ram_gb" not in by_column or by_column["ram_gb"][1]:
        return
    ram = table["ram_gb"].to_numpy()
    limit = np.where(table["category"].to_numpy() == "server", 16384.0, 4096.0)
    suspicious = ram > limit
    if suspicious.any():
        positions = np.flatnonzero(suspicious)
        ctx.problems.warn(positions, ctx.rows[positions], ctx.file, by_column["ram_gb"][0],
                          "read as MB (too large for GB)", [_show(ram[p]) for p in positions])
        ram = ram.copy()
        ram[positions] = ram[positions] / 1024.0
        table["ram_gb"] = ram


@lru_cache(maxsize=64)
def _max_plausible_power_w(library: FactorLibrary, category: str) -> float:
    """Four times the high bound of the category's active power (archetype table)."""
    row = library.archetype(category, "power_active_w")
    return 4.0 * float(row["high"]) if row is not None else np.inf


def _check_duplicate_ids(table: pd.DataFrame) -> None:
    ids = table["id"].astype(object)
    duplicated = ids.duplicated(keep=False) & ids.notna()
    if duplicated.any():
        dupes = table.loc[duplicated]
        first_id = dupes["id"].iloc[0]
        same = dupes.loc[dupes["id"] == first_id]
        where = ", ".join(f"{f} row {r}" for f, r in zip(same["_file"], same["_row"], strict=True))
        raise InventoryError(
            f"duplicate id (also at {where}); every id must be unique",
            file=str(same["_file"].iloc[1]), row=int(same["_row"].iloc[1]), column="id",
            value=first_id, more=int(duplicated.sum()) - 2,
        )


def _unused(*_: object) -> None:  # keep imports used by type checkers only
    return None


_ = (Q_, convert)
