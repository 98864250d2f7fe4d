import numpy as np
import pandas as pd

from auditor.flags import flag_values


def test_french_and_english_words():
    s = pd.Series(["oui", "Non", "YES", "no", None, "peut-être", "Reconditionné", "1", "0"])
    yes, known = flag_values(s, len(s))
    assert yes.tolist() == [True, False, True, False, False, False, True, True, False]
    assert known.tolist() == [True, True, True, True, False, False, True, True, True]


def test_missing_column_is_unknown():
    yes, known = flag_values(None, 3)
    assert not yes.any() and not known.any()


def test_booleans_and_numbers():
    yes, known = flag_values(pd.Series([True, False, 2.0, np.nan], dtype=object), 4)
    assert yes.tolist() == [True, False, True, False]
    assert known.tolist() == [True, True, True, False]
