"""Energy sources a host may expose: RAPL/powercap, hwmon power meters, batteries.

Each source is detected once at start-up, cheaply (a few ``stat``/``open`` calls), and says why
it is unusable when it is: ``absent``, ``permission denied``, ``virtual machine``. Reading a
source returns its raw cumulative readings; :meth:`energy_j` turns two readings into the energy
used between them, or ``None`` with a reason.

Preference when several work (the best whole-box figure first): ``hwmon`` (a whole-box power
meter, PSU losses included) > ``battery`` (a laptop's DC draw while it runs on battery) >
``rapl`` (CPU package and DRAM only) > ``model`` (the auditor applies its power model to the
recorded utilisation). Sources and units:

- powercap: Linux kernel ABI ``Documentation/ABI/testing/sysfs-class-powercap`` and
  ``Documentation/power/powercap/powercap.rst`` (``energy_uj`` cumulative in microjoules,
  ``max_energy_range_uj`` the wrap-around modulus, ``constraint_*_max_power_uw``).
- hwmon: kernel ``Documentation/hwmon/sysfs-interface.rst`` (``power*_input`` and
  ``power*_average`` in microwatts, ``energy*_input`` cumulative in microjoules).
- batteries: kernel ``Documentation/ABI/testing/sysfs-class-power`` (``power_now`` µW,
  ``energy_now`` µWh, ``current_now`` µA, ``voltage_now`` µV, ``status``).
"""

from __future__ import annotations

import errno
import os

POWERCAP = "/sys/class/powercap"
HWMON = "/sys/class/hwmon"
POWER_SUPPLY = "/sys/class/power_supply"

#: hwmon drivers whose power reading is the whole machine at the wall: the ACPI 4.0 power meter
#: (kernel ``Documentation/hwmon/acpi_power_meter.rst``; its hwmon ``name`` is ``power_meter``)
#: and IBM Active Energy Manager (``Documentation/hwmon/ibmaem.rst``).
WHOLE_BOX_HWMON = ("power_meter", "acpi_power_meter", "ibmaem")

#: Order of preference, best first.
SOURCE_ORDER = ("hwmon", "battery", "rapl", "model")

ABSENT = "absent"
DENIED = "permission denied"
VIRTUAL = "virtual machine"


def _read(path: str) -> str:
    with open(path, encoding="ascii", errors="replace") as handle:
        return handle.read().strip()


def _read_int(path: str) -> int | None:
    try:
        return int(_read(path))
    except (OSError, ValueError):
        return None


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return DENIED
    if exc.errno == errno.ENOENT:
        return ABSENT
    return f"unreadable ({os.strerror(exc.errno or 0).lower()})"


def is_virtual_machine(root: str = "/") -> bool:
    """Whether this Linux host runs under a hypervisor.

    Uses the ``hypervisor`` CPU flag (set by the kernel on x86 guests) and
    ``/sys/hypervisor/type`` (Xen and others).
    """
    try:
        with open(os.path.join(root, "proc/cpuinfo"), encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return " hypervisor" in line
    except OSError:
        pass
    try:
        return bool(_read(os.path.join(root, "sys/hypervisor/type")))
    except OSError:
        return False


def counter_delta(previous: int, current: int, max_range: int | None) -> int | None:
    """Increase of a wrapping counter between two readings.

    A counter that went down wrapped once: the increase is ``current + max_range - previous``.
    Without a known range a decrease cannot be interpreted and gives ``None``.

    Parameters
    ----------
    previous, current : int
        Counter readings [counter unit].
    max_range : int or None
        Value at which the counter wraps to zero [counter unit].
    """
    if current >= previous:
        return current - previous
    if max_range and max_range > 0:
        return current + max_range - previous
    return None


class RaplZone:
    """One powercap zone counted in the total (a package, DRAM or the platform ``psys``)."""

    def __init__(self, path: str, name: str) -> None:
        self.path = path
        self.name = name
        self.energy_path = os.path.join(path, "energy_uj")
        self.max_range_uj = _read_int(os.path.join(path, "max_energy_range_uj"))
        limits = []
        for entry in _listdir(path):
            if entry.startswith("constraint_") and entry.endswith("_max_power_uw"):
                value = _read_int(os.path.join(path, entry))
                if value:
                    limits.append(value)
        #: Highest power the zone is rated for [µW]; a "wrap" implying more is a reset.
        self.max_power_uw = max(limits) if limits else None


def _listdir(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


class RaplSource:
    """RAPL energy counters through powercap (Intel, and AMD on recent kernels).

    Counts the platform zone ``psys`` alone where it exists (it contains package and DRAM);
    otherwise every package zone plus the DRAM subzones. ``core``/``uncore``/``gpu`` subzones are
    inside the package and are not added.
    """

    name = "rapl"

    def __init__(self, root: str = POWERCAP, virtual: bool = False) -> None:
        self.zones: list[RaplZone] = []
        self.status = ABSENT
        zones = []
        for entry in _listdir(root):
            if not entry.startswith("intel-rapl:"):
                continue  # intel-rapl-mmio duplicates the package counter
            path = os.path.join(root, entry)
            try:
                zones.append(RaplZone(path, _read(os.path.join(path, "name"))))
            except OSError:
                continue
        psys = [z for z in zones if z.name.startswith("psys")]
        chosen = psys or [z for z in zones if z.name.startswith(("package", "dram"))]
        if not chosen:
            self.status = VIRTUAL if virtual else ABSENT
            return
        try:
            for zone in chosen:
                int(_read(zone.energy_path))
        except OSError as exc:
            self.status = _reason(exc)
            return
        except ValueError:
            self.status = "unreadable"
            return
        self.zones = chosen
        self.status = "ok"

    def read(self) -> tuple[int, ...] | None:
        try:
            return tuple(int(_read(z.energy_path)) for z in self.zones)
        except (OSError, ValueError):
            return None

    def energy_j(self, previous, current, dt_s: float) -> tuple[float | None, str | None]:
        """Energy [J] used between two readings ``dt_s`` seconds apart, or (None, reason)."""
        if previous is None or current is None or len(previous) != len(current):
            return None, "unreadable"
        total_uj = 0
        for zone, before, after in zip(self.zones, previous, current, strict=True):
            delta = counter_delta(before, after, zone.max_range_uj)
            if delta is None:
                return None, "counter reset"
            if after < before and zone.max_power_uw and dt_s > 0 and delta / dt_s > zone.max_power_uw:
                return None, "counter reset"  # a "wrap" above the zone's rated power
            total_uj += delta
        return total_uj / 1e6, None


class HwmonSource:
    """A whole-machine power meter exposed through hwmon (ACPI power meter, IBM AEM).

    Prefers a cumulative ``energy*_input`` counter; otherwise integrates ``power*_average`` or
    ``power*_input`` with the trapezoid rule between two readings.
    """

    name = "hwmon"

    def __init__(self, root: str = HWMON, virtual: bool = False) -> None:
        self.files: list[str] = []
        self.kind = ""
        self.status = VIRTUAL if virtual else ABSENT
        denied = False
        for entry in _listdir(root):
            path = os.path.join(root, entry)
            try:
                driver = _read(os.path.join(path, "name"))
            except OSError:
                continue
            if driver not in WHOLE_BOX_HWMON:
                continue
            names = _listdir(path)
            for kind, pattern in (("energy", "_input"), ("power", "_average"), ("power", "_input")):
                files = [os.path.join(path, n) for n in names
                         if n.startswith(kind) and n.endswith(pattern) and n[len(kind):-len(pattern)].isdigit()]
                if not files:
                    continue
                try:
                    for file in files:
                        int(_read(file))
                except OSError as exc:
                    denied = denied or _reason(exc) == DENIED
                    continue
                except ValueError:
                    continue
                self.files, self.kind, self.status = files, kind, "ok"
                return
        if denied:
            self.status = DENIED

    def read(self) -> tuple[int, ...] | None:
        try:
            return tuple(int(_read(f)) for f in self.files)
        except (OSError, ValueError):
            return None

    def energy_j(self, previous, current, dt_s: float) -> tuple[float | None, str | None]:
        if previous is None or current is None or len(previous) != len(current):
            return None, "unreadable"
        if self.kind == "energy":
            if any(after < before for before, after in zip(previous, current, strict=True)):
                return None, "counter reset"
            return sum(a - b for b, a in zip(previous, current, strict=True)) / 1e6, None
        mean_uw = (sum(previous) + sum(current)) / 2.0
        return mean_uw * dt_s / 1e6, None


class BatterySource:
    """Laptop batteries: their DC draw while discharging, charge level and wear.

    Peripheral batteries (``scope`` = ``Device``: mice, keyboards) are ignored. While the machine
    runs on mains the battery says nothing about its draw: the interval falls back to a lesser
    source, with the reason ``on mains power``.
    """

    name = "battery"

    def __init__(self, root: str = POWER_SUPPLY, virtual: bool = False) -> None:
        self.paths: list[str] = []
        self.status = VIRTUAL if virtual else ABSENT
        for entry in _listdir(root):
            path = os.path.join(root, entry)
            try:
                if _read(os.path.join(path, "type")) != "Battery":
                    continue
            except OSError:
                continue
            try:
                if _read(os.path.join(path, "scope")) == "Device":
                    continue
            except OSError:
                pass
            self.paths.append(path)
        if self.paths:
            self.status = "ok"

    def read(self) -> tuple[tuple[str, float | None, float | None], ...]:
        """Per battery: (status, power [W] or None, charge level [%] or None)."""
        out = []
        for path in self.paths:
            try:
                status = _read(os.path.join(path, "status"))
            except OSError:
                status = "Unknown"
            power_uw = _read_int(os.path.join(path, "power_now"))
            if power_uw is None:
                current = _read_int(os.path.join(path, "current_now"))
                voltage = _read_int(os.path.join(path, "voltage_now"))
                if current is not None and voltage is not None:
                    power_uw = abs(current) * voltage / 1e6
            level = _read_int(os.path.join(path, "capacity"))
            out.append((status, None if power_uw is None else abs(power_uw) / 1e6,
                        None if level is None else float(level)))
        return tuple(out)

    def energy_j(self, previous, current, dt_s: float) -> tuple[float | None, str | None]:
        if not previous or not current or len(previous) != len(current):
            return None, "unreadable"
        total = 0.0
        for before, after in zip(previous, current, strict=True):
            if before[0] != "Discharging" or after[0] != "Discharging":
                return None, "on mains power"
            if before[1] is None or after[1] is None:
                return None, "no power reading"
            total += (before[1] + after[1]) / 2.0 * dt_s
        return total, None

    @staticmethod
    def summary(reading) -> tuple[float | None, float | None]:
        """Mean charge level [%] and total draw [W] of a reading (None where unknown)."""
        if not reading:
            return None, None
        levels = [r[2] for r in reading if r[2] is not None]
        power = [r[1] for r in reading if r[1] is not None]
        return (sum(levels) / len(levels) if levels else None,
                sum(power) if power and all(r[0] == "Discharging" for r in reading) else None)


class Sources:
    """The energy sources of this host, detected once."""

    def __init__(self, root: str = "/") -> None:
        sys_class = os.path.join(root, "sys/class")
        self.virtual = is_virtual_machine(root)
        self.hwmon = HwmonSource(os.path.join(sys_class, "hwmon"), self.virtual)
        self.battery = BatterySource(os.path.join(sys_class, "power_supply"), self.virtual)
        self.rapl = RaplSource(os.path.join(sys_class, "powercap"), self.virtual)
        self.usable = [s for s in (self.hwmon, self.battery, self.rapl) if s.status == "ok"]
        #: Why no meter is used, when none is usable (the same for every interval).
        self._no_meter = None if self.usable else self.status()

    def status(self) -> dict[str, str]:
        """Source name -> ``ok`` or the reason it is unusable."""
        return {s.name: s.status for s in (self.hwmon, self.battery, self.rapl)}

    def read(self) -> dict[str, object]:
        return {s.name: s.read() for s in self.usable} if self.usable else {}

    def energy(self, previous: dict, current: dict, dt_s: float) -> tuple[str, float | None, dict[str, str]]:
        """Best source for an interval: (source name, energy [J] or None, why better ones failed)."""
        if self._no_meter is not None:
            return "model", None, self._no_meter
        why = {}
        for source in (self.hwmon, self.battery, self.rapl):
            if source.status != "ok":
                why[source.name] = source.status
                continue
            energy, reason = source.energy_j(previous.get(source.name), current.get(source.name), dt_s)
            if energy is not None:
                return source.name, energy, why
            why[source.name] = reason or "unreadable"
        return "model", None, why
