"""The demo keeps to itself: it sends only to its sandbox, as its banner promises, keeps
its own settings, and says in its title that it is the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QSettings, QSize, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kombo_desktop.app import launch
from kombo_desktop.core.connection import Region
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import DEMO_BANNER_TEXT, MainWindow
from kombo_desktop.qt.settings import settings_path
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, candidate_id, fill_form, submit_and_wait
from tests.qt_helpers import find_by_accessible_name, wait_exposed

#: Why the demo's region and base URL stay as they are, as the person reads or hears it.
SANDBOX_ONLY = "The demo sends only to the sandbox on this computer"


def shown(qtbot, argv: list[str]) -> MainWindow:
    """The window ``kombo-desktop ARGV`` opens, on screen; closed by the test (which stops
    a demo's sandbox) or, if the test fails first, at its end."""
    window = launch(argv)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    wait_exposed(qtbot, window)
    return window


def demo_bar(window: MainWindow) -> tuple[ConnectionBar, Sandbox]:
    bar = window.connection_source
    sandbox = window.demo_sandbox
    assert isinstance(bar, ConnectionBar)
    assert isinstance(sandbox, Sandbox)
    return bar, sandbox


def sends_to(bar: ConnectionBar) -> str | None:
    connection = bar.current_connection()
    return connection.base_url if connection is not None else None


def stored(path: Path) -> dict[str, object]:
    """Every setting in the INI file at ``path``, as the app reads them."""
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    return {key: settings.value(key) for key in settings.allKeys()}


def resized(qtbot, window: MainWindow, size: QSize) -> None:
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size, timeout=WAIT_MS)


def test_trying_the_demo_leaves_the_real_windows_settings_as_they_were(qtbot):
    real = shown(qtbot, [])
    # A size the (offscreen) screen can hold, so that restoring does not clamp it.
    real_size = QSize(700, 500)
    resized(qtbot, real, real_size)
    real.close()
    saved = settings_path().read_bytes()
    kept = stored(settings_path())

    demo = shown(qtbot, ["--demo"])
    # Trying out the Settings menu and the layout in the demo, where nothing reaches Kombo.
    demo.confirm_production_action.trigger()
    assert not demo.confirm_production_action.isChecked()
    demo_size = QSize(790, 620)
    resized(qtbot, demo, demo_size)
    demo.splitter.setSizes([200, 500])
    demo.close()

    assert stored(settings_path()) == kept
    assert settings_path().read_bytes() == saved
    again = shown(qtbot, [])
    # Real work still asks before a send with a production key, and opens as it was left.
    assert again.confirm_production_action.isChecked()
    assert again.size() == real_size
    again.close()
    # The demo keeps what was tried in it, for the next demo.
    demo_again = shown(qtbot, ["--demo"])
    assert not demo_again.confirm_production_action.isChecked()
    assert demo_again.size() == demo_size
    demo_again.close()


def wheel(widget: QWidget, delta: QPoint) -> None:
    """Turn the mouse wheel over the middle of ``widget``."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(
        at,
        QPointF(widget.mapToGlobal(at)),
        QPoint(),
        delta,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_demos_region_cannot_be_turned_to_kombo_by_keyboard_mouse_or_wheel(qtbot):
    demo = shown(qtbot, ["--demo"])
    bar, sandbox = demo_bar(demo)
    region = bar.region
    # The keys that pick another region in a box like this one: arrows, Home, End, and
    # typing the first letter of "EU" or "US".
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End):
        qtbot.keyClick(region, key)
        assert sends_to(bar) == sandbox.base_url, key
    for letter in "EU":
        qtbot.keyClicks(region, letter)
        assert sends_to(bar) == sandbox.base_url, letter
    for turn in (QPoint(0, 120), QPoint(0, -120)):
        wheel(region, turn)
        assert sends_to(bar) == sandbox.base_url, turn
    qtbot.mouseClick(region, Qt.MouseButton.LeftButton)
    list_opened = region.view().isVisible()
    region.hidePopup()
    assert not list_opened

    # No Kombo region is even on offer, and the box says why, to the eye and aloud.
    assert [region.itemText(i) for i in range(region.count())] == ["Sandbox"]
    assert region.findData(Region.EU.value) == -1
    assert region.toolTip() == SANDBOX_ONLY
    assert region.accessibleDescription() == SANDBOX_ONLY
    assert find_by_accessible_name(demo, "Demo banner", QLabel).text() == DEMO_BANNER_TEXT
    demo.close()


def test_a_kombo_address_typed_into_the_demos_base_url_is_not_taken(qtbot):
    demo = shown(qtbot, ["--demo"])
    bar, sandbox = demo_bar(demo)
    base_url = bar.base_url
    assert base_url.isVisible()
    qtbot.mouseClick(base_url, Qt.MouseButton.LeftButton)
    qtbot.keyClick(base_url, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(base_url, Qt.Key.Key_Delete)
    qtbot.keyClicks(base_url, "https://api.kombo.dev/v1")

    assert base_url.text() == sandbox.base_url
    assert sends_to(bar) == sandbox.base_url
    assert base_url.accessibleDescription() == SANDBOX_ONLY
    # And a send after all that reaches the sandbox, as the banner says.
    target = candidate_id(sandbox)
    fill_form(qtbot, demo, target_id=target, label="Demo test")
    submit_and_wait(qtbot, demo)
    assert demo.response.summary_text().startswith("Success")
    assert len(sandbox.result_links(target)) == 1
    demo.close()


def test_the_demo_window_is_titled_as_the_demo_and_the_real_one_is_not(qtbot):
    demo = shown(qtbot, ["--demo"])
    # Next to the real window, the taskbar and window switcher show only titles.
    assert demo.windowTitle() == "Kombo Desktop (demo)"
    demo.close()
    real = shown(qtbot, [])
    assert real.windowTitle() == "Kombo Desktop"
    real.close()
