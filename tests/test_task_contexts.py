"""A runner shared by several owners keeps each owner's tasks apart (``context=``).

The picker's runners are shared with the profiles dialog it opens: the dialog is busy
with its own writes only, waits for them (and only them) before it closes, and must not
be called back once it is gone, while the runner lives on for the picker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject

from kombo_desktop.qt.background_tasks import TaskRunner
from tests.profiles_support import TIMEOUT


@pytest.fixture
def gates() -> Iterator[list[threading.Event]]:
    """Events that held tasks wait for; all are set afterwards, so no thread is left waiting."""
    made: list[threading.Event] = []
    yield made
    for gate in made:
        gate.set()


@pytest.fixture
def runner(qtbot, gates: list[threading.Event]) -> Iterator[TaskRunner]:
    tasks = TaskRunner(name="test-contexts")
    yield tasks
    for gate in gates:
        gate.set()
    tasks.shutdown()
    tasks.deleteLater()


def held(
    gates: list[threading.Event], result: object = "done"
) -> tuple[threading.Event, Callable[[], object]]:
    """A gate and a task that returns ``result`` once the gate is set."""
    gate = threading.Event()
    gates.append(gate)

    def task() -> object:
        gate.wait(30)
        return result

    return gate, task


def failing(message: str) -> Callable[[], object]:
    def task() -> object:
        raise OSError(message)

    return task


def test_a_contexts_answers_are_dropped_once_it_is_destroyed(qtbot, runner, gates):
    owner = QObject()
    answers: list[object] = []
    idle: list[QObject] = []
    runner.contextIdle.connect(idle.append)
    gate, task = held(gates)
    runner.run(task, answers.append, answers.append, context=owner)
    runner.run(failing("disk full"), answers.append, answers.append, context=owner)
    others: list[object] = []
    runner.run(lambda: "the picker's", others.append)  # no context: answered as ever
    assert runner.busy_for(owner)

    shiboken6.delete(owner)
    # Its tasks still run (a write is never cut off), but nobody waits for them now.
    assert runner.busy
    assert not runner.busy_for(owner)

    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=TIMEOUT)
    assert answers == []  # neither the success nor the failure reached the gone owner
    assert idle == []
    assert others == ["the picker's"]


def test_busy_for_counts_only_the_tasks_of_that_context(qtbot, runner, gates):
    first, second = QObject(), QObject()
    first_gate, first_task = held(gates)
    second_gate, second_task = held(gates)
    picker_gate, picker_task = held(gates)
    runner.run(picker_task)  # a task of nobody in particular: no context is busy with it
    assert runner.busy
    assert not runner.busy_for(first)
    assert not runner.busy_for(second)

    runner.run(first_task, context=first)
    runner.run(second_task, context=second)
    assert runner.busy_for(first)
    assert runner.busy_for(second)

    picker_gate.set()
    first_gate.set()
    qtbot.waitUntil(lambda: not runner.busy_for(first), timeout=TIMEOUT)
    assert runner.busy_for(second)  # still held: the other context's task does not count

    second_gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=TIMEOUT)
    assert not runner.busy_for(second)


def test_a_context_is_told_once_after_its_last_task_even_a_failed_one(qtbot, runner, gates):
    owner, other = QObject(), QObject()
    events: list[tuple[str, ...]] = []

    def idle(context: QObject) -> None:
        events.append(("idle", "owner" if context is owner else "other"))

    runner.contextIdle.connect(idle)
    gate, task = held(gates, "saved")
    runner.run(task, lambda result: events.append(("ok", str(result))), context=owner)
    runner.run(
        failing("disk full"),
        lambda result: events.append(("ok", str(result))),
        lambda error: events.append(("failed", str(error))),
        context=owner,
    )
    runner.run(lambda: "kept", lambda result: events.append(("ok", str(result))), context=other)

    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=TIMEOUT)
    # Told after the failure's own callback, once for each context, for each in turn.
    assert events == [
        ("ok", "saved"),
        ("failed", "disk full"),
        ("idle", "owner"),
        ("ok", "kept"),
        ("idle", "other"),
    ]


def test_a_task_run_from_a_callback_keeps_its_context_busy(qtbot, runner, gates):
    owner = QObject()
    events: list[str] = []
    runner.contextIdle.connect(lambda _context: events.append("idle"))

    def first_done(_result: object) -> None:
        events.append("first")
        # A failed save that is tried again: the owner is not done yet.
        runner.run(lambda: None, lambda _result: events.append("second"), context=owner)

    runner.run(lambda: None, first_done, context=owner)
    qtbot.waitUntil(lambda: not runner.busy, timeout=TIMEOUT)
    assert events == ["first", "second", "idle"]


def test_a_context_is_told_even_when_its_last_callback_raises(qtbot, runner):
    owner = QObject()
    idle: list[QObject] = []
    runner.contextIdle.connect(idle.append)

    def broken(_result: object) -> None:
        raise ValueError("a bug in the callback")

    with qtbot.captureExceptions() as exceptions:
        runner.run(lambda: None, broken, context=owner)
        qtbot.waitUntil(lambda: bool(idle), timeout=TIMEOUT)
    # A dialog waiting for its writes to close would otherwise wait for ever.
    assert idle == [owner]
    assert [str(error) for _kind, error, _trace in exceptions] == ["a bug in the callback"]
    assert not runner.busy_for(owner)


def test_a_runner_shut_down_tells_no_context(qtbot, runner):
    owner = QObject()
    events: list[object] = []
    runner.contextIdle.connect(lambda _context: events.append("idle"))

    def first_done(_result: object) -> None:
        events.append("first")
        runner.shutdown()  # the app quits while answering: nothing more is answered

    runner.run(lambda: None, first_done, context=owner)
    runner.run(lambda: None, lambda _result: events.append("second"), context=owner)
    qtbot.waitUntil(lambda: bool(events), timeout=TIMEOUT)
    assert not runner.busy_for(owner)
    runner.run(lambda: None, events.append, context=owner)  # refused once shut down
    assert not runner.busy_for(owner)
    QCoreApplication.processEvents()  # the second task's answer, had it been let through
    assert events == ["first"]
