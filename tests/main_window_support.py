"""Shared pieces of the main-window tests: building a window against the sandbox, typing,
a send that fails with Retry, picking in Find…, and a connection the bar refuses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeView,
)

from kombo_desktop.core.client import RetryPolicy, Timeouts
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.settings import app_settings, settings_path
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_INTEGRATION_ID,
    Fault,
    RecordedRequest,
    Sandbox,
)
from tests.leakcheck import assert_no_file_contains
from tests.qt_helpers import find_by_accessible_name, top_level, wait_active, wait_exposed

WAIT_MS = 15000


def launched(qtbot, argv: list[str]) -> MainWindow:
    """The app's window for ``argv`` as ``kombo_desktop.app.launch`` builds it, on screen."""
    from kombo_desktop.app import launch

    window = launch(argv)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    wait_exposed(qtbot, window)
    return window


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


def window_with_draft_read(qtbot, sandbox: Sandbox) -> MainWindow:
    """A window as ``build_window`` makes it, once it has read the draft (there is none):
    a draft made unwritable before that would be found by the read as a folder in the
    draft's place and set aside, and saves meant to fail would work."""
    window = build_window(qtbot, sandbox)
    qtbot.waitUntil(lambda: not window.drafts.saving, timeout=WAIT_MS)
    return window


def window_to(qtbot, sandbox: Sandbox, base_url: str) -> MainWindow:
    """A window as ``build_window`` makes it, its connection bar then holding the demo
    credentials for ``base_url`` (another address than the sandbox's)."""
    window = build_window(qtbot, sandbox)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    bar.set_values(api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url)
    return window


def ready_window(qtbot, sandbox: Sandbox) -> MainWindow:
    """A window as ``build_window`` makes it, once its form's checks are loaded (a key
    typed is checked at once from then on)."""
    window = build_window(qtbot, sandbox)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    return window


def bar_window(qtbot) -> MainWindow:
    """A shown window on a connection bar that keeps its values in the app's settings, as
    the app's own does: a window opened after it starts from what it kept."""
    window = MainWindow(ConnectionBar(settings=app_settings()))
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    return window


def bar_window_holding(
    qtbot, *, integration_id: str, base_url: str
) -> tuple[MainWindow, ConnectionBar]:
    """A bar window (see ``bar_window``) whose bar holds the demo key, ``integration_id``
    and ``base_url``, as typed or pasted there; the bar."""
    window = bar_window(qtbot)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    bar.set_values(api_key=DEMO_API_KEY, integration_id=integration_id, base_url=base_url)
    return window, bar


def line_edit(window: MainWindow, name: str) -> QLineEdit:
    return find_by_accessible_name(window, name, QLineEdit)


def type_over(qtbot, window: MainWindow, name: str, text: str) -> None:
    """Select what the field ``name`` holds and type ``text`` over it, as a person moves on."""
    field = line_edit(window, name)
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


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


def paste_into(qtbot, window: MainWindow, name: str, clipboard, text: str) -> QLineEdit:
    """Ctrl+V with ``text`` on the clipboard (the ``clipboard`` fixture's) in the field
    called ``name``, at its cursor."""
    field = line_edit(window, name)
    field.setFocus()
    clipboard.setText(text)
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    return field


def paste_remote_json(qtbot, window: MainWindow, text: str) -> None:
    """Open the Advanced section and paste ``text`` over what its "Remote fields JSON"
    holds (Ctrl+A, Ctrl+V), as a person does."""
    window.form.remote_fields.set_expanded(True)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == text


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


def submit_until_sent(qtbot, window: MainWindow) -> None:
    """Press Submit and wait until the request is handed to the network thread (the
    window shows "Sending…" first, and hands it over after that frame)."""
    with qtbot.waitSignal(window.requestStarted, timeout=WAIT_MS):
        click_submit(qtbot, window)


def restarted(qtbot, window: MainWindow, sandbox: Sandbox, *, saying: str) -> MainWindow:
    """``window`` closed (its draft written) and the app started again: the new window,
    once its panel's words start with ``saying`` (what a restored form says)."""
    window.close()
    again = build_window(qtbot, sandbox)
    qtbot.waitUntil(lambda: again.response.summary_text().startswith(saying), timeout=WAIT_MS)
    return again


def submit_and_wait(qtbot, window: MainWindow) -> None:
    """Press Submit and wait until the answer is shown."""
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)


def at_next_candidate(
    qtbot, window: MainWindow, sandbox: Sandbox, attributes: str = "Score\t100%\nTime\t1:45h\n"
) -> None:
    """The first candidate's link sent with ``attributes``, then "Next candidate" and the
    second candidate's ID and result URL typed: the attributes' keys wait for values."""
    fill_form(qtbot, window, target_id=candidate_id(sandbox), prefix="Acme:", attributes=attributes)
    submit_and_wait(qtbot, window)
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    type_into(qtbot, window, "Target ID", candidate_id(sandbox, 1))
    type_into(qtbot, window, "Result URL", "https://example.com/results/2")


def candidate_id(sandbox: Sandbox, index: int = 0) -> str:
    return str(sandbox.candidates[index]["id"])


def posts(sandbox: Sandbox) -> list[RecordedRequest]:
    return [r for r in sandbox.requests if r.method == "POST"]


def sent_attributes(sandbox: Sandbox) -> Any:
    """The attributes of the one result link sent to ``sandbox``, as they went out."""
    sent = posts(sandbox)
    assert len(sent) == 1
    return sent[-1].json()["details"]["attributes"]


def fill_sample_form(qtbot, window: MainWindow, sandbox: Sandbox) -> str:
    """Type a whole form for the sandbox's second candidate, with a prefix and one
    attribute; the target ID typed."""
    target = candidate_id(sandbox, 1)
    fill_form(
        qtbot,
        window,
        target_id=target,
        url="https://example.com/results/err",
        prefix="Acme:",
        attributes="Score\t88%\n",
    )
    return target


def fail_once_with_retry(qtbot, window: MainWindow, sandbox: Sandbox) -> QPushButton:
    """Fill the form, have the send fail with a 503, and return the Retry shown for it."""
    sandbox.inject_fault(Fault.server_error(503), times=1)
    fill_sample_form(qtbot, window, sandbox)
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    return retry


#: The object name of the "Send again?" question (Submit or Retry of what may be added).
SEND_AGAIN_QUESTION = "retryConfirmation"


def wait_for_send_again_question(qtbot) -> QMessageBox:
    """The "Send again?" box, once it is open."""
    return wait_for_question(qtbot, SEND_AGAIN_QUESTION)


def wait_for_question(qtbot, name: str) -> QMessageBox:
    """The question box with the object name ``name``, once it is open."""
    qtbot.waitUntil(lambda: top_level(QMessageBox, name) is not None, timeout=WAIT_MS)
    box = top_level(QMessageBox, name)
    assert box is not None
    return box


def answer_question(qtbot, box: QMessageBox, button_name: str) -> None:
    """Click the button of ``box`` with the accessible name ``button_name``; wait for the
    box to go."""
    name = box.objectName()
    chosen = next(b for b in box.buttons() if b.accessibleName() == button_name)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: top_level(QMessageBox, name) is None, timeout=WAIT_MS)


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
    """Click Find… ("Find candidate", or "Find application" when Application is chosen) and
    wait for the search: it opens once the network code is loaded (in the background), at
    once if it already is."""
    kind = window.form.target_kind()
    name = "Find application" if kind is TargetKind.APPLICATION else "Find candidate"
    qtbot.mouseClick(button(window, name), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: top_level(QDialog) is not None, timeout=WAIT_MS)
    dialog = top_level(QDialog)
    assert dialog is not None
    return dialog


def candidate_with_applications(sandbox: Sandbox, applications: int) -> dict[str, Any]:
    """The first of the sandbox's candidates with that many applications."""
    return next(c for c in sandbox.candidates if len(c["applications"]) == applications)


def candidate_email(candidate: dict[str, Any]) -> str:
    return str(candidate["email_addresses"][0]["email_address"])


def picked_label(window: MainWindow) -> QLabel:
    return find_by_accessible_name(window, "Picked target", QLabel)


def picked_words(window: MainWindow) -> str:
    """What the window shows under the Target ID ("" when nothing is shown)."""
    label = picked_label(window)
    return label.text() if label.isVisible() else ""


def pick_in_search(
    qtbot, window: MainWindow, candidate: dict[str, Any], application: int | None
) -> None:
    """Search ``candidate`` by email in Find…, select it (or its ``application``-th
    application) and press "Use selected"."""
    dialog = open_search(qtbot, window)
    search_email = find_by_accessible_name(dialog, "Search email", QLineEdit)
    search_email.setFocus()
    qtbot.keyClicks(search_email, candidate_email(candidate))
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Search", QPushButton), Qt.MouseButton.LeftButton
    )
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    qtbot.waitUntil(lambda: results.model().rowCount() == 1, timeout=WAIT_MS)
    row = results.model().index(0, 0)
    if application is not None:
        row = results.model().index(application, 0, row)
    results.setCurrentIndex(row)
    use = find_by_accessible_name(dialog, "Use selected", QPushButton)
    assert use.isEnabled()
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: top_level(QDialog) is None, timeout=WAIT_MS)


# ---- a connection the bar refuses ------------------------------------------------------


def assert_the_connection_stops_a_send(
    qtbot, window: MainWindow, sandbox: Sandbox, *, problem: str, field: str, key: str
) -> QLineEdit:
    """With the form filled in, the connection's ``problem`` turns Submit and the curl copy
    off and keeps ``key`` out of the preview; Ctrl+Enter says why, leads to the connection's
    ``field`` and sends nothing. The field."""
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert f"Connection: {problem}" in submit.toolTip()
    # The preview goes nowhere with it, and no curl command is there to be copied.
    assert not button(window, "Copy as curl").isEnabled()
    assert key not in window.preview.request_line.text() + window.preview.body_text()
    press_ctrl_enter(qtbot, window)
    edit = line_edit(window, field)
    assert problem in window.statusBar().currentMessage()
    assert edit.hasFocus()
    assert posts(sandbox) == []
    return edit


@contextmanager
def corrected_in_a_new_window(qtbot, field: str, value: str) -> Iterator[QLineEdit]:
    """A new bar window, whose ``field`` starts empty (what was refused there is not kept),
    with ``value`` typed into it for the block; afterwards that window is closed and the
    next one opened shows ``value``: a corrected value is kept as any is."""
    window = bar_window(qtbot)
    edit = line_edit(window, field)
    assert edit.text() == ""
    edit.setText(value)
    yield edit
    window.close()
    assert line_edit(bar_window(qtbot), field).text() == value


def assert_the_window_takes_a_key_out_of_the_settings(
    qtbot, app_home: Path, kept: dict[str, str], *, field: str, key: str
) -> None:
    """Settings an earlier version kept (``kept``, holding ``key``): a bar window opens with
    ``field`` empty, and once it is closed no file holds ``key``."""
    settings = app_settings()
    for name, value in kept.items():
        settings.setValue(name, value)
    settings.sync()
    assert key in settings_path().read_text(encoding="utf-8")
    window = bar_window(qtbot)
    assert line_edit(window, field).text() == ""
    window.close()
    app_settings().sync()
    assert_no_file_contains(app_home, key)
