"""Saving the form as a draft while typing, off the GUI thread, and loading it at start.

Saves are debounced (one write per pause in typing) and run on one background
thread, so they happen in order and the GUI never waits on the disk. A save of
exactly what the file already holds (the draft just restored, or just saved) is
skipped; the file is read to be sure of that, since another window on the same files
may have written it since. ``close`` saves the form once more and waits for every
write: closing the window loses nothing, and the window closed last leaves its own
form in the file. Every failed save is reported as ``saveFailed``, whatever raised.
A draft a newer version wrote is set aside by the store rather than written over, and
that is said once, as ``setAside``. A draft that could not be read at start was moved
aside by the store: that is said as ``damagedSetAside``, before ``loaded``. A form too
large to keep as a draft is a failed save, said as any other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kombo_desktop.qt.background_tasks import TaskRunner

if TYPE_CHECKING:
    from pathlib import Path

    from kombo_desktop.core.drafts import DraftStore
    from kombo_desktop.core.form_state import FormState

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 500
#: The longest a change waits for its save while typing goes on: the pause a save waits
#: for may never come, and a crash would take everything typed meanwhile.
MAX_SAVE_DELAY_MS = 2000


@dataclass(frozen=True)
class _Written:
    """What a background save did: whether it wrote, and what to say of a file set aside."""

    wrote: bool
    set_aside_text: str | None = None


@dataclass(frozen=True)
class _Loaded:
    """What a background load found: the form (if any), and what to say of a damaged
    draft moved aside."""

    state: FormState | None
    damaged_text: str | None = None


def _damaged_text(store: DraftStore) -> str | None:
    """Plain words for the damaged draft ``store`` last found, if it found one (on the
    writer thread, where the drafts module is loaded already)."""
    if store.damaged is None:
        return None
    from kombo_desktop.core.drafts import damaged_draft_text

    return damaged_draft_text(store.damaged)


def _set_aside_text(backup: Path | None) -> str | None:
    """Plain words for a newer version's draft moved to ``backup`` (on the writer thread,
    where the drafts module is loaded already); ``None`` when nothing was moved."""
    if backup is None:
        return None
    from kombo_desktop.core.drafts import newer_draft_set_aside_text

    return newer_draft_set_aside_text(backup)


def _log_failed_save(error: BaseException) -> None:
    """Log a save that failed: the disk's refusal as a warning, anything else (a bug) with
    its traceback, which goes to the log, not to the window."""
    from kombo_desktop.core.drafts import DraftTooLargeError

    if isinstance(error, OSError | DraftTooLargeError):
        log.warning("Saving the draft failed: %s", error)
    else:
        log.error("Saving the draft failed", exc_info=error)


class DraftKeeper(QObject):
    """Debounced background saves of ``read_state()`` into ``store``; background loading.

    Without a ``store``, the default ``DraftStore`` is made on the background thread:
    its module (JSON, dates, the data directory) then loads there, not at start-up.
    """

    #: The draft read at start (a ``FormState``), or ``None`` when there was none.
    loaded = Signal(object)
    #: A save finished.
    saved = Signal()
    #: What became of a save reached the GUI thread: written, skipped (the file held the
    #: form already) or failed (``saveFailed`` came first).
    settled = Signal()
    #: A save failed; the text says why (the form itself is untouched).
    saveFailed = Signal(str)
    #: A draft a newer version of the app wrote was moved aside (not written over) for a
    #: save; the text says so, and where it is, in plain words.
    setAside = Signal(str)
    #: The draft found at start could not be read (cut short, too large, not JSON) and was
    #: moved aside; the text says so, why, and where it is kept. Comes before ``loaded``.
    damagedSetAside = Signal(str)

    def __init__(
        self,
        store: DraftStore | None,
        read_state: Callable[[], FormState],
        parent: QObject | None = None,
        *,
        delay_ms: int = SAVE_DELAY_MS,
        max_delay_ms: int = MAX_SAVE_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._read_state = read_state
        self._tasks = TaskRunner(self, name="kombo-drafts")
        # What the draft file holds as far as this keeper knows (the draft loaded, then
        # each save that succeeded), ``None`` when unknown. Read and written only on the
        # writer thread, where loads and saves run one at a time: it needs no lock.
        self._on_disk: FormState | None = None
        # From ``load`` until its draft reached the window: a form saved meanwhile would
        # be the empty one the draft is about to fill (GUI thread only).
        self._awaiting_draft = False
        self._closed = False
        # The last save failed, and none has worked since: the form is not on the disk.
        self._last_save_failed = False
        self._delay_ms = delay_ms
        self._max_delay_ms = max_delay_ms
        # When the first change not yet saved came (``time.monotonic``), while one waits.
        self._first_unsaved_at = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.save_now)

    @property
    def store(self) -> DraftStore:
        """Where the draft is kept (made on first use)."""
        if self._store is None:
            from kombo_desktop.core.drafts import DraftStore

            self._store = DraftStore()
        return self._store

    def load(self) -> None:
        """Read the draft in the background; ``loaded`` follows on the GUI thread."""
        if self._closed:
            return

        def read() -> _Loaded:
            store = self.store
            try:
                state = store.load()
            except Exception:  # the app must start even if the draft cannot be read
                log.exception("Reading the draft failed")
                return _Loaded(None)
            # Restoring the draft makes the form report a change; saving that back
            # would rewrite the file with what it already holds.
            self._on_disk = state
            return _Loaded(state, _damaged_text(store))

        self._awaiting_draft = True
        self._tasks.run(read, self._on_loaded)

    def _on_loaded(self, loaded: object) -> None:
        self._awaiting_draft = False
        assert isinstance(loaded, _Loaded)  # ``load``'s reading gives nothing else
        if loaded.damaged_text is not None:
            self.damagedSetAside.emit(loaded.damaged_text)
        self.loaded.emit(loaded.state)

    @Slot()
    def schedule(self) -> None:
        """Save after a pause in typing (restarts the delay), and at the latest
        ``max_delay_ms`` after the first change not yet saved: typing that never pauses
        long enough would put the save off for as long as it goes on."""
        if self._closed:
            return
        now = time.monotonic()
        if not self._timer.isActive():
            self._first_unsaved_at = now
        left_ms = self._max_delay_ms - (now - self._first_unsaved_at) * 1000
        self._timer.start(max(0, min(self._delay_ms, int(left_ms))))

    @property
    def pending(self) -> bool:
        """True while a save is scheduled but not yet started."""
        return self._timer.isActive()

    @property
    def last_save_failed(self) -> bool:
        """True when the last save failed and none has worked since: what the form holds
        now may not be on the disk (a full disk, a folder that cannot be written)."""
        return self._last_save_failed

    @property
    def saving(self) -> bool:
        """True from ``save_now`` (or ``load``) until its outcome reached the GUI thread."""
        return self._tasks.busy

    @property
    def unsettled(self) -> bool:
        """True while a save is scheduled or being written: whether the form as typed is
        on the disk is not known yet (``settled`` tells once it is)."""
        return self.pending or (self.saving and not self._awaiting_draft)

    @Slot()
    def save_now(self) -> None:
        """Take the form's state now and write it in the background.

        Nothing is written when the state equals what this keeper last read or wrote and
        the file still holds it.
        """
        self._timer.stop()
        if self._closed:
            return
        try:
            state = self._read_state()
        except Exception as error:  # a broken form must be reported, and must not stop close()
            log.exception("Reading the form for the draft failed")
            self._report_failure(error)
            self.settled.emit()
            return

        def write() -> _Written:
            # Read back only when it may be skipped (megabytes with a large JSON): off the
            # GUI thread.
            if state == self._on_disk and self.store.holds(state):
                return _Written(wrote=False)
            try:
                backup = self.store.save(state)
            except Exception as error:
                # The file's contents are unknown now: the next save must write.
                self._on_disk = None
                # Logged here: the last save, made as the window closes, has no GUI
                # thread left to hear of its failure.
                _log_failed_save(error)
                raise
            self._on_disk = state
            return _Written(wrote=True, set_aside_text=_set_aside_text(backup))

        self._tasks.run(write, self._on_written, self._on_write_failed)

    def close(self) -> None:
        """Save the form and wait for every write to finish; idempotent.

        The save writes only when the file does not hold the form already: another window
        on the same files may have written it, and the one closed last must leave its own
        form there. Before the draft has reached the window, only a pending change (typing
        that started first) is saved: the form shown then is not one to keep.
        """
        if self._closed:
            return
        if self._timer.isActive() or not self._awaiting_draft:
            self.save_now()
        self._closed = True
        self._tasks.shutdown()

    def _on_written(self, written: object) -> None:
        assert isinstance(written, _Written)  # ``save_now``'s writing gives nothing else
        self._last_save_failed = False  # the file holds the form now, written or not
        if written.wrote:
            if written.set_aside_text is not None:
                self.setAside.emit(written.set_aside_text)
            self.saved.emit()
        self.settled.emit()

    def _on_write_failed(self, error: BaseException) -> None:
        from kombo_desktop.core.drafts import DraftTooLargeError, draft_too_large_text

        if isinstance(error, DraftTooLargeError):
            # Not a fault: the form outgrew what a draft holds, and the person must know
            # it will not come back after a restart.
            self._last_save_failed = True  # else said by ``_report_failure``
            self.saveFailed.emit(draft_too_large_text(error))
        else:
            self._report_failure(error)
        self.settled.emit()

    def _report_failure(self, error: BaseException) -> None:
        self._last_save_failed = True
        # Only on failure, and by then usually loaded with the network code.
        from kombo_desktop.core.messages import describe_failure

        message = describe_failure(
            error, consequence="The draft was not saved", file_action="write the draft file"
        )
        self.saveFailed.emit(message.text)
