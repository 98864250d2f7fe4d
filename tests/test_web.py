"""Web services without a browser: EcoIndex reference examples, HAR and journey files, checks,
registrable domains, and the yearly footprint of web_service inventory rows.

Expected EcoIndex values are the published reference examples of the method's reference
implementation (cnumr/ecoindex_python_fullstack, ``test/components/ecoindex/compute/
test_ecoindex.py``); other expected values are hand calculations shown next to them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.cli import main
from auditor.web.checks import run_checks, tracker_of
from auditor.web.domains import domain_of_url, registrable_domain
from auditor.web.ecoindex import ecoindex, ecoindex_grade, parameters, quantile_position
from auditor.web.footprint import hosting_shares, parse_hosted_on
from auditor.web.pages import page_result
from probes.web import HarError, count_dom_elements, read_har
from tests.conftest import TODAY

DATA = Path(__file__).parent / "data" / "web"


# ------------------------------------------------------------------------------ EcoIndex method

@pytest.mark.parametrize("dom, requests, size_kb, score", [
    (100, 100, 100, 72), (100, 100, 1000, 67), (100, 100, 10000, 58), (200, 200, 10000, 46),
    (2355, 267, 2493, 10), (240, 20, 331, 83), (2240, 100, 310182.902, 16),
])
def test_published_reference_scores(dom, requests, size_kb, score):
    assert ecoindex(dom, requests, size_kb)["ecoindex_score"] == score


def test_published_reference_examples_in_full():
    assert ecoindex(100, 100, 100) == {"ecoindex_score": 72, "ecoindex_grade": "B",
                                       "ghg_g_per_view": 1.56, "water_cl_per_view": 2.34}
    assert ecoindex(2240, 100, 310182.902) == {"ecoindex_score": 16, "ecoindex_grade": "F",
                                               "ghg_g_per_view": 2.68, "water_cl_per_view": 4.02}


def test_quantile_positions_of_the_reference_and_by_hand():
    p = parameters()
    # reference: size 2500 -> 14.086372025739513, dom 150 -> 2.892857142857143, req 23 -> 2.8
    assert quantile_position(np.array([2500.0]), p.size_kb)[0] == pytest.approx(14.086372025739513, abs=1e-12)
    # by hand: 150 lies between 75 (bound 2) and 159 (bound 3): 2 + 75/84
    assert quantile_position(np.array([150.0]), p.dom)[0] == pytest.approx(2 + 75 / 84, abs=1e-12)
    assert quantile_position(np.array([23.0]), p.requests)[0] == pytest.approx(2.8, abs=1e-12)
    # at or beyond the last bound: 20; zero: 0; a value equal to a bound: that bound's index
    assert list(quantile_position(np.array([594601.0, 1e9, 0.0, 47.0]), p.dom)) == [20.0, 20.0, 0.0, 1.0]


def test_grades_are_strict_and_match_the_reference():
    # reference: 2 -> G, 25 -> F, 10 -> G, 50.2 -> D, 100 -> A; boundaries by the strict rule
    scores = np.array([2, 25, 10, 50.2, 100, 80, 80.5, 70, 55, 40, 0, np.nan])
    assert list(ecoindex_grade(scores)) == ["G", "F", "G", "D", "A", "B", "A", "C", "D", "E", "G", None]


def test_ghg_and_water_per_view_of_the_reference():
    from auditor.web.ecoindex import ghg_g_per_view, water_cl_per_view

    scores = np.array([2.0, 10.0, 50.0, 70.0])
    assert list(ghg_g_per_view(scores)) == [2.96, 2.8, 2.0, 1.6]
    assert list(water_cl_per_view(scores)) == [4.44, 4.2, 3.0, 2.4]


def test_every_ecoindex_parameter_has_a_source():
    import csv
    from importlib.resources import files

    for name in ("ecoindex.csv", "web-checks.csv"):
        rows = list(csv.DictReader(files("auditor.data").joinpath(name).read_text(encoding="utf-8").splitlines()))
        assert rows and all(r["source"].strip() and r["year"].strip() and r["licence"].strip() for r in rows)
    assert len(parameters().dom) == len(parameters().requests) == len(parameters().size_kb) == 21


def test_cli_score_json_has_the_four_keys(capsys):
    assert main(["web", "score", "--dom", "100", "--requests", "100", "--size-kb", "100", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ecoindex_score": 72, "ecoindex_grade": "B", "ghg_g_per_view": 1.56, "water_cl_per_view": 2.34}


def test_cli_score_table(capsys):
    assert main(["web", "score", "--dom", "240", "--requests", "20", "--size-kb", "331"]) == 0
    assert capsys.readouterr().out == "EcoIndex 83 (A): 1.34 gCO2e and 2.01 cl of water per view\n"


# ------------------------------------------------------------------------------- domains, DOM

@pytest.mark.parametrize("host, domain", [
    ("www.ville.example", "ville.example"), ("demarches.paris.gouv.fr", "paris.gouv.fr"),
    ("a.b.council.co.uk", "council.co.uk"), ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
    ("WWW.Ville.FR.", "ville.fr"), ("user.github.io", "user.github.io"), ("", ""),
])
def test_registrable_domains(host, domain):
    assert registrable_domain(host) == domain


def test_domain_of_urls():
    assert domain_of_url("https://cdn.tiers.example:8443/x.js") == "tiers.example"
    assert domain_of_url("file:///tmp/x.html") == "(local file)"


def test_dom_count_excludes_svg_children_and_adds_implied_elements():
    # html head body (implied) + p + svg (its g, circle and the nested svg's rect are excluded) + br
    assert count_dom_elements("<p>a</p><svg><g><circle/></g><svg><rect/></svg></svg><br>") == 6
    # explicit document: html head title body div span img = 7
    assert count_dom_elements("<!DOCTYPE html><html><head><title>t</title></head>"
                              "<body><div><span>x</span><img src=a></div></body></html>") == 7


def test_trackers_match_subdomains_only():
    assert tracker_of("https://www.google-analytics.com/g/collect") == "Google"
    assert tracker_of("https://stats.example/google-analytics.com.js") is None


# ----------------------------------------------------------------------------------- HAR files

def test_har_with_content_gives_dom_requests_and_bytes():
    (page,) = read_har(DATA / "portail.har")
    # 5 entries, the blocked one (status 0) is not a request; bytes: _transferSize of the 4 others
    assert len(page["requests"]) == 4
    assert sum(r["transfer_bytes"] for r in page["requests"]) == 5000 + 3000 + 12000 + 20000
    # html head title link body main h1 p a svg img br (svg's g and path excluded) = 12
    assert page["dom_elements"] == 12
    result = page_result(page)
    assert result["transfer_kb"] == 40.0
    assert result["ecoindex_score"] == ecoindex(12, 4, 40.0)["ecoindex_score"]
    assert result["third_party_domains"] == [
        {"domain": "example.net", "requests": 1, "transfer_kb": 12.0},
        {"domain": "google-analytics.com", "requests": 1, "transfer_kb": 20.0}]
    checks = {c["id"]: c for c in result["checks"]}
    assert checks["4.4"]["passed"] is False and "Google" in checks["4.4"]["evidence"]
    assert checks["6.3"]["passed"] is False and "s.css" in checks["6.3"]["evidence"]  # 3000 B, no encoding
    assert checks["6.2"]["passed"] is True
    assert checks["6.4"]["passed"] is None and checks["4.1"]["passed"] is None  # not in a HAR
    assert checks["6.7"]["passed"] is False


def test_har_without_content_has_unknown_dom_and_no_score():
    (page,) = read_har(DATA / "no-content.har")
    # bodySize + headersSize: 4000 + 300 and 1000 + 200
    assert [r["transfer_bytes"] for r in page["requests"]] == [4300.0, 1200.0]
    result = page_result(page)
    assert result["dom_elements"] is None and result["ecoindex_score"] is None
    assert "DOM unknown" in result["ecoindex_note"]
    assert result["requests"] == 2 and result["transfer_kb"] == 5.5


def _har(tmp_path, entries):
    path = tmp_path / "page.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "pages": [{"id": "p1", "title": "Mairie"}],
                                        "entries": [{"pageref": "p1", **e} for e in entries]}}))
    return path


def test_har_page_is_the_document_after_its_redirect_and_a_404_is_a_failed_page(tmp_path):
    """A redirect often carries a small text/html body ("Moved"): the page is the document it
    leads to (its URL, status and DOM), never the redirect's body."""
    body = "<!DOCTYPE html><html><head><title>x</title></head><body>" + "<p>a</p>" * 50 + "</body></html>"
    encoded = base64.b64encode(body.encode("latin-1")).decode()
    moved = {"request": {"url": "http://ville.test/"},
             "response": {"status": 301, "headers": [{"name": "Location", "value": "/accueil"}],
                          "content": {"mimeType": "text/html", "text": "<html><body>Moved</body></html>"},
                          "_transferSize": 300}}
    page = {"request": {"url": "http://ville.test/accueil"},
            "response": {"status": 200, "content": {"mimeType": "text/html; charset=iso-8859-1",
                                                    "text": encoded, "encoding": "base64"},
                         "_transferSize": 2000}}
    (record,) = read_har(_har(tmp_path, [moved, page]))
    # html head title body + 50 p = 54; both entries are requests (the redirect with its bytes)
    assert record["dom_elements"] == 54 and record["url"] == "http://ville.test/accueil"
    assert len(record["requests"]) == 2 and record["error"] is None
    missing = {**page, "response": {**page["response"], "status": 404}}
    (record,) = read_har(_har(tmp_path, [moved, missing]))
    assert record["error"] == "HTTP 404" and page_result(record)["ecoindex_score"] is None


@pytest.mark.parametrize("name, where", [("bad-entry.har", "entry 1: has no request.url"),
                                         ("not-json.har", "not valid JSON (line 3")])
def test_malformed_har_exits_2_naming_file_and_entry(name, where, capsys):
    assert main(["web", "measure", "--har", str(DATA / name)]) == 2
    err = capsys.readouterr().err
    assert name in err and where in err and "Traceback" not in err
    with pytest.raises(HarError):
        read_har(DATA / name)


def test_har_of_1000_entries(tmp_path):
    entry = json.loads((DATA / "portail.har").read_text())["log"]["entries"][1]
    har = {"log": {"version": "1.2", "entries": [entry] * 1000}}
    path = tmp_path / "big.har"
    path.write_text(json.dumps(har))
    (page,) = read_har(path)
    assert len(page["requests"]) == 1000 and page["dom_elements"] is None


def test_non_web_url_is_refused(capsys):
    assert main(["web", "measure", "ftp://files.ville.example/"]) == 2
    assert "only http, https and file URLs" in capsys.readouterr().err


def test_pages_csv_is_written(tmp_path, capsys):
    out = tmp_path / "pages.csv"
    assert main(["web", "measure", "--har", str(DATA / "portail.har"), "-o", str(out), "--format", "json"]) == 0
    table = pd.read_csv(out)
    assert list(table["requests"]) == [4] and table.loc[0, "checks_failed"] == "6.3; 4.4; 6.7"
    assert json.loads(capsys.readouterr().out)[0]["dom_elements"] == 12


# ------------------------------------------------------------------------------------ journeys

@pytest.mark.parametrize("text, line", [
    ("steps:\n  - url: https://a.example/\n  - clik: '#x'\n", 3),
    ("steps:\n  - url: https://a.example/\n  - url: [unclosed\n", 4),
    ("- url: gopher://a.example/\n", 1),
    ("- click: '#go'\n", 1),
    ("name: x\n", 1),
])
def test_malformed_journey_exits_2_with_its_line(write, capsys, text, line):
    path = write("j.yaml", text)
    assert main(["web", "measure", "--journey", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"j.yaml, line {line}" in err and "Traceback" not in err


def test_journey_steps(write):
    from auditor.web.journey import read_journey

    path = write("j.yaml", "name: démarche\nsteps:\n  - url: http://127.0.0.1/\n  - click: 'a#next'\n")
    assert read_journey(path) == [{"url": "http://127.0.0.1/"}, {"click": "a#next"}]


# -------------------------------------------------------------------------------------- checks

def _record(requests, **kw):
    base = {"url": "https://www.ville.example/", "final_url": "https://www.ville.example/", "source": "browser",
            "error": None, "dom_elements": 100, "requests": requests, "images": [], "media": []}
    return {**base, **kw}


def _req(url, mime, nbytes, headers=None, type_="", phase="load"):
    return {"url": url, "status": 200, "mime": mime, "type": type_, "headers": headers or {},
            "transfer_bytes": nbytes, "phase": phase}


def test_font_check_allows_four_files_not_five():
    fonts = [_req(f"https://www.ville.example/f{i}.woff2", "font/woff2", 20000, {"etag": "x"}) for i in range(5)]
    four = {c["id"]: c for c in run_checks(_record(fonts[:4]), 80.0, "ville.example")}
    five = {c["id"]: c for c in run_checks(_record(fonts), 100.0, "ville.example")}
    assert four["4.8"]["passed"] is True and five["4.8"]["passed"] is False
    assert "5 font files downloaded (100 kB" in five["4.8"]["evidence"]


def test_tracker_after_interaction_passes_4_4_and_legacy_images_fail_5_1():
    reqs = [_req("https://www.google-analytics.com/collect", "text/plain", 100, phase="after interaction"),
            _req("https://www.ville.example/a.jpg", "image/jpeg", 10_000, {"etag": "1"}),
            _req("https://www.ville.example/b.png", "image/png", 9_999, {"etag": "1"}),
            _req("https://www.ville.example/c.avif", "image/avif", 90_000, {"etag": "1"})]
    checks = {c["id"]: c for c in run_checks(_record(reqs), 110.0, "ville.example")}
    assert checks["4.4"]["passed"] is True
    assert checks["5.1"]["passed"] is False and "a.jpg" in checks["5.1"]["evidence"]
    assert "b.png" not in checks["5.1"]["evidence"]  # under 10 kB


def test_weight_and_request_limit_6_1_at_the_targets():
    reqs = [_req(f"https://www.ville.example/{i}", "text/html", 1000) for i in range(40)]
    assert {c["id"]: c["passed"] for c in run_checks(_record(reqs), 1024.0, "ville.example")}["6.1"] is True
    reqs.append(_req("https://www.ville.example/x", "text/html", 1000))
    assert {c["id"]: c["passed"] for c in run_checks(_record(reqs), 1024.0, "ville.example")}["6.1"] is False


def test_autoplay_and_oversized_images():
    rec = _record([], media=[{"tag": "video", "autoplay": True, "playing": False}],
                  images=[{"src": "big.jpg", "natural_w": 2000, "natural_h": 1000, "shown_w": 400, "shown_h": 200},
                          {"src": "ok.jpg", "natural_w": 800, "natural_h": 400, "shown_w": 400, "shown_h": 200}])
    checks = {c["id"]: c for c in run_checks(rec, 0.0, "ville.example")}
    assert checks["4.1"]["passed"] is False
    assert checks["6.4"]["passed"] is False and "big.jpg" in checks["6.4"]["evidence"]
    assert "ok.jpg" not in checks["6.4"]["evidence"]


# ---------------------------------------------------------------------- web_service footprint

def test_hosted_on_parsing():
    assert parse_hosted_on("srv-1:0.5; srv-2") == [("srv-1", 0.5), ("srv-2", None)]
    assert parse_hosted_on("srv-1: 25 %, srv-3") == [("srv-1", 0.25), ("srv-3", None)]
    assert parse_hosted_on(None) == []


def test_hosting_shares_declared_then_even_split():
    # srv-1: A declares 0.5, B and C share the other half; srv-2: A alone; srv-9 unknown
    shares, notes = hosting_shares(np.array([0, 1, 2]),
                                   np.array(["srv-1:0.5; srv-2", "srv-1", "srv-1; srv-9"], dtype=object),
                                   {"srv-1", "srv-2"})
    assert shares == {0: [("srv-1", 0.5), ("srv-2", 1.0)], 1: [("srv-1", 0.25)], 2: [("srv-1", 0.25)]}
    assert "srv-9" in notes[2][0]


def test_overdeclared_shares_are_scaled_to_the_whole_server():
    shares, notes = hosting_shares(np.array([0, 1]), np.array(["s:0.8", "s:0.6"], dtype=object), {"s"})
    assert shares[0][0][1] == pytest.approx(0.8 / 1.4) and shares[1][0][1] == pytest.approx(0.6 / 1.4)
    assert "add up to 140%" in notes[0][0]


INVENTORY = """id;category;name;url;monthly_visits;hosted_on;dom_elements;requests;transfer_kb
srv-1;server;Serveur web;;;;;;
web-1;service web;Portail;https://www.ville.example/;50000;srv-1:0.5;100;100;100
web-2;web_service;Médiathèque;;10000;srv-1;;;
pc-1;laptop;PC;;;;;;
"""


def test_web_rows_get_footprint_score_and_hosting_without_double_counting(write, library):
    from auditor.api import assess_inventories

    done = assess_inventories([write("inv.csv", INVENTORY)], country="FR", today=TODAY, library=library)
    r = done.results.set_index("id")
    # EcoIndex 72 (B) -> 1.56 gCO2e and 2.34 cl per view; 50,000 x 12 = 600,000 views per year
    assert r.loc["web-1", "web_views_per_year"] == 600_000
    assert r.loc["web-1", "gwp_total_kgco2e_per_year"] == pytest.approx(1.56 * 600_000 / 1000)
    assert r.loc["web-1", "water_total_m3_per_year"] == pytest.approx(2.34 * 600_000 / 100_000)
    assert r.loc["web-1", "sobriety_score"] == 72 and r.loc["web-1", "sobriety_grade"] == "B"
    assert "EcoIndex 72 (B)" in r.loc["web-1", "sobriety_reasons"]
    # not measured: no score, no footprint, and the reason says how to measure
    assert np.isnan(r.loc["web-2", "sobriety_score"]) and np.isnan(r.loc["web-2", "gwp_total_kgco2e_per_year"])
    assert "auditor web measure --inventory" in r.loc["web-2", "sobriety_reasons"]
    # hosting: web-1 declared half of srv-1, web-2 takes the other half; both in hosting_* only
    server = r.loc["srv-1", "gwp_total_kgco2e_per_year"]
    assert r.loc["web-1", "hosting_gwp_kgco2e_per_year"] == pytest.approx(0.5 * server)
    assert r.loc["web-2", "hosting_gwp_kgco2e_per_year"] == pytest.approx(0.5 * server)
    hardware = r.loc[["srv-1", "pc-1"], "gwp_total_kgco2e_per_year"].sum()
    assert done.results["gwp_total_kgco2e_per_year"].sum() == pytest.approx(hardware + 1.56 * 600)
    # rows keep the inventory's order; web rows have no hardware scores
    assert list(done.results["id"]) == ["srv-1", "web-1", "web-2", "pc-1"]
    assert r.loc["web-1", "repairability_source"] == "unavailable"


def test_the_dead_web_branch_is_gone_from_the_hardware_path(write, library):
    """The old sobriety branch for web rows was unreachable (no inventory could hold one); now an
    inventory of web services alone is assessed by the web path and the hardware scorer never
    sees a web row."""
    from auditor.api import assess_inventories

    text = "id;category;monthly_visits;dom_elements;requests;transfer_kb\nw;site web;1000;240;20;331\n"
    done = assess_inventories([write("only-web.csv", text)], country="FR", today=TODAY, library=library)
    assert done.results.loc[0, "sobriety_score"] == 83 and done.results.loc[0, "sobriety_grade"] == "A"
    assert done.results.loc[0, "gwp_total_kgco2e_per_year"] == pytest.approx(1.34 * 12_000 / 1000)


def test_10000_web_rows_assess(library):
    from auditor.inventory import table_from_records
    from auditor.web.footprint import web_results

    records = [{"id": f"w{i}", "category": "web_service", "monthly_visits": 1000 + i, "dom_elements": i % 3000,
                "requests": i % 200, "transfer_kb": float(i), "hosted_on": "srv-1"} for i in range(10_000)]
    table = table_from_records(records, country="FR", today=TODAY, library=library, name="bench")
    assert (table["category"] == "web_service").all()
    out = web_results(table, pd.DataFrame(), table.iloc[:0], ["id", "sobriety_score", "gwp_total_kgco2e_per_year"])
    assert len(out) == 10_000 and out["sobriety_score"].between(0, 100).all()


def test_a_missing_browser_is_bad_input(capsys, monkeypatch):
    monkeypatch.delenv("AUDITOR_CHROMIUM", raising=False)
    assert main(["web", "measure", "http://127.0.0.1:9/", "--browser", "/nonexistent/chromium"]) == 2
    assert "browser '/nonexistent/chromium' not found" in capsys.readouterr().err
    monkeypatch.setenv("AUDITOR_CHROMIUM", "/nonexistent/chrome")
    assert main(["web", "measure", "http://127.0.0.1:9/"]) == 2
    assert "'/nonexistent/chrome' not found" in capsys.readouterr().err


def test_nothing_to_measure_and_pages_that_are_not_json(write, capsys):
    assert main(["web", "measure"]) == 2
    assert "nothing to measure" in capsys.readouterr().err
    from auditor.errors import InputError
    from auditor.web.pages import read_pages

    with pytest.raises(InputError, match="entry 0"):
        read_pages(write("p.json", '[{"nourl": 1}]'))


def test_dashboard_web_panel_shows_grades_third_parties_and_failed_checks(write, library):
    from auditor.api import assess_inventories
    from reports.dashboard import build_dashboard
    from reports.web_panel import failed_checks, grade_counts, third_party_table

    done = assess_inventories([write("inv.csv", INVENTORY)], country="FR", today=TODAY, library=library)
    pages = [page_result(r) for r in read_har(DATA / "portail.har")]
    # grades: web-1 is B (72), web-2 not measured; the HAR page (12, 4, 40 kB) is A
    assert grade_counts(done.results, pages).to_dict() == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 0, "F": 0, "G": 0}
    assert third_party_table(pages)[["domain", "pages", "requests"]].values.tolist() == [
        ["example.net", 1, 1], ["google-analytics.com", 1, 1]]
    assert failed_checks(pages)["id"].tolist() == ["4.4", "6.3", "6.7"]
    page = build_dashboard(done.results, assessment_date=TODAY, library=library, web_pages=pages)
    section = page[page.index('<section id="web">'):]
    section = section[:section.index("</section>")]
    assert "50% of the 4 requests of 1 measured pages go to other domains" in section
    assert "google-analytics.com" in section and "4.4 the user decides" in section
    assert "1 / 1" in section  # each failed check fails on the one measured page


def test_dashboard_without_web_services_says_so(library):
    from reports.web_panel import web_panel

    results = pd.DataFrame({"category": ["laptop"]})
    html = web_panel(results, None, "fr", lambda *a, **k: "", lambda *a: "", lambda *a: "")
    assert "Aucun service web" in html


def test_a_web_service_does_not_hide_the_estates_energy_total(write, library):
    """EcoIndex gives a web service GHG and water per view, no energy, ADPe or primary energy of
    its own (its servers carry theirs, on their own rows): the estate's totals of those criteria
    are the other rows' sums, not unknown; the summary prints no 'nan'."""
    from auditor.api import assess_inventories
    from auditor.results import total_column
    from auditor.summary import format_summary, totals

    measured_only = INVENTORY.replace("web-2;web_service;Médiathèque;;10000;srv-1;;;\n", "")
    done = assess_inventories([write("inv.csv", measured_only)], country="FR", today=TODAY, library=library)
    results = done.results
    hardware = results[results["category"] != "web_service"]
    t = totals(results)
    assert t.loc["energy", "value"] == pytest.approx(hardware["energy_kwh_per_year"].sum(), rel=1e-12)
    assert t.loc["energy", "high"] == pytest.approx(hardware[total_column("energy", "high")].sum(), rel=1e-12)
    assert t.loc["gwp", "value"] == pytest.approx(results[total_column("gwp")].sum(), rel=1e-12)
    text = format_summary(results)
    assert "nan" not in text.lower()
    assert "web services" in text.lower()  # the summary says what their figures cover


def test_dashboard_names_the_pages_that_failed_and_prints_no_nan(write, library):
    from auditor.api import assess_inventories
    from reports.dashboard import build_dashboard

    done = assess_inventories([write("inv.csv", INVENTORY)], country="FR", today=TODAY, library=library)
    pages = [page_result(r) for r in read_har(DATA / "portail.har")]
    pages += [page_result({"url": "https://www.ville.example/vieux", "error": "HTTP 404", "requests": []}),
              page_result({"url": "https://www.ville.example/plan.pdf", "error": "not an HTML page", "requests": []})]
    page = build_dashboard(done.results, assessment_date=TODAY, library=library, web_pages=pages)
    section = page[page.index('<section id="web">'):]
    section = section[:section.index("</section>")]
    assert "2 of the 3 pages" in section and "https://www.ville.example/vieux" in section
    assert ">nan<" not in page  # a web row's energy source in the top items


def test_a_file_url_of_a_folder_or_missing_file_is_refused_before_measuring(tmp_path, capsys):
    """Chromium shows a folder as a generated listing page, which would get an EcoIndex of its own."""
    from probes.web import check_url

    assert "is a folder" in check_url(tmp_path.as_uri())
    assert "no such file" in check_url((tmp_path / "absent.html").as_uri())
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>")
    assert check_url(page.as_uri()) is None
    assert main(["web", "measure", tmp_path.as_uri(), "-q"]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_hosted_on_an_unknown_server_is_a_warning_and_no_share(write, library):
    """hosted_on naming no inventory server: the share is unknown (not 0) and the row's warnings
    say so (it was only in the sobriety reasons)."""
    from auditor.api import assess_inventories

    text = INVENTORY.replace("srv-1:0.5", "srv-9")  # web-1 now names a server not in the inventory
    done = assess_inventories([write("inv.csv", text)], country="FR", today=TODAY, library=library)
    r = done.results.set_index("id")
    assert np.isnan(r.loc["web-1", "hosting_gwp_kgco2e_per_year"])
    assert "srv-9" in str(r.loc["web-1", "warnings"])
    # web-2 (hosted_on srv-1) now has the whole server to itself
    assert r.loc["web-2", "hosting_gwp_kgco2e_per_year"] == pytest.approx(r.loc["srv-1", "gwp_total_kgco2e_per_year"])


def test_a_har_not_in_utf8_is_bad_input_named_not_an_internal_error(tmp_path, capsys):
    har = {"log": {"version": "1.2", "entries": [{"request": {"url": "http://v.test/"},
                                                  "response": {"status": 200, "content": {"text": "été"}}}]}}
    path = tmp_path / "latin.har"
    path.write_bytes(json.dumps(har, ensure_ascii=False).encode("latin-1"))
    assert main(["web", "measure", "--har", str(path), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "latin.har" in err[0] and "UTF-8" in err[0]


def test_a_url_without_scheme_says_what_to_write(tmp_path, monkeypatch):
    from probes.web import check_url

    monkeypatch.chdir(tmp_path)
    (tmp_path / "index.html").write_text("<p>x</p>")
    assert (tmp_path / "index.html").as_uri() in check_url("index.html")  # a local file: its file URL
    assert "https://www.ville.fr" in check_url("www.ville.fr")  # a host name: the https URL
