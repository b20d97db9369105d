"""The presets reproduce the published rules on hand-written cases for every term and MC."""

import pandas as pd
import pytest

import pv_identify as pv

PV_TERMS = ["echtgenoot", "echtgenote", "levensgezel", "levensgezellin", "partner"]
HG_MCS = ["huiselijk geweld", "huiselijk geweld partnermishandeling",
          "huiselijk geweld kindermishandeling", "huiselijk geweld oudermishandeling",
          "huiselijk geweld overig"]
ART_304_1 = ["300 jo 304 sub 1 Sr", "art. 300.1 jo 304.1 Sr", "304, aanhef en onder 1°, Sr",
             "SR 304 1", "45 jo. 302.1 jo. 304.1.1 Sr", "304 aanhef en onder 1 Sr"]
NOT_304_1 = ["300 jo 304 Sr", "304 sub 2 Sr", "300 lid 1 Sr", "Artt. 255, 300 en 304 Sr",
             "285b", "304.2"]


def one(rules, **fields):
    columns = {"qualification": "artikelkwalificatie", "mc": "maatschappelijke_classificatie",
               "article": "wetsartikel"}
    frame = pd.DataFrame({columns[k]: [v] for k, v in fields.items()})
    return pv.tag(frame, rules).iloc[0]


@pytest.mark.parametrize("preset", ["wodc2022", "default"])
@pytest.mark.parametrize("term", PV_TERMS)
def test_each_partner_term_flags_partner_violence(preset, term):
    texts = (f"mishandeling, begaan tegen zijn {term}", f"Mishandeling tegen zijn {term.upper()}")
    for text in texts:
        row = one(preset, qualification=text)
        assert row.pv_partner_violence and row.pv_domestic_violence
        assert row.pv_label == "partner"
        # the default grammar reads the possessive with the word (one phrase, both modes)
        phrase = f"zijn {term}" if preset == "default" else term
        assert f'qualification="{phrase}"' in row.pv_evidence


@pytest.mark.parametrize("preset", ["wodc2022", "default"])
@pytest.mark.parametrize("mc", HG_MCS)
def test_each_hg_mc_flags_domestic_violence_and_only_partner_mc_flags_pv(preset, mc):
    row = one(preset, mc=mc.title())
    assert row.pv_domestic_violence
    assert bool(row.pv_partner_violence) == (mc == "huiselijk geweld partnermishandeling")
    assert row.pv_source == "rule"


@pytest.mark.parametrize("preset", ["wodc2022", "default"])
@pytest.mark.parametrize("article", ART_304_1)
def test_304_sub_1_notations_flag_domestic_not_partner(preset, article):
    row = one(preset, article=article, qualification="mishandeling")
    assert row.pv_label == "domestic_unspecified"
    assert row.pv_domestic_violence and not row.pv_partner_violence


@pytest.mark.parametrize("preset", ["wodc2022", "default"])
@pytest.mark.parametrize("article", NOT_304_1)
def test_other_article_notations_flag_nothing(preset, article):
    row = one(preset, article=article, qualification="mishandeling")
    assert row.pv_label == "none" and row.pv_source == "none"


@pytest.mark.parametrize(("text", "label"), [
    ("mishandeling, begaan tegen zijn kind", "child"),
    ("mishandeling, begaan tegen haar kind, meermalen gepleegd", "child"),
    ("mishandeling, begaan tegen zijn moeder", "parent"),
    ("mishandeling, begaan tegen zijn vader", "parent"),
])
def test_wodc_family_terms(text, label):
    row = one("wodc2022", qualification=text)
    assert row.pv_label == label and row.pv_domestic_violence and not row.pv_partner_violence


def test_non_domestic_mc_and_text_flag_nothing():
    row = one("wodc2022", mc="Mishandeling", qualification="bedreiging met enig misdrijf "
              "tegen het leven gericht", article="285 Sr")
    assert row.pv_label == "none" and not row.pv_domestic_violence


def test_partner_label_outranks_family_so_flags_equal_any_criterion():
    row = one("wodc2022", mc="huiselijk geweld partnermishandeling",
              qualification="mishandeling, begaan tegen zijn kind")
    assert row.pv_label == "partner" and row.pv_partner_violence
    assert row.pv_rule_ids.split("|") == ["wodc.mc.partner", "wodc.qual.child"]


def test_wodc_whole_words_versus_substring_variant():
    text = "het vermoorden van zijn zakenpartner"
    assert one("wodc2022", qualification=text).pv_label == "none"
    assert one("wodc2022_substring", qualification=text).pv_label == "partner"
    # the word 'partner' inside a hyphenated compound still counts for wodc2022
    assert one("wodc2022", qualification="mishandeling van zijn ex-partner").pv_label == "partner"


def test_wodc_has_no_ex_partner_label():
    labels = {r.label for r in pv.load_rules("wodc2022").rules}
    assert "ex_partner" not in labels


@pytest.mark.parametrize(("text", "label"), [
    ("mishandeling van zijn ex-vriendin", "ex_partner"),
    ("bedreiging van zijn ex vriendin", "ex_partner"),
    ("belaging van zijn expartner", "ex_partner"),
    ("mishandeling van zijn ex partner", "ex_partner"),
    ("mishandeling van zijn voormalige partner", "ex_partner"),
    ("bedreiging van zijn ex-vriendin en diens vader", "ex_partner"),
    ("doodslag op zijn ex-schoonvader", "other_family"),
    ("zware mishandeling babydochter", "child"),
    ("mishandeling van zijn stiefzoon", "child"),
    ("mishandeling, begaan tegen zijn broer", "other_family"),
    ("doodslag op huisgenoot", "other_family"),
    ("mishandeling van zijn vriendin", "partner"),
    ("mishandeling van een vriendin", "none"),
    ("oplichting van zijn zakelijke partner", "none"),
    ("Mish. tgn zijn levensgez.", "partner"),
    ("ontucht met ex art. 36f Sr", "none"),
])
def test_default_extensions(text, label):
    assert one("default", qualification=text).pv_label == label


def test_default_official_exclusion_vetoes_304_sub_1():
    text = ("mishandeling, terwijl het misdrijf wordt gepleegd tegen een ambtenaar gedurende "
            "en ter zake van de rechtmatige uitoefening van zijn bediening")
    wodc = one("wodc2022", qualification=text, article="300 jo 304 sub 1 Sr")
    default = one("default", qualification=text, article="300 jo 304 sub 1 Sr")
    assert wodc.pv_label == "domestic_unspecified"
    assert default.pv_label == "none" and default.pv_source == "rule"
    assert "wodc.art.304_1" not in default.pv_rule_ids
    assert "default.excl.official" in default.pv_rule_ids


def test_disable_group_per_call():
    frame = pd.DataFrame({"artikelkwalificatie": ["mishandeling van zijn vriendin"]})
    assert pv.tag(frame)["pv_label"].iloc[0] == "partner"
    assert pv.tag(frame, disable=["qualification.friend"])["pv_label"].iloc[0] == "none"
