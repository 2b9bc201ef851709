"""Shared by the tests of the response panel in the real window: the window at a size,
an answer with warnings, what the panel shows at a moment, and what "readable in full" and
"shown whole" mean."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStatusBar,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    fill_form,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name

#: The smallest window the panel is checked at.
SMALL = QSize(800, 600)


def success_with_warnings(warnings: list[str]) -> Fault:
    """Kombo's success envelope carrying ``warnings``, as a result-link POST answers."""
    body = {"status": "success", "data": {}, "warnings": [{"message": w} for w in warnings]}
    return Fault.raw(json.dumps(body))


def window_at(qtbot, sandbox: Sandbox, size: QSize | None) -> MainWindow:
    """The window at its first size (``None``) or resized to ``size``, form filled in."""
    window = build_window(qtbot, sandbox)
    if size is not None:
        window.resize(size)
        qtbot.waitUntil(lambda: window.size() == size, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    return window


def answered_with(qtbot, window: MainWindow, sandbox: Sandbox, answer: Fault) -> None:
    """Send the form in ``window`` and wait for Kombo's ``answer`` to be shown."""
    sandbox.inject_fault(answer, times=1)
    submit_and_wait(qtbot, window)


def raw_view(window: MainWindow) -> QPlainTextEdit:
    """The view of the raw answer in ``window``'s response panel."""
    return find_by_accessible_name(window, "Response body", QPlainTextEdit)


def facts_label(window: MainWindow) -> QLabel:
    """The answer's facts (code, HTTP status, …) in ``window``'s response panel."""
    return find_by_accessible_name(window, "Response facts", QLabel)


@dataclass(frozen=True)
class PanelSeen:
    """What the response panel shows at one moment, to the eye and to a screen reader."""

    #: The panel's description: what a screen reader reads of the outcome.
    description: str
    summary: str
    #: The outcome's words, as shown.
    words: str
    #: The raw answer the panel holds, whole.
    raw: str
    #: What the raw answer's view shows of it.
    raw_shown: str
    placeholder: str
    raw_description: str
    can_copy: bool
    facts_shown: bool
    #: The facts as a screen reader reads them.
    facts: str


def panel_seen(window: MainWindow) -> PanelSeen:
    """What ``window``'s response panel shows now."""
    panel, view, facts = window.response, raw_view(window), facts_label(window)
    words = panel.findChild(QLabel, "outcomeText")
    assert words is not None
    return PanelSeen(
        description=panel.accessibleDescription(),
        summary=panel.summary_text(),
        words=words.text(),
        raw=panel.raw_text(),
        raw_shown=view.toPlainText(),
        placeholder=view.placeholderText(),
        raw_description=view.accessibleDescription(),
        can_copy=button(window, "Copy response").isEnabled(),
        facts_shown=facts.isVisibleTo(window),
        facts=facts.accessibleDescription(),
    )


def seen_when_finished(window: MainWindow) -> list[PanelSeen]:
    """What the panel shows each time ``window`` says a request finished, read then."""
    seen: list[PanelSeen] = []
    window.requestFinished.connect(lambda: seen.append(panel_seen(window)))
    return seen


def settle() -> None:
    """Let the layouts take the new words in (they are laid out on the next turn)."""
    for _ in range(3):
        QApplication.processEvents()


def scroll_area_around(widget: QWidget) -> QScrollArea | None:
    """The scroll area ``widget`` scrolls in, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            content = parent.widget()
            if content is not None and content.isAncestorOf(widget):
                return parent
        parent = parent.parentWidget()
    return None


def assert_readable_in_full(widget: QWidget) -> None:
    """``widget`` shows all it holds, and every part of it is on screen or can be
    scrolled there: nothing of it is cut off where no scroll bar can reach."""
    name = widget.accessibleName() or widget.objectName()
    assert widget.isVisible(), name
    if widget.hasHeightForWidth():
        # A wrapped label lower than its lines: its last lines are not drawn at all.
        needed = widget.heightForWidth(widget.width())
        assert widget.height() >= needed, f"{name}: {widget.height()} px of {needed} shown"
    seen = QRegion()
    scroll = scroll_area_around(widget)
    if scroll is None:
        seen = widget.visibleRegion()
    else:
        bar = scroll.verticalScrollBar()
        step = max(bar.pageStep() // 2, 1)
        for value in range(bar.minimum(), bar.maximum() + step, step):
            bar.setValue(min(value, bar.maximum()))
            seen += widget.visibleRegion()  # in the widget's own coordinates
        bar.setValue(bar.minimum())
    hidden = QRegion(widget.rect()).subtracted(seen)
    assert hidden.isEmpty(), f"{name}: {hidden.boundingRect()} of {widget.rect()} never shown"


def status_message_room(bar: QStatusBar) -> int:
    """How wide the status bar's message is drawn, in either direction.

    Left to right, QStatusBar draws it from 6 px in to 2 px before the first of its
    permanent widgets that is shown; right to left, from 2 px after the last of its
    widgets shown at its left to 12 px before its right edge (the size grip's corner,
    either way)."""
    shown = [
        widget
        for widget in bar.findChildren(QWidget)
        if widget.parentWidget() is bar and widget.isVisible()
    ]
    if bar.isRightToLeft():
        left = max([6, *(widget.x() + widget.width() + 2 for widget in shown)])
        return bar.width() - 12 - left
    right = min([bar.width() - 12, *(widget.x() - 2 for widget in shown)])
    return right - 6


def assert_status_message_shown_whole(bar: QStatusBar) -> None:
    """The status bar's message has the room it needs, in either direction: no end of it
    (its start, right to left) is cut off."""
    settle()
    message = bar.currentMessage()
    assert message
    needed = bar.fontMetrics().horizontalAdvance(message)
    room = status_message_room(bar)
    assert needed <= room, f"{message!r} needs {needed} px, the status bar shows {room} px"


def text_room(edit: QLineEdit) -> int:
    """How wide the text of ``edit`` can be and still show whole."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    rect = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    # Qt's line edit keeps 2 px free on either side of its text.
    return rect.width() - margins.left() - margins.right() - 4


def shown_in_panel(qtbot, sandbox: Sandbox, answer: Fault) -> tuple[MainWindow, PanelSeen]:
    """A window's send answered with ``answer``, once the whole answer is shown; the
    window, and what its panel shows."""
    window = window_at(qtbot, sandbox, None)
    answered_with(qtbot, window, sandbox, answer)
    done: list[int] = []
    window.response.when_answer_shown(lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    settle()
    return window, panel_seen(window)
