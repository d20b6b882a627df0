"""What `python -m crawler verify` reports: each finding says what, where, and what a repair would do.

The archive, crawl-state and index checks live in different stages (the index
check in the indexer, which the crawler may not import) and speak this one type.
A finding is damage (the command exits 1) or a note: something expected that the
next run mends by itself, such as the unfinished file a killed crawl leaves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXAMPLES = 5          # details listed per finding; the rest are counted


@dataclass(frozen=True)
class Finding:
    damaged: bool
    where: str                        # a file and offset, "state.sqlite", "index"
    what: str
    repair: str
    details: tuple[str, ...] = ()     # the first few URLs or records concerned
    more: int = 0                     # details left out

    def lines(self) -> list[str]:
        """The finding as the report prints it: a heading, its details, the repair, indented."""
        heading = f"{'DAMAGED' if self.damaged else 'note'}: {self.where}: {self.what}"
        lines = [heading, *(f"    {detail}" for detail in self.details)]
        if self.more:
            lines.append(f"    ... and {self.more} more")
        if self.repair:
            lines.append(f"    repair: {self.repair}")
        return lines


def with_examples(damaged: bool, where: str, what: str, repair: str, details: Iterable[str]) -> Finding:
    """A finding that lists the first few of `details` and counts the rest."""
    listed = list(details)
    return Finding(damaged, where, what, repair, tuple(listed[:EXAMPLES]), max(0, len(listed) - EXAMPLES))


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 capture`, `3 captures`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def agree(count: int, singular: str, plural_form: str) -> str:
    """The verb that goes with `count`: agree(1, "is", "are")."""
    return singular if count == 1 else plural_form


@dataclass
class CheckResult:
    """What one check found, and a few words for the summary line (`state: 120 captures`)."""

    findings: list[Finding]
    summary: str
