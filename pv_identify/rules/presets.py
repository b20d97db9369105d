"""Find the rule data: the ``rules/`` folder and its presets.

In an installed wheel the rule data live in ``pv_identify/_data/rules``; in a source
checkout (editable install) in ``rules/`` at the repository root.
"""

from __future__ import annotations

from pathlib import Path

from pv_identify.errors import RuleFileError

_PACKAGE = Path(__file__).resolve().parent.parent


def data_root(name: str) -> Path:
    """Return the folder of bundled data ``name`` (``"rules"`` or ``"models"``).

    Parameters
    ----------
    name : str
        Data folder name.

    Returns
    -------
    pathlib.Path
        The folder (inside the package when installed, else at the repository root).
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def rules_root() -> Path:
    """Return the folder holding the bundled rule data."""
    return data_root("rules")


def preset_names() -> list[str]:
    """Return the names of the bundled presets, sorted."""
    return sorted(p.stem for p in (rules_root() / "presets").glob("*.yaml"))


def resolve_preset(spec: str | Path, relative_to: Path | None = None) -> Path:
    """Turn a preset name or a rule-file path into a path.

    Parameters
    ----------
    spec : str or pathlib.Path
        A preset name (``"default"``) or a path to a YAML file.
    relative_to : pathlib.Path, optional
        Folder that relative paths are resolved against (for ``extends``).

    Returns
    -------
    pathlib.Path
        The rule file.

    Raises
    ------
    RuleFileError
        If ``spec`` is neither a preset nor an existing file.
    """
    text = str(spec)
    preset = rules_root() / "presets" / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        if preset.is_file():
            return preset
        raise RuleFileError(text, f"no preset named {text!r}; presets: "
                            f"{', '.join(preset_names())}, or give a path to a .yaml rule file")
    path = Path(text)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    if not path.is_file():
        raise RuleFileError(str(path), "rule file not found")
    return path
