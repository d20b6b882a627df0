"""The portal fixture set (`fixtures/portals/<layout>/`): pages as captured, their ground truth, scores.

Each layout folder holds the captured pages and one `truth.toml` that says, for every page, its
kind (`article`, or what else it is: `home`, `category`, `search`, ...), URL, capture time and
Content-Type, and for articles what a reader sees: title, date (and which part of the page states
it), body paragraphs (no image captions), author and category when the page marks them. The
extraction test and `benchmarks/bench_dates.py` read them through this module.
"""

from __future__ import annotations

import re
import statistics
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "portals"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    layout: str
    file: str
    kind: str
    url: str
    captured: datetime
    content_type: str
    title: str = ""
    date: date | None = None
    date_source: str | None = None
    body: str = ""
    author: str | None = None
    category: str | None = None

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def name(self) -> str:
        return f"{self.layout}/{self.file}"

    def html(self) -> bytes:
        return (FIXTURES / self.layout / self.file).read_bytes()

    def headers(self) -> list[tuple[str, str]]:
        return [("Content-Type", self.content_type)] if self.content_type else []


def load_pages() -> list[Page]:
    """Every page of every layout, in layout and file order."""
    pages = []
    for truth in sorted(FIXTURES.glob("*/truth.toml")):
        for entry in tomllib.loads(truth.read_text(encoding="utf-8"))["page"]:
            when = entry.get("date")
            pages.append(Page(
                layout=truth.parent.name, file=entry["file"], kind=entry["kind"], url=entry["url"],
                captured=datetime.fromisoformat(entry["captured"]),
                content_type=entry.get("content_type", "text/html; charset=utf-8"),
                title=entry.get("title", ""), date=date.fromisoformat(when) if when else None,
                date_source=entry.get("date_source"), body=entry.get("body", "").strip(),
                author=entry.get("author"), category=entry.get("category")))
    return pages


def tokens(text: str) -> list[str]:
    """Lowercase NFC words: what body F1 and leakage are counted in."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@dataclass(frozen=True)
class BodyScore:
    f1: float
    extracted: int      # tokens extracted
    leaked: int         # extracted tokens the article does not have (chrome, captions, other articles)


def body_score(extracted: str, truth: str) -> BodyScore:
    got, want = Counter(tokens(extracted)), Counter(tokens(truth))
    common = sum((got & want).values())
    precision = common / max(1, sum(got.values()))
    recall = common / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return BodyScore(f1=f1, extracted=sum(got.values()), leaked=sum((got - want).values()))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
