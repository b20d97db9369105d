"""Input and output: column mapping, readers and atomic writers for extract files."""

from pv_identify.io.mapping import ColumnMapping, parse_map_options, read_mapping_config
from pv_identify.io.readers import iter_extract, read_extract
from pv_identify.io.writers import ExtractWriter, metadata_path, write_extract

__all__ = [
    "ColumnMapping",
    "ExtractWriter",
    "iter_extract",
    "metadata_path",
    "parse_map_options",
    "read_extract",
    "read_mapping_config",
    "write_extract",
]
