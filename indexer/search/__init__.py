"""Query-time search: what the web UI and the command line use of the index.

`SearchRequest.from_params` validates request parameters (a `BadRequest` carries a
message for the user); `Searcher.search` answers with a `SearchResponse` whose
`to_dict()` is the `/api/search` JSON. Inside, one module per step:

- `request`, `response`: the request's validation, the result types;
- `searcher`: the `Searcher`, which composes the steps below;
- `reader`: the live generation's reader, followed as the index changes and
  reopened when files vanish under it;
- `readings`: words typed with the input method off (Telex, VNI) read as what they spell;
- `query`: what the user typed → a small tree of Whoosh queries (exact or folded forms);
- `forms`: which field and term hold a unit in its exact or folded form;
- `tiers`: which matches are listed in which order, by relevance or by date (`date_order`);
- `collapse`: one copy per article in a result list;
- `postings`, `matching`: whole posting lists, and query trees evaluated on them;
- `proximity`: where the query's syllables stand in every match, compared before scores;
- `facets`: match counts per site, year, category and month;
- `snippets`: marked snippets and titles;
- `suggest`, `did_you_mean`: "did you mean" — the model's readings, confirmed by the documents.
"""

from indexer.search.request import BadRequest, SearchRequest
from indexer.search.response import SearchResponse, SearchResult
from indexer.search.searcher import Searcher

__all__ = ["BadRequest", "SearchRequest", "SearchResponse", "SearchResult", "Searcher"]
