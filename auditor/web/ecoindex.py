"""EcoIndex of a web page: score 0-100, grade A-G, greenhouse gases and water per page view.

Our own implementation of the published EcoIndex method (cnumr/EcoIndex, "how it works":
``_40_ecoindex.md``, ``_60_footprint.md``, ``_65_methodology.md``; numbers as in
cnumr/ecoindex_reference). The EcoIndex packages are under CC BY-NC-ND, so nothing of them is
used or shipped; the method's parameters are data in ``auditor/data/ecoindex.csv``, each row with
its source.

Method
------
- each input (DOM elements, requests, transferred kB) is placed in its 21-bound quantile table:
  position ``(i - 1) + (v - q[i-1]) / (q[i] - q[i-1])`` for the first ``i`` with ``v < q[i]``,
  20 at or beyond the last bound, so in [0, 20];
- ``score = round(100 - 5 * (3 Q_dom + 2 Q_req + 1 Q_size) / 6)``, rounding half to even as the
  reference implementation (Python ``round``) does;
- grade: A above 80, B above 70, C above 55, D above 40, E above 25, F above 10 (strictly above),
  else G;
- per view: ``ghg = round(2 + 2 (50 - score) / 100, 2)`` gCO2e and
  ``water = round(3 + 3 (50 - score) / 100, 2)`` cl, from the rounded score.

References
----------
.. [1] GreenIT.fr / Collectif Conception Numérique Responsable, "EcoIndex: how it works",
   https://www.ecoindex.fr/en/how-it-works/ (repository cnumr/EcoIndex).
.. [2] cnumr/ecoindex_reference, ``ecoindex_reference.json`` (quantiles, grades, targets).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

GRADE_LETTERS = ("A", "B", "C", "D", "E", "F", "G")


@dataclass(frozen=True)
class EcoIndexParameters:
    """The method's parameters, read once from ``auditor/data/ecoindex.csv``."""

    dom: np.ndarray
    requests: np.ndarray
    size_kb: np.ndarray
    weights: tuple[float, float, float]
    grade_floors: tuple[tuple[str, float], ...]
    ghg_g_at_50: float
    water_cl_at_50: float
    targets: dict[str, float]


@lru_cache(maxsize=1)
def parameters() -> EcoIndexParameters:
    """The packaged EcoIndex parameters (quantile tables, weights, grade floors, per-view figures)."""
    text = files("auditor.data").joinpath("ecoindex.csv").read_text(encoding="utf-8")
    values = {row["id"]: float(row["value"]) for row in csv.DictReader(text.splitlines())}

    def table(name: str) -> np.ndarray:
        return np.array([values[f"ecoindex_quantile_{name}_{k:02d}"] for k in range(21)])

    return EcoIndexParameters(
        dom=table("dom"), requests=table("requests"), size_kb=table("size"),
        weights=(values["ecoindex_weight_dom"], values["ecoindex_weight_requests"],
                 values["ecoindex_weight_size"]),
        grade_floors=tuple((g, values[f"ecoindex_grade_{g.lower()}_above"]) for g in GRADE_LETTERS[:-1]),
        ghg_g_at_50=values["ecoindex_ghg_g_per_view_at_50"],
        water_cl_at_50=values["ecoindex_water_cl_per_view_at_50"],
        targets={k: values[f"ecoindex_target_{k}"] for k in ("dom", "requests", "size")},
    )


def quantile_position(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Interpolated position of each value in a 21-bound quantile table, in [0, 20].

    Parameters
    ----------
    values
        Measured values (DOM elements [-], requests [-] or size [kB]); NaN stays NaN.
    bounds
        The 21 increasing bounds of the table.
    """
    v = np.asarray(values, dtype=float)
    last = len(bounds) - 1
    i = np.searchsorted(bounds, v, side="right")  # first index with v < bounds[i]
    inside = (i >= 1) & (i <= last)
    j = np.clip(i, 1, last)
    with np.errstate(invalid="ignore"):
        pos = (j - 1) + (v - bounds[j - 1]) / (bounds[j] - bounds[j - 1])
    out = np.where(inside, pos, np.where(i > last, float(last), 0.0))
    out[np.isnan(v)] = np.nan
    return out


def ecoindex_score(dom: np.ndarray, requests: np.ndarray, size_kb: np.ndarray) -> np.ndarray:
    """EcoIndex score 0-100 (an integer as float; NaN when an input is unknown).

    Parameters
    ----------
    dom
        DOM elements of the page, children of ``<svg>`` excluded [-].
    requests
        HTTP requests of the page load [-].
    size_kb
        Bytes transferred (compressed, on the wire) / 1000 [kB].
    """
    p = parameters()
    w_dom, w_req, w_size = p.weights
    q = (w_dom * quantile_position(dom, p.dom) + w_req * quantile_position(requests, p.requests)
         + w_size * quantile_position(size_kb, p.size_kb))
    return np.round(100.0 - 5.0 * q / (w_dom + w_req + w_size))


def ecoindex_grade(score: np.ndarray) -> np.ndarray:
    """Letter A-G of each score (strictly above a floor), None where the score is NaN."""
    s = np.asarray(score, dtype=float)
    out = np.full(s.shape, GRADE_LETTERS[-1], dtype=object)
    for letter, floor in reversed(parameters().grade_floors):
        out[s > floor] = letter
    out[np.isnan(s)] = None
    return out


def ghg_g_per_view(score: np.ndarray) -> np.ndarray:
    """Greenhouse gases of one page view [gCO2e] from the rounded score, to 2 decimals."""
    m = parameters().ghg_g_at_50
    return np.round(m + m * (50.0 - np.asarray(score, dtype=float)) / 100.0, 2)


def water_cl_per_view(score: np.ndarray) -> np.ndarray:
    """Blue water of one page view [cl] from the rounded score, to 2 decimals."""
    m = parameters().water_cl_at_50
    return np.round(m + m * (50.0 - np.asarray(score, dtype=float)) / 100.0, 2)


def ecoindex(dom: float | None, requests: float | None, size_kb: float | None) -> dict:
    """The four EcoIndex fields of one page (None where an input is unknown).

    Returns
    -------
    dict
        ``ecoindex_score`` (int), ``ecoindex_grade`` (A-G), ``ghg_g_per_view`` [gCO2e],
        ``water_cl_per_view`` [cl].
    """
    def arr(x):
        return np.array([np.nan if x is None else float(x)])

    score = ecoindex_score(arr(dom), arr(requests), arr(size_kb))
    if np.isnan(score[0]):
        return {"ecoindex_score": None, "ecoindex_grade": None, "ghg_g_per_view": None,
                "water_cl_per_view": None}
    return {
        "ecoindex_score": int(score[0]),
        "ecoindex_grade": str(ecoindex_grade(score)[0]),
        "ghg_g_per_view": float(ghg_g_per_view(score)[0]),
        "water_cl_per_view": float(water_cl_per_view(score)[0]),
    }
