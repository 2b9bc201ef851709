"""``runs_here`` tells whether a process number is a running process of this user's on this
computer: a start of the app that finds the window's (or the demo's) lock held asks it,
and a process that ended, or another user's, must not pass for the app still open."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kombo_desktop.qt.single_instance import runs_here

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")

#: A user who owns nothing of this test run's.
NOBODY_UID = 65534


@contextmanager
def child_process(*, as_uid: int | None = None) -> Iterator[int]:
    """A forked child that waits (as the user ``as_uid``, when given) until the block
    ends; its process number. It is ended and reaped after the block."""
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only waits, and never returns into the test run
        try:
            if as_uid is not None:
                os.setuid(as_uid)
            os.write(ready_write, b"r")
            os.read(go_read, 1)
        finally:
            os._exit(0)
    os.close(ready_write)
    os.close(go_read)
    try:
        assert os.read(ready_read, 1) == b"r", "the child did not start"
        yield pid
    finally:
        os.write(go_write, b"g")
        os.close(go_write)
        os.close(ready_read)
        os.waitpid(pid, 0)


def test_this_process_runs_here() -> None:
    assert runs_here(os.getpid())


def test_a_child_still_running_runs_here() -> None:
    with child_process() as pid:
        assert runs_here(pid)


def test_a_process_number_that_is_free_does_not_run() -> None:
    with child_process() as pid:
        pass
    # Reaped: its number names no process (until the system gives it to another).
    assert not runs_here(pid)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="a process's state is read in /proc")
def test_a_zombie_does_not_run() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        # Wait for its end without reaping it: a zombie, as a process that ended under an
        # init process that reaps none stays.
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        state = (Path("/proc") / str(pid) / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        assert state == b"Z"
        # Before: a zombie (ended, never reaped) passed for the app still open.
        assert not runs_here(pid)
    finally:
        os.waitpid(pid, 0)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="a process's owner is read in /proc")
@pytest.mark.skipif(
    sys.platform == "win32" or os.getuid() != 0, reason="only root starts another user's process"
)
def test_another_users_process_does_not_run() -> None:
    with child_process(as_uid=NOBODY_UID) as pid:
        assert (Path("/proc") / str(pid)).stat().st_uid == NOBODY_UID
        # Before: another user's process holding the number passed for this user's app
        # (root may signal any process, so ``kill(pid, 0)`` did not tell them apart).
        assert not runs_here(pid)
