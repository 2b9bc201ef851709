"""Copy buttons that say they copied: one behaviour for "Copy as curl" and "Copy response".

A copy changes nothing on screen by itself, so a person cannot tell a copy from a
missed click. Each copy is confirmed where the eye is (the button reads "Copied" for
a moment), in the window's status bar (what exactly was copied) and to a screen
reader (the button keeps its accessible name, so its new text is not read out).

What is copied is what is held: the views copied from (``exact_text_view``) give back,
whole or selected, the very characters they were given.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QMainWindow

from kombo_desktop.qt.spoken import announce

__all__ = ["CONFIRM_MS", "COPIED_TEXT", "CopyConfirmation"]

#: How long a copy button reads "Copied" (read at each copy: tests shorten it).
CONFIRM_MS = 2000
#: How long the status bar keeps the sentence that says what was copied.
STATUS_MS = 5000
COPIED_TEXT = "Copied"


class CopyConfirmation(QObject):
    """Copies text for one button and confirms each copy (see the module's note)."""

    def __init__(self, button: QAbstractButton) -> None:
        """Confirms copies made with ``button``, whose text it changes for a moment."""
        super().__init__(button)
        self._button = button
        self._label = button.text()
        self._minimum_width = button.minimumWidth()
        self._restore_timer = QTimer(self)
        self._restore_timer.setSingleShot(True)
        self._restore_timer.timeout.connect(self._restore)

    def copy(self, text: str, said: str) -> None:
        """Put ``text`` on the clipboard and confirm it; ``said`` is the sentence that
        says what was copied."""
        QGuiApplication.clipboard().setText(text)
        button = self._button
        if not self._restore_timer.isActive():
            self._label = button.text()
            self._minimum_width = button.minimumWidth()
            # The shorter "Copied" would shift the buttons beside it for a moment.
            button.setMinimumWidth(max(self._minimum_width, button.sizeHint().width()))
        button.setText(COPIED_TEXT)
        self._restore_timer.start(CONFIRM_MS)
        window = button.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(said, STATUS_MS)
        announce(button, said)

    def reset(self) -> None:
        """Have the button say what it does again, at once: what it copies changed (a new
        answer), and "Copied" would claim that this was copied too."""
        if self._restore_timer.isActive():
            self._restore_timer.stop()
            self._restore()

    @Slot()
    def _restore(self) -> None:
        self._button.setText(self._label)
        self._button.setMinimumWidth(self._minimum_width)
