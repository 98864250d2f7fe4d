"""The licence gate: only rows whose licence may be shipped inside the AGPL package load."""

from __future__ import annotations

import pandas as pd
import pytest

from factors.errors import FactorTableError
from factors.fit.licence_ids import FACTOR_FILES, licenses_markdown
from factors.licences import ALLOWED, licence_ids, licence_problem, share_alike_families
from factors.tables import DATA_DIR, load_table


@pytest.mark.parametrize("name", FACTOR_FILES)
def test_every_shipped_factor_row_has_an_allowed_licence(name):
    frame = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    refused = {row["id"]: licence_problem(row["licence"], row["source"], row["notes"])
               for _, row in frame.iterrows()}
    refused = {k: v for k, v in refused.items() if v}
    assert not refused, list(refused.items())[:3]
    assert all(set(licence_ids(c)) <= set(ALLOWED) for c in frame["licence"])
    # one share-alike family per file (Ember CC BY-SA and Electricity Maps ODbL are split)
    assert len(share_alike_families(frame["licence"])) <= 1


@pytest.mark.parametrize("cell, source, notes", [
    ("CC-BY-NC-ND-4.0", "some NGO", ""),                       # non-commercial: not allowed
    ("", "a report", ""),                                      # no licence at all
    ("fact", "ADEME Base IMPACTS (electricity mix)", ""),      # restricted database
    ("fact", "Base Empreinte device dataset", ""),
    ("permission", "a vendor", "they said yes"),               # permission not quoted
    ("user-supplied", "my city", ""),                          # only in a pack
])
def test_the_gate_refuses(cell, source, notes):
    assert licence_problem(cell, source, notes) is not None


def test_the_gate_accepts_a_quoted_permission_and_user_rows_in_a_pack():
    notes = 'permission: "You may redistribute these figures in the auditor package" (mail, 2026)'
    assert licence_problem("permission", "vendor", notes) is None
    assert licence_problem("user-supplied", "Base Empreinte v23 extract", "", pack=True) is None


def test_loader_refuses_a_row_with_a_restricted_source(tmp_path):
    frame = pd.read_csv(DATA_DIR / "parameters.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "source"] = "ADEME Base IMPACTS, electricity mix France 2011"
    path = tmp_path / "parameters.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(FactorTableError, match=r"parameters.csv row 3, column 'licence'.*Base IMPACTS"):
        load_table("parameters", path)


def test_loader_refuses_two_share_alike_families_in_one_file(tmp_path):
    frame = pd.read_csv(DATA_DIR / "electricity.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "licence"] = "ODbL-1.0"  # the rest is Ember, CC BY-SA 4.0
    path = tmp_path / "electricity.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(FactorTableError, match="mixes share-alike"):
        load_table("electricity", path)


def test_licenses_md_is_current():
    text = (DATA_DIR / "LICENSES.md").read_text(encoding="utf-8")
    assert text == licenses_markdown(), "run: python -m factors.fit.licence_ids"


def test_no_restricted_electricity_criterion_is_shipped(library):
    # ADEME Base IMPACTS ADPe per kWh is not redistributable and has no open equivalent: left to
    # packs; primary energy is derived openly instead (tests/test_electricity_pe.py)
    assert "adpe" not in set(library.electricity["criterion"])
    pe = library.electricity[library.electricity["criterion"] == "pe"]
    assert not pe["source"].str.contains("Base IMPACTS").any()
    factor = library.electricity_factor("FR", "adpe")
    assert factor.id == "missing:elec-adpe" and factor.value != factor.value
    assert any("no electricity factor for adpe:" in line for line in library.missing_factors())


def test_ghg_bounds_combine_the_two_licensed_files(library):
    # France: Ember 44.18 g; Electricity Maps 2021-2025: 60/91/49/33/31 g (electricity.md)
    fr = library.electricity_factor("FR", "gwp")
    assert fr.value == pytest.approx(0.04418)
    assert fr.low == pytest.approx(0.031) and fr.high == pytest.approx(0.091)


def test_results_name_the_electricity_maps_row_behind_the_bounds(library):
    from tests.test_footprint import run

    results = run([{"category": "laptop", "country": "FR"}], library)
    ids = results["factor_ids"].iloc[0].split(";")
    assert "elec-FR-gwp" in ids and "elecmaps-FR-gwp" in ids
