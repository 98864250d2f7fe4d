"""Exact output of the main commands on the bundled examples (see tests/golden/__init__.py)."""

from __future__ import annotations

import pytest

from tests.golden import COMMANDS, HERE, output_of


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_matches_golden_file(name):
    expected = (HERE / name).read_text(encoding="utf-8")
    assert output_of(COMMANDS[name]) == expected, f"output changed: if on purpose, run python -m tests.golden ({name})"
