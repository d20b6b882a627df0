"""Whether the browser tests run: in CI a missing browser fails the run, elsewhere it skips them.

A skip in CI would let a broken browser setup pass unnoticed; on a developer's machine without
Chromium the rest of the suite is still worth running.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def missing_browser_parts(chromium: Path = CHROMIUM, driver: str = "playwright") -> list[str]:
    """What the browser tests need and this machine lacks: the browser binary, the driver package."""
    missing = []
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        missing.append(f"{chromium} (apt-get install chromium)")
    if importlib.util.find_spec(driver) is None:
        missing.append(f"the {driver} package (pip install -r requirements-dev.txt)")
    return missing


def require_browser(missing: list[str], environ: Mapping[str, str]) -> None:
    """Return when nothing is missing; otherwise fail when `CI` is set (non-empty), skip when not."""
    if not missing:
        return
    message = "the browser tests need " + " and ".join(missing)
    if environ.get("CI"):
        pytest.fail(f"{message}; CI is set, so a missing browser is a failure, not a skip", pytrace=False)
    pytest.skip(message)
