"""Line edits that keep all a person types or pastes into them."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QLineEdit

#: Qt's largest length for a line edit's text. By default a line edit cuts its text at
#: 32767 characters, without a word: a long signed result URL pasted in was sent cut
#: short, and passed every check.
LONGEST_LINE_TEXT = 2**31 - 1

_Edit = TypeVar("_Edit", bound=QLineEdit)


def keeping_any_length(edit: _Edit) -> _Edit:
    """``edit``, made to keep text of any length (``LONGEST_LINE_TEXT``)."""
    edit.setMaxLength(LONGEST_LINE_TEXT)
    return edit
