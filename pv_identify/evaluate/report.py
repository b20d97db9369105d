"""One self-contained HTML report of a tagging run: figures first, tables after.

The file needs no network access: CSS is inline and figures are PNG images embedded
as ``data:`` URIs. Sections:

1. flagged share per registration year split by source (MC, article, qualification
   term, model), for partner and for domestic violence;
2. the per-rule table (coverage, overlaps, conflicts, empirical precision);
3. with gold labels: confusion matrix, per-label metrics, and for a model score the
   precision-recall and calibration curves (or a note that there is no score);
4. optionally a comparison with a second rule set (gained/lost offences);
5. provenance: library version, rule-set name/version/hash, model version, input file
   name and SHA-256, row counts, column mapping.

No record contents appear unless ``show_texts`` is set (then only the comparison's
changed qualification texts).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify._version import __version__
from pv_identify.evaluate import figures
from pv_identify.evaluate.common import (
    RulesSpec,
    ensure_tagged,
    file_sha256,
    load_ruleset,
    resolve_gold,
    year_series,
)
from pv_identify.evaluate.compare import Comparison, compare
from pv_identify.evaluate.evaluation import Evaluation, evaluate
from pv_identify.evaluate.metrics import N_BOOT
from pv_identify.evaluate.rule_summary import rule_summary
from pv_identify.evaluate.sources import share_by_year
from pv_identify.io.mapping import ColumnMapping
from pv_identify.schema import ATTRS_KEY, OUT_DOMESTIC, OUT_PARTNER

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;
margin-top:2.4rem}
.sub{color:#666;margin-top:0}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#f0f5fa;border-radius:8px;padding:.7rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.82rem;margin:.6rem 0}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .55rem;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.note{background:#fff8e5;border-left:4px solid #E69F00;padding:.4rem .8rem;margin:.6rem 0}
.scroll{overflow-x:auto}code{background:#f3f3f3;padding:0 .2rem}
"""

# Counts the figures that decoded, for automated checks (headless browser tests).
_SCRIPT = """
window.addEventListener("load", function () {
  var imgs = document.querySelectorAll("figure img");
  var ok = 0;
  imgs.forEach(function (img) { if (img.complete && img.naturalWidth > 0) { ok++; } });
  document.body.setAttribute("data-figures-loaded", String(ok));
  document.body.setAttribute("data-figures-total", String(imgs.length));
});
"""


def _fig(png: bytes, fig_id: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="{fig_id}"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}</figcaption>'
            "</figure>")


def _table(frame: pd.DataFrame, float_format: str = "{:.3f}") -> str:
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else float_format.format(v))
    return '<div class="scroll">' + shown.to_html(escape=True, border=0) + "</div>"


def _note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def _pct(frame: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v * 100:.2f}%")
    return out


def provenance(
    tagged: pd.DataFrame,
    *,
    input_path: str | Path | None = None,
    gold_column: str | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Provenance of a report: versions, hashes, file, counts (no record contents).

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged frame (its ``attrs`` hold the rule set and model metadata).
    input_path : str or pathlib.Path, optional
        The input file (name, size and SHA-256 are recorded).
    gold_column : str, optional
        Name of the gold-label column used.
    columns : mapping, optional
        Column mapping.

    Returns
    -------
    dict
        Flat, JSON-serialisable provenance.
    """
    meta = tagged.attrs.get(ATTRS_KEY, {})
    rs = meta.get("ruleset", {})
    mapping = ColumnMapping.resolve(tagged.columns, columns, require_text=False)
    out: dict[str, Any] = {
        "library": f"pv_identify {meta.get('version', __version__)}",
        "rule set": f"{rs.get('name')} {rs.get('version')}",
        "rule-set hash": rs.get("hash"),
        "rule files": ", ".join(rs.get("files", [])),
        "model version": meta.get("model") or "none (rules only)",
        "rows": f"{len(tagged):,}",
        "partner-violence offences": f"{int(tagged[OUT_PARTNER].sum()):,}",
        "domestic-violence offences": f"{int(tagged[OUT_DOMESTIC].sum()):,}",
    }
    for name, unit in (("case_id", "cases"), ("person_id", "persons")):
        col = mapping.get(name)
        if col:
            out[unit] = f"{tagged[col].nunique():,}"
    if input_path is not None:
        path = Path(input_path)
        out["input file"] = path.name
        out["input size"] = f"{path.stat().st_size:,} bytes"
        out["input SHA-256"] = file_sha256(path)
    out["gold labels"] = gold_column or "none"
    out["columns"] = ", ".join(f"{k}={v}" for k, v in mapping.as_dict().items())
    out["tagged at"] = meta.get("created", "")
    out["report created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return out


def build_report(
    df: pd.DataFrame,
    rules: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    gold: str | pd.Series | bool | None = None,
    score: str | None = "pv_score",
    compare_with: RulesSpec | None = None,
    input_path: str | Path | None = None,
    title: str | None = None,
    show_texts: bool = False,
    retag: bool = False,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> str:
    """Build the HTML report of an extract tagged with ``rules``.

    Parameters
    ----------
    df : pandas.DataFrame
        Extract (tagged or not). Not modified.
    rules : str, pathlib.Path or RuleSet, default "default"
        Rule set (also used to attribute a tagged frame's rule ids to fields).
    columns : mapping, optional
        Column mapping.
    gold : str, pandas.Series, bool or None
        Gold-label column; None uses ``true_relationship`` when present, False none.
    score : str or None, default "pv_score"
        Model score column.
    compare_with : str, pathlib.Path or RuleSet, optional
        A second rule set (B) to compare with ``rules`` (A).
    input_path : str or pathlib.Path, optional
        The input file, for provenance.
    title : str, optional
        Report title.
    show_texts : bool, default False
        Include changed qualification texts in the comparison section.
    retag : bool, default False
        Tag again even if ``df`` already has ``pv_*`` columns.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    str
        The HTML document.
    """
    ruleset = load_ruleset(rules)
    tagged = ensure_tagged(df, ruleset, columns=columns, retag=retag)
    gold_labels = resolve_gold(tagged, None if gold is True else gold)
    gold_name = (gold if isinstance(gold, str) else
                 ("true_relationship" if gold_labels is not None else None))
    years = year_series(tagged, columns)
    parts: list[str] = []
    prov = provenance(tagged, input_path=input_path, gold_column=gold_name, columns=columns)
    title = title or f"pv_identify report: {prov['rule set']}"
    parts.append(f"<h1>{html.escape(title)}</h1>")
    parts.append(f'<p class="sub">rule-set hash <code>{html.escape(str(prov["rule-set hash"]))}'
                 f'</code> · {html.escape(prov["rows"])} offences</p>')
    cards = [("offences", prov["rows"]),
             ("partner violence", prov["partner-violence offences"]),
             ("domestic violence", prov["domestic-violence offences"])]
    cards += [(k, prov[k]) for k in ("cases", "persons") if k in prov]
    parts.append('<div class="cards">' + "".join(
        f'<div class="card"><b>{html.escape(v)}</b>{html.escape(k)}</div>' for k, v in cards)
        + "</div>")

    # 1. per-year shares by source
    parts.append('<h2 id="years">Flagged share per registration year, by source</h2>')
    if years is None:
        parts.append(_note("The data have no registration or offence date: no per-year view."))
    else:
        shares = {t: share_by_year(tagged, ruleset, t, years=years)
                  for t in ("partner", "domestic")}
        parts.append(_fig(figures.year_sources_figure(shares), "fig-years",
                          "Share of offences flagged per registration year. An offence counts "
                          "for every source that flagged it. The partner MC exists since 2015 "
                          "and is used well from 2017, so its line starts late."))
        table = shares["partner"].add_suffix(" (partner)").join(
            shares["domestic"].drop(columns="offences").add_suffix(" (domestic)"))
        table = table.rename(columns={"offences (partner)": "offences"})
        parts.append("<details><summary>table</summary>"
                     + _table(_pct(table, [c for c in table.columns if c != "offences"]))
                     + "</details>")

    # 2. rules
    summary = rule_summary(tagged, ruleset, gold_labels)
    parts.append('<h2 id="rules">Rules</h2>')
    parts.append(_fig(figures.rule_coverage_figure(summary), "fig-rules",
                      "Offences per rule (rules that fired), coloured by field."))
    shown = _pct(summary, ["coverage", "overlaps", "conflicts", "decides"])
    if gold_labels is None:
        shown = shown.drop(columns=[c for c in shown.columns if "precision" in c or
                                    c == "correct"])
    parts.append(_table(shown, "{:.3f}"))
    parts.append(_note("coverage: share of offences the rule fired on; overlaps: fired "
                       "together with another rule; conflicts: another rule with a different "
                       "label fired too; decides: the final label equals the rule's label. "
                       "precision: gold label equals the rule's label; flag precision: the "
                       "gold label sets the same flag (the partner MC covers ex-partners)."))

    # 3. gold labels
    parts.append('<h2 id="gold">Against gold labels</h2>')
    evaluation: Evaluation | None = None
    if gold_labels is None:
        parts.append(_note("No gold-label column: no confusion matrix or curves."))
    else:
        evaluation = evaluate(tagged, ruleset, gold=gold_labels, score=score, columns=columns,
                              n_boot=n_boot, seed=seed)
        parts.append(_fig(figures.confusion_figure(evaluation.confusion), "fig-confusion",
                          "Confusion matrix over the relationship labels."))
        parts.append("<h3>Per label</h3>" + _table(evaluation.per_label))
        parts.append("<h3>Flags</h3>" + _table(evaluation.flags))
        if evaluation.pr_curve is not None and len(evaluation.pr_curve):
            parts.append(_fig(figures.pr_figure(evaluation.pr_curve), "fig-pr",
                              "Precision-recall curve of the model score."))
        if evaluation.calibration is not None and len(evaluation.calibration):
            parts.append(_fig(figures.calibration_figure(evaluation.calibration),
                              "fig-calibration", "Calibration of the model score."))
        for note in evaluation.notes:
            parts.append(_note(note))

    # 4. comparison
    if compare_with is not None:
        comparison: Comparison = compare(df, ruleset, compare_with, columns=columns,
                                         gold=gold_labels if gold_labels is not None else False,
                                         show_texts=show_texts, n_boot=n_boot, seed=seed)
        b = comparison.rulesets["b"]
        parts.append(f'<h2 id="compare">Compared with {html.escape(b["name"])} '
                     f'{html.escape(b["version"])} (hash {html.escape(b["hash"])})</h2>')
        parts.append(_table(comparison.counts))
        by_year = comparison.breakdowns.get("year")
        if by_year is not None and not by_year.empty:
            parts.append(_fig(figures.changes_figure(by_year), "fig-changes",
                              "Offences gained and lost by moving from A to B."))
        for name in ("rule", "article", "mc"):
            table = comparison.breakdowns.get(name)
            if table is not None and not table.empty:
                parts.append(f"<h3>Changes by {name}</h3>" + _table(table.head(15)))
        if comparison.metrics is not None:
            parts.append("<h3>Against gold labels</h3>" + _table(comparison.metrics))
        if comparison.paired is not None:
            parts.append("<h3>Paired test (B - A)</h3>" + _table(comparison.paired.metrics))
        if comparison.changed_texts is not None:
            parts.append("<h3>Changed qualification texts</h3>"
                         + _table(comparison.changed_texts))
        for note in comparison.notes:
            parts.append(_note(note))

    # 5. provenance
    parts.append('<h2 id="provenance">Provenance</h2>')
    parts.append('<table id="provenance-table">' + "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in prov.items()) + "</table>")
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f"<body><main>{body}</main><script>{_SCRIPT}</script></body></html>\n")


def write_report(path: str | Path, df: pd.DataFrame, rules: RulesSpec = "default",
                 **kwargs: Any) -> Path:
    """Build the report (see :func:`build_report`) and write it atomically.

    Parameters
    ----------
    path : str or pathlib.Path
        Output HTML file.
    df : pandas.DataFrame
        The extract.
    rules : str, pathlib.Path or RuleSet, default "default"
        Rule set.
    **kwargs
        Passed to :func:`build_report`.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    text = build_report(df, rules, **kwargs)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
