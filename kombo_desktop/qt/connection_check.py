"""The profiles dialog's "Test connection": the key, then the integration, for the form's values.

``KomboClient.check_connection`` checks the key (``GET /check-api-key``), then reads one
candidate with the integration ID, which a key check alone never uses.

The check goes through the shared ``ApiWorker``. Its result speaks of the values it
tested: once they change the check is forgotten (cancelled if still running, its
result cleared), and an answer that comes afterwards is never shown. The person can also
cancel a test that takes too long ("Cancel test", or Esc): the same cancel, said as such.
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
from kombo_desktop.qt.links import tooltip_text
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

    ``button`` ("Test connection") is off while a test runs and ``cancel_button`` ("Cancel
    test", next after it in the tab order) shows only then; ``result`` shows how it went
    (and has it said), with the technical detail (Kombo's code, the HTTP status) as its
    tooltip, and ``log_link`` below it links to Kombo's log of a refused request.
    """

    #: Emitted with each test's result and its text: true when the key works (the
    #: integration confirmed, or left to be checked when sending), false otherwise.
    tested = Signal(bool, str)

    def __init__(
        self,
        parent: QWidget,
        worker: ApiWorker,
        button: QPushButton,
        cancel_button: QPushButton,
        result: QLabel,
    ) -> None:
        """Goes with ``parent``, the dialog that shows the buttons and ``result``."""
        super().__init__(parent)
        self._worker = worker
        self._button = button
        self._cancel_button = cancel_button
        self._result = result
        self._job: Job | None = None
        # The test button is off while it tests: its focus goes on to "Cancel test", then
        # back to it once the test is over.
        self._focus = FocusKeeper(parent)
        cancel_button.hide()
        cancel_button.clicked.connect(self.cancel)
        # For the dialog to place, below the result.
        self.log_link = KomboLogLink(parent)

    def start(self, connection: Connection) -> None:
        """Check ``connection`` (the form's values, already checked themselves)."""
        self._show_detail(None)
        show_text(self._result, "Testing the connection…")
        # Shown first, so that the test button's focus has somewhere to go.
        self._cancel_button.show()
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
                self._buttons_back()

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.cancelled.connect(cancelled)
        job.finished.connect(finished)

    @property
    def running(self) -> bool:
        """True while a test runs (until its answer, or its cancel, is shown)."""
        return self._job is not None

    @Slot()
    def cancel(self) -> None:
        """The person stops the test: "Test cancelled." shows now, and whatever the
        request still answers (even an answer already on its way) never does."""
        if self._job is None:
            return
        self.abandon()
        self._buttons_back()
        self._show(Severity.ERROR, "Test cancelled.")

    @Slot()
    def forget(self) -> None:
        """Cancel a test still running and clear the result: what it tested has changed."""
        self.abandon()
        self._buttons_back()
        show_text(self._result, "")
        set_text_tone(self._result, None)
        self._show_detail(None)

    def abandon(self) -> None:
        """Cancel a test still running, and show nothing of it any more (closing)."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel()

    def _buttons_back(self) -> None:
        """Turn "Test connection" on again and hide "Cancel test", the focus back where it
        was."""
        self._button.setEnabled(True)
        with self._focus.going_off():
            self._cancel_button.hide()
        self._focus.give_back()

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
        # Shown as it is: the detail quotes Kombo's code and title, never to be read as
        # markup.
        detail = message.detail if message is not None else ""
        self._result.setToolTip(tooltip_text(detail) if detail else "")
        self.log_link.show_log(message.log_url if message is not None else None)
