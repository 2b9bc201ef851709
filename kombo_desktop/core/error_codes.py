"""Kombo's documented error codes, grouped by what each says about the request.

The client decides from these groups whether a failed POST may still have taken
effect, and (``is_rate_limit``) whether it may be sent again after a wait;
``core.messages`` words every one of them, and tells from
``READ_OF_CANDIDATES_REFUSED`` what a connection test's refused read means. A code
outside all groups is new to us and is shown as Kombo sent it (a 429 under it is still
a rate limit).
"""

from __future__ import annotations

#: "Not processed": safe to send again after the advised delay.
RATE_LIMITED = frozenset(
    {
        "PLATFORM.RATE_LIMIT_EXCEEDED",
        "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
        "REMOTE.RATE_LIMIT_EXCEEDED",
    }
)

#: Transient or unknown faults: a POST may or may not have taken effect.
UNCERTAIN = frozenset(
    {
        "REMOTE.SERVICE_UNAVAILABLE",
        "REMOTE.UNKNOWN_HTTP_ERROR",
        "PLATFORM.UNKNOWN_ERROR",
        "PLATFORM.TASK_TIMED_OUT",
    }
)

#: Refused for sure, whatever the HTTP status: the profile, the form, the customer's
#: integration or the ATS's own rules must change first.
REFUSED = frozenset(
    {
        "PLATFORM.AUTHENTICATION_INVALID",
        "PLATFORM.IP_NOT_WHITELISTED",
        "PLATFORM.INTEGRATION_NOT_FOUND",
        "PLATFORM.INPUT_INVALID",
        "REMOTE.INPUT_INVALID",
        "INTEGRATION.PERMISSION_MISSING",
        "INTEGRATION.ACTION_NOT_AVAILABLE",
        "INTEGRATION.ACTION_DISABLED",
        "INTEGRATION.MODEL_NOT_AVAILABLE",
        "INTEGRATION.MODEL_DISABLED",
        "INTEGRATION.INACTIVE",
        "INTEGRATION.AUTHENTICATION_INVALID",
        "INTEGRATION.SETUP_INCOMPLETE",
        "INTEGRATION.QA_FAILED",
        "INTEGRATION.SETUP_SYNC_PENDING",
        "ATS.JOB_CLOSED",
        "ATS.APPLICATION_ALREADY_EXISTS",
    }
)

#: Every code Kombo documents.
KNOWN = RATE_LIMITED | UNCERTAIN | REFUSED

#: Refusals of a read of candidates for what the key or the integration may do, not for
#: the integration ID: Kombo sends them only once it has found the integration. A
#: connection test refused so knows the ID is right, but not whether result links can
#: be added.
READ_OF_CANDIDATES_REFUSED = frozenset(
    {
        "INTEGRATION.PERMISSION_MISSING",
        "INTEGRATION.ACTION_NOT_AVAILABLE",
        "INTEGRATION.ACTION_DISABLED",
        "INTEGRATION.MODEL_NOT_AVAILABLE",
        "INTEGRATION.MODEL_DISABLED",
    }
)

#: The customer's integration's own state, as Kombo names it: found, and not usable now
#: (inactive, its set-up or first sync not finished, its sign-in to the ATS gone). A
#: connection test answered so has checked the integration.
INTEGRATION_NOT_USABLE_NOW = frozenset(
    {
        "INTEGRATION.INACTIVE",
        "INTEGRATION.AUTHENTICATION_INVALID",
        "INTEGRATION.SETUP_INCOMPLETE",
        "INTEGRATION.QA_FAILED",
        "INTEGRATION.SETUP_SYNC_PENDING",
    }
)


def is_rate_limit(code: str | None, status: int) -> bool:
    """Whether an error answer with ``code`` and HTTP ``status`` is a rate limit: not
    processed, safe to send again after the advised delay.

    A known code decides, whatever the status. A 429 decides when its code cannot: none,
    empty, or one this version does not know yet (Kombo adds codes over time, and a 429
    is "slow down" whatever it is called).
    """
    if code in RATE_LIMITED:
        return True
    return status == 429 and (not code or code not in KNOWN)
