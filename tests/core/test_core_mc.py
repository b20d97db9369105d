from pv_identify.normalize.mc import normalize_mc_name, split_mc


def test_names_compare_case_and_punctuation_insensitively():
    assert normalize_mc_name("Huiselijk Geweld - Partnermishandeling") == (
        "huiselijk geweld partnermishandeling")
    assert normalize_mc_name("huiselijk_geweld") == "huiselijk geweld"


def test_split_delimited_cell_dedupes_and_drops_empty_parts():
    assert split_mc("Huiselijk geweld; Mishandeling;; huiselijk geweld") == (
        "huiselijk geweld", "mishandeling")
    assert split_mc("") == ()


def test_codes_are_translated():
    codes = {"hg01": "huiselijk geweld partnermishandeling"}
    assert split_mc("HG01|x", codes=codes) == ("huiselijk geweld partnermishandeling", "x")
