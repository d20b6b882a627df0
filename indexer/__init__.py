"""From archived HTML to searchable documents: extraction, Vietnamese analysis, the Whoosh index.

Nothing outside this package touches Whoosh: `indexer.search` is the narrow query API.
"""
