"""An odd ``Retry-After`` (infinite, huge, a date far away) is still a plain rate limit.

Such a header comes from a misconfigured server or proxy. Once it crashed the words and
the Retry countdown, and the window kept saying "Sending…".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QPushButton

from kombo_desktop.core.client import RetryPolicy, parse_retry_after
from kombo_desktop.core.errors import (
    MAX_RETRY_AFTER_S,
    RateLimitedError,
    RequestInfo,
    RequestPurpose,
)
from kombo_desktop.core.messages import describe_error
from kombo_desktop.qt import response_panel
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.response_panel import ResponsePanel
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    build_window,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name

NOW = datetime(2025, 3, 7, 12, 0, 0, tzinfo=timezone.utc)

#: Retries with short waits of the client's own, so that a rate limit without usable
#: advice runs out of retries in a moment rather than the default's 14 s.
QUICK_RETRIES = RetryPolicy(max_retries=2, default_delay_s=0.05)


@pytest.mark.parametrize("value", ["inf", "-inf", "+Infinity", "1e400", "nan", "-1e400"])
def test_a_retry_after_that_is_no_finite_number_is_no_advice(value):
    assert parse_retry_after(value, now=NOW) is None


@pytest.mark.parametrize(
    "value",
    [
        "3000000000",
        "1e300",
        "86401",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sun, 09 Mar 2025 12:00:00 GMT",
    ],
)
def test_a_retry_after_longer_than_a_day_is_a_day(value):
    assert parse_retry_after(value, now=NOW) == MAX_RETRY_AFTER_S == 24 * 60 * 60


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("-5", 0.0),
        ("120", 120.0),
        ("86400", 86400.0),
        ("Fri, 07 Mar 2025 12:10:00 GMT", 600.0),
        ("Fri, 07 Mar 2025 11:00:00 GMT", 0.0),
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_an_ordinary_retry_after_is_read_as_before(value, seconds):
    assert parse_retry_after(value, now=NOW) == seconds


def rate_limit(retry_after_s: float | None) -> RateLimitedError:
    return RateLimitedError(
        retry_after_s=retry_after_s,
        status_code=429,
        code="PLATFORM.RATE_LIMIT_EXCEEDED",
        title="Rate limit exceeded",
        message="",
        log_url=None,
        request=RequestInfo(
            "POST",
            "https://api.kombo.dev/v1/ats/candidates/a/result-links",
            RequestPurpose.ADD_RESULT_LINK,
        ),
        body="{}",
        elapsed_s=0.1,
    )


def test_the_panel_counts_down_no_more_than_a_day_whatever_it_is_given(qtbot):
    # The client bounds the waits it reports; the panel does not rely on it for its clock.
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.show_sending("POST …")
    panel.show_error(rate_limit(3e9))
    assert panel.state() == "error"
    assert MAX_RETRY_AFTER_S - 60 < panel.retry_wait_left_s() <= MAX_RETRY_AFTER_S
    assert panel.retry_button.text() in ("Retry in 24:00:00", "Retry in 23:59:59")


def test_the_longest_wait_is_worded_as_a_person_reads_it():
    # Kombo's figure is past the bound: the words do not claim it asked for exactly that.
    for value in ("Fri, 31 Dec 9999 23:59:59 GMT", "172800"):
        message = describe_error(rate_limit(parse_retry_after(value)))
        lead = "Try again in a day at the earliest (Kombo asked to wait a day or more)."
        assert lead in message.text
        assert "Kombo asked to wait: a day or more" in message.detail
        assert not message.may_have_been_applied
    short = describe_error(rate_limit(parse_retry_after("7200")))
    assert "Try again in 2 hours (Kombo asked to wait that long)." in short.text


def send_into_rate_limit(qtbot, sandbox: Sandbox, retry_after: str) -> MainWindow:
    """Send a result link that every try of is refused with ``retry_after``."""
    window = build_window(qtbot, sandbox, retry=QUICK_RETRIES)
    fill_form(qtbot, window, target_id=candidate_id(sandbox, 1), url="https://example.com/r/ra")
    sandbox.inject_fault(Fault.rate_limited(retry_after=retry_after))
    submit_and_wait(qtbot, window)
    return window


def assert_shown_as_a_rate_limit(window: MainWindow) -> None:
    assert not window.busy
    assert window.response.state() == "error"
    summary = window.response.summary_text()
    assert summary.startswith("Error. The result link was not added to candidate ")
    assert "Kombo is receiving too many requests from this account." in summary
    assert "may already have been added" not in summary
    # The failure was taken in as far as the end (the status bar says so last).
    assert window.statusBar().currentMessage() == "The request failed; the form is unchanged."


@pytest.mark.parametrize("retry_after", ["inf", "1e400", "nan"])
def test_a_retry_after_of_no_number_is_retried_as_without_one(qtbot, fresh_sandbox, retry_after):
    window = send_into_rate_limit(qtbot, fresh_sandbox, retry_after)
    assert_shown_as_a_rate_limit(window)
    # No usable advice: the client waited as it does when Kombo names no wait.
    assert len(posts(fresh_sandbox)) == 1 + QUICK_RETRIES.max_retries
    assert "Try again in" not in window.response.summary_text()
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert retry.isEnabled()
    assert window.response.retry_wait_left_s() == 0


@pytest.mark.parametrize("retry_after", ["3000000000", "1e300", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_retry_after_of_ages_is_reported_as_a_days_wait(qtbot, fresh_sandbox, retry_after):
    window = send_into_rate_limit(qtbot, fresh_sandbox, retry_after)
    assert_shown_as_a_rate_limit(window)
    # Longer than the client waits by itself: reported at once, not waited.
    assert len(posts(fresh_sandbox)) == 1
    assert "Try again in a day at the earliest" in window.response.summary_text()
    # Retry comes back after the day, counted down on the button.
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert not retry.isEnabled()
    assert MAX_RETRY_AFTER_S - 60 < window.response.retry_wait_left_s() <= MAX_RETRY_AFTER_S
    assert retry.text() in ("Retry in 24:00:00", "Retry in 23:59:59", "Retry in 23:59:58")
    # A day on, the clock time alone would read as now: the day is named.
    until = window.response.retry_wait_until
    assert len(until.split()) == 2, until
    assert retry.toolTip() == f"Kombo asked to wait until {until}."


def test_a_wait_counts_the_time_the_computer_slept(qtbot, monkeypatch):
    # A ten-minute wait, then an hour asleep: Python's monotonic clock stands still while
    # the computer sleeps (Linux, macOS), the wall clock does not. (A sleep cannot be had
    # here: the wall clock is moved on an hour, the monotonic one left where it is.)
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.show_sending("POST …")
    panel.show_error(rate_limit(600))
    assert not panel.retry_button.isEnabled()
    woke = time.time() + 3600
    monkeypatch.setattr(response_panel, "time", lambda: woke)
    # Before: still "Retry in 10:00" an hour past the clock time it named for its end,
    # and Submit said "Not sent: Kombo asked to wait until" that past time.
    qtbot.waitUntil(panel.retry_button.isEnabled, timeout=3000)
    assert panel.retry_wait_left_s() == 0


def test_a_wait_ending_after_a_change_of_summer_time_names_its_zone(tmp_path):
    # On the night summer time ends, 02:30 comes twice: a bare time could read as now, or
    # as past. A time zone whose summer time starts at the next midnight (a POSIX rule,
    # needing no zone files), and a day's wait: it ends past the change.
    tomorrow = (datetime.now() + timedelta(days=1)).timetuple()
    # Zero-based days of the year, 29 February counted where there is one.
    starts = tomorrow.tm_yday - 1
    zone = f"WIN-1SUM-2,{starts}/0,{(starts + 100) % 365}/0"
    child = """
from PySide6.QtWidgets import QApplication
from kombo_desktop.qt.response_panel import ResponsePanel
from tests.test_retry_after_bounds import rate_limit
app = QApplication([])
panel = ResponsePanel()
panel.show_sending("POST …")
panel.show_error(rate_limit(86400 - 60))
print(panel.retry_wait_until)
"""
    env = {**os.environ, "TZ": zone, "QT_QPA_PLATFORM": "offscreen"}
    env["KOMBO_DESKTOP_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", child], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    until = result.stdout.strip().splitlines()[-1]
    # Before: "Wed 02:29:00", with nothing to say which of two such times.
    assert until.endswith(" SUM"), until
