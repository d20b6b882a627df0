"""How much of one attachment is read: pages, characters, seconds, memory.

Attachments are hostile input: a PDF can declare a million pages, inflate a stream to
gigabytes or loop in a parser's slow path. Pages and characters are counted by the
parsers; time and memory are enforced by the sandbox process around them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    pages: int = 300                  # pages read of a PDF
    chars: int = 300_000              # characters of text kept (about 100 pages of prose)
    seconds: float = 30.0             # wall time per file, then the parser process is killed
    memory_bytes: int = 1 << 30       # address space of the parser process
    unpacked_bytes: int = 50_000_000  # declared uncompressed size of a zip-based document's parts

    def to_dict(self) -> dict:
        return asdict(self)


class TextBudget:
    """Collects text pieces until the character limit; `add` says whether more is wanted."""

    def __init__(self, chars: int) -> None:
        self._left = chars
        self._pieces: list[str] = []

    def add(self, piece: str) -> bool:
        if self._left > 0 and piece:
            self._pieces.append(piece[: self._left])
            self._left -= len(piece)
        return self._left > 0

    def text(self) -> str:
        return "\n".join(self._pieces)
