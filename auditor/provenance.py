"""Which method made a results table: the tool version and the factor-table version.

Every results table carries two categorical columns (docs/results.md): ``tool_version`` (the
sobriety-auditor release) and ``method_version`` (a fingerprint of the factor tables and models
used). A year-over-year review (:mod:`auditor.review`) reads them to tell a change of the estate
from a change of the method.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.errors import InputError

#: Results columns written by :func:`add_provenance`.
PROVENANCE_COLUMNS: tuple[str, ...] = ("tool_version", "method_version")
#: A release number as written in ``tool_version`` (PEP 440 public part, plus ``dev``).
_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:[.+-]?[A-Za-z0-9.+-]*)?$")
#: Results tables older than this release have a different column contract.
OLDEST_COMPATIBLE = (0, 1)


@lru_cache(maxsize=1)
def tool_version() -> str:
    """Release of the installed sobriety-auditor (``"0.0.0+dev"`` for an uninstalled checkout)."""
    try:
        from importlib.metadata import version

        return version("sobriety-auditor")
    except Exception:  # noqa: BLE001 - an uninstalled checkout has no metadata
        return "0.0.0+dev"


def _tables_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=16)
def _hash_of_dir(data_dir: str, stamp: tuple) -> str:
    return _tables_hash(Path(data_dir))


def method_version(library) -> str:
    """Version of the method a factor library stands for.

    ``library.fingerprint()`` when the library has one (it covers factor packs too); otherwise
    ``tables-<hash>``: the first 16 hex digits of the SHA-256 of every ``*.csv`` table in the
    library's folder (names and contents, line endings normalised), so two libraries with the
    same tables get the same version and any edited factor gives another one.
    """
    fingerprint = getattr(library, "fingerprint", None)
    if callable(fingerprint):
        return str(fingerprint())
    data_dir = Path(library.data_dir)
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(data_dir.glob("*.csv")))
    return f"tables-{_hash_of_dir(str(data_dir), stamp)}"


def add_provenance(results: pd.DataFrame, library) -> pd.DataFrame:
    """``results`` with the two provenance columns (categorical: one value stored once)."""
    out = results.copy(deep=False)
    n = len(out)
    for name, value in (("tool_version", tool_version()), ("method_version", method_version(library))):
        out[name] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [value])
    return out


def parse_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of a release number, None when it is not one."""
    match = _VERSION.match(str(text).strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def check_results_version(results: pd.DataFrame, where: str) -> tuple[str | None, str | None]:
    """(tool version, method version) of a results table read from ``where``.

    Returns ``(None, None)`` for a table written before results carried them (then its method is
    unknown). Raises :class:`InputError` (exit 2) naming the file and the version when the table
    was written by an unknown release (not a version number, several releases mixed) or an
    incompatible one (another major release, older than :data:`OLDEST_COMPATIBLE`, or newer
    than this tool).
    """
    if "tool_version" not in results:
        return None, None
    values = [str(v) for v in pd.unique(results["tool_version"].dropna())]
    if len(values) != 1:
        shown = ", ".join(values[:3]) or "(empty)"
        raise InputError(f"{where}: column 'tool_version': value {shown!r}: unknown results version; "
                         "expected one sobriety-auditor release for the whole file")
    found = values[0]
    parsed = parse_version(found)
    ours = None if tool_version().endswith("+dev") else parse_version(tool_version())
    if parsed is None:
        raise InputError(f"{where}: column 'tool_version': value {found[:40]!r}: unknown results version; "
                         "expected a sobriety-auditor release number such as 0.1.0")
    if ours is not None and (parsed[0] != ours[0] or parsed[:2] < OLDEST_COMPATIBLE or parsed > ours):
        raise InputError(f"{where}: column 'tool_version': value {found!r}: results written by an "
                         f"incompatible release; expected {'.'.join(map(str, OLDEST_COMPATIBLE))} to "
                         f"{tool_version()} (re-assess the inventory with this release)")
    methods = [str(v) for v in pd.unique(results["method_version"].dropna())] if "method_version" in results else []
    return found, (methods[0] if len(methods) == 1 else None)
