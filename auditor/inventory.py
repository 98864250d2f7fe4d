"""Inventory import (kept for callers): the importer lives in :mod:`auditor.importer`."""

from auditor.importer import (
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    category_aliases,
    column_aliases,
    guess_header,
    map_headers,
    parse_table,
    read_inventory,
    table_from_records,
)

__all__ = [
    "CANONICAL_COLUMNS", "DATE_COLUMNS", "NUMBER_COLUMNS", "TEXT_COLUMNS", "category_aliases",
    "column_aliases", "guess_header", "map_headers", "parse_table", "read_inventory",
    "table_from_records",
]
