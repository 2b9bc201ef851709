"""The profiles dialog's "Test connection": ``GET /check-api-key`` for the form's values.

The check goes through the shared ``ApiWorker``. Its result speaks of the values it
tested: once they change the check is forgotten (cancelled if still running, its
result cleared), and an answer that comes afterwards is never shown.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kombo_desktop.core.client import ApiOutcome, KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import describe_error, describe_key_check
from kombo_desktop.core.models import ApiKeyCheck
from kombo_desktop.qt.field_marks import set_text_tone
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.icons import StatusKind
from kombo_desktop.qt.spoken import show_text
from kombo_desktop.qt.worker import ApiWorker, Job


async def _check_key(client: KomboClient, report: Any) -> tuple[ApiOutcome, ApiKeyCheck]:
    return await client.check_api_key()


class ConnectionCheck(QObject):
    """Runs one connection test at a time, shows its result, and forgets it on request.

    ``button`` ("Test connection") is off while a test runs; ``result`` shows how it went.
    """

    #: Emitted with each test's result and its text (success or error).
    tested = Signal(bool, str)

    def __init__(
        self, parent: QWidget, worker: ApiWorker, button: QPushButton, result: QLabel
    ) -> None:
        """Goes with ``parent``, the dialog that shows ``button`` and ``result``."""
        super().__init__(parent)
        self._worker = worker
        self._button = button
        self._result = result
        self._job: Job | None = None
        self._focus = FocusKeeper(parent)  # the button is off while it tests

    def start(self, connection: Connection) -> None:
        """Check ``connection`` (the form's values, already checked themselves)."""
        show_text(self._result, "Testing the connection…")
        with self._focus.going_off():
            self._button.setEnabled(False)
        job = self._worker.submit(connection, _check_key)
        self._job = job
        environment = connection.environment

        # An answer is shown only while the test is the current one: not once the dialog
        # is gone (closed while testing), nor once what was tested changed (another
        # profile, another key), which cancels the test and forgets it.
        def current() -> bool:
            return shiboken6.isValid(self) and self._job is job

        def succeeded(answer: object) -> None:
            if not current():
                return
            assert isinstance(answer, tuple)
            outcome, check = answer
            assert isinstance(outcome, ApiOutcome)
            assert isinstance(check, ApiKeyCheck)
            self._show(True, describe_key_check(outcome, check, environment).text)

        def failed(error: object) -> None:
            if not current():
                return
            assert isinstance(error, BaseException)
            self._show(False, describe_error(error).text)

        def cancelled() -> None:
            if current():
                self._show(False, "Test cancelled.")

        def finished() -> None:
            if current():
                self._job = None
                self._button.setEnabled(True)
                self._focus.give_back()

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.cancelled.connect(cancelled)
        job.finished.connect(finished)

    @Slot()
    def forget(self) -> None:
        """Cancel a test still running and clear the result: what it tested has changed."""
        self.abandon()
        self._button.setEnabled(True)
        self._focus.give_back()
        show_text(self._result, "")
        set_text_tone(self._result, None)

    def abandon(self) -> None:
        """Cancel a test still running, and show nothing of it any more (closing)."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel()

    def _show(self, ok: bool, text: str) -> None:
        show_text(self._result, text)
        set_text_tone(self._result, StatusKind.SUCCESS if ok else StatusKind.ERROR)
        self.tested.emit(ok, text)
