"""Stratum of every offence: what the tagger said, the score band, year and disposal.

Stratifiers (``--strata``, comma-separated, in this order of the key):

* ``signal`` -- ``pv_source``: a rule fired (``rule``), only the model labelled the
  row (``model``), or neither (``none``);
* ``band`` -- the model's partner-violence score band (edges :data:`DEFAULT_BANDS`);
* ``year`` -- registration year;
* ``source`` -- court decision (a qualification exists) or prosecutor disposal.

``none`` alone gives a single stratum: simple random sampling. The stratum key is the
values joined with ``/`` (``rule/0.80-1.00``), readable in the annotation sheet.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from pv_identify.estimate.errors import EstimateError
from pv_identify.estimate.tagged import TaggedColumns

#: Known stratifiers, in the order they make up a stratum key.
STRATIFIERS: tuple[str, ...] = ("signal", "band", "year", "source")
#: Default stratifiers with and without a model score.
DEFAULT_STRATA: tuple[str, ...] = ("signal", "band")
DEFAULT_STRATA_NO_MODEL: tuple[str, ...] = ("signal",)
#: Inner edges of the score bands (0 and 1 are the outer edges).
DEFAULT_BANDS: tuple[float, ...] = (0.02, 0.05, 0.1, 0.3, 0.5, 0.8)
#: Key of the single stratum of simple random sampling.
ALL = "all"


def parse_strata(text: str | Sequence[str] | None, *, has_model: bool) -> tuple[str, ...]:
    """Parse ``--strata`` into stratifier names in canonical order.

    Parameters
    ----------
    text : str or sequence of str or None
        ``"signal,band,year"``, ``"none"`` (one stratum) or None for the default.
    has_model : bool
        Whether the extract has model scores (``band`` needs them).

    Returns
    -------
    tuple of str
        Stratifiers (empty for simple random sampling).

    Raises
    ------
    EstimateError
        On an unknown stratifier, or ``band`` without model scores.
    """
    if text is None:
        return DEFAULT_STRATA if has_model else DEFAULT_STRATA_NO_MODEL
    names = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    if names in ([], ["none"]):
        return ()
    unknown = sorted(set(names) - set(STRATIFIERS))
    if unknown:
        raise EstimateError(f"unknown stratifier(s) {unknown}; use some of "
                            f"{', '.join(STRATIFIERS)} (comma-separated) or 'none'")
    if "band" in names and not has_model:
        raise EstimateError("stratifier 'band' needs model scores (pv_score); tag the "
                            "extract with --model or leave 'band' out")
    return tuple(s for s in STRATIFIERS if s in names)


def check_bands(bands: Iterable[float]) -> tuple[float, ...]:
    """Validate inner score-band edges (strictly increasing, inside (0, 1)).

    Parameters
    ----------
    bands : iterable of float
        Inner edges.

    Returns
    -------
    tuple of float
        The edges.

    Raises
    ------
    EstimateError
        If they are not strictly increasing inside (0, 1).
    """
    edges = tuple(float(b) for b in bands)
    if any(not 0 < b < 1 for b in edges) or any(a >= b for a, b in itertools.pairwise(edges)):
        raise EstimateError(f"score bands must be increasing values in (0, 1), got {edges}")
    return edges


def score_band(score: np.ndarray, bands: Sequence[float] = DEFAULT_BANDS) -> np.ndarray:
    """Score band label per row (``0.00-0.02`` ... ``0.80-1.00``; ``noscore`` for NaN).

    Parameters
    ----------
    score : numpy.ndarray of float
        Model scores.
    bands : sequence of float
        Inner edges.

    Returns
    -------
    numpy.ndarray of str
        Band labels; a band includes its lower edge.
    """
    edges = (0.0, *check_bands(bands), 1.0)
    names = np.array([f"{lo:.2f}-{hi:.2f}" for lo, hi in itertools.pairwise(edges)], dtype=object)
    idx = np.clip(np.searchsorted(np.asarray(edges[1:-1]), np.nan_to_num(score), side="right"),
                  0, len(names) - 1)
    return np.where(np.isfinite(score), names[idx], "noscore").astype(object)


def stratifier_values(view: TaggedColumns, name: str,
                      bands: Sequence[float] = DEFAULT_BANDS) -> np.ndarray:
    """Values of one stratifier (or domain variable) per row.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.
    name : str
        One of :data:`STRATIFIERS`.
    bands : sequence of float
        Inner score-band edges (for ``band``).

    Returns
    -------
    numpy.ndarray of str
        One value per row.
    """
    if name == "signal":
        return view.source.astype(object)
    if name == "band":
        return score_band(view.score, bands)
    if name == "year":
        return view.year
    if name == "source":
        return view.disposal
    raise EstimateError(f"unknown stratifier {name!r}")


def stratum_keys(view: TaggedColumns, by: Sequence[str],
                 bands: Sequence[float] = DEFAULT_BANDS) -> np.ndarray:
    """Stratum key per row: the stratifiers' values joined with ``/``.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.
    by : sequence of str
        Stratifiers (empty: one stratum :data:`ALL`).
    bands : sequence of float
        Inner score-band edges.

    Returns
    -------
    numpy.ndarray of str
        Key per row.
    """
    if not by:
        return np.full(len(view), ALL, dtype=object)
    key = pd.Series(stratifier_values(view, by[0], bands), dtype=object)
    for name in by[1:]:
        key = key + "/" + pd.Series(stratifier_values(view, name, bands), dtype=object)
    return key.to_numpy(dtype=object)
