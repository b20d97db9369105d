"""Precision and recall of the presets on the real dev rulings, in register mode.

Register mode reads what a register holds: the qualification and the articles (no
context text). Intervals are Wilson score intervals (95%): with 70 rows and no false
positives a bootstrap interval of the precision collapses to [1, 1]. Run from the repository root:

    python examples/dev_rulings_register_mode.py
"""

from pathlib import Path

import pandas as pd

import pv_identify as pv
from pv_identify.evaluate.metrics import binary_metrics, wilson_interval

RULINGS = Path(__file__).parents[1] / "tests" / "data" / "rulings_dev.jsonl"
COLUMNS = {"qualification": "kwalificatie", "article": "articles"}

rulings = pd.read_json(RULINGS, lines=True, dtype=False)
gold = {
    "partner violence": rulings["relationship"].isin(["partner", "ex_partner"]),
    "domestic violence": rulings["relationship"] != "other",
}
flag = {"partner violence": "pv_partner_violence", "domestic violence": "pv_domestic_violence"}

print(f"{len(rulings)} offences; gold: {rulings['relationship'].value_counts().to_dict()}\n")
print(f"{'preset':<20}{'flag':<20}{'tp':>4}{'fp':>4}{'fn':>4}  precision [95% CI]"
      "      recall [95% CI]")
for preset in ("wodc2022", "wodc2022_substring", "default"):
    tagged = pv.tag(rulings, preset, columns=COLUMNS)
    for name, truth in gold.items():
        m = binary_metrics(truth, tagged[flag[name]], n_boot=0)
        tp, fp, fn = m["tp"], m["fp"], m["fn"]
        (p_low, r_low), (p_high, r_high) = wilson_interval([tp, tp], [tp + fp, tp + fn])
        print(f"{preset:<20}{name:<20}{tp:>4}{fp:>4}{fn:>4}  "
              f"{m['precision'].value:.2f} [{p_low:.2f}, {p_high:.2f}]      "
              f"{m['recall'].value:.2f} [{r_low:.2f}, {r_high:.2f}]")
