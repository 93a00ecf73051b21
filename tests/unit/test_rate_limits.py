"""Each caller's requests are counted in a token bucket: a burst at once, then
the sustained rate, refused with the seconds to wait."""

from __future__ import annotations

import pytest

from api.rate_limits import RateLimited, RateLimiter


def test_a_burst_is_allowed_then_the_rate_refills_it() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=3, clock=lambda: now[0])

    for _ in range(3):
        limiter.take("advocate-1")
    with pytest.raises(RateLimited) as caught:
        limiter.take("advocate-1")
    assert caught.value.retry_after == pytest.approx(0.5)

    now[0] += 0.5
    limiter.take("advocate-1")
    with pytest.raises(RateLimited):
        limiter.take("advocate-1")
    limiter.take("advocate-2")  # every caller has their own bucket


def test_a_rate_of_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter(rate=0, burst=1)

    for _ in range(1000):
        limiter.take("advocate-1")


def test_only_so_many_callers_are_remembered() -> None:
    limiter = RateLimiter(rate=1.0, burst=1, clock=lambda: 0.0, callers=2)

    for caller in ("a", "b", "c"):
        limiter.take(caller)

    limiter.take("a")  # forgotten, so it starts with a full bucket again
    with pytest.raises(RateLimited):
        limiter.take("c")
