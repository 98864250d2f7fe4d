"""Mergeable partial summaries: the summary of a table assessed in chunks, from running totals.

:class:`RunningSummary` folds results chunks into sums (per criterion value/low/high and annual
embodied part, per category, per energy source) and the ten largest rows seen so far; its parts
have the shapes of :func:`auditor.summary.totals`, :func:`~auditor.summary.by_category`,
:func:`~auditor.summary.top_items` and :func:`~auditor.summary.data_quality`, so
:func:`format` prints exactly what a whole-table run prints.
"""

from __future__ import annotations

import pandas as pd

from auditor import summary as whole
from auditor.results import embodied_column, total_column
from factors.tables import CATEGORIES, CRITERIA

_ALL = ("energy", *CRITERIA)


class RunningSummary:
    """Running totals of results chunks (memory: a few hundred numbers and ten rows).

    Parameters
    ----------
    criterion
        Criterion of the per-category and top-ten tables.
    top
        Rows kept for the top table.
    """

    def __init__(self, criterion: str = "gwp", top: int = 10) -> None:
        self.criterion = "gwp" if criterion == "energy" else criterion
        self.top = top
        self.n_rows = 0
        self.n_items = 0.0
        self._sums: pd.Series | None = None
        self._category: pd.DataFrame | None = None
        self._sources: pd.Series | None = None
        self._top: pd.DataFrame | None = None

    def add(self, results: pd.DataFrame) -> None:
        """Fold one chunk of results in."""
        self.n_rows += len(results)
        self.n_items += float(results["quantity"].sum())
        sums = {}
        chunk = results
        for criterion in _ALL:
            results = whole.scoped(chunk, criterion)  # as summary.totals: web rows out of energy...
            for bound in ("", "low", "high"):
                column = total_column(criterion, bound)
                sums[column] = results[column].sum(skipna=False)  # as summary.totals: unknown stays unknown
            if criterion != "energy":
                sums[f"annual_{criterion}"] = (results[embodied_column(criterion)]
                                               / results["lifetime_years"]).sum()
            for suffix, bound in whole.USE_BOUNDS:
                sums[f"use{suffix}_{criterion}"] = whole._column_sum(results, whole._use_column(criterion, bound))
            for key, value in whole.known_part(results, criterion).items():
                sums[f"{key}_{criterion}"] = value
        results = chunk
        sums = pd.Series(sums)
        self._sums = sums if self._sums is None else self._sums + sums
        c = self.criterion
        grouped = results.groupby("category", observed=True).agg(
            items=("quantity", "sum"), energy_kwh_per_year=("energy_kwh_per_year", "sum"),
            total=(total_column(c), whole._sum_or_nan), use=(whole._use_column(c), whole._sum_or_nan))
        if self._category is None:
            self._category = grouped
        else:  # a group unknown in one chunk stays unknown (as the whole table's skipna=False sums)
            unknown = (self._category.isna().reindex(self._category.index.union(grouped.index), fill_value=False)
                       | grouped.isna().reindex(self._category.index.union(grouped.index), fill_value=False))
            self._category = self._category.add(grouped, fill_value=0).mask(unknown)
        sources = results.groupby("energy_source")["quantity"].sum()
        self._sources = sources if self._sources is None else self._sources.add(sources, fill_value=0)
        best = whole.top_items(results, c, self.top)
        merged = best if self._top is None else pd.concat([self._top, best], ignore_index=True)
        self._top = merged.nlargest(self.top, total_column(c)).reset_index(drop=True)

    def totals(self) -> pd.DataFrame:
        """As :func:`auditor.summary.totals` of the whole table."""
        rows = {}
        for criterion in _ALL:
            value = self._sums[total_column(criterion)]
            share = float("nan")
            if criterion != "energy":
                annual = self._sums[f"annual_{criterion}"]
                share = annual / value if value else float("nan")
            rows[criterion] = {"value": value, "low": self._sums[total_column(criterion, "low")],
                               "high": self._sums[total_column(criterion, "high")],
                               "embodied_share": share,
                               **{f"use{suffix}": self._sums[f"use{suffix}_{criterion}"]
                                  for suffix, _ in whole.USE_BOUNDS},
                               **{f"{key}": self._sums[f"{key}_{criterion}"]
                                  for key in ("known", "known_low", "known_high", "unknown_rows")}}
        return pd.DataFrame.from_dict(rows, orient="index")

    def by_category(self) -> pd.DataFrame:
        """As :func:`auditor.summary.by_category` of the whole table."""
        grouped = self._category.copy()
        grouped["share"] = grouped["total"] / grouped["total"].sum()
        order = [c for c in (*CATEGORIES, "web_service") if c in grouped.index]  # as the whole table's
        return grouped.loc[order].sort_values("total", ascending=False)

    def top_items(self) -> pd.DataFrame:
        """As :func:`auditor.summary.top_items` of the whole table."""
        return self._top

    def data_quality(self) -> pd.Series:
        """As :func:`auditor.summary.data_quality` of the whole table."""
        return self._sources / self._sources.sum()

    def format(self) -> str:
        """The summary ``auditor assess`` prints."""
        return whole.format_parts(self.n_rows, self.n_items, self.totals(), self.by_category(),
                                  self.top_items(), self.data_quality(), self.criterion)
