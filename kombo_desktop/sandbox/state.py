"""What a sandbox remembers and can be told: requests, stored links, faults, latency, limits."""

from __future__ import annotations

import collections
import contextlib
import copy
import json
import secrets
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kombo_desktop.sandbox.demo import MAX_LATENCY_MS
from kombo_desktop.sandbox.faults import FaultBook
from kombo_desktop.sandbox.ratelimit import TokenBucket
from kombo_desktop.sandbox.seed import build_candidates


@dataclass(frozen=True)
class RecordedRequest:
    """One request exactly as the sandbox received it."""

    method: str
    path: str
    """The raw request target: percent-encoding and query string kept as sent."""
    headers: dict[str, str]
    """Header names lower-cased; of a repeated header the last value is kept."""
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)


#: How many requests a sandbox remembers; tests use far fewer.
MAX_RECORDED_REQUESTS = 20_000


class SandboxState:
    """The mutable state one sandbox server shares between its request threads."""

    def __init__(
        self,
        latency_ms: int,
        rate_limit_per_second: float | None,
        verbose: bool,
        extra_candidates: Sequence[dict[str, Any]] = (),
    ) -> None:
        self._lock = threading.Lock()
        # Bounded, so a sandbox left running for days does not grow without end.
        self._requests: collections.deque[RecordedRequest] = collections.deque(
            maxlen=MAX_RECORDED_REQUESTS
        )
        self._links: dict[str, list[dict[str, Any]]] = {}
        self._in_flight = 0
        self._peak_in_flight = 0
        self._limiter: TokenBucket | None = None
        self.latency_seconds = 0.0
        self.set_latency(latency_ms)
        self.set_rate_limit(rate_limit_per_second)
        self.verbose = verbose
        self.faults = FaultBook()
        self.stopping = threading.Event()
        self.log_url_prefix = "http://127.0.0.1/v1/logs/"
        # The seed is read-only after this point, so request threads read it without the lock.
        self.candidates = build_candidates() + copy.deepcopy(list(extra_candidates))
        self.candidates_by_id = {candidate["id"]: candidate for candidate in self.candidates}
        if len(self.candidates_by_id) != len(self.candidates):
            raise ValueError("every candidate needs an ID of its own")
        self.application_ids = frozenset(
            application["id"]
            for candidate in self.candidates
            for application in candidate["applications"]
        )

    def set_latency(self, ms: int) -> None:
        """Delay every answer by ``ms`` milliseconds (0 to ``MAX_LATENCY_MS``)."""
        if ms < 0:
            raise ValueError("latency must not be negative")
        if ms > MAX_LATENCY_MS:
            raise ValueError(f"latency must be at most {MAX_LATENCY_MS} ms")
        self.latency_seconds = ms / 1000.0

    def set_rate_limit(self, per_second: float | None) -> None:
        """Limit requests per second (``None``: no limit); a new limit starts with a full bucket."""
        limiter = None if per_second is None else TokenBucket(per_second)
        with self._lock:
            self._limiter = limiter

    def acquire_rate_token(self) -> int | None:
        """``None`` when the request may go on, else seconds for ``Retry-After``."""
        limiter = self._limiter
        return None if limiter is None else limiter.acquire()

    def record(self, request: RecordedRequest) -> None:
        """Remember a received request."""
        with self._lock:
            self._requests.append(request)

    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        """Count one request as in flight while it is being answered."""
        with self._lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    @property
    def peak_in_flight(self) -> int:
        """The most requests answered at the same time since the last ``clear_requests``."""
        with self._lock:
            return self._peak_in_flight

    def requests(self) -> list[RecordedRequest]:
        """A copy of the received requests, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the received requests (and the peak of requests in flight)."""
        with self._lock:
            self._requests.clear()
            # Not the number in flight now: a handler may still be finishing the answer
            # the client already has.
            self._peak_in_flight = 0

    def store_link(self, target_id: str, body: dict[str, Any]) -> None:
        """Keep a posted result-link body for its candidate or application id."""
        with self._lock:
            self._links.setdefault(target_id, []).append(body)

    def links(self, target_id: str) -> list[dict[str, Any]]:
        """Copies of the bodies posted to ``target_id``, oldest first."""
        with self._lock:
            return copy.deepcopy(self._links.get(target_id, []))

    def new_log_url(self) -> str:
        """A fresh log URL for an error answer, like the ``log_url`` Kombo links to."""
        return self.log_url_prefix + secrets.token_urlsafe(18)
