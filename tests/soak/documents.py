"""The index seen through the web UI, night after night, against the sites' ground truth.

After every night: the documents (`/api/search` lists them, `/api/doc` gives each) map one to
one onto articles; every article a counting night found is searchable by a phrase of the text
its document shows; edits and removals show within the crawl's promise (`tests.soak.promises`);
nothing a night indexed disappears later, and the capture that held an old text stays and still
shows that text (`/doc/<id>/archive/raw?capture=<n>`).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bs4 import BeautifulSoup

from tests.soak.findings import Findings
from tests.soak.promises import Promises
from tests.soak.queries import Phrases
from tests.soak.webui import Api
from tests.soak.world import Owner, World
from tests.wardsite import Article, Version

WORKERS = 4
TOP = 10              # a distinctive phrase must bring its article into the first TOP results

CaptureKey = tuple[str, int]
Key = tuple[str, object]        # (site, article number) of an article's documents, (site, URL) of a file's;
                                # ("", URL) otherwise


def normal(text: str) -> str:
    return " ".join(text.split())


def capture_key(capture: dict) -> CaptureKey:
    return capture["warc_file"], capture["offset"]


def contains(text: str, paragraphs: tuple[str, ...]) -> bool:
    """Whether every paragraph is in `text` (both with their white space normalised)."""
    return all(normal(p) in text for p in paragraphs)


def content_time(doc: dict) -> str:
    return max((c["fetched_at"] for c in doc["captures"] if c["kind"] == "response" and c["status"] == 200),
               default="")


def shows(doc: dict, version: Version) -> bool:
    """Whether the document holds this version's title and every paragraph of it."""
    text = normal(doc["text"])
    return normal(doc["title"]) == normal(version.title) and contains(text, version.paragraphs)


def shown_version(doc: dict, article: Article) -> int | None:
    """The newest version of the article the document shows (None: none of them)."""
    newest_first = range(len(article.versions) - 1, -1, -1)
    return next((i for i in newest_first if shows(doc, article.versions[i])), None)


@dataclass
class Tally:
    documents: int = 0
    captures: int = 0


class DocumentChecks:
    def __init__(self, world: World, promises: Promises, api: Api, findings: Findings) -> None:
        self.world = world
        self.promises = promises
        self.api = api
        self.findings = findings
        self.captures: dict[Key, set[CaptureKey]] = {}          # page -> its captures seen so far
        self.versions: dict[Key, dict[int, CaptureKey]] = {}    # article -> version shown -> its capture
        self.indexed: dict[str, list[str]] = {}                 # id -> its article's (title, phrase)
        self.checked: Counter[str] = Counter()                  # what was verified, for the report
        self.ids: set[str] = set()                              # every document id seen
        self.merged: set[str] = set()                           # ids gone since: merged into another
        self.phrases = Phrases()

    def check(self, day: int) -> Tally:
        """Check the index after night `day`; problems go to `findings`."""
        ids = [result["id"] for result in self.api.all_documents()]
        with ThreadPoolExecutor(WORKERS) as pool:
            docs = [doc for doc in pool.map(self.api.document, ids) if doc is not None]
            # a listing shows one copy per article: an old URL not merged yet hides behind its new one
            copies = sorted({copy["id"] for doc in docs for copy in doc["copies"]} - set(ids))
            docs += [doc for doc in pool.map(self.api.document, copies) if doc is not None]
        current = {doc["id"] for doc in docs}
        self.merged |= self.ids - current           # their captures stay with their page (_nothing_lost)
        self.ids |= current
        pages = self._one_per_article(day, docs)
        self._nothing_lost(day, pages)
        self.phrases.update([p for v in a.versions for p in (v.title, *v.paragraphs)]
                            for _, a in self.world.articles())
        searches = []
        for site, article in self.world.articles():
            found = pages.get((site, article.id), [])
            if not found:
                if self.promises.seen(site, article):
                    self.findings.add("searchable", f"night {day}: {site} article {article.id} "
                                                    f"({article.title!r}) is not indexed")
                continue
            doc = max(found, key=content_time)          # a copy not merged yet is older
            version = self._edits(day, (site, article.id), article, doc, found)
            self._deletions(day, site, article, doc)
            if version is not None:
                phrase = self.phrases.of(article.versions[version].text)
                if phrase:
                    searches.append((site, article, doc["id"], {d["id"] for d in found}, phrase))
                    self.indexed[doc["id"]] = [article.title, phrase]
                else:
                    self.checked["articles without a distinctive phrase"] += 1
        self.checked["phrases searched"] += len(searches)
        with ThreadPoolExecutor(WORKERS) as pool:
            for problem in pool.map(lambda s: self._searchable(day, *s), searches):
                if problem:
                    self.findings.add("searchable", problem)
        return Tally(len(docs), sum(len(d["captures"]) for d in docs))

    # --- the checks ------------------------------------------------------------------------------

    def _one_per_article(self, day: int, docs: list[dict]) -> dict[Key, list[dict]]:
        """The documents by page: an article's (site, number), else the document's own URL. A site that
        moved may keep a second document per article until the crawl revisits the old URLs."""
        owners, files = self.world.owners(), self.world.files()
        pages: dict[Key, list[dict]] = {}
        for doc in docs:
            if doc["kind"] == "attachment":
                self._attachment(day, doc, files.get(doc["url"]), pages)
                continue
            owner = owners.get(doc["url"])
            if owner is None:
                self.findings.add("one document per article", f"night {day}: {doc['url']} is no article "
                                                               f"({doc['title']!r})")
                pages.setdefault(("", doc["url"]), []).append(doc)
                continue
            if owner.site != doc["site"]:
                self.findings.add("one document per article", f"night {day}: {doc['url']} filed under site "
                                                               f"{doc['site']}, not {owner.site}")
            pages.setdefault((owner.site, owner.article.id), []).append(doc)
        for (site, number), found in pages.items():
            moved = self.world.moved_on(site) if site else None
            if len(found) > 1 and (moved is None or self.promises.change_due(site, moved)):
                self.findings.add("one document per article", f"night {day}: {site} article {number} has "
                                                               f"{len(found)} documents: "
                                                               f"{sorted(d['url'] for d in found)}")
        return pages

    def _attachment(self, day: int, doc: dict, owner: Owner | None, pages: dict[Key, list[dict]]) -> None:
        """An attachment's document is a file one of the site's articles links to."""
        if owner is None or owner.site != doc["site"]:
            self.findings.add("one document per article", f"night {day}: attachment {doc['url']} is no file "
                                                           f"of an article of {doc['site']}")
            pages.setdefault(("", doc["url"]), []).append(doc)
            return
        self.checked["attachments"] += 1
        pages.setdefault((owner.site, doc["url"]), []).append(doc)

    def _nothing_lost(self, day: int, pages: dict[Key, list[dict]]) -> None:
        """No page loses a capture from one night to the next, whichever of its documents holds it."""
        self.checked["documents"] += sum(len(found) for found in pages.values())
        for key, before in self.captures.items():
            now = {capture_key(c) for doc in pages.get(key, []) for c in doc["captures"]}
            if not now:
                self.findings.add("nothing lost", f"night {day}: page {key} has no document any more")
            elif before - now:
                self.findings.add("nothing lost", f"night {day}: page {key} lost captures "
                                                  f"{sorted(before - now)}")
        for key, found in pages.items():
            for doc in found:
                keys = [capture_key(c) for c in doc["captures"]]
                times = [c["fetched_at"] for c in doc["captures"]]
                if len(set(keys)) != len(keys) or times != sorted(times):
                    self.findings.add("nothing lost", f"night {day}: {doc['url']} has repeated or unordered "
                                                      "captures")
            self.captures[key] = {capture_key(c) for doc in found for c in doc["captures"]}

    def _edits(self, day: int, key: Key, article: Article, doc: dict, found: list[dict]) -> int | None:
        """The version `doc` (the newest of `found`) shows, checked against the promise and earlier nights."""
        version = shown_version(doc, article)
        if version is None:
            self.findings.add("edits", f"night {day}: {doc['url']} shows no version of article {article.id}")
            return None
        seen = self.versions.setdefault(key, {})
        if seen and version < max(seen):
            self.findings.add("edits", f"night {day}: {doc['url']} went back from version {max(seen)} "
                                       f"to {version}")
        current = len(article.versions) - 1
        edited_on = article.versions[-1].day
        due = article.exists_on(day) and self.promises.change_due(str(key[0]), edited_on)
        self.checked["edits shown"] += due and version == current > 0
        if version < current and due:
            self.findings.add("edits", f"night {day}: {doc['url']} shows version {version}, not the edit of "
                                       f"day {edited_on} (version {current})")
        if version not in seen:
            seen[version] = self._content_capture(doc)
        for old, capture in seen.items():
            if old != version:
                self._old_capture(day, found, article.versions[old], capture)
        return version

    def _content_capture(self, doc: dict) -> CaptureKey:
        full = [c for c in doc["captures"] if c["kind"] == "response" and c["status"] == 200]
        return capture_key(full[-1]) if full else ("", -1)

    def _old_capture(self, day: int, found: list[dict], version: Version, capture: CaptureKey) -> None:
        """The capture an old version was indexed from is still listed, and still shows that version."""
        for doc in found:
            keys = [capture_key(c) for c in doc["captures"]]
            if capture in keys:
                raw = self.api.get(f"/doc/{doc['id']}/archive/raw", capture=keys.index(capture))
                self.checked["old captures shown"] += 1
                text = normal(BeautifulSoup(raw, "lxml").get_text(" "))
                if not contains(text, version.paragraphs) or normal(version.title) not in text:
                    self.findings.add("edits", f"night {day}: {doc['url']}: capture {keys.index(capture)} "
                                               "does not show the old text it was indexed with")
                return
        self.findings.add("edits", f"night {day}: {found[0]['url']}: the capture of an old text is gone "
                                   f"({capture})")

    def _deletions(self, day: int, site: str, article: Article, doc: dict) -> None:
        if doc["gone"] and (article.deleted_on is None or article.deleted_on > day):
            self.findings.add("deletions", f"night {day}: {doc['url']} is marked gone but is online")
        if article.deleted_on is None or not self.promises.change_due(site, article.deleted_on):
            return
        self.checked["removals shown gone"] += 1
        if not doc["gone"]:
            self.findings.add("deletions", f"night {day}: {doc['url']} was removed on day "
                                           f"{article.deleted_on} and is not marked gone")

    def _searchable(self, day: int, site: str, article: Article, doc_id: str, page: set[str],
                    phrase: str) -> str | None:
        """The phrase finds the article: its document, or another copy of it (a search shows the best
        scoring one; until an old URL is merged into the new one, both are documents of the article)."""
        answer = self.api.search(phrase, per_page=TOP)
        if page & {r["id"] for r in answer["results"]}:
            return None
        return (f"night {day}: {site} article {article.id}: {phrase} does not find its document {doc_id} "
                f"({answer['total']} results)")
