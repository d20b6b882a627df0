"""Staff searching the whole time: a load generator in a process of its own.

A few threads request the web UI in a loop (a short pause between requests, as people
type), picking from the day's mixed set of paths (`tests.soak.queries`). Each request
becomes a `Sample` with its monotonic start and end times (CLOCK_MONOTONIC is one clock
for every process), so the soak classifies samples afterwards by the refresh intervals
it recorded. Running apart keeps the measurement honest: the generated sites' servers,
which live in the soak's process, never hold the load generator's interpreter lock.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

REQUEST_TIMEOUT = 30.0
FAILED = 0                      # the status of a request that got no HTTP answer


@dataclass(frozen=True)
class Sample:
    kind: str                   # what was asked (tests.soak.queries.KINDS)
    path: str
    started: float              # time.monotonic()
    ended: float
    status: int                 # HTTP status, FAILED when there was no answer

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def ok(self) -> bool:
        return self.status == 200


Path = tuple[str, str]          # (kind, path with query string)


class Load:
    """The load generator; a context manager. `paths` may be replaced while it runs."""

    def __init__(self, base: str, threads: int = 3, pause: float = 0.02, seed: object = 0) -> None:
        context = multiprocessing.get_context("spawn")
        self._paths = context.Queue()
        self._samples = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(target=_generate, daemon=True, name="soak-load",
                                        args=(base, threads, pause, str(seed), self._paths, self._samples,
                                              self._stop))
        self._collected: list[Sample] = []
        self._changed = threading.Condition()
        self._collector = threading.Thread(target=self._collect, daemon=True, name="soak-load-collector")

    def __enter__(self) -> Load:
        self._process.start()
        self._collector.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._process.join(timeout=REQUEST_TIMEOUT + 5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._samples.put(None)
        self._collector.join(timeout=10)

    def use(self, paths: Sequence[Path]) -> None:
        """From now on, request these paths."""
        self._paths.put(list(paths))

    def samples(self) -> list[Sample]:
        with self._changed:
            return list(self._collected)

    def wait_for(self, enough: Callable[[list[Sample]], bool], timeout: float) -> bool:
        """Wait until `enough(samples)` holds (checked at each new sample); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: enough(self._collected), timeout)

    def _collect(self) -> None:
        while (sample := self._samples.get()) is not None:
            with self._changed:
                self._collected.append(sample)
                self._changed.notify_all()


def _generate(base: str, threads: int, pause: float, seed: str, paths: multiprocessing.Queue,
              samples: multiprocessing.Queue, stop: threading.Event) -> None:
    """The load process: `threads` requesters over the latest path list, until `stop`."""
    current: list[list[Path]] = [paths.get()]
    lock = threading.Lock()

    def latest() -> list[Path]:
        with lock:
            try:
                while True:
                    current[0] = paths.get_nowait()
            except queue.Empty:
                pass
            return current[0]

    def requester(number: int) -> None:
        rng = random.Random(f"{seed}/{number}")
        while not stop.is_set():
            choices = latest()
            if choices:
                kind, path = rng.choice(choices)
                samples.put(_request(base, kind, path))
            stop.wait(pause)

    workers = [threading.Thread(target=requester, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _request(base: str, kind: str, path: str) -> Sample:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = FAILED
    return Sample(kind, path, started, time.monotonic(), status)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(fraction * len(ordered), 6)))
    return ordered[rank - 1]
