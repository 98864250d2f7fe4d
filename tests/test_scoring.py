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
from auditor.scoring.sobriety import (
    category_reference,
    footprint_subscore,
    sobriety,
)
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


def test_repairability_estimates_by_hand(library):
    rows = [
        {"category": "smartphone", "purchase_date": "2024-01-10"},                 # within the parts period
        {"category": "smartphone", "purchase_date": "2019-01-10"},                 # parts period over
        {"category": "laptop", "manufacturer": "ASUSTeK Computer Inc.", "purchase_date": "2024-01-10"},
        {"category": "laptop", "manufacturer": "HP", "purchase_date": "2024-01-10"},
        {"category": "laptop", "manufacturer": "Dell", "purchase_date": "2024-01-10"},
        {"category": "desktop"},                                                    # nothing known
        {"category": "desktop", "form_factor": "Tour", "memory_soldered": "non"},
        {"category": "desktop", "form_factor": "All-in-One", "memory_soldered": "oui",
         "manufacturer": "HP", "model": "EliteOne 800 G6"},
        {"category": "smartphone", "repairability_class": "B"},
        {"category": "tablet", "repairability_class": "classe a", "repairability_index": 6.1},
    ]
    r = scored(rows, library)
    score, low, high = (r[c].to_numpy() for c in ("repairability_score", "repairability_score_low",
                                                  "repairability_score_high"))
    # UFC-Que Choisir 2021: smartphones average 7.2/10; parts sub-score 4.8/10 of a 2-point criterion
    assert score[0] == pytest.approx(7.2, abs=0.05) and (low[0], high[0]) == pytest.approx((5.7, 8.7))
    assert score[1] == pytest.approx(7.2 - 4.8 / 10 * 2, abs=0.05)
    assert score[2] == pytest.approx(7.2, abs=0.05)  # PIRG 2025: Asus 7.2, within the 5-year parts period
    assert score[3] == pytest.approx(5.9, abs=0.05)  # HP 5.9
    assert score[4] == pytest.approx((7.2 + 7.1 + 7.3 + 6.5 + 5.9 + 4.3) / 6, abs=0.05)  # mean of the brands
    # category prior of a category no index covers: 5 with bounds 1-9 (method choice)
    assert (score[5], low[5], high[5]) == (5.0, 1.0, 9.0)
    # tower +1, socketed memory +0.5; half-width 4 - 2 known facts = 2
    assert (score[6], low[6], high[6]) == pytest.approx((6.5, 4.5, 8.5))
    # all-in-one -2, soldered -1, HP EliteOne service manual +0.5; half-width max(1.5, 4 - 3)
    assert (score[7], low[7], high[7]) == pytest.approx((2.5, 1.0, 4.0))
    # EU class B: R in [3.35, 4.00) of 1-5, i.e. 5.875-7.5 on 0-10, middle 6.6875
    assert (score[8], low[8], high[8]) == pytest.approx((6.7, 5.9, 7.5), abs=0.051)
    assert score[9] == 6.1 and low[9] == high[9] == 6.1  # an index given wins over the class
    assert list(r["repairability_source"].astype(str)) == (
        ["estimated"] * 5 + ["category", "estimated", "estimated", "official", "official"])
    assert "PIRG" in r.loc[3, "repairability_reasons"] and "memory soldered (-1)" in r.loc[7, "repairability_reasons"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(CATEGORIES), year=st.integers(2008, 2026),
    extra=st.fixed_dictionaries({}, optional={
        "repairability_index": st.floats(0, 10), "repairability_class": st.sampled_from(["A", "b", "E", "Z", ""]),
        "form_factor": st.sampled_from(["tower", "SFF", "mini", "AIO", "rack"]),
        "memory_soldered": st.sampled_from(["yes", "no", "?"]),
        "manufacturer": st.sampled_from(["Apple", "HP", "Lenovo", "Fairphone", "Acme"]),
        "model": st.sampled_from(["ThinkPad T14", "MacBook Air", "X"])}),
)
def test_repairability_bounds_hold_for_every_item(library, category, year, extra):
    r = scored([{**extra, "category": category, "year": year}], library)
    score, low, high = (float(r.loc[0, c]) for c in ("repairability_score", "repairability_score_low",
                                                     "repairability_score_high"))
    assert 0.0 <= low <= score <= high <= 10.0
    assert r.loc[0, "repairability_source"] in ("official", "estimated", "category")


def test_footprint_subscore_by_hand():
    # log scale: 50 at the reference, 100 at half, 0 at twice, 75 at 1/sqrt(2), 25 at sqrt(2)
    ratios = np.array([1.0, 0.5, 0.25, 2.0, 4.0, 2 ** -0.5, 2 ** 0.5, 0.0, np.inf, np.nan])
    expected = [50, 100, 100, 0, 0, 75, 25, 100, 0]
    out = footprint_subscore(ratios, 0.5, 2.0)
    assert out[:-1] == pytest.approx(expected)
    assert np.isnan(out[-1])


def _scaled_items(library, category: str, factors: list[float]):
    """Results and table of default items of ``category`` whose embodied and energy are scaled by ``factors``."""
    table = table_from_records([{"category": category} for _ in factors], country="FR", today=TODAY,
                               library=library)
    results = assess(table, library, OPTIONS)
    for column in results.columns:
        if column.startswith(("energy_kwh_per_year", "gwp_", "water_", "adpe_", "pe_")):
            results[column] = results[column].to_numpy() * np.array(factors)
    return results, table


def test_sobriety_grade_boundaries_through_the_score(library):
    # footprint ratio r gives 50 - 50 log2(r): 2**-0.6 -> 80.0 (B, strict), 2**-0.61 -> 80.5 (A),
    # 2**0.8 -> 10.0 (G), 2**0.79 -> 10.5 (F), 2**0.3 -> 35.0 (E)
    exponents = [-0.6, -0.61, 0.8, 0.79, 0.3]
    results, table = _scaled_items(library, "laptop", [2.0 ** x for x in exponents])
    out = sobriety(results, table, library, scoring_parameters(library))
    assert list(out["sobriety_score"]) == pytest.approx([80.0, 80.5, 10.0, 10.5, 35.0])
    assert list(out["sobriety_grade"].astype(str)) == ["B", "A", "G", "F", "E"]


def test_longer_lifetime_by_hand(library):
    """A desktop kept 9 years instead of its 6-year archetype life: the score from the equation, by hand."""
    from auditor.results import UNIT_OF

    default = assess(table_from_records([{"category": "desktop"}], country="FR", today=TODAY, library=library),
                     library, OPTIONS)
    assert default.loc[0, "lifetime_years"] == 6
    logs = []
    for c in ("gwp", "water", "adpe", "pe"):
        emb = default.loc[0, f"{c}_embodied_{UNIT_OF[c]}"]
        use = default.loc[0, f"{c}_use_{UNIT_OF[c]}_per_year"]
        logs.append(np.log((emb / 9 + use) / (emb / 6 + use)))
    # criteria without a shipped factor (empty: licence gate) are left out of the geometric mean
    logs = [x for x in logs if np.isfinite(x)]
    assert len(logs) >= 2  # gwp and water at least
    expected = round(50 - 50 * np.log2(np.exp(np.mean(logs))), 1)
    r = scored([{"category": "desktop", "lifetime_years": 9}, {"category": "desktop"}], library)
    assert r.loc[0, "sobriety_score"] == pytest.approx(expected, abs=0.05)
    assert r.loc[1, "sobriety_score"] == 50.0  # nothing known: the reference itself
    assert "manufacture spread over 9 years instead of 6" in r.loc[0, "sobriety_reasons"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["monitor", "laptop", "smartphone", "tablet", "tv", "desktop"]),
    small=st.floats(4, 90), bigger=st.floats(0.1, 40),
    extra=st.fixed_dictionaries({}, optional={
        "year": st.integers(2012, 2025), "lifetime_years": st.floats(1, 12), "hours_per_day": st.floats(1, 24),
        "ram_gb": st.floats(1, 64), "weight_kg": st.floats(0.1, 30), "manufacturer": st.sampled_from(["Dell", "Apple"]),
        "country": st.sampled_from(["FR", "PL"])}),
)
def test_a_larger_screen_never_raises_sobriety(library, category, small, bigger, extra):
    rows = [{**extra, "category": category, "screen_size_in": size} for size in (small, small + bigger)]
    r = scored(rows, library)
    assert r.loc[1, "sobriety_score"] <= r.loc[0, "sobriety_score"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["server", "desktop", "laptop", "monitor", "smartphone", "network_switch", "tv"]),
    short=st.floats(0.5, 15), longer=st.floats(0.01, 10),
    extra=st.fixed_dictionaries({}, optional={
        "year": st.integers(2012, 2025), "screen_size_in": st.floats(5, 60), "hours_per_day": st.floats(1, 24),
        "power_w": st.floats(1, 400), "avg_load_pct": st.floats(0, 100), "country": st.sampled_from(["FR", "PL"])}),
)
def test_a_longer_lifetime_never_lowers_sobriety(library, category, short, longer, extra):
    rows = [{**extra, "category": category, "lifetime_years": life} for life in (short, short + longer)]
    r = scored(rows, library)
    assert r.loc[1, "sobriety_score"] >= r.loc[0, "sobriety_score"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(category=st.sampled_from(["desktop", "laptop", "monitor", "tv", "printer"]),
       hours=st.floats(1, 23), more=st.floats(0.1, 23), year=st.integers(2012, 2025))
def test_more_hours_on_never_raise_sobriety(library, category, hours, more, year):
    rows = [{"category": category, "year": year, "hours_per_day": h} for h in (hours, min(hours + more, 24))]
    r = scored(rows, library)
    assert r.loc[1, "sobriety_score"] <= r.loc[0, "sobriety_score"]


def test_default_item_scores_50(library):
    # the rule: an item about which nothing is known scores 50 (D: 50 > 40, not > 55)
    r = scored([{"category": c} for c in CATEGORIES], library)
    assert (r["sobriety_score"] == 50.0).all()
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
    assert (ref.lifetime > 0).all() and np.isfinite(ref.energy).all()
    assert all((v[np.isfinite(v)] >= 0).all() for v in ref.embodied.values())
    assert np.isfinite(ref.embodied["gwp"]).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["server", "desktop", "laptop", "monitor", "network_switch"]),
    low=st.floats(0, 100), high=st.floats(0, 100),
    extra=st.fixed_dictionaries({}, optional={
        "cpu_count": st.integers(1, 4), "ram_gb": st.floats(4, 512), "hours_per_day": st.floats(1, 24),
        "power_w": st.floats(1, 600), "energy_kwh_per_year": st.floats(1, 5000),
        "cpu_tdp_w": st.floats(10, 300), "country": st.sampled_from(["FR", "PL", "US"])}),
)
def test_load_direction_of_sobriety(library, category, low, high, extra):
    # a server's service is the work it does: a lower load never raises its score; a user device's
    # service is one device-year: a higher load only adds energy and never raises its score
    low, high = sorted((low, high))
    rows = [{**extra, "category": category, "avg_load_pct": load} for load in (low, high)]
    r = scored(rows, library)
    if category == "server":
        assert r.loc[0, "sobriety_score"] <= r.loc[1, "sobriety_score"]
    else:
        assert r.loc[1, "sobriety_score"] <= r.loc[0, "sobriety_score"]


def test_score_columns_are_in_the_contract_and_in_assess_output(library):
    table = table_from_records([{"category": "laptop"}, {"category": "server", "os": "Debian 12"}],
                               country="FR", today=TODAY, library=library)
    results = assess(table, library, OPTIONS)
    scores = score(results, table, library, TODAY)
    assert list(scores.columns) == list(SCORE_COLUMNS)
    assert len(SCORE_COLUMNS) == 17
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
        # stranded on Windows 10: forced from its end of support (Microsoft: 14 October 2025)
        assert str(back.loc[0, "replacement_due"]).startswith("2025-10-14"), suffix
        assert back.loc[0, "software_status"] == "extended_support", suffix
        assert str(back.loc[0, "security_support_until"]).startswith("2028-10-10"), suffix  # ESU year 3
        assert back.loc[0, "win11_eligibility"] == "ineligible", suffix
