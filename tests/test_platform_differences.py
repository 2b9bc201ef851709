"""What differs on Windows and macOS, checked here through the branches that decide it: Try
the demo asks nothing of process numbers on Windows (``os.kill(pid, 0)`` sends Ctrl+C to a
console there), and the Control key that leaves the attribute table is Control on a Mac
(Qt calls it Meta there; its Ctrl is Command, and Cmd+Tab switches apps)."""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import kombo_desktop.qt.attributes_editor
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


# --------------------------------------------------------------------------------------
# On a Mac the attributes table is left with Control+Tab, the key labelled so there: Qt
# calls the Command key Ctrl (Cmd+Tab is the system's app switcher, which the table never
# sees) and the Control key Meta. The table's module, loaded as on a Mac, must take it.

#: The Control key as Qt reports it on a Mac.
MAC_CONTROL = Qt.KeyboardModifier.MetaModifier


@pytest.fixture
def loaded_on_a_mac(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A copy of ``attributes_editor`` loaded as on a Mac (the app's own module, the one
    the other tests use, is left as it is)."""
    origin = kombo_desktop.qt.attributes_editor.__file__
    name = "kombo_desktop.qt.attributes_editor_as_on_a_mac"
    spec = importlib.util.spec_from_file_location(name, origin)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with monkeypatch.context() as on_a_mac:
        on_a_mac.setattr(sys, "platform", "darwin")
        on_a_mac.setitem(sys.modules, name, module)
        spec.loader.exec_module(module)
    return module


def test_on_a_mac_the_table_takes_the_key_labelled_control_for_its_ctrl_tab(
    loaded_on_a_mac: ModuleType,
) -> None:
    # Before: the table's Ctrl+Tab (leave the table) was Qt's Ctrl whatever the platform:
    # the Command key on a Mac, where Cmd+Tab is the system's app switcher.
    assert loaded_on_a_mac._CONTROL_KEY == MAC_CONTROL
    # The module the app runs here keeps this platform's Control key.
    here = kombo_desktop.qt.attributes_editor._CONTROL_KEY
    assert here == control_key_modifier()
