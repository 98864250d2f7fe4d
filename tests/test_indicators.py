"""Strategy indicators and targets: values from hand calculations on small tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditor.errors import InputError
from auditor.indicators import Indicator, evaluate, find, indicators, os_support, read_targets
from auditor.results import total_column, use_column

CRITERIA = ("energy", "gwp", "water", "adpe", "pe")


def results_table(**columns) -> pd.DataFrame:
    """A minimal results table: three rows, totals 10, 20, 30 of every criterion."""
    n = 3
    frame = pd.DataFrame({"id": ["a", "b", "c"], "category": ["laptop", "laptop", "server"],
                          "quantity": [1.0, 3.0, 1.0], "energy_source": ["measured", "modelled", "measured"]})
    for criterion in CRITERIA:
        for bound in ("", "low", "high"):
            frame[total_column(criterion, bound)] = [10.0, 20.0, 30.0]
            if criterion != "energy":
                frame[use_column(criterion, bound)] = [1.0, 2.0, 3.0]
    for name, values in columns.items():
        frame[name] = values if len(values) == n else values
    return frame


def test_totals_per_inhabitant_and_agent():
    values = indicators(results_table(), inhabitants=4, agents=2)
    assert find(values, "gwp").value == 60.0
    assert find(values, "gwp_per_inhabitant").value == 15.0
    assert find(values, "energy_per_agent").value == 30.0


def test_mean_age_and_lifetime_are_weighted_by_quantity():
    values = indicators(results_table(age_years=[2.0, 6.0, 1.0], lifetime_years=[4.0, 8.0, 5.0]))
    # laptops: (1 x 2 + 3 x 6) / 4 = 5 years of age; (1 x 4 + 3 x 8) / 4 = 7 years of lifetime
    assert find(values, "mean_age_years", "laptop").value == 5.0
    assert find(values, "mean_lifetime_years", "laptop").value == 7.0
    assert find(values, "mean_age_years", "server").value == 1.0


def test_retirement_age_is_the_age_at_the_baseline_plus_half_the_interval():
    retired = pd.DataFrame({"category": ["laptop", "laptop"], "quantity": [1.0, 3.0], "age_years": [10.0, 6.0]})
    values = indicators(results_table(), retired=retired, interval_years=1.0)
    # (1 x 10.5 + 3 x 6.5) / 4 = 7.5 years
    assert find(values, "retirement_age_years", "laptop").value == pytest.approx(7.5)


def test_measured_energy_share_and_server_room_pue():
    values = indicators(results_table(pue=[1.0, 1.5, 2.0]))
    # measured: rows a and c, 10 + 30 of 60 kWh
    assert find(values, "measured_energy_share").value == pytest.approx(40 / 60)
    # rooms: rows b and c; facility 20 + 30 = 50 kWh, IT 20/1.5 + 30/2 = 28.33 kWh
    assert find(values, "server_room_pue").value == pytest.approx(50 / (20 / 1.5 + 15))


def test_supported_os_from_software_status_else_obsolescence_reasons():
    status = results_table(software_status=["supported", "unsupported", None])
    # known: 1 + 3 devices; supported 1
    assert find(indicators(status), "supported_os_share").value == pytest.approx(0.25)
    reasons = results_table(obsolescence_reasons=[
        "Windows 11 23H2 supported until 2026-11-10", "Windows 10 22H2: security support ended 2025-10-14",
        "Debian 12: security support ends 2026-06-10"])
    supported, known = os_support(reasons)
    assert supported.tolist() == [True, False, True] and known.all()
    assert find(indicators(reasons), "supported_os_share").value == pytest.approx(2 / 5)
    assert os_support(results_table()) is None


def test_share_of_purchases_reused_or_refurbished_reads_the_flags():
    results = results_table(year=[2025.0, 2025.0, 2020.0])
    table = pd.DataFrame({"reused": ["oui", "", "non"], "refurbished": ["", "non", "yes"]})
    # purchases of the latest year: rows a (reused, 1 device) and b (new, 3 devices) -> 1 / 4
    value = find(indicators(results, table=table), "reused_refurbished_share")
    assert value.value == pytest.approx(0.25) and value.coverage == 1.0
    added = np.array([False, False, True])
    assert find(indicators(results, table=table, purchases=added), "reused_refurbished_share").value == 1.0


def test_targets_file_and_gaps(write):
    path = write("objectifs.yaml", """
base_year: 2024
objectives:
  - indicator: gwp
    reduction: -20 %
    by: 2030
    base_value: 120000
  - indicator: mean_lifetime_years
    category: laptop
    min: 6
  - indicator: supported_os_share
    min: 95 %
  - indicator: server_room_pue
    max: 1,5
  - indicator: reused_refurbished_share
    min: 0.2
""")
    objectives = read_targets(path)
    assert objectives[0].reduction == 0.2 and objectives[0].base_year == 2024
    assert objectives[2].minimum == 0.95 and objectives[3].maximum == 1.5
    now = [Indicator("gwp", 110000.0, "kgCO2e/yr"), Indicator("mean_lifetime_years", 5.0, "year", "laptop"),
           Indicator("supported_os_share", 0.96, "share"), Indicator("server_room_pue", 1.8, "")]
    table = evaluate(objectives, now, [Indicator("gwp", 115000.0, "kgCO2e/yr")], 2026, 2025)
    gwp = table.iloc[0]
    # target 120000 x 0.8 = 96000 in 2030; expected in 2026: 120000 - 24000 x 2/6 = 112000
    assert gwp["target"] == pytest.approx(96000) and gwp["expected_now"] == pytest.approx(112000)
    assert gwp["gap"] == pytest.approx(-2000) and gwp["status"] == "on_track"
    assert gwp["trend"] == pytest.approx(-5000)
    assert table["status"].tolist() == ["on_track", "not_met", "met", "not_met", "not_available"]
    assert table.iloc[1]["gap"] == pytest.approx(-1.0)


@pytest.mark.parametrize("text, message", [
    ("objectives:\n  - indicator: ghg\n    max: 3\n", r"objective 1, field 'indicator': value 'ghg'"),
    ("objectives:\n  - indicator: supported_os_share\n    min: 95\n", r"objective 1 \('supported_os_share'\), field 'min': value '95'"),
    ("objectives:\n  - indicator: gwp\n    reduction: 20 %\n    by: soon\n", r"field 'by': value 'soon'"),
    ("objectives:\n  - indicator: gwp\n", r"expected one of the fields 'min', 'max' or 'reduction'"),
    ("objectives: [\n", r"not valid YAML"),
    ("- 1\n", r"expected a mapping with a list 'objectives'"),
])
def test_bad_targets_name_file_objective_and_field(write, text, message):
    path = write("t.yaml", text)
    with pytest.raises(InputError, match=r"t\.yaml.*" + message):
        read_targets(path)
