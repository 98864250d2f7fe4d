"""The printed summary: a criterion whose total is unknown (an embodied factor is missing for some
devices) still shows its use phase, which every device has."""

from __future__ import annotations

import math

import pandas as pd

from auditor.api import assess_table
from auditor.footprint import AssessOptions
from auditor.inventory import read_inventory
from auditor.running import RunningSummary
from auditor.summary import format_summary
from tests.conftest import EXAMPLES, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"


def _line(text: str, start: str) -> list[str]:
    return next(line for line in text.splitlines() if line.startswith(start)).split()


def test_primary_energy_use_phase_is_printed_when_the_total_is_unknown(library):
    table, _ = read_inventory([TOWN], country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=AssessOptions(today=TODAY))
    # hand check of the premise: some devices have no embodied pe factor, every device a use pe
    assert results["pe_embodied_mj"].isna().any()
    assert results["pe_use_mj_per_year"].notna().all()
    text = format_summary(results)
    assert _line(text, "Primary energy")[2:5] == ["-", "-", "-"]
    use = _line(text, "  use phase only")
    # expected: the use-phase column summed by hand, MJ -> GJ, printed as the summary rounds it
    expected = sum(float(v) for v in results["pe_use_mj_per_year"]) / 1000.0
    assert math.isclose(float(use[3].replace(",", "")), expected, rel_tol=5e-4)
    low = sum(float(v) for v in results["pe_use_mj_per_year_low"]) / 1000.0
    assert math.isclose(float(use[4].replace(",", "")), low, rel_tol=5e-3)
    # a known total gets no such line, and an unknown share is not printed as "nan %"
    assert "nan" not in text
    # adpe has no electricity factor either: its use phase is unknown too, and gets no line
    assert _line(text, "Rare materials")[3:6] == ["-", "-", "-"]
    assert sum(1 for line in text.splitlines() if line.startswith("  use phase only")) == 1
    # the same lines from running totals of chunks (the chunked assessment prints those)
    running = RunningSummary()
    for start in range(0, len(results), 700):
        running.add(results.iloc[start:start + 700])
    assert running.format() == text


def test_energy_use_equals_the_energy_total(library):
    from auditor.summary import totals

    table, _ = read_inventory([TOWN], country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=AssessOptions(today=TODAY))
    t = totals(results)
    assert t.loc["energy", "use"] == t.loc["energy", "value"]
    assert isinstance(t, pd.DataFrame) and set(t.columns) >= {"use", "use_low", "use_high"}
