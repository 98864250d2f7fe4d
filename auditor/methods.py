"""Side-by-side totals of one inventory under each method, and the spread between them.

A reader sees how much of a figure is method choice: the same inventory assessed with the
manufacturers' footprints (``pcf``) and with the French reference figures (``ademe``), the
per-year totals of each criterion, and their spread ``(max - min) / min``.
"""

from __future__ import annotations

import pandas as pd

from auditor.summary import totals

#: Criteria compared (energy does not depend on the method's factors).
COMPARED: tuple[str, ...] = ("gwp", "water", "adpe", "pe")


def method_spread(results_by_method: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-year totals of each criterion under each method, and the spread between methods.

    Parameters
    ----------
    results_by_method
        Method name -> results table of the same inventory.

    Returns
    -------
    pandas.DataFrame
        Index: criteria; one column per method (canonical units per year), ``spread`` (max - min,
        same unit) and ``spread_pct`` ((max - min) / min x 100; NaN when min is 0 or unknown).
    """
    frame = pd.DataFrame({name: totals(results)["value"].reindex(COMPARED)
                          for name, results in results_by_method.items()})
    low, high = frame.min(axis=1, skipna=False), frame.max(axis=1, skipna=False)
    frame["spread"] = high - low
    frame["spread_pct"] = (high - low) / low.where(low > 0) * 100
    return frame


def format_spread(spread: pd.DataFrame | dict) -> str:
    """Plain-text lines for the summary of ``auditor assess --compare-methods``.

    ``spread``: from :func:`method_spread`, or its ``to_dict(orient="index")`` as stored in a
    results table's ``attrs["method_spread"]``.
    """
    if isinstance(spread, dict):
        spread = pd.DataFrame.from_dict(spread, orient="index")
    methods = [c for c in spread.columns if c not in ("spread", "spread_pct")]
    lines = ["", "Method spread (per year; see docs/methodology.md):"]
    lines.append("  " + f"{'criterion':<10}" + "".join(f"{m:>14}" for m in methods) + f"{'spread':>12}")
    for criterion, row in spread.iterrows():
        cells = "".join(f"{_num(row[m]):>14}" for m in methods)
        pct = "-" if row["spread_pct"] != row["spread_pct"] else f"{row['spread_pct']:.0f} %"
        lines.append(f"  {criterion:<10}{cells}{pct:>12}")
    return "\n".join(lines)


def _num(value: float) -> str:
    if value != value:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def method_spread_html(spread: dict, lang: str, criterion_name, escape) -> str:
    """One dashboard line per criterion: the totals under each method and their spread."""
    frame = pd.DataFrame.from_dict(spread, orient="index")
    methods = [c for c in frame.columns if c not in ("spread", "spread_pct")]
    intro = ("Method choice: the same inventory under each factor method (per year, canonical units); "
             "the spread is how much of a figure is method choice." if lang != "fr" else
             "Choix de méthode : le même inventaire selon chaque méthode de facteurs (par an, unités "
             "canoniques) ; l'écart mesure la part du chiffre qui tient au choix de méthode.")
    items = []
    for criterion, row in frame.iterrows():
        values = ", ".join(f"{m} {_num(row[m])}" for m in methods)
        pct = "-" if row["spread_pct"] != row["spread_pct"] else f"{row['spread_pct']:.0f} %"
        items.append(f"<li>{escape(criterion_name(criterion))}: {escape(values)}; "
                     f"{'écart' if lang == 'fr' else 'spread'} {escape(pct)}</li>")
    return f'<p>{escape(intro)}</p><ul class="method-spread">{"".join(items)}</ul>'

