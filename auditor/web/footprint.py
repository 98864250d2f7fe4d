"""Yearly footprint and sobriety of ``web_service`` inventory rows, vectorised.

For each web service (docs/web.md):

- **per-view impacts** from its EcoIndex (``dom_elements``, ``requests``, ``transfer_kb`` of a
  typical page): gCO2e and cl of water per page view, which the EcoIndex method gives for the
  whole chain (visitor's device, network, servers; manufacture and use);
- **yearly footprint** = per-view impacts x ``monthly_visits`` x 12, stored as use-phase GHG and
  water (embodied 0: the per-view figure already carries its share of manufacture); energy,
  ADPe and primary energy are not given by the method and stay empty; the bounds equal the
  value (EcoIndex publishes no range);
- **hosting share**: the share of the inventory servers named in ``hosted_on`` (``srv-1:0.5;
  srv-2``): a declared share is used as given, the services that declare none split the rest of
  the server evenly. The share goes to the ``hosting_*`` columns only, never into the totals, so
  a server is counted once (on its own row);
- **sobriety**: the EcoIndex score (same 0-100 scale and A-G thresholds as the sobriety score).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from auditor.results import WEB_RESULT_COLUMNS
from auditor.web import WEB_SERVICE_CATEGORY
from auditor.web.ecoindex import ecoindex_grade, ecoindex_score, ghg_g_per_view, water_cl_per_view

MONTHS_PER_YEAR = 12
G_PER_KG = 1000.0
CL_PER_M3 = 100_000.0
#: Hosting-share columns (results contract), criterion -> column.
HOSTING_COLUMNS: dict[str, str] = {
    "energy": "hosting_energy_kwh_per_year", "gwp": "hosting_gwp_kgco2e_per_year",
    "water": "hosting_water_m3_per_year", "adpe": "hosting_adpe_kgsbeq_per_year",
    "pe": "hosting_pe_mj_per_year",
}
#: Web columns of the results contract, added only when the inventory has web services.
WEB_COLUMNS: tuple[str, ...] = WEB_RESULT_COLUMNS
_SHARE = re.compile(r"^\s*(?P<id>[^:]+?)\s*(?::\s*(?P<share>[0-9]+(?:[.,][0-9]+)?)\s*(?P<pct>%?))?\s*$")


def is_web(table: pd.DataFrame) -> np.ndarray:
    """Mask of the ``web_service`` rows of a canonical inventory."""
    if not len(table):
        return np.zeros(0, dtype=bool)
    return table["category"].astype(object).to_numpy() == WEB_SERVICE_CATEGORY


def parse_hosted_on(text: object) -> list[tuple[str, float | None]]:
    """Server ids and declared shares of a ``hosted_on`` cell: ``"srv-1:0.5; srv-2"``.

    A share is a fraction (0.5) or a percentage (50 %); separators ``;`` ``,`` or ``|``.
    Malformed parts keep their id with no share.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    out = []
    for part in re.split(r"[;,|]", str(text)):
        if not part.strip():
            continue
        m = _SHARE.match(part)
        if not m:
            out.append((part.strip(), None))
            continue
        share = m.group("share")
        value = None if share is None else float(share.replace(",", "."))
        if value is not None and (m.group("pct") or value > 1):
            value /= 100.0
        out.append((m.group("id"), value))
    return out


def hosting_shares(ids: np.ndarray, hosted_on: np.ndarray, server_ids: set[str]
                   ) -> tuple[dict[int, list[tuple[str, float]]], dict[int, list[str]]]:
    """Share of each named server that each web row carries, and notes per row.

    Parameters
    ----------
    ids
        Row positions of the web services (their index in the result).
    hosted_on
        Their ``hosted_on`` cells.
    server_ids
        Ids of the inventory's rows a service can run on.

    Returns
    -------
    (shares, notes)
        ``{row: [(server id, share)]}`` and ``{row: [note]}`` (unknown ids, over-allocated servers).
    """
    codes, uniques = pd.factorize(pd.Series(hosted_on, dtype=object), use_na_sentinel=True)
    parsed = [parse_hosted_on(u) for u in uniques]
    declared: dict[str, float] = {}
    undeclared: dict[str, int] = {}
    notes: dict[int, list[str]] = {}
    links: list[tuple[int, str, float | None]] = []
    for row, code in zip(ids, codes, strict=True):
        if code < 0:
            continue
        for server, share in parsed[code]:
            if server not in server_ids:
                notes.setdefault(int(row), []).append(f"hosted_on: no inventory row with id {server!r}")
                continue
            links.append((int(row), server, share))
            if share is None:
                undeclared[server] = undeclared.get(server, 0) + 1
            else:
                declared[server] = declared.get(server, 0.0) + share
    shares: dict[int, list[tuple[str, float]]] = {}
    for row, server, share in links:
        total = declared.get(server, 0.0)
        scale = 1.0 / total if total > 1.0 else 1.0
        if share is None:
            value = max(1.0 - total, 0.0) / undeclared[server]
        else:
            value = share * scale
            if scale < 1.0:
                notes.setdefault(row, []).append(
                    f"declared shares of {server} add up to {total:.0%}: scaled down to 100 %")
        shares.setdefault(row, []).append((server, value))
    return shares, notes


def web_results(table: pd.DataFrame, others: pd.DataFrame, other_table: pd.DataFrame,
                columns: list[str]) -> pd.DataFrame:
    """Result rows (results contract, plus :data:`WEB_COLUMNS`) of the web rows of ``table``.

    Parameters
    ----------
    table
        The web-service rows of the canonical inventory.
    others
        Results (with scores) of the other rows, for the hosting shares.
    other_table
        The canonical rows ``others`` were assessed from (ids).
    columns
        Column order of ``others``.
    """
    n = len(table)
    num = {c: table[c].to_numpy(dtype=float) for c in ("dom_elements", "requests", "transfer_kb",
                                                       "monthly_visits", "quantity")}
    score = ecoindex_score(num["dom_elements"], num["requests"], num["transfer_kb"])
    ghg, water = ghg_g_per_view(score), water_cl_per_view(score)
    views = num["monthly_visits"] * MONTHS_PER_YEAR
    gwp = ghg * views / G_PER_KG
    water_m3 = water * views / CL_PER_M3
    out: dict[str, object] = {c: np.full(n, np.nan) for c in columns}
    for c in ("id", "name", "site", "department"):
        out[c] = table[c].reset_index(drop=True)
    out["category"] = np.full(n, WEB_SERVICE_CATEGORY, dtype=object)
    out["quantity"] = num["quantity"]
    out["country"] = table["country"].astype(object).to_numpy()
    out["pue"] = np.ones(n)
    out["energy_source"] = np.full(n, None, dtype=object)
    for c, value in (("gwp", gwp), ("water", water_m3)):
        unit = "kgco2e" if c == "gwp" else "m3"
        for b in ("", "_low", "_high"):
            out[f"{c}_embodied_{unit}{b}"] = np.zeros(n)
            out[f"{c}_use_{unit}_per_year{b}"] = value
            out[f"{c}_total_{unit}_per_year{b}"] = value
    out["filled_specs"] = np.full(n, "", dtype=object)
    out["factor_ids"] = np.full(n, "ecoindex", dtype=object)
    out["warnings"] = table["warnings"].astype(object).to_numpy()
    out["web_views_per_year"] = views
    out["web_ecoindex_score"] = score
    out["web_ecoindex_grade"] = ecoindex_grade(score)
    out["web_ghg_g_per_view"] = ghg
    out["web_water_cl_per_view"] = water

    hosting, notes = _hosting(table, others, other_table)
    out.update(hosting)
    out["sobriety_score"] = score
    out["sobriety_grade"] = ecoindex_grade(score)
    out["sobriety_reasons"] = _reasons(num, score, views, notes)
    out["repairability_score"] = np.full(n, np.nan)
    out["repairability_grade"] = np.full(n, None, dtype=object)
    out["repairability_source"] = np.full(n, "unavailable", dtype=object)
    out["obsolescence_risk"] = np.full(n, np.nan)
    out["obsolescence_level"] = np.full(n, None, dtype=object)
    out["obsolescence_reasons"] = np.full(n, "not applicable to a web service", dtype=object)
    out["replacement_due"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    frame = pd.DataFrame({c: out[c] for c in [*columns, *(c for c in WEB_COLUMNS if c not in columns)]})
    return frame


def _hosting(table: pd.DataFrame, others: pd.DataFrame, other_table: pd.DataFrame):
    n = len(table)
    cols = {c: np.zeros(n) for c in HOSTING_COLUMNS.values()}
    servers_text = np.full(n, "", dtype=object)
    hosted = table["hosted_on"].astype(object).to_numpy()
    has = pd.notna(hosted)
    if not has.any() or not len(others):
        for c in cols.values():
            c[~has] = np.nan
        return {**cols, "hosting_servers": servers_text}, {}
    ids = other_table["id"].astype(str).to_numpy()
    position = {i: k for k, i in enumerate(ids)}
    shares, notes = hosting_shares(np.arange(n)[has], hosted[has], set(ids))
    from auditor.results import total_column

    totals = {crit: others[total_column(crit)].to_numpy(dtype=float) for crit in HOSTING_COLUMNS}
    for row, links in shares.items():
        for server, share in links:
            k = position[server]
            for crit, column in HOSTING_COLUMNS.items():
                cols[column][row] += share * totals[crit][k]
        servers_text[row] = "; ".join(f"{s} ({v:.0%})" for s, v in links)
    for c in cols.values():
        c[~has] = np.nan
    return {**cols, "hosting_servers": servers_text}, notes


def _reasons(num: dict[str, np.ndarray], score: np.ndarray, views: np.ndarray,
             notes: dict[int, list[str]]) -> np.ndarray:
    """Reason text per web row, built once per distinct case."""
    n = len(score)
    key = pd.Series([
        f"{d}|{r}|{s}|{np.isnan(v)}|{i in notes}" for i, (d, r, s, v) in
        enumerate(zip(num["dom_elements"], num["requests"], num["transfer_kb"], views, strict=True))])
    codes, uniques = pd.factorize(key)
    texts = np.empty(len(uniques), dtype=object)
    first = np.zeros(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(n)[::-1]
    for k, row in enumerate(first):
        parts = []
        if np.isnan(score[row]):
            missing = [c for c in ("dom_elements", "requests", "transfer_kb") if np.isnan(num[c][row])]
            parts.append(f"web service not measured ({', '.join(missing)} missing): "
                         "run auditor web measure --inventory")
        else:
            grade = ecoindex_grade(score[row:row + 1])[0]
            parts.append(f"EcoIndex {score[row]:.0f} ({grade}): {num['dom_elements'][row]:.0f} DOM elements, "
                         f"{num['requests'][row]:.0f} requests, {num['transfer_kb'][row]:.0f} kB per page")
        if np.isnan(views[row]):
            parts.append("monthly_visits missing: no yearly footprint")
        parts.extend(notes.get(int(row), []))
        texts[k] = "; ".join(parts)
    return texts[codes]


def assess_with_web(table: pd.DataFrame, assess_others: Callable[[pd.DataFrame], pd.DataFrame]
                    ) -> pd.DataFrame:
    """Results of an inventory with web services: other rows by ``assess_others``, web rows here.

    Rows keep the inventory's order; the web columns (:data:`WEB_COLUMNS`) are appended.
    """
    web = is_web(table)
    hardware = table[~web].reset_index(drop=True)
    others = assess_others(hardware)
    columns = list(others.columns)
    webs = web_results(table[web].reset_index(drop=True), others, hardware, columns)
    for c in WEB_COLUMNS:
        if c not in others:
            others[c] = np.nan if c not in ("web_ecoindex_grade", "hosting_servers") else None
    webs = webs.reindex(columns=list(others.columns))
    order = np.concatenate([np.flatnonzero(~web), np.flatnonzero(web)])
    combined = pd.concat([others.reset_index(drop=True), webs], ignore_index=True)
    combined = combined.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    for c in columns:
        dtype = others[c].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = combined[c].astype(object)
            cats = list(dtype.categories) + [v for v in pd.unique(values.dropna()) if v not in set(dtype.categories)]
            combined[c] = pd.Categorical(values, categories=cats, ordered=dtype.ordered)
    return combined
