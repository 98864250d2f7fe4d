"""Probe samples in a chunked assessment: hosts are matched over the whole inventory, so the rows,
the warnings and the summary are those of a whole-table run, whatever the chunk size."""

from __future__ import annotations

import pandas as pd
import pytest

from auditor.api import assess_files
from auditor.chunked import assess_in_chunks
from auditor.cli import main
from auditor.summary import format_summary
from tests.conftest import TODAY
from tests.test_measurements import HOUR, MONDAY, hourly, office_hours, write_records


@pytest.fixture
def estate(tmp_path):
    """Nine rows; hosts that match by hostname, by short name, by id, one short name shared by two
    rows (ambiguous: matches none) in different chunks, and two hosts matching one row."""
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "id,hostname,category,country\n"
        "pc-1,pc-1.ville.fr,desktop,FR\n"
        "pc-2,,desktop,FR\n"
        "srv-1,srv-1.dc.ville.fr,server,FR\n"
        "pc-3,dup.ecole.fr,desktop,FR\n"
        "pc-4,pc-4,laptop,FR\n"
        "pc-5,pc-5,desktop,FR\n"
        "pc-6,dup.mairie.fr,desktop,FR\n"
        "pc-7,pc-7.ville.fr,desktop,FR\n"
        "pc-8,,monitor,FR\n")
    samples = tmp_path / "samples"
    write_records(samples, "PC-1", hourly(MONDAY, 48, office_hours, cpu=12.0, src="battery", e_j=20.0 * HOUR))
    write_records(samples, "pc-2", hourly(MONDAY, 48, lambda h: True, cpu=30.0))  # by id
    write_records(samples, "srv-1", hourly(MONDAY, 24, lambda h: True, cpu=40.0))  # by short name
    write_records(samples, "dup", hourly(MONDAY, 24, lambda h: True, cpu=5.0))  # ambiguous
    write_records(samples, "pc-7", hourly(MONDAY, 24, office_hours, cpu=9.0))
    write_records(samples, "pc-7.ville.fr", hourly(MONDAY, 48, office_hours, cpu=9.0))  # wins: more records
    return inv, samples


@pytest.mark.parametrize("chunk_rows", [1, 2, 4, 100])
def test_chunked_with_samples_equals_the_whole_table(estate, tmp_path, chunk_rows):
    inv, samples = estate
    whole, whole_warnings = assess_files([inv], samples=[samples], today=TODAY)
    out = tmp_path / f"r{chunk_rows}.parquet"
    summary, warnings = assess_in_chunks([inv], chunk_rows=chunk_rows, output=out, country=None,
                                         today=TODAY, samples=[samples])
    chunked = pd.read_parquet(out)
    # the premise, by hand: pc-1 (hostname), pc-2 (id), srv-1 (short name), pc-7 measured;
    # 'dup' matches two rows by short name and so none
    measured = chunked.loc[chunked["energy_source"].astype(str) == "measured", "id"].tolist()
    assert measured == ["pc-1", "pc-2", "srv-1", "pc-7"]
    assert any("'dup' matches several inventory rows" in w for w in warnings)
    assert any("using 'pc-7.ville.fr'" in w for w in warnings)
    assert sorted(warnings) == sorted(whole_warnings)
    pd.testing.assert_frame_equal(chunked, whole, check_dtype=False, check_categorical=False)
    assert summary.format() == format_summary(whole)


def test_the_command_accepts_samples_with_chunks(estate, tmp_path, capsys):
    inv, samples = estate
    out = tmp_path / "r.parquet"
    code = main(["assess", str(inv), "--samples", str(samples), "--chunk-rows", "3", "--date", "2026-01-15",
                 "-q", "-o", str(out)])
    assert code == 0
    assert "measured 44 %" in capsys.readouterr().out  # 4 of 9 devices
