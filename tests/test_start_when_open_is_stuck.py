"""Starting the app while its open window is stuck says how to get going again: a stuck
window answers no start, so only closing it lets the app open. The real entry point
(``python -m kombo_desktop``) run as processes, offscreen, on one app home."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from kombo_desktop.qt.single_instance import lock_path
from tests.cli_support import cli_env, output

#: Far longer than a start takes: a start still running then is stuck itself.
START_TIMEOUT_S = 60

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stops a process by a signal")


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    """A short temporary directory of the test's own for the local sockets (a socket's
    path has a small length limit)."""
    folder = Path(tempfile.mkdtemp(prefix="ks"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def start(app_home: Path, socket_dir: Path) -> subprocess.CompletedProcess[str]:
    """``kombo-desktop --demo`` run to its end (a start that finds the demo open ends)."""
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", "--demo"],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen", TMPDIR=str(socket_dir)),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )


def test_a_start_while_the_open_window_is_stuck_says_to_close_it(
    app_home: Path, socket_dir: Path
) -> None:
    first = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", "--demo"],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen", TMPDIR=str(socket_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        lock = QLockFile(str(lock_path(demo=True)))
        deadline = time.monotonic() + START_TIMEOUT_S
        while lock.getLockInfo()[0] != first.pid and time.monotonic() < deadline:
            assert first.poll() is None, "the first start ended instead of opening its window"
            time.sleep(0.05)
        # Once a start is answered, the open window listens.
        answered = start(app_home, socket_dir)
        assert "Its window is now in front." in answered.stdout, output(answered)
        os.kill(first.pid, signal.SIGSTOP)  # stuck: alive, holding the lock, answering none
        try:
            result = start(app_home, socket_dir)
        finally:
            os.kill(first.pid, signal.SIGCONT)
    finally:
        first.kill()
        first.wait(timeout=START_TIMEOUT_S)
    assert result.returncode == 0, output(result)
    assert "could not be brought to the front" in result.stdout, output(result)
    assert "If it does not respond, close it, then start Kombo Desktop again." in result.stdout
