"""Benchmark: read 10,000 inventory agents' files of about 270 kB each.

Target (issue 16): 10,000 agent files, about 270 kB each as the FusionInventory agent writes on a
Debian host, read in under 60 s on 2 cores with bounded memory.

Usage::

    python bench/agents_10k.py [--files 10000] [--template FILE] [--assess] [--keep]

The files are generated into a temporary folder from a template: by default the hand-written
laptop fixture (tests/fixtures/agents/laptop-fusioninventory.xml) padded with software and
process entries to the size and shape of a real Debian inventory (``fusioninventory-inventory``
on a Debian 12 host wrote 270,510 bytes: 804 SOFTWARES, 86 PROCESSES, 36 ENVS); ``--template``
takes a real agent file instead. Every file gets its own host name, UUID, serials and date; one
in ten is a second, older inventory of another file's machine (the reader keeps the latest), one
in ten is a GLPI-agent JSON of the same size.

It then runs ``auditor ingest --agent FOLDER -o inventory.csv`` as a fresh process (imports
included) and prints the wall time, files/s and the peak resident memory of the largest process
(the command or one of its workers); ``--assess`` also times ``auditor assess FOLDER``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "fixtures" / "agents" / "laptop-fusioninventory.xml"
SERVER_JSON = ROOT / "tests" / "fixtures" / "agents" / "server-glpi-agent.json"
TARGET_BYTES = 270_000


def _software(k: int) -> str:
    return (f"    <SOFTWARES>\n      <ARCH>amd64</ARCH>\n      <FROM>deb</FROM>\n"
            f"      <INSTALLDATE>12/05/2024</INSTALLDATE>\n      <NAME>lib-package-{k:04d}</NAME>\n"
            f"      <PUBLISHER>Debian Maintainers &lt;pkg-{k}@lists.debian.org&gt;</PUBLISHER>\n"
            f"      <FILESIZE>{1000 + 37 * k}</FILESIZE>\n      <SYSTEM_CATEGORY>libs</SYSTEM_CATEGORY>\n"
            f"      <VERSION>{k % 9}.{k % 13}.{k % 7}-1+deb12u1</VERSION>\n    </SOFTWARES>\n")


def _process(k: int) -> str:
    return (f"    <PROCESSES>\n      <CMD>/usr/sbin/daemon-{k} --foreground --config /etc/d{k}.conf</CMD>\n"
            f"      <CPUUSAGE>0.0</CPUUSAGE>\n      <MEM>0.1</MEM>\n      <PID>{100 + k}</PID>\n"
            f"      <STARTED>2025-11-03 08:01</STARTED>\n      <TTY>?</TTY>\n      <USER>root</USER>\n"
            f"      <VIRTUALMEMORY>{20000 + k}</VIRTUALMEMORY>\n    </PROCESSES>\n")


def padded_template(template: Path) -> str:
    """The template with software/process entries added until it is about 270 kB."""
    text = template.read_text(encoding="utf-8")
    if len(text.encode()) >= TARGET_BYTES * 0.8:
        return text  # a real, full agent file
    extra, k = [], 0
    size = len(text.encode())
    while size < TARGET_BYTES:
        part = _software(k) if k % 10 else _process(k)
        extra.append(part)
        size += len(part)
        k += 1
    return text.replace("    <STORAGES>", "".join(extra) + "    <STORAGES>", 1)


def padded_json() -> dict:
    document = json.loads(SERVER_JSON.read_text(encoding="utf-8"))
    document["content"]["softwares"] = [
        {"name": f"lib-package-{k:04d}", "version": f"{k % 9}.{k % 13}-1", "arch": "amd64",
         "publisher": f"Debian Maintainers <pkg-{k}@lists.debian.org>", "filesize": 1000 + 37 * k,
         "install_date": "2024-05-12", "system_category": "libs", "from": "deb"}
        for k in range(1500)]
    return document


def generate(folder: Path, count: int, template: Path) -> int:
    """Write ``count`` agent files into ``folder``; their total size [bytes]."""
    xml = padded_template(template)
    hardware = re.search(r"<HARDWARE>.*?</HARDWARE>", xml, re.S)
    if hardware is None:
        raise SystemExit(f"{template}: no <HARDWARE> section")
    before, after = xml[: hardware.start()], xml[hardware.end():]
    uuid = re.search(r"<UUID>([^<]*)</UUID>", xml)
    serial = re.search(r"<SSN>([^<]*)</SSN>", xml)
    logdate = re.search(r"<LOGDATE>([^<]*)</LOGDATE>", xml)
    document = padded_json()
    total = 0
    for i in range(count):
        machine = i - 1 if i % 10 == 9 else i  # every tenth: an older inventory of the previous one
        day = 1 if i % 10 == 9 else 3
        if i % 10 == 5:
            document["content"]["hardware"]["name"] = f"srv-{machine:05d}"
            document["content"]["hardware"]["uuid"] = f"uuid-{machine:08d}"
            document["content"]["bios"]["ssn"] = f"SN{machine:08d}"
            document["content"]["accesslog"]["logdate"] = f"2025-11-0{day} 09:00:00"
            data = json.dumps(document, indent=1).encode()
            path = folder / f"srv-{machine:05d}-{i}.json"
        else:
            section = re.sub(r"<NAME>[^<]*</NAME>", f"<NAME>pc-{machine:05d}</NAME>", hardware.group(0),
                             count=1)
            text = before + section + after
            if uuid:
                text = text.replace(uuid.group(0), f"<UUID>uuid-{machine:08d}</UUID>")
            if serial:
                text = text.replace(serial.group(0), f"<SSN>SN{machine:08d}</SSN>")
            if logdate:
                text = text.replace(logdate.group(0), f"<LOGDATE>2025-11-0{day} 09:00:00</LOGDATE>")
            # each machine its own monitors (one monitor seen by two hosts is counted once)
            text = re.sub(r"<SERIAL>([^<]*)</SERIAL>", rf"<SERIAL>\g<1>-{machine:05d}</SERIAL>", text)
            data = text.encode()
            path = folder / f"pc-{machine:05d}-{i}.xml"
        path.write_bytes(data)
        total += len(data)
    return total


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str]) -> tuple[float, float, str]:
    """Wall time, CPU time (the command and its workers) [s] and the first output line."""
    cpu = _children_cpu_s()
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - t
    if run.returncode:
        raise SystemExit(f"auditor {' '.join(args)} failed:\n{run.stderr}")
    return elapsed, _children_cpu_s() - cpu, (run.stdout + run.stderr).strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--template", type=Path, default=TEMPLATE, help="an agent XML file to copy")
    parser.add_argument("--assess", action="store_true", help="also time 'auditor assess FOLDER'")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="auditor-agents-bench-"))
    folder = workdir / "agents"
    folder.mkdir()
    try:
        t = time.perf_counter()
        total = generate(folder, args.files, args.template)
        print(f"generated {args.files:,} files, {total / 1e9:.2f} GB ({total / args.files / 1e3:.0f} kB "
              f"each on average) in {time.perf_counter() - t:.1f} s; cores available: "
              f"{len(os.sched_getaffinity(0))}")
        subprocess.run(["sync"], check=False)
        load = os.getloadavg()[0]
        elapsed, cpu, line = timed(["ingest", "--agent", str(folder), "-o", str(workdir / "inventory.csv")])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"auditor ingest --agent: {elapsed:.1f} s wall, {args.files / elapsed:,.0f} files/s, "
              f"{total / elapsed / 1e6:.0f} MB/s; CPU {cpu:.1f} s ({cpu / args.files * 1e3:.2f} ms per "
              f"file, {cpu / 2:.1f} s on 2 free cores); peak RSS of the largest process {peak_mb:.0f} MB; "
              f"load average before: {load:.1f}")
        print(f"  {line}")
        if args.assess:
            elapsed, cpu, line = timed(["assess", str(folder), "--country", "FR", "-q"])
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"auditor assess FOLDER: {elapsed:.1f} s wall, {args.files / elapsed:,.0f} files/s, "
                  f"CPU {cpu:.1f} s; peak RSS of the largest process so far {peak_mb:.0f} MB")
            print(f"  {line}")
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
