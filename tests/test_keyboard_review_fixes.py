"""The main window from the keyboard, where a key press used to land in the wrong place or
say nothing: Esc after a send from a cell, a send or search the connection blocks, the
Move buttons at the table's edge, and Tab through the answer's actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableView, QToolButton, QWidget

from kombo_desktop.app import launch
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import NO_KEY, ProfilePicker
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fail_once_with_retry,
    fill_form,
    line_edit,
    paste_attributes,
    posts,
    press_ctrl_enter,
    submit_and_wait,
)
from tests.profiles_support import sandbox_profile_without_key
from tests.qt_helpers import find_by_accessible_name, focused, wait_active, wait_exposed

CTRL = Qt.KeyboardModifier.ControlModifier


def press(widget: QWidget | None, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    assert widget is not None
    QTest.keyClick(widget, key, modifiers)


def said(heard: list[tuple[object, str]]) -> list[str]:
    return [words for _object, words in heard]


# ---- Esc after a send from a cell editor ---------------------------------------------------------


def test_esc_after_a_send_from_a_cell_cancels_it_and_keeps_what_was_typed(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    fresh_sandbox.set_latency(3000)
    table = find_by_accessible_name(ready_window, "Attributes", QTableView)
    # Ctrl+Shift+A adds a row and starts typing its key; Tab goes on to its value.
    press(focused(), Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    key_cell = focused()
    assert isinstance(key_cell, QLineEdit)
    assert table.isAncestorOf(key_cell)
    QTest.keyClicks(key_cell, "Score")
    press(key_cell, Qt.Key.Key_Tab)
    value_cell = focused()
    assert isinstance(value_cell, QLineEdit)
    assert value_cell is not key_cell
    QTest.keyClicks(value_cell, "100%")

    press(value_cell, Qt.Key.Key_Return, CTRL)
    assert ready_window.busy
    # The cell is closed with what was typed in it, and the table keeps the focus.
    assert focused() is table
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press(table, Qt.Key.Key_Escape)  # Esc cancels the request in flight

    assert ready_window.response.state() == "cancelled"
    assert ready_window.form.attributes.model.rows() == [("Score", "100%")]
    assert ready_window.form.state().attributes == (("Score", "100%"),)
    assert focused() is table


# ---- a send or a search the connection blocks is said --------------------------------------------


def test_a_send_without_an_api_key_says_why_where_the_focus_went(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, heard
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    key = line_edit(ready_window, "API key")
    key.clear()
    heard.clear()
    press_ctrl_enter(qtbot, ready_window)
    assert focused() is key
    assert said(heard) == ["Not sent: Enter the API key."]
    assert ready_window.statusBar().currentMessage() == "Not sent: Enter the API key."
    assert posts(fresh_sandbox) == []


def test_find_without_an_api_key_says_why(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, heard
) -> None:
    key = line_edit(ready_window, "API key")
    key.clear()
    find = button(ready_window, "Find candidate")
    find.setFocus(Qt.FocusReason.TabFocusReason)
    heard.clear()
    press(find, Qt.Key.Key_Space)
    assert focused() is key
    assert said(heard) == ["To search candidates: Enter the API key."]


def test_retry_without_an_api_key_says_why(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, heard
) -> None:
    retry = fail_once_with_retry(qtbot, ready_window, fresh_sandbox)
    key = line_edit(ready_window, "API key")
    key.clear()
    assert retry.isVisible()
    retry.setFocus(Qt.FocusReason.TabFocusReason)
    heard.clear()
    press(retry, Qt.Key.Key_Space)
    assert focused() is key
    assert said(heard) == ["Not sent again: Enter the API key."]
    assert len(posts(fresh_sandbox)) == 1


def test_a_send_with_a_profile_without_a_key_says_why_on_manage_profiles(
    qtbot, fresh_sandbox: Sandbox, memory_keyring, heard
) -> None:
    sandbox_profile_without_key(fresh_sandbox, "Acme")
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.ask_before_closing_while_sending = False
    wait_exposed(qtbot, window)
    window.activateWindow()
    wait_active(qtbot, window)
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText("Acme"))
    qtbot.waitUntil(lambda: picker.connection_problem() == NO_KEY, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    heard.clear()
    press_ctrl_enter(qtbot, window)
    assert focused() is find_by_accessible_name(window, "Manage profiles", QPushButton)
    assert said(heard) == [f"Not sent: {NO_KEY}"]
    assert posts(fresh_sandbox) == []
    # Space there opens Manage profiles at the key to add (it was ten Tabs away, behind
    # the list of profiles).
    press(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: picker.dialog is not None, timeout=WAIT_MS)
    assert picker.dialog is not None
    key = find_by_accessible_name(picker.dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: focused() is key, timeout=WAIT_MS)
    picker.dialog.reject()


# ---- the Move buttons at the table's edge --------------------------------------------------------


@pytest.mark.parametrize(("name", "row"), [("Move attribute up", 1), ("Move attribute down", 0)])
def test_moving_a_row_to_the_edge_with_its_button_keeps_the_focus_in_the_table(
    qtbot, ready_window: MainWindow, clipboard, name: str, row: int
) -> None:
    paste_attributes(qtbot, ready_window, "A\t1\nB\t2\n")
    table = find_by_accessible_name(ready_window, "Attributes", QTableView)
    editor = ready_window.form.attributes
    cell = table.visualRect(editor.model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    pressed = find_by_accessible_name(ready_window, name, QToolButton)
    assert pressed.isEnabled()
    pressed.setFocus(Qt.FocusReason.TabFocusReason)  # Tab to the button and press it
    press(pressed, Qt.Key.Key_Space)

    assert editor.model.rows() == [("B", "2"), ("A", "1")]
    assert not pressed.isEnabled()  # at the edge: the button went off...
    assert focused() is table  # ...and the table, not "Advanced", has the focus
    assert table.currentIndex().row() == 1 - row  # on the row moved
    press(table, Qt.Key.Key_Up if row == 0 else Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert editor.model.rows() == [("A", "1"), ("B", "2")]  # Alt+arrow moves it back


# ---- Tab through the answer's actions ------------------------------------------------------------


def test_tab_reaches_details_before_retry_as_they_are_laid_out(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    submit_and_wait(qtbot, ready_window)
    details = ready_window.response.details_button
    retry = ready_window.response.retry_button
    assert details.isVisible()
    assert retry.isVisible()
    assert details.mapTo(ready_window, QPoint()).x() < retry.mapTo(ready_window, QPoint()).x()

    button(ready_window, "Submit").setFocus(Qt.FocusReason.TabFocusReason)
    reached: list[QWidget | None] = []
    while retry not in reached and len(reached) < 30:
        press(focused(), Qt.Key.Key_Tab)
        reached.append(focused())
    assert details in reached
    assert reached.index(retry) == reached.index(details) + 1
