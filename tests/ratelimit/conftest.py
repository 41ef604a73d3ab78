from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from anb.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter, SqliteRateLimiter, SqliteStore
from tests.support.services import require

REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Every:
    requests: int
    period_seconds: float


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def limiter(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[RateLimiter]:
    """Each behaviour holds for every backend."""
    if request.param == "memory":
        backend: RateLimiter = MemoryRateLimiter()
    elif request.param == "sqlite":
        backend = SqliteRateLimiter(SqliteStore(tmp_path / "limits.sqlite3"))
    else:
        require("Redis", "127.0.0.1", 6379)
        backend = RedisRateLimiter(REDIS_URL, prefix=f"anb-test:{uuid.uuid4().hex}:")
    yield backend
    await backend.close()
