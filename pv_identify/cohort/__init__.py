"""Cohort builder: index cases, exclusions, covariates, recidivism and matching.

Implements the control-group method of the WODC BORG evaluation (seed 001, §2.2.2,
§2.4 and §2.5.2) on a tagged extract, as a short, reviewable study script::

    from pv_identify import cohort

    config = cohort.CohortConfig(window=("2014-01-01", "2017-12-31"), cutoff="2020-06-30")
    offences = cohort.classify_offences(tagged, columns=None, config=config)   # 1 convictions
    cases = cohort.case_table(offences, config)
    index = cohort.index_cases(offences, config, cases)                        # 2 index cases
    sel = cohort.apply_exclusions(index, config, exclude_persons=participants) # 3 attrition
    cov = cohort.covariates(offences, sel.cohort, config, cases)               # 4 Table 2.1
    rec = cohort.recidivism(offences, cov, config)                             # 5 KM prevalence
    m = cohort.match(treated_cov, cov, cohort.COVARIATES)                      # 6 PSM + balance
    tests = cohort.tests_table(treated_rec, control_rec, config)               # 7 statistics

Definitions are data in ``rules/cohort/`` (disposal classes, severity order,
article -> type of partner violence, violence articles, country categories); see
``docs/cohort.md``.
"""

from __future__ import annotations

from .config import CohortConfig, CohortConfigError, resolve_columns
from .convictions import case_table, classify_offences
from .covariates import (
    CATEGORICAL,
    COVARIATES,
    case_densities,
    country_category,
    covariate_table,
    covariates,
)
from .crimes import crime_class
from .describe import describe_definitions
from .exclusions import Selection, apply_exclusions
from .index_cases import index_cases, person_table
from .matching import Matching, MatchingError, balance_table, match, propensity_scores
from .outputs import plot_curves, write_study_outputs
from .pipeline import ControlGroup, MatchedStudy, build_control_group, match_treated
from .recidivism import MEASURES, Recidivism, recidivism
from .regression import CoxResult, cox_regression, lasso_cox
from .rulefiles import CohortRules, default_rules_dir, load_cohort_rules
from .scan import read_cohort_offences
from .statistics import chi_square_by, cohens_h, compare_curves, tests_table
from .survival import fit_kaplan_meier, kaplan_meier, km_prevalence, km_prevalence_ci

__all__ = [
    "CATEGORICAL",
    "COVARIATES",
    "MEASURES",
    "CohortConfig",
    "CohortConfigError",
    "CohortRules",
    "ControlGroup",
    "CoxResult",
    "MatchedStudy",
    "Matching",
    "MatchingError",
    "Recidivism",
    "Selection",
    "apply_exclusions",
    "balance_table",
    "build_control_group",
    "case_densities",
    "case_table",
    "chi_square_by",
    "classify_offences",
    "cohens_h",
    "compare_curves",
    "country_category",
    "covariate_table",
    "covariates",
    "cox_regression",
    "crime_class",
    "default_rules_dir",
    "describe_definitions",
    "fit_kaplan_meier",
    "index_cases",
    "kaplan_meier",
    "km_prevalence",
    "km_prevalence_ci",
    "lasso_cox",
    "load_cohort_rules",
    "match",
    "match_treated",
    "person_table",
    "plot_curves",
    "propensity_scores",
    "read_cohort_offences",
    "recidivism",
    "resolve_columns",
    "tests_table",
    "write_study_outputs",
]
