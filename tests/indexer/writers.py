"""Index writers that hand every upsert to Whoosh at once, for tests of a few pages; the forked processes
a writer starts, recorded.

`DocumentWriter` buffers upserts and hands them to Whoosh in batches of thousands: a large update
or rebuild has pages in Whoosh's writer, not committed yet, while its window goes on. A batch of
one does that to every page of a small test.
"""

from __future__ import annotations

import pytest

from indexer.writing import pipeline
from indexer.writing.forked import Forked


def write_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline's writers (updates and rebuilds) write every upsert to Whoosh at once."""
    for name in ("open_writer", "new_generation"):
        monkeypatch.setattr(pipeline, name, _unbuffered(getattr(pipeline, name)))


def _unbuffered(factory):
    def make(index_dir, **options):
        writer = factory(index_dir, **options)
        writer._batch_size = 1
        return writer
    return make


def recorded_forks(monkeypatch: pytest.MonkeyPatch) -> list[Forked]:
    """The processes `Forked.start` starts from now on, in order (they run as usual)."""
    started: list[Forked] = []
    start = Forked.start.__func__
    monkeypatch.setattr(Forked, "start", classmethod(lambda cls, *args: started.append(start(cls, *args)) or
                                                     started[-1]))
    return started
