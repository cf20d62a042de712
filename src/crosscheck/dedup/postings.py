"""Postings: which articles hold which LSH band key or anchor, kept in the index's
SQLite file as sorted runs of keys.

One row per run of the index, band (anchors under :data:`ANCHORS`) and key range (the
key's top byte) holds the sorted keys and their articles as two blobs, and every
``step``-th key as a fence. A run writes a few thousand rows however many articles it
adds, where one row per key cost more than all the rest of an index run; a lookup
reads only the blocks its keys can be in. The ``postings`` table itself is declared
with the rest of the index (:mod:`crosscheck.dedup.index`).
"""

from __future__ import annotations

import sqlite3

import numpy as np

from crosscheck.dedup.lsh import key_order

ANCHORS = -1
"""The band number under which anchors are posted."""
_PART_SHIFT = np.uint64(56)  # key ranges: the top byte of a key
_MAX_RUNS = 8  # rows a key range may gather before its smaller ones are merged
_BLOCK = 32  # keys per block: every 32nd key of a row is a fence
_MATCH_BYTES = 16 << 20  # what a lookup reads before matching it and letting it go
_READS_BLOCKS = hasattr(sqlite3.Connection, "blobopen")  # Python 3.11+; before, rows are read whole


def _parts(keys: np.ndarray) -> np.ndarray:
    """The key range (0-255) of each key: its top byte."""
    return (keys.view(np.uint64) >> _PART_SHIFT).astype(np.int64)


def _decoded(rows: list[tuple[bytes, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """The keys (uint64) and members (int64) of ``(keys, members)`` blob pairs, joined.
    Blobs that are not whole 8-byte numbers, or not as many members as keys, are a
    damaged index (the caller names the file)."""
    if any(len(k) % 8 or len(k) != len(m) for k, m in rows):
        raise sqlite3.DatabaseError("a postings row is damaged: its key and member blobs do not match")
    keys = np.frombuffer(b"".join(k for k, _ in rows), dtype="<u8").astype(np.uint64)
    members = np.frombuffer(b"".join(m for _, m in rows), dtype="<i8").astype(np.int64)
    return keys, members


def post(db: sqlite3.Connection, seq: int, bands: np.ndarray, keys: np.ndarray, members: np.ndarray) -> None:
    """Write ``(band, key, member)`` triples as one row of sorted keys per band and key range."""
    if not len(keys):
        return
    keys = keys.view(np.uint64)
    # By band, then key and member: a sort per band (lexsort on all three is 6x slower).
    order = np.concatenate([at[key_order(keys[at], members[at])]
                            for at in (np.flatnonzero(bands == band) for band in np.unique(bands).tolist())])
    bands, keys, members = bands[order], keys[order], members[order]
    parts = _parts(keys)
    cuts = (np.flatnonzero((bands[1:] != bands[:-1]) | (parts[1:] != parts[:-1])) + 1).tolist()
    keys = keys.astype("<u8")
    key_bytes, member_bytes = keys.tobytes(), members.astype("<i8").tobytes()
    rows = [(int(bands[lo]), int(parts[lo]), seq, _BLOCK, keys[lo:hi:_BLOCK].tobytes(),
             key_bytes[8 * lo:8 * hi], member_bytes[8 * lo:8 * hi])
            for lo, hi in zip([0, *cuts], [*cuts, len(keys)])]
    db.executemany("INSERT INTO postings (band, part, seq, step, fences, keys, members) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   rows)


def blocks_holding(fences: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The blocks of a sorted row (block ``j`` starts at key ``fences[j]``) that can hold
    any of the ``wanted`` keys: a key equal to a fence may also end the block before it,
    and a key repeated across many articles may fill several blocks.

    >>> blocks_holding(np.array([10, 20, 20, 30]), np.array([5, 20, 25])).tolist()
    [0, 1, 2]
    >>> blocks_holding(np.array([10, 20, 30]), np.array([35])).tolist()
    [2]
    """
    first = np.maximum(np.searchsorted(fences, wanted, "left") - 1, 0)
    last = np.searchsorted(fences, wanted, "right") - 1
    inside = last >= 0  # a key below the row's first key is not in it
    marks = np.zeros(len(fences) + 1, dtype=np.int64)
    np.add.at(marks, first[inside], 1)
    np.add.at(marks, last[inside] + 1, -1)
    return np.flatnonzero(np.cumsum(marks[:-1]) > 0)


def _read_blocks(db: sqlite3.Connection, rowid: int, size: int, step: int, blocks: np.ndarray) -> tuple[bytes, bytes]:
    """The keys and members of some blocks (of ``step`` keys) of one postings row, as
    bytes: each run of consecutive blocks is read as one span of the two blobs."""
    starts = blocks[np.concatenate(([True], np.diff(blocks) > 1))]
    ends = blocks[np.concatenate((np.diff(blocks) > 1, [True]))] + 1
    key_parts, member_parts = [], []
    with db.blobopen("postings", "keys", rowid, readonly=True) as kb, \
            db.blobopen("postings", "members", rowid, readonly=True) as mb:
        for start, end in zip((starts * step * 8).tolist(), (np.minimum(ends * step, size) * 8).tolist()):
            kb.seek(start)
            key_parts.append(kb.read(end - start))
            mb.seek(start)
            member_parts.append(mb.read(end - start))
    return b"".join(key_parts), b"".join(member_parts)


def posted(db: sqlite3.Connection, bands: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, ...]:
    """The stored ``(band, key, member)`` triples whose band and key are among the given
    ones. Of the rows of the key ranges those keys fall in, only the blocks the keys can
    be in are read, or the whole row when they are a quarter of it or more (those rows
    fetched together); what is read is matched every _MATCH_BYTES, so memory stays flat
    however large the index."""
    found: list[tuple[np.ndarray, ...]] = []
    for band in np.unique(bands).tolist():
        wanted = np.unique(keys[bands == band].view(np.uint64))
        wanted_parts = _parts(wanted)
        parts = np.unique(wanted_parts).tolist()
        read: list[tuple[bytes, bytes]] = []
        held = 0

        def match() -> None:
            nonlocal held
            k, m = _decoded(read)
            hit = np.isin(k, wanted)  # a row's keys all fall in its own key range
            if hit.any():
                found.append((np.full(int(hit.sum()), band, dtype=np.int64), k[hit].view(np.int64), m[hit]))
            read.clear()
            held = 0

        def keep(k: bytes, m: bytes) -> None:
            nonlocal held
            read.append((k, m))
            held += len(k) + len(m)
            if held >= _MATCH_BYTES:
                match()

        whole: list[int] = []
        for rowid, part, size, step, fences in db.execute(  # a row at a time: the fences too are many
                f"SELECT rowid, part, length(keys) / 8, step, fences FROM postings WHERE band = ? AND part IN "
                f"({','.join('?' * len(parts))})", (band, *parts)):
            lo, hi = np.searchsorted(wanted_parts, [part, part + 1]).tolist()
            blocks = blocks_holding(np.frombuffer(fences, dtype="<u8").astype(np.uint64), wanted[lo:hi])
            if not len(blocks):
                continue
            if not _READS_BLOCKS or 4 * len(blocks) * step >= size:
                whole.append(rowid)
            else:
                keep(*_read_blocks(db, rowid, size, step, blocks))
        for at in range(0, len(whole), 100):
            chosen = whole[at:at + 100]
            for k, m in db.execute(
                    f"SELECT keys, members FROM postings WHERE rowid IN ({','.join('?' * len(chosen))})", chosen):
                keep(k, m)
        match()
    if not found:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
    return tuple(np.concatenate(column) for column in zip(*found))


def rows_to_merge(sizes: list[int]) -> list[int]:
    """Which rows of a crowded key range to merge (indexes into ``sizes``): not a row
    larger than all the smaller ones together, which would be rewritten again and again
    for little gain; the rest, at least two. So each posting is rewritten a logarithmic
    number of times, as in a log-structured merge.

    >>> rows_to_merge([9000, 10, 12, 9, 11, 10, 8, 10, 9])
    [1, 2, 3, 4, 5, 6, 7, 8]
    >>> rows_to_merge([100, 90, 80])
    [0, 1, 2]
    """
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    kept = 0
    while kept < len(order) - 2 and sizes[order[kept]] > sum(sizes[i] for i in order[kept + 1:]):
        kept += 1
    return sorted(order[kept:])


def merge_crowded(db: sqlite3.Connection) -> None:
    """Merge rows (:func:`rows_to_merge`) of every band and key range that has gathered
    more than _MAX_RUNS, until it holds _MAX_RUNS at most."""
    crowded = db.execute("SELECT band, part FROM postings GROUP BY band, part HAVING COUNT(*) > ?",
                         (_MAX_RUNS,)).fetchall()
    for band, part in crowded:
        while len(rows := db.execute("SELECT rowid, seq, length(keys) / 8 FROM postings WHERE band = ? AND part = ? "
                                     "ORDER BY seq",
                                     (band, part)).fetchall()) > _MAX_RUNS:
            _merge_rows(db, band, [rows[i] for i in rows_to_merge([size for _, _, size in rows])])


def _merge_rows(db: sqlite3.Connection, band: int, chosen: list[tuple[int, int, int]]) -> None:
    """Replace some ``(rowid, seq, size)`` rows of one band and key range by one."""
    marks = ",".join("?" * len(chosen))
    data = db.execute(f"SELECT keys, members FROM postings WHERE rowid IN ({marks})",
                      [rowid for rowid, _, _ in chosen]).fetchall()
    keys, members = _decoded(data)
    db.execute(f"DELETE FROM postings WHERE rowid IN ({marks})", [rowid for rowid, _, _ in chosen])
    post(db, min(seq for _, seq, _ in chosen), np.full(len(keys), band, dtype=np.int64), keys, members)


def stored_postings(db: sqlite3.Connection, band: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(key, article)`` postings of one band (or of :data:`ANCHORS`), as int64 keys
    and article numbers in key order: what a run reads, whole."""
    rows = db.execute("SELECT keys, members FROM postings WHERE band = ?", (band,)).fetchall()
    keys, members = _decoded(rows)
    order = np.lexsort((members, keys))
    return keys[order].view(np.int64), members[order]


