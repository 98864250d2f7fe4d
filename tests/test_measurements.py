"""Measured energy into the assessment: join, power by source, on/off pattern, year."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.api import assess_files
from auditor.cli import main
from auditor.footprint import MEASURED_COLUMN
from auditor.inventory import table_from_records
from auditor.measurements import (
    LOAD_GRID,
    apply_measurements,
    engine_power_model,
    host_year,
    match_hosts,
    read_samples,
)
from tests.conftest import TODAY

# Monday 2026-01-05 00:00 UTC
MONDAY = 1_767_571_200.0
HOUR = 3600.0
YEAR_HOURS = 365 * 24


def write_records(directory: Path, host: str, records: list[dict], name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or f"{host}.jsonl")
    lines = [json.dumps({"kind": "start", "v": 1, "host": host})]
    lines += [json.dumps({"host": host, **r}) for r in records]
    path.write_text("\n".join(lines) + "\n")
    return path


def hourly(start: float, hours: int, on, **fields) -> list[dict]:
    """One record per hour when ``on(hour_index)`` is true."""
    return [{"t": start + (h + 1) * HOUR, "dt": HOUR, **fields} for h in range(hours) if on(h)]


def office_hours(h: int) -> bool:
    return (h // 24) % 7 < 5 and 8 <= h % 24 < 18


def test_weekday_office_hours_pattern_extrapolates_to_the_year():
    records = hourly(MONDAY, 14 * 24, office_hours)
    t = np.array([r["t"] for r in records])
    dt = np.full(len(t), HOUR)
    power = np.vstack([np.full(len(t), 50.0)] * 3)
    year = host_year(t, dt, power, np.array([1.0, 0.5, 2.0]), np.zeros(len(t)))
    expected = (50 * 50.0 + 118 * 1.0) * 365 / 7 / 1000  # 50 h on at 50 W, 118 h off at 1 W, a week
    assert year.kwh == pytest.approx(expected, rel=1e-9)
    assert year.on_share == pytest.approx(50 / 168)
    assert year.low <= year.kwh <= year.high
    assert year.low == pytest.approx((50 * 50.0 + 118 * 0.5) * 365 / 7 / 1000)


def test_a_pc_left_on_at_night_and_weekends_shows_it():
    always = hourly(MONDAY, 14 * 24, lambda h: True)
    t = np.array([r["t"] for r in always])
    power = np.vstack([np.full(len(t), 50.0)] * 3)
    on = host_year(t, np.full(len(t), HOUR), power, np.full(3, 1.0), np.zeros(len(t)))
    assert on.kwh == pytest.approx(50 * YEAR_HOURS / 1000)
    office = hourly(MONDAY, 14 * 24, office_hours)
    t2 = np.array([r["t"] for r in office])
    off = host_year(t2, np.full(len(t2), HOUR), np.vstack([np.full(len(t2), 50.0)] * 3),
                    np.full(3, 1.0), np.zeros(len(t2)))
    assert on.kwh > 3 * off.kwh


def test_local_time_and_unobserved_hours():
    from auditor.measurements import _hour_of_week

    assert _hour_of_week(np.array([MONDAY + 8.5 * HOUR]))[0] == 8  # Monday 08:30
    assert _hour_of_week(np.array([MONDAY - 0.5 * HOUR]))[0] == 167  # Sunday 23:30
    # Monday and Tuesday observed, on 8:00-18:00 local time in UTC+1 (7:00-17:00 UTC): the night
    # between is seen off; the rest of the week takes the same hours of alike days
    records = hourly(MONDAY - HOUR, 48, lambda h: 8 <= h % 24 < 18)
    t = np.array([r["t"] for r in records])
    tz = np.full(len(t), HOUR)
    year = host_year(t, np.full(len(t), HOUR), np.vstack([np.full(len(t), 40.0)] * 3), np.zeros(3), tz)
    assert year.kwh == pytest.approx(40 * 10 * 365 / 1000)  # 10 h a day, every day
    assert year.on_share == pytest.approx(10 / 24)
    assert year.observed_h == pytest.approx(34)  # Monday 8:00 to Tuesday 18:00


def test_weekly_spread_widens_bounds():
    heavy = hourly(MONDAY, 7 * 24, lambda h: True)
    light = hourly(MONDAY + 7 * 24 * HOUR, 7 * 24, lambda h: office_hours(h) or h == 7 * 24 - 1)
    records = heavy + light  # the last hour of week two is on: the window spans two whole weeks
    t = np.array([r["t"] for r in records])
    power = np.vstack([np.full(len(t), 50.0)] * 3)
    year = host_year(t, np.full(len(t), HOUR), power, np.full(3, 1.0), np.zeros(len(t)))
    assert year.high == pytest.approx(50 * YEAR_HOURS / 1000)
    assert year.low == pytest.approx((51 * 50 + 117) * 365 / 7 / 1000)
    assert year.low < year.kwh < year.high


def inventory(rows: list[dict]) -> pd.DataFrame:
    return table_from_records(rows, country="FR", today=TODAY)


def test_hosts_join_by_hostname_short_name_or_id():
    table = inventory([
        {"id": "A-1", "hostname": "PC-042.ville.fr", "category": "desktop"},
        {"id": "srv-web", "category": "server"},
        {"id": "x1", "hostname": "dup.a.fr", "category": "laptop"},
        {"id": "x2", "hostname": "dup.b.fr", "category": "laptop"},
    ])
    matches, warnings = match_hosts(table, ["pc-042", "PC-042.VILLE.FR", "srv-web.ville.fr", "dup", "ghost"])
    assert matches == {"pc-042": 0, "PC-042.VILLE.FR": 0, "srv-web.ville.fr": 1}
    assert any("'dup' matches several" in w for w in warnings)
    assert any("'ghost' matches no inventory row" in w for w in warnings)


def test_a_hostname_shared_with_its_monitors_goes_to_the_computer():
    """GLPI exports and agent files give a PC's monitors its host name: the probe's records are the
    computer's whatever the row order; two computers of one name are reported, not chosen silently."""
    table = inventory([
        {"id": "ecr-1", "hostname": "pc-7", "category": "monitor"},
        {"id": "pc-7", "hostname": "pc-7", "category": "desktop"},
        {"id": "srv-a", "hostname": "srv.ville.fr", "category": "server"},
        {"id": "srv-b", "hostname": "SRV.ville.fr", "category": "server"},
    ])
    matches, warnings = match_hosts(table, ["pc-7", "srv.ville.fr"])
    assert matches["pc-7"] == 1
    assert not any("pc-7" in w for w in warnings)
    assert "srv.ville.fr" not in matches
    assert any("'srv.ville.fr' matches several" in w and "srv-a" in w and "srv-b" in w for w in warnings)


def test_metered_records_give_the_measured_energy(tmp_path, library):
    table = inventory([{"id": "pc-1", "hostname": "pc-1", "category": "desktop"},
                       {"id": "pc-2", "category": "desktop"}])
    records = hourly(MONDAY, 48, lambda h: True, cpu=5.0, src="hwmon", e_j=40.0 * HOUR)
    for i, record in enumerate(records):
        record["cpu"] = 5.0 if i % 2 else 15.0
        if i % 4 == 0:
            record["mem"] = 30.0
    write_records(tmp_path, "pc-1", records)
    out, warnings = apply_measurements(table, [tmp_path], library=library, today=TODAY)
    assert warnings == []
    assert out[MEASURED_COLUMN].iloc[0] == pytest.approx(40 * YEAR_HOURS / 1000)
    assert np.isnan(out[MEASURED_COLUMN].iloc[1])
    assert out["hours_per_day"].iloc[0] == pytest.approx(24.0)
    assert out["days_per_year"].iloc[0] == pytest.approx(365.0)
    assert out["avg_load_pct"].iloc[0] == pytest.approx(10.0)
    assert out["measured_mem_used_pct"].iloc[0] == pytest.approx(30.0)
    assert np.isnan(out["avg_load_pct"].iloc[1])


def test_model_records_give_the_archetype_power_at_the_measured_load(tmp_path, library):
    """A desktop without an energy meter, on all day at 30 % CPU: the archetype's idle and active
    power interpolated at 30 % (P = idle + 0.30 (active - idle)), 8,760 h a year, by hand."""
    def archetype(parameter):
        row = library.archetype("desktop", parameter)
        return float(row["value"]), float(row["low"]), float(row["high"])

    idle, active = archetype("power_idle_w"), archetype("power_active_w")
    table = inventory([{"id": "pc", "hostname": "pc", "category": "desktop"}])
    write_records(tmp_path, "pc", hourly(MONDAY, 24, lambda h: True, cpu=30.0, src="model"))
    out, _ = apply_measurements(table, [tmp_path], library=library, today=TODAY)
    expected = [(idle[b] + 0.30 * (active[b] - idle[b])) * YEAR_HOURS / 1000 for b in range(3)]
    assert 30.0 in LOAD_GRID
    got = [out[f"{MEASURED_COLUMN}{s}"].iloc[0] for s in ("", "_low", "_high")]
    assert got == pytest.approx(expected, rel=1e-9)


def test_model_records_of_a_server_rise_with_load_within_bounds(tmp_path, library):
    rows = [{"id": "srv", "hostname": "srv", "category": "server", "cpu_count": 2, "cpu_tdp_w": 120,
             "ram_gb": 64, "ssd_count": 2}]
    energy = []
    for load in (10.0, 30.0, 60.0):
        folder = tmp_path / f"load-{load:.0f}"
        write_records(folder, "srv", hourly(MONDAY, 24, lambda h: True, cpu=load, src="model"))
        out, _ = apply_measurements(inventory(rows), [folder], library=library, today=TODAY)
        low, value, high = (out[f"{MEASURED_COLUMN}{s}"].iloc[0] for s in ("_low", "", "_high"))
        assert low < value < high
        energy.append(value)
    assert energy[0] < energy[1] < energy[2]


def test_power_model_rises_with_load(library):
    table = inventory([{"id": "s", "category": "server"}, {"id": "d", "category": "desktop"}])
    model = engine_power_model(table, library, TODAY)
    assert model.on.shape == (3, 2, len(LOAD_GRID))
    for b, bound in enumerate(("value", "low", "high")):  # the desktop, by hand from its archetype
        idle = float(library.archetype("desktop", "power_idle_w")[bound])
        active = float(library.archetype("desktop", "power_active_w")[bound])
        assert model.on[b, 1] == pytest.approx(idle + np.asarray(LOAD_GRID) / 100 * (active - idle))
        assert model.off[b, 1] == pytest.approx(float(library.archetype("desktop", "power_off_w")[bound]))
    assert (np.diff(model.on[0], axis=1) >= 0).all()
    assert (model.on[1] <= model.on[0]).all() and (model.on[0] <= model.on[2]).all()
    assert model.off[0, 1] < model.on[0, 1, 0]  # a desktop draws less off than idle


def test_rapl_is_a_floor_under_the_model(tmp_path, library):
    table = inventory([{"id": "ws", "hostname": "ws", "category": "desktop"}])
    model = engine_power_model(table, library, TODAY)
    big = float(model.on[2, 0, -1]) * 3  # RAPL far above the model: used
    write_records(tmp_path, "ws", hourly(MONDAY, 24, lambda h: True, cpu=0.0, src="rapl", e_j=big * HOUR))
    out, _ = apply_measurements(table, [tmp_path], library=library, today=TODAY)
    assert out[MEASURED_COLUMN].iloc[0] == pytest.approx(big * YEAR_HOURS / 1000)
    small = tmp_path / "small"
    write_records(small, "ws", hourly(MONDAY, 24, lambda h: True, cpu=0.0, src="rapl", e_j=0.001))
    out, _ = apply_measurements(table, [small], library=library, today=TODAY)
    assert out[MEASURED_COLUMN].iloc[0] == pytest.approx(float(model.on[0, 0, 0]) * YEAR_HOURS / 1000)


def test_cut_lines_and_duplicates(tmp_path):
    path = write_records(tmp_path, "h", hourly(MONDAY, 3, lambda h: True, cpu=1.0, src="model"))
    with path.open("a") as handle:
        handle.write('{"host":"h","t":17')
    (tmp_path / "copy.jsonl").write_text(path.read_text())
    frame, warnings = read_samples([tmp_path])
    assert len(frame) == 3
    assert any("2 cut or malformed" in w for w in warnings)
    # the warning names where: the first such line (file and line number), and the files that hold them
    (warning,) = [w for w in warnings if "cut or malformed" in w]
    assert f"{path.name}, line 5" in warning or "copy.jsonl, line 5" in warning, warning
    assert "in 2 of 2 file(s)" in warning


def test_assess_with_samples_marks_items_measured(tmp_path, capsys):
    inv = tmp_path / "inv.csv"
    inv.write_text("id,hostname,category,country\npc-1,pc-1.ville.fr,desktop,FR\npc-2,pc-2,desktop,FR\n")
    samples = tmp_path / "samples"
    # two days of a laptop on battery from 8:00 to 18:00, off otherwise (so the night is observed)
    write_records(samples, "PC-1", hourly(MONDAY, 48, lambda h: 8 <= h % 24 < 18, cpu=12.0, src="battery",
                                          e_j=20.0 * HOUR))
    results, warnings = assess_files([inv], samples=[samples], today=TODAY)
    assert warnings == []
    assert list(results["energy_source"].astype(str)) == ["measured", "default"]
    from factors.tables import default_library

    off_w = float(default_library().archetype("desktop", "power_off_w")["value"])
    assert results["energy_kwh_per_year"].iloc[0] == pytest.approx((20 * 10 + 14 * off_w) * 365 / 1000)
    assert results["power_w"].iloc[0] == pytest.approx(20.0)
    table, _ = apply_measurements(
        table_from_records([{"id": "pc-1", "hostname": "pc-1", "category": "desktop"}], country="FR",
                           today=TODAY), [samples], library=default_library(), today=TODAY)
    assert table["hours_per_day"].iloc[0] == pytest.approx(10.0)  # on 10 h on the days it is on
    assert table["days_per_year"].iloc[0] == pytest.approx(365.0)
    code = main(["assess", str(inv), "--samples", str(samples), "--date", "2026-01-15", "-q"])
    assert code == 0
    assert "measured 50 %" in capsys.readouterr().out
