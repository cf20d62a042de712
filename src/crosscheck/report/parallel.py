"""Comparing many (source, rewrite) pairs over the available cores.

The documents reach each worker once, when it starts (inherited on fork), and tasks
name them by index, so what travels through the pool's pipes stays small. At most a
few tasks per worker are in flight: the pool's feeder thread then never blocks on a
full pipe, and Ctrl-C (which reaches the whole process group) can always end the
pool at once. Workers ignore SIGINT; the parent answers it with one line.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Sequence

from crosscheck.config.settings import Settings
from crosscheck.errors import ConfigError
from crosscheck.model import Comparison, Document

# progress(stage, done, total): called as articles are read and pairs compared.
Progress = Callable[[str, int, int], None]

# Below this many pairs, starting worker processes costs more than it saves.
PARALLEL_MIN_PAIRS = 8

# Tasks in flight per worker: enough to keep it busy, few enough to keep pipes free.
_IN_FLIGHT = 2

_shared: tuple[Sequence[Document], Settings] | None = None


def _start_worker(docs: Sequence[Document], settings: Settings) -> None:
    """Worker start-up: keep the documents and let the parent alone answer Ctrl-C."""
    global _shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _shared = (docs, settings)


def compare_chunk(docs: Sequence[Document], settings: Settings, source: int, rewrites: Sequence[int]) -> list[Comparison]:
    """One source compared with several rewrites, sharing the source's features."""
    from crosscheck.match.compare import Matcher

    matcher = Matcher(docs[source], settings)
    return [matcher.compare(docs[r]) for r in rewrites]


def _work(task: tuple[int, int, tuple[int, ...]]) -> tuple[int, list[Comparison]]:
    n, source, rewrites = task
    assert _shared is not None, "worker started without its documents"
    docs, settings = _shared
    return n, compare_chunk(docs, settings, source, rewrites)


def worker_count(settings: Settings) -> int:
    """Processes to use: ``report.workers``, or one per core the process may run on."""
    wanted = settings.report.workers
    if wanted < 0:
        raise ConfigError("report.workers", f"expected 0 (one per core) or more, got {wanted}")
    if wanted:
        return wanted
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def runner(docs: Sequence[Document], settings: Settings, progress: Progress | None):
    """A function comparing ``(source, rewrite)`` index pairs, in worker processes when
    there are enough of them, reporting progress as chunks finish; results come back
    in the order of the pairs whatever order the workers finish in."""
    workers = worker_count(settings)
    state = {"done": 0, "total": 0}

    def run(pairs: Sequence[tuple[int, int]]) -> list[Comparison]:
        state["total"] += len(pairs)
        by_source: dict[int, list[int]] = {}
        for k, (s, _) in enumerate(pairs):
            by_source.setdefault(s, []).append(k)
        size = max(1, min(32, -(-len(pairs) // (workers * 4))))
        chunks = [ks[x : x + size] for ks in by_source.values() for x in range(0, len(ks), size)]
        tasks = [(n, pairs[ks[0]][0], tuple(pairs[k][1] for k in ks)) for n, ks in enumerate(chunks)]
        out: list[Comparison | None] = [None] * len(pairs)

        def collect(n: int, results: list[Comparison]) -> None:
            for k, c in zip(chunks[n], results):
                out[k] = c
            state["done"] += len(chunks[n])
            if progress:
                progress("comparing", state["done"], state["total"])

        if progress:
            progress("comparing", state["done"], state["total"])
        if workers > 1 and len(pairs) >= PARALLEL_MIN_PAIRS:
            _in_pool(tasks, min(workers, len(chunks)), docs, settings, collect)
        else:
            for n, source, rewrites in tasks:
                collect(n, compare_chunk(docs, settings, source, rewrites))
        return [c for c in out if c is not None]

    return run


def _in_pool(tasks, processes: int, docs, settings, collect) -> None:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    finished: queue.Queue = queue.Queue()
    with multiprocessing.get_context(method).Pool(processes, _start_worker, (docs, settings)) as pool:
        pending = iter(tasks)
        running = 0
        while True:
            while running < processes * _IN_FLIGHT:
                task = next(pending, None)
                if task is None:
                    break
                pool.apply_async(_work, (task,), callback=finished.put, error_callback=finished.put)
                running += 1
            if not running:
                break
            got = finished.get()
            running -= 1
            if isinstance(got, BaseException):
                raise got
            collect(*got)
