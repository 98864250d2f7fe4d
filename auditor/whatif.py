"""What-if scenarios on a whole estate: the change of its yearly footprint, per criterion, with bounds.

A scenario is a set of changes to the inventory (longer lifetimes, a lifetime per category,
switching off outside working hours, consolidating under-used servers, another server-room PUE,
another electricity grid). Its effect is computed by the footprint engine
(:func:`auditor.footprint.assess`) on the rows it changes, as changed; the other rows keep
their baseline results (rows are assessed independently, so the estate's totals are the baseline
totals minus the changed rows before plus the changed rows after). Switching off and
consolidating reuse the before/after rows of ``auditor recommend``'s actions
(:func:`auditor.recommend.plan`).

Bounds: the scenario's low (high) total is computed with the same low (high) factors as the
baseline's, so the change's bounds are ``scenario_low - baseline_low`` and
``scenario_high - baseline_high`` (ordered).

Scenario file (YAML)::

    scenarios:
      - name: Keep devices two more years
        extend_lifetime_years: 2
      - name: Laptops 6 years, switch off at night
        lifetime: {laptop: 6}
        switch_off_outside_hours: true
      - name: Consolidated servers in a PUE 1.3 room
        consolidate_servers: true
        pue: 1.3
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.enrich import category_codes
from auditor.errors import OptionsError
from auditor.footprint import PUE_CATEGORIES, AssessOptions, assess
from auditor.results import total_column
from factors.tables import CATEGORIES, CRITERIA, FactorLibrary

SCENARIO_FIELDS: tuple[str, ...] = ("name", "extend_lifetime_years", "lifetime", "switch_off_outside_hours",
                                    "consolidate_servers", "pue", "grid")
#: Criteria of the output ("energy" is final electricity), and the unit shown.
WHATIF_CRITERIA: dict[str, str] = {"energy": "kWh", "gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq", "pe": "MJ"}
#: recommend.py action names reused here.
SWITCH_OFF_ACTION = "switch-off-outside-working-hours"
CONSOLIDATE_ACTION = "consolidate-servers"


@dataclass
class Scenario:
    """One what-if: the changes it makes (None / empty: unchanged)."""

    name: str
    extend_lifetime_years: float | None = None
    lifetime: dict[str, float] = field(default_factory=dict)
    switch_off_outside_hours: bool = False
    consolidate_servers: bool = False
    pue: float | None = None
    grid: str | None = None
    line: int | None = None
    #: line of each field in the scenario file (messages about a field name its own line)
    lines: dict[str, int] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.extend_lifetime_years or self.lifetime or self.switch_off_outside_hours
                    or self.consolidate_servers or self.pue is not None or self.grid)


def parse_scenario(raw: dict, file: str, line: int | None, lines: dict[str, int] | None = None) -> Scenario:
    """Check one scenario mapping (``lines``: line of each key, for messages)."""
    from auditor.options_file import _flag, _number, _Where
    from auditor.options_file import _suggest as suggest

    lines = lines or {}
    name = raw.get("name")
    if name is None or str(name).strip() == "":
        raise OptionsError("missing name", file=file, line=line, field="name", kind="scenario")
    where = _Where(file, str(name).strip(), line)

    def err(message: str, key: str, value: object = None) -> OptionsError:
        return OptionsError(message, file=file, entry=where.entry, line=lines.get(key.split(".")[0], line),
                            field=key, value=value, kind="scenario")

    for key in raw:
        if key not in SCENARIO_FIELDS:
            raise err(f"unknown field; expected one of {', '.join(SCENARIO_FIELDS)}{suggest(key, SCENARIO_FIELDS)}",
                      str(key), raw[key])
    scenario = Scenario(name=where.entry or "", line=line, lines=dict(lines))
    try:
        if raw.get("extend_lifetime_years") is not None:
            scenario.extend_lifetime_years = _number(raw["extend_lifetime_years"], where, "extend_lifetime_years",
                                                     strict=True, maximum=50)
        lifetime = raw.get("lifetime") or {}
        if not isinstance(lifetime, dict):
            raise err("expected a mapping category: years (e.g. {laptop: 6})", "lifetime", lifetime)
        for category, years in lifetime.items():
            code = _category(str(category))
            if code is None:
                raise err(f"unknown category; expected one of {', '.join(CATEGORIES)}", f"lifetime.{category}",
                          category)
            scenario.lifetime[code] = _number(years, where, f"lifetime.{category}", strict=True, maximum=100)
        scenario.switch_off_outside_hours = _flag(raw.get("switch_off_outside_hours", False), where,
                                                  "switch_off_outside_hours")
        scenario.consolidate_servers = _flag(raw.get("consolidate_servers", False), where, "consolidate_servers")
        if raw.get("pue") is not None:
            scenario.pue = _number(raw["pue"], where, "pue", minimum=1.0, maximum=10.0)
        if raw.get("grid") is not None:
            scenario.grid = str(raw["grid"]).strip()
    except OptionsError as exc:
        raise OptionsError(exc.reason, file=file, entry=exc.entry, line=lines.get(str(exc.field).split(".")[0], line),
                           field=exc.field, value=exc.value, kind="scenario") from None
    if scenario.is_empty():
        raise err("changes nothing; give extend_lifetime_years, lifetime, switch_off_outside_hours, "
                  "consolidate_servers, pue or grid", "name", scenario.name)
    return scenario


def _category(text: str) -> str | None:
    if text in CATEGORIES:
        return text
    from auditor.inventory import category_aliases
    from factors.tables import _fold

    return category_aliases().get(_fold(text))


def read_scenarios(path: Path | str) -> list[Scenario]:
    """Read a scenario file (YAML, module docstring); errors name the file, scenario, line and field."""
    from auditor.options_file import child_node, load_yaml, mapping_lines

    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise OptionsError("file not found", file=shown)
    data, node = load_yaml(path, shown)
    if not isinstance(data, dict) or set(data) - {"scenarios"}:
        extra = sorted(set(data) - {"scenarios"}) if isinstance(data, dict) else []
        raise OptionsError("expected a mapping with one key, 'scenarios' (a list)", file=shown,
                           line=mapping_lines(node).get(extra[0]) if extra else 1, field=extra[0] if extra else None)
    items = data.get("scenarios")
    if not isinstance(items, list) or not items:
        raise OptionsError("expected a non-empty list of scenarios", file=shown, field="scenarios",
                           line=mapping_lines(node).get("scenarios"))
    nodes = child_node(node, "scenarios").value
    out: list[Scenario] = []
    for raw, item in zip(items, nodes, strict=True):
        line = item.start_mark.line + 1
        if not isinstance(raw, dict):
            raise OptionsError("each scenario is a mapping with a name and its changes", file=shown, line=line,
                               field="scenarios")
        scenario = parse_scenario(raw, shown, line, mapping_lines(item))
        if any(s.name == scenario.name for s in out):
            raise OptionsError("duplicate scenario name", file=shown, entry=scenario.name, line=line, field="name",
                               kind="scenario")
        out.append(scenario)
    return out


class _Changes:
    """Column changes of one scenario, kept as full-length arrays, and the rows they touch."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self.mask = np.zeros(len(table), dtype=bool)
        self.columns: dict[str, np.ndarray] = {}

    def set(self, column: str, rows: np.ndarray, values: object) -> None:
        if column not in self.columns:
            source = self.table[column]
            dtype = float if pd.api.types.is_float_dtype(source.dtype) else object
            self.columns[column] = source.to_numpy(dtype=dtype, copy=True)
        self.columns[column][rows] = values
        self.mask[rows] = True

    def after(self) -> tuple[np.ndarray, pd.DataFrame]:
        rows = np.flatnonzero(self.mask)
        if len(rows) == len(self.table):
            changed = self.table.copy(deep=False)  # changed columns are replaced below, never mutated
        else:
            changed = self.table.iloc[rows].copy()
        for column, values in self.columns.items():
            changed[column] = values[rows]
        return rows, changed.reset_index(drop=True)


def _actions(table: pd.DataFrame, results: pd.DataFrame, library: FactorLibrary, options: AssessOptions,
             wanted: set[str]) -> dict:
    """recommend's before/after rows of the ``wanted`` actions, by name (computed once for all scenarios).

    Uses recommend's own action builders for just these two actions when it has them (the full
    :func:`auditor.recommend.plan` also assesses replacement candidates, which scenarios never use);
    falls back to ``plan`` otherwise. Neither action depends on the rows other actions take first
    (servers and user devices are not touched by the lifetime actions that precede them in ``plan``).
    """
    from auditor import recommend

    try:
        from auditor.scoring.parameters import scoring_parameters

        codes = category_codes(table["category"])
        quantity = table["quantity"].to_numpy(dtype=float)
        out = {}
        if SWITCH_OFF_ACTION in wanted:
            out[SWITCH_OFF_ACTION] = recommend._switch_off(table, results, codes, quantity, library)
        if CONSOLIDATE_ACTION in wanted:
            out[CONSOLIDATE_ACTION] = recommend._consolidate(table, results, codes, quantity,
                                                             np.zeros(len(table), dtype=bool),
                                                             scoring_parameters(library))
        return {name: act for name, act in out.items() if act is not None}
    except (AttributeError, ImportError, TypeError):  # recommend rewritten: use its public planner
        return {act.action: act for act in recommend.plan(table, results, library, options)}


def scenario_changes(scenario: Scenario, table: pd.DataFrame, results: pd.DataFrame, library: FactorLibrary,
                     actions: dict | None) -> _Changes:
    """The column changes of ``scenario`` on ``table`` (baseline ``results`` row for row)."""
    changes = _Changes(table)
    for name, wanted in ((SWITCH_OFF_ACTION, scenario.switch_off_outside_hours),
                         (CONSOLIDATE_ACTION, scenario.consolidate_servers)):
        act = (actions or {}).get(name) if wanted else None
        if act is None:
            continue
        for column in act.after.columns:
            before = act.before[column].to_numpy(dtype=object)
            after = act.after[column].to_numpy(dtype=object)
            differs = ~pd.Series(before).eq(pd.Series(after)).to_numpy() & ~(pd.isna(before) & pd.isna(after))
            if differs.any():
                changes.set(column, act.rows, act.after[column].to_numpy())
    lifetime = results["lifetime_years"].to_numpy(dtype=float)
    quantity = table["quantity"].to_numpy(dtype=float)
    if scenario.extend_lifetime_years:
        current = changes.columns.get("lifetime_years", lifetime)
        rows = np.flatnonzero(quantity > 0)
        changes.set("lifetime_years", rows, np.asarray(current, dtype=float)[rows] + scenario.extend_lifetime_years)
    if scenario.lifetime:
        codes = category_codes(table["category"])
        for category, years in scenario.lifetime.items():
            rows = np.flatnonzero(codes == CATEGORIES.index(category))
            if len(rows):
                changes.set("lifetime_years", rows, years)
    if scenario.grid:
        code = library.resolve_country(scenario.grid)
        changes.set("country", np.arange(len(table)), code)
    if scenario.pue is not None:
        # the engine applies a row's own pue before any default: server-room rows without one get
        # the scenario's (rows with their own pue keep it), as AssessOptions(pue=...) would do
        codes = category_codes(table["category"])
        own = table["pue"].to_numpy(dtype=float)
        rows = np.flatnonzero(np.isin(codes, [CATEGORIES.index(c) for c in PUE_CATEGORIES]) & np.isnan(own))
        if len(rows):
            changes.set("pue", rows, scenario.pue)
    return changes


def _totals(results: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-year totals, value/low/high, by the summary's rule: unknown (NaN) when a row has no
    figure, never 0; web services out of energy, ADPe and primary energy (:func:`auditor.summary.scoped`)."""
    from auditor.summary import scoped

    return {c: np.array([float(scoped(results, c)[total_column(c, b)].sum(skipna=False)) for b in ("", "low", "high")])
            for c in ("energy", *CRITERIA)}


def _known(value: float) -> float | None:
    """A JSON-ready number: None when unknown (NaN)."""
    return None if value != value else float(value)


def run_scenarios(table: pd.DataFrame, results: pd.DataFrame, scenarios: list[Scenario], *,
                  library: FactorLibrary, options: AssessOptions | None = None, progress=None) -> dict:
    """Baseline and each scenario's yearly totals and changes (JSON-ready, keys in docs/compare.md).

    Parameters
    ----------
    table, results
        Canonical inventory and its footprint results, row for row.
    scenarios
        The what-ifs, computed independently of each other against the same baseline.
    """
    options = options or AssessOptions()
    table = table.reset_index(drop=True)
    results = results.reset_index(drop=True)
    baseline = _totals(results)
    wanted = ({SWITCH_OFF_ACTION} if any(s.switch_off_outside_hours for s in scenarios) else set()) | (
        {CONSOLIDATE_ACTION} if any(s.consolidate_servers for s in scenarios) else set())
    actions = _actions(table, results, library, options, wanted) if wanted else None
    # every scenario's changed rows, assessed in ONE pass of the engine (rows are independent)
    changed = []
    for scenario in scenarios:
        if progress:
            progress(f"scenario: {scenario.name}")
        changed.append(scenario_changes(scenario, table, results, library, actions).after())
    frames = [after for rows, after in changed if len(rows)]
    if progress and frames:
        progress(f"re-assessing {sum(len(f) for f in frames):,} changed rows")
    batch = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True) if frames else None
    assessed = assess(batch, library, options) if batch is not None else None
    out = []
    offset = 0
    for scenario, (rows, _after) in zip(scenarios, changed, strict=True):
        totals = {c: v.copy() for c, v in baseline.items()}
        if len(rows):
            new = _totals(assessed.iloc[offset:offset + len(rows)])
            offset += len(rows)
            old = _totals(results.iloc[rows]) if len(rows) < len(results) else baseline
            totals = {c: baseline[c] - old[c] + new[c] for c in baseline}
        record: dict[str, object] = {"name": scenario.name, "changed_rows": int(len(rows)),
                                     "notes": _notes(scenario, actions)}
        for c, unit in WHATIF_CRITERIA.items():
            b, s = baseline[c], totals[c]
            diffs = s - b
            record[c] = {
                "unit_per_year": f"{unit}/year",
                "baseline": _known(b[0]), "scenario": _known(s[0]), "scenario_low": _known(s[1]),
                "scenario_high": _known(s[2]), "change": _known(diffs[0]),
                "change_low": _known(min(diffs[1], diffs[2])), "change_high": _known(max(diffs[1], diffs[2])),
                "change_pct": _known(100.0 * diffs[0] / b[0]) if b[0] else None,
            }
        out.append(record)
    base = {c: {"value": _known(v[0]), "low": _known(v[1]), "high": _known(v[2]), "unit_per_year": f"{u}/year"}
            for c, v, u in ((c, baseline[c], u) for c, u in WHATIF_CRITERIA.items())}
    return {"rows": int(len(table)), "baseline": base, "scenarios": out}


def _notes(scenario: Scenario, actions: dict | None) -> list[str]:
    notes = []
    if scenario.switch_off_outside_hours and not (actions or {}).get(SWITCH_OFF_ACTION):
        notes.append("switch off: no user device is on longer than its category's working time (or its energy "
                     "is metered)")
    if scenario.consolidate_servers and not (actions or {}).get(CONSOLIDATE_ACTION):
        notes.append("consolidate: fewer than two servers of a site below the average load with a known load")
    if scenario.pue is not None:
        notes.append(f"PUE {scenario.pue:g} for every server room (rows with their own pue keep it)")
    if scenario.grid:
        notes.append(f"every item on the {scenario.grid} electricity grid")
    return notes


def scenario_from_flags(*, extend_lifetime: float | None, lifetime: dict[str, float], switch_off: bool,
                        consolidate: bool, pue: float | None, grid: str | None) -> Scenario | None:
    """The command line's changes as one scenario (None when no flag is given)."""
    scenario = Scenario(name="command line", extend_lifetime_years=extend_lifetime, lifetime=dict(lifetime),
                        switch_off_outside_hours=switch_off, consolidate_servers=consolidate, pue=pue, grid=grid)
    return None if scenario.is_empty() else scenario


def format_scenarios(report: dict) -> str:
    """Side-by-side text table: one column per scenario, one line per criterion."""
    scenarios = report["scenarios"]
    width = max(24, *(min(len(s["name"]), 34) + 2 for s in scenarios))
    head = f"{'per year':<10} {'baseline':>14}" + "".join(f" {s['name'][:34]:>{width}}" for s in scenarios)
    lines = [f"What-if on {report['rows']:,} inventory rows: change of the yearly footprint against the baseline",
             "", head, "-" * len(head)]
    for c, unit in WHATIF_CRITERIA.items():
        base = report["baseline"][c]["value"]
        cells = []
        for s in scenarios:
            d = s[c]
            pct = "" if d["change_pct"] is None else f" ({d['change_pct']:+.1f} %)"
            cells.append(f" {_signed(d['change']) + pct:>{width}}")
        lines.append(f"{unit + '/yr':<10} {_plain(base):>14}" + "".join(cells))
        bounds = "".join(f" {'[' + _signed(s[c]['change_low']) + ' .. ' + _signed(s[c]['change_high']) + ']':>{width}}"
                         if s[c]["change"] is not None else f" {'':>{width}}" for s in scenarios)
        lines.append(f"{'':<10} {'':>14}" + bounds)
    lines.append("")
    for s in scenarios:
        lines.append(f"{s['name']}: {s['changed_rows']:,} rows re-assessed"
                     + ("; " + "; ".join(s["notes"]) if s["notes"] else ""))
    lines.append("")
    lines.append("Change = scenario - baseline (negative saves); brackets: the same with low and with high factors. "
                 "Every scenario is computed alone against the same baseline, by the footprint engine.")
    return "\n".join(lines) + "\n"


def _plain(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 or value == 0 else f"{value:.3g}"


def _signed(value: float | None) -> str:
    if value is None:
        return "-"
    text = _plain(abs(value))
    return ("-" if value < 0 else "+") + text if value else "0"

