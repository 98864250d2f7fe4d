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


def test_no_module_under_auditor_imports_reports():
    """The CLI composition reaches reports commands only through LAZY_SUBCOMMANDS strings."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                            if m == "reports" or m.startswith("reports."))
        for path in sorted((ROOT / "auditor").rglob("*.py"))
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
