"""Sobriety score 0-100 and grade A-G of every item, with its reasons.

The score is the mean of the sub-scores that can be computed for the item (each 0-100, higher is
more sober); docs/scoring.md gives the equations, anchors and sources:

- **footprint** (every item): the item's yearly footprint for the service it gives (one device-year;
  for servers, the work done: load), against its category reference computed by the footprint
  engine itself on a default item. Per criterion (GHG, water, ADPe, primary energy),
  ``F = embodied / lifetime + energy x PUE x electricity factor``, with the reference's use phase
  priced with the item's own electricity factor and PUE so that the country does not count; the
  ratios are combined by their geometric mean and scored on a log scale: 50 at the reference, 100 at
  half of it or less, 0 at twice or more. A default item scores exactly 50; a bigger screen, a
  bigger specification, a shorter life or more hours on raise the footprint and lower the score;
- **utilisation** (servers whose mean load is known): 0 at the idle threshold, 50 at the average
  on-premise load, 100 at the load of hyperscale servers;
- **hours outside working time** (user devices whose hours or days are given or measured): 100
  minus the share of the out-of-work hours of the year during which the device is on;
- **over-provisioning** (servers with measured memory use, column :data:`MEMORY_USED_COLUMN`):
  the utilisation anchors applied to the busier of CPU and memory.

Web services (category :data:`WEB_SERVICE_CATEGORY`, added with page measurements in a later
issue) are left without a score, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from auditor.enrich import archetype_arrays, category_codes
from auditor.scoring.common import anchored_score, combine_codes, given, grade, texts_by_code
from auditor.scoring.parameters import ScoringParameters
from factors.tables import CATEGORIES, FactorLibrary

#: Optional column set by a measurement join: mean memory in use [%] (probe record field ``mem``).
MEMORY_USED_COLUMN = "measured_mem_used_pct"
#: Category of web services once they exist (page measurements, a later issue).
WEB_SERVICE_CATEGORY = "web_service"
#: Categories meant to be on around the clock: no "outside working hours" sub-score.
_ALWAYS_ON_HOURS = 24.0
GRADES = ("A", "B", "C", "D", "E", "F")


#: Criteria whose yearly footprints are compared (geometric mean of the ratios, equal weights).
FOOTPRINT_CRITERIA: tuple[str, ...] = ("gwp", "water", "adpe", "pe")
#: Spec features of the calibrated embodied model that describe the size of a device.
_SIZE_FEATURES: dict[str, str] = {"log_screen_size_in": "screen_size_in", "log_storage_gb": "storage_gb",
                                  "log_ram_gb": "ram_gb", "cpu_count": "cpu_count"}


@dataclass(frozen=True)
class Reference:
    """Per category, the default item as the footprint engine assesses it (one device).

    Attributes
    ----------
    embodied
        Criterion -> embodied impact of one default device, not annualised [criterion unit].
    lifetime
        Archetype lifetime [year].
    energy
        Yearly energy of one default device at the plug, without PUE [kWh/year].
    hours, days, load
        Archetype hours per day [h], days per year [d] and mean load [%].
    """

    embodied: dict[str, np.ndarray]
    lifetime: np.ndarray
    energy: np.ndarray
    hours: np.ndarray
    days: np.ndarray
    load: np.ndarray


@lru_cache(maxsize=4)
def category_reference(library: FactorLibrary) -> Reference:
    """The footprint engine run on one default item per category (archetype hours, days, load)."""
    from datetime import date

    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import table_from_records
    from auditor.results import UNIT_OF

    hours = archetype_arrays(library, "hours_per_day")[0]
    days = archetype_arrays(library, "days_per_year")[0]
    load = archetype_arrays(library, "avg_load_pct")[0]
    records = [{"id": f"reference-{c}", "category": c, "country": "FR", "quantity": 1} for c in CATEGORIES]
    today = date(2026, 1, 1)  # ages do not enter footprints
    table = table_from_records(records, country="FR", today=today, library=library, name="reference")
    results = assess(table, library, AssessOptions(today=today))
    pue = results["pue"].to_numpy(dtype=float)
    embodied = {c: results[f"{c}_embodied_{UNIT_OF[c]}"].to_numpy(dtype=float) for c in FOOTPRINT_CRITERIA}
    return Reference(embodied, results["lifetime_years"].to_numpy(dtype=float),
                     results["energy_kwh_per_year"].to_numpy(dtype=float) / pue, hours, days, load)


def footprint_subscore(ratio: np.ndarray, best: float, worst: float) -> np.ndarray:
    """Sub-score 0-100 of a footprint ratio (item / reference) on a log scale.

    ``50`` at ratio 1, ``100`` at ``best`` (< 1) or below, ``0`` at ``worst`` (> 1) or above,
    log-linear in between: ``50 - 50 ln(r) / ln(worst)`` above 1, ``50 + 50 ln(r) / ln(best)`` below.
    A zero ratio scores 100, an infinite one 0, NaN stays NaN.
    """
    r = np.asarray(ratio, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_r = np.log(r)
        out = np.where(log_r >= 0, 50.0 - 50.0 * log_r / np.log(worst), 50.0 + 50.0 * log_r / np.log(best))
    return np.where(np.isnan(r), np.nan, np.clip(out, 0.0, 100.0))


def _size_neutraliser(table: pd.DataFrame, codes: np.ndarray, library: FactorLibrary) -> np.ndarray:
    """Per row, the factor that cancels a negative size slope of the calibrated embodied model.

    The fitted model may give a slightly lower footprint to a bigger screen or memory in some
    categories (e.g. smartphones: larger phones in the training set are newer). The score must not
    reward size, so for each negative slope ``b`` the ratio is multiplied by ``exp(-b (x - centre))``:
    the embodied part then never falls with size, and the total cannot either.
    """
    from auditor.footprint import embodied_model
    from factors.embodied_model import storage_total_gb

    model = embodied_model(library)
    out = np.ones(len(table))
    if not len(table):
        return out
    wanted = {(name, feature): cat_model for name, cat_model in model.categories.items() if name in CATEGORIES
              for feature in _SIZE_FEATURES if cat_model.slope.get(feature, 0.0) < 0}
    present = np.bincount(codes, minlength=len(CATEGORIES)) > 0
    features: dict[str, np.ndarray] = {}
    for (name, feature), cat_model in wanted.items():
        code = CATEGORIES.index(name)
        if not present[code]:
            continue
        if feature not in features:
            column = _SIZE_FEATURES[feature]
            raw = (storage_total_gb(*(given(table, c) for c in ("storage_gb", "ssd_count", "ssd_gb", "hdd_count",
                                                                  "hdd_gb")))
                   if column == "storage_gb" else given(table, column))
            with np.errstate(divide="ignore", invalid="ignore"):
                features[feature] = np.where(raw > 0, np.log(raw) if feature.startswith("log_") else raw, np.nan)
        x = features[feature]
        rows = np.flatnonzero((codes == code) & np.isfinite(x))
        out[rows] *= np.exp(-cat_model.slope[feature] * (x[rows] - cat_model.centre.get(feature, 0.0)))
    return out


def _usage(table: pd.DataFrame, codes: np.ndarray, ref: Reference) -> tuple[np.ndarray, ...]:
    h_given, d_given, l_given = (given(table, c) for c in ("hours_per_day", "days_per_year", "avg_load_pct"))
    hours = np.where(np.isnan(h_given), ref.hours[codes], h_given)
    days = np.where(np.isnan(d_given), ref.days[codes], d_given)
    load = np.where(np.isnan(l_given), ref.load[codes], l_given)
    return hours, days, load, h_given, d_given, l_given


def _country_factors(codes: np.ndarray, uniques: np.ndarray, library: FactorLibrary, criterion: str) -> np.ndarray:
    """Electricity factor of each row's country (codes into ``uniques``, -1 unknown)."""
    from auditor.footprint import _electricity_arrays

    if not len(uniques):
        return np.full(len(codes), np.nan)
    values = _electricity_arrays(library, np.asarray(uniques, dtype=object), criterion)[0]
    return np.where(codes >= 0, values[np.maximum(codes, 0)], np.nan)


def sobriety(results: pd.DataFrame, table: pd.DataFrame, library: FactorLibrary,
             params: ScoringParameters, lang: str = "en") -> pd.DataFrame:
    """Columns ``sobriety_score``, ``sobriety_grade``, ``sobriety_reasons`` for every row.

    Parameters
    ----------
    results
        Footprint results (``quantity``, ``pue``, ``lifetime_years``, ``country``, ``energy_kwh_per_year``,
        embodied columns), aligned with ``table``.
    table
        Canonical inventory the results come from.
    library, params
        Factor library (archetypes, engine reference) and scoring parameters.
    lang
        Language of the reasons (``en`` or ``fr``).
    """
    from auditor.results import UNIT_OF

    n = len(table)
    web = (table["category"].astype(object).to_numpy() == WEB_SERVICE_CATEGORY) if n else np.zeros(0, bool)
    codes = np.zeros(n, dtype=np.int64)
    codes[~web] = category_codes(table["category"][~web]) if (~web).any() else codes[~web]
    ref = category_reference(library)
    hours, days, load, h_given, d_given, l_given = _usage(table, codes, ref)
    server = codes == CATEGORIES.index("server")

    # footprint for the service: one device-year, or for servers the work done (load)
    quantity = results["quantity"].to_numpy(dtype=float)
    pue = results["pue"].to_numpy(dtype=float)
    life = results["lifetime_years"].to_numpy(dtype=float)
    ref_life = ref.lifetime[codes]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        per_device = 1.0 / quantity
        wall = results["energy_kwh_per_year"].to_numpy(dtype=float) * per_device  # PUE included
        energy = wall / pue
        work = np.where(server, load / ref.load[codes], 1.0)
        ref_wall = ref.energy[codes] * pue
        life_share = per_device / life
        log_sum = np.zeros(n)
        counted = np.zeros(n)
        emb_ratio = np.full(n, np.nan)
        country_codes, countries = pd.factorize(results["country"], use_na_sentinel=True)
        country_codes = np.asarray(country_codes)
        for criterion in FOOTPRINT_CRITERIA:
            factor = _country_factors(country_codes, np.asarray(countries, dtype=object), library, criterion)
            emb_total = results[f"{criterion}_embodied_{UNIT_OF[criterion]}"].to_numpy(dtype=float)
            ref_year = ref.embodied[criterion] / ref.lifetime  # per category
            item = emb_total * life_share + wall * factor
            reference = ref_year[codes] + ref_wall * factor
            log_c = np.log(item / reference)
            ok = np.isfinite(log_c) | (np.isinf(log_c) & (reference > 0))
            log_sum += np.where(ok, log_c, 0.0)
            counted += ok
            if criterion == "gwp":
                ref_emb = ref.embodied[criterion][codes]
                emb_ratio = np.where(ref_emb > 0, emb_total * per_device / ref_emb, np.nan)
        ratio = np.where(counted > 0, np.exp(log_sum / np.maximum(counted, 1)) / work, np.nan)
        ratio = ratio * _size_neutraliser(table, codes, library)
        energy_ratio = np.where(ref.energy[codes] > 0, energy / ref.energy[codes], np.nan)
    ratio[~(quantity > 0)] = np.nan
    s_footprint = footprint_subscore(ratio, params["sobriety_footprint_ratio_best"],
                                     params["sobriety_footprint_ratio_worst"])

    # utilisation of servers whose load is known
    anchors = (params["server_load_idle_pct"], params["server_load_reference_pct"], params["server_load_target_pct"])
    s_util = np.where(server & ~np.isnan(l_given), anchored_score(l_given, anchors, (0.0, 50.0, 100.0)), np.nan)

    # on outside working hours, for devices not meant to run around the clock
    part_time = ref.hours[codes] < _ALWAYS_ON_HOURS
    usage_given = ~np.isnan(h_given) | ~np.isnan(d_given)
    ref_h, ref_d = ref.hours[codes], ref.days[codes]
    on = hours * np.minimum(days, 366.0)
    at_work = np.minimum(hours, ref_h) * np.minimum(days, ref_d)
    window = 8760.0 - ref_h * ref_d
    with np.errstate(divide="ignore", invalid="ignore"):
        outside_share = np.clip((on - at_work) / window, 0.0, 1.0)
    s_hours = np.where(part_time & usage_given, 100.0 * (1.0 - outside_share), np.nan)

    # over-provisioning, when memory use was measured
    mem = given(table, MEMORY_USED_COLUMN)
    busiest = np.fmax(np.where(np.isnan(l_given), np.nan, l_given), mem)
    s_over = np.where(server & ~np.isnan(mem), anchored_score(busiest, anchors, (0.0, 50.0, 100.0)), np.nan)

    stack = np.vstack([s_footprint, s_util, s_hours, s_over])
    count = (~np.isnan(stack)).sum(axis=0)
    with np.errstate(invalid="ignore"):
        score = np.where(count > 0, np.nansum(stack, axis=0) / np.maximum(count, 1), np.nan)
    score[web] = np.nan
    score = np.round(score, 1)

    floors = [(g, params[f"sobriety_grade_{g.lower()}_above"]) for g in GRADES]
    letters = grade(score, floors, "G", strict=True)
    drivers = {"life": life, "ref_life": ref_life, "emb": emb_ratio, "energy": energy_ratio,
               "work": np.where(server, work, np.nan)}
    reasons = _reasons(web, ratio, drivers, l_given, server, outside_share, s_hours, busiest, s_over,
                       params=params, lang=lang)
    return pd.DataFrame({"sobriety_score": score, "sobriety_grade": letters, "sobriety_reasons": reasons})


def _tenths(x: np.ndarray, cap: float = 99.0, scale: float = 10.0) -> np.ndarray:
    """Ratios rounded to tenths (or ``1 / scale``) as integers (-1 unknown, 999999 infinite)."""
    out = np.where(np.isfinite(x), np.round(np.clip(x, 0, cap) * scale), -1).astype(np.int64)
    out[np.isinf(x)] = 999999
    return out


def _reasons(web, ratio, drivers, load, server, outside, s_hours, busiest, s_over, *, params,
             lang) -> pd.Categorical:
    """Reason text per row, built once per distinct combination of rounded values."""
    from auditor.scoring.texts import number, say

    n = len(web)
    ratio_t = _tenths(ratio, scale=100.0)
    life_t, ref_life_t = _tenths(drivers["life"], 999), _tenths(drivers["ref_life"], 999)
    emb_t, energy_t, work_t = _tenths(drivers["emb"]), _tenths(drivers["energy"]), _tenths(drivers["work"])
    load_code = np.where(server & ~np.isnan(load), np.round(load), -1).astype(np.int64)
    hours_code = np.where(~np.isnan(s_hours), np.round(outside * 100), -1).astype(np.int64)
    over_code = np.where(~np.isnan(s_over), np.round(busiest), -1).astype(np.int64)
    exact = np.isfinite(ratio) & (np.abs(ratio - 1.0) < 1e-9)
    codes, first = combine_codes(web.astype(np.int64), exact.astype(np.int64), ratio_t, life_t, ref_life_t, emb_t,
                                 energy_t, work_t, load_code, hours_code, over_code)
    idle, reference = params["server_load_idle_pct"], params["server_load_reference_pct"]
    target = params["server_load_target_pct"]

    def ratio_text(tenths: int) -> str:
        return number(tenths / 10, lang)

    def make(row: int) -> str:
        if web[row]:
            return say("sob_web", lang)
        parts = []
        r = ratio_t[row]
        if r == 999999:
            parts.append(say("sob_no_hours", lang))
        elif exact[row]:
            parts.append(say("sob_default", lang))
        elif r >= 0:
            how = say("sob_at" if r == 100 else ("sob_below" if r < 100 else "sob_above"), lang)
            detail = []
            if life_t[row] >= 0 and ref_life_t[row] >= 0 and life_t[row] != ref_life_t[row]:
                detail.append(say("sob_life", lang, life=number(life_t[row] / 10, lang),
                                  ref=number(ref_life_t[row] / 10, lang)))
            if emb_t[row] >= 0 and emb_t[row] != 10:
                detail.append(say("sob_manufacture", lang, ratio=ratio_text(emb_t[row])))
            if energy_t[row] >= 0 and energy_t[row] != 10:
                detail.append(say("sob_energy", lang, ratio=ratio_text(energy_t[row])))
            if 0 <= work_t[row] < 999999 and work_t[row] != 10:
                detail.append(say("sob_work", lang, ratio=ratio_text(work_t[row])))
            text = say("sob_footprint", lang, ratio=number(r / 100, lang, 2), how=how)
            parts.append(text + ((" : " if lang == "fr" else ": ") + ", ".join(detail) if detail else ""))
        if load_code[row] >= 0:
            lv = load_code[row]
            if lv <= idle:
                parts.append(say("sob_idle", lang, load=lv, idle=number(idle, lang)))
            elif lv < reference:
                parts.append(say("sob_below_avg", lang, load=lv, ref=number(reference, lang)))
            elif lv < target:
                parts.append(say("sob_hyperscale", lang, load=lv, target=number(target, lang)))
            else:
                parts.append(say("sob_well_used", lang, load=lv))
        if hours_code[row] >= 0:
            share = hours_code[row]
            parts.append(say("sob_off", lang) if share == 0 else say("sob_on_outside", lang, share=share))
        if over_code[row] >= 0:
            parts.append(say("sob_busiest", lang, load=over_code[row]))
        return "; ".join(parts)

    return texts_by_code(codes, first, make) if n else pd.Categorical([])
