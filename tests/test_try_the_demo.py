"""Help > Try the demo opens the demo in a process and window of its own (a person with no
customer's credentials yet has no other way to see the app work); the demo's own window
has nothing to open."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, QProcess
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.demo_launcher import (
    CHECK_EVERY_MS,
    DEMO_NOT_STARTED_TEXT,
    DEMO_OPENING_TEXT,
)
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.single_instance import ask_to_show, lock_path, runs_here, server_name
from tests.main_window_support import launched

#: A whole app start in a child process, on a busy machine.
DEMO_STARTS_WITHIN_S = 60


def help_action(window: MainWindow, text: str) -> QAction | None:
    help_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Help"
    )
    assert isinstance(help_menu, QMenu)
    return next((action for action in help_menu.actions() if action.text() == text), None)


def demo_process_id() -> int:
    """The process holding the demo's window lock (0: none)."""
    pid, _host, _app = QLockFile(str(lock_path(demo=True))).getLockInfo()
    return pid


@pytest.fixture
def demo_ended() -> Iterator[None]:
    """Whatever demo the test started is ended with it (asked to quit, as a desktop's
    log-out asks)."""
    yield
    pid = demo_process_id()
    if pid <= 0:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + DEMO_STARTS_WITHIN_S
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


@pytest.mark.usefixtures("demo_ended")
def test_try_the_demo_opens_the_demo_in_a_window_of_its_own(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Started from a folder holding a module named as one of Python's own: ``-m`` puts
    # the working folder first on the module path, and the demo died importing it.
    (tmp_path / "json.py").write_text("raise SystemExit('not the json module')\n")
    monkeypatch.chdir(tmp_path)
    window = launched(qtbot, [])
    action = help_action(window, "Try the &demo")
    assert action is not None
    assert action.isVisible()
    action.trigger()
    assert window.statusBar().currentMessage() == DEMO_OPENING_TEXT
    # The demo's window answers on its socket once it shows (and is asked to the front).
    deadline = time.monotonic() + DEMO_STARTS_WITHIN_S
    while ask_to_show(server_name(lock_path(demo=True))) is None:
        assert time.monotonic() < deadline, "no demo window opened"
        qtbot.wait(100)
    assert demo_process_id() not in (0, os.getpid())


def test_a_demo_that_ends_before_its_window_shows_is_said_to_have_failed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = launched(qtbot, [])
    # The demo's process cannot show a window at all (no such display platform).
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")
    window.open_demo()
    assert window.statusBar().currentMessage() == DEMO_OPENING_TEXT
    # Before: "Opening the demo…" stayed, and nothing opened.
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == DEMO_NOT_STARTED_TEXT,
        timeout=DEMO_STARTS_WITHIN_S * 1000,
    )


def test_the_demo_has_no_demo_to_open(qtbot: QtBot) -> None:
    window = launched(qtbot, ["--demo"])
    action = help_action(window, "Try the &demo")
    assert action is not None
    assert not action.isVisible()


# --------------------------------------------------------------------------------------
# Help > Try the demo pressed while a demo is open already: the new start brings the open
# demo to the front and ends, as it should; that is no failure, and nothing says it is.


def wait_for_demo_window(qtbot: QtBot) -> None:
    """Wait until the demo's window answers on its socket (it does once it shows)."""
    deadline = time.monotonic() + DEMO_STARTS_WITHIN_S
    while ask_to_show(server_name(lock_path(demo=True))) is None:
        assert time.monotonic() < deadline, "no demo window opened"
        qtbot.wait(100)


@pytest.mark.usefixtures("demo_ended")
def test_a_second_press_while_the_demo_is_open_says_no_failure(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = launched(qtbot, [])
    window.open_demo()
    wait_for_demo_window(qtbot)
    first = demo_process_id()

    # The process each press starts, to know when the second one has ended.
    started: list[int] = []
    real_start = QProcess.startDetached

    def recording_start(*args: Any) -> Any:
        result = real_start(*args)
        started.append(result[1])
        return result

    monkeypatch.setattr(QProcess, "startDetached", recording_start)
    window.statusBar().clearMessage()
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.open_demo()
    assert window.statusBar().currentMessage() == DEMO_OPENING_TEXT
    assert len(started) == 1
    assert started[0] > 0
    # The second start brings the open demo forward and ends, without taking the lock.
    qtbot.waitUntil(lambda: not runs_here(started[0]), timeout=DEMO_STARTS_WITHIN_S * 1000)
    # Time for a few of the launcher's checks to have seen it end.
    qtbot.wait(CHECK_EVERY_MS * 6)
    # Before: the second start was followed as a new demo, and its (proper) end without
    # taking the lock was told as "The demo could not be started".
    assert DEMO_NOT_STARTED_TEXT not in said
    assert window.statusBar().currentMessage() != DEMO_NOT_STARTED_TEXT
    # The demo that was open is still the one open.
    assert demo_process_id() == first
