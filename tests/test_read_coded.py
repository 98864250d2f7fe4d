"""The CSV fast path's categorical columns (issue 13, speed): columns whose cells are only parsed
(numbers, dates, categories, countries) are read dictionary-encoded, each distinct cell trimmed
and factorized once. These tests compare that path with the plain text path (every column read
as text, the importer's reference path before the change) on tricky inputs, and check a few
values worked out by hand, so that a change of any value, dtype, warning or error would fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.errors import InventoryError
from auditor.importer import files
from auditor.importer import table as importer_table
from auditor.importer.files import TEXT, is_coded, read_raw, text_series
from auditor.importer.limits import Limits, use_limits
from auditor.importer.problems import factorize
from auditor.importer.table import parsed_only, text_column
from auditor.inventory import read_inventory
from tests.conftest import TODAY

HEADER = ("Identifiant;Nom;Type;Quantité;Prix;Mémoire;Pays;Date d'achat;Fin de garantie;"
          "Commentaire;Type")


def tricky_rows(rows: int, seed: int, *, quoted_newline: bool) -> list[str]:
    """Semicolon CSV lines: leading zeros, spaces and tabs around cells, blank cells and rows,
    mixed-case and accented categories, cells differing only by their spaces, a price column with
    more than half of its cells distinct, a repeated header, quoted cells."""
    rng = np.random.default_rng(seed)
    types = ["Portable", "PORTABLE", " portable ", "Écran", "écran", "\tÉCRAN", "Serveur",
             "PC portable Dell Latitude", "Téléphone IP", "Poste fixe"]
    ram = ["16 Go", " 16 Go", "16 Go ", "8", "n/a", "", "  ", "16384 Mo", "0008"]
    countries = ["FR", " fr", "France", "", "BE", "Belgique "]
    lines = [HEADER]
    for i in range(rows):
        if i % 97 == 50:
            lines.append(";;;;;;;;;;")  # a blank row: skipped, its number still counted
            continue
        comment = '"avec ; point-virgule"' if i % 13 == 0 else f"note {i % 7}"
        if quoted_newline and i == rows // 2:
            comment = '"deux\nlignes"'
        day, month = 1 + i % 28, 1 + i % 12
        lines.append(";".join([
            f"{i:07d}" if i % 3 else f" 00{i} ",  # ids: leading zeros and spaces
            rng.choice(["Mairie", "École Jules-Ferry", "Médiathèque", "  Crèche  "]) + f" {i % 50}",
            str(rng.choice(types)),
            str(rng.choice(["1", " 2 ", "02", "", "1"])),
            f"{rng.integers(100, 10**6) / 100:.2f}" if i % 5 else "",  # mostly distinct
            str(rng.choice(ram)),
            str(rng.choice(countries)),
            f"{day:02d}/{month:02d}/{2015 + i % 10}" if i % 11 else " ",
            f"{month:02d}/{day:02d}/{2030 + i % 5}",  # month-first: some impossible day-first
            comment,
            "ignored",  # a repeated header: only the first column of that name is read
        ]))
    return lines


def both_paths(path: Path, library, monkeypatch, **options):
    """(table, warnings) of the fast path, then of the plain text path (or the errors raised)."""
    def run():
        try:
            return read_inventory([path], today=TODAY, library=library, **options)
        except InventoryError as exc:
            return exc

    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(importer_table, "parsed_only", None)
        plain = run()
    return fast, plain


def assert_same(fast, plain) -> None:
    if isinstance(plain, Exception):
        assert isinstance(fast, InventoryError), fast
        assert str(fast) == str(plain)
        return
    (table, warnings), (expected, expected_warnings) = fast, plain
    assert list(table.columns) == list(expected.columns)
    assert list(table.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert warnings == expected_warnings


@pytest.mark.parametrize("block_bytes", [1 << 24, 1 << 12])
@pytest.mark.parametrize("quoted_newline", [False, True])
def test_categorical_columns_give_the_table_of_the_text_path(tmp_path, monkeypatch, library,
                                                             block_bytes, quoted_newline):
    monkeypatch.setattr(files, "BLOCK_BYTES", block_bytes)  # many blocks, each its own dictionary
    path = tmp_path / "inventaire.csv"
    path.write_text("\n".join(tricky_rows(3_000, 7, quoted_newline=quoted_newline)) + "\n",
                    encoding="utf-8")
    frame = read_raw(path, parsed_only=parsed_only)[0].frame
    coded = [c for c in frame.columns if is_coded(frame[c])]
    # the parsed columns are read as categories (else this test would compare a path with itself)
    assert coded == ["Type", "Quantité", "Prix", "Mémoire", "Pays", "Date d'achat",
                     "Fin de garantie"]
    assert frame["Prix"].nunique() > len(frame) / 2

    fast, plain = both_paths(path, library, monkeypatch, country="FR")
    assert_same(fast, plain)
    table, warnings = fast
    # hand-checked rows: data rows start at spreadsheet row 2, row 52 (data row 50) is blank
    assert len(table) == 3_000 - len(range(50, 3_000, 97))
    assert table["_row"].iloc[49] == 51 and table["_row"].iloc[50] == 53
    assert table["id"].iloc[0] == "000" and table["id"].iloc[1] == "0000001"  # as written, trimmed
    assert table["id"].dtype == TEXT and table["name"].dtype == TEXT
    assert any("month-first" in w for w in warnings)


def test_hand_checked_cells_of_the_categorical_path(write, library):
    path = write("inv.csv", "id;Type;Quantité;Mémoire;Pays;Date d'achat\n"
                            "007; LAPTOP ;  02 ;16 Go;fr;03/04/2020\n"
                            "008;Écran;;  16384 Mo ; Belgique ;\n"
                            "009;écran;1;n/a;;2021\n")
    table, _ = read_inventory([path], country="DE", today=TODAY, library=library)
    assert table["id"].tolist() == ["007", "008", "009"]
    assert table["category"].tolist() == ["laptop", "monitor", "monitor"]
    assert table["quantity"].tolist() == [2.0, 1.0, 1.0]  # empty quantity: one item
    assert table["ram_gb"].tolist()[:2] == [16.0, 16.0] and np.isnan(table["ram_gb"].iloc[2])
    assert table["country"].tolist() == ["FR", "BE", "DE"]  # empty: the --country option
    assert table["purchase_date"].tolist()[0] == pd.Timestamp("2020-04-03")
    assert pd.isna(table["purchase_date"].iloc[1])
    assert table["purchase_date"].iloc[2] == pd.Timestamp("2021-07-01")  # a bare year: 1 July


CASES = {
    # (cells of the data rows, the row and column the one-line error names)
    "bad number": (["1", "2", "deux", "trois", "2"], "Quantité", 4),
    "unknown category": (["laptop", "foo", "laptop", "bar"], "Type", 3),
    "impossible date": (["01/02/2020", "31/02/2020", "02/31/2020"], "Date d'achat", 3),
    "unknown country": (["FR", "Narnia", "FR"], "Pays", 3),
}


@pytest.mark.parametrize("case", CASES)
def test_errors_name_the_same_file_row_and_column(write, library, monkeypatch, case):
    cells, column, row = CASES[case]
    base = {"Type": "laptop", "Quantité": "1", "Date d'achat": "", "Pays": "FR"}
    lines = ["Type;Quantité;Date d'achat;Pays"]
    lines += [";".join(cell if name == column else base[name] for name in base) for cell in cells]
    path = write("inv.csv", "\n".join(lines) + "\n")
    fast, plain = both_paths(path, library, monkeypatch)
    assert isinstance(fast, InventoryError)
    assert_same(fast, plain)
    assert f"row {row}" in str(fast) and column in str(fast)


def test_a_too_long_cell_in_a_categorical_column_is_the_same_error(write, library, monkeypatch):
    path = write("inv.csv", "Type;Quantité\nlaptop;1\nlaptop; 1234567 \nlaptop;123456789\n"
                            "laptop;1234567890\n")
    with use_limits(Limits(cell_chars=8)):
        fast, plain = both_paths(path, library, monkeypatch)
    assert isinstance(fast, InventoryError)
    assert_same(fast, plain)
    # the first cell too long (row 3 is 7 characters once trimmed); the longest is 10 characters
    assert "row 4" in str(fast) and "Quantité" in str(fast) and "10" in str(fast)


def test_an_empty_and_a_blank_file_body_read_alike(write, library, monkeypatch):
    for body in ("", "\n\n", ";\n ; \n"):
        path = write("inv.csv", "Type;Quantité\n" + body)
        fast, plain = both_paths(path, library, monkeypatch)
        assert_same(fast, plain)


def categorical(values: list[str | None], categories: list[str]) -> pd.Series:
    return pd.Series(pd.Categorical(values, categories=pd.Index(categories, dtype=TEXT)))


@pytest.mark.parametrize("values, categories", [
    (["b", None, "a", "b", "c"], ["a", "b", "c", "unused"]),  # categories out of order, unused
    (["a", "b", "a", None], ["a", "b"]),  # in order already
    ([None, None], ["a"]),
    ([], []),
])
def test_factorize_of_a_categorical_is_that_of_its_text(values, categories):
    codes, uniques = factorize(categorical(values, categories))
    want_codes, want_uniques = factorize(text_series(values) if values else text_series([]))
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == want_uniques.tolist()
    # by hand: first appearance order, -1 for a missing cell
    if values == ["b", None, "a", "b", "c"]:
        assert codes.tolist() == [0, -1, 1, 0, 2] and uniques.tolist() == ["b", "a", "c"]


def test_a_categorical_column_kept_as_text_is_text():
    series = categorical(["x", None, "0012", "x"], ["0012", "x"])
    out = text_column(series)
    assert out.dtype == TEXT
    assert out.tolist()[0] == "x" and pd.isna(out.iloc[1]) and out.tolist()[2:] == ["0012", "x"]


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc only")
def test_the_command_asks_pyarrows_allocator_for_small_pages():
    """With the entry point's settings, no memory Arrow allocates is advised to the kernel as
    huge pages (the ``hg`` flag in /proc/self/smaps; pyarrow 26's mimalloc advises its 1 GiB
    arenas so without them)."""
    code = ("import os, sys; from auditor.entry import prefer_small_pages; {setup}; "
            "assert 'pyarrow' not in sys.modules; import pyarrow as pa; "
            "b = pa.allocate_buffer(64 << 20); "
            "flags = [l for l in open('/proc/self/smaps') if l.startswith('VmFlags')]; "
            "print(sum(' hg' in l for l in flags))")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MIMALLOC_ARENA_EAGER_COMMIT", "NUMPY_MADVISE_HUGEPAGE")}
    small = subprocess.run([sys.executable, "-c", code.format(setup="prefer_small_pages()")],
                           capture_output=True, text=True, env=env, check=True)
    assert small.stdout.strip() == "0"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_chunks_with_categorical_columns_give_the_whole_text_path_table(tmp_path, monkeypatch,
                                                                        library, encoding):
    """Chunked reads: UTF-8 CSV blocks are read with categorical columns; a UTF-16 file is read
    whole then sliced, so a chunk's categories are out of order and partly unused."""
    from auditor.chunked import iter_raw_chunks, parsed_chunks

    path = tmp_path / "inventaire.csv"
    path.write_text("\n".join(tricky_rows(1_200, 11, quoted_newline=False)) + "\n",
                    encoding=encoding)
    first = next(iter_raw_chunks(path, 500))
    assert is_coded(first.frame["Type"]) and first.frame["Nom"].dtype == TEXT
    if encoding == "utf-16":  # a slice of the whole file's column: categories it does not use
        assert len(first.frame["Prix"].cat.categories) > first.frame["Prix"].nunique()
    chunks = [(table, [*raw.notes, *warnings]) for _, raw, table, warnings
              in parsed_chunks([path], 500, "FR", TODAY, library)]
    assert len(chunks) == 3
    with monkeypatch.context() as patch:
        patch.setattr(importer_table, "parsed_only", None)
        whole, warnings = read_inventory([path], country="FR", today=TODAY, library=library)
    table = pd.concat([t for t, _ in chunks], ignore_index=True)
    assert list(table.dtypes) == list(whole.dtypes)
    pd.testing.assert_frame_equal(table, whole, check_exact=True)
    assert sorted(w for _, ws in chunks for w in ws) == sorted(warnings)


def test_byte_positions_found_slice_by_slice_are_all_of_them():
    rng = np.random.default_rng(3)
    array = rng.choice(np.array([10, 34, 65], dtype=np.uint8), size=10_000)
    for step in (1, 7, 4096, 1 << 20):
        assert files._positions(array, 34, step).tolist() == np.flatnonzero(array == 34).tolist()
    assert files._positions(np.zeros(0, np.uint8), 34).tolist() == []
    # a quoted line break across the slices of the search
    assert files.quoted_newlines(b"a;b\n" + b"x;y\n" * 300_000 + b'"two\nlines";z\n')


@pytest.mark.parametrize("ids", ["none", "some", "all"])
def test_work_done_in_a_thread_gives_the_same_table(write, library, monkeypatch, ids):
    """From 100,000 rows the missing-number block and the generated ids are made in a thread:
    the same table as made in line (the threshold lowered to every table here)."""
    lines = ["id;Type;Quantité" if ids != "none" else "Type;Quantité"]
    for i in range(300):
        cell = {"none": None, "some": "" if i % 2 else f"A{i}", "all": f"A{i}"}[ids]
        lines.append(f"{cell};laptop;{i % 4}" if cell is not None else f"laptop;{i % 4}")
    path = write("parc.csv", "\n".join(lines) + "\n")
    inline, _ = read_inventory([path], country="FR", today=TODAY, library=library)
    monkeypatch.setattr(importer_table, "_THREADED_FROM_ROWS", 0)
    threaded, _ = read_inventory([path], country="FR", today=TODAY, library=library)
    pd.testing.assert_frame_equal(threaded, inline, check_exact=True)
    # by hand: generated ids are "<file stem>-<spreadsheet row>"
    want = {"none": "parc-3", "some": "parc-3", "all": "A1"}[ids]
    assert threaded["id"].iloc[1] == want and threaded["id"].dtype == TEXT


def test_a_column_of_40000_distinct_cells_reads_alike(write, library, monkeypatch):
    """More distinct cells than 16-bit codes hold (and a dictionary per 4 kB block)."""
    monkeypatch.setattr(files, "BLOCK_BYTES", 1 << 12)
    lines = ["Type;Prix"] + [f"laptop;{i * 1.5:.1f}" if i % 9 else "laptop; " for i in range(40_000)]
    path = write("inv.csv", "\n".join(lines) + "\n")
    frame = read_raw(path, parsed_only=parsed_only)[0].frame
    assert frame["Prix"].cat.codes.dtype == np.int32
    fast, plain = both_paths(path, library, monkeypatch, country="FR")
    assert_same(fast, plain)
    assert fast[0]["price"].iloc[1] == 1.5 and np.isnan(fast[0]["price"].iloc[0])
