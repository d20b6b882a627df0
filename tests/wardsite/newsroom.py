"""A ward's articles day by day: the archive it starts with and what its editors do each day.

The newsroom knows nothing of HTTP. Day 0 holds `count` articles published over the years
before `start` (about one a day); every later day editors publish at the top, backdate into
the middle of a listing, edit titles and bodies, and delete. Every change gets the next moment
of the day (07:00, 07:00:30, ...), so two runs that make the same changes get the same times.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from demo.content import slugify
from demo.render import LATEST_COUNT
from tests.wardsite import writer
from tests.wardsite.model import VIETNAM, Article, Attachment, Image, Version
from tests.wardsite.words import Beat
from tests.wardsite.writer import Story, Ward, rng_for

FIRST_CHANGE = time(7, 0)
CHANGE_STEP = timedelta(seconds=30)
MAX_SLUG = 80


class Newsroom:
    def __init__(self, seed: object, ward: Ward, count: int, start: date) -> None:
        self.seed = seed
        self.ward = ward
        self.start = start
        self.day = 0
        self.articles: dict[int, Article] = {}
        self.content_stamp = self.moment_of(0, 0)   # the last change of anything
        self.latest_stamp = self.content_stamp      # the last change of the "Tin mới" list
        self._step = 0
        self._stories: dict[int, Story] = {}
        self._titles: set[str] = set()
        self._slugs: set[str] = set()
        self._live: list[Article] | None = None
        self._latest_signature: tuple = ()
        for published in _archive_dates(rng_for(seed, "calendar"), count, start):
            self._create(published, None, published, backdated=False)
        self._changed(self.content_stamp)

    # --- time ------------------------------------------------------------------------------------

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def moment_of(self, day: int, step: int) -> datetime:
        return datetime.combine(self.date_of(day), FIRST_CHANGE, VIETNAM) + step * CHANGE_STEP

    def next_moment(self) -> datetime:
        """The time of the next change today."""
        self._step += 1
        return self.moment_of(self.day, self._step)

    def begin_day(self) -> None:
        self.day += 1
        self._step = 0

    # --- what exists -----------------------------------------------------------------------------

    def live(self) -> list[Article]:
        """The articles online today, newest publication date first (the order of every listing)."""
        if self._live is None:
            self._live = sorted((a for a in self.articles.values() if a.exists_on(self.day)),
                                key=lambda a: (a.published, a.id), reverse=True)
        return self._live

    def live_in(self, beat: Beat | None) -> list[Article]:
        return self.live() if beat is None else [a for a in self.live() if a.beat == beat]

    def latest(self) -> list[Article]:
        return self.live()[:LATEST_COUNT]

    # --- what editors do -------------------------------------------------------------------------

    def publish(self, beat: Beat | None = None) -> Article:
        """A new article at the top of the listings, dated now."""
        moment = self.next_moment()
        return self._create(moment, beat, moment, backdated=False)

    def backdate(self, position: int, beat: Beat | None = None) -> Article:
        """A new article dated so that it stands at `position` (0 = top) of the listing of `beat`
        (None: the main listing), between two articles already there."""
        listing = self.live_in(beat)
        if not 1 <= position <= len(listing):
            raise ValueError(f"position {position} is outside the listing (1..{len(listing)})")
        after = listing[position - 1].published
        before = listing[position].published if position < len(listing) else after - timedelta(days=2)
        published = before + (after - before) / 2
        return self._create(published.replace(microsecond=0), beat, self.next_moment(), backdated=True)

    def edit(self, article: Article, part: str) -> Article:
        """A new version of `article`: its title ("title") or one paragraph and a note ("body")."""
        if part not in ("title", "body"):
            raise ValueError(f"part must be 'title' or 'body', not {part!r}")
        if not article.exists_on(self.day):
            raise ValueError(f"{article} is not online")
        story, previous, revision = self._stories[article.id], article.versions[-1], len(article.versions)
        rng = rng_for(self.seed, "edit", article.id, revision)
        title = self._unique_title(rng, story, revised=True) if part == "title" else previous.title

        def body() -> tuple[str, ...]:
            if part == "title":
                return previous.paragraphs
            return writer.revise_body(rng_for(self.seed, "revise", article.id, revision), story,
                                      previous.paragraphs)

        moment = self.next_moment()
        article.versions.append(Version(title, moment, self.day, body))
        self._changed(moment)
        return article

    def delete(self, article: Article) -> Article:
        if not article.exists_on(self.day):
            raise ValueError(f"{article} is not online")
        article.deleted_on = self.day
        self._changed(self.next_moment())
        return article

    # --- inside ----------------------------------------------------------------------------------

    def _create(self, published: datetime, beat: Beat | None, moment: datetime, backdated: bool) -> Article:
        article_id = len(self.articles) + 1
        rng = rng_for(self.seed, "article", article_id)
        beat = beat or rng.choice(self.ward.beats)
        story = writer.make_story(rng, self.ward, beat, published)
        title = self._unique_title(rng, story)
        slug = self._unique_slug(title)
        images = tuple(Image(f"anh-{article_id}-{n}.png", f"Ảnh {n}: {story.activity} {story.subject}")
                       for n in range(1, rng.choice((0, 1, 1, 1, 1, 2)) + 1))
        attachments = tuple(Attachment(name, label)
                            for name, label in writer.write_attachments(rng, article_id))
        article = Article(
            id=article_id, slug=slug, published=published, beat=beat, author=writer.write_author(rng),
            versions=[Version(title, moment, self.day,
                              lambda: writer.write_body(rng_for(self.seed, "body", article_id), story))],
            images=images, attachments=attachments, created_on=self.day, backdated=backdated,
        )
        self.articles[article_id] = article
        self._stories[article_id] = story
        if self.day:
            self._changed(moment)
        return article

    def _unique_title(self, rng: random.Random, story: Story, revised: bool = False) -> str:
        title = writer.write_title(rng, story, revised)
        for attempt in range(2, 50):
            if title not in self._titles:
                break
            candidate = writer.write_title(rng, story, revised)
            title = candidate if candidate not in self._titles else f"{candidate} (lần {attempt})"
        self._titles.add(title)
        return title

    def _unique_slug(self, title: str) -> str:
        base = slugify(title)
        if len(base) > MAX_SLUG:
            base = base[:MAX_SLUG].rsplit("-", 1)[0]
        slug, number = base, 2
        while slug in self._slugs:
            slug, number = f"{base}-{number}", number + 1
        self._slugs.add(slug)
        return slug

    def _changed(self, moment: datetime) -> None:
        self._live = None
        self.content_stamp = moment
        signature = tuple((a.id, a.title) for a in self.latest())
        if signature != self._latest_signature:
            self._latest_signature = signature
            self.latest_stamp = moment


def _archive_dates(rng: random.Random, count: int, start: date) -> list[datetime]:
    """Publication times of the first `count` articles: about one a day before `start`, in office hours."""
    moments, day = [], start - timedelta(days=1)
    for _ in range(count):
        moments.append(datetime.combine(day, time(rng.randint(7, 17), rng.randrange(0, 60, 5)), VIETNAM))
        day -= timedelta(days=rng.choice((0, 1, 1, 1, 2)))
    return sorted(moments)

