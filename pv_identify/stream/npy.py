"""Read ``.npy`` scratch files from several threads (CPython 3.11's parser is not thread-safe).

``np.load`` parses a file's header with :func:`ast.literal_eval`; on CPython 3.11 two
threads building ASTs at once can fail with ``SystemError: AST constructor recursion
depth mismatch`` (python/cpython gh-106905, fixed in later releases). Steps A-C of the
context pass (:mod:`pv_identify.stream.context_parts`) and the roll-ups
(:mod:`pv_identify.stream.context_rollups`) load their parts on two threads, and a
10M-row model run failed so once in ~20 (session 10); :func:`load_array` loads one file
at a time (a few milliseconds each: the files are in the page cache).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

#: Held while a file is loaded.
LOCK = threading.Lock()


def load_array(path: str | Path) -> np.ndarray:
    """Return the array of an ``.npy`` file written by ``np.save`` (no pickles).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    numpy.ndarray
        Its array, as ``np.load(path)`` gives it.
    """
    with LOCK:
        return np.load(path)
