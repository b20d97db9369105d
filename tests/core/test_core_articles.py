import pytest
from hypothesis import given
from hypothesis import strategies as st

from pv_identify.normalize.articles import ArticleRef, parse_articles

CASES = [
    ("300 lid 1 Sr", ["Sr:300.1"]),
    ("art. 300.1 jo 304.1 Sr", ["Sr:300.1", "Sr:304.1"]),
    ("45 jo. 302.1 jo. 304.1.1 Sr", ["Sr:45", "Sr:302.1", "Sr:304.1.1"]),
    ("304, aanhef en onder 1°, Sr", ["Sr:304.1"]),
    ("304 sub 1", ["Sr:304.1"]),
    ("SR 304 1", ["Sr:304.1"]),
    ("Artt. 255, 300 en 304 Sr", ["Sr:255", "Sr:300", "Sr:304"]),
    ("285b", ["Sr:285b"]),
    ("(285b Sr – belaging)", ["Sr:285b"]),
    ("300 jo 304 Sr", ["Sr:300", "Sr:304"]),
    ("245/247 Sr (not stated)", ["Sr:245", "Sr:247"]),
    ("289 Sr (inhoudsindicatie: Art. 289 Sr)", ["Sr:289"]),
    ("art. 350 Sr (klachtvereiste art. 316 jo 353 Sr)", ["Sr:350", "Sr:316", "Sr:353"]),
    ("art. 8 lid 1 WVW 1994", ["WVW1994:8.1"]),
    ("3 onder B Opiumwet", ["Opiumwet:3.b"]),
    ("304 onder 1e Sr", ["Sr:304.1"]),
    ("304 aanhef en onder 2° Sr", ["Sr:304.2"]),
    ("art. 285 lid 1 Wetboek van Strafrecht", ["Sr:285.1"]),
    ("art 300 lid 1 jo art 304 aanhef en onder 1 Sr", ["Sr:300.1", "Sr:304.1"]),
    ("Sr 300 lid 1, 304 sub 1", ["Sr:300.1", "Sr:304.1"]),
    ("261 Sr, meermalen gepleegd", ["Sr:261"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_notations(text, expected):
    assert [str(r) for r in parse_articles(text)] == expected


def test_every_notation_in_the_dev_rulings_parses(rulings):
    for text in rulings["articles"]:
        if text:
            refs = parse_articles(text)
            assert refs, text
            assert all(r.law == "Sr" and r.path[0][0].isdigit() for r in refs), text


def test_bare_304_is_not_sub_1():
    rule = ArticleRef.parse("304 sub 1 Sr")
    assert not rule.covers(ArticleRef.parse("304 Sr"))
    assert not rule.covers(ArticleRef.parse("304 sub 2 Sr"))
    assert rule.covers(ArticleRef.parse("304.1.1 Sr"))
    assert rule.covers(ArticleRef.parse("SR 304 1"))
    assert not rule.covers(ArticleRef.parse("304 lid 1 WVW"))


def test_parse_one_rejects_zero_or_many():
    with pytest.raises(ValueError, match="exactly one"):
        ArticleRef.parse("300 jo 304 Sr")
    with pytest.raises(ValueError, match="exactly one"):
        ArticleRef.parse("meermalen gepleegd")


@given(st.text())
def test_parser_never_fails(text):
    for ref in parse_articles(text):
        assert ref.path and all(ref.path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 16, point 11: ordinal notations of the first subdivision
        ("art. 304, eerste lid, Sr", ["Sr:304.1"]),
        ("304 1e Sr", ["Sr:304.1"]),
        ("304, 1°, Sr", ["Sr:304.1"]),
        ("300, tweede lid, jo 304, 1°, Sr", ["Sr:300.2", "Sr:304.1"]),
        ("300 1e lid Sr", ["Sr:300.1"]),
        ("304 2de Sr", ["Sr:304.2"]),
        # article numbers with a letter stay articles
        ("36e Sr", ["Sr:36e"]),
        ("Artt. 300, 36e Sr", ["Sr:300", "Sr:36e"]),
    ],
)
def test_ordinal_subdivisions(text, expected):
    assert [str(r) for r in parse_articles(text)] == expected
    if "304" in text and expected[-1] == "Sr:304.1":
        assert ArticleRef.parse("304 sub 1 Sr").covers(parse_articles(text)[-1])
