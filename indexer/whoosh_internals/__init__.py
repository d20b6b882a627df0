"""Everything that relies on Whoosh's internals, written against whoosh-reloaded 2.7.5 (requirements.txt).

The rest of the project uses Whoosh's public API only (`whoosh.index`, `fields`,
`formats`, `analysis`, `query`, `scoring`, `sorting`, searchers and readers);
the speed-ups that need more live here, each tested against the stock code it
replaces. Upgrading Whoosh means re-reading these modules against the new
version's source and running the tests named below.

What each module relies on:

- `codec` (`FastW3Codec`, the postings writer): subclasses `W3Codec`,
  `W3FieldWriter` and `W3PostingsWriter` of `whoosh.codec.whoosh3` and writes
  their block format itself: `WHOOSH3_HEADER_MAGIC`, the block pickles
  `(ids deltas, weights, values)` and `(count, last id, max weight, compression,
  min/max length bytes)`, a negative length for the last block, the term info
  packed with `W3TermInfo._struct` plus `pack_long(offset)`/`pack_int(length)`;
  `length_to_byte`; and the writers' private state: `_blocklimit`, `_compression`,
  `_inlinelimit`, `_postfile`, `_blockcount`, `_terminfo`, `_ids`, `_weights`,
  `_values`, `_maxweight`, `_minlength`, `_maxlength`, `_mini_ids()`,
  `_mini_weights()`, `_mini_values()`, `_new_block()`, `_write_block()`,
  `_postwriter`, `_format`, `_tindex`, `_fieldid`, `start_field`/`finish_field`,
  and `add_postings(schema, lengths, items)` being how a segment's pool is written.
- `segment_writer` (`FastSegmentWriter`, `TermPool`, `FieldItems`): subclasses
  `SegmentWriter` and `PostingPool`, using
  `_check_state()`, `_doc_boost()`, `_check_fields()`, `_field_boost()`, `_added`,
  `_tempstorage`, `newsegment`, `perdocwriter`, `docnum`, `pool`,
  `_finalize_segment()` (also called alone, with `_lk=False`, in a forked process
  whose segment another writer's commit adds: `indexer.writing.writer`), `_commit_toc(segments)`,
  the pool's `currentsize`, `limit`, `runs`, `current`, `fieldnames`, `save()`,
  `items()`; and `FieldType.index` item tuples `(term bytes, freq, weight, value)`
  with `Positions.encode`.
- `columns`: `NumericColumn.Reader`'s fixed-width layout (`_dbfile`, `_basepos`,
  `_count`, `_fixedlen`, `_doccount`, `_typecode`, `_default`; big-endian values,
  the default after the last document written).
- `lengths`: the W3 per-document reader's length column (`_lenfield`,
  `LENGTHS_COLUMN`, `column_reader`, `byte_to_length`) and a segment reader's
  `_perdoc`.
- `posting_blocks`: `W3LeafMatcher`'s `_read_ids()`, `_read_weights()`,
  `_read_values()`, `_ids`, `_weights`, `_values`, `_next_block()`; a wrapping
  matcher's `child`; the `Positions` value encoding (a 4-byte count, then the
  pickled position deltas); a segment reader's `segment().deleted_docs()`.
- `scoring`: `whoosh.scoring.BM25F`'s formula and defaults (B 0.75, K1 1.2).
- `segment_merging` (the commit's merge policy): `whoosh.writing.MERGE_SMALL`,
  `whoosh.reading.SegmentReader(storage, schema, segment)`, the writer's `add_reader()`
  (which copies only live documents), a segment's `doc_count_all()` and `deleted_count()`.
- `compound_files` (`ViewFile`, installed on import of this package): `whoosh.filedb.compound`'s
  module name `BufferFile`, which `CompoundStorage.open_file` calls with a memoryview of the
  map; `BufferFile`'s `_buf` and `get`, `StructFile`'s use of `self.file` (`read`, `seek`,
  `tell`) and `read_pickle`.
- `errors`: what an open reader raises when files vanish under it
  (`whoosh.filedb.filestore.StorageError`, `whoosh.index.IndexError`).

The tests that guard them compare with stock Whoosh: tests/indexer/test_codec.py
(segments byte for byte and through the reader, single- and multi-process),
tests/indexer/test_writing.py (the analyzers' shortcut that `segment_writer`
feeds the pool with), tests/indexer/test_matching.py (posting lists, positions
and BM25F scores against Whoosh's searcher, across segments and deletions);
tests/indexer/test_compound_files.py (everything a reader reads, through views and through
Whoosh's copies); tests/indexer/test_segment_merging.py (documents after nightly updates against
the same documents written once); tests/indexer/test_facets.py (numeric
columns against Whoosh's column reader); tests/indexer/test_date_order.py (date
listings from the columns against Whoosh's sorted collector); tests/indexer/test_search.py
guards the vanished-file retry (searches while the index changes).
"""

from indexer.whoosh_internals.compound_files import open_compound_files_without_copying

# Every reader of the project opens its segments through this package's modules (the searcher's
# postings, the writer's codec): installed once, on import, for the whole process.
open_compound_files_without_copying()
