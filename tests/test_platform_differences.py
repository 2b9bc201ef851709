"""What differs on Windows and macOS, checked here through the branches that decide it: Try
the demo asks nothing of process numbers on Windows (``os.kill(pid, 0)`` sends Ctrl+C to a
console there), and the Control key that leaves the attribute table is Control on a Mac
(Qt calls it Meta there; its Ctrl is Command, and Cmd+Tab switches apps)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.qt import demo_launcher, single_instance
from kombo_desktop.qt.attributes_editor import control_key_modifier
from kombo_desktop.qt.single_instance import lock_path


@pytest.mark.parametrize(
    ("platform", "modifier"),
    [
        ("darwin", Qt.KeyboardModifier.MetaModifier),
        ("linux", Qt.KeyboardModifier.ControlModifier),
        ("win32", Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_the_control_key_is_the_one_labelled_so(platform: str, modifier: Qt.KeyboardModifier):
    # Before: Ctrl (Command) on a Mac, where Cmd+Tab is the system's app switcher.
    assert control_key_modifier(platform) == modifier


def test_try_the_demo_on_windows_asks_nothing_of_process_numbers(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    # A demo ended in the Task Manager left its lock behind, naming its process.
    lock = lock_path(demo=True)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(f"{os.getpid()}\nkombo-desktop\nthis-computer\n")

    killed: list[int] = []

    def windows_kill(pid: int, sig: int) -> None:
        # Signal 0 is CTRL_C_EVENT on Windows: sent to the console's processes where there
        # is one, refused (as here) by a window without one.
        killed.append(pid)
        raise OSError(6, "The handle is invalid")

    started: list[list[str]] = []

    def start_detached(program: str, arguments: list[str], folder: str) -> tuple[bool, int]:
        started.append(arguments)  # Windows' own process start cannot run here
        return True, 4242

    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setattr(single_instance, "_PROC", lock.parent / "no-process-table")
    monkeypatch.setattr(os, "kill", windows_kill)
    monkeypatch.setattr(QProcess, "startDetached", start_detached)
    said: list[str] = []
    # Before: the OSError escaped, "Something went wrong inside Kombo Desktop", no demo.
    demo_launcher.start_demo(owner, lambda words, _ms: said.append(words))
    assert started == [["-m", "kombo_desktop", "--demo"]]
    assert said == [demo_launcher.DEMO_OPENING_TEXT]
    assert killed == []
