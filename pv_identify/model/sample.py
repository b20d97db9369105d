"""Pick offences for manual labelling and write an annotation sheet (CSV and Excel).

:func:`select_for_annotation` ranks the offences of a tagged extract (tagged *with* a
model, so that both the rules' and the model's view are known) by how much a label
would teach the model:

* ``disagree`` -- rules and model disagree on the partner-violence flag;
* ``uncertain`` -- the model's partner-violence score is close to the threshold;

and draws ``n`` of them stratified by registration year and source (court decision
with a qualification vs prosecutor disposal without one), proportionally to the
stratum's size with at least one per non-empty stratum, highest priority first,
ties broken with a fixed seed. :func:`write_sheet` writes the rows with the evidence
(original columns, ``pv_*`` columns, the model's own label, the reason) and an empty
``gold_label`` column to fill in; ``pv-identify train --sheet`` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.model.train import SHEET_LABEL_COLUMN, SHEET_ROW_COLUMN
from pv_identify.schema import LABELS, OUT_PARTNER, OUT_SCORE, OUT_SOURCE

#: Columns added to the sheet in front of the extract's columns.
SHEET_COLUMNS = (SHEET_ROW_COLUMN, "reason", "stratum", SHEET_LABEL_COLUMN, "annotator_note")


def select_for_annotation(
    tagged: pd.DataFrame,
    n: int,
    *,
    rule_partner: np.ndarray | pd.Series | None = None,
    threshold: float = 0.5,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Choose ``n`` offences for labelling.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of ``pv.tag(df, model=...)`` (needs ``pv_score``).
    n : int
        Offences to pick.
    rule_partner : array-like of bool, optional
        The rules-only partner-violence flag per row (default: ``pv_source == "rule"``
        and the flag).
    threshold : float, default 0.5
        The model threshold (uncertainty = closeness of the score to it).
    columns : mapping, optional
        Column mapping (for the registration date and the qualification).
    seed : int, default 0
        Seed for ties.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``tagged`` with the sheet columns in front.

    Raises
    ------
    PvIdentifyError
        If ``tagged`` has no model score or ``n`` < 1.
    """
    if n < 1:
        raise PvIdentifyError("the sample size must be at least 1")
    if OUT_SCORE not in tagged.columns or tagged[OUT_SCORE].isna().all():
        raise PvIdentifyError("the extract must be tagged with a model (pv_score is empty)")
    mapping = ColumnMapping.resolve(tagged.columns, columns)
    score = tagged[OUT_SCORE].fillna(0).to_numpy(dtype=float)
    model_pv = score >= threshold
    if rule_partner is None:
        rule_partner = (tagged[OUT_SOURCE].astype(str).to_numpy() == "rule") & tagged[
            OUT_PARTNER].to_numpy(dtype=bool)
    rule_partner = np.asarray(rule_partner, dtype=bool)
    disagree = rule_partner != model_pv
    closeness = 1.0 - np.abs(score - threshold) / max(threshold, 1 - threshold)
    priority = np.where(disagree, 1.0 + closeness, closeness)
    reason = np.where(disagree, "disagree", "uncertain")
    date_col = mapping.get("registration_date") or mapping.get("offence_date")
    year = (pd.to_datetime(tagged[date_col], errors="coerce").dt.year.astype("Int64")
            .astype(str).replace("<NA>", "unknown").to_numpy() if date_col
            else np.full(len(tagged), "unknown", dtype=object))
    qual_col = mapping.get("qualification")
    court = (tagged[qual_col].fillna("").astype(str).str.strip() != "").to_numpy() if qual_col \
        else np.zeros(len(tagged), dtype=bool)
    stratum = pd.Series(year, dtype=object) + np.where(court, "/court", "/prosecutor")
    rng = np.random.default_rng(seed)
    tie = rng.random(len(tagged))
    frame = pd.DataFrame({"pos": np.arange(len(tagged)), "priority": priority, "tie": tie,
                          "stratum": stratum.to_numpy()})
    frame = frame[priority > 0.5]  # near the threshold or disagreeing
    if frame.empty:
        frame = pd.DataFrame({"pos": np.arange(len(tagged)), "priority": priority,
                              "tie": tie, "stratum": stratum.to_numpy()})
    sizes = frame["stratum"].value_counts().sort_index()
    quota = np.maximum(1, np.floor(sizes / sizes.sum() * n)).astype(int)
    frame = frame.sort_values(["priority", "tie"], ascending=[False, True], kind="stable")
    frame["rank"] = frame.groupby("stratum", sort=False).cumcount()
    picked = frame[frame["rank"] < frame["stratum"].map(quota)]
    if len(picked) < n:  # fill up with the best remaining rows
        rest = frame.drop(picked.index)
        picked = pd.concat([picked, rest.head(n - len(picked))])
    picked = picked.sort_values(["priority", "tie"], ascending=[False, True]).head(n)
    pos = np.sort(picked["pos"].to_numpy())
    out = tagged.iloc[pos].copy()
    front = pd.DataFrame({
        SHEET_ROW_COLUMN: pos, "reason": reason[pos], "stratum": stratum.to_numpy()[pos],
        SHEET_LABEL_COLUMN: "", "annotator_note": ""}, index=out.index)
    return pd.concat([front, out], axis=1)


def write_sheet(sheet: pd.DataFrame, path: str | Path) -> list[Path]:
    """Write the annotation sheet as CSV and Excel (``path`` with both suffixes).

    The Excel file has a sheet ``annotate`` (the rows, with a drop-down list of the
    labels in ``gold_label``) and a sheet ``labels`` explaining the labels.

    Parameters
    ----------
    sheet : pandas.DataFrame
        Output of :func:`select_for_annotation`.
    path : str or pathlib.Path
        Target; ``.csv`` and ``.xlsx`` versions are written.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = path.with_suffix(".csv"), path.with_suffix(".xlsx")
    flat = sheet.copy()
    for col in flat.columns:
        if isinstance(flat[col].dtype, pd.CategoricalDtype):
            flat[col] = flat[col].astype(str)
        if pd.api.types.is_datetime64_any_dtype(flat[col]):
            flat[col] = flat[col].dt.strftime("%Y-%m-%d")
    flat.to_csv(csv_path, index=False)
    help_rows = pd.DataFrame({"label": list(LABELS), "meaning": [
        "current spouse, registered partner, life companion, relationship partner",
        "former partner", "child of the offender (incl. step/foster child in the family)",
        "parent of the offender", "other family member (sibling, grandparent, ...)",
        "domestic, relationship unknown", "not domestic"]})
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        flat.to_excel(writer, sheet_name="annotate", index=False)
        help_rows.to_excel(writer, sheet_name="labels", index=False)
        ws = writer.sheets["annotate"]
        col = list(flat.columns).index(SHEET_LABEL_COLUMN) + 1
        letter = ws.cell(row=1, column=col).column_letter
        check = DataValidation(type="list", formula1='"' + ",".join(LABELS) + '"',
                               allow_blank=True)
        ws.add_data_validation(check)
        check.add(f"{letter}2:{letter}{len(flat) + 1}")
        ws.freeze_panes = "B2"
    return [csv_path, xlsx_path]
