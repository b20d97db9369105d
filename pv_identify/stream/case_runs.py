"""Case roll-up rows from key rows whose cases are contiguous runs, while they stream.

Registers usually list a case's offences one after another. When every case's rows
are consecutive rows of the file (the model's context pass checks it:
:func:`~pv_identify.stream.context_rollups.contiguous_cases`), the case roll-up in
order of first row is the sequence of runs of equal case ids, so it can be computed
chunk by chunk during the tagging: each chunk's runs are numbered by a comparison of
neighbouring ids (no dictionary encoding, no split by case, no merge of parts), and
only the last run of a chunk waits for the next chunk (it may go on there).

:class:`CaseRuns` gives the table
:func:`~pv_identify.stream.rollup_parts.aggregate_cases` gives on the same rows
(``ck``, ``pk``, ``n``, ``d``, ``s0``, ``s1``, ..., ``r0``), a part of it at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pv_identify.stream.partition import (
    case_counts,
    date_column,
    earliest_dates,
    first_persons,
    key_flags,
    run_codes_of,
    run_starts,
)


def run_codes(ids: Any) -> np.ndarray:
    """Return the run number of each row (0, 1, ...: a new run where the id changes).

    Parameters
    ----------
    ids : pyarrow.Array
        The ids, none missing.

    Raises
    ------
    ValueError
        If an id is missing (a missing case id is no run of one case).
    """
    if ids.null_count:
        raise ValueError("a run of case ids with a missing id")
    return run_codes_of(run_starts(ids), len(ids))


def aggregate_runs(keys: Any, label_codes: list[int], with_person: bool) -> Any:
    """Return the runs of ``keys`` as cases, the table ``aggregate_cases`` gives.

    Parameters
    ----------
    keys : pyarrow.Table
        Key rows in row order: ``row``, ``ck``, ``pk``, ``d``, ``lab``, ``pv``, ``dv``
        (as :class:`~pv_identify.stream.rollups.RollupStore` builds them).
    label_codes : list of int
        The label codes counted after partner and domestic violence.
    with_person : bool
        Whether the table has ``pk``.
    """
    import pyarrow as pa

    ck = keys.column("ck").combine_chunks()
    codes = run_codes(ck)
    starts = np.flatnonzero(np.diff(codes, prepend=-1))
    d = keys.column("d")
    earliest = earliest_dates(d, codes, len(starts))
    flags = key_flags(keys, label_codes)
    pk = first_persons(keys.column("pk"), codes, starts) if with_person else None
    return case_counts(ck.take(pa.array(starts)), pk, codes, date_column(earliest, d.type),
                       flags, pa.array(keys.column("row").to_numpy()[starts]))


def _join(before: Any, after: Any) -> Any:
    """Return one case row from two one-row case tables of the same case, in row order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for name in before.schema.names:
        a, b = before.column(name), after.column(name)
        if name in ("ck", "r0"):
            arrays.append(a)
        elif name == "pk":
            arrays.append(pc.coalesce(a, b))  # the first non-missing person
        elif name == "d":
            arrays.append(pc.min_element_wise(a, b))  # missing only if both are
        else:
            arrays.append(pc.add(a, b))
    return pa.table(arrays, names=before.schema.names).cast(before.schema)


class CaseRuns:
    """Cases of contiguous key rows, handed on in order of first row as they finish.

    :meth:`add` takes the next key rows (the run's row order); every case whose rows
    all came is passed to ``emit`` as a table of cases (the last case of a chunk waits:
    its rows may go on in the next chunk, which then adds its counts). :meth:`finish`
    passes the last case.

    Parameters
    ----------
    label_codes : list of int
        See :func:`aggregate_runs`.
    with_person : bool
        See :func:`aggregate_runs`.
    emit : callable
        Called with each table of finished cases.
    """

    def __init__(self, label_codes: list[int], with_person: bool,
                 emit: Callable[[Any], None]) -> None:
        self._labels = label_codes
        self._with_person = with_person
        self._emit = emit
        self._open: Any = None  # the last case seen, a one-row table
        self.cases = 0

    def add(self, keys: Any) -> None:
        """Add the next key rows (see :func:`aggregate_runs`)."""
        import pyarrow as pa

        if not keys.num_rows:
            return
        cases = aggregate_runs(keys, self._labels, self._with_person)
        if self._open is not None:
            head = cases.slice(0, 1)
            if self._open.column("ck")[0].equals(head.column("ck")[0]):
                cases = pa.concat_tables([_join(self._open, head), cases.slice(1)])
            else:
                cases = pa.concat_tables([self._open.cast(cases.schema), cases])
        m = cases.num_rows
        self._open = cases.slice(m - 1)
        if m > 1:
            self._hand_on(cases.slice(0, m - 1))

    def _hand_on(self, cases: Any) -> None:
        self.cases += cases.num_rows
        self._emit(cases.combine_chunks())

    def finish(self) -> None:
        """Pass the last case on (call once, after the last :meth:`add`)."""
        if self._open is not None:
            self._hand_on(self._open)
            self._open = None
