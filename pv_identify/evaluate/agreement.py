r"""Agreement between two annotators of the real-text corpus, with bootstrap intervals.

The corpus labels (``tests/data/real_texts``) were given by one annotator per item. An
*agreement file* records a second, **blind** labelling of a sample of items (the second
annotator saw only ``kwalificatie``, ``context`` and the labelling guide) and, where the
two disagreed, the decision of an adjudicator. It is JSON Lines, one object per item:

``id``
    The corpus item.
``first``
    The corpus label when the second labelling was done (so the study stays reproducible
    after the corpus is corrected).
``second``, ``second_family_relation``
    The second annotator's class and, for ``family``, the tie (else ``""``).
``sure``
    Whether the second annotator found the passage decisive.
``why``
    The second annotator's reason (the passage's words the label rests on).
``adjudicated``, ``adjudication``
    Where ``first`` and ``second`` differ: the adjudicator's class and reason; ``""``
    where they agree.

:func:`load_agreement` reads and validates the file against the corpus (every problem as
``file:line: ...``; record contents are never quoted). :func:`agreement` computes the
observed agreement and Cohen's kappa of the four classes and of the partner-violence
flag, the confusion table, the second annotator's precision and recall of the
partner-violence flag against the first (the ceiling a tagger measured against one
annotator's labels meets), per split and per ``sure``, and the tie agreement of items both
call ``family``, each with a 95 % bootstrap interval that resamples whole sources
(:func:`pv_identify.evaluate.bootstrap.cluster_bootstrap`, the library's one bootstrap).
:func:`adjudication_problems` lists the adjudicated items whose corpus label is not the
adjudicated one. Run it as::

    python -m pv_identify.evaluate.agreement tests/data/real_texts \\
        tests/data/real_texts_agreement.jsonl
    python -m pv_identify.evaluate.agreement --outside tests/data/natural_texts.jsonl \\
        tests/data/natural_texts_agreement.jsonl
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from pv_identify.evaluate.bootstrap import Estimate, cluster_bootstrap, percentile_interval
from pv_identify.evaluate.corpus import (
    CLASSES,
    FAMILY_RELATIONS,
    PV_CLASSES,
    CorpusError,
    _json_lines,
    field_problems,
    load_corpus,
    source_key,
)

#: Fields of a line of an agreement file, in file order.
AGREEMENT_FIELDS: Final[tuple[str, ...]] = (
    "id", "first", "second", "second_family_relation", "sure", "why", "adjudicated",
    "adjudication")


def _line_problems(item: Any) -> list[str]:
    """Problems of one agreement line (empty when valid); never quotes its values."""
    if not isinstance(item, dict):
        return ["not a JSON object"]
    problems = field_problems(item, AGREEMENT_FIELDS, AGREEMENT_FIELDS)
    for name in ("first", "second"):
        if name in item and item[name] not in CLASSES:
            problems.append(f"{name!r} must be one of {list(CLASSES)}")
    relation = item.get("second_family_relation", "")
    if item.get("second") == "family" and relation not in FAMILY_RELATIONS:
        problems.append(f"a second label 'family' needs second_family_relation in "
                        f"{list(FAMILY_RELATIONS)}")
    if item.get("second") != "family" and relation:
        problems.append("second_family_relation must be empty unless second is 'family'")
    if "sure" in item and not isinstance(item["sure"], bool):
        problems.append("'sure' must be true or false")
    for name in ("id", "why"):
        if name in item and (not isinstance(item[name], str) or not item[name].strip()):
            problems.append(f"{name!r} must be a non-empty string")
    disagree = item.get("first") != item.get("second")
    decided, reason = item.get("adjudicated", ""), item.get("adjudication", "")
    if disagree and decided not in CLASSES:
        problems.append(f"first and second differ: 'adjudicated' must be one of "
                        f"{list(CLASSES)}")
    if disagree and (not isinstance(reason, str) or not reason.strip()):
        problems.append("first and second differ: 'adjudication' must give the reason")
    if not disagree and (decided != "" or reason != ""):
        problems.append("first and second agree: 'adjudicated' and 'adjudication' must be "
                        "empty")
    return problems


def load_agreement(path: str | Path, corpus: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Read and validate an agreement file against the corpus.

    Parameters
    ----------
    path : str or pathlib.Path
        The agreement file (JSON Lines, fields :data:`AGREEMENT_FIELDS`).
    corpus : sequence of dict
        The corpus items (:func:`pv_identify.evaluate.corpus.load_corpus`).

    Returns
    -------
    pandas.DataFrame
        One row per line, in file order: the fields plus the corpus item's ``source``
        (normalised, the bootstrap cluster), ``split``, ``hard``, current
        ``relationship`` and ``family_relation``.

    Raises
    ------
    CorpusError
        Listing every problem as ``file:line: ...``: a line that is not valid JSON or
        lacks a field, a label outside the four classes, an id not in the corpus or
        used twice, a disagreement without an adjudication.
    """
    file = Path(path)
    by_id = {str(item["id"]): item for item in corpus}
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, item in _json_lines(file, "the agreement file", problems):
        where = f"{file}:{number}"
        line_problems = _line_problems(item)
        problems += [f"{where}: {p}" for p in line_problems]
        if line_problems:
            continue
        key = item["id"]
        if key in seen:
            problems.append(f"{where}: id already used at line {seen[key]}")
            continue
        seen[key] = number
        found = by_id.get(key)
        if found is None:
            problems.append(f"{where}: id is not in the corpus")
            continue
        rows.append({**item, "source": source_key(str(found["source"])),
                     "split": found.get("split", ""), "hard": bool(found.get("hard")),
                     "relationship": found["relationship"],
                     "family_relation": found.get("family_relation", "")})
    if problems:
        raise CorpusError(f"{len(problems)} problem(s) in the agreement file:\n"
                          + "\n".join(problems))
    if not rows:
        raise CorpusError(f"{file}: the agreement file holds no items")
    return pd.DataFrame(rows)


def _kappa(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Observed agreement and Cohen's kappa of square count tables (..., k, k)."""
    tables = np.asarray(tables, dtype=float)
    n = tables.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(tables, axis1=-2, axis2=-1) / n
        expected = (tables.sum(axis=-1) * tables.sum(axis=-2)).sum(axis=-1) / n ** 2
        kappa = np.where(expected < 1, (observed - expected) / (1 - expected), np.nan)
    return observed, kappa


@dataclass(frozen=True)
class AgreementPart:
    """Agreement of one set of items.

    Attributes
    ----------
    n : int
        Items.
    observed, kappa : Estimate
        Share of items with the same class, and Cohen's kappa, of the four classes.
    pv_observed, pv_kappa : Estimate
        The same for the partner-violence flag (partner or ex_partner).
    pv_precision, pv_recall : Estimate
        The second annotator's partner-violence flag against the first's.
    confusion : pandas.DataFrame
        Rows: the first class; columns: the second.
    """

    n: int
    observed: Estimate
    kappa: Estimate
    pv_observed: Estimate
    pv_kappa: Estimate
    pv_precision: Estimate
    pv_recall: Estimate
    confusion: pd.DataFrame


def agreement_part(first: Sequence[str], second: Sequence[str], clusters: Sequence[str],
                   *, n_boot: int = 1000, seed: int = 0) -> AgreementPart:
    """Agreement of two labellings of the same items, with cluster-bootstrap intervals.

    Parameters
    ----------
    first, second : sequence of str
        The two annotators' classes (each in :data:`CLASSES`), item by item.
    clusters : sequence of str
        Bootstrap cluster per item (its source).
    n_boot : int, default 1000
        Bootstrap replicates (0: no intervals).
    seed : int, default 0
        Random seed.

    Returns
    -------
    AgreementPart
        The figures.

    Examples
    --------
    >>> part = agreement_part(["partner", "other", "family", "other"],
    ...                       ["partner", "other", "family", "family"], list("abcd"), n_boot=0)
    >>> round(part.observed.value, 2), round(part.kappa.value, 3)
    (0.75, 0.636)
    """
    index = {c: i for i, c in enumerate(CLASSES)}
    k = len(CLASSES)
    cells = np.asarray([index[a] * k + index[b] for a, b in zip(first, second, strict=True)],
                       dtype=np.int64)
    observed, reps = cluster_bootstrap(cells, n_cols=k * k, cluster=list(clusters),
                                       n_boot=n_boot, seed=seed)
    tables = np.concatenate([observed[None], reps]).reshape(-1, k, k)
    agree, kappa = _kappa(tables)
    pv = np.asarray([c in PV_CLASSES for c in CLASSES])
    both = tables[:, pv][:, :, pv].sum(axis=(1, 2))
    only_first = tables[:, pv][:, :, ~pv].sum(axis=(1, 2))
    only_second = tables[:, ~pv][:, :, pv].sum(axis=(1, 2))
    neither = tables[:, ~pv][:, :, ~pv].sum(axis=(1, 2))
    flag = np.stack([np.stack([both, only_first], -1), np.stack([only_second, neither], -1)],
                    axis=-2)
    pv_agree, pv_kappa = _kappa(flag)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(both + only_second > 0, both / (both + only_second), np.nan)
        recall = np.where(both + only_first > 0, both / (both + only_first), np.nan)

    def est(values: np.ndarray) -> Estimate:
        return percentile_interval(float(values[0]), values[1:])

    confusion = pd.DataFrame(observed.reshape(k, k), index=pd.Index(CLASSES, name="first"),
                             columns=pd.Index(CLASSES, name="second"))
    return AgreementPart(int(observed.sum()), est(agree), est(kappa), est(pv_agree),
                         est(pv_kappa), est(precision), est(recall), confusion)


@dataclass(frozen=True)
class AgreementReport:
    """What :func:`agreement` finds.

    Attributes
    ----------
    all : AgreementPart
        First (the corpus label at the time of the study) against second.
    parts : dict of str to AgreementPart
        The same per split (``split=train`` ...), per ``sure`` and for the hard items.
    family_relation : tuple of int
        Items both annotators call ``family``, and of them those with the same tie.
    adjudicated : pandas.DataFrame
        First, second and adjudicated class of every disagreement.
    final : AgreementPart
        First against the labels after adjudication (how many first labels were wrong).
    """

    all: AgreementPart
    parts: dict[str, AgreementPart] = field(default_factory=dict)
    family_relation: tuple[int, int] = (0, 0)
    adjudicated: pd.DataFrame = field(default_factory=pd.DataFrame)
    final: AgreementPart | None = None


def agreement(rows: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0) -> AgreementReport:
    """Agreement figures of an agreement file read by :func:`load_agreement`.

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`load_agreement`.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    AgreementReport
        The figures.
    """
    def part(frame: pd.DataFrame, second: str = "second") -> AgreementPart:
        return agreement_part(frame["first"].tolist(), frame[second].tolist(),
                              frame["source"].tolist(), n_boot=n_boot, seed=seed)

    parts: dict[str, AgreementPart] = {}
    for split in ("train", "dev", "test"):
        chosen = rows[rows["split"] == split]
        if len(chosen):
            parts[f"split={split}"] = part(chosen)
    for name, chosen in (("hard", rows[rows["hard"]]), ("sure", rows[rows["sure"]]),
                         ("not sure", rows[~rows["sure"]])):
        if len(chosen):
            parts[name] = part(chosen)
    family = rows[(rows["first"] == "family") & (rows["second"] == "family")
                  & (rows["relationship"] == "family")]
    same_tie = int((family["family_relation"] == family["second_family_relation"]).sum())
    differ = rows[rows["first"] != rows["second"]]
    final = rows.assign(final=rows["adjudicated"].where(rows["first"] != rows["second"],
                                                          rows["first"]))
    return AgreementReport(part(rows), parts, (len(family), same_tie),
                           differ[["id", "split", "first", "second", "adjudicated"]]
                           .reset_index(drop=True), part(final, "final"))


def adjudication_problems(rows: pd.DataFrame) -> list[str]:
    """Adjudicated items whose corpus label is not the adjudicated class.

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`load_agreement`.

    Returns
    -------
    list of str
        One line per such item (``id: corpus label X, adjudicated Y``); empty when the
        corpus carries every adjudication.
    """
    differ = rows[(rows["first"] != rows["second"])
                  & (rows["relationship"] != rows["adjudicated"])]
    return [f"{r.id}: corpus label {r.relationship}, adjudicated {r.adjudicated}"
            for r in differ.itertuples()]


def _part_line(name: str, part: AgreementPart) -> str:
    return (f"| {name} | {part.n} | {part.observed.format()} | {part.kappa.format()} | "
            f"{part.pv_kappa.format()} | {part.pv_precision.format()} | "
            f"{part.pv_recall.format()} |")


def report_markdown(report: AgreementReport) -> str:
    """Return the figures of :func:`agreement` as markdown (tables, no record contents)."""
    head = ("| items | n | agreement | Cohen's kappa | kappa of the PV flag | "
            "PV precision of the second | PV recall of the second |\n"
            "|---|---:|---|---|---|---|---|")
    lines = [head, _part_line("all", report.all)]
    lines += [_part_line(name, part) for name, part in report.parts.items()]
    confusion = report.all.confusion
    table = ["| first \\ second | " + " | ".join(confusion.columns) + " |",
             "|---|" + "---:|" * len(confusion.columns)]
    table += [f"| {name} | " + " | ".join(str(int(v)) for v in row) + " |"
              for name, row in confusion.iterrows()]
    n_family, same = report.family_relation
    out = [*lines, "", *table, "",
           f"Family ties: {same} of {n_family} items both annotators call family have the "
           "same family_relation."]
    if report.final is not None:
        changed = int((report.adjudicated["adjudicated"] != report.adjudicated["first"]).sum())
        out += ["", f"Disagreements: {len(report.adjudicated)}; the adjudicated label is the "
                f"first in {len(report.adjudicated) - changed} and another in {changed}. "
                "First against the adjudicated labels: agreement "
                f"{report.final.observed.format()}, kappa {report.final.kappa.format()}, "
                f"PV-flag kappa {report.final.pv_kappa.format()}."]
    if report.final is not None and (report.adjudicated["split"] != "").any():
        by_split = report.adjudicated.assign(
            changed=report.adjudicated["adjudicated"] != report.adjudicated["first"])
        counts = by_split.groupby("split")["changed"].agg(["size", "sum"])
        out += ["", "| split | disagreements | first label changed |", "|---|---:|---:|"]
        out += [f"| {split} | {int(r['size'])} | {int(r['sum'])} |"
                for split, r in counts.iterrows()]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement figures of an agreement file as markdown."""
    parser = argparse.ArgumentParser(prog="python -m pv_identify.evaluate.agreement",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", help="corpus folder of shards or JSON Lines file "
                        "(e.g. tests/data/real_texts)")
    parser.add_argument("agreement", help="agreement file (e.g. "
                        "tests/data/real_texts_agreement.jsonl)")
    parser.add_argument("--outside", action="store_true",
                        help="the corpus is an outside set (only id, context and "
                             "relationship required, as for evaluate-text --outside)")
    parser.add_argument("--n-boot", type=int, default=2000, metavar="N",
                        help="bootstrap replicates over sources (default: 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    rows = load_agreement(args.agreement, load_corpus(args.corpus, minimal=args.outside))
    print(report_markdown(agreement(rows, n_boot=args.n_boot, seed=args.seed)), end="")
    problems = adjudication_problems(rows)
    if problems:
        print(f"\n{len(problems)} adjudicated item(s) whose corpus label differs:")
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
