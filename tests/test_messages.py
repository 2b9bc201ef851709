"""One function turns every answer into plain words plus technical detail."""

from __future__ import annotations

import asyncio

import pytest

from kombo_desktop.core import error_codes, messages
from kombo_desktop.core.client import ApiOutcome, ConnectionCheckOutcome
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.errors import (
    FieldError,
    InputError,
    KomboApiError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    RequestInfo,
    RequestPurpose,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import (
    Remedy,
    Severity,
    describe_connection_check,
    describe_error,
    describe_failure,
    describe_success,
)
from kombo_desktop.core.models import ApiKeyCheck
from kombo_desktop.core.secrets import SecretStoreLocked

INFO = RequestInfo(
    "POST",
    "https://api.kombo.dev/v1/ats/candidates/abc/result-links",
    RequestPurpose.ADD_RESULT_LINK,
)


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


def rate_limited(
    wait_s: float | None,
    *,
    code: str | None = "PLATFORM.RATE_LIMIT_EXCEEDED",
    message: str = "Slow down",
    body: str = "",
) -> RateLimitedError:
    """A 429 asking to wait ``wait_s`` seconds: Kombo's own, unless ``code``, ``message``
    and ``body`` say otherwise."""
    return RateLimitedError(
        retry_after_s=wait_s,
        status_code=429,
        code=code,
        title=None,
        message=message,
        log_url=None,
        request=INFO,
        body=body,
        elapsed_s=0.1,
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
    for part in (code, "Title from Kombo", "HTTP status: 400"):
        assert part in message.detail
    assert "Message from Kombo" in message.text
    assert message.log_url == "https://app.kombo.dev/logs/123"
    assert message.code == code


SEARCH = RequestInfo(
    "GET",
    "https://api.kombo.dev/v1/ats/candidates?email=a%40b.dev",
    RequestPurpose.SEARCH_CANDIDATES,
)


@pytest.mark.parametrize(
    ("code", "for_a_result_link", "for_a_search"),
    [
        (
            "INTEGRATION.PERMISSION_MISSING",
            "The customer's integration is not allowed to add result links. Its scope in "
            "Kombo needs the “Add result links” permission; trying again will not help.",
            "The customer's integration is not allowed to read candidates. Its scope in "
            "Kombo needs permission to read candidates; trying again will not help.",
        ),
        (
            "INTEGRATION.ACTION_NOT_AVAILABLE",
            "This ATS does not support adding result links through Kombo.",
            "This ATS does not support searching candidates through Kombo.",
        ),
        (
            "INTEGRATION.ACTION_DISABLED",
            "Adding result links is turned off for the customer's integration in Kombo.",
            "Searching candidates is turned off for the customer's integration in Kombo.",
        ),
    ],
)
def test_an_action_refused_is_named_after_the_request_that_was_refused(
    code: str, for_a_result_link: str, for_a_search: str
) -> None:
    # The Find… dialog shows these for a search: it must not ask for a result-link permission.
    adding = describe_error(api_error(code))
    searching = describe_error(replace_request(api_error(code), SEARCH))
    assert adding.text.startswith(for_a_result_link)
    assert searching.text.startswith(for_a_search)
    assert "result link" not in searching.text.lower()
    assert adding.remedy is searching.remedy is Remedy.FIX_INTEGRATION


def replace_request(error: KomboApiError, request: RequestInfo) -> KomboApiError:
    error.request = request
    return error


@pytest.mark.parametrize(
    "code",
    [
        "INTEGRATION.PERMISSION_MISSING",
        "INTEGRATION.ACTION_NOT_AVAILABLE",
        "INTEGRATION.ACTION_DISABLED",
        "INTEGRATION.MODEL_NOT_AVAILABLE",
        "INTEGRATION.MODEL_DISABLED",
        "INTEGRATION.INACTIVE",
        "INTEGRATION.AUTHENTICATION_INVALID",
    ],
)
def test_an_integration_that_must_be_changed_is_said_to_need_more_than_a_retry(code: str) -> None:
    # Kombo: "the customer's integration must be changed in Kombo or the ATS; retrying
    # will not help". A recruiter must not be left pressing Submit again.
    message = describe_error(api_error(code))
    assert "will not help" in message.text
    assert message.remedy is Remedy.FIX_INTEGRATION


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


@pytest.mark.parametrize(
    ("title", "said"),
    [("Candidate locked", "Candidate locked"), (None, "ATS.CANDIDATE_LOCKED")],
)
def test_an_unknown_code_without_a_message_says_its_title_or_else_the_code(
    title: str | None, said: str
) -> None:
    # A code newer than this app, with an empty message: "Kombo answered: " alone would
    # leave the person with nothing to go on.
    error = api_error("ATS.CANDIDATE_LOCKED", 422)
    error.title, error.message = title, ""
    message = describe_error(error)
    assert message.text == f"Kombo answered: {said}"
    assert message.remedy is Remedy.FIX_INPUT


def test_a_rate_limit_without_kombos_envelope_is_not_quoted_as_kombos_words() -> None:
    # A proxy's 429 page: no code and no message of Kombo's (the client invents none).
    error = rate_limited(
        None, code=None, message="", body="<html><h1>429 Too Many Requests</h1></html>"
    )
    message = describe_error(error)
    assert message.text == "Too many requests. Wait a moment and try again."
    assert "Kombo said" not in message.text
    assert message.remedy is Remedy.WAIT
    assert "HTTP status: 429" in message.detail


@pytest.mark.parametrize("code", ["PLATFORM.QUOTA_EXCEEDED", "", None])
def test_a_rate_limit_under_a_code_new_to_this_version_is_worded_as_a_rate_limit(
    code: str | None,
) -> None:
    # The client takes a 429 under a code it does not know for a rate limit (Kombo adds
    # codes): the person is told to wait, and how long, with Kombo's own words kept.
    error = rate_limited(30, code=code, message="Monthly quota reached")
    error.title = "Quota reached"
    message = describe_error(error)
    assert message.text == (
        "Too many requests. Try again in 30 seconds (Kombo asked to wait that long).\n"
        "Kombo said: Monthly quota reached"
    )
    assert message.remedy is Remedy.WAIT
    assert not message.may_have_been_applied
    assert f"Code: {code or '(none)'}" in message.detail
    assert "Title: Quota reached" in message.detail
    assert "Kombo asked to wait: 30 seconds" in message.detail


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
    message = describe_error(rate_limited(7))
    assert "7 s" in message.text
    assert message.remedy is Remedy.WAIT


@pytest.mark.parametrize(
    ("wait_s", "fact", "progress"),
    [
        (0, "Kombo asked to try again: right away", "trying again now"),
        (0.4, "Kombo asked to wait: less than a second", "trying again in under a second"),
        (1, "Kombo asked to wait: 1 second", "trying again in 1 second"),
        # Rounded up, each: a try sooner than asked is only refused again.
        (1.2, "Kombo asked to wait: 2 seconds", "trying again in 2 seconds"),
        (59.5, "Kombo asked to wait: 60 seconds", "trying again in 60 seconds"),
        (61, "Kombo asked to wait: 61 seconds", "trying again in 61 seconds"),
        (3600, "Kombo asked to wait: 60 minutes", "trying again in 60 minutes"),
    ],
)
def test_the_wait_kombo_asked_for_and_the_wait_before_trying_again_say_it_alike(
    wait_s, fact, progress
):
    # The fact of an answer and the progress while the client waits it out: where one says
    # "under a second" or rounds up, so does the other.
    assert fact in [str(f) for f in describe_error(rate_limited(wait_s)).facts]
    assert messages.describe_rate_limit_wait(wait_s, 2) == (
        f"Kombo asked to slow down; {progress} (retry 2)."
    )


@pytest.mark.parametrize("kind", list(NetworkErrorKind))
def test_every_network_failure_says_which(kind):
    error = NetworkError(
        kind, request=INFO, detail="ReadTimeout: x", may_have_been_applied=False, elapsed_s=1
    )
    message = describe_error(error)
    assert message.text
    assert kind.value in message.detail
    assert "may already" not in message.text
    # No answer came: the time is how long the app waited (or how soon it failed).
    label = "No answer after" if "timed out" in kind.value else "Failed after"
    assert [str(fact) for fact in message.facts] == [f"{label}: 1.00 s"]


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


# ---- facts and notes: each fact once -----------------------------------------------------------


def test_an_answers_facts_are_not_repeated_in_its_notes():
    message = describe_error(api_error("PLATFORM.INPUT_INVALID"))
    facts = {fact.label: fact.value for fact in message.facts}
    assert facts == {
        "Code": "PLATFORM.INPUT_INVALID",
        "Title": "Title from Kombo",
        "HTTP status": "400",
        "Time taken": "0.20 s",
        "Kombo log": "https://app.kombo.dev/logs/123",
    }
    assert [fact.link for fact in message.facts] == [False, False, False, False, True]
    for value in facts.values():
        assert value not in message.notes
        assert message.detail.count(value) == 1  # and the whole detail still has each
    # Kombo's own message is quoted once, in the text.
    assert "Message from Kombo" in message.text
    assert "Message from Kombo" not in message.detail
    assert message.notes == f"POST {INFO.url}"


def test_a_success_has_its_status_and_time_as_facts():
    outcome = ApiOutcome(201, 0.42, INFO, "{}", (), {})
    message = describe_success(outcome)
    assert [str(fact) for fact in message.facts] == ["HTTP status: 201", "Time taken: 0.42 s"]
    assert message.notes == f"POST {INFO.url}"


def test_a_key_in_a_fact_is_masked():
    error = api_error("PLATFORM.INPUT_INVALID")
    error.title = "Echoed: Bearer ks_prod_echoedKey123456"
    message = describe_error(error)
    assert all("ks_prod_echoedKey123456" not in fact.value for fact in message.facts)
    assert "ks_prod_echoedKey123456" not in message.detail


# ---- the key check ----------------------------------------------------------------------------


def connection_checked(
    environment: Environment = Environment.DEVELOPMENT,
    *,
    read: ApiOutcome | None = None,
    read_error: KomboApiError | None = None,
) -> ConnectionCheckOutcome:
    """A connection test of integration ``workday:abc`` whose key Kombo accepted; its read
    of one candidate answered ``read`` or failed with ``read_error``."""
    request = RequestInfo(
        "GET", "https://api.kombo.dev/v1/check-api-key", RequestPurpose.CHECK_API_KEY
    )
    return ConnectionCheckOutcome(
        key=ApiOutcome(200, 0.1, request, "{}", (), {"environment_id": "env_123"}),
        key_check=ApiKeyCheck(environment_id="env_123"),
        integration=read,
        integration_error=read_error,
        integration_id="workday:abc",
        key_environment=environment,
    )


@pytest.mark.parametrize(
    ("environment", "words"),
    [
        (Environment.PRODUCTION, "Kombo accepted this production key"),
        (Environment.DEVELOPMENT, "Kombo accepted this development key"),
        (Environment.UNKNOWN, "Kombo accepted this key"),
    ],
)
def test_an_accepted_key_names_its_kind_and_the_integration(environment, words):
    read = ApiOutcome(200, 0.1, SEARCH, "{}", (), {"next": None, "results": []})
    message = describe_connection_check(connection_checked(environment, read=read))
    assert message.severity is Severity.SUCCESS
    assert message.text == f"Connection works: {words} and knows integration workday:abc."
    # The environment's ID is for the technical detail only.
    assert "Environment: env_123" in message.detail
    assert "/check-api-key" in message.detail
    assert "/ats/candidates" in message.detail


KOMBO_REFUSED_THE_TEST = (
    "Kombo refused the test. Check the integration ID, and the region or base URL."
)


@pytest.mark.parametrize(
    ("code", "words", "remedy"),
    [
        ("PLATFORM.INPUT_INVALID", KOMBO_REFUSED_THE_TEST, Remedy.FIX_PROFILE),
        (None, KOMBO_REFUSED_THE_TEST, Remedy.FIX_PROFILE),
        (
            "REMOTE.INPUT_INVALID",
            "The customer's ATS refused the test. Try again later.",
            Remedy.RETRY,
        ),
    ],
)
def test_a_connection_test_refused_as_invalid_says_what_to_check_not_to_correct_a_form(
    code: str | None, words: str, remedy: Remedy
) -> None:
    # A send's words for a 400 ("Correct the form and send again") mean nothing to someone
    # testing a connection: the test sends no form.
    refused = replace_request(api_error(code, 400), SEARCH)
    message = describe_connection_check(connection_checked(read_error=refused))
    assert message.severity is Severity.ERROR
    assert message.text == (
        "Kombo accepted this development key, but the integration workday:abc could not be "
        f"checked. {words}\nKombo said: Message from Kombo"
    )
    assert "form" not in message.text
    assert message.remedy is remedy
    assert "HTTP status: 400" in message.detail


@pytest.mark.parametrize(
    ("code", "status", "words", "remedy"),
    [
        # No code of Kombo's: the address is not Kombo's API, whatever the ID.
        (
            None,
            404,
            "Nothing was found at this address. Check the region or base URL.",
            Remedy.FIX_PROFILE,
        ),
        # Codes this app does not know (or the ATS's own): Kombo's words, no guessing.
        ("REMOTE.SOME_NEW_CODE", 400, "Kombo answered the test with an error.", Remedy.NONE),
        ("ATS.JOB_CLOSED", 400, "Kombo answered the test with an error.", Remedy.NONE),
    ],
)
def test_a_connection_test_refused_otherwise_is_not_blamed_on_the_integration_id(
    code: str | None, status: int, words: str, remedy: Remedy
) -> None:
    refused = replace_request(api_error(code, status), SEARCH)
    message = describe_connection_check(connection_checked(read_error=refused))
    assert message.text == (
        "Kombo accepted this development key, but the integration workday:abc could not be "
        f"checked. {words}\nKombo said: Message from Kombo"
    )
    assert message.remedy is remedy


# ---- a search and a key check, which have no form and no ID ------------------------------------

KEY_CHECK = RequestInfo("GET", "https://api.kombo.dev/check-api-key", RequestPurpose.CHECK_API_KEY)
WRONG_ADDRESS = (
    "Nothing answering like Kombo's API was found at this address. Check the region or base URL."
)


@pytest.mark.parametrize(
    ("code", "status", "words", "remedy"),
    [
        (
            "PLATFORM.INPUT_INVALID",
            400,
            "Kombo refused the search. Check the email or names, then search again.",
            Remedy.FIX_INPUT,
        ),
        (
            None,
            400,
            "Kombo refused the search. Check the email or names, then search again.",
            Remedy.FIX_INPUT,
        ),
        (
            "REMOTE.INPUT_INVALID",
            400,
            "The customer's ATS refused the search. Check the email or names, then search again.",
            Remedy.FIX_INPUT,
        ),
        (None, 404, WRONG_ADDRESS, Remedy.FIX_PROFILE),
    ],
)
def test_a_refused_search_is_worded_for_a_search(
    code: str | None, status: int, words: str, remedy: Remedy
) -> None:
    message = describe_error(replace_request(api_error(code, status), SEARCH))
    # At a wrong address nothing like Kombo answered: its words are not called Kombo's.
    speaker = "The server" if words == WRONG_ADDRESS else "Kombo"
    assert message.text == f"{words}\n{speaker} said: Message from Kombo"
    assert message.remedy is remedy
    # What was said to Kombo's answer is kept for the details.
    assert f"HTTP status: {status}" in message.detail
    assert message.log_url == "https://app.kombo.dev/logs/123"


def test_a_key_check_not_found_is_worded_as_a_wrong_address_not_a_wrong_id() -> None:
    message = describe_error(replace_request(api_error(None, 404), KEY_CHECK))
    assert message.text == f"{WRONG_ADDRESS}\nThe server said: Message from Kombo"
    assert message.remedy is Remedy.FIX_PROFILE


def unexpected(
    status: int,
    request: RequestInfo,
    *,
    excerpt: str = "<html>page</html>",
    applied: bool = False,
) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        status_code=status,
        content_type="text/html",
        excerpt=excerpt,
        reason="not JSON",
        request=request,
        elapsed_s=0.1,
        may_have_been_applied=applied,
    )


@pytest.mark.parametrize("status", [200, 404, 405])
def test_a_web_page_at_the_key_check_is_worded_as_a_wrong_address(status: int) -> None:
    message = describe_error(unexpected(status, KEY_CHECK))
    assert message.text == WRONG_ADDRESS
    assert message.remedy is Remedy.FIX_PROFILE
    assert "<html>page</html>" in message.detail


@pytest.mark.parametrize(
    ("excerpt", "words"),
    [
        # A Wi-Fi sign-in page, a proxy's text: Kombo answers in JSON only.
        ("<html>Sign in to the hotel Wi-Fi</html>", "A server (Kombo's, or one on the way"),
        ("upstream connect error", "A server (Kombo's, or one on the way"),
        ('{"ok": true}', "Kombo sent an answer this app does not understand."),
    ],
)
def test_a_success_status_not_in_kombos_format_blames_kombo_only_for_json(
    excerpt: str, words: str
) -> None:
    message = describe_error(unexpected(200, INFO, excerpt=excerpt, applied=True))
    assert message.text.startswith(words)
    assert "may already have been added" in message.text


def test_a_server_name_of_a_base_url_not_found_names_it_and_the_base_url() -> None:
    typed = RequestInfo(
        "POST", "https://api.kombo-typo.invalid/v1/x", RequestPurpose.ADD_RESULT_LINK
    )
    error = NetworkError(
        NetworkErrorKind.DNS, request=typed, detail="", may_have_been_applied=False, elapsed_s=0
    )
    # Before: "Could not find Kombo's server. Check the internet connection and the server
    # address." (no field is called so; the address typed was at fault, not Kombo).
    assert describe_error(error).text == (
        "Could not find the server api.kombo-typo.invalid. Check that the base URL is right."
    )
    kombos = NetworkError(
        NetworkErrorKind.DNS, request=INFO, detail="", may_have_been_applied=False, elapsed_s=0
    )
    assert describe_error(kombos).text == (
        "Could not find Kombo's server. Check the internet connection."
    )


def test_a_servers_error_page_at_the_key_check_is_not_blamed_on_the_address() -> None:
    # A proxy in front of Kombo answers so when Kombo is down: the address may be right.
    message = describe_error(unexpected(502, KEY_CHECK))
    assert message.text == (
        "Kombo's server, or one on the way to it, had a problem and could not answer. Trying "
        "again in a few minutes usually helps."
    )
    assert message.remedy is Remedy.RETRY


def test_a_connection_tests_read_refused_keeps_the_tests_words_not_the_searchs() -> None:
    # The test's read of one candidate is a search: its words are the test's, not Find…'s.
    refused = replace_request(api_error("PLATFORM.INPUT_INVALID", 400), SEARCH)
    message = describe_connection_check(connection_checked(read_error=refused))
    assert "search" not in message.text
    assert KOMBO_REFUSED_THE_TEST in message.text


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        # Kombo named the integration's own state: it was checked.
        ("INTEGRATION.INACTIVE", "cannot be used now"),
        ("INTEGRATION.SETUP_SYNC_PENDING", "cannot be used now"),
        # A rate limit stopped the read: nothing about the integration is known.
        ("PLATFORM.RATE_LIMIT_EXCEEDED", "could not be checked"),
        # A code this version does not know: no verdict it cannot back up.
        ("INTEGRATION.SOMETHING_NEW", "could not be checked"),
    ],
)
def test_a_connection_test_says_whether_the_integration_was_checked(code, outcome) -> None:
    refused = replace_request(
        api_error(code, 409 if code.startswith("INTEGRATION") else 429), SEARCH
    )
    message = describe_connection_check(connection_checked(read_error=refused))
    # Before: "… could not be checked. The customer's integration is inactive in Kombo."
    assert message.text.startswith(
        f"Kombo accepted this development key, but the integration workday:abc {outcome}. "
    )


@pytest.mark.parametrize("status", [405, 410, 422])
def test_a_codeless_refusal_of_a_search_or_a_key_check_names_no_form(status: int) -> None:
    for request in (SEARCH, KEY_CHECK):
        text = describe_error(replace_request(api_error(None, status), request)).text
        assert "the form" not in text, (request.purpose, text)


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        (
            "ATS.APPLICATION_ALREADY_EXISTS",
            409,
            "The ATS refused because this application already exists. Find it in the ATS and "
            "send the result link to it; trying again will not help.",
        ),
        (
            None,
            409,
            "The customer's integration is not ready for this request. Try again later; if it "
            "keeps happening, ask whoever manages the integration in Kombo.",
        ),
        (None, 422, "Kombo rejected the request as invalid. Correct the form and send again."),
        (None, 405, "Kombo rejected the request. Correct the form and send again."),
    ],
)
def test_refusals_say_what_to_do_next(code, status, words) -> None:
    # Before: each ended at what happened ("…already exists.", "…not ready for this
    # request.", "Kombo rejected the request."), with nothing to do about it.
    assert describe_error(api_error(code, status)).text.startswith(words)


# ---- failures on this computer ------------------------------------------------------------------

LEAKED = "ks_dev_leakedInAnError_0000"


def test_a_keyring_failure_keeps_the_keyrings_words_and_detail():
    error = SecretStoreLocked(detail=f"reading the key: KeyringLocked: {LEAKED}")
    message = describe_failure(error, consequence="“Acme” was not deleted")
    assert message.text == f"“Acme” was not deleted. {error.message}"
    assert "KeyringLocked" in message.detail
    assert LEAKED not in message.detail
    assert message.remedy is Remedy.FIX_PROFILE


def test_a_file_error_gives_the_systems_reason_without_its_noise():
    error = PermissionError(13, "Permission denied", "/home/me/.config/.profiles.json.x1.tmp")
    message = describe_failure(
        error, consequence="Nothing was saved", file_action="write the profiles file"
    )
    assert message.text == (
        "Nothing was saved. Could not write the profiles file (Permission denied)."
    )
    # Without being told which file and why, it claims no more than it knows.
    assert describe_failure(error).text == "Could not use the file (Permission denied)."
    assert "[Errno 13]" in message.detail  # the whole story stays in the detail
    assert "[Errno" not in message.text
    assert ".tmp" not in message.text


def test_a_file_that_is_not_text_is_said_so():
    try:
        b"\xff\xfe\x00".decode("utf-8")
    except UnicodeDecodeError as exc:
        message = describe_failure(exc, file_action="read /tmp/photo.jpg")
    assert message.text == "Could not read /tmp/photo.jpg: it is not a text file."


def test_input_errors_name_their_field_in_sentences():
    error = InputError(
        [
            FieldError("api_key", "must not contain spaces, tabs or line breaks"),
            FieldError("import", "the file is not valid JSON (line 1)"),
        ]
    )
    message = describe_failure(error, consequence="Nothing was imported")
    assert message.text == (
        "Nothing was imported. The API key must not contain spaces, tabs or line breaks. "
        "The file is not valid JSON (line 1)."
    )


def test_an_unexpected_failure_is_the_apps_fault_and_masks_keys():
    message = describe_failure(RuntimeError(f"backend said {LEAKED}"))
    assert message.text == "Something unexpected went wrong inside Kombo Desktop."
    assert "RuntimeError: backend said" in message.detail
    assert LEAKED not in message.detail


@pytest.mark.parametrize(
    ("problem", "sentence"),
    [
        (FieldError("api_key", "is required", missing=True), "The API key is required."),
        (
            FieldError("region", "choose EU, US or a custom base URL"),
            "Region: Choose EU, US or a custom base URL.",
        ),
        (FieldError("import", "the file is empty"), "The file is empty."),
    ],
)
def test_an_input_problem_is_one_sentence_naming_its_field(problem, sentence):
    assert describe_failure(InputError([problem])).text == sentence


def test_a_cancelled_task_on_this_computer_is_not_told_as_a_request():
    text = describe_failure(asyncio.CancelledError()).text
    assert text == "Stopped before it finished."
    assert "added" not in text
