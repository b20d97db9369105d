"""Person roll-up rows from cases in first-row order whose persons come in runs.

Registers usually list a person's cases one after another. The streamed case roll-up
(:mod:`pv_identify.stream.case_runs`) hands its cases on in order of first row; when
every person's cases are one run of that sequence, the person roll-up in order of
first case is the sequence of those runs, so it is computed batch by batch too
(:func:`~pv_identify.stream.rollup_parts.person_table` on whole runs, each run a
person; the last run of a batch waits for the next batch).

Whether the persons did come in runs is known only at the end: each run's person is
hashed (DuckDB's ``hash``, as pass 1 hashes them; cases without a person are one
person in the roll-ups, so their runs are checked the same way; :data:`HASH_BATCH_RUNS`
runs a query) and the hashes go to ``parts`` files by value; :meth:`PersonRuns.unique`
then looks for a hash in two runs, one file at a time (bounded memory). A repeated
hash (a person in two runs, or two persons with one hash) means the caller must roll
up the persons another way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from pv_identify.stream.partition import run_codes_of, run_starts
from pv_identify.stream.rollup_parts import person_table

__all__ = ["HASH_BATCH_RUNS", "PersonRuns", "run_starts"]

#: Runs whose persons are hashed in one DuckDB query: a query per batch of ~25k runs
#: cost ~3 ms of its own (10M rows: ~0.3 cpu s of the roll-up thread), one per ~260k
#: runs ~10x less; the persons held meanwhile are a few MB.
HASH_BATCH_RUNS = 1 << 18


class PersonRuns:
    """Persons of person rows in case order, handed on as their runs finish.

    Parameters
    ----------
    directory : pathlib.Path
        Where the run hashes' files go (``person_runs_<part>.bin``).
    parts : int
        Number of hash files (each holds about ``1 / parts`` of the runs).
    emit : callable
        Called with each table of finished persons (``aggregate_persons``' columns).
    """

    def __init__(self, directory: Path, parts: int, emit: Callable[[Any], None]) -> None:
        import duckdb

        self._directory = directory
        self._parts = max(parts, 1)
        self._emit = emit
        self._open: Any = None  # the rows of the last run seen
        self._sinks: list[Any] = [None] * self._parts
        self._con: Any = duckdb.connect(":memory:")
        self._con.execute("SET threads = 1")
        #: Runs' persons not hashed yet (hashed :data:`HASH_BATCH_RUNS` at a time).
        self._pending: list[Any] = []
        self._pending_runs = 0
        self.runs = 0

    def add(self, rows: Any) -> None:
        """Add person rows (``pk``, ``r0``, ``pv``, ``dv``, ``ck``, ``d``) in case order."""
        import pyarrow as pa

        if not rows.num_rows:
            return
        if self._open is not None:
            rows = pa.concat_tables([self._open, rows.cast(self._open.schema)])
        rows = rows.combine_chunks()
        starts = run_starts(rows.column("pk").combine_chunks())
        last = int(starts[-1])
        self._open = rows.slice(last)
        if last:
            self._hand_on(rows.slice(0, last), starts[:-1])

    def finish(self) -> None:
        """Hand the last run on and close the hash files (call once)."""
        try:
            if self._open is not None:
                self._hand_on(self._open, np.zeros(1, dtype=np.int64))
                self._open = None
            self._hash_pending()
        finally:
            self.close()

    def _hand_on(self, rows: Any, starts: np.ndarray) -> None:
        import pyarrow as pa

        heads = rows.select(["pk"]).take(pa.array(starts))
        self._pending.append(heads)
        self._pending_runs += len(starts)
        if self._pending_runs >= HASH_BATCH_RUNS:
            self._hash_pending()
        self.runs += len(starts)
        persons = person_table(rows, run_codes_of(starts, rows.num_rows),
                               heads.column("pk").combine_chunks())
        self._emit(persons.drop_columns(["r0"]))

    def _hash_pending(self) -> None:
        """Hash the runs' persons held so far (one DuckDB query) into the hash files."""
        import pyarrow as pa

        if not self._pending:
            return
        heads = pa.concat_tables(self._pending)
        self._pending, self._pending_runs = [], 0
        self._con.register("heads", heads)
        try:
            hashes = np.asarray(self._con.execute('SELECT hash("pk") AS h FROM heads')
                                .fetchnumpy()["h"], dtype=np.uint64)
        finally:
            self._con.unregister("heads")
        part = (hashes % np.uint64(self._parts)).astype(np.int64)
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(self._parts + 1))
        for k in np.flatnonzero(np.diff(bounds)):
            if self._sinks[k] is None:
                self._sinks[k] = open(self._path(int(k)), "wb")
            hashes[order[bounds[k]:bounds[k + 1]]].tofile(self._sinks[k])

    def _path(self, k: int) -> Path:
        return self._directory / f"person_runs_{k:04d}.bin"

    def unique(self) -> bool:
        """Return True if no two runs had one person hash (call after :meth:`finish`)."""
        for k in range(self._parts):
            path = self._path(k)
            if not path.exists():
                continue
            hashes = np.sort(np.fromfile(path, dtype=np.uint64))
            path.unlink()
            if len(hashes) > 1 and bool((hashes[1:] == hashes[:-1]).any()):
                return False
        return True

    def close(self) -> None:
        """Close the hash files and the hashing database (the files stay for :meth:`unique`)."""
        self._pending, self._pending_runs = [], 0
        for k, sink in enumerate(self._sinks):
            if sink is not None:
                sink.close()
                self._sinks[k] = None
        if self._con is not None:
            self._con.close()
            self._con = None
