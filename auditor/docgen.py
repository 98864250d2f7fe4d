"""Generate the reference parts of docs/ from the code and packaged data, so they cannot drift.

``python -m auditor.docgen`` rewrites the blocks between ``<!-- BEGIN GENERATED -->`` and
``<!-- END GENERATED -->`` in docs/inventory.md and docs/results.md; a test checks they are current.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pandas as pd

from auditor.results import markdown_table
from auditor.web import WEB_SERVICE_CATEGORY
from factors.tables import CATEGORIES

_MEANINGS: dict[str, tuple[str, str]] = {
    "id": ("", "Unique id of the row; generated as `<file stem>-<row>` when absent."),
    "name": ("", "Name of the item (host name, asset label)."),
    "category": ("", "**Required.** Device category, English key or French/English word (below)."),
    "item_type": ("", "GLPI-style item type (Ordinateur, Moniteur...); used when `category` is empty or not a category."),
    "manufacturer": ("", "Manufacturer; shifts the embodied footprint of PCs, monitors, phones and servers and a server's power (its maker's effect)."),
    "model": ("", "Model name; a PC's or monitor's family and a server's product line (`PowerEdge R640`) shift the footprint where the training data measured them."),
    "serial_number": ("", "Serial number (kept, not used in calculations)."),
    "quantity": ("", "Number of identical devices the row stands for (default 1)."),
    "site": ("", "Site or building; `--site-pue SITE=PUE` matches this."),
    "department": ("", "Department or service."),
    "country": ("", "Country whose electricity the item uses: ISO alpha-2/alpha-3 code or name; `--country` when absent."),
    "purchase_date": ("date", "Purchase or commissioning date: dd/mm/yyyy, yyyy-mm-dd, mm/yyyy, yyyy or an Excel date."),
    "year": ("", "Purchase year, when no date is given."),
    "lifetime_years": ("year", "Expected lifetime; the category archetype when absent."),
    "warranty_end": ("date", "End of warranty."),
    "screen_size_in": ("inch", "Screen diagonal (`27\"`, `27 pouces`, `68,6 cm`)."),
    "weight_kg": ("kg", "Weight of one device."),
    "cpu_model": ("", "CPU model name as the vendor writes it; gives the TDP, cores and threads (bundled CPU table), and a server's CPU generation and model effects."),
    "cpu_count": ("", "CPU sockets populated."),
    "cpu_cores": ("", "CPU cores, total over all sockets."),
    "cpu_threads": ("", "Hardware threads, total over all sockets."),
    "cpu_tdp_w": ("W", "Thermal design power of one CPU."),
    "ram_gb": ("GB", "Installed memory (`16 Go`, `16384 Mo`; a bare number too large for GB on its device, above 256 (512 for a desktop, 4096 for storage, 16384 for a server), is read as MB, with a warning; one line per module, as GLPI lists them, is summed)."),
    "ssd_count": ("", "Number of SSDs."),
    "ssd_gb": ("GB", "Capacity of ONE SSD (a bare number above 30,000, 200,000 for a server or storage, is read as MB, with a warning)."),
    "hdd_count": ("", "Number of hard disks."),
    "hdd_gb": ("GB", "Capacity of ONE hard disk (MB read as for `ssd_gb`)."),
    "storage_gb": ("GB", "Storage of unknown type; counted as one SSD when no SSD/HDD columns are given (a bare number above 30,000, 1,000,000 for a server, is read as MB, with a warning; one line per drive is summed)."),
    "psu_count": ("", "Number of power supplies."),
    "psu_rating_w": ("W", "Rated output of one power supply."),
    "avg_load_pct": ("%", "Mean CPU utilisation (servers) or share of on-time in active use (other devices)."),
    "hours_per_day": ("hour", "Hours switched on per day of use."),
    "days_per_year": ("day", "Days of use per year."),
    "power_w": ("W", "Declared mean wall power of ONE device while on (no PUE)."),
    "energy_kwh_per_year": ("kWh/year", "Metered yearly electricity of ONE device at the plug (PUE added for server rooms)."),
    "os": ("", "Operating system."),
    "os_version": ("", "Operating-system version."),
    "repairability_index": ("0-10", "French repairability (or durability) index when known."),
    "battery_health_pct": ("%", "Battery full-charge capacity relative to design capacity."),
    "hostname": ("", "Host name (joins probe measurements)."),
    "url": ("", "URL of a web service."),
    "pue": ("", "PUE of the server room the item sits in (overrides `--pue` and `--site-pue`)."),
    "tpm_version": ("", "TPM version (1.2, 2.0); used by the Windows 11 eligibility check."),
    "status": ("", "Status (En service, En stock...); kept, not used yet."),
    "price": ("", "Purchase price of ONE device, excluding tax, in the inventory's currency (EUR by default)."),
    "reused": ("yes/no", "The device was bought second-hand or reused (AGEC art. 58 purchase shares)."),
    "refurbished": ("yes/no", "The device was bought refurbished (reconditionné)."),
    "form_factor": ("", "Form factor: tower, small form factor, mini, all-in-one, rack, blade..."),
    "memory_soldered": ("yes/no", "Memory soldered to the board (not upgradable) when known."),
    "repairability_class": ("A-E", "EU repairability class (energy label of smartphones and tablets, from June 2025)."),
    "virtual": ("yes/no", "A virtual machine: no embodied footprint of its own."),
    "source": ("", "Where the row came from (`inventory`, `agent`...)."),
    "monthly_visits": ("", "Web service: page views per month."),
    "dom_elements": ("", "Web service: DOM elements of a typical page (EcoIndex method)."),
    "requests": ("", "Web service: HTTP requests of a typical page."),
    "transfer_kb": ("kB", "Web service: bytes transferred by a typical page, in kB."),
    "hosted_on": ("", "Web service: ids of the inventory's servers it runs on, with optional shares (`srv-1:0.5; srv-2`)."),
    "hosting": ("", "Web service hosted elsewhere: provider and country (`OVH FR`)."),
}


def inventory_columns_table() -> str:
    """Markdown table of canonical inventory columns with their unit and some accepted headers."""
    aliases = pd.read_csv(files("auditor.data").joinpath("columns.csv"), dtype=str)
    lines = ["| column | unit | meaning | also accepted (examples) |", "|---|---|---|---|"]
    for column, (unit, meaning) in _MEANINGS.items():
        words = [a for a in aliases.loc[aliases["column"] == column, "alias"] if a != column][:6]
        lines.append(f"| `{column}` | {unit} | {meaning} | {', '.join(words)} |")
    return "\n".join(lines)


def category_table() -> str:
    """Markdown table of categories and the words accepted for each."""
    aliases = pd.read_csv(files("auditor.data").joinpath("categories.csv"), dtype=str)
    lines = ["| category | accepted words (case and accents ignored) |", "|---|---|"]
    for category in [*CATEGORIES, WEB_SERVICE_CATEGORY]:
        words = [a for a in aliases.loc[aliases["category"] == category, "alias"] if a != category]
        lines.append(f"| `{category}` | {', '.join(words)} |")
    return "\n".join(lines)


def replace_generated(text: str, name: str, content: str) -> str:
    """Replace the generated block ``name`` in a markdown text."""
    pattern = re.compile(
        rf"(<!-- BEGIN GENERATED {name} -->).*?(<!-- END GENERATED {name} -->)", re.S
    )
    if not pattern.search(text):
        raise ValueError(f"no generated block {name!r}")
    return pattern.sub(lambda m: m.group(1) + "\n" + content + "\n" + m.group(2), text)


def render(docs_dir: Path) -> dict[Path, str]:
    """The new text of every generated doc file."""
    out = {}
    inventory = docs_dir / "inventory.md"
    text = inventory.read_text(encoding="utf-8")
    text = replace_generated(text, "columns", inventory_columns_table())
    text = replace_generated(text, "categories", category_table())
    out[inventory] = text
    results = docs_dir / "results.md"
    out[results] = replace_generated(results.read_text(encoding="utf-8"), "columns", markdown_table())
    return out


def main() -> None:  # pragma: no cover - maintenance command
    docs = Path(__file__).resolve().parent.parent / "docs"
    for path, text in render(docs).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
