"""Conventions every command line of the project shares: exit codes, logging, progress.

Commands print a progress bar on a terminal and plain log lines otherwise (cron),
and map failures to the exit codes of docs/cli.md: 0 success, 1 failure, 2 bad
usage or configuration, 75 another refresh holds the lock.
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

from tinphuong.config import Config, ConfigError, load_config

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75

log = logging.getLogger("tinphuong")
T = TypeVar("T")

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}   # click context settings of every command


class LockBusy(Exception):
    """Another process holds the refresh lock."""


config_option = click.option(
    "--config", "config_path", metavar="PATH", envvar=None,
    help="Configuration file (default: $TINPHUONG_CONFIG, else ./config.toml).",
)


def setup_logging(verbose: bool = False) -> None:
    """Plain timestamped lines on stderr: readable in a terminal and in cron mail alike."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
        stream=sys.stderr,
        force=True,
    )
    for noisy in ("urllib3", "waitress.queue"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a click command body: load config, map errors to exit codes, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, config_path: str | None = None, **kwargs: Any) -> None:
        setup_logging()
        stop_on_sigterm()
        try:
            config = load_config(config_path)
            code = func(config, *args, **kwargs)
        except ConfigError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except LockBusy as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_LOCKED)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_FAILURE)
        except Exception as error:  # noqa: BLE001 - the last line of defence for cron
            log.debug("unexpected failure", exc_info=True)
            click.echo(f"error: {type(error).__name__}: {error}", err=True)
            sys.exit(EXIT_FAILURE)
        sys.exit(code or EXIT_OK)

    return wrapper


def stop_on_sigterm() -> None:
    """`kill` (SIGTERM, as cron, systemd and `timeout` send it) stops a command like Ctrl-C.

    Python would otherwise die on the spot; as a KeyboardInterrupt the WARC file
    is finished, the crawl run recorded and the index writer cancelled first.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def progress(items: Iterable[T], label: str, length: int | None = None,
             show: Callable[[T], str] | None = None) -> Iterator[T]:
    """A progress bar on a terminal; silent otherwise (log lines carry the news for cron).

    `show` names the current item beside the bar (e.g. the site of the last page crawled).
    """
    if not sys.stderr.isatty():
        yield from items
        return
    shown = (lambda item: show(item) if item is not None else None) if show else None
    with click.progressbar(items, label=label, length=length, file=sys.stderr, item_show_func=shown) as bar:
        yield from bar


__all__ = ["Config", "EXIT_FAILURE", "EXIT_LOCKED", "EXIT_OK", "EXIT_USAGE", "HELP_OPTIONS", "LockBusy",
           "command", "config_option", "progress", "setup_logging", "stop_on_sigterm"]
