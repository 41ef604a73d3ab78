"""Rate limiting keyed by strings: a token bucket (GCRA) in process memory or shared in Redis.

Features name what they limit (``"vote:user:<id>"``) and how fast (a ``Rate``); the backend is
chosen once by settings. An exceeded limit answers 429 with ``Retry-After`` (``RateLimited``).
"""

from anb.ratelimit.base import Decision, Rate, RateLimiter, enforce
from anb.ratelimit.exceptions import RateLimited
from anb.ratelimit.factory import build_rate_limiter
from anb.ratelimit.memory import MemoryRateLimiter
from anb.ratelimit.redis import RedisRateLimiter

__all__ = [
    "Decision",
    "MemoryRateLimiter",
    "Rate",
    "RateLimited",
    "RateLimiter",
    "RedisRateLimiter",
    "build_rate_limiter",
    "enforce",
]
