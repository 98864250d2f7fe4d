"""XLSX workbooks: every sheet read as a raw table of text cells (split from :mod:`.files`).

A sheet's header may sit under title lines or a merged group row; hidden sheets and sheets of
drop-down lists are skipped with a warning; a formula without a saved value is an error naming
its cell. Workbooks are checked before they are opened (size, rows, columns: see ``limits``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import numpy as np
import pandas as pd

from auditor.errors import InventoryError
from auditor.importer.files import _PROBE_LINES, RawTable, _duplicate_notes, _frame, cell_text
from auditor.importer.limits import limits, shorten, too_big

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def check_xlsx(data: bytes, shown: str) -> zipfile.ZipFile:
    """Open a workbook's ZIP and check, before any parsing, its uncompressed size and the cells
    each sheet declares (``<dimension ref="A1:XFD1048576"/>``)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InventoryError(f"unreadable XLSX file ({shorten(exc)})", file=shown) from None
    total = sum(info.file_size for info in infos)
    if total > limits().xlsx_mb * 1e6:
        raise InventoryError(too_big("uncompressed size of the workbook in MB", "xlsx_mb", total / 1e6),
                             file=shown)
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        try:
            with archive.open(info) as handle:
                head = handle.read(8192)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
            raise InventoryError(f"unreadable XLSX file ({shorten(exc)})", file=shown) from None
        match = _DIMENSION.search(head)
        if match and match.group(3):
            rows = int(match.group(4)) - int(match.group(2)) + 1
            cols = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
            if cols > limits().columns:
                raise InventoryError(too_big(f"number of columns a sheet declares ({info.filename})",
                                             "columns", cols), file=shown)
            if rows * cols > limits().cells:
                raise InventoryError(too_big(f"number of cells a sheet declares ({info.filename})",
                                             "cells", rows * cols), file=shown)
    return archive


def read_xlsx(data: bytes, shown: str, progress: Callable[..., None] | None = None) -> list[RawTable]:
    """Every non-empty sheet; a sheet's name is shown as ``file [sheet]`` when there are several."""
    from openpyxl import load_workbook

    archive = check_xlsx(data, shown)
    has_formulas = any(_has_formula(archive, info) for info in archive.infolist()
                       if info.filename.startswith("xl/worksheets/"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False) if has_formulas else None
        tables, skipped = [], []
        for index, sheet in enumerate(workbook.worksheets):
            reason = _not_items(sheet)
            if reason:
                skipped.append(f"{shown} [{sheet.title}]: sheet skipped ({reason}); its rows are "
                               "not assessed")
                continue
            table = _read_sheet(sheet, formulas.worksheets[index] if formulas else None, shown,
                                progress)
            if table is not None:
                tables.append(table)
        workbook.close()
    except InventoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise InventoryError(f"unreadable XLSX file ({type(exc).__name__}: {shorten(exc)})",
                             file=shown) from None
    if skipped and not tables:
        raise InventoryError(f"no items found in any sheet ({'; '.join(skipped)})", file=shown)
    if skipped:
        tables[0].notes = [*skipped, *tables[0].notes]
    if len(tables) > 1:
        for table in tables:
            table.file = f"{shown} [{table.sheet}]"
    return tables


#: Sheet names (folded) of drop-down lists and settings, not of devices.
_LIST_SHEETS = frozenset({"listes", "liste", "lists", "listesderoulantes", "listederoulante",
                          "parametres", "parameters", "parametrage", "settings", "config",
                          "configuration", "lookup", "lookups"})


def _not_items(sheet) -> str | None:
    """Why a workbook sheet holds no items (hidden, or named as a sheet of drop-down lists or
    settings, whose 'Type' column would read as devices), else None."""
    from factors.tables import _fold

    state = getattr(sheet, "sheet_state", "visible")
    if state in ("hidden", "veryHidden"):
        return "hidden sheet, such as the drop-down lists of a form; unhide it to assess it"
    if _fold(sheet.title) in _LIST_SHEETS:
        return "named as a sheet of drop-down lists or settings; rename it to assess it"
    return None


def _has_formula(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as handle:
        content = handle.read()
    return re.search(rb"<(?:\w+:)?f[ >/]", content) is not None


#: Rows of a workbook sheet between two progress reports (about 1.7 s of reading).
PROGRESS_ROWS = 10_000


def _read_sheet(sheet, formulas, shown: str, progress: Callable[..., None] | None = None
                ) -> RawTable | None:
    """One sheet's rows as text, numbered as the spreadsheet numbers them."""
    sheet.reset_dimensions()  # never trust the declared size: read the cells that are there
    rows: list[tuple[int, list[str | None]]] = []
    cells = 0
    name = f"{shown} [{sheet.title}]"
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(values) > limits().columns:
            raise InventoryError(too_big("number of columns", "columns", len(values)), file=name, row=number)
        cells += len(values)
        if cells > limits().cells:
            raise InventoryError(too_big("number of cells", "cells", cells), file=name)
        texts = [cell_text(v) for v in values]
        if any(t is not None for t in texts):
            rows.append((number, texts))
        if progress is not None and number % PROGRESS_ROWS == 0:
            progress(f"reading {name}: {number:,} rows")
    if formulas is not None:
        _check_formulas(formulas, {n: t for n, t in rows}, name)
    from auditor.importer.headers import header_row

    rows = rows[header_row([t for _, t in rows[:_PROBE_LINES]], 0):]  # titles above are not items
    if len(rows) < 2:
        return None
    header_number, header = rows[0]
    width = max(len(header), *(len(t) for _, t in rows[1:]))
    columns: list[list[str]] = [[] for _ in range(width)]
    numbers = []
    for number, texts in rows[1:]:
        numbers.append(number)
        texts = texts + [None] * (width - len(texts))
        for column, text in zip(columns, texts, strict=True):
            column.append(text)
    headers = [h or "" for h in header] + [""] * (width - len(header))
    frame = _frame(columns, headers, name, header_number + 1, keep_blank_rows=True)
    frame.index = pd.Index(np.array(numbers) - (header_number + 1))
    return RawTable(frame, shown, header_number + 1, sheet=str(sheet.title),
                    notes=_duplicate_notes(headers, shown))


def _check_formulas(sheet, values: dict[int, list[str | None]], name: str) -> None:
    """A formula cell whose workbook holds no computed value is an error naming the cell."""
    from openpyxl.utils import get_column_letter

    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and cell.startswith("="):
                row = values.get(number)
                if row is None or index >= len(row) or row[index] is None:
                    raise InventoryError(
                        f"cell {get_column_letter(index + 1)}{number} holds a formula without a "
                        "computed value; open and save the file in a spreadsheet (or paste values)",
                        file=name, row=number, value=shorten(cell))


