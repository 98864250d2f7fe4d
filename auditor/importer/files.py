"""Read raw tables from inventory files: CSV (any common dialect), XLSX, JSON.

This layer only turns bytes into a table of raw cells, all kept as text exactly as written
(surrounding spaces removed, empty cells missing), and their row numbers. Header mapping and cell
parsing happen in the other modules of :mod:`auditor.importer`.

Row numbers count like a spreadsheet: title and blank lines count, a quoted line break does not
start a row; for JSON the first record is row 1. Blank rows are skipped (they hold nothing), every
other row is kept.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from auditor.errors import InventoryError
from auditor.importer.limits import limits, shorten, too_big

#: Delimiters tried when sniffing a CSV header, most common first.
_DELIMITERS = (";", ",", "\t", "|")
#: Lines looked at to find the header under title lines.
_PROBE_LINES = 20
#: Text dtype of raw cells: pandas' Arrow-backed strings, missing = NaN.
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
#: ``parsed_only(headers) -> headers`` of :func:`read_raw`: the columns whose cells are only parsed.
Coded = Callable[[list[str]], Collection[str]]


def text_series(values: object, n: int | None = None) -> pd.Series:
    """A text column (``TEXT``) from an Arrow array, a list or object array, or one value repeated
    ``n`` times (None: all missing), built through Arrow without a per-cell pandas conversion."""
    if n is not None:
        if values is None:
            array = pa.nulls(n, pa.large_string())
        else:
            array = pc.take(pa.array([str(values)], pa.large_string()), pa.array(np.zeros(n, np.int64)))
    elif isinstance(values, pa.ChunkedArray | pa.Array):
        array = values
    else:
        array = pa.array(np.asarray(values, dtype=object), pa.large_string(), from_pandas=True)
    return pd.Series(TEXT.__from_arrow__(array), copy=False)


def is_coded(series: pd.Series) -> bool:
    """True for a categorical column of text cells (:func:`coded_column`)."""
    dtype = series.dtype
    return isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == TEXT


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column as text (:func:`cell_text` of each cell for columns that are not
    text yet, e.g. tables built by other readers); text columns, and categorical columns of text
    (:func:`coded_column`), are kept as they are."""
    if all(frame[c].dtype == TEXT or is_coded(frame[c]) for c in frame.columns):
        return frame
    out = {}
    for column in frame.columns:
        series = frame[column]
        out[column] = series if series.dtype == TEXT or is_coded(series) else text_series(
            [cell_text(v) for v in series.to_numpy(dtype=object)]).set_axis(frame.index)
    return pd.DataFrame(out, index=frame.index)


@dataclass(eq=False)
class RawTable:
    """Raw cells of one inventory file.

    Attributes
    ----------
    frame
        One text column per header as found in the file; cells are text or missing.
    file
        The file's name as shown in messages.
    first_row
        Kept for callers: the spreadsheet row of the frame's index 0 (rows = index + first_row).
    sheet
        The workbook sheet's name (XLSX).
    notes
        Warnings from reading (ignored duplicate headers...).
    """

    frame: pd.DataFrame
    file: str
    first_row: int
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


def check_input_path(path: Path | str) -> os.stat_result:
    """Refuse at once what is not a readable regular file (folder, FIFO, device) or too large.

    The one place that decides which paths the importer reads (a folder is refused here).
    """
    shown = shorten(path, 200)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InventoryError("file not found", file=shown) from None
    except OSError as exc:
        raise InventoryError(f"cannot read file ({exc.strerror})", file=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise InventoryError("is a folder; expected an inventory file (CSV, XLSX or JSON)", file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise InventoryError("is not a regular file (a pipe or a device?); expected an inventory "
                             "file (CSV, XLSX or JSON)", file=shown)
    if info.st_size > limits().file_mb * 1e6:
        raise InventoryError(too_big("file size in MB", "file_mb", info.st_size / 1e6), file=shown)
    return info


def check_distinct_inputs(paths: list[Path | str]) -> None:
    """Refuse a file given twice, however its path is written (``./a.csv``, a link to it): its
    rows would all be duplicates of themselves."""
    seen: dict[object, str] = {}
    for path in paths:
        if not isinstance(path, str | os.PathLike):
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue  # named by check_input_path when it is read
        if not stat.S_ISREG(info.st_mode):
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            raise InventoryError(f"given more than once (also as {shorten(seen[key], 200)}); "
                                 "give each inventory file once", file=shorten(path, 200))
        seen[key] = str(path)


def read_raw(path: Path | str, progress: Callable[..., None] | None = None, *,
             parsed_only: Coded | None = None) -> list[RawTable]:
    """Read one inventory file by its extension (``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.json``).

    Returns one table per non-empty sheet for XLSX workbooks, one table otherwise. ``progress``
    (``progress(text)``) hears every :data:`PROGRESS_ROWS` rows of a workbook (slow to read).
    ``parsed_only(headers)`` names the columns (of the headers as the frame names them) whose
    cells the caller only parses, never keeps as text: CSV files may give those as categorical
    columns of the same cells (see :func:`coded_column`).
    """
    path = Path(path)
    shown = shorten(path, 200)
    check_input_path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InventoryError("old Excel .xls format is not supported; save it as .xlsx or CSV", file=shown)
    if suffix in (".ods", ".fods"):
        raise InventoryError("LibreOffice Calc files are not read; save it as .xlsx or CSV (File > "
                             "Save As; Fichier > Enregistrer sous)", file=shown)
    if suffix not in (".xlsx", ".xlsm", ".json", ".csv", ".txt", ".tsv", ""):
        raise InventoryError(
            f"unsupported file type {shorten(suffix)!r}; expected .csv, .xlsx or .json", file=shown
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(int(limits().file_mb * 1e6) + 1)
    except OSError as exc:
        raise InventoryError(f"cannot read file ({exc.strerror})", file=shown) from None
    if len(data) > limits().file_mb * 1e6:
        raise InventoryError(too_big("file size in MB", "file_mb", len(data) / 1e6), file=shown)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 2 if data[:2] in (b"\xff\xfe", b"\xfe\xff") else 0
    if _NOT_BLANK.search(data, bom) is None:
        raise InventoryError("empty file; expected a header row and at least one item", file=shown)
    if suffix not in (".xlsx", ".xlsm") and data.startswith(b"PK\x03\x04"):
        raise InventoryError(f"a workbook (XLSX or ODS), not a {suffix.lstrip('.').upper() or 'CSV'} "
                             "file; name it .xlsx (or save it as CSV)", file=shown)
    if suffix in (".xlsx", ".xlsm"):
        from auditor.importer.xlsx import read_xlsx

        tables = read_xlsx(data, shown, progress)
        if not tables:
            raise InventoryError("no items found in any sheet", file=shown)
        return tables
    table = _read_json(data, shown) if suffix == ".json" else _read_csv(data, shown, parsed_only)
    if table.frame.empty:
        raise InventoryError("no items found (an empty list)" if suffix == ".json" else
                             "no items found (only a header?)", file=shown)
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
    counts = {d: _count_outside_quotes(header_line, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    if '"' not in line:
        return line.count(delimiter)
    # outside quotes = the even-numbered pieces between quote characters
    return sum(piece.count(delimiter) for piece in line.split('"')[::2])


_NOT_BLANK = re.compile(rb"\S")
_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.I)


def find_header(text: str, probe_lines: int = _PROBE_LINES) -> tuple[int, str]:
    """Lines before the header (export titles, blank lines, Excel's ``sep=;``) and the delimiter.

    The header is the first non-blank line with as many fields (trailing empty fields ignored) as
    the most common field count of the first ``probe_lines`` lines: a title such as
    ``Export GLPI du 12/03/2024`` has fewer.
    """
    lines = text[: 4_000_000].split("\n", probe_lines)[:probe_lines]
    sep_line = _SEP_LINE.match(lines[0]) if lines else None
    if sep_line and sep_line.group(1) in _DELIMITERS:
        skipped, lines, best = 1, lines[1:], sep_line.group(1)
    else:
        skipped = 0
        best = sniff_delimiter(max(lines, key=lambda line: max(line.count(d) for d in _DELIMITERS)))
    counts = [_count_outside_quotes(line.rstrip().rstrip(best + " \t\r"), best) for line in lines]
    filled = [c for c, line in zip(counts, lines, strict=True) if line.strip() and c > 0]
    if not filled:
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        return skipped + first, best
    common = max(set(filled), key=lambda c: (filled.count(c), -c))
    for i, (count, line) in enumerate(zip(counts, lines, strict=True)):
        if line.strip() and count >= common:
            return skipped + _named_header(lines, i, best), best
    return skipped, best  # pragma: no cover - the most common count is always reached


def _named_header(lines: list[str], base: int, delimiter: str) -> int:
    """The header line: ``base`` (the field-count rule), or a later line that names the columns
    when ``base`` is a group row over the header (see :func:`~.headers.header_row`)."""
    from auditor.importer.headers import header_row

    numbers = [i for i, line in enumerate(lines) if line.strip() and i >= base]
    rows = []
    for i in numbers:
        try:
            rows.append(next(csv.reader([lines[i].rstrip("\r")], delimiter=delimiter), []))
        except csv.Error:
            rows.append([])
    return numbers[header_row(rows, 0)] if rows else base


#: Bytes of CSV text Arrow parses per block (blocks are parsed in parallel). 4 MB blocks cost
#: about a sixth less CPU time than 16 MB ones on the 1M-row benchmark file (a block's cells
#: stay in the processor's cache) and share the work between threads more evenly.
BLOCK_BYTES = 1 << 22
#: Bytes of a UTF-8 file decoded to find its header (the rest is read by Arrow as bytes).
_HEAD_BYTES = 1 << 20


def _read_csv(data: bytes, shown: str, parsed_only: Coded | None = None) -> RawTable:
    if b"\n" not in data and b"\r" in data:  # Excel for Mac's "CSV (Macintosh)": CR line ends
        data = data.replace(b"\r", b"\n")
    offset = 0
    while data[offset:offset + 3] == b"\xef\xbb\xbf":
        offset += 3
    whole = len(data) - offset <= _HEAD_BYTES
    if valid_utf8(memoryview(data)[offset:]):  # most files: Arrow reads the original bytes
        utf8 = True
        text = str(memoryview(data)[offset:_utf8_cut(data, offset + _HEAD_BYTES)], "utf-8")
        found = _header(text, shown, whole)
        if found is None:  # the head was not enough to find the header: decode it all
            text, whole = str(memoryview(data)[offset:], "utf-8"), True
            found = _header(text, shown, True)
    else:
        text, utf8, whole = decode(data).lstrip("\ufeff"), False, True
        found = _header(text, shown, True)
    assert found is not None  # a whole text always gives an answer (or an error)
    skipped, delimiter, headers, start = found
    if utf8:
        body = memoryview(data)[offset + len(text[:start].encode("utf-8")):]
    else:
        body = memoryview(text[start:].encode("utf-8", errors="surrogatepass"))
    first_row = skipped + 2  # title lines + header row, counted as a spreadsheet does
    width = max(len(headers), 1)
    columns = _csv_arrow(body, delimiter, width, coded_positions(headers, parsed_only))
    if columns is None:
        if not whole:
            text = str(memoryview(data)[offset:], "utf-8")
        columns = _csv_python(text[start:], delimiter, width, shown, first_row)
    frame = _frame(columns, headers, shown, first_row)
    return RawTable(frame, shown, first_row, notes=_duplicate_notes(headers, shown))


def valid_utf8(data: bytes | memoryview) -> bool:
    """True when ``data`` is valid UTF-8 (Arrow's validation, without building a Python text)."""
    array = pa.Array.from_buffers(pa.large_string(), 1, [
        None, pa.py_buffer(np.array([0, len(data)], dtype=np.int64)), pa.py_buffer(data)])
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_cut(data: bytes, end: int) -> int:
    """``end``, moved back to the start of a UTF-8 character (never inside one)."""
    end = min(end, len(data))
    while end < len(data) and end > 0 and data[end] & 0xC0 == 0x80:
        end -= 1
    return end


def _header(text: str, shown: str, whole: bool) -> tuple[int, str, list[str], int] | None:
    """(lines before the header, delimiter, headers, index in ``text`` where the rows start).

    ``text`` is the file's text, or only its head when ``whole`` is False: then None when the
    head is too short to answer exactly as the whole text would.
    """
    if not whole and len(text) < 4096:
        return None  # the binary-file check looks at the first 4096 characters
    if "\x00" in text[:4096]:
        raise InventoryError(
            "looks like a binary file, not a CSV (UTF-16? save as UTF-8 or Windows-1252 CSV)",
            file=shown,
        )
    if not text.strip():
        if not whole:
            return None
        raise InventoryError("empty file; expected a header row and at least one item", file=shown)
    if not whole and len(text) < 4_000_000 and text.count("\n", 0, 4_000_000) < _PROBE_LINES:
        return None  # find_header would look at lines past the head
    skipped, delimiter = find_header(text)
    header_start = _after_lines(text, 0, skipped)
    header_reader = csv.reader(io.StringIO(text[header_start: header_start + 64_000_000]),
                               delimiter=delimiter)
    csv.field_size_limit(max(limits().cell_chars + 1, 131_072))
    try:
        headers = next(header_reader, [])
    except csv.Error as exc:
        if not whole:
            return None
        raise InventoryError(f"malformed CSV header ({shorten(exc)})", file=shown, row=skipped + 1) from None
    start = _after_lines(text, header_start, header_reader.line_num)
    if not whole and text.count("\n", header_start, start) < header_reader.line_num:
        return None  # the header row goes on past the head
    if len(headers) > limits().columns:
        raise InventoryError(too_big("number of columns", "columns", len(headers)), file=shown,
                             row=skipped + 1)
    return skipped, delimiter, headers, start


def _after_lines(text: str, start: int, lines: int) -> int:
    """Index in ``text`` just after ``lines`` line breaks from ``start`` (its end if fewer)."""
    for _ in range(lines):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return start


def _csv_arrow(body: memoryview, delimiter: str, width: int,
               coded: Collection[int] = ()) -> list[pa.ChunkedArray] | None:
    """Fast path: Arrow's reader with every column typed as text (nothing guessed); None if the
    file has rows of another width (then the exact Python reader explains or repairs them).

    Columns at the positions ``coded`` are read dictionary-encoded (the same cells, each distinct
    cell stored once): :func:`_frame` makes them categorical columns.
    """
    if _NOT_BLANK.search(body) is None:
        return [pa.chunked_array([pa.array([], pa.large_string())]) for _ in range(width)]
    names = [f"c{i}" for i in range(width)]
    types = dict.fromkeys(names, pa.large_string())
    for i in coded:
        types[names[i]] = _CODED_TYPE
    data = body
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                              newlines_in_values=quoted_newlines(data)),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[], check_utf8=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeError):
        return None
    return [table.column(i) for i in range(width)]


def quoted_newlines(data: bytes | memoryview) -> bool:
    """True when a line break lies inside a quoted cell (an odd number of quotes before it).

    Arrow then reads the file in one piece; otherwise it reads blocks in parallel. Linear: the
    quotes before each line break are counted by a binary search over the quotes' positions.
    """
    array = np.frombuffer(data, dtype=np.uint8)
    quotes = _positions(array, 34)
    if not len(quotes):
        return False
    # inside quotes = between an opening quote (even rank) and the next quote (or the end)
    opens = quotes[0::2] + 1
    closes = np.append(quotes[1::2], len(array))[: len(opens)]
    sizes = closes - opens
    if sizes.sum() <= len(array) // 8:  # few bytes inside quotes: look at those bytes only
        starts = np.repeat(opens - (np.cumsum(sizes) - sizes), sizes)
        return bool((array[np.arange(len(starts)) + starts] == 10).any())
    newlines = _positions(array, 10)
    return bool((np.searchsorted(quotes, newlines) % 2 == 1).any())


def _positions(array: np.ndarray, byte: int, step: int = 1 << 20) -> np.ndarray:
    """Positions of ``byte`` in ``array``, found a slice at a time (the comparison's temporary
    stays small: two to three times faster than one comparison over a 100 MB file)."""
    found = [np.flatnonzero(array[start:start + step] == byte) + start
             for start in range(0, len(array), step)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _csv_python(body: str, delimiter: str, width: int, shown: str, first_row: int) -> list[list[str]]:
    """The exact reader: rows padded to the header's width; trailing empty fields dropped; more
    filled fields than headers is an error naming the row."""
    columns: list[list[str]] = [[] for _ in range(width)]
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    row = first_row - 1
    try:
        for row, record in enumerate(reader, start=first_row):
            if len(record) > width:
                extra = record[width:]
                if any(cell.strip() for cell in extra):
                    raise InventoryError(
                        f"malformed CSV: this row has {len(record)} fields, the header has {width} "
                        f"(a '{delimiter}' inside a cell needs quotes)", file=shown, row=row)
                record = record[:width]
            elif len(record) < width:
                record = record + [""] * (width - len(record))
            for column, cell in zip(columns, record, strict=True):
                column.append(cell)
    except csv.Error as exc:
        message = shorten(exc)
        if "field larger than field limit" in message:
            message = too_big("a cell's length", "cell_chars", limits().cell_chars + 1)
        raise InventoryError(f"malformed CSV ({message})", file=shown, row=row + 1) from None
    return columns


def _frame(columns: list, headers: list[str], shown: str, first_row: int,
           keep_blank_rows: bool = False) -> pd.DataFrame:
    """A frame of text columns from raw columns: spaces around cells removed, empty -> missing,
    limits checked, blank rows skipped (their row numbers stay counted)."""
    names = [str(h).strip().lstrip("\ufeff") for h in headers] or [""]
    arrays: dict[str, pa.ChunkedArray] = {}
    n_rows = len(columns[0]) if columns else 0
    if n_rows * len(names) > limits().cells:
        raise InventoryError(too_big("number of cells", "cells", n_rows * len(names)), file=shown)
    coded: dict[str, pd.Series] = {}
    for name, column in zip(names, columns, strict=False):
        if not name or name in arrays or name in coded:
            continue  # an unnamed column or a repeated header: the first of that name is read
        if isinstance(column, pa.ChunkedArray) and pa.types.is_dictionary(column.type):
            coded[name] = coded_column(column, name, shown, first_row)
            continue
        array = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array(
            [pa.array(column, pa.large_string())])
        array = trim_spaces(array)
        sizes = pc.binary_length(array)  # bytes >= characters: count characters only if needed
        if len(array) and (pc.max(sizes).as_py() or 0) > limits().cell_chars:
            lengths = pc.utf8_length(array)
            longest = pc.max(lengths).as_py() or 0
            if longest > limits().cell_chars:
                at = int(pc.index(pc.greater(lengths, limits().cell_chars), True).as_py())
                raise InventoryError(too_big("cell length in characters", "cell_chars", longest),
                                     file=shown, row=first_row + at, column=name,
                                     value=shorten(array[at].as_py()))
        arrays[name] = _empty_as_missing(array)
    if coded:  # the file's column order, each column as read
        order = list(dict.fromkeys(n for n in names if n in arrays or n in coded))
        frame = pd.DataFrame({n: coded[n] if n in coded else text_series(arrays[n]) for n in order})
    else:
        frame = pd.DataFrame({name: text_series(array) for name, array in arrays.items()})
    if not arrays and not coded:
        frame = pd.DataFrame(index=pd.RangeIndex(n_rows))
    if not keep_blank_rows and len(frame.columns):
        blank = frame.isna().all(axis=1)
        if blank.any():
            frame = frame.loc[~blank.to_numpy()]
    return frame


#: Arrow type of a column read dictionary-encoded (:func:`_csv_arrow`).
_CODED_TYPE = pa.dictionary(pa.int32(), pa.large_string())


def coded_positions(headers: list[str], parsed_only: Coded | None) -> list[int]:
    """Positions in the file of the columns ``parsed_only`` names (by the names :func:`_frame`
    gives the headers; the first column of a repeated name)."""
    if parsed_only is None:
        return []
    names = [str(h).strip().lstrip("\ufeff") for h in headers]
    first = {}
    for i, name in enumerate(names):
        if name:
            first.setdefault(name, i)
    wanted = set(parsed_only(list(first)))
    return [i for name, i in first.items() if name in wanted]


def coded_column(array: pa.ChunkedArray, name: str, shown: str, first_row: int) -> pd.Series:
    """A dictionary-encoded column as a categorical column of text: each row's cell exactly as
    the text path gives it (spaces around it removed, empty cells missing, the cell-length limit
    checked with the same error), each distinct cell stored and trimmed once.

    Categories come in order of first appearance, every one used, so that :func:`factorize`
    reads codes and distinct cells off the column as they are.
    """
    if array.num_chunks > 1:
        array = pa.table([array], names=["c"]).unify_dictionaries().column(0)
    if array.num_chunks:  # raw cells, in order of first appearance (per block, blocks in order)
        dictionary = array.chunk(0).dictionary
        indices = pa.chunked_array([chunk.indices for chunk in array.chunks]).to_numpy()
    else:
        dictionary, indices = pa.array([], pa.large_string()), np.zeros(0, np.int32)
    trimmed = pc.utf8_trim_whitespace(dictionary) if _edge_spaces(dictionary) else dictionary
    sizes = pc.binary_length(trimmed)  # bytes >= characters: count characters only if needed
    if len(trimmed) and (pc.max(sizes).as_py() or 0) > limits().cell_chars:
        lengths = pc.utf8_length(trimmed).to_numpy()
        longest = int(lengths.max())
        if longest > limits().cell_chars:
            at = int(np.flatnonzero(lengths[indices] > limits().cell_chars)[0])
            raise InventoryError(too_big("cell length in characters", "cell_chars", longest),
                                 file=shown, row=first_row + at, column=name,
                                 value=shorten(trimmed[int(indices[at])].as_py()))
    if trimmed is dictionary:  # nothing trimmed: the cells are distinct already
        distinct, remap = dictionary, None
    else:  # cells that differed only by spaces around them are one cell now
        encoded = pc.dictionary_encode(trimmed)
        distinct, remap = encoded.dictionary, encoded.indices.to_numpy()
    # the empty cell (if any) is missing; the categories after it move down by one
    empty = np.flatnonzero(pc.equal(pc.binary_length(distinct), 0).to_numpy(zero_copy_only=False))
    if len(empty):
        k = int(empty[0])
        shift = np.arange(len(distinct), dtype=np.int64)
        shift[k] = -1
        shift[k + 1:] -= 1
        remap = shift if remap is None else shift[remap]
        distinct = pa.concat_arrays([distinct.slice(0, k), distinct.slice(k + 1)])
    # codes in the integer type pandas keeps for this many categories (no second pass)
    size = len(distinct)
    kind = np.int8 if size < 127 else np.int16 if size < 32_767 else np.int32
    codes = indices.astype(kind) if remap is None else remap.astype(kind)[indices]
    categories = pd.Index(text_series(distinct))
    # valid by construction: every code indexes a category or is -1
    return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories),
                                               validate=False), copy=False)


def trim_spaces(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells without the spaces around them (Arrow's ``utf8_trim_whitespace``), the column kept
    as it is (no copy) when no cell starts or ends with a space."""
    return pc.utf8_trim_whitespace(array) if any(map(_edge_spaces, array.chunks)) else array


def _edge_spaces(chunk: pa.Array) -> bool:
    """True when a cell of ``chunk`` may start or end with a space: its first or last byte is a
    control character, a space or part of a non-ASCII character (then trimmed to be sure)."""
    if not (pa.types.is_large_string(chunk.type) or pa.types.is_string(chunk.type)):
        return True
    _, offsets_buffer, data_buffer = chunk.buffers()
    if not len(chunk) or data_buffer is None or not data_buffer.size:
        return False
    dtype = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=dtype)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    # bytes 33-126 are visible ASCII: (byte - 33) as uint8 is above 93 for every other byte
    first = data[np.minimum(offsets[:-1], len(data) - 1)] - np.uint8(33)
    last = data[np.maximum(offsets[1:] - 1, 0)] - np.uint8(33)
    odd = np.flatnonzero((np.maximum(first, last) > 93) & (offsets[1:] > offsets[:-1]))
    if not len(odd):
        return False
    cells = pc.take(chunk, pa.array(odd))
    return bool(pc.any(pc.not_equal(pc.binary_length(pc.utf8_trim_whitespace(cells)),
                                    pc.binary_length(cells))).as_py())


def _empty_as_missing(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``array`` with its empty cells missing: only a new validity bitmap, the text is shared."""
    chunks = []
    for chunk in array.chunks:
        keep = pc.fill_null(pc.not_equal(pc.binary_length(chunk), 0), False)  # no nulls in keep
        if chunk.offset or keep.offset or not len(chunk):
            chunks.append(pc.if_else(keep, chunk, pa.scalar(None, chunk.type)))
            continue
        chunks.append(pa.Array.from_buffers(chunk.type, len(chunk),
                                            [keep.buffers()[1], *chunk.buffers()[1:]]))
    return pa.chunked_array(chunks, array.type)


def _duplicate_notes(headers: list[str], shown: str) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for header in headers:
        name = str(header).strip()
        if name and name in seen and len(repeated) < 3:
            repeated.append(name)
        seen.add(name)
    return [f"{shown}: column '{shorten(h)}' appears more than once; only the first is read"
            for h in dict.fromkeys(repeated)]


def cell_text(value: object) -> str | None:
    """A spreadsheet or JSON cell as the text a spreadsheet shows (None when empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if number != number:  # NaN: an empty cell
            return None
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    if isinstance(value, datetime | pd.Timestamp):
        if value.hour == value.minute == value.second == 0 and not value.microsecond:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else cell_text(pd.Timestamp(value))
    return str(value).strip() or None


# -- JSON ----------------------------------------------------------------------------------------

_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _read_json(data: bytes, shown: str) -> RawTable:
    text = decode(data)

    def refuse_constant(name: str) -> None:
        raise InventoryError(f"{name} is not a JSON value; expected a finite number", file=shown)

    try:
        document = json.loads(text, parse_int=str, parse_float=str, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        raise InventoryError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno} ({shorten(exc.msg)})", file=shown
        ) from None
    except RecursionError:
        raise InventoryError("JSON nested too deeply; expected a list of flat objects, one per item",
                             file=shown) from None
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
    return records_table(records, shown, check_text=bool(_SURROGATE.search(text)))


def records_table(records: list, shown: str, *, check_text: bool = False) -> RawTable:
    """A raw table from a list of flat objects (JSON items or Python dicts); row = position + 1."""
    keys: dict[str, list[str | None]] = {}
    n = len(records)
    if n * max(len(records[0]) if n and isinstance(records[0], dict) else 1, 1) > limits().cells:
        raise InventoryError(too_big("number of cells", "cells", n), file=shown)
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise InventoryError(
                f"item is {_json_type(record)}; expected an object with named fields",
                file=shown, row=i + 1,
            )
        for key, value in record.items():
            column = keys.get(key)
            if column is None:
                if len(keys) >= limits().columns:
                    raise InventoryError(too_big("number of fields", "columns", len(keys) + 1),
                                         file=shown, row=i + 1)
                column = keys[key] = [None] * n
            if isinstance(value, list | dict | tuple | set):
                raise InventoryError(f"{_json_type(value)}; expected a text, a number or nothing",
                                     file=shown, row=i + 1, column=shorten(key))
            text = cell_text(value)
            if check_text and text is not None:
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise InventoryError("text with an invalid character (a lone surrogate escape)",
                                         file=shown, row=i + 1, column=shorten(key),
                                         value=shorten(text)) from None
            column[i] = text
    frame = _frame(list(keys.values()), list(keys), shown, 1, keep_blank_rows=True)
    if not keys:
        frame = pd.DataFrame(index=pd.RangeIndex(n))
    return RawTable(frame, shown, 1)


def _json_type(value: object) -> str:
    return {list: "a list", dict: "an object", str: "a text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")
