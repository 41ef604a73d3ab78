from __future__ import annotations

from pathlib import Path

from anb.ratelimit.base import RateLimiter
from anb.ratelimit.lockout import Lockout, LockoutPolicy, MemoryLockout
from anb.ratelimit.lockout_redis import RedisLockout
from anb.ratelimit.memory import MemoryRateLimiter
from anb.ratelimit.redis import RedisRateLimiter
from anb.ratelimit.sqlite import SqliteLockout, SqliteRateLimiter, SqliteStore

# The shared file of the sqlite backend, under the data directory.
SQLITE_FILE = "ratelimit.sqlite3"


def _check_backend(backend: str, redis_url: str | None) -> None:
    if backend not in ("memory", "redis", "sqlite"):
        raise ValueError(f"unknown rate-limit backend {backend!r}")
    if backend == "redis" and not redis_url:
        raise ValueError("the redis rate-limit backend needs ANB_REDIS_URL")


def build_rate_limiter(backend: str, redis_url: str | None, data_dir: Path) -> RateLimiter:
    _check_backend(backend, redis_url)
    if backend == "redis" and redis_url:
        return RedisRateLimiter(redis_url)
    if backend == "sqlite":
        return SqliteRateLimiter(SqliteStore(data_dir / SQLITE_FILE))
    return MemoryRateLimiter()


def build_lockout(backend: str, redis_url: str | None, data_dir: Path, policy: LockoutPolicy) -> Lockout:
    _check_backend(backend, redis_url)
    if backend == "redis" and redis_url:
        return RedisLockout(redis_url, policy)
    if backend == "sqlite":
        return SqliteLockout(SqliteStore(data_dir / SQLITE_FILE), policy)
    return MemoryLockout(policy)
