"""Compare equipment options over a horizon: keep, repair, buy refurbished or buy new.

Every option becomes canonical inventory rows assessed by the footprint engine
(:func:`auditor.footprint.assess`); this module only counts how many of each the horizon needs.
Per option and criterion (energy, gwp, water, adpe, pe), value, low and high:

- **manufacture** = embodied footprint of each device bought x the share of its life inside the
  horizon: every device serves its lifetime, the last one only the years left (prorated). An
  existing device's own manufacture is past and never counted; its replacements (when it cannot
  serve the whole horizon) are new devices and are. A refurbished device carries the cited share
  of a new one's embodied footprint (``factors/data/refurbished.csv``).
- **use** = the engine's yearly use phase x the years each device serves.
- **repairs** = for each device, each repair's cited part footprint (``factors/data/repairs.csv``)
  x count x quantity: done now on an existing device, at mid-life on a bought one (when it
  serves that long). A criterion without a cited figure for a part is not counted (a note says so).
- **cost** = purchases (the last device prorated like its footprint) + repairs + electricity
  (energy x ``electricity_price``), from the prices given; null when none is given.
- **break_even_years_vs_existing** (greenhouse gases), for every option when an existing one is
  listed (the first existing option is the reference):
  ``(manufacture of its first device - repairs done now on the reference) / (reference's yearly
  use - its yearly use)``; 0 when already below at once, null when its use is not lower or the
  result is beyond 50 years.

References: docs/compare.md (arithmetic of one case by hand).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from auditor.errors import InputError, InventoryError, OptionsError
from auditor.footprint import AssessOptions, assess
from auditor.options_file import Option, OptionsSpec
from auditor.results import UNIT_OF, embodied_column, use_column
from factors.procurement import Bounded, refurbished_share, repair_footprint
from factors.tables import CRITERIA, FactorLibrary, default_library

#: Criteria of a comparison, in output order ("energy" is final electricity).
COMPARE_CRITERIA: tuple[str, ...] = ("energy", "gwp", "water", "adpe", "pe")
#: JSON key of each criterion's total over the horizon.
TOTAL_KEYS: dict[str, str] = {
    "energy": "energy_kwh", "gwp": "gwp_kgco2e", "water": "water_m3", "adpe": "adpe_kgsbeq", "pe": "pe_mj",
}
RANK_CHOICES: tuple[str, ...] = ("gwp", "energy", "water", "adpe", "pe", "cost")
BREAK_EVEN_MAX_YEARS = 50.0
BOUNDS: tuple[str, ...] = ("value", "low", "high")


@dataclass
class Segment:
    """A device serving part of the horizon: from ``start`` for ``years``, out of ``lifetime`` years."""

    row: int
    start: float
    years: float
    lifetime: float
    bought: bool


@dataclass
class OptionResult:
    """Totals of one option over the horizon (see the module docstring)."""

    option: Option
    segments: list[Segment]
    manufacture: dict[str, list[float]]
    use: dict[str, list[float]]
    repairs: dict[str, list[float]]
    use_per_year: dict[str, list[float]]
    first_embodied: dict[str, list[float]]
    repair_events: list[tuple[float, dict[str, list[float]]]]
    cost: float | None
    notes: list[str] = field(default_factory=list)
    rank: int = 0
    break_even_years: float | None = None

    def total(self, criterion: str) -> list[float]:
        return [self.manufacture[criterion][i] + self.use[criterion][i] + self.repairs[criterion][i]
                for i in range(3)]

    @property
    def replacements(self) -> int:
        return sum(1 for s in self.segments if s.bought) - (0 if self.option.existing else 1)

    @property
    def embodied_share(self) -> float | None:
        total = self.total("gwp")[0]
        if total <= 0:
            return None
        return (self.manufacture["gwp"][0] + self.repairs["gwp"][0]) / total

    def cumulative(self, criterion: str, times: np.ndarray) -> np.ndarray:
        """Cumulative footprint at ``times`` [years]: each device's manufacture when bought,
        repairs when done, use as it goes (value only)."""
        out = np.zeros_like(times, dtype=float)
        for seg in self.segments:
            if seg.bought:
                out += np.where(times >= seg.start, self._unit_embodied(seg, criterion), 0.0)
            out += np.clip(times - seg.start, 0.0, seg.years) * self._seg_use(seg, criterion)
        for when, amounts in self.repair_events:
            out += np.where(times >= when, amounts[criterion][0], 0.0)
        return out

    # filled by compare(): per-row engine values
    _row_embodied: dict[int, dict[str, list[float]]] = field(default_factory=dict, repr=False)
    _row_use: dict[int, dict[str, list[float]]] = field(default_factory=dict, repr=False)

    def _unit_embodied(self, seg: Segment, criterion: str) -> float:
        return self._row_embodied[seg.row][criterion][0]

    def _seg_use(self, seg: Segment, criterion: str) -> float:
        return self._row_use[seg.row][criterion][0]


@dataclass
class Comparison:
    """A whole comparison: settings and one result per option, ranked."""

    file: str
    horizon_years: float
    country: str
    rank_by: str
    results: list[OptionResult]
    reference: str | None
    electricity_price: float | None
    title: str | None = None

    def to_json(self) -> dict:
        """The JSON document of ``auditor compare --format json`` (keys in docs/compare.md)."""
        options = []
        for r in sorted(self.results, key=lambda x: x.rank):
            record: dict[str, object] = {"id": r.option.id, "label": r.option.label, "rank": r.rank}
            for c in COMPARE_CRITERIA:
                key = TOTAL_KEYS[c]
                v, lo, hi = r.total(c)
                record[key], record[f"{key}_low"], record[f"{key}_high"] = _round(v), _round(lo), _round(hi)
            record["cost"] = _round(r.cost)
            record["replacements"] = r.replacements
            record["break_even_years_vs_existing"] = _round(r.break_even_years)
            share = r.embodied_share
            record["embodied_share"] = None if share is None else round(share, 4)
            record["existing"] = r.option.existing
            record["refurbished"] = r.option.refurbished
            record["lifetime_years"] = _round(r.segments[-1].lifetime if r.segments else None)
            record["parts"] = {part: {TOTAL_KEYS[c]: _round(values[c][0]) for c in COMPARE_CRITERIA}
                               for part, values in (("manufacture", r.manufacture), ("use", r.use),
                                                    ("repairs", r.repairs))}
            record["notes"] = list(r.notes)
            options.append(record)
        return {"horizon_years": self.horizon_years, "country": self.country, "rank_by": self.rank_by,
                "break_even_reference": self.reference, "electricity_price": self.electricity_price,
                "options": options}


def _round(value: float | None, digits: int = 6) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return float(f"{value:.{digits}g}")


def _bounded(values: Bounded | None) -> list[float]:
    return [0.0, 0.0, 0.0] if values is None else [values.value, values.low, values.high]


def option_records(spec: OptionsSpec, today: date) -> tuple[list[dict], list[tuple[int, str]]]:
    """Canonical inventory records for every option: its device, and a new one to replace it.

    Returns the records and, per record, (option index, ``"device"`` or ``"replacement"``).
    An existing option's replacement is a device of the same fields bought now; bought options
    (new or refurbished) are bought now unless their year says otherwise.
    """
    records: list[dict] = []
    owners: list[tuple[int, str]] = []
    for i, option in enumerate(spec.options):
        base = {k: v for k, v in spec.usage.items() if k not in option.fields}
        base.update(option.fields)
        device = {"id": option.id, "name": option.label, "category": option.category,
                  "quantity": option.quantity, **base}
        if not option.existing:
            if option.lifetime_years is not None:
                device["lifetime_years"] = option.lifetime_years
            if "year" not in option.fields and "purchase_date" not in option.fields:
                device["year"] = today.year
        records.append(device)
        owners.append((i, "device"))
        if option.existing:
            new = {k: v for k, v in device.items() if k not in ("purchase_date", "battery_health_pct")}
            new["id"] = f"{option.id} (replacement)"
            new["year"] = today.year
            records.append(new)
            owners.append((i, "replacement"))
    return records, owners


def assess_options(spec: OptionsSpec, country: str, library: FactorLibrary, today: date
                   ) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Run the footprint engine on the options' records (one vectorised pass)."""
    from auditor.inventory import table_from_records

    records, owners = option_records(spec, today)
    try:
        table = table_from_records(records, country=country, today=today, library=library, name=spec.file)
    except InventoryError as exc:
        index = (exc.row - 1) if exc.row is not None else None
        option = spec.options[owners[index][0]] if index is not None and 0 <= index < len(owners) else None
        raise OptionsError(exc.reason, file=spec.file, entry=option.id if option else None,
                           line=option.field_lines.get(str(exc.column), option.line) if option else None,
                           field=exc.column, value=exc.value) from None
    results = assess(table, library, AssessOptions(today=today))
    return results, owners


def _engine_values(results: pd.DataFrame, row: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(embodied, use per year) of one results row, per criterion, value/low/high."""
    embodied: dict[str, list[float]] = {"energy": [0.0, 0.0, 0.0]}
    use: dict[str, list[float]] = {
        "energy": [float(results.at[row, f"energy_kwh_per_year{s}"]) for s in ("", "_low", "_high")]}
    for c in CRITERIA:
        embodied[c] = [float(results.at[row, embodied_column(c, b)]) for b in ("", "low", "high")]
        use[c] = [float(results.at[row, use_column(c, b)]) for b in ("", "low", "high")]
    return embodied, use


def _segments(option: Option, horizon: float, device_row: int, replacement_row: int | None,
              device_life: float, replacement_life: float | None) -> list[Segment]:
    out: list[Segment] = []
    start = 0.0
    if option.existing:
        remaining = option.lifetime_years if option.lifetime_years is not None else horizon
        served = min(remaining, horizon)
        out.append(Segment(device_row, 0.0, served, remaining, bought=False))
        start = served
        row, life = replacement_row, replacement_life
    else:
        row, life = device_row, device_life
    while start < horizon - 1e-9:
        served = min(life, horizon - start)
        out.append(Segment(row, start, served, life, bought=True))
        start += life
    return out


def compare(spec: OptionsSpec, *, horizon_years: float | None = None, country: str | None = None,
            rank_by: str = "gwp", library: FactorLibrary | None = None, today: date | None = None
            ) -> Comparison:
    """Compare the options of ``spec`` over the horizon (see the module docstring).

    Parameters
    ----------
    spec
        Options read by :func:`auditor.options_file.read_options`.
    horizon_years, country
        Override the file's horizon [years] and country (ISO code or name).
    rank_by
        ``gwp``, ``energy``, ``water``, ``adpe``, ``pe`` or ``cost`` (smallest first).
    """
    library = library or default_library()
    today = today or date.today()
    horizon = horizon_years if horizon_years is not None else spec.horizon_years
    if horizon is None:
        raise OptionsError("no horizon: give horizon_years in the file or --horizon YEARS", file=spec.file,
                           field="horizon_years")
    if not (0 < horizon <= BREAK_EVEN_MAX_YEARS):
        raise InputError(f"--horizon {horizon:g}: expected a number of years > 0 and <= 50")
    where = country or spec.country
    if not where:
        raise OptionsError("no country: give country in the file or --country CC", file=spec.file, field="country")
    try:
        code = library.resolve_country(where)
    except InputError as exc:
        if country:
            raise InputError(f"--country {country}: {exc}") from None
        raise OptionsError(str(exc), file=spec.file, field="country", value=where) from None
    if rank_by not in RANK_CHOICES:
        raise InputError(f"--rank-by {rank_by!r}: expected one of {', '.join(RANK_CHOICES)}")
    results, owners = assess_options(spec, code, library, today)
    rows_of: dict[int, dict[str, int]] = {}
    for row, (i, kind) in enumerate(owners):
        rows_of.setdefault(i, {})[kind] = row
    out = [_option_result(spec, i, option, rows_of[i], results, horizon) for i, option in enumerate(spec.options)]
    reference = next((r for r in out if r.option.existing), None)
    if reference is not None:
        for r in out:
            if r is not reference:
                r.break_even_years = break_even_years(r, reference)
    _rank(out, rank_by)
    return Comparison(spec.file, float(horizon), code, rank_by, out,
                      reference.option.id if reference else None, spec.electricity_price, spec.title)


def _option_result(spec: OptionsSpec, index: int, option: Option, rows: dict[str, int],
                   results: pd.DataFrame, horizon: float) -> OptionResult:
    row_embodied: dict[int, dict[str, list[float]]] = {}
    row_use: dict[int, dict[str, list[float]]] = {}
    notes: list[str] = []
    for row in rows.values():
        embodied, use = _engine_values(results, row)
        if option.refurbished and row == rows["device"]:
            share = refurbished_share(str(results.at[row, "category"]))
            embodied = {c: [v * s for v, s in zip(vals, (share.value, share.low, share.high), strict=True)]
                        for c, vals in embodied.items()}
            notes.append(f"refurbished: {share.value:.0%} [{share.low:.0%}-{share.high:.0%}] of a new device's "
                         f"embodied footprint ({share.ids[0]})")
        row_embodied[row], row_use[row] = embodied, use
    device_life = float(results.at[rows["device"], "lifetime_years"])
    replacement = rows.get("replacement")
    replacement_life = float(results.at[replacement, "lifetime_years"]) if replacement is not None else None
    if option.existing and option.lifetime_years is None:
        notes.append("existing device: no lifetime_years (years it can still serve) given; assumed to serve "
                     "the whole horizon")
    segments = _segments(option, horizon, rows["device"], replacement, device_life, replacement_life)
    zero = {c: [0.0, 0.0, 0.0] for c in COMPARE_CRITERIA}
    manufacture = {c: [0.0, 0.0, 0.0] for c in COMPARE_CRITERIA}
    use = {c: [0.0, 0.0, 0.0] for c in COMPARE_CRITERIA}
    repairs = {c: [0.0, 0.0, 0.0] for c in COMPARE_CRITERIA}
    events: list[tuple[float, dict[str, list[float]]]] = []
    missing: set[tuple[str, str]] = set()
    cost_parts: list[float] = []
    cost_missing: list[str] = []
    for seg in segments:
        for c in COMPARE_CRITERIA:
            for b in range(3):
                if seg.bought:
                    manufacture[c][b] += row_embodied[seg.row][c][b] * seg.years / seg.lifetime
                use[c][b] += row_use[seg.row][c][b] * seg.years
        if seg.bought:
            if option.price is not None:
                cost_parts.append(option.price * option.quantity * seg.years / seg.lifetime)
            else:
                cost_missing.append("device price")
        when = 0.0 if not seg.bought else seg.start + seg.lifetime / 2.0
        if option.repairs and (not seg.bought or seg.years >= seg.lifetime / 2.0):
            event = {c: [0.0, 0.0, 0.0] for c in COMPARE_CRITERIA}
            for repair in option.repairs:
                for c in CRITERIA:
                    part = repair_footprint(repair.part, c, repair.amounts)
                    if part is None:
                        missing.add((repair.part, c))
                    for b, v in enumerate(_bounded(part)):
                        event[c][b] += v * repair.count * option.quantity
                if repair.price is not None:
                    cost_parts.append(repair.price * repair.count * option.quantity)
                else:
                    cost_missing.append(f"{repair.part} repair price")
            for c in COMPARE_CRITERIA:
                for b in range(3):
                    repairs[c][b] += event[c][b]
            events.append((when, event))
    for part, c in sorted(missing):
        notes.append(f"{part} repair: no cited {c} figure, not counted")
    if spec.electricity_price is not None:
        cost_parts.append(use["energy"][0] * spec.electricity_price)
    else:
        cost_missing.append("electricity_price")
    cost = float(sum(cost_parts)) if _has_prices(spec) else None
    if cost is not None and "device price" in cost_missing:
        cost = None
        notes.append("cost unknown: no price for the devices this option buys")
    elif cost is not None and cost_missing:
        notes.append("cost leaves out: " + ", ".join(sorted(set(cost_missing))))
    first = next((s for s in segments if s.bought), None)
    first_embodied = row_embodied[first.row] if first else zero
    first_use = row_use[segments[0].row] if segments else zero
    result = OptionResult(option, segments, manufacture, use, repairs, first_use, first_embodied, events, cost,
                          notes, _row_embodied=row_embodied, _row_use=row_use)
    return result


def _has_prices(spec: OptionsSpec) -> bool:
    """Whether the file gives any price (device, repair or electricity): else costs are null."""
    return spec.electricity_price is not None or any(
        o.price is not None or any(r.price is not None for r in o.repairs) for o in spec.options)


def break_even_years(option: OptionResult, reference: OptionResult, criterion: str = "gwp") -> float | None:
    """Years after which ``option``'s lower use phase has paid back its manufacture, against the
    existing ``reference`` (module docstring); None when not within 50 years."""
    saving = reference.use_per_year[criterion][0] - option.use_per_year[criterion][0]
    if saving <= 0:
        return None
    upfront = option.first_embodied[criterion][0] if not option.option.existing else 0.0
    upfront -= sum(amounts[criterion][0] for when, amounts in reference.repair_events if when == 0.0)
    years = max(upfront, 0.0) / saving
    return years if years <= BREAK_EVEN_MAX_YEARS else None


def _rank(results: list[OptionResult], rank_by: str) -> None:
    def key(r: OptionResult) -> tuple[int, float]:
        value = r.cost if rank_by == "cost" else r.total(rank_by)[0]
        return (1, 0.0) if value is None else (0, value)

    for rank, r in enumerate(sorted(results, key=key), start=1):
        r.rank = rank


def _unit(criterion: str) -> str:
    return "kWh" if criterion == "energy" else {"gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq",
                                                  "pe": "MJ"}[criterion]


def _fmt(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    magnitude = abs(value)
    if magnitude >= 100 or magnitude == 0:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def format_table(comparison: Comparison) -> str:
    """Plain-text table: one line per option, best first, with the ranking criterion's bounds."""
    c = comparison
    crit = "gwp" if c.rank_by == "cost" else c.rank_by
    ranked = sorted(c.results, key=lambda r: r.rank)
    head = (f"{'#':>2}  {'option':<28} {_unit(crit) + ' total':>14} {'low-high':>19} {'manuf.':>6} "
            f"{'kWh':>9} {'repl.':>5} {'break-even':>10} {'cost':>10}")
    lines = [f"Comparison over {c.horizon_years:g} years, electricity of {c.country}, ranked by {c.rank_by}"
             + (f" ({c.title})" if c.title else ""), "", head, "-" * len(head)]
    for r in ranked:
        v, lo, hi = r.total(crit)
        share = r.embodied_share
        be = "-" if r.break_even_years is None else f"{r.break_even_years:.1f} y"
        if r.option.existing and c.reference == r.option.id:
            be = "reference"
        label = r.option.label if len(r.option.label) <= 28 else r.option.label[:27] + "…"
        bounds = "-" if _fmt(lo) == _fmt(hi) == "-" else _fmt(lo) + "-" + _fmt(hi)
        lines.append(f"{r.rank:>2}  {label:<28} {_fmt(v):>14} {bounds:>19} "
                     f"{'-' if share is None else f'{share:.0%}':>6} {_fmt(r.total('energy')[0]):>9} "
                     f"{r.replacements:>5} {be:>10} {_fmt(r.cost):>10}")
    lines.append("")
    lines.append(f"{'':>2}  {'all criteria (value)':<28} " + "  ".join(
        f"{TOTAL_KEYS[k]}" for k in COMPARE_CRITERIA))
    for r in ranked:
        lines.append(f"{r.rank:>2}  {r.option.id[:28]:<28} " + "  ".join(
            f"{_fmt(r.total(k)[0]):>{len(TOTAL_KEYS[k])}}" for k in COMPARE_CRITERIA))
    notes = [(r.option.id, n) for r in ranked for n in r.notes]
    if notes:
        lines.append("")
        lines.extend(f"note: {oid}: {text}" for oid, text in notes)
    if all(r.total(crit)[0] is None or not math.isfinite(r.total(crit)[0]) for r in ranked):
        lines.append(f"note: no option has a {crit} figure (no factor for these devices): the order is the file's")
    lines.append("")
    lines.append("Totals over the horizon: manufacture (last device prorated; none for an existing device) + use + "
                 "repairs. manuf. = share of manufacture and repairs in the greenhouse-gas total. break-even = years "
                 "before a lower use phase pays back the manufacture, against the existing option (null beyond 50 "
                 "years). Method: docs/compare.md.")
    return "\n".join(lines) + "\n"


__all__ = ["Comparison", "OptionResult", "compare", "format_table", "break_even_years", "UNIT_OF"]
