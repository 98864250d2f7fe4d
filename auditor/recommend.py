"""Recommendations: actions ranked by their estimated yearly savings, computed by the engine.

Every action is a change to the inventory (longer lifetimes, fewer hours on, servers removed or
reloaded, a socket fewer, a new device in place of an old one). Its savings are the difference
between two runs of the footprint engine (:func:`auditor.footprint.assess`): the rows it touches,
as they are and as changed. Rows are assessed independently, so this equals the difference of
the whole estate's totals (a test checks it). Nothing is estimated outside the engine.

- **Keep stranded PCs with Linux or ChromeOS Flex**: Windows 10 PCs that cannot run Windows 11 stay
  in service until the end of support of the newest Ubuntu LTS (from the end-of-support snapshot)
  instead of being replaced: their lifetime becomes their age at that date.
- **Replace worn batteries**: laptops, phones and tablets whose battery is below the worn threshold
  keep going to the category's longest cited lifetime (archetype high bound).
- **Extend lifetimes**: other devices at low or medium obsolescence risk reach the category's longest
  cited lifetime.
- **Switch off outside working hours**: user devices given more hours or days than the category's
  working time are brought back to it.
- **Consolidate under-used servers**: servers of a site whose known load is below the on-premise
  average are packed onto as few of them as reach the target load; the others are removed.
- **Right-size servers**: a server whose load would stay under the target with one CPU socket fewer
  is bought with one socket fewer at its renewal.
- **Replace where the break-even is reached**: a device is replaced by a new default device of its
  category only where the yearly use-phase savings exceed the new device's embodied footprint
  spread over its lifetime (before = the old device's use, its manufacture being past; after =
  the new device's total).

JSON output: a list of objects with ``action``, ``title``, ``items``, ``item_count``,
``devices``, ``savings_kwh_per_year``, ``savings_kgco2e_per_year``, ``savings_water_m3_per_year``,
``savings_adpe_kgsbeq_per_year``, ``savings_pe_mj_per_year``, ``explanation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from auditor.enrich import archetype_arrays, category_codes
from auditor.footprint import AssessOptions, assess
from auditor.results import UNIT_OF, total_column, use_column
from auditor.scoring.common import given
from auditor.scoring.eol import linux_reuse_target, years_between
from auditor.scoring.obsolescence import os_facts
from auditor.scoring.parameters import scoring_parameters
from factors.tables import CATEGORIES, CRITERIA, FactorLibrary, default_library

#: Savings keys of the output, per criterion ("energy" is final electricity).
SAVINGS_KEYS: dict[str, str] = {
    "energy": "savings_kwh_per_year",
    "gwp": "savings_kgco2e_per_year",
    "water": "savings_water_m3_per_year",
    "adpe": "savings_adpe_kgsbeq_per_year",
    "pe": "savings_pe_mj_per_year",
}
_USER_DEVICES = ("desktop", "laptop", "thin_client", "monitor", "printer", "mfp", "projector", "tv")
_BATTERY_DEVICES = ("laptop", "smartphone", "tablet")
_REUSABLE_PCS = ("desktop", "laptop")


@dataclass
class Action:
    """One recommended change: the rows it touches, before and after, and how to count savings.

    ``kind`` is ``"estate"`` (savings = totals before - totals after) or ``"replace"`` (savings =
    use phase of the old devices - totals of the new ones).
    """

    action: str
    title: str
    rows: np.ndarray
    before: pd.DataFrame
    after: pd.DataFrame
    kind: str = "estate"
    explanation: str = ""
    savings: dict[str, float] = field(default_factory=dict)


def recommend(table: pd.DataFrame, results: pd.DataFrame, library: FactorLibrary | None = None,
              options: AssessOptions | None = None, criterion: str = "gwp") -> list[dict]:
    """Ranked recommendations with their yearly savings (see module docstring).

    Parameters
    ----------
    table
        Canonical inventory (:func:`auditor.inventory.read_inventory`).
    results
        Its assessment with scores (:func:`auditor.api.assess_table`), row for row.
    library
        Factor library; the packaged one when None.
    options
        The assessment's options (PUE, reference date); the same are used to re-assess.
    criterion
        Ranking criterion: ``energy``, ``gwp``, ``water``, ``adpe`` or ``pe``.

    Returns
    -------
    list of dict
        Largest saving first; actions that save nothing on ``criterion`` are left out.
    """
    library = library or default_library()
    options = options or AssessOptions()
    from auditor.web.footprint import is_web

    keep = ~is_web(table)  # web services: no hardware action (their checks are in auditor web measure)
    if not keep.all():
        table, results = table[keep].reset_index(drop=True), results[keep].reset_index(drop=True)
    actions = plan(table, results, library, options)
    out = []
    for act in actions:
        act.savings = savings(act, library, options)
    actions = [a for a in actions if a.savings[criterion] > 0]
    actions.sort(key=lambda a: a.savings[criterion], reverse=True)
    ids = table["id"].astype(object).to_numpy()
    quantity = table["quantity"].to_numpy(dtype=float)
    for rank, act in enumerate(actions, start=1):
        record = {"rank": rank, "action": act.action, "title": act.title,
                  "items": [str(i) for i in ids[act.rows]], "item_count": int(len(act.rows)),
                  "devices": float(quantity[act.rows].sum())}
        record.update({SAVINGS_KEYS[c]: float(act.savings[c]) for c in SAVINGS_KEYS})
        record["explanation"] = act.explanation
        out.append(record)
    return out


def savings(act: Action, library: FactorLibrary, options: AssessOptions) -> dict[str, float]:
    """Yearly savings of an action per criterion, from two runs of the footprint engine."""
    before = assess(act.before.reset_index(drop=True), library, options)
    after = assess(act.after.reset_index(drop=True), library, options)
    out = {}
    for c in ("energy", *CRITERIA):
        if act.kind == "replace":
            old = before["energy_kwh_per_year"] if c == "energy" else before[use_column(c)]
        else:
            old = before[total_column(c)]
        out[c] = float(old.sum() - after[total_column(c)].sum())
    return out


def plan(table: pd.DataFrame, results: pd.DataFrame, library: FactorLibrary,
         options: AssessOptions) -> list[Action]:
    """Every applicable action with its before/after rows (savings not yet computed)."""
    table = table.reset_index(drop=True)
    results = results.reset_index(drop=True)
    today = options.today or date.today()
    params = scoring_parameters(library)
    codes = category_codes(table["category"])
    facts = os_facts(table, params, today)
    age = results["age_years"].to_numpy(dtype=float)
    lifetime = results["lifetime_years"].to_numpy(dtype=float)
    quantity = table["quantity"].to_numpy(dtype=float)
    life_high = archetype_arrays(library, "lifetime_years")[2][codes]
    taken = np.zeros(len(table), dtype=bool)  # rows whose lifetime, load or identity an action changes
    actions: list[Action] = []

    def add(act: Action | None, exclusive: bool = True) -> None:
        if act is not None and len(act.rows):
            if exclusive:
                taken[act.rows] = True
            actions.append(act)

    add(_reuse_stranded(table, codes, facts, age, lifetime, quantity, params, today))
    add(_batteries(table, codes, lifetime, life_high, quantity, taken, params))
    add(_consolidate(table, results, codes, quantity, taken, params))
    add(_right_size(table, codes, quantity, taken, params))
    switch = _switch_off(table, results, codes, quantity, library)
    # hours only change the use phase and lifetimes only the yearly share of manufacture, so
    # switching off adds up with the lifetime actions; it must not overlap a replacement
    add(switch, exclusive=False)
    switched = np.zeros(len(table), dtype=bool)
    if switch is not None:
        switched[switch.rows] = True
    add(_replace(table, results, codes, quantity, taken | switched, library, options, today))
    add(_extend(table, results, codes, lifetime, life_high, quantity, taken))
    return actions


def _pos(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _mean(values: np.ndarray) -> float:
    return float(np.nanmean(values)) if len(values) else float("nan")


def _reuse_stranded(table, codes, facts, age, lifetime, quantity, params, today) -> Action | None:
    target = linux_reuse_target(today)
    if target is None or target.eol is None:
        return None
    pcs = np.isin(codes, [CATEGORIES.index(c) for c in _REUSABLE_PCS])
    flex_ok = ~(facts.ram < params["chromeos_flex_min_ram_gb"]) & ~(facts.storage < params["chromeos_flex_min_storage_gb"])
    new_life = age + years_between(today, target.eol)
    mask = facts.stranded & pcs & ~np.isnan(age) & (quantity > 0) & flex_ok & (new_life > lifetime)
    rows = _pos(mask)
    if not len(rows):
        return None
    excluded = int((facts.stranded & pcs & (quantity > 0) & ~flex_ok).sum())
    before, after = _with_lifetime(table, rows, new_life[rows])
    win10 = facts.releases[facts.safe[rows[0]]]
    esu = f"; paid extended security updates (ESU) are the stop-gap, until {win10.eoes.isoformat()}" if win10.eoes else ""
    text = (
        f"{len(rows)} PCs cannot run Windows 11 (CPU not on Microsoft's list, or memory, storage or TPM "
        f"below its minimum) and their Windows release lost security support on {win10.eol.isoformat()}. "
        f"Reinstalled with a supported Linux ({target.name} LTS, supported until {target.eol.isoformat()}) or "
        f"ChromeOS Flex (needs 4 GB RAM, 16 GB storage), they stay in service until then instead of being "
        f"replaced: lifetime {_mean(lifetime[rows]):.1f} -> {_mean(new_life[rows]):.1f} years on average. "
        f"Savings are their manufacturing footprint spread over the longer life (use unchanged){esu}."
    )
    if excluded:
        text += f" {excluded} stranded PCs below ChromeOS Flex's minimum are left out."
    return Action("reuse-stranded-pcs", "Keep stranded Windows 10 PCs with Linux or ChromeOS Flex",
                  rows, before, after, explanation=text)



def _copies(table: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows an action changes, as they are (before) and as a copy to change (after)."""
    before = table.iloc[rows].copy()
    return before, before.copy()


def _with_lifetime(table: pd.DataFrame, rows: np.ndarray, lifetime_years: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows, and the same rows kept for ``lifetime_years`` instead."""
    before, after = _copies(table, rows)
    after["lifetime_years"] = lifetime_years
    return before, after

def _batteries(table, codes, lifetime, life_high, quantity, taken, params) -> Action | None:
    battery = given(table, "battery_health_pct")
    devices = np.isin(codes, [CATEGORIES.index(c) for c in _BATTERY_DEVICES])
    threshold = params["battery_worn_threshold_pct"]
    mask = devices & (battery < threshold) & (quantity > 0) & ~taken & (life_high > lifetime)
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _with_lifetime(table, rows, life_high[rows])
    text = (
        f"{len(rows)} laptops, phones or tablets have a battery below {threshold:g} % of its design capacity. "
        f"A new battery lets them reach the longest lifetime of the cited sources for their category "
        f"({_mean(lifetime[rows]):.1f} -> {_mean(life_high[rows]):.1f} years on average) instead of being "
        "replaced. The new batteries' own footprint is not subtracted: the factor tables have no cited "
        "battery figure."
    )
    return Action("replace-batteries", "Replace worn batteries instead of devices", rows, before, after,
                  explanation=text)


def _consolidate(table, results, codes, quantity, taken, params) -> Action | None:
    load = given(table, "avg_load_pct")
    reference, target = params["server_load_reference_pct"], params["server_load_target_pct"]
    server = codes == CATEGORIES.index("server")
    candidates = server & (load < reference) & (quantity > 0) & ~taken
    if candidates.sum() < 2:
        return None
    sites = table["site"].astype(object).fillna("").to_numpy()
    cores = given(table, "cpu_cores")
    sockets = given(table, "cpu_count")
    by_cores = not np.isnan(cores[candidates]).any()  # one unit for all, so capacities compare alike
    capacity = cores if by_cores else np.where(~np.isnan(sockets), sockets, 1.0)
    age = results["age_years"].to_numpy(dtype=float)
    moved = {c: given(table, c) for c in ("ram_gb", "ssd_count", "hdd_count")}
    new = {"avg_load_pct": load.copy(), "quantity": quantity.copy(), **{c: v.copy() for c, v in moved.items()}}
    touched: list[int] = []
    removed = kept_count = 0
    for site in pd.unique(sites[candidates]):
        group = _pos(candidates & (sites == site))
        if len(group) < 2:
            continue
        work = float(np.sum(load[group] / 100.0 * capacity[group] * quantity[group]))
        order = group[np.lexsort((np.nan_to_num(age[group], nan=99.0), -capacity[group]))]
        kept, cap = [], 0.0
        for row in order:
            kept.append(row)
            cap += capacity[row] * quantity[row]
            if work <= target / 100.0 * cap:
                break
        if len(kept) == len(group):
            continue
        kept = np.array(kept)
        gone = np.setdiff1d(group, kept)
        new["avg_load_pct"][kept] = 100.0 * work / cap
        new["quantity"][gone] = 0.0
        # memory and drives of the removed servers move to the kept ones, in proportion
        for column, values in moved.items():
            if not np.isnan(values[group]).any():
                total_group = float(np.sum(values[group] * quantity[group]))
                total_kept = float(np.sum(values[kept] * quantity[kept]))
                if total_kept > 0:
                    new[column][kept] = values[kept] * total_group / total_kept
        removed += int(quantity[gone].sum())
        kept_count += len(kept)
        touched.extend(group.tolist())
    if not touched:
        return None
    rows = np.array(sorted(touched))
    before, after = _copies(table, rows)
    for column, values in new.items():
        after[column] = values[rows]
    text = (
        f"{len(rows)} servers run below the {reference:g} % average load of on-premise servers. Packed per site "
        f"onto {kept_count} of them at up to {target:g} % load (the load assumed for hyperscale servers), "
        f"{removed} servers can be switched off and removed. Workload is counted as load x "
        f"{'cores' if by_cores else 'sockets'}; the removed servers' memory and drives move to the kept ones "
        "(where given), so the savings are their chassis, processors and idle power, less the extra draw of "
        "the kept servers at the higher load."
    )
    return Action("consolidate-servers", "Consolidate under-used servers", rows, before, after, explanation=text)


def _right_size(table, codes, quantity, taken, params) -> Action | None:
    load = given(table, "avg_load_pct")
    sockets = given(table, "cpu_count")
    target = params["server_load_target_pct"]
    server = codes == CATEGORIES.index("server")
    with np.errstate(divide="ignore", invalid="ignore"):
        new_load = load * sockets / (sockets - 1)
    mask = server & (sockets >= 2) & (new_load <= target) & (quantity > 0) & ~taken
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _copies(table, rows)
    after["cpu_count"] = sockets[rows] - 1
    after["avg_load_pct"] = new_load[rows]
    text = (
        f"{len(rows)} servers would stay at or below {target:g} % load with one CPU socket fewer "
        f"(mean load {_mean(load[rows]):.0f} % -> {_mean(new_load[rows]):.0f} %). Buy them with one socket fewer "
        "at renewal: less power and less manufacturing. Memory is kept as it is (no measured memory use)."
    )
    return Action("right-size-servers", "Right-size servers at renewal", rows, before, after, explanation=text)


def _switch_off(table, results, codes, quantity, library) -> Action | None:
    ref_h = archetype_arrays(library, "hours_per_day")[0][codes]
    ref_d = archetype_arrays(library, "days_per_year")[0][codes]
    hours, days = given(table, "hours_per_day"), given(table, "days_per_year")
    user = np.isin(codes, [CATEGORIES.index(c) for c in _USER_DEVICES])
    source = results["energy_source"].astype(object).to_numpy()
    from_usage = np.isin(source, ["modelled", "default"]) | ((source == "declared") & np.isnan(given(table, "energy_kwh_per_year")))
    over = (hours > ref_h) | (days > ref_d)
    mask = user & over & from_usage & (quantity > 0)
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _copies(table, rows)
    after["hours_per_day"] = np.where(np.isnan(hours[rows]), np.nan, np.minimum(hours[rows], ref_h[rows]))
    after["days_per_year"] = np.where(np.isnan(days[rows]), np.nan, np.minimum(days[rows], ref_d[rows]))
    metered = int((user & over & ~from_usage).sum())
    text = (
        f"{len(rows)} user devices are on longer than the working time of their category "
        f"(mean {np.nanmean(hours[rows]) if not np.isnan(hours[rows]).all() else float('nan'):.0f} h a day). "
        "Switched off at night and at weekends (automatic shutdown, smart power strips), they run only the "
        "category's working time; they still draw their off-mode power."
    )
    if metered:
        text += f" {metered} devices with metered or measured energy are left out (the engine cannot re-time them)."
    return Action("switch-off-outside-working-hours", "Switch off at night and at weekends", rows, before, after,
                  explanation=text)


def _replacement_rows(before: pd.DataFrame, today: date) -> pd.DataFrame:
    """A new default device of the same category in place of each row (same usage and place)."""
    after = before.copy()
    blank = ("lifetime_years", "screen_size_in", "weight_kg", "cpu_count", "cpu_cores", "cpu_threads", "cpu_tdp_w",
             "ram_gb", "ssd_count", "ssd_gb", "hdd_count", "hdd_gb", "storage_gb", "psu_count", "psu_rating_w",
             "power_w", "energy_kwh_per_year")
    for column in blank:
        if column in after:
            after[column] = np.nan
    for column in [c for c in after.columns if c.startswith("measured_")]:
        after[column] = np.nan
    after["purchase_date"] = pd.Timestamp(today)
    after["year"] = float(today.year)
    return after


def _replace(table, results, codes, quantity, taken, library, options, today) -> Action | None:
    source = results["energy_source"].astype(object).to_numpy()
    server = codes == CATEGORIES.index("server")
    candidates = (np.isin(source, ["declared", "measured"]) | (server & (source == "modelled"))) & (quantity > 0) & ~taken
    rows = _pos(candidates)
    if not len(rows):
        return None
    before = table.iloc[rows].copy()
    after = _replacement_rows(before, today)
    b = assess(before.reset_index(drop=True), library, options)
    a = assess(after.reset_index(drop=True), library, options)
    gain = b[use_column("gwp")].to_numpy() - a[total_column("gwp")].to_numpy()
    keep = gain > 0
    if not keep.any():
        return None
    chosen = rows[keep]
    use_saved = (b[use_column("gwp")] - a[use_column("gwp")]).to_numpy()[keep]
    embodied = a[f"gwp_embodied_{UNIT_OF['gwp']}"].to_numpy()[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = np.where(use_saved > 0, embodied / use_saved, np.inf)
    text = (
        f"{len(chosen)} of {len(rows)} devices with declared, measured or modelled energy save more "
        "greenhouse gases each year by being replaced with a new typical device of their category than the "
        f"new device's manufacture costs per year of its life (break-even after {np.median(payback):.1f} "
        "years, median). The others are better kept: their replacement would not pay back its manufacture."
    )
    return Action("replace-where-break-even", "Replace only where the break-even is reached", chosen,
                  before.iloc[keep], after.iloc[keep], kind="replace", explanation=text)


def _extend(table, results, codes, lifetime, life_high, quantity, taken) -> Action | None:
    level = results["obsolescence_level"].astype(object).to_numpy() if "obsolescence_level" in results else \
        np.full(len(table), "low", dtype=object)
    mask = np.isin(level, ["low", "medium"]) & (life_high > lifetime) & (quantity > 0) & ~taken
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _with_lifetime(table, rows, life_high[rows])
    by_cat = pd.Series(life_high[rows]).groupby(codes[rows]).first()
    shown = ", ".join(f"{CATEGORIES[k].replace('_', ' ')} {v:g}" for k, v in by_cat.head(6).items())
    text = (
        f"{len(rows)} devices at low or medium obsolescence risk can be kept to the longest lifetime of the "
        f"cited sources for their category ({shown} years...), through maintenance and repair, instead of "
        f"the usual {_mean(lifetime[rows]):.1f} years on average. Savings are the manufacturing footprint "
        "spread over more years."
    )
    return Action("extend-lifetimes", "Extend device lifetimes", rows, before, after, explanation=text)


def format_table(recommendations: list[dict], criterion: str = "gwp") -> str:
    """Plain-text table of the recommendations with their explanations."""
    if not recommendations:
        return "No recommendation: no action saves anything on this inventory.\n"
    head = f"{'#':>2}  {'action':<33} {'items':>6} {'kWh/yr':>10} {'kgCO2e/yr':>11} {'m3/yr':>9} {'kgSbeq/yr':>11}"
    lines = [head, "-" * len(head)]
    for r in recommendations:
        lines.append(
            f"{r['rank']:>2}  {r['action'][:33]:<33} {r['item_count']:>6} {r['savings_kwh_per_year']:>10,.0f} "
            f"{r['savings_kgco2e_per_year']:>11,.0f} {r['savings_water_m3_per_year']:>9,.1f} "
            f"{r['savings_adpe_kgsbeq_per_year']:>11.4f}"
        )
    total = {k: sum(r[k] for r in recommendations) for k in SAVINGS_KEYS.values()}
    lines.append("-" * len(head))
    lines.append(f"{'':>2}  {'all actions':<33} {'':>6} {total['savings_kwh_per_year']:>10,.0f} "
                 f"{total['savings_kgco2e_per_year']:>11,.0f} {total['savings_water_m3_per_year']:>9,.1f} "
                 f"{total['savings_adpe_kgsbeq_per_year']:>11.4f}")
    lines.append("")
    for r in recommendations:
        lines.append(f"{r['rank']}. {r['title']}: {r['explanation']}")
    lines.append("")
    lines.append(f"Ranked by {criterion} savings. Savings per year, from the footprint engine run on the changed "
                 "items. Each item gets at most one lifetime or replacement action (switching off changes only "
                 "the use phase), so the savings add up.")
    return "\n".join(lines) + "\n"
