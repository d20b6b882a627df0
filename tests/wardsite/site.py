"""`WardSite`: one generated ward site served on 127.0.0.1, and its days.

Pages are rendered when asked for (a site of thousands of articles starts in a fraction of a
second) from the newsroom's state of the current day, in the current theme and URL scheme
(`routing`). Every 200 carries an ETag and a Last-Modified, and conditional requests get 304.
The server is `tests.sites.TestSite`, so every request is logged; the log is cut into days.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime

from demo.serve import not_modified, origin
from tests.sites import Request, Response, TestSite
from tests.wardsite.incidents import Incidents
from tests.wardsite.model import Article
from tests.wardsite.newsroom import Newsroom
from tests.wardsite.pages import Links
from tests.wardsite.routing import Router
from tests.wardsite.styles import STYLES, Style
from tests.wardsite.traffic import Traffic
from tests.wardsite.urls import Target
from tests.wardsite.writer import make_ward, rng_for

DEFAULT_START = date(2025, 6, 2)   # day 0; in the past, so that no generated date looks like the future


@dataclass
class Day:
    """One day of the site: what happened on it (the record) and what can still happen (the methods).

    The methods act at once, and only while the day is the site's current one; articles are
    picked with the site's seed, so the same calls give the same site.
    """

    site: WardSite = field(repr=False)
    number: int
    date: date
    published: list[Article] = field(default_factory=list)
    backdated: list[Article] = field(default_factory=list)
    edited: list[Article] = field(default_factory=list)
    deleted: list[Article] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    hanging: str | None = None

    def publish(self, count: int = 1, category: str | None = None) -> list[Article]:
        """`count` new articles at the top of every listing they belong to."""
        with self._acting() as site:
            new = [site.newsroom.publish(site.router.beat(category)) for _ in range(count)]
        self.published += new
        return new

    def backdate(self, listing_page: int, category: str | None = None) -> Article:
        """A new article dated into the past so that it stands in the middle of page
        `listing_page` of the main listing (or of `category`'s)."""
        with self._acting() as site:
            position = (listing_page - 1) * site.per_page + site.per_page // 2
            article = site.newsroom.backdate(position, site.router.beat(category))
        self.backdated.append(article)
        return article

    def edit(self, article: Article | None = None, part: str = "body") -> Article:
        """A new version of `article` (else of one picked at random): its "title" or its "body"."""
        with self._acting() as site:
            article = site.newsroom.edit(article or self._pick("edit"), part)
        self.edited.append(article)
        return article

    def delete(self, article: Article | None = None) -> Article:
        """Remove `article` (else one picked at random): 404 today, 410 from tomorrow."""
        with self._acting() as site:
            article = site.newsroom.delete(article or self._pick("delete"))
        self.deleted.append(article)
        return article

    def down(self) -> None:
        """The server stops listening until the next day (connection refused), then comes back on
        the same port."""
        with self._acting() as site:
            self.events.append("down")
            site._down = site.server.running
        site.server.stop()

    def unavailable(self, retry_after: int = 3600) -> None:
        """Every request gets 503 with Retry-After until the next day."""
        with self._acting() as site:
            site.incidents.unavailable = retry_after
            self.events.append("unavailable")

    def hang(self, path: str | None = None) -> str:
        """One page (`path`, else a random article's) never answers until the next day; returns it."""
        with self._acting() as site:
            self.hanging = path or site.router.links("").article(self._pick("hang"))
            site.incidents.hang(self.hanging)
            self.events.append("hang")
        return self.hanging

    def move(self) -> None:
        """Every page moves to the style's second URL scheme; old URLs answer 301 to the new ones."""
        with self._acting() as site:
            site.router.move(site.newsroom.next_moment())
            self.events.append("move")

    def change_theme(self) -> None:
        """The next theme of the style: the same articles and URLs in other HTML."""
        with self._acting() as site:
            site.router.change_theme(site.newsroom.next_moment())
            self.events.append("theme")

    def _acting(self) -> _Acting:
        if self.number != self.site.day:
            raise ValueError(f"day {self.number} is over (the site is on day {self.site.day})")
        return _Acting(self.site)

    def _pick(self, purpose: str) -> Article:
        """A random article online that nothing has happened to today."""
        touched = {a.id for a in self.published + self.backdated + self.edited + self.deleted}
        candidates = sorted((a for a in self.site.newsroom.live() if a.id not in touched), key=lambda a: a.id)
        if not candidates:
            raise ValueError("no article left to pick")
        return rng_for(self.site.seed, "pick", self.number, purpose, len(touched)).choice(candidates)


class _Acting:
    """The site's lock, held while a day changes it."""

    def __init__(self, site: WardSite) -> None:
        self.site = site

    def __enter__(self) -> WardSite:
        self.site._lock.acquire()
        return self.site

    def __exit__(self, *exc: object) -> None:
        self.site._lock.release()


class WardSite:
    """A generated ward site served on 127.0.0.1 while started; a context manager.

    `style` is "wordpress" or "aspnet"; `articles` is how many the site starts with (day 0);
    `crawl_delay` adds a Crawl-delay line to robots.txt; every `duplicate_every`-th article (by
    id, 0 for none) is also served under an alias (the same bytes) and a print view (another
    layout naming the article page as canonical); `sidebar_on_articles` False leaves the "Tin
    mới" list off article pages, so that their bytes change only when they are edited.
    """

    def __init__(self, style: str = "wordpress", seed: object = 0, articles: int = 120, per_page: int = 10,
                 start: date = DEFAULT_START, crawl_delay: float | None = None, duplicate_every: int = 20,
                 sidebar_on_articles: bool = True, sitemap_size: int = 1000) -> None:
        if style not in STYLES:
            raise ValueError(f"style must be one of {sorted(STYLES)}, not {style!r}")
        if articles < 1 or per_page < 1 or sitemap_size < 1:
            raise ValueError("a site needs at least one article, one per page and one per sitemap")
        self.style: Style = STYLES[style]
        self.seed = seed
        self.ward = make_ward(seed)
        self.per_page = per_page
        self.newsroom = Newsroom(seed, self.ward, articles, start)
        self.router = Router(self.newsroom, self.style, per_page, crawl_delay, duplicate_every,
                             sidebar_on_articles, sitemap_size)
        self.incidents = Incidents()
        self.server = TestSite()
        self.server.handler("/", self._answer)
        self.days: list[Day] = [Day(self, 0, start)]
        self._day_starts = [0]
        self._lock = threading.RLock()
        self._down = False

    # --- serving ---------------------------------------------------------------------------------

    def start(self) -> WardSite:
        self.server.start()
        return self

    def stop(self) -> None:
        self.incidents.end()
        self.server.stop()

    def __enter__(self) -> WardSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def config_entry(self, name: str, **options: object) -> dict:
        """A [[sites]] entry of the configuration for this site."""
        return {"name": name, "title": self.ward.site.name, "start_urls": [self.url("/")], **options}

    @property
    def attachment_bytes(self) -> Callable[[Article, str], bytes]:
        """What an attachment's URL serves: `(article, file name) -> bytes`; replace it to serve real
        documents (placeholders that start with the format's signature by default)."""
        return self.router.attachment_bytes

    @attachment_bytes.setter
    def attachment_bytes(self, make: Callable[[Article, str], bytes]) -> None:
        self.router.attachment_bytes = make

    # --- days ------------------------------------------------------------------------------------

    @property
    def day(self) -> int:
        return self.newsroom.day

    @property
    def today(self) -> Day:
        return self.days[-1]

    def advance(self, plan: object | None = None) -> Day:
        """Begin the next day: yesterday's outage, 503s and hanging page are over; then apply
        `plan` (a `DayPlan`) if given. Returns the new day."""
        with self._lock:
            self.incidents.new_day()
            self.newsroom.begin_day()
            self.days.append(Day(self, self.day, self.newsroom.date_of(self.day)))
            self._day_starts.append(len(self.server.requests))
        if self._down:
            self._down = False
            self.server.start()
        if plan is not None:
            plan.apply(self.today)
        return self.today

    def throttle(self, count: int = 1, retry_after: int = 1, http_date: bool = False, status: int = 429,
                 path: str | None = None) -> None:
        """Answer the next `count` requests (of `path`, else any) with `status` and a Retry-After of
        `retry_after` seconds, written as seconds or (`http_date`) as the HTTP date that far ahead."""
        self.incidents.throttle(count, retry_after, http_date, status, path)

    def traffic(self, day: int | None = None) -> Traffic:
        """The requests received on `day` (default: today)."""
        day = self.day if day is None else day
        end = self._day_starts[day + 1] if day + 1 < len(self._day_starts) else None
        return Traffic(tuple(self.server.requests[self._day_starts[day]:end]))

    # --- ground truth ----------------------------------------------------------------------------

    def live(self) -> list[Article]:
        """The articles online today, in the order of the main listing (newest date first)."""
        with self._lock:
            return list(self.newsroom.live())

    def ever(self) -> list[Article]:
        """Every article that was ever online, by id."""
        return list(self.newsroom.articles.values())

    def deleted(self) -> list[Article]:
        return [a for a in self.ever() if a.deleted_on is not None]

    def edited(self) -> list[Article]:
        return [a for a in self.ever() if a.edited]

    def links(self) -> Links:
        """The site's addresses today (paths of pages, images, attachments, theme files)."""
        return self.router.links(self.base_url)

    def article_url(self, article: Article, view: str = "main") -> str:
        """Where `article` is today: "main", "alias" (the same bytes) or "print" (canonical to main)."""
        links = self.links()
        return links.absolute(links.article(article, view))

    def listing_url(self, page: int = 1, category: str | None = None) -> str:
        links = self.links()
        return links.absolute(links.listing(page, self.router.beat(category)))

    def urls_of(self, article: Article) -> list[str]:
        """Every URL the article's page has had: one, or two once the site has moved."""
        links = self.links()
        target = Target("article", article=article)
        return [links.absolute(scheme.url(target, links.category_number))
                for scheme in self.style.schemes[:1 + int(self.router.moved)]]

    def listing_position(self, article: Article, category: str | None = None) -> tuple[int, int] | None:
        """(page, index on the page) of `article` in the main listing (or `category`'s), None if absent."""
        with self._lock:
            listing = self.newsroom.live_in(self.router.beat(category))
            if article not in listing:
                return None
            index = listing.index(article)
        return index // self.per_page + 1, index % self.per_page

    # --- answering -------------------------------------------------------------------------------

    def _answer(self, request: Request) -> Response:
        refusal = self.incidents.answer(request.path)
        if refusal is not None:
            return refusal
        with self._lock:
            response = self.router.resolve(request.path, origin(request.headers.get("Host"), self.base_url))
        if response.status == 200:
            modified = parsedate_to_datetime(response.headers["Last-Modified"]).timestamp()
            if not_modified(request.headers, response.headers["ETag"], modified):
                kept = {k: v for k, v in response.headers.items() if k in ("ETag", "Last-Modified")}
                return Response(304, b"", kept)
        return response
