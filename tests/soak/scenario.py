"""The soak: night after simulated night, a real refresh while staff search, checked each morning.

Night 0 crawls the three sites whole. Every later day the sites change (`soak_schedule`: news,
edits, removals and each site's incidents), the load generator measures idle latency, then one
`python -m crawler refresh` runs while it keeps searching; on the days of `Plan.disruptions`
the refresh is killed with SIGKILL during the crawl or the index update, or the data disk fills
up under it. After each night the index is checked through the web UI against the ground truth
(`tests.soak.documents`), and after each completed refresh the archive (`tests.soak.archive`);
at the end a rebuild from the archive must give the same index.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.soak.archive import ArchiveChecks, command, compare_rebuild
from tests.soak.disk import SmallDisk
from tests.soak.documents import DocumentChecks
from tests.soak.findings import Findings
from tests.soak.load import Load, Sample, percentile
from tests.soak.promises import Promises
from tests.soak.queries import fold, load_paths
from tests.soak.refresh import Kill, Night, refresh
from tests.soak.webui import WebUI
from tests.soak.world import World
from tests.wardsite import DayPlan, soak_schedule

FAILING_EVENTS = frozenset({"down", "unavailable"})     # the site cannot be crawled that day: exit 1
LATENCY_RATIO = 2.0
IDLE_TIMEOUT = 120.0


@dataclass(frozen=True)
class Plan:
    days: int = 30
    seed: object = 1
    articles: int = 60                     # per site on day 0
    revisit_days: int = 7
    events: dict[str, tuple[str, ...]] = field(default_factory=dict)   # site -> its incidents (default all)
    disruptions: dict[int, str] = field(default_factory=dict)  # day -> kill-crawl | kill-index | disk-full
    idle_samples: int = 150                # requests measured idle before each night
    load_threads: int = 3
    rebuild_queries: int = 300             # queries whose top results the rebuild must give back

    def schedules(self, sites: list[str]) -> dict[str, list[DayPlan]]:
        return {name: soak_schedule(f"{self.seed}-{name}", self.days, **(
            {"events": self.events[name]} if name in self.events else {})) for name in sites}


def random_disruptions(seed: object, days: int) -> dict[int, str]:
    """Three kills during the crawl, one during the index update and a full disk, on days apart
    (a disrupted night is followed by one that must complete), never on the first or last day.
    The index kill comes among the first three, so that nights remain to try again if the
    refresh finishes before it lands."""
    kinds = ["kill-crawl", "kill-crawl", "kill-crawl", "disk-full"]
    if days < 2 * len(kinds) + 3:
        raise ValueError(f"{len(kinds) + 1} disrupted nights apart need at least {2 * len(kinds) + 3} days")
    rng = random.Random(f"{seed}/disruptions")
    rng.shuffle(kinds)
    kinds.insert(rng.randrange(3), "kill-index")
    picked = sorted(rng.sample(range(2, days - len(kinds) + 1), len(kinds)))
    return {day + number: kind for number, (day, kind) in enumerate(zip(picked, kinds, strict=True))}


@dataclass
class Row:
    """One night, as the table shows it."""

    day: int
    event: str
    live: int
    ever: int
    documents: int
    captures: int
    requests: int
    seconds: float
    exit: str
    errors: int                      # failed searches while the refresh ran
    p99_idle: float | None           # milliseconds
    p99_refresh: float | None

    HEADER = ("day", "event", "live/ever", "docs", "captures", "requests", "refresh s", "exit",
              "search errors", "p99 idle ms", "p99 refresh ms")

    def cells(self) -> list[object]:
        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value:.0f}"
        return [self.day, self.event, f"{self.live}/{self.ever}", self.documents, self.captures,
                self.requests, f"{self.seconds:.1f}", self.exit, self.errors, ms(self.p99_idle),
                ms(self.p99_refresh)]


@dataclass
class Outcome:
    rows: list[Row]
    findings: Findings
    notes: list[str]
    idle: list[Sample]
    during: list[Sample]


class Soak:
    def __init__(self, root: Path, plan: Plan, report: Callable[[str], None] = print,
                 keep_data: bool = False) -> None:
        """`keep_data`: copy the data directory to `root`/data-kept before its small disk goes away."""
        self.root = root
        self.keep_data = keep_data
        self.plan = plan
        self.report = report
        self.rng = random.Random(f"{plan.seed}/soak")
        self.findings = Findings()
        self.notes: list[str] = []
        self.rows: list[Row] = []
        self.nights: dict[int, Night] = {}
        self.intervals: dict[str, list[tuple[int, float, float]]] = {"idle": [], "refresh": []}
        self.disk: SmallDisk | None = None
        self.growth: list[int] = []
        self.seconds: Counter[str] = Counter()      # wall time by part of the soak

    # --- the run ---------------------------------------------------------------------------------

    def run(self) -> Outcome:
        self.world = World(self.root, self.plan.seed, self.plan.articles, self.plan.revisit_days)
        reason = SmallDisk.unavailable()
        if reason is None:
            self.disk = SmallDisk(self.world.data)
            try:
                self.disk.__enter__()
            except OSError as error:
                self.disk, reason = None, str(error)
        if reason:
            self._note(f"data on the ordinary disk; a full-disk night is skipped: {reason}")
        try:
            self.world.start()
            with WebUI(self.world.config, self.root / "webui.log") as web, \
                    Load(web.api.base, self.plan.load_threads, seed=self.plan.seed) as load:
                self._run(web, load)
        finally:
            self.world.stop()
            if self.disk is not None:
                if self.keep_data:
                    shutil.copytree(self.world.data, self.root / "data-kept", dirs_exist_ok=True)
                self.disk.__exit__()
        return Outcome(self.rows, self.findings, self.notes, self._samples("idle"), self._samples("refresh"))

    def _run(self, web: WebUI, load: Load) -> None:
        self.web, self.load = web, load
        names = list(self.world.sites)
        self.promises = Promises(self.plan.revisit_days, {n for n in names if self.world.lastmod_site(n)})
        self.documents = DocumentChecks(self.world, self.promises, web.api, self.findings)
        self.archive = ArchiveChecks(self.world.archive_dir, self.world.config, self.findings)
        schedules = self.plan.schedules(names)
        load.use(self._load_paths())
        retry: str | None = None
        for day in range(self.plan.days + 1):
            if day:
                for name, site in self.world.sites.items():
                    site.advance(schedules[name][day - 1])
            disruption = self.plan.disruptions.get(day)
            if disruption is None and retry and day < self.plan.days and day + 1 not in self.plan.disruptions:
                disruption, retry = retry, None
            with self._timed("idle windows"):
                self._idle(day)
            with self._timed("refreshes"):
                night = self._night(day, disruption)
            if disruption and disruption.startswith("kill") and night.killed_in is None:
                retry = disruption       # the refresh ended before the kill: another night
            self._morning(day, night, disruption)
        self._final()

    def _idle(self, day: int) -> None:
        """Measure idle latency: `idle_samples` requests while nothing else runs."""
        started = time.monotonic()
        wanted = self.plan.idle_samples
        if not self.load.wait_for(lambda got: sum(1 for s in got if s.started >= started) >= wanted,
                                  IDLE_TIMEOUT):
            self._note(f"day {day}: fewer than {wanted} idle requests in {IDLE_TIMEOUT:.0f} s")
        self.intervals["idle"].append((day, started, time.monotonic()))

    def _night(self, day: int, disruption: str | None) -> Night:
        kill = self._kill(disruption)
        if disruption == "disk-full":
            if self.disk is None:
                self._note(f"day {day}: the full disk is skipped (no small disk here): an ordinary night")
                disruption = None
            else:
                self.disk.fill(self._margin())
        used = self.disk.used() if self.disk else 0
        started = time.monotonic()
        try:
            night = refresh(self.world.config, self.world.night(day), self.world.requests, kill,
                            tuple(self.world.sites))
        finally:
            if disruption == "disk-full" and self.disk is not None:
                self.disk.restore()
        self.intervals["refresh"].append((day, started, time.monotonic()))
        if self.disk is not None and night.completed and disruption is None:
            self.growth.append(self.disk.used() - used)
        self.nights[day] = night
        return night

    def _kill(self, disruption: str | None) -> Kill | None:
        completed = [n for n in self.nights.values() if n.completed]
        if disruption == "kill-crawl":
            # the fewest requests a later night made (the first crawls everything: a quarter of it)
            later = [n.requests for day, n in self.nights.items() if day and n.completed]
            typical = min(later, default=completed[0].requests // 4 if completed else 50)
            return Kill("crawl", requests=self.rng.randint(1, max(1, int(0.8 * typical))))
        if disruption == "kill-index":
            typical = next((n.index_seconds for n in reversed(completed) if n.index_seconds), 2.0)
            return Kill("index", seconds=self.rng.uniform(0.05, 0.9) * typical)
        return None

    def _margin(self) -> int:
        """Free space left on the full-disk night: part of what a night writes."""
        typical = sorted(self.growth)[len(self.growth) // 2] if self.growth else 1 << 20
        return max(4096, int(self.rng.uniform(0.2, 0.6) * typical))

    # --- after each night ------------------------------------------------------------------------

    def _morning(self, day: int, night: Night, disruption: str | None) -> None:
        events = {name: site.days[day].events for name, site in self.world.sites.items()}
        counted = self._recovery(day, night, disruption, events)
        for name in self.world.sites:
            self.promises.night(name, day, counted[name])
        with self._timed("index checks"):
            tally = self.documents.check(day)
        if night.completed:
            with self._timed("archive checks"):
                self.archive.check(day)
        self.load.use(self._load_paths())
        idle = [s.seconds * 1000 for s in self._samples("idle", day)]
        during = self._samples("refresh", day)
        label = ", ".join(f"{name} {e}" for name, es in events.items() for e in es)
        if disruption:
            label = ", ".join(filter(None, [self._disruption_label(disruption, night), label]))
        sites = self.world.sites.values()
        row = Row(day, label or "-", sum(len(site.live()) for site in sites),
                  sum(len(site.ever()) for site in sites), tally.documents, tally.captures,
                  night.requests, night.seconds, "killed" if night.killed_in else str(night.exit_code),
                  sum(1 for s in during if self._failed(s)), percentile(idle, 0.99),
                  percentile([s.seconds * 1000 for s in during], 0.99))
        self.rows.append(row)
        self.report("  ".join(str(c) for c in row.cells()))

    def _disruption_label(self, disruption: str, night: Night) -> str:
        if disruption == "disk-full":
            return "disk full"
        if night.killed_in:
            return f"kill -9 in {night.killed_in}"
        return f"{disruption} missed"

    def _recovery(self, day: int, night: Night, disruption: str | None,
                  events: dict[str, list[str]]) -> dict[str, bool]:
        """Exit code and summary lines against the night's incidents; which sites the night counts for."""
        previous = self.nights.get(day - 1)
        disrupted_before = previous is not None and (previous.killed_in or not previous.completed)
        counted = dict.fromkeys(self.world.sites, False)
        if night.killed_in:
            return counted
        if disruption == "disk-full":
            if night.exit_code == 0:
                self._note(f"day {day}: the refresh completed on the full disk (the margin sufficed)")
            elif "No space left on device" not in night.stdout + night.stderr:
                self.findings.add("recovery", f"night {day}: the full disk failed the refresh without saying "
                                              f"so (exit {night.exit_code})")
            if night.exit_code != 0:
                return counted
        failing = {name for name, es in events.items() if FAILING_EVENTS & set(es)}
        expected = 1 if failing else 0
        if not night.completed or night.exit_code != expected:
            after = " after a disrupted night" if disrupted_before else ""
            self.findings.add("recovery", f"night {day}{after}: exit {night.exit_code}, expected {expected}; "
                                          f"{night.stderr.strip().splitlines()[-1:]}")
        for name in self.world.sites:
            line = night.site_lines.get(name, "")
            trouble = "FAILED" in line or "backed off" in line
            if not line or (trouble and name not in failing):
                self.findings.add("recovery", f"night {day}: {name}: {line or 'no summary line'}")
            counted[name] = bool(line) and not trouble and night.completed
        return counted

    def _load_paths(self) -> list[tuple[str, str]]:
        indexed = self.documents.indexed if hasattr(self, "documents") else {}
        titles = [title for title, _ in indexed.values()]
        phrases = [phrase for _, phrase in indexed.values()]
        months = sorted({f"{a.date:%Y-%m}" for _, a in self.world.articles()})[-3:]
        return load_paths(titles, phrases, list(indexed), months, list(self.world.sites),
                          seed=f"{self.plan.seed}/{self.world.day}") or [("listing", "/api/search?q=")]

    def _failed(self, sample: Sample) -> bool:
        """A request that failed: no answer or an error, but for the 404 of a document merged into
        another since the load was given its id (a page that moved)."""
        if sample.ok:
            return False
        doc_id = sample.path.rstrip("/").rsplit("/", 1)[-1]
        merged = sample.kind in ("doc", "page") and doc_id in self.documents.merged
        return not (sample.status == 404 and merged)

    def _samples(self, phase: str, day: int | None = None) -> list[Sample]:
        """The load's samples taken while `phase` ran (idle: wholly inside; refresh: overlapping)."""
        spans = [(a, b) for d, a, b in self.intervals[phase] if day is None or d == day]
        if phase == "idle":
            return [s for s in self.load.samples() if any(a <= s.started and s.ended <= b for a, b in spans)]
        return [s for s in self.load.samples() if any(s.started <= b and s.ended >= a for a, b in spans)]

    # --- the end ---------------------------------------------------------------------------------

    def _final(self) -> None:
        checked = self.documents.checked.items()
        self._note("checked: " + ", ".join(f"{what} {count}" for what, count in checked))
        dropped = sum(site.server.dropped for site in self.world.sites.values())
        self._note(f"connections the sites saw dropped mid-request (killed refreshes): {dropped}")
        for sample in self.load.samples():
            if self._failed(sample):
                self.findings.add("searches", f"{sample.kind} {sample.path}: "
                                              f"status {sample.status or 'no answer'}")
        idle = percentile([s.seconds for s in self._samples("idle")], 0.99)
        during = percentile([s.seconds for s in self._samples("refresh")], 0.99)
        if idle and during:
            self._note(f"p99 latency: idle {idle * 1000:.0f} ms, during refreshes {during * 1000:.0f} ms "
                       f"(x{during / idle:.2f})")
            if during > LATENCY_RATIO * idle:
                self.findings.add("latency", f"p99 during refreshes {during * 1000:.0f} ms > "
                                             f"{LATENCY_RATIO}x idle {idle * 1000:.0f} ms")
        with self._timed("rebuild"):
            rebuilt = command("-m", "indexer", "rebuild", config=self.world.rebuild_config)
        if rebuilt.returncode != 0:
            self.findings.add("rebuild", f"exit {rebuilt.returncode}: {rebuilt.stderr.strip()[-500:]}")
            return
        queries = [phrase for _, phrase in self.documents.indexed.values()]
        queries += [fold(title) for title, _ in self.documents.indexed.values()]
        wanted = min(self.plan.rebuild_queries, len(queries))
        queries = random.Random(str(self.plan.seed)).sample(queries, wanted)
        with self._timed("rebuild comparison"):
            count = compare_rebuild(self.world.index_dir, self.world.rebuilt_index_dir, queries,
                                    self.findings)
        self._note(f"rebuild compared: {count} documents, {len(queries)} queries")
        spent = self.seconds.items()
        self._note("seconds spent: " + ", ".join(f"{what} {seconds:.0f}" for what, seconds in spent))

    @contextmanager
    def _timed(self, what: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[what] += time.monotonic() - started

    def _note(self, text: str) -> None:
        self.notes.append(text)
        self.report(text)
