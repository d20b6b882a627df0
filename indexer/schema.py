"""The Whoosh schema: which fields the index holds and how each is analysed.

Every text is indexed twice: in exact forms (`title`, `body`: one spelling per word,
diacritics kept) and in folded forms (`title_folded`, `body_folded`: no diacritics),
both with positions so that phrases work on either. The body fields hold the title
too (`title`, blank line, text): matching then needs one field per word, which is
what keeps queries fast; the title fields give title matches their extra weight
when the best candidates are re-ranked. The clean text is stored in `text`.
`pairs` holds adjacent syllable pairs of the title and the start of the text for the
"did you mean" suggestions, which only read how many documents hold a pair: so it
keeps neither positions nor frequencies nor field lengths (Whoosh's `Existence`
format, not scorable), the cheapest postings Whoosh writes. `band_keys` holds the
text's MinHash band keys the same way (`indexer.analysis.near_duplicates`): pages sharing one
are candidate copies, and copies share the id in `cluster`.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from indexer.analysis import band_keys_analyzer, exact_analyzer, folded_analyzer, pairs_analyzer

# Field names: every module names a field through these.
ID_FIELD, URL, SITE = "id", "url", "site"
DATE, UNDATED = "date", "undated"
TITLE, BODY = "title", "body"
TITLE_FOLDED, BODY_FOLDED = "title_folded", "body_folded"
PAIRS = "pairs"
AUTHOR, CATEGORY, GONE = "author", "category", "gone"
STORED_TEXT = "text"
CAPTURES = "captures"
# Attachments: the kind of document, an article's linked files (ids, indexed: which articles link a
# file) and, stored as JSON, an article's links, an attachment's file and the articles linking it.
KIND, LINKS = "kind", "links"
ATTACHMENTS, FILE, LINKED_FROM = "attachments", "file", "linked_from"
# The date's source; near-duplicates: copies share `cluster` (indexer.writing.clusters).
DATE_SOURCE = "date_source"
CLUSTER, BAND_KEYS = "cluster", "band_keys"


def build_schema() -> Schema:
    """A new schema instance (analyzers are part of it and pickled into the index)."""
    exact, folded = exact_analyzer(), folded_analyzer()
    return Schema(**{
        ID_FIELD: ID(unique=True, stored=True),
        URL: ID(stored=True),
        SITE: ID(stored=True, sortable=True),
        DATE: DATETIME(stored=True, sortable=True),
        UNDATED: NUMERIC(int, bits=8, sortable=True),      # 1 without date: sorts them last
        TITLE: TEXT(analyzer=exact, stored=True, phrase=True),
        BODY: TEXT(analyzer=exact, phrase=True),
        TITLE_FOLDED: TEXT(analyzer=folded, phrase=True),
        BODY_FOLDED: TEXT(analyzer=folded, phrase=True),
        PAIRS: FieldType(Existence(), pairs_analyzer(), scorable=False),   # document frequencies only
        AUTHOR: STORED,
        CATEGORY: ID(stored=True, sortable=True),          # filters and facets: the whole label is one term
        GONE: BOOLEAN(stored=True),
        STORED_TEXT: STORED,                               # the clean text, for snippets and pages
        CAPTURES: STORED,                                  # JSON list of Capture dicts, oldest first
        KIND: ID(stored=True),                             # "article" or "attachment"
        LINKS: KEYWORD,                                    # ids of the attachments an article links
        ATTACHMENTS: STORED,                               # JSON list of AttachmentLink dicts
        FILE: STORED,                                      # JSON FileInfo dict (attachments)
        LINKED_FROM: STORED,                               # JSON list of LinkedFrom dicts (attachments)
        DATE_SOURCE: STORED,
        CLUSTER: ID(stored=True, sortable=True),           # a column too: search keeps one copy per cluster
        BAND_KEYS: FieldType(Existence(), band_keys_analyzer(), scorable=False),   # the text's MinHash bands
    })
