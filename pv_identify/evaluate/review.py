"""How much must be read by hand: the partner-violence flag after a manual review.

The tagger's partner-violence flag is not perfect; a study can read the least certain
texts by hand and keep the tagger's flag on the rest. :func:`review_order` ranks the
items, least certain first, from the flag and the model's calibrated partner-violence
probability ``pv_score``: first the items where the flag and the score disagree (the
flag says partner violence at a score below one half, or not at a score of one half or
more), then by the distance of the score from one half. :func:`review_curve` measures,
for each share of items read by hand, the flag's precision and recall

* on the items left to the tagger (``auto``), and
* on all items after the review, the read items taking their gold class (``after``),

with cluster-bootstrap intervals over sources (the library's one bootstrap,
:func:`pv_identify.evaluate.bootstrap.cluster_bootstrap`). ``pv-identify evaluate-text
--model default --review 0.1,0.2,0.3`` prints it. The order is fixed in advance (no
setting is fitted), so the curve may be read on any split; the share a real extract
needs is smaller where most texts are plainly unrelated to any partner, and larger
where they are hard, as most corpus items are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate.bootstrap import (
    LEVEL,
    N_BOOT,
    cluster_bootstrap,
    percentile_interval,
    prf,
)
from pv_identify.evaluate.corpus import PV_CLASSES


def parse_shares(text: str) -> tuple[float, ...]:
    """Parse ``"0.1,0.2,0.3"`` into shares (each from 0 to 1), sorted, duplicates dropped.

    Raises
    ------
    PvIdentifyError
        Naming the part that is not a number from 0 to 1.
    """
    shares = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise PvIdentifyError(f"review shares: {part.strip()!r} is not a number; give "
                                  "fractions from 0 to 1, e.g. 0.1,0.2,0.3") from None
        if not 0.0 <= value <= 1.0 or math.isnan(value):
            raise PvIdentifyError(f"review shares: {value} is not a fraction from 0 to 1")
        shares.append(value)
    return tuple(sorted(set(shares)))


def review_order(flag: Sequence[bool] | np.ndarray, score: Sequence[float] | np.ndarray
                 ) -> np.ndarray:
    """Return the item positions, least certain first.

    Parameters
    ----------
    flag : array-like of bool
        The tagger's partner-violence flag.
    score : array-like of float
        The calibrated partner-violence probability (``pv_score``; no NaN).

    Returns
    -------
    numpy.ndarray
        Positions: first where flag and score disagree, then by ``|score - 0.5|``
        ascending; ties keep the item order.

    Examples
    --------
    >>> review_order([True, False, True, False], [0.9, 0.45, 0.3, 0.05]).tolist()
    [2, 1, 0, 3]
    """
    flag = np.asarray(flag, dtype=bool)
    score = np.asarray(score, dtype=float)
    if np.isnan(score).any():
        raise PvIdentifyError("review order: every item needs a pv_score (a model's "
                              "calibrated probability)")
    disagree = flag != (score >= 0.5)
    return np.lexsort((np.arange(len(score)), np.abs(score - 0.5), ~disagree))


@dataclass(frozen=True)
class ReviewCurve:
    """The flag after reading a share of items by hand.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per share: ``share``, ``read`` (items read), ``auto_precision``,
        ``auto_recall`` (on the items left to the tagger), ``precision``, ``recall``
        (all items after the review); the figures are
        :class:`~pv_identify.evaluate.bootstrap.Estimate`.
    """

    table: pd.DataFrame

    def format(self, digits: int = 3) -> str:
        """Return the table as aligned text."""
        head = ("read by hand", "items", "precision left", "recall left",
                "precision after", "recall after")
        rows = [(f"{r.share:.0%}", str(r.read), r.auto_precision.format(digits),
                 r.auto_recall.format(digits), r.precision.format(digits),
                 r.recall.format(digits)) for r in self.table.itertuples(index=False)]
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
        return "\n".join("  ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True))
                         .rstrip() for row in [head, *rows])

    def to_dict(self) -> list[dict[str, Any]]:
        """JSON-safe rows."""
        return [{"share": float(r.share), "read": int(r.read),
                 **{name: getattr(r, name).to_dict() for name in
                    ("auto_precision", "auto_recall", "precision", "recall")}}
                for r in self.table.itertuples(index=False)]


def review_curve(gold: Sequence[str], predicted: Sequence[str], score: Sequence[float],
                 cluster: Sequence[Any] | None = None, *,
                 shares: Sequence[float] = (0.0, 0.1, 0.2, 0.3),
                 n_boot: int = N_BOOT, seed: int = 0, level: float = LEVEL) -> ReviewCurve:
    """Precision and recall of the partner-violence flag after reading a share by hand.

    Parameters
    ----------
    gold, predicted : sequence of str
        Gold and predicted corpus classes (``partner``, ``ex_partner``, ``family``,
        ``other``).
    score : sequence of float
        The calibrated partner-violence probability of each item.
    cluster : sequence, optional
        Bootstrap cluster of each item (its source); None: every item its own.
    shares : sequence of float, default (0, 0.1, 0.2, 0.3)
        Shares of the items read by hand (rounded down to whole items).
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    ReviewCurve
        One row per share.
    """
    truth = np.asarray([g in PV_CLASSES for g in gold], dtype=bool)
    flag = np.asarray([p in PV_CLASSES for p in predicted], dtype=bool)
    order = review_order(flag, score)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    columns = []
    reads = []
    for share in shares:
        read = rank < math.floor(share * len(rank) + 1e-9)
        reads.append(int(read.sum()))
        left = ~read
        after = np.where(read, truth, flag)
        columns += [left & flag & truth, left & flag & ~truth, left & ~flag & truth,
                    after & truth, after & ~truth, ~after & truth]
    counts = np.stack(columns, axis=1).astype(np.int64)
    observed, reps = cluster_bootstrap(counts, cluster=None if cluster is None
                                       else list(cluster), n_boot=n_boot, seed=seed)
    rows = []
    for k, share in enumerate(shares):
        block = slice(6 * k, 6 * k + 6)
        obs = observed[block].astype(float)
        rep = reps[:, block].astype(float)
        figures = []
        for start in (0, 3):
            p_obs, r_obs, _ = prf(*obs[start:start + 3])
            p_rep, r_rep, _ = prf(rep[:, start], rep[:, start + 1], rep[:, start + 2])
            figures += [percentile_interval(float(p_obs), p_rep, level),
                        percentile_interval(float(r_obs), r_rep, level)]
        rows.append({"share": float(share), "read": reads[k], "auto_precision": figures[0],
                     "auto_recall": figures[1], "precision": figures[2],
                     "recall": figures[3]})
    return ReviewCurve(pd.DataFrame(rows))

