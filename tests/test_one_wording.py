"""One wording for one problem, wherever it is told: the window, the profiles, the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import FieldError, InputError, KomboApiError
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.messages import describe_error, describe_failure
from kombo_desktop.core.models import ResultLinkRequest, Target
from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.qt.connection_bar import CUSTOM, ConnectionBar
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output

BAD_CUSTOM_URLS = ["http://example.com", "ftp://x", "not a url", ""]


# ---- a custom base URL: one rule, one message ---------------------------------------------------


def _profile_problem(url: str) -> InputError:
    with pytest.raises(InputError) as caught:
        build_profile(name="Acme", integration_id="greenhouse:abc", base_url=url)
    return caught.value


@pytest.mark.parametrize("url", BAD_CUSTOM_URLS)
def test_a_bad_custom_url_is_told_alike_by_a_profile_and_by_the_connection_bar(
    qtbot: QtBot, url: str
) -> None:
    in_profile = _profile_problem(url)
    (problem,) = in_profile.errors
    assert problem.field == "base_url"
    bar = ConnectionBar()
    qtbot.addWidget(bar)
    bar.region.setCurrentIndex(bar.region.findData(CUSTOM))
    bar.integration_id.setText(DEMO_INTEGRATION_ID)
    bar.api_key.setText(DEMO_API_KEY)
    bar.base_url.setText(url)
    # A blank URL is asked for as every blank field of the bar is; anything else is the
    # sentence the profiles show (the profile picker, the profiles dialog's status).
    expected = "Enter the base URL" if problem.missing else describe_failure(in_profile).text
    assert bar.connection_problem() == expected
    with pytest.raises(InputError) as in_connection:
        Connection.create(api_key=DEMO_API_KEY, integration_id="greenhouse:abc", base_url=url)
    assert in_connection.value.errors == in_profile.errors


def test_a_blank_custom_url_in_a_profile_is_a_field_left_blank() -> None:
    (problem,) = _profile_problem("  ").errors
    assert problem == FieldError("base_url", "is required", missing=True)


@pytest.mark.parametrize("url", ["", "  "])
def test_profiles_add_and_send_say_the_same_about_a_blank_base_url(
    app_home: Path, fresh_sandbox: Sandbox, url: str
) -> None:
    added = cli(
        app_home,
        "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID, "--base-url", url,
    )  # fmt: skip
    sent = cli(
        app_home,
        "send", "--candidate", "c1", "--label", "L", "--url", "https://example.com/r/1",
        "--integration-id", DEMO_INTEGRATION_ID, "--base-url", url,
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip
    assert added.returncode == sent.returncode == 2, output(added) + output(sent)
    said_by_profiles = [ln for ln in added.stderr.splitlines() if ln.startswith("--base-url:")]
    said_by_send = [ln for ln in sent.stderr.splitlines() if ln.startswith("--base-url:")]
    assert len(said_by_profiles) == 1, output(added)
    assert said_by_profiles == said_by_send
    assert ProfileStore().profiles() == []
    assert fresh_sandbox.requests == []


# ---- a field's problem as a sentence -------------------------------------------------------------


def test_a_wrong_value_in_the_connection_bar_reads_as_the_profile_pickers_sentence(
    qtbot: QtBot,
) -> None:
    bar = ConnectionBar()
    qtbot.addWidget(bar)
    bar.set_values(api_key="ks_dev_has space", integration_id=DEMO_INTEGRATION_ID)
    with pytest.raises(InputError) as caught:
        Connection.create(api_key="ks_dev_has space", integration_id=DEMO_INTEGRATION_ID)
    # The profile picker words a profile's problem through describe_failure.
    said_by_picker = describe_failure(caught.value).text
    assert said_by_picker == "The API key must not contain spaces, tabs or line breaks."
    assert bar.connection_problem() == said_by_picker


@pytest.mark.parametrize(
    ("problem", "name", "shown"),
    [
        (FieldError("label", "is required", missing=True), "Label", "Label is required"),
        (
            FieldError("url", "must start with https:// (or http://)"),
            "Result URL",
            "Result URL must start with https:// (or http://)",
        ),
        (FieldError("attributes[3].key", "Key is empty"), "Attributes, row 4", None),
        (FieldError("remote_fields", "nested too deeply"), "Remote fields", None),
        (
            FieldError("remote_fields", "icims.package: is not a field Kombo knows for this ATS"),
            "Remote fields",
            "Remote fields: icims.package: is not a field Kombo knows for this ATS",
        ),
    ],
)
def test_a_forms_field_caption_follows_the_one_rule(
    problem: FieldError, name: str, shown: str | None
) -> None:
    from kombo_desktop.core.sentences import field_problem_sentence

    caption = field_problem_sentence(problem, name, definite=False, full_stop=False)
    expected = shown or f"{name}: {problem.message[:1].upper()}{problem.message[1:]}"
    assert caption == expected
    # The same problem told as a sentence of its own differs only by its full stop.
    assert field_problem_sentence(problem, name, definite=False) == f"{expected}."


def test_a_text_that_trails_off_gets_no_full_stop_after_it() -> None:
    from kombo_desktop.core.sentences import as_sentence

    # The response panel's warnings and every message of the core end the same way.
    assert as_sentence("2 warnings from Kombo: a | cut short…") == (
        "2 warnings from Kombo: a | cut short…"
    )
    problem = InputError([FieldError("import", "the file stops after “Acme…")])
    assert describe_failure(problem).text == "The file stops after “Acme…"


# ---- a key that cannot be deleted ----------------------------------------------------------------


def test_a_keyring_that_cannot_be_loaded_says_the_key_could_not_be_deleted(
    app_home: Path,
) -> None:
    ProfileStore().add_profile(
        build_profile(name="Acme", integration_id="greenhouse:abc", region="eu")
    )
    # A keyring setting naming a backend that does not exist: keyring cannot start at all.
    removed = cli(
        app_home, "profiles", "remove", "Acme", PYTHON_KEYRING_BACKEND="no_such_module.Keyring"
    )
    assert removed.returncode == 4, output(removed)
    assert "could not be deleted" in removed.stderr, output(removed)
    assert "--without-keyring" in removed.stderr
    assert ProfileStore().find_by_name("Acme") is not None


# ---- the profiles command's argument mistakes --------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["profiles", "list", "--json", "--bogus"],
        ["profiles", "add", "Acme", "--json"],
    ],
)
def test_a_profiles_argument_mistake_with_json_says_what_profiles_did_not_do(
    app_home: Path, args: list[str]
) -> None:
    result = cli(app_home, *args)
    assert result.returncode == 2, output(result)
    answer = json.loads(result.stdout)
    assert answer["status"] == "error"
    assert answer["summary"].startswith("No profile was read or changed. ")
    assert "send" not in answer["summary"].lower()
    (problem,) = answer["errors"]
    assert problem["field"] == "arguments"
    # The summary tells argparse's own reason as a sentence.
    assert problem["message"][1:] in answer["summary"]


def test_argument_mistakes_are_worded_for_the_command_that_was_given(app_home: Path) -> None:
    listed = cli(app_home, "profiles", "list", "--json", "--bogus")
    sent = cli(app_home, "send", "--candidate", "c", "--json", "--label", "L")
    assert listed.returncode == sent.returncode == 2, output(listed) + output(sent)
    assert json.loads(listed.stdout)["summary"] == (
        "No profile was read or changed. Unrecognized arguments: --bogus."
    )
    assert json.loads(sent.stdout)["summary"] == (
        "Nothing was sent. The following arguments are required: --url."
    )


@pytest.mark.parametrize("json_output", [True, False])
def test_a_bad_window_option_given_to_a_command_is_reported_by_it_with_keys_masked(
    app_home: Path, json_output: bool
) -> None:
    # --latency belongs to the window; a key pasted as its value must not come back on
    # the terminal, and --json must still get one JSON object.
    key = "ks_prod_" + "k" * 40
    args = ["send", "--candidate", "c", "--label", "L", "--url", "https://example.com/r"]
    result = cli(app_home, *args, "--latency", key, *(["--json"] if json_output else []))
    assert result.returncode == 2, output(result)
    assert key[:12] not in result.stdout + result.stderr
    if json_output:
        answer = json.loads(result.stdout)
        assert answer["summary"].startswith("Nothing was sent.")
        assert answer["errors"][0]["field"] == "arguments"


def test_a_command_after_a_misplaced_json_is_still_the_one_worded(app_home: Path) -> None:
    listed = cli(app_home, "--json", "profiles", "list", "--bogus")
    assert listed.returncode == 2, output(listed)
    assert json.loads(listed.stdout)["summary"].startswith("No profile was read or changed.")


# ---- send: the connection checked once, every problem at once ------------------------------------


def test_send_names_every_connection_problem_at_once(app_home: Path) -> None:
    result = cli(
        app_home,
        "send", "--application", "a1", "--label", "L", "--url", "https://e.com",
        "--integration-id", "has space", "--base-url", "ftp://x",
    )  # fmt: skip
    assert result.returncode == 2, output(result)
    lines = result.stderr.splitlines()
    assert "--integration-id: must not contain spaces, tabs or line breaks" in lines
    assert "--base-url: must start with https:// (or http://)" in lines
    assert (
        "API key: set the KOMBO_API_KEY environment variable to the key, or use --profile NAME"
        in lines
    )
    assert not any(line.startswith("Region:") for line in lines)


# ---- what a request was for travels with it ------------------------------------------------------


def _refused(sandbox: Sandbox, connection: Connection, *, search: bool) -> KomboApiError:
    sandbox.inject_fault(Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403))
    target = Target(kind=TargetKind.CANDIDATE, id="c1")
    request = ResultLinkRequest.from_form(label="L", url="https://example.com/r/1")
    with SyncKomboClient(connection) as client:
        send = (
            (lambda: client.find_candidates(email="a@b.dev"))
            if search
            else (lambda: client.add_result_link(target, request))
        )
        with pytest.raises(KomboApiError) as caught:
            send()
    return caught.value


@pytest.mark.parametrize(
    ("search", "purpose", "words"),
    [
        (True, "SEARCH_CANDIDATES", "not allowed to read candidates"),
        (False, "ADD_RESULT_LINK", "not allowed to add result links"),
    ],
)
def test_a_refusal_is_worded_for_what_the_request_was_for(
    fresh_sandbox: Sandbox, connection: Connection, search: bool, purpose: str, words: str
) -> None:
    from kombo_desktop.core.errors import RequestPurpose

    error = _refused(fresh_sandbox, connection, search=search)
    assert error.request.purpose is RequestPurpose[purpose]
    assert words in describe_error(error).text


def test_the_words_follow_the_purpose_not_the_address() -> None:
    from kombo_desktop.core.errors import RequestInfo, RequestPurpose
    from kombo_desktop.core.requests import check_api_key_call, find_candidates_call

    # Behind a gateway the address need not end as Kombo's paths do.
    search = RequestInfo("GET", "https://gateway.example/kombo", RequestPurpose.SEARCH_CANDIDATES)
    error = KomboApiError(
        status_code=403,
        code="INTEGRATION.ACTION_DISABLED",
        title=None,
        message="",
        log_url=None,
        request=search,
        body="{}",
        elapsed_s=0.1,
    )
    assert describe_error(error).text.startswith("Searching candidates is turned off")
    assert find_candidates_call(email="a@b.dev").purpose is RequestPurpose.SEARCH_CANDIDATES
    assert check_api_key_call().purpose is RequestPurpose.CHECK_API_KEY
