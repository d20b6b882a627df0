"""Work split between forked processes: results in order, and a failing child fails the work, reaped."""

from __future__ import annotations

import os
import threading

import pytest

from indexer.writing.forked import can_fork, run_split, split
from tests.indexer.writers import recorded_forks


def doubled(items: list[int]) -> list[int]:
    return [2 * item for item in items]


def fails_away_from_home(items: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        raise ValueError("a child fails")
    return items


PARENT = os.getpid()


def test_runs_are_nearly_equal_and_in_order():
    assert split(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]
    assert split([1], 2) == [[1], []]


def test_work_split_between_processes_gives_the_results_of_one_in_order():
    assert run_split("doubling", doubled, list(range(1000)), 3) == doubled(list(range(1000)))


def test_a_child_that_fails_fails_the_work_and_is_reaped(monkeypatch):
    started = recorded_forks(monkeypatch)

    with pytest.raises(RuntimeError, match="a checking process failed"):
        run_split("checking", fails_away_from_home, list(range(10)), 2)

    assert len(started) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0].pid, os.WNOHANG)


def test_a_process_running_other_threads_may_not_fork():
    """A fork copies one thread: locks other threads held stay locked in the child for ever."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()
