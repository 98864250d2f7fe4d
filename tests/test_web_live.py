"""Pages measured live in the system's Chromium (Playwright), from a local site of known composition.

The site is served on 127.0.0.1 by ``http.server`` in a thread. Chromium maps the host names
``www.ville.test`` (the site), ``cdn.tiers.test`` (a third party) and
``logs1.xiti.com`` (a known tracker) to it with ``--host-resolver-rules``, so
third-party and tracker requests stay on this machine. Every element and request of the pages is
listed below, so the expected counts are known exactly. Skipped when Chromium or Playwright is
absent, except in CI (env ``CI`` set), where it fails.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from auditor.cli import main
from auditor.web.pages import page_result

SETTLE_S = 0.3
# a 40x40 PNG (hand-made, 1-bit palette), shown at 10x10 below: more than twice too large
PNG_40 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAACgAAAAoAQMAAAC2MCouAAAAA1BMVEX/AAAZ4gk3AAAADElEQVR42mNgGMEAAADIAAF6b0xvAAAAAElFTkSuQmCC")
PNG_1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
CSS = ("/* " + "x" * 2000 + " */\nbody { margin: 0 }\n").encode()  # > 1400 bytes, sent uncompressed

# index.html elements: html head title link(icon) link(css) body h1 ul li li li img img script svg = 15
# (the svg's g, circle and rect are not counted). Requests: index.html, style.css, photo.png,
# cdn.tiers.test/logo.png, cdn.tiers.test/lib.js = 5 (the data: icon is not a request).
INDEX = """<!DOCTYPE html><html><head><title>Mairie</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/style.css"></head><body><h1>Mairie</h1>
<ul><li>a</li><li>b</li><li>c</li></ul>
<img src="/photo.png" width="10" height="10" alt="">
<img src="http://cdn.tiers.test:{port}/logo.png" width="1" height="1" alt="">
<script src="http://cdn.tiers.test:{port}/lib.js"></script>
<svg width="10" height="10"><g><circle r="1"></circle><rect width="1" height="1"></rect></g></svg>
</body></html>"""
# tracker.html: html head title link(icon) body p video script = 8; requests: page + analytics.js
TRACKER = """<!DOCTYPE html><html><head><title>Stats</title><link rel="icon" href="data:,"></head>
<body><p>hello</p><video autoplay muted width="10" height="10"></video>
<script src="http://logs1.xiti.com:{port}/analytics.js"></script></body></html>"""
# start.html: html head title link body a = 6; next.html loads the tracker after the click
START = """<!DOCTYPE html><html><head><title>Start</title><link rel="icon" href="data:,"></head>
<body><a id="next" href="/next.html">next</a></body></html>"""
NEXT = """<!DOCTYPE html><html><head><title>Next</title><link rel="icon" href="data:,"></head>
<body><p>step 2</p><script src="http://logs1.xiti.com:{port}/analytics.js"></script></body></html>"""


def _routes(port: int) -> dict[str, tuple[bytes, str, dict[str, str]]]:
    cache = {"Cache-Control": "max-age=3600"}
    return {
        "/index.html": (INDEX.format(port=port).encode(), "text/html; charset=utf-8", {}),
        "/style.css": (CSS, "text/css", cache),
        "/photo.png": (PNG_40, "image/png", {}),  # no cache header at all: RGESN 6.2 fails
        "/logo.png": (PNG_1, "image/png", cache),
        "/lib.js": (b"var loaded = 1;\n", "application/javascript", cache),
        "/tracker.html": (TRACKER.format(port=port).encode(), "text/html; charset=utf-8", {}),
        "/analytics.js": (b"var ga = 1;\n", "application/javascript", cache),
        "/start.html": (START.encode(), "text/html; charset=utf-8", {}),
        "/next.html": (NEXT.format(port=port).encode(), "text/html; charset=utf-8", {}),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        body, mime, headers = route
        self.send_response(200)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def browser_or_skip() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is missing in CI (pip install -e '.[test]')")
        pytest.skip("playwright is not installed")
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("chromium is missing in CI (.ci/run installs it with apt)")
    pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler))
    port = server.server_address[1]
    _Handler.routes = _routes(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def measured(site):
    from probes.web import measure_pages

    browser = browser_or_skip()
    base = f"http://www.ville.test:{site}"
    with socket.socket() as s:  # a port nobody listens on once closed: connection refused
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    journeys = [[{"url": f"{base}/index.html"}], [{"url": f"{base}/tracker.html"}],
                [{"url": f"{base}/missing.html"}], [{"url": f"http://www.ville.test:{closed}/"}],
                [{"url": f"{base}/start.html"}, {"click": "a#next"}]]
    records = measure_pages(journeys, browser=browser, settle_s=SETTLE_S,
                            extra_args=("--host-resolver-rules=MAP *.test 127.0.0.1, "
                                        "MAP logs1.xiti.com 127.0.0.1",))
    return [page_result(r) for r in records], records


def test_page_of_known_composition(measured):
    pages, records = measured
    page = pages[0]
    assert page["error"] is None and page["dom_elements"] == 15 and page["requests"] == 5
    body_bytes = len(INDEX) + len(CSS) + len(PNG_40) + len(PNG_1) + len(b"var loaded = 1;\n")
    # bytes on the wire: every body plus its response headers
    assert body_bytes / 1000 < page["transfer_kb"] < (body_bytes + 5 * 400) / 1000
    assert page["third_party_domains"][0]["domain"] == "tiers.test"
    assert page["third_party_domains"][0]["requests"] == 2
    expected = pytest.importorskip("auditor.web.ecoindex").ecoindex(15, 5, page["transfer_kb"])
    assert page["ecoindex_score"] == expected["ecoindex_score"]
    checks = {c["id"]: c for c in page["checks"]}
    assert checks["6.2"]["passed"] is False and "photo.png" in checks["6.2"]["evidence"]
    assert checks["6.3"]["passed"] is False and "style.css" in checks["6.3"]["evidence"]
    assert checks["6.4"]["passed"] is False and "photo.png" in checks["6.4"]["evidence"]
    assert checks["6.7"]["passed"] is False and "tiers.test" in checks["6.7"]["evidence"]
    assert checks["4.4"]["passed"] is True and checks["4.1"]["passed"] is True
    assert records[0]["images"][0]["natural_w"] == 40


def test_tracker_and_autoplay_before_interaction(measured):
    page = measured[0][1]
    assert page["dom_elements"] == 8 and page["requests"] == 2
    checks = {c["id"]: c for c in page["checks"]}
    assert checks["4.4"]["passed"] is False and "Piano" in checks["4.4"]["evidence"]
    assert checks["4.1"]["passed"] is False


def test_failed_pages_are_reported_and_others_measured(measured):
    pages = measured[0]
    assert pages[2]["error"] == "HTTP 404"
    assert "ERR_CONNECTION_REFUSED" in pages[3]["error"] and pages[3]["ecoindex_score"] is None
    assert pages[4]["error"] is None  # measured after the failures


def test_journey_click_is_an_interaction(measured):
    start, after = measured[0][4], measured[0][5]
    assert start["dom_elements"] == 6 and start["requests"] == 1
    # next.html: html head title link body p script = 7; requests: next.html + analytics.js
    assert after["dom_elements"] == 7 and after["requests"] == 2
    assert {c["id"]: c["passed"] for c in after["checks"]}["4.4"] is True  # tracker only after the click


def test_cli_measures_a_file_url_and_exits_1_when_a_page_fails(site, tmp_path, capsys):
    browser_or_skip()
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title><link rel='icon' href='data:,'></head>"
                    "<body><p>a</p><p>b</p></body></html>")
    out = tmp_path / "pages.csv"
    code = main(["web", "measure", page.as_uri(), f"http://127.0.0.1:{site}/missing.html", "--settle", "0.2",
                 "-o", str(out), "-q"])
    assert code == 1
    captured = capsys.readouterr()
    assert "1 of 2 pages failed to load" in captured.err
    table = pd.read_csv(out)
    # html head title link body p p = 7 elements; one request, the file itself, counted at its size
    assert table.loc[0, "dom_elements"] == 7 and table.loc[0, "requests"] == 1
    assert table.loc[0, "transfer_kb"] == page.stat().st_size / 1000
    assert table.loc[1, "error"] == "HTTP 404"


def test_inventory_measure_writes_a_new_file(site, tmp_path, capsys):
    browser_or_skip()
    inventory = tmp_path / "inv.csv"
    text = ("id;category;url;monthly_visits;requests\n"
            f"w1;site web;http://127.0.0.1:{site}/start.html;1000;\n"
            "w2;web_service;;500;\n"
            "pc;laptop;;;\n")
    inventory.write_text(text, encoding="utf-8")
    out = tmp_path / "measured.csv"
    code = main(["web", "measure", "--inventory", str(inventory), "-o", str(out), "--country", "FR",
                 "--settle", "0.2", "-q"])
    assert code == 0, capsys.readouterr().err
    assert inventory.read_text(encoding="utf-8") == text  # input untouched
    table = pd.read_csv(out, sep=";", dtype=str)
    assert list(table.columns) == ["id", "category", "url", "monthly_visits", "requests", "dom_elements",
                                   "transfer_kb"]
    assert table.loc[0, "dom_elements"] == "6" and table.loc[0, "requests"] == "1"
    assert table.loc[0, "category"] == "site web" and pd.isna(table.loc[1, "dom_elements"])
    assert main(["web", "measure", "--inventory", str(inventory), "-o", str(inventory), "-q"]) == 2


def test_dashboard_long_lists_load_on_demand_in_chromium(tmp_path):
    """The factor table and references sit in templates (small DOM) and appear when opened or
    linked to: the CSP must let the page's script run, and no console error may occur."""
    from playwright.sync_api import sync_playwright

    from probes.web import LAUNCH_ARGS
    from tests.conftest import EXAMPLES, TODAY

    browser = browser_or_skip()
    out = tmp_path / "dashboard.html"
    assert main(["report", str(EXAMPLES / "small-inventory.csv"), "--country", "FR", "-o", str(out),
                 "--date", TODAY.isoformat(), "-q"]) == 0
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser, args=list(LAUNCH_ARGS))
        try:
            page = chromium.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(out.as_uri())
            rows = "document.querySelectorAll('details.lazy tbody tr').length"
            refs = "document.querySelectorAll('ol.refs li').length"
            # the factor table: the lazy block whose rows go into its tbody (charts' data blocks too are lazy)
            factors = page.query_selector("details.lazy:has(> template[data-into='tbody'])")
            in_templates = factors.evaluate("d => d.querySelector('template').content.childElementCount")
            assert page.evaluate(rows) == 0 and page.evaluate(refs) == 0 and in_templates > 0
            factors.query_selector("summary").click()
            page.wait_for_function(f"{rows} > 0")
            assert factors.evaluate("d => d.querySelectorAll('tbody tr').length") == in_templates
            page.click("a[href^='#ref-']")  # a reference number in the factor table
            page.wait_for_function(f"{refs} > 0")
            assert page.url.endswith("#ref-1") and page.evaluate("document.getElementById('ref-1') !== null")
            assert errors == []
        finally:
            chromium.close()


def test_our_own_dashboard_grades_c_or_better(tmp_path):
    """Eat our own cooking (docs/reports.md): the example town's dashboard, measured with our tool,
    keeps an EcoIndex of C or better (it was D with every table in the DOM)."""
    from probes.web import measure_pages
    from tests.conftest import EXAMPLES, TODAY

    browser = browser_or_skip()
    out = tmp_path / "town.html"
    assert main(["report", str(EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"), "--country", "FR",
                 "-o", str(out), "--date", TODAY.isoformat(), "-q"]) == 0
    (record,) = measure_pages([[{"url": out.as_uri()}]], browser=browser, settle_s=SETTLE_S)
    page = page_result(record)
    assert page["requests"] == 1 and page["transfer_kb"] == out.stat().st_size / 1000
    assert page["ecoindex_grade"] in ("A", "B", "C"), page
