"""Index generations on disk: which one is live, and how a new one replaces it.

Layout: `<index_dir>/CURRENT` names the live generation, a directory
`gen-<UTC timestamp>-<pid>` holding a Whoosh index (and the writer's checkpoint).
The writer creates generations and switches `CURRENT`; the searcher only follows
it. The switch is one atomic rename, so a reader sees the old generation or the
new one, never a half-built one.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.index_format import write_format
from indexer.schema import build_schema

CURRENT = "CURRENT"
GENERATION_NAME = re.compile(r"^gen-[0-9]{8}T[0-9]{6}-[0-9]+$")


def live_generation(index_dir: Path) -> Path | None:
    """The directory of the live generation, or None when no index was ever committed."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    path = Path(index_dir) / name
    if not GENERATION_NAME.match(name) or not whoosh_index.exists_in(str(path)):
        return None
    return path


def create_generation(index_dir: Path) -> Path:
    """A new generation directory holding an empty index (not live yet)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    generation = index_dir / f"gen-{stamp}-{os.getpid()}"
    suffix = 0
    while generation.exists():
        suffix += 1
        generation = index_dir / f"gen-{stamp}-{os.getpid()}{suffix}"
    generation.mkdir(parents=True)
    whoosh_index.create_in(str(generation), build_schema())
    write_format(generation)
    return generation


def switch_current(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at `generation` atomically, then remove the generations it replaced."""
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / CURRENT)
    remove_generations(index_dir, keep=generation)


def remove_generations(index_dir: Path, keep: Path | None) -> None:
    """Remove every generation but `keep` (leftovers of killed rebuilds, replaced generations)."""
    if not index_dir.is_dir():
        return
    for path in index_dir.iterdir():
        if path.is_dir() and GENERATION_NAME.match(path.name) and (keep is None or path.name != keep.name):
            shutil.rmtree(path, ignore_errors=True)
