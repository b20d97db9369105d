"""Tag chunks with rules and model, once per distinct (fields, context) combination.

The model decides an offence from its own fields (qualification, MC, article,
disposal) and a small context: signals of the other offences of its case, of the
person's earlier cases, their number, the year. A register repeats the same fields
millions of times and the context takes few values, so a :class:`ModelCache`

1. gives every row a *slot* of a :class:`~pv_identify.stream.distinct.DistinctTagger`
   keyed by the rule fields plus the disposal (the rules' output is cached there),
   and keeps each slot's own signals (computed once, :class:`ValueCache` for the
   per-value feature parts);
2. takes the context per row -- computed within the chunk (:func:`feature_context`),
   or given from an out-of-core pass over the whole file
   (:mod:`pv_identify.stream.history`);
3. packs slot and context into one integer per row and looks the distinct ones up in
   a bounded cache of finished output rows; only the new ones are featurised (the
   same :func:`~pv_identify.model.features.build_features` on representative rows),
   scored (each distinct feature row once per run, bounded) and combined with the
   rules (:func:`~pv_identify.combine.combine_with_model`);
4. maps the output rows back with one ``take``.

Every step is per row and the representative rows are rows of the chunk, so the
output equals ``pv_identify.tag(frame, model=...)`` when the context is the same
(whole frame, or the out-of-core context of the whole file).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.combine import RuleColumns, combine_with_model
from pv_identify.io.mapping import ColumnMapping
from pv_identify.model.features import (
    FeatureContext,
    ValueCache,
    build_features,
    feature_context,
    own_signals,
)
from pv_identify.schema import (
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_RULE_IDS,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
    SOURCE_RULE,
)
from pv_identify.stream.distinct import DEFAULT_CACHE_ENTRIES, DistinctTagger
from pv_identify.tagger import Tagger, output_frame

#: Default bound on the scored feature rows kept (a few hundred bytes each).
DEFAULT_SCORED_ENTRIES = 500_000

# bit layout of the packed (slot, context) key: year | hist_n | hist | multi | case | slot
_SIGNAL_BITS = 13
_YEAR_BITS = 12


class ModelCache:
    """Rules + model output per chunk, cached per distinct fields and context.

    Parameters
    ----------
    tagger : Tagger
        A tagger with a model.
    columns : mapping, optional
        Column mapping, as for :func:`pv_identify.tag`.
    overwrite : bool, default True
        Replace existing ``pv_*`` columns.
    max_entries : int, default DEFAULT_CACHE_ENTRIES
        Bound on the cached field combinations and on the cached output rows.
    max_scored : int, default DEFAULT_SCORED_ENTRIES
        Bound on the cached model probabilities (per distinct feature row).
    """

    def __init__(self, tagger: Tagger, *, columns: Mapping[str, str | Sequence[str]] | None = None,
                 overwrite: bool = True, max_entries: int = DEFAULT_CACHE_ENTRIES,
                 max_scored: int = DEFAULT_SCORED_ENTRIES) -> None:
        if tagger.fitted_model is None:
            raise ValueError("ModelCache needs a tagger with a model")
        self.tagger = tagger
        self.columns = columns
        self.max_entries = int(max_entries)
        self.max_scored = int(max_scored)
        self.distinct = DistinctTagger(tagger, columns=columns, overwrite=overwrite,
                                       max_entries=max_entries, extra_fields=("disposal",))
        self.values = ValueCache()
        self._slot_bits = max(int(max_entries).bit_length(), 1)
        if self._slot_bits + 2 * _SIGNAL_BITS + 1 + 2 + _YEAR_BITS > 63:
            raise ValueError("max_entries too large for the packed cache key")
        self._lock = threading.RLock()
        self._flushes = -1
        self._own = np.zeros(0, dtype=np.int64)
        self._pairs: dict[int, int] = {}
        self._store: pd.DataFrame | None = None
        self._store_arrow: Any = None
        self._scored: dict[tuple[str, str], np.ndarray] = {}
        #: Statistics: distinct output rows computed, feature rows scored.
        self.computed = 0
        self.scored = 0

    @property
    def mapping(self) -> ColumnMapping:
        """The resolved column mapping (after the first chunk)."""
        if self.distinct.mapping is None:
            raise RuntimeError("nothing tagged yet")
        return self.distinct.mapping

    def prepare(self, available: Sequence[str]) -> ColumnMapping:
        """Resolve the mapping for frames with columns ``available`` (raises as ``tag``)."""
        return self.distinct.prepare(available)

    def _reset_pairs(self) -> None:
        self._pairs = {}
        self._store = None
        self._store_arrow = None

    # -- the core: slots -> packed keys -> output rows ---------------------------------

    def _slots(self, key_values: list[Any], fetch: Any, n_rows: int) -> np.ndarray:
        before = len(self.distinct.store) if self.distinct.size else 0
        flushes = self.distinct.flushes
        slots = self.distinct.slots(key_values, fetch, n_rows)
        if flushes != self.distinct.flushes or self._flushes < 0:
            self._flushes = self.distinct.flushes
            before = 0
            self._own = np.zeros(0, dtype=np.int64)
            self._reset_pairs()
        stored = len(self.distinct.store)
        if stored > len(self._own):
            grown = np.zeros(stored, dtype=np.int64)
            grown[:len(self._own)] = self._own
            new_rows = np.flatnonzero(slots >= max(before, len(self._own)))
            if len(new_rows):
                uniq, first = np.unique(slots[new_rows], return_index=True)
                small = fetch(new_rows[first]).reset_index(drop=True)
                grown[uniq] = own_signals(small, self._small_mapping(small),
                                          self.tagger.compiled, self.values)
            self._own = grown
        return slots

    def _small_mapping(self, small: pd.DataFrame) -> ColumnMapping:
        fields: dict[str, Any] = {}
        mapping = self.mapping
        for fld in ("qualification", "article", "disposal"):
            if mapping.get(fld) and mapping.get(fld) in small.columns:
                fields[fld] = mapping.get(fld)
        if mapping.mc:
            fields["mc"] = list(mapping.mc)
        return ColumnMapping.resolve(small.columns, fields)

    def _pack(self, slots: np.ndarray, ctx: FeatureContext) -> np.ndarray:
        key = slots.astype(np.int64)
        shift = self._slot_bits
        for part, bits in ((ctx.case_mask, _SIGNAL_BITS), (ctx.multi, 1),
                           (ctx.hist_mask, _SIGNAL_BITS), (ctx.hist_n, 2)):
            key |= np.asarray(part, dtype=np.int64) << shift
            shift += bits
        year = np.asarray(ctx.year, dtype=np.int64) + 1
        if len(year) and (year.min() < 0 or year.max() >= 1 << _YEAR_BITS):
            year = np.clip(year, 0, (1 << _YEAR_BITS) - 1)  # never in real registers
        return key | (year << shift)

    def output_rows(self, slots: np.ndarray, ctx: FeatureContext, fetch: Any) -> np.ndarray:
        """Return each row's output row (index into :attr:`store`), computing new ones."""
        key = self._pack(slots, ctx)
        codes, uniques = pd.factorize(key)
        codes = np.asarray(codes, dtype=np.int64)
        if len(self._pairs) + len(uniques) > self.max_entries:
            self._reset_pairs()
        get = self._pairs.get
        found = np.fromiter((get(k, -1) for k in uniques.tolist()), dtype=np.int64,
                            count=len(uniques))
        missing = np.flatnonzero(found < 0)
        if len(missing) or self._store is None:
            reps = np.empty(len(uniques), dtype=np.int64)
            reps[codes[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype=np.int64)
            rows = reps[missing]
            computed = self._compute(rows, slots[rows], ctx.take(rows), fetch)
            start = 0 if self._store is None else len(self._store)
            self._append(computed)
            new = np.arange(start, start + len(missing), dtype=np.int64)
            found[missing] = new
            for k, v in zip(uniques[missing].tolist(), new.tolist(), strict=True):
                self._pairs[k] = v
            self.computed += len(missing)
        return found[codes]

    def _compute(self, rows: np.ndarray, slots: np.ndarray, ctx: FeatureContext,
                 fetch: Any) -> pd.DataFrame:
        small = fetch(rows).reset_index(drop=True)
        model = self.tagger.fitted_model
        features = build_features(small, self._small_mapping(small), self.tagger.compiled,
                                  cache=self.values, context=ctx)
        proba = self._score(features.table)[features.codes]
        stored = self.distinct.store.take(slots)
        rules = RuleColumns(
            fired=(stored[OUT_SOURCE].astype(object) == SOURCE_RULE).to_numpy(dtype=bool),
            rule_ids=stored[OUT_RULE_IDS].to_numpy(dtype=object),
            evidence=stored[OUT_EVIDENCE].to_numpy(dtype=object),
            label_code=np.asarray(stored[OUT_LABEL].cat.codes, dtype=np.int64))
        combined = combine_with_model(rules, proba, model.classes_, self.tagger.threshold,
                                      refine_unspecified=self.tagger.refine_unspecified)
        return pd.DataFrame(output_frame(rules, pd.RangeIndex(len(small)), combined))

    def _score(self, table: pd.DataFrame) -> np.ndarray:
        model = self.tagger.fitted_model
        keys = list(zip(table["qualification"].tolist(), table["tokens"].tolist(), strict=True))
        if len(self._scored) + len(keys) > self.max_scored:
            self._scored = {}
        out = np.zeros((len(keys), len(model.classes_)))
        missing = []
        for i, k in enumerate(keys):
            hit = self._scored.get(k)
            if hit is None:
                missing.append(i)
            else:
                out[i] = hit
        if missing:
            idx = np.asarray(missing, dtype=np.int64)
            proba = model.predict_proba_table(table.iloc[idx].reset_index(drop=True))
            out[idx] = proba
            for i, row in zip(missing, proba, strict=True):
                self._scored[keys[i]] = row
            self.scored += len(missing)
        return out

    def _append(self, outputs: pd.DataFrame) -> None:
        outputs = outputs[list(OUTPUT_COLUMNS)].reset_index(drop=True)
        if self._store is None or len(self._store) == 0:
            self._store = outputs
        elif len(outputs):
            self._store = pd.concat([self._store, outputs], ignore_index=True)
        self._store_arrow = None

    @property
    def store(self) -> pd.DataFrame:
        """Output rows computed so far (one per distinct fields and context)."""
        if self._store is None:
            raise RuntimeError("nothing tagged yet")
        return self._store

    # -- pandas and Arrow chunks --------------------------------------------------------

    def outputs(self, frame: pd.DataFrame, context: FeatureContext | None = None
                ) -> tuple[pd.DataFrame, np.ndarray]:
        """Output columns for a pandas chunk and the output row of each row.

        Parameters
        ----------
        frame : pandas.DataFrame
            A chunk of the extract.
        context : FeatureContext, optional
            Context of the chunk's rows from a pass over the whole file; default:
            computed within ``frame`` (then equal to ``pv.tag(frame, model=...)``).

        Returns
        -------
        outputs : pandas.DataFrame
            The ``pv_*`` columns with the index of ``frame``.
        rows : numpy.ndarray of int64
            Row -> output row (index into :attr:`store`).
        """
        with self._lock:
            mapping = self.prepare(frame.columns)
            keys = frame[self.distinct.key_columns]

            def fetch(rows: np.ndarray) -> pd.DataFrame:
                return keys.iloc[rows]

            slots = self._slots([keys[c] for c in self.distinct.key_columns], fetch, len(frame))
            if context is None:
                context = feature_context(frame, mapping, self._own[slots])
            out_rows = self.output_rows(slots, context, fetch)
            out = self.store.take(out_rows)
        out.index = frame.index
        return out, out_rows

    def arrow_outputs(self, table: Any, context: FeatureContext | None = None
                      ) -> tuple[Any, np.ndarray]:
        """Output columns for an Arrow chunk, as an Arrow table (see :meth:`outputs`)."""
        import pyarrow as pa

        with self._lock:
            mapping = self.prepare(table.schema.names)
            cols = [table.column(c) for c in self.distinct.key_columns]
            keys = pa.table(dict(zip(self.distinct.key_columns, cols, strict=True)))

            def fetch(rows: np.ndarray) -> pd.DataFrame:
                return keys.take(pa.array(rows)).to_pandas()

            slots = self._slots(cols, fetch, table.num_rows)
            if context is None:
                ctx_cols = [c for c in (mapping.get("case_id"), mapping.get("person_id"),
                                        mapping.get("registration_date"),
                                        mapping.get("offence_date")) if c]
                frame = table.select(list(dict.fromkeys(ctx_cols))).to_pandas()
                context = feature_context(frame, mapping, self._own[slots])
            out_rows = self.output_rows(slots, context, fetch)
            return _unique_dictionary_take(self._arrow_store(), out_rows), out_rows

    def _arrow_store(self) -> Any:
        import pyarrow as pa

        if self._store_arrow is None:
            table = pa.Table.from_pandas(self.store, preserve_index=False)
            fields = []
            for fld in table.schema:
                if pa.types.is_string(fld.type) or pa.types.is_null(fld.type):
                    fld = fld.with_type(pa.large_string())
                fields.append(fld)
            self._store_arrow = table.cast(pa.schema(fields)).replace_schema_metadata(None)
        return self._store_arrow

    def own(self, slots: np.ndarray) -> np.ndarray:
        """Own signals of rows given their slots (after :meth:`slots_of`)."""
        return self._own[slots]

    def slots_of(self, key_values: list[Any], fetch: Any, n_rows: int) -> np.ndarray:
        """Slots of a chunk's rows (key columns in :attr:`DistinctTagger.key_columns` order)."""
        with self._lock:
            return self._slots(key_values, fetch, n_rows)


def _unique_dictionary_take(store: Any, rows: np.ndarray) -> Any:
    """Rows ``rows`` of ``store``; string columns as dictionary arrays of distinct strings.

    Output rows differ by context, so their strings repeat across rows of the store:
    the used rows' strings are dictionary-encoded (unique dictionary), then taken.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    present = np.bincount(rows, minlength=store.num_rows) > 0
    used = np.flatnonzero(present)
    remap = np.zeros(store.num_rows, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    part = store.take(pa.array(used))
    indices = pa.array(remap[rows])
    columns = {}
    for name in part.column_names:
        col = part.column(name).combine_chunks()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            encoded = pc.dictionary_encode(col)
            columns[name] = pa.DictionaryArray.from_arrays(
                encoded.indices.take(indices), encoded.dictionary)
        else:
            columns[name] = col.take(indices)
    return pa.table(columns)
