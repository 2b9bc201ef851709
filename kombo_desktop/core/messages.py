"""The one place that turns Kombo's answers and the client's errors into words for people.

The GUI and the command line both call ``describe_error`` and ``describe_success``;
neither writes its own wording.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

from kombo_desktop.core.client import ApiOutcome
from kombo_desktop.core.errors import (
    InputError,
    KomboApiError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    UnexpectedResponseError,
)
from kombo_desktop.core.logs import redact
from kombo_desktop.core.secrets import SecretStoreError


class Severity(enum.Enum):
    """How the outcome should look."""

    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class Remedy(enum.Enum):
    """What the person can do next; the GUI picks actions from this."""

    NONE = "none"
    FIX_INPUT = "fix the form"
    FIX_PROFILE = "check the profile (key, IP allow-list, integration)"
    FIX_INTEGRATION = "the integration must be changed in Kombo or the ATS"
    WAIT = "wait and try again later"
    RETRY = "try again"
    RETRY_MAY_DUPLICATE = "try again, accepting that a duplicate link may result"


@dataclass(frozen=True)
class UserMessage:
    """A short plain-language ``text``, a technical ``detail`` and what to do next."""

    severity: Severity
    text: str
    detail: str
    remedy: Remedy = Remedy.NONE
    log_url: str | None = None
    may_have_been_applied: bool = False
    code: str | None = None
    status_code: int | None = None

    def __post_init__(self) -> None:
        # Both quote text from elsewhere (Kombo's own message, httpx and keyring backends)
        # and are shown and copied as they are: mask any key here, where every message is
        # made.
        object.__setattr__(self, "text", redact(self.text))
        object.__setattr__(self, "detail", redact(self.detail))

    @property
    def retry_warning(self) -> str | None:
        """What a person must know before retrying, when a duplicate is possible."""
        if not self.may_have_been_applied:
            return None
        return (
            "Kombo may already have added this result link. Sending it again can leave "
            "a duplicate link in the customer's ATS."
        )


_CODE_TEXT: dict[str, tuple[str, Remedy]] = {
    "PLATFORM.RATE_LIMIT_EXCEEDED": (
        "Kombo is receiving too many requests from this account. Wait a moment and try again.",
        Remedy.WAIT,
    ),
    "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED": (
        "Too many requests are running at once for this account. Wait a moment and try again.",
        Remedy.WAIT,
    ),
    "REMOTE.RATE_LIMIT_EXCEEDED": (
        "The customer's ATS is limiting requests right now. Wait a moment and try again.",
        Remedy.WAIT,
    ),
    "PLATFORM.AUTHENTICATION_INVALID": (
        "Kombo did not accept the API key. Check the key in this profile.",
        Remedy.FIX_PROFILE,
    ),
    "PLATFORM.IP_NOT_WHITELISTED": (
        "Kombo refused this computer's IP address. Ask for it to be added to the "
        "allowed IPs in the Kombo dashboard.",
        Remedy.FIX_PROFILE,
    ),
    "PLATFORM.INTEGRATION_NOT_FOUND": (
        "Kombo does not know this integration ID. Check the integration ID in the profile.",
        Remedy.FIX_PROFILE,
    ),
    "PLATFORM.INPUT_INVALID": (
        "Kombo rejected what was sent. Correct the form and send again.",
        Remedy.FIX_INPUT,
    ),
    "REMOTE.INPUT_INVALID": (
        "The customer's ATS rejected what was sent. Correct the form and send again.",
        Remedy.FIX_INPUT,
    ),
    "INTEGRATION.PERMISSION_MISSING": (
        "This integration is not allowed to add result links. The customer's scope in "
        "Kombo needs the “Add result links” permission; trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.ACTION_NOT_AVAILABLE": (
        "This ATS does not support adding result links through Kombo. Trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.ACTION_DISABLED": (
        "Adding result links is turned off for this integration in Kombo. Trying again "
        "will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.MODEL_NOT_AVAILABLE": (
        "This ATS does not offer the data needed for this request. Trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.MODEL_DISABLED": (
        "The data needed for this request is turned off for this integration in Kombo.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.INACTIVE": (
        "This customer's integration is inactive in Kombo. It must be reactivated first.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.AUTHENTICATION_INVALID": (
        "Kombo can no longer sign in to the customer's ATS. The customer must reconnect "
        "the integration.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.SETUP_INCOMPLETE": (
        "The customer's integration is not fully set up yet. Someone must finish the setup "
        "in Kombo.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.QA_FAILED": (
        "The customer's integration failed Kombo's quality check and needs attention "
        "from Kombo or the customer.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.SETUP_SYNC_PENDING": (
        "The customer's integration is still running its first sync. Try again when it "
        "has finished; this can take hours.",
        Remedy.WAIT,
    ),
    "REMOTE.SERVICE_UNAVAILABLE": (
        "The customer's ATS is not answering right now.",
        Remedy.RETRY,
    ),
    "REMOTE.UNKNOWN_HTTP_ERROR": (
        "The customer's ATS answered with an unexpected error.",
        Remedy.RETRY,
    ),
    "PLATFORM.UNKNOWN_ERROR": (
        "Kombo ran into an unexpected error.",
        Remedy.RETRY,
    ),
    "PLATFORM.TASK_TIMED_OUT": (
        "Kombo took too long to finish the request.",
        Remedy.RETRY,
    ),
    "ATS.JOB_CLOSED": (
        "The ATS refused because the job is closed.",
        Remedy.FIX_INPUT,
    ),
    "ATS.APPLICATION_ALREADY_EXISTS": (
        "The ATS refused because this application already exists.",
        Remedy.FIX_INPUT,
    ),
}

_STATUS_TEXT: list[tuple[range, str, Remedy]] = [
    (range(400, 401), "Kombo rejected the request as invalid.", Remedy.FIX_INPUT),
    (range(401, 402), "Kombo did not accept the API key.", Remedy.FIX_PROFILE),
    (range(403, 404), "Kombo refused access.", Remedy.FIX_PROFILE),
    (range(404, 405), "Kombo could not find what was asked for. Check the ID.", Remedy.FIX_INPUT),
    (range(409, 410), "The customer's integration is not ready for this request.", Remedy.WAIT),
    (range(429, 430), "Too many requests. Wait a moment and try again.", Remedy.WAIT),
    (range(400, 500), "Kombo rejected the request.", Remedy.FIX_INPUT),
    (range(500, 600), "Kombo or the customer's ATS had a problem.", Remedy.RETRY),
]

_NETWORK_TEXT: dict[NetworkErrorKind, str] = {
    NetworkErrorKind.CONNECT: "Could not reach Kombo. Check the internet connection.",
    NetworkErrorKind.DNS: "Could not find Kombo's server. Check the internet connection "
    "and the server address.",
    NetworkErrorKind.TLS: "Could not open a secure connection to Kombo. A proxy or the "
    "computer's clock may be interfering.",
    NetworkErrorKind.CONNECT_TIMEOUT: "Kombo did not answer in time while connecting. "
    "Check the internet connection.",
    NetworkErrorKind.READ_TIMEOUT: "Kombo did not answer in time.",
    NetworkErrorKind.WRITE_TIMEOUT: "Sending to Kombo took too long.",
    NetworkErrorKind.DISCONNECTED: "The connection to Kombo broke before an answer arrived.",
    NetworkErrorKind.OTHER: "A network problem stopped the request.",
}

APPLIED_NOTE = " The result link may already have been added: check the ATS before sending again."


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def describe_error(error: BaseException) -> UserMessage:
    """A plain-language message and technical detail for anything a request can raise."""
    if isinstance(error, InputError):
        lines = [f"{e.field}: {e.message}" for e in error.errors]
        return UserMessage(
            Severity.ERROR,
            "Some fields need attention before sending.",
            "\n".join(lines),
            Remedy.FIX_INPUT,
        )
    if isinstance(error, KomboApiError):
        return _describe_api_error(error)
    if isinstance(error, SecretStoreError):
        # The keyring's own words already say what happened and what to do.
        return UserMessage(
            Severity.ERROR,
            error.message,
            error.detail or type(error).__name__,
            Remedy.FIX_PROFILE,
        )
    if isinstance(error, NetworkError):
        text = _NETWORK_TEXT[error.kind]
        if error.may_have_been_applied:
            text += APPLIED_NOTE
        detail = _join(
            f"Network error: {error.kind.value}",
            f"{error.request.method} {error.request.url}",
            error.detail,
            f"After {error.elapsed_s:.2f} s",
        )
        return UserMessage(
            Severity.ERROR,
            text,
            detail,
            Remedy.RETRY_MAY_DUPLICATE if error.may_have_been_applied else Remedy.RETRY,
            may_have_been_applied=error.may_have_been_applied,
        )
    if isinstance(error, UnexpectedResponseError):
        text = "Kombo sent an answer this app does not understand."
        if error.may_have_been_applied:
            text += APPLIED_NOTE
        detail = _join(
            f"HTTP {error.status_code}: {error.reason}",
            f"{error.request.method} {error.request.url}",
            f"Content-Type: {error.content_type or '(none)'}",
            "Start of the answer:",
            error.excerpt or "(empty)",
        )
        return UserMessage(
            Severity.ERROR,
            text,
            detail,
            Remedy.RETRY_MAY_DUPLICATE if error.may_have_been_applied else Remedy.RETRY,
            may_have_been_applied=error.may_have_been_applied,
            status_code=error.status_code,
        )
    if isinstance(error, asyncio.CancelledError):
        return UserMessage(
            Severity.WARNING,
            "Cancelled. The result link may or may not have been added.",
            "The request was cancelled before an answer arrived.",
            Remedy.RETRY_MAY_DUPLICATE,
            may_have_been_applied=True,
        )
    return UserMessage(
        Severity.ERROR,
        "Something went wrong inside Kombo Desktop. The form is unchanged.",
        f"{type(error).__name__}: {error}",
        Remedy.RETRY,
    )


def _describe_api_error(error: KomboApiError) -> UserMessage:
    known = _CODE_TEXT.get(error.code) if error.code else None
    if known is not None:
        text, remedy = known
    elif error.code:
        # A code this version does not know yet: show Kombo's own words.
        text, remedy = f"Kombo answered: {error.message}", _remedy_for_status(error.status_code)
    else:
        text, remedy = _status_text(error.status_code)
    if isinstance(error, RateLimitedError) and error.retry_after_s is not None:
        text += f" Kombo asked to wait {error.retry_after_s:.0f} s."
    if error.may_have_been_applied:
        text += APPLIED_NOTE
        remedy = Remedy.RETRY_MAY_DUPLICATE
    if known is not None or not error.code:
        text = _join(text, f"Kombo said: {error.message}") if error.message else text
    detail = _join(
        f"Code: {error.code or '(none)'}",
        f"Title: {error.title}" if error.title else None,
        f"Message: {error.message}",
        f"HTTP status: {error.status_code}",
        f"{error.request.method} {error.request.url}",
        f"Log: {error.log_url}" if error.log_url else None,
    )
    return UserMessage(
        Severity.ERROR,
        text,
        detail,
        remedy,
        log_url=error.log_url,
        may_have_been_applied=error.may_have_been_applied,
        code=error.code,
        status_code=error.status_code,
    )


def _status_text(status: int) -> tuple[str, Remedy]:
    for statuses, text, remedy in _STATUS_TEXT:
        if status in statuses:
            return text, remedy
    return f"Kombo answered with HTTP {status}.", Remedy.RETRY


def _remedy_for_status(status: int) -> Remedy:
    return _status_text(status)[1]


def describe_rate_limit_wait(delay_s: float, attempt: int) -> str:
    """Progress while the client waits out a rate limit before trying again."""
    return f"Kombo asked to slow down; trying again in {delay_s:.0f} s (retry {attempt})."


def describe_success(outcome: ApiOutcome) -> UserMessage:
    """The message for a result link that Kombo accepted, warnings counted."""
    count = len(outcome.warnings)
    if count:
        noun = "warning" if count == 1 else "warnings"
        text = f"Success: the result link was added, with {count} {noun} from Kombo."
    else:
        text = "Success: the result link was added."
    detail = _join(
        f"HTTP status: {outcome.status_code}",
        f"{outcome.request.method} {outcome.request.url}",
        f"Took {outcome.elapsed_s:.2f} s",
    )
    return UserMessage(
        Severity.WARNING if count else Severity.SUCCESS,
        text,
        detail,
        status_code=outcome.status_code,
    )
