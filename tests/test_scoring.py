"""Sobriety and repairability scores: published grade boundaries, invariants, the results contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.api import assess_table
from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from auditor.results import ALL_RESULT_COLUMNS, SCORE_COLUMNS
from auditor.scoring import score
from auditor.scoring.common import grade
from auditor.scoring.parameters import scoring_parameters
from auditor.scoring.sobriety import category_reference
from factors.tables import CATEGORIES, DATA_DIR, load_table
from tests.conftest import TODAY

OPTIONS = AssessOptions(today=TODAY)
ECOINDEX = [("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10)]


def scored(rows, library):
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    return assess_table(table, library=library, options=OPTIONS)


def test_scoring_parameters_are_sourced_and_unit_checked():
    raw = pd.read_csv(DATA_DIR / "scoring.csv", dtype=str, keep_default_na=False)
    assert (raw["source"].str.strip() != "").all()
    loaded = load_table("parameters", DATA_DIR / "scoring.csv")
    assert loaded["id"].is_unique
    assert ((loaded["low"] <= loaded["value"]) & (loaded["value"] <= loaded["high"])).all()


@pytest.mark.parametrize(("value", "letter"), [
    (100, "A"), (80.1, "A"), (80, "B"), (70.5, "B"), (70, "C"), (55, "D"), (40.01, "D"), (40, "E"),
    (25, "F"), (10.5, "F"), (10, "G"), (0, "G"),
])
def test_sobriety_grades_follow_ecoindex_strict_thresholds(library, value, letter):
    # cnumr EcoIndex reference: A > 80, B > 70, C > 55, D > 40, E > 25, F > 10, else G
    params = scoring_parameters(library)
    floors = [(g, params[f"sobriety_grade_{g.lower()}_above"]) for g, _ in ECOINDEX]
    assert [f for _, f in floors] == [f for _, f in ECOINDEX]
    assert grade(np.array([value], float), floors, "G", strict=True)[0] == letter


@pytest.mark.parametrize(("index", "letter"), [
    (10, "A"), (8, "A"), (7.9, "B"), (6, "B"), (5.9, "C"), (4, "C"), (3.9, "D"), (2, "D"), (1.9, "E"), (0, "E"),
])
def test_repairability_grades_follow_the_french_colour_bands(library, index, letter):
    # arrêté du 29 décembre 2020: 0-1.9 red, 2-3.9 orange, 4-5.9 yellow, 6-7.9 light green, 8-10 dark green
    r = scored([{"category": "laptop", "repairability_index": index}], library)
    assert r.loc[0, "repairability_grade"] == letter
    assert r.loc[0, "repairability_source"] == "official"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.floats(0, 10, allow_nan=False), category=st.sampled_from(CATEGORIES),
       year=st.integers(2010, 2025))
def test_a_given_repairability_index_is_returned_as_is(library, index, category, year):
    r = scored([{"category": category, "repairability_index": index, "year": year}], library)
    assert r.loc[0, "repairability_score"] == pytest.approx(index, abs=1e-9)
    assert r.loc[0, "repairability_source"] == "official"


def test_repairability_estimates_and_gaps(library):
    rows = [
        {"category": "smartphone", "purchase_date": "2024-01-10"},                 # within the parts period
        {"category": "smartphone", "purchase_date": "2019-01-10"},                 # parts period over
        {"category": "laptop", "manufacturer": "ASUSTeK Computer Inc.", "purchase_date": "2024-01-10"},
        {"category": "laptop", "manufacturer": "HP", "purchase_date": "2024-01-10"},
        {"category": "laptop", "manufacturer": "Dell", "purchase_date": "2024-01-10"},
        {"category": "desktop", "purchase_date": "2024-01-10"},
    ]
    r = scored(rows, library)
    # UFC-Que Choisir 2021: smartphones average 7.2/10, spare-part sub-score 4.8/10 (criterion = 2 points)
    assert r.loc[0, "repairability_score"] == pytest.approx(7.2, abs=0.05)
    assert r.loc[1, "repairability_score"] == pytest.approx(7.2 - 0.96, abs=0.05)
    assert r.loc[2, "repairability_score"] == pytest.approx(7.2, abs=0.05)  # PIRG 2025: Asus 7.2
    assert r.loc[3, "repairability_score"] == pytest.approx(5.9, abs=0.05)  # HP 5.9
    assert r.loc[4, "repairability_score"] == pytest.approx(6.4, abs=0.05)  # mean of the brands
    assert list(r["repairability_source"].astype(str)) == ["estimated"] * 5 + ["unavailable"]
    assert np.isnan(r.loc[5, "repairability_score"]) and pd.isna(r.loc[5, "repairability_grade"])


def test_default_item_scores_at_the_category_reference(library):
    r = scored([{"category": c} for c in CATEGORIES], library)
    assert np.allclose(r["sobriety_score"], 50.0)
    assert set(r["sobriety_grade"].astype(str)) == {"D"}
    assert r["sobriety_reasons"].astype(str).str.contains("category reference").all()


def test_idle_server_and_always_on_desktop_score_low(library):
    rows = [
        {"category": "server", "avg_load_pct": 2, "cpu_count": 2, "ram_gb": 128},
        {"category": "server", "avg_load_pct": 50, "cpu_count": 2, "ram_gb": 128},
        {"category": "desktop", "hours_per_day": 24, "days_per_year": 365},
        {"category": "desktop", "hours_per_day": 8, "days_per_year": 220},
    ]
    r = scored(rows, library)
    assert r.loc[0, "sobriety_score"] < 25 < 60 < r.loc[1, "sobriety_score"]
    assert "idle capacity" in r.loc[0, "sobriety_reasons"]
    assert r.loc[2, "sobriety_score"] < 25 and "of the hours outside working time" in r.loc[2, "sobriety_reasons"]
    assert r.loc[3, "sobriety_score"] >= 50 and "switched off outside working hours" in r.loc[3, "sobriety_reasons"]


def test_reference_comes_from_the_engine(library):
    ref = category_reference(library)
    assert (ref.best <= ref.value).all() and (ref.value <= ref.worst).all()
    assert np.isfinite(ref.value).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["server", "desktop", "laptop", "monitor", "network_switch"]),
    low=st.floats(0, 100), high=st.floats(0, 100),
    extra=st.fixed_dictionaries({}, optional={
        "cpu_count": st.integers(1, 4), "ram_gb": st.floats(4, 512), "hours_per_day": st.floats(1, 24),
        "power_w": st.floats(1, 600), "energy_kwh_per_year": st.floats(1, 5000),
        "cpu_tdp_w": st.floats(10, 300), "country": st.sampled_from(["FR", "PL", "US"])}),
)
def test_lower_load_never_raises_sobriety(library, category, low, high, extra):
    low, high = sorted((low, high))
    rows = [{**extra, "category": category, "avg_load_pct": load} for load in (low, high)]
    r = scored(rows, library)
    assert r.loc[0, "sobriety_score"] <= r.loc[1, "sobriety_score"] + 1e-9


def test_score_columns_are_in_the_contract_and_in_assess_output(library):
    table = table_from_records([{"category": "laptop"}, {"category": "server", "os": "Debian 12"}],
                               country="FR", today=TODAY, library=library)
    results = assess(table, library, OPTIONS)
    scores = score(results, table, library, TODAY)
    assert list(scores.columns) == list(SCORE_COLUMNS)
    assert len(SCORE_COLUMNS) == 10
    full = assess_table(table, library=library, options=OPTIONS)
    assert list(full.columns) == list(ALL_RESULT_COLUMNS)
    assert str(full["replacement_due"].dtype).startswith("datetime64")


def test_scores_survive_every_export_format(library, tmp_path):
    from reports.exports import read_results, write_results

    full = scored([{"category": "laptop", "os": "Windows 10 Pro 22H2", "purchase_date": "2019-05-01",
                    "cpu_model": "Intel(R) Core(TM) i5-7300U"}], library)
    for suffix in ("csv", "json", "parquet", "xlsx"):
        path = write_results(full, tmp_path / f"r.{suffix}")
        back = read_results(path)
        assert back.loc[0, "obsolescence_level"] == "critical", suffix
        expected = full.loc[0, "replacement_due"].date().isoformat()  # 2023-05-01: 4-year laptop lifetime
        assert str(back.loc[0, "replacement_due"]).startswith(expected), suffix
