"""Index writing: from the archive to index generations.

- `pipeline`: `update_index` and `rebuild_index`, which read WARC records,
  extract them and merge each page's captures into its Document;
- `writer`: `DocumentWriter`, the one writer of a generation (upserts by id,
  commits, the pipeline's checkpoint), opened by `open_writer` or `new_generation`.

Documents become fields in `indexer.stored`; generations live as
`indexer.generations` lays them out; the fast segment writers are in
`indexer.whoosh_internals`. Nothing here is imported by `indexer.search`.
"""
