"""Electrical power and yearly energy of devices: small pure functions over numpy arrays.

All inputs are plain floats or arrays in the units their names carry; parameters come from
``factors/data/parameters.csv`` and ``archetypes.csv`` (each with its source), never from
constants here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0  # calendar definition, not a factor


def cpu_power_fraction(load_pct: ArrayLike, a: float, b: float, c: float, d: float) -> NDArray:
    """Share of the CPU's TDP drawn at a given utilisation, from a logarithmic load curve.

    The curve has the form used by the Boavizta reference API,
    ``P(load) / TDP = a * ln(b * (load + c)) + d``, evaluated on the load in percent and
    floored at zero.

    Parameters
    ----------
    load_pct : array_like
        CPU utilisation [%], 0 to 100.
    a, b, c, d : float
        Curve parameters [-] (``b`` in 1/%, ``c`` in %), as in ``parameters.csv``.

    Returns
    -------
    numpy.ndarray
        Power as a fraction of TDP [-].

    References
    ----------
    Boavizta, boaviztapi 2.5.0, CPU consumption profile (``cpu_profile.csv`` and the TDP-based
    fit through load 0/10/50/100 % -> 0.12/0.32/0.75/1.02 x TDP); see
    ``shared/notes/reference-impact-api-method.md`` section 5.
    """
    load = np.clip(np.asarray(load_pct, dtype=float), 0.0, 100.0)
    return np.maximum(a * np.log(b * (load + c)) + d, 0.0)


def server_wall_power_w(
    load_pct: ArrayLike,
    cpu_tdp_w: ArrayLike,
    cpu_count: ArrayLike,
    ram_gb: ArrayLike,
    ssd_count: ArrayLike,
    hdd_count: ArrayLike,
    *,
    curve: tuple[float, float, float, float],
    ram_w_per_gb: float,
    ssd_w: float,
    hdd_w: float,
    base_w: float,
    psu_efficiency: float,
) -> NDArray:
    """Mean wall power of a server at a given CPU load, from its components.

    ``P_wall = (cpu_count * tdp * f(load) + ram_gb * w_ram + n_ssd * w_ssd + n_hdd * w_hdd + base)
    / psu_efficiency``, where ``f`` is :func:`cpu_power_fraction`.

    Parameters
    ----------
    load_pct : array_like
        Mean CPU utilisation [%].
    cpu_tdp_w : array_like
        Thermal design power of one CPU [W].
    cpu_count : array_like
        CPU sockets populated [-].
    ram_gb : array_like
        Installed memory [GB].
    ssd_count, hdd_count : array_like
        Solid-state and hard disks [-].
    curve : tuple of float
        ``(a, b, c, d)`` of :func:`cpu_power_fraction`.
    ram_w_per_gb : float
        Memory power [W/GB].
    ssd_w, hdd_w : float
        Power of one drive [W].
    base_w : float
        Mainboard, fans, management controller and NICs [W].
    psu_efficiency : float
        Power-supply efficiency at typical load [-].

    Returns
    -------
    numpy.ndarray
        Wall power [W], before any PUE.

    References
    ----------
    Component approach of the Boavizta reference API (CPU curve, RAM per GB, fixed drive power);
    parameter sources are cited row by row in ``factors/data/parameters.csv``.
    """
    cpu = np.asarray(cpu_count, float) * np.asarray(cpu_tdp_w, float) * cpu_power_fraction(load_pct, *curve)
    dc = (
        cpu
        + np.asarray(ram_gb, float) * ram_w_per_gb
        + np.asarray(ssd_count, float) * ssd_w
        + np.asarray(hdd_count, float) * hdd_w
        + base_w
    )
    return dc / psu_efficiency


def mean_on_power_w(power_idle_w: ArrayLike, power_active_w: ArrayLike, load_pct: ArrayLike) -> NDArray:
    """Mean power while switched on, interpolated between idle and active by utilisation.

    Parameters
    ----------
    power_idle_w, power_active_w : array_like
        Power on but unused, and in active use [W].
    load_pct : array_like
        Share of on-time spent active (or mean utilisation) [%].

    Returns
    -------
    numpy.ndarray
        Mean power while on [W].
    """
    share = np.clip(np.asarray(load_pct, float), 0.0, 100.0) / 100.0
    idle = np.asarray(power_idle_w, float)
    return idle + share * (np.asarray(power_active_w, float) - idle)


def yearly_energy_kwh(
    power_on_w: ArrayLike,
    power_off_w: ArrayLike,
    hours_per_day: ArrayLike,
    days_per_year: ArrayLike,
) -> NDArray:
    """Electricity used in a year by a device that is on some hours of some days, off otherwise.

    ``E = [days * (h * P_on + (24 - h) * P_off) + (365 - days) * 24 * P_off] / 1000``

    Parameters
    ----------
    power_on_w : array_like
        Mean power while on [W].
    power_off_w : array_like
        Power while off or in standby [W].
    hours_per_day : array_like
        Hours on per day of use [h], 0 to 24.
    days_per_year : array_like
        Days of use per year [d], 0 to 366.

    Returns
    -------
    numpy.ndarray
        Energy [kWh/year], at the plug (no PUE).
    """
    hours = np.clip(np.asarray(hours_per_day, float), 0.0, HOURS_PER_DAY)
    days = np.clip(np.asarray(days_per_year, float), 0.0, 366.0)
    on = np.asarray(power_on_w, float)
    off = np.asarray(power_off_w, float)
    wh = days * (hours * on + (HOURS_PER_DAY - hours) * off) + np.maximum(DAYS_PER_YEAR - days, 0.0) * HOURS_PER_DAY * off
    return wh / 1000.0


def mean_power_from_energy_w(
    energy_kwh_per_year: ArrayLike,
    power_off_w: ArrayLike,
    hours_per_day: ArrayLike,
    days_per_year: ArrayLike,
) -> NDArray:
    """Mean power while on that gives a yearly energy (inverse of :func:`yearly_energy_kwh`).

    Returns
    -------
    numpy.ndarray
        Mean power while on [W]; NaN where the device is never on.
    """
    hours = np.clip(np.asarray(hours_per_day, float), 0.0, HOURS_PER_DAY)
    days = np.clip(np.asarray(days_per_year, float), 0.0, 366.0)
    off = np.asarray(power_off_w, float)
    off_wh = days * (HOURS_PER_DAY - hours) * off + np.maximum(DAYS_PER_YEAR - days, 0.0) * HOURS_PER_DAY * off
    on_hours = days * hours
    with np.errstate(divide="ignore", invalid="ignore"):
        power = (np.asarray(energy_kwh_per_year, float) * 1000.0 - off_wh) / on_hours
    return np.where(on_hours > 0, np.maximum(power, 0.0), np.nan)


# ---------------------------------------------------------------------------------------------
# Calibrated server wall-power model (SPECpower_ssj2008 TRAIN split; factors/data/server-power-model.csv)
# ---------------------------------------------------------------------------------------------

#: Target loads of SPECpower_ssj2008: active idle, then 10 % to 100 % of the calibrated maximum
#: throughput [%]. A property of the benchmark, not a factor.
SPEC_LOAD_LEVELS_PCT: NDArray = np.arange(0.0, 101.0, 10.0)

#: Inputs of the server model, in canonical units: one CPU's TDP [W], sockets [-], cores and
#: hardware threads per core [-], memory [GB], solid-state and hard disks [-], power supplies [-]
#: and the rating of one [W], year [year], AMD CPU (1) or not (0).
SERVER_INPUTS: tuple[str, ...] = (
    "tdp_per_cpu_w", "cpu_count", "cores_per_cpu", "threads_per_core", "ram_gb", "ssd_count",
    "hdd_count", "psu_count", "psu_rating_w", "year", "amd",
)

#: Physical parts of the server model, each ``(value, low, high)`` in ``server-power-model.csv``
#: rows ``part:<name>``: the power of one SSD and one HDD [W], memory [W/GB] and the power
#: supply's efficiency [-].
SERVER_PARTS: tuple[str, ...] = ("ssd_w", "hdd_w", "ram_w_per_gb", "psu_efficiency")


def server_parts_power_w(
    ssd_count: ArrayLike,
    hdd_count: ArrayLike,
    ram_gb: ArrayLike,
    *,
    ssd_w: float,
    hdd_w: float,
    ram_w_per_gb: float,
    psu_efficiency: float,
) -> NDArray:
    """Wall power of a server's drives and memory: what those parts draw, whatever the CPU load.

    ``P = (n_ssd * w_ssd + n_hdd * w_hdd + ram_gb * w_ram) / psu_efficiency``

    Parameters
    ----------
    ssd_count, hdd_count : array_like
        Solid-state and hard disks [-].
    ram_gb : array_like
        Installed memory [GB]; 0 when memory is left to the platform term.
    ssd_w, hdd_w : float
        Power of one drive [W] (DC side).
    ram_w_per_gb : float
        Memory power [W/GB] (DC side).
    psu_efficiency : float
        Power-supply efficiency [-], 0 to 1.

    Returns
    -------
    numpy.ndarray
        Wall power of these parts [W], before any PUE.

    References
    ----------
    Per-drive and per-GB figures of the Boavizta reference API usage model (SSD 8 W, 2-20;
    HDD 6.4 W, 5.4-9.4), PSU efficiency of the 80 PLUS / ENERGY STAR levels; rows ``part:*`` of
    ``factors/data/server-power-model.csv`` cite them.
    """
    dc = (np.asarray(ssd_count, float) * ssd_w + np.asarray(hdd_count, float) * hdd_w
          + np.asarray(ram_gb, float) * ram_w_per_gb)
    return dc / psu_efficiency


def server_power_terms(inputs: dict[str, ArrayLike], terms: tuple[str, ...], year_ref: float) -> NDArray:
    """Regression terms of the server model, one column per term name.

    Term names: ``intercept``; ``log_<input>`` (natural log, inputs floored at 1 except TDP and
    RAM, floored at 0.1); ``psu_count``, ``amd`` (linear); ``year`` (year - ``year_ref``),
    ``year_sq`` (its square) and ``year_after_<K>`` (``max(year - K, 0)``, a hinge);
    ``amd_year`` and ``amd_after_<K>`` (the AMD flag times ``year`` or the hinge: AMD's own
    trend over the years).

    Parameters
    ----------
    inputs : dict of array_like
        :data:`SERVER_INPUTS` in their canonical units.
    terms : tuple of str
        Term names, in the model's column order.
    year_ref : float
        Centre of the year terms [year].

    Returns
    -------
    numpy.ndarray
        ``(n, len(terms))`` design matrix [-].
    """
    n = len(np.atleast_1d(np.asarray(next(iter(inputs.values())), float)))
    columns = []
    for term in terms:
        if term == "intercept":
            columns.append(np.ones(n))
        elif term.startswith("log_"):
            name = term[4:]
            floor = 0.1 if name in ("tdp_per_cpu_w", "ram_gb") else 1.0
            columns.append(np.log(np.maximum(np.asarray(inputs[name], float), floor)))
        elif term in ("psu_count", "amd"):
            columns.append(np.asarray(inputs[term], float))
        elif term == "year":
            columns.append(np.asarray(inputs["year"], float) - year_ref)
        elif term == "year_sq":
            columns.append((np.asarray(inputs["year"], float) - year_ref) ** 2)
        elif term.startswith("year_after_"):
            columns.append(np.maximum(np.asarray(inputs["year"], float) - float(term[11:]), 0.0))
        elif term == "amd_year":
            columns.append(np.asarray(inputs["amd"], float) * (np.asarray(inputs["year"], float) - year_ref))
        elif term.startswith("amd_after_"):
            columns.append(np.asarray(inputs["amd"], float)
                           * np.maximum(np.asarray(inputs["year"], float) - float(term[10:]), 0.0))
        else:
            raise ValueError(f"unknown server-model term {term!r}")
    return np.column_stack([np.broadcast_to(c, (n,)) for c in columns])


def _term_input(term: str) -> str:
    if term == "intercept":
        return ""
    if term.startswith("log_"):
        return term[4:]
    if term.startswith("year") or term.startswith("amd"):
        return "year"  # the year and vendor terms are evaluated together (see server_power_levels_w)
    return term


def _interp_levels(levels: NDArray, load_pct: NDArray) -> NDArray:
    """Row-wise linear interpolation of ``(n, 11)`` values at the SPECpower load levels."""
    x = np.clip(np.asarray(load_pct, float), 0.0, 100.0) / 10.0
    i = np.minimum(np.floor(x).astype(np.int64), 9)
    w = x - i
    rows = np.arange(levels.shape[0])
    return levels[rows, i] * (1.0 - w) + levels[rows, i + 1] * w


def server_power_levels_w(
    coefficients: NDArray, terms: tuple[str, ...], year_ref: float, inputs: dict[str, ArrayLike],
    inputs_low: dict[str, ArrayLike] | None = None, inputs_high: dict[str, ArrayLike] | None = None,
    offset: NDArray | None = None,
) -> tuple[NDArray, NDArray, NDArray]:
    """Model wall power at each SPECpower level, and how far the input ranges move its log.

    ``ln P_j = sum_k c_kj t_k``. Every term but the year terms depends on one input and is
    monotonic in it, so its lowest and highest contribution over the input's ``[low, high]``
    are at the ends; the year and AMD terms (line, hinges, AMD's own trend) are summed and
    evaluated on both ends of the AMD flag and every whole year between. The per-input spreads are combined as independent
    (root-sum-square in log space), not added end to end, which would pile every input's
    extreme on every item.

    Parameters
    ----------
    coefficients : numpy.ndarray
        ``(len(terms), 11)`` coefficients [-].
    terms : tuple of str
        Term names (see :func:`server_power_terms`).
    year_ref : float
        Centre of the year terms [year].
    inputs : dict of array_like
        :data:`SERVER_INPUTS`, point values.
    inputs_low, inputs_high : dict of array_like, optional
        Low and high ends of each input's range; none when omitted.
    offset : numpy.ndarray, optional
        ``(n, 11)`` added to ``ln P`` (the shared effects, see :meth:`ServerPowerModel.effect_offsets`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``(n, 11)`` wall power [W] at the point inputs, and the downward and upward log-space
        spread [-] due to the input ranges.
    """
    t = server_power_terms(inputs, terms, year_ref)
    value = t @ coefficients
    if offset is not None:
        value = value + offset
    down = np.zeros_like(value)
    up = np.zeros_like(value)
    if inputs_low is None and inputs_high is None:
        return np.exp(value), down, up
    inputs_low, inputs_high = inputs_low or inputs, inputs_high or inputs
    t_low = server_power_terms(inputs_low, terms, year_ref)
    t_high = server_power_terms(inputs_high, terms, year_ref)
    for k, term in enumerate(terms):
        if _term_input(term) in ("", "year"):
            continue
        c = coefficients[k][None, :]
        at_v, at_l, at_h = t[:, k:k + 1] * c, t_low[:, k:k + 1] * c, t_high[:, k:k + 1] * c
        down += (at_v - np.minimum(np.minimum(at_l, at_h), at_v)) ** 2
        up += (np.maximum(np.maximum(at_l, at_h), at_v) - at_v) ** 2
    year_cols = [k for k, term in enumerate(terms) if _term_input(term) == "year"]
    if year_cols:
        year_terms = tuple(terms[k] for k in year_cols)
        c_year = coefficients[year_cols]
        n = t.shape[0]

        def ones(d: dict[str, ArrayLike], name: str) -> NDArray:
            return np.asarray(d.get(name, inputs.get(name, 0.0)), float) * np.ones(n)

        y_v, y_low, y_high = ones(inputs, "year"), ones(inputs_low, "year"), ones(inputs_high, "year")
        a_v, a_low, a_high = ones(inputs, "amd"), ones(inputs_low, "amd"), ones(inputs_high, "amd")
        at_v = server_power_terms({"year": y_v, "amd": a_v}, year_terms, year_ref) @ c_year
        lowest, highest = at_v.copy(), at_v.copy()
        span = int(np.ceil(np.max(y_high - y_low))) if n and np.any(y_high > y_low) else 0
        for step in range(span + 1):
            y = np.minimum(y_low + step, y_high)
            for a in (a_low, a_high):
                at = server_power_terms({"year": y, "amd": a}, year_terms, year_ref) @ c_year
                lowest = np.minimum(lowest, at)
                highest = np.maximum(highest, at)
        down += (at_v - lowest) ** 2
        up += (highest - at_v) ** 2
    return np.exp(value), np.sqrt(down), np.sqrt(up)


@dataclass(frozen=True)
class ServerPowerModel:
    """Parameters of the calibrated server model, as read from ``server-power-model.csv``.

    Attributes
    ----------
    terms
        Term names (see :func:`server_power_terms`).
    coefficients
        ``(len(terms), 11)`` coefficients of ``ln P`` at the SPECpower levels [-].
    band
        ``(2, 11)`` multiplicative error band (10th, 90th percentile of out-of-fold
        measured/predicted) at each level [-].
    year_ref
        Centre of the year terms [year].
    clip
        Input -> (min, max) seen in the training data; inputs are clipped to it [input unit].
    unknown
        Input -> (value, low, high) used where the input is unknown [input unit].
    impute_cores
        Coefficients of ``ln cores_per_cpu = c0 + c1 ln tdp_per_cpu_w + c2 (year - year_ref)``
        and the (low, high) multiplicative band of that imputation [-].
    parts
        :data:`SERVER_PARTS` name -> (value, low, high): the physical parts added to the
        platform term (see :func:`server_parts_power_w`); none in older parameter files.
    band_drives_unknown
        ``(2, 11)`` band used instead of ``band`` where the drive counts are a range (not given):
        10th/90th percentile of out-of-fold measured/predicted with the default drives [-];
        None in older parameter files.
    effects
        Shared effects on ``ln P``: kind (``"vendor"``, ``"generation"``, ``"cpu"``, ``"product"``)
        -> key -> ``(11,)``
        offsets [-] (ridge-shrunk, see :mod:`factors.server_keys` for the keys).
    effect_spread
        Kind -> ``(2, 11)`` 10th/90th percentile of the offsets over the training results [-],
        the spread used where the key is unknown or unseen (zero for kinds whose unseen keys the
        calibrated band already holds: CPU model, product line).
    """

    terms: tuple[str, ...]
    coefficients: NDArray
    band: NDArray
    year_ref: float
    clip: dict[str, tuple[float, float]] = field(default_factory=dict)
    unknown: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    impute_cores: tuple[float, float, float, float, float] = (0.0, 0.0, 0.0, 1.0, 1.0)
    parts: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    band_drives_unknown: NDArray | None = None
    effects: dict[str, dict[str, NDArray]] = field(default_factory=dict)
    effect_spread: dict[str, NDArray] = field(default_factory=dict)
    effect_by_year: dict[str, dict[int, NDArray]] = field(default_factory=dict)

    def effect_offsets(self, keys: dict[str, ArrayLike] | None, n: int) -> tuple[NDArray, NDArray, NDArray]:
        """``(n, 11)`` offsets of ``ln P`` from the shared effects, and the log spreads down/up.

        A known key adds its offset; an unknown (``""``) or unseen key adds none, and the spread
        of the offsets over the training results (10th/90th percentile) widens the bounds. Where
        ``keys["year"]`` gives a row's year and the model has ``effect_by_year`` for the kind, an
        unknown key adds the mean offset of that year's training results instead of none (the
        year clamped to the years fitted); the bounds stay those of an unknown key.
        """
        levels = len(SPEC_LOAD_LEVELS_PCT)
        offset, down, up = np.zeros((n, levels)), np.zeros((n, levels)), np.zeros((n, levels))
        for kind, table in self.effects.items():
            given = np.asarray(keys.get(kind) if keys else None, dtype=object)
            if given.ndim == 0:
                given = np.full(n, "", dtype=object)
            codes, uniques = pd.factorize(pd.Series(given, dtype=object).fillna(""))
            rows = np.array([table.get(str(u), np.full(levels, np.nan)) for u in uniques] + [np.full(levels, np.nan)])
            per_row = rows[codes]
            unknown = np.isnan(per_row[:, 0])
            by_year = self.effect_by_year.get(kind)
            year_given = keys.get("year") if keys else None
            year = np.asarray(year_given, float) * np.ones(n) if year_given is not None else np.full(n, np.nan)
            if by_year and (unknown & np.isfinite(year)).any():
                first, last = min(by_year), max(by_year)
                table_years = np.array([by_year.get(y, np.full(levels, np.nan)) for y in range(first, last + 1)])
                use = unknown & np.isfinite(year)
                at = np.clip(np.floor(year[use]), first, last).astype(int) - first
                per_row[use] = table_years[at]
            offset += np.nan_to_num(per_row)
            spread = self.effect_spread.get(kind, np.zeros((2, levels)))
            down += np.where(unknown[:, None], -np.minimum(spread[0], 0.0)[None, :], 0.0) ** 2
            up += np.where(unknown[:, None], np.maximum(spread[1], 0.0)[None, :], 0.0) ** 2
        return offset, np.sqrt(down), np.sqrt(up)

    def parts_power_w(self, inputs: dict[str, ArrayLike]) -> NDArray:
        """Wall power of the physical parts [W] at the given (point, low or high) inputs.

        Always at the parts' central watts: the platform term was fitted on measured power less
        the parts at these watts, so the spread of the watts is already inside the model's
        calibrated error band; the bounds of the parts come from the ranges of their counts
        (drives, memory). Memory counts here only when the model has a ``ram_w_per_gb`` part.
        """
        if not self.parts:
            return np.zeros(np.shape(np.asarray(inputs["ssd_count"], float)))
        ram = self.parts.get("ram_w_per_gb", (0.0, 0.0, 0.0))[0]
        return server_parts_power_w(
            inputs["ssd_count"], inputs["hdd_count"], inputs["ram_gb"], ssd_w=self.parts["ssd_w"][0],
            hdd_w=self.parts["hdd_w"][0], ram_w_per_gb=ram, psu_efficiency=self.parts["psu_efficiency"][0])

    def inputs(self, given: dict[str, tuple[ArrayLike, ArrayLike, ArrayLike]]
               ) -> tuple[dict[str, NDArray], dict[str, NDArray], dict[str, NDArray]]:
        """Point, low and high model inputs from given (value, low, high) arrays, NaN = unknown.

        Unknown ``year``, ``threads_per_core`` and ``amd`` take the model's ``unknown`` value and
        range; unknown ``cores_per_cpu`` is imputed from TDP and year (with its band); every input
        is then clipped to the training range.
        """
        out = ({}, {}, {})
        for name in SERVER_INPUTS:
            if name == "cores_per_cpu":
                continue
            arrays = [np.asarray(a, float).copy() for a in given[name]]
            if name in self.unknown:
                for k, arr in enumerate(arrays):
                    arr[np.isnan(arr)] = self.unknown[name][k]
            for k in range(3):
                out[k][name] = arrays[k]
        c0, c1, c2, b_low, b_high = self.impute_cores
        cores = [np.asarray(a, float).copy() for a in given["cores_per_cpu"]]
        missing = np.isnan(cores[0])
        if missing.any():
            def imputed(tdp, year):
                return np.exp(c0 + c1 * np.log(np.maximum(tdp, 0.1)) + c2 * (year - self.year_ref))
            corners = [imputed(out[t]["tdp_per_cpu_w"], out[y]["year"]) for t in (1, 2) for y in (1, 2)]
            cores[0] = np.where(missing, imputed(out[0]["tdp_per_cpu_w"], out[0]["year"]), cores[0])
            cores[1] = np.where(missing, np.minimum.reduce(corners) * b_low, cores[1])
            cores[2] = np.where(missing, np.maximum.reduce(corners) * b_high, cores[2])
        for k in range(3):
            out[k]["cores_per_cpu"] = cores[k]
        for name, (lo, hi) in self.clip.items():
            for k in range(3):
                out[k][name] = np.clip(out[k][name], lo, hi)
        for name in SERVER_INPUTS:
            out[1][name] = np.fmin(out[1][name], out[0][name])
            out[2][name] = np.fmax(out[2][name], out[0][name])
        return out


def _triple(x: ArrayLike | tuple) -> tuple[NDArray, NDArray, NDArray]:
    if isinstance(x, tuple):
        return tuple(np.asarray(a, float) for a in x)  # type: ignore[return-value]
    a = np.asarray(x, float)
    return a, a, a


def server_given_inputs(
    cpu_tdp_w, cpu_count, cpu_cores, cpu_threads, ram_gb, ssd_count, hdd_count, psu_count,
    psu_rating_w, year, amd, table_cores_per_cpu: ArrayLike, table_threads_per_cpu: ArrayLike,
    launch_year: ArrayLike,
) -> dict[str, tuple[NDArray, NDArray, NDArray]]:
    """Server-model inputs from inventory columns: (value, low, high) per input, NaN = unknown.

    Each argument is an array (an exact value, NaN where unknown) or a (value, low, high) tuple.
    ``cpu_cores`` and ``cpu_threads`` are totals over all sockets, as in the inventory; the model
    works per CPU (cores) and per core (threads). Where the inventory gives no core count the
    CPU table's (``table_*``, per CPU) is used. A server with no year is taken to be no older
    than its CPU's launch year.

    Returns
    -------
    dict
        Keys :data:`SERVER_INPUTS`; values (value, low, high) arrays for
        :meth:`ServerPowerModel.inputs`.
    """
    count = _triple(cpu_count)
    cores_total, threads_total = np.asarray(cpu_cores, float), np.asarray(cpu_threads, float)
    t_cores, t_threads = np.asarray(table_cores_per_cpu, float), np.asarray(table_threads_per_cpu, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        have_total = ~np.isnan(cores_total) & (count[0] > 0)
        cores = (np.where(have_total, cores_total / count[0], t_cores),
                 np.where(have_total, cores_total / count[2], t_cores),
                 np.where(have_total, cores_total / count[1], t_cores))
        table_ratio = t_threads / t_cores
        ratio = np.where(~np.isnan(threads_total) & ~np.isnan(cores_total), threads_total / cores_total,
                         table_ratio)
        from_threads = np.isnan(ratio) & ~np.isnan(threads_total) & ~np.isnan(cores[0])
        tpc = [np.where(from_threads, threads_total / (cores[k] * count[k]), ratio) for k in range(3)]
    launch = np.asarray(launch_year, float)
    y_v, y_l, y_h = (a.copy() for a in _triple(year))
    no_year = np.isnan(y_v) & ~np.isnan(launch)
    y_v[no_year] = launch[no_year]
    y_l[no_year] = launch[no_year]
    return {
        "tdp_per_cpu_w": _triple(cpu_tdp_w), "cpu_count": count, "cores_per_cpu": cores,
        "threads_per_core": (tpc[0], np.fmin(tpc[1], tpc[2]), np.fmax(tpc[1], tpc[2])),
        "ram_gb": _triple(ram_gb), "ssd_count": _triple(ssd_count), "hdd_count": _triple(hdd_count),
        "psu_count": _triple(psu_count),
        "psu_rating_w": _triple(psu_rating_w), "year": (y_v, y_l, y_h), "amd": _triple(amd),
    }


def server_power_model_from_rows(rows) -> ServerPowerModel:
    """Build a :class:`ServerPowerModel` from ``(parameter, value, low, high)`` rows.

    Parameter names: ``coef:<term>:<level %>``, ``band:<level %>`` (value 1, low/high the band),
    ``year_ref``, ``clip:<input>`` (low/high), ``unknown:<input>``,
    ``impute_cores:<c0|c1|c2|band>``, ``part:<name>`` (:data:`SERVER_PARTS`),
    ``band_drives_unknown:<level %>``, ``effect:<kind>:<key>:<level %>`` (value) and
    ``effect_spread:<kind>:<level %>`` (low/high).
    """
    coefs: dict[tuple[str, int], float] = {}
    band: dict[int, tuple[float, float]] = {}
    band_unknown: dict[int, tuple[float, float]] = {}
    effects: dict[str, dict[str, dict[int, float]]] = {}
    spreads: dict[str, dict[int, tuple[float, float]]] = {}
    by_year: dict[str, dict[int, dict[int, float]]] = {}
    clip, unknown, impute, parts = {}, {}, {}, {}
    year_ref = 0.0
    terms: list[str] = []
    for parameter, value, low, high in rows:
        kind, _, rest = str(parameter).partition(":")
        if kind == "coef":
            term, _, level = rest.rpartition(":")
            if term not in terms:
                terms.append(term)
            coefs[(term, int(level))] = float(value)
        elif kind == "band":
            band[int(rest)] = (float(low), float(high))
        elif kind == "band_drives_unknown":
            band_unknown[int(rest)] = (float(low), float(high))
        elif kind == "effect":
            effect_kind, _, key_level = rest.partition(":")
            key, _, level = key_level.rpartition(":")
            effects.setdefault(effect_kind, {}).setdefault(key, {})[int(level)] = float(value)
        elif kind == "effect_spread":
            effect_kind, _, level = rest.partition(":")
            spreads.setdefault(effect_kind, {})[int(level)] = (float(low), float(high))
        elif kind == "effect_by_year":
            effect_kind, year, level = rest.split(":")
            by_year.setdefault(effect_kind, {}).setdefault(int(year), {})[int(level)] = float(value)
        elif kind == "year_ref":
            year_ref = float(value)
        elif kind == "clip":
            clip[rest] = (float(low), float(high))
        elif kind == "unknown":
            unknown[rest] = (float(value), float(low), float(high))
        elif kind == "impute_cores":
            impute[rest] = (float(value), float(low), float(high))
        elif kind == "part":
            parts[rest] = (float(value), float(low), float(high))
    levels = [int(x) for x in SPEC_LOAD_LEVELS_PCT]
    coefficients = np.array([[coefs[(t, lv)] for lv in levels] for t in terms])
    bands = np.array([[band[lv][0] for lv in levels], [band[lv][1] for lv in levels]])
    c = impute.get
    impute_cores = (c("c0")[0], c("c1")[0], c("c2")[0], c("band")[1], c("band")[2]) if impute else (
        0.0, 0.0, 0.0, 1.0, 1.0)
    bands_unknown = (np.array([[band_unknown[lv][0] for lv in levels], [band_unknown[lv][1] for lv in levels]])
                     if band_unknown else None)
    effect_arrays = {kind: {key: np.array([by_level[lv] for lv in levels]) for key, by_level in table.items()}
                     for kind, table in effects.items()}
    spread_arrays = {kind: np.array([[d[lv][0] for lv in levels], [d[lv][1] for lv in levels]])
                     for kind, d in spreads.items()}
    by_year_arrays = {kind: {year: np.array([d[lv] for lv in levels]) for year, d in table.items()}
                      for kind, table in by_year.items()}
    return ServerPowerModel(tuple(terms), coefficients, bands, year_ref, clip, unknown, impute_cores, parts,
                            bands_unknown, effect_arrays, spread_arrays, by_year_arrays)


def server_wall_power_model_w(
    model: ServerPowerModel,
    load_pct: ArrayLike,
    inputs: dict[str, ArrayLike],
    inputs_low: dict[str, ArrayLike] | None = None,
    inputs_high: dict[str, ArrayLike] | None = None,
    load_low_pct: ArrayLike | None = None,
    load_high_pct: ArrayLike | None = None,
    keys: dict[str, ArrayLike] | None = None,
) -> tuple[NDArray, NDArray, NDArray]:
    """Wall power of servers at a load, with bounds, from the calibrated SPECpower model.

    ``P(load) = P_platform(load) + P_parts``. The platform term (CPUs, board, fans, memory
    controller: everything the model does not itemise) is the regression at the eleven SPECpower
    levels (active idle, 10 %, ..., 100 %), made non-decreasing in load and interpolated linearly
    at ``load_pct``; it carries the load dependence through TDP, sockets and cores. The parts
    term (:meth:`ServerPowerModel.parts_power_w`: each drive its own watts, memory its W/GB,
    divided by the PSU efficiency) does not depend on the load. The platform bounds combine the
    input ranges (:func:`server_power_levels_w`) and the model's own error band (10th/90th
    percentile of out-of-fold measured/predicted) as independent spreads, root-sum-square in log
    space; the load's own range then moves the low and high bound; the parts add their power at
    the low and high ends of their counts. Where the drive counts are a range (not given), the
    model's drives-unknown band (calibrated out of fold with the default drives) replaces the
    band and the drives count at their point value in the bounds too, so their uncertainty is
    not counted twice. The shared effects (server vendor, CPU generation; ``keys``) shift
    ``ln P`` per level; an unknown key widens the bounds by the effects' spread.

    Parameters
    ----------
    model : ServerPowerModel
        Calibrated parameters.
    load_pct : array_like
        Mean load [%] (SPECpower target load: share of the maximum throughput).
    inputs : dict of array_like
        :data:`SERVER_INPUTS`, point values (see :meth:`ServerPowerModel.inputs`).
    inputs_low, inputs_high : dict of array_like, optional
        Low and high ends of each input's range; ``inputs`` when None.
    load_low_pct, load_high_pct : array_like, optional
        Load for the low and high bound [%]; ``load_pct`` when None.
    keys : dict of array_like, optional
        Effect kind (``"vendor"``, ``"generation"``, ``"cpu"``, ``"product"``; ``"year"`` for
        the year's generation offset) -> per-row key (:mod:`factors.server_keys`);
        unknown for every row when None.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Value, low and high wall power [W], before any PUE.

    References
    ----------
    SPECpower_ssj2008 results (Standard Performance Evaluation Corporation,
    https://www.spec.org/power_ssj2008/), as parsed by green-coding-solutions/cloud-energy; fit in
    ``factors/fit/fit_server_power.py``, validation in ``docs/validation.md``.
    """
    n = len(np.atleast_1d(np.asarray(inputs["cpu_count"], float)))
    offset, e_down, e_up = model.effect_offsets(keys, n)
    value, down, up = server_power_levels_w(model.coefficients, model.terms, model.year_ref, inputs,
                                            inputs_low, inputs_high, offset)
    down, up = np.sqrt(down**2 + e_down**2), np.sqrt(up**2 + e_up**2)
    inputs_low, inputs_high = inputs_low or inputs, inputs_high or inputs
    drives_unknown = np.zeros(n, dtype=bool)
    if model.band_drives_unknown is not None:
        for name in ("ssd_count", "hdd_count"):
            drives_unknown |= np.asarray(inputs_low[name], float) * np.ones(n) < np.asarray(inputs_high[name], float)
        inputs_low, inputs_high = ({**d, **{name: np.where(drives_unknown, inputs[name], d[name])
                                            for name in ("ssd_count", "hdd_count")}}
                                   for d in (inputs_low, inputs_high))
    band = model.band[:, None, :] * np.ones((1, n, 1))
    if drives_unknown.any():
        band[:, drives_unknown, :] = model.band_drives_unknown[:, None, :]
    band_down = -np.log(band[0])
    band_up = np.log(band[1])
    low_levels = value * np.exp(-np.sqrt(down**2 + band_down**2))
    high_levels = value * np.exp(np.sqrt(up**2 + band_up**2))
    value = np.maximum.accumulate(value, axis=1)
    low_levels = np.maximum.accumulate(np.minimum(low_levels, value), axis=1)
    high_levels = np.maximum.accumulate(np.maximum(high_levels, value), axis=1)
    load = np.asarray(load_pct, float) * np.ones(n)
    load_low = load if load_low_pct is None else np.asarray(load_low_pct, float) * np.ones(n)
    load_high = load if load_high_pct is None else np.asarray(load_high_pct, float) * np.ones(n)
    v = _interp_levels(value, load) + model.parts_power_w(inputs)
    lo = _interp_levels(low_levels, load_low) + model.parts_power_w(inputs_low)
    hi = _interp_levels(high_levels, load_high) + model.parts_power_w(inputs_high)
    return v, np.minimum(lo, v), np.maximum(hi, v)
