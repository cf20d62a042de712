"""An on-disk store of sentence vectors, so a text is never embedded twice.

One SQLite file in WAL mode rather than a file per vector: tens of thousands of
sentences would otherwise mean tens of thousands of 1.5 KB files; WAL lets any number
of processes read while one writes; writes are short ``INSERT OR IGNORE`` transactions,
so two runs that embed the same sentence at once both succeed and keep one row (the
vectors are the same anyway). WAL needs a local file system (not NFS), which a cache
folder under ``~/.cache`` is.

Rows are keyed by the model's fingerprint and a BLAKE2 digest of the text, so a
different model, or an edited sentence, simply misses.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

FILENAME = "embeddings.sqlite3"
_CHUNK = 500  # stay well under SQLite's limit on bound parameters per statement
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID
"""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/crosscheck``, else ``~/.cache/crosscheck``, as the XDG spec says."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "crosscheck"


def text_key(text: str) -> bytes:
    """A short digest of the exact text: equal texts share a row, any edit gets a new one."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


class EmbeddingCache:
    """Vectors of one width, by (model id, text), in ``<folder>/embeddings.sqlite3``.

    Safe to share between threads (one lock) and processes (SQLite locking); a process
    forked after use opens its own connection rather than inheriting the parent's.
    """

    def __init__(self, folder: str | Path, dim: int, timeout: float = 30.0) -> None:
        self.folder = Path(folder).expanduser()
        self.path = self.folder / FILENAME
        self.dim = dim
        self.timeout = timeout
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        with self._lock:
            self._connection()  # fail now, with the folder named, rather than mid-run

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            self._into_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last rows only
            conn.execute(_SCHEMA)
        except sqlite3.Error:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _into_wal(self, conn: sqlite3.Connection) -> None:
        """Put a new cache file in WAL mode. Two processes opening a new file at once
        both read it and then both wait for the other's read to end before switching:
        a deadlock that SQLite's busy timeout only ends by failing one of them (after
        ``timeout``, 60 s in the concurrency test). So the switch waits briefly, gives
        its read up and tries again, until ``timeout``."""
        deadline = time.monotonic() + self.timeout
        conn.execute("PRAGMA busy_timeout = 50")
        try:
            while True:
                try:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        conn.execute("PRAGMA journal_mode=WAL")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.01 + 0.04 * (os.getpid() % 7) / 7)  # apart, so that one of them wins
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

    def get_many(self, model: str, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The stored vector of each text, or None where there is none yet."""
        keys = [text_key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        width = self.dim * 4
        with self._lock:
            conn = self._connection()
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT text_hash, vector FROM vectors WHERE model = ? AND text_hash IN ({marks})",
                    (model, *chunk),
                )
                for key, blob in rows:
                    if len(blob) == width:  # a row of another width is stale: treat as a miss
                        found[key] = np.frombuffer(blob, dtype="<f4")
        return [found.get(k) for k in keys]

    def put_many(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors in one short transaction; texts already stored are left as they are."""
        rows = [(model, text_key(t), np.asarray(v, dtype="<f4").tobytes()) for t, v in items]
        if not rows:
            return
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany("INSERT OR IGNORE INTO vectors (model, text_hash, vector) VALUES (?, ?, ?)", rows)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def count(self, model: str | None = None) -> int:
        """How many vectors are stored (for one model, or for all)."""
        with self._lock:
            conn = self._connection()
            if model is None:
                return int(conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
            return int(conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,)).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
