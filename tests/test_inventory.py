"""Inventory import: headers in French and English, units in cells, dates, categories, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditor.errors import InventoryError, UnknownCountryError
from auditor.inventory import map_headers, read_inventory
from tests.conftest import TODAY


def read(paths, **kw):
    kw.setdefault("today", TODAY)
    return read_inventory(paths if isinstance(paths, list) else [paths], **kw)


FRENCH_CP1252 = (
    "Nom;Type;Fabricant;Modèle;Numéro de série;Lieu;Service;Date d'achat;Quantité;Mémoire;"
    "Processeur;Système d'exploitation;Taille d'écran;Poids;Pays;Durée de vie\r\n"
    "HDV-PC-001;Unité centrale;Dell;OptiPlex 7090;SN1;Hôtel de ville;État civil;15/03/2021;1;16 Go;"
    "Intel Core i5-10500;Windows 10 Pro;;7,5 kg;France;6\r\n"
    "HDV-EC-001;Écran;iiyama;ProLite;SN2;Hôtel de ville;État civil;15/03/2021;2;;;;27 pouces;"
    "4,2;FR;8\r\n"
    "ECO-TAB-01;Tablette;Apple;iPad 9;SN3;École Jaurès;Éducation;2022-09-01;15;3 Go;;iPadOS;10,2\";"
    "0,49 kg;;\r\n"
)


def test_cp1252_semicolon_decimal_comma_french_headers(write, library):
    path = write("inventaire.csv", FRENCH_CP1252, "cp1252")
    table, warnings = read(path, country="FR", library=library)
    assert table["category"].tolist() == ["desktop", "monitor", "tablet"]
    assert table["ram_gb"].tolist()[0] == 16.0
    assert table["ram_gb"].tolist()[2] == 3.0
    assert table["weight_kg"].tolist() == [7.5, 4.2, 0.49]
    assert table["screen_size_in"].tolist()[1:] == [27.0, 10.2]
    assert table["quantity"].tolist() == [1.0, 2.0, 15.0]
    assert table["site"].tolist()[0] == "Hôtel de ville"
    assert table["department"].tolist()[0] == "État civil"
    assert table["country"].tolist() == ["FR", "FR", "FR"]
    assert table["lifetime_years"].tolist()[:2] == [6.0, 8.0]
    assert pd.Timestamp(table["purchase_date"].iloc[0]) == pd.Timestamp("2021-03-15")
    assert pd.Timestamp(table["purchase_date"].iloc[2]) == pd.Timestamp("2022-09-01")
    assert table["year"].tolist() == [2021.0, 2021.0, 2022.0]
    assert table["serial_number"].tolist() == ["SN1", "SN2", "SN3"]
    assert table["os"].tolist()[0] == "Windows 10 Pro"
    assert warnings == []


def test_same_inventory_in_utf8_bom_comma_xlsx_and_json_reads_the_same(write, tmp_path, library):
    first, _ = read(write("a.csv", FRENCH_CP1252, "cp1252"), country="FR", library=library)
    bom = write("b.csv", FRENCH_CP1252, "utf-8-sig")
    second, _ = read(bom, country="FR", library=library)
    raw = pd.read_csv(bom, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    raw.to_excel(tmp_path / "c.xlsx", index=False)
    third, _ = read(tmp_path / "c.xlsx", country="FR", library=library)
    raw.to_json(tmp_path / "d.json", orient="records", force_ascii=False)
    fourth, _ = read(tmp_path / "d.json", country="FR", library=library)
    comma = raw.to_csv(index=False, sep=",")
    fifth, _ = read(write("e.csv", comma), country="FR", library=library)
    columns = ["category", "ram_gb", "weight_kg", "screen_size_in", "quantity", "year"]
    for other in (second, third, fourth, fifth):
        pd.testing.assert_frame_equal(first[columns], other[columns])


def test_several_files_at_once(write, library):
    a = write("a.csv", "category,name\nlaptop,x\n")
    b = write("b.csv", "Type;Nom\nserveur;y\n")
    table, _ = read([a, b], country="FR", library=library)
    assert table["category"].tolist() == ["laptop", "server"]
    assert table["id"].tolist() == ["a-2", "b-2"]


def test_english_aliases_and_header_units(write, library):
    path = write("en.csv", "Asset type,Memory (MB),Weight [g],Country code,Purchase Date\n"
                           "Laptop,16384,1400,DEU,2023-05-02\n")
    table, _ = read(path, library=library)
    assert table["category"].iloc[0] == "laptop"
    assert table["ram_gb"].iloc[0] == pytest.approx(16.0)
    assert table["weight_kg"].iloc[0] == pytest.approx(1.4)
    assert table["country"].iloc[0] == "DE"


def test_glpi_section_headers(library):
    mapping = map_headers(["Système d'exploitation - Nom", "Composants - Processeur",
                           "Informations financières et administratives - Date d'achat",
                           "Type d'élément", "Statut"], "f.csv")
    assert {c for c, _ in mapping.values()} == {"os", "cpu_model", "purchase_date", "item_type", "status"}


def test_item_type_used_when_type_is_not_a_category(write, library):
    path = write("glpi.csv", "Type d'élément;Type;Nom\nMoniteur;Dalle IPS;a\nOrdinateur;Portable;b\n")
    table, _ = read(path, country="FR", library=library)
    assert table["category"].tolist() == ["monitor", "laptop"]


@pytest.mark.parametrize(
    ("word", "category"),
    [("Poste fixe", "desktop"), ("ordinateur de bureau", "desktop"), ("UNITÉ CENTRALE", "desktop"),
     ("portable", "laptop"), ("écran", "monitor"), ("Moniteur", "monitor"), ("serveur", "server"),
     ("imprimante", "printer"), ("multifonction", "mfp"), ("Copieur", "mfp"),
     ("commutateur", "network_switch"), ("switch", "network_switch"), ("routeur", "router"),
     ("borne Wi-Fi", "wifi_ap"), ("point d'accès", "wifi_ap"), ("pare-feu", "firewall"),
     ("NAS", "storage"), ("baie de stockage", "storage"), ("téléphone IP", "ip_phone"),
     ("smartphone", "smartphone"), ("téléphone mobile", "smartphone"), ("tablette", "tablet"),
     ("vidéoprojecteur", "projector"), ("client léger", "thin_client"), ("téléviseur", "tv"),
     ("écran d'affichage", "tv"), ("onduleur", "ups")],
)
def test_french_category_words(write, library, word, category):
    table, _ = read(write("c.csv", f"Catégorie\n{word}\n"), country="FR", library=library)
    assert table["category"].iloc[0] == category


def test_id_generated_and_defaults(write, library):
    table, _ = read(write("town.csv", "category\nlaptop\nmonitor\n"), country="fr", library=library)
    assert table["id"].tolist() == ["town-2", "town-3"]
    assert table["quantity"].tolist() == [1.0, 1.0]
    assert table["country"].tolist() == ["FR", "FR"]


@pytest.mark.parametrize(
    ("content", "row", "column", "words"),
    [
        ("category,ram_gb\nlaptop,16\nlaptop,16 W\n", 3, "ram_gb", "not a data size"),
        ("category,quantity\nlaptop,-2\n", 2, "quantity", "a negative value"),
        ("category,name\nlaptop,a\ntoaster,b\n", 3, "category", "unknown category"),
        ("category,country\nlaptop,FR\nlaptop,Atlantis\n", 3, "country", "unknown country"),
        ("category,purchase_date\nlaptop,31/02/2020\n", 2, "purchase_date", "impossible or unreadable date"),
        ("category,purchase_date\nlaptop,2020-13-01\n", 2, "purchase_date", "impossible or unreadable date"),
        ("category,id\nlaptop,A\nlaptop,B\nmonitor,A\n", 4, "id", "duplicate id"),
        ("category,avg_load_pct\nserver,150\n", 2, "avg_load_pct", "between 0 and 100"),
        ("category,hours_per_day\nlaptop,25\n", 2, "hours_per_day", "between 0 and 24"),
        ("category,weight\nlaptop,heavy\n", 2, "weight", "expected a number"),
        ("category,name\n,a\n", 2, "category", "empty category"),
    ],
)
def test_bad_cells_name_file_row_column_value(write, library, content, row, column, words):
    path = write("bad.csv", content)
    with pytest.raises(InventoryError) as info:
        read(path, country="FR", library=library)
    message = str(info.value)
    assert "bad.csv" in message and f"row {row}" in message and f"column '{column}'" in message
    assert words in message
    assert "\n" not in message


def test_missing_category_column(write, library):
    with pytest.raises(InventoryError, match="no category column"):
        read(write("x.csv", "name,model\na,b\n"), country="FR", library=library)


def test_unknown_country_option(write, library):
    with pytest.raises(UnknownCountryError, match="Atlantis"):
        read(write("x.csv", "category\nlaptop\n"), country="Atlantis", library=library)


def test_no_country_at_all(write, library):
    with pytest.raises(InventoryError, match="--country"):
        read(write("x.csv", "category\nlaptop\n"), library=library)


def test_error_counts_other_bad_rows(write, library):
    path = write("x.csv", "category,quantity\nlaptop,-1\nlaptop,-2\nlaptop,-3\n")
    with pytest.raises(InventoryError, match="and 2 more rows"):
        read(path, country="FR", library=library)


def test_implausible_values_are_warnings(write, library):
    path = write("w.csv", "category,power_w,purchase_date\nlaptop,5000,2020-01-01\nlaptop,30,2026-06-01\n")
    table, warnings = read(path, country="FR", library=library)
    assert "implausible" in table["warnings"].iloc[0]
    assert "future" in table["warnings"].iloc[1]
    assert any("row 2" in w and "5000" in w for w in warnings)
    assert any("row 3" in w and "future" in w for w in warnings)


def test_ram_in_mb_without_unit_is_read_as_mb_with_warning(write, library):
    table, warnings = read(write("m.csv", "category,Mémoire\ndesktop,8192\n"), country="FR", library=library)
    assert table["ram_gb"].iloc[0] == pytest.approx(8.0)
    assert any("MB" in w for w in warnings)


def test_excel_serial_dates_and_years(write, library):
    table, _ = read(write("d.csv", "category,purchase_date\nlaptop,44197\nlaptop,2019\n"),
                    country="FR", library=library)
    assert pd.Timestamp(table["purchase_date"].iloc[0]) == pd.Timestamp("2021-01-01")
    assert table["year"].tolist() == [2021.0, 2019.0]
    assert np.isfinite(table["year"]).all()


def test_workbook_sheet_names_give_the_category(tmp_path, library):
    path = tmp_path / "parc.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Nom": ["a", "b"], "Taille d'écran": ['24"', "27"]}).to_excel(writer, sheet_name="Écrans", index=False)
        pd.DataFrame({"Nom": ["c"], "Type": ["Serveur"]}).to_excel(writer, sheet_name="Matériel divers", index=False)
        pd.DataFrame({"Remarque": ["ne pas importer"]}).to_excel(writer, sheet_name="Notes", index=False)
    table, warnings = read(path, country="FR", library=library)
    assert table["category"].tolist() == ["monitor", "monitor", "server"]
    assert table["screen_size_in"].tolist()[:2] == [24.0, 27.0]
    assert any("Notes" in w and "skipped" in w for w in warnings)
    assert table["_file"].iloc[0].endswith("[Écrans]")


def test_us_month_first_dates_are_read_with_a_warning(write, library):
    path = write("us.csv", "category,purchase_date\nlaptop,03/15/2021\nlaptop,12/01/2020\n")
    table, warnings = read(path, country="US", library=library)
    assert [pd.Timestamp(d) for d in table["purchase_date"]] == [pd.Timestamp("2021-03-15"), pd.Timestamp("2020-12-01")]
    assert any("month-first" in w for w in warnings)


def test_day_first_is_the_default_for_ambiguous_dates(write, library):
    table, warnings = read(write("fr.csv", "category,purchase_date\nlaptop,03/04/2021\n"), country="FR", library=library)
    assert pd.Timestamp(table["purchase_date"].iloc[0]) == pd.Timestamp("2021-04-03")
    assert warnings == []


def test_quantity_with_unit_words(write, library):
    table, _ = read(write("q.csv", "Type;Quantité\nÉcran;3 u\nPortable;2 pcs\n"), country="FR", library=library)
    assert table["quantity"].tolist() == [3.0, 2.0]


@pytest.mark.parametrize(
    ("word", "category"),
    [("PC portable Dell Latitude", "laptop"), ("Écran 24 pouces", "monitor"), ("Serveur rack 1U", "server"),
     ("Écran d'affichage dynamique hall", "tv"), ("Copieur couleur A3", "mfp")],
)
def test_category_found_in_longer_phrases_with_warning(write, library, word, category):
    table, warnings = read(write("p.csv", f"Type\n{word}\n"), country="FR", library=library)
    assert table["category"].iloc[0] == category
    assert any("category read from the words" in w for w in warnings)


def test_tpm_version_column(write, library):
    table, _ = read(write("t.csv", "Type;Version TPM\nPoste fixe;2.0\nPoste fixe;1,2\n"), country="FR", library=library)
    assert table["tpm_version"].tolist() == [2.0, 1.2]


@pytest.mark.parametrize(
    ("header", "cell", "column", "expected"),
    [("Mémoire", "8 Go DDR4", "ram_gb", 8.0), ("Stockage", "SSD 256 Go", "storage_gb", 256.0),
     ("Capacité SSD", "2 x 480 Go", "ssd_gb", 480.0), ("Stockage", "2 x 480 Go", "storage_gb", 960.0),
     ("Poids", "environ 2,5 kg", "weight_kg", 2.5)],
)
def test_quantities_inside_longer_texts_are_read_with_a_warning(write, library, header, cell, column, expected):
    table, warnings = read(write("t.csv", f"Type;{header}\nPoste fixe;{cell}\n"), country="FR", library=library)
    assert table[column].iloc[0] == pytest.approx(expected)
    assert any("read as" in w for w in warnings)


def test_text_without_a_quantity_of_the_right_dimension_is_still_an_error(write, library):
    with pytest.raises(InventoryError, match="Mémoire"):
        read(write("t.csv", "Type;Mémoire\nPoste fixe;beaucoup\n"), country="FR", library=library)
    with pytest.raises(InventoryError, match="Mémoire"):
        read(write("t.csv", "Type;Mémoire\nPoste fixe;16 W\n"), country="FR", library=library)


def test_headers_recognised_by_their_words_are_announced(write, library):
    path = write("w.csv", "Nature du matériel;Total RAM;Usage hours per day;Monitor size\nPortable;16 GB;10;\nÉcran;;;27\n")
    table, warnings = read(path, country="FR", library=library)
    assert table["category"].tolist() == ["laptop", "monitor"]
    assert table["ram_gb"].iloc[0] == 16.0 and table["hours_per_day"].iloc[0] == 10.0
    assert table["screen_size_in"].iloc[1] == 27.0
    assert any("'Usage hours per day' read as hours_per_day" in w for w in warnings)


def test_a_guessed_column_that_does_not_parse_is_dropped_not_fatal(write, library):
    path = write("g.csv", "Type;Garantie (mois)\nPortable;36\n")
    table, warnings = read(path, country="FR", library=library)
    assert table["category"].tolist() == ["laptop"]
    assert table["warranty_end"].isna().all()
    assert any("'Garantie (mois)' ignored" in w for w in warnings)
