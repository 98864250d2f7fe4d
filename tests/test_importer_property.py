"""Property test of the importer (issue 9): random bytes, random CSV/JSON/XLSX structures and
random cells never cause an internal error (exit 1), each case ends within hypothesis' deadline,
and a file that reads gives exactly one row per data row.

Fixed seed; about a minute of examples when ``CI`` is set, fewer locally.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from auditor.errors import InputError  # noqa: E402
from auditor.inventory import read_inventory  # noqa: E402
from tests.conftest import TODAY  # noqa: E402

IN_CI = bool(os.environ.get("CI"))
SETTINGS = settings(
    max_examples=400 if IN_CI else 20,
    deadline=timedelta(seconds=5),  # the time bound of one case
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
    derandomize=False,
    database=None,
)
SEED = 20261202

HEADERS = ["category", "Type", "id", "Nom", "Quantité", "Mémoire", "ram_gb", "Pays", "country",
           "Date d'achat", "purchase_date", "power_w", "Puissance (W)", "hours_per_day", "site",
           "battery_health_pct", "year", "Taille d'écran"]
HOSTILE = ["NA", "N/A", "null", "None", "#N/A", "", " ", "001", "0x10", "inf", "-inf", "nan", "1e309",
           "9" * 400, "16 GB**99", "16 Go", "8192", "2,5 kg", '27"', "65 VA", "1000-01-01", "9999-12-31",
           "31/02/2021", "03/15/2021", "15/03/2021", "2019", "44197", "laptop", "Portable", "Écran",
           "PC portable Dell", "FR", "France", "Atlantis", "=1+1", "\x1b[2J", "a;b", 'q"uote', "x\ny",
           "-5", "150", "24", "1e-300", "\ud7ff", "\u202f1 024"]
# printable text without separators other than the space (what a blank row is stays unambiguous)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")) | st.just(" "),
               max_size=12)
CELL = st.one_of(st.sampled_from(HOSTILE), TEXT)
CATEGORY = st.sampled_from(["laptop", "Portable", "Écran", "serveur", "PC portable Dell", "NA", ""])


def _read(path):
    """Read an inventory; an InputError is a clean refusal (exit 2); anything else fails the test."""
    try:
        return read_inventory([path], country="FR", today=TODAY)[0]
    except InputError:
        return None


@seed(SEED)
@SETTINGS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".txt"]))
def test_random_bytes_never_cause_an_internal_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"inventory{suffix}"
    path.write_bytes(data)
    _read(path)


@st.composite
def csv_files(draw):
    headers = ["category", *draw(st.lists(st.sampled_from(HEADERS[1:]), max_size=5, unique=True))]
    rows = draw(st.lists(st.one_of(
        st.tuples(CATEGORY, *(CELL for _ in headers[1:])).map(list),
        st.just([]),  # a blank line
    ), min_size=1, max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    trailing = draw(st.integers(0, 3))
    sep_line = draw(st.booleans())
    return headers, rows, delimiter, trailing, sep_line


@seed(SEED)
@SETTINGS
@given(spec=csv_files())
def test_random_csv_reads_one_row_per_data_row_or_refuses(tmp_path_factory, spec):
    headers, rows, delimiter, trailing, sep_line = spec
    buffer = io.StringIO()
    if sep_line:
        buffer.write(f"sep={delimiter}\n")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([*row, *([""] * trailing)] if row else [])
    path = tmp_path_factory.mktemp("csv") / "inventory.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", errors="surrogatepass"))
    table = _read(path)
    data_rows = [row for row in rows if any(cell.strip() for cell in row)]
    if table is not None:
        assert len(table) == len(data_rows)


@seed(SEED)
@SETTINGS
@given(items=st.lists(st.dictionaries(
    st.sampled_from(HEADERS) | TEXT,
    st.one_of(CELL, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
              st.lists(st.integers(), max_size=2), st.dictionaries(TEXT, st.integers(), max_size=1)),
    max_size=5), max_size=6), wrap=st.booleans())
def test_random_json_reads_one_row_per_item_or_refuses(tmp_path_factory, items, wrap):
    path = tmp_path_factory.mktemp("json") / "inventory.json"
    document = {"items": items} if wrap else items
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    table = _read(path)
    if table is not None:
        assert len(table) == len(items)


@seed(SEED)
@SETTINGS
@given(rows=st.lists(st.lists(st.one_of(CELL, st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                                        st.none()), min_size=1, max_size=4), min_size=1, max_size=6),
       extra=st.lists(st.sampled_from(HEADERS[1:]), max_size=3, unique=True))
def test_random_xlsx_reads_one_row_per_data_row_or_refuses(tmp_path_factory, rows, extra):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    headers = ["category", *extra]
    sheet.append(headers)
    clean = []
    for row in rows:
        cells = [_xlsx_safe(c) for c in row[: len(headers)]]
        sheet.append(cells)
        clean.append(cells)
    path = tmp_path_factory.mktemp("xlsx") / "inventory.xlsx"
    book.save(path)
    table = _read(path)
    data_rows = [row for row in clean if any(_filled(c) for c in row)]
    if table is not None:
        assert len(table) == len(data_rows)


def _xlsx_safe(value):
    """openpyxl refuses control characters in strings: keep the rest as generated."""
    if isinstance(value, str):
        return "".join(c for c in value if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
    return value


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
