"""The exceptions the core raises, as one hierarchy that callers branch on.

``KomboDesktopError``
├── ``InputError``              invalid input, found before anything was sent
├── ``KomboApiError``           Kombo answered with its error envelope
│   └── ``RateLimitedError``    a rate or concurrency limit: safe to retry later
├── ``NetworkError``            no usable answer: refused, DNS, TLS, timeout, dropped
├── ``UnexpectedResponseError`` an answer that is not Kombo's JSON shape
└── ``FaultAfterSending``       the app itself failed once the request had gone out
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kombo_desktop.core.kinds import TargetKind

#: How much of an unexpected body is kept for the detail view.
EXCERPT_CHARS = 500


class KomboDesktopError(Exception):
    """Base class of every error the core raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``field`` is a dotted path in the form's terms, e.g. ``label``, ``url``,
    ``custom_field_name_prefix``, ``attributes[2].key``, ``remote_fields``,
    ``target_id``, ``integration_id``, ``base_url``, ``api_key``.

    ``missing`` is true when the field was left blank and must be filled in, so that
    callers can say "fill in …" without reading ``message`` (whose wording may change).
    """

    field: str
    message: str
    missing: bool = False


class InputError(KomboDesktopError, ValueError):
    """Input that cannot be sent; nothing went over the network."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        # Its words are joined when they are read, which is seldom: the form makes one at
        # every key typed, at times with thousands of table rows at fault.
        super().__init__()

    def __str__(self) -> str:
        return "; ".join([f"{e.field}: {e.message}" for e in self.errors])

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields at fault, in order."""
        return tuple(e.field for e in self.errors)

    def message_for(self, field: str) -> str | None:
        """The first message for ``field``, or ``None`` when that field is fine."""
        return next((e.message for e in self.errors if e.field == field), None)


class RequestPurpose(enum.Enum):
    """What a request is for, set where the request is built.

    An answer is worded after it: the same refusal means "cannot add result links" for
    one request and "cannot read candidates" for another.
    """

    ADD_RESULT_LINK = "add a result link"
    SEARCH_CANDIDATES = "search candidates"
    CHECK_API_KEY = "check the API key"


@dataclass(frozen=True)
class RequestInfo:
    """What was sent, for the technical detail (never includes headers or keys).

    ``target_kind`` is what a result link was sent to (a candidate or an application),
    so that "not found" names it; ``None`` for requests that write to neither.

    ``proxy`` is the ``host:port`` of the computer's proxy the request went through
    (``proxies.ProxyRoute.address``, never the proxy's sign-in), ``None`` when it went
    direct: part of what was sent, so that every outcome (a success, Kombo's error, a
    failure on the way) says which way it went.
    """

    method: str
    url: str
    purpose: RequestPurpose
    target_kind: TargetKind | None = None
    proxy: str | None = None


class KomboApiError(KomboDesktopError):
    """Kombo answered with ``{"status": "error", "error": {...}}``.

    ``may_have_been_applied`` is true when the request was a POST and the answer
    does not rule out that it took effect (5xx, timeouts reported by Kombo, the envelope
    under a success status without a code that says it was refused).
    """

    def __init__(
        self,
        *,
        status_code: int,
        code: str | None,
        title: str | None,
        message: str,
        log_url: str | None,
        request: RequestInfo,
        body: str,
        elapsed_s: float,
        may_have_been_applied: bool = False,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.title = title
        self.message = message
        self.log_url = log_url
        self.request = request
        self.body = body
        self.elapsed_s = elapsed_s
        self.may_have_been_applied = may_have_been_applied
        name = code or f"HTTP {status_code}"
        super().__init__(f"{name}: {message}" if message else name)


class RateLimitedError(KomboApiError):
    """A rate or concurrency limit answered; Kombo did not process the request.

    ``retry_after_s`` is the delay Kombo advised, or ``None`` when it gave none.
    """

    def __init__(self, *, retry_after_s: float | None, **kwargs: object) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(**kwargs)  # type: ignore[arg-type]


#: The message of the ``asyncio.CancelledError`` a call raises when it is cancelled while
#: it waits to try again after Kombo's rate limit: Kombo refused the last attempt and
#: nothing else went out, so nothing of the call was processed. (Still a cancellation,
#: so that ``asyncio``'s timeouts and task groups work as ever.)
CANCELLED_WHILE_WAITING = "cancelled while waiting to try again after a rate limit"

#: The message of the ``asyncio.CancelledError`` a job is answered with when it was
#: cancelled while it waited for its turn on the network thread: nothing went out.
CANCELLED_BEFORE_SENDING = "cancelled before it was sent"

#: The message of the ``asyncio.CancelledError`` a call raises when it is cancelled while
#: its connection was still being made (TCP, TLS, a proxy's tunnel): not one byte of the
#: request went out, as a timeout at the same moment knows (``NetworkErrorKind.CONNECT_TIMEOUT``).
CANCELLED_WHILE_CONNECTING = "cancelled while connecting, before the request went out"

#: The messages of the cancellations known to have sent nothing of what was cancelled.
_NOTHING_SENT_CANCELS = (
    CANCELLED_WHILE_WAITING,
    CANCELLED_BEFORE_SENDING,
    CANCELLED_WHILE_CONNECTING,
)


def cancelled_with_nothing_sent(cancelled: BaseException) -> bool:
    """True for a cancellation whose message says nothing of the request went out (see
    ``CANCELLED_WHILE_WAITING``, ``CANCELLED_BEFORE_SENDING``, ``CANCELLED_WHILE_CONNECTING``):
    an answer in its own words, not a cancel that may have added the link."""
    return len(cancelled.args) == 1 and cancelled.args[0] in _NOTHING_SENT_CANCELS


#: The longest wait a ``Retry-After`` is taken to ask for. Rate limits reset within
#: minutes; a longer wait comes from a misconfigured server or proxy ("inf", a date in
#: the year 9999). Past a day the exact figure tells a person no more than "a day or
#: more" does (``messages`` words it so), and a bounded number keeps the countdown and
#: the clock arithmetic sound.
MAX_RETRY_AFTER_S = 24 * 60 * 60.0


class NetworkErrorKind(enum.Enum):
    """Which part of the connection failed."""

    CONNECT = "connection refused or unreachable"
    DNS = "host name could not be resolved"
    TLS = "secure connection (TLS) failed"
    CONNECT_TIMEOUT = "timed out while connecting"
    READ_TIMEOUT = "timed out waiting for the answer"
    WRITE_TIMEOUT = "timed out while sending"
    DISCONNECTED = "connection closed without an answer"
    OTHER = "network error"


class NetworkError(KomboDesktopError):
    """No usable answer arrived."""

    def __init__(
        self,
        kind: NetworkErrorKind,
        *,
        request: RequestInfo,
        detail: str,
        may_have_been_applied: bool,
        elapsed_s: float,
    ) -> None:
        self.kind = kind
        self.request = request
        self.detail = detail
        self.may_have_been_applied = may_have_been_applied
        self.elapsed_s = elapsed_s
        super().__init__(f"{kind.value}: {detail}")


def is_redirect(status: int) -> bool:
    """True for a 3xx: the server sent the request elsewhere instead of answering it
    (Kombo's API never does; the client follows no redirect)."""
    return 300 <= status < 400


class UnexpectedResponseError(KomboDesktopError):
    """An answer that is not Kombo's JSON: an HTML error page, plain text, a wrong shape,
    a redirect.

    ``excerpt`` is given the answer's text (keys masked), and keeps its start for the
    technical detail; ``body`` keeps all of it, as ``KomboApiError.body`` does, for the
    raw answer shown and copied (an answer not understood is the one someone must read).

    ``redirect_to`` is where a redirect (a 3xx) pointed, keys masked; ``None`` for any
    other answer, and for a redirect that named no place.
    """

    def __init__(
        self,
        *,
        status_code: int,
        content_type: str,
        excerpt: str,
        reason: str,
        request: RequestInfo,
        elapsed_s: float,
        may_have_been_applied: bool,
        redirect_to: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.content_type = content_type
        self.body = excerpt
        self.excerpt = excerpt[:EXCERPT_CHARS]
        self.reason = reason
        self.request = request
        self.elapsed_s = elapsed_s
        self.may_have_been_applied = may_have_been_applied
        self.redirect_to = redirect_to
        super().__init__(f"HTTP {status_code}: {reason}")


class FaultAfterSending(KomboDesktopError):
    """Kombo Desktop itself failed once the request had gone out: reading or
    understanding the answer raised (a fault of the app, not of Kombo or the network).

    Raised from that fault. ``may_have_been_applied`` is true for a POST: Kombo may have
    added the link before the app failed on its answer, and sending again may add it twice.
    ``detail`` names the fault (its type and words, keys masked).
    """

    def __init__(
        self,
        *,
        request: RequestInfo,
        detail: str,
        may_have_been_applied: bool,
        elapsed_s: float,
    ) -> None:
        self.request = request
        self.detail = detail
        self.may_have_been_applied = may_have_been_applied
        self.elapsed_s = elapsed_s
        super().__init__(f"fault after sending: {detail}")
