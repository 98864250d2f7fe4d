"""``auditor review`` end to end on the example town, its page, and ``auditor report --baseline``."""

from __future__ import annotations

import html
import json
import re

import pytest

from auditor.cli import main
from reports.i18n import Labels
from reports.page import figure_views, locale_fr_js
from reports.page_i18n import MESSAGES
from tests.conftest import EXAMPLES, ROOT, TODAY
from tests.review_example import TOWN, TOWN_2025, town_review_inputs

SMALL = EXAMPLES / "small-inventory.csv"
MAX_PAGE_BYTES = 2_000_000


@pytest.fixture(scope="module")
def town(library):
    return town_review_inputs(library)


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_page_texts_exist_in_both_languages():
    assert set(MESSAGES["en"]) == set(MESSAGES["fr"])


def test_town_review_matches_by_serial_and_name_and_adds_up(town):
    review = town.review
    # the 2025 inventory (examples/make_previous_year.py): 60 retired PCs, purchases since 15/01/2025 absent
    assert review.devices["removed"] == 60
    assert review.rules["id"] == 0  # the GLPI export has no id column: generated ids never match
    assert review.rules["serial_number"] > 2000
    totals = review.totals
    parts = totals[["method", "added", "removed", "quantity", "lifetime", "usage", "moved"]].sum(axis=1)
    known = totals["change"].notna()  # adpe and pe lack factors for some devices: unknown, not 0
    assert known["gwp"] and known["energy"] and known["water"]
    assert ((parts - totals["change"])[known].abs() <= 1e-9 * totals["current"][known].abs()).all()
    assert review.method_status == "same"
    # 40 PCs switched off at night: the usage part of electricity is a decrease
    assert totals.loc["energy", "usage"] < 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_review_page_weight_language_and_structure(town, lang, tmp_path):
    from reports.review_page import build_review_page

    page = build_review_page(town.review, town.indicators, lang=lang, review_date=TODAY,
                             current_name="2026.csv", baseline_name="2025.csv")
    size = len(page.encode("utf-8"))
    print(f"review page ({lang}): {size / 1e6:.2f} MB")
    assert size <= MAX_PAGE_BYTES
    assert f'<html lang="{lang}">' in page
    headings = re.findall(r"<h([1-6])", page)
    assert headings[0] == "1" and all(int(b) - int(a) <= 1 for a, b in zip(headings, headings[1:], strict=False))
    assert page.count("<main") == 1 and page.count("<nav") == 1 and page.count("<header>") == 1
    charts = len(re.findall(r'<div class="chart" id="chart-\d+">', page))
    assert charts == 4 == page.count("<figcaption") == page.count("<caption>") // 5
    assert page.count('role="group"') == 4 and page.count('aria-pressed="') == 4 * 5
    if lang == "fr":
        assert "Bilan annuel" in page and "15/01/2026" in page and "Plotly.register(module.exports)" in page
        assert "Janvier" in page  # plotly.js French month names, embedded
        assert re.search(r"\d\u202f\d{3}", page)  # thin space between thousands
        assert "Pourquoi : parc ou méthode" in page
    else:
        assert "Annual review" in page and "Plotly.register(module.exports)" not in page


def test_chart_data_table_holds_every_criterion(town):
    from reports.review_page import groups_figure

    views = figure_views(groups_figure(town.review, "category", Labels("en")))
    assert [label for label, _, _ in views] == ["Greenhouse gases", "Electricity", "Water",
                                                "Rare materials (ADPe)", "Primary energy"]
    label, rows, series = views[0]
    table = town.review.groups["category"]["gwp"]
    top = table["change"].abs().idxmax()
    assert Labels("en").category(top) == rows[0]
    estate = dict(series)["Estate"][0]
    assert estate == pytest.approx((table.loc[top, "change"] - table.loc[top, "method"]) / 1000)


def test_french_locale_asset_is_vendored_with_its_licence():
    text = locale_fr_js()
    assert "name: 'fr'" in text and "decimal: ','" in text
    assert (ROOT / "reports" / "assets" / "LICENSE-plotly.js-locales.txt").read_text().startswith("MIT License")
    assert "plotly.js-locales" in (ROOT / "reports" / "assets" / "README.md").read_text()


def test_cli_same_inventory_gives_zero_change(capsys):
    code, out, err = run(["review", str(SMALL), "--baseline", str(SMALL), "--date", "2026-01-15", "-q",
                          "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["method_status"] == "same"
    assert all(row["change"] == 0.0 for row in data["totals"].values() if row["current"] is not None)
    assert data["totals"]["adpe"]["change"] is None  # no ADPe factor for some devices: unknown, not 0
    assert data["match_rules"]["id"] == 25


def test_cli_town_review_writes_the_page(tmp_path, capsys):
    page = tmp_path / "bilan.html"
    targets = EXAMPLES / "ville-exemple" / "objectifs.yaml"
    code, out, err = run(["review", str(TOWN), "--baseline", str(TOWN_2025), "--country", "FR", "--date",
                          "2026-01-15", "--lang", "fr", "-o", str(page), "-q", "--inhabitants", "30000",
                          "--targets", str(targets)], capsys)
    assert code == 0, err
    assert "Method change: same" in out and "Devices: 142 added, 60 removed" in out
    assert f"Review written to {page}" in out
    assert page.stat().st_size <= MAX_PAGE_BYTES
    text = page.read_text(encoding="utf-8")
    assert "Durée de vie moyenne des portables ≥ 6 ans" in text and "Aucun fichier d’objectifs" not in text
    # the town has no reused/refurbished column: that objective cannot be measured
    row = text.split("Part des achats de réemploi ou reconditionnés ≥ 20 %")[1].split("</tr>")[0]
    assert "non disponible" in row


def test_recommendation_titles_follow_the_language():
    from reports.page_i18n import action_title

    assert action_title(Labels("fr"), "extend-lifetimes", "Extend device lifetimes") == \
        "Allonger la durée de vie des équipements"
    assert action_title(Labels("en"), "extend-lifetimes", "Extend device lifetimes") == "Extend device lifetimes"
    assert action_title(Labels("fr"), "unknown-action", "As given") == "As given"


def test_cli_results_with_incompatible_version_exit_2(tmp_path, capsys):
    import pandas as pd

    results = tmp_path / "r.csv"
    code, _, err = run(["assess", str(SMALL), "--date", "2026-01-15", "-q", "-o", str(results)], capsys)
    assert code == 0, err
    frame = pd.read_csv(results)
    frame["tool_version"] = "9.0.0"
    frame.to_csv(results, index=False)
    code, out, err = run(["review", str(SMALL), "--baseline", str(results), "-q"], capsys)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert str(results) in err and "'9.0.0'" in err and "incompatible" in err


def test_cli_no_item_in_common_warns_and_still_reviews(tmp_path, capsys):
    import pandas as pd

    other = pd.read_csv(SMALL).assign(id=lambda f: "x-" + f["id"], name=lambda f: "x " + f["name"])
    path = tmp_path / "other.csv"
    other.to_csv(path, index=False)
    code, out, err = run(["review", str(path), "--baseline", str(SMALL), "--date", "2026-01-15", "-q"], capsys)
    assert code == 0
    assert "warning: no item in common" in err
    assert "Matched by: id 0, serial_number 0, name+model 0" in out


def test_cli_refuses_to_overwrite_an_input(capsys):
    code, _, err = run(["review", str(SMALL), "--baseline", str(SMALL), "-o", str(SMALL), "-q"], capsys)
    assert code == 2 and "is an input file" in err


def test_report_with_baseline_has_the_review_section(tmp_path, capsys):
    page = tmp_path / "rapport.html"
    code, _, err = run(["report", str(SMALL), "--baseline", str(SMALL), "--date", "2026-01-15", "-q",
                        "--lang", "fr", "-o", str(page)], capsys)
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert '<section id="review">' in text and "Bilan annuel" in text and '<section id="review-why"><h3>' in text
    ids = re.findall(r'<div class="chart" id="(chart-\d+)">', text)
    assert len(ids) == len(set(ids))  # dashboard and review charts share one numbering


def test_factor_pack_update_through_files_is_method_change_only(tmp_path, library):
    """Last year's results file (old factors) + last year's inventory, re-assessed with new factors."""
    import shutil

    import pandas as pd

    from auditor.api import assess_files
    from auditor.cli_review import prepare_review
    from factors.tables import DATA_DIR, FactorLibrary
    from reports.exports import write_results

    pack = tmp_path / "factors-2027"
    pack.mkdir()
    for path in DATA_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, pack / path.name)
    table = pd.read_csv(pack / "electricity.csv", dtype=str, keep_default_na=False)
    gwp = table["criterion"] == "gwp"
    for column in ("value", "low", "high"):
        table.loc[gwp, column] = (table.loc[gwp, column].astype(float) * 0.5).map(repr)
    table.to_csv(pack / "electricity.csv", index=False)
    previous, _ = assess_files([SMALL], today=TODAY, library=library)
    results_file = write_results(previous, tmp_path / "results-2025.csv") or tmp_path / "results-2025.csv"
    inputs = prepare_review([SMALL], [SMALL, results_file], today=TODAY, library=FactorLibrary(pack))
    review = inputs.review
    assert review.method_status == "separated"
    assert review.versions["baseline"] != review.versions["current"]
    totals = review.totals
    assert totals.loc["gwp", "method"] < 0  # electricity GHG factors halved
    for part in ("added", "removed", "quantity", "lifetime", "usage", "moved"):
        assert totals[part].abs().max() <= 1e-9 * totals["current"].abs().max(), part
    assert totals.loc["gwp", "method"] == pytest.approx(totals.loc["gwp", "change"], rel=1e-9)
    assert totals.loc["gwp", "change"] == pytest.approx(
        -0.5 * previous["gwp_use_kgco2e_per_year"].sum(), rel=1e-9)


def test_french_report_has_french_reasons_and_recommendations(tmp_path):
    """`auditor report --lang fr`: the scores' reasons and the recommendations' explanations are
    written in French (the texts of `score(lang="fr")` and `recommend(lang="fr")`), not in English."""
    from auditor.api import assess_inventories
    from auditor.recommend import recommend

    inventory = ROOT / "examples" / "small-inventory.csv"
    done = assess_inventories([inventory], country="FR", today=TODAY, lang="fr")
    english = assess_inventories([inventory], country="FR", today=TODAY)
    assert (done.results["obsolescence_reasons"].astype(str)
            != english.results["obsolescence_reasons"].astype(str)).any()
    french = recommend(done.table, done.results, done.library, done.options, lang="fr")
    assert french
    out = tmp_path / "rapport.html"
    assert main(["report", str(inventory), "--country", "FR", "--lang", "fr", "--date", TODAY.isoformat(),
                 "-q", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert html.escape(french[0]["explanation"]) in page
    english_first = recommend(english.table, english.results, english.library, english.options)[0]
    assert html.escape(english_first["explanation"]) not in page


def test_first_review_without_previous_year_gives_this_year_and_the_targets(tmp_path, capsys):
    """A town's first REEN review has no previous year: this year's totals (the sums of its
    results), the indicators against the targets, and nothing compared (unknown, never 0)."""
    from auditor.api import assess_inventories
    from auditor.results import total_column

    results = assess_inventories([SMALL], country="FR", today=TODAY).results
    page = tmp_path / "premier-bilan.html"
    targets = tmp_path / "objectifs.yaml"
    targets.write_text("objectives:\n  - indicator: gwp\n    reduction: 20 %\n    by: 2030\n"
                       "  - indicator: gwp\n    max: 1\n")
    code, out, err = run(["review", str(SMALL), "--date", TODAY.isoformat(), "-q", "--format", "json",
                          "--lang", "fr", "-o", str(page), "--targets", str(targets)], capsys)
    assert code == 0, err
    data = json.loads(out.split("\nReview written to")[0])
    assert data["method_status"] == "first_review" and data["baseline_files"] == []
    for criterion in ("energy", "gwp", "water"):
        row = data["totals"][criterion]
        assert row["current"] == pytest.approx(results[total_column(criterion)].sum(), rel=1e-12)
        assert row["baseline"] is None and row["change"] is None and row["added"] is None
    by_key = {(i["indicator"], i["status"]) for i in data["indicators"]}
    # a reduction needs a base value (none without a previous year); a ceiling can be judged now
    assert ("gwp", "not_available") in by_key and ("gwp", "not_met") in by_key
    text = page.read_text(encoding="utf-8")
    assert "Premier bilan" in text and ">nan<" not in text.lower() and "NaN" not in text.split("<script>")[0]
    assert "L’empreinte de cette année" in text and "Ce qui a changé" not in text
