"""One line per research choice in force, for logs and the HTML summary."""

from __future__ import annotations

from .config import CohortConfig


def describe_definitions(config: CohortConfig | None = None) -> list[str]:
    """Describe the definitions a cohort run uses (config and ``rules/cohort`` files).

    Parameters
    ----------
    config : CohortConfig, optional
        Study definitions.

    Returns
    -------
    list of str
        Human-readable lines (no record contents).
    """
    config = config or CohortConfig()
    r = config.rules
    d, m = r.density, r.matching
    min_years = config.min_density_years or d["min_years"]
    return [
        f"Rules folder: {r.source}",
        f"Index window {config.window_start.date()} to {config.window_end.date()} on "
        f"{config.window_date}; cut-off {config.cutoff_ts.date()}; horizons "
        f"{', '.join(map(str, config.horizons_years))} years of {config.year_days} days.",
        f"Case density: {'prior cases' if d['numerator'] == 'prior' else 'prior cases + index'}"
        f" / max(years first -> index case, {min_years:g}); first offenders: "
        f"{d['first_offender']}.",
        "General recidivism: offences whose article makes them a misdrijf (crimes.yaml); "
        f"unreadable articles count as {r.crimes['unparsed']}.",
        f"Exclusion 3 looks at {'the partner-violence offences' if r.exclusion_scope == 'pv_offences' else 'all proven offences'}"  # noqa: E501
        " of the index case.",
        f"Incapacitation: {'on' if config.incapacitation else 'off'}; detention "
        f"{'periods from the extract when present, else ' if config.detention_periods else ''}"
        f"imposed days from the {config.detention_start.replace('_', ' ')}.",
        f"Matching: caliper {m['caliper_sd']:g} SD of the {m['caliper_scale']} of the "
        f"propensity score; ties = identical scores (rounded to {m['tie_decimals']} "
        f"decimals); treated with missing covariates: {m['missing']}.",
    ]
