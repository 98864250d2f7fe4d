"""The cited parameters of the scores (``factors/data/scoring.csv``), loaded and unit-checked once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from factors.tables import DATA_DIR, FactorLibrary, load_table

FILE_NAME = "scoring.csv"


class ScoringParameters:
    """Values (canonical units) of ``scoring.csv`` by parameter name, with their rows."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._values = dict(zip(table["parameter"], table["value"].astype(float), strict=True))

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[name]
        except KeyError:
            from factors.errors import FactorTableError

            raise FactorTableError(f"{FILE_NAME}: no row for parameter {name!r}") from None

    def get(self, name: str, default: float | None = None) -> float | None:
        return self._values.get(name, default)

    def with_prefix(self, prefix: str) -> dict[str, float]:
        """``{rest of the name: value}`` of the parameters whose name starts with ``prefix``."""
        return {k[len(prefix):]: v for k, v in self._values.items() if k.startswith(prefix)}

    def ids(self, *names: str) -> list[str]:
        """Row ids of the named parameters (for provenance)."""
        rows = self.table.set_index("parameter")
        return [str(rows.loc[n, "id"]) for n in names]


def scoring_path(library: FactorLibrary | None) -> Path:
    """``scoring.csv`` of the library's data folder, else the packaged one."""
    if library is not None:
        candidate = Path(library.data_dir) / FILE_NAME
        if candidate.exists():
            return candidate
    return DATA_DIR / FILE_NAME


@lru_cache(maxsize=8)
def _load(path: str) -> ScoringParameters:
    return ScoringParameters(load_table("parameters", path))


def scoring_parameters(library: FactorLibrary | None = None) -> ScoringParameters:
    """The scoring parameters for ``library`` (loaded once per file)."""
    return _load(str(scoring_path(library)))
