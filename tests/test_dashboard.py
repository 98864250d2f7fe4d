"""The HTML dashboard: self-contained, small, escaped, in French and English, every panel.

Scores, obsolescence and recommendations are the real ones of the example town (the pipeline of
``auditor report``: inventory, footprint, scores, :func:`auditor.recommend.recommend`); only the
probe records are built here (:func:`synthetic_samples`, in the columns of
``auditor.measurements.read_samples``). Without their data the optional panels must say "not
available" and never fail.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from auditor.errors import InputError
from auditor.results import SCORE_COLUMNS as RESULTS_SCORE_COLUMNS
from auditor.results import total_column
from reports.dashboard import (
    PLOTLY_ASSET,
    build_dashboard,
    check_results,
    plotly_js,
    probe_profile,
    windows10_stranded,
    write_dashboard,
)
from reports.i18n import Labels
from reports.opendata import factors_used, readable_mode, used_factor_ids
from tests.conftest import EXAMPLES, ROOT, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
BANNER = re.compile(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)")
MONDAY = pd.Timestamp("2026-01-05")  # a Monday


@pytest.fixture(scope="module")
def town(town_assessment):
    return town_assessment.results


@pytest.fixture(scope="module")
def town_en(town):
    return build_dashboard(town, lang="en", assessment_date=TODAY)


#: Columns of the scores (results contract); a results file written before them has none.
SCORE_COLUMNS = RESULTS_SCORE_COLUMNS


@pytest.fixture(scope="module")
def bare_en(town):
    """The page of a results table without any score column."""
    bare = town.drop(columns=[c for c in SCORE_COLUMNS if c in town])
    return build_dashboard(bare, lang="en", assessment_date=TODAY)


def hostile_recommendations(real: list[dict]) -> list[dict]:
    """The real recommendations plus a copy of the first one whose texts are markup."""
    attack = {**real[0], "action": "<script>alert('rec')</script>", "title": "<script>alert('rec')</script>",
              "explanation": "<img src=x onerror=alert(1)>"}
    return [*real, attack]


def synthetic_samples(days: int = 14, step_s: int = 900) -> pd.DataFrame:
    """Probe records (auditor.measurements.read_samples columns) over ``days`` from a Monday.

    ``pc-always`` is on all the time at 50 W (power meter); ``pc-office`` is on 08:00-19:00 on
    weekdays at 30 W (battery); ``pc-model`` is on 08:00-19:00 on weekdays without an energy meter.
    """
    start = MONDAY.value / 1e9
    ends = start + step_s * np.arange(1, days * 86400 // step_s + 1)
    local = pd.to_datetime(ends - step_s / 2, unit="s")
    office = (local.day_of_week < 5) & (local.hour >= 8) & (local.hour < 19)
    frames = [
        pd.DataFrame({"host": "pc-always", "t": ends, "dt": float(step_s), "src": "hwmon",
                      "e_j": 50.0 * step_s, "tz": 0}),
        pd.DataFrame({"host": "pc-office", "t": ends[office], "dt": float(step_s), "src": "battery",
                      "e_j": 30.0 * step_s, "tz": 0}),
        pd.DataFrame({"host": "pc-model", "t": ends[office], "dt": float(step_s), "src": "model",
                      "e_j": np.nan, "tz": 0}),
    ]
    return pd.concat(frames, ignore_index=True)


def _body(page: str) -> str:
    """The page without the embedded plotly.js bundle."""
    return page.replace(plotly_js(), "")


def _charts(page: str) -> int:
    return len(re.findall(r'<div class="chart" id="chart-\d+"', page))


# -- self-contained, light ------------------------------------------------------------------------

def test_town_page_is_self_contained_and_under_2_mb(town_en):
    size = len(town_en.encode("utf-8"))
    assert size <= 2_000_000, size
    assert len(BANNER.findall(town_en)) == 1  # plotly.js embedded once
    assert town_en.count(plotly_js()) == 1
    body = _body(town_en)
    assert not re.search(r"<(script|img|iframe|link|object|embed)\b[^>]*\b(src|href)=", body, re.I)
    assert "Content-Security-Policy" in body and "default-src 'none'" in body


def test_csp_lists_the_hash_of_each_script_and_nothing_else(town_en):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', town_en).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", town_en, re.S)
    assert len(scripts) == 2
    hashes = re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", csp)
    expected = ["sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts]
    assert sorted(hashes) == sorted(expected)
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # data blocks are JSON, not scripts
    assert len(re.findall(r'<script type="application/json" id="chart-\d+-data">', town_en)) == _charts(town_en)


def test_vendored_bundle_matches_its_readme_and_plotly_py():
    from plotly.offline import get_plotlyjs_version

    version = BANNER.search(plotly_js()[:400]).group(1)
    readme = (ROOT / "reports" / "assets" / "README.md").read_text()
    assert f"| {version} " in readme and PLOTLY_ASSET in readme
    assert (ROOT / "reports" / "assets" / "LICENSE-plotly.js.txt").read_text().startswith("MIT License")
    assert version.split(".")[0] == get_plotlyjs_version().split(".")[0]
    digest = hashlib.sha256(plotly_js().encode()).hexdigest()
    assert digest in readme


def test_package_data_ships_the_assets():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"reports" = ["assets/*"]' in text


# -- content -------------------------------------------------------------------------------------

def test_labels_follow_the_language(town):
    fr = build_dashboard(town, lang="fr", assessment_date=TODAY)
    assert '<html lang="fr">' in fr and "Chiffres clés" in fr and "Par catégorie d’équipement" in fr
    assert "Headline figures" not in fr and "Écrans" in fr and "15/01/2026" in fr
    assert '"separators":",\u202f"' in fr or '"separators":",\\u202f"' in fr
    en = build_dashboard(town, lang="en", assessment_date=TODAY)
    assert '<html lang="en">' in en and "Headline figures" in en and "Chiffres clés" not in en
    assert "Monitors" in en and "2026-01-15" in en


def test_headline_totals_bounds_and_per_capita(town):
    page = build_dashboard(town, lang="en", inhabitants=30_000, agents=450, assessment_date=TODAY)
    labels = Labels("en")
    gwp = town[total_column("gwp")].sum()
    low, high = town[total_column("gwp", "low")].sum(), town[total_column("gwp", "high")].sum()
    assert f"{labels.number(gwp / 1000)} <span class=\"unit\">tCO2e/yr</span>" in page
    assert f"range {labels.number(low / 1000)} – {labels.number(high / 1000)}" in page
    assert f"{labels.number(gwp / 30_000)} kgCO2e/yr per inhabitant (30,000 inhabitants)" in page
    assert f"{labels.number(gwp / 450)} kgCO2e/yr per agent (450 agents)" in page
    water = town[total_column("water")].sum()
    assert f"{labels.number(water / 30_000 / 0.001)} L/yr per inhabitant" in page
    assert "per inhabitant" not in build_dashboard(town, lang="en", assessment_date=TODAY)


def test_every_factor_used_is_listed_with_a_reference(town_en, town):
    ids = used_factor_ids(town)
    assert len(ids) > 50
    for factor_id in ids:
        assert f"<code>{factor_id}</code>" in town_en
    listed, missing = factors_used(town)
    assert missing == [] and set(ids) <= set(listed["id"])
    assert f"{len(listed)} factors used" in town_en
    references = re.findall(r'<li id="ref-(\d+)">', town_en)
    assert len(references) >= 5
    assert 'href="https://ember-climate.org/data/data-explorer/"' in town_en


def test_top_items_are_the_largest_rows(town_en, town):
    top = town.nlargest(15, total_column("gwp"))
    section = town_en.split('<section id="top">')[1].split("</section>")[0]
    for name in top["name"]:
        assert f"<td>{name}</td>" in section


# -- safety ----------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(document.domain)">',
    '"><svg/onload=alert(3)>',
    "</script><script>alert(4)</script>",
    "<b>bold</b><a href='javascript:alert(5)'>x</a>",
]


def test_inventory_text_is_escaped_everywhere(town, town_recommendations):
    hostile = town.head(60).copy()
    for column in ("name", "department", "site", "id"):
        hostile[column] = [HOSTILE[i % len(HOSTILE)] + f" {i}" for i in range(len(hostile))]
    page = build_dashboard(hostile, lang="fr", assessment_date=TODAY,
                           recommendations=hostile_recommendations(town_recommendations))
    body = _body(page)
    # no tag made of inventory text: every "<" left in the page is one of ours
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", body))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "p", "nav", "ol",
                    "li", "a", "section", "h2", "h3", "div", "span", "script", "table", "thead", "tbody", "tr",
                    "th", "td", "details", "summary", "code", "br", "footer", "template",
                    "figure", "figcaption", "caption", "button"}  # accessible chart blocks (reports.page)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", body, re.I)  # no event-handler attribute
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text in tables
    assert "javascript:" not in re.sub(r"\\u003c|&lt;|&#x27;|&quot;", "", "".join(re.findall(r'href="([^"]*)"', body)))
    # in chart data the names are escaped for plotly.js, then for the <script> block
    assert "\\u0026lt;script\\u0026gt;alert(1)" in body
    assert body.count("</script>") == 2 + _charts(page)


def test_missing_columns_are_an_input_error(town):
    with pytest.raises(InputError, match="not a results table; missing column"):
        check_results(town.drop(columns=["energy_source", total_column("gwp")]))
    with pytest.raises(InputError, match="no rows"):
        build_dashboard(town.head(0))


# -- optional panels -------------------------------------------------------------------------------

def test_optional_panels_without_their_data_say_so(bare_en):
    notes = re.findall(r'<p class="note">Not available in this results file: ([^<]+)\.</p>', bare_en)
    assert len(notes) == 4
    assert any("scores" in n for n in notes) and any("obsolescence" in n for n in notes)
    assert any("recommendations" in n for n in notes) and any("probe" in n for n in notes)
    assert _charts(bare_en) == 5  # embodied/use, category, department, site, data quality


def test_real_scores_are_drawn(town, town_en):
    """With the scores of the real pipeline (when present), their panels draw."""
    assert "sobriety_grade" in town  # the real pipeline scores every row
    assert "Not available in this results file: scores" not in town_en
    assert "Not available in this results file: obsolescence" not in town_en
    # + sobriety and repairability grades; hardware: risk level, forced-replacement timeline; upkeep: OS status
    assert _charts(town_en) == 5 + 2 + 3
    assert "Hardware at risk" in town_en and "Upkeep to do" in town_en
    assert f"{Labels('en').number(windows10_stranded(town), 0)} PCs are stranded on Windows 10" in town_en
    assert "<code>score-sobriety-grade-a</code>" in town_en and "<code>eol-cycles</code>" in town_en


def test_optional_panels_draw_when_their_data_are_present(town, town_recommendations):
    """Real scores and recommendations of the example town, plus probe records."""
    import html

    results = town
    assert set(results["repairability_source"].dropna()) <= {"official", "estimated", "category"}
    page = build_dashboard(results, lang="en", assessment_date=TODAY,
                           recommendations=hostile_recommendations(town_recommendations),
                           samples=synthetic_samples())
    assert "Not available in this results file" not in page
    assert len(town_recommendations) >= 3
    for recommendation in town_recommendations:
        assert html.escape(recommendation.get("title") or recommendation["action"]) in page
    # 5 base + 2 grades + obsolescence level + timeline + OS status + probe profile + recommendations
    assert _charts(page) == 12
    stranded = windows10_stranded(results)
    assert stranded > 0
    assert f"{Labels('en').number(stranded, 0)} PCs are stranded on Windows 10" in page
    assert "&lt;script&gt;alert(&#x27;rec&#x27;)" in page and "<script>alert('rec')" not in page
    assert "3 probed machines were on 226 hours outside working hours (56 % of their metered energy)" in page


def test_recommendations_failure_is_shown_not_raised(town):
    page = build_dashboard(town, lang="en", assessment_date=TODAY, recommendations_error="KeyError: 'x'")
    assert "Recommendations could not be computed: KeyError: &#x27;x&#x27;" in page


def test_windows10_stranded_reads_the_structured_column():
    # the count comes from win11_eligibility, never from another module's reason texts
    frame = pd.DataFrame({
        "category": ["desktop", "laptop", "desktop", "thin_client", "laptop"],
        "quantity": [2.0, 3.0, 5.0, 7.0, 1.0],
        "win11_eligibility": ["ineligible", "eligible", "unknown", "ineligible", None],
        "obsolescence_reasons": ["cannot run Windows 11"] * 5,
    })
    assert windows10_stranded(frame) == 9.0
    assert windows10_stranded(frame.drop(columns="win11_eligibility")) is None


def test_windows10_stranded_with_the_real_scores(library, write):
    """The obsolescence score's own wording is what the panel counts (no synthetic text)."""
    from auditor.api import assess_files

    inventory = write("pcs.csv", "id,category,quantity,os,os_version,cpu_model,ram_gb,purchase_date\n"
                      "old,desktop,4,Windows 10,22H2,Intel(R) Core(TM) i5-4590 CPU @ 3.30GHz,8,2015-03-01\n"
                      "new,laptop,2,Windows 11,24H2,Intel(R) Core(TM) i5-1235U,16,2024-03-01\n")
    results, _ = assess_files([inventory], country="FR", today=TODAY, library=library)
    assert windows10_stranded(results) == 4.0
    page = build_dashboard(results, lang="en", assessment_date=TODAY)
    assert "4 PCs are stranded on Windows 10" in page


def test_probe_profile_hours_and_energy_outside_working_hours():
    profile, summary = probe_profile(synthetic_samples(), (8, 19))
    assert summary["hosts"] == 3
    # pc-always: 14 days x 24 h minus 10 weekdays x 11 working hours; the others only work hours
    assert summary["hours_outside"] == pytest.approx(14 * 24 - 10 * 11)
    outside_wh, total_wh = 226 * 50.0, 14 * 24 * 50.0 + 110 * 30.0
    assert summary["energy_share_outside"] == pytest.approx(outside_wh / total_wh)
    night = profile[(profile["working_day"]) & (profile["hour"] == 3)]
    day = profile[(profile["working_day"]) & (profile["hour"] == 10)]
    weekend = profile[(~profile["working_day"]) & (profile["hour"] == 10)]
    assert night["power_w"].item() == pytest.approx(50.0)
    assert day["power_w"].item() == pytest.approx(80.0)
    assert day["machines_on"].item() == pytest.approx(3.0)
    assert weekend["power_w"].item() == pytest.approx(50.0)


def test_probe_profile_counts_only_whole_machine_meters():
    samples = synthetic_samples(days=7)
    rapl = samples.assign(src="rapl")  # CPU and memory only: on-time counts, power does not
    profile, summary = probe_profile(rapl)
    assert profile["power_w"].isna().all()
    assert summary["hours_outside"] == pytest.approx(7 * 24 - 5 * 11)
    assert summary["energy_share_outside"] != summary["energy_share_outside"]  # NaN
    page = build_dashboard(_minimal_results(), lang="en", assessment_date=TODAY, samples=rapl)
    assert "3 probed machines were on 113 hours outside working hours." in page
    assert "machines on (mean)" in page


def _minimal_results() -> pd.DataFrame:
    from tests.test_figures import results_frame

    return results_frame(12)


def test_probe_profile_uses_local_time():
    samples = synthetic_samples(days=7)
    shifted = samples.assign(t=samples["t"] - 3600, tz=3600)  # same local times, one hour east of UTC
    a, sa = probe_profile(samples)
    b, sb = probe_profile(shifted)
    assert sa["hours_outside"] == pytest.approx(sb["hours_outside"])
    pd.testing.assert_frame_equal(a, b)


# -- scale -----------------------------------------------------------------------------------------

def _replicate(results: pd.DataFrame, rows: int) -> pd.DataFrame:
    reps = -(-rows // len(results))
    big = pd.concat([results] * reps, ignore_index=True).head(rows)
    big["id"] = [f"item-{i}" for i in range(len(big))]
    big["name"] = big["id"]
    big["department"] = [f"Service {i % 400}" for i in range(len(big))]  # many groups
    return big


def test_100k_items_page_is_small(town, town_recommendations, tmp_path):
    """Size only: the time it takes is measured by bench/report_100k.py, not asserted here."""
    big = _replicate(town, 100_000)
    page = build_dashboard(big, lang="fr", inhabitants=30_000, assessment_date=date(2026, 1, 15),
                           recommendations=town_recommendations)
    path = write_dashboard(page, tmp_path / "big.html")
    size = path.stat().st_size
    assert size <= 6_000_000, size
    # aggregated charts: the page does not grow with the rows
    assert size - len(build_dashboard(town, lang="fr", assessment_date=TODAY).encode()) < 200_000
    assert path.stat().st_mode & 0o777 == readable_mode()  # not the private mode of a temporary file
