"""Recommendations: savings are differences between two engine runs; actions, ranking, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from auditor.api import assess_table
from auditor.cli import main
from auditor.footprint import AssessOptions, assess
from auditor.inventory import read_inventory, table_from_records
from auditor.recommend import SAVINGS_KEYS, plan, recommend, savings
from auditor.results import total_column, use_column
from factors.tables import CRITERIA
from tests.conftest import EXAMPLES, TODAY

OPTIONS = AssessOptions(today=TODAY)
TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
REQUIRED = {"action", "items", "savings_kwh_per_year", "savings_kgco2e_per_year", "savings_water_m3_per_year",
            "savings_adpe_kgsbeq_per_year", "explanation"}


@pytest.fixture(scope="module")
def town(library):
    table, _ = read_inventory([TOWN], country="FR", today=TODAY, library=library)
    return table, assess_table(table, library=library, options=OPTIONS)


def _totals(frame: pd.DataFrame) -> dict[str, float]:
    return {c: float(frame[total_column(c)].sum()) for c in ("energy", *CRITERIA)}


def test_savings_equal_the_difference_between_two_whole_estate_assessments(library, town):
    table, results = town
    actions = plan(table, results, library, OPTIONS)
    assert {a.action for a in actions} >= {"reuse-stranded-pcs", "extend-lifetimes", "consolidate-servers"}
    baseline = _totals(assess(table, library, OPTIONS))
    for act in actions:
        saved = savings(act, library, OPTIONS)
        if act.kind == "estate":
            changed = table.copy()
            for column in act.after.columns:
                changed.loc[act.rows, column] = act.after[column].to_numpy()
            after = _totals(assess(changed, library, OPTIONS))
            for c in baseline:
                assert saved[c] == pytest.approx(baseline[c] - after[c], rel=1e-9, abs=1e-9), (act.action, c)
        else:  # replacement: the old devices' use phase against the new devices' whole yearly footprint
            old = assess(act.before.reset_index(drop=True), library, OPTIONS)
            new = assess(act.after.reset_index(drop=True), library, OPTIONS)
            for c in CRITERIA:
                expected = old[use_column(c)].sum() - new[total_column(c)].sum()
                assert saved[c] == pytest.approx(expected, rel=1e-9, abs=1e-12), (act.action, c)


def test_town_recommendations_are_ranked_and_complete(library, town):
    table, results = town
    recs = recommend(table, results, library, OPTIONS)
    assert recs and all(set(r) >= REQUIRED for r in recs)
    gwp = [r["savings_kgco2e_per_year"] for r in recs]
    assert gwp == sorted(gwp, reverse=True) and gwp[-1] > 0
    assert [r["rank"] for r in recs] == list(range(1, len(recs) + 1))
    ids = set(table["id"].astype(str))
    for r in recs:
        assert r["items"] and set(r["items"]) <= ids and r["item_count"] == len(r["items"])
        assert r["explanation"]
    stranded = next(r for r in recs if r["action"] == "reuse-stranded-pcs")
    assert stranded["savings_kwh_per_year"] == pytest.approx(0.0, abs=1e-6)  # only lifetimes change
    assert "2029-05-31" in stranded["explanation"]  # Ubuntu 24.04 LTS standard support


def test_idle_servers_are_consolidated(library):
    rows = [{"id": f"s{k}", "category": "server", "site": "Mairie", "avg_load_pct": 3, "cpu_count": 2,
             "cpu_cores": 16, "ram_gb": 64, "year": 2022} for k in range(4)]
    rows.append({"id": "busy", "category": "server", "site": "Mairie", "avg_load_pct": 60, "year": 2022})
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    recs = {r["action"]: r for r in recommend(table, results, library, OPTIONS)}
    consolidate = recs["consolidate-servers"]
    assert set(consolidate["items"]) == {"s0", "s1", "s2", "s3"}
    assert consolidate["savings_kwh_per_year"] > 0 and "3 servers can be switched off" in consolidate["explanation"]


def test_replacement_only_where_it_pays_back(library):
    rows = [
        {"id": "hungry-pl", "category": "desktop", "power_w": 300, "hours_per_day": 8, "country": "PL", "year": 2012},
        {"id": "normal-fr", "category": "desktop", "power_w": 40, "hours_per_day": 8, "country": "FR", "year": 2019},
    ]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    recs = {r["action"]: r for r in recommend(table, results, library, OPTIONS)}
    replace = recs["replace-where-break-even"]
    assert replace["items"] == ["hungry-pl"]
    assert replace["savings_kgco2e_per_year"] > 0


def test_switch_off_and_batteries(library):
    rows = [
        {"id": "night-pc", "category": "desktop", "hours_per_day": 24, "days_per_year": 365, "year": 2023},
        {"id": "worn", "category": "laptop", "battery_health_pct": 55, "year": 2023},
    ]
    table = table_from_records(rows, country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=OPTIONS)
    recs = {r["action"]: r for r in recommend(table, results, library, OPTIONS)}
    assert recs["switch-off-outside-working-hours"]["items"] == ["night-pc"]
    assert recs["switch-off-outside-working-hours"]["savings_kwh_per_year"] > 0
    assert recs["replace-batteries"]["items"] == ["worn"]
    for r in recs.values():
        assert np.isfinite([r[k] for k in SAVINGS_KEYS.values()]).all()


def test_cli_recommend_table_and_json(capsys):
    code = main(["recommend", str(TOWN), "--country", "FR", "--date", "2026-01-15", "-q"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["#", "action", "items"]
    assert "reuse-stranded-pcs" in out and "all actions" in out
    code = main(["recommend", str(TOWN), "--country", "FR", "--date", "2026-01-15", "-q", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and isinstance(data, list) and all(set(r) >= REQUIRED for r in data)


def test_cli_recommend_bad_input_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("name;category\nx;spaceship\n", encoding="utf-8")
    code = main(["recommend", str(bad), "--country", "FR"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
