"""The status bar's own widgets: room for its messages, and the connection summary, its end
cut to the room left beside them.

Both measure words in pixels, and a width measured once is wrong after the font they are
drawn with changes (the app's or the bar's font, a style with fonts of its own): each
measures again then, so that a message is not cut and the summary shows as much as fits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Slot
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from kombo_desktop.qt.spoken import show_text

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

__all__ = ["MessageRoom", "ShortenedLabel"]

#: What changes how wide the same words are drawn, or the room they need: the font (set on
#: the app, the window or the bar: each reaches the widgets inside), the style (its
#: margins, and the fonts it may give), and right to left (see ``MessageRoom``).
_CHANGES_THAT_MOVE_WORDS = frozenset(
    {
        QEvent.Type.FontChange,
        QEvent.Type.ApplicationFontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.LayoutDirectionChange,
    }
)


def _width_in_pixels(widget: QWidget, text: str) -> int:
    """How many pixels ``text`` takes in the font of ``widget``, a part of one counted whole.

    ``QFontMetrics`` rounds to the nearest pixel, while Qt cuts words against their exact
    width: the 0.3 px rounded away would have them end in "…" in a room just as wide.
    """
    return math.ceil(QFontMetricsF(widget.font()).horizontalAdvance(text)) if text else 0


class MessageRoom(QWidget):
    """The status bar's message, as its layout sees it: as wide as the message.

    QStatusBar draws its message where its normal widgets go (hiding them meanwhile),
    left of its permanent ones, but its layout does not know the message: the permanent
    widgets keep their room and the message runs under them. Added as a normal widget,
    this one keeps the message's width in the layout while hidden, so that the permanent
    widgets give up theirs instead, as far as they can.
    """

    #: What a message needs beyond its own width right to left. Qt draws it there from
    #: 2 px after the permanent widgets to 12 px before the bar's right edge, which no
    #: public call tells, while its layout puts this widget 6 px after them and 2 px
    #: before that edge: 6 px less than the width it is given (left to right, the same
    #: numbers give the message exactly its width).
    _RIGHT_TO_LEFT_EXTRA = 6

    def __init__(self, bar: QStatusBar) -> None:
        """Room for the messages of ``bar``, added to it."""
        super().__init__(bar)
        self._bar = bar
        self._message = ""
        self._text_width = 0
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # Never shown, the room still counts in the layout.
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        bar.addWidget(self)
        # The bar frames each normal widget it shows (a sunken box, in some styles), this
        # empty one too. Hidden here, it stays hidden: the bar shows again only those it
        # hid for a message.
        self.hide()
        bar.messageChanged.connect(self._hold)

    def sizeHint(self) -> QSize:
        """The message's width (none without one)."""
        if not self._text_width:
            return QSize(0, 0)
        extra = self._RIGHT_TO_LEFT_EXTRA if self._bar.isRightToLeft() else 0
        return QSize(self._text_width + extra, 0)

    def minimumSizeHint(self) -> QSize:
        """None: a message wider than the bar is cut, rather than widen the window."""
        return QSize(0, 0)

    def changeEvent(self, event: QEvent) -> None:
        """The message shown is measured again in the bar's font of now; right to left, it
        needs a little more room (``_RIGHT_TO_LEFT_EXTRA``)."""
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.LayoutDirectionChange:
            self._lay_out()
        elif kind in _CHANGES_THAT_MOVE_WORDS:
            # A new font or style reaches this widget after the bar has taken it in:
            # measured here, the message is measured in the font the bar draws it with.
            self._measure()

    @Slot(str)
    def _hold(self, message: str) -> None:
        self._message = message
        self._measure()

    def _measure(self) -> None:
        # The bar paints the message with its own font.
        width = _width_in_pixels(self._bar, self._message)
        if width == self._text_width:
            return
        self._text_width = width
        self._lay_out()

    def _lay_out(self) -> None:
        self.updateGeometry()
        # Laid out at once: the bar paints a new message as soon as it has said so.
        layout = self._bar.layout()
        if layout is not None:
            layout.activate()


class ShortenedLabel(QLabel):
    """One line of words, as wide as the room left beside it up to their width, their end
    cut ("…") when that is less. Its tooltip and accessible description keep them whole.
    """

    def __init__(self, parent: QWidget) -> None:
        """An empty label."""
        super().__init__(parent)
        self._whole = ""
        # Its words do not claim room (a status message beside it comes first): it takes
        # what is left, as a stretch, up to their width (``show_whole``).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_whole(self, text: str) -> None:
        """Show as much of ``text`` as the room holds; its hover and a screen reader get
        all of it."""
        self._whole = text
        show_text(self, text)
        self.setToolTip(text)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        """In another font or style the same words need another width: measured again."""
        super().changeEvent(event)
        if event.type() in _CHANGES_THAT_MOVE_WORDS:
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """More room shows more of the words, less shows fewer."""
        super().resizeEvent(event)
        self._shorten()

    def _fit(self) -> None:
        """As wide as the whole words at most, and as much of them shown as fits now."""
        margins = self.width() - self.contentsRect().width() + 2 * self.margin()
        self.setMaximumWidth(_width_in_pixels(self, self._whole) + margins)
        self._shorten()

    def _shorten(self) -> None:
        room = max(self.contentsRect().width() - 2 * self.margin(), 0)
        shown = self.fontMetrics().elidedText(self._whole, Qt.TextElideMode.ElideRight, room)
        if self.text() != shown:
            self.setText(shown)
