"""Work spread over processes comes back whole, in order, with the worker's error."""

from __future__ import annotations

import itertools
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
