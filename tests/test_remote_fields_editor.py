"""The advanced ATS-specific section with real widgets (qt/remote_fields_editor.py)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.core.models import ResultLinkRequest
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.remote_fields_editor import RemoteFieldsEditor
from kombo_desktop.qt.result_link_form import ResultLinkForm
from tests.qt_helpers import find_by_accessible_name, wait_exposed
from tests.remote_fields_support import form_with_advanced_open, large_json, paste


@pytest.fixture
def editor(qtbot) -> RemoteFieldsEditor:
    widget = RemoteFieldsEditor()
    qtbot.addWidget(widget)
    widget.show()
    wait_exposed(qtbot, widget)
    return widget


def _named(editor: QWidget, kind: type[QWidget], name: str) -> Any:
    return find_by_accessible_name(editor, name, kind)


def _select(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_collapsed_by_default_and_toggled_by_the_header(qtbot, editor: RemoteFieldsEditor) -> None:
    toggle = _named(editor, QToolButton, "Advanced")
    json_editor = _named(editor, QPlainTextEdit, "Remote fields JSON")
    assert not editor.is_expanded()
    assert not json_editor.isVisible()
    assert toggle.text() == "Advanced: ATS-specific fields"
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert editor.is_expanded()
    assert json_editor.isVisible()
    editor.set_expanded(False)
    assert not json_editor.isVisible()


def test_typed_inputs_produce_the_nested_remote_fields(qtbot, editor: RemoteFieldsEditor) -> None:
    editor.set_expanded(True)
    with qtbot.waitSignal(editor.changed, timeout=1000):
        QTest.keyClicks(_named(editor, QLineEdit, "Greenhouse On-Behalf-Of user ID"), "123")
    QTest.keyClicks(_named(editor, QLineEdit, "iCIMS assessment package ID"), "pkg 7")
    QTest.keyClicks(_named(editor, QLineEdit, "Workable on-behalf-of user ID"), "wk-1")
    _select(_named(editor, QComboBox, "Oracle document category"), "IRC_CANDIDATE_COVERLETTER")
    _select(_named(editor, QComboBox, "Oracle multi-post to all current applications"), "No")

    value = editor.value()
    assert editor.error() is None
    request = ResultLinkRequest.from_form(
        label="Result", url="https://example.com/r", remote_fields=value.to_remote_fields()
    )
    assert request.to_body()["remote_fields"] == {
        "icims": {"assessment_package_id": "pkg 7"},
        "oracle": {
            "override_document_category": "IRC_CANDIDATE_COVERLETTER",
            "multi_post_to_all_current_applications": False,
        },
        "greenhouse": {"post_headers": {"On-Behalf-Of": "123"}},
        "workable": {"on_behalf_of_user_remote_id": "wk-1"},
    }


def test_not_set_choices_send_nothing(editor: RemoteFieldsEditor) -> None:
    assert editor.value() == RemoteFieldsInput()
    assert editor.value().to_remote_fields() is None
    category = _named(editor, QComboBox, "Oracle document category")
    multi_post = _named(editor, QComboBox, "Oracle multi-post to all current applications")
    assert category.currentText() == "(not set)"
    assert multi_post.currentText() == "(not set)"
    _select(multi_post, "Yes")
    assert editor.value().to_remote_fields() == {
        "oracle": {"multi_post_to_all_current_applications": True}
    }


def test_invalid_json_shows_line_and_column_and_marks_the_editor(
    qtbot, editor: RemoteFieldsEditor
) -> None:
    editor.set_expanded(True)
    json_editor = _named(editor, QPlainTextEdit, "Remote fields JSON")
    error_label = _named(editor, QLabel, "Remote fields error")
    assert not error_label.isVisible()
    json_editor.setFocus()
    QTest.keyClicks(json_editor, '{"icims": {"assessment_package_id": "1"}')
    qtbot.waitUntil(lambda: error_label.isVisible())
    assert "line 1, column 41" in error_label.text()
    assert editor.error() == error_label.text()
    assert json_editor.property("invalid") is True

    QTest.keyClicks(json_editor, "}")
    qtbot.waitUntil(lambda: not error_label.isVisible())
    assert editor.error() is None
    assert json_editor.property("invalid") is False
    assert editor.value().to_remote_fields() == {"icims": {"assessment_package_id": "1"}}


def test_json_font_is_monospace_and_has_an_example(editor: RemoteFieldsEditor) -> None:
    json_editor = _named(editor, QPlainTextEdit, "Remote fields JSON")
    assert json_editor.fontInfo().fixedPitch()
    assert "{" in json_editor.placeholderText()


def test_conflict_between_json_and_typed_field_is_shown(editor: RemoteFieldsEditor) -> None:
    editor.set_value(
        RemoteFieldsInput(
            workable_on_behalf_of_user_remote_id="a",
            raw_json='{"workable": {"on_behalf_of_user_remote_id": "b"}}',
        )
    )
    error = editor.error()
    assert error is not None
    assert "“workable.on_behalf_of_user_remote_id”" in error


def test_collapsed_section_with_content_says_how_much_is_set(editor: RemoteFieldsEditor) -> None:
    toggle = _named(editor, QToolButton, "Advanced")
    editor.set_value(
        RemoteFieldsInput(greenhouse_on_behalf_of="123", raw_json='{"lever": {"x": "y"}}')
    )
    assert not editor.is_expanded()
    assert toggle.text() == "Advanced: ATS-specific fields (2 set)"
    editor.set_expanded(True)
    assert toggle.text() == "Advanced: ATS-specific fields"
    editor.set_expanded(False)
    assert toggle.text() == "Advanced: ATS-specific fields (2 set)"
    editor.set_value(RemoteFieldsInput())
    assert toggle.text() == "Advanced: ATS-specific fields"


def test_an_error_opens_the_collapsed_section(editor: RemoteFieldsEditor) -> None:
    assert not editor.is_expanded()
    editor.set_value(RemoteFieldsInput(raw_json="[1, 2"))
    assert editor.is_expanded()
    assert _named(editor, QLabel, "Remote fields error").isVisible()
    # Closing it again is the person's choice; the header still counts the content.
    editor.set_expanded(False)
    assert "(1 set)" in editor.header_text()


def test_set_value_round_trips_and_emits_changed_once(qtbot, editor: RemoteFieldsEditor) -> None:
    value = RemoteFieldsInput(
        icims_assessment_package_id="p",
        oracle_override_document_category="MISC",
        oracle_multi_post_to_all_current_applications=True,
        greenhouse_on_behalf_of="7",
        workable_on_behalf_of_user_remote_id="w",
        raw_json='{"lever": {"a": 1}}',
    )
    emitted = []
    editor.changed.connect(lambda: emitted.append(1))
    editor.set_value(value)
    assert editor.value() == value
    assert len(emitted) == 1


# ---- a large JSON, pasted into the form ----------------------------------------------------

#: The typed inputs, as the person fills them in before pasting a large JSON.
_TYPED = RemoteFieldsInput(
    icims_assessment_package_id="pkg-1",
    oracle_override_document_category="MISC",
    oracle_multi_post_to_all_current_applications=True,
    greenhouse_on_behalf_of="4080",
)
_CONFLICT_KEY = "“workable.on_behalf_of_user_remote_id”"


@pytest.fixture
def form(qtbot: QtBot) -> ResultLinkForm:
    """A shown form whose validation is ready, with the advanced section open."""
    return form_with_advanced_open(qtbot, _TYPED)


def test_a_conflict_at_the_end_of_a_large_json_marks_the_typed_input_and_keeps_the_text(
    form: ResultLinkForm, clipboard: QClipboard
) -> None:
    editor = form.remote_fields
    text = large_json(last_member='"workable": {"on_behalf_of_user_remote_id": "from-json"}')
    assert len(text) > 1_000_000
    paste(editor.raw_json, clipboard, text)
    assert editor.error() is None
    workable = _named(editor, QLineEdit, "Workable on-behalf-of user ID")
    workable.setFocus()
    QTest.keyClicks(workable, "typed")

    error = editor.error()
    assert error is not None
    assert _CONFLICT_KEY in error
    # The input typed last is the one at fault, and says why; the other typed inputs,
    # set too, are not marked.
    assert is_marked(workable)
    assert workable.accessibleDescription() == error
    assert not is_marked(_named(editor, QLineEdit, "iCIMS assessment package ID"))
    assert not is_marked(_named(editor, QLineEdit, "Greenhouse On-Behalf-Of user ID"))
    assert _named(editor, QLabel, "Remote fields error").text() == error
    assert editor.focus_problem() is workable
    # Submit says what is wrong.
    assert not form.submit_button.isEnabled()
    assert _CONFLICT_KEY in form.submit_button.toolTip()
    # The megabyte pasted is kept as it is, in the editor and in what the form holds.
    assert editor.raw_json.toPlainText() == text
    assert form.state().remote_fields.raw_json == text
    assert form.state().remote_fields.workable_on_behalf_of_user_remote_id == "typed"
