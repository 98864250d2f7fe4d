"""The annual review: what changed between two assessments, and why (pure functions).

Two assessments a year apart differ for two reasons that must never be confused:

- **estate change**: devices added, removed, kept with another quantity, kept with another
  lifetime or specification, kept with another use (hours, measured energy...);
- **method change**: the same estate assessed with other factors or models.

Inputs are results tables (:mod:`auditor.results`):

``current``
    this year's estate, assessed with today's method;
``baseline``
    last year's estate as it was assessed then (its original results);
``baseline_today``
    last year's estate re-assessed with today's method (None when last year's inventory is not
    available: then the method change cannot be separated, and is reported as such).

Decomposition of the change of a per-year total ``T`` of each criterion (and of its bounds)::

    T(current) - T(baseline)
      = [T(baseline_today) - T(baseline)]                      method
      + sum over added items of T(current item)                 added
      - sum over removed items of T(baseline_today item)        removed
      + sum over kept items of (q_now - q_then) x t_then        quantity   (t: per device)
      + sum over kept items of q_now x (e_now - e_then)         lifetime   (e: embodied per year and device)
      + sum over kept items of the rest (use-phase change)      usage

Each kept item's three parts add up to its own change by construction (usage is its remainder),
so the decomposition adds up to the total change up to floating-point rounding. In the views by
category, site and department a kept item that changed group also carries a ``moved`` part (out
of its old group, into its new one), which is zero for the whole estate.

Ageing alone does not change a device's per-year footprint in this method (the embodied impact
is spread evenly over the lifetime): keeping a device longer shows as ``lifetime`` only when its
expected lifetime was raised in the inventory.

Bounds: every part is computed again on the ``_low`` and on the ``_high`` columns (so each adds up
too). Both years use the same factors, whose errors are shared, so the bounds of a change are the
changes of the bounds (ordered by :func:`bounds_of`), not the widest combination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from auditor.errors import InputError
from auditor.results import total_column, use_column

CRITERIA: tuple[str, ...] = ("energy", "gwp", "water", "adpe", "pe")
#: Parts of the change, in report order (``moved`` only in group views).
COMPONENTS: tuple[str, ...] = ("method", "added", "removed", "quantity", "lifetime", "usage", "moved")
ESTATE_COMPONENTS: tuple[str, ...] = ("added", "removed", "quantity", "lifetime", "usage", "moved")
#: Group views of the review.
DIMENSIONS: tuple[str, ...] = ("category", "site", "department")
#: Match rules, in the order they are tried.
MATCH_RULES: tuple[str, ...] = ("id", "serial_number", "name+model")
BOUNDS: tuple[str, ...] = ("", "low", "high")
#: Serial numbers that are placeholders, not identities.
_JUNK_SERIALS = frozenset({"", "NA", "N/A", "NONE", "NULL", "0", "00000000", "TOBEFILLEDBYOEM",
                           "DEFAULTSTRING", "SYSTEMSERIALNUMBER", "123456789", "-"})

#: How the method change could be told apart (``Review.method_status``).
METHOD_SEPARATED = "separated"          # baseline re-assessed with today's method
METHOD_SAME = "same"                    # both sides made by the same method version
METHOD_NOT_SEPARABLE = "not_separable"  # another or unknown method, no previous inventory
METHOD_FIRST_REVIEW = "first_review"    # no previous year: nothing to compare


@dataclass
class Review:
    """Outcome of :func:`review`.

    Attributes
    ----------
    totals
        Index: criteria. Columns ``baseline``, ``current``, ``change`` and every component of
        :data:`COMPONENTS` (canonical unit per year), each with ``_low`` and ``_high``.
    groups
        dimension -> DataFrame indexed by group name with the same columns as ``totals``, for one
        criterion at a time: ``groups[dim][criterion]``.
    items
        One row per item of either side: ``status`` (added, removed, kept), ``rule`` (match rule
        of kept items), ``id_current``, ``id_baseline``, ``name``, ``category`` and, per
        criterion, ``{criterion}_baseline`` and ``{criterion}_current`` (per-year totals, today's
        method for the baseline when available).
    devices
        Devices (sum of quantity) per status, and ``kept_more`` / ``kept_fewer`` quantities.
    method_status
        One of :data:`METHOD_SEPARATED`, :data:`METHOD_SAME`, :data:`METHOD_NOT_SEPARABLE`,
        :data:`METHOD_FIRST_REVIEW`.
    warnings
        Lines for the user (no item in common, unknown method version...).
    """

    totals: pd.DataFrame
    groups: dict[str, dict[str, pd.DataFrame]]
    items: pd.DataFrame
    devices: dict[str, float]
    rules: dict[str, int]
    method_status: str
    versions: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Rows of the current table that are new since the baseline (purchases of the period).
    added_rows: np.ndarray | None = None
    #: Rows of the baseline table retired since (not found in the current estate).
    removed_rows: np.ndarray | None = None


# -- matching ------------------------------------------------------------------------------------

def _norm(values: pd.Series | None, n: int, *, serial: bool = False) -> np.ndarray:
    """Comparable keys: folded text, ``""`` when empty (serials: upper case, no spaces or dashes)."""
    if values is None:
        return np.full(n, "", dtype=object)
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip()
    if serial:
        text = text.str.replace(r"[\s\-_./]", "", regex=True).str.upper()
        text = text.where(~text.isin(_JUNK_SERIALS), "")
    else:
        text = text.str.casefold().str.split().str.join(" ")
    mapped = np.append(text.to_numpy(dtype=object), "")
    return mapped[np.where(codes < 0, len(uniques), codes)]


def generated_ids(ids: pd.Series, stems: list[str] | None = None) -> np.ndarray:
    """True where an id was made up by the importer (``<file stem>-<row>``), not by the user.

    Such ids number rows, so they must never match items across years. With ``stems`` (input
    file names without extension) the test is exact; without them (a results file), ids sharing
    one ``<prefix>-<n>`` pattern over at least 90 % of the rows, with distinct unpadded numbers,
    are taken as generated.
    """
    text = ids.astype(object).where(ids.notna(), "").astype(str)
    if stems:
        pattern = "|".join(re.escape(s) for s in stems)
        return text.str.fullmatch(rf"(?:{pattern})(?:-[^-]+)?-[1-9]\d*").to_numpy(bool)
    parts = text.str.extract(r"^(.*)-([1-9]\d*)$")
    if parts[0].isna().all():
        return np.zeros(len(text), dtype=bool)
    prefix = parts[0].mode().iloc[0]
    same = (parts[0] == prefix).to_numpy(bool)
    if same.mean() >= 0.9 and not parts.loc[same, 1].duplicated().any():
        return same
    return np.zeros(len(text), dtype=bool)


def _unique_keys(keys: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Keys usable for matching: non-empty, among free rows, appearing once."""
    usable = np.flatnonzero(free & (keys != ""))
    once = ~pd.Series(keys[usable]).duplicated(keep=False).to_numpy()
    out = np.zeros(len(keys), dtype=bool)
    out[usable[once]] = True
    return out


def match_items(
    current: pd.DataFrame, baseline: pd.DataFrame, *,
    current_generated: np.ndarray | None = None, baseline_generated: np.ndarray | None = None,
) -> pd.DataFrame:
    """Pairs of rows (positions) that are the same item in both tables, and the rule that matched.

    Rules, in order, each among rows not matched yet and keys that are unique on both sides:
    ``id`` (user-given ids only), ``serial_number``, then ``name+model`` (both non-empty). An id
    or name + model match is refused when both serial numbers are known and differ: that is a
    new device under an old name.

    Returns
    -------
    pandas.DataFrame
        Columns ``current`` and ``baseline`` (row positions) and ``rule``.
    """
    nc, nb = len(current), len(baseline)
    serial_c = _norm(current.get("serial_number"), nc, serial=True)
    serial_b = _norm(baseline.get("serial_number"), nb, serial=True)
    id_c = _norm(current.get("id"), nc)
    id_b = _norm(baseline.get("id"), nb)
    if current_generated is not None:
        id_c = np.where(current_generated, "", id_c)
    if baseline_generated is not None:
        id_b = np.where(baseline_generated, "", id_b)
    name_c, name_b = _norm(current.get("name"), nc), _norm(baseline.get("name"), nb)
    model_c, model_b = _norm(current.get("model"), nc), _norm(baseline.get("model"), nb)
    nm_c = np.where((name_c != "") & (model_c != ""), name_c + "\x1f" + model_c, "")
    nm_b = np.where((name_b != "") & (model_b != ""), name_b + "\x1f" + model_b, "")
    free_c, free_b = np.ones(nc, bool), np.ones(nb, bool)
    pairs = []
    for rule, kc, kb in (("id", id_c, id_b), ("serial_number", serial_c, serial_b),
                         ("name+model", nm_c, nm_b)):
        uc, ub = _unique_keys(kc, free_c), _unique_keys(kb, free_b)
        left = pd.DataFrame({"key": kc[uc], "current": np.flatnonzero(uc)})
        right = pd.DataFrame({"key": kb[ub], "baseline": np.flatnonzero(ub)})
        merged = left.merge(right, on="key")
        if rule != "serial_number" and len(merged):
            sc, sb = serial_c[merged["current"]], serial_b[merged["baseline"]]
            merged = merged[~((sc != "") & (sb != "") & (sc != sb))]
        free_c[merged["current"].to_numpy()] = False
        free_b[merged["baseline"].to_numpy()] = False
        pairs.append(merged[["current", "baseline"]].assign(rule=rule))
    out = pd.concat(pairs, ignore_index=True)
    return out.astype({"current": np.int64, "baseline": np.int64})


def align_reassessed(original: pd.DataFrame, reassessed: pd.DataFrame, where: str = "baseline") -> np.ndarray:
    """Positions in ``reassessed`` of each row of ``original`` (the same inventory assessed twice).

    Aligned on ``id`` when ids are unique on both sides and the same set, else on row order when
    the row counts agree. Raises :class:`InputError` when neither holds (not the same inventory).
    """
    ids_o = original["id"].astype(str).to_numpy()
    ids_r = reassessed["id"].astype(str).to_numpy()
    if len(ids_o) == len(ids_r) and (ids_o == ids_r).all():
        return np.arange(len(ids_o))
    if pd.Index(ids_o).is_unique and pd.Index(ids_r).is_unique and set(ids_o) == set(ids_r):
        return pd.Index(ids_r).get_indexer(ids_o)
    raise InputError(
        f"{where}: the previous results ({len(ids_o):,} rows) and the previous inventory "
        f"({len(ids_r):,} rows) do not describe the same items; expected the inventory the previous "
        "results were made from")


# -- decomposition -------------------------------------------------------------------------------

def _values(frame: pd.DataFrame, criterion: str, bound: str) -> tuple[np.ndarray, np.ndarray]:
    """(per-year total, per-year use) of every row; embodied per year is their difference."""
    total = frame[total_column(criterion, bound)].to_numpy(float)
    if criterion == "energy":
        return total, total
    return total, frame[use_column(criterion, bound)].to_numpy(float)


def _group_key(frame: pd.DataFrame, dim: str | None) -> np.ndarray:
    n = len(frame)
    if dim is None:
        return np.full(n, "", dtype=object)
    if dim not in frame:
        return np.full(n, "", dtype=object)

    def name(value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        text = str(value).strip()
        return text.split(" > ")[0].strip() if dim == "site" else text

    codes, uniques = pd.factorize(frame[dim].astype(object), use_na_sentinel=True)
    mapped = np.asarray([name(u) for u in uniques] + [""], dtype=object)
    return mapped[np.where(codes < 0, len(uniques), codes)]


def _sum_by(frame: pd.DataFrame, keys) -> pd.DataFrame:
    """Sums per group, NaN where a member is NaN: a criterion without a factor for some rows is
    unknown, not smaller (the rule of the summary)."""
    return frame.groupby(keys, sort=False).sum().mask(frame.isna().groupby(keys, sort=False).any())


def _views(current, base0, base1, pairs, removed, added, dim) -> dict[str, pd.DataFrame]:
    """Per group of ``dim`` (one group for the whole estate when None), for every criterion:
    both sides' totals, the change and every part, each on the central values and both bounds.

    The groups and parts of every row do not depend on the criterion, so they are laid out once
    and every (criterion, bound) is a column of one table, summed by one group-by.
    """
    g_c, g_0, g_1 = _group_key(current, dim), _group_key(base0, dim), _group_key(base1, dim)
    ic, ib = pairs["current"].to_numpy(), pairs["baseline"].to_numpy()
    same = g_1 == g_0
    moved = g_1[ib] != g_c[ic]
    layout = [(g_0[same], "method"), (g_1[~same], "method"), (g_0[~same], "method"), (g_c[added], "added"),
              (g_1[removed], "removed"), (g_c[ic], "quantity"), (g_c[ic], "lifetime"), (g_c[ic], "usage"),
              (g_1[ib][moved], "moved"), (g_c[ic][moved], "moved")]
    groups = np.concatenate([g for g, _ in layout])
    parts = np.concatenate([np.full(len(g), name, dtype=object) for g, name in layout])
    q_c = current["quantity"].to_numpy(float)
    q_b = base1["quantity"].to_numpy(float)
    ratio = np.divide(q_c[ic], q_b[ib], out=np.ones(len(ic)), where=q_b[ib] != 0)
    long: dict[str, np.ndarray] = {}
    now: dict[str, np.ndarray] = {}
    then: dict[str, np.ndarray] = {}
    for criterion in CRITERIA:
        for bound in BOUNDS:
            column = f"{criterion}{'_' + bound if bound else ''}"
            c_tot, c_use = _values(current, criterion, bound)
            b0_tot, _ = _values(base0, criterion, bound)
            b1_tot, b1_use = _values(base1, criterion, bound)
            change = c_tot[ic] - b1_tot[ib]
            per_device = np.divide(b1_tot[ib], q_b[ib], out=np.zeros(len(ic)), where=q_b[ib] != 0)
            quantity = (q_c[ic] - q_b[ib]) * per_device
            lifetime = (c_tot[ic] - c_use[ic]) - ratio * (b1_tot[ib] - b1_use[ib])
            usage = change - quantity - lifetime
            long[column] = np.concatenate([
                b1_tot[same] - b0_tot[same], b1_tot[~same], -b0_tot[~same], c_tot[added], -b1_tot[removed],
                quantity, lifetime, usage, -b1_tot[ib][moved], b1_tot[ib][moved]])
            now[column], then[column] = c_tot, b0_tot
    summed = _sum_by(pd.DataFrame(long), [groups, parts])
    now_g = _sum_by(pd.DataFrame(now), g_c)
    then_g = _sum_by(pd.DataFrame(then), g_0)
    index = now_g.index.union(then_g.index).union(summed.index.get_level_values(0).unique())
    out = {}
    for criterion in CRITERIA:
        columns: dict[str, pd.Series] = {}
        for bound in BOUNDS:
            suffix = f"_{bound}" if bound else ""
            column = f"{criterion}{suffix}"
            by_part = summed[column].unstack(fill_value=0.0) if len(summed) else pd.DataFrame(index=index)
            columns[f"baseline{suffix}"] = then_g[column].reindex(index, fill_value=0.0)
            columns[f"current{suffix}"] = now_g[column].reindex(index, fill_value=0.0)
            columns[f"change{suffix}"] = columns[f"current{suffix}"] - columns[f"baseline{suffix}"]
            for component in COMPONENTS:
                values = by_part[component] if component in by_part else pd.Series(0.0, index=index)
                columns[f"{component}{suffix}"] = values.reindex(index, fill_value=0.0)
        out[criterion] = pd.DataFrame(columns)
    return out


def bounds_of(table: pd.DataFrame, name: str) -> tuple[pd.Series, pd.Series]:
    """(lower, upper) of a change or part: its values on the low and on the high bounds, ordered.

    The ``_low`` and ``_high`` columns each add up like the central values (they are the same
    decomposition of the low and of the high totals); their order can flip for a decrease.
    """
    low, high = table[f"{name}_low"], table[f"{name}_high"]
    return np.minimum(low, high), np.maximum(low, high)


def review(
    current: pd.DataFrame,
    baseline: pd.DataFrame,
    baseline_today: pd.DataFrame | None = None,
    *,
    current_generated: np.ndarray | None = None,
    baseline_generated: np.ndarray | None = None,
    current_method: str | None = None,
    baseline_method: str | None = None,
) -> Review:
    """Year-over-year change of ``current`` against ``baseline``, split into estate and method.

    Parameters
    ----------
    current, baseline
        Results tables of this year and of the previous one (as assessed then).
    baseline_today
        The previous inventory assessed with today's method, row for row (see
        :func:`align_reassessed`); None when not available.
    current_generated, baseline_generated
        Rows whose id was generated by the importer (:func:`generated_ids`).
    current_method, baseline_method
        ``method_version`` of each side (:mod:`auditor.provenance`); None when unknown.
    """
    warnings: list[str] = []
    current = current.reset_index(drop=True)
    baseline = baseline.reset_index(drop=True)
    if baseline_today is not None:
        base1 = baseline_today.reset_index(drop=True).iloc[align_reassessed(baseline, baseline_today)]
        base1 = base1.reset_index(drop=True)
        status = METHOD_SEPARATED
    else:
        base1 = baseline
        if current_method and baseline_method and current_method == baseline_method:
            status = METHOD_SAME
        else:
            status = METHOD_NOT_SEPARABLE
            warnings.append(
                f"the two sides were not made with the same known method (previous: "
                f"{baseline_method or 'unknown'}, current: {current_method or 'unknown'}) and the previous "
                "inventory was not given: the method change cannot be separated and is counted in the "
                "estate change")
    pairs = match_items(current, baseline, current_generated=current_generated,
                        baseline_generated=baseline_generated)
    added = np.ones(len(current), bool)
    added[pairs["current"].to_numpy()] = False
    removed = np.ones(len(baseline), bool)
    removed[pairs["baseline"].to_numpy()] = False
    if len(pairs) == 0:
        warnings.append(
            f"no item in common between the current estate ({len(current):,} rows) and the baseline "
            f"({len(baseline):,} rows), by id, serial number or name + model: every current item counts "
            "as added and every previous one as removed")
    whole = _views(current, baseline, base1, pairs, removed, added, None)
    totals = pd.concat([whole[c].assign(criterion=c) for c in CRITERIA]).set_index("criterion")
    groups = {dim: _views(current, baseline, base1, pairs, removed, added, dim) for dim in DIMENSIONS}
    q_c = current["quantity"].to_numpy(float)
    q_b = base1["quantity"].to_numpy(float)
    ic, ib = pairs["current"].to_numpy(), pairs["baseline"].to_numpy()
    devices = {
        "added": float(q_c[added].sum()), "removed": float(q_b[removed].sum()),
        "kept": float(np.minimum(q_c[ic], q_b[ib]).sum()),
        "kept_more": float(np.clip(q_c[ic] - q_b[ib], 0, None).sum()),
        "kept_fewer": float(np.clip(q_b[ib] - q_c[ic], 0, None).sum()),
        "current": float(q_c.sum()), "baseline": float(q_b.sum()),
    }
    rules = {rule: int((pairs["rule"] == rule).sum()) for rule in MATCH_RULES}
    return Review(totals=totals, groups=groups, items=_items(current, base1, pairs, added, removed),
                  devices=devices, rules=rules, method_status=status,
                  versions={"current": current_method, "baseline": baseline_method}, warnings=warnings,
                  added_rows=added, removed_rows=removed)


def first_review(current: pd.DataFrame, *, current_method: str | None = None) -> Review:
    """The review of a first year, with no previous year: this year's totals and groups only.

    Everything that compares (previous values, change and its parts) is unknown (NaN), never 0:
    the year is the reference of the next review. Items are listed as they are now.
    """
    empty = current.iloc[0:0]
    result = review(current, empty, None, current_method=current_method, baseline_method=current_method)
    compared = lambda table: [c for c in table.columns if not c.startswith("current")]  # noqa: E731
    result.totals.loc[:, compared(result.totals)] = np.nan
    for by in result.groups.values():
        for table in by.values():
            table.loc[:, compared(table)] = np.nan
    result.items = result.items.assign(status="current", **{f"{c}_baseline": np.nan for c in CRITERIA})
    result.devices = {"current": result.devices["current"]}
    result.method_status = METHOD_FIRST_REVIEW
    result.versions = {"current": current_method, "baseline": None}
    result.removed_rows = None
    result.added_rows = None
    result.warnings = ["first review: no previous year (--baseline) to compare with; this year's values "
                       "are the reference of the next review"]
    return result


def _items(current, base1, pairs, added, removed) -> pd.DataFrame:
    """One row per item of either side, with its status, match rule and per-year totals."""
    def side(frame, rows, status, rule, other=None):
        out = pd.DataFrame({
            "status": status, "rule": rule,
            "id_current": frame["id"].to_numpy(object)[rows] if other == "current" else None,
            "id_baseline": frame["id"].to_numpy(object)[rows] if other == "baseline" else None,
            "name": frame["name"].to_numpy(object)[rows] if "name" in frame else None,
            "category": frame["category"].astype(object).to_numpy()[rows],
        })
        return out

    ic, ib = pairs["current"].to_numpy(), pairs["baseline"].to_numpy()
    kept = side(current, ic, "kept", pairs["rule"].to_numpy(), "current")
    kept["id_baseline"] = base1["id"].to_numpy(object)[ib]
    new = side(current, np.flatnonzero(added), "added", "", "current")
    gone = side(base1, np.flatnonzero(removed), "removed", "", "baseline")
    for criterion in CRITERIA:
        c_tot, _ = _values(current, criterion, "")
        b_tot, _ = _values(base1, criterion, "")
        kept[f"{criterion}_baseline"], kept[f"{criterion}_current"] = b_tot[ib], c_tot[ic]
        new[f"{criterion}_baseline"], new[f"{criterion}_current"] = 0.0, c_tot[added]
        gone[f"{criterion}_baseline"], gone[f"{criterion}_current"] = b_tot[removed], 0.0
    return pd.concat([kept, new, gone], ignore_index=True)


def estate_change(totals: pd.DataFrame, bound: str = "") -> pd.Series:
    """Sum of the estate parts per criterion (``bound``: ``""``, ``"low"`` or ``"high"``)."""
    suffix = f"_{bound}" if bound else ""
    return sum(totals[f"{c}{suffix}"] for c in ESTATE_COMPONENTS)


def to_records(result: Review) -> dict:
    """A JSON-ready dict of the review (``auditor review --format json``); unknown values are None."""
    def frame(table: pd.DataFrame) -> dict:
        return {str(k): {c: float(v) if v == v else None for c, v in row.items()} for k, row in table.iterrows()}

    return {
        "method_status": result.method_status,
        "versions": result.versions,
        "devices": result.devices,
        "match_rules": result.rules,
        "warnings": result.warnings,
        "totals": frame(result.totals),
        "groups": {dim: {c: frame(t) for c, t in by.items()} for dim, by in result.groups.items()},
    }
