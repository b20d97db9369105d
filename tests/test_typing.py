"""The package type-checks with the project's mypy configuration (pyproject.toml).

The code rules ask for "types on public functions, py.typed, mypy clean". mypy runs
once on ``pv_identify`` with ``[tool.mypy]`` from pyproject.toml (about 15 s without a
cache, hence ``slow``; it still runs by default).

``test_mypy_clean_outside_open_work`` guards every module already clean.
``test_mypy_clean`` covers the whole package; it is an expected failure while the
modules in ``OPEN_WORK`` (changed by other work in progress) still have errors, and
``strict`` turns it into a failure once they are clean: then remove the marker and
``OPEN_WORK``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Path prefixes of modules whose mypy errors are left to the work now changing them.
OPEN_WORK = (
    "pv_identify/stream/",
    "pv_identify/model/text_",
    "pv_identify/combine_text.py",
    "pv_identify/text/matcher.py",
    "pv_identify/model/features.py",
    "pv_identify/model/estimator.py",
)


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
def test_mypy_clean_outside_open_work(mypy_errors: list[str]) -> None:
    errors = [e for e in mypy_errors if not e.replace("\\", "/").startswith(OPEN_WORK)]
    assert not errors, f"mypy reported {len(errors)} error(s):\n" + "\n".join(errors)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="mypy errors remain in modules under other work "
                                       "(OPEN_WORK in this file); remove this marker when "
                                       "they are fixed")
def test_mypy_clean(mypy_errors: list[str]) -> None:
    assert not mypy_errors, (
        f"mypy reported {len(mypy_errors)} error(s):\n" + "\n".join(mypy_errors))
