"""Calibrated embodied-GWP model of end-user devices and servers, from specs and names.

For a device of category ``c`` (laptop, desktop, monitor, smartphone, tablet, thin_client,
server)::

    ln GWP = a_c + sum_f s_cf (x_f - m_cf)            (x_f known)
                 + sum_f u_cf                         (x_f unknown)
                 + e_c[manufacturer] + e_c[manufacturer|family]
                 + e_c[manufacturer|sub-family] + e_c[manufacturer|year]

with numeric features ``x_f`` (log screen size, log weight, year, log storage, log RAM, CPU
count), centred on the training median ``m_cf``, a coefficient ``u_cf`` for "unknown", and
shrunken (ridge) effects for the manufacturer, the product family and sub-family read from the
model name, and the manufacturer's report year. Unknown manufacturers or names add nothing. The
fit shares each manufacturer's effect across categories (partial pooling) and stores, per
category, the shared effect plus the category's deviation as ``e_c[manufacturer]``.
A manufacturer that is given but unknown to the model gets the mean brand's value (every brand
weighing the same, ``<category>:newbrand``); a blank one gets the typical item's (the intercept).
The bounds multiply the value by the 10th/90th percentile of out-of-fold measured / predicted
ratios: one band where the name matched a known family, a wider one where it did not, one where
the manufacturer is given but unknown to the model (leave-one-manufacturer-out) and one where it
is blank (every key blanked).

Parameters: ``factors/data/embodied-model.csv`` (fit by ``factors/fit/fit_embodied.py`` on the
TRAIN split of manufacturer product carbon footprints, Boavizta environmental-footprint-data,
ODbL 1.0). Evaluation is vectorised: names are parsed once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

#: Categories the model covers (others keep the per-category factor table).
MODEL_CATEGORIES: tuple[str, ...] = (
    "laptop", "desktop", "monitor", "smartphone", "tablet", "thin_client", "server",
)
#: Numeric features, in canonical inventory units (log of the value where named ``log_``).
FEATURES: tuple[str, ...] = (
    "log_screen_size_in", "log_weight_kg", "year", "log_storage_gb", "log_ram_gb", "cpu_count",
)
#: Effect levels: manufacturer, manufacturer|family, manufacturer|sub-family, manufacturer|year.
LEVELS: tuple[str, ...] = ("man", "fam", "sub", "year")

# Company-name spellings found in inventories and PCFs -> one key (names, not factors).
_MANUFACTURER_ALIASES = {
    "hewlett packard": "hp", "hewlettpackard": "hp", "hpe": "hp", "hewlett packard enterprise": "hp",
    "hp inc": "hp", "hp enterprise": "hp", "dell technologies": "dell", "dell emc": "dell",
    "dell inc": "dell", "lenovo group": "lenovo", "apple inc": "apple", "microsoft corporation": "microsoft",
    "samsung electronics": "samsung", "asustek": "asus", "asustek computer": "asus", "google llc": "google",
}
#: Placeholders an inventory writes for "brand not known": a blank manufacturer, not a new brand.
_PLACEHOLDERS = frozenset({"n a", "na", "nan", "none", "null", "unknown", "inconnu", "inconnue", "nc", "n c",
                           "other", "others", "autre", "autres", "divers", "generic", "generique"})
_SUFFIXES = re.compile(r"\b(inc|corp|corporation|co|ltd|limited|gmbh|sa|sas|llc|plc|computer|computers)\b\.?")


def manufacturer_key(name: object) -> str:
    """Lower-case company key: ``"Dell Inc."`` -> ``"dell"``, ``"Hewlett-Packard"`` -> ``"hp"``;
    ``""`` for a blank or a placeholder such as ``"N/A"`` or ``"Inconnu"`` (brand not known)."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    plain = unicodedata.normalize("NFKD", str(name).lower()).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9 ]", " ", plain.replace("-", " "))
    text = re.sub(r"\s+", " ", text).strip()
    if text in _PLACEHOLDERS:
        return ""
    if text in _MANUFACTURER_ALIASES:
        return _MANUFACTURER_ALIASES[text]
    text = re.sub(r"\s+", " ", _SUFFIXES.sub(" ", text)).strip()
    return _MANUFACTURER_ALIASES.get(text, text)


def family_keys(model: object, manufacturer: str = "") -> tuple[str, str]:
    """Product family and sub-family read from a model name.

    The family is the first word (``"Latitude 5480"`` -> ``"latitude"``) or, for a code such as
    ``"P2419H"``, its leading letters (``"p"``); the sub-family adds the next word's leading
    letters and first digit (``"latitude|5"``, ``"thinkpad|t4"``) or the code's first digit
    (``"p2"``). A leading manufacturer word is skipped.

    Returns
    -------
    (str, str)
        Family and sub-family keys; empty when the name gives nothing.
    """
    if model is None or (isinstance(model, float) and np.isnan(model)):
        return "", ""
    words = re.sub(r"[^a-z0-9 \-]", " ", str(model).lower()).split()
    if words and manufacturer and manufacturer_key(words[0]) == manufacturer:
        words = words[1:]
    if not words:
        return "", ""
    first = words[0]
    code = re.match(r"^([a-z]+)(\d)", first)
    if code:
        return code.group(1), code.group(1) + code.group(2)
    second = re.match(r"^([a-z]*\d?)", words[1]).group(1) if len(words) > 1 else ""
    return first, f"{first}|{second}"


@dataclass
class CategoryModel:
    """Parameters of one category (see the module docstring)."""

    intercept: float
    slope: dict[str, float] = field(default_factory=dict)
    centre: dict[str, float] = field(default_factory=dict)
    unknown: dict[str, float] = field(default_factory=dict)
    effects: dict[str, dict[str, float]] = field(default_factory=dict)
    band_known: tuple[float, float] = (1.0, 1.0)
    band_unknown: tuple[float, float] = (1.0, 1.0)
    #: Band where the manufacturer itself is unknown to the model (wider: no brand effect).
    band_nobrand: tuple[float, float] | None = None
    #: ln offset where a manufacturer is given but unknown to the model: the mean brand (every
    #: brand weighing the same) rather than the typical item (which the largest brand dominates).
    new_brand: float = 0.0
    #: Band where a manufacturer is given but unknown to the model (None: ``band_nobrand``).
    band_newbrand: tuple[float, float] | None = None


@dataclass
class EmbodiedModel:
    """All categories' parameters."""

    categories: dict[str, CategoryModel]


def embodied_model_from_rows(rows) -> EmbodiedModel:
    """Build the model from ``(parameter, value, low, high)`` rows of ``embodied-model.csv``.

    Parameter names: ``<category>:intercept``, ``<category>:slope:<feature>``,
    ``<category>:centre:<feature>``, ``<category>:unknown:<feature>``,
    ``<category>:effect:<level>:<key>``, ``<category>:newbrand``, ``<category>:band:known`` /
    ``:band:unknown`` / ``:band:newbrand`` / ``:band:nobrand``
    (value 1, low/high the band).
    """
    categories: dict[str, CategoryModel] = {}
    for parameter, value, low, high in rows:
        category, kind, *rest = str(parameter).split(":", 3)
        model = categories.setdefault(category, CategoryModel(0.0))
        if kind == "intercept":
            model.intercept = float(value)
        elif kind in ("slope", "centre", "unknown"):
            getattr(model, kind)[rest[0]] = float(value)
        elif kind == "effect":
            model.effects.setdefault(rest[0], {})[rest[1]] = float(value)
        elif kind == "newbrand":
            model.new_brand = float(value)
        elif kind == "band":
            setattr(model, f"band_{rest[0]}", (float(low), float(high)))
    return EmbodiedModel(categories)


def feature_matrix(screen_size_in: ArrayLike, weight_kg: ArrayLike, year: ArrayLike,
                   storage_gb: ArrayLike, ram_gb: ArrayLike, cpu_count: ArrayLike) -> dict[str, NDArray]:
    """Numeric features (NaN where unknown; zero or negative sizes count as unknown)."""
    def log_pos(x: ArrayLike) -> NDArray:
        a = np.asarray(x, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 0, np.log(a), np.nan)

    return {
        "log_screen_size_in": log_pos(screen_size_in), "log_weight_kg": log_pos(weight_kg),
        "year": np.asarray(year, float), "log_storage_gb": log_pos(storage_gb),
        "log_ram_gb": log_pos(ram_gb), "cpu_count": np.where(np.asarray(cpu_count, float) > 0,
                                                             np.asarray(cpu_count, float), np.nan),
    }


def effect_keys(manufacturer: ArrayLike, model: ArrayLike, year: ArrayLike) -> dict[str, tuple[NDArray, NDArray]]:
    """Per row keys of the four effect levels, as integer codes into arrays of distinct keys.

    Each distinct manufacturer, (manufacturer, model) pair and (manufacturer, year) pair is
    parsed once; ``""`` is the key of an unknown. :func:`key_strings` gives the per-row texts.

    Returns
    -------
    dict
        Level -> ``(codes, keys)``: ``keys[codes]`` is the key of each row.
    """
    man_codes, man_uniques = pd.factorize(_series(manufacturer), use_na_sentinel=True)
    man_u = np.array([manufacturer_key(m) for m in np.asarray(man_uniques, dtype=object)] + [""], dtype=object)
    name_codes, name_uniques = pd.factorize(_series(model), use_na_sentinel=True)
    names = list(np.asarray(name_uniques, dtype=object)) + [None]
    width = len(names) + 1
    pair_codes, pair_uniques = pd.factorize((man_codes.astype(np.int64) + 1) * width + (name_codes.astype(np.int64) + 1))
    fam_u, sub_u = [], []
    for pair in pair_uniques:
        m = man_u[int(pair // width) - 1]
        fam, sub = family_keys(names[int(pair % width) - 1], m)
        fam_u.append(f"{m}|{fam}" if m and fam else "")
        sub_u.append(f"{m}|{sub}" if m and fam else "")
    years = np.asarray(year, float)
    known = np.isfinite(years)
    year_int = np.where(known, np.nan_to_num(years), -1).astype(np.int64)
    year_codes, year_uniques = pd.factorize((man_codes.astype(np.int64) + 1) * 10_000 + (year_int + 1))
    year_u = []
    for pair in year_uniques:
        m, y = man_u[int(pair // 10_000) - 1], int(pair % 10_000) - 1
        year_u.append(f"{m}|{y}" if m and y >= 0 else "")
    return {"man": (man_codes, man_u), "fam": (pair_codes, np.array(fam_u, dtype=object)),
            "sub": (pair_codes, np.array(sub_u, dtype=object)), "year": (year_codes, np.array(year_u, dtype=object))}


def _series(values: ArrayLike) -> pd.Series:
    """A Series to factorize (a pandas Series as is: its string dtype factorizes fastest)."""
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return pd.Series(np.asarray(values, dtype=object))


def key_strings(keys: dict[str, tuple[NDArray, NDArray]]) -> dict[str, NDArray]:
    """Per row key texts from :func:`effect_keys`."""
    return {level: uniques[codes] for level, (codes, uniques) in keys.items()}


def embodied_gwp_kgco2e(
    model: EmbodiedModel, category: ArrayLike, features: dict[str, NDArray],
    keys: dict[str, tuple[NDArray, NDArray]],
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Embodied GWP of one device per row, with bounds, where the model covers the category.

    Parameters
    ----------
    model : EmbodiedModel
        Calibrated parameters.
    category : array_like of str or pandas.Categorical
        Device category per row.
    features : dict of numpy.ndarray
        From :func:`feature_matrix`.
    keys : dict
        From :func:`effect_keys` (level -> codes, distinct keys).

    Returns
    -------
    (value, low, high, covered)
        Embodied GWP [kgCO2e] (NaN where ``covered`` is False) and the bool mask of rows whose
        category the model covers.

    References
    ----------
    Manufacturer product carbon footprints compiled by Boavizta, environmental-footprint-data
    (ODbL 1.0), TRAIN split; fit and validation in ``factors/fit/fit_embodied.py`` and
    ``docs/validation.md``.
    """
    n = len(category)
    value = np.full(n, np.nan)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    covered = np.zeros(n, dtype=bool)
    cat_codes, cat_uniques = pd.factorize(category if isinstance(category, pd.Categorical) else
                                          pd.Series(np.asarray(category, dtype=object)))
    for name, params in model.categories.items():
        where = np.flatnonzero(np.asarray(cat_uniques, dtype=object) == name)
        rows = np.flatnonzero(cat_codes == where[0]) if where.size else np.zeros(0, dtype=np.int64)
        if rows.size == 0:
            continue
        covered[rows] = True
        eta = np.full(rows.size, params.intercept)
        for feature, slope in params.slope.items():
            x = features[feature][rows]
            known = ~np.isnan(x)
            eta += np.where(known, slope * (np.where(known, x, 0.0) - params.centre.get(feature, 0.0)),
                            params.unknown.get(feature, 0.0))
        matched = np.zeros(rows.size, dtype=bool)
        brand = np.zeros(rows.size, dtype=bool)
        for level, table in params.effects.items():
            codes, uniques = keys[level]
            effect = np.array([table.get(u, np.nan) for u in uniques], dtype=float)[codes[rows]]
            if level in ("fam", "sub"):
                matched |= ~np.isnan(effect)
            if level == "man":
                brand = ~np.isnan(effect)
            eta += np.nan_to_num(effect)
        codes, uniques = keys["man"]
        new = (np.asarray(uniques, dtype=object) != "")[codes[rows]] & ~brand  # given, not known
        eta += np.where(new, params.new_brand, 0.0)
        v = np.exp(eta)
        value[rows] = v
        nobrand = params.band_nobrand or params.band_unknown
        newbrand = params.band_newbrand or nobrand
        for i, (known_b, unknown_b, new_b, none_b) in enumerate(zip(params.band_known, params.band_unknown,
                                                                     newbrand, nobrand, strict=True)):
            band = np.where(matched, known_b, np.where(brand, unknown_b, np.where(new, new_b, none_b)))
            (low if i == 0 else high)[rows] = v * band
    return value, low, high, covered


def storage_total_gb(storage_gb: ArrayLike, ssd_count: ArrayLike, ssd_gb: ArrayLike,
                     hdd_count: ArrayLike, hdd_gb: ArrayLike) -> NDArray:
    """Total storage [GB]: ``storage_gb`` when given, else SSD + HDD count x size (count 1 when
    only a size is given); NaN when nothing is known."""
    total = np.zeros(len(np.atleast_1d(np.asarray(storage_gb, float))))
    known = np.zeros_like(total, dtype=bool)
    for count, size in ((ssd_count, ssd_gb), (hdd_count, hdd_gb)):
        c, s = np.asarray(count, float), np.asarray(size, float)
        c = np.where(np.isnan(c) & ~np.isnan(s), 1.0, c)
        part = c * s
        ok = ~np.isnan(part)
        total += np.where(ok, part, 0.0)
        known |= ok
    given = np.asarray(storage_gb, float)
    return np.where(~np.isnan(given), given, np.where(known, total, np.nan))
