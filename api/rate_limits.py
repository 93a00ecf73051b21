"""Per-caller rate limits: a token bucket for each token subject.

A caller may make ``burst`` requests at once, and ``rate`` a second sustained;
beyond that a request is refused (HTTP 429, ``RATE_LIMITED``) with the seconds
until one more is allowed. Buckets are kept for the most recent
``MAX_CALLERS`` callers; one forgotten starts full again, which is what it
would have refilled to after a pause anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from api.bounded import BoundedCache

MAX_CALLERS = 10_000


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests; try again in {retry_after:.1f} s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        callers: int = MAX_CALLERS,
    ) -> None:
        if rate < 0 or burst < 1:
            raise ValueError("a rate limit needs a rate of at least 0 and a burst of 1")
        self.rate = rate
        self.burst = float(burst)
        self.clock = clock
        #: caller -> [tokens left, when last counted]
        self._buckets: BoundedCache[str, list[float]] = BoundedCache(callers)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, caller: str) -> None:
        """Counts one request of ``caller``; raises ``RateLimited`` if over."""
        if not self.enabled:
            return
        now = self.clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            bucket = [self.burst, now]
            self._buckets.put(caller, bucket)
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens < 1:
            bucket[0] = tokens
            raise RateLimited((1 - tokens) / self.rate)
        bucket[0] = tokens - 1
