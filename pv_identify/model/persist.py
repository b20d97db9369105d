"""Save and load models safely: skops with trusted types, a manifest, a content hash.

A model file (``.pvmodel``) is a zip archive with two members:

* ``model.skops`` -- the fitted :class:`RelationshipClassifier` in the skops format,
  which stores objects as data and cannot execute code on load;
* ``manifest.json`` -- library, scikit-learn, skops, spaCy and Python versions, the
  rule set (name, version, hash) the model was evaluated with, a description and
  hash of the training data, the metrics, the default threshold and the SHA-256 of
  ``model.skops``.

:func:`load_model` refuses (with :class:`pv_identify.errors.ModelFileError`) a file
that is not such an archive, whose ``model.skops`` does not match the recorded hash
(tampered or corrupt), or that contains any type outside :data:`TRUSTED_TYPES`; it
warns (:class:`ModelVersionWarning`) when the model was saved with another
scikit-learn or pv_identify version. Plain pickle is never used. The manifest is also
written as JSON next to the model (``<name>.manifest.json``) for people and tools.

Sizes are capped *before* anything is decompressed: the declared sizes of the two
members (:data:`MAX_MANIFEST_BYTES`, :data:`MAX_PAYLOAD_BYTES`) and of the members of
the skops archive inside the payload (:data:`MAX_INFLATED_BYTES` in total,
:data:`MAX_PAYLOAD_MEMBERS` members) are checked from the zip directories, and reads
never return more than the declared size, so a small file that would inflate to
gigabytes is refused without using that memory. Files are written atomically
through a temporary file and ``os.replace``.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import sklearn

from pv_identify._version import __version__
from pv_identify.errors import ModelFileError
from pv_identify.io.atomic import atomic_write_bytes, atomic_write_text
from pv_identify.lru import LRUCache
from pv_identify.model.estimator import RelationshipClassifier

#: Format tag stored in every manifest.
FORMAT: Final[str] = "pv_identify-model/1"
#: File name of the shipped default model inside ``models/``.
DEFAULT_MODEL_FILE: Final[str] = "pv_default.pvmodel"
_MANIFEST = "manifest.json"
_PAYLOAD = "model.skops"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: Largest manifest accepted (the shipped one has 16 KB).
MAX_MANIFEST_BYTES: Final[int] = 1 << 20
#: Largest ``model.skops`` member accepted (the shipped one has 0.4 MB).
MAX_PAYLOAD_BYTES: Final[int] = 256 << 20
#: Largest total decompressed size of the skops archive's members (shipped: 1.5 MB).
MAX_INFLATED_BYTES: Final[int] = 1 << 30
#: Most members in the skops archive (shipped: about 1,800).
MAX_PAYLOAD_MEMBERS: Final[int] = 200_000

#: Types a model file may contain beyond those skops trusts by default (numpy, scipy,
#: builtins and scikit-learn's own estimators such as LogisticRegression and the text
#: vectorisers). Checked with ``skops.io.get_untrusted_types`` before loading; anything
#: else is refused.
TRUSTED_TYPES: Final[frozenset[str]] = frozenset({
    "pv_identify.model.estimator.RelationshipClassifier",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.model_selection._split.StratifiedKFold",
})


class ModelVersionWarning(UserWarning):
    """The model was saved with other library versions than the ones installed."""


def _skops() -> Any:
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover - skops is a declared extra
        raise ModelFileError(
            "reading and writing model files needs skops: pip install 'pv_identify[model]'"
        ) from exc
    return sio


def environment() -> dict[str, str | None]:
    """Versions of the libraries that matter for a model file.

    Returns
    -------
    dict of str to str or None
        ``pv_identify``, ``scikit-learn``, ``skops``, ``spacy`` (None if not installed)
        and ``python`` versions.
    """
    try:
        import spacy

        spacy_version: str | None = spacy.__version__
    except ImportError:
        spacy_version = None
    return {
        "pv_identify": __version__,
        "scikit-learn": sklearn.__version__,
        "skops": getattr(_skops(), "__version__", None) or _skops_version(),
        "spacy": spacy_version,
        "python": platform.python_version(),
    }


def _skops_version() -> str | None:
    try:
        import skops

        return str(skops.__version__)
    except (ImportError, AttributeError):  # pragma: no cover
        return None


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def weights_fingerprint(model: RelationshipClassifier) -> str:
    """SHA-256 of what the model computes: vocabularies, coefficients, calibration.

    The skops payload is not byte-identical between two saves of the same model
    (member names and times), so reproducibility is checked with this fingerprint.

    Parameters
    ----------
    model : RelationshipClassifier
        A fitted model.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    digest.update(repr([str(c) for c in model.classes_]).encode())
    for vec in (model.text_vectorizer_, model.token_vectorizer_):
        digest.update(repr(sorted(vec.vocabulary_.items())).encode())
    digest.update(np.round(model.linear_.coef_, 10).tobytes())
    digest.update(np.round(model.linear_.intercept_, 10).tobytes())
    if model.calibrated_ is not None:
        for cal in model.calibrated_.calibrated_classifiers_[0].calibrators:
            for attr in ("a_", "b_"):
                if hasattr(cal, attr):
                    digest.update(np.round(np.asarray(getattr(cal, attr)), 10).tobytes())
    return digest.hexdigest()


def save_model(
    model: RelationshipClassifier,
    path: str | Path,
    manifest: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``model`` with its manifest to ``path`` (and ``<stem>.manifest.json``).

    Parameters
    ----------
    model : RelationshipClassifier
        A fitted model.
    path : str or pathlib.Path
        Target file (conventionally ``*.pvmodel``).
    manifest : dict, optional
        Fields to record (name, version, ruleset, training_data, metrics, threshold,
        ...). Versions, format and the content hash are added.

    Returns
    -------
    dict
        The full manifest as written.

    Raises
    ------
    ModelFileError
        If ``model`` is not a fitted :class:`RelationshipClassifier` or holds
        types outside :data:`TRUSTED_TYPES`.
    """
    if not isinstance(model, RelationshipClassifier) or not hasattr(model, "classes_"):
        raise ModelFileError("save_model() expects a fitted RelationshipClassifier")
    manifest_extra = dict(manifest or {})
    payload = dump_checked(model, TRUSTED_TYPES, manifest_extra.get("version"))
    full = {
        "format": FORMAT,
        **manifest_extra,
        "environment": environment(),
        "classes": [str(c) for c in model.classes_],
        "params": _jsonable(model.get_params()),
        "model_sha256": sha256_bytes(payload),
        "weights_sha256": weights_fingerprint(model),
        "model_bytes": len(payload),
    }
    write_archive(Path(path), full, payload)
    model.manifest_ = full
    return full


def write_archive(path: Path, manifest: Mapping[str, Any], payload: bytes) -> None:
    """Write a model archive (manifest + skops payload, fixed times) and its manifest file.

    Both files are written atomically; the archive is byte-identical for identical input.
    """
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in ((_MANIFEST, text.encode("utf-8")), (_PAYLOAD, payload)):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
    atomic_write_bytes(path, buffer.getvalue())
    atomic_write_text(manifest_path(path), text + "\n")


def manifest_path(path: str | Path) -> Path:
    """Return the path of the JSON manifest written next to a model file."""
    path = Path(path)
    return path.with_name(path.stem + ".manifest.json")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read the manifest inside a model file without loading the model.

    Parameters
    ----------
    path : str or pathlib.Path
        Model file.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    ModelFileError
        If the file is missing, not a model archive, or its manifest is unreadable.
    """
    manifest, _ = _read_archive(Path(path))
    return manifest


def _read_archive(path: Path) -> tuple[dict[str, Any], bytes]:
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if names != {_MANIFEST, _PAYLOAD} or len(archive.infolist()) != 2:
                raise ModelFileError(
                    f"{path}: not a pv_identify model file (expected the members "
                    f"{_MANIFEST} and {_PAYLOAD}, found {len(archive.infolist())} members)")
            _check_size(path, _MANIFEST, archive.getinfo(_MANIFEST).file_size,
                        MAX_MANIFEST_BYTES)
            _check_size(path, _PAYLOAD, archive.getinfo(_PAYLOAD).file_size,
                        MAX_PAYLOAD_BYTES)
            manifest_bytes = archive.read(_MANIFEST)
            payload = archive.read(_PAYLOAD)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ModelFileError(f"{path}: corrupt or not a pv_identify model file "
                             f"({type(exc).__name__})") from None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"{path}: the manifest is not valid JSON (corrupt file)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelFileError(f"{path}: unknown model format "
                             f"{manifest.get('format') if isinstance(manifest, dict) else None!r}"
                             f"; expected {FORMAT!r}")
    return manifest, payload


def _check_size(path: Path, member: str, size: int, cap: int) -> None:
    if size > cap:
        raise ModelFileError(
            f"{path}: {member} would decompress to {size:,} bytes, more than the "
            f"{cap:,} allowed; refusing to read it (corrupt or hostile model file)")


def _check_payload(path: Path, payload: bytes) -> None:
    """Check the skops archive's member count and declared sizes before skops reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as inner:
            infos = inner.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise ModelFileError(f"{path}: corrupt model payload (not a skops archive)") from None
    if len(infos) > MAX_PAYLOAD_MEMBERS:
        raise ModelFileError(f"{path}: the model payload has {len(infos):,} members, more "
                             f"than the {MAX_PAYLOAD_MEMBERS:,} allowed; refusing to load it")
    _check_size(path, f"{_PAYLOAD} (all members)", sum(i.file_size for i in infos),
                MAX_INFLATED_BYTES)


def load_model(path: str | Path, *, check_versions: bool = True) -> RelationshipClassifier:
    """Load a model file safely.

    Parameters
    ----------
    path : str or pathlib.Path
        A file written by :func:`save_model`.
    check_versions : bool, default True
        Warn when the recorded scikit-learn or pv_identify version differs from the
        installed one.

    Returns
    -------
    RelationshipClassifier
        The model, with ``manifest_`` (dict) and ``version_`` set.

    Raises
    ------
    ModelFileError
        If the file is missing, corrupt, tampered with (content hash mismatch), holds
        untrusted types, or is not a pv_identify model.

    Warns
    -----
    ModelVersionWarning
        On a version mismatch.
    """
    return load_checked(Path(path), TRUSTED_TYPES, RelationshipClassifier,
                        check_versions=check_versions)


def dump_checked(model: Any, trusted_types: frozenset[str], version: Any = None) -> bytes:
    """Serialise a fitted model with skops and check it can be loaded safely again.

    Sets ``version_`` (from ``version`` when given), leaves ``manifest_`` out of the
    payload, and refuses a model holding types outside ``trusted_types``.

    Returns
    -------
    bytes
        The skops payload.

    Raises
    ------
    ModelFileError
        If the payload holds untrusted types.
    """
    sio = _skops()
    model.version_ = str(version if version is not None else getattr(model, "version_", ""))
    saved = model.__dict__.pop("manifest_", None)
    try:
        payload = sio.dumps(model, compression=zipfile.ZIP_DEFLATED)
    finally:
        if saved is not None:
            model.manifest_ = saved
    untrusted = sorted(set(sio.get_untrusted_types(data=payload)) - trusted_types)
    if untrusted:
        raise ModelFileError(f"the model holds types that could not be loaded safely: "
                             f"{untrusted}")
    return payload


def load_checked(path: Path, trusted_types: frozenset[str], expected: type,
                 *, check_versions: bool = True,
                 check_manifest: Any = None) -> Any:
    """Load a model archive safely: the one load path of register and text models.

    Reads the manifest and payload within the size caps, checks the content hash and
    the payload, refuses any type outside ``trusted_types``, loads with skops, checks
    the class and the recorded versions, and stamps ``manifest_`` and ``version_``.

    Parameters
    ----------
    path : pathlib.Path
        The model file.
    trusted_types : frozenset of str
        Types skops may construct.
    expected : type
        The estimator class the file must hold.
    check_versions : bool, default True
        Warn when library versions differ from the recorded ones.
    check_manifest : callable, optional
        ``check_manifest(path, manifest)``: a further check of the manifest (raises
        :class:`ModelFileError`), run before the payload is read.

    Returns
    -------
    object
        The model.

    Raises
    ------
    ModelFileError
        If any check fails.
    """
    manifest, payload = _read_archive(path)
    if check_manifest is not None:
        check_manifest(path, manifest)
    recorded = manifest.get("model_sha256")
    actual = sha256_bytes(payload)
    if recorded != actual:
        raise ModelFileError(
            f"{path}: content hash mismatch (manifest {str(recorded)[:12]}..., file "
            f"{actual[:12]}...): the model was modified or corrupted; refusing to load it")
    _check_payload(path, payload)
    sio = _skops()
    try:
        untrusted = set(sio.get_untrusted_types(data=payload))
    except Exception as exc:
        raise ModelFileError(f"{path}: corrupt model payload ({type(exc).__name__})") from None
    refused = sorted(untrusted - trusted_types)
    if refused:
        raise ModelFileError(f"{path}: refusing to load untrusted types {refused[:5]}")
    try:
        model: Any = sio.loads(payload, trusted=sorted(untrusted))
    except Exception as exc:
        raise ModelFileError(f"{path}: the model cannot be loaded "
                             f"({type(exc).__name__})") from None
    if not isinstance(model, expected):
        raise ModelFileError(f"{path}: does not hold a pv_identify {expected.__name__}")
    if check_versions:
        _check_versions(path, manifest)
    setattr(model, "manifest_", manifest)  # noqa: B010 (narrowed to object by isinstance)
    setattr(model, "version_", str(manifest.get("version", getattr(model, "version_", ""))))  # noqa: B010
    return model


def _major_minor(version: str | None) -> tuple[str, ...]:
    return tuple(str(version or "").split(".")[:2])


def _check_versions(path: Path, manifest: dict[str, Any]) -> None:
    saved = manifest.get("environment", {})
    now = environment()
    for lib in ("scikit-learn", "pv_identify"):
        if _major_minor(saved.get(lib)) != _major_minor(now.get(lib)):
            warnings.warn(
                f"{path.name} was saved with {lib} {saved.get(lib)}, installed is "
                f"{now.get(lib)}: scores may differ; retrain with 'pv-identify train' or "
                "install the recorded version", ModelVersionWarning, stacklevel=3)


def default_model_path() -> Path:
    """Return the path of the shipped default model."""
    from pv_identify.rules.presets import data_root

    return data_root("models") / DEFAULT_MODEL_FILE


_CACHE = LRUCache(2)


def resolve_model(spec: RelationshipClassifier | str | Path) -> RelationshipClassifier:
    """Turn a model argument into a fitted model.

    Parameters
    ----------
    spec : RelationshipClassifier, str or pathlib.Path
        A fitted model, ``"default"`` (the shipped model) or a model file path.

    Returns
    -------
    RelationshipClassifier
        The model (files are cached by path, size and modification time).

    Raises
    ------
    ModelFileError
        If the file cannot be loaded safely, or ``spec`` is an unfitted model.
    """
    if isinstance(spec, RelationshipClassifier):
        if not hasattr(spec, "classes_"):
            raise ModelFileError("the model is not fitted; call fit() or load a model file")
        return spec
    path = default_model_path() if str(spec) == "default" else Path(spec)
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found"
                             + (" (the default model is not shipped in this installation)"
                                if str(spec) == "default" else ""))
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    return _CACHE.get_or_create(key, lambda: load_model(path))


def model_info(model: RelationshipClassifier) -> dict[str, Any]:
    """Short description of a model for run metadata (name, version, hash).

    Parameters
    ----------
    model : RelationshipClassifier
        A fitted model.

    Returns
    -------
    dict
        ``name``, ``version``, ``model_sha256`` (None for an unsaved model) and
        ``classes``.
    """
    manifest = getattr(model, "manifest_", None) or {}
    return {
        "name": manifest.get("name", "unsaved"),
        "version": getattr(model, "version_", None),
        "model_sha256": manifest.get("model_sha256"),
        "classes": [str(c) for c in getattr(model, "classes_", [])],
    }
