"""Columns pass 2 hands from the input Parquet file to the output as Arrow dictionaries.

The tagged file holds every input column again. A string column of a few hundred
distinct values (disposal, decision, country, the rule fields) is stored
dictionary-encoded in the input; read as plain strings, its values are decoded into
per-row strings and the Parquet writer hashes every row again to build the output's
dictionary (~0.2 cpu s per such column per 10M rows, on the writer thread, which bounds
pass 2). Read as an Arrow dictionary (``read_dictionary``), the writer takes the
dictionary as it is and only writes the indices; the Arrow schema stored in the output
names the column's own type (:class:`~pv_identify.io.writers.ExtractWriter`,
``stored_types``), so readers get the same values and types as before.

Only columns whose dictionary page is small in every row group are chosen: a column of
many distinct values (ids) has a large dictionary, which every chunk of its row group
would carry to the writer (measured: 10M rows, the two id columns as dictionaries cost
~6 cpu s more instead of less).

Columns of mostly distinct values (case and person ids) are written without a Parquet
dictionary (:func:`mostly_distinct`): the writer's dictionary attempt hashes every value
and falls back to plain pages once the dictionary is full (10M rows: 0.44 cpu s less
on the writer thread, the file 8 MB smaller).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Share of distinct values in the first chunk above which a string column is written
#: without a Parquet dictionary.
MOSTLY_DISTINCT = 0.5

#: Largest dictionary page (compressed bytes, per row group) of a column read as an
#: Arrow dictionary in pass 2. The reference extract's categorical columns have pages of
#: 0.03-11 KB; its id columns ~600 KB.
MAX_DICTIONARY_PAGE = 64 * 1024


def passthrough_types(path: str | Path, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Return the string columns of a Parquet file to read as dictionaries, with their type.

    Parameters
    ----------
    path : str or pathlib.Path
        The input Parquet file.
    exclude : iterable of str
        Columns read as they are whatever their encoding (ids and dates the run turns
        into pandas values, whose dtype must not change).

    Returns
    -------
    dict
        Column name -> its Arrow type in the file (``string``): every row group of the
        column has a dictionary page of at most :data:`MAX_DICTIONARY_PAGE` bytes. Empty
        when the file cannot be read (the reader reports it) or has no row group.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    skip = set(exclude)
    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
        meta = parquet.metadata
    except (OSError, ValueError, pa.ArrowException):
        return {}
    if meta.num_row_groups == 0:
        return {}
    # leaf columns of a flat schema: Parquet column i is Arrow field i
    if meta.num_columns != len(schema):
        return {}
    chosen: dict[str, Any] = {}
    for index, fld in enumerate(schema):
        if fld.name in skip or not pa.types.is_string(fld.type):
            continue
        if all(_small_dictionary(meta.row_group(g).column(index))
               for g in range(meta.num_row_groups)):
            chosen[fld.name] = fld.type
    return chosen


def _small_dictionary(column: Any) -> bool:
    """Whether a column chunk is stored with a dictionary page of at most the limit."""
    if not column.has_dictionary_page or column.dictionary_page_offset is None:
        return False
    page = column.data_page_offset - column.dictionary_page_offset
    return 0 < page <= MAX_DICTIONARY_PAGE


def mostly_distinct(table: Any, share: float = MOSTLY_DISTINCT) -> list[str]:
    """Return the string and binary columns of ``table`` with more than ``share`` distinct values.

    Parameters
    ----------
    table : pyarrow.Table
        The first chunk of the output (Arrow dictionaries are skipped).
    share : float, default MOSTLY_DISTINCT
        Distinct values per row above which a column is listed.

    Returns
    -------
    list of str
        Column names, in table order (none for a table without rows).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = table.num_rows
    if not rows:
        return []
    names = []
    for fld, column in zip(table.schema, table.columns, strict=True):
        kind = fld.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_binary(kind) or pa.types.is_large_binary(kind)):
            continue
        if pc.count_distinct(column, mode="all").as_py() > share * rows:
            names.append(fld.name)
    return names
