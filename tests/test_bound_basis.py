"""Bound basis: which share of each total has bounds from sources, a formula or a calibration."""

from __future__ import annotations

import numpy as np
import pytest

from auditor.bound_basis import bound_basis_shares, weakest_basis
from factors.tables import BOUND_BASES
from tests.test_footprint import run


def test_every_packaged_factor_row_states_its_bound_basis(library):
    for table in ("electricity", "embodied", "archetypes", "parameters"):
        frame = getattr(library, table)
        assert set(frame["bound_basis"]) <= set(BOUND_BASES), table
    # the fixed-ratio water bounds are declared formulas, not a spread of sources (issue 17)
    assert library.electricity_factor("FR", "water").id == "elec-FR-water"
    elec = library.electricity.set_index("id")
    assert elec.loc["elec-FR-water", "bound_basis"] == "formula"
    assert elec.loc["elec-FR-gwp", "bound_basis"] == "sources"   # Ember vs Electricity Maps
    assert elec.loc["elec-EU27-gwp", "bound_basis"] == "formula"  # no Electricity Maps zone


def test_weakest_basis_orders_none_formula_sources_calibrated():
    assert weakest_basis(["sources", "formula"]) == "formula"
    assert weakest_basis(["calibrated", "sources"]) == "sources"
    assert weakest_basis([]) == "none"


def test_laptop_in_france_splits_gwp_between_calibrated_embodied_and_sourced_use(library):
    results = run([{"category": "laptop", "country": "FR"}], library)
    shares = bound_basis_shares(results, library)
    emb = results["gwp_embodied_kgco2e"].iloc[0] / results["lifetime_years"].iloc[0]
    use = results["gwp_use_kgco2e_per_year"].iloc[0]
    # embodied GWP of a laptop comes from the calibrated model; FR use from Ember + Electricity Maps
    assert shares.loc["gwp", "calibrated"] == pytest.approx(emb / (emb + use))
    assert shares.loc["gwp", "sources"] == pytest.approx(use / (emb + use))
    assert np.allclose(shares.loc[["gwp", "water"]].sum(axis=1), 1.0)
