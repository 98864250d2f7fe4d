"""``auditor report`` and ``auditor export``: thin click commands over the reports package.

INPUT files are results tables (written by ``auditor assess -o``; recognised by their columns)
or inventories (assessed on the fly with the usual inventory options). Heavy imports happen
inside the commands, so ``auditor --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from auditor.cli import inventory_options

#: Columns that mark a file as a results table rather than an inventory.
RESULTS_MARKERS: tuple[str, ...] = ("energy_source", "gwp_total_kgco2e_per_year", "factor_ids")


def _header_line(path: Path) -> str:
    with path.open("rb") as handle:
        raw = handle.readline(1_000_000)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def is_results_file(path: Path | str) -> bool:
    """True when the file is a results table (has the results columns), False for an inventory."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet" or _parquet_folder(path):
        return True
    if suffix in (".csv", ".txt", ".tsv"):
        header = _header_line(path)
        return all(marker in header for marker in RESULTS_MARKERS)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True)
            row = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            workbook.close()
        except Exception:  # noqa: BLE001 - not a readable workbook: let the inventory reader explain
            return False
        names = {str(v) for v in row if v is not None}
        return all(marker in names for marker in RESULTS_MARKERS)
    if suffix == ".json":
        head = path.read_text(encoding="utf-8", errors="replace")[:200_000]
        return all(f'"{marker}"' in head for marker in RESULTS_MARKERS)
    return False


def _parquet_folder(path: Path) -> bool:
    """A folder of Parquet parts (``auditor assess -o DIR/``)."""
    return path.is_dir() and any(path.glob("*.parquet"))


def read_results_file(path: Path | str):
    """Read a results table written by ``auditor assess -o`` or ``auditor export`` (any delimiter/decimal)."""
    import pandas as pd

    from auditor.errors import InputError
    from reports.exports import read_results

    path = Path(path)
    try:
        if path.suffix.lower() in (".csv", ".txt", ".tsv"):
            header = _header_line(path)
            sep = max(("\t", ";", ","), key=header.count)
            frame = pd.read_csv(path, sep=sep, encoding="utf-8-sig", low_memory=False)
            if sep == ";":  # possibly decimal commas (auditor export --sep ';' --decimal ',')
                _decimal_commas(frame)
            return frame
        return read_results(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read this results file: {exc}") from None


def _decimal_commas(frame) -> None:
    """Numeric results columns read as text because of decimal commas, converted in place."""
    import pandas as pd

    from auditor.results import COLUMN_DOCS

    numeric = [name for name, unit, _ in COLUMN_DOCS if unit] + ["quantity", "year", "pue"]
    for name in numeric:
        if name not in frame or pd.api.types.is_numeric_dtype(frame[name]):
            continue
        text = frame[name].astype(object).where(frame[name].notna(), None)
        converted = pd.to_numeric(text.map(lambda v: None if v is None else str(v).replace(",", ".")),
                                  errors="coerce")
        if converted.notna().sum() == text.notna().sum():
            frame[name] = converted


@dataclass
class Inputs:
    """What the inputs gave: the results table, warnings, and the inventory behind it when known."""

    results: object  # pandas.DataFrame
    warnings: list[str] = field(default_factory=list)
    #: Canonical inventory table, when every input was an inventory (recommendations need it).
    table: object | None = None
    options: object | None = None  # auditor.footprint.AssessOptions
    library: object | None = None  # factors.tables.FactorLibrary


def load_inputs(paths, *, country=None, pue=None, site_pue=None, today=None, progress=None,
                samples=None, lang="en") -> Inputs:
    """One results table from results files and inventories.

    Inventories are read and assessed (with scores) as ``auditor assess`` does; ``samples``
    (probe record files) give them measured energy, as ``auditor assess --samples``.
    """
    import pandas as pd

    from auditor.errors import InputError
    from auditor.importer.files import check_input_path

    for path in paths:  # a pipe or a device is refused before anything opens it; folders and
        if not Path(path).is_dir():  # files go to the inventory reader, which decides
            check_input_path(path)
    result_files = [p for p in paths if is_results_file(p)]
    inventories = [p for p in paths if p not in result_files]
    frames = [read_results_file(path) for path in result_files]
    loaded = Inputs(results=None)
    if inventories:
        from auditor.api import assess_inventories

        done = assess_inventories(inventories, country=country, pue=pue, site_pue=site_pue,
                                  today=today, progress=progress, samples=samples, lang=lang)
        frames.append(done.results)
        loaded.warnings = done.warnings
        if not result_files:
            loaded.table, loaded.options, loaded.library = done.table, done.options, done.library
    results = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    from reports.dashboard import check_results

    check_results(results, where=", ".join(str(p) for p in result_files) or "results")
    if results.empty:
        raise InputError("the inputs have no rows")
    loaded.results = results
    return loaded


def recommendations_for(inputs: Inputs, lang: str = "en") -> tuple[list[dict] | None, str | None]:
    """(recommendations, why not) from :func:`auditor.recommend.recommend`.

    Recommendations re-assess changed inventory rows, so they need the inventory itself: for a
    results file the reason says so. A failure inside the module is reported, not raised.
    """
    try:
        from auditor.recommend import recommend
    except ImportError:
        return None, None
    if inputs.table is None:
        return None, "inventory"
    try:
        return list(recommend(inputs.table, inputs.results, inputs.library, inputs.options, lang=lang)), None
    except Exception as exc:  # noqa: BLE001 - the dashboard shows the failure instead of crashing
        return None, f"{type(exc).__name__}: {exc}"


def read_samples(paths):
    """Probe record files (or folders of them) as a DataFrame, and warning lines.

    Uses :func:`auditor.measurements.read_samples` (columns host, t, dt, cpu, src, e_j, tz).
    """
    from auditor.errors import InputError

    try:
        from auditor.measurements import read_samples as read
    except ImportError:
        raise InputError("reading probe samples needs auditor.measurements and the probes package") from None
    frame, warnings = read(paths)
    if not len(frame):
        raise InputError(f"no probe records in {', '.join(str(p) for p in paths)}")
    return frame, warnings


def _working_hours(_ctx, _param, value: str) -> tuple[int, int]:
    start, sep, end = str(value).partition("-")
    try:
        hours = (int(start), int(end))
    except ValueError:
        hours = (-1, -1)
    if not sep or not (0 <= hours[0] < hours[1] <= 24):
        raise click.BadParameter(f"{value!r}; expected START-END hours such as 8-19")
    return hours


def _print_warnings(warnings: list[str], quiet: bool) -> None:
    if warnings and not quiet:
        from auditor.cli import _print_warnings as show

        show(warnings)


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
@click.option("--lang", type=click.Choice(("fr", "en")), default="en", show_default=True,
              help="Language of the labels.")
@click.option("--inhabitants", type=click.IntRange(min=1), help="Population, for per-inhabitant figures.")
@click.option("--agents", type=click.IntRange(min=1), help="Staff, for per-agent figures.")
@click.option("--samples", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Probe record files or folders: measured energy for inventories (as `auditor assess "
                   "--samples`) and the energy-profile panel; repeatable.")
@click.option("--working-hours", default="8-19", show_default=True, callback=_working_hours,
              metavar="START-END", help="Working hours (Monday to Friday) for the probe panel.")
@click.option("--title", help="Title of the page (default: 'Footprint of the digital estate').")
@click.option("--web-pages", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Measured pages (`auditor web measure ... -o pages.json`) for the web-services panel.")
@click.option("--baseline", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Previous year's inventory and/or results file: adds the annual review (see `auditor review`).")
@click.option("--targets", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML objectives for the annual review (with --baseline; docs/review.md).")
@inventory_options
def report(inputs, output, lang, inhabitants, agents, samples, working_hours, title, web_pages, baseline, targets,
           country, pue, site_pue, today, quiet):
    """Write a one-file offline HTML dashboard of results or inventories.

    INPUT is a results file (from `auditor assess -o`) or an inventory, assessed on the fly.
    The page embeds its charting library and loads nothing from the network.

    \b
    Example:
      auditor report inventaire.csv --country FR --lang fr --inhabitants 30000 -o rapport.html
    """
    from datetime import date

    from auditor.progress import Progress
    from auditor.web.pages import read_pages
    from auditor.writers import check_outputs
    from reports.dashboard import build_dashboard, write_dashboard

    check_outputs([output], [*inputs, *samples, *baseline, *(p for p in (web_pages, targets) if p)])
    progress = Progress(enabled=not quiet)
    loaded = load_inputs(inputs, country=country, pue=pue, site_pue=site_pue, today=today,
                         progress=progress, samples=samples, lang=lang)  # reasons in the page's language
    warnings = loaded.warnings
    probe_samples = None
    if samples:
        probe_samples, notes = read_samples(samples)
        warnings = [*warnings, *notes]
    step = f"recommendations ({len(loaded.results):,} rows)"
    progress.step(step, 0, 1)
    recommendations, why_not = recommendations_for(loaded, lang)
    progress.step(step, 1, 1)
    error = None if why_not in (None, "inventory") else why_not
    if error and not quiet:
        click.echo(f"warning: recommendations could not be computed: {error}", err=True)
    review_inputs = None
    if baseline:
        from auditor.cli_review import prepare_review, side_from_results

        progress.step("annual review")
        review_inputs = prepare_review(
            inputs, baseline, country=country, pue=pue, site_pue=site_pue, today=today,
            inhabitants=inhabitants, agents=agents, targets=targets, progress=progress,
            current_side=side_from_results(loaded.results, inputs, loaded.table, loaded.library))
        warnings = [*warnings, *review_inputs.review.warnings]
    progress.step(f"writing {output}", 0, 1)
    text = build_dashboard(loaded.results, lang=lang, inhabitants=inhabitants, agents=agents,
                           assessment_date=today or date.today(), recommendations=recommendations,
                           recommendations_error=error, recommendations_need_inventory=why_not == "inventory",
                           samples=probe_samples, working_hours=working_hours, title=title,
                           web_pages=read_pages(web_pages) if web_pages else None,
                           review=review_inputs.review if review_inputs else None,
                           review_indicators=review_inputs.indicators if review_inputs else None,
                           review_has_targets=bool(review_inputs and review_inputs.has_targets))
    write_dashboard(text, output)
    progress.step(f"writing {output}", 1, 1)
    progress.close()
    _print_warnings(warnings, quiet)
    click.echo(f"Report written to {output} ({_size(output)}).")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write, or folder for --format opendata.")
@click.option("--format", "fmt", type=click.Choice(("csv", "xlsx", "json", "parquet", "opendata")),
              help="Output format (default: from the file extension).")
@click.option("--sep", type=click.Choice((",", ";")), default=",", show_default=True,
              help="CSV field separator.")
@click.option("--decimal", type=click.Choice((".", ",")), default=".", show_default=True,
              help="CSV decimal mark (',' with --sep ';' for French spreadsheets).")
@click.option("--title", help="Title of the open-data package.")
@inventory_options
def export(inputs, output, fmt, sep, decimal, title, country, pue, site_pue, today, quiet):
    """Export results as CSV, XLSX, JSON or an open-data folder (Frictionless Data Package).

    INPUT is a results file (from `auditor assess -o`) or an inventory, assessed on the fly.
    Text cells starting with = + - @ are neutralised in CSV and XLSX (no formula is written).

    \b
    Examples:
      auditor export inventaire.csv --country FR -o resultats.csv --sep ';' --decimal ','
      auditor export results.parquet --format opendata -o donnees-ouvertes/
    """
    from auditor.progress import Progress
    from auditor.writers import check_outputs
    from reports.opendata import export_results

    check_outputs([output], inputs)
    progress = Progress(enabled=not quiet)
    loaded = load_inputs(inputs, country=country, pue=pue, site_pue=site_pue, today=today, progress=progress)
    progress.step(f"writing {output} ({len(loaded.results):,} rows)", 0, 1)
    written = export_results(loaded.results, output, fmt, sep=sep, decimal=decimal, title=title)
    progress.step(f"writing {output} ({len(loaded.results):,} rows)", 1, 1)
    progress.close()
    _print_warnings(loaded.warnings, quiet)
    what = "Open-data package" if written.is_dir() else "Results"
    click.echo(f"{what} written to {written} ({len(loaded.results):,} rows).")
