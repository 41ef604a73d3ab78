"""Buckets in Redis, shared by every server process and task.

One Lua script checks and updates all keys of a request atomically, on Redis's clock (server
hosts' clocks never disagree about a bucket). If Redis does not answer, requests are admitted:
limits protect capacity, they never decide correctness (the database enforces one vote per user).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from anb.ratelimit.base import Check, Decision

log = logging.getLogger(__name__)

# KEYS: bucket keys. ARGV: per key, its interval and period in milliseconds. Returns the wait in ms
# as a string (Lua numbers would be truncated to integers); "0" means admitted and counted.
_GCRA = """
local clock = redis.call('TIME')
local now = clock[1] * 1000 + clock[2] / 1000
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[2 * i - 1])
  local period = tonumber(ARGV[2 * i])
  local base = math.max(tonumber(redis.call('GET', key) or now), now)
  tats[i] = base + interval
  wait = math.max(wait, (base - now) - (period - interval))
end
if wait > 0 then
  return tostring(wait)
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, tostring(tats[i]), 'PX', math.ceil(tats[i] - now))
end
return '0'
"""


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "anb:ratelimit:", timeout_seconds: float = 0.5) -> None:
        self._redis = Redis.from_url(url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds)
        self._script = self._redis.register_script(_GCRA)
        self._prefix = prefix

    async def hit(self, checks: Sequence[Check]) -> Decision:
        keys = [self._prefix + key for key, _ in checks]
        args: list[float] = []
        for _, rate in checks:
            period_ms = rate.period_seconds * 1000
            args += [period_ms / rate.requests, period_ms]
        try:
            wait_ms = float(await self._script(keys=keys, args=args))
        except RedisError as exc:
            log.warning("rate limiter unavailable, request admitted: %s", type(exc).__name__)
            return Decision(True)
        return Decision(wait_ms <= 0, wait_ms / 1000)

    async def close(self) -> None:
        await self._redis.aclose()
