"""The connection bar gives way to a narrow window (qt/connection_bar.py), in the real window
against the sandbox over HTTP: while the window is wide enough its fields stay in one row;
narrower, where requests go and what they are sent with are two rows, each field whole
and in its tab order, so that the window can be as narrow as its form needs, in a larger
font too.

The bar is the toolbar's one widget, and a toolbar does not wrap a widget: its fields'
least widths, side by side, were the window's least width (776 px; 925 px with a 13 pt
font and 1,043 px with 16 pt, past an 800 or a 1,024 px screen's edge).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, build_window
from tests.qt_helpers import scaled
from tests.response_panel_support import settle

#: The bar's inputs, in the order the keyboard reaches them.
FIELDS = ("region", "base_url", "integration_id", "api_key")


@pytest.fixture(params=[1.0, 13 / 9, 16 / 9], ids=["usual font", "13 pt", "16 pt"])
def font_factor(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[float]:
    """The app's font at the usual size, or as 13 pt and 16 pt are to 9 pt; put back after."""
    usual = QApplication.font()
    QApplication.setFont(scaled(usual, request.param))
    yield request.param
    QApplication.setFont(usual)


def bar_of(window: MainWindow) -> ConnectionBar:
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    return bar


def resized(qtbot, window: MainWindow, width: int) -> None:
    """``window`` made ``width`` wide (or as narrow as it can be), its layouts settled."""
    window.resize(QSize(width, window.height()))
    qtbot.waitUntil(lambda: window.width() == max(width, window.minimumSizeHint().width()))
    settle()


def central_of(window: MainWindow) -> QWidget:
    central = window.centralWidget()
    assert central is not None
    return central


def fields_of(bar: ConnectionBar) -> list[QWidget]:
    return [getattr(bar, name) for name in FIELDS if getattr(bar, name).isVisible()]


def assert_whole_and_apart(bar: ConnectionBar) -> None:
    """Every input and the badge inside the bar, at least as wide as it asks, none over
    another."""
    shown = [*fields_of(bar), bar.environment_badge]
    for widget in shown:
        assert bar.rect().contains(widget.geometry()), widget.accessibleName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.accessibleName()
        assert widget.width() >= widget.minimumWidth(), widget.accessibleName()
    for at, widget in enumerate(shown):
        for other in shown[at + 1 :]:
            assert not widget.geometry().intersects(other.geometry()), (
                widget.accessibleName(),
                other.accessibleName(),
            )


def test_the_window_is_as_narrow_as_its_form_needs_and_the_bar_wraps(
    qtbot, fresh_sandbox: Sandbox, font_factor: float
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    bar = bar_of(window)
    assert bar.base_url.isVisible()  # the widest bar: a custom address shown
    assert bar.environment_badge.isVisible()

    # Wide: one row, as before.
    resized(qtbot, window, 2000)
    tops = {widget.geometry().top() for widget in fields_of(bar)}
    assert len(tops) == 1
    assert_whole_and_apart(bar)
    one_row_height = central_of(window).height()

    # As narrow as the window goes: the form sets its least width, not the bar.
    resized(qtbot, window, 0)
    central = central_of(window)
    assert window.width() <= central.minimumSizeHint().width() + 2 * central.x()
    assert_whole_and_apart(bar)
    # Where requests go above, what they are sent with below.
    assert bar.integration_id.geometry().top() >= bar.base_url.geometry().bottom()
    assert bar.api_key.geometry().top() == bar.integration_id.geometry().top()
    # The toolbar grew for the second row: the form starts below it, whole.
    toolbar = bar.parentWidget()
    assert toolbar is not None
    assert toolbar.geometry().bottom() < central.geometry().top()
    assert toolbar.height() >= bar.height()
    assert central.height() < one_row_height

    # Wide again: one row again.
    resized(qtbot, window, 2000)
    assert len({widget.geometry().top() for widget in fields_of(bar)}) == 1
    assert_whole_and_apart(bar)


def test_the_wrapped_bar_keeps_its_tab_order(qtbot, fresh_sandbox: Sandbox) -> None:
    window = build_window(qtbot, fresh_sandbox)
    bar = bar_of(window)
    resized(qtbot, window, 0)
    assert bar.integration_id.geometry().top() >= bar.base_url.geometry().bottom()
    bar.region.setFocus()
    qtbot.waitUntil(bar.region.hasFocus, timeout=WAIT_MS)
    reached = []
    for _ in range(len(FIELDS) - 1):
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [bar.base_url, bar.integration_id, bar.api_key]
