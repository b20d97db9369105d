"""Input and output: column mapping, readers and atomic writers for extract files."""

from pv_identify.io.mapping import ColumnMapping, parse_map_options, read_mapping_config
from pv_identify.io.readers import detect_encoding, iter_extract, read_extract
from pv_identify.io.writers import (
    ExtractWriter,
    check_output,
    metadata_path,
    write_excel_sheets,
    write_extract,
)

__all__ = [
    "ColumnMapping",
    "ExtractWriter",
    "check_output",
    "detect_encoding",
    "iter_extract",
    "metadata_path",
    "parse_map_options",
    "read_extract",
    "read_mapping_config",
    "write_excel_sheets",
    "write_extract",
]
