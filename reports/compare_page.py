"""The comparison page of ``auditor compare -o page.html``: one offline HTML file, French or English.

Same conventions as the dashboard (:mod:`reports.dashboard`): plotly.js embedded once, a strict
Content-Security-Policy listing the hashes of the page's two scripts, every text escaped, figure
data as JSON in ``<script type="application/json">`` blocks. Figure builders are pure
(comparison in, plotly Figure out); the page never recomputes a footprint.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import plotly.graph_objects as go

from auditor.compare import COMPARE_CRITERIA, Comparison
from reports.dashboard import (
    _CSS,
    _Charts,
    _note,
    _section,
    _sha256,
    _table,
    _version,
    e,
    plotly_js,
)
from reports.figures import SERIES_COLOURS, _layout, plot_text
from reports.i18n import Labels
from reports.page import boot_script
from reports.page_i18n import text as page_text

PART_COLOURS = {"manufacture": "#D55E00", "use": "#0072B2", "repairs": "#009E73"}
UNITS = {"energy": "kWh", "gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq", "pe": "MJ"}

#: Labels of the page; both languages have the same keys (a test checks it).
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Comparison of equipment options",
        "subtitle": "{n} options over {years} years, electricity of {country}, ranked by {rank_by}; {date}; "
                    "sobriety-auditor {version}.",
        "sec_ranking": "Ranking", "sec_parts": "Manufacture, use or repairs?", "sec_cumulative": "Over the years",
        "sec_notes": "Notes and method",
        "col_rank": "#", "col_option": "Option", "col_total": "Total {unit}", "col_range": "Range",
        "col_energy": "Electricity kWh", "col_water": "Water m3", "col_adpe": "ADPe kgSbeq", "col_pe": "Primary MJ",
        "col_cost": "Cost", "col_repl": "Replacements", "col_break_even": "Break-even", "col_share": "Manufacture",
        "manufacture": "Manufacture", "use": "Use", "repairs": "Repairs",
        "crit_energy": "Electricity", "crit_gwp": "Greenhouse gases", "crit_water": "Water",
        "crit_adpe": "Rare materials (ADPe)", "crit_pe": "Primary energy",
        "years": "years", "cumulative": "Cumulative greenhouse gases (kgCO2e)",
        "break_even_at": "break-even {option}: {years} y", "reference": "reference",
        "years_short": "{years} y", "beyond": "beyond 50 y",
        "intro_parts": "Each bar is an option's total over the horizon, split into the manufacture of the devices "
                       "it buys (the last one prorated; none for a device already owned), their use and their "
                       "repairs. Whiskers: the range from low to high factors.",
        "intro_cumulative": "Greenhouse gases as they add up: each device's manufacture when it is bought, repairs "
                            "when done, use as it goes. A dotted line marks where a new option's lower use has "
                            "paid back its manufacture against the device already owned. A device bought near the end counts "
                            "whole here, while the totals above count only the years it serves in the horizon, "
                            "so a curve can end above its total.",
        "no_break_even": "No option pays back its manufacture within the horizon.",
        "method": "Every option is assessed by the footprint engine (same factors as auditor assess). Repairs use "
                  "cited part footprints (factors/data/repairs.csv); refurbished devices carry a cited share of "
                  "a new one's manufacture (factors/data/refurbished.csv). Full method: docs/compare.md.",
        "notes_of": "{option}: {note}",
    },
    "fr": {
        "title": "Comparaison d'options d'équipement",
        "subtitle": "{n} options sur {years} ans, électricité : {country}, classées par {rank_by} ; {date} ; "
                    "sobriety-auditor {version}.",
        "sec_ranking": "Classement", "sec_parts": "Fabrication, usage ou réparations ?",
        "sec_cumulative": "Au fil des années", "sec_notes": "Notes et méthode",
        "col_rank": "#", "col_option": "Option", "col_total": "Total {unit}", "col_range": "Fourchette",
        "col_energy": "Électricité kWh", "col_water": "Eau m3", "col_adpe": "ADPe kgSbeq",
        "col_pe": "Énergie primaire MJ", "col_cost": "Coût", "col_repl": "Remplacements",
        "col_break_even": "Retour", "col_share": "Fabrication",
        "manufacture": "Fabrication", "use": "Usage", "repairs": "Réparations",
        "crit_energy": "Électricité", "crit_gwp": "Gaz à effet de serre", "crit_water": "Eau",
        "crit_adpe": "Matières rares (ADPe)", "crit_pe": "Énergie primaire",
        "years": "années", "cumulative": "Gaz à effet de serre cumulés (kgCO2e)",
        "break_even_at": "retour {option} : {years} ans", "reference": "référence",
        "years_short": "{years} ans", "beyond": "au-delà de 50 ans",
        "intro_parts": "Chaque barre est le total d'une option sur l'horizon, réparti entre la fabrication des "
                       "appareils achetés (le dernier au prorata ; rien pour un appareil déjà possédé), leur "
                       "usage et leurs réparations. Moustaches : la fourchette des facteurs bas et hauts.",
        "intro_cumulative": "Les gaz à effet de serre au fil du temps : la fabrication de chaque appareil à son "
                            "achat, les réparations quand elles sont faites, l'usage au fur et à mesure. Un trait "
                            "pointillé marque le moment où l'usage plus sobre d'une option neuve a compensé sa "
                            "fabrication par rapport à l'appareil déjà possédé. Un appareil acheté vers la fin compte ici en "
                            "entier, alors que les totaux ci-dessus ne comptent que les années qu'il sert dans "
                            "l'horizon : une courbe peut donc finir au-dessus de son total.",
        "no_break_even": "Aucune option ne compense sa fabrication sur l'horizon.",
        "method": "Chaque option est évaluée par le moteur d'empreinte (mêmes facteurs qu'auditor assess). Les "
                  "réparations utilisent des empreintes de pièces citées (factors/data/repairs.csv) ; un "
                  "appareil reconditionné porte une part citée de la fabrication d'un neuf "
                  "(factors/data/refurbished.csv). Méthode complète : docs/compare.md.",
        "notes_of": "{option} : {note}",
    },
}


def _t(lang: str, key: str, **values: object) -> str:
    text = MESSAGES[lang][key]
    return text.format(**values) if values else text


def parts_figure(comparison: Comparison, criterion: str, lang: str = "en") -> go.Figure:
    """Stacked horizontal bars per option: manufacture, use, repairs of ``criterion`` (pure)."""
    labels = Labels(lang)
    ranked = sorted(comparison.results, key=lambda r: r.rank)
    names = plot_text([r.option.label for r in ranked])
    fig = go.Figure(layout=_layout(labels, height=110 + 42 * len(ranked),
                                   xaxis={"title": {"text": f"{_t(lang, 'crit_' + criterion)} ({UNITS[criterion]})"}},
                                   yaxis={"autorange": "reversed"}))
    totals = np.array([r.total(criterion) for r in ranked])
    for i, (part, attr) in enumerate((("manufacture", "manufacture"), ("use", "use"), ("repairs", "repairs"))):
        values = [getattr(r, attr)[criterion][0] for r in ranked]
        bar = {"name": _t(lang, part), "x": values, "y": names, "orientation": "h",
               "marker_color": PART_COLOURS[part],
               "hovertemplate": "%{y}: %{x:.3s}<extra>%{fullData.name}</extra>"}
        if i == 2:  # whiskers at the end of the stack: total low to high
            bar["error_x"] = {"type": "data", "symmetric": False, "array": (totals[:, 2] - totals[:, 0]).tolist(),
                              "arrayminus": (totals[:, 0] - totals[:, 1]).tolist(), "color": "#59636e"}
        fig.add_bar(**bar)
    return fig


def cumulative_figure(comparison: Comparison, lang: str = "en", points_per_year: int = 12) -> go.Figure:
    """Cumulative greenhouse gases of each option over the horizon, break-even points marked (pure)."""
    labels = Labels(lang)
    horizon = comparison.horizon_years
    times = np.linspace(0.0, horizon, int(round(horizon * points_per_year)) + 1)
    fig = go.Figure(layout=_layout(labels, height=380,
                                   xaxis={"title": {"text": _t(lang, "years")}, "range": [0, horizon]},
                                   yaxis={"title": {"text": _t(lang, "cumulative")}, "rangemode": "tozero"}))
    ranked = sorted(comparison.results, key=lambda r: r.rank)
    for i, r in enumerate(ranked):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        fig.add_scatter(x=times.tolist(), y=r.cumulative("gwp", times).tolist(), mode="lines",
                        name=plot_text(r.option.label)[0], line={"color": colour, "shape": "linear"},
                        hovertemplate="%{x:.1f}: %{y:.3s} kgCO2e<extra>%{fullData.name}</extra>")
        be = r.break_even_years
        if be is not None and be <= horizon:
            y = float(r.cumulative("gwp", np.array([be]))[0])
            fig.add_scatter(x=[be], y=[y], mode="markers", showlegend=False,
                            marker={"color": colour, "size": 11, "symbol": "diamond"},
                            hovertemplate=plot_text(_t(lang, "break_even_at", option=r.option.label,
                                                       years=labels.number(be, 1)))[0] + "<extra></extra>")
            fig.add_vline(x=be, line={"color": colour, "dash": "dot", "width": 1})
    return fig


def _ranking_table(c: Comparison, lang: str) -> str:
    labels = Labels(lang)
    crit = "gwp" if c.rank_by == "cost" else c.rank_by
    headers = [_t(lang, "col_rank"), _t(lang, "col_option"), _t(lang, "col_total", unit=UNITS[crit]),
               _t(lang, "col_range"), _t(lang, "col_energy"), _t(lang, "col_water"), _t(lang, "col_adpe"),
               _t(lang, "col_pe"), _t(lang, "col_cost"), _t(lang, "col_repl"), _t(lang, "col_break_even"),
               _t(lang, "col_share")]
    rows = []
    for r in sorted(c.results, key=lambda x: x.rank):
        v, lo, hi = r.total(crit)
        if c.reference == r.option.id:
            be = _t(lang, "reference")
        elif r.break_even_years is None:
            be = "–"
        else:
            be = _t(lang, "years_short", years=labels.number(r.break_even_years, 1))
        share = r.embodied_share
        rows.append([str(r.rank), r.option.label, labels.number(v), f"{labels.number(lo)} – {labels.number(hi)}",
                     labels.number(r.total("energy")[0]), labels.number(r.total("water")[0]),
                     labels.number(r.total("adpe")[0]), labels.number(r.total("pe")[0]),
                     labels.number(r.cost, 0) if r.cost is not None else "–", str(r.replacements), be,
                     labels.percent(share) if share is not None else "–"])
    return _table(headers, rows, numeric=[True, False, *([True] * 10)])


def build_compare_page(comparison: Comparison, *, lang: str = "en", today: date | None = None) -> str:
    """The comparison page as one self-contained HTML document (a string)."""
    if lang not in MESSAGES:
        raise ValueError(f"unknown language {lang!r}; expected en or fr")
    charts = _Charts(Labels(lang))
    c = comparison
    day = (today or date.today()).isoformat()
    bars = "".join(charts.div(parts_figure(c, crit, lang), _t(lang, "crit_" + crit))
                   for crit in COMPARE_CRITERIA if crit != "energy")
    cumulative = charts.div(cumulative_figure(c, lang), _t(lang, "cumulative"))
    if not any(r.break_even_years is not None and r.break_even_years <= c.horizon_years for r in c.results):
        cumulative += _note(_t(lang, "no_break_even"))
    notes = [_t(lang, "notes_of", option=r.option.label, note=n) for r in c.results for n in r.notes]
    notes_html = "<ul>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>" if notes else ""
    sections = [
        ("ranking", "sec_ranking", _ranking_table(c, lang)),
        ("parts", "sec_parts", f"<p>{e(_t(lang, 'intro_parts'))}</p>" + f'<div class="grid2">{bars}</div>'),
        ("cumulative", "sec_cumulative", f"<p>{e(_t(lang, 'intro_cumulative'))}</p>" + cumulative),
        ("notes", "sec_notes", notes_html + f"<p>{e(_t(lang, 'method'))}</p>"),
    ]
    title = c.title or _t(lang, "title")
    subtitle = _t(lang, "subtitle", n=len(c.results), years=f"{c.horizon_years:g}", country=c.country,
                  rank_by=c.rank_by, date=day, version=_version())
    nav = "".join(f'<li><a href="#{key}">{e(_t(lang, t))}</a></li>' for key, t, _ in sections)
    body = "\n".join(_section(key, _t(lang, t), content) for key, t, content in sections)
    js = plotly_js()
    boot = boot_script(lang)
    csp = ("default-src 'none'; script-src " + f"'{_sha256(js)}' '{_sha256(boot)}'"
           + "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{e(lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sobriety-auditor">', f"<title>{e(title)}</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>",
        f'<a class="skip" href="#content">{e(page_text(Labels(lang), "skip"))}</a>',
        f'<header><h1>{e(title)}</h1><p class="subtitle">{e(subtitle)}</p></header>',
        f'<nav aria-label="{e(_t(lang, "sec_ranking"))}"><ol>{nav}</ol></nav>',
        '<main id="content">', body, "</main>",
        "<footer>sobriety-auditor · plotly.js (MIT) · offline</footer>",
        f"<script>{js}</script>", f"<script>{boot}</script>", "</body></html>", "",
    ])
