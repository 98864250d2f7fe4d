"""The command line, as a user runs it: exit codes, one-line errors, summary, output files."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from auditor.cli import cli, main
from auditor.results import ALL_RESULT_COLUMNS
from tests.conftest import EXAMPLES

SMALL = EXAMPLES / "small-inventory.csv"
TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"


def run_main(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_assess_small_example_writes_every_format(tmp_path, capsys):
    for suffix in ("csv", "xlsx", "json", "parquet"):
        out = tmp_path / f"results.{suffix}"
        code, stdout, err = run_main(["assess", str(SMALL), "-o", str(out), "--date", "2026-01-15", "-q"], capsys)
        assert code == 0, err
        assert out.exists() and out.stat().st_size > 0
        assert f"Results written to {out}" in stdout
    frame = pd.read_parquet(tmp_path / "results.parquet")
    assert list(frame.columns) == list(ALL_RESULT_COLUMNS)
    assert len(frame) == len(pd.read_csv(SMALL))
    records = json.loads((tmp_path / "results.json").read_text())
    assert records[0]["id"] == frame["id"].iloc[0]


def test_summary_totals_match_the_results_table(tmp_path, capsys):
    out = tmp_path / "r.csv"
    code, stdout, _ = run_main(["assess", str(SMALL), "-o", str(out), "--date", "2026-01-15", "-q"], capsys)
    assert code == 0
    frame = pd.read_csv(out)
    gwp_t = frame["gwp_total_kgco2e_per_year"].sum() / 1000
    line = next(x for x in stdout.splitlines() if x.startswith("GHG emissions"))
    assert f"{gwp_t:,.1f}" in line or f"{gwp_t:,.0f}" in line or f"{gwp_t:.3f}" in line
    assert f"Assessed {len(frame):,} inventory rows ({frame['quantity'].sum():,.0f} devices)." in stdout
    assert "By category" in stdout and "Top 10 items" in stdout and "Energy data:" in stdout
    for category in frame["category"].unique():
        assert f"  {category} " in stdout


def test_assess_example_town(tmp_path, capsys):
    code, stdout, err = run_main(["assess", str(TOWN), "--country", "FR", "--date", "2026-01-15"], capsys)
    assert code == 0, err
    assert "Assessed" in stdout and "tCO2e/yr" in stdout


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("category,quantity\nlaptop,-1\n", "row 2, column 'quantity': value '-1': a negative value"),
        ("category\ntoaster\n", "row 2, column 'category': value 'toaster': unknown category"),
        ("category,ram_gb\nlaptop,16 W\n", "row 2, column 'ram_gb': value '16 W': unit 'W' is not a data size"),
        ("category,country\nlaptop,Narnia\n", "row 2, column 'country': value 'Narnia': unknown country"),
        ("category,purchase_date\nlaptop,30/02/2021\n", "row 2, column 'purchase_date': value '30/02/2021': impossible"),
        ("category,id\nlaptop,A\nlaptop,A\n", "row 3, column 'id': value 'A': duplicate id"),
        ("name\nx\n", "no category column"),
        ("", "empty file"),
        ("category;name\nlaptop;a;b;c\n", "malformed CSV"),
    ],
)
def test_bad_input_exits_2_with_one_line(write, capsys, content, words):
    path = write("bad.csv", content)
    code, stdout, err = run_main(["assess", str(path), "--country", "FR"], capsys)
    assert code == 2
    assert err.startswith("error: ") and words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unknown_country_option_exits_2(write, capsys):
    path = write("ok.csv", "category\nlaptop\n")
    code, _, err = run_main(["assess", str(path), "--country", "XX"], capsys)
    assert code == 2 and "unknown country" in err


def test_failed_run_does_not_clobber_existing_output(write, tmp_path, capsys):
    out = tmp_path / "results.csv"
    out.write_text("precious")
    bad = write("bad.csv", "category\ntoaster\n")
    code, _, _ = run_main(["assess", str(bad), "--country", "FR", "-o", str(out)], capsys)
    assert code == 2 and out.read_text() == "precious"


def test_bad_output_extension(write, tmp_path, capsys):
    path = write("ok.csv", "category\nlaptop\n")
    code, _, err = run_main(["assess", str(path), "--country", "FR", "-o", str(tmp_path / "r.docx")], capsys)
    assert code == 2 and "unknown output type" in err


def test_factors_listing_with_sources():
    result = CliRunner().invoke(cli, ["factors", "--criterion", "gwp", "--country", "FR"])
    assert result.exit_code == 0
    assert "elec-FR-gwp" in result.output and "source:" in result.output
    csv_out = CliRunner().invoke(cli, ["factors", "--category", "portable", "--format", "csv"])
    frame = pd.read_csv(pd.io.common.StringIO(csv_out.output))
    assert (frame["source"].str.len() > 0).all()
    assert set(frame["table"]) == {"embodied", "archetypes"}


def test_console_script_help_is_fast_and_lists_commands():
    proc = subprocess.run([sys.executable, "-m", "auditor.cli", "--help"], capture_output=True, text=True, check=True)
    assert "assess" in proc.stdout and "factors" in proc.stdout
    proc = subprocess.run([sys.executable, "-c", "import auditor.cli, sys; print('pandas' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"


def test_progress_is_silent_for_short_work_and_reports_long_work():
    import io

    from auditor.progress import Progress

    quiet_stream = io.StringIO()
    quick = Progress(stream=quiet_stream, delay_s=60)
    quick.step("reading")
    assert quiet_stream.getvalue() == ""
    stream = io.StringIO()
    slow = Progress(stream=stream, delay_s=0)
    slow.step("rows", done=50, total=100)
    assert "50/100 rows" in stream.getvalue() and "#" * 15 in stream.getvalue()
    off = Progress(enabled=False, stream=io.StringIO(), delay_s=0)
    off.step("x")
    assert off.stream.getvalue() == ""


def test_python_dash_m_auditor_works(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "auditor", "assess", str(SMALL), "-q", "--date", "2026-01-15"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Assessed ")


def test_written_results_are_formula_safe_and_not_private(write, tmp_path, capsys):
    path = write("evil.csv", "category,name,site\nlaptop,=HYPERLINK(\"http://x\"),@SUM(1)\nlaptop,+cmd,-2\n")
    out = tmp_path / "r.csv"
    code, _, err = run_main(["assess", str(path), "--country", "FR", "-o", str(out), "-q"], capsys)
    assert code == 0, err
    text = out.read_text()
    for cell in ('=HYPERLINK', "@SUM(1)", "+cmd"):
        assert f"'{cell}" in text.replace('""', '"')
    assert (out.stat().st_mode & 0o044) == 0o044  # readable by group and others, like any file


def test_criterion_energy_shows_energy_not_ghg(capsys):
    """``--criterion energy`` used to be accepted and silently show GHG."""
    code, stdout, err = run_main(["assess", str(SMALL), "--criterion", "energy", "--date", "2026-01-15", "-q"],
                                 capsys)
    assert code == 0, err
    tables = stdout.split("By category", 1)[1]
    assert tables.startswith(" (Energy, MWh/yr):") and "Top 10 items (Energy, kWh/yr):" in tables
    assert "GHG" not in tables and "kgCO2e" not in tables
    # the largest consumer: sw-001, 3 switches declared at 120 W, on 24 h a day, 365 days (archetype)
    first = tables.split("Top 10 items (Energy, kWh/yr):\n", 1)[1].splitlines()[0]
    assert first.split()[:2] == [f"{3 * 120 * 24 * 365 / 1000:,.0f}", "sw-001"]
    network = next(line for line in tables.splitlines() if line.strip().startswith("network_switch"))
    assert network.split()[1:4] == ["3", "3.2", "3.2"]  # devices, MWh/yr, total MWh/yr
