"""The inventory importer, in parts a reader can hold in mind.

- :mod:`.files`: bytes -> raw text tables (CSV, XLSX, JSON), row numbers as a spreadsheet shows
  them, non-regular files and oversized inputs refused (:mod:`.limits`);
- :mod:`.headers`: headers -> canonical columns (aliases, words, unit hints);
- :mod:`.cells`: numbers with units in cells, hard limits of each numeric column;
- :mod:`.dates`, :mod:`.categories`: dates, categories and countries;
- :mod:`.checks`: plausibility warnings, RAM in MB, duplicate ids;
- :mod:`.table`: the pipeline, :func:`read_inventory` and :func:`table_from_records`.
"""

from auditor.importer.headers import (
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    category_aliases,
    column_aliases,
    guess_header,
    map_headers,
)
from auditor.importer.table import parse_table, read_inventory, table_from_records

__all__ = [
    "CANONICAL_COLUMNS", "DATE_COLUMNS", "NUMBER_COLUMNS", "TEXT_COLUMNS", "category_aliases",
    "column_aliases", "guess_header", "map_headers", "parse_table", "read_inventory",
    "table_from_records",
]
