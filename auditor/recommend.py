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
from auditor.scoring.texts import number, say
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
              options: AssessOptions | None = None, criterion: str = "gwp", lang: str = "en") -> list[dict]:
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
    lang
        Language of titles and explanations: ``en`` or ``fr``.

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
    actions = plan(table, results, library, options, lang=lang)
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


#: Actions in priority order. Each may not touch the rows of the actions listed in :data:`EXCLUDES`
#: (one lifetime or identity change per item; switching off changes only the use phase).
PRIORITY: tuple[str, ...] = (
    "reuse-stranded-pcs", "replace-batteries", "consolidate-servers", "right-size-servers",
    "switch-off-outside-working-hours", "replace-where-break-even", "extend-lifetimes",
)
#: Per action, the earlier actions whose rows it leaves alone.
EXCLUDES: dict[str, tuple[str, ...]] = {
    "reuse-stranded-pcs": (),
    "replace-batteries": ("reuse-stranded-pcs",),
    "consolidate-servers": ("reuse-stranded-pcs", "replace-batteries"),
    "right-size-servers": ("reuse-stranded-pcs", "replace-batteries", "consolidate-servers"),
    # hours only change the use phase and lifetimes only the yearly share of manufacture, so
    # switching off adds up with the lifetime actions; it must not overlap a replacement
    "switch-off-outside-working-hours": (),
    "replace-where-break-even": ("reuse-stranded-pcs", "replace-batteries", "consolidate-servers",
                                 "right-size-servers", "switch-off-outside-working-hours"),
    "extend-lifetimes": ("reuse-stranded-pcs", "replace-batteries", "consolidate-servers", "right-size-servers",
                         "replace-where-break-even"),
}


@dataclass(frozen=True)
class _Context:
    """Read-only inputs shared by the action builders (never modified by them)."""

    table: pd.DataFrame
    results: pd.DataFrame
    library: FactorLibrary
    options: AssessOptions
    today: date
    params: object
    codes: np.ndarray
    facts: object
    age: np.ndarray
    lifetime: np.ndarray
    quantity: np.ndarray
    life_high: np.ndarray
    lang: str


def plan(table: pd.DataFrame, results: pd.DataFrame, library: FactorLibrary,
         options: AssessOptions, order: tuple[str, ...] | None = None, lang: str = "en") -> list[Action]:
    """Every applicable action with its before/after rows (savings not yet computed), in :data:`PRIORITY` order.

    Each builder is a pure function of the inputs and of the rows of the earlier actions it must
    leave alone (:data:`EXCLUDES`); no mask is shared or mutated between them, so the result does
    not depend on ``order``, the order the builders are evaluated in (a test checks permutations).
    """
    table = table.reset_index(drop=True)
    results = results.reset_index(drop=True)
    today = options.today or date.today()
    params = scoring_parameters(library)
    codes = category_codes(table["category"])
    ctx = _Context(
        table, results, library, options, today, params, codes, os_facts(table, params, today),
        results["age_years"].to_numpy(dtype=float), results["lifetime_years"].to_numpy(dtype=float),
        table["quantity"].to_numpy(dtype=float), archetype_arrays(library, "lifetime_years")[2][codes], lang)
    order = tuple(order) if order is not None else PRIORITY
    if sorted(order) != sorted(PRIORITY):
        raise ValueError(f"order must be a permutation of {', '.join(PRIORITY)}")
    done: dict[str, Action | None] = {}

    def run(name: str) -> Action | None:
        if name not in done:
            excluded = np.zeros(len(table), dtype=bool)
            for earlier in EXCLUDES[name]:
                act = run(earlier)
                if act is not None:
                    excluded = excluded | np.isin(np.arange(len(table)), act.rows)
            act = _BUILDERS[name](ctx, excluded)
            done[name] = act if act is not None and len(act.rows) else None
        return done[name]

    for name in order:
        run(name)
    return [done[name] for name in PRIORITY if done[name] is not None]


def _pos(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _devices(quantity: np.ndarray, rows: np.ndarray, lang: str) -> str:
    """How many devices ``rows`` (positions or a mask) stand for: the sum of their quantities,
    as a text ("" when none), so that explanations count devices, not inventory rows."""
    total = float(np.sum(quantity[rows]))
    if total != round(total):
        return number(total, lang, 1)
    text = f"{round(total):,}" if total else ""
    return text.replace(",", "\u00a0") if lang == "fr" else text


def _mean(values: np.ndarray) -> float:
    return float(np.nanmean(values)) if len(values) else float("nan")


def _reuse_stranded(table, codes, facts, age, lifetime, quantity, params, today, lang="en") -> Action | None:
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
    excluded = _devices(quantity, facts.stranded & pcs & (quantity > 0) & ~flex_ok, lang)
    before, after = _with_lifetime(table, rows, new_life[rows])
    win10 = facts.releases[facts.safe[rows[0]]]
    esu = say("rec_reuse_esu", lang, date=win10.eoes.isoformat()) if win10.eoes else ""
    text = say("rec_reuse", lang, n=_devices(quantity, rows, lang), eol=win10.eol.isoformat(), target=target.name,
               target_eol=target.eol.isoformat(), before=number(_mean(lifetime[rows]), lang, 1),
               after=number(_mean(new_life[rows]), lang, 1), esu=esu)
    if excluded:
        text += say("rec_reuse_excluded", lang, n=excluded)
    return Action("reuse-stranded-pcs", say("rec_reuse_title", lang), rows, before, after, explanation=text)



def _copies(table: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows an action changes, as they are (before) and as a copy to change (after)."""
    before = table.iloc[rows].copy()
    return before, before.copy()


def _with_lifetime(table: pd.DataFrame, rows: np.ndarray, lifetime_years: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows, and the same rows kept for ``lifetime_years`` instead."""
    before, after = _copies(table, rows)
    after["lifetime_years"] = lifetime_years
    return before, after

def _batteries(table, codes, lifetime, life_high, quantity, taken, params, lang="en") -> Action | None:
    battery = given(table, "battery_health_pct")
    devices = np.isin(codes, [CATEGORIES.index(c) for c in _BATTERY_DEVICES])
    threshold = params["battery_worn_threshold_pct"]
    mask = devices & (battery < threshold) & (quantity > 0) & ~taken & (life_high > lifetime)
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _with_lifetime(table, rows, life_high[rows])
    text = say("rec_battery", lang, n=_devices(quantity, rows, lang), threshold=number(threshold, lang),
               before=number(_mean(lifetime[rows]), lang), after=number(_mean(life_high[rows]), lang))
    return Action("replace-batteries", say("rec_battery_title", lang), rows, before, after, explanation=text)


def _consolidate(table, results, codes, quantity, taken, params, lang="en") -> Action | None:
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
    text = say("rec_consolidate", lang, n=_devices(quantity, rows, lang), reference=number(reference, lang), kept=kept_count,
               target=number(target, lang), removed=removed, unit=say("rec_cores" if by_cores else "rec_sockets", lang))
    return Action("consolidate-servers", say("rec_consolidate_title", lang), rows, before, after, explanation=text)


def _right_size(table, codes, quantity, taken, params, lang="en") -> Action | None:
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
    text = say("rec_rightsize", lang, n=_devices(quantity, rows, lang), target=number(target, lang),
               before=number(_mean(load[rows]), lang, 0), after=number(_mean(new_load[rows]), lang, 0))
    return Action("right-size-servers", say("rec_rightsize_title", lang), rows, before, after, explanation=text)


def _switch_off(table, results, codes, quantity, library, lang="en") -> Action | None:
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
    metered = _devices(quantity, user & over & ~from_usage & (quantity > 0), lang)
    mean_hours = np.nanmean(hours[rows]) if not np.isnan(hours[rows]).all() else float("nan")
    text = say("rec_switch", lang, n=_devices(quantity, rows, lang), hours=number(mean_hours, lang, 0))
    if metered:
        text += say("rec_switch_metered", lang, n=metered)
    return Action("switch-off-outside-working-hours", say("rec_switch_title", lang), rows, before, after,
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


def _replace(table, results, codes, quantity, taken, library, options, today, lang="en") -> Action | None:
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
    text = say("rec_replace", lang, n=_devices(quantity, chosen, lang), total=_devices(quantity, rows, lang), payback=number(float(np.median(payback)), lang))
    return Action("replace-where-break-even", say("rec_replace_title", lang), chosen,
                  before.iloc[keep], after.iloc[keep], kind="replace", explanation=text)


def _extend(table, results, codes, lifetime, life_high, quantity, taken, lang="en") -> Action | None:
    level = results["obsolescence_level"].astype(object).to_numpy() if "obsolescence_level" in results else \
        np.full(len(table), "low", dtype=object)
    mask = np.isin(level, ["low", "medium"]) & (life_high > lifetime) & (quantity > 0) & ~taken
    rows = _pos(mask)
    if not len(rows):
        return None
    before, after = _with_lifetime(table, rows, life_high[rows])
    by_cat = pd.Series(life_high[rows]).groupby(codes[rows]).first()
    shown = ", ".join(f"{CATEGORIES[k].replace('_', ' ')} {number(v, lang)}" for k, v in by_cat.head(6).items())
    text = say("rec_extend", lang, n=_devices(quantity, rows, lang), shown=shown, before=number(_mean(lifetime[rows]), lang))
    return Action("extend-lifetimes", say("rec_extend_title", lang), rows, before, after, explanation=text)


_BUILDERS = {
    "reuse-stranded-pcs": lambda c, x: _reuse_stranded(c.table, c.codes, c.facts, c.age, c.lifetime, c.quantity,
                                                       c.params, c.today, c.lang),
    "replace-batteries": lambda c, x: _batteries(c.table, c.codes, c.lifetime, c.life_high, c.quantity, x, c.params,
                                                 c.lang),
    "consolidate-servers": lambda c, x: _consolidate(c.table, c.results, c.codes, c.quantity, x, c.params, c.lang),
    "right-size-servers": lambda c, x: _right_size(c.table, c.codes, c.quantity, x, c.params, c.lang),
    "switch-off-outside-working-hours": lambda c, x: _switch_off(c.table, c.results, c.codes, c.quantity,
                                                                 c.library, c.lang),
    "replace-where-break-even": lambda c, x: _replace(c.table, c.results, c.codes, c.quantity, x, c.library,
                                                      c.options, c.today, c.lang),
    "extend-lifetimes": lambda c, x: _extend(c.table, c.results, c.codes, c.lifetime, c.life_high, c.quantity, x,
                                             c.lang),
}


def format_table(recommendations: list[dict], criterion: str = "gwp", lang: str = "en") -> str:
    """Plain-text table of the recommendations with their explanations."""
    if not recommendations:
        return say("rec_none", lang) + "\n"
    head = (f"{'#':>2}  {say('rec_h_action', lang):<33} {say('rec_h_items', lang):>6} {'kWh/yr':>10} "
            f"{'kgCO2e/yr':>11} {'m3/yr':>9} {'kgSbeq/yr':>11}")
    lines = [head, "-" * len(head)]
    for r in recommendations:
        lines.append(
            f"{r['rank']:>2}  {r['action'][:33]:<33} {r['item_count']:>6} {r['savings_kwh_per_year']:>10,.0f} "
            f"{r['savings_kgco2e_per_year']:>11,.0f} {r['savings_water_m3_per_year']:>9,.1f} "
            f"{r['savings_adpe_kgsbeq_per_year']:>11.4f}"
        )
    total = {k: sum(r[k] for r in recommendations) for k in SAVINGS_KEYS.values()}
    lines.append("-" * len(head))
    lines.append(f"{'':>2}  {say('rec_all', lang):<33} {'':>6} {total['savings_kwh_per_year']:>10,.0f} "
                 f"{total['savings_kgco2e_per_year']:>11,.0f} {total['savings_water_m3_per_year']:>9,.1f} "
                 f"{total['savings_adpe_kgsbeq_per_year']:>11.4f}")
    lines.append("")
    for r in recommendations:
        lines.append(f"{r['rank']}. {r['title']}{' :' if lang == 'fr' else ':'} {r['explanation']}")
    lines.append("")
    lines.append(say("rec_footer", lang, criterion=criterion))
    return "\n".join(lines) + "\n"
