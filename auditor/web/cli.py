"""``auditor web``: EcoIndex of given figures, and measurement of pages (live or from HAR files)."""

from __future__ import annotations

import json

import click

from auditor.errors import WebInputError


@click.group()
def web() -> None:
    """Web services: EcoIndex score and grade, page measurements, RGESN checks.

    \b
    Examples:
      auditor web score --dom 693 --requests 78 --size-kb 2420
      auditor web measure https://www.ville.example/ --format json
      auditor web measure --har portail.har -o pages.csv
      auditor web measure --inventory inventaire.csv -o inventaire-mesure.csv
    """


@web.command()
@click.option("--dom", type=click.IntRange(min=0), required=True, help="DOM elements of the page (svg children excluded).")
@click.option("--requests", type=click.IntRange(min=0), required=True, help="HTTP requests of the page load.")
@click.option("--size-kb", type=click.FloatRange(min=0), required=True, help="Bytes transferred / 1000 [kB].")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def score(dom, requests, size_kb, fmt):
    """EcoIndex of a page from its three figures: score 0-100, grade A-G, gCO2e and cl of water per view.

    Our implementation of the published EcoIndex method (ecoindex.fr, see docs/web.md).

    \b
    Example:
      auditor web score --dom 100 --requests 100 --size-kb 100 --format json
    """
    from auditor.web.ecoindex import ecoindex

    result = ecoindex(dom, requests, size_kb)
    if fmt == "json":
        click.echo(json.dumps(result))
    else:
        click.echo(f"EcoIndex {result['ecoindex_score']} ({result['ecoindex_grade']}): "
                   f"{result['ghg_g_per_view']:g} gCO2e and {result['water_cl_per_view']:g} cl of water per view")


@web.command()
@click.argument("urls", nargs=-1)
@click.option("--har", "hars", multiple=True, type=click.Path(dir_okay=False), help="HAR file to read; repeatable.")
@click.option("--journey", "journeys", multiple=True, type=click.Path(dir_okay=False),
              help="Journey YAML (URLs and clicks in one browser context); repeatable.")
@click.option("--inventory", type=click.Path(dir_okay=False),
              help="Measure every web_service row with a URL; write the inventory with the measured fields to -o.")
@click.option("--country", help="With --inventory: country of rows that give none.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the pages (.csv or .json); with --inventory, the new inventory file.")
@click.option("--browser", help="Chromium executable (default: $AUDITOR_CHROMIUM, else chromium on PATH).")
@click.option("--settle", type=click.FloatRange(0, 60), default=3.0, show_default=True,
              help="Seconds to wait after load and after scrolling (EcoIndex: 3).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(1, 600), default=30.0, show_default=True,
              help="Seconds a page may take to load (or a click to find its target) before it is a failed page.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
def measure(urls, hars, journeys, inventory, country, fmt, output, browser, settle, timeout_s, quiet):
    """Measure pages: DOM elements, requests, bytes, EcoIndex, third parties, RGESN checks.

    Live pages load in the system's Chromium (never downloaded) at 1920x1080 with no cache, then
    scroll and settle, as the EcoIndex method does. HAR files give requests and bytes (and the
    DOM when they hold the page's HTML). A page that fails is reported and the others measured;
    the exit code is then 1.

    \b
    Examples:
      auditor web measure https://www.ville.example/ file:///tmp/dashboard.html
      auditor web measure --har portail.har --format json
      auditor web measure --journey demarche.yaml -o pages.csv
    """
    from auditor.progress import Progress
    from auditor.web.pages import format_table, page_result, write_pages

    if inventory:
        if urls or hars or journeys:
            raise WebInputError("--inventory measures the inventory's URLs; give no other URL, HAR or journey")
        from auditor.web.inventory import measure_inventory

        progress = Progress(enabled=not quiet)
        pages, written = measure_inventory(inventory, output, country=country, browser=browser,
                                           settle_s=settle, timeout_s=timeout_s, progress=progress)
        progress.close()
        _echo(pages, fmt, format_table)
        click.echo(f"\nInventory with measured fields written to {written}", err=fmt == "json")
        _exit_if_failed(pages)
        return
    if not (urls or hars or journeys):
        raise WebInputError("nothing to measure; give URLs, --har FILE or --journey FILE")
    if output and not output.lower().endswith((".csv", ".json")):  # before minutes of measuring
        raise WebInputError(f"{output}: unknown output format; expected a .csv or .json file name")
    from probes.web import HarError, check_url, read_har

    distinct = list(dict.fromkeys(urls))  # a URL given twice is measured once, reported for each
    plans: list[list[dict]] = []
    for url in distinct:
        refused = check_url(url)
        if refused:
            raise WebInputError(refused)
        plans.append([{"url": url}])
    if journeys:
        from auditor.web.journey import read_journey

        plans.extend(read_journey(path) for path in journeys)
    records: list[dict] = []
    for path in hars:
        try:
            records.extend(read_har(path))
        except HarError as exc:
            raise WebInputError(str(exc)) from None
    if plans:
        progress = Progress(enabled=not quiet)
        live = live_records(plans, browser=browser, settle_s=settle, timeout_s=timeout_s, progress=progress.step)
        progress.close()
        by_url = dict(zip(distinct, live[:len(distinct)], strict=True))
        records = [by_url[u] for u in urls] + live[len(distinct):] + records
    pages = [page_result(r) for r in records]
    if output:
        write_pages(pages, output, inputs=[*hars, *journeys])
    _echo(pages, fmt, format_table)
    if output:
        click.echo(f"\nPages written to {output}", err=fmt == "json")
    _exit_if_failed(pages)


def live_records(plans: list[list[dict]], **kwargs) -> list[dict]:
    """Page records of live journeys; a missing browser is bad input (exit 2)."""
    from probes.web import BrowserNotFound, measure_pages

    try:
        return measure_pages(plans, **kwargs)
    except BrowserNotFound as exc:
        raise WebInputError(str(exc)) from None


def _echo(pages: list[dict], fmt: str, format_table) -> None:
    if fmt == "json":
        click.echo(json.dumps(pages, ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(pages), nl=False)


def _exit_if_failed(pages: list[dict]) -> None:
    failed = [p for p in pages if p.get("error")]
    if failed:
        from auditor.errors import PagesFailedError

        raise PagesFailedError(f"{len(failed)} of {len(pages)} pages failed to load "
                               f"(first: {failed[0]['url']}: {failed[0]['error']})")
