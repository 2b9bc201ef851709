"""A delay for the sandbox's answers is at most an hour: a longer one, taken, broke every
answer of the demo ("Server disconnected without sending a response")."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_desktop.sandbox import Sandbox
from kombo_desktop.sandbox.demo import MAX_LATENCY_MS
from tests.cli_support import cli, one_line, output, window_entry

TOO_LONG = "99999999999999999999"


def test_the_demo_refuses_a_delay_too_long_before_any_window(app_home: Path) -> None:
    result = window_entry(app_home, "--demo", "--latency", TOO_LONG)
    assert result.returncode == 2, output(result)
    assert (
        f"argument --latency: “{TOO_LONG}” is too long a delay: give at most "
        f"{MAX_LATENCY_MS} milliseconds (an hour)"
    ) in one_line(result.stderr)


def test_the_sandbox_command_refuses_a_delay_too_long(app_home: Path) -> None:
    result = cli(app_home, "sandbox", "--latency", str(MAX_LATENCY_MS + 1))
    assert result.returncode == 2, output(result)
    assert "is too long a delay" in result.stderr


def test_the_longest_delay_is_taken_and_a_longer_one_refused() -> None:
    sandbox = Sandbox(latency_ms=MAX_LATENCY_MS)
    sandbox.set_latency(0)  # taken, then back to none
    with pytest.raises(ValueError, match="at most"):
        sandbox.set_latency(MAX_LATENCY_MS + 1)
