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

from pv_identify.model.features import conjunctions, context_tokens, mask_tokens

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


class ContextIds:
    """Sorted context-part token indices of packed contexts.

    Parameters
    ----------
    ids : callable
        ``ids(bags)`` -> sorted token indices of each token bag (the scorer's lookup for
        the context part; it also notes tokens of another part).
    """

    def __init__(self, ids: Callable[[list[str]], list[list[int]]]) -> None:
        self._ids = ids
        self._pieces: dict[tuple[object, ...], tuple[int, ...]] = {}
        #: False once a checked context's pieces differed from its string.
        self.usable = True
        self._checked = 0

    def __call__(self, keys: Sequence[int]) -> list[list[int]]:
        """Return the token indices of each packed context in ``keys``."""
        keys = list(keys)
        if self.usable and self._checked < CHECKED_CONTEXTS:
            sample = keys[:CHECKED_CONTEXTS - self._checked]
            self._checked += len(sample)
            if self._from_pieces(sample) != self._ids([context_string(k) for k in sample]):
                self.usable = False
        if not self.usable:
            return self._ids([context_string(k) for k in keys])
        return self._from_pieces(keys)

    def _piece(self, key: tuple[object, ...], text: Callable[..., str], *args: object
               ) -> tuple[int, ...]:
        found = self._pieces.get(key)
        if found is None:
            found = self._pieces[key] = tuple(self._ids([text(*args)])[0])
        return found

    def _from_pieces(self, keys: list[int]) -> list[list[int]]:
        out: list[list[int]] = []
        piece = self._piece
        for key in keys:
            own, case, hist, multi, hist_n, has_q = unpack(key)
            ids = set(piece(("own", own), mask_tokens, "own", own))
            ids.update(piece(("case", case), mask_tokens, "case", case))
            ids.update(piece(("hist", hist), mask_tokens, "hist", hist))
            ids.update(piece(("x", own, case, hist, has_q), _conjunction_string,
                             own, case, hist, has_q))
            ids.update(piece(("flags", multi, hist_n, has_q), context_tokens,
                             0, 0, 0, multi, hist_n, has_q))
            out.append(sorted(ids))
        return out


def _conjunction_string(own: int, case: int, hist: int, has_q: bool) -> str:
    return " ".join(conjunctions(own, case, hist, has_q))
