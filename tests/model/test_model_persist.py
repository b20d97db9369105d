import json
import warnings
import zipfile

import pytest

from pv_identify.errors import ModelFileError
from pv_identify.model import ModelVersionWarning, load_model, read_manifest, save_model


def test_roundtrip(tiny_model, extract, tmp_path):
    path = tmp_path / "m.pvmodel"
    manifest = save_model(tiny_model, path, {"name": "t", "version": "0.0.1"})
    assert (tmp_path / "m.manifest.json").is_file()
    assert manifest["environment"]["scikit-learn"]
    loaded = load_model(path)
    df, _ = extract
    assert (loaded.predict_proba(df.head(200)) == tiny_model.predict_proba(df.head(200))).all()
    assert read_manifest(path)["version"] == "0.0.1"


def _rewrite(path, manifest=None, payload=None):
    with zipfile.ZipFile(path) as z:
        m, p = z.read("manifest.json"), z.read("model.skops")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", manifest if manifest is not None else m)
        z.writestr("model.skops", payload if payload is not None else p)


def test_tampered_refused(tiny_model, tmp_path):
    path = tmp_path / "m.pvmodel"
    save_model(tiny_model, path, {"name": "t", "version": "1"})
    with zipfile.ZipFile(path) as z:
        payload = bytearray(z.read("model.skops"))
    payload[100] ^= 0xFF
    _rewrite(path, payload=bytes(payload))
    with pytest.raises(ModelFileError, match="hash mismatch"):
        load_model(path)


def test_corrupt_and_foreign_refused(tmp_path):
    bad = tmp_path / "x.pvmodel"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(ModelFileError, match="corrupt"):
        load_model(bad)
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "missing.pvmodel")
    pickle_like = tmp_path / "p.pvmodel"
    with zipfile.ZipFile(pickle_like, "w") as z:
        z.writestr("model.pkl", b"\x80\x04")
    with pytest.raises(ModelFileError, match="not a pv_identify model"):
        load_model(pickle_like)


def test_untrusted_type_refused(tmp_path):
    import hashlib

    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier  # noqa: F401

    class Evil:  # not in the trusted list
        pass

    payload = sio.dumps({"x": Evil()})
    manifest = {"format": "pv_identify-model/1", "model_sha256":
                hashlib.sha256(payload).hexdigest()}
    path = tmp_path / "evil.pvmodel"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("model.skops", payload)
    with pytest.raises(ModelFileError, match="untrusted"):
        load_model(path)


def test_version_mismatch_warns(tiny_model, tmp_path):
    path = tmp_path / "m.pvmodel"
    save_model(tiny_model, path, {"name": "t", "version": "1"})
    with zipfile.ZipFile(path) as z:
        m = json.loads(z.read("manifest.json"))
    m["environment"]["scikit-learn"] = "0.1.0"
    _rewrite(path, manifest=json.dumps(m))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model(path)
    assert any(issubclass(w.category, ModelVersionWarning) for w in caught)


def _bomb_zip(path, members):
    """A small zip whose members inflate to the given sizes (zeros compress ~1000:1)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, size in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as handle:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    handle.write(chunk)


def test_inflating_manifest_refused_before_reading(tmp_path, monkeypatch):
    import pv_identify.model.persist as persist

    path = tmp_path / "bomb.pvmodel"
    monkeypatch.setattr(persist, "MAX_MANIFEST_BYTES", 1 << 20)
    _bomb_zip(path, {"manifest.json": 8 << 20, "model.skops": 1 << 20})
    assert path.stat().st_size < 100_000
    read = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: read.append(name))
    with pytest.raises(ModelFileError, match="would decompress to 8,388,608 bytes"):
        load_model(path)
    assert read == []  # refused from the directory, nothing inflated


def test_inflating_payload_refused_before_skops(tiny_model, tmp_path, monkeypatch):
    import json

    import pv_identify.model.persist as persist

    monkeypatch.setattr(persist, "MAX_INFLATED_BYTES", 4 << 20)
    inner = tmp_path / "inner.zip"
    _bomb_zip(inner, {"schema.json": 1 << 20, "big.npy": 8 << 20})
    payload = inner.read_bytes()
    path = tmp_path / "m.pvmodel"
    save_model(tiny_model, path, {"name": "t", "version": "1"})
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    manifest["model_sha256"] = persist.sha256_bytes(payload)  # an attacker can do this
    _rewrite(path, manifest=json.dumps(manifest), payload=payload)
    called = []
    monkeypatch.setattr(persist, "_skops", lambda: called.append(1))
    with pytest.raises(ModelFileError, match=r"model.skops \(all members\) would decompress"):
        load_model(path)
    assert called == []


def test_model_file_written_atomically_never_through_symlinks(tiny_model, tmp_path):
    import os

    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    path = tmp_path / "m.pvmodel"
    os.symlink(target, path.with_name(path.name + ".tmp"))  # the old fixed temp name
    os.symlink(target, tmp_path / "m.manifest.json")
    save_model(tiny_model, path, {"name": "t", "version": "1"})
    assert target.read_text(encoding="utf-8") == "keep me"
    assert load_model(path).version_ == "1"
