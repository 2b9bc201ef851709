"""A label whose long words (an address, a signed link, an ID) break where they must.

Qt's word wrap breaks lines at spaces only: a word longer than a line makes its label
wider than its place, and the rest is cut off on the right or widens the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

#: Characters from which a word may not fit a line of its label (an address, a signed
#: link, an ID): while sending, words are not selectable, but one this long makes its
#: label selectable, as only a label laid out as a text document breaks it.
LONG_WORD_CHARS = 24

#: What makes a label lay its text out afresh, in its default way (see ``WrappingLabel``).
_RELAYOUT_CHANGES = frozenset(
    {
        QEvent.Type.FontChange,
        QEvent.Type.ApplicationFontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.ContentsRectChange,
    }
)


def has_long_word(text: str) -> bool:
    """True when ``text`` holds a word of ``LONG_WORD_CHARS`` characters or more."""
    return any(len(word) >= LONG_WORD_CHARS for word in text.split())


class WrappingLabel(QLabel):
    """A word-wrapped label that also breaks a word too long for a line (an address, a
    signed link) where it must, so that nothing is cut off on the right at any width.

    Only its layout changes: its text, what is selected and copied from it, and what a
    screen reader reads stay as they are (no invisible break characters in them).

    A label laid out as a text document (rich text, or selectable words) breaks lines
    as its document's text option says, but sets that option to word wrap (long words
    overflow) each time it lays the text out afresh: after new text, a resize, a new
    font or style. The option is set again right after each of those. A label drawn
    without a document (plain words that cannot be selected) breaks words at spaces
    only: ``has_long_word`` tells when a label must be made selectable.
    """

    def setText(self, text: str) -> None:
        """Show ``text``, long words broken."""
        super().setText(text)
        self._break_long_words()

    def setTextInteractionFlags(self, flags: Qt.TextInteractionFlag) -> None:
        """Qt's, and a new text document (one comes with words that can be selected)
        breaks long words too."""
        super().setTextInteractionFlags(flags)
        self._break_long_words()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The text is laid out afresh at the new width: long words broken again."""
        super().resizeEvent(event)
        self._break_long_words()

    def changeEvent(self, event: QEvent) -> None:
        """A new font or style lays the text out afresh: long words broken again."""
        super().changeEvent(event)
        if event.type() in _RELAYOUT_CHANGES:
            self._break_long_words()

    def _has_document(self) -> bool:
        # As QLabel decides: a document for rich text or selectable words (with words).
        selectable = self.textInteractionFlags() & (
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        rich = self.textFormat() != Qt.TextFormat.PlainText
        return bool(self.text()) and (rich or bool(selectable))

    def _break_long_words(self) -> None:
        if not self._has_document():
            return  # nothing to break (and nothing loaded while the window starts)
        # Loaded with the first long words, not at start-up.
        from PySide6.QtGui import QTextDocument, QTextOption

        document = self.findChild(QTextDocument)
        if document is None:
            return
        # Have the label lay its text out now, setting its option, to set ours after it.
        self.heightForWidth(self.width())
        option = document.defaultTextOption()
        anywhere = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        if option.wrapMode() != anywhere:
            option.setWrapMode(anywhere)
            document.setDefaultTextOption(option)
