"""Inferential statistics of the report (seed 001, §2.5), on lifelines, scipy and statsmodels.

- Survival curves of the matched groups are compared with three tests that weigh
  different parts of the curve (seed lines 3744-3768): the generalised Wilcoxon test
  (Breslow, 1970; lifelines weighting ``"wilcoxon"``, the Gehan-Breslow weights = the
  number at risk), the Tarone-Ware test (``"tarone-ware"``, the square root of the
  number at risk) and the log-rank test (no weighting). Matched controls in a tie
  carry weight 1/k, passed to lifelines as case weights.
- Relevance is Cohen's h of the two prevalences (seed lines 3772-3778; statsmodels
  ``proportion_effectsize`` = 2 asin sqrt(p1) - 2 asin sqrt(p2)); |h| < 0.1 is
  negligible, 0.1-0.3 small, 0.3-0.5 medium, 0.5 and up large (Cohen, 1988).
- Bivariate comparisons of recidivism across the levels of a characteristic use a
  chi-square test (seed lines 3795-3807; scipy ``chi2_contingency``).

The tests per horizon censor the follow-up at that horizon (lifelines ``t_0``), so
the 1-year test compares the first year of the curves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .config import CohortConfig
from .recidivism import MEASURES, Recidivism
from .survival import km_prevalence_ci

#: Survival-curve tests: output name -> lifelines ``weightings`` value.
CURVE_TESTS: dict[str, str | None] = {
    "breslow": "wilcoxon",
    "tarone_ware": "tarone-ware",
    "logrank": None,
}


def cohens_h(p_treated: float, p_control: float) -> float:
    """Cohen's h of two proportions.

    Parameters
    ----------
    p_treated, p_control : float
        Proportions (0-1).

    Returns
    -------
    float
        ``2 asin sqrt(p_treated) - 2 asin sqrt(p_control)``; NaN if either is missing.
    """
    from statsmodels.stats.proportion import proportion_effectsize

    if pd.isna(p_treated) or pd.isna(p_control):
        return float("nan")
    return float(proportion_effectsize(p_treated, p_control))


def effect_size_label(h: float) -> str:
    """Cohen's (1988) verbal label of ``|h|`` as the report uses it.

    Parameters
    ----------
    h : float
        Cohen's h.

    Returns
    -------
    str
        ``"negligible"`` (< 0.1), ``"small"`` (< 0.3), ``"medium"`` (< 0.5) or
        ``"large"``; empty for NaN.
    """
    if pd.isna(h):
        return ""
    a = abs(h)
    return "negligible" if a < 0.1 else "small" if a < 0.3 else "medium" if a < 0.5 else "large"


def compare_curves(
    time_a: Sequence[float] | np.ndarray,
    event_a: Sequence[bool] | np.ndarray,
    time_b: Sequence[float] | np.ndarray,
    event_b: Sequence[bool] | np.ndarray,
    weights_a: Sequence[float] | np.ndarray | None = None,
    weights_b: Sequence[float] | np.ndarray | None = None,
    t_0: float = -1,
) -> dict[str, float]:
    """Breslow (generalised Wilcoxon), Tarone-Ware and log-rank tests of two curves.

    Parameters
    ----------
    time_a, event_a, time_b, event_b : array-like
        Days at risk and event flags of the two groups.
    weights_a, weights_b : array-like, optional
        Case weights (default 1).
    t_0 : float
        Censor all follow-up at this time (-1: no censoring), as lifelines' ``t_0``.

    Returns
    -------
    dict
        ``{name}_chi2`` and ``{name}_p`` for each name of :data:`CURVE_TESTS`
        (chi-square with 1 degree of freedom); NaN when a group is empty.
    """
    from lifelines.statistics import logrank_test

    out: dict[str, float] = {}
    ta, tb = np.asarray(time_a, float), np.asarray(time_b, float)
    wa = np.ones_like(ta) if weights_a is None else np.asarray(weights_a, float)
    wb = np.ones_like(tb) if weights_b is None else np.asarray(weights_b, float)
    ka, kb = wa > 0, wb > 0
    for name, weighting in CURVE_TESTS.items():
        if not ka.any() or not kb.any():
            out[f"{name}_chi2"], out[f"{name}_p"] = float("nan"), float("nan")
            continue
        res = logrank_test(
            ta[ka], tb[kb], np.asarray(event_a, bool)[ka].astype(int),
            np.asarray(event_b, bool)[kb].astype(int),
            t_0=t_0, weights_A=wa[ka], weights_B=wb[kb], weightings=weighting,
        )
        out[f"{name}_chi2"] = float(res.test_statistic)
        out[f"{name}_p"] = float(res.p_value)
    return out


def _arrays(rec: Recidivism, measure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = rec.persons
    w = p["weight"].to_numpy(float) if "weight" in p else np.ones(len(p))
    return p[f"{measure}_days"].to_numpy(float), p[f"{measure}_event"].to_numpy(bool), w


def tests_table(
    treated: Recidivism,
    control: Recidivism,
    config: CohortConfig | None = None,
    measures: Sequence[str] = MEASURES,
) -> pd.DataFrame:
    """Compare the recidivism of two groups, as Figure 3.1 of the report.

    Parameters
    ----------
    treated, control : Recidivism
        Results of :func:`~pv_identify.cohort.recidivism` for the two groups (the
        control group usually weighted by its matching weights).
    config : CohortConfig, optional
        Study definitions (horizons, year length).
    measures : sequence of str
        Recidivism measures to compare.

    Returns
    -------
    pandas.DataFrame
        One row per measure and horizon: ``measure``, ``years``, ``n_treated``,
        ``n_control`` (weighted), ``prevalence_treated``, ``prevalence_control`` (KM),
        with their 95% bands, the ``breslow``, ``tarone_ware`` and ``logrank``
        chi-square statistics and p-values of the curves censored at the horizon,
        ``cohens_h`` and ``effect_size``.
    """
    config = config or CohortConfig()
    rows = []
    for m in measures:
        ta, ea, wa = _arrays(treated, m)
        tb, eb, wb = _arrays(control, m)
        for h in config.horizons_years:
            hd = h * config.year_days
            pa = km_prevalence_ci(ta, ea, [hd], wa).iloc[0]
            pb = km_prevalence_ci(tb, eb, [hd], wb).iloc[0]
            hh = cohens_h(pa["prevalence"], pb["prevalence"])
            rows.append(
                {
                    "measure": m,
                    "years": h,
                    "n_treated": float(wa.sum()),
                    "n_control": float(wb.sum()),
                    "prevalence_treated": float(pa["prevalence"]),
                    "ci_lower_treated": float(pa["ci_lower"]),
                    "ci_upper_treated": float(pa["ci_upper"]),
                    "prevalence_control": float(pb["prevalence"]),
                    "ci_lower_control": float(pb["ci_lower"]),
                    "ci_upper_control": float(pb["ci_upper"]),
                    **compare_curves(ta, ea, tb, eb, wa, wb, t_0=hd),
                    "cohens_h": hh,
                    "effect_size": effect_size_label(hh),
                }
            )
    return pd.DataFrame(rows)


def chi_square_by(
    rec: Recidivism,
    groups: pd.Series,
    measure: str = "general",
    years: float = 3,
    config: CohortConfig | None = None,
) -> pd.DataFrame:
    """Recidivism per level of a characteristic with a chi-square test (§2.5.3).

    Persons whose follow-up ends before the horizon without an event are left out of
    the contingency table (their outcome at the horizon is unknown); the KM
    prevalence per level uses everybody.

    Parameters
    ----------
    rec : Recidivism
        Recidivism of one group.
    groups : pandas.Series
        Level per person, indexed by person id.
    measure : str
        Recidivism measure.
    years : float
        Horizon in years.
    config : CohortConfig, optional
        Study definitions (year length).

    Returns
    -------
    pandas.DataFrame
        One row per level: ``level``, ``n``, ``events``, ``km_prevalence``, and the
        test's ``chi2``, ``dof`` and ``p`` (equal on every row).
    """
    from scipy.stats import chi2_contingency

    config = config or CohortConfig()
    hd = years * config.year_days
    p = rec.persons
    level = p["person_id"].map(groups).astype(object).fillna("(missing)").astype(str)
    t, e, w = _arrays(rec, measure)
    within = e & (t <= hd)
    known = within | (p["followup_days"].to_numpy(float) >= hd)
    rows = []
    for lv in sorted(level.unique()):
        sel = (level == lv).to_numpy()
        prev = km_prevalence_ci(t[sel], e[sel], [hd], w[sel])["prevalence"].iloc[0]
        rows.append({"level": lv, "n": float(w[sel].sum()),
                     "events": float(w[sel & within].sum()),
                     "no_event": float(w[sel & known & ~within].sum()),
                     "km_prevalence": float(prev)})
    out = pd.DataFrame(rows)
    table = out[["events", "no_event"]].to_numpy()
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] >= 2 and (table.sum(axis=0) > 0).all():
        chi2, pval, dof, _ = chi2_contingency(table, correction=False)
    else:
        chi2, pval, dof = np.nan, np.nan, 0
    return out.assign(chi2=float(chi2), dof=int(dof), p=float(pval))
