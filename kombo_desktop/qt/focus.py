"""Keyboard focus that survives widgets going off for a while.

A widget disabled or hidden while it has the focus hands it on to the next one in its
window's tab chain, or to nothing, and Qt does not give it back once the widget is on
again: a keyboard or screen-reader user is left elsewhere, or nowhere. A
``FocusKeeper`` remembers where the focus was before widgets go off and gives it back
once they are on again, unless the person has moved it meanwhile: then it is theirs.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeAlias, TypeGuard

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

__all__ = ["Fallback", "FocusKeeper", "can_take_focus"]

#: Where the focus goes when no other widget can take it back: a widget, or a function
#: that puts it somewhere itself (say, on an input inside a section it opens first).
Fallback: TypeAlias = QWidget | Callable[[], object] | None


def can_take_focus(widget: QWidget | None) -> TypeGuard[QWidget]:
    """True when ``widget`` still exists, is shown and enabled, and takes the focus."""
    return (
        widget is not None
        and shiboken6.isValid(widget)
        and widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    )


def _hand_on(widget: QWidget) -> QWidget | None:
    """Give ``widget``'s focus to the next widget of its window's tab chain that can take
    it, as Qt does in the active window; that widget, or ``None`` when none can."""
    window = widget.window()
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget and candidate is not window:
        tab_stop = bool(candidate.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if tab_stop and candidate.window() is window and can_take_focus(candidate):
            candidate.setFocus(Qt.FocusReason.TabFocusReason)
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


class FocusKeeper:
    """Keeps the focus of one window while some of its widgets are off.

    Wrap the code that turns widgets off in ``going_off()``, and call ``give_back()``
    once they are on again.
    """

    def __init__(self, anchor: QWidget) -> None:
        """The focus kept is that of ``anchor``'s window, looked up each time: a widget
        can move to another window (as into the main window's toolbar)."""
        # Weakly: the keeper is usually an attribute of its anchor, and a cycle would keep
        # the anchor's wrapper alive after its widget is deleted.
        self._anchor = weakref.ref(anchor)
        self._held: QWidget | None = None  # had the focus when it went off
        self._landed: QWidget | None = None  # where the focus went then
        self._preferred: QWidget | None = None
        self._origin: QWidget | None = None  # had the focus as the first block began
        self._insist = False

    def _focus_widget(self) -> QWidget | None:
        anchor = self._anchor()
        if anchor is None or not shiboken6.isValid(anchor):
            return None
        return anchor.window().focusWidget()

    @contextmanager
    def going_off(self) -> Iterator[None]:
        """Wrap code that disables or hides widgets (or makes them read-only).

        When the focus moves inside, the widget that had it is remembered, and where
        it landed: the focus moved elsewhere since then was moved by the person.
        """
        before = self._focus_widget()
        if self._origin is None:
            self._origin = before
        try:
            yield
        finally:
            after = self._focus_widget()
            if (
                before is not None
                and after is before
                and shiboken6.isValid(before)
                and not can_take_focus(before)
            ):
                # Qt hands on the focus of a widget hidden only in the active window: in
                # one behind a question (Retry, hidden by "Sending…" once "Send again?" is
                # answered) it stays on the hidden widget, and the window, active again,
                # gives it to whatever follows, out of the keeper's sight.
                after = _hand_on(before)
            if before is not None and after is not before:
                if before is not self._landed:
                    # Not where an earlier block put it: where the person had put it.
                    self._held = before
                self._landed = after

    def prefer(self, widget: QWidget | None, *, even_if_kept: bool = False) -> None:
        """Give the focus back to ``widget``, when it can take it, rather than to the
        widget that had it: what happened meanwhile made ``widget`` the next step (the
        list after a delete, the field named by a failed save)."""
        self._preferred = widget
        self._insist = even_if_kept

    def give_back(self, fallback: Fallback = None) -> None:
        """Once the widgets are on again: the focus goes to the preferred widget, else
        back to the one that had it, else to ``fallback``.

        Nothing moves unless the focus was taken away in ``going_off()``, nor when the
        person has moved it since. Either way the keeper starts afresh.
        """
        held, landed, preferred = self._held, self._landed, self._preferred
        origin, insist = self._origin, self._insist
        self._held = self._landed = self._preferred = self._origin = None
        self._insist = False
        if held is None:
            # The focus never went off; it moves only to a step that must be taken next,
            # and only when the person is still where they were.
            if insist and self._focus_widget() is origin and can_take_focus(preferred):
                preferred.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self._focus_widget() is not landed:
            return
        for widget in (preferred, held):
            if can_take_focus(widget):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if isinstance(fallback, QWidget):
            if can_take_focus(fallback):
                fallback.setFocus(Qt.FocusReason.OtherFocusReason)
        elif fallback is not None:
            fallback()
