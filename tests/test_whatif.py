"""``auditor scenario`` and ``auditor purchases``: hand checks on engine outputs, consistency, bad input."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

from auditor.footprint import AssessOptions, assess
from auditor.inventory import read_inventory
from auditor.purchases import purchases
from auditor.results import embodied_column, total_column
from auditor.whatif import Scenario, read_scenarios, run_scenarios, scenario_changes
from tests.conftest import EXAMPLES, TODAY

SMALL = EXAMPLES / "small-inventory.csv"
CRITS = ("energy", "gwp", "water", "adpe", "pe")


@pytest.fixture(scope="module")
def small(library):
    table, _ = read_inventory([SMALL], country="FR", today=TODAY, library=library)
    results = assess(table, library, AssessOptions(today=TODAY))
    return table, results


def run(small, library, *scenarios):
    table, results = small
    return run_scenarios(table, results, list(scenarios), library=library, options=AssessOptions(today=TODAY))


def test_extend_lifetime_by_hand_from_engine_results(small, library):
    table, results = small
    report = run(small, library, Scenario("two more years", extend_lifetime_years=2))
    s = report["scenarios"][0]
    life = results["lifetime_years"].to_numpy(dtype=float)
    live = table["quantity"].to_numpy(dtype=float) > 0
    for c in ("gwp", "water", "adpe", "pe"):
        embodied = results[embodied_column(c)].to_numpy(dtype=float)
        # only the yearly share of manufacture changes: E/(L+2) - E/L, summed
        if results[total_column(c)].isna().any():  # no shipped factor for some rows (licence gate)
            continue
        hand = float(np.sum(np.where(live, embodied / (life + 2) - embodied / life, 0.0)))
        assert s[c]["change"] == pytest.approx(hand, rel=1e-9)
        assert s[c]["change_low"] <= s[c]["change"] <= s[c]["change_high"] <= 0
    assert s["energy"]["change"] == 0


def test_only_changed_rows_reassessed_equals_whole_estate_reassessed(small, library):
    table, results = small
    scenario = Scenario("laptops", lifetime={"laptop": 7, "desktop": 9}, pue=1.3)
    report = run(small, library, scenario)
    changes = scenario_changes(scenario, table, results, library, None)
    whole = table.copy()
    for column, values in changes.columns.items():
        whole[column] = values
    again = assess(whole, library, AssessOptions(pue=1.3, today=TODAY))
    for c in CRITS:
        for key, b in (("scenario", ""), ("scenario_low", "low"), ("scenario_high", "high")):
            expected = float(again[total_column(c, b)].sum(skipna=False))  # unknown when a row has none
            if expected != expected:
                assert report["scenarios"][0][c][key] is None
            else:
                assert report["scenarios"][0][c][key] == pytest.approx(expected, rel=1e-9)


def test_dirtier_grid_raises_use_phase(small, library):
    report = run(small, library, Scenario("coal", grid="PL"), Scenario("hydro", grid="SE"))
    coal, hydro = report["scenarios"]
    assert coal["gwp"]["change"] > 0 > hydro["gwp"]["change"]
    assert coal["energy"]["change"] == hydro["energy"]["change"] == 0


def test_switch_off_and_consolidate_reuse_recommend_rows(small, library):
    from auditor.recommend import plan

    table, results = small
    actions = {a.action: a for a in plan(table, results, library, AssessOptions(today=TODAY))}
    report = run(small, library, Scenario("off", switch_off_outside_hours=True))
    s = report["scenarios"][0]
    act = actions.get("switch-off-outside-working-hours")
    if act is None:
        assert s["changed_rows"] == 0 and s["notes"]
    else:
        before = assess(act.before.reset_index(drop=True), library, AssessOptions(today=TODAY))
        after = assess(act.after.reset_index(drop=True), library, AssessOptions(today=TODAY))
        hand = float(after[total_column("energy")].sum() - before[total_column("energy")].sum())
        assert s["energy"]["change"] == pytest.approx(hand, rel=1e-9)


def scenario_file(tmp_path, body):
    path = tmp_path / "scenarios.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_scenario_file_side_by_side(tmp_path, capsys):
    from auditor.cli import main

    path = EXAMPLES / "ville-exemple" / "scenarios.yaml"
    assert [s.name for s in read_scenarios(path)] == ["Keep every device 2 more years",
                                                      "Laptops 6 y, PCs 8 y, switch off",
                                                      "Consolidated servers, PUE 1.4"]
    code = main(["scenario", str(SMALL), "--country", "FR", "--scenario", str(path), "--grid", "DE",
                 "--format", "json", "--date", TODAY.isoformat(), "-q"])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    assert [s["name"] for s in doc["scenarios"]][-1] == "command line"
    assert len(doc["scenarios"]) == 4
    for s in doc["scenarios"]:
        assert set(CRITS) <= set(s)
        assert {"baseline", "scenario", "change", "change_low", "change_high", "change_pct"} <= set(s["gwp"])


@pytest.mark.parametrize(("body", "expected"), [
    ("scenarios:\n  - name: a\n    extend_lifetime: 2\n", ["scenario 'a' (line 3)", "field 'extend_lifetime'",
                                                            "did you mean 'extend_lifetime_years'"]),
    ("scenarios:\n  - name: a\n    lifetime: {spaceship: 3}\n", ["field 'lifetime.spaceship'", "unknown category"]),
    ("scenarios:\n  - name: a\n    extend_lifetime_years: -1\n", ["scenario 'a'", "'-1'", "> 0"]),
    ("scenarios:\n  - name: a\n    grid: SE\n  - name: a\n    grid: PL\n", ["duplicate scenario name", "line 4"]),
    ("scenarios:\n  - name: a\n    pue: [1\n", ["YAML syntax error", "line 4"]),
    ("scenarios:\n  - name: a\n", ["changes nothing"]),
    ("scenarios:\n  - name: a\n    grid: XX\n", ["scenario 'a' (line 3)", "field 'grid'", "'XX'", "unknown country"]),
])
def test_bad_scenario_file_exit_2_one_line(tmp_path, capsys, body, expected):
    from auditor.cli import main

    path = scenario_file(tmp_path, body)
    code = main(["scenario", str(SMALL), "--country", "FR", "--scenario", str(path), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"error: {path}")
    for text in expected:
        assert text in err[0]


def test_scenario_needs_a_change(capsys):
    from auditor.cli import main

    assert main(["scenario", str(SMALL), "--country", "FR", "-q"]) == 2
    assert "nothing to change" in capsys.readouterr().err


# -- purchases -------------------------------------------------------------------------------------

PURCHASES = EXAMPLES / "achats-2023.csv"


def test_purchases_2023_by_hand(library):
    table, _ = read_inventory([PURCHASES], country="FR", library=library)
    report = purchases(table, 2023)
    # by hand from examples/achats-2023.csv (unit price x quantity):
    # line 4 (desktop, laptop, tablet, monitor): 10x240 + 12x890 + 8x310 + 6x230 + 15x180 = 19 640
    # reused or refurbished: 10 desktops (2 400) + 8 refurbished laptops (2 480) = 4 880 -> 24.85 %
    line4, line5 = report["families"]
    assert line4["annex_line"] == "4" and line4["spending"] == 19640
    assert line4["spending_reused_or_refurbished"] == 4880
    assert line4["share_reused_or_refurbished"] == pytest.approx(4880 / 19640, abs=1e-4)
    assert line4["minimums"]["reuse"]["minimum"] == 0.2  # décret 2021-254, annex line 4: 20 % "dont réemploi"
    assert line4["minimums"]["reuse"]["status"] == "met"
    # line 5 (multifunction printers): 3 x 2 900, none reused; the row's reuse cells are empty
    assert line5["spending"] == 8700 and line5["minimums"]["reuse"]["status"] == "below"
    assert line5["items_reuse_unknown"] == 1
    assert set(report["categories_outside_families"]) == {"server", "smartphone", "tv"}
    index = {c["category"]: c for c in report["repairability"]}
    assert index["laptop"]["devices_with_index"] == 12 and index["laptop"]["devices"] == 20
    assert index["laptop"]["mean_index"] == pytest.approx(6.8)
    assert index["smartphone"]["share_with_index"] == pytest.approx(20 / 30, abs=1e-4)
    assert index["tablet"]["mean_index"] is None
    assert report["cannot_know"]


def test_purchases_rules_change_with_the_decree_of_2024(library):
    table, _ = read_inventory([PURCHASES], country="FR", library=library)
    ids_2023 = {m["id"] for f in purchases(table, 2023)["families"] for m in f["minimums"].values()}
    ids_2025 = {m["id"] for f in purchases(table, 2025)["families"] for m in f["minimums"].values()}
    ids_2028 = {m["id"] for f in purchases(table, 2028)["families"] for m in f["minimums"].values()}
    assert all(i.startswith("agec2021") for i in ids_2023)
    assert ids_2025 == {"agec2024-it-any-2024"} and ids_2028 == {"agec2024-it-any-2027"}
    assert purchases(table, 2025)["items"] == 0


def test_purchases_cli(capsys):
    from auditor.cli import main

    code = main(["purchases", str(PURCHASES), "--year", "2023", "--country", "FR"])
    out = capsys.readouterr().out
    assert code == 0
    assert "annex line 4" in out and "minimum 20% reused: met" in out
    assert "What this inventory cannot tell" in out


def test_consolidation_rows_are_those_of_recommend_plan(library):
    from auditor.recommend import plan
    from auditor.whatif import CONSOLIDATE_ACTION, SWITCH_OFF_ACTION, _actions

    table, _ = read_inventory([EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"], country="FR", today=TODAY,
                              library=library)
    results = assess(table, library, AssessOptions(today=TODAY))
    full = {a.action: a for a in plan(table, results, library, AssessOptions(today=TODAY))}
    fast = _actions(table, results, library, AssessOptions(today=TODAY), {CONSOLIDATE_ACTION, SWITCH_OFF_ACTION})
    assert set(fast) == {CONSOLIDATE_ACTION, SWITCH_OFF_ACTION} & set(full)
    for name, act in fast.items():
        assert list(act.rows) == list(full[name].rows)
        assert act.after.equals(full[name].after)


def test_scenario_table_side_by_side(capsys):
    from auditor.cli import main

    code = main(["scenario", str(SMALL), "--country", "FR", "--lifetime", "laptop=6", "--lifetime", "desktop=8",
                 "--date", TODAY.isoformat(), "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    header = next(line for line in lines if line.startswith("per year"))
    assert "baseline" in header and "command line" in header
    assert any(line.startswith("kgCO2e/yr") and "%" in line for line in lines)


def test_purchases_without_dates_is_an_error(tmp_path, capsys):
    from auditor.cli import main

    path = tmp_path / "no-dates.csv"
    path.write_text("name,category,price\nA,laptop,900\n", encoding="utf-8")
    assert main(["purchases", str(path), "--year", "2023", "--country", "FR", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "purchase date" in err


def test_a_criterion_without_factor_is_unknown_in_the_what_if_not_zero(small, library):
    """Laptops ship no embodied ADPe factor: the estate's ADPe is unknown, so its baseline and
    change are None in the JSON (not 0, not NaN), and the table prints '-'."""
    from auditor.whatif import format_scenarios

    table, results = small
    assert results[total_column("adpe")].isna().any()
    report = run(small, library, Scenario("two more years", extend_lifetime_years=2))
    json.dumps(report, allow_nan=False)  # valid JSON
    assert report["baseline"]["adpe"]["value"] is None and report["scenarios"][0]["adpe"]["change"] is None
    assert report["baseline"]["gwp"]["value"] == pytest.approx(results[total_column("gwp")].sum(), rel=1e-12)
    line = next(x for x in format_scenarios(report).splitlines() if x.startswith("kgSbeq/yr"))
    assert line.split()[1:] == ["-", "-"]
