"""The dashboard's web-services panel: EcoIndex grades, third-party dependence, failed RGESN checks.

Inputs: the ``web_service`` rows of a results table (columns ``web_*`` and ``hosting_*``,
docs/results.md) and, optionally, measured pages (the JSON of ``auditor web measure``) for third
parties and checks. Builders are pure (data in, HTML or a plotly figure out); the panel is one
function, :func:`web_panel`, called by :func:`reports.dashboard.build_dashboard`.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

GRADES = ("A", "B", "C", "D", "E", "F", "G")
#: EcoIndex grade colours (cnumr/ecoindex_reference).
GRADE_COLOURS = ("#349A47", "#51B84B", "#CADB2A", "#F6EB15", "#FECD06", "#F99839", "#ED2124")
TOP_DOMAINS = 10
TOP_SERVICES = 15

_TEXT = {
    "en": {
        "none": "No web service in this inventory (category web_service). Measure pages with "
                "`auditor web measure` and add them as web_service rows.",
        "intro": "{n} web services, {m} with an EcoIndex; {views} page views per year. The yearly "
                 "footprint of visits is EcoIndex GHG and water per view x views; the share of the "
                 "inventory servers they run on ({gwp} kgCO2e/year) is already counted on the servers' "
                 "own rows and is shown here only.",
        "grades": "EcoIndex grades of the web services and measured pages",
        "services": "Web services",
        "col_service": "Service", "col_grade": "Grade", "col_score": "EcoIndex",
        "col_views": "Views/year", "col_gwp": "Visits kgCO2e/year", "col_hosting": "Hosting share kgCO2e/year",
        "col_domain": "Third-party domain", "col_pages": "Pages", "col_requests": "Requests",
        "col_kb": "kB", "col_check": "RGESN criterion", "col_failed": "Pages failing",
        "third": "Third-party dependence: {share} of the {n} requests of {p} measured pages go to other domains.",
        "third_none": "The {p} measured pages make no request to another domain.",
        "checks": "RGESN checks failed most often",
        "checks_none": "No machine-checkable RGESN criterion fails on the {p} measured pages.",
        "no_pages": "Third parties and RGESN checks come from measured pages: `auditor web measure "
                    "URL... -o pages.json`, then `auditor report ... --web-pages pages.json`.",
        "pages": "pages",
        "failed": "{k} of the {n} pages of the measured pages file failed (no EcoIndex, not counted "
                  "below): {first}.",
    },
    "fr": {
        "none": "Aucun service web dans cet inventaire (catégorie web_service). Mesurez des pages avec "
                "`auditor web measure` et ajoutez-les en lignes web_service.",
        "intro": "{n} services web, dont {m} avec un EcoIndex ; {views} pages vues par an. L'empreinte "
                 "annuelle des visites vaut GES et eau EcoIndex par vue x vues ; la part des serveurs de "
                 "l'inventaire qui les hébergent ({gwp} kgCO2e/an) est déjà comptée sur les lignes des "
                 "serveurs et n'est montrée qu'ici.",
        "grades": "Notes EcoIndex des services web et des pages mesurées",
        "services": "Services web",
        "col_service": "Service", "col_grade": "Note", "col_score": "EcoIndex",
        "col_views": "Vues/an", "col_gwp": "Visites kgCO2e/an", "col_hosting": "Part d'hébergement kgCO2e/an",
        "col_domain": "Domaine tiers", "col_pages": "Pages", "col_requests": "Requêtes",
        "col_kb": "ko", "col_check": "Critère RGESN", "col_failed": "Pages en échec",
        "third": "Dépendance aux tiers : {share} des {n} requêtes de {p} pages mesurées vont vers d'autres domaines.",
        "third_none": "Les {p} pages mesurées ne font aucune requête vers un autre domaine.",
        "checks": "Critères RGESN le plus souvent en échec",
        "checks_none": "Aucun critère RGESN vérifiable automatiquement n'échoue sur les {p} pages mesurées.",
        "no_pages": "Tiers et critères RGESN viennent des pages mesurées : `auditor web measure "
                    "URL... -o pages.json`, puis `auditor report ... --web-pages pages.json`.",
        "pages": "pages",
        "failed": "{k} des {n} pages du fichier de pages mesurées ont échoué (sans EcoIndex, non "
                  "comptées ci-dessous) : {first}.",
    },
}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def grade_counts(results: pd.DataFrame, pages: list[dict] | None) -> pd.Series:
    """Web services and measured pages per EcoIndex grade, A to G."""
    letters = []
    if "web_ecoindex_grade" in results:
        letters += [g for g in results["web_ecoindex_grade"].astype(object) if g in GRADES]
    letters += [p.get("ecoindex_grade") for p in pages or [] if p.get("ecoindex_grade") in GRADES]
    counts = Counter(letters)
    return pd.Series([counts.get(g, 0) for g in GRADES], index=list(GRADES), dtype=int)


def grades_figure(counts: pd.Series, title: str) -> go.Figure:
    """Bars of the count per grade, in the EcoIndex colours."""
    fig = go.Figure(go.Bar(x=list(counts.index), y=counts.to_numpy(), marker_color=list(GRADE_COLOURS),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_layout(template="none", height=260, margin={"l": 40, "r": 10, "t": 30, "b": 30}, title={"text": title},
                      yaxis={"rangemode": "tozero", "dtick": 1}, showlegend=False)
    return fig


def third_party_table(pages: list[dict]) -> pd.DataFrame:
    """Third-party domains over measured pages: pages using each, requests and kB, most used first."""
    rows: dict[str, list[float]] = {}
    for p in pages:
        for t in p.get("third_party_domains", []):
            r = rows.setdefault(t["domain"], [0, 0, 0.0])
            r[0] += 1
            r[1] += t["requests"]
            r[2] += t["transfer_kb"]
    frame = pd.DataFrame([(d, *v) for d, v in rows.items()], columns=["domain", "pages", "requests", "kb"])
    return frame.sort_values(["pages", "requests"], ascending=False, kind="stable").reset_index(drop=True)


def failed_checks(pages: list[dict]) -> pd.DataFrame:
    """RGESN criteria by number of measured pages failing them, most often first."""
    failed: Counter = Counter()
    titles: dict[str, str] = {}
    for p in pages:
        for c in p.get("checks", []):
            if c.get("passed") is False:
                failed[c["id"]] += 1
                titles[c["id"]] = c.get("title", "")
    frame = pd.DataFrame([(i, titles[i], n) for i, n in failed.items()], columns=["id", "title", "pages"])
    return frame.sort_values(["pages", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def web_panel(results: pd.DataFrame, pages: list[dict] | None, lang: str,
              table: Callable[..., str], chart: Callable[[go.Figure, str], str],
              number: Callable[..., str]) -> str:
    """HTML of the web-services panel.

    Parameters
    ----------
    results
        Results table (its ``web_service`` rows are used).
    pages
        Measured pages (``auditor web measure`` JSON), or None.
    lang
        ``"en"`` or ``"fr"``.
    table, chart, number
        The dashboard's table builder, chart placeholder and number formatter.
    """
    t = _TEXT.get(lang, _TEXT["en"])
    web = results[results["category"].astype(object) == "web_service"] if len(results) else results
    pages = pages or []
    if web.empty and not pages:
        return f'<p class="note">{_e(t["none"])}</p>'
    parts = []
    if not web.empty:
        scored = web["web_ecoindex_score"].notna().sum() if "web_ecoindex_score" in web else 0
        views = web["web_views_per_year"].sum() if "web_views_per_year" in web else 0
        hosting = web["hosting_gwp_kgco2e_per_year"].sum() if "hosting_gwp_kgco2e_per_year" in web else 0
        parts.append(f"<p>{_e(t['intro'].format(n=len(web), m=int(scored), views=number(views, 0), gwp=number(hosting)))}</p>")
    counts = grade_counts(web, pages)
    if counts.sum():
        parts.append(chart(grades_figure(counts, t["grades"]), t["grades"]))
    if not web.empty and "web_ecoindex_score" in web:
        top = web.sort_values("gwp_total_kgco2e_per_year", ascending=False, na_position="last").head(TOP_SERVICES)
        rows = [[str(r.get("name") if pd.notna(r.get("name")) else r["id"]),
                 "" if pd.isna(r["web_ecoindex_grade"]) else str(r["web_ecoindex_grade"]),
                 "" if pd.isna(r["web_ecoindex_score"]) else number(r["web_ecoindex_score"], 0),
                 "" if pd.isna(r["web_views_per_year"]) else number(r["web_views_per_year"], 0),
                 "" if pd.isna(r["gwp_total_kgco2e_per_year"]) else number(r["gwp_total_kgco2e_per_year"]),
                 "" if pd.isna(r["hosting_gwp_kgco2e_per_year"]) else number(r["hosting_gwp_kgco2e_per_year"])]
                for _, r in top.iterrows()]
        headers = [t[k] for k in ("col_service", "col_grade", "col_score", "col_views", "col_gwp", "col_hosting")]
        parts.append(f"<h3>{_e(t['services'])}</h3>" + table(headers, rows, [False, False, True, True, True, True]))
    if not pages:
        parts.append(f'<p class="note">{_e(t["no_pages"])}</p>')
        return "\n".join(parts)
    measured = [p for p in pages if not p.get("error")]
    failed = [p for p in pages if p.get("error")]
    if failed:
        first = "; ".join(f"{p['url']} ({p['error']})" for p in failed[:3]) + (" ..." if len(failed) > 3 else "")
        parts.append(f'<p class="note">{_e(t["failed"].format(k=len(failed), n=len(pages), first=first))}</p>')
    n_requests = sum(p.get("requests", 0) for p in measured)
    third = third_party_table(measured)
    if third.empty:
        parts.append(f"<p>{_e(t['third_none'].format(p=len(measured)))}</p>")
    else:
        share = third["requests"].sum() / n_requests if n_requests else 0.0
        parts.append(f"<p>{_e(t['third'].format(share=f'{share:.0%}', n=n_requests, p=len(measured)))}</p>")
        rows = [[r.domain, number(r.pages, 0), number(r.requests, 0), number(r.kb)]
                for r in third.head(TOP_DOMAINS).itertuples()]
        parts.append(table([t["col_domain"], t["col_pages"], t["col_requests"], t["col_kb"]], rows,
                           [False, True, True, True]))
    checks = failed_checks(measured)
    parts.append(f"<h3>{_e(t['checks'])}</h3>")
    if checks.empty:
        parts.append(f"<p>{_e(t['checks_none'].format(p=len(measured)))}</p>")
    else:
        rows = [[f"{r.id} {r.title}", f"{r.pages} / {len(measured)}"] for r in checks.itertuples()]
        parts.append(table([t["col_check"], t["col_failed"]], rows, [False, True]))
    return "\n".join(parts)
