"""Shared by the tests of the "Remote fields JSON" editor in a form: a large JSON as another
ATS's export brings it, a paste and a cursor put in it, a form with the advanced section
open, and the section's inputs found by the names they are shown under."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.result_link_form import ResultLinkForm
from tests.qt_helpers import find_by_accessible_name, shown_form


def large_json(fields: int = 11_000, last_member: str = "") -> str:
    """Another ATS's custom fields, pretty-printed as pasted (about a megabyte with the
    default ``fields``), with ``last_member`` (JSON text) as the object's last member."""
    custom = {
        f"custom_field_{n:05d}": {"label": f"Question {n}", "value": f"answer {n} " * 4, "n": n}
        for n in range(fields)
    }
    text = json.dumps({"lever": {"custom": custom}}, indent=2)
    return text[:-2] + (f",\n  {last_member}\n}}" if last_member else "\n}")


def paste(editor: QPlainTextEdit, clipboard: QClipboard, text: str) -> None:
    """Put ``text`` on the clipboard and press Ctrl+V in ``editor``."""
    clipboard.setText(text)
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def put_cursor(editor: QPlainTextEdit, position: int) -> None:
    """Move ``editor``'s text cursor to ``position``, as a click there does."""
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)


def form_with_advanced_open(qtbot: QtBot, typed: RemoteFieldsInput) -> ResultLinkForm:
    """A shown form whose validation is ready, filled in with the inputs ``typed`` in the
    advanced section, and that section open."""
    widget = shown_form(qtbot)
    widget.set_state(
        FormState(
            target_id="8Xi6iZrwusZqJmDGXs49GBmJ",
            label="Assessment Result",
            url="https://example.com/results/1",
            remote_fields=typed,
        )
    )
    widget.remote_fields.set_expanded(True)
    return widget


def paste_over(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Put ``text`` on the clipboard and paste it over what ``edit`` holds (Ctrl+A,
    Ctrl+V), as a person does."""
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def json_editor(root: QWidget) -> QPlainTextEdit:
    """The "Remote fields JSON" editor under ``root``."""
    return find_by_accessible_name(root, "Remote fields JSON", QPlainTextEdit)


def typed_input(root: QWidget, name: str) -> QLineEdit:
    """The advanced section's typed input shown as ``name`` under ``root``."""
    return find_by_accessible_name(root, name, QLineEdit)


def text_in(editor: QPlainTextEdit) -> str:
    """The editor's text with every character as typed or pasted: not ``toPlainText``,
    which writes a no-break space as a space and a line separator as a line break."""
    return editor.document().toRawText().replace("\u2029", "\n")
