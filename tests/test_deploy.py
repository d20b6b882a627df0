"""`deploy/`: the systemd units, the cron line and the logrotate snippet agree with the CLI and the README."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinphuong.cli import EXIT_LOCKED

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOME = "/srv/tinphuong"                      # where the README installs the checkout and its data
PYTHON = f"{HOME}/.venv/bin/python"
CONFIG = f"{HOME}/config.toml"
UNITS = ("tinphuong-web.service", "tinphuong-refresh.service", "tinphuong-refresh.timer")


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: section -> key -> values (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        assert current is not None and _, f"{name}: {line!r} is outside a section or not key=value"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def service(name: str) -> dict[str, list[str]]:
    return unit(name)["Service"]


def exec_start(name: str) -> list[str]:
    [command] = service(name)["ExecStart"]
    return shlex.split(command)


def cron_command() -> list[str]:
    [line] = [line for line in (DEPLOY / "tinphuong.cron").read_text().splitlines()
              if line.strip() and not line.startswith("#") and "=" not in line.split()[0]]
    fields = line.split(None, 6)
    assert fields[5] == "tinphuong", "the cron line runs as the service user"
    return shlex.split(fields[6])


@pytest.mark.parametrize("name, module", [("tinphuong-web.service", "webui"),
                                          ("tinphuong-refresh.service", "crawler refresh")])
def test_each_service_runs_a_command_our_cli_accepts_from_the_checkout(name, module):
    argv = exec_start(name)
    assert argv[0] == PYTHON and argv[1] == "-m"
    assert " ".join(argv[2:2 + len(module.split())]) == module
    assert argv[argv.index("--config") + 1] == CONFIG
    assert service(name)["WorkingDirectory"] == [HOME]      # `python -m` finds the packages there
    # The unit's own arguments followed by --help: click rejects an unknown option before printing help.
    result = subprocess.run([sys.executable, *argv[1:], "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: python -m {module.split()[0]}")


def test_both_services_are_hardened_and_write_only_the_data_directories():
    for name in ("tinphuong-web.service", "tinphuong-refresh.service"):
        options = service(name)
        assert options["User"] == ["tinphuong"] and options["NoNewPrivileges"] == ["yes"]
        assert options["ProtectSystem"] == ["strict"] and options["ProtectHome"] == ["yes"]
        writable = " ".join(options["ReadWritePaths"]).split()
        assert set(writable) <= {f"{HOME}/archive", f"{HOME}/index"}, writable
    assert " ".join(service("tinphuong-refresh.service")["ReadWritePaths"]).split() == [
        f"{HOME}/archive", f"{HOME}/index"]


def test_the_refresh_is_a_oneshot_with_a_time_limit_for_which_the_lock_exit_code_is_no_failure():
    options = service("tinphuong-refresh.service")
    assert options["Type"] == ["oneshot"]
    assert re.fullmatch(r"\d+(h|min)", options["TimeoutStartSec"][0])
    assert options["SuccessExitStatus"] == [str(EXIT_LOCKED)]
    timer = unit("tinphuong-refresh.timer")
    assert "Unit" not in timer["Timer"]                     # so it starts the service of the same name
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == ["timers.target"]


def test_the_cron_line_runs_the_same_refresh_at_the_same_priority_and_logs_where_logrotate_rotates():
    command = cron_command()
    assert command[:3] == ["cd", HOME, "&&"]
    refresh = exec_start("tinphuong-refresh.service")
    [nice] = service("tinphuong-refresh.service")["Nice"]
    assert service("tinphuong-refresh.service")["IOSchedulingClass"] == ["idle"]
    assert command[3:9] == ["nice", "-n", nice, "ionice", "-c", "3"]         # ionice's class 3: idle
    assert command[9:9 + len(refresh)] == [".venv/bin/python", *refresh[1:]]
    log = command[command.index(">>") + 1]
    rotated = (DEPLOY / "logrotate.conf").read_text().split("{")[0].split("\n")[-1].strip()
    assert fnmatch.fnmatch(log, rotated), (log, rotated)


def test_the_readme_installs_what_deploy_ships_where_the_units_expect_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (*UNITS, "tinphuong.cron", "logrotate.conf"):
        assert f"deploy/{name}" in readme, name
    for path in (HOME, f"{HOME}/archive", f"{HOME}/index", CONFIG, "/var/log/tinphuong"):
        assert path in readme, path
    assert "useradd" in readme and "tinphuong" in readme


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_finds_nothing_to_say(tmp_path):
    """Unknown keys, bad values and missing commands are what it reports; the checkout is faked in tmp."""
    fake_home = tmp_path / "srv"
    (fake_home / ".venv" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, fake_home / ".venv" / "bin" / "python")
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(HOME, str(fake_home))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
                            capture_output=True, text=True, timeout=60)
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "tinphuong" in line]
    assert result.returncode == 0 and ours == [], result.stdout + result.stderr
