"""The ``DataFrame.pv`` accessor: ``df.pv.tag()``, ``df.pv.cases()``, ``df.pv.persons()``.

Registered when :mod:`pv_identify` is imported.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pv_identify.explain import Explanation, explain
from pv_identify.rollup import rollup_cases, rollup_persons
from pv_identify.tagger import tag


@pd.api.extensions.register_dataframe_accessor("pv")
class PvAccessor:
    """pv_identify methods on a DataFrame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame the accessor is attached to.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def tag(self, rules: Any = "default", **kwargs: Any) -> pd.DataFrame:
        """Tag the frame; see :func:`pv_identify.tag`."""
        return tag(self._frame, rules, **kwargs)

    def cases(self, **kwargs: Any) -> pd.DataFrame:
        """Case roll-up of a tagged frame; see :func:`pv_identify.rollup_cases`."""
        return rollup_cases(self._frame, **kwargs)

    def persons(self, **kwargs: Any) -> pd.DataFrame:
        """Person roll-up of a tagged frame; see :func:`pv_identify.rollup_persons`."""
        return rollup_persons(self._frame, **kwargs)

    def explain(self, row: Any, rules: Any = "default", **kwargs: Any) -> Explanation:
        """Explain the decision on the row with index label ``row``."""
        return explain(self._frame.loc[row], rules, **kwargs)
