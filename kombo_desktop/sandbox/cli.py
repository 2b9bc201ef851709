"""Running the sandbox from a terminal."""

from __future__ import annotations

import errno
import signal
import socket
import sys
import threading
import time
from types import FrameType

from kombo_desktop.sandbox.demo import DEMO_API_KEY, DEMO_INTEGRATION_ID, DEMO_PROD_API_KEY
from kombo_desktop.sandbox.server import Sandbox


class _StopRequested(Exception):
    """Raised in the main thread by the SIGTERM handler."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested


def _masked(text: str) -> str:
    """``text`` with any API key in it masked, for a refusal to start.

    The host is quoted as it was given, and an API key pasted as the host (into the
    wrong option, or a script's wrong variable) must not reach a terminal or a CI log:
    masked as the command line masks it in its own refusal of such a host.
    """
    # Loaded only here: serving needs nothing of the app's own modules. Not ``core.logs``:
    # the sandbox needs nothing beyond the standard library, and the log needs more. No
    # key is registered in the sandbox's own process: a key's shape is what gives it away.
    from kombo_desktop.core.masking import redact_key_shapes

    return redact_key_shapes(text)


def _say_cannot_serve(host: str, port: int, error: Exception) -> None:
    """Print on standard error that the sandbox cannot serve on ``host``:``port``, why, and
    which option to change."""
    # Masked apart: a key's characters run on into ":port", which would be masked with it.
    where = f"{_masked(host)}:{port}"
    # The system's own short reason ("Address already in use"), without "[Errno 98]".
    reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
    said = f"Cannot serve the Kombo sandbox on {where}: {_masked(reason)}."
    remedy = _what_to_change(error)
    print(f"{said} {remedy}" if remedy else said, file=sys.stderr)


def _what_to_change(error: Exception) -> str:
    """Which option to change when the sandbox cannot serve, or ``""`` when that is not
    known."""
    if isinstance(error, socket.gaierror) or (
        isinstance(error, OSError) and error.errno == errno.EADDRNOTAVAIL
    ):
        # No such name, or an address of another computer.
        return "Give --host a name or an IP address of this computer, e.g. 127.0.0.1."
    if isinstance(error, OSError) and error.errno in (errno.EADDRINUSE, errno.EACCES):
        # Taken by another program, or one only an administrator may open.
        return "Choose another port with --port, or leave out --port to use a free one."
    return ""


def run_cli(
    host: str,
    port: int,
    latency_ms: int,
    rate_limit_per_second: float | None,
    *,
    verbose: bool = True,
) -> int:
    """Serve a sandbox until Ctrl+C or SIGTERM, then stop it cleanly.

    Prints the base URL, the demo API keys, the integration id and how to stop to stdout;
    with ``verbose`` one line per request goes to stderr (never any header). Returns 0 after a
    clean stop, 1 when the address cannot be bound, 2 for a port out of range, a negative
    latency or a rate limit that is not positive.
    """
    try:
        sandbox = Sandbox(host, port, latency_ms, rate_limit_per_second, verbose=verbose)
    except OSError as exc:
        _say_cannot_serve(host, port, exc)
        return 1
    except OverflowError as exc:
        # A port out of range ("port must be 0-65535"): the command line refuses one before
        # it gets here, a caller of this function may not.
        _say_cannot_serve(host, port, exc)
        return 2
    except ValueError as exc:
        print(f"Cannot start the Kombo sandbox: {_masked(str(exc))}", file=sys.stderr)
        return 2
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous_term = previous_int = None
    if in_main_thread:
        previous_term = signal.signal(signal.SIGTERM, _raise_stop)
        # A parent may have left SIGINT ignored (background jobs); Ctrl+C must still work.
        previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sandbox.start()
        print(f"Kombo sandbox running at {sandbox.base_url}")
        print(f"API key (development): {DEMO_API_KEY}")
        print(f"API key (production):  {DEMO_PROD_API_KEY}")
        print(f"Integration ID: {DEMO_INTEGRATION_ID}")
        print("Press Ctrl+C to stop.", flush=True)
        while True:
            time.sleep(1.0)
    except (KeyboardInterrupt, _StopRequested):
        pass
    finally:
        sandbox.stop()
        # None means the old handler was not installed from Python; nothing to put back then.
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)
    print("Kombo sandbox stopped.", flush=True)
    return 0
