""""More like this": the articles that share a document's most distinctive words.

The document's text is analysed as it was indexed (the index's own folded analyzer, so the
terms are the index's terms); each term is weighed by tf-idf (its count in the document times
log(N / documents holding it)) and the `QUERY_TERMS` heaviest that other documents hold too
become one OR query, scored by BM25 on whole posting lists like any search
(`indexer.search.matching`), among the documents holding at least `MIN_SHARED_TERMS` of them.
Terms in more than `MAX_DOC_SHARE` of the documents are not distinctive whatever their
weight. Distinctive terms are rare, so their posting lists are short: the lookup reads a few small
lists. Numbers and one-letter terms are left out (dates and counts relate nothing). The
document itself, the ids given as its copies, and any article with the same title (a copy
under another address) are not proposed, nor two articles of one title.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from heapq import nlargest

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.analysis import folded_form
from indexer.analysis.analyzers import term_positions_function
from indexer.document import Document
from indexer.schema import BODY_FOLDED, ID_FIELD, TITLE
from indexer.search.matching import Matches, QueryEvaluator, union
from indexer.stored import stored_to_document

QUERY_TERMS = 20          # terms of the OR query: enough to find the topic, few enough to stay fast
MAX_DOC_SHARE = 0.25      # a term in more documents than this share is common, not distinctive
MIN_SHARED_TERMS = 3      # a related article holds at least this many of them (one shared name is chance)
CANDIDATES = 4            # best matches read per article asked for (some are copies, left out)


def distinctive_terms(searcher: WhooshSearcher, doc: Document, count: int = QUERY_TERMS) -> list[str]:
    """The document's `count` folded terms of highest tf-idf that some other document holds too."""
    analyze = term_positions_function(searcher.schema[BODY_FOLDED].analyzer)
    if analyze is None:
        return []
    total = searcher.doc_count_all()
    weights = {}
    for term, positions in analyze(f"{doc.title}\n\n{doc.text}").items():
        if len(term) < 2 or not term.isalpha():
            continue
        holders = searcher.doc_frequency(BODY_FOLDED, term)
        if 2 <= holders <= total * MAX_DOC_SHARE:
            weights[term] = len(positions) * math.log(total / holders)
    return nlargest(count, weights, key=lambda term: (weights[term], term))


def similar_documents(searcher: WhooshSearcher, evaluator: QueryEvaluator, docnum: int, doc: Document,
                      limit: int, copies: Collection[str] = ()) -> list[Document]:
    """Up to `limit` other documents most like `doc` (document number `docnum`), best first."""
    terms = distinctive_terms(searcher, doc)
    if not terms or limit <= 0:
        return []
    per_term = [evaluator.matches(wq.Term(BODY_FOLDED, term)) for term in terms]
    shared = union([Matches(m.docs, np.ones(len(m))) for m in per_term])
    enough = shared.docs[shared.scores >= min(MIN_SHARED_TERMS, len(terms))]
    matches = union(per_term).within(Matches.of(enough.tolist()))
    seen_titles = {_title_key(doc.title)}
    found: list[Document] = []
    for candidate, _ in matches.top(limit * CANDIDATES + 1):
        if candidate == docnum:
            continue
        stored = searcher.stored_fields(candidate)
        title = _title_key(stored.get(TITLE, ""))
        if title in seen_titles or stored.get(ID_FIELD) in copies:
            continue
        seen_titles.add(title)
        found.append(stored_to_document(stored))
        if len(found) == limit:
            break
    return found


def _title_key(title: str) -> str:
    return " ".join(folded_form(word) for word in (title or "").split())
