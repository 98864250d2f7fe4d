"""Read raw tables from inventory files: CSV (any common dialect), XLSX, JSON.

This layer only turns bytes into a table of raw cells and row numbers; header mapping and cell
parsing happen in :mod:`auditor.inventory`. Row numbers count like a spreadsheet: header = row 1,
first item = row 2 (JSON: first record = row 1).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from auditor.errors import InventoryError

#: Delimiters tried when sniffing a CSV header, most common first.
_DELIMITERS = (";", ",", "\t", "|")


@dataclass(eq=False)
class RawTable:
    """Raw cells of one inventory file.

    Attributes
    ----------
    frame
        One column per header as found in the file (cells are strings, numbers, datetimes or NA).
    file
        The file's name as shown in messages.
    first_row
        Spreadsheet row number of the frame's first row (2 for CSV/XLSX, 1 for JSON).
    """

    frame: pd.DataFrame
    file: str
    first_row: int
    sheet: str | None = None


def read_raw(path: Path | str) -> list[RawTable]:
    """Read one inventory file by its extension (``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.json``).

    Returns one table per non-empty sheet for XLSX workbooks, one table otherwise.
    """
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InventoryError("file not found", file=shown)
    if path.is_dir():
        raise InventoryError("is a folder; expected an inventory file (CSV, XLSX or JSON)", file=shown)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InventoryError(f"cannot read file ({exc.strerror})", file=shown) from None
    if not data.strip():
        raise InventoryError("empty file; expected a header row and at least one item", file=shown)
    if suffix in (".xlsx", ".xlsm"):
        tables = _read_xlsx(data, shown)
        if not tables:
            raise InventoryError("no items found in any sheet", file=shown)
        return tables
    if suffix == ".json":
        table = _read_json(data, shown)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        table = _read_csv(data, shown)
    elif suffix == ".xls":
        raise InventoryError(
            "old Excel .xls format is not supported; save it as .xlsx or CSV", file=shown
        )
    else:
        raise InventoryError(
            f"unsupported file type {suffix!r}; expected .csv, .xlsx or .json", file=shown
        )
    if table.frame.empty:
        raise InventoryError("no items found (only a header?)", file=shown)
    return [table]


def decode(data: bytes) -> str:
    """Decode inventory bytes: UTF-16 with BOM, UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte string")  # pragma: no cover


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: the most frequent of ``; , TAB |`` outside quotes."""
    counts = {d: 0 for d in _DELIMITERS}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, shown: str) -> RawTable:
    text = decode(data)
    if "\x00" in text[:4096]:
        raise InventoryError(
            "looks like a binary file, not a CSV (UTF-16? save as UTF-8 or Windows-1252 CSV)",
            file=shown,
        )
    text = text.lstrip("\ufeff")
    skipped, delimiter = find_header(text)
    if skipped:
        text = text.split("\n", skipped)[-1]
    utf8 = text.encode("utf-8")
    try:
        # Fast path: Arrow's multithreaded reader infers numeric columns directly.
        frame = pd.read_csv(io.BytesIO(utf8), sep=delimiter, engine="pyarrow")
        frame = _clean_frame(frame)
    except Exception:  # noqa: BLE001 - any Arrow failure falls back to the exact C parser
        frame = _read_csv_strict(text, delimiter, shown)
    frame.index = frame.index + skipped
    return RawTable(frame, shown, 2)


def find_header(text: str, probe_lines: int = 20) -> tuple[int, str]:
    """Lines of preamble before the header (export titles, blank lines) and the delimiter.

    The header is the first of the first ``probe_lines`` lines with at least half the median
    field count of those lines (a title such as ``Export GLPI du 12/03/2024`` has far fewer).
    """
    lines = [line for line in text.split("\n", probe_lines)[:probe_lines]]
    best = sniff_delimiter(max(lines, key=lambda line: max(line.count(d) for d in _DELIMITERS)))
    counts = [_count_outside_quotes(line, best) for line in lines]
    filled = sorted(c for c, line in zip(counts, lines, strict=True) if line.strip())
    if not filled or filled[(len(filled) - 1) // 2] == 0:
        return 0, best
    median = filled[(len(filled) - 1) // 2]
    for i, (count, line) in enumerate(zip(counts, lines, strict=True)):
        if line.strip() and count >= 0.5 * median:
            return i, best
    return 0, best  # pragma: no cover - the median line always qualifies


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _read_csv_strict(text: str, delimiter: str, shown: str) -> pd.DataFrame:
    """The C parser, all cells as text; its errors name the line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        width = len(next(reader))
        for record in reader:
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                raise InventoryError(
                    f"malformed CSV: line {reader.line_num} has {len(record)} fields, the header "
                    f"has {width} (a '{delimiter}' inside a cell needs quotes)",
                    file=shown,
                )
    except csv.Error as exc:
        raise InventoryError(f"malformed CSV ({exc})", file=shown) from None
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, engine="c",
            index_col=False,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        message = str(exc).strip().split("\n")[-1]
        raise InventoryError(f"malformed CSV ({message})", file=shown) from None
    except pd.errors.EmptyDataError:
        raise InventoryError("empty file; expected a header row and items", file=shown) from None
    except csv.Error as exc:
        raise InventoryError(f"malformed CSV ({exc})", file=shown) from None
    return _clean_frame(frame)


def _clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip header names, drop unnamed empty columns and fully empty rows; blank text -> NA."""
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    keep = [
        c for c in frame.columns
        if not (c.startswith("Unnamed:") or c == "") or frame[c].notna().any()
    ]
    frame = frame[keep]
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object:
            stripped = series.map(lambda v: v.strip() if isinstance(v, str) else v)
            frame[column] = stripped.where(stripped.notna() & (stripped != ""), None)
        elif pd.api.types.is_string_dtype(series.dtype):
            stripped = series.str.strip()
            frame[column] = stripped.mask(stripped == "")
    empty_rows = frame.isna().all(axis=1)
    if empty_rows.any():
        frame = frame.loc[~empty_rows]
    return frame


def _read_xlsx(data: bytes, shown: str) -> list[RawTable]:
    """Every non-empty sheet; a sheet's name is shown as ``file [sheet]`` when there are several."""
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise InventoryError(f"unreadable XLSX file ({type(exc).__name__}: {exc})", file=shown) from None
    tables = []
    for name, frame in sheets.items():
        frame = _clean_frame(frame)
        if frame.empty:
            continue
        tables.append(RawTable(frame, shown, 2, sheet=str(name)))
    if len(tables) > 1:
        for table in tables:
            table.file = f"{shown} [{table.sheet}]"
    return tables


def _read_json(data: bytes, shown: str) -> RawTable:
    try:
        document = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise InventoryError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})", file=shown
        ) from None
    records = document
    if isinstance(document, dict):
        for key in ("items", "inventory", "assets", "data", "results", "equipements", "materiels"):
            if isinstance(document.get(key), list):
                records = document[key]
                break
        else:
            raise InventoryError(
                "JSON object without an 'items' list; expected a list of objects, one per item",
                file=shown,
            )
    if not isinstance(records, list):
        raise InventoryError("expected a JSON list of objects, one per item", file=shown)
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise InventoryError(
                f"item is a {type(record).__name__}; expected an object with named fields",
                file=shown, row=i + 1,
            )
    frame = pd.DataFrame.from_records(records)
    frame = frame.astype(object).where(frame.notna(), None)
    return RawTable(_clean_frame(frame), shown, 1)
