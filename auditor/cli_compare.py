"""``auditor compare``, ``auditor scenario`` and ``auditor purchases`` (thin click commands)."""

from __future__ import annotations

import click

from auditor.cli import _parse_date, _print_warnings


def _parse_lifetimes(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, float]:
    from auditor.whatif import _category

    out: dict[str, float] = {}
    for text in values:
        category, sep, number = text.rpartition("=")
        try:
            years = float(number.replace(",", "."))
        except ValueError:
            years = float("nan")
        code = _category(category.strip()) if sep else None
        if code is None or not (0 < years <= 100):
            raise click.BadParameter(f"{text!r}; expected CATEGORY=YEARS, e.g. laptop=6 (years > 0)")
        out[code] = years
    return out


@click.command()
@click.argument("options", type=click.Path(dir_okay=False))
@click.option("--horizon", "horizon", type=click.FloatRange(0, 50, min_open=True), metavar="YEARS",
              help="Years to compare over (default: horizon_years of the file).")
@click.option("--country", help="Electricity country (default: the file's country).")
@click.option("--rank-by", type=click.Choice(("gwp", "energy", "water", "adpe", "pe", "cost")), default="gwp",
              show_default=True, help="Criterion the options are ranked by (smallest first).")
@click.option("--lang", type=click.Choice(("fr", "en")), default="en", show_default=True,
              help="Language of the HTML page.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the comparison page (.html).")
@click.option("--date", "today", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Date of the comparison: options bought now are of this year (default: today).")
def compare(options, horizon, country, rank_by, lang, fmt, output, today):
    """Compare equipment options over their whole life: keep, repair, refurbished or new.

    OPTIONS is a YAML file (or CSV/XLSX, one option per row); see docs/compare.md. Every option
    is assessed by the footprint engine; totals include the manufacture of each device bought
    (the last one prorated), its use, its repairs, and the cost when prices are given.

    \b
    Examples:
      auditor compare examples/compare/school-laptop.yaml
      auditor compare examples/compare/server-keep-or-replace.yaml --country PL --format json
      auditor compare examples/compare/monitors.yaml --lang fr -o comparaison.html
    """
    import json

    from auditor.compare import compare as run_compare
    from auditor.compare import format_table
    from auditor.options_file import read_options

    spec = read_options(options)
    comparison = run_compare(spec, horizon_years=horizon, country=country, rank_by=rank_by, today=today)
    if output:
        from reports.compare_page import build_compare_page
        from reports.dashboard import write_dashboard

        _refuse_overwrite(output, options)
        write_dashboard(build_compare_page(comparison, lang=lang), output)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(comparison), nl=False)
        if output:
            click.echo(f"\nComparison page written to {output}")


def _refuse_overwrite(output: str, *inputs: str) -> None:
    from pathlib import Path

    from auditor.errors import InputError

    target = Path(output).resolve()
    if any(Path(p).resolve() == target for p in inputs):
        raise InputError(f"{output}: is an input file; an output never overwrites an input")
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{output}: expected an .html file name")


@click.command()
@click.argument("inventory", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False),
              help="YAML file naming several scenarios (compared side by side).")
@click.option("--extend-lifetime", type=click.FloatRange(0, 50, min_open=True), metavar="YEARS",
              help="Every device kept YEARS longer than its lifetime.")
@click.option("--lifetime", "lifetimes", multiple=True, callback=_parse_lifetimes, metavar="CATEGORY=YEARS",
              help="Lifetime of one category (e.g. laptop=6); repeatable.")
@click.option("--switch-off-outside-hours", is_flag=True,
              help="User devices switched off outside their category's working time.")
@click.option("--consolidate-servers", is_flag=True, help="Under-used servers of a site packed onto fewer.")
@click.option("--pue", type=click.FloatRange(1.0, 10.0), help="PUE of every server room in the scenario.")
@click.option("--grid", help="Electricity of this country for every item (ISO code or name).")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--country", help="Country of items whose row gives none (baseline).")
@click.option("--date", "today", callback=_parse_date, metavar="YYYY-MM-DD", help="Assessment date.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, no warnings list.")
def scenario(inventory, scenario_file, extend_lifetime, lifetimes, switch_off_outside_hours, consolidate_servers,
             pue, grid, fmt, country, today, quiet):
    """What-ifs on the whole estate: change of the yearly footprint per criterion, with bounds.

    The changed items are re-assessed by the footprint engine and compared with the baseline.
    Give a scenario file (several scenarios side by side) and/or changes on the command line.

    \b
    Examples:
      auditor scenario inventaire.csv --country FR --extend-lifetime 2
      auditor scenario inventaire.csv --country FR --lifetime laptop=6 --switch-off-outside-hours
      auditor scenario examples/ville-exemple/inventaire-glpi.csv --country FR \\
          --scenario examples/ville-exemple/scenarios.yaml
    """
    import json

    from auditor.errors import InputError
    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import read_inventory
    from auditor.progress import Progress
    from auditor.whatif import format_scenarios, read_scenarios, run_scenarios, scenario_from_flags
    from factors.tables import default_library

    if extend_lifetime and lifetimes:
        raise click.UsageError("give --extend-lifetime or --lifetime, not both")
    scenarios = read_scenarios(scenario_file) if scenario_file else []
    flags = scenario_from_flags(extend_lifetime=extend_lifetime, lifetime=lifetimes, switch_off=switch_off_outside_hours,
                                consolidate=consolidate_servers, pue=pue, grid=grid)
    if flags is not None:
        scenarios.append(flags)
    if not scenarios:
        raise InputError("nothing to change: give --scenario FILE or a change (--extend-lifetime, --lifetime, "
                         "--switch-off-outside-hours, --consolidate-servers, --pue, --grid)")
    library = default_library()
    if grid:
        library.resolve_country(grid)
    _check_grids(scenarios, scenario_file, library)
    progress = Progress(enabled=not quiet and fmt == "table")
    progress.step("reading the inventory")
    table, warnings = read_inventory(inventory, country=country, today=today, library=library,
                                     progress=progress.step)
    options = AssessOptions(today=today)
    progress.step(f"baseline: assessing {len(table):,} rows")
    results = assess(table, library, options)
    report = run_scenarios(table, results, scenarios, library=library, options=options, progress=progress.step)
    progress.close()
    if warnings and not quiet:
        _print_warnings(warnings)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(format_scenarios(report), nl=False)


@click.command()
@click.argument("inventory", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--year", type=int, required=True, help="Calendar year of the purchases (YYYY).")
@click.option("--country", help="Country of items whose row gives none.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No warnings list.")
def purchases(inventory, year, country, fmt, quiet):
    """A year's IT purchases against the French public-purchase duties (AGEC law, article 58).

    Spending per product family and its reused or refurbished share, against the minimum shares
    of décret n° 2021-254 (annex lines 4 and 5; décret n° 2024-134 from July 2024); and the
    share of laptops, smartphones, tablets and TVs bought with a repairability index, with its
    mean. Needs purchase_date, price and reused/refurbished columns.

    \b
    Example:
      auditor purchases examples/achats-2023.csv --year 2023 --country FR
    """
    import json

    from auditor.inventory import read_inventory
    from auditor.purchases import format_purchases
    from auditor.purchases import purchases as year_purchases

    table, warnings = read_inventory(inventory, country=country)
    report = year_purchases(table, year)
    if warnings and not quiet:
        _print_warnings(warnings)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(format_purchases(report), nl=False)


def _check_grids(scenarios, scenario_file, library) -> None:
    """A scenario's grid that names no known country: one line with the file, scenario and line."""
    from auditor.errors import OptionsError
    from factors.errors import UnknownCountryError

    for scenario in scenarios:
        if scenario.grid and scenario_file and scenario.line is not None:
            try:
                library.resolve_country(scenario.grid)
            except UnknownCountryError as exc:
                reason = str(exc).replace(f" {scenario.grid!r}", "", 1)
                raise OptionsError(reason, file=str(scenario_file), entry=scenario.name,
                                   line=scenario.lines.get("grid", scenario.line),
                                   field="grid", value=scenario.grid, kind="scenario") from None
