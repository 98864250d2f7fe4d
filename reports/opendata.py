"""Exports for publication: results as CSV/XLSX/JSON, and an open-data folder (Frictionless).

``auditor export`` calls :func:`export_results`. The ``opendata`` format writes a folder with
CSV files (items, totals, per category, factors used) and a ``datapackage.json`` describing
them: every field with its type, unit and description (from the results contract,
:data:`auditor.results.COLUMN_DOCS`), the licences and the sources of the factors used.

Also here, because the dashboard's methodology panel needs the same provenance: the factors a
results table used (:func:`factors_used`) and the publications behind them (:func:`split_sources`).

References
----------
Frictionless Data, "Data Package" v2 specification (2024), https://datapackage.org/standard/data-package/
and "Table Schema", https://datapackage.org/standard/table-schema/
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InputError
from auditor.results import COLUMN_DOCS, UNIT_LABEL, embodied_column, total_column, use_column
from auditor.writers import FORMATS, atomic_write, neutralise_formulas, readable_mode, write_results
from factors.tables import CATEGORIES, CRITERIA, MODEL_TABLES, FactorLibrary, default_library

FACTOR_TABLES: tuple[str, ...] = ("electricity", "electricity-maps", "embodied", "archetypes", "parameters",
                                  "scoring")
#: Results columns kept out of the open-data folder.
UNPUBLISHED_COLUMNS: tuple[str, ...] = ("serial_number",)
#: Score columns whose presence means every parameter of ``scoring.csv`` was used.
SCORE_COLUMNS: tuple[str, ...] = ("sobriety_score", "repairability_score", "obsolescence_risk")
#: Datasets (not per-row factors) used by the obsolescence score: file name -> table label.
EOL_DATASETS: dict[str, str] = {"eol-cycles.csv": "eol", "eol-win11-cpus.csv": "eol"}
FACTOR_COLUMNS: tuple[str, ...] = (
    "id", "table", "value", "low", "high", "unit", "year", "source", "source_url", "licence",
)
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "parquet", "opendata")

#: Licence names found in the factor tables' ``licence`` texts -> Data Package licence objects
#: (names are Open Definition licence ids, https://opendefinition.org/licenses/).
_LICENCES: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"\bODbL\b", re.I), {
        "name": "ODC-ODbL-1.0", "title": "Open Data Commons Open Database License 1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/"}),
    (re.compile(r"\bCC[ -]BY[ -]SA[ -]4\.0\b", re.I), {
        "name": "CC-BY-SA-4.0", "title": "Creative Commons Attribution-ShareAlike 4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/"}),
    (re.compile(r"\bCC[ -]BY[ -]4\.0\b", re.I), {
        "name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/"}),
    (re.compile(r"\bDbCL\b", re.I), {
        "name": "ODC-DbCL-1.0", "title": "Open Data Commons Database Contents License 1.0",
        "path": "https://opendatacommons.org/licenses/dbcl/1-0/"}),
    (re.compile(r"\bMIT\b"), {
        "name": "MIT", "title": "MIT License", "path": "https://opensource.org/license/mit"}),
    (re.compile(r"\bLGPL-3\.0\b"), {
        "name": "LGPL-3.0", "title": "GNU Lesser General Public License 3.0",
        "path": "https://www.gnu.org/licenses/lgpl-3.0.html"}),
    (re.compile(r"public domain", re.I), {
        "name": "other-pd", "title": "Public domain (US government work)",
        "path": "https://www.usa.gov/government-copyright"}),
)


# -- provenance ------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _raw_factor_rows(data_dir: str) -> pd.DataFrame:
    frames = []
    for table in FACTOR_TABLES:
        path = Path(data_dir) / f"{table}.csv"
        if not path.exists():
            continue
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        raw["table"] = table
        frames.append(raw.reindex(columns=list(FACTOR_COLUMNS), fill_value=""))
    for name, table in EOL_DATASETS.items():  # one row per dataset, citing its source and licence
        path = Path(data_dir) / name
        if not path.exists():
            continue
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frames.append(pd.DataFrame([{
            "id": name.removesuffix(".csv"), "table": table, "value": "", "low": "", "high": "",
            "unit": "", "year": "",
            "source": " | ".join(f"{s} (dataset {name}, see factors/data/eol.md)"
                                 for s in sorted(set(raw.get("source", pd.Series(dtype=str))))),
            "source_url": "", "licence": " | ".join(sorted(set(raw.get("licence", pd.Series(dtype=str))))),
        }], columns=list(FACTOR_COLUMNS)))
    for table in MODEL_TABLES:  # one row per fitted model (and per category it covers)
        path = Path(data_dir) / f"{table}.csv"
        if path.exists():
            frames.append(_model_summary_rows(table, pd.read_csv(path, dtype=str, keep_default_na=False)))
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop_duplicates("id").set_index("id", drop=False)


def _model_summary_rows(table: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Rows ``server-power-model`` or ``embodied-model:laptop`` (as in ``factor_ids``) citing the
    sources and licences of the model's parameter rows (all shipped in ``factors/data/{table}.csv``)."""
    groups = {"": raw}
    group_of = raw["parameter"].str.split(":").str[0]
    shared = ~group_of.isin(CATEGORIES)
    if not shared.all():
        groups = {g: raw[(group_of == g) | shared] for g in sorted(set(group_of[~shared]))}
    rows = []
    for group, part in groups.items():
        rows.append({
            "id": f"{table}:{group}" if group else table, "table": table, "value": "", "low": "",
            "high": "", "unit": "", "year": " ".join(sorted(set(part["year"]) - {""})),
            "source": " | ".join(sorted(set(part["source"]))) + f" ({len(part)} parameters in {table}.csv)",
            "source_url": " ; ".join(sorted(set(part["source_url"]) - {""})),
            "licence": " | ".join(sorted(set(part["licence"]) - {""})),
        })
    return pd.DataFrame(rows, columns=list(FACTOR_COLUMNS))


def used_factor_ids(results: pd.DataFrame) -> list[str]:
    """Sorted distinct factor ids of the ``factor_ids`` column (``;``-separated per row)."""
    if "factor_ids" not in results:
        return []
    ids: set[str] = set()
    for text in pd.unique(results["factor_ids"].dropna().astype(str)):
        ids.update(part.strip() for part in text.split(";") if part.strip())
    return sorted(ids)


def factors_used(results: pd.DataFrame, library: FactorLibrary | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The factor rows a results table used, as written in the factor tables (own units).

    Returns
    -------
    (pandas.DataFrame, list of str)
        Columns :data:`FACTOR_COLUMNS`, one row per factor id used, in table then id order; and
        the ids that are not in the library's tables (results made with other factor tables).
    """
    library = library or default_library()
    rows = _raw_factor_rows(str(library.data_dir))
    ids = used_factor_ids(results)
    if any(c in results for c in SCORE_COLUMNS):  # the scores use all their cited parameters
        ids = sorted({*ids, *rows.loc[rows["table"] == "scoring", "id"]})
    if "obsolescence_risk" in results:
        ids = sorted({*ids, *rows.loc[rows["table"] == "eol", "id"]})
    known = [i for i in ids if i in rows.index]
    missing = [i for i in ids if i not in rows.index]
    frame = rows.loc[known].reset_index(drop=True)
    order = {t: n for n, t in enumerate((*FACTOR_TABLES, "eol", *MODEL_TABLES))}
    frame = frame.assign(_order=frame["table"].map(order)).sort_values(["_order", "id"])
    return frame.drop(columns="_order").reset_index(drop=True), missing


def split_sources(source: str, url: str = "") -> list[tuple[str, str]]:
    """The publications of one factor row: ``[(citation, url), ...]``.

    A row's ``source`` lists its publications separated by ``" | "`` and its ``source_url`` the
    addresses separated by ``" ; "``; when the counts match they are paired in order, otherwise
    each citation gets the first address.
    """
    titles = [t.strip() for t in str(source).split(" | ") if t.strip()]
    urls = [u.strip() for u in re.split(r"\s+;\s+|\s*\n\s*", str(url or "")) if u.strip()]
    if not titles:
        return []
    if len(urls) == len(titles):
        return list(zip(titles, urls, strict=True))
    return [(t, urls[0] if urls else "") for t in titles]


def licences_of(texts: object) -> list[dict[str, str]]:
    """Data Package licence objects for the licences named in factor ``licence`` texts."""
    found: list[dict[str, str]] = []
    joined = "\n".join(str(t) for t in texts)
    for pattern, licence in _LICENCES:
        if pattern.search(joined):
            found.append(dict(licence))
    return found


# -- plain exports ------------------------------------------------------------------------------

def _decategorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain objects, so formula neutralisation sees their text."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def write_csv(frame: pd.DataFrame, path: Path | str, *, sep: str = ",", decimal: str = ".") -> Path:
    """CSV in UTF-8 with formula-like text neutralised; ``decimal=","`` for French spreadsheets."""
    if sep == decimal:
        raise InputError(f"the separator and the decimal mark cannot both be {sep!r}")
    safe = neutralise_formulas(_decategorise(frame))
    return atomic_write(Path(path), lambda tmp: safe.to_csv(tmp, index=False, sep=sep, decimal=decimal,
                                                             encoding="utf-8"))


def export_results(
    results: pd.DataFrame,
    target: Path | str,
    fmt: str | None = None,
    *,
    sep: str = ",",
    decimal: str = ".",
    library: FactorLibrary | None = None,
    title: str | None = None,
) -> Path:
    """Write ``results`` to ``target`` as csv, xlsx, json, parquet or an ``opendata`` folder.

    The format comes from ``fmt``, else from the file extension. Text cells that a spreadsheet
    would run as a formula are neutralised in CSV and XLSX (see :mod:`reports.exports`).
    """
    target = Path(target)
    if fmt is None:
        suffix = target.suffix.lower()
        if suffix not in FORMATS:
            raise InputError(
                f"{target}: cannot tell the format from {suffix or 'a name without extension'!r}; "
                "use --format csv, xlsx, json or opendata"
            )
        fmt = FORMATS[suffix]
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "opendata":
        return write_opendata(results, target, library=library, title=title)
    if fmt == "csv":
        return write_csv(results, target, sep=sep, decimal=decimal)
    written = write_results(_decategorise(results), target, fmt)
    os.chmod(written, readable_mode())  # write_results' temporary file is private (0600)
    return written


# -- open data -------------------------------------------------------------------------------

_DOCS = {name: (unit, text) for name, unit, text in COLUMN_DOCS}
_INTEGER_COLUMNS = ("year",)


_RANGE = re.compile(r"^\d+(\.\d+)?-\d+(\.\d+)?$")


def _field_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "integer"
    if pd.api.types.is_float_dtype(series.dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "datetime"
    return "string"


def _dates_as_text(frame: pd.DataFrame, docs: dict[str, tuple[str, str]]) -> tuple[pd.DataFrame, set[str]]:
    """Date columns (datetime dtype, or documented with unit ``date``) as ISO ``YYYY-MM-DD`` text.

    Returns the frame and the names of the columns that hold dates.
    """
    out, dates = frame.copy(), set()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_datetime64_any_dtype(series.dtype) or docs.get(column, ("",))[0] == "date"):
            continue
        parsed = pd.to_datetime(series, errors="coerce")
        if parsed.notna().sum() != series.notna().sum():
            continue  # not all dates: keep as text
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        if not (parsed.dropna() == parsed.dropna().dt.normalize()).all():
            continue
        out[column] = parsed.dt.strftime("%Y-%m-%d").astype(object).where(parsed.notna(), None)
        dates.add(column)
    return out, dates


def _schema(frame: pd.DataFrame, docs: dict[str, tuple[str, str]], primary_key: str | None = None,
            dates: set[str] = frozenset()) -> dict:
    fields = []
    for column in frame.columns:
        unit, text = docs.get(column, ("", "Column not documented in the results contract."))
        kind = "date" if column in dates else _field_type(frame[column])
        field = {"name": column, "type": kind, "description": text}
        if unit and _RANGE.match(unit):
            field["description"] = f"{text} Range: {unit}."
        elif unit and unit != "date":
            field["unit"] = unit
            field["description"] = f"{text} Unit: {unit}."
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if primary_key and primary_key in frame and frame[primary_key].is_unique and frame[primary_key].notna().all():
        schema["primaryKey"] = [primary_key]
    return schema


def totals_table(results: pd.DataFrame) -> pd.DataFrame:
    """Per-year totals of the estate: one row per criterion, with bounds and embodied share."""
    from auditor.summary import totals

    frame = totals(results)
    units = {"energy": "kWh/year", **{c: f"{UNIT_LABEL[c]}/year" for c in CRITERIA}}
    out = pd.DataFrame({
        "criterion": frame.index.astype(str),
        "value": frame["value"].to_numpy(float),
        "low": frame["low"].to_numpy(float),
        "high": frame["high"].to_numpy(float),
        "unit": [units[c] for c in frame.index],
        "embodied_share": frame["embodied_share"].to_numpy(float),
    })
    return out


def category_table(results: pd.DataFrame) -> pd.DataFrame:
    """Per category: devices, electricity, and per-year embodied, use and total of each criterion."""
    key = results["category"].astype(object).astype(str).to_numpy()
    data = {"devices": results["quantity"].astype(float).to_numpy(),
            "energy_kwh_per_year": results["energy_kwh_per_year"].astype(float).to_numpy()}
    lifetime = results["lifetime_years"].astype(float).replace(0.0, np.nan).to_numpy()
    for c in CRITERIA:
        u = UNIT_LABEL[c].lower()
        data[f"{c}_embodied_{u}_per_year"] = np.nan_to_num(results[embodied_column(c)].to_numpy(float) / lifetime)
        data[f"{c}_use_{u}_per_year"] = results[use_column(c)].to_numpy(float)
        data[f"{c}_total_{u}_per_year"] = results[total_column(c)].to_numpy(float)
    frame = pd.DataFrame(data, index=key).groupby(level=0).sum()
    frame = frame.sort_values(total_column("gwp"), ascending=False)
    return frame.rename_axis("category").reset_index()


def _aggregate_docs() -> dict[str, tuple[str, str]]:
    docs = {
        "criterion": ("", "Impact criterion: energy (final electricity), gwp, water, adpe or pe (see docs/glossary.md)."),
        "value": ("", "Per-year total of the whole estate, in the row's unit."),
        "low": ("", "Low bound of value."),
        "high": ("", "High bound of value."),
        "unit": ("", "Unit of value, low and high."),
        "embodied_share": ("", "Share (0-1) of the per-year total that is embodied (manufacture, transport, end of life); empty for energy."),
        "category": ("", "Canonical device category."),
        "devices": ("", "Number of devices (sum of quantity)."),
        "energy_kwh_per_year": ("kWh/year", "Final electricity per year, PUE included where it applies."),
    }
    for c in CRITERIA:
        u, unit = UNIT_LABEL[c].lower(), UNIT_LABEL[c]
        label = c
        docs[f"{c}_embodied_{u}_per_year"] = (f"{unit}/year", f"Embodied {label} divided by each item's lifetime, summed.")
        docs[f"{c}_use_{u}_per_year"] = (f"{unit}/year", f"Use-phase {label} per year, summed.")
        docs[f"{c}_total_{u}_per_year"] = (f"{unit}/year", f"Per-year total {label} (embodied per year plus use), summed.")
    return docs


_FACTOR_DOCS: dict[str, tuple[str, str]] = {
    "id": ("", "Factor id, as listed in the results' factor_ids column and by `auditor factors`."),
    "table": ("", "Factor table: electricity (per kWh by country), embodied (per device or component), archetypes (category defaults), parameters (model parameters), scoring (score thresholds and points) or eol (end-of-support and Windows 11 processor datasets, one row each)."),
    "value": ("", "Central value, in the row's unit."),
    "low": ("", "Low bound, in the row's unit."),
    "high": ("", "High bound, in the row's unit."),
    "unit": ("", "Unit of value, low and high."),
    "year": ("", "Reference year of the data."),
    "source": ("", "Citation of the original publications (' | '-separated)."),
    "source_url": ("", "Addresses of the publications (' ; '-separated)."),
    "licence": ("", "Licence or terms of the data, per publication (' | '-separated)."),
}


def _numeric_factors(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("value", "low", "high"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    return out


#: Marker file of a folder written by :func:`write_opendata`: its first line, then the files written.
MARKER = ".sobriety-auditor-opendata"
_MARKER_LINE = "# written by sobriety-auditor `auditor export --format opendata`; files:"


def _check_folder(directory: Path) -> set[str]:
    """Refuse a folder that is not new, empty or ours; the files our previous export wrote."""
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is a file; the opendata format writes a folder")
    if not directory.parent.exists():
        raise InputError(f"{directory}: folder {directory.parent} does not exist")
    if not directory.exists():
        return set()
    present = {p.name for p in directory.iterdir()}
    if not present:
        return set()
    lines = []
    if MARKER in present and (directory / MARKER).is_file():
        lines = (directory / MARKER).read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or lines[0] != _MARKER_LINE:
        raise InputError(f"{directory} is a folder with other files (not written by `auditor export`); "
                         "choose a new or empty folder")
    ours = {name for name in lines[1:] if name and "/" not in name and name != MARKER}
    others = sorted(present - ours - {MARKER})
    if others:
        raise InputError(f"{directory} holds other files ({', '.join(others[:3])}); "
                         "choose a new or empty folder")
    return ours


def write_opendata(
    results: pd.DataFrame,
    directory: Path | str,
    *,
    library: FactorLibrary | None = None,
    title: str | None = None,
    created: datetime | None = None,
) -> Path:
    """Write an open-data folder: CSV files and their Frictionless ``datapackage.json``.

    Files: ``results.csv`` (one row per inventory row), ``totals.csv``, ``by_category.csv``,
    ``factors.csv`` (every factor used, with source and licence), ``datapackage.json``.
    The folder must be new, empty, or one this function wrote (it holds the marker file
    :data:`MARKER` listing the files written); each file is written atomically, files of a previous
    export that are no longer written are removed, and no other file is ever deleted or replaced.
    """
    directory = Path(directory)
    previous = _check_folder(directory)
    library = library or default_library()
    factors, missing = factors_used(results, library)
    factors = _numeric_factors(factors)
    # serial numbers identify single devices (and through them, often, the agents using them):
    # they match items year to year in results files, but are not published as open data
    published = results.drop(columns=[c for c in UNPUBLISHED_COLUMNS if c in results])
    items, dates = _dates_as_text(_decategorise(published), _DOCS)
    if "year" in items:
        items["year"] = pd.to_numeric(items["year"], errors="coerce").round().astype("Int64")
    aggregate_docs = _aggregate_docs()
    tables = [
        ("results", items, _DOCS, "id",
         "Footprint of every inventory row (whole quantity): energy, and for each criterion the embodied, use per year and total per year impacts with low and high bounds."),
        ("totals", totals_table(results), aggregate_docs, "criterion",
         "Per-year totals of the whole estate, per criterion, with bounds and the embodied share."),
        ("by-category", category_table(results), aggregate_docs, "category",
         "Per-year impacts per device category."),
        ("factors", factors, _FACTOR_DOCS, "id",
         "Every factor the assessment used, with its value, bounds, unit, reference year, source and licence."),
    ]
    licence_texts = factors["licence"].tolist()
    licences = licences_of(licence_texts)
    sources: dict[str, dict[str, str]] = {}
    for row in factors.itertuples(index=False):
        for citation, url in split_sources(row.source, row.source_url):
            sources.setdefault(citation, {"title": citation, **({"path": url} if url else {})})
    created = created or datetime.now(UTC)
    directory.mkdir(exist_ok=True)
    os.chmod(directory, readable_mode(directory=True))
    written = [f"{name.replace('-', '_')}.csv" for name, *_ in tables] + ["datapackage.json"]
    marker = "".join(f"{name}\n" for name in [_MARKER_LINE, *written])
    atomic_write(directory / MARKER, lambda tmp: tmp.write_text(marker, encoding="utf-8"))  # first
    resources = []
    for name, frame, docs, key, description in tables:
        path = directory / f"{name.replace('-', '_')}.csv"
        write_csv(frame, path)
        data = path.read_bytes()
        resources.append({
            "name": name,
            "path": path.name,
            "title": name.replace("-", " ").capitalize(),
            "description": description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "schema": _schema(frame, docs, key, dates if name == "results" else set()),
            "licenses": licences,
        })
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "digital-estate-footprint",
        "title": title or "Footprint of a digital estate (energy, greenhouse gases, water, rare materials)",
        "description": (
            "Environmental footprint of the devices of a digital estate, computed by sobriety-auditor "
            "from an inventory and cited factor tables. Impacts are per year: embodied impacts "
            "(manufacture, transport, end of life) spread over each device's lifetime plus one year "
            "of electricity. Every value has low and high bounds. The results derive from the factor "
            "data listed in factors.csv, whose licences (listed here) apply to them; attribute the "
            "sources listed here. The licence or terms of each factor, including any restriction, "
            "are in the licence column of factors.csv."
            + (f" Factor ids not in the packaged tables: {', '.join(missing)}." if missing else "")
        ),
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["digital sobriety", "carbon footprint", "IT equipment", "open data"],
        "contributors": [{"title": "sobriety-auditor", "roles": ["creator"]}],
        "licenses": licences,
        "sources": list(sources.values()),
        "resources": resources,
    }
    text = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    atomic_write(directory / "datapackage.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    written.append("datapackage.json")
    for name in sorted(previous - set(written)):  # files of an earlier export of ours only
        (directory / name).unlink(missing_ok=True)
    return directory
