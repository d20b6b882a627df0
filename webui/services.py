"""What the factory builds once per process and the blueprints share: config, searcher, site titles.

Kept on `app.extensions` rather than in module globals so that every app (and every test) is
independent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from indexer.generations import live_generation
from indexer.index_format import format_mismatch, rebuild_advice
from indexer.search import Searcher
from tinphuong.config import Config
from webui.versions import ExtractionCache

EXTENSION_KEY = "tinphuong"
log = logging.getLogger("tinphuong.webui")


@dataclass(frozen=True)
class Services:
    """The per-app objects: one `Searcher` for the process, the configuration it came from, and the
    articles re-extracted from archived captures (`webui.versions`)."""

    config: Config
    searcher: Searcher
    extractions: ExtractionCache

    def site_title(self, name: str | None) -> str:
        """The title the administrator gave a site, falling back to its short name."""
        for site in self.config.sites:
            if site.name == name:
                return site.title
        return name or ""


def install(app: Flask, config: Config) -> Services:
    """Create the process-wide services and attach them to `app`."""
    searcher = Searcher(config.storage.index_dir, abbreviations=config.search.abbreviations)
    services = Services(config=config, searcher=searcher, extractions=ExtractionCache())
    outdated = index_outdated(config.storage.index_dir)
    if outdated:
        log.warning("%s", rebuild_advice(outdated))
    app.extensions[EXTENSION_KEY] = services
    return services


def services_of(app: Flask) -> Services:
    """The services `install` attached to `app`."""
    return app.extensions[EXTENSION_KEY]


def services() -> Services:
    """The services of the app handling the current request."""
    return services_of(current_app)


def index_outdated(index_dir: Path) -> str | None:
    """Why the live index was built by another version (it is still served), or None."""
    return format_mismatch(live_generation(index_dir))
