"""The server power model obeys physics: each part draws what it draws, whatever the CPU load.

Expected values come from the cited part rows of the packaged model (watts per drive, W/GB,
PSU efficiency: rows ``part:*`` of factors/data/server-power-model.csv, each citing
parameters.csv) and from properties, never from the code path under test.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.footprint import server_power_model
from factors.power import server_given_inputs, server_parts_power_w, server_wall_power_model_w
from factors.tables import load_model_table


@pytest.fixture(scope="module")
def parts():
    """(value, low, high) of each part, read straight from the CSV rows (not through the model)."""
    from importlib.resources import files

    frame = load_model_table(files("factors.data").joinpath("server-power-model.csv"))
    rows = frame.loc[frame["parameter"].str.startswith("part:")]
    return {p[5:]: (v, lo, hi) for p, v, lo, hi in zip(rows["parameter"], rows["value"], rows["low"],
                                                          rows["high"], strict=True)}


def test_parts_power_by_hand():
    # 2 SSD x 8 W + 3 HDD x 6.4 W + 128 GB x 0.2 W/GB = 16 + 19.2 + 25.6 = 60.8 W DC; / 0.8 = 76 W
    out = server_parts_power_w([2], [3], [128], ssd_w=8, hdd_w=6.4, ram_w_per_gb=0.2, psu_efficiency=0.8)
    assert out[0] == pytest.approx(76.0)


def test_every_part_row_is_cited_and_bounded(parts):
    assert set(parts) == {"ssd_w", "hdd_w", "ram_w_per_gb", "psu_efficiency"}
    for name, (v, lo, hi) in parts.items():
        assert lo <= v <= hi, name
    # the drive watts are the cited figures (Boavizta usage model: SSD 8 W, HDD 6.4 W)
    assert parts["ssd_w"][0] == 8.0 and parts["hdd_w"][0] == 6.4


def _server(n, rng_values):
    tdp, count, cores, ram, ssd, hdd, psu, year = rng_values
    nan = np.full(n, np.nan)
    return server_given_inputs(np.full(n, tdp), np.full(n, count), np.full(n, cores * count), nan,
                               np.full(n, ram), np.full(n, ssd), np.full(n, hdd), np.full(n, psu),
                               np.full(n, 800.0), np.full(n, year), np.zeros(n), nan, nan, nan)


servers = st.tuples(st.floats(35, 350), st.sampled_from([1.0, 2.0, 4.0]), st.integers(2, 64),
                    st.floats(4, 2048), st.integers(0, 12), st.integers(0, 24), st.sampled_from([1.0, 2.0]),
                    st.integers(2006, 2025))


#: Effect keys drawn by the properties: unknown, and keys seen in TRAIN (rows effect:* of the CSV).
keys = st.tuples(st.sampled_from(["", "dell", "hp", "fujitsu", "acer", "unseen-maker"]),
                 st.sampled_from(["", "nehalem", "sandybridge", "skylake", "cascadelake", "epyc-rome", "opteron"]),
                 st.sampled_from(["", "xeonplatinum8180", "xeone52699v4", "epyc7742", "xeonsilver4210", "unseen-cpu"]),
                 st.sampled_from(["", "dell-r640", "hp-dl360", "lenovo-sr650", "unseen-product"]))


def _keys(keys_drawn, n=1):
    return {kind: np.full(n, key, dtype=object)
            for kind, key in zip(("vendor", "generation", "cpu", "product"), keys_drawn, strict=False)}


@settings(max_examples=60, deadline=None)
@given(server=servers, load=st.floats(0, 100), drive=st.sampled_from(["ssd", "hdd"]), key=keys)
def test_adding_a_drive_adds_its_watts_at_every_load(parts, server, load, drive, key):
    model = server_power_model_cached()
    tdp, count, cores, ram, ssd, hdd, psu, year = server
    more = (tdp, count, cores, ram, ssd + (drive == "ssd"), hdd + (drive == "hdd"), psu, year)
    (v0, lo0, hi0), (v1, lo1, hi1) = (
        server_wall_power_model_w(model, [load], *model.inputs(_server(1, s)), keys=_keys(key))
        for s in (server, more))
    w, w_lo, w_hi = parts[f"{drive}_w"]
    eff, eff_lo, eff_hi = parts["psu_efficiency"]
    step = (v1 - v0)[0]
    assert step == pytest.approx(w / eff, rel=1e-9)
    assert w_lo / eff_hi <= step <= w_hi / eff_lo  # within the drive's cited range
    assert (lo1 - lo0)[0] == pytest.approx(w / eff, rel=1e-9)
    assert (hi1 - hi0)[0] == pytest.approx(w / eff, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(server=servers, key=keys, drives_known=st.booleans())
def test_power_never_decreases_with_load(server, key, drives_known):
    model = server_power_model_cached()
    loads = np.linspace(0, 100, 41)
    point, low, high = model.inputs(_server(loads.size, server))
    if not drives_known:  # drive counts as a range, as the archetype fills them
        low, high = ({**d, "ssd_count": np.zeros(loads.size), "hdd_count": d["hdd_count"] * 0 + bound}
                     for d, bound in ((low, 0.0), (high, 2.0)))
        high["ssd_count"] = np.full(loads.size, 2.0)
    v, lo, hi = server_wall_power_model_w(model, loads, point, low, high, keys=_keys(key, loads.size))
    assert (np.diff(v) >= -1e-9).all() and (np.diff(lo) >= -1e-9).all() and (np.diff(hi) >= -1e-9).all()
    assert (lo <= v).all() and (v <= hi).all()


def test_drives_unknown_use_their_own_band_and_count_once(parts):
    """Drive counts as a range (not given): bounds = platform x the drives-unknown band + the parts
    at the point counts (rows band_drives_unknown:* and part:* of the CSV), the bounds of each
    level made non-decreasing in load (the envelope over the levels up to the load)."""
    from importlib.resources import files

    rows = load_model_table(files("factors.data").joinpath("server-power-model.csv")).set_index("parameter")
    levels = (0, 10, 20, 30)
    model = server_power_model_cached()
    n = len(levels)
    key = _keys(("dell", "broadwell"), n)
    nan, full = np.full(n, np.nan), (lambda x: np.full(n, x))
    # every input known (2 x 150 W, 16 cores and 32 threads each, 64 GB, 1 SSD, 2 x 800 W PSU, 2016)
    given_inputs = server_given_inputs(full(150.0), full(2.0), full(32.0), full(64.0), full(64.0), full(1.0),
                                       full(0.0), full(2.0), full(800.0), full(2016.0), full(0.0), nan, nan, nan)
    point, low, high = model.inputs(given_inputs)
    v_known, lo_known, hi_known = server_wall_power_model_w(model, levels, point, low, high, keys=key)
    low = {**low, "ssd_count": full(0.0), "hdd_count": full(0.0)}
    high = {**high, "ssd_count": full(2.0), "hdd_count": full(2.0)}
    v, lo, hi = server_wall_power_model_w(model, levels, point, low, high, keys=key)
    assert v == pytest.approx(v_known)  # the point value does not depend on the drives' range
    parts_w = (1 * parts["ssd_w"][0] + 64 * parts["ram_w_per_gb"][0]) / parts["psu_efficiency"][0]
    platform = v - parts_w
    for name, got_lo, got_hi in (("band_drives_unknown", lo, hi), ("band", lo_known, hi_known)):
        band = np.array([rows.loc[f"{name}:{level}", ["low", "high"]].to_numpy(float) for level in levels])
        assert got_lo[-1] == pytest.approx(max(platform * band[:, 0]) + parts_w, rel=1e-9)
        assert got_hi[-1] == pytest.approx(max(platform * band[:, 1]) + parts_w, rel=1e-9)


def test_memory_adds_its_watts_per_gb(parts):
    model = server_power_model_cached()
    base = (150.0, 2.0, 16, 64.0, 1, 0, 2.0, 2019)
    more = (150.0, 2.0, 16, 128.0, 1, 0, 2.0, 2019)
    for load in (0.0, 50.0, 100.0):
        v0, v1 = (server_wall_power_model_w(model, [load], *model.inputs(_server(1, s)))[0][0]
                  for s in (base, more))
        assert v1 - v0 == pytest.approx(64 * parts["ram_w_per_gb"][0] / parts["psu_efficiency"][0])


def test_drives_in_an_inventory_move_assessed_power_by_their_watts(library, parts):
    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import table_from_records
    from tests.conftest import TODAY

    row = {"category": "server", "cpu_model": "Intel Xeon Silver 4210", "cpu_count": 2, "ram_gb": 64,
           "ssd_count": 1, "psu_count": 2, "psu_rating_w": 750, "year": 2019, "hours_per_day": 24,
           "days_per_year": 365}
    records = [{**row, "id": f"s{h}-{u}", "hdd_count": h, "avg_load_pct": u} for h in (0, 2) for u in (0, 50, 100)]
    table = table_from_records(records, country="FR", today=TODAY, library=library)
    power = assess(table, library, AssessOptions(pue=1.0, today=TODAY))["power_w"].to_numpy(float)
    two_hdd = 2 * parts["hdd_w"][0] / parts["psu_efficiency"][0]  # 2 x 6.4 W / 0.9 = 14.2 W
    assert power[3:] - power[:3] == pytest.approx(np.full(3, two_hdd))


_MODEL = {}


def server_power_model_cached():
    if "m" not in _MODEL:
        from factors.tables import default_library

        _MODEL["m"] = server_power_model(default_library())
    return _MODEL["m"]


def test_cpus_beyond_the_curves_draw_more_at_full_load():
    """TDP and cores per CPU are carried beyond the SPECpower curves' range (280 W, 64 cores):
    a 2 x 400 W, 128-core server draws more at 100 % load than the same server at 280 W and 64
    cores (power rises with TDP and cores: positive log-log terms), and less than if it grew in
    proportion to both (a sublinear platform). Below the TRAIN minimum inputs are still clipped."""
    model = server_power_model_cached()
    # (tdp, sockets, cores per CPU, GB, SSD, HDD, PSUs, year)
    at_edge = _server(1, (280.0, 2.0, 64, 512.0, 2, 0, 2.0, 2022))
    beyond = _server(1, (400.0, 2.0, 128, 512.0, 2, 0, 2.0, 2022))
    edge_w = server_wall_power_model_w(model, [100.0], *model.inputs(at_edge))[0][0]
    beyond_w = server_wall_power_model_w(model, [100.0], *model.inputs(beyond))[0][0]
    assert edge_w < beyond_w < edge_w * 400.0 / 280.0 * 2.0
    assert model.clip["tdp_per_cpu_w"][1] >= 1000.0 and model.clip["cores_per_cpu"][1] >= 512.0
    tiny = _server(1, (1.0, 1.0, 2, 8.0, 1, 0, 1.0, 2015))
    floor = _server(1, (model.clip["tdp_per_cpu_w"][0], 1.0, 2, 8.0, 1, 0, 1.0, 2015))
    assert server_wall_power_model_w(model, [50.0], *model.inputs(tiny))[0][0] == pytest.approx(
        server_wall_power_model_w(model, [50.0], *model.inputs(floor))[0][0])
