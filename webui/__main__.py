"""`python -m webui`: serve the UI and the API with a production WSGI server (see `webui.serving`)."""

from __future__ import annotations

import click

from tinphuong.cli import HELP_OPTIONS, command, config_option
from tinphuong.config import Config
from webui import create_app
from webui.serving import DEFAULT_WORKERS, SERVERS, default_server, serve


@click.command(context_settings=HELP_OPTIONS)
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), metavar="PORT",
              help="TCP port (0 picks a free one; the log line says which).")
@click.option("--server", type=click.Choice(SERVERS), default=None,
              help="WSGI server: gunicorn (several processes; the default on Linux) or waitress "
                   "(one process; the default elsewhere, handy for development).")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 64),
              metavar="N", help="gunicorn worker processes, each with its own searcher (waitress: ignored).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), metavar="N",
              help="Threads answering requests (per worker process under gunicorn).")
@config_option
@command
def main(config: Config, host: str, port: int, server: str | None, workers: int, threads: int) -> int:
    """Serve the Tin Phường search pages, JSON API and archived pages until interrupted.

    On Linux gunicorn runs --workers processes of --threads threads, each process
    with its own searcher; elsewhere (or with --server waitress) waitress runs one
    process. Reads the index and the archive only, so it runs beside the nightly
    refresh and sees each index update without a restart; changes to the
    configuration need one. Logs to stderr. Routes and answers: docs/http-api.md.

    \b
    Exit codes: 0 stopped (Ctrl-C or SIGTERM), 1 failure (e.g. the port is
    taken), 2 bad usage or configuration.
    """
    return serve(config, create_app, server or default_server(), host, port, workers, threads)


if __name__ == "__main__":
    main(prog_name="python -m webui")
