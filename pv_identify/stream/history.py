"""Case and person context of every offence of a file, out of core (pass 1 of the model path).

The model's context features need the other offences of a case and the person's
earlier cases, which may be anywhere in an unsorted file. Pass 1 reads only the
fields the context needs (rule fields, disposal, case and person ids, date), gives
every row its own signals through the run's :class:`~pv_identify.stream.model_cache.ModelCache`
(which warms its caches for pass 2) and writes ``(row, case, person, date, signals)``
to a Parquet file per chunk in a temporary directory, which an embedded DuckDB
database (in memory, spilling to that directory beyond its memory limit) reads.
A few SQL steps then compute, per row,

* the signals present in at least one / at least two offences of its case, and
  the case size;
* the signals and number of the person's cases with a strictly earlier date
  (a case's person is the person of its first row, its date the earliest date;
  missing ids make a row its own case / person, as :func:`build_features` does);

and streams the result back in row order (:class:`ContextReader`). DuckDB runs with a
memory limit and spills to a temporary directory, so memory stays bounded whatever
the size of the file. With the same rows, the context equals what
:func:`~pv_identify.model.features.feature_context` computes on the whole frame.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.readers import file_format, iter_arrow, iter_extract
from pv_identify.model.features import SIGNALS, FeatureContext
from pv_identify.normalize.dates import arrow_dates, parse_dates

#: DuckDB memory limit of the context pass (it spills to disk beyond).
DUCKDB_MEMORY_LIMIT = "384MB"
#: Compression of pass 1's row files (written by pyarrow, read by DuckDB's queries;
#: lz4: ~27 bytes a row, about as fast as none).
_ROWS_COMPRESSION = "lz4"
#: DuckDB memory limit while the summaries stream back during pass 2.
DUCKDB_STREAM_MEMORY_LIMIT = "128MB"

#: Bits of a signal mask; a case's context is packed into one integer (see ``cc``):
#: signals once | twice << B | (size > 1) << 2B | history << 2B+1 | min(earlier cases, 3) << 3B+1.
_BITS = len(SIGNALS)
assert 3 * _BITS + 3 <= 63 and _BITS <= 15

#: Exact "signal in at least two offences" mask, one aggregate per signal (slow: only
#: for the few cases of ``_SPREAD_LIMIT`` offences or more, the UPDATE step below).
_TWICE = " | ".join(f"(CASE WHEN sum((bits >> {i}) & 1) >= 2 THEN {1 << i} ELSE 0 END)"
                    for i in range(len(SIGNALS)))

#: Bits per signal of a row's spread signals: signal ``i`` becomes ``1 << (_SPREAD * i)``,
#: so their sum over a case counts every signal in its own field -- exactly while the
#: case has fewer than ``_SPREAD_LIMIT`` offences (no field can carry). One sum instead
#: of one aggregate per signal (step ``c`` at 10M rows: 9.3 -> 6.4 cpu s).
_SPREAD = 4
_SPREAD_LIMIT = 1 << _SPREAD
assert _SPREAD * _BITS <= 63
#: The spread value of a row's signals (computed in the query: a column of it would
#: add 8 bytes per row to the table DuckDB holds and spills).
_SPREAD_SQL = " + ".join(f"((bits::BIGINT & {1 << i}) << {(_SPREAD - 1) * i})"
                         for i in range(_BITS))
#: The twice mask from the spread sum ``s``: field ``i`` >= 2.
_TWICE_SPREAD = " | ".join(
    f"((((s >> {_SPREAD * i + 1}) & {(1 << (_SPREAD - 1)) - 1}) != 0)::BIGINT << {i})"
    for i in range(_BITS))

#: Pass-1 summaries, one materialised step at a time: each step gets the whole memory
#: limit (one big query over 10M rows ran out of memory at 384 MB), and a case's
#: person comes from the aggregate itself (``arg_min_null``) instead of a join back.
_STEPS = (
    f"""CREATE OR REPLACE TABLE c AS
    SELECT ck, cn, d, cor, CASE WHEN n < {_SPREAD_LIMIT} THEN ({_TWICE_SPREAD}) END AS ctw,
           n, pk, pn
    FROM (SELECT ck, cn, min(d) AS d, bit_or(bits) AS cor, sum({_SPREAD_SQL}) AS s,
                 count(*) AS n, arg_min_null(pk, "row") AS pk, arg_min_null(pn, "row") AS pn
          FROM rows GROUP BY ck, cn)""",
    # the cases too large for the spread sum (ctw NULL) get the exact mask; a case
    # of two or more rows has a case id (a row without one is its own case, cn = -1)
    f"""UPDATE c SET ctw = x.ctw
    FROM (SELECT ck, ({_TWICE}) AS ctw FROM rows
          WHERE cn = -1 AND ck IN (SELECT ck FROM c WHERE ctw IS NULL) GROUP BY ck) x
    WHERE c.ctw IS NULL AND c.cn = -1 AND c.ck = x.ck""",
    # history in one window over the cases: the person's cases with a strictly
    # earlier date (EXCLUDE GROUP drops the cases of the same date; a case without
    # a date has none). Replaces a per-day table, a window over it and a join back.
    f"""CREATE OR REPLACE TABLE cc AS
    SELECT ck, cn,
           cor::BIGINT | (ctw::BIGINT << {_BITS})
           | (CASE WHEN n > 1 THEN {1 << 2 * _BITS} ELSE 0 END)
           | (CASE WHEN d IS NULL THEN 0
                   ELSE coalesce(bit_or(cor) OVER w, 0)::BIGINT << {2 * _BITS + 1} END)
           | (CASE WHEN d IS NULL THEN 0
                   ELSE least(count(*) OVER w, 3)::BIGINT << {3 * _BITS + 1} END) AS ctx
    FROM c
    WINDOW w AS (PARTITION BY pk, pn ORDER BY d ASC NULLS LAST
                 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP)""",
    "DROP TABLE c",
    # the join back to the rows as its own step too: joined and sorted in one
    # query it ran out of memory at 384 MB on 10M rows (7.3M cases); sorted here
    # under the full limit, the table is then streamed in insertion order during
    # pass 2 under a smaller one (ContextReader checks the order, else sorts).
    """CREATE OR REPLACE TABLE j AS
    SELECT r."row", r.slot, cc.ctx, r.year
    FROM rows r JOIN cc ON r.ck IS NOT DISTINCT FROM cc.ck AND r.cn = cc.cn""",
    "DROP VIEW IF EXISTS rows", "DROP TABLE IF EXISTS rows", "DROP TABLE cc",
    "SET preserve_insertion_order = true",
    'CREATE OR REPLACE TABLE o AS SELECT * FROM j ORDER BY "row"',
    "DROP TABLE j",
)

_QUERY = "SELECT slot, ctx, year FROM o"
_SORTED_QUERY = _QUERY + ' ORDER BY "row"'


class CaseSummary:
    """Per-row case and history summaries of a chunk (see :func:`FeatureContext.from_case_summary`).

    Parameters
    ----------
    table : pyarrow.Table
        Columns ``slot``, ``ctx`` (the case's packed context, see ``_BITS``) and
        ``year``, one row per offence.
    epoch : int, optional
        The model cache's flush count under which pass 1 gave the rows their slots
        (None: the cache was flushed during pass 1, the slots are not usable).
    """

    def __init__(self, table: Any, epoch: int | None = None) -> None:
        self.table = table
        self.epoch = epoch

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def context(self, own: np.ndarray) -> FeatureContext:
        """Return the feature context given the rows' own signals."""
        ctx = np.asarray(self.table.column("ctx").to_numpy(), dtype=np.int64)
        mask = (1 << _BITS) - 1
        return FeatureContext.from_case_summary(
            own, ctx & mask, (ctx >> _BITS) & mask, 1 + ((ctx >> 2 * _BITS) & 1),
            (ctx >> (2 * _BITS + 1)) & mask, ctx >> (3 * _BITS + 1),
            self.table.column("year").to_numpy())

    def slots(self, epoch: int) -> np.ndarray | None:
        """Return the rows' cache slots from pass 1 if still valid under ``epoch``."""
        if self.epoch is None or self.epoch != epoch or "slot" not in self.table.schema.names:
            return None
        return np.asarray(self.table.column("slot").to_numpy(), dtype=np.int64)


class ContextReader:
    """Stream the pass-1 summaries back in row order, ``take(n)`` rows at a time.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        The database holding the ``rows`` table.
    workdir : tempfile.TemporaryDirectory
        Where DuckDB's spill files live (removed by :meth:`close`).
    batch_rows : int
        Rows per fetched batch.
    epoch : int, optional
        See :class:`CaseSummary`.
    """

    def __init__(self, connection: Any, workdir: tempfile.TemporaryDirectory[str],
                 batch_rows: int, epoch: int | None = None) -> None:
        self._con = connection
        self._workdir = workdir
        self.epoch = epoch
        for step in _STEPS:
            connection.execute(step)
        # pass 2 holds the tagged chunks, the writer and the caches: the summaries
        # stream back (or are sorted, spilling) under a smaller limit
        connection.execute(f"SET memory_limit = '{DUCKDB_STREAM_MEMORY_LIMIT}'")
        #: Whether the joined table was already in row order (no sort needed).
        self.in_order = _in_row_order(connection, batch_rows)
        query = _QUERY if self.in_order else _SORTED_QUERY
        self._reader = connection.sql(query).to_arrow_reader(batch_rows)
        self._buffer: list[Any] = []
        self._buffered = 0

    def take(self, n: int) -> CaseSummary:
        """Return the summaries of the next ``n`` rows."""
        import pyarrow as pa

        while self._buffered < n:
            batch = self._reader.read_next_batch()
            self._buffer.append(batch)
            self._buffered += batch.num_rows
        table = pa.Table.from_batches(self._buffer).combine_chunks()
        head, rest = table.slice(0, n), table.slice(n)
        self._buffer = [b for b in rest.to_batches() if b.num_rows]
        self._buffered = rest.num_rows
        return CaseSummary(head, self.epoch)

    def close(self) -> None:
        """Close the database and remove its files.

        The Arrow reader over the query result and the buffered batches go first: a
        live reader keeps DuckDB's buffers (its memory limit's worth) after ``close``,
        which the roll-up queries that follow would add to (the 50M peak).
        """
        self._reader = None
        self._buffer = []
        self._buffered = 0
        try:
            self._con.close()
        finally:
            self._workdir.cleanup()


def _arrow_rows(table: Any, rows: np.ndarray) -> pd.DataFrame:
    import pyarrow as pa

    return table.take(pa.array(rows)).to_pandas()


def _in_row_order(connection: Any, batch_rows: int) -> bool:
    """Return True if a plain scan of ``o`` returns the rows in order 0, 1, 2, ..."""
    reader = connection.sql('SELECT "row" FROM o').to_arrow_reader(max(batch_rows, 65_536))
    expected = 0
    for batch in reader:
        rows = batch.column(0).to_numpy()
        if len(rows) and not (rows[0] == expected and (len(rows) == 1 or bool(
                (np.diff(rows) == 1).all()))):
            return False
        expected += len(rows)
    return True


def _chunks(path: Path, columns: list[str], chunk_rows: int,
            read_options: dict[str, Any] | None = None) -> Iterator[Any]:
    """Read only ``columns`` (Arrow tables for Parquet, pandas frames otherwise)."""
    if file_format(path) == "parquet":
        # record batches within each row group: memory is bounded by a chunk, not by a
        # row group (1M-row groups lifted the run's peak)
        yield from (chunk for chunk in iter_arrow(path, chunk_rows=chunk_rows,
                                                  columns=columns) if chunk.num_rows)
        return
    for frame in iter_extract(path, chunk_rows=chunk_rows, **(read_options or {})):
        yield frame[columns]


def needs_context(mapping: ColumnMapping) -> bool:
    """Return True if the model's context needs a pass over the whole file (a case id)."""
    return bool(mapping.get("case_id"))


def case_context(path: str | Path, mapping: ColumnMapping, cache: Any, chunk_rows: int,
                 *, memory_limit: str = DUCKDB_MEMORY_LIMIT, encoding: str | None = None,
                 sheet: str | int | None = None) -> ContextReader:
    """Run pass 1 over ``path`` and return a reader of the per-row summaries.

    Parameters
    ----------
    path : str or pathlib.Path
        The extract.
    mapping : ColumnMapping
        Resolved columns (needs ``case_id``; person and date give history).
    cache : ModelCache
        The run's model cache (prepared for the file's columns); its slots give the
        own signals and are warm for pass 2.
    chunk_rows : int
        Rows per chunk read.
    memory_limit : str, default DUCKDB_MEMORY_LIMIT
        DuckDB's memory limit.
    encoding, sheet : optional
        Passed to :func:`pv_identify.io.readers.iter_extract`.

    Returns
    -------
    ContextReader
        Summaries in row order; close it after use.
    """
    import duckdb
    import pyarrow as pa

    path = Path(path)
    case_col = mapping.get("case_id")
    if not case_col:
        raise ValueError("the context pass needs a case id column (see needs_context)")
    person_col = mapping.get("person_id")
    date_col = mapping.get("registration_date") or mapping.get("offence_date")
    keys = list(cache.distinct.key_columns)
    wanted = list(dict.fromkeys([*keys, *(c for c in (case_col, person_col, date_col) if c)]))
    workdir = tempfile.TemporaryDirectory(prefix="pv_context_")
    inserter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pv_context_insert")
    # In memory: no compression or checkpoints of the scratch tables (pass 1 ~20 % faster
    # at 1M rows); beyond memory_limit DuckDB offloads them to temp_directory. The rows
    # themselves go to Parquet files (see _insert).
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(f"SET temp_directory = '{Path(workdir.name) / 'spill'}'")
        con.execute("SET preserve_insertion_order = false")
        start = 0
        written = 0
        pending: Future[None] | None = None
        rows_dir = Path(workdir.name)
        epochs: set[int] = set()
        for chunk in _chunks(path, wanted, chunk_rows,
                             {"encoding": encoding, "sheet": sheet}):
            arrow = not isinstance(chunk, pd.DataFrame)
            n = chunk.num_rows if arrow else len(chunk)
            fetch: Callable[[np.ndarray], pd.DataFrame]
            if arrow:
                key_values = [chunk.column(c) for c in keys]
                fetch = functools.partial(_arrow_rows, chunk.select(keys))
            else:
                key_values = [chunk[c] for c in keys]
                fetch = chunk[keys].iloc.__getitem__
            slots = cache.slots_of(key_values, fetch, n)
            epochs.add(cache.distinct.flushes)
            own = cache.own(slots)
            rows = np.arange(start, start + n, dtype=np.int64)
            case = _column(chunk, case_col, arrow)
            person = _column(chunk, person_col, arrow) if person_col else pa.nulls(n)
            if date_col:
                date, year = _dates(chunk.column(date_col) if arrow else chunk[date_col])
            else:
                date = pa.nulls(n, pa.timestamp("ns"))
                year = np.full(n, -1, dtype=np.int64)
            if not person_col:
                date = pa.nulls(n, pa.timestamp("ns"))  # no person: no history
            part = pa.table({
                "row": rows, "ck": case,
                "cn": np.where(_is_null(case), rows, -1),
                "pk": person, "pn": np.where(_is_null(person), rows, -1),
                "d": date, "bits": own.astype(np.int16),
                "year": year.astype(np.int16),
                "slot": slots.astype(np.int32)})
            if pending is not None:
                pending.result()  # one write in flight: bounded memory, errors surface here
            pending = inserter.submit(_insert, rows_dir, part, written)
            written += 1
            start += n
        if pending is not None:
            pending.result()
        inserter.shutdown()
        _release_memory()  # the chunks are gone: give their pages back before the steps
        if written:
            # one file per chunk: DuckDB unifies the chunks' types (e.g. an id column
            # all missing in one chunk) as the INSERTs into one table used to
            con.execute("CREATE VIEW rows AS SELECT * FROM read_parquet("
                        f"'{rows_dir / 'rows_*.parquet'}', union_by_name = true)")
        else:
            con.execute('CREATE TABLE rows ("row" BIGINT, ck VARCHAR, cn BIGINT, pk VARCHAR, '
                        "pn BIGINT, d TIMESTAMP_NS, bits SMALLINT, year SMALLINT, slot INTEGER)")
        # pass 2 reuses the slots unless the cache was flushed meanwhile
        epoch = epochs.pop() if len(epochs) == 1 else None
        return ContextReader(con, workdir, max(chunk_rows, 1), epoch)
    except BaseException:
        inserter.shutdown(cancel_futures=True)  # waits for a running insert before closing
        con.close()
        workdir.cleanup()
        raise


def _release_memory() -> None:
    """Return freed heap pages to the system (Arrow's pool, glibc ``malloc_trim``)."""
    import ctypes
    import ctypes.util
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name and name.startswith("libc.so"):
        try:
            ctypes.CDLL(name).malloc_trim(0)
        except (OSError, AttributeError):
            pass


def _insert(directory: Path, part: Any, number: int) -> None:
    """Write one chunk's rows to ``rows_<number>.parquet`` in ``directory`` (inserter thread).

    pyarrow releases the GIL while it writes, so the next chunk's signals are computed
    meanwhile; the row number column keeps the order explicit. A Parquet file per chunk
    (read by the queries as the ``rows`` view) costs about half the CPU of inserting the
    chunks into a DuckDB table that spills beyond its memory limit.
    """
    import pyarrow.parquet as pq

    pq.write_table(part, directory / f"rows_{number:06d}.parquet",
                   compression=_ROWS_COMPRESSION)


def _dates(values: Any) -> tuple[Any, np.ndarray]:
    """Dates as an Arrow ``timestamp[ns]`` array and years (-1 when missing).

    As :func:`~pv_identify.normalize.dates.parse_dates` (the rule of the in-memory
    features and the roll-ups), through its Arrow fast path where it applies.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    stamps = arrow_dates(values)
    if stamps is not None:
        if isinstance(stamps, pa.ChunkedArray):
            stamps = stamps.combine_chunks()
        year = pc.fill_null(pc.year(stamps), -1).to_numpy(zero_copy_only=False)
        return stamps, np.asarray(year, dtype=np.int64)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = values.to_pandas()
    dates = parse_dates(pd.Series(values))
    date = pa.array(dates.to_numpy(dtype="datetime64[ns]"), from_pandas=True)
    return date, dates.dt.year.fillna(-1).to_numpy(dtype=np.int64)


def _column(chunk: Any, name: str, arrow: bool) -> Any:
    import pyarrow as pa

    if arrow:
        return chunk.column(name).combine_chunks()
    values = chunk[name]
    if values.dtype == object:
        return pa.array(values.to_numpy(dtype=object), from_pandas=True)
    return pa.array(values, from_pandas=True)


def _is_null(values: Any) -> np.ndarray:
    return np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
