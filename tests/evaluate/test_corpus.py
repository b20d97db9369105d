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
    SHARD_BYTES,
    SPLITS,
    CorpusError,
    append_items,
    assign_splits,
    corpus_bytes,
    corpus_files,
    load_corpus,
    load_qualification_labels,
    qualification_file,
    source_key,
)
from pv_identify.evaluate.corpus_stats import main as stats_main
from pv_identify.evaluate.textcorpus import _has_qualification, _named_mask

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_texts"
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


def test_no_reserved_source_in_the_natural_set():
    is_reserved = _reserved_checker()
    natural = load_corpus(CORPUS.parent / "natural_texts.jsonl", minimal=True)
    hits = [(item["id"], field) for item in natural for field in ("source", "url")
            if item[field] and is_reserved(item[field])]
    assert len(natural) == 142 and not hits, hits


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


def test_the_corpus_is_a_folder_of_small_numbered_shards():
    shards = corpus_files(CORPUS)
    assert [p.name for p in shards] == [f"part-{n:02d}.jsonl" for n in range(1, len(shards) + 1)]
    # every file of the repository stays under 5 MB; a shard is full at SHARD_BYTES
    assert all(p.stat().st_size <= SHARD_BYTES + 20_000 for p in shards)
    assert all(p.read_bytes().endswith(b"\n") for p in shards)
    assert corpus_bytes(CORPUS) == b"".join(p.read_bytes() for p in shards)


def test_problems_across_shards_name_the_shard_and_line(tmp_path, items):
    folder = tmp_path / "corpus"
    folder.mkdir()
    a, b, c = dict(items[0]), dict(items[0]), dict(items[1])
    b["split"] = next(s for s in SPLITS if s != a["split"])  # same id, same source
    (folder / "part-01.jsonl").write_text(json.dumps(a) + "\n", encoding="utf-8")
    (folder / "part-02.jsonl").write_text(json.dumps(c) + "\n" + json.dumps(b) + "\n",
                                          encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    message = str(info.value)
    assert f"part-02.jsonl:2: id {a['id']!r} already used at " in message
    assert "part-01.jsonl:1" in message
    assert "part-02.jsonl:2: source is in split" in message


def test_a_folder_without_shards_and_the_old_file_name_are_named(tmp_path):
    (tmp_path / "real_texts").mkdir()
    with pytest.raises(CorpusError, match=r"must hold part-\*\.jsonl shards"):
        load_corpus(tmp_path / "real_texts")
    with pytest.raises(CorpusError, match=r"the corpus is now a folder of shards: pass "):
        load_corpus(tmp_path / "real_texts.jsonl")
    with pytest.raises(CorpusError, match=r"no such corpus file or folder"):
        load_corpus(tmp_path / "absent")


def test_append_items_fills_the_last_shard_then_opens_the_next(tmp_path, items):
    folder = tmp_path / "corpus"
    folder.mkdir()
    first = folder / "part-01.jsonl"
    first.write_text(json.dumps(items[0], ensure_ascii=False) + "\n", encoding="utf-8")
    size = first.stat().st_size
    new = [{**item, "id": f"new-{n}"} for n, item in enumerate(items[1:4])]
    written = append_items(folder, new, shard_bytes=size + 10)
    # part-01 was full; each new shard takes one item even past the limit, so each next
    # item opens a shard
    assert [p.name for p in written] == ["part-02.jsonl", "part-03.jsonl", "part-04.jsonl"]
    assert first.stat().st_size == size
    assert [p.name for p in corpus_files(folder)] == [
        "part-01.jsonl", "part-02.jsonl", "part-03.jsonl", "part-04.jsonl"]
    assert [i["id"] for i in load_corpus(folder)] == [items[0]["id"], "new-0", "new-1", "new-2"]
    more = append_items(folder, [{**items[4], "id": "new-3"}])  # default size: room left
    assert [p.name for p in more] == ["part-04.jsonl"]
    line = (folder / "part-04.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert '","' in line and '", "' not in line  # compact, as the corpus is stored


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
