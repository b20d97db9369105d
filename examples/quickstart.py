"""Tag the bundled sample extract with both presets and compare them with the truth.

Run from the repository root:  python examples/quickstart.py
"""

from pathlib import Path

import pandas as pd

import pv_identify as pv

SAMPLE = Path(__file__).with_name("sample_extract.csv")

extract = pv.read_extract(SAMPLE)
print(f"{len(extract):,} offences, {extract['parketnummer'].nunique():,} cases, "
      f"{extract['jds_nummer'].nunique():,} persons\n")

for preset in ("wodc2022", "default"):
    tagged = pv.tag(extract, preset)
    meta = tagged.attrs["pv_identify"]["ruleset"]
    print(f"== {preset} {meta['version']} (hash {meta['hash']})")
    # the synthetic sample carries the true relationship, so we can see what is missed
    print(pd.crosstab(tagged["true_relationship"], tagged["pv_label"], margins=True), "\n")

persons = pv.rollup_persons(tagged)
print(f"persons with a partner-violence case: {persons['n_partner_violence_cases'].gt(0).sum()}")
first = tagged.loc[tagged["pv_partner_violence"]].index[0]
print(tagged.pv.explain(first))
