"""Property (issue 13): the importer's column-at-a-time path gives the table a row-by-row reading
gives, on a large generated inventory in the style of the 1M-row benchmark (French text, category
phrases, day-first purchase dates, month-first warranty ends, RAM in GB, in MB with and without a
unit, numbers with units, spaces around cells, empty cells, quoted cells and line breaks).

The fast path reads the CSV with Arrow in many blocks (the block size is made small here), parses
each distinct cell once and maps the results back to rows through integer codes. The reference
below walks the rows one by one with the importer's per-cell functions (``parse_cell``,
``quantity_in_text``, ``parse_date``, the category aliases and phrases, ``resolve_country``) and
the documented column rules (a header's unit, RAM above 4096 GB read as MB, a date column read
month-first only when some date is impossible day-first). Per-cell results are memoised: they are
pure functions of the cell's text.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pytest

from auditor.errors import QuantityError
from auditor.importer import files
from auditor.importer.categories import category_in_phrase
from auditor.importer.cells import (
    _PLAIN,
    _VOLT_AMPERE,
    has_unit,
    parse_cell,
    quantity_in_text,
    safe_quantity,
)
from auditor.importer.dates import parse_date
from auditor.importer.headers import category_aliases
from auditor.importer.limits import shorten
from auditor.importer.problems import show_numbers
from auditor.inventory import read_inventory
from factors.tables import _fold
from factors.units import unit_for_name
from tests.conftest import TODAY

ROWS = 12_000

_TYPES = ["Poste fixe", "Unité centrale", "Portable", "laptop", "Écran", "Moniteur", "Serveur",
          "Tablette", "Smartphone", "Imprimante", "Copieur", "Switch", "Borne Wi-Fi",
          "PC portable Dell Latitude 5420", "Écran 24 pouces iiyama", "Poste fixe HP EliteDesk 800 G6",
          "Moniteur Dell P2422H salle du conseil", "Ordinateur portable Lenovo ThinkPad T14"]
_RAM = ["8 Go", "16 Go", "32 Go", "8", "16", "16384 Mo", "8192", "4096 MB", "2 x 8 Go", "n/a", ""]
_SCREEN = ['24"', "27 pouces", "21,5", "23.8", "15,6 pouces", ""]
_POWER = ["120", "45", "", "", "350 VA"]


#: Headers of the generated inventory -> (canonical column, unit hint of the header).
NUMBERS = {"Quantité": ("quantity", None), "Mémoire": ("ram_gb", None),
           "Taille d'écran": ("screen_size_in", None), "Nombre de processeurs": ("cpu_count", None),
           "Charge moyenne (%)": ("avg_load_pct", "%"), "Heures par jour": ("hours_per_day", None),
           "Puissance (W)": ("power_w", "W")}
DATES = {"Date d'achat": "purchase_date", "Fin de garantie": "warranty_end"}
TEXTS = {"Nom": "name", "Fabricant": "manufacturer", "Service": "department", "Lieu": "site"}


def generated_inventory(rows: int, seed: int) -> str:
    """A semicolon CSV in the benchmark's style, with spaces around some cells."""
    rng = np.random.default_rng(seed)

    def pick(values, size=rows):
        return rng.choice(np.array(values, dtype=object), size=size)

    def padded(cells):
        pad = rng.choice(np.array(["", "", "", " ", "  ", "\t"], dtype=object), size=(2, len(cells)))
        return [f"{a}{c}{b}" if c else c for a, c, b in zip(pad[0], cells, pad[1], strict=True)]

    days, months = rng.integers(1, 29, size=rows), rng.integers(1, 13, size=rows)
    years = rng.integers(2012, 2026, size=rows)
    types = pick(_TYPES)
    server = np.array([t == "Serveur" for t in types])
    columns = {
        "Nom": [f"ASSET-{i:06d}" for i in range(rows)],
        "Type": padded(list(types)),
        "Fabricant": padded(list(pick(["Dell", "HP", "Lenovo", "Apple", "Samsung", ""]))),
        "Service": list(pick(["DSI", "Éducation", "Culture", "Finances", "État civil; accueil"])),
        "Lieu": list(pick(["Hôtel de ville", "École A", "Médiathèque", 'Salle "B"', "Annexe\nétage 2", ""])),
        "Date d'achat": [f"{d:02d}/{m:02d}/{y}" if k % 17 else "" for k, (d, m, y)
                         in enumerate(zip(days, months, years, strict=True))],
        "Quantité": list(pick(["1", "1", "1", "2", "5", "", " 3 ", "0"])),
        "Mémoire": padded(list(pick(_RAM))),
        "Taille d'écran": list(pick(_SCREEN)),
        "Nombre de processeurs": ["2" if s else "" for s in server],
        "Charge moyenne (%)": [str(v) if s else "" for s, v in zip(server, rng.integers(5, 60, rows),
                                                                   strict=True)],
        "Heures par jour": ["24" if s else "" for s in server],
        "Puissance (W)": list(pick(_POWER)),
        "Pays": list(pick(["France", "FR", "", "", "Belgique"])),
        "Fin de garantie": [f"{m:02d}/{d:02d}/{y + 5}" for d, m, y in zip(days, months, years, strict=True)],
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*columns.values(), strict=True))
    return out.getvalue()


# -- the row-by-row reference ---------------------------------------------------------------------


@cache
def _number(cell: str, column: str, hint: str | None) -> tuple[float, str | None]:
    """One cell of a numeric column: (value, note), as docs/inventory.md describes it."""
    unit = unit_for_name(column) or "dimensionless"
    scale = safe_quantity(f"1 {hint}", unit) if hint else 1.0
    if _PLAIN.fullmatch(cell):
        return float(cell) * scale, None
    try:
        value = parse_cell(cell, column, unit) * (1.0 if has_unit(cell) else scale)
    except QuantityError:
        found = quantity_in_text(cell, column, unit)
        assert found is not None, cell
        return found
    note = "VA (apparent power) taken as W: an upper bound of the real power" \
        if unit == "W" and _VOLT_AMPERE.search(cell) else None
    return value, note


@cache
def _category(cell: str) -> tuple[str, str | None]:
    found = category_aliases().get(_fold(cell[:1000]))
    if found is not None:
        return found, None
    found = category_in_phrase(cell)
    assert found is not None, cell
    return found, f"Type {shorten(f'{shorten(cell)} -> {found}')}: category read from the words it contains"


def reference(text: str, stem: str, library) -> tuple[list[dict], list[list[str]]]:
    """Each row's canonical values and warnings, computed one row at a time."""
    records = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    cells = [{k: (v.strip() or None) for k, v in r.items()} for r in records]
    month_first = {}
    for header in DATES:
        day_first = [parse_date(r[header]) for r in cells if r[header] is not None]
        month_first[header] = any(d is None for d in day_first)
    rows, notes = [], []
    for i, cell in enumerate(cells):
        row, warn = {"id": f"{stem}-{i + 2}"}, []
        for header, column in TEXTS.items():
            row[column] = cell[header]
        for header, (column, hint) in NUMBERS.items():
            value, note = _number(cell[header], column, hint) if cell[header] is not None else (math.nan, None)
            row[column] = value
            if note:
                warn.append(f"{header}: {note}")
        for header, column in DATES.items():
            value = parse_date(cell[header], month_first[header]) if cell[header] is not None else None
            row[column] = value
            if value is not None and month_first[header]:
                warn.append(f"{header}: dates read month-first (mm/dd/yyyy): some are impossible day-first")
        row["category"], note = _category(cell["Type"])
        if note:
            warn.append(note)
        row["country"] = library.resolve_country(cell["Pays"]) if cell["Pays"] else "FR"
        row["year"] = float(row["purchase_date"].year) if row["purchase_date"] else math.nan
        limit = 4.0 * float(library.archetype(row["category"], "power_active_w")["high"])
        if row["power_w"] > limit:
            warn.append(f"Puissance (W) {show_numbers(np.array([row['power_w']]))[0]}: W is implausible for this category")
        if row["screen_size_in"] < 3 or row["screen_size_in"] > 120:
            warn.append(f"Taille d'écran {show_numbers(np.array([row['screen_size_in']]))[0]}: inch is an implausible screen size")
        if row["quantity"] == 0:
            warn.append("Quantité: quantity is 0: the item counts for nothing")
        if row["ram_gb"] > (16384.0 if row["category"] == "server" else 4096.0):
            warn.append(f"Mémoire {show_numbers(np.array([row['ram_gb']]))[0]}: read as MB (too large for GB)")
            row["ram_gb"] /= 1024.0
        row["quantity"] = 1.0 if math.isnan(row["quantity"]) else row["quantity"]
        rows.append(row)
        notes.append(sorted(warn))
    return rows, notes


def _as_value(value: object) -> object:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


@lru_cache(maxsize=1)
def _reference_of_generated(library) -> tuple[list[dict], list[list[str]]]:
    return reference(generated_inventory(ROWS, seed=13), "inventaire", library)


@pytest.mark.parametrize("block_bytes", [1 << 24, 1 << 15])
def test_fast_path_reads_what_a_row_by_row_reading_reads(tmp_path, monkeypatch, library, block_bytes):
    monkeypatch.setattr(files, "BLOCK_BYTES", block_bytes)  # many Arrow blocks at 32 kB
    monkeypatch.setattr(files, "_HEAD_BYTES", min(block_bytes, files._HEAD_BYTES))
    text = generated_inventory(ROWS, seed=13)
    path = tmp_path / "inventaire.csv"
    path.write_text(text, encoding="utf-8")
    assert len(text.encode()) > files._HEAD_BYTES  # the header is found from the head only

    table, _ = read_inventory([path], country="FR", today=TODAY, library=library)
    rows, notes = _reference_of_generated(library)

    assert len(table) == len(rows) == ROWS
    assert table["_row"].tolist() == list(range(2, ROWS + 2))
    columns = ["id", *TEXTS.values(), *(c for c, _ in NUMBERS.values()), *DATES.values(),
               "category", "country", "year"]
    for column in columns:
        got = [_as_value(v) for v in table[column].astype(object).tolist()]
        want = [_as_value(row[column]) for row in rows]
        bad = [k for k, (g, w) in enumerate(zip(got, want, strict=True)) if g != w]
        assert not bad, (column, bad[:3], [got[k] for k in bad[:3]], [want[k] for k in bad[:3]])
    got_notes = [sorted(w.split("; ")) if w else [] for w in table["warnings"].tolist()]
    bad = [k for k, (g, w) in enumerate(zip(got_notes, notes, strict=True)) if g != w]
    assert not bad, (bad[:3], [got_notes[k] for k in bad[:3]], [notes[k] for k in bad[:3]])
    # the generated file exercises every style at least once
    assert any("read as MB" in " ".join(n) for n in notes)
    assert any("month-first" in " ".join(n) for n in notes)
    assert any("category read from the words" in " ".join(n) for n in notes)
    assert table["warranty_end"].notna().all() and table["purchase_date"].isna().any()


def test_reference_reads_hand_checked_rows(library):
    """The reference itself, on cells whose values are worked out by hand."""
    text = ("Nom;Type;Fabricant;Service;Lieu;Date d'achat;Quantité;Mémoire;Taille d'écran;"
            "Nombre de processeurs;Charge moyenne (%);Heures par jour;Puissance (W);Pays;Fin de garantie\n"
            "A;Écran 24 pouces iiyama;Dell;DSI;École A;15/03/2021;2;;27 pouces;;;;;;12/31/2026\n"
            "B;Serveur;HP;DSI;;01/02/2020;;16384 Mo;;2;35;24;350 VA;Belgique;01/02/2025\n"
            "C;Portable;;;;;;8192;;;;;;FR;02/01/2025\n")
    rows, notes = reference(text, "t", library)
    assert [r["category"] for r in rows] == ["monitor", "server", "laptop"]
    assert rows[0]["screen_size_in"] == 27.0 and rows[0]["quantity"] == 2.0
    assert rows[1]["ram_gb"] == 16.0 and rows[2]["ram_gb"] == 8.0  # 16384 MB; 8192 read as MB
    assert rows[1]["power_w"] == 350.0 and rows[1]["avg_load_pct"] == 35.0
    assert rows[1]["country"] == "BE" and rows[2]["quantity"] == 1.0
    assert rows[0]["warranty_end"] == date(2026, 12, 31) and rows[1]["purchase_date"] == date(2020, 2, 1)
    assert rows[2]["warranty_end"] == date(2025, 2, 1)  # month-first: 12/31 is impossible day-first
    assert any("read as MB" in n for n in notes[2]) and not any("MB" in n for n in notes[1])


_ROWS = "".join(f"{k};laptop;École {k}\n" for k in range(700))  # about 12 kB of rows
_HEADS = [
    "id;category;Mémoire\n1;laptop;8 Go\n2;Écran;\n" + _ROWS,
    "\ufeffid,category\r\n1,laptop\r\n" + _ROWS.replace(";", ","),
    "Export GLPI du 12/03/2024\n\nid;category;site\n1;laptop;École\n2;desktop;\n" + _ROWS,
    'sep=;\n"id";"category";"Lieu\nprécis"\n1;laptop;"a\nb"\n' + _ROWS,
    '"a very long header ' + "é" * 3000 + '";category;site\n' + _ROWS,
    "a very long header " + "é" * 3000 + ";category;site\n" + _ROWS,
    " \n\t\n" * 1500 + "id;category;site\n" + _ROWS,
    "id;category\n1;laptop;extra;cells\n" + _ROWS,
    "id;category\n" + "x" * 4000 + "\x00\x00\n" + _ROWS,
    "   \n\n" * 3000,
    '"id;category\n1;laptop\n' + _ROWS,
    "Titre\n" * 30 + "id;category;country\n1;laptop;FR\n" + _ROWS,
    'id;"note\n' + "ligne\n" * 1000 + '";category\n1;a;laptop\n2;b;desktop\n' + _ROWS,
]


def _representable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(("text", "encoding"), [
    pytest.param(text, encoding, id=f"case{k}-{encoding}")
    for k, text in enumerate(_HEADS) for encoding in ("utf-8", "cp1252") if _representable(text, encoding)])
def test_header_found_from_the_head_as_from_the_whole_file(tmp_path, monkeypatch, text, encoding):
    """Reading only the head of a UTF-8 file to find the header gives what the whole text gives
    (same table, row numbers and notes, or the same error), wherever the head ends."""
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))

    def outcome():
        try:
            (raw,) = files.read_raw(path)
        except Exception as exc:  # noqa: BLE001 - the error itself is compared
            return type(exc).__name__, str(exc)
        return raw.frame.astype(object).to_dict("list"), raw.frame.index.tolist(), raw.first_row, raw.notes

    whole = outcome()
    for head in (4096, 4097, 4098, 4099, 5000, 6001, 8192):
        monkeypatch.setattr(files, "_HEAD_BYTES", head)
        assert outcome() == whole, head


def test_web_service_rows_raise_no_pandas_deprecation(write, library):
    """Plausibility checks on a table with a ``web_service`` row (a category without archetype)
    build no Categorical from values outside its categories (Pandas4Warning, an error in pandas
    4); the power of the laptop is still checked against its category's limit."""
    import warnings

    path = write("web.csv", "id,category,url,power_w\n1,web_service,https://example.org,\n"
                            "2,laptop,,30\n3,laptop,,5000\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        warnings.simplefilter("error", FutureWarning)
        table, _ = read_inventory([path], country="FR", today=TODAY, library=library)
    assert table["category"].tolist() == ["web_service", "laptop", "laptop"]
    assert ["implausible" in w for w in table["warnings"]] == [False, False, True]
