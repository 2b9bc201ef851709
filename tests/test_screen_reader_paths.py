"""The main window as a keyboard and screen-reader user meets it: where the focus goes,
and what assistive technology is told (read through ``QAccessible``, as it reads it)."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from kombo_desktop.qt import response_panel
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.response_panel import ResponsePanel
from kombo_desktop.qt.spoken import announce
from kombo_desktop.sandbox import Fault
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
)
from tests.qt_helpers import (
    description_of,
    find_by_accessible_name,
    focused,
    name_of,
    press_on_focus,
)

#: Longer than Greenhouse shows: Kombo answers with a warning that ends in a full stop.
LONG_LABEL = "Assessment Result of the extended technical interview, part two of three"


def remote_fields_opened(qtbot, window: MainWindow, *, icims: str, json_text: str) -> None:
    """Open Advanced, type into the iCIMS field and the JSON editor, close Advanced again."""
    toggle = window.form.remote_fields.toggle
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    if icims:
        icims_field = find_by_accessible_name(window, "iCIMS assessment package ID", QLineEdit)
        icims_field.setFocus()
        qtbot.keyClicks(icims_field, icims)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClicks(editor, json_text)
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert not window.form.remote_fields.is_expanded()


# ---- a blocked send goes to the input at fault ----------------------------------------------


def test_a_blocked_send_focuses_the_attributes_table_on_the_row_at_fault(
    qtbot, ready_window, fresh_sandbox
):
    fill_form(
        qtbot,
        ready_window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes="Score\t1\nScore\t2\n",
    )
    press_ctrl_enter(qtbot, ready_window)

    table = find_by_accessible_name(ready_window, "Attributes", QTableView)
    assert focused() is table
    assert description_of(table).startswith("1 problem: duplicate key “Score” (row 2)")
    assert table.currentIndex().row() == 1
    assert posts(fresh_sandbox) == []


def test_a_blocked_send_opens_advanced_and_focuses_the_json_editor(
    qtbot, ready_window, fresh_sandbox
):
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    remote_fields_opened(qtbot, ready_window, icims="", json_text='{"icims": ')
    press_ctrl_enter(qtbot, ready_window)

    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)
    assert focused() is editor
    assert editor.isVisible()
    assert ready_window.form.remote_fields.is_expanded()
    assert description_of(editor).startswith("Not valid JSON")
    assert posts(fresh_sandbox) == []


def test_a_blocked_send_focuses_the_typed_field_in_conflict_with_the_json(
    qtbot, ready_window, fresh_sandbox
):
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    remote_fields_opened(
        qtbot, ready_window, icims="1234", json_text='{"icims": {"assessment_package_id": "999"}}'
    )
    press_ctrl_enter(qtbot, ready_window)

    field = find_by_accessible_name(ready_window, "iCIMS assessment package ID", QLineEdit)
    assert focused() is field
    assert field.isVisible()
    assert "“icims.assessment_package_id” is set both" in description_of(field)
    assert posts(fresh_sandbox) == []

    # Once the conflict is gone, the field says nothing more about it.
    field.clear()
    qtbot.keyClicks(field, "999")
    assert description_of(field) == ""


# ---- the answer to a send is announced ------------------------------------------------------


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget, str]]:
    """What the response panel announces, in order (``announce`` itself is tested below)."""
    heard: list[tuple[QWidget, str]] = []
    monkeypatch.setattr(
        response_panel, "announce", lambda widget, text: heard.append((widget, text))
    )
    return heard


def test_a_successful_send_is_announced_with_its_summary_once(
    qtbot, ready_window, fresh_sandbox, announced
):
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox), label=LONG_LABEL)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)

    summary = ready_window.response.summary_text()
    assert summary.startswith("Success")
    assert "1 warning from Kombo" in summary
    assert announced == [(ready_window.response, summary)]  # "Sending…" is not announced


def test_the_spoken_summary_has_one_full_stop_after_a_warning(qtbot, ready_window, fresh_sandbox):
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox), label=LONG_LABEL)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
    spoken = description_of(ready_window.response)
    assert spoken == ready_window.response.summary_text()
    assert "so it may be cut off. HTTP 200" in spoken
    assert ".." not in spoken


def test_an_error_and_a_cancellation_are_announced(qtbot, announced):
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.show_sending("POST …")
    panel.show_progress("Waiting…")
    assert announced == []

    panel.show_error(RuntimeError("boom"))
    panel.show_cancelled()
    panel.show_cancelled_before_sending()
    texts = [text for widget, text in announced if widget is panel]
    assert len(texts) == 3
    assert texts[0].startswith("Error")
    assert texts[1].startswith("Cancelled")
    assert texts[2] == "Cancelled. Nothing was sent."
    assert texts[2] == description_of(panel)


def test_announce_hands_the_text_to_assistive_technology_with_or_without_announcements(
    qtbot, monkeypatch: pytest.MonkeyPatch
):
    label = QLabel("answer")
    qtbot.addWidget(label)
    sent: list[tuple[str, QObject | None]] = []

    def record(event: QAccessibleEvent) -> None:
        text = getattr(event, "message", None)
        sent.append((text() if callable(text) else str(event.type()), event.object()))

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    announce(label, "Success: the result link was added.")
    # PySide6 before 6.8 has no announcement event: the panel's description is raised.
    monkeypatch.delattr(QtGui, "QAccessibleAnnouncementEvent", raising=False)
    announce(label, "Error: Kombo refused the request.")

    assert sent[0] == ("Success: the result link was added.", label)
    fallback_type, fallback_object = sent[1]
    assert "DescriptionChanged" in fallback_type
    assert fallback_object is label
    assert len(sent) == 2


# ---- labels say what they show --------------------------------------------------------------


def test_the_submit_hint_and_the_response_labels_read_out_what_they_show(
    qtbot, ready_window, fresh_sandbox
):
    hint = find_by_accessible_name(ready_window, "Submit hint", QLabel)
    assert hint.text()
    assert description_of(hint) == hint.text()

    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox), label=LONG_LABEL)
    assert hint.text() == "Ready to send (Ctrl+Enter)."
    assert description_of(hint) == hint.text()

    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
    warnings = find_by_accessible_name(ready_window, "Warnings from Kombo", QLabel)
    spoken = description_of(warnings)
    assert "so it may be cut off." in spoken
    assert "<" not in spoken  # the list's markup is not spelled out
    facts = find_by_accessible_name(ready_window, "Response facts", QLabel)
    assert "HTTP" in description_of(facts)
    assert "<" not in description_of(facts)

    # A new send clears them, and what they said goes with it.
    qtbot.keyClicks(line_edit(ready_window, "Label"), "!")
    fresh_sandbox.set_latency(3000)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
        assert description_of(facts) == ""
        assert description_of(warnings) == ""
        ready_window.cancel()


# ---- after a send, the focus stays with the actions -----------------------------------------


def submit_from_the_keyboard(qtbot, window: MainWindow) -> None:
    submit = button(window, "Submit")
    assert submit.isEnabled(), submit.toolTip()
    submit.setFocus()
    qtbot.keyClick(submit, Qt.Key.Key_Space)
    assert window.busy


def test_after_a_success_the_focus_goes_to_next_candidate(qtbot, ready_window, fresh_sandbox):
    fresh_sandbox.set_latency(300)
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        submit_from_the_keyboard(qtbot, ready_window)
        # Submit went off as the send started: Cancel took the focus.
        assert focused() is button(ready_window, "Cancel")

    assert ready_window.response.state() == "success"
    next_button = button(ready_window, "Next candidate")
    assert focused() is next_button


def test_cancelling_with_the_cancel_button_puts_the_focus_back_on_submit(
    qtbot, ready_window, fresh_sandbox
):
    fresh_sandbox.set_latency(3000)
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    submit_from_the_keyboard(qtbot, ready_window)
    cancel = button(ready_window, "Cancel")
    assert focused() is cancel
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_on_focus(qtbot, Qt.Key.Key_Space)

    assert ready_window.response.state() == "cancelled"
    submit = button(ready_window, "Submit")
    assert focused() is submit


def test_when_submit_is_off_after_a_send_the_focus_goes_to_the_problem(
    qtbot, ready_window, fresh_sandbox
):
    # The form lost its ID while the request was on its way (a pick in Find… that went
    # wrong, the focus still on Cancel): Submit comes back off, and the focus goes where
    # the fix is needed.
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    fresh_sandbox.set_latency(300)
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        submit_from_the_keyboard(qtbot, ready_window)
        ready_window.form.set_target_id("")
        assert focused() is button(ready_window, "Cancel")

    assert not button(ready_window, "Submit").isEnabled()
    assert focused() is line_edit(ready_window, "Target ID")


def test_a_send_started_from_a_field_leaves_the_focus_there(qtbot, ready_window, fresh_sandbox):
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
    assert focused() is line_edit(ready_window, "Result URL")


# ---- tab stops and names --------------------------------------------------------------------


def test_tab_from_advanced_reaches_a_named_control_not_the_scroll_area(qtbot, ready_window):
    toggle = ready_window.form.remote_fields.toggle
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Tab)
    landed = focused()
    assert landed is not None
    assert name_of(landed) == "Request preview"  # Submit is off: the form is empty


def test_every_tab_stop_of_the_window_has_a_name(qtbot, ready_window):
    line_edit(ready_window, "Target ID").setFocus()
    seen: list[QWidget] = []
    for _ in range(60):
        widget = focused()
        assert widget is not None
        if widget in seen:
            break
        seen.append(widget)
        assert name_of(widget), f"unnamed tab stop: {type(widget).__name__}"
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert len(seen) > 10


def test_the_target_type_combo_is_labelled_target_and_the_id_keeps_its_name(ready_window):
    combo = find_by_accessible_name(ready_window, "Target type", QComboBox)
    interface = QAccessible.queryAccessibleInterface(combo)
    labels = [
        other.text(QAccessible.Text.Name)
        for other, _relation in interface.relations(QAccessible.RelationFlag.Label)
    ]
    assert labels == ["Target:"]
    assert name_of(line_edit(ready_window, "Target ID")) == "Target ID"
