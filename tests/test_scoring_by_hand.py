"""Sobriety sub-scores and obsolescence levels checked by hand (mutation testing, docs/testing.md).

Expected values come from the equations of docs/scoring.md with the figures of
``factors/data/scoring.csv`` and ``factors/data/archetypes.csv`` read by the standard ``csv``
module. To isolate one sub-score, the footprint results of a default item are passed with an
inventory row that changes only the usage: the footprint ratio is then known by construction
(1 for a user device; 1 / work for a server), so its sub-score is known too.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from auditor.scoring.common import anchored_score, grade
from auditor.scoring.parameters import scoring_parameters
from auditor.scoring.sobriety import sobriety
from tests.conftest import TODAY
from tests.test_bounds import archetype
from tests.test_recommend_by_hand import scoring

OPTIONS = AssessOptions(today=TODAY)


def _default_results(library, category: str, n: int) -> pd.DataFrame:
    table = table_from_records([{"category": category}] * n, country="FR", today=TODAY, library=library)
    return assess(table, library, OPTIONS)


def _sobriety(library, category: str, rows: list[dict]) -> pd.DataFrame:
    """Sobriety of ``rows`` priced with the footprint of default items (footprint ratio 1 per device)."""
    results = _default_results(library, category, len(rows))
    table = table_from_records([{"category": category, **r} for r in rows], country="FR", today=TODAY,
                               library=library)
    return sobriety(results, table, library, scoring_parameters(library))


def test_hours_outside_working_time_by_hand(library):
    """Desktop working time 8 h x 220 d = 1,760 h; the out-of-work window 8,760 - 1,760 = 7,000 h.
    On 10 h x 220 d: (2,200 - 1,760) / 7,000 outside -> sub-score 100 (1 - 440/7,000) = 93.714;
    24 h x 365 d: all of it -> 0; 6 h x 200 d: none -> 100. The footprint sub-score is 50 (ratio 1)
    and the score the mean of the two, rounded to a tenth."""
    h = archetype("desktop", "hours_per_day", "hour")[0]
    d = archetype("desktop", "days_per_year", "day")[0]
    window = 8760 - h * d
    cases = [(10, d), (24, 365), (6, 200)]
    expected = [round((50 + 100 * (1 - max(0.0, min(1.0, (hh * min(dd, 366) - min(hh, h) * min(dd, d)) / window))))
                      / 2, 1) for hh, dd in cases]
    out = _sobriety(library, "desktop", [{"hours_per_day": hh, "days_per_year": dd} for hh, dd in cases])
    assert out["sobriety_score"].tolist() == pytest.approx(expected)
    assert expected == pytest.approx([71.9, 25.0, 75.0])
    reasons = out["sobriety_reasons"].astype(str)
    assert "on 6 % of the hours outside working time" in reasons[0]  # 440 / 7,000 = 6.3 %
    assert "switched off outside working hours" in reasons[2]


def test_server_utilisation_by_hand(library):
    """Load anchors (scoring.csv): 0 at the idle threshold, 50 at the on-premise average, 100 at the
    target. A default server's footprint at load L does the work L / L_ref for the same energy, so
    its footprint ratio is L_ref / L (capped sub-score 100 at half or less)."""
    idle = scoring("server_load_idle_pct")
    ref = scoring("server_load_reference_pct")
    target = scoring("server_load_target_pct")
    archetype_load = archetype("server", "avg_load_pct", "percent")[0]
    loads = [30.0, 10.0, idle, target + 10]

    def util(load: float) -> float:
        if load <= idle:
            return 0.0
        if load <= ref:
            return 50 * (load - idle) / (ref - idle)
        if load <= target:
            return 50 + 50 * (load - ref) / (target - ref)
        return 100.0

    def footprint(ratio: float) -> float:
        return min(100.0, max(0.0, 50 - 50 * math.log(ratio) / math.log(2)))

    expected = [round((footprint(archetype_load / load) + util(load)) / 2, 1) for load in loads]
    out = _sobriety(library, "server", [{"avg_load_pct": load} for load in loads])
    assert out["sobriety_score"].tolist() == pytest.approx(expected)
    reasons = out["sobriety_reasons"].astype(str)
    assert "below the 15 % average of on-premise servers" in reasons[1]
    assert f"idle capacity (<= {idle:.0f} %)" in reasons[2] and "well used" in reasons[3]
    assert "hyperscale servers run near 50 %" in reasons[0]


def test_over_provisioning_uses_the_busier_of_cpu_and_memory(library):
    """With memory use measured, a third sub-score applies the load anchors to max(CPU, memory):
    CPU 30 %, memory 60 % -> 100 (over the target); CPU 30 %, memory 10 % -> the CPU's 71.43."""
    results = _default_results(library, "server", 2)
    table = table_from_records([{"category": "server", "avg_load_pct": 30}] * 2, country="FR", today=TODAY,
                               library=library)
    table["measured_mem_used_pct"] = [60.0, 10.0]
    out = sobriety(results, table, library, scoring_parameters(library))
    ref, target = scoring("server_load_reference_pct"), scoring("server_load_target_pct")
    archetype_load = archetype("server", "avg_load_pct", "percent")[0]
    s_fp = min(100.0, 50 - 50 * math.log(archetype_load / 30) / math.log(2))
    s_util = 50 + 50 * (30 - ref) / (target - ref)
    assert out["sobriety_score"].tolist() == pytest.approx(
        [round((s_fp + s_util + 100) / 3, 1), round((s_fp + 2 * s_util) / 3, 1)])
    assert "busiest of CPU and memory at 60 %" in out["sobriety_reasons"].iloc[0]


def test_anchored_score_is_flat_beyond_the_ends_and_keeps_nan():
    out = anchored_score(np.array([-5.0, 0.0, 5.0, 10.0, 20.0, np.nan]), (0.0, 10.0), (0.0, 100.0))
    assert out[:5].tolist() == [0.0, 0.0, 50.0, 100.0, 100.0]
    assert np.isnan(out[5])


def test_grade_of_nan_is_no_grade_and_the_last_letter_is_below_every_floor():
    floors = [("A", 8.0), ("B", 6.0)]
    letters = grade(np.array([np.nan, 8.0, 7.99, 6.0, 5.99]), floors, "C", strict=False)
    assert pd.isna(letters[0])
    assert [str(x) for x in letters[1:]] == ["A", "B", "B", "C"]
    strict = grade(np.array([8.0, 6.0, 6.01]), floors, "C", strict=True)
    assert [str(x) for x in strict] == ["B", "C", "B"]


@pytest.mark.parametrize(("points", "level"), [(24.9, "low"), (25.0, "medium"), (49.9, "medium"),
                                               (50.0, "high"), (74.9, "high"), (75.0, "critical")])
def test_obsolescence_levels_start_at_their_thresholds(library, points, level):
    """Levels from scoring.csv: medium from 25, high from 50, critical from 75 (inclusive). Points:
    25 x age / lifetime (a lifetime of 10 years: 2.5 per year of age, capped at twice the lifetime),
    plus 20 for a battery below 80 % and 10 for an ended warranty, used above 40 points."""
    from auditor.api import assess_table

    assert [scoring(f"obsolescence_level_{x}_from") for x in ("medium", "high", "critical")] == [25, 50, 75]
    assert (scoring("obsolescence_age_points"), scoring("obsolescence_battery_points"),
            scoring("obsolescence_warranty_points"), scoring("battery_worn_threshold_pct")) == (25, 20, 10, 80)
    extra = {"battery_health_pct": 50, "warranty_end": "2020-01-01"} if points > 40 else {}
    age_points = points - (30 if extra else 0)
    purchase = (pd.Timestamp(TODAY) - pd.Timedelta(days=round(age_points / 2.5 * 365.25))).date().isoformat()
    table = table_from_records([{"category": "network_switch", "purchase_date": purchase, "lifetime_years": 10,
                                 **extra}], country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    expected_risk = round(25 * r.loc[0, "age_years"] / 10 + (30 if extra else 0), 1)
    assert expected_risk == pytest.approx(points, abs=1e-9)
    assert r.loc[0, "obsolescence_risk"] == pytest.approx(expected_risk)
    assert r.loc[0, "obsolescence_level"] == level


def test_memory_below_its_os_minimum_only_for_windows(library):
    """scoring.csv: Windows 10 needs 2 GB (Microsoft), Windows 11 4 GB; no minimum is known for other
    systems. 1 GB under Windows 10 adds the RAM points (20) to the age points (25 x age / lifetime);
    1 GB under Debian adds nothing."""
    from auditor.api import assess_table

    assert (scoring("win10_min_ram_gb"), scoring("obsolescence_ram_points")) == (2, 20)
    rows = [{"category": "network_switch", "os": "Windows 10 Enterprise LTSC 2021", "ram_gb": 1,
             "purchase_date": "2024-01-15", "lifetime_years": 10},
            {"category": "network_switch", "os": "Debian", "os_version": "12", "ram_gb": 1,
             "purchase_date": "2024-01-15", "lifetime_years": 10}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    age_points = 25 * (TODAY - pd.Timestamp("2024-01-15").date()).days / 365.25 / 10
    assert r["obsolescence_risk"].tolist() == pytest.approx([round(age_points + 20, 1), round(age_points, 1)])
    assert "1 GB RAM below the 2 GB its OS needs" in r.loc[0, "obsolescence_reasons"]
    assert "RAM below" not in r.loc[1, "obsolescence_reasons"]


def test_eu_class_e_scores_under_one_by_hand(library):
    """EU label class E: index R from 1.00 to 1.75 on the 1-5 scale (Regulation (EU) 2023/1669, via
    scoring.csv), i.e. 0 to 10 x 0.75 / 4 = 1.875 on 0-10; the score is the middle, 0.9375 -> 0.9,
    bounds 0.0 and 1.9 (kills the scores clipped at 1 instead of 0)."""
    from auditor.api import assess_table

    r_e, r_d, r_max = (scoring(f"eu_repairability_{p}") for p in ("class_e_from", "class_d_from", "index_max"))
    low, high = (r_e - 1) / (r_max - 1) * 10, (r_d - 1) / (r_max - 1) * 10
    table = table_from_records([{"category": "smartphone", "repairability_class": "E"}], country="FR", today=TODAY,
                               library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    assert (r.loc[0, "repairability_score"], r.loc[0, "repairability_score_low"],
            r.loc[0, "repairability_score_high"]) == pytest.approx((round((low + high) / 2, 1), low, round(high, 1)))
    assert (low, round((low + high) / 2, 1)) == (0.0, 0.9)
    assert r.loc[0, "repairability_grade"] == "E" and r.loc[0, "repairability_source"] == "official"


def test_spare_part_periods_of_phones_and_tablets_by_purchase_date(library):
    """Regulation (EU) 2023/1670: phones and slate tablets placed on the market from 20 June 2025 get
    7 years of spare parts; before it, phones had 5 (décret 2021-1943) and tablets none. A tablet
    bought before the rules loses the parts criterion at its category's sub-score: 4.8 / 10 x 2 points
    (UFC-Que Choisir 2021, via scoring.csv) from the 5.0 prior of uncovered categories."""
    from auditor.api import assess_table

    assert (scoring("parts_availability_eu_phone_tablet_years"), scoring("parts_availability_smartphone_years")) == (7, 5)
    rows = [{"category": "smartphone", "purchase_date": "2025-09-01"},
            {"category": "tablet", "purchase_date": "2025-09-01"},
            {"category": "smartphone", "purchase_date": "2024-09-01"},
            {"category": "tablet", "purchase_date": "2024-09-01"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    reasons = r["repairability_reasons"].astype(str).tolist()
    assert "within the legal spare-part period (7 years)" in reasons[0]
    assert "within the legal spare-part period (7 years)" in reasons[1]
    assert "within the legal spare-part period (5 years)" in reasons[2]
    assert "bought before the EU spare-part rules: no legal parts period (-0.96)" in reasons[3]
    lost = scoring("repairability_parts_subscore_smartphone") / 10 * 10 * scoring("repairability_criterion_share_fraction")
    assert r.loc[3, "repairability_score"] == pytest.approx(round(scoring("repairability_prior_other") - lost, 1))


def test_points_lost_once_the_parts_period_is_over_by_hand(library):
    """The parts criterion is 20 % of the index (2 points of 10). A monitor bought before the EU
    display rules (1 March 2021) has no legal period and loses it at the televisions' parts sub-score
    3.1 / 10 (UFC-Que Choisir 2021): 0.62 from the 5.0 prior; a Lenovo laptop (PIRG 2025: 7.3) past
    its 5 years loses 20 % of its own level, 1.46."""
    from auditor.api import assess_table

    share = scoring("repairability_criterion_share_fraction")
    rows = [{"category": "monitor", "purchase_date": "2019-03-01"},
            {"category": "laptop", "manufacturer": "Lenovo", "purchase_date": "2019-03-01"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    monitor_lost = scoring("repairability_parts_subscore_tv") / 10 * 10 * share
    laptop_lost = scoring("repairability_laptop_brand_lenovo") * share
    assert (monitor_lost, laptop_lost) == pytest.approx((0.62, 1.46))
    assert r["repairability_score"].tolist() == pytest.approx(
        [round(scoring("repairability_prior_other") - monitor_lost, 1),
         round(scoring("repairability_laptop_brand_lenovo") - laptop_lost, 1)])
    assert "(-0.62)" in r.loc[0, "repairability_reasons"] and "(-1.46)" in r.loc[1, "repairability_reasons"]


def test_combine_codes_stays_one_to_one_past_the_64_bit_key():
    """Three arrays of width 2**40 + 1 make a mixed-radix key of ~2**120: the key is re-factorised
    before it overflows, so rows get the same code exactly when they are equal (property), and the
    first row of each code is where it first appears (kills the overflow guard disabled: without it,
    (2**40, 0, 0) and (0, 2**40, 0) both wrap to 2**40)."""
    from auditor.scoring.common import combine_codes

    big = 2**40
    arrays = (np.array([0, big, 0, 0, big]), np.array([0, 0, big, 0, big]), np.array([0, 0, 0, big, big]))
    codes, first = combine_codes(*arrays)
    rows = list(zip(*(a.tolist() for a in arrays), strict=True))
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (codes[i] == codes[j]) == (rows[i] == rows[j])
    assert first.tolist() == list(range(5))


def test_category_priors_and_a_date_alone_by_hand(library):
    """Nothing item-specific known: televisions get their published average 6.6 (UFC-Que Choisir
    2021) +- the 2.5 spread, desktops the middle of the scale 5 with bounds 1-9 (method choice,
    scoring.csv). A purchase date alone says nothing about repairability for a category without a
    legal parts period: the desktop stays on its category prior (kills ``&`` -> ``|`` there)."""
    from auditor.api import assess_table

    tv, spread = scoring("repairability_baseline_tv"), scoring("repairability_prior_spread")
    rows = [{"category": "tv"}, {"category": "desktop"}, {"category": "desktop", "purchase_date": "2022-05-01"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    got = list(zip(r["repairability_score"], r["repairability_score_low"], r["repairability_score_high"],
                   strict=True))
    assert got == [pytest.approx((tv, tv - spread, tv + spread)), (5.0, 1.0, 9.0), (5.0, 1.0, 9.0)]
    assert r["repairability_source"].astype(str).tolist() == ["category"] * 3


def test_obsolescence_risk_is_capped_at_100(library):
    """A Windows 10 PC that cannot run Windows 11, past end of support, twice its life old and with a
    worn battery adds 50 (age, capped) + 50 (no supported OS) + 40 (stranded) + 20 (battery) = 160
    points: the risk is capped at 100."""
    from auditor.api import assess_table

    rows = [{"category": "laptop", "os": "Windows 10 Pro", "os_version": "22H2", "purchase_date": "2012-01-15",
             "lifetime_years": 4, "cpu_model": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz", "battery_health_pct": 40}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    assert r.loc[0, "obsolescence_risk"] == 100.0 and r.loc[0, "obsolescence_level"] == "critical"


def test_estimated_repairability_high_bound_is_capped_at_10(library):
    """Lenovo laptop (PIRG 2025: 7.3) + tower form (+1) + socketed memory (+0.5) + ThinkPad service
    manual (+0.5) = 9.3, +- 1.5: the high bound 10.8 is capped at the top of the scale, 10."""
    from auditor.api import assess_table

    rows = [{"category": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T14", "form_factor": "tower",
             "memory_soldered": "no", "purchase_date": "2025-01-15"}]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    r = assess_table(table, library=library, options=OPTIONS)
    assert (r.loc[0, "repairability_score"], r.loc[0, "repairability_score_low"],
            r.loc[0, "repairability_score_high"]) == pytest.approx((9.3, 7.8, 10.0))


def test_the_manufacture_ratio_in_the_reasons(library):
    """A laptop whose manufacture footprint is 1.5 times its category reference's says so."""
    from auditor.results import UNIT_OF

    results = _default_results(library, "laptop", 1)
    for c in ("gwp", "water", "adpe", "pe"):
        for suffix in ("", "_low", "_high"):
            column = f"{c}_embodied_{UNIT_OF[c]}{suffix}"
            results[column] = results[column] * 1.5
    table = table_from_records([{"category": "laptop"}], country="FR", today=TODAY, library=library)
    out = sobriety(results, table, library, scoring_parameters(library))
    assert "manufacture 1.5x the reference device's" in out["sobriety_reasons"].iloc[0]


def test_an_empty_inventory_has_empty_scores(library):
    """Zero rows in, zero rows out, with every score column of the contract (kills the empty-table
    branches of the scores)."""
    from auditor.results import SCORE_COLUMNS
    from auditor.scoring import score

    table = table_from_records([{"category": "laptop"}], country="FR", today=TODAY, library=library).iloc[0:0]
    results = assess(table, library, OPTIONS)
    out = score(results, table, library, TODAY)
    assert len(out) == 0 and list(out.columns) == list(SCORE_COLUMNS)
