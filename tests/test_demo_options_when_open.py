"""A start of the demo that finds it open says that the ``--port`` and ``--latency`` it was
given are not used: the open demo keeps its own. The real entry point (``python -m
kombo_desktop``) run as processes, offscreen, on one app home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_process_support import demo_open, start
from tests.cli_support import output

IN_FRONT = "Kombo Desktop is already open. Its window is now in front."


@pytest.fixture
def open_demo(app_home: Path, socket_dir: Path) -> Iterator[None]:
    """``kombo-desktop --demo`` running, once it holds the demo's window lock."""
    with demo_open(app_home, socket_dir):
        yield


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
    # No delay asked for is asked for too: before, 0 was taken as not given.
    none = start(app_home, socket_dir, "--demo", "--latency", "0")
    assert "--latency was not used" in none.stdout, output(none)
