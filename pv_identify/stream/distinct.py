"""Tag chunk after chunk with a bounded cache of results per distinct field combination.

A register repeats the same qualification, MC and article strings millions of
times, and the rules decide every offence from those three values alone. A
:class:`DistinctTagger` therefore

1. factorises the fields the rules read (pandas ``factorize`` or Arrow
   ``dictionary_encode``) and forms the distinct *combinations* in the chunk,
2. looks each combination up in a cache keyed by the raw values, shared by all
   chunks of a run,
3. runs :func:`pv_identify.tag` only on one representative row of each combination
   it has not seen before, and
4. maps the results back to the rows with one vectorised ``take``.

The result is identical to ``pv_identify.tag(chunk, ...)`` (values, dtypes, column
order, index), because the representative rows are rows of the chunk itself and the
rule decision of a row depends on nothing but its own field values.

The cache is bounded by the number of combinations it holds (``max_entries``): when
full it is emptied before the next chunk, so memory stays bounded whatever the size
of the input. A tagger may be shared by threads (Dask's threaded scheduler): chunks
are then tagged one at a time. Nothing in the cache is logged.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs.hashtable import Int64HashTable as _Int64HashTable

from pv_identify.io.mapping import ColumnMapping
from pv_identify.lru import LRUCache
from pv_identify.normalize.distinct import factorize_cells
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import OUTPUT_COLUMNS, TEXT_FIELDS
from pv_identify.stream.column_store import ColumnStore
from pv_identify.tagger import Tagger

#: Default bound on the number of cached field combinations (a few hundred bytes each).
DEFAULT_CACHE_ENTRIES = 500_000


class _Missing:
    """Key of a missing value (None, NaN, NA, NaT), equal only to itself."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


def value_key(value: Any) -> Any:
    """Return a hashable cache key for one raw cell value.

    Strings are their own key; missing values share :data:`MISSING`; any other value
    is keyed together with its type, so ``1``, ``1.0``, ``True`` and ``"1"`` stay apart
    (the tagger may render them differently).

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    object
        The key.
    """
    if type(value) is str:
        return value
    if value is None:
        return MISSING
    try:
        if pd.isna(value):
            return MISSING
    except (TypeError, ValueError):
        pass
    try:
        hash(value)
    except TypeError:
        return (type(value), repr(value))
    return (type(value), value)


def factorize_keys(values: Any, name: Any = None) -> tuple[np.ndarray, list[Any]]:
    """Factorise one column into row codes and the cache keys of its distinct values.

    Parameters
    ----------
    values : pandas.Series, pyarrow.Array or pyarrow.ChunkedArray
        The column.
    name : optional
        Its name, for the error.

    Returns
    -------
    codes : numpy.ndarray of int64
        Row -> index into ``keys``; every row has a code (missing values included).
    keys : list
        :func:`value_key` of each distinct value.

    Raises
    ------
    ColumnMappingError
        If the cells hold lists, arrays or mappings instead of text.
    """
    if isinstance(values, pd.Series):
        codes, uniques = factorize_cells(values)
        codes = np.asarray(codes, dtype=np.int64)
        keys = [value_key(u) for u in uniques]
        if len(codes) and codes.min() < 0:
            codes[codes < 0] = len(keys)
            keys.append(MISSING)
        return codes, keys
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_nested(values.type):  # no dictionary_encode kernel: a bare Arrow error
        from pv_identify.errors import ColumnMappingError

        raise ColumnMappingError(
            f"column {name!r} holds {values.type} values, not text; the rules read one text "
            "per cell: join the items into one text first")
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    keys = [value_key(u) for u in encoded.dictionary.to_pylist()]
    return codes, keys


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: odd, so a bijection


def mixed_keys(keys: np.ndarray) -> np.ndarray:
    """Return packed integer keys with their bits mixed, for pandas' ``Int64HashTable``.

    Its hash of an int64 keeps 32 bits of ``k >> 33 ^ k ^ k << 11``: keys packed from
    bit fields (slot, signals, year) collide in bulk there (10M-row model run: 1.4 s of
    lookups against 0.1 s). Multiplying by an odd constant modulo 2**64 is one-to-one,
    so equal keys stay equal and distinct keys distinct.
    """
    mixed = np.ascontiguousarray(keys, dtype=np.int64).view(np.uint64) * _MULTIPLIER
    return mixed.view(np.int64)


def _value_ids(known: dict[Any, int], keys: Sequence[Any]) -> np.ndarray:
    """Ids of value keys in ``known`` (new keys get the next ids, in order)."""
    return np.fromiter((known.setdefault(key, len(known)) for key in keys),
                       dtype=np.int64, count=len(keys))


def _single_dictionary_array(values: Any) -> Any:
    """Return ``values`` as one Arrow dictionary array, or None if it is not one."""
    if isinstance(values, pd.Series):
        return None
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        if values.num_chunks != 1:
            return None
        values = values.chunk(0)
    if isinstance(values, pa.DictionaryArray):
        return values
    return None


def _is_nested(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_nested(kind))


def combine_codes(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> tuple[np.ndarray, int]:
    """Give the distinct combinations of several code columns numbers, vectorised.

    Parameters
    ----------
    codes : sequence of numpy.ndarray of int64
        One code array per column, all of the same length.
    sizes : sequence of int
        Number of distinct codes of each column.

    Returns
    -------
    combo : numpy.ndarray of int64
        Row -> combination number (dense, in order of first appearance).
    n_combos : int
        Number of combinations.
    """
    key = codes[0]
    bound = sizes[0]
    if len(codes) == 1:
        combo, uniques = pd.factorize(key)
        return np.asarray(combo, dtype=np.int64), len(uniques)
    for column, size in zip(codes[1:], sizes[1:], strict=True):
        if bound * max(size, 1) >= 2**62:
            key, uniques = pd.factorize(key)
            bound = len(uniques)
        key = key * max(size, 1) + column
        bound *= max(size, 1)
    combo, uniques = pd.factorize(key)
    return np.asarray(combo, dtype=np.int64), len(uniques)


def representatives(combo: np.ndarray, n_combos: int) -> np.ndarray:
    """Return one row number per combination (any row of it; all are equivalent)."""
    rows = np.empty(n_combos, dtype=np.int64)
    rows[combo] = np.arange(len(combo), dtype=np.int64)
    return rows


def representatives_first(combo: np.ndarray, n_combos: int) -> np.ndarray:
    """Return the first row number of each combination."""
    rows = np.empty(n_combos, dtype=np.int64)
    rows[combo[::-1]] = np.arange(len(combo) - 1, -1, -1, dtype=np.int64)
    return rows


def text_columns(mapping: ColumnMapping) -> list[str]:
    """Columns the rules read, in a fixed order (qualification, MC columns, article)."""
    cols: list[str] = []
    for fld in TEXT_FIELDS:
        if fld == "mc":
            cols.extend(mapping.mc)
        elif mapping.get(fld):
            cols.append(mapping.get(fld))  # type: ignore[arg-type]
    return list(dict.fromkeys(cols))


def text_mapping(mapping: ColumnMapping) -> dict[str, str | list[str]]:
    """Return the part of ``mapping`` that names the fields the rules read."""
    out: dict[str, str | list[str]] = {}
    for fld in TEXT_FIELDS:
        if fld == "mc":
            if mapping.mc:
                out["mc"] = list(mapping.mc)
        elif mapping.get(fld):
            out[fld] = mapping.get(fld)  # type: ignore[assignment]
    return out


class DistinctTagger:
    """Tag chunks of one extract, once per distinct combination of the rule fields.

    Parameters
    ----------
    tagger : Tagger or RuleSet
        The tagger whose rules are cached (a rule set is wrapped in a rules-only
        :class:`~pv_identify.Tagger`). Its model, if any, is not used: the model sees
        case and person context, so it cannot be cached per field combination.
    columns : mapping, optional
        Column mapping, as for :func:`pv_identify.tag`.
    overwrite : bool, default False
        Replace existing ``pv_*`` columns, as for :func:`pv_identify.tag`.
    max_entries : int, default DEFAULT_CACHE_ENTRIES
        Bound on the cached combinations; the cache is emptied when it is reached.
    extra_fields : sequence of str, default ()
        Canonical fields (e.g. ``"disposal"``) added to the cache key when the
        mapping has them: the model path caches its per-value features on the same
        slots (see :mod:`pv_identify.stream.model_cache`). The rules ignore them.

    Examples
    --------
    >>> tagger = DistinctTagger(Tagger("wodc2022"))        # doctest: +SKIP
    >>> for chunk in chunks:                                # doctest: +SKIP
    ...     tagged = tagger.tag(chunk)                      # == pv_identify.tag(chunk, ...)
    """

    def __init__(self, tagger: Tagger | RuleSet, *,
                 columns: Mapping[str, str | Sequence[str]] | None = None,
                 overwrite: bool = False, max_entries: int = DEFAULT_CACHE_ENTRIES,
                 extra_fields: Sequence[str] = ()) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if isinstance(tagger, RuleSet):
            tagger = Tagger(tagger)
        elif tagger.model is not None:
            tagger = Tagger(**{**tagger.get_params(), "model": None})
        self.tagger = tagger
        self.columns = columns
        self.overwrite = overwrite
        self.max_entries = int(max_entries)
        self.extra_fields = tuple(extra_fields)
        self._lock = threading.RLock()
        self.mapping: ColumnMapping | None = None
        self.key_columns: list[str] = []
        self._available: tuple[str, ...] | None = None
        self._template: pd.DataFrame | None = None
        #: The rows of the last chunk's new slots and their key columns (RangeIndex),
        #: when :meth:`slots` fetched them all (with ``extra_fields``); else None.
        self.fetched: tuple[np.ndarray, pd.DataFrame] | None = None
        self.clear()
        #: Statistics: rows seen, combinations tagged, cache flushes.
        self.rows = 0
        self.tagged = 0
        self.flushes = 0

    # -- cache ---------------------------------------------------------------------

    def clear(self) -> None:
        """Empty the cache."""
        self._values: list[dict[Any, int]] = []
        self._combos: dict[tuple[int, ...], int] = {}
        # the same combinations as packed integers in a C hash table (vectorised lookups), while
        # every column's value ids fit the bit widths chosen at the first chunk
        self._widths: list[int] | None = None
        self._packed = _Int64HashTable(1 << 10)  # packed combination -> slot
        #: One output row per slot (numpy columns; the frame built when asked for).
        self._store: ColumnStore | None = None
        self._store_arrow: Any = None
        # per key column: the last dictionary seen (Arrow) and its values' ids
        self._dictionary_ids: dict[int, tuple[Any, np.ndarray]] = {}
        # with extra fields: rule-field value ids -> a slot with those values (see _tag_new)
        self._rule_slots: dict[tuple[int, ...], int] = {}

    @property
    def size(self) -> int:
        """Number of cached combinations."""
        return len(self._combos)

    @property
    def store(self) -> pd.DataFrame:
        """Output columns of the cached combinations, one row per cache slot."""
        if self._store is None:
            raise RuntimeError("nothing tagged yet")
        return self._store.frame()

    @property
    def kept(self) -> ColumnStore:
        """The store's rows as numpy columns (see :class:`ColumnStore`)."""
        if self._store is None:
            raise RuntimeError("nothing tagged yet")
        return self._store

    @property
    def stored(self) -> int:
        """Number of cache slots (rows of :attr:`store`)."""
        return 0 if self._store is None else len(self._store)

    def prepare(self, available: Sequence[str]) -> ColumnMapping:
        """Resolve the column mapping for frames with columns ``available``.

        Raises the same errors as :func:`pv_identify.tag` would (missing fields,
        a mapping naming absent columns, existing ``pv_*`` columns without
        ``overwrite``). Called automatically by the tagging methods.
        """
        available = tuple(available)
        if available == self._available and self.mapping is not None:
            return self.mapping
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in available})
        template = self.tagger.tag(empty, columns=self.columns, overwrite=self.overwrite)
        mapping = ColumnMapping.resolve(available, self.columns)
        if self.mapping is not None and mapping != self.mapping:
            self.clear()
        self.mapping = mapping
        extra = [name for f in self.extra_fields if (name := mapping.get(f))]
        self.key_columns = list(dict.fromkeys([*text_columns(mapping), *extra]))
        rule_columns = set(text_columns(mapping))
        #: Positions in :attr:`key_columns` of the columns the rules read.
        self.rule_positions = [i for i, c in enumerate(self.key_columns) if c in rule_columns]
        self._available = available
        self._template = template
        return mapping

    def output_names(self) -> list[str]:
        """Names of the columns the tagger adds, in :func:`pv_identify.tag`'s order."""
        if self._template is None:
            return list(OUTPUT_COLUMNS)
        return [c for c in self._template.columns if c in OUTPUT_COLUMNS]

    def slots(self, key_values: Sequence[Any], fetch: Any, n_rows: int) -> np.ndarray:
        """Return the cache slot of every row, tagging the combinations not cached yet.

        Parameters
        ----------
        key_values : sequence
            The rule-field columns of the chunk (pandas Series or Arrow arrays),
            in the order of :attr:`key_columns`.
        fetch : callable
            ``fetch(rows)`` returns a pandas DataFrame with the key columns of those
            row numbers of the chunk (as :func:`pv_identify.tag` would see them).
        n_rows : int
            Rows in the chunk.

        Returns
        -------
        numpy.ndarray of int64
            Row -> cache slot (index into :attr:`store`).
        """
        self.rows += n_rows
        self.fetched = None
        if n_rows == 0:
            if self._store is None:
                self._append(self._template_outputs())
            return np.zeros(0, dtype=np.int64)
        if self.size >= self.max_entries:
            self.clear()
            self.flushes += 1
        if not self.key_columns:
            raise RuntimeError("prepare() first")
        while len(self._values) < len(self.key_columns):
            self._values.append({})
        # every row's value id per column (ids shared by all chunks since clear()); the
        # combinations of ids are those of the values, in the same order of first row
        row_ids = [self._row_ids(values, i, column) for i, (values, column)
                   in enumerate(zip(key_values, self.key_columns, strict=False))]
        packed_rows = self._pack(row_ids)
        if packed_rows is not None:
            # every row's packed combination looked up in the hash table (C, per row):
            # only the rows of combinations not cached yet are factorised
            row_slot, absent = self._lookup_packed(packed_rows)
            if not len(absent):
                if self._store is None:
                    self._append(self._template_outputs())
                return row_slot
            codes, n_new = combine_codes([packed_rows[absent]], [0])
            rep = absent[representatives_first(codes, n_new)]
            slots = self._tag_new(fetch, rep, [ids[rep] for ids in row_ids])
            self._packed.map_keys_to_values(mixed_keys(packed_rows[rep]), slots)
            row_slot[absent] = slots[codes]
            return row_slot
        combo, n_combos = combine_codes(row_ids, [len(known) for known in self._values])
        rep = representatives(combo, n_combos)
        table = np.stack([ids[rep] for ids in row_ids])
        combo_slot = np.empty(n_combos, dtype=np.int64)
        missing: list[int] = []
        get = self._combos.get
        for i, key in enumerate(zip(*table.tolist(), strict=True)):
            slot = get(key)
            if slot is None:
                missing.append(i)
                slot = -1
            combo_slot[i] = slot
        new = np.asarray(missing, dtype=np.int64)
        if len(new):
            combo_slot[new] = self._tag_new(fetch, rep[new], list(table[:, new]))
        elif self._store is None:
            self._append(self._template_outputs())
        return combo_slot[combo]

    def _tag_new(self, fetch: Any, rows: np.ndarray, ids: Sequence[np.ndarray]) -> np.ndarray:
        """Tag the new combinations of rows ``rows`` (value ids ``ids``); return their slots."""
        start = self.stored
        if len(self.rule_positions) < len(self.key_columns):
            self._append(self._rule_outputs(fetch, rows, ids, start))
        else:
            self._append(self._tagged(fetch, rows))
        slots = np.arange(start, start + len(rows), dtype=np.int64)
        for key, slot in zip(zip(*(c.tolist() for c in ids), strict=True), slots.tolist(),
                             strict=True):
            self._combos[key] = slot
        self.tagged += len(rows)
        return slots

    def _tagged(self, fetch: Any, rows: np.ndarray) -> pd.DataFrame:
        """Return the rules' output columns of rows ``rows`` of the chunk, one row each."""
        return self._tag_frame(fetch(rows).reset_index(drop=True))

    def _tag_frame(self, small: pd.DataFrame) -> pd.DataFrame:
        """Return the rules' output columns of the key columns ``small`` (RangeIndex)."""
        columns = text_mapping(self.mapping)  # type: ignore[arg-type]
        result = self.tagger.tag(small, columns=columns, overwrite=True)
        return result[self.output_names()]

    def _rule_outputs(self, fetch: Any, rows: np.ndarray, ids: Sequence[np.ndarray],
                      start: int) -> pd.DataFrame | dict[str, np.ndarray]:
        """Return the output rows of new slots ``start, start + 1, ...`` (extra fields keyed).

        The rules read only the rule fields, so a new slot whose rule-field values an
        earlier slot has (the model path's slots add the disposal: 10M rows, 147k slots
        of 52k rule-field combinations) takes that slot's output row, and the rules run
        once per new rule-field combination; the rows are those the rules give (the
        same values, from the same function of the same fields). Returned as the
        store's kept values (:meth:`ColumnStore.take`) when its columns are numpy ones.
        """
        known = self._rule_slots
        keys = list(zip(*(ids[i].tolist() for i in self.rule_positions), strict=True))
        source = np.empty(len(rows), dtype=np.int64)  # >= 0: a slot; < 0: ~(new row)
        fresh: dict[tuple[int, ...], int] = {}
        firsts: list[int] = []  # per new rule-field combination, its first new slot
        for j, key in enumerate(keys):
            slot = known.get(key)
            if slot is None:
                k = fresh.get(key)
                if k is None:
                    k = fresh[key] = len(firsts)
                    firsts.append(j)
                slot = ~k
            source[j] = slot
        for key, k in fresh.items():
            known[key] = start + firsts[k]
        # every new slot's row fetched once: the rules take their subset, and the model
        # cache the whole (see :attr:`fetched`)
        fetched = fetch(rows).reset_index(drop=True)
        self.fetched = (rows, fetched)
        tagged = (self._tag_frame(fetched.iloc[firsts].reset_index(drop=True)) if firsts
                  else None)
        if tagged is not None and len(fresh) == len(rows):
            return tagged  # every new slot has new rule-field values (e.g. the first chunk)
        old = np.flatnonzero(source >= 0)
        store = self._store
        if store is not None and store.columnar and (tagged is None or store.matches(tagged)):
            # the rows gathered in numpy (codes for categoricals): no frames concatenated
            new = np.flatnonzero(source < 0)
            from_old = store.take(source[old])
            out: dict[str, np.ndarray] = {}
            for name, values in from_old.items():
                column = np.empty(len(rows), dtype=values.dtype)
                column[old] = values
                if tagged is not None:
                    column[new] = store.kept(tagged[name])[~source[new]]
                out[name] = column
            return out
        pieces = [self.store.take(source[old])] if len(old) else []
        if tagged is not None:
            pieces.append(tagged)
        outputs = pd.concat([p.reset_index(drop=True) for p in pieces], ignore_index=True)
        position = np.empty(len(rows), dtype=np.int64)
        position[old] = np.arange(len(old), dtype=np.int64)
        new = np.flatnonzero(source < 0)
        position[new] = len(old) + ~source[new]
        return outputs.take(position).reset_index(drop=True)

    def _row_ids(self, values: Any, index: int, column: str) -> np.ndarray:
        """Return the value id of every row of one key column (new values numbered on).

        A dictionary array (e.g. read from Parquet with ``read_dictionary``) is taken as
        it is: its dictionary's ids are looked up once and reused for the next chunks
        while the dictionary stays the same (a Parquet row group's), and the rows' ids
        are one ``take`` of its indices -- no strings decoded or hashed per row.
        Anything else is factorised (:func:`factorize_keys`).
        """
        known = self._values[index]
        dictionary = _single_dictionary_array(values)
        if dictionary is None:
            codes, keys = factorize_keys(values, column)
            return _value_ids(known, keys)[codes]
        cached = self._dictionary_ids.get(index)
        if cached is not None and cached[0].equals(dictionary.dictionary):
            ids = cached[1]
        else:
            dict_values = dictionary.dictionary
            if _is_nested(dict_values.type):
                return self._row_ids(dictionary.dictionary_decode(), index, column)
            ids = _value_ids(known, [value_key(u) for u in dict_values.to_pylist()])
            self._dictionary_ids[index] = (dict_values, ids)
        indices = dictionary.indices
        if not len(ids):  # all missing
            return np.full(len(indices), known.setdefault(MISSING, len(known)),
                           dtype=np.int64)
        if not indices.null_count:
            return ids[indices.to_numpy()]
        # the index buffer as it is (no fill_null copy); a null's slot may hold anything
        raw = np.frombuffer(indices.buffers()[1], dtype=indices.type.to_pandas_dtype(),
                            count=indices.offset + len(indices))[indices.offset:]
        rows = ids.take(raw, mode="clip")
        missing = np.asarray(indices.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        rows[missing] = known.setdefault(MISSING, len(known))
        return rows

    def _pack(self, table: Sequence[np.ndarray]) -> np.ndarray | None:
        """Pack value ids (one array per key column, of rows or combinations) into integers.

        Bit widths are chosen at the first chunk (its number of distinct values with
        4x headroom, the rest of 63 bits shared out); once a column outgrows its width
        the cache keeps to the dictionary of tuples until it is cleared. Returns None then.
        """
        sizes = [len(known) for known in self._values]
        if self._widths is None:  # first chunk since clear(): nothing cached yet
            widths = [max(n, 1).bit_length() + 2 for n in sizes]
            spare = 63 - sum(widths)
            for i in range(max(spare, 0)):
                widths[i % len(widths)] += 1
            self._widths = widths if spare >= 0 and not self._combos else []
        if not self._widths or any(n > 1 << w for n, w in zip(sizes, self._widths,
                                                             strict=True)):
            self._widths = []  # outgrown: the dictionary of tuples until clear()
            return None
        key = np.zeros(len(table[0]), dtype=np.int64)
        shift = 0
        for ids, width in zip(table, self._widths, strict=True):
            key |= ids.astype(np.int64) << shift
            shift += width
        return key

    def _lookup_packed(self, packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the slot of each packed combination (-1 if new) and the new ones."""
        slots = np.asarray(self._packed.lookup(mixed_keys(packed)), dtype=np.int64)
        return slots, np.flatnonzero(slots < 0)

    def _template_outputs(self) -> pd.DataFrame:
        assert self._template is not None
        return self._template[self.output_names()].reset_index(drop=True)

    def _append(self, outputs: pd.DataFrame | dict[str, np.ndarray]) -> None:
        if self._store is None:
            self._store = ColumnStore()
        if isinstance(outputs, dict):
            self._store.append_values(outputs)
        else:
            self._store.append(outputs)
        self._store_arrow = None

    # -- pandas ----------------------------------------------------------------------

    def outputs(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """Output columns for ``frame`` and the cache slot of each row.

        Parameters
        ----------
        frame : pandas.DataFrame
            A chunk of the extract.

        Returns
        -------
        outputs : pandas.DataFrame
            The ``pv_*`` columns, with the index of ``frame``.
        slots : numpy.ndarray of int64
            Row -> cache slot (for counting, see :attr:`store`).
        """
        with self._lock:
            self.prepare(frame.columns)
            keys = frame[self.key_columns]
            slots = self.slots([keys[c] for c in self.key_columns],
                               lambda rows: keys.iloc[rows], len(frame))
            out = self.store.take(slots)
        out.index = frame.index
        return out, slots

    def tag(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Tag ``frame``; the result equals :func:`pv_identify.tag` with the same options.

        Parameters
        ----------
        frame : pandas.DataFrame
            A chunk of the extract.

        Returns
        -------
        pandas.DataFrame
            All columns of ``frame`` plus the ``pv_*`` columns, same index and order.
        """
        out, _ = self.outputs(frame)
        clash = [c for c in OUTPUT_COLUMNS if c in frame.columns]
        base = frame.drop(columns=clash) if clash else frame.copy(deep=False)
        result = base.assign(**{c: out[c] for c in out.columns})
        result.attrs = {**frame.attrs, "pv_identify": self.tagger.metadata(self.mapping)}
        return result

    # -- Arrow -------------------------------------------------------------------------

    def store_arrow(self) -> Any:
        """Return the cache store as an Arrow table (strings as ``large_string``)."""
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

    def arrow_outputs(self, table: Any) -> tuple[Any, np.ndarray]:
        """Output columns for an Arrow table or record batch, as an Arrow table.

        Parameters
        ----------
        table : pyarrow.Table or pyarrow.RecordBatch
            A chunk of the extract.

        Returns
        -------
        outputs : pyarrow.Table
            The ``pv_*`` columns, one row per row of ``table``.
        slots : numpy.ndarray of int64
            Row -> cache slot.
        """
        import pyarrow as pa

        with self._lock:
            self.prepare(table.schema.names)
            cols = [table.column(c) for c in self.key_columns]
            keys = pa.table(dict(zip(self.key_columns, cols, strict=True)))
            slots = self.slots(cols, lambda rows: decoded(keys.take(pa.array(rows))).to_pandas(),
                               table.num_rows)
            return dictionary_take(self.store_arrow(), slots), slots


def decoded(table: Any, columns: Collection[str] | None = None) -> Any:
    """Return ``table`` with its dictionary columns as their values (what ``tag`` sees).

    Pass 2 may read the rule fields as Arrow dictionaries
    (:mod:`pv_identify.stream.passthrough`), pass 1 the key columns
    (:func:`~pv_identify.stream.history.dictionary_columns`); the rows fetched for the
    rules and the model's features are the plain values.

    Parameters
    ----------
    table : pyarrow.Table
        Rows to decode.
    columns : collection of str, optional
        Decode only these dictionary columns (default: every one).
    """
    import pyarrow as pa

    for at, fld in enumerate(table.schema):
        if pa.types.is_dictionary(fld.type) and (columns is None or fld.name in columns):
            table = table.set_column(at, fld.name, table.column(at).cast(fld.type.value_type))
    return table


def dictionary_take(store: Any, slots: np.ndarray) -> Any:
    """Rows ``slots`` of Arrow table ``store``, string columns as dictionary arrays.

    The output strings repeat heavily (one per distinct combination), so they are
    written as dictionary-encoded columns: no per-row string copies, smaller files,
    faster Parquet writes. A string column's dictionary holds each value the chunk uses
    once, in order of first row (what a Parquet reader rebuilds, and what the model path
    gives: ``ModelCache._string_dictionary``). Combinations share their strings, and a
    dictionary with repeated values is written densely by the Parquet writer, in bytes
    that varied between runs of the same input; with each value once the file's bytes
    are the same every run.
    """
    import pyarrow as pa

    present = np.bincount(slots, minlength=store.num_rows) > 0  # O(n), no sort
    used = np.flatnonzero(present)
    remap = np.zeros(store.num_rows, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    part = store.take(pa.array(used))
    local = remap[slots]
    columns = {}
    for name in part.column_names:
        col = part.column(name).combine_chunks()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            columns[name] = _first_row_dictionary(col, local)
        else:
            columns[name] = col.take(pa.array(local))
    return pa.table(columns)


def _first_row_dictionary(col: Any, rows: np.ndarray) -> Any:
    """Return ``col.take(rows)`` as a dictionary array of each value once, first row first.

    A missing value stays missing (a null index), not a dictionary entry.
    """
    import pyarrow as pa

    codes, values = pd.factorize(col.to_numpy(zero_copy_only=False))  # -1: missing
    index, first = pd.factorize(codes[rows])  # the distinct codes in order of first row
    mask = None
    if (first < 0).any():
        missing = int(np.flatnonzero(first < 0)[0])
        mask = index == missing
        index = np.where(index > missing, index - 1, index)
        index[mask] = 0
        first = first[first >= 0]
    return pa.DictionaryArray.from_arrays(
        pa.array(index.astype(np.int32, copy=False), mask=mask),
        pa.array(np.asarray(values, dtype=object)[first], type=col.type))


_PROCESS_TAGGERS = LRUCache(4)


def process_tagger(tagger: Tagger, columns: Mapping[str, Any] | None, overwrite: bool,
                   max_entries: int = DEFAULT_CACHE_ENTRIES) -> DistinctTagger:
    """Return this process's :class:`DistinctTagger` for a configuration (built once).

    Worker processes of the file runner and the Dask/Spark engines share it across the
    chunks or partitions they are given.
    """
    key = (tagger.ruleset.hash, repr(sorted((columns or {}).items())), overwrite, max_entries)
    return _PROCESS_TAGGERS.get_or_create(key, lambda: DistinctTagger(
        tagger, columns=columns, overwrite=overwrite, max_entries=max_entries))
