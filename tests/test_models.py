"""Calibrated models: CPU table, server wall power, embodied GWP, model parameter files."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from auditor.footprint import AssessOptions, assess, embodied_model, server_power_model
from auditor.inventory import table_from_records
from factors.cpu_table import CPU_FILE, cpu_table, lookup_cpus, match_cpu, table_key
from factors.embodied_model import MODEL_CATEGORIES, family_keys, manufacturer_key
from factors.errors import FactorTableError
from factors.power import (
    SERVER_INPUTS,
    server_given_inputs,
    server_wall_power_model_w,
)
from factors.tables import DATA_DIR, MODEL_TABLES, load_model_table
from tests.conftest import TODAY

OPTIONS = AssessOptions(today=TODAY, pue=1.0)


def run(rows, library):
    return assess(table_from_records(rows, country="FR", today=TODAY, library=library), library, OPTIONS)


# ---------------------------------------------------------------------------------------------
# CPU table
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("names", "tdp"), [
    (["Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz", "Intel Xeon Gold 6134 3.20 GHz", "Xeon(R) Gold 6134"], 130),
    (["Intel Xeon E5-2660 (Intel Turbo Boost Technology up to 3.00 GHz)", "Intel(R) Xeon(R) CPU E5-2660 0 @ 2.20GHz"
      .replace(" 0 @", " @"), "E5-2660"], 95),
    (["Intel Xeon E5-2660 v2", "Xeon E5-2660v2"], 95),
    (["AMD EPYC 7601 2.20 GHz, Dell SKU [338-BNCG]", "AMD EPYC 7601 32-Core Processor"], 180),
    (["AMD EPYC 9654 96-Core Processor", "EPYC 9654"], 360),
])
def test_vendor_spellings_find_one_cpu(names, tdp):
    rows = {match_cpu(n) for n in names}
    assert len(rows) == 1 and -1 not in rows
    assert cpu_table()["tdp_w"].iloc[rows.pop()] == pytest.approx(tdp)


@pytest.mark.parametrize("name", ["Intel Core i7-12700", "Intel Core i5-10500", "AMD Ryzen 7 5800X",
                                  "AMD Ryzen 5 PRO 4650G with Radeon Graphics", "Apple M1", "Apple M2 Pro",
                                  "Intel Xeon Silver 4214R", "Intel Xeon Platinum 8380", "AMD EPYC 7763"])
def test_common_families_are_covered(name):
    assert lookup_cpus([name])["tdp_w"][0] > 0


def test_lookup_unknowns_are_nan():
    """Speed of a 200,000-name lookup: bench/cpu_lookup.py (no timing asserted here)."""
    names = np.array(["Intel Xeon Gold 6134", None, "no such cpu", "AMD EPYC 7302"] * 50, dtype=object)
    out = lookup_cpus(names)
    assert out["matched"].tolist()[:4] == [True, False, False, True]
    assert np.isnan(out["tdp_w"][1]) and np.isnan(out["tdp_w"][2])
    assert out["amd"][3] == 1.0 and out["amd"][0] == 0.0
    assert (out["tdp_w"][::4] == 130).all()


def test_cpu_table_rows_are_keyed_and_sourced():
    table = pd.read_csv(CPU_FILE, dtype=str, keep_default_na=False)
    assert table["key"].is_unique and (table["key"] != "").all()
    assert (table["key"] == table["name"].map(table_key)).all()
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", (DATA_DIR / "cpus.md").read_text(encoding="utf-8"), re.M))
    used = set(table["source"].str.split(";").explode())
    assert used <= documented, used - documented
    numbers = table[["tdp_w", "cores", "threads", "launch_year", "die_mm2"]].replace("", np.nan).astype(float)
    assert numbers.notna().any(axis=1).all()
    assert (numbers.fillna(1) > 0).all().all()


# ---------------------------------------------------------------------------------------------
# Model parameter files
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MODEL_TABLES)
def test_packaged_model_tables_load_with_sources(name):
    frame = load_model_table(DATA_DIR / f"{name}.csv")
    assert len(frame) > 20
    assert (frame["source"] != "").all() and (frame["low"] <= frame["value"]).all()
    assert (frame["value"] <= frame["high"]).all()


def test_model_table_allows_negative_coefficients_and_refuses_bad_rows(tmp_path):
    header = "id,parameter,value,low,high,unit,source,source_url,licence,year,notes\n"
    good = tmp_path / "good.csv"
    good.write_text(header + "a,coef:x:0,-0.5,-0.6,-0.4,dimensionless,Someone 2020,,MIT,2020,\n", encoding="utf-8")
    assert load_model_table(good)["value"].iloc[0] == -0.5
    for row, message in (("a,p,1,0,2,dimensionless,,,MIT,2020,", "cited source"),
                         ("a,p,1,2,3,dimensionless,S,,MIT,2020,", "low <= value <= high"),
                         ("a,p,x,0,2,dimensionless,S,,MIT,2020,", "not a number"),
                         ("a,p,1,0,2,blorbs,S,,MIT,2020,", "column 'unit'"),
                         ("a,p,1,0,2,dimensionless,S,,CC-BY-NC-4.0,2020,", "column 'licence'")):
        bad = tmp_path / "bad.csv"
        bad.write_text(header + row + "\n", encoding="utf-8")
        with pytest.raises(FactorTableError, match=message):
            load_model_table(bad)
    duplicate = tmp_path / "dup.csv"
    duplicate.write_text(header + "a,p,1,0,2,W,S,,MIT,2020,\na,q,1,0,2,W,S,,MIT,2020,\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match="duplicate id"):
        load_model_table(duplicate)


# ---------------------------------------------------------------------------------------------
# Server wall power
# ---------------------------------------------------------------------------------------------
def _exact(**values):
    n = len(next(iter(values.values())))
    given = {k: np.asarray(v, float) for k, v in values.items()}
    nan = np.full(n, np.nan)
    return server_given_inputs(
        given["tdp"], given["count"], given.get("cores", nan), given.get("threads", nan), given["ram"],
        given["disks"], np.zeros(n), given["psu_count"], given["psu_w"], given.get("year", nan), given.get("amd", nan),
        nan, nan, nan)


def test_server_power_rises_with_load_and_bounds_hold(library):
    model = server_power_model(library)
    rng = np.random.default_rng(3)
    n = 300
    given = _exact(tdp=rng.uniform(40, 280, n), count=rng.integers(1, 5, n), cores=rng.integers(2, 128, n),
                   threads=np.nan * np.ones(n), ram=rng.uniform(4, 1024, n), disks=rng.integers(0, 8, n),
                   psu_count=rng.integers(1, 3, n), psu_w=rng.uniform(300, 2000, n),
                   year=np.where(rng.random(n) < 0.2, np.nan, rng.integers(2005, 2026, n)))
    point, low, high = model.inputs(given)
    previous = None
    for load in np.linspace(0, 100, 21):
        v, lo, hi = server_wall_power_model_w(model, np.full(n, load), point, low, high)
        assert np.isfinite(v).all() and (v > 0).all()
        assert (lo <= v * (1 + 1e-12)).all() and (v <= hi * (1 + 1e-12)).all()
        if previous is not None:
            assert (v >= previous - 1e-9).all()
        previous = v


def test_unknown_inputs_widen_the_server_bounds(library):
    model = server_power_model(library)
    known = _exact(tdp=[150.0], count=[2.0], cores=[32.0], threads=[64.0], ram=[128.0], disks=[2.0],
                   psu_count=[2.0], psu_w=[800.0], year=[2019.0], amd=[0.0])
    unknown = {**known, "year": tuple(np.array([np.nan]) for _ in range(3)),
               "cores_per_cpu": tuple(np.array([np.nan]) for _ in range(3))}
    # every key seen in TRAIN (a Dell PowerEdge R640 with Xeon Platinum 8180 CPUs was measured)
    keys = {"vendor": ["dell"], "generation": ["skylake"], "cpu": ["xeonplatinum8180"], "product": ["dell-r640"]}
    spans = []
    for given in (known, unknown):
        v, lo, hi = server_wall_power_model_w(model, [30.0], *model.inputs(given), keys=keys)
        spans.append((hi - lo)[0] / v[0])
    assert spans[1] > spans[0]
    # known inputs: only the model's own band (level 30 %), which scales the platform term; the
    # parts (2 SSDs, 128 GB at the packaged watts, over the PSU efficiency) are known exactly
    band = model.band[:, 3]
    p = {k: v[0] for k, v in model.parts.items()}
    parts_w = (2 * p["ssd_w"] + 128 * p["ram_w_per_gb"]) / p["psu_efficiency"]
    v, _, _ = server_wall_power_model_w(model, [30.0], *model.inputs(known), keys=keys)
    assert spans[0] == pytest.approx((band[1] - band[0]) * (v[0] - parts_w) / v[0], rel=1e-6)
    # unknown keys (maker, product line, CPU generation and model) add no offset but widen the bounds
    v_unknown, lo_u, hi_u = server_wall_power_model_w(model, [30.0], *model.inputs(known))
    assert (hi_u - lo_u)[0] / v_unknown[0] > spans[0]
    # ... except the product line and CPU model: the out-of-fold band was calibrated on folds that
    # had not seen most of them, so an unknown one changes the value, not the relative width
    blank = {**keys, "cpu": [""], "product": [""]}
    v_blank, lo_b, hi_b = server_wall_power_model_w(model, [30.0], *model.inputs(known), keys=blank)
    assert v_blank[0] != pytest.approx(v[0], rel=1e-6)
    assert (hi_b - lo_b)[0] / (v_blank[0] - parts_w) == pytest.approx(band[1] - band[0], rel=1e-6)


def _server_power_by_hand(inputs: dict[str, float], load_pct: float, keys: dict[str, str]) -> float:
    """Wall power [W] from the coefficient rows of factors/data/server-power-model.csv, read with
    the csv module: ln P_level = sum over terms of coef:<term>:<level> x term (log of the input,
    linear PSU count and AMD flag, year - year_ref, its square, hinges max(year - K, 0), the AMD
    flag times the year line and hinges), plus the rows effect:<kind>:<key>:<level> of the given
    keys, then linear between the two SPECpower levels around the load."""
    import csv
    import math

    with open(DATA_DIR / "server-power-model.csv", encoding="utf-8", newline="") as handle:
        rows = {r["parameter"]: r for r in csv.DictReader(handle)}
    for name, (low, high) in {k[5:]: (float(r["low"]), float(r["high"])) for k, r in rows.items()
                              if k.startswith("clip:")}.items():
        assert low <= inputs[name] <= high, f"{name} outside the training range: no clipping by hand"
    assert not any(k.startswith("unknown:") and k[8:] not in inputs for k in rows)
    year = inputs["year"] - float(rows["year_ref"]["value"])

    def term(name: str) -> float:
        if name == "intercept":
            return 1.0
        if name.startswith("log_"):
            return math.log(inputs[name[4:]])
        if name in ("psu_count", "amd"):
            return inputs[name]
        if name == "year":
            return year
        if name == "year_sq":
            return year ** 2
        if name == "amd_year":
            return inputs["amd"] * year
        if name.startswith("amd_after_"):
            return inputs["amd"] * max(inputs["year"] - float(name[10:]), 0.0)
        assert name.startswith("year_after_"), name
        return max(inputs["year"] - float(name[11:]), 0.0)

    def at_level(level: int) -> float:
        coefs = {k.split(":")[1]: float(r["value"]) for k, r in rows.items()
                 if k.startswith("coef:") and k.endswith(f":{level}")}
        effects = sum(float(rows[f"effect:{kind}:{key}:{level}"]["value"])
                      for kind, key in keys.items() if f"effect:{kind}:{key}:{level}" in rows)
        return math.exp(sum(c * term(name) for name, c in coefs.items()) + effects)

    below = int(load_pct // 10 * 10)
    share = (load_pct - below) / 10
    platform = at_level(below) * (1 - share) + at_level(below + 10) * share
    # parameter files with 'part:' rows add the drives and memory at their own watts, over the
    # power supply's efficiency: (n_ssd w_ssd + n_hdd w_hdd + GB w_ram) / efficiency
    part = {k[5:]: float(r["value"]) for k, r in rows.items() if k.startswith("part:")}
    if not part:
        return platform
    dc = (inputs["ssd_count"] * part["ssd_w"] + inputs["hdd_count"] * part["hdd_w"]
          + inputs["ram_gb"] * part.get("ram_w_per_gb", 0.0))
    return platform + dc / part["psu_efficiency"]


def test_assess_server_power_is_the_calibrated_curve_by_hand(library):
    row = {"category": "server", "manufacturer": "Dell Inc.", "model": "PowerEdge R640 (2018)",
           "cpu_model": "Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz", "cpu_count": 2,
           "cpu_cores": 16, "cpu_threads": 32, "ram_gb": 192, "ssd_count": 2, "hdd_count": 0, "psu_count": 2,
           "psu_rating_w": 750, "year": 2018, "avg_load_pct": 35, "hours_per_day": 24, "days_per_year": 365}
    results = run([row], library)
    # TDP 130 W from the CPU table (Intel ARK), 8 cores per CPU, 2 threads per core, 2 drives (SSDs)
    inputs = {"tdp_per_cpu_w": 130.0, "cpu_count": 2.0, "cores_per_cpu": 8.0, "threads_per_core": 2.0,
              "ram_gb": 192.0, "disk_count": 2.0, "ssd_count": 2.0, "hdd_count": 0.0, "psu_count": 2.0,
              "psu_rating_w": 750.0, "year": 2018.0, "amd": 0.0}
    # Xeon Gold 6134: first generation of Xeon Scalable (second digit 1), Skylake-SP (Intel ARK);
    # maker Dell, product line R640 (maker + product number), CPU model Xeon Gold 6134 (never
    # measured in TRAIN: no row, no offset)
    keys = {"vendor": "dell", "generation": "skylake", "cpu": "xeongold6134", "product": "dell-r640"}
    power = _server_power_by_hand(inputs, 35.0, keys)
    assert results["power_w"].iloc[0] == pytest.approx(power, rel=1e-9)
    assert results["energy_kwh_per_year"].iloc[0] == pytest.approx(power * 8.76, rel=1e-9)
    assert results["energy_kwh_per_year_low"].iloc[0] < power * 8.76 < results["energy_kwh_per_year_high"].iloc[0]
    assert results["energy_source"].iloc[0] == "modelled"
    assert "cpu_tdp_w" not in results["filled_specs"].iloc[0]  # from the CPU table, not an archetype


def test_server_power_grows_with_sockets_memory_and_load(library):
    base = {"category": "server", "cpu_model": "Intel Xeon Silver 4214R", "cpu_count": 1, "ram_gb": 32,
            "year": 2020, "psu_count": 1, "psu_rating_w": 550, "ssd_count": 1, "avg_load_pct": 20}
    results = run([base, {**base, "cpu_count": 2}, {**base, "ram_gb": 512}, {**base, "avg_load_pct": 80}], library)
    power = results["power_w"].to_numpy()
    assert (power[1:] > power[0]).all()


# ---------------------------------------------------------------------------------------------
# Embodied GWP
# ---------------------------------------------------------------------------------------------
def test_names_give_manufacturer_and_family_keys():
    assert {manufacturer_key(m) for m in ("Dell Inc.", "DELL", "Dell Technologies")} == {"dell"}
    assert {manufacturer_key(m) for m in ("Hewlett-Packard", "HP Inc.", "HPE")} == {"hp"}
    assert family_keys("Latitude 5480", "dell") == ("latitude", "latitude|5")
    assert family_keys("Dell Latitude 5480", "dell") == ("latitude", "latitude|5")
    assert family_keys("P2419H Monitor", "dell") == ("p", "p2")
    assert family_keys(None) == ("", "")


def test_embodied_model_covers_its_categories_with_bounds(library):
    rows = [{"category": c} for c in MODEL_CATEGORIES] + [{"category": "printer"}]
    results = run(rows, library)
    gwp = results["gwp_embodied_kgco2e"].to_numpy()
    assert (results["gwp_embodied_kgco2e_low"].to_numpy() < gwp).all()
    assert (gwp < results["gwp_embodied_kgco2e_high"].to_numpy()).all()
    printer = library.embodied.query("category == 'printer' and criterion == 'gwp'")["value"].sum()
    assert gwp[-1] == pytest.approx(printer)  # a category outside the model keeps its factor table
    assert set(embodied_model(library).categories) == set(MODEL_CATEGORIES)


def test_known_product_family_gives_a_narrower_band(library):
    rows = [{"category": "laptop", "manufacturer": "Dell", "model": "Latitude 5420", "year": 2021},
            {"category": "laptop", "manufacturer": "Dell", "model": "Zorglub 9", "year": 2021}]
    results = run(rows, library)
    width = (results["gwp_embodied_kgco2e_high"] - results["gwp_embodied_kgco2e_low"]) / results["gwp_embodied_kgco2e"]
    assert width.iloc[0] < width.iloc[1]


def test_other_criteria_scale_with_the_model_gwp_by_the_table_ratio(library):
    results = run([{"category": "monitor", "screen_size_in": 24}, {"category": "monitor", "screen_size_in": 32}],
                  library)
    table = library.embodied.query("category == 'monitor'")
    # (pe is no longer shipped for monitors: its only source, Base Empreinte, is restricted)
    for criterion, column in (("water", "water_embodied_m3"),):
        rows = table[table["criterion"] == criterion].set_index("driver")["value"]
        gwp_rows = table[table["criterion"] == "gwp"].set_index("driver")["value"]
        for i, size in enumerate((24, 32)):
            ratio = (rows["device"] + rows["screen_size_in"] * size) / (gwp_rows["device"] + gwp_rows["screen_size_in"] * size)
            assert results[column].iloc[i] == pytest.approx(results["gwp_embodied_kgco2e"].iloc[i] * ratio, rel=1e-9)
        low = results[f"{column}_low"] / results["gwp_embodied_kgco2e_low"]
        assert (low <= results[column] / results["gwp_embodied_kgco2e"] + 1e-12).all()


def test_server_inputs_cover_every_model_input():
    given = _exact(tdp=[100.0], count=[1.0], ram=[16.0], disks=[1.0], psu_count=[1.0], psu_w=[400.0])
    assert set(given) == set(SERVER_INPUTS)


def test_unknown_manufacturer_gets_the_widest_band(library):
    rows = [{"category": "laptop", "manufacturer": "Dell", "model": "Latitude 5420", "screen_size_in": 14},
            {"category": "laptop", "manufacturer": "Dell", "model": "Zzqx 9", "screen_size_in": 14},
            {"category": "laptop", "screen_size_in": 14}]
    results = run(rows, library)
    ratio = (results["gwp_embodied_kgco2e_high"] / results["gwp_embodied_kgco2e_low"]).to_numpy()
    # known family <= known brand, unknown family <= unknown brand (fit: out-of-fold, keys blanked)
    assert ratio[0] <= ratio[1] <= ratio[2]
    assert ratio[2] > ratio[0]


def test_laptops_filed_as_desktops_are_left_out_of_training_but_all_in_ones_stay():
    import pandas as pd

    from factors.fit.fit_embodied import mislabelled_desktop

    frame = pd.DataFrame({
        "subcategory": ["Desktop", "Desktop", "Desktop", "Desktop", "Laptop"],
        "name": ["Chromebook 3100", "Precision 5570", "OptiPlex 7490 All-in-One", "OptiPlex 7010", "XPS 13"],
        "screen_size": [11, 15, 24, 0, 13], "weight": [1.4, 2.0, 10.0, 5.0, 1.2]})
    assert mislabelled_desktop(frame).tolist() == [True, True, False, False, False]
