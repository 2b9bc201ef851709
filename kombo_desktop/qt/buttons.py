"""Buttons that Enter presses, as Space does.

A tool button takes only Space, and a push button outside a dialog only Space too unless
it is an "auto default" one; a keyboard or screen-reader user presses Enter on a focused
button as often.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

__all__ = ["EnterPressedToolButton", "pressed_by_enter"]


class EnterPressedToolButton(QToolButton):
    """A tool button that Enter presses, as Space does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter (without Ctrl: Ctrl+Enter sends) presses it; other keys as for any button."""
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and plain == Qt.KeyboardModifier.NoModifier and self.isEnabled():
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)


def pressed_by_enter(button: QPushButton) -> QPushButton:
    """``button``, made one that Enter presses while it has the focus; returned."""
    button.setAutoDefault(True)
    return button
