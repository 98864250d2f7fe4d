"""The dashboard: one self-contained, offline HTML file built from a results table.

- plotly.js is embedded once (the vendored partial bundle in ``reports/assets``); nothing is
  loaded from the network, and a Content-Security-Policy forbids it (``default-src 'none'``).
- Only the two scripts of the page can run: the policy lists their SHA-256 hashes, so even an
  inventory text that slipped through escaping could not run a script or an ``onerror`` handler.
- Every text that comes from the inventory or results is escaped with :func:`html.escape`;
  figure data travel as JSON in ``<script type="application/json">`` blocks with ``<``, ``>``
  and ``&`` escaped, and labels drawn by plotly.js are entity-escaped (:func:`reports.figures.plot_text`).
- Charts show aggregates (a few dozen bars each), so the page stays small for any estate size.

Panels that need columns or data made by other parts (scores, obsolescence, recommendations,
probe samples) show a one-line "not available" note when those are absent.
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InputError
from auditor.results import total_column
from auditor.summary import totals as summary_totals
from factors.tables import FactorLibrary
from reports import figures
from reports.i18n import PER_CAPITA_UNITS, REPORT_CRITERIA, TOTAL_UNITS, Labels
from reports.lazy import lazy_details
from reports.opendata import factors_used, readable_mode, split_sources
from reports.page import CHART_CSS, Charts, boot_script, e, embeddable_asset
from reports.page_i18n import action_title
from reports.page_i18n import text as page_text
from reports.web_panel import web_panel

PLOTLY_ASSET = "plotly-basic.min.js"
#: Columns every results table must have for the dashboard.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "id", "category", "quantity", "lifetime_years", "energy_source", "energy_kwh_per_year",
    "energy_kwh_per_year_low", "energy_kwh_per_year_high",
    *(total_column(c, b) for c in ("gwp", "water", "adpe", "pe") for b in ("", "low", "high")),
)
#: Grade columns drawn in the scores panel, when present.
GRADE_COLUMNS: tuple[str, ...] = ("sobriety_grade", "repairability_grade")
#: Column of the results contract saying whether a Windows 10 (or older) PC can move to Windows 11,
#: and its value for PCs that cannot (auditor.scoring.obsolescence).
WIN11_COLUMN, WIN11_INELIGIBLE = "win11_eligibility", "ineligible"
TOP_ITEMS = 15
#: Probe energy sources that meter the whole machine (auditor.measurements.METERED).
METERED_SOURCES: tuple[str, ...] = ("hwmon", "battery")
PLOTLY_CONFIG = ('{"displaylogo":false,"responsive":true,"modeBarButtons":[["toImage"]],'
                 '"toImageButtonOptions":{"format":"png","scale":2}}')


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The vendored plotly.js bundle (read once)."""
    return embeddable_asset(PLOTLY_ASSET, "chart library")


def check_results(results: pd.DataFrame, where: str = "results") -> None:
    """Raise :class:`InputError` when ``results`` lacks columns the dashboard needs."""
    missing = [c for c in REQUIRED_COLUMNS if c not in results.columns]
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise InputError(f"{where}: not a results table; missing column(s) {shown} (see docs/results.md)")


def _json_for_script(text: str) -> str:
    """JSON made safe inside a ``<script>`` element (no ``<``, ``>``, ``&``, line separators)."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Charts(Charts):
    """Collects figures as accessible chart blocks (:class:`reports.page.Charts`)."""

    def div(self, fig, label: str) -> str:
        return self.block(fig, label)


def _note(text: str) -> str:
    return f'<p class="note">{e(text)}</p>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool] | None = None,
           raw: bool = False, css: str = "") -> str:
    """An HTML table; cells are escaped unless ``raw`` (cells already HTML)."""
    numeric = numeric or [False] * len(headers)
    head = "".join(f'<th scope="col"{" class=num" if n else ""}>{e(h)}</th>'
                   for h, n in zip(headers, numeric, strict=True))
    body = []
    for row in rows:
        cells = "".join(f'<td{" class=num" if n else ""}>{c if raw else e(c)}</td>'
                        for c, n in zip(row, numeric, strict=True))
        body.append(f"<tr>{cells}</tr>")
    cls = f' class="{css}"' if css else ""
    return (f'<div class="scroll" tabindex="0"><table{cls}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{e(title)}</h2>\n{body}\n</section>'


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


# -- panels --------------------------------------------------------------------------------------

def _headline(results: pd.DataFrame, labels: Labels, inhabitants: int | None, agents: int | None) -> str:
    table = summary_totals(results)
    cards = []
    for criterion in REPORT_CRITERIA:
        row = table.loc[criterion]
        divisor, unit = TOTAL_UNITS[criterion]
        unit_year = labels("unit_per_year", unit=unit)
        lines = [
            f'<div class="label">{e(labels.criterion(criterion))}</div>',
            f'<div class="value">{e(labels.number(row["value"] / divisor))} <span class="unit">{e(unit_year)}</span></div>',
            f'<div class="range">{e(labels("range", low=labels.number(row["low"] / divisor), high=labels.number(row["high"] / divisor)))}</div>',
        ]
        if criterion != "energy" and row["embodied_share"] == row["embodied_share"]:
            lines.append(f'<div class="small">{e(labels("embodied_share", share=labels.percent(row["embodied_share"])))}</div>')
        per_divisor, per_unit = PER_CAPITA_UNITS[criterion]
        for count, key in ((inhabitants, "per_inhabitant"), (agents, "per_agent")):
            if count:
                value = row["value"] / count / per_divisor
                lines.append(f'<div class="small">{e(labels(key, value=labels.number(value), unit=per_unit, n=labels.number(count, 0)))}</div>')
        lines.append(f'<div class="small muted">{e(labels("crit_long_" + criterion))}</div>')
        cards.append(f'<div class="card">{"".join(lines)}</div>')
    return f'<p>{e(labels("intro_headline"))}</p>\n<div class="cards">{"".join(cards)}</div>'


def _category_table(results: pd.DataFrame, labels: Labels) -> str:
    key = figures.map_unique(results["category"], str)
    data = {"devices": results["quantity"].astype(float).to_numpy()}
    for criterion in REPORT_CRITERIA:
        embodied, use = figures.annual_parts(results, criterion)
        data[criterion] = (embodied + use).to_numpy() / TOTAL_UNITS[criterion][0]
    frame = pd.DataFrame(data, index=key).groupby(level=0).sum().sort_values("gwp", ascending=False)
    headers = [labels("col_category"), labels("devices_cap")] + [
        f"{labels.criterion(c)} ({labels('unit_per_year', unit=TOTAL_UNITS[c][1])})" for c in REPORT_CRITERIA]
    rows = [[labels.category(name), labels.number(row["devices"], 0)] + [labels.number(row[c]) for c in REPORT_CRITERIA]
            for name, row in frame.iterrows()]
    total = frame.sum()
    rows.append([labels("col_total"), labels.number(total["devices"], 0)] + [labels.number(total[c]) for c in REPORT_CRITERIA])
    return _table(headers, rows, [False] + [True] * (len(headers) - 1), css="compact")


def _has_values(results: pd.DataFrame, column: str) -> bool:
    if column not in results:
        return False
    return any(_text(v).strip() for v in pd.unique(results[column].dropna()))


def _breakdown(results: pd.DataFrame, by: str, labels: Labels, charts: _Charts, title_key: str) -> str:
    if by != "category" and not _has_values(results, by):
        return _note(labels("not_available", what=labels(f"w_{by}")))
    parts = [f'<p>{e(labels("intro_breakdown"))}</p>']
    if by == "site":
        parts.append(f'<p class="small muted">{e(labels("intro_site"))}</p>')
    parts.append(charts.div(figures.breakdown_figure(results, by, labels), labels(title_key)))
    if by == "category":
        parts.append(_category_table(results, labels))
    return "\n".join(parts)


def _top_items(results: pd.DataFrame, labels: Labels) -> str:
    column = total_column("gwp")
    top = results.nlargest(TOP_ITEMS, column)
    rows = []
    for _, row in top.iterrows():
        name = _text(row.get("name")) or _text(row.get("id"))
        rows.append([
            name, labels.category(row["category"]), _text(row.get("department")), _text(row.get("site")),
            labels.number(row["quantity"], 0), labels.number(row[column]),
            labels.number(row["energy_kwh_per_year"]), labels.energy_source(row["energy_source"]),
        ])
    headers = [labels(k) for k in ("col_item", "col_category", "col_department", "col_site", "col_quantity",
                                   "col_gwp", "col_energy", "col_energy_source")]
    numeric = [False, False, False, False, True, True, True, False]
    return f'<p>{e(labels("intro_top", n=len(top)))}</p>\n' + _table(headers, rows, numeric)


def _scores(results: pd.DataFrame, labels: Labels, charts: _Charts) -> str:
    present = [c for c in GRADE_COLUMNS if _has_values(results, c)]
    if not present:
        return _note(labels("not_available", what=labels("w_scores", columns=", ".join(GRADE_COLUMNS))))
    divs = [charts.div(figures.grade_figure(results, c, labels), labels(f"score_{c}")) for c in present]
    return f'<p>{e(labels("intro_scores"))}</p>\n<div class="grid2">' + "".join(
        f"<div>{d}</div>" for d in divs) + "</div>"


def _stranded_mask(results: pd.DataFrame) -> np.ndarray:
    """PCs that cannot run Windows 11 and whose Windows release's support is ending or over (the
    obsolescence score then sets ``replacement_due``); all ineligible PCs when that column is absent."""
    values = results[WIN11_COLUMN].astype(object).to_numpy()
    if not len(values):
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    per = np.array([str(v).strip().lower() == WIN11_INELIGIBLE for v in uniques] + [False], dtype=bool)
    hit = per[np.where(codes < 0, len(uniques), codes)]
    if "replacement_due" in results:
        hit &= pd.to_datetime(results["replacement_due"], errors="coerce").notna().to_numpy()
    return hit


def windows10_stranded(results: pd.DataFrame) -> float | None:
    """Number of devices (PCs) on Windows 10 or older that cannot run Windows 11; None when unknown.

    Read from the structured columns of the results contract, never from reason texts:
    ``win11_eligibility`` is ``ineligible`` (CPU, memory, storage or TPM below Windows 11's floor) and
    ``replacement_due`` is set (its Windows release's support is ending or over).
    """
    if WIN11_COLUMN not in results:
        return None
    return float(results.loc[_stranded_mask(results), "quantity"].astype(float).sum())


def _obsolescence(results: pd.DataFrame, labels: Labels, charts: _Charts, today: date) -> str:
    """Two questions kept apart: hardware at risk, and the software upkeep to do."""
    hardware = []
    if _has_values(results, "obsolescence_level"):
        hardware.append(f'<p>{e(labels("intro_hardware"))}</p>')
        hardware.append(charts.div(figures.grade_figure(results, "obsolescence_level", labels),
                                   labels("score_obsolescence_level")))
    stranded = windows10_stranded(results)
    if stranded is not None:
        if stranded:
            hit = _stranded_mask(results)
            per = results.loc[hit].groupby(figures.group_keys(results.loc[hit], "category", labels))[
                "quantity"].sum().sort_values(ascending=False)
            detail = ", ".join(f"{name} {labels.number(n, 0)}" for name, n in per.items())
            text = labels("stranded", n=labels.number(stranded, 0), detail=detail)
        else:
            text = labels("stranded_none")
        hardware.append(f'<p class="keyfact">{e(text)}</p>')
    if _has_values(results, "replacement_due"):
        timeline = figures.obsolescence_timeline(results, pd.Timestamp(today), labels)
        if not timeline.empty:
            hardware.append(f'<p>{e(labels("intro_forced"))}</p>')
            hardware.append(charts.div(figures.obsolescence_figure(timeline, labels), labels("sec_obsolescence")))
    upkeep = []
    if _has_values(results, "software_status"):
        status = results["software_status"].astype(object).to_numpy()
        quantity = results["quantity"].astype(float).to_numpy()
        count = {k: labels.number(float(quantity[status == k].sum()), 0)
                 for k in ("update_due", "upgrade_due", "extended_support", "unsupported")}
        upkeep.append(f'<p>{e(labels("intro_upkeep"))}</p>')
        upkeep.append(f'<p class="keyfact">{e(labels("upkeep_counts", update=count["update_due"], upgrade=count["upgrade_due"], extended=count["extended_support"], unsupported=count["unsupported"]))}</p>')
        upkeep.append(charts.div(figures.grade_figure(results, "software_status", labels),
                                 labels("score_software_status")))
    if not hardware and not upkeep:
        return _note(labels("not_available", what=labels("w_obsolescence")))
    parts = []
    if hardware:
        parts.append(f'<h3>{e(labels("sec_hardware"))}</h3>\n' + "\n".join(hardware))
    if upkeep:
        parts.append(f'<h3>{e(labels("sec_upkeep"))}</h3>\n' + "\n".join(upkeep))
    return "\n".join(parts)


def probe_profile(samples: pd.DataFrame, working_hours: tuple[int, int] = (8, 19)) -> tuple[pd.DataFrame, dict]:
    """Hourly profile of probe records and the time machines were on outside working hours.

    Parameters
    ----------
    samples
        Probe records (:func:`auditor.measurements.read_samples`): ``host``, ``t`` (end of the
        interval) [s since the epoch], ``dt`` (interval length) [s], optional ``e_j`` (energy
        over the interval) [J], ``src`` (energy source) and ``tz`` (UTC offset of the host's local
        time) [s]. A record means the host was on. Only energy from a whole-machine meter
        (``src`` in :data:`METERED_SOURCES`) counts as power; RAPL covers the CPU and memory only.
    working_hours
        (start, end) local hours of the working day, Monday to Friday [h].

    Returns
    -------
    (pandas.DataFrame, dict)
        Profile with columns ``working_day``, ``hour``, ``power_w`` (mean power of the probed
        machines together, when energy was measured) [W] and ``machines_on`` (mean number of
        machines on); summary with ``hosts``, ``hours_outside`` [h], ``energy_share_outside``
        (0–1, NaN without energy). Each record counts at its midpoint.
    """
    start, end = working_hours
    t = pd.to_numeric(samples["t"], errors="coerce").to_numpy(float)
    dt = pd.to_numeric(samples["dt"], errors="coerce").to_numpy(float)
    tz = pd.to_numeric(samples["tz"], errors="coerce").fillna(0.0).to_numpy(float) if "tz" in samples else 0.0
    energy = (pd.to_numeric(samples["e_j"], errors="coerce").to_numpy(float) if "e_j" in samples
              else np.full(len(samples), np.nan))
    if "src" in samples:  # RAPL counts the CPU and memory only: not the machine's power
        energy = np.where(samples["src"].astype(str).isin(METERED_SOURCES).to_numpy(), energy, np.nan)
    ok = np.isfinite(t) & np.isfinite(dt) & (dt > 0)
    t, dt, energy = t[ok], dt[ok], energy[ok]
    tz = tz[ok] if isinstance(tz, np.ndarray) else tz
    local = pd.to_datetime(t - dt / 2 + tz, unit="s")
    hour = np.asarray(local.hour)
    working_day = np.asarray(local.day_of_week) < 5
    inside = working_day & (hour >= start) & (hour < end)
    day = np.asarray(local.normalize())
    frame = pd.DataFrame({"working_day": working_day, "hour": hour, "dt": dt,
                          "e_j": np.nan_to_num(energy), "day": day})
    days = frame.groupby("working_day")["day"].nunique()
    grouped = frame.groupby(["working_day", "hour"], as_index=False)[["dt", "e_j"]].sum()
    n_days = grouped["working_day"].map(days).to_numpy(float)
    grouped["machines_on"] = grouped["dt"] / (3600.0 * n_days)
    measured = np.isfinite(energy).any()
    grouped["power_w"] = grouped["e_j"] / (3600.0 * n_days) if measured else np.nan
    total_energy = np.nansum(energy)
    summary = {
        "hosts": int(samples.loc[ok, "host"].nunique()) if "host" in samples else 0,
        "hours_outside": float(dt[~inside].sum() / 3600.0),
        "energy_share_outside": float(np.nansum(energy[~inside]) / total_energy) if total_energy > 0 else float("nan"),
    }
    return grouped[["working_day", "hour", "power_w", "machines_on"]], summary


def _energy_profile(samples: pd.DataFrame | None, labels: Labels, charts: _Charts,
                    working_hours: tuple[int, int]) -> str:
    if samples is None or len(samples) == 0:
        return _note(labels("not_available", what=labels("w_probes")))
    profile, summary = probe_profile(samples, working_hours)
    if profile.empty:
        return _note(labels("not_available", what=labels("w_probes")))
    hours = f"{working_hours[0]:02d}:00–{working_hours[1]:02d}:00"
    parts = [f'<p>{e(labels("intro_energy_profile", hours=hours))}</p>']
    share = summary["energy_share_outside"]
    key = "outside_hours" if share == share else "outside_hours_no_energy"
    parts.append('<p class="keyfact">' + e(labels(
        key, hosts=labels.number(summary["hosts"], 0), hours=labels.number(summary["hours_outside"], 0),
        share=labels.percent(share))) + "</p>")
    parts.append(charts.div(figures.energy_profile_figure(profile, labels, working_hours),
                            labels("sec_energy_profile")))
    return "\n".join(parts)


def _devices(row: pd.Series, labels: Labels) -> str:
    """Devices an action touches: ``devices`` (sum of quantity), else ``item_count``, else ``items``."""
    for key in ("devices", "item_count"):
        value = row.get(key)
        if isinstance(value, int | float) and value == value:
            return labels.number(value, 0)
    items = row.get("items")
    if isinstance(items, list | tuple | set | np.ndarray):
        return labels.number(len(items), 0)
    return _text(items)


_SAVINGS = ("savings_kwh_per_year", "savings_kgco2e_per_year", "savings_water_m3_per_year",
            "savings_adpe_kgsbeq_per_year", "savings_pe_mj_per_year")


def _recommendations(recommendations: list[dict] | None, error: str | None, need_inventory: bool,
                     labels: Labels, charts: _Charts) -> str:
    if error:
        return _note(labels("recommendations_error", error=error))
    if recommendations is None:
        what = "w_recommendations_inventory" if need_inventory else "w_recommendations"
        return _note(labels("not_available", what=labels(what)))
    if not recommendations:
        return _note(labels("none_found"))
    frame = pd.DataFrame(recommendations)
    for column in _SAVINGS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else np.nan
    frame["label"] = [_text(t) or _text(a) for t, a in zip(frame.get("title", pd.Series([None] * len(frame))),
                                                           frame.get("action", pd.Series([None] * len(frame))),
                                                           strict=True)]
    if "action" in frame:  # titles in the page's language, by action key
        frame["label"] = [action_title(labels, a, t) for a, t in zip(frame["action"], frame["label"], strict=True)]
    frame = frame.sort_values("savings_kgco2e_per_year", ascending=False, na_position="last")
    rows = [[row["label"], _devices(row, labels), *(labels.number(row[c]) for c in _SAVINGS),
             _text(row.get("explanation"))] for _, row in frame.iterrows()]
    headers = [labels(k) for k in ("col_action", "col_items", "col_savings_kwh", "col_savings_gwp",
                                   "col_savings_water", "col_savings_adpe", "col_savings_pe", "col_explanation")]
    parts = [f'<p>{e(labels("intro_recommendations"))}</p>',
             charts.div(figures.recommendations_figure(frame.assign(action=frame["label"]), labels),
                        labels("sec_recommendations")),
             _table(headers, rows, [False, True, True, True, True, True, True, False])]
    return "\n".join(parts)


def _quality(results: pd.DataFrame, labels: Labels, charts: _Charts) -> str:
    parts = [f'<p>{e(labels("intro_quality"))}</p>',
             charts.div(figures.data_quality_figure(results, labels), labels("sec_quality"))]
    if "filled_specs" in results:
        filled = figures.map_unique(results["filled_specs"], lambda v: _text(v).strip() != "").astype(bool)
        parts.append(f'<p>{e(labels("filled_specs", share=labels.percent(float(filled.mean()) if len(filled) else 0.0)))}</p>')
    return "\n".join(parts)


def _bound_basis(results: pd.DataFrame, labels: Labels, library: FactorLibrary | None) -> str:
    """Share of each total whose bounds rest on sources, a formula or a calibration (issue 17)."""
    from auditor.bound_basis import bound_basis_html, bound_basis_shares
    from factors.tables import default_library

    if not {"category", "country", "lifetime_years"} <= set(results.columns):
        return ""  # a reduced results table (no per-row provenance): no panel
    try:
        shares = bound_basis_shares(results, library or default_library())
    except KeyError:  # results made with a country the library does not know
        return ""
    html = "\n" + bound_basis_html(shares, labels.lang, labels.criterion, e, labels.percent)
    if "method_spread" in results.attrs:  # auditor assess/report --compare-methods
        from auditor.methods import method_spread_html

        html += "\n" + method_spread_html(results.attrs["method_spread"], labels.lang, labels.criterion, e)
    return html


def _url_link(url: str) -> str:
    if re.match(r"^https?://[^\s\"'<>]+$", url):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>'
    return e(url)


def _methodology(results: pd.DataFrame, labels: Labels, library: FactorLibrary | None) -> str:
    parts = [f"<p>{e(labels(k))}</p>" for k in ("method_text_1", "method_text_2", "method_text_3")]
    factors, missing = factors_used(results, library)
    references: dict[str, int] = {}
    ref_urls: dict[str, str] = {}
    rows = []
    for row in factors.itertuples(index=False):
        numbers = []
        for citation, url in split_sources(row.source, row.source_url):
            if citation not in references:
                references[citation] = len(references) + 1
                ref_urls[citation] = url
            numbers.append(references[citation])
        refs = ", ".join(f'<a href="#ref-{n}">[{n}]</a>' for n in numbers)
        rows.append([f"<code>{e(row.id)}</code>", e(row.table), e(row.value),
                     f"{e(row.low)} – {e(row.high)}", e(row.unit), e(row.year), refs])
    headers = [labels(k) for k in ("col_id", "col_table", "col_value", "col_bounds", "col_unit", "col_year",
                                   "col_source")]
    parts.append(lazy_details(labels("factors_used", n=len(factors)),  # rows load on open (DOM size)
                              _table(headers, rows, [False, False, True, True, False, True, False], raw=True,
                                     css="compact")))
    if missing:
        parts.append(_note(labels("missing_factors", ids=", ".join(missing))))
    items = "".join(
        f'<li id="ref-{n}">{e(citation)}' + (f"<br>{_url_link(ref_urls[citation])}" if ref_urls[citation] else "")
        + "</li>"
        for citation, n in references.items())
    parts.append(f'<h3>{e(labels("references"))}</h3>'
                 + lazy_details(f'{labels("references")} ({len(references)})', f'<ol class="refs">{items}</ol>', "ol"))
    return "\n".join(parts)


# -- page ----------------------------------------------------------------------------------------

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--soft:#f6f8fa;--accent:#0072B2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
body>header,body>nav,main,body>footer{max-width:1120px;margin:0 auto;padding:0 1rem}
body>header{padding-top:1.5rem}main{padding-bottom:3rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;margin:2.2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
nav ol{columns:3;margin:.6rem 0;padding-left:1.2rem}nav a{color:var(--accent)}
.subtitle,.muted{color:var(--muted)}.small{font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.7rem .9rem;background:var(--soft)}
.card .label{font-weight:600}.card .value{font-size:1.5rem;font-weight:650}.card .unit{font-size:.9rem;font-weight:400}
.card .range{font-size:.85rem;color:var(--muted)}
.note{color:var(--muted);font-style:italic}.keyfact{font-weight:600}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:var(--soft)}td.num,th.num{text-align:right}td.num{white-space:nowrap}
.scroll{overflow-x:auto}
table.compact{font-size:.8rem}tbody tr:last-child td{border-bottom:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
.chart{width:100%;min-height:180px}
details summary{cursor:pointer;color:var(--accent)}ol.refs{font-size:.82rem}ol.refs li{margin:.25rem 0}
code{font-size:.8rem}footer{margin-top:3rem;font-size:.8rem;color:var(--muted)}
@media print{nav{display:none}section{break-inside:avoid-page}.chart{break-inside:avoid}details>*{display:block}}
""" + CHART_CSS



def _review_section(review, indicators, has_targets: bool, labels: Labels, charts: _Charts) -> list:
    """The annual-review section (``auditor report --baseline``), or nothing."""
    if review is None:
        return []
    from reports.review_page import review_section

    return [("review", "page:r_title", review_section(review, indicators if indicators is not None else
                                                      pd.DataFrame(), labels, charts, has_targets))]


def _title(labels: Labels, key: str) -> str:
    return page_text(labels, key[5:]) if key.startswith("page:") else labels(key)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("sobriety-auditor")
    except Exception:  # noqa: BLE001 - an uninstalled checkout has no metadata
        return "dev"


def build_dashboard(
    results: pd.DataFrame,
    *,
    lang: str = "en",
    inhabitants: int | None = None,
    agents: int | None = None,
    assessment_date: date | None = None,
    recommendations: list[dict] | None = None,
    recommendations_error: str | None = None,
    recommendations_need_inventory: bool = False,
    samples: pd.DataFrame | None = None,
    working_hours: tuple[int, int] = (8, 19),
    library: FactorLibrary | None = None,
    title: str | None = None,
    web_pages: list[dict] | None = None,
    review=None,
    review_indicators: pd.DataFrame | None = None,
    review_has_targets: bool = False,
) -> str:
    """The dashboard of a results table, as one self-contained HTML document (a string).

    Parameters
    ----------
    results
        A results table (:mod:`auditor.results`), with optional score columns.
    lang
        ``"en"`` or ``"fr"``.
    inhabitants, agents
        Population and staff, for per-inhabitant and per-agent figures.
    recommendations
        Output of ``auditor.recommend.recommend`` (None: panel says not available).
    recommendations_error, recommendations_need_inventory
        Why there are none: the module failed (shown), or the input was a results file (they
        re-assess inventory rows, so they need the inventory).
    samples
        Probe records (see :func:`probe_profile`), or None.
    working_hours
        (start, end) hours of the working day for the probe panel [h].
    review, review_indicators, review_has_targets
        A year-over-year review (:func:`auditor.review.review`) and its evaluated indicators
        (``auditor report --baseline``): shown as the section "Annual review" when given.
    """
    check_results(results)
    if results.empty:
        raise InputError("the results table has no rows; nothing to report")
    labels = Labels(lang)
    today = assessment_date or date.today()
    charts = _Charts(labels)
    devices = float(results["quantity"].astype(float).sum())
    sections = [
        ("headline", "sec_headline", _headline(results, labels, inhabitants, agents)),
        *_review_section(review, review_indicators, review_has_targets, labels, charts),
        ("embodied-use", "sec_embodied_use",
         f'<p>{e(labels("intro_embodied_use"))}</p>'
         + charts.div(figures.embodied_use_figure(summary_totals(results), labels), labels("sec_embodied_use"))),
        ("category", "sec_category", _breakdown(results, "category", labels, charts, "sec_category")),
        ("department", "sec_department", _breakdown(results, "department", labels, charts, "sec_department")),
        ("site", "sec_site", _breakdown(results, "site", labels, charts, "sec_site")),
        ("top", "sec_top", _top_items(results, labels)),
        ("recommendations", "sec_recommendations",
         _recommendations(recommendations, recommendations_error, recommendations_need_inventory, labels,
                          charts)),
        ("scores", "sec_scores", _scores(results, labels, charts)),
        ("obsolescence", "sec_obsolescence", _obsolescence(results, labels, charts, today)),
        ("energy-profile", "sec_energy_profile", _energy_profile(samples, labels, charts, working_hours)),
        ("web", "sec_web", web_panel(results, web_pages, labels.lang, _table, charts.div, labels.number)),
        ("quality", "sec_quality", _quality(results, labels, charts) + _bound_basis(results, labels, library)),
        ("method", "sec_method", _methodology(results, labels, library)),
    ]
    page_title = title or labels("title")
    date_text = figures.labels_date(pd.Timestamp(today), labels)
    subtitle = labels("subtitle", rows=labels.number(len(results), 0), devices=labels.number(devices, 0),
                      date=date_text, version=_version())
    nav = "".join(f'<li><a href="#{key}">{e(_title(labels, title_key))}</a></li>' for key, title_key, _ in sections)
    body = "\n".join(_section(key, _title(labels, title_key), content) for key, title_key, content in sections)
    js = plotly_js()
    boot = boot_script(labels.lang)  # charts, then long tables filled on demand
    csp = ("default-src 'none'; script-src " + f"'{_sha256(js)}' '{_sha256(boot)}'"
           + "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'")
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{e(labels("lang_attr"))}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # constants and base64 only
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sobriety-auditor">',
        f"<title>{e(page_title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#content">{e(page_text(labels, "skip"))}</a>',
        f"<header><h1>{e(page_title)}</h1><p class=\"subtitle\">{e(subtitle)}</p></header>",
        f'<nav aria-label="{e(labels("nav"))}"><ol>{nav}</ol></nav>',
        '<main id="content">',
        body,
        "</main>",
        "<footer>sobriety-auditor · plotly.js (MIT) · offline</footer>",
        f"<script>{js}</script>",
        f"<script>{boot}</script>",
        "</body></html>",
        "",
    ])


def write_dashboard(text: str, path: Path | str) -> Path:
    """Write the HTML to ``path`` atomically (a temporary file moved into place)."""
    path = Path(path)
    if not path.parent.exists():
        raise InputError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder; expected an .html file name")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp_name, readable_mode())
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return path
