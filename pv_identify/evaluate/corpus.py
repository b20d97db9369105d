"""The labelled real-text corpus: load and validate it, and split it by source.

``tests/data/real_texts/`` holds one offence or incident per line, from public Dutch
court texts (see ``docs/corpus.md``), in JSON Lines *shards* read in name order
(``part-01.jsonl``, ``part-02.jsonl``, ...), so that no file of the repository grows past
a few megabytes; the shards concatenated are the corpus, byte for byte
(:func:`corpus_bytes`, whose hash the models record). A corpus may also be one JSON
Lines file. :func:`load_corpus` reads and validates a corpus (every error with its file
and line); :func:`append_items` adds items to the last shard, opening a new shard when
that one is full; :func:`assign_splits` puts every *source* in exactly one of
``train``/``dev``/``test``, stratified by label, with a fixed seed.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

import regex

from pv_identify.errors import PvIdentifyError

#: Fields of a corpus item, in file order.
FIELDS: Final[tuple[str, ...]] = (
    "id", "source", "url", "kind", "date", "kwalificatie", "articles", "context",
    "relationship", "family_relation", "hard", "note", "split")
#: The four corpus classes (text-level; register labels are mapped onto them).
CLASSES: Final[tuple[str, ...]] = ("partner", "ex_partner", "family", "other")
#: The classes of the partner-violence flag.
PV_CLASSES: Final[frozenset[str]] = frozenset({"partner", "ex_partner"})
FAMILY_RELATIONS: Final[tuple[str, ...]] = (
    "child", "stepchild", "parent", "sibling", "in_law", "other_relative")
#: Gold ``family_relation`` -> the tagger's family label that reads the same tie (a
#: stepchild is ``child``; a sibling, in-law or other relative ``other_family``).
FAMILY_DIRECTION: Final[dict[str, str]] = {
    "child": "child", "stepchild": "child", "parent": "parent", "sibling": "other_family",
    "in_law": "other_family", "other_relative": "other_family"}
KINDS: Final[tuple[str, ...]] = ("ruling", "news")
SPLITS: Final[tuple[str, ...]] = ("train", "dev", "test")
#: Share of items per split (by source, stratified by label).
SPLIT_SHARES: Final[tuple[float, float, float]] = (0.6, 0.2, 0.2)
DEFAULT_SEED: Final[int] = 20261130

_ECLI = regex.compile(r"ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25}", regex.IGNORECASE)


class CorpusError(PvIdentifyError, ValueError):
    """A corpus file is not valid; the message lists every problem with its line."""


#: Query parameters that do not select a page: tracking, share and display settings
#: ("?redirect=1", "?pk_campaign=rssfeed", "?shared=email", "?page=2" of one report).
_NOISE_PARAMETER = regex.compile(
    r"^(utm_.*|pk_.*|redirect|shared|share|msg|ext|language|lang|aresult|fbclid|gclid|ref"
    r"|output|amp|page|query)$")


def source_key(source: str) -> str:
    """Return the key of a source: its ECLI in upper case, else the bare address.

    The address is percent-decoded (a deeplink "uitspraak?id=ECLI%3ANL%3A..." gives its
    ECLI), lower-cased, without scheme, "www.", fragment and trailing slash. Query
    parameters that select a page stay ("alexnieuws.org/?p=948" and "?p=950" are two
    sources); tracking and display parameters (:data:`_NOISE_PARAMETER`) and empty
    values are dropped, and the rest are sorted.

    Parameters
    ----------
    source : str
        The ``source`` (or ``url``) of a corpus item.

    Returns
    -------
    str
        The key that tells whether two items come from the same source.
    """
    text = unquote(source)
    found = _ECLI.search(text)
    if found:
        return found.group(0).upper().rstrip(".")
    key = text.strip().lower()
    key = regex.sub(r"^[a-z]+://", "", key)
    key = regex.sub(r"^www\.", "", key)
    key = key.split("#", 1)[0]
    path, _, query = key.partition("?")
    kept = sorted(part for part in query.split("&")
                  if part and ("=" not in part
                               or (part.partition("=")[2]
                                   and not _NOISE_PARAMETER.match(part.partition("=")[0]))))
    path = path.rstrip("/")
    return f"{path}?{'&'.join(kept)}" if kept else path


#: The fields an item of an outside evaluation set must have (``load_corpus(...,
#: minimal=True)``); the others get :data:`DEFAULTS`.
MINIMAL_FIELDS: Final[tuple[str, ...]] = ("id", "context", "relationship")
#: Values of the fields an outside set may leave out (``source``: the item's ``id``, so
#: every item is its own bootstrap cluster).
DEFAULTS: Final[dict[str, Any]] = {
    "url": "", "kind": "", "date": "", "kwalificatie": "", "articles": "",
    "family_relation": "", "hard": False, "note": ""}


def field_problems(item: Mapping[str, Any], required: Sequence[str],
                   known: Sequence[str]) -> list[str]:
    """Missing and unknown fields of one JSON Lines record (names only, never values)."""
    problems = []
    missing = [f for f in required if f not in item]
    extra = [f for f in item if f not in known]
    if missing:
        problems.append(f"missing field(s) {missing}")
    if extra:
        problems.append(f"unknown field(s) {extra}")
    return problems


def validate_item(item: Any, *, require_split: bool = True, minimal: bool = False
                  ) -> list[str]:
    """Return the problems of one corpus item (empty when it is valid).

    ``minimal``: only :data:`MINIMAL_FIELDS` are required (an outside evaluation set);
    the fields present are checked as usual, except that ``kind``, ``note`` and a family
    item's ``family_relation`` may be empty, and ``split`` is checked when present.
    """
    if not isinstance(item, dict):
        return ["not a JSON object"]
    if minimal:  # an empty optional field counts as left out
        item = {k: v for k, v in item.items()
                if not (k in ("kind", "note", "family_relation") and v in ("", None))}
        required = MINIMAL_FIELDS
        require_split = "split" in item
    else:
        required = FIELDS if require_split else FIELDS[:-1]
    problems = field_problems(item, required, FIELDS)
    for name in ("id", "source", "context", "note"):
        if name in item and (not isinstance(item[name], str) or not item[name].strip()):
            problems.append(f"{name!r} must be a non-empty string")
    for name in ("url", "date", "kwalificatie", "articles"):  # may be empty
        if name in item and not isinstance(item[name], str):
            problems.append(f"{name!r} must be a string")
    if item.get("relationship") not in CLASSES:
        problems.append(f"relationship must be one of {list(CLASSES)}")
    relation = item.get("family_relation", "")
    if (item.get("relationship") == "family" and relation not in FAMILY_RELATIONS
            and not (minimal and "family_relation" not in item)):
        problems.append(f"a family item needs family_relation in {list(FAMILY_RELATIONS)}")
    if item.get("relationship") != "family" and relation:
        problems.append("family_relation must be empty unless relationship is 'family'")
    if (not minimal or "kind" in item) and item.get("kind") not in KINDS:
        problems.append(f"kind must be one of {list(KINDS)}")
    if (not minimal or "hard" in item) and not isinstance(item.get("hard"), bool):
        problems.append("'hard' must be true or false")
    if require_split and item.get("split") not in SPLITS:
        problems.append(f"split must be one of {list(SPLITS)}")
    return problems


class _DuplicateKey(Exception):
    """A JSON object names one key twice (``json`` would keep the last silently)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _json_lines(path: Path, what: str, problems: list[str]) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed value)`` of a JSON Lines file, blank lines skipped.

    Lines end at a line feed only (CR LF too): a JSON string may hold U+2028, U+0085
    and other characters :meth:`str.splitlines` would break at. A UTF-8 byte-order mark
    is skipped; a file with a UTF-16 byte-order mark is read as UTF-16. A line that is
    not JSON (or not UTF-8, nested too deeply, or naming a key twice in one object)
    adds ``file:line: ...`` to ``problems``; an unreadable file raises
    :class:`CorpusError` naming ``what``. Messages never quote the line.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read {what} ({exc.strerror})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # e.g. PowerShell 5's '>' redirect
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: {what} starts with a UTF-16 byte-order mark but is "
                              f"not UTF-16 ({exc.reason} at byte {exc.start}); save it as "
                              "UTF-8") from None
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{path}:{number}: not UTF-8 ({exc.reason} at byte {exc.start + 1} "
                            "of the line); save the file as UTF-8")
            continue
        if not line.strip():
            continue
        try:
            yield number, json.loads(line, object_pairs_hook=_unique_keys)
        except _DuplicateKey as exc:
            problems.append(f"{path}:{number}: key {exc.args[0]!r} appears twice in one object")
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON ({exc.msg}, column {exc.colno})")
        except RecursionError:
            problems.append(f"{path}:{number}: not valid JSON (nested too deeply)")


#: A shard is full at this size: the next item opens a new shard (the repository keeps
#: every file under 5 MB).
SHARD_BYTES: Final[int] = 2_000_000
#: Shard names, in reading order.
SHARD_PATTERN: Final[str] = "part-*.jsonl"


def corpus_files(path: str | Path) -> list[Path]:
    """Return the JSON Lines files of a corpus, in reading order.

    Parameters
    ----------
    path : str or pathlib.Path
        A corpus folder (its ``part-*.jsonl`` shards, sorted by name) or one JSON Lines
        file.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    CorpusError
        The path does not exist (naming the folder when a ``.jsonl`` file was given whose
        corpus is now a folder of shards), or a folder holds no shard.
    """
    path = Path(path)
    if path.is_dir():
        shards = sorted(path.glob(SHARD_PATTERN))
        if not shards:
            raise CorpusError(f"{path}: a corpus folder must hold {SHARD_PATTERN} shards; "
                              "found none")
        return shards
    if not path.exists():
        folder = path.with_suffix("")
        if path.suffix == ".jsonl" and folder.is_dir():
            raise CorpusError(f"{path}: no such file; the corpus is now a folder of shards: "
                              f"pass {folder}")
        raise CorpusError(f"{path}: no such corpus file or folder")
    return [path]


def corpus_bytes(path: str | Path) -> bytes:
    """Return the bytes of a corpus: its files concatenated in reading order.

    A corpus split into shards gives the bytes of the one file it was, so its hash
    (recorded in the models' manifests) does not depend on where the shards are cut.
    """
    parts: list[bytes] = []
    for file in corpus_files(path):
        data = file.read_bytes()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
    return b"".join(parts)


def corpus_records(path: str | Path) -> list[Any]:
    """Return the JSON values of a corpus's lines as written, in reading order.

    Unlike :func:`load_corpus` no item is validated, filled or filtered by split (a
    bench or a test that reads every passage); a line that is not JSON still raises
    :class:`CorpusError` with its file and line.
    """
    problems: list[str] = []
    records = [value for file in corpus_files(path)
               for _number, value in _json_lines(file, "the corpus", problems)]
    if problems:
        raise CorpusError(f"{len(problems)} problem(s) in the corpus:\n" + "\n".join(problems))
    return records


def corpus_line(item: dict[str, Any]) -> str:
    """One item as a line of the corpus: fields in :data:`FIELDS` order, compact JSON."""
    ordered = {field: item[field] for field in FIELDS if field in item}
    ordered.update({k: v for k, v in item.items() if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n"


def append_items(path: str | Path, items: Iterable[dict[str, Any]],
                 shard_bytes: int = SHARD_BYTES) -> list[Path]:
    """Append items to a corpus, in the corpus's line format.

    A folder gets the items in its last shard until that shard holds ``shard_bytes``;
    then a new shard (the next ``part-NN.jsonl``) is opened. A single file gets them at
    its end.

    Parameters
    ----------
    path : str or pathlib.Path
        The corpus folder or file.
    items : iterable of dict
        Validated items (see :func:`validate_item`).
    shard_bytes : int, default :data:`SHARD_BYTES`
        Size at which a shard is full.

    Returns
    -------
    list of pathlib.Path
        The files written to.
    """
    files = corpus_files(path)
    current = files[-1]
    size = current.stat().st_size
    written: list[Path] = []
    handle = None
    try:
        for item in items:
            line = corpus_line(item).encode("utf-8")
            if Path(path).is_dir() and size > 0 and size + len(line) > shard_bytes:
                if handle is not None:
                    handle.close()
                    handle = None
                number = int(current.stem.rsplit("-", 1)[-1]) + 1
                current = current.with_name(f"part-{number:02d}.jsonl")
                size = 0
            if handle is None:
                handle = current.open("ab")
                if current not in written:
                    written.append(current)
            handle.write(line)
            size += len(line)
    finally:
        if handle is not None:
            handle.close()
    return written


def load_corpus(path: str | Path, *, splits: Iterable[str] | None = None,
                minimal: bool = False) -> list[dict[str, Any]]:
    """Read and validate a corpus file.

    Parameters
    ----------
    path : str or pathlib.Path
        A corpus folder of ``part-*.jsonl`` shards, or one JSON Lines file (see
        :func:`corpus_files`).
    splits : iterable of str, optional
        Keep only items of these splits.
    minimal : bool, default False
        An outside evaluation set: only ``id``, ``context`` and ``relationship`` are
        required, the other fields get :data:`DEFAULTS` (``source`` the ``id``), and
        ``split`` may be absent (then ``splits`` must be None: every item is kept).

    Returns
    -------
    list of dict
        The items, in reading order.

    Raises
    ------
    CorpusError
        Listing every invalid line (file:line: problem), duplicate ids, and a source
        found in more than one split (across shards too).
    """
    path = Path(path)
    files = corpus_files(path)
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    ids: dict[str, str] = {}
    split_of: dict[str, tuple[str, str]] = {}
    for file in files:
        for number, item in _json_lines(file, "the corpus", problems):
            where = f"{file}:{number}"
            for problem in validate_item(item, minimal=minimal):
                problems.append(f"{where}: {problem}")
            if not isinstance(item, dict):
                continue
            if minimal:
                item = {**DEFAULTS, "source": str(item.get("id", "")), **item}
            if isinstance(item.get("id"), str) and item["id"] in ids:
                problems.append(f"{where}: id {item['id']!r} already used at "
                                f"{ids[item['id']]}")
            ids[str(item.get("id"))] = where
            key = source_key(str(item.get("source", "")))
            first = split_of.setdefault(key, (str(item.get("split")), where))
            if first[0] != str(item.get("split")):
                problems.append(f"{where}: source is in split {item.get('split')!r} here "
                                f"and in {first[0]!r} at {first[1]}")
            items.append(item)
    if problems:
        raise CorpusError(f"{len(problems)} problem(s) in the corpus:\n" + "\n".join(problems))
    if splits is not None:
        unsplit = sum("split" not in item for item in items)
        if unsplit:
            raise CorpusError(f"{path}: {unsplit} item(s) have no 'split': evaluate all "
                              "items (leave out the split)")
        wanted = set(splits)
        unknown = wanted - set(SPLITS)
        if unknown:
            raise CorpusError(f"unknown split(s) {sorted(unknown)}; expected {list(SPLITS)}")
        items = [i for i in items if i["split"] in wanted]
    return items


#: Fields of a line of the qualification file (see :func:`load_qualification_labels`).
QUALIFICATION_FIELDS: Final[tuple[str, ...]] = ("kwalificatie", "names_relationship", "named")


def qualification_file(corpus: str | Path) -> Path:
    """Return the qualification file that belongs to a corpus (``<stem>_qualifications.jsonl``)."""
    corpus = Path(corpus)
    return corpus.with_name(f"{corpus.stem}_qualifications.jsonl")


def load_qualification_labels(path: str | Path) -> dict[str, bool]:
    """Read which qualifications name the victim's relationship to the offender.

    One JSON object per line: ``kwalificatie`` (verbatim, as in the corpus, stripped),
    ``names_relationship`` (true when the qualification itself says who the victim is
    to the offender: "begaan tegen zijn echtgenoot", "oudermoord", "zijn zakenpartner")
    and, when true, ``named``: the words that name it, which must occur in the
    qualification (so every label is supported by the quoted text). The judgement
    depends on the qualification alone, so it is kept per distinct qualification,
    beside the corpus, and the corpus file (whose hash the models record) is unchanged.

    Parameters
    ----------
    path : str or pathlib.Path
        JSON Lines file.

    Returns
    -------
    dict
        Qualification -> names the relationship.

    Raises
    ------
    CorpusError
        Listing every invalid line (file:line: problem) and repeated qualifications.
    """
    path = Path(path)
    labels: dict[str, bool] = {}
    first: dict[str, int] = {}
    problems: list[str] = []
    for number, item in _json_lines(path, "the qualification file", problems):
        if not isinstance(item, dict):
            problems.append(f"{path}:{number}: not a JSON object")
            continue
        extra = [f for f in item if f not in QUALIFICATION_FIELDS]
        if extra:
            problems.append(f"{path}:{number}: unknown field(s) {extra}; expected "
                            f"{list(QUALIFICATION_FIELDS)}")
        text, names = item.get("kwalificatie"), item.get("names_relationship")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path}:{number}: 'kwalificatie' must be a non-empty string")
            continue
        if not isinstance(names, bool):
            problems.append(f"{path}:{number}: 'names_relationship' must be true or false")
            continue
        named = item.get("named")
        if names and (not isinstance(named, str) or not named.strip()
                      or named.lower() not in text.lower()):
            problems.append(f"{path}:{number}: 'named' must give the words of the "
                            "qualification that name the relationship")
        if not names and named is not None:
            problems.append(f"{path}:{number}: 'named' is only for names_relationship true")
        key = text.strip()
        if key in first:
            problems.append(f"{path}:{number}: qualification already on line {first[key]}")
        first.setdefault(key, number)
        labels[key] = names
    if problems:
        raise CorpusError(f"{len(problems)} problem(s) in the qualification file:\n"
                          + "\n".join(problems))
    return labels


def assign_splits(items: Sequence[dict[str, Any]], seed: int = DEFAULT_SEED,
                  shares: Sequence[float] = SPLIT_SHARES,
                  fixed: dict[str, str] | None = None) -> list[str]:
    """Assign ``train``/``dev``/``test`` by source, stratified by label.

    All items of one source go to one split. Sources are grouped by the label most of
    their items carry; within each group they are taken in a random order (``seed``)
    and each goes to the split that is furthest below its share of the group's items.
    Sources in ``fixed`` keep their split, so adding items to a corpus never moves an
    existing source (what was tuned on stays in ``train``; ``test`` stays unseen).

    Parameters
    ----------
    items : sequence of dict
        Items with ``source`` and ``relationship``.
    seed : int
        Random seed.
    shares : sequence of three floats
        Shares of train, dev and test.
    fixed : dict of str to str, optional
        Source key -> split for sources already assigned.

    Returns
    -------
    list of str
        The split of each item, in order.
    """
    fixed = dict(fixed or {})
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_source[source_key(item["source"])].append(i)
    strata: dict[str, list[str]] = defaultdict(list)
    for key, members in by_source.items():
        label = Counter(items[i]["relationship"] for i in members).most_common(1)[0][0]
        strata[label].append(key)
    rnd = random.Random(seed)
    split_of_source: dict[str, str] = {}
    for label in sorted(strata):
        keys = sorted(strata[label])
        rnd.shuffle(keys)
        counts = dict.fromkeys(SPLITS, 0)
        for key in keys:
            if key in fixed:
                counts[fixed[key]] += len(by_source[key])
        total = sum(len(by_source[k]) for k in keys)
        for key in keys:
            if key in fixed:
                split_of_source[key] = fixed[key]
                continue
            deficit = {s: share * total - counts[s]
                       for s, share in zip(SPLITS, shares, strict=True)}
            split = max(SPLITS, key=lambda s: (deficit[s], -SPLITS.index(s)))
            split_of_source[key] = split
            counts[split] += len(by_source[key])
    return [split_of_source[source_key(item["source"])] for item in items]


def class_of(label: str) -> str:
    """Map a register label onto a corpus class (``child``/``parent``/... -> ``family``)."""
    if label in ("partner", "ex_partner"):
        return label
    if label in ("child", "parent", "other_family", "domestic_unspecified"):
        return "family"
    return "other"
