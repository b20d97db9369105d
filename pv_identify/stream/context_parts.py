"""Case and person context of pass 1's rows, a part at a time, in numpy (steps A, B, C).

Pass 1 of the model path (:func:`pv_identify.stream.history.case_context`) leaves the
rows ``(row, ck, pk, ch, ph, d, bits, year, slot)`` split into ``P`` parts by a hash
of the case (``ch``, ``ph``: 64-bit hashes of the case and person ids). Here:

A. per case part: the cases, numbered by first appearance (:func:`group_codes`: the
   hashes factorised, then checked against the ids, so a hash collision cannot merge
   two cases); per case the signals in at least one / two offences and ``size > 1``,
   the earliest date and the person of its first row. The cases that can have
   history or be history (a date and a person) go to ``P`` person parts by ``ph``
   (uncompressed Arrow IPC); each row's case number, ``row``, ``slot`` and ``year``
   and each case's signals wait for step C in ``.npy`` files, and the part's pass-1
   files are removed at once (so the folder never holds both).
B. per person part: the cases sorted by (person, date); per case the signals and
   number of the person's cases with a strictly earlier date (a segmented cumulative
   OR and count over the person's days), written back by case part.
C. per case part: every row's packed context (the layout of ``history._BITS``), in
   row order, to an Arrow IPC file that :class:`~pv_identify.stream.history.ContextReader`
   merges in pass 2.

Every step holds one part (about ``history.ROWS_PER_PART`` rows); nothing sorts or
hashes strings except Arrow's comparison of each row's id with its group's first id.
The result equals what :func:`~pv_identify.model.features.feature_context` computes
on the whole frame (tests/scale/test_scale_context_parts.py). Why: the DuckDB steps
this replaces took ~7 s of a 16 s 10M-row model run; these take ~3 cpu s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.model.features import SIGNALS
from pv_identify.stream.context_rollups import save_part
from pv_identify.stream.npy import load_array
from pv_identify.stream.partition import (
    NO_DATE,
    earliest_dates,
    first_positions,
    ordered_map,
    slices_by_part,
)

#: Bits of a signal mask (the packed context: see ``pv_identify.stream.history``).
BITS = len(SIGNALS)
#: Up to this many parts (about 500k rows each: 64M rows) pass 1's scratch files are
#: uncompressed IPC (~75 bytes a row), beyond lz4 (~40). lz4 cost ~2 cpu s per 10M rows (write, read
#: back); since step A removes each part's files once read, uncompressed files are the
#: folder's peak (50M rows: 3.8 GB, against 4.4 GB with lz4 before).
UNCOMPRESSED_PARTS = 128


def scratch_compression(parts: int) -> str:
    """IPC compression of the context pass's scratch files for ``parts`` parts."""
    return "uncompressed" if parts <= UNCOMPRESSED_PARTS else "lz4"


def group_codes(values: Any, hashes: np.ndarray, missing: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Return group codes of ``values`` (by first appearance), from their 64-bit hashes.

    Parameters
    ----------
    values : pyarrow.Array
        The ids.
    hashes : numpy.ndarray of uint64
        A hash of each id (equal ids, equal hashes).
    missing : numpy.ndarray of bool, optional
        Rows whose id is missing: each is its own group, numbered after the others.

    Returns
    -------
    codes : numpy.ndarray of int64
        Group of each row.
    first : numpy.ndarray of int64
        The first row of each group.

    Notes
    -----
    The hashes are factorised (fast on integers; runs of equal hashes, each hash in
    one run -- a case's rows one after another in the file -- are numbered without a
    hash table: :func:`run_groups`); every row's id is then compared with its group's
    first id, and only if two ids share a hash (one chance in ~10^7 for a 1M-row part)
    are the ids dictionary-encoded instead.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(hashes)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    present = None if missing is None or not missing.any() else np.flatnonzero(~missing)
    if present is not None:
        values = values.take(pa.array(present))
        hashes = hashes[present]
    runs = run_groups(hashes)
    if runs is not None:
        codes, first = runs
    else:
        codes = np.asarray(pd.factorize(hashes)[0], dtype=np.int64)
        first = first_positions(codes)
    again = np.ones(len(codes), dtype=bool)  # the rows after their group's first
    again[first] = False
    later = np.flatnonzero(again)
    if len(later) and not pc.all(pc.equal(values.take(pa.array(later)),
                                          values.take(pa.array(first[codes[later]])))).as_py():
        encoded = pc.dictionary_encode(values)  # a collision: exact codes from the ids
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        first = first_positions(codes)
    if present is None:
        return codes, first
    assert missing is not None
    alone = np.flatnonzero(missing)
    full = np.empty(n, dtype=np.int64)
    full[present] = codes
    full[alone] = len(first) + np.arange(len(alone))
    return full, np.concatenate([present[first], alone])


def run_groups(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return ``pd.factorize(hashes)``'s codes and first rows if each hash is one run.

    When every distinct hash occupies one run of consecutive rows (a register lists a
    case's offences together), the runs in row order are the distinct hashes in order
    of first appearance, so the run numbers are the factorised codes and the runs'
    starts the first rows. Checked with a sort of one hash per run (no two runs share
    a hash); None otherwise (the caller factorises). A 500k-row part: ~11 ms against
    ~53 for ``pd.factorize``.
    """
    n = len(hashes)
    if not n:
        return None
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    heads = np.sort(hashes[starts])
    if len(heads) > 1 and not bool((heads[1:] != heads[:-1]).all()):
        return None
    return np.cumsum(new, dtype=np.int64) - 1, starts


def _null(values: Any) -> np.ndarray:
    return np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _read_rows(paths: list[Path], columns: list[str] | None = None) -> Any:
    """One part's rows from its files (Arrow IPC or Parquet), in row order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for path in paths:
        if path.suffix == ".arrow":
            with pa.OSFile(str(path), "rb") as source:
                reader = pa.ipc.open_file(source)
                if columns is not None:  # only these columns read (and decompressed)
                    names = reader.schema.names
                    reader = pa.ipc.open_file(source, options=pa.ipc.IpcReadOptions(
                        included_fields=[names.index(c) for c in columns]))
                table = reader.read_all()
            tables.append(table.select(columns) if columns is not None else table)
        else:
            tables.append(pq.read_table(path, columns=columns))
    table = tables[0] if len(tables) == 1 else pa.concat_tables(
        tables, promote_options="permissive")
    rows = table.column("row").to_numpy()
    if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
        table = table.take(pa.array(np.argsort(rows, kind="stable")))
    return table.combine_chunks()


class _CaseParts:
    """Step A's cases split into person parts: one Arrow IPC stream file a part."""

    def __init__(self, directory: Path, parts: int) -> None:
        import pyarrow as pa

        directory.mkdir(exist_ok=True)
        self.directory = directory
        self.parts = parts
        self.schema = pa.schema([("cp", pa.int32()), ("ci", pa.int32()), ("pk", pa.string()),
                                 ("ph", pa.uint64()), ("d", pa.int64()), ("cor", pa.int32())])
        self._writers: list[Any] = [None] * parts
        self._sinks: list[Any] = [None] * parts

    def path(self, m: int) -> Path:
        return self.directory / f"cases_{m:04d}.arrow"

    def add(self, table: Any) -> None:
        if not table.num_rows:
            return
        part = _small(table.column("ph").to_numpy() % np.uint64(self.parts), self.parts)
        for m, piece in slices_by_part(table, part, self.parts):
            if self._writers[m] is None:
                import pyarrow as pa

                self._sinks[m] = pa.OSFile(str(self.path(m)), "wb")
                self._writers[m] = pa.ipc.new_stream(self._sinks[m], self.schema)
            self._writers[m].write_table(piece)

    def close(self) -> None:
        for m in range(self.parts):
            if self._writers[m] is not None:
                self._writers[m].close()
                self._sinks[m].close()
        self._writers = [None] * self.parts
        self._sinks = [None] * self.parts

    def read(self, m: int) -> Any:
        """Return person part ``m``'s cases (None if it has none) and remove its file."""
        import pyarrow as pa

        path = self.path(m)
        if not path.exists():
            return None
        with pa.OSFile(str(path), "rb") as source:
            table = pa.ipc.open_stream(source).read_all()
        path.unlink()
        return table.combine_chunks()


def _small(part: np.ndarray, parts: int) -> np.ndarray:
    """Part numbers as ``uint16`` when they fit, else ``int64``.

    numpy's stable sort of ``uint16`` is a radix sort (same order, far less time than
    sorting ``int64`` or ``int32``).
    """
    return part.astype(np.uint16 if parts <= 1 << 16 else np.int64)


def _twice(codes: np.ndarray, bits: np.ndarray, multi: np.ndarray) -> np.ndarray:
    """Per group, the signals present in at least two of its rows.

    The rows with signals in groups of several rows, ordered by group (they usually are
    already); a signal is present twice if a row has it and so does an earlier row of
    its group: an exclusive prefix OR within each group (by doubling, ``log2`` of the
    largest group steps), ANDed with the row's own signals and ORed per group. One
    ``bincount`` per signal (13) took ~2.5x as long (10M rows: ~0.4 cpu s more).
    """
    at = np.flatnonzero((bits != 0) & multi[codes])  # a case of one row has nothing twice
    out = np.zeros(len(multi), dtype=np.int64)
    if len(at) < 2:
        return out
    codes, bits = codes[at], bits[at].astype(np.int64)
    if (codes[1:] < codes[:-1]).any():
        order = np.argsort(codes, kind="stable")
        codes, bits = codes[order], bits[order]
    n = len(codes)
    starts = np.ones(n, dtype=bool)
    starts[1:] = codes[1:] != codes[:-1]
    heads = np.flatnonzero(starts)
    rank = np.arange(n) - heads[np.cumsum(starts) - 1]  # position within the group
    seen = bits.copy()  # OR of the group's rows up to this one (inclusive)
    step = 1
    while step <= int(rank.max()):
        reach = np.flatnonzero(rank >= step)
        grown = seen.copy()
        grown[reach] |= seen[reach - step]
        seen = grown
        step *= 2
    before = np.zeros(n, dtype=np.int64)
    later = np.flatnonzero(rank > 0)
    before[later] = seen[later - 1]
    out[codes[heads]] = np.bitwise_or.reduceat(bits & before, heads)
    return out


def step_a(table: Any, k: int) -> tuple[dict[str, np.ndarray], Any]:
    """Aggregate one case part; return what step C needs and the cases for step B.

    Parameters
    ----------
    table : pyarrow.Table
        The part's rows in row order (pass 1's columns).
    k : int
        The part's number.

    Returns
    -------
    saved : dict of numpy.ndarray
        ``case`` per row, ``pack`` per case (signals once | twice << BITS |
        (size > 1) << 2 BITS), ``first`` (each case's first row) and ``earliest``
        (its earliest date in ns, the int64 maximum without one).
    cases : pyarrow.Table
        The cases with a date and a person: ``cp`` (= ``k``), ``ci`` (the case's
        number), ``pk``, ``ph``, ``d`` (earliest date, ns) and ``cor`` (signals).
    """
    import pyarrow as pa

    ck = table.column("ck")
    codes, first = group_codes(ck, table.column("ch").to_numpy(), _null(ck))
    m = len(first)
    bits = table.column("bits").to_numpy().astype(np.int64)
    cor = np.zeros(m, dtype=np.int64)
    np.bitwise_or.at(cor, codes, bits)
    multi = np.bincount(codes, minlength=m) > 1
    pack = cor | (_twice(codes, bits, multi) << BITS) | (multi.astype(np.int64) << 2 * BITS)
    earliest = earliest_dates(table.column("d"), codes, m)
    pk = table.column("pk")
    if not pa.types.is_string(pk.type):
        pk = pk.cast(pa.string())
    has_person = ~_null(pk)[first]
    chosen = np.flatnonzero(has_person & (earliest != NO_DATE))
    rows_of = first[chosen]
    cases = pa.table({
        "cp": pa.array(np.full(len(chosen), k, dtype=np.int32)),
        "ci": pa.array(chosen.astype(np.int32)),
        "pk": pk.take(pa.array(rows_of)),
        "ph": pa.array(table.column("ph").to_numpy()[rows_of]),
        "d": pa.array(earliest[chosen]),
        "cor": pa.array(cor[chosen].astype(np.int32)),
    })
    saved = {"case": codes.astype(np.int32), "pack": pack,
             "first": first, "earliest": earliest}  # (the last two: for save_part)
    return saved, cases


def step_b(cases: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """History of one person part's cases.

    Returns
    -------
    cp, ci : numpy.ndarray
        Case part and case number of each case.
    hist : numpy.ndarray of int64
        Signals of the person's cases with a strictly earlier date | min(their number,
        3) << BITS.
    """
    d = _date_ranks(cases.column("d").to_numpy())
    ph = cases.column("ph").to_numpy()
    sorted_by_hash = person_date_order(cases.column("pk"), ph, d)
    if sorted_by_hash is not None:
        order, new_person = sorted_by_hash
        sd = d[order]
    else:
        person, _ = group_codes(cases.column("pk"), ph)
        order = np.argsort(person * (int(d.max(initial=0)) + 1) + d, kind="stable")
        sp, sd = person[order], d[order]
        new_person = np.ones(len(order), dtype=bool)
        new_person[1:] = sp[1:] != sp[:-1]
    cor = cases.column("cor").to_numpy().astype(np.int64)[order]
    n = len(order)
    new_day = new_person.copy()
    new_day[1:] |= sd[1:] != sd[:-1]
    starts = np.flatnonzero(new_day)  # a "day": the person's cases of one date
    count = np.diff(np.append(starts, n))
    day_or = np.bitwise_or.reduceat(cor, starts) if n else cor
    g = len(starts)
    opens = new_person[starts]
    person_first = np.flatnonzero(opens)[np.cumsum(opens) - 1]  # the person's first day
    before = np.cumsum(count) - count
    hist_n = before - before[person_first]
    hist_or = _earlier_or(day_or, np.arange(g) - person_first)
    day = np.cumsum(new_day) - 1
    hist = np.empty(n, dtype=np.int64)
    hist[order] = hist_or[day] | (np.minimum(hist_n, 3)[day] << BITS)
    return cases.column("cp").to_numpy(), cases.column("ci").to_numpy(), hist


#: Most bits of the date ranks :func:`person_date_order` packs below the hash bits.
DATE_RANK_BITS = 32


def person_date_order(ids: Any, hashes: np.ndarray, ranks: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray] | None:
    """Return an order of cases by (person, date) and where each person starts in it.

    Step B needs the cases grouped by person and in date order within a person; which
    person comes first does not matter (each person's history is its own). So the
    cases are sorted once by a 64-bit key -- the person hash's high bits, then the
    date rank (``ranks``: small non-negative integers) in the low bits -- instead of
    numbering the persons by a hash table and sorting by (number, date) (a 365k-case
    part: ~29 ms against ~99). Two persons whose hashes agree in the high bits
    would interleave: then (some neighbours with those bits equal and the hashes not)
    None is returned, as when two ids share a whole hash (neighbours with one hash and
    other ids), ids are missing, or the ranks need more than :data:`DATE_RANK_BITS`
    bits; the caller takes :func:`group_codes`' route.

    Returns
    -------
    order : numpy.ndarray of int64
        The cases by person, by date within a person (ties in any order).
    new_person : numpy.ndarray of bool
        Per position of ``order``, whether a person starts there.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(hashes)
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    if not n or ids.null_count:
        return None
    width = max(int(ranks.max()).bit_length(), 1)
    if width > DATE_RANK_BITS:
        return None
    hashes = np.asarray(hashes, dtype=np.uint64)
    low = np.uint64((1 << width) - 1)
    order = np.argsort((hashes & ~low) | ranks.astype(np.uint64))
    ordered = hashes[order]
    new_person = np.empty(n, dtype=bool)
    new_person[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_person[1:])
    high = ordered & ~low
    if bool((new_person[1:] & (high[1:] == high[:-1])).any()):
        return None  # two persons' hashes agree in the high bits
    same = np.flatnonzero(~new_person[1:])  # neighbours with one hash: one id?
    if len(same):
        before = ids.take(pa.array(order[same]))
        after = ids.take(pa.array(order[same + 1]))
        if not pc.all(pc.equal(before, after)).as_py():
            return None  # two ids with one hash
    return order, new_person


def _earlier_or(day_or: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """OR of ``day_or`` over each day's earlier days of the same person (a segmented scan).

    ``rank`` is each day's position among its person's days (0 for the first). An
    inclusive scan by doubling (``log2`` of the most days of a person steps), shifted
    by one day. Each step works on the days that reach that far back only (their
    positions shrink by step: most persons have few days) and reads its inputs before
    it writes (a gather, then the OR in place), as a copy of the array would
    (366k days: ~15 -> ~7 ms against a scan over every day at each step).
    """
    g = len(day_or)
    acc = day_or.copy()
    reach = np.flatnonzero(rank >= 1)
    step = 1
    while len(reach):
        acc[reach] |= acc[reach - step]  # the right side is gathered first
        step *= 2
        reach = reach[rank[reach] >= step]
    out = np.zeros(g, dtype=np.int64)
    later = np.flatnonzero(rank > 0)
    out[later] = acc[later - 1]
    return out


def _date_ranks(ns: np.ndarray) -> np.ndarray:
    """Small integers in the order of the dates ``ns`` (equal dates, equal ranks).

    Whole days (the usual case) become days since the earliest; other timestamps are
    ranked by a sorted factorisation.
    """
    if not len(ns):
        return np.zeros(0, dtype=np.int64)
    low = int(ns.min())
    shifted = ns - low
    day = 86_400 * 10**9
    if not (shifted % day).any():
        days = shifted // day
        if int(days.max()) < 1 << 24:
            return days
    return np.asarray(pd.factorize(ns, sort=True)[0], dtype=np.int64)


def step_c(rows: Any, saved: dict[str, np.ndarray], hist_ci: np.ndarray, hist: np.ndarray,
           target: Path, group_rows: int) -> None:
    """Write one case part's rows with their packed context, in row order.

    ``rows`` holds the part's ``row``, ``slot`` and ``year`` in row order; the file is
    Arrow IPC, a record batch of ``group_rows`` rows at a time.
    """
    import pyarrow as pa

    pack = saved["pack"]
    pack[hist_ci] |= hist << (2 * BITS + 1)
    table = pa.table({"row": rows.column("row"), "slot": rows.column("slot"),
                      "ctx": pack[saved["case"]], "year": rows.column("year")})
    with pa.ipc.new_file(str(target), table.schema) as writer:
        writer.write_table(table, max_chunksize=max(group_rows, 1))


_SAVED = ("case", "pack", "row", "slot", "year")
_HIST = np.dtype([("ci", np.int32), ("h", np.int64)])
#: Parts of each step worked on at once (threads): numpy's sorts, pandas' hash tables,
#: Arrow and the file reads release the GIL, so a second core takes a second part.
STEP_WORKERS = 2


def step_workers(parts: int) -> int:
    """Threads for steps A, B and C: :data:`STEP_WORKERS`, at most the parts and the cores."""
    import os

    return max(1, min(STEP_WORKERS, parts, os.cpu_count() or 1))


def part_number(path: Path) -> int:
    """Return the case part of a sorted context file of :func:`summarise`."""
    return int(Path(path).stem.rsplit("_", 1)[1])


def summarise(rows: list[list[Path]], directory: Path, group_rows: int,
              rollup_dir: Path | None = None) -> list[Path]:
    """Run steps A, B and C over the parts' row files; return the sorted context files.

    Parameters
    ----------
    rows : list of list of pathlib.Path
        Pass 1's files of each case part (each removed once step A has read it: step C
        takes ``row``, ``slot`` and ``year`` from step A's ``.npy`` files, so the
        scratch folder never holds pass 1's files and step A's results at once).
    directory : pathlib.Path
        Scratch directory (the results go here too).
    group_rows : int
        Row group size of the results (pass 2 holds one group of each part).
    rollup_dir : pathlib.Path, optional
        Where step A saves what the roll-ups need of each case part
        (:func:`pv_identify.stream.context_rollups.save_part`).

    Returns
    -------
    list of pathlib.Path
        One file per part with rows, columns ``row``, ``slot``, ``ctx``, ``year``.
    """
    import pyarrow as pa

    parts = len(rows)
    cases = _CaseParts(directory / "cases", parts)
    stash = directory / "stash"
    stash.mkdir(exist_ok=True)
    one = parts == 1
    kept: dict[str, np.ndarray] = {}
    workers = step_workers(parts)

    def part_a(k: int) -> tuple[dict[str, np.ndarray], Any]:
        table = _read_rows(rows[k])
        saved, part_cases = step_a(table, k)
        first, earliest = saved.pop("first"), saved.pop("earliest")
        if rollup_dir is not None:
            save_part(rollup_dir, k, table, saved["case"], first, earliest)
        del first, earliest
        for name in ("row", "slot", "year"):
            saved[name] = table.column(name).to_numpy()
        del table
        if not one:
            for name in _SAVED:
                np.save(stash / f"{name}_{k:04d}.npy", saved[name])
            saved = {}
        for path in rows[k]:
            path.unlink()
        return saved, part_cases

    def part_b(m: int) -> tuple[np.ndarray, np.ndarray, Any] | None:
        table = cases.read(m)
        if table is None:
            return None
        cp, ci, hist = step_b(table)
        del table
        # a case without earlier cases of its person has nothing to add in step C
        # (most cases: a person's first); the others go back to their case part
        some = np.flatnonzero(hist)
        cp, ci, hist = _small(cp[some], parts), ci[some], hist[some]
        order = np.argsort(cp, kind="stable")
        records = np.empty(len(cp), dtype=_HIST)
        records["ci"], records["h"] = ci[order], hist[order]
        bounds = np.searchsorted(cp[order], np.arange(parts + 1))
        return records, bounds, np.flatnonzero(np.diff(bounds)).tolist()

    def part_c(k: int, saved: dict[str, np.ndarray]) -> Path:
        if not saved:
            saved = {name: load_array(stash / f"{name}_{k:04d}.npy") for name in _SAVED}
        path = stash / f"hist_{k:04d}.bin"
        records = (np.fromfile(path, dtype=_HIST) if path.exists()
                   else np.empty(0, dtype=_HIST))
        target = directory / f"sorted_{k:04d}.arrow"
        step_c(pa.table({name: saved.pop(name) for name in ("row", "slot", "year")}),
               saved, records["ci"], records["h"], target, group_rows)
        for name in _SAVED:
            (stash / f"{name}_{k:04d}.npy").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        return target

    try:
        todo = [(k,) for k in range(parts) if rows[k]]
        # the parts' results are used in part order (the same files as one at a time)
        for saved, part_cases in ordered_map(part_a, todo, workers):
            cases.add(part_cases)
            del part_cases
            if one:
                kept = saved
            del saved
        cases.close()
        sinks: dict[int, Any] = {}
        try:
            for result in ordered_map(part_b, [(m,) for m in range(parts)], workers):
                if result is None:
                    continue
                records, bounds, targets = result
                for to in targets:
                    if to not in sinks:
                        sinks[to] = open(stash / f"hist_{to:04d}.bin", "wb")
                    records[bounds[to]:bounds[to + 1]].tofile(sinks[to])
                del records, result
        finally:
            for sink in sinks.values():
                sink.close()
        items = [(k, kept if one else {}) for (k,) in todo]
        kept = {}
        return list(ordered_map(part_c, items, workers))
    finally:
        cases.close()
