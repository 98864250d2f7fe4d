"""A server whose CPU generation is unknown takes the mean generation offset of the TRAIN servers of
its year (effect_by_year): an old server of unknown CPU is not modelled as efficient as a new one."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from factors.fit.fit_server_power import effect_by_year
from factors.power import SPEC_LOAD_LEVELS_PCT
from tests.conftest import ROOT

MODEL_CSV = ROOT / "factors" / "data" / "server-power-model.csv"
LEVELS = len(SPEC_LOAD_LEVELS_PCT)


def test_mean_offset_of_a_year_by_hand():
    effects = {"generation": {"a": np.ones(LEVELS), "b": np.full(LEVELS, 3.0)}}
    keys = {"generation": np.array(["a", "b", "", "a"], dtype=object)}
    years = np.array([2010.0, 2011.0, 2011.0, 2014.0])
    out = effect_by_year(effects, keys, years)
    # window of one year either side; the row of unknown generation counts for nothing
    assert sorted(out) == [2010, 2011, 2012, 2013, 2014]
    assert out[2010][0] == pytest.approx(2.0)  # a (2010), b (2011)
    assert out[2011][0] == pytest.approx(2.0)  # a, b
    assert out[2012][0] == pytest.approx(3.0)  # b (2011)
    assert out[2013][0] == pytest.approx(1.0)  # a (2014)
    assert out[2014][0] == pytest.approx(1.0)


def _shipped_by_year() -> dict[int, np.ndarray]:
    rows = {}
    with MODEL_CSV.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["parameter"].startswith("effect_by_year:generation:"):
                _, _, year, level = r["parameter"].split(":")
                rows.setdefault(int(year), {})[int(level)] = float(r["value"])
    return {y: np.array([d[int(lv)] for lv in SPEC_LOAD_LEVELS_PCT]) for y, d in rows.items()}


def test_unknown_generation_takes_its_years_offset(library):
    from auditor.footprint import server_power_model

    model = server_power_model(library)
    shipped = _shipped_by_year()
    assert 2010 in shipped and 2020 in shipped
    keys = {"vendor": np.array(["", "", "", ""], dtype=object),
            "generation": np.array(["", "", "", "skylake"], dtype=object),
            "year": np.array([2010.0, np.nan, 2099.0, 2010.0])}
    offset, down, up = model.effect_offsets(keys, 4)
    assert offset[0] == pytest.approx(shipped[2010])  # read from the table with the csv module
    assert offset[1] == pytest.approx(np.zeros(LEVELS))  # no year: no offset, as before
    assert offset[2] == pytest.approx(shipped[max(shipped)])  # beyond the fitted years: the last one
    assert offset[3] == pytest.approx(model.effects["generation"]["skylake"])  # a known generation wins
    # an unknown generation keeps its wider bounds even with a year's offset; a known one has none
    assert (up[0] >= up[3]).all() and (up[0] > up[3]).any()
    assert up[0] == pytest.approx(up[1])


def test_an_old_server_of_unknown_cpu_draws_more_than_a_new_one(library):
    from auditor.api import assess_table
    from auditor.footprint import AssessOptions
    from auditor.inventory import table_from_records
    from tests.conftest import TODAY

    rows = [{"id": f"s{y}", "category": "server", "avg_load_pct": 20, "year": y} for y in (2009, 2013, 2024)]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=AssessOptions(today=TODAY))
    power = results["power_w"].to_numpy()
    shipped = _shipped_by_year()
    # the 2009 server's generation offset at 20 % load is larger than the 2024 one's (TRAIN data):
    assert shipped[2009][2] > shipped[max(shipped)][2]
    assert power[0] > power[2]


def test_results_fitted_twice_so_an_unmeasured_cpu_gets_the_mean_of_all_results():
    """With the CPU-model key copied blank (BLANKED_COPY) and a vanishing penalty, the intercept is
    the mean ln P of ALL results: 3 results of CPU a at ln P = 0.3 and 1 of CPU b at -0.1 give
    (3 x 0.3 - 0.1) / 4 = 0.2 for a CPU never measured, while each measured CPU keeps its own level.
    (Fitted once, the minimum-norm split would put an unmeasured CPU at the mean of the two CPUs'
    levels, 0.1, however few results one of them has.)"""
    from factors.fit.fit_server_power import BLANKED_COPY, fit_levels

    assert "cpu" in BLANKED_COPY
    log_p = np.array([0.3, 0.3, 0.3, -0.1])
    y = np.exp(np.repeat(log_p[:, None], LEVELS, axis=1))
    keys = {"cpu": np.array(["a", "a", "a", "b"], dtype=object)}
    inputs = {"year": np.full(4, 2015.0)}
    beta, _, effects = fit_levels(inputs, y, ("intercept",), 0.0, 2015.0, keys, {"cpu": 1e-9})
    assert beta[0] == pytest.approx(np.full(LEVELS, 0.2), abs=1e-6)
    assert beta[0] + effects["cpu"]["a"] == pytest.approx(np.full(LEVELS, 0.3), abs=1e-6)
    assert beta[0] + effects["cpu"]["b"] == pytest.approx(np.full(LEVELS, -0.1), abs=1e-6)
