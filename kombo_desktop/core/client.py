"""The one Kombo API client, on httpx.

Async at its core so that a batch can run requests concurrently; ``SyncKomboClient``
wraps it for the command line. Retries follow Kombo's rules: only rate-limit answers
are retried by themselves, since adding a result link is not idempotent. Answers are
read as they stream in, and only as far as is worth reading (``ANSWER_LIMIT_BYTES``).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from kombo_desktop.core import error_codes
from kombo_desktop.core.connection import (
    BaseUrlUnusable,
    Connection,
    Environment,
    ipv4_host_problem,
)
from kombo_desktop.core.errors import (
    CANCELLED_WHILE_CONNECTING,
    CANCELLED_WHILE_WAITING,
    MAX_RETRY_AFTER_S,
    FaultAfterSending,
    KomboApiError,
    KomboDesktopError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    RequestInfo,
    UnexpectedResponseError,
    is_redirect,
)
from kombo_desktop.core.event_loops import new_event_loop
from kombo_desktop.core.logs import mask_keys, register_secret
from kombo_desktop.core.models import (
    ApiKeyCheck,
    CandidatePage,
    ErrorEnvelope,
    ResultLinkRequest,
    SuccessEnvelope,
    Target,
)
from kombo_desktop.core.proxies import ProxyChoice, ProxyRoute, choose_proxy, tls_context
from kombo_desktop.core.requests import (
    PreparedCall,
    check_api_key_call,
    find_candidates_call,
    result_link_call,
)
from kombo_desktop.core.text import (
    half_character,
    half_character_problem,
    without_byte_order_mark,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The most of an answer read when it is not a read's JSON success: any error (Kombo's
#: envelope is a few hundred bytes, but a proxy's or a server's error page can be of any
#: size), any answer that does not say it is JSON, and a result link's success (Kombo
#: answers ``{"status": "success", "data": {}, "warnings": [...]}``, a few kilobytes
#: even with many warnings). The start is what helps anyone; reading more would only
#: hold the window and fill the memory.
ANSWER_LIMIT_BYTES = 1024 * 1024

#: The most read of a JSON success to a read: a page of up to 250 candidates, each with
#: applications, custom fields and tags, runs to a few megabytes.
READ_ANSWER_LIMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and for each read of the answer.

    ``total``, when set, bounds the whole exchange, from sending to the last byte of
    the answer: a server that trickles its answer a byte at a time passes every read
    limit and would otherwise keep the caller waiting for as long as it likes.
    """

    connect: float = 10.0
    read: float = 60.0
    total: float | None = None

    def to_httpx(self) -> httpx.Timeout:
        """The same limits for httpx; writes and pool waits share the read limit."""
        return httpx.Timeout(self.read, connect=self.connect)


@dataclass(frozen=True)
class RetryPolicy:
    """How rate-limit answers are retried (the only answers retried by themselves).

    ``max_delay_s`` is the longest the client waits by itself. When Kombo asks for a
    longer wait (``Retry-After``), the client does not retry sooner than asked: it stops
    and reports the answer, whose message says how long Kombo asked to wait.
    """

    max_retries: int = 3
    default_delay_s: float = 2.0
    max_delay_s: float = 120.0


#: Called before each wait: the rate-limit error, the delay in seconds, the retry number.
RateLimitCallback = Callable[[RateLimitedError, float, int], None]


@dataclass(frozen=True)
class ApiOutcome:
    """A successful answer: what came back and how long it took."""

    status_code: int
    elapsed_s: float
    request: RequestInfo
    body: str
    warnings: tuple[str, ...]
    data: Any


@dataclass(frozen=True)
class CandidateSearchOutcome:
    """One page of a candidate search."""

    outcome: ApiOutcome
    page: CandidatePage


@dataclass(frozen=True)
class ConnectionCheckOutcome:
    """What "Test connection" found: the key's check, then a read with the integration.

    A key Kombo accepts says nothing about the integration ID, which only integration
    requests use. ``integration`` is the answer to that read when it succeeded;
    otherwise ``integration_error`` says why it failed (Kombo's refusal, a network
    fault). ``integration_id`` and ``key_environment`` are what was tested.
    """

    key: ApiOutcome
    key_check: ApiKeyCheck
    integration: ApiOutcome | None
    integration_error: KomboDesktopError | None
    integration_id: str
    key_environment: Environment


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), at most
    ``MAX_RETRY_AFTER_S``; None if unusable (absent, malformed, not a finite number)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        when = _http_date(value)
        if when is None:
            return None
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if not math.isfinite(seconds):  # "inf", "1e400", "nan": no wait anyone can keep
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER_S)


def _advised_wait(response: httpx.Response) -> float | None:
    """The wait a rate-limited ``response`` asks for (``parse_retry_after``). A date is
    measured against the server's clock (its ``Date`` header) when it gives one: against
    this computer's, a clock five minutes slow waited five minutes longer, and one five
    minutes fast took the date for past and tried again at once, to be refused again."""
    return parse_retry_after(response.headers.get("retry-after"), now=_answer_date(response))


def _answer_date(response: httpx.Response) -> datetime | None:
    """When the server says it answered (its ``Date`` header); None without a usable one."""
    value = response.headers.get("date")
    return _http_date(value) if value else None


def _http_date(value: str) -> datetime | None:
    """An HTTP date (``Wed, 21 Oct 2026 07:28:00 GMT``) as an aware time; one without a
    zone is UTC, as HTTP dates are. None when it is no date."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _timed_from(error: KomboDesktopError, started: float) -> None:
    """Make the time ``error`` says it took (its ``elapsed_s``, where it has one) that
    since ``started``: the person watched "Sending…" through every rate-limit wait and
    attempt, not only the last one (which said 0.00 s after waits of seconds)."""
    if hasattr(error, "elapsed_s"):
        error.elapsed_s = time.perf_counter() - started


def _network_kind(exc: httpx.TransportError) -> NetworkErrorKind:
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NetworkErrorKind.CONNECT_TIMEOUT
    if isinstance(exc, httpx.ReadTimeout):
        return NetworkErrorKind.READ_TIMEOUT
    if isinstance(exc, httpx.WriteTimeout):
        return NetworkErrorKind.WRITE_TIMEOUT
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLError):
                return NetworkErrorKind.TLS
            cause = cause.__cause__ or cause.__context__
        text = str(exc).lower()
        if any(
            s in text for s in ("name or service", "nodename", "getaddrinfo", "name resolution")
        ):
            return NetworkErrorKind.DNS
        if "ssl" in text or "certificate" in text:
            return NetworkErrorKind.TLS
        return NetworkErrorKind.CONNECT
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkErrorKind.DISCONNECTED
    return NetworkErrorKind.OTHER


def _is_json_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _answer_limit(method: str, response: httpx.Response) -> int:
    """How much of ``response`` is worth reading (see ``ANSWER_LIMIT_BYTES``)."""
    expected = response.is_success and _is_json_type(response.headers.get("content-type", ""))
    return READ_ANSWER_LIMIT_BYTES if expected and method == "GET" else ANSWER_LIMIT_BYTES


def _redirect_target(response: httpx.Response) -> str | None:
    """Where a redirect points (its ``Location``, made absolute against the address
    asked), keys masked as in the rest of the answer; ``None`` when it names no place."""
    location = response.headers.get("location", "").strip()
    if not location:
        return None
    try:
        target = str(response.request.url.join(location))
    except httpx.InvalidURL:
        target = location  # shown as the server wrote it
    return mask_keys(target)


def _why_unusable(error: httpx.InvalidURL | UnicodeError, base_url: str) -> str:
    """Why the HTTP library could not make a request of ``base_url``, in short words for
    ``BaseUrlUnusable`` (its host named only when it can be shown as it is)."""
    half = half_character(base_url)
    if half is not None:
        return f"it {half_character_problem(half)}"
    if isinstance(error, UnicodeEncodeError):
        return "it contains a character that cannot be sent"
    host = urlsplit(base_url).hostname or ""
    named = f" {host}" if host.isascii() and host.isprintable() else ""
    # httpx says what it refused only in its message ("Invalid IPv4 address: …").
    said = str(error)
    if isinstance(error, UnicodeError) or "IDNA" in said:
        # The rules of international names (the idna package's) refused the host.
        return f"its host name{named} is not a valid internet name"
    if "IPv4" in said:
        problem = ipv4_host_problem(host) or "is not an IP address"
        return f"its host{named} {problem}"
    if "IPv6" in said:
        return f"its host{named} is not a valid IPv6 address"
    if "too long" in said:
        return "it is too long"
    return f"it is not an address a request can be sent to ({said.rstrip('.')})"


def _size_words(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size % (1024 * 1024) == 0 else f"{size} bytes"


#: The time a retried POST is left at least for its answer (half the total limit, when
#: that is less): the ATS behind Kombo takes seconds to add a link, where the rate
#: limit's own refusal came back at once.
_TIME_FOR_THE_ATS_S = 20.0

#: Dropped from the end of a cut answer: more than any API key is long, so that a key the
#: server echoed back and the cut split is not shown in part (only whole keys are masked).
_CUT_MARGIN_CHARS = 256


@dataclass(frozen=True)
class _Answer:
    """What was read of an answer's body, and why it is not the whole body, if it is not.

    ``cut_at``: reading stopped after that many bytes. ``undecodable``: the body could
    not be decoded as its headers said (a broken compressed body), so only its start is here.
    """

    text: str
    cut_at: int | None = None
    undecodable: str = ""

    def incomplete_note(self, response: httpx.Response) -> str:
        """Why the body is not whole, for the technical detail; empty when it is whole."""
        if self.undecodable:
            return f"the answer could not be decoded ({self.undecodable})"
        if self.cut_at is None:
            return ""
        length = response.headers.get("content-length", "")
        # Content-Length counts the bytes sent; compressed, they are not the bytes read.
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        of = f" of {length} bytes" if length.isdigit() and encoding in ("", "identity") else ""
        return f"the answer was cut after its first {_size_words(self.cut_at)}{of}"


async def _read_answer(response: httpx.Response, limit: int) -> _Answer:
    """The body up to ``limit`` bytes (decoded), read as it streams in."""
    kept = bytearray()
    cut_at = None
    undecodable = ""
    try:
        async for chunk in response.aiter_bytes():
            room = limit - len(kept)
            if len(chunk) > room:
                kept += chunk[:room]
                cut_at = limit
                break
            kept += chunk
    except httpx.DecodingError as exc:
        # A server or proxy answered with a broken body: an answer, not a network fault,
        # so that what it means (a POST may have been applied) follows its status.
        undecodable = str(exc) or type(exc).__name__
    text = _decoded(bytes(kept), response.encoding)
    # A byte-order mark some servers put first is no part of the answer (JSON readers may
    # ignore it, RFC 8259): left in, a success would not read as JSON, and the raw answer
    # shown would start with an invisible character.
    text = without_byte_order_mark(text)
    if cut_at is not None or undecodable:
        text = text[:-_CUT_MARGIN_CHARS]
    return _Answer(text, cut_at, undecodable)


def _decoded(body: bytes, charset: str | None) -> str:
    """``body`` as text, as ``response.text`` would read it: in the declared ``charset``,
    else UTF-8; a cut in the middle of a character becomes a replacement character."""
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except (LookupError, ValueError):
        # A codec that is no text encoding (``charset=hex``, ``rot13``), or one that cannot
        # replace what it cannot read (``idna``, ``undefined``: a UnicodeError), as a
        # misconfigured proxy may declare: the HTTP library takes any codec's name, and
        # only decoding finds it out. Unread, a POST already answered would be said as
        # never sent.
        return body.decode("utf-8", errors="replace")


def _masked_answer(text: str, *, whole: bool) -> tuple[Any, str]:
    """The answer's JSON (``None`` when it is not JSON or not ``whole``) and its text to
    show, with keys masked in both.

    Keys are masked in the decoded strings: a JSON encoder may write a key with escapes
    (``\\/`` for ``/``, as PHP does, or ``\\u0041`` for ``A``) that hide it from masking
    in the raw text and that decoding brings back. The raw text is shown as it came, its
    keys masked, unless it still holds a key in escapes: then it is the masked JSON
    written out again.
    """
    shown = mask_keys(text)
    if not whole:
        # The start of an answer is never taken for the whole of it.
        return None, shown
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than JSON is read
        return None, shown
    masked, found = _mask_keys_in(payload)
    if found and not _reads_as(shown, masked):
        shown = json.dumps(masked, ensure_ascii=False)
    return masked, shown


def _reads_as(text: str, payload: Any) -> bool:
    """True when ``text`` decodes to ``payload``: it hides no key that ``payload`` masks."""
    try:
        return bool(json.loads(text) == payload)
    except (ValueError, RecursionError):
        return False


def _mask_keys_in(payload: Any) -> tuple[Any, bool]:
    """``payload`` (just decoded, so changed in place) with ``mask_keys`` applied to every
    string, member names included; and whether a key was found."""
    found = False

    def masked(text: str) -> str:
        nonlocal found
        result = mask_keys(text)
        found = found or result != text
        return result

    if isinstance(payload, str):
        return masked(payload), found
    # A loop, not recursion: JSON nested as deep as the decoder reads stays within the stack.
    pending = [payload]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = masked(item)
                elif isinstance(item, list | dict):
                    pending.append(item)
        elif isinstance(node, dict):
            for name, item in node.items():
                if isinstance(item, str):
                    node[name] = masked(item)
                elif isinstance(item, list | dict):
                    pending.append(item)
            names = {name: masked(name) for name in node}
            if any(new != old for old, new in names.items()):
                members = list(node.items())
                node.clear()
                node.update((names[name], item) for name, item in members)
    return payload, found


def _may_have_been_applied_after_network(method: str, kind: NetworkErrorKind) -> bool:
    # Before the connection stood, nothing reached Kombo; afterwards a POST may have.
    unsent = {NetworkErrorKind.CONNECT, NetworkErrorKind.DNS, NetworkErrorKind.TLS}
    return method == "POST" and kind not in unsent | {NetworkErrorKind.CONNECT_TIMEOUT}


#: The kinds that are still part of connecting: nothing of a request went out.
_CONNECTING_KINDS = frozenset(
    {
        NetworkErrorKind.CONNECT,
        NetworkErrorKind.DNS,
        NetworkErrorKind.TLS,
        NetworkErrorKind.CONNECT_TIMEOUT,
    }
)

_TIMEOUT_KINDS = frozenset({NetworkErrorKind.READ_TIMEOUT, NetworkErrorKind.WRITE_TIMEOUT})


def _while_connecting(kind: NetworkErrorKind) -> NetworkErrorKind:
    """``kind`` for a failure that came while the request was still connecting.

    Through a proxy, the tunnel's ``CONNECT`` is written and answered as a request is, so
    its failures come as a request's (no answer in time, a proxy that hung up). Nothing of
    ours was in it: such a failure is one of connecting, and said as such.
    """
    if kind in _CONNECTING_KINDS:
        return kind
    return NetworkErrorKind.CONNECT_TIMEOUT if kind in _TIMEOUT_KINDS else NetworkErrorKind.CONNECT


def _is_tunnel_request(info: dict[str, Any]) -> bool:
    """True for the ``CONNECT`` that asks a proxy for a tunnel: part of connecting, since
    httpcore traces it as a request of its own, though nothing of ours is in it."""
    request = info.get("request")
    return getattr(request, "method", None) == b"CONNECT"


#: What a proxy answers a tunnel's ``CONNECT`` with when it will not let the request
#: through: it wants its own sign-in (407), or it or a firewall behind it refuses (401,
#: 403). Said as the same answer to a request would be (``messages.REFUSED_ON_THE_WAY``).
_REFUSED_TUNNEL_STATUSES = (401, 403, 407)

#: httpcore's words for a refused tunnel: the proxy's status line, "407 Proxy Authentication
#: Required". (A pattern as text: ``re`` compiles it at first use, not as the client loads.)
_TUNNEL_STATUS = r"(\d{3})\b"


class _SendProgress:
    """How far one request got, told by httpcore's ``trace`` extension as it happens.

    Only a request seen opening its connection and never seen starting to write can be
    known to have sent nothing. Without events (a request that waited for a pooled
    connection, a transport that does not trace) nothing is known, so a POST stays "may
    have been applied", as it does from the first byte written.
    """

    def __init__(self) -> None:
        self.connecting = False
        self.writing = False

    async def __call__(self, event: str, info: dict[str, Any]) -> None:
        # Events are "connection.connect_tcp.started", "connection.start_tls.complete",
        # "http11.send_request_headers.started" and so on ("http2." with HTTP/2).
        if event.startswith("connection."):
            self.connecting = True
        elif event.endswith(".send_request_headers.started") and not _is_tunnel_request(info):
            self.writing = True

    @property
    def unsent(self) -> bool:
        """True when the request was still connecting: not one byte of it went out."""
        return self.connecting and not self.writing


class KomboClient:
    """Async client for the parts of Kombo's API that Kombo Desktop uses.

    Use it as ``async with KomboClient(connection) as client: ...``. One client
    keeps a pool of connections, so reuse it across requests. It goes through the
    computer's proxy where ``proxies.choose_proxy`` says so (``proxy`` tells which).
    """

    def __init__(
        self,
        connection: Connection,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        max_connections: int = 10,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.connection = connection
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        # A transport of the caller's own (tests, benchmarks) is its way out: httpx would
        # send a proxy's requests past it.
        choice = ProxyChoice() if transport is not None else choose_proxy(connection.base_url)
        self._proxy = choice.route
        # Why the computer's proxy setting was not used, if it was set and could not be:
        # a direct attempt's failure then says so, so that IT is not left guessing.
        self._proxy_unused = choice.unused
        verify = tls_context()
        proxy = None
        if self._proxy is not None:
            # The company's CA may sign an https proxy's own certificate too; httpcore
            # takes a context for the way to the proxy only when that way is TLS.
            speaks_tls = self._proxy.scheme == "https"
            proxy = httpx.Proxy(self._proxy.url, ssl_context=verify if speaks_tls else None)
        self._http = httpx.AsyncClient(
            timeout=self.timeouts.to_httpx(),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            transport=transport,
            proxy=proxy,
            verify=True if verify is None else verify,
            follow_redirects=False,
            # Off: httpx would read ~/.netrc, whose password would replace the key's
            # Authorization header. The proxy and the CA it may need come from ``proxies``.
            trust_env=False,
        )

    @property
    def proxy(self) -> ProxyRoute | None:
        """The computer's proxy that requests go through, or ``None`` when they go direct."""
        return self._proxy

    @property
    def _via(self) -> str:
        """``" through proxy host:port"`` to end a log line; empty when requests go direct."""
        return "" if self._proxy is None else f" {self._proxy.note}"

    def _request_info(self, call: PreparedCall, url: str) -> RequestInfo:
        """What ``call`` sends to ``url``, and the way it goes: through the proxy's
        ``host:port`` (never its sign-in), which every outcome's detail then names."""
        proxy = None if self._proxy is None else self._proxy.address
        return RequestInfo(call.method, url, call.purpose, call.target_kind, proxy=proxy)

    def _unused_proxy_noted(self, text: str) -> str:
        """``text`` for a failure's technical detail, with why the computer's proxy setting
        was not used when it was set and could not be: the direct attempt that failed may
        be why. (The proxy a request did go through is in its ``RequestInfo``.)"""
        return f"{text} ({self._proxy_unused})" if self._proxy_unused else text

    async def __aenter__(self) -> KomboClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def add_result_link(
        self,
        target: Target,
        request: ResultLinkRequest,
        *,
        on_rate_limit: RateLimitCallback | None = None,
    ) -> ApiOutcome:
        """Add a result link to a candidate or an application; returns Kombo's warnings.

        Raises ``KomboApiError`` (``RateLimitedError`` once retries run out),
        ``NetworkError`` or ``UnexpectedResponseError``.
        """
        return await self.call(result_link_call(target, request), on_rate_limit=on_rate_limit)

    async def find_candidates(
        self,
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        ids: list[str] | None = None,
        page_size: int = 50,
        cursor: str | None = None,
        on_rate_limit: RateLimitCallback | None = None,
    ) -> CandidateSearchOutcome:
        """One page of candidates matching the filters; pass ``page.next`` as ``cursor``.

        ``on_rate_limit`` is told of each wait before a rate-limited search is tried again.
        """
        call = find_candidates_call(
            email=email,
            first_name=first_name,
            last_name=last_name,
            ids=ids,
            page_size=page_size,
            cursor=cursor,
        )
        outcome = await self.call(call, on_rate_limit=on_rate_limit)
        return CandidateSearchOutcome(outcome, self._parse_data(outcome, call, CandidatePage))

    async def check_api_key(self) -> tuple[ApiOutcome, ApiKeyCheck]:
        """Verify the key; returns the environment it belongs to."""
        call = check_api_key_call()
        outcome = await self.call(call)
        return outcome, self._parse_data(outcome, call, ApiKeyCheck)

    async def check_connection(self) -> ConnectionCheckOutcome:
        """Check the key, then that Kombo knows the integration, with the cheapest read.

        A refused key raises, as ``check_api_key`` does. Once the key is accepted, what
        the read with the integration answered is returned rather than raised: the
        person must still learn that the key itself works.
        """
        key, key_check = await self.check_api_key()
        integration: ApiOutcome | None = None
        integration_error: KomboDesktopError | None = None
        try:
            integration = await self.call(find_candidates_call(page_size=1))
        except KomboDesktopError as exc:
            integration_error = exc
        return ConnectionCheckOutcome(
            key=key,
            key_check=key_check,
            integration=integration,
            integration_error=integration_error,
            integration_id=self.connection.integration_id,
            key_environment=self.connection.environment,
        )

    def _parse_data(self, outcome: ApiOutcome, call: PreparedCall, model: type[T]) -> T:
        try:
            return model.model_validate(outcome.data)  # type: ignore[attr-defined, no-any-return]
        except ValidationError as exc:
            raise UnexpectedResponseError(
                status_code=outcome.status_code,
                content_type="application/json",
                excerpt=outcome.body,
                reason=self._unused_proxy_noted(
                    f"the answer's data is not in the expected shape ({exc.error_count()} problems)"
                ),
                request=outcome.request,
                elapsed_s=outcome.elapsed_s,
                may_have_been_applied=call.method == "POST",
            ) from None

    async def call(
        self, call: PreparedCall, *, on_rate_limit: RateLimitCallback | None = None
    ) -> ApiOutcome:
        """Send ``call``, retrying rate-limit answers as ``self.retry`` allows.

        With ``self.timeouts.total``, the whole call, waits between attempts included,
        ends within that time: a wait that would pass it ends the retries instead.
        """
        total = self.timeouts.total
        started = time.perf_counter()
        deadline = None if total is None else started + total
        try:
            outcome = await self._attempts(call, on_rate_limit, deadline, total)
        except KomboDesktopError as exc:
            _timed_from(exc, started)
            raise
        # The time the person watched "Sending…": every attempt and the waits between
        # them, not the last attempt's alone.
        return replace(outcome, elapsed_s=time.perf_counter() - started)

    async def _attempts(
        self,
        call: PreparedCall,
        on_rate_limit: RateLimitCallback | None,
        deadline: float | None,
        total: float | None,
    ) -> ApiOutcome:
        """``call``'s attempts until one is answered or no retry is left (``call``)."""
        attempt = 0
        while True:
            attempt_started = time.perf_counter()
            left = None if deadline is None else max(deadline - attempt_started, 0.0)
            try:
                return await self._send_once(call, limit=left)
            except RateLimitedError as exc:
                if attempt >= self.retry.max_retries:
                    raise
                advised = exc.retry_after_s
                if advised is not None and advised > self.retry.max_delay_s:
                    raise  # retrying before Kombo's advised time would only be refused again
                attempt += 1
                if advised is None or advised <= 0:
                    # No time asked for, or none left (a date already past, a clock
                    # ahead): retrying at once would only be refused again, so back off.
                    delay = self.retry.default_delay_s * 2 ** (attempt - 1)
                    delay = min(delay, self.retry.max_delay_s)
                else:
                    delay = advised
                if deadline is not None:
                    now = time.perf_counter()
                    # A retry cut short by the limit would leave a POST in doubt ("may
                    # have been added"): retry only with time for an answer (twice what
                    # this one took, at least a second), else report the rate limit,
                    # which is clear: nothing was added. A refusal comes back at once,
                    # but adding a link waits for the ATS: a POST is given time for that.
                    needed = max(2 * (now - attempt_started), 1.0)
                    if call.method == "POST" and total is not None:
                        needed = max(needed, min(total / 2, _TIME_FOR_THE_ATS_S))
                    if deadline - (now + delay) < needed:
                        raise
                log.info("Rate limited (%s); retry %d in %.1f s", exc.code, attempt, delay)
                if on_rate_limit is not None:
                    on_rate_limit(exc, delay, attempt)
                try:
                    await self._sleep(delay)
                except asyncio.CancelledError as cancelled:
                    # Nothing is on its way and Kombo refused the last attempt: a cancel
                    # now is certain to have added nothing, and says so.
                    raise asyncio.CancelledError(CANCELLED_WHILE_WAITING) from cancelled

    async def _send_once(self, call: PreparedCall, *, limit: float | None) -> ApiOutcome:
        """One attempt; ``limit`` bounds the whole exchange (see ``Timeouts.total``)."""
        conn = self.connection
        # Every key that is sent is masked in the log from now on, whatever its shape and
        # whichever path (profile, bar, command line, a script) made the connection.
        # Registered here, not when a connection or a client is made: the window builds
        # both for half-typed keys, and partial keys would mask ordinary words.
        register_secret(conn.api_key)
        url = call.url(conn.base_url)
        info = self._request_info(call, url)
        content = None
        if call.body is not None:
            content = json.dumps(call.body, ensure_ascii=False).encode("utf-8")
        progress = _SendProgress()
        try:
            request = self._http.build_request(
                call.method,
                url,
                headers=call.headers(conn.integration_id, conn.api_key),
                content=content,
                extensions={"trace": progress},
            )
        except (httpx.InvalidURL, UnicodeError) as exc:
            # The address cannot even be written as a request (the rest of it, the call's
            # path and the checked headers, always can): nothing went out, and the person
            # mistyped an address rather than met a fault of the app. Not logged with the
            # URL, which may hold a character no log line can be written with.
            reason = _why_unusable(exc, conn.base_url)
            log.warning("%s: the base URL cannot be used: %s", call.method, reason)
            raise BaseUrlUnusable(reason) from exc
        started = time.perf_counter()
        try:
            response, answer = await asyncio.wait_for(self._exchange(request), limit)
        except asyncio.TimeoutError as exc:
            elapsed = time.perf_counter() - started
            # The total limit can end the connecting too (a TLS handshake that never
            # ends): then nothing was sent, and saying "may have been added" would be wrong.
            if progress.unsent:
                kind, missing = NetworkErrorKind.CONNECT_TIMEOUT, "connection"
            else:
                kind, missing = NetworkErrorKind.READ_TIMEOUT, "complete answer"
            log.warning("%s %s: no %s in %.2f s%s", call.method, url, missing, elapsed, self._via)
            raise NetworkError(
                kind,
                request=info,
                detail=self._unused_proxy_noted(self._timeout_detail(limit, missing)),
                may_have_been_applied=_may_have_been_applied_after_network(call.method, kind),
                elapsed_s=elapsed,
            ) from exc
        except asyncio.CancelledError as cancelled:
            if progress.unsent:
                # Cancelled while still connecting, as a connect timeout is: nothing of the
                # request went out, and the cancel says so rather than "may have been added".
                log.info("%s %s: cancelled while connecting%s", call.method, url, self._via)
                raise asyncio.CancelledError(CANCELLED_WHILE_CONNECTING) from cancelled
            raise
        except httpx.ProxyError as exc:
            elapsed = time.perf_counter() - started
            log.warning("%s %s: the proxy refused: %s%s", call.method, url, exc, self._via)
            raise self._tunnel_refused(exc, info, elapsed) from exc
        except httpx.TransportError as exc:
            elapsed = time.perf_counter() - started
            kind = _network_kind(exc)
            if progress.unsent:
                # A proxy that never answered the tunnel's CONNECT, or hung up on it: still
                # connecting, and nothing of the request went out.
                kind = _while_connecting(kind)
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if kind is NetworkErrorKind.DNS and self._proxy is not None:
                # Through a proxy this computer looks up the proxy's name only (the proxy
                # looks up Kombo's): Kombo's address is not the one to check.
                kind = NetworkErrorKind.CONNECT
                detail = f"the proxy's name could not be found: {detail}"
            log.warning(
                "%s %s failed after %.2f s: %s%s", call.method, url, elapsed, kind.value, self._via
            )
            raise NetworkError(
                kind,
                request=info,
                detail=self._unused_proxy_noted(detail),
                may_have_been_applied=not progress.unsent
                and _may_have_been_applied_after_network(call.method, kind),
                elapsed_s=elapsed,
            ) from exc
        except KomboDesktopError:
            raise
        except Exception as exc:
            if progress.unsent:
                raise  # nothing went out: a fault of the app that cannot have added anything
            raise self._fault_after_sending(call, info, exc, started) from exc
        elapsed = time.perf_counter() - started
        log.info(
            "%s %s -> %d in %.2f s%s", call.method, url, response.status_code, elapsed, self._via
        )
        try:
            return self._interpret(call, info, response, answer, elapsed)
        except KomboDesktopError:
            raise
        except Exception as exc:
            raise self._fault_after_sending(call, info, exc, started) from exc

    def _fault_after_sending(
        self, call: PreparedCall, info: RequestInfo, exc: Exception, started: float
    ) -> FaultAfterSending:
        """The error for a fault of the app's own once ``call`` had gone out.

        Told apart from a fault before sending because a POST may have been applied by
        then: its words must say so, and Retry must ask before sending it again.
        """
        elapsed = time.perf_counter() - started
        # The traceback is what a bug report needs; the log masks every key in it.
        log.exception("%s %s: the app failed after sending%s", call.method, info.url, self._via)
        return FaultAfterSending(
            request=info,
            detail=mask_keys(f"{type(exc).__name__}: {exc}"),
            may_have_been_applied=call.method == "POST",
            elapsed_s=elapsed,
        )

    def _tunnel_refused(
        self, exc: httpx.ProxyError, info: RequestInfo, elapsed: float
    ) -> KomboDesktopError:
        """The error for a proxy that would not open the tunnel to Kombo.

        Nothing of the request went out: the proxy answered the ``CONNECT`` before it. A
        refusal (``_REFUSED_TUNNEL_STATUSES``) is an answer, worded as a refusal on the way;
        anything else (a 502 when the proxy cannot reach Kombo) is a way that failed.
        """
        found = re.match(_TUNNEL_STATUS, str(exc))
        status = int(found.group(1)) if found else None
        if status is not None and status in _REFUSED_TUNNEL_STATUSES:
            return UnexpectedResponseError(
                status_code=status,
                content_type="",
                excerpt="",
                reason=f"the proxy refused to open a connection to Kombo: {exc}",
                request=info,
                elapsed_s=elapsed,
                may_have_been_applied=False,
            )
        return NetworkError(
            NetworkErrorKind.CONNECT,
            request=info,
            detail=f"{type(exc).__name__}: {exc}",
            may_have_been_applied=False,
            elapsed_s=elapsed,
        )

    def _timeout_detail(self, limit: float | None, missing: str) -> str:
        """What the total timeout allowed this attempt, for the ``missing`` thing ("complete
        answer"): less than the total after a rate-limit wait, which the total includes."""
        total = self.timeouts.total
        if total is None or limit is None:
            return f"No {missing} in time"
        if limit >= total - 0.05:
            return f"No {missing} within {total:g} s"
        return f"No {missing} within the {limit:.1f} s left of the {total:g} s allowed"

    async def _exchange(self, request: httpx.Request) -> tuple[httpx.Response, _Answer]:
        """Send ``request`` and read its answer, no more of it than is worth reading."""
        response = await self._http.send(request, stream=True)
        try:
            # Closing before the end drops the connection, and with it the rest of a huge
            # answer: nothing more is downloaded.
            answer = await _read_answer(response, _answer_limit(request.method, response))
        finally:
            await response.aclose()
        return response, answer

    def _interpret(
        self,
        call: PreparedCall,
        info: RequestInfo,
        response: httpx.Response,
        answer: _Answer,
        elapsed: float,
    ) -> ApiOutcome:
        incomplete = answer.incomplete_note(response)
        if incomplete:
            log.warning("%s %s: %s%s", call.method, info.url, incomplete, self._via)
        # Everything below (errors, warnings, excerpts, the body shown and copied,
        # candidates) comes from here: a key that a server or proxy echoed back, whole or
        # cut short, in whatever escapes, is masked once, as it enters. The key sent is
        # among them whatever its shape (``_send_once`` registered it). Only keys: the
        # broad patterns of ``redact`` would rewrite ordinary data ("Work authorization:
        # US citizen"); text that is written out is redacted where it is written (the
        # log, every ``UserMessage``).
        payload, text = _masked_answer(answer.text, whole=not incomplete)
        status = response.status_code
        is_post = call.method == "POST"

        def unexpected(
            reason: str, *, applied: bool, redirect_to: str | None = None
        ) -> UnexpectedResponseError:
            return UnexpectedResponseError(
                status_code=status,
                content_type=response.headers.get("content-type", ""),
                excerpt=text,
                reason=self._unused_proxy_noted(reason),
                request=info,
                elapsed_s=elapsed,
                may_have_been_applied=applied,
                redirect_to=redirect_to,
            )

        if is_redirect(status):
            # Kombo's API never redirects, and the client follows no redirect (a result
            # link sent on to wherever one points would go there, key and all). What
            # answered is not Kombo's API, so nothing was added, whatever the body says
            # (even in Kombo's shape).
            raise unexpected(
                f"HTTP {status} {response.reason_phrase}: a redirect, not followed",
                applied=False,
                redirect_to=_redirect_target(response),
            )

        if 200 <= status < 300:
            if payload is None:
                raise unexpected(incomplete or "the answer is not JSON", applied=is_post)
            try:
                envelope = SuccessEnvelope.model_validate(payload)
            except ValidationError:
                # Kombo's error envelope under a success status is still Kombo's error,
                # worded by its code as under any other status (below).
                pass
            else:
                return ApiOutcome(
                    status_code=status,
                    elapsed_s=elapsed,
                    request=info,
                    body=text,
                    warnings=tuple(w.message for w in envelope.warnings),
                    data=envelope.data,
                )

        try:
            error = ErrorEnvelope.model_validate(payload).error
        except ValidationError:
            if 200 <= status < 300:
                raise unexpected("the answer is not in Kombo's format", applied=is_post) from None
            if status == 429:
                raise RateLimitedError(
                    retry_after_s=_advised_wait(response),
                    status_code=status,
                    code=None,
                    title=None,
                    # No envelope, so no words of Kombo's: a proxy's page is not quoted
                    # as Kombo's message (the status alone words the error).
                    message="",
                    log_url=None,
                    request=info,
                    # This body is shown as the raw answer: it says itself that it is not whole.
                    body=f"{text}\n[{incomplete}]" if incomplete else text,
                    elapsed_s=elapsed,
                ) from None
            reason = incomplete or (
                "the answer is not JSON" if payload is None else "unknown error format"
            )
            raise unexpected(
                f"HTTP {status} {response.reason_phrase}: {reason}".strip(),
                applied=is_post and status >= 500,
            ) from None

        fields: dict[str, Any] = {
            "status_code": status,
            "code": error.code,
            "title": error.title,
            "message": error.message,
            "log_url": error.log_url,
            "request": info,
            "body": text,
            "elapsed_s": elapsed,
        }
        # A success status says it was done, the envelope that it failed: unless the code
        # says it was refused or not processed (a rate limit), either may be true, as after
        # a server's trouble. A rate limit under a success status is still not sent again
        # on its own: the answer contradicts itself, and were the status the true half, a
        # second try would add the link twice. The person decides, told nothing was added.
        success_status = 200 <= status < 300
        # Kombo's rule: branch on the code, the status only when there is none (or, for a
        # rate limit, one this version does not know yet).
        if error_codes.is_rate_limit(error.code, status) and not success_status:
            raise RateLimitedError(retry_after_s=_advised_wait(response), **fields)
        in_doubt = status >= 500 or success_status
        not_processed = error_codes.REFUSED | error_codes.RATE_LIMITED
        uncertain = error.code in error_codes.UNCERTAIN or (
            in_doubt and (error.code is None or error.code not in not_processed)
        )
        raise KomboApiError(may_have_been_applied=is_post and uncertain, **fields)


class SyncKomboClient:
    """A blocking wrapper for scripts and the command line; one private event loop."""

    def __init__(self, connection: Connection, **kwargs: Any) -> None:
        # The client first: if it cannot be made, there is no loop left open.
        self._client = KomboClient(connection, **kwargs)
        # Its lookups too: ``send`` must end once it has said it timed out.
        self._loop = new_event_loop()

    def __enter__(self) -> SyncKomboClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(coroutine)

    def add_result_link(
        self,
        target: Target,
        request: ResultLinkRequest,
        *,
        on_rate_limit: RateLimitCallback | None = None,
    ) -> ApiOutcome:
        """See ``KomboClient.add_result_link``."""
        return self._run(self._client.add_result_link(target, request, on_rate_limit=on_rate_limit))

    def find_candidates(self, **filters: Any) -> CandidateSearchOutcome:
        """See ``KomboClient.find_candidates``."""
        return self._run(self._client.find_candidates(**filters))

    def check_api_key(self) -> tuple[ApiOutcome, ApiKeyCheck]:
        """See ``KomboClient.check_api_key``."""
        return self._run(self._client.check_api_key())

    def check_connection(self) -> ConnectionCheckOutcome:
        """See ``KomboClient.check_connection``."""
        return self._run(self._client.check_connection())

    def close(self) -> None:
        """Close the pool and the loop; idempotent."""
        if not self._loop.is_closed():
            self._run(self._client.aclose())
            # As ``asyncio.run`` does: the stream of an answer cut short is finished here,
            # not reported as "Task was destroyed but it is pending!" when the loop closes.
            self._run(self._loop.shutdown_asyncgens())
            self._loop.close()
