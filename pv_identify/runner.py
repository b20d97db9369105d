"""Tag a file chunk by chunk: read → tag → write, with progress and a summary.

Memory stays bounded by the chunk size (plus the small case/person key columns
kept for roll-ups). The output appears only when the whole run succeeded.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.readers import file_format, iter_extract
from pv_identify.io.writers import ExtractWriter, write_extract
from pv_identify.progress import Progress
from pv_identify.rollup import rollup_cases, rollup_persons
from pv_identify.rules.model import RuleSet
from pv_identify.schema import (
    ATTRS_KEY,
    ID_SEPARATOR,
    LABELS,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SOURCE,
)
from pv_identify.tagger import run_metadata, tag

log = logging.getLogger(__name__)

_KEY_FIELDS = ("case_id", "person_id", "registration_date", "offence_date")


@dataclass
class RunSummary:
    """Counts of a tagging run (no record contents)."""

    rows: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    partner_violence: int = 0
    domestic_violence: int = 0
    cases: int | None = None
    partner_violence_cases: int | None = None
    persons: int | None = None
    partner_violence_persons: int | None = None
    seconds: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)

    def add(self, tagged: pd.DataFrame) -> None:
        """Add the counts of one tagged chunk."""
        self.rows += len(tagged)
        self.labels.update(tagged[OUT_LABEL].value_counts().to_dict())
        self.sources.update(tagged[OUT_SOURCE].value_counts().to_dict())
        self.partner_violence += int(tagged[OUT_PARTNER].sum())
        self.domestic_violence += int(tagged[OUT_DOMESTIC].sum())
        for ids, count in tagged[OUT_RULE_IDS].value_counts().items():
            for rule_id in str(ids).split(ID_SEPARATOR):
                if rule_id:
                    self.rules[rule_id] += int(count)

    def format(self) -> str:
        """Return a short human-readable summary."""
        rs = self.metadata.get("ruleset", {})
        share = (lambda n: f"{n:,} ({n / self.rows:.1%})") if self.rows else str
        lines = [
            f"rule set        {rs.get('name')} {rs.get('version')} (hash {rs.get('hash')})",
            f"offences        {self.rows:,}",
            f"partner viol.   {share(self.partner_violence)}",
            f"domestic viol.  {share(self.domestic_violence)}",
        ]
        if self.cases is not None:
            lines.append(f"cases           {self.cases:,}, of which partner violence "
                         f"{self.partner_violence_cases:,}")
        if self.persons is not None:
            lines.append(f"persons         {self.persons:,}, with partner violence "
                         f"{self.partner_violence_persons:,}")
        lines.append("labels          " + ", ".join(
            f"{label} {self.labels.get(label, 0):,}" for label in LABELS))
        lines.append("top rules       " + ", ".join(
            f"{rid} {n:,}" for rid, n in self.rules.most_common(6)))
        lines.append(f"time            {self.seconds:,.1f} s")
        return "\n".join(lines)


def tag_file(
    input_path: str | Path,
    output_path: str | Path | None,
    rules: RuleSet,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    chunk_rows: int = 200_000,
    cases_path: str | Path | None = None,
    persons_path: str | Path | None = None,
    progress: bool = True,
    overwrite: bool = False,
) -> RunSummary:
    """Tag an extract file chunk by chunk and write the result atomically.

    Parameters
    ----------
    input_path : str or pathlib.Path
        CSV, Parquet, SPSS, Stata or Excel file.
    output_path : str or pathlib.Path, optional
        Output file (format from the suffix); None tags and summarises only.
    rules : RuleSet
        The loaded rule set.
    columns : mapping, optional
        Column mapping.
    chunk_rows : int, default 200000
        Rows per chunk.
    cases_path, persons_path : str or pathlib.Path, optional
        Where to write the case and person roll-ups.
    progress : bool, default True
        Show progress on standard error.
    overwrite : bool, default False
        Replace existing ``pv_*`` columns in the input.

    Returns
    -------
    RunSummary
        Counts of the run.
    """
    input_path = Path(input_path)
    for out in (output_path, cases_path, persons_path):
        if out is not None:
            file_format(out)  # unknown output type: fail before reading anything
    total = _row_count(input_path)
    summary = RunSummary()
    meter = Progress(total, enabled=progress)
    keys: list[pd.DataFrame] = []
    want_keys = cases_path is not None or persons_path is not None
    writer: ExtractWriter | None = None
    mapping: ColumnMapping | None = None
    try:
        for chunk in iter_extract(input_path, chunk_rows=chunk_rows):
            tagged = tag(chunk, rules, columns=columns, overwrite=overwrite)
            if mapping is None:
                mapping = ColumnMapping.resolve(chunk.columns, columns)
                summary.metadata = {**run_metadata(rules, mapping), "input": input_path.name}
                if output_path is not None:
                    writer = ExtractWriter(output_path, summary.metadata)
            if writer is not None:
                writer.write(tagged)
            summary.add(tagged)
            keys.append(_key_columns(tagged, mapping))
            meter.update(len(tagged))
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    summary.seconds = meter.close()
    if keys and mapping is not None:
        _rollups(summary, pd.concat(keys, ignore_index=True), mapping, cases_path,
                 persons_path, want_keys)
    return summary


def _row_count(path: Path) -> int | None:
    if file_format(path) == "parquet":
        try:
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception:
            return None
    return None


def _key_columns(tagged: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    cols = [mapping.get(f) for f in _KEY_FIELDS if mapping.get(f)]
    return tagged[[*cols, OUT_LABEL, OUT_PARTNER, OUT_DOMESTIC]]


def _rollups(summary: RunSummary, keys: pd.DataFrame, mapping: ColumnMapping,
             cases_path: str | Path | None, persons_path: str | Path | None,
             write: bool) -> None:
    if not mapping.get("case_id"):
        if write:
            log.warning("no case id column: case and person roll-ups skipped")
        return
    cols = {f: mapping.get(f) for f in _KEY_FIELDS if mapping.get(f)}
    cases = rollup_cases(keys, columns=cols)
    summary.cases = len(cases)
    summary.partner_violence_cases = int(cases["partner_violence"].sum())
    meta = {**summary.metadata, "table": "cases"}
    if cases_path is not None:
        write_extract(cases.reset_index(), cases_path, meta)
    if mapping.get("person_id"):
        persons = rollup_persons(keys, columns=cols)
        summary.persons = len(persons)
        summary.partner_violence_persons = int(persons["n_partner_violence_cases"].gt(0).sum())
        if persons_path is not None:
            write_extract(persons.reset_index(), persons_path, {**meta, "table": "persons"})
    keys.attrs.pop(ATTRS_KEY, None)
