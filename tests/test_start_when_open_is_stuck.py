"""Starting the app while its open window is stuck says how to get going again: a stuck
window answers no start, so only closing it lets the app open. The real entry point
(``python -m kombo_desktop``) run as processes, offscreen, on one app home."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.app_process_support import demo_open, start
from tests.cli_support import output

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stops a process by a signal")


def test_a_start_while_the_open_window_is_stuck_says_to_close_it(
    app_home: Path, socket_dir: Path
) -> None:
    with demo_open(app_home, socket_dir) as first:
        # Once a start is answered, the open window listens.
        answered = start(app_home, socket_dir, "--demo")
        assert "Its window is now in front." in answered.stdout, output(answered)
        os.kill(first.pid, signal.SIGSTOP)  # stuck: alive, holding the lock, answering none
        try:
            result = start(app_home, socket_dir, "--demo")
        finally:
            os.kill(first.pid, signal.SIGCONT)
    assert result.returncode == 0, output(result)
    assert "could not be brought to the front" in result.stdout, output(result)
    assert "If it does not respond, close it, then start Kombo Desktop again." in result.stdout
