"""A second start without a terminal (Windows' pythonw, started from the Start menu) says what
it would print in a box, unless the open window came to the front: where Windows kept that
window behind, such a start showed nothing at all."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from kombo_desktop.app import SECOND_START_TITLE, main
from kombo_desktop.qt import single_instance
from kombo_desktop.qt.single_instance import (
    ALREADY_OPEN_TEXT,
    NOT_BROUGHT_FORWARD_TEXT,
    AlreadyOpen,
    FirstInstance,
    claim,
    demo_options_not_used,
    lock_path,
)


@pytest.fixture
def held_by_an_app_that_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The window lock held (by this process) and nobody listening: an open app that is
    stuck, as far as a second start can tell; asked for half a second only."""
    instance = claim(lock_path())
    assert isinstance(instance, FirstInstance)
    monkeypatch.setattr(single_instance, "ASK_FOR_S", 0.5)
    yield
    instance.release()


@pytest.fixture
def boxes_answered() -> Iterator[list[tuple[str, str]]]:
    """The title and text of each message box shown during the test, each closed once
    seen (looked for until the test ends, and not after: a later test's boxes are its own)."""
    seen: list[tuple[str, str]] = []
    looking = [True]

    def look() -> None:
        if not looking[0]:
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append((widget.windowTitle(), widget.text()))
                widget.accept()
        QTimer.singleShot(50, look)

    look()
    yield seen
    looking[0] = False


@pytest.mark.usefixtures("held_by_an_app_that_does_not_answer")
def test_a_second_start_without_a_terminal_says_it_in_a_box(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, boxes_answered: list[tuple[str, str]]
) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # pythonw: no terminal
    assert main([]) == 0
    # Before: printed to nowhere.
    assert boxes_answered == [
        (SECOND_START_TITLE, f"{ALREADY_OPEN_TEXT} {NOT_BROUGHT_FORWARD_TEXT}")
    ]


@pytest.mark.usefixtures("held_by_an_app_that_does_not_answer")
def test_a_second_start_with_a_terminal_prints_it(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], boxes_answered: list[tuple[str, str]]
) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == f"{ALREADY_OPEN_TEXT} {NOT_BROUGHT_FORWARD_TEXT}\n"
    assert boxes_answered == []


# --------------------------------------------------------------------------------------
# A second start without a terminal (Windows' pythonw, from the Start menu) whose open
# window came to the front shows no box: the window in front says enough. A start of the
# demo given options the open demo does not use (``--port``) must still say so, in a box:
# nothing else would tell the person the port asked for is not the one in use.

IN_FRONT = AlreadyOpen(brought_forward=True)


@pytest.fixture
def open_window_came_to_the_front(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app (or the demo) is open, and its window came to the front when asked."""
    monkeypatch.setattr(single_instance, "claim", lambda _path: IN_FRONT)


@pytest.mark.usefixtures("open_window_came_to_the_front")
def test_a_second_start_whose_window_came_to_the_front_shows_no_box(
    qtbot: QtBot,
    boxes_answered: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # pythonw: no terminal
    assert main([]) == 0
    # Before: a box said "already open" over the window that had just come to the front.
    assert boxes_answered == []


@pytest.mark.usefixtures("open_window_came_to_the_front")
def test_a_demo_start_with_options_not_used_says_so_though_the_demo_came_to_the_front(
    qtbot: QtBot,
    boxes_answered: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # pythonw: no terminal
    assert main(["--demo", "--port", "9999"]) == 0
    # Before: the demo in front was taken to say enough, and that --port was not used
    # went unsaid.
    assert boxes_answered == [
        (SECOND_START_TITLE, f"{IN_FRONT.words()}\n\n{demo_options_not_used(['--port'])}")
    ]
