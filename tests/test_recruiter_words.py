"""Words a recruiter reads, through the paths that show them: the sandbox over HTTP,
the real profiles and Find… dialogs.

Each test here is about a sentence that once misled: a connection test that passed with
an integration Kombo does not know, a missing candidate called a form mistake, "wait a
moment" for a four-minute wait, a search that silently needs exact names, and a Python
class name in a field's message.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kombo_desktop.core.client import RetryPolicy, SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import InputError, KomboApiError, RateLimitedError
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_ENVIRONMENT_ID,
    DEMO_INTEGRATION_ID,
    Fault,
    Sandbox,
)
from tests.profiles_support import TIMEOUT, choose, click, show_dialog, type_into, widget
from tests.qt_helpers import find_by_accessible_name, wait_exposed

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")


# ---- Test connection checks the integration too ---------------------------------------------


@pytest.fixture
def connection_tested(
    qtbot, worker: ApiWorker, fresh_sandbox: Sandbox, memory_keyring: object
) -> Callable[[str], tuple[bool, str]]:
    """Fill the profiles dialog for the sandbox with an integration ID and press Test
    connection; returns what the dialog reported (passed, and the words shown)."""

    def test_with(integration_id: str) -> tuple[bool, str]:
        dialog: ProfilesDialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        type_into(dialog, "Profile name", "Sandbox")
        choose(dialog, "Region", "Custom URL")
        type_into(dialog, "Base URL", fresh_sandbox.base_url)
        type_into(dialog, "Integration ID", integration_id)
        type_into(dialog, "API key", DEMO_API_KEY)
        with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as tested:
            click(qtbot, dialog, "Test connection")
        shown = widget(dialog, "Connection test result", QLabel).text()
        assert tested.args == [tested.args[0], shown]
        return bool(tested.args[0]), shown

    return test_with


def _integration_reads(sandbox: Sandbox) -> list[tuple[dict[str, list[str]], str]]:
    """The candidate reads the sandbox received: their query and integration header."""
    return [
        (parse_qs(urlsplit(r.path).query), r.headers.get("x-integration-id", ""))
        for r in sandbox.requests
        if urlsplit(r.path).path.endswith("/ats/candidates")
    ]


def test_a_connection_test_with_an_integration_kombo_does_not_know_fails(
    connection_tested, fresh_sandbox: Sandbox
) -> None:
    # The key alone is fine, so a key check passed; every send then failed with
    # PLATFORM.INTEGRATION_NOT_FOUND.
    passed, shown = connection_tested("workday:nope")
    assert passed is False
    assert shown == (
        "Kombo accepted this development key, but does not know the integration ID "
        "workday:nope for this key. Check the integration ID, and that the key is from the "
        "same Kombo environment as the integration."
    )
    # One cheap read, with the integration's header: the same request a send relies on.
    assert _integration_reads(fresh_sandbox) == [({"page_size": ["1"]}, "workday:nope")]


def test_a_working_connection_names_the_integration_and_not_the_environment(
    connection_tested, fresh_sandbox: Sandbox
) -> None:
    passed, shown = connection_tested(DEMO_INTEGRATION_ID)
    assert passed is True
    assert shown == (
        "Connection works: Kombo accepted this development key and knows integration "
        f"{DEMO_INTEGRATION_ID}."
    )
    assert DEMO_ENVIRONMENT_ID not in shown
    assert _integration_reads(fresh_sandbox) == [({"page_size": ["1"]}, DEMO_INTEGRATION_ID)]


def test_a_key_that_may_not_read_candidates_leaves_the_integration_to_the_send(
    connection_tested, fresh_sandbox: Sandbox
) -> None:
    refused = Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403)
    fresh_sandbox.inject_fault(refused, path_contains="/ats/candidates")
    passed, shown = connection_tested(DEMO_INTEGRATION_ID)
    # The key works; only the integration is left unchecked, and that is no failure.
    assert passed is True
    assert shown == (
        "The key works: Kombo accepted this development key. The integration could not be "
        "checked here (this key may not read candidates); it is checked when you send."
    )


def test_a_connection_check_keeps_what_the_integration_read_answered(
    fresh_sandbox: Sandbox,
) -> None:
    unknown = Connection.create(
        api_key=DEMO_API_KEY, integration_id="workday:nope", base_url=fresh_sandbox.base_url
    )
    with SyncKomboClient(unknown) as client:
        result = client.check_connection()
    assert result.key_check.environment_id == DEMO_ENVIRONMENT_ID
    assert result.integration is None
    assert isinstance(result.integration_error, KomboApiError)
    assert result.integration_error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
    assert result.integration_id == "workday:nope"


# ---- a candidate or application that is not there -------------------------------------------


@pytest.mark.parametrize(
    ("kind", "noun"), [(TargetKind.CANDIDATE, "candidate"), (TargetKind.APPLICATION, "application")]
)
def test_sending_to_an_id_kombo_does_not_know_says_so(
    fresh_sandbox: Sandbox, connection: Connection, kind: TargetKind, noun: str
) -> None:
    with SyncKomboClient(connection) as client, pytest.raises(KomboApiError) as caught:
        client.add_result_link(Target(kind=kind, id="NoSuchId123"), REQUEST)
    message = describe_error(caught.value)
    headline = message.text.splitlines()[0]
    assert headline == (
        f"Kombo found no {noun} with this ID in this customer's ATS. Check the ID: it may "
        "be another customer's, or the record may have been removed from the ATS."
    )
    assert "Correct the form" not in message.text
    # What Kombo said stays as it was: code, title and status at a glance, its message
    # quoted.
    assert "Code: PLATFORM.INPUT_INVALID" in message.detail
    assert f"Title: {noun.capitalize()} not found" in message.detail
    assert "HTTP status: 404" in message.detail
    assert "NoSuchId123" in message.text
    assert fresh_sandbox.result_links("NoSuchId123") == []

    # A 400 of the same code is about what was sent, not whom it was sent to: the form.
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    any_target = Target(kind=kind, id="AnyId")
    with SyncKomboClient(connection) as client, pytest.raises(KomboApiError) as caught:
        client.add_result_link(any_target, REQUEST)
    assert describe_error(caught.value).text.startswith(
        "Kombo rejected what was sent. Correct the form and send again."
    )


# ---- rate limits: how long to wait, in words ---------------------------------------------------


def _rate_limited(sandbox: Sandbox, connection: Connection, retry_after: str) -> RateLimitedError:
    sandbox.inject_fault(Fault.rate_limited(retry_after=retry_after), times=1)
    # No retries by itself: the answer is what a person reads.
    with (
        SyncKomboClient(connection, retry=RetryPolicy(max_retries=0)) as client,
        pytest.raises(RateLimitedError) as caught,
    ):
        client.add_result_link(Target(kind=TargetKind.CANDIDATE, id="any"), REQUEST)
    return caught.value


def test_a_long_rate_limit_wait_is_said_as_when_to_try_again(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    message = describe_error(_rate_limited(fresh_sandbox, connection, "240"))
    assert message.text.splitlines()[0] == (
        "Kombo is receiving too many requests from this account. Try again in 4 minutes "
        "(Kombo asked to wait that long)."
    )
    assert "a moment" not in message.text
    assert "Kombo asked to wait: 4 minutes" in message.detail


def test_a_short_rate_limit_wait_is_a_moment(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    message = describe_error(_rate_limited(fresh_sandbox, connection, "2"))
    assert message.text.splitlines()[0] == (
        "Kombo is receiving too many requests from this account. Wait a moment and try again."
    )
    assert "Kombo asked to wait: 2 seconds" in message.detail


def test_a_wait_of_under_two_minutes_is_said_in_seconds(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    message = describe_error(_rate_limited(fresh_sandbox, connection, "45"))
    assert "Try again in 45 seconds (Kombo asked to wait that long)." in message.text


# ---- Find…: Kombo's search is exact ------------------------------------------------------------


def _find_dialog(qtbot, worker: ApiWorker, connection: Connection) -> CandidateLookupDialog:
    dialog = CandidateLookupDialog(worker, connection, TargetKind.CANDIDATE)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_exposed(qtbot, dialog)
    return dialog


def _search(qtbot, dialog: CandidateLookupDialog, field: str, text: str) -> str:
    edit = find_by_accessible_name(dialog, field, QLineEdit)
    edit.clear()
    # Put in as a paste would: the test keyboard has no keys for accented letters.
    edit.insert(text)
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Search", QPushButton), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT)
    return find_by_accessible_name(dialog, "Search status", QLabel).text()


def test_find_says_before_searching_that_names_must_match_exactly(
    qtbot, worker: ApiWorker, connection: Connection
) -> None:
    dialog = _find_dialog(qtbot, worker, connection)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    intro = next(text for text in texts if text.startswith("Search by email"))
    assert "must match exactly, accents included" in intro


@pytest.mark.parametrize(
    ("field", "typed"), [("Search last name", "Muller"), ("Search first name", "Jos")]
)
def test_a_near_miss_suggests_the_email_or_the_exact_spelling(
    qtbot, worker: ApiWorker, connection: Connection, fresh_sandbox: Sandbox, field: str, typed: str
) -> None:
    assert any(
        c["last_name"] == "Müller" and c["first_name"] == "José" for c in fresh_sandbox.candidates
    )
    dialog = _find_dialog(qtbot, worker, connection)
    status = _search(qtbot, dialog, field, typed)
    assert dialog.results_model.rowCount() == 0
    assert status == (
        "No candidates match. Try the candidate's email, or the name spelled exactly as in "
        "the ATS (accents included)."
    )
    # Spelled as in the ATS, the same search finds him.
    exact = "Müller" if field == "Search last name" else "José"
    assert _search(qtbot, dialog, field, exact).endswith("found.")
    assert dialog.results_model.rowCount() >= 1


# ---- Advanced JSON: what a value must be, without Python's words --------------------------------


@pytest.mark.parametrize(
    ("raw_json", "words"),
    [
        ('{"icims": "1234"}', "icims: must be a JSON object ({…})"),
        (
            '{"greenhouse": {"post_headers": ["On-Behalf-Of"]}}',
            "greenhouse.post_headers: must be a JSON object ({…})",
        ),
        (
            '{"icims": {"assessment_package_id": 1234}}',
            'icims.assessment_package_id: must be text in quotes ("…")',
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_worded_for_json(raw_json: str, words: str) -> None:
    fields = RemoteFieldsInput(raw_json=raw_json)
    shown = fields.raw_json_error()
    assert shown == words
    for python_words in (
        "Input should",
        "instance of",
        "RemoteFields",
        "PostHeaders",
        "dictionary",
    ):
        assert python_words not in shown
    with pytest.raises(InputError) as caught:
        fields.to_remote_fields()
    assert caught.value.message_for("remote_fields") == words


def test_a_request_built_in_code_words_remote_fields_the_same_way() -> None:
    # Scripts and drafts hand remote fields straight to the request: the same words.
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(
            label="Assessment Result", url="https://example.com/r/1", remote_fields={"icims": "x"}
        )
    assert caught.value.message_for("remote_fields") == "icims: must be a JSON object ({…})"


def test_a_wrong_base_url_path_is_not_blamed_on_the_id(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    # The sandbox, like a server behind a wrong path, answers 404 without a code: no
    # verdict on the candidate.
    wrong_path = Connection.create(
        api_key=connection.api_key,
        integration_id=connection.integration_id,
        base_url=fresh_sandbox.base_url.removesuffix("/v1") + "/v2",
    )
    with SyncKomboClient(wrong_path) as client, pytest.raises(KomboApiError) as caught:
        client.add_result_link(Target(kind=TargetKind.CANDIDATE, id="NoSuchId123"), REQUEST)
    assert caught.value.status_code == 404
    text = describe_error(caught.value).text
    assert "found no candidate" not in text
    assert "Check the ID and the base URL." in text
