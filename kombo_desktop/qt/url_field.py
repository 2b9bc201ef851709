"""The result URL input: pasting cleans up what spreadsheets and e-mails add around a URL.

A pasted URL loses surrounding spaces and line breaks; a pasted spreadsheet row
``label<TAB>url`` fills the label too (through ``labelPasted``). ``QLineEdit`` has no
``insertFromMimeData``, so paste is intercepted where it starts: the paste shortcut,
the context menu's Paste entry, and dropped text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.paste import split_label_and_url

if TYPE_CHECKING:
    from PySide6.QtGui import (
        QContextMenuEvent,
        QDropEvent,
        QKeyEvent,
    )


class UrlLineEdit(QLineEdit):
    """A line edit for URLs whose paste trims and splits ``label<TAB>url`` rows."""

    #: The label half of a pasted ``label<TAB>url`` row.
    labelPasted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Route the platform's paste shortcut through ``paste_text``."""
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            self.paste_clipboard()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu, with its Paste entry replaced by the cleaning paste."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() == "edit-paste":
                replacement = QAction(action.text(), menu)
                replacement.setShortcut(action.shortcut())
                replacement.setEnabled(action.isEnabled())
                replacement.triggered.connect(self.paste_clipboard)
                menu.insertAction(action, replacement)
                menu.removeAction(action)
                break
        menu.exec(event.globalPos())
        menu.deleteLater()

    def dropEvent(self, event: QDropEvent) -> None:
        """Dropped text is cleaned like pasted text."""
        mime = event.mimeData()
        if mime is not None and mime.hasText() and not self.isReadOnly():
            self.setFocus()
            self.paste_text(mime.text())
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    @Slot()
    def paste_clipboard(self) -> None:
        """Paste the clipboard's text as ``paste_text`` does."""
        clipboard = QGuiApplication.clipboard()
        self.paste_text(clipboard.text())

    def paste_text(self, text: str) -> None:
        """Insert the URL part of ``text`` (trimmed) and announce a label part if there is one.

        A plain URL is inserted at the cursor like any paste; a ``label<TAB>url`` row
        is a whole new pair, so its URL replaces the field's text. Goes through
        ``insert`` so that undo and ``textEdited`` behave as for typing.
        """
        label, url = split_label_and_url(text)
        if not url and label is None:
            return
        if label is not None:
            self.selectAll()
        self.insert(url)
        if label is not None:
            self.labelPasted.emit(label)
