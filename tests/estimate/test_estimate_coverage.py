"""CI version of bench/bench_estimate_coverage.py: fewer repetitions, smaller extracts."""

from pv_identify.estimate.simulation import coverage_study, summarise


def test_intervals_cover_the_true_total_and_beat_simple_random_sampling():
    study = coverage_study(reps=30, n=300, n_rows=10_000, extracts=3, seed=0)
    table = summarise(study)
    pv = table.loc["partner_violence total"]
    assert pv["coverage_stratified"] >= 0.85
    assert pv["width_stratified"] < 0.7 * pv["width_srs"]
    # every quantity is covered most of the time and the estimates are unbiased-ish
    assert (table["coverage_stratified"] >= 0.8).all()
    total = study[(study["quantity"] == "partner_violence total")
                  & (study["design"] == "stratified")]
    rel_bias = ((total["estimate"] - total["truth"]) / total["truth"]).mean()
    assert abs(rel_bias) < 0.05
