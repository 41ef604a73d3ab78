from __future__ import annotations

from anb.ratelimit.base import RateLimiter
from anb.ratelimit.lockout import Lockout, LockoutPolicy, MemoryLockout
from anb.ratelimit.lockout_redis import RedisLockout
from anb.ratelimit.memory import MemoryRateLimiter
from anb.ratelimit.redis import RedisRateLimiter


def _redis_url(backend: str, redis_url: str | None) -> str | None:
    """The Redis URL when the backend is Redis, None for memory."""
    if backend == "memory":
        return None
    if backend == "redis":
        if not redis_url:
            raise ValueError("the redis rate-limit backend needs ANB_REDIS_URL")
        return redis_url
    raise ValueError(f"unknown rate-limit backend {backend!r}")


def build_rate_limiter(backend: str, redis_url: str | None) -> RateLimiter:
    url = _redis_url(backend, redis_url)
    return RedisRateLimiter(url) if url else MemoryRateLimiter()


def build_lockout(backend: str, redis_url: str | None, policy: LockoutPolicy) -> Lockout:
    url = _redis_url(backend, redis_url)
    return RedisLockout(url, policy) if url else MemoryLockout(policy)
