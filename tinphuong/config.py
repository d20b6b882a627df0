"""The one TOML configuration file shared by the crawler, the indexer and the web UI.

Defaults live here and nowhere else. Loading validates every key so that a typo
in the administrator's file becomes a one-line error naming the file, the key
and the problem, never a traceback in the middle of a nightly run.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tinphuong.warc import MAX_STORED_READ

ENV_VAR = "TINPHUONG_CONFIG"
DEFAULT_FILE = "config.toml"
DEFAULT_USER_AGENT = "TinPhuongArchiver/1.0 (+mailto:admin@example.gov.vn)"
SITE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ConfigError(Exception):
    """A configuration problem, already phrased for the administrator (one line)."""


@dataclass(frozen=True)
class Selectors:
    """Optional per-site CSS selectors; generic extraction is used for any left empty."""

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    name: str
    title: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    max_pages: int = 20000
    revisit_days: int = 30
    selectors: Selectors = field(default_factory=Selectors)
    requisite_hosts: tuple[str, ...] = ()     # more hosts its images, stylesheets, fonts, attachments may use


@dataclass(frozen=True)
class CrawlConfig:
    user_agent: str = DEFAULT_USER_AGENT
    delay_seconds: float = 1.0
    concurrency: int = 8          # sites crawled at once (one request at a time per host all the same)
    timeout_seconds: float = 20.0
    max_bytes: int = 10_000_000
    max_retries: int = 3
    max_depth: int = 30
    requisites: bool = True                  # archive the images, stylesheets and fonts pages use
    requisite_max_bytes: int = 5_000_000
    requisite_revisit_days: int = 90
    attachments: bool = True                 # archive the documents (PDF, DOC, XLS...) pages link
    attachment_max_bytes: int = 30_000_000


# Numeric [crawl] keys: (name, minimum, integer only).
_CRAWL_NUMBERS = (("delay_seconds", 0, False), ("concurrency", 1, True), ("timeout_seconds", 0.1, False),
                  ("max_bytes", 1024, True), ("max_retries", 0, True), ("max_depth", 1, True))
# Page requisites and attachments: numeric keys as above; payload caps stay readable by the archive reader.
_RESOURCE_NUMBERS = (("requisite_max_bytes", 1024, True), ("requisite_revisit_days", 1, True),
                     ("attachment_max_bytes", 1024, True))
_RESOURCE_FLAGS = ("requisites", "attachments")


@dataclass(frozen=True)
class StorageConfig:
    index_dir: Path
    archive_dir: Path


@dataclass(frozen=True)
class SearchConfig:
    """Search settings; `abbreviations` extends the bundled list (short form -> long forms)."""

    abbreviations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path
    storage: StorageConfig
    crawl: CrawlConfig
    search: SearchConfig
    sites: tuple[SiteConfig, ...]

    def site(self, name: str) -> SiteConfig:
        for site in self.sites:
            if site.name == name:
                return site
        raise ConfigError(f"{self.path}: no site named {name!r} (known: {', '.join(self.site_names)})")

    @property
    def site_names(self) -> list[str]:
        return [site.name for site in self.sites]


def resolve_path(cli_value: str | os.PathLike | None) -> Path:
    """--config, else $TINPHUONG_CONFIG, else ./config.toml."""
    return Path(cli_value or os.environ.get(ENV_VAR) or DEFAULT_FILE)


def load_config(cli_value: str | os.PathLike | None = None) -> Config:
    """Read and validate the configuration; raises ConfigError with a one-line message."""
    path = resolve_path(cli_value)
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found (use --config or ${ENV_VAR})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    return parse_config(raw, path)


def parse_config(raw: Mapping[str, Any], path: Path) -> Config:
    """Validate a parsed TOML mapping; relative storage paths are relative to `path`."""
    reader = _Reader(path)
    reader.only(raw, "", {"storage", "crawl", "search", "sites"})
    base = path.resolve().parent
    storage = reader.table(raw, "storage")
    reader.only(storage, "storage", {"index_dir", "archive_dir"})
    crawl = reader.table(raw, "crawl")
    reader.only(crawl, "crawl", set(CrawlConfig.__dataclass_fields__))
    crawl_config = CrawlConfig(
        user_agent=reader.text(crawl, "crawl.user_agent", CrawlConfig.user_agent),
        **{name: reader.number(crawl, f"crawl.{name}", getattr(CrawlConfig, name), minimum, integer)
           for name, minimum, integer in _CRAWL_NUMBERS + _RESOURCE_NUMBERS},
        **{name: reader.flag(crawl, f"crawl.{name}", getattr(CrawlConfig, name)) for name in _RESOURCE_FLAGS},
    )
    for name in ("requisite_max_bytes", "attachment_max_bytes"):
        if getattr(crawl_config, name) > MAX_STORED_READ:
            raise reader.error(f"crawl.{name}", f"must be at most {MAX_STORED_READ} (what the archive reader "
                               f"reads of one response), not {getattr(crawl_config, name)!r}")
    sites = raw.get("sites", [])
    if not isinstance(sites, list) or not all(isinstance(s, dict) for s in sites):
        raise reader.error("sites", "must be an array of tables ([[sites]])")
    site_configs = tuple(_site(reader, s, i) for i, s in enumerate(sites))
    names = [s.name for s in site_configs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise reader.error("sites.name", f"duplicate site name {duplicates[0]!r}")
    return Config(
        path=path,
        storage=StorageConfig(
            index_dir=base / reader.text(storage, "storage.index_dir", "index"),
            archive_dir=base / reader.text(storage, "storage.archive_dir", "archive"),
        ),
        crawl=crawl_config,
        search=SearchConfig(abbreviations=_abbreviations(reader, reader.table(raw, "search"))),
        sites=site_configs,
    )


def _site(reader: _Reader, raw: Mapping[str, Any], index: int) -> SiteConfig:
    where = f"sites[{index}]"
    reader.only(raw, where, set(SiteConfig.__dataclass_fields__))
    name = reader.text(raw, f"{where}.name", None)
    if not SITE_NAME.match(name):
        raise reader.error(f"{where}.name", f"{name!r} must be lowercase letters, digits and '-'")
    where = f"sites.{name}"
    start_urls = reader.urls(raw, f"{where}.start_urls", required=True)
    hosts = reader.strings(raw, f"{where}.allowed_hosts") or tuple(
        dict.fromkeys(urlsplit(u).hostname or "" for u in start_urls)
    )
    selectors = reader.table(raw, "selectors", where=f"{where}.selectors")
    reader.only(selectors, f"{where}.selectors", set(Selectors.__dataclass_fields__))
    return SiteConfig(
        name=name,
        title=reader.text(raw, f"{where}.title", name),
        start_urls=start_urls,
        allowed_hosts=tuple(h.lower() for h in hosts),
        sitemaps=reader.urls(raw, f"{where}.sitemaps"),
        feeds=reader.urls(raw, f"{where}.feeds"),
        max_pages=int(reader.number(raw, f"{where}.max_pages", 20000, minimum=1, integer=True)),
        revisit_days=int(reader.number(raw, f"{where}.revisit_days", 30, minimum=0, integer=True)),
        selectors=Selectors(**{k: reader.text(selectors, f"{where}.selectors.{k}", None) for k in selectors}),
        requisite_hosts=tuple(h.lower() for h in reader.strings(raw, f"{where}.requisite_hosts")),
    )


def _abbreviations(reader: _Reader, search: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    reader.only(search, "search", {"abbreviations"})
    table = reader.table(search, "abbreviations", where="search.abbreviations")
    result = {}
    for short, longs in table.items():
        key = f"search.abbreviations.{short}"
        if isinstance(longs, str):
            longs = [longs]
        if not (isinstance(longs, list) and longs and all(isinstance(x, str) and x.strip() for x in longs)):
            raise reader.error(key, "must be a long form or a list of long forms (non-empty strings)")
        result[short] = tuple(longs)
    return result


class _Reader:
    """Typed access to TOML values that names file and key in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {problem}")

    def only(self, raw: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            key = f"{where}.{unknown[0]}" if where else unknown[0]
            raise self.error(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def table(self, raw: Mapping[str, Any], key: str, where: str | None = None) -> Mapping[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.error(where or key, "must be a table")
        return value

    def text(self, raw: Mapping[str, Any], key: str, default: str | None) -> str:
        value = raw.get(key.rsplit(".", 1)[-1], default)
        if value is None:
            raise self.error(key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def number(self, raw: Mapping[str, Any], key: str, default: float, minimum: float,
               integer: bool = False) -> Any:
        value = raw.get(key.rsplit(".", 1)[-1], default)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.error(key, f"must be {'an integer' if integer else 'a number'}, not {value!r}")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, not {value!r}")
        return value

    def flag(self, raw: Mapping[str, Any], key: str, default: bool) -> bool:
        value = raw.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value

    def strings(self, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = raw.get(key.rsplit(".", 1)[-1], [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise self.error(key, "must be a list of non-empty strings")
        return tuple(x.strip() for x in value)

    def urls(self, raw: Mapping[str, Any], key: str, required: bool = False) -> tuple[str, ...]:
        values = self.strings(raw, key)
        if required and not values:
            raise self.error(key, "needs at least one URL")
        for url in values:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise self.error(key, f"{url!r} is not an http(s) URL")
        return values
