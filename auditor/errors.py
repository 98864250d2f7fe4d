"""The one exception tree of the auditor.

Users see one clear line for an :class:`InputError` (exit code 2) and never a traceback.
Anything else that escapes is an internal error (exit code 1).
"""

from __future__ import annotations

from factors.errors import (
    AuditorError,
    FactorTableError,
    InputError,
    QuantityError,
    UnknownCountryError,
)

__all__ = [
    "AuditorError",
    "FactorTableError",
    "InputError",
    "InventoryError",
    "QuantityError",
    "UnknownCountryError",
]


def _printable(value: object, width: int) -> str:
    """One printable line of at most about ``width`` characters (control characters as ``?``)."""
    text = str(value)
    shown = "".join(c if c.isprintable() else "?" for c in text[: width + 1])
    return shown if len(text) <= width else f"{shown[: width - 1]}… ({len(text):,} characters)"


class InventoryError(InputError):
    """A problem in an inventory file, located by file, row and column.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    file, row, column, value
        Where it is. ``row`` counts like a spreadsheet does: the header is row 1,
        the first item is row 2 (for JSON, the first record is row 1).
    more
        How many other problems of the same kind were found after this one.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        more: int = 0,
    ) -> None:
        self.file, self.row, self.column, self.value, self.more = file, row, column, value, more
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(_printable(self.file, 200))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{_printable(self.column, 80)}'")
        text = ", ".join(where)
        if self.value is not None and str(self.value) != "":
            value = _printable(self.value, 120)
            text += f": value {value!r}" if text else f"value {value!r}"
        reason = _printable(self.reason, 400)
        text = f"{text}: {reason}" if text else reason
        if self.more:
            text += f" (and {self.more} more row{'s' if self.more > 1 else ''} with the same problem)"
        return text
