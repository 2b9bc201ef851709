"""Closing the window is never held up on screen, nor cut short: what may wait (the
network thread, the draft's last write) waits with the window already hidden, and a
network worker that cannot stop still lets the draft be written and the window's
``closed`` be said (the demo stops its sandbox on it)."""

from __future__ import annotations

from typing import NoReturn

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import run_python
from tests.main_window_support import build_window, type_into


def _typed_into_with_its_worker(qtbot: QtBot, sandbox: Sandbox, label: str) -> MainWindow:
    """A window whose network worker is made (after start-up), ``label`` typed in it."""
    window = build_window(qtbot, sandbox)
    qtbot.waitUntil(window.network_ready, timeout=10_000)
    type_into(qtbot, window, "Label", label)
    return window


def test_the_window_is_hidden_before_closing_waits_for_the_network_and_the_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _typed_into_with_its_worker(qtbot, fresh_sandbox, "Assessment Result")
    close_drafts, stop_worker = window.drafts.close, ApiWorker.shutdown
    visible_while_waiting: dict[str, bool] = {}

    def noting_close() -> None:
        visible_while_waiting["draft"] = window.isVisible()
        close_drafts()

    def noting_shutdown(worker: ApiWorker, timeout_s: float = 5.0) -> None:
        visible_while_waiting["network"] = window.isVisible()
        stop_worker(worker, timeout_s)

    monkeypatch.setattr(window.drafts, "close", noting_close)
    monkeypatch.setattr(ApiWorker, "shutdown", noting_shutdown)
    window.close()
    # Before: the window stayed on screen, not answering, for as long as either took.
    assert visible_while_waiting == {"network": False, "draft": False}


def test_a_worker_that_cannot_stop_still_lets_the_window_close(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _typed_into_with_its_worker(qtbot, fresh_sandbox, "Kept on close")
    stop_worker = ApiWorker.shutdown

    def fails(worker: ApiWorker, timeout_s: float = 5.0) -> NoReturn:
        stop_worker(worker, timeout_s)  # stopped for real: the test leaves no thread behind
        raise RuntimeError("Cannot close a running event loop")

    monkeypatch.setattr(ApiWorker, "shutdown", fails)
    with qtbot.waitSignal(window.closed, timeout=5_000):
        window.close()
    assert not window.drafts.pending
    saved = window.drafts.store.load()
    assert saved is not None
    assert saved.label == "Kept on close"


_QUIT_WITH_A_STUCK_NETWORK_THREAD = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kombo_desktop import app as entry
from kombo_desktop.qt import worker
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.single_instance import FirstInstance

worker.ApiWorker.shutdown.__defaults__ = (0.2,)  # the waits of a stuck close, shortened
qapp = QApplication(["kombo-desktop"])

async def stalls(client, report):
    time.sleep(30)  # a call that never gives the network thread back

def stall_then_close():
    (window,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
    if not window.network_ready():
        QTimer.singleShot(50, stall_then_close)
        return
    window.worker.submit(window._source.current_connection(), stalls)
    QTimer.singleShot(200, window.close)

QTimer.singleShot(0, stall_then_close)
print("code", entry._run(["--demo"], FirstInstance(None)), flush=True)
"""


def test_quitting_with_a_stuck_network_thread_ends_cleanly(app_home) -> None:
    result = run_python(app_home, _QUIT_WITH_A_STUCK_NETWORK_THREAD)
    # Before: "QThread: Destroyed while thread … is still running", and an abort (134)
    # seconds after the window had closed, the window lock held meanwhile.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Destroyed while thread" not in result.stderr
