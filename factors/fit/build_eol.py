"""Build the packaged end-of-support snapshot from ``../shared/data/eol``.

Writes, in ``factors/data/``:

* ``eol-cycles.csv``: one row per release cycle of the operating systems and network OSes the
  obsolescence score looks up (Windows, Windows Server, Linux distributions, Proxmox VE, ESXi,
  macOS, iOS, iPadOS, Android, Cisco IOS XE, FortiOS, PAN-OS, RouterOS...), taken from the
  endoflife.date flattening ``eol-cycles.csv`` (MIT licence, endoflife.date contributors);
* ``eol-win11-cpus.csv``: Microsoft's Windows 11 supported-processor lists as transcribed by the
  WhyNotWin11 project (``SupportedProcessors{Intel,AMD,Qualcomm}.txt``, LGPL-3.0), one row per
  processor, names unchanged;
* ``LICENSE-MIT-endoflife-date.txt``, ``LICENSE-LGPL-3.0-win11-cpus.txt`` (copied verbatim) and
  ``LICENSE-GPL-3.0.txt`` (the GPL that the LGPL builds on; copied from
  ``/usr/share/common-licenses/GPL-3`` when that file exists, else the packaged copy is kept).

Every row carries a short source and its licence; the full credits, URLs and what was changed
are in ``factors/data/eol.md`` (keep them in step with :data:`ENDOFLIFE_SOURCE` and
:data:`WIN11_SOURCE`).

Usage::

    python -m factors.fit.build_eol [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

import pandas as pd

from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT

OUT_DIR = REPO_ROOT / "factors" / "data"

#: endoflife.date products kept: operating systems of the device categories the auditor knows.
PRODUCTS: tuple[str, ...] = (
    "windows", "windows-server", "windows-embedded", "ubuntu", "debian", "rhel", "sles",
    "almalinux", "rocky-linux", "centos", "centos-stream", "fedora", "opensuse", "linuxmint",
    "alpine-linux", "freebsd", "proxmox-ve", "vmware-esxi", "macos", "ios", "ipados", "android",
    "cisco-ios-xe", "fortios", "pan-os", "routeros",
)
ENDOFLIFE_COMMIT = "a70eca337600e7d721dc48112c271f98661d208b"
ENDOFLIFE_SOURCE = (
    "endoflife.date, product release cycles (products/<product>.md front matter), commit "
    f"{ENDOFLIFE_COMMIT[:12]} (snapshot 2026-08-22), flattened in shared/data/eol/eol-cycles.csv"
)
ENDOFLIFE_URL = f"https://github.com/endoflife-date/endoflife.date/tree/{ENDOFLIFE_COMMIT}/products"
WIN11_COMMIT = "35f8630e4880cc83597bde797d87aa3a23c7597e"
WIN11_SOURCE = (
    "Microsoft, 'Windows 11 supported Intel / AMD / Qualcomm processors' (learn.microsoft.com), "
    "as transcribed by the WhyNotWin11 project (rcmaehl/WhyNotWin11, includes/SupportedProcessors"
    f"*.txt, commit {WIN11_COMMIT[:12]})"
)
WIN11_URL = f"https://github.com/rcmaehl/WhyNotWin11/tree/{WIN11_COMMIT}/includes"
#: Short per-row credits; the full citations are in ``factors/data/eol.md``.
ENDOFLIFE_ROW_SOURCE = f"endoflife.date {ENDOFLIFE_COMMIT[:7]}"
WIN11_ROW_SOURCE = f"Microsoft via WhyNotWin11 {WIN11_COMMIT[:7]}"
CYCLE_COLUMNS = ["product", "cycle", "label", "codename", "release_date", "eol", "eoes", "lts",
                 "latest", "link", "source", "licence"]
CPU_COLUMNS = ["vendor", "name", "list_version", "source", "licence"]
MIT_TEXT = """MIT License

Copyright 2020 endoflife.date contributors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def build_cycles(eol_dir: Path) -> list[dict[str, str]]:
    """Rows of ``eol-cycles.csv`` for :data:`PRODUCTS`, in the source order."""
    frame = pd.read_csv(eol_dir / "eol-cycles.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["product"].isin(PRODUCTS)]
    missing = sorted(set(PRODUCTS) - set(frame["product"]))
    if missing:
        raise SystemExit(f"products missing from eol-cycles.csv: {', '.join(missing)}")
    rows = []
    for record in frame.to_dict("records"):
        rows.append({
            "product": record["product"],
            "cycle": record["releaseCycle"],
            "label": record["releaseLabel"],
            "codename": record["codename"],
            "release_date": record["releaseDate"],
            "eol": record["eol"],
            "eoes": record["eoes"],
            "lts": record["lts"],
            "latest": record["latest"],
            "link": record["link"],
            "source": ENDOFLIFE_ROW_SOURCE,
            "licence": "MIT",
        })
    return rows


def build_cpus(eol_dir: Path) -> list[dict[str, str]]:
    """Rows of ``eol-win11-cpus.csv``: one per processor of the three vendor lists."""
    rows = []
    for vendor in ("Intel", "AMD", "Qualcomm"):
        lines = (eol_dir / "win11-cpus" / f"SupportedProcessors{vendor}.txt").read_text(
            encoding="utf-8-sig").splitlines()
        version, names = lines[0].strip(), [line.strip() for line in lines[1:] if line.strip()]
        for name in names:
            rows.append({
                "vendor": vendor, "name": name, "list_version": version,
                "source": WIN11_ROW_SOURCE, "licence": "LGPL-3.0",
            })
    return rows


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    eol_dir = args.data_dir / "eol"
    if not eol_dir.is_dir():
        print(f"no {eol_dir}", file=sys.stderr)
        return 2
    cycles = build_cycles(eol_dir)
    cpus = build_cpus(eol_dir)
    write_csv(OUT_DIR / "eol-cycles.csv", CYCLE_COLUMNS, cycles)
    write_csv(OUT_DIR / "eol-win11-cpus.csv", CPU_COLUMNS, cpus)
    (OUT_DIR / "LICENSE-MIT-endoflife-date.txt").write_text(MIT_TEXT, encoding="utf-8")
    shutil.copyfile(eol_dir / "win11-cpus" / "LICENSE-LGPL-3.0.txt", OUT_DIR / "LICENSE-LGPL-3.0-win11-cpus.txt")
    gpl = Path("/usr/share/common-licenses/GPL-3")
    if gpl.exists():
        shutil.copyfile(gpl, OUT_DIR / "LICENSE-GPL-3.0.txt")
    print(f"eol-cycles.csv: {len(cycles)} cycles of {len(PRODUCTS)} products; "
          f"eol-win11-cpus.csv: {len(cpus)} processors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
