"""An option for a key (``--api-key``, ``--token``, ``--secret``) typed with a command
name or another option after it, or beside another mistake in the arguments: the refusal
names the key's option, masks any key, and says where the command takes its key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.logs import REDACTED
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.cli_support import cli, output, send_options, sub_commands

#: What each refusal says first: the key is never an argument.
NEVER_AN_ARGUMENT = (
    "The API key is never given on the command line, where other users of this computer "
    "can read it: "
)
#: Where each command takes its key, as its refusal says.
KEY_HINTS = {
    "send": NEVER_AN_ARGUMENT + "set the KOMBO_API_KEY environment variable to it, or use a "
    "saved profile with --profile NAME.",
    "profiles": NEVER_AN_ARGUMENT + "`profiles add` and `profiles set-key` read it from "
    "standard input.",
    "sandbox": NEVER_AN_ARGUMENT + "the sandbox takes none (it prints its demo keys when it "
    "starts), and `kombo-desktop send` reads one from the KOMBO_API_KEY environment variable "
    "or from a saved profile with --profile NAME.",
}
#: What each command's JSON object says first: what was not done.
CONSEQUENCES = {
    "send": "Nothing was sent.",
    "profiles": "No profile was read or changed.",
    "sandbox": "Nothing was done.",
}
#: A key of a shape no pattern knows (a gateway's): only the option's name says it is one.
UNKNOWN_SHAPE_KEY = "Zx81sQ0pLmN3vB7cR2tY9uW4"
KOMBO_KEY = "ks_prod_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"
#: A send's options, complete but for where it goes.
SEND_OPTIONS = ["--candidate", "c", "--label", "L", "--url", "https://example.com/results/1"]


def refusal(result: Any, command: str) -> str:
    """What ``command`` said was wrong: the JSON object's problem with ``--json``, else
    standard error's lines after the usage, on one line."""
    assert result.returncode == 2, output(result)
    if result.stdout:
        answer = json.loads(result.stdout)
        (problem,) = answer["errors"]
        assert problem["field"] == "arguments"
        assert answer["summary"].startswith(CONSEQUENCES[command]), answer
        return str(problem["message"])
    text = " ".join(str(result.stderr).split())
    return text[text.index(" error: ") + len(" error: ") :]


@pytest.mark.parametrize(
    ("before", "after", "command"),
    [
        (["--api-key"], ["send"], "send"),
        (["--token"], ["send", "--json"], "send"),
        (["send", "--api-key"], [], "send"),
        (["--api-key"], ["profiles", "list"], "profiles"),
        (["--secret"], ["profiles", "list", "--json"], "profiles"),
        (["--api-key"], ["sandbox"], "sandbox"),
    ],
)
def test_a_command_after_a_key_option_is_the_command_and_the_key_was_left_out(
    fresh_sandbox, app_home, before, after, command
):
    words = [*before, *after]
    if command == "send":
        words += send_options(fresh_sandbox)
    result = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    said = refusal(result, command)
    # The command's own words about its key, after the option named: no key was typed,
    # so nothing is masked (a command's name is no key).
    assert said.endswith(KEY_HINTS[command]), said
    assert f"unrecognized arguments: {before[-1]}" in said
    assert REDACTED not in output(result)
    assert fresh_sandbox.requests == []
    assert ProfileStore().profiles() == []


def test_an_option_after_a_key_option_keeps_its_name(fresh_sandbox, app_home):
    # ``--candidate`` follows the key's option: the key was left out, and argparse's
    # complaint about ``--candidate`` names it.
    words = ["send", *send_options(fresh_sandbox), "--api-key", "--candidate"]
    for extra in ([], ["--json"]):
        said = refusal(cli(app_home, *words, *extra, KOMBO_API_KEY=DEMO_API_KEY), "send")
        assert said.startswith("argument --candidate: expected one argument"), said
        assert "unrecognized arguments: --api-key" in said
        assert REDACTED not in said
        assert said.endswith(KEY_HINTS["send"])
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("key", [UNKNOWN_SHAPE_KEY, KOMBO_KEY])
@pytest.mark.parametrize(
    ("words", "first_mistake", "named", "command"),
    [
        # A required option left out: argparse says so before what it did not know.
        (
            ["send", "--api-key", "{key}", "--label", "L"],
            "the following arguments are required: --url",
            f"--api-key {REDACTED}",
            "send",
        ),
        (
            ["send", "--token={key}", "--candidate", "c", "--json"],
            "the following arguments are required: --label, --url",
            f"--token={REDACTED}",
            "send",
        ),
        (
            ["send", "--api-key", "{key}", "--url", "https://e.com", "--label", "L"],
            "one of the arguments --candidate --application is required",
            f"--api-key {REDACTED}",
            "send",
        ),
        # A value argparse refuses, and two options that cannot go together.
        (
            ["send", "--secret", "{key}", "--candidate", "c", "--label", "L", "--url", "u",
             "--timeout", "soon"],
            "argument --timeout: “soon” is not a number of seconds: give a number above 0",
            f"--secret {REDACTED}",
            "send",
        ),
        (
            ["send", "--candidate", "c", "--api-key", "{key}", "--application", "a", "--json"],
            "argument --application: not allowed with argument --candidate",
            f"--api-key {REDACTED}",
            "send",
        ),
        (
            ["profiles", "add", "Acme", "--region", "eu", "--api-key", "{key}"],
            "the following arguments are required: --integration-id",
            f"--api-key {REDACTED}",
            "profiles",
        ),
    ],
)  # fmt: skip
def test_the_key_option_is_named_whichever_mistake_argparse_meets_first(
    fresh_sandbox, app_home, key, words, first_mistake, named, command
):
    typed = [word.replace("{key}", key) for word in words]
    result = cli(app_home, *typed, KOMBO_API_KEY=DEMO_API_KEY)
    said = refusal(result, command)
    assert key not in output(result)
    assert said.startswith(first_mistake), said
    assert f"unrecognized arguments: {named}" in said
    assert said.endswith(KEY_HINTS[command])
    assert fresh_sandbox.requests == []
    assert ProfileStore().profiles() == []


@pytest.mark.parametrize("key", [UNKNOWN_SHAPE_KEY, KOMBO_KEY])
def test_a_key_option_before_the_command_is_named_without_its_value(fresh_sandbox, app_home, key):
    # Not taken for the command's name ("invalid choice: '[redacted]'"): the option is
    # named, and its value is not quoted at all.
    result = cli(app_home, "--api-key", key, "send", *SEND_OPTIONS, KOMBO_API_KEY=DEMO_API_KEY)
    said = refusal(result, "send")
    assert key not in output(result)
    assert said.startswith("--api-key is not an option"), said
    assert said.endswith(KEY_HINTS["send"])
    assert fresh_sandbox.requests == []


def test_a_key_option_named_by_argparse_is_named_once(fresh_sandbox, app_home: Path):
    # The only mistake is the key's option: argparse names it, and nothing is added.
    result = cli(app_home, "send", *send_options(fresh_sandbox), "--api-key", UNKNOWN_SHAPE_KEY)
    said = refusal(result, "send")
    assert said == f"unrecognized arguments: --api-key {REDACTED} {KEY_HINTS['send']}"
    assert UNKNOWN_SHAPE_KEY not in output(result)


@pytest.mark.parametrize("key", [UNKNOWN_SHAPE_KEY, KOMBO_KEY])
@pytest.mark.parametrize(
    ("typed_after", "said_after"),
    [
        # A command's name or ``--`` between the key's option and the key: the key is
        # still the word after them, masked, and ``send`` stays the command.
        (["--api-key", "send", "{key}"], f"--api-key send {REDACTED}"),
        (["--token", "--", "{key}"], f"--token -- {REDACTED}"),
        (["--api-key", "--", "send", "{key}"], f"--api-key -- send {REDACTED}"),
        (["--api-key=send", "{key}"], f"--api-key=send {REDACTED}"),
        (["--secret", "sandbox", "{key}"], f"--secret sandbox {REDACTED}"),
    ],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_key_typed_after_a_command_word_or_double_dash_is_masked(
    fresh_sandbox, app_home, key, typed_after, said_after, json_flag
):
    typed = [word.replace("{key}", key) for word in typed_after]
    words = ["send", *json_flag, *send_options(fresh_sandbox), *typed]
    result = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    said = refusal(result, "send")
    assert key not in output(result)
    assert said.startswith(f"unrecognized arguments: {said_after}"), said
    assert said.endswith(KEY_HINTS["send"])
    assert fresh_sandbox.requests == []


def test_the_words_taken_for_commands_are_the_parsers_own() -> None:
    # The masking reads these names to tell a command word from a key: a command or a
    # profiles action added to the parser and not to them would let a key through.
    from kombo_desktop.cli.main import _PROFILE_ACTION_NAMES, COMMAND_NAMES, build_parser

    commands = sub_commands(build_parser())
    assert set(commands) == set(COMMAND_NAMES)
    assert set(sub_commands(commands["profiles"])) == set(_PROFILE_ACTION_NAMES)
