"""How an input at fault looks and sounds: one colour, one frame, the reason for screen readers.

The form's line edits, the attributes table and the remote fields' JSON editor are all
marked through ``mark_field``, the problem texts shown next to them are coloured by
``style_as_problem_text``, and the table tints its rows at fault with ``PROBLEM_TINT``;
so every problem in the form looks alike and is read out alike.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from kombo_desktop.qt.icons import STATUS_COLOURS, StatusKind

__all__ = [
    "PROBLEM_COLOUR",
    "PROBLEM_TINT",
    "is_marked",
    "mark_field",
    "set_text_tone",
    "style_as_problem_text",
]

#: The colour of every problem in the form: frames, texts and row tints. It is the
#: response panel's error colour, so "wrong" reads the same everywhere in the window.
PROBLEM_COLOUR = STATUS_COLOURS[StatusKind.ERROR]

#: The background of a table row at fault: translucent, so it blends with the palette
#: and reads on light and dark themes alike.
PROBLEM_TINT = QColor(PROBLEM_COLOUR)
PROBLEM_TINT.setAlpha(60)

# Matched through the "invalid" property, so the frame goes on the marked widget only,
# not on its children (a table's cell editors, a text editor's viewport). A line edit
# without its native frame would put its text against the border: the padding keeps it
# where it was.
_INVALID_FRAME = (
    f'*[invalid="true"] {{ border: 1px solid {PROBLEM_COLOUR}; border-radius: 3px; }}'
    ' QLineEdit[invalid="true"] { padding: 2px 3px; }'
)


def mark_field(widget: QWidget, problem: str, *, description: str = "") -> None:
    """Mark ``widget`` as at fault because of ``problem``, or as fine when ``problem`` is "".

    A marked widget gets a frame in ``PROBLEM_COLOUR`` and the dynamic property
    ``invalid``; its accessible description becomes the problem, followed by
    ``description`` (what the widget always says about itself), so that a screen
    reader tells why the field is wrong. Calling it again with the same text does
    nothing visible.
    """
    invalid = bool(problem)
    # The property first: the style sheet is matched against it when it is applied.
    widget.setProperty("invalid", invalid)
    # On this widget only, and only while at fault: a style sheet puts a widget and all
    # its children under the (slower) style-sheet style, and setting one re-polishes
    # the widget even when it is unchanged.
    sheet = _INVALID_FRAME if invalid else ""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
    spoken = "\n".join(part for part in (problem, description) if part)
    # Every change is announced to assistive technology: say it only when it is new.
    if widget.accessibleDescription() != spoken:
        widget.setAccessibleDescription(spoken)


def is_marked(widget: QWidget) -> bool:
    """True while ``widget`` carries the frame of ``mark_field``."""
    # Read from the style sheet, not the "invalid" property: PySide6 6.12 mis-counts the
    # reference to None when a property that was never set is read.
    return bool(widget.styleSheet())


def style_as_problem_text(label: QLabel) -> None:
    """Colour ``label`` as the problem text shown next to a field (plain text: a problem
    may quote what was typed)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("role", "fieldError")
    set_text_tone(label, StatusKind.ERROR)


def set_text_tone(label: QLabel, kind: StatusKind | None) -> None:
    """Colour ``label``'s text for an outcome (a problem in the problem colour, a success in
    the success colour), or, with ``None``, in the palette's usual text colour again."""
    palette = QPalette()  # the application's, so that ``None`` undoes any earlier tone
    if kind is not None:
        palette.setColor(QPalette.ColorRole.WindowText, QColor(STATUS_COLOURS[kind]))
    label.setPalette(palette)
