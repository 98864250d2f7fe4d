"""Exact output of the main commands on the bundled examples (see tests/golden/__init__.py)."""

from __future__ import annotations

import io
import shutil

import pytest

import tests.golden as golden
from tests.golden import COMMANDS, HERE, expected_output, output_of


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_matches_golden_file(name):
    new = output_of(COMMANDS[name])
    assert new == expected_output(name), (
        f"output changed:\n{golden.diff(name, new)}\nif on purpose: python -m tests.golden --accept")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_golden_files_cite_their_command_and_inputs(name):
    text = (HERE / name).read_text(encoding="utf-8")
    assert text.startswith(golden.header(COMMANDS[name]))
    assert f"`auditor {' '.join(COMMANDS[name])}`" in text.splitlines()[0]


def test_regenerating_without_accept_shows_the_diff_and_writes_nothing(tmp_path, monkeypatch):
    name = "factors-fr-gwp.txt"
    for n in COMMANDS:
        shutil.copy(HERE / n, tmp_path / n)
    edited = (tmp_path / name).read_text(encoding="utf-8").replace("1 factor(s).", "2 factor(s).")
    (tmp_path / name).write_text(edited, encoding="utf-8")
    monkeypatch.setattr(golden, "HERE", tmp_path)
    monkeypatch.setattr(golden, "COMMANDS", {name: COMMANDS[name]})
    out = io.StringIO()
    assert golden.check(out=out) == 1
    assert "-2 factor(s).\n+1 factor(s).\n" in out.getvalue()
    assert (tmp_path / name).read_text(encoding="utf-8") == edited
    assert golden.check(accept=True, out=io.StringIO()) == 0
    assert golden.check(out=io.StringIO()) == 0
    assert (tmp_path / name).read_text(encoding="utf-8") == (HERE / name).read_text(encoding="utf-8")
