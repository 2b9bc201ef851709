"""The label and result URL inputs: a pasted spreadsheet row ``label<TAB>url`` fills both.

Whichever of the two fields the row is pasted into, it takes its own part and hands
the other part on (``partnerPasted``); the URL part is cleaned up as a URL pasted on
its own is (``core.paste``). Apart from rows, a pasted URL loses the spaces, line
breaks and brackets that spreadsheets and e-mails add around it, while the label
field pastes anything else as any line edit does. ``QLineEdit`` has no
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

from kombo_desktop.core.paste import label_and_url_row, split_label_and_url
from kombo_desktop.core.text import is_web_address

if TYPE_CHECKING:
    from PySide6.QtGui import (
        QContextMenuEvent,
        QDropEvent,
        QKeyEvent,
    )

__all__ = ["LabelLineEdit", "RowPastingLineEdit", "UrlLineEdit"]


class RowPastingLineEdit(QLineEdit):
    """A line edit whose every paste goes through ``paste_text``, which subclasses define.

    What ``paste_text`` leaves alone (it returns ``False``) is pasted as by any line edit.
    """

    #: The other field's part of a pasted ``label<TAB>url`` row (the label, or the URL).
    partnerPasted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Route the platform's paste shortcut through ``paste_text``."""
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            self.paste_clipboard()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu, with its Paste entry going through ``paste_text``."""
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
        """Dropped text goes through ``paste_text`` like pasted text."""
        mime = event.mimeData()
        if (
            mime is not None
            and mime.hasText()
            and not self.isReadOnly()
            and self.paste_text(mime.text())
        ):
            self.setFocus()
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    @Slot()
    def paste_clipboard(self) -> None:
        """Paste the clipboard's text through ``paste_text``, or as any line edit does."""
        if not self.paste_text(QGuiApplication.clipboard().text()):
            # QLineEdit's own paste: one undo step of its own, apart from the typing.
            self.paste()

    def paste_text(self, text: str) -> bool:
        """Paste ``text`` this field's way; ``False`` when it is left to ``QLineEdit``."""
        raise NotImplementedError

    @Slot(str)
    def take_pasted_part(self, text: str) -> None:
        """Replace the field's text with ``text``, its part of a pasted row.

        Goes through ``insert`` so that Ctrl+Z in the field brings back what it held,
        and ``textEdited`` tells the form as it does for typing.
        """
        self.selectAll()
        self.insert(text)

    def _paste_row(self, own_part: str, partner_part: str) -> None:
        # A row is a whole new pair: both fields are replaced, this one first.
        self.take_pasted_part(own_part)
        self.partnerPasted.emit(partner_part)


class UrlLineEdit(RowPastingLineEdit):
    """The result URL: a pasted URL is trimmed; any row of two cells is label and URL."""

    def paste_text(self, text: str) -> bool:
        """Insert the URL part of ``text`` (trimmed), and hand a label part on.

        A plain URL is inserted at the cursor like any paste, or replaces the address
        the field holds (the field holds one); a row of two cells
        (``label<TAB>url``, either order) replaces the field's text, and its label goes
        to ``partnerPasted``. Goes through ``insert`` so that undo and ``textEdited``
        behave as for typing.
        """
        label, url = split_label_and_url(text)
        if label is not None:
            self._paste_row(url, label)
        elif is_web_address(url) and is_web_address(self.text().strip()):
            # The field holds one address: a whole new one replaces it rather than
            # landing inside it, where "https://a/1https://b/2" would still read as valid.
            self.take_pasted_part(url)
        elif url:
            self.insert(url)
        return True


class LabelLineEdit(RowPastingLineEdit):
    """The label: a pasted row of a label and a web address fills the URL field too."""

    def paste_text(self, text: str) -> bool:
        """Take ``text`` as a ``label<TAB>url`` row when it is one (see ``label_and_url_row``).

        Anything else, a label on several lines included, is pasted as it is: the
        label's own check then says what is wrong with it.
        """
        row = label_and_url_row(text)
        if row is None:
            return False
        label, url = row
        self._paste_row(label, url)
        return True
