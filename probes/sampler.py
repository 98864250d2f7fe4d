"""Cumulative counters of a host, and the interval record made from two samples.

A sampler's :meth:`read` returns a :class:`Sample` of cumulative counters (CPU ticks, disk and
network bytes, energy readings) and gauges (memory). :func:`interval_record` turns two samples
into one compact record: utilisation and energy over the interval. Counters that went down
(reboot, interface re-created) never give a negative delta.

- :class:`ProcSampler` reads ``/proc`` directly (Linux): about a quarter of psutil's cost per
  sample and no import cost (``shared/notes/probe-methods.md`` section 1).
- :class:`PsutilSampler` is the portable fallback (Windows, macOS, BSD); psutil is imported only
  when it is built.
- Tests replay scripted samples with ``tests/fakes.py`` (``FakeSampler``), kept out of the package.

Counter meanings: ``/proc/stat`` cpu lines (user nice system idle iowait irq softirq steal guest
guest_nice, in USER_HZ ticks; guest time is already inside user and nice), ``/proc/diskstats``
sectors of 512 bytes whatever the device's sector size, ``/proc/net/dev`` bytes
(Linux ``proc(5)`` manual page and kernel ``Documentation/admin-guide/iostats.rst``).
"""

from __future__ import annotations

import os
import time

#: Memory, disk and network counters are read at most this often [s] (every sample at intervals of
#: this length or more). A design choice for overhead, not a physical figure: the byte counters
#: are cumulative, so reading them less often loses nothing but time resolution, and it spares
#: three of the four /proc reads at a 1 s interval.
IO_PERIOD_S = 10.0

#: /proc/diskstats counts sectors of 512 bytes (kernel Documentation/admin-guide/iostats.rst).
DISKSTATS_SECTOR_BYTES = 512

#: Block devices not counted as disks: loop, RAM disks, compressed swap, and stacked devices
#: (device-mapper, md RAID) whose traffic is already counted on the disks beneath them.
NOT_DISKS = ("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd")


class Sample:
    """Counters of a host at one instant.

    ``wall``: wall-clock time [s since the epoch]; ``mono``: monotonic clock [s], on which
    intervals are measured (immune to clock jumps); ``boot``: boot identity, a change means the
    counters restarted; ``cpu_busy``/``cpu_total``: ticks of all CPUs; ``cores``: per CPU
    (busy, total) ticks; ``mem_total_kb``/``mem_available_kb``; ``disks``: per disk (read,
    written) bytes; ``nets``: per interface (received, sent) bytes; ``energy``: source name ->
    raw reading; ``io``: whether memory, disk and network were read (see :data:`IO_PERIOD_S`).
    """

    __slots__ = ("wall", "mono", "boot", "cpu_busy", "cpu_total", "cores", "mem_total_kb",
                 "mem_available_kb", "disks", "nets", "energy", "io")

    def __init__(self, wall: float, mono: float, boot: str = "", cpu_busy: int = 0, cpu_total: int = 0,
                 cores: list[tuple[int, int]] | None = None, mem_total_kb: int = 0,
                 mem_available_kb: int = 0, disks: dict[str, tuple[int, int]] | None = None,
                 nets: dict[str, tuple[int, int]] | None = None, energy: dict | None = None) -> None:
        self.wall, self.mono, self.boot = wall, mono, boot
        self.cpu_busy, self.cpu_total = cpu_busy, cpu_total
        self.cores = cores if cores is not None else []
        self.mem_total_kb, self.mem_available_kb = mem_total_kb, mem_available_kb
        self.disks = disks if disks is not None else {}
        self.nets = nets if nets is not None else {}
        self.energy = energy if energy is not None else {}
        #: Whether memory, disk and network counters were read in this sample.
        self.io = True


def _cpu_ticks(fields: list[str]) -> tuple[int, int]:
    """(busy, total) ticks from a /proc/stat cpu line's numbers; steal and guest excluded."""
    values = [int(x) for x in fields[:8]] + [0] * (8 - len(fields[:8]))
    user, nice, system, idle, iowait, irq, softirq, _steal = values
    busy = user + nice + system + irq + softirq
    return busy, busy + idle + iowait


class ProcSampler:
    """Counters read straight from ``/proc`` (Linux).

    The four files are opened once and re-read with ``pread`` at offset 0 (the kernel regenerates
    them on each read from the start): no path lookup, no file object, about half the CPU of
    opening them afresh at each sample.
    """

    _FILES = ("proc/stat", "proc/meminfo", "proc/diskstats", "proc/net/dev")

    def __init__(self, root: str = "/", sources=None) -> None:
        self.root = root
        self.sources = sources
        #: USER_HZ: ticks per second of /proc/stat (proc(5)).
        self.ticks_per_second = float(os.sysconf("SC_CLK_TCK"))
        try:
            with open(os.path.join(root, "proc/sys/kernel/random/boot_id")) as handle:
                self.boot = handle.read().strip()
        except OSError:
            self.boot = ""
        self._fds: dict[str, int | None] = {}
        #: Bytes asked of each read: grown until a file fits (small reads spare an mmap per read).
        self._sizes: dict[str, int] = dict.fromkeys(self._FILES, 16384)
        for name in self._FILES:
            try:
                self._fds[name] = os.open(os.path.join(root, name), os.O_RDONLY)
            except OSError:
                if name == "proc/stat":
                    raise
                self._fds[name] = None
        self._disk_names = self._whole_disks()

    def _whole_disks(self) -> set[str] | None:
        """Names of whole disks (not partitions) from /sys/block, or None if unknown."""
        try:
            names = os.listdir(os.path.join(self.root, "sys/block"))
        except OSError:
            return None
        return {n for n in names if not n.startswith(NOT_DISKS)}

    def _pread(self, name: str) -> bytes:
        fd = self._fds.get(name)
        if fd is None:
            return b""
        size = self._sizes[name]
        try:
            data = os.pread(fd, size, 0)
            while len(data) >= size:  # did not fit: read it whole with a larger buffer
                size *= 4
                data = os.pread(fd, size, 0)
        except OSError:
            return b""
        self._sizes[name] = size
        return data

    def close(self) -> None:
        for name, fd in self._fds.items():
            if fd is not None:
                os.close(fd)
                self._fds[name] = None

    def read(self, io: bool = True) -> Sample:
        sample = Sample(time.time(), time.monotonic(), self.boot)
        cores = sample.cores
        data = self._pread("proc/stat")
        end = data.find(b"\nintr")
        for line in (data[:end] if end > 0 else data).split(b"\n"):
            if not line.startswith(b"cpu"):
                break
            parts = line.split()
            busy, total = _cpu_ticks(parts[1:])
            if parts[0] == b"cpu":
                sample.cpu_busy, sample.cpu_total = busy, total
            else:
                cores.append((busy, total))
        if self.sources is not None:
            sample.energy = self.sources.read()
        sample.io = io
        if not io:
            return sample
        for line in self._pread("proc/meminfo").split(b"\n", 8):
            if line.startswith(b"MemTotal:"):
                sample.mem_total_kb = int(line.split()[1])
            elif line.startswith(b"MemAvailable:"):
                sample.mem_available_kb = int(line.split()[1])
                break
        wanted = self._disk_names
        disks = sample.disks
        for line in self._pread("proc/diskstats").split(b"\n"):
            parts = line.split()
            if len(parts) < 10:
                continue
            name = parts[2].decode()
            if wanted is None or name in wanted:
                disks[name] = (int(parts[5]) * DISKSTATS_SECTOR_BYTES, int(parts[9]) * DISKSTATS_SECTOR_BYTES)
        nets = sample.nets
        for line in self._pread("proc/net/dev").split(b"\n"):
            name, sep, rest = line.partition(b":")
            if not sep:
                continue
            name = name.strip().decode()
            if name == "lo":
                continue
            parts = rest.split()
            nets[name] = (int(parts[0]), int(parts[8]))
        return sample


class PsutilSampler:
    """Counters through psutil, for systems without ``/proc`` (imported only here)."""

    def __init__(self, sources=None) -> None:
        import psutil

        self.psutil = psutil
        self.sources = sources
        self.boot = str(psutil.boot_time())
        self.ticks_per_second = 100.0  # psutil gives seconds; kept as centisecond ticks

    def _ticks(self, times) -> tuple[int, int]:
        idle = getattr(times, "idle", 0.0) + getattr(times, "iowait", 0.0)
        total = sum(getattr(times, f) for f in times._fields if f not in ("guest", "guest_nice", "steal"))
        return int((total - idle) * self.ticks_per_second), int(total * self.ticks_per_second)

    def read(self, io: bool = True) -> Sample:
        ps = self.psutil
        sample = Sample(wall=time.time(), mono=time.monotonic(), boot=self.boot)
        sample.cpu_busy, sample.cpu_total = self._ticks(ps.cpu_times())
        sample.cores = [self._ticks(t) for t in ps.cpu_times(percpu=True)]
        memory = ps.virtual_memory()
        sample.mem_total_kb, sample.mem_available_kb = memory.total // 1024, memory.available // 1024
        for name, io in (ps.disk_io_counters(perdisk=True) or {}).items():
            sample.disks[name] = (io.read_bytes, io.write_bytes)
        for name, io in (ps.net_io_counters(pernic=True) or {}).items():
            if not name.lower().startswith(("lo", "loopback")):
                sample.nets[name] = (io.bytes_recv, io.bytes_sent)
        if self.sources is not None:
            sample.energy = self.sources.read()
        return sample


def default_sampler(sources=None):
    """The cheapest sampler that works here."""
    if os.path.exists("/proc/stat"):
        return ProcSampler(sources=sources)
    return PsutilSampler(sources=sources)


def _pair_delta(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """Summed increase of per-device (a, b) counters; a counter that went down restarted at 0."""
    out_a = out_b = 0
    for name, (a, b) in after.items():
        if name not in before:
            continue
        a0, b0 = before[name]
        out_a += a - a0 if a >= a0 else a
        out_b += b - b0 if b >= b0 else b
    return out_a, out_b


def interval_record(previous: Sample, current: Sample, host: str, sources=None,
                    io_previous: Sample | None = None) -> dict | None:
    """One record for the interval between two samples, or None when it cannot be made.

    None means the counters restarted (new boot identity, CPU ticks went down) or no time
    passed on the monotonic clock; the caller starts a new interval from ``current``.
    ``io_previous`` is the last sample in which memory, disk and network were read (default
    ``previous``); byte counts run from it, over ``io_dt`` seconds when that differs from ``dt``.

    Returns
    -------
    dict
        ``host``; ``t`` end of the interval [s since the epoch, wall clock]; ``dt`` its length
        [s, monotonic clock, always > 0]; ``cpu`` utilisation of all CPUs [%]; ``cores`` per CPU
        [%]; ``src`` energy source (``hwmon``, ``battery``, ``rapl`` or ``model``); ``e_j``
        energy [J] when measured; ``why`` the reason each better source was not used; ``tz``
        local UTC offset [s]; ``bat``/``bat_w`` battery level [%] and draw [W] where present;
        and, in samples that read them, ``mem`` memory in use [%] and ``mem_mb`` [MiB] at the
        end, ``disk_r``/``disk_w`` and ``net_r``/``net_t`` bytes since ``io_previous``.
    """
    dt = current.mono - previous.mono
    if dt <= 0 or current.boot != previous.boot:
        return None
    d_busy = current.cpu_busy - previous.cpu_busy
    d_total = current.cpu_total - previous.cpu_total
    if d_total <= 0 or d_busy < 0 or d_busy > d_total:
        return None
    record: dict = {
        "host": host,
        "t": round(current.wall, 3),
        "dt": round(dt, 3),
        "cpu": round(100.0 * d_busy / d_total, 2),
    }
    before = previous.cores
    if current.cores and len(current.cores) == len(before):
        record["cores"] = [
            round(100.0 * (b1 - b0) / (t1 - t0), 1) if t1 > t0 and b1 >= b0 else None
            for (b0, t0), (b1, t1) in zip(before, current.cores, strict=True)
        ]
    if sources is not None:
        source, energy, why = sources.energy(previous.energy, current.energy, dt)
        record["src"] = source
        if energy is not None:
            record["e_j"] = round(energy, 3)
        if why:
            record["why"] = why
        battery = current.energy.get("battery")
        if battery:
            level, power = sources.battery.summary(battery)
            if level is not None:
                record["bat"] = round(level, 1)
            if power is not None:
                record["bat_w"] = round(power, 2)
    else:
        record["src"] = "model"
    if current.io:
        base = io_previous if io_previous is not None and io_previous.boot == current.boot else previous
        if current.mem_total_kb:
            used_kb = current.mem_total_kb - current.mem_available_kb
            record["mem"] = round(100.0 * used_kb / current.mem_total_kb, 2)
            record["mem_mb"] = round(used_kb / 1024.0, 1)
        record["disk_r"], record["disk_w"] = _pair_delta(base.disks, current.disks)
        record["net_r"], record["net_t"] = _pair_delta(base.nets, current.nets)
        io_dt = round(current.mono - base.mono, 3)
        if io_dt != record["dt"]:
            record["io_dt"] = io_dt
    record["tz"] = _utc_offset(current.wall)
    return record


_tz_cache = [float("-inf"), 0]


def _utc_offset(wall: float) -> int:
    """Local UTC offset [s] at ``wall``, looked up at most once a minute (DST changes on the hour)."""
    if wall >= _tz_cache[0] or wall < _tz_cache[0] - 120:
        _tz_cache[1] = time.localtime(wall).tm_gmtoff
        _tz_cache[0] = (wall // 60 + 1) * 60
    return _tz_cache[1]
