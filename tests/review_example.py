"""The example town's review inputs (this year against examples/ville-exemple/inventaire-glpi-2025.csv)."""

from __future__ import annotations

from tests.conftest import EXAMPLES, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
TOWN_2025 = EXAMPLES / "ville-exemple" / "inventaire-glpi-2025.csv"


def town_review_inputs(library, targets=None):
    """:class:`auditor.cli_review.ReviewInputs` of the town, both years assessed with today's method."""
    from auditor.cli_review import prepare_review

    return prepare_review([TOWN], [TOWN_2025], country="FR", today=TODAY, inhabitants=30_000, agents=450,
                          targets=targets, library=library)
