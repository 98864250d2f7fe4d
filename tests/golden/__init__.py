"""Golden outputs of the main commands (exact text), and how to regenerate them.

Each golden file is the output of one command on the bundled examples with a fixed assessment
date; it changes only when a factor, a model or the summary format changes on purpose. Then run
``python -m tests.golden`` and review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

#: golden file name -> command arguments (run from the repository root).
COMMANDS: dict[str, list[str]] = {
    "assess-small-inventory.txt": ["assess", "examples/small-inventory.csv", "--date", "2026-01-15", "-q"],
    "factors-fr-gwp.txt": ["factors", "--country", "FR", "--criterion", "gwp"],
    "recommend-small-inventory.txt": ["recommend", "examples/small-inventory.csv", "--date", "2026-01-15", "-q"],
}


def output_of(args: list[str]) -> str:
    """Exact standard output of ``auditor ARGS`` run in-process from the repository root."""
    import os

    from click.testing import CliRunner

    from auditor.cli import cli

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    if result.exit_code != 0:
        raise RuntimeError(f"auditor {' '.join(args)} exited {result.exit_code}: {result.output}")
    return result.stdout


def regenerate() -> None:
    for name, args in COMMANDS.items():
        (HERE / name).write_text(output_of(args), encoding="utf-8")
        print(f"wrote tests/golden/{name}")
