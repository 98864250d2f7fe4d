"""``auditor export`` and ``auditor report`` from the command line: formats, formula safety,
open-data package, input detection, one-line errors."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from auditor.cli import main
from auditor.results import COLUMN_DOCS, RESULT_COLUMNS, total_column
from reports.cli import is_results_file, read_results_file
from tests.conftest import EXAMPLES

SMALL = EXAMPLES / "small-inventory.csv"
DATE = ["--date", "2026-01-15"]
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]


def run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def hostile_inventory(write):
    lines = ["id,name,category,department,site,country"]
    for i, text in enumerate(FORMULAS):
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"h{i},{quoted},laptop,{quoted},{quoted},FR")
    return write("hostile.csv", "\n".join(lines) + "\n")


@pytest.fixture
def results_csv(tmp_path, capsys):
    out = tmp_path / "results.csv"
    code, _, err = run(["assess", SMALL, "-o", out, *DATE, "-q"], capsys)
    assert code == 0, err
    return out


def test_help_lists_report_and_export(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "report" in out and "export" in out


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json", "parquet"])
def test_export_inventory_in_each_format(tmp_path, capsys, suffix):
    out = tmp_path / f"r.{suffix}"
    code, stdout, err = run(["export", SMALL, "-o", out, *DATE, "-q"], capsys)
    assert code == 0, err
    assert f"Results written to {out} (25 rows)." in stdout
    frame = read_results_file(out)
    assert list(frame.columns) == [name for name, _, _ in COLUMN_DOCS]  # footprint, then scores if any
    assert len(frame) == 25
    assert is_results_file(out)


def test_export_semicolon_and_decimal_comma_round_trip(tmp_path, capsys, results_csv):
    out = tmp_path / "fr.csv"
    code, _, err = run(["export", results_csv, "-o", out, "--sep", ";", "--decimal", ","], capsys)
    assert code == 0, err
    header, first = out.read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("id;name;category;")
    assert "," in first and "." not in first.split(";")[RESULT_COLUMNS.index(total_column("gwp"))]
    back = read_results_file(out)
    original = pd.read_csv(results_csv)
    column = total_column("gwp")
    assert back[column].to_numpy() == pytest.approx(original[column].to_numpy())
    assert is_results_file(out)
    code, _, err = run(["export", results_csv, "-o", tmp_path / "bad.csv", "--decimal", ","], capsys)
    assert code == 2 and "cannot both be ','" in err


def test_no_formula_is_ever_written(tmp_path, capsys, hostile_inventory):
    from openpyxl import load_workbook

    out_csv, out_xlsx = tmp_path / "h.csv", tmp_path / "h.xlsx"
    for out in (out_csv, out_xlsx):
        code, _, err = run(["export", hostile_inventory, "-o", out, *DATE, "-q"], capsys)
        assert code == 0, err
    with out_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("name", "department", "site"):
            assert row[column].startswith("'") and row[column][1:] in FORMULAS
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value
            assert not value.startswith("-") or value.replace("-", "", 1).replace(".", "", 1).replace("e", "").isdigit()
    workbook = load_workbook(out_xlsx)
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)


def test_categorical_text_is_neutralised_too(tmp_path):
    from reports.opendata import export_results

    frame = pd.DataFrame({"id": ["a"], "warnings": pd.Categorical(["=1+1"]), "x": [1.0]})
    export_results(frame, tmp_path / "c.csv")
    export_results(frame, tmp_path / "c.xlsx")
    assert "'=1+1" in (tmp_path / "c.csv").read_text()
    assert pd.read_excel(tmp_path / "c.xlsx")["warnings"].iloc[0] == "'=1+1"


def test_opendata_package(tmp_path, capsys, results_csv):
    folder = tmp_path / "opendata"
    code, stdout, err = run(["export", results_csv, "--format", "opendata", "-o", folder,
                             "--title", "Ville-sur-Sobre"], capsys)
    assert code == 0, err
    assert f"Open-data package written to {folder}" in stdout
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["title"] == "Ville-sur-Sobre"
    assert package["$schema"].startswith("https://datapackage.org/profiles/")
    names = {licence["name"] for licence in package["licenses"]}
    assert "ODC-ODbL-1.0" in names and all(licence.get("path") for licence in package["licenses"])
    assert len(package["sources"]) >= 5 and all(s["title"] for s in package["sources"])
    assert {r["name"] for r in package["resources"]} == {"results", "totals", "by-category", "factors"}
    for resource in package["resources"]:
        path = folder / resource["path"]
        data = path.read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        header = next(csv.reader(data.decode("utf-8").splitlines()))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f["type"] in ("string", "number", "integer", "boolean", "date", "datetime")
                   and f["description"] for f in fields)
        assert resource["licenses"] == package["licenses"]
    results = next(r for r in package["resources"] if r["name"] == "results")
    by_name = {f["name"]: f for f in results["schema"]["fields"]}
    assert "serial_number" not in by_name  # identifies single devices: not published
    assert by_name[total_column("gwp")]["unit"] == "kgCO2e/year"
    assert by_name[total_column("gwp")]["type"] == "number"
    assert by_name["year"]["type"] == "integer" and by_name["category"]["type"] == "string"
    assert results["schema"]["primaryKey"] == ["id"]
    if "replacement_due" in by_name:  # scores present: a date and a 0-100 range, not units
        assert by_name["replacement_due"]["type"] == "date" and "unit" not in by_name["obsolescence_risk"]
        assert "Range: 0-100." in by_name["obsolescence_risk"]["description"]
    original = pd.read_csv(results_csv)
    totals = pd.read_csv(folder / "totals.csv").set_index("criterion")
    assert totals.loc["gwp", "value"] == pytest.approx(original[total_column("gwp")].sum())
    assert totals.loc["gwp", "unit"] == "kgCO2e/year"
    factors = pd.read_csv(folder / "factors.csv", keep_default_na=False)
    assert len(factors) > 20 and (factors["source"] != "").all() and (factors["licence"] != "").all()
    used = set()
    for text in original["factor_ids"].dropna():
        used.update(text.split(";"))
    assert used <= set(factors["id"])
    extra = set(factors["id"]) - used
    assert extra == set(factors.loc[factors["table"].isin(["scoring", "eol"]), "id"])
    if "obsolescence_risk" in original:  # the scores' parameters and end-of-support datasets are cited
        assert {"eol-cycles", "eol-win11-cpus"} <= extra and len(extra) > 10
    by_category = pd.read_csv(folder / "by_category.csv")
    assert by_category[total_column("gwp")].sum() == pytest.approx(totals.loc["gwp", "value"])
    # exporting again replaces the package; an unrelated folder is refused
    code, _, err = run(["export", results_csv, "--format", "opendata", "-o", folder], capsys)
    assert code == 0, err
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    code, _, err = run(["export", results_csv, "--format", "opendata", "-o", other], capsys)
    assert code == 2 and "other files" in err and (other / "keep.txt").read_text() == "mine"


def test_input_detection(tmp_path, results_csv):
    assert is_results_file(results_csv)
    assert not is_results_file(SMALL)
    assert not is_results_file(EXAMPLES / "ville-exemple" / "inventaire-glpi.csv")
    inventory_xlsx = tmp_path / "inv.xlsx"
    pd.read_csv(SMALL).to_excel(inventory_xlsx, index=False)
    assert not is_results_file(inventory_xlsx)
    inventory_json = tmp_path / "inv.json"
    pd.read_csv(SMALL).to_json(inventory_json, orient="records")
    assert not is_results_file(inventory_json)


def test_report_from_inventory_and_from_results(tmp_path, capsys, results_csv):
    page = tmp_path / "rapport.html"
    code, stdout, err = run(["report", SMALL, "-o", page, "--lang", "fr", "--inhabitants", "1000",
                             "--agents", "40", *DATE, "-q"], capsys)
    assert code == 0, err
    assert stdout.startswith(f"Report written to {page} (") and "MB)" in stdout
    text = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in text and "par habitant" in text and "par agent" in text
    page2 = tmp_path / "report.html"
    code, _, err = run(["report", results_csv, "-o", page2, "--title", "Ville <test>"], capsys)
    assert code == 0, err
    text2 = page2.read_text(encoding="utf-8")
    assert "<title>Ville &lt;test&gt;</title>" in text2
    # results and inventory together: rows add up
    page3 = tmp_path / "both.html"
    code, _, err = run(["report", results_csv, SMALL, "-o", page3, *DATE, "-q"], capsys)
    assert code == 0, err
    assert "50 inventory rows" in page3.read_text(encoding="utf-8")


def test_report_with_probe_samples(tmp_path, capsys):
    from tests.test_dashboard import synthetic_samples

    samples = synthetic_samples(days=7)
    folder = tmp_path / "samples"
    folder.mkdir()
    for host, part in samples.groupby("host"):
        lines = [json.dumps({"kind": "start", "v": 1, "host": host})]
        for row in part.itertuples(index=False):
            record = {"host": host, "t": row.t, "dt": row.dt, "cpu": 5.0, "tz": 0, "src": row.src}
            if row.e_j == row.e_j:
                record["e_j"] = row.e_j
            lines.append(json.dumps(record))
        lines.append('{"host": "cut')  # a record cut by a crash is skipped
        (folder / f"{host}.jsonl").write_text("\n".join(lines) + "\n")
    page = tmp_path / "probes.html"
    code, _, err = run(["report", SMALL, "--samples", folder, "-o", page, *DATE, "-q"], capsys)
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert "3 probed machines were on 113 hours outside working hours" in text
    code, _, err = run(["report", SMALL, "--samples", folder, "--working-hours", "19-8", "-o", page, *DATE],
                       capsys)
    assert code == 2 and "START-END" in err


def test_bad_input_is_one_line(tmp_path, capsys, write):
    code, _, err = run(["report", SMALL, "-o", tmp_path / "missing" / "x.html", *DATE, "-q"], capsys)
    assert code == 2 and err.startswith("error: ") and "does not exist" in err and len(err.splitlines()) == 1
    code, _, err = run(["export", SMALL, "-o", tmp_path / "x.unknown", *DATE, "-q"], capsys)
    assert code == 2 and "--format" in err
    not_results = write("partial.csv", "id,energy_source,gwp_total_kgco2e_per_year,factor_ids\na,default,1,x\n")
    code, _, err = run(["report", not_results, "-o", tmp_path / "x.html"], capsys)
    assert code == 2 and "not a results table" in err
    code, _, err = run(["report", SMALL, "-o", tmp_path / "x.html", "--lang", "de"], capsys)
    assert code == 2


def test_outputs_are_not_private(tmp_path, capsys, results_csv):
    from reports.opendata import readable_mode

    out = tmp_path / "r.xlsx"
    assert run(["export", results_csv, "-o", out], capsys)[0] == 0
    assert out.stat().st_mode & 0o777 == readable_mode()
    page = tmp_path / "r.html"
    assert run(["report", results_csv, "-o", page], capsys)[0] == 0
    assert page.stat().st_mode & 0o777 == readable_mode()
    assert Path(tmp_path).exists()


def _section(page: Path, key: str) -> str:
    return page.read_text(encoding="utf-8").split(f'<section id="{key}">')[1].split("</section>")[0]


def test_report_recommendations_come_from_the_inventory(tmp_path, capsys, results_csv):
    page = tmp_path / "inventory.html"
    code, _, err = run(["report", SMALL, "-o", page, *DATE, "-q"], capsys)
    assert code == 0, err
    section = _section(page, "recommendations")
    assert "Not available" not in section and "could not be computed" not in section
    assert '<div class="chart"' in section and "kgCO2e/yr" in section
    page2 = tmp_path / "results.html"
    code, _, err = run(["report", results_csv, "-o", page2, "-q"], capsys)
    assert code == 0, err
    assert "they re-assess the inventory" in _section(page2, "recommendations")
