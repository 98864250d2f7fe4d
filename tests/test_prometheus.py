"""A real Prometheus (Debian package) on 127.0.0.1 scraping a real probe, then `auditor ingest`.

Skipped when the prometheus binary is absent, unless the environment variable CI is set (then
it fails: CI installs it). node_exporter is scraped too when its binary is present.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.ingest import increase_expr, increase_records, instance_matcher, parse_duration
from probes.records import iter_records

PROMETHEUS = shutil.which("prometheus") or ("/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None)
NODE_EXPORTER = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
PROBE_HOST = "probe-test-host"
MAX_WAIT_S = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query(base: str, expr: str) -> list[dict]:
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)["data"]["result"]


def wait_until(condition, what: str, timeout_s: float = MAX_WAIT_S):
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what} (last: {last!r})")


@pytest.fixture
def prometheus_stack(tmp_path):
    if PROMETHEUS is None:
        if os.environ.get("CI"):
            pytest.fail("prometheus is not installed in CI")
        pytest.skip("prometheus binary not installed")
    procs: list[subprocess.Popen] = []
    probe_port, prom_port = free_port(), free_port()
    targets = [("probe", probe_port)]
    procs.append(subprocess.Popen(
        [sys.executable, "-m", "probes", "run", "--interval", "0.5", "--host", PROBE_HOST,
         "--output", str(tmp_path / "probe"), "--prometheus", f"127.0.0.1:{probe_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    if NODE_EXPORTER:
        node_port = free_port()
        targets.append(("node", node_port))
        procs.append(subprocess.Popen(
            [NODE_EXPORTER, f"--web.listen-address=127.0.0.1:{node_port}", "--collector.disable-defaults",
             "--collector.cpu", "--collector.uname"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\n"
        "scrape_configs:\n" + "".join(
            f"  - job_name: {job}\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
            for job, port in targets))
    procs.append(subprocess.Popen(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{prom_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    base = f"http://127.0.0.1:{prom_port}"
    try:
        yield base, tmp_path, bool(NODE_EXPORTER)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_ingest_from_a_real_prometheus_scraping_the_probe(prometheus_stack, monkeypatch):
    base, tmp_path, with_node = prometheus_stack
    jobs = "probe|node" if with_node else "probe"
    wait_until(lambda: len(query(base, f'count_over_time(up{{job=~"{jobs}"}}[1m]) >= 6'))
               == (2 if with_node else 1), "six scrapes of every target")

    from auditor.ingest import ingest

    end = time.time()
    out = tmp_path / "samples"
    report = ingest(base, 60.0, str(out), step_s=2.0, end=end)
    assert PROBE_HOST in report.hosts
    assert report.origin[PROBE_HOST].startswith("probe")
    ingested = [r for r in iter_records([str(out)]) if r["host"] == PROBE_HOST]
    assert len(ingested) >= 2
    for record in ingested:
        assert record["dt"] == pytest.approx(2.0)
        assert 0.0 <= record["cpu"] <= 100.0
        assert record["src"] == "model" and "prometheus" in record["why"]
    # the probe's own records cover the same time: ingested utilisation is of the same order
    own = [r for r in iter_records([str(tmp_path / "probe")])]
    assert own and all(r["host"] == PROBE_HOST for r in own)

    if with_node:
        node_hosts = [h for h in report.hosts if report.origin[h].startswith("node_exporter")]
        assert node_hosts == [socket.gethostname()]
        node = [r for r in iter_records([str(out)]) if r["host"] == node_hosts[0]]
        assert node and all(0.0 <= r["cpu"] <= 100.0 for r in node)

    # paging: the same range in pages of 4 steps gives the same records
    import auditor.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "MAX_POINTS", 4)
    paged = tmp_path / "paged"
    ingest(base, 60.0, str(paged), step_s=2.0, end=end)
    key = lambda r: (r["host"], r["t"])  # noqa: E731
    assert sorted(iter_records([str(paged)]), key=key) == sorted(iter_records([str(out)]), key=key)

    # the ingested samples feed the assessment as measured energy
    inventory = tmp_path / "inv.csv"
    inventory.write_text(f"hostname,category,country\n{PROBE_HOST},server,FR\n")
    run = subprocess.run([sys.executable, "-c", "from auditor.cli import run; run()", "assess", str(inventory),
                          "--samples", str(out), "--date", "2026-01-15", "-q"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "measured 100 %" in run.stdout

    # the CLI: one summary line per host
    run = subprocess.run([sys.executable, "-c", "from auditor.cli import run; run()", "ingest",
                          "--prometheus", base, "--range", "1m", "--step", "2s", "-o", str(tmp_path / "cli")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Ingested" in run.stdout and PROBE_HOST in run.stdout


def test_unreachable_prometheus_is_one_line_exit_2(tmp_path):
    port = free_port()  # nothing listens there
    run = subprocess.run([sys.executable, "-c", "from auditor.cli import run; run()", "ingest",
                          "--prometheus", f"http://127.0.0.1:{port}", "--range", "1h", "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().startswith("error: cannot reach Prometheus at")
    assert len(run.stderr.strip().splitlines()) == 1


def test_durations_and_series_records():
    assert parse_duration("30d") == 30 * 86400
    assert parse_duration("1h30m") == 5400
    assert parse_duration("90") == 90
    for bad in ("abc", "0s", "-5", "5x"):
        with pytest.raises(InputError):
            parse_duration(bad)
    # increases per step as Prometheus returns them (busy 30 of 120 s = 25 %; 600 J of RAPL)
    busy = {60.0: 30.0, 120.0: 0.0, 180.0: 30.0}
    total = {60.0: 120.0, 120.0: 0.0, 180.0: 120.0}  # nothing counted in the step ending at 120
    energy = {"rapl": {60.0: 600.0, 180.0: 600.0}, "battery": {180.0: 550.0}}
    records = increase_records("h", busy, total, energy, 60.0, {"prometheus": "x"})
    assert [r["t"] for r in records] == [60.0, 180.0]
    assert records[0]["cpu"] == 25.0 and records[0]["e_j"] == 600.0 and records[0]["src"] == "rapl"
    assert records[1]["e_j"] == 1150.0 and records[1]["dt"] == 60.0


def test_promql_of_the_aggregates():
    m = instance_matcher(["pc-1.ville.fr:9100", "a(b)"])
    assert m == 'instance=~"pc-1\\\\.ville\\\\.fr:9100|a\\\\(b\\\\)"'
    expr = increase_expr(("auditor_probe_cpu_seconds_total", 'mode="busy"', "instance"), m, 3600)
    assert expr == ('sum by (instance) (increase(auditor_probe_cpu_seconds_total{mode="busy", ' + m
                    + '}[3600s]))')
