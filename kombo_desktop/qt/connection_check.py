"""The profiles dialog's "Test connection": the key, then the integration, for the form's values.

``KomboClient.check_connection`` checks the key (``GET /check-api-key``), then reads one
candidate with the integration ID, which a key check alone never uses.

The check goes through the shared ``ApiWorker``. Its result speaks of the values it
tested: once they change the check is forgotten (cancelled if still running, its
result cleared), and an answer that comes afterwards is never shown.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kombo_desktop.core.client import ConnectionCheckOutcome, KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import (
    Severity,
    UserMessage,
    describe_connection_check,
    describe_error,
)
from kombo_desktop.qt.field_marks import set_text_tone
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.icons import StatusKind
from kombo_desktop.qt.log_link import KomboLogLink
from kombo_desktop.qt.spoken import announce, show_text
from kombo_desktop.qt.worker import ApiWorker, Job


async def _check_connection(client: KomboClient, report: Any) -> ConnectionCheckOutcome:
    return await client.check_connection()


_TONES = {
    Severity.SUCCESS: StatusKind.SUCCESS,
    Severity.WARNING: StatusKind.WARNING,
    Severity.ERROR: StatusKind.ERROR,
}


class ConnectionCheck(QObject):
    """Runs one connection test at a time, shows its result, and forgets it on request.

    ``button`` ("Test connection") is off while a test runs; ``result`` shows how it went
    (and has it said), with the technical detail (Kombo's code, the HTTP status) as its
    tooltip, and ``log_link`` below it links to Kombo's log of a refused request.
    """

    #: Emitted with each test's result and its text: true when the key works (the
    #: integration confirmed, or left to be checked when sending), false otherwise.
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
        # For the dialog to place, below the result.
        self.log_link = KomboLogLink(parent)

    def start(self, connection: Connection) -> None:
        """Check ``connection`` (the form's values, already checked themselves)."""
        self._show_detail(None)
        show_text(self._result, "Testing the connection…")
        with self._focus.going_off():
            self._button.setEnabled(False)
        job = self._worker.submit(connection, _check_connection)
        self._job = job

        # An answer is shown only while the test is the current one: not once the dialog
        # is gone (closed while testing), nor once what was tested changed (another
        # profile, another key), which cancels the test and forgets it.
        def current() -> bool:
            return shiboken6.isValid(self) and self._job is job

        def succeeded(answer: object) -> None:
            if not current():
                return
            assert isinstance(answer, ConnectionCheckOutcome)
            message = describe_connection_check(answer)
            self._show(message.severity, message.text, message)

        def failed(error: object) -> None:
            if not current():
                return
            assert isinstance(error, BaseException)
            message = describe_error(error)
            self._show(Severity.ERROR, message.text, message)

        def cancelled() -> None:
            if current():
                self._show(Severity.ERROR, "Test cancelled.")

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
        self._show_detail(None)

    def abandon(self) -> None:
        """Cancel a test still running, and show nothing of it any more (closing)."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel()

    def _show(self, severity: Severity, text: str, message: UserMessage | None = None) -> None:
        show_text(self._result, text)
        set_text_tone(self._result, _TONES[severity])
        self._show_detail(message)
        # The result shows below the form while the focus is back on the button: said,
        # or a screen-reader user would not know the test is over, nor how it went.
        announce(self._result, text)
        # A warning is a key that works with an integration left unchecked: it passed.
        self.tested.emit(severity is not Severity.ERROR, text)

    def _show_detail(self, message: UserMessage | None) -> None:
        """What ``message`` says beyond its text: its detail as the result's tooltip, and
        Kombo's log as a link; ``None`` clears both."""
        self._result.setToolTip(message.detail if message is not None else "")
        self.log_link.show_log(message.log_url if message is not None else None)
