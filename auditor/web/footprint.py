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
    codes, links, notes_by_code = _shares_by_code(hosted_on, server_ids)
    shares: dict[int, list[tuple[str, float]]] = {}
    notes: dict[int, list[str]] = {}
    for row, code in zip(ids, codes, strict=True):
        if code >= 0 and links[code]:
            shares[int(row)] = links[code]
        if code >= 0 and notes_by_code[code]:
            notes[int(row)] = notes_by_code[code]
    return shares, notes


def _shares_by_code(hosted_on: np.ndarray, server_ids: set[str]):
    """Shares per distinct ``hosted_on`` text: (codes per row, links per code, notes per code).

    A server's declared shares add up over the rows that declare them; the rows naming it without
    a share split what is left evenly. Work is per distinct text, counts per row come from the codes.
    """
    codes, uniques = pd.factorize(pd.Series(hosted_on, dtype=object), use_na_sentinel=True)
    rows_per_code = np.bincount(codes[codes >= 0], minlength=len(uniques))
    parsed = [parse_hosted_on(u) for u in uniques]
    declared: dict[str, float] = {}
    undeclared: dict[str, int] = {}
    notes: list[list[str]] = [[] for _ in uniques]
    for k, links in enumerate(parsed):
        for server, share in links:
            if server not in server_ids:
                notes[k].append(f"hosted_on: no inventory row with id {server!r}")
            elif share is None:
                undeclared[server] = undeclared.get(server, 0) + int(rows_per_code[k])
            else:
                declared[server] = declared.get(server, 0.0) + share * int(rows_per_code[k])
    out: list[list[tuple[str, float]]] = []
    for k, links in enumerate(parsed):
        kept = []
        for server, share in links:
            if server not in server_ids:
                continue
            total = declared.get(server, 0.0)
            if share is None:
                kept.append((server, max(1.0 - total, 0.0) / undeclared[server]))
            elif total > 1.0:
                kept.append((server, share / total))
                notes[k].append(f"declared shares of {server} add up to {total:.0%}: scaled down to 100 %")
            else:
                kept.append((server, share))
        out.append(kept)
    return codes, out, notes


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
    noted = notes != ""
    if noted.any():  # kept with the row's warnings too, not only in the reasons
        warnings = pd.Series(out["warnings"], dtype=object)
        given = warnings.notna() & (warnings.astype(str) != "")
        warnings[noted & given.to_numpy()] = warnings[noted & given.to_numpy()] + "; "
        warnings[noted & ~given.to_numpy()] = ""
        warnings[noted] = warnings[noted] + pd.Series(notes, dtype=object)[noted]
        out["warnings"] = warnings.to_numpy(dtype=object)
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
    """``hosting_*`` columns and ``hosting_servers`` of the web rows, and notes per row."""
    n = len(table)
    cols = {c: np.full(n, np.nan) for c in HOSTING_COLUMNS.values()}
    hosted = table["hosted_on"].astype(object).to_numpy()
    if not pd.notna(hosted).any() or not len(others):
        return {**cols, "hosting_servers": np.full(n, "", dtype=object)}, np.full(n, "", dtype=object)
    ids = other_table["id"].astype(str).to_numpy()
    position = {i: k for k, i in enumerate(ids)}
    codes, links, notes_by_code = _shares_by_code(hosted, set(ids))
    from auditor.results import total_column

    known = codes >= 0
    texts = np.array(["; ".join(f"{s} ({v:.0%})" for s, v in lk) for lk in links] + [""], dtype=object)
    for crit, column in HOSTING_COLUMNS.items():
        totals = others[total_column(crit)].to_numpy(dtype=float)
        # no known server among those named: the share is unknown, not 0
        per_code = np.array([sum(v * totals[position[s]] for s, v in lk) if lk else np.nan for lk in links]
                            + [np.nan])
        cols[column] = per_code[np.where(known, codes, len(links))]
    note_texts = np.array(["; ".join(x) for x in notes_by_code] + [""], dtype=object)
    notes = note_texts[np.where(known, codes, len(links))]
    return {**cols, "hosting_servers": texts[np.where(known, codes, len(links))]}, notes


def _reasons(num: dict[str, np.ndarray], score: np.ndarray, views: np.ndarray,
             notes: np.ndarray) -> np.ndarray:
    """Reason text per web row, with vectorised string operations (one text per row).

    ``notes``: hosting notes per row ('' when none).
    """
    n = len(score)
    out = pd.Series(np.full(n, "", dtype=object), dtype=object)
    measured = ~np.isnan(score)
    if measured.any():
        def whole(a: np.ndarray) -> pd.Series:
            return pd.Series(np.round(a[measured]).astype(np.int64).astype(str).astype(object), dtype=object)

        text = ("EcoIndex " + whole(score) + " (" + pd.Series(ecoindex_grade(score[measured]), dtype=object)
                + "): " + whole(num["dom_elements"]) + " DOM elements, " + whole(num["requests"])
                + " requests, " + whole(num["transfer_kb"]) + " kB per page")
        out[measured] = text.to_numpy()
    fields = ("dom_elements", "requests", "transfer_kb")
    missing_code = sum(np.isnan(num[c]).astype(int) << k for k, c in enumerate(fields))
    for code in np.unique(missing_code[~measured]):
        names = ", ".join(c for k, c in enumerate(fields) if code >> k & 1)
        out[(~measured) & (missing_code == code)] = (
            f"web service not measured ({names} missing): run auditor web measure --inventory")
    no_views = np.isnan(views)
    if no_views.any():
        out[no_views] = out[no_views] + "; monthly_visits missing: no yearly footprint"
    noted = notes != ""
    if noted.any():
        out[noted] = out[noted] + "; " + pd.Series(notes[noted], dtype=object, index=out.index[noted])
    return out.to_numpy(dtype=object)


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
            known = set(dtype.categories)
            cats = list(dtype.categories) + [v for v in pd.unique(values.dropna()) if v not in known]
            combined[c] = pd.Categorical(values, categories=cats, ordered=dtype.ordered)
    return combined
