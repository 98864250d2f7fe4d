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
              help="CSV file (the row is appended if it has the same columns) or .json.")
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
@click.option("--prometheus", "url", required=True, metavar="URL",
              help="Base URL of the Prometheus server or compatible store (http://host:9090).")
@click.option("--range", "range_text", default="30d", show_default=True,
              help="How far back to read, as a Prometheus duration (30d, 12h).")
@click.option("--step", "step_text", default="1h", show_default=True,
              help="Length of one record, aggregated by Prometheus; at least twice the scrape interval.")
@click.option("--hosts-per-page", type=click.IntRange(min=1), default=100, show_default=True,
              help="Hosts read per query; memory is bounded by this, not by the fleet.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Directory to write the sample files to.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds to wait for each query.")
def ingest(url: str, range_text: str, step_text: str, hosts_per_page: int, output: str, timeout: float) -> None:
    """Read CPU utilisation (and energy where present) from Prometheus into sample files.

    Uses the probe's metrics, or node_exporter's (node_cpu_seconds_total, node_rapl_*) for hosts
    without the probe. The files feed `auditor assess INVENTORY --samples DIR`.

    \b
    Example:
      auditor ingest --prometheus http://127.0.0.1:9090 --range 30d -o samples/
    """
    from auditor.ingest import ingest as run_ingest
    from auditor.ingest import parse_duration

    from auditor.progress import Progress

    progress = Progress()
    report = run_ingest(url, parse_duration(range_text), output, step_s=parse_duration(step_text),
                        timeout_s=timeout, hosts_per_page=hosts_per_page, progress=progress.step)
    progress.close()
    click.echo(report.format())
    if not report.hosts:
        click.echo("warning: no CPU metrics of the probe or node_exporter in that range", err=True)
