"""The limiter interface and the arithmetic both backends share.

The algorithm is GCRA, a token bucket kept as one number per key: the *theoretical arrival
time* (TAT) of the next request if requests arrived exactly at the allowed pace. A bucket
admits ``requests`` at once, then one more every ``period / requests`` seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from anb.ratelimit.exceptions import RateLimited


class Rate(Protocol):
    """``requests`` per ``period_seconds`` (settings' ``RateLimitRule`` is one)."""

    @property
    def requests(self) -> int: ...

    @property
    def period_seconds(self) -> float: ...


Check = tuple[str, Rate]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the refused request would be admitted; 0 when admitted.
    retry_after: float = 0.0


class RateLimiter(Protocol):
    async def hit(self, checks: Sequence[Check]) -> Decision:
        """Count one request against every key, all or nothing: a refusal consumes no key."""
        ...

    async def close(self) -> None: ...


def next_arrival(stored_tat: float | None, now: float, rate: Rate) -> tuple[float, float]:
    """The key's TAT after admitting one request now, and how long it must wait first (0: admitted)."""
    interval = rate.period_seconds / rate.requests
    base = max(stored_tat if stored_tat is not None else now, now)
    # Arranged so an empty bucket gives exactly 0: (now + interval) - period - now is not always
    # 0 in floating point, and with one request per period that refused the very first request.
    return base + interval, max(0.0, (base - now) - (rate.period_seconds - interval))


async def enforce(limiter: RateLimiter, *checks: Check) -> None:
    decision = await limiter.hit(checks)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)
