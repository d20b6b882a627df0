"""The benchmark corpus: baomoi JSON lines turned into the Documents the indexer takes.

The corpus is read at run time from ../shared/corpus and never copied into the
repository. Each article gets a URL made from its id (so `Document.id` is
stable), the site "baomoi", and a synthetic 2017 publication date derived from
the id, so that date filters and date sorting have data to work on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

if not __package__:                      # run as `python benchmarks/corpus.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.document import Document  # noqa: E402
from tinphuong.urls import canonicalize  # noqa: E402

DEFAULT_CORPUS = Path("../shared/corpus/baomoi-35k.jsonl.gz")
SITE = "baomoi"
YEAR_START = date(2017, 1, 1)
DAYS_IN_YEAR = 365


class CorpusMissing(Exception):
    """The corpus file is absent (e.g. on a machine without ../shared): benchmarks skip."""


@dataclass(frozen=True)
class Article:
    """One corpus record, as read."""

    id: str
    title: str
    sapo: str
    body: str

    @property
    def text(self) -> str:
        """The body text as indexed: the lead paragraph (sapo) then the body."""
        return "\n\n".join(part for part in (self.sapo.strip(), self.body.strip()) if part)

    def to_document(self) -> Document:
        url = canonicalize(f"https://baomoi.com/tin/{self.id}.epi")
        assert url is not None
        return Document(url=url, site=SITE, title=self.title.strip(), text=self.text,
                        date=synthetic_date(self.id))


def synthetic_date(article_id: str) -> date:
    """A date in 2017 spread evenly by a hash of the id: deterministic across runs and machines."""
    return YEAR_START + timedelta(days=zlib.crc32(article_id.encode("utf-8")) % DAYS_IN_YEAR)


def iter_articles(path: Path) -> Iterator[Article]:
    """Every well-formed record in file order; malformed lines are skipped, not fatal."""
    if not path.is_file():
        raise CorpusMissing(f"corpus not found at {path} (pass --corpus PATH); skipping")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            try:
                raw = json.loads(line)
                yield Article(str(raw["id"]), raw.get("title") or "", raw.get("sapo") or "",
                              raw.get("body") or "")
            except (ValueError, KeyError, TypeError):
                continue


def load_articles(path: Path = DEFAULT_CORPUS, limit: int | None = None, seed: int = 0) -> list[Article]:
    """All articles (first occurrence of each id), or a seeded sample of `limit` of them in file order."""
    seen: set[str] = set()
    articles = []
    for article in iter_articles(path):
        if article.id not in seen:
            seen.add(article.id)
            articles.append(article)
    if limit is not None and limit < len(articles):
        keep = sorted(random.Random(seed).sample(range(len(articles)), limit))
        articles = [articles[i] for i in keep]
    return articles


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark shares for choosing its documents."""
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"corpus file (default: {DEFAULT_CORPUS}, relative to the project root)")
    parser.add_argument("--docs", type=int, default=None, metavar="N",
                        help="index a seeded sample of N articles (default: the whole corpus)")
    parser.add_argument("--seed", type=int, default=0, help="seed for every sample (default: 0)")


def load_or_exit(args: argparse.Namespace) -> list[Article]:
    """Load the chosen articles, or exit 0 with a clear message when the corpus is absent."""
    try:
        return load_articles(args.corpus, args.docs, args.seed)
    except CorpusMissing as missing:
        print(missing, file=sys.stderr)
        sys.exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description="Summarise the benchmark corpus (no text is printed).")
    add_corpus_options(parser)
    parser.add_argument("--limit", dest="docs", type=int, help="same as --docs")
    args = parser.parse_args()
    articles = load_or_exit(args)
    documents = [a.to_document() for a in articles]
    chars = sum(len(d.title) + len(d.text) for d in documents)
    dates = sorted(d.date for d in documents if d.date)
    print(f"articles        {len(documents)}")
    print(f"distinct doc ids {len({d.id for d in documents})}")
    print(f"characters      {chars} ({chars / max(1, len(documents)):.0f} per article)")
    if dates:
        print(f"dates           {dates[0]} .. {dates[-1]}")


if __name__ == "__main__":
    main()
