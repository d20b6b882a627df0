"""Which parts of an HTML page load other resources: the attributes, their syntax, the page's base URL.

The crawler reads these to archive what a page needs to look as it did (its
requisites); the archived view rewrites the same attributes to the archive.
Keeping the table here, once, means that what was archived is what replay asks for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tinphuong.urls import canonicalize

# Attributes whose value is one URL of an embedded resource (images, mostly), on any element.
# `data-src` and friends are where lazy-loading scripts keep the real image; a page shown without
# scripts only ever shows them if the archive has them.
URL_ATTRIBUTES = ("src", "poster", "background", "data-src", "data-lazy-src", "data-original")
# Attributes holding a `srcset` candidate list.
SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset")
LAZY_SOURCES = {"src": ("data-src", "data-lazy-src", "data-original"),
                "srcset": ("data-srcset", "data-lazy-srcset")}
_SPACE = " \t\n\r\f"


@dataclass(frozen=True)
class Candidate:
    """One image candidate of a srcset: its URL (as written) and its descriptor (`2x`, `640w`, or '')."""

    url: str
    descriptor: str = ""


def srcset_candidates(value: str) -> list[Candidate]:
    """The candidates of a `srcset` value, split as the HTML standard's parser splits them.

    A URL runs to the next white space (it may hold commas); trailing commas end it; a
    descriptor runs to the next comma outside parentheses.
    """
    candidates = []
    position, length = 0, len(value)
    while position < length:
        while position < length and (value[position] in _SPACE or value[position] == ","):
            position += 1
        start = position
        while position < length and value[position] not in _SPACE:
            position += 1
        url = value[start:position]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = position, 0
            while position < length and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[position], 0)
                depth = max(depth, 0)
                position += 1
            descriptor = " ".join(value[start:position].split())
            position += 1
        if url:
            candidates.append(Candidate(url, descriptor))
    return candidates


def join_srcset(candidates: list[Candidate]) -> str:
    """A srcset value from candidates (URLs must hold no white space, e.g. after rewriting)."""
    return ", ".join(f"{c.url} {c.descriptor}".strip() for c in candidates)


def base_url(root, page_url: str) -> str:
    """The URL relative links of the page resolve against: its first `<base href>`, else its own URL."""
    for href in root.xpath("//base[@href]/@href")[:1]:
        return canonicalize(href, base=page_url) or page_url
    return page_url


def rel_tokens(element) -> set[str]:
    """The lowercase tokens of an element's `rel` attribute."""
    return set((element.get("rel") or "").lower().split())


def is_stylesheet_link(element) -> bool:
    """`<link rel="stylesheet" href>`, including `alternate stylesheet` (the browser loads it too)."""
    return element.tag == "link" and "stylesheet" in rel_tokens(element) and bool(element.get("href"))


def embedded_values(element) -> Iterator[tuple[str, str]]:
    """(attribute, URL as written) for every embedded-resource URL an element's attributes hold."""
    for name in URL_ATTRIBUTES:
        value = element.get(name)
        if value and value.strip():
            yield name, value.strip()
    for name in SRCSET_ATTRIBUTES:
        value = element.get(name)
        if value:
            for candidate in srcset_candidates(value):
                yield name, candidate.url
