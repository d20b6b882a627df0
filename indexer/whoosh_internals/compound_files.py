"""Opening a segment's files without copying them: what a reader opened after each commit costs.

A segment's files live in one compound file, which Whoosh maps into memory; each file opened
from it is a `BufferFile` over a view of the map, whose constructor also makes an `io.BytesIO`
of the view for its sequential reads (`seek`, `read`, pickles). `BytesIO` copies a memoryview:
opening a 35,000-article index copied its terms and postings files (0.3 s, and some 250 MB per
process, every time a reader opened after a commit). `ViewFile` gives the same file methods
over the view itself, reading only what is asked; positional reads (`get`, `get_*`) were
slices of the view already.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

PICKLE_WINDOW = 512        # bytes first tried for a pickle; a larger one is read when it does not fit


class _ViewStream(io.RawIOBase):
    """A read-only, seekable binary stream over a buffer, copying only what each read returns."""

    def __init__(self, buf: Any) -> None:
        super().__init__()
        self._view = memoryview(buf)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """The next `size` bytes (all that remain when negative); one slice, no intermediate buffer."""
        end = len(self._view) if size is None or size < 0 else self._position + size
        data = self._view[self._position: end].tobytes()
        self._position += len(data)
        return data

    def readinto(self, target: Any) -> int:
        chunk = self._view[self._position: self._position + len(target)]
        target[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._position
        elif whence == io.SEEK_END:
            offset += len(self._view)
        self._position = max(0, offset)
        return self._position

    def tell(self) -> int:
        return self._position


class ViewFile(BufferFile):
    """Whoosh's `BufferFile` over a view of the compound file's map, without its `BytesIO` copy."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        super().__init__(b"", name=name, onclose=onclose)    # BufferFile's state, its BytesIO of nothing
        self._buf = buf
        self.file = _ViewStream(buf)

    def read_pickle(self) -> Any:
        """The pickle at the current position (a posting block's header: a few dozen bytes).

        Unpickled from a small copy, grown until the pickle fits: `pickle.load` on a Python stream
        would call `read` once per opcode."""
        start, size = self.file.tell(), PICKLE_WINDOW
        while True:
            window = io.BytesIO(self._buf[start: start + size])
            try:
                value = pickle.load(window)
            except (EOFError, pickle.UnpicklingError):
                if start + size >= len(self._buf):
                    raise
                size *= 4
                continue
            self.file.seek(start + window.tell())
            return value


def open_compound_files_without_copying() -> None:
    """Make every compound file opened from now on in this process hand out `ViewFile`s."""
    compound.BufferFile = ViewFile
