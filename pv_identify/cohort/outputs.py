"""Study outputs: balance and test tables, survival-curve figure, one-file HTML summary.

:func:`write_study_outputs` writes, into one folder:

``balance.csv``
    per covariate (level): means, t-test, standardised difference and variance ratio
    before and after matching (Table 3.1 layout; header only without a treated group);
``tests.csv``
    per recidivism measure and horizon: KM prevalences with 95% bands, Breslow,
    Tarone-Ware and log-rank statistics and p-values, Cohen's h (Figure 3.1; header
    only without a treated group);
``curves.png``
    the Kaplan-Meier recidivism curves (prevalence 1 - S(t)) with 95% bands;
``summary.html``
    a self-contained page (inline CSS, the figure embedded as a data URI, no
    scripts, no external files) with the attrition, covariates, recidivism, matching,
    balance and tests tables.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .config import CohortConfig
from .recidivism import MEASURES, Recidivism
from .statistics import tests_table
from .survival import fit_kaplan_meier

BALANCE_COLUMNS: tuple[str, ...] = tuple(
    f"{stat}_{when}"
    for when in ("before", "after")
    for stat in ("mean_treated", "mean_control", "t", "p", "std_diff", "var_ratio")
)
TESTS_COLUMNS: tuple[str, ...] = (
    "measure", "years", "n_treated", "n_control", "prevalence_treated", "ci_lower_treated",
    "ci_upper_treated", "prevalence_control", "ci_lower_control", "ci_upper_control",
    "breslow_chi2", "breslow_p", "tarone_ware_chi2", "tarone_ware_p", "logrank_chi2",
    "logrank_p", "cohens_h", "effect_size",
)
_TITLES = {"domestic": "Huiselijk geweldsrecidive", "violence": "Geweldsrecidive",
           "general": "Algemene recidive"}


def plot_curves(
    groups: Mapping[str, Recidivism],
    path: str | Path,
    config: CohortConfig | None = None,
    measures: Sequence[str] = MEASURES,
) -> Path:
    """Draw the KM recidivism curves of one or more groups with 95% bands.

    Parameters
    ----------
    groups : mapping
        Label -> recidivism result (weights in ``persons["weight"]`` are used).
    path : str or Path
        PNG file to write.
    config : CohortConfig, optional
        Study definitions (horizons, year length).
    measures : sequence of str
        One panel per measure.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    config = config or CohortConfig()
    horizon = max(config.horizons_years)
    fig, axes = plt.subplots(1, len(measures), figsize=(4.2 * len(measures), 3.6), squeeze=False)
    for ax, m in zip(axes[0], measures, strict=True):
        for label, rec in groups.items():
            p = rec.persons
            if not len(p):
                continue
            w = p["weight"].to_numpy(float) if "weight" in p else None
            kmf = fit_kaplan_meier(p[f"{m}_days"], p[f"{m}_event"], w, label=label)
            sf = kmf.survival_function_.iloc[:, 0]  # type: ignore[attr-defined]
            ci = kmf.confidence_interval_  # type: ignore[attr-defined]
            years = sf.index.to_numpy(float) / config.year_days
            keep = years <= horizon
            line = ax.step(years[keep], 100 * (1 - sf.to_numpy()[keep]), where="post",
                           label=label)[0]
            ax.fill_between(years[keep], 100 * (1 - ci.iloc[:, 1].to_numpy()[keep]),
                            100 * (1 - ci.iloc[:, 0].to_numpy()[keep]), step="post",
                            alpha=0.2, color=line.get_color())
        ax.set_title(_TITLES.get(m, m))
        ax.set_xlabel("jaren at risk")
        ax.set_xlim(0, horizon)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("recidiveprevalentie (%)")
    if axes[0][0].get_legend_handles_labels()[0]:
        axes[0][0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _table(frame: pd.DataFrame, index: bool = False) -> str:
    shown = frame.copy()
    num = shown.select_dtypes(include=[np.number]).columns
    shown[num] = shown[num].round(3)
    return shown.to_html(index=index, na_rep="", border=0, classes="t", escape=True)


_CSS = """
body{font-family:sans-serif;margin:1.5em;max-width:80em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table.t{border-collapse:collapse;font-size:.85em}
table.t td,table.t th{padding:.2em .6em;border-bottom:1px solid #eee;text-align:right}
table.t th{background:#f4f4f4}img{max-width:100%}p.note{color:#555;font-size:.9em}
"""


def summary_html(
    sections: Sequence[tuple[str, pd.DataFrame | str]],
    figure: Path | None,
    title: str = "pv_identify cohort study",
    notes: Sequence[str] = (),
) -> str:
    """Build the self-contained HTML summary.

    Parameters
    ----------
    sections : sequence of (heading, table or text)
        Tables are rendered with ``DataFrame.to_html`` (escaped); text is escaped.
    figure : Path, optional
        A PNG embedded as a data URI.
    title : str
        Page title.
    notes : sequence of str
        Definitions used (shown under the title).

    Returns
    -------
    str
        The HTML document.
    """
    parts = [f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    parts += [f"<p class='note'>{html.escape(n)}</p>" for n in notes]
    if figure is not None and figure.is_file():
        data = base64.b64encode(figure.read_bytes()).decode("ascii")
        parts.append("<h2>Recidivism curves (Kaplan-Meier, 95% bands)</h2>"
                     f"<img alt='recidivism curves' src='data:image/png;base64,{data}'>")
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(body, pd.DataFrame):
            parts.append(_table(body, index=not isinstance(body.index, pd.RangeIndex)))
        else:
            parts.append(f"<p>{html.escape(body)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_study_outputs(
    out_dir: str | Path,
    attrition: pd.DataFrame,
    covariates_table: pd.DataFrame,
    control: Recidivism,
    study: object | None = None,
    config: CohortConfig | None = None,
    notes: Sequence[str] = (),
) -> dict[str, Path]:
    """Write balance.csv, tests.csv, curves.png and summary.html.

    Parameters
    ----------
    out_dir : str or Path
        Folder (created if needed).
    attrition : pandas.DataFrame
        Attrition table of the control group.
    covariates_table : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.covariate_table`.
    control : Recidivism
        Recidivism of the (unmatched) control group.
    study : MatchedStudy, optional
        Result of :func:`~pv_identify.cohort.match_treated`; without it the balance
        and tests files hold only their header.
    config : CohortConfig, optional
        Study definitions.
    notes : sequence of str
        Lines describing the definitions used (shown in the HTML).

    Returns
    -------
    dict
        File kind -> path.
    """
    config = config or CohortConfig()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if study is not None:
        balance = study.matching.balance  # type: ignore[attr-defined]
        tests = tests_table(study.recidivism_treated, study.recidivism_control,  # type: ignore[attr-defined]
                            config)
        curves = {"onderzoeksgroep (gematcht)": study.recidivism_treated,  # type: ignore[attr-defined]
                  "controlegroep (gematcht, gewogen)": study.recidivism_control}  # type: ignore[attr-defined]
    else:
        balance = pd.DataFrame(columns=["covariate", "level", *BALANCE_COLUMNS])
        tests = pd.DataFrame(columns=list(TESTS_COLUMNS))
        curves = {"controlegroep": control}
    paths = {"balance": out / "balance.csv", "tests": out / "tests.csv",
             "curves": out / "curves.png", "summary": out / "summary.html"}
    balance.to_csv(paths["balance"], index=False)
    tests.to_csv(paths["tests"], index=False)
    plot_curves(curves, paths["curves"], config)
    sections: list[tuple[str, pd.DataFrame | str]] = [
        ("Attrition", attrition),
        ("Covariates (shares and means)", covariates_table.reset_index()),
        ("Recidivism, control group", control.table),
    ]
    if study is not None:
        sections += [
            ("Matching", study.matching.summary),  # type: ignore[attr-defined]
            ("Balance before and after matching", balance),
            ("Tests of the recidivism curves and Cohen's h", tests),
        ]
    else:
        sections.append(("Balance and tests", "No treated group given (--treated): "
                                              "balance.csv and tests.csv hold only headers."))
    paths["summary"].write_text(summary_html(sections, paths["curves"], notes=notes),
                                encoding="utf-8")
    return paths
