"""Checks of the values in a rule file (one implementation for rule sets and text rules).

Every check raises :class:`~pv_identify.errors.RuleFileError` naming the file, the line
and what was expected; none echoes more of the file than the offending key's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex

from pv_identify.errors import RuleFileError
from pv_identify.rules.problems import Problems
from pv_identify.rules.yamlfile import LINE_KEY

#: What a rule id may look like.
RULE_ID = regex.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]*$")


def is_meta(key: Any) -> bool:
    """Whether ``key`` is one of the YAML reader's bookkeeping keys (``__line__`` ...)."""
    return isinstance(key, str) and key.startswith("__") and key.endswith("__")


def mapping_keys(obj: dict[str, Any]) -> set[str]:
    """Keys of a YAML mapping without the reader's bookkeeping keys."""
    return {k for k in obj if not is_meta(k)}


def check_keys(path: Path, obj: dict[str, Any], allowed: set[str], what: str,
               rule_id: str | None = None) -> None:
    """Refuse keys outside ``allowed`` (all of them named in one error)."""
    unknown = sorted(str(k) for k in mapping_keys(obj) - allowed)
    if unknown:
        raise RuleFileError(
            str(path),
            f"unknown key(s) {', '.join(map(repr, unknown))} in {what}; "
            f"expected one of: {', '.join(sorted(allowed))}",
            line=obj.get(LINE_KEY), rule_id=rule_id)


def string(path: Path, value: Any, what: str, line: int | None, rule_id: str | None = None,
           *, allow_empty: bool = False) -> str:
    """Return a string value (numbers as written), stripped; empty only if allowed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RuleFileError(str(path), f"{what} must be a string, got {type(value).__name__}",
                            line=line, rule_id=rule_id)
    text = str(value).strip()
    if not text and not allow_empty:
        raise RuleFileError(str(path), f"{what} must not be empty", line=line, rule_id=rule_id)
    return text


def version(path: Path, value: Any, line: int | None) -> str:
    """Return a rule file's ``version``; refuse one YAML read as a decimal number.

    ``version: 1.10`` is the number 1.1 to YAML: the version the file meant is lost, so
    it must be written in quotes (``version: "1.10"``). Whole numbers (``version: 2``)
    are read as written.
    """
    if isinstance(value, float):
        raise RuleFileError(str(path), f"'version' must be written in quotes "
                            f"(version: \"...\"); unquoted, YAML reads it as the number "
                            f"{value!r}", line=line)
    return string(path, value, "'version'", line)


def string_list(path: Path, value: Any, what: str, line: int | None,
                rule_id: str | None = None, item_lines: list[int] | None = None) -> list[str]:
    """Return a list of strings (a single string counts as a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RuleFileError(str(path), f"{what} must be a list of strings", line=line,
                            rule_id=rule_id)
    lines = item_lines or []
    return [string(path, v, f"an item of {what}", lines[i] if i < len(lines) else line, rule_id)
            for i, v in enumerate(value)]


def rule_header(path: Path, raw: Any, allowed: set[str], required: Iterable[str],
                shape: str, line: int) -> str:
    """Check a rule's mapping, id, keys and required keys; return its id.

    Parameters
    ----------
    path : pathlib.Path
        The rule file.
    raw : object
        The rule as read from YAML.
    allowed : set of str
        Keys a rule may have.
    required : iterable of str
        Keys it must have besides ``id``.
    shape : str
        How a rule looks, for the error when ``raw`` is not a mapping.
    line : int
        The rule's line.

    Returns
    -------
    str
        The rule id.
    """
    if not isinstance(raw, dict):
        raise RuleFileError(str(path), f"each item of 'rules' must be a mapping with {shape}")
    if "id" not in raw:
        raise RuleFileError(str(path), "rule has no 'id'", line=line)
    rule_id = string(path, raw["id"], "'id'", line)
    if not RULE_ID.match(rule_id):
        raise RuleFileError(str(path), f"id {rule_id!r} may contain only letters, digits and "
                            "'_', '.', ':', '-'", line=line, rule_id=rule_id)
    check_keys(path, raw, allowed, "a rule", rule_id)
    for key in required:
        if key not in raw:
            raise RuleFileError(str(path), f"rule has no {key!r}", line=line, rule_id=rule_id)
    return rule_id


def file_head(path: Path, data: dict[str, Any], top_keys: set[str], setting_keys: set[str],
              what: str, problems: Problems) -> dict[str, Any]:
    """Check a rule file's top level and ``settings``; collect problems, return the settings.

    Unknown top-level keys, a missing ``name``/``version``/``rules``, a ``settings`` that
    is not a mapping and unknown settings are added to ``problems`` (not raised), so the
    caller can report them with every other problem of the file.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    data : dict
        Its YAML content.
    top_keys, setting_keys : set of str
        Keys allowed at the top level and in ``settings``.
    what : str
        What the file is, for the messages ("rule file", "text rule file").
    problems : Problems
        Where problems are collected.

    Returns
    -------
    dict
        The settings mapping (empty when absent or invalid).
    """
    with problems.collect():
        check_keys(path, data, top_keys, f"the {what}")
    for key in ("name", "version", "rules"):
        if key not in data:
            problems.add(RuleFileError(str(path), f"{what} has no {key!r}", line=1))
    settings = data.get("settings", {}) or {}
    if not isinstance(settings, dict):
        problems.add(RuleFileError(str(path), "'settings' must be a mapping",
                                   line=data.get(LINE_KEY)))
        settings = {}
    with problems.collect():
        check_keys(path, settings, setting_keys, "'settings'")
    return settings
