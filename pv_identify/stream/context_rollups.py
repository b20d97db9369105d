"""Case roll-up parts from the model path's context pass, without a second split of the keys.

With a model and roll-ups, the context pass (:mod:`pv_identify.stream.history`) has
already split every row by a hash of its case and numbered each part's cases by first
row (step A, :mod:`pv_identify.stream.context_parts`). The roll-ups need the same cases
with counts of pass 2's outputs, so instead of appending every row's
``(case, person, date, label, flags)`` to key files split by case again during pass 2
(:class:`~pv_identify.stream.rollup_parts.KeyParts`) and encoding the ids once more:

* step A saves per case part the case of each row (``.npy``) and, per case, its id,
  first non-missing person (and that person's hash from pass 1), earliest date and
  first row (:func:`save_part`);
* pass 2 hands each chunk's output codes (:func:`row_codes`: label, partner and
  domestic violence in one byte) to :class:`RowCodes`, which appends them to the part
  of each row in the part's row order -- the order in which the context reader takes
  the part's rows;
* the roll-ups count the codes per case (:func:`aggregate_part`: ``bincount``), giving
  the table :func:`~pv_identify.stream.rollup_parts.aggregate_cases` gives on the
  part's key rows; the rest of the roll-ups is unchanged.

Used only where it is the same computation: Arrow input whose case and person ids are
plain strings, a person column, and no row without a case id (the context pass makes
such a row its own case, the roll-ups put them all in one); otherwise the roll-ups
split the key rows as before.
"""

from __future__ import annotations

import tempfile
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from pv_identify.schema import LABELS, OUT_DOMESTIC, OUT_LABEL, OUT_PARTNER
from pv_identify.stream.npy import load_array
from pv_identify.stream.partition import (
    case_counts,
    date_column,
    first_person_rows,
    take_persons,
)

#: Name of the marker step A leaves when a part has rows without a case id.
_MISSING = "missing_case_ids"
#: Name of the marker step A leaves when a part has a case whose rows are not
#: consecutive rows of the file (:func:`contiguous_cases`).
_SCATTERED = "scattered_cases"
#: Bytes of row codes buffered per part before they are appended to its file.
_FLUSH_BYTES = 1 << 16


def usable(schema: Any, case_col: str | None, person_col: str | None) -> bool:
    """Return True if the roll-ups can be taken from the context pass for this schema.

    Case and person ids must be plain Arrow strings (the roll-ups' key files keep them
    as they are; other types go through pandas there).
    """
    import pyarrow as pa

    if not case_col or not person_col:
        return False
    for name in (case_col, person_col):
        if name not in schema.names:
            return False
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return False
    return True


def save_part(directory: Path, k: int, table: Any, codes: np.ndarray, first: np.ndarray,
              earliest: np.ndarray) -> None:
    """Save what the roll-ups need of case part ``k`` (step A, after the aggregate).

    Parameters
    ----------
    directory : pathlib.Path
        The roll-up parts' directory.
    k : int
        The part's number.
    table : pyarrow.Table
        The part's pass-1 rows in row order (``row``, ``ck``, ``pk``, ``d`` and, if
        there, ``ph``: kept per case for the person split).
    codes : numpy.ndarray
        Each row's case number (by first appearance, as step A numbers them).
    first, earliest : numpy.ndarray
        Each case's first row and earliest date
        (:func:`~pv_identify.stream.partition.earliest_dates`), as step A has them.
    """
    import pyarrow as pa

    ck = table.column("ck")
    if ck.null_count:
        (directory / _MISSING).touch()  # one roll-up case for all of them: not here
        return
    if not runs_are_cases(codes, len(first), table.column("row").to_numpy()):
        (directory / _SCATTERED).touch()
    person_row, present = first_person_rows(table.column("pk"), codes, first)
    cases = pa.table({
        "ck": ck.take(pa.array(first)),
        "pk": take_persons(table.column("pk"), person_row, present),
        "d": date_column(earliest, table.column("d").type),
        "r0": pa.array(table.column("row").to_numpy()[first]),
    })
    if "ph" in table.column_names:
        # the person's hash (pass 1's, DuckDB's ``hash(pk)``; a case without a person:
        # the hash of a missing id): the person split need not hash the ids again
        cases = cases.append_column("ph", pa.array(table.column("ph").to_numpy()[person_row]))
    with pa.OSFile(str(_cases_path(directory, k)), "wb") as sink, \
            pa.ipc.new_file(sink, cases.schema) as writer:
        writer.write_table(cases)
    np.save(_codes_path(directory, k), codes.astype(np.int32, copy=False))


def runs_are_cases(codes: np.ndarray, cases: int, rows: np.ndarray) -> bool:
    """Return True if each case of a part is one run of consecutive rows of the file.

    Parameters
    ----------
    codes : numpy.ndarray
        Each row's case number (the part's rows in row order).
    cases : int
        Number of cases.
    rows : numpy.ndarray
        Each row's row number in the file.

    A case's rows are then rows ``r0`` to ``r0 + n - 1`` of the file: one run of
    neighbouring rows of the part with its code, each row the one after the last.
    """
    if len(codes) < 2:
        return True
    same = codes[1:] == codes[:-1]
    if len(codes) - int(np.count_nonzero(same)) != cases:
        return False  # a case in two or more runs of the part
    return bool(np.all(np.diff(rows)[same] == 1))


def contiguous_cases(directory: Path) -> bool:
    """Return True if step A found every case of every part in one run of rows.

    The case roll-up can then be computed from the runs of case ids while the file is
    tagged (:mod:`pv_identify.stream.case_runs`).
    """
    return not (directory / _SCATTERED).exists()


def _cases_path(directory: Path, k: int) -> Path:
    return directory / f"cases_{k:04d}.arrow"


def _codes_path(directory: Path, k: int) -> Path:
    return directory / f"codes_{k:04d}.npy"


def _rows_path(directory: Path, k: int) -> Path:
    return directory / f"rows_{k:04d}.bin"


def label_codes(column: Any) -> np.ndarray:
    """Return the positions of the labels in LABELS (-1 for anything else), as int8."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [np.empty(0, dtype=np.int8)]
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            lookup = np.array([LABELS.index(v) if v in LABELS else -1
                               for v in chunk.dictionary.to_pylist()] + [-1], dtype=np.int8)
            indices = chunk.indices.fill_null(len(lookup) - 1)
            parts.append(lookup[indices.to_numpy(zero_copy_only=False)])
        else:
            codes = pc.index_in(chunk, value_set=pa.array(list(LABELS), chunk.type))
            parts.append(codes.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int8))
    return np.concatenate(parts)


def row_codes(outputs: Any) -> np.ndarray:
    """One byte per row of pass 2's outputs: label position + 1 | partner << 4 | domestic << 5.

    The label position is its index in :data:`~pv_identify.schema.LABELS` (0 for a
    label outside it, as the roll-ups count none of those).
    """
    lab = label_codes(outputs.column(OUT_LABEL)).astype(np.int16) + 1
    pv = np.asarray(outputs.column(OUT_PARTNER).to_numpy(zero_copy_only=False), dtype=bool)
    dv = np.asarray(outputs.column(OUT_DOMESTIC).to_numpy(zero_copy_only=False), dtype=bool)
    return (lab | (pv.astype(np.int16) << 4) | (dv.astype(np.int16) << 5)).astype(np.uint8)


class RowCodes:
    """Pass 2's output codes, appended to the case part of each row in its part's order.

    :meth:`positions` is given, for each chunk the context reader hands out, where the
    chunk's rows of each part are (in the part's row order); :meth:`add` then takes the
    chunk's codes (chunks in the same order). Each part's codes go to a file,
    :data:`_FLUSH_BYTES` at a time.

    Parameters
    ----------
    directory : tempfile.TemporaryDirectory
        Holds step A's saved parts and the codes (removed by :meth:`close`).
    parts : int
        Number of case parts.
    """

    def __init__(self, directory: tempfile.TemporaryDirectory[str], parts: int) -> None:
        self._tmp = directory
        self.directory = Path(directory.name)
        self.parts = parts
        self._pending: deque[list[tuple[int, np.ndarray]]] = deque()
        self._buffers: list[list[np.ndarray]] = [[] for _ in range(parts)]
        self._buffered = [0] * parts
        self._sinks: dict[int, Any] = {}

    def positions(self, taken: list[tuple[int, np.ndarray]]) -> None:
        """Note one chunk's ``(part, positions of its rows in the chunk)``."""
        self._pending.append(taken)

    def add(self, codes: np.ndarray) -> None:
        """Add the codes of the oldest chunk noted (see :func:`row_codes`)."""
        if not self._pending:
            raise RuntimeError("row codes given for a chunk the context reader did not hand out")
        for k, at in self._pending.popleft():
            values = codes[at]
            self._buffers[k].append(values)
            self._buffered[k] += len(values)
            if self._buffered[k] >= _FLUSH_BYTES:
                self._flush(k)

    def _flush(self, k: int) -> None:
        if not self._buffers[k]:
            return
        sink = self._sinks.get(k)
        if sink is None:
            sink = self._sinks[k] = open(_rows_path(self.directory, k), "ab")
        np.concatenate(self._buffers[k]).tofile(sink)
        self._buffers[k] = []
        self._buffered[k] = 0

    def finish(self) -> list[int]:
        """Write the buffered codes, close the files; return the parts with cases."""
        for k in range(self.parts):
            self._flush(k)
        for sink in self._sinks.values():
            sink.close()
        self._sinks = {}
        if self._pending:
            raise RuntimeError("the context reader handed out chunks whose codes never came")
        return [k for k in range(self.parts) if _cases_path(self.directory, k).exists()]

    def aggregate(self, k: int, label_codes: list[int], with_person: bool) -> Any:
        """Return case part ``k``'s cases, the table ``aggregate_cases`` gives.

        As :func:`~pv_identify.stream.rollup_parts.aggregate_cases` on the part's key
        rows, with ``ph`` (the hash of each case's person) after ``r0`` when
        ``with_person``; the part's files are removed once read.
        """
        import pyarrow as pa

        directory = self.directory
        with pa.OSFile(str(_cases_path(directory, k)), "rb") as source:
            cases = pa.ipc.open_file(source).read_all()
        codes = load_array(_codes_path(directory, k))
        path = _rows_path(directory, k)
        row = np.fromfile(path, dtype=np.uint8) if path.exists() else np.empty(0, np.uint8)
        if len(row) != len(codes):
            raise RuntimeError(f"case part {k}: {len(row)} output codes for {len(codes)} rows")
        for used in (_cases_path(directory, k), _codes_path(directory, k), path):
            used.unlink(missing_ok=True)
        lab = (row & 15).astype(np.int16) - 1
        flags = [(row & 16) != 0, (row & 32) != 0] + [lab == code for code in label_codes]
        table = case_counts(cases.column("ck").combine_chunks(),
                            cases.column("pk").combine_chunks() if with_person else None,
                            codes, cases.column("d").combine_chunks(), flags,
                            cases.column("r0").combine_chunks())
        if not with_person or "ph" not in cases.column_names:
            return table
        return table.append_column("ph", cases.column("ph").combine_chunks())

    def close(self) -> None:
        """Close the files and remove the directory."""
        try:
            for sink in self._sinks.values():
                sink.close()
            self._sinks = {}
        finally:
            self._tmp.cleanup()


def missing_case_ids(directory: Path) -> bool:
    """Return True if step A found rows without a case id (see :func:`save_part`)."""
    return (directory / _MISSING).exists()


assert len(LABELS) < 15  # a label position + 1 fits in four bits
