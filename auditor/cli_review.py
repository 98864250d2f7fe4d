"""``auditor review``: this year against last year, estate change apart from method change.

Thin click command over :func:`prepare_review` (loading both sides) and :mod:`auditor.review`;
the HTML page is built by :mod:`reports.review_page`, imported only when ``-o`` is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from auditor.cli import _parse_date, inventory_options


@dataclass
class Side:
    """One side of a review: results (and the inventory behind them when known) and provenance."""

    results: object  # pandas.DataFrame
    files: list[Path]
    table: object | None = None
    generated: object | None = None  # numpy bool array: ids made up by the importer
    tool_version: str | None = None
    method_version: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReviewInputs:
    current: Side
    baseline: Side
    baseline_today: Side | None
    review: object  # auditor.review.Review
    indicators: object  # pandas.DataFrame from auditor.indicators.evaluate
    has_targets: bool = False


def _assessed(paths, *, country, pue, site_pue, today, library, progress) -> Side:
    from auditor.api import assess_inventories
    from auditor.provenance import method_version, tool_version
    from auditor.review import generated_ids

    done = assess_inventories(paths, country=country, pue=pue, site_pue=site_pue, today=today,
                              library=library, progress=progress)
    stems = [Path(p).stem for p in paths]
    return Side(done.results, [Path(p) for p in paths], done.table, generated_ids(done.results["id"], stems),
                tool_version(), method_version(done.library), list(done.warnings))


def _from_results(paths) -> Side:
    import pandas as pd

    from auditor.provenance import check_results_version
    from auditor.review import generated_ids
    from reports.cli import read_results_file
    from reports.dashboard import check_results

    frames, tools, methods = [], set(), set()
    for path in paths:
        frame = read_results_file(path)
        check_results(frame, where=str(path))
        tool, method = check_results_version(frame, str(path))
        tools.add(tool)
        methods.add(method)
        frames.append(frame)
    results = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    method = methods.pop() if len(methods) == 1 else None
    tool = tools.pop() if len(tools) == 1 else None
    return Side(results, [Path(p) for p in paths], None, generated_ids(results["id"]), tool, method)


def load_side(paths, *, country=None, pue=None, site_pue=None, today=None, library=None,
              progress=None) -> tuple[Side, Side | None]:
    """(as given, assessed with today's method) for one side of the review.

    Results files are taken as they are (their method is the one they record); inventories are
    assessed with today's method. With both, the results are the side as it was assessed and the
    inventories the same estate re-assessed today; with inventories only both are the same.
    """
    from auditor.review import generated_ids
    from reports.cli import is_results_file

    paths = [Path(p) for p in paths]
    result_files = [p for p in paths if is_results_file(p)]
    inventories = [p for p in paths if p not in result_files]
    today_side = (_assessed(inventories, country=country, pue=pue, site_pue=site_pue, today=today,
                            library=library, progress=progress) if inventories else None)
    if not result_files:
        return today_side, today_side
    original = _from_results(result_files)
    if today_side is not None:
        original.generated = generated_ids(original.results["id"], [p.stem for p in inventories])
        original.table = today_side.table
    return original, today_side


def _first_review(current: Side, today: date, inhabitants, agents, objectives) -> ReviewInputs:
    """A first review (no previous year): this year's totals and indicators against the targets."""
    import numpy as np

    from auditor.indicators import default_objectives, evaluate, indicators
    from auditor.review import first_review

    result = first_review(current.results, current_method=current.method_version)
    now = indicators(current.results, table=current.table, inhabitants=inhabitants, agents=agents)
    chosen = list(objectives or [])
    covered = {(o.indicator, o.category) for o in chosen}
    chosen += [o for o in default_objectives(now) if (o.indicator, o.category) not in covered]
    table = evaluate(chosen, now, None, today.year, None)
    nothing = Side(current.results.iloc[0:0], [], None, np.zeros(0, bool))
    return ReviewInputs(current, nothing, None, result, table, has_targets=objectives is not None)


def prepare_review(current_paths, baseline_paths, *, country=None, pue=None, site_pue=None, today=None,
                   baseline_date=None, inhabitants=None, agents=None, targets=None, library=None,
                   progress=None, current_side: Side | None = None) -> ReviewInputs:
    """Load both sides, review them, and evaluate the indicators (and targets when given).

    ``current_side``: this year already loaded (``auditor report --baseline``), else read from
    ``current_paths``.
    """
    from auditor.indicators import default_objectives, evaluate, indicators, read_targets
    from auditor.review import review
    from factors.tables import default_library

    library = library or default_library()
    today = today or date.today()
    baseline_date = baseline_date or date(today.year - 1, today.month, min(today.day, 28))
    current = current_side or load_side(current_paths, country=country, pue=pue, site_pue=site_pue,
                                        today=today, library=library, progress=progress)[0]
    if not baseline_paths:
        return _first_review(current, today, inhabitants, agents, read_targets(targets) if targets else None)
    baseline, baseline_today = load_side(baseline_paths, country=country, pue=pue, site_pue=site_pue,
                                         today=baseline_date, library=library, progress=progress)
    # inventories only: the baseline was assessed with today's method (same method, no method change)
    separated = baseline_today is not None and baseline_today is not baseline
    reassessed = baseline_today.results if separated else None
    result = review(current.results, baseline.results, reassessed,
                    current_generated=current.generated, baseline_generated=baseline.generated,
                    current_method=current.method_version, baseline_method=baseline.method_version)
    objectives = read_targets(targets) if targets else None
    retired = baseline.results[result.removed_rows] if result.removed_rows is not None else None
    now = indicators(current.results, table=current.table, inhabitants=inhabitants, agents=agents,
                     retired=retired, interval_years=max((today - baseline_date).days / 365.25, 0.0),
                     purchases=result.added_rows if result.added_rows is not None and result.added_rows.any()
                     else None)
    reference = baseline_today if baseline_today is not None else baseline
    before = indicators(reference.results, table=reference.table, inhabitants=inhabitants, agents=agents)
    # the objectives first, then every other indicator with its value and trend only
    chosen = list(objectives or [])
    covered = {(o.indicator, o.category) for o in chosen}
    chosen += [o for o in default_objectives(now) if (o.indicator, o.category) not in covered]
    table = evaluate(chosen, now, before, today.year, baseline_date.year)
    return ReviewInputs(current, baseline, baseline_today if separated else None, result, table,
                        has_targets=objectives is not None)


def side_from_results(results, paths, table=None, library=None) -> Side:
    """A :class:`Side` for results already assessed (or read) by another command."""
    from auditor.provenance import check_results_version
    from auditor.review import generated_ids

    paths = [Path(p) for p in paths]
    tool, method = check_results_version(results, ", ".join(map(str, paths)))
    stems = [p.stem for p in paths] if table is not None else None
    return Side(results, paths, table, generated_ids(results["id"], stems), tool, method)


def _fmt(value: float) -> str:
    if value != value:
        return "-"
    magnitude = abs(value)
    if magnitude < 1e-9:  # rounding residue of a part that is zero
        return "0"
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def format_review(inputs: ReviewInputs) -> str:
    """Plain-text review printed by ``auditor review``."""
    from auditor.review import COMPONENTS, bounds_of

    result = inputs.review
    before = [*inputs.baseline.files, *(inputs.baseline_today.files if inputs.baseline_today else [])]
    against = f"against {', '.join(map(str, before))}" if before else "(first review: no previous year)"
    lines = [f"Review: {', '.join(map(str, inputs.current.files))} {against}",
             f"Method change: {result.method_status}"
             f" (previous {result.versions.get('baseline') or 'unknown'}, current "
             f"{result.versions.get('current') or 'unknown'})", ""]
    head = f"{'per year':<14}{'previous':>13}{'current':>13}{'change':>12}{'low':>12}{'high':>12}"
    lines.append(head + "".join(f"{c:>11}" for c in COMPONENTS))
    units = {"energy": "kWh", "gwp": "kgCO2e", "water": "m3", "adpe": "kgSbeq", "pe": "MJ"}
    totals = result.totals
    low, high = bounds_of(totals, "change")
    for criterion, row in totals.iterrows():
        lines.append(f"{criterion + ' ' + units[criterion]:<14}"
                     + f"{_fmt(row['baseline']):>13}{_fmt(row['current']):>13}{_fmt(row['change']):>12}"
                     + f"{_fmt(low[criterion]):>12}{_fmt(high[criterion]):>12}"
                     + "".join(f"{_fmt(row[c]):>11}" for c in COMPONENTS))
    d = result.devices
    if "added" not in d:  # a first review: nothing to compare
        lines += ["", f"Devices: {d['current']:,.0f} this year"]
    else:
        lines += ["", f"Devices: {d['added']:,.0f} added, {d['removed']:,.0f} removed, {d['kept']:,.0f} kept "
                  f"({d['kept_more']:,.0f} more, {d['kept_fewer']:,.0f} fewer on kept rows)",
                  "Matched by: " + ", ".join(f"{k} {v:,}" for k, v in result.rules.items())]
    table = inputs.indicators
    if len(table):
        lines += ["", f"{'indicator':<28}{'category':<14}{'value':>12}{'previous':>12}{'target':>10}  status"]
        for _, row in table.iterrows():
            lines.append(f"{row['indicator']:<28}{row['category']:<14}{_fmt(row['value']):>12}"
                         f"{_fmt(row['baseline']):>12}{_fmt(row['target']):>10}  {row['status']}")
    return "\n".join(lines)


def to_json(inputs: ReviewInputs) -> str:
    from auditor.review import to_records

    data = to_records(inputs.review)
    data["current_files"] = [str(p) for p in inputs.current.files]
    data["baseline_files"] = [str(p) for p in inputs.baseline.files]
    data["indicators"] = json.loads(inputs.indicators.to_json(orient="records"))
    return json.dumps(data, ensure_ascii=False, indent=1)


@click.command()
@click.argument("current", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--baseline", "baseline", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Previous year: its inventory, its results file, or both (repeatable); "
                   "omit it for a first review (this year's values and targets only).")
@click.option("--lang", type=click.Choice(("fr", "en")), default="en", show_default=True,
              help="Language of the page.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="HTML page to write.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="What is printed: a table, or JSON (every part, group and indicator).")
@click.option("--targets", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file of the strategy's objectives (docs/review.md).")
@click.option("--inhabitants", type=click.IntRange(min=1), help="Population, for per-inhabitant indicators.")
@click.option("--agents", type=click.IntRange(min=1), help="Staff, for per-agent indicators.")
@click.option("--baseline-date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Date of the previous assessment, for ages (default: one year before --date).")
@inventory_options
def review(current, baseline, lang, output, fmt, targets, inhabitants, agents, baseline_date,
           country, pue, site_pue, today, quiet):
    """Compare this year's estate with last year's: estate change apart from method change.

    CURRENT and each --baseline are inventories (assessed with today's method) or results files
    (from `auditor assess -o`). Give last year's inventory AND its results to measure the method
    change; the decomposition adds up to the total change.

    \b
    Example:
      auditor review inventaire.csv --baseline inventaire-2025.csv --baseline resultats-2025.csv \\
        --country FR --lang fr --targets objectifs.yaml -o bilan.html
    """
    from auditor.errors import InputError
    from auditor.progress import Progress

    if output is not None and output.resolve() in {p.resolve() for p in (*current, *baseline)}:
        raise InputError(f"{output}: is an input file; choose another output name")
    now = today or date.today()
    if baseline_date is not None and baseline_date >= now:
        raise InputError(f"--baseline-date {baseline_date.isoformat()}: not before --date {now.isoformat()}; "
                         "expected the date of the previous assessment")
    progress = Progress(enabled=not quiet)
    inputs = prepare_review(current, baseline, country=country, pue=pue, site_pue=site_pue, today=today,
                            baseline_date=baseline_date, inhabitants=inhabitants, agents=agents,
                            targets=targets, progress=progress)
    if output is not None:
        from reports.dashboard import write_dashboard
        from reports.review_page import build_review_page

        progress.step(f"writing {output}")
        text = build_review_page(inputs.review, inputs.indicators, lang=lang, review_date=today or date.today(),
                                 current_name=", ".join(p.name for p in inputs.current.files),
                                 baseline_name=", ".join(p.name for p in inputs.baseline.files),
                                 has_targets=inputs.has_targets)
        write_dashboard(text, output)
    progress.close()
    if not quiet:
        warnings = [*inputs.current.warnings, *inputs.baseline.warnings, *inputs.review.warnings]
        for line in warnings[:10]:
            click.echo(f"warning: {line}", err=True)
    for line in inputs.review.warnings:
        if quiet:
            click.echo(f"warning: {line}", err=True)
    click.echo(to_json(inputs) if fmt == "json" else format_review(inputs))
    if output is not None:
        click.echo(f"\nReview written to {output}.")
