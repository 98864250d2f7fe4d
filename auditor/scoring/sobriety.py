"""Sobriety score 0-100 and grade A-G of every item, with its reasons.

The score is the mean of the sub-scores that can be computed for the item (each 0-100, higher is
more sober); docs/scoring.md gives the method and sources:

- **energy intensity**: yearly energy of one device divided by its hours of active use
  (days x hours x load), against the category reference computed by the footprint engine itself
  on a default item: the reference scores 50, its low bound (best in class) 100, its high bound 0;
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


@dataclass(frozen=True)
class Reference:
    """Category reference energy per hour of active use [kWh/h]: value, best (low), worst (high)."""

    value: np.ndarray
    best: np.ndarray
    worst: np.ndarray
    hours: np.ndarray  # archetype hours per day
    days: np.ndarray   # archetype days per year
    load: np.ndarray   # archetype load [%]


@lru_cache(maxsize=4)
def category_reference(library: FactorLibrary) -> Reference:
    """Reference intensities from the footprint engine run on one default item per category.

    The default items take the archetype's hours, days and load as given (exact), so the low and
    high bounds of their energy reflect only the spread of power figures between sources: the low
    bound stands for best in class, the high bound for the least efficient devices.
    """
    from datetime import date

    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import table_from_records

    hours = archetype_arrays(library, "hours_per_day")[0]
    days = archetype_arrays(library, "days_per_year")[0]
    load = archetype_arrays(library, "avg_load_pct")[0]
    records = [{"id": f"reference-{c}", "category": c, "country": "FR", "quantity": 1,
                "hours_per_day": hours[i], "days_per_year": days[i], "avg_load_pct": load[i]}
               for i, c in enumerate(CATEGORIES)]
    today = date(2026, 1, 1)  # ages do not enter energy
    table = table_from_records(records, country="FR", today=today, library=library, name="reference")
    results = assess(table, library, AssessOptions(today=today))
    pue = results["pue"].to_numpy(dtype=float)
    active = days * hours * load / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        per_hour = {b: results[f"energy_kwh_per_year{b}"].to_numpy(dtype=float) / pue / active
                    for b in ("", "_low", "_high")}
    return Reference(per_hour[""], per_hour["_low"], per_hour["_high"], hours, days, load)


def _usage(table: pd.DataFrame, codes: np.ndarray, ref: Reference) -> tuple[np.ndarray, ...]:
    h_given, d_given, l_given = (given(table, c) for c in ("hours_per_day", "days_per_year", "avg_load_pct"))
    hours = np.where(np.isnan(h_given), ref.hours[codes], h_given)
    days = np.where(np.isnan(d_given), ref.days[codes], d_given)
    load = np.where(np.isnan(l_given), ref.load[codes], l_given)
    return hours, days, load, h_given, d_given, l_given


def sobriety(results: pd.DataFrame, table: pd.DataFrame, library: FactorLibrary,
             params: ScoringParameters) -> pd.DataFrame:
    """Columns ``sobriety_score``, ``sobriety_grade``, ``sobriety_reasons`` for every row.

    Parameters
    ----------
    results
        Footprint results (``energy_kwh_per_year``, ``quantity``, ``pue``), aligned with ``table``.
    table
        Canonical inventory the results come from.
    library, params
        Factor library (archetypes, engine reference) and scoring parameters.
    """
    n = len(table)
    web = (table["category"].astype(object).to_numpy() == WEB_SERVICE_CATEGORY) if n else np.zeros(0, bool)
    codes = np.zeros(n, dtype=np.int64)
    codes[~web] = category_codes(table["category"][~web]) if (~web).any() else codes[~web]
    ref = category_reference(library)
    hours, days, load, h_given, d_given, l_given = _usage(table, codes, ref)
    server = codes == CATEGORIES.index("server")

    # energy intensity: kWh per hour of active use, one device, at the plug
    quantity = results["quantity"].to_numpy(dtype=float)
    pue = results["pue"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        energy = results["energy_kwh_per_year"].to_numpy(dtype=float) / quantity / pue
        # useful hours cannot exceed working time: a PC left on all night is not used all night
        useful = np.minimum(days, ref.days[codes]) * np.minimum(hours, ref.hours[codes]) * load / 100.0
        intensity = energy / useful
    intensity[energy == 0] = 0.0
    intensity[~np.isfinite(energy) | ~(quantity > 0)] = np.nan
    best, value, worst = ref.best[codes], ref.value[codes], ref.worst[codes]
    s_energy = np.where(intensity <= value,
                        _down(intensity, best, value, 100.0, 50.0),
                        _down(intensity, value, worst, 50.0, 0.0))
    s_energy[np.isnan(intensity)] = np.nan
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = intensity / value

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

    stack = np.vstack([s_energy, s_util, s_hours, s_over])
    count = (~np.isnan(stack)).sum(axis=0)
    with np.errstate(invalid="ignore"):
        score = np.where(count > 0, np.nansum(stack, axis=0) / np.maximum(count, 1), np.nan)
    score[web] = np.nan
    score = np.round(score, 1)

    floors = [(g, params[f"sobriety_grade_{g.lower()}_above"]) for g in GRADES]
    letters = grade(score, floors, "G", strict=True)
    reasons = _reasons(web, ratio, s_energy, l_given, server, s_util, outside_share, s_hours,
                       busiest, s_over, energy_default=_default_energy(results), params=params)
    return pd.DataFrame({"sobriety_score": score, "sobriety_grade": letters, "sobriety_reasons": reasons})


def _down(x: np.ndarray, x0: np.ndarray, x1: np.ndarray, s0: float, s1: float) -> np.ndarray:
    """Linear from ``s0`` at ``x0`` to ``s1`` at ``x1``, clipped between them (x0 <= x1)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.where(x1 > x0, (x - x0) / (x1 - x0), np.where(x <= x0, 0.0, 1.0))
    return s0 + (s1 - s0) * np.clip(t, 0.0, 1.0)


def _default_energy(results: pd.DataFrame) -> np.ndarray:
    source = results["energy_source"]
    if isinstance(source.dtype, pd.CategoricalDtype):
        categories = list(source.cat.categories)
        code = categories.index("default") if "default" in categories else -2
        return source.cat.codes.to_numpy() == code
    return source.astype(object).to_numpy() == "default"


def _reasons(web, ratio, s_energy, load, server, s_util, outside, s_hours, busiest, s_over, *,
             energy_default, params) -> pd.Categorical:
    """Reason text per row, built once per distinct combination of rounded values."""
    n = len(web)
    ratio_tenths = np.where(np.isfinite(ratio), np.round(np.clip(ratio, 0, 99) * 10), -1).astype(np.int64)
    ratio_tenths[np.isinf(ratio)] = 9999
    load_code = np.where(server & ~np.isnan(load), np.round(load), -1).astype(np.int64)
    hours_code = np.where(~np.isnan(s_hours), np.round(outside * 100), -1).astype(np.int64)
    over_code = np.where(~np.isnan(s_over), np.round(busiest), -1).astype(np.int64)
    codes, first = combine_codes(web.astype(np.int64), ratio_tenths, load_code, hours_code, over_code,
                                 energy_default.astype(np.int64))
    idle, reference = params["server_load_idle_pct"], params["server_load_reference_pct"]
    target = params["server_load_target_pct"]

    def make(row: int) -> str:
        if web[row]:
            return "web service: sobriety comes from page measurements (EcoIndex), not measured yet"
        parts = []
        r = ratio_tenths[row]
        if r == 9999:
            parts.append("energy used but no hours of active use")
        elif r >= 0:
            how = "at" if r == 10 else ("below" if r < 10 else "above")
            text = f"energy per hour of use {r / 10:.1f}x the category reference ({how})"
            if energy_default[row]:
                text = "energy at the category reference (no usage or power data)"
            parts.append(text)
        if load_code[row] >= 0:
            lv = load_code[row]
            if lv <= idle:
                parts.append(f"mean load {lv} %: idle capacity (<= {idle:g} %)")
            elif lv < reference:
                parts.append(f"mean load {lv} %: below the {reference:g} % average of on-premise servers")
            elif lv < target:
                parts.append(f"mean load {lv} % (hyperscale servers run near {target:g} %)")
            else:
                parts.append(f"mean load {lv} %: well used")
        if hours_code[row] >= 0:
            share = hours_code[row]
            parts.append("switched off outside working hours" if share == 0
                         else f"on {share} % of the hours outside working time")
        if over_code[row] >= 0:
            parts.append(f"busiest of CPU and memory at {over_code[row]} %")
        return "; ".join(parts)

    return texts_by_code(codes, first, make) if n else pd.Categorical([])
