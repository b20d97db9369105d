"""Write the model card (markdown) that sits next to a model file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pv_identify.model.metrics import format_table

_SYN_TARGETS = ("label:partner", "label:ex_partner", "label:child", "label:parent",
                "label:other_family", "flag:partner_violence", "flag:domestic_violence",
                "flag:pv_among_ex_partner")
_DEV_TARGETS = ("label:partner", "label:ex_partner", "label:family", "flag:partner_violence",
                "flag:domestic_violence", "flag:pv_among_ex_partner")


def model_card(manifest: Mapping[str, Any], synthetic: Mapping[str, pd.DataFrame],
               rulings: Mapping[str, pd.DataFrame] | None = None,
               corpus: Mapping[str, Any] | None = None) -> str:
    """Render the model card.

    Parameters
    ----------
    manifest : mapping
        The model's manifest (name, version, environment, training data, ...).
    synthetic : mapping of str to pandas.DataFrame
        Held-out synthetic evaluation tables (system -> bootstrap table).
    rulings : mapping of str to pandas.DataFrame, optional
        Register-mode evaluation tables on the dev rulings.
    corpus : mapping, optional
        What the model adds on the real-text corpus's qualifications (see
        :func:`pv_identify.model.default.corpus_register_check`).

    Returns
    -------
    str
        Markdown.
    """
    env = manifest.get("environment", {})
    data = manifest.get("training_data", {})
    rs = manifest.get("ruleset", {})
    lines = [
        f"# Model card: {manifest.get('name')} {manifest.get('version')}",
        "",
        "## Intended use",
        "",
        "Scores every offence of a Dutch judicial-register extract (OBJD/JDS style: "
        "article, maatschappelijke classificatie, artikelkwalificatie, case and person "
        "ids, dates) for the victim-offender relationship, to find partner, ex-partner "
        "and other domestic violence that the keyword rules cannot see (prosecutor "
        "disposals without a qualification, generic or missing MCs, variant wording, "
        "ex-partners). It is meant to be combined with the rules "
        "(`pv.tag(df, model=\"default\")`): rule evidence decides where it exists, the "
        "model labels the rest above a threshold "
        f"(default {manifest.get('threshold', 0.5)}). It is a research instrument for "
        "counting and cohort building, **not** for decisions about individuals.",
        "",
        "## Training data",
        "",
        f"**Entirely synthetic.** {data.get('description', '')}",
        f"Rows: {data.get('rows')}; training rows {data.get('train_rows')} "
        f"({data.get('train_persons')} persons), held-out rows {data.get('test_rows')} "
        f"({data.get('test_persons')} persons), split by person with seed "
        f"{data.get('seed')}. Data hash (SHA-256): `{data.get('data_sha256')}`.",
        "No real register data and none of the dev rulings were used for fitting. The "
        "synthetic generator encodes assumptions (see docs/synth.md), so the held-out "
        "synthetic figures measure how well the model learns *the generator*; the dev "
        "rulings are the only real-text check, and they are small (70 rows).",
        "",
        "## Features",
        "",
        "Character n-grams of the normalised qualification; one-hot article and MC "
        "codes; signals of the other offences in the case and of the person's earlier "
        "cases (registration date strictly earlier); a few conjunctions (partner MC "
        "with a plain qualification, stalking/assault with an earlier partner-violence "
        "case, ...); registration year; disposal kind (court / prosecutor / pending). "
        "Sex, age and country of birth are not used. See docs/model.md.",
        "",
        "## Metrics on held-out synthetic persons",
        "",
        "Per label precision / recall / F1 with 95% cluster-bootstrap intervals "
        "(persons resampled, 1,000 replicates). `flag:pv_among_ex_partner` is the recall "
        "of the partner-violence flag on true ex-partner offences.",
        "",
        format_table(synthetic, _SYN_TARGETS),
        "",
    ]
    if rulings:
        lines += [
            "## Metrics on the dev rulings (register mode)",
            "",
            "70 offences from published rulings, only qualification + articles "
            "(no MC, no case or person context). Gold: partner / ex_partner / family / "
            "other; model labels child, parent, other_family count as family. "
            "Intervals: rows resampled.",
            "",
            format_table(rulings, _DEV_TARGETS),
            "",
        ]
    if corpus:
        keys: tuple[str, ...] = ("pv_precision", "pv_recall", "macro_f1",
                                 "ex_partner_precision", "ex_partner_recall", "hard_macro_f1")
        if "named_pv_recall" in corpus["rules default"]:
            keys += ("named_pv_recall",)
        rows = ["| system | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
        for system in ("rules default", "rules default + model"):
            rows.append(f"| {system} | " + " | ".join(corpus[system][k] for k in keys) + " |")
        lines += [
            "## What it adds on real qualifications (real-text corpus)",
            "",
            f"The {corpus['items']} items of the real-text corpus (`tests/data/real_texts`, "
            f"`train` and `dev` splits, {corpus['sources']} sources; `test` not read) that "
            "have a formal qualification, tagged from qualification + articles alone, with "
            "and without the model (`pv-identify evaluate-text ... --mode register`; 95 % "
            "cluster-bootstrap intervals over sources). The model changed "
            f"{corpus['labels_changed']} of {corpus['items']} labels. Real qualifications "
            "rarely name the relationship and never the ex; without an MC or case and "
            "person context the model has almost nothing to add there: its value lies in "
            "those signals, which the corpus lacks."
            + (f" `named_pv_recall`: the recall over the partner-violence items among the "
               f"{corpus['items_naming_the_relationship']} whose qualification itself names "
               "the relationship (`tests/data/real_texts_qualifications.jsonl`)."
               if "items_naming_the_relationship" in corpus else ""),
            "",
            *rows,
            "",
        ]
    lines += [
        "## Known limits",
        "",
        "- **Ex-partner vs partner**: registers never say \"ex\"; the model separates "
        "them only through structure (stalking, restraining orders, plain "
        "qualifications with a partner MC, earlier partner cases). The "
        "partner-violence flag finds clearly more ex-partner offences than the rules "
        "(`flag:pv_among_ex_partner`), but far from all, and the *label* `ex_partner` "
        "is practically never the most probable one (the partner MC covers both); "
        "count partner and ex-partner together. On the dev rulings, whose ex-partner "
        "rows have neither MC nor context, the model finds none of them.",
        "- Trained on synthetic data whose rates, wording and noise are assumptions; on "
        "a real extract, re-estimate with an annotation sample (`pv-identify sample`, "
        "then `pv-identify train --sheet`).",
        "- Context features need whole cases and persons in one frame; tagging a file "
        "in chunks that split a person's career loses history signals.",
        "- In register mode without MC and context (the dev rulings) the model has "
        "little to go on beyond the qualification; it can add false positives on bare "
        "`mishandeling`/`moord` qualifications.",
        "- Probabilities are calibrated on synthetic data (sigmoid, 3 folds); their "
        "calibration on real data is unknown.",
        "",
        "## Comparison with rules only",
        "",
        "The tables above list `rules wodc2022` and `rules default` (rules only) next to "
        "`rules default + model` on the same rows.",
        "",
        "## Provenance",
        "",
        f"- pv_identify {env.get('pv_identify')}, scikit-learn {env.get('scikit-learn')}, "
        f"skops {env.get('skops')}, spaCy {env.get('spacy')}, Python {env.get('python')}",
        f"- Rule set combined in evaluation: {rs.get('name')} {rs.get('version')} "
        f"(hash {rs.get('hash')})",
        f"- Model payload SHA-256: `{manifest.get('model_sha256')}`",
        f"- Reproduce: `{manifest.get('reproduce', '')}`",
        "",
    ]
    return "\n".join(lines)
