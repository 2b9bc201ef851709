"""The command line's refusals and summaries: ``profiles`` names every action it has, an
``--attr`` whose name is empty or given twice does not read as the API key, every mistake
on the command line is named (a wrong value does not hide the others), the sandbox command
suggested for a misplaced window option keeps the sandbox's other options and is marked
off from its sentence, an option of one value given twice is refused, and Ctrl+C ends
``send`` and ``profiles`` with the same exit code."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.cli.main import build_parser
from kombo_desktop.cli.sandbox_command import OPTIONS as SANDBOX_OPTIONS
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import (
    add_with_key,
    cli,
    cli_env,
    help_text,
    one_line,
    output,
    sandbox_command,
    sub_commands,
)
from tests.interrupt_support import profiles_interrupted, profiles_of_one_name, send_interrupted

#: What a shell reports for a command that Ctrl+C stopped.
CTRL_C_EXIT = 130


def send(app_home: Path, sandbox: Sandbox, *extra: str) -> Any:
    """``kombo-desktop send`` to the sandbox's first candidate with the demo key, its
    label and URL given by ``extra``; the finished process."""
    return cli(
        app_home,
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", sandbox.candidates[0]["id"], *extra,
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


# ---- the summaries of profiles ----------------------------------------------------------------


def test_both_summaries_of_profiles_name_every_action_it_has(app_home: Path) -> None:
    actions = list(sub_commands(sub_commands(build_parser())["profiles"]))
    assert "set-key" in actions
    # Its own help, above the list of actions, and the line of the top help.
    description = help_text(app_home, "profiles").partition(" positional arguments:")[0]
    top_line = help_text(app_home).partition(" profiles ")[2].partition(" options:")[0]
    for summary in (description, top_line):
        assert [action for action in actions if action not in summary] == [], summary


# ---- an --attr without a name -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "option", "field", "said"),
    [
        (
            ["=100%"],
            "--attr #1",
            "attributes[0].key",
            "Attribute name is empty (the part before “=”)",
        ),
        (
            ["Score=1", "score=2"],
            "--attr #2",
            "attributes[1].key",
            "Duplicate attribute name “score” (“Score” in other capitals)",
        ),
    ],
    ids=["empty", "given-twice"],
)
def test_an_attribute_name_at_fault_is_said_without_the_word_key(
    fresh_sandbox: Sandbox,
    app_home: Path,
    attributes: list[str],
    option: str,
    field: str,
    said: str,
) -> None:
    words = ["--label", "L", "--url", "https://e.com/1", "--prefix", "Acme:"]
    for attribute in attributes:
        words += ["--attr", attribute]
    plain = send(app_home, fresh_sandbox, *words)
    assert plain.returncode == 2, output(plain)
    assert f"{option}: {said}" in plain.stderr.splitlines()
    assert "key" not in plain.stderr.lower().replace("kombo_api_key", "")

    as_json = send(app_home, fresh_sandbox, *words, "--json")
    assert as_json.returncode == 2, output(as_json)
    [error] = json.loads(as_json.stdout)["errors"]
    assert error == {"field": field, "option": option, "message": said}
    assert fresh_sandbox.requests == []


# ---- every mistake on the command line -------------------------------------------------------


def gui(app_home: Path, *words: str) -> Any:
    """``kombo-desktop-gui WORDS``, as its entry point runs it; the finished process."""
    return subprocess.run(
        [
            sys.executable, "-c",
            "import sys\nfrom kombo_desktop.app import main\nsys.exit(main(sys.argv[1:]))",
            *words,
        ],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _problems(result: Any) -> list[str]:
    """What a refusal on standard error names, one problem each, its lines joined."""
    assert result.returncode == 2, output(result)
    said = result.stderr.rstrip("\n").partition(": error: ")[2]
    return [one_line(problem) for problem in said.split("\nAlso: ")]


#: What ``port_number`` and ``latency_ms`` say of "x".
NOT_A_PORT = (
    "argument --port: “x” is not a port: give a whole number from 0 to 65535 (0: a free one)"
)
NOT_A_DELAY = (
    "argument --latency: “x” is not a delay: give a whole number of milliseconds, 0 or more"
)


def test_the_window_names_a_port_without_demo_and_an_unknown_option_both(app_home: Path) -> None:
    refused = gui(app_home, "--port", "5", "--frob")
    assert _problems(refused) == [
        "--port sets the port of the window's demo sandbox; it cannot be used without "
        "--demo. Add --demo to open the demo with it, or leave it out.",
        "unrecognized arguments: --frob",
    ]


def test_a_wrong_value_does_not_hide_the_other_mistakes_of_the_window(app_home: Path) -> None:
    without_demo = (
        "{} sets the {} of the window's demo sandbox; it cannot be used without --demo. Add "
        "--demo to open the demo with it, or leave it out."
    )
    # Before, the wrong value was named alone: --frob, and --port without --demo, unsaid.
    assert _problems(gui(app_home, "--port", "x", "--frob")) == [
        without_demo.format("--port", "port"),
        NOT_A_PORT,
        "unrecognized arguments: --frob",
    ]
    assert _problems(cli(app_home, "--port", "5", "--latency", "x")) == [
        "--port and --latency are options of the demo; they cannot be used without --demo. "
        "Add --demo to open the demo with them, or leave them out.",
        NOT_A_DELAY,
    ]


def test_a_command_names_every_wrong_value_and_what_it_does_not_know(app_home: Path) -> None:
    code, first_line, err = sandbox_command(
        app_home, "--latency", "x", "sandbox", "--port", "x", "--frob"
    )
    assert (code, first_line) == (2, ""), err
    problems = [one_line(problem) for problem in err.partition(": error: ")[2].split("\nAlso: ")]
    assert problems == [
        "--latency sets the delay of the window's demo sandbox; it cannot be used with "
        "sandbox. Put --latency after `sandbox`: `kombo-desktop sandbox --latency x --port x`.",
        NOT_A_DELAY,
        NOT_A_PORT,
        "unrecognized arguments: --frob",
    ]

    as_json = cli(app_home, "profiles", "add", "Acme", "--region", "mars", "--json")
    assert as_json.returncode == 2, output(as_json)
    messages = [error["message"] for error in json.loads(as_json.stdout)["errors"]]
    assert messages == [
        "argument --region: invalid choice: 'mars' (choose from 'eu', 'us')",
        # Said with the others: argparse alone stops at what is missing.
        "the following arguments are required: --integration-id; unrecognized arguments: --json",
    ]


@pytest.mark.parametrize(
    ("words", "command"),
    [
        (("sandbox", "--port", "x"), "sandbox"),
        (("sandbox", "--latency", "x", "--host", "127.0.0.1"), "sandbox"),
        (
            (
                "send",
                "--candidate",
                "C1",
                "--label",
                "L",
                "--url",
                "https://a.example",
                "--timeout",
                "x",
            ),
            "send",
        ),
        (("profiles", "add", "Acme", "--integration-id", "I1", "--region", "mars"), "profiles add"),
    ],
)
def test_a_wrong_value_of_a_command_is_said_with_that_commands_usage(
    app_home: Path, words: tuple[str, ...], command: str
) -> None:
    # Before, the window's usage was shown (it has a --port and a --latency of its own),
    # and the refusal was the window's ("kombo-desktop: error: argument --port").
    refused = cli(app_home, *words)
    assert refused.returncode == 2, output(refused)
    assert refused.stderr.startswith(f"usage: kombo-desktop {command} "), refused.stderr
    assert f"\nkombo-desktop {command}: error: argument --" in refused.stderr, refused.stderr


def test_a_wrong_command_value_beside_an_unknown_word_is_said_with_the_windows_usage(
    app_home: Path,
) -> None:
    # argparse does not say which parser left ``--frob`` unknown: it may be the window's.
    refused = cli(app_home, "--frob", "sandbox", "--port", "x")
    assert refused.returncode == 2, output(refused)
    assert refused.stderr.startswith("usage: kombo-desktop [-h]"), refused.stderr
    assert _problems(refused) == [NOT_A_PORT, "unrecognized arguments: --frob"]


# ---- the sandbox command suggested -----------------------------------------------------------


def _suggested_sandbox(result: Any) -> list[str]:
    """The words of the sandbox command a refusal suggests (in the backticks after
    "`sandbox`: ")."""
    assert result.returncode == 2, output(result)
    suggested = one_line(result.stderr).partition("after `sandbox`: `")[2].partition("`")[0]
    return shlex.split(suggested)


def test_the_suggested_sandbox_command_keeps_the_sandbox_options_typed(app_home: Path) -> None:
    typed = ["--latency", "5", "sandbox", "--rate-limit", "3", "--host", "my host"]
    assert _suggested_sandbox(cli(app_home, *typed)) == [
        "kombo-desktop", "sandbox", "--latency", "5", "--host", "my host", "--rate-limit", "3",
    ]  # fmt: skip

    # Copied as it is, it serves, with all of them.
    words = _suggested_sandbox(cli(app_home, "--port", "0", "sandbox", "--rate-limit", "3"))
    assert words == ["kombo-desktop", "sandbox", "--port", "0", "--rate-limit", "3"]
    _code, first_line, err = sandbox_command(app_home, *words[1:])
    assert first_line.startswith("Kombo sandbox running at http://127.0.0.1:"), err


def test_the_suggested_sandbox_command_is_marked_off_from_its_sentence(app_home: Path) -> None:
    # Before, it ran into the sentence's "." (or ", without --demo."): copied to the end of
    # its line, ``--port 8765.``, which the sandbox refuses as no port.
    for typed in (["--port", "8765", "sandbox"], ["--demo", "--port", "8765", "sandbox"]):
        refused = cli(app_home, *typed)
        assert refused.returncode == 2, output(refused)
        assert "`sandbox`: `kombo-desktop sandbox --port 8765`" in one_line(refused.stderr)


def test_a_sandbox_value_starting_with_a_dash_is_suggested_as_one_word_with_its_option(
    app_home: Path,
) -> None:
    typed = ["--port", "0", "sandbox", "--host=-x", "--rate-limit", "5"]
    words = _suggested_sandbox(cli(app_home, *typed))
    assert words == ["kombo-desktop", "sandbox", "--port", "0", "--host=-x", "--rate-limit", "5"]
    # ``--host -x`` would be ``--host`` without its value; as suggested, it keeps its own.
    assert build_parser().parse_args(words[1:]).host == "-x"


def test_every_option_of_the_sandbox_is_kept_in_the_suggested_command() -> None:
    sandbox = sub_commands(build_parser())["sandbox"]
    takes_a_value = [
        action.option_strings[0]
        for action in sandbox._actions
        if action.option_strings and action.nargs is None
    ]
    assert takes_a_value == list(SANDBOX_OPTIONS)


# ---- an option of one value given twice ----------------------------------------------------------


def test_an_option_of_one_value_given_twice_is_refused_and_nothing_is_sent(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    twice = ["--label", "A", "--label", "B", "--url", "https://e.com/1"]
    said = "--label was given twice; give it once, with the value to use"
    plain = send(app_home, fresh_sandbox, *twice)
    assert plain.returncode == 2, output(plain)
    assert one_line(plain.stderr).endswith(f"error: {said}")

    as_json = send(app_home, fresh_sandbox, *twice, "--json")
    assert as_json.returncode == 2, output(as_json)
    assert [e["message"] for e in json.loads(as_json.stdout)["errors"]] == [said]

    # Named with the other mistakes of the line.
    also = send(app_home, fresh_sandbox, *twice, "--url", "https://e.com/2", "--frob")
    assert also.returncode == 2, output(also)
    refusal, after = also.stderr.rstrip("\n").split("\nAlso: ")
    assert one_line(refusal).endswith(
        "error: --label and --url were each given more than once; give each once, with the "
        "value to use"
    )
    assert after == "unrecognized arguments: --frob"
    assert fresh_sandbox.requests == []

    # --attr is meant to be given once per attribute.
    attributes = ["--prefix", "Acme:", "--attr", "Score=1", "--attr", "Time=2"]
    sent = send(app_home, fresh_sandbox, "--label", "A", "--url", "https://e.com/1", *attributes)
    assert sent.returncode == 0, output(sent)
    [request] = fresh_sandbox.requests
    assert [row["key"] for row in request.json()["details"]["attributes"]] == ["Score", "Time"]


def test_profiles_and_the_sandbox_refuse_an_option_given_twice_too(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    edited = cli(app_home, "profiles", "edit", "Acme", "--name", "Beta", "--name", "Gamma")
    assert edited.returncode == 2, output(edited)
    assert "--name was given twice" in edited.stderr
    assert ProfileStore().get(profile.id) == profile

    # Refused before it serves: the sandbox does not take one of the ports unseen.
    code, first_line, err = sandbox_command(app_home, "sandbox", "--port", "0", "--port", "0")
    assert (code, first_line) == (2, ""), err
    assert "--port was given twice" in err


# ---- Ctrl+C --------------------------------------------------------------------------------------


def test_ctrl_c_ends_send_and_profiles_with_the_same_exit_code(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    fresh_sandbox.inject_fault(Fault.rate_limited("30"), times=1)
    sent = send_interrupted(
        app_home, fresh_sandbox, once=lambda written: "trying again" in written.stderr()
    )
    profiles_of_one_name(app_home, fresh_sandbox)
    listed = profiles_interrupted(app_home, "list")
    assert (sent.returncode, listed.returncode) == (CTRL_C_EXIT, CTRL_C_EXIT), output(
        sent
    ) + output(listed)
    # And each help says so.
    for command in ("send", "profiles"):
        assert f"{CTRL_C_EXIT} stopped with Ctrl+C" in help_text(app_home, command)
