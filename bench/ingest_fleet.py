"""Benchmark: `auditor ingest` of a large fleet from a real Prometheus, with bounded memory.

Generates a fleet of probed hosts (tests/fleet.py: servers around the clock, workstations on
weekdays, random hourly load, 60 s scrapes), writes it as OpenMetrics in files of
``--hosts-per-file`` hosts, backfills a Prometheus store with ``promtool tsdb
create-blocks-from openmetrics`` (one pass per file; overlapping blocks are merged by
Prometheus), starts Prometheus on 127.0.0.1, runs ``auditor ingest`` as a child process and prints
its wall time, hosts/s, and peak RSS (``ru_maxrss`` of the child, from ``wait4``). The
exactness of the ingested totals is tested on a small fleet in tests/test_prometheus_fleet.py.

Usage::

    python bench/ingest_fleet.py [--hosts 2000] [--days 30] [--scrape 60] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fleet import Fleet  # noqa: E402


def run_child(cmd: list[str]) -> tuple[float, float, int]:
    """Run a command; (wall seconds, peak RSS MB of that child, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode(errors="replace"))
    return time.perf_counter() - t0, usage.ru_maxrss / 1024.0, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scrape", type=int, default=60)
    parser.add_argument("--hosts-per-file", type=int, default=100)
    parser.add_argument("--hosts-per-page", type=int, default=100)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if not (prometheus and promtool):
        sys.exit("prometheus and promtool are needed (Debian package prometheus)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="fleet-"))
    work.mkdir(parents=True, exist_ok=True)
    start = (int(time.time()) // 86400 - args.days - 2) * 86400
    print(f"fleet: {args.hosts:,} hosts x {args.days} days at a {args.scrape} s scrape; work folder {work}")
    tsdb = work / "tsdb"
    t_gen = t_fill = 0.0
    samples = 0
    for first in range(0, args.hosts, args.hosts_per_file):
        part = Fleet(hosts=min(args.hosts_per_file, args.hosts - first), days=args.days,
                     scrape_s=args.scrape, start_s=start)
        part.instance = (lambda i, off=first: f"host-{i + off:05d}.ville.test:9101")  # type: ignore[method-assign]
        path = work / f"fleet-{first:05d}.om"
        t0 = time.perf_counter()
        size = part.write(path)
        t_gen += time.perf_counter() - t0
        samples += sum(len(part.host_samples(i)[0]) for i in range(part.hosts)) * 3
        t0 = time.perf_counter()
        subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=744h",
                        str(path), str(tsdb)], check=True, capture_output=True)
        t_fill += time.perf_counter() - t0
        path.unlink()
        print(f"  hosts {first:,}-{first + part.hosts - 1:,}: {size / 1e6:,.0f} MB of OpenMetrics", flush=True)
    print(f"generated {samples:,} samples in {t_gen:.0f} s; promtool backfill {t_fill:.0f} s")

    port = 19090 + os.getpid() % 1000
    config = work / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    prom = subprocess.Popen([prometheus, f"--config.file={config}", f"--storage.tsdb.path={tsdb}",
                             "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        t0 = time.perf_counter()
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/label/instance/values", timeout=5) as r:
                    if len(json.load(r)["data"]) >= args.hosts:
                        break
            except OSError:
                pass
            if time.perf_counter() - t0 > 1800:
                sys.exit("Prometheus did not load the blocks within 30 min")
            time.sleep(1)
        print(f"Prometheus ready in {time.perf_counter() - t0:.0f} s")
        out = work / "samples"
        end = start + args.days * 86400
        code = (f"from auditor.ingest import ingest; "
                f"ingest({base!r}, {args.days * 86400}, {str(out)!r}, step_s=3600, end={end}, "
                f"hosts_per_page={args.hosts_per_page}, timeout_s=600)")
        wall, rss, rc = run_child([sys.executable, "-c", code])
        if rc:
            sys.exit(f"ingest failed ({rc})")
        files = list(out.iterdir())
        print(f"ingest: {len(files):,} host files in {wall:.1f} s ({args.hosts / wall:,.0f} hosts/s), "
              f"peak RSS {rss:.0f} MB (target <= 500 MB)")
    finally:
        prom.terminate()
        prom.wait(timeout=60)
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
