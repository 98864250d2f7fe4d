"""Inventories as other towns write them: headers under titles or under a merged group row,
totals rows, and the messages a new user sees for bad input.

Each expected value is counted by hand from the small file the test writes.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from auditor.errors import InventoryError
from auditor.importer import files, xlsx
from auditor.inventory import read_inventory
from tests.conftest import TODAY


def read(paths, **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("country", "FR")
    return read_inventory(paths if isinstance(paths, list) else [paths], **kw)


def workbook(path, sheets):
    """Write ``{sheet name: [rows]}`` to ``path``; a row item ``("merge", "A1:B1")`` merges."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            if isinstance(row, tuple) and row and row[0] == "merge":
                sheet.merge_cells(row[1])
            else:
                sheet.append(row)
    book.save(path)
    return path


# -- where the header is ------------------------------------------------------------------------


def test_xlsx_header_under_title_lines(tmp_path, library):
    path = workbook(tmp_path / "parc.xlsx", {"Postes": [
        ["Inventaire du parc informatique - Mairie de Trifouillis"],
        ["Export du 12/03/2025"],
        [],
        ["Nom", "Type", "Modèle", "Date d'achat", "Mémoire", "Quantité"],
        ["PC-1", "Poste fixe", "OptiPlex 3080", datetime(2020, 5, 4), "8 Go", 3],
        ["PC-2", "Portable", "Latitude 5420", datetime(2021, 1, 15), 16, 2],
    ]})
    table, _ = read(path, library=library)
    # two items, on spreadsheet rows 5 and 6 (header on row 4)
    assert table["name"].tolist() == ["PC-1", "PC-2"]
    assert table["category"].tolist() == ["desktop", "laptop"]
    assert table["_row"].tolist() == [5, 6]
    assert table["ram_gb"].tolist() == [8.0, 16.0]
    assert table["quantity"].sum() == 5


def test_xlsx_two_level_header_with_merged_group_cells(tmp_path, library):
    path = workbook(tmp_path / "parc.xlsx", {"Écrans": [
        ["Matériel", None, "Caractéristiques", None],
        ("merge", "A1:B1"), ("merge", "C1:D1"),
        ["Nom", "Type", "Taille d'écran", "Année"],
        ["E-1", "Écran", "24 pouces", 2019],
        ["E-2", "Écran", 27, 2022],
    ]})
    table, _ = read(path, library=library)
    # the header row (row 2) is not an item; the sizes are read from their column
    assert table["name"].tolist() == ["E-1", "E-2"]
    assert table["screen_size_in"].tolist() == [24.0, 27.0]
    assert table["year"].tolist() == [2019.0, 2022.0]
    assert table["_row"].tolist() == [3, 4]


def test_xlsx_sheet_named_by_category_with_a_title_line(tmp_path, library):
    path = workbook(tmp_path / "parc.xlsx", {"Écrans": [
        ["Liste des écrans au 1er janvier"],
        ["Nom", "Taille d'écran", "Année"],
        ["E-1", "24 pouces", 2019],
        ["E-2", "27", 2022],
    ]})
    table, _ = read(path, library=library)
    assert table["name"].tolist() == ["E-1", "E-2"]
    assert table["category"].tolist() == ["monitor", "monitor"]
    assert table["screen_size_in"].tolist() == [24.0, 27.0]


def test_xlsx_header_on_the_first_row_is_still_found_when_a_data_cell_reads_like_a_header(
        tmp_path, library):
    # a data cell 'Type' must not make a data row the header: the first row names columns
    path = workbook(tmp_path / "parc.xlsx", {"Écrans": [
        ["Nom", "Taille d'écran", "Année"],
        ["Type", "24", 2019],
        ["E-2", "27", 2022],
    ]})
    table, _ = read(path, library=library)
    assert table["name"].tolist() == ["Type", "E-2"]


@pytest.mark.parametrize(("text", "skipped"), [
    # group row as wide as the header (its last group has one column)
    ("Matériel;;Caractéristiques;;Commentaire\nNom;Type;Taille d'écran;Année;Commentaire\n"
     "E-1;Écran;24;2019;x\nE-2;Écran;27;2022;\n", 1),
    # the header itself names the category: kept
    ("Nom;Type;Année\nType;Écran;2019\n", 0),
])
def test_csv_header_under_a_group_row(text, skipped):
    assert files.find_header(text) == (skipped, ";")


def test_csv_two_level_header_reads_the_items(write, library):
    path = write("parc.csv", "Matériel;;Caractéristiques;;Commentaire\n"
                             "Nom;Type;Taille d'écran;Année;Commentaire\n"
                             "E-1;Écran;24;2019;x\nE-2;Écran;27;2022;\n")
    table, _ = read(path, library=library)
    assert table["category"].tolist() == ["monitor", "monitor"]
    assert table["screen_size_in"].tolist() == [24.0, 27.0]
    assert table["_row"].tolist() == [3, 4]


# -- messages ---------------------------------------------------------------------------------


def test_duplicate_id_message_names_the_other_row_not_itself(write, library):
    path = write("dup.csv", "id,category\n1,laptop\n2,desktop\n1,monitor\n")
    with pytest.raises(InventoryError) as caught:
        read(path, library=library)
    message = str(caught.value)
    assert "row 4" in message.split(":")[0] + message.split(":")[1]  # reported at row 4
    assert "also at" in message
    also = message.split("also at ", 1)[1].split(")", 1)[0]
    assert "row 2" in also and "row 4" not in also


# -- totals rows --------------------------------------------------------------------------------

TOTALS = ("Inventaire du parc;;;\n;;;\nCatégorie;Modèle;Quantité;Année\n"
          "Poste fixe;Dell OptiPlex;12;2019\nÉcran;Dell P2419H;15;2019\n"
          "Sous-total bureaux;;27;\n"
          "Portable;HP ProBook;4;2021\n\nTOTAL GÉNÉRAL :;;31;\n")


def test_totals_rows_are_not_items_and_are_named_in_a_warning(write, library):
    table, warnings = read(write("parc.csv", TOTALS), library=library)
    # 12 + 15 + 4 devices on rows 4, 5 and 7; rows 6 and 9 are totals
    assert table["category"].tolist() == ["desktop", "monitor", "laptop"]
    assert table["quantity"].sum() == 31
    assert table["_row"].tolist() == [4, 5, 7]
    totals = [w for w in warnings if "totals row" in w]
    assert len(totals) == 2
    assert "row 6" in totals[0] and "Sous-total bureaux" in totals[0]
    assert "row 9" in totals[1] and "TOTAL GÉNÉRAL" in totals[1]


def test_xlsx_totals_row_under_the_name_column(tmp_path, library):
    path = workbook(tmp_path / "parc.xlsx", {"Postes": [
        ["Nom", "Type", "Quantité"],
        ["PC-1", "Poste fixe", 3],
        ["PC-2", "Portable", 2],
        ["Total", None, 5],
    ]})
    table, warnings = read(path, library=library)
    assert table["name"].tolist() == ["PC-1", "PC-2"]
    assert table["quantity"].sum() == 5
    assert any("row 4" in w and "totals row" in w for w in warnings)


def test_an_item_named_total_is_an_item_and_an_empty_category_is_still_an_error(write, library):
    table, _ = read(write("a.csv", "Nom;Type\nTotal;Portable\nPC-2;Poste fixe\n"), library=library)
    assert table["category"].tolist() == ["laptop", "desktop"]
    with pytest.raises(InventoryError, match=r"row 3, column 'Type': empty category"):
        read(write("b.csv", "Nom;Type;Quantité\nPC-1;Portable;1\nPC-2;;1\nTotal;;2\n"), library=library)
    # 'Totalement' is not a totals word
    with pytest.raises(InventoryError, match=r"row 3, column 'Type'"):
        read(write("c.csv", "Nom;Type\nPC-1;Portable\nTotalement neuf;\n"), library=library)


def test_a_totals_row_naming_a_category_in_words_is_not_read_as_that_category(write, library):
    table, warnings = read(write("p.csv", "Type;Quantité\nPortable;3\nPortable;1\nTotal portables;4\n"),
                           library=library)
    assert table["quantity"].sum() == 4
    assert any("row 4" in w and "totals row" in w for w in warnings)


def test_a_totals_row_of_a_sheet_named_by_its_category(tmp_path, library):
    # no category column: the sheet's name gives it, and would give it to the totals row too
    path = workbook(tmp_path / "parc.xlsx", {"Écrans": [
        ["Nom", "Taille d'écran", "Quantité"],
        ["E-1", 24, 10],
        ["E-2", 27, 5],
        ["Total", None, 15],
    ]})
    table, warnings = read(path, library=library)
    assert table["quantity"].sum() == 15
    assert any("row 4" in w and "totals row" in w for w in warnings)


# -- cells as French spreadsheets write them ----------------------------------------------------


@pytest.mark.parametrize(("cell", "price"), [
    ("1 234,56 €", 1234.56), ("899,00 €", 899.0), ("€ 450", 450.0), ("1.234,56 EUR", 1234.56),
    ("650 euros", 650.0), ("650 € HT", 650.0), ("720", 720.0),
])
def test_prices_with_the_euro_sign(write, library, cell, price):
    table, _ = read(write("p.csv", f"Type;Prix d'achat\nPortable;{cell}\n"), library=library)
    assert table["price"].tolist() == pytest.approx([price])


@pytest.mark.parametrize(("cell", "words"), [
    ("650 € TTC", "excluding tax"), ("650 $", "expected a price"), ("12 kg", "expected a price"),
])
def test_prices_in_another_currency_or_with_tax_are_named(write, library, cell, words):
    with pytest.raises(InventoryError, match=r"row 2, column 'Prix d'achat'.*" + words):
        read(write("p.csv", f"Type;Prix d'achat\nPortable;{cell}\n"), library=library)


@pytest.mark.parametrize(("cell", "day"), [
    ("mars 2019", "2019-03-15"), ("1er mars 2019", "2019-03-01"), ("15 mars 2019", "2019-03-15"),
    ("Février 2020", "2020-02-15"), ("févr. 2020", "2020-02-15"), ("3 déc. 2021", "2021-12-03"),
    ("March 2019", "2019-03-15"), ("1 March 2019", "2019-03-01"), ("Sept 2018", "2018-09-15"),
    ("juillet 2022", "2022-07-15"), ("AOÛT 2017", "2017-08-15"),
])
def test_dates_with_month_names(write, library, cell, day):
    table, _ = read(write("d.csv", f"Type;Date d'achat\nPortable;{cell}\n"), library=library)
    assert str(table["purchase_date"].iloc[0])[:10] == day


def test_an_impossible_date_with_a_month_name_is_an_error(write, library):
    with pytest.raises(InventoryError, match=r"row 2, column 'Date d'achat': value '31 février 2020'"):
        read(write("d.csv", "Type;Date d'achat\nPortable;31 février 2020\n"), library=library)


# -- what the other commands say --------------------------------------------------------------


def test_recommendations_count_devices_not_rows(write, capsys):
    import json

    from auditor.cli import main

    # 3 rows standing for 12 + 5 + 1 = 18 devices, all young: their lifetimes can be extended
    path = write("parc.csv", "Nom;Type;Quantité;Date d'achat\nA;Portable;12;01/09/2024\n"
                             "B;Poste fixe;5;01/09/2024\nC;Écran;1;01/09/2024\n")
    code = main(["recommend", str(path), "--country", "FR", "--date", "2026-01-15", "--format",
                 "json", "-q"])
    actions = json.loads(capsys.readouterr().out)
    assert code == 0
    extend = next(a for a in actions if a["action"] == "extend-lifetimes")
    assert extend["devices"] == 18 and extend["item_count"] == 3
    assert extend["explanation"].startswith("18 devices")


# -- GLPI exports: sizes in MB without a unit, one line per component ---------------------------


@pytest.mark.parametrize(("category", "cell", "ram"), [
    ("Poste fixe", "4096", 4.0), ("Poste fixe", "2048", 2.0), ("Portable", "8192", 8.0),
    ("Portable", "1024", 1.0), ("Poste fixe", "16", 16.0), ("Serveur", "256", 256.0),
    ("Serveur", "32768", 32.0),
])
def test_bare_ram_sizes_too_large_for_gb_on_the_device_are_mb(write, library, category, cell, ram):
    # 4096 GB of RAM in an office PC is impossible; 4096 MB is what GLPI writes for 4 GB
    table, warnings = read(write("r.csv", f"Type;Mémoire\n{category};{cell}\n"), library=library)
    assert table["ram_gb"].tolist() == [ram]
    assert any("read as MB" in w for w in warnings) == (ram != float(cell))


@pytest.mark.parametrize(("category", "cell", "size"), [
    ("Poste fixe", "256060", 256.06), ("Portable", "1000204", 1000.204), ("Poste fixe", "512", 512.0),
    ("Serveur", "1920", 1920.0), ("Serveur", "2400000", 2400.0),
])
def test_bare_drive_sizes_too_large_for_gb_on_the_device_are_mb(write, library, category, cell, size):
    # GLPI and the agents give drive sizes in (decimal) MB: 256060 MB is a 256 GB SSD
    table, warnings = read(write("d.csv", f"Type;Disque dur\n{category};{cell}\n"), library=library)
    assert table["storage_gb"].tolist() == pytest.approx([size])
    assert any("read as MB" in w for w in warnings) == (size != float(cell))


def test_glpi_component_lists_one_per_line_are_summed(write, library):
    text = ('Nom;Type;Composants - Mémoire;Composants - Disque dur\r\n'
            'PC-1;Desktop;"4096\n4096";"256060"\r\n'
            'PC-2;Laptop;8192;"512110\n1000204"\r\n'
            'PC-3;Laptop;"8 Go\n8 Go";\r\n')
    table, warnings = read(write("glpi.csv", text), library=library)
    assert table["ram_gb"].tolist() == [8.0, 8.0, 16.0]  # 2 x 4096 MB; 8192 MB; 2 x 8 GB
    assert table["storage_gb"].tolist()[:2] == pytest.approx([256.06, 1512.314])
    assert table["_row"].tolist() == [2, 3, 4]  # a quoted line break does not start a row
    assert any("row 2" in w and "sum of its 2 lines" in w for w in warnings)


def test_the_same_file_given_twice_is_named(write, tmp_path, library):
    path = write("parc.csv", "Nom;Type\nA;Portable\n")
    (tmp_path / "lien.csv").symlink_to(path)
    for second in (path, tmp_path / "lien.csv", tmp_path / "." / "parc.csv"):
        with pytest.raises(InventoryError, match="given more than once"):
            read([path, second], library=library)


def test_the_same_file_given_twice_in_a_chunked_run_is_named(write, tmp_path):
    from auditor.chunked import assess_in_chunks

    path = write("parc.csv", "Nom;Type\nA;Portable\n")
    with pytest.raises(InventoryError, match="given more than once"):
        assess_in_chunks([path, path], chunk_rows=10, country="FR", today=TODAY)


# -- several headers for one column -------------------------------------------------------------


def test_json_items_naming_their_category_with_different_keys(write, library):
    import json

    items = [{"id": "a1", "category": "laptop"}, {"id": "a2", "type": "serveur", "ram_gb": 256},
             {"id": "a3", "Catégorie": "Écran", "screen_size_in": "27\""}]
    table, _ = read(write("inv.json", json.dumps({"items": items})), library=library)
    assert table["category"].tolist() == ["laptop", "server", "monitor"]


def test_two_headers_of_one_column_each_row_reads_the_first_filled(write, library):
    text = "Nom;Mémoire;RAM;Type\nA;;8 Go;Portable\nB;16 Go;4 Go;Portable\nC;;;Portable\n"
    table, warnings = read(write("r.csv", text), library=library)
    assert table["ram_gb"].tolist()[:2] == [8.0, 16.0]
    assert np.isnan(table["ram_gb"].iloc[2])
    assert any("'Mémoire'" in w and "'RAM'" in w and "ram_gb" in w for w in warnings)


def test_two_category_headers_each_row_takes_the_first_that_names_a_category(write, library):
    text = "Nom;Catégorie;Type\nA;Informatique;Portable\nB;Écran;Moniteur\n"
    table, _ = read(write("c.csv", text), library=library)
    assert table["category"].tolist() == ["laptop", "monitor"]


# -- sheets that hold no items ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "state"), [("Listes", "hidden"), ("Feuil3", "veryHidden"),
                                             ("Listes", "visible"), ("Paramètres", "visible")])
def test_drop_down_list_sheets_are_not_items(tmp_path, library, name, state):
    # a sheet of drop-down lists (a 'Type' column of category words) is not a list of devices
    book = openpyxl.Workbook()
    parc = book.active
    parc.title = "Parc"
    for row in (["Nom", "Type"], ["A", "Portable"], ["B", "Poste fixe"]):
        parc.append(row)
    lists = book.create_sheet(name)
    for row in (["Type", "Statut"], ["Poste fixe", "En service"], ["Serveur", "En stock"]):
        lists.append(row)
    lists.sheet_state = state
    book.save(tmp_path / "parc.xlsx")
    table, warnings = read(tmp_path / "parc.xlsx", library=library)
    assert table["name"].tolist() == ["A", "B"]
    assert any(f"[{name}]" in w and "skipped" in w for w in warnings)


def test_an_unreadable_file_stops_with_one_line(write, monkeypatch, capsys):
    import builtins
    import errno

    from auditor.cli import main

    path = write("parc.csv", "Nom;Type\nA;Portable\n")
    real_open = builtins.open

    def denied(file, *args, **kwargs):  # what open() does on a file without read permission
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    code = main(["assess", str(path), "--country", "FR", "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [f"error: {path}: cannot read file (Permission denied)"]


@pytest.mark.parametrize(("name", "words"), [
    ("parc.ods", "save it as .xlsx or CSV"),
    ("parc.csv", "a workbook (XLSX or ODS), not a CSV"),
])
def test_a_libreoffice_workbook_or_a_renamed_workbook_is_named(tmp_path, library, name, words):
    book = openpyxl.Workbook()
    book.active.append(["Type"])
    book.active.append(["Portable"])
    book.save(tmp_path / name)
    with pytest.raises(InventoryError, match=re.escape(words)):
        read(tmp_path / name, library=library)


@pytest.mark.parametrize("cell", ["0000-00-00", "00/00/0000", "0000-00-00 00:00:00"])
def test_the_zero_date_of_database_exports_is_unknown(write, library, cell):
    # GLPI (MySQL) writes 0000-00-00 for a date never entered: unknown, not an impossible date
    table, _ = read(write("d.csv", f"Type;Date d'achat\nPortable;{cell}\nPortable;15/03/2021\n"),
                    library=library)
    assert pd.isna(table["purchase_date"].iloc[0])
    assert str(table["purchase_date"].iloc[1])[:10] == "2021-03-15"


@pytest.mark.parametrize(("cell", "day"), [
    ("2019-03-01T10:00:00Z", "2019-03-01"), ("2019-03-01T23:30:00+01:00", "2019-03-01"),
    ("2019-03-01T10:00:00.000Z", "2019-03-01"), ("2019-03-01 10:00:00.123", "2019-03-01"),
])
def test_iso_timestamps_of_api_exports(write, library, cell, day):
    # the date as written (its local day), whatever the time zone
    table, _ = read(write("d.csv", f"Type;Date d'achat\nPortable;{cell}\n"), library=library)
    assert str(table["purchase_date"].iloc[0])[:10] == day


def test_device_counts_in_recommendations_have_thousands_separators():
    from auditor.recommend import _devices

    quantity = np.array([1200.0, 300.0, 2.5])
    assert _devices(quantity, np.array([0, 1]), "en") == "1,500"
    assert _devices(quantity, np.array([0, 1]), "fr") == "1\u00a0500"
    assert _devices(quantity, np.array([2]), "fr") == "2,5"
    assert _devices(quantity, np.array([], dtype=int), "en") == ""


def test_an_empty_json_list_is_named_as_such(write, library):
    with pytest.raises(InventoryError, match=r"inv\.json: no items found \(an empty list\)"):
        read(write("inv.json", '{"items": []}'), library=library)


# -- end to end: a town's messy workbook through the commands a new user runs -------------------


def test_a_messy_town_workbook_through_assess_report_and_export(tmp_path, capsys):
    from auditor.cli import main

    book = openpyxl.Workbook()
    parc = book.active
    parc.title = "Parc"
    for row in (
        ["Inventaire informatique - Mairie de Trifouillis"], [],
        ["Matériel", None, None, "Caractéristiques", None, "Achat", None],
        ["Nom", "Type", "Quantité", "Mémoire", "Taille d'écran", "Date d'achat", "Prix d'achat"],
        ["PC-1", "Poste fixe", 12, 4096, None, "mars 2021", "650 € HT"],
        ["PC-2", "Portable", 8, "8 Go", None, "0000-00-00", "1 234,56 €"],
        ["EC-1", "Écran", 20, None, "24 pouces", datetime(2022, 9, 1), None],
        ["Total", None, 40, None, None, None, None],
    ):
        parc.append(row)
    parc.merge_cells("A3:C3")
    parc.merge_cells("D3:E3")
    parc.merge_cells("F3:G3")
    lists = book.create_sheet("Listes")
    for row in (["Type"], ["Poste fixe"], ["Serveur"]):
        lists.append(row)
    lists.sheet_state = "hidden"
    source = tmp_path / "parc.xlsx"
    book.save(source)
    results = tmp_path / "resultats.csv"

    code = main(["assess", str(source), "--country", "FR", "--date", "2026-01-15", "-o", str(results)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Assessed 3 inventory rows (40 devices)" in out  # 12 + 8 + 20; the totals row is not one
    assert "row 8: totals row skipped" in err and "[Listes]: sheet skipped" in err
    frame = pd.read_csv(results)
    assert frame["name"].tolist() == ["PC-1", "PC-2", "EC-1"]
    assert frame["quantity"].sum() == 40

    report = tmp_path / "rapport.html"
    assert main(["report", str(source), "--country", "FR", "--date", "2026-01-15", "--lang", "fr",
                 "-q", "-o", str(report)]) == 0
    assert report.stat().st_size > 0
    assert main(["export", str(results), "--format", "opendata", "-o", str(tmp_path / "od")]) == 0
    assert (tmp_path / "od" / "datapackage.json").exists()


def test_reading_a_workbook_reports_its_rows_as_it_goes(tmp_path, monkeypatch, library):
    # a 100,000-row workbook takes about 17 s to read: the user sees the rows go by
    monkeypatch.setattr(xlsx, "PROGRESS_ROWS", 3)
    path = workbook(tmp_path / "parc.xlsx", {"Parc": [["Nom", "Type"],
                                                      *[[f"PC-{i}", "Portable"] for i in range(7)]]})
    steps = []
    read(path, library=library, progress=lambda text, done=None, total=None: steps.append(text))
    rows = [s for s in steps if s.startswith("reading") and s.endswith("rows")]
    assert rows == [f"reading {path} [Parc]: 3 rows", f"reading {path} [Parc]: 6 rows"]


def test_old_mac_line_endings(write, library):
    # Excel for Mac's "CSV (Macintosh)" ends lines with a carriage return only
    table, _ = read(write("mac.csv", "Nom;Type\rA;Portable\rB;Écran\r", "cp1252"), library=library)
    assert table["category"].tolist() == ["laptop", "monitor"]
    assert table["_row"].tolist() == [2, 3]


def test_a_file_of_totals_rows_only_has_no_items(write, library):
    with pytest.raises(InventoryError, match="no items found"):
        read(write("t.csv", "Nom;Type;Quantité\nTotal;;0\n"), library=library)


@pytest.mark.parametrize("chunked", [False, True])
def test_a_duplicate_id_names_the_id_column_as_written(write, tmp_path, chunked):
    from auditor.chunked import assess_in_chunks

    path = write("parc.csv", "Numéro d'inventaire;Type\nINV-1;Portable\nINV-2;Écran\nINV-1;Portable\n")
    with pytest.raises(InventoryError) as caught:
        if chunked:
            assess_in_chunks([path], chunk_rows=2, country="FR", today=TODAY)
        else:
            read(path)
    assert f"{path}, row 4, column 'Numéro d'inventaire': value 'INV-1': duplicate id (also at row 2)" \
        in str(caught.value)


@pytest.mark.parametrize(("header", "cell"), [("Visites mensuelles", "-120"), ("Éléments DOM", "-3"),
                                               ("RAM", "-8")])
def test_a_negative_number_is_named_as_such_whatever_the_column(tmp_path, library, header, cell):
    # the message said "negative monthly" / "negative dom" (the first word of the column key)
    path = tmp_path / "parc.csv"
    path.write_text(f"Nom;Type;{header}\nA;Site web;10\nB;Site web;{cell}\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        read([path], library=library)
    message = str(caught.value)
    assert "row 3" in message and header in message and cell in message
    assert "a negative value; expected" in message


def test_a_fractional_quantity_is_assessed_with_a_warning(tmp_path, library):
    path = tmp_path / "parc.csv"
    path.write_text("Nom;Type;Quantité\nA;Portable;2\nB;Portable;2,5\n", encoding="utf-8")
    table, warnings = read([path], library=library)
    assert table["quantity"].tolist() == [2.0, 2.5]  # kept as written, never rounded
    assert [w for w in warnings if "whole number" in w and "row 3" in w and "2.5" in w]
    assert not [w for w in warnings if "whole number" in w and "row 2" in w]
