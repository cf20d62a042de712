"""An incremental dedup index in one SQLite file.

It keeps, per article, its id, date, shingle-set size, MinHash signature and shingle
set, plus the LSH buckets and excerpt anchors (as sorted runs of keys: see
:func:`_post`) and the verified pairs. A later run adds new articles in one
transaction and checks them against everything indexed before without re-reading the
old files.

Safety: each run is a single ``BEGIN IMMEDIATE`` transaction in WAL mode. A run killed
at any moment leaves the index as it was before the run (SQLite rolls the unfinished
transaction back on the next open) or as it is after it; readers in other processes
see the last committed state while a run writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from crosscheck.config import Settings
from crosscheck.dedup.engines import Sketches, judge
from crosscheck.errors import ConfigError, InputError
from crosscheck.dedup.lsh import anchor_candidates, band_keys, bucket_pairs, key_order, optimal_bands, unique_pairs
from crosscheck.model import DuplicateCluster
from crosscheck.dedup.shingle import HASH_VERSIONS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT, size INTEGER NOT NULL,
    signature BLOB NOT NULL, shingles BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    band INTEGER NOT NULL, part INTEGER NOT NULL, seq INTEGER NOT NULL, size INTEGER NOT NULL,
    step INTEGER NOT NULL, fences BLOB NOT NULL, keys BLOB NOT NULL, members BLOB NOT NULL,
    PRIMARY KEY (band, part, seq));
CREATE TABLE IF NOT EXISTS anchor_totals (n INTEGER PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, similarity REAL NOT NULL, why TEXT NOT NULL,
    PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS buckets (band INTEGER NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS anchors (key INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS anchor_counts (key INTEGER PRIMARY KEY, count INTEGER NOT NULL);
"""

# Settings that change what is stored: an index built with others cannot be extended.
_FIXED = ("shingle_size", "num_perm", "seed", "hash", "scheme", "anchor_rate")
_MAX_POSTINGS = 32


@dataclass
class IndexedRun:
    clusters: list[DuplicateCluster] = field(default_factory=list)
    articles: int = 0
    indexed: int = 0
    candidates: int = 0
    already: list[str] = field(default_factory=list)


def check_index(path: str) -> None:
    """Refuse, before dedup writes to it, an SQLite file that is not a crosscheck index:
    one with other tables or columns than an index has, or no database at all."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return  # a new index; the index module names a folder or a missing parent itself
    want = _columns(sqlite3.connect(":memory:"), _SCHEMA)
    try:
        have = _columns(sqlite3.connect(p.resolve().as_uri() + "?mode=ro", uri=True))
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"not a crosscheck index ({exc})") from None
    other = sorted(set(have) - set(want))
    if other:
        raise InputError(path, f"not a crosscheck index (an SQLite database with other tables: {', '.join(other)})")
    for table, columns in have.items():
        missing = sorted(want[table] - columns)
        if missing:
            raise InputError(path, f"not a crosscheck index (table {table} lacks {', '.join(missing)})")


def _columns(db: sqlite3.Connection, script: str = "") -> dict[str, set[str]]:
    """The column names of each table of a database (after running ``script``)."""
    try:
        if script:
            db.executescript(script)
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: {row[1] for row in db.execute("PRAGMA table_info('" + n.replace("'", "''") + "')")}
                for n in names if not n.startswith("sqlite_")}
    finally:
        db.close()


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (or create) an index; refuse a file that is not one."""
    check_index(path)
    p = Path(path)
    if p.is_dir():
        raise InputError(path, "is a folder, expected an index file")
    if not p.parent.is_dir():
        raise InputError(path, "cannot create the index: its folder does not exist")
    try:
        db = sqlite3.connect(str(p), timeout=60, isolation_level=None)
        # Most of an index is one row per article holding its shingle set (a few KB): on
        # SQLite's largest pages many share a page, on 4 KB pages each takes one. (Only a
        # new file takes the setting; it must come before the switch to WAL.)
        db.execute("PRAGMA page_size=65536")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-65536")  # 64 MB: building the lookup indexes stays in memory
        db.execute("PRAGMA temp_store=MEMORY")
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"not a crosscheck index ({exc})") from None
    return db


def _check_meta(db: sqlite3.Connection, settings: Settings, path: str | Path) -> None:
    stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
    for key in _FIXED:
        value = str(getattr(settings.dedup, key))
        if key == "hash":
            value = HASH_VERSIONS.get(value, value)  # a changed hash is another hash
        if key in stored and stored[key] != value:
            raise ConfigError(
                f"dedup.{key}", f"the index was built with {stored[key]}, not {value}; use a new index", path=path
            )
        db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))


def _band_layout(db: sqlite3.Connection, settings: Settings) -> tuple[int, int]:
    """Bands and rows of the index's buckets, fixed by the run that created it.

    Later runs may verify at another ``--threshold``; their buckets must still be cut
    the way the stored ones were, or old and new articles would never share one.
    """
    stored = db.execute("SELECT value FROM meta WHERE key = 'band_layout'").fetchone()
    if stored:
        bands, rows = (int(x) for x in stored[0].split("x"))
        return bands, rows
    d = settings.dedup
    bands, rows = optimal_bands(d.threshold, d.num_perm, d.miss_weight)
    db.execute("INSERT INTO meta VALUES ('band_layout', ?)", (f"{bands}x{rows}",))
    return bands, rows


@dataclass
class _NewRows:
    """The buckets ``(band, key, n)`` and anchors ``(key, n)`` of this run's articles,
    one array per column and batch."""

    buckets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    anchors: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def columns(self) -> tuple[np.ndarray, ...]:
        """(bands, keys, members, anchor keys, anchor owners), each int64."""
        def joined(parts: list, k: int) -> np.ndarray:
            return np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, dtype=np.int64)

        return (*(joined(self.buckets, k) for k in range(3)), *(joined(self.anchors, k) for k in range(2)))


def _add_batch(db: sqlite3.Connection, sk: Sketches, settings: Settings, run: IndexedRun, next_n: int,
               new: _NewRows) -> int:
    """Insert a batch's new articles with one ``executemany`` and keep their buckets and
    anchors in ``new`` (they are written as postings at the end of the run); return the
    next free article number. Buckets go by band, anchors by key."""
    bands, rows = _band_layout(db, settings)
    marks = ",".join("?" * len(sk.ids))
    known = {r[0] for r in db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", sk.ids)}
    d = settings.dedup
    same = (bands, rows) == optimal_bands(d.threshold, d.num_perm, d.miss_weight)
    keys = np.asarray(sk.band_keys if same else band_keys(sk.signatures, bands, rows)).astype(np.uint64).view(np.int64)
    number = np.full(len(sk.ids), -1, dtype=np.int64)
    seen: set[str] = set()
    for i, article_id in enumerate(sk.ids):
        if article_id in known or article_id in seen:
            run.already.append(article_id)
            continue
        seen.add(article_id)
        number[i] = next_n
        next_n += 1
    kept = np.flatnonzero(number >= 0)
    run.indexed += len(kept)
    # Each article's signature and shingle set as bytes: sliced out of the batch's bytes.
    signatures = sk.signatures.astype("<u4").tobytes()
    row = 4 * sk.signatures.shape[1]
    shingles = sk.set_keys.astype("<u8").tobytes()
    at = (sk.set_offsets * 8).tolist()
    sizes = sk.sizes.tolist()
    articles = [(int(number[i]), sk.ids[i], sk.dates[i], sizes[i], signatures[i * row:(i + 1) * row],
                 shingles[at[i]:at[i + 1]]) for i in kept.tolist()]
    b_band = np.tile(np.arange(bands, dtype=np.int64), len(kept))
    b_key = keys[kept].ravel()
    b_n = np.repeat(number[kept], bands)
    owners = np.asarray(sk.anchor_owners, dtype=np.int64)
    a_key = sk.anchor_keys.astype(np.uint64).view(np.int64)
    mine = number[owners] >= 0 if len(owners) else np.zeros(0, dtype=bool)
    owners, a_key = owners[mine], a_key[mine]
    order = np.lexsort((a_key, owners))  # (already in this order when the batch is a slice of one sketch run)
    owners, a_key = owners[order], a_key[order]
    fresh = np.ones(len(a_key), dtype=bool)
    fresh[1:] = (owners[1:] != owners[:-1]) | (a_key[1:] != a_key[:-1])
    a_key, a_n = a_key[fresh], number[owners[fresh]]
    new.buckets.append((b_band, b_key, b_n))
    new.anchors.append((a_key, a_n))
    db.executemany("INSERT INTO articles (n, id, date, size, signature, shingles) VALUES (?, ?, ?, ?, ?, ?)", articles)
    return next_n


# Postings: what ``(band, key) -> article`` rows were, kept as sorted runs of keys. Each
# run of the index writes, per band and per key range (the key's top byte), one row of
# sorted keys and their articles; a range that gathers more than _MAX_RUNS rows has its
# smaller rows merged (:func:`rows_to_merge`). A run writes a few thousand rows however
# many articles it adds (one row per bucket and anchor cost more than all the rest of an
# index run). Each row also keeps every _BLOCK-th key (its fences), so that a run reads
# only the blocks of keys its own keys could be in: on an index of millions of articles,
# a run of a few hundred reads a few MB, not every posting.
ANCHORS = -1
"""The band number under which anchors are posted."""
_PART_SHIFT = np.uint64(56)
_MAX_RUNS = 8
_MOVE_BATCH = 250_000
_BLOCK = 32
_MATCH_BYTES = 16 << 20
_READS_BLOCKS = hasattr(sqlite3.Connection, "blobopen")  # Python 3.11+; before, rows are read whole


def _parts(keys: np.ndarray) -> np.ndarray:
    """The key range (0-255) of each key: its top byte."""
    return (keys.view(np.uint64) >> _PART_SHIFT).astype(np.int64)


def _post(db: sqlite3.Connection, seq: int, bands: np.ndarray, keys: np.ndarray, members: np.ndarray) -> None:
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
    rows = [(int(bands[lo]), int(parts[lo]), seq, hi - lo, _BLOCK, keys[lo:hi:_BLOCK].tobytes(),
             key_bytes[8 * lo:8 * hi], member_bytes[8 * lo:8 * hi])
            for lo, hi in zip([0, *cuts], [*cuts, len(keys)])]
    db.executemany("INSERT INTO postings (band, part, seq, size, step, fences, keys, members) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


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


def _posted(db: sqlite3.Connection, bands: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, ...]:
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
            k = np.frombuffer(b"".join(x for x, _ in read), dtype="<u8").astype(np.uint64)
            m = np.frombuffer(b"".join(y for _, y in read), dtype="<i8").astype(np.int64)
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
                f"SELECT rowid, part, size, step, fences FROM postings WHERE band = ? AND part IN "
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


def _merge_postings(db: sqlite3.Connection) -> None:
    """Merge rows (:func:`rows_to_merge`) of every band and key range that has gathered
    more than _MAX_RUNS, until it holds _MAX_RUNS at most."""
    crowded = db.execute("SELECT band, part FROM postings GROUP BY band, part HAVING COUNT(*) > ?",
                         (_MAX_RUNS,)).fetchall()
    for band, part in crowded:
        while len(rows := db.execute("SELECT rowid, seq, size FROM postings WHERE band = ? AND part = ? ORDER BY seq",
                                     (band, part)).fetchall()) > _MAX_RUNS:
            _merge_rows(db, band, [rows[i] for i in rows_to_merge([size for _, _, size in rows])])


def _merge_rows(db: sqlite3.Connection, band: int, chosen: list[tuple[int, int, int]]) -> None:
    """Replace some ``(rowid, seq, size)`` rows of one band and key range by one."""
    marks = ",".join("?" * len(chosen))
    data = db.execute(f"SELECT keys, members FROM postings WHERE rowid IN ({marks})",
                      [rowid for rowid, _, _ in chosen]).fetchall()
    keys = np.frombuffer(b"".join(k for k, _ in data), dtype="<u8").astype(np.uint64)
    members = np.frombuffer(b"".join(m for _, m in data), dtype="<i8").astype(np.int64)
    db.execute(f"DELETE FROM postings WHERE rowid IN ({marks})", [rowid for rowid, _, _ in chosen])
    _post(db, min(seq for _, seq, _ in chosen), np.full(len(keys), band, dtype=np.int64), keys, members)


def _move_rows(db: sqlite3.Connection) -> None:
    """An index written before postings kept one row per bucket and anchor: move those
    rows into postings (and the anchor counts into ``anchor_totals``), once."""
    if not db.execute("SELECT EXISTS (SELECT 1 FROM buckets) OR EXISTS (SELECT 1 FROM anchors)").fetchone()[0]:
        return
    batch = 0
    for table, band in (("buckets", "band"), ("anchors", str(ANCHORS))):
        rows = db.execute(f"SELECT {band}, key, n FROM {table}")
        # A batch of rows at a time, each its own postings (seq -1, -2, ...): an old index
        # can hold tens of millions of rows, too many to hold as Python tuples at once.
        while found := rows.fetchmany(_MOVE_BATCH):
            batch += 1
            columns = np.array(found, dtype=np.int64)
            _post(db, -batch, columns[:, 0], columns[:, 1], columns[:, 2])
    db.execute("INSERT OR REPLACE INTO anchor_totals SELECT n, COUNT(*) FROM anchors GROUP BY n")
    db.execute("DELETE FROM buckets")
    db.execute("DELETE FROM anchors")
    db.execute("DROP INDEX IF EXISTS buckets_by_key")
    db.execute("DROP INDEX IF EXISTS anchors_by_key")


def stored_postings(db: sqlite3.Connection, band: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(key, article)`` postings of one band (or of :data:`ANCHORS`), as int64 keys
    and article numbers in key order: what a run reads, whole."""
    rows = db.execute("SELECT keys, members FROM postings WHERE band = ?", (band,)).fetchall()
    keys = np.frombuffer(b"".join(r[0] for r in rows), dtype="<u8").astype(np.uint64)
    members = np.frombuffer(b"".join(r[1] for r in rows), dtype="<i8").astype(np.int64)
    order = np.lexsort((members, keys))
    return keys[order].view(np.int64), members[order]


def _write_postings(db: sqlite3.Connection, first_new: int, new: _NewRows) -> None:
    """This run's buckets and anchors as postings, and each new article's anchor count."""
    bands, keys, members, akeys, aowners = new.columns()
    _post(db, first_new, np.concatenate((bands, np.full(len(akeys), ANCHORS, dtype=np.int64))),
          np.concatenate((keys, akeys)), np.concatenate((members, aowners)))
    if len(aowners):
        counts = np.bincount(aowners - first_new)
        owners = np.flatnonzero(counts)
        db.executemany("INSERT INTO anchor_totals VALUES (?, ?)",
                       zip((owners + first_new).tolist(), counts[owners].tolist()))
    _merge_postings(db)


def _candidates(db: sqlite3.Connection, first_new: int, new: _NewRows, settings: Settings) -> list[tuple[int, int]]:
    """Pairs involving at least one article added in this run, by the local engine's
    rules and functions: the new articles' buckets and anchors are in memory; only the
    stored postings sharing one of their keys are read from the index."""
    d = settings.dedup
    bands, keys, members, akeys, aowners = new.columns()
    own = None
    if first_new > 1 and len(members):
        ob, ok, on = _posted(db, bands, keys)
        bands, keys, members = np.concatenate((ob, bands)), np.concatenate((ok, keys)), np.concatenate((on, members))
        _, ok, on = _posted(db, np.full(len(akeys), ANCHORS, dtype=np.int64), akeys)
        if len(on):
            olds = np.unique(on).tolist()
            width = max(int(aowners.max()) if len(aowners) else 0, olds[-1]) + 1
            own = np.bincount(aowners, minlength=width)
            for n, count in db.execute(
                    f"SELECT n, count FROM anchor_totals WHERE n IN ({','.join('?' * len(olds))})", olds):
                own[n] = count
            akeys, aowners = np.concatenate((ok, akeys)), np.concatenate((on, aowners))
    by_band = bucket_pairs(bands, keys, members)
    by_anchor = anchor_candidates(akeys.view(np.uint64), aowners, d.anchor_min_shared, _MAX_POSTINGS,
                                  d.anchor_min_share, own)
    pairs = unique_pairs(np.concatenate((by_band, by_anchor)))
    return [(a, b) for a, b in pairs.tolist() if b >= first_new]


def _shingles(db: sqlite3.Connection, n: int) -> np.ndarray:
    (blob,) = db.execute("SELECT shingles FROM articles WHERE n = ?", (n,)).fetchone()
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def run_indexed(sketched: Iterable[Sketches], settings: Settings, path: str | Path) -> IndexedRun:
    """Add the sketched articles to the index at ``path`` and cluster the new ones with all.

    A damaged database is the index file's problem, named as such.
    """
    try:
        return _run_indexed(sketched, settings, path)
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"cannot use the index ({exc})") from None


def _run_indexed(sketched: Iterable[Sketches], settings: Settings, path: str | Path) -> IndexedRun:
    """Add articles to the index at ``path`` and cluster the new ones with all indexed.

    Clusters reported are those that gained a member in this run; their members
    include articles indexed by earlier runs.
    """
    from crosscheck.dedup.run import build_clusters

    run = IndexedRun()
    db = connect(path)
    try:
        db.execute("BEGIN IMMEDIATE")
        _check_meta(db, settings, path)
        first_new = (db.execute("SELECT MAX(n) FROM articles").fetchone()[0] or 0) + 1
        _move_rows(db)
        next_n, new = first_new, _NewRows()
        for sk in sketched:
            run.articles += len(sk)
            next_n = _add_batch(db, sk, settings, run, next_n, new)
        pairs = _candidates(db, first_new, new, settings)
        _write_postings(db, first_new, new)
        run.candidates = len(pairs)
        cache: dict[int, np.ndarray] = {}
        for a, b in pairs:
            for n in (a, b):
                if n not in cache:
                    cache[n] = _shingles(db, n)
            verdict = judge(a, b, cache[a], cache[b], settings.dedup)
            if verdict.joined:
                db.execute(
                    "INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?)", (a, b, verdict.similarity, verdict.why)
                )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()
        raise
    try:
        run.clusters = _clusters(db, first_new, settings, build_clusters)
    finally:
        db.close()
    return run


def _clusters(db: sqlite3.Connection, first_new: int, settings: Settings, build) -> list[DuplicateCluster]:
    from crosscheck.dedup.engines import Verdict, components

    edges = db.execute("SELECT a, b, similarity, why FROM edges ORDER BY a, b").fetchall()
    touched = [g for g in components([(a, b) for a, b, _, _ in edges]) if g[-1] >= first_new]
    nodes = sorted({n for g in touched for n in g})
    if not nodes:
        return []
    position = {n: i for i, n in enumerate(nodes)}
    info = {n: (i, d, s) for n, i, d, s in db.execute(
        f"SELECT n, id, date, size FROM articles WHERE n IN ({','.join('?' * len(nodes))})", nodes)}
    verdicts = [
        Verdict(position[a], position[b], sim, sim, True, why)
        for a, b, sim, why in edges if a in position and b in position
    ]
    return build(
        "near",
        [info[n][0] for n in nodes],
        [info[n][1] for n in nodes],
        [info[n][2] for n in nodes],
        verdicts,
        settings.dedup.representative,
    )


def index_size(path: str | Path) -> int:
    """How many articles an index holds, as a reader in another process sees it."""
    if not Path(path).exists():
        raise InputError(path, "no such index")
    db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, timeout=60)
    try:
        return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"not a crosscheck index ({exc})") from None
    finally:
        db.close()
