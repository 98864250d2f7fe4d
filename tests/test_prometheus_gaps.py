"""`auditor ingest` from a real Prometheus whose hosts misbehave: a host that disappears in the
middle of an hour, a counter reset, a gap of hours, a host with a single sample (no increase), and
one host whose exporter moved to another port (two instances). Every host must be accounted for,
none dropped silently, and the figures are checked against sums done by hand on the samples.

The store is backfilled with `promtool tsdb create-blocks-from openmetrics` (as in
tests/test_prometheus_fleet.py). Skipped when the binaries are absent, unless CI is set.
"""

from __future__ import annotations

import time

import pytest

from probes.records import iter_records
from tests.test_prometheus_fleet import backfilled_prometheus, need_binaries  # noqa: F401 (fixture)

SCRAPE_S = 60
CORES = 2
POWER_W = 100.0
LOAD = 0.5
HOUR = 3600


class Misbehaving:
    """Six instances scraped every minute for two days (2 CPUs at 50 %, 100 W while on)."""

    def __init__(self, start_s: int) -> None:
        self.start_s = start_s
        self.end_s = start_s + 48 * HOUR
        s = start_s
        self.on = {
            "steady.test:9101": lambda t: True,
            "reset.test:9101": lambda t: True,  # counters restart from 0 at 30 h 30 min
            "gone.test:9101": lambda t: t <= s + 36 * HOUR + 600,  # last scrape 10 min into hour 37
            "gap.test:9101": lambda t: not (s + 10 * HOUR < t < s + 16 * HOUR),  # off 6 h
            "once.test:9101": lambda t: t == s + 5 * HOUR,  # one sample: no increase exists
            "moved.test:9101": lambda t: t <= s + 24 * HOUR,  # exporter moved to port 9102...
            "moved.test:9102": lambda t: t >= s + 24 * HOUR + HOUR,  # ...an hour later
        }
        self.reset_at = {"reset.test:9101": s + 30 * HOUR + 1800}
        self.hosts = len(self.on)

    def samples(self, instance: str):
        t_all = range(self.start_s, self.end_s + 1, SCRAPE_S)
        value, previous = 0.0, None
        for t in t_all:
            if not self.on[instance](t):
                previous = None
                continue
            if t == self.reset_at.get(instance):
                value, previous = 0.0, None
            if previous is not None:
                value += t - previous  # seconds on since the previous scrape
            previous = t
            yield t, value

    def write(self, path) -> None:
        lines = ["# TYPE auditor_probe_cpu_seconds counter"]
        for mode, share in (("busy", LOAD), ("idle", 1 - LOAD)):
            for instance in self.on:
                lines += [f'auditor_probe_cpu_seconds_total{{instance="{instance}",mode="{mode}"}} '
                          f"{v * CORES * share:.3f} {t}" for t, v in self.samples(instance)]
        lines.append("# TYPE auditor_probe_energy_joules counter")
        for instance in self.on:
            lines += [f'auditor_probe_energy_joules_total{{instance="{instance}",source="rapl"}} '
                      f"{v * POWER_W:.3f} {t}" for t, v in self.samples(instance)]
        lines.append("# EOF")
        path.write_text("\n".join(lines) + "\n")


def test_ingest_accounts_for_every_misbehaving_host(need_binaries, tmp_path):  # noqa: F811
    start = (int(time.time()) // 86400 - 6) * 86400
    fleet = Misbehaving(start)
    proc, base = backfilled_prometheus(fleet, tmp_path)
    try:
        from auditor.ingest import ingest

        out = tmp_path / "samples"
        # the range does not end on an hour: every step straddles two clock hours
        end = fleet.end_s + 2 * HOUR + 1234
        report = ingest(base, 3 * 86400, str(out), step_s=HOUR, end=end, hosts_per_page=2)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    records = list(iter_records([str(out)]))
    by_host: dict[str, list[dict]] = {}
    for r in records:
        by_host.setdefault(r["host"], []).append(r)
    # hours on, by hand from the scrapes: the counters grow between consecutive scrapes only
    on_h = {"steady.test": 48, "reset.test": 48 - 1 / 60,  # the reset loses the minute before it
            "gone.test": 36 + 10 / 60, "gap.test": 48 - 6,
            "moved.test": 24 + 23}
    assert sorted(by_host) == sorted(on_h)
    for host, hours in on_h.items():
        mine = by_host[host]
        energy_kwh = sum(r["e_j"] for r in mine) / 3.6e6
        # increase() extrapolates by at most half a scrape interval at each end of a run of samples
        assert energy_kwh == pytest.approx(hours * POWER_W / 1000, abs=2 * SCRAPE_S / HOUR * POWER_W / 1000), host
        on_s = sum(r["dt"] for r in mine)
        assert on_s / HOUR == pytest.approx(hours, abs=2 * SCRAPE_S / HOUR), host  # not whole steps
        assert all(r["cpu"] == pytest.approx(100 * LOAD, abs=0.5) for r in mine), host
    # the host with a single sample is named, with why it has no records
    text = report.format()
    assert "once.test" in text and "no" in text.split("once.test", 1)[1].splitlines()[0]
    assert "moved.test:9102" in text  # both instances of the moved host are used, and said so
