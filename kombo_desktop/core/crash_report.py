"""What happens to an exception nobody caught: logged (keys redacted), never a crash.

Qt calls Python slots from its event loop; an exception escaping one reaches
``sys.excepthook``. The app's hook writes the traceback, redacted, to the log and to
standard error, and tells the person in plain words; the window keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from kombo_desktop.core.logs import redact

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def format_redacted(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The traceback as text with keys, Bearer tokens and registered secrets masked."""
    return redact("".join(traceback.format_exception(exc_type, exc, tb)))


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
        sys.stderr.write(report)
        try:
            tell_user(exc)
        except Exception:  # a broken message must not become a second unhandled error
            log.exception("Could not show the error message")

    sys.excepthook = hook
    return previous
