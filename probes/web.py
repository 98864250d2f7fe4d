"""Web pages as raw records: measured live in the system's Chromium, or read from HAR files.

The only module that imports Playwright (and only inside :func:`measure_pages`). Standard library
otherwise: no pandas, nothing of ours. A *page record* is a plain dict:

``url``, ``final_url``, ``status``, ``error`` (text or None), ``source`` (``browser``/``har``),
``dom_elements`` (int or None), ``requests`` (list of ``{url, status, mime, type, headers,
transfer_bytes, phase}``), ``images`` (``{src, natural_w, natural_h, shown_w, shown_h}``, browser
only), ``media`` (``{tag, autoplay, playing}``, browser only), ``html_text`` (bool: was the DOM
counted from the document's content).

Protocol of a live measurement, as the EcoIndex method does it (cnumr/EcoIndex,
``how-it-works/_65_methodology.md``): headless browser, window 1920x1080, a fresh context (no
cache, cookies or local storage; the network cache is also disabled), load the page, wait, scroll
to the bottom, wait again. Requests are the ``Network.loadingFinished`` events of the DevTools
protocol and bytes their ``encodedDataLength`` (bytes on the wire); DOM elements are all elements
of the document and of its open shadow roots minus those inside ``<svg>`` elements.

The browser is never downloaded: ``--browser PATH``, else ``$AUDITOR_CHROMIUM``, else
``chromium``/``chromium-browser``/``google-chrome`` on ``PATH``.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

BROWSER_ENV = "AUDITOR_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Chromium switches: no sandbox (root in containers), no GPU, no background traffic of the browser
#: itself (updates, sync, QUIC probes) that would be counted as the page's requests.
LAUNCH_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
)
WINDOW = {"width": 1920, "height": 1080}
SETTLE_S = 3.0  # EcoIndex: wait 3 s after load and 3 s after scrolling
SCHEMES = ("http", "https", "file")

# every element, those of open shadow roots included (as Playwright's locator("*") of the EcoIndex
# reference scraper counts them), minus the descendants of <svg> elements of the document
_DOM_COUNT_JS = """() => {
    let n = 0;
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        n += 1; if (el.shadowRoot) walk(el.shadowRoot); } };
    walk(document);
    return n - document.querySelectorAll('svg *').length;
}"""
_IMAGES_JS = """() => Array.from(document.images).map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.currentSrc || i.src, natural_w: i.naturalWidth, natural_h: i.naturalHeight,
            shown_w: r.width, shown_h: r.height};
})"""
_MEDIA_JS = """() => Array.from(document.querySelectorAll('video, audio')).map(m => (
    {tag: m.tagName.toLowerCase(), autoplay: m.autoplay, playing: !m.paused}))"""
_SCROLL_JS = "() => window.scrollTo(0, Math.max(document.body ? document.body.scrollHeight : 0, 0))"


class BrowserNotFound(RuntimeError):
    """No Chromium to drive (the message says where it was looked for)."""


class HarError(ValueError):
    """A HAR file that cannot be read: ``file``, ``entry`` (0-based index or None) and why."""

    def __init__(self, file: str, entry: int | None, reason: str) -> None:
        self.file, self.entry, self.reason = file, entry, reason
        where = f"{file}, entry {entry}" if entry is not None else file
        super().__init__(f"{where}: {reason}")


def find_browser(path: str | None = None) -> str:
    """Path of the Chromium to drive: ``path``, else ``$AUDITOR_CHROMIUM``, else one on ``PATH``."""
    for candidate in (path, os.environ.get(BROWSER_ENV)):
        if candidate:
            found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
            if not found:
                raise BrowserNotFound(f"browser {candidate!r} not found")
            return found
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        f"no Chromium found on PATH ({', '.join(BROWSER_NAMES)}); install it (e.g. apt-get install "
        f"chromium) or give --browser PATH or ${BROWSER_ENV}; the tool never downloads a browser")


def check_url(url: str) -> str | None:
    """Why ``url`` is refused (not http, https or file), or None when it is fine."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        hint = ""
        if not scheme and Path(url).is_file():
            hint = f" (this local file is {Path(url).resolve().as_uri()})"
        elif not scheme and "." in url.split("/")[0] and " " not in url:
            hint = f" (did you mean https://{url}?)"
        return f"{url!r}: only http, https and file URLs can be measured{hint}"
    if scheme in ("http", "https") and not urlsplit(url).hostname:
        return f"{url!r}: no host name"
    if scheme == "file":
        local = Path(unquote(urlsplit(url).path))
        if local.is_dir():  # Chromium would measure its generated listing page
            return f"{url!r}: is a folder; give the URLs of its HTML files"
        if not local.exists():
            return f"{url!r}: no such file"
    return None


# ------------------------------------------------------------------------------------ live pages

def measure_pages(
    journeys: list[list[dict]],
    *,
    browser: str | None = None,
    settle_s: float = SETTLE_S,
    timeout_s: float = 30.0,
    extra_args: tuple[str, ...] = (),
    progress=None,
) -> list[dict]:
    """Measure pages live: one page record per ``url`` or ``click`` step, in order.

    Parameters
    ----------
    journeys
        Each journey is a list of steps ``{"url": ...}`` or ``{"click": selector}`` run in one
        fresh browser context; a single page is a journey of one ``url`` step.
    browser
        Chromium executable (see :func:`find_browser`).
    settle_s
        Wait after load and after scrolling [s] (EcoIndex: 3).
    timeout_s
        Navigation timeout per page [s].
    extra_args
        More Chromium switches (tests map host names with ``--host-resolver-rules``).
    progress
        ``progress(text, done, total)`` after each page.
    """
    executable = find_browser(browser)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserNotFound("Playwright for Python is not installed: pip install 'sobriety-auditor[web]' "
                              "(it drives the system's Chromium; no browser is downloaded)") from None
    total = sum(len(j) for j in journeys)
    records: list[dict] = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True,
                                      args=[*LAUNCH_ARGS, *extra_args])
        try:
            for steps in journeys:
                context = chromium.new_context(viewport=WINDOW, screen=WINDOW, service_workers="block")
                try:
                    page = context.new_page()
                    recorder = _Recorder(context.new_cdp_session(page))
                    for step in steps:
                        record = _run_step(page, recorder, step, settle_s, timeout_s, PlaywrightError)
                        records.append(record)
                        if progress:
                            progress(f"measured {record['url']}", len(records), total)
                finally:
                    context.close()
        finally:
            chromium.close()
    return records


class _Recorder:
    """DevTools network events of one page: requests finished since the last measurement."""

    def __init__(self, cdp) -> None:
        self.cdp = cdp
        self.pending: dict[str, dict] = {}
        self.finished: list[dict] = []
        self.phase = "load"
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict) -> None:
        hop = self.pending.get(event["requestId"])
        if hop is not None and isinstance(event.get("redirectResponse"), dict):
            # a redirect: the hop is a request of its own with its bytes (an entry in a HAR)
            self._update(hop, event["redirectResponse"], hop["type"])
            hop["transfer_bytes"] = max(float(event["redirectResponse"].get("encodedDataLength") or 0), 0.0)
            self.finished.append(hop)
        self.pending[event["requestId"]] = {
            "url": event["request"]["url"], "status": None, "mime": "", "headers": {},
            "type": str(event.get("type", "")).lower(), "transfer_bytes": 0, "phase": self.phase,
            "initiator": str((event.get("initiator") or {}).get("type", "")).lower()}

    def _response(self, event: dict) -> None:
        entry = self.pending.get(event["requestId"])
        if entry is not None:
            self._update(entry, event["response"], event.get("type", entry["type"]))

    @staticmethod
    def _update(entry: dict, response: dict, kind: object) -> None:
        entry.update(url=response.get("url", entry["url"]), status=response.get("status"),
                     mime=response.get("mimeType", ""),
                     headers={k.lower(): str(v) for k, v in (response.get("headers") or {}).items()},
                     type=str(kind).lower())

    def _finished(self, event: dict) -> None:
        entry = self.pending.pop(event["requestId"], None)
        if entry is None:
            return
        entry["transfer_bytes"] = max(float(event.get("encodedDataLength") or 0), 0.0)
        if entry["url"].startswith("file:") and entry["transfer_bytes"] == 0:
            entry["transfer_bytes"] = _file_size(entry["url"])
        self.finished.append(entry)

    def take(self) -> list[dict]:
        """Requests of the page: ``data:`` URLs and the browser's own fetches (type and initiator
        ``other`` outside a navigation: the favicon, asked once per browser and site, declared or
        not) are left out, as Playwright's events and HAR leave them out (EcoIndex reference)."""
        out, self.finished = self.finished, []
        return [e for e in out if not e["url"].startswith("data:")
                and not (e["type"] == "other" and e.get("initiator") == "other")]


def _file_size(url: str) -> float:
    """Size of a local file [bytes]: what a server without compression would send for it."""
    try:
        return float(Path(unquote(urlsplit(url).path)).stat().st_size)
    except OSError:
        return 0.0


def _run_step(page, recorder: _Recorder, step: dict, settle_s: float, timeout_s: float,
              error_type) -> dict:
    url = step.get("url")
    record = {"url": url or f"{page.url} (after click {step.get('click')!r})", "final_url": None,
              "status": None, "error": None, "source": "browser", "dom_elements": None,
              "requests": [], "images": [], "media": [], "html_text": True}
    started = time.monotonic()
    try:
        if url:
            refused = check_url(url)
            if refused:
                raise ValueError(refused)
            recorder.phase = "load"
            response = page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            if response is not None:
                record["status"] = response.status
                if response.status >= 400:
                    record["error"] = f"HTTP {response.status}"
                mime = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
                if mime and "html" not in mime:
                    raise ValueError(f"not an HTML page (Content-Type {mime}); EcoIndex measures HTML pages")
        else:
            recorder.phase = "after interaction"
            page.click(step["click"], timeout=timeout_s * 1000)
            page.wait_for_load_state("load", timeout=timeout_s * 1000)
        page.wait_for_timeout(settle_s * 1000)
        page.evaluate(_SCROLL_JS)
        page.wait_for_timeout(settle_s * 1000)
        record["final_url"] = page.url
        record["dom_elements"] = int(page.evaluate(_DOM_COUNT_JS))
        record["images"] = page.evaluate(_IMAGES_JS)
        record["media"] = page.evaluate(_MEDIA_JS)
    except (error_type, ValueError) as exc:
        record["error"] = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    record["requests"] = recorder.take()
    record["seconds"] = round(time.monotonic() - started, 2)
    return record


# ------------------------------------------------------------------------------------- HAR files

def read_har(path: str | Path) -> list[dict]:
    """Page records from a HAR file: one per ``log.pages`` entry (or one for all entries).

    Requests are the entries with a response (status > 0); bytes per entry are ``_transferSize``
    (Chromium's bytes on the wire) when present, else body size + headers size, else the content
    size. DOM elements are counted from the page's document (its first HTML response that is not a
    redirect) when the HAR holds its text, else None; a document with status 400 or more is a
    failed page (``error`` ``HTTP <status>``), as a live measurement reports it.

    Raises
    ------
    HarError
        Not JSON, no ``log.entries`` list, or an entry without ``request.url``/``response``.
    """
    shown = str(path)
    try:
        data = json.loads(Path(path).read_bytes())
    except json.JSONDecodeError as exc:
        raise HarError(shown, None, f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except UnicodeDecodeError as exc:
        raise HarError(shown, None, f"not UTF-8 text (byte {exc.start}); expected a HAR file as browsers "
                                    "write it (JSON in UTF-8)") from None
    except OSError as exc:
        raise HarError(shown, None, f"cannot be read ({exc.strerror})") from None
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise HarError(shown, None, "no 'log.entries' list; expected a HAR 1.2 file")
    pages = log.get("pages") if isinstance(log.get("pages"), list) else []
    order = [p.get("id") for p in pages if isinstance(p, dict)]
    titles = {p.get("id"): p.get("title") for p in pages if isinstance(p, dict)}
    grouped: dict[object, list[tuple[int, dict]]] = {}
    for index, entry in enumerate(entries):
        _check_entry(shown, index, entry)
        ref = entry.get("pageref") if order else None
        grouped.setdefault(ref if ref in order else None, []).append((index, entry))
    keys = [k for k in order if k in grouped] + ([None] if None in grouped else [])
    return [_har_page(shown, titles.get(k), grouped[k]) for k in keys] or [
        {"url": shown, "final_url": None, "status": None, "error": "HAR file has no entries",
         "source": "har", "dom_elements": None, "requests": [], "images": [], "media": [],
         "html_text": False}]


def _check_entry(shown: str, index: int, entry: object) -> None:
    if not isinstance(entry, dict):
        raise HarError(shown, index, "is not an object")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        raise HarError(shown, index, "has no request.url")
    if not isinstance(response, dict):
        raise HarError(shown, index, "has no response object")
    status = response.get("status")
    if not isinstance(status, int | float) or isinstance(status, bool):
        raise HarError(shown, index, f"response.status {status!r} is not a number")


def _har_page(shown: str, title: object, items: list[tuple[int, dict]]) -> dict:
    requests: list[dict] = []
    dom = None
    url = None
    status = None
    for index, entry in items:
        response = entry["response"]
        if response["status"] <= 0:
            continue  # failed or blocked: no loadingFinished event in a browser
        headers = _har_headers(shown, index, response.get("headers"))
        content = response.get("content") if isinstance(response.get("content"), dict) else {}
        mime = str(content.get("mimeType") or headers.get("content-type", "")).split(";")[0].strip()
        requests.append({"url": entry["request"]["url"], "status": int(response["status"]), "mime": mime,
                         "type": str(entry.get("_resourceType", "")).lower(), "headers": headers,
                         "transfer_bytes": _har_bytes(response, content), "phase": "load"})
        if url is None and "html" in mime and not 300 <= response["status"] < 400:
            # the document: the first HTML response that is not a redirect (whose small
            # "Moved" body is not the page)
            url, status = entry["request"]["url"], int(response["status"])
            text = content.get("text")
            if isinstance(text, str):
                if content.get("encoding") == "base64":
                    try:
                        text = base64.b64decode(text).decode("utf-8", "replace")
                    except ValueError:
                        raise HarError(shown, index, "response.content.text is not valid base64") from None
                dom = count_dom_elements(text)
    if url is None:
        url = items[0][1]["request"]["url"] if items else str(title or shown)
    error = f"HTTP {status}" if status is not None and status >= 400 else None
    return {"url": url, "final_url": url, "status": status, "error": error, "source": "har",
            "dom_elements": dom, "requests": requests, "images": [], "media": [],
            "html_text": dom is not None, "title": title}


def _har_headers(shown: str, index: int, headers: object) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, list):
        raise HarError(shown, index, "response.headers is not a list")
    out: dict[str, str] = {}
    for h in headers:
        if isinstance(h, dict) and "name" in h:
            out[str(h["name"]).lower()] = str(h.get("value", ""))
    return out


def _har_bytes(response: dict, content: dict) -> float:
    for value in (response.get("_transferSize"),):
        if isinstance(value, int | float) and value >= 0:
            return float(value)
    body = response.get("bodySize")
    if isinstance(body, int | float) and body >= 0:
        head = response.get("headersSize")
        return float(body) + (float(head) if isinstance(head, int | float) and head > 0 else 0.0)
    size = content.get("size")
    return float(size) if isinstance(size, int | float) and size > 0 else 0.0


class _DomCounter(HTMLParser):
    """Elements of an HTML text as a browser builds them, children of ``<svg>`` excluded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.svg_depth = 0
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.svg_depth:
            if tag == "svg":
                self.svg_depth += 1
            return
        self.count += 1
        self.seen.add(tag)
        if tag == "svg":
            self.svg_depth = 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.svg_depth:
            self.count += 1
            self.seen.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.svg_depth and tag == "svg":
            self.svg_depth -= 1


def count_dom_elements(html: str) -> int:
    """DOM elements of an HTML document, children of ``<svg>`` excluded (EcoIndex count).

    ``html``, ``head`` and ``body`` are counted even when the text omits them, as a browser adds
    them. Elements created by scripts are not seen (a live measurement sees them).
    """
    counter = _DomCounter()
    counter.feed(html)
    counter.close()
    return counter.count + sum(1 for t in ("html", "head", "body") if t not in counter.seen)
