"""Matplotlib figures for the report, returned as PNG bytes (no files, no display).

matplotlib is an optional dependency (extra ``report``); it is imported on first use
with the non-interactive Agg backend.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError

#: Colours per source (colour-blind safe, Okabe-Ito).
COLOURS = {"mc": "#0072B2", "article": "#E69F00", "qualification": "#009E73",
           "model": "#CC79A7", "any": "#000000"}
_LABELS = {"mc": "MC", "article": "article (304 sub 1)", "qualification": "qualification term",
           "model": "model", "any": "flagged (any source)"}


def _plt() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise PvIdentifyError("the report needs matplotlib: pip install 'pv_identify[report]'"
                              ) from None
    return plt


def _png(fig: Any) -> bytes:
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def year_sources_figure(shares: dict[str, pd.DataFrame]) -> bytes:
    """Plot the flagged share per registration year by source, one panel per flag.

    Parameters
    ----------
    shares : dict of str to pandas.DataFrame
        Flag name (``partner``, ``domestic``) -> output of
        :func:`pv_identify.evaluate.sources.share_by_year`.

    Returns
    -------
    bytes
        PNG image.
    """
    plt = _plt()
    fig, axes = plt.subplots(1, len(shares), figsize=(5.2 * len(shares), 3.6), sharey=False,
                             squeeze=False)
    for ax, (flag, table) in zip(axes[0], shares.items(), strict=True):
        for source in ("any", "mc", "article", "qualification", "model"):
            if source not in table or not (table[source] > 0).any():
                continue
            ax.plot(table.index, table[source] * 100, marker="o", ms=3,
                    lw=2.2 if source == "any" else 1.4, color=COLOURS[source],
                    label=_LABELS[source])
        ax.set_title(f"{flag} violence")
        ax.set_xlabel("registration year")
        ax.set_ylabel("% of offences flagged")
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8, frameon=False)
    fig.suptitle("Flagged share per registration year, by source", fontsize=11)
    fig.tight_layout()
    return _png(fig)


def rule_coverage_figure(summary: pd.DataFrame, top: int = 25) -> bytes:
    """Horizontal bars: offences per rule (rules that fired), precision annotated."""
    plt = _plt()
    fired = summary[summary["rows"] > 0].sort_values("rows").tail(top)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * max(len(fired), 3) + 1.2))
    colours = [COLOURS.get(f, "#777777") for f in fired["field"]]
    ax.barh(fired.index, fired["rows"], color=colours)
    for y, (rows, prec) in enumerate(zip(fired["rows"], fired["precision"], strict=True)):
        if pd.notna(prec):
            ax.text(rows, y, f"  precision {prec:.2f}", va="center", fontsize=7)
    ax.set_xlabel("offences the rule fired on")
    ax.set_title("Rule coverage (colour: field)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return _png(fig)


def confusion_figure(confusion: pd.DataFrame) -> bytes:
    """Confusion matrix heat map (colour: share of the gold row; text: counts)."""
    plt = _plt()
    counts = confusion.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / counts.sum(axis=1, keepdims=True)
    fig, ax = plt.subplots(figsize=(1.0 * len(confusion.columns) + 2.2,
                                    0.7 * len(confusion.index) + 1.6))
    ax.imshow(np.nan_to_num(share), cmap="Blues", vmin=0, vmax=1)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, f"{counts[i, j]:,}", ha="center", va="center", fontsize=8,
                    color="white" if np.nan_to_num(share[i, j]) > 0.6 else "black")
    ax.set_xticks(range(len(confusion.columns)), confusion.columns, rotation=35, ha="right")
    ax.set_yticks(range(len(confusion.index)), confusion.index)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title("Confusion matrix (colour: share of gold row)")
    fig.tight_layout()
    return _png(fig)


def pr_figure(curve: pd.DataFrame) -> bytes:
    """Precision-recall curve of the model score."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    ax.plot(curve["recall"], curve["precision"], color=COLOURS["model"])
    ap = curve.attrs.get("average_precision")
    ax.set_title("Precision-recall, partner violence" + (f" (AP {ap:.3f})" if ap else ""))
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return _png(fig)


def calibration_figure(table: pd.DataFrame) -> bytes:
    """Calibration curve: observed share against mean score per bin, with intervals."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    ax.plot([0, 1], [0, 1], ls="--", color="#999999", lw=1)
    err = np.vstack([table["observed"] - table["low"], table["high"] - table["observed"]])
    ax.errorbar(table["mean_score"], table["observed"], yerr=err, marker="o",
                color=COLOURS["model"], capsize=2)
    brier = table.attrs.get("brier")
    ax.set_title("Calibration" + (f" (Brier {brier:.4f})" if brier is not None else ""))
    ax.set_xlabel("mean model score")
    ax.set_ylabel("observed share partner violence")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return _png(fig)


def changes_figure(by_year: pd.DataFrame) -> bytes:
    """Offences gained and lost per registration year (rule set B against A)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    x = np.arange(len(by_year))
    ax.bar(x, by_year["gained"], color="#009E73", label="gained (B only)")
    ax.bar(x, -by_year["lost"], color="#D55E00", label="lost (A only)")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [str(i) for i in by_year.index], rotation=45)
    ax.set_ylabel("offences")
    ax.set_title("Offences gained and lost per registration year")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return _png(fig)
