"""The annual review: decomposition of a year-over-year change into estate and method parts.

Expected values are properties of the decomposition (it adds up; an unchanged estate under an
unchanged method gives zero; a factor update alone is method change only; a device added alone is
estate change only, equal to that device's own footprint), never numbers taken from the code.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from auditor.api import assess_inventories
from auditor.errors import InputError
from auditor.provenance import check_results_version, method_version, tool_version
from auditor.results import total_column
from auditor.review import (
    COMPONENTS,
    CRITERIA,
    ESTATE_COMPONENTS,
    METHOD_NOT_SEPARABLE,
    METHOD_SEPARATED,
    generated_ids,
    match_items,
    review,
)
from factors.tables import DATA_DIR, FactorLibrary
from tests.conftest import EXAMPLES, TODAY

SMALL = EXAMPLES / "small-inventory.csv"
TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"


def assess_csv(path, library, **kw):
    return assess_inventories([path], country="FR", today=TODAY, library=library, **kw).results


@pytest.fixture(scope="module")
def small(library):
    return assess_csv(SMALL, library)


@pytest.fixture(scope="module")
def updated_library(tmp_path_factory):
    """The packaged factors with every electricity GHG factor raised by 25 % (a factor update)."""
    folder = tmp_path_factory.mktemp("factors-2027")
    for path in DATA_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    table = pd.read_csv(folder / "electricity.csv", dtype=str, keep_default_na=False)
    gwp = table["criterion"] == "gwp"
    for column in ("value", "low", "high"):
        table.loc[gwp, column] = (table.loc[gwp, column].astype(float) * 1.25).map(repr)
    table.to_csv(folder / "electricity.csv", index=False)
    library = FactorLibrary(folder)
    library.validate_all()
    return library


def assert_adds_up(result, rel=1e-9):
    for table in [result.totals, *(t for by in result.groups.values() for t in by.values())]:
        for suffix in ("", "_low", "_high") if table is result.totals else ("",):
            parts = sum(table[f"{c}{suffix}"] for c in COMPONENTS)
            change = table[f"change{suffix}"]
            # a criterion without a factor for some rows is unknown (NaN) in its change and parts
            assert parts.isna().equals(change.isna()), (parts, table)
            known = change.notna()
            scale = table[f"baseline{suffix}"].abs() + table[f"current{suffix}"].abs() + 1.0
            assert (parts - change)[known].abs().le(rel * scale[known]).all(), (parts, table)


def test_same_inventory_assessed_twice_gives_zero_change(small, library):
    again = assess_csv(SMALL, library)
    result = review(again, small, again)
    assert result.rules["id"] == len(small)
    known = result.totals["current"].notna()  # criteria with a factor for every row
    assert known["gwp"] and known["energy"]
    for component in ("change", *COMPONENTS):
        assert (result.totals.loc[known, component] == 0.0).all(), component
    assert result.totals.loc[~known, "change"].isna().all()  # unknown, not zero
    assert result.devices["added"] == 0 and result.devices["removed"] == 0
    assert result.items["status"].eq("kept").all()


def test_decomposition_adds_up_for_a_changed_estate_and_method(updated_library, library, write):
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    before = write("before.csv", frame.to_csv(index=False))
    after = frame.drop(index=[1, 4]).copy()                       # two items retired
    after.loc[0, "quantity"] = "3"                                # more of one item
    after.loc[2, "hours_per_day"] = "4"                           # switched off earlier
    after.loc[3, "lifetime_years"] = "9"                          # kept longer
    after.loc[5, "department"] = "Moved here"                     # moved to another department
    extra = frame.iloc[[6]].assign(id="new-1", name="New laptop")  # one purchase
    after = pd.concat([after, extra], ignore_index=True)
    now = write("after.csv", after.to_csv(index=False))
    base0 = assess_csv(before, library)
    base1 = assess_csv(before, updated_library)
    current = assess_csv(now, updated_library)
    result = review(current, base0, base1)
    assert result.method_status == METHOD_SEPARATED
    assert_adds_up(result)
    gwp = result.totals.loc["gwp"]
    assert gwp["method"] > 0  # electricity GHG factors went up
    assert gwp["added"] > 0 and gwp["removed"] < 0
    quantity = frame["quantity"].replace("", "1").astype(float)
    assert result.devices["removed"] == quantity.iloc[[1, 4]].sum()
    assert result.devices["added"] == quantity.iloc[6]
    # the moved item leaves one department and enters another: zero for the whole estate
    dept = result.groups["department"]["gwp"]
    assert dept.loc["Moved here", "moved"] > 0
    assert abs(dept["moved"].sum()) <= 1e-9 * dept["current"].abs().sum()
    assert result.totals["moved"].abs().max() == 0.0


def test_pure_factor_update_is_method_change_only(small, updated_library):
    current = assess_csv(SMALL, updated_library)
    result = review(current, small, current)
    assert_adds_up(result)
    totals = result.totals
    for component in ESTATE_COMPONENTS:
        assert totals[component].abs().max() <= 1e-9 * totals["current"].abs().max(), component
    expected = current[total_column("gwp")].sum() - small[total_column("gwp")].sum()
    assert totals.loc["gwp", "method"] == pytest.approx(expected, rel=1e-12)
    assert totals.loc["gwp", "change"] == pytest.approx(expected, rel=1e-12)
    assert expected > 0
    # the embodied part does not use electricity factors: method change equals the use-phase change
    use = "gwp_use_kgco2e_per_year"
    assert expected == pytest.approx(current[use].sum() - small[use].sum(), rel=1e-9)
    assert method_version(updated_library) != method_version(FactorLibrary())


def test_device_added_is_estate_change_only(small, library, write):
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    extra = frame.iloc[[0]].assign(id="srv-99", name="New server", hostname="srv-99")
    now = write("now.csv", pd.concat([frame, extra], ignore_index=True).to_csv(index=False))
    current = assess_csv(now, library)
    result = review(current, small, assess_csv(SMALL, library))
    totals = result.totals
    own = current.loc[current["id"] == "srv-99"]
    for criterion in CRITERIA:
        if np.isnan(totals.loc[criterion, "current"]):
            continue  # a criterion without a shipped factor for some rows (licence gate): unknown
        assert totals.loc[criterion, "method"] == 0.0
        assert totals.loc[criterion, "added"] == pytest.approx(float(own[total_column(criterion)].iloc[0]))
        assert totals.loc[criterion, "change"] == pytest.approx(totals.loc[criterion, "added"], rel=1e-9)
        for component in ("removed", "quantity", "lifetime", "usage"):
            assert totals.loc[criterion, component] == 0.0
    assert result.devices["added"] == 1


def test_matching_rules_id_then_serial_then_name_and_model():
    base = pd.DataFrame({"id": ["a", "b", "pc-7", "d"], "serial_number": ["S1", "S2", "S3", None],
                         "name": ["x", "y", "z", "Printer hall"], "model": ["m", "m", "m", "LaserJet"]})
    cur = pd.DataFrame({"id": ["a", "q", "pc-7", "e"], "serial_number": ["S1", "s-2", "S9", None],
                        "name": ["x", "y", "z", "printer  HALL"], "model": ["m", "m", "m", "laserjet"]})
    pairs = match_items(cur, base).sort_values("current")
    assert pairs.values.tolist() == [[0, 0, "id"], [1, 1, "serial_number"], [3, 3, "name+model"]]
    # pc-7 kept its name but its serial changed: a new device, not a kept one


def test_generated_ids_never_match():
    ids = pd.Series([f"inventaire-glpi-{i}" for i in range(2, 40)])
    assert generated_ids(ids, ["inventaire-glpi"]).all()
    assert generated_ids(ids).all()
    assert not generated_ids(pd.Series(["PC-0001", "SRV-A", "x"])).any()
    base = pd.DataFrame({"id": ids[:3], "name": ["a", "b", "c"]})
    cur = pd.DataFrame({"id": ids[:3], "name": ["d", "e", "f"]})
    assert len(match_items(cur, base, current_generated=np.ones(3, bool),
                           baseline_generated=np.ones(3, bool))) == 0


def test_no_item_in_common_warns_and_still_reviews(small, library):
    other = small.assign(id="other-" + small["id"].astype(str), serial_number=None, model=None)
    result = review(other, small, small)
    assert any("no item in common" in w for w in result.warnings)
    assert result.devices["added"] == small["quantity"].sum()
    assert result.devices["removed"] == small["quantity"].sum()
    assert_adds_up(result)


def test_results_without_previous_inventory_flag_method_as_not_separable(small):
    result = review(small, small.assign(method_version="tables-old"), None, current_method="tables-new",
                    baseline_method="tables-old")
    assert result.method_status == METHOD_NOT_SEPARABLE
    assert any("cannot be separated" in w for w in result.warnings)
    assert (result.totals["method"].dropna() == 0).all()
    assert_adds_up(result)


def test_results_carry_versions_and_bad_versions_are_refused(small):
    assert set(small["tool_version"].astype(str)) == {tool_version()}
    assert str(small["method_version"].dtype) == "category"
    assert check_results_version(small, "r.csv")[0] == tool_version()
    for bad in ("banana", "99.0.0"):
        with pytest.raises(InputError, match=rf"r\.csv: column 'tool_version': value '{bad}'"):
            check_results_version(small.assign(tool_version=bad), "r.csv")
    assert check_results_version(small.drop(columns=["tool_version"]), "r.csv") == (None, None)


def test_a_criterion_without_factor_is_unknown_in_the_review_not_zero(library, write):
    """Laptops ship no embodied ADPe factor, so their ADPe total is unknown (NaN, as the summary
    prints '-'); the review must not turn a sum of unknowns into 0 (nor an indicator of 0)."""
    from auditor.indicators import indicators

    before = write("before.csv", "id,category,quantity,country\nl1,laptop,2,FR\nl2,laptop,1,FR\n")
    after = write("after.csv", "id,category,quantity,country\nl1,laptop,3,FR\nl3,laptop,1,FR\n")
    then, now = assess_csv(before, library), assess_csv(after, library)
    assert now[total_column("adpe")].isna().all() and then[total_column("adpe")].isna().all()
    result = review(now, then, then)
    adpe = result.totals.loc["adpe"]
    for column in ("baseline", "current", "change", "added", "removed", "quantity",
                   "baseline_low", "current_high"):
        assert np.isnan(adpe[column]), column
    assert result.groups["category"]["adpe"].loc["laptop", ["baseline", "current", "change"]].isna().all()
    # gwp is known for every row: it stays a number and still adds up
    assert np.isfinite(result.totals.loc["gwp", "change"])
    assert_adds_up(result)
    values = {i.key: i.value for i in indicators(now) if not i.category}
    assert np.isnan(values["adpe"]) and values["gwp"] > 0
