"""Case and person context of every offence of a file, out of core (pass 1 of the model path).

The model's context features need the other offences of a case and the person's
earlier cases, which may be anywhere in an unsorted file. Pass 1 reads only the
fields the context needs (rule fields, disposal, case and person ids, date), gives
every row its own signals through the run's :class:`~pv_identify.stream.model_cache.ModelCache`
(which warms its caches for pass 2) and writes ``(row, case, person, their hashes,
date, signals, year, slot)`` to Arrow IPC files in a temporary directory (a background
thread hashes and writes while the next chunk is read ahead and slotted), split into
``P`` parts by a hash of the case (``P`` from the row count, about
:data:`ROWS_PER_PART` rows a part). Steps A, B
and C (:mod:`pv_identify.stream.context_parts`, numpy over one part at a time) then
compute, per row,

* the signals present in at least one / at least two offences of its case, and
  whether the case has more than one;
* the signals and number of the person's cases with a strictly earlier date
  (a case's person is the person of its first row, its date the earliest date;
  missing ids make a row its own case / person, as :func:`build_features` does):

A. per case part: the case aggregate; the cases with a person and a date go to
   person parts by a hash of the person;
B. per person part: the history over the person's cases, back to the case parts;
C. per case part: the rows with their case's context, in row order.

:class:`ContextReader` merges the ``P`` sorted files back in row order during pass 2.
With the same rows, the context equals what
:func:`~pv_identify.model.features.feature_context` computes on the whole frame.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import InputFileError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.readers import file_format, iter_arrow, iter_extract, row_count
from pv_identify.model.features import SIGNALS, FeatureContext
from pv_identify.normalize.dates import arrow_dates, parse_dates
from pv_identify.stream.context_parts import BITS, part_number, scratch_compression, summarise
from pv_identify.stream.context_rollups import RowCodes, missing_case_ids, usable
from pv_identify.stream.distinct import decoded
from pv_identify.stream.heap import trim_heap
from pv_identify.stream.interrupt import clean_up
from pv_identify.stream.partition import PartFiles, PartGroups, group_rows
from pv_identify.stream.readahead import read_ahead

#: Rows per part of steps A, B and C (numpy, in memory: a part being aggregated holds
#: ~300 bytes a row at its peak). Small files are one part. 500k (was 1M): two parts are
#: worked on at once (:data:`~pv_identify.stream.context_parts.STEP_WORKERS`), and two
#: 1M-row parts lifted a 10M-row run's peak from ~0.8 to 1.0 GiB.
ROWS_PER_PART = 500_000
#: Bytes per row assumed for files without a row count in their metadata (CSV, Excel,
#: Stata): a low guess, so the parts come out small rather than large.
_BYTES_PER_ROW_GUESS = 100
#: Rows pass 1 buffers over all parts before writing a part's rows (a row group).
_BUFFER_ROWS = 400_000
_MIN_GROUP_ROWS = 8_192
#: Pass 1's files: Arrow IPC (10M rows written and read back in ~0.25 s uncompressed,
#: against ~3.3 s as lz4 Parquet), uncompressed (~75 bytes a row) up to
#: :data:`~pv_identify.stream.context_parts.UNCOMPRESSED_PARTS` parts, lz4 (~40 bytes a
#: row, +0.08 s per 1M rows) beyond, so the scratch files of a very large file stay
#: about half the size.
_ROWS_FORMAT = "arrow"
#: Rows held over all parts' sorted files during pass 2 (a row group of each: about
#: 22 bytes a row). pyarrow's ``iter_batches`` buffered ~20 MB per 1M-row file, 1 GB
#: over 50 parts; one row group at a time holds only that.
_MERGE_BUFFER_ROWS = 2_000_000
_MERGE_GROUP_ROWS = (2_048, 65_536)

#: Bits of a signal mask; a case's context is packed into one integer:
#: signals once | twice << B | (size > 1) << 2B | history << 2B+1 | min(earlier cases, 3) << 3B+1.
_BITS = len(SIGNALS)
assert 3 * _BITS + 3 <= 63 and _BITS <= 15 and _BITS == BITS


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


class _SortedPart:
    """One part's summaries (a Parquet or Arrow IPC file sorted by row), a group at a time."""

    def __init__(self, path: Path) -> None:
        self._file = PartGroups(path, ["row", "slot", "ctx", "year"])
        self._groups = iter(range(self._file.count))
        self._columns: list[np.ndarray] = []
        self._pos = 0
        self._done = False

    def below(self, end: int) -> Iterator[list[np.ndarray]]:
        """Yield the next rows numbered below ``end`` as ``[row, slot, ctx, year]`` arrays."""
        while not self._done:
            if not self._columns or self._pos == len(self._columns[0]):
                group = next(self._groups, None)
                if group is None:
                    self._done = True
                    self.close()
                    return
                table = self._file.read(group)
                self._columns = [table.column(i).to_numpy() for i in range(4)]
                self._pos = 0
            rows = self._columns[0]
            stop = self._pos + int(np.searchsorted(rows[self._pos:], end))
            if stop > self._pos:
                yield [c[self._pos:stop] for c in self._columns]
            self._pos = stop
            if stop < len(rows):
                return

    def close(self) -> None:
        self._groups = iter(())
        self._columns = []
        self._file.close()


class ContextReader:
    """Stream the pass-1 summaries back in row order, ``take(n)`` rows at a time.

    A k-way merge of the parts' files (each sorted by row number): ``take(n)`` takes
    from every part the rows below the next ``n`` and scatters them into place, so
    memory is a row group per part.

    Parameters
    ----------
    paths : list of pathlib.Path
        The parts' sorted summary files (columns ``row``, ``slot``, ``ctx``, ``year``).
    workdir : tempfile.TemporaryDirectory
        Holds them (removed by :meth:`close`).
    epoch : int, optional
        See :class:`CaseSummary`.
    codes : RowCodes, optional
        Given, every ``take`` notes where each case part's rows are in the chunk, for
        the roll-ups taken from the context pass
        (:mod:`pv_identify.stream.context_rollups`); see :meth:`detach_codes`.
    """

    def __init__(self, paths: list[Path], workdir: tempfile.TemporaryDirectory[str],
                 epoch: int | None = None, codes: RowCodes | None = None) -> None:
        self._workdir = workdir
        self.epoch = epoch
        self.codes = codes
        # the case part of each file (named by summarise), for the roll-up codes
        self._numbers = ([part_number(p) for p in paths] if codes is not None
                         else list(range(len(paths))))
        self._parts = [_SortedPart(p) for p in paths]
        self._start = 0

    def take(self, n: int) -> CaseSummary:
        """Return the summaries of the next ``n`` rows.

        Raises
        ------
        RuntimeError
            If the parts do not hold exactly those rows (pass 2 read another file).
        """
        import pyarrow as pa

        start, end = self._start, self._start + n
        slot = np.empty(n, dtype=np.int32)
        ctx = np.empty(n, dtype=np.int64)
        year = np.empty(n, dtype=np.int16)
        filled = 0
        taken: list[tuple[int, np.ndarray]] = []
        for number, part in zip(self._numbers, self._parts, strict=True):
            for rows, s, c, y in part.below(end):
                at = rows - start
                slot[at] = s
                ctx[at] = c
                year[at] = y
                filled += len(rows)
                if self.codes is not None:
                    taken.append((number, at))
        if filled != n:
            raise RuntimeError(f"the context pass has {filled} rows numbered {start} to "
                               f"{end - 1}, expected {n}: the file changed between passes?")
        self._start = end
        if self.codes is not None:
            self.codes.positions(taken)
        return CaseSummary(pa.table({"slot": slot, "ctx": ctx, "year": year}), self.epoch)

    def detach_codes(self) -> RowCodes | None:
        """Hand the roll-up codes over to the caller (:meth:`close` then leaves them)."""
        codes, self.codes = self.codes, None
        return codes

    def close(self) -> None:
        """Close the parts' files and remove the temporary directories."""
        try:
            for part in self._parts:
                part.close()
            self._parts = []
        finally:
            try:
                self._workdir.cleanup()
            finally:
                if self.codes is not None:
                    self.codes.close()
                    self.codes = None


def _row_files(directory: Path, parts: int) -> PartFiles:
    """Pass 1's rows, split into ``parts`` by case hash, a few Parquet files per part.

    The part of each row is given by :class:`_Hasher` (the files' own hashing is unused).
    """
    return PartFiles(directory, parts, ["ck"], 'hash("ck")',
                     group_rows(_BUFFER_ROWS, parts, _MIN_GROUP_ROWS), "rows",
                     scratch_compression(parts), file_format=_ROWS_FORMAT)


class _Hasher:
    """64-bit hashes of the case and person ids of pass 1's chunks, and their parts.

    DuckDB's ``hash`` (equal ids, equal hashes, in every chunk): the part of a row is
    its case hash modulo the parts (a row without case id: its row number), and steps
    A and B group the ids by their hashes (:func:`~pv_identify.stream.context_parts.group_codes`).
    One connection, used by the inserter thread only.
    """

    def __init__(self, parts: int) -> None:
        import duckdb

        self.parts = parts
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET threads = 1")

    def hashes(self, case: Any, person: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return the 64-bit hashes of case and person id arrays (as pass 1 stores them)."""
        import pyarrow as pa

        self._con.register("chunk", pa.table({"ck": case, "pk": person}))
        try:
            got = self._con.execute(
                'SELECT hash("ck") AS ch, hash("pk") AS ph FROM chunk').fetchnumpy()
        finally:
            self._con.unregister("chunk")
        return (np.asarray(got["ch"], dtype=np.uint64),
                np.asarray(got["ph"], dtype=np.uint64))

    def add_hashes(self, table: Any) -> tuple[Any, np.ndarray | None]:
        """Return ``table`` with columns ``ch`` and ``ph``, and each row's part.

        A table that has them (hashed in the read-ahead thread: :func:`_chunk_ids`)
        keeps them; only the parts are computed.
        """
        import pyarrow as pa

        if "ch" not in table.schema.names:
            ch, ph = self.hashes(table.column("ck"), table.column("pk"))
            table = table.append_column("ch", pa.array(ch)).append_column("ph", pa.array(ph))
        ch = table.column("ch").to_numpy()
        if self.parts == 1:
            return table, None
        rows = table.column("row").to_numpy()
        # small unsigned part numbers: the stable sort that splits the rows by part
        # (partition.slices_by_part) is then a radix sort
        part = np.where(_is_null(table.column("ck")), rows % self.parts,
                        ch % np.uint64(self.parts)).astype(
                            np.uint16 if self.parts <= 1 << 16 else np.int64)
        return table, part

    def close(self) -> None:
        self._con.close()


def _arrow_rows(table: Any, rows: np.ndarray, decode: frozenset[str] = frozenset()
                ) -> pd.DataFrame:
    """Rows of ``table`` as pandas; the columns ``decode`` (read as dictionaries) as values."""
    import pyarrow as pa

    return decoded(table.take(pa.array(rows)), decode).to_pandas()


def dictionary_columns(path: str | Path, keys: list[str], exclude: list[str]) -> list[str]:
    """Key columns of a Parquet file pass 1 reads as dictionaries.

    The rule fields and the disposal are plain strings of a few hundred distinct
    values, stored dictionary-encoded: read as Arrow dictionaries they are neither
    decoded into per-row strings nor hashed again to be factorised (the dictionary's
    values are looked up once per row group, see
    :meth:`~pv_identify.stream.distinct.DistinctTagger.slots`). Columns that are
    also ids or dates (``exclude``) and columns of other types are read as they are.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if file_format(path) != "parquet":
        return []
    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError, pa.ArrowException):
        return []  # the reader reports it
    return [name for name in keys if name not in exclude and name in schema.names
            and pa.types.is_string(schema.field(name).type)]


def _parquet_chunks(path: Path, columns: list[str], chunk_rows: int,
                    dictionary: list[str]) -> Iterator[Any]:
    """Record batches of ``columns`` as tables, ``dictionary`` columns as dictionaries.

    As :func:`~pv_identify.io.readers.iter_arrow` (within each row group, errors as
    :class:`~pv_identify.errors.InputFileError`), with ``read_dictionary``. The columns
    are decoded in the calling (read-ahead) thread, not on Arrow's pool: the pass's
    main and inserter threads keep the two cores (10M rows: pass 1 2.2 -> 2.0 s,
    ~0.3 cpu s and ~40 MiB less).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not dictionary:
        yield from iter_arrow(path, chunk_rows=chunk_rows, columns=columns, use_threads=False)
        return
    # (dictionary_columns read the schema: the file exists and is Parquet)
    try:
        parquet = pq.ParquetFile(path, pre_buffer=False, read_dictionary=dictionary)
        for group in range(parquet.num_row_groups):
            for batch in parquet.iter_batches(batch_size=chunk_rows, row_groups=[group],
                                              columns=columns, use_threads=False):
                yield pa.Table.from_batches([batch])
    except (ValueError, OSError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: cannot read as parquet: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") from None


def _chunks(path: Path, columns: list[str], chunk_rows: int,
            read_options: dict[str, Any] | None = None,
            dictionary: list[str] | None = None,
            prepare: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """Read only ``columns`` (Arrow tables for Parquet, pandas frames otherwise).

    With ``prepare`` the items are pairs ``(chunk, prepare(chunk))``, ``prepare`` run
    in the read-ahead thread for Parquet chunks (``None`` for a pandas frame).
    """
    if file_format(path) == "parquet":
        # record batches within each row group: memory is bounded by a chunk, not by a
        # row group (1M-row groups lifted the run's peak)
        chunks = (chunk for chunk in _parquet_chunks(path, columns, chunk_rows,
                                                     dictionary or []) if chunk.num_rows)
        yield from read_ahead((chunk, prepare(chunk)) for chunk in chunks) if prepare \
            else read_ahead(chunks)
        return
    for frame in iter_extract(path, chunk_rows=chunk_rows, **(read_options or {})):
        yield (frame[columns], None) if prepare else frame[columns]


def needs_context(mapping: ColumnMapping) -> bool:
    """Return True if the model's context needs a pass over the whole file (a case id)."""
    return bool(mapping.get("case_id"))


def part_count(path: str | Path, rows_per_part: int | None = None) -> int:
    """Return the number of parts of the context pass for ``path``.

    About ``rows_per_part`` (default :data:`ROWS_PER_PART`) rows a part, from the row
    count in the file's metadata, else from its size (:data:`_BYTES_PER_ROW_GUESS`).
    """
    per_part = ROWS_PER_PART if rows_per_part is None else rows_per_part
    if per_part < 1:
        raise ValueError("rows_per_part must be at least 1")
    rows = row_count(path)
    if rows is None:
        try:
            rows = Path(path).stat().st_size // _BYTES_PER_ROW_GUESS
        except OSError:
            rows = 0
    return max(1, math.ceil(rows / per_part))


def case_context(path: str | Path, mapping: ColumnMapping, cache: Any, chunk_rows: int,
                 *, encoding: str | None = None,
                 sheet: str | int | None = None, parts: int | None = None,
                 rollups: bool = False) -> ContextReader:
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
    encoding, sheet : optional
        Passed to :func:`pv_identify.io.readers.iter_extract`.
    parts : int, optional
        Parts of steps A, B and C (default :func:`part_count`); the result does not
        depend on it.
    rollups : bool, default False
        Prepare the case and person roll-ups from this pass where they can be
        (:func:`pv_identify.stream.context_rollups.usable`): the reader then has
        :attr:`ContextReader.codes`.

    Returns
    -------
    ContextReader
        Summaries in row order; close it after use.
    """
    path = Path(path)
    case_col = mapping.get("case_id")
    if not case_col:
        raise ValueError("the context pass needs a case id column (see needs_context)")
    if parts is None:
        parts = part_count(path)
    if parts < 1:
        raise ValueError("parts must be at least 1")
    person_col = mapping.get("person_id")
    date_col = mapping.get("registration_date") or mapping.get("offence_date")
    keys = list(cache.distinct.key_columns)
    wanted = list(dict.fromkeys([*keys, *(c for c in (case_col, person_col, date_col) if c)]))
    as_dictionary = dictionary_columns(path, keys, [c for c in (case_col, person_col, date_col)
                                                    if c])
    workdir = tempfile.TemporaryDirectory(prefix="pv_context_")
    codes: RowCodes | None = None
    if rollups and file_format(path) == "parquet" and usable(
            _file_schema(path), case_col, person_col):
        codes = RowCodes(tempfile.TemporaryDirectory(prefix="pv_context_rollups_"), parts)
    inserter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pv_context_insert")
    files: PartFiles | None = None
    hasher = _Hasher(parts)
    reader_hasher = _Hasher(parts)  # used by the read-ahead thread only
    reading: Iterator[Any] | None = None
    try:
        files = _row_files(Path(workdir.name), parts)
        start = 0
        pending: Future[None] | None = None
        epochs: set[int] = set()
        reading = _chunks(path, wanted, chunk_rows, {"encoding": encoding, "sheet": sheet},
                          as_dictionary, _HashedIds(reader_hasher, case_col, person_col))
        for chunk, ids in reading:
            arrow = not isinstance(chunk, pd.DataFrame)
            n = chunk.num_rows if arrow else len(chunk)
            fetch: Callable[[np.ndarray], pd.DataFrame]
            if arrow:
                key_values = [chunk.column(c) for c in keys]
                fetch = functools.partial(_arrow_rows, chunk.select(keys),
                                          decode=frozenset(as_dictionary))
            else:
                key_values = [chunk[c] for c in keys]
                fetch = chunk[keys].iloc.__getitem__
            slots = cache.slots_of(key_values, fetch, n)
            epochs.add(cache.distinct.flushes)
            own = cache.own(slots)
            part = functools.partial(_part_table, chunk, arrow, start, slots, own,
                                     case_col, person_col, date_col, ids)
            if pending is not None:
                pending.result()  # one write in flight: bounded memory, errors surface here
            pending = inserter.submit(_insert, files, part, hasher)
            start += n
        if pending is not None:
            pending.result()
        inserter.shutdown()
        hasher.close()
        _close_reading(reading, reader_hasher)
        files.close()
        _release_memory()  # the chunks are gone: give their pages back before the steps
        # pass 2 reuses the slots unless the cache was flushed meanwhile
        epoch = epochs.pop() if len(epochs) == 1 else None
        extra = {"rollup_dir": codes.directory} if codes is not None else {}
        sorted_parts = summarise(files.files, Path(workdir.name), _merge_group_rows(parts),
                                 **extra)
        if codes is not None and missing_case_ids(codes.directory):
            codes.close()  # rows without a case id: the roll-ups split their keys
            codes = None
        return ContextReader(sorted_parts, workdir, epoch, codes)
    except BaseException:
        # every step runs even if one fails; the first error is the one to report
        clean_up(codes.close if codes is not None else None,
                 lambda: inserter.shutdown(cancel_futures=True),  # waits for a running write
                 hasher.close,
                 lambda: _close_reading(reading, reader_hasher),
                 files.close if files is not None else None,
                 workdir.cleanup)
        raise


def _close_reading(reading: Iterator[Any] | None, hasher: _Hasher) -> None:
    """Stop the read-ahead thread (its generator closed: joined), then close its hasher."""
    try:
        close = getattr(reading, "close", None)
        if close is not None:
            close()
    finally:
        hasher.close()


def _file_schema(path: Path) -> Any:
    """Return the Arrow schema of a Parquet file (empty if unreadable: the reader says why)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path)
    except (OSError, ValueError, pa.ArrowException):
        return pa.schema([])


def _merge_group_rows(parts: int) -> int:
    """Row group size of the sorted files: pass 2 holds one group of each part."""
    return group_rows(_MERGE_BUFFER_ROWS, parts, *_MERGE_GROUP_ROWS)


def _release_memory() -> None:
    """Collect young garbage and return freed heap pages to the system (:func:`trim_heap`).

    The pass's chunks are freed by reference counting; the young generations hold what
    cycles they left. A full collection also rescanned every long-lived cache object
    (10M rows: 0.11 s on the critical path, for 20 objects).
    """
    import gc

    gc.collect(1)
    trim_heap()


def _insert(files: PartFiles, part: Callable[[], Any], hasher: _Hasher) -> None:
    """Build one chunk's rows, hash its ids and add them to pass 1's part files.

    Runs in the inserter thread: the rows' ids and dates (:func:`_part_table`) are
    taken from the chunk here, and DuckDB and pyarrow release the GIL while they hash,
    split and write, so the main thread slots the next chunk meanwhile (its work
    bounds pass 1); the row number column keeps the order explicit.
    """
    table, parts = hasher.add_hashes(part())
    files.add(table, parts)


def _chunk_ids(chunk: Any, arrow: bool, case_col: str, person_col: str | None) -> tuple[Any, Any]:
    """Return a chunk's case and person ids as pass 1 stores them (see :func:`_key`)."""
    import pyarrow as pa

    n = chunk.num_rows if arrow else len(chunk)
    case = _key(_column(chunk, case_col, arrow))
    person = (_key(_column(chunk, person_col, arrow)) if person_col
              else pa.nulls(n, pa.string()))
    return case, person


class _HashedIds:
    """A chunk's ids and their hashes, made in the read-ahead thread (see :func:`case_context`).

    Pass 1 is bound by its inserter thread (the main thread waited ~5 s for it at 10M
    rows); the read-ahead thread had time to spare, so each Parquet chunk's ids are
    taken (:func:`_chunk_ids`) and hashed there (~1.6 cpu s, ~3.9 s of the inserter's
    wall time before), with the same function on the same arrays: the same hashes.
    """

    def __init__(self, hasher: _Hasher, case_col: str, person_col: str | None) -> None:
        self._hasher = hasher
        self._case_col = case_col
        self._person_col = person_col

    def __call__(self, chunk: Any) -> tuple[Any, Any, np.ndarray, np.ndarray]:
        case, person = _chunk_ids(chunk, True, self._case_col, self._person_col)
        ch, ph = self._hasher.hashes(case, person)
        return case, person, ch, ph


def _part_table(chunk: Any, arrow: bool, start: int, slots: np.ndarray, own: np.ndarray,
                case_col: str, person_col: str | None, date_col: str | None,
                ids: tuple[Any, Any, np.ndarray, np.ndarray] | None = None) -> Any:
    """Return pass 1's rows of one chunk: row number, ids, date, signals, year, slot.

    With ``ids`` (the chunk's ids and hashes from :class:`_HashedIds`) the table has
    the hash columns ``ch`` and ``ph`` too, as :meth:`_Hasher.add_hashes` appends them.
    """
    import pyarrow as pa

    n = len(slots)
    rows = np.arange(start, start + n, dtype=np.int64)
    if ids is not None:
        case, person = ids[0], ids[1]
    else:
        case, person = _chunk_ids(chunk, arrow, case_col, person_col)
    if date_col:
        date, year = _dates(chunk.column(date_col) if arrow else chunk[date_col])
    else:
        date = pa.nulls(n, pa.timestamp("ns"))
        year = np.full(n, -1, dtype=np.int64)
    if not person_col:
        date = pa.nulls(n, pa.timestamp("ns"))  # no person: no history
    columns = {
        "row": rows, "ck": case, "pk": person, "d": date, "bits": own.astype(np.int16),
        "year": year.astype(np.int16),
        "slot": slots.astype(np.int32)}
    if ids is not None:
        columns["ch"], columns["ph"] = pa.array(ids[2]), pa.array(ids[3])
    return pa.table(columns)


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


def _key(values: Any) -> Any:
    """Return an id column as pass 1 stores it: one plain type in every chunk.

    Dictionary columns are decoded (their dictionaries differ between chunks) and a
    chunk whose ids are all missing (typed null by the reader) becomes a string column,
    so a part's buffered chunks concatenate into one file schema. (The case hash is by
    value either way: DuckDB reads dictionaries as their values, and a missing id is
    hashed by row number.)
    """
    import pyarrow as pa

    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_null(values.type):
        values = values.cast(pa.string())
    return values
