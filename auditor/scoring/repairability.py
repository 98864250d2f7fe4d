"""Repairability score 0-10 and grade A-E of every item, with where it comes from.

- ``official``: the inventory's ``repairability_index`` (French repairability or durability index,
  /10), used exactly as given.
- ``estimated``: for categories the French index covered (laptops, smartphones, televisions), the
  published average index of the category, or of the laptop's brand; minus the spare-part
  criterion's share when the legal spare-part period has run out at the item's age.
- ``unavailable``: no index covers the category (servers, desktops, monitors, network...) and no
  published figure allows an estimate; score and grade are left empty rather than guessed.

Grades follow the index's colour bands: A 8-10, B 6-7.9, C 4-5.9, D 2-3.9, E 0-1.9.
Sources and figures: ``factors/data/scoring.csv``; method: docs/scoring.md.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from auditor.enrich import category_codes
from auditor.scoring.common import given, grade, text_codes
from auditor.scoring.eol import fold
from auditor.scoring.parameters import ScoringParameters
from factors.tables import CATEGORIES

SOURCES = ("official", "estimated", "unavailable")
#: First day the EU ecodesign rules for smartphones and slate tablets apply (Regulation (EU)
#: 2023/1670, article 11: from 20 June 2025).
EU_PHONE_RULES_FROM = date(2025, 6, 20)
#: Categories with a published baseline (parameter ``repairability_baseline_<category>``).
ESTIMATED_CATEGORIES = ("laptop", "smartphone", "tv")


def repairability(results: pd.DataFrame, table: pd.DataFrame, params: ScoringParameters,
                  today: date) -> pd.DataFrame:
    """Columns ``repairability_score``, ``repairability_grade``, ``repairability_source``."""
    n = len(table)
    codes = category_codes(table["category"]) if n else np.zeros(0, dtype=np.int64)
    official = given(table, "repairability_index")
    estimate = np.full(n, np.nan)

    baselines = np.full(len(CATEGORIES), np.nan)
    for category in ESTIMATED_CATEGORIES:
        baselines[CATEGORIES.index(category)] = params[f"repairability_baseline_{category}"]
    estimate[:] = baselines[codes] if n else estimate

    laptop = codes == CATEGORIES.index("laptop")
    if laptop.any() and "manufacturer" in table:
        brands = params.with_prefix("repairability_laptop_brand_")
        rows = np.flatnonzero(laptop)
        m_codes, m_uniques = text_codes(table["manufacturer"].iloc[rows], len(rows))
        per_unique = np.array([_brand_value(u, brands) for u in m_uniques] + [np.nan], dtype=float)
        estimate[rows] = np.where(np.isnan(brand := per_unique[m_codes]), estimate[rows], brand)

    # spare parts: once the legal period has run out, the parts criterion no longer scores
    age = results["age_years"].to_numpy(dtype=float)
    share = params["repairability_criterion_share_fraction"]
    parts_years = np.full(n, np.nan)
    lost = np.zeros(n)
    smartphone = codes == CATEGORIES.index("smartphone")
    parts_years[laptop] = params["parts_availability_laptop_years"]
    parts_years[smartphone] = params["parts_availability_smartphone_years"]
    days_old = np.round(np.nan_to_num(age) * 365.25).astype("timedelta64[D]")
    bought = np.datetime64(today, "D") - days_old
    eu_rules = smartphone & ~np.isnan(age) & (bought >= np.datetime64(EU_PHONE_RULES_FROM, "D"))
    parts_years[eu_rules] = params["parts_availability_eu_phone_tablet_years"]
    # points lost: the criterion is worth 10 x share index points (2 of 10), scored at the
    # category's average parts sub-score (/10); laptops have no published sub-score, so the
    # criterion is taken at the estimate's own average (estimate x share)
    criterion_points = 10.0 * share
    lost[smartphone] = params["repairability_parts_subscore_smartphone"] / 10.0 * criterion_points
    lost[laptop] = estimate[laptop] * share
    over = ~np.isnan(parts_years) & ~np.isnan(age) & (age > parts_years)
    estimate = np.where(over, estimate - lost, estimate)

    has_official = ~np.isnan(official)
    has_estimate = ~has_official & ~np.isnan(estimate)
    score = np.where(has_official, official, np.where(has_estimate, np.round(estimate, 1), np.nan))
    source_codes = np.where(has_official, 0, np.where(has_estimate, 1, 2))
    floors = [(g, params[f"repairability_grade_{g.lower()}_from"]) for g in ("A", "B", "C", "D")]
    return pd.DataFrame({
        "repairability_score": score,
        "repairability_grade": grade(score, floors, "E", strict=False),
        "repairability_source": pd.Categorical.from_codes(source_codes, list(SOURCES)),
    })


def _brand_value(manufacturer: object, brands: dict[str, float]) -> float:
    """The brand figure whose name starts a word of the manufacturer text (``"HP Inc."`` -> hp,
    ``"ASUSTeK Computer"`` -> asus)."""
    words = fold(manufacturer).replace("-", " ").replace(".", " ").replace(",", " ").split()
    for brand, value in brands.items():
        if any(word.startswith(brand) for word in words):
            return value
    if "hewlett" in words:
        return brands.get("hp", np.nan)
    return np.nan
