"""Step 3: exclusion criteria, applied in order, with an attrition table.

Seed 001, seed lines 3124-3145: four criteria, in this order: (1) no citizen service
number (BSN); (2) minor at the time of the index case; (3) the partner violence of the
index case is murder, a sexual offence or deprivation of liberty; (4) persons who took
part in the programme (a user-supplied list). The control group went from 10.355 to
9.835 offenders; :func:`apply_exclusions` reports the same kind of table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from .config import CohortConfig


class Selection(NamedTuple):
    """Result of :func:`apply_exclusions`.

    Attributes
    ----------
    cohort : pandas.DataFrame
        The index cases that remain.
    attrition : pandas.DataFrame
        One row per step: ``step``, ``criterion``, ``excluded``, ``remaining``,
        ``note``.
    excluded : pandas.DataFrame
        The excluded index cases with the criterion that removed them (``reason``).
    """

    cohort: pd.DataFrame
    attrition: pd.DataFrame
    excluded: pd.DataFrame


def apply_exclusions(
    index: pd.DataFrame,
    config: CohortConfig | None = None,
    exclude_persons: Iterable[object] | None = None,
) -> Selection:
    """Apply the published exclusion criteria in order.

    Parameters
    ----------
    index : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.index_cases`. Not modified.
    config : CohortConfig, optional
        Study definitions (``min_age``).
    exclude_persons : iterable, optional
        Person ids to remove last (e.g. programme participants).

    Returns
    -------
    Selection
        Remaining cohort, attrition table and excluded cases.

    Notes
    -----
    - A person whose BSN flag is missing counts as having no BSN; if the extract has no
      BSN column at all, step 1 is skipped and its note says so.
    - A person whose age at the index case is unknown (no birth date) is kept by step
      2; the note gives their number.
    - Step 3 uses the types marked ``exclude: true`` in ``rules/cohort/pv_types.yaml``,
      looking at all proven partner-violence offences of the index case.
    """
    config = config or CohortConfig()
    rest = index
    rows: list[dict[str, object]] = [
        {
            "step": 0,
            "criterion": "partner-violence conviction in window (first per person)",
            "excluded": 0,
            "remaining": len(rest),
            "note": f"window {config.window_start.date()} to {config.window_end.date()} "
            f"on {config.window_date}",
        }
    ]
    dropped: list[pd.DataFrame] = []

    def step(n: int, criterion: str, mask: pd.Series, note: str = "") -> None:
        nonlocal rest
        gone = rest.loc[mask].assign(reason=criterion)
        dropped.append(gone)
        rest = rest.loc[~mask]
        rows.append(
            {
                "step": n,
                "criterion": criterion,
                "excluded": len(gone),
                "remaining": len(rest),
                "note": note,
            }
        )

    bsn = rest["bsn_present"]
    if bsn.isna().all() and len(rest):
        step(1, "no BSN", pd.Series(False, index=rest.index), "not applied: no BSN column")
    else:
        step(1, "no BSN", ~bsn.astype("boolean").fillna(False).astype(bool))
    age = rest["age_at_index"]
    unknown = int(age.isna().sum())
    step(
        2,
        f"minor at index case (age < {config.min_age:g})",
        age.lt(config.min_age).fillna(False).astype(bool),
        f"{unknown} with unknown age kept" if unknown else "",
    )
    rules = config.rules
    names = ", ".join(t.name for t in rules.pv_types if t.exclude)
    step(3, f"index partner violence is {names}", rest["pv_type_excluded"].astype(bool))
    ids = pd.Index(list(exclude_persons) if exclude_persons is not None else [])
    step(
        4,
        "on user-supplied exclusion list",
        rest["person_id"].isin(ids),
        f"{len(ids)} ids supplied" if exclude_persons is not None else "no list supplied",
    )
    attrition = pd.DataFrame(rows, columns=["step", "criterion", "excluded", "remaining", "note"])
    excluded = pd.concat(dropped, ignore_index=True) if dropped else index.iloc[:0]
    return Selection(rest.reset_index(drop=True), attrition, excluded)
