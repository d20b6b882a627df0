"""`python -m webui`: serve the UI and the API with waitress (a production WSGI server)."""

from __future__ import annotations

import logging

import click
from waitress import create_server

from tinphuong.cli import command, config_option
from tinphuong.config import Config
from webui import create_app

log = logging.getLogger("tinphuong.webui")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one; the log line says which).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads answering requests.")
@config_option
@command
def main(config: Config, host: str, port: int, threads: int) -> int:
    """Serve the Tin Phường search pages and JSON API until interrupted."""
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
