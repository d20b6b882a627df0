"""The refresh lock as commands that only read see it: who holds it, without taking it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinphuong.lock import LOCK_FILE, lock_holder, refresh_lock

ROOT = Path(__file__).resolve().parent.parent
HOLD = ("import sys, time\nfrom tinphuong.lock import refresh_lock\n"
        "with refresh_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n")


def test_nobody_holds_a_lock_that_was_never_taken_or_was_released(tmp_path):
    assert lock_holder(tmp_path) is None
    with refresh_lock(tmp_path):
        pass
    assert (tmp_path / LOCK_FILE).exists() and lock_holder(tmp_path) is None


def test_the_holder_is_the_process_holding_it_and_asking_does_not_take_it(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert lock_holder(tmp_path) == f"pid {holder.pid}"
        assert lock_holder(tmp_path) == f"pid {holder.pid}"          # still held by it, not by us
    finally:
        holder.kill()
        holder.wait()
    assert lock_holder(tmp_path) is None


@pytest.mark.skipif(shutil.which("flock") is None, reason="util-linux flock is not installed")
def test_a_backup_under_flock_1_is_seen_as_the_holder(tmp_path):
    with refresh_lock(tmp_path):
        pass                                                          # the file names the last refresh
    backup = subprocess.Popen(["flock", str(tmp_path / LOCK_FILE), "sh", "-c", "echo held; exec sleep 60"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert backup.stdout.readline().strip() == "held"
        assert lock_holder(tmp_path) == f"pid {backup.pid}"
    finally:
        backup.kill()
        backup.wait()


def test_a_forked_child_does_not_keep_the_lock_once_its_parent_lets_go(tmp_path):
    """Extraction and writing processes are forked while the lock is held: if they kept it, a rebuild
    killed before them would make every refresh exit 75 until they end."""
    read_end, write_end = os.pipe()
    ready_read, ready_write = os.pipe()
    with refresh_lock(tmp_path):
        child = os.fork()
        if child == 0:
            os.close(write_end)
            os.write(ready_write, b"!")                # running: what happens at a fork is done
            os.read(read_end, 1)                       # alive until the test is done
            os._exit(0)
        assert os.read(ready_read, 1) == b"!"
        os.close(ready_read)
        os.close(ready_write)
    try:
        with refresh_lock(tmp_path):                   # LockBusy if the child still held it
            holder = lock_holder(tmp_path)
    finally:
        os.close(write_end)
        os.close(read_end)
        os.waitpid(child, 0)
    assert holder is not None and holder.startswith("pid ")
