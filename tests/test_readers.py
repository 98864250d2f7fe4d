"""Raw readers: CSV dialects and encodings, XLSX, JSON, unreadable files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from auditor.errors import InventoryError
from auditor.readers import decode, read_raw, sniff_delimiter


def test_sniff_delimiter():
    assert sniff_delimiter("Nom;Type;Fabricant") == ";"
    assert sniff_delimiter("name,category,model") == ","
    assert sniff_delimiter('"a;b",c,d') == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("category") == ","


def test_decode_utf8_bom_and_cp1252():
    assert decode("\ufeffÉcran".encode()) == "Écran"
    assert decode("Écran;Modèle".encode("cp1252")) == "Écran;Modèle"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_dialects(write, encoding, sep):
    text = f"Nom{sep}Type{sep}Poids\r\nPC-1{sep}Écran{sep}\"2,5 kg\"\r\nPC-2{sep}Portable{sep}1.5\r\n"
    path = write("inv.csv", text, encoding)
    raw = read_raw(path)[0]
    assert list(raw.frame.columns) == ["Nom", "Type", "Poids"]
    assert raw.frame["Type"].tolist() == ["Écran", "Portable"]
    assert raw.first_row == 2


def test_csv_blank_rows_keep_row_numbers(write):
    path = write("inv.csv", "category;name\nlaptop;a\n;\nlaptop;b\n")
    raw = read_raw(path)[0]
    rows = (raw.frame.index + raw.first_row).tolist()
    assert rows == [2, 4]


def test_xlsx(tmp_path):
    path = tmp_path / "inv.xlsx"
    pd.DataFrame({"Catégorie": ["serveur", "écran"], "Mémoire": ["64 Go", None]}).to_excel(path, index=False)
    raw = read_raw(path)[0]
    assert raw.frame["Catégorie"].tolist() == ["serveur", "écran"]


def test_json_list_and_object(write):
    raw = read_raw(write("a.json", json.dumps([{"category": "laptop"}, {"category": "server"}])))[0]
    assert len(raw.frame) == 2 and raw.first_row == 1
    raw = read_raw(write("b.json", json.dumps({"items": [{"category": "laptop"}]})))[0]
    assert len(raw.frame) == 1


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", "", "empty file"),
        ("blank.csv", "\n\n  \n", "empty file"),
        ("header.csv", "category,name\n", "no items"),
        ("bad.json", "{not json", "invalid JSON at line 1"),
        ("scalar.json", "[1, 2]", "row 1"),
        ("obj.json", '{"foo": 1}', "without an 'items' list"),
        ("inv.xlsx", b"not a zip file", "unreadable XLSX"),
        ("inv.xls", b"\xd0\xcf\x11\xe0", ".xls format is not supported"),
        ("inv.pdf", b"%PDF-1.4", "unsupported file type"),
        ("ragged.csv", "category,name\nlaptop,a,extra,more\n", "malformed CSV"),
    ],
)
def test_unreadable_files_name_the_file(write, name, content, words):
    path = write(name, content)
    with pytest.raises(InventoryError, match=words) as info:
        read_raw(path)
    assert name in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InventoryError, match="file not found"):
        read_raw(tmp_path / "nope.csv")


def test_title_lines_before_the_header_are_skipped(write):
    path = write("glpi.csv", "Export GLPI du 12/03/2024\n\nNom;Type;Lieu\nPC-1;Portable;Mairie\nPC-2;Écran;École\n")
    raw = read_raw(path)[0]
    assert list(raw.frame.columns) == ["Nom", "Type", "Lieu"]
    assert (raw.frame.index + raw.first_row).tolist() == [4, 5]


def test_utf16_tab_separated_file(write):
    path = write("unicode.txt", "Nom\tType\nPC-1\tÉcran\n", "utf-16")
    raw = read_raw(path)[0]
    assert raw.frame["Type"].tolist() == ["Écran"]


def test_xlsx_every_sheet(tmp_path):
    path = tmp_path / "inv.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Nom": ["a"], "Taille": ['24"']}).to_excel(writer, sheet_name="Écrans", index=False)
        pd.DataFrame({"Nom": ["b"]}).to_excel(writer, sheet_name="Portables", index=False)
    tables = read_raw(path)
    assert [t.sheet for t in tables] == ["Écrans", "Portables"]
    assert tables[0].file.endswith("inv.xlsx [Écrans]")
