"""The rule that decides whether the browser tests run, skip or fail, checked both ways."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.webui.browser_requirement import missing_browser_parts, require_browser

ABSENT = ["/usr/bin/chromium (apt-get install chromium)"]


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_in_ci_a_missing_browser_fails_the_run(ci):
    with pytest.raises(pytest.fail.Exception, match="/usr/bin/chromium.*CI is set"):
        require_browser(ABSENT, {"CI": ci})


@pytest.mark.parametrize("environ", [{}, {"CI": ""}])
def test_outside_ci_a_missing_browser_skips_with_the_reason(environ):
    with pytest.raises(pytest.skip.Exception, match=r"need /usr/bin/chromium \(apt-get install chromium\)$"):
        require_browser(ABSENT, environ)


@pytest.mark.parametrize("environ", [{}, {"CI": "true"}])
def test_a_complete_setup_runs_the_browser_tests(environ):
    assert require_browser([], environ) is None


def test_an_absent_or_unusable_browser_and_an_absent_driver_are_named(tmp_path):
    not_executable = tmp_path / "chromium"
    not_executable.write_text("")
    for chromium in (tmp_path / "absent", not_executable, tmp_path):
        assert missing_browser_parts(chromium, driver="json") == [f"{chromium} (apt-get install chromium)"]
    assert missing_browser_parts(Path(sys.executable), driver="no_such_driver_package") == [
        "the no_such_driver_package package (pip install -r requirements-dev.txt)"]
    assert missing_browser_parts(Path(sys.executable), driver="json") == []
