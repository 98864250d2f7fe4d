"""Canonical inventory rows from one agent inventory (FusionInventory / OCS XML, GLPI-agent JSON).

Input: the sections of one inventory as :func:`auditor.agents` reads them, keys in lower case
(``{"hardware": [{"name": "pc-042", "vmsystem": "Physical", ...}], "storages": [...], ...}``),
values as the agent wrote them. Output: one host row and one row per attached monitor, as raw
cells (text with units where the agent gives units) that the inventory importer then validates
like any spreadsheet cell.

Field meanings and units (all checked against the formats' own definitions):

- FusionInventory agent 2.6 ``FusionInventory::Agent::Inventory`` field lists (Debian package
  ``fusioninventory-agent``): ``MEMORIES/CAPACITY`` and ``HARDWARE/MEMORY`` in MB (binary, as
  ``dmidecode`` prints them), ``STORAGES/DISKSIZE`` in MB (decimal: 256 GB = 256060),
  ``BATTERIES/CAPACITY`` (design) and ``REAL_CAPACITY`` (full charge) in mWh,
  ``MONITORS/DESCRIPTION`` = week/year of manufacture, ``MONITORS/BASE64`` = the raw EDID.
- GLPI inventory format (glpi-project/inventory_format, ``inventory.schema.json``, MIT licence):
  the same fields in lower case, ``bios.bdate`` as ``YYYY-MM-DD``, ``accesslog.logdate`` as
  ``YYYY-MM-DD hh:mm:ss``.
- EDID: VESA Enhanced EDID Standard (E-EDID) release A rev. 2 (2006), section 3: bytes 8-9
  manufacturer id (three 5-bit letters), 16 week, 17 year - 1990 (model year when week = 0xFF),
  21-22 maximum image size in cm, 54-125 four 18-byte descriptors (0xFC = name, 0xFF = serial).
- Chassis types: DMTF DSP0134 (SMBIOS), table in ``auditor/data/agent_chassis.csv``.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files

from auditor.errors import AgentFileError

#: Placeholder values firmware writes where a real serial or name belongs.
_JUNK = frozenset({
    "", "0", "none", "n/a", "na", "null", "unknown", "default string", "not specified",
    "not applicable", "to be filled by o.e.m.", "to be filled by oem", "system serial number",
    "system manufacturer", "system product name", "chassis serial number", "0123456789",
    "123456789", "oem", "o.e.m.", "invalid", "not available", "xxxxxxxxxx",
})
#: Words in the BIOS maker/model of a virtual machine when VMSYSTEM is absent.
_VIRTUAL_WORDS = ("vmware", "virtualbox", "qemu", "kvm", "virtual machine", "hvm domu", "bochs",
                  "hyper-v", "xen", "parallels", "openstack")
#: BIOS dates as agents write them: ``2019-08-27`` (GLPI format, Windows) or ``08/27/2019``
#: (``dmidecode``, SMBIOS mm/dd/yyyy; dd/mm/yyyy reads the same year).
_ISO_DATE = re.compile(r"^\s*(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/]\d{1,2}")
_US_DATE = re.compile(r"^\s*(?P<m>\d{1,2})/\d{1,2}/(?P<y>\d{4}|\d{2})\b")
#: Above this, a battery's full-charge / design capacity is an error of the data, not wear [%].
_MAX_BATTERY_PCT = 150.0
_WEEK_YEAR = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{4})\s*$")
_EDID_HEADER = b"\x00\xff\xff\xff\xff\xff\xff\x00"
#: EDID maker ids (UEFI PNP ID registry) of laptop and all-in-one panel makers: a screen of theirs
#: on a laptop is its built-in panel, part of the laptop's own footprint.
#: (The GLPI format's own example computer_1.json is a Dell XPS 13 whose one monitor is its
#: built-in Sharp panel.) AU Optronics, BOE, Chimei Innolux, CSOT, InfoVision, LG Display,
#: Samsung Display, Sharp, Tianma.
_PANEL_MAKERS = frozenset({"AUO", "BOE", "CMN", "CSO", "IVO", "LGD", "SDC", "SHP", "TMA"})
_INTERNAL_PORTS = ("edp", "lvds", "dsi", "internal", "built-in", "builtin")
_NOT_DRIVES = ("cdrom", "cd-rom", "dvd", "floppy", "tape", "removable", "usb", "card reader",
               "virtual cd", "optical")


@dataclass
class AgentHost:
    """One agent inventory turned into rows.

    Attributes
    ----------
    key
        What identifies the machine across files (hardware UUID, else serial, else host name).
    logdate
        When the agent ran (``YYYY-MM-DD hh:mm:ss``), if the inventory says.
    rows
        The host row, then one row per monitor: canonical column -> raw cell.
    """

    key: str
    logdate: str | None
    rows: list[dict] = field(default_factory=list)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _clean(value: object) -> str | None:
    """A name or serial, or None for firmware placeholders (``To Be Filled By O.E.M.``)."""
    text = _text(value)
    if text is None or text.casefold().strip(" .") in _JUNK or set(text) <= {"0", " ", "-", "."}:
        return None
    return text


def _show(value: float) -> str:
    """A number as text, exactly (no exponent): 1500307 -> '1500307', 500.5 -> '500.5'."""
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0")


def _number(value: object, where: str, file: str) -> float | None:
    """A number as the agent wrote it; None when empty or a placeholder; error when garbage."""
    if isinstance(value, bool):
        raise AgentFileError("expected a number", file=file, element=where, value=value)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = _text(value)
    if text is None or text.casefold() in ("no", "none", "unknown", "n/a", "-"):
        return None
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not match:
        raise AgentFileError("expected a number", file=file, element=where, value=text)
    return float(match.group(1).replace(",", "."))


def _first(sections: dict, name: str) -> dict:
    entries = sections.get(name) or [{}]
    return entries[0]


def _year_of(text: object) -> int | None:
    value = _text(text)
    if value is None:
        return None
    match = _ISO_DATE.match(value) or _US_DATE.match(value)
    if match is None:
        return None
    year = int(match.group("y"))
    year += 2000 if year < 80 else (1900 if year < 100 else 0)
    return year if 1980 <= year <= 2200 and 1 <= int(match.group("m")) <= 31 else None


@lru_cache(maxsize=1)
def chassis_table() -> dict[str, str]:
    """Folded chassis name or number -> category (``auditor/data/agent_chassis.csv``)."""
    import csv

    text = files("auditor.data").joinpath("agent_chassis.csv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        table[row["chassis_type"]] = row["category"]
        table[row["name"].casefold().replace("-", " ")] = row["category"]
    return table


def chassis_category(chassis: str | None) -> str | None:
    """Category of an SMBIOS chassis type given by name (``Notebook``) or number (``10``)."""
    if not chassis:
        return None
    return chassis_table().get(chassis.strip().casefold().replace("-", " "))


def is_virtual(sections: dict) -> tuple[bool, str]:
    """Whether the inventory is of a virtual machine or container, and why."""
    hardware, bios = _first(sections, "hardware"), _first(sections, "bios")
    vmsystem = _text(hardware.get("vmsystem"))
    if vmsystem:
        return vmsystem.casefold() != "physical", f"VMSYSTEM={vmsystem}"
    words = " ".join(filter(None, (_text(bios.get(k)) for k in ("smanufacturer", "smodel", "bmanufacturer")))).casefold()
    for word in _VIRTUAL_WORDS:
        if word in words:
            return True, f"BIOS names {word}"
    return False, "no VMSYSTEM, physical BIOS"


def decode_edid(text: str) -> bytes | None:
    """Raw EDID bytes from the agent's BASE64 field (None when absent or not an EDID)."""
    if not text or len(text) > 65_536:
        return None
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) >= 128 and raw[:8] == _EDID_HEADER else None


def edid_facts(raw: bytes) -> dict:
    """Manufacturer id, name, serial, year of manufacture and image size of an EDID block.

    Parameters
    ----------
    raw
        The 128-byte base EDID block (extensions ignored).

    Returns
    -------
    dict
        ``maker`` (3-letter PNP id), ``name``, ``serial``, ``year``, ``width_cm``, ``height_cm``,
        ``diagonal_in`` (NaN when the size is not given, e.g. projectors) [inch].

    References
    ----------
    VESA E-EDID Standard release A rev. 2 (2006), section 3.4 (vendor and product id, week and
    year), 3.6 (basic display parameters: image size in cm) and 3.10 (display descriptors).
    """
    code = (raw[8] << 8) | raw[9]
    maker = "".join(chr(64 + ((code >> s) & 0x1F)) for s in (10, 5, 0))
    year = 1990 + raw[17] if raw[17] else None
    width_cm, height_cm = raw[21], raw[22]
    diagonal = math.hypot(width_cm, height_cm) / 2.54 if width_cm and height_cm else math.nan
    facts = {"maker": maker if maker.isalpha() else None, "name": None, "serial": None,
             "year": year, "width_cm": width_cm, "height_cm": height_cm, "diagonal_in": diagonal}
    for start in (54, 72, 90, 108):
        block = raw[start:start + 18]
        if block[:3] == b"\x00\x00\x00" and block[3] in (0xFC, 0xFF):
            value = block[5:18].split(b"\x0a")[0].decode("cp437").strip()
            facts["name" if block[3] == 0xFC else "serial"] = value or None
    return facts


def _drive_kind(drive: dict) -> str | None:
    """``ssd``, ``hdd``, ``skip`` (optical, removable, USB) or None (unknown) for one drive."""
    words = " ".join(filter(None, (_text(drive.get(k)) for k in
                                   ("type", "interface", "model", "name", "description")))).casefold()
    if any(w in words for w in _NOT_DRIVES):
        return "skip"
    if "nvme" in words or "ssd" in words or "solid state" in words or "flash" in words:
        return "ssd"
    if re.search(r"\b(hdd|rotational|\d{4,5}\s?rpm)\b", words):  # not "Fixed hard disk media": SSDs too
        return "hdd"
    return None


def _storage_cells(drives: list[dict], file: str, notes: list[str]) -> dict:
    sizes: dict[str | None, list[float]] = {"ssd": [], "hdd": [], None: []}
    for k, drive in enumerate(drives):
        kind = _drive_kind(drive)
        size = _number(drive.get("disksize"), f"STORAGES[{k + 1}]/DISKSIZE", file)
        if kind == "skip" or not size:
            continue
        sizes[kind].append(size)
    cells: dict[str, object] = {}
    for kind in ("ssd", "hdd"):
        if sizes[kind]:
            cells[f"{kind}_count"] = len(sizes[kind])
            cells[f"{kind}_gb"] = f"{_show(sum(sizes[kind]) / len(sizes[kind]))} MB"  # decimal MB per drive
    if sizes[None]:
        total = sum(sum(v) for v in sizes.values())
        cells["storage_gb"] = f"{_show(total)} MB"
        notes.append(f"storage: {len(sizes[None])} drive(s) neither named SSD nor HDD, counted in storage_gb")
    return cells


def _cpu_cells(cpus: list[dict], file: str) -> dict:
    if not cpus:
        return {}
    cores = [_number(c.get("core") or c.get("corecount"), f"CPUS[{k + 1}]/CORE", file) for k, c in enumerate(cpus)]
    threads = [_number(c.get("thread"), f"CPUS[{k + 1}]/THREAD", file) for k, c in enumerate(cpus)]
    cells: dict[str, object] = {"cpu_count": len(cpus),
                                "cpu_model": _clean(cpus[0].get("name")) or _clean(cpus[0].get("type"))}
    if all(c for c in cores):
        cells["cpu_cores"] = _show(sum(cores))
    if all(t for t in threads):
        cells["cpu_threads"] = _show(sum(threads))
    return cells


def _ram_cells(sections: dict, file: str, notes: list[str]) -> dict:
    modules = [_number(m.get("capacity"), f"MEMORIES[{k + 1}]/CAPACITY", file)
               for k, m in enumerate(sections.get("memories", []))]
    total = sum(m for m in modules if m)
    if total:
        return {"ram_gb": f"{_show(total)} MB"}
    memory = _number(_first(sections, "hardware").get("memory"), "HARDWARE/MEMORY", file)
    if memory:
        notes.append("ram_gb: memory seen by the system (no memory modules listed)")
        return {"ram_gb": f"{_show(memory)} MB"}
    return {}


def _battery_cells(batteries: list[dict], file: str, notes: list[str]) -> dict:
    design = real = 0.0
    for k, battery in enumerate(batteries):
        d = _number(battery.get("capacity"), f"BATTERIES[{k + 1}]/CAPACITY", file)
        r = _number(battery.get("real_capacity"), f"BATTERIES[{k + 1}]/REAL_CAPACITY", file)
        if d and r:
            design, real = design + d, real + r
    if not design:
        return {}
    health = 100.0 * real / design
    if health > _MAX_BATTERY_PCT:  # a unit mix-up (mAh vs mWh) or a firmware error, not a battery
        notes.append(f"battery_health_pct: capacities read {health:.0f} % of design; ignored")
        return {}
    return {"battery_health_pct": f"{health:.1f}"}


def _category(sections: dict, virtual: bool, notes: list[str]) -> str:
    hardware, bios = _first(sections, "hardware"), _first(sections, "bios")
    chassis = _text(hardware.get("chassis_type")) or _text(bios.get("type"))
    from_chassis = chassis_category(chassis)
    if from_chassis and not virtual:
        return from_chassis
    if sections.get("batteries") and not virtual:
        return "laptop"
    os_name = " ".join(filter(None, (_text(_first(sections, "operatingsystem").get(k)) for k in
                                     ("full_name", "name")))) or _text(hardware.get("osname")) or ""
    if virtual:
        windows_desktop = "windows" in os_name.casefold() and "server" not in os_name.casefold()
        return "desktop" if windows_desktop else "server"
    if "server" in os_name.casefold():
        notes.append(f"category: server from the OS name (chassis type {chassis or 'not given'})")
        return "server"
    notes.append(f"category: desktop by default (chassis type {chassis or 'not given'}, no battery)")
    return "desktop"


def host_rows(sections: dict, file: str) -> AgentHost:
    """The host row and its monitors' rows from one inventory's sections (see module docstring)."""
    hardware, bios = _first(sections, "hardware"), _first(sections, "bios")
    system = _first(sections, "operatingsystem")
    notes: list[str] = []
    hostname = _clean(hardware.get("name")) or _clean(system.get("fqdn"))
    serial = _clean(bios.get("ssn"))
    uuid = _clean(hardware.get("uuid"))
    key = (uuid or serial or hostname or "").casefold()
    if not key:
        raise AgentFileError("no host name, serial number or UUID; not a computer inventory",
                             file=file, element="REQUEST/CONTENT/HARDWARE/NAME")
    virtual, why = is_virtual(sections)
    category = _category(sections, virtual, notes)
    if virtual:
        notes.append(f"virtual machine ({why}): no embodied footprint of its own")
    row: dict[str, object] = {
        "name": hostname, "category": category, "hostname": hostname,
        "manufacturer": _clean(bios.get("smanufacturer")) or _clean(bios.get("mmanufacturer")),
        "model": _clean(bios.get("smodel")) or _clean(bios.get("mmodel")),
        "serial_number": serial,
        "os": _text(system.get("full_name")) or _text(system.get("name")) or _text(hardware.get("osname")),
        "os_version": _text(system.get("version")) or _text(hardware.get("osversion")),
        "virtual": "yes" if virtual else "no",
    }
    row.update(_cpu_cells(sections.get("cpus", []), file))
    row.update(_ram_cells(sections, file, notes))
    row.update(_storage_cells(sections.get("storages", []), file, notes))
    row.update(_battery_cells(sections.get("batteries", []), file, notes))
    bios_year = _year_of(bios.get("bdate"))
    if bios_year and not virtual:
        row["year"] = bios_year
        notes.append(f"year {bios_year} from the BIOS date (no purchase date in agent inventories; "
                     "a BIOS update makes it later)")
    row["warnings"] = "; ".join(notes)
    rows = [row]
    if not virtual:  # a virtual machine's displays are virtual too
        chassis = (_text(hardware.get("chassis_type")) or _text(bios.get("type")) or "").casefold()
        built_in = category == "laptop" or chassis in ("all in one", "13")
        monitors, skipped = _monitor_rows(sections.get("monitors", []), hostname, built_in)
        rows += monitors
        if skipped:
            notes.append(f"{skipped} built-in screen(s) not counted apart (part of this {category})")
            row["warnings"] = "; ".join(notes)
    logdate = _text(_first(sections, "accesslog").get("logdate"))
    return AgentHost(key=key, logdate=logdate, rows=rows)


def is_built_in(monitor: dict, facts: dict) -> bool:
    """Whether a screen is a laptop's or all-in-one's own panel (panel maker, internal port)."""
    port = (_text(monitor.get("port")) or "").casefold()
    if any(word in port for word in _INTERNAL_PORTS):
        return True
    return facts.get("maker") in _PANEL_MAKERS


def _monitor_rows(monitors: list[dict], hostname: str | None, built_in: bool) -> tuple[list[dict], int]:
    """Rows of the attached monitors, and how many built-in panels were left out."""
    rows = []
    skipped = 0
    seen: set[str] = set()
    for monitor in monitors:
        edid = decode_edid(_text(monitor.get("base64")) or "")
        facts = edid_facts(edid) if edid else {}
        if built_in and is_built_in(monitor, facts):
            skipped += 1
            continue
        serial = _clean(monitor.get("serial")) or facts.get("serial")
        model = _clean(monitor.get("caption")) or _clean(monitor.get("name")) or facts.get("name")
        ident = f"{serial or ''}|{model or ''}"
        if ident != "|" and ident in seen:
            continue  # the same screen listed twice (two outputs, or EDID and WMI)
        seen.add(ident)
        notes = []
        year = None
        match = _WEEK_YEAR.match(_text(monitor.get("description")) or "")
        latest = date.today().year + 1
        if match and 1990 <= int(match.group(2)) <= latest:
            year = int(match.group(2))
        elif facts.get("year") and facts["year"] <= latest:
            year = facts["year"]
        if year:
            notes.append("year = year of manufacture (EDID)")
        size = facts.get("diagonal_in", math.nan)
        row = {
            "name": model, "category": "monitor",
            "manufacturer": _clean(monitor.get("manufacturer")) or facts.get("maker"),
            "model": model, "serial_number": serial, "hostname": hostname, "year": year,
            "screen_size_in": f"{size:.1f}" if size == size else None, "virtual": "no",
            "warnings": "; ".join(notes),
        }
        if size != size:
            row["warnings"] = "; ".join([*notes, "screen size: not in the EDID"])
        rows.append(row)
    return rows, skipped
