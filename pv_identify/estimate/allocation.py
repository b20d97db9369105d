"""How many offences to draw from each stratum: proportional or Neyman allocation.

Both allocations are computed as a continuous solution under bounds
``min(N_h, minimum) <= n_h <= N_h`` (strata that hit a bound are fixed there and the
rest re-allocated, as in Cochran, *Sampling Techniques*, 5.9), then rounded to
integers by the largest remainder so that the sizes add up to ``n``.

* **proportional**: ``n_h ∝ N_h``;
* **Neyman** (optimal for the partner-violence total under a fixed ``n``):
  ``n_h ∝ N_h S_h`` with ``S_h = sqrt(p_h (1 - p_h))`` and ``p_h`` the anticipated
  partner-violence share of the stratum, taken from the model's calibrated score
  (or, without a model, the tagger's flag) and kept inside [0.01, 0.99] so no stratum
  is starved when the anticipation is wrong. The anticipation only steers the sizes;
  the estimates stay unbiased whatever it is.
"""

from __future__ import annotations

import numpy as np

from pv_identify.estimate.errors import EstimateError

#: Allocation names.
ALLOCATIONS: tuple[str, ...] = ("neyman", "proportional")
#: Bounds of the anticipated stratum share used by the Neyman allocation.
ANTICIPATION_CLIP: tuple[float, float] = (0.01, 0.99)


def neyman_sd(anticipated: np.ndarray) -> np.ndarray:
    """Anticipated standard deviation of a 0/1 variable with the given stratum means.

    Parameters
    ----------
    anticipated : numpy.ndarray of float
        Anticipated share per stratum.

    Returns
    -------
    numpy.ndarray of float
        ``sqrt(p (1 - p))`` with ``p`` clipped to :data:`ANTICIPATION_CLIP`.
    """
    p = np.clip(np.nan_to_num(np.asarray(anticipated, dtype=float), nan=0.5),
                *ANTICIPATION_CLIP)
    return np.sqrt(p * (1 - p))


def allocate(sizes: np.ndarray, n: int, *, sd: np.ndarray | None = None,
             minimum: int = 2) -> np.ndarray:
    """Integer sample size per stratum.

    Parameters
    ----------
    sizes : numpy.ndarray of int
        Stratum sizes ``N_h`` (all positive).
    n : int
        Total sample size.
    sd : numpy.ndarray of float, optional
        Anticipated standard deviation per stratum (Neyman); None: proportional.
    minimum : int, default 2
        Least rows per stratum (two are needed to estimate a stratum's variance); a
        smaller stratum is taken whole.

    Returns
    -------
    numpy.ndarray of int
        ``n_h``, adding up to ``n``.

    Raises
    ------
    EstimateError
        If ``n`` exceeds the extract or is too small for ``minimum`` rows per stratum.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    if (sizes < 1).any():
        raise EstimateError("every stratum must have at least one row")
    total = int(sizes.sum())
    if n < 1:
        raise EstimateError("the sample size must be at least 1")
    if n > total:
        raise EstimateError(f"the sample size {n} exceeds the {total} rows of the extract")
    lower = np.minimum(sizes, max(int(minimum), 1))
    if n < lower.sum():
        raise EstimateError(
            f"a sample of {n} cannot hold {minimum} rows in each of "
            f"the {len(sizes)} strata (needs {int(lower.sum())}); raise -n or use fewer "
            "stratifiers (--strata)")
    share = sizes.astype(float) if sd is None else sizes * np.asarray(sd, dtype=float)
    share = np.where(share > 0, share, 1e-12)
    ideal = np.zeros(len(sizes))
    fixed = np.zeros(len(sizes), dtype=bool)
    while True:
        free = ~fixed
        left = n - ideal[fixed].sum()
        ideal[free] = left * share[free] / share[free].sum()
        over = free & (ideal > sizes)
        under = free & (ideal < lower)
        if not over.any() and not under.any():
            break
        # fix the strata that break a bound, then re-allocate the rest
        ideal[over] = sizes[over]
        ideal[under] = lower[under]
        fixed |= over | under
        if fixed.all():
            break
    out = np.floor(ideal + 1e-9).astype(np.int64)
    remainder = ideal - out
    while out.sum() < n:  # largest remainder first, then the largest share
        room = out < sizes
        pick = int(np.argmax(np.where(room, remainder + 1e-9 * share / share.sum(), -np.inf)))
        out[pick] += 1
        remainder[pick] = 0.0
    while out.sum() > n:  # cannot happen with consistent bounds; kept as a guard
        spare = out > lower
        out[int(np.argmax(np.where(spare, out - ideal, -np.inf)))] -= 1
    return out
