"""Tag a file chunk by chunk: read → tag → write, with progress and a summary.

How a run works:

* **Streaming.** Parquet is read by batches of ``chunk_rows`` rows, CSV and SPSS in
  chunks of ``chunk_rows`` rows; memory stays bounded by the chunk size. Roll-up
  keys go to a temporary Parquet key file that DuckDB queries at the end
  (:mod:`pv_identify.stream.rollups`).
* **Distinct values.** Without a model, each chunk goes through a
  :class:`~pv_identify.cache.DistinctTagger`: the rules run once per distinct
  combination of qualification, MC and article, with a bounded cache shared by all
  chunks, and the results are mapped back with one vectorised ``take``. The output
  equals ``pv_identify.tag(chunk, ...)`` row for row.
* **Arrow fast path.** Parquet in, Parquet (or nothing) out: the chunks stay Arrow
  tables, the ``pv_*`` columns are appended and the other columns are written back
  untouched (they keep their Parquet types).
* **Parallelism.** ``n_jobs > 1`` tags chunks in joblib worker processes while the
  main process reads and writes; results are written in input order, so the output
  is identical to the serial run. Only the rule fields travel to the workers.
* **Atomic output.** Every output (tagged file, case and person roll-ups) goes to a
  temporary file; all are moved into place together only when the whole run
  succeeded. An error or an interrupt (Ctrl-C, SIGTERM, SIGHUP) removes them all;
  temporary files of an earlier run that was killed (SIGKILL) are removed by the
  next run writing the same output.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.readers import file_format, iter_arrow, iter_extract, row_count
from pv_identify.io.samefile import check_paths
from pv_identify.io.writers import (
    BackgroundWriter,
    ExtractWriter,
    staged_outputs,
)
from pv_identify.rules.apply import cross_chunk_cache
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import (
    ID_SEPARATOR,
    LABELS,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
)
from pv_identify.stream.context_rollups import RowCodes, contiguous_cases, row_codes
from pv_identify.stream.distinct import (
    DEFAULT_CACHE_ENTRIES,
    DistinctTagger,
    process_tagger,
    text_mapping,
)
from pv_identify.stream.heap import trim_heap
from pv_identify.stream.interrupt import clean_up, exit_with_parent, termination_as_interrupt
from pv_identify.stream.passthrough import mostly_distinct, passthrough_types
from pv_identify.stream.progress import Progress
from pv_identify.stream.readahead import read_ahead
from pv_identify.stream.rollup_parts import rollup_parts
from pv_identify.stream.rollups import RollupStore
from pv_identify.tagger import Tagger

log = logging.getLogger(__name__)

_KEY_FIELDS = ("case_id", "person_id", "registration_date", "offence_date")


@dataclass
class RunSummary:
    """Counts of a tagging run (no record contents)."""

    rows: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    partner_violence: int = 0
    domestic_violence: int = 0
    cases: int | None = None
    partner_violence_cases: int | None = None
    persons: int | None = None
    partner_violence_persons: int | None = None
    seconds: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)

    def add(self, tagged: pd.DataFrame, weights: np.ndarray | None = None) -> None:
        """Add the counts of one tagged chunk.

        Parameters
        ----------
        tagged : pandas.DataFrame
            Tagged rows (at least the ``pv_*`` columns).
        weights : numpy.ndarray, optional
            Number of offences each row stands for (for distinct combinations);
            1 per row when omitted.
        """
        self.add_distinct(tagged[OUT_LABEL].astype(object).to_numpy(),
                          tagged[OUT_SOURCE].astype(object).to_numpy(),
                          tagged[OUT_PARTNER].to_numpy(dtype=bool),
                          tagged[OUT_DOMESTIC].to_numpy(dtype=bool),
                          tagged[OUT_RULE_IDS].astype(object).to_numpy(),
                          np.ones(len(tagged), dtype=np.int64) if weights is None else weights)

    def add_distinct(self, labels: Sequence[Any], sources: Sequence[Any], partner: np.ndarray,
                     domestic: np.ndarray, rule_ids: Sequence[Any], weights: np.ndarray
                     ) -> None:
        """Add the counts of tagged rows given as columns, each row ``weights`` offences.

        The counts :meth:`add` gives (it calls this), without pandas: the model path
        hands over a chunk's few dozen distinct outputs
        (:meth:`~pv_identify.stream.model_cache.ModelCache.count_rows`), where three
        pandas group-bys and a frame per chunk cost ~1 ms each (10M rows: ~1 cpu s of
        pass 2's main thread). Labels, sources and rule ids are counted in sorted order
        of their values, as the group-bys gave them (the summary's ties keep their
        order); missing values are not counted.

        Parameters
        ----------
        labels, sources, rule_ids : sequence
            ``pv_label``, ``pv_source`` and ``pv_rule_ids`` of the rows (strings).
        partner, domestic : numpy.ndarray of bool
            ``pv_partner_violence`` and ``pv_domestic_violence``.
        weights : numpy.ndarray
            Offences per row.
        """
        weights = np.asarray(weights, dtype=np.int64)
        self.rows += int(weights.sum())
        counts = weights.tolist()
        for counter, values in ((self.labels, labels), (self.sources, sources)):
            counter.update({str(k): v for k, v in _sums(values, counts) if v})
        self.partner_violence += int(weights[np.asarray(partner, dtype=bool)].sum())
        self.domestic_violence += int(weights[np.asarray(domestic, dtype=bool)].sum())
        for ids, count in _sums(rule_ids, counts):
            for rule_id in str(ids).split(ID_SEPARATOR):
                if rule_id and count:
                    self.rules[rule_id] += count

    def merge(self, other: RunSummary) -> None:
        """Add the offence counts of ``other`` (a partial summary of some chunks)."""
        self.rows += other.rows
        self.labels.update(other.labels)
        self.sources.update(other.sources)
        self.rules.update(other.rules)
        self.partner_violence += other.partner_violence
        self.domestic_violence += other.domestic_violence

    def format(self) -> str:
        """Return a short human-readable summary."""
        rs = self.metadata.get("ruleset", {})
        share = (lambda n: f"{n:,} ({n / self.rows:.1%})") if self.rows else str
        lines = [
            f"rule set        {rs.get('name')} {rs.get('version')} (hash {rs.get('hash')})",
            f"offences        {self.rows:,}",
            f"partner viol.   {share(self.partner_violence)}",
            f"domestic viol.  {share(self.domestic_violence)}",
        ]
        if self.cases is not None:
            lines.append(f"cases           {self.cases:,}, of which partner violence "
                         f"{self.partner_violence_cases:,}")
        if self.persons is not None:
            lines.append(f"persons         {self.persons:,}, with partner violence "
                         f"{self.partner_violence_persons:,}")
        lines.append("labels          " + ", ".join(
            f"{label} {self.labels.get(label, 0):,}" for label in LABELS))
        lines.append("top rules       " + ", ".join(
            f"{rid} {n:,}" for rid, n in self.rules.most_common(6)))
        lines.append(f"time            {self.seconds:,.1f} s")
        return "\n".join(lines)


def _sums(values: Sequence[Any], counts: list[int]) -> list[tuple[Any, int]]:
    """Return (value, summed count) per distinct value, in sorted order of the values.

    A missing value (None or NaN) is left out, as a pandas group-by leaves it out.
    """
    sums: dict[Any, int] = {}
    for value, count in zip(values, counts, strict=True):
        if value is None or value != value:  # NaN is not equal to itself
            continue
        sums[value] = sums.get(value, 0) + count
    return sorted(sums.items(), key=lambda item: item[0])


# -- the per-chunk job (runs in the main process or in joblib workers) ------------------

#: Rows per chunk when tagging with rules only.
DEFAULT_CHUNK_ROWS = 200_000
#: Rows per chunk with a model: its features need ~3 KB a row; 100k keeps a 10M-row
#: stream under 1 GiB (bench/README.md).
DEFAULT_MODEL_CHUNK_ROWS = 100_000
#: Rows per chunk of the model path's pass 1 (:func:`~pv_identify.stream.history.case_context`)
#: over a Parquet file when ``chunk_rows`` is not given. The pass reads only the rule
#: fields, ids and date, so a chunk costs far less memory than pass 2's, and each chunk
#: has fixed work (the rules on its new combinations, the hashing, the split by part):
#: 10M rows, 269k-row groups: pass 1 ~5.0 -> ~3.6 s and ~1.9 cpu s less than with 100k,
#: its peak 616 -> 728 MiB, below pass 2's (bench/README.md, session 16). A row group
#: smaller than this is one chunk.
DEFAULT_CONTEXT_CHUNK_ROWS = 300_000



#: DuckDB limit of the roll-up queries after a model run: the process still holds the
#: model and its rule caches (~0.7 GiB at 10M rows), so the queries get less than the
#: rules-only default to keep the whole run under 1 GiB (they spill beyond; 160 MB, was
#: 256: 10M peak 1,057 -> 990-998 MiB with the smaller append limit, same time).
MODEL_ROLLUP_MEMORY_LIMIT = "160MB"


class ChunkJob:
    """Tag one chunk with the run's tagger; picklable, for joblib workers.

    Parameters
    ----------
    tagger : Tagger
        The run's configuration (rules, model, threshold, options).
    columns : mapping
        Column mapping of the fields the job sees.
    cache_entries : int
        Bound of the distinct-combination cache (rules only).
    overwrite : bool, default True
        Replace existing ``pv_*`` columns (model path: whole chunks are tagged).

    Returns
    -------
    tuple
        ``job(part)`` returns ``(outputs, summary)``: the ``pv_*`` columns (pandas
        DataFrame with the part's index, or Arrow table for Arrow parts) and the
        counts of the part as a :class:`RunSummary`.
    """

    def __init__(self, tagger: Tagger, columns: Mapping[str, Any] | None, cache_entries: int,
                 overwrite: bool = True) -> None:
        self.tagger = tagger
        self.columns = dict(columns) if columns is not None else None
        self.cache_entries = cache_entries
        self.overwrite = overwrite
        self._local: DistinctTagger | None = None
        self._model_cache: Any = None
        self._parent = os.getpid()  # workers exit when this process dies

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_local"] = None  # workers keep their own cache (see _tagger)
        state["_model_cache"] = None
        return state

    def bind(self) -> ChunkJob:
        """Give this (main-process) job its own cache for the duration of one run."""
        self._local = DistinctTagger(self.tagger, columns=self.columns, overwrite=True,
                                     max_entries=self.cache_entries)
        return self

    def _distinct(self) -> DistinctTagger:
        if self._local is not None:
            return self._local
        return process_tagger(self.tagger, self.columns, True, self.cache_entries)

    def model_cache(self) -> Any:
        """Return the model path's cache (one per job and process)."""
        if self._model_cache is None:
            from pv_identify.stream.model_cache import ModelCache

            self._model_cache = ModelCache(self.tagger, columns=self.columns,
                                           overwrite=self.overwrite,
                                           max_entries=self.cache_entries)
        return self._model_cache

    def __call__(self, part: Any) -> tuple[Any, RunSummary]:
        """Tag one part (see the class docstring for what is returned).

        With a model, ``part`` is ``(chunk, context)``: the context is the chunk's
        pass-1 summary (:mod:`pv_identify.stream.history`) or None (within the chunk).
        """
        exit_with_parent(getattr(self, "_parent", os.getpid()))
        counts = RunSummary()
        with cross_chunk_cache():
            if self.tagger.model is not None:
                chunk, context = part
                cache = self.model_cache()
                if isinstance(chunk, pd.DataFrame):
                    outputs = cache.outputs(chunk, context)
                else:
                    outputs = cache.arrow_outputs(chunk, context)
                counts.add_distinct(*cache.count_rows())
                return outputs, counts
            distinct = self._distinct()
            if isinstance(part, pd.DataFrame):
                outputs, slots = distinct.outputs(part)
            else:
                outputs, slots = distinct.arrow_outputs(part)
            weights = np.bincount(slots, minlength=distinct.stored)
            used = np.flatnonzero(weights)
            counts.add(distinct.store.take(used), weights[used])
        return outputs, counts


# -- the run ----------------------------------------------------------------------------

def _all_or_nothing(run: Callable[..., RunSummary]) -> Callable[..., RunSummary]:
    """Run ``tag_file`` with SIGTERM/SIGHUP handled as Ctrl-C and all outputs staged.

    The main output and the roll-ups are committed together at the end, or none of
    them (:func:`~pv_identify.io.writers.staged_outputs`); an error raised while a
    signal unwinds the run is reported as the interruption
    (:func:`~pv_identify.stream.interrupt.termination_as_interrupt`).
    """

    @functools.wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> RunSummary:
        with termination_as_interrupt(), staged_outputs():
            return run(*args, **kwargs)

    return wrapper


@_all_or_nothing
def tag_file(
    input_path: str | Path,
    output_path: str | Path | None,
    rules: RuleSet | str | Path | Tagger = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    chunk_rows: int | None = None,
    cases_path: str | Path | None = None,
    persons_path: str | Path | None = None,
    progress: bool = True,
    overwrite: bool = False,
    model: Any = None,
    threshold: float = 0.5,
    refine_unspecified: bool = True,
    n_jobs: int = 1,
    cache_entries: int = DEFAULT_CACHE_ENTRIES,
    arrow: bool = True,
    extra_terms: Mapping[str, str | Path] | None = None,
    enable: Iterable[str] | None = None,
    disable: Iterable[str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> RunSummary:
    """Tag an extract file chunk by chunk and write the result atomically.

    Parameters
    ----------
    input_path : str or pathlib.Path
        CSV, Parquet, SPSS, Stata or Excel file.
    output_path : str or pathlib.Path, optional
        Output file (format from the suffix); None tags and summarises only.
    rules : Tagger, RuleSet, str or pathlib.Path, default "default"
        A configured :class:`~pv_identify.Tagger` (then ``model``, ``threshold``,
        ``refine_unspecified``, ``extra_terms``, ``enable`` and ``disable`` are not
        used), or the rules as for :func:`pv_identify.tag`.
    columns : mapping, optional
        Column mapping.
    chunk_rows : int, optional
        Rows per chunk; default :data:`DEFAULT_CHUNK_ROWS`, or
        :data:`DEFAULT_MODEL_CHUNK_ROWS` with a model (its features take ~3 KB a row),
        whose first pass over a Parquet file then reads
        :data:`DEFAULT_CONTEXT_CHUNK_ROWS` at a time (given: every pass uses it).
    cases_path, persons_path : str or pathlib.Path, optional
        Where to write the case and person roll-ups. The summary counts cases and
        persons only when one of them is given (the keys go to a temporary Parquet
        file next to the roll-up output, queried by DuckDB with bounded memory).
    progress : bool, default True
        Show progress (rows, rows/s, ETA) on standard error.
    overwrite : bool, default False
        Replace existing ``pv_*`` columns in the input.
    model : object, str or pathlib.Path, optional
        A fitted model, ``"default"`` or a model file (loaded once). With a case id
        column, a first pass over the file (:mod:`pv_identify.stream.history`, DuckDB,
        bounded memory) gives every row its case and person-history context, so the
        output equals :func:`pv_identify.tag` on the whole file in any row order; the
        second pass scores each distinct (fields, context) combination once
        (:class:`~pv_identify.stream.model_cache.ModelCache`).
    threshold : float, default 0.5
        Model threshold (see :func:`pv_identify.tag`).
    refine_unspecified : bool, default True
        See :func:`pv_identify.tag`.
    n_jobs : int, default 1
        Worker processes for tagging (joblib); 1 tags in this process. Output order
        and content do not depend on it. On register data the distinct-value cache
        makes tagging cheap, so more processes rarely help (see ``bench/README.md``).
    cache_entries : int, default DEFAULT_CACHE_ENTRIES
        Bound on the cached distinct field combinations (per process).
    arrow : bool, default True
        Use the Arrow fast path for Parquet → Parquet (False forces the pandas path;
        the values are the same).
    extra_terms, enable, disable
        As for :func:`pv_identify.tag`.
    encoding, sheet
        Passed to :func:`pv_identify.io.readers.iter_extract` (text encoding of a
        CSV/SPSS input; Excel sheet). Detected / the only sheet when omitted.

    Returns
    -------
    RunSummary
        Counts of the run.

    Raises
    ------
    InputFileError
        If the input cannot be read or an output type is unknown.
    ColumnMappingError
        If the mapping is invalid or ``pv_*`` columns exist without ``overwrite``.
    KeyboardInterrupt
        Re-raised after the temporary outputs were removed (SIGTERM and SIGHUP raise
        :class:`~pv_identify.stream.interrupt.Interrupted`, a KeyboardInterrupt).
    """
    input_path = Path(input_path)
    _check_paths(input_path, output_path, cases_path, persons_path)
    tagger = rules if isinstance(rules, Tagger) else Tagger(
        rules, model=model, threshold=threshold, refine_unspecified=refine_unspecified,
        extra_terms=extra_terms, enable=enable, disable=disable)
    tagger.bind()  # a bad rule file, model file or option fails before reading anything
    model = tagger.fitted_model
    context_rows = chunk_rows
    if chunk_rows is None:
        chunk_rows = DEFAULT_MODEL_CHUNK_ROWS if model is not None else DEFAULT_CHUNK_ROWS
    if chunk_rows < 1:
        raise PvIdentifyError("chunk_rows must be at least 1")
    if n_jobs == 0 or n_jobs < -1:
        raise PvIdentifyError("n_jobs must be a positive number of processes or -1 (all cores)")
    in_format = file_format(input_path)
    if context_rows is None:  # pass 1 of the model path (see DEFAULT_CONTEXT_CHUNK_ROWS)
        context_rows = DEFAULT_CONTEXT_CHUNK_ROWS if in_format == "parquet" else chunk_rows
    for out in (output_path, cases_path, persons_path):
        if out is not None:
            file_format(out)  # unknown output type: fail before reading anything
    use_arrow = (arrow and in_format == "parquet"
                 and (output_path is None or file_format(output_path) == "parquet"))
    summary = RunSummary()
    meter = Progress(row_count(input_path), enabled=progress)
    want_keys = cases_path is not None or persons_path is not None
    keys = RollupStore(_rollup_dir(cases_path, persons_path), **(
        {"memory_limit": MODEL_ROLLUP_MEMORY_LIMIT} if model is not None else {}),
        parts=rollup_parts(input_path) if want_keys else 1)
    writer: BackgroundWriter | None = None
    state: dict[str, Any] = {"read_options": {"encoding": encoding, "sheet": sheet}}
    chunks: Iterator[Any] = iter(())
    held: deque[Any] = deque()
    # the model's scores take thousands of values: a Parquet dictionary of them costs the
    # writer thread (pass 2's slowest) ~0.2 s per 10M rows for ~2.7 bytes a row less
    plain = [OUT_SCORE] if model is not None else []
    stored: dict[str, Any] = {}  # input columns handed to the writer as dictionaries
    context = None
    paired = False  # the chunks come with their context (see _with_context)
    frozen = False
    codes = None  # roll-ups taken from the context pass (stream/context_rollups.py)
    if model is not None:
        context = _model_context(input_path, use_arrow, tagger, columns, overwrite,
                                 cache_entries, context_rows, state,
                                 rollups=want_keys and keys.parts > 1)
        if context is not None and use_arrow:
            codes = context.codes
            if codes is not None and contiguous_cases(codes.directory):
                # every case is one run of rows: the case roll-up is written while the
                # file is tagged (stream/case_runs.py), not from the case parts after it
                context.detach_codes()
                codes.close()
                codes = None
                keys.stream_cases(cases_path, persons_path, state["metadata"])
        # Pass 1 left many long-lived cache objects (distinct values, slots,
        # token lists): keep the cyclic GC from rescanning them in every full
        # collection of pass 2 (~13 % of a 10M-row run); unfrozen when the pass ends.
        gc.freeze()
        frozen = True
    if use_arrow:
        if output_path is not None and "mapping" not in state:
            _early_start(input_path, state, tagger, columns, overwrite, cache_entries, n_jobs)
        if output_path is not None and "mapping" in state:
            # (never an output column: with overwrite, the input's pv_* are replaced)
            stored = passthrough_types(input_path, exclude=[*_id_columns(state["mapping"]),
                                                            *OUTPUT_COLUMNS])
        # the model path's work per chunk overlaps the reading, done in the read-ahead
        # thread alone: with Arrow's pool decoding too, the writer thread (pass 2's
        # slowest) shared the two cores with three others (10M rows: pass 2 ~0.2 s less)
        chunks = iter_arrow(input_path, chunk_rows=chunk_rows, dictionary=list(stored),
                            use_threads=model is None)
        if model is not None:
            if context is not None:  # each chunk's context read beside it, off this thread
                chunks = _with_context(chunks, context)
                paired = True
            chunks = read_ahead(chunks)
    else:
        chunks = iter_extract(input_path, chunk_rows=chunk_rows, on_bytes=meter.bytes_read,
                              encoding=encoding, sheet=sheet)

    def parts() -> Iterator[Any]:
        for item in chunks:
            chunk, taken = item if paired else (item, None)
            names = list(chunk.schema.names if use_arrow else chunk.columns)
            if "job" not in state:
                state.update(_start(names, tagger, columns, overwrite, cache_entries, n_jobs))
                state["metadata"]["input"] = input_path.name
            elif names != state["names"]:
                raise PvIdentifyError(f"{input_path}: the columns changed between chunks")
            held.append(chunk)
            if model is not None:
                n = chunk.num_rows if use_arrow else len(chunk)
                if not paired and context is not None:
                    taken = context.take(n)
                yield chunk, taken
            elif use_arrow:
                yield chunk.select(state["key_columns"])
            else:
                yield chunk[state["key_columns"]]

    try:
        with cross_chunk_cache():
            for outputs, counts in _run_jobs(parts(), state, n_jobs):
                chunk = held.popleft()
                clash = [c for c in OUTPUT_COLUMNS if c in state["names"]]
                if writer is None and output_path is not None:
                    summary.metadata = state["metadata"]
                    if use_arrow:  # ids: no Parquet dictionary (stream/passthrough.py)
                        plain = [*plain, *mostly_distinct(chunk.drop_columns(clash))]
                    writer = BackgroundWriter(ExtractWriter(output_path, summary.metadata,
                                                            no_dictionary=plain,
                                                            stored_types=stored))
                if use_arrow:
                    table = chunk.drop_columns(clash) if clash else chunk
                    for name in outputs.schema.names:
                        table = table.append_column(outputs.schema.field(name),
                                                    outputs.column(name))
                    if writer is not None:
                        writer.write_arrow(table)
                    if codes is not None:
                        keys.note_arrow(chunk, state["mapping"])
                        codes.add(row_codes(outputs))
                    elif want_keys:
                        keys.append_arrow(chunk, outputs, state["mapping"])
                    n = table.num_rows
                else:
                    base = chunk.drop(columns=clash) if clash else chunk
                    outputs.index = chunk.index
                    tagged = base.assign(**{c: outputs[c] for c in outputs.columns})
                    if writer is not None:
                        writer.write(tagged)
                    if want_keys:
                        keys.append(_key_columns(tagged, state["mapping"]), state["mapping"])
                    n = len(tagged)
                summary.merge(counts)
                meter.update(n)
        if "job" not in state:  # no chunk at all
            raise PvIdentifyError(f"{input_path}: no data")
        summary.metadata = state["metadata"]
        if writer is None and output_path is not None:
            writer = BackgroundWriter(ExtractWriter(output_path, summary.metadata,
                                                    no_dictionary=plain, stored_types=stored))
    except BaseException as exc:
        # the read-ahead thread stops, the context files, the roll-up store's temporary
        # database and the output's temporary file all go
        _abandon(exc, meter.rows, getattr(chunks, "close", None),
                 context.close if context is not None else None, keys.close,
                 writer.abort if writer is not None else None)
        raise
    finally:
        if frozen:
            gc.unfreeze()
    # the writer thread encodes the last chunks while the context pass's files are removed
    # and the caches are dropped (then closed: the roll-ups choose their workers by the
    # resident memory, without its chunks)
    try:
        if context is not None:
            if codes is not None:
                codes = context.detach_codes()
            context.close()
        if want_keys:
            _release_model_caches(state)  # the roll-up queries get the memory back
        if writer is not None:
            writer.close()
    except BaseException as exc:
        _abandon(exc, meter.rows, keys.close, codes.close if codes is not None else None,
                 writer.abort if writer is not None else None)
        raise
    summary.seconds = meter.close()
    if want_keys:
        _rollups(summary, keys, state["mapping"], cases_path, persons_path, codes)
    else:
        keys.close()
    return summary


def _with_context(chunks: Iterator[Any], context: Any) -> Iterator[tuple[Any, Any]]:
    """Yield each Arrow chunk with its rows' context from pass 1 (``context.take``).

    Run in the read-ahead thread: the context's part files are read and its rows placed
    there, beside the decoding, instead of on pass 2's main thread (10M rows: ~0.4 cpu s
    of the thread that tags). The chunks and contexts are taken in the same order.
    """
    try:
        for chunk in chunks:
            yield chunk, context.take(chunk.num_rows)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # the file's reader, as read_ahead closes it


def _abandon(exc: BaseException, rows: int, *steps: Callable[[], object] | None) -> None:
    """Clean up an unwinding run (every step, even after a failing one) and log an interrupt.

    The caller re-raises ``exc``; see :func:`~pv_identify.stream.interrupt.clean_up`.
    """
    clean_up(*steps)
    if isinstance(exc, KeyboardInterrupt):
        log.warning("interrupted after %d rows; no output was written", rows)


def _release_model_caches(state: dict[str, Any]) -> None:
    """Drop the model path's caches and hand the freed heap back to the system.

    Called after pass 2 (or the rules-only pass) and before the roll-up queries:
    without it the process keeps the caches' few hundred MB while DuckDB takes its own
    limit on top (peak 1.27 GiB at 10M rows with roll-ups, against 0.95 GiB without).
    The model cache holds no reference cycles, so dropping it frees it: only the young
    generations are collected after a model run (a full collection scanned every
    tracked object for the few cycles the pass left: ~0.3 s at 10M rows, before the
    roll-ups could start); rules-only runs keep the full collection.
    """
    job = state.get("job")
    model_run = False
    if job is not None:
        model_run = job._model_cache is not None
        job._model_cache = None
        job._local = None  # the rules' distinct-combination cache (rules-only runs)
    gc.collect(1 if model_run else 2)
    trim_heap()


def _model_context(input_path: Path, use_arrow: bool, tagger: Tagger,
                   columns: Mapping[str, Any] | None, overwrite: bool, cache_entries: int,
                   chunk_rows: int, state: dict[str, Any], rollups: bool = False) -> Any:
    """Pass 1 of the model path: the context of every row over the whole file.

    Returns a :class:`~pv_identify.stream.history.ContextReader`, or None when the
    file has no case id (then there is no case or history context to gather). The
    job built here (with its warm cache) is reused by pass 2. With ``rollups`` (and
    Arrow chunks) the pass prepares the roll-ups too where it can (the reader's
    ``codes``; :mod:`pv_identify.stream.context_rollups`).
    """
    from pv_identify.stream.history import case_context, needs_context

    if use_arrow:
        import pyarrow.parquet as pq

        names = list(pq.ParquetFile(input_path).schema_arrow.names)
    else:
        first = next(iter(iter_extract(input_path, chunk_rows=1000,
                                       **state["read_options"])), None)
        if first is None:
            return None
        names = list(first.columns)
    state.update(_start(names, tagger, columns, overwrite, cache_entries, 1))
    state["metadata"]["input"] = input_path.name
    if not needs_context(state["mapping"]):
        return None
    cache = state["job"].model_cache()
    cache.prepare(names)
    # pass 1 tags every new rule-field combination: the hits of each distinct field value
    # are kept across its chunks as in pass 2 (10M rows: 17k qualification matches -> 1k)
    with cross_chunk_cache():
        return case_context(input_path, state["mapping"], cache, chunk_rows,
                            rollups=rollups and use_arrow, **state["read_options"])


def _check_paths(input_path: Path, output_path: str | Path | None,
                 cases_path: str | Path | None, persons_path: str | Path | None) -> None:
    """Refuse outputs that are the input or each other (before any work)."""
    check_paths({"input": input_path},
                {"the output": output_path, "the case roll-up": cases_path,
                 "the person roll-up": persons_path})


def _start(names: list[str], tagger: Tagger, columns: Mapping[str, Any] | None,
           overwrite: bool, cache_entries: int, n_jobs: int) -> dict[str, Any]:
    """Validate the columns of the first chunk and build the job."""
    checker = DistinctTagger(tagger, columns=columns, overwrite=overwrite)
    mapping = checker.prepare(names)  # raises exactly what tag() would
    if tagger.model is not None:
        job = ChunkJob(tagger, columns, cache_entries, overwrite=overwrite)
    else:
        job = ChunkJob(tagger, text_mapping(mapping), cache_entries)
    if n_jobs == 1:
        job.bind()
    return {
        "names": names,
        "mapping": mapping,
        "key_columns": checker.key_columns,
        "job": job,
        "metadata": tagger.metadata(mapping),
    }


def _run_jobs(parts: Iterator[Any], state: dict[str, Any], n_jobs: int
              ) -> Iterator[tuple[Any, RunSummary]]:
    if n_jobs == 1:
        for part in parts:
            yield state["job"](part)
        return
    from joblib import Parallel, delayed

    first = next(parts, None)
    if first is None:
        return
    job = state["job"]

    def all_parts() -> Iterator[Any]:
        yield first
        yield from parts

    with Parallel(n_jobs=n_jobs, return_as="generator", pre_dispatch="2*n_jobs") as parallel:
        yield from parallel(delayed(job)(part) for part in all_parts())


def _early_start(input_path: Path, state: dict[str, Any], tagger: Tagger,
                 columns: Mapping[str, Any] | None, overwrite: bool, cache_entries: int,
                 n_jobs: int) -> None:
    """Resolve the columns of a Parquet input before reading it (rules only).

    The first chunk would give the same job and mapping; pass 2 needs the mapping first
    to choose the columns read as dictionaries (never the ids, :func:`_id_columns`). A
    file whose schema cannot be read, or whose columns do not map, is left to the first
    chunk, which raises what it always raised.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = list(pq.read_schema(input_path).names)
        started = _start(names, tagger, columns, overwrite, cache_entries, n_jobs)
    except (OSError, ValueError, pa.ArrowException, PvIdentifyError):
        return
    state.update(started)
    state["metadata"]["input"] = input_path.name


def _id_columns(mapping: ColumnMapping) -> list[str]:
    """Return the mapped id and date columns (pass 2 reads them as they are)."""
    return [c for f in _KEY_FIELDS if (c := mapping.get(f))]


def _key_columns(tagged: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    cols = [mapping.get(f) for f in _KEY_FIELDS if mapping.get(f)]
    return tagged[[*cols, OUT_LABEL, OUT_PARTNER, OUT_DOMESTIC]]


def _rollup_dir(cases_path: str | Path | None, persons_path: str | Path | None) -> Path | None:
    """Where the roll-ups' temporary database goes: next to their output (else system temp)."""
    out = cases_path if cases_path is not None else persons_path
    return Path(out).parent if out is not None else None


def _rollups(summary: RunSummary, keys: RollupStore, mapping: ColumnMapping,
             cases_path: str | Path | None, persons_path: str | Path | None,
             codes: RowCodes | None = None) -> None:
    """Compute and write the roll-ups out of core (:mod:`pv_identify.stream.rollups`).

    ``codes``: the case parts of the model's context pass with pass 2's outputs
    (:mod:`pv_identify.stream.context_rollups`), used instead of split key rows.
    """
    try:
        if not mapping.get("case_id"):
            log.warning("no case id column: case and person roll-ups skipped")
            return
        counts = keys.write(cases_path, persons_path, summary.metadata, codes=codes)
    finally:
        keys.close()
        if codes is not None:
            codes.close()
    summary.cases = counts.get("cases")
    summary.partner_violence_cases = counts.get("partner_violence_cases")
    summary.persons = counts.get("persons")
    summary.partner_violence_persons = counts.get("partner_violence_persons")
