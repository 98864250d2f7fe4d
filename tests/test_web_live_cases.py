"""Pages a new user meets, measured live in the system's Chromium from a local server whose every
byte is known: a redirect, a page that is not HTML, a favicon, the same page twice in one run.

The server writes its responses byte for byte (no Date or Server header), so the bytes on the
wire are known exactly. Skipped when Chromium or Playwright is absent, except in CI.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from auditor.cli import main
from auditor.web.pages import page_result
from tests.test_web_live import PNG_1, browser_or_skip

SETTLE_S = 0.2
SLOW_S = 4.0  # a page that answers after 4 s


def raw(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"HTTP/1.0 {status}\r\n{head}\r\n".encode() + body


# html head title body p = 5 elements; no icon link: Chromium asks for /favicon.ico by itself
PLAIN = b"<!DOCTYPE html><html><head><title>p</title></head><body><p>x</p></body></html>"
# html head title link body p = 6; a declared icon, fetched by the browser, not by the page
ICON = b"<!DOCTYPE html><html><head><title>i</title><link rel='icon' href='/icon.png'></head><body><p>x</p></body></html>"
# html head title body x-card svg script = 7 (the svg's g and rect excluded) + the x-card's open
# shadow root: div p span = 10, as the reference scraper's Playwright locator("*") counts them
SHADOW = (b"<!DOCTYPE html><html><head><title>s</title></head><body><x-card></x-card>"
          b"<svg><g><rect/></g></svg><script>customElements.define('x-card', class extends HTMLElement {"
          b" constructor() { super(); this.attachShadow({mode: 'open'}).innerHTML ="
          b" '<div><p>a</p><span>b</span></div>'; } });</script></body></html>")
RESPONSES = {
    "/shadow.html": raw("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(SHADOW))}, SHADOW),
    "/plain.html": raw("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(PLAIN))}, PLAIN),
    "/icon.html": raw("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(ICON))}, ICON),
    "/icon.png": raw("200 OK", {"Content-Type": "image/png", "Content-Length": str(len(PNG_1))}, PNG_1),
    "/favicon.ico": raw("200 OK", {"Content-Type": "image/png", "Content-Length": str(len(PNG_1))}, PNG_1),
    "/old": raw("301 Moved Permanently", {"Location": "/plain.html", "Content-Length": "0"}),
    "/image.png": raw("200 OK", {"Content-Type": "image/png", "Content-Length": str(len(PNG_1))}, PNG_1),
    "/report.pdf": raw("200 OK", {"Content-Type": "application/pdf", "Content-Length": "8"}, b"%PDF-1.4"),
}


class _Raw(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        self.close_connection = True
        _Raw.hits[self.path] = _Raw.hits.get(self.path, 0) + 1
        if self.path == "/slow.html":
            time.sleep(SLOW_S)
            self.path = "/plain.html"
        self.wfile.write(RESPONSES.get(self.path, raw("404 Not Found", {"Content-Length": "0"})))

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Raw)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def measured(base):
    from probes.web import measure_pages

    browser = browser_or_skip()
    urls = ["/plain.html", "/icon.html", "/plain.html", "/icon.html", "/old", "/image.png", "/report.pdf"]
    records = measure_pages([[{"url": base + u}] for u in urls], browser=browser, settle_s=SETTLE_S)
    return [page_result(r) for r in records]


def test_the_same_page_gives_the_same_figures_whatever_was_measured_before(measured):
    """Chromium fetches a site's favicon once per browser, for the first page only; as in the
    EcoIndex reference (Playwright's HAR), the browser's own favicon fetches are not the page's."""
    plain, icon, plain_again, icon_again = measured[:4]
    for first, again in ((plain, plain_again), (icon, icon_again)):
        assert (first["requests"], first["transfer_kb"]) == (again["requests"], again["transfer_kb"])
    assert plain["requests"] == 1 and plain["transfer_kb"] == len(RESPONSES["/plain.html"]) / 1000
    assert icon["requests"] == 1 and icon["transfer_kb"] == len(RESPONSES["/icon.html"]) / 1000
    assert plain["dom_elements"] == 5 and icon["dom_elements"] == 6


def test_a_redirect_hop_is_a_request_with_its_bytes(measured):
    """The reference EcoIndex scraper counts the entries of Playwright's HAR, where each redirect
    is an entry with its own transfer size."""
    moved = measured[4]
    assert moved["error"] is None and moved["final_url"].endswith("/plain.html")
    assert moved["requests"] == 2
    assert moved["transfer_kb"] == (len(RESPONSES["/old"]) + len(RESPONSES["/plain.html"])) / 1000


def test_a_response_that_is_not_html_is_a_failed_page_without_ecoindex(measured):
    """EcoIndex measures HTML pages: its reference scraper refuses a page whose Content-Type is
    not text/html."""
    for page, mime in ((measured[5], "image/png"), (measured[6], "application/pdf")):
        assert page["error"] is not None and mime in page["error"] and "HTML" in page["error"]
        assert page["ecoindex_score"] is None


def test_pages_csv_keeps_counts_as_integers(base, tmp_path, capsys):
    browser_or_skip()
    out = tmp_path / "pages.csv"
    assert main(["web", "measure", base + "/plain.html", base + "/image.png", "--settle", "0", "-q",
                 "-o", str(out)]) == 1
    capsys.readouterr()
    text = out.read_text().splitlines()
    assert text[1].split(",")[3] == "5"  # dom_elements as written, not 5.0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table.loc[1, "dom_elements"] == "" and "image/png" in table.loc[1, "error"]


def test_inventory_measures_each_distinct_url_once_and_names_refused_rows(base, tmp_path, capsys):
    browser_or_skip()
    inventory = tmp_path / "inv.csv"
    inventory.write_text(
        "id;catégorie;url;visites mensuelles\n"
        f"s1;site web;{base}/plain.html;1000\n"
        f"s2;site web;{base}/plain.html;200\n"       # the same page as s1
        "s3;site web;ftp://mairie.example/;10\n"     # row 4 as a spreadsheet shows it
        f"s4;site web;{base}/icon.html;10\n", encoding="utf-8")
    out = tmp_path / "measured.csv"
    hits_before = _Raw.hits.get("/plain.html", 0)
    code = main(["web", "measure", "--inventory", str(inventory), "-o", str(out), "--country", "FR",
                 "--settle", "0", "-q", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1  # one refused URL: reported, the others measured
    assert _Raw.hits["/plain.html"] - hits_before == 1  # measured once for both rows
    table = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    assert table["dom_elements"].tolist() == ["5", "5", "", "6"]
    assert table["requests"].tolist() == ["1", "1", "", "1"]
    pages = __import__("json").loads(captured.out)
    refused = [p for p in pages if p.get("error")]
    assert len(refused) == 1 and "row 4" in refused[0]["error"] and "ftp://mairie.example/" in refused[0]["error"]
    # in the order of the inventory
    assert [p["url"] for p in pages] == [f"{base}/plain.html", "ftp://mairie.example/", f"{base}/icon.html"]


def test_timeout_option_sets_how_long_a_slow_page_may_take(base, tmp_path, capsys):
    browser_or_skip()
    out = tmp_path / "pages.json"
    assert main(["web", "measure", base + "/slow.html", "--settle", "0", "-q", "--timeout", "1",
                 "-o", str(out)]) == 1
    (page,) = __import__("json").loads(out.read_text())
    assert "Timeout 1000ms" in page["error"] and page["ecoindex_score"] is None
    capsys.readouterr()
    assert main(["web", "measure", base + "/slow.html", "--settle", "0", "-q", "--timeout", "20",
                 "-o", str(out)]) == 0
    (page,) = __import__("json").loads(out.read_text())
    assert page["error"] is None and page["dom_elements"] == 5


def test_an_unknown_output_format_stops_before_any_page_is_measured(base, tmp_path, capsys):
    browser_or_skip()
    before = _Raw.hits.get("/icon.html", 0)
    assert main(["web", "measure", base + "/icon.html", "--settle", "0", "-q", "-o", str(tmp_path / "p.xlsx")]) == 2
    assert "p.xlsx" in capsys.readouterr().err
    assert _Raw.hits.get("/icon.html", 0) == before  # refused before the browser ran


def test_dom_count_includes_open_shadow_roots_as_the_reference_does(base):
    from probes.web import measure_pages

    browser = browser_or_skip()
    (record,) = measure_pages([[{"url": base + "/shadow.html"}]], browser=browser, settle_s=0)
    assert record["error"] is None and record["dom_elements"] == 10


def test_a_url_given_twice_is_measured_once_and_reported_for_each(base, tmp_path, capsys):
    browser_or_skip()
    out = tmp_path / "pages.json"
    before = _Raw.hits.get("/shadow.html", 0)
    assert main(["web", "measure", base + "/shadow.html", base + "/plain.html", base + "/shadow.html",
                 "--settle", "0", "-q", "-o", str(out)]) == 0
    capsys.readouterr()
    assert _Raw.hits["/shadow.html"] - before == 1
    pages = __import__("json").loads(out.read_text())
    assert [p["url"].rsplit("/", 1)[1] for p in pages] == ["shadow.html", "plain.html", "shadow.html"]
    assert pages[0]["dom_elements"] == pages[2]["dom_elements"] == 10
