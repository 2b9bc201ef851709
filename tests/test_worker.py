"""The one background path: answers arrive as signals on the GUI thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QThread

from kombo_desktop.core.client import KomboClient, Timeouts
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import (
    KomboApiError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
)
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.qt import worker as worker_module
from kombo_desktop.qt.worker import (
    KEPT_CLIENTS,
    WINDOW_TOTAL_TIMEOUT_S,
    ApiWorker,
    rate_limit_reporter,
)
from kombo_desktop.sandbox import Fault, Sandbox

REQUEST = ResultLinkRequest.from_form(label="Assessment", url="https://example.com/r/1")


def add_link(target_id: str) -> Callable[[KomboClient, Callable[[str], None]], Any]:
    async def job(client: KomboClient, report: Callable[[str], None]) -> Any:
        target = Target.parse(TargetKind.CANDIDATE, target_id)
        return await client.add_result_link(
            target, REQUEST, on_rate_limit=rate_limit_reporter(report)
        )

    return job


def test_success_arrives_on_the_gui_thread(qtbot, worker, fresh_sandbox: Sandbox, connection):
    threads: list[QThread] = []
    results: list[Any] = []
    job = worker.submit(connection, add_link(fresh_sandbox.candidates[0]["id"]))

    def on_success(result: Any) -> None:
        threads.append(QThread.currentThread())
        results.append(result)

    job.succeeded.connect(on_success)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert results[0].status_code == 200
    assert threads == [QThread.currentThread()]  # the test runs on the GUI thread
    assert not worker.busy


def test_failure_is_a_value_not_a_crash(qtbot, worker, fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.INACTIVE", 403))
    job = worker.submit(connection, add_link("anyone"))
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass
    assert isinstance(blocker.args[0], KomboApiError)
    assert blocker.args[0].code == "INTEGRATION.INACTIVE"


def test_cancel_aborts_the_request(qtbot, worker, fresh_sandbox, connection):
    fresh_sandbox.set_latency(3000)
    job = worker.submit(connection, add_link(fresh_sandbox.candidates[0]["id"]))
    qtbot.waitUntil(lambda: len(fresh_sandbox.requests) == 1, timeout=10_000)
    outcomes: list[str] = []
    job.succeeded.connect(lambda _r: outcomes.append("succeeded"))
    job.failed.connect(lambda _e: outcomes.append("failed"))
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.cancel()
    assert outcomes == []
    assert not worker.busy


def test_a_job_cancelled_before_its_turn_never_sends(qtbot, worker, fresh_sandbox, connection):
    release = threading.Event()

    async def hold_the_network_thread(_client: KomboClient, _report: Any) -> None:
        release.wait(10)  # blocks the loop itself, so the next job waits for its turn

    started: list[str] = []
    send = add_link(fresh_sandbox.candidates[0]["id"])

    async def recorded_send(client: KomboClient, report: Callable[[str], None]) -> Any:
        started.append("started")  # before its first pause: what asyncio would still run
        return await send(client, report)

    holder = worker.submit(connection, hold_the_network_thread)
    waiting = worker.submit(connection, recorded_send)
    answers: list[BaseException] = []
    waiting.failed.connect(answers.append)
    waiting.cancel()
    with qtbot.waitSignals([holder.finished, waiting.finished], timeout=15_000):
        release.set()
    # Answered as what it is, a cancel known to have sent nothing: not "cancelled", which
    # says the request may have gone out.
    (answer,) = answers
    assert isinstance(answer, asyncio.CancelledError)
    assert describe_error(answer).text == "Nothing was sent."
    assert not describe_error(answer).may_have_been_applied
    assert started == []
    assert fresh_sandbox.requests == []
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)


def test_progress_reports_rate_limit_waits(qtbot, worker, fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    job = worker.submit(connection, add_link(fresh_sandbox.candidates[0]["id"]))
    messages: list[str] = []
    job.progress.connect(messages.append)
    with qtbot.waitSignal(job.succeeded, timeout=15_000):
        pass
    assert len(messages) == 1
    assert "slow down" in messages[0]


def test_jobs_run_concurrently_and_the_gui_thread_never_waits(
    qtbot, worker, fresh_sandbox, connection
):
    fresh_sandbox.set_latency(500)
    network_threads: set[int] = set()

    def tracking(target_id: str) -> Any:
        inner = add_link(target_id)

        async def job(client: KomboClient, report: Callable[[str], None]) -> Any:
            network_threads.add(threading.get_ident())
            return await inner(client, report)

        return job

    jobs = [worker.submit(connection, tracking(c["id"])) for c in fresh_sandbox.candidates[:6]]
    assert worker.busy  # submit returned at once, with everything still in flight
    qtbot.waitUntil(lambda: not worker.busy, timeout=20_000)
    assert len(fresh_sandbox.requests) == len(jobs)
    # Overlapping at the server proves the jobs ran together, not one after another.
    assert fresh_sandbox.peak_concurrent_requests > 1
    assert threading.get_ident() not in network_threads
    assert len(network_threads) == 1


def test_connections_get_their_own_client(qtbot, worker, fresh_sandbox, connection):
    other = Connection.create(
        api_key="ks_dev_wrong_key_123456",
        integration_id=connection.integration_id,
        base_url=connection.base_url,
    )
    ok = worker.submit(connection, add_link(fresh_sandbox.candidates[0]["id"]))
    bad = worker.submit(other, add_link(fresh_sandbox.candidates[0]["id"]))
    with qtbot.waitSignals([ok.succeeded, bad.failed], timeout=10_000):
        pass
    auth = {r.headers["authorization"] for r in fresh_sandbox.requests}
    assert auth == {f"Bearer {connection.api_key}", "Bearer ks_dev_wrong_key_123456"}


def test_clients_of_connections_no_longer_used_are_closed(
    qtbot, worker, fresh_sandbox, connection, monkeypatch
):
    # Switching profiles (or editing the key) makes a new client each time; the old ones
    # hold a key and a connection pool and must not pile up for the life of the window.
    made: list[KomboClient] = []
    closed: list[KomboClient] = []
    original_init, original_aclose = KomboClient.__init__, KomboClient.aclose

    def recording_init(self: KomboClient, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original_init(self, *args, **kwargs)

    async def recording_aclose(self: KomboClient) -> None:
        closed.append(self)
        await original_aclose(self)

    monkeypatch.setattr(KomboClient, "__init__", recording_init)
    monkeypatch.setattr(KomboClient, "aclose", recording_aclose)
    keys = [f"ks_dev_switchedKey{n}_123456" for n in range(5)]
    for key in keys:
        switched = Connection.create(
            api_key=key, integration_id=connection.integration_id, base_url=connection.base_url
        )
        job = worker.submit(switched, add_link(fresh_sandbox.candidates[0]["id"]))
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
    qtbot.waitUntil(lambda: worker.open_clients <= KEPT_CLIENTS, timeout=10_000)
    assert len(closed) == len(keys) - KEPT_CLIENTS  # really closed, not just forgotten
    # The one used last is still open and still works.
    last = Connection.create(
        api_key=keys[-1], integration_id=connection.integration_id, base_url=connection.base_url
    )
    job = worker.submit(last, add_link(fresh_sandbox.candidates[0]["id"]))
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert worker.open_clients <= KEPT_CLIENTS
    assert len(made) == len(keys)  # the last client was reused, not made again
    assert len(fresh_sandbox.requests) == len(keys) + 1


def test_a_rate_limit_wait_past_the_total_is_reported_not_waited_out(
    qtbot, worker, fresh_sandbox, connection
):
    # Kombo asks for a longer wait than the window gives any request: waiting would only
    # end in "did not answer in time". Said at once, the rate limit is clear instead:
    # nothing was added.
    advised = WINDOW_TOTAL_TIMEOUT_S + 30
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=f"{advised:.0f}"), times=1)
    job = worker.submit(connection, add_link(fresh_sandbox.candidates[0]["id"]))
    messages: list[str] = []
    job.progress.connect(messages.append)
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, RateLimitedError)
    assert error.retry_after_s == advised
    assert error.may_have_been_applied is False
    assert messages == []  # no "trying again in …"
    assert len(fresh_sandbox.requests) == 1


@pytest.fixture
def worker_with_a_short_total(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiWorker]:
    """A worker given limits without a total of their own, while the window's is 1 s."""
    monkeypatch.setattr(worker_module, "WINDOW_TOTAL_TIMEOUT_S", 1.0)
    api_worker = ApiWorker(timeouts=Timeouts(connect=5.0, read=5.0))
    yield api_worker
    api_worker.shutdown()


def test_limits_without_a_total_get_the_windows_total(
    qtbot, worker_with_a_short_total, fresh_sandbox, connection
):
    # A search whose answer trickles in for minutes passes every per-read limit; the
    # worker ends it all the same, and a search cannot have added anything.
    fresh_sandbox.inject_fault(Fault.trickle_body(0.05), path_contains="/ats/candidates")

    async def search_everyone(client: KomboClient, _report: Callable[[str], None]) -> Any:
        return await client.find_candidates(page_size=250)

    job = worker_with_a_short_total.submit(connection, search_everyone)
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, NetworkError)
    assert error.kind is NetworkErrorKind.READ_TIMEOUT
    assert error.detail == "No complete answer within 1 s"
    assert error.may_have_been_applied is False


def test_a_worker_deleted_without_shutdown_stops_its_thread(qapp) -> None:
    # A window deleted without being closed takes its worker along; Qt would end the
    # whole process once the still-running network thread is destroyed.
    worker = ApiWorker()
    loop, thread = worker._loop, worker._thread
    assert thread.isRunning()
    shiboken6.delete(worker)
    try:
        assert not thread.isRunning()
    finally:
        if thread.isRunning():  # the old behaviour: stop it here, so the run goes on
            loop.call_soon_threadsafe(loop.stop)
            thread.wait(5000)


def test_a_worker_outliving_its_stopped_thread_is_deleted_quietly(qtbot) -> None:
    # At interpreter exit Python may free the thread's Qt object before Qt deletes the
    # worker (its parent, the window, goes last): deleting the worker must not fail then.
    worker = ApiWorker()
    worker.shutdown()
    shiboken6.delete(worker._thread)
    with qtbot.captureExceptions() as raised:
        shiboken6.delete(worker)
    assert raised == []


def test_before_start_sees_the_job_before_the_network_thread_runs_it(qtbot, worker, connection):
    connected = threading.Event()
    ran_after_connecting: list[bool] = []

    async def job_function(client: KomboClient, report: Callable[[str], None]) -> str:
        ran_after_connecting.append(connected.is_set())
        return "done"

    results: list[Any] = []

    def connect_first(job: Any) -> None:
        job.succeeded.connect(results.append)
        connected.set()

    job = worker.submit(connection, job_function, before_start=connect_first)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert ran_after_connecting == [True]
    assert results == ["done"]


# The clients' closing, scheduled behind the stuck call, never ran: the loop stopped first.
# (In the app the thread then ends with the process.)
@pytest.mark.filterwarnings("ignore:coroutine 'ApiWorker.shutdown.<locals>.close_all'")
def test_a_thread_stuck_in_a_call_never_makes_shutdown_raise(qtbot, connection) -> None:
    # A call that never gives the loop back (a proxy's or TLS set-up stalled in a system
    # call). Before: shutdown raised "Cannot close a running event loop", and the window's
    # close stopped before writing the draft for the last time.
    worker = ApiWorker()
    stuck, release = threading.Event(), threading.Event()

    async def stalls(_client: KomboClient, _report: Callable[[str], None]) -> None:
        stuck.set()
        release.wait(30)

    worker.submit(connection, stalls)
    assert stuck.wait(10)
    try:
        worker.shutdown(timeout_s=0.2)
        assert worker._thread.isRunning()
    finally:
        release.set()
    # Once the call returns, the loop ends as asked; a later shutdown closes it.
    qtbot.waitUntil(lambda: not worker._thread.isRunning(), timeout=10_000)
    worker.shutdown()
    assert worker._loop.is_closed()
