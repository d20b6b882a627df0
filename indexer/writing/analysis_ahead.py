"""A page's analysed fields made in the extraction process, so that the writing process only pools them.

Analysing the title and text fields (exact, folded, syllable pairs, MinHash band keys) was
about half of what a rebuild's writing process did, and that one process bounds a rebuild's
wall clock. An extraction process knows the page's title and text, so it makes those fields'
items (`FieldItems`, exactly what the writer would make) and sends them with the content.
They are keyed by field and value: the writer uses items only for the very value it writes,
so a page whose fields differ from the guess (a later capture's) is analysed in the writing
process as before, and the index is the same either way.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from whoosh.fields import Schema

from indexer.analysis.near_duplicates import shingles
from indexer.document import Document
from indexer.extract import Extracted
from indexer.extract.attachments import AttachmentText
from indexer.schema import BAND_KEYS, BODY, BODY_FOLDED, PAIRS, TITLE, TITLE_FOLDED, build_schema
from indexer.stored import document_to_fields
from indexer.whoosh_internals.segment_writer import FieldItems

# Each exact field just before its folded one: the second is made in the first's walk over the tokens.
ANALYSED = (TITLE, TITLE_FOLDED, BODY, BODY_FOLDED, PAIRS, BAND_KEYS)
SHINGLES = "shingles"     # not a field: the text's shingles, which the band keys come from, for the clusters

Items = list[tuple[bytes, int, float, bytes]]
Analysed = dict[tuple[str, str], Items | np.ndarray]   # (field name, value) -> the field's items;
                                                       # (SHINGLES, text) -> the text's shingles


def analyse_ahead(url: str, content: Extracted | AttachmentText | None, fields: bool = True) -> Analysed:
    """The items of the text fields of the page `content` will be written as, and its text's shingles
    (`SHINGLES`: the writer's clusters need them): all of an article's fields; only the band keys of an
    attachment, whose title and searchable text also hold the texts of the links to
    it, known only to the writer (analysed twice, they cost a rebuild more than they saved).

    `fields` False: only the band keys and shingles, which the writer's clusters need before the
    pages are written, for pages that forked writing processes will analyse in parallel anyway (the
    items are most of what an extraction process sends, and sending them costs a third of making them)."""
    if content is None:
        return {}
    schema, items = _analysis()
    if isinstance(content, AttachmentText) or not fields:
        analysed = {(BAND_KEYS, content.text): list(items(BAND_KEYS, schema[BAND_KEYS], content.text))}
    else:
        values = document_to_fields(Document(url=url, site="", title=content.title, text=content.text))
        analysed = {(name, values[name]): list(items(name, schema[name], values[name])) for name in ANALYSED}
    return {**analysed, (SHINGLES, content.text): shingles(content.text)}    # shingles: made for the keys


@cache
def _analysis() -> tuple[Schema, FieldItems]:
    schema = build_schema()
    return schema, FieldItems(schema)
