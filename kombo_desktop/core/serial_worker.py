"""One background thread that runs functions one at a time, in the order given.

What ``ThreadPoolExecutor(max_workers=1)`` does for us, without loading
``concurrent.futures`` (and the queue machinery it brings) at start-up, where
the draft is read. Qt-free: the GUI layer turns results into signals itself.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable

__all__ = ["SerialWorker"]

log = logging.getLogger(__name__)

# Workers whose thread runs; at exit their queued tasks are finished first.
_running: weakref.WeakSet[SerialWorker] = weakref.WeakSet()


class SerialWorker:
    """Runs submitted functions on its own thread, one after another.

    The thread starts with the first task, so a worker that is never used costs
    nothing. Tasks still queued when the interpreter exits are run before it
    does, so a draft or profile write is never cut off half-way; a worker made
    with ``finish_at_exit=False`` (one that only reads, say from a keyring that may
    sit on an unlock prompt) is dropped instead and never holds up quitting.
    """

    def __init__(self, name: str, *, finish_at_exit: bool = True) -> None:
        """``name`` names the thread (it shows in logs and debuggers)."""
        self.name = name
        self.finish_at_exit = finish_at_exit
        self._tasks: deque[Callable[[], object]] = deque()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, task: Callable[[], object]) -> None:
        """Queue ``task``; raises ``RuntimeError`` once the worker is shut down."""
        with self._condition:
            if self._closed:
                raise RuntimeError(f"{self.name} is shut down")
            self._tasks.append(task)
            if self._thread is None:
                # A daemon thread, so that a forgotten worker never keeps the process
                # alive; the exit hook below still lets queued work finish.
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
                _running.add(self)
            self._condition.notify()

    def shutdown(self, *, wait: bool = True, cancel_pending: bool = False) -> None:
        """Take no more tasks; drop queued ones with ``cancel_pending``; ``wait`` for the rest.

        Idempotent. The task that is running always runs to its end.
        """
        with self._condition:
            self._closed = True
            if cancel_pending:
                self._tasks.clear()
            self._condition.notify()
            thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._tasks and not self._closed:
                    self._condition.wait()
                if not self._tasks:
                    return  # shut down and nothing left to do
                task = self._tasks.popleft()
            try:
                task()
            except Exception:  # one failing task must not stop the ones after it
                log.exception("A background task on %s failed", self.name)


@atexit.register
def _finish_queued_tasks() -> None:
    for worker in list(_running):
        if worker.finish_at_exit:
            worker.shutdown(wait=True)
        else:
            worker.shutdown(wait=False, cancel_pending=True)
