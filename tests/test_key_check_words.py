"""A proxy's or a firewall's refusal is not a wrong address, and a wait of no time is no
second: the words, through the real client, the profiles dialog and the command line,
against the sandbox over HTTP (core/messages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.client import RetryPolicy, SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import (
    KomboApiError,
    RateLimitedError,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import (
    REFUSED_ON_THE_WAY,
    WRONG_ADDRESS,
    Remedy,
    UserMessage,
    describe_error,
    describe_rate_limit_wait,
)
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output
from tests.profiles_support import TIMEOUT, click, fill_form, show_dialog, widget

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")

#: What a corporate proxy answers when it wants its own sign-in.
PROXY_PAGE = (
    "<html><head><title>407 Proxy Authentication Required</title></head>"
    "<body><h1>Access denied</h1><p>Sign in to the company proxy.</p></body></html>"
)
#: What a firewall answers for a site it blocks, or a sign-in portal for a session it wants.
BLOCK_PAGE = "<!DOCTYPE html><html><body><h1>This site is blocked by policy</h1></body></html>"

#: Each refusal on the way, as the sandbox answers it.
REFUSALS_ON_THE_WAY = [
    pytest.param(Fault.raw(PROXY_PAGE, 407, "text/html"), 407, id="proxy-407"),
    pytest.param(Fault.raw(BLOCK_PAGE, 403, "text/html"), 403, id="firewall-403"),
    pytest.param(Fault.html_error(401), 401, id="portal-401"),
    # A proxy's 407 is the proxy's whatever its body says.
    pytest.param(Fault.raw('{"error": "proxy auth"}', 407), 407, id="proxy-407-json"),
]


def _key_check_error(sandbox: Sandbox, connection: Connection, fault: Fault) -> BaseException:
    sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    with (
        SyncKomboClient(connection) as client,
        pytest.raises((UnexpectedResponseError, KomboApiError)) as caught,
    ):
        client.check_api_key()
    return caught.value


def _assert_refused_on_the_way(message: UserMessage, status: int) -> None:
    assert message.text == REFUSED_ON_THE_WAY
    assert message.remedy is Remedy.RETRY
    assert not message.may_have_been_applied
    # Nobody's words are quoted as Kombo's, and the answer stays one click away.
    assert "said:" not in message.text
    assert f"HTTP status: {status}" in message.detail
    assert "Start of the answer:" in message.detail


# ---- the key check ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "status"), REFUSALS_ON_THE_WAY)
def test_a_key_check_refused_on_the_way_is_not_worded_as_a_wrong_address(
    fresh_sandbox: Sandbox, connection: Connection, fault: Fault, status: int
) -> None:
    error = _key_check_error(fresh_sandbox, connection, fault)
    assert isinstance(error, UnexpectedResponseError)
    message = describe_error(error)
    _assert_refused_on_the_way(message, status)
    assert WRONG_ADDRESS not in message.text


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.html_error(404), id="page-404"),
        pytest.param(Fault.html_error(405), id="page-405"),
        # Another API at a mistyped address refuses a stranger's key in its own JSON.
        pytest.param(Fault.raw('{"message": "Unauthorized"}', 401), id="other-api-json-401"),
        pytest.param(Fault.raw('{"message": "Forbidden"}', 403), id="other-api-json-403"),
    ],
)
def test_other_answers_at_the_key_check_are_still_a_wrong_address(
    fresh_sandbox: Sandbox, connection: Connection, fault: Fault
) -> None:
    message = describe_error(_key_check_error(fresh_sandbox, connection, fault))
    assert message.text == WRONG_ADDRESS
    assert message.remedy is Remedy.FIX_PROFILE


def test_a_proxys_407_in_kombos_shape_is_quoted_as_the_servers_words(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    fault = Fault.kombo_error(None, 407, message="Proxy authentication required", log_url=None)
    error = _key_check_error(fresh_sandbox, connection, fault)
    assert isinstance(error, KomboApiError)
    message = describe_error(error)
    assert message.text == f"{REFUSED_ON_THE_WAY}\nThe server said: Proxy authentication required"
    assert message.remedy is Remedy.RETRY


def test_kombos_own_refusal_of_the_key_is_still_kombos(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    # Kombo's 401 comes in its JSON: the key, not the way there, is refused.
    refused = Connection.create(
        api_key="ks_dev_notTheSandboxKey0000",
        integration_id=DEMO_INTEGRATION_ID,
        base_url=fresh_sandbox.base_url,
    )
    with SyncKomboClient(refused) as client, pytest.raises(KomboApiError) as caught:
        client.check_api_key()
    message = describe_error(caught.value)
    assert message.text.startswith("Kombo did not accept the API key.")
    assert REFUSED_ON_THE_WAY not in message.text


# ---- a search and a send: the same words, and a send refused on the way added nothing ----------


@pytest.mark.parametrize(("fault", "status"), REFUSALS_ON_THE_WAY)
def test_a_search_refused_on_the_way_says_so(
    fresh_sandbox: Sandbox, connection: Connection, fault: Fault, status: int
) -> None:
    fresh_sandbox.inject_fault(fault, path_contains="/ats/candidates", times=1)
    with SyncKomboClient(connection) as client, pytest.raises(UnexpectedResponseError) as caught:
        client.find_candidates(email="anna@example.com")
    _assert_refused_on_the_way(describe_error(caught.value), status)


@pytest.mark.parametrize(("fault", "status"), REFUSALS_ON_THE_WAY)
def test_a_send_refused_on_the_way_says_so_and_that_nothing_may_have_been_added(
    fresh_sandbox: Sandbox, connection: Connection, fault: Fault, status: int
) -> None:
    target = Target(kind=TargetKind.CANDIDATE, id=fresh_sandbox.candidates[0]["id"])
    before = len(fresh_sandbox.result_links(target.id))
    fresh_sandbox.inject_fault(fault, times=1)
    with SyncKomboClient(connection) as client, pytest.raises(UnexpectedResponseError) as caught:
        client.add_result_link(target, REQUEST)
    message = describe_error(caught.value)
    _assert_refused_on_the_way(message, status)
    assert message.retry_warning is None
    assert len(fresh_sandbox.result_links(target.id)) == before


def test_a_send_answered_by_a_servers_error_page_may_still_have_been_added(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    # A 5xx page may come from behind Kombo's door: what the client says of it stands.
    target = Target(kind=TargetKind.CANDIDATE, id=fresh_sandbox.candidates[0]["id"])
    fresh_sandbox.inject_fault(Fault.html_error(502), times=1)
    with SyncKomboClient(connection) as client, pytest.raises(UnexpectedResponseError) as caught:
        client.add_result_link(target, REQUEST)
    message = describe_error(caught.value)
    assert message.text.startswith(
        "Kombo's server, or one on the way to it, had a problem and could not answer."
    )
    assert message.may_have_been_applied
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE


# ---- where a person reads it ---------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot, worker, memory_keyring) -> ProfilesDialog:
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


def test_test_connection_behind_a_proxy_says_so_in_manage_profiles(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    fault = Fault.raw(PROXY_PAGE, 407, "text/html")
    fresh_sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as outcome:
        click(qtbot, dialog, "Test connection")
    ok, text = outcome.args
    assert not ok
    result: QLabel = widget(dialog, "Connection test result", QLabel)
    assert text == result.text() == REFUSED_ON_THE_WAY
    assert "HTTP status: 407" in result.toolTip()
    assert "Sign in to the company proxy." in result.toolTip()


def _send_args(sandbox: Sandbox) -> list[str]:
    return [
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", sandbox.candidates[0]["id"],
        "--label", "Assessment Result", "--url", "https://example.com/results/1",
    ]  # fmt: skip


def test_the_command_line_says_a_firewall_refused_a_send(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    fresh_sandbox.inject_fault(Fault.raw(BLOCK_PAGE, 403, "text/html"), times=1)
    result = cli(app_home, *_send_args(fresh_sandbox), KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 3, output(result)
    not_added = f"The result link was not added to candidate {fresh_sandbox.candidates[0]['id']}. "
    assert result.stderr.startswith(f"{not_added}{REFUSED_ON_THE_WAY}\n"), output(result)
    assert "may already have been added" not in result.stderr


# ---- a wait of no time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delay_s", "words"),
    [
        (0.0, "trying again now (retry 1)"),
        (0.25, "trying again in under a second (retry 1)"),
        (0.999, "trying again in under a second (retry 1)"),
        # A second or more is rounded up as ever: sooner would be refused again.
        (1.0, "trying again in 1 second (retry 1)"),
        (1.2, "trying again in 2 seconds (retry 1)"),
        (30.0, "trying again in 30 seconds (retry 1)"),
        (150.0, "trying again in 3 minutes (retry 1)"),
    ],
)
def test_a_wait_before_trying_again_is_said_as_a_person_says_it(delay_s: float, words: str) -> None:
    assert describe_rate_limit_wait(delay_s, 1) == f"Kombo asked to slow down; {words}."


def _rate_limited(sandbox: Sandbox, connection: Connection, retry_after: str) -> RateLimitedError:
    sandbox.inject_fault(Fault.rate_limited(retry_after=retry_after), times=1)
    target = Target(kind=TargetKind.CANDIDATE, id="any")
    with (
        SyncKomboClient(connection, retry=RetryPolicy(max_retries=0)) as client,
        pytest.raises(RateLimitedError) as caught,
    ):
        client.add_result_link(target, REQUEST)
    return caught.value


@pytest.mark.parametrize(
    ("retry_after", "fact"),
    [
        ("0", "Kombo asked to try again: right away"),
        ("0.4", "Kombo asked to wait: less than a second"),
        ("1.2", "Kombo asked to wait: 2 seconds"),
    ],
)
def test_the_wait_kombo_asked_for_is_no_second_it_did_not_ask_for(
    fresh_sandbox: Sandbox, connection: Connection, retry_after: str, fact: str
) -> None:
    message = describe_error(_rate_limited(fresh_sandbox, connection, retry_after))
    assert fact in [str(f) for f in message.facts]
    assert message.text.splitlines()[0] == (
        "Kombo is receiving too many requests from this account. Wait a moment and try again."
    )


def test_the_command_line_backs_off_when_kombo_asks_for_no_wait(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    # No wait asked for (or a date already past, a clock ahead): the client's own growing
    # delay, and said as the wait it is. (It once tried again at once, "now".)
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="0"), times=1)
    result = cli(app_home, *_send_args(fresh_sandbox), KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 0, output(result)
    assert "Kombo asked to slow down; trying again in 2 seconds (retry 1)." in result.stderr
