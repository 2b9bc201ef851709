"""Options as a script gives them: out-of-range values, abbreviations, ``--json`` itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, cli_env, output

#: ``kombo-desktop`` and ``kombo-desktop-gui``, as their entry points run them.
ENTRY_POINTS = {
    "kombo-desktop": "import sys; from kombo_desktop.cli.main import main; sys.exit(main())",
    "kombo-desktop-gui": "import sys; from kombo_desktop.app import main; sys.exit(main())",
}


def window_command(app_home: Path, entry_point: str, *args: str) -> Any:
    """The window's command line (``--demo`` …), offscreen; a window that opened would
    keep running until the timeout."""
    return subprocess.run(
        [sys.executable, "-c", ENTRY_POINTS[entry_point], *args],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def send(app_home: Path, sandbox: Sandbox, *args: str) -> Any:
    base = ["--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID]
    return cli(app_home, "send", *base, *args, KOMBO_API_KEY=DEMO_API_KEY)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--port", "70000"], "--port"),
        (["--port", "-1"], "--port"),
        (["--port", "eighty"], "--port"),
        (["--latency", "-5"], "--latency"),
    ],
)
def test_sandbox_options_out_of_range_are_named(app_home, args, option):
    result = cli(app_home, "sandbox", *args)
    assert result.returncode == 2, output(result)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"argument {option}:" in result.stderr
    assert result.stdout == ""  # no sandbox banner: nothing was served


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--port", "70000"], "--port"),
        (["--port", "-1"], "--port"),
        (["--latency", "-1"], "--latency"),
    ],
)
def test_demo_options_out_of_range_are_named_before_any_window(app_home, entry_point, args, option):
    result = window_command(app_home, entry_point, "--demo", *args)
    assert result.returncode == 2, output(result)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"argument {option}:" in result.stderr


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_demo_on_a_port_in_use_is_said_in_plain_words(fresh_sandbox, app_home, entry_point):
    port = str(fresh_sandbox.port)
    result = window_command(app_home, entry_point, "--demo", "--port", port)
    assert result.returncode == 2, output(result)
    assert "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Cannot open the demo on port {port} (--port): ")
    assert line.endswith("Choose another port, or leave out --port to use a free one.")


def test_an_abbreviated_option_is_refused_not_guessed(fresh_sandbox, app_home):
    target = fresh_sandbox.candidates[0]["id"]
    args = ["--candidate", target, "--label", "L", "--url", "https://e.com/1"]
    for flag in ("--jso", "--js"):
        result = send(app_home, fresh_sandbox, *args, flag)
        assert result.returncode == 2, output(result)
        assert f"unrecognized arguments: {flag}" in result.stderr
        assert result.stdout == ""
    assert fresh_sandbox.requests == []

    listed = cli(app_home, "profiles", "list", "--js")
    assert listed.returncode == 2, output(listed)
    assert "unrecognized arguments: --js" in listed.stderr


def test_json_mistakes_only_when_argparse_reads_json(fresh_sandbox, app_home):
    # --json given: a mistake in the arguments is one JSON object.
    missing_label = send(app_home, fresh_sandbox, "--candidate", "c", "--url", "x", "--json")
    assert missing_label.returncode == 2
    assert json.loads(missing_label.stdout)["errors"][0]["field"] == "arguments"
    # After "--" it is no option, and argparse does not read it as one: usage text.
    after_end = send(
        app_home, fresh_sandbox, "--candidate", "c", "--label", "L", "--url", "x", "--", "--json"
    )
    assert after_end.returncode == 2
    assert after_end.stdout == ""
    assert "unrecognized arguments" in after_end.stderr
    assert fresh_sandbox.requests == []
