"""Methods: the French reference figures side by side with the manufacturers' footprints."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.methods import method_spread
from factors.tables import FactorLibrary
from tests.test_footprint import run
from tests.test_packs import HEADER


def test_ademe_method_uses_the_ademe_arcep_figures(library):
    ademe = FactorLibrary(method="ademe")
    results = run([{"category": "laptop"}, {"category": "monitor", "screen_size_in": 24},
                   {"category": "server"}], ademe)
    # ADEME-Arcep 2022 via Impact CO2: laptop 185.4, 24" monitor 69.8 kgCO2e (no per-inch term)
    assert results["gwp_embodied_kgco2e"].iloc[0] == pytest.approx(185.4)
    assert results["gwp_embodied_kgco2e"].iloc[1] == pytest.approx(69.8)
    # no open ADEME figure for servers: the packaged table row stays (not the calibrated model)
    assert "embodied-model:server" not in results["factor_ids"].iloc[2]
    assert ademe.fingerprint() != library.fingerprint()


def test_the_spread_is_zero_when_two_methods_share_every_factor(tmp_path):
    # a "method" that restates one packaged row with the same numbers shares every factor
    base = FactorLibrary()
    row = base.embodied.set_index("id").loc["emb-printer-gwp-device"]
    pack = tmp_path / "same"
    pack.mkdir()
    (pack / "embodied.csv").write_text(
        HEADER + f"emb-printer-gwp-device,printer,gwp,device,{float(row['value'])!r},{float(row['low'])!r},"
                 f"{float(row['high'])!r},kgCO2e,restated,,user-supplied,2025,\n", encoding="utf-8")
    same = FactorLibrary(packs=[pack])
    rows = [{"category": c} for c in ("laptop", "printer", "server", "monitor")]
    a, b = run(rows, base), run(rows, same)
    spread = method_spread({"pcf": a, "copy": b})
    assert (spread.loc[["gwp", "water"], "spread"] == 0).all()
    assert (spread.loc[["gwp", "water"], "spread_pct"] == 0).all()


def test_the_spread_is_max_minus_min_over_min():
    def results(gwp):
        frame = run([{"category": "printer"}], FactorLibrary())
        scale = gwp / frame["gwp_total_kgco2e_per_year"].iloc[0]
        frame[[c for c in frame.columns if c.startswith("gwp_") and c.endswith(("year", "_low", "_high"))
               and "per_year" in c]] *= scale
        return frame

    spread = method_spread({"a": results(100.0), "b": results(150.0)})
    assert spread.loc["gwp", "spread"] == pytest.approx(50.0)
    assert spread.loc["gwp", "spread_pct"] == pytest.approx(50.0)


def test_assess_compare_methods_adds_the_spread(tmp_path):
    from auditor.api import compare_methods

    inventory = tmp_path / "inv.csv"
    inventory.write_text("category,quantity\nlaptop,10\nmonitor,10\n", encoding="utf-8")
    try:
        out = CliRunner().invoke(cli, ["assess", str(inventory), "--country", "FR", "-q",
                                       "--compare-methods"])
    finally:
        compare_methods(False)
    assert out.exit_code == 0, out.output
    assert "Method spread" in out.output and "ademe" in out.output


def test_dashboard_shows_the_bound_basis_and_the_method_spread():
    from datetime import date

    from auditor.methods import method_spread
    from reports.dashboard import build_dashboard

    library = FactorLibrary()
    results = run([{"category": "laptop"}, {"category": "monitor", "screen_size_in": 24}], library)
    page = build_dashboard(results, lang="en", assessment_date=date(2026, 1, 15), library=library)
    assert "Bounds behind each total" in page and "calibrated" in page
    assert "Method choice" not in page  # only when asked (--compare-methods)
    ademe = run([{"category": "laptop"}, {"category": "monitor", "screen_size_in": 24}],
                FactorLibrary(method="ademe"))
    results.attrs["method_spread"] = method_spread({"pcf": results, "ademe": ademe}).to_dict(orient="index")
    page = build_dashboard(results, lang="fr", assessment_date=date(2026, 1, 15), library=library)
    assert "Choix de méthode" in page and "ademe" in page
