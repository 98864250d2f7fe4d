"""The annual-review page: one self-contained, accessible HTML file (French or English).

Built from a :class:`auditor.review.Review` and the evaluated indicators
(:func:`auditor.indicators.evaluate`); never recomputes a footprint. Same shell as the dashboard:
plotly.js embedded once, a Content-Security-Policy with the hashes of its two scripts, every text
escaped, accessible chart blocks (:mod:`reports.page`).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from auditor.review import COMPONENTS, CRITERIA, DIMENSIONS, METHOD_FIRST_REVIEW, bounds_of
from reports import figures
from reports.dashboard import _CSS, _section, _sha256, _table, _version, e, plotly_js
from reports.i18n import TOTAL_UNITS, Labels
from reports.page import Charts, boot_script
from reports.page_i18n import text

TOP_ITEMS = 15
PART_COLOURS: dict[str, str] = {
    "method": "#999999", "added": "#D55E00", "removed": "#009E73", "quantity": "#E69F00",
    "lifetime": "#0072B2", "usage": "#CC79A7", "moved": "#56B4E9",
}


#: Parts smaller than this (in the display unit: t, MWh, m3, kgSbeq, GJ) are rounding residues.
NEGLIGIBLE = 1e-9


def _signed(labels: Labels, value: float) -> str:
    if value is None or value != value:
        return "–"
    if abs(value) < NEGLIGIBLE:
        return labels.number(0.0, 0)
    return ("+" if value > 0 else "−") + labels.number(abs(value))


def _pct(labels: Labels, change: float, before: float) -> str:
    if not before or before != before:
        return "–"
    share = change / abs(before)
    return ("+" if share > 0 else "−" if share < 0 else "") + labels.percent(abs(share))


def _unit(labels: Labels, criterion: str) -> str:
    return labels("unit_per_year", unit=TOTAL_UNITS[criterion][1])


def _headline(review, labels: Labels) -> str:
    totals = review.totals
    low, high = bounds_of(totals, "change")
    estate = sum(totals[c] for c in COMPONENTS if c != "method")
    cards = []
    for criterion in CRITERIA:
        row = totals.loc[criterion]
        divisor = TOTAL_UNITS[criterion][0]
        unit = _unit(labels, criterion)
        cards.append(
            '<div class="card">'
            f'<div class="label">{e(labels.criterion(criterion))}</div>'
            f'<div class="value">{e(_signed(labels, row["change"] / divisor))} <span class="unit">{e(unit)}</span></div>'
            f'<div class="small">{e(_pct(labels, row["change"], row["baseline"]))} · '
            f'{e(text(labels, "r_from_to", before=labels.number(row["baseline"] / divisor), after=labels.number(row["current"] / divisor), unit=unit))}</div>'
            f'<div class="range">{e(labels("range", low=_signed(labels, low[criterion] / divisor), high=_signed(labels, high[criterion] / divisor)))}</div>'
            f'<div class="small">{e(text(labels, "r_estate_method", estate=_signed(labels, estate[criterion] / divisor), method=_signed(labels, row["method"] / divisor)))}</div>'
            "</div>")
    return f'<p>{e(text(labels, "r_intro_headline"))}</p>\n<div class="cards">{"".join(cards)}</div>'


def parts_figure(review, labels: Labels) -> go.Figure:
    """Horizontal bars: each part of the change of one criterion (buttons switch criterion)."""
    names = [text(labels, f"r_comp_{c}") for c in (*COMPONENTS[:-1], "change")]
    keys = (*COMPONENTS[:-1], "change")

    def values(criterion: str) -> list[float]:
        row = review.totals.loc[criterion]
        return [float(row[k]) / TOTAL_UNITS[criterion][0] for k in keys]

    first = CRITERIA[1]
    order = [first, *(c for c in CRITERIA if c != first)]
    colours = [PART_COLOURS.get(k, "#1f2328") for k in keys]
    fig = go.Figure(layout=figures._layout(
        labels, height=320, showlegend=False,
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": f"{labels.criterion(first)} ({_unit(labels, first)})"}, "zeroline": True},
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
    ))
    fig.add_bar(x=values(first), y=names, orientation="h", marker_color=colours, name=labels.criterion(first),
                hovertemplate="%{y}: %{x:,.3~r}<extra></extra>")
    fig.update_layout(updatemenus=[{"type": "buttons", "buttons": [
        {"label": labels.criterion(c), "method": "update",
         "args": [{"x": [values(c)], "y": [names], "name": [labels.criterion(c)]},
                  {"xaxis.title.text": f"{labels.criterion(c)} ({_unit(labels, c)})"}]}
        for c in order]}])
    return fig


def _parts_table(review, labels: Labels) -> str:
    headers = [text(labels, "r_col_part")] + [f"{labels.criterion(c)} ({_unit(labels, c)})" for c in CRITERIA]
    rows = []
    for key in ("baseline", *COMPONENTS[:-1], "change", "current"):
        name = (text(labels, f"r_comp_{key}") if key in (*COMPONENTS, "change")
                else text(labels, "r_col_baseline" if key == "baseline" else "r_col_current"))
        cells = []
        for criterion in CRITERIA:
            value = float(review.totals.loc[criterion, key]) / TOTAL_UNITS[criterion][0]
            if key in ("baseline", "current"):
                cells.append(labels.number(value))
            else:
                low, high = bounds_of(review.totals, key)
                divisor = TOTAL_UNITS[criterion][0]
                cells.append(f"{_signed(labels, value)} [{_signed(labels, low[criterion] / divisor)} ; "
                             f"{_signed(labels, high[criterion] / divisor)}]")
        rows.append([name, *cells])
    return _table(headers, rows, [False] + [True] * len(CRITERIA), css="compact")


def _group_name(labels: Labels, dim: str, key: str) -> str:
    if not key:
        return labels("not_given")
    return labels.category(key) if dim == "category" else key


def groups_figure(review, dim: str, labels: Labels, top: int = 12) -> go.Figure:
    """Per group: change from the estate and from the method (stacked), criterion buttons."""
    def view(criterion: str):
        table = review.groups[dim][criterion]
        divisor = TOTAL_UNITS[criterion][0]
        estate = (table["change"] - table["method"]) / divisor
        frame = pd.DataFrame({"estate": estate, "method": table["method"] / divisor})
        frame = frame.reindex(frame.abs().sum(axis=1).sort_values(ascending=False).index).head(top)
        names = figures.plot_text([_group_name(labels, dim, k) for k in frame.index])
        return names, frame

    first = CRITERIA[1]
    order = [first, *(c for c in CRITERIA if c != first)]
    names, frame = view(first)
    fig = go.Figure(layout=figures._layout(
        labels, height=max(260, 60 + 26 * len(frame)), barmode="relative",
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": f"{labels.criterion(first)} ({_unit(labels, first)})"}, "zeroline": True},
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
    ))
    fig.add_bar(name=text(labels, "r_col_estate"), x=frame["estate"], y=names, orientation="h",
                marker_color="#0072B2", hovertemplate="%{y}: %{x:,.3~r}<extra>%{fullData.name}</extra>")
    fig.add_bar(name=text(labels, "r_col_method"), x=frame["method"], y=names, orientation="h",
                marker_color="#999999", hovertemplate="%{y}: %{x:,.3~r}<extra>%{fullData.name}</extra>")
    buttons = []
    for criterion in order:
        n, f = view(criterion)
        buttons.append({"label": labels.criterion(criterion), "method": "update",
                        "args": [{"x": [f["estate"].tolist(), f["method"].tolist()], "y": [n, n]},
                                 {"xaxis.title.text": f"{labels.criterion(criterion)} ({_unit(labels, criterion)})"}]})
    fig.update_layout(updatemenus=[{"type": "buttons", "buttons": buttons}])
    return fig


def _groups(review, dim: str, labels: Labels, charts: Charts) -> str:
    criterion = "gwp"
    table = review.groups[dim][criterion]
    divisor = TOTAL_UNITS[criterion][0]
    order = (table["change"].abs()).sort_values(ascending=False).index
    parts = [p for p in COMPONENTS if (table[p] != 0).any()]
    headers = [text(labels, "r_col_group"), text(labels, "r_col_baseline"), text(labels, "r_col_current"),
               text(labels, "r_col_change")] + [text(labels, f"r_comp_{p}") for p in parts]
    rows = [[_group_name(labels, dim, key), labels.number(table.loc[key, "baseline"] / divisor),
             labels.number(table.loc[key, "current"] / divisor), _signed(labels, table.loc[key, "change"] / divisor)]
            + [_signed(labels, table.loc[key, p] / divisor) for p in parts] for key in order]
    intro = text(labels, "r_intro_groups", criterion=labels.criterion(criterion), unit=_unit(labels, criterion))
    return "\n".join([charts.block(groups_figure(review, dim, labels), text(labels, f"r_sec_{dim}")),
                      f"<p>{e(intro)}</p>", _table(headers, rows, [False] + [True] * (len(headers) - 1), css="compact")])


def _devices(review, labels: Labels) -> str:
    d = review.devices
    rules = review.rules
    return "\n".join([
        f'<p class="keyfact">{e(text(labels, "r_devices", added=labels.number(d["added"], 0), removed=labels.number(d["removed"], 0), kept=labels.number(d["kept"], 0), more=labels.number(d["kept_more"], 0), fewer=labels.number(d["kept_fewer"], 0)))}</p>',
        f'<p>{e(text(labels, "r_rules", id=labels.number(rules.get("id", 0), 0), serial=labels.number(rules.get("serial_number", 0), 0), name_model=labels.number(rules.get("name+model", 0), 0)))}</p>',
    ])


def _items(review, labels: Labels) -> str:
    items = review.items.copy()
    items["delta"] = items["gwp_current"] - items["gwp_baseline"]
    top = items.reindex(items["delta"].abs().sort_values(ascending=False).index).head(TOP_ITEMS)
    rows = []
    for _, row in top.iterrows():
        name = row["name"] if isinstance(row["name"], str) and row["name"] else (row["id_current"] or row["id_baseline"])
        rule = text(labels, f"r_rule_{row['rule']}") if row["rule"] else ""
        rows.append([str(name), labels.category(row["category"]), text(labels, f"r_status_{row['status']}"), rule,
                     labels.number(row["gwp_baseline"]), labels.number(row["gwp_current"]),
                     _signed(labels, row["delta"])])
    headers = [labels("col_item"), labels("col_category"), text(labels, "r_col_status"), text(labels, "r_col_rule"),
               text(labels, "r_col_baseline"), text(labels, "r_col_current"), text(labels, "r_col_change")]
    return (f'<p>{e(text(labels, "r_intro_items", n=len(top)))}</p>\n'
            + _table(headers, rows, [False, False, False, False, True, True, True]))


def indicator_name(labels: Labels, key: str, category: str) -> str:
    for suffix in ("per_inhabitant", "per_agent"):
        if key.endswith("_" + suffix):
            base = key[: -len(suffix) - 1]
            return text(labels, f"ind_{suffix}", what=text(labels, f"ind_{base}"))
    name = text(labels, f"ind_{key}")
    return f"{name} – {labels.category(category)}" if category else name


def _indicator_value(labels: Labels, key: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if key.endswith("_share"):
        return labels.percent(value)
    for criterion in CRITERIA:
        if key == criterion:
            return f"{labels.number(value / TOTAL_UNITS[criterion][0])} {_unit(labels, criterion)}"
        if key.startswith(criterion + "_per_"):
            return labels.number(value)
    return labels.number(value)


def _indicators(table: pd.DataFrame, labels: Labels, has_targets: bool) -> str:
    parts = [f'<p>{e(text(labels, "r_intro_indicators"))}</p>']
    if not has_targets:
        parts.append(f'<p class="note">{e(text(labels, "r_no_targets"))}</p>')
    rows = []
    for _, row in table.iterrows():
        key = row["indicator"]
        target = _indicator_value(labels, key, row["target"])
        if row.get("by") and row["by"] == row["by"] and row["target"] == row["target"]:
            target = f'{target} ({row["by"]:.0f})'
        trend = row["trend"]
        trend_text = ("–" if trend != trend else
                      (labels.percent(trend) if key.endswith("_share") else _signed(
                          labels, trend / TOTAL_UNITS[key][0] if key in TOTAL_UNITS else trend)))
        gap = row["gap"]
        gap_text = ("–" if gap != gap else
                    (labels.percent(gap) if key.endswith("_share") else _signed(
                        labels, gap / TOTAL_UNITS[key][0] if key in TOTAL_UNITS else gap)))
        label = row.get("label") or indicator_name(labels, key, row["category"])
        rows.append([label, _indicator_value(labels, key, row["value"]), _indicator_value(labels, key, row["baseline"]),
                     trend_text, target, gap_text, text(labels, f"st_{row['status']}")])
    headers = [text(labels, k) for k in ("r_col_indicator", "r_col_value", "r_col_previous", "r_col_trend",
                                         "r_col_target", "r_col_gap", "r_col_state")]
    parts.append(_table(headers, rows, [False, True, True, True, True, True, False], css="compact"))
    return "\n".join(parts)


def _method(review, labels: Labels) -> str:
    status = review.method_status
    unknown = text(labels, "r_unknown")
    parts = [f'<p class="keyfact">{e(text(labels, "r_method_" + status, version=review.versions.get("current") or unknown))}</p>',
             f'<p>{e(text(labels, "r_versions", baseline=review.versions.get("baseline") or unknown, current=review.versions.get("current") or unknown))}</p>',
             f'<p>{e(text(labels, "r_method_text"))}</p>']
    parts += [f'<p class="note">{e(text(labels, "r_warning", text=w))}</p>' for w in review.warnings]
    return "\n".join(parts)


def _first_headline(review, labels: Labels) -> str:
    totals = review.totals
    cards = []
    for criterion in CRITERIA:
        row = totals.loc[criterion]
        divisor = TOTAL_UNITS[criterion][0]
        cards.append(
            '<div class="card">'
            f'<div class="label">{e(labels.criterion(criterion))}</div>'
            f'<div class="value">{e(labels.number(row["current"] / divisor))} '
            f'<span class="unit">{e(_unit(labels, criterion))}</span></div>'
            f'<div class="range">{e(labels("range", low=labels.number(row["current_low"] / divisor), high=labels.number(row["current_high"] / divisor)))}</div>'
            "</div>")
    return f'<p>{e(text(labels, "r_intro_first"))}</p>\n<div class="cards">{"".join(cards)}</div>'


def _first_groups(review, dim: str, labels: Labels) -> str:
    criterion = "gwp"
    table = review.groups[dim][criterion]
    divisor = TOTAL_UNITS[criterion][0]
    order = table["current"].sort_values(ascending=False).index
    rows = [[_group_name(labels, dim, key), labels.number(table.loc[key, "current"] / divisor)] for key in order]
    intro = text(labels, "r_intro_groups_first", criterion=labels.criterion(criterion), unit=_unit(labels, criterion))
    headers = [text(labels, "r_col_group"), text(labels, "r_col_current")]
    return f"<p>{e(intro)}</p>\n" + _table(headers, rows, [False, True], css="compact")


def _first_review_sections(review, indicators: pd.DataFrame, labels: Labels,
                           has_targets: bool) -> list[tuple[str, str, str]]:
    """A first review (no previous year): this year's totals, groups, devices, indicators."""
    devices = f'<p class="keyfact">{e(text(labels, "r_devices_first", current=labels.number(review.devices["current"], 0)))}</p>'
    warnings = "".join(f'<p class="keyfact">{e(text(labels, "r_warning", text=w))}</p>' for w in review.warnings)
    return [
        ("headline", text(labels, "r_sec_first_headline"), warnings + _first_headline(review, labels)),
        *((dim, text(labels, f"r_sec_{dim}"), _first_groups(review, dim, labels)) for dim in DIMENSIONS),
        ("devices", text(labels, "r_sec_first_devices"), devices),
        ("indicators", text(labels, "r_sec_indicators"), _indicators(indicators, labels, has_targets)),
        ("method", text(labels, "r_sec_method"), _method(review, labels)),
    ]


def review_sections(review, indicators: pd.DataFrame, labels: Labels, charts: Charts,
                    has_targets: bool = False) -> list[tuple[str, str, str]]:
    """(anchor, title, HTML) of every part of the review, in page order."""
    if review.method_status == METHOD_FIRST_REVIEW:
        return _first_review_sections(review, indicators, labels, has_targets)
    sections = [
        ("headline", text(labels, "r_sec_headline"), _headline(review, labels)),
        ("why", text(labels, "r_sec_why"),
         f'<p>{e(text(labels, "r_intro_why"))}</p>\n'
         + charts.block(parts_figure(review, labels), text(labels, "r_sec_why")) + _parts_table(review, labels)),
        *((dim, text(labels, f"r_sec_{dim}"), _groups(review, dim, labels, charts)) for dim in DIMENSIONS),
        ("devices", text(labels, "r_sec_devices"), _devices(review, labels)),
        ("items", text(labels, "r_sec_items"), _items(review, labels)),
        ("indicators", text(labels, "r_sec_indicators"), _indicators(indicators, labels, has_targets)),
        ("method", text(labels, "r_sec_method"), _method(review, labels)),
    ]
    if review.warnings:
        sections[0] = (sections[0][0], sections[0][1], "".join(
            f'<p class="keyfact">{e(text(labels, "r_warning", text=w))}</p>' for w in review.warnings) + sections[0][2])
    return sections


def review_section(review, indicators: pd.DataFrame, labels: Labels, charts: Charts,
                   has_targets: bool = False) -> str:
    """The review as one part of another page (the dashboard's ``--baseline`` section): h3 headings."""
    return "\n".join(f'<section id="review-{key}"><h3>{e(name)}</h3>\n{content}\n</section>'
                     for key, name, content in review_sections(review, indicators, labels, charts, has_targets))


def build_review_page(review, indicators: pd.DataFrame, *, lang: str = "en", review_date: date | None = None,
                      current_name: str = "", baseline_name: str = "", has_targets: bool = False,
                      title: str | None = None) -> str:
    """The review page, one self-contained HTML document (a string)."""
    labels = Labels(lang)
    charts = Charts(labels)
    sections = review_sections(review, indicators, labels, charts, has_targets)
    page_title = title or text(labels, "r_title")
    day = pd.Timestamp(review_date or date.today())
    subtitle = text(labels, "r_subtitle", current=current_name or "–", baseline=baseline_name or "–",
                    date=figures.labels_date(day, labels), version=_version())
    nav = "".join(f'<li><a href="#{key}">{e(name)}</a></li>' for key, name, _ in sections)
    body = "\n".join(_section(key, name, content) for key, name, content in sections)
    js, boot = plotly_js(), boot_script(lang)
    csp = (f"default-src 'none'; script-src '{_sha256(js)}' '{_sha256(boot)}'; style-src 'unsafe-inline'; "
           "img-src data: blob:; base-uri 'none'; form-action 'none'")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{e(labels("lang_attr"))}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sobriety-auditor">', f"<title>{e(page_title)}</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>",
        f'<a class="skip" href="#content">{e(text(labels, "skip"))}</a>',
        f'<header><h1>{e(page_title)}</h1><p class="subtitle">{e(subtitle)}</p></header>',
        f'<nav aria-label="{e(labels("nav"))}"><ol>{nav}</ol></nav>',
        '<main id="content">', body, "</main>",
        "<footer>sobriety-auditor · plotly.js (MIT) · offline</footer>",
        f"<script>{js}</script>", f"<script>{boot}</script>", "</body></html>", "",
    ])
