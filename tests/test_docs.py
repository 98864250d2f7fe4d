"""Docs generated from the code are current, and the README's commands are the CI's."""

from __future__ import annotations

from auditor.docgen import render
from tests.conftest import ROOT


def test_generated_docs_are_current():
    for path, text in render(ROOT / "docs").items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m auditor.docgen"


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1].strip().splitlines()
    commands = [line for line in block if line and not line.startswith("bash")]
    assert len(commands) == 2
    install_run, install_test = commands
    assert "pip install" in install_run and "auditor assess examples/" in install_run
    assert "pip install" in install_test and "pytest" in install_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_test in ci
