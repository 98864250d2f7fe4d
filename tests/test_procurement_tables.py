"""The procurement factor tables: cited, licensed, bounded, of the right unit dimension."""

from __future__ import annotations

import pytest

from factors.errors import FactorTableError
from factors.procurement import (
    load_procurement_table,
    refurbished_share,
    repair_footprint,
    rules_for_year,
)
from factors.tables import DATA_DIR

KINDS = ("repairs", "refurbished", "purchase-rules")


@pytest.mark.parametrize("kind", KINDS)
def test_packaged_tables_load_with_source_and_licence(kind):
    table = load_procurement_table(kind)
    assert len(table) > 0
    assert (table["source"].str.len() > 0).all() and (table["licence"].str.len() > 0).all()
    assert ((table["low"] <= table["value"]) & (table["value"] <= table["high"])).all()


def test_battery_row_is_the_cited_kwh_figure_per_wh():
    # Peiseler et al. 2024: NMC811 median 74 kgCO2/kWh -> 0.074 kgCO2e per Wh
    assert repair_footprint("battery", "gwp", {"wh": 1000}).value == pytest.approx(74)
    assert repair_footprint("battery", "adpe", {"wh": 50}) is None


def test_refurbished_share_falls_back_to_default():
    assert refurbished_share("server") == refurbished_share("laptop").__class__(0.30, 0.03, 0.57,
                                                                                  ("refurb-default-share",))


def test_rules_of_2024_cover_both_decrees():
    assert {r.split("-")[0] for r in rules_for_year(2024)["id"]} == {"agec2021", "agec2024"}


@pytest.mark.parametrize(("edit", "message"), [
    (lambda s: s.replace("repair-ram-gwp-gb,ram,gwp,gb,1.76797,", "repair-ram-gwp-gb,ram,gwp,gb,0.5,"),
     "low <= value <= high"),
    (lambda s: s.replace(",kgCO2e/Wh,", ",kgCO2e/GB,", 1), "column 'unit'"),
    (lambda s: s.replace("repair-ram-gwp-gb,", "repair-ram-gwp-unit,", 1), "duplicate id"),
    (lambda s: s.replace("CC-BY-4.0 (Nature Communications open access); figures quoted with attribution", ""),
     "column 'licence'"),
])
def test_bad_rows_name_file_row_and_column(tmp_path, edit, message):
    text = (DATA_DIR / "repairs.csv").read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    path = tmp_path / "repairs.csv"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(FactorTableError, match="repairs.csv row") as info:
        load_procurement_table("repairs", path)
    assert message in str(info.value)
