"""``auditor probe ...`` and ``auditor ingest``: thin click commands over :mod:`probes` and
:mod:`auditor.ingest`.

``auditor probe run`` hands its arguments to ``probes.__main__.main`` unparsed, so the running
probe imports nothing but click and the probe (no pandas, pint or plotly): it stays as light as
``python -m probes run``.
"""

from __future__ import annotations

import sys

import click

from auditor.errors import InputError


@click.group()
def probe() -> None:
    """Light energy and facts probe for servers and workstations (see docs/probes.md).

    \b
    Examples:
      auditor probe run --interval 60 --output /var/lib/auditor-probe
      auditor probe summary /var/lib/auditor-probe
      auditor probe facts -o inventory-probes.csv
    """


@probe.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(args: tuple[str, ...]) -> None:
    """Sample counters and write one record per interval (python -m probes run --help).

    \b
    Options: [--interval SECONDS] [--duration SECONDS] [--output DIR] [--prometheus HOST:PORT]
    Example:
      auditor probe run --interval 60 --output /var/lib/auditor-probe --prometheus 127.0.0.1:9465
    """
    from probes.__main__ import main as probe_main

    code = probe_main(["run", *args], prog="auditor probe")
    if code:
        sys.exit(code)


@probe.command("summary")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def summary(paths: tuple[str, ...], fmt: str) -> None:
    """Records, hosts, period, mean utilisation, energy (kWh) and count per energy source.

    \b
    Example:
      auditor probe summary samples/ --format json
    """
    import json

    from probes.records import format_summary, summarise

    result = summarise(paths)
    click.echo(json.dumps(result, indent=1) if fmt == "json" else format_summary(result), nl=fmt == "json")


@probe.command("facts")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="CSV file (the row is appended if it has the same columns and not this host yet) or .json.")
@click.option("--country", help="Country to write in the row (e.g. FR).")
def facts(output: str | None, country: str | None) -> None:
    """This host as one inventory row in the canonical columns.

    \b
    Example:
      auditor probe facts -o inventory-probes.csv && auditor assess inventory-probes.csv --country FR
    """
    from probes.facts import collect, write_facts

    row = collect(country=country)
    try:
        done = write_facts(row, output, sys.stdout)
    except (OSError, ValueError) as exc:
        raise InputError(str(exc)) from None
    if done:
        click.echo(done, err=True)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--prometheus", "url", metavar="URL",
              help="Base URL of the Prometheus server or compatible store (http://host:9090).")
@click.option("--agent", is_flag=True,
              help="Read inventory agents' files (FusionInventory/OCS XML, GLPI-agent JSON) given "
                   "as PATHS (files or folders) into inventory rows.")
@click.option("--range", "range_text", default="30d", show_default=True,
              help="Prometheus: how far back to read, as a Prometheus duration (30d, 12h).")
@click.option("--step", "step_text", default="1h", show_default=True,
              help="Prometheus: length of one record, aggregated by Prometheus; at least twice the "
                   "scrape interval.")
@click.option("--hosts-per-page", type=click.IntRange(min=1), default=100, show_default=True,
              help="Prometheus: hosts read per query; memory is bounded by this, not by the fleet.")
@click.option("-o", "--output", type=click.Path(),
              help="Prometheus: directory for the sample files. Agents: inventory file (.csv, "
                   ".xlsx or .json; CSV on standard output when absent).")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Prometheus: seconds to wait for each query.")
@click.option("--keep-going", is_flag=True,
              help="Agents: list the files that cannot be read and go on with the others.")
def ingest(paths: tuple[str, ...], url: str | None, agent: bool, range_text: str, step_text: str,
           hosts_per_page: int, output: str | None, timeout: float, keep_going: bool) -> None:
    """Bring measurements or inventories from tools already in place.

    With --prometheus: read CPU utilisation (and energy where present) from Prometheus into sample
    files, from the probe's metrics or node_exporter's (node_cpu_seconds_total, node_rapl_*) for
    hosts without the probe. The files feed `auditor assess INVENTORY --samples DIR`.

    With --agent: read the inventory agents' files (FusionInventory, GLPI agent, OCS Inventory;
    files or folders of thousands) into canonical inventory rows: one per host, one per monitor.
    The same machine seen twice keeps its latest inventory. `auditor assess FOLDER` reads them
    directly too.

    \b
    Examples:
      auditor ingest --prometheus http://127.0.0.1:9090 --range 30d -o samples/
      auditor ingest --agent inventaires/ -o parc-agents.csv
    """
    if agent == bool(url):
        raise click.UsageError("give either --prometheus URL or --agent PATH...")
    if agent:
        from auditor.cli_agents import ingest_agents

        ingest_agents(paths, output, keep_going)
        return
    if paths:
        raise click.UsageError(f"unexpected argument {paths[0]!r} (files are read with --agent)")
    if not output:
        raise click.UsageError("--prometheus needs -o DIR (the folder for the sample files)")
    from auditor.errors import InputError
    from auditor.ingest import ingest as run_ingest
    from auditor.ingest import parse_duration
    from auditor.progress import Progress

    durations = {}
    for option, text in (("--range", range_text), ("--step", step_text)):
        try:
            durations[option] = parse_duration(text)
        except InputError as exc:
            raise InputError(f"{option} {exc}") from None
    if durations["--step"] > durations["--range"]:
        raise InputError(f"--step {step_text} is longer than --range {range_text}; expected a step of at most "
                         "the range (and at least twice the scrape interval)")
    progress = Progress()
    report = run_ingest(url, durations["--range"], output, step_s=durations["--step"],
                        timeout_s=timeout, hosts_per_page=hosts_per_page, progress=progress.step)
    progress.close()
    click.echo(report.format())
    if not report.hosts:
        click.echo("warning: no CPU metrics of the probe or node_exporter in that range", err=True)
