"""A start of the demo that finds it open says that the ``--port`` and ``--latency`` it was
given are not used: the open demo keeps its own. The real entry point (``python -m
kombo_desktop``) run as processes, offscreen, on one app home."""

from __future__ import annotations

import shutil
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

#: Far longer than a start takes: a start still running then opened a window of its own.
START_TIMEOUT_S = 60
IN_FRONT = "Kombo Desktop is already open. Its window is now in front."


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    """A short temporary directory of the test's own for the local sockets (a socket's
    path has a small length limit)."""
    folder = Path(tempfile.mkdtemp(prefix="ks"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def open_demo(app_home: Path, socket_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kombo-desktop --demo`` running, once it holds the demo's window lock."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", "--demo"],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen", TMPDIR=str(socket_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        lock = QLockFile(str(lock_path(demo=True)))
        deadline = time.monotonic() + START_TIMEOUT_S
        while lock.getLockInfo()[0] != process.pid and time.monotonic() < deadline:
            assert process.poll() is None, "the demo ended instead of opening its window"
            time.sleep(0.05)
        yield process
    finally:
        process.kill()
        process.wait(timeout=START_TIMEOUT_S)


def start(app_home: Path, socket_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kombo-desktop ARGS`` run to its end (a start that finds the demo open ends)."""
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen", TMPDIR=str(socket_dir)),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )


@pytest.mark.usefixtures("open_demo")
def test_a_demo_started_again_with_its_options_says_they_are_not_used(
    app_home: Path, socket_dir: Path
) -> None:
    # The first answer also waits until the open demo listens.
    plain = start(app_home, socket_dir, "--demo")
    assert plain.stdout.strip() == IN_FRONT, output(plain)
    slow = start(app_home, socket_dir, "--demo", "--latency", "2000")
    assert slow.returncode == 0, output(slow)
    assert slow.stdout.splitlines() == [
        IN_FRONT,
        "--latency was not used: the open demo keeps the settings it started with. "
        "Close it, then start the demo again to use them.",
    ], output(slow)
    both = start(app_home, socket_dir, "--demo", "--port", "8765", "--latency", "400")
    assert "--port and --latency were not used" in both.stdout, output(both)
