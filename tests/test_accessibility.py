"""Accessibility (RGAA 4.1 / WCAG 2.1 AA) of the HTML pages, checked by axe-core in real Chromium.

axe-core (Deque, MPL-2.0) runs through the ``axe-playwright-python`` package, with Playwright
driving the system Chromium (``/usr/bin/chromium``). Every page of the example town must have no
violation of serious or critical impact. Skips only when Chromium or the packages are missing and
``CI`` is unset; in CI it fails instead.

To check another page, add one line to :data:`PAGES`: a name and a function that writes the page
into a folder and returns its path.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
BLOCKING_IMPACTS = ("serious", "critical")
MAX_PAGE_BYTES = 2_000_000


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is missing in CI (.ci/run installs it with apt)")
    pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def town_inputs(library):
    """The example town assessed now, and a previous year made from it (for the review page)."""
    from tests.review_example import town_review_inputs

    return town_review_inputs(library, targets=EXAMPLES / "ville-exemple" / "objectifs.yaml")


def dashboard_page(folder: Path, inputs, lang: str) -> Path:
    from reports.dashboard import build_dashboard, write_dashboard

    return write_dashboard(build_dashboard(inputs.current.results, lang=lang, inhabitants=30_000, agents=450,
                                           assessment_date=TODAY), folder / f"dashboard-{lang}.html")


def review_page(folder: Path, inputs, lang: str) -> Path:
    from reports.review_page import build_review_page

    path = folder / f"review-{lang}.html"
    path.write_text(build_review_page(inputs.review, inputs.indicators, lang=lang, review_date=TODAY,
                                      current_name="2026", baseline_name="2025", has_targets=True),
                    encoding="utf-8")
    return path


def report_with_review_page(folder: Path, inputs, lang: str) -> Path:
    from reports.dashboard import build_dashboard, write_dashboard

    return write_dashboard(build_dashboard(inputs.current.results, lang=lang, assessment_date=TODAY,
                                           review=inputs.review, review_indicators=inputs.indicators,
                                           review_has_targets=True), folder / f"report-review-{lang}.html")


def compare_page(folder: Path, _inputs, lang: str) -> Path:
    from auditor.compare import compare
    from auditor.options_file import read_options
    from reports.compare_page import build_compare_page

    options = read_options(EXAMPLES / "compare" / "school-laptop.yaml")
    path = folder / f"compare-{lang}.html"
    path.write_text(build_compare_page(compare(options, today=TODAY), lang=lang, today=TODAY), encoding="utf-8")
    return path


#: Pages checked: name -> function(folder, town inputs, lang) writing the page and returning its path.
PAGES: dict[str, Callable[[Path, object, str], Path]] = {
    "dashboard": dashboard_page,
    "review": review_page,
    "report-with-review": report_with_review_page,
    "compare": compare_page,
}


@pytest.fixture(scope="module")
def browser():
    binary = chromium_path()
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("axe-playwright-python / playwright are missing in CI (pip install -e '.[test]')")
        pytest.skip("axe-playwright-python or playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=binary, args=LAUNCH_ARGS, headless=True)
        try:
            yield instance, Axe()
        finally:
            instance.close()


def serious_violations(browser, page_path: Path, lang: str = "en") -> list[str]:
    """axe-core violations of serious or critical impact on a page (one line each).

    Also checks that the criterion buttons work from the keyboard and that plotly.js draws in
    the page's language (its mode-bar button is named from the embedded locale).
    """
    chromium, axe = browser
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("document.querySelectorAll('div.chart').length === "
                               "document.querySelectorAll('.js-plotly-plot').length", timeout=20_000)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, "resultTypes": ["violations"]})
        # the criterion buttons work from the keyboard: Tab to one, press Enter, it is pressed
        buttons = page.locator(".switch button")
        if buttons.count() > 1:
            buttons.nth(1).focus()
            page.keyboard.press("Enter")
            assert buttons.nth(1).get_attribute("aria-pressed") == "true"
            assert buttons.nth(0).get_attribute("aria-pressed") == "false"
        names = page.eval_on_selector_all(".modebar-btn", "els => els.map(a => a.getAttribute('aria-label'))")
        assert names and set(names) == {"Télécharger le graphique en fichier PNG" if lang == "fr"
                                        else "Download plot as a PNG"}, names
    finally:
        context.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_serious_accessibility_violation(browser, town_inputs, tmp_path, name, lang):
    page = PAGES[name](tmp_path, town_inputs, lang)
    size = page.stat().st_size
    print(f"{name} ({lang}): {size / 1e6:.2f} MB")
    assert size <= MAX_PAGE_BYTES, f"{name} weighs {size:,} bytes"
    assert serious_violations(browser, page, lang) == []
