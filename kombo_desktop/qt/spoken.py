"""What assistive technology hears beyond a widget's name: changing texts and announcements.

A label with a fixed accessible name (tests and UI automation find it by that name) is
read out by its name only, so what it shows goes into its accessible description
through ``show_text``. An outcome that appears away from the focus (the answer to a
send) is spoken through ``announce``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["announce", "load_announcement_classes", "show_text"]


def _plain(label: QLabel, text: str) -> str:
    if label.textFormat() != Qt.TextFormat.RichText:
        return text
    # A screen reader would spell out the markup of a rich-text label. (Imported here:
    # PySide builds each class on first use, and the window's first paint needs none.)
    from PySide6.QtGui import QTextDocumentFragment

    return QTextDocumentFragment.fromHtml(text).toPlainText().strip()


def show_text(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` and make it the label's accessible description.

    The accessible name stays as it was; the description says what the label shows
    now (as plain text; ``""`` clears both). ``text`` is read as markup only by a label
    set to rich text.
    """
    if label.textFormat() == Qt.TextFormat.AutoText:
        # Words, not markup, unless the label says so: they may quote what a person typed
        # or what a server sent, and a "<" in them must show as itself.
        label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    spoken = _plain(label, text)
    # Every change of the description is announced: set it only when it is new.
    if label.accessibleDescription() != spoken:
        label.setAccessibleDescription(spoken)


def load_announcement_classes() -> None:
    """Load what ``announce`` needs ahead of time, at a moment when nothing else happens.

    PySide builds the accessibility classes (a dozen enums) on first use: about 10 ms
    that would otherwise fall on the first answer, while the window is busy showing it.
    """
    from PySide6.QtGui import QAccessible, QAccessibleEvent

    _ = (QAccessible.Event.DescriptionChanged, QAccessibleEvent)
    getattr(QtGui, "QAccessibleAnnouncementEvent", None)


def announce(widget: QWidget, text: str) -> None:
    """Have assistive technology speak ``text`` now, on behalf of ``widget``.

    With Qt 6.8 or later this is an announcement; older Qt (PySide6 6.6 and 6.7) has
    none, and gets a description change of ``widget`` instead, which a screen reader
    may read when it follows that widget.
    """
    from PySide6.QtGui import QAccessible, QAccessibleEvent  # when the first answer comes

    # Looked up at call time: the class exists from Qt 6.8 on only.
    announcement = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
    if announcement is not None:
        event = announcement(widget, text)
    else:
        event = QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged)
    QAccessible.updateAccessibility(event)
