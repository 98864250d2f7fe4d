"""A real Prometheus whose store is backfilled with `promtool tsdb create-blocks-from openmetrics`
from a generated fleet; `auditor ingest` must give back what the fleet really used.

Skipped when the binaries are absent, unless CI is set (then it fails: CI installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request

import pytest

from probes.records import iter_records
from tests.fleet import CORES, Fleet
from tests.test_prometheus import free_port, wait_until

PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")


def backfilled_prometheus(fleet: Fleet, folder):
    """Start a Prometheus on 127.0.0.1 serving the fleet's backfilled blocks; (process, base URL)."""
    metrics = folder / "fleet.om"
    fleet.write(metrics)
    tsdb = folder / "tsdb"
    subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", str(metrics), str(tsdb)],
                   check=True, capture_output=True, timeout=600)
    port = free_port()
    config = folder / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    proc = subprocess.Popen([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tsdb}",
                             "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def ready():
        with urllib.request.urlopen(f"{base}/api/v1/label/instance/values", timeout=2) as r:
            return len(json.load(r)["data"]) == fleet.hosts

    try:
        wait_until(ready, "the backfilled blocks to load", timeout_s=60)
    except BaseException:
        proc.kill()
        raise
    return proc, base


@pytest.fixture
def need_binaries():
    if PROMETHEUS is None or PROMTOOL is None:
        if os.environ.get("CI"):
            pytest.fail("prometheus and promtool are not installed in CI")
        pytest.skip("prometheus/promtool not installed")


def test_ingest_of_a_backfilled_store_equals_the_generated_totals(need_binaries, tmp_path):
    start = (int(time.time()) // 86400 - 10) * 86400  # ten days ago, midnight UTC
    fleet = Fleet(hosts=7, days=3, scrape_s=60, start_s=start)
    proc, base = backfilled_prometheus(fleet, tmp_path)
    try:
        from auditor.ingest import ingest

        out = tmp_path / "samples"
        report = ingest(base, fleet.days * 86400, str(out), step_s=3600, end=fleet.end_s, hosts_per_page=3)
        paged_once = tmp_path / "one-page"
        ingest(base, fleet.days * 86400, str(paged_once), step_s=3600, end=fleet.end_s, hosts_per_page=100)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    truth = fleet.totals()
    assert sorted(report.hosts) == sorted(truth)
    records = list(iter_records([str(out)]))
    key = lambda r: (r["host"], r["t"])  # noqa: E731
    assert sorted(records, key=key) == sorted(iter_records([str(paged_once)]), key=key)  # pages change nothing
    for host, expected in truth.items():
        mine = [r for r in records if r["host"] == host]
        energy = sum(r["e_j"] for r in mine)
        # each step's increase runs from a scrape on its start to a scrape on its end: no extrapolation,
        # so the sum of the steps is the counter's whole increase (to the 3-decimal rounding)
        assert energy == pytest.approx(expected["energy_j"], rel=1e-6), host
        on_s = sum(r["dt"] for r in mine)
        assert on_s == pytest.approx(expected["total_s"] / CORES, rel=1e-9), host
        busy = sum(r["cpu"] / 100 * r["dt"] for r in mine) * CORES
        assert busy == pytest.approx(expected["busy_s"], rel=1e-3), host  # cpu % kept to 2 decimals
