"""Small messages of the services' commands, as a new user meets them (one line naming the
option, the value and what was expected)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("option", "unit"), [("--rotate-size", "MiB"), ("--rotate-age", "hours"),
                                              ("--interval", "seconds")])
def test_probe_options_name_their_own_unit(option, unit, capsys):
    from probes.__main__ import main

    assert main(["run", option, "0", "--duration", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert option in err and "'0'" in err and f"positive number of {unit}" in err


def test_review_refuses_a_previous_assessment_dated_after_this_one(capsys):
    from auditor.cli import main
    from tests.conftest import EXAMPLES

    small = str(EXAMPLES / "small-inventory.csv")
    code = main(["review", small, "--baseline", small, "--date", "2026-01-15", "--baseline-date", "2027-01-01",
                 "-q"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--baseline-date" in err[0] and "2027-01-01" in err[0] and "2026-01-15" in err[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["--range", "0"], "--range '0'"),
    (["--step", "2x"], "--step '2x'"),
    (["--range", "1h", "--step", "2h"], "--step 2h is longer than --range 1h"),
])
def test_ingest_durations_name_their_option(tmp_path, capsys, args, expected):
    from auditor.cli import main

    # nothing listens there: the options are checked before any query
    code = main(["ingest", "--prometheus", "http://127.0.0.1:9", *args, "-o", str(tmp_path / "s")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


def test_a_targets_file_not_in_utf8_is_bad_input_named(tmp_path, capsys):
    from auditor.cli import main
    from tests.conftest import EXAMPLES

    targets = tmp_path / "objectifs.yaml"
    targets.write_bytes("objectives:\n  - indicator: gwp\n    max: 5\n    label: été\n".encode("latin-1"))
    code = main(["review", str(EXAMPLES / "small-inventory.csv"), "--targets", str(targets), "-q",
                 "--date", "2026-01-15"])
    assert code == 2
    err = [line for line in capsys.readouterr().err.strip().splitlines() if not line.startswith("warning")]
    assert len(err) == 1 and "objectifs.yaml" in err[0] and "UTF-8" in err[0]
