"""From archived HTML to searchable documents, and searching them.

- `document`: the Document model, the one contract between extraction and indexing;
- `extract/`: archived HTML → article fields; `analysis/`: Vietnamese text → terms;
- `schema`, `stored`, `generations`: the index's fields, Documents ⇄ stored fields,
  and the generations on disk — what writing and search share;
- `writing/`: archive → index generations; `search/`: the query API (`indexer.search`);
- `whoosh_internals/`: every use of Whoosh's internals, and nothing else uses them.

Nothing outside this package touches Whoosh.
"""
