"""Open derivation of electricity primary energy per kWh (issue 17) and the French consumption factor.

Each expected value is a hand calculation from the cited inputs (typed here from the sources) or a
published national figure; the code under test is only what produced the shipped rows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from factors.fit.derive_electricity_pe import MIX_COLUMNS, primary_energy_mj_per_kwh
from factors.licences import licence_problem
from factors.tables import FactorLibrary

DATA = FactorLibrary().data_dir
MJ_PER_BTU = 1.055056e-3  # 1 Btu = 1055.056 J


@pytest.fixture(scope="module")
def tech() -> pd.DataFrame:
    table = pd.read_csv(DATA / "electricity-technology.csv", dtype=str, keep_default_na=False)
    for column in ("value", "low", "high"):
        table[column] = table[column].astype(float)
    return table.set_index("technology")


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return FactorLibrary()


def test_technology_factors_match_their_cited_inputs(tech):
    # IEA/Eurostat physical energy content: nuclear heat at 33 %, geothermal at 10 %, hydro/wind/PV 100 %
    assert tech.loc["nuclear", "value"] == pytest.approx(3.6 / 0.33, rel=1e-3)
    assert tech.loc["other_renewable", "value"] == pytest.approx(36.0)
    assert tech.loc[["hydro", "wind", "solar"], "value"].tolist() == [3.6, 3.6, 3.6]
    # EIA Table 8.1, 2022: coal 10,689 and gas 7,740 Btu/kWh (gross); net = 95 % / 90 % of gross
    assert tech.loc["coal", "value"] == pytest.approx(10689 * MJ_PER_BTU * 0.95, rel=1e-3)
    assert tech.loc["gas", "value"] == pytest.approx(7740 * MJ_PER_BTU * 0.90, rel=1e-3)
    assert tech.loc["oil", "value"] == pytest.approx(11166 * MJ_PER_BTU * 0.95, rel=1e-3)
    assert (tech["low"] <= tech["value"]).all() and (tech["value"] <= tech["high"]).all()
    assert set(MIX_COLUMNS.values()) <= set(tech.index)


def test_technology_rows_pass_the_licence_gate(tech):
    for row in tech.itertuples():
        assert licence_problem(row.licence, row.source, row.notes) is None, row.id


# Generation 2023 in TWh, Our World in Data energy dataset (Ember), as in CodeCarbon's
# global_energy_mix.json at commit b05965e4: coal, gas, oil, nuclear, hydro, wind, solar,
# bioenergy, other renewables.
FRANCE_2023 = dict(coal=2.16, gas=31.43, oil=9.71, nuclear=335.65, hydro=53.19, wind=48.61,
                   solar=23.26, bioenergy=9.5, other_renewable=0.6)
POLAND_2023 = dict(coal=103.02, gas=14.75, oil=5.17, nuclear=0.0, hydro=2.38, wind=23.06,
                   solar=12.24, bioenergy=8.13, other_renewable=0.0)


def hand_pe(twh: dict[str, float]) -> float:
    """Sum of TWh x MJ/kWh written out from the cited per-technology inputs, over total TWh."""
    coal = 10689 * MJ_PER_BTU * 0.95
    gas = 7740 * MJ_PER_BTU * 0.90
    oil = 11166 * MJ_PER_BTU * 0.95
    per_tech = dict(coal=coal, gas=gas, oil=oil, nuclear=3.6 / 0.33, hydro=3.6, wind=3.6, solar=3.6,
                    bioenergy=coal, other_renewable=36.0)
    return sum(twh[t] * per_tech[t] for t in twh) / sum(twh.values())


@pytest.mark.parametrize("country, mix", [("FR", FRANCE_2023), ("PL", POLAND_2023)])
def test_shipped_row_is_the_hand_calculated_derivation(library, tech, country, mix):
    expected = hand_pe(mix)  # FR: (2.16*10.71 + ... + 335.65*10.91 + ...)/514.11 = 8.94 MJ/kWh
    factor = library.electricity_factor(country, "pe")
    assert factor.id == f"elec-{country}-pe"
    assert factor.value == pytest.approx(expected, rel=2e-3)
    assert primary_energy_mj_per_kwh(mix, tech)[0] == pytest.approx(expected, rel=2e-3)
    assert factor.low <= factor.value <= factor.high


def test_derivation_weights_by_generation_share(tech):
    # a grid half nuclear, half wind: (10.909 + 3.6) / 2 = 7.25 MJ/kWh, whatever the size
    mix = {t: 0.0 for t in MIX_COLUMNS.values()} | {"nuclear": 50.0, "wind": 50.0}
    assert primary_energy_mj_per_kwh(mix, tech)[0] == pytest.approx((3.6 / 0.33 + 3.6) / 2, rel=1e-3)
    assert primary_energy_mj_per_kwh({k: v * 7 for k, v in mix.items()}, tech)[0] == pytest.approx(
        primary_energy_mj_per_kwh(mix, tech)[0])


@pytest.mark.parametrize("area, published, tolerance", [
    # Directive (EU) 2018/2002, amending Directive 2012/27/EU, Annex IV: default primary energy
    # factor of electricity 2.1 (the Commission's convention behind it was not read at first hand)
    ("EU27", 2.1, 0.05),
    # Arrete du 4 aout 2021 (RE2020, France): conversion coefficient of electricity 2.3
    ("FR", 2.3, 0.10),
])
def test_derived_factor_agrees_with_published_national_figures(library, area, published, tolerance):
    pef = library.electricity_factor(area, "pe").value / 3.6  # MJ/kWh -> kWh primary per kWh
    assert pef == pytest.approx(published, rel=tolerance)


def test_every_area_with_a_ghg_factor_but_no_mix_falls_back_to_a_region(library):
    countries = set(library.electricity.loc[library.electricity["criterion"] == "gwp", "country"])
    for country in sorted(countries):
        factor = library.electricity_factor(country, "pe")
        assert factor.value == factor.value, country  # never NaN: own row or EU27/WORLD
        assert factor.id.startswith("elec-") and factor.id.endswith("-pe")


def test_adpe_still_left_empty(library):
    factor = library.electricity_factor("FR", "adpe")
    assert factor.id == "missing:elec-adpe" and factor.value != factor.value


def test_ademe_method_uses_the_french_consumption_factor_with_losses():
    pcf = FactorLibrary().electricity_factor("FR", "gwp")
    ademe = FactorLibrary(method="ademe").electricity_factor("FR", "gwp")
    # Ember 44.18 g x (1 + (11.5 TWh RTE + 20 TWh Enedis) / 468 TWh) = 47.15 g
    assert ademe.value == pytest.approx(0.04418 * (1 + 31.5 / 468), rel=1e-4)
    assert ademe.value > pcf.value
    # bounds: the packaged 31-91 g range (Ember and Electricity Maps) x the same loss factor
    assert ademe.low == pytest.approx(0.031 * (1 + 31.5 / 468), rel=1e-4)
    assert ademe.high == pytest.approx(0.091 * (1 + 31.5 / 468), rel=1e-4)
    # RTE Bilan electrique 2023: direct emissions of French generation 32 g/kWh, below a life-cycle,
    # loss-inclusive factor
    assert ademe.value > 0.032


def test_rebuild_without_the_mix_file_keeps_the_shipped_table(tmp_path):
    # the mix file is not shipped: a rebuild from the shared reference data without it must
    # reproduce electricity.csv byte for byte (pe rows carried over, other rows rebuilt)
    from factors.fit.build_electricity import main
    from tests.conftest import shared_or_skip

    data_dir = shared_or_skip("data")
    shared_or_skip("data", "electricity", "co2js-ember-average-intensities.json")
    out = tmp_path / "electricity.csv"
    out.write_bytes((DATA / "electricity.csv").read_bytes())
    empty = tmp_path / "no-mix.json"
    assert main(["--data-dir", str(data_dir), "--out", str(out), "--mix", str(empty)]) == 0
    assert out.read_bytes() == (DATA / "electricity.csv").read_bytes()
    assert (tmp_path / "electricity-maps.csv").read_bytes() == (DATA / "electricity-maps.csv").read_bytes()
