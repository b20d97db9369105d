"""The package type-checks with the project's mypy configuration (pyproject.toml).

The code rules ask for "types on public functions, py.typed, mypy clean". mypy runs
once on ``pv_identify`` with ``[tool.mypy]`` from pyproject.toml (about 15 s without a
cache, hence ``slow``; it still runs by default).

``test_mypy_clean`` fails on any mypy error in the package.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mypy_errors() -> list[str]:
    api = pytest.importorskip(
        "mypy.api", reason="mypy is not installed (pip install -e '.[test]')")
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the report are relative to the repository root
    try:
        stdout, stderr, status = api.run(
            ["--config-file", str(ROOT / "pyproject.toml"),
             "--hide-error-context", "--no-pretty", "--no-error-summary"])
    finally:
        os.chdir(cwd)
    assert status in (0, 1), f"mypy did not run (exit {status}):\n{stderr}{stdout}"
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert status == 0 or errors, f"mypy failed without an error line:\n{stderr}{stdout}"
    return errors


def test_py_typed_marker_present() -> None:
    # PEP 561: without the marker, users' type checkers ignore the package's annotations
    assert (ROOT / "pv_identify" / "py.typed").is_file()


@pytest.mark.slow
def test_mypy_clean(mypy_errors: list[str]) -> None:
    assert not mypy_errors, (
        f"mypy reported {len(mypy_errors)} error(s):\n" + "\n".join(mypy_errors))
