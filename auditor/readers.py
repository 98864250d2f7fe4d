"""Raw readers (kept for callers): they live in :mod:`auditor.importer.files`."""

from auditor.importer.files import (
    RawTable,
    check_input_path,
    decode,
    find_header,
    read_raw,
    sniff_delimiter,
)

__all__ = ["RawTable", "check_input_path", "decode", "find_header", "read_raw", "sniff_delimiter"]
