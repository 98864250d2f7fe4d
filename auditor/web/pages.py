"""Measured pages: page records (from :mod:`probes.web`) -> EcoIndex, third parties and checks.

A measured page is a plain dict (the JSON of ``auditor web measure``): ``url``, ``final_url``,
``source``, ``error``, ``dom_elements`` (None when unknown), ``requests``, ``transfer_kb``
(bytes on the wire / 1000), ``ecoindex_score``, ``ecoindex_grade``, ``ghg_g_per_view``,
``water_cl_per_view`` (None with ``ecoindex_note`` when the DOM is unknown),
``third_party_domains`` (``[{domain, requests, transfer_kb}]``, most requests first) and
``checks`` (:mod:`auditor.web.checks`).
"""

from __future__ import annotations

from pathlib import Path

from auditor.errors import InputError
from auditor.web.checks import run_checks
from auditor.web.domains import domain_of_url
from auditor.web.ecoindex import ecoindex

#: Columns of the flat table (``-o pages.csv``) and the order of the text table.
FLAT_COLUMNS = (
    "url", "source", "error", "dom_elements", "requests", "transfer_kb", "ecoindex_score",
    "ecoindex_grade", "ghg_g_per_view", "water_cl_per_view", "third_party_domains", "checks_failed",
    "ecoindex_note",
)


def page_result(record: dict) -> dict:
    """The measured page of one page record."""
    requests = record.get("requests", [])
    transfer_kb = round(sum(r["transfer_bytes"] for r in requests) / 1000.0, 3)
    own = domain_of_url(record.get("final_url") or record["url"])
    dom = record.get("dom_elements")
    out = {"url": record["url"], "final_url": record.get("final_url"), "source": record.get("source"),
           "error": record.get("error"), "dom_elements": dom, "requests": len(requests),
           "transfer_kb": transfer_kb}
    if record.get("error"):
        out.update(ecoindex(None, None, None), ecoindex_note="page did not load: no EcoIndex")
        out.update(third_party_domains=[], checks=[])
        return out
    out.update(ecoindex(dom, len(requests), transfer_kb))
    out["ecoindex_note"] = None if dom is not None else (
        "DOM unknown: the HAR file does not hold the page's HTML, so there is no EcoIndex score "
        "(requests and bytes are measured)")
    third: dict[str, list[float]] = {}
    for r in requests:
        domain = domain_of_url(r["url"])
        if domain != own and not r["url"].startswith(("data:", "blob:")):
            entry = third.setdefault(domain, [0, 0.0])
            entry[0] += 1
            entry[1] += r["transfer_bytes"]
    out["third_party_domains"] = [
        {"domain": d, "requests": int(v[0]), "transfer_kb": round(v[1] / 1000.0, 3)}
        for d, v in sorted(third.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    out["checks"] = run_checks(record, transfer_kb, own)
    return out


def flat_row(page: dict) -> dict:
    """One row of the flat table: third parties and failed checks as short texts."""
    row = {k: page.get(k) for k in FLAT_COLUMNS}
    row["third_party_domains"] = "; ".join(
        f"{t['domain']} ({t['requests']} req, {t['transfer_kb']:g} kB)" for t in page.get("third_party_domains", []))
    row["checks_failed"] = "; ".join(c["id"] for c in page.get("checks", []) if c["passed"] is False)
    return row


def format_table(pages: list[dict]) -> str:
    """Plain-text report: one block per page (figures, third parties, failed checks)."""
    lines = []
    for p in pages:
        lines.append(p["url"])
        if p.get("error"):
            lines.append(f"  error: {p['error']}")
        if p.get("ecoindex_score") is not None:
            lines.append(f"  EcoIndex {p['ecoindex_score']} ({p['ecoindex_grade']}), "
                         f"{p['ghg_g_per_view']:g} gCO2e and {p['water_cl_per_view']:g} cl of water per view")
        elif p.get("ecoindex_note"):
            lines.append(f"  EcoIndex: {p['ecoindex_note']}")
        dom = "unknown" if p.get("dom_elements") is None else str(p["dom_elements"])
        lines.append(f"  DOM elements {dom}, requests {p['requests']}, transferred {p['transfer_kb']:.1f} kB")
        third = p.get("third_party_domains", [])
        if third:
            shown = ", ".join(f"{t['domain']} ({t['requests']})" for t in third[:5])
            lines.append(f"  third parties: {len(third)} domains: {shown}" + (" ..." if len(third) > 5 else ""))
        for c in p.get("checks", []):
            mark = {True: "ok  ", False: "FAIL", None: "n/a "}[c["passed"]]
            lines.append(f"  {mark} RGESN {c['id']} {c['title']}: {c['evidence']}")
        lines.append("")
    return "\n".join(lines)


def write_pages(pages: list[dict], path: str | Path, inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Write the flat table (.csv or .json) to a new path that is none of the inputs."""
    import json

    import pandas as pd

    path = Path(path)
    for given in inputs:
        if Path(given).exists() and path.exists() and path.resolve() == Path(given).resolve():
            raise InputError(f"{path}: the output would overwrite an input file; choose another name")
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        table = pd.DataFrame([flat_row(p) for p in pages], columns=list(FLAT_COLUMNS))
        for column in ("dom_elements", "requests", "ecoindex_score"):  # counts stay integers (no 5.0)
            table[column] = pd.to_numeric(table[column]).astype("Int64")
        table.to_csv(path, index=False)
    else:
        raise InputError(f"{path}: unknown output format; expected a .csv or .json file name")


def read_pages(path: str | Path) -> list[dict]:
    """Measured pages from a JSON file written by ``auditor web measure -o pages.json``."""
    import json

    shown = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{shown}: not valid JSON (line {exc.lineno}); expected the pages of "
                         "'auditor web measure -o pages.json'") from None
    if not isinstance(data, list):
        raise InputError(f"{shown}: expected a list of pages ('auditor web measure -o pages.json')")
    for index, page in enumerate(data):
        if not isinstance(page, dict) or "url" not in page:
            raise InputError(f"{shown}, entry {index}: not a measured page (no 'url')")
    return data
