"""Shared fixtures: the packaged factor library, a fixed assessment date, paths."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
TODAY = date(2026, 1, 15)


@pytest.fixture(scope="session")
def library():
    from factors.tables import default_library

    lib = default_library()
    lib.validate_all()
    return lib


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return _write


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared, or skip (fail in CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} not available (no ../shared beside the clone)")
    return path


#: The example town (examples/ville-exemple), assessed as ``auditor assess ... --country FR
#: --date 2026-01-15`` does.
TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"


@pytest.fixture(scope="session")
def town_assessment(library):
    """The example town through the real pipeline: inventory, footprint, scores (shared; copy
    before changing it)."""
    from auditor.api import assess_inventories

    return assess_inventories([TOWN], country="FR", today=TODAY, library=library)


@pytest.fixture(scope="session")
def town_recommendations(town_assessment):
    """The real recommendations of the example town (:func:`auditor.recommend.recommend`)."""
    from auditor.recommend import recommend

    done = town_assessment
    return list(recommend(done.table, done.results, done.library, done.options))
