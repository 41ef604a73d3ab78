"""Buckets in this process's memory: for the embedded service and tests.

Each server process counts on its own, so with N processes a client may get up to N times
the limit; deployments with several processes or tasks use the Redis backend.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from anb.ratelimit.base import Check, Decision, next_arrival


class MemoryRateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._tat: dict[str, float] = {}

    async def hit(self, checks: Sequence[Check]) -> Decision:
        # No await inside: on the event loop this read-check-write is atomic.
        now = self._clock()
        updates: dict[str, float] = {}
        wait = 0.0
        for key, rate in checks:
            updates[key], key_wait = next_arrival(self._tat.get(key), now, rate)
            wait = max(wait, key_wait)
        if wait > 0:
            return Decision(False, wait)
        self._tat.update(updates)
        if len(self._tat) > self._max_keys:
            self._forget_full_buckets(now)
        return Decision(True)

    def _forget_full_buckets(self, now: float) -> None:
        # A TAT in the past means a full bucket, the same as no entry: memory stays bounded by
        # the keys active within one period.
        self._tat = {key: tat for key, tat in self._tat.items() if tat > now}

    async def close(self) -> None:
        self._tat.clear()
