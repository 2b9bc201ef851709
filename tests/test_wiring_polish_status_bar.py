"""The status bar against the real sandbox over HTTP (qt/status_bar.py): a connection
summary longer than the bar is shortened to the room it has, its end marked; a message
is shown whole right to left too; and the bar draws nothing where no message shows.

The summary (where requests go: a custom base URL, the integration ID, the key's kind)
was shortened only beside a message: a long custom address alone ran past the window's
edge, its end (the integration and the key's kind) cut off with nothing to say so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QStyleFactory

from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, window_to
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import (
    SMALL,
    assert_status_message_shown_whole,
    settle,
    window_at,
)

#: A message about as wide as half the smallest window.
MESSAGE = "Copied a curl command; it reads the key from $KOMBO_API_KEY."


def test_a_long_connection_summary_is_shortened_with_its_end_marked(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    # A gateway of the customer's own, as a proxy in front of Kombo may be addressed.
    long_address = (
        "https://kombo-gateway.recruiting-platform.internal.example.com/"
        + "regional-routing/europe-west/" * 6
        + "v1"
    )
    window = window_to(qtbot, fresh_sandbox, long_address)
    window.resize(SMALL)
    qtbot.waitUntil(lambda: window.size() == SMALL, timeout=WAIT_MS)
    settle()
    summary = find_by_accessible_name(window, "Connection status", QLabel)
    whole = summary.toolTip()
    assert long_address in whole
    assert summary.fontMetrics().horizontalAdvance(whole) > SMALL.width()
    # Shortened to the room beside the draft note, and its end marked.
    assert summary.text().endswith("…")
    assert summary.text()[:-1] in whole
    shown = summary.fontMetrics().horizontalAdvance(summary.text())
    assert shown <= summary.contentsRect().width()
    bar = window.statusBar()
    assert summary.geometry().right() < bar.width()
    # Its hover and a screen reader still get all of it.
    assert summary.accessibleDescription() == whole
    # A message beside it is shown whole, and takes its room from the summary.
    bar.showMessage(MESSAGE)
    assert_status_message_shown_whole(bar)
    assert summary.accessibleDescription() == whole


def test_right_to_left_a_status_message_is_shown_whole_at_800x600(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_at(qtbot, fresh_sandbox, SMALL)
    bar = window.statusBar()
    bar.showMessage(MESSAGE)
    assert_status_message_shown_whole(bar)

    # The direction changes while the message shows: it keeps its start.
    window.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert bar.isRightToLeft()
    assert_status_message_shown_whole(bar)
    bar.showMessage(MESSAGE[:-1])
    assert_status_message_shown_whole(bar)

    window.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert_status_message_shown_whole(bar)


def test_the_status_bar_draws_nothing_at_its_start_without_a_message(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    """No empty frame where the message goes, in a style that frames the bar's widgets."""
    window = window_at(qtbot, fresh_sandbox, SMALL)
    bar = window.statusBar()
    style = QStyleFactory.create("Windows")
    # The bar does not keep its style alive; the window, deleted after its bar, does.
    style.setParent(window)
    bar.setStyle(style)
    background = bar.palette().color(QPalette.ColorRole.Window).rgb()
    summary = find_by_accessible_name(window, "Connection status", QLabel)

    def marks_at_the_start() -> list[tuple[int, int]]:
        """Pixels other than the bar's background left of the connection summary's frame."""
        settle()
        image = bar.grab().toImage()
        start = summary.x() - 2
        return [
            (x, y)
            for x in range(start)
            for y in range(image.height())
            if image.pixel(x, y) != background
        ]

    bar.clearMessage()
    assert not marks_at_the_start()
    # The bar shows again the widgets it hid for a message: still nothing there.
    bar.showMessage(MESSAGE)
    assert_status_message_shown_whole(bar)
    bar.clearMessage()
    assert not marks_at_the_start()
