"""`python -m crawler verify`: the archive, the crawl state and the index checked against each other.

The checks run in an order that makes a concurrent refresh harmless: the crawl
state is read first, then the archive (`tinphuong.archive_check`), then the state
against the archive (`crawler.state_check`), then the index against the archive
(`indexer.index_check`, handed in by the command because the crawler does not
import the indexer). Nothing is changed: each finding says what a repair would do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.state_check import check_state, read_state
from tinphuong.archive_check import ArchiveRecords, Wrap, check_archive
from tinphuong.findings import CheckResult, Finding, plural
from tinphuong.lock import lock_holder

IndexCheck = Callable[[ArchiveRecords], CheckResult]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    running: str | None = None           # who holds the refresh lock, when someone does

    @property
    def damaged(self) -> list[Finding]:
        return [f for f in self.findings if f.damaged]

    def lines(self) -> list[str]:
        """Damage first, then notes, then one summary line."""
        lines = []
        if self.running:
            lines.append(f"note: a crawl or refresh is running ({self.running}): the file it writes is "
                         "checked as far as the crawl state accounts for it; what it adds meanwhile is not")
        for finding in self.damaged + [f for f in self.findings if not f.damaged]:
            lines.extend(finding.lines())
        verdict = f"{plural(len(self.damaged), 'problem')} found" if self.damaged else "all sound"
        lines.append(f"verify: {verdict} ({'; '.join(self.summaries)})")
        return lines


def verify(archive_dir: Path, index_check: IndexCheck | None = None, wrap: Wrap = iter) -> Report:
    """Check the archive, the state and (with `index_check`) the index; change nothing."""
    report = Report(running=lock_holder(archive_dir))
    writing = report.running is not None
    snapshot = read_state(archive_dir)
    records, archive = check_archive(archive_dir, snapshot.ends, writing, wrap)
    results = [archive, check_state(snapshot, records, writing)]
    if index_check is not None:
        results.append(index_check(records))
    for result in results:
        report.findings.extend(result.findings)
        report.summaries.append(result.summary)
    return report
