"""What assistive technology hears beyond a widget's name: changing texts and announcements.

A label with a fixed accessible name (tests and UI automation find it by that name) is
read out by its name only, so what it shows goes into its accessible description
through ``show_text``. An outcome that appears away from the focus (the answer to a
send) is spoken through ``announce``. Words that change at each key typed are held back
from a description by ``HeldDescription`` until the focus moves.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

__all__ = [
    "HeldDescription",
    "HeldUntil",
    "announce",
    "announce_once_focused",
    "load_announcement_classes",
    "show_text",
]


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


class HeldUntil(Enum):
    """When a ``HeldDescription`` says what it holds."""

    #: Once the focus moves into the widget followed, and while it stays there.
    FOCUS_IN = "focus in"
    #: Once the focus leaves the widget followed, and while it is elsewhere.
    FOCUS_OUT = "focus out"


class HeldDescription(QObject):
    """A widget's accessible description, held back until the focus moves in or out.

    Every change of a description is announced, so words that change at each key typed
    (what the form still needs, the problem of the JSON being typed) would be said at
    each key. Given to ``describe``, they are held while the focus is on the wrong side
    of ``focus_of`` (the described widget itself unless given) and said once it moves.

    A child of the described widget: it stops following the focus when that widget is
    destroyed.
    """

    def __init__(
        self, described: QWidget, *, until: HeldUntil, focus_of: QWidget | None = None
    ) -> None:
        super().__init__(described)
        self._described = described
        self._until = until
        #: The widget whose focus decides; None once it is destroyed (the focus is out).
        self._focus_of: QWidget | None = described if focus_of is None else focus_of
        self._description = ""
        self._meanwhile: str | None = None
        if focus_of is not None and focus_of is not described:
            focus_of.destroyed.connect(self._on_focus_widget_destroyed)
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # widgets exist only in a QApplication
        app.focusChanged.connect(self._on_focus_changed)

    def describe(self, description: str, *, meanwhile: str | None = None) -> None:
        """Make ``description`` the widget's accessible description, now if the focus
        allows it, or else once the focus moves; until then the widget says
        ``meanwhile`` (``None``: what it said before)."""
        self._description = description
        self._meanwhile = meanwhile
        self._say()

    def _say(self) -> None:
        focus_is_in = self._focus_of is not None and self._focus_of.hasFocus()
        held = focus_is_in != (self._until is HeldUntil.FOCUS_IN)
        said = self._meanwhile if held else self._description
        # Set only when it is new: the same words again would be announced again.
        if said is not None and self._described.accessibleDescription() != said:
            self._described.setAccessibleDescription(said)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        # Compared by identity only: while a focused widget is destroyed, the focus moves
        # away from a stand-in for it, which must not be called.
        if self._focus_of is not None and (old is self._focus_of or now is self._focus_of):
            self._say()

    @Slot()
    def _on_focus_widget_destroyed(self) -> None:
        self._focus_of = None


def load_announcement_classes() -> None:
    """Load what ``announce`` needs ahead of time, at a moment when nothing else happens.

    PySide builds the accessibility classes (a dozen enums) on first use: about 10 ms
    that would otherwise fall on the first answer, while the window is busy showing it.
    """
    from PySide6.QtGui import QAccessible, QAccessibleEvent

    _ = (QAccessible.Event.DescriptionChanged, QAccessibleEvent)
    getattr(QtGui, "QAccessibleAnnouncementEvent", None)


#: How long ``announce_once_focused`` waits for the focus to come back before it speaks
#: all the same (milliseconds).
FOCUS_BACK_WAIT_MS = 500


def announce_once_focused(widget: QWidget, text: str) -> None:
    """``announce`` ``text`` once the focus is back in ``widget``'s window (a dialog that
    closed hands it back a moment later): said before, the words are cut off by the name
    of the widget the focus lands on, read out as it gets there. Said at once when the
    focus is there already, and after ``FOCUS_BACK_WAIT_MS`` when it does not come."""
    from PySide6.QtCore import QTimer  # when the first such words come

    window = widget.window()

    def focus_is_back() -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and focus.window() is window

    if focus_is_back():
        announce(widget, text)
        return
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    said = False

    def say(*_focus: object) -> None:
        nonlocal said
        if said or (_focus and not focus_is_back()):
            return
        said = True
        app.focusChanged.disconnect(say)
        announce(widget, text)

    app.focusChanged.connect(say)
    QTimer.singleShot(FOCUS_BACK_WAIT_MS, widget, say)


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
