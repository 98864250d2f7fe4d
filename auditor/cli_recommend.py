"""``auditor recommend``: ranked actions with their yearly savings (thin click command)."""

from __future__ import annotations

import click

from auditor.cli import CRITERIA_CHOICES, _print_warnings, inventory_options


@click.command()
@click.argument("inventory", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="Plain-text table with explanations, or a JSON list.")
@click.option("--criterion", type=click.Choice(CRITERIA_CHOICES), default="gwp", show_default=True,
              help="Criterion the actions are ranked by.")
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True,
              help="Language of the titles and explanations.")
@inventory_options
def recommend(inventory, fmt, criterion, lang, country, pue, site_pue, today, quiet):
    """Recommend actions, ranked by estimated yearly savings (kWh, kgCO2e, m3, kgSbeq).

    Extend lifetimes (Linux or ChromeOS Flex for PCs stranded by Windows 11, battery
    replacement), switch off at night and weekends, consolidate under-used servers, right-size,
    replace only where the break-even is reached. Savings come from the footprint engine run on
    the changed items (see docs/scoring.md).

    \b
    Examples:
      auditor recommend inventaire.csv --country FR
      auditor recommend inventaire.csv --country FR --format json > actions.json
      auditor recommend inventaire.csv --country FR --lang fr
    """
    import json

    from auditor.api import assess_inventories
    from auditor.progress import Progress
    from auditor.recommend import format_table
    from auditor.recommend import recommend as make_recommendations

    progress = Progress(enabled=not quiet and fmt == "table")
    done = assess_inventories(inventory, country=country, pue=pue, site_pue=site_pue, today=today,
                              progress=progress)
    table, results, warnings, library, options = done.table, done.results, done.warnings, done.library, done.options
    step = f"recommendations: re-assessing the changed items ({len(table):,} rows)"
    progress.step(step, 0, 1)
    actions = make_recommendations(table, results, library, options, criterion=criterion, lang=lang)
    progress.step(step, 1, 1)
    progress.close()
    if warnings and not quiet:
        _print_warnings(warnings)
    if fmt == "json":
        click.echo(json.dumps(actions, ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(actions, criterion, lang), nl=False)
