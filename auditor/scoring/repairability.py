"""Repairability score 0-10 with its bounds, grade A-E, source and reasons, for every item.

``repairability_source`` says where the score comes from:

- ``official``: the inventory's ``repairability_index`` (French repairability or durability index,
  /10), used exactly as given (bounds equal to it); else its ``repairability_class`` (A-E, EU label
  of smartphones and slate tablets, Delegated Regulation (EU) 2023/1669), read as the class's range
  of the index R (1-5) mapped to 0-10, the score at the middle of the range;
- ``estimated``: what the inventory tells about the item, modelled on the five criteria of the
  French index (documentation, disassembly, spare-part availability, spare-part price, specific):
  the brand's published average for laptops, the form factor (tower, mini, all-in-one), soldered or
  socketed memory, a public service manual for the model family, the item's age against the legal
  spare-part period of its category;
- ``category``: nothing item-specific is known: the category's published average index where one
  exists (laptops, smartphones, televisions), else the middle of the scale, with wide bounds.

Grades follow the index's colour bands: A 8-10, B 6-7.9, C 4-5.9, D 2-3.9, E 0-1.9. Every figure
and weight is a row of ``factors/data/scoring.csv`` (published figures with their source, the
tool's own weights marked as method choices); docs/scoring.md gives the method.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from auditor.enrich import category_codes
from auditor.flags import flag_values
from auditor.scoring.common import (
    combine_codes,
    given,
    grade,
    in_categories,
    text_codes,
    texts_by_code,
)
from auditor.scoring.eol import fold, years_between
from auditor.scoring.parameters import ScoringParameters
from factors.tables import CATEGORIES

SOURCES = ("official", "estimated", "category")
#: First day the EU ecodesign rules for smartphones and slate tablets apply (Regulation (EU)
#: 2023/1670, article 11: from 20 June 2025).
EU_PHONE_RULES_FROM = date(2025, 6, 20)
#: First day the EU ecodesign rules for electronic displays apply (Regulation (EU) 2019/2021).
EU_DISPLAY_RULES_FROM = date(2021, 3, 1)
#: Categories with a published average index (parameter ``repairability_baseline_<category>``).
PUBLISHED_CATEGORIES = ("laptop", "smartphone", "tv")
_PUBLISHED_SOURCE = {"laptop": "PIRG 2025", "smartphone": "UFC-Que Choisir 2021", "tv": "UFC-Que Choisir 2021"}
#: Model families (folded words of manufacturer, model or name) with a public service manual.
SERVICE_MANUAL_FAMILIES = re.compile(
    r"\b(latitude|optiplex|precision|poweredge|elitebook|probook|zbook|elitedesk|prodesk|elite ?one|proliant"
    r"|thinkpad|thinkcentre|thinkstation|thinksystem|fairphone|framework)\b")
#: Form factor words (folded) -> code: 1 tower, 2 small form factor, 3 mini, 4 all-in-one.
_FORM_WORDS: tuple[tuple[str, int], ...] = (
    (r"all.?in.?one|\baio\b|tout.?en.?un", 4),
    (r"\b(mini|micro|tiny|usff|ultra small|nuc)\b", 3),
    (r"\b(sff|small form|compact|petit format|desktop mini)\b", 2),
    (r"\b(tower|tour|mt|midi|mini.?tower|workstation)\b", 1),
)
_TOWER, _SFF, _MINI, _AIO = 1, 2, 3, 4
_CLASS = re.compile(r"(?:^|[^a-z])([a-e])(?:$|[^a-z])")


def form_factor_codes(series: pd.Series | None, n: int) -> np.ndarray:
    """0 unknown, 1 tower, 2 small form factor, 3 mini, 4 all-in-one (parsed once per distinct text)."""
    codes, uniques = text_codes(series, n)
    per = np.zeros(len(uniques) + 1, dtype=np.int64)
    for k, text in enumerate(uniques):
        folded = fold(text)
        per[k] = next((code for pattern, code in _FORM_WORDS if re.search(pattern, folded)), 0)
    return per[np.where(codes < 0, len(uniques), codes)]


def class_codes(series: pd.Series | None, n: int) -> np.ndarray:
    """EU repairability class per row: 0 A ... 4 E, -1 none (``"B"``, ``"classe b"``, ``"Class B"``)."""
    codes, uniques = text_codes(series, n)
    per = np.full(len(uniques) + 1, -1, dtype=np.int64)
    for k, text in enumerate(uniques):
        words = fold(text).replace("classe", " ").replace("class", " ").strip()
        match = _CLASS.search(words)
        if match and len(words) <= 3:
            per[k] = "abcde".index(match.group(1))
    return per[np.where(codes < 0, len(uniques), codes)]


def _service_manual(table: pd.DataFrame, n: int, m_codes: np.ndarray, m_uniques: np.ndarray) -> np.ndarray:
    """Whether manufacturer + model name a family with a public service manual (once per distinct pair)."""
    d_codes, d_uniques = text_codes(table.get("model"), n)
    pair_codes, pairs = pd.factorize((m_codes + 1) * (len(d_uniques) + 1) + (d_codes + 1))
    hits = []
    for pair in pairs:
        m, d = divmod(int(pair), len(d_uniques) + 1)
        text = f"{m_uniques[m - 1] if m else ''} {d_uniques[d - 1] if d else ''}"
        hits.append(bool(SERVICE_MANUAL_FAMILIES.search(fold(text))))
    return np.asarray(hits, dtype=bool)[pair_codes] if n else np.zeros(0, dtype=bool)


def repairability(results: pd.DataFrame, table: pd.DataFrame, params: ScoringParameters,
                  today: date, lang: str = "en") -> pd.DataFrame:
    """Columns ``repairability_score``, ``_low``, ``_high``, ``_grade``, ``_source``, ``_reasons``."""
    n = len(table)
    codes = category_codes(table["category"]) if n else np.zeros(0, dtype=np.int64)

    # official: index as given, else the EU class range
    index = given(table, "repairability_index")
    klass = class_codes(table.get("repairability_class"), n)
    r_max = params["eu_repairability_index_max"]
    r_from = np.array([params[f"eu_repairability_class_{c}_from"] for c in "abcde"])
    r_to = np.concatenate([[r_max], r_from[:-1]])

    def to_ten(r: np.ndarray) -> np.ndarray:
        return (r - 1.0) / (r_max - 1.0) * 10.0

    k = np.maximum(klass, 0)
    class_low, class_high = to_ten(r_from[k]), to_ten(r_to[k])

    # category prior: a published average (bounds +- spread) or the middle of the scale
    prior = np.full(len(CATEGORIES), params["repairability_prior_other"])
    for category in PUBLISHED_CATEGORIES:
        prior[CATEGORIES.index(category)] = params[f"repairability_baseline_{category}"]
    published = in_categories(codes, PUBLISHED_CATEGORIES)
    base = prior[codes] if n else np.zeros(0)
    spread = params["repairability_prior_spread"]
    other_row = scoring_row(params, "repairability_prior_other")
    prior_low = np.where(published, base - spread, other_row[0])
    prior_high = np.where(published, base + spread, other_row[1])

    # facts: laptop brand, form factor, memory, service manual, spare-part period
    laptop = codes == CATEGORIES.index("laptop")
    brand_value = np.full(n, np.nan)
    brand_code = np.full(n, -1, dtype=np.int64)
    brands = params.with_prefix("repairability_laptop_brand_")
    names = list(brands)
    m_codes, m_uniques = text_codes(table.get("manufacturer"), n)
    if laptop.any() and len(m_uniques):
        per_unique = [_brand(u, brands) for u in m_uniques] + [None]
        per_value = np.array([brands[b] if b else np.nan for b in per_unique], dtype=float)
        per_code = np.array([names.index(b) if b else -1 for b in per_unique], dtype=np.int64)
        safe = np.where(m_codes < 0, len(m_uniques), m_codes)
        brand_value = np.where(laptop, per_value[safe], np.nan)
        brand_code = np.where(laptop, per_code[safe], -1)
    has_brand = ~np.isnan(brand_value)
    base = np.where(has_brand, brand_value, base)

    form = form_factor_codes(table.get("form_factor"), n)
    form_points = np.select([form == _TOWER, form == _MINI, form == _AIO],
                            [params["repairability_form_tower_points"], -params["repairability_form_mini_points"],
                             -params["repairability_form_aio_points"]], 0.0)
    soldered, mem_known = flag_values(table.get("memory_soldered"), n)
    mem_points = np.where(mem_known, np.where(soldered, -params["repairability_memory_soldered_points"],
                                              params["repairability_memory_socketed_points"]), 0.0)
    manual = _service_manual(table, n, m_codes, m_uniques)
    manual_points = np.where(manual, params["repairability_service_manual_points"], 0.0)

    age = results["age_years"].to_numpy(dtype=float)
    parts_years, lost = _parts(codes, age, base, today, params)
    known_parts = ~np.isnan(parts_years) & ~np.isnan(age)
    over = known_parts & (age > parts_years)
    parts_points = np.where(over, -lost, 0.0)

    facts = has_brand | (form > 0) | mem_known | manual | known_parts
    estimate = base + form_points + mem_points + manual_points + parts_points
    half = np.where(published, params["repairability_estimate_spread"],
                    np.maximum(params["repairability_estimate_spread"], (other_row[1] - other_row[0]) / 2.0
                               - (form > 0) - mem_known - manual - known_parts))
    est_low, est_high = estimate - half, estimate + half

    has_index = ~np.isnan(index)
    has_class = ~has_index & (klass >= 0)
    is_estimated = ~has_index & ~has_class & facts
    score = np.select([has_index, has_class, is_estimated], [index, (class_low + class_high) / 2.0, estimate], base)
    low = np.select([has_index, has_class, is_estimated], [index, class_low, est_low], prior_low)
    high = np.select([has_index, has_class, is_estimated], [index, class_high, est_high], prior_high)
    score = np.clip(np.where(has_index, score, np.round(score, 1)), 0.0, 10.0)
    low = np.clip(np.minimum(np.round(low, 1), score), 0.0, 10.0)
    high = np.clip(np.maximum(np.round(high, 1), score), 0.0, 10.0)
    source_codes = np.where(has_index | has_class, 0, np.where(is_estimated, 1, 2))
    floors = [(g, params[f"repairability_grade_{g.lower()}_from"]) for g in ("A", "B", "C", "D")]

    reasons = _reasons(
        lang, params, source_codes, has_index, has_class, index, klass, r_from, r_to, codes, brand_code, names,
        brand_value, base, published, form, soldered, mem_known, manual, known_parts, over, parts_years, age, lost)
    return pd.DataFrame({
        "repairability_score": score,
        "repairability_score_low": low,
        "repairability_score_high": high,
        "repairability_grade": grade(score, floors, "E", strict=False),
        "repairability_source": pd.Categorical.from_codes(source_codes, list(SOURCES)),
        "repairability_reasons": reasons,
    })


def scoring_row(params: ScoringParameters, name: str) -> tuple[float, float]:
    """(low, high) of a scoring parameter."""
    row = params.table.set_index("parameter").loc[name]
    return float(row["low"]), float(row["high"])


def _parts(codes: np.ndarray, age: np.ndarray, base: np.ndarray, today: date, params: ScoringParameters
           ) -> tuple[np.ndarray, np.ndarray]:
    """Legal spare-part period [year] per row (NaN: none known) and the points lost once it is over.

    The parts criterion is worth ``share x 10`` index points (2 of 10), lost at the category's
    average parts sub-score: smartphones and tablets 4.8/10 (UFC-Que Choisir 2021, smartphones),
    monitors and televisions 3.1/10 (UFC, televisions), laptops the estimate's own level.
    """
    n = len(codes)
    share = params["repairability_criterion_share_fraction"]
    criterion_points = 10.0 * share
    known = ~np.isnan(age)
    phone, tablet = codes == CATEGORIES.index("smartphone"), codes == CATEGORIES.index("tablet")
    display = in_categories(codes, ("monitor", "tv"))
    laptop = codes == CATEGORIES.index("laptop")
    # bought on or after a rule's first day <=> age at most the years since that day (no date arrays)
    with np.errstate(invalid="ignore"):
        eu_phone = (phone | tablet) & known & (age <= years_between(EU_PHONE_RULES_FROM, today))
        eu_display = display & known & (age <= years_between(EU_DISPLAY_RULES_FROM, today))
    years = np.full(n, np.nan)
    years[laptop] = params["parts_availability_laptop_years"]
    years[phone] = params["parts_availability_smartphone_years"]
    years[eu_phone] = params["parts_availability_eu_phone_tablet_years"]
    years[eu_display] = params["parts_availability_display_years"]
    # bought before the EU rules: no legal period guarantees their parts at all
    years[(tablet | display) & known & ~(eu_phone | eu_display)] = 0.0
    lost = np.zeros(n)
    lost[phone | tablet] = params["repairability_parts_subscore_smartphone"] / 10.0 * criterion_points
    lost[display] = params["repairability_parts_subscore_tv"] / 10.0 * criterion_points
    lost[laptop] = base[laptop] * share
    return years, lost


def _brand(manufacturer: object, brands: dict[str, float]) -> str | None:
    """The brand whose name starts a word of the manufacturer text (``"HP Inc."`` -> hp,
    ``"ASUSTeK Computer"`` -> asus), else None."""
    words = fold(manufacturer).replace("-", " ").replace(".", " ").replace(",", " ").split()
    for brand in brands:
        if any(word.startswith(brand) for word in words):
            return brand
    if "hewlett" in words and "hp" in brands:
        return "hp"
    return None


def _reasons(lang, params, source, has_index, has_class, index, klass, r_from, r_to, codes, brand_code, names,
             brand_value, base, published, form, soldered, mem_known, manual, known_parts, over, parts_years, age,
             lost) -> pd.Categorical:
    from auditor.scoring.texts import number, say

    n = len(source)
    if not n:
        return pd.Categorical([])
    index_code = np.where(has_index, np.round(np.nan_to_num(index) * 100), -1).astype(np.int64)
    age_code = np.where(over, np.floor(np.nan_to_num(age)), -1).astype(np.int64)
    years_code = np.where(known_parts, np.nan_to_num(parts_years), -1).astype(np.int64)
    lost_code = np.where(over, np.round(lost * 100), -1).astype(np.int64)
    combo, first = combine_codes(source, index_code, np.where(has_class, klass, -1), codes, brand_code,
                                 form, np.where(mem_known, soldered.astype(np.int64), -1), manual.astype(np.int64),
                                 years_code, age_code, lost_code)

    def make(row: int) -> str:
        if has_index[row]:
            return say("rep_official", lang, score=number(index[row], lang, 2))
        if has_class[row]:
            k = klass[row]
            return say("rep_eu_class", lang, cls="ABCDE"[k], low=number(r_from[k], lang, 2),
                       high=number(r_to[k], lang, 2))
        parts = []
        category = CATEGORIES[codes[row]]
        if brand_code[row] >= 0:
            parts.append(say("rep_brand", lang, brand=names[brand_code[row]].capitalize(),
                             value=number(brand_value[row], lang)))
        elif published[row]:
            parts.append(say("rep_published", lang, value=number(base[row], lang, 2),
                             source=_PUBLISHED_SOURCE[category]))
        else:
            parts.append(say("rep_prior", lang, value=number(base[row], lang)))
        if form[row] == _TOWER:
            parts.append(say("rep_tower", lang, points=number(params["repairability_form_tower_points"], lang)))
        elif form[row] == _MINI:
            parts.append(say("rep_mini", lang, points=number(params["repairability_form_mini_points"], lang)))
        elif form[row] == _AIO:
            parts.append(say("rep_aio", lang, points=number(params["repairability_form_aio_points"], lang)))
        if mem_known[row]:
            key, name = (("rep_soldered", "repairability_memory_soldered_points") if soldered[row]
                         else ("rep_socketed", "repairability_memory_socketed_points"))
            parts.append(say(key, lang, points=number(params[name], lang)))
        if manual[row]:
            parts.append(say("rep_manual", lang, points=number(params["repairability_service_manual_points"], lang)))
        if over[row] and years_code[row] == 0:
            parts.append(say("rep_parts_none", lang, points=number(lost_code[row] / 100, lang, 2)))
        elif over[row]:
            parts.append(say("rep_parts_over", lang, years=years_code[row], age=age_code[row],
                             points=number(lost_code[row] / 100, lang, 2)))
        elif known_parts[row]:
            parts.append(say("rep_parts_within", lang, years=years_code[row]))
        return "; ".join(parts)

    return texts_by_code(combo, first, make)
