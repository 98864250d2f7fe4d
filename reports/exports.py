"""Write a results table to CSV, XLSX, JSON or Parquet, safely (formula-safe, atomic).

The writer lives in the core, :mod:`auditor.writers`, so that ``auditor assess -o`` needs nothing
from ``reports`` (imports run one way: factors <- auditor <- reports); this module re-exports it
for the reports package and for existing callers.
"""

from __future__ import annotations

from auditor.writers import (
    FORMATS,
    atomic_write,
    check_outputs,
    format_for,
    neutralise_formulas,
    read_results,
    readable_mode,
    safe_text,
    write_results,
)

__all__ = [
    "FORMATS", "atomic_write", "check_outputs", "format_for", "neutralise_formulas", "read_results",
    "readable_mode", "safe_text", "write_results",
]
