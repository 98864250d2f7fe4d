"""Measured energy from probe records (or ingested Prometheus samples), joined to inventory items.

``auditor assess INVENTORY --samples DIR...`` reads the record files, joins each probe host to
an inventory item by hostname (case-insensitive; a short name matches its FQDN) or by id, and
sets :data:`auditor.footprint.MEASURED_COLUMN` (yearly plug energy of ONE device, with
``_low``/``_high``), so the footprint engine marks the item ``measured``.

Power of each record, by its source:

- ``hwmon`` (whole-box power meter) and ``battery`` (discharging DC draw): the measured energy.
- ``rapl`` counts the CPU package and DRAM only: the modelled wall power at the record's
  utilisation, never less than the RAPL power (the box draws at least that).
- ``model``: the footprint engine's own power model of the item (server load curve, or idle to
  active power of the category) at the record's CPU utilisation. The engine is called through
  :func:`auditor.footprint.assess` with the item's specs at a grid of loads, so this module
  never duplicates the model.

Extrapolation to a year uses the observed on/off pattern. Each record is assigned to its hour
of the week (local time, from the record's UTC offset). For each of the 168 hours of the week:
the share of the observed time the host was on, and its mean power while on; time without
records inside the observed window counts as off (power of the category's ``power_off_w``). Hours
of the week never observed (a window shorter than a week) take the figures of the same hour on
the same kind of day (weekday or weekend), else of the same hour, else of the whole window.
Year = one such week x 365/7. A PC left on at night and at weekends shows it.

Bounds: the model's own low/high (measured records have none); when at least two whole weeks
were observed, widened to the lowest and highest week scaled to a year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.footprint import MEASURED_COLUMN, AssessOptions, assess
from factors.power import DAYS_PER_YEAR, HOURS_PER_DAY
from factors.tables import FactorLibrary

#: Loads [%] at which the engine's power model is evaluated; linear interpolation between them.
LOAD_GRID = np.linspace(0.0, 100.0, 21)
HOURS_PER_WEEK = 168
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_WEEK = HOURS_PER_WEEK * SECONDS_PER_HOUR
#: 1970-01-01 (epoch day 0) was a Thursday: Monday-based weekday = (day + 3) mod 7.
_EPOCH_WEEKDAY = 3
METERED = ("hwmon", "battery")

SAMPLE_COLUMNS = ("host", "t", "dt", "cpu", "src", "e_j", "tz", "mem")
#: Inventory column of the mean memory use measured by the probe [%] (read by the sobriety score).
MEMORY_COLUMN = "measured_mem_used_pct"


_NUMERIC = ("t", "dt", "cpu", "e_j", "tz", "mem")


def _read_file_fast(path: str) -> pd.DataFrame | None:
    """One record file parsed by pyarrow's JSON reader (about 4x the line loop), or None.

    None when the file does not parse whole (a cut line, mixed types): the caller then reads it
    line by line, skipping only the bad lines.
    """
    try:
        import pyarrow as pa
        import pyarrow.json as pj

        table = pj.read_json(path)
    except Exception:  # noqa: BLE001 - any trouble: the careful line-by-line reader decides
        return None
    names = set(table.column_names)
    if not {"host", "t", "dt"} <= names:
        return None
    out = {}
    try:
        for column in ("host", "src"):
            if column in names and pa.types.is_string(table[column].type):
                out[column] = table[column].to_numpy(zero_copy_only=False).astype(object)
            elif column in names:
                return None
        for column in _NUMERIC:
            if column in names:
                kind = table[column].type
                if not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind)):
                    return None
                out[column] = table[column].cast(pa.float64()).to_numpy(zero_copy_only=False)
        kind = table["kind"].to_numpy(zero_copy_only=False) if "kind" in names else None
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    n = table.num_rows
    frame = pd.DataFrame({
        "host": out["host"],
        "t": out["t"], "dt": out["dt"],
        "cpu": out.get("cpu", np.full(n, np.nan)),
        "src": out.get("src", np.full(n, None, dtype=object)),
        "e_j": out.get("e_j", np.full(n, np.nan)),
        "tz": out.get("tz", np.zeros(n)),
        "mem": out.get("mem", np.full(n, np.nan)),
    })
    is_record = np.ones(n, dtype=bool) if kind is None else pd.isna(kind)
    frame = frame[is_record]
    host = frame["host"]
    valid = (host.notna().to_numpy() & (host.fillna("") != "").to_numpy(dtype=bool)
             & np.isfinite(frame["t"].to_numpy()) & (frame["dt"].to_numpy() > 0))
    if not valid.all():
        return None
    frame["src"] = frame["src"].where(frame["src"].notna(), "model")
    frame["tz"] = frame["tz"].fillna(0.0)
    return frame


def _read_file_lines(path: str, stats) -> pd.DataFrame:
    """One record file read line by line; cut or malformed lines skipped and counted."""
    from probes.records import iter_records

    rows: dict[str, list] = {c: [] for c in SAMPLE_COLUMNS}
    for record in iter_records([path], stats):
        rows["host"].append(record["host"])
        rows["src"].append(str(record.get("src", "model")))
        for column in _NUMERIC:
            value = record.get(column)
            number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
            rows[column].append(number if number is not None else (0.0 if column == "tz" else np.nan))
    return pd.DataFrame({c: np.asarray(v, dtype=object if c in ("host", "src") else float)
                         for c, v in rows.items()})


def read_samples(paths: Iterable[Path | str]) -> tuple[pd.DataFrame, list[str]]:
    """Records of probe files under ``paths`` as a table, and warning lines.

    Columns: ``host``, ``t`` (end of interval, s since the epoch), ``dt`` [s], ``cpu`` [%],
    ``src``, ``e_j`` [J, NaN unless metered], ``tz`` (UTC offset [s], 0 when absent), ``mem``
    (memory in use at the end [%], NaN when the record did not read it).
    Duplicate records (same host and end time, e.g. a file given twice) are kept once.
    """
    from probes.records import ReadStats, record_files

    paths = [str(p) for p in paths]
    try:
        files = record_files(paths)
    except FileNotFoundError as exc:
        from auditor.errors import InputError

        raise InputError(f"{exc.filename}: no such sample file or directory") from None
    stats = ReadStats()
    frames = []
    for path in files:
        frame = _read_file_fast(path)
        if frame is None:
            frame = _read_file_lines(path, stats)
        else:
            stats.files += 1
        frames.append(frame)
    columns = list(SAMPLE_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(
        {c: np.zeros(0, dtype=object if c in ("host", "src") else float) for c in columns})
    frame = frame.drop_duplicates(["host", "t"]).sort_values(["host", "t"], ignore_index=True)
    warnings = []
    if stats.skipped:
        where, number = stats.first_skipped
        warnings.append(f"samples: {stats.skipped} cut or malformed record line(s) skipped in "
                        f"{len(stats.files_skipped)} of {stats.files} file(s) (first: {where}, line {number})")
    if not len(frame):
        warnings.append("samples: no probe records found in " + ", ".join(paths))
    return frame, warnings


def _name_keys(value: object) -> tuple[str, str] | None:
    """(full, short) lower-case names of a host or id; the short name is the first DNS label."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().lower().rstrip(".")
    if not text:
        return None
    is_ip = text.replace(".", "").isdigit() or ":" in text
    return text, text if is_ip else text.split(".", 1)[0]


#: Categories that run no probe: a row of these carrying its computer's host name is never matched.
NOT_PROBED = frozenset({"monitor", "printer", "mfp", "projector", "tv", "ups", "ip_phone", "web_service"})


def match_hosts(table: pd.DataFrame, hosts: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Inventory row position of each probe host, and warning lines.

    Tried in order: hostname (exact, case-insensitive), hostname short name, id, id short name,
    among the rows that can run a probe (not :data:`NOT_PROBED`: a PC's monitors often carry its
    host name). A name shared by several such rows matches none of them (ambiguous, with a warning
    naming them).
    """
    peripheral = (table["category"].astype(str).isin(NOT_PROBED).to_numpy() if "category" in table
                  else np.zeros(len(table), dtype=bool))
    ids = table["id"].astype(str).to_numpy() if "id" in table else np.arange(len(table)).astype(str)
    indexes: list[tuple[dict[str, list[int]], dict[str, list[int]]]] = []
    for column in ("hostname", "id"):
        full: dict[str, list[int]] = {}
        short: dict[str, list[int]] = {}
        if column in table:
            for pos, value in enumerate(table[column].astype(object).to_numpy()):
                keys = _name_keys(value)
                if keys is None or peripheral[pos]:
                    continue  # a monitor or printer carrying its computer's name runs no probe
                full.setdefault(keys[0], []).append(pos)
                short.setdefault(keys[1], []).append(pos)
        indexes.append((full, short))
    matches: dict[str, int] = {}
    warnings: list[str] = []
    for host in hosts:
        keys = _name_keys(host)
        found = None
        several: list[int] = []
        for full, short in indexes:
            if keys is None:
                break
            exact, near = full.get(keys[0], []), short.get(keys[1], [])
            if len(exact) == 1 or (not exact and len(near) == 1):
                found = (exact or near)[0]
                break
            several = several or exact or (near if len(near) > 1 else [])
            if exact:
                break  # the full name of several rows: ambiguous, whatever the ids say
        if found is None:
            why = (f"matches several inventory rows ({', '.join(ids[p] for p in several[:5])})" if several
                   else "matches no inventory row by hostname or id")
            warnings.append(f"samples: probe host '{host}' {why}; its records are not used")
            continue
        matches[host] = found
    return matches, warnings


@dataclass
class PowerModel:
    """The engine's power of matched items: on-power at :data:`LOAD_GRID` and off power [W]."""

    on: np.ndarray  # (3, n, len(LOAD_GRID)): value, low, high
    off: np.ndarray  # (3, n)

    def at(self, row: int, load_pct: np.ndarray) -> np.ndarray:
        """(3, len(load)) power of item ``row`` at these loads [W]."""
        load = np.clip(np.nan_to_num(load_pct), 0.0, 100.0)
        return np.vstack([np.interp(load, LOAD_GRID, self.on[b, row]) for b in range(3)])


def engine_power_model(rows: pd.DataFrame, library: FactorLibrary, today: date | None = None) -> PowerModel:
    """Evaluate the footprint engine's power model for each row at every load of the grid.

    Each row is repeated with ``avg_load_pct`` at each grid load, on 24 h a day and 365 days a
    year, quantity 1 and PUE 1 (and once more on 0 h a day for the off power); the engine's
    yearly energy divided by the hours of a year is then the mean power [W].
    """
    n, g = len(rows), len(LOAD_GRID)
    drop = [c for c in rows.columns if c.startswith(MEASURED_COLUMN)]
    base = rows.drop(columns=drop).reset_index(drop=True)
    big = base.loc[base.index.repeat(g + 1)].reset_index(drop=True)
    big["avg_load_pct"] = np.tile(np.append(LOAD_GRID, 0.0), n)
    big["hours_per_day"] = np.tile(np.append(np.full(g, HOURS_PER_DAY), 0.0), n)
    big["days_per_year"] = DAYS_PER_YEAR
    big["quantity"] = 1.0
    big["pue"] = 1.0
    big["power_w"] = np.nan
    big["energy_kwh_per_year"] = np.nan
    results = assess(big, library, AssessOptions(today=today))
    hours_per_year = HOURS_PER_DAY * DAYS_PER_YEAR
    power = np.stack([
        results[f"energy_kwh_per_year{suffix}"].to_numpy(dtype=float).reshape(n, g + 1) * 1000.0 / hours_per_year
        for suffix in ("", "_low", "_high")
    ])
    return PowerModel(on=power[:, :, :g], off=power[:, :, g])


def _hour_of_week(local_s: np.ndarray) -> np.ndarray:
    days = np.floor(local_s / 86400.0)
    weekday = (days + _EPOCH_WEEKDAY) % 7
    hour = np.floor((local_s - days * 86400.0) / SECONDS_PER_HOUR)
    return (weekday * 24 + hour).astype(np.int64)


@dataclass
class HostYear:
    """Yearly energy of one host from its records."""

    kwh: float
    low: float
    high: float
    on_share: float  #: share of the year the host is on [-]
    observed_h: float  #: length of the observed window [h]
    hours_per_day: float  #: mean hours on, on the days it is on [h]
    days_per_year: float  #: days with some on-time, in a year [d]


def _fill_unobserved(on_s: np.ndarray, observed_s: np.ndarray, energy: np.ndarray):
    """Per hour of the week: on share and mean on-power, unobserved hours filled from alike ones."""
    slots = np.arange(HOURS_PER_WEEK)
    hour = slots % 24
    weekend = slots // 24 >= 5
    share = np.full(HOURS_PER_WEEK, np.nan)
    power = np.full((energy.shape[0], HOURS_PER_WEEK), np.nan)
    seen = observed_s > 0
    share[seen] = np.minimum(on_s[seen] / observed_s[seen], 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        power[:, seen] = np.where(on_s[seen] > 0, energy[:, seen] / on_s[seen], 0.0)
    groups = [lambda s: (hour == hour[s]) & (weekend == weekend[s]), lambda s: hour == hour[s],
              lambda s: np.ones(HOURS_PER_WEEK, dtype=bool)]
    for slot in slots[~seen]:
        for group in groups:
            members = group(slot) & seen
            if observed_s[members].sum() > 0:
                on = on_s[members].sum()
                share[slot] = min(on / observed_s[members].sum(), 1.0)
                power[:, slot] = energy[:, members].sum(axis=1) / on if on > 0 else 0.0
                break
    return share, power


def host_year(t_end: np.ndarray, dt: np.ndarray, power_w: np.ndarray, off_w: np.ndarray,
              tz_s: np.ndarray) -> HostYear:
    """Yearly energy [kWh] of one host from its records and the observed on/off pattern.

    Parameters
    ----------
    t_end : array
        End of each record's interval [s since the epoch, UTC].
    dt : array
        Length of each interval [s].
    power_w : array, shape (3, n)
        Mean power over each interval, value/low/high [W].
    off_w : array, shape (3,)
        Power while off or in standby, value/low/high [W].
    tz_s : array
        UTC offset of each record's local time [s].
    """
    local_end = t_end + tz_s
    local_start = local_end - dt
    slot = _hour_of_week(local_end - dt / 2.0)
    on_s = np.bincount(slot, weights=dt, minlength=HOURS_PER_WEEK)
    energy = np.vstack([np.bincount(slot, weights=p * dt, minlength=HOURS_PER_WEEK) for p in power_w])
    start, end = float(local_start.min()), float(local_end.max())
    hours = np.arange(np.floor(start / SECONDS_PER_HOUR), np.ceil(end / SECONDS_PER_HOUR)) * SECONDS_PER_HOUR
    overlap = np.clip(np.minimum(end, hours + SECONDS_PER_HOUR) - np.maximum(start, hours), 0.0, None)
    observed = np.bincount(_hour_of_week(hours + SECONDS_PER_HOUR / 2), weights=overlap, minlength=HOURS_PER_WEEK)
    share, power = _fill_unobserved(on_s, observed, energy)
    weeks_per_year = DAYS_PER_YEAR / 7.0
    week_j = (SECONDS_PER_HOUR * (share * power + (1.0 - share) * off_w[:, None])).sum(axis=1)
    value, low, high = (week_j * weeks_per_year / 3.6e6).tolist()
    full_weeks = int((end - start) // SECONDS_PER_WEEK)
    if full_weeks >= 2:
        week_of = ((local_end - dt / 2.0 - start) // SECONDS_PER_WEEK).astype(np.int64)
        inside = week_of < full_weeks
        on_week = np.bincount(week_of[inside], weights=dt[inside], minlength=full_weeks)
        e_week = np.bincount(week_of[inside], weights=(power_w[0] * dt)[inside], minlength=full_weeks)
        yearly = (e_week + (SECONDS_PER_WEEK - np.minimum(on_week, SECONDS_PER_WEEK)) * off_w[0]) \
            * weeks_per_year / 3.6e6
        low, high = min(low, float(yearly.min())), max(high, float(yearly.max()))
    on_hours = share.reshape(7, 24).sum(axis=1)
    days_on = int((on_hours > 0).sum())
    return HostYear(value, min(low, value), max(high, value), float(share.mean()), (end - start) / 3600.0,
                    float(on_hours.sum() / days_on) if days_on else 0.0,
                    DAYS_PER_YEAR * days_on / 7.0)


def record_power(frame: pd.DataFrame, model: PowerModel, row: int) -> np.ndarray:
    """(3, n) mean power of each record of one host [W], by source (see the module docstring)."""
    measured = frame["e_j"].to_numpy(dtype=float) / frame["dt"].to_numpy(dtype=float)
    src = frame["src"].to_numpy(dtype=object)
    modelled = model.at(row, frame["cpu"].to_numpy(dtype=float))
    metered = np.isin(src, METERED) & np.isfinite(measured)
    rapl = (src == "rapl") & np.isfinite(measured)
    out = modelled.copy()
    out[:, rapl] = np.maximum(modelled[:, rapl], measured[rapl])
    out[:, metered] = measured[metered]
    return out


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Mean of the finite values weighted by their interval lengths; NaN when there are none."""
    ok = np.isfinite(values)
    return float(np.average(values[ok], weights=weights[ok])) if ok.any() else float("nan")


def apply_measurements(
    table: pd.DataFrame,
    paths: Iterable[Path | str],
    *,
    library: FactorLibrary,
    today: date | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Set the measured yearly energy of items that have probe records; (table, warning lines).

    Also written for measured items, where the inventory leaves them empty: ``hours_per_day`` and
    ``days_per_year`` from the observed on/off pattern (mean hours on, on the days with some
    on-time; so the engine's mean power while on matches the measurement and the sobriety score's
    "hours outside working time" is measured), ``avg_load_pct`` (mean CPU utilisation while on),
    and :data:`MEMORY_COLUMN` (mean memory use).

    The steps are public for a table read in chunks (:mod:`auditor.chunked`): :func:`read_plan`
    once, :meth:`SamplesPlan.candidates` and :func:`assign_hosts` over every chunk's names, then
    :func:`apply_assigned` chunk by chunk.
    """
    plan = read_plan(paths)
    by_row, warnings = assign_hosts(plan, table)
    table, more = apply_assigned(table, by_row, plan, library=library, today=today)
    return table, [*plan.warnings, *warnings, *more]


@dataclass
class SamplesPlan:
    """Probe records read once: the usable ones and the warnings of reading them."""

    usable: pd.DataFrame
    warnings: list[str]

    @property
    def hosts(self) -> np.ndarray:
        return self.usable["host"].unique() if len(self.usable) else np.array([], dtype=object)

    def candidates(self, table: pd.DataFrame) -> np.ndarray:
        """Positions of the rows whose hostname or id (full or short name) could match a host:
        the only rows :func:`match_hosts` can pick, so that a chunked run keeps just those."""
        keys = [k for k in (_name_keys(h) for h in self.hosts) if k is not None]
        full, short = {k[0] for k in keys}, {k[1] for k in keys}
        hit = np.zeros(len(table), dtype=bool)
        for column in ("hostname", "id"):
            if column not in table or not keys:
                continue
            values = table[column].astype(object).to_numpy()
            hit |= np.fromiter(((k := _name_keys(v)) is not None and (k[0] in full or k[1] in short)
                                for v in values), dtype=bool, count=len(values))
        return np.flatnonzero(hit)


def read_plan(paths: Iterable[Path | str]) -> SamplesPlan:
    """Read the probe records of ``paths`` once (:func:`read_samples`), keeping the usable ones."""
    samples, warnings = read_samples(paths)
    usable = samples[np.isfinite(samples["cpu"]) | np.isfinite(samples["e_j"])] if len(samples) else samples
    return SamplesPlan(usable, warnings)


def assign_hosts(plan: SamplesPlan, table: pd.DataFrame) -> tuple[dict[int, str], list[str]]:
    """Row position -> probe host for the rows of ``table`` that probe records measure.

    ``table`` holds every row that may match (the whole inventory, or its candidate rows in
    order). Two hosts matching one row: the one with more records wins, with a warning.
    """
    if not len(plan.usable):
        return {}, []
    matches, warnings = match_hosts(table, plan.hosts)
    counts = plan.usable["host"].value_counts()
    by_row: dict[int, str] = {}
    for host, pos in matches.items():
        other = by_row.get(pos)
        if other is None or counts[host] > counts[other]:
            if other is not None:
                warnings.append(f"samples: hosts '{other}' and '{host}' match the same item; using '{host}'")
            by_row[pos] = host
        else:
            warnings.append(f"samples: hosts '{other}' and '{host}' match the same item; using '{other}'")
    return by_row, warnings


def apply_assigned(table: pd.DataFrame, by_row: dict[int, str], plan: SamplesPlan, *,
                   library: FactorLibrary, today: date | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Write the measured energy (and observed usage) of the rows ``by_row`` assigns a host."""
    warnings: list[str] = []
    table = table.copy()
    for suffix in ("", "_low", "_high"):
        if f"{MEASURED_COLUMN}{suffix}" not in table:
            table[f"{MEASURED_COLUMN}{suffix}"] = np.nan
    if not by_row:
        return table, warnings
    usable = plan.usable
    positions = sorted(by_row)
    model = engine_power_model(table.iloc[positions], library, today)
    columns = {s: table.columns.get_loc(f"{MEASURED_COLUMN}{s}") for s in ("", "_low", "_high")}
    groups = dict(tuple(usable.groupby("host", sort=False)))
    for i, pos in enumerate(positions):
        host = by_row[pos]
        frame = groups[host]
        power = record_power(frame, model, i)
        ok = np.isfinite(power).all(axis=0)
        if not ok.any() or not np.isfinite(model.off[:, i]).all():
            warnings.append(f"samples: no power model for item '{table['id'].iloc[pos]}' "
                            f"(category {table['category'].iloc[pos]}); probe host '{host}' not used")
            continue
        year = host_year(frame["t"].to_numpy(dtype=float)[ok], frame["dt"].to_numpy(dtype=float)[ok],
                         power[:, ok], model.off[:, i], frame["tz"].to_numpy(dtype=float)[ok])
        table.iat[pos, columns[""]] = year.kwh
        table.iat[pos, columns["_low"]] = year.low
        table.iat[pos, columns["_high"]] = year.high
        weights = frame["dt"].to_numpy(dtype=float)
        cpu = frame["cpu"].to_numpy(dtype=float)
        mem = frame["mem"].to_numpy(dtype=float)
        filled = {
            "hours_per_day": year.hours_per_day,
            "days_per_year": year.days_per_year,
            "avg_load_pct": _weighted_mean(cpu, weights),
            MEMORY_COLUMN: _weighted_mean(mem, weights),
        }
        for column, value in filled.items():
            if column not in table:
                table[column] = np.nan
            if pd.isna(table[column].iloc[pos]) and np.isfinite(value):
                table.iat[pos, table.columns.get_loc(column)] = value
    return table, warnings
