"""Fit the server wall-power model on the SPECpower_ssj2008 TRAIN split.

Writes ``factors/data/server-power-model.csv`` (one row per parameter, with its source).

Data: ``shared/data/specpower/specpower-curves-train.csv`` (SPECpower_ssj2008 results published
at https://www.spec.org/power_ssj2008/results/, parsed by green-coding-solutions/cloud-energy,
MIT; SPEC and SPECpower_ssj are trademarks of the Standard Performance Evaluation Corporation).
The holdout file ``specpower-curves-holdout.csv`` is read for ONE purpose: to drop train rows
that are the same result as a holdout row under another system name (same CPU key, same active
idle and 100 % watts), as the data README asks. None of its rows enters the fit.

Model: wall power = platform + parts. The parts (each drive its cited watts, memory its W/GB,
over the PSU efficiency) do not depend on the load. For each SPECpower level j (active idle,
10 %, ..., 100 %), ``ln P_platform_j`` is linear in the terms of
:func:`factors.power.server_power_terms` (log TDP per CPU, log sockets, log cores per CPU, log
threads per core, PSU count, log PSU rating, AMD, year terms, AMD's own year trend) plus four
shared effects read from text an inventory holds (:mod:`factors.server_keys`): the server maker,
its product line (maker + product number, e.g. Dell R640), the CPU generation (microarchitecture
from the model number) and the CPU model itself (SKU), as ridge-shrunk offsets.
Coefficients: ridge least squares on measured power less the parts (the intercept is not
penalised; each effect kind has its own penalty). The term set, the ridge strengths and memory's
W/GB (within its cited range) are chosen by 5-fold cross-validation grouped by system (vendor +
model, the grouping of the TRAIN/holdout split itself) on TRAIN only, minimising the mean absolute
% error over every (system, level) point (see :func:`search`).
The error bands are the 10th/90th percentile of the out-of-fold ratio measured / predicted at
each level, once with the drives given and once with the default drives of a server whose
inventory gives none (``archetypes.csv``), the two conditions the assessment meets.

Usage::

    python -m factors.fit.fit_server_power [--data-dir ../shared/data] [--out factors/data/server-power-model.csv]
"""

from __future__ import annotations

import argparse
import csv
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from factors.cpu_table import lookup_cpus, lookup_key
from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT
from factors.power import (
    SERVER_INPUTS,
    SPEC_LOAD_LEVELS_PCT,
    server_given_inputs,
    server_parts_power_w,
    server_power_model_from_rows,
    server_power_terms,
    server_wall_power_model_w,
)
from factors.server_keys import cpu_generations, cpu_skus, server_products, server_vendor_keys

OUT = REPO_ROOT / "factors" / "data" / "server-power-model.csv"
LEVEL_COLUMNS = ["ActiveIdle"] + [f"{lv}_AvgPower" for lv in range(10, 101, 10)]
LEVELS = [int(x) for x in SPEC_LOAD_LEVELS_PCT]
FOLDS = 5
SEED = 20240601

SOURCE = ("SPECpower_ssj2008 results (SPEC, https://www.spec.org/power_ssj2008/results/) via "
          "green-coding-solutions/cloud-energy 6a25a2bd; TRAIN split specpower-curves-train.csv")
SOURCE_URL = "https://www.spec.org/power_ssj2008/results/"
LICENCE = "MIT -- MIT extract; SPEC fair use: cite SPEC, spec.org and the retrieval date"

BASE_TERMS = ("intercept", "log_tdp_per_cpu_w", "log_cpu_count", "log_cores_per_cpu",
              "log_threads_per_core", "psu_count", "log_psu_rating_w", "amd", "year", "year_sq")
HINGES = tuple(f"year_after_{k}" for k in (2008, 2010, 2012, 2015, 2018))
#: Platform terms tried by cross-validation. Drives never enter the regression (they are physical
#: parts, see PARTS); memory enters either as a physical part (W/GB within its cited range) or, for
#: comparison only, as a log term of the platform.
AMD_TREND = ("amd_year", "amd_after_2017", "amd_after_2019")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "all, quadratic year + hinges": BASE_TERMS + HINGES,
    "all, linear year + hinges": tuple(t for t in BASE_TERMS if t != "year_sq") + HINGES,
    "all, quadratic year + hinges + AMD trend": BASE_TERMS + HINGES + AMD_TREND,
    "all, linear year + hinges + AMD trend": tuple(t for t in BASE_TERMS if t != "year_sq") + HINGES + AMD_TREND,
}
#: Shared effects (offsets of ln P per level, ridge-shrunk): server vendor, CPU generation, CPU
#: model (SKU) and server product line, each read from text an inventory holds.
EFFECT_KINDS = ("vendor", "generation", "cpu", "product")
#: Ridge penalty of one kind's offsets (a prior of n results at zero); None = the kind is left out.
#: Each kind's penalty is chosen by grouped CV (coordinate descent from DEFAULT_EFFECT_RIDGE).
EFFECT_RIDGES = (None, 0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
DEFAULT_EFFECT_RIDGE = 1.0
#: Kinds whose unknown key widens the bounds by the spread of their offsets. The CPU model and the
#: product line are unseen for many results of a grouped CV fold, so the out-of-fold error band
#: already holds that case; widening again would count it twice (coverage 89 % instead of 80 %).
WIDENING_KINDS = ("vendor", "generation")
#: Kinds fitted on every result twice, once with its key and once with the key unknown, so that the
#: platform terms alone still predict a server whose product line and CPU model the training data
#: never measured as well as a model without these effects (grouped CV on TRAIN, both keys made
#: unknown in the predicted folds: 12.4 % fitted once, 11.0 % fitted twice, as without them).
BLANKED_COPY = ("cpu", "product")
EFFECT_LABELS = {"vendor": "server maker", "generation": "CPU microarchitecture", "cpu": "CPU model (SKU)",
                 "product": "server product line"}
#: Physical parts and the packaged parameter rows (parameters.csv, each with its source) they come
#: from. Drives and PSU efficiency are fixed at the cited value; memory W/GB is chosen by CV within
#: its cited [low, high] (RAM_GRID points), the "bounded" physical term.
PARTS = {"ssd_w": "server_ssd_w", "hdd_w": "server_hdd_w", "ram_w_per_gb": "server_ram_w_per_gb",
         "psu_efficiency": "server_psu_efficiency"}
RAM_GRID = 7
#: Per-DIMM memory power of the cited usage model, (3.0 + 0.055 x GB) W, for the largest common
#: registered DIMM (128 GB): the low end of the memory W/GB range explored, since SPECpower's
#: large-memory systems use large DIMMs (parameters.csv server_ram_w_per_gb cites the formula).
DIMM_W_FIXED, DIMM_W_PER_GB, LARGEST_DIMM_GB = 3.0, 0.055, 128.0
RIDGES = (0.0, 0.3, 1.0)


# ------------------------------------------------------------------------------------------
# SPECpower rows -> canonical inventory records (shared with bench/validate.py)
# ------------------------------------------------------------------------------------------
def _disks(text: object) -> tuple[float, float]:
    """(SSD count, HDD count) from SPEC's free-text disk field ("2 x 480GB SSD ...")."""
    s = str(text)
    if s in ("", "nan", "None"):
        return np.nan, np.nan
    m = re.match(r"\s*(\d+)\s*x", s, re.I) or re.search(r"\*\s*(\d+)", s)
    n = float(m.group(1)) if m else 1.0
    ssd = bool(re.search(r"ssd|solid state|nvme|flash|\bdom\b|m\.2", s, re.I))
    return (n, 0.0) if ssd else (0.0, n)


def specpower_records(frame: pd.DataFrame) -> list[dict]:
    """One canonical inventory record (server, 24 h/day) per SPECpower result row.

    Only what an inventory would hold: vendor, model, CPU name, sockets, total cores and
    threads, RAM, drives, PSU count and rating, hardware-availability year. No TDP is given:
    the assessment looks the CPU up in the bundled table, as for any inventory.
    """
    records = []
    for row in frame.itertuples(index=False):
        ssd, hdd = _disks(row.HW_DiskDrive)
        record = {
            "category": "server", "manufacturer": str(row.HW_Vendor).strip(),
            "model": str(row.HW_Model).strip(), "cpu_model": str(row.HW_CPUName).strip(),
            "cpu_count": row.CPUChips, "cpu_cores": row.CPUCores, "cpu_threads": row.CPUThreads,
            "ram_gb": row.HW_MemAmountGB, "ssd_count": ssd, "hdd_count": hdd,
            "psu_count": row.NumOfPSU, "psu_rating_w": row.PSURating,
            "year": row.Hardware_Availability_Year, "hours_per_day": 24, "days_per_year": 365,
        }
        records.append({k: v for k, v in record.items() if not (isinstance(v, float) and np.isnan(v))})
    return records


def point_inputs(records: list[dict]) -> dict[str, np.ndarray]:
    """Model inputs of fully described records (NaN where a record lacks one)."""
    frame = pd.DataFrame.from_records(records)

    def col(name: str) -> np.ndarray:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(float) if name in frame else np.full(len(frame), np.nan)

    cpu = lookup_cpus(frame["cpu_model"].to_numpy(object))
    tdp = np.where(np.isnan(col("cpu_tdp_w")), cpu["tdp_w"], col("cpu_tdp_w"))
    given = server_given_inputs(tdp, col("cpu_count"), col("cpu_cores"), col("cpu_threads"), col("ram_gb"),
                                col("ssd_count"), col("hdd_count"), col("psu_count"), col("psu_rating_w"),
                                col("year"), cpu["amd"], cpu["cores"], cpu["threads"], cpu["launch_year"])
    return {name: given[name][0] for name in SERVER_INPUTS}


# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------
def result_key(cpu: pd.Series, idle_w: pd.Series, full_w: pd.Series, decimals: int = 1) -> pd.Series:
    """Key of a SPECpower result for finding it again under another system name: CPU key, active
    idle and 100 % watts (rounded to ``decimals``; 0 across the two extracts, which round apart)."""
    return (cpu.map(lookup_key) + "|" + idle_w.round(decimals).astype(str) + "|"
            + full_w.round(decimals).astype(str))


def _result_key(frame: pd.DataFrame) -> pd.Series:
    return result_key(frame["HW_CPUName"], frame["ActiveIdle"], frame["100_AvgPower"])


def load_train(data_dir: Path) -> tuple[pd.DataFrame, int]:
    """TRAIN rows, less any that repeat a holdout result under another name."""
    sp = data_dir / "specpower"
    train = pd.read_csv(sp / "specpower-curves-train.csv")
    # dedup only: CPU key + active idle W + 100 % W of each holdout result (no other column read)
    holdout_keys = set(_result_key(pd.read_csv(
        sp / "specpower-curves-holdout.csv", usecols=["HW_CPUName", "ActiveIdle", "100_AvgPower"])))
    duplicate = _result_key(train).isin(holdout_keys)
    return train.loc[~duplicate].reset_index(drop=True), int(duplicate.sum())


# ------------------------------------------------------------------------------------------
# Fit
# ------------------------------------------------------------------------------------------
def record_keys(records: list[dict]) -> dict[str, np.ndarray]:
    """Effect keys of each record (vendor, CPU generation), as the assessment reads them."""
    frame = pd.DataFrame.from_records(records)

    def text(name: str) -> np.ndarray:
        return frame[name].to_numpy(object) if name in frame else np.full(len(frame), None, dtype=object)

    return {"vendor": server_vendor_keys(text("manufacturer")), "generation": cpu_generations(text("cpu_model")),
            "cpu": cpu_skus(text("cpu_model")), "product": server_products(text("manufacturer"), text("model"))}


def ridge(x: np.ndarray, y: np.ndarray, penalty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ridge coefficients with a penalty per column, and their standard errors."""
    gram_inv = np.linalg.pinv(x.T @ x + np.diag(penalty))
    beta = gram_inv @ x.T @ y
    resid = y - x @ beta
    dof = max(len(y) - x.shape[1], 1)
    sigma2 = (resid**2).sum(axis=0) / dof
    se = np.sqrt(np.outer(np.diag(gram_inv @ x.T @ x @ gram_inv), sigma2))
    return beta, se


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x[:, 1:].mean(axis=0)
    std = x[:, 1:].std(axis=0)
    std[std == 0] = 1.0
    z = x.copy()
    z[:, 1:] = (x[:, 1:] - mean) / std
    return z, mean, std


def _dummies(keys: dict[str, np.ndarray], columns: list[tuple[str, str]]) -> np.ndarray:
    n = len(next(iter(keys.values())))
    if not columns:
        return np.zeros((n, 0))
    return np.column_stack([(keys[kind] == key).astype(float) for kind, key in columns])


def fit_levels(inputs: dict[str, np.ndarray], y: np.ndarray, terms: tuple[str, ...], lam: float,
               year_ref: float, keys: dict[str, np.ndarray] | None = None,
               lam_effect: dict[str, float | None] | None = None
               ) -> tuple[np.ndarray, np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """Coefficients ``(len(terms), 11)`` of ln P on the raw terms, their standard errors, and the
    effects (kind -> key -> ``(11,)`` offsets) of the kinds whose penalty in ``lam_effect`` is not
    None (none when ``lam_effect`` is None)."""
    kinds = [k for k in EFFECT_KINDS if keys is not None and lam_effect and lam_effect.get(k) is not None]
    copied = tuple(k for k in BLANKED_COPY if k in kinds)
    if copied:  # every result a second time with these keys unknown (see BLANKED_COPY)
        inputs = {k: np.concatenate([v, v]) for k, v in inputs.items()}
        y = np.concatenate([y, y])
        unknown = blanked(keys, copied)
        keys = {k: np.concatenate([v, unknown[k]]) for k, v in keys.items()}
    x = server_power_terms(inputs, terms, year_ref)
    z, mean, std = standardise(x)
    columns = [(kind, key) for kind in kinds for key in sorted(set(keys[kind])) if key]
    d = _dummies(keys, columns) if columns else np.zeros((len(y), 0))
    penalty = np.concatenate([[0.0], np.full(z.shape[1] - 1, lam), [lam_effect[kind] for kind, _ in columns]])
    beta_all, se_all = ridge(np.column_stack([z, d]), np.log(y), penalty)
    if copied:
        se_all = se_all * np.sqrt(2.0)  # each result was counted twice
    k = z.shape[1]
    beta_z, se_z = beta_all[:k], se_all[:k]
    beta = beta_z.copy()
    beta[1:] = beta_z[1:] / std[:, None]
    beta[0] = beta_z[0] - (mean[:, None] * beta[1:]).sum(axis=0)
    se = se_z.copy()
    se[1:] = se_z[1:] / std[:, None]
    effects: dict[str, dict[str, np.ndarray]] = {kind: {} for kind in kinds}
    for c, (kind, key) in enumerate(columns):
        effects[kind][key] = beta_all[k + c]
    return beta, se, effects


def effect_offsets(effects: dict[str, dict[str, np.ndarray]], keys: dict[str, np.ndarray], n: int) -> np.ndarray:
    """``(n, 11)`` summed offsets of the rows' keys (0 for an unknown or unseen key)."""
    out = np.zeros((n, len(LEVELS)))
    for kind, table in effects.items():
        for i, key in enumerate(keys[kind]):
            if key in table:
                out[i] += table[key]
    return out


#: Years either side pooled into the mean generation offset of a year (a 3-year window).
BY_YEAR_WINDOW = 1


def effect_by_year(effects: dict[str, dict[str, np.ndarray]], keys: dict[str, np.ndarray],
                   years: np.ndarray) -> dict[int, np.ndarray]:
    """Mean CPU-generation offset of the TRAIN results of each hardware-availability year.

    For a server whose CPU generation is unknown but whose year is given: the generation offset it
    most likely has, the mean over the TRAIN results of that year (and the years within
    :data:`BY_YEAR_WINDOW`) whose generation is known. Without it an old server of unknown CPU
    would get no generation offset, while the year terms were fitted beside the generation
    effects and no longer carry the era alone (a 2010 server would draw what a 2025 one does).
    """
    table = effects.get("generation", {})
    known = np.array([key in table for key in keys["generation"]])
    offsets = np.array([table[key] if key in table else np.zeros(len(LEVELS)) for key in keys["generation"]])
    whole = np.floor(np.asarray(years, float))
    out = {}
    for year in range(int(np.nanmin(whole[known])), int(np.nanmax(whole[known])) + 1):
        near = known & (np.abs(whole - year) <= BY_YEAR_WINDOW)
        if near.any():
            out[year] = offsets[near].mean(axis=0)
    return out


def folds_of(train: pd.DataFrame) -> np.ndarray:
    system = train["HW_Vendor"].astype(str).str.strip() + "\x1f" + train["HW_Model"].astype(str).str.strip()
    codes, uniques = pd.factorize(system)
    return np.random.default_rng(SEED).integers(0, FOLDS, len(uniques))[codes]


def predict_levels(beta: np.ndarray, inputs: dict[str, np.ndarray], terms: tuple[str, ...],
                   year_ref: float, offset: np.ndarray | None = None) -> np.ndarray:
    log_p = server_power_terms(inputs, terms, year_ref) @ beta
    p = np.exp(log_p if offset is None else log_p + offset)
    return np.maximum.accumulate(p, axis=1)


def subset(inputs: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask] for k, v in inputs.items()}


#: Inputs whose high end is a physical ceiling instead of the TRAIN maximum: the log-log terms carry
#: a CPU's TDP and core count beyond the SPECpower curves (which end in 2022 at 280 W and 64 cores
#: per CPU; 2023-2026 servers reach 500 W and 192 cores). Chosen on the TRAIN split of the other
#: SPECpower extract (specpower-idlemax-train.csv, 194 one- and two-socket results of 2023-2026):
#: clipped, the model is 19 % low at full load (median ln ratio -0.194, MAPE 28 %); carried on, 1 %
#: (MAPE 22 %), idle 34 % -> 36 %. The ceilings only stop absurd input.
CEILINGS = {"tdp_per_cpu_w": 1000.0, "cores_per_cpu": 512.0}


def input_ranges(inputs: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """Clip range of each input: its TRAIN minimum, and its maximum or its :data:`CEILINGS` entry."""
    return {name: (float(np.nanmin(v)), CEILINGS.get(name, float(np.nanmax(v)))) for name, v in inputs.items()}


def clip_inputs(inputs: dict[str, np.ndarray], ranges: dict[str, tuple[float, float]]) -> dict[str, np.ndarray]:
    return {k: np.clip(v, *ranges[k]) if k in ranges else v for k, v in inputs.items()}


def blanked(keys: dict[str, np.ndarray], kinds: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The keys with those of ``kinds`` made unknown (``""``) on every row."""
    return {k: np.full(len(v), "", dtype=object) if k in kinds else v for k, v in keys.items()}


def cross_validate(inputs, y, folds, terms, lam, year_ref, keys=None, lam_effect=None,
                   test_blank: tuple[str, ...] = ()) -> np.ndarray:
    """Out-of-fold predictions ``(n, 11)``; each fold clips inputs to its own training range and
    knows only the effect keys of its own training rows. ``test_blank``: effect kinds whose keys
    are made unknown in the predicted rows (a server the training data never measured)."""
    pred = np.zeros_like(y)
    for k in range(FOLDS):
        train = folds != k
        ranges = input_ranges(subset(inputs, train))
        fold_keys = subset(keys, train) if keys is not None else None
        beta, _, effects = fit_levels(subset(inputs, train), y[train], terms, lam, year_ref, fold_keys, lam_effect)
        test_keys = blanked(subset(keys, ~train), test_blank) if keys is not None else None
        offset = effect_offsets(effects, test_keys, int((~train).sum())) if effects else None
        pred[~train] = predict_levels(beta, clip_inputs(subset(inputs, ~train), ranges), terms, year_ref, offset)
    return pred


def impute_cores_fit(inputs: dict[str, np.ndarray], year_ref: float, folds: np.ndarray):
    """ln cores_per_cpu = c0 + c1 ln tdp + c2 (year - ref): coefficients and out-of-fold band."""
    x = np.column_stack([np.ones(len(inputs["year"])), np.log(inputs["tdp_per_cpu_w"]),
                         inputs["year"] - year_ref])
    y = np.log(inputs["cores_per_cpu"])
    resid = np.zeros_like(y)
    for k in range(FOLDS):
        train = folds != k
        beta = np.linalg.lstsq(x[train], y[train], rcond=None)[0]
        resid[~train] = y[~train] - x[~train] @ beta
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    return beta, np.exp(np.quantile(resid, [0.1, 0.9]))


def cited_parts() -> dict[str, tuple[float, float, float, str, str]]:
    """(value, low, high, source, licence) of each physical part from the packaged parameters.csv."""
    from factors.tables import default_library

    library = default_library()
    out = {}
    for part, name in PARTS.items():
        row = library.parameter(name)
        out[part] = (float(row["value"]), float(row["low"]), float(row["high"]), str(row["source"]),
                     str(row.get("licence", "")))
    return out


def parts_wall_w(inputs: dict[str, np.ndarray], parts: dict[str, float]) -> np.ndarray:
    """Wall power of the physical parts of each result [W] (see factors.power.server_parts_power_w)."""
    return server_parts_power_w(inputs["ssd_count"], inputs["hdd_count"], inputs["ram_gb"],
                                ssd_w=parts["ssd_w"], hdd_w=parts["hdd_w"],
                                ram_w_per_gb=parts["ram_w_per_gb"], psu_efficiency=parts["psu_efficiency"])


def platform_target(y: np.ndarray, parts_w: np.ndarray) -> tuple[np.ndarray, int]:
    """Measured power less the parts, floored at 20 % of the measurement; and how many were floored."""
    target = y - parts_w[:, None]
    floor = 0.2 * y
    return np.maximum(target, floor), int((target < floor).sum())


def default_drives() -> tuple[float, float]:
    """(SSD, HDD) count the assessment gives a server whose inventory lists no drives."""
    from factors.tables import default_library

    library = default_library()
    return tuple(float(library.archetype("server", f"{d}_count")["value"]) for d in ("ssd", "hdd"))


def band_of(y_platform: np.ndarray, pred_platform: np.ndarray) -> np.ndarray:
    """``(2, 11)`` 10th/90th percentile of out-of-fold measured / predicted platform power."""
    return np.quantile(y_platform / pred_platform, [0.1, 0.9], axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--by-year-only", action="store_true",
                        help="only (re)write the effect_by_year rows from the shipped generation effects")
    args = parser.parse_args()
    if args.by_year_only:
        write_by_year_only(args.data_dir, args.out)
        return

    train, y, inputs, keys, dropped, n_all = complete_train(args.data_dir)
    print(f"TRAIN: {n_all} results after dropping {dropped} duplicates of holdout results; "
          f"{len(train)} with every input (CPU TDP found, PSU given)")
    folds = folds_of(train)
    year_ref = float(np.median(inputs["year"]))
    cited = cited_parts()
    ram_lo = DIMM_W_FIXED / LARGEST_DIMM_GB + DIMM_W_PER_GB
    ram_hi = cited["ram_w_per_gb"][2]
    v, _, _, src, licence = cited["ram_w_per_gb"]
    cited["ram_w_per_gb"] = (v, ram_lo, ram_hi, src, licence)
    ssd_default, hdd_default = default_drives()
    hidden_inputs = {**inputs, "ssd_count": np.full(len(y), ssd_default), "hdd_count": np.full(len(y), hdd_default)}

    print("5-fold CV grouped by system (TRAIN only): MAPE over all points | idle | 100 % | drives hidden")
    best = search(inputs, hidden_inputs, y, folds, year_ref, keys, cited, ram_lo, ram_hi)
    score, name, terms, lam, lam_effect, pred_platform, parts, y_platform, score_hidden = best
    band = band_of(y_platform, pred_platform)
    y_platform_hidden, _ = platform_target(y, parts_wall_w(hidden_inputs, parts))
    band_hidden = band_of(y_platform_hidden, pred_platform)
    inside = ((y_platform >= pred_platform * band[0]) & (y_platform <= pred_platform * band[1])).mean()
    inside_h = ((y_platform_hidden >= pred_platform * band_hidden[0])
                & (y_platform_hidden <= pred_platform * band_hidden[1])).mean()
    print(f"chosen: {name}, memory {parts['ram_w_per_gb']:.3f} W/GB, ridge {lam}, effects {_ridges(lam_effect)}: "
          f"CV MAPE {100 * score:.2f} % (drives hidden {100 * score_hidden:.2f} %); bands cover "
          f"{100 * inside:.1f} % / {100 * inside_h:.1f} % (hidden) of out-of-fold points "
          f"(median width {100 * np.median(band[1] - band[0]):.0f} % / {100 * np.median(band_hidden[1] - band_hidden[0]):.0f} %)")
    unseen = cross_validate(inputs, y_platform, folds, terms, lam, year_ref, keys, lam_effect, test_blank=BLANKED_COPY)
    print(f"the same, product line and CPU model unknown in the predicted folds: CV MAPE "
          f"{100 * np.mean(np.abs(unseen + parts_wall_w(inputs, parts)[:, None] - y) / y):.2f} %")
    beta, se, effects = fit_levels(inputs, y_platform, terms, lam, year_ref, keys, lam_effect)
    c_beta, c_band = impute_cores_fit(inputs, year_ref, folds)
    spreads = {kind: (np.quantile(effect_offsets({kind: table}, keys, len(y)), [0.1, 0.9], axis=0)
                      if kind in WIDENING_KINDS else np.zeros((2, len(LEVELS))))
               for kind, table in effects.items()}
    rows = parameter_rows(inputs, terms, beta, se, band, year_ref, c_beta, c_band, lam, name, score,
                          len(train), dropped, parts, cited, band_hidden, (ssd_default, hdd_default),
                          effects, spreads, lam_effect, keys)
    write_rows(args.out, rows)
    model = server_power_model_from_rows((r["parameter"], r["value"], r["low"], r["high"]) for r in rows)
    v, _, _ = server_wall_power_model_w(model, np.full(len(y), 50.0), clip_inputs(inputs, model.clip), keys=keys)
    print(f"{args.out}: {len(rows)} parameters; in-sample MAPE at 50 %: "
          f"{100 * np.mean(np.abs(v - y[:, 5]) / y[:, 5]):.1f} %")


def _ridges(lam_effect: dict[str, float | None]) -> str:
    return ", ".join(f"{kind} {'off' if v is None else f'{v:g}'}" for kind, v in lam_effect.items())


def search(inputs, hidden_inputs, y, folds, year_ref, keys, cited, ram_lo, ram_hi):
    """Choose memory W/GB, terms, ridge and each effect kind's penalty by grouped CV on TRAIN.

    Three stages, each keeping the best out-of-fold MAPE over every (system, level) point:
    (1) memory W/GB (RAM_GRID values in its range) x terms x ridge, every effect kind at
    DEFAULT_EFFECT_RIDGE; (2) each kind's penalty in turn over EFFECT_RIDGES (None = left out),
    two sweeps; (3) terms x ridge again at the chosen penalties.
    """
    memo: dict = {}

    def evaluate(w_ram, name, lam, lam_effect):
        label = (round(float(w_ram), 6), name, lam, tuple(lam_effect.items()))
        if label in memo:
            return memo[label]
        parts = {k: v[0] for k, v in cited.items()} | {"ram_w_per_gb": w_ram}
        parts_w = parts_wall_w(inputs, parts)
        y_platform, floored = platform_target(y, parts_w)
        pred_platform = cross_validate(inputs, y_platform, folds, CANDIDATES[name], lam, year_ref, keys, lam_effect)
        ape = np.abs(pred_platform + parts_w[:, None] - y) / y
        ape_h = np.abs(pred_platform + parts_wall_w(hidden_inputs, parts)[:, None] - y) / y
        score = float(ape.mean())
        print(f"  RAM {w_ram:.3f} W/GB, {name}, ridge {lam:3.1f}, effects {_ridges(lam_effect)}: "
              f"{100 * score:5.2f} % | {100 * ape[:, 0].mean():5.2f} % | {100 * ape[:, -1].mean():5.2f} % | "
              f"{100 * ape_h.mean():5.2f} %" + (f" ({floored} points floored)" if floored else ""))
        memo[label] = (score, name, CANDIDATES[name], lam, dict(lam_effect), pred_platform, parts, y_platform,
                       float(ape_h.mean()))
        return memo[label]

    effect = {kind: DEFAULT_EFFECT_RIDGE for kind in EFFECT_KINDS}
    best = min((evaluate(w, name, lam, effect) for w in np.linspace(ram_lo, ram_hi, RAM_GRID)
                for name in CANDIDATES for lam in RIDGES), key=lambda r: r[0])
    w_ram, name, lam = best[6]["ram_w_per_gb"], best[1], best[3]
    for _sweep in range(2):
        for kind in EFFECT_KINDS:
            trials = [evaluate(w_ram, name, lam, effect | {kind: v}) for v in EFFECT_RIDGES]
            effect = min(trials, key=lambda r: r[0])[4]
    best = min((evaluate(w_ram, n, r, effect) for n in CANDIDATES for r in RIDGES), key=lambda r: r[0])
    return best


def parameter_rows(inputs, terms, beta, se, band, year_ref, c_beta, c_band, lam, name, score, n, dropped,
                   parts, cited, band_hidden, drives_default, effects, spreads, lam_effect, keys=None):
    common = {"source": SOURCE, "source_url": SOURCE_URL, "licence": LICENCE, "year": str(date.today().year)}
    effect_note = (f"shared effects ({_ridges(lam_effect)})" if any(v is not None for v in lam_effect.values())
                   else "no shared effects")
    fit_note = (f"Ridge (lambda {lam}) of ln platform power (measured less the parts) at this level, {n} TRAIN "
                f"results ({dropped} holdout duplicates dropped), terms '{name}', {effect_note}, by grouped "
                f"5-fold CV (MAPE {100 * score:.2f} %); low/high = -/+ 1.645 SE. See fit_server_power.py.")
    rows = []

    def add(pid, parameter, value, low, high, unit, notes):
        rows.append({"id": pid, "parameter": parameter, "value": f"{value:.8g}", "low": f"{low:.8g}",
                     "high": f"{high:.8g}", "bound_basis": "calibrated", "unit": unit, **common, "notes": notes})

    add("spm-year-ref", "year_ref", year_ref, year_ref, year_ref, "year",
        "Centre of the year terms: median hardware-availability year of the TRAIN results.")
    for i, term in enumerate(terms):
        for j, level in enumerate(LEVELS):
            add(f"spm-coef-{term.replace('_', '-')}-{level:03d}", f"coef:{term}:{level}", beta[i, j],
                beta[i, j] - 1.645 * se[i, j], beta[i, j] + 1.645 * se[i, j], "dimensionless",
                fit_note if (i, j) == (0, 0) else "Ridge coefficient of ln P; fit as spm-coef-intercept-000.")
    for j, level in enumerate(LEVELS):
        add(f"spm-band-{level:03d}", f"band:{level}", 1.0, min(band[0, j], 1.0), max(band[1, j], 1.0),
            "dimensionless", "Error band of the model at this level: low/high = 10th/90th percentile of "
            "measured / predicted over the out-of-fold predictions of the chosen model (5-fold CV on TRAIN).")
    for j, level in enumerate(LEVELS):
        add(f"spm-band-drives-unknown-{level:03d}", f"band_drives_unknown:{level}", 1.0,
            min(band_hidden[0, j], 1.0), max(band_hidden[1, j], 1.0), "dimensionless",
            "Error band used where the inventory gives no drive counts: 10th/90th percentile of out-of-fold "
            f"measured / predicted with the default drives ({drives_default[0]:g} SSD, {drives_default[1]:g} HDD, "
            "archetypes.csv) in place of each result's own (5-fold CV on TRAIN).")
    for kind, table in effects.items():
        for key in sorted(table):
            for j, level in enumerate(LEVELS):
                add(f"spm-effect-{kind}-{key}-{level:03d}", f"effect:{kind}:{key}:{level}", table[key][j],
                    table[key][j], table[key][j], "dimensionless",
                    f"Offset of ln P for {kind} '{key}' ({EFFECT_LABELS[kind]} read by factors.server_keys), "
                    f"ridge-shrunk towards 0 (lambda {lam_effect[kind]:g}), fitted "
                    "with the coefficients.")
        if kind == "generation":
            for year, offsets in sorted(effect_by_year(effects, keys, inputs["year"]).items()):
                for j, level in enumerate(LEVELS):
                    add(f"spm-effect-by-year-{kind}-{year}-{level:03d}", f"effect_by_year:{kind}:{year}:{level}",
                        offsets[j], offsets[j], offsets[j], "dimensionless",
                        f"Used where the CPU generation is unknown and the year is given: mean generation offset "
                        f"of the TRAIN results of {year - BY_YEAR_WINDOW}-{year + BY_YEAR_WINDOW} whose generation "
                        "is known (effect_by_year in fit_server_power.py); the bounds stay those of an unknown "
                        "generation.")
        for j, level in enumerate(LEVELS):
            add(f"spm-effect-spread-{kind}-{level:03d}", f"effect_spread:{kind}:{level}", 0.0,
                min(spreads[kind][0, j], 0.0), max(spreads[kind][1, j], 0.0), "dimensionless",
                f"Used where the {kind} is unknown or unseen: no offset, and low/high = 10th/90th percentile of the "
                f"{kind} offsets over the TRAIN results widen the bounds (log space)." if kind in WIDENING_KINDS else
                f"Used where the {kind} is unknown or unseen: no offset and no widening (low = high = 0): the "
                f"out-of-fold band already holds results whose {kind} the fold never saw, at the rate grouped CV "
                "meets them (most product lines, some CPU models).")
    units = {"tdp_per_cpu_w": "W", "ram_gb": "GB", "psu_rating_w": "W", "year": "year"}
    for key in SERVER_INPUTS:
        if f"log_{key}" not in terms and key in ("ssd_count", "hdd_count", "ram_gb"):
            continue  # a physical part only: never clipped, each drive and GB counts
        v = inputs[key]
        low, high = input_ranges({key: v})[key]
        add(f"spm-clip-{key.replace('_', '-')}", f"clip:{key}", float(np.median(v)), low, high,
            units.get(key, "dimensionless"),
            "Range of this input over the TRAIN results (low = min, high = max, value = median); inputs are "
            "clipped to it, so the model never extrapolates." if key not in CEILINGS else
            f"Low = TRAIN minimum, value = median; high = a physical ceiling, not the TRAIN maximum "
            f"({float(v.max()):g}): the log-log terms carry larger CPUs on (CEILINGS in fit_server_power.py, "
            "chosen on the TRAIN split of the other SPECpower extract, 2023-2026 servers).")
    years = inputs["year"]
    add("spm-unknown-year", "unknown:year", float(np.median(years)), float(np.quantile(years, 0.1)),
        float(np.quantile(years, 0.9)), "year", "Used where the year is unknown: median, 10th and 90th "
        "percentile of the TRAIN hardware-availability years.")
    tpc = inputs["threads_per_core"]
    add("spm-unknown-threads-per-core", "unknown:threads_per_core", float(np.median(tpc)), float(tpc.min()),
        float(np.quantile(tpc, 0.99)), "dimensionless", "Used where neither the inventory nor the CPU table "
        "gives threads: median (SMT on), low = min (SMT off), high = 99th percentile of the TRAIN results.")
    add("spm-unknown-amd", "unknown:amd", 0.0, 0.0, 1.0, "dimensionless",
        f"CPU vendor unknown: Intel (value 0, the majority: {100 * (1 - inputs['amd'].mean()):.0f} % of the TRAIN "
        "results), bounds cover AMD (1).")
    for k, label in enumerate(("c0", "c1", "c2")):
        add(f"spm-impute-cores-{label}", f"impute_cores:{label}", c_beta[k], c_beta[k], c_beta[k],
            "dimensionless", "ln cores_per_cpu = c0 + c1 ln tdp_per_cpu_w + c2 (year - year_ref), least "
            "squares on the TRAIN results; used where the inventory and CPU table give no core count.")
    units_part = {"ssd_w": "W", "hdd_w": "W", "ram_w_per_gb": "W/GB", "psu_efficiency": "dimensionless"}
    for part, (_value, low, high, source, licence) in cited.items():
        chosen = parts[part]
        how = ("chosen by grouped 5-fold CV on TRAIN among "
               f"{RAM_GRID} values spanning the range (low = the cited per-DIMM formula (3.0 + 0.055 x GB) W "
               f"for {LARGEST_DIMM_GB:.0f} GB DIMMs, high = the highest cited figure)"
               if part == "ram_w_per_gb" else "fixed at the cited value (low/high = the cited range)")
        rows.append({"id": f"spm-part-{part.replace('_', '-')}", "parameter": f"part:{part}",
                     "value": f"{chosen:.8g}", "low": f"{low:.8g}", "high": f"{high:.8g}",
                     "bound_basis": "formula" if part == "ram_w_per_gb" else "sources",
                     "unit": units_part[part], "source": source, "source_url": "", "licence": licence,
                     "year": str(date.today().year),
                     "notes": f"Physical part of the server model, from parameters.csv {PARTS[part]}: {how}. "
                              "Added to the platform term at every load; the platform was fitted on measured "
                              "power less these parts."})
    add("spm-impute-cores-band", "impute_cores:band", 1.0, min(c_band[0], 1.0), max(c_band[1], 1.0),
        "dimensionless", "10th/90th percentile of out-of-fold actual / imputed cores (5-fold CV on TRAIN).")
    return rows


def complete_train(data_dir: Path):
    """TRAIN results with every model input: ``(train, y, inputs, keys, dropped, n_all)``, where
    ``y`` is the measured wall power per level, ``dropped`` the holdout duplicates left out and
    ``n_all`` the results before incomplete ones were left out."""
    train, dropped = load_train(data_dir)
    records = specpower_records(train)
    inputs = point_inputs(records)
    y = train[LEVEL_COLUMNS].to_numpy(float)
    complete = np.all([~np.isnan(v) for v in inputs.values()], axis=0) & np.all(y > 0, axis=1)
    return (train.loc[complete].reset_index(drop=True), y[complete], subset(inputs, complete),
            subset(record_keys(records), complete), dropped, len(train))


def write_by_year_only(data_dir: Path, out: Path) -> None:
    """Replace the ``effect_by_year`` rows of ``out`` from its own generation effects and TRAIN."""
    with out.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["parameter"].startswith("effect_by_year:")]
    effects: dict[str, dict[str, np.ndarray]] = {"generation": {}}
    for r in rows:
        if r["parameter"].startswith("effect:generation:"):
            key, level = r["parameter"].split(":")[2:4]
            effects["generation"].setdefault(key, np.zeros(len(LEVELS)))[LEVELS.index(int(level))] = float(r["value"])
    _, _, inputs, keys, _, _ = complete_train(data_dir)
    years = inputs["year"]
    common = {k: rows[0][k] for k in ("source", "source_url", "licence", "year")}
    at = max(i for i, r in enumerate(rows) if r["parameter"].startswith("effect:generation:")) + 1
    new = []
    for year, offsets in sorted(effect_by_year(effects, keys, years).items()):
        for j, level in enumerate(LEVELS):
            value = f"{offsets[j]:.8g}"
            new.append({"id": f"spm-effect-by-year-generation-{year}-{level:03d}",
                        "parameter": f"effect_by_year:generation:{year}:{level}", "value": value, "low": value,
                        "high": value, "bound_basis": "calibrated", "unit": "dimensionless", **common,
                        "notes": f"Used where the CPU generation is unknown and the year is given: mean generation "
                                 f"offset of the TRAIN results of {year - BY_YEAR_WINDOW}-{year + BY_YEAR_WINDOW} "
                                 "whose generation is known (effect_by_year in fit_server_power.py); the bounds "
                                 "stay those of an unknown generation."})
    write_rows(out, rows[:at] + new + rows[at:])
    print(f"{out}: {len(new)} effect_by_year rows")


def write_rows(path: Path, rows: list[dict]) -> None:
    columns = ["id", "parameter", "value", "low", "high", "bound_basis", "unit", "source", "source_url", "licence",
               "year", "notes"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
