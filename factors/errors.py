"""Root of the project's one exception tree.

It lives in the lowest layer (``factors`` imports nothing of ours) so that every part can raise
into the same tree; :mod:`auditor.errors` extends it with inventory errors.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base class of every error the auditor raises on purpose. Exit code 1 unless overridden."""

    exit_code = 1


class InputError(AuditorError):
    """Bad input from the user: a file, a cell, an option, a table. Exit code 2."""

    exit_code = 2


class FactorTableError(InputError):
    """A factor table is malformed: missing source, wrong unit dimension, low > value..."""


class QuantityError(InputError):
    """A text that cannot be read as a quantity of the expected dimension."""


class UnknownCountryError(InputError):
    """A country code or name that the factor library does not know (never a silent default)."""
