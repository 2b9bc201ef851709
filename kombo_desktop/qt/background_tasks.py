"""Keyring and file work off the GUI thread, with results back on it.

Keyring calls can block on D-Bus or on an unlock prompt, and file writes end with
an fsync, so the profiles dialog, the picker and the draft keeper hand them to a
``TaskRunner``: a single background thread (tasks run in order, so file writes
never overtake each other) whose results arrive on the GUI thread through a
queued signal.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kombo_desktop.core.serial_worker import SerialWorker

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs plain functions on one background thread; callbacks run on the GUI thread."""

    # Emitted on the background thread; delivered on the GUI thread (queued connection).
    _done = Signal(int, bool, object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        name: str = "kombo-profiles",
        finish_at_exit: bool = True,
    ) -> None:
        """``finish_at_exit=False`` for a runner that only reads: its queued tasks are
        dropped when its owner goes or the app quits, instead of run (``SerialWorker``)."""
        super().__init__(parent)
        self._worker = SerialWorker(name, finish_at_exit=finish_at_exit)
        self._callbacks: dict[int, tuple[SuccessCallback | None, FailureCallback | None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        worker = self._worker
        self.destroyed.connect(
            lambda *_: worker.shutdown(wait=False, cancel_pending=not finish_at_exit)
        )

    @property
    def busy(self) -> bool:
        """True while a task is pending or running."""
        return bool(self._callbacks)

    def run(
        self,
        function: Callable[[], Any],
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
    ) -> None:
        """Run ``function()`` in the background; then ``on_success(result)`` or ``on_failure``."""
        if self._closed:
            return
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_success, on_failure)
        self._worker.submit(lambda: self._call(task_id, function))

    def _call(self, task_id: int, function: Callable[[], Any]) -> None:
        try:
            result = function()
        except Exception as exc:  # every failure reaches the GUI as a value, never a crash
            self._emit(task_id, False, exc)
        else:
            self._emit(task_id, True, result)

    def _emit(self, task_id: int, ok: bool, payload: object) -> None:
        # RuntimeError: the runner's widget is gone and nobody waits for the answer.
        with contextlib.suppress(RuntimeError):
            self._done.emit(task_id, ok, payload)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None:
            return
        on_success, on_failure = callbacks
        if ok and on_success is not None:
            on_success(payload)
        elif not ok:
            assert isinstance(payload, BaseException)
            if on_failure is not None:
                on_failure(payload)
            else:
                log.error("Background task failed: %s", payload)

    def shutdown(self) -> None:
        """Refuse new tasks; idempotent. No callback runs after this.

        A runner that finishes at exit (a writer) returns once every task already given
        has finished. One that only reads drops what is queued and does not wait: its
        task may be waiting on a keyring's unlock prompt.
        """
        self._closed = True
        self._callbacks.clear()
        finishing = self._worker.finish_at_exit
        self._worker.shutdown(wait=finishing, cancel_pending=not finishing)


@dataclass(frozen=True)
class ProfileRunners:
    """The keyring reader and the profiles-file writer, shared by the picker and its dialog.

    Shared so that the keyring sees one read at a time (each may bring up an unlock
    prompt) and the profiles file has one writer.
    """

    reader: TaskRunner
    writer: TaskRunner

    @classmethod
    def owned_by(cls, owner: QObject) -> ProfileRunners:
        """Runners that stop when ``owner`` goes; a read nobody waits for is dropped at exit."""
        return cls(
            reader=TaskRunner(owner, name="kombo-profile-keys", finish_at_exit=False),
            writer=TaskRunner(owner, name="kombo-profile-writes"),
        )
