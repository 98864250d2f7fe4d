"""Probe parts with fakes: counters that reset or jump, RAPL wrap-around, meters, full disks."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from probes.exporter import ProbeState, make_server, parse_address
from probes.facts import battery_facts, infer_category, write_facts
from probes.records import ReadStats, RecordWriter, iter_records
from probes.runner import ProbeOptions, run_probe
from probes.sampler import Sample, interval_record
from probes.sources import (
    DENIED,
    BatterySource,
    HwmonSource,
    RaplSource,
    Sources,
    _reason,
    counter_delta,
)
from tests.fakes import FakeSampler


def sample(mono: float, busy: int, total: int, *, wall: float | None = None, boot: str = "b1",
           disks=None, nets=None, energy=None, cores=None) -> Sample:
    return Sample(wall=1_767_000_000.0 + mono if wall is None else wall, mono=mono, boot=boot,
                  cpu_busy=busy, cpu_total=total, cores=cores or [], mem_total_kb=1000,
                  mem_available_kb=250, disks=disks or {}, nets=nets or {}, energy=energy or {})


def put(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# -- interval records ------------------------------------------------------------------

def test_utilisation_and_bytes_over_the_interval():
    a = sample(10.0, 100, 1000, disks={"sda": (0, 0)}, nets={"eth0": (100, 50)},
               cores=[(50, 500), (50, 500)])
    b = sample(11.0, 150, 1200, disks={"sda": (4096, 8192)}, nets={"eth0": (300, 60)},
               cores=[(90, 600), (60, 600)])
    record = interval_record(a, b, "pc-1")
    assert record["dt"] == 1.0 and record["cpu"] == 25.0
    assert record["cores"] == [40.0, 10.0]
    assert (record["disk_r"], record["disk_w"], record["net_r"], record["net_t"]) == (4096, 8192, 200, 10)
    assert record["mem"] == 75.0 and record["src"] == "model"


def test_reboot_or_counter_reset_gives_no_negative_delta():
    a = sample(10.0, 5000, 90000, nets={"eth0": (10_000, 10_000)})
    assert interval_record(a, sample(11.0, 10, 100, boot="b2"), "h") is None  # new boot
    assert interval_record(a, sample(11.0, 10, 100), "h") is None  # ticks went down
    # an interface re-created mid-run restarts at zero: its bytes since then, never negative
    b = sample(11.0, 5050, 90100, nets={"eth0": (700, 0)})
    record = interval_record(a, b, "h")
    assert record["net_r"] == 700 and record["net_t"] == 0
    # the probe carries on from the new baseline
    sampler = FakeSampler([a, sample(11.0, 10, 100, boot="b2"), sample(12.0, 60, 200, boot="b2")])
    first, second, third = sampler.read(), sampler.read(), sampler.read()
    assert interval_record(first, second, "h") is None
    assert interval_record(second, third, "h")["cpu"] == 50.0


def test_clock_jumps_never_make_negative_intervals():
    a = sample(100.0, 0, 0, wall=2_000_000_000.0)
    back = sample(101.0, 10, 100, wall=2_000_000_000.0 - 3600)  # wall clock set back an hour
    record = interval_record(a, back, "h")
    assert record["dt"] == 1.0 and record["t"] == 2_000_000_000.0 - 3600
    forward = sample(102.0, 20, 200, wall=2_000_000_000.0 + 86400)
    assert interval_record(back, forward, "h")["dt"] == 1.0
    assert interval_record(a, sample(100.0, 10, 100), "h") is None  # no monotonic time passed


def test_io_counts_run_from_the_last_sample_that_read_them():
    a = sample(0.0, 0, 0, disks={"sda": (0, 0)})
    b = sample(1.0, 10, 100)
    b.io = False
    c = sample(2.0, 20, 200, disks={"sda": (512, 0)})
    rb = interval_record(a, b, "h")
    assert "disk_r" not in rb and "mem" not in rb
    rc = interval_record(b, c, "h", io_previous=a)
    assert rc["disk_r"] == 512 and rc["io_dt"] == 2.0 and rc["dt"] == 1.0


# -- energy sources --------------------------------------------------------------------

def test_counter_delta_wraps():
    assert counter_delta(900, 100, 1000) == 200
    assert counter_delta(100, 900, 1000) == 800
    assert counter_delta(900, 100, None) is None


def rapl_tree(root: Path, zones: dict[str, tuple[str, int, int]], max_power_uw: int = 100_000_000) -> None:
    for zone, (name, energy, max_range) in zones.items():
        put(root, f"sys/class/powercap/{zone}/name", name)
        put(root, f"sys/class/powercap/{zone}/energy_uj", str(energy))
        put(root, f"sys/class/powercap/{zone}/max_energy_range_uj", str(max_range))
        put(root, f"sys/class/powercap/{zone}/constraint_0_max_power_uw", str(max_power_uw))


def test_rapl_wrap_around_and_reset(tmp_path):
    rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 900_000, 1_000_000),
                         "intel-rapl:0:0": ("core", 5, 1_000_000)})
    sources = Sources(str(tmp_path))
    assert sources.status()["rapl"] == "ok"
    assert [z.name for z in sources.rapl.zones] == ["package-0"]  # core is inside the package
    before = sources.read()
    put(tmp_path, "sys/class/powercap/intel-rapl:0/energy_uj", "100000")  # wrapped once
    source, energy, why = sources.energy(before, sources.read(), 1.0)
    assert source == "rapl" and energy == pytest.approx(0.2)  # (100000 + 1e6 - 900000) µJ
    assert why == {"hwmon": "absent", "battery": "absent"}
    # a "wrap" that would mean more than the zone's rated power is a reset: model, with why
    rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 500_000_000_000, 10**12)}, max_power_uw=100_000_000)
    sources = Sources(str(tmp_path))
    before = sources.read()
    put(tmp_path, "sys/class/powercap/intel-rapl:0/energy_uj", "1")
    source, energy, why = sources.energy(before, sources.read(), 1.0)
    assert source == "model" and energy is None and why["rapl"] == "counter reset"


def test_rapl_psys_alone_and_dram_added(tmp_path):
    rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 1, 10**9), "intel-rapl:0:2": ("dram", 1, 10**9),
                         "intel-rapl:1": ("psys", 1, 10**9)})
    assert [z.name for z in RaplSource(str(tmp_path / "sys/class/powercap")).zones] == ["psys"]
    other = tmp_path / "b"
    rapl_tree(other, {"intel-rapl:0": ("package-0", 1, 10**9), "intel-rapl:0:2": ("dram", 1, 10**9)})
    names = sorted(z.name for z in RaplSource(str(other / "sys/class/powercap")).zones)
    assert names == ["dram", "package-0"]


def test_absent_sources_say_why(tmp_path):
    put(tmp_path, "proc/cpuinfo", "processor : 0\nflags : fpu vme hypervisor\n")
    sources = Sources(str(tmp_path))
    assert sources.virtual
    assert sources.status() == {"hwmon": "virtual machine", "battery": "virtual machine",
                                "rapl": "virtual machine"}
    bare = tmp_path / "bare"
    put(bare, "proc/cpuinfo", "flags : fpu\n")
    assert Sources(str(bare)).status() == {"hwmon": "absent", "battery": "absent", "rapl": "absent"}
    assert _reason(OSError(errno.EACCES, "denied")) == DENIED


def test_rapl_permission_denied(tmp_path, monkeypatch):
    rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 1, 10**9)})
    counter = tmp_path / "sys/class/powercap/intel-rapl:0/energy_uj"
    counter.chmod(0o000)
    if os.geteuid() == 0:  # root reads files whatever their mode: refuse as the kernel would
        import probes.sources

        real_read = probes.sources._read

        def denied(path: str) -> str:
            if path == str(counter):
                raise PermissionError(errno.EACCES, "Permission denied", path)
            return real_read(path)

        monkeypatch.setattr(probes.sources, "_read", denied)
    assert RaplSource(str(tmp_path / "sys/class/powercap")).status == DENIED


def test_hwmon_power_meter_integrates_power(tmp_path):
    put(tmp_path, "hwmon0/name", "k10temp")
    put(tmp_path, "hwmon0/temp1_input", "40000")
    put(tmp_path, "hwmon1/name", "power_meter")
    put(tmp_path, "hwmon1/power1_average", "50000000")  # 50 W
    meter = HwmonSource(str(tmp_path))
    assert meter.status == "ok" and meter.kind == "power"
    first = meter.read()
    put(tmp_path, "hwmon1/power1_average", "70000000")
    energy, reason = meter.energy_j(first, meter.read(), 2.0)
    assert reason is None and energy == pytest.approx(120.0)  # mean 60 W x 2 s


def test_battery_discharging_counts_on_mains_does_not(tmp_path):
    put(tmp_path, "BAT0/type", "Battery")
    put(tmp_path, "BAT0/status", "Discharging")
    put(tmp_path, "BAT0/power_now", "12000000")
    put(tmp_path, "BAT0/capacity", "80")
    put(tmp_path, "hid-mouse/type", "Battery")
    put(tmp_path, "hid-mouse/scope", "Device")
    battery = BatterySource(str(tmp_path))
    assert len(battery.paths) == 1
    first = battery.read()
    energy, _ = battery.energy_j(first, battery.read(), 10.0)
    assert energy == pytest.approx(120.0)
    assert battery.summary(first) == (80.0, 12.0)
    put(tmp_path, "BAT0/status", "Charging")
    assert battery.energy_j(first, battery.read(), 10.0) == (None, "on mains power")


# -- facts -----------------------------------------------------------------------------

def test_battery_health_and_category(tmp_path):
    put(tmp_path, "sys/class/power_supply/BAT0/type", "Battery")
    put(tmp_path, "sys/class/power_supply/BAT0/energy_full", "40000000")
    put(tmp_path, "sys/class/power_supply/BAT0/energy_full_design", "50000000")
    put(tmp_path, "sys/class/power_supply/BAT0/cycle_count", "312")
    assert battery_facts(str(tmp_path)) == (True, 80.0, 312)
    assert infer_category(True, 3, False)[0] == "laptop"
    assert infer_category(False, 23, False) == ("server", "chassis type 23")
    assert infer_category(False, 7, False)[0] == "desktop"
    assert infer_category(False, None, True) == ("server", "virtual machine")


def test_facts_refuse_to_mix_columns(tmp_path):
    other = tmp_path / "inv.csv"
    other.write_text("name,category\nx,laptop\n")
    with pytest.raises(ValueError, match="other columns"):
        write_facts({"id": "h", "hostname": "h"}, str(other))


def test_facts_run_again_on_a_host_is_refused_and_the_file_kept(tmp_path):
    """A fleet inventory built by running `probe facts -o fleet.csv` on each host: running it
    again on one host would add a duplicate id (which assess refuses); it stops with one line
    naming the file and the row, and leaves the file as it was."""
    fleet = tmp_path / "fleet.csv"
    write_facts({"id": "pc-1", "hostname": "pc-1", "ram_gb": 8}, str(fleet))
    write_facts({"id": "pc-2", "hostname": "pc-2", "ram_gb": 8}, str(fleet))
    before = fleet.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"fleet\.csv, row 2: this host \(pc-1\) is already in the file"):
        write_facts({"id": "pc-1", "hostname": "pc-1", "ram_gb": 16}, str(fleet))
    assert fleet.read_text(encoding="utf-8") == before == "id,hostname,ram_gb\npc-1,pc-1,8\npc-2,pc-2,8\n"


def test_summary_counts_a_record_given_twice_once(tmp_path):
    """The same file reached twice (a folder and a copy, or a file and its folder) must not double
    the hours and the energy; `auditor assess --samples` keeps one record per host and time too."""
    from probes.records import format_summary, summarise

    lines = ['{"kind":"start","v":1,"host":"h"}'] + [
        json.dumps({"host": "h", "t": 1_767_600_000 + 3600 * i, "dt": 3600, "cpu": 50.0, "src": "hwmon",
                    "e_j": 100.0 * 3600}) for i in range(1, 4)]
    (tmp_path / "h.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "copy.jsonl").write_text("\n".join(lines) + "\n")
    summary = summarise([str(tmp_path)])
    # 3 hours at 100 W, by hand: 0.3 kWh over 3 h
    assert summary["records"] == 3 and summary["sampled_hours"] == 3 and summary["energy_kwh"] == 0.3
    assert summary["duplicate_records"] == 3 and "3 duplicate" in format_summary(summary)


# -- record files ----------------------------------------------------------------------

class FullDisk:
    """write() that fails with ENOSPC for the calls given, or writes half the bytes."""

    def __init__(self, failing: set[int], short: set[int] = frozenset()) -> None:
        self.calls = 0
        self.failing, self.short = failing, short

    def __call__(self, fd: int, data: bytes) -> int:
        self.calls += 1
        if self.calls in self.failing:
            raise OSError(errno.ENOSPC, "No space left on device")
        if self.calls in self.short:
            return os.write(fd, data[: len(data) // 2])
        return os.write(fd, data)


def test_disk_full_drops_and_counts_then_resumes(tmp_path):
    write = FullDisk(failing={3, 4, 5})  # call 1 is the header
    writer = RecordWriter(str(tmp_path), "h", {"interval": 1}, write=write)
    results = [writer.write({"host": "h", "t": float(i), "dt": 1.0, "cpu": 1.0}) for i in range(8)]
    writer.close()
    assert results == [True, False, False, False, True, True, True, True]
    assert writer.dropped == 3 and writer.written == 5
    stats = ReadStats()
    kept = list(iter_records([str(tmp_path)], stats))
    assert [r["t"] for r in kept] == [0.0, 4.0, 5.0, 6.0, 7.0] and stats.skipped == 0
    assert kept[1]["dropped"] == 3  # the gap is explained in the file


def test_short_write_cannot_spoil_the_next_record(tmp_path):
    writer = RecordWriter(str(tmp_path), "h", write=FullDisk(failing=set(), short={3}))
    for i in range(4):
        writer.write({"host": "h", "t": float(i), "dt": 1.0})
    writer.close()
    stats = ReadStats()
    kept = list(iter_records([str(tmp_path)], stats))
    assert [r["t"] for r in kept] == [0.0, 2.0, 3.0] and stats.skipped == 1


def test_other_write_errors_are_raised(tmp_path):
    def broken(fd, data):
        raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError):
        RecordWriter(str(tmp_path), "h", write=broken).write({"host": "h", "t": 1.0, "dt": 1.0})


def test_rotation_by_size_and_age(tmp_path):
    clock = [0.0]
    writer = RecordWriter(str(tmp_path), "h", max_bytes=300, max_age_s=100.0, clock=lambda: clock[0])
    for i in range(12):
        writer.write({"host": "h", "t": float(i), "dt": 1.0, "pad": "x" * 40})
    by_size = writer.files
    clock[0] = 150.0
    writer.write({"host": "h", "t": 99.0, "dt": 1.0})
    writer.close()
    assert by_size >= 3 and writer.files == by_size + 1
    files = sorted(tmp_path.glob("*.jsonl"))
    assert len(files) == writer.files
    for file in files:  # every file starts with its header
        assert json.loads(file.read_text().splitlines()[0])["kind"] == "start"
    assert len(list(iter_records([str(tmp_path)]))) == 13


def test_fsync_at_least_once_per_interval(tmp_path, monkeypatch):
    import probes.records as records

    synced = []
    monkeypatch.setattr(records, "_datasync", lambda fd: synced.append(fd))
    clock = [0.0]
    writer = RecordWriter(str(tmp_path), "h", fsync_interval_s=60.0, clock=lambda: clock[0])
    for second in range(0, 181):
        clock[0] = float(second)
        writer.write({"host": "h", "t": float(second), "dt": 1.0})
    assert len(synced) == 4  # at 0, 60, 120 and 180 s
    clock[0] = 181.0
    writer.write({"host": "h", "t": 181.0, "dt": 1.0})
    assert len(synced) == 4
    writer.close()
    assert len(synced) == 5  # and when closed with unsynced records


def test_run_probe_keeps_running_when_the_disk_is_full(tmp_path):
    import io

    err = io.StringIO()
    code = run_probe(ProbeOptions(interval_s=0.05, duration_s=0.5, output=str(tmp_path)),
                     write=FullDisk(failing=set(range(2, 7))), err=err)
    assert code == 0
    assert err.getvalue().count("disk full") == 1
    kept = list(iter_records([str(tmp_path)]))
    assert kept and kept[0]["dropped"] == 5


# -- Prometheus exposition -------------------------------------------------------------

def test_exposition_text_is_well_formed():
    sampler = FakeSampler([sample(1.0, 100, 1000, disks={"sda": (10, 20)}, nets={"e": (1, 2)}, cores=[(1, 2)]),
                           sample(2.0, 200, 2000, disks={"sda": (30, 40)}, nets={"e": (3, 4)}, cores=[(1, 2)])])
    state = ProbeState('pc "1"', "0.1.0", sampler, None, model_watts=(20.0, 60.0))
    state.update({"host": "h", "t": 1.0, "dt": 1.0, "cpu": 50.0, "src": "model"}, 5, 1)
    text = state.render()
    types = {}
    for line in text.splitlines():
        if line.startswith("# TYPE"):
            _, _, name, kind = line.split()
            types[name] = kind
        elif not line.startswith("#"):
            name = line.split("{")[0].split()[0]
            float(line.rsplit(" ", 1)[1])
            assert name in types
    assert types["auditor_probe_cpu_seconds_total"] == "counter"
    assert 'host="pc \\"1\\""' in text
    assert "auditor_probe_power_watts{source=\"model\"} 40.0" in text  # 20 + 0.5 x (60 - 20)
    assert 'auditor_probe_cpu_seconds_total{mode="busy"} 1.0' in text  # 100 ticks at 100 Hz
    assert "auditor_probe_records_dropped_total 1" in text


def test_parse_address_defaults_to_loopback():
    assert parse_address("9465") == ("127.0.0.1", 9465)
    assert parse_address(":9465") == ("127.0.0.1", 9465)
    assert parse_address("0.0.0.0:9465") == ("0.0.0.0", 9465)
    assert parse_address("[::1]:9465") == ("::1", 9465)
    with pytest.raises(ValueError):
        parse_address("host:99999")


def test_metrics_server_answers_get(tmp_path):
    import urllib.request

    sampler = FakeSampler([sample(1.0, 100, 1000)])
    server = make_server("127.0.0.1", 0, ProbeState("h", "0", sampler, None))
    port = server.address[1]
    import threading

    def serve_two() -> None:
        for _ in range(2):
            _wait(server)
            server.handle_request()

    thread = threading.Thread(target=serve_two)
    thread.start()
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert "auditor_probe_info" in body
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nope", timeout=5)
    finally:
        thread.join(timeout=10)
        server.server_close()


def _wait(server) -> None:
    import select

    select.select([server.fileno()], [], [], 5)


@pytest.mark.parametrize("mode", ["pipe", "poll"])
def test_run_probe_without_sigtimedwait(tmp_path, monkeypatch, mode):
    import signal

    import probes.runner as runner

    monkeypatch.delattr(signal, "sigtimedwait")
    if mode == "poll":
        monkeypatch.setattr(runner.os, "name", "nt")
    code = run_probe(ProbeOptions(interval_s=0.1, duration_s=0.35, output=str(tmp_path)))
    assert code == 0
    assert 3 <= len(list(iter_records([str(tmp_path)]))) <= 4
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_each_record_is_one_complete_line_in_one_write(tmp_path):
    """Crash safety: a record reaches the OS in ONE write of one complete, compact UTF-8 line."""
    chunks: list[bytes] = []

    def spy(fd: int, data: bytes) -> int:
        chunks.append(data)
        return os.write(fd, data)

    writer = RecordWriter(str(tmp_path), "hôte", {"interval": 1}, write=spy)
    record = {"host": "hôte", "t": 1.5, "dt": 1.0, "cpu": 12.25, "energy": {"rapl": {"j": 3}}}
    writer.write(record)
    writer.close()
    assert len(chunks) == 2  # header, then the record
    for chunk in chunks:
        assert chunk.endswith(b"\n") and chunk.count(b"\n") == 1
    assert chunks[1] == b'{"host":"h\xc3\xb4te","t":1.5,"dt":1.0,"cpu":12.25,"energy":{"rapl":{"j":3}}}\n'
    assert json.loads(chunks[1]) == record


def test_a_nan_is_refused_not_written(tmp_path):
    writer = RecordWriter(str(tmp_path), "h")
    with pytest.raises(ValueError):
        writer.write({"host": "h", "t": 1.0, "dt": 1.0, "cpu": float("nan")})
    writer.close()


def test_probes_use_public_json_api_and_ship_no_test_double():
    root = Path(__file__).resolve().parent.parent
    for package in ("probes", "auditor", "factors", "reports"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "json.encoder" not in text, path
            assert "class Fake" not in text, path


def test_the_last_interval_waits_a_clock_tick_for_the_counters():
    """A stop within one clock tick of the previous sample: the CPU counters have not moved, so the
    final record is taken again after a tick, with memory and disk read (the run does not end on
    an ordinary record)."""
    from probes.runner import FINAL_TRIES, final_record

    previous = sample(10.0, 100, 1000)
    frozen = sample(10.004, 100, 1000)  # no tick yet
    moved = sample(10.02, 101, 1004, disks={"sda": (5, 6)})
    waits = []
    sampler = FakeSampler([frozen, moved])
    current, record = final_record(sampler, previous, frozen, "h", None, previous, tick_s=0.01,
                                   sleep=waits.append)
    assert current is moved and record is not None
    assert record["cpu"] == pytest.approx(25.0)  # 1 busy tick of 4
    assert record["mem"] == pytest.approx(75.0) and "disk_r" in record
    assert waits == [0.01, 0.01]  # the frozen reading, then the one that moved
    # a host whose counters never move: bounded waits, no record
    waits.clear()
    _, none = final_record(FakeSampler([frozen]), previous, frozen, "h", None, previous, tick_s=0.01,
                           sleep=waits.append)
    assert none is None and len(waits) == FINAL_TRIES
