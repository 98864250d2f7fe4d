"""Benchmark: read, assess and write a synthetic 1,000,000-row inventory of every category.

Targets (issue 13, on 2 cores): end to end (read CSV, assess and score, write Parquet) <= 5 s and
<= 2.5 GB peak memory (issue 2's earlier targets: <= 10 s end to end, <= 3 GB).

Usage::

    python bench/assess_1m.py [--rows 1000000] [--keep]

Prints each phase's wall time, its CPU time (all threads of the process; a fairer figure when
other jobs share the machine) and the process's peak resident memory after it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.api import assess_table  # noqa: E402
from auditor.footprint import AssessOptions  # noqa: E402
from auditor.inventory import read_inventory  # noqa: E402
from auditor.writers import write_results  # noqa: E402
from factors.tables import CATEGORIES, default_library  # noqa: E402

# French and English spellings, as in real exports, so the alias mapping is exercised too.
_WORDS = {
    "server": ["Serveur", "server"], "desktop": ["Poste fixe", "Unité centrale"],
    "laptop": ["Portable", "laptop"], "thin_client": ["Client léger"], "tablet": ["Tablette"],
    "smartphone": ["Smartphone", "Téléphone mobile"], "monitor": ["Écran", "Moniteur"],
    "printer": ["Imprimante"], "mfp": ["Copieur", "Multifonction"], "network_switch": ["Switch"],
    "router": ["Routeur"], "wifi_ap": ["Borne Wi-Fi"], "firewall": ["Pare-feu"], "storage": ["NAS"],
    "ip_phone": ["Téléphone IP"], "projector": ["Vidéoprojecteur"], "tv": ["Téléviseur"],
    "ups": ["Onduleur"],
}
# Free French text in which the category is found as words (read with a warning per row).
_PHRASES = {
    "desktop": ["Poste fixe HP EliteDesk 800 G6", "Unité centrale Dell OptiPlex de l'accueil"],
    "laptop": ["PC portable Dell Latitude 5420", "Ordinateur portable Lenovo ThinkPad T14"],
    "monitor": ["Écran 24 pouces iiyama", "Moniteur Dell P2422H salle du conseil"],
}
_MIX = {
    "desktop": 0.25, "laptop": 0.15, "monitor": 0.3, "smartphone": 0.06, "tablet": 0.06,
    "thin_client": 0.02, "printer": 0.03, "mfp": 0.015, "network_switch": 0.02, "wifi_ap": 0.02,
    "ip_phone": 0.03, "projector": 0.01, "tv": 0.005, "server": 0.01, "storage": 0.002,
    "router": 0.002, "firewall": 0.001, "ups": 0.005,
}


def synthetic_inventory(rows: int, seed: int = 42) -> pd.DataFrame:
    """A synthetic inventory with the columns and cell styles of a French GLPI-like export.

    Categories as French words and as phrases containing them, RAM in GB, in MB with and without
    a unit, day-first purchase dates and month-first warranty ends.
    """
    rng = np.random.default_rng(seed)
    cats = np.array(list(_MIX))
    p = np.array(list(_MIX.values()))
    category = rng.choice(cats, size=rows, p=p / p.sum())
    words = np.empty(rows, dtype=object)
    for c in CATEGORIES:
        mask = category == c
        words[mask] = rng.choice(_WORDS[c] + _PHRASES.get(c, []), size=int(mask.sum()))
    is_server = category == "server"
    is_screen = np.isin(category, ["monitor", "tv", "laptop"])
    ram = rng.choice(["8 Go", "16 Go", "32 Go", "8", "16", "16384 Mo", "8192"], size=rows)  # 8192: MB
    screen = rng.choice(['24"', "27 pouces", "21,5", "23.8"], size=rows)
    days = rng.integers(1, 28, size=rows)
    months = rng.integers(1, 13, size=rows)
    years = rng.integers(2012, 2026, size=rows)
    frame = pd.DataFrame({
        "Nom": [f"ASSET-{i:07d}" for i in range(rows)],
        "Type": words,
        "Fabricant": rng.choice(["Dell", "HP", "Lenovo", "Apple", "Samsung"], size=rows),
        "Service": rng.choice(["DSI", "Éducation", "Culture", "Finances"], size=rows),
        "Lieu": rng.choice(["Hôtel de ville", "École A", "Médiathèque"], size=rows),
        "Date d'achat": [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(days, months, years, strict=True)],
        "Quantité": rng.choice([1, 1, 1, 1, 2, 5], size=rows),
        "Mémoire": np.where(np.isin(category, ["desktop", "laptop", "server"]), ram, ""),
        "Taille d'écran": np.where(is_screen, screen, ""),
        "Nombre de processeurs": np.where(is_server, "2", ""),
        "Charge moyenne (%)": np.where(is_server, rng.integers(5, 60, size=rows).astype(str), ""),
        "Heures par jour": np.where(is_server, "24", ""),
        "Puissance (W)": np.where(rng.random(rows) < 0.02, "120", ""),
        "Pays": rng.choice(["France", "FR", "", "", ""], size=rows),
        # month-first (US) dates: some are impossible day-first, so the column is read month-first
        "Fin de garantie": [f"{m:02d}/{d:02d}/{y + 5}" for d, m, y in zip(days, months, years, strict=True)],
    })
    return frame


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far [MB].

    Linux's VmHWM (reset at exec, unlike ru_maxrss which a child inherits from its parent at fork).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _progress(text: str, done: int | None = None, total: int | None = None) -> None:
    counts = f" {done}/{total}" if total else ""
    print(f"    progress: {text}{counts}", flush=True)


def run_pipeline(csv_path: Path) -> None:
    """The timed part, run in a fresh process so its peak memory is its own."""
    library = default_library()
    library.validate_all()
    print(f"  imports and factor tables loaded: peak RSS {peak_rss_mb():,.0f} MB")
    rows = sum(1 for _ in csv_path.open("rb")) - 1
    today = date(2026, 1, 15)
    phases, cpu = {}, {}
    t, c = time.perf_counter(), time.process_time()
    table, warnings = read_inventory([csv_path], country="FR", today=today, library=library,
                                     progress=_progress)
    phases["read"], cpu["read"] = time.perf_counter() - t, time.process_time() - c
    print(f"  read CSV:      {phases['read']:6.2f} s (CPU {cpu['read']:5.2f} s)   peak RSS {peak_rss_mb():,.0f} MB"
          f"   ({len(warnings)} warnings)")

    t, c = time.perf_counter(), time.process_time()
    results = assess_table(table, library=library, options=AssessOptions(today=today))
    phases["assess"], cpu["assess"] = time.perf_counter() - t, time.process_time() - c
    print(f"  assess:        {phases['assess']:6.2f} s (CPU {cpu['assess']:5.2f} s)   peak RSS {peak_rss_mb():,.0f} MB")

    out = csv_path.with_name("results.parquet")
    t, c = time.perf_counter(), time.process_time()
    write_results(results, out)
    phases["write"], cpu["write"] = time.perf_counter() - t, time.process_time() - c
    print(f"  write Parquet: {phases['write']:6.2f} s (CPU {cpu['write']:5.2f} s)   peak RSS {peak_rss_mb():,.0f} MB"
          f"   ({out.stat().st_size / 1e6:.0f} MB)")

    total = sum(phases.values())
    print(f"end to end {total:.2f} s, CPU {sum(cpu.values()):.2f} s (target <= 5 s) | assessment "
          f"{phases['assess']:.2f} s, {rows / phases['assess']:,.0f} rows/s | peak RSS "
          f"{peak_rss_mb():,.0f} MB (target <= 2,500 MB)")
    print(f"  GHG total: {results['gwp_total_kgco2e_per_year'].sum() / 1000:,.0f} tCO2e/yr over "
          f"{results['quantity'].sum():,.0f} devices")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_pipeline(args.run)
        return

    workdir = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    csv_path = workdir / "inventory.csv"
    t0 = time.perf_counter()
    synthetic_inventory(args.rows).to_csv(csv_path, sep=";", index=False, encoding="utf-8")
    size_mb = csv_path.stat().st_size / 1e6
    print(f"generated {args.rows:,} rows, {size_mb:.0f} MB semicolon CSV in "
          f"{time.perf_counter() - t0:.1f} s (not timed); {os.cpu_count()} CPUs")
    try:
        # the child runs as `auditor assess` does: numpy and pyarrow's allocator told not to ask
        # for huge pages (auditor.entry.prefer_small_pages), unless the caller's environment says
        # otherwise
        from auditor.entry import SMALL_PAGES

        env = {**SMALL_PAGES, **os.environ}
        subprocess.run([sys.executable, __file__, "--run", str(csv_path)], check=True, env=env)
    finally:
        if not args.keep:
            shutil.rmtree(workdir)
        else:
            print(f"files kept in {workdir}")


if __name__ == "__main__":
    main()
