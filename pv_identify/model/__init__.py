"""The learned half of pv_identify: features, estimator, training, persistence, cards.

See ``docs/model.md``. Main entry points:

* :class:`RelationshipClassifier` -- scikit-learn estimator over an extract;
* :func:`train_model` -- grouped split by person, fit, evaluation;
* :func:`save_model` / :func:`load_model` -- safe skops files with a manifest;
* :func:`select_for_annotation` / :func:`write_sheet` -- the annotation loop.
"""

from pv_identify.model.estimator import Contribution, RelationshipClassifier, TrainingDataError
from pv_identify.model.features import FeatureSet, build_features
from pv_identify.model.persist import (
    ModelVersionWarning,
    default_model_path,
    load_model,
    read_manifest,
    resolve_model,
    save_model,
)
from pv_identify.model.sample import select_for_annotation, write_sheet
from pv_identify.model.train import TrainResult, labels_from_sheet, read_sheet, train_model

__all__ = [
    "Contribution",
    "FeatureSet",
    "ModelVersionWarning",
    "RelationshipClassifier",
    "TrainResult",
    "TrainingDataError",
    "build_features",
    "default_model_path",
    "labels_from_sheet",
    "load_model",
    "read_manifest",
    "read_sheet",
    "resolve_model",
    "save_model",
    "select_for_annotation",
    "train_model",
    "write_sheet",
]
