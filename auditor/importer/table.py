"""Inventory files -> one canonical table: the importer's pipeline.

read files (:mod:`.files`) -> map headers (:mod:`.headers`) -> parse each column once per distinct
cell (:mod:`.cells` numbers with units, :mod:`.dates`, :mod:`.categories` categories and countries)
-> plausibility (:mod:`.checks`). Output: the canonical columns of ``docs/inventory.md`` as plain
floats (units in names), text exactly as written and dates, plus ``_file``, ``_row`` (where each
item came from) and ``warnings``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditor.errors import InventoryError
from auditor.importer.categories import (
    TABLE_CATEGORIES,
    category_codes,
    country_codes,
    sheet_category,
)
from auditor.importer.cells import parse_numbers
from auditor.importer.checks import (
    check_duplicate_ids,
    check_plausible,
    fix_ram_in_mb,
    totals_rows,
)
from auditor.importer.dates import check_years, parse_dates
from auditor.importer.files import (
    RawTable,
    as_text,
    check_distinct_inputs,
    is_coded,
    read_raw,
    records_table,
    text_series,
)
from auditor.importer.headers import (
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    column_aliases,
    map_headers,
    match_header,
    repeated_columns,
)
from auditor.importer.limits import shorten
from auditor.importer.problems import Context
from factors.tables import FactorLibrary

Progress = Callable[..., None]


def read_inventory(
    paths: Iterable[Path | str],
    *,
    country: str | None = None,
    today: date | None = None,
    library: FactorLibrary | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate inventory files into one canonical table.

    Parameters
    ----------
    paths
        Inventory files (CSV, XLSX, JSON); several are concatenated.
    country
        Country (code or name) of items whose row gives none.
    today
        Reference date for date ranges and "in the future" checks; today when None.
    library
        Factor library used to resolve countries; the packaged one when None.
    progress
        ``progress(text, done=None, total=None)``, called as files are read and columns parsed.

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
    ids_given = False  # ids generated from file and row are unique within one table
    from auditor import agents  # agent inventories (FusionInventory/OCS XML, GLPI-agent JSON)

    paths = list(paths)
    check_distinct_inputs(paths)
    for path in agents.expand_inputs(paths):
        if progress:
            progress(f"reading {shorten(path, 120)}")
        raws = (agents.agent_raw_tables(path) if isinstance(path, agents.AgentFiles)
                else read_raw(path, progress, parsed_only=parsed_only))
        usable = [r for r in raws if len(raws) == 1 or sheet_category(r.sheet) or _has_category_column(r)]
        if not usable:
            raise InventoryError("no sheet has a category column or a category name", file=str(path))
        for raw in raws:
            if raw not in usable:
                messages.append(f"{raw.file}: sheet skipped (no category column, and its name is not a category)")
                continue
            ids_given = ids_given or "id" in _columns(raw)
            frame, warns = parse_table(raw, country=country, today=today, library=library,
                                       default_category=sheet_category(raw.sheet), progress=progress)
            frame, warns = agents.agent_origin(frame, raw, warns)
            frames.append(frame)
            messages.extend([*raw.notes, *warns])
            if progress:
                progress(f"read {raw.file}: {len(frame):,} items")
    if not frames:
        raise InventoryError("no inventory file given")
    id_headers = {f: h for frame in frames for f, h in frame.attrs.pop("id_headers", {}).items()}
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if ids_given or len(frames) > 1:
        check_duplicate_ids(table, id_headers)
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

    raw = records_table(list(records), name)
    table, _ = parse_table(raw, country=country, today=today or date.today(),
                           library=library or default_library())
    return table


#: Canonical columns whose cells are only parsed (numbers, dates, categories, countries): the
#: reader may give them as categorical columns (:func:`auditor.importer.files.coded_column`).
PARSED_COLUMNS = frozenset({*NUMBER_COLUMNS, *DATE_COLUMNS, "category", "item_type", "country"})


def parsed_only(headers: list[str]) -> set[str]:
    """The headers :func:`parse_table` maps to :data:`PARSED_COLUMNS` (its own mapping)."""
    return {h for h, (column, _) in map_headers(headers, "").items() if column in PARSED_COLUMNS}


def _columns(raw: RawTable) -> set[str]:
    """Canonical columns a raw table's headers name (by alias or by words)."""
    return {c for c, _ in map_headers(list(raw.frame.columns), raw.file).values()}


def _has_category_column(raw: RawTable) -> bool:
    return bool(_columns(raw) & {"category", "item_type"})


def parse_table(
    raw: RawTable, *, country: str | None, today: date, library: FactorLibrary,
    default_category: str | None = None, progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Turn one raw table into canonical columns (see :func:`read_inventory`).

    ``default_category`` (from a workbook sheet's name) fills rows whose category is empty. A
    column recognised only by its header's words whose cells do not parse is dropped with a
    warning (the other columns are parsed once, never again). Totals rows (``Total``,
    ``Sous-total``... with no category) are not items: when a row fails and it is one, every
    totals row is left out, each named in a warning, and the table is parsed again.
    """
    options = dict(country=country, today=today, library=library,
                   default_category=default_category, progress=progress)
    if default_category is None:
        try:
            return _parse_table(raw, **options)
        except InventoryError as exc:
            positions, rows = _totals(raw)
            if exc.row is None or exc.row not in set(rows.tolist()):
                raise
    else:  # a sheet named by its category: a totals row would take that category
        positions, rows = _totals(raw)
        if not len(positions):
            return _parse_table(raw, **options)
    frame = as_text(raw.frame)
    notes = [f"{raw.file}, row {row}: totals row skipped (not an item): "
             f"{shorten(' | '.join(v for v in frame.iloc[p].dropna().astype(str)), 80)}"
             for row, p in zip(rows, positions, strict=True)]
    kept = RawTable(frame.drop(index=frame.index[positions]), raw.file, raw.first_row,
                    sheet=raw.sheet, notes=raw.notes)
    if kept.frame.empty:
        raise InventoryError("no items found, only totals rows (Total, Sous-total...)",
                             file=raw.file, row=int(rows[0]))
    table, warnings = _parse_table(kept, **options)
    return table, [*notes, *warnings]


def _totals(raw: RawTable) -> tuple[np.ndarray, np.ndarray]:
    """(positions, spreadsheet rows) of a raw table's totals rows (see :func:`totals_rows`)."""
    frame = as_text(raw.frame)
    mapping = map_headers(list(frame.columns), raw.file)
    headers = [h for h, (c, _) in mapping.items() if c in ("category", "item_type")]
    positions = totals_rows(frame, headers)
    return positions, frame.index.to_numpy()[positions] + raw.first_row


def _parse_table(
    raw: RawTable, *, country: str | None, today: date, library: FactorLibrary,
    default_category: str | None = None, progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    frame = as_text(raw.frame)
    mapping = map_headers(list(frame.columns), raw.file)
    aliases = column_aliases()
    guessed = {h for h in mapping if match_header(h, aliases) is None}
    by_column = {column: (header, hint) for header, (column, hint) in mapping.items()}
    notes = [f"{raw.file}: column '{shorten(h)}' read as {mapping[h][0]} (recognised by its words)"
             for h in sorted(guessed)]
    extra = repeated_columns(list(frame.columns), mapping)
    for column, others in extra.items():  # each row reads the first of them that is filled
        header, hint = by_column[column]
        same = [h for h in others if match_header(h, aliases)[1] == hint]
        if column in ("category", "item_type") or not same:
            continue
        def plain(series: pd.Series) -> pd.Series:  # a categorical column cannot take new cells
            return series.astype(series.dtype.categories.dtype) if is_coded(series) else series

        merged = plain(frame[header])
        for other in same:
            merged = merged.fillna(plain(frame[other]))
        frame = frame.assign(**{header: merged})
        names = ", ".join(f"'{shorten(h)}'" for h in [header, *same])
        notes.append(f"{raw.file}: columns {names} all give {column}: each row reads the first of "
                     "them that is filled")
    if default_category is not None and "category" not in by_column and "item_type" not in by_column:
        column = text_series(default_category, len(frame))
        frame = frame.assign(**{"\x00category": column.set_axis(frame.index)})
        by_column["category"] = ("\x00category", None)
    n = len(frame)
    rows = frame.index.to_numpy() + raw.first_row
    ctx = Context(raw.file, rows)
    out: dict[str, object] = {}

    def attempt(column: str, parse: Callable[[], object]) -> object | None:
        """Parse one column; a guessed column that fails is dropped with a note."""
        header = by_column[column][0]
        try:
            return parse()
        except InventoryError as exc:
            if header not in guessed:
                raise
            notes.append(f"{raw.file}: column '{shorten(header)}' ignored: it looked like {column} "
                         f"but {exc.reason}")
            del by_column[column]
            return None

    work = [c for c in (*NUMBER_COLUMNS, *DATE_COLUMNS) if c in by_column]
    # the float block of the numeric columns, all missing, made on the other core meanwhile:
    # writing a new block of this size is mostly the kernel handing out pages (numpy lets go of
    # the GIL while it fills)
    block = _soon(lambda: _missing_numbers(n), n)
    ids = _soon(lambda: _generated_ids(raw, rows), n) if "id" not in by_column else None
    for done, column in enumerate(work):
        header, hint = by_column[column]
        if progress and n >= 100_000:
            progress(f"parsing {raw.file}: {column}", done, len(work))
        if column in DATE_COLUMNS:
            value = attempt(column, lambda c=column, h=header: parse_dates(frame[h], c, h, today, ctx))
        elif column == "year":
            def parse_year(h=header, hint=hint):
                years = parse_numbers(frame[h], "year", h, hint, ctx)
                check_years(years, h, today, ctx)
                return years
            value = attempt(column, parse_year)
        else:
            value = attempt(column, lambda c=column, h=header, k=hint: parse_numbers(frame[h], c, h, k, ctx))
        if value is not None:
            out[column] = value
    for column in ("category", "item_type"):
        if column in by_column and by_column[column][0] in guessed:
            attempt(column, lambda c=column: category_codes(frame, [by_column[c][0]], ctx))
    headers = [h for c in ("category", "item_type") if c in by_column
               for h in (by_column[c][0], *extra.get(c, []))]
    if not headers:
        raise InventoryError(
            "no category column; expected a header such as 'category', 'Type' or 'Catégorie' "
            f"(headers found: {shorten(', '.join(map(str, frame.columns[:12])), 160)})",
            file=raw.file,
        )
    for column in TEXT_COLUMNS:
        if column in by_column:
            out[column] = text_column(frame[by_column[column][0]]).reset_index(drop=True)
    numbers = block.result()  # one float block: the columns given written over the missing
    for i, column in enumerate(NUMBER_COLUMNS):
        if column in out:
            numbers[i] = out.pop(column)
    for column in DATE_COLUMNS:
        if column not in out:
            out[column] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if progress and n >= 100_000:
        progress(f"parsing {raw.file}: categories and countries", len(work), len(work))
    codes, _ = category_codes(frame, headers, ctx)  # labels past TABLE_CATEGORIES: no category
    out["category"] = pd.Categorical.from_codes(np.where(codes < len(TABLE_CATEGORIES), codes, -1),
                                                dtype=pd.CategoricalDtype(TABLE_CATEGORIES))
    country_header = by_column["country"][0] if "country" in by_column else None
    codes, labels = country_codes(frame, country_header, country, library, ctx)
    out["country"] = text_series(pc.take(pa.array(labels, pa.large_string()), pa.array(codes)))

    table = pd.concat([pd.DataFrame(out, index=pd.RangeIndex(n)),
                       pd.DataFrame(numbers.T, columns=list(NUMBER_COLUMNS), copy=False)], axis=1)
    _fill_year(table)
    for column in ("quantity", "screen_size_in", "power_w"):
        by_column.setdefault(column, (column, None))
    check_plausible(table, by_column, ctx, today, library)
    fix_ram_in_mb(table, by_column, ctx)
    table["quantity"] = table["quantity"].fillna(1.0)
    if ids is not None:  # no id column: every id is generated
        given = ids.result()
    else:
        given = pa.array(table["id"].array)
        if given.null_count:
            given = pc.coalesce(given, _generated_ids(raw, rows))
    table["id"] = text_series(given)
    empty = text_series(None, n)  # one all-missing column shared by the columns not given
    for column in TEXT_COLUMNS:
        if column not in table:
            table[column] = empty
    table["_file"] = text_series(raw.file, n)
    table["_row"] = rows
    table["warnings"] = text_series(ctx.column())
    columns = [c for c in CANONICAL_COLUMNS if c in table] + ["_file", "_row", "warnings"]
    table = table[columns]
    if "id" in by_column:  # named as written in duplicate-id errors
        table.attrs["id_headers"] = {raw.file: by_column["id"][0]}
    return table, [*notes, *ctx.messages]


#: Rows from which :func:`_soon` runs its work in a thread of its own.
_THREADED_FROM_ROWS = 100_000


def _soon(work: Callable[[], object], n: int) -> Future:
    """A future of ``work()``: computed in a thread of its own for ``n`` rows from
    :data:`_THREADED_FROM_ROWS` (for work that lets go of the GIL: numpy fills, Arrow kernels),
    at once below."""
    if n < _THREADED_FROM_ROWS:
        done: Future = Future()
        done.set_result(work())
        return done
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(work)
    pool.shutdown(wait=False)  # its thread ends with the work
    return future


def _missing_numbers(n: int) -> np.ndarray:
    """The ``len(NUMBER_COLUMNS) x n`` float block, every value NaN."""
    block = np.empty((len(NUMBER_COLUMNS), n))
    block.fill(np.nan)
    return block


def _generated_ids(raw: RawTable, rows: np.ndarray) -> pa.Array:
    """The id of each row without one: ``<file stem>-<row>`` (``<stem>-<sheet>-<row>`` for a
    workbook's sheet)."""
    if raw.sheet and raw.file.endswith(f" [{raw.sheet}]"):
        stem = f"{Path(raw.file[: -len(raw.sheet) - 3]).stem}-{raw.sheet}"
    else:
        stem = Path(raw.file).stem
    return pc.binary_join_element_wise(
        pa.scalar(f"{stem}-", pa.large_string()), pa.array(rows).cast(pa.large_string()),
        pa.scalar("", pa.large_string()))


def text_column(series: pd.Series) -> pd.Series:
    """A raw column as text (``TEXT``): a categorical column of text becomes the text it holds."""
    if not is_coded(series):
        return series
    codes = series.cat.codes.to_numpy()
    categories = pa.array(series.cat.categories.array)
    missing = codes < 0
    indices = pa.array(codes, mask=missing) if missing.any() else pa.array(codes)
    return text_series(pc.take(categories, indices)).set_axis(series.index)


def _fill_year(table: pd.DataFrame) -> None:
    """``year`` from ``purchase_date`` where only the date is given."""
    from_date = pd.DatetimeIndex(table["purchase_date"]).year.to_numpy(dtype=float, na_value=np.nan)
    table["year"] = np.where(np.isnan(table["year"].to_numpy()), from_date, table["year"].to_numpy())
