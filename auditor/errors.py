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


class AgentFileError(InventoryError):
    """An inventory agent's file (FusionInventory/OCS XML, GLPI-agent JSON) that cannot be read.

    ``element`` is the path of the XML element or JSON field at fault
    (``REQUEST/CONTENT/STORAGES/DISKSIZE``), shown instead of a column.
    """

    def __init__(self, message: str, *, file: str | None = None, element: str | None = None,
                 value: object = None) -> None:
        self.element = element
        super().__init__(message, file=file, value=value)

    def _format(self) -> str:
        text = str(self.file or "")
        if getattr(self, "element", None):
            text += f", element {self.element}" if text else f"element {self.element}"
        if self.value is not None and str(self.value) != "":
            shown = str(self.value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            text += f": value {shown!r}"
        return f"{text}: {self.reason}" if text else self.reason


class OptionsError(InputError):
    """A problem in an options or scenario file (``auditor compare``, ``auditor scenario``).

    One line naming the file, the option or scenario (its id, else its line), the field, the value
    (shortened) and what was expected.
    """

    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None,
                 line: int | None = None, field: str | None = None, value: object = None,
                 kind: str = "option") -> None:
        self.file, self.entry, self.line, self.field, self.value = file, entry, line, field, value
        self.reason = message
        where = []
        if file:
            where.append(str(file))
        if entry is not None:
            where.append(f"{kind} '{entry}'" + (f" (line {line})" if line else ""))
        elif line:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        text = ", ".join(where)
        if value is not None and str(value) != "":
            shown = str(value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            text += f": value {shown!r}"
        super().__init__(f"{text}: {message}" if text else message)


class WebInputError(InputError):
    """A bad web-measurement input (HAR file, journey file, URL, browser), located by file and
    entry index or line."""


class PagesFailedError(AuditorError):
    """Some web pages failed to load; the others were measured and reported (exit code 1)."""
