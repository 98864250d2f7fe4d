"""Facts about this host as ONE inventory row in the canonical columns (docs/inventory.md).

The row assesses as is (``auditor assess facts.csv --country FR``) and can be appended to an
inventory. Read from ``/proc`` and ``/sys`` on Linux (no root needed); psutil and ``platform``
elsewhere. Nothing about users or processes is collected.

Category: a battery means ``laptop``; otherwise the SMBIOS chassis type
(DMTF DSP0134 "System Management BIOS Reference Specification", section 7.4.1 "System
Enclosure or Chassis Types": 3-7, 13, 15, 16, 24, 34-36 desktops; 8-10, 14, 30-32 portables;
17, 23, 25, 28, 29 servers); a virtual machine without one is a ``server``; failing all
that, ``desktop``. ``category_basis`` says which rule decided.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import socket
import sys
import time

from probes.sampler import NOT_DISKS
from probes.sources import BatterySource, is_virtual_machine

#: Columns written, canonical first (docs/inventory.md), then extra facts the auditor ignores.
COLUMNS = (
    "id", "hostname", "category", "manufacturer", "model", "os", "os_version", "cpu_model",
    "cpu_count", "cpu_cores", "cpu_threads", "ram_gb", "ssd_count", "ssd_gb", "hdd_count",
    "hdd_gb", "battery_health_pct", "country",
    "boot_time", "category_basis", "virtual", "kernel", "battery_cycle_count",
)

_LAPTOP_CHASSIS = {8, 9, 10, 14, 30, 31, 32}
_SERVER_CHASSIS = {17, 23, 25, 28, 29}
_DESKTOP_CHASSIS = {3, 4, 5, 6, 7, 13, 15, 16, 24, 34, 35, 36}
#: /sys/block/*/size counts 512-byte sectors whatever the device (kernel
#: Documentation/ABI/stable/sysfs-block, "size").
_SYSFS_SECTOR_BYTES = 512
_GIB = 1024 ** 3
_GB = 1000 ** 3


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _int(text: str | None, base: int = 10) -> int | None:
    try:
        return int(text, base) if text is not None else None
    except ValueError:
        return None


def os_release(root: str = "/") -> tuple[str, str]:
    """(name, version) of the operating system."""
    text = _read(os.path.join(root, "etc/os-release")) or _read(os.path.join(root, "usr/lib/os-release"))
    if text:
        fields = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                fields[key.strip()] = value.strip().strip('"')
        name = fields.get("NAME") or fields.get("ID") or "Linux"
        return name, fields.get("VERSION_ID") or fields.get("VERSION") or ""
    system = platform.system()
    if system == "Windows":
        return "Windows", platform.release()
    if system == "Darwin":
        return "macOS", platform.mac_ver()[0]
    return system, platform.release()


def cpu_facts(root: str = "/") -> dict:
    """CPU model, sockets, physical cores and logical CPUs."""
    model = None
    info = _read(os.path.join(root, "proc/cpuinfo")) or ""
    for line in info.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("model name", "Model", "Hardware", "cpu model") and value.strip():
            model = value.strip()
            break
    base = os.path.join(root, "sys/devices/system/cpu")
    packages, cores, threads = set(), set(), 0
    try:
        names = os.listdir(base)
    except OSError:
        names = []
    for name in names:
        if not (name.startswith("cpu") and name[3:].isdigit()):
            continue
        topo = os.path.join(base, name, "topology")
        package = _int(_read(os.path.join(topo, "physical_package_id")))
        core = _int(_read(os.path.join(topo, "core_id")))
        if package is None:
            continue
        threads += 1
        packages.add(package)
        cores.add((package, core))
    if not threads:
        return _cpu_facts_psutil(model)
    return {"cpu_model": model or platform.processor() or None, "cpu_count": len(packages),
            "cpu_cores": len(cores), "cpu_threads": threads}


def _cpu_facts_psutil(model: str | None) -> dict:
    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
        threads = psutil.cpu_count(logical=True)
    except ImportError:
        cores, threads = None, os.cpu_count()
    return {"cpu_model": model or platform.processor() or None, "cpu_count": None,
            "cpu_cores": cores, "cpu_threads": threads}


def ram_gb(root: str = "/") -> float | None:
    """Installed memory [GiB, written GB as inventories do]: online memory blocks, else MemTotal.

    MemTotal leaves out what the firmware and kernel reserve, so it reads a little under the
    installed size; the memory-block count of ``/sys/devices/system/memory`` does not.
    """
    base = os.path.join(root, "sys/devices/system/memory")
    block = _int(_read(os.path.join(base, "block_size_bytes")), 16)
    if block:
        try:
            online = sum(1 for n in os.listdir(base) if n.startswith("memory") and n[6:].isdigit()
                         and _read(os.path.join(base, n, "online")) == "1")
        except OSError:
            online = 0
        if online:
            return round(online * block / _GIB, 1)
    for line in (_read(os.path.join(root, "proc/meminfo")) or "").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) * 1024 / _GIB, 1)
    try:
        import psutil

        return round(psutil.virtual_memory().total / _GIB, 1)
    except ImportError:
        return None


def disk_facts(root: str = "/") -> dict:
    """Counts and mean size [GB, decimal as drives are sold] of SSDs and HDDs (whole, fixed disks)."""
    base = os.path.join(root, "sys/block")
    sizes: dict[str, list[float]] = {"ssd": [], "hdd": []}
    try:
        names = sorted(os.listdir(base))
    except OSError:  # no /sys (not Linux): drive kinds unknown, not zero
        return {"ssd_count": None, "ssd_gb": None, "hdd_count": None, "hdd_gb": None}
    for name in names:
        if name.startswith(NOT_DISKS) or _read(os.path.join(base, name, "removable")) == "1":
            continue
        sectors = _int(_read(os.path.join(base, name, "size")))
        if not sectors:
            continue
        rotational = _read(os.path.join(base, name, "queue", "rotational"))
        kind = "hdd" if rotational == "1" else "ssd"
        sizes[kind].append(sectors * _SYSFS_SECTOR_BYTES / _GB)
    out = {}
    for kind, values in sizes.items():
        out[f"{kind}_count"] = len(values)
        out[f"{kind}_gb"] = round(sum(values) / len(values), 1) if values else None
    return out


def battery_facts(root: str = "/") -> tuple[bool, float | None, int | None]:
    """(battery present, health [%] = full / design capacity, cycle count)."""
    source = BatterySource(os.path.join(root, "sys/class/power_supply"))
    full = design = 0
    cycles = None
    for path in source.paths:
        for prefix in ("energy", "charge"):
            f = _int(_read(os.path.join(path, f"{prefix}_full")))
            d = _int(_read(os.path.join(path, f"{prefix}_full_design")))
            if f is not None and d:
                full, design = full + f, design + d
                break
        count = _int(_read(os.path.join(path, "cycle_count")))
        if count is not None and count > 0:
            cycles = (cycles or 0) + count
    health = round(100.0 * full / design, 1) if design else None
    present = bool(source.paths)
    if not present and not os.path.isdir(os.path.join(root, "sys/class/power_supply")):
        try:  # no sysfs (Windows, macOS): psutil says whether there is a battery, not its wear
            import psutil

            present = psutil.sensors_battery() is not None
        except (ImportError, AttributeError, RuntimeError, OSError):
            present = False
    return present, health, cycles


def boot_time(root: str = "/") -> str | None:
    """Boot time, ISO 8601 UTC."""
    for line in (_read(os.path.join(root, "proc/stat")) or "").splitlines():
        if line.startswith("btime "):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(line.split()[1])))
    try:
        import psutil

        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(psutil.boot_time()))
    except ImportError:
        return None


def infer_category(has_battery: bool, chassis_type: int | None, virtual: bool) -> tuple[str, str]:
    """(category, the rule that decided it)."""
    if has_battery:
        return "laptop", "battery present"
    if chassis_type in _LAPTOP_CHASSIS:
        return "laptop", f"chassis type {chassis_type}"
    if chassis_type in _SERVER_CHASSIS:
        return "server", f"chassis type {chassis_type}"
    if chassis_type in _DESKTOP_CHASSIS:
        return "desktop", f"chassis type {chassis_type}"
    if virtual:
        return "server", "virtual machine"
    return "desktop", "default (no battery, chassis type unknown)"


def collect(root: str = "/", hostname: str | None = None, country: str | None = None) -> dict:
    """The facts row of this host (column -> value; None where unknown)."""
    dmi = os.path.join(root, "sys/class/dmi/id")
    host = hostname or socket.gethostname()
    virtual = is_virtual_machine(root)
    has_battery, health, cycles = battery_facts(root)
    category, basis = infer_category(has_battery, _int(_read(os.path.join(dmi, "chassis_type"))), virtual)
    name, version = os_release(root)
    row = {
        "id": host, "hostname": host, "category": category,
        "manufacturer": _read(os.path.join(dmi, "sys_vendor")) or None,
        "model": _read(os.path.join(dmi, "product_name")) or None,
        "os": name, "os_version": version or None,
        **cpu_facts(root), "ram_gb": ram_gb(root), **disk_facts(root),
        "battery_health_pct": health, "country": country,
        "boot_time": boot_time(root), "category_basis": basis,
        "virtual": "yes" if virtual else "no", "kernel": platform.release(),
        "battery_cycle_count": cycles,
    }
    return {c: row.get(c) for c in COLUMNS}


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _row_of_id(path: str, row_id: str) -> int | None:
    """Row number (the header is row 1) of the row whose id is ``row_id`` in the CSV at ``path``."""
    with open(path, encoding="utf-8", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle), start=1):
            if number > 1 and cells[:1] == [row_id]:
                return number
    return None


def write_facts(row: dict, path: str | None, out=sys.stdout) -> str:
    """Write the row as CSV (or JSON for ``.json``) to ``path``, or print it; what was done.

    An existing CSV with the same header gets the row appended (one inventory for many hosts); an
    existing file with other columns, or that already has a row of this id (the host run again:
    a duplicate id that ``auditor assess`` would refuse), is an error and is left as it is.
    """
    if path and path.lower().endswith(".json"):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump([row], handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        return f"wrote {path}"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = list(row)
    cells = [_cell(row[c]) for c in header]
    if not path:
        writer.writerow(header)
        writer.writerow(cells)
        out.write(buffer.getvalue())
        return ""
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, encoding="utf-8", newline="") as handle:
            existing = next(csv.reader(handle), [])
        if existing != header:
            raise ValueError(f"{path} exists with other columns; write to a new file")
        present = _row_of_id(path, cells[0])
        if present:
            raise ValueError(f"{path}, row {present}: this host ({cells[0]}) is already in the file; "
                             "remove its row to write it again, or write to another file")
        writer.writerow(cells)
        with open(path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            ends_cleanly = handle.read(1) in (b"\n", b"\r")
        with open(path, "a", encoding="utf-8", newline="") as handle:
            handle.write(("" if ends_cleanly else "\n") + buffer.getvalue())
        return f"appended {row['hostname']} to {path}"
    writer.writerow(header)
    writer.writerow(cells)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    return f"wrote {path}"
