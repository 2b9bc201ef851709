"""Shared pieces of the main-window tests: building a window against the sandbox, typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QPushButton, QTableView

from kombo_desktop.core.client import RetryPolicy, Timeouts
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, RecordedRequest, Sandbox
from tests.qt_helpers import find_by_accessible_name, top_level, wait_active, wait_exposed

WAIT_MS = 15000


def build_window(
    qtbot,
    sandbox: Sandbox,
    *,
    api_key: str = DEMO_API_KEY,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
) -> MainWindow:
    """A shown main window whose connection bar holds the sandbox's demo credentials;
    ``timeouts`` and ``retry`` give its worker other limits than the window's own."""
    bar = ConnectionBar()
    bar.set_values(api_key=api_key, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url)
    custom = timeouts is not None or retry is not None
    worker = ApiWorker(timeouts=timeouts, retry=retry) if custom else None
    window = MainWindow(bar, worker=worker)
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    window.activateWindow()
    wait_active(qtbot, window)
    return window


def line_edit(window: MainWindow, name: str) -> QLineEdit:
    return find_by_accessible_name(window, name, QLineEdit)


def press_ctrl_enter(qtbot, window: MainWindow, field: str = "Result URL") -> None:
    """Ctrl+Enter in ``field``, focused first, as a person sends from the keyboard."""
    edit = line_edit(window, field)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def button(window: MainWindow, name: str) -> QPushButton:
    return find_by_accessible_name(window, name, QPushButton)


def type_into(qtbot, window: MainWindow, name: str, text: str) -> None:
    """Click into the field and type, as a person would."""
    field = line_edit(window, name)
    field.setFocus()
    qtbot.keyClicks(field, text)


def paste_attributes(qtbot, window: MainWindow, block: str) -> None:
    """Copy ``block`` to the clipboard and press Ctrl+V in the attributes table."""
    QGuiApplication.clipboard().setText(block)
    table = find_by_accessible_name(window, "Attributes", QTableView)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def fill_form(
    qtbot,
    window: MainWindow,
    *,
    target_id: str,
    label: str = "Assessment Result",
    url: str = "https://example.com/results/1",
    prefix: str = "",
    attributes: str = "",
) -> None:
    """Type a whole form; ``attributes`` is a spreadsheet block pasted into the table."""
    type_into(qtbot, window, "Target ID", target_id)
    type_into(qtbot, window, "Label", label)
    type_into(qtbot, window, "Result URL", url)
    if prefix:
        type_into(qtbot, window, "Custom field name prefix", prefix)
    if attributes:
        paste_attributes(qtbot, window, attributes)


def click_submit(qtbot, window: MainWindow) -> None:
    submit = button(window, "Submit")
    assert submit.isEnabled(), submit.toolTip()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)


def submit_and_wait(qtbot, window: MainWindow) -> None:
    """Press Submit and wait until the answer is shown."""
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)


def candidate_id(sandbox: Sandbox, index: int = 0) -> str:
    return str(sandbox.candidates[index]["id"])


def posts(sandbox: Sandbox) -> list[RecordedRequest]:
    return [r for r in sandbox.requests if r.method == "POST"]


#: The object name of the "Send again?" question (Submit or Retry of what may be added).
SEND_AGAIN_QUESTION = "retryConfirmation"


def wait_for_send_again_question(qtbot) -> QMessageBox:
    """The "Send again?" box, once it is open."""
    qtbot.waitUntil(
        lambda: top_level(QMessageBox, SEND_AGAIN_QUESTION) is not None, timeout=WAIT_MS
    )
    box = top_level(QMessageBox, SEND_AGAIN_QUESTION)
    assert box is not None
    return box


def wait_send_again_closed(qtbot, window: MainWindow) -> None:
    """Wait for the question to go and the window to be active again.

    A desktop hands the activation back to the window as its question closes; the
    offscreen platform does not always, and keys then reach no shortcut.
    """
    qtbot.waitUntil(lambda: top_level(QMessageBox, SEND_AGAIN_QUESTION) is None, timeout=WAIT_MS)
    window.activateWindow()
    wait_active(qtbot, window)


def answer_send_again(qtbot, window: MainWindow, box: QMessageBox, name: str) -> None:
    """Click the box's button with the accessible name ``name``; wait for the box to go."""
    chosen = next(b for b in box.buttons() if b.accessibleName() == name)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    wait_send_again_closed(qtbot, window)


def open_search(qtbot, window: MainWindow) -> QDialog:
    """Click "Find candidate" and wait for the search: it opens once the network code is
    loaded (in the background), at once if it already is."""
    qtbot.mouseClick(button(window, "Find candidate"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: top_level(QDialog) is not None, timeout=WAIT_MS)
    dialog = top_level(QDialog)
    assert dialog is not None
    return dialog
