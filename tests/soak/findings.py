"""The soak's checks, by name, and the problems each found (a check without problems passes)."""

from __future__ import annotations

CHECKS = {
    "searchable": "every article published is found by a phrase of its text (/api/search), from the first "
                  "night that crawled it",
    "edits": "edited articles show the new text within the crawl's promise, never an older one again, and "
             "keep the capture of the old text",
    "deletions": "deleted articles are marked gone within the promise (and only they), and stay searchable",
    "one document per article": "no two documents for one article, no document that is no article",
    "nothing lost": "no document or capture disappears from one night to the next; captures unique, in order",
    "searches": "no search failed or answered an error, during refreshes or not (the load generator)",
    "latency": "p99 latency during refreshes within 2x the idle p99",
    "recovery": "after a killed night or a full disk the next refresh completes; exit codes and summary "
                "lines as each night's incidents call for",
    "warc": "every WARC file reads to its end with warcio; no .open file after a completed refresh",
    "verify": "python -m crawler verify exits 0 after each completed refresh",
    "rebuild": "indexer rebuild gives the same documents and the same top results as the nightly index",
}
SHOWN = 5             # problems printed per check


class Findings:
    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {name: [] for name in CHECKS}

    def add(self, check: str, problem: str) -> None:
        self.problems[check].append(problem)

    def failed(self, only: set[str] | None = None) -> dict[str, list[str]]:
        return {name: problems for name, problems in self.problems.items()
                if problems and (only is None or name in only)}

    def report(self) -> str:
        lines = []
        for name, what in CHECKS.items():
            problems = self.problems[name]
            lines.append(f"{'FAIL' if problems else 'PASS'}  {name}: {what}")
            lines += [f"      {p}" for p in problems[:SHOWN]]
            if len(problems) > SHOWN:
                lines.append(f"      ... and {len(problems) - SHOWN} more")
        return "\n".join(lines)
