"""An incremental dedup index in one SQLite file.

It keeps, per article, its id, date, shingle-set size, MinHash signature and shingle
set, plus the LSH buckets and excerpt anchors (as sorted runs of keys: see
:mod:`crosscheck.dedup.postings`) and the verified pairs. A later run adds new
articles in one transaction and checks them against everything indexed before without
re-reading the old files.

Safety: each run is a single ``BEGIN IMMEDIATE`` transaction in WAL mode. A run killed
at any moment leaves the index as it was before the run (SQLite rolls the unfinished
transaction back on the next open) or as it is after it; readers in other processes
see the last committed state while a run writes. The run that creates the file is the
exception: it fills it with a rollback journal, which writes each page once (WAL writes
it twice), and turns it to WAL when it commits; until then other processes wait for it.
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
from crosscheck.dedup.lsh import anchor_candidates, band_keys, bucket_pairs, optimal_bands, unique_pairs
from crosscheck.model import DuplicateCluster
from crosscheck.dedup.shingle import HASH_VERSIONS
from crosscheck.dedup.postings import ANCHORS, merge_crowded, post, posted

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT, size INTEGER NOT NULL,
    signature BLOB NOT NULL, shingles BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    band INTEGER NOT NULL, part INTEGER NOT NULL, seq INTEGER NOT NULL, step INTEGER NOT NULL,
    fences BLOB NOT NULL, keys BLOB NOT NULL, members BLOB NOT NULL, PRIMARY KEY (band, part, seq));
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
_MOVE_BATCH = 250_000  # old-layout rows moved to postings at a time


@dataclass
class IndexedRun:
    clusters: list[DuplicateCluster] = field(default_factory=list)
    articles: int = 0
    indexed: int = 0
    candidates: int = 0
    already: list[str] = field(default_factory=list)


def _reader(path: str | Path, timeout: float = 60) -> sqlite3.Connection:
    """A read-only connection to an existing index. A run killed while the file still had
    a rollback journal (the run that creates it: see :func:`connect`) leaves that journal
    behind, and a read-only connection cannot roll it back (SQLite refuses: "attempt to
    write a readonly database"); a read-write open rolls it back first, as the next
    writer would, which restores the file's last committed state."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        db.close()
        if "readonly" not in str(exc):
            raise
        writer = sqlite3.connect(str(path), timeout=timeout)
        try:
            writer.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        finally:
            writer.close()
        db = sqlite3.connect(uri, uri=True, timeout=timeout)
    return db


def _refused(path: str | Path, exc: sqlite3.Error) -> InputError:
    """What to say when SQLite refuses the file: locked through the whole wait, or not an index."""
    if "locked" in str(exc):
        return InputError(path, "is locked: another run has been writing it for over a minute")
    return InputError(path, f"not a crosscheck index ({exc})")


def check_index(path: str) -> None:
    """Refuse, before dedup writes to it, an SQLite file that is not a crosscheck index:
    one with other tables or columns than an index has, or no database at all."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return  # a new index; the index module names a folder or a missing parent itself
    want = _columns(sqlite3.connect(":memory:"), _SCHEMA)
    try:
        # As long a wait as a run's own (connect): a new index is locked while its first
        # run fills it (with a rollback journal, readers wait for the commit).
        have = _columns(_reader(p))
    except sqlite3.DatabaseError as exc:
        raise _refused(path, exc) from None
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
        new = not p.exists() or p.stat().st_size == 0
        db = sqlite3.connect(str(p), timeout=60, isolation_level=None)
        # Most of an index is one row per article holding its shingle set (a few KB): on
        # SQLite's largest pages many share a page, on 4 KB pages each takes one. (Only a
        # new file takes the setting; it must come before the switch to WAL.)
        db.execute("PRAGMA page_size=65536")
        # A new file is filled by one transaction that no reader can be waiting on: a
        # rollback journal writes its pages once, WAL twice (the log, then the
        # checkpoint). It turns to WAL after that first commit (:func:`_serve_readers`);
        # a file in WAL stays so. (Not switched here: the switch needs the file to
        # itself, and would fail at once, not wait, while a first run fills it.)
        if new:
            db.execute("PRAGMA journal_mode=DELETE")
        # NORMAL is safe against power loss in WAL mode; a rollback journal needs FULL.
        db.execute("PRAGMA synchronous=FULL" if new else "PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-65536")  # 64 MB: building the lookup indexes stays in memory
        db.execute("PRAGMA temp_store=MEMORY")
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise _refused(path, exc) from None
    return db


def _serve_readers(db: sqlite3.Connection) -> None:
    """WAL mode, in which readers in other processes see the last committed index while
    a run writes; a new index was filled with a rollback journal (see :func:`connect`).
    The switch needs the file to itself: another process reading it just then keeps it
    as it is, without a wait, until a later run switches it."""
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA busy_timeout=0")
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError:
            pass
        finally:
            db.execute("PRAGMA busy_timeout=60000")


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
    a_key = sk.anchor_keys.astype(np.uint64)
    mine = number[owners] >= 0 if len(owners) else np.zeros(0, dtype=bool)
    owners, a_key = owners[mine], a_key[mine]
    # Equal (owner, key) rows must be side by side: they are when the keys come, as
    # sketching gives them, sorted within each owner; otherwise sort.
    step, same_owner = owners[1:] - owners[:-1], owners[1:] == owners[:-1]
    if not bool(((step > 0) | (same_owner & (a_key[1:] >= a_key[:-1]))).all()):
        order = np.lexsort((a_key, owners))
        owners, a_key = owners[order], a_key[order]
    a_key = a_key.view(np.int64)
    fresh = np.ones(len(a_key), dtype=bool)
    fresh[1:] = (owners[1:] != owners[:-1]) | (a_key[1:] != a_key[:-1])
    a_key, a_n = a_key[fresh], number[owners[fresh]]
    new.buckets.append((b_band, b_key, b_n))
    new.anchors.append((a_key, a_n))
    db.executemany("INSERT INTO articles (n, id, date, size, signature, shingles) VALUES (?, ?, ?, ?, ?, ?)", articles)
    return next_n


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
            post(db, -batch, columns[:, 0], columns[:, 1], columns[:, 2])
    db.execute("INSERT OR REPLACE INTO anchor_totals SELECT n, COUNT(*) FROM anchors GROUP BY n")
    db.execute("DELETE FROM buckets")
    db.execute("DELETE FROM anchors")
    db.execute("DROP INDEX IF EXISTS buckets_by_key")
    db.execute("DROP INDEX IF EXISTS anchors_by_key")


def _write_postings(db: sqlite3.Connection, first_new: int, new: _NewRows) -> None:
    """This run's buckets and anchors as postings, and each new article's anchor count."""
    bands, keys, members, akeys, aowners = new.columns()
    post(db, first_new, np.concatenate((bands, np.full(len(akeys), ANCHORS, dtype=np.int64))),
          np.concatenate((keys, akeys)), np.concatenate((members, aowners)))
    if len(aowners):
        counts = np.bincount(aowners - first_new)
        owners = np.flatnonzero(counts)
        db.executemany("INSERT INTO anchor_totals VALUES (?, ?)",
                       zip((owners + first_new).tolist(), counts[owners].tolist()))
    merge_crowded(db)


def _candidates(db: sqlite3.Connection, first_new: int, new: _NewRows, settings: Settings) -> list[tuple[int, int]]:
    """Pairs involving at least one article added in this run, by the local engine's
    rules and functions: the new articles' buckets and anchors are in memory; only the
    stored postings sharing one of their keys are read from the index."""
    d = settings.dedup
    bands, keys, members, akeys, aowners = new.columns()
    own = None
    if first_new > 1 and len(members):
        ob, ok, on = posted(db, bands, keys)
        bands, keys, members = np.concatenate((ob, bands)), np.concatenate((ok, keys)), np.concatenate((on, members))
        _, ok, on = posted(db, np.full(len(akeys), ANCHORS, dtype=np.int64), akeys)
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


_READ_BATCH = 900  # article numbers per query: under SQLite's oldest limit of 999 parameters


def _shingle_sets(db: sqlite3.Connection, numbers: list[int]) -> dict[int, np.ndarray]:
    """The shingle sets of the given articles, read a few hundred to a query (one query
    per article cost more than the reading)."""
    sets = {}
    for at in range(0, len(numbers), _READ_BATCH):
        part = numbers[at:at + _READ_BATCH]
        for n, blob in db.execute(f"SELECT n, shingles FROM articles WHERE n IN ({','.join('?' * len(part))})", part):
            sets[n] = np.frombuffer(blob, dtype="<u8").astype(np.uint64)
    return sets


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
        sets = _shingle_sets(db, sorted({n for pair in pairs for n in pair}))
        edges = []
        for a, b in pairs:
            verdict = judge(a, b, sets[a], sets[b], settings.dedup)
            if verdict.joined:
                edges.append((a, b, verdict.similarity, verdict.why))
        db.executemany("INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?)", edges)
        db.execute("COMMIT")
        _serve_readers(db)
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
    try:
        db = _reader(path)
    except sqlite3.DatabaseError as exc:
        raise _refused(path, exc) from None
    try:
        return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise _refused(path, exc) from None
    finally:
        db.close()
