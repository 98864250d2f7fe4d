"""The ``auditor`` command line: thin click commands that parse, call one library function, format.

Bad input prints one line ``error: ...`` and exits with code 2; an unexpected failure prints one
line and exits with code 1 (``AUDITOR_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date

import click

from auditor.errors import AuditorError, InputError

CRITERIA_CHOICES = ("energy", "gwp", "water", "adpe", "pe")
MAX_WARNINGS_SHOWN = 10


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD") from None


def _parse_site_pue(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in values:
        site, sep, number = text.rpartition("=")
        try:
            pue = float(number.replace(",", "."))
        except ValueError:
            pue = float("nan")
        if not sep or not site or not (1.0 <= pue <= 10.0):
            raise click.BadParameter(f"{text!r}; expected SITE=PUE with a PUE between 1 and 10")
        out[site.strip()] = pue
    return out


def _use_packs(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
    if values:
        from factors.tables import use_packs

        use_packs(values)


#: ``--factors DIR``: factor packs laid over the packaged tables (see docs/factors.md).
factors_option = click.option(
    "--factors", "factor_packs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
    callback=_use_packs, expose_value=False,
    help="Factor pack folder laid over the packaged tables; repeatable (also AUDITOR_FACTORS, "
         "or [tool.auditor] factors in auditor.toml).")


def _use_method(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        from factors.tables import use_method

        use_method(value)


def _compare(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        from auditor.api import compare_methods

        compare_methods(True)


def inventory_options(func):
    """Options shared by every command that reads an inventory."""

    @click.option("--country", help="Country of items whose row gives none (ISO code or name, e.g. FR).")
    @click.option("--pue", type=click.FloatRange(1.0, 10.0), help="PUE of on-site server rooms (default: packaged, cited).")
    @click.option("--site-pue", multiple=True, callback=_parse_site_pue, metavar="SITE=PUE",
                  help="PUE of one site's server room; repeatable.")
    @click.option("--date", "today", callback=_parse_date, metavar="YYYY-MM-DD",
                  help="Assessment date for ages (default: today).")
    @click.option("-q", "--quiet", is_flag=True, help="No progress, no warnings list.")
    @factors_option
    @click.option("--method", type=click.Choice(("pcf", "ademe")), callback=_use_method, expose_value=False,
                  help="Factor set: pcf (manufacturers' footprints, default) or ademe (French reference "
                       "figures); also AUDITOR_METHOD or [tool.auditor] method.")
    @click.option("--compare-methods", is_flag=True, callback=_compare, expose_value=False,
                  help="Also assess with the other method and show the spread between methods.")
    @click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
                  help="Raise an input limit (file_mb, cells, columns, cell_chars, xlsx_mb; see "
                       "docs/inventory.md); repeatable.")
    @functools.wraps(func)
    def wrapper(*args, limits=(), **kwargs):
        from auditor.importer.limits import parse_limits, use_limits

        with use_limits(parse_limits(limits)):
            return func(*args, **kwargs)

    return wrapper


class LazyGroup(click.Group):
    """A group whose subcommands live in other modules, imported only when used.

    Keeps ``auditor --help`` and ``auditor probe run`` fast (the probe must not import pandas).
    Pattern from the click documentation, "Advanced patterns: lazily loading subcommands".
    """

    def __init__(self, *args, lazy_subcommands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            import importlib

            module_name, attribute = self.lazy_subcommands[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, cmd_name)


#: Subcommands defined in their own modules: name -> "module:attribute".
LAZY_SUBCOMMANDS: dict[str, str] = {
    "recommend": "auditor.cli_recommend:recommend",
    "probe": "auditor.cli_probe:probe",
    "ingest": "auditor.cli_probe:ingest",
    "report": "reports.cli:report",
    "export": "reports.cli:export",
    "compare": "auditor.cli_compare:compare",
    "scenario": "auditor.cli_compare:scenario",
    "purchases": "auditor.cli_compare:purchases",
    "web": "auditor.web.cli:web",
    "review": "auditor.cli_review:review",
}


@click.group(
    cls=LazyGroup,
    lazy_subcommands=LAZY_SUBCOMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="sobriety-auditor")
def cli() -> None:
    """Digital-sobriety footprint auditor: energy, GHG, water and rare materials of a digital estate.

    \b
    Example:
      auditor assess examples/ville-exemple/inventaire-glpi.csv --country FR -o results.csv
    """


@cli.command()
@click.argument("inventory", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(),
              help="Write the results table (.csv, .xlsx, .json or .parquet; DIR/ for one Parquet "
                   "part per chunk).")
@click.option("--criterion", type=click.Choice(CRITERIA_CHOICES), default="gwp", show_default=True,
              help="Criterion of the per-category and top-ten tables.")
@click.option("--samples", multiple=True, type=click.Path(exists=True), metavar="DIR",
              help="Probe or ingested sample files (folder or file) for measured energy; repeatable.")
@click.option("--chunk-rows", type=click.IntRange(min=0), default=None,
              help="Read, assess and write this many rows at a time (0: whole table; default: "
                   "250,000 when the inputs exceed 200 MB). See docs/scale.md.")
@inventory_options
def assess(inventory, output, criterion, samples, country, pue, site_pue, today, quiet, chunk_rows):
    """Assess inventory files: footprint of every item, embodied and use, with bounds.

    INVENTORY is one or more CSV (comma or semicolon), XLSX or JSON files, with French or
    English headers, or inventory agents' files (FusionInventory/OCS XML, GLPI-agent JSON) and
    folders of them (see docs/inventory.md).

    \b
    Example:
      auditor assess inventaire.csv --country FR -o results.xlsx
    """
    from auditor.api import assess_files
    from auditor.progress import Progress
    from auditor.summary import format_summary

    if _assess_chunked(inventory, output, criterion, samples, country, pue, site_pue, today, quiet,
                       chunk_rows):
        return
    if output:
        from auditor.writers import check_outputs, format_for

        format_for(output)
        check_outputs([output], [*inventory, *samples])
    progress = Progress(enabled=not quiet)
    results, warnings = assess_files(
        inventory, country=country, pue=pue, site_pue=site_pue, today=today, progress=progress,
        samples=samples,
    )
    if output:
        from auditor.writers import write_results

        progress.step(f"writing {output} ({len(results):,} rows)", 0, 1)
        write_results(results, output)
        progress.step(f"writing {output} ({len(results):,} rows)", 1, 1)
    progress.close()
    if warnings and not quiet:
        _print_warnings(warnings)
    if not quiet:
        from factors.tables import default_library

        for line in default_library().missing_factors():  # criteria left empty, never 0
            click.echo(f"note: {line}", err=True)
    click.echo(format_summary(results, criterion))
    if "method_spread" in results.attrs:
        from auditor.methods import format_spread

        click.echo(format_spread(results.attrs["method_spread"]))
    if output:
        click.echo(f"\nResults written to {output}")


def _assess_chunked(inventory, output, criterion, samples, country, pue, site_pue, today, quiet,
                    chunk_rows) -> bool:
    """``auditor assess`` in chunks when asked or when the inputs are large (auditor.chunked)."""
    from auditor.chunked import DEFAULT_CHUNK_ROWS, assess_in_chunks, chunk_rows_for, output_kind

    folder = bool(output) and output_kind_is_dir(output)
    rows = chunk_rows_for(list(inventory), chunk_rows)
    if folder and not rows:  # a folder output is written in parts; --chunk-rows 0: one part
        rows = 1 << 62 if chunk_rows == 0 else DEFAULT_CHUNK_ROWS
    if not rows:
        return False
    from auditor.progress import Progress
    from auditor.writers import check_outputs

    if output:
        output_kind(output)
        check_outputs([output], [*inventory, *samples])
    progress = Progress(enabled=not quiet)
    summary, warnings = assess_in_chunks(
        list(inventory), chunk_rows=rows, output=output, criterion=criterion, country=country,
        pue=pue, site_pue=site_pue, today=today, progress=progress, samples=list(samples) or None)
    progress.close()
    if warnings and not quiet:
        _print_warnings(warnings)
    click.echo(summary.format())
    if output:
        click.echo(f"\nResults written to {output}")
    return True


def output_kind_is_dir(output: str) -> bool:
    """True for ``-o DIR/`` (or an existing folder): a partitioned Parquet output."""
    return str(output).endswith(("/", os.sep)) or os.path.isdir(output)


def _print_warnings(warnings: list[str]) -> None:
    for line in warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(f"warning: {line}", err=True)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        click.echo(
            f"warning: ... and {len(warnings) - MAX_WARNINGS_SHOWN} more (see the 'warnings' column)",
            err=True,
        )


@cli.command()
@click.option("--criterion", type=click.Choice(("gwp", "water", "adpe", "pe")), help="Only this criterion.")
@click.option("--country", help="Only the electricity factors of this country (code or name).")
@click.option("--category", help="Only this device category (embodied factors and archetypes).")
@click.option("--table", "tables", multiple=True,
              type=click.Choice(("electricity", "embodied", "archetypes", "parameters")),
              help="Only these tables; repeatable (default: all that match).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv")), default="table", show_default=True)
@click.option("--packs", is_flag=True, help="List the factor packs in force and the rows they replace.")
@factors_option
@click.option("--method", type=click.Choice(("pcf", "ademe")), callback=_use_method, expose_value=False,
              help="Factor set whose factors to list (default pcf).")
def factors(criterion, country, category, tables, fmt, packs):
    """List the factors with their values, bounds, units and sources.

    \b
    Examples:
      auditor factors --criterion gwp --country FR
      auditor factors --category laptop --format csv
      auditor factors --packs --factors ./mon-pack
    """
    from auditor.factor_listing import list_factors, list_packs

    if packs:
        click.echo(list_packs(), nl=False)
        return
    click.echo(list_factors(criterion=criterion, country=country, category=category,
                            tables=tables or None, fmt=fmt), nl=False)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning errors into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except AuditorError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean line
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (set AUDITOR_DEBUG=1 for the traceback)",
            err=True,
        )
        return 1
    return 0


def run() -> None:  # pragma: no cover - console script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
