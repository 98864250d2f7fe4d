"""Electrical power and yearly energy of devices: small pure functions over numpy arrays.

All inputs are plain floats or arrays in the units their names carry; parameters come from
``factors/data/parameters.csv`` and ``archetypes.csv`` (each with its source), never from
constants here.
"""

from __future__ import annotations

import numpy as np
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
