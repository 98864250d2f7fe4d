"""Fit the embodied-GWP model on the TRAIN split of manufacturer product carbon footprints.

Writes ``factors/data/embodied-model.csv``. Data: ``shared/data/pcf/pcf-train.csv`` only
(Boavizta environmental-footprint-data, commit 61323eb5, ODbL 1.0 / DbCL 1.0). The holdout file
and the full upstream files (which contain the holdout rows) are never read here.

Target: embodied GWP = ``gwp_total x (1 - gwp_use_ratio)`` [kgCO2e] (manufacture, transport and
end of life as the manufacturers declare them). Rows without a use ratio are skipped.

Model (see :mod:`factors.embodied_model`): ridge regression of ln GWP, one intercept, centred
numeric slopes and shrunken effects of manufacturer, family, sub-family and manufacturer x report
year per category, fitted jointly with one manufacturer effect shared by all categories (partial
pooling: a category's manufacturer effect is a shrunk deviation from the brand's shared one, so
a brand with few footprints in a category borrows from its others; the shared effect is folded
into each category's ``effect:man`` rows, and the intercept absorbs the item-weighted mean brand
effect so that an unknown manufacturer gets the typical item's value). Penalties are chosen by
5-fold cross-validation on TRAIN, averaged over 3 fold draws, with a brand-balanced objective
(:func:`brand_balanced_ape`: median APE per manufacturer with 5+ footprints, averaged): first
each category's (effect scale, numeric penalty) without the shared effect, then the shared
effect's penalty. Bands: 10th/90th percentile of out-of-fold measured / predicted, (a) as
predicted, (b) with the family keys blanked (a name the model does not know) and (c) with every
key blanked (manufacturer unknown too); per category where it has 30 rows or more, else pooled
over all categories.

Mislabelled rows are left out of TRAIN by written rules: :func:`mislabelled_desktop` (upstream
files some laptops under "Desktop", whose footprint then includes a screen, a battery and a
keyboard that a desktop inventory row does not have) and :func:`mislabelled_wearable` (a watch
filed under "Smartphone" or "Tablet", where upstream files watches under "IoT").

Usage::

    python -m factors.fit.fit_embodied [--data-dir ../shared/data] [--out factors/data/embodied-model.csv]
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from factors.embodied_model import (
    FEATURES,
    LEVELS,
    MODEL_CATEGORIES,
    effect_keys,
    embodied_gwp_kgco2e,
    embodied_model_from_rows,
    feature_matrix,
    key_strings,
    storage_total_gb,
)
from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT

OUT = REPO_ROOT / "factors" / "data" / "embodied-model.csv"
FOLDS = 5
SEED = 7
NUMERIC_PENALTY = 0.1
#: Base ridge penalty of each effect level (more data needed to move a finer level).
EFFECT_PENALTY = {"man": 0.5, "fam": 1.0, "sub": 1.5, "year": 1.0}
SCALES = (0.5, 1.0, 2.0)
NUMERIC_PENALTIES = (0.1, 1.0, 3.0)
#: Candidate ridge penalties of the manufacturer effect shared by all categories (None: none).
BRAND_PENALTIES = (None, 0.01, 0.03, 0.1, 0.3, 1.0)
#: Fold draws averaged when choosing the shared-effect penalty (the per-brand figures are noisy).
BRAND_SEEDS = (7, 8, 9)
#: A manufacturer counts in the brand-balanced CV objective from this many TRAIN footprints.
MIN_BRAND_ITEMS = 5
MIN_OWN_BAND = 30

SUBCATEGORY = {
    "Laptop": "laptop", "Desktop": "desktop", "Monitor": "monitor", "Smartphone": "smartphone",
    "Tablet": "tablet", "Thin Client": "thin_client", "Thin client": "thin_client", "Server": "server",
}
SOURCE = "Boavizta environmental-footprint-data 61323eb5 (manufacturer PCFs), TRAIN split pcf-train.csv"
SOURCE_URL = "https://github.com/Boavizta/environmental-footprint-data"
LICENCE = "ODbL-1.0 + DbCL-1.0 -- Boavizta environmental-footprint-data; derived database stays under ODbL"
BLANKED = {"known": "", "unknown": ", family keys blanked", "nobrand": ", every key blanked",
           "newbrand": " in leave-one-manufacturer-out folds"}


# ------------------------------------------------------------------------------------------
# PCF rows -> canonical inventory records (shared with bench/validate.py)
# ------------------------------------------------------------------------------------------
def pcf_year(report_date: object, name: object) -> float:
    """Year of the footprint report (else a year written in the product name)."""
    for text in (report_date, name):
        match = re.search(r"\b(20[0-3]\d)\b", str(text))
        if match:
            return float(match.group(1))
    return np.nan


def pcf_storage(text: object) -> dict[str, float]:
    """Drives from the PCF ``hard_drive`` text, as inventory columns.

    ``"x2 300GB 2.5in HDD  x4 2TB 2.5in HDD"`` -> HDD count 6, per-drive size the mean;
    ``"SSD 256GB"`` -> one 256 GB SSD; ``"512GB"`` -> storage 512 GB (type unknown);
    ``"4 SSD"`` -> 4 SSDs of unknown size. Printer speeds ("26ppm") give nothing.
    """
    s = str(text)
    if s in ("", "nan", "None") or "ppm" in s.lower():
        return {}
    out: dict[str, float] = {}
    parts = re.findall(r"x(\d+)\s+([\d.]+)\s*(GB|TB)[^x]*?(HDD|SSD)", s, re.I)
    if parts:
        for kind in ("ssd", "hdd"):
            drives = [(float(n), float(v) * (1000 if u.upper() == "TB" else 1))
                      for n, v, u, k in parts if k.lower() == kind]
            if drives:
                count = sum(n for n, _ in drives)
                out[f"{kind}_count"] = count
                out[f"{kind}_gb"] = sum(n * g for n, g in drives) / count
        return out
    size = re.search(r"([\d.]+)\s*(GB|TB)", s, re.I)
    count = re.match(r"\s*(\d+)\s+(SSD|HDD)\s*$", s, re.I)
    if size:
        gb = float(size.group(1)) * (1000 if size.group(2).upper() == "TB" else 1)
        if re.search(r"ssd", s, re.I):
            out.update(ssd_count=1.0, ssd_gb=gb)
        elif re.search(r"hdd", s, re.I):
            out.update(hdd_count=1.0, hdd_gb=gb)
        else:
            out["storage_gb"] = gb
    elif count:
        out[f"{count.group(2).lower()}_count"] = float(count.group(1))
    return out


def pcf_records(frame: pd.DataFrame) -> list[dict]:
    """One canonical inventory record per PCF row of a covered category (quantity 1)."""
    records = []
    for row in frame.itertuples(index=False):
        category = SUBCATEGORY.get(str(row.subcategory).strip())
        if category is None:
            continue
        record = {
            "category": category, "manufacturer": str(row.manufacturer).strip(), "model": str(row.name).strip(),
            "screen_size_in": row.screen_size if row.screen_size and row.screen_size > 0 else np.nan,
            "weight_kg": row.weight, "ram_gb": row.memory, "cpu_count": row.number_cpu,
            "year": pcf_year(row.report_date, row.name), **pcf_storage(row.hard_drive),
        }
        records.append({k: v for k, v in record.items() if not (isinstance(v, float) and np.isnan(v))})
    return records


#: Names of laptops found under the "Desktop" subcategory upstream.
_LAPTOP_NAME = re.compile(r"chromebook|notebook|laptop", re.I)
#: A built-in screen below this size [in] with a weight below MAX_LAPTOP_KG is a laptop's form.
MAX_LAPTOP_SCREEN_IN = 18.5
MAX_LAPTOP_KG = 4.0


def mislabelled_desktop(frame: pd.DataFrame) -> pd.Series:
    """True for "Desktop" rows that are laptops (left out of TRAIN).

    Rule: the name says Chromebook, notebook or laptop, or the row declares a built-in screen
    smaller than 18.5 in and a weight under 4 kg. On TRAIN this catches 31 rows, all Dell
    laptops (Chromebook 3100, Inspiron 13/14/16, Vostro 13/15, mobile Precision 3470-7770).
    All-in-ones (OptiPlex/ThinkCentre/IdeaCentre AIO, iMac: screens of 19 in or more, 6-13 kg)
    stay: an inventory files them as desktops, with no separate monitor row, so the model must
    see their screen (the ``screen_size_in`` feature).
    """
    desktop = frame["subcategory"].astype(str).str.strip().eq("Desktop")
    named = frame["name"].astype(str).str.contains(_LAPTOP_NAME)
    screen = pd.to_numeric(frame["screen_size"], errors="coerce")
    weight = pd.to_numeric(frame["weight"], errors="coerce")
    portable = (screen > 0) & (screen < MAX_LAPTOP_SCREEN_IN) & (weight < MAX_LAPTOP_KG)
    return desktop & (named | portable)


#: Wearables: upstream files the Apple Watch under "IoT"; a watch under "Smartphone" or "Tablet" is
#: not the device an inventory row of that category describes.
_WATCH_NAME = re.compile(r"\bwatch\b", re.I)


def mislabelled_wearable(frame: pd.DataFrame) -> pd.Series:
    """True for "Smartphone" or "Tablet" rows whose name says watch (left out of TRAIN).

    Rule: upstream files watches under "IoT" (Apple Watch SE, Series 8, Ultra), so a watch filed
    as a smartphone or a tablet is mislabelled. On TRAIN this catches 1 row (Google Pixel Watch,
    22 kgCO2e, a third of a Pixel phone's footprint).
    """
    handheld = frame["subcategory"].astype(str).str.strip().isin(("Smartphone", "Tablet"))
    return handheld & frame["name"].astype(str).str.contains(_WATCH_NAME)


def embodied_target(frame: pd.DataFrame) -> pd.Series:
    """Embodied GWP of each PCF row [kgCO2e]: gwp_total x (1 - gwp_use_ratio)."""
    return frame["gwp_total"] * (1.0 - frame["gwp_use_ratio"])


def record_inputs(records: list[dict]) -> tuple[np.ndarray, dict, dict]:
    """Category, numeric features and effect keys of records (the runtime's own functions)."""
    frame = pd.DataFrame.from_records(records)

    def col(name):
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(float) if name in frame else np.full(len(frame), np.nan)

    storage = storage_total_gb(col("storage_gb"), col("ssd_count"), col("ssd_gb"), col("hdd_count"), col("hdd_gb"))
    features = feature_matrix(col("screen_size_in"), col("weight_kg"), col("year"), storage, col("ram_gb"),
                              col("cpu_count"))
    keys = effect_keys(frame["manufacturer"].to_numpy(object), frame["model"].to_numpy(object), col("year"))
    return frame["category"].to_numpy(object), features, keys


# ------------------------------------------------------------------------------------------
# Fit
# ------------------------------------------------------------------------------------------
def design(category, features, keys, brand_penalty: float | None, penalties) -> tuple:
    """Columns, ridge penalties and names of the joint fit over all categories.

    Per category: an intercept, centred numeric slopes and the effects of :data:`LEVELS`, as
    before; with ``brand_penalty`` also one manufacturer effect shared by every category (its
    columns are 1 on all of that manufacturer's rows). The category's own manufacturer effect is
    then a ridge-shrunk deviation from the shared one: a brand with few footprints in a category
    borrows from its footprints in the others (partial pooling), and one with none there gets the
    shared effect alone.
    """
    columns, ridge, names, centres = [], [], [], {}
    for name in MODEL_CATEGORIES:
        mask = category == name
        if not mask.any():
            continue
        scale, numeric = penalties[name]
        columns.append(mask.astype(float))
        ridge.append(0.0)
        names.append((name, "intercept"))
        for feature in FEATURES:
            x = features[feature]
            known = mask & ~np.isnan(x)
            if known.sum() < 3 or np.nanstd(x[mask]) == 0:
                continue
            centres[(name, feature)] = float(np.nanmedian(x[mask]))
            columns.append(np.where(known, x - centres[(name, feature)], 0.0))
            ridge.append(numeric)
            names.append((name, f"slope:{feature}"))
            # an unknown value counts as the centre: no "unknown" indicator, whose fitted value
            # would reflect which products lack the figure in the PCF data, not an inventory's gaps
        for level in LEVELS:
            for key in sorted(set(keys[level][mask]) - {""}):
                columns.append((mask & (keys[level] == key)).astype(float))
                ridge.append(EFFECT_PENALTY[level] * scale)
                names.append((name, f"effect:{level}:{key}"))
    if brand_penalty is not None:
        covered = np.isin(category, MODEL_CATEGORIES)
        for key in sorted(set(keys["man"][covered]) - {""}):
            columns.append((covered & (keys["man"] == key)).astype(float))
            ridge.append(brand_penalty)
            names.append(("*", key))
    return np.column_stack(columns), np.array(ridge), names, centres


def fit_all(category, features, keys, y, penalties, brand_penalty: float | None = None
            ) -> list[tuple[str, float, float, float]]:
    """Ridge fit of ln GWP over every category at once: ``(parameter, value, low, high)`` rows.

    ``penalties`` maps a category to (effect scale, numeric penalty); ``brand_penalty`` is the
    ridge penalty of the manufacturer effect shared by all categories (None: no shared effect,
    each category fitted on its own). The shared effect is folded into each category's
    ``effect:man:<key>`` row (shared + the category's deviation), so the runtime model is unchanged.
    """
    x, ridge, names, centres = design(category, features, keys, brand_penalty, penalties)
    beta = np.linalg.solve(x.T @ x + np.diag(ridge), x.T @ np.log(y))
    shared = {key: float(b) for (name, key), b in zip(names, beta, strict=True) if name == "*"}
    own = {(name, suffix): float(b) for (name, suffix), b in zip(names, beta, strict=True) if name != "*"}
    rows = []
    for name in MODEL_CATEGORIES:
        mask = category == name
        if not mask.any():
            continue
        total = {key: value + own.get((name, f"effect:man:{key}"), 0.0) for key, value in shared.items()}
        # the intercept absorbs the item-weighted mean manufacturer effect of the category, so
        # that an unknown manufacturer gets the typical item's value (known ones are unchanged)
        shift = float(np.mean([total.get(key, 0.0) for key in keys["man"][mask]])) if shared else 0.0
        for (cat, suffix), value in own.items():
            if cat != name or (suffix.startswith("effect:man:") and suffix[len("effect:man:"):] in shared):
                continue
            value += shift if suffix == "intercept" else 0.0
            rows.append((f"{name}:{suffix}", value, value, value))
        rows += [(f"{name}:effect:man:{key}", value - shift, value - shift, value - shift)
                 for key, value in total.items()]
        if shared:
            # a brand the model has not seen: the mean of the category's brands, each weighing
            # the same (the prediction of a random effect for a new group), not the typical item
            present = sorted(set(keys["man"][mask]) - {""})
            new = float(np.mean([total[key] for key in present])) - shift
            rows.append((f"{name}:newbrand", new, new, new))
        rows += [(f"{name}:centre:{f}", c, c, c) for (cat, f), c in centres.items() if cat == name]
    return rows


def out_of_fold(category, features, keys, y, penalties, folds, blank_family=False,
                blank_brand=False, brand_penalty: float | None = None) -> np.ndarray:
    """Out-of-fold predictions; ``keys`` as from :func:`effect_keys` (codes, distinct keys)."""
    pred = np.full(len(y), np.nan)
    texts = key_strings(keys)
    for k in np.unique(folds):
        train = folds != k
        model = embodied_model_from_rows(fit_all(category[train], {f: v[train] for f, v in features.items()},
                                                 {a: v[train] for a, v in texts.items()}, y[train], penalties,
                                                 brand_penalty))
        test_keys = {a: (codes[~train], uniques) for a, (codes, uniques) in keys.items()}
        blank = (np.zeros((~train).sum(), dtype=np.int64), np.array([""], dtype=object))
        if blank_family:
            test_keys = {**test_keys, "fam": blank, "sub": blank}
        if blank_brand:
            test_keys = dict.fromkeys(test_keys, blank)
        pred[~train] = embodied_gwp_kgco2e(model, category[~train], {f: v[~train] for f, v in features.items()},
                                           test_keys)[0]
    return pred


def bands(category, ratio) -> dict[str, tuple[float, float]]:
    """10th/90th percentile of out-of-fold measured / predicted per category (items without a
    prediction left out), pooled over categories where one has fewer than MIN_OWN_BAND items."""
    ok = np.isfinite(ratio)
    category, ratio = category[ok], ratio[ok]
    pooled = tuple(np.quantile(np.log(ratio), [0.1, 0.9]))
    out = {}
    for name in MODEL_CATEGORIES:
        r = np.log(ratio[category == name])
        q = tuple(np.quantile(r, [0.1, 0.9])) if len(r) >= MIN_OWN_BAND else pooled
        out[name] = (float(np.exp(min(q[0], 0.0))), float(np.exp(max(q[1], 0.0))))
    return out


def brand_balanced_ape(pred: np.ndarray, y: np.ndarray, manufacturer: np.ndarray,
                       min_items: int = MIN_BRAND_ITEMS) -> tuple[float, dict[str, float]]:
    """Median absolute % error per manufacturer and their plain mean [fraction].

    Manufacturers with fewer than ``min_items`` items are listed but left out of the mean (their
    median is too noisy to choose a penalty by). Every manufacturer weighs the same, whatever its
    number of items: the figure a brand-balanced validation reports. When no manufacturer has
    ``min_items`` items, the mean is the median absolute % error of all items.
    """
    ape = np.abs(pred - y) / y
    per = {m: float(np.median(ape[manufacturer == m])) for m in sorted(set(manufacturer))}
    counted = [v for m, v in per.items() if (manufacturer == m).sum() >= min_items]
    return float(np.mean(counted)) if counted else float(np.median(ape)), per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    frame = pd.read_csv(args.data_dir / "pcf" / "pcf-train.csv")
    wrong, wearable = mislabelled_desktop(frame), mislabelled_wearable(frame)
    print(f"left out {int(wrong.sum())} 'Desktop' rows that are laptops (see mislabelled_desktop) and "
          f"{int(wearable.sum())} watches filed as phones or tablets (see mislabelled_wearable)")
    frame = frame[~wrong & ~wearable & frame["subcategory"].str.strip().isin(SUBCATEGORY)]
    y_all = embodied_target(frame).to_numpy(float)
    frame = frame[np.isfinite(y_all) & (y_all > 0)].reset_index(drop=True)
    y = embodied_target(frame).to_numpy(float)
    category, features, keys = record_inputs(pcf_records(frame))
    manufacturer = frame["manufacturer"].astype(str).str.strip().to_numpy(object)
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(y))
    print(f"TRAIN: {len(y)} footprints with an embodied GWP in {len(MODEL_CATEGORIES)} categories")

    print(f"5-fold CV on TRAIN ({len(BRAND_SEEDS)} fold draws): per category, median APE per manufacturer with "
          f"{MIN_BRAND_ITEMS}+ footprints there, averaged (else the category's median APE), for each (effect "
          "penalty scale, numeric penalty); each category keeps its best pair")
    draws = [np.random.default_rng(seed).integers(0, FOLDS, len(y)) for seed in BRAND_SEEDS]
    results = {}
    for scale in SCALES:
        for numeric in NUMERIC_PENALTIES:
            preds = [out_of_fold(category, features, keys, y, dict.fromkeys(MODEL_CATEGORIES, (scale, numeric)), f)
                     for f in draws]
            results[(scale, numeric)] = {
                c: float(np.mean([brand_balanced_ape(p[category == c], y[category == c],
                                                     manufacturer[category == c])[0] for p in preds]))
                for c in MODEL_CATEGORIES}
            per = " ".join(f"{c} {100 * v:.1f}" for c, v in results[(scale, numeric)].items())
            print(f"  effects x{scale}, numeric {numeric}: overall "
                  f"{100 * np.mean([np.median(np.abs(p - y) / y) for p in preds]):.1f} % | {per}")
    penalties = {c: min(results, key=lambda k, c=c: results[k][c]) for c in MODEL_CATEGORIES}

    print(f"shared manufacturer effect: 5-fold CV on TRAIN ({len(BRAND_SEEDS)} fold draws), median APE "
          f"per manufacturer averaged over those with {MIN_BRAND_ITEMS}+ footprints")
    brand_scores = {}
    for brand_penalty in BRAND_PENALTIES:
        runs = [brand_balanced_ape(out_of_fold(category, features, keys, y, penalties, f,
                                               brand_penalty=brand_penalty), y, manufacturer) for f in draws]
        brand_scores[brand_penalty] = float(np.mean([r[0] for r in runs]))
        per = " ".join(f"{m} {100 * np.mean([r[1][m] for r in runs]):.1f}" for m in runs[0][1])
        print(f"  penalty {brand_penalty}: brand average {100 * brand_scores[brand_penalty]:.1f} % | {per}")
    brand_penalty = min(brand_scores, key=brand_scores.get)

    pred = out_of_fold(category, features, keys, y, penalties, folds, brand_penalty=brand_penalty)
    score = float(np.median(np.abs(pred - y) / y))
    blank = out_of_fold(category, features, keys, y, penalties, folds, blank_family=True, brand_penalty=brand_penalty)
    nobrand = out_of_fold(category, features, keys, y, penalties, folds, blank_brand=True, brand_penalty=brand_penalty)
    brands = sorted(set(manufacturer))
    lomo = out_of_fold(category, features, keys, y, penalties, np.array([brands.index(m) for m in manufacturer]),
                       brand_penalty=brand_penalty)
    known_band, unknown_band = bands(category, y / pred), bands(category, y / blank)
    nobrand_band, newbrand_band = bands(category, y / nobrand), bands(category, y / lomo)
    print(f"CV median APE with manufacturer and name blanked {100 * np.median(np.abs(nobrand - y) / y):.1f} %")
    seen = np.isfinite(lomo)  # a category made by one manufacturer only has nothing left to learn from
    lomo_avg, lomo_per = brand_balanced_ape(lomo[seen], y[seen], manufacturer[seen])
    print(f"leave-one-manufacturer-out (a brand the model has not seen, {int(seen.sum())} items): median APE "
          f"{100 * np.median(np.abs(lomo[seen] - y[seen]) / y[seen]):.1f} %, brand average {100 * lomo_avg:.1f} % | "
          + " ".join(f"{m} {100 * v:.1f}" for m, v in lomo_per.items()))
    inside = np.mean([(y[i] >= pred[i] * known_band[c][0]) & (y[i] <= pred[i] * known_band[c][1])
                      for i, c in enumerate(category)])
    print(f"chosen: {penalties}, shared manufacturer penalty {brand_penalty}; CV median APE {100 * score:.1f} %, "
          f"brand average {100 * brand_balanced_ape(pred, y, manufacturer)[0]:.1f} %; known-name band covers "
          f"{100 * inside:.1f} % of out-of-fold items")

    rows = fit_all(category, features, key_strings(keys), y, penalties, brand_penalty)
    write(args.out, rows, known_band, unknown_band, penalties, score, len(y), category, nobrand_band, brand_penalty,
          newbrand_band)
    print(f"{args.out}: {len(args.out.read_text(encoding='utf-8').splitlines()) - 1} parameters")


def write(path, rows, known_band, unknown_band, penalties, score, n, category, nobrand_band,
          brand_penalty=None, newbrand_band=None) -> None:
    columns = ["id", "parameter", "value", "low", "high", "bound_basis", "unit", "source", "source_url", "licence",
               "year", "notes"]
    common = {"source": SOURCE, "source_url": SOURCE_URL, "licence": LICENCE, "year": "2023",
              "bound_basis": "calibrated"}
    counts = {c: int((category == c).sum()) for c in MODEL_CATEGORIES}
    fit_note = ("Ridge coefficient on ln(embodied GWP, kgCO2e); {n} TRAIN items; penalties effects x{scale}, "
                f"numeric {{numeric}} by 5-fold CV (overall median APE {100 * score:.1f} %). See fit_embodied.py.")
    out = []
    used: set[str] = set()
    for parameter, value, low, high in rows:
        cat, kind, *rest = parameter.split(":", 3)
        if kind == "effect" and rest[0] != "man" and abs(value) < 1e-3:
            continue  # shrunk to nothing: the default 0 applies (a manufacturer's row stays: it
            # tells a known brand from one the model has not seen, which gets the newbrand offset)
        unit = "dimensionless"
        if kind == "centre":
            unit = "year" if rest[0] == "year" else "dimensionless"
        ident = "emm-" + re.sub(r"[^a-z0-9]+", "-", parameter.lower()).strip("-")
        while ident in used:
            ident += "-x"
        used.add(ident)
        note = fit_note.format(n=counts.get(cat, 0), scale=penalties[cat][0], numeric=penalties[cat][1])
        if kind == "effect":
            note = f"Ridge effect on ln(GWP); fit as emm-{cat.replace('_', '-')}-intercept."
            if rest[0] == "man" and brand_penalty is not None:
                note += (" Manufacturer effect shared by all categories (ridge penalty "
                         f"{brand_penalty}, chosen by brand-balanced 5-fold CV) plus this category's "
                         "shrunk deviation from it.")
        if kind == "centre":
            note = "Centre: median of the feature over this category's TRAIN items (log for log_ features)."
        if kind == "newbrand":
            note = ("Offset on ln(GWP) where a manufacturer is given but unknown to the model: mean of this "
                    "category's manufacturer effects, each brand weighing the same, minus their item-weighted "
                    "mean (which the intercept holds, the value of a blank manufacturer).")
        out.append({"id": ident, "parameter": parameter, "value": f"{value:.8g}", "low": f"{low:.8g}",
                    "high": f"{high:.8g}", "unit": unit, **common, "notes": note})
    for cat in MODEL_CATEGORIES:
        kinds = [("known", known_band[cat]), ("unknown", unknown_band[cat]), ("nobrand", nobrand_band[cat])]
        kinds += [("newbrand", newbrand_band[cat])] if newbrand_band else []
        for kind, band in kinds:
            own = counts[cat] >= MIN_OWN_BAND
            where = {"nobrand": "the manufacturer is not given",
                     "newbrand": "the manufacturer is given but unknown to the model",
                     "known": "the model name matched a known family",
                     "unknown": "the model name did not match a known family"}[kind]
            cv = "" if kind == "newbrand" else "5-fold CV on "
            out.append({"id": f"emm-{cat.replace('_', '-')}-band-{kind}", "parameter": f"{cat}:band:{kind}",
                        "value": "1", "low": f"{band[0]:.6g}", "high": f"{band[1]:.6g}", "unit": "dimensionless",
                        **common, "notes": (
                            f"Multiplicative bounds where {where}: "
                            + f"10th/90th percentile of out-of-fold measured / predicted ({cv}"
                            f"TRAIN{BLANKED[kind]}), "
                            + ("this category's items." if own else f"pooled over all categories (this one has "
                               f"{counts[cat]} items, fewer than {MIN_OWN_BAND})."))})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)


if __name__ == "__main__":
    main()
