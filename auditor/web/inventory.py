"""``auditor web measure --inventory``: measure the web services of an inventory, write a new file.

Every ``web_service`` row with a URL is measured live (each distinct URL once); the measured ``dom_elements``,
``requests`` and ``transfer_kb`` are written into the file's own columns for them (found by the
same header aliases the importer uses; added under their canonical names when absent). Every
other cell is kept exactly as the user wrote it. The result goes to a NEW file, never the input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import WebInputError
from auditor.web.footprint import is_web

MEASURED_FIELDS = ("dom_elements", "requests", "transfer_kb")


def default_output(path: Path) -> Path:
    """``inventaire.csv`` -> ``inventaire-measured.csv``."""
    return path.with_name(f"{path.stem}-measured{path.suffix}")


def measure_inventory(path: str | Path, output: str | Path | None, *, country: str | None = None,
                      browser: str | None = None, settle_s: float = 3.0, timeout_s: float = 30.0, progress=None
                      ) -> tuple[list[dict], Path]:
    """Measure the inventory's web services and write the inventory with their fields to ``output``.

    Returns
    -------
    (pages, written)
        The measured pages (errors included) and the path written.
    """
    from auditor.inventory import column_aliases, read_inventory
    from auditor.readers import read_raw
    from auditor.web.cli import live_records
    from auditor.web.pages import page_result
    from factors.tables import _fold

    path = Path(path)
    out = Path(output) if output else default_output(path)
    if out.exists() and out.resolve() == path.resolve():
        raise WebInputError(f"{out}: the output would overwrite the inventory; choose another name with -o")
    if out.suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise WebInputError(f"{out}: unknown output format; expected .csv, .xlsx or .json")
    raws = read_raw(path)
    if len(raws) != 1:
        raise WebInputError(f"{path}: --inventory needs a file with one table (this workbook has {len(raws)} sheets)")
    raw = raws[0]
    table, _ = read_inventory([path], country=country,
                              progress=progress.step if progress else None)
    web = is_web(table)
    urls = table["url"].astype(object).to_numpy()
    rows = np.flatnonzero(web & pd.notna(urls) & (pd.Series(urls, dtype=object).astype(str).str.strip() != "").to_numpy())
    if not len(rows):
        raise WebInputError(f"{path}: no web_service row with a URL to measure")
    from probes.web import check_url

    row_numbers = table["_row"].to_numpy()
    # each distinct URL is measured once, for every row that gives it; pages in the inventory's order
    order: list[str] = []
    refused_pages: dict[str, dict] = {}
    for r in rows:
        url = str(urls[r]).strip()
        if url in order:
            continue
        order.append(url)
        refused = check_url(url)
        if refused:
            refused_pages[url] = {"url": url, "error": f"row {int(row_numbers[r])}, column 'url': {refused}",
                                  "requests": 0, "transfer_kb": 0.0, "dom_elements": None, "checks": [],
                                  "third_party_domains": []}
    measured = [u for u in order if u not in refused_pages]
    records = live_records([[{"url": u}] for u in measured], browser=browser, settle_s=settle_s,
                           timeout_s=timeout_s, progress=progress.step if progress else None) if measured else []
    by_url = {u: page_result(record) for u, record in zip(measured, records, strict=True)}
    pages = [refused_pages.get(u) or by_url[u] for u in order]
    frame = raw.frame.copy()
    aliases = column_aliases()
    header_of = {}
    for header in frame.columns:
        canonical = aliases.get(_fold(str(header)))
        if canonical in MEASURED_FIELDS and canonical not in header_of:
            header_of[canonical] = header
    for field in MEASURED_FIELDS:
        if field not in header_of:
            frame[field] = pd.Series([None] * len(frame), dtype=object)
            header_of[field] = field
        frame[header_of[field]] = frame[header_of[field]].astype(object)
    first_row = raw.first_row
    for r in rows:
        page = by_url.get(str(urls[r]).strip())
        if page is None or page.get("error") or page.get("dom_elements") is None:
            continue
        at = int(row_numbers[r]) - first_row
        for field in MEASURED_FIELDS:
            frame.at[at, header_of[field]] = page[field]
    _write(frame, out, path)
    return pages, out


def _write(frame: pd.DataFrame, out: Path, source: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        delimiter = ";"
        if source.suffix.lower() in (".csv", ".txt"):
            from auditor.readers import decode, sniff_delimiter

            text = decode(source.read_bytes())
            delimiter = sniff_delimiter(text.splitlines()[0] if text else "")
        frame.to_csv(out, sep=delimiter, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(out, index=False)
    else:
        frame.to_json(out, orient="records", force_ascii=False, indent=1)
