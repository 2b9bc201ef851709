"""A label whose long words (an address, a signed link, an ID) break where they must.

Qt's word wrap breaks lines at spaces only: a word longer than a line makes its label
wider than its place, and the rest is cut off on the right or widens the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

#: Characters from which a word is measured against its label's line (an address, a
#: signed link, an ID): shorter words fit any line the panel has.
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


def load_wrapping_classes() -> None:
    """Load the classes a label breaking a long word needs (PySide makes each at first
    use, enums and all), so that the first such label costs no frame: call it while
    nothing happens."""
    from PySide6.QtGui import QTextDocument, QTextOption

    _ = QTextDocument.MetaInformation, QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


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
    only: ``has_word_wider_than_a_line`` tells when a label must be made selectable.
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
        if not self._has_document() or not self.has_word_wider_than_a_line(self.text()):
            # Nothing to break (and nothing loaded while the window starts): the label's
            # own layout is left alone, which costs a layout pass less for each answer.
            return
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

    def has_word_wider_than_a_line(self, text: str) -> bool:
        """True when a word of ``text`` is wider than this label's line: only a label laid
        out as a text document (one whose words can be selected) breaks it.

        Measured, not counted: a document costs many times a plain label's layout, and an
        ID of 24 characters fits the line of any panel (the first Submit's frame must not
        pay for one).
        """
        words = [word for word in text.split() if len(word) >= LONG_WORD_CHARS]
        if not words:
            return False
        line = self.contentsRect().width()
        metrics = self.fontMetrics()
        return line <= 0 or any(metrics.horizontalAdvance(word) > line for word in words)
