"""The main window against the real sandbox over HTTP: typing, pasting, sending, answers."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, Fault
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import raw_view

LONG_LABEL = "Assessment Result of the extended technical interview, part two of three"
LONG_PREFIX = "Acme Assessments Incorporated:"


def test_every_input_and_action_has_its_accessible_name(window):
    for name in (
        "Target type",
        "Target ID",
        "Find candidate",
        "Label",
        "Result URL",
        "Custom field name prefix",
        "Attributes",
        "Add attribute",
        "Remove attribute",
        "Remote fields JSON",
        "Submit",
        "Cancel",
        "Next candidate",
        "Copy as curl",
        "Response",
        "Request preview",
        "Region",
        "Base URL",
        "Integration ID",
        "API key",
    ):
        find_by_accessible_name(window, name)
    assert window.windowTitle() == "Kombo Desktop"


def test_typed_form_with_pasted_attributes_is_sent_exactly_and_success_shown(
    qtbot, window, fresh_sandbox
):
    target = candidate_id(fresh_sandbox)
    links_before = len(fresh_sandbox.result_links(target))
    fill_form(
        qtbot,
        window,
        target_id=target,
        label="Assessment Result",
        url="https://example.com/results/5Bt",
        prefix="Acme:",
        attributes="Score\t100%\nTime\t2:30h\n",
    )
    submit_and_wait(qtbot, window)

    expected = {
        "label": "Assessment Result",
        "url": "https://example.com/results/5Bt",
        "details": {
            "custom_field_name_prefix": "Acme:",
            "attributes": [{"key": "Score", "value": "100%"}, {"key": "Time", "value": "2:30h"}],
        },
    }
    sent = posts(fresh_sandbox)
    assert len(sent) == 1
    assert sent[-1].path == f"/v1/ats/candidates/{target}/result-links"
    assert sent[-1].json() == expected
    links = fresh_sandbox.result_links(target)
    assert len(links) == links_before + 1
    assert links[-1] == expected
    summary = window.response.summary_text()
    assert summary.startswith("Success")
    assert summary.count("Success") == 1  # said once, not "Success. Success: …"
    # On screen too: the title says "Success", the text goes on from there.
    shown = [window.response.findChild(QLabel, n).text() for n in ("outcomeTitle", "outcomeText")]
    assert shown == ["Success", f"The result link was added to candidate {target}."]
    assert "HTTP 200" in summary
    assert window.response.accessibleDescription() == summary
    # The preview showed exactly the body that went over the wire.
    assert json.loads(window.preview.body_text()) == expected


def test_warnings_are_all_listed_with_their_count(qtbot, window, fresh_sandbox):
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        label=LONG_LABEL,
        prefix=LONG_PREFIX,
        attributes="Score\t97%\n",
    )
    submit_and_wait(qtbot, window)
    answer = json.loads(window.response.raw_text())
    warnings = [w["message"] for w in answer["warnings"]]
    assert len(warnings) == 2
    summary = window.response.summary_text()
    assert "Success" in summary
    assert "2 warnings from Kombo" in summary
    for message in warnings:
        assert message in summary
    warnings_view: QWidget = find_by_accessible_name(window, "Warnings from Kombo")
    assert warnings_view.isVisible()
    # The status bar says them too. Before: "Result link added to candidate …." alone.
    assert window.statusBar().currentMessage() == (
        f"Result link added to candidate {candidate_id(fresh_sandbox)}, with 2 warnings from Kombo."
    )


def test_warnings_are_shown_without_control_characters_or_keys(qtbot, window, fresh_sandbox):
    # A custom base URL or a proxy may answer with warnings of its own: shown as every
    # message quotes such words, a key masked and no escape sequence left.
    key = "ks_live_" + "k" * 32
    warning = f"Careful\x1b]0;pwned\x07 {key}\x9b2J"
    answer = {"status": "success", "data": {}, "warnings": [{"message": warning}]}
    fresh_sandbox.inject_fault(Fault.raw(json.dumps(answer)))
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    warnings_view: QLabel = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    for shown in (summary, warnings_view.text()):
        assert "Careful]0;pwned" in shown
        assert key not in shown
        assert not any(char in shown for char in "\x1b\x07\x9b"), repr(shown)


def test_ctrl_enter_and_ctrl_return_submit(qtbot, window, fresh_sandbox):
    target = candidate_id(fresh_sandbox)
    links_before = len(fresh_sandbox.result_links(target))
    fill_form(qtbot, window, target_id=target)
    label = line_edit(window, "Label")
    label.setFocus()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(label, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Success" in window.response.summary_text()
    qtbot.keyClicks(label, " 2")  # another link: the same one again would be asked about
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(label, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert len(fresh_sandbox.result_links(target)) == links_before + 2
    assert len(posts(fresh_sandbox)) == 2


def _add_attribute_and_type_key(qtbot, window: MainWindow, key: str) -> QLineEdit:
    """Add a row with the button, type its key and Tab: returns the value's open editor."""
    add = find_by_accessible_name(window, "Add attribute", QToolButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    key_cell = QApplication.focusWidget()
    assert isinstance(key_cell, QLineEdit)
    qtbot.keyClicks(key_cell, key)
    qtbot.keyClick(key_cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() not in (key_cell, None))
    value_cell = QApplication.focusWidget()
    assert isinstance(value_cell, QLineEdit)
    return value_cell


def test_ctrl_enter_in_an_open_cell_editor_sends_what_is_typed(qtbot, window, fresh_sandbox):
    target = candidate_id(fresh_sandbox)
    fill_form(qtbot, window, target_id=target, prefix="Acme:")
    cell = _add_attribute_and_type_key(qtbot, window, "Score")
    qtbot.keyClicks(cell, "100%")
    assert window.form.attributes.view.state() == QAbstractItemView.State.EditingState
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(cell, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    sent = posts(fresh_sandbox)
    assert len(sent) == 1
    assert sent[-1].json()["details"]["attributes"] == [{"key": "Score", "value": "100%"}]
    assert fresh_sandbox.result_links(target)[-1]["details"]["attributes"] == [
        {"key": "Score", "value": "100%"}
    ]
    assert window.response.summary_text().startswith("Success")
    # The preview shows the body that was sent, typed value included.
    assert json.loads(window.preview.body_text()) == sent[-1].json()


def test_closing_with_a_cell_still_being_edited_keeps_its_text_in_the_draft(qtbot, window):
    type_into(qtbot, window, "Label", "Coding test")
    cell = _add_attribute_and_type_key(qtbot, window, "Level")
    # The draft takes the key; then no save is due any more when the value is typed.
    qtbot.waitUntil(lambda: not window.drafts.pending, timeout=WAIT_MS)
    qtbot.keyClicks(cell, "Senior")
    assert window.form.attributes.view.state() == QAbstractItemView.State.EditingState
    window.close()
    draft = DraftStore().load()
    assert draft is not None
    assert draft.label == "Coding test"
    assert draft.attributes == (("Level", "Senior"),)


def test_application_target_goes_to_the_application_endpoint(qtbot, window, fresh_sandbox):
    application_id = fresh_sandbox.candidates[0]["applications"][0]["id"]
    links_before = len(fresh_sandbox.result_links(application_id))
    kind = find_by_accessible_name(window, "Target type", QComboBox)
    kind.setFocus()
    kind.setCurrentIndex(kind.findData(TargetKind.APPLICATION.value))
    fill_form(qtbot, window, target_id=application_id)
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].path == f"/v1/ats/applications/{application_id}/result-links"
    assert len(fresh_sandbox.result_links(application_id)) == links_before + 1


def test_remote_fields_json_is_merged_into_the_body(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClicks(editor, '{"workable": {"on_behalf_of_user_remote_id": "u-7"}}')
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["remote_fields"] == {
        "workable": {"on_behalf_of_user_remote_id": "u-7"}
    }


def test_invalid_remote_json_blocks_submit_and_says_why(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClicks(editor, '{"workable": ')
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert "Remote fields" in submit.toolTip()
    window.form.request_submit()  # what Ctrl+Enter does
    assert not window.busy
    assert not posts(fresh_sandbox)


def test_empty_attribute_rows_are_ignored(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    window.form.attributes.model.set_rows([("", ""), ("Score", "1"), ("  ", "")])
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "1"}
    ]


def test_duplicate_attribute_keys_block_submit_and_say_why(qtbot, window, fresh_sandbox):
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes="Score\t1\nScore\t2\n",
    )
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert "Attributes, row 2" in submit.toolTip()
    assert "Score" in submit.toolTip()
    assert window.form.attributes.model.problems()  # the table marks the row itself
    window.form.request_submit()  # what Ctrl+Enter does
    assert not window.busy
    assert not posts(fresh_sandbox)


def test_copy_as_curl_never_carries_the_key(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    copy = button(window, "Copy as curl")
    assert copy.isEnabled()
    assert "POSIX shell (bash, zsh)" in copy.toolTip()  # not for cmd or PowerShell
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "$KOMBO_API_KEY" in text
    assert DEMO_API_KEY not in text
    assert f"{fresh_sandbox.base_url}/ats/candidates/" in text
    assert "curl -X POST" in text


def test_copy_response_copies_the_raw_answer(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["status"] == "success"


def test_paste_into_url_trims_and_splits_label_and_url(qtbot, window):
    url = line_edit(window, "Result URL")
    url.setFocus()
    QGuiApplication.clipboard().setText("  https://example.com/r/1 \r\n")
    qtbot.keyClick(url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert url.text() == "https://example.com/r/1"

    QGuiApplication.clipboard().setText("Coding test\thttps://example.com/r/2\n")
    qtbot.keyClick(url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert url.text() == "https://example.com/r/2"
    assert line_edit(window, "Label").text() == "Coding test"


def test_bad_url_is_marked_at_the_field_and_kept(qtbot, window, fresh_sandbox):
    submit = button(window, "Submit")
    # An untouched form stays quiet but cannot be sent, and says what is missing.
    assert not submit.isEnabled()
    assert "Target ID is required" in submit.toolTip()
    assert window.form.error_text("url") == ""
    assert window.form.error_text("label") == ""

    type_into(qtbot, window, "Result URL", "example.com/results/1")
    message = find_by_accessible_name(window, "Result URL problem", QLabel)
    assert message.isVisible()
    assert message.text().startswith("Result URL must start with https://")
    assert window.form.is_marked_invalid("url")
    assert not window.form.is_marked_invalid("label")
    assert line_edit(window, "Result URL").text() == "example.com/results/1"
    assert "Result URL must start with https://" in submit.toolTip()
    assert not submit.isEnabled()
    assert window.form.error_text("label") == ""  # still untouched

    # A send attempt (Ctrl+Enter) shows every problem and sends nothing.
    qtbot.keyClick(
        line_edit(window, "Result URL"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert window.form.error_text("label") == "Label is required"
    assert window.form.error_text("target_id") == "Target ID is required"
    assert not window.busy
    assert not posts(fresh_sandbox)

    # Fixing the URL clears its message.
    field = line_edit(window, "Result URL")
    field.selectAll()
    qtbot.keyClicks(field, "https://example.com/results/1")
    assert window.form.error_text("url") == ""
    assert not window.form.is_marked_invalid("url")


def test_prefix_is_required_once_attributes_are_typed(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), attributes="Score\t1\n")
    assert "Custom field name prefix is required" in window.form.error_text(
        "custom_field_name_prefix"
    )
    assert not button(window, "Submit").isEnabled()


def test_missing_key_blocks_submit_and_names_it(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    key = line_edit(window, "API key")
    key.clear()
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert "Enter the API key" in submit.toolTip()
    key.setText(DEMO_API_KEY)
    assert submit.isEnabled()


def test_next_candidate_keeps_what_repeats(qtbot, window, fresh_sandbox):
    next_button = button(window, "Next candidate")
    assert not next_button.isEnabled()
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        url="https://example.com/r/1",
        prefix="Acme:",
        attributes="Score\t1\nTime\t2h\n",
    )
    submit_and_wait(qtbot, window)
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    state = window.form.state()
    assert state.target_id == ""
    assert state.url == ""
    assert state.label == "Assessment Result"
    assert state.prefix == "Acme:"
    assert state.attributes == (("Score", ""), ("Time", ""))
    assert line_edit(window, "Target ID").hasFocus()
    assert not next_button.isEnabled()
    # The cleared fields are not shouted at.
    assert window.form.error_text("target_id") == ""
    assert window.form.error_text("url") == ""


def test_response_body_and_details_views_are_read_only(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    body = raw_view(window)
    assert body.isReadOnly()
    preview = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    assert preview.isReadOnly()


def test_about_names_the_version(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    from kombo_desktop import __version__

    window.show_about()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    assert __version__ in box.text()
    box.close()


def test_the_connection_fields_open_on_the_start_of_what_they_hold(window):
    # The demo fills the bar; a narrow field must show "greenhouse:…", not its tail.
    for name in ("Base URL", "Integration ID", "API key"):
        field = line_edit(window, name)
        assert field.text()
        assert field.cursorPosition() == 0, name
        assert field.cursorRect().left() < field.fontMetrics().averageCharWidth(), name
