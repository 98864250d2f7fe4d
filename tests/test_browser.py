"""The dashboard in a real browser: headless Chromium driven over the DevTools protocol.

Opens the report from a local file, with no network, and checks that there is no console error,
no blocked request and no failed script, that every chart drew (a plotly div with its SVG and
its traces), that inventory text shown as text never runs, and saves a screenshot under the
test's temporary folder. Skips when Chromium is absent, except in CI (env ``CI`` set): there it
fails, since .ci/run installs Debian's chromium.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TODAY

try:
    import websocket  # websocket-client, in the 'test' extra
except ImportError:  # pragma: no cover - depends on the environment
    websocket = None

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
)


def chromium_or_skip() -> str:
    """Path of the Chromium binary; skip when it (or websocket-client) is absent, fail in CI."""
    if websocket is None:
        if os.environ.get("CI"):
            pytest.fail("websocket-client is missing in CI (pip install -e '.[test]')")
        pytest.skip("websocket-client is not installed")
    for name in CHROMIUM_NAMES:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is missing in CI (.ci/run installs it with apt)")
    pytest.skip("chromium is not installed")


class Browser:
    """A headless Chromium and one page, driven over the DevTools protocol (websocket)."""

    def __init__(self, binary: str, timeout_s: float = 30.0) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="auditor-chromium-"))
        scratch = self.profile / "tmp"  # Chromium's own temporary files go here, removed with the profile
        scratch.mkdir()
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile / 'profile'}", "--window-size=1200,900",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        self.timeout_s = timeout_s
        self.events: list[dict] = []
        self._id = 0
        try:
            port = self._port()
            self.ws = websocket.create_connection(self._page_socket(port), timeout=timeout_s,
                                                  suppress_origin=True)
            for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
                self.call(method)
        except BaseException:
            self.close()
            raise

    def _port(self) -> int:
        marker = self.profile / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.proc.returncode}")
            if marker.exists():
                text = marker.read_text().split()
                if text:
                    return int(text[0])
            time.sleep(0.05)
        raise TimeoutError("chromium did not open its DevTools port")

    def _page_socket(self, port: int) -> str:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                targets = json.load(response)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise TimeoutError("no page target")

    def call(self, method: str, **params) -> dict:
        self._id += 1
        ident = self._id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise TimeoutError(method)

    def wait_for(self, method: str) -> dict:
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message
        raise TimeoutError(method)

    def open(self, path: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def settle(self, seconds: float = 0.3) -> None:
        """Keep reading events for a moment (late console messages, requests)."""
        self.ws.settimeout(0.05)
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                try:
                    message = json.loads(self.ws.recv())
                except websocket.WebSocketTimeoutException:
                    continue
                if "method" in message:
                    self.events.append(message)
        finally:
            self.ws.settimeout(self.timeout_s)

    def problems(self) -> list[str]:
        """Console errors, exceptions, log errors (CSP violations...), dialogs, network requests."""
        out = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{params['type']}: {[a.get('value', a.get('description')) for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params.get('exceptionDetails', {}).get('text')} "
                           f"{params.get('exceptionDetails', {}).get('exception', {}).get('description', '')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                entry = params["entry"]
                out.append(f"log {entry.get('source')}/{entry['level']}: {entry.get('text')}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {params.get('message')}")
            elif method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "blob:", "about:")):
                    out.append(f"network request: {url}")
        return out

    def screenshot(self, path: Path) -> Path:
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.call("Emulation.setDeviceMetricsOverride", width=1200, height=min(height, 16000),
                  deviceScaleFactor=1, mobile=False)
        self.settle(0.5)
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for _ in range(20):  # helper processes may still be writing for a moment after the browser exits
            shutil.rmtree(self.profile, ignore_errors=True)
            if not self.profile.exists():
                break
            time.sleep(0.1)


CHARTS_DRAWN = """(() => {
  const charts = [...document.querySelectorAll('div.chart')];
  return charts.map(d => ({
    id: d.id,
    plotly: d.classList.contains('js-plotly-plot'),
    svg: d.querySelectorAll('svg.main-svg').length,
    traces: (d._fullData || []).length,
    marks: d.querySelectorAll('g.trace path, g.trace .point, g.scatterlayer path').length,
  }));
})()"""


@pytest.fixture(scope="module")
def browser():
    binary = chromium_or_skip()
    instance = Browser(binary)
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def town_results(town_assessment):
    """The example town's real results, scores included (tests/conftest.py)."""
    return town_assessment.results


def _assert_all_drawn(browser: Browser, expected_min: int) -> list[dict]:
    deadline = time.monotonic() + 15
    charts = browser.evaluate(CHARTS_DRAWN)
    while time.monotonic() < deadline and not all(c["svg"] and c["traces"] for c in charts):
        time.sleep(0.1)
        charts = browser.evaluate(CHARTS_DRAWN)
    assert len(charts) >= expected_min
    for chart in charts:
        assert chart["plotly"], chart
        assert chart["svg"] >= 1, chart
        assert chart["traces"] >= 1, chart
        assert chart["marks"] >= 1, chart
    return charts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_town_report_renders_without_errors(browser, town_results, tmp_path, lang):
    from reports.dashboard import build_dashboard, write_dashboard

    page = write_dashboard(build_dashboard(town_results, lang=lang, inhabitants=30_000, agents=450,
                                           assessment_date=TODAY), tmp_path / f"town-{lang}.html")
    browser.open(page)
    charts = _assert_all_drawn(browser, expected_min=5)
    browser.settle()
    assert browser.problems() == []
    assert browser.evaluate("document.documentElement.lang") == lang
    assert browser.evaluate("typeof Plotly.newPlot") == "function"
    assert browser.evaluate("document.querySelectorAll('script[src], link[href]').length") == 0
    shot = browser.screenshot(tmp_path / f"town-{lang}.png")
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(charts) == browser.evaluate("document.querySelectorAll('.js-plotly-plot').length")


def test_hostile_inventory_text_shows_as_text_and_never_runs(browser, town_results, tmp_path):
    from reports.dashboard import build_dashboard, write_dashboard

    hostile = town_results.head(40).copy()
    attacks = [
        "<script>alert(1)</script>",
        '<img src=x onerror="window.__pwned=1;alert(2)">',
        '"><svg onload="window.__pwned=2">',
        "<a href=\"javascript:window.__pwned=3\">link</a>",
    ]
    for column in ("name", "department", "site"):
        hostile[column] = [attacks[i % len(attacks)] for i in range(len(hostile))]
    hostile["gwp_total_kgco2e_per_year"] = hostile["gwp_total_kgco2e_per_year"] + 1e6  # top items
    page = write_dashboard(build_dashboard(hostile, lang="en", assessment_date=TODAY), tmp_path / "hostile.html")
    browser.open(page)
    _assert_all_drawn(browser, expected_min=4)
    # hover labels and buttons are drawn by plotly: click every criterion button too
    browser.evaluate("document.querySelectorAll('.updatemenu-button, .switch button').forEach(b => "
                     "b.dispatchEvent(new MouseEvent('click', {bubbles: true})))")
    browser.settle(0.5)
    assert browser.problems() == []
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.evaluate("document.querySelectorAll('main svg a, main a[href^=javascript]').length") == 0
    text = browser.evaluate("document.body.innerText")
    assert "<script>alert(1)</script>" in text
    assert '<img src=x onerror="window.__pwned=1;alert(2)">' in text
    # the department chart draws the names as text, not markup
    labels = browser.evaluate(
        "[...document.querySelectorAll('#department .ytick text')].map(t => t.textContent)")
    assert "<script>alert(1)</script>" in labels
    browser.screenshot(tmp_path / "hostile.png")


def test_real_scores_and_recommendations_draw(browser, town_results, town_recommendations, tmp_path):
    """The example town's real scores, obsolescence and recommendations (what ``auditor report``
    draws), plus probe records: every chart draws, every recommendation is listed."""
    from reports.dashboard import build_dashboard, write_dashboard
    from tests.test_dashboard import synthetic_samples

    page = write_dashboard(build_dashboard(
        town_results, lang="en", assessment_date=TODAY, recommendations=town_recommendations,
        samples=synthetic_samples()), tmp_path / "full.html")
    browser.open(page)
    # 5 base + sobriety and repairability grades + obsolescence timeline and level + probe profile
    # + recommendations
    charts = _assert_all_drawn(browser, expected_min=11)
    browser.settle()
    assert browser.problems() == []
    assert len(charts) == browser.evaluate("document.querySelectorAll('div.chart').length")
    text = browser.evaluate("document.body.innerText")
    assert "Not available in this results file" not in text  # no optional panel left empty
    assert len(town_recommendations) >= 3
    for recommendation in town_recommendations:
        assert (recommendation.get("title") or recommendation["action"]) in text
    browser.screenshot(tmp_path / "full.png")
