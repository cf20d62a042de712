"""The one way crosscheck spreads work over processes: compare, report and dedup all use it.

Workers are forked, so the function they run is inherited, never pickled: it may be a
closure over a prepared source or a settings object, and nothing is kept in module state
to reach it. Only the items and the results cross a pipe. Results come back in input
order, so output never depends on which worker finished first. Each worker runs BLAS with
one thread (a worker already has a core; more threads on small matrices only fight) and
leaves Ctrl-C to the parent, which stops every worker and raises one KeyboardInterrupt.
Where ``fork`` is missing, or the work is too small to pay for starting processes, the
items are mapped in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8
"""Below this many items (when the count is known), starting processes costs more than it saves."""


def worker_count(wanted: int) -> int:
    """``wanted`` processes, or one per core this process may run on when it is 0."""
    if wanted > 0:
        return wanted
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def one_blas_thread() -> None:
    """Pin numpy's BLAS to one thread in this process."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        return
    threadpool_limits(limits=1)


class WorkerError(RuntimeError):
    """A worker raised something that could not be sent back as itself."""


PARENT_CHECK_SECONDS = 1.0
"""How often an idle worker checks that its parent is still alive."""


def _die_with(parent: int) -> None:
    """Where Linux allows it, the kernel kills this worker when its parent dies: a parent
    killed by SIGKILL stops no one, and a worker blocked on a full result pipe would
    never see it had gone. Elsewhere the idle poll in :func:`_serve` is the fallback."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(0)


def _serve(fn: Callable[[Any], Any], tasks: Any, results: Any, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    one_blas_thread()
    while True:
        try:
            task = tasks.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the parent was killed: no one will read or stop us
                os._exit(0)  # nothing to flush, and a finalizer may wait on a lock the parent held
            continue
        if task is None:
            return
        index, item = task
        try:
            results.put((index, True, fn(item)))
        except BaseException as exc:  # sent to the parent, which raises it
            try:
                results.put((index, False, exc))
            except Exception:  # the exception itself does not pickle
                results.put((index, False, WorkerError("".join(traceback.format_exception(exc)))))


def forks(count: int | None, workers: int, min_items: int = MIN_ITEMS) -> bool:
    """Whether :func:`process_map` over ``count`` items (None for a stream) starts worker
    processes, so a caller can ready what every worker would otherwise redo."""
    small = count is not None and count < min_items
    return workers > 1 and not small and "fork" in mp.get_all_start_methods()


class WorkerPool:
    """Forked workers running ``fn``, kept across several :meth:`map` calls, so a
    second stage finds what the first left in the workers' memory (prepared articles,
    caches). Use it as a context manager; the workers start on the first map that is
    worth forking for, and stop on leaving the block or on an error in a map."""

    def __init__(self, fn: Callable[[T], R], workers: int) -> None:
        self.fn = fn
        self.workers = workers
        self._procs: list[Any] = []
        self._tasks: Any = None
        self._results: Any = None

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(wait=kind is None)

    def _start(self, workers: int) -> None:
        ctx = mp.get_context("fork")
        # Tasks go through a feeder thread, so handing out a large item never blocks this
        # process while a worker waits for it to read a large result: no deadlock on full pipes.
        self._tasks, self._results = ctx.Queue(), ctx.SimpleQueue()
        self._tasks.cancel_join_thread()  # leftover tasks after an error must not hold up exit
        self._procs = [ctx.Process(target=_serve, args=(self.fn, self._tasks, self._results, os.getpid()), daemon=True)
                       for _ in range(workers)]
        for p in self._procs:
            p.start()

    def map(self, items: Iterable[T], *, min_items: int = MIN_ITEMS, in_flight: int = 4) -> Iterator[R]:
        """``fn`` over ``items``, yielded in input order (see :func:`process_map`)."""
        if not self._procs:
            count = len(items) if isinstance(items, Sequence) else None
            if not forks(count, self.workers, min_items):
                yield from map(self.fn, items)
                return
            self._start(min(self.workers, count) if count is not None else self.workers)
        stream = iter(enumerate(items))
        waiting: dict[int, tuple[bool, Any]] = {}
        sent = received = next_out = 0
        limit = max(1, in_flight) * len(self._procs)
        finished = False
        try:
            while True:
                # Items read but not yet yielded stay within the window, however out of order
                # the results come back: a stalled worker must not let the others read on.
                while not finished and sent - next_out < limit:
                    task = next(stream, None)
                    if task is None:
                        finished = True
                        break
                    self._tasks.put(task)
                    sent += 1
                if received == sent:
                    break
                index, ok, value = self._results.get()
                received += 1
                waiting[index] = (ok, value)
                # Failures, like results, come out in input order: the error raised is the
                # one the items would meet one after the other, whichever worker was first.
                while next_out in waiting:
                    ok, value = waiting.pop(next_out)
                    if not ok:
                        raise value
                    yield value
                    next_out += 1
        finally:
            if received != sent:  # an error, Ctrl-C, or a caller that stopped reading early
                self.close(wait=False)

    def close(self, wait: bool = True) -> None:
        """Stop the workers: told to finish once idle (``wait``), else terminated at once."""
        procs, self._procs = self._procs, []
        if not procs:
            return
        try:
            if wait:
                for _ in procs:
                    self._tasks.put(None)
                for p in procs:
                    p.join()
        finally:
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join()


def process_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    *,
    min_items: int = MIN_ITEMS,
    in_flight: int = 4,
) -> Iterator[R]:
    """``fn`` over ``items``, in ``workers`` forked processes, yielded in input order.

    ``items`` may be a lazy stream: at most ``in_flight`` items per worker are read ahead,
    so memory stays bounded however long the stream is.

    >>> list(process_map(lambda x: x * x, range(20), workers=2))[:5]
    [0, 1, 4, 9, 16]
    """
    with WorkerPool(fn, workers) as pool:
        yield from pool.map(items, min_items=min_items, in_flight=in_flight)
