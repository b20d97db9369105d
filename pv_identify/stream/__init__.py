"""Streaming: tag files chunk by chunk with bounded memory.

* :mod:`~pv_identify.stream.distinct` -- a cache of tagged distinct field combinations
  across chunks (:class:`DistinctTagger`);
* :mod:`~pv_identify.stream.runner` -- the file runner :func:`tag_file` (chunked read,
  background write, roll-ups, worker processes);
* :mod:`~pv_identify.stream.progress` -- progress on standard error.

Every chunk is tagged by the one :class:`pv_identify.Tagger` the run was configured with.
"""

from pv_identify.stream.distinct import DistinctTagger
from pv_identify.stream.runner import RunSummary, tag_file

__all__ = ["DistinctTagger", "RunSummary", "tag_file"]
