"""The GUI entry points: ``launch`` builds and shows the main window, ``main`` runs it."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMainWindow


def launch(argv: list[str]) -> QMainWindow:
    """Create or reuse the ``QApplication``, build and show the main window for ``argv``.

    ``argv`` holds the arguments after the program name (``["--demo"]`` included).
    The event loop is not entered, so tests can drive the window.
    """
    app = QApplication.instance() or QApplication(["kombo-desktop", *argv])
    app.setApplicationName("Kombo Desktop")
    window = QMainWindow()
    window.setWindowTitle("Kombo Desktop")
    window.show()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """``launch`` plus the event loop; returns the exit code."""
    window = launch(list(sys.argv[1:] if argv is None else argv))
    app = QApplication.instance()
    assert app is not None
    code: int = app.exec()
    del window
    return code
