"""Estates larger than memory: read, assess and write an inventory in chunks of rows.

A CSV is read block by block (never whole): each block ends on a record boundary and goes through
the importer's own reader (:mod:`auditor.importer.files`, Arrow with every column as text, or the
exact Python reader), so cells, header mapping and spreadsheet row numbers are those of a
whole-file read. XLSX and JSON inputs are read whole (a workbook holds at most 1,048,576 rows) and
then cut into chunks. Each chunk is parsed, assessed and scored as a table of its own, written as
one Parquet row group (``-o results.parquet``) or one part file (``-o DIR/``), and folded into a
:class:`auditor.running.RunningSummary`.

Ids stay unique across chunks: each id is hashed to 64 + 32 bits and kept in numpy arrays (18
bytes per row with its file and row); duplicates are found at the end and named as the whole-table
check names them. Output goes to a temporary name first: a failed run leaves nothing behind.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InputError, InventoryError
from auditor.importer.checks import duplicate_id_error
from auditor.importer.files import (
    Coded,
    RawTable,
    _csv_arrow,
    _csv_python,
    _duplicate_notes,
    _frame,
    check_distinct_inputs,
    check_input_path,
    coded_positions,
    find_header,
    read_raw,
)
from auditor.importer.limits import limits, shorten, too_big, use_limits

#: Default rows per chunk (measured: about 1 GB peak per 250,000-row chunk, see docs/scale.md).
DEFAULT_CHUNK_ROWS = 250_000
#: Inputs larger than this on disk [MB] are assessed in chunks unless ``--chunk-rows 0``.
AUTO_CHUNK_MB = 200.0
_READ_BYTES = 1 << 25


def chunk_rows_for(paths: list[str | Path], chunk_rows: int | None) -> int:
    """Rows per chunk for these inputs: ``chunk_rows`` when given (0 = whole table), else
    :data:`DEFAULT_CHUNK_ROWS` when their total size exceeds :data:`AUTO_CHUNK_MB`, else 0."""
    if chunk_rows is not None:
        return max(int(chunk_rows), 0)
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            return 0  # the importer names the problem
    return DEFAULT_CHUNK_ROWS if total > AUTO_CHUNK_MB * 1e6 else 0


# -- reading --------------------------------------------------------------------------------------


def iter_raw_chunks(path: str | Path, chunk_rows: int) -> Iterator[RawTable]:
    """Raw tables of at most ``chunk_rows`` rows, in file order, with whole-file row numbers.

    Columns the importer only parses (numbers, dates, categories, countries) may be categorical
    columns of their text (:func:`auditor.importer.files.coded_column`), as in a whole-file read.
    """
    from auditor.importer.table import parsed_only

    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ""):
        csv_chunks = _csv_chunks(path, chunk_rows, parsed_only)
        if csv_chunks is not None:
            yield from csv_chunks
            return
    for raw in read_raw(path, parsed_only=parsed_only):
        yield from split_raw(raw, chunk_rows)


def split_raw(raw: RawTable, chunk_rows: int) -> Iterator[RawTable]:
    """A raw table cut into tables of ``chunk_rows`` rows (row numbers kept by the index)."""
    n = len(raw.frame)
    for start in range(0, max(n, 1), chunk_rows):
        yield RawTable(raw.frame.iloc[start:start + chunk_rows], raw.file, raw.first_row,
                       sheet=raw.sheet, notes=raw.notes if start == 0 else [])


def _utf8(path: Path, skip: int) -> bool:
    """True when the file's bytes after ``skip`` are valid UTF-8 (a streaming pass)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        handle.seek(skip)
        try:
            while block := handle.read(_READ_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


@dataclass
class _Head:
    encoding: str
    delimiter: str
    headers: list[str]
    body_offset: int  # bytes
    first_row: int


def _csv_head(path: Path, shown: str) -> _Head | None:
    """Header, delimiter, encoding and where the body starts; None for what the streaming reader
    leaves to the whole-file reader (UTF-16, old Mac line ends)."""
    with open(path, "rb") as handle:
        head = handle.read(4_000_000)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\n" not in head and b"\r" in head):
        return None
    if not head.strip():
        raise InventoryError("empty file; expected a header row and at least one item", file=shown)
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    encoding = "utf-8" if _utf8(path, bom) else "cp1252"
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(head[bom:])
    except UnicodeDecodeError:
        return None  # not Windows-1252 either: the whole-file reader falls back to Latin-1
    if "\x00" in text[:4096]:
        raise InventoryError(
            "looks like a binary file, not a CSV (UTF-16? save as UTF-8 or Windows-1252 CSV)", file=shown)
    skipped, delimiter = find_header(text)
    rest = text.split("\n", skipped)[-1] if skipped else text
    reader = csv.reader(io.StringIO(rest[: 4_000_000]), delimiter=delimiter)
    csv.field_size_limit(max(limits().cell_chars + 1, 131_072))
    try:
        headers = next(reader, [])
    except csv.Error as exc:
        raise InventoryError(f"malformed CSV header ({shorten(exc)})", file=shown, row=skipped + 1) from None
    if len(headers) > limits().columns:
        raise InventoryError(too_big("number of columns", "columns", len(headers)), file=shown,
                             row=skipped + 1)
    lines = skipped + reader.line_num
    consumed = text.split("\n", lines)
    if len(consumed) <= lines:  # the header is the whole file
        return _Head(encoding, delimiter, headers, len(head), skipped + 2)
    prefix = len(text) - len(consumed[-1])
    return _Head(encoding, delimiter, headers, bom + len(text[:prefix].encode(encoding)), skipped + 2)


def _csv_chunks(path: Path, chunk_rows: int, parsed_only: Coded | None = None
                ) -> Iterator[RawTable] | None:
    shown = shorten(path, 200)
    # the file-size limit bounds a whole-file read; here memory is bounded by the chunk instead
    with use_limits(replace(limits(), file_mb=float("inf"))):
        check_input_path(path)
    head = _csv_head(path, shown)
    if head is None:
        return None
    return _csv_blocks(path, shown, head, chunk_rows, coded_positions(head.headers, parsed_only))


def _csv_blocks(path: Path, shown: str, head: _Head, chunk_rows: int,
                coded: list[int]) -> Iterator[RawTable]:
    width = max(len(head.headers), 1)
    notes = _duplicate_notes(head.headers, shown)
    records_before = 0
    emitted = False
    buffer = b""
    with open(path, "rb") as handle:
        handle.seek(head.body_offset)
        eof = False
        while True:
            cut = None
            while not eof:
                cut = _cut(buffer, chunk_rows, head.delimiter, head.encoding, at_eof=False)
                if cut is not None:
                    break
                block = handle.read(max(_READ_BYTES, len(buffer)))
                if not block:
                    eof = True
                buffer += block
            if eof:
                cut = _cut(buffer, chunk_rows, head.delimiter, head.encoding, at_eof=True)
            if cut == 0 or not buffer:
                break
            piece, buffer = buffer[:cut], buffer[cut:]
            body = piece.decode(head.encoding)
            first_row = head.first_row + records_before
            raw = (memoryview(piece) if head.encoding.replace("-", "").lower() in ("utf8", "utf8sig")
                   else memoryview(body.encode("utf-8", errors="surrogatepass")))
            columns = _csv_arrow(raw, head.delimiter, width, coded)  # Arrow reads UTF-8 bytes
            if columns is None:
                columns = _csv_python(body, head.delimiter, width, shown, first_row)
            records = len(columns[0]) if columns else 0
            if not body.strip():  # blank lines only: each is a row (the readers return none)
                records = body.count("\n") + (not body.endswith("\n"))
            frame = _frame(columns, head.headers, shown, first_row)
            records_before += records
            if len(frame):
                yield RawTable(frame, shown, first_row, notes=[] if emitted else notes)
                emitted = True
            if eof and not buffer:
                break
    if not emitted:
        raise InventoryError("no items found (only a header?)", file=shown)


def _cut(buffer: bytes, chunk_rows: int, delimiter: str, encoding: str, *, at_eof: bool) -> int | None:
    """Bytes of ``buffer`` holding the next ``chunk_rows`` records (None: read more first).

    Every line break ends a record unless a quoted cell spans it; a quote opens a cell only at the
    start of a field, so a block without such a quote (``;"`` or a line starting with ``"``) is
    cut at its n-th line break; otherwise Python's CSV reader counts the lines of n records.
    """
    data = np.frombuffer(buffer, dtype=np.uint8)
    breaks = np.flatnonzero(data == 10)
    if at_eof and len(breaks) <= chunk_rows:
        return len(buffer)
    if len(breaks) < chunk_rows + 1 and not at_eof:
        return None
    end = int(breaks[chunk_rows - 1]) + 1
    region = buffer[:end]
    opens = b'"' in region and (region.startswith(b'"') or b'\n"' in region
                                or (delimiter.encode() + b'"') in region)
    if not opens:
        return end
    # quoted cells may span lines: count records with the exact reader over what is buffered
    text = buffer.decode(encoding, errors="surrogateescape")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = 0
    try:
        for count, _ in enumerate(reader, start=1):
            lines = reader.line_num
            if count == chunk_rows:
                break
        else:
            if not at_eof:
                return None
            return len(buffer)
    except csv.Error:
        return len(buffer) if at_eof else None  # let the chunk's reader name the row
    if lines >= len(breaks):
        return len(buffer) if at_eof else None
    return int(breaks[lines - 1]) + 1


# -- ids ------------------------------------------------------------------------------------------


@dataclass
class IdRegister:
    """Hashes of every id seen (64 + 32 bits), with its file and spreadsheet row: 18 bytes per row."""

    files: list[str] = field(default_factory=list)
    _parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    id_headers: dict[str, str] = field(default_factory=dict)

    def add(self, table: pd.DataFrame) -> None:
        self.id_headers.update(table.attrs.pop("id_headers", {}))
        ids = table["id"].to_numpy(dtype=object)
        key = pd.util.hash_array(ids, hash_key="auditor-ids-0001")
        check = (pd.util.hash_array(ids, hash_key="auditor-ids-0002") >> np.uint64(32)).astype(np.uint32)
        files = table["_file"].to_numpy(dtype=object)
        file_index = np.empty(len(ids), dtype=np.uint16)
        for name in pd.unique(files):
            if name not in self.files:
                self.files.append(name)
            file_index[files == name] = self.files.index(name)
        self._parts.append((key, check, table["_row"].to_numpy().astype(np.int32), file_index))

    def duplicates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(positions of the first duplicated id's rows, their rows, their file indexes) and the
        number of rows whose id is repeated; None when every id is unique."""
        if not self._parts:
            return None
        key = np.concatenate([p[0] for p in self._parts])
        check = np.concatenate([p[1] for p in self._parts])
        order = np.lexsort((check, key))
        sk, sc = key[order], check[order]
        same_next = (sk[1:] == sk[:-1]) & (sc[1:] == sc[:-1])
        if not same_next.any():
            return None
        dup_sorted = np.zeros(len(order), dtype=bool)
        dup_sorted[1:] |= same_next
        dup_sorted[:-1] |= same_next
        positions = np.sort(order[dup_sorted])
        first = positions[0]
        group = positions[(key[positions] == key[first]) & (check[positions] == check[first])]
        rows = np.concatenate([p[2] for p in self._parts])[group]
        files = np.concatenate([p[3] for p in self._parts])[group]
        return group, rows, files, len(positions)


def _duplicate_error(register: IdRegister, found, id_text: str) -> InventoryError:
    _group, rows, files, count = found
    return duplicate_id_error(id_text, [(register.files[f], r) for f, r in
                                        zip(files[:6], rows[:6], strict=True)], int(count),
                              register.id_headers)


# -- writing --------------------------------------------------------------------------------------


def output_kind(output: str | Path) -> str:
    """``dir`` (partitioned Parquet), ``parquet`` or ``csv`` for a chunked run's output."""
    text = str(output)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return "dir"
    suffix = Path(text).suffix.lower()
    if suffix in (".parquet", ".csv"):
        return suffix[1:]
    raise InputError(f"{output}: a chunked assessment writes .parquet, .csv or a folder "
                     "(-o DIR/, one Parquet part per chunk); .xlsx and .json hold a whole table")


class ChunkWriter:
    """Writes chunks of results to a temporary path, moved into place by :meth:`commit`."""

    def __init__(self, output: str | Path) -> None:
        self.kind = output_kind(output)
        self.target = Path(str(output).rstrip("/" + os.sep))
        parent = self.target.parent
        if not parent.exists():
            raise InputError(f"{output}: folder {parent} does not exist")
        if self.kind == "dir":
            if self.target.exists() and any(p.suffix != ".parquet" for p in self.target.iterdir()):
                raise InputError(f"{output}: folder holds files other than Parquet parts; "
                                 "choose an empty or new folder")
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=parent))
        else:
            if self.target.is_dir():
                raise InputError(f"{output} is a folder; write -o {output}/ for a partitioned output")
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", dir=parent)
            os.close(fd)
            self.tmp = Path(name)
        self.parts = 0
        self._writer = None
        self._schema = None

    def write(self, results: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.kind == "csv":
            from auditor.writers import neutralise_formulas

            neutralise_formulas(results).to_csv(self.tmp, index=False, mode="a", header=self.parts == 0,
                                                encoding="utf-8")
        else:
            table = pa.Table.from_pandas(results, preserve_index=False)
            if self._schema is None:
                fields = [pa.field(f.name, pa.large_string()) if pa.types.is_null(f.type) else f
                          for f in table.schema]
                self._schema = pa.schema(fields, metadata=table.schema.metadata)
            table = table.cast(self._schema)
            if self.kind == "dir":
                pq.write_table(table, self.tmp / f"part-{self.parts:05d}.parquet")
            else:
                if self._writer is None:
                    self._writer = pq.ParquetWriter(self.tmp, self._schema)
                self._writer.write_table(table)
        self.parts += 1

    def commit(self) -> Path:
        from auditor.writers import readable_mode

        if self._writer is not None:
            self._writer.close()
        if self.kind == "dir":
            os.chmod(self.tmp, readable_mode(directory=True))
            for part in self.tmp.iterdir():
                os.chmod(part, readable_mode())
            if self.target.exists():
                old = self.target.with_name(f".{self.target.name}.old")
                os.replace(self.target, old)
                os.replace(self.tmp, self.target)
                shutil.rmtree(old)
            else:
                os.replace(self.tmp, self.target)
        else:
            os.chmod(self.tmp, readable_mode())
            os.replace(self.tmp, self.target)
        return self.target

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self.tmp.is_dir():
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp.exists():
            self.tmp.unlink()


# -- the pipeline ---------------------------------------------------------------------------------


def assess_in_chunks(
    paths: list[str | Path],
    *,
    chunk_rows: int,
    output: str | Path | None = None,
    criterion: str = "gwp",
    country: str | None = None,
    pue: float | None = None,
    site_pue: dict[str, float] | None = None,
    today: date | None = None,
    library=None,
    progress=None,
    samples: list[str | Path] | None = None,
):
    """Read, assess, score and write ``paths`` chunk by chunk; memory bounded by ``chunk_rows``.

    ``samples``: probe record files or folders (as ``auditor assess --samples``). Hosts are
    matched to rows over the whole inventory, as in a whole-table run: a first pass reads every
    chunk and keeps only the rows whose hostname or id could match a probe host; the matches are
    decided on those, then the second pass applies them chunk by chunk.

    Returns
    -------
    (RunningSummary, warnings)
        The summary of every row (as :func:`auditor.summary.format_summary` prints it) and the
        warning lines.
    """
    from auditor.api import assess_table
    from auditor.footprint import AssessOptions
    from auditor.running import RunningSummary
    from factors.tables import default_library

    if chunk_rows <= 0:
        raise InputError(f"--chunk-rows {chunk_rows}: expected a positive number of rows")
    check_distinct_inputs(list(paths))
    library = library or default_library()
    library.validate_all()
    today = today or date.today()
    options = AssessOptions(pue=pue, site_pue=dict(site_pue or {}), today=today)
    writer = ChunkWriter(output) if output else None
    summary = RunningSummary(criterion)
    register = IdRegister()
    messages: list[str] = []
    seen: set[str] = set()
    step = progress.step if progress else None
    plan, assigned = None, {}
    if samples:
        plan, assigned, sample_notes = _plan_samples(paths, samples, chunk_rows, country, today, library, step)
    offset = 0
    try:
        for path, raw, table, warns in parsed_chunks(paths, chunk_rows, country, today, library):
            if table is None:
                messages.append(f"{raw.file}: sheet skipped (no category column, and its name "
                                "is not a category)")
                continue
            for line in [*raw.notes, *warns]:
                if line not in seen:
                    seen.add(line)
                    messages.append(line)
            register.add(table)
            if plan is not None:
                from auditor.measurements import apply_assigned

                mine = {pos - offset: host for pos, host in assigned.items()
                        if offset <= pos < offset + len(table)}
                table, notes = apply_assigned(table, mine, plan, library=library, today=today)
                sample_notes += notes
            offset += len(table)
            results = assess_table(table, library=library, options=options)
            summary.add(results)
            del table
            if writer is not None:
                writer.write(results)
            if step:
                step(f"assessed {summary.n_rows:,} rows of {shorten(path, 80)}")
            del results
        if not summary.n_rows:
            raise InventoryError("no inventory file given")
        if plan is not None:
            messages += sample_notes
        found = register.duplicates()
        if found is not None:
            raise _duplicate_error(register, found, _id_at(paths, register, found, chunk_rows,
                                                            country, today, library))
        if writer is not None:
            writer.commit()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return summary, messages


def parsed_chunks(paths, chunk_rows, country, today, library):
    """``(path, raw, table, warnings)`` of every chunk of ``paths`` in order; ``table`` is None for
    a sheet that is skipped (no category column, and its name is not a category)."""
    from auditor.importer.categories import sheet_category
    from auditor.importer.table import _has_category_column, parse_table

    for path in paths:
        for raw in iter_raw_chunks(path, chunk_rows):
            if raw.sheet is not None and not (sheet_category(raw.sheet) or _has_category_column(raw)):
                yield path, raw, None, []
                continue
            table, warns = parse_table(raw, country=country, today=today, library=library,
                                       default_category=sheet_category(raw.sheet))
            yield path, raw, table, warns


def _plan_samples(paths, samples, chunk_rows, country, today, library, step):
    """First pass of a chunked run with probe samples: (plan, row -> host, warning lines).

    Reads every chunk once more, keeping the rows whose hostname or id could match a probe host
    (with their position in the whole inventory), and matches hosts on those rows exactly as
    :func:`auditor.measurements.apply_measurements` matches them on a whole table.
    """
    from auditor.measurements import assign_hosts, read_plan

    plan = read_plan(samples)
    kept, positions = [], []
    offset = 0
    for path, _, table, _ in parsed_chunks(paths, chunk_rows, country, today, library):
        if table is None:
            continue
        rows = plan.candidates(table)
        columns = [c for c in ("hostname", "id") if c in table]
        kept.append(table.iloc[rows][columns])
        positions.append(rows + offset)
        offset += len(table)
        if step:
            step(f"matching probe hosts: {offset:,} rows read of {shorten(path, 80)}")
    candidates = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=["hostname", "id"])
    where = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    by_candidate, warnings = assign_hosts(plan, candidates)
    return plan, {int(where[pos]): host for pos, host in by_candidate.items()}, [*plan.warnings, *warnings]


def _id_at(paths, register: IdRegister, found, chunk_rows, country, today, library) -> str:
    """The id text of the first duplicated row, read again from its chunk (error path only)."""
    from auditor.importer.categories import sheet_category
    from auditor.importer.table import parse_table

    group, rows, files, _ = found
    file, row = register.files[files[0]], rows[0]
    for path in paths:
        for raw in iter_raw_chunks(path, chunk_rows):
            if raw.file != file or not len(raw.frame):
                continue
            chunk_rows_numbers = raw.frame.index.to_numpy() + raw.first_row
            if row not in chunk_rows_numbers:
                continue
            table, _ = parse_table(raw, country=country, today=today, library=library,
                                   default_category=sheet_category(raw.sheet))
            return str(table.loc[table["_row"] == row, "id"].iloc[0])
    return "?"  # pragma: no cover - the row was read once already
