"""Step 4: the background characteristics of Table 2.1 (seed lines 3203-3330).

Offender: sex, age at the index case, country of birth (six categories). Index case:
type of partner violence, most severe disposal, whether one of its disposals is a
conditional sentence, conditional policy dismissal or penalty order. Criminal
history: age at the first case, numbers of prior cases, prior violence cases and
prior domestic-violence cases, three case densities and the number of prior
unconditional custodial sentences.

Definitions we had to choose (the report does not spell them out):

- *Case* ("strafzaak") in the history means a case that counts: it holds a
  conviction or is still pending (the recidivism definition, seed lines 3435-3441);
  acquittals and technical decisions are not cases.
- *Prior* means registered at the prosecutor strictly before the index case's
  registration date (same-day cases are not prior).
- A *violence* (domestic-violence) case holds a counting offence with a violence
  article (with the domestic-violence flag).
- *Case density* (footnote 31, seed lines 3385-3387: "het gemiddeld aantal strafzaken
  per jaar in de periode tussen de eerste en de huidige strafzaak"): defined in
  ``rules/cohort/density.yaml``. By default the prior cases (from the first case up
  to, not including, the index case) divided by the years between the first case's
  and the index case's registration dates, at least ``min_years`` (1); a person
  without prior cases has density ``first_offender`` (0). Violence and domestic
  densities count prior violence / domestic cases over the same period.
- *Prior unconditional custodial sentences*: prior cases with a conviction disposal
  marked ``custodial: true`` and more than 0 days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pv_identify.normalize.distinct import map_distinct

from .config import CohortConfig
from .convictions import case_table
from .index_cases import age_reference_date

#: Covariates of Table 2.1 in published order (the default matching set).
COVARIATES: tuple[str, ...] = (
    "sex",
    "age_at_index",
    "country_of_birth",
    "pv_type",
    "most_severe_disposal",
    "vv_vw_sb",
    "age_first_case",
    "n_prior_cases",
    "n_prior_violence_cases",
    "n_prior_dv_cases",
    "case_density",
    "case_density_violence",
    "case_density_dv",
    "n_prior_custodial",
)

#: Covariates that are categories (the others are numbers or 0/1).
CATEGORICAL: tuple[str, ...] = ("sex", "country_of_birth", "pv_type", "most_severe_disposal")


def country_category(values: pd.Series, config: CohortConfig | None = None) -> pd.Series:
    """Map country-of-birth names to the published categories.

    Parameters
    ----------
    values : pandas.Series
        Country names as in the extract.
    config : CohortConfig, optional
        Study definitions (``countries.yaml``).

    Returns
    -------
    pandas.Series
        Category per row (object dtype), same index.
    """
    rules = (config or CohortConfig()).rules

    def cat(text: str) -> str:
        key = " ".join(text.split()).casefold()
        if not key:
            return rules.country_missing
        return rules.countries.get(key, rules.country_other)

    return map_distinct(values, cat)


def covariates(
    offences: pd.DataFrame,
    index: pd.DataFrame,
    config: CohortConfig | None = None,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute the Table 2.1 covariates of each index case.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.classify_offences` (the whole extract:
        the history of each person comes from it).
    index : pandas.DataFrame
        Index cases (output of :func:`~pv_identify.cohort.index_cases`, possibly after
        :func:`~pv_identify.cohort.apply_exclusions`). Not modified.
    config : CohortConfig, optional
        Study definitions.
    cases : pandas.DataFrame, optional
        Output of :func:`~pv_identify.cohort.case_table` for ``offences``.

    Returns
    -------
    pandas.DataFrame
        ``index`` (same rows, same order) with the columns of :data:`COVARIATES`
        added, plus ``years_first_to_index``, ``n_cases_to_index``,
        ``n_violence_cases_to_index`` and ``n_dv_cases_to_index``.
    """
    config = config or CohortConfig()
    if cases is None:
        cases = case_table(offences, config)
    out = index.copy()
    out["country_of_birth"] = country_category(index["country_of_birth"], config)
    out["most_severe_disposal"] = index["severity"]
    out["vv_vw_sb"] = index["vv_vw_sb"].astype(bool)

    hist = cases.loc[
        cases["counts"] & cases["person_id"].isin(index["person_id"]),
        [
            "person_id",
            "case_id",
            "registration_date",
            "offence_date",
            "violence",
            "domestic",
            "custodial_days",
        ],
    ]
    ref = index[["person_id", "case_id", "registration_date"]].rename(
        columns={"case_id": "index_case_id", "registration_date": "index_reg"}
    )
    hist = hist.merge(ref, on="person_id", how="inner")
    is_index = hist["case_id"] == hist["index_case_id"]
    prior = (hist["registration_date"] < hist["index_reg"]) & ~is_index
    upto = prior | is_index
    h = pd.DataFrame(
        {
            "person_id": hist["person_id"],
            "prior": prior,
            "prior_violence": prior & hist["violence"],
            "prior_dv": prior & hist["domestic"],
            "prior_custodial": prior & (hist["custodial_days"] > 0),
            "upto_violence": upto & hist["violence"],
            "upto_dv": upto & hist["domestic"],
        }
    )
    counts = h.groupby("person_id", sort=False, observed=True).sum()
    first = (
        hist.loc[upto]
        .assign(age_ref=lambda d: age_reference_date(d, config))
        .sort_values(["person_id", "registration_date", "case_id"], kind="stable")
        .drop_duplicates("person_id")
        .set_index("person_id")
    )
    pid = out["person_id"]

    def get(series: pd.Series) -> pd.Series:
        return pid.map(series).fillna(0).astype(np.int64)

    out["n_prior_cases"] = get(counts["prior"])
    out["n_prior_violence_cases"] = get(counts["prior_violence"])
    out["n_prior_dv_cases"] = get(counts["prior_dv"])
    out["n_prior_custodial"] = get(counts["prior_custodial"])
    first_reg = pid.map(first["registration_date"]).fillna(out["registration_date"])
    first_age_ref = pid.map(first["age_ref"]).fillna(age_reference_date(out, config))
    out["age_first_case"] = (first_age_ref - out["birth_date"]).dt.days / config.year_days
    years = (out["registration_date"] - first_reg).dt.days / config.year_days
    out["years_first_to_index"] = years
    out["n_cases_to_index"] = out["n_prior_cases"] + 1
    # the index case always counts; it is a violence/dv case if flagged so
    out["n_violence_cases_to_index"] = get(counts["upto_violence"])
    out["n_dv_cases_to_index"] = get(counts["upto_dv"])
    dens = case_densities(
        out["n_prior_cases"], out["n_prior_violence_cases"], out["n_prior_dv_cases"],
        out["n_violence_cases_to_index"], out["n_dv_cases_to_index"], years, config,
    )
    for name, values in dens.items():
        out[name] = values
    return out


def case_densities(
    n_prior: pd.Series,
    n_prior_violence: pd.Series,
    n_prior_dv: pd.Series,
    n_violence_to_index: pd.Series,
    n_dv_to_index: pd.Series,
    years: pd.Series,
    config: CohortConfig | None = None,
) -> dict[str, pd.Series]:
    """Compute the three case densities by the definition of ``density.yaml`` (fn. 31).

    Parameters
    ----------
    n_prior, n_prior_violence, n_prior_dv : pandas.Series
        Prior (violence, domestic-violence) cases per person.
    n_violence_to_index, n_dv_to_index : pandas.Series
        The same with the index case counted when it is one (``prior_and_index``).
    years : pandas.Series
        Years between the first and the index case.
    config : CohortConfig, optional
        Study definitions (``density.yaml`` and, when given, ``min_density_years``).

    Returns
    -------
    dict
        ``case_density``, ``case_density_violence``, ``case_density_dv``.
    """
    config = config or CohortConfig()
    d = config.rules.density
    min_years = config.min_density_years if config.min_density_years is not None else (
        d["min_years"])
    denom = years.clip(lower=min_years)
    if d["numerator"] == "prior_and_index":
        nums = (n_prior + 1, n_violence_to_index, n_dv_to_index)
    else:
        nums = (n_prior, n_prior_violence, n_prior_dv)
    first = n_prior == 0
    out = {}
    for name, num in zip(("case_density", "case_density_violence", "case_density_dv"), nums,
                         strict=True):
        value = num.astype(float) / denom
        if d["first_offender"] != "formula":
            value = value.where(~first, float(d["first_offender"]))
        out[name] = value
    return out


def covariate_table(
    data: pd.DataFrame,
    covariates: tuple[str, ...] | list[str] = COVARIATES,
    by: str | None = None,
    weights: str | None = None,
) -> pd.DataFrame:
    """Describe covariates like Table 3.1: % per category level, mean for numbers.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`covariates` (one row per person).
    covariates : sequence of str
        Columns to describe.
    by : str, optional
        Column that splits the table into groups (e.g. ``"group"``).
    weights : str, optional
        Column of case weights (e.g. matching weights).

    Returns
    -------
    pandas.DataFrame
        Rows ``(covariate, level)``; one column per group (``"all"`` without ``by``)
        holding the share (0-1) of each level or the mean; a row ``("N", "")`` holds
        the (weighted) number of persons.
    """
    groups = [("all", data)] if by is None else list(data.groupby(by, sort=True))
    table: dict[str, pd.Series] = {}
    for name, part in groups:
        w = part[weights].astype(float) if weights else pd.Series(1.0, index=part.index)
        total = float(w.sum())
        vals: dict[tuple[str, str], float] = {("N", ""): total}
        for cov in covariates:
            col = part[cov]
            if cov in CATEGORICAL or col.dtype == object:
                shares = w.groupby(col.astype(object).fillna("(missing)")).sum() / total
                for level, share in shares.sort_index().items():
                    vals[(cov, str(level))] = float(share)
            else:
                num = col.astype(float)
                ok = num.notna()
                vals[(cov, "")] = (
                    float((num[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else np.nan
                )
        table[str(name)] = pd.Series(vals)
    res = pd.DataFrame(table)
    res.index = pd.MultiIndex.from_tuples(res.index, names=["covariate", "level"])
    is_level = res.index.get_level_values("level") != ""
    res.loc[is_level] = res.loc[is_level].fillna(0.0)  # a level absent from a group: 0%
    return res
