"""The probe as IT departments run it: a real process, killed, stopped, given bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from probes.records import ReadStats, iter_records, summarise

PROBE = [sys.executable, "-m", "probes"]
HEAVY = ("pandas", "numpy", "pint", "plotly", "pyarrow")


def _records(directory: Path) -> list[dict]:
    return list(iter_records([str(directory)]))


def _wait_for_records(directory: Path, n: int, timeout_s: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if directory.exists():
            found = _records(directory)
            if len(found) >= n:
                return found
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} records in {directory} after {timeout_s} s")


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / "samples"
    proc = subprocess.Popen([*PROBE, "run", "--interval", "0.2", "--output", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, out


def test_kill_9_keeps_every_record_written(tmp_path):
    proc, out = _start(tmp_path)
    try:
        seen = _wait_for_records(out, 6)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    stats = ReadStats()
    kept = list(iter_records([str(out)], stats))
    assert len(kept) >= len(seen) >= 6
    assert stats.skipped == 0  # a record is one write: nothing was cut
    assert [r["t"] for r in kept[: len(seen)]] == [r["t"] for r in seen]
    for record in kept:
        assert record["dt"] > 0 and 0.0 <= record["cpu"] <= 100.0
        assert record["src"] == "model" or record["src"] in ("rapl", "hwmon", "battery")
        if record["src"] == "model":
            assert set(record["why"]) == {"hwmon", "battery", "rapl"}
    assert stats.headers and stats.headers[0]["interval"] == 0.2


def test_sigterm_flushes_and_exits_0(tmp_path):
    proc, out = _start(tmp_path)
    _wait_for_records(out, 3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    records = _records(out)
    assert len(records) >= 3
    # the interval cut short by SIGTERM is written too, and every interval follows the last
    ends = [r["t"] for r in records]
    assert ends == sorted(ends)
    assert all(r["dt"] > 0 for r in records)
    assert any("disk_r" in r and "mem" in r for r in records[-1:])  # the last record reads everything


def test_duration_and_fractional_interval(tmp_path):
    out = tmp_path / "s"
    run = subprocess.run([*PROBE, "run", "--interval", "0.25", "--duration", "1.3", "--output", str(out)],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    records = _records(out)
    assert 5 <= len(records) <= 6
    assert sum(r["dt"] for r in records) == pytest.approx(1.3, abs=0.15)
    assert all(r["dt"] <= 0.25 + 0.1 for r in records)


def test_cut_last_line_is_skipped_and_the_rest_kept(tmp_path):
    out = tmp_path / "s"
    subprocess.run([*PROBE, "run", "--interval", "0.1", "--duration", "0.6", "--output", str(out)],
                   check=True, timeout=30)
    files = sorted(out.glob("*.jsonl"))
    assert len(files) == 1
    before = _records(out)
    lines = files[0].read_bytes().splitlines(keepends=True)
    with files[0].open("ab") as handle:  # a record cut by a crash in the middle of a write
        handle.write(lines[-1][: len(lines[-1]) // 2])
    stats = ReadStats()
    after = list(iter_records([str(out)], stats))
    assert after == before and stats.skipped == 1
    summary = summarise([str(out)])
    assert summary["records"] == len(before) and summary["skipped_lines"] == 1


@pytest.mark.parametrize("make_bad", ["under_a_file", "read_only"])
def test_unwritable_output_directory_is_one_line_and_exit_2(tmp_path, make_bad):
    if make_bad == "under_a_file":
        blocker = tmp_path / "not-a-dir"
        blocker.write_text("x")
        target = blocker / "samples"
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
        if os.geteuid() == 0:  # root ignores directory modes; nobody may create files in /proc
            target = Path("/proc/1/auditor-probe-samples")
    run = subprocess.run([*PROBE, "run", "--duration", "0.2", "--output", str(target)],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write probe records to ")


def test_bad_arguments_exit_2(tmp_path):
    for args in (["--interval", "0"], ["--interval", "-1"], ["--duration", "abc"], ["--prometheus", "x:y"]):
        run = subprocess.run([*PROBE, "run", "--output", str(tmp_path), *args],
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 2, args
        assert "error" in run.stderr


def test_probe_imports_neither_pandas_nor_pint_nor_plotly(tmp_path):
    for command in (PROBE, [sys.executable, "-c", "from auditor.entry import main; main()", "probe"]):
        run = subprocess.run(
            [*command, "run", "--interval", "0.1", "--duration", "0.2", "--output", str(tmp_path / "o")],
            capture_output=True, text=True, timeout=30,
            env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
        )
        assert run.returncode == 0, run.stderr
        imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line}
        assert imported, "no import trace"
        assert not {m for m in imported if m.split(".")[0] in HEAVY}, command


def test_auditor_probe_run_delegates_exit_codes(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    run = subprocess.run([sys.executable, "-c", "from auditor.entry import main; main()", "probe", "run",
                          "--output", str(blocker / "d")], capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert run.stderr.strip().startswith("error: cannot write probe records")


def test_summary_json_keys(tmp_path):
    out = tmp_path / "s"
    subprocess.run([*PROBE, "run", "--interval", "0.1", "--duration", "0.5", "--output", str(out)],
                   check=True, timeout=30)
    for command in (PROBE, [sys.executable, "-c", "from auditor.entry import main; main()", "probe"]):
        run = subprocess.run([*command, "summary", str(out), "--format", "json"],
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        summary = json.loads(run.stdout)
        assert {"records", "hosts", "start", "end", "energy_kwh", "sources"} <= set(summary)
        records = _records(out)
        assert summary["records"] == len(records)
        assert summary["hosts"] == 1
        assert sum(summary["sources"].values()) == len(records)
        assert summary["start"] <= summary["end"] and summary["sampled_hours"] > 0
    text = subprocess.run([*PROBE, "summary", str(out)], capture_output=True, text=True, timeout=30)
    assert text.returncode == 0 and "records" in text.stdout and "sources" in text.stdout
    missing = subprocess.run([*PROBE, "summary", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("error:")


def test_facts_row_assesses_as_is_and_appends(tmp_path):
    facts = tmp_path / "facts.csv"
    run = subprocess.run([*PROBE, "facts", "-o", str(facts), "--country", "FR"],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-c", "from auditor.entry import main; main()", "probe", "facts",
                          "-o", str(facts)], capture_output=True, text=True, timeout=30)
    # the same host again would be a duplicate id, which assess refuses: one line, the file kept
    assert run.returncode == 2 and "row 2: this host" in run.stderr and "Traceback" not in run.stderr
    lines = facts.read_text().splitlines()
    assert len(lines) == 2  # one header, one row
    import pandas as pd

    from auditor.inventory import read_inventory
    from tests.conftest import TODAY

    frame = pd.read_csv(facts)
    assert frame["cpu_threads"].iloc[0] == os.cpu_count()
    assert frame["category"].iloc[0] in ("server", "desktop", "laptop")
    one = _first_row(facts)
    table, _ = read_inventory([one], today=TODAY)
    assert len(table) == 1 and table["ram_gb"].iloc[0] > 0 and table["country"].iloc[0] == "FR"
    assessed = subprocess.run(
        [sys.executable, "-c", "from auditor.entry import main; main()", "assess", str(one),
         "--date", "2026-01-15", "-q"], capture_output=True, text=True, timeout=60)
    assert assessed.returncode == 0, assessed.stderr
    assert "Assessed 1 inventory rows" in assessed.stdout


def _first_row(path: Path) -> Path:
    lines = path.read_text().splitlines()
    one = path.with_name("one.csv")
    one.write_text("\n".join(lines[:2]) + "\n")
    return one


def test_systemd_unit_is_valid_and_runs_the_probe(tmp_path):
    import shutil

    unit = (Path(__file__).resolve().parent.parent / "deploy" / "auditor-probe.service").read_text()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert " -m probes run " in exec_start and "--output /var/lib/auditor-probe" in exec_start
    assert "StateDirectory=auditor-probe" in unit and "DynamicUser=yes" in unit
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is not installed in CI")
        pytest.skip("systemd-analyze not installed")
    copy = tmp_path / "auditor-probe.service"
    copy.write_text(unit.replace("/opt/sobriety-auditor/bin/python", sys.executable))
    run = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_sigterm_with_the_exporter_exits_0(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc, out = _start(tmp_path, "--prometheus", str(port))
    _wait_for_records(out, 2)
    import urllib.request

    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'auditor_probe_cpu_seconds_total{mode="busy"}' in body
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


def test_auditor_probe_run_imports_neither_click_nor_pandas(tmp_path):
    code = (
        "import sys; sys.argv = ['auditor', 'probe', 'run', '--interval', '0.1', '--duration', '0.3',"
        f" '--output', {str(tmp_path)!r}]\n"
        "from auditor.entry import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "heavy = sorted(m for m in ('click', 'pandas', 'pint', 'plotly', 'numpy') if m in sys.modules)\n"
        "print(','.join(heavy) or 'none')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "none"
    assert any(tmp_path.iterdir())
