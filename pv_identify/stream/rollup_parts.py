"""Roll-ups of a large streamed file in parts: split by case while appended, merged back.

A file of many rows is rolled up in ``P`` parts (:func:`rollup_parts`): the key rows
(a ``row`` number, ``ck``, ``pk``, ``d``, ``lab``, ``pv``, ``dv``) go to ``P`` Arrow IPC
files (:data:`PART_FORMAT`: nothing to encode or decode) by a hash of the case id as
they are appended (:class:`KeyParts`, in a worker thread), so every case is whole in
one part, its rows in row order. Each part is then
aggregated in memory (:func:`aggregate_cases`): Arrow's dictionary encoding numbers
the cases by first appearance, so the part's cases come out in first-row order with
numpy counts and minima and no sort. One row per case (:func:`person_rows`) is split
the same way by person and each person part aggregated (:func:`aggregate_persons`,
sorted by first row). :func:`merge_sorted` reads the parts' results back in first-row
order, a batch of each part at a time. The threads (:func:`ordered_map`,
:func:`case_workers`) and the heap setting (:func:`pv_identify.stream.heap.kept_heap`) are used by
:meth:`pv_identify.stream.rollups.RollupStore.write`.

Why (bench/README.md, "Session 5: roll-ups at 50M"): DuckDB's aggregation over the
string ids grows faster than the rows (case aggregate of 10M key rows 2.5 s, of 50M
rows 36.5 s with the 160 MB limit, 21.2 s even with 1.5 GB), and the sorted fetches
of 36M cases spilled; parts of 0.5M rows cost the same per row at any size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from pv_identify.stream.heap import resident_bytes
from pv_identify.stream.partition import (  # noqa: F401  (ordered_map: used from here too)
    PartFiles,
    PartGroups,
    case_counts,
    date_column,
    earliest_dates,
    first_persons,
    first_positions,
    group_rows,
    ipc_options,
    key_flags,
    ordered_map,
    slices_by_part,
)

#: Key rows per part (files of up to this many rows are rolled up whole, in DuckDB).
ROWS_PER_PART = 500_000
#: Compression of the temporary part files (lz4: fewer bytes to disk at 50M rows, same time).
COMPRESSION = "lz4"
#: Format of the roll-up's temporary files: Arrow IPC (no encoding to write or decode
#: to read; 10M rows: ~3 s less CPU than lz4 Parquet), compressed with
#: :data:`IPC_COMPRESSION`.
PART_FORMAT = "arrow"
IPC_COMPRESSION = "none"
#: Rows buffered over all parts before a part's rows are written (a row group).
_BUFFER_ROWS = 400_000
_MIN_GROUP_ROWS = 4_096
#: Rows held over all parts' sorted files during the merge (a row group of each).
_MERGE_BUFFER_ROWS = 400_000
_MERGE_GROUP_ROWS = (4_096, 262_144)
#: Case parts rolled up at once (threads; one more is queued), at most: a part being
#: rolled up holds ~120 MB at 500k rows (:data:`PART_MEMORY`), so a second one is taken
#: only while the process's memory leaves room for it under :data:`MEMORY_BUDGET`
#: (:func:`case_workers`). One worker still overlaps with the person split's thread.
CASE_WORKERS = 2
#: Resident memory the roll-up phase keeps the process under when it picks its workers.
MEMORY_BUDGET = 1 << 30
#: Memory of one case part being rolled up, with its queued result and the heap it
#: leaves, with some margin (10M rows after a model run, from ~535 MiB: peaks 722 MiB
#: with one worker, 840-917 MiB with two).
PART_MEMORY = 224 << 20


def case_workers() -> int:
    """Return how many case parts to roll up at once (1 to :data:`CASE_WORKERS`).

    Two on a heap small enough that a second part in flight stays under
    :data:`MEMORY_BUDGET` (at most 576 MiB resident; 10M rows after a model run:
    ~530 MiB), else one (the larger heap of a 50M-row model run; also when the memory
    cannot be read).
    """
    resident = resident_bytes()
    if resident is None:
        return 1
    room = MEMORY_BUDGET - resident - PART_MEMORY
    return max(1, min(CASE_WORKERS, 1 + room // PART_MEMORY))


def rollup_parts(path: str | Path) -> int:
    """Return the number of parts of the roll-ups of ``path``.

    About :data:`ROWS_PER_PART` rows a part, from the row count in the file's metadata,
    else estimated from its size (see :func:`~pv_identify.stream.history.part_count`).
    """
    from pv_identify.stream.history import part_count

    return part_count(path, ROWS_PER_PART)


def merge_group_rows(parts: int) -> int:
    """Row group size of the parts' sorted files: the merge holds one group of each."""
    return group_rows(_MERGE_BUFFER_ROWS, parts, *_MERGE_GROUP_ROWS)


class KeyParts:
    """Rows split into ``parts`` Parquet files by a hash of one column, as they come.

    The key rows of a run by case (``ck``), and the roll-up's cases by person (``pk``),
    written by :class:`~pv_identify.stream.partition.PartFiles` (one file a part, large
    row groups whatever the chunk size). Rows without an id all go to the same part
    (one case, one person, as in the roll-ups).

    Parameters
    ----------
    directory : pathlib.Path
        Where the part files go (``<prefix>_<part>_0000.parquet``).
    parts : int
        Number of parts.
    schema : pyarrow.Schema
        Schema of the files (fields made nullable); every table given to
        :meth:`write_table` is cast to it.
    key : str, default "ck"
        The column hashed.
    prefix : str, default "keys"
        Start of the file names.
    background : bool, default False
        Hash, split and write in a worker thread (at most two tables in flight), so
        the streamed run tags the next chunk meanwhile (pyarrow, numpy's sort and
        DuckDB release the GIL).
    file_format : {"parquet", "arrow"}, default "parquet"
        Parquet (lz4) or Arrow IPC files (:data:`IPC_COMPRESSION`); read either with
        :func:`~pv_identify.stream.partition.read_part`.
    hashed : str, optional
        A ``uint64`` column holding DuckDB's ``hash`` of ``key`` for every row (the
        model's context pass has it): the parts are taken from it, not hashed again
        (the same parts); it is not written to the files.
    """

    def __init__(self, directory: Path, parts: int, schema: Any, key: str = "ck",
                 prefix: str = "keys", background: bool = False,
                 file_format: str = "parquet", hashed: str | None = None) -> None:
        import pyarrow as pa

        self.parts = parts
        self.schema = pa.schema([field.with_nullable(True) for field in schema
                                 if field.name != hashed])
        self._files = PartFiles(directory, parts, [key], f'hash("{key}")',
                                group_rows(_BUFFER_ROWS, parts, _MIN_GROUP_ROWS), prefix,
                                COMPRESSION if file_format == "parquet" else IPC_COMPRESSION,
                                schema=self.schema, statistics=False, file_format=file_format)
        self._worker = ThreadPoolExecutor(1) if background else None
        self._pending: deque[Future[None]] = deque()
        self._closed = False
        self._hashed = hashed

    def _add(self, table: Any) -> None:
        part = None
        if self._hashed is not None and self.parts > 1:
            hashes = np.asarray(table.column(self._hashed).to_numpy(), dtype=np.uint64)
            part = (hashes % np.uint64(self.parts)).astype(
                np.uint16 if self.parts <= 1 << 16 else np.int64)
        if self._hashed is not None:
            table = table.drop_columns([self._hashed])
        self._files.add(table, part)

    def write_table(self, table: Any) -> None:
        """Add a table of rows (cast to the files' schema)."""
        self._submit(self._add, table)

    def write_split(self, pieces: list[tuple[int, Any]]) -> None:
        """Add rows already split by part (:func:`split_by_hash` of this key's hash).

        The split (a sort and a ``take`` of every column) can then run in the caller's
        threads; the worker only buffers and writes the parts' rows.
        """
        self._submit(self._files.add_split, pieces)

    def _submit(self, work: Any, item: Any) -> None:
        if self._worker is None:
            work(item)
            return
        while len(self._pending) >= 2:
            try:
                self._pending.popleft().result()  # raises the worker's error
            except BaseException:
                self._closed = True  # nothing more is written
                self._release()
                raise
        self._pending.append(self._worker.submit(work, item))

    def part_paths(self) -> list[Path | None]:
        """Return the file of each part (None for a part without rows)."""
        return [files[0] if files else None for files in self._files.files]

    def close(self) -> None:
        """Write the buffered rows and close the files (once; a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        try:
            while self._pending:
                self._pending.popleft().result()
            self._files.close()
        finally:
            self._release()

    def _release(self) -> None:
        """Stop the worker, close the files and the hashing database."""
        try:
            if self._worker is not None:
                for future in self._pending:
                    future.cancel()
                self._pending.clear()
                self._worker.shutdown(wait=True)
                self._worker = None
        finally:
            self._files.release()


def split_by_hash(table: Any, parts: int, hashed: str) -> list[tuple[int, Any]]:
    """Return ``(k, rows of part k)`` of ``table`` by its ``hashed`` column, without it.

    The parts :class:`KeyParts` with ``hashed`` gives the same rows (each part's rows
    in table order), for :meth:`KeyParts.write_split`. One part: the whole table.
    """
    hashes = np.asarray(table.column(hashed).to_numpy(), dtype=np.uint64)
    table = table.drop_columns([hashed])
    if parts == 1:
        return [(0, table)]
    part = (hashes % np.uint64(parts)).astype(np.uint16 if parts <= 1 << 16 else np.int64)
    return list(slices_by_part(table, part, parts))


def write_sorted(table: Any, path: Path, group: int) -> None:
    """Write a part's results for :func:`merge_sorted` (``.arrow``: IPC, else Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix == ".arrow":
        with pa.ipc.new_file(path, table.schema, options=ipc_options(IPC_COMPRESSION)) as out:
            out.write_table(table, max_chunksize=max(group, 1))
        return
    pq.write_table(table, path, row_group_size=group, compression=COMPRESSION,
                   use_dictionary=False, write_statistics=False)


class _SortedFile:
    """One part's results (a file sorted by ``r0``), a row group (or batch) at a time."""

    def __init__(self, path: Path) -> None:
        self._file = PartGroups(path)
        self._read = self._file.read
        count = self._file.count
        self._groups = iter(range(count))
        self._table: Any = None
        self._r0 = np.empty(0, dtype=np.int64)
        self._pos = 0
        self.done = False

    def below(self, end: int) -> Iterator[Any]:
        """Yield the next rows with ``r0`` below ``end``, as table slices."""
        while not self.done:
            if self._pos == len(self._r0):
                group = next(self._groups, None)
                if group is None:
                    self.close()
                    return
                self._table = self._read(group)
                self._r0 = self._table.column("r0").to_numpy()
                self._pos = 0
            stop = self._pos + int(np.searchsorted(self._r0[self._pos:], end))
            if stop > self._pos:
                yield self._table.slice(self._pos, stop - self._pos)
            self._pos = stop
            if stop < len(self._r0):
                return

    def close(self) -> None:
        self.done = True
        self._groups = iter(())
        self._table = None
        self._r0 = np.empty(0, dtype=np.int64)
        self._file.close()


def merge_sorted(paths: list[Path], columns: list[str], step: int) -> Iterator[Any]:
    """Yield the rows of files sorted by ``r0`` in ``r0`` order (a k-way merge).

    Each table holds the rows whose ``r0`` falls in the next ``step`` row numbers
    (so at most ``step`` rows when ``r0`` is unique), with ``columns``; memory is a
    row group of each file.
    """
    import pyarrow as pa

    files = [_SortedFile(p) for p in paths]
    start = 0
    try:
        while files:
            end = start + step
            pieces = [piece for f in files for piece in f.below(end)]
            files = [f for f in files if not f.done]
            start = end
            if not pieces:
                continue
            # the files may differ in nullability only (a part without a missing id)
            table = pa.concat_tables(pieces, promote_options="default")
            order = _window_order(table.column("r0").to_numpy(), end - step, step)
            yield table.select(columns).take(order).combine_chunks()
    finally:
        for f in files:
            f.close()


def _window_order(r0: np.ndarray, start: int, step: int) -> np.ndarray:
    """Return the stable order of ``r0``, whose values are in ``[start, start + step)``.

    Unique values (a case's or person's first row) are placed by their offset in the
    window, a counting sort (10M rows, case and person merges: ~0.1 cpu s less than
    ``argsort``); with a repeated value, a stable ``argsort``.
    """
    if not len(r0) or int(r0.min()) < start or int(r0.max()) >= start + step:
        return np.argsort(r0, kind="stable")
    slot = np.full(step, -1, dtype=np.int64)
    slot[r0 - start] = np.arange(len(r0))
    order = slot[slot >= 0]
    if len(order) == len(r0):
        return order
    return np.argsort(r0, kind="stable")


def _encode(values: Any) -> tuple[np.ndarray, Any]:
    """Codes (numbered by first appearance) and distinct values, a missing value included."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values, null_encoding="encode")
    if not isinstance(encoded, pa.ChunkedArray):
        return np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64), \
            encoded.dictionary
    # chunks (a part file's batches, not copied into one) share one dictionary
    if not encoded.num_chunks:
        return np.empty(0, dtype=np.int64), pa.array([], values.type)
    codes = np.concatenate([np.asarray(chunk.indices.to_numpy(zero_copy_only=False),
                                       dtype=np.int64) for chunk in encoded.chunks])
    return codes, encoded.chunk(encoded.num_chunks - 1).dictionary


def _stamps(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps as int64 nanoseconds (0 where missing) and the missing mask."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    missing = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    ns = values.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
    return np.asarray(ns, dtype=np.int64), missing


def _take(values: Any, index: np.ndarray, present: np.ndarray) -> Any:
    """``values[index]`` where ``present``, missing elsewhere."""
    import pyarrow as pa

    return values.take(pa.array(np.where(present, index, 0), mask=~present))


def aggregate_cases(keys: Any, label_codes: list[int], with_person: bool) -> Any:
    """Return one part's cases, in order of first row, from its key rows in row order.

    As the whole-file query: a case per distinct ``ck`` (missing ids are one case);
    ``n`` offences, ``d`` the earliest date, ``pk`` the first non-missing person,
    ``r0`` the first row, and the counts ``s0``, ``s1``, ... of partner violence,
    domestic violence and of each label code in ``label_codes``. Arrow's dictionary
    encoding numbers the cases by first appearance, so no sort is needed.
    """
    import pyarrow as pa

    codes, cases = _encode(keys.column("ck"))
    first = first_positions(codes)
    d = keys.column("d")
    earliest = earliest_dates(d, codes, len(cases))
    flags = key_flags(keys, label_codes)
    pk = first_persons(keys.column("pk"), codes, first) if with_person else None
    return case_counts(cases, pk, codes, date_column(earliest, d.type), flags,
                       pa.array(keys.column("row").to_numpy()[first]))


def person_rows(cases: Any) -> Any:
    """Return a part's cases as the person roll-up's input, one row per case.

    ``(pk, r0, pv, dv, ck, d)``: ``pv`` / ``dv`` whether the case has partner /
    domestic violence; ``ck`` and ``d`` only for partner-violence cases (the person
    roll-up needs no other); and ``ph`` (the person's hash, for the split by person)
    when ``cases`` has it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    pv = pc.greater(cases.column("s0"), 0)
    columns = {
        "pk": cases.column("pk"), "r0": cases.column("r0"), "pv": pv,
        "dv": pc.greater(cases.column("s1"), 0),
        "ck": pc.if_else(pv, cases.column("ck"), pa.scalar(None, cases.schema.field("ck").type)),
        "d": pc.if_else(pv, cases.column("d"), pa.scalar(None, cases.schema.field("d").type)),
    }
    if "ph" in cases.schema.names:
        columns["ph"] = cases.column("ph")
    return pa.table(columns)


def rank_order(codes: np.ndarray, ns: np.ndarray, missing: np.ndarray,
               r0: np.ndarray) -> np.ndarray:
    """Return ``np.lexsort((r0, ns, missing, codes))``, sorting once.

    By person code, then missing date last, date, first row. Whole days (the usual
    case) and each row's rank by ``r0`` are packed with the code into one int64 key
    per row and sorted once; with unique ``r0`` the keys are unique, so any sort gives
    the lexsort's order (10M rows, person parts' partner-violence cases: ~7 ms a part
    against ~22). Otherwise (other timestamps, keys over 62 bits, a repeated ``r0``)
    ``np.lexsort`` itself.
    """
    n = len(codes)
    if n < 2:
        return np.arange(n, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)  # the shift below needs 64 bits
    by_r0 = np.argsort(r0, kind="stable")  # runs of increasing r0 (a case part each)
    ranked_r0 = r0[by_r0]
    if (ranked_r0[1:] == ranked_r0[:-1]).any():
        return np.lexsort((r0, ns, missing, codes))
    rank = np.empty(n, dtype=np.int64)
    rank[by_r0] = np.arange(n)
    dated = ns[~missing]
    low = int(dated.min()) if len(dated) else 0
    if len(dated) and int(dated.max()) - low >= 1 << 62:
        return np.lexsort((r0, ns, missing, codes))
    shifted = np.where(missing, 0, ns - low)
    day = 86_400 * 10**9
    if (shifted % day).any():
        return np.lexsort((r0, ns, missing, codes))
    days = shifted // day
    top = int(days.max()) + 1
    days[missing] = top  # a missing date after every date
    date_bits, rank_bits = top.bit_length(), (n - 1).bit_length()
    if int(codes.max()).bit_length() + date_bits + rank_bits > 62 or int(codes.min()) < 0:
        return np.lexsort((r0, ns, missing, codes))
    return np.argsort((codes << (date_bits + rank_bits)) | (days << rank_bits) | rank)


def aggregate_persons(rows: Any) -> Any:
    """Return one person part's persons, in order of first case, from its person rows.

    As the whole-file query: a person per distinct ``pk`` (missing ids are one
    person); ``n`` cases, ``npv`` / ``ndv`` with partner / domestic violence, ``fck``
    and ``fd`` the first partner-violence case and its date (earliest date, missing
    dates last, ties by first row), ``r0`` the first row of the first case.
    """
    codes, persons = _encode(rows.column("pk"))
    return person_table(rows, codes, persons)


def person_table(rows: Any, codes: np.ndarray, persons: Any) -> Any:
    """Return :func:`aggregate_persons` of ``rows`` whose persons are numbered already.

    ``codes`` gives each row's person (0, 1, ... by first appearance) and ``persons``
    each person's id: the persons of a streamed run come in runs, numbered without a
    dictionary encoding (:mod:`pv_identify.stream.person_runs`).
    """
    import pyarrow as pa

    m = len(persons)
    r0 = rows.column("r0").to_numpy()
    pv = np.asarray(rows.column("pv").to_numpy(zero_copy_only=False), dtype=bool)
    dv = np.asarray(rows.column("dv").to_numpy(zero_copy_only=False), dtype=bool)
    first = np.full(m, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, r0)
    npv = np.bincount(codes[pv], minlength=m).astype(np.int64)
    # the first PV case: per person, the PV row with the least (date missing, date, r0)
    at = np.flatnonzero(pv)
    ns, missing = _stamps(rows.column("d").take(pa.array(at)))
    order = rank_order(codes[at], ns, missing, r0[at])
    ranked = codes[at][order]
    lead = np.ones(len(ranked), dtype=bool)
    lead[1:] = ranked[1:] != ranked[:-1]
    winner = np.zeros(m, dtype=np.int64)
    winner[ranked[lead]] = at[order[lead]]
    has = npv > 0
    fck = _take(rows.column("ck").combine_chunks(), winner, has)
    fd = _take(rows.column("d").combine_chunks(), winner, has)
    table = pa.table({
        "pk": persons, "n": pa.array(np.bincount(codes, minlength=m).astype(np.int64)),
        "npv": pa.array(npv), "ndv": pa.array(np.bincount(codes[dv], minlength=m).astype(np.int64)),
        "fck": fck, "fd": fd, "r0": pa.array(first),
    })
    if m > 1 and not bool((first[1:] >= first[:-1]).all()):
        table = table.take(pa.array(np.argsort(first, kind="stable")))
    return table  # (persons numbered in runs are in order of first case already)
