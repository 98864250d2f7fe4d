"""Hostile and odd inventory files (issue 9): each either reads correctly or stops with exit 2 and
one line naming file, row, column, a shortened value and what was expected. One test per bullet,
each with its minimal reproducer."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

from auditor.cli import main
from auditor.errors import InventoryError
from auditor.importer.limits import Limits, use_limits
from auditor.inventory import read_inventory, table_from_records
from tests.conftest import TODAY


def run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read(path, **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("country", "FR")
    return read_inventory([path], **kw)


def one_line_error(capsys, *args):
    """Run ``auditor assess`` and return its single error line (exit 2 asserted)."""
    code, _, err = run(["assess", *args, "--country", "FR", "-q", "--date", "2026-01-15"], capsys)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# -- 1. every input path either reads or stops with exit 2 and one line ----------------------------

@pytest.mark.parametrize(("name", "content", "words"), [
    ("list.json", '[{"category": "laptop", "ram_gb": [8, 16]}]', "row 1, column 'ram_gb': a list"),
    ("object.json", '[{"category": "laptop", "ram_gb": {"a": 1}}]', "an object"),
    ("digits400.json", '[{"category": "laptop", "quantity": %s}]' % ("7" * 400), "too long for a number"),
    ("digits5000.json", '[{"category": "laptop", "quantity": %s}]' % ("7" * 5000), "too long for a number"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("surrogate.json", '[{"category": "laptop", "name": "\\ud800"}]', "lone surrogate"),
    ("bom.csv", "\ufeff", "empty file"),
    ("power.csv", "category,ram_gb\nlaptop,16 GB**99\n", "row 2, column 'ram_gb'"),
    ("constant.json", '[{"category": "laptop", "quantity": NaN}]', "not a JSON value"),
])
def test_hostile_cells_and_files_stop_with_one_line(write, capsys, name, content, words):
    path = write(name, content)
    line = one_line_error(capsys, path)
    assert words in line and name in line


def test_non_regular_files_are_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "inventory.csv"
    os.mkfifo(fifo)  # reading it would block forever
    assert "not a regular file" in one_line_error(capsys, fifo)
    assert "not a regular file" in one_line_error(capsys, "/dev/zero")
    # a folder is read only as a folder of inventory agents' files (auditor.agents); else refused
    assert "folder without agent inventory files" in one_line_error(capsys, tmp_path)


def test_limits_name_the_option_that_raises_them(write, capsys):
    wide = write("wide.csv", ",".join(["category", *(f"c{i}" for i in range(100_000))]) + "\nlaptop\n")
    line = one_line_error(capsys, wide)
    assert "limit columns=16,384" in line and "--limit columns=N" in line
    big_cell = write("cell.csv", "category,name\nlaptop," + "x" * 1_000_000 + "\n")
    line = one_line_error(capsys, big_cell)
    assert "row 2, column 'name'" in line and "cell_chars" in line and len(line) < 400
    # raised, the same file reads, the cell kept whole
    code, _, err = run(["assess", big_cell, "--country", "FR", "-q", "--limit", "cell_chars=2000000"], capsys)
    assert code == 0, err
    with use_limits(Limits(file_mb=0.0001)), pytest.raises(InventoryError, match="file_mb"):
        read(wide)


def test_bad_limit_option_is_one_line(write, capsys):
    path = write("a.csv", "category\nlaptop\n")
    assert "--limit" in one_line_error(capsys, path, "--limit", "rows=5")


def _xlsx(cells: dict[str, object], dimension: str | None = None) -> bytes:
    """A minimal workbook written by openpyxl, optionally with a forged <dimension> tag."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                data = (text[:start] + f'<dimension ref="{dimension}"/>' + text[end:]).encode()
            target.writestr(info, data)
    return out.getvalue()


def test_xlsx_declared_dimension_is_checked_before_parsing(write, capsys):
    # 4.7 kB on disk, 17 billion cells declared: refused from the tag, nothing parsed
    path = write("huge.xlsx", _xlsx({"A1": "category", "A2": "laptop"}, dimension="A1:XFD1048576"))
    line = one_line_error(capsys, path)
    assert "declares" in line and "limit" in line


def test_xlsx_uncompressed_size_is_checked_before_parsing(write):
    path = write("bomb.xlsx", _xlsx({"A1": "category", "A2": "laptop"}))
    with use_limits(Limits(xlsx_mb=0.001)), pytest.raises(InventoryError, match="xlsx_mb"):
        read(path)


def test_xlsx_cell_far_away_without_a_declared_dimension_reads_in_bounded_memory(write):
    path = write("far.xlsx", _xlsx({"A1": "category", "A2": "laptop", "XFD3": "x"}, dimension="A1:B2"))
    with pytest.raises(InventoryError, match="columns"), use_limits(Limits(columns=1000)):
        read(path)


def test_control_characters_and_long_values_are_shortened(write, capsys):
    path = write("ctl.csv", 'category,"bad\x1b[31m\nheader"\nlaptop,x\ntoaster\x1b[2J' + "y" * 5000 + ",x\n")
    line = one_line_error(capsys, path)
    assert "\x1b" not in line and "(5," in line and len(line) < 500


# -- 2. values are kept exactly as written --------------------------------------------------------

def test_text_values_are_kept_as_written(write):
    path = write("na.csv", "category,id,name,site,country\nlaptop,001,NA,075001,NA\n"
                           "laptop,002,N/A,null,FR\nlaptop,1,#N/A,None,FR\n")
    table, _ = read(path)
    assert table["id"].tolist() == ["001", "002", "1"]  # 001 and 1 are different ids
    assert table["name"].tolist() == ["NA", "N/A", "#N/A"]
    assert table["site"].tolist() == ["075001", "null", "None"]
    assert table["country"].tolist() == ["NA", "FR", "FR"]  # NA is Namibia


def test_duplicate_ids_compare_exact_text(write):
    read(write("ids.csv", "category,id\nlaptop,001\nlaptop,1\nlaptop,12345678901234567890\n"
                          "laptop,12345678901234567891\n"))
    with pytest.raises(InventoryError, match="duplicate id"):
        read(write("dup.csv", "category,id\nlaptop,001\nlaptop,001\n"))


@pytest.mark.parametrize("cell", ["inf", "1e309", "-inf", "nan", "0x10"])
def test_numbers_must_be_finite_numbers(write, cell):
    with pytest.raises(InventoryError, match="row 2, column 'hours_per_day'"):
        read(write("n.csv", f"category,hours_per_day\nlaptop,{cell}\n"))


def test_json_huge_exponent_is_not_a_number(write):
    with pytest.raises(InventoryError, match="not a finite number"):
        read(write("e.json", '[{"category": "laptop", "quantity": 1e400}]'))


@pytest.mark.parametrize(("cell", "words"), [
    ("1000-01-01", "from 1970-01-01"), ("9999-12-31", "from 1970-01-01"), ("1969-12-31", "from 1970"),
    ("2027-01-16", "to 2027-01-15"), ("30/02/2021", "impossible or unreadable date"),
])
def test_purchase_dates_are_real_dates_from_1970_to_a_year_ahead(write, cell, words):
    with pytest.raises(InventoryError, match=words) as info:
        read(write("d.csv", f"category,purchase_date\nlaptop,{cell}\n"))
    assert f"value '{cell}'" in str(info.value)


def test_purchase_date_a_year_ahead_is_accepted_with_a_warning(write):
    table, warnings = read(write("d.csv", "category,purchase_date\nlaptop,2027-01-15\n"))
    assert pd.Timestamp(table["purchase_date"].iloc[0]) == pd.Timestamp("2027-01-15")
    assert any("future" in w for w in warnings)


def test_all_na_row_and_empty_json_item_are_rejected_not_dropped(write):
    with pytest.raises(InventoryError, match="row 3, column 'category': value 'NA': unknown category"):
        read(write("na.csv", "category,name\nlaptop,a\nNA,NA\n"))
    with pytest.raises(InventoryError, match="row 2, column 'category': empty category"):
        read(write("e.json", '[{"category": "laptop"}, {}]'))


def test_xlsx_formula_without_cached_value_names_the_cell(write):
    path = write("f.xlsx", _xlsx({"A1": "category", "B1": "quantity", "A2": "laptop", "B2": "=1+1"}))
    with pytest.raises(InventoryError, match="cell B2 holds a formula without a computed value"):
        read(path)


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(write):
    with pytest.raises(InventoryError, match="row 5, column 'quantity'"):
        read(write("b.csv", "category,quantity\nlaptop,1\n\n\nlaptop,abc\n"))


def test_excel_sep_line_several_titles_and_trailing_separators(write):
    path = write("x.csv", "sep=;\nExport GLPI\nParc informatique\n\nType;Quantité\nPortable;2;;;\n"
                          "Écran;1;;\n")
    table, _ = read(path)
    assert table["category"].tolist() == ["laptop", "monitor"]
    assert table["quantity"].tolist() == [2.0, 1.0]
    assert table["_row"].tolist() == [6, 7]


def test_extra_filled_fields_are_an_error_naming_the_row(write):
    with pytest.raises(InventoryError, match="row 3: malformed CSV"):
        read(write("r.csv", "category,name\nlaptop,a\nlaptop,b,extra\n"))


def test_battery_health_limit_and_message_agree(write):
    table, _ = read(write("b.csv", "category,battery_health_pct\nlaptop,100\n"))
    assert table["battery_health_pct"].iloc[0] == 100.0
    with pytest.raises(InventoryError, match="between 0 and 100 %"):
        read(write("b.csv", "category,battery_health_pct\nlaptop,100.5\n"))


def test_volt_amperes_are_read_as_watts_with_a_warning(write):
    table, warnings = read(write("va.csv", "category,power_w\nserver,500 VA\n"))
    assert table["power_w"].iloc[0] == 500.0
    assert any("VA (apparent power) taken as W" in w for w in warnings)


def test_records_keep_python_values(library):
    table = table_from_records([{"category": "laptop", "id": "001", "quantity": 2, "ram_gb": 8.0}],
                               country="FR", today=TODAY, library=library)
    assert table["id"].iloc[0] == "001" and table["ram_gb"].iloc[0] == 8.0


# -- 3. outputs never overwrite inputs -----------------------------------------------------------

@pytest.fixture
def inventory(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("category,name\nlaptop,a\n", encoding="utf-8")
    return path


def _same_file_spellings(tmp_path, inventory):
    link = tmp_path / "link.csv"
    link.symlink_to(inventory)
    hard = tmp_path / "hard.csv"
    os.link(inventory, hard)
    return [inventory, f"{tmp_path}/./inv.csv", link, hard]


@pytest.mark.parametrize("command", ["assess", "export", "report"])
def test_output_equal_to_an_input_is_refused(tmp_path, inventory, capsys, command, monkeypatch):
    before = inventory.read_bytes()
    monkeypatch.chdir(tmp_path)
    for output in [*_same_file_spellings(tmp_path, inventory), "./inv.csv", "inv.csv"]:
        code, _, err = run([command, "inv.csv", "--country", "FR", "-q", "-o", output], capsys)
        assert code == 2 and "would overwrite the input" in err, (output, err)
        assert len(err.strip().splitlines()) == 1
    assert inventory.read_bytes() == before


def test_opendata_writes_only_into_an_empty_folder_or_its_own(tmp_path, inventory, capsys):
    folder = tmp_path / "open"
    code, _, err = run(["export", inventory, "--country", "FR", "-q", "--format", "opendata", "-o", folder], capsys)
    assert code == 0, err
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(["export", inventory, "--country", "FR", "-q", "--format", "opendata", "-o", folder], capsys)
    assert code == 2 and "notes.txt" in err
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    (folder / "notes.txt").unlink()
    code, _, err = run(["export", inventory, "--country", "FR", "-q", "--format", "opendata", "-o", folder], capsys)
    assert code == 0, err
    other = tmp_path / "other"
    other.mkdir()
    (other / "datapackage.json").write_text("{}", encoding="utf-8")  # someone else's package
    code, _, err = run(["export", inventory, "--country", "FR", "-q", "--format", "opendata", "-o", other], capsys)
    assert code == 2 and (other / "datapackage.json").read_text(encoding="utf-8") == "{}"


def test_headers_and_cells_are_neutralised_in_csv_and_xlsx(tmp_path):
    from auditor.writers import write_results

    frame = pd.DataFrame({'=HYPERLINK("http://x","y")': ["=1+1", "@SUM(A1)", "ok"],
                          "n": [1.0, 2.0, 3.0]})
    write_results(frame, tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert text.startswith("\"'=HYPERLINK") and "'=1+1" in text and "'@SUM" in text
    write_results(frame, tmp_path / "r.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet["A1"].value.startswith("'=") and sheet["A2"].value == "'=1+1"
    assert sheet["A1"].data_type == "s" and sheet["A2"].data_type == "s"


# -- 4. parsing cost stays linear ----------------------------------------------------------------

def test_long_cells_and_many_columns_are_parsed_linearly(write):
    """Correctness of the linear paths (speed is measured in bench/, not asserted here)."""
    digits = "1" * 40_000 + "x"  # was quadratic against a unit regex
    with pytest.raises(InventoryError, match="too long for a number"), use_limits(Limits(cell_chars=50_000)):
        read(write("d.csv", f"category,ram_gb\nlaptop,{digits}\n"))
    phrase = "portable " + "mot " * 200_000  # 1 MB category phrase
    with use_limits(Limits(cell_chars=2_000_000)):
        table, _ = read(write("p.csv", f"category\n{phrase}\n"))
    assert table["category"].iloc[0] == "laptop"
    header = ",".join(["category", *(["dup"] * 50_000)])  # 50,000 duplicate header names
    with use_limits(Limits(columns=100_001)):
        table, warnings = read(write("h.csv", header + "\nlaptop\n"))
    assert len(table) == 1 and any("more than once" in w for w in warnings)
    wide = ",".join(["category", *(f"c{i}" for i in range(100_000))])
    with use_limits(Limits(columns=100_001)):
        table, _ = read(write("w.csv", wide + "\nlaptop" + "," * 100_000 + "\n"))
    assert len(table) == 1


def test_json_items_become_rows_in_order(write):
    items = [{"category": "laptop", "id": f"{i:03d}"} for i in range(5)]
    table, _ = read(write("i.json", json.dumps({"items": items})))
    assert table["id"].tolist() == ["000", "001", "002", "003", "004"]
    assert np.array_equal(table["_row"].to_numpy(), np.arange(1, 6))
