"""Collect the problems of a rule file and report them all at once.

Validation goes on after the first problem, so ``pv-identify rules validate`` lists
every error of a file (each with ``file:line``) in one run::

    problems = Problems()
    for raw in raw_rules:
        with problems.collect():
            rules.append(parse_rule(path, raw, ...))
    problems.raise_if_any()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pv_identify.errors import RuleFileError, RuleFileErrors


class Problems:
    """A list of :class:`~pv_identify.errors.RuleFileError` gathered during validation."""

    def __init__(self) -> None:
        self.errors: list[RuleFileError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, error: RuleFileError) -> None:
        """Record one problem (the members of a :class:`RuleFileErrors` one by one)."""
        if isinstance(error, RuleFileErrors):
            self.errors.extend(error.errors)
        else:
            self.errors.append(error)

    @contextmanager
    def collect(self) -> Iterator[None]:
        """Run a block; a :class:`RuleFileError` it raises is recorded, not raised."""
        try:
            yield
        except RuleFileError as exc:
            self.add(exc)

    def raise_if_any(self) -> None:
        """Raise the one problem, or :class:`RuleFileErrors` with all of them.

        Raises
        ------
        RuleFileError
            If any problem was recorded.
        """
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise RuleFileErrors(self.errors)
