"""`python -m webui`: serve the UI and the API with waitress (a production WSGI server)."""

from __future__ import annotations

import logging

import click
from waitress import create_server

from tinphuong.cli import HELP_OPTIONS, command, config_option
from tinphuong.config import Config
from webui import create_app

log = logging.getLogger("tinphuong.webui")


@click.command(context_settings=HELP_OPTIONS)
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), metavar="PORT",
              help="TCP port (0 picks a free one; the log line says which).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), metavar="N",
              help="Worker threads answering requests.")
@config_option
@command
def main(config: Config, host: str, port: int, threads: int) -> int:
    """Serve the Tin Phường search pages, JSON API and archived pages until interrupted.

    Uses waitress, a production WSGI server. Reads the index and the archive
    only, so it runs beside the nightly refresh and sees each index update
    without a restart; changes to the configuration need one. Logs to stderr.
    Routes and answers: docs/http-api.md.

    \b
    Exit codes: 0 stopped (Ctrl-C or SIGTERM), 1 failure (e.g. the port is
    taken), 2 bad usage or configuration.
    """
    app = create_app(config)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    server = create_server(app, host=host, port=port, threads=threads, ident="tinphuong")
    log.info("serving http://%s:%s/ (index %s, %d threads, config %s)", host, server.effective_port,
             config.storage.index_dir, threads, config.path)
    try:
        server.run()             # returns on Ctrl-C or SIGTERM (`command` turns it into KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    main(prog_name="python -m webui")
