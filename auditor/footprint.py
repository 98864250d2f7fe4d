"""The footprint engine: embodied and use-phase impacts of every item, vectorised.

One pass over whole columns (numpy), no per-item Python loop. For each criterion
(gwp, water, adpe, pe) and each row:

- embodied = quantity x sum over the category's factor rows of (factor x driver), where a driver
  is ``device`` (1), a spec (screen size, RAM...) or a count; low/high use the factors' and
  the filled specs' bounds;
- use per year = energy (kWh/year, PUE included where it applies) x electricity factor of the
  item's country;
- total per year = embodied / lifetime + use.

Energy per item, best source first: ``measured`` (probe) > ``declared`` (metered kWh/year or
declared mean power) > ``modelled`` (server load curve, or given hours/load) > ``default``
(category archetype).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from auditor.enrich import Enriched, Spec, archetype_arrays, category_codes, enrich
from auditor.profiles import gather, profile_codes, worth_grouping
from auditor.results import RESULT_COLUMNS, UNIT_OF
from factors.cpu_table import lookup_cpus
from factors.embodied_model import MODEL_CATEGORIES as EMBODIED_MODEL_CATEGORIES
from factors.embodied_model import (
    EmbodiedModel,
    effect_keys,
    embodied_gwp_kgco2e,
    embodied_model_from_rows,
    feature_matrix,
    storage_total_gb,
)
from factors.power import (
    ServerPowerModel,
    mean_on_power_w,
    mean_power_from_energy_w,
    server_given_inputs,
    server_power_model_from_rows,
    server_wall_power_model_w,
    yearly_energy_kwh,
)
from factors.server_keys import cpu_generations, cpu_skus, server_products, server_vendor_keys
from factors.tables import CATEGORIES, CRITERIA, DRIVER_UNITS, FactorLibrary

#: Categories that sit in a server room, to which the site PUE applies.
PUE_CATEGORIES: tuple[str, ...] = ("server", "storage")

ENERGY_SOURCES: tuple[str, ...] = ("measured", "declared", "modelled", "default")

#: Inventory column set by the measurements join (probe files, Prometheus): yearly plug energy of
#: ONE device extrapolated from the sampled period [kWh/year], with optional ``_low``/``_high``.
MEASURED_COLUMN = "measured_energy_kwh_per_year"


@dataclass
class AssessOptions:
    """Choices of an assessment that are not in the inventory.

    Attributes
    ----------
    pue
        PUE of on-site server rooms; the packaged default (with its source) when None.
    site_pue
        PUE per site name, overriding ``pue`` for that site.
    today
        Reference date for ages; today when None.
    """

    pue: float | None = None
    site_pue: dict[str, float] = field(default_factory=dict)
    today: date | None = None


def embodied_per_device(
    codes: np.ndarray, enriched: Enriched, library: FactorLibrary, criterion: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embodied impact of ONE device of each row, in the criterion's canonical unit.

    Returns value, low and high arrays: the sum over drivers of factor x driver quantity, where
    the low (high) uses the factors' low (high) and the filled specs' low (high). A category with
    no factor row for the criterion (not shipped, see ``LICENSES.md``) gets NaN, never 0.
    """
    covered_codes, by_driver = _embodied_factor_arrays(library, criterion)
    covered = np.isin(codes, covered_codes)
    total = np.where(covered, 0.0, np.nan)
    low = total.copy()
    high = total.copy()
    for driver, (f_value, f_low, f_high) in by_driver.items():
        if driver == "device":
            total += f_value[codes]
            low += f_low[codes]
            high += f_high[codes]
            continue
        arrays = _driver_arrays(enriched, driver)
        if arrays is None:
            continue
        d_value, d_low, d_high = arrays
        total += f_value[codes] * d_value
        low += f_low[codes] * d_low
        high += f_high[codes] * d_high
    return total, low, high


def _embodied_factor_arrays(library: FactorLibrary, criterion: str
                            ) -> tuple[list[int], dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Categories with a factor row for ``criterion``, and per driver the summed factor value, low
    and high of every category (0 where none): read once per library and criterion."""
    cache = library.__dict__.setdefault("_embodied_arrays", {})
    if criterion not in cache:
        table = library.embodied
        rows = table[table["criterion"] == criterion]
        covered = [CATEGORIES.index(c) for c in set(rows["category"])]
        by_driver = {}
        for driver in DRIVER_UNITS:
            sub = rows[rows["driver"] == driver]
            if sub.empty:
                continue
            arrays = tuple(np.zeros(len(CATEGORIES)) for _ in range(3))
            for category, value, low, high in zip(sub["category"], sub["value"], sub["low"], sub["high"],
                                                  strict=True):
                i = CATEGORIES.index(category)
                arrays[0][i] += value
                arrays[1][i] += low
                arrays[2][i] += high
            by_driver[driver] = arrays
        cache[criterion] = (covered, by_driver)
    return cache[criterion]


def _driver_arrays(enriched: Enriched, driver: str) -> tuple[np.ndarray, ...] | None:
    """Value/low/high of a driver for every row (unknown = 0), computed once per assessment.

    ``ssd_gb`` and ``hdd_gb`` are per drive in the inventory: the driver is capacity x count.
    """
    if driver in enriched.cache:
        return enriched.cache[driver]
    spec = enriched.specs.get(driver)
    arrays = None
    if spec is not None:
        arrays = tuple(_nan_to_zero(a) for a in (spec.value, spec.low, spec.high))
        if driver in ("ssd_gb", "hdd_gb"):
            count = enriched[driver.replace("_gb", "_count")]
            arrays = tuple(a * _nan_to_zero(c) for a, c in zip(arrays, (count.value, count.low, count.high), strict=True))
    enriched.cache[driver] = arrays
    return arrays


def _nan_to_zero(values: np.ndarray) -> np.ndarray:
    """A copy with NaN (unknown) as 0; the specs hold no infinities (the importer refuses them)."""
    return np.where(np.isnan(values), 0.0, values)


def use_power(
    table: pd.DataFrame, codes: np.ndarray, enriched: Enriched, library: FactorLibrary
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean power while on and yearly plug energy of ONE device, with bounds and source.

    Returns
    -------
    (power_w, energy_kwh, energy_low, energy_high, source, power_off_w, modelled_power_w)
        ``source`` is an array of ``declared``/``modelled``/``default``.
    """
    n = len(table)
    off_v, off_l, off_h = (a[codes] for a in archetype_arrays(library, "power_off_w"))
    idle_v, idle_l, idle_h = (a[codes] for a in archetype_arrays(library, "power_idle_w"))
    act_v, act_l, act_h = (a[codes] for a in archetype_arrays(library, "power_active_w"))
    hours, days, load = enriched["hours_per_day"], enriched["days_per_year"], enriched["avg_load_pct"]

    on_v = mean_on_power_w(idle_v, act_v, load.value)
    on_l = mean_on_power_w(idle_l, act_l, load.low)
    on_h = mean_on_power_w(idle_h, act_h, load.high)

    server = codes == CATEGORIES.index("server")
    if server.any():
        s_v, s_l, s_h = _server_power(table, enriched, library, server)
        on_v = np.where(server, s_v, on_v)
        on_l = np.where(server, s_l, on_l)
        on_h = np.where(server, s_h, on_h)

    e_v = yearly_energy_kwh(on_v, off_v, hours.value, days.value)
    e_l = yearly_energy_kwh(on_l, off_l, hours.low, days.low)
    e_h = yearly_energy_kwh(on_h, off_h, hours.high, days.high)
    modelled_power = on_v.copy()

    source = np.full(n, "default", dtype=object)
    usage_any = ~hours.filled | ~load.filled
    if server.any():
        spec_given = np.zeros(n, dtype=bool)
        for name in ("cpu_tdp_w", "cpu_count", "ram_gb"):
            spec_given |= ~enriched[name].filled
        source[server & (spec_given | usage_any)] = "modelled"
    source[~server & usage_any] = "modelled"

    power_w = on_v.copy()
    declared_power = table["power_w"].to_numpy(dtype=float)
    has_power = ~np.isnan(declared_power)
    if has_power.any():
        d_v, d_l, d_h = declared_power_energy_kwh(declared_power, (off_v, off_l, off_h), hours, days)
        e_v = np.where(has_power, d_v, e_v)
        e_l = np.where(has_power, d_l, e_l)
        e_h = np.where(has_power, d_h, e_h)
        power_w = np.where(has_power, declared_power, power_w)
        source[has_power] = "declared"
    metered = table["energy_kwh_per_year"].to_numpy(dtype=float)
    has_energy = ~np.isnan(metered)
    if has_energy.any():
        e_v = np.where(has_energy, metered, e_v)
        e_l = np.where(has_energy, metered, e_l)
        e_h = np.where(has_energy, metered, e_h)
        back = mean_power_from_energy_w(metered, off_v, hours.value, days.value)
        power_w = np.where(has_energy & ~has_power, back, power_w)
        source[has_energy] = "declared"
    if MEASURED_COLUMN in table:
        measured = table[MEASURED_COLUMN].to_numpy(dtype=float)
        has_measured = ~np.isnan(measured)
        if has_measured.any():
            e_v = np.where(has_measured, measured, e_v)
            e_l = np.where(has_measured, table.get(f"{MEASURED_COLUMN}_low", measured), e_l)
            e_h = np.where(has_measured, table.get(f"{MEASURED_COLUMN}_high", measured), e_h)
            back = mean_power_from_energy_w(measured, off_v, hours.value, days.value)
            power_w = np.where(has_measured, back, power_w)
            source[has_measured] = "measured"
    return power_w, e_v, e_l, e_h, source, off_v, modelled_power


def declared_power_energy_kwh(power_w: np.ndarray, off_w: tuple[np.ndarray, np.ndarray, np.ndarray],
                              hours: Spec, days: Spec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Yearly energy [kWh/year] of ONE device from its declared mean power while on, with bounds.

    The declared power [W] is exact, but the hours per day, the days per year and the power
    while off may come from the archetype with their own bounds; those bounds widen the energy's.
    ``E = d h (P - P_off) + 8760 P_off`` (:func:`factors.power.yearly_energy_kwh`) is monotone in
    ``d h`` and increasing in ``P_off``, so its extremes sit at the low and high corners of
    ``(h, d)``, with the low (high) power while off; given hours and days have zero width.
    """
    value = yearly_energy_kwh(power_w, off_w[0], hours.value, days.value)
    corners_low = [yearly_energy_kwh(power_w, off_w[1], h, d)
                   for h, d in ((hours.low, days.low), (hours.high, days.high))]
    corners_high = [yearly_energy_kwh(power_w, off_w[2], h, d)
                    for h, d in ((hours.low, days.low), (hours.high, days.high))]
    low = np.fmin(value, np.fmin(*corners_low))
    high = np.fmax(value, np.fmax(*corners_high))
    return value, low, high


def server_power_model(library: FactorLibrary) -> ServerPowerModel:
    """The calibrated server wall-power model of a library (built once per library)."""
    return _built(library, "server-power-model", server_power_model_from_rows)


def embodied_model(library: FactorLibrary) -> EmbodiedModel:
    """The calibrated embodied-GWP model of a library (built once per library)."""
    return _built(library, "embodied-model", embodied_model_from_rows)


def _built(library: FactorLibrary, name: str, builder):
    cache = library.__dict__.setdefault("_built_models", {})
    if name not in cache:
        frame = library.model(name)
        cache[name] = builder(zip(frame["parameter"], frame["value"], frame["low"], frame["high"], strict=True))
    return cache[name]


def _server_power(table: pd.DataFrame, enriched: Enriched, library: FactorLibrary, server: np.ndarray):
    """Server wall power at its load (calibrated SPECpower model), value and bounds.

    Only the server rows are evaluated; other rows get NaN. Inputs: the enriched specs (given,
    CPU-table or archetype values with bounds), the inventory's own core, thread and year
    columns, and the vendor and CPU-generation keys read from ``manufacturer`` and
    ``cpu_model``; the bounds combine the input ranges and the model's error band.
    """
    rows = np.flatnonzero(server)
    n = len(server)
    model = server_power_model(library)

    def spec(name: str):
        s = enriched[name]
        return s.value[rows], s.low[rows], s.high[rows]

    def column(name: str) -> np.ndarray:
        return table[name].to_numpy(dtype=float)[rows] if name in table else np.full(rows.size, np.nan)

    cpu = lookup_cpus(table["cpu_model"].iloc[rows].to_numpy(dtype=object) if "cpu_model" in table
                      else np.full(rows.size, None, dtype=object))
    given = server_given_inputs(
        spec("cpu_tdp_w"), spec("cpu_count"), column("cpu_cores"), column("cpu_threads"), spec("ram_gb"),
        spec("ssd_count"), spec("hdd_count"), spec("psu_count"), spec("psu_rating_w"), column("year"),
        cpu["amd"], cpu["cores"], cpu["threads"], cpu["launch_year"])
    point, low, high = model.inputs(given)
    load = enriched["avg_load_pct"]
    def text(name: str) -> np.ndarray:
        return (table[name].iloc[rows].to_numpy(dtype=object) if name in table
                else np.full(rows.size, None, dtype=object))

    keys = {"vendor": server_vendor_keys(text("manufacturer")), "generation": cpu_generations(text("cpu_model")),
            "cpu": cpu_skus(text("cpu_model")), "product": server_products(text("manufacturer"), text("model")),
            # an unknown generation takes the mean offset of the servers of its year (effect_by_year)
            "year": column("year")}
    v, lo, hi = server_wall_power_model_w(model, load.value[rows], point, low, high,
                                          load.low[rows], load.high[rows], keys=keys)
    out = [np.full(n, np.nan) for _ in range(3)]
    for arr, part in zip(out, (v, lo, hi), strict=True):
        arr[rows] = part
    return tuple(out)


def embodied_from_model(table: pd.DataFrame, codes: np.ndarray, library: FactorLibrary
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Embodied GWP of ONE device from the calibrated model, for the categories it covers.

    Uses the inventory's own columns (manufacturer, model, screen size, weight, RAM, storage,
    CPU count, year); an unknown value is the model's "unknown", never an archetype default.

    Returns
    -------
    (value, low, high, covered)
        kgCO2e per device (NaN outside ``covered``) and the mask of covered rows.
    """
    model = embodied_model(library)
    covered_codes = [CATEGORIES.index(c) for c in model.categories] if library.use_embodied_model else []
    rows = np.flatnonzero(np.isin(codes, covered_codes))
    n = len(codes)
    out = [np.full(n, np.nan) for _ in range(3)]
    covered = np.zeros(n, dtype=bool)
    if rows.size == 0:
        return (*out, covered)

    def column(name: str) -> np.ndarray:
        return table[name].to_numpy(dtype=float)[rows] if name in table else np.full(rows.size, np.nan)

    def text(name: str) -> pd.Series | np.ndarray:
        return table[name].take(rows) if name in table else np.full(rows.size, None, dtype=object)

    storage = storage_total_gb(column("storage_gb"), column("ssd_count"), column("ssd_gb"),
                               column("hdd_count"), column("hdd_gb"))
    features = feature_matrix(column("screen_size_in"), column("weight_kg"), column("year"), storage,
                              column("ram_gb"), column("cpu_count"))
    keys = effect_keys(text("manufacturer"), text("model"), column("year"))
    v, lo, hi, cov = embodied_gwp_kgco2e(model, pd.Categorical.from_codes(codes[rows], CATEGORIES), features, keys)
    for arr, part in zip(out, (v, lo, hi), strict=True):
        arr[rows] = part
    covered[rows] = cov
    return (*out, covered)


def derived_from_gwp(model_gwp: tuple[np.ndarray, np.ndarray, np.ndarray],
                     table_gwp: tuple[np.ndarray, np.ndarray, np.ndarray],
                     table_criterion: tuple[np.ndarray, np.ndarray, np.ndarray]
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Water, ADPe or primary energy embodied, scaled from the model's GWP by the table's ratio.

    ``value = GWP_model x (X_table / GWP_table)``; ``low = GWP_model_low x min(ratio,
    X_table_low / GWP_table_low)``; ``high`` likewise with the maxima. The ratio's own spread
    (for water: 5 to 15 L/kgCO2e, see ``embodied.md``) widens the bounds.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(table_gwp[0] > 0, table_criterion[0] / table_gwp[0], 0.0)
        r_low = np.fmin(ratio, np.where(table_gwp[1] > 0, table_criterion[1] / table_gwp[1], ratio))
        r_high = np.fmax(ratio, np.where(table_gwp[2] > 0, table_criterion[2] / table_gwp[2], ratio))
    return model_gwp[0] * ratio, model_gwp[1] * r_low, model_gwp[2] * r_high


def pue_per_row(table: pd.DataFrame, codes: np.ndarray, library: FactorLibrary,
                options: AssessOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PUE of each row (1 outside server rooms), with bounds, and whether the default was used."""
    n = len(table)
    default = library.parameter("pue_onsite_default")
    applies = np.isin(codes, [CATEGORIES.index(c) for c in PUE_CATEGORIES])
    value = np.full(n, float(default["value"]))
    low = np.full(n, float(default["low"]))
    high = np.full(n, float(default["high"]))
    used_default = applies.copy()
    if options.pue is not None:
        value[:] = low[:] = high[:] = options.pue
        used_default[:] = False
    if options.site_pue:
        sites = table["site"].astype(object).to_numpy()
        for site, pue in options.site_pue.items():
            match = sites == site
            value[match] = low[match] = high[match] = pue
            used_default[match] = False
    given = table["pue"].to_numpy(dtype=float)
    has = ~np.isnan(given)
    value[has] = low[has] = high[has] = given[has]
    used_default[has] = False
    one = ~applies
    value[one] = low[one] = high[one] = 1.0
    return value, low, high, used_default & applies


def age_years(table: pd.DataFrame, today: date) -> np.ndarray:
    """Age [years] at ``today`` from the purchase date, else from the year (taken as 1 July)."""
    ref = np.datetime64(today, "D")
    dates = table["purchase_date"].to_numpy(dtype="datetime64[D]")
    year = table["year"].to_numpy(dtype=float)
    known = np.isfinite(year)
    mid_year = (np.where(known, year, 1970.0) - 1970.0).astype(np.int64).astype("datetime64[Y]")
    mid_year = mid_year.astype("datetime64[D]") + np.timedelta64(181, "D")
    dates = np.where(np.isnat(dates) & known, mid_year, dates)
    age = (ref - dates).astype("timedelta64[D]").astype(float) / 365.25
    age[np.isnat(dates)] = np.nan
    return np.maximum(age, 0.0)


def assess(
    table: pd.DataFrame,
    library: FactorLibrary,
    options: AssessOptions | None = None,
    progress: Callable[..., None] | None = None,
    profiles: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Assess every row of a canonical inventory: the results table (docs/results.md).

    Parameters
    ----------
    table
        Canonical inventory from :func:`auditor.inventory.read_inventory`.
    library
        Factor library.
    options
        PUE overrides and the reference date.
    progress
        ``progress(text, done, total)``: called before each step with the steps done so far and
        the number of steps of the assessment (spec filling reports its own counts).
    profiles
        ``(codes, first)`` of :func:`auditor.profiles.profile_codes` for this table and options,
        when the caller has them already; rows sharing a profile are computed once.

    Returns
    -------
    pandas.DataFrame
        One row per inventory row, impacts for the whole quantity, columns of
        :data:`auditor.results.RESULT_COLUMNS`.
    """
    options = options or AssessOptions()
    today = options.today or date.today()
    n = len(table)
    codes, first = profiles or profile_codes(table, site_matters=bool(options.site_pue))
    grouped = worth_grouping(len(first), n)
    profiles = table.iloc[first].reset_index(drop=True) if grouped else table
    columns = _assess_profiles(profiles, library, options, progress, n)
    virtual = columns.pop("_virtual")
    rows = codes if grouped else None
    virtual = gather(virtual, rows)
    per_row: dict[str, object] = {
        "id": _reindexed(table["id"]),
        "name": _reindexed(table["name"]),
        "site": _reindexed(table["site"]),
        "department": _reindexed(table["department"]),
        "age_years": age_years(table, today),
        "warnings": _categorical(_virtual_warnings(table["warnings"], virtual)),
    }
    results = results_frame(columns, per_row, rows, n)
    if progress:
        progress(f"footprint done ({n:,} rows)", _N_STEPS, _N_STEPS)
    return results


#: Steps of an assessment reported to ``progress``: use phase, embodied model, embodied tables,
#: one per criterion, factor ids.
_N_STEPS = 4 + len(CRITERIA)


def _assess_profiles(table: pd.DataFrame, library: FactorLibrary, options: AssessOptions,
                     progress: Callable[..., None] | None, n_rows: int) -> dict[str, object]:
    """Every result column that depends only on a row's footprint inputs (see :mod:`auditor.profiles`).

    ``table`` holds one row per distinct profile (or every row); ``n_rows`` is the inventory's
    size, for the progress messages. Also returns ``_virtual`` (virtual-machine rows).
    """
    report = _stepper(progress, _N_STEPS, n_rows)
    codes = category_codes(table["category"])
    enriched = enrich(table, library, codes, progress=progress, n_rows=n_rows)
    quantity = table["quantity"].to_numpy(dtype=float)
    life = enriched["lifetime_years"]
    lifetime = life.value

    report("use phase: energy per item")
    power_w, e_v, e_l, e_h, source, _, _ = use_power(table, codes, enriched, library)
    virtual = virtual_machines(table)
    if virtual.any():  # a VM's embodied footprint and modelled energy are its physical host's
        guessed = virtual & np.isin(source, ("modelled", "default"))
        power_w, e_v, e_l, e_h = (np.where(guessed, 0.0, a) for a in (power_w, e_v, e_l, e_h))
    pue_v, pue_l, pue_h, pue_default = pue_per_row(table, codes, library, options)
    energy = e_v * pue_v * quantity
    energy_low = e_l * pue_l * quantity
    energy_high = e_h * pue_h * quantity

    country_codes, country_uniques = pd.factorize(table["country"])
    country_uniques = np.asarray(country_uniques, dtype=object)

    out: dict[str, object] = {
        "category": pd.Categorical.from_codes(codes, CATEGORIES),
        "quantity": quantity,
        "country": pd.Categorical.from_codes(country_codes, list(country_uniques)),
        "year": table["year"].to_numpy(dtype=float),
        "lifetime_years": lifetime,
        "power_w": power_w,
        "pue": pue_v,
        "energy_kwh_per_year": energy,
        "energy_kwh_per_year_low": energy_low,
        "energy_kwh_per_year_high": energy_high,
        "energy_source": pd.Categorical(source, categories=ENERGY_SOURCES),
    }
    report("embodied model")
    model_gwp = embodied_from_model(table, codes, library)
    covered = model_gwp[3]
    report("embodied factor tables")
    table_gwp = embodied_per_device(codes, enriched, library, "gwp")
    for criterion in CRITERIA:
        report(f"embodied and use phase: {criterion}")
        unit = UNIT_OF[criterion]
        emb_v, emb_l, emb_h = table_gwp if criterion == "gwp" else embodied_per_device(
            codes, enriched, library, criterion)
        if covered.any():
            new = model_gwp[:3] if criterion == "gwp" else derived_from_gwp(
                model_gwp[:3], table_gwp, (emb_v, emb_l, emb_h))
            emb_v, emb_l, emb_h = (np.where(covered, a, b) for a, b in zip(new, (emb_v, emb_l, emb_h), strict=True))
        f_v, f_l, f_h = _electricity_arrays(library, country_uniques, criterion)
        use_v = energy * f_v[country_codes]
        use_l = energy_low * f_l[country_codes]
        use_h = energy_high * f_h[country_codes]
        own = quantity * ~virtual
        emb_v, emb_l, emb_h = emb_v * own, emb_l * own, emb_h * own
        out[f"{criterion}_embodied_{unit}"] = emb_v
        out[f"{criterion}_embodied_{unit}_low"] = emb_l
        out[f"{criterion}_embodied_{unit}_high"] = emb_h
        out[f"{criterion}_use_{unit}_per_year"] = use_v
        out[f"{criterion}_use_{unit}_per_year_low"] = use_l
        out[f"{criterion}_use_{unit}_per_year_high"] = use_h
        total_v, total_l, total_h = yearly_total(
            (emb_v, emb_l, emb_h), (life.value, life.low, life.high), (use_v, use_l, use_h))
        out[f"{criterion}_total_{unit}_per_year"] = total_v
        out[f"{criterion}_total_{unit}_per_year_low"] = total_l
        out[f"{criterion}_total_{unit}_per_year_high"] = total_h
    report("factor ids")
    out["filled_specs"] = enriched.filled_names
    out["factor_ids"] = _factor_ids(codes, country_codes, country_uniques, source, pue_default, library)
    out["_virtual"] = virtual
    return out


def results_frame(profile: dict[str, object], per_row: dict[str, object], rows: np.ndarray | None,
                  n_rows: int) -> pd.DataFrame:
    """The results frame in contract order (:data:`auditor.results.RESULT_COLUMNS`).

    ``profile`` columns are per distinct profile, gathered to the rows by ``rows`` (None: they
    are per row already); ``per_row`` columns are per row. The float columns are written once
    into one two-dimensional block that the frame uses without another copy.
    """
    order = list(RESULT_COLUMNS)
    columns = {**profile, **per_row}
    floats = [c for c in order if isinstance(columns[c], np.ndarray) and columns[c].dtype == np.float64]
    block = np.empty((len(floats), n_rows))
    for i, name in enumerate(floats):
        if name in per_row or rows is None:
            block[i] = columns[name]
        else:
            # mode "clip": the codes are valid indices; numpy's default ("raise") with ``out``
            # gathers into a temporary buffer first, ten times slower
            np.take(columns[name], rows, out=block[i], mode="clip")
    numbers = pd.DataFrame(block.T, columns=floats, copy=False)
    taken = set(floats)
    others = pd.DataFrame({c: columns[c] if c in per_row else gather(columns[c], rows)
                           for c in order if c not in taken})
    return pd.concat([numbers, others], axis=1)[order]


def virtual_machines(table: pd.DataFrame) -> np.ndarray:
    """Rows whose ``virtual`` column says yes (a virtual machine or container).

    A virtual machine has no embodied footprint of its own, and its modelled or default energy
    is zero: both belong to the physical host it runs on, which the inventory lists (or should)
    as a server. A measured or declared energy of the VM itself is kept.
    """
    from auditor.flags import flag_values

    yes, _ = flag_values(table.get("virtual"), len(table))
    return yes


_VIRTUAL_NOTE = "virtual machine: embodied footprint and modelled energy counted on its physical host"


def _virtual_warnings(warnings: pd.Series, virtual: np.ndarray) -> pd.Series | np.ndarray:
    if not virtual.any():
        return warnings
    out = warnings.to_numpy(dtype=object, na_value=None).copy()
    for i in np.flatnonzero(virtual):
        out[i] = f"{out[i]}; {_VIRTUAL_NOTE}" if out[i] else _VIRTUAL_NOTE
    return out


def yearly_total(embodied: tuple[np.ndarray, np.ndarray, np.ndarray],
                 lifetime_years: tuple[np.ndarray, np.ndarray, np.ndarray],
                 use_per_year: tuple[np.ndarray, np.ndarray, np.ndarray]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total per year: embodied spread over the lifetime plus use, with bounds.

    ``total = E / L + U``; ``total_low = E_low / L_high + U_low``; ``total_high = E_high / L_low
    + U_high``: a longer life spreads the embodied impact over more years, so the high lifetime
    gives the low yearly share (docs/methodology.md).

    Parameters
    ----------
    embodied
        Embodied impact (value, low, high) of the row [criterion unit].
    lifetime_years
        Lifetime (value, low, high) [year]; equal bounds when the inventory gives it.
    use_per_year
        Use-phase impact (value, low, high) [criterion unit/year].
    """
    (e_v, e_l, e_h), (l_v, l_l, l_h), (u_v, u_l, u_h) = embodied, lifetime_years, use_per_year
    return e_v / l_v + u_v, e_l / l_h + u_l, e_h / l_l + u_h


def _stepper(progress: Callable[..., None] | None, n_steps: int, n_rows: int) -> Callable[[str], None]:
    """A ``report(text)`` that counts the assessment's steps for ``progress(text, done, total)``."""
    done = 0

    def report(text: str) -> None:
        nonlocal done
        if progress:
            progress(f"{text} ({n_rows:,} rows)", done, n_steps)
        done += 1

    return report


def _reindexed(series: pd.Series) -> pd.Series:
    """A text column aligned on 0..n-1 (the results frame's index), dtype kept."""
    return series.reset_index(drop=True)


def _categorical(values: np.ndarray | pd.Series) -> pd.Categorical:
    """Repeated texts (sources, filled specs, warnings) stored once each."""
    codes, uniques = pd.factorize(values)
    return pd.Categorical.from_codes(codes, [str(u) for u in uniques])


def _electricity_arrays(library: FactorLibrary, countries: np.ndarray, criterion: str):
    factors = [library.electricity_factor(c, criterion) for c in countries]
    return (
        np.array([f.value for f in factors], dtype=float),
        np.array([f.low for f in factors], dtype=float),
        np.array([f.high for f in factors], dtype=float),
    )


def _factor_ids(codes, country_codes, country_uniques, source, pue_default, library) -> np.ndarray:
    """Per row, the ids of every factor used (';'-separated), built once per distinct combination."""
    source_codes, source_uniques = pd.factorize(source)
    key = ((codes.astype(np.int64) * (len(country_uniques) + 1) + country_codes) * 8
           + source_codes) * 2 + pue_default.astype(np.int64)
    key_codes, key_uniques = pd.factorize(key)
    texts = np.empty(len(key_uniques), dtype=object)
    embodied_ids = library.embodied.groupby("category", sort=False)["id"].apply(list).to_dict()
    archetype_ids = library.archetypes.groupby("category", sort=False)["id"].apply(list).to_dict()
    country_ids: dict[object, list[str]] = {}
    first = np.zeros(len(key_uniques), dtype=np.int64)
    first[key_codes[::-1]] = np.arange(len(key_codes))[::-1]
    for k, row in enumerate(first):
        category = CATEGORIES[codes[row]]
        country = country_uniques[country_codes[row]]
        ids = [*embodied_ids.get(category, []), *archetype_ids.get(category, [])]
        if country not in country_ids:
            # a criterion without any factor ("missing:...") uses none: the warnings say so
            country_ids[country] = [f.id for f in (library.electricity_factor(country, c) for c in CRITERIA)
                                    if not f.id.startswith("missing:")] + list(library.electricity_bound_ids(country))
        ids += country_ids[country]
        if pue_default[row]:
            ids.append(str(library.parameter("pue_onsite_default")["id"]))
        if category in EMBODIED_MODEL_CATEGORIES and library.use_embodied_model:
            ids.append(f"embodied-model:{category}")
        if category == "server" and source_uniques[source_codes[row]] in ("modelled", "default"):
            ids.append("server-power-model")
        texts[k] = ";".join(ids)
    text_codes, unique_texts = pd.factorize(texts)
    return pd.Categorical.from_codes(text_codes[key_codes], list(unique_texts))


