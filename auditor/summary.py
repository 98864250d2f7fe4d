"""Summaries of a results table: totals with bounds, by category, embodied vs use, top items.

Pure functions over the results contract; the CLI prints :func:`format_summary`.
"""

from __future__ import annotations

import pandas as pd

from auditor.results import (
    UNIT_LABEL,
    embodied_column,
    total_column,
    use_column,
)
from factors.tables import CATEGORIES, CRITERIA

_DISPLAY = {
    # criterion -> (divisor, unit shown) for per-year totals
    "energy": (1000.0, "MWh/yr"),
    "gwp": (1000.0, "tCO2e/yr"),
    "water": (1.0, "m3/yr"),
    "adpe": (1.0, "kgSbeq/yr"),
    "pe": (1000.0, "GJ/yr"),
}
_NAMES = {
    "energy": "Energy", "gwp": "GHG emissions", "water": "Water", "adpe": "Rare materials (ADPe)",
    "pe": "Primary energy",
}


#: Criteria the web-service method (EcoIndex) gives no figure for: a web service's energy, ADPe
#: and primary energy are its servers', counted on their own rows, so the estate's totals of these
#: criteria leave web rows out (they are not unknown parts).
NOT_FOR_WEB = frozenset({"energy", "adpe", "pe"})
WEB_NOTE = ("Web services: GHG and water per page view x views (EcoIndex); their energy, ADPe and "
            "primary energy are their servers', on their own rows.")


def scoped(results: pd.DataFrame, criterion: str) -> pd.DataFrame:
    """The rows whose figures make the estate's total of ``criterion`` (see :data:`NOT_FOR_WEB`).

    Without web services the table itself (no copy); with some, only the criterion's columns of
    the other rows (a copy of a few columns, not of the whole table)."""
    if criterion in NOT_FOR_WEB and "category" in results:
        web = (results["category"] == "web_service").to_numpy(dtype=bool)  # categorical: compares codes
        if web.any():
            columns = [total_column(criterion, b) for b in ("", "low", "high")]
            columns += [_use_column(criterion, b) for b in ("", "low", "high")]
            if criterion != "energy":
                columns += [embodied_column(criterion), "lifetime_years"]
            return results.loc[~web, [c for c in dict.fromkeys(columns) if c in results]]
    return results


def totals(results: pd.DataFrame) -> pd.DataFrame:
    """Per-year totals of every criterion, with bounds and the embodied share.

    Returns
    -------
    pandas.DataFrame
        Index: ``energy`` and the criteria; columns ``value``, ``low``, ``high`` (canonical units
        per year), ``embodied_share`` (0-1, NaN for energy) and ``use``, ``use_low``,
        ``use_high`` (the use phase alone, known even where an embodied factor is missing).
    """
    rows = {}
    everything = results
    for criterion in ("energy", *CRITERIA):
        results = scoped(everything, criterion)
        # a total with a part that has no factor is unknown, not smaller (skipna=False)
        value = results[total_column(criterion)].sum(skipna=False)
        low = results[total_column(criterion, "low")].sum(skipna=False)
        high = results[total_column(criterion, "high")].sum(skipna=False)
        share = float("nan")
        if criterion != "energy":
            annual_embodied = (results[embodied_column(criterion)] / results["lifetime_years"]).sum()
            share = annual_embodied / value if value else float("nan")
        rows[criterion] = {"value": value, "low": low, "high": high, "embodied_share": share,
                           **{f"use{suffix}": _column_sum(results, _use_column(criterion, bound))
                              for suffix, bound in USE_BOUNDS},
                           **known_part(results, criterion)}
    return pd.DataFrame.from_dict(rows, orient="index")


def known_part(results: pd.DataFrame, criterion: str) -> dict[str, float]:
    """Sums over the rows that have a total of ``criterion`` (``known``, ``known_low``,
    ``known_high``) and how many rows have none (``unknown_rows``): shown when the total is
    unknown, so one row without a figure (a web service not yet measured) does not hide the rest."""
    out = {f"known{suffix}": results[total_column(criterion, bound)].sum() for suffix, bound in USE_BOUNDS}
    out["unknown_rows"] = float(results[total_column(criterion)].isna().sum())
    return out


#: (suffix of the ``totals`` column, bound of the results column) of the use-phase sums.
USE_BOUNDS = (("", ""), ("_low", "low"), ("_high", "high"))


def _column_sum(results: pd.DataFrame, column: str) -> float:
    """Sum of a results column (NaN when a part is NaN, or when the column is absent)."""
    return results[column].sum(skipna=False) if column in results else float("nan")


def _sum_or_nan(values: pd.Series) -> float:
    """Sum that is NaN when a part is NaN (a criterion without factor for some rows)."""
    return values.sum(skipna=False)


def _use_column(criterion: str, bound: str = "") -> str:
    """Use-phase column of a criterion; energy (final electricity) is all use, no embodied part."""
    return total_column("energy", bound) if criterion == "energy" else use_column(criterion, bound)


def by_category(results: pd.DataFrame, criterion: str = "gwp") -> pd.DataFrame:
    """Items, energy and the criterion's per-year total per category, largest first.

    ``criterion`` is ``energy`` (kWh/year, all use phase) or one of the criteria.
    """
    if criterion not in _DISPLAY:
        raise ValueError(f"unknown criterion {criterion!r}; expected one of {', '.join(_DISPLAY)}")
    grouped = results.groupby("category", observed=True).agg(
        items=("quantity", "sum"),
        energy_kwh_per_year=("energy_kwh_per_year", "sum"),
        total=(total_column(criterion), _sum_or_nan),
        use=(_use_column(criterion), _sum_or_nan),
    )
    grouped["share"] = grouped["total"] / grouped["total"].sum()
    order = [c for c in (*CATEGORIES, "web_service") if c in grouped.index]
    return grouped.loc[order].sort_values("total", ascending=False)


def top_items(results: pd.DataFrame, criterion: str = "gwp", n: int = 10) -> pd.DataFrame:
    """The ``n`` rows with the largest per-year total of ``criterion`` (rows without one are not
    ranked: the totals say how many there are)."""
    column = total_column(criterion)
    known = results[results[column].notna().to_numpy()]
    return known.nlargest(n, column)[["id", "name", "category", "quantity", column, "energy_source"]]


def data_quality(results: pd.DataFrame) -> pd.Series:
    """Share of items (by quantity) per energy source."""
    shares = results.groupby("energy_source")["quantity"].sum()
    return shares / shares.sum()


def _fmt(value: float) -> str:
    if value != value:  # NaN
        return "-"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}"
    if magnitude >= 0.01:
        return f"{value:.3f}"
    return f"{value:.2e}"


def format_summary(results: pd.DataFrame, criterion: str = "gwp") -> str:
    """Plain-text summary printed by ``auditor assess``."""
    return format_parts(len(results), results["quantity"].sum(), totals(results),
                        by_category(results, criterion), top_items(results, criterion),
                        data_quality(results), criterion)


def format_parts(n_rows: int, n_items: float, t: pd.DataFrame, cat: pd.DataFrame, top: pd.DataFrame,
                 quality: pd.Series, criterion: str = "gwp") -> str:
    """The summary from its parts (also computed from running totals: :mod:`auditor.running`)."""
    lines: list[str] = []
    lines.append(f"Assessed {n_rows:,} inventory rows ({n_items:,.0f} devices).")
    lines.append("")
    lines.append(f"{'Per year':<24}{'value':>14}{'low':>14}{'high':>14}  unit        embodied")
    for name, row in t.iterrows():
        divisor, unit = _DISPLAY[name]
        share = "" if name == "energy" or pd.isna(row["embodied_share"]) else f"{row['embodied_share'] * 100:5.0f} %"
        lines.append(
            f"{_NAMES[name]:<24}{_fmt(row['value'] / divisor):>14}{_fmt(row['low'] / divisor):>14}"
            f"{_fmt(row['high'] / divisor):>14}  {unit:<12}{share}"
        )
        if pd.isna(row["value"]) and pd.notna(row.get("use")):
            # the total is unknown (an embodied factor is missing) but the use phase is known
            lines.append(
                f"{'  use phase only':<24}{_fmt(row['use'] / divisor):>14}{_fmt(row['use_low'] / divisor):>14}"
                f"{_fmt(row['use_high'] / divisor):>14}  {unit:<12}(embodied: no factor for some devices)"
            )
        elif pd.isna(row["value"]) and row.get("unknown_rows", 0) > 0 and row.get("known", 0) > 0:
            lines.append(
                f"{'  rows with a figure':<24}{_fmt(row['known'] / divisor):>14}{_fmt(row['known_low'] / divisor):>14}"
                f"{_fmt(row['known_high'] / divisor):>14}  {unit:<12}({row['unknown_rows']:,.0f} rows without one)"
            )
    divisor, unit = _DISPLAY[criterion]
    lines.append("")
    lines.append(f"By category ({_NAMES[criterion]}, {unit}):")
    lines.append(f"  {'category':<16}{'devices':>9}{'MWh/yr':>10}{'total':>12}{'embodied':>12}{'use':>10}{'share':>8}")
    for name, row in cat.iterrows():
        lines.append(
            f"  {name:<16}{row['items']:>9,.0f}{row['energy_kwh_per_year'] / 1000:>10,.1f}"
            f"{_fmt(row['total'] / divisor):>12}"
            f"{'-' if criterion == 'energy' else _fmt((row['total'] - row['use']) / divisor):>12}"
            f"{_fmt(row['use'] / divisor):>10}"
            + ("      -" if pd.isna(row["share"]) else f"{row['share'] * 100:>7.1f}%")
        )
    if "web_service" in cat.index:
        lines.append(f"  {WEB_NOTE}")
    lines.append("")
    lines.append(f"Top 10 items ({_NAMES[criterion]}, {UNIT_LABEL.get(criterion, 'kWh')}/yr):")
    for _, row in top.iterrows():
        name = str(row["name"]) if row["name"] is not None and row["name"] == row["name"] else ""
        label = f"{row['id']}" + (f" {name}" if name and name != str(row["id"]) else "")
        qty = f" x{row['quantity']:,.0f}" if row["quantity"] != 1 else ""
        lines.append(
            f"  {_fmt(row[total_column(criterion)]):>10}  {label[:48]:<48} {row['category']}{qty}"
            f" ({row['energy_source'] if isinstance(row['energy_source'], str) else 'EcoIndex'})"
        )
    lines.append("")
    lines.append(
        "Energy data: "
        + ", ".join(f"{k} {quality.get(k, 0) * 100:.0f} %" for k in ("measured", "declared", "modelled", "default"))
    )
    return "\n".join(lines)
