"""Each part of the importer on its own: files, headers, cells, dates, categories, checks, limits."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from auditor.errors import InputError, InventoryError, QuantityError
from auditor.importer import cells, dates, files, headers, limits
from auditor.importer.categories import category_in_phrase, sheet_category
from auditor.importer.checks import check_duplicate_ids
from auditor.importer.problems import Context, show_numbers

# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "skipped", "delimiter"), [
    ("a;b\n1;2\n", 0, ";"),
    ("sep=,\na;b,c\n1;2,3\n", 1, ","),
    ("Export GLPI\nParc\n\nType;Nom;Lieu\nPC;a;b\n", 3, ";"),
    ("Type;Nom\nPC;a;;;;\nPC;b;;\n", 0, ";"),
    ("category\nlaptop\n", 0, ","),
])
def test_find_header(text, skipped, delimiter):
    assert files.find_header(text) == (skipped, delimiter)


def test_quoted_newlines_are_found_by_quote_parity():
    assert not files.quoted_newlines(b'a,b\n"24""",x\n')
    assert files.quoted_newlines(b'a,b\n"two\nlines",x\n')
    assert not files.quoted_newlines(b"a,b\n1,2\n")


@pytest.mark.parametrize(("value", "text"), [
    (None, None), ("  a ", "a"), ("", None), (3, "3"), (16.0, "16"), (2.5, "2.5"), (float("nan"), None),
    (True, "TRUE"), (datetime(2021, 3, 15), "2021-03-15"), (datetime(2021, 3, 15, 8, 30), "2021-03-15 08:30:00"),
    (date(2020, 1, 2), "2020-01-02"), (pd.NA, None), (pd.NaT, None), (np.int64(7), "7"),
])
def test_cell_text_is_what_a_spreadsheet_shows(value, text):
    assert files.cell_text(value) == text


def test_csv_cells_are_text_with_row_numbers(write):
    raw = files.read_raw(write("a.csv", "Title\n\nid;n\n001;NA\n\n;\n1e3;  x \n"))[0]
    assert raw.frame["id"].tolist() == ["001", "1e3"]
    assert raw.frame["n"].tolist() == ["NA", "x"]
    assert (raw.frame.index + raw.first_row).tolist() == [4, 7]


def test_tables_from_other_readers_are_read_as_text(library):
    from auditor.importer import parse_table

    frame = pd.DataFrame({"category": ["laptop", "monitor"], "id": [1, 2], "ram_gb": [16.0, np.nan],
                          "purchase_date": [pd.Timestamp("2021-03-15"), pd.NaT]})
    table, _ = parse_table(files.RawTable(frame, "agent.json", 1), country="FR",
                           today=date(2026, 1, 15), library=library)
    assert table["id"].tolist() == ["1", "2"] and table["ram_gb"].iloc[0] == 16.0
    assert pd.Timestamp(table["purchase_date"].iloc[0]) == pd.Timestamp("2021-03-15")


def test_check_input_path_refuses_a_folder(tmp_path):
    with pytest.raises(InventoryError, match="is a folder"):
        files.check_input_path(tmp_path)


# -- headers ------------------------------------------------------------------------------------

def test_match_header_with_unit_hint_and_glpi_section():
    assert headers.match_header("Mémoire (Mo)") == ("ram_gb", "Mo")
    assert headers.match_header("Système d'exploitation - Nom") == ("os", None)
    assert headers.match_header("Poids [furlongs]") == ("weight_kg", None)  # unusable hint dropped
    assert headers.match_header("x" * 10_000 + " (GB)") is None


def test_guess_header_by_words():
    assert headers.guess_header("Usage hours per day") == ("hours_per_day", None)
    assert headers.guess_header("Nature du matériel") == ("category", None)
    assert headers.guess_header("Remarques") is None


# -- cells --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "column", "expected"), [
    ("16 Go", "ram_gb", 16.0), ("16384 Mo", "ram_gb", 16.0), ("2,5 kg", "weight_kg", 2.5),
    ('27"', "screen_size_in", 27.0), ("1 024", "hdd_gb", 1024.0), ("n/a", "ram_gb", None), ("NA", "ram_gb", None),
])
def test_parse_cell(text, column, expected):
    from factors.units import unit_for_name

    value = cells.parse_cell(text, column, unit_for_name(column) or "dimensionless")
    assert (np.isnan(value) if expected is None else value == pytest.approx(expected))


@pytest.mark.parametrize("text", ["inf", "1e309", "16 GB**99", "8 GB^2", "1" * 101])
def test_safe_quantity_refuses_non_finite_and_expressions(text):
    with pytest.raises(QuantityError):
        cells.safe_quantity(text, "GB")


def test_quantity_in_text():
    assert cells.quantity_in_text("2 x 480 Go", "ssd_gb", "GB")[0] == 480.0
    assert cells.quantity_in_text("2 x 480 Go", "storage_gb", "GB")[0] == 960.0
    assert cells.quantity_in_text("about 12", "quantity", "dimensionless") is None


def test_parse_numbers_once_per_distinct_value_with_header_unit():
    ctx = Context("f.csv", np.arange(2, 6))
    series = pd.Series(["16384", "8192", None, "16 Go"], dtype=files.TEXT)
    values = cells.parse_numbers(series, "ram_gb", "RAM (MB)", "MB", ctx)
    assert values[[0, 1, 3]] == pytest.approx([16.0, 8.0, 16.0]) and np.isnan(values[2])


def test_hard_limits_name_the_first_bad_row():
    ctx = Context("f.csv", np.array([2, 3, 4]))
    with pytest.raises(InventoryError, match=r"row 3, column 'Load': value '101'.*and 1 more row"):
        cells.check_limits(np.array([5.0, 101.0, 200.0]), "avg_load_pct", "Load", ctx)


# -- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("15/03/2021", date(2021, 3, 15)), ("2021-03-15", date(2021, 3, 15)), ("03/2021", date(2021, 3, 15)),
    ("2019", date(2019, 7, 1)), ("44197", date(2021, 1, 1)), ("1000-01-01", date(1000, 1, 1)),
    ("31/02/2020", None), ("soon", None),
])
def test_parse_date(text, expected):
    assert dates.parse_date(text) == expected


def test_latest_dates_by_column():
    assert dates.latest("purchase_date", date(2026, 1, 15)) == date(2027, 1, 15)
    assert dates.latest("warranty_end", date(2024, 2, 29)) == date(2054, 2, 28)


def test_month_first_column_is_read_with_a_warning():
    ctx = Context("f.csv", np.array([2, 3]))
    series = pd.Series(["03/15/2021", "12/01/2020"], dtype=files.TEXT)
    values = dates.parse_dates(series, "purchase_date", "Date", date(2026, 1, 15), ctx)
    assert [pd.Timestamp(v) for v in values] == [pd.Timestamp("2021-03-15"), pd.Timestamp("2020-12-01")]
    assert all("month-first" in c for c in ctx.cells)


def test_purchase_years_are_checked():
    ctx = Context("f.csv", np.array([2, 3]))
    with pytest.raises(InventoryError, match="row 3, column 'Année'.*from 1970 to 2027"):
        dates.check_years(np.array([2020.0, 1816.0]), "Année", date(2026, 1, 15), ctx)


# -- categories ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "category"), [
    ("PC portable Dell Latitude", "laptop"), ("Écran d'affichage dynamique hall", "tv"),
    ("Serveur rack 1U", "server"), ("grille-pain", None),
])
def test_category_in_phrase_takes_the_longest_alias(text, category):
    assert category_in_phrase(text) == category


def test_sheet_category_from_plural_names():
    assert sheet_category("Écrans") == "monitor" and sheet_category("Notes") is None


# -- checks, problems, limits --------------------------------------------------------------------

def test_duplicate_ids_compare_exact_text():
    table = pd.DataFrame({"id": ["001", "1", "001"], "_file": ["a.csv"] * 3, "_row": [2, 3, 4]})
    with pytest.raises(InventoryError, match="row 4, column 'id': value '001': duplicate id"):
        check_duplicate_ids(table)
    check_duplicate_ids(table.iloc[:2])


def test_warnings_are_joined_per_row():
    ctx = Context("f.csv", np.array([2, 3, 4]))
    ctx.warn(np.array([0, 2]), "A", "first")
    ctx.warn(np.array([2]), "B", "second", np.array(["x"], dtype=object), codes=np.array([0]))
    assert ctx.cells.tolist() == ["A: first", "", "A: first; B x: second"]
    assert ctx.messages[-1] == "f.csv, row 4, column 'B': x second"


def test_show_numbers():
    assert show_numbers(np.array([16.0, 2.5, np.nan])).tolist() == ["16", "2.5", "nan"]


def test_parse_limits_and_shorten():
    assert limits.parse_limits(["file_mb=4000", "cells=5e8"]).cells == 500_000_000
    with pytest.raises(InputError, match="NAME one of"):
        limits.parse_limits(["rows=5"])
    shown = limits.shorten("a\nb" + "c" * 1000)
    assert "\n" not in shown and "(1,003 characters)" in shown and len(shown) < 110
