"""The API client against the sandbox over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import json
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from kombo_desktop import __version__
from kombo_desktop.core import client as client_module
from kombo_desktop.core import error_codes
from kombo_desktop.core.client import (
    ANSWER_LIMIT_BYTES,
    KomboClient,
    RetryPolicy,
    SyncKomboClient,
    Timeouts,
)
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import (
    InputError,
    KomboApiError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    UnexpectedResponseError,
)
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_ENVIRONMENT_ID,
    DEMO_INTEGRATION_ID,
    Fault,
    Sandbox,
)
from kombo_desktop.sandbox.routes import parse_target
from tests.cli_support import free_port

REQUEST = ResultLinkRequest.from_form(
    label="Assessment Result",
    url="https://example.com/test-results/5BtP1WC1UboS7CF3yxjKcvjG",
    custom_field_name_prefix="Acme:",
    attributes=[("Score", "100%"), ("Time", "2:30h")],
)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def send(connection: Connection, target: Target, **kwargs: Any) -> Any:
    async with KomboClient(connection, **kwargs) as client:
        return await client.add_result_link(target, REQUEST)


def candidate(sandbox: Sandbox, index: int = 0) -> Target:
    return Target.parse(TargetKind.CANDIDATE, sandbox.candidates[index]["id"])


def test_success_sends_the_body_and_headers_kombo_expects(fresh_sandbox, connection):
    target = candidate(fresh_sandbox)
    stored_before = len(fresh_sandbox.result_links(target.id))
    outcome = run(send(connection, target))

    assert outcome.status_code == 200
    assert outcome.warnings == ()
    received = fresh_sandbox.requests[-1]
    assert received.method == "POST"
    assert received.path == f"/v1/ats/candidates/{target.id}/result-links"
    assert received.json() == {
        "label": "Assessment Result",
        "url": "https://example.com/test-results/5BtP1WC1UboS7CF3yxjKcvjG",
        "details": {
            "custom_field_name_prefix": "Acme:",
            "attributes": [{"key": "Score", "value": "100%"}, {"key": "Time", "value": "2:30h"}],
        },
    }
    assert received.headers["authorization"] == f"Bearer {DEMO_API_KEY}"
    assert received.headers["x-integration-id"] == DEMO_INTEGRATION_ID
    assert received.headers["content-type"] == "application/json"
    assert received.headers["accept"] == "application/json"
    assert received.headers["user-agent"] == f"kombo-desktop/{__version__}"
    stored = fresh_sandbox.result_links(target.id)
    assert len(stored) == stored_before + 1
    assert stored[-1] == received.json()


def test_application_target_and_kombo_warnings(fresh_sandbox, connection):
    application_id = fresh_sandbox.candidates[1]["applications"][0]["id"]
    request = ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        custom_field_name_prefix="A prefix that is far too long for ATS screens:",
        attributes=[("An attribute key that is much longer than thirty characters", "1")],
    )

    async def go() -> Any:
        async with KomboClient(connection) as client:
            return await client.add_result_link(
                Target.parse(TargetKind.APPLICATION, application_id), request
            )

    outcome = run(go())
    assert fresh_sandbox.requests[-1].path == f"/v1/ats/applications/{application_id}/result-links"
    assert len(outcome.warnings) == 2
    assert any("truncated" in w for w in outcome.warnings)
    assert '"warnings"' in pretty_json(outcome.body)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"api_key": "ks_dev_not_a_known_key_000000"}, "PLATFORM.AUTHENTICATION_INVALID"),
        ({"integration_id": "workday:doesnotexist"}, "PLATFORM.INTEGRATION_NOT_FOUND"),
    ],
)
def test_profile_errors_carry_code_and_are_not_applied(fresh_sandbox, connection, change, code):
    wrong = Connection.create(
        api_key=change.get("api_key", DEMO_API_KEY),
        integration_id=change.get("integration_id", DEMO_INTEGRATION_ID),
        base_url=fresh_sandbox.base_url,
    )
    with pytest.raises(KomboApiError) as caught:
        run(send(wrong, candidate(fresh_sandbox)))
    assert caught.value.code == code
    assert caught.value.message
    assert caught.value.may_have_been_applied is False
    assert caught.value.status_code in (401, 403, 404)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("INTEGRATION.PERMISSION_MISSING", 403),
        ("PLATFORM.INPUT_INVALID", 400),
        ("REMOTE.INPUT_INVALID", 400),
        ("INTEGRATION.SETUP_SYNC_PENDING", 409),
        ("ATS.JOB_CLOSED", 400),
        ("SOMETHING.NEW_THIS_YEAR", 418),
    ],
)
def test_kombo_error_envelope_is_parsed(fresh_sandbox, connection, code, status):
    fresh_sandbox.inject_fault(
        Fault.kombo_error(code, status, message="Explained by Kombo", title="A title")
    )
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    error = caught.value
    assert (error.code, error.status_code, error.title) == (code, status, "A title")
    assert error.message == "Explained by Kombo"
    assert error.log_url
    assert error.log_url.startswith("http")
    assert not isinstance(error, RateLimitedError)
    assert error.may_have_been_applied is False


def test_code_wins_over_status(fresh_sandbox, connection):
    # A setup error that Kombo once sent as 503: the code says it was refused for sure.
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.SETUP_INCOMPLETE", 503))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.may_have_been_applied is False


@pytest.mark.parametrize("code", sorted(error_codes.REFUSED | error_codes.UNCERTAIN))
def test_every_documented_code_on_a_503_says_whether_the_post_may_have_landed(
    fresh_sandbox, connection, code
):
    # Statuses move (setup errors went from 503 to 409): only the code may decide.
    fresh_sandbox.inject_fault(Fault.kombo_error(code, 503))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert not isinstance(caught.value, RateLimitedError)
    assert caught.value.may_have_been_applied is (code in error_codes.UNCERTAIN)
    assert len(fresh_sandbox.requests) == 1  # never sent twice on its own


def test_a_key_echoed_back_by_the_server_is_masked_in_every_field(fresh_sandbox, connection):
    echoed = f"Bad request (Authorization was: Bearer {DEMO_API_KEY})"
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, echoed, echoed))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    error = caught.value
    for text in (error.message, error.title or "", error.body, str(error)):
        assert DEMO_API_KEY not in text
    assert error.message.startswith("Bad request (Authorization was: Bearer ")


def test_an_answer_is_kept_as_kombo_sent_it_but_for_the_key(fresh_sandbox, connection):
    # Ordinary words that look like credentials to a log filter are the customer's data.
    said = f"Work authorization: US citizen. Bearer of a valid visa. Sent: {DEMO_API_KEY}"
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, said, said))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.message == (
        "Work authorization: US citizen. Bearer of a valid visa. Sent: [redacted]"
    )


def test_server_error_is_not_retried_and_may_have_been_applied(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.server_error(500))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.may_have_been_applied is True
    assert len(fresh_sandbox.requests) == 1


def test_error_without_code_falls_back_to_status(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.kombo_error(None, 502, message="Bad gateway", log_url=None))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.code is None
    assert caught.value.log_url is None
    assert caught.value.may_have_been_applied is True


def test_rate_limit_then_success_waits_as_told(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="3"), times=1)
    waits: list[float] = []
    notices: list[tuple[str | None, float, int]] = []

    async def fake_clock_sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Any:
        async with KomboClient(connection, sleep=fake_clock_sleep) as client:
            return await client.add_result_link(
                candidate(fresh_sandbox),
                REQUEST,
                on_rate_limit=lambda e, d, n: notices.append((e.code, d, n)),
            )

    outcome = run(go())
    assert outcome.status_code == 200
    assert waits == [3.0]
    assert notices == [("PLATFORM.RATE_LIMIT_EXCEEDED", 3.0, 1)]
    assert len(fresh_sandbox.requests) == 2


def test_rate_limit_retries_are_bounded(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=None))
    waits: list[float] = []

    async def fake_clock_sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Any:
        retry = RetryPolicy(max_retries=2, default_delay_s=1.5)
        async with KomboClient(connection, retry=retry, sleep=fake_clock_sleep) as client:
            return await client.add_result_link(candidate(fresh_sandbox), REQUEST)

    with pytest.raises(RateLimitedError) as caught:
        run(go())
    assert caught.value.retry_after_s is None
    assert waits == [1.5, 3.0]  # a sane default, growing, when Kombo gives no Retry-After
    assert len(fresh_sandbox.requests) == 3


def kombo_429(code: str | None, retry_after: str = "2") -> Fault:
    """A 429 in Kombo's envelope under ``code``, asking to wait ``retry_after`` seconds."""
    error = {"code": code, "title": "Quota reached", "message": "Slow down", "log_url": None}
    body = json.dumps({"status": "error", "error": error})
    return Fault.raw(body, 429, headers={"Retry-After": retry_after})


@pytest.mark.parametrize("code", ["PLATFORM.QUOTA_EXCEEDED", "", None])
def test_a_429_under_a_code_new_to_this_version_is_retried_after_the_wait_asked(
    fresh_sandbox, connection, code
):
    # Kombo adds codes over time; a 429 is "not processed, retry after the delay" whatever
    # its code is called, or when it has none.
    fresh_sandbox.inject_fault(kombo_429(code), times=1)
    target = candidate(fresh_sandbox)
    links_before = len(fresh_sandbox.result_links(target.id))
    waits: list[float] = []
    notices: list[float] = []

    async def fake_clock_sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Any:
        async with KomboClient(connection, sleep=fake_clock_sleep) as client:
            return await client.add_result_link(
                target, REQUEST, on_rate_limit=lambda _e, d, _n: notices.append(d)
            )

    assert run(go()).status_code == 200
    assert waits == notices == [2.0]
    assert len(fresh_sandbox.requests) == 2
    assert len(fresh_sandbox.result_links(target.id)) == links_before + 1  # added once


def test_a_429_under_a_new_code_is_reported_as_a_rate_limit_with_kombos_words(
    fresh_sandbox, connection
):
    fresh_sandbox.inject_fault(kombo_429("PLATFORM.QUOTA_EXCEEDED", retry_after="30"))
    with pytest.raises(RateLimitedError) as caught:
        run(send(connection, candidate(fresh_sandbox), retry=RetryPolicy(max_retries=0)))
    error = caught.value
    assert (error.code, error.retry_after_s, error.may_have_been_applied) == (
        "PLATFORM.QUOTA_EXCEEDED",
        30.0,
        False,
    )
    message = describe_error(error)
    assert message.text == (
        "Too many requests. Try again in 30 seconds (Kombo asked to wait that long).\n"
        "Kombo said: Slow down"
    )
    facts = [str(fact) for fact in message.facts]
    assert "Kombo asked to wait: 30 seconds" in facts
    assert "Code: PLATFORM.QUOTA_EXCEEDED" in facts
    assert "Title: Quota reached" in facts


@pytest.mark.parametrize("code", ["PLATFORM.INPUT_INVALID", "PLATFORM.UNKNOWN_ERROR"])
def test_a_429_under_a_known_code_that_is_no_rate_limit_follows_its_code(
    fresh_sandbox, connection, code
):
    # Known codes decide first: the status only fills in for a code that cannot.
    fresh_sandbox.inject_fault(kombo_429(code))
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert not isinstance(caught.value, RateLimitedError)
    assert caught.value.may_have_been_applied is (code in error_codes.UNCERTAIN)
    assert len(fresh_sandbox.requests) == 1


class FakeClock:
    """Stands in for the client's sleep: each wait is noted, none is waited out."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def _asked_on(
    clock: FakeClock,
    sandbox: Sandbox,
    connection: Connection,
    *,
    total: float | None = None,
    search: bool = False,
) -> Any:
    """A send of ``REQUEST`` to the first candidate (or a search by email) through a client
    waiting on ``clock``, within ``total`` seconds."""

    async def go() -> Any:
        limits = Timeouts(connect=2, read=2, total=total)
        async with KomboClient(connection, timeouts=limits, sleep=clock.sleep) as client:
            if search:
                return await client.find_candidates(email="someone@example.com")
            return await client.add_result_link(candidate(sandbox), REQUEST)

    return run(go())


def test_a_wait_longer_than_the_client_takes_is_reported_not_cut_short(fresh_sandbox, connection):
    # Kombo asks for 10 minutes: sending again after the client's own 2 minutes would
    # ignore Kombo's advice, so the answer is reported with the wait Kombo asked for.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="600"))
    clock = FakeClock()
    with pytest.raises(RateLimitedError) as caught:
        _asked_on(clock, fresh_sandbox, connection)
    assert caught.value.retry_after_s == 600
    assert clock.waits == []
    assert len(fresh_sandbox.requests) == 1
    assert "Try again in 10 minutes (Kombo asked to wait that long)." in (
        describe_error(caught.value).text
    )


def test_the_time_taken_counts_every_attempt_and_the_waits_between(fresh_sandbox, connection):
    # The person watched "Sending…" through the wait Kombo asked for (a real one here).
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    outcome = run(send(connection, candidate(fresh_sandbox)))
    assert len(fresh_sandbox.requests) == 2
    # Before: the last attempt's time alone, "Time taken: 0.00 s" after a 1 s wait.
    assert outcome.elapsed_s >= 1.0


def test_a_refusal_after_a_wait_says_the_time_of_the_whole_send(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    # Before: the last attempt's time alone, under the wait the person watched.
    assert caught.value.elapsed_s >= 1.0


class _ClockFiveMinutesFast(datetime):
    """This computer's clock, five minutes ahead of the server's."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        return datetime.now(tz) + timedelta(minutes=5)


def test_a_retry_after_date_is_read_against_the_servers_clock(
    fresh_sandbox, connection, monkeypatch
):
    monkeypatch.setattr(client_module, "datetime", _ClockFiveMinutesFast)
    in_ten_minutes = datetime.now(timezone.utc) + timedelta(minutes=10)
    asked = email.utils.format_datetime(in_ten_minutes, usegmt=True)
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=asked))
    clock = FakeClock()
    with pytest.raises(RateLimitedError) as caught:
        _asked_on(clock, fresh_sandbox, connection)
    # The server's Date says when it answered: ten minutes from then, whatever this
    # computer's clock says. Before: five minutes (the local clock's "now").
    assert caught.value.retry_after_s is not None
    assert 595 <= caught.value.retry_after_s <= 601
    assert clock.waits == []


def test_a_total_limit_ends_the_retries_when_their_wait_would_pass_it(fresh_sandbox, connection):
    # `send --timeout 5` must not wait minutes behind rate limits.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="3"), times=2)
    clock = FakeClock()
    with pytest.raises(RateLimitedError):
        _asked_on(clock, fresh_sandbox, connection, total=2.0)
    assert clock.waits == []
    assert len(fresh_sandbox.requests) == 1
    # With time for the wait, the retry happens as before.
    assert _asked_on(clock, fresh_sandbox, connection, total=30.0).status_code == 200
    assert clock.waits == [3.0]


def test_a_retry_without_time_for_its_answer_is_not_sent(fresh_sandbox, connection):
    # Sent with too little time left, the retry would end in "may have been added";
    # the rate limit itself is clear: nothing was added.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    clock = FakeClock()
    with pytest.raises(RateLimitedError) as caught:
        _asked_on(clock, fresh_sandbox, connection, total=1.5)
    assert caught.value.may_have_been_applied is False
    assert clock.waits == []
    assert len(fresh_sandbox.requests) == 1


@pytest.mark.parametrize(("asked", "retried"), [("send", False), ("search", True)])
def test_a_send_is_retried_only_with_time_left_for_the_ats_to_answer(
    fresh_sandbox, connection, asked, retried
):
    # After an 8 s wait, 2 s of 10 would be left: a refusal comes back in that time, but
    # adding a link waits for the ATS. Before, the send was retried, timed out, and said
    # "may have been added"; the rate limit is clear: nothing was added, wait 8 s.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="8"), times=1)
    clock = FakeClock()
    search = asked == "search"
    if retried:
        _asked_on(clock, fresh_sandbox, connection, total=10, search=search)
        assert clock.waits == [8.0]
        assert len(fresh_sandbox.requests) == 2
        return
    with pytest.raises(RateLimitedError) as caught:
        _asked_on(clock, fresh_sandbox, connection, total=10, search=search)
    assert caught.value.may_have_been_applied is False
    assert clock.waits == []
    assert len(fresh_sandbox.requests) == 1


@pytest.mark.parametrize("retry_after", ["0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_rate_limit_asking_for_no_wait_is_retried_after_a_backoff(
    fresh_sandbox, connection, retry_after
):
    # A date already past (a clock ahead of Kombo's) or no seconds: before, retried at
    # once, three times in a few milliseconds, into the limit that had just refused.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=retry_after), times=2)
    clock = FakeClock()
    assert _asked_on(clock, fresh_sandbox, connection).status_code == 200
    assert clock.waits == [2.0, 4.0]  # the default delay, growing
    assert len(fresh_sandbox.requests) == 3


def test_rate_limit_wait_is_cancellable(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="30"))

    async def go() -> asyncio.CancelledError:
        waiting = asyncio.Event()
        async with KomboClient(connection) as client:
            task = asyncio.create_task(
                client.add_result_link(
                    candidate(fresh_sandbox), REQUEST, on_rate_limit=lambda *_: waiting.set()
                )
            )
            await waiting.wait()  # the client is now in its 30 s wait
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as caught:
                await task
            return caught.value

    cancelled = run(go())
    assert len(fresh_sandbox.requests) == 1
    # Kombo refused the one request, and nothing went out after it: said so.
    message = describe_error(cancelled)
    assert not message.may_have_been_applied
    assert message.text.startswith("Cancelled while waiting to try again. Nothing was added")


def test_read_timeout_is_reported_and_not_retried(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.slow_body(3.0))
    with pytest.raises(NetworkError) as caught:
        run(send(connection, candidate(fresh_sandbox), timeouts=Timeouts(connect=2, read=0.3)))
    assert caught.value.kind is NetworkErrorKind.READ_TIMEOUT
    assert caught.value.may_have_been_applied is True
    assert len(fresh_sandbox.requests) == 1


@pytest.mark.parametrize(
    ("warnings", "shown"),
    [
        ("null", ()),
        ('[{"message": null, "code": "W1"}]', ('{"code": "W1", "message": null}',)),
        ('[{"detail": "Label cut"}]', ('{"detail": "Label cut"}',)),
        ('["Label cut to 60 characters"]', ("Label cut to 60 characters",)),
        ('{"message": "Only one"}', ("Only one",)),
    ],
)
def test_a_success_with_odd_warnings_is_a_success_that_shows_them(
    fresh_sandbox, connection, warnings, shown
):
    # HTTP 200 and "success": the link was added. Calling that a failure would invite a
    # second, duplicate send; a warning Kombo sent in an odd shape is still shown.
    body = f'{{"status": "success", "data": {{}}, "warnings": {warnings}}}'
    fresh_sandbox.inject_fault(Fault.raw(body))
    outcome = run(send(connection, candidate(fresh_sandbox)))
    assert outcome.status_code == 200
    assert outcome.warnings == shown


def test_an_answer_trickling_in_is_cut_off_by_the_total_limit(fresh_sandbox, connection):
    # Every piece arrives well within the read limit; the whole answer does not.
    fresh_sandbox.inject_fault(Fault.trickle_body(0.25), times=2)
    target = candidate(fresh_sandbox)
    per_read = Timeouts(connect=2, read=2.0)
    assert run(send(connection, target, timeouts=per_read)).status_code == 200

    with pytest.raises(NetworkError) as caught:
        run(send(connection, target, timeouts=Timeouts(connect=2, read=2.0, total=0.4)))
    assert caught.value.kind is NetworkErrorKind.READ_TIMEOUT
    assert caught.value.detail == "No complete answer within 0.4 s"
    assert caught.value.may_have_been_applied is True


def test_a_body_too_large_for_the_server_is_reported_as_refused_not_as_maybe_added(
    fresh_sandbox, connection
):
    # The sandbox refuses a body over 1 MiB with 413 before reading it; the refusal must
    # reach the client, which says nothing was added (not "may already have been added").
    request = ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        remote_fields={"icims": {"assessment_package_id": "x" * (4 * 1024 * 1024)}},
    )
    target = candidate(fresh_sandbox)
    links_before = fresh_sandbox.result_links(target.id)

    async def go() -> Any:
        async with KomboClient(connection) as client:
            return await client.add_result_link(target, request)

    with pytest.raises(KomboApiError) as caught:
        run(go())
    assert caught.value.status_code == 413
    assert caught.value.may_have_been_applied is False
    assert not describe_error(caught.value).may_have_been_applied
    assert fresh_sandbox.result_links(target.id) == links_before


def test_dropped_connection(fresh_sandbox, connection):
    fresh_sandbox.inject_fault(Fault.drop_connection())
    with pytest.raises(NetworkError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.kind is NetworkErrorKind.DISCONNECTED
    assert caught.value.may_have_been_applied is True


@pytest.mark.parametrize(
    ("fault", "status", "excerpt"),
    [
        (Fault.non_json(), 200, "upstream"),
        (Fault.html_error(502), 502, "<html"),
        (Fault.wrong_shape(), 200, "ok"),
    ],
)
def test_unexpected_answers_keep_an_excerpt(fresh_sandbox, connection, fault, status, excerpt):
    fresh_sandbox.inject_fault(fault)
    with pytest.raises(UnexpectedResponseError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.status_code == status
    assert excerpt in caught.value.excerpt.lower()
    assert len(caught.value.excerpt) <= 500
    assert caught.value.may_have_been_applied is True


def huge_page(size: int) -> str:
    """An HTML error page of ``size`` characters, as a misconfigured server may send."""
    head, tail = "<html><body><h1>500 Internal Server Error</h1><pre>", "</pre></body></html>"
    return head + "x" * (size - len(head) - len(tail)) + tail


def test_a_huge_error_page_is_cut_and_worded_as_a_small_one(fresh_sandbox, connection):
    # Reading a page of hundreds of megabytes whole would hold the send and fill the
    # memory, for a message that only needs its start.
    fresh_sandbox.inject_fault(Fault.html_error(500), times=1)
    with pytest.raises(UnexpectedResponseError) as small:
        run(send(connection, candidate(fresh_sandbox)))
    size = 3 * ANSWER_LIMIT_BYTES
    fresh_sandbox.inject_fault(Fault.raw(huge_page(size), 500, "text/html"), times=1)
    with pytest.raises(UnexpectedResponseError) as huge:
        run(send(connection, candidate(fresh_sandbox)))
    error = huge.value
    assert error.reason == (
        f"HTTP 500 Internal Server Error: the answer was cut after its first 1 MiB of {size} bytes"
    )
    assert error.may_have_been_applied is True
    assert error.excerpt.startswith("<html><body><h1>500 Internal Server Error</h1>")
    message, small_message = describe_error(error), describe_error(small.value)
    assert message.text == small_message.text
    assert message.text.startswith(
        "Kombo's server, or one on the way to it, had a problem and could not answer."
    )
    assert "the answer was cut after its first 1 MiB" in message.detail


def test_a_huge_rate_limit_page_is_cut_and_still_a_rate_limit(fresh_sandbox, connection):
    size = 2 * ANSWER_LIMIT_BYTES
    fresh_sandbox.inject_fault(Fault.raw(huge_page(size), 429, "text/html"), times=1)
    with pytest.raises(RateLimitedError) as caught:
        run(send(connection, candidate(fresh_sandbox), retry=RetryPolicy(max_retries=0)))
    error = caught.value
    assert error.may_have_been_applied is False
    # The body is shown as the raw answer: it says that it is only the start.
    assert error.body.endswith(f"\n[the answer was cut after its first 1 MiB of {size} bytes]")
    assert len(error.body) < ANSWER_LIMIT_BYTES + 100
    assert describe_error(error).text.startswith("Too many requests.")


def test_a_proxys_rate_limit_page_is_not_quoted_as_kombos_words(fresh_sandbox, connection):
    # A proxy in front of Kombo answers 429 with its own page: no envelope, no words of
    # Kombo's, and still a clear rate limit that added nothing.
    page = "<html><body><h1>429 Too Many Requests</h1>nginx</body></html>"
    fresh_sandbox.inject_fault(Fault.raw(page, 429, "text/html"))
    quick = RetryPolicy(max_retries=1, default_delay_s=0.05)
    with pytest.raises(RateLimitedError) as caught:
        run(send(connection, candidate(fresh_sandbox), retry=quick))
    error = caught.value
    assert len(fresh_sandbox.requests) == 2  # retried as a rate limit
    assert (error.code, error.title, error.message) == (None, None, "")
    assert error.body == page
    message = describe_error(error)
    assert message.text == "Too many requests. Wait a moment and try again."
    assert not message.may_have_been_applied
    assert str(error) == "HTTP 429"  # as logged: no colon before words that are not there


def test_a_result_link_success_is_read_up_to_the_same_limit(fresh_sandbox, connection):
    # Kombo answers a result link with a few kilobytes; a megabyte is no such answer. The
    # link may well have been added, and the message says so.
    warning = "x" * (2 * ANSWER_LIMIT_BYTES)
    body = f'{{"status": "success", "data": {{}}, "warnings": [{{"message": "{warning}"}}]}}'
    fresh_sandbox.inject_fault(Fault.raw(body), times=1)
    with pytest.raises(UnexpectedResponseError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.reason.startswith("the answer was cut after its first 1 MiB")
    assert caught.value.may_have_been_applied is True
    assert "may already have been added" in describe_error(caught.value).text


def test_only_a_reads_json_success_is_read_past_the_limit(fresh_sandbox, connection):
    # A page of many candidates runs to megabytes and is read whole; the same bytes that
    # do not say they are JSON are cut like any answer the client does not expect.
    someone = fresh_sandbox.candidates[0]
    count = ANSWER_LIMIT_BYTES // len(json.dumps(someone)) + 50
    results = [{**someone, "id": f"{someone['id']}{n}"} for n in range(count)]
    page = json.dumps({"status": "success", "data": {"next": None, "results": results}})
    assert len(page) > ANSWER_LIMIT_BYTES

    async def search() -> Any:
        async with KomboClient(connection) as client:
            return await client.find_candidates(email="someone@example.com")

    fresh_sandbox.inject_fault(Fault.raw(page), path_contains="/ats/candidates", times=1)
    assert len(run(search()).page.results) == count
    fresh_sandbox.inject_fault(
        Fault.raw(page, content_type="text/plain"), path_contains="/ats/candidates", times=1
    )
    with pytest.raises(UnexpectedResponseError) as caught:
        run(search())
    assert caught.value.reason.startswith("the answer was cut after its first 1 MiB")
    assert caught.value.may_have_been_applied is False


def test_connection_refused_was_not_applied():
    closed = Connection.create(
        api_key=DEMO_API_KEY,
        integration_id=DEMO_INTEGRATION_ID,
        base_url=f"http://127.0.0.1:{free_port()}/v1",
    )
    with pytest.raises(NetworkError) as caught:
        run(send(closed, Target.parse(TargetKind.CANDIDATE, "abc")))
    assert caught.value.kind is NetworkErrorKind.CONNECT
    assert caught.value.may_have_been_applied is False


def test_tls_failure_is_named(fresh_sandbox):
    # The sandbox speaks plain HTTP; an https client gets a TLS handshake failure.
    tls = Connection.create(
        api_key=DEMO_API_KEY,
        integration_id=DEMO_INTEGRATION_ID,
        base_url=f"https://127.0.0.1:{fresh_sandbox.port}/v1",
    )
    with pytest.raises(NetworkError) as caught:
        run(send(tls, candidate(fresh_sandbox)))
    assert caught.value.kind is NetworkErrorKind.TLS


def test_unresolvable_host_is_named():
    nowhere = Connection.create(
        api_key=DEMO_API_KEY,
        integration_id=DEMO_INTEGRATION_ID,
        base_url="https://kombo-desktop-test.invalid/v1",
    )
    with pytest.raises(NetworkError) as caught:
        run(send(nowhere, Target.parse(TargetKind.CANDIDATE, "abc"), timeouts=Timeouts(5, 5)))
    assert caught.value.kind is NetworkErrorKind.DNS


@pytest.mark.parametrize(
    "hostile_id", ["../../check-api-key", "...", "a/b", "x?y=1#z", "é ü", "%2F", "abc/..", "%2E%2E"]
)
def test_no_id_changes_which_path_is_requested(fresh_sandbox, connection, hostile_id):
    with pytest.raises(KomboApiError) as caught:
        run(send(connection, Target.parse(TargetKind.CANDIDATE, hostile_id)))
    assert caught.value.status_code == 404  # the candidate is unknown: the route was right
    path = fresh_sandbox.requests[-1].path
    prefix, suffix = "/v1/ats/candidates/", "/result-links"
    assert path.startswith(prefix)
    assert path.endswith(suffix)
    segment = path[len(prefix) : -len(suffix)]
    assert "/" not in segment
    assert "?" not in segment
    assert "#" not in segment
    assert unquote(segment) == hostile_id


@pytest.mark.parametrize("dots", [".", "..", " .. "])
def test_an_id_of_one_or_two_dots_alone_is_refused_at_its_field(dots):
    # Sent, even encoded (%2E%2E), a server that normalizes the URL asks for another path.
    with pytest.raises(InputError) as caught:
        Target.parse(TargetKind.CANDIDATE, dots)
    assert caught.value.fields == ("target_id",)
    assert caught.value.message_for("target_id") == (
        "cannot be “.” or “..” alone: in the address, it would change where the request goes"
    )


def test_the_sandbox_resolves_dot_segments_as_a_normalizing_server_does(fresh_sandbox):
    # The sandbox routes as strictly as such a server: "%2E%2E" climbs out of the
    # candidate's path, so a dot ID sent would not reach a result-links route.
    sent = httpx.post(
        f"{fresh_sandbox.base_url}/ats/candidates/%2E%2E/result-links",
        headers={
            "Authorization": f"Bearer {DEMO_API_KEY}",
            "X-Integration-Id": DEMO_INTEGRATION_ID,
        },
        json={"label": "L", "url": "https://example.com/r"},
    )
    assert sent.status_code == 404
    error = sent.json()["error"]
    assert (error["code"], error["title"]) == (None, "Not found")  # no such endpoint
    assert parse_target("/v1/ats/candidates/%2E/result-links").segments == (
        "v1", "ats", "candidates", "result-links"
    )  # fmt: skip


@pytest.mark.parametrize("bad_id", ["", "   ", "abc\ndef", "tab\there", "nul\x00"])
def test_control_characters_and_blank_ids_are_refused(bad_id):
    with pytest.raises(InputError) as caught:
        Target.parse(TargetKind.CANDIDATE, bad_id)
    assert caught.value.fields == ("target_id",)


def test_ids_are_trimmed():
    assert Target.parse(TargetKind.APPLICATION, "  abc \n").id == "abc"


def test_find_candidates_by_email_name_and_pages(fresh_sandbox, connection):
    seeded = fresh_sandbox.candidates
    someone = seeded[0]
    email = someone["email_addresses"][0]["email_address"]
    with SyncKomboClient(connection) as client:
        by_email = client.find_candidates(email=email.upper())
        assert [c.id for c in by_email.page.results] == [someone["id"]]
        by_name = client.find_candidates(last_name=someone["last_name"])
        assert someone["id"] in {c.id for c in by_name.page.results}
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            result = client.find_candidates(page_size=7, cursor=cursor)
            pages += 1
            seen.extend(c.id for c in result.page.results)
            cursor = result.page.next
            if cursor is None:
                break
    assert sorted(seen) == sorted(c["id"] for c in seeded)
    assert pages == -(-len(seeded) // 7)
    assert fresh_sandbox.requests[0].path.startswith("/v1/ats/candidates?")


def test_check_api_key(fresh_sandbox, connection):
    with SyncKomboClient(connection) as client:
        outcome, check = client.check_api_key()
    assert check.environment_id == DEMO_ENVIRONMENT_ID
    assert outcome.status_code == 200
    assert "x-integration-id" not in fresh_sandbox.requests[-1].headers


def test_concurrent_requests_share_one_client(fresh_sandbox, connection):
    fresh_sandbox.set_latency(100)
    targets = [candidate(fresh_sandbox, i) for i in range(8)]

    async def go() -> list[Any]:
        async with KomboClient(connection, max_connections=8) as client:
            return await asyncio.gather(*(client.add_result_link(t, REQUEST) for t in targets))

    outcomes = run(go())
    assert [o.status_code for o in outcomes] == [200] * 8
    assert {r.path.split("/")[4] for r in fresh_sandbox.requests} == {t.id for t in targets}
    assert fresh_sandbox.peak_concurrent_requests > 1  # in flight together, not in turn


def test_an_answer_that_stops_halfway_is_cut_without_waiting_for_the_rest(
    fresh_sandbox, connection
):
    # Read as it streams in: the client stops at the limit and drops the connection. Were
    # it to read the whole body first, the stalled rest would end the call in a timeout.
    size = 3 * ANSWER_LIMIT_BYTES
    stall = Fault.stall_midway(huge_page(size), after_bytes=size // 2, seconds=60)
    fresh_sandbox.inject_fault(stall, times=1)
    with pytest.raises(UnexpectedResponseError) as caught:
        run(send(connection, candidate(fresh_sandbox), timeouts=Timeouts(connect=5, read=10)))
    assert caught.value.reason == (
        f"HTTP 502 Bad Gateway: the answer was cut after its first 1 MiB of {size} bytes"
    )
    assert caught.value.may_have_been_applied is True


def test_a_compressed_page_is_cut_without_quoting_its_compressed_size(fresh_sandbox, connection):
    # Content-Length counts the compressed bytes: "1 MiB of 3 kB" would make no sense.
    page = gzip.compress(huge_page(3 * ANSWER_LIMIT_BYTES).encode("ascii"))
    headers = {"Content-Encoding": "gzip"}
    fresh_sandbox.inject_fault(Fault.raw(page, 500, "text/html", headers), times=1)
    with pytest.raises(UnexpectedResponseError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert caught.value.reason == (
        "HTTP 500 Internal Server Error: the answer was cut after its first 1 MiB"
    )


@pytest.mark.parametrize(("status", "applied"), [(200, True), (400, False)])
def test_a_body_that_cannot_be_decompressed_is_an_unexpected_answer(
    fresh_sandbox, connection, status: int, applied: bool
):
    # A proxy that says gzip and sends something else. Kombo answered with this status: a
    # success means the link was added, whatever became of the body on the way.
    headers = {"Content-Encoding": "gzip"}
    fresh_sandbox.inject_fault(Fault.raw(b"not gzip at all", status, headers=headers), times=1)
    with pytest.raises(UnexpectedResponseError) as caught:
        run(send(connection, candidate(fresh_sandbox)))
    assert "the answer could not be decoded" in caught.value.reason
    assert caught.value.may_have_been_applied is applied


def test_a_key_echoed_across_the_cut_is_not_shown_in_part(fresh_sandbox, connection):
    # Whole keys are masked wherever an answer shows them; a key the cut splits in two
    # would not be recognised, and its first part would be shown as the raw answer.
    key = connection.api_key
    echo = "Authorization: Bearer "
    # The key starts 20 bytes before the first MiB ends.
    limit = ANSWER_LIMIT_BYTES
    page = "x " * ((limit - 20 - len(echo)) // 2) + f"{echo}{key}\n" + "y" * limit
    assert page.index(key) == limit - 20
    fresh_sandbox.inject_fault(Fault.raw(page, 429, "text/plain"), times=1)
    with pytest.raises(RateLimitedError) as caught:
        run(send(connection, candidate(fresh_sandbox), retry=RetryPolicy(max_retries=0)))
    assert key[:8] not in caught.value.body
    assert caught.value.body.rstrip().endswith(
        f"[the answer was cut after its first 1 MiB of {len(page.encode())} bytes]"
    )


def test_a_timeout_after_a_rate_limit_wait_says_how_long_was_left(fresh_sandbox, connection):
    # The total includes the wait: "no answer within 3 s" after 1 s of waiting and 2 s of
    # trying would contradict the time the detail shows next to it.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    fresh_sandbox.inject_fault(Fault.trickle_body(1.0), times=1)
    limits = Timeouts(connect=2, read=2, total=3)
    with pytest.raises(NetworkError) as caught:
        run(send(connection, candidate(fresh_sandbox), timeouts=limits))
    assert caught.value.detail.startswith("No complete answer within the ")
    assert caught.value.detail.endswith(" s left of the 3 s allowed")
    assert caught.value.may_have_been_applied is True


def test_a_body_the_server_stops_reading_is_a_write_timeout(connection) -> None:
    # A server (or a proxy) that takes the connection and then stops reading: the body
    # no longer fits in the connection's buffers, and sending it times out.
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    accepted: list[socket.socket] = []
    taking = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    taking.start()
    port = listener.getsockname()[1]
    stalled = Connection.create(
        api_key=connection.api_key,
        integration_id=connection.integration_id,
        base_url=f"http://127.0.0.1:{port}/v1",
    )
    huge = ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        custom_field_name_prefix="Acme:",
        attributes=[("Notes", "x" * (48 * 1024 * 1024))],
    )

    async def go() -> None:
        async with KomboClient(stalled, timeouts=Timeouts(connect=2, read=0.3)) as client:
            await client.add_result_link(Target.parse(TargetKind.CANDIDATE, "c1"), huge)

    try:
        with pytest.raises(NetworkError) as caught:
            run(go())
    finally:
        for sock in (*accepted, listener):
            sock.close()
    assert caught.value.kind is NetworkErrorKind.WRITE_TIMEOUT
    # Part of the request went out, and the app cannot know what became of it: it says
    # the link may have been added, and Retry asks first.
    assert caught.value.may_have_been_applied is True
    message = describe_error(caught.value)
    assert message.text.startswith("Sending to Kombo took too long.")
    assert "may already have been added" in message.text
