"""Factor packs: a user's licensed tables laid over the packaged ones, recorded in the results."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from auditor.cli import cli
from factors.errors import FactorTableError
from factors.packs import active_pack_dirs, config_pack_dirs
from factors.tables import DATA_DIR, FactorLibrary

HEADER = "id,category,criterion,driver,value,low,high,unit,source,source_url,licence,year,notes\n"


def _pack(tmp_path, rows: str, name: str = "city-pack"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "embodied.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def test_a_pack_replaces_exactly_the_rows_it_names(tmp_path):
    pack = _pack(tmp_path,
                 "emb-laptop-gwp-device,laptop,gwp,device,200,150,250,kgCO2e,My vendor EPD 2025,,"
                 "user-supplied,2025,\n"
                 "emb-laptop-adpe-device,laptop,adpe,device,0.005,0.004,0.006,kgSbeq,"
                 "Base Empreinte extract (licensed to the city),,user-supplied,2024,\n")
    base = FactorLibrary()
    over = FactorLibrary(packs=[pack])
    a, b = base.embodied.set_index("id"), over.embodied.set_index("id")
    assert b.loc["emb-laptop-gwp-device", "value"] == 200.0
    assert b.loc["emb-laptop-gwp-device", "origin"] == "pack:city-pack"
    assert b.loc["emb-laptop-adpe-device", "value"] == 0.005      # a new row, added
    assert "emb-laptop-adpe-device" not in a.index
    # every other row is the packaged one, unchanged
    others = a.index.drop("emb-laptop-gwp-device")
    pd.testing.assert_frame_equal(a.loc[others].drop(columns="origin"), b.loc[others].drop(columns="origin"))
    assert len(b) == len(a) + 1


def test_a_pack_is_checked_by_the_same_loader(tmp_path):
    pack = _pack(tmp_path, "emb-laptop-gwp-device,laptop,gwp,device,200,150,250,kWh,Vendor,,"
                           "user-supplied,2025,\n")
    with pytest.raises(FactorTableError, match="column 'unit'"):
        _ = FactorLibrary(packs=[pack]).embodied
    with pytest.raises(FactorTableError, match="not a folder"):
        FactorLibrary(packs=[tmp_path / "nowhere"])


def test_results_record_the_packs_and_versions(tmp_path):
    from auditor.api import assess_table
    from auditor.inventory import read_inventory

    (tmp_path / "inv.csv").write_text("category,quantity\nlaptop,2\n", encoding="utf-8")
    pack = _pack(tmp_path, "emb-laptop-gwp-device,laptop,gwp,device,200,150,250,kgCO2e,Vendor,,"
                           "user-supplied,2025,\n")
    (pack / "pack.toml").write_text('name = "vendor-epd"\nversion = "2025.1"\n', encoding="utf-8")
    base, over = FactorLibrary(), FactorLibrary(packs=[pack])
    table, _ = read_inventory([tmp_path / "inv.csv"], country="FR", library=base)
    plain = assess_table(table, library=base).attrs["method_version"]
    packed = assess_table(table, library=over).attrs["method_version"]
    assert plain == base.fingerprint() and "pack" not in plain
    assert packed.startswith(plain) and "pack vendor-epd@2025.1" in packed
    # editing the pack changes its version hash, hence the fingerprint
    (pack / "embodied.csv").write_text(HEADER + "emb-laptop-gwp-device,laptop,gwp,device,210,150,"
                                       "250,kgCO2e,Vendor,,user-supplied,2025,\n", encoding="utf-8")
    assert FactorLibrary(packs=[pack]).fingerprint() != over.fingerprint()


def test_packs_come_from_option_then_environment_then_config(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('[tool.auditor]\nfactors = ["packs/a"]\n', encoding="utf-8")
    assert config_pack_dirs(tmp_path) == [tmp_path / "packs/a"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUDITOR_FACTORS", raising=False)
    assert active_pack_dirs() == [tmp_path / "packs/a"]
    monkeypatch.setenv("AUDITOR_FACTORS", "/x/env")
    assert [p.as_posix() for p in active_pack_dirs()] == ["/x/env"]
    assert [p.as_posix() for p in active_pack_dirs(("cli",))] == ["cli"]


def test_factors_packs_lists_what_is_active(tmp_path):
    pack = _pack(tmp_path, "emb-laptop-gwp-device,laptop,gwp,device,200,150,250,kgCO2e,Vendor,,"
                           "user-supplied,2025,\n")
    from factors.tables import use_packs

    try:
        out = CliRunner().invoke(cli, ["factors", "--packs", "--factors", str(pack)])
    finally:
        use_packs(())
    assert out.exit_code == 0, out.output
    assert "pack city-pack sha256:" in out.output
    assert "embodied: 1 row(s) replaced, 0 added" in out.output
    assert "emb-laptop-gwp-device" in out.output


def test_packaged_fingerprint_covers_every_table():
    # the fingerprint changes with any packaged CSV: it hashes them all
    assert FactorLibrary().fingerprint().startswith("tables sha256:")
    assert len(list(DATA_DIR.glob("*.csv"))) >= 8
