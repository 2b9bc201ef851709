"""The status bar in another font (qt/status_bar.py), in the real window against the sandbox
over HTTP: once the app's, the window's or the bar's font grows or shrinks (set as such or
by a style sheet), a message is still shown whole, and the connection summary shows as
much of itself as its new room holds: whole when it fits, else its start and "…", never
drawn past its room.

Both measured their words once, in the font of that moment. In a larger font the message's
end was cut (its room kept the smaller width), and the summary stayed as narrow as the
smaller words, its end cut beside free room; words cut to fit one font were drawn in the
next, past the summary's edge when it grew, their end lost unmarked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, window_to
from tests.qt_helpers import find_by_accessible_name, scaled
from tests.response_panel_support import (
    SMALL,
    assert_status_message_shown_whole,
    settle,
    status_message_room,
    window_at,
)

#: A message about as wide as half the smallest window.
MESSAGE = "Copied a curl command; it reads the key from $KOMBO_API_KEY."
#: A custom address that makes the summary wider than the smallest window in the usual
#: font, and narrower than it in a small one.
LONG_ADDRESS = "https://kombo-gateway.recruiting-platform.internal.example.com/v1"
#: How much larger, then smaller, than the usual font the words are drawn.
LARGER = 1.6
SMALLER = 0.65

#: Gives the window's words a font ``factor`` times the usual size.
FontChange = Callable[[MainWindow, float], None]


@pytest.fixture(params=["app", "window", "status bar", "style sheet"])
def change_font(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[FontChange]:
    """A change of font, where a person or the system makes it: the app's (the desktop's
    font setting), the window's, the status bar's own, or a style sheet's (with the style
    it changes). The app's font is put back after."""
    usual = QApplication.font()
    where = request.param

    def change(window: MainWindow, factor: float) -> None:
        font = scaled(usual, factor)
        if where == "app":
            QApplication.setFont(font)
        elif where == "window":
            window.setFont(font)
        elif where == "style sheet":
            points = font.pointSizeF()
            size = f"{points}pt" if points > 0 else f"{font.pixelSize()}px"
            window.setStyleSheet(f"QStatusBar, QStatusBar QLabel {{ font-size: {size}; }}")
        else:
            window.statusBar().setFont(font)

    yield change
    if where == "app":
        QApplication.setFont(usual)


def summary_of(window: MainWindow) -> QLabel:
    """The connection summary in the window's status bar."""
    return find_by_accessible_name(window, "Connection status", QLabel)


def assert_summary_shows_what_fits(window: MainWindow) -> None:
    """In the font of now, the summary shows as much of itself as its room holds, and its
    room is all the bar has beside the message: its end is cut only when no more fits."""
    settle()
    bar = window.statusBar()
    summary = summary_of(window)
    whole = summary.toolTip()
    metrics = summary.fontMetrics()
    room = summary.contentsRect().width() - 2 * summary.margin()
    shown = summary.text()
    assert shown == metrics.elidedText(whole, Qt.TextElideMode.ElideRight, room), (
        f"{shown!r} ({metrics.horizontalAdvance(shown)} px) shown in {room} px"
    )
    if shown != whole:
        message = bar.currentMessage()
        needed = bar.fontMetrics().horizontalAdvance(message) if message else 0
        left = status_message_room(bar)
        # Cut: what the message does not need is the summary's (a part of a pixel is
        # counted whole).
        assert left <= needed + 1, f"{left} px left beside a message of {needed} px"


def test_a_message_stays_whole_in_a_larger_font(
    qtbot, fresh_sandbox: Sandbox, change_font: FontChange
) -> None:
    window = window_at(qtbot, fresh_sandbox, SMALL)
    bar = window.statusBar()
    bar.showMessage(MESSAGE)
    assert_status_message_shown_whole(bar)

    change_font(window, LARGER)
    assert_status_message_shown_whole(bar)
    assert_summary_shows_what_fits(window)
    # Smaller again, the message gives the summary back what it no longer needs.
    change_font(window, SMALLER)
    assert_status_message_shown_whole(bar)
    assert_summary_shows_what_fits(window)


def test_the_connection_summary_shows_what_fits_as_the_font_changes(
    qtbot, fresh_sandbox: Sandbox, change_font: FontChange
) -> None:
    window = window_to(qtbot, fresh_sandbox, LONG_ADDRESS)
    window.resize(SMALL)
    qtbot.waitUntil(lambda: window.size() == SMALL, timeout=WAIT_MS)
    summary = summary_of(window)
    assert_summary_shows_what_fits(window)
    assert summary.text().endswith("…")  # too long for the smallest window, as it starts
    whole = summary.toolTip()

    # Larger: its end is cut sooner, and it still has all the room the bar leaves it.
    change_font(window, LARGER)
    assert_summary_shows_what_fits(window)
    assert summary.text().endswith("…")
    # Smaller: it all fits now, and is shown whole.
    change_font(window, SMALLER)
    assert_summary_shows_what_fits(window)
    assert summary.text() == whole

    # Beside a message, in any font, it has what the message leaves it.
    bar = window.statusBar()
    bar.showMessage(MESSAGE)
    for factor in (SMALLER, LARGER, 1.0):
        change_font(window, factor)
        assert_status_message_shown_whole(bar)
        assert_summary_shows_what_fits(window)
    # Its hover and a screen reader get all of it, whatever the font.
    assert summary.accessibleDescription() == whole
