from __future__ import annotations

from anb.ratelimit.base import RateLimiter
from anb.ratelimit.memory import MemoryRateLimiter
from anb.ratelimit.redis import RedisRateLimiter


def build_rate_limiter(backend: str, redis_url: str | None) -> RateLimiter:
    if backend == "memory":
        return MemoryRateLimiter()
    if backend == "redis":
        if not redis_url:
            raise ValueError("the redis rate-limit backend needs ANB_REDIS_URL")
        return RedisRateLimiter(redis_url)
    raise ValueError(f"unknown rate-limit backend {backend!r}")
