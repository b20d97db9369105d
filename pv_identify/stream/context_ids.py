"""Context-part token indices of packed contexts, from pieces computed once each.

The model cache (:mod:`pv_identify.stream.model_cache`) scores the context part of a
decision once per distinct packed context: own, case and history signal masks, case
size > 1, earlier cases and has-a-qualification in one integer. Its tokens are those of
:func:`~pv_identify.model.features.context_tokens`: the tokens of each of the three
masks, the conjunctions of the signals and the flags. Building that string and splitting
it for every new context cost ~27 us each (10M rows: 98k contexts); the tokens of a
mask, of a conjunction and of the flags repeat across contexts, so :class:`ContextIds`
keeps each piece's token indices and gives a context the sorted union of its pieces'.

The union is the string's token set as long as ``context_tokens`` joins these pieces;
the first contexts of every run are checked against the string (and the pieces given
up if one differs), and the tests compare both on many contexts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from pv_identify.model.features import (
    CONJUNCTION_CASE_BITS,
    CONJUNCTION_HIST_BITS,
    conjunctions,
    context_tokens,
    mask_tokens,
)
from pv_identify.stream.key_rows import KeyRows

#: Bits of each signal mask in a packed context.
SIGNAL_BITS = 13
#: Contexts compared with their token string at the start of a run.
CHECKED_CONTEXTS = 512

_MASK = (1 << SIGNAL_BITS) - 1


def unpack(key: int) -> tuple[int, int, int, bool, int, bool]:
    """Return (own, case, hist, multi, hist_n, has_q) of a packed context.

    Parameters
    ----------
    key : int
        ``own | case << 13 | hist << 26 | multi << 39 | hist_n << 40 | has_q << 42``.

    Returns
    -------
    tuple
        The arguments of :func:`~pv_identify.model.features.context_tokens`.
    """
    return (key & _MASK, (key >> SIGNAL_BITS) & _MASK, (key >> 2 * SIGNAL_BITS) & _MASK,
            bool((key >> 3 * SIGNAL_BITS) & 1), (key >> (3 * SIGNAL_BITS + 1)) & 3,
            bool((key >> (3 * SIGNAL_BITS + 3)) & 1))


def pack(own: np.ndarray, case: np.ndarray, hist: np.ndarray, multi: np.ndarray,
         hist_n: np.ndarray, has_q: np.ndarray) -> np.ndarray:
    """Return the packed context of each row (the inverse of :func:`unpack`).

    Parameters
    ----------
    own, case, hist : numpy.ndarray
        Signal masks (13 bits each).
    multi : numpy.ndarray
        The case has more than one row.
    hist_n : numpy.ndarray
        Earlier cases (0-3).
    has_q : numpy.ndarray
        The row has a qualification.

    Returns
    -------
    numpy.ndarray of int64
        ``own | case << 13 | hist << 26 | multi << 39 | hist_n << 40 | has_q << 42``.
    """
    def i64(values: np.ndarray) -> np.ndarray:
        return np.asarray(values).astype(np.int64)

    return (i64(own) | (i64(case) << SIGNAL_BITS) | (i64(hist) << 2 * SIGNAL_BITS)
            | (i64(multi) << 3 * SIGNAL_BITS) | (i64(hist_n) << (3 * SIGNAL_BITS + 1))
            | (i64(has_q) << (3 * SIGNAL_BITS + 3)))


def context_string(key: int) -> str:
    """Return the context tokens of a packed context (see :func:`unpack`)."""
    return context_tokens(*unpack(key))


class _Pieces:
    """Token indices of one kind of piece, numbered by key, as rows of a padded table."""

    def __init__(self, ids: Callable[[list[str]], list[list[int]]],
                 text: Callable[[int], str], pad: int) -> None:
        self._ids = ids
        self._text = text
        self._pad = pad
        self._numbers = KeyRows()
        self.table = np.empty((0, 0), dtype=np.int64)

    def take(self, keys: np.ndarray) -> np.ndarray:
        """Return the padded token indices of each key's piece (new pieces computed)."""
        rows, new = self._numbers.rows(keys)
        if new:
            found = self._ids([self._text(k) for k in new])
            known, width = self.table.shape
            width = max(width, max(len(f) for f in found))
            grown = np.full((known + len(new), width), self._pad, dtype=np.int64)
            grown[:known, :self.table.shape[1]] = self.table
            for i, ids in enumerate(found):
                grown[known + i, :len(ids)] = ids
            self.table = grown
        return self.table[rows]


class ContextIds:
    """Sorted context-part token indices of packed contexts, as a padded matrix.

    A context's indices are the sorted union of its pieces': the tokens of its own,
    case and history masks, of its conjunctions and of its flags. Each piece is
    computed once (by its key, in a C hash table) and kept as a row of a padded table;
    the contexts of a batch take their five pieces' rows, and one sort per row, a mask
    of repeats and a second sort give the union -- no Python per context (10M rows:
    ~98k contexts, ~1.3 cpu s of sets and dict lookups before). The conjunctions'
    piece is keyed by the bits :func:`~pv_identify.model.features.conjunctions`
    reads only (:data:`~pv_identify.model.features.CONJUNCTION_CASE_BITS`, ...), so
    there are few of them.

    Parameters
    ----------
    ids : callable
        ``ids(bags)`` -> sorted token indices of each token bag (the scorer's lookup for
        the context part; it also notes tokens of another part).
    pad : int
        The padding index (larger than every token index; its weights are zeros).
    """

    def __init__(self, ids: Callable[[list[str]], list[list[int]]], pad: int) -> None:
        self._ids = ids
        self.pad = int(pad)

        def conjunction(key: int) -> str:
            own, case, hist, _, _, has_q = unpack(key)
            return _conjunction_string(own, case, hist, has_q)

        def flags(key: int) -> str:
            return context_tokens(0, 0, 0, bool(key & 1), (key >> 1) & 3, bool(key >> 3))

        self._pieces = {
            name: _Pieces(ids, text, self.pad) for name, text in (
                ("own", lambda k: mask_tokens("own", k)),
                ("case", lambda k: mask_tokens("case", k)),
                ("hist", lambda k: mask_tokens("hist", k)),
                ("x", conjunction), ("flags", flags))}
        #: False once a checked context's pieces differed from its string.
        self.usable = True
        self._checked = 0

    def __call__(self, keys: Sequence[int]) -> list[list[int]]:
        """Return the token indices of each packed context in ``keys`` (lists)."""
        matrix = self.matrix(keys)
        return [row[row != self.pad].tolist() for row in matrix]

    def matrix(self, keys: Sequence[int] | np.ndarray) -> np.ndarray:
        """Return the sorted token indices of each packed context, padded with :attr:`pad`.

        Row ``i`` holds the indices of ``keys[i]``'s context string (as ``ids`` gives
        them), then :attr:`pad`; for :meth:`~pv_identify.model.estimator.
        RelationshipClassifier.part_decision`, which adds a row's weights in this order.
        """
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        if self.usable and self._checked < CHECKED_CONTEXTS:
            sample = keys[:CHECKED_CONTEXTS - self._checked]
            self._checked += len(sample)
            got = [row[row != self.pad].tolist() for row in self._from_pieces(sample)]
            if got != self._ids([context_string(int(k)) for k in sample]):
                self.usable = False
        if not self.usable:
            return _padded(self._ids([context_string(int(k)) for k in keys]), self.pad)
        return self._from_pieces(keys)

    def _from_pieces(self, keys: np.ndarray) -> np.ndarray:
        own, case, hist = keys & _MASK, (keys >> SIGNAL_BITS) & _MASK, \
            (keys >> 2 * SIGNAL_BITS) & _MASK
        flags = keys >> 3 * SIGNAL_BITS  # multi | hist_n << 1 | has_q << 3
        has_q = flags >> 3
        conjunction = (own | (case & CONJUNCTION_CASE_BITS) << SIGNAL_BITS
                       | (hist & CONJUNCTION_HIST_BITS) << 2 * SIGNAL_BITS
                       | has_q << (3 * SIGNAL_BITS + 3))
        pieces = self._pieces
        matrix = np.concatenate([pieces["own"].take(own), pieces["case"].take(case),
                                 pieces["hist"].take(hist), pieces["x"].take(conjunction),
                                 pieces["flags"].take(flags)], axis=1)
        return _union(matrix, self.pad)


def _union(matrix: np.ndarray, pad: int) -> np.ndarray:
    """Sort each row, drop repeats (to ``pad``, the largest value) and trailing pad columns."""
    matrix = np.sort(matrix, axis=1)
    if matrix.shape[1] > 1:
        repeat = np.zeros(matrix.shape, dtype=bool)
        repeat[:, 1:] = matrix[:, 1:] == matrix[:, :-1]
        if repeat.any():
            matrix[repeat] = pad
            matrix.sort(axis=1)
    width = int((matrix != pad).sum(axis=1).max()) if matrix.size else 0
    return np.ascontiguousarray(matrix[:, :width])


def _padded(rows: list[list[int]], pad: int) -> np.ndarray:
    """Return ``rows`` as a matrix padded with ``pad``."""
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), pad, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out


def _conjunction_string(own: int, case: int, hist: int, has_q: bool) -> str:
    return " ".join(conjunctions(own, case, hist, has_q))
