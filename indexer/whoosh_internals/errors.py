"""What Whoosh raises when the files under an open reader vanish.

A commit merges segments and deletes the old files; a rebuild removes the whole
old generation. A reader still holding them fails on its next read with an
`OSError` (a file is gone), a `StorageError` (a compound segment file was closed)
or Whoosh's `IndexError` (`EmptyIndexError`: no table of contents left): the
searcher reopens and retries on any of these.
"""

from __future__ import annotations

from whoosh.filedb.filestore import StorageError
from whoosh.index import IndexError as WhooshIndexError

VANISHED_FILE_ERRORS: tuple[type[Exception], ...] = (OSError, StorageError, WhooshIndexError)
