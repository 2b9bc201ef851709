"""The monospace font of the views that show JSON, HTTP and text to be read exactly."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase


def fixed_pitch_font() -> QFont:
    """The desktop's fixed-pitch family, at the size the widget given it inherits.

    Only the family is set (with the hint to fall back on a typewriter face): the size is
    inherited, so a larger application or window font (chosen for low vision) enlarges
    these views with the words around them, and a later change of it follows. The system's
    fixed font taken whole kept its own size whatever the app's font was.
    """
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font = QFont()
    font.setFamilies(system.families())
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setFixedPitch(True)
    return font
