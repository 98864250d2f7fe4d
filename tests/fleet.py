"""A generated fleet of probed hosts written as OpenMetrics, for `promtool tsdb create-blocks-from
openmetrics` (a real Prometheus store backfilled with known data), with the totals each host
really used, computed directly from the generated samples.

Used by tests/test_prometheus_fleet.py (small) and bench/ingest_fleet.py (large).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

CORES = 4
POWER_IDLE_W, POWER_BUSY_W = 40.0, 160.0


@dataclass
class Fleet:
    hosts: int
    days: int
    scrape_s: int
    start_s: int  # first scrape, a multiple of 3600
    seed: int = 7

    @property
    def end_s(self) -> int:
        return self.start_s + self.days * 86400

    def instance(self, i: int) -> str:
        return f"host-{i:05d}.ville.test:9101"

    def host_samples(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Scrape times [s] and cumulative busy CPU seconds, all CPU seconds, energy [J].

        Even hosts run around the clock (servers); odd hosts are on from 08:00 to 18:00 UTC on
        weekdays (workstations; scrapes at both ends): no scrape while off, counters frozen. Load
        is random per hour.
        """
        rng = np.random.default_rng(self.seed * 100_003 + i)
        t = np.arange(self.start_s, self.end_s + 1, self.scrape_s, dtype=np.int64)
        if i % 2:
            hour = (t // 3600) % 24
            weekday = ((t // 86400) + 3) % 7 < 5  # 1970-01-01 was a Thursday
            on = (hour >= 8) & ((hour < 18) | ((hour == 18) & (t % 3600 == 0)))
            t = t[weekday & on]
        hourly_load = rng.uniform(0.02, 0.9, size=(self.days * 24 + 2))
        load = hourly_load[(t - self.start_s) // 3600]
        # increments between consecutive scrapes; none across a gap (the host was off)
        dt = np.diff(t, prepend=t[0]).astype(float)
        dt[dt > self.scrape_s] = 0.0
        total = np.cumsum(dt * CORES)
        busy = np.cumsum(dt * CORES * load)
        energy = np.cumsum(dt * (POWER_IDLE_W + (POWER_BUSY_W - POWER_IDLE_W) * load))
        return t, busy, total, energy

    def totals(self) -> dict[str, dict[str, float]]:
        """host -> {busy_s, total_s, energy_j} over [start, end], from the samples themselves."""
        out = {}
        for i in range(self.hosts):
            _, busy, total, energy = self.host_samples(i)
            out[self.instance(i).split(":")[0]] = {"busy_s": busy[-1] - busy[0], "total_s": total[-1] - total[0],
                                                   "energy_j": energy[-1] - energy[0]}
        return out

    def openmetrics(self) -> Iterator[str]:
        """OpenMetrics text, one metric family after the other, in chunks of lines."""
        yield "# TYPE auditor_probe_cpu_seconds counter\n"
        for mode, column in (("busy", 1), ("idle", None)):
            for i in range(self.hosts):
                t, busy, total, _ = self.host_samples(i)
                values = busy if column else total - busy
                head = f'auditor_probe_cpu_seconds_total{{instance="{self.instance(i)}",mode="{mode}"}} '
                yield "".join(f"{head}{v:.3f} {s}\n" for v, s in zip(values.tolist(), t.tolist(), strict=True))
        yield "# TYPE auditor_probe_energy_joules counter\n"
        for i in range(self.hosts):
            t, _, _, energy = self.host_samples(i)
            head = f'auditor_probe_energy_joules_total{{instance="{self.instance(i)}",source="rapl"}} '
            yield "".join(f"{head}{v:.3f} {s}\n" for v, s in zip(energy.tolist(), t.tolist(), strict=True))
        yield "# EOF\n"

    def write(self, path) -> int:
        """Write the OpenMetrics file; its size [bytes]."""
        size = 0
        with open(path, "w", encoding="ascii") as handle:
            for chunk in self.openmetrics():
                handle.write(chunk)
                size += len(chunk)
        return size
