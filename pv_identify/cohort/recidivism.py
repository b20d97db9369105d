"""Step 5: recidivism prevalence (seed 001, §2.4.2, seed lines 3430-3530).

Recidivism is "een delict dat leidt tot een nieuwe strafzaak": an offence committed
*after* the start date that leads to a new case, counting convictions and cases not
yet decided, never acquittals or technical decisions. Three measures:

``domestic``
    the offence carries the domestic-violence flag (``pv_domestic_violence``);
``violence``
    the offence has an article of ``rules/cohort/violence_articles.yaml``;
``general``
    an offence that is a crime ("enig misdrijf", seed lines 3478-3482): its article
    makes it a misdrijf by ``rules/cohort/crimes.yaml`` (Sr Book 2 and the crimes of
    special laws; Sr Book 3 overtredingen do not count).

Follow-up starts at the index case's registration date (or a supplied start date,
e.g. the end of a programme) and ends at the data cut-off. The observation time is
extended by the detention of the index case (incapacitation): the index case's
unconditional custodial days are assumed to run from its disposal date
(``config.detention_start``), and days in detention are not days at risk. Time is
measured in days at risk; the 1-, 2- and 3-year prevalence is read from the
Kaplan-Meier curve at ``k * year_days`` days at risk.

Choices the report leaves open (documented here, all overridable):

- "after the start date" is strict: an offence committed on the start date itself
  is not recidivism (it is usually the index offence, registered separately).
- the index case itself never counts, even for offences in it committed later.
- an offence without an offence date is dated by its case's registration date.
- an offence is seen only if committed and registered on or before the cut-off.
- persons whose start date is not before the cut-off have no follow-up; they are
  left out of the table (``n_no_followup`` says how many).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from pv_identify.normalize.dates import parse_dates

from .config import CohortConfig, CohortConfigError
from .survival import km_prevalence_ci

#: The three recidivism measures, in report order.
MEASURES: tuple[str, ...] = ("domestic", "violence", "general")


class Recidivism(NamedTuple):
    """Result of :func:`recidivism`.

    Attributes
    ----------
    persons : pandas.DataFrame
        One row per person with follow-up: ``person_id``, ``start_date``,
        ``detention_days``, ``followup_days`` (days at risk until the cut-off), and
        per measure ``m``: ``m_event`` (bool), ``m_date`` (offence date of the first
        recidivism offence), ``m_days`` (days at risk to the event, or
        ``followup_days`` if none); ``weight`` if weights were given.
    table : pandas.DataFrame
        One row per measure and horizon: ``measure``, ``years``, ``n``,
        ``n_full_followup``, ``events`` (within the horizon), ``km_prevalence`` with
        its 95% band ``ci_lower``/``ci_upper`` (lifelines, exponential Greenwood),
        ``raw_share`` (events / n), ``raw_share_full`` (events among persons
        with the full follow-up / n_full_followup), ``n_no_followup``.
    """

    persons: pd.DataFrame
    table: pd.DataFrame


def _start_dates(index: pd.DataFrame, start_dates: pd.Series | pd.DataFrame | None) -> pd.Series:
    if start_dates is None:
        return index["registration_date"]
    if isinstance(start_dates, pd.DataFrame):
        if not {"person_id", "start_date"} <= set(start_dates.columns):
            raise CohortConfigError(
                "start_dates: expected a DataFrame with columns person_id and start_date, "
                "or a Series indexed by person_id"
            )
        start_dates = start_dates.set_index("person_id")["start_date"]
    if start_dates.index.has_duplicates:
        raise CohortConfigError("start_dates: person ids must be unique")
    mapped = parse_dates(index["person_id"].map(start_dates))
    n_missing = int(mapped.isna().sum())
    if n_missing:
        raise CohortConfigError(
            f"start_dates: {n_missing} person(s) of the index frame have no valid start date"
        )
    return mapped.astype("datetime64[ns]")


def _days(delta: pd.Series) -> np.ndarray:
    return (delta.dt.days).to_numpy(dtype=float)


def recidivism(
    offences: pd.DataFrame,
    index: pd.DataFrame,
    config: CohortConfig | None = None,
    start_dates: pd.Series | pd.DataFrame | None = None,
    incapacitation: bool | None = None,
    weights: pd.Series | None = None,
    detention: pd.DataFrame | None = None,
) -> Recidivism:
    """Measure domestic-violence, violence and general recidivism.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.classify_offences` for the whole extract.
    index : pandas.DataFrame
        Index cases (one row per person, with ``person_id``, ``case_id``,
        ``registration_date``, ``disposal_date``, ``custodial_days``). Not modified.
    config : CohortConfig, optional
        Study definitions (cut-off, horizons, detention start, year length).
    start_dates : pandas.Series or pandas.DataFrame, optional
        Start of follow-up per person (Series indexed by person id, or a frame with
        ``person_id`` and ``start_date``); default the index case's registration date.
    incapacitation : bool, optional
        Correct for detention of the index case; default ``config.incapacitation``.
        The report corrects the control group only (its treated group starts at the
        end of the programme).
    weights : pandas.Series, optional
        Case weights indexed by person id (e.g. matching weights); default 1.
    detention : pandas.DataFrame, optional
        Actual detention periods after the index case: ``person_id``,
        ``detention_start``, ``detention_end`` (one or more rows per person; end
        inclusive). Used instead of the imposed days when ``config.detention_periods``
        (issue 16, point 9); persons without a row fall back to the imposed days.
        ``persons["detention_source"]`` says which was used: ``periods``,
        ``imposed`` or ``none``.

    Returns
    -------
    Recidivism
        Per-person follow-up and the prevalence table.
    """
    config = config or CohortConfig()
    incap = config.incapacitation if incapacitation is None else incapacitation
    cutoff = config.cutoff_ts
    p = pd.DataFrame(
        {
            "person_id": index["person_id"].to_numpy(),
            "index_case_id": index["case_id"].to_numpy(),
            "start_date": _start_dates(index, start_dates).to_numpy(),
        }
    )
    if p["person_id"].duplicated().any():
        raise CohortConfigError("index: expected one row per person (person_id is duplicated)")
    if weights is not None:
        p["weight"] = p["person_id"].map(weights).astype(float).fillna(0.0).to_numpy()
    no_fu = p["start_date"] >= cutoff
    n_no_followup = int(no_fu.sum())
    keep = (~no_fu).to_numpy()
    p = p.loc[keep].reset_index(drop=True)
    sub = index.loc[keep].reset_index(drop=True)

    # detention intervals of the index case, in days after the start of follow-up
    det_days = sub["custodial_days"].astype(float).fillna(0.0)
    if config.detention_start == "disposal_date":
        det_start = sub["disposal_date"].fillna(p["start_date"])
    else:
        det_start = p["start_date"]
    ds = _days(det_start - p["start_date"])
    owner = np.arange(len(p))
    starts, ends = ds, ds + det_days.to_numpy()
    source = np.where(det_days.to_numpy() > 0, "imposed", "none").astype(object)
    if incap and detention is not None and config.detention_periods and len(detention):
        if not {"person_id", "detention_start", "detention_end"} <= set(detention.columns):
            raise CohortConfigError(
                "detention: expected columns person_id, detention_start, detention_end"
            )
        pos = pd.Series(np.arange(len(p)), index=p["person_id"])
        d = detention.loc[detention["person_id"].isin(pos.index)]
        d_owner = pos.loc[d["person_id"]].to_numpy()
        d_start = parse_dates(d["detention_start"])
        d_end = parse_dates(d["detention_end"])
        if d_start.isna().any() or d_end.isna().any() or (d_end < d_start).any():
            raise CohortConfigError(
                "detention: every row needs dates with detention_end on or after "
                "detention_start"
            )
        base = p["start_date"].to_numpy()[d_owner]
        d_s = (d_start.to_numpy() - base) / np.timedelta64(1, "D")
        d_e = (d_end.to_numpy() - base) / np.timedelta64(1, "D") + 1.0  # end inclusive
        has = np.zeros(len(p), dtype=bool)
        has[d_owner] = True
        keep_imposed = ~has
        owner = np.concatenate([owner[keep_imposed], d_owner])
        starts = np.concatenate([starts[keep_imposed], d_s])
        ends = np.concatenate([ends[keep_imposed], d_e])
        source[has] = "periods"
    if not incap:
        ends = starts.copy()
        source[:] = "none"
    p["detention_source"] = source

    def at_risk(days_after_start: np.ndarray) -> np.ndarray:
        t = days_after_start[owner]
        overlap = np.clip(np.minimum(t, ends) - np.maximum(0.0, starts), 0.0, None)
        overlap = np.nan_to_num(overlap, nan=0.0)
        return days_after_start - np.bincount(owner, weights=overlap, minlength=len(p))

    p["detention_days"] = np.bincount(owner, weights=ends - starts, minlength=len(p))
    cal_fu = _days(pd.Series(cutoff - p["start_date"]))
    p["followup_days"] = at_risk(cal_fu)

    # candidate recidivism offences: counting, not the index case, after start, seen
    o = offences.loc[
        offences["counts"] & offences["person_id"].isin(p["person_id"]),
        ["person_id", "case_id", "offence_date", "registration_date", "violence", "domestic",
         "misdrijf"],
    ]
    o = o.merge(p[["person_id", "index_case_id", "start_date"]], on="person_id", how="inner")
    when = o["offence_date"].fillna(o["registration_date"])
    seen = (
        (o["case_id"] != o["index_case_id"])
        & (when > o["start_date"])
        & (when <= cutoff)
        & (o["registration_date"] <= cutoff)
    )
    o = o.loc[seen].assign(when=when[seen])
    masks = {"domestic": o["domestic"], "violence": o["violence"], "general": o["misdrijf"]}
    for m in MEASURES:
        sel = o.loc[masks[m].astype(bool)]
        first = sel.groupby("person_id", sort=False, observed=True)["when"].min()
        first = first.astype("datetime64[ns]")
        date = pd.Series(first.reindex(p["person_id"].to_numpy()).to_numpy(), index=p.index)
        p[f"{m}_event"] = date.notna().to_numpy()
        p[f"{m}_date"] = date.to_numpy()
        days = at_risk(_days(date - p["start_date"]))
        p[f"{m}_days"] = np.where(p[f"{m}_event"], days, p["followup_days"])

    w = p["weight"].to_numpy() if "weight" in p else np.ones(len(p))
    rows = []
    for m in MEASURES:
        t = p[f"{m}_days"].to_numpy()
        e = p[f"{m}_event"].to_numpy()
        horizons = [h * config.year_days for h in config.horizons_years]
        km = km_prevalence_ci(t, e, horizons, w)
        for h, hd, prev, lo, hi in zip(
            config.horizons_years, horizons, km["prevalence"], km["ci_lower"], km["ci_upper"],
            strict=True,
        ):
            within = e & (t <= hd)
            full = p["followup_days"].to_numpy() >= hd
            n, n_full = float(w.sum()), float(w[full].sum())
            ev = float(w[within].sum())
            rows.append(
                {
                    "measure": m,
                    "years": h,
                    "n": n,
                    "n_full_followup": n_full,
                    "events": ev,
                    "km_prevalence": float(prev),
                    "ci_lower": float(lo),
                    "ci_upper": float(hi),
                    "raw_share": ev / n if n else np.nan,
                    "raw_share_full": float(w[within & full].sum()) / n_full if n_full else np.nan,
                    "n_no_followup": n_no_followup,
                }
            )
    persons = p.drop(columns=["index_case_id"])
    return Recidivism(persons, pd.DataFrame(rows))
