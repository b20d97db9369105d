import json

import pandas as pd
import pytest

from pv_identify.cli import main


def _fill(sheet, out):
    filled = pd.read_excel(sheet, sheet_name="annotate", dtype=str).fillna("")
    filled["gold_relationship"] = filled["true_relationship"]
    filled.to_excel(out, sheet_name="annotate", index=False)
    return filled


def test_sample_estimate_train_loop(tagged_csv, tmp_path, capsys):
    sheet = tmp_path / "sheet.xlsx"
    assert main(["sample", str(tagged_csv), "-n", "250", "-o", str(sheet), "--seed", "1"]) == 0
    design = json.loads((tmp_path / "sheet.xlsx.design.json").read_text())
    assert design["design"] == "stratified" and design["allocation"] == "neyman"
    assert design["strata_by"] == ["signal", "band"] and design["sample_size"] == 250
    filled = tmp_path / "filled.xlsx"
    _fill(sheet, filled)
    out_json = tmp_path / "est.json"
    plot = tmp_path / "est.png"
    rc = main(["estimate", str(tagged_csv), "--sheet", str(filled), "--design",
               str(tmp_path / "sheet.xlsx.design.json"), "--json", str(out_json),
               "--plot", str(plot)])
    assert rc == 0 and plot.stat().st_size > 10_000
    printed = capsys.readouterr().out
    assert "partner viol." in printed and "recall" in printed
    res = json.loads(out_json.read_text())
    for key in ("partner_violence", "ex_partner", "domestic_violence"):
        assert {"estimate", "low", "high"} <= set(res[key]["total"])
        assert {"estimate", "low", "high"} <= set(res[key]["share"])
    for key in ("rules", "model", "combined"):
        assert {"estimate", "low", "high"} <= set(res[key]["precision"])
        assert {"estimate", "low", "high"} <= set(res[key]["recall"])
    assert "2015" in res["by_year"]
    model = tmp_path / "m.pvmodel"
    rc = main(["train", str(tagged_csv), "--sheet", str(filled), "-o", str(model),
               "--test-size", "0", "--n-boot", "10"])
    assert rc == 0 and model.is_file()
    assert "inverse inclusion probability" in capsys.readouterr().out


def test_estimate_errors_are_clear(tagged_csv, tmp_path, capsys):
    sheet = tmp_path / "s.csv"
    assert main(["sample", str(tagged_csv), "-n", "120", "-o", str(sheet),
                 "--strata", "signal", "--allocation", "proportional"]) == 0
    capsys.readouterr()
    assert main(["estimate", str(tagged_csv), "--sheet", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert "120 of 120 row(s) have no gold_relationship: sheet rows 2, 3, 4" in err
    active = tmp_path / "a.xlsx"
    assert main(["sample", str(tagged_csv), "-n", "30", "-o", str(active), "--design",
                 "active"]) == 0
    capsys.readouterr()
    data = pd.read_excel(active, sheet_name="annotate", dtype=str).fillna("")
    data["gold_relationship"] = "none"
    data.to_excel(active, sheet_name="annotate", index=False)
    assert main(["estimate", str(tagged_csv), "--sheet", str(active)]) == 2
    assert "no inclusion probabilities" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["-n", "10"], ["--strata", "colour"]])
def test_sample_rejects_impossible_requests(tagged_csv, tmp_path, capsys, args):
    assert main(["sample", str(tagged_csv), "-o", str(tmp_path / "x.xlsx"), *args]) == 2
    assert "pv-identify: error:" in capsys.readouterr().err


def test_estimate_json_into_a_folder_is_an_error_not_a_traceback(tagged_csv, tmp_path, capsys):
    sheet = tmp_path / "s.xlsx"
    assert main(["sample", str(tagged_csv), "-n", "120", "-o", str(sheet), "--seed", "2"]) == 0
    filled = tmp_path / "filled.xlsx"
    _fill(sheet, filled)
    folder = tmp_path / "results"
    folder.mkdir()
    capsys.readouterr()
    rc = main(["estimate", str(tagged_csv), "--sheet", str(filled), "--design",
               str(tmp_path / "s.xlsx.design.json"), "--json", str(folder)])
    assert rc != 0
    err = capsys.readouterr().err
    assert f"{folder}: is a folder" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []
