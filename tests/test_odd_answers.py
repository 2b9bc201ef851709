"""Answers a server may send that are odd but say clearly what happened, through the real
client and the sandbox over HTTP: an error whose message is null, an answer that starts
with a byte-order mark, a 408, a 413 and a redirect. Each is worded for what it means
(for a send, a search and a key check alike), not as an answer not understood."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import (
    KomboApiError,
    KomboDesktopError,
    RequestPurpose,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import (
    Remedy,
    UserMessage,
    describe_connection_check,
    describe_error,
    describe_success,
)
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.main_window_support import candidate_id, fill_form, submit_and_wait
from tests.qt_helpers import find_by_accessible_name

SEND = RequestPurpose.ADD_RESULT_LINK
SEARCH = RequestPurpose.SEARCH_CANDIDATES
KEY_CHECK = RequestPurpose.CHECK_API_KEY
PURPOSES = [SEND, SEARCH, KEY_CHECK]

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")
BOM = b"\xef\xbb\xbf"
LOG_URL = "https://app.kombo.dev/logs/odd-1"
JOB_CLOSED_WORDS = (
    "The ATS refused because the job is closed. Check in the ATS whether the job can be "
    "reopened, or send the result link to an application for an open job."
)
WRONG_ADDRESS = (
    "Nothing answering like Kombo's API was found at this address. Check the region or base URL."
)
NOT_UNDERSTOOD = "does not understand"


def _connection(sandbox: Sandbox) -> Connection:
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )


def _target(sandbox: Sandbox) -> Target:
    return Target(kind=TargetKind.CANDIDATE, id=candidate_id(sandbox))


def _ask(sandbox: Sandbox, purpose: RequestPurpose) -> Any:
    """What the app asks for ``purpose``, through the real client: a send, a search by
    email (as Find… does) or the key check."""

    async def go() -> Any:
        async with KomboClient(_connection(sandbox)) as client:
            if purpose is SEND:
                return await client.add_result_link(_target(sandbox), REQUEST)
            if purpose is SEARCH:
                return await client.find_candidates(email="ada@example.com")
            return await client.check_api_key()

    return asyncio.run(go())


def _failed(
    sandbox: Sandbox, fault: Fault, purpose: RequestPurpose = SEND
) -> tuple[KomboDesktopError, UserMessage]:
    """The error ``fault`` makes of a request for ``purpose``, and its words."""
    sandbox.inject_fault(fault, times=1)
    with pytest.raises(KomboDesktopError) as caught:
        _ask(sandbox, purpose)
    return caught.value, describe_error(caught.value)


def _envelope(error: dict[str, Any]) -> str:
    return json.dumps({"status": "error", "error": error})


def _fact(message: UserMessage, label: str) -> str | None:
    return next((fact.value for fact in message.facts if fact.label == label), None)


def _assert_nothing_added(message: UserMessage) -> None:
    assert message.may_have_been_applied is False
    assert message.retry_warning is None
    assert "may already have been added" not in message.text
    assert NOT_UNDERSTOOD not in message.text


# ---- an error envelope whose message is null or missing ----------------------------------


@pytest.mark.parametrize(
    ("error", "words"),
    [
        pytest.param(
            {"code": "ATS.JOB_CLOSED", "title": "Job closed", "message": None, "log_url": LOG_URL},
            JOB_CLOSED_WORDS,
            id="message-null",
        ),
        pytest.param(
            {"code": "ATS.JOB_CLOSED", "title": "Job closed", "log_url": LOG_URL},
            JOB_CLOSED_WORDS,
            id="message-missing",
        ),
        pytest.param(
            # A code new to this version, without a message: its title is what Kombo said.
            {
                "code": "ATS.JOB_ON_HOLD",
                "title": "Job on hold",
                "message": None,
                "log_url": LOG_URL,
            },
            "Kombo answered: Job on hold",
            id="new-code-message-null",
        ),
    ],
)
def test_an_error_without_a_message_is_kombos_refusal_worded_by_its_code(
    fresh_sandbox: Sandbox, error: dict[str, Any], words: str
) -> None:
    failure, message = _failed(fresh_sandbox, Fault.raw(_envelope(error), status=400))
    assert isinstance(failure, KomboApiError)
    assert (failure.code, failure.title, failure.log_url) == (
        error["code"],
        error["title"],
        LOG_URL,
    )
    assert message.text == words
    assert message.code == error["code"]
    assert _fact(message, "Title") == error["title"]
    assert message.log_url == LOG_URL
    assert message.remedy is Remedy.FIX_INPUT
    _assert_nothing_added(message)


def test_an_error_with_every_member_null_keeps_its_code_and_is_worded_by_it(
    fresh_sandbox: Sandbox,
) -> None:
    error = {"code": "ATS.JOB_CLOSED", "title": None, "message": None, "log_url": None}
    failure, message = _failed(fresh_sandbox, Fault.raw(_envelope(error), status=400))
    assert isinstance(failure, KomboApiError)
    assert message.text == JOB_CLOSED_WORDS
    assert message.code == "ATS.JOB_CLOSED"
    assert message.log_url is None


# ---- an error whose words are no text -------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (["label is required"], '["label is required"]'),
        (123, "123"),
        ({"label": "is required"}, '{"label": "is required"}'),
    ],
    ids=["list", "number", "object"],
)
def test_an_error_whose_words_are_no_text_is_still_kombos_error_with_its_code(
    fresh_sandbox: Sandbox, words: Any, shown: str
) -> None:
    error = {"code": "PLATFORM.INPUT_INVALID", "title": 7, "message": words, "log_url": 5}
    fault = Fault.raw(_envelope(error).encode("utf-8"), status=400)
    failure, message = _failed(fresh_sandbox, fault)
    # Before: "an answer that is not Kombo's", its code lost, the person sent to IT.
    assert isinstance(failure, KomboApiError)
    assert failure.code == "PLATFORM.INPUT_INVALID"
    assert failure.message == shown
    assert failure.title == "7"
    assert failure.log_url is None
    assert message.code == "PLATFORM.INPUT_INVALID"
    assert message.text.endswith(f"Kombo said: {shown}")


# ---- an answer that starts with a byte-order mark ------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_a_success_after_a_byte_order_mark_is_read_as_the_success_it_is(
    fresh_sandbox: Sandbox, content_type: str
) -> None:
    warning = "The prefix was shortened to 20 characters."
    body = {"status": "success", "data": {}, "warnings": [{"message": warning}]}
    raw = BOM + json.dumps(body).encode("utf-8")
    fresh_sandbox.inject_fault(Fault.raw(raw, content_type=content_type), times=1)
    outcome = _ask(fresh_sandbox, SEND)
    assert outcome.warnings == (warning,)
    message = describe_success(outcome)
    assert message.text == "Success: the result link was added, with 1 warning from Kombo."
    # The raw answer shown and copied starts with the answer, not an invisible character.
    assert outcome.body.startswith("{")
    assert json.loads(pretty_json(outcome.body)) == body


# ---- a charset that is no text encoding ----------------------------------------------------

#: Codecs Python knows that are no text encodings, as a misconfigured proxy may declare.
NOT_TEXT_CHARSETS = [
    "application/json; charset=hex",
    "application/json; charset=rot13",
    "application/json; charset=idna",
    "application/json; charset=undefined",
]


@pytest.mark.parametrize("content_type", NOT_TEXT_CHARSETS)
def test_a_success_declared_in_a_charset_that_is_no_text_encoding_is_read_as_utf8(
    fresh_sandbox: Sandbox, content_type: str
) -> None:
    body = {"status": "success", "data": {}, "warnings": [{"message": "Shortened."}]}
    raw = json.dumps(body).encode("utf-8")
    fresh_sandbox.inject_fault(Fault.raw(raw, content_type=content_type), times=1)
    # Before: LookupError, said as "Something went wrong inside Kombo Desktop", nothing
    # added, although the link was.
    outcome = _ask(fresh_sandbox, SEND)
    assert outcome.warnings == ("Shortened.",)


@pytest.mark.parametrize("content_type", [*NOT_TEXT_CHARSETS, "text/html; charset=rot13"])
def test_a_failure_declared_in_a_charset_that_is_no_text_encoding_may_have_been_applied(
    fresh_sandbox: Sandbox, content_type: str
) -> None:
    fault = Fault.raw(b"<html>Bad gateway</html>", status=502, content_type=content_type)
    failure, message = _failed(fresh_sandbox, fault)
    assert isinstance(failure, UnexpectedResponseError)
    assert failure.body == "<html>Bad gateway</html>"
    assert message.may_have_been_applied is True
    assert message.retry_warning is not None


def test_a_search_answer_after_a_byte_order_mark_is_read(fresh_sandbox: Sandbox) -> None:
    body = {
        "status": "success",
        "data": {"next": None, "results": [{"id": "c1", "first_name": "Ada"}]},
    }
    fresh_sandbox.inject_fault(Fault.raw(BOM + json.dumps(body).encode("utf-8")), times=1)
    found = _ask(fresh_sandbox, SEARCH)
    assert [candidate.full_name for candidate in found.page.results] == ["Ada"]


def test_an_error_after_a_byte_order_mark_is_read_as_the_error_it_is(
    fresh_sandbox: Sandbox,
) -> None:
    error = {"code": "ATS.JOB_CLOSED", "title": "Job closed", "message": "Closed", "log_url": None}
    raw = BOM + _envelope(error).encode("utf-8")
    failure, message = _failed(fresh_sandbox, Fault.raw(raw, status=400))
    assert isinstance(failure, KomboApiError)
    assert failure.code == "ATS.JOB_CLOSED"
    assert not failure.body.startswith("\ufeff")
    assert message.text == f"{JOB_CLOSED_WORDS}\nKombo said: Closed"
    assert message.remedy is Remedy.FIX_INPUT


def test_the_window_shows_a_success_after_a_byte_order_mark_with_its_warning(
    qtbot: Any, window: Any, fresh_sandbox: Sandbox
) -> None:
    warning = "Attribute “Score” was added as a note: this ATS has no custom fields."
    body = {"status": "success", "data": {}, "warnings": [{"message": warning}]}
    fresh_sandbox.inject_fault(Fault.raw(BOM + json.dumps(body).encode("utf-8")), times=1)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    title = window.response.findChild(QLabel, "outcomeTitle")
    assert title.text() == "Success"
    summary = window.response.summary_text()
    assert summary.startswith("Success")
    assert "1 warning from Kombo" in summary
    warnings_view = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    assert warnings_view.isVisible()
    assert "this ATS has no custom fields" in warnings_view.text()
    assert window.response.raw_text().startswith("{")


# ---- a 408: the server stopped waiting for the request -----------------------------------

REQUEST_TIMEOUT_ANSWERS = [
    pytest.param(Fault.raw("", status=408, content_type="text/plain"), id="empty"),
    pytest.param(Fault.html_error(408), id="page"),
    pytest.param(Fault.kombo_error(None, 408, message="Request timed out"), id="codeless-envelope"),
]


@pytest.mark.parametrize("purpose", PURPOSES, ids=lambda p: p.name)
@pytest.mark.parametrize("fault", REQUEST_TIMEOUT_ANSWERS)
def test_a_408_says_nothing_was_done_and_to_try_again(
    fresh_sandbox: Sandbox, fault: Fault, purpose: RequestPurpose
) -> None:
    _, message = _failed(fresh_sandbox, fault, purpose)
    assert message.status_code == 408
    assert "stopped waiting for the request" in message.text
    assert "nothing was added or changed" in message.text
    assert "Try again" in message.text
    assert "result link" not in message.text
    assert message.remedy is Remedy.RETRY
    _assert_nothing_added(message)


# ---- a 413: the request is too large for a server ----------------------------------------

TOO_LARGE_ANSWERS = [
    pytest.param(
        Fault.raw("<html>too large</html>", status=413, content_type="text/html"), id="page"
    ),
    pytest.param(Fault.html_error(413), id="nginx-page"),
    pytest.param(Fault.kombo_error(None, 413, message="Body too large"), id="codeless-envelope"),
]


@pytest.mark.parametrize("fault", TOO_LARGE_ANSWERS)
def test_a_send_too_large_says_what_to_shorten_not_to_try_again(
    fresh_sandbox: Sandbox, fault: Fault
) -> None:
    target = _target(fresh_sandbox)
    before = fresh_sandbox.result_links(target.id)
    _, message = _failed(fresh_sandbox, fault, SEND)
    assert "too large" in message.text
    assert "Shorten the attributes or the remote fields" in message.text
    assert "try again" not in message.text.lower()
    assert message.remedy is Remedy.FIX_INPUT
    _assert_nothing_added(message)
    assert fresh_sandbox.result_links(target.id) == before


@pytest.mark.parametrize("fault", TOO_LARGE_ANSWERS)
def test_a_search_too_large_names_the_searchs_fields(fresh_sandbox: Sandbox, fault: Fault) -> None:
    _, message = _failed(fresh_sandbox, fault, SEARCH)
    assert "refused the search as too large" in message.text
    assert "Shorten the email or names" in message.text
    assert "result link" not in message.text
    assert message.remedy is Remedy.FIX_INPUT
    _assert_nothing_added(message)


@pytest.mark.parametrize("fault", TOO_LARGE_ANSWERS)
def test_a_key_check_too_large_blames_the_address(fresh_sandbox: Sandbox, fault: Fault) -> None:
    # The key check sends nothing typed but the key: nothing to shorten.
    _, message = _failed(fresh_sandbox, fault, KEY_CHECK)
    assert message.text.startswith(WRONG_ADDRESS)
    assert message.remedy is Remedy.FIX_PROFILE
    _assert_nothing_added(message)


@pytest.mark.parametrize("fault", TOO_LARGE_ANSWERS)
def test_a_connection_tests_read_too_large_names_no_field_to_shorten(
    fresh_sandbox: Sandbox, fault: Fault
) -> None:
    fresh_sandbox.inject_fault(fault, path_contains="/ats/candidates", times=1)

    async def go() -> Any:
        async with KomboClient(_connection(fresh_sandbox)) as client:
            return await client.check_connection()

    message = describe_connection_check(asyncio.run(go()))
    assert "could not be checked" in message.text
    assert "refused the test as too large" in message.text
    assert "Shorten" not in message.text
    assert "search" not in message.text
    assert message.remedy is not Remedy.FIX_INPUT


# ---- a redirect ----------------------------------------------------------------------------


def _redirect(status: int, location: str, body: str = "") -> Fault:
    return Fault.raw(body, status=status, content_type="text/plain", headers={"Location": location})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirected_send_is_not_followed_and_blames_the_address(
    fresh_sandbox: Sandbox, status: int
) -> None:
    target = _target(fresh_sandbox)
    # It points back at the same address: followed, the result link would be added there.
    same_place = f"{fresh_sandbox.base_url}/ats/candidates/{target.id}/result-links"
    before = fresh_sandbox.result_links(target.id)
    failure, message = _failed(fresh_sandbox, _redirect(status, same_place))
    assert isinstance(failure, UnexpectedResponseError)
    assert len(fresh_sandbox.requests) == 1
    assert fresh_sandbox.result_links(target.id) == before
    assert "a redirect" in message.text
    assert "Check the region or base URL." in message.text
    assert message.remedy is Remedy.FIX_PROFILE
    assert _fact(message, "Redirected to") == same_place
    _assert_nothing_added(message)


@pytest.mark.parametrize("purpose", PURPOSES, ids=lambda p: p.name)
def test_a_redirect_is_worded_alike_for_every_request(
    fresh_sandbox: Sandbox, purpose: RequestPurpose
) -> None:
    # Even in Kombo's shape, a redirect is not Kombo's answer.
    body = _envelope({"code": None, "title": None, "message": "Moved", "log_url": None})
    _, message = _failed(fresh_sandbox, _redirect(302, "https://example.com/", body), purpose)
    assert "a redirect" in message.text
    assert "Check the region or base URL." in message.text
    assert "result link" not in message.text
    assert message.remedy is Remedy.FIX_PROFILE
    assert _fact(message, "Redirected to") == "https://example.com/"
    _assert_nothing_added(message)


def test_where_a_redirect_points_is_made_whole_and_its_key_masked(fresh_sandbox: Sandbox) -> None:
    _, relative = _failed(fresh_sandbox, _redirect(308, "/v2/moved"))
    origin = fresh_sandbox.base_url.removesuffix("/v1")
    assert _fact(relative, "Redirected to") == f"{origin}/v2/moved"

    sign_in = f"https://portal.example.com/sign-in?key={DEMO_API_KEY}"
    _, masked = _failed(fresh_sandbox, _redirect(302, sign_in))
    shown = _fact(masked, "Redirected to")
    assert shown is not None
    assert shown.startswith("https://portal.example.com/sign-in?key=")
    assert DEMO_API_KEY not in masked.detail
    assert DEMO_API_KEY not in str(masked)
