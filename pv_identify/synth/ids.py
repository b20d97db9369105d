"""Pseudonymous identifiers.

- ``jds_nummer``: ``"P"`` + 9 digits, a bijective scramble of the global person number
  (so unique across blocks) mixed with the seed.
- ``parketnummer``: ``"AA/NNNNNNNNN-YY"`` like a real parketnummer
  (arrondissement/serial-year), where the serial is a bijective scramble of
  ``person * 64 + case rank`` (unique for up to 15 million persons) and ``YY`` the
  registration year. Real parketnummers have 8 characters before the year; ours are
  longer to stay unique without coordination between blocks.
"""

from __future__ import annotations

import numpy as np

from pv_identify.synth.vocab import ARRONDISSEMENTS

_MOD = 1_000_000_000
_MUL_PERSON = 387_420_489  # 3**18, coprime with 10**9
_MUL_CASE = 282_475_249  # 7**10, coprime with 10**9
MAX_CASES_PER_PERSON = 64


def _scramble(x: np.ndarray, mul: int, offset: int) -> np.ndarray:
    return (x.astype(np.int64) % _MOD * mul + offset) % _MOD


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    return np.strings.zfill(x.astype(np.int64).astype(np.str_), width)


def person_ids(global_person: np.ndarray, seed: int) -> np.ndarray:
    """Return ``jds_nummer`` pseudonyms.

    Parameters
    ----------
    global_person : numpy.ndarray
        Global person numbers (block * block_persons + index).
    seed : int
        The generator seed (changes the scramble).

    Returns
    -------
    numpy.ndarray
        Unicode array like ``"P038472910"``.
    """
    offset = (seed * 2_654_435_761) % _MOD
    return np.strings.add("P", _digits(_scramble(global_person, _MUL_PERSON, offset), 9))


def case_ids(
    global_person: np.ndarray, rank: np.ndarray, arrondissement: np.ndarray,
    year: np.ndarray, seed: int,
) -> np.ndarray:
    """Return ``parketnummer`` pseudonyms.

    Parameters
    ----------
    global_person : numpy.ndarray
        Global person number of each case.
    rank : numpy.ndarray
        Case number within the person (0 .. 63).
    arrondissement : numpy.ndarray
        Index into ``vocab.ARRONDISSEMENTS``.
    year : numpy.ndarray
        Registration year.
    seed : int
        The generator seed.

    Returns
    -------
    numpy.ndarray
        Unicode array like ``"13/482019384-15"``.
    """
    offset = (seed * 40_503 + 12_345) % _MOD
    code = global_person.astype(np.int64) * MAX_CASES_PER_PERSON + rank
    serial = _digits(_scramble(code, _MUL_CASE, offset), 9)
    arr = np.asarray(ARRONDISSEMENTS)[arrondissement]
    yy = _digits(year % 100, 2)
    return np.strings.add(np.strings.add(np.strings.add(arr, "/"), serial),
                          np.strings.add("-", yy))
