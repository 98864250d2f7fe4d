"""Limits of what the importer reads, and how a value from a file is shown in a message.

Beyond a limit the import stops with exit code 2 and a line naming the limit and the option that
raises it (``--limit NAME=VALUE``). The reasons for each default are in ``docs/inventory.md``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

from auditor.errors import InputError


@dataclass(frozen=True)
class Limits:
    """What one inventory file may hold (see docs/inventory.md, "Limits").

    Attributes
    ----------
    file_mb
        Size of one input file on disk [MB].
    cells
        Cells of one table (rows x columns), and cells an XLSX sheet declares.
    columns
        Columns of one table (16,384 is Excel's own maximum).
    cell_chars
        Characters of one cell (32,767 is Excel's own maximum).
    xlsx_mb
        Uncompressed size of an XLSX workbook's parts [MB] (checked before parsing).
    """

    file_mb: float = 1024.0
    cells: int = 100_000_000
    columns: int = 16_384
    cell_chars: int = 32_767
    xlsx_mb: float = 1024.0


#: Characters of a number cell: longer text is never a number (keeps parsing linear).
NUMBER_CHARS = 100
#: Characters of a value shown in an error or warning.
SHOWN_CHARS = 80

_DEFAULT = Limits()
_ACTIVE: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("limits", default=None)


def limits() -> Limits:
    """The limits in force (the defaults unless :func:`use_limits` changed them)."""
    return _ACTIVE.get() or _DEFAULT


@contextlib.contextmanager
def use_limits(active: Limits) -> Iterator[Limits]:
    """Run a block with other limits (``auditor ... --limit NAME=VALUE``)."""
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def parse_limits(texts: tuple[str, ...] | list[str]) -> Limits:
    """Limits from ``NAME=VALUE`` texts (``file_mb=4000``, ``cells=5e8``) over the defaults."""
    names = {f.name: f.type for f in fields(Limits)}
    changes: dict[str, float | int] = {}
    for text in texts:
        name, sep, value = str(text).partition("=")
        name = name.strip().replace("-", "_")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or name not in names or not (number > 0 and number < float("inf")):
            raise InputError(f"--limit {shorten(text)}: expected NAME=VALUE with a positive VALUE and "
                             f"NAME one of {', '.join(names)}")
        changes[name] = number if names[name] == "float" else int(number)
    return replace(Limits(), **changes)


def too_big(what: str, limit_name: str, value: float) -> str:
    """The reason of a limit error: what, the limit and how to raise it."""
    current = getattr(limits(), limit_name)
    shown = f"{current:,.0f}" if float(current).is_integer() else f"{current:,}"
    return (f"{what} ({value:,.0f}) is over the limit {limit_name}={shown}; "
            f"raise it with --limit {limit_name}=N if the file is genuine")


def shorten(value: object, width: int = SHOWN_CHARS) -> str:
    """``value`` as one printable line of at most about ``width`` characters.

    Control characters (newlines, escapes, NUL...) are shown as ``?``; a long text keeps its start
    and says how long it was.
    """
    text = str(value)
    cut = text[: width * 4]
    printable = "".join(c if c.isprintable() else "?" for c in cut)
    if len(text) <= width and len(printable) == len(text):
        return printable
    if len(text) > width:
        return f"{printable[: width - 1]}… ({len(text):,} characters)"
    return printable
