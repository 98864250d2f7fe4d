"""``auditor ingest --agent PATH...``: inventory agents' files in, canonical inventory rows out.

Thin: expand folders, read (:func:`auditor.agents.read_agent_files`), write, report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.errors import InputError


def _check_output(output: Path, inputs: list[Path], folders: list[Path]) -> None:
    """Never write over an input, nor an agent-like file into a folder being read."""
    from auditor.agents import AGENT_SUFFIXES, is_agent_file

    target = output.resolve()
    for path in inputs:
        if path.resolve() == target:
            raise InputError(f"{output}: is one of the input files; choose another output name")
    for folder in folders:
        if target.suffix.lower() in AGENT_SUFFIXES and folder.resolve() in target.parents:
            raise InputError(f"{output}: inside the input folder {folder}, it would be read as an "
                             "agent file next time; write it elsewhere or as .csv/.xlsx")
    if output.exists() and is_agent_file(output):
        raise InputError(f"{output}: is an agent inventory file; choose another output name")


def ingest_agents(paths: tuple[str, ...], output: str | None, keep_going: bool) -> None:
    """Read agent files and folders, write the rows (see ``auditor ingest --help``)."""
    import pandas as pd

    from auditor.agents import ROW_COLUMNS, agent_files_in, read_agent_files, skipped_note
    from auditor.progress import Progress

    if not paths:
        raise click.UsageError("--agent needs at least one file or folder")
    files: list[Path] = []
    folders: list[Path] = []
    skipped: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = agent_files_in(path, skipped)
            if not found:
                raise InputError(f"{path}: folder without agent inventory files (.xml, .ocs, .json)")
            folders.append(path)
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder")
        else:
            raise InputError(f"{path}: file not found")
    if output:
        _check_output(Path(output), files, folders)
    progress = Progress(enabled=bool(output))
    read = read_agent_files(files, keep_going=keep_going, progress=progress.step)
    progress.close()
    frame = pd.DataFrame.from_records(read.rows, columns=list(ROW_COLUMNS))
    if output:
        from auditor.writers import write_results

        write_results(frame, output)
    else:
        from auditor.writers import neutralise_formulas

        neutralise_formulas(frame).to_csv(sys.stdout, index=False)
    hosts = sum(1 for row in read.rows if row["category"] != "monitor")
    monitors = len(read.rows) - hosts
    virtual = sum(1 for row in read.rows if row["virtual"] == "yes")
    read_ok = read.files - len(read.failures)
    summary = (f"Read {read_ok:,} of {read.files:,} agent file(s): {hosts:,} host(s) "
               f"({virtual:,} virtual), {monitors:,} monitor(s)")
    if output:
        summary += f"; written to {output}"
    click.echo(summary, err=not output)
    read.notes[:0] = skipped_note(skipped)
    for line in read.notes[:10]:
        click.echo(f"note: {line}", err=True)
    if len(read.notes) > 10:
        click.echo(f"note: ... and {len(read.notes) - 10} more", err=True)
    for line in read.failures:
        click.echo(f"not read: {line}", err=True)
    if read.failures:  # bad input was met, even if the rest was written: exit 2
        raise InputError(f"{len(read.failures):,} agent file(s) could not be read (listed above)")
