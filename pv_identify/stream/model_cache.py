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
3. packs the slot's *model class* (slots whose scoring parts are equal bit for bit
   share one) and the context into one integer per row and looks the distinct ones up
   in a bounded cache of finished output rows; only the new ones are scored -- their
   decision is the sum of a slot part (kept per slot), a context part (per distinct
   context) and a year part, added as
   :meth:`~pv_identify.model.estimator.RelationshipClassifier.decision_table` adds
   them for ``pv.tag`` -- and combined with the rules
   (:func:`~pv_identify.combine.combine_with_model`);
4. maps the output rows back with one ``take``.

Every step is per row and the representative rows are rows of the chunk, so the
output equals ``pv_identify.tag(frame, model=...)`` when the context is the same
(whole frame, or the out-of-core context of the whole file).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.io.mapping import ColumnMapping
from pv_identify.model.features import (
    FeatureContext,
    ValueCache,
    build_features,
    feature_context,
    value_parts,
    year_token,
)
from pv_identify.schema import (
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
    SOURCE_RULE,
)
from pv_identify.stream.column_store import with_room
from pv_identify.stream.combine_codes import combine_codes
from pv_identify.stream.context_ids import SIGNAL_BITS, ContextIds, pack
from pv_identify.stream.distinct import (
    DEFAULT_CACHE_ENTRIES,
    DistinctTagger,
    decoded,
    dictionary_take,
    mixed_keys,
    representatives_first,
)
from pv_identify.stream.key_rows import KeyRows, dense_factorize
from pv_identify.tagger import LABEL_DTYPE, SOURCE_DTYPE, Tagger

#: Default bound on the scored feature rows kept (a few hundred bytes each).
DEFAULT_SCORED_ENTRIES = 500_000
#: Default bound on the finished (class, context) output rows kept (~19 bytes each).
DEFAULT_FINISHED_ENTRIES = 2_000_000

# bit layout of the packed (class, context) key: year | hist_n | hist | multi | case | class
_YEAR_BITS = 12


def _part_ids(scorer: weakref.ReferenceType[_Scorer], part: int
              ) -> Callable[[list[str]], list[list[int]]]:
    """Return ``bags -> scorer._ids(bags, part)`` holding the scorer by a weak reference.

    A closure over the scorer itself made a reference cycle (scorer -> context pieces
    -> closure -> scorer): dropping the caches after pass 2 then freed nothing until a
    full collection, which took ~0.3 s at 10M rows before the roll-ups (it scans every
    tracked object); without the cycle reference counting frees them.
    """

    def ids(bags: list[str]) -> list[list[int]]:
        owner = scorer()
        if owner is None:
            raise RuntimeError("the model cache's scorer was released")
        return owner._ids(bags, part)

    return ids


class _Scorer:
    """Score rows from decision parts computed once per distinct slot, context and year.

    :meth:`RelationshipClassifier.decision_table` sums a decision in three parts --
    slot (qualification n-grams and ``art:``/``disp:``/``mc:`` tokens), context (own,
    case and history signals, conjunctions) and year -- and adds them. Here the slot
    part is computed once per cache slot, the context part once per distinct packed
    context and the year part once per year, with the model's own
    :meth:`~RelationshipClassifier.part_decision` and
    :meth:`~RelationshipClassifier.combine_parts`; so the probabilities equal
    :meth:`~RelationshipClassifier.predict_proba_table`'s float for float. ``exact``
    is False for a model without these methods, or once a token turned up in a part
    other than the one its source stands for (then the caller uses the model's own path).
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.exact = all(hasattr(model, name) for name in (
            "part_matrices", "part_decision", "combine_parts", "text_decision",
            "proba_from_decision", "decision_parts"))
        weights = model.decision_parts()[1] if self.exact else np.zeros((1, 0))
        self.width = int(weights.shape[1])
        #: The padding index of :meth:`~RelationshipClassifier.part_matrices` (n_tokens).
        self.pad = len(weights) - 1
        self.text_ids: dict[str, int] = {}
        self.text_rows: list[np.ndarray] = []
        #: Slot-part token indices per distinct (article, MC, disposal) token strings.
        self.slot_tokens: dict[tuple[str, ...], list[int]] = {}
        self.context_ids = KeyRows()
        self.context_table = np.zeros((0, self.width))
        self.year_ids = KeyRows()
        self.year_table = np.zeros((0, self.width))
        #: Token -> (vocabulary index, part), when the token vectoriser splits at
        #: whitespace (see :meth:`_ids`); None: through :meth:`part_matrices`.
        self.vocabulary = _split_vocabulary(model) if self.exact else None
        self._context_pieces: ContextIds | None = None

    def __len__(self) -> int:
        """Entries kept (texts, token strings, contexts, years)."""
        return (len(self.text_rows) + len(self.slot_tokens) + len(self.context_ids)
                + len(self.year_ids))

    def text_codes(self, texts: Sequence[str] | np.ndarray) -> np.ndarray:
        out = np.empty(len(texts), dtype=np.int64)
        new: list[str] = []
        for i, text in enumerate(texts):
            code = self.text_ids.get(text)
            if code is None:
                code = self.text_ids[text] = len(self.text_rows) + len(new)
                new.append(text)
            out[i] = code
        if new:
            self.text_rows.extend(self.model.text_decision(new))
        return out

    def _ids(self, bags: list[str], part: int) -> list[list[int]]:
        """Token indices of new token bags, all expected in ``part`` (else not exact).

        :meth:`~RelationshipClassifier.part_matrices` gives each bag's sorted
        vocabulary indices per part (unknown tokens ignored, a repeated one once); with
        a vectoriser that only splits at whitespace the same lists come from the
        vocabulary directly (10M rows: 98k new context bags, ~2.4 s of profiled
        vectoriser calls), else from one ``part_matrices`` call for the batch.
        """
        vocabulary = self.vocabulary
        if vocabulary is not None:
            out: list[list[int]] = []
            for bag in bags:
                found = [hit for token in bag.split() if (hit := vocabulary.get(token))]
                if any(p != part for _, p in found):
                    self.exact = False
                out.append(sorted({i for i, p in found if p == part}))
            return out
        matrices = self.model.part_matrices(bags)
        if any((m != self.pad).any() for p, m in enumerate(matrices) if p != part):
            self.exact = False
        return [[int(i) for i in row if i != self.pad] for row in matrices[part]]

    def slot_decision(self, text_codes: np.ndarray, *token_strings: np.ndarray) -> np.ndarray:
        """Return the slot part of new slots: their text product, then their field tokens."""
        from pv_identify.model.estimator import SLOT

        cache = self.slot_tokens
        keys = list(zip(*token_strings, strict=True))
        new = list(dict.fromkeys(k for k in keys if k not in cache))
        if new:
            cache.update(zip(new, self._ids([" ".join(k) for k in new], SLOT), strict=True))
        rows = [cache[k] for k in keys]
        start = (np.asarray([self.text_rows[c] for c in text_codes]) if len(text_codes)
                 else np.zeros((0, self.width)))
        return np.asarray(self.model.part_decision(rows, start=start))

    def context_rows(self, keys: np.ndarray) -> np.ndarray:
        """Rows of :attr:`context_table` of packed contexts (new ones computed)."""
        from pv_identify.model.estimator import CONTEXT

        if self._context_pieces is None:
            self._context_pieces = ContextIds(_part_ids(weakref.ref(self), CONTEXT), self.pad)
        return self._rows(keys, self.context_ids, "context_table", self._context_pieces.matrix)

    def year_rows(self, years: np.ndarray) -> np.ndarray:
        """Rows of :attr:`year_table` of years (-1: unknown)."""
        from pv_identify.model.estimator import YEAR

        return self._rows(years, self.year_ids, "year_table",
                          lambda new: self._ids([year_token(y) for y in new], YEAR))

    def _rows(self, keys: np.ndarray, known: KeyRows, table: str, ids: Any) -> np.ndarray:
        """Rows of ``table`` of ``keys``; the new keys' parts computed in one batch."""
        out, new = known.rows(keys)
        if new:
            setattr(self, table, np.vstack([getattr(self, table),
                                            self.model.part_decision(ids(new))]))
        return out

    def proba(self, slot: np.ndarray, context: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Probabilities from the rows' slot parts and their context and year rows."""
        decision = self.model.combine_parts(slot, self.context_table[context],
                                            self.year_table[year])
        return np.asarray(self.model.proba_from_decision(decision))


#: The token vectoriser settings under which its tokens are a bag's whitespace-split words.
_SPLIT_SETTINGS = {"analyzer": "word", "token_pattern": r"\S+", "lowercase": False,
                   "tokenizer": None, "preprocessor": None, "strip_accents": None,
                   "stop_words": None, "ngram_range": (1, 1), "input": "content"}


def _split_vocabulary(model: Any) -> dict[str, tuple[int, int]] | None:
    r"""Return token -> (vocabulary index, part) of the model's token vectoriser.

    None unless the vectoriser turns a bag into its whitespace-separated tokens
    (``token_pattern=r"\S+"``, nothing lower-cased, stripped or removed, single words):
    then a bag's tokens are ``bag.split()`` (ASCII tokens; ``\S`` and ``str.split``
    agree on what is whitespace) and their indices those of ``vocabulary_``.
    """
    from pv_identify.model.estimator import token_part

    vectorizer = getattr(model, "token_vectorizer_", None)
    vocabulary = getattr(vectorizer, "vocabulary_", None)
    if vectorizer is None or not isinstance(vocabulary, dict):
        return None
    params = vectorizer.get_params()
    if any(params.get(name, object()) != value for name, value in _SPLIT_SETTINGS.items()):
        return None
    if not all(isinstance(t, str) and t.isascii() and t.split() == [t] for t in vocabulary):
        return None
    return {token: (int(i), token_part(token)) for token, i in vocabulary.items()}


#: One finished output row: the model cache's per-row values, kept as one record so
#: that a chunk's rows are gathered with one ``take`` (10M rows: five takes of the
#: columns ~0.45 cpu s, one of the records about half).
FINISHED_RECORD = np.dtype([("score", np.float64), ("label", np.int8), ("source", np.int8),
                            ("partner", np.bool_), ("domestic", np.bool_)])


class _Finished:
    """Finished output rows by packed (slot, context) key, in a C hash table.

    The keys map to their value index in pandas' ``Int64HashTable`` (the table behind
    ``pd.factorize``), looked up for all of a chunk's distinct keys at once; the
    values sit in one record array (:data:`FINISHED_RECORD`) in insertion order
    (capacity doubled as they grow). A chunk's keys are mostly found (10M rows: 8.4M
    lookups, 0.57M keys): the lookups cost ~0.1 s, against ~1.5 s of CPU for the numpy
    open-addressing table before (and 2.9 s for a sort and binary search before that).
    Emptied when ``max_entries`` would be exceeded, and by the owner whenever slot
    numbers change meaning. Keys are non-negative.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = int(max_entries)
        self._size = 0
        self._keys = np.empty(0, dtype=np.int64)
        self._index: Any = None
        self.records = np.empty(0, dtype=FINISHED_RECORD)
        #: Statistics: times the bound emptied the store.
        self.overflows = 0
        self.clear()

    def clear(self) -> None:
        from pandas._libs.hashtable import Int64HashTable

        self._index = Int64HashTable(1 << 10)
        self._size = 0
        self._keys = np.empty(1 << 10, dtype=np.int64)
        self.records = np.empty(1 << 10, dtype=FINISHED_RECORD)

    def __len__(self) -> int:
        return self._size

    @property
    def keys(self) -> np.ndarray:
        """The keys kept, in insertion order."""
        return self._keys[:self._size].copy()

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Return the value index of each key, -1 where absent."""
        if not len(keys):
            return np.empty(0, dtype=np.int64)
        keys = np.asarray(keys, dtype=np.int64)
        return np.asarray(self._index.lookup(mixed_keys(keys)), dtype=np.int64)

    def take(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """Return the values at ``index`` by name (see :meth:`find`; anything where -1).

        The arrays are fields of one new record array (strided views, writable).
        """
        if not self._size:
            taken = np.zeros(len(index), dtype=FINISHED_RECORD)
        else:
            taken = self.records.take(index, mode="clip")
        return {name: taken[name] for name in FINISHED_RECORD.names or ()}

    def add(self, keys: np.ndarray, values: Mapping[str, np.ndarray]) -> None:
        """Insert new (unknown, distinct) ``keys`` with their values."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if self._size + len(keys) > self.max_entries:
            self.overflows += 1
            self.clear()
            if len(keys) > self.max_entries:
                return
        size = self._size + len(keys)
        capacity = len(self._keys)
        if size > capacity:
            while size > capacity:
                capacity *= 2
            keys_grown = np.empty(capacity, dtype=np.int64)
            keys_grown[:self._size] = self._keys[:self._size]
            self._keys = keys_grown
            records = np.empty(capacity, dtype=FINISHED_RECORD)
            records[:self._size] = self.records[:self._size]
            self.records = records
        added = self.records[self._size:size]
        for name in FINISHED_RECORD.names or ():
            added[name] = values[name]
        self._keys[self._size:size] = keys
        self._index.map_keys_to_values(mixed_keys(keys),
                                       np.arange(self._size, size, dtype=np.int64))
        self._size = size


def _category_names(codes: np.ndarray, dtype: pd.CategoricalDtype) -> np.ndarray:
    """Return the categories of ``codes`` as an object array (None for code -1)."""
    names = np.asarray([*dtype.categories, None], dtype=object)
    return names[np.asarray(codes, dtype=np.int64)]


class ModelCache:
    """Rules + model output per chunk, computed once per distinct fields and context.

    Parameters
    ----------
    tagger : Tagger
        A tagger with a model.
    columns : mapping, optional
        Column mapping, as for :func:`pv_identify.tag`.
    overwrite : bool, default True
        Replace existing ``pv_*`` columns.
    max_entries : int, default DEFAULT_CACHE_ENTRIES
        Bound on the cached field combinations.
    max_scored : int, default DEFAULT_SCORED_ENTRIES
        Bound on the cached per-value scoring parts (qualification products and
        token lists); the scorer is rebuilt when it is reached.
    max_finished : int, default DEFAULT_FINISHED_ENTRIES
        Bound on the finished output rows kept across chunks (one per distinct
        model class and context); emptied when reached.
    """

    def __init__(self, tagger: Tagger, *, columns: Mapping[str, str | Sequence[str]] | None = None,
                 overwrite: bool = True, max_entries: int = DEFAULT_CACHE_ENTRIES,
                 max_scored: int = DEFAULT_SCORED_ENTRIES,
                 max_finished: int = DEFAULT_FINISHED_ENTRIES) -> None:
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
        if self._slot_bits + 2 * SIGNAL_BITS + 1 + 2 + _YEAR_BITS > 63:
            raise ValueError("max_entries too large for the packed cache key")
        self._lock = threading.RLock()
        self._flushes = -1
        self._slot_parts: dict[str, np.ndarray] = {}
        #: The arrays the slot parts are views of (see :meth:`_grown`).
        self._slot_backing: dict[str, np.ndarray] = {}
        #: Model class of a slot's parts (bytes) -> its number (see :meth:`_add_classes`).
        self._classes: dict[bytes, int] = {}
        self._scorer: _Scorer | None = None
        self._finished = _Finished(max_finished)
        #: Rule-id strings of the slots -> their number (kept across flushes: the
        #: strings do not depend on slot numbers); the same for the evidence strings.
        self._rule_ids: dict[str, int] = {}
        self._evidence_ids: dict[str, int] = {}
        self._names: dict[str, np.ndarray] = {}
        #: The factorised slot parts of the last chunk's rows (see :meth:`_factorized`).
        self._chunk_codes: tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]] | None = None
        #: Statistics: distinct (fields, context) rows scored.
        self.computed = 0

    @property
    def mapping(self) -> ColumnMapping:
        """The resolved column mapping (after the first chunk)."""
        if self.distinct.mapping is None:
            raise RuntimeError("nothing tagged yet")
        return self.distinct.mapping

    def prepare(self, available: Sequence[str]) -> ColumnMapping:
        """Resolve the mapping for frames with columns ``available`` (raises as ``tag``)."""
        return self.distinct.prepare(available)

    def scorer(self) -> _Scorer:
        """Return the vectorised scorer (see :meth:`_rebuild_if_full`)."""
        if self._scorer is None:
            self._scorer = _Scorer(self.tagger.fitted_model)
            self._slot_parts = {}
            self._slot_backing = {}
            self._classes = {}
            self._finished.clear()
            self._flushes = -1
        return self._scorer

    def _rebuild_if_full(self) -> None:
        """At the start of a chunk: rebuild the scorer when its tables reached the bound.

        The slots' scoring parts index the old scorer's tables, so the combination cache
        starts afresh too (every slot then gets its parts again). Never mid-chunk.
        """
        scorer = self._scorer
        if scorer is None or len(scorer) <= self.max_scored:
            return
        self._scorer = None
        self.distinct.clear()
        self.distinct.flushes += 1

    # -- slots and their own-field parts ------------------------------------------------

    def _slots(self, key_values: list[Any], fetch: Any, n_rows: int) -> np.ndarray:
        self._rebuild_if_full()
        scorer = self.scorer()
        flushes = self.distinct.flushes
        slots = self.distinct.slots(key_values, fetch, n_rows)
        if flushes != self.distinct.flushes or self._flushes < 0:
            self._flushes = self.distinct.flushes
            self._slot_parts = {}
            self._slot_backing = {}
            self._classes = {}
            self._finished.clear()  # keys hold class (slot) numbers
        known = len(self._slot_parts.get("own", ()))
        stored = self.distinct.stored
        if stored > known:
            new_rows = np.flatnonzero(slots >= known)
            uniq, first = np.unique(slots[new_rows], return_index=True)
            reps = new_rows[first]
            held = self.distinct.fetched  # the rules' rows of the new slots, if the same
            small = (held[1] if held is not None and np.array_equal(held[0], reps)
                     else fetch(reps).reset_index(drop=True))
            self.distinct.fetched = None
            parts = value_parts(small, self._small_mapping(small), self.tagger.compiled,
                                self.values)
            new = {
                "own": parts.own, "has_q": parts.has_q,
                "decision": (scorer.slot_decision(scorer.text_codes(parts.qualification),
                                                  parts.article, parts.mc, parts.disposal)
                             if scorer.exact else np.zeros((len(uniq), scorer.width))),
                **self._rule_parts(known, stored),
            }
            for name, values in new.items():
                values = np.asarray(values)
                grown = self._grown(name, known, stored, values.shape[1:], values.dtype)
                if name in ("fired", "label_code", "rule_code", "evidence_code"):
                    grown[known:] = values
                else:
                    grown[uniq] = values
            self._add_classes(known, stored, scorer.exact)
        return slots

    def _grown(self, name: str, known: int, stored: int, tail: tuple[int, ...],
               dtype: np.dtype[Any]) -> np.ndarray:
        """Make slot part ``name`` ``stored`` long: rows ``:known`` kept, the rest zeros.

        The part is a view of a larger array whose capacity doubles when full
        (:func:`~pv_identify.stream.column_store.with_room`), so a chunk's new slots copy
        only themselves (a new array per chunk copied every
        part of every slot: 10M rows, 147k slots, 119 chunks, ~0.5 cpu s on pass 1's
        main thread). A part replaced elsewhere, or of another dtype or width, starts
        a new array from its first ``known`` rows (cast as an assignment into the new
        array casts them).
        """
        back = self._slot_backing.get(name)
        current = self._slot_parts.get(name)
        if (back is None or current is None or current.base is not back
                or len(current) != known or back.dtype != dtype or back.shape[1:] != tail):
            back = with_room(np.zeros((0, *tail), dtype=dtype), 0, max(stored, known))
            if known:
                assert current is not None
                back[:known] = current[:known]
        else:
            back = with_room(back, known, stored)
        self._slot_backing[name] = back
        back[known:stored] = 0
        view = back[:stored]
        self._slot_parts[name] = view
        return view

    def _rule_parts(self, known: int, stored: int) -> dict[str, np.ndarray]:
        """Return the rules' parts of slots ``known:stored``: fired, label, string numbers.

        Read from the store's numpy columns (a categorical's codes) when it keeps them,
        else from its frame: the same values (``fired``: the source is ``"rule"``).
        """
        columns = self.distinct.kept
        dtypes = columns.dtypes
        source_type, label_type = dtypes.get(OUT_SOURCE), dtypes.get(OUT_LABEL)
        if (columns.columnar and isinstance(source_type, pd.CategoricalDtype)
                and isinstance(label_type, pd.CategoricalDtype)
                and OUT_RULE_IDS in dtypes):
            categories = list(source_type.categories)
            rule = categories.index(SOURCE_RULE) if SOURCE_RULE in categories else -2
            fired = columns.column(OUT_SOURCE, known, stored) == rule
            label = columns.column(OUT_LABEL, known, stored).astype(np.int64)
            rule_ids = columns.column(OUT_RULE_IDS, known, stored).astype(object, copy=False)
            evidence = (columns.column(OUT_EVIDENCE, known, stored).astype(object, copy=False)
                        if OUT_EVIDENCE in dtypes else None)
        else:
            store = self.distinct.store.iloc[known:stored]
            fired = (store[OUT_SOURCE].astype(object) == SOURCE_RULE).to_numpy(dtype=bool)
            label = np.asarray(store[OUT_LABEL].cat.codes, dtype=np.int64)
            rule_ids = store[OUT_RULE_IDS].to_numpy(dtype=object)
            evidence = (store[OUT_EVIDENCE].to_numpy(dtype=object)
                        if OUT_EVIDENCE in store.columns else None)
        return {
            "fired": np.asarray(fired, dtype=bool),
            "label_code": label,
            "rule_code": self._string_codes(rule_ids, self._rule_ids),
            "evidence_code": (self._string_codes(evidence, self._evidence_ids)
                              if evidence is not None
                              else np.zeros(stored - known, dtype=np.int64)),
        }

    def _add_classes(self, known: int, stored: int, exact: bool) -> None:
        """Give slots ``known:stored`` their model class (see :meth:`_pack`).

        A class is a distinct (slot decision part, own signals, has a qualification,
        a rule fired, rule label): all :meth:`_compute` reads of a slot when the scorer
        is exact, compared bit for bit, so the slots of one class give the same floats
        and labels in every context. Slots that differ only in what the model does not
        see (the raw disposal behind one ``disp:`` token, article spellings with the
        same tokens, rule ids and evidence) share a class: the finished rows are kept
        per (class, context), far fewer than per (slot, context) (10M rows: 147k slots,
        8k classes). Without an exact scorer every slot is its own class (the fallback
        recomputes the features from the slot's own row).
        """
        parts = self._slot_parts
        grown = self._grown("cls", known, stored, (), np.dtype(np.int64))
        if not exact:
            grown[known:] = np.arange(known, stored, dtype=np.int64)
            return
        decision = np.ascontiguousarray(parts["decision"][known:stored], dtype=np.float64)
        rows = np.concatenate([
            decision.view(np.int64).reshape(stored - known, -1),
            np.stack([parts["own"][known:stored].astype(np.int64),
                      parts["has_q"][known:stored].astype(np.int64),
                      parts["fired"][known:stored].astype(np.int64),
                      parts["label_code"][known:stored].astype(np.int64)], axis=1)], axis=1)
        classes = self._classes
        raw = np.ascontiguousarray(rows).tobytes()
        width = rows.shape[1] * 8
        grown[known:] = np.fromiter(
            (classes.setdefault(raw[i:i + width], len(classes))
             for i in range(0, len(raw), width)), dtype=np.int64, count=stored - known)

    @staticmethod
    def _string_codes(strings: np.ndarray, known: dict[Any, int]) -> np.ndarray:
        """Return the numbers of the slots' strings in ``known``, new ones numbered on."""
        return np.fromiter((known.setdefault(s, len(known)) for s in strings),
                           dtype=np.int64, count=len(strings))

    def _string_dictionary(self, part: str, known: dict[Any, int], slots: np.ndarray
                           ) -> Any:
        """Return the rows' strings of one output column as an Arrow dictionary array.

        Its dictionary holds each distinct string once, in order of first row -- the
        dictionary a Parquet reader rebuilds from the values -- so the Parquet writer
        writes it as it is (a few dozen entries) instead of falling back to plain
        strings for the thousands of slots' entries :func:`dictionary_take` gives
        (10M rows: ~0.3 s less for the writer thread, 2 MB less a million rows; the
        values read back are the same). None if a value is missing (not a string).
        """
        import pyarrow as pa

        codes, uniques = self._factorized(part, slots)
        values = self._part_names(part, known)[uniques]
        if not all(isinstance(v, str) for v in values):
            return None
        return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)),
                                              pa.array(list(values), type=pa.large_string()))

    def _part_names(self, part: str, known: dict[Any, int]) -> np.ndarray:
        """Return the strings of slot part ``part`` by their number in ``known``."""
        names = self._names.get(part)
        if names is None or len(names) != len(known):
            names = np.empty(len(known), dtype=object)
            names[list(known.values())] = list(known)
            self._names[part] = names
        return names

    def _small_mapping(self, small: pd.DataFrame) -> ColumnMapping:
        fields: dict[str, Any] = {}
        mapping = self.mapping
        for fld in ("qualification", "article", "disposal"):
            if mapping.get(fld) and mapping.get(fld) in small.columns:
                fields[fld] = mapping.get(fld)
        if mapping.mc:
            fields["mc"] = list(mapping.mc)
        return ColumnMapping.resolve(small.columns, fields)

    def slots_of(self, key_values: list[Any], fetch: Any, n_rows: int) -> np.ndarray:
        """Return the slots of a chunk's rows (key columns in ``distinct.key_columns`` order).

        ``fetch(rows)`` returns those rows' key columns as a pandas frame.
        """
        with self._lock:
            return self._slots(key_values, fetch, n_rows)

    def _stored_slots(self, context: Any) -> np.ndarray | None:
        """Return the rows' slots given by pass 1, if the cache has not been flushed since.

        Pass 1 (:func:`~pv_identify.stream.history.case_context`) slots every row and
        keeps the slot with its context, so pass 2 does not look the rule fields up again.
        """
        if context is None or isinstance(context, FeatureContext) or self._scorer is None:
            return None
        epoch = self.distinct.flushes
        if self._flushes != epoch:
            return None
        slots = context.slots(epoch)
        if slots is not None and len(slots) and int(slots.max()) >= self.distinct.stored:
            return None
        return slots

    def own(self, slots: np.ndarray) -> np.ndarray:
        """Return the own signals of rows, given their slots."""
        return self._slot_parts["own"][slots]

    def _pack(self, slots: np.ndarray, ctx: FeatureContext) -> np.ndarray:
        """Pack each row's model class and context into one int64 (the finished key).

        Classes are numbered densely from 0 (no more than the slots), so they fit the
        slot bits.
        """
        key = self._slot_parts["cls"][slots]
        shift = self._slot_bits
        for part, bits in ((ctx.case_mask, SIGNAL_BITS), (ctx.multi, 1),
                           (ctx.hist_mask, SIGNAL_BITS), (ctx.hist_n, 2)):
            key |= np.asarray(part, dtype=np.int64) << shift
            shift += bits
        year = np.clip(np.asarray(ctx.year, dtype=np.int64) + 1, 0, (1 << _YEAR_BITS) - 1)
        return key | (year << shift)

    # -- the model part of the output ------------------------------------------------------

    def model_columns(self, slots: np.ndarray, ctx: FeatureContext, fetch: Any
                      ) -> dict[str, np.ndarray]:
        """Label and source codes, flags and score per row (rules + model combined).

        Each distinct packed (model class, context) key is computed once per run: finished
        keys are kept in :class:`_Finished` (bounded by ``max_finished``) and only
        the keys not seen in earlier chunks are scored.
        """
        exact = self.scorer().exact
        if not exact:
            self._key_by_slot()
        values = self._model_columns(slots, ctx, fetch)
        if exact and not self.scorer().exact:  # lost in this chunk: its keys again, by slot
            self._key_by_slot()
            values = self._model_columns(slots, ctx, fetch)
        self._last = (slots, values)
        return values

    def _key_by_slot(self) -> None:
        """Make every slot its own class (the scorer is not exact; see :meth:`_add_classes`)."""
        cls = self._slot_parts["cls"]
        identity = np.arange(len(cls), dtype=np.int64)
        if not np.array_equal(cls, identity):
            self._slot_parts["cls"] = identity
            self._finished.clear()  # its keys hold class numbers

    def _model_columns(self, slots: np.ndarray, ctx: FeatureContext, fetch: Any
                       ) -> dict[str, np.ndarray]:
        key = self._pack(slots, ctx)
        finished = self._finished
        index = finished.find(key)  # every row's key in the hash table (C, per row)
        values = finished.take(index)
        absent = np.flatnonzero(index < 0)
        if len(absent):  # only the rows of keys not seen before are factorised
            codes, uniques = pd.factorize(key[absent])
            codes = np.asarray(codes, dtype=np.int64)
            reps = absent[representatives_first(codes, len(uniques))]
            computed = self._compute(slots, ctx, fetch, reps)
            for name, column in computed.items():
                values[name][absent] = column[codes]
            finished.add(np.asarray(uniques, dtype=np.int64), computed)
        return values

    def _compute(self, slots: np.ndarray, ctx: FeatureContext, fetch: Any, reps: np.ndarray
                 ) -> dict[str, np.ndarray]:
        """Score and combine the rows ``reps`` (one per new distinct key)."""
        rep_slots = slots[reps]
        rctx = ctx.take(reps)
        scorer = self.scorer()
        parts = self._slot_parts
        proba = self._exact_proba(scorer, rep_slots, rctx) if scorer.exact else None
        if proba is None:
            small = fetch(reps).reset_index(drop=True)
            features = build_features(small, self._small_mapping(small), self.tagger.compiled,
                                      cache=self.values, context=rctx)
            proba = self.tagger.fitted_model.predict_proba_table(features.table)[features.codes]
        self.computed += len(reps)
        return combine_codes(parts["fired"][rep_slots], parts["label_code"][rep_slots], proba,
                             self.tagger.fitted_model.classes_, self.tagger.threshold,
                             refine_unspecified=self.tagger.refine_unspecified)

    def _exact_proba(self, scorer: _Scorer, slots: np.ndarray, ctx: FeatureContext
                     ) -> np.ndarray | None:
        """Probabilities of rows from their slot's, context's and year's decision parts.

        None if a token turned up in another part than its source's (see :class:`_Scorer`).
        """
        parts = self._slot_parts
        own = parts["own"][slots]
        has_q = parts["has_q"][slots]
        packed = pack(own, ctx.case_mask, ctx.hist_mask, ctx.multi, ctx.hist_n, has_q)
        ctx_codes, ctx_uniq = pd.factorize(packed)
        context = scorer.context_rows(np.asarray(ctx_uniq, dtype=np.int64))
        year_codes, years = pd.factorize(np.asarray(ctx.year, dtype=np.int64))
        year = scorer.year_rows(np.asarray(years, dtype=np.int64))
        if not scorer.exact:
            return None
        return scorer.proba(parts["decision"][slots], context[ctx_codes], year[year_codes])

    def count_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                  np.ndarray]:
        """Return the last chunk's distinct outputs and their numbers of offences.

        The arguments of :meth:`RunSummary.add_distinct
        <pv_identify.stream.runner.RunSummary.add_distinct>`: labels, sources, partner
        and domestic violence flags and rule ids, one row per distinct (label, partner,
        domestic, source, rule ids) output of the chunk -- a few dozen rows instead of
        one per distinct (fields, context) key, then the offences of each.
        """
        slots, values = self._last
        label, source = values["label"], values["source"]
        partner, domestic = values["partner"], values["domestic"]
        # the rule ids by their chunk codes (shared with the output's dictionary), then
        # label, source and the flags: a small dense key, counted with one bincount
        rule, rules = self._factorized("rule_code", slots)
        n_label, n_source = len(LABEL_DTYPE.categories) + 1, len(SOURCE_DTYPE.categories) + 1
        key = (((rule * n_label + label.astype(np.int64) + 1) * n_source
                + source.astype(np.int64) + 1) * 4
               + partner.astype(np.int64) * 2 + domestic.astype(np.int64))
        counts = np.bincount(key, minlength=len(rules) * n_label * n_source * 4)
        present = np.flatnonzero(counts)
        flags, rest = present % 4, present // 4
        source_of, rest = rest % n_source - 1, rest // n_source
        label_of, rule_of = rest % n_label - 1, rest // n_label
        names = self._part_names("rule_code", self._rule_ids)
        return (_category_names(label_of, LABEL_DTYPE), _category_names(source_of, SOURCE_DTYPE),
                flags >= 2, flags % 2 == 1, names[rules[rule_of]],
                counts[present].astype(np.int64))

    def _factorized(self, part: str, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return ``pd.factorize`` of the rows' slot part ``part`` (int64 codes, uniques).

        The parts hold small numbers (of the strings in ``_rule_ids`` / ``_evidence_ids``),
        so they are factorised densely (:func:`dense_factorize`, no hashing). Kept for
        the chunk whose ``slots`` these are: the output's string dictionaries
        (:meth:`_string_dictionary`) and the summary's counts (:meth:`count_rows`)
        share them.
        """
        held = self._chunk_codes
        if held is None or held[0] is not slots:
            held = self._chunk_codes = (slots, {})
        found = held[1].get(part)
        if found is None:
            found = held[1][part] = dense_factorize(self._slot_parts[part][slots])
        return found

    # -- pandas and Arrow chunks --------------------------------------------------------

    def outputs(self, frame: pd.DataFrame, context: Any = None
                ) -> pd.DataFrame:
        """Output columns for a pandas chunk (equal to ``pv.tag(frame, model=...)``'s).

        Parameters
        ----------
        frame : pandas.DataFrame
            A chunk of the extract.
        context : FeatureContext or CaseSummary, optional
            Context of the chunk's rows from a pass over the whole file
            (:mod:`pv_identify.stream.history`); default: computed within ``frame``.

        Returns
        -------
        pandas.DataFrame
            The ``pv_*`` columns with the index of ``frame``.
        """
        with self._lock:
            mapping = self.prepare(frame.columns)
            keys = frame[self.distinct.key_columns]

            def fetch(rows: np.ndarray) -> pd.DataFrame:
                return keys.iloc[rows]

            slots = self._stored_slots(context)
            if slots is None:
                slots = self._slots([keys[c] for c in self.distinct.key_columns], fetch,
                                    len(frame))
            if context is None:
                context = feature_context(frame, mapping, self.own(slots))
            elif not isinstance(context, FeatureContext):  # a CaseSummary of pass 1
                context = context.context(self.own(slots))
            cols = self.model_columns(slots, context, fetch)
            rules = self.distinct.store.take(slots)
        index = frame.index
        out = {
            OUT_LABEL: pd.Series(pd.Categorical.from_codes(cols["label"], dtype=LABEL_DTYPE),
                                 index=index),
            OUT_PARTNER: pd.Series(cols["partner"], index=index, dtype=bool),
            OUT_DOMESTIC: pd.Series(cols["domestic"], index=index, dtype=bool),
            OUT_SOURCE: pd.Series(pd.Categorical.from_codes(cols["source"], dtype=SOURCE_DTYPE),
                                  index=index),
            OUT_RULE_IDS: pd.Series(rules[OUT_RULE_IDS].to_numpy(dtype=object), index=index,
                                    dtype=object),
            OUT_EVIDENCE: pd.Series(rules[OUT_EVIDENCE].to_numpy(dtype=object), index=index,
                                    dtype=object),
            OUT_SCORE: pd.Series(cols["score"], index=index, dtype=float),
        }
        return pd.DataFrame({c: out[c] for c in OUTPUT_COLUMNS})

    def arrow_outputs(self, table: Any, context: Any = None) -> Any:
        """Output columns for an Arrow chunk, as an Arrow table (see :meth:`outputs`)."""
        import pyarrow as pa

        with self._lock:
            mapping = self.prepare(table.schema.names)
            cols = [table.column(c) for c in self.distinct.key_columns]
            keys = pa.table(dict(zip(self.distinct.key_columns, cols, strict=True)))

            def fetch(rows: np.ndarray) -> pd.DataFrame:
                return decoded(keys.take(pa.array(rows))).to_pandas()

            slots = self._stored_slots(context)
            if slots is None:
                slots = self._slots(cols, fetch, table.num_rows)
            if context is None:
                ctx_cols = [c for c in (mapping.get("case_id"), mapping.get("person_id"),
                                        mapping.get("registration_date"),
                                        mapping.get("offence_date")) if c]
                frame = table.select(list(dict.fromkeys(ctx_cols))).to_pandas()
                context = feature_context(frame, mapping, self.own(slots))
            elif not isinstance(context, FeatureContext):  # a CaseSummary of pass 1
                context = context.context(self.own(slots))
            model = self.model_columns(slots, context, fetch)
            store = self.distinct.store_arrow()
            strings = {name: self._string_dictionary(part, known, slots)
                       for name, part, known in ((OUT_RULE_IDS, "rule_code", self._rule_ids),
                                                 (OUT_EVIDENCE, "evidence_code",
                                                  self._evidence_ids))
                       if name in store.schema.names}
            if any(v is None for v in strings.values()):
                taken = dictionary_take(store.select(list(strings)), slots)
                strings = {name: taken.column(name) for name in strings}
        ref = store.schema

        def categorical(name: str, codes: np.ndarray, dtype: pd.CategoricalDtype) -> Any:
            kind = ref.field(name).type
            return pa.DictionaryArray.from_arrays(
                pa.array(codes.astype(kind.index_type.to_pandas_dtype())),
                pa.array(list(dtype.categories), type=kind.value_type))

        columns = {
            OUT_LABEL: categorical(OUT_LABEL, model["label"], LABEL_DTYPE),
            OUT_PARTNER: pa.array(model["partner"]),
            OUT_DOMESTIC: pa.array(model["domestic"]),
            OUT_SOURCE: categorical(OUT_SOURCE, model["source"], SOURCE_DTYPE),
            OUT_RULE_IDS: strings.get(OUT_RULE_IDS),
            OUT_EVIDENCE: strings.get(OUT_EVIDENCE),
            OUT_SCORE: pa.array(model["score"], type=pa.float64()),
        }
        names = [c for c in OUTPUT_COLUMNS if c in ref.names]
        return pa.table({c: columns[c] for c in names})
