"""The short soak: four nights on three changing sites while the web UI is searched, one refresh
killed during its crawl, one site down for a day, and a full disk (or, without root to mount a
small tmpfs, a refresh killed during its index update); every correctness check of the
month-long run (`benchmarks/soak.py`) must hold. Latency is measured, not asserted here."""

from __future__ import annotations

import pytest

from tests.soak.disk import SmallDisk
from tests.soak.findings import CHECKS
from tests.soak.scenario import Plan, Soak

pytestmark = [pytest.mark.soak, pytest.mark.slow]
TIMING = {"latency"}


def test_four_nights_with_a_kill_a_site_down_and_a_full_disk(tmp_path):
    third = "disk-full" if SmallDisk.unavailable() is None else "kill-index"
    plan = Plan(days=4, seed=11, articles=15, revisit_days=2, idle_samples=30, rebuild_queries=60,
                events={"phuong-0": (), "phuong-1": ("down",), "phuong-2": ()},
                disruptions={1: "kill-crawl", 3: third})
    lines: list[str] = []
    outcome = Soak(tmp_path, plan, report=lines.append).run()
    told = "\n".join([*lines, outcome.findings.report()])

    assert not outcome.findings.failed(only=set(CHECKS) - TIMING), told
    assert [row.day for row in outcome.rows] == [0, 1, 2, 3, 4]
    assert outcome.rows[1].exit == "killed", told
    assert third != "disk-full" or outcome.rows[3].event.startswith("disk full"), told
    assert "phuong-1 down" in outcome.rows[4].event and outcome.rows[4].exit == "1", told
    assert outcome.rows[2].exit == "0", told          # the night after the kill completes
    assert outcome.idle and outcome.during
