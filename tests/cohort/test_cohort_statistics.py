"""Point 4: survival tests, Cohen's h, t-tests, Cox/LASSO and the study outputs."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lifelines.statistics import logrank_test

from pv_identify import cohort
from pv_identify.cli import cohort as cli_cohort
from pv_identify.cohort.recidivism import Recidivism


def parse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser()
    cli_cohort.register(parser.add_subparsers())
    return parser.parse_args(argv)

# A: 1(e) 2(e) 3(e) 4(c); B: 2(e) 3(c) 5(e) 6(e)
TA, EA = [1, 2, 3, 4], [1, 1, 1, 0]
TB, EB = [2, 3, 5, 6], [1, 0, 1, 1]


def test_logrank_by_hand() -> None:
    # event times 1, 2, 3 (A at risk 4, 3, 2 of 8, 7, 5; deaths 1, 2, 1; A deaths 1, 1, 1)
    expected_a = 4 / 8 * 1 + 3 / 7 * 2 + 2 / 5 * 1
    var = (4 * 4 * 1 * 7) / (64 * 7) + (3 * 4 * 2 * 5) / (49 * 6) + (2 * 3 * 1 * 4) / (25 * 4)
    chi2 = (3 - expected_a) ** 2 / var  # times 5 and 6: A has nobody at risk
    got = cohort.compare_curves(TA, EA, TB, EB)
    assert got["logrank_chi2"] == pytest.approx(chi2)
    assert got["logrank_p"] == pytest.approx(math.erfc(math.sqrt(chi2 / 2)))


def test_breslow_by_hand() -> None:
    # Gehan-Breslow: weight n_j (all at risk) on each event time's O - E and n_j^2 on V
    o_e = 8 * (1 - 4 / 8) + 7 * (1 - 6 / 7) + 5 * (1 - 2 / 5)
    v = 64 * 0.25 + 49 * (120 / 294) + 25 * 0.24
    got = cohort.compare_curves(TA, EA, TB, EB)
    assert got["breslow_chi2"] == pytest.approx(o_e**2 / v)


def test_tests_match_lifelines_with_weights() -> None:
    wb = [0.5, 0.5, 1.0, 1.0]
    got = cohort.compare_curves(TA, EA, TB, EB, weights_b=wb)
    for name, weighting in (("breslow", "wilcoxon"), ("tarone_ware", "tarone-ware"),
                            ("logrank", None)):
        ref = logrank_test(TA, TB, EA, EB, weights_A=[1.0] * 4, weights_B=wb,
                           weightings=weighting)
        assert got[f"{name}_chi2"] == pytest.approx(ref.test_statistic)
        assert got[f"{name}_p"] == pytest.approx(ref.p_value)


def test_cohens_h_report_figures() -> None:
    # Figure 3.1a, 3 years: 7.4% vs 9.0% -> h = -0.06 (seed line 5233)
    h = cohort.cohens_h(0.074, 0.090)
    assert h == pytest.approx(2 * math.asin(math.sqrt(0.074)) - 2 * math.asin(math.sqrt(0.09)))
    assert round(h, 2) == -0.06
    assert round(cohort.cohens_h(0.110, 0.159), 2) == -0.14  # Figure 3.1b, line 5245


def rec(times, events, weights=None) -> Recidivism:
    p = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(times))],
                      "followup_days": 1200.0})
    for m in cohort.MEASURES:
        p[f"{m}_days"] = np.asarray(times, float)
        p[f"{m}_event"] = np.asarray(events, bool)
    if weights is not None:
        p["weight"] = weights
    return Recidivism(p, pd.DataFrame())


def test_tests_table_per_horizon() -> None:
    config = cohort.CohortConfig(horizons_years=(1, 3), year_days=2.0)  # 1 "year" = 2 days
    table = cohort.tests_table(rec(TA, EA), rec(TB, EB), config)
    assert len(table) == 6  # 3 measures x 2 horizons
    row = table.set_index(["measure", "years"]).loc[("general", 3)]
    # 3 "years" = 6 days: the whole curves
    assert row["logrank_chi2"] == pytest.approx(logrank_test(TA, TB, EA, EB).test_statistic)
    # KM at 6 days: A 1 - (3/4)(2/3)(1/2) = 0.75 ... with the censoring at 4 -> 0.75
    assert row["prevalence_treated"] == pytest.approx(1 - 0.75 * (2 / 3) * 0.5)
    assert row["cohens_h"] == pytest.approx(cohort.cohens_h(row["prevalence_treated"],
                                                            row["prevalence_control"]))
    one = table.set_index(["measure", "years"]).loc[("general", 1)]
    ref = logrank_test(TA, TB, EA, EB, t_0=2.0)  # censored at 1 "year"
    assert one["logrank_chi2"] == pytest.approx(ref.test_statistic)


def test_weighted_t_test_in_balance() -> None:
    t = pd.DataFrame({"person_id": ["a", "b", "c"], "age": [30.0, 40.0, 50.0]})
    c = pd.DataFrame({"person_id": ["d", "e", "f", "g"], "age": [20.0, 30.0, 30.0, 40.0]})
    b = cohort.balance_table(t, c, ["age"]).iloc[0]
    # pooled variance: ((3-1)*100 + (4-1)*200/3) / 5 = 80; t = (40-30)/sqrt(80*(1/3+1/4))
    assert b["t"] == pytest.approx(10 / math.sqrt(80 * (1 / 3 + 1 / 4)))
    from scipy.stats import ttest_ind
    assert b["p"] == pytest.approx(ttest_ind(t["age"], c["age"]).pvalue)


def test_chi_square_by_level() -> None:
    r = rec([100, 200, 300, 1000, 50, 1000], [1, 1, 0, 0, 1, 0])
    r.persons["followup_days"] = 1000.0
    groups = pd.Series(["x", "x", "x", "y", "y", "y"], index=r.persons["person_id"])
    out = cohort.chi_square_by(r, groups, "general", years=2, config=cohort.CohortConfig(
        year_days=365.25))
    # 730.5 days: x events 2 (of 3 known), y events 1 (of 3): 2x2 table [[2,1],[1,2]]
    from scipy.stats import chi2_contingency
    chi2 = chi2_contingency([[2, 1], [1, 2]], correction=False)[0]
    assert out["chi2"].iloc[0] == pytest.approx(chi2)
    assert out.set_index("level").loc["x", "events"] == 2


def test_lasso_cox_selects_the_real_predictor() -> None:
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    noise = rng.normal(size=(n, 3))
    t = rng.exponential(1 / np.exp(0.9 * x))
    data = pd.DataFrame({"x": x, "n1": noise[:, 0], "n2": noise[:, 1], "n3": noise[:, 2],
                         "T": t, "E": True})
    res = cohort.lasso_cox(data, "T", "E", ["x", "n1", "n2", "n3"], max_predictors=1)
    assert res.selected == ["x"]
    assert res.table.loc["x", "hazard_ratio"] == pytest.approx(math.exp(0.9), rel=0.2)
    full = cohort.cox_regression(data, "T", "E", ["x"])
    assert full.loc["x", "hazard_ratio"] == pytest.approx(res.table.loc["x", "hazard_ratio"])


def small_study(make_extract, tmp_path: Path) -> tuple[Path, Path]:
    rows = []
    for i in range(12):
        p = f"P{i:02d}"
        rows.append({"jds_nummer": p, "parketnummer": f"{p}a", "pv": True,
                     "inschrijvingsdatum": f"2015-{1 + i % 12:02d}-01",
                     "afdoeningsdatum": f"2015-{1 + i % 12:02d}-20",
                     "afdoening": "werkstraf" if i % 2 else "voorwaardelijk beleidssepot",
                     "geboortedatum": f"{1970 + i}-01-01"})
        if i % 3 == 0:
            rows.append({"jds_nummer": p, "parketnummer": f"{p}b", "wetsartikel": "310 Sr",
                         "inschrijvingsdatum": "2016-06-01", "pleegdatum": "2016-05-01"})
    src = tmp_path / "tagged.csv"
    make_extract(rows).to_csv(src, index=False)
    treated = tmp_path / "treated.csv"
    pd.DataFrame({"person_id": ["P00", "P01", "P02"], "case_id": ["P00a", "P01a", "P02a"],
                  "start_date": ["2015-06-01"] * 3}).to_csv(treated, index=False)
    return src, treated


def test_cli_writes_study_outputs(make_extract, tmp_path: Path) -> None:
    src, treated = small_study(make_extract, tmp_path)
    out = tmp_path / "out"
    args = parse(["cohort", str(src), "--treated", str(treated), "--out-dir", str(out)])
    assert args.func(args) == 0
    for name in ("attrition.csv", "covariates.csv", "recidivism.csv", "balance.csv",
                 "tests.csv", "curves.png", "summary.html", "matched.csv"):
        assert (out / name).is_file(), name
    tests = pd.read_csv(out / "tests.csv")
    assert len(tests) == 9 and {"breslow_p", "tarone_ware_p", "logrank_p", "cohens_h"} <= set(
        tests.columns)
    bal = pd.read_csv(out / "balance.csv")
    assert {"t_before", "p_before", "std_diff_after", "var_ratio_after"} <= set(bal.columns)
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "<script" not in page
    assert "src='http" not in page and 'src="http' not in page  # self-contained
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_detention_periods(make_extract, tmp_path: Path) -> None:
    src, _ = small_study(make_extract, tmp_path)
    det = tmp_path / "det.csv"
    pd.DataFrame({"person_id": ["P03"], "detention_start": ["2015-04-01"],
                  "detention_end": ["2015-04-10"]}).to_csv(det, index=False)
    args = parse(["cohort", str(src), "--detention", str(det), "--out-dir", str(tmp_path / "d")])
    assert args.func(args) == 0
    p = pd.read_csv(tmp_path / "d" / "recidivism_persons.csv", dtype={"person_id": str})
    p = p.set_index("person_id")
    assert p.loc["P03", "detention_source"] == "periods"
    assert p.loc["P03", "detention_days"] == 10  # 1-10 April, end inclusive


def test_cli_without_treated_writes_headers(make_extract, tmp_path: Path) -> None:
    src, _ = small_study(make_extract, tmp_path)
    args = parse(["cohort", str(src), "--out-dir", str(tmp_path / "o")])
    assert args.func(args) == 0
    assert pd.read_csv(tmp_path / "o" / "tests.csv").empty
    assert "logrank_p" in pd.read_csv(tmp_path / "o" / "tests.csv").columns


def test_summary_renders_in_headless_chromium(make_extract, tmp_path: Path) -> None:
    exe = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                            shutil.which("chromium-browser") or "") if p and Path(p).exists()),
               None)
    if exe is None:
        pytest.skip("chromium not installed (/usr/bin/chromium): HTML render check skipped")
    src, treated = small_study(make_extract, tmp_path)
    out = tmp_path / "out"
    args = parse(["cohort", str(src), "--treated", str(treated), "--out-dir", str(out)])
    args.func(args)
    shot = tmp_path / "shot.png"
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", f"--screenshot={shot}",
                    "--window-size=1200,2000", (out / "summary.html").resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000
