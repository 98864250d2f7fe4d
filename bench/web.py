"""Benchmark: web measurements (issue 12 targets).

- one page measured live in the system's Chromium, EcoIndex protocol (3 s after load, scroll,
  3 s): target <= 10 s, browser start included;
- a HAR file of 1,000 entries read and turned into a measured page: target < 0.5 s;
- 10,000 ``web_service`` inventory rows (on 20 servers, shares by ``hosted_on``) assessed with
  scores: target < 1 s.

Usage::

    python bench/web.py [--settle 3] [--page URL]

Prints one line per figure. The machine may be shared: read the figures as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = """<!DOCTYPE html><html><head><title>Mairie</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css"></head><body><h1>Mairie</h1>{items}</body></html>"""


def bench_live(settle: float, url: str | None) -> None:
    from auditor.web.pages import page_result
    from probes.web import measure_pages

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "index.html").write_text(PAGE.format(items="".join(f"<p>item {i}</p>" for i in range(300))))
        Path(folder, "style.css").write_text("p{margin:0}" * 200)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=folder))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        target = url or f"http://127.0.0.1:{server.server_address[1]}/index.html"
        start = time.perf_counter()
        (record,) = measure_pages([[{"url": target}]], settle_s=settle)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        records = measure_pages([[{"url": target}]] * 3, settle_s=settle)
        three = time.perf_counter() - start
        server.shutdown()
    page = page_result(record)
    print(f"one page measured live (settle {settle:g} s x 2, browser start included): {elapsed:.2f} s "
          f"[target <= 10 s]  {target}: DOM {page['dom_elements']}, {page['requests']} requests, "
          f"{page['transfer_kb']:.1f} kB, EcoIndex {page['ecoindex_score']} ({page['ecoindex_grade']})")
    print(f"three pages in one run: {three:.2f} s, i.e. {(three - elapsed) / 2:.2f} s per page after the first "
          f"(measured seconds per page: {', '.join(str(r['seconds']) for r in records)})")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def bench_har() -> None:
    from auditor.web.pages import page_result
    from probes.web import read_har

    entry = {"request": {"method": "GET", "url": "https://www.ville.example/a.js", "headers": []},
             "response": {"status": 200, "headers": [{"name": "Cache-Control", "value": "max-age=60"},
                                                     {"name": "Content-Encoding", "value": "gzip"}],
                          "content": {"size": 5000, "mimeType": "application/javascript"}, "_transferSize": 2000}}
    entries = [json.loads(json.dumps(entry)) for _ in range(1000)]
    for i, e in enumerate(entries):
        e["request"]["url"] = f"https://cdn{i % 7}.example{i % 3}.net/r{i}.js"
    entries[0]["response"]["content"] = {"size": 100, "mimeType": "text/html",
                                         "text": "<html><body>" + "<p>x</p>" * 500 + "</body></html>"}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "big.har")
        path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
        start = time.perf_counter()
        (record,) = read_har(path)
        page = page_result(record)
        elapsed = time.perf_counter() - start
    print(f"HAR of 1,000 entries read and scored: {elapsed:.3f} s [target < 0.5 s]  "
          f"({page['requests']} requests, {len(page['third_party_domains'])} third-party domains)")


def bench_inventory(rows: int = 10_000) -> None:
    from datetime import date

    from auditor.api import assess_table
    from auditor.inventory import table_from_records
    from factors.tables import default_library

    library = default_library()
    library.validate_all()
    today = date(2026, 1, 15)
    records = [{"id": f"srv-{k}", "category": "server", "quantity": 1} for k in range(20)]
    records += [{"id": f"web-{i}", "category": "web_service", "monthly_visits": 1000 + i,
                 "dom_elements": 100 + i % 3000, "requests": 5 + i % 200, "transfer_kb": 50.0 + i % 5000,
                 "hosted_on": f"srv-{i % 20}" + (":0.001" if i % 3 == 0 else "")} for i in range(rows)]
    table = table_from_records(records, country="FR", today=today, library=library, name="bench")
    from auditor.web.footprint import assess_with_web

    servers = assess_table(table.iloc[:20].reset_index(drop=True), library=library)  # also warms caches
    start = time.perf_counter()
    assess_with_web(table, lambda _: servers)
    web_part = time.perf_counter() - start
    start = time.perf_counter()
    results = assess_table(table, library=library)
    elapsed = time.perf_counter() - start
    web = results[results["category"].astype(object) == "web_service"]
    print(f"{rows:,} web_service rows on 20 servers: web part (footprint, hosting shares, scores, merge) "
          f"{web_part:.3f} s [target < 1 s]; whole assessment incl. the 20 servers through the hardware "
          f"engine {elapsed:.3f} s  (mean EcoIndex {web['web_ecoindex_score'].mean():.1f}, "
          f"{web['gwp_total_kgco2e_per_year'].sum() / 1000:,.1f} tCO2e/year of visits)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after load and after scrolling")
    parser.add_argument("--page", help="measure this URL instead of the local test page")
    args = parser.parse_args()
    bench_har()
    bench_inventory()
    bench_live(args.settle, args.page)


if __name__ == "__main__":
    main()
