"""What a recruiter pastes into the form, and the keys that start the attributes table,
in the real window against the sandbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from kombo_desktop.qt.main_window import MainWindow
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    line_edit,
    paste_attributes,
    paste_into,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name

CTRL = Qt.KeyboardModifier.ControlModifier
ROW = "Assessment Result\t <https://example.com/r/1>\r\n"
NO_SPACES = "Result URL must not contain spaces, tabs or line breaks"


# ---- a spreadsheet row "label⇥URL" ------------------------------------------------------


def _label_and_url(window: MainWindow) -> tuple[str, str]:
    return line_edit(window, "Label").text(), line_edit(window, "Result URL").text()


def _quiet(window: MainWindow) -> bool:
    """True when neither the label nor the URL says something is wrong."""
    form = window.form
    return not any(
        form.error_text(group) or form.is_marked_invalid(group) for group in ("label", "url")
    )


def test_a_label_and_url_row_fills_both_fields_whichever_it_is_pasted_into(
    qtbot, window, clipboard
) -> None:
    type_into(qtbot, window, "Result URL", "https://example.com/an-older-result")
    paste_into(qtbot, window, "Label", clipboard, ROW)
    assert _label_and_url(window) == ("Assessment Result", "https://example.com/r/1")
    assert _quiet(window)

    # The same way from the URL field, the other order of cells included.
    paste_into(qtbot, window, "Result URL", clipboard, "https://example.com/r/2\tCoding test")
    assert _label_and_url(window) == ("Coding test", "https://example.com/r/2")
    assert _quiet(window)


def test_a_longer_sheet_rows_address_replaces_the_url_the_field_holds(
    qtbot, window, clipboard
) -> None:
    type_into(qtbot, window, "Label", "Coding test")
    type_into(qtbot, window, "Result URL", "https://example.com/an-older-result")
    row = "Ada Lovelace\tCoding test\thttps://example.com/r/3\r\n"
    url = paste_into(qtbot, window, "Result URL", clipboard, row)
    # Before: the row, tabs and all, was glued onto the address the field held.
    assert _label_and_url(window) == ("Coding test", "https://example.com/r/3")
    assert _quiet(window)
    qtbot.keyClick(url, Qt.Key.Key_Z, CTRL)
    assert url.text() == "https://example.com/an-older-result"


def test_pasting_into_the_label_keeps_undo_in_both_fields(qtbot, window, clipboard) -> None:
    type_into(qtbot, window, "Result URL", "https://example.com/an-older-result")
    type_into(qtbot, window, "Label", "Coding ")
    label = paste_into(qtbot, window, "Label", clipboard, "test")
    assert _label_and_url(window) == ("Coding test", "https://example.com/an-older-result")
    qtbot.keyClick(label, Qt.Key.Key_Z, CTRL)  # the paste is undone, not the typing
    assert label.text() == "Coding "

    paste_into(qtbot, window, "Label", clipboard, ROW)
    url = line_edit(window, "Result URL")
    url.setFocus()
    qtbot.keyClick(url, Qt.Key.Key_Z, CTRL)
    assert url.text() == "https://example.com/an-older-result"
    qtbot.keyClick(label, Qt.Key.Key_Z, CTRL)
    assert label.text() == "Coding "


def test_only_a_row_with_a_web_address_pasted_into_the_label_fills_the_url(
    qtbot, window, clipboard
) -> None:
    refused = "Label must be on one line (a line break or tab was pasted with it)"
    for pasted in ("Assessment\nResult", "Score\t100%"):
        label = paste_into(qtbot, window, "Label", clipboard, pasted)
        assert label.text() == pasted
        assert window.form.error_text("label") == refused
        assert line_edit(window, "Result URL").text() == ""
        label.clear()

    paste_into(qtbot, window, "Label", clipboard, ROW)
    assert _label_and_url(window) == ("Assessment Result", "https://example.com/r/1")


def test_a_url_pasted_over_several_lines_is_kept_whole_and_refused_at_the_field(
    qtbot, window, fresh_sandbox, clipboard
) -> None:
    # A long link wrapped by a mail program: its first line alone is a valid, wrong URL.
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox))
    type_into(qtbot, window, "Label", "Assessment Result")
    wrapped = "https://example.com/test-results/5BtRjZ\r\nq8Kw2vXy9LmN\r\n"
    url = paste_into(qtbot, window, "Result URL", clipboard, wrapped)
    assert url.text() == "https://example.com/test-results/5BtRjZ q8Kw2vXy9LmN"
    assert window.form.error_text("url") == NO_SPACES
    assert not button(window, "Submit").isEnabled()


def test_a_link_copied_with_its_words_from_a_plain_text_mail_sends_the_link(
    qtbot, window, fresh_sandbox, clipboard
) -> None:
    # Gmail and Outlook write a link in a plain-text mail as words and <address>.
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox))
    type_into(qtbot, window, "Label", "Assessment Result")
    url = paste_into(
        qtbot, window, "Result URL", clipboard, "View results <https://example.com/r/1>\r\n"
    )
    assert _label_and_url(window) == ("Assessment Result", "https://example.com/r/1")
    assert _quiet(window)

    # Another mail's link replaces it, the same way as a bare address does.
    paste_into(qtbot, window, "Result URL", clipboard, "Link:\r\n<https://example.com/r/2>")
    assert url.text() == "https://example.com/r/2"
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["url"] == "https://example.com/r/2"


def test_words_with_two_links_pasted_into_the_url_are_refused_at_the_field(
    qtbot, window, clipboard
) -> None:
    pasted = "Old <https://example.com/a> new <https://example.com/b>"
    paste_into(qtbot, window, "Result URL", clipboard, pasted)
    assert line_edit(window, "Result URL").text() == pasted
    assert window.form.error_text("url") == NO_SPACES


def test_a_row_without_a_web_address_pasted_into_the_url_leaves_the_label_alone(
    qtbot, window, clipboard
) -> None:
    type_into(qtbot, window, "Label", "Assessment Result")
    pasted = "Anna Smith\tanna@example.com"
    url = paste_into(qtbot, window, "Result URL", clipboard, pasted + "\r\n")
    assert _label_and_url(window) == ("Assessment Result", pasted)
    assert window.form.error_text("url")
    url.clear()


def test_a_whole_address_pasted_into_the_url_field_replaces_the_one_it_holds(
    qtbot, window, clipboard
) -> None:
    type_into(qtbot, window, "Result URL", "https://example.com/r/1")
    url = line_edit(window, "Result URL")
    url.setCursorPosition(len("https://example.com/"))  # clicked into the middle
    clipboard.setText("https://example.com/r/2\n")
    qtbot.keyClick(url, Qt.Key.Key_V, CTRL)
    assert url.text() == "https://example.com/r/2"
    qtbot.keyClick(url, Qt.Key.Key_Z, CTRL)
    assert url.text() == "https://example.com/r/1"

    # Part of an address still goes in at the cursor.
    url.setCursorPosition(len(url.text()))
    clipboard.setText("?attempt=2")
    qtbot.keyClick(url, Qt.Key.Key_V, CTRL)
    assert url.text() == "https://example.com/r/1?attempt=2"


# ---- Ctrl+Shift+A and the table's own keys ---------------------------------------------


def _cell_editor(qtbot, window: MainWindow) -> QLineEdit:
    table = window.form.attributes.view

    def open_cell() -> QLineEdit | None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit) and table.isAncestorOf(focused):
            return focused
        return None

    qtbot.waitUntil(lambda: open_cell() is not None)
    editor = open_cell()
    assert editor is not None
    return editor


def test_ctrl_shift_a_adds_a_row_from_any_field_while_the_tables_own_keys_stay_in_it(
    qtbot, window
) -> None:
    table = window.form.attributes
    table.model.set_rows([("Time", "2h")])
    table.view.setCurrentIndex(table.model.index(0, 0))
    type_into(qtbot, window, "Custom field name prefix", "Acme:")
    prefix = line_edit(window, "Custom field name prefix")
    for key, modifier in (
        (Qt.Key.Key_D, CTRL),  # Duplicate
        (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),  # Move down
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),  # Remove
    ):
        qtbot.keyClick(prefix, key, modifier)
    assert table.model.rows() == [("Time", "2h")]

    qtbot.keyClick(prefix, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    key_cell = _cell_editor(qtbot, window)
    qtbot.keyClicks(key_cell, "Score")
    assert table.model.rows() == [("Time", "2h"), ("Score", "")]
    assert prefix.text() == "Acme:"


# ---- a spreadsheet block with more than two columns ------------------------------------


def test_extra_columns_are_left_out_with_a_notice_that_does_not_stop_sending(
    qtbot, window, fresh_sandbox
) -> None:
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes="Score\t100%\tReviewed by Kim\nTime\t2:30h\t\n",
    )
    notice = find_by_accessible_name(window, "Attribute notice", QLabel)
    assert notice.isVisible()
    assert notice.text() == "Only the first two columns were used: key and value."
    assert window.form.problems() == []
    assert button(window, "Submit").isEnabled()

    submit_and_wait(qtbot, window)
    sent = posts(fresh_sandbox)
    assert sent[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2:30h"},
    ]


# ---- a prefix with no attribute to go with it --------------------------------------------


def test_a_prefix_without_attributes_is_said_to_be_left_out_and_is_not_sent(
    qtbot, window, fresh_sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    # Before: "Ready to send" alone, and the prefix dropped without a word.
    assert window.form.hint.text() == (
        "Ready to send (Ctrl+Enter). The prefix is sent only with attributes: it is left out."
    )
    submit_and_wait(qtbot, window)
    assert "details" not in posts(fresh_sandbox)[-1].json()

    # With an attribute, the prefix goes with it, and the hint is the plain one.
    paste_attributes(qtbot, window, "Score\t90%\n")
    assert window.form.hint.text() == "Ready to send (Ctrl+Enter)."
