"""Closing the window is never held up on screen, nor cut short: what may wait (the
network thread, the draft's last write) waits with the window already hidden, and a
network worker that cannot stop still lets the draft be written and the window's
``closed`` be said (the demo stops its sandbox on it)."""

from __future__ import annotations

from typing import NoReturn

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import build_window, type_into


def test_the_window_is_hidden_before_closing_waits_for_the_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    type_into(qtbot, window, "Label", "Assessment Result")
    close_drafts = window.drafts.close
    visible_while_waiting: list[bool] = []

    def noting_close() -> None:
        visible_while_waiting.append(window.isVisible())
        close_drafts()

    monkeypatch.setattr(window.drafts, "close", noting_close)
    window.close()
    # Before: the window stayed on screen, not answering, for as long as the last write.
    assert visible_while_waiting == [False]


def test_a_worker_that_cannot_stop_still_lets_the_window_close(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(window.network_ready, timeout=10_000)  # the worker is made after start-up
    type_into(qtbot, window, "Label", "Kept on close")
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
