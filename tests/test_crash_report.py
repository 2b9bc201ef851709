"""An uncaught exception is logged with keys redacted and does not stop the app."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from kombo_desktop.core.crash_report import (
    install_exception_hook,
    install_thread_exception_hook,
)
from kombo_desktop.core.logs import configure_logging, register_secret

KEY = "customer-key-without-prefix-77f1"


def logged_and_printed(log_file: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """What the app's log file holds (its handlers flushed first) and what went to stderr."""
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    return log_file.read_text(), capsys.readouterr().err


def test_uncaught_exception_is_reported_without_the_key(tmp_path: Path, capsys):
    register_secret(KEY)
    log_file = configure_logging(directory=tmp_path)
    told: list[BaseException] = []
    previous = install_exception_hook(told.append)
    try:
        try:
            raise RuntimeError(f"request with Authorization: Bearer {KEY} and ks_prod_abc12345")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    logged, printed = logged_and_printed(log_file, capsys)
    assert "RuntimeError" in logged
    assert "RuntimeError" in printed
    assert "test_crash_report.py" in printed  # the traceback itself is kept
    for text in (logged, printed):
        assert KEY not in text
        assert "ks_prod_abc12345" not in text
    assert len(told) == 1


def test_a_failing_message_does_not_raise_again(capsys):
    def broken(_error: BaseException) -> None:
        raise ValueError("no window")

    previous = install_exception_hook(broken)
    try:
        error = RuntimeError("boom")
        sys.excepthook(RuntimeError, error, None)  # must not raise
    finally:
        sys.excepthook = previous
    assert "boom" in capsys.readouterr().err


def test_keyboard_interrupt_keeps_pythons_behaviour():
    seen: list[type[BaseException]] = []
    original = sys.excepthook
    sys.excepthook = lambda t, e, tb: seen.append(t)
    try:
        install_exception_hook(lambda _e: pytest.fail("not for Ctrl+C"))
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    finally:
        sys.excepthook = original
    assert seen == [KeyboardInterrupt]


def test_an_exception_ending_a_thread_is_reported_without_the_key(tmp_path: Path, capsys):
    # Python's own hook prints it to standard error as it is, the key included.
    register_secret(KEY)
    log_file = configure_logging(directory=tmp_path)

    def fails() -> None:
        raise RuntimeError(f"request with Authorization: Bearer {KEY} and ks_prod_abc12345")

    previous = install_thread_exception_hook()
    try:
        thread = threading.Thread(target=fails, name="kombo-test-thread")
        thread.start()
        thread.join()
    finally:
        threading.excepthook = previous
    logged, printed = logged_and_printed(log_file, capsys)
    assert "kombo-test-thread" in logged
    for text in (logged, printed):
        assert "RuntimeError" in text
        assert "in fails" in text  # the traceback itself is kept
        assert KEY not in text
        assert "ks_prod_abc12345" not in text
