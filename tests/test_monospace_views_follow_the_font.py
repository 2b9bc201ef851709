"""The monospace views follow the font (qt/fixed_pitch.py), in the real window against the
sandbox over HTTP: the remote-fields JSON, the request preview and its request line, the
technical details and the raw answer are drawn in a fixed-pitch face, at the size of the
words around them, and grow with them when the app's or the window's font is made larger
while the app runs; the JSON editor still shows five lines, and the raw answer and the
technical details keep their lines.

They took the desktop's fixed font whole, size included: with the app's font made larger
(for low vision), the JSON, the request sent and Kombo's answer stayed small beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.response_panel import DETAIL_LINES_SHOWN, RAW_LINES_KEPT
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    candidate_id,
    click_submit,
    fill_form,
)
from tests.qt_helpers import find_by_accessible_name, scaled
from tests.response_panel_support import settle

#: The views whose text is read exactly, by their accessible names.
MONOSPACE_VIEWS = (
    "Remote fields JSON",
    "Request line",
    "Request preview",
    "Technical details",
    "Response body",
)
LARGER = 1.6


def size_of(font: QFont) -> float:
    """The font's size, in whichever unit it was given."""
    return font.pointSizeF() if font.pointSizeF() > 0 else float(font.pixelSize())


@pytest.fixture(params=["app", "window"])
def make_font_larger(
    request: pytest.FixtureRequest, qapp: QApplication
) -> Iterator[Callable[[MainWindow], QFont]]:
    """Makes the app's font (the desktop's setting) or the window's larger; gives the font
    the window's words have then. The app's font is put back after."""
    usual = QApplication.font()

    def grow(window: MainWindow) -> QFont:
        font = scaled(usual, LARGER)
        if request.param == "app":
            QApplication.setFont(font)
        else:
            window.setFont(font)
        settle()
        return font

    yield grow
    QApplication.setFont(usual)


def monospace_views(window: MainWindow) -> dict[str, QWidget]:
    return {name: find_by_accessible_name(window, name, QWidget) for name in MONOSPACE_VIEWS}


def test_the_monospace_views_grow_with_the_font(
    qtbot, fresh_sandbox: Sandbox, make_font_larger: Callable[[MainWindow], QFont]
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    views = monospace_views(window)
    usual_size = size_of(window.font())
    for name, view in views.items():
        assert view.fontInfo().fixedPitch(), name
        assert size_of(view.font()) == pytest.approx(usual_size), name
    json_editor = views["Remote fields JSON"]
    assert isinstance(json_editor, QPlainTextEdit)
    usual_height = json_editor.sizeHint().height()

    font = make_font_larger(window)

    for name, view in views.items():
        assert view.fontInfo().fixedPitch(), name
        assert size_of(view.font()) == pytest.approx(size_of(font)), name
    # The raw answer gives up room down to its lines in the larger font, not in the usual
    # one's pixels (fewer lines of the larger font).
    raw = views["Response body"]
    assert raw.minimumHeight() >= RAW_LINES_KEPT * raw.fontMetrics().lineSpacing()
    # The technical details grow up to as many lines as in the usual font.
    details = views["Technical details"]
    assert details.maximumHeight() >= DETAIL_LINES_SHOWN * details.fontMetrics().lineSpacing()
    # Five lines of JSON in view, in the larger font: the section opened shows them.
    advanced = find_by_accessible_name(window, "Advanced", QWidget)
    QTest.mouseClick(advanced, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(json_editor.isVisible, timeout=WAIT_MS)
    settle()
    five_lines = 5 * json_editor.fontMetrics().lineSpacing()
    assert json_editor.height() >= five_lines
    assert json_editor.height() > usual_height
    assert json_editor.viewport().height() >= five_lines
