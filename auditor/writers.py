"""Write a results table to CSV, XLSX, JSON or Parquet, safely; refuse outputs that are inputs.

- Every header and text cell that a spreadsheet would run as a formula (starting with
  ``= + - @``, tab or CR) is neutralised with a leading apostrophe in CSV and XLSX
  (OWASP "CSV injection").
- Files are written to a temporary name and moved into place, so an existing file is never
  left half-written (nothing already stored is lost on failure).
- :func:`check_outputs` refuses an output path that is one of the command's inputs, however it
  is spelled (``./inv.csv``, a symbolic link, a hard link).

This is the core's writer: ``auditor assess -o`` uses it directly and :mod:`reports.exports`
re-exports it, so imports run one way (factors <- auditor <- reports).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
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


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """(resolved path, (device, inode) or None when the file does not exist)."""
    resolved = os.path.realpath(path)
    try:
        info = os.stat(path)
    except OSError:
        return resolved, None
    return resolved, (info.st_dev, info.st_ino)


def check_outputs(outputs: Iterable[Path | str | None], inputs: Iterable[Path | str]) -> None:
    """Refuse (exit 2) an output that is one of the inputs, however the path is written.

    Compares resolved paths (``./a.csv``, ``dir/../a.csv``, symbolic links) and the file's
    device and inode (hard links). For a folder output (open data), an input inside it is refused
    too.
    """
    known: dict[tuple[int, int] | str, str] = {}
    for path in inputs:
        resolved, node = _identity(Path(path))
        known[resolved] = str(path)
        if node is not None:
            known[node] = str(path)
    for output in outputs:
        if output is None:
            continue
        resolved, node = _identity(Path(output))
        same = known.get(node) if node is not None else None
        same = same or known.get(resolved)
        if same is None and os.path.isdir(output):
            inside = [p for key, p in known.items() if isinstance(key, str)
                      and key.startswith(resolved.rstrip(os.sep) + os.sep)]
            same = inside[0] if inside else None
        if same is not None:
            raise InputError(
                f"{output}: the output would overwrite the input {same}; choose another output path"
            )


def safe_text(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` where headers and text cells starting like a formula get a leading ``'``.

    Text, Arrow-string and categorical columns are all covered, and so are the column names.

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
                renamed = [safe_text(c) for c in categories]
                if len(set(renamed)) == len(renamed):
                    out[column] = series.cat.rename_categories(renamed)
                else:
                    out[column] = series.astype(object).map(safe_text, na_action="ignore")
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(safe_text, na_action="ignore")
    out.columns = [safe_text(str(c)) for c in out.columns]
    return out


def readable_mode(directory: bool = False) -> int:
    """Permissions of a normally created file or folder under the current umask.

    Temporary files are created private (0600); files meant for publication get these instead.
    """
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def atomic_write(path: Path | str, write) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise InputError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder; expected a file name")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, readable_mode())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_results(frame: pd.DataFrame, path: Path | str, fmt: str | None = None, *, sep: str = ",") -> Path:
    """Write ``frame`` to ``path`` in ``fmt`` (from the extension when None); return the path."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if fmt not in FORMATS.values():
        raise InputError(f"unknown format {fmt!r}; expected csv, xlsx, json or parquet")

    def write(tmp: Path) -> None:
        if fmt == "csv":
            neutralise_formulas(frame).to_csv(tmp, index=False, sep=sep, encoding="utf-8")
        elif fmt == "xlsx":
            neutralise_formulas(_plain(frame)).to_excel(tmp, index=False, engine="openpyxl")
        elif fmt == "json":
            _plain(frame).to_json(tmp, orient="records", force_ascii=False, indent=1, date_format="iso")
        else:
            write_parquet(frame, tmp)

    return atomic_write(path, write)


#: Free-text result columns: no min/max statistics in Parquet (no reader filters on them, and
#: computing them over long texts is a tenth of the write time of a large table).
_NO_STATISTICS_SUFFIXES = ("_reasons", "warnings", "factor_ids", "filled_specs", "_action")


def write_parquet(frame: pd.DataFrame, path: Path | str) -> None:
    """``frame`` as one Parquet file (Snappy), with column statistics except on free text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if frame.attrs:  # as pandas' own writer does, so that reading the file back restores them
        import json

        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"PANDAS_ATTRS": json.dumps(frame.attrs).encode()})
    keep = [name for name in table.column_names if not str(name).endswith(_NO_STATISTICS_SUFFIXES)]
    pq.write_table(table, path, write_statistics=keep)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings/None so every writer accepts them."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].where(out[column].notna(), None)
    return out


def read_results(path: Path | str) -> pd.DataFrame:
    """Read a results table written by :func:`write_results` (CSV, XLSX, JSON or Parquet), or a
    folder of Parquet parts (``auditor assess -o DIR/``, read in the parts' name order)."""
    path = Path(path)
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            raise InputError(f"{path}: folder without Parquet parts; expected a results table")
        return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    fmt = format_for(path)
    if fmt == "csv":
        return pd.read_csv(path, sep=None, engine="python")
    if fmt == "xlsx":
        return pd.read_excel(path, engine="openpyxl")
    if fmt == "json":
        return pd.read_json(path, orient="records")
    return pd.read_parquet(path)
