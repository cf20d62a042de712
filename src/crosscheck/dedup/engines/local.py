"""The local engine: sketch batches in this process (or a small process pool), keep
shingle sets aside, propose and verify candidates, join components.

Memory holds the signatures, band keys and anchors; shingle sets, about the size of
the texts, stay in memory up to a budget and go to a temporary file beyond it, and
are read back only for the candidate pairs.
"""

from __future__ import annotations

import os
import tempfile
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import numpy as np

from crosscheck.config import Settings
from crosscheck.parallel import process_map, worker_count
from crosscheck.dedup.lsh import anchor_candidates, band_candidates, unique_pairs
from crosscheck.model import Article
from crosscheck.dedup.engines import Sketches, Verdict, judge, sketch_articles, sketch_read
from crosscheck.text.load import Outcome, settle
from crosscheck.text.records import LineChunk, OnSkip


class SetStore:
    """Shingle sets by article number. They stay in memory up to ``budget`` bytes (a run
    of tens of thousands of articles never writes them out); past that, all of them move
    to an unnamed temporary file and later ones are appended there."""

    def __init__(self, budget: int = 256 << 20) -> None:
        self._budget = budget
        self._offsets: list[int] = [0]  # byte offsets of the sets, as if all were in one file
        self._parts: list[np.ndarray] = []  # the batches' keys while in memory
        self._part_starts: list[int] = []
        self._file: Any = None

    def append(self, sketches: Sketches) -> None:
        keys = sketches.set_keys.astype("<u8", copy=False)
        base = self._offsets[-1]
        self._offsets.extend((base + sketches.set_offsets[1:] * 8).tolist())
        if self._file is None and base + keys.nbytes <= self._budget:
            self._parts.append(keys)
            self._part_starts.append(base)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="crosscheck-sets-")
            for part in self._parts:
                self._file.write(memoryview(part).cast("B"))
            self._parts, self._part_starts = [], []
        self._file.write(memoryview(np.ascontiguousarray(keys)).cast("B"))

    def get(self, i: int) -> np.ndarray:
        start, end = self._offsets[i], self._offsets[i + 1]
        if end == start:
            return np.empty(0, dtype=np.uint64)
        if self._file is None:
            at = bisect_right(self._part_starts, start) - 1
            first = self._part_starts[at]
            return self._parts[at][(start - first) // 8:(end - first) // 8].astype(np.uint64)
        self._file.flush()
        data = os.pread(self._file.fileno(), end - start, start)
        return np.frombuffer(data, dtype="<u8").astype(np.uint64)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._parts = []


@dataclass
class NearGraph:
    """What the near-duplicate stage found: every article's id, date and set size, and
    the verified pairs that join them (indices into ``ids``)."""

    ids: list[str] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    edges: list[Verdict] = field(default_factory=list)
    candidates: int = 0


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def sketch_stream(articles: Iterable[Article], settings: Settings) -> Iterator[Sketches]:
    """Sketches of the articles, batch by batch, in input order.

    With ``dedup.workers`` 0, processes (one per core) start only when a second batch
    arrives: a small run pays no process start-up. A bounded window of batches in
    flight keeps memory flat on huge inputs.
    """
    workers = worker_count(settings.dedup.workers)
    jobs = batches(articles, settings.dedup.batch_size)
    first = next(jobs, None)
    if first is None:
        return
    second = next(jobs, None)
    if second is None:
        yield sketch_articles(first, settings)
        return
    stream = chain([first, second], jobs)
    yield from process_map(lambda batch: sketch_articles(batch, settings), stream, workers, min_items=1, in_flight=2,
                           blas=False)  # sketching multiplies no matrices


def sketch_reads(
    work: Iterable[tuple[dict[str, str] | None, LineChunk | list[Outcome], int]],
    settings: Settings,
    on_skip: OnSkip | None = None,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[Sketches]:
    """Sketches of a read handed out as work (:func:`crosscheck.text.load.read_ahead`):
    workers parse, clean and sketch; this process settles each piece in input order
    (skips or raises problems, makes ids unique in the ids ``seen`` that came with it)
    and tells ``on_read`` the bytes of input the piece finished. Processes start only
    when a second piece arrives, as in :func:`sketch_stream`."""
    seen_of: deque[tuple[dict[str, str] | None, int]] = deque()

    def pieces() -> Iterator[LineChunk | list[Outcome]]:
        for seen, piece, size in work:
            seen_of.append((seen, size))
            yield piece

    stream = pieces()
    first = next(stream, None)
    if first is None:
        return
    second = next(stream, None)
    jobs = [first] if second is None else chain([first, second], stream)
    workers = worker_count(settings.dedup.workers) if second is not None else 1
    for sketches, found in process_map(lambda piece: sketch_read(piece, settings), jobs, workers,
                                       min_items=1, in_flight=2, blas=False):
        seen, size = seen_of.popleft()
        kept = settle(found, settings, seen, on_skip)
        if on_read:
            on_read(size)
        yield sketches.select([row for row, _ in kept], [given for _, given in kept])


def candidates(band_key_rows: np.ndarray, anchor_keys: np.ndarray, anchor_owners: np.ndarray, settings: Settings) -> np.ndarray:
    """Candidate pairs from LSH bands (:attr:`Sketches.band_keys`, one row per article)
    and from shared anchors (for excerpts)."""
    d = settings.dedup
    ids = np.arange(len(band_key_rows), dtype=np.int64)
    by_band = band_candidates(band_key_rows, ids)
    by_anchor = anchor_candidates(anchor_keys, anchor_owners, d.anchor_min_shared, min_share=d.anchor_min_share)
    return unique_pairs(np.concatenate((by_band, by_anchor)))


def run(sketched: Iterable[Sketches], settings: Settings, progress=None) -> NearGraph:  # type: ignore[no-untyped-def]
    """The near-duplicate pipeline after sketching (:func:`sketch_reads` or
    :func:`sketch_stream`): candidates, verification; ``progress(stage, done, total)``
    hears of verification (the caller reports the reading)."""
    graph = NearGraph()
    store = SetStore()
    bands: list[np.ndarray] = []
    anchor_keys: list[np.ndarray] = []
    anchor_owners: list[np.ndarray] = []
    try:
        for sk in sketched:
            base = len(graph.ids)
            graph.ids += sk.ids
            graph.dates += sk.dates
            graph.sizes += sk.sizes.tolist()
            bands.append(sk.band_keys)
            anchor_keys.append(sk.anchor_keys)
            anchor_owners.append(sk.anchor_owners + base)
            store.append(sk)
        if not graph.ids:
            return graph
        pairs = candidates(np.concatenate(bands), np.concatenate(anchor_keys), np.concatenate(anchor_owners), settings)
        graph.candidates = len(pairs)
        for k, (i, j) in enumerate(pairs.tolist(), 1):
            verdict = judge(i, j, store.get(i), store.get(j), settings.dedup)
            if verdict.joined:
                graph.edges.append(verdict)
            if progress and (k % 4096 == 0 or k == len(pairs)):
                progress("verifying candidates", k, len(pairs))
    finally:
        store.close()
    return graph
