"""The embodied-model fit: brand-balanced objective, mislabelled-row rules and the manufacturer
effect shared by all categories (partial pooling), on small hand-made training sets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from factors.embodied_model import (
    FEATURES,
    effect_keys,
    embodied_gwp_kgco2e,
    embodied_model_from_rows,
    feature_matrix,
    key_strings,
    manufacturer_key,
)
from factors.fit.fit_embodied import brand_balanced_ape, fit_all, mislabelled_wearable

#: Tiny effect penalties: the hand calculations below assume effects that fit the data exactly.
LOOSE = {"laptop": (1e-6, 1.0), "monitor": (1e-6, 1.0)}
#: Huge per-category effect penalties: no category deviation, the shared brand effect alone.
STRICT = {"laptop": (1e6, 1.0), "monitor": (1e6, 1.0)}


def _inputs(category, manufacturer):
    n = len(category)
    nothing = np.full(n, np.nan)
    features = feature_matrix(nothing, nothing, nothing, nothing, nothing, nothing)
    keys = effect_keys(np.asarray(manufacturer, dtype=object), np.full(n, None, dtype=object), nothing)
    return np.asarray(category, dtype=object), features, keys


def _predict(rows, category, manufacturer):
    cat, features, keys = _inputs(category, manufacturer)
    return embodied_gwp_kgco2e(embodied_model_from_rows(rows), cat, features, keys)[0]


def test_brand_balanced_ape_weighs_each_manufacturer_the_same():
    y = np.array([100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0])
    pred = np.array([110.0, 130.0, 90.0, 100.0, 150.0, 160.0, 200.0])
    brand = np.array(["A", "A", "A", "B", "B", "B", "C"], dtype=object)
    mean, per = brand_balanced_ape(pred, y, brand, min_items=3)
    # A: APEs 10, 30, 10 % -> median 10 %; B: 0, 50, 60 % -> 50 %; C (1 item) listed, not counted
    assert per == pytest.approx({"A": 0.10, "B": 0.50, "C": 1.00})
    assert mean == pytest.approx(0.30)
    # no manufacturer with enough items: the plain median over all items (APE 10,30,10,0,50,60,100 %)
    assert brand_balanced_ape(pred, y, brand, min_items=10)[0] == pytest.approx(0.30)


def test_watches_filed_as_phones_or_tablets_are_mislabelled_but_phones_stay():
    frame = pd.DataFrame({
        "subcategory": ["Smartphone", "Tablet", "Smartphone", "IoT", "Laptop"],
        "name": ["Pixel Watch", "Galaxy Watch 4", "Pixel 7 Pro", "Apple Watch SE", "Watchman 14"]})
    assert mislabelled_wearable(frame).tolist() == [True, True, False, False, False]


def test_without_a_shared_effect_the_joint_fit_is_the_per_category_fit():
    category = ["laptop"] * 4 + ["monitor"] * 4
    brand = ["A", "A", "B", "B", "A", "C", "C", "C"]
    y = np.array([100.0, 120.0, 200.0, 180.0, 300.0, 150.0, 160.0, 140.0])
    cat, features, keys = _inputs(category, brand)
    texts = key_strings(keys)
    penalties = {"laptop": (0.5, 1.0), "monitor": (0.5, 1.0)}
    joint = dict((p, v) for p, v, _, _ in fit_all(cat, features, texts, y, penalties))
    laptop = cat == "laptop"
    alone = dict((p, v) for p, v, _, _ in fit_all(cat[laptop], {f: x[laptop] for f, x in features.items()},
                                                  {k: t[laptop] for k, t in texts.items()}, y[laptop], penalties))
    assert {p: v for p, v in joint.items() if p.startswith("laptop:")} == pytest.approx(alone, rel=1e-9)


def test_known_brands_are_fitted_and_an_unknown_one_gets_the_typical_item():
    # laptops: brand A 3 items of 100 kg, brand B 1 item of 200 kg, nothing else known
    category, brand = ["laptop"] * 4, ["A", "A", "A", "B"]
    y = np.array([100.0, 100.0, 100.0, 200.0])
    cat, features, keys = _inputs(category, brand)
    rows = fit_all(cat, features, key_strings(keys), y, LOOSE, brand_penalty=1e-6)
    pred = _predict(rows, ["laptop"] * 4, ["A", "B", "", "Zorglub"])
    assert pred[:2] == pytest.approx([100.0, 200.0], rel=1e-4)
    # brand not given: the item-weighted mean of ln GWP, exp((3 ln 100 + ln 200) / 4) = 100 x 2^(1/4)
    assert pred[2] == pytest.approx(100.0 * 2 ** 0.25, rel=1e-4)
    assert math.isclose(pred[2], 118.92, rel_tol=1e-4)
    # a brand given but never seen: the mean brand, exp((ln 100 + ln 200) / 2) = 100 x 2^(1/2)
    assert pred[3] == pytest.approx(100.0 * 2 ** 0.5, rel=1e-4)


def test_a_brand_the_model_has_not_seen_gets_its_own_band():
    rows = [("laptop:intercept", 5.0, 5.0, 5.0), ("laptop:effect:man:a", 0.1, 0.1, 0.1),
            ("laptop:newbrand", -0.2, -0.2, -0.2),
            ("laptop:band:known", 1, 0.9, 1.1), ("laptop:band:unknown", 1, 0.8, 1.2),
            ("laptop:band:nobrand", 1, 0.7, 1.3), ("laptop:band:newbrand", 1, 0.6, 1.4)]
    cat, features, keys = _inputs(["laptop"] * 3, ["A", "", "Zorglub"])
    value, low, high, _ = embodied_gwp_kgco2e(embodied_model_from_rows(rows), cat, features, keys)
    assert value == pytest.approx(np.exp([5.1, 5.0, 4.8]))
    assert (low / value).tolist() == pytest.approx([0.8, 0.7, 0.6])  # brand known, no name: "unknown"
    assert (high / value).tolist() == pytest.approx([1.2, 1.3, 1.4])


def test_a_brand_borrows_its_effect_from_its_other_categories():
    # brand B is twice brand A in laptops and has no monitor; C only makes monitors
    category = ["laptop"] * 4 + ["monitor"] * 4
    brand = ["A", "A", "B", "B", "A", "A", "C", "C"]
    y = np.array([100.0, 100.0, 200.0, 200.0, 200.0, 200.0, 200.0, 200.0])
    cat, features, keys = _inputs(category, brand)
    shared = fit_all(cat, features, key_strings(keys), y, STRICT, brand_penalty=1e-6)
    alone = fit_all(cat, features, key_strings(keys), y, STRICT, brand_penalty=None)
    monitors = ["monitor", "monitor"]
    b_shared, unknown = _predict(shared, monitors, ["B", ""])
    b_alone = _predict(alone, ["monitor"], ["B"])[0]
    # without sharing, a B monitor is any monitor (200); with it, B's laptop effect (x2 over A)
    # carries over: the monitors of A and C both measure 200, so B is 200 x (200 / 100) = 400
    assert b_alone == pytest.approx(200.0, rel=1e-4)
    assert unknown == pytest.approx(200.0, rel=1e-4)
    assert b_shared == pytest.approx(400.0, rel=1e-3)


def test_every_feature_has_a_column_in_the_hand_inputs():
    # guards the helpers above: the model's numeric features are all given (as unknown)
    features = _inputs(["laptop"], ["A"])[1]
    assert set(features) == set(FEATURES)


@pytest.mark.parametrize("text", ["N/A", "n.a.", "Unknown", "Inconnu", "Générique", "Autre", " - ", None])
def test_brand_placeholders_are_a_blank_manufacturer_not_a_new_brand(text):
    assert manufacturer_key(text) == ""


def test_real_brand_names_keep_their_key():
    assert [manufacturer_key(m) for m in ("Acer", "Dell Inc.", "Société Générale Informatique")] == [
        "acer", "dell", "societe generale informatique"]
