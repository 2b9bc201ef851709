"""Copy buttons that say they copied: one behaviour for "Copy as curl" and "Copy response".

A copy changes nothing on screen by itself, so a person cannot tell a copy from a
missed click. Each copy is confirmed where the eye is (the button reads "Copied" for
a moment), in the window's status bar (what exactly was copied) and to a screen
reader (the button keeps its accessible name, so its new text is not read out).

What is copied is what is held: ``ExactTextView`` shows JSON (the request, the answer)
and gives back, whole or selected, the very characters it was given.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QPlainTextEdit, QWidget

from kombo_desktop.qt.spoken import announce

__all__ = ["CONFIRM_MS", "COPIED_TEXT", "CopyConfirmation", "ExactTextView"]

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


#: Characters a text view breaks the line at, though JSON has them inside a string (text
#: pasted from a word processor brings them): shown as their JSON escapes instead.
_LINE_SEPARATORS = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
#: What Qt marks each line end of a selection with.
_SELECTION_LINE_END = "\u2029"


class ExactTextView(QPlainTextEdit):
    """A read-only view of text (a JSON body, an answer) that gives back exactly what it
    was given, whole (``exact_text``) or as a selection copied.

    A text view reads back and copies its text as plain text: a no-break space becomes
    a space, and a line or paragraph separator a line break, which inside a JSON string
    leaves JSON that no longer reads. So the text given is kept as given, the separators
    are shown as their JSON escapes, and a selection copies the characters selected.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty, read-only view."""
        super().__init__(parent)
        self.setReadOnly(True)
        self._exact_text = ""

    def set_exact_text(self, text: str) -> None:
        """Show ``text``; ``exact_text`` gives it back as it is."""
        self._exact_text = text
        shown = text
        for separator, escape in _LINE_SEPARATORS:
            if separator in shown:
                shown = shown.replace(separator, escape)
        self.setPlainText(shown)

    def exact_text(self) -> str:
        """The text last given to ``set_exact_text``, every character as it was."""
        return self._exact_text

    def createMimeDataFromSelection(self) -> QMimeData:
        """The selection as the characters shown: Qt's own copy writes a no-break space
        as a space."""
        data = QMimeData()
        # The view's own line ends only: the text's separators are shown as escapes.
        data.setText(self.textCursor().selectedText().replace(_SELECTION_LINE_END, "\n"))
        return data
