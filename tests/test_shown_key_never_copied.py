"""The API key field, shown with "Show", never hands the key to a clipboard.

On X11 a line edit puts its selection on the selection clipboard after each key that
selects (and Ctrl+U copies the whole line), and only a masked field refuses: the shown
field handles such keys masked. The offscreen platform has no selection clipboard, so
what is checked is that the field is masked whenever its selection changes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.profile_fields import KeyLineEdit

KEY = "ks_live_0123456789abcdef0123456789abcdef"


@pytest.fixture
def field(qtbot: QtBot) -> Iterator[KeyLineEdit]:
    """A key field showing its key ("Show"), focused, in a window of its own."""
    window = QWidget()  # held here: the field lives as long as its window
    qtbot.addWidget(window)
    shown = KeyLineEdit(window)
    shown.setText(KEY)
    shown.setEchoMode(QLineEdit.EchoMode.Normal)  # what "Show" does
    window.show()
    qtbot.waitExposed(window)
    shown.setFocus()
    yield shown
    window.close()


def _modes_when_selected(field: KeyLineEdit) -> list[QLineEdit.EchoMode]:
    """The field's echo mode each time its selection changes (when X11 would copy it)."""
    modes: list[QLineEdit.EchoMode] = []
    field.selectionChanged.connect(lambda: modes.append(field.echoMode()))
    return modes


def test_keys_that_select_the_shown_key_run_masked(field: KeyLineEdit) -> None:
    modes = _modes_when_selected(field)
    QTest.keyClick(field, Qt.Key.Key_Home)
    QTest.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert field.hasSelectedText()
    assert modes
    assert set(modes) == {QLineEdit.EchoMode.Password}
    # Shown again once the key is handled.
    assert field.echoMode() == QLineEdit.EchoMode.Normal


def test_a_double_click_on_the_shown_key_selects_it_masked(field: KeyLineEdit) -> None:
    modes = _modes_when_selected(field)
    QTest.mouseDClick(field, Qt.MouseButton.LeftButton, pos=QPoint(20, field.height() // 2))
    assert field.hasSelectedText()
    assert set(modes) == {QLineEdit.EchoMode.Password}
    assert field.echoMode() == QLineEdit.EchoMode.Normal


def test_typing_and_undo_in_the_shown_key_work_as_in_any_field(field: KeyLineEdit) -> None:
    QTest.keyClick(field, Qt.Key.Key_End)
    QTest.keyClicks(field, "XY")
    assert field.text() == KEY + "XY"
    # A masked field's undo clears the whole line: the shown one undoes the typing.
    QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == KEY
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == KEY[:-1]
