"""Writing the news: a ward's identity, and articles (title, lead, paragraphs) from `words`.

Everything is a function of a `random.Random` seeded with a string, so the same seed gives the
same ward and the same articles on every run and every machine (string seeds do not depend on
PYTHONHASHSEED). An article's first sentence is its lead, and it starts with its date
("Ngày 2/5/2021, ..."), the way ward news is written: old portals show the date nowhere else.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from demo.content import Category, Site, slugify
from tests.wardsite import words
from tests.wardsite.words import Beat

MIN_PARAGRAPHS, MAX_PARAGRAPHS = 3, 6


def rng_for(*parts: object) -> random.Random:
    """A generator of its own for one purpose, e.g. rng_for(seed, "article", 17)."""
    return random.Random("/".join(str(part) for part in parts))


@dataclass(frozen=True)
class Ward:
    """Who publishes the site: the demo's `Site` (identity and menu) plus the beats behind the menu."""

    site: Site
    beats: tuple[Beat, ...]
    short: str                      # "Phường An Phú" without "Phường": for sentences
    website: str                    # the address the ward gives in its texts (not where it is served)


def make_ward(seed: object) -> Ward:
    rng = rng_for(seed, "ward")
    short = rng.choice(words.WARD_NAMES)
    district, city = rng.choice(words.DISTRICTS), rng.choice(words.CITIES)
    beats = tuple(b for b in words.BEATS if b.slug == "thong-bao" or rng.random() < 0.8)
    slug = slugify(short)
    phone = f"(028) 3{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    site = Site(
        name=f"Phường {short}",
        authority=f"Ủy ban nhân dân phường {short}",
        district=district,
        city=city,
        address=f"{rng.randint(1, 250)} {rng.choice(words.STREETS)}, phường {short}, {district}, {city}",
        phone=phone,
        email=f"ubnd.{slug.replace('-', '')}@example.gov.vn",
        hotline=phone[:-1] + str((int(phone[-1]) + 1) % 10),
        categories=tuple(Category(b.slug, b.name) for b in beats),
    )
    return Ward(site, beats, short, f"https://{slug}.example.gov.vn")


@dataclass(frozen=True)
class Story:
    """The facts one article is about: its title is written from these; its body adds details
    (people, numbers, documents) drawn when the body is first read."""

    ward: Ward
    beat: Beat
    activity: str
    subject: str
    published: datetime
    values: dict[str, str]


def make_story(rng: random.Random, ward: Ward, beat: Beat, published: datetime) -> Story:
    year = published.year
    values = {
        "ward": f"phường {ward.short}", "ward_cap": f"Phường {ward.short}",
        "year": str(year), "next_year": str(year + 1), "month": str(published.month),
        "quarter": ("I", "II", "III", "IV")[(published.month - 1) // 3],
        "n": str(rng.randint(12, 480)), "kp": str(rng.randint(1, 12)),
    }
    values["period"] = _fill(rng.choice(words.PERIODS), values)
    values["organiser"] = _fill(rng.choice(beat.organisers), values)
    values["organiser_cap"] = _cap(values["organiser"])
    activity, subject = rng.choice(beat.activities), rng.choice(beat.subjects)
    values.update(activity=activity, activity_cap=_cap(activity), subject=subject, subject_cap=_cap(subject))
    return Story(ward, beat, activity, subject, published, values)


def write_title(rng: random.Random, story: Story, revised: bool = False) -> str:
    template = rng.choice(words.REVISED_TITLES if revised else words.TITLES)
    return _cap(_fill(template, story.values))


def write_body(rng: random.Random, story: Story) -> tuple[str, ...]:
    """The lead, then paragraphs of two to four sentences; at least one paragraph is long prose."""
    values = _details(rng, story)
    lead = _fill(words.LEAD, values) + " " + _fill(rng.choice(words.OPENINGS), values)
    details = rng.sample(words.DETAILS, k=min(len(words.DETAILS), 3 * MAX_PARAGRAPHS))
    paragraphs = [lead]
    for _ in range(rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS) - 2):
        count = rng.randint(2, 4)
        paragraphs.append(" ".join(_fill(details.pop(), values) for _ in range(min(count, len(details)))))
    paragraphs.append(_fill(rng.choice(words.CLOSINGS), values))
    if max(len(p) for p in paragraphs) < 400:
        paragraphs[1] += " " + " ".join(_fill(s, values) for s in details[:3])
    return _spell(rng, tuple(p for p in paragraphs if p))


def revise_body(rng: random.Random, story: Story, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """An editor's change: one paragraph after the lead rewritten, and a dated note appended."""
    values = _details(rng, story)
    revised = list(paragraphs)
    index = rng.randrange(1, len(revised)) if len(revised) > 1 else 0
    revised[index] = " ".join(_fill(s, values) for s in rng.sample(words.DETAILS, k=3))
    revised.append(_fill(rng.choice(words.UPDATE_NOTES), values))
    return _spell(rng, tuple(revised))


def write_author(rng: random.Random) -> str:
    return _person(rng) if rng.random() < 0.85 else "Văn phòng UBND phường"


def write_attachments(rng: random.Random, article_id: int) -> tuple[tuple[str, str], ...]:
    """(file name, link text) of the documents an article offers; most articles offer none."""
    if rng.random() >= 0.15:
        return ()
    chosen = []
    for i in range(rng.randint(1, 2)):
        stem, label = rng.choice(words.ATTACHMENTS)
        number = str(article_id * 3 + i + 10)
        kind = rng.choice(words.ATTACHMENT_TYPES)
        chosen.append((f"{stem.format(n=number)}.{kind}", f"{label.format(n=number)} ({kind.upper()})"))
    return tuple(chosen)


def _details(rng: random.Random, story: Story) -> dict[str, str]:
    """The story's values and the details a body needs: people, numbers, dates, documents."""
    published, site = story.published, story.ward.site
    values = {
        **story.values,
        "nn": str(rng.randint(1, 40)).zfill(2), "kp2": str(rng.randint(13, 20)),
        "pct": str(rng.randint(92, 100)),
        "amount": _amount(rng), "date": f"{published.day}/{published.month}/{published.year}",
        "doc_date": _earlier_date(rng, published), "deadline": _later_date(rng, published),
        "person": _person(rng), "role": rng.choice(words.ROLES),
        "person2": _person(rng), "role2": rng.choice(words.ROLES),
        "audience": rng.choice(words.AUDIENCES), "follow_up": rng.choice(words.FOLLOW_UPS),
        "phone": site.phone, "email": site.email, "website": story.ward.website,
    }
    values["document"] = _fill(rng.choice(words.DOCUMENTS), values)
    values["outcome"] = _fill(rng.choice(story.beat.outcomes), values)
    return values


def _spell(rng: random.Random, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """One tone-placement convention per article for each variant pair (hòa or hoà, ...)."""
    for new, old in words.TONE_VARIANTS:
        if rng.random() < 0.3:
            pattern = re.compile(rf"(?<!\w){new}(?!\w)")
            paragraphs = tuple(pattern.sub(old, p) for p in paragraphs)
    return paragraphs


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(words.SURNAMES)} {rng.choice(words.MIDDLE_NAMES)} {rng.choice(words.GIVEN_NAMES)}"


def _amount(rng: random.Random) -> str:
    return f"{rng.randint(2, 950) * 50_000:,}".replace(",", ".")


def _earlier_date(rng: random.Random, moment: datetime) -> str:
    day = moment - timedelta(days=rng.randint(3, 40))
    return f"{day.day}/{day.month}/{day.year}"


def _later_date(rng: random.Random, moment: datetime) -> str:
    day = moment + timedelta(days=rng.randint(5, 30))
    return f"{day.day}/{day.month}/{day.year}"
