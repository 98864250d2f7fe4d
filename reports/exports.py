"""Write a results table to CSV, XLSX, JSON or Parquet, safely.

- Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR)
  are neutralised with a leading apostrophe in CSV and XLSX (OWASP "CSV injection").
- Files are written to a temporary name and moved into place, so an existing file is never
  left half-written (nothing already stored is lost on failure).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from auditor.errors import InputError

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".parquet": "parquet"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_for(path: Path | str, explicit: str | None = None) -> str:
    """The output format from an explicit name or the file extension."""
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: unknown output type {suffix or '(none)'!r}; expected .csv, .xlsx, .json or .parquet"
        )
    return FORMATS[suffix]


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` where text cells starting like a formula are prefixed with ``'``.

    Text, Arrow-string and categorical columns are all covered.

    References
    ----------
    OWASP, "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if pd.api.types.is_string_dtype(categories) or categories.dtype == object:
                out[column] = series.cat.rename_categories([_safe_text(c) for c in categories])
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(_safe_text, na_action="ignore")
    return out


def _safe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_results(frame: pd.DataFrame, path: Path | str, fmt: str | None = None, *, sep: str = ",") -> Path:
    """Write ``frame`` to ``path`` in ``fmt`` (from the extension when None); return the path."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if path.parent and not path.parent.exists():
        raise InputError(f"{path}: folder {path.parent} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "csv":
            neutralise_formulas(frame).to_csv(tmp, index=False, sep=sep, encoding="utf-8")
        elif fmt == "xlsx":
            neutralise_formulas(_plain(frame)).to_excel(tmp, index=False, engine="openpyxl")
        elif fmt == "json":
            _plain(frame).to_json(tmp, orient="records", force_ascii=False, indent=1, date_format="iso")
        elif fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            raise InputError(f"unknown format {fmt!r}; expected csv, xlsx, json or parquet")
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings/None so every writer accepts them."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].where(out[column].notna(), None)
    return out


def read_results(path: Path | str) -> pd.DataFrame:
    """Read a results table written by :func:`write_results` (CSV, XLSX, JSON or Parquet)."""
    path = Path(path)
    fmt = format_for(path)
    if fmt == "csv":
        return pd.read_csv(path, sep=None, engine="python")
    if fmt == "xlsx":
        return pd.read_excel(path, engine="openpyxl")
    if fmt == "json":
        return pd.read_json(path, orient="records")
    return pd.read_parquet(path)
