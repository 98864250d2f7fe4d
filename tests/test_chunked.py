"""Chunked assessment (issue 13 item 3): the same rows, totals, summary and errors as one table.

Expected values come from the whole-table pipeline (read_inventory + assess_table), which the
rest of the suite checks against hand calculations; the property is that chunking changes nothing.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import pandas as pd
import pytest

from auditor.api import assess_table
from auditor.chunked import assess_in_chunks, iter_raw_chunks
from auditor.cli import main
from auditor.errors import InventoryError
from auditor.footprint import AssessOptions
from auditor.inventory import read_inventory
from auditor.summary import format_summary, totals
from tests.conftest import EXAMPLES, ROOT, TODAY

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
#: Columns allowed to differ between a chunked and a whole run: none. (The obsolescence reasons
#: once did: a text keyed by whole years of age was shared by a row past its average life and one
#: not yet past it; test_obsolescence_reasons_do_not_depend_on_row_order guards the fix.)
_ORDER_DEPENDENT: list[str] = []


@lru_cache(maxsize=4)
def _whole(path: str):
    table, _ = read_inventory([path], country="FR", today=TODAY)
    return assess_table(table, options=AssessOptions(today=TODAY))


@lru_cache(maxsize=1)
def _generated(tmp: str) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from assess_1m import synthetic_inventory

    path = f"{tmp}/generated.csv"
    synthetic_inventory(400, seed=7).to_csv(path, sep=";", index=False, encoding="utf-8")
    return path


def _same(path: str, chunk_rows: int, out) -> None:
    whole = _whole(path)
    summary, _ = assess_in_chunks([path], chunk_rows=chunk_rows, output=out, country="FR",
                                  today=TODAY)
    chunked = pd.read_parquet(out)
    whole = whole.reset_index(drop=True)
    for column in whole.columns:  # dates: the same days, whatever the unit Parquet kept
        if pd.api.types.is_datetime64_any_dtype(whole[column]):
            whole[column] = whole[column].astype("datetime64[ns]")
            chunked[column] = chunked[column].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(chunked.drop(columns=_ORDER_DEPENDENT),
                                  whole.drop(columns=_ORDER_DEPENDENT),
                                  check_dtype=False, check_categorical=False)
    pd.testing.assert_frame_equal(summary.totals(), totals(whole), rtol=1e-12)
    assert summary.format() == format_summary(whole)


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunk_rows=st.integers(min_value=150, max_value=2300))
def test_town_chunked_equals_whole(tmp_path, chunk_rows):
    _same(str(TOWN), chunk_rows, tmp_path / f"town-{chunk_rows}.parquet")


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunk_rows=st.integers(min_value=40, max_value=450))
def test_generated_chunked_equals_whole(tmp_path_factory, chunk_rows):
    # French words and phrases for categories, RAM in MB, month-first warranty dates (a chunk of
    # 40 rows holds a day above 12 with probability 1 - (12/27)**40)
    path = _generated(str(tmp_path_factory.mktemp("gen")))
    _same(path, chunk_rows, tmp_path_factory.mktemp("out") / "r.parquet")


_TRICKY = (
    "Export GLPI du 12/03/2024\n"
    "\n"
    "Nom;Type;Commentaire;Date d'achat\n"
    "A1;Portable;\"two\nlines\";01/02/2020\n"
    "A2;Écran;\"say \"\"hi\"\"\";03/04/2021\n"
    "\n"
    "A3;Portable;;05/06/2019\n"
    "A4;Portable;\"three\nline\ncell\";07/08/2018\n"
    "A5;Écran;plain;31/02/2020\n"
    "A6;Portable;;09/10/2017\n"
)


def test_row_numbers_survive_every_chunk_boundary(write):
    """Title line, blank lines and quoted line breaks: every chunk size names the same rows, and
    the impossible date names the same spreadsheet row as a whole-file read."""
    path = write("tricky.csv", _TRICKY)
    ok = write("tricky-ok.csv", _TRICKY.replace("31/02/2020", "28/02/2020"))
    whole_rows = read_inventory([ok], country="FR", today=TODAY)[0]["_row"].tolist()
    # by hand: title 1, blank 2, header 3; a quoted line break stays in its row (as a spreadsheet
    # shows it), the blank line between A2 and A3 is row 6
    assert whole_rows == [4, 5, 7, 8, 9, 10]
    with pytest.raises(InventoryError) as whole:
        read_inventory([path], country="FR", today=TODAY)
    assert "row 9" in str(whole.value)
    for chunk_rows in range(1, 9):
        rows = [r for raw in iter_raw_chunks(ok, chunk_rows)
                for r in (raw.frame.index.to_numpy() + raw.first_row)]
        assert rows == whole_rows, chunk_rows
        with pytest.raises(InventoryError) as chunked:
            assess_in_chunks([path], chunk_rows=chunk_rows, country="FR", today=TODAY)
        assert str(chunked.value) == str(whole.value), chunk_rows


def test_duplicate_id_split_across_chunks(write, tmp_path):
    path = write("dupes.csv", "id;category\nA;laptop\nB;laptop\nC;monitor\nA;desktop\nD;laptop\n")
    with pytest.raises(InventoryError) as whole:
        read_inventory([path], country="FR", today=TODAY)
    out = tmp_path / "out.parquet"
    with pytest.raises(InventoryError) as chunked:
        assess_in_chunks([path], chunk_rows=2, output=out, country="FR", today=TODAY)
    assert str(chunked.value) == str(whole.value)
    assert "row 5" in str(chunked.value) and "row 2" in str(chunked.value)
    assert not out.exists() and list(tmp_path.iterdir()) == [path]  # a failed run leaves nothing


def test_cli_folder_output_then_report_and_export(tmp_path, capsys):
    folder = tmp_path / "parts"
    code = main(["assess", str(TOWN), "--country", "FR", "--date", "2026-01-15", "-q",
                 "--chunk-rows", "1000", "-o", f"{folder}/"])
    chunked_out = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]  # 2,209 rows / 1,000
    assert main(["assess", str(TOWN), "--country", "FR", "--date", "2026-01-15", "-q"]) == 0
    assert capsys.readouterr().out + f"\nResults written to {folder}/\n" == chunked_out
    exported = tmp_path / "from-folder.csv"
    assert main(["export", str(folder), "--format", "csv", "-o", str(exported), "-q"]) == 0
    frame = pd.read_csv(exported)
    assert len(frame) == 2209 and frame["id"].is_unique
    assert frame["gwp_total_kgco2e_per_year"].sum() == pytest.approx(
        _whole(str(TOWN))["gwp_total_kgco2e_per_year"].sum(), rel=1e-9)
    report = tmp_path / "report.html"
    assert main(["report", str(folder), "-o", str(report), "-q"]) == 0
    assert report.stat().st_size > 10_000


def test_chunk_rows_zero_and_small_inputs_stay_whole(tmp_path, capsys):
    out = tmp_path / "r.parquet"
    assert main(["assess", str(TOWN), "--country", "FR", "--date", "2026-01-15", "-q",
                 "--chunk-rows", "0", "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 2209
    bad = main(["assess", str(TOWN), "--country", "FR", "--chunk-rows", "500", "-o",
                str(tmp_path / "r.xlsx")])
    assert bad == 2 and "chunked assessment writes .parquet" in capsys.readouterr().err


def test_obsolescence_reasons_do_not_depend_on_row_order(tmp_path):
    whole = _whole(str(TOWN))
    assess_in_chunks([str(TOWN)], chunk_rows=150, output=tmp_path / "r.parquet", country="FR",
                     today=TODAY)
    chunked = pd.read_parquet(tmp_path / "r.parquet")
    assert chunked["obsolescence_reasons"].astype(str).tolist() == \
        whole["obsolescence_reasons"].astype(str).tolist()


def test_chunking_switches_on_above_the_documented_size(monkeypatch):
    import auditor.chunked as chunked

    assert chunked.chunk_rows_for([TOWN], None) == 0  # 0.4 MB: whole table
    assert chunked.chunk_rows_for([TOWN], 0) == 0 and chunked.chunk_rows_for([TOWN], 7) == 7
    monkeypatch.setattr(chunked, "AUTO_CHUNK_MB", TOWN.stat().st_size / 1e6 - 0.001)
    assert chunked.chunk_rows_for([TOWN], None) == chunked.DEFAULT_CHUNK_ROWS


def test_json_input_is_read_whole_then_assessed_in_chunks(write, tmp_path):
    path = write("items.json", '[{"id": "a", "category": "laptop"}, {"id": "b", "category": "monitor"},'
                               ' {"id": "c", "category": "desktop", "ram": "16 Go"}]')
    whole = assess_table(read_inventory([path], country="FR", today=TODAY)[0],
                         options=AssessOptions(today=TODAY))
    summary, _ = assess_in_chunks([path], chunk_rows=2, output=tmp_path / "r.parquet",
                                  country="FR", today=TODAY)
    chunked = pd.read_parquet(tmp_path / "r.parquet")
    assert chunked["id"].tolist() == ["a", "b", "c"]
    pd.testing.assert_frame_equal(chunked, whole, check_dtype=False, check_categorical=False)
    assert summary.format() == format_summary(whole)


def test_web_services_chunked_equal_whole_and_are_not_dropped(write, tmp_path):
    """Web rows (measured and not) in chunks: the same totals, categories and summary text as the
    whole table; the web_service category is kept in the chunked category table."""
    rows = ["id;category;url;monthly_visits;dom_elements;requests;transfer_kb",
            "srv;server;;;;;", "pc;laptop;;;;;"]
    rows += [f"w{i};site web;https://v.example/{i};{1000 * (i + 1)};{100 * i};{10 * i};{50 * i}" for i in range(1, 7)]
    rows += ["w9;site web;https://v.example/9;500;;;"]  # not measured yet
    path = write("web.csv", "\n".join(rows) + "\n")
    whole = _whole(str(path))
    summary, _ = assess_in_chunks([str(path)], chunk_rows=3, output=tmp_path / "web.parquet", country="FR",
                                  today=TODAY)
    pd.testing.assert_frame_equal(summary.totals(), totals(whole), rtol=1e-12)
    assert summary.format() == format_summary(whole)
    assert "web_service" in summary.format().split("By category")[1]
