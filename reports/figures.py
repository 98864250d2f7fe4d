"""Figure builders of the dashboard: pure functions, DataFrame in, plotly Figure out.

Each builder aggregates what it needs (a few dozen bars at most), so a figure's size does not
grow with the number of inventory rows. Builders never read files and never recompute footprints:
they read the results contract (:mod:`auditor.results`) and the optional score columns.

Colours: Okabe & Ito's colour-blind-safe palette for series; a green-to-red scale for grades.

References
----------
Okabe, M. and Ito, K. (2008), "Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people", https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from auditor.results import embodied_column, total_column, use_column
from reports.i18n import REPORT_CRITERIA, TOTAL_UNITS, Labels

EMBODIED_COLOUR = "#0072B2"
USE_COLOUR = "#E69F00"
SOURCE_COLOURS: dict[str, str] = {
    "measured": "#009E73", "declared": "#56B4E9", "modelled": "#E69F00", "default": "#999999",
}
GRADE_COLOURS: dict[str, str] = {
    "A": "#1a9850", "B": "#66bd63", "C": "#a6d96a", "D": "#fee08b", "E": "#fdae61",
    "F": "#f46d43", "G": "#d73027",
}
#: Risk levels (e.g. ``obsolescence_level``), in order, with their colours.
LEVEL_COLOURS: dict[str, str] = {
    "LOW": "#1a9850", "MEDIUM": "#fee08b", "HIGH": "#f46d43", "CRITICAL": "#d73027",
}
#: Software upkeep statuses (``software_status``), in order, with their colours (upper case, as counted).
STATUS_COLOURS: dict[str, str] = {
    "SUPPORTED": "#1a9850", "UPDATE_DUE": "#a6d96a", "UPGRADE_DUE": "#fee08b", "EXTENDED_SUPPORT": "#f46d43",
    "UNSUPPORTED": "#d73027",
}
SERIES_COLOURS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
)
ENERGY_SOURCES: tuple[str, ...] = ("measured", "declared", "modelled", "default")
#: Grouping columns of :func:`breakdown_figure`.
BREAKDOWN_KEYS: tuple[str, ...] = ("category", "department", "site")


def plot_text(values: object) -> list[str]:
    """Texts escaped for plotly.js, which reads ``<b>``, ``<a href>``... in labels as markup.

    plotly.js turns ``&lt;`` back into ``<`` when drawing, so inventory text shows as typed.
    """
    if isinstance(values, str):
        return [html.escape(values, quote=False)]
    return [html.escape(str(v), quote=False) for v in values]


def _layout(labels: Labels, height: int, **extra: object) -> dict:
    """A small layout: no template (keeps the page light), system fonts, localised numbers."""
    layout = {
        "template": "none",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "separators": labels.plotly_separators,
        "barmode": "stack",
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "traceorder": "normal"},
        "hoverlabel": {"namelength": -1},
    }
    for axis in ("xaxis", "yaxis"):
        extra[axis] = {"automargin": True, **dict(extra.get(axis, {}))}
    layout.update(extra)
    return layout


def map_unique(values: pd.Series, func) -> np.ndarray:
    """``func`` applied once per distinct value (``func(None)`` for missing ones), for every row.

    Inventory columns repeat a few values over many rows: this keeps per-row Python work out of
    the 100,000-row path.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [func(u) for u in uniques]
    mapped.append(func(None))
    return np.asarray(mapped, dtype=object)[codes]  # code -1 (missing) picks the last entry


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or not str(value).strip()


def group_keys(results: pd.DataFrame, by: str, labels: Labels) -> np.ndarray:
    """Display name of each row's group: category name, department, or site building."""
    def name(value: object) -> str:
        if _blank(value):
            return labels("not_given")
        if by == "category":
            return labels.category(value)
        if by == "site":
            return str(value).split(" > ")[0].strip() or labels("not_given")
        return str(value)

    return map_unique(results[by], name)


def annual_parts(results: pd.DataFrame, criterion: str) -> tuple[pd.Series, pd.Series]:
    """(embodied per year, use per year) of every row, in the criterion's canonical unit.

    Electricity has no embodied part.
    """
    if criterion == "energy":
        use = results["energy_kwh_per_year"].astype(float)
        return pd.Series(0.0, index=results.index), use
    lifetime = results["lifetime_years"].astype(float).replace(0.0, np.nan)
    embodied = (results[embodied_column(criterion)].astype(float) / lifetime).fillna(0.0)
    return embodied, results[use_column(criterion)].astype(float)


def breakdown_table(
    results: pd.DataFrame, by: str, criterion: str, labels: Labels, top: int = 12,
    keys: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per-year embodied and use of ``criterion`` per group, largest first, the rest as "Other (n)".

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (display name), ``embodied``, ``use``, ``total`` in the display unit of
        :data:`reports.i18n.TOTAL_UNITS`, at most ``top + 1`` rows. ``keys`` (from
        :func:`group_keys`) may be given to reuse them across criteria.
    """
    keys = group_keys(results, by, labels) if keys is None else keys
    codes, names = pd.factorize(keys)
    embodied, use = annual_parts(results, criterion)
    divisor = TOTAL_UNITS[criterion][0]
    grouped = pd.DataFrame({
        "embodied": np.bincount(codes, weights=embodied.to_numpy(float), minlength=len(names)) / divisor,
        "use": np.bincount(codes, weights=use.to_numpy(float), minlength=len(names)) / divisor,
    }, index=pd.Index(np.asarray(names, dtype=object), name="group"))
    grouped["total"] = grouped["embodied"] + grouped["use"]
    grouped = grouped.sort_values("total", ascending=False)
    if len(grouped) > top + 1:
        head, tail = grouped.iloc[:top], grouped.iloc[top:]
        other = tail.sum().to_frame(labels("other_n", n=len(tail))).T
        grouped = pd.concat([head, other])
    return grouped.rename_axis("group").reset_index()


def breakdown_figure(
    results: pd.DataFrame, by: str, labels: Labels, *, top: int = 12,
    criteria: Sequence[str] = ("gwp", "energy", "water", "adpe", "pe"),
) -> go.Figure:
    """Horizontal stacked bars (embodied, use) per category, department or site, with criterion buttons."""
    if by not in BREAKDOWN_KEYS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {BREAKDOWN_KEYS}")
    views = []
    keys = group_keys(results, by, labels)
    for criterion in criteria:
        table = breakdown_table(results, by, criterion, labels, top, keys)
        unit = labels("unit_per_year", unit=TOTAL_UNITS[criterion][1])
        views.append((criterion, table, unit))
    first_criterion, first, first_unit = views[0]
    groups = [plot_text(t["group"]) for _, t, _ in views]
    n = max(len(t) for _, t, _ in views)

    def hover(unit: str) -> str:
        return "%{y}<br>%{fullData.name}: %{x:,.3~r} " + unit + "<extra></extra>"

    fig = go.Figure(layout=_layout(
        labels, height=max(260, 60 + 26 * n),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": f"{labels.criterion(first_criterion)} ({first_unit})"},
               "rangemode": "tozero", "automargin": True},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        # bars are sorted largest first (top), so the bottom-right corner is free for the legend
        legend={"orientation": "v", "x": 0.99, "xanchor": "right", "y": 0.02, "yanchor": "bottom",
                "traceorder": "normal", "bgcolor": "rgba(255,255,255,0.85)"},
    ))
    fig.add_bar(name=labels("embodied_short"), x=first["embodied"], y=groups[0], orientation="h",
                marker_color=EMBODIED_COLOUR, hovertemplate=hover(first_unit))
    fig.add_bar(name=labels("use_short"), x=first["use"], y=groups[0], orientation="h",
                marker_color=USE_COLOUR, hovertemplate=hover(first_unit))
    if len(views) > 1:
        buttons = [
            {
                "label": labels.criterion(criterion),
                "method": "update",
                "args": [
                    {"x": [table["embodied"].tolist(), table["use"].tolist()],
                     "y": [group, group],
                     "hovertemplate": [hover(unit), hover(unit)]},
                    {"xaxis.title.text": f"{labels.criterion(criterion)} ({unit})"},
                ],
            }
            for (criterion, table, unit), group in zip(views, groups, strict=True)
        ]
        fig.update_layout(updatemenus=[{
            "type": "buttons", "direction": "right", "buttons": buttons, "showactive": True,
            "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "pad": {"b": 6},
            "bgcolor": "#f4f4f4", "bordercolor": "#bbbbbb",
        }])
    return fig


def embodied_use_figure(totals: pd.DataFrame, labels: Labels) -> go.Figure:
    """100 % stacked bars: share of each criterion's per-year total that is embodied vs use.

    Parameters
    ----------
    totals
        :func:`auditor.summary.totals` output: index criteria, column ``embodied_share`` (0–1).
    """
    rows = [c for c in REPORT_CRITERIA if c != "energy" and c in totals.index]
    shares = totals.loc[rows, "embodied_share"].astype(float).fillna(0.0).clip(0.0, 1.0) * 100
    names = [labels.criterion(c) for c in rows]
    fig = go.Figure(layout=_layout(
        labels, height=90 + 40 * len(rows),
        xaxis={"range": [0, 100], "ticksuffix": " %", "title": {"text": labels("share_pct")}},
        yaxis={"autorange": "reversed", "automargin": True},
    ))
    fig.add_bar(name=labels("embodied_short"), x=shares.to_numpy(), y=names, orientation="h",
                marker_color=EMBODIED_COLOUR, text=[labels.percent(s / 100) for s in shares],
                textposition="inside", hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>")
    fig.add_bar(name=labels("use_short"), x=100 - shares.to_numpy(), y=names, orientation="h",
                marker_color=USE_COLOUR, text=[labels.percent(1 - s / 100) for s in shares],
                textposition="inside", hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>")
    return fig


def grade_counts(results: pd.DataFrame, column: str) -> pd.Series:
    """Devices (sum of quantity) per grade, grades in order (A..G first), missing as ``""``."""
    grades = map_unique(results[column], lambda g: "" if _blank(g) else str(g).strip().upper())
    counts = results["quantity"].astype(float).groupby(grades).sum()
    known = {**GRADE_COLOURS, **LEVEL_COLOURS, **STATUS_COLOURS}
    order = [g for g in known if g in counts.index]
    order += sorted(g for g in counts.index if g not in known and g != "")
    if "" in counts.index:
        order.append("")
    return counts.loc[order]


def grade_figure(results: pd.DataFrame, column: str, labels: Labels) -> go.Figure:
    """Bars of devices per grade (A best to G worst) or risk level, for a column such as ``sobriety_grade``."""
    counts = grade_counts(results, column)
    names = [labels(f"level_{g.lower()}") if g in LEVEL_COLOURS else labels(f"status_{g.lower()}")
             if g in STATUS_COLOURS else html.escape(g, quote=False) if g else labels("no_grade") for g in counts.index]
    colours = [GRADE_COLOURS.get(g) or LEVEL_COLOURS.get(g) or STATUS_COLOURS.get(g, "#bbbbbb") for g in counts.index]
    title_key = f"score_{column}"
    title = labels(title_key) if title_key in _known_keys(labels) else column
    fig = go.Figure(layout=_layout(
        labels, height=300, title={"text": title, "x": 0, "font": {"size": 14}}, showlegend=False,
        xaxis={"type": "category", "title": {"text": labels(
            "level" if column.endswith("_level") else "status" if column.endswith("_status") else "grade")}},
        yaxis={"title": {"text": labels("devices")}, "rangemode": "tozero"},
    ))
    fig.add_bar(x=names, y=counts.to_numpy(), marker_color=colours, text=[labels.number(v, 0) for v in counts],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{y:,.0f} " + labels("devices") + "<extra></extra>")
    return fig


def _known_keys(labels: Labels) -> set[str]:
    from reports.i18n import MESSAGES

    return set(MESSAGES[labels.lang])


def quarter_label(period: pd.Period, labels: Labels) -> str:
    return f"{period.year} T{period.quarter}" if labels.lang == "fr" else f"{period.year} Q{period.quarter}"


def obsolescence_timeline(
    results: pd.DataFrame, today: pd.Timestamp, labels: Labels, *, horizon_quarters: int = 24,
    column: str = "replacement_due", max_series: int = 5,
) -> pd.DataFrame:
    """Devices reaching ``column`` (a date) per quarter, by category, from ``today``.

    Dates before ``today`` are grouped in a first bar ("Overdue"), dates after the horizon
    in a last bar ("Later"). Rows without a date are left out.

    Returns
    -------
    pandas.DataFrame
        Index: bar labels in time order; columns: category display names (the ``max_series``
        largest, the rest summed as "Other (n)"); values: devices.
    """
    due = pd.to_datetime(results[column], errors="coerce", utc=False)
    if getattr(due.dt, "tz", None) is not None:
        due = due.dt.tz_localize(None)
    keep = due.notna().to_numpy()
    if not keep.any():
        return pd.DataFrame()
    due = due[keep]
    quantity = results.loc[keep, "quantity"].astype(float)
    category = pd.Series(group_keys(results.loc[keep], "category", labels), index=due.index)
    start = pd.Timestamp(today).to_period("Q")
    end = start + horizon_quarters
    periods = due.dt.to_period("Q")
    before_label = labels("overdue")
    order = [before_label] + [quarter_label(start + i, labels) for i in range(horizon_quarters + 1)]
    order.append(labels("later"))
    names = map_unique(periods, lambda p: "" if p is None else quarter_label(p, labels))
    bar = np.where(due < pd.Timestamp(today), before_label, np.where(periods > end, labels("later"), names))
    frame = pd.DataFrame({"bar": bar, "category": category.to_numpy(), "quantity": quantity.to_numpy()})
    table = frame.pivot_table(index="bar", columns="category", values="quantity", aggfunc="sum",
                              fill_value=0.0, observed=True)
    table = table.reindex([o for o in order if o in table.index])
    # keep the quarters between the first and last non-empty one, so the time axis has no holes
    present = [i for i, o in enumerate(order) if o in table.index]
    table = table.reindex(order[present[0]:present[-1] + 1], fill_value=0.0)
    totals = table.sum().sort_values(ascending=False)
    if len(totals) > max_series + 1:
        keep_cols, rest = list(totals.index[:max_series]), list(totals.index[max_series:])
        table = pd.concat([table[keep_cols], table[rest].sum(axis=1).rename(labels("other_n", n=len(rest)))],
                          axis=1)
    else:
        table = table[list(totals.index)]
    return table


def labels_date(day: pd.Timestamp, labels: Labels) -> str:
    return day.strftime("%d/%m/%Y") if labels.lang == "fr" else day.strftime("%Y-%m-%d")


def obsolescence_figure(timeline: pd.DataFrame, labels: Labels) -> go.Figure:
    """Stacked bars of devices per quarter from :func:`obsolescence_timeline`."""
    fig = go.Figure(layout=_layout(
        labels, height=340, xaxis={"type": "category", "title": {"text": labels("quarter")}},
        yaxis={"title": {"text": labels("devices")}, "rangemode": "tozero"},
    ))
    for i, column in enumerate(timeline.columns):
        fig.add_bar(name=plot_text(str(column))[0], x=list(timeline.index), y=timeline[column].to_numpy(),
                    marker_color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    hovertemplate="%{x}: %{y:,.0f}<extra>%{fullData.name}</extra>")
    return fig


def energy_profile_figure(profile: pd.DataFrame, labels: Labels, working_hours: tuple[int, int]) -> go.Figure:
    """Mean power (or machines on) per hour of day on working days and other days, working hours shaded.

    Parameters
    ----------
    profile
        Columns ``hour`` (0–23), ``working_day`` (bool), ``power_w`` (mean power of the metered
        machines together in that hour, NaN without a meter) [W] and ``machines_on`` (mean number
        of probed machines on).
    working_hours
        (start hour, end hour) of the working day, end excluded [h].
    """
    start, end = working_hours
    column = "power_w" if profile["power_w"].notna().any() else "machines_on"
    unit = " W" if column == "power_w" else ""
    fig = go.Figure(layout=_layout(
        labels, height=320,
        xaxis={"title": {"text": labels("hour_of_day")}, "range": [-0.5, 23.5], "dtick": 2},
        yaxis={"title": {"text": labels("mean_power_w" if column == "power_w" else "machines_on")},
               "rangemode": "tozero"},
        shapes=[{"type": "rect", "xref": "x", "yref": "paper", "x0": start - 0.5, "x1": end - 0.5,
                 "y0": 0, "y1": 1, "fillcolor": "#dddddd", "opacity": 0.35, "line": {"width": 0},
                 "layer": "below"}],
        annotations=[{"x": (start + end - 1) / 2, "y": 0.02, "xref": "x", "yref": "paper",
                      "text": labels("working_hours"), "showarrow": False, "yanchor": "bottom"}],
    ))
    for flag, name, colour in ((True, labels("working_days"), EMBODIED_COLOUR),
                               (False, labels("weekend"), USE_COLOUR)):
        part = profile[profile["working_day"].astype(bool) == flag].sort_values("hour")
        if part.empty:
            continue
        fig.add_scatter(x=part["hour"].to_numpy(), y=part[column].to_numpy(), mode="lines+markers",
                        name=name, line={"color": colour, "shape": "hvh"},
                        hovertemplate="%{x} h: %{y:,.3~r}" + unit + "<extra>%{fullData.name}</extra>")
    return fig


def data_quality_table(results: pd.DataFrame) -> pd.DataFrame:
    """Share (0–1) of devices and of per-year GHG per energy source (measured, declared, ...)."""
    source = results["energy_source"].astype(object).fillna("default").astype(str)
    quantity = results["quantity"].astype(float)
    gwp = results[total_column("gwp")].astype(float)
    by_devices = quantity.groupby(source.to_numpy()).sum()
    by_gwp = gwp.groupby(source.to_numpy()).sum()
    order = [s for s in ENERGY_SOURCES] + sorted(set(by_devices.index) - set(ENERGY_SOURCES))
    table = pd.DataFrame({
        "devices": by_devices.reindex(order, fill_value=0.0),
        "gwp": by_gwp.reindex(order, fill_value=0.0),
    })
    for column in ("devices", "gwp"):
        total = table[column].sum()
        table[column] = table[column] / total if total else 0.0
    return table


def data_quality_figure(results: pd.DataFrame, labels: Labels) -> go.Figure:
    """100 % stacked bars: share of devices and of GHG per energy source."""
    table = data_quality_table(results)
    rows = [labels("quality_devices"), labels("quality_gwp")]
    fig = go.Figure(layout=_layout(
        labels, height=190, xaxis={"range": [0, 100], "ticksuffix": " %"},
        yaxis={"autorange": "reversed", "automargin": True},
    ))
    for source, row in table.iterrows():
        values = row[["devices", "gwp"]].to_numpy(dtype=float) * 100
        fig.add_bar(name=labels.energy_source(source), x=values, y=rows, orientation="h",
                    marker_color=SOURCE_COLOURS.get(str(source), "#bbbbbb"),
                    text=[labels.percent(v / 100) if v >= 4 else "" for v in values],
                    textposition="inside",
                    hovertemplate="%{y}: %{x:.1f} %<extra>%{fullData.name}</extra>")
    return fig


def recommendations_figure(recommendations: pd.DataFrame, labels: Labels, top: int = 12) -> go.Figure:
    """Horizontal bars of the GHG savings per year of each recommended action, largest first."""
    frame = recommendations.copy()
    frame["savings"] = pd.to_numeric(frame.get("savings_kgco2e_per_year"), errors="coerce").fillna(0.0)
    frame = frame.sort_values("savings", ascending=False).head(top)
    names = plot_text(_short(str(a), 60) for a in frame["action"])
    fig = go.Figure(layout=_layout(
        labels, height=max(200, 60 + 28 * len(frame)), showlegend=False,
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": labels("savings_gwp")}, "rangemode": "tozero"},
    ))
    fig.add_bar(x=frame["savings"].to_numpy(), y=names, orientation="h", marker_color="#009E73",
                hovertemplate="%{y}: %{x:,.3~r} kgCO2e<extra></extra>")
    return fig


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
