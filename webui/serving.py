"""The WSGI servers `python -m webui` runs the app under: gunicorn on Linux, waitress elsewhere.

A search is CPU-bound Python: one process answers one search at a time whatever its threads
(the GIL, and the searcher's reader lock), so on Linux gunicorn runs several worker processes.
Two by default, one per core of the 2-core server: a request costs tens of CPU milliseconds and
waits on nothing (the index is memory-mapped, the caches are warm from the fork), so a third
worker would add its own caches' memory and context switches but no CPU (a sweep of 1 to 4
workers measured no gain past two within its noise: `benchmarks/README.md`, `bench_http`).

The master builds the app (`preload_app`) and, before each fork, opens the live index
generation and builds its read-only caches (`Searcher.warm`: the frequent terms' posting
lists, the suggester, facet and date columns): every worker starts warm and shares those
pages copy-on-write instead of reading and holding them once per process (they are mostly
numpy arrays and byte strings, whose data reference counting never writes to). Sharing the
reader across the fork is safe: Whoosh reads the segments through memory maps, so the file
descriptors the processes share are never read through (no shared file position); readers
take no file lock, and the reader's thread lock is free when the (single-threaded) master
forks. Each worker follows new generations by itself; a worker forked after
the nightly refresh starts on the new generation, which the master warms first. Waitress (one
process, threads) serves development and other systems; it warms the same caches in a thread
once it listens (requests wait for them, as gunicorn's do for the first fork).

Both log the same lines: `serving http://HOST:PORT/ (...)` once listening (with the port
actually bound, for `--port 0`), `stopped` after SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from tinphuong.config import Config

log = logging.getLogger("tinphuong.webui")

SERVERS = ("gunicorn", "waitress")
DEFAULT_WORKERS = 2          # one per core: see above and benchmarks/README.md (bench_http)
GRACEFUL_SECONDS = 10        # a worker finishes its requests in flight for at most this long on SIGTERM


def default_server() -> str:
    """gunicorn on Linux (fork, several processes), waitress elsewhere."""
    return "gunicorn" if sys.platform.startswith("linux") else "waitress"


def serve_waitress(app: Flask, host: str, port: int, threads: int, describe: Callable[[int], None]) -> int:
    """One process, `threads` threads; returns on SIGTERM or Ctrl-C (turned into KeyboardInterrupt)."""
    from waitress import create_server

    logging.getLogger("waitress").setLevel(logging.WARNING)
    server = create_server(app, host=host, port=port, threads=threads, ident="tinphuong")
    describe(server.effective_port)
    threading.Thread(target=warm, args=(app,), name="warm", daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def serve_gunicorn(app_factory: Callable[[], Flask], host: str, port: int, workers: int, threads: int,
                   describe: Callable[[int], None]) -> int:
    """`workers` processes of `threads` threads each (gunicorn's gthread worker); returns gunicorn's exit
    status once its master stopped (0 after SIGTERM: workers finish the requests in flight)."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger

    class ProjectLogger(Logger):
        """Gunicorn's own messages as the project's log lines, warnings and errors only; no access log."""

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for logger in (self.error_log, self.access_log):
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
                logger.propagate = True
            self.error_log.setLevel(logging.WARNING)
            self.access_log.setLevel(logging.WARNING)

    def when_ready(arbiter: Any) -> None:
        describe(arbiter.LISTENERS[0].sock.getsockname()[1])

    def pre_fork(arbiter: Any, worker: Any) -> None:
        warm(arbiter.app.wsgi())

    options = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers, "threads": threads, "worker_class": "gthread",
        "preload_app": True, "graceful_timeout": GRACEFUL_SECONDS, "timeout": 60, "keepalive": 5,
        "logger_class": ProjectLogger, "accesslog": None, "control_socket_disable": True,
        "proc_name": "tinphuong-webui", "when_ready": when_ready, "pre_fork": pre_fork,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app_factory()

    master = os.getpid()
    try:
        Server().run()
    except SystemExit as stop:           # the arbiter ends with sys.exit(status); so does each worker
        if os.getpid() != master:
            raise
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


def warm(app: Flask) -> None:
    """Build the live generation's caches (gunicorn's master before each fork, waitress's thread at
    start); a no-op when they are built."""
    from webui.services import services_of

    try:
        services_of(app).searcher.warm()
    except Exception:  # noqa: BLE001 - requests then build what they need on first use
        log.warning("could not warm the index caches", exc_info=True)


def serve(config: Config, app_factory: Callable[[Config], Flask], server: str, host: str, port: int,
          workers: int, threads: int) -> int:
    """Run `server` until SIGTERM or Ctrl-C; the exit status."""
    def describe(bound_port: int) -> None:
        shape = f"{workers} workers × {threads} threads" if server == "gunicorn" else f"{threads} threads"
        shown_host = f"[{host}]" if ":" in host else host
        log.info("serving http://%s:%s/ (%s, %s, index %s, config %s)", shown_host, bound_port, server, shape,
                 config.storage.index_dir, config.path)

    if server == "gunicorn":
        code = serve_gunicorn(lambda: app_factory(config), host, port, workers, threads, describe)
    else:
        code = serve_waitress(app_factory(config), host, port, threads, describe)
    if code == 0:
        log.info("stopped")
    else:
        log.error("the server stopped with status %s", code)
    return code
