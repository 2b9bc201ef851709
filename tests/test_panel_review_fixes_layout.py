"""At 800x600, and at the window's first size, what the status bar says and the Target ID
field shows is shown whole.

The connection summary kept at the status bar's right took the room of its messages
("Copied a curl command; it reads the key from $KOMB"), and the Target ID, squeezed
between the target type and Find…, showed about a third of a Kombo ID.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.qt.main_window import MainWindow
from tests.curl_support import copied_curl
from tests.main_window_support import WAIT_MS, button, candidate_id, line_edit
from tests.qt_helpers import find_by_accessible_name, focused
from tests.response_panel_support import (
    SMALL,
    assert_status_message_shown_whole,
    settle,
    text_room,
    window_at,
)


def _connection_summary(window: MainWindow) -> QLabel:
    return find_by_accessible_name(window, "Connection status", QLabel)


def test_the_copy_as_curl_confirmation_is_shown_whole_at_800x600(qtbot, fresh_sandbox, clipboard):
    window = window_at(qtbot, fresh_sandbox, SMALL)
    summary = _connection_summary(window)
    whole = summary.accessibleDescription()
    assert whole
    assert summary.text() == whole
    copied_curl(qtbot, window)
    bar = window.statusBar()
    assert "$KOMBO_API_KEY" in bar.currentMessage()
    assert_status_message_shown_whole(bar)
    # The summary gave up its room, not its words: a screen reader still reads all of it.
    assert summary.accessibleDescription() == whole
    bar.clearMessage()
    settle()
    assert summary.text() == whole


def test_what_became_of_a_send_is_shown_whole_at_800x600(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, SMALL)
    assert window.size() == QSize(800, 600)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    assert candidate_id(fresh_sandbox) in window.statusBar().currentMessage()
    assert_status_message_shown_whole(window.statusBar())


@pytest.mark.parametrize("size", [SMALL, None], ids=["800x600", "first size"])
def test_a_whole_kombo_id_is_shown_and_tab_goes_kind_id_find(qtbot, fresh_sandbox, size):
    window = window_at(qtbot, fresh_sandbox, size)
    settle()
    field = line_edit(window, "Target ID")
    shown = candidate_id(fresh_sandbox)
    assert field.text() == shown
    assert len(shown) == 24
    needed = field.fontMetrics().horizontalAdvance(shown)
    assert needed <= text_room(field), f"{needed} px needed, {text_room(field)} px shown"
    # The keyboard goes as before, and as the eye reads: the kind, the ID, Find….
    window.form.target_type.setFocus(Qt.FocusReason.TabFocusReason)
    names = []
    for _ in range(3):
        widget = focused()
        assert widget is not None
        names.append(widget.accessibleName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert names == ["Target type", "Target ID", "Find candidate"]
    kind, find = window.form.target_type, window.form.find_button
    assert kind.geometry().bottom() < field.geometry().top()
    assert field.geometry().bottom() < find.geometry().top()


@pytest.mark.parametrize("kind", [TargetKind.CANDIDATE, TargetKind.APPLICATION])
def test_the_target_id_placeholder_is_shown_whole_at_800x600(qtbot, fresh_sandbox, kind):
    window = window_at(qtbot, fresh_sandbox, SMALL)
    window.form.target_type.setCurrentIndex(window.form.target_type.findData(kind.value))
    field = line_edit(window, "Target ID")
    field.clear()
    settle()
    hint = field.placeholderText()
    assert hint
    assert field.fontMetrics().horizontalAdvance(hint) <= text_room(field), hint
