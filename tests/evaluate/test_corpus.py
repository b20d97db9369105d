"""The real-text corpus: it validates, no reserved source, no source in two splits.

These tests look only at the corpus's structure and sources, never at figures.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from pv_identify.evaluate.corpus import (
    CLASSES,
    SPLITS,
    CorpusError,
    assign_splits,
    load_corpus,
    load_qualification_labels,
    qualification_file,
    source_key,
)
from pv_identify.evaluate.corpus_stats import main as stats_main
from pv_identify.evaluate.textcorpus import _has_qualification, _named_mask

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_texts.jsonl"
#: ../shared/tools beside the repository (override with PV_IDENTIFY_SHARED_TOOLS).
SHARED_TOOLS = Path(os.environ.get("PV_IDENTIFY_SHARED_TOOLS")
                    or Path(__file__).parents[2].parent / "shared" / "tools")


@pytest.fixture(scope="module")
def items():
    return load_corpus(CORPUS)


def _reserved_checker():
    script = SHARED_TOOLS / "reserved_sources.py"
    if not script.is_file():
        pytest.skip(f"{script} is absent: the reserved-source check needs ../shared/tools "
                    "beside the repository (or PV_IDENTIFY_SHARED_TOOLS)")
    spec = importlib.util.spec_from_file_location("reserved_sources", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.is_reserved


def test_no_reserved_source_or_url(items):
    is_reserved = _reserved_checker()
    hits = [(item["id"], field) for item in items for field in ("source", "url")
            if item[field] and is_reserved(item[field])]
    assert not hits, f"reserved sources in the corpus (id, field): {hits}"


def test_corpus_validates(items):
    assert len(items) >= 500
    assert {i["relationship"] for i in items} == set(CLASSES)
    assert {i["split"] for i in items} == set(SPLITS)
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["context"].strip() and item["note"].strip(), item["id"]


def test_every_qualification_is_labelled(items):
    # register-mode evaluation refuses a corpus item whose qualification the label file
    # does not label: a new batch with a qualification must add its line
    # (the check register mode makes, on the items it reads; it raises naming the ids)
    labels = load_qualification_labels(qualification_file(CORPUS))
    named = _named_mask([item for item in items if _has_qualification(item)], labels)
    assert named is not None


def test_no_source_in_two_splits(items):
    splits = defaultdict(set)
    for item in items:
        splits[source_key(item["source"])].add(item["split"])
    assert not {k: s for k, s in splits.items() if len(s) > 1}


def test_splits_follow_assign_splits_shares(items):
    counts = {s: sum(i["split"] == s for i in items) for s in SPLITS}
    assert counts["train"] > counts["dev"] and counts["train"] > counts["test"]
    # the splits are fixed: assigning again with them as fixed moves nothing
    fixed = {source_key(i["source"]): i["split"] for i in items}
    assert assign_splits(items, fixed=fixed) == [i["split"] for i in items]


def test_load_corpus_rejects_a_source_in_two_splits(tmp_path, items):
    a, b = dict(items[0]), dict(items[0])
    b["id"] = a["id"] + "-copy"
    b["split"] = next(s for s in SPLITS if s != a["split"])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(a) + "\n" + json.dumps(b) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: source is in split"):
        load_corpus(path)


def test_corpus_stats_prints_markdown_tables(capsys, items):
    assert stats_main([str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(items)} items from ")
    assert "| label | train | dev | test | total |" in out
    total = next(line for line in out.splitlines() if line.startswith("| total |"))
    assert f"| {len(items)} |" in total


@pytest.mark.parametrize("source, key", [
    # a deeplink's percent-encoded ECLI is the ECLI (before: every deeplink was one key)
    ("https://deeplink.rechtspraak.nl/uitspraak?id=ECLI%3ANL%3ARBAMS%3A2020%3A123",
     "ECLI:NL:RBAMS:2020:123"),
    ("https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:HR:2021:933",
     "ECLI:NL:HR:2021:933"),
    # a parameter that selects the page stays: two posts of one site are two sources
    ("https://alexnieuws.org/?p=948", "alexnieuws.org?p=948"),
    ("https://www.vrouwenrecht.nl/?p=8689", "vrouwenrecht.nl?p=8689"),
    # tracking, display and empty parameters, scheme, www, fragment and slash go
    ("http://www.nu.nl/binnenland/1/x.html?redirect=1", "nu.nl/binnenland/1/x.html"),
    ("https://x.nl/a/?utm_source=fb&id=5&query=#top", "x.nl/a?id=5"),
    ("https://x.nl/a?pk_campaign=rss&b=2&a=1", "x.nl/a?a=1&b=2"),
    # a query without '=' is a path
    ("http://www.omroepbrabant.nl/?news/27/Levenslang.aspx",
     "omroepbrabant.nl?news/27/levenslang.aspx"),
])
def test_source_key(source, key):
    assert source_key(source) == key


def test_source_key_tells_two_posts_of_one_site_apart():
    assert source_key("https://alexnieuws.org/?p=948") != source_key("https://alexnieuws.org/?p=950")
    assert source_key("https://a.nl/x?redirect=1") == source_key("https://a.nl/x")
