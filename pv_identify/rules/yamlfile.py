"""Read YAML and plain-text rule files while keeping line numbers.

Every mapping read from YAML carries the line it started on under the key
:data:`LINE_KEY`, so validation errors can point at ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pv_identify.errors import RuleFileError

#: Key under which a mapping's 1-based start line is stored.
LINE_KEY = "__line__"
#: Key under which a mapping stores, per key holding a list, the line of each item.
ITEM_LINES_KEY = "__item_lines__"


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records each mapping's start line."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise RuleFileError(
                    self.name,
                    f"key {key!r} appears twice in the same mapping "
                    f"(first on line {seen[key]})",
                    line=key_node.start_mark.line + 1,
                )
            seen[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        item_lines = {
            self.construct_object(key_node, deep=deep): [
                item.start_mark.line + 1 for item in value_node.value]
            for key_node, value_node in node.value
            if isinstance(value_node, yaml.SequenceNode)
        }
        if item_lines:
            mapping[ITEM_LINES_KEY] = item_lines
        return mapping


def read_text(path: Path) -> str:
    """Read a rule file as UTF-8 text.

    Raises
    ------
    RuleFileError
        If the file is missing or not UTF-8.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(str(path), "file not found") from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(
            str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML rule file into a dict whose mappings carry line numbers.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    dict
        The top-level mapping.

    Raises
    ------
    RuleFileError
        If the file cannot be read, is not valid YAML, or is not a mapping.
    """
    loader = _LineLoader(read_text(path))
    loader.name = str(path)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(str(path), f"invalid YAML: {exc.problem}", line=line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RuleFileError(str(path), "expected a mapping at the top of the file", line=1)
    return data


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Read a plain-text list: one item per line, ``#`` starts a comment.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    list of (int, str)
        1-based line number and stripped content of every non-blank, non-comment line.

    Raises
    ------
    RuleFileError
        If the file cannot be read or is not UTF-8.
    """
    text = read_text(path)
    items: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        content = content.strip()
        if content:
            items.append((number, content))
    return items


def read_pairs(path: Path) -> list[tuple[int, str, str]]:
    """Read a ``key = value`` list (abbreviations, MC codes).

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    list of (int, str, str)
        Line number, key and value of every entry.

    Raises
    ------
    RuleFileError
        If a line has no ``=`` or an empty side.
    """
    pairs = []
    for number, content in read_lines(path):
        key, sep, value = content.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise RuleFileError(
                str(path), f"expected 'key = value', got {content!r}", line=number
            )
        pairs.append((number, key.strip(), value.strip()))
    return pairs
