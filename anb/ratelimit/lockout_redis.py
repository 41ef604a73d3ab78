"""Lockout records in Redis, shared by every server process and task.

Two keys per locked name: the failure count (expiring after the forget delay) and the lock itself
(expiring when the lock ends), so Redis forgets both on its own. Like the Redis limiter, an
unreachable Redis admits the login: the password check still stands between a guesser and the account.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from anb.ratelimit.lockout import LockoutPolicy, lock_seconds

log = logging.getLogger(__name__)


class RedisLockout:
    def __init__(
        self, url: str, policy: LockoutPolicy, prefix: str = "anb:lockout:", timeout_seconds: float = 0.5
    ) -> None:
        self._redis = Redis.from_url(url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds)
        self._policy = policy
        self._prefix = prefix

    def _keys(self, key: str) -> tuple[str, str]:
        return f"{self._prefix}failures:{key}", f"{self._prefix}locked:{key}"

    async def locked_for(self, key: str) -> float:
        try:
            remaining_ms = int(await self._redis.pttl(self._keys(key)[1]))
        except RedisError as exc:
            log.warning("lockout store unavailable, login admitted: %s", type(exc).__name__)
            return 0.0
        return max(0, remaining_ms) / 1000

    async def failed(self, key: str) -> None:
        failures_key, locked_key = self._keys(key)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(failures_key)
                pipe.pexpire(failures_key, int(self._policy.forget_after_seconds * 1000))
                failures, _ = await pipe.execute()
            lock_ms = int(lock_seconds(int(failures), self._policy) * 1000)
            if lock_ms > 0:
                await self._redis.set(locked_key, "1", px=lock_ms)
        except RedisError as exc:
            log.warning("lockout store unavailable, failure not counted: %s", type(exc).__name__)

    async def succeeded(self, key: str) -> None:
        try:
            await self._redis.delete(*self._keys(key))
        except RedisError as exc:
            log.warning("lockout store unavailable, record not cleared: %s", type(exc).__name__)

    async def close(self) -> None:
        await self._redis.aclose()
