"""From archived HTML to searchable documents, and searching them.

- `document`: the Document model, the one contract between extraction and indexing;
- `extract/`: archived HTML → article fields; `analysis/`: Vietnamese text → terms;
- `schema`, `stored`, `generations`, `index_format`: the index's fields, Documents ⇄
  stored fields, the generations on disk and what each was built with — what writing
  and search share;
- `writing/`: archive → index generations; `search/`: the query API (`indexer.search`);
- `whoosh_internals/`: every use of Whoosh's internals, and nothing else uses them;
- `index_check`: the index against the archive, for `python -m crawler verify`.

Nothing outside this package touches Whoosh.
"""
