"""Read YAML and plain-text rule files while keeping line numbers.

Every mapping read from YAML carries the line it started on under the key
:data:`LINE_KEY`, so validation errors can point at ``file:line``. This is the one
reader of rule files: register rule sets (:mod:`pv_identify.rules.loader`), text
rules (:mod:`pv_identify.rules.textrules`) and cohort definitions
(:mod:`pv_identify.cohort.rulefiles`) all read through it.

What it promises (``docs/security.md``):

* only regular files are read (never ``/dev/zero``, a folder or a FIFO), at most
  :data:`MAX_RULE_FILE_BYTES` bytes each;
* files a rule file refers to (``extends``, ``terms_file``, ``abbreviations_file``,
  ``mc_codes_file``, a text rule set's ``file``) must lie inside the allowed folders
  (:func:`referenced_file`): the folder of the rule file the user named, the bundled
  ``rules/`` folder, or folders the caller allows explicitly;
* error messages name files, lines and keys, never the content of a line;
* duplicate keys and complex (non-scalar) keys are errors; all duplicate keys of a
  file are reported together;
* recursive YAML aliases, aliases that repeat more than :data:`MAX_ALIAS_ITEMS` items
  and nesting deeper than Python's recursion limit are errors, not hangs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import yaml

from pv_identify.errors import RuleFileError, RuleFileErrors

#: Largest rule file or referenced list that is read, in bytes (8 MiB; the bundled
#: files are under 100 KB).
MAX_RULE_FILE_BYTES: Final[int] = 8 * 1024 * 1024

#: Most items YAML aliases may add to a rule file by repeating lists or mappings.
MAX_ALIAS_ITEMS: Final[int] = 100_000

#: Key under which a mapping's 1-based start line is stored.
LINE_KEY = "__line__"
#: Key under which a mapping stores, per key holding a list, the line of each item.
ITEM_LINES_KEY = "__item_lines__"
#: Key under which a mapping stores the line of each of its keys.
KEY_LINES_KEY = "__key_lines__"
#: The bookkeeping keys a mapping read by :func:`read_yaml` may carry.
META_KEYS = (LINE_KEY, ITEM_LINES_KEY, KEY_LINES_KEY)


def key_line(obj: Any, key: str, default: int | None = None) -> int | None:
    """Line of ``key`` in a mapping read by :func:`read_yaml` (else its start line)."""
    if not isinstance(obj, dict):
        return default
    return obj.get(KEY_LINES_KEY, {}).get(key, obj.get(LINE_KEY, default))


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records each mapping's start line."""

    problems: list[RuleFileError]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        keep = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(RuleFileError(
                    self.name, "a mapping key must be a plain name, not a list or mapping "
                    "(a YAML complex key '? ...')", line=line))
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.problems.append(RuleFileError(
                    self.name,
                    f"key {key!r} appears twice in the same mapping "
                    f"(first on line {seen[key]})", line=line))
                continue
            seen[key] = line
            keep.append((key_node, value_node))
        node.value = keep
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        mapping[KEY_LINES_KEY] = {k: n for k, n in seen.items() if isinstance(k, str)}
        item_lines = {
            self.construct_object(key_node, deep=deep): [
                item.start_mark.line + 1 for item in value_node.value]
            for key_node, value_node in node.value
            if isinstance(value_node, yaml.SequenceNode)
        }
        if item_lines:
            mapping[ITEM_LINES_KEY] = item_lines
        return mapping


def referenced_file(owner: Path, name: str, what: str, roots: Sequence[Path],
                    line: int | None = None, rule_id: str | None = None) -> Path:
    """Resolve a file named inside a rule file and check it may be read.

    Parameters
    ----------
    owner : pathlib.Path
        The rule file that names it (relative names are resolved against its folder).
    name : str
        The name as written.
    what : str
        The key that names it (for the error), e.g. ``"terms_file"``.
    roots : sequence of pathlib.Path
        Folders the file must lie in (after resolving ``..`` and symbolic links).
    line : int, optional
        Line of the key (for the error).
    rule_id : str, optional
        Rule the key belongs to (for the error).

    Returns
    -------
    pathlib.Path
        The resolved path (existence and type are checked by :func:`read_text`).

    Raises
    ------
    RuleFileError
        If the file lies outside every root.
    """
    target = (owner.parent / name).resolve()
    for root in roots:
        if target.is_relative_to(Path(root).resolve()):
            return target
    raise RuleFileError(
        str(owner), f"{what} {name!r} lies outside the rule file's folder "
        f"({Path(roots[0]).resolve() if roots else owner.parent}); referenced files must be "
        "inside it or its subfolders (API: allow_paths=[folder] allows another folder)",
        line=line, rule_id=rule_id)


def read_referenced(reader: Any, owner: Path, name: str, what: str, target: Path,
                    line: int | None = None, rule_id: str | None = None) -> Any:
    """Run ``reader(target)``; a problem with the file itself is reported at ``owner:line``.

    Problems inside the file (a bad line) keep the file's own name and line.
    """
    try:
        return reader(target)
    except RuleFileError as exc:
        if exc.line is not None:
            raise
        detail = "not found" if exc.detail == "file not found" else exc.detail
        raise RuleFileError(str(owner), f"{what} {name!r} {detail} (looked for {target})",
                            line=line, rule_id=rule_id) from None


def read_text(path: Path) -> str:
    """Read a rule file as UTF-8 text: a regular file of at most ``MAX_RULE_FILE_BYTES``.

    Raises
    ------
    RuleFileError
        If the file is missing, not a regular file, too big, or not UTF-8. The
        message never quotes the file's content.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise RuleFileError(str(path), "file not found") from None
    except OSError as exc:
        raise RuleFileError(str(path), f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise RuleFileError(str(path), f"is {kind}; give a rule or list file")
    if info.st_size > MAX_RULE_FILE_BYTES:
        raise RuleFileError(str(path), f"is {info.st_size:,} bytes; rule files and lists may "
                            f"have at most {MAX_RULE_FILE_BYTES:,} bytes")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RULE_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleFileError(str(path), f"cannot read: {exc.strerror}") from None
    if len(data) > MAX_RULE_FILE_BYTES:
        raise RuleFileError(str(path), f"has more than {MAX_RULE_FILE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(
            str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _check_aliases(path: Path, root: yaml.Node) -> None:
    """Refuse recursive YAML aliases and aliases that multiply the document.

    An alias (``*name``) is the node of its anchor again, so loading is cheap, but
    every consumer that walks the data (validation, ``str()``, the rule-set hash)
    walks each use: nine lists of nine aliases of the previous list are 9**9 items
    (a "billion laughs" file), and ``&a [*a]`` never ends.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = ([n for pair in node.value for n in pair]
                    if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if done:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if id(node) in sizes:
            continue
        on_path.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise RuleFileError(str(path), "a YAML alias refers to a list or mapping "
                                    "that contains it (recursive anchor)",
                                    line=child.start_mark.line + 1)
            if id(child) not in sizes:
                stack.append((child, False))
    extra = sizes[id(root)] - len(sizes)
    if extra > MAX_ALIAS_ITEMS:
        raise RuleFileError(str(path), f"YAML aliases (*name) repeat {extra:,} items; at most "
                            f"{MAX_ALIAS_ITEMS:,} are allowed (write the lists out)")


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
    loader.problems = []
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_aliases(path, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(str(path), f"invalid YAML: {exc.problem}", line=line) from None
    except yaml.YAMLError:
        raise RuleFileError(str(path), "invalid YAML") from None
    except RecursionError:
        raise RuleFileError(str(path), "invalid YAML: lists or mappings nested too "
                            "deeply") from None
    finally:
        loader.dispose()
    if len(loader.problems) == 1:
        raise loader.problems[0]
    if loader.problems:
        raise RuleFileErrors(loader.problems)
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
            raise RuleFileError(  # never quote the line: it may be anyone's file
                str(path), "expected 'key = value' with text on both sides", line=number
            )
        pairs.append((number, key.strip(), value.strip()))
    return pairs
