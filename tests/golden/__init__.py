"""Golden outputs of the main commands (exact text), and how to check or regenerate them.

Each golden file is the exact standard output of one command on a bundled example with a fixed
assessment date, under a short header that cites where it came from (the command, its input
files and the factor tables). A golden file is a regression net, not a proof: its numbers come
from the code at the commit that accepted it. The numbers themselves are checked independently
elsewhere (hand calculations from the cited factor rows in ``tests/test_bounds.py``,
``tests/test_footprint.py``...).

``python -m tests.golden`` prints a unified diff of every file whose output changed and exits 1
(0 when all match); ``python -m tests.golden --accept`` writes the new outputs. Review the diff
before accepting and say in the commit why the output changed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
#: Last line of the header of every golden file; what follows is the command's exact output.
HEADER_END = "# ---\n"

#: golden file name -> command arguments (run from the repository root).
COMMANDS: dict[str, list[str]] = {
    "assess-small-inventory.txt": ["assess", "examples/small-inventory.csv", "--date", "2026-01-15", "-q"],
    "factors-fr-gwp.txt": ["factors", "--country", "FR", "--criterion", "gwp"],
    "recommend-small-inventory.txt": ["recommend", "examples/small-inventory.csv", "--date", "2026-01-15", "-q"],
}


def header(args: list[str]) -> str:
    """The citation header of a golden file: command, inputs and how to regenerate."""
    inputs = [a for a in args if a.startswith("examples/")]
    lines = [
        f"# golden file: exact standard output of `auditor {' '.join(args)}`, run from the repository root",
        f"# inputs: {', '.join(inputs) or 'none'}; the packaged factor tables (factors/data/*.csv, see their"
        " source columns)",
        "# regression net only: its numbers come from the code that accepted it; tests/test_bounds.py checks"
        " them by hand",
        "# check: python -m tests.golden   accept a reviewed change: python -m tests.golden --accept",
    ]
    return "\n".join(lines) + "\n" + HEADER_END


def expected_output(name: str) -> str:
    """The recorded output of a golden file (its header removed)."""
    text = (HERE / name).read_text(encoding="utf-8")
    head, sep, body = text.partition(HEADER_END)
    if not sep:
        raise ValueError(f"tests/golden/{name}: no citation header (a line {HEADER_END.strip()!r})")
    return body


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


def diff(name: str, new: str) -> str:
    """Unified diff from the recorded output of ``name`` to ``new`` ('' when equal)."""
    path = HERE / name
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = text.partition(HEADER_END)[2] if HEADER_END in text else text
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"tests/golden/{name} (recorded)", f"{name} (now)"))


def check(accept: bool = False, out=None) -> int:
    """Compare every golden file with the current output; write them only when ``accept``.

    Returns the exit code: 0 when nothing differs (or the differences were accepted), 1 otherwise.
    """
    import sys

    out = out or sys.stdout
    changed = 0
    for name, args in COMMANDS.items():
        new = output_of(args)
        text = diff(name, new)
        if not text and (HERE / name).exists() and (HERE / name).read_text(encoding="utf-8").startswith(header(args)):
            continue
        changed += 1
        out.write(text or f"tests/golden/{name}: header only\n")
        if accept:
            (HERE / name).write_text(header(args) + new, encoding="utf-8")
            out.write(f"accepted tests/golden/{name}\n")
    if changed and not accept:
        out.write(f"{changed} golden file(s) differ; review the diff, then run python -m tests.golden --accept\n")
        return 1
    if not changed:
        out.write("golden files match\n")
    return 0
