"""Queries made from the ground truth: a phrase that finds one article, and the day's mixed load.

Staff type titles without diacritics, paste phrases of a text, list a month's news and open
documents; the load is a mix of those (`KINDS`), over articles the index is known to hold.
A phrase for an article is a run of plain words that no other article of any site contains,
so searching it must bring that article up (and only it, but for copies).
"""

from __future__ import annotations

import random
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Sequence

from tests.soak.load import Path

KINDS = ("title", "phrase", "listing", "doc", "page")
LONGEST_PHRASE, SHORTEST_PHRASE = 8, 4      # words
_CLAUSE = re.compile(r"[,.;:!?()\"“”\n]+")
_WORD = re.compile(r"^[^\W_]+$")             # letters or digits: no date, no code


def fold(text: str) -> str:
    """The text as typed without diacritics (đ as d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


class Phrases:
    """Distinctive phrases, among articles given as their every paragraph (and title), of every version.

    The corpus grows as the sites publish (`update`); a phrase found earlier is kept while it
    stays distinctive."""

    def __init__(self) -> None:
        self._corpus = ""
        self._found: dict[str, str | None] = {}

    def update(self, articles: Iterable[Iterable[str]]) -> None:
        self._corpus = "\n\n".join("\n".join(sorted({" ".join(p.lower().split()) for p in paragraphs}))
                                   for paragraphs in articles)

    def of(self, text: str) -> str | None:
        """A quoted phrase of `text` found in no other article (None when it has none)."""
        found = self._found.get(text)
        if found is None or self._corpus.count(found.strip('"').lower()) != 1:
            found = self._found[text] = self._find(text)
        return found

    def _find(self, text: str) -> str | None:
        clauses = [clause.split() for clause in _CLAUSE.split(text)]
        for length in range(LONGEST_PHRASE, SHORTEST_PHRASE - 1, -1):
            for words in clauses:
                for start in range(0, len(words) - length + 1):
                    run = words[start:start + length]
                    candidate = " ".join(run)
                    if all(_WORD.match(w) for w in run) and self._corpus.count(candidate.lower()) == 1:
                        return f'"{candidate}"'
        return None


def load_paths(titles: Sequence[str], phrases: Sequence[str], doc_ids: Sequence[str], months: Sequence[str],
               sites: Sequence[str], seed: object, size: int = 40) -> list[Path]:
    """The day's mixed load: titles without diacritics, phrases, date listings, documents, pages."""
    rng = random.Random(str(seed))

    def pick(items: Sequence[str]) -> list[str]:
        return rng.sample(list(items), min(size, len(items)))

    def api(**params: str) -> str:
        return "/api/search?" + urllib.parse.urlencode(params)

    paths: list[Path] = [("title", api(q=fold(t))) for t in pick(titles)]
    paths += [("phrase", api(q=p)) for p in pick(phrases)]
    paths += [("listing", api(q="", sort="newest", **{"from": f"{m}-01", "to": f"{m}-28"})) for m in months]
    paths += [("listing", api(q="", site=s, sort="newest", per_page="20")) for s in sites]
    for doc_id in pick(doc_ids):
        paths += [("doc", f"/api/doc/{doc_id}"), ("page", f"/doc/{doc_id}")]
    paths += [("page", "/search?" + urllib.parse.urlencode({"q": fold(t)})) for t in pick(titles)[:10]]
    return paths
