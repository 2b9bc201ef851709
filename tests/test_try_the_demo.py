"""Help > Try the demo opens the demo in a process and window of its own (a person with no
customer's credentials yet has no other way to see the app work); the demo's own window
has nothing to open."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.main_window import DEMO_OPENING_TEXT, MainWindow
from kombo_desktop.qt.single_instance import ask_to_show, lock_path, server_name
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
def test_try_the_demo_opens_the_demo_in_a_window_of_its_own(qtbot: QtBot) -> None:
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


def test_the_demo_has_no_demo_to_open(qtbot: QtBot) -> None:
    window = launched(qtbot, ["--demo"])
    action = help_action(window, "Try the &demo")
    assert action is not None
    assert not action.isVisible()
