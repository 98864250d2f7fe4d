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
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None and str(self.value) != "":
            text += f": value {str(self.value)!r}" if text else f"value {str(self.value)!r}"
        text = f"{text}: {self.reason}" if text else self.reason
        if self.more:
            text += f" (and {self.more} more row{'s' if self.more > 1 else ''} with the same problem)"
        return text


class WebInputError(InputError):
    """A bad web-measurement input (HAR file, journey file, URL, browser), located by file and
    entry index or line."""


class PagesFailedError(AuditorError):
    """Some web pages failed to load; the others were measured and reported (exit code 1)."""
