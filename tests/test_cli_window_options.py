"""The window's options next to a command, ``--region`` in any case, a key given as an
option, and the help a person reads before running a command."""

from __future__ import annotations

import json

import pytest

from kombo_desktop.core.connection import Region
from kombo_desktop.core.logs import REDACTED
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import (
    cli,
    free_port,
    help_text,
    one_line,
    output,
    sandbox_command,
    send_words,
    window_entry,
)
from tests.keyring_support import require_real_secret_service

#: Where a send on the command line takes the key from, as the refusal of ``--api-key`` says.
SEND_KEY_HINT = (
    "The API key is never given on the command line, where other users of this computer can "
    "read it: set the KOMBO_API_KEY environment variable to it, or use a saved profile with "
    "--profile NAME."
)


@pytest.mark.parametrize(
    ("window_options", "named"),
    [
        (["--demo"], "--demo"),
        (["--port", "8765"], "--port"),
        (["--latency", "5"], "--latency"),
    ],
)
def test_a_window_option_before_send_is_refused_and_nothing_is_sent(
    fresh_sandbox, app_home, window_options, named
):
    # Dropped, ``--demo send`` sent for real, to wherever --region or --base-url said.
    words = [*window_options, *send_words(fresh_sandbox)]
    result = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 2, output(result)
    assert fresh_sandbox.requests == []
    assert result.stdout == ""
    error = one_line(result.stderr)
    assert f"error: {named} " in error
    assert "it cannot be used with send. To try send without Kombo, start `kombo-desktop" in error
    assert "and pass the base URL it prints with --base-url." in error

    # A script asking for JSON gets the refusal as every mistake in its arguments.
    as_json = cli(app_home, *words, "--json", KOMBO_API_KEY=DEMO_API_KEY)
    assert as_json.returncode == 2, output(as_json)
    assert fresh_sandbox.requests == []
    answer = json.loads(as_json.stdout)
    assert answer["status"] == "error"
    assert answer["summary"].startswith("Nothing was sent.")
    (problem,) = answer["errors"]
    assert problem["field"] == "arguments"
    assert problem["message"].startswith(f"{named} ")
    assert "cannot be used with send" in problem["message"]


def test_the_demo_sandbox_port_goes_along_to_the_sandbox_suggested_for_send(
    fresh_sandbox, app_home
):
    words = ["--demo", "--port", "8765", *send_words(fresh_sandbox)]
    result = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 2, output(result)
    assert fresh_sandbox.requests == []
    assert one_line(result.stderr).endswith(
        "error: --demo and --port are options of the window; they cannot be used with send. "
        "To try send without Kombo, start `kombo-desktop sandbox --port 8765` and pass the "
        "base URL it prints with --base-url."
    )


@pytest.mark.parametrize("option", ["--port", "--latency"])
def test_a_window_option_before_sandbox_is_refused_not_overridden(app_home, option):
    # Before the fix, ``--port 8765 sandbox`` served on a free port instead.
    value = str(free_port()) if option == "--port" else "200"
    code, first_line, err = sandbox_command(app_home, option, value, "sandbox")
    assert (code, first_line) == (2, ""), (first_line, err)
    assert one_line(err).endswith(
        f"it cannot be used with sandbox. Put {option} after `sandbox`: "
        f"`kombo-desktop sandbox {option} {value}`."
    )


def test_demo_with_profiles_is_refused(app_home):
    result = cli(app_home, "--demo", "profiles", "list", "--json")
    assert result.returncode == 2, output(result)
    answer = json.loads(result.stdout)
    assert answer["summary"].startswith("No profile was read or changed.")
    assert answer["errors"][0]["message"] == (
        "--demo opens the window with a sandbox on this computer; it cannot be used with "
        "profiles. Leave it out."
    )


@pytest.mark.parametrize("region", ["EU", "Us", " eu "])
def test_send_takes_a_region_in_any_case_as_the_window_does(fresh_sandbox, app_home, region):
    target = fresh_sandbox.candidates[0]["id"]
    words = ["send", "--candidate", target, "--label", "L", "--url", "https://e.com/1"]
    # No key and no integration ID: refused where the connection is checked, after the
    # arguments were read, and never sent (the region is Kombo's own, not the sandbox).
    result = cli(app_home, *words, "--region", region)
    assert result.returncode == 2, output(result)
    assert "invalid choice" not in result.stderr
    assert "API key: set the KOMBO_API_KEY environment variable to the key" in result.stderr
    as_json = json.loads(cli(app_home, *words, "--region", region, "--json").stdout)
    assert {e["field"] for e in as_json["errors"]} == {"integration_id", "api_key"}

    # Not a region in any case: refused as before, the choices listed.
    wrong = cli(app_home, *words, "--region", "Europe")
    assert wrong.returncode == 2, output(wrong)
    assert "argument --region: invalid choice: 'Europe' (choose from 'eu', 'us')" in wrong.stderr


@pytest.mark.secret_service
def test_profiles_take_a_region_in_any_case(fresh_sandbox, app_home):
    require_real_secret_service()
    added = cli(
        app_home,
        "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID, "--region", "EU",
        stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    assert ProfileStore().require_by_name("Acme").region is Region.EU

    edited = cli(app_home, "profiles", "edit", "Acme", "--region", "Us")
    assert edited.returncode == 0, output(edited)
    listed = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert [p["region"] for p in listed["profiles"]] == ["us"]
    assert cli(app_home, "profiles", "remove", "Acme").returncode == 0


def test_a_key_given_as_an_option_is_pointed_to_where_keys_go(fresh_sandbox, app_home):
    words = send_words(fresh_sandbox, "--api-key", DEMO_API_KEY)
    result = cli(app_home, *words)
    assert result.returncode == 2, output(result)
    assert fresh_sandbox.requests == []
    # Masked as ever; the hint on a line of its own after it.
    assert result.stderr.endswith(
        f"error: unrecognized arguments: --api-key {REDACTED}\n{SEND_KEY_HINT}\n"
    )

    as_json = cli(app_home, *words, "--json")
    assert as_json.returncode == 2, output(as_json)
    (problem,) = json.loads(as_json.stdout)["errors"]
    assert problem["message"] == f"unrecognized arguments: --api-key {REDACTED}. {SEND_KEY_HINT}"
    for finished in (result, as_json):
        assert DEMO_API_KEY not in output(finished)

    # ``profiles add`` reads the key from standard input.
    add = ["profiles", "add", "Acme", "--region", "eu", "--integration-id", DEMO_INTEGRATION_ID]
    profiles = cli(app_home, *add, "--api-key=ks_dev_x1")
    assert profiles.returncode == 2, output(profiles)
    assert "`profiles add` and `profiles set-key` read it from standard input." in profiles.stderr

    # An option that has nothing to do with keys gets no word about them.
    other = cli(app_home, *send_words(fresh_sandbox, "--colour"), KOMBO_API_KEY=DEMO_API_KEY)
    assert other.returncode == 2, output(other)
    assert other.stderr.endswith("error: unrecognized arguments: --colour\n")
    assert fresh_sandbox.requests == []


#: A key of a shape this app calls "Unknown" (a gateway's): no pattern tells it is a key.
UNKNOWN_SHAPE_KEY = "Zx81sQ0pLmN3vB7cR2tY9uW4"
KOMBO_KEY = "ks_prod_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"
#: Where ``profiles`` takes the key from, as the refusal of ``--api-key`` says.
PROFILES_KEY_HINT = "`profiles add` and `profiles set-key` read it from standard input."
#: Where the window takes the key, as a refusal without a command says.
WINDOW_KEY_HINT = (
    "The API key is never given on the command line, where other users of this computer can "
    "read it: start without it and add it to a profile under Manage profiles, or save one "
    "with `kombo-desktop profiles add`, which reads it from standard input."
)
SEND = ["send", "--candidate", "c", "--label", "L", "--url", "https://example.com/results/1"]
PROFILES_ADD = ["profiles", "add", "Acme", "--integration-id", "acme-1", "--region", "eu"]


#: The options a key is refused in (the command line takes none).
KEY_OPTIONS = ("--api-key", "--token", "--secret")


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        ([*SEND, "--api-key", UNKNOWN_SHAPE_KEY], SEND_KEY_HINT),
        ([*SEND, "--json", f"--api-key={UNKNOWN_SHAPE_KEY}"], SEND_KEY_HINT),
        ([*PROFILES_ADD, "--api-key", UNKNOWN_SHAPE_KEY], PROFILES_KEY_HINT),
        ([*PROFILES_ADD, f"--secret={UNKNOWN_SHAPE_KEY}", "--json"], PROFILES_KEY_HINT),
        # Before a command, the key would be taken for one ("invalid choice: '…'").
        (["--token", UNKNOWN_SHAPE_KEY, *SEND], SEND_KEY_HINT),
        # Without a command: the window's options are refused there.
        ([f"--api-key={UNKNOWN_SHAPE_KEY}"], WINDOW_KEY_HINT),
        (["--api-key", UNKNOWN_SHAPE_KEY], WINDOW_KEY_HINT),
        (["--api-key", UNKNOWN_SHAPE_KEY, "--json"], WINDOW_KEY_HINT),
    ],
)
def test_the_value_of_a_key_option_is_masked_whatever_the_keys_shape(app_home, words, hint):
    # No pattern knows a key of another shape: the option's name says what its value is.
    result = cli(app_home, *words, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 2, output(result)
    assert UNKNOWN_SHAPE_KEY not in output(result)
    if "--json" in words:
        (problem,) = json.loads(result.stdout)["errors"]
        refusal = problem["message"]
    else:
        refusal = one_line(result.stderr)
    # The value masked where the option is quoted with it, or the option alone named.
    option = next(word.split("=")[0] for word in words if word.startswith(KEY_OPTIONS))
    named = refusal.split("error: ", 1)[-1]  # after the usage line, if it is there
    assert REDACTED in refusal or named.startswith(f"{option} is not an option"), refusal
    assert refusal.endswith(hint)
    assert ProfileStore().profiles() == []


@pytest.mark.parametrize(
    ("words", "refusal"),
    [
        (
            ["--api-key", KOMBO_KEY],
            f"kombo-desktop-gui: error: unrecognized arguments: --api-key {REDACTED} "
            f"{WINDOW_KEY_HINT}",
        ),
        (
            ["--demo", f"--token={UNKNOWN_SHAPE_KEY}"],
            f"kombo-desktop-gui: error: unrecognized arguments: --token={REDACTED} "
            f"{WINDOW_KEY_HINT}",
        ),
        (
            # Named after --port without --demo: a wrong value hides no other mistake.
            ["--port", KOMBO_KEY],
            f"or leave it out. Also: argument --port: “{REDACTED}” is not a port: give a "
            "whole number from 0 to 65535 (0: a free one)",
        ),
    ],
)
def test_the_window_entry_point_never_prints_a_key_typed_among_its_options(
    app_home, words, refusal
):
    result = window_entry(app_home, *words)
    # Refused as any mistake in the arguments, before any window.
    assert result.returncode == 2, output(result)
    assert KOMBO_KEY not in output(result)
    assert UNKNOWN_SHAPE_KEY not in output(result)
    assert one_line(result.stderr).endswith(refusal)


def test_send_help_gives_exit_codes_the_base_url_form_and_profile_overrides(app_home):
    text = help_text(app_home, "send")
    assert (
        "exit codes: 0 the link was added (warnings included), 1 Kombo answered with an "
        "error (nothing was added), 2 invalid input, an unknown profile or a keyring that "
        "could not be used (nothing was sent), 3 no answer or an unexpected one (network "
        "failure) or a fault of the app's own, nothing added, 4 the link may already have "
        "been added (a timeout, a connection dropped, a fault on the way or of the app's "
        "own after it went out): check the ATS before sending again, 130 stopped with Ctrl+C "
        "(it says whether the link may have been added), 143 stopped by SIGTERM (kill, a "
        "cancelled CI job), which says the same"
    ) in text
    assert (
        "--base-url URL custom API base URL, including the API version path, e.g. "
        "https://api.example.com/v1"
    ) in text
    assert (
        "--region, --base-url and --integration-id, when given, override the profile's values"
    ) in text
    assert "--region {eu,us} Kombo region, in any case" in text


def test_sandbox_help_shows_its_defaults(app_home):
    text = help_text(app_home, "sandbox")
    assert "--host HOST address to listen on (default: 127.0.0.1)" in text
    assert "--port PORT port (default: 0, a free one)" in text
    assert "--latency MS delay per request, in milliseconds, at most an hour (default: 0)" in text
    assert "(default: no limit)" in text


def test_profiles_list_and_remove_help_say_what_they_do(app_home):
    listing = help_text(app_home, "profiles", "list")
    assert "Show each saved profile: its name, region or base URL, integration ID" in listing
    assert "The keys themselves are never shown." in listing
    removing = help_text(app_home, "profiles", "remove")
    assert (
        "When the keyring cannot be reached, is locked or refuses, the profile is kept with "
        "its key (exit code 4)"
    ) in removing
    assert "--without-keyring removes the profile all the same." in removing


def test_top_level_help_says_the_window_options_go_without_a_command(app_home):
    text = help_text(app_home)
    assert (
        "window options: Only without a COMMAND: they open the window or set up its demo."
    ) in text


def test_a_mistake_beside_without_keyring_is_named_and_no_key_is_spoken_of(app_home):
    # --without-keyring is the app's own option (the one it suggests with no keyring):
    # neither a key option nor the holder of a key value.
    result = cli(app_home, "profiles", "remove", "Acme", "--without-keyring", "--region", "eu")
    assert result.returncode == 2, output(result)
    assert "unrecognized arguments: --region eu" in result.stderr, output(result)
    assert REDACTED not in result.stderr
    assert "API key is never given" not in result.stderr
