"""The one-thread background worker behind draft saves and profile tasks."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kombo_desktop.core.serial_worker import SerialWorker


def test_tasks_run_in_order_on_one_named_thread_that_starts_with_the_first_task() -> None:
    worker = SerialWorker("kombo-test-worker")
    names_before = {thread.name for thread in threading.enumerate()}
    assert "kombo-test-worker" not in names_before  # nothing runs until there is work
    seen: list[tuple[int, str]] = []

    def record(number: int) -> None:
        seen.append((number, threading.current_thread().name))

    for number in range(50):
        worker.submit(functools.partial(record, number))
    worker.shutdown(wait=True)
    assert [number for number, _name in seen] == list(range(50))
    assert {name for _number, name in seen} == {"kombo-test-worker"}


def test_shutdown_waits_for_queued_tasks_unless_they_are_cancelled() -> None:
    release = threading.Event()
    done: list[str] = []

    def first() -> None:
        release.wait(5)
        done.append("running")

    worker = SerialWorker("kombo-test-cancel")
    worker.submit(first)
    worker.submit(lambda: done.append("queued"))
    release.set()
    worker.shutdown(wait=True)
    assert done == ["running", "queued"]

    blocker = threading.Event()
    started = threading.Event()
    cancelled: list[str] = []

    def blocking() -> None:
        started.set()
        blocker.wait(5)
        cancelled.append("running")

    other = SerialWorker("kombo-test-cancel-2")
    other.submit(blocking)
    other.submit(lambda: cancelled.append("queued"))
    assert started.wait(5)
    other.shutdown(wait=False, cancel_pending=True)
    blocker.set()
    other.shutdown(wait=True)
    # The running task always finishes; the one still queued was dropped.
    assert cancelled == ["running"]


def test_a_failing_task_is_logged_and_the_next_one_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = SerialWorker("kombo-test-failure")
    results: list[str] = []

    def fail() -> None:
        raise ValueError("broken task")

    worker.submit(fail)
    worker.submit(lambda: results.append("after"))
    worker.shutdown(wait=True)
    assert results == ["after"]
    assert "broken task" in caplog.text


def test_no_task_is_taken_after_shutdown() -> None:
    worker = SerialWorker("kombo-test-closed")
    worker.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        worker.submit(lambda: None)


def test_queued_work_finishes_before_the_interpreter_exits(tmp_path: Path) -> None:
    # A draft or profile write queued just before quitting must reach the disk.
    target = tmp_path / "written.txt"
    script = textwrap.dedent(
        f"""
        import threading, time
        from pathlib import Path
        from kombo_desktop.core.serial_worker import SerialWorker

        worker = SerialWorker("kombo-exit-test")
        worker.submit(lambda: time.sleep(0.3))
        worker.submit(lambda: Path({str(target)!r}).write_text("done"))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert target.read_text() == "done"


def test_a_reading_worker_never_holds_up_quitting(tmp_path: Path) -> None:
    # A keyring read can sit on an unlock prompt nobody answers: quitting must not wait.
    target = tmp_path / "written.txt"
    script = textwrap.dedent(
        f"""
        import atexit, threading
        from pathlib import Path

        # Registered before the worker's own exit hook, so it runs after it (last in,
        # first out): the running read ends only once quitting has dealt with the queue.
        gate = threading.Event()
        atexit.register(lambda: (gate.set(), reader._thread.join(10)))

        from kombo_desktop.core.serial_worker import SerialWorker

        reader = SerialWorker("kombo-exit-reader", finish_at_exit=False)
        reader.submit(gate.wait)  # a read waiting on a prompt
        reader.submit(lambda: Path({str(target)!r}).write_text("ran"))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert not target.exists()  # the queued read was dropped, not run
