from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pv_identify.evaluate import build_report, write_report

pytest.importorskip("matplotlib")

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium); "
                "the browser rendering test cannot run here")


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and ("Uncaught" in line or "Error" in line
                                      or ":ERROR:" in line)]


def test_report_content(small):
    html = build_report(small, "default", compare_with="wodc2022", n_boot=100)
    for fig in ("fig-years", "fig-rules", "fig-confusion"):
        assert f'id="{fig}"' in html
    assert html.count("data:image/png;base64,") >= 3
    assert "http://" not in html and "https://" not in html  # self-contained
    assert "rule-set hash" in html and "no precision-recall or calibration" in html
    # no record contents unless asked
    assert "begaan tegen zijn partner" not in html


def test_report_without_gold_or_dates(small):
    df = small[["artikelkwalificatie"]]
    html = build_report(df, "wodc2022", gold=False, n_boot=50)
    assert "no registration or offence date" in html
    assert "No gold-label column" in html


def test_report_renders_in_chromium(sample, tmp_path):
    browser = _chromium()
    csv = tmp_path / "sample.csv"
    sample.to_csv(csv, index=False)
    report = write_report(tmp_path / "report.html", sample, "default", input_path=csv,
                          compare_with="wodc2022", n_boot=200)
    html = report.read_text(encoding="utf-8")
    assert "input SHA-256" in html

    # the console check must be able to fail: a page with a script error is caught
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    res = _run(browser, tmp_path / "p0", "--enable-logging=stderr", "--v=0", "--dump-dom",
               broken.as_uri())
    if res.returncode != 0 and not res.stdout:
        pytest.skip(f"Chromium cannot start here: {res.stderr[-300:]}")
    assert _console_errors(res.stderr), "console-error detection does not work"

    res = _run(browser, tmp_path / "p1", "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=5000", "--dump-dom", report.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    assert not _console_errors(res.stderr), _console_errors(res.stderr)
    loaded = re.search(r'data-figures-loaded="(\d+)"', res.stdout)
    total = re.search(r'data-figures-total="(\d+)"', res.stdout)
    assert loaded and total, "the report's load handler did not run"
    assert int(total.group(1)) >= 3
    assert loaded.group(1) == total.group(1), "some figures did not decode"
    for fig in ("fig-years", "fig-rules", "fig-confusion"):
        assert f'id="{fig}"' in res.stdout

    shot = tmp_path / "report.png"
    res = _run(browser, tmp_path / "p2", "--window-size=1200,2400",
               f"--screenshot={shot}", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, res.stderr[-2000:]


def test_report_with_model_score(small):
    import numpy as np

    import pv_identify as pv

    tagged = pv.tag(small, "default")
    gold = small["true_relationship"].isin(["partner", "ex_partner"]).to_numpy()
    tagged["pv_score"] = np.where(gold, 0.8, 0.2)
    html = build_report(tagged, "default", n_boot=50)
    assert 'id="fig-pr"' in html and 'id="fig-calibration"' in html
    assert "no model score" not in html
