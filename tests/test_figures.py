"""Figure builders: pure (DataFrame in, Figure out), sums preserved, bounded size, escaped labels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from auditor.results import embodied_column, total_column, use_column
from auditor.summary import totals
from reports import figures
from reports.i18n import LANGUAGES, MESSAGES, TOTAL_UNITS, Labels

EN, FR = Labels("en"), Labels("fr")


def results_frame(n: int = 60, seed: int = 1) -> pd.DataFrame:
    """A small results table in the contract's shape, with consistent totals."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": [f"r{i}" for i in range(n)],
        "name": [f"item {i}" for i in range(n)],
        "category": pd.Categorical(rng.choice(["desktop", "laptop", "monitor", "server"], n)),
        "quantity": rng.choice([1.0, 2.0, 5.0], n),
        "site": rng.choice(["Hôtel de ville > 1er étage", "Hôtel de ville > RDC", "École A", None], n),
        "department": rng.choice(["DSI", "Culture", None], n),
        "lifetime_years": rng.choice([4.0, 5.0, 6.0], n),
        "energy_kwh_per_year": rng.uniform(10, 500, n),
        "energy_source": rng.choice(["measured", "declared", "modelled", "default"], n),
    })
    for criterion, scale in (("gwp", 300.0), ("water", 2.0), ("adpe", 0.01), ("pe", 3000.0)):
        embodied = rng.uniform(0.2, 1.0, n) * scale
        use = rng.uniform(0.0, 0.3, n) * scale
        frame[embodied_column(criterion)] = embodied
        frame[use_column(criterion)] = use
        frame[total_column(criterion)] = embodied / frame["lifetime_years"] + use
        for bound, factor in (("low", 0.7), ("high", 1.4)):
            frame[embodied_column(criterion, bound)] = embodied * factor
            frame[total_column(criterion, bound)] = frame[total_column(criterion)] * factor
    for bound, factor in (("low", 0.7), ("high", 1.4)):
        frame[f"energy_kwh_per_year_{bound}"] = frame["energy_kwh_per_year"] * factor
    return frame


@pytest.fixture
def frame():
    return results_frame()


def test_labels_have_the_same_keys_in_both_languages():
    assert set(MESSAGES["en"]) == set(MESSAGES["fr"])
    assert LANGUAGES == ("en", "fr")
    for key in MESSAGES["en"]:
        en_fields = {f for f in MESSAGES["en"][key].split("{")[1:]}
        fr_fields = {f for f in MESSAGES["fr"][key].split("{")[1:]}
        assert {f.split("}")[0] for f in en_fields} == {f.split("}")[0] for f in fr_fields}, key
    with pytest.raises(ValueError):
        Labels("de")


def test_number_formats():
    assert EN.number(1234567.0) == "1,234,567"
    assert FR.number(1234567.0) == "1\u202f234\u202f567"
    assert EN.number(12.345) == "12.3" and FR.number(12.345) == "12,3"
    assert EN.number(0.001234) == "0.00123"
    assert EN.number(float("nan")) == "–"
    assert EN.percent(0.456) == "46 %" and FR.percent(0.05) == "5,0\u202f%"
    assert FR.category("monitor") == "Écrans" and EN.category("mfp") == "Multifunction printers"
    assert EN.category("unknown") == "unknown"


@pytest.mark.parametrize("criterion", ["energy", "gwp", "water", "adpe", "pe"])
@pytest.mark.parametrize("by", figures.BREAKDOWN_KEYS)
def test_breakdown_table_preserves_the_total(frame, criterion, by):
    table = figures.breakdown_table(frame, by, criterion, EN, top=2)
    expected = frame[total_column(criterion)].sum() / TOTAL_UNITS[criterion][0]
    assert table["total"].sum() == pytest.approx(expected)
    assert (table["embodied"] + table["use"]).to_numpy() == pytest.approx(table["total"].to_numpy())
    assert len(table) <= 3
    head = table["total"].iloc[:-1] if table["group"].iloc[-1].startswith("Other") else table["total"]
    assert list(head) == sorted(head, reverse=True)


def test_breakdown_groups_sites_by_building_and_names_missing_values(frame):
    table = figures.breakdown_table(frame, "site", "gwp", FR, top=10)
    assert set(table["group"]) == {"Hôtel de ville", "École A", "(non renseigné)"}
    table = figures.breakdown_table(frame, "category", "gwp", FR, top=10)
    assert "Écrans" in set(table["group"])


def test_breakdown_figure_has_a_button_per_criterion(frame):
    fig = figures.breakdown_figure(frame, "category", EN)
    assert [t.name for t in fig.data] == ["Embodied", "Use"]
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["Greenhouse gases", "Electricity", "Water", "Rare materials (ADPe)",
                                          "Primary energy"]
    gwp = buttons[0].args[0]
    assert sum(gwp["x"][0]) + sum(gwp["x"][1]) == pytest.approx(frame[total_column("gwp")].sum() / 1000)
    energy = buttons[1].args[0]
    assert sum(energy["x"][0]) == 0  # electricity has no embodied part
    assert sum(energy["x"][1]) == pytest.approx(frame["energy_kwh_per_year"].sum() / 1000)
    with pytest.raises(ValueError):
        figures.breakdown_figure(frame, "colour", EN)


def test_breakdown_size_does_not_grow_with_groups():
    big = results_frame(20_000, seed=2)
    big["department"] = [f"Service {i}" for i in range(len(big))]  # 20,000 distinct groups
    fig = figures.breakdown_figure(big, "department", EN, top=12)
    assert len(fig.data[0].y) == 13
    assert len(fig.to_json()) < 30_000


def test_labels_drawn_by_plotly_are_escaped(frame):
    frame["department"] = ["<b>x</b><img src=x onerror=alert(1)>"] * len(frame)
    fig = figures.breakdown_figure(frame, "department", EN)
    assert list(fig.data[0].y) == ["&lt;b&gt;x&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;"]
    for button in fig.layout.updatemenus[0].buttons:
        assert "<" not in json.dumps(button.args[0]["y"])


def test_builders_are_pure(frame):
    before = frame.copy(deep=True)
    figures.breakdown_figure(frame, "site", FR)
    figures.embodied_use_figure(totals(frame), FR)
    figures.data_quality_figure(frame, FR)
    pd.testing.assert_frame_equal(frame, before)
    a = figures.breakdown_figure(frame, "department", EN).to_json()
    b = figures.breakdown_figure(frame, "department", EN).to_json()
    assert a == b


def test_embodied_use_shares_add_to_100(frame):
    fig = figures.embodied_use_figure(totals(frame), EN)
    embodied, use = fig.data
    assert list(embodied.y) == ["Greenhouse gases", "Water", "Rare materials (ADPe)", "Primary energy"]
    assert np.asarray(embodied.x) + np.asarray(use.x) == pytest.approx(np.full(4, 100.0))
    share = totals(frame).loc["gwp", "embodied_share"]
    assert embodied.x[0] == pytest.approx(share * 100)


def test_grade_counts_order_and_sum():
    frame = pd.DataFrame({"quantity": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                          "sobriety_grade": ["C", "A", "g", None, "A", "Z"]})
    counts = figures.grade_counts(frame, "sobriety_grade")
    assert list(counts.index) == ["A", "C", "G", "Z", ""]
    assert list(counts) == [7.0, 1.0, 3.0, 6.0, 4.0]
    fig = figures.grade_figure(frame, "sobriety_grade", FR)
    assert list(fig.data[0].x) == ["A", "C", "G", "Z", "sans note"]
    assert fig.layout.title.text == "Note de sobriété"
    levels = pd.DataFrame({"quantity": [1.0, 1.0, 1.0], "obsolescence_level": ["high", "low", "medium"]})
    assert list(figures.grade_counts(levels, "obsolescence_level").index) == ["LOW", "MEDIUM", "HIGH"]
    assert list(figures.grade_figure(levels, "obsolescence_level", FR).data[0].x) == ["faible", "moyen", "élevé"]


def test_obsolescence_timeline_bins():
    today = pd.Timestamp("2026-01-15")
    frame = pd.DataFrame({
        "category": ["desktop", "desktop", "laptop", "monitor", "server", "desktop"],
        "quantity": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "replacement_due": ["2025-10-14", "2026-02-01", "2026-05-20", "2040-01-01", None, "not a date"],
    })
    table = figures.obsolescence_timeline(frame, today, EN, horizon_quarters=8)
    assert list(table.index) == ["Before today", "2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4", "2027 Q1", "2027 Q2",
                                 "2027 Q3", "2027 Q4", "2028 Q1", "Later"]
    assert table.to_numpy().sum() == pytest.approx(10.0)  # dated rows only
    assert table.loc["Before today", "Desktop PCs"] == 1.0
    assert table.loc["2026 Q1", "Desktop PCs"] == 2.0
    assert table.loc["2026 Q2", "Laptops"] == 3.0
    assert table.loc["Later", "Monitors"] == 4.0
    fig = figures.obsolescence_figure(table, EN)
    assert len(fig.data) == 3
    fr = figures.obsolescence_timeline(frame, today, FR, horizon_quarters=8)
    assert "2026 T1" in fr.index and "Avant aujourd\u2019hui" in fr.index
    assert figures.obsolescence_timeline(frame.assign(replacement_due=None), today, EN).empty


def test_obsolescence_timeline_keeps_few_series():
    frame = pd.DataFrame({
        "category": ["desktop", "laptop", "monitor", "server", "tablet", "smartphone", "printer", "tv"],
        "quantity": [8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0],
        "replacement_due": ["2026-06-01"] * 8,
    })
    table = figures.obsolescence_timeline(frame, pd.Timestamp("2026-01-15"), EN, max_series=3)
    assert list(table.columns) == ["Desktop PCs", "Laptops", "Monitors", "Other (5)"]
    assert table.loc["2026 Q2"].sum() == 36.0


def test_energy_profile_figure():
    profile = pd.DataFrame({"working_day": [True] * 24 + [False] * 24, "hour": list(range(24)) * 2,
                            "power_w": [80.0] * 24 + [50.0] * 24, "machines_on": [3.0] * 48})
    fig = figures.energy_profile_figure(profile, EN, (8, 19))
    assert [t.name for t in fig.data] == ["Working days", "Weekend and days off"]
    assert fig.layout.shapes[0].x0 == 7.5 and fig.layout.shapes[0].x1 == 18.5


def test_data_quality_shares(frame):
    table = figures.data_quality_table(frame)
    assert list(table.index) == ["measured", "declared", "modelled", "default"]
    assert table["devices"].sum() == pytest.approx(1.0) and table["gwp"].sum() == pytest.approx(1.0)
    measured = frame.loc[frame["energy_source"] == "measured", "quantity"].sum() / frame["quantity"].sum()
    assert table.loc["measured", "devices"] == pytest.approx(measured)
    fig = figures.data_quality_figure(frame, FR)
    assert [t.name for t in fig.data] == ["mesurée", "déclarée", "modélisée", "par défaut"]


def test_recommendations_figure_sorted():
    recs = pd.DataFrame({"action": ["a", "b", "<i>c</i>"], "savings_kgco2e_per_year": [1.0, 30.0, None]})
    fig = figures.recommendations_figure(recs, EN)
    assert list(fig.data[0].y) == ["b", "a", "&lt;i&gt;c&lt;/i&gt;"]
    assert list(fig.data[0].x) == [30.0, 1.0, 0.0]


def test_layout_is_light_and_localised(frame):
    fig = figures.breakdown_figure(frame, "category", FR)
    assert fig.layout.separators == ",\u202f"
    assert len(json.dumps(fig.layout.template.to_plotly_json())) < 200  # no default template
