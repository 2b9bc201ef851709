"""One function turns every answer into plain words plus technical detail."""

from __future__ import annotations

import asyncio

import pytest

from kombo_desktop.core import error_codes, messages
from kombo_desktop.core.client import ApiOutcome
from kombo_desktop.core.errors import (
    FieldError,
    InputError,
    KomboApiError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    RequestInfo,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import Remedy, Severity, describe_error, describe_success

INFO = RequestInfo("POST", "https://api.kombo.dev/v1/ats/candidates/abc/result-links")


def api_error(code: str | None, status: int = 400, *, applied: bool = False) -> KomboApiError:
    return KomboApiError(
        status_code=status,
        code=code,
        title="Title from Kombo",
        message="Message from Kombo",
        log_url="https://app.kombo.dev/logs/123",
        request=INFO,
        body="{}",
        elapsed_s=0.2,
        may_have_been_applied=applied,
    )


@pytest.mark.parametrize(
    ("code", "words", "remedy"),
    [
        ("PLATFORM.AUTHENTICATION_INVALID", "API key", Remedy.FIX_PROFILE),
        ("PLATFORM.IP_NOT_WHITELISTED", "IP address", Remedy.FIX_PROFILE),
        ("PLATFORM.INTEGRATION_NOT_FOUND", "integration ID", Remedy.FIX_PROFILE),
        ("PLATFORM.INPUT_INVALID", "Correct the form", Remedy.FIX_INPUT),
        ("INTEGRATION.PERMISSION_MISSING", "Add result links", Remedy.FIX_INTEGRATION),
        ("INTEGRATION.SETUP_SYNC_PENDING", "first sync", Remedy.WAIT),
        ("ATS.JOB_CLOSED", "job is closed", Remedy.FIX_INPUT),
    ],
)
def test_known_codes_get_plain_words_and_full_detail(code, words, remedy):
    message = describe_error(api_error(code))
    assert words in message.text
    assert message.remedy is remedy
    assert message.severity is Severity.ERROR
    for part in (code, "Title from Kombo", "Message from Kombo", "HTTP status: 400"):
        assert part in message.detail
    assert message.log_url == "https://app.kombo.dev/logs/123"
    assert message.code == code


@pytest.mark.parametrize("code", sorted(error_codes.KNOWN))
def test_every_documented_code_has_its_own_plain_words(code):
    message = describe_error(api_error(code))
    assert not message.text.startswith("Kombo answered:")  # the words for unknown codes
    assert code in message.detail


def test_no_code_is_worded_that_the_client_does_not_classify():
    # Both lists come from Kombo's documentation; a code added to one must reach the other.
    assert set(messages._CODE_TEXT) == error_codes.KNOWN


def test_unknown_code_is_shown_as_it_is():
    message = describe_error(api_error("FUTURE.SOMETHING", 422))
    assert "Message from Kombo" in message.text
    assert "FUTURE.SOMETHING" in message.detail


def test_no_code_falls_back_to_status():
    message = describe_error(api_error(None, 401))
    assert "API key" in message.text
    assert "Code: (none)" in message.detail


def test_possibly_applied_post_warns_of_duplicates():
    message = describe_error(api_error("PLATFORM.UNKNOWN_ERROR", 500, applied=True))
    assert "may already have been added" in message.text
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE
    assert message.retry_warning is not None
    assert "duplicate" in message.retry_warning


def test_rate_limit_mentions_the_wait():
    error = RateLimitedError(
        retry_after_s=7,
        status_code=429,
        code="PLATFORM.RATE_LIMIT_EXCEEDED",
        title=None,
        message="Slow down",
        log_url=None,
        request=INFO,
        body="",
        elapsed_s=0.1,
    )
    message = describe_error(error)
    assert "7 s" in message.text
    assert message.remedy is Remedy.WAIT


@pytest.mark.parametrize("kind", list(NetworkErrorKind))
def test_every_network_failure_says_which(kind):
    error = NetworkError(
        kind, request=INFO, detail="ReadTimeout: x", may_have_been_applied=False, elapsed_s=1
    )
    message = describe_error(error)
    assert message.text
    assert kind.value in message.detail
    assert "may already" not in message.text


def test_unexpected_answer_shows_the_excerpt():
    error = UnexpectedResponseError(
        status_code=502,
        content_type="text/html",
        excerpt="<html>Bad Gateway</html>",
        reason="not JSON",
        request=INFO,
        elapsed_s=0.1,
        may_have_been_applied=True,
    )
    message = describe_error(error)
    assert "may already" in message.text
    assert "<html>Bad Gateway</html>" in message.detail
    assert "text/html" in message.detail


def test_input_and_cancel_and_bugs_never_crash():
    assert "fields" in describe_error(InputError([FieldError("url", "is required")])).text
    assert "Cancelled" in describe_error(asyncio.CancelledError()).text
    assert "unchanged" in describe_error(RuntimeError("boom")).text


def test_a_key_quoted_by_another_library_is_masked_in_the_detail():
    # e.g. an HTTP library that puts the Authorization header into its exception text
    leaky = RuntimeError("could not encode 'Bearer ks_prod_quotedKey12345' in header")
    message = describe_error(leaky)
    assert "ks_prod_quotedKey12345" not in message.detail
    assert "Bearer" in message.detail  # the rest of the technical detail stays


def test_success_counts_warnings():
    outcome = ApiOutcome(200, 0.42, INFO, "{}", ("First", "Second"), {})
    message = describe_success(outcome)
    assert "2 warnings" in message.text
    assert message.severity is Severity.WARNING
    assert "0.42 s" in message.detail
    assert "200" in message.detail
