"""How the form shows what is wrong: one look for every field at fault, read out to screen
readers, missing fields named in the hint, and attribute rows named as the table shows them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.core.errors import InputError
from kombo_desktop.qt.attributes_model import KEY_COLUMN
from kombo_desktop.qt.result_link_form import ResultLinkForm
from tests.qt_helpers import filled_form_state, find_by_accessible_name, shown_form

TABLE_HINT = "Paste rows from a spreadsheet with Ctrl+V. Ctrl+Tab leaves the table."


@pytest.fixture
def form(qtbot: QtBot) -> ResultLinkForm:
    """A shown form whose validation is ready."""
    return shown_form(qtbot)


def _type(field: QWidget, text: str) -> None:
    field.setFocus()
    QTest.keyClicks(field, text)


def _paste_rows(form: ResultLinkForm, clipboard, block: str) -> None:
    clipboard.setText(block)
    form.attributes.view.setFocus()
    QTest.keyClick(form.attributes.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _delete_row(form: ResultLinkForm, row: int) -> None:
    """Select ``row`` and press Delete, as a person removes a row."""
    view = form.attributes.view
    view.setFocus()
    view.setCurrentIndex(form.attributes.model.index(row, KEY_COLUMN))
    QTest.keyClick(view, Qt.Key.Key_Delete)


def _frame_colour(widget: QWidget) -> QColor:
    """The colour painted on the widget's left edge, half-way down: its frame."""
    image = widget.grab().toImage()
    return image.pixelColor(0, image.height() // 2)


def _text_colour(label: QLabel) -> QColor:
    return label.palette().color(QPalette.ColorRole.WindowText)


def _make_every_kind_of_field_wrong(form: ResultLinkForm, clipboard) -> None:
    _type(form.url, "example.com/results/1")
    _type(form.prefix, "Acme:")
    _paste_rows(form, clipboard, "Score\t1\nScore\t2\n")
    form.remote_fields.set_expanded(True)
    _type(form.remote_fields.raw_json, '{"icims": ')


def test_every_field_at_fault_is_marked_the_same_way(qtbot, form, clipboard) -> None:
    url, table, json_editor = form.url, form.attributes.view, form.remote_fields.raw_json
    unmarked = _frame_colour(form.label)
    _make_every_kind_of_field_wrong(form, clipboard)

    marked = _frame_colour(url)
    assert marked != unmarked
    # One frame colour for a line edit, the table and the JSON editor ...
    assert _frame_colour(table) == marked
    assert _frame_colour(json_editor) == marked
    # ... the same colour for the rows at fault and for every problem text.
    tint = form.attributes.model.data(
        form.attributes.model.index(1, KEY_COLUMN), Qt.ItemDataRole.BackgroundRole
    )
    assert isinstance(tint, QColor)
    assert tint.rgb() == marked.rgb()
    texts = [
        find_by_accessible_name(form, "Result URL problem", QLabel),
        find_by_accessible_name(form, "Attribute problems", QLabel),
        find_by_accessible_name(form, "Remote fields error", QLabel),
    ]
    assert all(label.isVisible() for label in texts)
    assert {_text_colour(label).rgb() for label in texts} == {marked.rgb()}

    # Fixed, each loses its frame.
    url.selectAll()
    qtbot.keyClicks(url, "https://example.com/results/1")
    _delete_row(form, 1)
    assert form.attributes.model.rows() == [("Score", "1")]
    QTest.keyClicks(json_editor, '{"assessment_package_id": "7"}}')
    qtbot.waitUntil(lambda: form.remote_fields.error() is None)
    for widget in (url, table, json_editor):
        assert _frame_colour(widget) != marked, widget.accessibleName()
        assert widget.property("invalid") is False


def test_a_screen_reader_hears_why_a_field_is_wrong(qtbot, form, clipboard) -> None:
    url, table, json_editor = form.url, form.attributes.view, form.remote_fields.raw_json
    _make_every_kind_of_field_wrong(form, clipboard)

    # Each input says what the text next to it says.
    assert url.accessibleDescription() == form.error_text("url")
    assert url.accessibleDescription().startswith("Result URL must start with https://")
    problems = find_by_accessible_name(form, "Attribute problems", QLabel).text()
    assert problems == "1 problem: duplicate key “Score” (row 2)"
    # The table keeps saying how to use it, after the problem.
    assert table.accessibleDescription().startswith(problems + "\n")
    assert table.accessibleDescription().endswith(TABLE_HINT)
    assert json_editor.accessibleDescription() == form.remote_fields.error()
    assert "line 1" in json_editor.accessibleDescription()

    url.selectAll()
    qtbot.keyClicks(url, "https://example.com/results/1")
    _delete_row(form, 1)
    assert url.accessibleDescription() == ""
    assert not table.accessibleDescription().startswith("1 problem")
    assert table.accessibleDescription().endswith(TABLE_HINT)


def test_the_hint_names_every_missing_field_and_only_those(qtbot, form, clipboard) -> None:
    assert form.hint.text() == "Fill in Target ID, Label and Result URL to send."
    _type(form.target_id, "8Xi6iZrwusZqJmDGXs49GBmJ")
    _type(form.label, "Assessment Result")
    _type(form.url, "https://example.com/results/1")
    assert form.hint.text() == "Ready to send (Ctrl+Enter)."

    # Attributes need a prefix: a missing one is named like any other missing field.
    _paste_rows(form, clipboard, "Score\t1\n")
    assert form.hint.text() == "Fill in Custom field name prefix to send."
    assert form.error_text("custom_field_name_prefix").startswith(
        "Custom field name prefix is required when attributes are given"
    )

    # A field that holds something wrong is not "missing": the hint says what is wrong.
    _type(form.prefix, "Acme:")
    form.url.selectAll()
    qtbot.keyClicks(form.url, "example.com")
    assert form.hint.text() == form.error_text("url")
    assert not form.submit_button.isEnabled()

    # Missing fields beside a wrong one: filling them in must not look like enough.
    form.target_id.selectAll()
    _type(form.target_id, "\b")
    assert form.hint.text() == "Fill in Target ID and correct Result URL to send."
    # The connection blocks too (no API key): that is named as well.
    form.set_external_problem("Connection: Enter the API key")
    assert form.hint.text() == (
        "Fill in Target ID, correct Result URL and set up the connection to send."
    )


def test_a_restored_form_with_attributes_but_no_prefix_says_so_at_the_prefix(form) -> None:
    form.set_state(filled_form_state(attributes=(("Score", "100%"),)))
    assert form.hint.text() == "Fill in Custom field name prefix to send."
    assert form.error_text("custom_field_name_prefix").startswith(
        "Custom field name prefix is required when attributes are given"
    )
    assert form.is_marked_invalid("custom_field_name_prefix")


def test_each_field_is_called_on_screen_what_its_messages_call_it(qtbot, form, clipboard) -> None:
    # "Fill in Custom field name prefix" must lead to a caption that says just that.
    _paste_rows(form, clipboard, "Score\t1\n")
    named = {
        "Label": form.label,
        "Result URL": form.url,
        "Custom field name prefix": form.prefix,
    }
    for name, field in named.items():
        captions = [label for label in form.findChildren(QLabel) if label.buddy() is field]
        assert [caption.text() for caption in captions] == [f"{name}:"]
        assert field.accessibleName() == name
        assert captions[0].width() >= captions[0].sizeHint().width()  # not cut off
    assert form.hint.text().endswith(" and Custom field name prefix to send.")


def _retype_key(qtbot: QtBot, form: ResultLinkForm, row: int, key: str) -> None:
    """Edit the key cell of ``row`` in the table as a person does: type over it, Enter."""
    view = form.attributes.view
    index = form.attributes.model.index(row, KEY_COLUMN)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in view.viewport().findChildren(QLineEdit)))
    cell = next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())
    cell.selectAll()
    QTest.keyClicks(cell, key)
    QTest.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.attributes.model.rows()[row][0] == key)


def test_attribute_problems_name_the_row_the_table_shows(qtbot, form) -> None:
    # A restored draft with a blank row in the middle; the fourth row is then retyped.
    form.set_state(
        filled_form_state(
            prefix="Acme:",
            attributes=(("Score", "1"), ("", ""), ("Time", "2h"), ("Rank", "3")),
        )
    )
    assert form.submit_button.isEnabled()
    _retype_key(qtbot, form, 3, "Score")

    assert form.attributes.model.headerData(3, Qt.Orientation.Vertical) == "4"
    assert form.problems() == ["Attributes, row 4: Duplicate key “Score”"]
    assert "Attributes, row 4: Duplicate key “Score”" in form.submit_button.toolTip()
    assert form.attributes.problem_label.text() == "1 problem: duplicate key “Score” (row 4)"
    # The request check reads the rows as shown and names the same row.
    state = form.state()
    assert state.attributes[1] == ("", "")
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert caught.value.fields == ("attributes[3].key",)


def test_a_key_typed_again_in_other_capitals_is_marked_and_keeps_submit_off(qtbot, form) -> None:
    form.set_state(filled_form_state(prefix="Acme:", attributes=(("Score", "1"), ("Time", "2h"))))
    assert form.submit_button.isEnabled()
    _retype_key(qtbot, form, 1, "SCORE")

    problem = "Attributes, row 2: Duplicate key “SCORE” (“Score” in other capitals)"
    assert form.problems() == [problem]
    assert not form.submit_button.isEnabled()
    assert problem in form.submit_button.toolTip()


def test_pasted_line_breaks_and_invisible_characters_are_marked_where_they_were_pasted(
    qtbot, form, clipboard
) -> None:
    _type(form.target_id, "8Xi6iZrwusZqJmDGXs49GBmJ")
    _type(form.label, "Assessment Result")
    _type(form.url, "https://example.com/results/42")
    qtbot.waitUntil(lambda: form.submit_button.isEnabled())

    def paste(field: QLineEdit, text: str) -> None:
        field.setFocus()
        field.selectAll()
        clipboard.setText(text)
        QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    # Around a URL copied from a chat or a plain-text mail: left behind by the paste.
    paste(form.url, "\u200b<https://example.com/results/7>\u200b\n")
    assert form.url.text() == "https://example.com/results/7"
    assert form.error_text("url") == ""

    # A label copied from a wrapped spreadsheet cell; a character nobody sees inside a URL.
    paste(form.label, "Assessment\nResult")
    paste(form.url, "https://example.com/res\u200bults/42")
    qtbot.waitUntil(lambda: form.error_text("url") != "")
    assert "on one line" in form.error_text("label")
    assert "invisible character" in form.error_text("url")
    assert not form.submit_button.isEnabled()
    # What was pasted stays in the form, to be corrected there.
    assert form.url.text() == "https://example.com/res\u200bults/42"
