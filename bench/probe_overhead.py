"""Benchmark: what the probe costs the host it runs on.

Runs the probe for 60 s at a 1 s interval and at the default interval (as ``python -m probes
run``, the deployed form, and as ``auditor probe run``), all at once (per-process CPU accounting
is not affected by running them together on an idle machine; starts are 1 s apart so start-ups do
not overlap), and prints for each:

- CPU-s per minute in steady state: CPU used over a 60 s window after start-up, read from
  ``/proc/PID/schedstat`` (nanoseconds; where it is missing: whole-run CPU minus start-up CPU);
- peak RSS (``ru_maxrss`` of the child, from ``wait4``);
- start-up CPU: CPU of the same command that stops right after its first sample.

Targets (issue 5) at 1 s: <= 0.02 CPU-s/min, <= 16 MB peak RSS, <= 0.15 s start-up CPU.
A bare ``python -c pass`` is measured too: the interpreter's own floor on this machine (site
hooks such as editable-install finders add to it).

Usage::

    python bench/probe_overhead.py [--seconds 60] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

DEFAULT_INTERVAL = "60"  # probes.__main__.DEFAULT_INTERVAL_S, kept literal: no import of the probe here

#: Pause between starting two runs, so that their start-ups do not overlap [s].
STAGGER_S = 1.0
#: Time left for start-up before the steady-state window opens [s].
WARMUP_S = 6.0

PROBE = [sys.executable, "-m", "probes", "run"]
AUDITOR = [sys.executable, "-c", "from auditor.entry import main; main()", "probe", "run"]


def _start(command: list[str]):
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), time.monotonic()


def _finish(proc: subprocess.Popen, started: float, command: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, peak RSS [MB], wall seconds) of a child process, once it has ended."""
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({code}): {err.strip()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, time.monotonic() - started


def _run(command: list[str]) -> tuple[float, float, float]:
    return _finish(*_start(command), command)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _startup_cpu(base: list[str], output: str, repeats: int = 5) -> float:
    """Median CPU of a run that exits right after its first sample [s]."""
    values = sorted(_run([*base, "--interval", "1000", "--duration", "0.001", "--output", output])[0]
                    for _ in range(repeats))
    return values[len(values) // 2]


def _cpu_ns(pid: int) -> int | None:
    """CPU time of a running process [ns] from /proc/PID/schedstat (exact, unlike clock ticks)."""
    try:
        with open(f"/proc/{pid}/schedstat") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="steady-state window (default 60)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        floor_cpu, floor_rss, _ = _run([sys.executable, "-c", "pass"])
        startup = {"python -m probes": _startup_cpu(PROBE, os.path.join(tmp, "s1")),
                   "auditor probe": _startup_cpu(AUDITOR, os.path.join(tmp, "s2"))}
        plan = [(label, base, interval) for label, base in (("python -m probes", PROBE), ("auditor probe", AUDITOR))
                for interval in ("1", DEFAULT_INTERVAL)]
        plan.append(("python -m probes + exporter", PROBE, "1"))
        total = WARMUP_S + args.seconds + STAGGER_S * len(plan) + 1.0
        runs = []
        for i, (label, base, interval) in enumerate(plan):
            command = [*base, "--interval", interval, "--duration", f"{total - i * STAGGER_S:g}",
                       "--output", os.path.join(tmp, str(i))]
            if "exporter" in label:
                command += ["--prometheus", f"127.0.0.1:{_free_port()}"]
            runs.append([label, interval, command, *_start(command)])
            time.sleep(STAGGER_S)
        time.sleep(max(WARMUP_S - STAGGER_S * len(plan), 0.0))
        marks = [(_cpu_ns(r[3].pid), time.monotonic()) for r in runs]
        time.sleep(args.seconds)
        ends = [(_cpu_ns(r[3].pid), time.monotonic()) for r in runs]
        figures = []
        for (label, interval, command, proc, started), (ns0, t0), (ns1, t1) in zip(runs, marks, ends, strict=True):
            cpu, rss, wall = _finish(proc, started, command)
            start_cpu = startup["auditor probe" if label.startswith("auditor") else "python -m probes"]
            if ns0 is not None and ns1 is not None:
                per_min = (ns1 - ns0) / 1e9 / ((t1 - t0) / 60.0)
            else:  # no schedstat: whole-run CPU minus start-up
                per_min = max(cpu - start_cpu, 0.0) / (wall / 60.0)
            figures.append({
                "command": label, "interval_s": float(interval), "seconds": round(wall, 1),
                "cpu_s_per_min": round(per_min, 4), "cpu_s_total": round(cpu, 3),
                "peak_rss_mb": round(rss, 1), "startup_cpu_s": round(start_cpu, 3),
            })
    if args.json:
        print(json.dumps({"python_floor": {"cpu_s": round(floor_cpu, 3), "peak_rss_mb": round(floor_rss, 1)},
                          "runs": figures}, indent=1))
        return 0
    print(f"bare interpreter (python -c pass): {floor_cpu:.3f} CPU-s, peak RSS {floor_rss:.1f} MB")
    print(f"{'command':30} {'interval':>8} {'CPU-s/min':>10} {'peak RSS':>9} {'start-up CPU':>13}")
    for f in figures:
        print(f"{f['command']:30} {f['interval_s']:>7g}s {f['cpu_s_per_min']:>10.4f} "
              f"{f['peak_rss_mb']:>6.1f} MB {f['startup_cpu_s']:>11.3f} s")
    print("targets at 1 s: <= 0.02 CPU-s/min, <= 16 MB peak RSS, <= 0.15 s start-up CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
