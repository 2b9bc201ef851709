"""The one bridge between the GUI thread and the network.

``ApiWorker`` owns a ``QThread`` that runs an asyncio event loop. Callers hand it
a coroutine function that gets a ``KomboClient``; the answer comes back as a Qt
signal on the GUI thread through a queued connection. The single form, the
lookup dialog, "Test connection" and any batch all use this path, and every request
on it ends within ``WINDOW_TOTAL_TIMEOUT_S``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtCore import Qt as QtNS
from shiboken6 import isValid

from kombo_desktop.core.client import KomboClient, RetryPolicy, Timeouts
from kombo_desktop.core.connection import DEFAULT_TOTAL_TIMEOUT_S, Connection
from kombo_desktop.core.errors import (
    CANCELLED_BEFORE_SENDING,
    RateLimitedError,
    cancelled_with_nothing_sent,
)
from kombo_desktop.core.event_loops import new_event_loop

log = logging.getLogger(__name__)

#: HTTP clients kept open for reuse, the most recently used ones (in-flight ones always).
KEPT_CLIENTS = 2

#: The longest any request of the window takes, from sending to the last byte of the
#: answer, rate-limit waits included. Without it, a server that trickles its answer a
#: byte at a time passes every per-read limit and leaves the window "Sending…" until
#: Cancel.
WINDOW_TOTAL_TIMEOUT_S = DEFAULT_TOTAL_TIMEOUT_S

#: What a job runs: given the shared client and a progress callback, produce a result.
JobFunction = Callable[[KomboClient, Callable[[str], None]], Awaitable[Any]]


class Job(QObject):
    """One request in flight. Lives on the GUI thread; its signals arrive there.

    Exactly one of ``succeeded``, ``failed`` or ``cancelled`` is emitted, then
    ``finished``. ``cancelled`` means the request may have gone out; a cancel known to
    have sent nothing arrives through ``failed``, as an ``asyncio.CancelledError`` whose
    message says so (``errors.cancelled_with_nothing_sent``: cancelled before its turn,
    while still connecting, or while waiting out a rate limit).
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progress = Signal(str)
    finished = Signal()

    def __init__(self, job_id: int, worker: ApiWorker) -> None:
        super().__init__(worker)
        self.job_id = job_id
        self._worker = worker
        self._future: concurrent.futures.Future[Any] | None = None
        # Read on the network thread before the job starts: a job cancelled while it
        # waited for its turn never sends anything.
        self._cancel_requested = threading.Event()
        self.done = False

    def cancel(self) -> None:
        """Abort the request; ``cancelled`` follows unless the answer was already in."""
        if self._future is not None and not self.done:
            self._cancel_requested.set()
            self._future.cancel()


class _LoopThread(QThread):
    """Runs the asyncio loop; nothing else happens on this thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.setObjectName("kombo-network")
        self._loop = loop

    def run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()


class ApiWorker(QObject):
    """Runs API calls off the GUI thread and reports back with signals.

    Clients are created on the loop thread, one per connection, and reused so
    that connections stay alive between requests.
    """

    # Emitted on the network thread; delivered on the GUI thread (queued connection).
    _deliver = Signal(int, str, object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        max_connections: int = 8,
    ) -> None:
        """``timeouts`` without a ``total`` get ``WINDOW_TOTAL_TIMEOUT_S`` as theirs."""
        super().__init__(parent)
        self.timeouts = with_window_total(timeouts or Timeouts())
        self.retry = retry or RetryPolicy()
        self.max_connections = max_connections
        # Name lookups that hang must not keep the process alive once the window closes.
        self._loop = new_event_loop()
        self._thread = _LoopThread(self._loop)
        # Loop-thread state: clients by connection, least recently used first, and how
        # many jobs use each one right now.
        self._clients: dict[Connection, KomboClient] = {}
        self._in_use: dict[Connection, int] = {}
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._deliver.connect(self._on_deliver, QtNS.ConnectionType.QueuedConnection)
        self._thread.start()
        # A worker deleted without ``shutdown`` (say, with a window that was never closed)
        # still stops its thread: Qt ends the whole process when a running thread is
        # destroyed. Bound to the loop and the thread only: ``self`` is going.
        loop, thread = self._loop, self._thread
        self.destroyed.connect(lambda *_: _stop_loop_thread(loop, thread))

    @property
    def open_clients(self) -> int:
        """How many HTTP clients (each with its connection pool) are open right now."""
        return len(self._clients)

    @property
    def busy(self) -> bool:
        """True while any job is in flight."""
        return bool(self._jobs)

    def submit(
        self,
        connection: Connection,
        function: JobFunction,
        *,
        before_start: Callable[[Job], object] | None = None,
    ) -> Job:
        """Run ``function(client, report_progress)`` on the network thread; returns its job.

        ``before_start(job)`` is called before the network thread hears of the job: the
        place to connect its signals, while the GUI thread still has the interpreter to
        itself (once woken, the network thread takes turns with it).
        """
        job = Job(next(self._ids), self)
        if before_start is not None:
            before_start(job)
        self._jobs[job.job_id] = job
        job._future = asyncio.run_coroutine_threadsafe(
            self._run(job.job_id, connection, function, job._cancel_requested), self._loop
        )
        return job

    async def _run(
        self,
        job_id: int,
        connection: Connection,
        function: JobFunction,
        cancel_requested: threading.Event,
    ) -> None:
        def report(message: str) -> None:
            self._deliver.emit(job_id, "progress", message)

        if cancel_requested.is_set():
            # Cancelled before its turn (the thread was busy): asyncio would still run
            # the job up to its first pause, which can be after the request went out.
            # Nothing went out, and the answer says so: not a cancel that may have added.
            cancelled = asyncio.CancelledError(CANCELLED_BEFORE_SENDING)
            self._deliver.emit(job_id, "failed", cancelled)
            return

        self._in_use[connection] = self._in_use.get(connection, 0) + 1
        try:
            result = await function(self._client_for(connection), report)
        except asyncio.CancelledError as cancelled:
            if cancelled_with_nothing_sent(cancelled):
                # A cancel known to have sent nothing: delivered as the answer it is (its
                # own words), not as a cancel that may have added the link.
                self._deliver.emit(job_id, "failed", cancelled)
            else:
                self._deliver.emit(job_id, "cancelled", None)
            raise
        except Exception as exc:  # every failure reaches the GUI as a value, never a crash
            self._deliver.emit(job_id, "failed", exc)
        else:
            self._deliver.emit(job_id, "succeeded", result)
        finally:
            self._in_use[connection] -= 1
            if not self._in_use[connection]:
                del self._in_use[connection]
            await self._close_surplus_clients()

    def _client_for(self, connection: Connection) -> KomboClient:
        client = self._clients.pop(connection, None)
        if client is None:
            client = KomboClient(
                connection,
                timeouts=self.timeouts,
                retry=self.retry,
                max_connections=self.max_connections,
            )
        self._clients[connection] = client  # now the most recently used
        return client

    async def _close_surplus_clients(self) -> None:
        # Each profile switch or edited connection makes a client, holding its key and a
        # connection pool: keep only the few used last, and never one a job is using.
        idle = [c for c in self._clients if c not in self._in_use]
        for connection in idle[: max(0, len(self._clients) - KEPT_CLIENTS)]:
            try:
                await self._clients.pop(connection).aclose()
            except Exception:  # a pool that fails to close is no reason to fail the job
                log.exception("Closing an unused HTTP client failed")

    @Slot(int, str, object)
    def _on_deliver(self, job_id: int, kind: str, payload: object) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        if kind == "progress":
            job.progress.emit(str(payload))
            return
        job.done = True
        del self._jobs[job_id]
        if kind == "succeeded":
            job.succeeded.emit(payload)
        elif kind == "failed":
            job.failed.emit(payload)
        else:
            job.cancelled.emit()
        job.finished.emit()
        job.deleteLater()

    def cancel_all(self) -> None:
        """Cancel every job in flight; each reports as ``Job.cancel`` says."""
        for job in list(self._jobs.values()):
            job.cancel()

    def thread_left_running(self) -> bool:
        """True when ``shutdown`` could not stop the network thread (stuck in a call):
        deleting it would end the process with an abort (``app.main`` ends it first)."""
        return isValid(self._thread) and self._thread.isRunning()

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel what runs, close every client and stop the thread; idempotent. Never
        raises, nor waits more than twice ``timeout_s``, for a thread stuck in a call."""
        if not self._thread.isRunning():
            if not self._loop.is_closed():
                self._loop.close()  # left open by a shutdown that found the thread stuck
            return
        self.cancel_all()

        async def close_all() -> None:
            for client in list(self._clients.values()):
                await client.aclose()
            self._clients.clear()
            # As ``asyncio.run`` does: what an answer cut short left unread is finished now.
            await asyncio.get_running_loop().shutdown_asyncgens()

        try:
            asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(timeout_s)
        except (concurrent.futures.TimeoutError, RuntimeError):
            log.warning("Closing network clients took too long")
        _stop_loop_thread(self._loop, self._thread, timeout_s)
        if self._thread.isRunning():
            # Stuck in a call that never gives the loop back (a system call of a proxy's
            # or TLS set-up, say): the loop cannot be closed while it runs. Closing the
            # window must go on regardless; the app then ends the process without
            # deleting the thread (``thread_left_running``).
            log.warning("The network thread did not stop; it ends with the app")
            return
        self._loop.close()


def _stop_loop_thread(
    loop: asyncio.AbstractEventLoop, thread: QThread, timeout_s: float = 5.0
) -> None:
    """Stop ``loop`` and wait (at most ``timeout_s``) for ``thread``, which runs it, to end."""
    # At interpreter exit the thread's Qt object may be gone before the worker's: it was
    # stopped by then (Qt ends the process when a running thread is destroyed).
    if isValid(thread) and thread.isRunning():
        loop.call_soon_threadsafe(loop.stop)
        thread.wait(int(timeout_s * 1000))


def with_window_total(timeouts: Timeouts) -> Timeouts:
    """``timeouts`` with the window's total limit when they set none of their own."""
    if timeouts.total is not None:
        return timeouts
    return dataclasses.replace(timeouts, total=WINDOW_TOTAL_TIMEOUT_S)


def rate_limit_reporter(
    report: Callable[[str], None],
) -> Callable[[RateLimitedError, float, int], None]:
    """A client rate-limit callback that reports progress in plain words."""

    def on_rate_limit(error: RateLimitedError, delay: float, attempt: int) -> None:
        from kombo_desktop.core.messages import describe_rate_limit_wait

        report(describe_rate_limit_wait(delay, attempt))

    return on_rate_limit
