"""The application icon (shipped inside the package) and small status icons.

Status icons are painted rather than taken from the platform style, so success,
warning and error look the same on every desktop and in screenshots.
"""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

ICON_FILE_NAME = "kombo-desktop.svg"


def app_icon_path() -> Path | None:
    """The SVG icon inside the installed package, or ``None`` if it is missing."""
    # Next to this package on disk in every normal install; importlib.resources (and the
    # zipfile support it loads) is only needed for the rare zipped install below.
    path = Path(__file__).resolve().parent.parent / "resources" / ICON_FILE_NAME
    return path if path.is_file() else None


def app_icon() -> QIcon:
    """The application icon; rendered lazily by Qt's SVG icon engine when first painted."""
    path = app_icon_path()
    if path is not None:
        return QIcon(str(path))
    # Installed in a zip or similar: render the bytes ourselves.
    from importlib.resources import files

    data = (files("kombo_desktop") / "resources" / ICON_FILE_NAME).read_bytes()
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap()
        if pixmap.loadFromData(data, "SVG"):
            icon.addPixmap(pixmap.scaled(size, size))
    return icon


class StatusKind(enum.Enum):
    """What a status icon shows."""

    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"
    CANCELLED = "cancelled"


#: The badges' colours, each under a white mark that stands out at 3:1 or more (WCAG's
#: measure for graphics). Texts take ``field_marks.text_tone``, chosen for the theme.
STATUS_COLOURS: dict[StatusKind, str] = {
    StatusKind.SUCCESS: "#2e7d32",
    StatusKind.WARNING: "#b26a00",
    StatusKind.ERROR: "#c62828",
    StatusKind.CANCELLED: "#5f6368",
}


def status_pixmap(kind: StatusKind, size: int = 20, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A round badge with a check, an exclamation mark or a cross, ``size`` logical pixels."""
    # Painting classes load with the first badge, not at start-up (their enums cost time).
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

    pixels = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS[kind]))
        s = float(size)
        painter.drawEllipse(QRectF(0, 0, s, s))
        pen = QPen(QColor("white"), max(1.5, s / 9))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if kind is StatusKind.SUCCESS:
            path = QPainterPath(QPointF(s * 0.28, s * 0.52))
            path.lineTo(QPointF(s * 0.44, s * 0.68))
            path.lineTo(QPointF(s * 0.73, s * 0.35))
            painter.drawPath(path)
        elif kind is StatusKind.ERROR:
            painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
            painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
        elif kind is StatusKind.WARNING:
            painter.drawLine(QPointF(s * 0.5, s * 0.25), QPointF(s * 0.5, s * 0.58))
            painter.drawPoint(QPointF(s * 0.5, s * 0.75))
        else:
            painter.drawLine(QPointF(s * 0.3, s * 0.5), QPointF(s * 0.7, s * 0.5))
    finally:
        painter.end()
    return pixmap
