"""Save and load text models safely (the ``.pvmodel`` format of :mod:`pv_identify.model.persist`).

A text model file is the same zip archive as a register model file -- ``model.skops``
(skops: objects as data, no code runs on load) and ``manifest.json`` -- with the same
size caps, content hash and version checks (the helpers of
:mod:`pv_identify.model.persist` are reused). The manifest says ``"kind": "text"`` and
records the library, scikit-learn, skops, spaCy and Python versions, the register and
text rule-set hashes, the cue-file hash, the training data (file hash and split) and
the metrics. Types beyond skops' defaults are accepted only from
:data:`TEXT_TRUSTED_TYPES`; anything else is refused before loading.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Final

import numpy as np

from pv_identify.combine_score import ScoreCalibration
from pv_identify.combine_stack import Stacker
from pv_identify.errors import ModelFileError
from pv_identify.lru import LRUCache
from pv_identify.model.persist import (
    FORMAT,
    _jsonable,
    dump_checked,
    environment,
    load_checked,
    sha256_bytes,
    write_archive,
)
from pv_identify.model.text_estimator import TextRelationshipClassifier

#: File name of the shipped default text model inside ``models/``.
DEFAULT_TEXT_MODEL_FILE: Final[str] = "pv_text_default.pvmodel"
#: Manifest ``kind`` of a text model.
KIND: Final[str] = "text"
#: Types a text model file may hold beyond those skops trusts by default.
TEXT_TRUSTED_TYPES: Final[frozenset[str]] = frozenset({
    "pv_identify.model.text_estimator.TextRelationshipClassifier",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.model_selection._split.StratifiedGroupKFold",
})


def text_weights_fingerprint(model: TextRelationshipClassifier) -> str:
    """SHA-256 of what a text model computes (vocabularies, coefficients, calibration).

    The skops payload is not byte-identical between two saves, so reproducibility is
    checked with this fingerprint.
    """
    digest = hashlib.sha256()
    digest.update(repr([str(c) for c in model.classes_]).encode())
    for vec in (model.char_vectorizer_, model.word_vectorizer_, model.feature_vectorizer_):
        if vec is None:
            continue
        digest.update(repr(sorted(vec.vocabulary_.items())).encode())
        digest.update(np.round(vec.idf_, 10).tobytes())
    digest.update(np.round(model.linear_.coef_, 8).tobytes())
    digest.update(np.round(model.linear_.intercept_, 8).tobytes())
    if model.calibrated_ is not None:
        for cal in model.calibrated_.calibrated_classifiers_[0].calibrators:
            for attr in ("a_", "b_", "X_thresholds_", "y_thresholds_"):
                if hasattr(cal, attr):
                    digest.update(np.round(np.asarray(getattr(cal, attr)), 8).tobytes())
    policy = getattr(model, "policy_", None)
    if policy:
        digest.update(repr(sorted(policy.items())).encode())
    stacker = getattr(model, "stacker_", None)
    if stacker:
        digest.update(json.dumps(stacker, sort_keys=True).encode())
    score_map = getattr(model, "score_calibration_", None)
    if score_map:
        digest.update(json.dumps(score_map, sort_keys=True).encode())
    return digest.hexdigest()


def save_text_model(model: TextRelationshipClassifier, path: str | Path,
                    manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write a fitted text model and its manifest (also as ``<stem>.manifest.json``).

    Parameters
    ----------
    model : TextRelationshipClassifier
        A fitted model.
    path : str or pathlib.Path
        Target file (conventionally ``*.pvmodel``).
    manifest : dict, optional
        Fields to record (name, version, training_data, metrics, ...); format, kind,
        versions, hashes and sizes are added.

    Returns
    -------
    dict
        The manifest as written.

    Raises
    ------
    ModelFileError
        If ``model`` is not a fitted text model or holds untrusted types.
    """
    if not isinstance(model, TextRelationshipClassifier) or not hasattr(model, "classes_"):
        raise ModelFileError("save_text_model() expects a fitted TextRelationshipClassifier")
    extra = dict(manifest or {})
    payload = dump_checked(model, TEXT_TRUSTED_TYPES, extra.get("version"))
    full = {
        "format": FORMAT,
        "kind": KIND,
        **extra,
        "environment": environment(),
        "classes": [str(c) for c in model.classes_],
        "params": _jsonable(model.get_params()),
        "ruleset_hash": model.ruleset_hash_,
        "text_rules_hash": model.text_rules_hash_,
        "cues": {"name": model.cues_["name"], "version": model.cues_["version"]},
        "model_sha256": sha256_bytes(payload),
        "weights_sha256": text_weights_fingerprint(model),
        "model_bytes": len(payload),
    }
    write_archive(Path(path), full, payload)
    model.manifest_ = full
    return full


def load_text_model(path: str | Path, *, check_versions: bool = True
                    ) -> TextRelationshipClassifier:
    """Load a text model file safely.

    Parameters
    ----------
    path : str or pathlib.Path
        A file written by :func:`save_text_model`.
    check_versions : bool, default True
        Warn (``ModelVersionWarning``) when the recorded scikit-learn or pv_identify
        version differs from the installed one.

    Returns
    -------
    TextRelationshipClassifier
        The model with ``manifest_`` and ``version_`` set.

    Raises
    ------
    ModelFileError
        If the file is missing, corrupt, tampered with (hash mismatch), too large,
        holds untrusted types, is not a text model, or its combiner or score
        calibration is not valid.
    """
    model = load_checked(Path(path), TEXT_TRUSTED_TYPES, TextRelationshipClassifier,
                         check_versions=check_versions, check_manifest=_check_kind)
    _check_plain_parts(Path(path), model)
    return model


def _check_plain_parts(path: Path, model: TextRelationshipClassifier) -> None:
    """Rebuild the plain-data parts once, so a broken one fails at loading, not tagging."""
    for attr, build in (("stacker_", Stacker.from_dict),
                        ("score_calibration_", ScoreCalibration.from_dict)):
        data = getattr(model, attr, None)
        if not data:
            continue
        try:
            build(data)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ModelFileError(f"{path}: the model's {attr} is not valid ({exc})") from None


def _check_kind(path: Path, manifest: dict[str, Any]) -> None:
    if manifest.get("kind") != KIND:
        raise ModelFileError(f"{path}: not a text model (manifest kind "
                             f"{manifest.get('kind')!r}; register models are loaded with "
                             "pv_identify.model.load_model)")


def default_text_model_path() -> Path:
    """Return the path of the shipped default text model."""
    from pv_identify.rules.presets import data_root

    return data_root("models") / DEFAULT_TEXT_MODEL_FILE


_CACHE = LRUCache(4)


def resolve_text_model(spec: Any) -> TextRelationshipClassifier:
    """Turn a ``text_model`` argument into a fitted text model.

    Parameters
    ----------
    spec : TextRelationshipClassifier, str or pathlib.Path
        A fitted model, ``"default"`` (the shipped model) or a model file.

    Returns
    -------
    TextRelationshipClassifier
        The model (files cached by path, size and modification time).

    Raises
    ------
    ModelFileError
        If the file cannot be loaded safely, or ``spec`` is an unfitted model.
    """
    if isinstance(spec, TextRelationshipClassifier):
        if not hasattr(spec, "classes_"):
            raise ModelFileError("the text model is not fitted; call fit() or load a file")
        return spec
    path = default_text_model_path() if str(spec) == "default" else Path(spec)
    if not path.is_file():
        raise ModelFileError(f"{path}: text model file not found"
                             + (" (the default text model is not shipped in this "
                                "installation)" if str(spec) == "default" else ""))
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    return _CACHE.get_or_create(key, lambda: load_text_model(path))
