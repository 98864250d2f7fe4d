"""Rows that share a footprint profile are computed once (auditor/profiles.py): the results must be
exactly those of a row-by-row assessment, whatever the columns outside the profile hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import auditor.profiles as profiles
from auditor.api import assess_table
from auditor.footprint import AssessOptions
from auditor.inventory import read_inventory
from auditor.profiles import NOT_FOOTPRINT_INPUTS, profile_codes
from tests.conftest import EXAMPLES, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"


@pytest.fixture(scope="module")
def big_town(library) -> pd.DataFrame:
    """The example town 30 times over, every column outside the profile varied at random per row."""
    table, _ = read_inventory([TOWN], country="FR", today=TODAY, library=library)
    rng = np.random.default_rng(7)
    copies = pd.concat([table] * 30, ignore_index=True)
    n = len(copies)
    copies["id"] = [f"{i}-{k}" for k, i in enumerate(copies["id"].astype(str))]
    copies["name"] = [f"poste {k}" for k in range(n)]
    copies["serial_number"] = [f"SN{k:06d}" for k in range(n)]
    copies["site"] = rng.choice(["Mairie", "École", "Piscine"], size=n)
    copies["department"] = rng.choice(["DSI", "Culture"], size=n)
    days = rng.integers(0, 4000, size=n).astype("timedelta64[D]")
    copies["purchase_date"] = (np.datetime64("2014-01-01") + days).astype("datetime64[ns]")
    copies["warranty_end"] = (np.datetime64("2018-01-01") + days).astype("datetime64[ns]")
    copies["os"] = rng.choice(["Windows", "Ubuntu", ""], size=n)
    copies["os_version"] = rng.choice(["10", "11", "22.04"], size=n)
    copies["battery_health_pct"] = rng.uniform(40, 100, size=n)
    copies["repairability_index"] = rng.uniform(3, 9, size=n)
    copies["tpm_version"] = rng.choice([1.2, 2.0, np.nan], size=n)
    copies["price"] = rng.uniform(100, 900, size=n)
    copies["reused"] = rng.choice(["oui", "non", ""], size=n)
    copies["memory_soldered"] = rng.choice(["yes", "no", ""], size=n)
    copies["warnings"] = rng.choice(["", "a note", "another note"], size=n)
    return copies


def _assess(table, library, monkeypatch, *, grouped: bool, options: AssessOptions, lang: str = "en"):
    # 0 distinct profiles per row is never reached: grouping off; 1: grouping whenever it can
    monkeypatch.setattr(profiles, "GROUPING_WORTH_IT", 1.0 if grouped else 0.0)
    return assess_table(table, library=library, options=options, lang=lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_grouped_and_row_by_row_assessments_are_identical(big_town, library, monkeypatch, lang):
    options = AssessOptions(today=TODAY)
    codes, first = profile_codes(big_town)
    assert len(first) < len(big_town) / 10  # the copies share profiles: grouping really runs
    grouped = _assess(big_town, library, monkeypatch, grouped=True, options=options, lang=lang)
    rows = _assess(big_town, library, monkeypatch, grouped=False, options=options, lang=lang)
    pd.testing.assert_frame_equal(grouped, rows)


def test_site_enters_the_profile_when_a_site_has_its_own_pue(big_town, library, monkeypatch):
    options = AssessOptions(today=TODAY, site_pue={"École": 2.5})
    grouped = _assess(big_town, library, monkeypatch, grouped=True, options=options)
    rows = _assess(big_town, library, monkeypatch, grouped=False, options=options)
    pd.testing.assert_frame_equal(grouped, rows)
    servers = (grouped["category"] == "server").to_numpy()
    at_school = (grouped["site"] == "École").to_numpy()
    assert servers.any()
    assert (grouped.loc[servers & at_school, "pue"] == 2.5).all()
    assert (grouped.loc[servers & ~at_school, "pue"] != 2.5).all()


def test_every_column_outside_the_exempt_list_splits_profiles(big_town):
    base = big_town.head(200).copy()
    base_count = len(profile_codes(base)[1])
    for name in base.columns:
        if name in NOT_FOOTPRINT_INPUTS:
            continue
        changed = base.copy()
        column = changed[name]
        if pd.api.types.is_float_dtype(column):
            changed.loc[0, name] = 12345.5
        elif isinstance(column.dtype, pd.CategoricalDtype):
            other = next(c for c in column.cat.categories if c != column.iloc[0])
            changed.loc[0, name] = other
        elif pd.api.types.is_string_dtype(column) or column.dtype == object:
            changed.loc[0, name] = "a value no other row has"
        else:
            continue
        # row 0 now differs from every other row in that column: it cannot share their profile
        codes, _ = profile_codes(changed)
        assert (codes[1:] != codes[0]).all(), name
        assert len(profile_codes(changed)[1]) >= base_count, name


def test_one_profile_per_distinct_input_combination():
    table = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "category": pd.Categorical(["laptop", "laptop", "monitor", "laptop"]),
        "ram_gb": [8.0, 8.0, np.nan, 16.0],
        "purchase_date": pd.to_datetime(["2020-01-01", "2021-01-01", "2020-01-01", "2020-01-01"]),
    })
    codes, first = profile_codes(table)
    # rows a and b differ only by id and purchase date, which the footprint does not read
    assert codes.tolist() == [0, 0, 1, 2]
    assert first.tolist() == [0, 2, 3]


def test_unhashable_cells_make_every_row_its_own_profile():
    table = pd.DataFrame({"id": ["a", "b"], "category": ["laptop", "laptop"], "extra": [[1], [1]]})
    codes, first = profile_codes(table)
    assert codes.tolist() == [0, 1] and first.tolist() == [0, 1]


def test_the_command_asks_numpy_for_small_pages_unless_the_user_chose(monkeypatch):
    import subprocess
    import sys

    from auditor.entry import prefer_small_pages

    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    prefer_small_pages()
    import os

    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    prefer_small_pages()
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "1"
    # the entry point sets it before numpy is imported, so numpy reads it
    code = ("import sys; from auditor.entry import prefer_small_pages; prefer_small_pages(); "
            "assert 'numpy' not in sys.modules; import numpy, os; print(os.environ['NUMPY_MADVISE_HUGEPAGE'])")
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "0"


def test_scores_computed_side_by_side_in_threads_equal_the_serial_ones(big_town, library, monkeypatch):
    import auditor.scoring as scoring

    options = AssessOptions(today=TODAY)
    monkeypatch.setattr(scoring, "THREADED_FROM_ROWS", 0)
    threaded = assess_table(big_town, library=library, options=options, lang="fr")
    monkeypatch.setattr(scoring, "THREADED_FROM_ROWS", 10**12)
    serial = assess_table(big_town, library=library, options=options, lang="fr")
    pd.testing.assert_frame_equal(threaded, serial)


def test_no_column_on_the_exempt_list_moves_a_footprint_figure(big_town, library, monkeypatch):
    """The other half of the contract: shuffling any column of NOT_FOOTPRINT_INPUTS between rows
    (row-by-row assessment, no grouping) leaves every result column that profiles share unchanged.
    A footprint input wrongly put on the list would move some figure here."""
    from auditor.footprint import assess

    monkeypatch.setattr(profiles, "GROUPING_WORTH_IT", 0.0)
    table = big_town.head(400).reset_index(drop=True)
    options = AssessOptions(today=TODAY)
    per_row = {"id", "name", "site", "department", "age_years", "warnings"}
    base = assess(table, library, options)
    shared = [c for c in base.columns if c not in per_row]
    rng = np.random.default_rng(3)
    for name in sorted(NOT_FOOTPRINT_INPUTS & set(table.columns)):
        changed = table.copy()
        changed[name] = changed[name].to_numpy()[rng.permutation(len(changed))]
        moved = assess(changed, library, options)
        pd.testing.assert_frame_equal(moved[shared], base[shared], obj=f"shuffled {name}")
