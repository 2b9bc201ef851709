"""How an input at fault looks and sounds: one colour, one frame, the reason for screen readers.

The form's line edits, the attributes table and the remote fields' JSON editor are all
marked through ``mark_field``, the problem texts shown next to them are coloured by
``style_as_problem_text``, and the table tints its rows at fault with ``PROBLEM_TINT``;
so every problem in the form looks alike and is read out alike.

Frames and texts take the tone of their kind that reads on the theme's window colour
(a dark red on a light theme, a light red on a dark one), and take it again when the
theme changes while the window is open.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from kombo_desktop.qt.icons import STATUS_COLOURS, StatusKind

__all__ = [
    "PROBLEM_COLOUR",
    "PROBLEM_TINT",
    "is_marked",
    "mark_field",
    "set_text_tone",
    "style_as_problem_text",
    "text_tone",
]

#: The colour of every problem in the form on a light theme: frames, texts and row tints.
#: It is the response panel's error colour, so "wrong" reads the same everywhere.
PROBLEM_COLOUR = STATUS_COLOURS[StatusKind.ERROR]

#: The background of a table row at fault: translucent, so it blends with the palette
#: and reads on light and dark themes alike.
PROBLEM_TINT = QColor(PROBLEM_COLOUR)
PROBLEM_TINT.setAlpha(60)

#: Each kind's text colour for light themes and for dark ones: each reads at 4.5:1 or
#: more (WCAG's measure for text) on its themes' window colours, from white to #dcdcdc
#: and from #454545 to black. The badges' colours (``STATUS_COLOURS``) carry white
#: marks and are too dark, or too faint, as text on some of them.
_TEXT_TONES: dict[StatusKind, tuple[str, str]] = {
    StatusKind.SUCCESS: ("#1b5e20", "#a5d6a7"),
    StatusKind.WARNING: ("#8a5300", "#ffcc80"),
    StatusKind.ERROR: (PROBLEM_COLOUR, "#ef9a9a"),
    StatusKind.CANCELLED: ("#5f6368", "#bdc1c6"),
}

# Labels with a tone and fields with a frame, toned again when the theme changes (their
# colours were chosen for the theme they were set under).
_toned: weakref.WeakKeyDictionary[QLabel, StatusKind] = weakref.WeakKeyDictionary()
_framed: weakref.WeakSet[QWidget] = weakref.WeakSet()
_following_theme = False


def text_tone(kind: StatusKind, background: QColor | None = None) -> QColor:
    """The colour of ``kind``'s text that reads best on ``background`` (by default the
    application's window colour): its light theme's or its dark theme's tone."""
    if background is None:
        background = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    tones = [QColor(tone) for tone in _TEXT_TONES[kind]]
    return max(tones, key=lambda tone: _contrast(tone, background))


def _contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _invalid_frame() -> str:
    # Matched through the "invalid" property, so the frame goes on the marked widget
    # only, not on its children (a table's cell editors, a text editor's viewport). A
    # line edit without its native frame would put its text against the border: the
    # padding keeps it where it was.
    colour = text_tone(StatusKind.ERROR).name()
    return (
        f'*[invalid="true"] {{ border: 1px solid {colour}; border-radius: 3px; }}'
        ' QLineEdit[invalid="true"] { padding: 2px 3px; }'
    )


def mark_field(widget: QWidget, problem: str, *, description: str = "") -> None:
    """Mark ``widget`` as at fault because of ``problem``, or as fine when ``problem`` is "".

    A marked widget gets a frame in the problem colour and the dynamic property
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
    sheet = _invalid_frame() if invalid else ""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
    if invalid:
        _framed.add(widget)
        _follow_theme()
    else:
        _framed.discard(widget)
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
    the success colour) in the tone that reads on the theme, now and after the theme
    changes; with ``None``, in the palette's usual text colour again."""
    palette = QPalette()  # the application's, so that ``None`` undoes any earlier tone
    if kind is None:
        _toned.pop(label, None)
    else:
        palette.setColor(QPalette.ColorRole.WindowText, text_tone(kind))
        _toned[label] = kind
        _follow_theme()
    label.setPalette(palette)


def _follow_theme() -> None:
    """Tone labels and frames again whenever the application's palette changes (a switch
    between the desktop's light and dark themes does that while the app runs)."""
    global _following_theme
    app = QGuiApplication.instance()
    if _following_theme or not isinstance(app, QGuiApplication):
        return
    app.paletteChanged.connect(_on_palette_changed)
    _following_theme = True


def _on_palette_changed() -> None:
    # Once every widget has taken the new palette: the frames' style sheets are worked
    # out from the palette their widget has when they are set.
    QTimer.singleShot(0, _tone_again)


def _tone_again() -> None:
    for label, kind in list(_toned.items()):
        if isValid(label):
            set_text_tone(label, kind)
    for widget in list(_framed):
        if isValid(widget) and widget.styleSheet():
            # Set anew even when its colour is the same: the sheet is re-applied with the
            # widget's new palette only when it is set.
            widget.setStyleSheet("")
            widget.setStyleSheet(_invalid_frame())
