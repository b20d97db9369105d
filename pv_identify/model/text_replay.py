"""Choose the text model's threshold on unseen text: the corpus history replayed.

Cross-validation on ``train`` (:mod:`pv_identify.model.text_policy`) measures rules +
model on texts the *rules* were written from, so the rules look better there than on new
text, and the threshold it picks leaves too much to them. The replay file
(``models/pv_text_default.replay.json``, written by ``examples/replay_text_policy.py``)
holds, for every batch of real texts added to the corpus after the text model was first
shipped, what the package *of the commit before that batch* said about it: the rules
alone, and rules + model at each threshold of a grid. Every prediction there is on text
its rules and its model had not seen (forward chaining).

:func:`select_threshold` picks the threshold with the best pooled four-class macro-F1
over the replayed items, among thresholds whose partner-violence precision is not
lower than the rules' alone (issue 14: "precision not lower"); ties (to three decimals)
go to the hard items, then to the higher threshold (the rules keep more decisions). If
no threshold beats the rules, it returns ``1.0`` (the model decides nothing).
:func:`replay_report` prints the table and the paired bootstrap of the chosen threshold
against the rules alone (whole sources resampled).

The file is plain JSON and is only read (never executed); errors name the file, the
line and the column or the item that is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pandas as pd

from pv_identify.errors import ModelFileError
from pv_identify.model.text_card import CLASSES, class_metrics, paired_compare

#: Name of the rules-only column of a replay.
RULES: Final[str] = "rules"
#: Format version this module reads.
FORMAT: Final[int] = 1
_FIELDS: Final[tuple[str, ...]] = ("id", "commit", "gold", "hard", "source", "pred")


def read_replay(path: str | Path) -> pd.DataFrame:
    """Read and validate a replay file.

    Parameters
    ----------
    path : str or pathlib.Path
        A file written by ``examples/replay_text_policy.py``.

    Returns
    -------
    pandas.DataFrame
        One row per replayed item: ``id``, ``commit``, ``gold``, ``hard``, ``source``
        and one column per grid entry (``rules``, ``"0.6"``, ..., ``"1.0"``) with the
        class predicted. ``attrs["grid"]`` lists the grid entries in file order.

    Raises
    ------
    ModelFileError
        If the file is not valid JSON (with line and column), has another format, or
        an item lacks a field or holds a class outside partner / ex_partner / family /
        other (with the item's position and id; no text is printed).
    """
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON "
                             f"({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: cannot read the replay file ({exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileError(f"{path}: expected a replay file of format {FORMAT} "
                             "(an object with \"format\": 1)")
    grid = payload.get("grid")
    items = payload.get("items")
    if (not isinstance(grid, list) or RULES not in grid
            or not all(isinstance(g, str) for g in grid) or not isinstance(items, list)):
        raise ModelFileError(f"{path}: expected \"grid\" (a list of names with "
                             f"{RULES!r}) and \"items\" (a list)")
    rows = []
    for pos, item in enumerate(items):
        where = f"{path}: item {pos}"
        if not isinstance(item, dict) or any(k not in item for k in _FIELDS):
            raise ModelFileError(f"{where}: expected the fields {', '.join(_FIELDS)}")
        where += f" ({item['id']})"
        pred = item["pred"]
        if not isinstance(pred, Mapping) or any(g not in pred for g in grid):
            raise ModelFileError(f"{where}: \"pred\" needs a class for each of "
                                 f"{', '.join(grid)}")
        for name, value in (("gold", item["gold"]), *((g, pred[g]) for g in grid)):
            if value not in CLASSES:
                raise ModelFileError(f"{where}: {name} must be one of "
                                     f"{', '.join(CLASSES)}, got {value!r}")
        rows.append({"id": str(item["id"]), "commit": str(item["commit"]),
                     "gold": item["gold"], "hard": bool(item["hard"]),
                     "source": str(item["source"]), **{g: pred[g] for g in grid}})
    frame = pd.DataFrame(rows, columns=[*_FIELDS[:5], *grid])
    frame.attrs["grid"] = list(grid)
    return frame


def _thresholds(frame: pd.DataFrame) -> list[str]:
    return [g for g in frame.attrs.get("grid", []) if g != RULES]


def _column(frame: pd.DataFrame, threshold: float) -> str:
    """Return the replay column of ``threshold`` (the rules' when 1.0 is not in it)."""
    return next((t for t in _thresholds(frame) if float(t) == threshold), RULES)


def threshold_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Pooled metrics of the rules alone and of every replayed threshold.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`read_replay`.

    Returns
    -------
    pandas.DataFrame
        Index: ``rules`` then the thresholds; columns ``right``, ``macro_f1``,
        ``hard_macro_f1``, ``ex_partner_f1``, ``pv_precision``, ``pv_recall``.
    """
    gold = frame["gold"].to_numpy()
    hard = frame["hard"].to_numpy(dtype=bool)
    rows = {}
    for name in [RULES, *_thresholds(frame)]:
        pred = frame[name].to_numpy()
        m = class_metrics(gold, pred)
        rows[name] = {"right": int((gold == pred).sum()), "macro_f1": m["macro_f1"],
                      "hard_macro_f1": class_metrics(gold[hard], pred[hard])["macro_f1"],
                      "ex_partner_f1": m["ex_partner_f1"],
                      "pv_precision": m["pv_precision"], "pv_recall": m["pv_recall"]}
    return pd.DataFrame.from_dict(rows, orient="index").astype({"right": "int64"})


def select_threshold(frame: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Choose the model threshold on the replay (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        A replay read by :func:`read_replay`.

    Returns
    -------
    tuple of (float, pandas.DataFrame)
        The chosen threshold (``1.0`` when no threshold beats the rules alone) and the
        table of :func:`threshold_table` it was chosen from.
    """
    table = threshold_table(frame)
    base = table.loc[RULES]
    candidates = table.drop(index=RULES)
    # precision exactly not lower (rounded, 0.7098 would pass as 0.710 >= 0.710: one
    # more false flag among 650 texts is still lower)
    candidates = candidates[candidates["pv_precision"] >= float(base["pv_precision"])]
    candidates = candidates[candidates["macro_f1"].round(3) > round(float(base["macro_f1"]), 3)]
    if candidates.empty:
        return 1.0, table
    rank = candidates.assign(_m=candidates["macro_f1"].round(3),
                             _h=candidates["hard_macro_f1"].fillna(0).round(3),
                             _t=[float(t) for t in candidates.index])
    best = rank.sort_values(["_m", "_h", "_t"], ascending=False, kind="stable").index[0]
    return float(best), table


def replay_report(frame: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> str:
    """Markdown report: the threshold table, per batch and the paired bootstrap.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`read_replay`.
    n_boot, seed : int
        Bootstrap replicates (whole sources resampled) and seed.

    Returns
    -------
    str
        Markdown.
    """
    chosen, table = select_threshold(frame)
    key = _column(frame, chosen)
    lines = [f"Replay: {len(frame)} items in {frame['commit'].nunique()} batches, "
             f"{frame['source'].nunique()} sources; chosen threshold {chosen}.", "",
             "| predictor | right | macro-F1 | hard macro-F1 | ex_partner F1 "
             "| PV precision | PV recall |", "|---|---|---|---|---|---|---|"]
    for name, row in table.iterrows():
        label = "rules alone" if name == RULES else f"+ model, threshold {name}"
        lines.append(f"| {label} | {int(row['right'])} | {row['macro_f1']:.3f} | "
                     f"{row['hard_macro_f1']:.3f} | {row['ex_partner_f1']:.3f} | "
                     f"{row['pv_precision']:.3f} | {row['pv_recall']:.3f} |")
    lines += ["", f"Per batch (right of n; rules alone / threshold {chosen}):", "",
              "| batch (commit) | n | rules | + model |", "|---|---|---|---|"]
    for commit, part in frame.groupby("commit", sort=False):
        lines.append(f"| {str(commit)[:8]} | {len(part)} | "
                     f"{int((part['gold'] == part[RULES]).sum())} | "
                     f"{int((part['gold'] == part[key]).sum())} |")
    cmp = paired_compare(frame["gold"].to_numpy(), frame[RULES].to_numpy(),
                         frame[key].to_numpy(), cluster=frame["source"].to_numpy(),
                         n_boot=n_boot, seed=seed)
    lines += ["", f"Paired bootstrap by source ({n_boot:,} replicates), threshold {chosen} "
              "against the rules alone:", "",
              "| metric | rules alone | + model | difference [95% CI] | p |",
              "|---|---|---|---|---|"]
    for metric, row in cmp.iterrows():
        lines.append(f"| {metric} | {row['a']:.3f} | {row['b']:.3f} | "
                     f"{row['diff']:+.3f} [{row['diff_low']:+.3f}, {row['diff_high']:+.3f}] "
                     f"| {row['p_value']:.2f} |")
    return "\n".join(lines)


def replay_summary(frame: pd.DataFrame) -> dict[str, Any]:
    """Plain-data summary for a model manifest (threshold, items, macro-F1s)."""
    chosen, table = select_threshold(frame)
    best = _column(frame, chosen)
    return {"threshold": chosen, "items": len(frame),
            "batches": int(frame["commit"].nunique()),
            "macro_f1_rules_only": round(float(table.loc[RULES, "macro_f1"]), 4),
            "macro_f1_chosen": round(float(table.loc[best, "macro_f1"]), 4),
            "pv_precision_rules_only": round(float(table.loc[RULES, "pv_precision"]), 4),
            "pv_precision_chosen": round(float(table.loc[best, "pv_precision"]), 4)}


__all__ = ["FORMAT", "RULES", "read_replay", "replay_report", "replay_summary",
           "select_threshold", "threshold_table"]
