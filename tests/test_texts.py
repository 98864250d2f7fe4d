"""Every reason and action exists in English and French, with the same fields."""

from __future__ import annotations

import string

import pytest

from auditor.api import assess_table
from auditor.footprint import AssessOptions
from auditor.inventory import read_inventory
from auditor.scoring import score
from auditor.scoring.texts import LANGS, TEXTS, check_lang, number, say
from tests.conftest import EXAMPLES, TODAY


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_have_the_same_fields(key):
    en, fr = TEXTS[key]
    assert en.strip() and fr.strip()
    assert _fields(en) == _fields(fr), key


def test_numbers_and_languages():
    assert number(1.25, "fr", 2) == "1,25" and number(1.0, "en") == "1" and number(6.38, "en", 1) == "6.4"
    assert say("sw_ended", "fr") == "terminé"
    assert LANGS == ("en", "fr")
    with pytest.raises(ValueError):
        check_lang("de")


def test_scores_in_french_on_the_small_inventory(library):
    table, _ = read_inventory([EXAMPLES / "small-inventory.csv"], country="FR", today=TODAY, library=library)
    options = AssessOptions(today=TODAY)
    results = assess_table(table, library=library, options=options)
    base = results.drop(columns=[c for c in results.columns if c.startswith(
        ("sobriety", "repairability", "obsolescence", "replacement", "software", "security", "win11"))])
    fr = score(base, table, library, TODAY, lang="fr")
    en = score(base, table, library, TODAY, lang="en")
    # same numbers, other words
    for column in ("sobriety_score", "repairability_score", "obsolescence_risk", "software_status"):
        assert list(fr[column].astype(str)) == list(en[column].astype(str))
    text = " ".join(fr[c].astype(str).str.cat(sep=" ") for c in (
        "sobriety_reasons", "repairability_reasons", "obsolescence_reasons", "software_action"))
    assert "empreinte annuelle" in text and "mise à jour gratuite" in text and "a priori" in text
    for english in ("yearly footprint", "security support ends", "no index covers", "average years"):
        assert english not in text
