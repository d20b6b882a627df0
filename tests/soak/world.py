"""The soak's world: three evolving ward sites, the configuration file the commands read, and
the ground truth seen from the archive's side (which article a URL shows, what a night promised).

The crawler runs on the sites' calendar: night `d` is 20:00 UTC of the sites' day `d` (after
the day's changes, which happen from 07:00 Vietnam time), passed to `python -m crawler refresh`
as `TINPHUONG_NOW`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.wardsite import Article, WardSite
from tests.wardsite.urls import VIEWS, Target
from tinphuong.urls import canonicalize

STYLES = ("wordpress", "aspnet", "wordpress")      # three sites, two styles
USER_AGENT = "TinPhuongSoak/1.0 (+mailto:soak@example.invalid)"
NIGHT_HOUR = 20                                     # UTC: the night's refresh runs after the day's news


@dataclass(frozen=True)
class Owner:
    """The article a URL shows."""

    site: str
    article: Article


class World:
    """The sites (started), the data directory and the configuration file (`config.toml`)."""

    def __init__(self, root: Path, seed: object, articles: int, revisit_days: int) -> None:
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.revisit_days = revisit_days
        self.sites: dict[str, WardSite] = {
            f"phuong-{number}": WardSite(style, seed=f"soak-{seed}-{number}", articles=articles, per_page=10)
            for number, style in enumerate(STYLES)}
        self.config = root / "config.toml"
        self.rebuild_config = root / "rebuild.toml"

    def start(self) -> World:
        for site in self.sites.values():
            site.start()
        self._write_configs()
        return self

    def stop(self) -> None:
        for site in self.sites.values():
            site.stop()

    @property
    def archive_dir(self) -> Path:
        return self.data / "archive"

    @property
    def index_dir(self) -> Path:
        return self.data / "index"

    @property
    def rebuilt_index_dir(self) -> Path:
        return self.root / "rebuilt-index"

    def _write_configs(self) -> None:
        """The nightly configuration, and one for `indexer rebuild` into an index of its own."""
        sites = "".join(
            f'\n[[sites]]\nname = "{name}"\ntitle = "{site.ward.site.name}"\n'
            f'start_urls = ["{site.url("/")}"]\nrevisit_days = {self.revisit_days}\n'
            for name, site in self.sites.items())
        crawl = (f'[crawl]\nuser_agent = "{USER_AGENT}"\ndelay_seconds = 0\ntimeout_seconds = 2\n'
                 "max_retries = 1\nconcurrency = 3\n")
        for path, index in ((self.config, "data/index"), (self.rebuild_config, str(self.rebuilt_index_dir))):
            storage = f'[storage]\narchive_dir = "data/archive"\nindex_dir = "{index}"\n\n'
            path.write_text(storage + crawl + sites, encoding="utf-8")

    # --- time --------------------------------------------------------------------------------------

    @property
    def day(self) -> int:
        return next(iter(self.sites.values())).day

    def night(self, day: int) -> datetime:
        """The crawler's clock at the start of night `day`."""
        start = next(iter(self.sites.values())).days[0].date
        midnight = datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC)
        return midnight + timedelta(hours=NIGHT_HOUR)

    def requests(self) -> int:
        """Requests the sites have received so far."""
        return sum(len(site.server.requests) for site in self.sites.values())

    # --- ground truth ------------------------------------------------------------------------------

    def articles(self) -> Iterator[tuple[str, Article]]:
        """Every article ever published, with its site's name."""
        for name, site in self.sites.items():
            for article in site.ever():
                yield name, article

    def owners(self) -> dict[str, Owner]:
        """Every URL an article has had (each view, in each URL scheme the site used), canonical."""
        owners: dict[str, Owner] = {}
        for name, site in self.sites.items():
            links = site.links()
            for scheme in site.style.schemes[:1 + int(site.router.moved)]:
                for article in site.ever():
                    for view in VIEWS:
                        target = Target("article", article=article, view=view)
                        url = canonicalize(links.absolute(scheme.url(target, links.category_number)))
                        if url:
                            owners[url] = Owner(name, article)
        return owners

    def files(self) -> dict[str, Owner]:
        """Every attachment's URL (canonical; the same before and after a move), with its article."""
        files: dict[str, Owner] = {}
        for name, site in self.sites.items():
            links = site.links()
            for article in site.ever():
                for attachment in article.attachments:
                    url = canonicalize(links.absolute(links.attachment(article, attachment)))
                    if url:
                        files[url] = Owner(name, article)
        return files

    def moved_on(self, name: str) -> int | None:
        """The day the site moved to new URLs, if it did."""
        return next((day.number for day in self.sites[name].days if "move" in day.events), None)

    def lastmod_site(self, name: str) -> bool:
        """Whether the site dates its changes in a sitemap (edits and removals are then seen at once)."""
        return self.sites[name].style.files.sitemap is not None
