"""The comparison page: offline, strict CSP, escaped texts, FR/EN labels, break-even marked, real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap

import pytest

from auditor.compare import compare
from auditor.options_file import read_options
from reports.compare_page import MESSAGES, build_compare_page, cumulative_figure, parts_figure
from tests.conftest import EXAMPLES, TODAY

SERVER = EXAMPLES / "compare" / "server-keep-or-replace.yaml"


@pytest.fixture(scope="module")
def server_pl():
    return compare(read_options(SERVER), country="PL", today=TODAY)


def test_both_languages_have_the_same_labels():
    assert set(MESSAGES["fr"]) == set(MESSAGES["en"])


def test_parts_figure_stacks_manufacture_use_repairs(server_pl):
    fig = parts_figure(server_pl, "gwp", "en")
    assert [t.name for t in fig.data] == ["Manufacture", "Use", "Repairs"]
    ranked = sorted(server_pl.results, key=lambda r: r.rank)
    for trace, part in zip(fig.data, ("manufacture", "use", "repairs"), strict=True):
        assert list(trace.x) == pytest.approx([getattr(r, part)["gwp"][0] for r in ranked])


def test_cumulative_figure_marks_break_even(server_pl):
    new = next(r for r in server_pl.results if r.option.id == "new")
    assert new.break_even_years is not None and new.break_even_years < server_pl.horizon_years
    fig = cumulative_figure(server_pl, "fr")
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len(markers) == 1 and markers[0].x[0] == pytest.approx(new.break_even_years)
    assert any(s.type == "line" and s.x0 == pytest.approx(new.break_even_years) for s in fig.layout.shapes)
    # the two curves cross at the break-even point
    keep = next(r for r in server_pl.results if r.option.id == "keep")
    import numpy as np

    t = np.array([new.break_even_years])
    assert new.cumulative("gwp", t)[0] == pytest.approx(keep.cumulative("gwp", t)[0], rel=1e-6)


def test_page_is_offline_with_strict_csp_and_escapes_labels(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text(textwrap.dedent("""
        horizon_years: 3
        country: FR
        options:
          - {id: x, label: "<img src=x onerror=alert(1)>", category: laptop}
    """), encoding="utf-8")
    html = build_compare_page(compare(read_options(path), today=TODAY), lang="fr", today=TODAY)
    assert "default-src 'none'" in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"<script[^>]+src=", html) and "https://" not in html.split("<script>")[0]
    assert '<html lang="fr">' in html and "Classement" in html


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_page_draws_in_chromium(tmp_path, server_pl):
    binary = _chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is needed in CI")
        pytest.skip("chromium not installed")
    page = tmp_path / "page.html"
    page.write_text(build_compare_page(server_pl, lang="en", today=TODAY), encoding="utf-8")
    done = subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    dom = done.stdout
    # every chart placeholder got its plotly SVG (4 criteria + cumulative)
    assert dom.count('class="main-svg"') >= 5, done.stderr[-2000:]
