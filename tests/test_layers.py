"""Imports run one way: factors <- auditor <- reports <- CLI (issue 10, item 7)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


#: The command-line face (click commands), above both auditor/ and reports/: it may build pages.
CLI_MODULES = ("cli.py", "cli_compare.py", "cli_review.py", "cli_recommend.py", "cli_probe.py", "cli_agents.py")


def test_no_module_under_auditor_imports_reports():
    """The library under auditor/ never imports reports; only the CLI face (the click commands,
    which sit above both) may, and auditor/cli.py reaches reports' commands through
    LAZY_SUBCOMMANDS strings."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                            if m == "reports" or m.startswith("reports."))
        for path in sorted((ROOT / "auditor").rglob("*.py"))
        if not (path.parent == ROOT / "auditor" and path.name in CLI_MODULES)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_factors_imports_nothing_of_ours():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                            if m.split(".")[0] in ("auditor", "reports", "probes"))
        for path in sorted((ROOT / "factors").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_reports_commands_are_registered_lazily():
    from auditor.cli import LAZY_SUBCOMMANDS

    assert LAZY_SUBCOMMANDS["report"].startswith("reports.")
    assert LAZY_SUBCOMMANDS["export"].startswith("reports.")
