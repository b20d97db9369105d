"""Split a table's rows into parts by a hash of its ids.

One implementation for pass 1 of the model's context (:mod:`pv_identify.stream.history`)
and for the roll-ups (:mod:`pv_identify.stream.rollup_parts`).

The part of a row is DuckDB's ``hash`` of an id modulo the number of parts, so every
row of a case (or a person) lands in the same part whichever chunk it comes in; the
rows of a part keep their order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


def part_numbers(con: Any, table: Any, hash_sql: str, parts: int) -> np.ndarray:
    """Return each row's part: ``hash_sql`` (over ``table``'s columns) modulo ``parts``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An in-memory connection (one thread is enough).
    table : pyarrow.Table
        The rows (only the columns ``hash_sql`` names are needed).
    hash_sql : str
        A DuckDB expression giving a hash per row, e.g. ``hash("ck")``.
    parts : int
        Number of parts.

    Returns
    -------
    numpy.ndarray
        Part numbers, ``uint16`` when they fit.
    """
    con.register("chunk", table)
    try:
        part = con.execute(f"SELECT {hash_sql} % {parts} AS p FROM chunk").fetchnumpy()["p"]
    finally:
        con.unregister("chunk")
    return np.asarray(part, dtype=np.uint16 if parts <= 1 << 16 else np.int64)


def slices_by_part(table: Any, part: np.ndarray, parts: int) -> Iterator[tuple[int, Any]]:
    """Yield ``(k, rows of part k)`` for the parts that have rows, each in table order.

    One ``take`` in part order (a stable sort of small part numbers), then a zero-copy
    slice per part.
    """
    ordered = table.take(np.argsort(part, kind="stable"))
    bounds = np.concatenate([[0], np.cumsum(np.bincount(part, minlength=parts))])
    for k in np.flatnonzero(np.diff(bounds)):
        start, stop = int(bounds[k]), int(bounds[k + 1])
        yield int(k), ordered.slice(start, stop - start)
