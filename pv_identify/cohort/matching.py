"""Step 6: propensity-score matching and the balance table (seed lines 3588-3779).

The report matches programme participants to the control pool on the Table 2.1
covariates with PSMATCH2 (Stata): propensity scores by logistic regression; nearest
neighbour 1:1 without replacement within a caliper of 0.2 standard deviations of the
logit of the propensity score (Austin, 2011); ties kept: when several controls are
equally near, all are matched, each with weight 1/k. Balance is judged by the
standardised difference (Rosenbaum & Rubin, 1985; |SD| above 10% is too large) and,
for continuous covariates, the variance ratio (Rubin, 2001; outside 0.5-2 is too
large), before and after matching.

Implementation choices:

- the logistic regression is unpenalised (scikit-learn ``C=inf``); categories are
  one-hot coded with the first level as reference, numbers standardised for the fit
  (which leaves an unpenalised model's scores unchanged);
- distances and the caliper are on the scale of ``matching.yaml`` (``caliper_scale``:
  the logit by default, as Austin (2011) whom the report cites; ``log`` is the
  report's literal "log van de propensity score"; ``pscore``); the caliper is
  ``caliper_sd`` times the standard deviation of that scale over treated and controls;
- treated persons are processed in random order (``random_state``; PSMATCH2 users
  sort randomly first), or in data order / highest score first;
- ties are controls with the *identical* propensity score as the nearest one (rounded
  to ``tie_decimals``), as the report defines them (seed lines 3646-3668);
- persons with a missing matching covariate are left unmatched (``missing:
  unmatched``, the report's 22 treated, seed lines 4082-4092), or categories get a
  "(missing)" level (``missing: level``);
- the standardised difference after matching divides by the same pooled standard
  deviation as before matching (unmatched samples), as PSMATCH2's ``pstest`` does,
  so before and after are on one scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from pv_identify.errors import PvIdentifyError

from .config import CohortConfig
from .covariates import CATEGORICAL, COVARIATES

_SCALES = ("logit", "log", "pscore")


class MatchingError(PvIdentifyError, ValueError):
    """Matching cannot be done as asked (the message says why)."""


class Matching(NamedTuple):
    """Result of :func:`match`.

    Attributes
    ----------
    matched : pandas.DataFrame
        The matched persons: the covariate rows of matched treated and controls with
        ``group`` (``"treated"``/``"control"``), ``pscore``, ``logit``, ``match_id``
        (person id of the treated person) and ``weight`` (1 for treated, 1/k for
        each of k tied controls).
    balance : pandas.DataFrame
        Balance before and after matching (see :func:`balance_table`).
    scores : pandas.DataFrame
        All treated and controls with ``group``, ``pscore`` and ``logit``.
    caliper : float
        The caliper on the logit scale.
    summary : pandas.DataFrame
        Counts: treated, treated matched, treated unmatched (off the caliper),
        controls available, controls matched, weighted controls.
    """

    matched: pd.DataFrame
    balance: pd.DataFrame
    scores: pd.DataFrame
    caliper: float
    summary: pd.DataFrame


def _is_categorical(col: pd.Series, name: str) -> bool:
    return name in CATEGORICAL or col.dtype == object or isinstance(col.dtype, pd.CategoricalDtype)


def design_matrix(
    data: pd.DataFrame, covariates: Sequence[str], drop_first: bool = True
) -> pd.DataFrame:
    """Numeric design matrix of the covariates: categories one-hot, booleans 0/1.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    covariates : sequence of str
        Columns to use.
    drop_first : bool
        Drop the first level of each category (for regression).

    Returns
    -------
    pandas.DataFrame
        Float columns named ``covariate`` or ``covariate=level``.

    Raises
    ------
    MatchingError
        A covariate is missing or has missing values.
    """
    parts: list[pd.DataFrame] = []
    for cov in covariates:
        if cov not in data.columns:
            raise MatchingError(f"covariate {cov!r} is not a column of the data")
        col = data[cov]
        if _is_categorical(col, cov):
            levels = sorted(col.astype(object).fillna("(missing)").astype(str).unique())
            vals = col.astype(object).fillna("(missing)").astype(str)
            use = levels[1:] if drop_first else levels
            parts.append(
                pd.DataFrame(
                    {f"{cov}={lv}": (vals == lv).astype(float) for lv in use}, index=data.index
                )
            )
        else:
            num = col.astype(float)
            if num.isna().any():
                raise MatchingError(
                    f"covariate {cov!r} has {int(num.isna().sum())} missing value(s); "
                    "exclude those persons or impute before matching"
                )
            parts.append(pd.DataFrame({cov: num}, index=data.index))
    if not parts:
        return pd.DataFrame(index=data.index)
    return pd.concat(parts, axis=1)


def propensity_scores(
    treated: pd.DataFrame,
    controls: pd.DataFrame,
    covariates: Sequence[str] = COVARIATES,
) -> pd.DataFrame:
    """Fit the propensity model and score everybody.

    Parameters
    ----------
    treated, controls : pandas.DataFrame
        Covariate rows (one per person, with ``person_id``). Not modified.
    covariates : sequence of str
        Matching covariates.

    Returns
    -------
    pandas.DataFrame
        ``treated`` then ``controls`` with ``group``, ``pscore`` and ``logit`` added
        (fresh index).
    """
    both = pd.concat(
        [treated.assign(group="treated"), controls.assign(group="control")], ignore_index=True
    )
    if not len(treated) or not len(controls):
        raise MatchingError("matching needs at least one treated and one control person")
    x = design_matrix(both, covariates, drop_first=True)
    x = x.loc[:, x.std(ddof=0) > 0]  # constant columns carry no information
    if x.shape[1]:
        x = (x - x.mean()) / x.std(ddof=0)
    y = (both["group"] == "treated").to_numpy(dtype=int)
    model = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-10)
    if x.shape[1]:
        model.fit(x.to_numpy(), y)
        logit = model.decision_function(x.to_numpy())
    else:
        logit = np.full(len(both), np.log(y.mean() / (1 - y.mean())))
    both["logit"] = logit
    both["pscore"] = 1.0 / (1.0 + np.exp(-logit))
    return both


def _nearest_with_ties(
    t_x: np.ndarray,
    c_x: np.ndarray,
    c_key: np.ndarray,
    caliper: float,
    order: np.ndarray,
) -> list[tuple[int, np.ndarray]]:
    """Greedy 1:1 nearest neighbour without replacement, keeping ties.

    ``c_x`` is the matching scale of the controls, ``c_key`` their rounded
    propensity score: the controls in a tie are those whose key equals the nearest
    control's key (identical propensity scores, seed lines 3646-3668), not those that
    happen to lie at the same distance on the other side.
    """
    sort = np.lexsort((c_key, c_x))
    vals = c_x[sort]
    keys = c_key[sort]
    ids = sort.copy()
    out: list[tuple[int, np.ndarray]] = []
    for i in order:
        if not len(vals):
            break
        x = t_x[i]
        pos = np.searchsorted(vals, x)
        cand = [j for j in (pos - 1, pos) if 0 <= j < len(vals)]
        best = min(cand, key=lambda j: (abs(vals[j] - x), j))
        if abs(vals[best] - x) > caliper:
            continue
        sel = np.flatnonzero(keys == keys[best])
        out.append((int(i), ids[sel]))
        vals = np.delete(vals, sel)
        keys = np.delete(keys, sel)
        ids = np.delete(ids, sel)
    return out


def _wmean_var(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    sw = w.sum()
    if sw <= 0:
        return np.nan, np.nan
    m = float((w * x).sum() / sw)
    # reliability-weighted unbiased variance (= sample variance for unit weights)
    v1, v2 = sw, (w**2).sum()
    denom = v1 - v2 / v1
    var = float((w * (x - m) ** 2).sum() / denom) if denom > 0 else np.nan
    return m, var


def _ttest(
    xt: np.ndarray, xc: np.ndarray, wt: np.ndarray, wc: np.ndarray
) -> tuple[float, float]:
    """Two-sample t-test with pooled variance and frequency weights (statsmodels)."""
    from statsmodels.stats.weightstats import ttest_ind

    kt, kc = wt > 0, wc > 0
    xt, xc, wt, wc = xt[kt], xc[kc], wt[kt], wc[kc]
    if wt.sum() <= 1 or wc.sum() <= 1:
        return np.nan, np.nan
    both = np.concatenate([xt, xc])
    if np.all(both == both[0]):
        return 0.0, 1.0  # a constant covariate does not differ
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat, pval, _ = ttest_ind(xt, xc, usevar="pooled", weights=(wt, wc))
    return float(tstat), float(pval)


def balance_table(
    treated: pd.DataFrame,
    controls: pd.DataFrame,
    covariates: Sequence[str] = COVARIATES,
    treated_weights: pd.Series | None = None,
    control_weights: pd.Series | None = None,
    reference: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Standardised differences and variance ratios of covariates between two groups.

    Parameters
    ----------
    treated, controls : pandas.DataFrame
        Covariate rows.
    covariates : sequence of str
        Columns to compare (categories are compared level by level).
    treated_weights, control_weights : pandas.Series, optional
        Weights aligned with the rows (default 1).
    reference : tuple of two DataFrames, optional
        (treated, controls) samples whose variances scale the standardised
        difference (default: the compared samples themselves).

    Returns
    -------
    pandas.DataFrame
        One row per covariate (level): ``covariate``, ``level``, ``mean_treated``,
        ``mean_control`` (shares for levels), ``t`` and ``p`` (two-sample t-test,
        pooled variance, weights as frequency weights, statsmodels ``ttest_ind``, as
        the report's t-toets), ``std_diff`` (in %:
        100 (m_t - m_c) / sqrt((s2_t + s2_c) / 2)), ``var_ratio`` (s2_t / s2_c,
        continuous covariates only).
    """
    frames = [treated, controls, *(reference or ())]
    design = design_matrix(pd.concat(frames, ignore_index=True), covariates, drop_first=False)
    bounds = np.cumsum([0, *(len(f) for f in frames)])
    parts = [design.iloc[a:b] for a, b in pairwise(bounds)]
    nt = len(treated)
    xt, xc = parts[0], parts[1]
    xt_all = pd.concat([xt, xc])
    rt, rc = (parts[2], parts[3]) if reference is not None else (xt, xc)
    wt = np.ones(nt) if treated_weights is None else np.asarray(treated_weights, dtype=float)
    wc = np.ones(len(controls)) if control_weights is None else np.asarray(control_weights, float)
    rows = []
    for col in xt_all.columns:
        cov, _, level = col.partition("=")
        mt, vt = _wmean_var(xt[col].to_numpy(), wt)
        mc, vc = _wmean_var(xc[col].to_numpy(), wc)
        if reference is not None:
            _, rvt = _wmean_var(rt[col].to_numpy(), np.ones(len(rt)))
            _, rvc = _wmean_var(rc[col].to_numpy(), np.ones(len(rc)))
        else:
            rvt, rvc = vt, vc
        pooled = np.sqrt((rvt + rvc) / 2.0)
        sd = 100.0 * (mt - mc) / pooled if pooled > 0 else 0.0
        binary = set(np.unique(design[col].to_numpy())) <= {0.0, 1.0}
        vr = vt / vc if (not binary and vc and vc > 0) else np.nan
        tstat, pval = _ttest(xt[col].to_numpy(), xc[col].to_numpy(), wt, wc)
        rows.append(
            {
                "covariate": cov,
                "level": level,
                "mean_treated": mt,
                "mean_control": mc,
                "t": tstat,
                "p": pval,
                "std_diff": sd,
                "var_ratio": vr,
            }
        )
    return pd.DataFrame(rows)


def _missing_rows(data: pd.DataFrame, covariates: Sequence[str], policy: str) -> pd.Series:
    """Rows that cannot be matched because a covariate is missing."""
    bad = pd.Series(False, index=data.index)
    for cov in covariates:
        if cov not in data.columns:
            raise MatchingError(f"covariate {cov!r} is not a column of the data")
        col = data[cov]
        if policy == "level" and _is_categorical(col, cov):
            continue
        bad |= col.isna()
    return bad


def match(
    treated: pd.DataFrame,
    controls: pd.DataFrame,
    covariates: Sequence[str] = COVARIATES,
    caliper_sd: float | None = None,
    order: Literal["random", "data", "descending"] = "random",
    random_state: int = 0,
    caliper_scale: Literal["logit", "log", "pscore"] | None = None,
    tie_decimals: int | None = None,
    missing: Literal["unmatched", "level"] | None = None,
    config: CohortConfig | None = None,
) -> Matching:
    """Propensity-score matching as in the report, with the balance table.

    Parameters
    ----------
    treated : pandas.DataFrame
        Covariates of the treated group (one row per person, with ``person_id``).
    controls : pandas.DataFrame
        Covariates of the control pool (persons not in ``treated``).
    covariates : sequence of str
        Matching covariates (default: all of Table 2.1).
    caliper_sd : float, optional
        Caliper in standard deviations of the matching scale (default from
        ``rules/cohort/matching.yaml``: 0.2).
    order : {"random", "data", "descending"}
        Order in which treated persons pick their controls.
    random_state : int
        Seed for ``order="random"``.
    caliper_scale : {"logit", "log", "pscore"}, optional
        Scale of distances and caliper (default ``matching.yaml``: logit; the report
        says "log van de propensity score").
    tie_decimals : int, optional
        Controls are tied when their propensity scores agree to this many decimals
        (default ``matching.yaml``: 10).
    missing : {"unmatched", "level"}, optional
        Treated (and controls) with a missing covariate are left out (``unmatched``,
        the report) or get a "(missing)" level for categories (``level``).
    config : CohortConfig, optional
        Source of the defaults (``matching.yaml``).

    Returns
    -------
    Matching
        Matched persons with weights, balance before/after, scores, caliper, summary.
    """
    overlap = set(treated["person_id"]) & set(controls["person_id"])
    if overlap:
        raise MatchingError(
            f"{len(overlap)} person(s) are both treated and control; remove the treated "
            "persons from the control pool (apply_exclusions(exclude_persons=...))"
        )
    rules = (config or CohortConfig()).rules.matching
    caliper_sd = rules["caliper_sd"] if caliper_sd is None else caliper_sd
    caliper_scale = rules["caliper_scale"] if caliper_scale is None else caliper_scale
    tie_decimals = rules["tie_decimals"] if tie_decimals is None else tie_decimals
    missing = rules["missing"] if missing is None else missing
    if caliper_scale not in _SCALES:
        raise MatchingError(f"caliper_scale: expected one of {', '.join(_SCALES)}")
    t_missing = _missing_rows(treated, covariates, missing)
    c_missing = _missing_rows(controls, covariates, missing)
    treated, controls = treated.loc[~t_missing], controls.loc[~c_missing]
    scored = propensity_scores(treated, controls, covariates)
    is_t = (scored["group"] == "treated").to_numpy()
    logit = scored["logit"].to_numpy()
    pscore = scored["pscore"].to_numpy()
    scale = {"logit": logit, "log": np.log(np.clip(pscore, 1e-300, None)), "pscore": pscore}[
        caliper_scale]
    scored["match_scale"] = scale
    caliper = float(caliper_sd * np.std(scale, ddof=1)) if len(scale) > 1 else 0.0
    t_idx = np.flatnonzero(is_t)
    c_idx = np.flatnonzero(~is_t)
    if order == "random":
        seq = np.random.default_rng(random_state).permutation(len(t_idx))
    elif order == "descending":
        seq = np.argsort(-logit[t_idx], kind="stable")
    elif order == "data":
        seq = np.arange(len(t_idx))
    else:
        raise MatchingError("order: expected 'random', 'data' or 'descending'")
    key = np.round(pscore, int(tie_decimals))
    pairs = _nearest_with_ties(scale[t_idx], scale[c_idx], key[c_idx], caliper, seq)
    pid = scored["person_id"].to_numpy()
    rows_t, rows_c, w_c, mid_c = [], [], [], []
    for ti, cs in pairs:
        rows_t.append(t_idx[ti])
        rows_c.extend(c_idx[cs])
        w_c.extend([1.0 / len(cs)] * len(cs))
        mid_c.extend([pid[t_idx[ti]]] * len(cs))
    mt = scored.iloc[rows_t].assign(weight=1.0)
    mt["match_id"] = mt["person_id"]
    mc = scored.iloc[rows_c].assign(weight=w_c, match_id=mid_c)
    matched = pd.concat([mt, mc], ignore_index=True)

    before = balance_table(scored.loc[is_t], scored.loc[~is_t], covariates)
    after = balance_table(
        mt,
        mc,
        covariates,
        control_weights=mc["weight"],
        reference=(scored.loc[is_t], scored.loc[~is_t]),
    )
    balance = before.merge(
        after, on=["covariate", "level"], how="outer", suffixes=("_before", "_after")
    )
    summary = pd.DataFrame(
        {
            "count": [
                len(t_idx) + int(t_missing.sum()),
                len(mt),
                len(t_idx) - len(mt),
                int(t_missing.sum()),
                len(c_idx),
                len(mc),
                float(mc["weight"].sum()),
            ]
        },
        index=[
            "treated",
            "treated matched",
            "treated off caliper",
            "treated with missing covariates",
            "controls available",
            "controls matched",
            "controls weighted",
        ],
    )
    return Matching(matched, balance, scored, caliper, summary)
