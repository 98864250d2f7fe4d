"""Library entry points that the CLI and users call: read, join samples, assess and score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from auditor.footprint import AssessOptions, assess
from auditor.inventory import read_inventory
from auditor.progress import Progress
from factors.tables import FactorLibrary, default_library


def assess_table(
    table: pd.DataFrame,
    *,
    library: FactorLibrary | None = None,
    options: AssessOptions | None = None,
    progress: Progress | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Assess a canonical inventory in one vectorised pass, reporting its steps.

    ``lang`` (``en`` or ``fr``) is the language of the reason texts of the scores.
    """
    library = library or default_library()
    from auditor.web.footprint import assess_with_web, is_web

    if is_web(table).any():  # web services: their own footprint (auditor/web/footprint.py)
        return assess_with_web(table, lambda t: assess_table(t, library=library, options=options, progress=progress,
                                                             lang=lang))
    if progress:
        progress.step("loading and checking the factor tables", 0, 1)
    library.validate_all()
    if progress:
        progress.step("loading and checking the factor tables", 1, 1)
    from auditor.profiles import profile_codes

    profiles = profile_codes(table, site_matters=bool(options and options.site_pue))
    results = assess(table, library, options, progress=progress.step if progress else None, profiles=profiles)
    step = f"scores: sobriety, repairability, obsolescence ({len(table):,} rows)"
    if progress:
        progress.step(step, 0, 1)
    from auditor.scoring import score

    today = (options.today if options else None) or date.today()
    from auditor.provenance import add_provenance

    scores = score(results, table, library, today, lang=lang, profiles=profiles)
    if progress:
        progress.step(step, 1, 1)
    scored = pd.concat([results, scores], axis=1)
    for key in ("serial_number", "model"):  # identity keys for year-over-year matching
        scored[key] = table[key].reset_index(drop=True) if key in table else None
    # which factors made these figures (packaged tables' hash, packs and versions): a column, so
    # that every results file keeps it (auditor.provenance), and the frame's attrs
    scored = add_provenance(scored, library)
    scored.attrs["method_version"] = library.fingerprint()
    if compare_methods_requested():
        # a plain dict: pandas compares attrs when it combines frames, a DataFrame there would fail
        scored.attrs["method_spread"] = _spread(table, library, options, scored).to_dict(orient="index")
    return scored


#: Set by the ``--compare-methods`` option: assessments also compute the spread between methods.
_COMPARE: list[bool] = []


def compare_methods(on: bool) -> None:
    """Ask every assessment for the spread between methods (``--compare-methods``)."""
    _COMPARE[:] = [bool(on)]


def compare_methods_requested() -> bool:
    return bool(_COMPARE and _COMPARE[0])


def _spread(table: pd.DataFrame, library: FactorLibrary, options: AssessOptions | None,
            results: pd.DataFrame) -> pd.DataFrame:
    """Totals under every method (same inventory, same packs) and their spread."""
    from auditor.methods import method_spread
    from factors.packs import METHODS

    by_method = {library.method: results}
    for method in METHODS:
        if method not in by_method:
            other = FactorLibrary(library.data_dir, library.pack_dirs, method)
            by_method[method] = assess(table, other, options)
    return method_spread({m: by_method[m] for m in METHODS})


@dataclass
class Assessment:
    """An assessed inventory: the canonical table, its results (with scores) and how it was made."""

    table: pd.DataFrame
    results: pd.DataFrame
    warnings: list[str]
    options: AssessOptions
    library: FactorLibrary


def assess_inventories(
    paths: Iterable[Path | str],
    *,
    country: str | None = None,
    pue: float | None = None,
    site_pue: dict[str, float] | None = None,
    today: date | None = None,
    library: FactorLibrary | None = None,
    progress: Progress | None = None,
    samples: Iterable[Path | str] | None = None,
    lang: str = "en",
) -> Assessment:
    """Read inventory files, join probe samples, assess and score: the one pipeline every command uses.

    ``samples``: probe record files or folders (``auditor probe run``, ``auditor ingest``); items
    they match by hostname or id get measured energy (:mod:`auditor.measurements`).
    """
    library = library or default_library()
    table, warnings = read_inventory(
        paths, country=country, today=today, library=library,
        progress=progress.step if progress else None,
    )
    if samples:
        from auditor.measurements import apply_measurements

        if progress:
            progress.step("joining probe samples")
        table, notes = apply_measurements(table, samples, library=library, today=today)
        warnings = [*warnings, *notes]
    options = AssessOptions(pue=pue, site_pue=dict(site_pue or {}), today=today)
    results = assess_table(table, library=library, options=options, progress=progress, lang=lang)
    return Assessment(table, results, warnings, options, library)


def assess_files(paths: Iterable[Path | str], **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """Read inventory files and assess them: (results table, warning lines).

    Same keywords as :func:`assess_inventories`.
    """
    done = assess_inventories(paths, **kwargs)
    return done.results, done.warnings
