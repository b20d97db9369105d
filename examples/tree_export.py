"""Run the package of an earlier commit beside this tree's, in a child process.

Shared by ``examples/replay_text_policy.py`` (each corpus batch tagged by the code of its
day) and ``examples/rule_changes.py`` (a rule change against a commit): the commit is
exported with ``git archive`` into a folder, a child process runs the calling script
with ``--child`` there (``PYTHONPATH`` = that folder), and the child makes sure it
imported that folder's ``pv_identify``, so two trees never share a module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType


def export_tree(rev: str, dest: Path, repository: Path) -> None:
    """Write the files of commit ``rev`` of ``repository`` into the folder ``dest``."""
    archive = subprocess.run(["git", "archive", rev], cwd=repository, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def run_child(script: Path, tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script --child TREE ARGS...`` with ``tree`` as working folder and path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, str(script), "--child", str(tree), *args],
                          cwd=tree, env=env, capture_output=True, text=True)


def import_tree_package(tree: str) -> ModuleType:
    """Import ``pv_identify`` from ``tree`` (in the child) and check that it did."""
    sys.path.insert(0, tree)
    warnings.simplefilter("ignore")
    import pv_identify

    if not Path(pv_identify.__file__).resolve().is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"imported {pv_identify.__file__}, not the package of {tree}")
    return pv_identify


def run_if_child(argv: Sequence[str], child: Callable[..., None]) -> bool:
    """Call ``child(tree, *args)`` when ``argv`` is the ``--child`` call of :func:`run_child`."""
    if list(argv[:1]) != ["--child"]:
        return False
    child(*argv[1:])
    return True
