"""Measure Table 3.1 on the population the REPORT'S RULE finds (issue 16, point 7).

Seed 001's Table 3.1 describes the control group the report built with its own
identification rule (partner MC or a partner term in a court qualification) on the
register: convicted partner-violence offenders whose index case was disposed of in
2014-2017, after the exclusions. This module runs exactly that on a generated extract
-- tag with the ``wodc2022`` preset, then the cohort builder (``pv_identify.cohort``)
with its default definitions, including the density first-offender convention of
``rules/cohort/density.yaml`` -- and returns the same figures, so they can be compared
with :data:`pv_identify.synth.calibration.WODC2022_COHORT_TARGETS`.

:func:`pv_identify.synth.calibration.achieved` measures the generator's *truth*
population instead (all true partner-violence offenders); the two differ because the
rule misses most prosecutor disposals (no qualification) before the partner MC was
used well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pv_identify.synth.calibration import VV_VW_SB, WODC2022_COHORT_TARGETS, Target

#: Table 3.1 figure name -> (covariate, level) of ``cohort.covariate_table``.
COVARIATE_OF: dict[str, tuple[str, str]] = {
    "sex: man": ("sex", "man"),
    "age at index (mean)": ("age_at_index", ""),
    **{f"country: {c}": ("country_of_birth", c) for c in (
        "Nederland", "Marokko", "Nederlandse Antillen", "Suriname", "Turkije", "overig")},
    **{f"type: {c}": ("pv_type", c) for c in (
        "eenvoudige mishandeling", "zware mishandeling", "doodslag", "bedreiging",
        "belaging/stalking", "vernieling", "overig")},
    "disposal: werkstraf": ("most_severe_disposal", "werkstraf"),
    "disposal: leerstraf": ("most_severe_disposal", "leerstraf"),
    "disposal: voorwaardelijk beleidssepot": ("most_severe_disposal", "vw_beleidssepot"),
    "disposal: onvoorwaardelijk beleidssepot": ("most_severe_disposal", "onvw_beleidssepot"),
    "disposal: voorwaardelijke vrijheidsstraf": ("most_severe_disposal", "vw_vrijheidsstraf"),
    "disposal: vrijheidsstraf < 1 maand": ("most_severe_disposal", "vrijheidsstraf_lt_1m"),
    "disposal: vrijheidsstraf 1-6 maanden": ("most_severe_disposal", "vrijheidsstraf_1_6m"),
    "disposal: vrijheidsstraf > 6 maanden": ("most_severe_disposal", "vrijheidsstraf_gt_6m"),
    "disposal: maatregel": ("most_severe_disposal", "maatregel"),
    "disposal: geldboete": ("most_severe_disposal", "geldboete"),
    "disposal: overig": ("most_severe_disposal", "overig"),
    VV_VW_SB: ("vv_vw_sb", ""),
    "age at first case (mean)": ("age_first_case", ""),
    "prior cases (mean)": ("n_prior_cases", ""),
    "prior violence cases (mean)": ("n_prior_violence_cases", ""),
    "prior domestic cases (mean)": ("n_prior_dv_cases", ""),
    "case density (mean)": ("case_density", ""),
    "case density violence (mean)": ("case_density_violence", ""),
    "case density domestic (mean)": ("case_density_dv", ""),
    "prior custodial sentences (mean)": ("n_prior_custodial", ""),
}


def cohort_figures(
    extract: pd.DataFrame,
    rules: str = "wodc2022",
    exclude_persons: Iterable[object] | None = None,
    config: Any | None = None,
) -> dict[str, float]:
    """Run the report's rule and cohort on an extract and return the Table 3.1 figures.

    Parameters
    ----------
    extract : pandas.DataFrame
        A generated extract (default column names, with history: ``emit_history=True``
        or the ``wodc2022_cohort`` profile). Not modified.
    rules : str, default "wodc2022"
        Rule preset or file that identifies partner violence.
    exclude_persons : iterable, optional
        Person ids left out of the control group (e.g. a treated group).
    config : pv_identify.cohort.CohortConfig, optional
        Cohort definitions; the defaults reproduce the report.

    Returns
    -------
    dict
        Figure name (as in :data:`WODC2022_COHORT_TARGETS`) -> value, plus
        ``"index persons"`` (the control-group size).
    """
    import pv_identify
    from pv_identify import cohort

    config = config or cohort.CohortConfig()
    tagged = pv_identify.tag(extract, rules)
    offences = cohort.classify_offences(tagged, config=config)
    cases = cohort.case_table(offences, config)
    index = cohort.index_cases(offences, config, cases)
    sel = cohort.apply_exclusions(index, config, exclude_persons=exclude_persons)
    control = cohort.covariates(offences, sel.cohort, config, cases)
    out: dict[str, float] = {"index persons": float(len(control))}
    if len(control) == 0:
        return out
    table = cohort.covariate_table(control)["all"]
    for name, key in COVARIATE_OF.items():
        out[name] = float(table.get(key, 0.0))
    rec = cohort.recidivism(offences, control, config).table.set_index(["measure", "years"])
    for measure in ("domestic", "violence", "general"):
        out[f"recidivism 3y: {measure}"] = float(rec.loc[(measure, 3), "km_prevalence"])
    return out


def cohort_calibration_table(
    extract: pd.DataFrame,
    targets: tuple[Target, ...] = WODC2022_COHORT_TARGETS,
    figures: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Compare the rule-found control group's figures with the targets.

    Parameters
    ----------
    extract : pandas.DataFrame
        A generated extract with history.
    targets : tuple of Target
        The targets (default: Table 3.1 for the rule-found population).
    figures : dict, optional
        Figures already computed by :func:`cohort_figures` (skips the run).

    Returns
    -------
    pandas.DataFrame
        Columns ``figure, target, achieved, difference, tolerance, within, population,
        source``; ``attrs["index_persons"]`` holds the control-group size.
    """
    got = figures if figures is not None else cohort_figures(extract)
    rows = []
    for t in targets:
        value = got.get(t.name, float("nan"))
        rows.append({
            "figure": t.name, "target": t.value, "achieved": value,
            "difference": value - t.value, "tolerance": t.tolerance,
            "within": bool(abs(value - t.value) <= t.tolerance),
            "population": t.population, "source": t.source,
        })
    table = pd.DataFrame(rows)
    table.attrs["index_persons"] = int(got.get("index persons", 0))
    return table
