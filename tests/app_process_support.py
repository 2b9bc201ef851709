"""The app's real entry point (``python -m kombo_desktop``) run as a process, offscreen, with
its local sockets in a short folder of the test's own: for the tests of a start that finds
the app open, and of what a process that ends or fails says."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from kombo_desktop.qt.single_instance import lock_path
from tests.cli_support import cli_env

#: Far longer than a start takes: a process still running then is stuck (or, for a second
#: start, opened a window of its own).
START_TIMEOUT_S = 60


@pytest.fixture(name="socket_dir")
def socket_dir_fixture() -> Iterator[Path]:
    """A short temporary directory of the test's own for the local sockets (a socket's
    path has a small length limit)."""
    folder = Path(tempfile.mkdtemp(prefix="ks"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def app_env(app_home: Path, socket_dir: Path) -> dict[str, str]:
    """The environment of an app process on ``app_home``, offscreen, its sockets in
    ``socket_dir``."""
    return cli_env(app_home, QT_QPA_PLATFORM="offscreen", TMPDIR=str(socket_dir))


def start(app_home: Path, socket_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kombo-desktop ARGS`` run to its end (a start that finds the demo open ends)."""
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=app_env(app_home, socket_dir),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )


@contextmanager
def demo_open(app_home: Path, socket_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kombo-desktop --demo`` running, once it holds the demo's window lock; killed at
    the end."""
    with _holding_the_lock(app_home, socket_dir, demo=True) as process:
        yield process


@contextmanager
def window_open(app_home: Path, socket_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kombo-desktop`` (its real window, not the demo) running, once it holds the window
    lock: it opened, and did not find the app open; killed at the end."""
    with _holding_the_lock(app_home, socket_dir, demo=False) as process:
        yield process


@contextmanager
def _holding_the_lock(
    app_home: Path, socket_dir: Path, *, demo: bool
) -> Iterator[subprocess.Popen[bytes]]:
    """The app (``--demo`` with ``demo``) started and waited for until it holds its window
    lock; killed at the end."""
    what = "the demo" if demo else "the app"
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", *(["--demo"] if demo else [])],
        env=app_env(app_home, socket_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        lock = QLockFile(str(lock_path(demo=demo)))
        deadline = time.monotonic() + START_TIMEOUT_S
        while lock.getLockInfo()[0] != process.pid and time.monotonic() < deadline:
            assert process.poll() is None, f"{what} ended instead of opening its window"
            time.sleep(0.05)
        assert lock.getLockInfo()[0] == process.pid, f"{what} did not open its window in time"
        yield process
    finally:
        process.kill()
        process.wait(timeout=START_TIMEOUT_S)
