"""HTTP load on `python -m webui` serving the corpus index: throughput and latency at 1, 8 and 32 clients.

Run from the project root:  .venv/bin/python -m benchmarks.bench_http [--docs N] [--workers 2]
The server is started as the administrator starts it (`python -m webui --port 0`, gunicorn on
Linux) on the cached index build, with an empty archive. Each client is a thread with its own
keep-alive connection (`http.client`), walking a seeded mix of requests from its own offset:
the search page for known-item title phrases with and without diacritics, one- and
two-syllable keywords (pages 1 to 3), date listings of a month filtered by site (pages 1 to 3),
and document pages. Every level runs `--seconds` after a warm-up pass that loads every worker's
caches; an answer that is not 2xx/3xx, a timeout or a broken connection counts as an error.
`--workers 1,2,3,4` runs the whole table once per worker count. The table also shows the server's CPU
time per request (its processes' user + system time over the level: what a request costs
whatever else runs on the machine), the load average when the level started and the largest
worker's resident memory after it. Exit 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

if not __package__:                      # run as `python benchmarks/bench_http.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_search import month_range, percentile  # noqa: E402
from benchmarks.corpus import SITE, Article, add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.known_items import OccurrenceIndex, make_exactness_queries, make_known_items  # noqa: E402
from benchmarks.systems import ours  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import PROJECT_ROOT, add_work_dir_options, cached_build  # noqa: E402

THROUGHPUT_TARGET = 40.0       # requests/s at 8 clients
P99_TARGET_MS = 500.0          # at 8 clients
P50_ONE_CLIENT_TARGET_MS = 30.0
TIMEOUT_SECONDS = 10.0
MIX_SIZE = 800                 # distinct requests in the mix


@dataclass
class Level:
    """What the clients of one level saw."""

    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)     # ms, answered requests
    errors: int = 0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, fraction: float) -> float:
        return percentile(sorted(self.latencies), fraction) if self.latencies else float("nan")


def request_mix(articles: Sequence[Article], seed: int) -> list[str]:
    """The request paths, shuffled: what a ward office asks in a day, in proportions."""
    rng = random.Random(seed)
    items = make_known_items(articles, OccurrenceIndex(articles), MIX_SIZE // 4, seed)
    titles = [i.query for i in items if i.kind == "title_exact"]
    no_diacritics = [i.query for i in items if i.kind == "title_nodiac"]
    keywords = [q.query for q in make_exactness_queries(articles, 60, seed)]
    doc_ids = [i.doc_id for i in items]
    paths = []
    paths += [search_path(q=q) for q in rng.sample(titles, min(len(titles), share(25)))]
    paths += [search_path(q=q) for q in rng.sample(no_diacritics, min(len(no_diacritics), share(20)))]
    paths += [search_path(q=rng.choice(keywords), page=rng.choice((1, 1, 2, 3))) for _ in range(share(20))]
    for _ in range(share(15)):
        start, end = month_range(rng.randrange(1, 13))
        dates = {"from": start, "to": end}
        paths.append(search_path(site=SITE, sort="newest", page=rng.choice((1, 2, 3)), **dates))
    paths += [f"/doc/{d}" for d in rng.sample(doc_ids, min(len(doc_ids), share(20)))]
    rng.shuffle(paths)
    return paths


def share(percent: int) -> int:
    return MIX_SIZE * percent // 100


def search_path(page: int = 1, **params: str) -> str:
    if page > 1:
        params["page"] = str(page)
    return "/search?" + urlencode(params)


class Client(threading.Thread):
    """One keep-alive connection asking the mix in order from `offset` until `stop` is set."""

    def __init__(self, port: int, paths: list[str], offset: int, level: Level, stop: threading.Event,
                 lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.port, self.paths, self.offset = port, paths, offset
        self.level, self.stop, self.lock = level, stop, lock

    def run(self) -> None:
        connection = self.connect()
        index = self.offset
        latencies, errors = [], 0
        while not self.stop.is_set():
            path = self.paths[index % len(self.paths)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 400
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = self.connect()
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1
        connection.close()
        with self.lock:
            self.level.latencies += latencies
            self.level.errors += errors

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)


def run_level(port: int, paths: list[str], clients: int, seconds: float) -> Level:
    level, stop, lock = Level(clients), threading.Event(), threading.Lock()
    threads = [Client(port, paths, n * len(paths) // clients, level, stop, lock) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    return level


def warm_up(port: int, paths: list[str], workers: int) -> None:
    """Every request once, from enough clients that each worker process sees its share (the kernel
    hands connections to whichever worker accepts first)."""
    clients = 4 * workers
    level, stop, lock = Level(clients), threading.Event(), threading.Lock()
    threads = [OnePass(port, paths[n::clients], level, stop, lock) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class OnePass(Client):
    """A client that asks its paths once, then stops."""

    def __init__(self, port: int, paths: list[str], level: Level, stop: threading.Event,
                 lock: threading.Lock) -> None:
        super().__init__(port, paths, 0, level, stop, lock)

    def run(self) -> None:
        connection = self.connect()
        for path in self.paths:
            try:
                connection.request("GET", path)
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = self.connect()
        connection.close()


def start_server(index_dir: Path, work: Path, server: str, workers: int,
                 threads: int) -> tuple[subprocess.Popen, int]:
    """`python -m webui` on the index; the process and the port it listens on."""
    config = work / "config.toml"
    config.write_text(f'[storage]\nindex_dir = "{index_dir}"\narchive_dir = "{work / "archive"}"\n'
                      f'[[sites]]\nname = "{SITE}"\ntitle = "Báo Mới"\n'
                      'start_urls = ["https://baomoi.com/"]\n', encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "webui", "--config", str(config), "--port", "0", "--server", server,
         "--workers", str(workers), "--threads", str(threads)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    deadline = time.monotonic() + 60
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if match := re.search(r"serving http://127\.0\.0\.1:(\d+)/", line):
            threading.Thread(target=process.stderr.read, daemon=True).start()   # keep the pipe drained
            return process, int(match.group(1))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("python -m webui did not start")


def workers(master: int) -> list[Path]:
    """The /proc entries of the server's worker processes."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == master:
            found.append(entry)
    return found


def worker_memory_mib(master: int) -> float:
    """The largest resident size among the workers (they hold the caches)."""
    sizes = []
    for entry in workers(master):
        try:
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", (entry / "status").read_text()).group(1)) / 1024)
        except (OSError, AttributeError):
            continue
    return max(sizes, default=0.0)


def server_cpu_seconds(master: int) -> float:
    """CPU time the master and its workers have used: what the requests cost whatever else runs."""
    total = 0
    for entry in [Path(f"/proc/{master}"), *workers(master)]:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])            # utime, stime in clock ticks
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(process: subprocess.Popen) -> int:
    os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=30)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    parser.add_argument("--clients", default="1,8,32", help="client counts, one level each (default: 1,8,32)")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="measured seconds per level (default: 20)")
    parser.add_argument("--workers", default="2", help="gunicorn workers (default: 2, the server's); a list "
                                                       "(1,2,3,4) runs each in turn")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default: 4)")
    parser.add_argument("--server", default="gunicorn", choices=("gunicorn", "waitress"))
    args = parser.parse_args(argv)
    client_counts = [int(c) for c in args.clients.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]

    articles = load_or_exit(args)
    build = cached_build(ours, lambda: [a.to_document() for a in articles], args)
    state = "built" if build.fresh else "cached"
    print(f"index: {build.docs} docs, {state} at {build.path}", file=sys.stderr)
    paths = request_mix(articles, args.seed)
    print(f"{len(paths)} distinct requests; {date.today()}; load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)

    rows, verdicts = [], []
    for workers in worker_counts:
        with tempfile.TemporaryDirectory(prefix="bench-http-") as work:
            process, port = start_server(build.path, Path(work), args.server, workers, args.threads)
            try:
                warm_up(port, paths, workers)
                for clients in client_counts:
                    load, cpu = os.getloadavg()[0], server_cpu_seconds(process.pid)
                    level = run_level(port, paths, clients, args.seconds)
                    cpu_ms = (server_cpu_seconds(process.pid) - cpu) * 1000 / max(1, len(level.latencies))
                    rows.append([workers, clients, len(level.latencies), level.errors,
                                 f"{level.throughput:.1f}", f"{level.p(0.50):.1f}", f"{level.p(0.95):.1f}",
                                 f"{level.p(0.99):.1f}", f"{cpu_ms:.1f}", f"{load:.1f}",
                                 f"{worker_memory_mib(process.pid):.0f}"])
                    verdicts += targets(workers, level)
                    print("  ".join(map(str, rows[-1])), file=sys.stderr)      # as it comes: runs are long
            finally:
                code = stop_server(process)
        if code != 0:
            print(f"warning: the server exited with {code} on SIGTERM", file=sys.stderr)
    print(f"\n{args.server}, {args.threads} threads per worker; {build.docs} documents; "
          f"{args.seconds:.0f} s per level; latency in ms (client side, keep-alive); 2 cores")
    header = ["workers", "clients", "requests", "errors", "req/s", "p50", "p95", "p99", "cpu ms/req", "load",
              "MiB/worker"]
    print(format_table(header, rows))
    print()
    print(format_table(["workers", "target", "measured", "verdict"], verdicts))
    return 0 if all(v[-1] == "PASS" for v in verdicts) else 1


def targets(workers: int, level: Level) -> list[list[object]]:
    """The issue's targets that this level measures."""
    checks = []
    if level.clients == 1:
        checks.append((f"p50 < {P50_ONE_CLIENT_TARGET_MS:.0f} ms at 1 client", level.p(0.50),
                       level.p(0.50) < P50_ONE_CLIENT_TARGET_MS))
    if level.clients == 8:
        checks.append((f">= {THROUGHPUT_TARGET:.0f} req/s at 8 clients", level.throughput,
                       level.throughput >= THROUGHPUT_TARGET))
        checks.append((f"p99 < {P99_TARGET_MS:.0f} ms at 8 clients", level.p(0.99),
                       level.p(0.99) < P99_TARGET_MS))
    checks.append((f"no errors at {level.clients} clients", level.errors, level.errors == 0))
    return [[workers, name, f"{value:.1f}" if isinstance(value, float) else value, "PASS" if ok else "FAIL"]
            for name, value, ok in checks]


if __name__ == "__main__":
    sys.exit(main())
