"""Whoosh's segment writers with a postings pool grouped by term: less memory, no big sort.

Whoosh's `PostingPool` keeps one `(field, term, docnum, weight, value)` tuple per posting
(~250 bytes each), sorts them all at commit and, above `limitmb`, pickles them one by
one to run files and merges those back in Python: on the full corpus that spilling
alone costs about a third of a build. `TermPool` groups postings by field and term
as documents arrive (documents come in docnum order, so each term's postings are
already sorted): about half the memory, only the distinct terms are sorted, and
`FastW3FieldWriter` writes each term's postings without a Python step per posting.
Above its limit it falls back to Whoosh's own runs, so any size still works.

The files written are the same; `FastSegmentWriter` only replaces how `add_document`
feeds the pool. They need a schema without term vectors and
without separate spelling fields (ours has neither).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.formats import Existence, Positions
from whoosh.writing import PostingPool, SegmentWriter

from indexer.analysis.analyzers import pair_terms_function, term_positions_function

# Rough memory of a grouped posting (3 list slots, a float, a bytes header) and of a
# new term (dict entry, key, list), for the pool's limit; the value and term bytes add.
POSTING_BYTES = 90
TERM_BYTES = 220

# `add_document` keyword giving a field's items made ahead (`FieldItems`), instead of analysing it:
# Whoosh's writers ignore keywords starting with "_".
ITEMS_PREFIX = "_items_"

# Positions.encode([p]) by p (the format has no state: the same bytes for every field).
_ONE_POSITION: dict[int, bytes] = {}


class GroupedPostings:
    """A pool's postings by field and term, each term's as a flat list [docnum, weight, value, ...]."""

    def __init__(self, terms: dict[str, dict[bytes, list]]) -> None:
        self._terms = terms

    def fields(self) -> Iterator[tuple[str, Iterator[tuple[bytes, list]]]]:
        """(field name, its (term, flat postings) in term order), in field name order."""
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            yield fieldname, ((term, terms[term]) for term in sorted(terms))

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """The postings as Whoosh's pool gives them: tuples in (field, term, docnum) order."""
        for fieldname, terms in self.fields():
            for term, flat in terms:
                for i in range(0, len(flat), 3):
                    yield fieldname, term, flat[i], flat[i + 1], flat[i + 2]


class TermPool(PostingPool):
    """A `PostingPool` that groups the postings of added documents by field and term."""

    def __init__(self, tempstore: Any, segment: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._terms: dict[str, dict[bytes, list]] = {}

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes]],
                  boost: float, scorable: bool) -> int:
        """Pool one field of one document (`FieldType.index` items); returns its length (0 if unscored)."""
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        get = terms.get
        length = new_terms = postings_count = value_bytes = 0
        for term, freq, weight, value in items:
            length += freq
            if boost != 1.0:
                weight *= boost
            postings = get(term)
            if postings is None:
                terms[term] = [docnum, weight, value]
                new_terms += 1
            else:
                postings += (docnum, weight, value)
            postings_count += 1
            if value:
                value_bytes += len(value)
        size = new_terms * TERM_BYTES + postings_count * POSTING_BYTES + value_bytes
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()
        return length if scorable else 0

    def save(self) -> None:
        """Write everything pooled as one of Whoosh's sorted runs."""
        self._ungroup()
        super().save()

    def items(self, maxfiles: int = 128) -> Iterable:
        """The grouped postings, or Whoosh's merge of runs once anything went to disk."""
        if self.runs or self.current:
            self._ungroup()
            return super().items(maxfiles)
        return GroupedPostings(self._terms)

    def _ungroup(self) -> None:
        self.current.extend(GroupedPostings(self._terms))
        self._terms = {}


class FieldItems:
    """`field.index(value)` for the fields of a schema: with our exact, folded and pairs analyzers, the
    same items made directly, without Whoosh's Token stream. A pure function of the schema and the value:
    an extraction process can make a document's items ahead and the writer pools them as they are."""

    def __init__(self, schema: Any) -> None:
        self._term_positions = {
            name: function for name, field in schema.items()
            if type(field.format) is Positions and (function := term_positions_function(field.analyzer))
        }
        self._pair_terms = {
            name: function for name, field in schema.items()
            if type(field.format) is Existence and (function := pair_terms_function(field.analyzer))
        }

    def __call__(self, fieldname: str, field: Any, value: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        """`field.index(value)`'s items. `Positions.word_values` sums the tokens' boosts (always 1.0
        from our tokenizer) and `FieldType.index` encodes terms as UTF-8; both are done here the same way."""
        term_positions = self._term_positions.get(fieldname)
        if term_positions is None or not isinstance(value, str):
            pair_terms = self._pair_terms.get(fieldname)
            if pair_terms is None or not isinstance(value, str):
                return field.index(value)
            boost = field.format.field_boost          # Existence.word_values: (term, 1, boost, b"")
            return [(term.encode("utf-8"), 1, boost, b"") for term in pair_terms(value)]
        encode, boost = field.format.encode, field.format.field_boost
        items = []
        for term, positions in term_positions(value).items():
            if len(positions) == 1:          # most terms of a text: one encoding per position, cached
                value = _ONE_POSITION.get(positions[0])
                if value is None:
                    value = _ONE_POSITION[positions[0]] = encode(positions)
            else:
                value = encode(positions)
            items.append((term.encode("utf-8"), len(positions), float(len(positions)) * boost, value))
        return items


class FastSegmentWriter(SegmentWriter):
    """Whoosh's `SegmentWriter` feeding a `TermPool`."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        unsupported = [name for name, field in self.schema.items()
                       if field.vector or field.separate_spelling()]
        if unsupported:
            self.cancel()
            raise ValueError(f"fields with vectors or spelling are not supported: {unsupported}")
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._field_items = FieldItems(self.schema)

    def late_segments(self) -> list[Any]:
        """Segments written elsewhere (by other processes) that this writer's commit adds after its own,
        asked for once its own segment is finalized."""
        return []

    def _commit_toc(self, segments: list[Any]) -> None:
        super()._commit_toc([*segments, *self.late_segments()])

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document` minus vectors and spelling, each field pooled in one call."""
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = fields.get(f"{ITEMS_PREFIX}{fieldname}")
                    if items is None:
                        items = self._field_items(fieldname, field, value)
                    length = self.pool.add_field(fieldname, docnum, items, boost, field.scorable)
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
