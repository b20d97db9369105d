"""Build the shipped default model reproducibly from the repository.

``python examples/train_default_model.py --force`` calls :func:`build_default_model` with the
defaults below; a smaller ``rows`` gives the same procedure at test size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pv_identify.model.card import model_card
from pv_identify.model.persist import DEFAULT_MODEL_FILE, save_model
from pv_identify.model.train import evaluate_rulings, tables_to_json, train_model
from pv_identify.rules.loader import load_rules
from pv_identify.schema import TRUTH_COLUMN

#: Rows of the synthetic reference extract used for the shipped model.
DEFAULT_ROWS = 300_000
#: Seed of the synthetic extract.
DATA_SEED = 2024
#: Seed of the person split and the calibration folds.
SPLIT_SEED = 0
#: Version of the shipped model.
MODEL_VERSION = "1.0.0"
#: The one documented command that reproduces the shipped model.
REPRODUCE = "python examples/train_default_model.py --force"


def corpus_register_check(corpus: str | Path, model: Any, n_boot: int = 1000
                          ) -> dict[str, Any]:
    """Measure what the model adds on real qualifications (corpus train+dev, rules vs +model).

    Parameters
    ----------
    corpus : str or pathlib.Path
        The corpus file.
    model : RelationshipClassifier
        The fitted model.
    n_boot : int, default 1000
        Bootstrap replicates (clusters = sources).

    Returns
    -------
    dict
        Items, sources, labels changed, and headline figures of both systems.
    """
    from pv_identify.evaluate.corpus import (
        load_corpus,
        load_qualification_labels,
        qualification_file,
    )
    from pv_identify.evaluate.textcorpus import evaluate_corpus

    items = [i for i in load_corpus(corpus, splits=("train", "dev")) if i["kwalificatie"]]
    named = qualification_file(corpus)
    labels = load_qualification_labels(named) if named.is_file() else None
    rules = evaluate_corpus(items, mode="register", n_boot=n_boot, qualifications=labels)
    both = evaluate_corpus(items, mode="register", model=model, n_boot=n_boot,
                           qualifications=labels)
    changed = int((rules.predictions["label"].to_numpy()
                   != both.predictions["label"].to_numpy()).sum())
    return {"items": len(items),
            "sources": int(rules.all.n_clusters),
            **({"items_naming_the_relationship": rules.named.n}
               if rules.named is not None else {}),
            "labels_changed": changed,
            "rules default": rules.headline(), "rules default + model": both.headline()}


def build_default_model(
    out_dir: str | Path,
    *,
    rows: int = DEFAULT_ROWS,
    data_seed: int = DATA_SEED,
    seed: int = SPLIT_SEED,
    n_boot: int = 1000,
    rulings: str | Path | None = None,
    corpus: str | Path | None = None,
    file_name: str = DEFAULT_MODEL_FILE,
) -> dict[str, Any]:
    """Generate the synthetic extract, train, evaluate, save model + manifest + card.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder for ``pv_default.pvmodel``, its ``.manifest.json`` and ``.card.md``.
    rows : int, default 300000
        Rows of the synthetic extract (``pv_identify.synth.generate``).
    data_seed : int, default 2024
        Seed of the synthetic extract.
    seed : int, default 0
        Seed of the grouped split and of the calibration folds.
    n_boot : int, default 1000
        Bootstrap replicates of the intervals.
    rulings : str or pathlib.Path, optional
        Dev rulings (``tests/data/rulings_dev.jsonl``) to measure on in register mode.
    file_name : str
        Model file name.
    corpus : str or pathlib.Path, optional
        The real-text corpus (``tests/data/real_texts``): its ``train`` and ``dev``
        items with a formal qualification are tagged with and without the model, for the
        card (never used for fitting; ``test`` is not read).

    Returns
    -------
    dict
        The manifest written.
    """
    from pv_identify.synth import generate

    out_dir = Path(out_dir)
    extract = generate(rows, seed=data_seed)
    labels = extract.pop(TRUTH_COLUMN).to_numpy()
    result = train_model(extract, labels, test_size=0.2, seed=seed, n_boot=n_boot)
    dev = evaluate_rulings(rulings, result.model, n_boot=n_boot) if rulings else None
    real = corpus_register_check(corpus, result.model, n_boot=n_boot) if corpus else None
    ruleset = load_rules("default")
    manifest = {
        "name": "pv_default",
        "version": MODEL_VERSION,
        "threshold": 0.5,
        "ruleset": {"name": ruleset.name, "version": ruleset.version, "hash": ruleset.hash},
        "training_data": {
            "description": (f"pv_identify.synth.generate({rows}, seed={data_seed}) with the "
                            "default SynthConfig (registration years 2008-2022); label = "
                            "the hidden true_relationship column, never a feature."),
            **result.info,
        },
        "metrics": {"synthetic_test": tables_to_json(result.tables),
                    "rulings_dev": tables_to_json(dev) if dev else None,
                    "corpus_register": real},
        "reproduce": REPRODUCE if rows == DEFAULT_ROWS else
        f"{REPRODUCE} --rows {rows} --out {out_dir}",
    }
    path = out_dir / file_name
    full = save_model(result.model, path, manifest)
    card = model_card(full, result.tables, dev, real)
    path.with_name(path.stem + ".card.md").write_text(card, encoding="utf-8")
    return full
