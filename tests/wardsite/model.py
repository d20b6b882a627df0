"""The ground truth: articles, each with every version of its text and the days it lived.

An `Article` is what the site publishes, independent of how it is served (URLs and HTML belong
to the site's style and theme). Checks compare what a crawler archived and an index holds with
these objects: `title`, `text` and `date` now, `versions` for what it said before, `deleted_on`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from tests.wardsite.words import Beat

VIETNAM = timezone(timedelta(hours=7))


@dataclass(eq=False)
class Version:
    """One text of an article; the paragraphs are written when first read (most never are)."""

    title: str
    modified: datetime             # when this text went online (the first version: publication)
    day: int                       # the site's day it went online
    write_body: Callable[[], tuple[str, ...]] = field(repr=False)
    _body: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        if self._body is None:
            self._body = self.write_body()
        return self._body

    @property
    def text(self) -> str:
        """The body as the indexer keeps it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Image:
    name: str                      # file name, e.g. "anh-17-1.png"
    caption: str


@dataclass(frozen=True)
class Attachment:
    name: str                      # file name, e.g. "ke-hoach-61-kh-ubnd.pdf"
    label: str                     # the link text


@dataclass(eq=False)
class Article:
    id: int                        # the CMS's number (ItemID, ?p=): grows with creation, not with date
    slug: str
    published: datetime            # Vietnam time; backdated articles carry an earlier date than their id
    beat: Beat                     # the category
    author: str
    versions: list[Version]        # oldest first; the last one is online
    images: tuple[Image, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    created_on: int = 0            # the day it appeared (0: there from the start)
    backdated: bool = False
    deleted_on: int | None = None  # the day it was removed: 404 that day, 410 after

    @property
    def title(self) -> str:
        return self.versions[-1].title

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return self.versions[-1].paragraphs

    @property
    def text(self) -> str:
        return self.versions[-1].text

    @property
    def modified(self) -> datetime:
        return self.versions[-1].modified

    @property
    def date(self) -> date:
        return self.published.date()

    @property
    def category(self) -> str:
        return self.beat.name

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    def exists_on(self, day: int) -> bool:
        return self.created_on <= day and (self.deleted_on is None or day < self.deleted_on)

    def __repr__(self) -> str:
        return f"Article({self.id}, {self.slug!r}, {self.published:%Y-%m-%d})"
