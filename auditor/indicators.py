"""Strategy indicators of a results table and the objectives they are measured against.

French communes and intercommunalities over 50,000 inhabitants must adopt a "stratégie numérique
responsable" with objectives and indicators, reviewed every year (loi n° 2021-1485 "REEN",
article 35; décret n° 2022-1084). :func:`indicators` computes a default set from a results table
(and the inventory behind it when known); :func:`read_targets` reads a YAML file of objectives and
:func:`evaluate` gives each objective's value, trend and gap.

References
----------
Loi n° 2021-1485 du 15 novembre 2021 visant à réduire l'empreinte environnementale du numérique
en France, article 35, https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000044327272
Décret n° 2022-1084 du 29 juillet 2022 relatif à l'obligation pour les collectivités de définir
une stratégie numérique responsable, https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046124283
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InputError
from auditor.flags import flag_values
from auditor.results import total_column
from factors.tables import CATEGORIES

CRITERIA: tuple[str, ...] = ("energy", "gwp", "water", "adpe", "pe")
#: Canonical unit of each per-year total (per inhabitant / per agent: the same unit).
TOTAL_UNIT: dict[str, str] = {"energy": "kWh/yr", "gwp": "kgCO2e/yr", "water": "m3/yr",
                              "adpe": "kgSbeq/yr", "pe": "MJ/yr"}
#: Indicators whose value is a share (0-1); targets may be written "95 %".
SHARE_INDICATORS: frozenset[str] = frozenset({"supported_os_share", "reused_refurbished_share",
                                               "measured_energy_share"})
#: Indicator keys a target may name (per-category ones take ``category``).
INDICATOR_KEYS: tuple[str, ...] = (
    *CRITERIA, *(f"{c}_per_inhabitant" for c in CRITERIA), *(f"{c}_per_agent" for c in CRITERIA),
    "mean_age_years", "mean_lifetime_years", "retirement_age_years", "supported_os_share", "reused_refurbished_share",
    "measured_energy_share", "server_room_pue",
)
_SUPPORTED_WORDS = ("supported", "ok", "current", "maintained", "supporte")
_UNSUPPORTED_WORDS = ("unsupported", "end_of_support", "end of support", "eol", "ended", "expired",
                      "obsolete", "non supporte", "plus supporte")


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """(mean of ``values`` weighted by ``weights`` over known values, share of weight known)."""
    known = np.isfinite(values)
    total = weights.sum()
    if not known.any() or total <= 0:
        return float("nan"), 0.0
    return float(np.average(values[known], weights=weights[known])), float(weights[known].sum() / total)


def os_support(results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """(supported, known) per row from ``software_status``, else from ``obsolescence_reasons``.

    ``software_status`` words: supported / unsupported (end of support...) / anything else unknown.
    The obsolescence reasons (auditor.scoring.obsolescence) say "supported until <date>" or
    "security support ends <date>" for a supported OS, "security support ended" for one past its
    end of support. None when neither column exists.
    """
    def read(text: object) -> tuple[bool, bool]:
        if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
            return False, False
        folded = str(text).strip().casefold()
        if column == "software_status":
            if any(w in folded for w in _UNSUPPORTED_WORDS):
                return False, True
            if any(folded == w or folded.startswith(w) for w in _SUPPORTED_WORDS):
                return True, True
            return False, False
        if "security support ended" in folded:
            return False, True
        if "supported until" in folded or "security support ends" in folded:
            return True, True
        return False, False

    for column in ("software_status", "obsolescence_reasons"):
        if column in results:
            codes, uniques = pd.factorize(results[column].astype(object), use_na_sentinel=True)
            pairs = [read(u) for u in uniques] + [(False, False)]
            table = np.asarray(pairs, dtype=bool).reshape(-1, 2)
            picked = table[np.where(codes < 0, len(uniques), codes)]
            return picked[:, 0], picked[:, 1]
    return None


@dataclass
class Indicator:
    """One indicator value: ``key`` (see :data:`INDICATOR_KEYS`), optional ``category``."""

    key: str
    value: float
    unit: str
    category: str = ""
    coverage: float = 1.0  # share of devices the value rests on
    note: str = ""


def indicators(
    results: pd.DataFrame, *, table: pd.DataFrame | None = None, inhabitants: int | None = None,
    agents: int | None = None, purchases: np.ndarray | None = None, retired: pd.DataFrame | None = None,
    interval_years: float = 1.0,
) -> list[Indicator]:
    """The default indicators of a results table.

    Parameters
    ----------
    results
        Results table (:mod:`auditor.results`).
    table
        The canonical inventory behind it, row for row (for ``reused`` / ``refurbished``); None
        for a results file.
    inhabitants, agents
        Population and staff, for per-inhabitant and per-agent totals.
    purchases
        Rows that are purchases of the period (e.g. items added since the baseline); by default
        the rows whose purchase year is the latest year of the table.
    retired
        Results rows of the devices retired during the period (removed since the baseline), with
        their ``age_years`` at the baseline date; ``interval_years`` between the two assessments.
        Their mean age at retirement is taken as that age plus half the interval (retirements
        spread evenly over the period): ``retirement_age_years`` per category, the lifetime the
        city actually achieved.
    """
    out: list[Indicator] = []
    quantity = results["quantity"].to_numpy(float)
    for criterion in CRITERIA:
        total = float(results[total_column(criterion)].sum(skipna=False))  # unknown, never 0
        out.append(Indicator(criterion, total, TOTAL_UNIT[criterion]))
        for count, suffix in ((inhabitants, "per_inhabitant"), (agents, "per_agent")):
            if count:
                out.append(Indicator(f"{criterion}_{suffix}", total / count, TOTAL_UNIT[criterion]))
    categories = results["category"].astype(str).to_numpy()
    present = set(pd.unique(categories))
    for category in [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES)):
        rows = categories == category
        for key, column in (("mean_age_years", "age_years"), ("mean_lifetime_years", "lifetime_years")):
            if column in results:
                value, coverage = _weighted_mean(results.loc[rows, column].to_numpy(float), quantity[rows])
                if value == value:
                    out.append(Indicator(key, value, "year", category, coverage))
    if retired is not None and len(retired) and "age_years" in retired:
        kinds = retired["category"].astype(str).to_numpy()
        ages = retired["age_years"].to_numpy(float) + interval_years / 2
        weights = retired["quantity"].to_numpy(float)
        for category in pd.unique(kinds):
            rows = kinds == category
            value, coverage = _weighted_mean(ages[rows], weights[rows])
            if value == value:
                out.append(Indicator("retirement_age_years", value, "year", category, coverage))
    support = os_support(results)
    if support is not None:
        supported, known = support
        weight = quantity[known].sum()
        if weight > 0:
            out.append(Indicator("supported_os_share", float(quantity[supported].sum() / weight), "share",
                                 coverage=float(weight / quantity.sum())))
    if table is not None and len(table) == len(results):
        if purchases is None and "year" in results:
            year = results["year"].to_numpy(float)
            purchases = year == np.nanmax(year) if np.isfinite(year).any() else np.zeros(len(year), bool)
        if purchases is not None and purchases.any():
            n = len(table)
            reused, known_r = flag_values(table.get("reused"), n)
            refurb, known_f = flag_values(table.get("refurbished"), n)
            known = (known_r | known_f) & purchases
            if known.any():
                yes = (reused | refurb) & known
                out.append(Indicator("reused_refurbished_share", float(quantity[yes].sum() / quantity[known].sum()),
                                     "share", coverage=float(quantity[known].sum() / quantity[purchases].sum())))
    energy = results["energy_kwh_per_year"].to_numpy(float)
    if energy.sum() > 0:
        measured = results["energy_source"].astype(str).to_numpy() == "measured"
        out.append(Indicator("measured_energy_share", float(energy[measured].sum() / energy.sum()), "share"))
    if "pue" in results:
        pue = results["pue"].to_numpy(float)
        room = np.isfinite(pue) & (pue > 1.0)
        if room.any() and energy[room].sum() > 0:
            # PUE of the rooms = facility energy / IT energy = sum(E) / sum(E / PUE)
            it = (energy[room] / pue[room]).sum()
            out.append(Indicator("server_room_pue", float(energy[room].sum() / it), ""))
    return out


def as_frame(values: list[Indicator]) -> pd.DataFrame:
    return pd.DataFrame([vars(v) for v in values], columns=["key", "category", "value", "unit", "coverage", "note"])


# -- targets -------------------------------------------------------------------------------------

@dataclass
class Objective:
    """One objective of the strategy: a bound (``min`` / ``max``) or a ``reduction`` by a year."""

    indicator: str
    category: str = ""
    minimum: float | None = None
    maximum: float | None = None
    reduction: float | None = None  # share (0-1) to cut from the base value
    by: int | None = None
    base_year: int | None = None
    base_value: float | None = None
    label: str = ""


def _number(value: object, where: str, field: str, share: bool) -> float:
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    percent = text.endswith("%")
    text = text.rstrip("%").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if number != number:
        expected = "a share such as 95 % or 0.95" if share else "a number"
        raise InputError(f"{where}, field '{field}': value {str(value)[:40]!r}: expected {expected}")
    if percent:
        return number / 100.0
    if share and field != "base_value" and abs(number) > 1:
        raise InputError(f"{where}, field '{field}': value {str(value)[:40]!r}: expected a share "
                         "between 0 and 1 or a percentage such as 95 %")
    return number


def _year(value: object, where: str, field: str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 1990 <= year <= 2100:
        raise InputError(f"{where}, field '{field}': value {str(value)[:40]!r}: expected a year such as 2030")
    return year


def read_targets(path: Path | str) -> list[Objective]:
    """Objectives from a YAML file (docs/review.md shows the format).

    Raises :class:`InputError` naming the file, the objective and the field for bad input.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the targets file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the targets file as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("objectives"), list):
        raise InputError(f"{path}: expected a mapping with a list 'objectives' (see docs/review.md)")
    default_base = data.get("base_year")
    out = []
    for i, entry in enumerate(data["objectives"], start=1):
        where = f"{path}: objective {i}"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: expected a mapping with 'indicator' and 'min', 'max' or 'reduction'")
        key = str(entry.get("indicator", "")).strip()
        if key not in INDICATOR_KEYS:
            raise InputError(f"{where}, field 'indicator': value {key[:40]!r}: expected one of "
                             f"{', '.join(INDICATOR_KEYS)}")
        where = f"{where} ('{key}')"
        share = key in SHARE_INDICATORS
        unknown = set(entry) - {"indicator", "category", "min", "max", "reduction", "by", "base_year",
                                "base_value", "label"}
        if unknown:
            raise InputError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}; expected "
                             "indicator, category, min, max, reduction, by, base_year, base_value, label")
        objective = Objective(indicator=key, category=str(entry.get("category") or "").strip(),
                              label=str(entry.get("label") or ""))
        if "min" in entry:
            objective.minimum = _number(entry["min"], where, "min", share)
        if "max" in entry:
            objective.maximum = _number(entry["max"], where, "max", share)
        if "reduction" in entry:
            cut = _number(entry["reduction"], where, "reduction", True)
            objective.reduction = abs(cut)
            objective.by = _year(entry.get("by", ""), where, "by")
            base = entry.get("base_year", default_base)
            objective.base_year = _year(base, where, "base_year") if base is not None else None
            if entry.get("base_value") is not None:
                objective.base_value = _number(entry["base_value"], where, "base_value", False)
        if objective.minimum is None and objective.maximum is None and objective.reduction is None:
            raise InputError(f"{where}: expected one of the fields 'min', 'max' or 'reduction'")
        out.append(objective)
    return out


def find(values: list[Indicator], key: str, category: str = "") -> Indicator | None:
    for value in values:
        if value.key == key and value.category == category:
            return value
    return None


def evaluate(objectives: list[Objective], current: list[Indicator], baseline: list[Indicator] | None,
             year: int, baseline_year: int | None = None) -> pd.DataFrame:
    """Each objective's value now and at the baseline, its target and the gap.

    Bounds (``min``/``max``): the target is the bound, ``gap`` = value - bound, ``status`` ``met``
    or ``not_met``. Reductions: the target is base value x (1 - reduction) by the year ``by``; the
    base value is ``base_value``, else the baseline's value; the value expected this year lies on
    the straight line from the base year to ``by``; ``gap`` = value - that expected value
    (positive: behind), ``status`` ``on_track``, ``behind`` or ``met`` (target reached).
    """
    rows = []
    for objective in objectives:
        now = find(current, objective.indicator, objective.category)
        then = find(baseline or [], objective.indicator, objective.category)
        value = now.value if now else float("nan")
        before = then.value if then else float("nan")
        row = {"indicator": objective.indicator, "category": objective.category, "label": objective.label,
               "value": value, "baseline": before, "trend": value - before, "unit": now.unit if now else "",
               "target": float("nan"), "expected_now": float("nan"), "gap": float("nan"), "by": objective.by,
               "status": "not_available"}
        if now is not None:
            if objective.reduction is not None:
                base = objective.base_value if objective.base_value is not None else before
                base_year = objective.base_year or baseline_year or year
                target = base * (1 - objective.reduction)
                span = max(objective.by - base_year, 1)
                progress = min(max((year - base_year) / span, 0.0), 1.0)
                expected = base + (target - base) * progress
                row.update(target=target, expected_now=expected, gap=value - expected)
                if base == base:
                    row["status"] = "met" if value <= target else "on_track" if value <= expected else "behind"
            elif objective.minimum is not None:
                row.update(target=objective.minimum, gap=value - objective.minimum,
                           status="met" if value >= objective.minimum else "not_met")
            elif objective.maximum is None:
                row["status"] = "no_target"
            else:
                row.update(target=objective.maximum, gap=value - objective.maximum,
                           status="met" if value <= objective.maximum else "not_met")
        rows.append(row)
    return pd.DataFrame(rows)


def default_objectives(current: list[Indicator]) -> list[Objective]:
    """Without a targets file: every indicator shown, with no target (value and trend only)."""
    return [Objective(indicator=v.key, category=v.category) for v in current]

