"""The command line's own words: input refused before sending says nothing was sent and
to correct what each problem names (the command itself may be right), a send refused as
too large names the options to shorten, a misplaced window option is
named with any other mistake, the sandbox masks a key given as its host however it is
started, and the help and refusals say what a person can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import REDACTED
from kombo_desktop.core.messages import ShownIn, describe_error
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox, run_cli
from tests.cli_support import cli, help_text, one_line, output, send_args
from tests.profiles_support import sandbox_profile_without_key

#: What the command line says above the problems of input it refused before sending.
COMMAND_REFUSED = "Nothing was sent. Correct what is named below, then run the command again."
#: The window's words for the same, at the top of a form whose fields are marked.
FORM_REFUSED = "Some fields need attention before sending."
#: What a send refused as too large says to shorten, on the command line.
SHORTEN_OPTIONS = "Shorten the values of --attr or --remote-fields, then run the command again."

KOMBO_KEY = "ks_prod_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"


def send(
    app_home: Path, sandbox: Sandbox, *extra: str, url: str = "https://example.com/results/1"
) -> Any:
    """``kombo-desktop send`` of one link to ``url`` for the sandbox's first candidate,
    with the demo key, as a script runs it; the finished process."""
    return cli(
        app_home,
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", sandbox.candidates[0]["id"], "--label", "Assessment Result",
        "--url", url, *extra,
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


# ---- input refused before sending -----------------------------------------------------------


def test_input_refused_on_the_command_line_speaks_of_the_command_not_of_fields(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    wrong = ("--attr", "Score")
    plain = send(app_home, fresh_sandbox, *wrong, url="results/1")
    assert plain.returncode == 2, output(plain)
    assert plain.stderr.splitlines() == [
        COMMAND_REFUSED,
        "--url: must start with https:// (or http://)",
        "--attr #1: “Score” must be written KEY=VALUE",
    ]

    as_json = send(app_home, fresh_sandbox, *wrong, "--json", url="results/1")
    assert as_json.returncode == 2, output(as_json)
    answer = json.loads(as_json.stdout)
    assert answer["summary"] == COMMAND_REFUSED
    assert [e["option"] for e in answer["errors"]] == ["--url", "--attr #1"]
    assert fresh_sandbox.requests == []


def test_a_profile_without_key_is_refused_without_calling_the_command_wrong(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    # The command is right: the key is added with another command, then it is run again.
    sandbox_profile_without_key(fresh_sandbox, "Acme")
    refused = cli(app_home, *send_args(fresh_sandbox, "Acme"))
    assert refused.returncode == 2, output(refused)
    assert refused.stderr.splitlines() == [
        COMMAND_REFUSED,
        "--profile “Acme” (API key): no API key is saved on this computer for this profile; "
        "add one in the window (Manage profiles) or with this command:",
        "  kombo-desktop profiles set-key Acme",
    ]
    assert fresh_sandbox.requests == []


def test_a_key_variable_set_in_quotes_is_refused_without_calling_the_command_wrong(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    refused = cli(
        app_home,
        "send", "--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", fresh_sandbox.candidates[0]["id"], "--label", "Assessment Result",
        "--url", "https://example.com/results/1",
        KOMBO_API_KEY=f'"{DEMO_API_KEY}"',
    )  # fmt: skip
    assert refused.returncode == 2, output(refused)
    assert refused.stderr.splitlines() == [
        COMMAND_REFUSED,
        "API key: is in quotes: give only the key, without them",
    ]
    assert DEMO_API_KEY not in output(refused)
    assert fresh_sandbox.requests == []


def test_the_window_keeps_its_words_for_input_refused_before_sending() -> None:
    refused = InputError([FieldError("url", "must start with https:// (or http://)")])
    assert describe_error(refused).text == FORM_REFUSED
    assert describe_error(refused, shown_in=ShownIn.COMMAND_LINE).text == COMMAND_REFUSED


# ---- a send refused as too large ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "exit_code"),
    [
        # A page is no answer of Kombo's (3); its envelope without a code is Kombo's error (1).
        pytest.param(Fault.html_error(413), 3, id="proxy-page"),
        pytest.param(Fault.kombo_error(None, 413, message="Body too large"), 1, id="envelope"),
    ],
)
def test_a_send_refused_as_too_large_names_the_options_to_shorten(
    fresh_sandbox: Sandbox, app_home: Path, fault: Fault, exit_code: int
) -> None:
    fresh_sandbox.inject_fault(fault, times=1)
    plain = send(app_home, fresh_sandbox, "--prefix", "Acme:", "--attr", "Score=100%")
    assert plain.returncode == exit_code, output(plain)
    first_line = plain.stderr.splitlines()[0]
    assert "refused the result link as too large" in first_line
    assert first_line.endswith(SHORTEN_OPTIONS)
    assert "remote fields" not in plain.stderr

    fresh_sandbox.inject_fault(fault, times=1)
    as_json = send(app_home, fresh_sandbox, "--json")
    assert SHORTEN_OPTIONS in json.loads(as_json.stdout)["summary"]

    # The options named are send's own.
    usage = help_text(app_home, "send")
    assert "--attr KEY=VALUE" in usage
    assert "--remote-fields JSON" in usage


# ---- a window option before the command, with another mistake -------------------------------


def test_a_window_option_before_sandbox_is_named_with_an_unknown_option_as_json(
    app_home: Path,
) -> None:
    # Before, only --json was named: fixed, the command was refused again for --latency.
    result = cli(app_home, "--latency", "5", "sandbox", "--json")
    assert result.returncode == 2, output(result)
    answer = json.loads(result.stdout)
    assert [e["message"] for e in answer["errors"]] == [
        "--latency sets the delay of the window's demo sandbox; it cannot be used with "
        "sandbox. Put --latency after `sandbox`: `kombo-desktop sandbox --latency 5`.",
        "unrecognized arguments: --json",
    ]
    assert answer["summary"].startswith("Nothing was done. --latency sets the delay")
    assert answer["summary"].endswith(" Unrecognized arguments: --json.")


@pytest.mark.parametrize(
    ("words", "first", "also"),
    [
        (
            ["--latency", "5", "sandbox", "--colour"],
            "--latency sets the delay of the window's demo sandbox; it cannot be used with "
            "sandbox. Put --latency after `sandbox`: `kombo-desktop sandbox --latency 5`.",
            "unrecognized arguments: --colour",
        ),
        (
            ["--port", "8765", "--colour"],
            "--port sets the port of the window's demo sandbox; it cannot be used without "
            "--demo. Add --demo to open the demo with it, or leave it out.",
            "unrecognized arguments: --colour",
        ),
        (
            ["--demo", "send", "--candidate", "c"],
            "--demo opens the window with a sandbox on this computer; it cannot be used with "
            "send. To try send without Kombo, start `kombo-desktop sandbox` and pass the base "
            "URL it prints with --base-url.",
            "the following arguments are required: --label, --url",
        ),
    ],
)
def test_a_misplaced_window_option_is_said_first_and_the_other_mistake_after_it(
    app_home: Path, words: list[str], first: str, also: str
) -> None:
    result = cli(app_home, *words, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 2, output(result)
    assert result.stdout == ""
    refusal, after = result.stderr.rstrip("\n").split("\nAlso: ")
    assert one_line(refusal).endswith(f"error: {first}")
    assert after == also


def test_a_window_option_alone_is_said_once(app_home: Path) -> None:
    result = cli(app_home, "--latency", "5", "sandbox")
    assert result.returncode == 2, output(result)
    assert "Also:" not in result.stderr
    assert one_line(result.stderr).endswith("`kombo-desktop sandbox --latency 5`.")


# ---- the sandbox started by a script of its own ----------------------------------------------


def test_the_sandbox_started_directly_masks_a_key_given_as_its_host(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli(KOMBO_KEY, 0, 0, None) == 1
    said = capsys.readouterr()
    assert KOMBO_KEY not in said.out + said.err
    assert said.err.startswith(f"Cannot serve the Kombo sandbox on {REDACTED}:0: ")


def test_both_ways_of_starting_the_sandbox_mask_a_key_host(app_home: Path) -> None:
    result = cli(app_home, "sandbox", "--host", KOMBO_KEY)
    assert result.returncode == 2, output(result)
    assert KOMBO_KEY not in output(result)
    assert f"argument --host: “{REDACTED}” is not an address" in result.stderr


# ---- the help and the refusals --------------------------------------------------------------


def test_the_top_help_names_the_command_as_its_usage_does(app_home: Path) -> None:
    text = help_text(app_home)
    assert "Without a COMMAND, it opens the window." in text
    assert "sub-command" not in text
    assert "--latency MS demo sandbox delay per request, in milliseconds" in text


def test_send_help_says_what_the_prefix_and_remote_fields_are(app_home: Path) -> None:
    text = help_text(app_home, "send")
    assert (
        "--prefix PREFIX what Kombo puts before each attribute's name in the ATS, e.g. "
        "'Acme:' (needed with --attr, and sent only with it)"
    ) in text
    assert "--remote-fields JSON ATS-specific fields (Kombo's remote_fields) as a JSON object" in (
        text
    )
    assert "--candidate ID Kombo candidate ID" in text
    assert "--integration-id ID the customer's integration ID" in text
    for noun in ("candidate", "application", "integration"):
        assert f"{noun} id " not in f"{text} "


@pytest.mark.parametrize("command", [("send",), ("profiles", "add"), ("profiles", "edit")])
def test_every_help_names_the_integration_id_alike(
    app_home: Path, command: tuple[str, ...]
) -> None:
    text = help_text(app_home, *command)
    assert "--integration-id ID the customer's integration ID" in text
    assert "integration id" not in text


def test_a_timeout_that_is_not_a_number_is_refused_in_plain_words(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = send(app_home, fresh_sandbox, "--timeout", "soon")
    assert result.returncode == 2, output(result)
    assert one_line(result.stderr).endswith(
        "error: argument --timeout: “soon” is not a number of seconds: give a number above "
        "0, e.g. 60"
    )
    assert "float" not in result.stderr
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("rate", ["fast", "0", "-2"])
def test_a_sandbox_rate_limit_that_is_no_rate_is_refused_naming_the_option(
    app_home: Path, rate: str
) -> None:
    # Refused before anything serves: the command ends instead of waiting for Ctrl+C.
    result = cli(app_home, "sandbox", "--rate-limit", rate)
    assert result.returncode == 2, output(result)
    assert result.stdout == ""
    assert one_line(result.stderr).endswith(
        f"error: argument --rate-limit: “{rate}” is not a rate: give a number of requests "
        "per second above 0, e.g. 5"
    )
    assert "float" not in result.stderr
