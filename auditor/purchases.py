"""Public-purchase duties (France): a year's IT spending, its reused share and repairability indexes.

From an inventory's ``purchase_date`` (or ``year``), ``price`` (unit price excluding VAT, times
``quantity``) and ``reused`` / ``refurbished`` columns (read with :func:`auditor.flags.flag_values`):

- the year's spending per category and per product family of the decrees applying article 58 of
  the AGEC law (loi n° 2020-105 du 10 février 2020): décret n° 2021-254 du 9 mars 2021 (annex
  lines 4 and 5; article 1 puts the list and minimum shares in the annex, article 2 expresses them
  as shares of the year's spending excluding VAT), replaced from 1 July 2024 by décret
  n° 2024-134 du 21 février 2024 (matériel informatique et téléphonie: 20 % in 2024, 25 % in
  2027, 30 % in 2030, reused or with recycled materials). The rules are data
  (``factors/data/purchase-rules.csv``) with their sources;
- the share of that spending that is reused or refurbished, against each minimum;
- for laptops, smartphones, tablets and TVs bought that year: the share (in devices) with a
  repairability or durability index given, and its mean (weighted by quantity).

What the inventory cannot tell is listed in the output (``cannot_know``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.enrich import category_codes
from auditor.errors import InputError
from auditor.flags import flag_values
from factors.procurement import rules_for_year
from factors.tables import CATEGORIES

#: Categories whose repairability (since 2021) or durability (since 2025) index must be displayed
#: in France and that the issue asks about.
INDEX_CATEGORIES: tuple[str, ...] = ("laptop", "smartphone", "tablet", "tv")

CANNOT_KNOW: tuple[str, ...] = (
    "purchases that are not in the inventory (consumables, accessories, software, services, items "
    "already disposed of) and every product family of the decrees other than IT (furniture, "
    "textiles, paper...)",
    "purchases that contain recycled materials: the inventory records reuse and refurbishment only, "
    "so a combined 'reused or recycled' minimum can be shown as met by reuse alone, never as missed",
    "whether each price is excluding VAT, per unit and final (the shares assume unit prices excluding "
    "VAT, times the quantity)",
    "donations received, which an arrêté lets buyers count at flat values",
    "items whose reused/refurbished cell is empty or unreadable: counted as not reused, and counted "
    "separately",
)


def _money(value: float) -> float:
    return round(float(value), 2)


def purchases(table: pd.DataFrame, year: int) -> dict:
    """The year's purchase figures (module docstring); JSON-ready.

    Raises
    ------
    InputError
        The inventory has no purchase date or year for any item.
    """
    if not (2000 <= year <= 2100):
        raise InputError(f"--year {year}: expected a year between 2000 and 2100")
    years = table["year"].to_numpy(dtype=float)
    if np.isnan(years).all():
        raise InputError("no item has a purchase date or year: the purchases of a year cannot be found "
                         "(add a 'purchase_date' column)")
    mask = years == float(year)
    rows = table.loc[mask]
    n = len(rows)
    quantity = rows["quantity"].to_numpy(dtype=float)
    price = rows["price"].to_numpy(dtype=float) if "price" in rows else np.full(n, np.nan)
    spend = price * quantity
    reused, reused_known = flag_values(rows.get("reused"), n)
    refurb, refurb_known = flag_values(rows.get("refurbished"), n)
    second_life = reused | refurb
    unknown_flag = ~(reused_known | refurb_known)
    codes = category_codes(rows["category"]) if n else np.zeros(0, dtype=int)
    dated = int(rows["purchase_date"].notna().sum()) if "purchase_date" in rows else 0

    by_category = []
    for k in sorted(set(codes.tolist())):
        sel = codes == k
        by_category.append({
            "category": CATEGORIES[k], "items": int(sel.sum()), "devices": float(quantity[sel].sum()),
            "spending": _money(np.nansum(spend[sel])),
            "spending_reused_or_refurbished": _money(np.nansum(np.where(second_life[sel], spend[sel], 0.0))),
            "items_without_price": int(np.isnan(price[sel]).sum()),
        })

    families = []
    rules = rules_for_year(year)
    for family, group in rules.groupby(["decree", "family", "period_from", "period_to"], sort=False):
        decree, name, start, end = family
        cats = str(group.iloc[0]["categories"]).split(";")
        sel = np.isin(codes, [CATEGORIES.index(c) for c in cats])
        total = float(np.nansum(spend[sel]))
        second = float(np.nansum(np.where(second_life[sel], spend[sel], 0.0)))
        share = second / total if total > 0 else None
        minimums = {}
        for rule in group.itertuples(index=False):
            minimums[rule.share_kind] = {"minimum": float(rule.value), "id": rule.id,
                                         "status": _status(share, float(rule.value), rule.share_kind, total)}
        families.append({
            "decree": decree, "annex_line": str(group.iloc[0]["annex_line"]) or None, "family": name,
            "period": f"{start} to {end}", "categories": cats,
            "categories_in_inventory": sorted({CATEGORIES[k] for k in codes[sel].tolist()}),
            "spending": _money(total), "spending_reused_or_refurbished": _money(second),
            "share_reused_or_refurbished": None if share is None else round(share, 4),
            "items_without_price": int(np.isnan(price[sel]).sum()),
            "items_reuse_unknown": int(unknown_flag[sel].sum()),
            "minimums": minimums, "source": str(group.iloc[0]["source"]),
        })
    covered = {c for f in families for c in f["categories"]}
    outside = sorted({CATEGORIES[k] for k in codes.tolist()} - covered)

    index = []
    idx_values = rows["repairability_index"].to_numpy(dtype=float) if "repairability_index" in rows else \
        np.full(n, np.nan)
    for category in INDEX_CATEGORIES:
        sel = codes == CATEGORIES.index(category)
        devices = float(quantity[sel].sum())
        given = sel & ~np.isnan(idx_values)
        with_index = float(quantity[given].sum())
        mean = float(np.average(idx_values[given], weights=quantity[given])) if with_index > 0 else None
        index.append({"category": category, "devices": devices, "devices_with_index": with_index,
                      "share_with_index": round(with_index / devices, 4) if devices else None,
                      "mean_index": None if mean is None else round(mean, 2)})
    return {
        "year": year, "items": int(n), "items_with_full_date": dated, "devices": float(quantity.sum()),
        "spending": _money(np.nansum(spend)), "items_without_price": int(np.isnan(price).sum()),
        "spending_reused_or_refurbished": _money(np.nansum(np.where(second_life, spend, 0.0))),
        "by_category": by_category, "families": families, "categories_outside_families": outside,
        "repairability": index, "cannot_know": list(CANNOT_KNOW),
    }


def _status(share: float | None, minimum: float, kind: str, total: float) -> str:
    if total <= 0 or share is None:
        return "no priced purchase"
    if share + 1e-12 >= minimum:
        return "met" if kind == "reuse" else "met by reuse alone"
    return "below" if kind == "reuse" else "reuse alone below; recycled-content purchases may make up the rest"


def _eur(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def format_purchases(report: dict) -> str:
    """Plain-text report of :func:`purchases`."""
    r = report
    lines = [f"Purchases of {r['year']}: {r['items']:,} inventory rows, {r['devices']:,.0f} devices, "
             f"spending {_eur(r['spending'])} (unit price x quantity), of which reused or refurbished "
             f"{_eur(r['spending_reused_or_refurbished'])}.",
             f"{r['items_with_full_date']:,} rows have a full purchase date (the others only a year); "
             f"{r['items_without_price']:,} have no price.", ""]
    if r["by_category"]:
        head = f"{'category':<16} {'rows':>6} {'devices':>8} {'spending':>12} {'reused/refurb.':>15} {'no price':>9}"
        lines += [head, "-" * len(head)]
        for c in r["by_category"]:
            lines.append(f"{c['category']:<16} {c['items']:>6} {c['devices']:>8,.0f} {_eur(c['spending']):>12} "
                         f"{_eur(c['spending_reused_or_refurbished']):>15} {c['items_without_price']:>9}")
        lines.append("")
    for f in r["families"]:
        line = f", annex line {f['annex_line']}" if f["annex_line"] else ", annex"
        share = "-" if f["share_reused_or_refurbished"] is None else f"{f['share_reused_or_refurbished']:.1%}"
        lines.append(f"{f['decree']}{line} ({f['period']}): {f['family'][:90]}")
        lines.append(f"  spending {_eur(f['spending'])}, reused or refurbished {_eur(f['spending_reused_or_refurbished'])}"
                     f" = {share}")
        for kind, m in f["minimums"].items():
            what = "reused" if kind == "reuse" else "reused or recycled content"
            lines.append(f"  minimum {m['minimum']:.0%} {what}: {m['status']} ({m['id']})")
        if f["items_reuse_unknown"]:
            lines.append(f"  {f['items_reuse_unknown']} rows with no readable reused/refurbished cell count as new")
    if not r["families"]:
        lines.append("No purchase rule of factors/data/purchase-rules.csv covers this year.")
    if r["categories_outside_families"]:
        lines.append(f"Categories bought but outside these families (no minimum known here): "
                     f"{', '.join(r['categories_outside_families'])}")
    lines.append("")
    lines.append("Repairability or durability index of the year's purchases (devices):")
    for c in r["repairability"]:
        if not c["devices"]:
            lines.append(f"  {c['category']:<11} none bought")
            continue
        mean = "-" if c["mean_index"] is None else f"{c['mean_index']:.1f}/10"
        lines.append(f"  {c['category']:<11} {c['devices_with_index']:,.0f} of {c['devices']:,.0f} with an index "
                     f"({c['share_with_index']:.0%}), mean {mean}")
    lines.append("")
    lines.append("What this inventory cannot tell:")
    lines.extend(f"  - {text}" for text in r["cannot_know"])
    return "\n".join(lines) + "\n"
