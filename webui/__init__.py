"""The Flask application: Vietnamese search pages and the JSON API over `indexer.search`.

`create_app` follows Flask's tutorial factory: it loads the configuration unless given one,
builds the process-wide `Searcher`, registers one blueprint per page family and installs the
security headers and error pages. Nothing here imports whoosh.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from tinphuong.config import Config, load_config


def create_app(config: Config | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web application; `test_config` overrides Flask settings (e.g. TESTING)."""
    from webui import (
        api,
        documents,
        errors,
        export,
        feeds,
        formatting,
        opensearch,
        search,
        security,
        services,
        status,
    )
    from webui.replay import routes as replay

    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False, SEND_FILE_MAX_AGE_DEFAULT=3600, MAX_CONTENT_LENGTH=64 * 1024)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if test_config:
        app.config.update(test_config)
    services.install(app, config or load_config())
    formatting.register(app)
    security.register(app)
    errors.register(app)
    blueprints = (search.bp, feeds.bp, export.bp, opensearch.bp, documents.bp, api.bp, status.bp, replay.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app
