"""Appendix figure: estimated versus counted partner violence per registration year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from pv_identify.estimate.errors import EstimateError


def _series(result: dict[str, Any], years: list[str], *keys: str) -> np.ndarray:
    out = []
    for year in years:
        value: Any = result["by_year"][year]
        for key in keys:
            value = None if value is None else value.get(key)
        out.append(np.nan if value is None else float(value))
    return np.asarray(out, dtype=float)


def plot_by_year(result: dict[str, Any], path: str | Path, *, title: str | None = None
                 ) -> Path:
    """Draw the per-year figure: totals (estimated vs counted) and the rules' recall.

    Left panel: the estimated number of partner-violence offences per registration
    year with its interval, next to what the rules alone and rules + model count.
    Right panel: recall of the rules and of rules + model per year, with intervals.

    Parameters
    ----------
    result : dict
        Output of :func:`pv_identify.estimate.estimate_extract` (with ``by_year``).
    path : str or pathlib.Path
        PNG (or any format matplotlib knows from the suffix).
    title : str, optional
        Figure title.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    EstimateError
        If the result has no per-year breakdown.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if "by_year" not in result or not result["by_year"]:
        raise EstimateError("the result has no per-year estimates to plot")
    years = [y for y in sorted(result["by_year"]) if y != "unknown"]
    x = np.array([int(y) for y in years])
    level = round(100 * result["method"]["level"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    est = _series(result, years, "partner_violence", "total", "estimate")
    low = _series(result, years, "partner_violence", "total", "low")
    high = _series(result, years, "partner_violence", "total", "high")
    left.errorbar(x, est, yerr=[est - low, high - est], fmt="o", color="black", capsize=3,
                  label=f"estimated (annotation sample, {level}% interval)")
    left.plot(x, _series(result, years, "partner_violence", "counted", "combined"), "s--",
              color="tab:blue", label="counted: rules + model")
    left.plot(x, _series(result, years, "partner_violence", "counted", "rules"), "^:",
              color="tab:orange", label="counted: rules")
    left.set_xlabel("registration year")
    left.set_ylabel("partner-violence offences")
    left.set_ylim(bottom=0)
    left.legend(fontsize=8, loc="upper right")
    left.set_title("Partner violence: estimated vs counted", fontsize=10)
    for system, colour, marker, dx in (("rules", "tab:orange", "^", -0.15),
                                       ("combined", "tab:blue", "s", 0.15)):
        rec = _series(result, years, system, "recall", "estimate")
        lo = _series(result, years, system, "recall", "low")
        hi = _series(result, years, system, "recall", "high")
        name = "rules + model" if system == "combined" else system
        right.errorbar(x + dx, rec, yerr=[rec - lo, hi - rec], fmt=marker, color=colour,
                       capsize=3, label=name)
    right.set_ylim(0, 1.05)
    right.set_xlabel("registration year")
    right.set_ylabel("recall of the partner-violence flag")
    right.legend(fontsize=8, loc="lower right")
    right.set_title(f"Recall per year ({level}% intervals)", fontsize=10)
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.set_xticks(x)
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    if title:
        fig.suptitle(title, fontsize=11)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
