"""Load and validate the packaged factor tables (CSV data with a source on every row).

Every factor row carries ``id, value, low, high, unit, source, year, notes`` plus the keys of its
table (country and criterion, category and parameter...). Loading checks, row by row, that

- the id is unique and the source is not empty (no constant without a cited source);
- value, low and high are numbers with ``0 <= low <= value <= high``;
- the unit parses and has the dimension the criterion or parameter needs; values are converted
  once to the canonical unit (``kgCO2e/kWh``, ``m3/kWh``, ``W``, ``year``...).

Errors name the file, the row (header = row 1) and the column.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from factors.errors import FactorTableError, QuantityError, UnknownCountryError
from factors.licences import licence_problem, share_alike_families
from factors.packs import METHODS, FactorPack, active_method, active_pack_dirs, read_pack
from factors.units import CRITERION_UNITS, check_dimension, unit_for_name

#: Criteria assessed for every item, in report order (energy is the final electricity).
CRITERIA: tuple[str, ...] = ("gwp", "water", "adpe", "pe")

#: Device categories the library knows, in report order.
CATEGORIES: tuple[str, ...] = (
    "server", "desktop", "laptop", "thin_client", "tablet", "smartphone", "monitor", "printer",
    "mfp", "network_switch", "router", "wifi_ap", "firewall", "storage", "ip_phone", "projector",
    "tv", "ups",
)

#: Embodied-factor drivers: the inventory column a factor multiplies, and that column's unit.
DRIVER_UNITS: dict[str, str] = {
    "device": "",
    "screen_size_in": "inch",
    "weight_kg": "kg",
    "cpu_count": "",
    "ram_gb": "GB",
    "ssd_gb": "GB",
    "ssd_count": "",
    "hdd_count": "",
    "hdd_gb": "GB",
    "psu_count": "",
}

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id", "value", "low", "high", "unit", "source", "year", "notes", "licence",
)

#: How a row's low/high were obtained: the spread of cited sources, a formula (a fixed ratio or
#: band), a calibration on data (fitted models), or none given (low = value = high).
BOUND_BASES: tuple[str, ...] = ("sources", "formula", "calibrated", "none")

DATA_DIR = Path(str(files("factors").joinpath("data")))


def _canonical_unit(table: str, row: pd.Series) -> str:
    """The unit a row's value must be converted to, from its table and keys."""
    if table == "electricity":
        return f"{CRITERION_UNITS[row['criterion']]}/kWh"
    if table == "embodied":
        driver_unit = DRIVER_UNITS[row["driver"]]
        base = CRITERION_UNITS[row["criterion"]]
        return f"{base}/{driver_unit}" if driver_unit else base
    # archetypes and parameters: the parameter name carries the unit
    return unit_for_name(row["parameter"]) or "dimensionless"


_KEYS: dict[str, tuple[str, ...]] = {
    "electricity": ("country", "criterion"),
    "embodied": ("category", "criterion", "driver"),
    "archetypes": ("category", "parameter"),
    "parameters": ("parameter",),
}


def load_table(table: str, path: Path | str | None = None, *, pack: bool = False) -> pd.DataFrame:
    """Load one factor table, validate every row and convert values to canonical units.

    Parameters
    ----------
    table
        One of ``electricity``, ``embodied``, ``archetypes``, ``parameters``.
    path
        The CSV file; the packaged ``factors/data/{table}.csv`` when None.
    pack
        True for a user's factor pack: licence ``user-supplied`` is accepted (see
        :mod:`factors.licences`).

    Returns
    -------
    pandas.DataFrame
        The rows, with ``value``, ``low``, ``high`` as floats in the canonical unit (column
        ``canonical_unit``); the original unit stays in ``unit``.

    Raises
    ------
    FactorTableError
        A row without source, with a wrong unit, bad numbers or a duplicated id.
    """
    path = Path(path) if path is not None else DATA_DIR / f"{table}.csv"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FactorTableError(f"{path}: cannot read factor table ({exc})") from None
    keys = _KEYS[table]
    missing = [c for c in (*REQUIRED_COLUMNS, *keys) if c not in frame.columns]
    if missing:
        raise FactorTableError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame.apply(lambda col: col.str.strip())
    frame = _checked_licences(frame, path, pack)

    values, lows, highs, canon, scales = [], [], [], [], []
    seen: set[str] = set()
    for i, row in frame.iterrows():
        where = f"{path.name} row {int(i) + 2}"
        _check_row_keys(table, row, where)
        if not row["id"]:
            raise FactorTableError(f"{where}, column 'id': empty; every factor needs an id")
        if row["id"] in seen:
            raise FactorTableError(f"{where}, column 'id': duplicate id {row['id']!r}")
        seen.add(row["id"])
        if not row["source"]:
            raise FactorTableError(
                f"{where}, column 'source': empty for {row['id']!r}; every factor needs a cited source"
            )
        numbers = [_number(row[c], where, c) for c in ("value", "low", "high")]
        value, low, high = numbers
        if not (0 <= low <= value <= high):
            raise FactorTableError(
                f"{where}: {row['id']!r} needs 0 <= low <= value <= high, got {low}, {value}, {high}"
            )
        target = _canonical_unit(table, row)
        try:
            scale = check_dimension(row["unit"] or "dimensionless", target)
        except QuantityError as exc:
            raise FactorTableError(f"{where}, column 'unit': {row['id']!r}: {exc}") from None
        values.append(value * scale)
        scales.append(scale)
        lows.append(low * scale)
        highs.append(high * scale)
        canon.append(target)
    out = frame.copy()
    out["value"], out["low"], out["high"] = values, lows, highs
    out["canonical_unit"] = canon
    out["unit_scale"] = scales  # canonical = written x unit_scale
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    return out


#: Files of calibrated-model parameters (``factors/data/<name>.csv``): a row per coefficient.
MODEL_TABLES: tuple[str, ...] = ("server-power-model", "embodied-model")


def load_model_table(path: Path | str, *, pack: bool = False) -> pd.DataFrame:
    """Load a calibrated model's parameter file and validate every row.

    Same row contract as the factor tables (``id, parameter, value, low, high, unit, source,
    year, notes``; unique id, cited source, ``low <= value <= high``, a unit pint parses) except
    that values may be negative: regression coefficients are signed. Values are not converted;
    the unit documents them.

    Raises
    ------
    FactorTableError
        A missing column, an empty or duplicated id, a row without source, a bad number or unit.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FactorTableError(f"{path}: cannot read model table ({exc})") from None
    missing = [c for c in (*REQUIRED_COLUMNS, "parameter") if c not in frame.columns]
    if missing:
        raise FactorTableError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame.apply(lambda col: col.str.strip())
    frame = _checked_licences(frame, path, pack)
    # Checked column by column (a model table has thousands of rows): ids, sources, numbers, order,
    # units; each check names its first failing row.
    where = [f"{path.name} row {int(i) + 2}" for i in frame.index]
    ids = frame["id"]
    bad_id = (ids == "") | ids.duplicated()
    if bad_id.any():
        at = int(np.argmax(bad_id.to_numpy()))
        raise FactorTableError(f"{where[at]}, column 'id': empty or duplicate id {ids.iloc[at]!r}")
    no_source = (frame["source"] == "").to_numpy()
    if no_source.any():
        at = int(np.argmax(no_source))
        raise FactorTableError(f"{where[at]}, column 'source': empty for {ids.iloc[at]!r}; every "
                               "parameter needs a cited source")
    numbers = {}
    for column in ("value", "low", "high"):
        parsed = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        # cells pandas did not read: _number raises with the reason, or reads what float() reads
        for at in np.flatnonzero(~np.isfinite(parsed)):
            parsed[at] = _number(frame[column].iloc[at], where[at], column)
        numbers[column] = parsed
    disordered = ~((numbers["low"] <= numbers["value"]) & (numbers["value"] <= numbers["high"]))
    if disordered.any():
        at = int(np.argmax(disordered))
        raise FactorTableError(f"{where[at]}: {ids.iloc[at]!r} needs low <= value <= high, got "
                               f"{numbers['low'][at]}, {numbers['value'][at]}, {numbers['high'][at]}")
    units = frame["unit"].where(frame["unit"] != "", "dimensionless")
    for unit in units.unique():
        try:
            check_dimension(unit, unit)
        except QuantityError as exc:
            at = int(np.argmax((units == unit).to_numpy()))
            raise FactorTableError(f"{where[at]}, column 'unit': {ids.iloc[at]!r}: {exc}") from None
    out = frame.copy()
    for column in ("value", "low", "high"):
        out[column] = numbers[column]
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    return out


def _checked_licences(frame: pd.DataFrame, path: Path, pack: bool) -> pd.DataFrame:
    """The licence gate and ``bound_basis`` check of one table (errors name file, row, column).

    Every row's licence must pass :func:`factors.licences.licence_problem`; the file may hold one
    share-alike family only. A table without a ``bound_basis`` column (a user's pack) gets
    ``none`` where low = value = high and ``sources`` elsewhere.
    """
    triples = frame[["licence", "source", "notes"]]
    for i, (cell, source, notes) in triples.drop_duplicates().iterrows():  # each distinct triple once
        problem = licence_problem(cell, source, notes, pack=pack)
        if problem:
            raise FactorTableError(f"{path.name} row {int(i) + 2}, column 'licence': "
                                   f"{frame.at[i, 'id']!r}: {problem}")
    families = share_alike_families(frame["licence"])
    if len(families) > 1:
        raise FactorTableError(
            f"{path.name}, column 'licence': mixes share-alike licences ({', '.join(sorted(families))}); "
            "keep each share-alike source in its own file (combined at run time)")
    if "bound_basis" not in frame.columns:
        frame = frame.copy()
        frame["bound_basis"] = [
            "none" if row["low"] == row["value"] == row["high"] else "sources"
            for _, row in frame.iterrows()
        ]
    for i, basis in frame["bound_basis"].items():
        if basis not in BOUND_BASES:
            raise FactorTableError(f"{path.name} row {int(i) + 2}, column 'bound_basis': {basis!r} "
                                   f"is not one of {', '.join(BOUND_BASES)}")
    return frame


def _number(text: str, where: str, column: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise FactorTableError(f"{where}, column '{column}': {text!r} is not a number") from None
    if not math.isfinite(number):
        raise FactorTableError(f"{where}, column '{column}': {text!r} is not a finite number")
    return number


def _check_row_keys(table: str, row: pd.Series, where: str) -> None:
    if table in ("electricity", "embodied") and row["criterion"] not in CRITERIA:
        raise FactorTableError(
            f"{where}, column 'criterion': {row['criterion']!r} is not one of {', '.join(CRITERIA)}"
        )
    if table == "embodied" and row["driver"] not in DRIVER_UNITS:
        raise FactorTableError(
            f"{where}, column 'driver': {row['driver']!r} is not one of {', '.join(DRIVER_UNITS)}"
        )
    if "category" in row and row["category"] not in CATEGORIES:
        raise FactorTableError(
            f"{where}, column 'category': {row['category']!r} is not one of {', '.join(CATEGORIES)}"
        )


def combine_electricity_bounds(main: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """GHG bounds of each country = min/max of both sources (kept in separate files by licence).

    ``main`` holds one value per country (Ember, CC BY-SA); ``second`` holds another source's
    range per country (Electricity Maps, ODbL). Where both have a country, ``low``/``high`` =
    min/max of the main value and the second range (``bound_basis`` ``sources``). Where only the
    main table has it and gives no spread, the bounds are the value times the median relative
    gaps observed over the countries having both (``bound_basis`` ``formula``).

    Returns
    -------
    pandas.DataFrame
        ``main`` with updated ``low``, ``high``, ``bound_basis`` for ``gwp`` rows.
    """
    out = main.copy()
    gwp = (out["criterion"] == "gwp").to_numpy()
    other = second[second["criterion"] == "gwp"].set_index("country")
    both = gwp & out["country"].isin(other.index).to_numpy()
    value = out["value"].to_numpy(dtype=float)
    low, high = out["low"].to_numpy(dtype=float).copy(), out["high"].to_numpy(dtype=float).copy()
    countries = out["country"].to_numpy()
    o_low = other["low"].reindex(countries[both]).to_numpy(dtype=float)
    o_high = other["high"].reindex(countries[both]).to_numpy(dtype=float)
    low[both] = np.fmin(np.fmin(low[both], value[both]), o_low)
    high[both] = np.fmax(np.fmax(high[both], value[both]), o_high)
    positive = both & (value > 0)
    if positive.any():
        down = float(np.median(low[positive] / value[positive]))
        up = float(np.median(high[positive] / value[positive]))
        alone = gwp & ~both & (low == value) & (high == value)
        low[alone] = value[alone] * down
        high[alone] = value[alone] * up
        basis = out["bound_basis"].to_numpy(dtype=object).copy()
        basis[alone] = "formula"
        basis[both] = "sources"
        out["bound_basis"] = basis
    out["low"], out["high"] = low, high
    return out


@dataclass(frozen=True)
class ElectricityFactor:
    """One electricity factor as used for a country: per kWh, in the criterion's canonical unit."""

    id: str
    value: float
    low: float
    high: float


class FactorLibrary:
    """All packaged factor tables, loaded and validated once.

    Parameters
    ----------
    data_dir
        Folder holding ``electricity.csv``, ``countries.csv``, ``embodied.csv``,
        ``archetypes.csv`` and ``parameters.csv``; the packaged one when None.
    """

    def __init__(self, data_dir: Path | str | None = None,
                 packs: tuple[Path | str, ...] | list[Path | str] = (), method: str = "pcf") -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        if method not in METHODS:
            raise FactorTableError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
        self.method = method
        self.pack_dirs = tuple(Path(p) for p in packs)
        method_dir = DATA_DIR / "methods" / method
        method_packs = (read_pack(method_dir),) if method_dir.is_dir() else ()
        self.packs: tuple[FactorPack, ...] = method_packs + tuple(read_pack(p) for p in packs)
        #: False when a pack (the ``ademe`` method) replaces the calibrated embodied model.
        self.use_embodied_model = all(pack.embodied_model for pack in self.packs)

    def _path(self, name: str) -> Path:
        return self.data_dir / f"{name}.csv"

    def _overlaid(self, table: str, packaged: pd.DataFrame) -> pd.DataFrame:
        """Packaged rows with each pack's rows laid over them by id (column ``origin``)."""
        frame = packaged.assign(origin="package")
        for pack in self.packs:
            if table not in pack.tables:
                continue
            rows = load_table(table, pack.file(table), pack=True).assign(origin=f"pack:{pack.name}")
            frame = pd.concat([frame[~frame["id"].isin(rows["id"])], rows], ignore_index=True)
        return frame

    @cached_property
    def electricity(self) -> pd.DataFrame:
        """Electricity factors; GHG bounds combined with ``electricity-maps.csv`` when present."""
        main = load_table("electricity", self._path("electricity"))
        maps_path = self._path("electricity-maps")
        self._bound_ids: dict[str, list[str]] = {}
        if maps_path.exists():
            maps = load_table("electricity", maps_path)
            main = combine_electricity_bounds(main, maps)
            for row in maps.itertuples(index=False):
                self._bound_ids.setdefault(row.country, []).append(row.id)
        return self._overlaid("electricity", main)

    def electricity_bound_ids(self, country: str) -> list[str]:
        """Ids of the rows of ``electricity-maps.csv`` that set ``country``'s GHG bounds."""
        overlaid = set(self.electricity.loc[self.electricity["origin"] != "package", "id"])
        if f"elec-{country}-gwp" in overlaid:
            return []  # a pack row keeps its own bounds
        return list(self._bound_ids.get(country, []))

    @cached_property
    def embodied(self) -> pd.DataFrame:
        return self._overlaid("embodied", load_table("embodied", self._path("embodied")))

    @cached_property
    def archetypes(self) -> pd.DataFrame:
        return self._overlaid("archetypes", load_table("archetypes", self._path("archetypes")))

    @cached_property
    def parameters(self) -> pd.DataFrame:
        return self._overlaid("parameters", load_table("parameters", self._path("parameters")))

    def fingerprint(self) -> str:
        """Version of the factors in force: packaged tables' hash plus each pack's name@version.

        Two results with the same fingerprint used the same factors, so a change between them
        is an estate change, not a method change.
        """
        digest = hashlib.sha256()
        for path in sorted(self.data_dir.glob("*.csv")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        parts = [f"tables sha256:{digest.hexdigest()[:12]}", f"method {self.method}"]
        parts += [f"pack {pack.name}@{pack.version}" for pack in self.packs]
        return "; ".join(parts)

    @cached_property
    def countries(self) -> pd.DataFrame:
        path = self._path("countries")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame["eu27"] = frame["eu27"].astype(int).astype(bool)
        return frame

    @cached_property
    def _country_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for row in self.countries.itertuples(index=False):
            for key in (row.alpha2, row.alpha3, row.name_en, row.name_fr):
                if key:
                    lookup[_fold(key)] = row.alpha2
        for extra, code in _COUNTRY_EXTRAS.items():
            if code in lookup.values():
                lookup[_fold(extra)] = code
        for aggregate in ("EU27", "WORLD"):
            lookup[_fold(aggregate)] = aggregate
        lookup[_fold("EU")] = "EU27"
        lookup[_fold("UE")] = "EU27"
        lookup[_fold("Monde")] = "WORLD"
        return lookup

    def resolve_country(self, text: str) -> str:
        """ISO alpha-2 code (or ``EU27``/``WORLD``) for an alpha-2, alpha-3 code or a country name.

        Raises
        ------
        UnknownCountryError
            The text names no known country, or the library has no electricity GHG factor for it.
        """
        code = self._country_lookup.get(_fold(text))
        if code is None:
            raise UnknownCountryError(
                f"unknown country {text!r}; expected an ISO 3166 alpha-2 or alpha-3 code (FR, FRA) "
                "or a country name (see `auditor factors --criterion gwp`)"
            )
        if code not in self._electricity_index:
            raise UnknownCountryError(
                f"no electricity factor for country {text!r} ({code}); "
                "see `auditor factors --criterion gwp` for the countries covered"
            )
        return code

    @cached_property
    def _electricity_index(self) -> dict[str, dict[str, ElectricityFactor]]:
        index: dict[str, dict[str, ElectricityFactor]] = {}
        for row in self.electricity.itertuples(index=False):
            index.setdefault(row.country, {})[row.criterion] = ElectricityFactor(
                row.id, row.value, row.low, row.high
            )
        return {k: v for k, v in index.items() if "gwp" in v}

    def electricity_factor(self, country: str, criterion: str) -> ElectricityFactor:
        """The per-kWh factor of ``country`` (an alpha-2 code) for ``criterion``.

        When a country has a GHG factor but no factor for another criterion, the EU-27 factor is
        used for EU members and the world factor otherwise; the returned id says which, so the
        fallback is visible in every result row's ``factor_ids`` (never silent). When the library
        has no factor at all for the criterion (the packaged tables ship no electricity ADPe or
        primary energy, see ``electricity.md``), the factor is NaN with id
        ``missing:elec-{criterion}``: the results show no figure rather than a wrong one.
        """
        by_criterion = self._electricity_index[country]
        if criterion in by_criterion:
            return by_criterion[criterion]
        eu = set(self.countries.loc[self.countries["eu27"], "alpha2"])
        region = "EU27" if country in eu else "WORLD"
        found = self._electricity_index.get(region, {}).get(criterion)
        if found is None:
            nan = float("nan")
            return ElectricityFactor(f"missing:elec-{criterion}", nan, nan, nan)
        return found

    def missing_factors(self) -> list[str]:
        """One line per criterion or category the library has no factor for (empty when complete).

        The packaged tables leave out what may not be shipped (``LICENSES.md``); a licensed factor
        pack (``--factors DIR``) fills the gaps.
        """
        lines = []
        have = set(self.electricity["criterion"])
        gaps = [c for c in CRITERIA if c not in have]
        if gaps:
            lines.append(f"no electricity factor for {', '.join(gaps)}: the use phase of "
                         f"{', '.join(gaps)} is left empty (figures under restricted terms are not "
                         "shipped; add a licensed factor pack with --factors DIR)")
        emb = self.embodied
        for criterion in CRITERIA:
            cats = [c for c in CATEGORIES if emb[(emb["category"] == c)
                                                  & (emb["criterion"] == criterion)].empty]
            if cats:
                lines.append(f"no embodied {criterion} factor for {', '.join(cats)}: left empty "
                             "(add a licensed factor pack with --factors DIR)")
        return lines

    def archetype(self, category: str, parameter: str) -> pd.Series | None:
        """The archetype row for a category and parameter, or None when the table has none."""
        rows = self._archetype_index.get((category, parameter))
        return rows

    @cached_property
    def _archetype_index(self) -> dict[tuple[str, str], pd.Series]:
        return {
            (row["category"], row["parameter"]): row for _, row in self.archetypes.iterrows()
        }

    def model(self, name: str) -> pd.DataFrame:
        """Parameters of a calibrated model (one of :data:`MODEL_TABLES`), loaded once."""
        cache = self.__dict__.setdefault("_models", {})
        if name not in cache:
            if name not in MODEL_TABLES:
                raise FactorTableError(f"unknown model table {name!r}")
            path = self._path(name)
            # a local factor folder without model files uses the packaged ones
            cache[name] = load_model_table(path if path.exists() else DATA_DIR / f"{name}.csv")
        return cache[name]

    def parameter(self, name: str) -> pd.Series:
        """A model parameter row (value, low, high in canonical units, with its source)."""
        rows = self.parameters.loc[self.parameters["parameter"] == name]
        if rows.empty:
            raise FactorTableError(f"parameters.csv: no row for parameter {name!r}")
        return rows.iloc[0]

    def validate_all(self) -> dict[str, int]:
        """Load every table (raising on the first bad row) and return row counts."""
        counts = {
            "electricity": len(self.electricity),
            "embodied": len(self.embodied),
            "archetypes": len(self.archetypes),
            "parameters": len(self.parameters),
            "countries": len(self.countries),
        }
        for name in MODEL_TABLES:
            if self._path(name).exists() or (DATA_DIR / f"{name}.csv").exists():
                counts[name] = len(self.model(name))
        for category in CATEGORIES:
            rows = self.embodied[
                (self.embodied["category"] == category) & (self.embodied["criterion"] == "gwp")
            ]
            if rows.empty:
                raise FactorTableError(f"embodied.csv: no gwp factor for category {category!r}")
        return counts


# Common names not in the ISO short names.
_COUNTRY_EXTRAS: dict[str, str] = {
    "UK": "GB", "Great Britain": "GB", "Grande-Bretagne": "GB", "Angleterre": "GB",
    "England": "GB", "USA": "US", "Etats-Unis": "US", "United States of America": "US",
    "Deutschland": "DE", "España": "ES", "Italia": "IT", "Belgique": "BE", "België": "BE",
    "Suisse": "CH", "Schweiz": "CH", "Ivory Coast": "CI", "Cote d'Ivoire": "CI",
    "Holland": "NL", "Pays-Bas": "NL", "Nederland": "NL", "Czechia": "CZ", "Tchéquie": "CZ",
}


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for names and codes."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in ascii_text.casefold() if c.isalnum())


#: Pack folders given on the command line (``--factors DIR``); set by :func:`use_packs`.
_CLI_PACKS: list[str] = []


def use_packs(dirs: tuple[str, ...] | list[str]) -> None:
    """Make ``dirs`` the packs of :func:`default_library` (the ``--factors`` option)."""
    _CLI_PACKS[:] = [str(d) for d in dirs]


def default_library(data_dir: str | None = None) -> FactorLibrary:
    """The shared, lazily loaded factor library (one per data folder and set of packs).

    ``AUDITOR_FACTORS_DIR`` points to another folder of factor tables (same file names and
    columns), for a city that keeps its own local factors. Packs in force
    (:func:`factors.packs.active_pack_dirs`: ``--factors``, ``AUDITOR_FACTORS``, config file)
    are laid over the tables.
    """
    import os

    folder = data_dir or os.environ.get("AUDITOR_FACTORS_DIR") or None
    packs = tuple(str(p.resolve()) for p in active_pack_dirs(_CLI_PACKS))
    return _library(folder, packs, active_method(_CLI_METHOD[0] if _CLI_METHOD else None))


#: Method given on the command line (``--method``); set by :func:`use_method`.
_CLI_METHOD: list[str] = []


def use_method(method: str | None) -> None:
    """Make ``method`` the method of :func:`default_library` (the ``--method`` option)."""
    _CLI_METHOD[:] = [method] if method else []


@lru_cache(maxsize=8)
def _library(data_dir: str | None, packs: tuple[str, ...], method: str = "pcf") -> FactorLibrary:
    return FactorLibrary(data_dir, packs, method)


def categories_in(rows: Iterable[str]) -> list[str]:
    """Known categories among ``rows``, in report order."""
    present = set(rows)
    return [c for c in CATEGORIES if c in present]
