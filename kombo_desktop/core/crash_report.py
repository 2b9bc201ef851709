"""What happens to an exception nobody caught: logged (keys redacted), never a crash.

Qt calls Python slots from its event loop; an exception escaping one reaches
``sys.excepthook``. The app's hook writes the traceback, redacted, to the log and to
standard error, and tells the person in plain words; the window keeps running.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from kombo_desktop.core.logs import current_log_file, redact_for_log

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]
ThreadExceptHook = Callable[[threading.ExceptHookArgs], object]


def format_redacted(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """The traceback as text with keys, Bearer tokens and registered secrets masked, and
    the queries of web addresses in it (a search's email or name) too."""
    return redact_for_log("".join(traceback.format_exception(exc_type, exc, tb)))


def install_exception_hook(tell_user: Callable[[BaseException], None]) -> ExceptHook:
    """Replace ``sys.excepthook``; returns the previous hook (to restore it).

    ``tell_user`` shows a short message (it must not raise); KeyboardInterrupt keeps
    Python's own behaviour.
    """
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        report = format_redacted(exc_type, exc, tb)
        log.error("Unexpected error (the app kept running):\n%s", report)
        _copy_to_stderr(report)
        try:
            tell_user(exc)
        except Exception:  # a broken message must not become a second unhandled error
            log.exception("Could not show the error message")

    sys.excepthook = hook
    return previous


def install_thread_exception_hook() -> ThreadExceptHook:
    """Replace ``threading.excepthook``; returns the previous hook (to restore it).

    An exception that ends a thread of Python's is written as ``install_exception_hook``
    writes one, redacted, to the log and to standard error: Python's own hook prints it
    as it is, a key or a candidate's email in it included. Nobody is told in the window:
    the thread's own work reports its failures, and this is what slipped past them.
    """
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return  # as Python's own hook: a thread asked to end
        report = format_redacted(args.exc_type, args.exc_value, args.exc_traceback)
        where = args.thread.name if args.thread is not None else "a thread"
        log.error("Unexpected error in %s (the app kept running):\n%s", where, report)
        _copy_to_stderr(report)

    threading.excepthook = hook
    return previous


def _copy_to_stderr(report: str) -> None:
    """Write ``report`` on standard error when there is one that takes it.

    A window started without a console (``pythonw`` on Windows) has no standard error at
    all, and a terminal closed since has a broken one: the person must still be told.
    """
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(report)
        stream.flush()
    except Exception:  # the log has the report; a copy that cannot be written is skipped
        log.debug("Could not copy the error report to standard error", exc_info=True)


def where_details_are() -> str:
    """The sentence that sends the person to the log file for an error's details, naming
    the file; empty when there is no log file to look in (it could not be made)."""
    log_file = current_log_file()
    if log_file is None or not log_file.exists():
        return ""
    return f"Details are in the log file {log_file}."
