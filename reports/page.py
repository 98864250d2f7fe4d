"""Accessible, localised chart blocks and the script that draws them, shared by every HTML page.

The dashboard, the review page and the comparison page all embed plotly.js and draw charts from
JSON blocks. This module gives them the same accessible structure (RGAA 4.1 / WCAG 2.1 AA):

- each chart is a ``<figure>`` whose ``<figcaption>`` names it and describes what it shows in
  words (its text alternative), followed by its data as HTML tables (``<details>``);
- plotly's criterion buttons (``updatemenus``) become real HTML ``<button>`` elements with
  ``aria-pressed``, reachable and usable from the keyboard (Tab, Enter, Space);
- plotly's mode-bar links get an accessible name;
- in French, plotly.js draws with its French locale (``plotly.js-locales``, MIT, vendored in
  ``reports/assets``: month and day names, decimal comma, mode-bar texts), embedded in the
  page: no network.

References
----------
W3C (2018), Web Content Accessibility Guidelines (WCAG) 2.1, https://www.w3.org/TR/WCAG21/ ;
DINUM (2021), Référentiel général d'amélioration de l'accessibilité (RGAA) 4.1,
https://accessibilite.numerique.gouv.fr/
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

import plotly.graph_objects as go

from auditor.errors import AuditorError
from reports.i18n import Labels
from reports.page_i18n import text

LOCALE_ASSET = "plotly-locale-fr.js"

#: Draws every ``div.chart`` from its JSON block; wires the HTML criterion buttons; names the
#: mode-bar links. The French locale, when embedded, is registered before this runs.
BOOT_JS = (
    "(function(){var c={displaylogo:false,responsive:true,modeBarButtons:[['toImage']],"
    "toImageButtonOptions:{format:'png',scale:2},locale:document.documentElement.lang||'en'};"
    "document.querySelectorAll('div.chart').forEach(function(d){try{"
    "var s=JSON.parse(document.getElementById(d.id+'-data').textContent);"
    "var m=(s.layout.updatemenus||[])[0];delete s.layout.updatemenus;"
    "Plotly.newPlot(d,s.data,s.layout,c).then(function(){"
    "d.querySelectorAll('.modebar-btn').forEach(function(a){"
    "a.setAttribute('aria-label',a.getAttribute('data-title')||'');a.setAttribute('role','button');});});"
    "if(m){document.querySelectorAll('button[data-chart=\"'+d.id+'\"]').forEach(function(b){"
    "b.addEventListener('click',function(){var a=m.buttons[+b.getAttribute('data-view')].args;"
    "Plotly.update(d,a[0],a[1]||{});"
    "document.querySelectorAll('button[data-chart=\"'+d.id+'\"]').forEach(function(o){"
    "o.setAttribute('aria-pressed',o===b?'true':'false');});});});}"
    "}catch(x){console.error(d.id,x);}});})();"
)

#: CSS of the chart blocks (added to each page's style sheet).
CHART_CSS = """
figure.figure{margin:.6rem 0}figure.figure figcaption{font-size:.9rem}
figure.figure figcaption .fig-title{font-weight:600;display:block}
.switch{display:flex;flex-wrap:wrap;gap:.3rem;margin:.4rem 0}
.switch button{font:inherit;font-size:.85rem;padding:.25rem .6rem;border:1px solid #59636e;border-radius:4px;
background:#fff;color:#1f2328;cursor:pointer}
.switch button[aria-pressed=true]{background:#0a558c;color:#fff;border-color:#0a558c}
.switch button:focus-visible,a:focus-visible,summary:focus-visible,.scroll:focus-visible{outline:3px solid #b35900;outline-offset:2px}
table caption{text-align:left;font-weight:600;padding:.2rem 0}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem;z-index:9}
"""


def e(value: object) -> str:
    """Escape any text for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def embeddable_asset(name: str, what: str) -> str:
    """A packaged file of ``reports/assets`` that can be inlined in a ``<script>`` element.

    Raises :class:`AuditorError` (``what`` names it) when it is missing or could close the element.
    """
    try:
        text = resources.files("reports").joinpath("assets", name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise AuditorError(f"the packaged {what} reports/assets/{name} is missing: {exc}") from None
    if "</script" in text.lower() or "<!--" in text:
        raise AuditorError(f"reports/assets/{name} cannot be embedded in a <script> element")
    return text


@lru_cache(maxsize=1)
def locale_fr_js() -> str:
    """plotly.js's French locale (CommonJS module from ``plotly.js-locales``) registered with Plotly."""
    module = embeddable_asset(LOCALE_ASSET, "locale")
    return "(function(){var module={exports:{}};" + module + "\nPlotly.register(module.exports);})();"


def boot_script(lang: str) -> str:
    """The page's script: the French locale first when ``lang`` is ``fr``, the charts, then the
    tables filled on demand (:mod:`reports.lazy`)."""
    from reports.lazy import LAZY_JS

    return ((locale_fr_js() + "\n" + BOOT_JS) if lang == "fr" else BOOT_JS) + LAZY_JS


def _json_for_script(value: str) -> str:
    return (value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _plain(value: object) -> str:
    """Plot text back to plain text (figures entity-escape inventory text for plotly.js)."""
    return html.unescape(str(value))


def figure_views(fig: go.Figure) -> list[tuple[str, list[str], list[tuple[str, list]]]]:
    """The data a figure shows: ``[(view label, row labels, [(series name, values)])]``.

    One view per criterion button (``updatemenus``), else one view. Horizontal bars read their
    categories from ``y``; other traces from ``x``.
    """
    traces = list(fig.data)
    names = [_plain(t.name) if t.name else "" for t in traces]

    def view(xs: list, ys: list) -> tuple[list[str], list[tuple[str, list]]]:
        rows: list[str] = []
        series = []
        for trace, x, y, name in zip(traces, xs, ys, names, strict=True):
            horizontal = getattr(trace, "orientation", None) == "h"
            keys, values = (y, x) if horizontal else (x, y)
            keys = [] if keys is None else [_plain(k) for k in keys]
            values = [] if values is None else list(values)
            for key in keys:
                if key not in rows:
                    rows.append(key)
            series.append((name, dict(zip(keys, values, strict=False))))
        return rows, [(name, [data.get(r) for r in rows]) for name, data in series]

    menus = fig.layout.updatemenus
    if menus and menus[0].buttons:
        out = []
        for button in menus[0].buttons:
            update = button.args[0] if button.args else {}
            xs = update.get("x", [t.x for t in traces])
            ys = update.get("y", [t.y for t in traces])
            rows, series = view(list(xs), list(ys))
            out.append((_plain(button.label), rows, series))
        return out
    rows, series = view([t.x for t in traces], [t.y for t in traces])
    return [("", rows, series)]


def _data_tables(views, labels: Labels, title: str) -> str:
    parts = []
    for label, rows, series in views:
        shown = [(n, v) for n, v in series if any(x is not None for x in v)]
        head = f'<th scope="col">{e(text(labels, "fig_row"))}</th>' + "".join(
            f'<th scope="col" class="num">{e(n or text(labels, "fig_value"))}</th>' for n, _ in shown)
        body = []
        for i, row in enumerate(rows):
            cells = "".join(
                f'<td class="num">{e(labels.number(v[i]) if isinstance(v[i], int | float) else v[i] or "")}</td>'
                for _, v in shown)
            body.append(f'<tr><th scope="row">{e(row)}</th>{cells}</tr>')
        caption = f"{title} – {label}" if label else title
        parts.append(f'<div class="scroll" tabindex="0" role="region" aria-label="{e(caption)}">'
                     f'<table class="compact"><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>'
                     f"<tbody>{''.join(body)}</tbody></table></div>")
    return "".join(parts)


def describe(views, labels: Labels) -> str:
    """One sentence that says what the first view of a chart shows (its text alternative)."""
    label, rows, series = views[0]
    if not rows or not series:
        return text(labels, "fig_empty")
    totals = []
    for i, row in enumerate(rows):
        values = [v[i] for _, v in series if isinstance(v[i], int | float)]
        totals.append((sum(values), row))
    largest = max(totals, key=lambda t: abs(t[0]))
    return text(labels, "fig_describe", n=labels.number(len(rows), 0),
                series=", ".join(n for n, _ in series if n) or text(labels, "fig_value"),
                top=largest[1], value=labels.number(largest[0]))


class Charts:
    """Numbers the chart blocks of one page and builds each one."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.count = 0

    def block(self, fig: go.Figure, title: str, description: str | None = None) -> str:
        """A ``<figure>``: criterion buttons, the chart, its caption (title + words), its data."""
        self.count += 1
        chart_id = f"chart-{self.count}"
        labels = self.labels
        views = figure_views(fig)
        words = description or describe(views, labels)
        switch = ""
        menus = fig.layout.updatemenus
        if menus and menus[0].buttons:
            buttons = "".join(
                f'<button type="button" data-chart="{chart_id}" data-view="{i}" '
                f'aria-pressed="{"true" if i == 0 else "false"}">{e(_plain(b.label))}</button>'
                for i, b in enumerate(menus[0].buttons))
            switch = (f'<div class="switch" role="group" aria-label="{e(text(labels, "fig_switch", title=title))}">'
                      f"{buttons}</div>")
        data = _json_for_script(fig.to_json(validate=False))
        return (
            f'<figure class="figure" aria-labelledby="{chart_id}-caption">{switch}'
            f'<div class="chart" id="{chart_id}"></div>\n'
            f'<script type="application/json" id="{chart_id}-data">{data}</script>'
            f'<figcaption id="{chart_id}-caption"><span class="fig-title">{e(title)}</span>{e(words)}</figcaption>'
            # the data tables load when opened (reports.lazy): the DOM stays small (EcoIndex)
            f'<details class="lazy"><summary>{e(text(labels, "fig_data", title=title))}</summary>'
            f'<div class="fig-data"></div><template data-into="div.fig-data">'
            f"{_data_tables(views, labels, title)}</template></details></figure>"
        )
