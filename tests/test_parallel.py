"""Work spread over processes comes back whole, in order, with the worker's error."""

from __future__ import annotations

import itertools
import time
import os

import pytest

from crosscheck.parallel import process_map, worker_count


def test_results_come_back_in_input_order_from_several_processes():
    pids = list(process_map(lambda _: os.getpid(), range(40), workers=2))
    assert len(pids) == 40 and os.getpid() not in pids and 1 <= len(set(pids)) <= 2
    squares = list(process_map(lambda x: x * x, range(40), workers=2))
    assert squares == [x * x for x in range(40)]


def test_a_closure_over_unpicklable_state_runs_in_the_workers():
    handle = open(os.devnull)  # a file object does not pickle; fork inherits it
    try:
        out = list(process_map(lambda x: (x, handle.name), range(10), workers=2))
    finally:
        handle.close()
    assert out == [(x, os.devnull) for x in range(10)]


def test_small_work_stays_in_this_process():
    assert set(process_map(lambda _: os.getpid(), range(3), workers=2)) == {os.getpid()}
    assert set(process_map(lambda _: os.getpid(), range(30), workers=1)) == {os.getpid()}


def test_a_lazy_stream_is_read_only_a_bounded_window_ahead():
    read = itertools.count()
    stream = (next(read) for _ in range(10_000))
    results = process_map(lambda x: x, stream, workers=2, min_items=1, in_flight=2)
    assert [next(results) for _ in range(5)] == [0, 1, 2, 3, 4]
    assert next(read) < 5 + 2 * 2 + 2  # five consumed, at most two per worker ahead
    results.close()


def test_a_stalled_worker_does_not_let_the_others_read_the_stream_on():
    """Results come back out of order when one worker is slow (a long article, a busy
    core): the window bounds what is read ahead of the first result not yet yielded."""
    read = itertools.count()
    stream = (next(read) for _ in range(10_000))
    results = process_map(lambda x: time.sleep(0.5) if x == 0 else x, stream, workers=2, min_items=1, in_flight=2)
    assert next(results) is None and next(results) == 1
    assert next(read) < 2 + 2 * 2 + 2
    results.close()


def test_a_failure_is_raised_in_its_place_after_the_results_before_it():
    """Item 0 is slow and item 3 fails at once: 0, 1 and 2 still come out first."""
    def slow_start(x: int) -> int:
        if x == 0:
            time.sleep(0.3)
        if x == 3:
            raise ValueError("item 3")
        return x

    out = []
    with pytest.raises(ValueError, match="item 3"):
        for value in process_map(slow_start, range(20), workers=2, min_items=1):
            out.append(value)
    assert out == [0, 1, 2]


def test_the_workers_error_is_raised_in_the_caller():
    def fail_on_seven(x: int) -> int:
        if x == 7:
            raise ValueError(f"bad item {x}")
        return x

    with pytest.raises(ValueError, match="bad item 7"):
        list(process_map(fail_on_seven, range(20), workers=2))


def test_zero_workers_means_one_per_usable_core():
    assert worker_count(3) == 3
    assert worker_count(0) == len(os.sched_getaffinity(0))


def test_large_items_and_large_results_do_not_fill_the_pipes_into_a_deadlock():
    # Each item and each result is far larger than a pipe's buffer (64 KiB).
    items = [bytes([n]) * 300_000 for n in range(12)]
    out = list(process_map(lambda b: b * 2, items, workers=2))
    assert [len(b) for b in out] == [600_000] * 12 and out[5][:1] == bytes([5])


_KILLED_PARENT = """
import os, sys, time
from crosscheck.parallel import process_map

def slow(x):
    time.sleep(0.05)
    return os.getpid()

for pid in process_map(slow, list(range(10_000)), 2, min_items=1):
    print(pid, flush=True)
"""


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (nobody may reap orphans in a container)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see the workers")
def test_workers_of_a_killed_run_exit_instead_of_waiting_forever(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "run.py"
    script.write_text(_KILLED_PARENT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        workers.add(int(proc.stdout.readline()))
    assert len(workers) == 2, "the two workers never answered"
    os.kill(proc.pid, signal.SIGKILL)  # as the OOM killer or `kill -9` would
    proc.wait()
    deadline = time.monotonic() + 15
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed parent"


def test_forks_says_what_process_map_does():
    from crosscheck.parallel import MIN_ITEMS, forks

    assert forks(MIN_ITEMS, 2) and forks(None, 2)  # a stream of unknown length forks
    assert not forks(MIN_ITEMS - 1, 2)  # too few items to pay for the processes
    assert not forks(1000, 1)
    assert forks(1, 2, min_items=1)


def test_a_pool_keeps_its_workers_and_what_they_learnt_for_a_second_map():
    """Story mode compares in two stages: the second must find the articles the first
    prepared, in the same processes, not in new ones that start cold."""
    from crosscheck.parallel import WorkerPool

    seen: list[int] = []  # each worker has its own copy, filled as it works

    def remember(x: int) -> tuple[int, int]:
        seen.append(x)
        time.sleep(0.01)  # long enough that both workers take items of the first map
        return os.getpid(), len(seen)

    with WorkerPool(remember, 2) as pool:
        first = list(pool.map(range(40)))
        second = list(pool.map(range(40, 60)))
    assert len({pid for pid, _ in first}) == 2 and os.getpid() not in {pid for pid, _ in first}
    assert {pid for pid, _ in second} <= {pid for pid, _ in first}
    assert min(n for _, n in second) > 1  # each worker still holds what it saw in the first map
    assert seen == []  # and this process did none of it


def test_a_pool_serves_the_next_map_after_a_failed_one():
    from crosscheck.parallel import WorkerPool

    def fail_on_seven(x: int) -> int:
        if x == 7:
            raise ValueError(f"bad item {x}")
        time.sleep(0.01)
        return x

    with WorkerPool(fail_on_seven, 2) as pool:
        with pytest.raises(ValueError, match="bad item 7"):
            list(pool.map(range(40)))
        assert list(pool.map(range(8, 30))) == list(range(8, 30))
        results = pool.map(range(30, 60))
        assert next(results) == 30
        results.close()  # stopped reading with items in flight: their results must not leak
        assert list(pool.map(range(100, 120))) == list(range(100, 120))


def test_a_pool_starts_no_process_for_small_work():
    from crosscheck.parallel import WorkerPool

    with WorkerPool(lambda _: os.getpid(), 2) as pool:
        assert set(pool.map(range(3))) == {os.getpid()}
        assert set(pool.map(range(3), min_items=1)) != {os.getpid()}


def test_a_map_left_unread_never_lends_its_results_to_the_next():
    from crosscheck.parallel import WorkerPool

    def slowly(x: int) -> int:
        time.sleep(0.02)
        return x

    with WorkerPool(slowly, 2) as pool:
        first = pool.map(range(100, 200))
        assert next(first) == 100  # then left unread, several items still in the workers
        assert list(pool.map(range(20))) == list(range(20))
        with pytest.raises(RuntimeError, match="later map"):
            next(first)
        assert list(pool.map(range(20, 30))) == list(range(20, 30))


def test_leaving_the_block_with_results_unread_does_not_wait_forever():
    """Workers blocked sending megabyte results nobody reads are stopped, not joined."""
    from crosscheck.parallel import WorkerPool

    started = time.monotonic()
    with WorkerPool(lambda x: bytes(1_000_000), 2) as pool:
        results = pool.map(range(50))
        assert len(next(results)) == 1_000_000
    assert time.monotonic() - started < 30


def test_a_worker_that_dies_is_an_error_not_a_hang():
    from crosscheck.parallel import WorkerError, WorkerPool

    def dies_on_five(x: int) -> int:
        if x == 5:
            os._exit(3)  # as the OOM killer would end it: no exception, no result
        return x

    started = time.monotonic()
    with WorkerPool(dies_on_five, 2) as pool:
        with pytest.raises(WorkerError, match="died"):
            list(pool.map(range(20)))
        assert list(pool.map(range(6, 16))) == list(range(6, 16))  # new workers for the next map
    assert time.monotonic() - started < 30


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_workers_do_their_matrix_work_on_one_thread_without_a_spinning_helper():
    """OpenBLAS, told its thread count in a forked process, starts a helper thread that
    spins a core for about 0.1 s: on two cores, two workers ran at half speed for their
    first batch. The count is set in the parent before forking, and given back after."""
    np = pytest.importorskip("numpy")
    before = _blas_threads()
    if not before or max(before) < 2:
        pytest.skip("numpy's BLAS runs on one thread here already")
    if not os.path.isdir("/proc/self/task"):
        pytest.skip("no /proc to count a process's threads")

    def work(_: int) -> tuple[list[int], int]:
        m = np.ones((300, 300), dtype=np.float32)
        for _ in range(20):
            m @ m
        return _blas_threads(), len(os.listdir("/proc/self/task"))

    from crosscheck.parallel import WorkerPool

    with WorkerPool(work, workers=2) as pool:
        out = list(pool.map(range(4), min_items=1))
        assert max(_blas_threads()) == 1  # the parent's own, while its workers run
    assert _blas_threads() == before
    for blas, threads in out:
        assert blas and max(blas) == 1
        assert threads == 1  # the worker's own thread only: no BLAS helper was started


def test_work_that_multiplies_no_matrices_leaves_blas_alone():
    """Setting BLAS's thread count in a process that has forked before starts a helper
    thread spinning a core; dedup's sketching, which needs no BLAS, does not pay for it."""
    pytest.importorskip("numpy")
    before = _blas_threads()
    if not before or max(before) < 2:
        pytest.skip("numpy's BLAS runs on one thread here already")
    from crosscheck.parallel import WorkerPool

    with WorkerPool(lambda x: x + 1, workers=2, blas=False) as pool:
        assert list(pool.map(range(4), min_items=1)) == [1, 2, 3, 4]
        assert _blas_threads() == before
    assert _blas_threads() == before


def test_a_long_run_sets_the_callers_objects_aside_from_the_collector_and_gives_them_back():
    """A full collection in a caller with a large heap walked every object in the middle
    of a dedup run; for the run, the objects that were there are frozen, then unfrozen."""
    import gc
    import weakref

    from crosscheck.parallel import heap_set_aside

    class Node:
        pass

    assert gc.get_freeze_count() == 0
    with heap_set_aside():
        assert gc.get_freeze_count() > 0
        cycle = Node()
        cycle.me = cycle  # garbage made during the run, in a cycle
        gone = weakref.ref(cycle)
        del cycle
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None


def test_a_caller_that_froze_its_own_objects_keeps_them_frozen():
    import gc

    from crosscheck.parallel import heap_set_aside

    class Node:
        pass

    mine = Node()
    mine.me = mine  # tracked by the collector, until the caller sets it aside
    gc.freeze()
    try:
        with heap_set_aside():
            pass
        # Still set aside: the collector does not see it. (The freeze count itself may
        # drop meanwhile, as frozen objects elsewhere in the process are freed.)
        assert gc.get_freeze_count() > 0
        assert not any(o is mine for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is mine for o in gc.get_objects())


def test_dedup_runs_with_the_callers_heap_set_aside(seeds_dir, monkeypatch):
    import gc
    import importlib

    from crosscheck.dedup.run import dedup
    from crosscheck.text import load

    run = importlib.import_module("crosscheck.dedup.run")  # (crosscheck.dedup is also a function)

    counts = []
    reads = load.read_ahead

    def spy(*args, **kwargs):
        counts.append(gc.get_freeze_count())
        return reads(*args, **kwargs)

    monkeypatch.setattr(run, "read_ahead", spy)
    dedup([seeds_dir])
    assert counts and min(counts) > 0 and gc.get_freeze_count() == 0


def test_a_refused_fork_is_raised_as_itself_and_leaves_no_worker_and_blas_as_it_was(monkeypatch):
    """Out of memory or processes, the second fork fails: the caller sees that error,
    the first worker is stopped, and this process's BLAS gets its thread count back."""
    import multiprocessing.process

    from crosscheck.parallel import WorkerPool

    before = _blas_threads()
    real, started = multiprocessing.process.BaseProcess.start, []

    def start(self):
        if started:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(self)
        return real(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    with pytest.raises(BlockingIOError):
        with WorkerPool(lambda x: x, workers=2) as pool:
            list(pool.map(range(10), min_items=1))
    assert len(started) == 1 and not started[0].is_alive()
    assert _blas_threads() == before
