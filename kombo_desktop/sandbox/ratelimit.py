"""A token bucket: the sandbox's stand-in for Kombo's per-second request limit."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Allows ``rate`` requests per second on average, with bursts of up to ``max(1, rate)``."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError("the rate limit must be a positive number of requests per second")
        self._rate = float(rate)
        self._capacity = max(1.0, self._rate)
        self._tokens = self._capacity
        self._clock = clock
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> int | None:
        """Take a token; ``None`` if one was free, else whole seconds to wait (at least 1)."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._updated)
            self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            # Retry-After only takes whole seconds; rounding down would invite an early retry.
            return max(1, math.ceil((1.0 - self._tokens) / self._rate))
