"""pv_identify: find partner violence and domestic violence in Dutch judicial records.

The data flow, one module (or package) per step::

    io (read, column mapping) -> normalize (text, articles, MC) -> rules (load,
    compile, apply) -> combine (label + provenance) -> rollup (cases, persons) ->
    io (write)

Main entry points: :class:`Tagger` (one configuration, bound once, behind every
door), :func:`tag`, :func:`explain`, :func:`rollup_cases`,
:func:`rollup_persons`, :func:`load_rules`, and the ``DataFrame.pv`` accessor.
"""

from pv_identify import accessor as _accessor  # noqa: F401  (registers DataFrame.pv)
from pv_identify._version import __version__
from pv_identify.errors import (
    ColumnMappingError,
    InputFileError,
    ModelFileError,
    PvIdentifyError,
    RuleFileError,
)
from pv_identify.explain import Explanation, explain
from pv_identify.io import read_extract, write_extract
from pv_identify.rollup import rollup_cases, rollup_persons
from pv_identify.rules import RuleSet, load_rules, preset_names
from pv_identify.tagger import Tagger, tag

__all__ = [
    "ColumnMappingError",
    "Explanation",
    "InputFileError",
    "ModelFileError",
    "PvIdentifyError",
    "RuleFileError",
    "RuleSet",
    "Tagger",
    "__version__",
    "explain",
    "load_rules",
    "preset_names",
    "read_extract",
    "rollup_cases",
    "rollup_persons",
    "tag",
    "write_extract",
]
