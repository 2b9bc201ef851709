"""A command's own options typed before its name (``kombo-desktop --profile Acme send …``,
as other programs take them): the refusal says where they go, never that the option's
value is no command."""

from __future__ import annotations

import json
from pathlib import Path

from kombo_desktop.sandbox import Sandbox
from tests.cli_support import cli, one_line, output, send_options

#: The exit code of a mistake in the arguments: nothing was sent or changed.
ARGUMENT_MISTAKE = 2

#: A key of Kombo's shape, typed where a profile's name goes.
KOMBO_KEY = "ks_prod_Zx81sQ0pAbCdEfGhIjKlMnOp"


def test_a_profile_before_send_is_said_to_go_after_it(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = cli(app_home, "--profile", "Acme", "send", *send_options(fresh_sandbox))
    assert result.returncode == ARGUMENT_MISTAKE, output(result)
    said = one_line(result.stderr)
    assert "--profile is an option of send: type it after `send`, not before it" in said
    # Not the words argparse has for it: the profile's name taken for a command.
    assert "invalid choice" not in said
    assert fresh_sandbox.requests == []


def test_json_before_its_command_is_said_as_one_json_object_naming_where_it_goes(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    sent = cli(app_home, "--json", "send", *send_options(fresh_sandbox))
    assert sent.returncode == ARGUMENT_MISTAKE, output(sent)
    answer = json.loads(sent.stdout)
    assert answer["summary"] == (
        "Nothing was sent. --json is an option of send: type it after `send`, not before it."
    )
    assert fresh_sandbox.requests == []

    listed = cli(app_home, "--json", "profiles", "list")
    assert listed.returncode == ARGUMENT_MISTAKE, output(listed)
    assert "type it after `profiles list`, not before it" in json.loads(listed.stdout)["summary"]


def test_options_before_the_command_are_named_without_their_values(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = cli(
        app_home, "--profile", KOMBO_KEY, "--attr=Score=1", "send", *send_options(fresh_sandbox)
    )
    assert result.returncode == ARGUMENT_MISTAKE, output(result)
    said = one_line(result.stderr)
    assert "--profile and --attr are options of send: type them after `send`" in said
    assert KOMBO_KEY not in output(result)
    assert "Score=1" not in said
