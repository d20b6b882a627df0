"""`python -m webui` as the administrator starts it: help, and a clear exit 2 on a bad config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "webui", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_a_missing_config_is_one_line_and_exit_2(tmp_path):
    missing = tmp_path / "khong-co.toml"
    result = run("--config", str(missing), "--port", "0")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and str(missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_config_names_the_key(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nindex_dir = 5\n', encoding="utf-8")
    result = run("--config", str(config))
    assert result.returncode == 2 and "storage.index_dir" in result.stderr


def test_help_documents_the_options():
    result = run("--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--config", "--threads"):
        assert option in result.stdout
