"""Rate limiting keyed by strings: a token bucket (GCRA) in process memory, shared by one host's
processes in a SQLite file, or shared by a fleet in Redis.

Features name what they limit (``"vote:user:<id>"``) and how fast (a ``Rate``); the backend is
chosen once by settings. An exceeded limit answers 429 with ``Retry-After`` (``RateLimited``).
A ``Lockout`` backs one key off exponentially after repeated failures (failed logins per account).
"""

from anb.ratelimit.base import Decision, Rate, RateLimiter, enforce
from anb.ratelimit.exceptions import LoginLocked, RateLimited
from anb.ratelimit.factory import build_lockout, build_rate_limiter
from anb.ratelimit.lockout import Lockout, MemoryLockout, lock_seconds
from anb.ratelimit.lockout_redis import RedisLockout
from anb.ratelimit.memory import MemoryRateLimiter
from anb.ratelimit.redis import RedisRateLimiter
from anb.ratelimit.sqlite import SqliteLockout, SqliteRateLimiter, SqliteStore

__all__ = [
    "Decision",
    "Lockout",
    "LoginLocked",
    "MemoryLockout",
    "MemoryRateLimiter",
    "Rate",
    "RateLimited",
    "RateLimiter",
    "RedisLockout",
    "RedisRateLimiter",
    "SqliteLockout",
    "SqliteRateLimiter",
    "SqliteStore",
    "build_lockout",
    "build_rate_limiter",
    "enforce",
    "lock_seconds",
]
