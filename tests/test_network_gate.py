"""Actions that need the network code wait for it without freezing the window.

The network code (httpx, the client, the worker) loads on a background thread after
the window shows. A Submit or a Find… made before it is there must neither import it
on the GUI thread nor wait there for the background import: the window shows that it
is sending (or opening the search) at once, and the action follows the load.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from kombo_desktop.app import launch
from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import run_child
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    click_submit,
    fill_form,
    posts,
)
from tests.qt_helpers import find_by_accessible_name


def not_started(target_id: str) -> str:
    """The panel's words when a send could not start: it names the candidate meant."""
    return (
        "Error. Something went wrong inside Kombo Desktop while sending to candidate "
        f"{target_id}. The form is unchanged."
    )


@pytest.mark.usefixtures("no_early_warm_up")
def test_submit_before_the_network_code_is_loaded_shows_sending_and_then_sends(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    assert not window.network_ready()

    click_submit(qtbot, window)
    # At once, before anything is loaded: the window is busy and says so.
    assert not window.network_ready()
    assert window.busy
    assert not button(window, "Submit").isEnabled()
    assert "Sending" in window.response.accessibleDescription()

    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.network_ready()
    assert "Success" in window.response.accessibleDescription()
    assert len(posts(fresh_sandbox)) == 1


@pytest.mark.usefixtures("no_early_warm_up")
def test_cancel_while_the_network_code_loads_sends_nothing(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    click_submit(qtbot, window)
    assert not button(window, "Submit").isEnabled()
    assert not window.network_ready()

    QTest.mouseClick(button(window, "Cancel"), Qt.MouseButton.LeftButton)
    assert not window.busy
    # Nothing went out, and the window says so: no "may have been added", no careful Retry.
    assert window.response.accessibleDescription() == "Cancelled. Nothing was sent."
    assert window.response.message() is None
    assert window.form.state().target_id == candidate_id(fresh_sandbox)

    # The load goes on; once it is done, the cancelled request must not start late.
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    # Only the second Submit reached the server.
    assert len(posts(fresh_sandbox)) == 1


@pytest.mark.usefixtures("no_early_warm_up")
def test_find_before_the_network_code_is_loaded_opens_the_search_once_it_is(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    assert not window.network_ready()
    window.open_lookup()
    window.open_lookup()  # a second click while waiting opens no second dialog
    assert window.statusBar().currentMessage() == "Opening the candidate search…"

    def one_search_open() -> None:
        dialogs = [d for d in window.findChildren(CandidateLookupDialog) if d.isVisible()]
        assert len(dialogs) == 1

    qtbot.waitUntil(one_search_open, timeout=WAIT_MS)
    assert window.network_ready()
    for dialog in window.findChildren(QDialog):
        dialog.reject()


@pytest.mark.usefixtures("no_early_warm_up", "memory_keyring")
def test_manage_profiles_before_the_network_code_is_loaded_opens_once_it_is(
    qtbot: QtBot,
) -> None:
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    assert not window.network_ready()

    manage = find_by_accessible_name(window, "Manage profiles", QPushButton)
    QTest.mouseClick(manage, Qt.MouseButton.LeftButton)
    # Not yet: the dialog needs the network code. Meanwhile the button cannot be
    # pressed again, and a second call opens nothing more.
    assert picker.dialog is None
    assert not manage.isEnabled()
    assert picker.open_manager() is None

    def dialog_open() -> None:
        assert picker.dialog is not None
        assert picker.dialog.isVisible()

    qtbot.waitUntil(dialog_open, timeout=WAIT_MS)
    assert window.network_ready()
    assert manage.isEnabled()
    dialogs = [
        d for d in QApplication.topLevelWidgets() if isinstance(d, ProfilesDialog) and d.isVisible()
    ]
    assert len(dialogs) == 1
    dialogs[0].reject()


@pytest.mark.usefixtures("no_early_warm_up", "broken_network_code")
def test_without_network_code_a_waiting_submit_ends_with_an_error_and_the_window_works(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    typed = window.form.state()
    click_submit(qtbot, window)

    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.response.accessibleDescription() == not_started(window.form.state().target_id)
    message = window.response.message()
    assert message is not None
    assert not message.may_have_been_applied  # nothing went out: no duplicate to fear
    assert "could not load its network code" in window.statusBar().currentMessage()
    assert window.form.state() == typed
    assert button(window, "Submit").isEnabled()
    assert posts(fresh_sandbox) == []

    # Pressed again, it ends at once: the failed import is not tried again (that would
    # be on the GUI thread), and the person is told again.
    click_submit(qtbot, window)
    assert not window.busy
    assert window.response.accessibleDescription() == not_started(window.form.state().target_id)
    assert "could not load its network code" in window.statusBar().currentMessage()


@pytest.mark.usefixtures("no_early_warm_up", "broken_network_code", "memory_keyring")
def test_without_network_code_manage_profiles_can_be_pressed_again(qtbot: QtBot) -> None:
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    manage = find_by_accessible_name(window, "Manage profiles", QPushButton)
    QTest.mouseClick(manage, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(manage.isEnabled, timeout=WAIT_MS)
    assert picker.dialog is None
    assert "could not load its network code" in window.statusBar().currentMessage()


# A real start in a fresh interpreter: the demo window, its form ready to send (the
# models are loaded) and filled in, the network code not loaded yet. It runs after the
# child's own import hook is in place.
_DEMO_WINDOW_FILLED = """
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from kombo_desktop.app import launch
from kombo_desktop.qt import main_window

# The background load starts with the first action, not by itself.
main_window.NETWORK_WARM_UP_DELAY_MS = 3_600_000
window = launch(["--demo"])
window.ask_before_closing_while_sending = False
form = window.form
sandbox = window.demo_sandbox

def wait(condition):
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start(10)
    QTimer.singleShot(90000, loop.quit)
    loop.exec()

def search_open():
    # (Not by the dialog's class: importing it would import the network code.)
    return any(d.isVisible() for d in window.findChildren(QDialog))

wait(lambda: not form.is_checking())
QTest.keyClicks(form.target_id, str(sandbox.candidates[0]["id"]))
QTest.keyClicks(form.label, "Assessment Result")
QTest.keyClicks(form.url, "https://example.com/results/1")
"""

# Every module is recorded with the thread that imported it; Submit and Find… come as
# early as the form allows.
_EARLY_SUBMIT_CHILD = (
    textwrap.dedent(
        """
        import json, sys, threading
        from importlib.abc import MetaPathFinder

        WATCHED = ("httpx", "httpcore", "anyio", "kombo_desktop.core.client",
                   "kombo_desktop.core.messages", "kombo_desktop.qt.lookup_dialog")
        imported_on_gui_thread = []

        class Recorder(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                on_gui = threading.current_thread() is threading.main_thread()
                if on_gui and name.startswith(WATCHED):
                    imported_on_gui_thread.append(name)
                return None

        sys.meta_path.insert(0, Recorder())
        """
    )
    + _DEMO_WINDOW_FILLED
    + textwrap.dedent(
        """
        ready_before = window.network_ready()
        form.submit_button.click()
        busy_at_once = window.busy
        window.open_lookup()
        wait(lambda: not window.busy and search_open())
        report = {
            "ready_before": ready_before,
            "busy_at_once": busy_at_once,
            "outcome": window.response.accessibleDescription(),
            "posts": len([r for r in sandbox.requests if r.method == "POST"]),
            "imported_on_gui_thread": sorted(set(imported_on_gui_thread)),
            "httpx_loaded": "httpx" in sys.modules,
        }
        window.close()
        print("REPORT " + json.dumps(report))
        """
    )
)


def test_early_actions_never_import_the_network_code_on_the_gui_thread(app_home: Path) -> None:
    report = run_child(app_home, _EARLY_SUBMIT_CHILD)

    assert report["ready_before"] is False
    assert report["busy_at_once"] is True
    assert "Success" in report["outcome"]
    assert report["posts"] == 1
    assert report["httpx_loaded"] is True
    # The search dialog's own module is Qt code, built on the GUI thread when opened;
    # what it needs from the network side was loaded in the background.
    assert report["imported_on_gui_thread"] == ["kombo_desktop.qt.lookup_dialog"]


# While the network code is still being imported on its thread, the GUI thread must not
# need it: were Cancel or Find… to import it, the GUI thread would wait on that import's
# lock. Here the import is held (at httpx) until the GUI thread has done both; a GUI
# thread stuck on the lock would leave it held until the safety timeout instead.
_HELD_IMPORT_CHILD = (
    textwrap.dedent(
        """
        import json, sys, threading
        from importlib.abc import MetaPathFinder

        release = threading.Event()
        held = threading.Event()
        outcome = {"released_by_timeout": False}

        class HoldHttpx(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                on_gui = threading.current_thread() is threading.main_thread()
                if name == "httpx" and not on_gui and not held.is_set():
                    held.set()
                    outcome["released_by_timeout"] = not release.wait(60)
                return None

        sys.meta_path.insert(0, HoldHttpx())
        """
    )
    + _DEMO_WINDOW_FILLED
    + textwrap.dedent(
        """
        form.submit_button.click()
        wait(held.is_set)  # the loader is inside the client's import now, holding its lock
        form.cancel_button.click()
        window.open_lookup()
        release.set()
        wait(search_open)
        report = {
            "held": held.is_set(),
            "released_by_timeout": outcome["released_by_timeout"],
            "outcome": window.response.accessibleDescription(),
            "search_opened": search_open(),
            "posts": len([r for r in sandbox.requests if r.method == "POST"]),
        }
        window.close()
        print("REPORT " + json.dumps(report))
        """
    )
)


def test_cancel_and_find_never_wait_for_the_network_code_being_imported(app_home: Path) -> None:
    report = run_child(app_home, _HELD_IMPORT_CHILD)
    assert report["held"] is True
    assert report["released_by_timeout"] is False
    assert report["outcome"] == "Cancelled. Nothing was sent."
    assert report["search_opened"] is True
    assert report["posts"] == 0


def test_a_request_that_cannot_be_started_ends_the_wait_and_says_so(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the network thread is gone")

    # A fault of the app itself, which no real part here can be made to produce.
    monkeypatch.setattr(window.worker, "submit", refuse)
    click_submit(qtbot, window)

    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.response.accessibleDescription() == not_started(window.form.state().target_id)
    assert "the network thread is gone" in window.response.details_text()
    message = window.response.message()
    assert message is not None
    assert not message.may_have_been_applied
    assert button(window, "Submit").isEnabled()
    assert posts(fresh_sandbox) == []
