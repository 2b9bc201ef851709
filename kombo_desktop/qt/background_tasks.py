"""Keyring and file work off the GUI thread, with results back on it.

Keyring calls can block on D-Bus or on an unlock prompt, and file writes end with
an fsync, so the profiles dialog, the picker and the draft keeper hand them to a
``TaskRunner``: a single background thread (tasks run in order, so file writes
never overtake each other) whose results arrive on the GUI thread through a
queued signal.

The picker's runners are shared with the dialog it opens, so a task can be run for a
*context*, the object that waits for its answer: its answers are dropped once that
object is destroyed, ``busy_for`` tells whether its own tasks are still out, and
``contextIdle`` says when the last of them has been answered.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from kombo_desktop.core.serial_worker import SerialWorker

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


@dataclass(frozen=True)
class _Task:
    """What a task's answer goes to."""

    on_success: SuccessCallback | None
    on_failure: FailureCallback | None
    # Who waits for the answer (None: nobody in particular). Held, as the callbacks
    # usually hold it anyway, until the answer arrives or is dropped.
    context: QObject | None


class TaskRunner(QObject):
    """Runs plain functions on one background thread; callbacks run on the GUI thread."""

    # Emitted on the background thread; delivered on the GUI thread (queued connection).
    _done = Signal(int, bool, object)
    #: Emitted with a context once the last of its tasks has been answered, after that
    #: task's callback, whether it succeeded or failed. A callback that runs another
    #: task for the same context keeps it busy: the signal waits for that one too. Never
    #: emitted for a context that is gone, nor after ``shutdown``.
    contextIdle = Signal(QObject)

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
        self._tasks: dict[int, _Task] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        worker = self._worker
        self.destroyed.connect(
            lambda *_: worker.shutdown(wait=False, cancel_pending=not finish_at_exit)
        )

    @property
    def busy(self) -> bool:
        """True while a task is pending or running, whoever it was run for."""
        return bool(self._tasks)

    def busy_for(self, context: QObject) -> bool:
        """True while a task run for ``context`` has not been answered yet.

        Tasks of other contexts (or of none) do not count; nor do those of a context
        that is gone, whose answers nobody waits for any more.
        """
        return shiboken6.isValid(context) and self._waits(context)

    def _waits(self, context: QObject) -> bool:
        return any(task.context is context for task in self._tasks.values())

    def run(
        self,
        function: Callable[[], Any],
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Run ``function()`` in the background; then ``on_success(result)`` or ``on_failure``.

        ``context`` is the object that waits for the answer, when the runner outlives it
        (a dialog working on its opener's runner): once it is destroyed, the task still
        runs but neither callback does. Until the answer arrives, ``busy_for(context)``
        is True; ``contextIdle`` tells when its last task has been answered.
        """
        if self._closed:
            return
        task_id = next(self._ids)
        self._tasks[task_id] = _Task(on_success, on_failure, context)
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
        task = self._tasks.pop(task_id, None)
        if task is None:
            return
        context = task.context
        if context is not None and not shiboken6.isValid(context):
            return  # its context is gone: nothing is left to show the answer in
        try:
            self._answer(task, ok, payload)
        finally:
            # Also after a callback that raised: whoever waits for the context's tasks
            # to end (a dialog's close) would wait for ever.
            if context is not None and self._ends_busy_moment(context):
                self.contextIdle.emit(context)

    def _ends_busy_moment(self, context: QObject) -> bool:
        # The callback may have run another task for it, shut the runner down, or
        # deleted the context itself.
        return not self._closed and shiboken6.isValid(context) and not self._waits(context)

    @staticmethod
    def _answer(task: _Task, ok: bool, payload: object) -> None:
        if ok:
            if task.on_success is not None:
                task.on_success(payload)
            return
        assert isinstance(payload, BaseException)
        if task.on_failure is not None:
            task.on_failure(payload)
        else:
            log.error("Background task failed: %s", payload)

    def shutdown(self) -> None:
        """Refuse new tasks; idempotent. No callback runs after this.

        A runner that finishes at exit (a writer) returns once every task already given
        has finished. One that only reads drops what is queued and does not wait: its
        task may be waiting on a keyring's unlock prompt.
        """
        self._closed = True
        self._tasks.clear()
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
