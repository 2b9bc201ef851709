"""Injectable failures: what a flaky network, a proxy or Kombo itself can do to a request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

from kombo_desktop.sandbox.responses import Response, error

SANDBOX_LOG_URL = "<sandbox log url>"
"""Placeholder for ``log_url``: the server replaces it with a fresh ``/v1/logs/<id>`` URL."""

FaultKind = Literal["envelope", "raw", "drop", "slow_body", "trickle_body", "stall_midway"]

# Envoy's words: the text a client sees when a proxy in front of the API loses its upstream.
_UPSTREAM_TEXT = (
    "upstream connect error or disconnect/reset before headers. "
    "reset reason: connection termination"
)


def _check_status(status: int) -> None:
    if not 200 <= status <= 599:
        raise ValueError(f"HTTP status must be between 200 and 599, got {status}")


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


@dataclass(frozen=True)
class Fault:
    """One way to answer a request badly. Build it with the classmethods, not directly.

    ``envelope`` faults answer with a Kombo error envelope, ``raw`` faults with a fixed body,
    ``drop`` closes the connection without an answer and ``slow_body`` lets the request be
    processed as usual (so a result link *is* stored) but holds the body back.
    """

    kind: FaultKind
    status: int = 500
    code: str | None = None
    title: str | None = None
    message: str = ""
    log_url: str | None = SANDBOX_LOG_URL
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    delay_seconds: float = 0.0
    stall_after_bytes: int = 0

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A Kombo error envelope with code ``PLATFORM.UNKNOWN_ERROR``."""
        _check_status(status)
        return cls(
            kind="envelope",
            status=status,
            code="PLATFORM.UNKNOWN_ERROR",
            title="Unknown error",
            message=(
                "An unknown error occurred. Please try again; if it persists, contact "
                "Kombo support and include the log URL."
            ),
        )

    @classmethod
    def kombo_error(
        cls,
        code: str | None,
        status: int,
        message: str = "The request could not be completed (error injected by the sandbox).",
        title: str | None = None,
        log_url: str | None = SANDBOX_LOG_URL,
    ) -> Fault:
        """Any Kombo error envelope; ``code``, ``title`` and ``log_url`` may be ``None``.

        Leave ``log_url`` at its default to get a real sandbox log URL in the answer.
        """
        _check_status(status)
        return cls(
            kind="envelope", status=status, code=code, title=title, message=message, log_url=log_url
        )

    @classmethod
    def non_json(cls, status: int = 200) -> Fault:
        """A ``text/plain`` body such as a proxy sends when it loses the upstream."""
        _check_status(status)
        return cls(
            kind="raw",
            status=status,
            body=_UPSTREAM_TEXT.encode("ascii"),
            content_type="text/plain",
        )

    @classmethod
    def html_error(cls, status: int = 502) -> Fault:
        """An HTML error page like nginx in front of an API gives (``502 Bad Gateway``)."""
        _check_status(status)
        heading = f"{status} {_reason_phrase(status)}".strip()
        page = (
            f"<html>\r\n<head><title>{heading}</title></head>\r\n<body>\r\n"
            f"<center><h1>{heading}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        return cls(kind="raw", status=status, body=page.encode("ascii"), content_type="text/html")

    @classmethod
    def raw(
        cls,
        body: str | bytes,
        status: int = 200,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """Any body as it is, e.g. an answer Kombo's format allows but rarely sends.

        ``bytes`` go out untouched (say, a compressed body with a ``Content-Encoding``
        header); text is sent as UTF-8.
        """
        _check_status(status)
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = tuple((headers or {}).items())
        return cls(kind="raw", status=status, body=data, content_type=content_type, headers=extra)

    @classmethod
    def wrong_shape(cls) -> Fault:
        """HTTP 200 with valid JSON that is not Kombo's envelope: ``{"ok": true}``."""
        return cls(kind="raw", status=200, body=b'{"ok": true}')

    @classmethod
    def drop_connection(cls) -> Fault:
        """Close the connection without writing any response; nothing is processed."""
        return cls(kind="drop")

    @classmethod
    def slow_body(cls, seconds: float) -> Fault:
        """Process the request, send status and headers at once, and the body after ``seconds``.

        The request takes effect (a posted result link is stored), which is exactly the
        ambiguous case a client read timeout creates against the real API.
        """
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        return cls(kind="slow_body", status=200, delay_seconds=seconds)

    @classmethod
    def trickle_body(cls, interval: float) -> Fault:
        """Process the request, then send the body a few bytes at a time, ``interval`` apart.

        Each read of the answer finishes in time; the whole answer takes as long as the
        server likes. The request takes effect, as with ``slow_body``.
        """
        if interval <= 0:
            raise ValueError("interval must be above 0")
        return cls(kind="trickle_body", status=200, delay_seconds=interval)

    @classmethod
    def stall_midway(cls, body: str, after_bytes: int, seconds: float, status: int = 502) -> Fault:
        """An HTML page of which the first ``after_bytes`` come at once, the rest only after
        ``seconds``: a server that stops halfway through a huge answer."""
        _check_status(status)
        if not 0 < after_bytes < len(body.encode("utf-8")):
            raise ValueError("after_bytes must be within the body")
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        return cls(
            kind="stall_midway",
            status=status,
            body=body.encode("utf-8"),
            content_type="text/html",
            delay_seconds=seconds,
            stall_after_bytes=after_bytes,
        )

    @classmethod
    def rate_limited(cls, retry_after: str | None = "1") -> Fault:
        """HTTP 429 with ``Retry-After`` (left out when ``None``) and the platform rate code."""
        headers = () if retry_after is None else (("Retry-After", retry_after),)
        return cls(
            kind="envelope",
            status=429,
            code="PLATFORM.RATE_LIMIT_EXCEEDED",
            title="Rate limit exceeded",
            message="You have exceeded the rate limit. Retry after the delay in Retry-After.",
            headers=headers,
        )

    def render(self, new_log_url: Callable[[], str]) -> Response:
        """The response of an ``envelope``, ``raw`` or ``stall_midway`` fault."""
        if self.kind in ("raw", "stall_midway"):
            return Response(self.status, self.body, self.content_type, self.headers)
        if self.kind != "envelope":
            raise ValueError(f"a {self.kind} fault has no fixed response")
        log_url = new_log_url() if self.log_url == SANDBOX_LOG_URL else self.log_url
        return error(self.status, self.code, self.title, self.message, log_url, self.headers)


@dataclass
class _Rule:
    fault: Fault
    target_id: str | None
    path_contains: str | None
    remaining: int | None
    #: Its place among every rule ever added (see ``FaultBook.mark``).
    number: int = 0

    def matches(self, decoded_path: str, target_id: str | None) -> bool:
        if self.target_id is not None and self.target_id != target_id:
            return False
        return self.path_contains is None or self.path_contains in decoded_path


class FaultBook:
    """The injected faults of one sandbox, matched in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._added = 0

    def add(
        self,
        fault: Fault,
        *,
        target_id: str | None = None,
        path_contains: str | None = None,
        times: int | None = None,
    ) -> None:
        """Add a rule; ``times=None`` keeps it until :meth:`clear`."""
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for 'until cleared')")
        with self._lock:
            self._rules.append(_Rule(fault, target_id, path_contains, times, self._added))
            self._added += 1

    def mark(self) -> int:
        """A mark for a request as it arrives: ``take`` with it passes over the rules
        added after it (a request held by the latency must not take the fault meant for
        the next one, sent after it was added)."""
        return self._added

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def take(
        self, decoded_path: str, target_id: str | None, *, arrived: int | None = None
    ) -> Fault | None:
        """The first rule's fault that applies to this request, counting one use of it;
        with ``arrived`` (its ``mark``), only rules added before the request arrived."""
        if not self._rules:  # the common case needs no lock
            return None
        with self._lock:
            for index, rule in enumerate(self._rules):
                if arrived is not None and rule.number >= arrived:
                    continue
                if not rule.matches(decoded_path, target_id):
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        del self._rules[index]
                return rule.fault
        return None
