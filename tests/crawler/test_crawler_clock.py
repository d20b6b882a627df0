"""The revisit policy's clock: the real time, or `TINPHUONG_NOW` for runs on a simulated calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from crawler.__main__ import main
from crawler.clock import NOW_VARIABLE, run_clock, utc_now
from crawler.state import CrawlState
from tests.crawler.test_crawler_cli import small_site, write_config
from tinphuong.config import ConfigError
from tinphuong.warc import iter_responses

NIGHT = datetime(2025, 6, 3, 20, 0, tzinfo=UTC)


def test_without_the_variable_the_clock_is_the_real_time():
    assert run_clock({}) is utc_now
    assert run_clock({NOW_VARIABLE: "  "}) is utc_now


@pytest.mark.parametrize("value", ["2025-06-03T20:00:00Z", "2025-06-03T20:00:00",
                                   "2025-06-04T03:00:00+07:00"])
def test_the_variable_sets_the_start_of_a_clock_that_then_runs(value):
    clock = run_clock({NOW_VARIABLE: value})
    first, second = clock(), clock()
    assert NIGHT <= first <= second < NIGHT + timedelta(minutes=5)
    assert first.tzinfo is not None and first.utcoffset() == timedelta(0)


def test_a_value_that_is_no_moment_is_a_configuration_error():
    with pytest.raises(ConfigError, match="TINPHUONG_NOW.*'tối nay'"):
        run_clock({NOW_VARIABLE: "tối nay"})


def test_a_crawl_on_a_simulated_night_dates_its_policy_but_not_its_archive(tmp_path, site):
    small_site(site, 1)
    config = write_config(tmp_path, site)
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)],
                                env={NOW_VARIABLE: "2025-06-03T20:00:00Z"})
    assert result.exit_code == 0, result.output
    with CrawlState.open(tmp_path / "archive") as state:
        fetched = [u.last_fetched for u in state.site_urls("site-0")]
        assert fetched and all(f.startswith("2025-06-03T20:0") for f in fetched)
        assert all(u.next_visit > "2025-06-04" for u in state.site_urls("site-0"))
    captured = [datetime.fromisoformat(r.fetched_at.replace("Z", "+00:00"))
                for r in iter_responses(tmp_path / "archive")]
    assert captured and all(abs(datetime.now(UTC) - when) < timedelta(hours=1) for when in captured)


def test_an_unreadable_moment_stops_the_command_with_exit_2_before_anything_runs(tmp_path, site):
    small_site(site, 1)
    config = write_config(tmp_path, site)
    result = CliRunner().invoke(main, ["refresh", "--config", str(config)], env={NOW_VARIABLE: "yesterday"})
    assert result.exit_code == 2
    assert "TINPHUONG_NOW: not an ISO 8601 moment: 'yesterday'" in result.output
    assert not site.requests and not (tmp_path / "archive").exists()
