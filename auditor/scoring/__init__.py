"""Scores of every item, with their reasons: sobriety, repairability, obsolescence (hardware risk and
software upkeep).

:func:`score` adds the score columns of the results contract (:data:`auditor.results.SCORE_COLUMNS`)
to a footprint assessment, in one vectorised pass (texts are built once per distinct case).
Method and sources: docs/scoring.md and ``factors/data/scoring.csv``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from auditor.scoring.obsolescence import obsolescence
from auditor.scoring.parameters import scoring_parameters
from auditor.scoring.repairability import repairability
from auditor.scoring.sobriety import sobriety
from factors.tables import FactorLibrary, default_library

__all__ = ["score"]

#: From this many rows the repairability and obsolescence scores run side by side in two threads.
THREADED_FROM_ROWS = 100_000


def score(results: pd.DataFrame, table: pd.DataFrame, library: FactorLibrary | None = None,
          today: date | None = None, lang: str = "en",
          profiles: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """The score columns for every row of ``results``.

    Parameters
    ----------
    results
        Footprint results of ``table`` (:func:`auditor.footprint.assess`), row for row.
    table
        The canonical inventory the results were computed from.
    library
        Factor library; the packaged one when None.
    today
        Reference date (ages, end-of-support status); today when None.
    lang
        Language of the reasons and actions: ``en`` (default) or ``fr``.
    profiles
        ``(codes, first)`` of :func:`auditor.profiles.profile_codes` for ``table``, when
        ``results`` come from :func:`auditor.footprint.assess`: the sobriety score, which reads
        only a row's footprint inputs and results, is then computed once per profile.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`auditor.results.SCORE_COLUMNS`, index of ``results``.
    """
    from auditor.results import SCORE_COLUMNS
    from auditor.scoring.texts import check_lang

    check_lang(lang)
    library = library or default_library()
    today = today or date.today()
    params = scoring_parameters(library)
    table = table.reset_index(drop=True)
    base = results.reset_index(drop=True)
    if len(table) >= THREADED_FROM_ROWS:
        # repairability and obsolescence read the same frames and write nothing shared; their
        # numpy work releases the GIL, so on two cores they overlap (1M rows: 0.96 s -> 0.64 s)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            repair = pool.submit(repairability, base, table, params, today, lang)
            obsolete = pool.submit(obsolescence, base, table, params, today, lang)
            sober = _sobriety(base, table, library, params, lang, profiles)
            parts = [sober, repair.result(), obsolete.result()]
    else:
        parts = [
            _sobriety(base, table, library, params, lang, profiles),
            repairability(base, table, params, today, lang),
            obsolescence(base, table, params, today, lang),
        ]
    out = pd.concat(parts, axis=1)[list(SCORE_COLUMNS)]
    out.index = results.index
    return out


def _sobriety(results: pd.DataFrame, table: pd.DataFrame, library: FactorLibrary, params, lang: str,
              profiles: tuple[np.ndarray, np.ndarray] | None) -> pd.DataFrame:
    """Sobriety columns, computed per footprint profile when that is worth it."""
    from auditor.profiles import gather, worth_grouping

    if profiles is None or not worth_grouping(len(profiles[1]), len(table)):
        return sobriety(results, table, library, params, lang)
    codes, first = profiles
    once = sobriety(results.iloc[first].reset_index(drop=True), table.iloc[first].reset_index(drop=True),
                    library, params, lang)
    return pd.DataFrame({c: gather(once[c].array if isinstance(once[c].dtype, pd.CategoricalDtype)
                                   else once[c].to_numpy(), codes) for c in once.columns})
