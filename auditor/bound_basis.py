"""How much of each total rests on bounds from sources, from a formula, or from a calibration.

Every factor row says how its ``low``/``high`` were obtained (``bound_basis``: ``sources`` = the
spread of cited figures, ``formula`` = a fixed ratio or band, ``calibrated`` = fitted on data,
``none`` = no spread given). For each results row and criterion the embodied part takes the
basis of the factors it used (the embodied model's rows are ``calibrated``; a category's table
rows take the weakest basis among them, in the order none < formula < sources < calibrated) and
the use part takes the basis of the country's electricity factor. The shares weigh each part by
its per-year value, so they say which share of a total's figure has bounds of each kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.results import UNIT_OF
from factors.embodied_model import MODEL_CATEGORIES
from factors.tables import BOUND_BASES, CRITERIA, FactorLibrary

#: From weakest to strongest: a set of rows takes the weakest basis among them.
_WEAKEST_FIRST: tuple[str, ...] = ("none", "formula", "sources", "calibrated")


def weakest_basis(bases) -> str:
    """The weakest of several ``bound_basis`` values (``none`` when there are none)."""
    present = set(bases)
    return next((b for b in _WEAKEST_FIRST if b in present), "none")


def bound_basis_shares(results: pd.DataFrame, library: FactorLibrary) -> pd.DataFrame:
    """Share (0-1) of each criterion's per-year total whose bounds rest on each basis.

    Parameters
    ----------
    results
        A results table (``category``, ``country``, ``lifetime_years`` and the criteria's
        ``*_embodied_*`` and ``*_use_*_per_year`` columns).
    library
        The factor library the results were made with.

    Returns
    -------
    pandas.DataFrame
        Index: criteria; columns :data:`factors.tables.BOUND_BASES`; rows sum to 1 (NaN when
        the total is 0). Parts without a figure (a criterion with no factor for some rows) are
        left out: the shares describe the parts that have one.
    """
    emb = library.embodied
    elec = library.electricity
    categories = results["category"].astype(str).to_numpy()
    countries = results["country"].astype(str).to_numpy()
    out = {}
    for criterion in CRITERIA:
        unit = UNIT_OF[criterion]
        per_cat = {c: weakest_basis(g["bound_basis"])
                   for c, g in emb[emb["criterion"] == criterion].groupby("category")}
        if criterion == "gwp" and library.use_embodied_model:
            per_cat.update({c: "calibrated" for c in MODEL_CATEGORIES})
        elec_basis = {}
        for country in np.unique(countries):
            factor = library.electricity_factor(country, criterion)
            rows = elec.loc[elec["id"] == factor.id, "bound_basis"]
            elec_basis[country] = rows.iloc[0] if len(rows) else "none"
        emb_year = np.nan_to_num(results[f"{criterion}_embodied_{unit}"].to_numpy(dtype=float)
                                 / results["lifetime_years"].to_numpy(dtype=float))
        use = np.nan_to_num(results[f"{criterion}_use_{unit}_per_year"].to_numpy(dtype=float))
        emb_b = np.array([per_cat.get(c, "none") for c in categories])
        use_b = np.array([elec_basis[c] for c in countries])
        total = emb_year.sum() + use.sum()
        out[criterion] = {b: (emb_year[emb_b == b].sum() + use[use_b == b].sum()) / total
                          if total > 0 else float("nan") for b in BOUND_BASES}
    return pd.DataFrame.from_dict(out, orient="index")[list(BOUND_BASES)]


_TEXT = {
    "en": ("Bounds behind each total: share of the figure whose low/high come from the spread of "
           "sources, a formula (a fixed ratio or band), a calibration on data, or no spread.",
           "Criterion"),
    "fr": ("Origine des bornes de chaque total : part du chiffre dont les bornes basse/haute viennent "
           "de l'écart entre sources, d'une formule (ratio ou bande fixe), d'un calage sur données, "
           "ou d'aucun écart.", "Critère"),
}
_BASIS_NAMES = {
    "en": {"sources": "sources", "formula": "formula", "calibrated": "calibrated", "none": "none"},
    "fr": {"sources": "sources", "formula": "formule", "calibrated": "calage", "none": "aucun"},
}


def bound_basis_html(shares: pd.DataFrame, lang: str, criterion_name, escape, percent) -> str:
    """A small HTML table of :func:`bound_basis_shares` for the dashboard's data-quality panel."""
    intro, head = _TEXT.get(lang, _TEXT["en"])
    names = _BASIS_NAMES.get(lang, _BASIS_NAMES["en"])
    header = "".join(f"<th scope=\"col\">{escape(names[b])}</th>" for b in shares.columns)
    body = []
    for criterion, row in shares.iterrows():
        cells = "".join(f"<td class=\"num\">{escape(percent(v) if v == v else '-')}</td>" for v in row)
        body.append(f"<tr><th scope=\"row\">{escape(criterion_name(criterion))}</th>{cells}</tr>")
    return (f"<p>{escape(intro)}</p><table class=\"bound-basis\"><thead><tr><th scope=\"col\">"
            f"{escape(head)}</th>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>")
