"""Case and person roll-ups of a streamed file, out of core.

While :func:`~pv_identify.stream.runner.tag_file` writes the tagged chunks, each
chunk's ``(case, person, date, label, partner, domestic)`` is appended to a
temporary, uncompressed Parquet key file (in a temporary directory next to the
roll-up output, else in the system temporary directory); the row number is the
file's own. At the end, an in-memory DuckDB database with a memory limit (it spills
to that directory) reads the key file and computes

* the case roll-up (cases in order of first appearance; a case's person is its first
  non-missing person; its date the earliest parsed date; all rows without a case id
  form one case, as in pandas' ``groupby(dropna=False)``);
* the person roll-up (persons in order of their first case) with the first
  partner-violence case per person (earliest date, missing dates last, ties by case
  order);

so memory stays bounded whatever the size of the file.

Files of more than :data:`~pv_identify.stream.rollup_parts.ROWS_PER_PART` rows are
rolled up in parts instead (:mod:`pv_identify.stream.rollup_parts`): the key rows are
split by a hash of the case while they are appended, each part's cases are computed
in memory with Arrow's dictionary encoding and numpy (already in first-row order), one
row per case goes on split by a hash of the person, each person part is rolled up the
same way, and both roll-ups are merged from the parts' files in first-row order (the
person roll-up in a thread while the case roll-up is written). Same output; at 10M
rows ~2x less CPU than the whole-file queries and at 50M rows ~2.7x less, where
DuckDB's string aggregation spilled (bench/README.md, "Session 5"); with Arrow IPC
parts, the threads and the kept heap (session 6) the phase after the tagging took
3.7-6 s instead of 7.8-14 s at 10M rows (6 s CPU instead of 9.4).

After a model run whose context pass found every case in one run of consecutive rows,
both roll-ups are instead written during the tagging, from the runs of case ids and of
persons (:meth:`RollupStore.stream_cases`, :mod:`pv_identify.stream.case_runs`,
:mod:`pv_identify.stream.person_runs`; the persons in parts after all if one came in
two runs). Same output.

Parquet roll-ups are written straight from Arrow batches, cast to the Arrow types the
pandas route gives (checked on the first batch, which falls back to the pandas route if
they differ); other formats go through pandas. Either way the columns, order and dtypes are those
of :func:`pv_identify.rollup_cases` and :func:`pv_identify.rollup_persons` on the
whole tagged frame, written with :class:`~pv_identify.io.writers.ExtractWriter`.

Measured (bench/README.md, "Roll-ups over a Parquet key file"): the key file is
~4x cheaper to query than an on-disk DuckDB table filled by INSERTs, and the Arrow
route skips two pandas conversions per batch.
"""

from __future__ import annotations

import contextvars
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.readers import file_format
from pv_identify.io.writers import BackgroundWriter, ExtractWriter, frame_to_arrow
from pv_identify.normalize.dates import arrow_dates, parse_dates
from pv_identify.rollup import add_label_summary, case_date_name
from pv_identify.schema import LABELS, NONE, OUT_DOMESTIC, OUT_LABEL, OUT_PARTNER
from pv_identify.stream import rollup_parts
from pv_identify.stream.case_runs import CaseRuns
from pv_identify.stream.context_rollups import label_codes
from pv_identify.stream.heap import kept_heap, trim_heap
from pv_identify.stream.interrupt import clean_up
from pv_identify.stream.partition import read_part
from pv_identify.stream.person_runs import PersonRuns
from pv_identify.stream.rollup_parts import (
    PART_FORMAT,
    KeyParts,
    aggregate_cases,
    aggregate_persons,
    merge_group_rows,
    merge_sorted,
    ordered_map,
    person_rows,
    split_by_hash,
    write_sorted,
)

#: DuckDB memory limit of the roll-up queries (it spills to disk beyond).
DUCKDB_MEMORY_LIMIT = "384MB"
#: Rows per batch fetched from DuckDB and written to the roll-up outputs.
BATCH_ROWS = 100_000
#: Key-row chunks that may wait for the thread of a streamed case roll-up.
STREAM_DEPTH = 2
#: Cases per batch of a streamed case roll-up (smaller than :data:`BATCH_ROWS`: its
#: batches, and the person roll-up's, are held while pass 2 holds its own chunks).
STREAM_BATCH_ROWS = 50_000
#: Seconds between the checks of a waiting streamed roll-up (stopped? failed?).
STREAM_POLL_SECONDS = 0.2
#: Rows of the first batch of a Parquet roll-up converted through pandas as well, to
#: check that the Arrow route gives the same table (:meth:`RollupStore._write`).
CHECK_ROWS = 2_048

_LABELS = [label for label in LABELS if label != NONE]
#: What the case roll-up counts per case, as SQL on the key rows: partner- and
#: domestic-violence offences, then offences of each relationship label.
_FIELDS = ["pv::BIGINT", "dv::BIGINT",
           *(f"(lab = {LABELS.index(label)})::BIGINT" for label in _LABELS)]
#: Counts packed into one BIGINT sum (16-bit fields): one sum instead of eight filtered
#: counts is ~20 % cheaper at 10M rows and ~25 % at 50M; a case with 2**15 offences or
#: more (a field could overflow) makes the query run again with wider fields.
PER_WORD = 4
def _bits(per_word: int) -> int:
    return 64 // per_word


def _cases_sql(per_word: int) -> str:
    """Return the case aggregation with the counts packed ``per_word`` to a BIGINT."""
    bits = _bits(per_word)
    sums = []
    for word, start in enumerate(range(0, len(_FIELDS), per_word)):
        terms = [f"({field} << {bits * i})" if i else field
                 for i, field in enumerate(_FIELDS[start:start + per_word])]
        sums.append(f"sum({' + '.join(terms)})::BIGINT AS s{word}")
    return f"""
CREATE OR REPLACE TABLE cases AS
SELECT ck, min("row") AS r0, count(*) AS n, min(d) AS d, {", ".join(sums)},
       arg_min(pk, "row") FILTER (WHERE pk IS NOT NULL) AS pk
FROM rows GROUP BY ck
"""


def _field_sql(index: int, per_word: int) -> str:
    """Return SQL for count ``index`` of ``_FIELDS`` from a case row's packed words."""
    bits = _bits(per_word)
    word, slot = divmod(index, per_word)
    if per_word == 1:
        return f"s{word}"
    return f"((s{word} >> {bits * slot}) & {(1 << bits) - 1})"


def _persons_sql(pv: str, dv: str) -> str:
    """Return the person aggregation over the cases (``pv``, ``dv``: a case's flags).

    The first PV case: earliest date, missing dates last, ties by case order, as one
    HUGEINT key (bit 126: date missing; bits 62-125: the date's nanoseconds + 2**63;
    bits 0-61: the case's first row): ~2x cheaper than ``first(... ORDER BY ...)`` and
    ~10 % cheaper than a struct key.
    """
    return f"""
CREATE OR REPLACE TABLE persons AS
SELECT pk, min(r0) AS r0, count(*) AS n, count(*) FILTER (WHERE {pv}) AS npv,
       count(*) FILTER (WHERE {dv}) AS ndv,
       arg_min(ck, ((d IS NULL)::HUGEINT << 126)
                   + ((epoch_ns(coalesce(d, TIMESTAMP_NS '1970-01-01'))::HUGEINT
                       + 9223372036854775808) << 62) + r0)
           FILTER (WHERE {pv}) AS fck,
       min(d) FILTER (WHERE {pv}) AS fd,
       count(*) FILTER (WHERE {pv}) > 0 AS has_pv
FROM cases GROUP BY pk
"""


_PERSON_OUT = "SELECT pk, n, npv, ndv, fck, fd FROM persons ORDER BY r0"
#: ``labels`` of a case from a bit mask of the labels present (bit i: _LABELS[i]).
_LABEL_SETS = ["|".join(label for i, label in enumerate(_LABELS) if code >> i & 1)
               for code in range(1 << len(_LABELS))]


def _unpack(batch: Any, per_word: int) -> list[np.ndarray]:
    """Return the counts of ``_FIELDS`` of a batch of case rows, as int64 arrays."""
    bits = _bits(per_word)
    words = [batch.column(f"s{w}").to_numpy(zero_copy_only=False).astype(np.int64)
             for w in range((len(_FIELDS) + per_word - 1) // per_word)]
    out = []
    for index in range(len(_FIELDS)):
        word, slot = divmod(index, per_word)
        values = words[word] if per_word == 1 else \
            (words[word] >> (bits * slot)) & ((1 << bits) - 1)
        out.append(values)
    return out


def _key_dtype(dtypes: list[Any]) -> Any:
    """Return the dtype pandas' ``concat`` gives a column with ``dtypes`` in its chunks."""
    return pd.concat([pd.Series([], dtype=d) for d in dtypes]).dtype


def _to_arrow(values: pd.Series) -> Any:
    import pyarrow as pa

    try:
        array = pa.array(values.to_numpy(dtype=object) if values.dtype == object else values,
                         from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = pa.array(values.astype("string"), from_pandas=True)
    if pa.types.is_null(array.type):
        array = array.cast(pa.large_string())
    return array


def _arrow_key(column: Any, empty_dtype: Any) -> tuple[Any, Any] | None:
    """Return an id column kept in Arrow and the dtype its pandas chunk has, or None.

    Strings, and integers (pandas turns them into float64 when they hold nulls, unless
    the stored pandas metadata asks for a nullable type), take the fast route; other
    types return None and go through pandas as before.
    """
    import pyarrow as pa

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column, empty_dtype
    if pa.types.is_integer(kind) and isinstance(empty_dtype, np.dtype) \
            and empty_dtype.kind in "iu":
        if column.null_count:
            return column, np.dtype("float64")
        return column, empty_dtype
    return None


class RollupStore:
    """Collect the roll-up keys of a streamed run on disk and write the roll-ups.

    Parameters
    ----------
    workdir : str or pathlib.Path, optional
        Directory in which the temporary directory is made (default: the system
        temporary directory).
    memory_limit : str, default DUCKDB_MEMORY_LIMIT
        DuckDB's memory limit for the roll-up queries.
    parts : int, default 1
        Number of parts the key rows are split into by case while they are appended
        (:func:`~pv_identify.stream.rollup_parts.rollup_parts` of the input); one part
        keeps a single key file.
    """

    def __init__(self, workdir: str | Path | None = None,
                 memory_limit: str = DUCKDB_MEMORY_LIMIT, parts: int = 1) -> None:
        if parts < 1:
            raise ValueError("parts must be at least 1")
        self.case_col: str | None = None
        self.person_col: str | None = None
        self.date_col: str | None = None
        self.date_name = ""
        self.rows = 0
        self._workdir_parent = workdir
        self._memory_limit = memory_limit
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._parts = parts
        self._keys: Any = None  # ParquetWriter of the key file, or KeyParts
        self._schema: Any = None
        self._started = False
        self._con: Any = None
        self._dtypes: dict[str, list[Any]] = {"case": [], "person": []}
        self._noted = False  # chunks counted by note_arrow (roll-ups from the context pass)
        self._stream: _CaseStream | None = None  # cases rolled up while tagging

    def __len__(self) -> int:
        return self.rows

    @property
    def parts(self) -> int:
        """Number of case parts of the roll-ups (1: whole-file DuckDB queries)."""
        return self._parts

    def _begin(self, mapping: ColumnMapping) -> bool:
        """Resolve the key columns at the first chunk; False without a case id."""
        if not self._started:
            self._started = True
            self.case_col = mapping.get("case_id")
            self.person_col = mapping.get("person_id")
            self.date_col = mapping.get("registration_date") or mapping.get("offence_date")
            self.date_name = case_date_name(mapping)
        return self.case_col is not None

    def _directory(self) -> Path:
        if self._tmp is None:
            parent = self._workdir_parent
            if parent is not None and not Path(parent).is_dir():
                parent = None
            self._tmp = tempfile.TemporaryDirectory(prefix=".pv_rollup_", dir=parent)
        return Path(self._tmp.name)

    def _add(self, table: Any) -> None:
        """Append one chunk's key table ``(ck, pk, d, lab, pv, dv)`` to the key file(s).

        With several parts the rows get their ``row`` number as a column (a part file's
        own row numbers are not the run's).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._keys is None:
            self._schema = table.schema
            if self._parts > 1:
                self._keys = KeyParts(self._directory(), self._parts,
                                      self._schema.insert(0, pa.field("row", pa.int64())),
                                      background=True, file_format=PART_FORMAT)
            else:
                self._keys = pq.ParquetWriter(self._directory() / "keys.parquet",
                                              self._schema, compression="none",
                                              use_dictionary=False, write_statistics=False)
        elif not table.schema.equals(self._schema):
            table = table.cast(self._schema)
        n = table.num_rows
        if self._parts > 1:
            table = table.add_column(0, "row", pa.array(np.arange(self.rows, self.rows + n)))
        self._keys.write_table(table)
        self.rows += n

    def append(self, keys: pd.DataFrame, mapping: ColumnMapping) -> None:
        """Add one tagged chunk's key columns (ids, dates and ``pv_*`` flags).

        Parameters
        ----------
        keys : pandas.DataFrame
            The chunk's case, person and date columns and ``pv_label``,
            ``pv_partner_violence``, ``pv_domestic_violence``.
        mapping : ColumnMapping
            The run's resolved columns (``case_id`` needed; without it nothing is kept).
        """
        import pyarrow as pa

        if not self._begin(mapping):
            return
        n = len(keys)
        case = keys[self.case_col]
        self._dtypes["case"].append(case.dtype)
        if self.person_col:
            person = keys[self.person_col]
            self._dtypes["person"].append(person.dtype)
            person_arrow = _to_arrow(person)
        else:
            person_arrow = pa.nulls(n, pa.int64())
        codes = pd.Categorical(keys[OUT_LABEL], categories=list(LABELS)).codes
        self._add(pa.table({
            "ck": _to_arrow(case), "pk": person_arrow, "d": self._pandas_dates(keys),
            "lab": codes.astype(np.int8),
            "pv": keys[OUT_PARTNER].to_numpy(dtype=bool),
            "dv": keys[OUT_DOMESTIC].to_numpy(dtype=bool)}))

    def _pandas_dates(self, keys: pd.DataFrame) -> Any:
        import pyarrow as pa

        if not self.date_col:
            return pa.nulls(len(keys), pa.timestamp("ns"))
        dates = parse_dates(keys[self.date_col]).to_numpy(dtype="datetime64[ns]")
        return pa.array(dates, from_pandas=True)

    def append_arrow(self, chunk: Any, outputs: Any, mapping: ColumnMapping) -> None:
        """Add one tagged Arrow chunk (the Parquet fast path), without pandas where it can.

        Gives the key file the same values as :meth:`append` on the chunk's pandas
        conversion: string and integer ids and ``date32`` dates stay in Arrow; other
        types are converted to pandas as before.

        Parameters
        ----------
        chunk : pyarrow.Table
            The input chunk (with the case, person and date columns).
        outputs : pyarrow.Table
            Its ``pv_label``, ``pv_partner_violence`` and ``pv_domestic_violence``.
        mapping : ColumnMapping
            The run's resolved columns (``case_id`` needed; without it nothing is kept).
        """
        import pyarrow as pa

        if not self._begin(mapping):
            return
        n = chunk.num_rows
        names = [c for c in (self.case_col, self.person_col, self.date_col) if c]
        keys = chunk.select(list(dict.fromkeys(names)))
        empty = keys.slice(0, 0).to_pandas()  # the dtypes of the pandas route
        arrays: dict[str, Any] = {}
        slow: list[str] = []
        for name, col in (("case", self.case_col), ("person", self.person_col)):
            if not col:
                continue
            fast = _arrow_key(keys.column(col), empty[col].dtype)
            if fast is None:
                slow.append(name)
            else:
                arrays[name], dtype = fast
                self._dtypes[name].append(dtype)
        dates = arrow_dates(keys.column(self.date_col)) if self.date_col else \
            pa.nulls(n, pa.timestamp("ns"))
        if slow or dates is None:
            frame = keys.to_pandas()
            for name in slow:
                values = frame[self.case_col if name == "case" else self.person_col]
                self._dtypes[name].append(values.dtype)
                arrays[name] = _to_arrow(values)
            if dates is None:
                dates = self._pandas_dates(frame)
        table = pa.table({
            "ck": arrays["case"],
            "pk": arrays["person"] if self.person_col else pa.nulls(n, pa.int64()),
            "d": dates, "lab": label_codes(outputs.column(OUT_LABEL)),
            "pv": outputs.column(OUT_PARTNER).cast(pa.bool_()),
            "dv": outputs.column(OUT_DOMESTIC).cast(pa.bool_())})
        if self._stream is None:
            self._add(table)
            return
        if self._stream.dtypes is None:
            self._stream.dtypes = self._key_dtypes()
        self._stream.add(table.add_column(0, "row", pa.array(
            np.arange(self.rows, self.rows + n, dtype=np.int64))))
        self.rows += n

    def stream_cases(self, cases_path: str | Path | None, persons_path: str | Path | None,
                     metadata: Mapping[str, Any]) -> None:
        """Roll the cases up while the file is tagged, from its runs of case ids.

        For a file whose every case is one run of consecutive rows (the model's context
        pass checks it: :func:`~pv_identify.stream.context_rollups.contiguous_cases`).
        From the next :meth:`append_arrow` on, a thread numbers each chunk's cases by
        their runs (:class:`~pv_identify.stream.case_runs.CaseRuns`), writes the case
        roll-up as the cases finish and splits one row per case by person; :meth:`write`
        then rolls up only the persons. Same outputs as the parts' route, without the
        key rows' split by case, the case parts and their merge after the tagging.

        Parameters
        ----------
        cases_path, persons_path : str or pathlib.Path, optional
            Outputs of the case and person roll-ups.
        metadata : mapping
            Run metadata (``table`` is set to ``cases``).
        """
        if self._keys is not None or self._noted:
            raise RuntimeError("key rows appended before the case roll-up was streamed")
        self._stream = _CaseStream(self, cases_path, persons_path, metadata)

    def _key_dtypes(self) -> tuple[Any, Any]:
        """Return the pandas dtypes of the case and person ids of the chunks so far."""
        return (_key_dtype(self._dtypes["case"]),
                _key_dtype(self._dtypes["person"]) if self.person_col else None)

    def note_arrow(self, chunk: Any, mapping: ColumnMapping) -> None:
        """Count one tagged Arrow chunk whose keys the model's context pass already has.

        The roll-ups are then taken from that pass
        (:mod:`pv_identify.stream.context_rollups`, ids that are Arrow strings): only the
        pandas dtypes of the ids are noted here, as :meth:`append_arrow` notes them.
        """
        if not self._begin(mapping):
            return
        names = [c for c in (self.case_col, self.person_col) if c]
        empty = chunk.select(list(dict.fromkeys(names))).slice(0, 0).to_pandas()
        for name, col in (("case", self.case_col), ("person", self.person_col)):
            if col:
                self._dtypes[name].append(empty[col].dtype)
        self._noted = True
        self.rows += chunk.num_rows

    def _connect(self) -> Any:
        try:
            import duckdb
        except ImportError:
            raise PvIdentifyError("case and person roll-ups of a file need DuckDB: "
                                  "pip install 'pv_identify[formats]' (or duckdb)") from None

        if self._keys is not None:
            self._keys.close()
            self._keys = None
        work = self._directory()
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{self._memory_limit}'")
        con.execute(f"SET temp_directory = '{work / 'spill'}'")
        con.execute("SET preserve_insertion_order = false")
        return con

    def write(self, cases_path: str | Path | None, persons_path: str | Path | None,
              metadata: Mapping[str, Any], codes: Any = None) -> dict[str, int]:
        """Compute the roll-ups, write them (where a path is given) and count them.

        Parameters
        ----------
        cases_path, persons_path : str or pathlib.Path, optional
            Outputs of the case and person roll-ups.
        metadata : mapping
            Run metadata (``table`` is set to ``cases`` / ``persons``).
        codes : RowCodes, optional
            The case parts of the model's context pass with pass 2's outputs, for the
            chunks given to :meth:`note_arrow`
            (:class:`~pv_identify.stream.context_rollups.RowCodes`).

        Returns
        -------
        dict
            ``cases``, ``partner_violence_cases`` and, with a person id, ``persons``
            and ``partner_violence_persons``.
        """
        dtypes = self._key_dtypes()
        labels = [LABELS.index(label) for label in _LABELS]
        with_person = bool(self.person_col)
        if self._stream is not None:
            with kept_heap():
                return self._write_streamed(persons_path, metadata, dtypes)
        if codes is not None and self._noted:
            if self._keys is not None:
                raise RuntimeError("key rows appended and noted in the same run")
            todo = [(k, None) for k in codes.finish()]
            with kept_heap():
                return self._write_parts(
                    todo, lambda k, _: codes.aggregate(k, labels, with_person),
                    cases_path, persons_path, metadata, *dtypes)
        if self.case_col is None or self._keys is None:
            return {}
        if isinstance(self._keys, KeyParts):
            self._keys.close()
            parts = self._keys.part_paths()

            def aggregate(k: int, path: Path) -> Any:
                cases = aggregate_cases(read_part(path), labels, with_person)
                path.unlink()
                return cases

            with kept_heap():
                return self._write_parts([(k, p) for k, p in enumerate(parts) if p is not None],
                                         aggregate, cases_path, persons_path, metadata, *dtypes)
        self._con = self._connect()
        return self._write_whole(cases_path, persons_path, metadata, *dtypes)

    def _write_whole(self, cases_path: str | Path | None, persons_path: str | Path | None,
                     metadata: Mapping[str, Any], case_dtype: Any, person_dtype: Any
                     ) -> dict[str, int]:
        """Roll up the single key file: queries over the whole file, sorted fetches."""
        con = self._con
        keys = _quote(self._directory() / "keys.parquet")
        con.execute('CREATE VIEW rows AS SELECT file_row_number AS "row", * '
                    f"FROM read_parquet('{keys}', file_row_number = true)")
        per_word = PER_WORD
        while True:
            con.execute(_cases_sql(per_word))
            largest = con.execute("SELECT max(n) FROM cases").fetchone()[0] or 0
            if per_word == 1 or largest < 1 << (_bits(per_word) - 1):
                break
            con.execute("DROP TABLE cases")  # a field may have overflowed: wider fields
            per_word //= 2
        counts = {}
        row = con.execute("SELECT count(*), count(*) FILTER (WHERE "
                          f"{_field_sql(0, per_word)} > 0) FROM cases").fetchone()
        counts["cases"], counts["partner_violence_cases"] = int(row[0]), int(row[1])
        if cases_path is not None:
            query = f"SELECT {self._case_columns(per_word)} FROM cases ORDER BY r0"
            self._write_cases(cases_path, metadata, self._batches(query), per_word,
                              case_dtype, person_dtype)
        if self.person_col:
            con.execute(_persons_sql(f"{_field_sql(0, per_word)} > 0",
                                     f"{_field_sql(1, per_word)} > 0"))
            row = con.execute("SELECT count(*), count(*) FILTER (WHERE npv > 0), "
                              "count(*) FILTER (WHERE NOT has_pv) FROM persons").fetchone()
            counts["persons"], counts["partner_violence_persons"] = int(row[0]), int(row[1])
            if persons_path is not None:
                self._write_persons(persons_path, metadata, self._batches(_PERSON_OUT),
                                    case_dtype, person_dtype, bool(row[2]))
        return counts

    def _write_parts(self, todo: list[tuple[int, Any]], aggregate: Callable[[int, Any], Any],
                     cases_path: str | Path | None, persons_path: str | Path | None,
                     metadata: Mapping[str, Any], case_dtype: Any, person_dtype: Any
                     ) -> dict[str, int]:
        """Roll up the case parts (see :mod:`pv_identify.stream.rollup_parts`).

        ``todo`` lists ``(k, item)`` of the case parts with rows; ``aggregate(k, item)``
        returns part ``k``'s cases as :func:`~pv_identify.stream.rollup_parts.aggregate_cases`
        does (from a key file, or from the context pass).

        Per case part (its rows in row order; two parts at a time in threads): the
        cases in order of first row, written as they come (for the case roll-up) and,
        one row per case, split by a hash of the case's person. Then the case roll-up
        is merged from the parts' files and written while a thread rolls up the person
        parts and writes the person roll-up the same way.
        """
        work = self._directory()
        for name in ("cases", "persons"):
            (work / name).mkdir(exist_ok=True)
        group = merge_group_rows(max(len(todo), 1))
        with_person = bool(self.person_col)
        counts = {"cases": 0, "partner_violence_cases": 0}
        case_files: list[Path] = []
        by_person: KeyParts | None = None

        def case_part(k: int, item: Any) -> tuple[int, int, Any]:
            cases = aggregate(k, item)
            if cases_path is not None:
                kept = cases.drop_columns(["ph"]) if "ph" in cases.schema.names else cases
                write_sorted(kept, work / "cases" / f"{k:04d}.arrow", group)
            with_pv = int(np.count_nonzero(cases.column("s0").to_numpy() > 0))
            rows = person_rows(cases) if with_person else None
            if rows is not None and "ph" in rows.schema.names:
                # split by person here (the case parts' threads), not in the split's one
                # thread: it was stage 1's slowest (10M rows: ~1 cpu s of 1.3)
                return cases.num_rows, with_pv, (rows.schema, split_by_hash(
                    rows, self._parts, "ph"))
            return cases.num_rows, with_pv, rows

        try:
            # pass 2's free heap and Arrow's pool first: the workers are chosen by the
            # resident memory, which is lower once they are given back
            trim_heap()
            results = ordered_map(case_part, todo, rollup_parts.case_workers())
            for (k, _), (n, with_pv, rows) in zip(todo, results, strict=True):
                counts["cases"] += n
                counts["partner_violence_cases"] += with_pv
                if cases_path is not None:
                    case_files.append(work / "cases" / f"{k:04d}.arrow")
                if rows is not None:
                    split = isinstance(rows, tuple)
                    schema = rows[0] if split else rows.schema
                    if by_person is None:
                        by_person = KeyParts(work, self._parts, schema, key="pk",
                                             prefix="persons_in", background=True,
                                             file_format=PART_FORMAT,
                                             hashed="ph" if "ph" in schema.names else None)
                    if split:
                        by_person.write_split(rows[1])
                    else:
                        by_person.write_table(rows)
        finally:
            if by_person is not None:
                by_person.close()
        trim_heap()  # the case parts' threads' free heap, before the merges
        persons = None
        if by_person is not None:
            # the person parts are rolled up and written in a thread while the case
            # roll-up is merged and written here (its context: staged outputs)
            persons = _Background(contextvars.copy_context().run, self._persons_job,
                                  by_person.part_paths(), persons_path, metadata, group,
                                  case_dtype, person_dtype)
        try:
            if cases_path is not None:
                self._write_cases(cases_path, metadata,
                                  merge_sorted(case_files, self._case_columns(1).split(", "),
                                               BATCH_ROWS), 1, case_dtype, person_dtype)
        except BaseException:
            if persons is not None:
                persons.stop()
            raise
        if persons is not None:
            counts.update(persons.result())
        return counts

    def _write_streamed(self, persons_path: str | Path | None, metadata: Mapping[str, Any],
                        dtypes: tuple[Any, Any]) -> dict[str, int]:
        """Finish the streamed roll-ups (:meth:`stream_cases`).

        The person roll-up by runs is kept if no person came in two runs, else it is
        removed and the persons are rolled up from the saved person rows in parts.
        """
        stream = self._stream
        assert stream is not None
        out = stream.finish()
        if stream.dtypes is not None and stream.dtypes != dtypes:
            out.abort()
            # the case file was written with the first chunk's dtypes (Arrow strings:
            # object in every chunk); a change would have given other columns
            raise RuntimeError("the id columns' types changed between chunks")
        counts = out.counts
        if out.persons is None:
            return counts
        if out.persons.unique() and (out.person_sink is not None or persons_path is None):
            if out.person_sink is not None:
                out.person_sink.close()
            return counts
        out.abort()  # persons in more than one run: the parts' route
        rows = (self._case_file_rows(out.case_file) if out.case_file is not None
                else _saved_rows(out.saved_path))
        counts.update(self._persons_from(rows, persons_path, metadata, *dtypes))
        out.saved_path.unlink(missing_ok=True)
        return counts

    def _case_file_rows(self, path: Path) -> Iterator[Any]:
        """Yield the person rows of a written Parquet case roll-up, batch by batch.

        The rows :func:`~pv_identify.stream.rollup_parts.person_rows` gives on the cases
        the file was written from (the file's columns are passed to it under the case
        table's names). Every case is one run of consecutive rows and the cases are in
        row order, so a case's first row ``r0`` is the sum of the offences of the cases
        before it (``r0`` also sets the merge's batches: the same values give the same
        person file, byte for byte).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        assert self.case_col is not None and self.person_col is not None
        names = [self.case_col, self.person_col, self.date_name, "n_offences",
                 "n_partner_violence", "n_domestic_violence"]
        start = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=names):
            if not batch.num_rows:
                continue
            ends = start + np.cumsum(batch.column(3).to_numpy(), dtype=np.int64)
            yield person_rows(pa.table({
                "ck": batch.column(0), "pk": batch.column(1), "d": batch.column(2),
                "r0": pa.array(np.concatenate([[start], ends[:-1]])),
                "s0": batch.column(4), "s1": batch.column(5)}))
            start = int(ends[-1])

    def _persons_from(self, rows: Iterator[Any], persons_path: str | Path | None,
                      metadata: Mapping[str, Any], case_dtype: Any, person_dtype: Any
                      ) -> dict[str, int]:
        """Roll up the persons from person rows in case order: split by person, parts, merge."""
        work = self._directory()
        (work / "persons").mkdir(exist_ok=True)
        by_person: KeyParts | None = None
        try:
            for table in rows:
                if by_person is None:
                    by_person = KeyParts(work, self._parts, table.schema, key="pk",
                                         prefix="persons_in", background=True,
                                         file_format=PART_FORMAT)
                by_person.write_table(table)
        finally:
            if by_person is not None:
                by_person.close()
        if by_person is None:
            return {"persons": 0, "partner_violence_persons": 0}
        return self._persons_job(by_person.part_paths(), persons_path, metadata,
                                 merge_group_rows(self._parts), case_dtype, person_dtype,
                                 threading.Event())

    def _persons_job(self, parts: list[Path | None], persons_path: str | Path | None,
                     metadata: Mapping[str, Any], group: int, case_dtype: Any,
                     person_dtype: Any, stop: threading.Event) -> dict[str, int]:
        """Roll up the person parts and write the person roll-up (until ``stop`` is set)."""
        work = self._directory()
        person_files: list[Path] = []
        no_pv = persons = with_pv = 0
        for j, path in enumerate(parts):
            if path is None:
                continue
            if stop.is_set():
                raise _Stopped
            table = aggregate_persons(read_part(path))
            path.unlink()
            has = int(np.count_nonzero(table.column("npv").to_numpy() > 0))
            persons += table.num_rows
            with_pv += has
            no_pv += table.num_rows - has
            if persons_path is not None:
                person_files.append(work / "persons" / f"{j:04d}.arrow")
                write_sorted(table, person_files[-1], group)
            del table
        if persons_path is not None:
            names = ["pk", "n", "npv", "ndv", "fck", "fd"]
            self._write_persons(persons_path, metadata,
                                _until(stop, merge_sorted(person_files, names, BATCH_ROWS)),
                                case_dtype, person_dtype, no_pv > 0)
        return {"persons": persons, "partner_violence_persons": with_pv}

    def _case_columns(self, per_word: int) -> str:
        """Return the columns of a case row the case roll-up is built from, as SQL."""
        words = ", ".join(f"s{w}" for w in range((len(_FIELDS) + per_word - 1) // per_word))
        return f"ck, {'pk, ' if self.person_col else ''}n, d, {words}"

    def _write_cases(self, path: str | Path, metadata: Mapping[str, Any], batches: Iterator[Any],
                     per_word: int, case_dtype: Any, person_dtype: Any) -> None:
        self._output(path, {**metadata, "table": "cases"}, batches,
                     lambda batch: self._case_frame(batch, per_word, case_dtype, person_dtype),
                     lambda batch: self._case_table(batch, per_word),
                     [self.case_col, self.person_col])

    def _write_persons(self, path: str | Path, metadata: Mapping[str, Any],
                       batches: Iterator[Any], case_dtype: Any, person_dtype: Any,
                       missing: bool) -> None:
        """Write the person roll-up (``missing``: some persons have no partner-violence case)."""
        _drain(self._person_sink(path, metadata, case_dtype, person_dtype, missing), batches)

    def _batches(self, query: str) -> Iterator[Any]:
        """Yield the query's batches with rows; one empty batch when it has none.

        The empty batch makes an empty roll-up a file with the columns (a header-only
        CSV), as the in-memory roll-up of an empty frame writes, not a 0-byte file.
        """
        import pyarrow as pa

        self._con.execute("SET preserve_insertion_order = true")
        reader = self._con.sql(query).to_arrow_reader(BATCH_ROWS)
        rows = 0
        for batch in reader:
            if batch.num_rows:
                rows += batch.num_rows
                yield batch
        if not rows:
            yield pa.RecordBatch.from_pylist([], schema=reader.schema)

    def _output(self, path: str | Path, metadata: dict[str, Any], batches: Iterator[Any],
                to_frame: Callable[[Any], pd.DataFrame], to_table: Callable[[Any], Any],
                ids: list[str | None]) -> None:
        """Write one roll-up from ``batches`` (see :class:`_Sink`)."""
        _drain(_Sink(path, metadata, to_frame, to_table, ids), batches)

    def _case_sink(self, path: str | Path, metadata: Mapping[str, Any], case_dtype: Any,
                   person_dtype: Any, depth: int = 2) -> _Sink:
        """Return a sink for the case roll-up's batches (counts one to a word)."""
        return _Sink(path, {**metadata, "table": "cases"},
                     lambda batch: self._case_frame(batch, 1, case_dtype, person_dtype),
                     lambda batch: self._case_table(batch, 1), [self.case_col, self.person_col],
                     depth)

    def _person_sink(self, path: str | Path, metadata: Mapping[str, Any], case_dtype: Any,
                     person_dtype: Any, missing: bool, depth: int = 2) -> _Sink:
        """Return a sink for the person roll-up's batches (see :meth:`_write_persons`)."""
        first_dtype = case_dtype
        if missing and (pd.api.types.is_integer_dtype(case_dtype)
                        or pd.api.types.is_bool_dtype(case_dtype)):
            first_dtype = np.dtype("float64")  # reindex with missing persons
        return _Sink(path, {**metadata, "table": "persons"},
                     lambda batch: self._person_frame(batch, person_dtype, first_dtype),
                     _table, [self.person_col, "first_partner_violence_case"], depth)

    def _case_frame(self, batch: Any, per_word: int, case_dtype: Any,
                    person_dtype: Any) -> pd.DataFrame:
        col = {name: batch.column(name).to_pandas() for name in ("ck", "pk", "n", "d")
               if name in batch.schema.names}
        npv, ndv, *labels = _unpack(batch, per_word)
        out = pd.DataFrame({self.case_col: _as(col["ck"], case_dtype)})
        if self.person_col:
            out[self.person_col] = _as(col["pk"], person_dtype)
        out["n_offences"] = col["n"].astype(np.int64)
        out[self.date_name] = col["d"].astype("datetime64[ns]")
        out["n_partner_violence"] = npv
        out["n_domestic_violence"] = ndv
        out["partner_violence"] = out["n_partner_violence"] > 0
        out["domestic_violence"] = out["n_domestic_violence"] > 0
        add_label_summary(out, dict(zip(_LABELS, labels, strict=True)))
        return out

    def _case_table(self, batch: Any, per_word: int) -> Any:
        """Return a batch of case rows as an Arrow table with the case roll-up's columns."""
        import pyarrow as pa

        npv, ndv, *labels = _unpack(batch, per_word)
        code = np.zeros(batch.num_rows, dtype=np.int64)
        for i, count in enumerate(labels):
            code |= (count > 0).astype(np.int64) << i
        arrays = [batch.column("ck")]
        if self.person_col:
            arrays.append(batch.column("pk"))
        arrays += [batch.column("n"), batch.column("d"), pa.array(npv), pa.array(ndv),
                   pa.array(npv > 0), pa.array(ndv > 0), *(pa.array(c) for c in labels),
                   pa.array(_LABEL_SETS, pa.large_string()).take(pa.array(code))]
        return pa.Table.from_arrays(arrays, names=[str(i) for i in range(len(arrays))])

    def _person_frame(self, batch: Any, person_dtype: Any, first_dtype: Any) -> pd.DataFrame:
        col = {name: batch.column(name).to_pandas() for name in batch.schema.names}
        return pd.DataFrame({
            self.person_col: _as(col["pk"], person_dtype),
            "n_cases": col["n"].astype(np.int64),
            "n_partner_violence_cases": col["npv"].astype(np.int64),
            "n_domestic_violence_cases": col["ndv"].astype(np.int64),
            "first_partner_violence_case": _as(col["fck"], first_dtype),
            "first_partner_violence_date": col["fd"].astype("datetime64[ns]"),
        })

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the key file and the database and remove their directory."""
        try:
            if self._stream is not None:
                self._stream.abort()
            if self._keys is not None:
                self._keys.close()
            if self._con is not None:
                self._con.close()
        finally:
            self._keys = None
            self._con = None
            self._stream = None
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None


def _table(batch: Any) -> Any:
    """Return an Arrow record batch (or table) as a table."""
    import pyarrow as pa

    return batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])


def _saved_rows(saved: Path) -> Iterator[Any]:
    """Yield the person rows a streamed roll-up saved (an Arrow IPC file), batch by batch."""
    import pyarrow as pa

    if not saved.exists():
        return
    with pa.OSFile(str(saved), "rb") as source:
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            yield pa.Table.from_batches([reader.get_batch(i)])


def _quote(path: Path) -> str:
    """Return a path for a single-quoted SQL string."""
    return str(path).replace("'", "''")


def _cast(table: Any, schema: Any) -> Any:
    """Return an Arrow table with the names and types of ``schema``."""
    return table.rename_columns(schema.names).cast(schema)


def _as(values: pd.Series, dtype: Any) -> pd.Series:
    """Return values fetched from DuckDB in the dtype the in-memory roll-up gives."""
    if dtype is None or values.dtype == dtype:
        return values.reset_index(drop=True)
    if pd.api.types.is_object_dtype(dtype):
        return pd.Series(values.to_numpy(dtype=object), dtype=object)
    return values.astype(dtype).reset_index(drop=True)


def _drain(sink: Any, batches: Iterator[Any]) -> None:
    """Add every batch to ``sink`` and close it; abort it (no file) if anything fails."""
    try:
        for batch in batches:
            sink.add(batch)
    except BaseException:
        sink.abort()
        raise
    sink.close()


class _Stopped(Exception):
    """The person roll-up's thread was stopped (the case roll-up failed)."""


def _until(stop: threading.Event, batches: Iterator[Any]) -> Iterator[Any]:
    """Yield ``batches`` until ``stop`` is set (then raise :class:`_Stopped`)."""
    for batch in batches:
        if stop.is_set():
            raise _Stopped
        yield batch


class _Background:
    """``run(job, *args, stop)`` in a thread; :meth:`result` waits and re-raises its error."""

    def __init__(self, run: Callable[..., Any], job: Callable[..., Any], *args: Any,
                 name: str = "pv-rollup-persons") -> None:
        self._stop = threading.Event()
        self._result: Any = None
        self._error: BaseException | None = None

        def target() -> None:
            try:
                self._result = run(job, *args, self._stop)
            except BaseException as exc:  # handed to result()
                self._error = exc

        self._thread = threading.Thread(target=target, name=name, daemon=True)
        self._thread.start()

    def alive(self) -> bool:
        """Return True while the job runs."""
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ask the job to stop and wait for it (its error, if any, is dropped)."""
        self._stop.set()
        self._thread.join()

    def result(self) -> Any:
        """Wait for the job; return its result or raise its error.

        Interrupted while waiting (Ctrl-C), the job is stopped before the interrupt goes
        on, so it cannot finish an output after the run has removed the others.
        """
        try:
            self._thread.join()
        except BaseException:
            self.stop()
            raise
        if self._error is not None:
            raise self._error
        return self._result


class _CaseStream:
    """The thread of :meth:`RollupStore.stream_cases`: key rows in, roll-ups out.

    :meth:`add` queues a chunk's key rows (at most :data:`STREAM_DEPTH` wait); the
    thread rolls up the finished cases (:class:`~pv_identify.stream.case_runs.CaseRuns`)
    and writes them as the case roll-up (:data:`STREAM_BATCH_ROWS` or more at a time); one row
    per case goes to the persons, rolled up by runs
    (:class:`~pv_identify.stream.person_runs.PersonRuns`) into the person roll-up, and
    saved as they come (an Arrow IPC file) for the persons' parts route, used instead
    if the persons did not come in runs (:meth:`RollupStore._write_streamed`).
    """

    def __init__(self, store: RollupStore, cases_path: str | Path | None,
                 persons_path: str | Path | None, metadata: Mapping[str, Any]) -> None:
        self._store = store
        self._cases_path = cases_path
        self._persons_path = persons_path
        self._metadata = metadata
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=STREAM_DEPTH)
        self._job: _Background | None = None
        self.dtypes: tuple[Any, Any] | None = None  # of the ids, at the first chunk

    def add(self, keys: Any) -> None:
        """Queue one chunk's key rows (``row``, ``ck``, ``pk``, ``d``, ``lab``, ``pv``, ``dv``)."""
        if self._job is None:
            self._job = _Background(contextvars.copy_context().run, self._run,
                                    name="pv-rollup-stream")
        self._put(keys)

    def _put(self, item: Any) -> None:
        assert self._job is not None
        while True:
            try:
                self._queue.put(item, timeout=STREAM_POLL_SECONDS)
                return
            except queue.Full:
                if not self._job.alive():
                    self._job.result()  # raises the thread's error
                    raise RuntimeError("the case roll-up stopped early") from None

    def finish(self) -> _Streamed:
        """Wait for the thread; return what it made (:class:`_Streamed`)."""
        if self._job is None:
            raise RuntimeError("no rows were streamed to the case roll-up")
        self._put(None)
        job, self._job = self._job, None
        result: _Streamed = job.result()
        return result

    def abort(self) -> None:
        """Stop the thread (its outputs are removed)."""
        if self._job is not None:
            job, self._job = self._job, None
            job.stop()

    def _chunks(self, stop: threading.Event) -> Iterator[Any]:
        while True:
            try:
                item = self._queue.get(timeout=STREAM_POLL_SECONDS)
            except queue.Empty:
                if stop.is_set():
                    raise _Stopped from None
                continue
            if stop.is_set():
                raise _Stopped
            if item is None:
                return
            yield item

    def _run(self, stop: threading.Event) -> _Streamed:
        import pyarrow as pa

        store = self._store
        assert self.dtypes is not None
        case_dtype, person_dtype = self.dtypes
        with_person = bool(store.person_col)
        out = _Streamed(store._directory() / "person_rows.arrow")
        if (with_person and self._cases_path is not None
                and file_format(self._cases_path) == "parquet"
                and len({store.case_col, store.person_col, store.date_name}) == 3):
            # the person rows of the parts' route are read back from the case roll-up
            # if it is needed, not saved as they come (50M rows: ~2 GB less to write)
            out.read_back = True
        counts = out.counts
        # one batch waiting for each writer thread: these are held beside pass 2's chunks
        cases_sink = (store._case_sink(self._cases_path, self._metadata, *self.dtypes, depth=1)
                      if self._cases_path is not None else None)
        done: list[Any] = []
        waiting = 0  # rows in done

        def emit_persons(persons: Any) -> None:
            has = int(np.count_nonzero(persons.column("npv").to_numpy() > 0))
            counts["persons"] += persons.num_rows
            counts["partner_violence_persons"] += has
            if out.person_sink is not None:
                out.person_sink.add(persons)

        if with_person:
            counts["persons"] = counts["partner_violence_persons"] = 0
            out.persons = PersonRuns(store._directory(), store._parts, emit_persons)
            # integer case ids: the first-case column's type depends on persons without
            # partner violence (known at the end); string ids (this route's) do not
            if self._persons_path is not None and pd.api.types.is_object_dtype(case_dtype):
                out.person_sink = store._person_sink(self._persons_path, self._metadata,
                                                     case_dtype, person_dtype, True, depth=1)

        def emit(cases: Any) -> None:
            nonlocal waiting
            counts["cases"] += cases.num_rows
            counts["partner_violence_cases"] += int(
                np.count_nonzero(cases.column("s0").to_numpy() > 0))
            if out.persons is not None:
                rows = person_rows(cases)
                if not out.read_back:
                    if out.saved is None:
                        out.saved = pa.ipc.new_file(str(out.saved_path), rows.schema)
                    out.saved.write_table(rows)
                out.persons.add(rows)
            if cases_sink is not None:
                done.append(cases)
                waiting += cases.num_rows

        def flush() -> None:
            nonlocal waiting
            if done:
                assert cases_sink is not None
                cases_sink.add(pa.concat_tables(done).combine_chunks())
                done.clear()
                waiting = 0

        runs = CaseRuns([LABELS.index(label) for label in _LABELS], with_person, emit)
        try:
            for keys in self._chunks(stop):
                runs.add(keys)
                if waiting >= STREAM_BATCH_ROWS:
                    flush()
            runs.finish()
            flush()
            if out.persons is not None:
                out.persons.finish()
            if out.saved is not None:
                out.saved.close()
            if cases_sink is not None:
                cases_sink.close()
                if out.read_back:  # finished (its temporary file, if the run's are staged)
                    out.case_file = cases_sink.written_path
        except BaseException:
            clean_up(cases_sink.abort if cases_sink is not None else None, out.abort)
            raise
        return out


class _Streamed:
    """What the thread of a streamed case roll-up leaves (:class:`_CaseStream`)."""

    def __init__(self, saved_path: Path) -> None:
        self.counts: dict[str, int] = {"cases": 0, "partner_violence_cases": 0}
        self.persons: PersonRuns | None = None  # the persons by runs, and their check
        self.person_sink: _Sink | None = None  # the person roll-up by runs, not closed
        self.saved: Any = None  # IPC writer of the person rows, for the parts' route
        self.saved_path = saved_path
        #: Whether the parts' route reads the person rows back from the Parquet case
        #: roll-up (then none are saved), and that finished file.
        self.read_back = False
        self.case_file: Path | None = None

    def abort(self) -> None:
        """Remove the person roll-up by runs and close the files."""
        clean_up(self.person_sink.abort if self.person_sink is not None else None,
                 self.persons.close if self.persons is not None else None,
                 self.saved.close if self.saved is not None else None)
        self.person_sink = None


class _Sink:
    """One roll-up file written batch by batch; encoded in a background thread.

    Parquet batches go straight from Arrow to the file, else through pandas:
    ``to_frame`` gives a batch's rows as the pandas route does, ``to_table`` as an
    Arrow table with the same columns. The first :data:`CHECK_ROWS` rows are converted
    both ways; the Arrow route (cast to the pandas route's types) is taken for every
    batch, the first included, only if it gives the same table there, else every batch
    goes through pandas. (The whole first batch through pandas cost the case roll-up
    ~0.3 s at 10M rows: its label strings are joined per row.)

    The ``ids`` columns (a case or person per row) are written without Parquet
    dictionaries: 10M rows, cases 1.65 -> 1.36 s CPU and 154 -> 141 MB, same values.
    ``depth``: batches that may wait for the writer thread.
    """

    def __init__(self, path: str | Path, metadata: dict[str, Any],
                 to_frame: Callable[[Any], pd.DataFrame], to_table: Callable[[Any], Any],
                 ids: list[str | None], depth: int = 2) -> None:
        writer = ExtractWriter(path, metadata, no_dictionary=[c for c in ids if c])
        self._fmt = writer.format
        self._writer = BackgroundWriter(writer, depth)
        self._to_frame = to_frame
        self._to_table = to_table
        self._schema: Any = None
        self._first = True

    def add(self, batch: Any) -> None:
        """Write one batch of rows."""
        import pyarrow as pa

        writer = self._writer
        if self._schema is not None:
            writer.write_arrow(_cast(self._to_table(batch), self._schema))
            return
        if self._fmt != "parquet":
            writer.write(self._to_frame(batch))
            return
        if self._first:
            self._first = False
            head = batch.slice(0, CHECK_ROWS) if batch.num_rows > CHECK_ROWS else batch
            slow = frame_to_arrow(self._to_frame(head))
            try:
                fast = _cast(self._to_table(head), slow.schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
                fast = None
            if fast is not None and fast.equals(slow):
                self._schema = slow.schema
                writer.write_arrow(fast if head is batch
                                   else _cast(self._to_table(batch), self._schema))
                return
            if head is batch:
                writer.write_arrow(slow)
                return
        writer.write_arrow(frame_to_arrow(self._to_frame(batch)))

    def close(self) -> None:
        """Finish the file (see :meth:`~pv_identify.io.writers.BackgroundWriter.close`)."""
        self._writer.close()

    @property
    def written_path(self) -> Path:
        """Where the finished file is (:attr:`ExtractWriter.written_path`)."""
        return self._writer.writer.written_path

    def abort(self) -> None:
        """Stop writing and remove the temporary file."""
        self._writer.abort()
