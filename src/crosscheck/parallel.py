"""The one way crosscheck spreads work over processes: compare, report and dedup all use it.

Workers are forked, so the function they run is inherited, never pickled: it may be a
closure over a prepared source or a settings object, and nothing is kept in module state
to reach it. Only the items and the results cross a pipe. Results come back in input
order, so output never depends on which worker finished first. Each worker runs BLAS with
one thread (a worker already has a core; more threads on small matrices only fight), a
count it inherits from the parent (see :func:`one_blas_thread`), and leaves Ctrl-C to the
parent, which stops every worker and raises one KeyboardInterrupt.
Where ``fork`` is missing, or the work is too small to pay for starting processes, the
items are mapped in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import queue
import signal
import sys
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


_CONTROLLERS: dict[tuple[int, int], Any] = {}


def _blas_controller() -> Any:
    """threadpoolctl's view of this process's thread pools; None without threadpoolctl.
    Finding the pools reads the process's memory map, so the view is kept until the
    process forks or imports more modules (native libraries arrive with imports)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        return None
    key = (os.getpid(), len(sys.modules))
    controller = _CONTROLLERS.get(key)
    if controller is None:
        controller = ThreadpoolController()
        _CONTROLLERS.clear()
        _CONTROLLERS[key] = controller
    return controller


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """A context in which BLAS (and any other native pool) runs on one thread; pools
    already on one are left alone.

    Leaving them alone matters in a forked worker: OpenBLAS, told its thread count in
    a process forked after it started, starts a helper thread that spins a core for
    about 0.1 s even when the count is one. So :class:`WorkerPool` sets the count in
    the parent before forking, and its workers inherit it."""
    controller = _blas_controller()
    if controller is None:
        return contextlib.nullcontext()
    busy = [lib.filepath for lib in controller.lib_controllers if lib.num_threads > 1]
    if not busy:
        return contextlib.nullcontext()
    return controller.select(filepath=busy).limit(limits=1)


@contextlib.contextmanager
def heap_set_aside() -> Iterator[None]:
    """For a long run: the objects that exist when it starts are set aside from Python's
    cyclic collector (``gc.freeze``) until it ends. A full collection walks every object
    in the process: in a caller holding a large heap (a notebook, a benchmark) one took
    50 ms in the middle of a 0.7 s dedup run. Workers forked meanwhile share those
    objects' pages untouched. Nothing is lost: what becomes garbage meanwhile is collected
    afterwards. A caller that froze objects itself is left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    worth forking for, and stop on leaving the block or on an error in a map.

    One map reads results at a time: starting a map ends the one before (reading on
    from it raises), and results still on their way for it are dropped, never taken
    for the new map's."""

    def __init__(self, fn: Callable[[T], R], workers: int, *, blas: bool = True) -> None:
        self.fn = fn
        self.workers = workers
        # Whether ``fn`` multiplies matrices: only then are the workers held to one BLAS
        # thread. Setting the count has a cost: in a process that has forked before,
        # OpenBLAS starts a helper thread that spins a core for 0.1 s (here, when the
        # parent's count comes back).
        self.blas = blas
        self._procs: list[Any] = []
        self._tasks: Any = None
        self._results: Any = None
        self._generation = 0  # of the map now reading results
        self._outstanding = 0  # tasks sent whose results are not read yet, of any map
        self._blas_limit: contextlib.ExitStack | None = None  # the parent's one-thread BLAS, while workers run

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
        self._outstanding = 0
        # A worker already has a core: its BLAS runs on one thread (more, on small
        # matrices, only fight). Set here and inherited (see one_blas_thread); the
        # parent's own count comes back when the workers stop.
        self._blas_limit = contextlib.ExitStack()
        if self.blas:
            self._blas_limit.enter_context(one_blas_thread())
        self._procs = [ctx.Process(target=_serve, args=(self.fn, self._tasks, self._results, os.getpid()), daemon=True)
                       for _ in range(workers)]
        try:
            for p in self._procs:
                p.start()
        except BaseException:  # a fork refused (no memory, too many processes): none is left behind
            self.close(wait=False)
            raise

    def _next_result(self) -> tuple[Any, bool, Any]:
        """The next result any worker sends; a worker that died instead is an error, not a hang."""
        from multiprocessing.connection import wait

        reader = self._results._reader  # the receiving end of the SimpleQueue's pipe
        while not reader.poll():
            wait([reader, *(p.sentinel for p in self._procs)], timeout=PARENT_CHECK_SECONDS)
            if not reader.poll():
                dead = [p for p in self._procs if p.exitcode is not None]
                if dead:
                    raise WorkerError(f"a worker process died (exit code {dead[0].exitcode}) before sending its result")
        self._outstanding -= 1
        return self._results.get()

    def map(self, items: Iterable[T], *, min_items: int = MIN_ITEMS, in_flight: int = 4) -> Iterator[R]:
        """``fn`` over ``items``, yielded in input order (see :func:`process_map`)."""
        self._generation += 1
        generation = self._generation
        if not self._procs:
            count = len(items) if isinstance(items, Sequence) else None
            if not forks(count, self.workers, min_items):
                for item in items:
                    yield self.fn(item)
                    self._check_current(generation)
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
                    self._outstanding += 1  # counted first: an interrupt may land after the put
                    self._tasks.put(((generation, task[0]), task[1]))
                    sent += 1
                if received == sent:
                    break
                (made_by, index), ok, value = self._next_result()
                if made_by != generation:
                    continue  # a result of an earlier map that stopped reading
                received += 1
                waiting[index] = (ok, value)
                # Failures, like results, come out in input order: the error raised is the
                # one the items would meet one after the other, whichever worker was first.
                while next_out in waiting:
                    ok, value = waiting.pop(next_out)
                    if not ok:
                        raise value
                    yield value
                    self._check_current(generation)
                    next_out += 1
        except GeneratorExit:  # the caller stopped reading: results on their way are dropped later
            raise
        except BaseException:  # an error, Ctrl-C: stop the work at once
            if generation == self._generation:
                self.close(wait=False)
            raise

    def _check_current(self, generation: int) -> None:
        if generation != self._generation:
            raise RuntimeError("a later map of this pool has started: this one cannot be read on")

    def close(self, wait: bool = True) -> None:
        """Stop the workers: told to finish once idle (``wait``, when no result is left
        unread, so none is blocked sending one), else terminated at once. This
        process's BLAS gets its thread count back."""
        procs, self._procs = self._procs, []
        limit, self._blas_limit = self._blas_limit, None
        try:
            if wait and procs and self._outstanding == 0:
                for _ in procs:
                    self._tasks.put(None)
                for p in procs:
                    p.join()
        finally:
            try:
                started = [p for p in procs if p.pid is not None]
                for p in started:
                    if p.is_alive():
                        p.terminate()
                for p in started:
                    p.join()
            finally:
                if limit is not None:
                    limit.close()


def process_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    *,
    min_items: int = MIN_ITEMS,
    in_flight: int = 4,
    blas: bool = True,
) -> Iterator[R]:
    """``fn`` over ``items``, in ``workers`` forked processes, yielded in input order.

    ``items`` may be a lazy stream: at most ``in_flight`` items per worker are read ahead,
    so memory stays bounded however long the stream is. ``blas=False`` says ``fn``
    multiplies no matrices, so BLAS's thread count is left alone (see :class:`WorkerPool`).

    >>> list(process_map(lambda x: x * x, range(20), workers=2))[:5]
    [0, 1, 4, 9, 16]
    """
    with WorkerPool(fn, workers, blas=blas) as pool:
        yield from pool.map(items, min_items=min_items, in_flight=in_flight)
