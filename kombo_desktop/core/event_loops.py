"""Event loops whose name lookups never keep the process alive.

asyncio looks host names up on its loop's default executor, a thread pool that the
interpreter waits for at exit: a lookup a DNS server never answers kept the app's process,
or the command line's, alive long after it was done. The window's network thread and the
command line's client both make their loops here.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["new_event_loop"]


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new event loop that looks names up on daemon threads (``_LookupThreads``)."""
    loop = asyncio.new_event_loop()
    loop.set_default_executor(_LookupThreads())
    return loop


class _LookupThreads(concurrent.futures.ThreadPoolExecutor):
    """A loop's default executor, where asyncio runs each name lookup
    (``socket.getaddrinfo`` blocks and cannot be cancelled): every call on a daemon
    thread of its own.

    A lookup that a DNS server never answers goes on for as long as the system's resolver
    allows (20 seconds and more). The threads of a plain ``ThreadPoolExecutor`` are joined
    at interpreter exit, so the process lived on that long after its window closed, or
    after ``send`` said it timed out, its log not yet flushed. A daemon thread is not
    waited for, and nothing is lost with it: its only work is an answer that nobody waits
    for any more. So only such work may run here (a lookup, or the rows of a page of the
    Find dialog's results): work whose end matters (a file written through
    ``asyncio.to_thread``) needs an executor of its own, or it may be cut off.

    A thread a call, without a pool: a lookup is made for each new connection only, and
    the clients open few (``max_connections`` at most at once, to one or two hosts).
    """

    def __init__(self) -> None:
        # A subclass because asyncio takes no other kind of default executor; the pool's
        # own threads are never started.
        super().__init__(max_workers=1, thread_name_prefix="kombo-lookup")
        # Its own flag: the pool's is private to it.
        self._closed = False

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[Any]:
        """Run ``fn(*args, **kwargs)`` on a new daemon thread; its future."""
        if self._closed:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return  # cancelled before it started
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever awaits the future, as the pool does
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="kombo-lookup", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Take no more calls; with ``wait``, the pool's (never started) threads are
        joined, not the calls' own: those end when their lookup does."""
        self._closed = True
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
