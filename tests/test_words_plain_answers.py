"""Plain words where an answer's words were wrong or stopped short.

A proxy's "502 Bad Gateway" page is a server's trouble, not the app's; a refused
connection to this computer or to a typed address is not the internet's fault; Kombo's
refusals without a code, and a closed job, say what to check; a warning without words is
one on the command line too; Kombo's error under a success status keeps its code, and a
rate limit's code there says nothing was added. A key check refused as invalid says what
to check, with no form to correct.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import (
    KomboApiError,
    KomboDesktopError,
    NetworkError,
    NetworkErrorKind,
    RequestInfo,
    RequestPurpose,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import Remedy, ShownIn, describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output
from tests.main_window_support import (
    build_window,
    candidate_id,
    fill_form,
    line_edit,
    submit_and_wait,
)
from tests.profiles_support import TIMEOUT, click, show_dialog, widget
from tests.profiles_support import fill_form as fill_profile_form
from tests.qt_helpers import find_by_accessible_name

# The words as a recruiter reads them (not imported: the old code has none of them).
SERVER_TROUBLE = "Kombo's server, or one on the way to it, had a problem and could not answer."
# Said of a search or a key check, never of a send that may have been added, whose note
# says to check the ATS before sending again.
TRY_AGAIN = "Trying again in a few minutes usually helps."
MAY_HAVE_BEEN_ADDED = "may already have been added"
NOT_UNDERSTOOD = "does not understand"
WITHOUT_WORDS = "Kombo sent this warning without a message."

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")


def _connection(sandbox: Sandbox) -> Connection:
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )


def _sent(sandbox: Sandbox, fault: Fault) -> KomboDesktopError:
    """The error a result link sent through the real client meets when ``fault`` answers."""
    sandbox.inject_fault(fault, times=1)
    target = Target(kind=TargetKind.CANDIDATE, id=candidate_id(sandbox))
    with (
        SyncKomboClient(_connection(sandbox)) as client,
        pytest.raises(KomboDesktopError) as caught,
    ):
        client.add_result_link(target, REQUEST)
    return caught.value


def _envelope(code: str | None, message: str = "Refused") -> str:
    error = {"code": code, "title": None, "message": message, "log_url": None}
    return json.dumps({"status": "error", "error": error})


def _cli_send(app_home: Path, sandbox: Sandbox) -> Any:
    return cli(
        app_home,
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/results/1",
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


# ---- a server's trouble answered with a page, not Kombo's JSON -----------------------------


def test_a_proxys_bad_gateway_page_is_a_servers_trouble_with_the_retry_kept(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.html_error(502), times=1)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert SERVER_TROUBLE in summary
    assert NOT_UNDERSTOOD not in summary
    assert MAY_HAVE_BEEN_ADDED in summary
    # Before: "Trying again in a few minutes usually helps." right before "check the ATS
    # before sending again".
    assert TRY_AGAIN not in summary
    assert find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    assert "502" in window.response.facts_text()
    assert "502 Bad Gateway" in window.response.details_text()  # the technical detail is kept


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.html_error(503), id="503-page"),
        pytest.param(Fault.raw("", 504, "text/plain"), id="empty-504"),
        pytest.param(Fault.non_json(502), id="plain-text"),
    ],
)
def test_any_servers_trouble_without_kombos_json_is_worded_so(
    fresh_sandbox: Sandbox, fault: Fault
) -> None:
    error = _sent(fresh_sandbox, fault)
    assert isinstance(error, UnexpectedResponseError)
    message = describe_error(error)
    assert message.text.startswith(SERVER_TROUBLE)
    assert TRY_AGAIN not in message.text
    assert message.may_have_been_applied
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE
    assert f"HTTP status: {fault.status}" in message.detail


def test_a_refusal_page_that_is_not_kombos_stays_apart_from_a_servers_trouble(
    fresh_sandbox: Sandbox,
) -> None:
    # A 405 page: a base URL that points at some web server, or a proxy's refusal.
    message = describe_error(_sent(fresh_sandbox, Fault.html_error(405)))
    assert SERVER_TROUBLE not in message.text
    assert NOT_UNDERSTOOD not in message.text
    assert "not Kombo's" in message.text
    assert "Check the region or base URL" in message.text
    assert not message.may_have_been_applied


# ---- a connection refused, by where it went -----------------------------------------------


def test_nothing_answering_on_this_computer_is_not_blamed_on_the_internet(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    with Sandbox() as gone:
        closed_url = gone.base_url  # a loopback port that nobody listens on afterwards
    window = build_window(qtbot, fresh_sandbox)
    line_edit(window, "Base URL").setText(closed_url)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert "internet" not in summary
    address = closed_url.split("//", 1)[1].split("/", 1)[0]
    assert f"Nothing answers at {address} on this computer." in summary
    assert "sandbox" in summary
    assert MAY_HAVE_BEEN_ADDED not in summary


def _refused(url: str) -> NetworkError:
    info = RequestInfo("POST", url, RequestPurpose.ADD_RESULT_LINK, TargetKind.CANDIDATE)
    return NetworkError(
        NetworkErrorKind.CONNECT,
        request=info,
        detail="ConnectError: [Errno 111] Connection refused",
        may_have_been_applied=False,
        elapsed_s=0.01,
    )


def test_a_typed_address_that_refuses_is_named_to_be_checked_and_kombos_own_is_not() -> None:
    typed = describe_error(_refused("https://kombo.acme.example:8443/v1/ats/candidates/c/x"))
    assert (
        typed.text == "Could not reach kombo.acme.example:8443. Check that the base URL is right."
    )
    # Kombo's own servers, unreachable, keep the words about the internet connection.
    kombos = describe_error(_refused("https://api.us.kombo.dev/v1/ats/candidates/c/x"))
    assert kombos.text == "Could not reach Kombo. Check the internet connection."


# ---- Kombo's refusals without a code, and a closed job ------------------------------------


@pytest.mark.parametrize(
    ("status", "next_step"),
    [
        (400, "Correct the form and send again."),
        (401, "Check that it is complete, still active, and meant for this region."),
        (403, "Check the API key and the integration ID"),
    ],
)
def test_a_refusal_without_a_code_says_what_to_check(
    fresh_sandbox: Sandbox, status: int, next_step: str
) -> None:
    message = describe_error(_sent(fresh_sandbox, Fault.kombo_error(None, status)))
    assert next_step in message.text.splitlines()[0]


def test_a_closed_job_says_what_to_do_next(fresh_sandbox: Sandbox) -> None:
    message = describe_error(_sent(fresh_sandbox, Fault.kombo_error("ATS.JOB_CLOSED", 400)))
    first = message.text.splitlines()[0]
    assert first.startswith("The ATS refused because the job is closed. ")
    assert "reopened" in first
    assert "application for an open job" in first


def test_a_refusal_without_a_code_on_the_command_line_says_to_correct_the_command(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    fresh_sandbox.inject_fault(Fault.kombo_error(None, 400), times=1)
    result = _cli_send(app_home, fresh_sandbox)
    assert result.returncode == 1, output(result)
    assert "Kombo rejected the request as invalid. Correct the command and run it again." in (
        result.stderr
    )


# ---- a warning without words on the command line -------------------------------------------


def test_a_warning_without_words_is_printed_as_one(fresh_sandbox: Sandbox, app_home: Path) -> None:
    body = {"status": "success", "data": {}, "warnings": [{"message": ""}]}
    fresh_sandbox.inject_fault(Fault.raw(json.dumps(body)), times=1)
    result = _cli_send(app_home, fresh_sandbox)
    assert result.returncode == 0, output(result)
    assert f"Warning: {WITHOUT_WORDS}" in result.stdout.splitlines()
    assert "Warning: " not in result.stdout.splitlines()


# ---- Kombo's error envelope under a success status ------------------------------------------


def test_kombos_error_under_a_success_status_is_its_error_with_the_code(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.raw(_envelope("ATS.JOB_CLOSED", "Job is closed")), times=1)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert "The ATS refused because the job is closed." in summary
    assert NOT_UNDERSTOOD not in summary
    # The code says it was refused: nothing was added.
    assert MAY_HAVE_BEEN_ADDED not in summary
    assert "ATS.JOB_CLOSED" in window.response.facts_text()


def test_kombos_error_under_a_success_status_without_a_refusal_may_have_been_added(
    fresh_sandbox: Sandbox,
) -> None:
    error = _sent(fresh_sandbox, Fault.raw(_envelope(None, "Something happened")))
    assert isinstance(error, KomboApiError)
    assert error.status_code == 200
    message = describe_error(error)
    assert message.text.startswith("Kombo answered with an error.")
    assert "Kombo said: Something happened" in message.text
    assert message.may_have_been_applied
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE


@pytest.mark.parametrize(
    "code",
    [
        "PLATFORM.RATE_LIMIT_EXCEEDED",
        "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
        "REMOTE.RATE_LIMIT_EXCEEDED",
    ],
)
def test_a_rate_limit_under_a_success_status_was_not_added_and_is_not_sent_again(
    fresh_sandbox: Sandbox, code: str
) -> None:
    # Sent again on its own, a link the success status says was added could be added twice.
    error = _sent(fresh_sandbox, Fault.raw(_envelope(code, "Slow down")))
    assert isinstance(error, KomboApiError)
    assert error.code == code
    assert len([r for r in fresh_sandbox.requests if r.method == "POST"]) == 1
    # Kombo's code says "not processed": "wait and try again" beside "may already have been
    # added, check the ATS" would contradict itself.
    assert not error.may_have_been_applied
    target = Target(kind=TargetKind.CANDIDATE, id=candidate_id(fresh_sandbox))
    for shown_in in ShownIn:
        message = describe_error(error, target, shown_in=shown_in)
        assert not message.may_have_been_applied
        assert message.remedy is Remedy.WAIT
        assert message.text.startswith(f"The result link was not added to candidate {target.id}.")
        assert "try again" in message.text
        assert MAY_HAVE_BEEN_ADDED not in message.text


# ---- a refusal without a code at the key check ---------------------------------------------


@pytest.fixture
def profiles_dialog(qtbot, worker, memory_keyring) -> ProfilesDialog:
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.kombo_error(None, 400), id="400-without-a-code"),
        pytest.param(Fault.kombo_error(None, 422), id="422-without-a-code"),
        pytest.param(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), id="input-invalid"),
    ],
)
def test_a_key_check_refused_as_invalid_says_what_to_check_not_to_correct_a_form(
    qtbot, profiles_dialog: ProfilesDialog, fresh_sandbox: Sandbox, fault: Fault
) -> None:
    # "Test connection" sends nothing but the key: no form was filled in, nothing was sent.
    fresh_sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    fill_profile_form(
        profiles_dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url
    )
    with qtbot.waitSignal(profiles_dialog.connectionTested, timeout=TIMEOUT) as outcome:
        click(qtbot, profiles_dialog, "Test connection")
    ok, text = outcome.args
    assert not ok
    assert text == widget(profiles_dialog, "Connection test result", QLabel).text()
    assert "form" not in text
    assert "send again" not in text
    assert text.startswith("Kombo refused to check the API key. Check that the key is complete")
    assert "region or base URL" in text
    assert (
        f"HTTP status: {fault.status}"
        in widget(profiles_dialog, "Connection test result", QLabel).toolTip()
    )
